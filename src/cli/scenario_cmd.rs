//! `footprint scenario`: reduction ideas applied to the inventory's rows, compared side by side.

use super::files::{self, Disk};
use super::output::{Format, Table, json, num};
use super::{CliError, inventory_cmd, io_err};
use clap::Args;
use mobility_footprint::chart::ChartFormat;
use mobility_footprint::factors::PackSet;
use mobility_footprint::inventory::{EvalOptions, InventoryConfig, InventoryRows};
use mobility_footprint::scenario::{
    self, Comparison, Evaluate, InventoryEval, RunOptions, Scenario, charts,
};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `footprint scenario`.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario files (JSON; schema and examples in data/scenarios/).
    #[arg(required = true, value_name = "SCENARIO.json")]
    pub scenarios: Vec<PathBuf>,
    /// The inventory configuration the scenarios act on (see `footprint inventory`).
    #[arg(long, value_name = "CONFIG.json")]
    pub inventory: PathBuf,
    /// Apply the scenarios one after the other (each to the rows the previous one left) and
    /// show each one's marginal contribution, instead of each on its own.
    #[arg(long)]
    pub combine: bool,
    /// Write the charts into this folder (created if needed).
    #[arg(long, value_name = "DIR")]
    pub chart_dir: Option<PathBuf>,
    /// Chart format.
    #[arg(long, value_name = "svg|png", default_value = "svg", value_parser = parse_chart_format)]
    pub chart_format: ChartFormat,
    /// Last year of the trajectory (2000 to 2100).
    #[arg(long, value_name = "YEAR", default_value_t = 2030,
          value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub target_year: i32,
    /// Draw a target line: this % below the configured baseline (or, without one, below
    /// the inventory) by the target year.
    #[arg(long, value_name = "PCT")]
    pub target_reduction_pct: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// No warnings or notes on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

fn parse_chart_format(s: &str) -> Result<ChartFormat, String> {
    s.parse()
        .map_err(|e: mobility_footprint::chart::ChartError| e.to_string())
}

/// The scenario JSON: what `scenario --format json` prints and what the report embeds in
/// `summary.json` (`results.scenarios`): the comparison plus where it came from.
#[derive(Debug, Serialize)]
pub(crate) struct Report<'a> {
    pub(crate) organisation: &'a str,
    pub(crate) inventory_file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) configured_baseline_source: Option<&'a str>,
    #[serde(flatten)]
    pub(crate) comparison: &'a Comparison,
}

impl<'a> Report<'a> {
    /// The scenario JSON of `cmp`, run on the configuration `cfg` read from `config_path`.
    pub(crate) fn new(cfg: &'a InventoryConfig, config_path: &Path, cmp: &'a Comparison) -> Self {
        Report {
            organisation: &cfg.organisation,
            inventory_file: config_path.display().to_string(),
            configured_baseline_source: cfg.baseline.as_ref().map(|b| b.source.as_str()),
            comparison: cmp,
        }
    }
}

/// Reads an inventory configuration and its input files into rows, as `footprint inventory`.
fn load_inventory(path: &Path) -> Result<(InventoryConfig, InventoryRows), CliError> {
    let cfg = inventory_cmd::read_config(path)?;
    let rows = inventory_cmd::load_rows(&cfg)?;
    Ok((cfg, rows))
}

/// Runs `footprint scenario`.
pub fn scenario<W: Write>(a: ScenarioArgs, out: &mut W) -> Result<(), CliError> {
    super::set_jobs(a.jobs);
    if let Some(p) = a.target_reduction_pct
        && !(p.is_finite() && (0.0..=100.0).contains(&p))
    {
        return Err(CliError::usage(format!(
            "--target-reduction-pct {p} must be between 0 and 100"
        )));
    }
    let mut scenarios: Vec<Scenario> = Vec::with_capacity(a.scenarios.len());
    for p in &a.scenarios {
        let name = p.display().to_string();
        let text =
            std::fs::read_to_string(p).map_err(|e| CliError::data(format!("{name}: {e}")))?;
        scenarios.push(scenario::parse(&name, &text).map_err(CliError::data)?);
    }
    let (cfg, rows) = load_inventory(&a.inventory)?;
    if a.target_year < cfg.year {
        return Err(CliError::usage(format!(
            "--target-year {} is before the inventory year {}",
            a.target_year, cfg.year
        )));
    }
    let eval_opts = EvalOptions::from_config(&cfg);
    let eval = InventoryEval::new(&rows, &eval_opts);
    let all_rows = scenario::rows_of(&rows);
    let opts = RunOptions {
        combine: a.combine,
        inventory_year: cfg.year,
        target_year: a.target_year,
        configured_baseline_t: cfg.baseline.as_ref().map(|b| b.co2e_t),
        target_reduction_pct: a.target_reduction_pct,
    };
    let cmp = scenario::run(&eval, &all_rows, PackSet::bundled(), &scenarios, &opts)
        .map_err(CliError::data)?;
    if !a.quiet {
        for s in &cmp.scenarios {
            for w in &s.warnings {
                eprintln!("footprint: warning: {w}");
            }
        }
    }
    if let Some(dir) = &a.chart_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::data(format!("{}: {e}", dir.display())))?;
        let base = eval
            .evaluate(&all_rows, PackSet::bundled())
            .map_err(CliError::data)?;
        let journeys = charts::journey_points(&all_rows, &base.rows);
        let campus_name = rows.campus.label.split(" (").next().unwrap_or("campus");
        let campus = (
            campus_name,
            rows.campus.position.lat_deg,
            rows.campus.position.lon_deg,
        );
        let images =
            charts::render_all(&cmp, &journeys, campus, a.chart_format).map_err(CliError::data)?;
        let paths: Vec<PathBuf> = images
            .iter()
            .map(|(stem, _)| dir.join(format!("{stem}.{}", a.chart_format.extension())))
            .collect();
        let mut inputs = inventory_cmd::config_inputs(&a.inventory, &cfg);
        inputs.extend(a.scenarios.iter().cloned());
        let outputs: Vec<(&str, &Path)> =
            paths.iter().map(|p| ("--chart-dir", p.as_path())).collect();
        files::check_outputs(&outputs, &inputs)?;
        for (path, (_, bytes)) in paths.iter().zip(&images) {
            files::write_file(&Disk, path, bytes)?;
        }
        if !a.quiet {
            eprintln!(
                "footprint: wrote {} charts to {}",
                images.len(),
                dir.display()
            );
        }
    }
    let report = Report::new(&cfg, &a.inventory, &cmp);
    match a.format {
        Format::Json => json(out, &report),
        Format::Csv => csv_table(&cmp).write_csv(out),
        Format::Table => write_table(&report, out),
    }
}

fn pct(v: f64) -> String {
    format!("{} %", num(v, 1))
}

fn csv_table(c: &Comparison) -> Table {
    let mut t = Table::new(&[
        "scenario",
        "step",
        "type",
        "total_t",
        "saving_t",
        "saving_pct",
        "rebound_t",
        "business_t",
        "commuting_t",
        "business_trips_affected",
        "commuters_affected",
        "rows_matched",
        "rows_changed",
        "file",
    ]);
    let cat = |m: &std::collections::BTreeMap<String, f64>, k: &str| {
        format!("{:.3}", m.get(k).copied().unwrap_or(0.0))
    };
    t.row(vec![
        format!("Inventory {}", c.inventory_year),
        String::new(),
        "inventory".into(),
        format!("{:.3}", c.baseline.total_t),
        "0.000".into(),
        "0.00".into(),
        String::new(),
        cat(&c.baseline.by_category_t, "business"),
        cat(&c.baseline.by_category_t, "commuting"),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    for s in &c.scenarios {
        t.row(vec![
            s.name.clone(),
            String::new(),
            "scenario".into(),
            format!("{:.3}", s.totals.total_t),
            format!("{:.3}", s.saving_t),
            format!("{:.2}", s.saving_pct),
            format!("{:.3}", s.steps.iter().map(|x| x.rebound_t).sum::<f64>()),
            cat(&s.totals.by_category_t, "business"),
            cat(&s.totals.by_category_t, "commuting"),
            format!("{:.1}", s.business_trips_affected),
            format!("{:.1}", s.commuters_affected),
            String::new(),
            String::new(),
            s.file.clone(),
        ]);
        for st in &s.steps {
            t.row(vec![
                s.name.clone(),
                st.label.clone(),
                st.kind.to_string(),
                format!("{:.3}", st.total_after_t),
                format!("{:.3}", st.saving_t),
                String::new(),
                format!("{:.3}", st.rebound_t),
                String::new(),
                String::new(),
                format!("{:.1}", st.business_trips_affected),
                format!("{:.1}", st.commuters_affected),
                st.rows_matched.to_string(),
                st.rows_changed.to_string(),
                s.file.clone(),
            ]);
        }
    }
    t
}

fn write_table<W: Write>(r: &Report<'_>, out: &mut W) -> Result<(), CliError> {
    let c = r.comparison;
    let mut w = |line: String| writeln!(out, "{line}").map_err(io_err);
    w(format!(
        "Scenarios for {}, inventory {} (pack {}), {}",
        r.organisation,
        c.inventory_year,
        c.pack,
        if c.mode == "combined" {
            "combined: each scenario applied to the rows the previous one left"
        } else {
            "each scenario on its own"
        }
    ))?;
    let mut basis = format!(
        "Savings are measured against the inventory's computed total, {} t CO2e.",
        num(c.baseline.total_t, 1)
    );
    if let Some(b) = c.configured_baseline_t {
        basis.push_str(&format!(
            " The configured baseline, {} t{}, is shown for reference (column `vs baseline`).",
            num(b, 0),
            r.configured_baseline_source
                .map(|s| format!(" ({s})"))
                .unwrap_or_default()
        ));
    }
    w(basis)?;
    w(String::new())?;
    let mut header = vec![
        "scenario",
        ">total t",
        ">saving t",
        ">saving",
        ">business t",
        ">commuting t",
        ">journey changes",
        ">commuter changes",
    ];
    if c.configured_baseline_t.is_some() {
        header.insert(4, ">vs baseline");
    }
    let mut t = Table::new(&header);
    let cat = |m: &std::collections::BTreeMap<String, f64>, k: &str| {
        num(m.get(k).copied().unwrap_or(0.0), 1)
    };
    let vs = |total: f64| {
        c.configured_baseline_t
            .map(|b| pct(100.0 * (total - b) / b))
    };
    let mut first = vec![
        format!("Inventory {} (computed)", c.inventory_year),
        num(c.baseline.total_t, 1),
        "—".into(),
        "—".into(),
        cat(&c.baseline.by_category_t, "business"),
        cat(&c.baseline.by_category_t, "commuting"),
        String::new(),
        String::new(),
    ];
    if let Some(v) = vs(c.baseline.total_t) {
        first.insert(4, v);
    }
    t.row(first);
    for (i, s) in c.scenarios.iter().enumerate() {
        let label = if c.mode == "combined" && i > 0 {
            format!("+ {}", s.name)
        } else {
            s.name.clone()
        };
        let mut row = vec![
            label,
            num(s.totals.total_t, 1),
            num(s.saving_t, 1),
            pct(s.saving_pct),
            cat(&s.totals.by_category_t, "business"),
            cat(&s.totals.by_category_t, "commuting"),
            num(s.business_trips_affected, 0),
            num(s.commuters_affected, 0),
        ];
        if let Some(v) = vs(s.totals.total_t) {
            row.insert(4, v);
        }
        t.row(row);
    }
    t.write(out)?;
    for s in &c.scenarios {
        writeln!(out).map_err(io_err)?;
        let ramp = format!(
            "adoption {}–{}{}",
            s.adoption.start_year,
            s.adoption.full_effect_year,
            if s.adoption_assumed {
                " (none given: full effect the year after the inventory)"
            } else {
                ""
            }
        );
        writeln!(out, "{} ({}; {ramp})", s.name, s.file).map_err(io_err)?;
        if c.mode == "combined" {
            writeln!(
                out,
                "  starts from: {}; marginal saving {} t",
                s.starts_from,
                num(s.marginal_saving_t, 1)
            )
            .map_err(io_err)?;
        }
        let mut st = Table::new(&[
            "  intervention",
            "type",
            ">rows matched",
            ">changed",
            ">journeys",
            ">commuters",
            ">saving t",
            ">rebound t",
            ">total after t",
        ]);
        for x in &s.steps {
            st.row(vec![
                format!("  {}", x.label),
                x.kind.to_string(),
                x.rows_matched.to_string(),
                x.rows_changed.to_string(),
                num(x.business_trips_affected, 0),
                num(x.commuters_affected, 0),
                num(x.saving_t, 1),
                if x.rebound_share > 0.0 {
                    num(x.rebound_t, 1)
                } else {
                    "—".into()
                },
                num(x.total_after_t, 1),
            ]);
        }
        if !s.steps.is_empty() {
            st.write(out)?;
        }
        let by_mode: Vec<String> = s
            .saving_by_mode_t
            .iter()
            .filter(|(_, v)| v.abs() >= 0.05)
            .map(|(k, v)| format!("{k} {}", num(*v, 1)))
            .collect();
        if !by_mode.is_empty() {
            writeln!(
                out,
                "  saving by mode, t (negative: the mode gains): {}",
                by_mode.join(", ")
            )
            .map_err(io_err)?;
        }
        for warning in &s.warnings {
            writeln!(out, "  warning: {warning}").map_err(io_err)?;
        }
    }
    let tr = &c.trajectory;
    writeln!(out).map_err(io_err)?;
    writeln!(
        out,
        "Trajectory {}–{}, t CO2e ({})",
        tr.from_year, tr.to_year, tr.method
    )
    .map_err(io_err)?;
    let years: Vec<String> = (tr.from_year..=tr.to_year)
        .map(|y| format!(">{y}"))
        .collect();
    let mut header: Vec<&str> = vec!["line"];
    header.extend(years.iter().map(String::as_str));
    let mut tt = Table::new(&header);
    for s in tr.series.iter().chain(&tr.target) {
        let mut row = vec![s.label.clone()];
        for y in tr.from_year..=tr.to_year {
            row.push(match s.points.iter().find(|p| p.0 == y) {
                Some(p) => num(p.1, 0),
                None => String::new(),
            });
        }
        tt.row(row);
    }
    tt.write(out)
}
