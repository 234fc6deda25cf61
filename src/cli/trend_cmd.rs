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
    let mut years = Vec::with_capacity(series.years.len());
    for y in &series.years {
        let cfg = inventory_cmd::read_config(&y.config)?;
        inputs.extend(inventory_cmd::config_inputs(&y.config, &cfg));
        let rows = inventory_cmd::load_rows(&cfg)?;
        years.push(YearInput {
            config_file: y.config.display().to_string(),
            config: cfg,
            rows,
        });
    }
    let trend = trend::evaluate(&series, years, PackSet::bundled()).map_err(CliError::data)?;
    Ok(Loaded {
        series,
        trend,
        inputs,
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
    let mut row = |section: &str,
                   year: Option<i32>,
                   period: Option<(i32, i32)>,
                   cat: &str,
                   mode: &str,
                   measure: &str,
                   value: f64,
                   unit: &str| {
        let y = year.map(|y| y.to_string()).unwrap_or_default();
        let (f, to) = period.map_or((String::new(), String::new()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
        csv_out::push_record(
            &mut b,
            [
                section,
                &y,
                &f,
                &to,
                cat,
                mode,
                measure,
                &value.to_string(),
                unit,
            ],
        );
    };
    for y in &t.years {
        let yr = Some(y.year);
        row("year", yr, None, "", "", "restated", y.co2e_t, "t CO2e");
        row(
            "year",
            yr,
            None,
            "",
            "",
            "as_configured",
            y.as_configured.co2e_t,
            "t CO2e",
        );
        row(
            "year",
            yr,
            None,
            "",
            "",
            "method_effect",
            y.method_effect_t,
            "t CO2e",
        );
        if let Some(r) = &y.reported {
            row("year", yr, None, "", "", "reported", r.co2e_t, "t CO2e");
            row(
                "year",
                yr,
                None,
                "",
                "",
                "difference_from_reported",
                r.difference_t,
                "t CO2e",
            );
            row(
                "year",
                yr,
                None,
                "",
                "",
                "difference_method",
                r.method_t,
                "t CO2e",
            );
            row(
                "year",
                yr,
                None,
                "",
                "",
                "difference_activity",
                r.activity_t,
                "t CO2e",
            );
        }
        if let Some(p) = y.target_path_t {
            row("year", yr, None, "", "", "target_path", p, "t CO2e");
        }
        if let Some(g) = y.gap_to_target_path_t {
            row("year", yr, None, "", "", "gap_to_target_path", g, "t CO2e");
        }
        let i = &y.intensity;
        for (m, v, u) in [
            ("kg_per_employee", i.kg_per_employee, "kg CO2e"),
            ("kg_per_student", i.kg_per_student, "kg CO2e"),
            ("kg_per_km", i.kg_per_km, "kg CO2e"),
            (
                "flights_under_700km_share",
                i.flights_under_700km_share_pct,
                "%",
            ),
        ] {
            if let Some(v) = v {
                row("year", yr, None, "", "", m, v, u);
            }
        }
        for c in &y.cells {
            row(
                "cell",
                yr,
                None,
                &c.category,
                &c.mode,
                "co2e",
                c.co2e_kg,
                "kg CO2e",
            );
            row(
                "cell",
                yr,
                None,
                &c.category,
                &c.mode,
                "activity",
                c.activity,
                c.activity_unit,
            );
        }
    }
    for c in &t.changes {
        let p = Some((c.from, c.to));
        for (cat, mode, s) in c
            .cells
            .iter()
            .map(|x| (x.category.as_str(), x.mode.as_str(), &x.split))
            .chain(
                c.categories
                    .iter()
                    .map(|x| (x.category.as_str(), "", &x.split)),
            )
            .chain(std::iter::once(("", "", &c.total)))
        {
            row(c.kind, None, p, cat, mode, "change", s.change_kg, "kg CO2e");
            row(
                c.kind,
                None,
                p,
                cat,
                mode,
                "activity_effect",
                s.activity_kg,
                "kg CO2e",
            );
            row(
                c.kind,
                None,
                p,
                cat,
                mode,
                "intensity_effect",
                s.intensity_kg,
                "kg CO2e",
            );
        }
    }
    b
}
