//! `footprint trip` and `footprint compare`.

use super::output::{Format, Table, json, num};
use super::{CliError, io_err};
use clap::Args;
use mobility_footprint::compare::{CompareOptions, compare as compare_options};
use mobility_footprint::factors::{PackSet, RailFactor};
use mobility_footprint::journey::{CalcOptions, Estimate, Stop, TripSpec, estimate};
use mobility_footprint::mode::{Cabin, Fuel, Mode, Size};
use mobility_footprint::places::{Gazetteer, choose_by_context, no_land_route};
use std::io::Write;
use std::path::PathBuf;

/// Factor pack and reporting boundary, shared by every computing command.
#[derive(Debug, Args, Clone)]
pub struct CalcArgs {
    /// Factor pack (`footprint factors` lists them).
    #[arg(long, default_value = "desnz-2025")]
    pub pack: String,
    /// Leave out the non-CO2 (radiative forcing) part of flights.
    #[arg(long)]
    pub no_rf: bool,
    /// Report tank-to-wheel only (leave out well-to-tank).
    #[arg(long)]
    pub ttw_only: bool,
    /// Flight haul band for every flight, e.g. `international` (DESNZ to/from non-UK average).
    #[arg(long, value_name = "HAUL")]
    pub flight_haul: Option<String>,
    /// Train factor: `country` (each part of the leg gets the rail factor of the country it
    /// crosses) or `pack` (the pack's single rail factor, for like-for-like comparisons).
    #[arg(long, value_name = "WHICH", default_value = "country", value_parser = parse_rail_factor)]
    pub rail_factor: RailFactor,
}

fn parse_rail_factor(s: &str) -> Result<RailFactor, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "country" | "countries" => Ok(RailFactor::Country),
        "pack" => Ok(RailFactor::Pack),
        _ => Err(format!("`{s}`: expected `country` or `pack`")),
    }
}

impl CalcArgs {
    /// The library options.
    pub fn options(&self) -> Result<CalcOptions, CliError> {
        let pack = PackSet::bundled()
            .get(&self.pack)
            .map_err(CliError::usage)?;
        if let Some(h) = &self.flight_haul {
            let mut hauls: Vec<&str> = pack
                .factors_for(Mode::Flight)
                .filter_map(|f| f.variant.get("haul").map(String::as_str))
                .collect();
            hauls.sort_unstable();
            hauls.dedup();
            if !hauls.contains(&h.as_str()) {
                return Err(CliError::usage(format!(
                    "--flight-haul `{}`: pack {} has no such haul; hauls: {}",
                    mobility_footprint::input::excerpt(h, 60),
                    self.pack,
                    hauls.join(", ")
                )));
            }
        }
        Ok(CalcOptions {
            pack: self.pack.clone(),
            include_rf: !self.no_rf,
            include_wtt: !self.ttw_only,
            haul_override: self.flight_haul.clone(),
            rail_factor: self.rail_factor,
            flight_bands: super::flight_bands().unwrap_or_default(),
        })
    }
}

fn parse_mode(s: &str) -> Result<Mode, String> {
    s.parse::<Mode>().map_err(|e| e.to_string())
}
fn parse_cabin(s: &str) -> Result<Cabin, String> {
    s.parse::<Cabin>().map_err(|e| e.to_string())
}
fn parse_size(s: &str) -> Result<Size, String> {
    s.parse::<Size>().map_err(|e| e.to_string())
}
fn parse_fuel(s: &str) -> Result<Fuel, String> {
    s.parse::<Fuel>().map_err(|e| e.to_string())
}
fn positive(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(format!("must be greater than 0, got {s}"))
    }
}
fn at_least_one(s: &str) -> Result<f64, String> {
    let v = positive(s)?;
    if v >= 1.0 {
        Ok(v)
    } else {
        Err(format!("must be at least 1, got {s}"))
    }
}

/// Arguments of `footprint trip`.
#[derive(Debug, Args)]
pub struct TripArgs {
    /// Origin: city, `City, CC`, IATA code, partner id, postcode or `lat,lon`.
    #[arg(allow_hyphen_values = true)]
    pub from: String,
    /// Destination.
    #[arg(allow_hyphen_values = true)]
    pub to: String,
    /// Mode: flight, train, coach, bus, car, taxi, motorbike, moped, ferry, tram, metro, bike, e-bike, e-scooter, walk (also in Dutch, French, German).
    #[arg(long, short, value_parser = parse_mode)]
    pub mode: Mode,
    /// Stopover (repeatable), in order.
    #[arg(long = "via", value_name = "PLACE", allow_hyphen_values = true)]
    pub via: Vec<String>,
    /// Flight cabin: economy, premium, business, first (default economy).
    #[arg(long, value_parser = parse_cabin, default_value = "economy")]
    pub cabin: Cabin,
    /// Out and back.
    #[arg(long)]
    pub round_trip: bool,
    /// Number of travellers.
    #[arg(long, value_parser = positive, default_value = "1")]
    pub travellers: f64,
    /// People per car or motorbike (per-vehicle factors are divided by it).
    #[arg(long, value_parser = at_least_one, default_value = "1")]
    pub occupancy: f64,
    /// Car or motorbike size: small, medium, large (default average).
    #[arg(long, value_parser = parse_size, default_value = "average")]
    pub size: Size,
    /// Car fuel: petrol, diesel, hybrid, phev, bev, cng, lpg (default unknown).
    #[arg(long, value_parser = parse_fuel, default_value = "unknown")]
    pub fuel: Fuel,
    /// Factor variant for modes with several, e.g. train `international`, ferry `car`.
    #[arg(long)]
    pub kind: Option<String>,
    /// One-way travelled km, replacing the computed distance.
    #[arg(long, value_parser = positive, value_name = "KM")]
    pub distance_km: Option<f64>,
    #[command(flatten)]
    pub calc: CalcArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Resolves the stops of one journey, choosing among same-name places by the journey's other
/// end ([`choose_by_context`]); each such choice is noted on stderr with the other places.
fn resolve_stops(g: &Gazetteer, queries: &[&str]) -> Result<Vec<Stop>, CliError> {
    let mut resolved = queries
        .iter()
        .map(|q| g.resolve_all(q).map_err(CliError::data))
        .collect::<Result<Vec<_>, _>>()?;
    choose_by_context(&mut resolved, None);
    for r in resolved.iter().filter(|r| r.is_ambiguous()) {
        eprintln!("footprint: note: {}", r.note());
    }
    Ok(resolved
        .iter()
        .map(|r| Stop::from_place(r.place()))
        .collect())
}

/// Refuses a surface mode between places that no land route connects.
fn check_land_route(g: &Gazetteer, stops: &[Stop], mode: Mode) -> Result<(), CliError> {
    if !mode.needs_land_route() {
        return Ok(());
    }
    for w in stops.windows(2) {
        if let Some(reason) = no_land_route(g, &w[0].country_code, &w[1].country_code) {
            return Err(CliError::data(format!(
                "{} → {} by {mode}: {reason}; choose --mode flight, or add the ferry leg as \
                 a separate trip",
                w[0].label, w[1].label
            )));
        }
    }
    Ok(())
}

/// Estimates one journey.
pub fn trip<W: Write>(a: TripArgs, out: &mut W) -> Result<(), CliError> {
    let g = super::places();
    let calc = a.calc.options()?;
    let queries: Vec<&str> = std::iter::once(a.from.as_str())
        .chain(a.via.iter().map(String::as_str))
        .chain(std::iter::once(a.to.as_str()))
        .collect();
    let stops = resolve_stops(g, &queries)?;
    check_land_route(g, &stops, a.mode)?;
    let spec = TripSpec {
        mode: a.mode,
        cabin: a.cabin,
        size: a.size,
        fuel: a.fuel,
        kind: a.kind.clone(),
        round_trip: a.round_trip,
        travellers: a.travellers,
        occupancy: a.occupancy,
        distance_km: a.distance_km,
    };
    let e = estimate(PackSet::bundled(), &stops, &spec, &calc).map_err(CliError::data)?;
    match a.format {
        Format::Json => json(out, &e),
        Format::Csv => leg_table(&e).write_csv(out),
        Format::Table => write_trip(&e, &calc, out),
    }
}

fn leg_table(e: &Estimate) -> Table {
    let mut t = Table::new(&[
        "from",
        "to",
        "mode",
        ">great_circle_km",
        ">distance_km",
        ">co2e_kg",
        ">ttw_kg",
        ">wtt_kg",
        ">non_co2_kg",
        ">other_kg",
        "factor",
        ">kg_per_unit",
        "unit",
    ]);
    let trips = if e.round_trip { 2.0 } else { 1.0 };
    for l in &e.legs {
        let p = l.parts.scaled(trips);
        t.row(vec![
            l.from.clone(),
            l.to.clone(),
            l.mode.to_string(),
            format!("{:.3}", l.great_circle_km),
            format!("{:.3}", l.distance_km),
            format!("{:.3}", l.co2e_kg * trips),
            format!("{:.3}", p.ttw),
            format!("{:.3}", p.wtt),
            format!("{:.3}", p.non_co2),
            format!("{:.3}", p.energy_wtw + p.construction),
            format!("{}/{}", l.factor.pack, l.factor.id),
            format!("{:.5}", l.factor.value),
            l.factor.unit.to_string(),
        ]);
    }
    t
}

fn write_trip<W: Write>(e: &Estimate, calc: &CalcOptions, out: &mut W) -> Result<(), CliError> {
    let w = |out: &mut W, s: String| writeln!(out, "{s}").map_err(io_err);
    let mut t = Table::new(&[
        "leg",
        "mode",
        ">great-circle km",
        ">travelled km",
        ">kg CO2e",
        "factor",
    ]);
    let trips = if e.round_trip { 2.0 } else { 1.0 };
    for l in &e.legs {
        t.row(vec![
            format!("{} → {}", l.from, l.to),
            match &l.haul {
                Some(h) => format!("{} ({h})", l.mode),
                None => l.mode.to_string(),
            },
            num(l.great_circle_km, 1),
            num(l.distance_km, 1),
            num(l.co2e_kg * trips, 1),
            format!("{} {:.5} kg/{}", l.factor.id, l.factor.value, l.factor.unit),
        ]);
    }
    t.write(out)?;
    let who = if e.travellers == 1.0 {
        "1 traveller".to_string()
    } else {
        format!("{} travellers", e.travellers)
    };
    w(out, String::new())?;
    w(
        out,
        format!(
            "total: {} kg CO2e ({}, {}{})",
            num(e.co2e_kg, 1),
            who,
            if e.round_trip {
                "round trip"
            } else {
                "one way"
            },
            if e.travellers != 1.0 {
                format!("; {} kg per person", num(e.co2e_kg_per_person, 1))
            } else {
                String::new()
            }
        ),
    )?;
    let p = &e.parts;
    let mut parts = vec![
        format!("TTW {}", num(p.ttw, 1)),
        format!("WTT {}", num(p.wtt, 1)),
    ];
    if p.non_co2 > 0.0 || e.mode == Mode::Flight {
        parts.push(format!("non-CO2 {}", num(p.non_co2, 1)));
    }
    if p.energy_wtw > 0.0 {
        parts.push(format!("energy WTW {}", num(p.energy_wtw, 1)));
    }
    if p.construction > 0.0 {
        parts.push(format!("construction {}", num(p.construction, 1)));
    }
    w(out, format!("parts: {} kg", parts.join(", ")))?;
    w(
        out,
        format!(
            "distance: {} km great circle, {} km travelled one way ({})",
            num(e.great_circle_km, 1),
            num(e.distance_km, 1),
            e.legs[0].distance_method
        ),
    )?;
    for l in &e.legs {
        if !l.countries.is_empty() {
            let parts: Vec<String> = l
                .countries
                .iter()
                .map(|c| {
                    format!(
                        "{} {} km x {:.5} kg/passenger.km ({})",
                        c.country,
                        num(c.km, 1),
                        c.factor,
                        c.from
                    )
                })
                .collect();
            w(out, format!("rail by country: {}", parts.join(", ")))?;
        }
        if let (Some(h), Some(b)) = (&l.haul, &l.haul_basis) {
            w(out, format!("flight band: {h}, chosen by the {b}"))?;
        }
    }
    let f = &e.factor;
    w(
        out,
        format!(
            "factor: {}/{} = {:.5} kg CO2e per {} — {} {} ({}, {}; grade {})",
            f.pack, f.id, f.value, f.unit, f.source, f.table, f.row, f.year, f.reliability
        ),
    )?;
    if e.occupancy != 1.0 && f.unit == mobility_footprint::factors::Unit::VehicleKm {
        w(
            out,
            format!("occupancy: {} people per vehicle", e.occupancy),
        )?;
    }
    let mut seen = std::collections::BTreeSet::new();
    for l in &e.legs {
        for n in &l.factor.notes {
            if seen.insert(n.clone()) {
                w(out, format!("note: {n}"))?;
            }
        }
    }
    if !calc.include_rf {
        w(
            out,
            "note: non-CO2 effects of flights left out (--no-rf)".into(),
        )?;
    }
    if !calc.include_wtt {
        w(
            out,
            "note: well-to-tank emissions left out (--ttw-only)".into(),
        )?;
    }
    Ok(())
}

/// Arguments of `footprint compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Origin.
    #[arg(allow_hyphen_values = true)]
    pub from: String,
    /// Destination.
    #[arg(allow_hyphen_values = true)]
    pub to: String,
    /// Out and back.
    #[arg(long)]
    pub round_trip: bool,
    /// Number of travellers.
    #[arg(long, value_parser = positive, default_value = "1")]
    pub travellers: f64,
    /// People in the shared-car option.
    #[arg(long, value_parser = at_least_one, default_value = "3")]
    pub shared: f64,
    /// Compare airport to airport, without the train legs to and from the airports.
    #[arg(long)]
    pub no_airport_access: bool,
    /// Write a bar chart (.svg or .png).
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub calc: CalcArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Ranks the options between two places.
pub fn compare<W: Write>(a: CompareArgs, out: &mut W) -> Result<(), CliError> {
    let g = super::places();
    let calc = a.calc.options()?;
    let stops = resolve_stops(g, &[&a.from, &a.to])?;
    let (from, to) = (&stops[0], &stops[1]);
    let o = CompareOptions {
        round_trip: a.round_trip,
        travellers: a.travellers,
        shared_occupancy: a.shared,
        airport_access: !a.no_airport_access,
        calc,
    };
    let c = compare_options(PackSet::bundled(), g, from, to, &o).map_err(CliError::data)?;
    if let Some(path) = &a.chart {
        super::charts::write_compare_chart(&c, path)?;
    }
    match a.format {
        Format::Json => json(out, &c),
        f => {
            let mut t = Table::new(&[
                "#",
                "option",
                ">kg CO2e/person",
                ">saving vs worst",
                ">travelled km",
                "includes",
            ]);
            for (i, x) in c.options.iter().enumerate() {
                t.row(vec![
                    (i + 1).to_string(),
                    x.label.clone(),
                    num(x.co2e_kg_per_person, 1),
                    if x.saving_vs_worst_kg > 0.0 {
                        format!(
                            "{} ({:.0} %)",
                            num(x.saving_vs_worst_kg, 1),
                            x.saving_vs_worst_pct
                        )
                    } else {
                        "worst".into()
                    },
                    num(x.distance_km, 0),
                    x.includes.clone(),
                ]);
            }
            if f == Format::Csv {
                return t.write_csv(out);
            }
            writeln!(
                out,
                "{} → {}: {} km great circle, {}, {} traveller(s), pack {}\n",
                c.from.label,
                c.to.label,
                num(c.great_circle_km, 0),
                if c.round_trip {
                    "round trip"
                } else {
                    "one way"
                },
                c.travellers,
                o.calc.pack
            )
            .map_err(io_err)?;
            t.write(out)?;
            for n in &c.notes {
                writeln!(out, "note: {n}").map_err(io_err)?;
            }
            if let Some(p) = &a.chart {
                writeln!(out, "chart written to {}", p.display()).map_err(io_err)?;
            }
            Ok(())
        }
    }
}
