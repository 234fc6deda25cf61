//! `footprint matrix` and `footprint meet`.

use super::charts::format_for;
use super::files::{Disk, write_file};
use super::output::{Format, Table, json, num};
use super::trip_cmd::CalcArgs;
use super::{CliError, io_err};
use clap::Args;
use mobility_footprint::chart::{BarItem, heat_map, horizontal_bars};
use mobility_footprint::compare::CompareOptions;
use mobility_footprint::factors::PackSet;
use mobility_footprint::input::{InputOptions, InputReader};
use mobility_footprint::journey::Stop;
use mobility_footprint::matrix::{self, Matrix, MatrixMode, MatrixPlace};
use mobility_footprint::meet::{self, Meeting};
use mobility_footprint::places::Gazetteer;
use std::io::Write;
use std::path::PathBuf;

fn parse_matrix_mode(s: &str) -> Result<MatrixMode, String> {
    s.parse()
}

/// Arguments of `footprint matrix`.
#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Places (two or more): city, `City, CC`, IATA code, partner id, postcode or `lat,lon`.
    #[arg(required_unless_present = "partners", conflicts_with = "partners")]
    pub places: Vec<String>,
    /// Every partner of an alliance in the bundled partner table instead, e.g. `eciu`.
    #[arg(long, value_name = "ALLIANCE")]
    pub partners: Option<String>,
    /// Modes (columns), comma-separated: train, coach, car, car-shared, car-electric,
    /// flight, bus, bike, ebike, walk.
    #[arg(long, value_delimiter = ',', value_parser = parse_matrix_mode,
          default_value = "train,coach,car,flight")]
    pub modes: Vec<MatrixMode>,
    /// Out and back.
    #[arg(long)]
    pub round_trip: bool,
    /// Write a heat map of the first mode (.svg or .png).
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub calc: CalcArgs,
    /// Output format: table (pairs × modes), json, csv (one row per ordered pair and mode).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

fn resolve_place(g: &Gazetteer, q: &str) -> Result<MatrixPlace, CliError> {
    let p = g.resolve(q).map_err(CliError::data)?;
    Ok(MatrixPlace {
        id: p.id.clone(),
        name: p.name.clone(),
        stop: Stop::from_place(&p),
    })
}

/// The places of `footprint matrix`: the partner table's alliance or the given list.
fn matrix_places(g: &Gazetteer, a: &MatrixArgs) -> Result<Vec<MatrixPlace>, CliError> {
    let places = match &a.partners {
        Some(alliance) => {
            let p = matrix::partner_places(g, alliance);
            if p.is_empty() {
                return Err(CliError::usage(format!(
                    "no partners of `{alliance}` in the bundled partner table; try `eciu`"
                )));
            }
            p
        }
        None => a
            .places
            .iter()
            .map(|q| resolve_place(g, q))
            .collect::<Result<_, _>>()?,
    };
    if places.len() < 2 {
        return Err(CliError::usage("a matrix needs at least two places"));
    }
    Ok(places)
}

/// Every ordered pair × mode.
pub fn matrix<W: Write>(a: MatrixArgs, out: &mut W) -> Result<(), CliError> {
    let g = super::places();
    let o = CompareOptions {
        round_trip: a.round_trip,
        calc: a.calc.options()?,
        ..CompareOptions::default()
    };
    let places = matrix_places(g, &a)?;
    let m = matrix::matrix(PackSet::bundled(), g, places, &a.modes, &o).map_err(CliError::data)?;
    if let Some(path) = &a.chart {
        let format = format_for(path)?;
        let mode = m.modes[0];
        let title = format!("{mode}: kg CO2e per person ({})", m.pack);
        let bytes = heat_map(
            &title,
            "kg CO2e per person",
            &matrix::heat_map(&m, mode),
            format,
        )
        .map_err(CliError::data)?;
        write_file(&Disk, path, &bytes)?;
    }
    match a.format {
        Format::Json => json(out, &m),
        Format::Csv => out
            .write_all(&mobility_footprint::report::tables::render(&matrix::table(
                &m,
            )))
            .map_err(io_err),
        Format::Table => pivot(&m).write(out),
    }
}

/// Rows = ordered pairs, columns = modes.
fn pivot(m: &Matrix) -> Table {
    let mut header = vec!["from".to_string(), "to".to_string()];
    header.extend(m.modes.iter().map(|x| format!(">{x}")));
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new(&h);
    let k = m.modes.len();
    for pair in m.cells.chunks(k.max(1)) {
        let mut row = vec![
            m.places[pair[0].from].name.clone(),
            m.places[pair[0].to].name.clone(),
        ];
        row.extend(
            pair.iter()
                .map(|c| c.co2e_kg_per_person.map_or("–".into(), |v| num(v, 1))),
        );
        t.row(row);
    }
    t
}

/// Arguments of `footprint meet`.
#[derive(Debug, Args)]
pub struct MeetArgs {
    /// Participants file (CSV, TSV, Excel or JSON): a `home` column (also `woonplaats`,
    /// `residence` …) and an optional `travellers` column (also `people`, `aantal` …, default 1).
    #[arg(value_name = "PARTICIPANTS.csv")]
    pub participants: PathBuf,
    /// Candidate host places (default: the participants' home places).
    #[arg(long, num_args = 1.., value_name = "PLACE")]
    pub candidates: Vec<String>,
    /// One way only (the default counts the journey home too).
    #[arg(long)]
    pub one_way: bool,
    /// Write a bar chart of the candidates' totals (.svg or .png).
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub calc: CalcArgs,
    /// Output format: table (ranking, then the winner's breakdown), json, csv (ranking).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Ranks candidate hosts by the group's kg CO2e.
pub fn meet<W: Write>(a: MeetArgs, out: &mut W) -> Result<(), CliError> {
    let g = super::places();
    let o = CompareOptions {
        round_trip: !a.one_way,
        calc: a.calc.options()?,
        ..CompareOptions::default()
    };
    let reader =
        InputReader::open(&a.participants, &InputOptions::default()).map_err(CliError::data)?;
    let participants = meet::read_participants(reader, g).map_err(CliError::data)?;
    let candidates = if a.candidates.is_empty() {
        meet::homes_as_candidates(&participants)
    } else {
        a.candidates
            .iter()
            .map(|q| resolve_place(g, q))
            .collect::<Result<_, _>>()?
    };
    let m =
        meet::plan(PackSet::bundled(), g, &participants, candidates, &o).map_err(CliError::data)?;
    if let Some(path) = &a.chart {
        let bytes = horizontal_bars(
            &format!("Meeting hosts: total kg CO2e of {} people", m.people),
            "kg CO2e, everyone's best option",
            &meet_bars(&m),
            format_for(path)?,
        )
        .map_err(CliError::data)?;
        write_file(&Disk, path, &bytes)?;
    }
    match a.format {
        Format::Json => json(out, &m),
        Format::Csv => out
            .write_all(&mobility_footprint::report::tables::render(
                &meet::ranking_table(&m),
            ))
            .map_err(io_err),
        Format::Table => write_meeting(&m, out),
    }
}

/// The candidates as bars (shared by the CLI chart and the page).
pub fn meet_bars(m: &Meeting) -> Vec<BarItem> {
    m.candidates
        .iter()
        .map(|c| BarItem {
            label: c.host.name.clone(),
            value: c.co2e_kg,
            colour_key: "train".into(),
            annotation: Some(format!("all fly: {} kg", num(c.all_fly_kg, 0))),
        })
        .collect()
}

fn write_meeting<W: Write>(m: &Meeting, out: &mut W) -> Result<(), CliError> {
    let mut t = Table::new(&[
        "#",
        "host",
        ">kg CO2e (best options)",
        ">kg per person",
        ">kg if all fly",
    ]);
    for (i, c) in m.candidates.iter().enumerate() {
        t.row(vec![
            (i + 1).to_string(),
            c.host.name.clone(),
            num(c.co2e_kg, 1),
            num(c.co2e_kg / m.people, 1),
            num(c.all_fly_kg, 1),
        ]);
    }
    writeln!(
        out,
        "{} people, {}, pack {}\n",
        m.people,
        if m.round_trip {
            "round trip"
        } else {
            "one way"
        },
        m.pack
    )
    .map_err(io_err)?;
    t.write(out)?;
    let Some(best) = m.candidates.first() else {
        return Ok(());
    };
    writeln!(out, "\nmeeting in {}:", best.host.name).map_err(io_err)?;
    let mut b = Table::new(&[
        "from",
        ">people",
        "best option",
        ">kg per person",
        ">kg",
        ">kg per person if flying",
    ]);
    for p in &best.participants {
        b.row(vec![
            p.home.clone(),
            num(p.count, 0),
            p.option.clone(),
            num(p.co2e_kg_per_person, 1),
            num(p.co2e_kg, 1),
            if p.flight_offered {
                num(p.all_fly_kg_per_person, 1)
            } else {
                "no flight".into()
            },
        ]);
    }
    b.write(out)
}
