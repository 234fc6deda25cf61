//! `footprint trend`: a series of yearly inventories restated like for like, the change
//! since the base year split into activity and intensity, and the way to the target.

use super::files::{self, Disk};
use super::output::{Format, json};
use super::{CliError, inventory_cmd, io_err};
use clap::Args;
use mobility_footprint::chart::ChartFormat;
use mobility_footprint::csv_out;
use mobility_footprint::factors::PackSet;
use mobility_footprint::report;
use mobility_footprint::trend::{self, Series, Trend, YearInput};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `footprint trend`.
#[derive(Debug, Args)]
pub struct TrendArgs {
    /// The series file (JSON): `name`, `base_year`, optional `target`, `significance_threshold_pct`
    /// and `method`, and `years`: one inventory configuration per year (paths relative to the
    /// file), each optionally with the total `reported` at the time.
    #[arg(value_name = "SERIES.json")]
    pub series: PathBuf,
    /// Output format (`csv`: one long table, a row per figure).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Write the charts (emissions by category and mode per year, the way to the target, the
    /// activity/intensity waterfall) into this folder as SVG and PNG.
    #[arg(long, value_name = "DIR")]
    pub chart_dir: Option<PathBuf>,
    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// A series as read: the file, its years' configurations and every input it names.
pub struct Loaded {
    /// The series.
    pub series: Series,
    /// The trend.
    pub trend: Trend,
    /// Every file read (no output may be written over them).
    pub inputs: Vec<PathBuf>,
    /// The latest year's inventory as configured, when the series restates it with its own
    /// factors (`footprint report --series` reports it without evaluating it again).
    pub latest: Option<mobility_footprint::inventory::Evaluated>,
}

/// Whether a JSON file is a series file (it has `base_year` and `years`) rather than an
/// inventory configuration.
pub fn is_series(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|v| v.get("base_year").is_some() && v.get("years").is_some())
}

/// Reads a series file and its years' inputs, and evaluates the trend.
pub fn load(path: &Path) -> Result<Loaded, CliError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| CliError::data(format!("{name}: {e}")))?;
    let mut series = Series::from_json(&name, &text).map_err(CliError::data)?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    series.resolve_paths(base);
    let mut inputs = vec![path.to_path_buf()];
    let mut configs = Vec::with_capacity(series.years.len());
    for y in &series.years {
        let cfg = inventory_cmd::read_config(&y.config)?;
        inputs.extend(inventory_cmd::config_inputs(&y.config, &cfg));
        configs.push((y.config.display().to_string(), cfg));
    }
    // The years' files are read in parallel (each read is mostly one thread); the rows keep
    // the series' order.
    let years: Vec<YearInput> = configs
        .into_par_iter()
        .map(|(config_file, config)| {
            let rows = inventory_cmd::load_rows(&config)?;
            Ok(YearInput {
                config_file,
                config,
                rows,
            })
        })
        .collect::<Result<_, CliError>>()?;
    let (trend, latest) = trend::evaluate_keeping_latest(&series, years, PackSet::bundled())
        .map_err(CliError::data)?;
    Ok(Loaded {
        series,
        trend,
        inputs,
        latest,
    })
}

/// Runs `footprint trend`.
pub fn trend<W: Write>(a: TrendArgs, out: &mut W) -> Result<(), CliError> {
    super::set_jobs(a.jobs);
    let loaded = load(&a.series)?;
    let t = &loaded.trend;
    if let Some(dir) = &a.chart_dir {
        write_charts(t, dir, &loaded.inputs)?;
    }
    match a.format {
        Format::Json => json(out, t),
        Format::Csv => out.write_all(&long_csv(t)).map_err(io_err),
        Format::Table => print_tables(out, t),
    }
}

fn write_charts(t: &Trend, dir: &Path, inputs: &[PathBuf]) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::data(format!("cannot create {}: {e}", dir.display())))?;
    let mut images = Vec::new();
    for format in [ChartFormat::Svg, ChartFormat::Png] {
        for c in report::trend::charts(t, format).map_err(CliError::data)? {
            images.push((
                dir.join(format!("{}.{}", c.id, format.extension())),
                c.bytes,
            ));
        }
    }
    let outputs: Vec<(&str, &Path)> = images
        .iter()
        .map(|(p, _)| ("--chart-dir", p.as_path()))
        .collect();
    files::check_outputs(&outputs, inputs)?;
    for (path, bytes) in &images {
        files::write_file(&Disk, path, bytes)?;
    }
    Ok(())
}

fn print_tables<W: Write>(out: &mut W, t: &Trend) -> Result<(), CliError> {
    writeln!(
        out,
        "{}: {}–{}, base year {}",
        t.name,
        t.years.first().map_or(0, |y| y.year),
        t.latest_year,
        t.base_year
    )
    .map_err(io_err)?;
    writeln!(
        out,
        "method: {} ({})",
        report::trend::method_text(t),
        t.method.rule
    )
    .map_err(io_err)?;
    writeln!(
        out,
        "base-year recalculation: {}",
        t.base_year_recalculation.message
    )
    .map_err(io_err)?;
    for table in report::trend::tables(t) {
        writeln!(out, "\n{}", table.title).map_err(io_err)?;
        out.write_all(report::terminal::table(&table).as_bytes())
            .map_err(io_err)?;
    }
    Ok(())
}

/// Where a figure of the long CSV belongs: section, year or period, category, mode.
#[derive(Clone, Copy)]
struct Key<'a> {
    section: &'a str,
    year: Option<i32>,
    period: Option<(i32, i32)>,
    category: &'a str,
    mode: &'a str,
}

/// Appends one figure to the long CSV.
fn push(b: &mut Vec<u8>, k: Key<'_>, measure: &str, value: f64, unit: &str) {
    let text = |v: Option<i32>| v.map(|y| y.to_string()).unwrap_or_default();
    csv_out::push_record(
        b,
        [
            k.section,
            &text(k.year),
            &text(k.period.map(|p| p.0)),
            &text(k.period.map(|p| p.1)),
            k.category,
            k.mode,
            measure,
            &value.to_string(),
            unit,
        ],
    );
}

/// The figures of one year.
fn year_rows(b: &mut Vec<u8>, y: &trend::YearOut) {
    let k = Key {
        section: "year",
        year: Some(y.year),
        period: None,
        category: "",
        mode: "",
    };
    let t = "t CO2e";
    let mut figures = vec![
        ("restated", Some(y.co2e_t), t),
        ("as_configured", Some(y.as_configured.co2e_t), t),
        ("method_effect", Some(y.method_effect_t), t),
    ];
    if let Some(r) = &y.reported {
        figures.extend([
            ("reported", Some(r.co2e_t), t),
            ("difference_from_reported", Some(r.difference_t), t),
            ("difference_method", Some(r.method_t), t),
            ("difference_activity", Some(r.activity_t), t),
        ]);
    }
    let i = &y.intensity;
    figures.extend([
        ("target_path", y.target_path_t, t),
        ("gap_to_target_path", y.gap_to_target_path_t, t),
        ("kg_per_employee", i.kg_per_employee, "kg CO2e"),
        ("kg_per_student", i.kg_per_student, "kg CO2e"),
        ("kg_per_km", i.kg_per_km, "kg CO2e"),
        (
            "flights_under_700km_share",
            i.flights_under_700km_share_pct,
            "%",
        ),
    ]);
    for (measure, value, unit) in figures {
        if let Some(v) = value {
            push(b, k, measure, v, unit);
        }
    }
    for c in &y.cells {
        let k = Key {
            section: "cell",
            category: &c.category,
            mode: &c.mode,
            ..k
        };
        push(b, k, "co2e", c.co2e_kg, "kg CO2e");
        push(b, k, "activity", c.activity, c.activity_unit);
    }
}

/// One long table: a row per figure (`section, year, from, to, category, mode, measure, value,
/// unit`), for spreadsheets and pivot tables.
fn long_csv(t: &Trend) -> Vec<u8> {
    let mut b = Vec::new();
    csv_out::push_record(
        &mut b,
        [
            "section", "year", "from", "to", "category", "mode", "measure", "value", "unit",
        ],
    );
    for y in &t.years {
        year_rows(&mut b, y);
    }
    for c in &t.changes {
        let splits = c
            .cells
            .iter()
            .map(|x| (x.category.as_str(), x.mode.as_str(), &x.split))
            .chain(
                c.categories
                    .iter()
                    .map(|x| (x.category.as_str(), "", &x.split)),
            )
            .chain(std::iter::once(("", "", &c.total)));
        for (category, mode, s) in splits {
            let k = Key {
                section: c.kind,
                year: None,
                period: Some((c.from, c.to)),
                category,
                mode,
            };
            push(&mut b, k, "change", s.change_kg, "kg CO2e");
            push(&mut b, k, "activity_effect", s.activity_kg, "kg CO2e");
            push(&mut b, k, "intensity_effect", s.intensity_kg, "kg CO2e");
        }
    }
    b
}
