//! `footprint business`: the business-travel inventory of one or more exports.

use super::files::{self, Disk, FileSystem, Output};
use super::output::{Format, json, num, write_flat_csv};
use super::trip_cmd::CalcArgs;
use super::{CliError, io_err};
use clap::Args;
use mobility_footprint::business::{
    Business, BusinessOptions, BusinessRow, BusinessSummary, PerRow, Reject, RowRef, Visit, round3,
};
use mobility_footprint::csv_out;
use mobility_footprint::factors::PackSet;
use mobility_footprint::input::{ColumnMap, InputOptions, InputReader, PRESETS};
use mobility_footprint::report::{self, views};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Arguments of `footprint business`.
#[derive(Debug, Args)]
pub struct BusinessArgs {
    /// Exports to read: CSV/TSV (`,` `;` or tab, sniffed), Excel .xlsx or JSON; `-` reads
    /// standard input. One row per journey.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Column map: a JSON file such as `{"origin": "Vertrekplaats", "destination": ["City", "Country"]}`,
    /// or a preset (`ges1point5` for the GES 1point5 mission TSV).
    #[arg(long, value_name = "MAP.json|PRESET")]
    pub columns: Option<String>,
    /// Sheet of an Excel workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Group by dimensions, comma-separated: `mode`, `country` (of the destination), `month`,
    /// `distance_band` (one-way travelled km) or any other column of the file.
    #[arg(long, value_delimiter = ',', value_name = "DIM[,DIM...]")]
    pub by: Vec<String>,
    /// Write the audit trail (CSV): one line per input row with resolved places, distances,
    /// factor and kg CO2e by part, or the reason it was rejected.
    #[arg(long, value_name = "FILE")]
    pub audit: Option<PathBuf>,
    /// Write the rejected rows (CSV): file, line, reason, column, value, message, suggestion, raw row.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Treat any rejected row as an error: exit 1 before anything is written.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub calc: CalcArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// No progress bar and no notes on standard error.
    #[arg(short, long)]
    pub quiet: bool,
    /// CSV block size in bytes (tests use small blocks to exercise block boundaries).
    #[arg(long, hide = true, value_name = "BYTES")]
    pub block_bytes: Option<usize>,
}

/// Appends one CSV record through the one CSV writer (formula-guarded, quoted when needed).
fn fields(out: &mut Vec<u8>, values: &[&str]) {
    csv_out::push_record(out, values);
}

const AUDIT_HEADER: [&str; 35] = [
    "file",
    "line",
    "id",
    "status",
    "reason",
    "origin",
    "origin_country",
    "origin_lat",
    "origin_lon",
    "destination",
    "destination_country",
    "destination_lat",
    "destination_lon",
    "via",
    "mode",
    "variant",
    "great_circle_km",
    "distance_km",
    "distance_source",
    "travellers",
    "round_trip",
    "occupancy",
    "passenger_km",
    "factor_pack",
    "factor_id",
    "factor_kg_per_unit",
    "factor_unit",
    "co2e_kg",
    "ttw_kg",
    "wtt_kg",
    "energy_wtw_kg",
    "non_co2_kg",
    "construction_kg",
    "rail_countries",
    "message",
];

/// The audit line of one row (runs in the worker threads).
fn audit_line(row: RowRef<'_>) -> Vec<u8> {
    match row {
        RowRef::Used(r) => used_line(r),
        RowRef::Rejected(j) => {
            let mut out = Vec::with_capacity(256);
            let e = &j.error;
            let line = e.line.map(|l| l.to_string()).unwrap_or_default();
            let mut v: Vec<&str> = vec![&e.file, &line, "", "rejected", j.reason];
            v.resize(AUDIT_HEADER.len() - 1, "");
            let msg = e.to_string();
            v.push(&msg);
            fields(&mut out, &v);
            out
        }
    }
}

/// The audit line of a used row, built without allocating per field ([`csv_out::Line`]):
/// the same bytes as the record of each field's text (`{:.5}` coordinates and factors, km and
/// kg rounded to the gram with three decimals).
fn used_line(r: &BusinessRow) -> Vec<u8> {
    let mut line = csv_out::Line::with_capacity(384);
    let (first, last) = (&r.stops[0], &r.stops[r.stops.len() - 1]);
    let (o, d) = (&first.place, &last.place);
    let f3 = |line: &mut csv_out::Line, v: f64| {
        line.fixed(round3(v), 3);
    };
    line.text(&r.file)
        .uint(r.line)
        .text(&r.id)
        .text("used")
        .text("")
        .text(&first.stop.label)
        .text(&o.country_code)
        .format_fixed(o.lat_deg, 5)
        .format_fixed(o.lon_deg, 5)
        .text(&last.stop.label)
        .text(&d.country_code)
        .format_fixed(d.lat_deg, 5)
        .format_fixed(d.lon_deg, 5)
        .joined(
            r.stops[1..r.stops.len() - 1]
                .iter()
                .map(|s| s.stop.label.as_str()),
            "; ",
        )
        .text(r.mode.key())
        .text(&r.variant());
    f3(&mut line, r.great_circle_km);
    f3(&mut line, r.distance_km);
    line.text(if r.distance_given {
        "given"
    } else {
        "computed"
    })
    .display_f64(r.travellers)
    .text(if r.round_trip { "yes" } else { "no" })
    .display_f64(r.occupancy);
    f3(&mut line, r.passenger_km);
    // Each factor once, in leg order.
    let first_use = |i: usize| {
        let id = &r.legs[i].factor.id;
        !r.legs[..i].iter().any(|l| l.factor.id == *id)
    };
    line.text(&r.legs[0].factor.pack)
        .joined(
            (0..r.legs.len())
                .filter(|&i| first_use(i))
                .map(|i| r.legs[i].factor.id.as_str()),
            "+",
        )
        .cell(|b| {
            for (n, i) in (0..r.legs.len()).filter(|&i| first_use(i)).enumerate() {
                if n > 0 {
                    b.push(b'+');
                }
                csv_out::push_format_fixed(b, r.legs[i].factor.value, 5);
            }
        })
        .text(r.legs[0].factor.unit.as_str());
    let p = r.parts;
    for v in [
        r.co2e_kg,
        p.ttw,
        p.wtt,
        p.energy_wtw,
        p.non_co2,
        p.construction,
    ] {
        f3(&mut line, v);
    }
    let computed: f64 = r.legs.iter().map(|l| l.distance_km).sum();
    let given = r.distance_given.then_some(r.distance_km);
    let rail = mobility_footprint::journey::rail_countries_text(r.legs.iter().map(|l| {
        let km = mobility_footprint::journey::leg_distance_km(
            l.distance_km,
            computed,
            r.legs.len(),
            given,
        );
        (l.factor.countries.as_slice(), km)
    }));
    line.text(&rail)
        .joined(
            r.legs
                .iter()
                .flat_map(|l| l.factor.notes.iter().map(String::as_str)),
            "; ",
        )
        .end();
    line.into_bytes()
}

fn reject_line(out: &mut Vec<u8>, j: &Reject) {
    let e = &j.error;
    let line = e.line.map(|l| l.to_string()).unwrap_or_default();
    let raw: Vec<String> = j.raw.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let raw = raw.join(" | ");
    fields(
        out,
        &[
            &e.file,
            &line,
            j.reason,
            e.column.as_deref().unwrap_or(""),
            e.value.as_deref().unwrap_or(""),
            &e.message,
            e.suggestion.as_deref().unwrap_or(""),
            &raw,
        ],
    );
}

fn column_map(spec: &str) -> Result<ColumnMap, CliError> {
    if let Some(p) = ColumnMap::preset(spec) {
        return Ok(p);
    }
    let path = Path::new(spec);
    if !path.exists() {
        return Err(CliError::usage(format!(
            "--columns `{spec}`: no such file and no such preset (presets: {})",
            PRESETS.join(", ")
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| CliError::data(format!("{spec}: {e}")))?;
    ColumnMap::from_json(spec, &text).map_err(CliError::usage)
}

/// The engine of this run: the calculation options, the grouping and the column map.
fn engine(a: &BusinessArgs) -> Result<Business<'static>, CliError> {
    let calc = a.calc.options()?;
    let columns = a.columns.as_deref().map(column_map).transpose()?;
    let opts = BusinessOptions {
        calc,
        by: a.by.clone(),
        columns,
        ..BusinessOptions::default()
    };
    Ok(Business::new(PackSet::bundled(), super::places(), opts)?)
}

/// Opens every export (standard input at most once).
fn open_inputs(a: &BusinessArgs) -> Result<Vec<InputReader>, CliError> {
    let mut input_opts = InputOptions {
        sheet: a.sheet.clone(),
        ..InputOptions::default()
    };
    if let Some(b) = a.block_bytes {
        input_opts.block_bytes = b.max(1);
    }
    if a.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(CliError::usage(
            "standard input (`-`) can be read only once",
        ));
    }
    a.files
        .iter()
        .map(|f| InputReader::open(f, &input_opts))
        .collect::<Result<_, _>>()
        .map_err(CliError::data)
}

/// The `--audit` and `--rejects` files, opened (to temporary names) with their headers.
struct RowFiles<'a> {
    audit: Option<Output<'a>>,
    rejects: Option<Output<'a>>,
}

impl<'a> RowFiles<'a> {
    fn open(a: &BusinessArgs, fs: &'a dyn FileSystem) -> Result<Self, CliError> {
        let open = |p: &Option<PathBuf>| p.as_deref().map(|p| Output::open(fs, p)).transpose();
        let audit = open(&a.audit)?;
        let rejects = match open(&a.rejects) {
            Ok(r) => r,
            Err(e) => {
                audit.into_iter().for_each(Output::discard);
                return Err(e);
            }
        };
        let mut files = RowFiles { audit, rejects };
        if let Err(e) = files.write_headers() {
            files.discard();
            return Err(e);
        }
        Ok(files)
    }

    fn write_headers(&mut self) -> Result<(), CliError> {
        if let Some(f) = self.audit.as_mut() {
            let mut h = Vec::new();
            fields(&mut h, &AUDIT_HEADER);
            f.write(&h)?;
        }
        if let Some(f) = self.rejects.as_mut() {
            let mut h = Vec::new();
            fields(&mut h, &REJECTS_HEADER);
            f.write(&h)?;
        }
        Ok(())
    }

    fn discard(self) {
        self.audit
            .into_iter()
            .chain(self.rejects)
            .for_each(Output::discard);
    }

    fn commit(self) -> Result<(), CliError> {
        if let Some(f) = self.audit {
            f.commit()?;
        }
        if let Some(f) = self.rejects {
            f.commit()?;
        }
        Ok(())
    }
}

const REJECTS_HEADER: [&str; 8] = [
    "file",
    "line",
    "reason",
    "column",
    "value",
    "message",
    "suggestion",
    "raw",
];

/// A progress bar over the input bytes (a spinner when the size is unknown).
fn progress_bar(total_bytes: Option<u64>) -> indicatif::ProgressBar {
    let bar = match total_bytes {
        Some(n) => indicatif::ProgressBar::new(n),
        None => indicatif::ProgressBar::new_spinner(),
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {bytes}/{total_bytes} {wide_bar} {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Runs the engine over the readers, streaming audit and reject lines into `files` and
/// moving the progress bar; the first write error stops the writing and is returned.
fn run_engine(
    engine: &Business<'_>,
    readers: Vec<InputReader>,
    files: &mut RowFiles<'_>,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<BusinessSummary, CliError> {
    let per_row: Option<PerRow<'_, Vec<u8>>> = if files.audit.is_some() {
        Some(&|r| Some(audit_line(r)))
    } else {
        None
    };
    let mut write_err: Option<CliError> = None;
    let mut done_before = 0u64;
    let mut last_file = String::new();
    let mut last_done = 0u64;
    let mut buf = Vec::with_capacity(4096);
    let result = engine.run(readers, per_row, |v| match v {
        Visit::Row(line) => {
            if let (Some(f), None) = (files.audit.as_mut(), &write_err) {
                write_err = f.write(&line).err();
            }
        }
        Visit::Reject(j) => {
            if let (Some(f), None) = (files.rejects.as_mut(), &write_err) {
                buf.clear();
                reject_line(&mut buf, j);
                write_err = f.write(&buf).err();
            }
        }
        Visit::Progress {
            file, bytes_done, ..
        } => {
            if file != last_file {
                done_before += last_done;
                last_file = file.to_string();
            }
            last_done = bytes_done;
            if let Some(b) = bar {
                b.set_position(done_before + bytes_done);
            }
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let summary = result.map_err(CliError::data)?;
    match write_err {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}

/// The `--strict` refusal: how many rows were rejected, and the first 20.
fn strict_error(summary: &BusinessSummary) -> CliError {
    let mut msg = format!(
        "--strict: {} of {} rows rejected; nothing written",
        summary.rows_rejected, summary.rows_read
    );
    for r in summary.rejects.iter().take(20) {
        msg.push_str(&format!("\n  {r}"));
    }
    if summary.rows_rejected > 20 {
        msg.push_str(&format!("\n  ... and {} more", summary.rows_rejected - 20));
    }
    CliError::data(msg)
}

/// Runs `footprint business`.
pub fn business<W: Write>(a: BusinessArgs, out: &mut W) -> Result<(), CliError> {
    business_with(a, out, &Disk)
}

/// Runs `footprint business` with the given file operations for `--audit` and `--rejects`
/// (tests inject failures).
pub fn business_with<W: Write>(
    a: BusinessArgs,
    out: &mut W,
    fs: &dyn FileSystem,
) -> Result<(), CliError> {
    super::set_jobs(a.jobs);
    let engine = engine(&a)?;
    let readers = open_inputs(&a)?;
    let mut inputs: Vec<PathBuf> = a.files.clone();
    inputs.extend(super::aliases_file().map(Path::to_path_buf));
    inputs.extend(a.columns.iter().map(PathBuf::from));
    let outputs: Vec<(&str, &Path)> = [("--audit", &a.audit), ("--rejects", &a.rejects)]
        .into_iter()
        .filter_map(|(flag, p)| p.as_deref().map(|p| (flag, p)))
        .collect();
    files::check_outputs(&outputs, &inputs)?;
    let total_bytes: Option<u64> = readers.iter().map(|r| r.total_bytes()).sum();

    let mut row_files = RowFiles::open(&a, fs)?;
    let show_progress = !a.quiet && std::io::stderr().is_terminal();
    let bar = show_progress.then(|| progress_bar(total_bytes));
    let summary = match run_engine(&engine, readers, &mut row_files, bar.as_ref()) {
        Ok(s) if a.strict && s.rows_rejected > 0 => {
            row_files.discard();
            return Err(strict_error(&s));
        }
        Ok(s) => s,
        Err(e) => {
            row_files.discard();
            return Err(e);
        }
    };
    row_files.commit()?;
    if !a.quiet && a.format != Format::Table && summary.rows_rejected > 0 {
        let hint = match &a.rejects {
            Some(p) => format!("listed in {}", p.display()),
            None => "use --rejects FILE to list them".to_string(),
        };
        eprintln!(
            "footprint: {} of {} rows rejected ({hint})",
            summary.rows_rejected, summary.rows_read
        );
    }
    // `--audit -` / `--rejects -`: that CSV is the standard output, the summary goes to stderr.
    if outputs.iter().any(|(_, p)| files::is_stdout(p)) {
        if a.quiet {
            return Ok(());
        }
        return print_summary(&summary, a.format, &mut std::io::stderr().lock());
    }
    print_summary(&summary, a.format, out)
}

fn print_summary<W: Write>(s: &BusinessSummary, f: Format, out: &mut W) -> Result<(), CliError> {
    match f {
        Format::Json => json(out, s),
        Format::Csv => write_flat_csv(out, &views::business_groups(s, true)),
        Format::Table => write_table(s, out),
    }
}

fn write_table<W: Write>(s: &BusinessSummary, out: &mut W) -> Result<(), CliError> {
    let w = |out: &mut W, line: String| writeln!(out, "{line}").map_err(io_err);
    w(
        out,
        format!(
            "business travel (GHG Protocol scope 3, category 6) — pack {}, {}, {}",
            s.options.pack,
            if s.options.include_wtt {
                "well-to-wheel"
            } else {
                "tank-to-wheel"
            },
            if s.options.include_rf {
                "flights with non-CO2 effects"
            } else {
                "flights without non-CO2 effects"
            }
        ),
    )?;
    w(
        out,
        format!(
            "rows: {} read, {} used, {} rejected",
            s.rows_read, s.rows_used, s.rows_rejected
        ),
    )?;
    w(
        out,
        format!(
            "total: {} kg CO2e ({} t), {} passenger-km",
            num(s.total_co2e_kg, 1),
            num(s.total_co2e_kg / 1000.0, 1),
            num(s.total_distance_km, 0)
        ),
    )?;
    let p = &s.parts;
    let mut parts = vec![
        format!("TTW {}", num(p.ttw_kg, 1)),
        format!("WTT {}", num(p.wtt_kg, 1)),
    ];
    if p.non_co2_kg > 0.0 {
        parts.push(format!("non-CO2 {}", num(p.non_co2_kg, 1)));
    }
    if p.energy_wtw_kg > 0.0 {
        parts.push(format!("energy WTW {}", num(p.energy_wtw_kg, 1)));
    }
    if p.construction_kg > 0.0 {
        parts.push(format!("construction {}", num(p.construction_kg, 1)));
    }
    w(out, format!("parts: {} kg", parts.join(", ")))?;
    w(out, String::new())?;
    if !s.by.is_empty() {
        out.write_all(report::terminal::table(&views::business_groups(s, false)).as_bytes())
            .map_err(io_err)?;
        writeln!(out).map_err(io_err)?;
    }
    if !s.rejects_by_reason.is_empty() {
        writeln!(out, "rejected rows by reason:").map_err(io_err)?;
        for (r, n) in &s.rejects_by_reason {
            writeln!(out, "  {r}: {n}").map_err(io_err)?;
        }
        for r in s.rejects.iter().take(10) {
            writeln!(out, "  {r}").map_err(io_err)?;
        }
        if s.rows_rejected > 10 {
            writeln!(
                out,
                "  ... {} more (--rejects FILE lists them all)",
                s.rows_rejected - 10
            )
            .map_err(io_err)?;
        }
        writeln!(out).map_err(io_err)?;
    }
    writeln!(
        out,
        "distance: passenger-km travelled (one-way travelled km × travellers × 2 for round trips)"
    )
    .map_err(io_err)?;
    for n in &s.notes {
        writeln!(out, "note: {n}").map_err(io_err)?;
    }
    for (n, rows) in &s.ambiguous_places {
        let s = if *rows == 1 { "" } else { "s" };
        writeln!(out, "note: {n} ({rows} row{s})").map_err(io_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::files::tests::Failing;
    use clap::Parser;

    fn args(trips: &Path, audit: &Path, rejects: &Path) -> BusinessArgs {
        let cli = crate::cli::Cli::try_parse_from([
            "footprint".as_ref(),
            "business".as_ref(),
            trips.as_os_str(),
            "--audit".as_ref(),
            audit.as_os_str(),
            "--rejects".as_ref(),
            rejects.as_os_str(),
            "--quiet".as_ref(),
        ])
        .unwrap();
        match cli.command {
            crate::cli::Command::Business(a) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_disk_filling_up_leaves_no_audit_and_no_rejects_file() {
        let trips =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report/trips-xss.csv");
        let dir = tempfile::tempdir().unwrap();
        let (audit, rejects) = (dir.path().join("audit.csv"), dir.path().join("rejects.csv"));
        for n in [0, 1] {
            let err = business_with(
                args(&trips, &audit, &rejects),
                &mut Vec::new(),
                &Failing::write_fails(n),
            )
            .unwrap_err();
            assert!(err.message.contains("simulated"), "{}", err.message);
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert!(left.is_empty(), "file {n} failing left {left:?}");
        }
        business_with(args(&trips, &audit, &rejects), &mut Vec::new(), &Disk).unwrap();
        assert!(std::fs::read_to_string(&audit).unwrap().lines().count() > 1);
        assert!(std::fs::read_to_string(&rejects).unwrap().lines().count() > 1);
    }
}
