//! `footprint scenario`: reduction ideas applied to the inventory's rows, compared side by side.

use super::files::{self, Disk};
use super::output::{Format, json, write_blocks, write_flat_csv};
use super::{CliError, inventory_cmd};
use clap::Args;
use mobility_footprint::chart::ChartFormat;
use mobility_footprint::factors::PackSet;
use mobility_footprint::inventory::{EvalOptions, InventoryConfig, InventoryRows};
use mobility_footprint::report::views;
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
    /// Where the comparison comes from, for the text output's title lines.
    pub(crate) fn source(&self) -> views::ScenarioSource<'a> {
        views::ScenarioSource {
            organisation: self.organisation,
            baseline_source: self.configured_baseline_source,
        }
    }
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

/// `--target-reduction-pct` is a percentage (0 to 100).
pub(crate) fn check_target_reduction(pct: Option<f64>) -> Result<(), CliError> {
    match pct {
        Some(p) if !(p.is_finite() && (0.0..=100.0).contains(&p)) => Err(CliError::usage(format!(
            "--target-reduction-pct {p} must be between 0 and 100"
        ))),
        _ => Ok(()),
    }
}

/// `--target-year` is not before the inventory year.
pub(crate) fn check_target_year(target_year: i32, inventory_year: i32) -> Result<(), CliError> {
    if target_year < inventory_year {
        return Err(CliError::usage(format!(
            "--target-year {target_year} is before the inventory year {inventory_year}"
        )));
    }
    Ok(())
}

/// Reads and validates scenario files; more interventions in all than one run takes
/// ([`scenario::check_run_size`]) is a usage error. The number of files is checked first, so
/// thousands of paths are refused before any is read.
pub(crate) fn read_scenarios(paths: &[PathBuf]) -> Result<Vec<Scenario>, CliError> {
    if paths.len() > scenario::MAX_RUN_INTERVENTIONS {
        return Err(CliError::usage(format!(
            "{} scenario files; one run takes at most {} interventions in all: run fewer files at once",
            paths.len(),
            scenario::MAX_RUN_INTERVENTIONS
        )));
    }
    let scenarios = paths
        .iter()
        .map(|p| {
            let name = p.display().to_string();
            let text =
                std::fs::read_to_string(p).map_err(|e| CliError::data(format!("{name}: {e}")))?;
            scenario::parse(&name, &text).map_err(CliError::data)
        })
        .collect::<Result<Vec<_>, _>>()?;
    scenario::check_run_size(&scenarios).map_err(CliError::usage)?;
    Ok(scenarios)
}

/// Every scenario's warnings on standard error.
pub(crate) fn print_warnings(cmp: &Comparison) {
    for s in &cmp.scenarios {
        for w in &s.warnings {
            eprintln!("footprint: warning: {w}");
        }
    }
}

/// Runs `footprint scenario`.
pub fn scenario<W: Write>(a: ScenarioArgs, out: &mut W) -> Result<(), CliError> {
    super::set_jobs(a.jobs);
    check_target_reduction(a.target_reduction_pct)?;
    let scenarios = read_scenarios(&a.scenarios)?;
    let (cfg, rows) = load_inventory(&a.inventory)?;
    check_target_year(a.target_year, cfg.year)?;
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
        print_warnings(&cmp);
    }
    if let Some(dir) = &a.chart_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::data(format!("{}: {e}", dir.display())))?;
        let base = eval
            .evaluate(&all_rows, PackSet::bundled())
            .map_err(CliError::data)?;
        let journeys = charts::journey_points(&all_rows, &base.rows);
        let campus_name = rows.campus.name.as_str();
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
        Format::Csv => write_flat_csv(out, &views::scenarios_flat(&cmp)),
        Format::Table => write_blocks(out, &views::scenarios(&cmp, report.source())),
    }
}
