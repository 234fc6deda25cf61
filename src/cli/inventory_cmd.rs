//! `footprint inventory`, `footprint commute` and `footprint wpm`.

use super::files::{self, Disk};
use super::output::{Format, json, write_blocks, write_flat_csv};
use super::{CliError, io_err};
use clap::Args;
use mobility_footprint::commute::HomeWorking;
use mobility_footprint::csv_out;
use mobility_footprint::factors::PackSet;
use mobility_footprint::input::{InputOptions, InputReader};
use mobility_footprint::inventory::{
    BootstrapConfig, ColumnsConfig, CommutingConfig, EvalOptions, GroupConfig, Inputs,
    InventoryConfig, InventoryResult, InventoryRows, Paths, RejectedRow, evaluate_rows,
    evaluate_with, extrapolation, load,
};
use mobility_footprint::places::Gazetteer;
use mobility_footprint::report::views;
use mobility_footprint::wpm::wpm_report;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

fn read_text(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::data(format!("{}: {e}", path.display())))
}

/// Reads a configuration and makes its paths relative to its folder.
pub fn read_config(path: &Path) -> Result<InventoryConfig, CliError> {
    let text = read_text(path)?;
    let mut cfg =
        InventoryConfig::from_json(&path.display().to_string(), &text).map_err(CliError::data)?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    cfg.resolve_paths(base);
    if let Some(r) = super::flight_bands() {
        cfg.factors.flight_bands = r;
    }
    Ok(cfg)
}

fn column_map(
    c: &Option<ColumnsConfig>,
) -> Result<Option<mobility_footprint::input::ColumnMap>, CliError> {
    c.as_ref()
        .map(|c| {
            c.column_map(&mut |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}")))
                .map_err(CliError::data)
        })
        .transpose()
}

fn open_all(paths: &Paths, sheet: &Option<String>) -> Result<Vec<InputReader>, CliError> {
    let opts = InputOptions {
        sheet: sheet.clone(),
        ..InputOptions::default()
    };
    paths
        .to_vec()
        .iter()
        .map(|p| InputReader::open(p, &opts).map_err(CliError::data))
        .collect()
}

/// Reads every input of a configuration into rows.
pub fn load_rows(cfg: &InventoryConfig) -> Result<InventoryRows, CliError> {
    // The run's gazetteer (with a global --aliases file), plus the configuration's aliases.
    let base = super::places();
    let gazetteer = match &cfg.aliases {
        Some(p) => {
            let text = read_text(p)?;
            let mut g: Gazetteer = base.clone();
            g.add_aliases_tsv(&text)
                .map_err(|e| CliError::data(format!("{}: {e}", p.display())))?;
            Cow::Owned(g)
        }
        None => Cow::Borrowed(base),
    };
    let mut inputs = Inputs::default();
    if let Some(b) = &cfg.business {
        inputs.business_columns = column_map(&b.columns)?;
        inputs.business = open_all(&b.files, &b.sheet)?;
    }
    if let Some(c) = &cfg.commuting {
        inputs.survey_columns = column_map(&c.columns)?;
        inputs.survey = open_all(&c.survey, &c.sheet)?;
    }
    load(cfg, &gazetteer, PackSet::bundled(), inputs).map_err(CliError::data)
}

/// Bootstrap overrides shared by `inventory` and `commute`.
#[derive(Debug, Args, Clone)]
pub struct BootstrapArgs {
    /// Bootstrap seed (overrides the configuration). The same seed gives the same interval.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Bootstrap iterations (overrides the configuration; 0 turns the interval off; at most
    /// 1,000,000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub iterations: Option<u32>,
}

impl BootstrapArgs {
    fn apply(&self, opts: &mut EvalOptions) {
        if let Some(s) = self.seed {
            opts.bootstrap.seed = s;
        }
        if let Some(i) = self.iterations {
            opts.bootstrap.iterations = i;
        }
    }
}

/// Arguments of `footprint inventory`.
#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// The inventory configuration (JSON); paths in it are relative to it.
    #[arg(value_name = "CONFIG")]
    pub config: PathBuf,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
    /// Write every rejected input row (CSV): category, file, line, reason, column, value, message.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Output format (`csv`: one flat table of every section).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// Arguments of `footprint commute`.
#[derive(Debug, Args)]
pub struct CommuteArgs {
    /// Survey files: CSV/TSV (sniffed), Excel .xlsx or JSON; one row per respondent.
    #[arg(required = true, value_name = "SURVEY")]
    pub survey: Vec<PathBuf>,
    /// Population per group (JSON): `{"groups": {"staff": {"population": 3300, "unit": "fte",
    /// "weeks_per_year": 43, "role": "staff"}, ...}}`, optionally with `assume`,
    /// `min_cell_size`, `bootstrap` and `home_working` as in the inventory configuration.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "config",
        required_unless_present = "config"
    )]
    pub population: Option<PathBuf>,
    /// Take the groups, campus, factors and settings from an inventory configuration.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Campus (any place; default `ut` or the configuration's).
    #[arg(long, value_name = "PLACE")]
    pub campus: Option<String>,
    /// Column map: a JSON file or a preset.
    #[arg(long, value_name = "MAP.json|PRESET")]
    pub columns: Option<String>,
    /// Sheet of an Excel workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
    /// Write every rejected row (CSV).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Output format (`csv`: one flat table of every section).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Arguments of `footprint wpm`.
#[derive(Debug, Args)]
pub struct WpmArgs {
    /// The inventory configuration (JSON).
    #[arg(value_name = "CONFIG")]
    pub config: PathBuf,
    /// Write the table to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// The `--population` file of `footprint commute`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PopulationFile {
    groups: BTreeMap<String, GroupConfig>,
    #[serde(default)]
    assume: BTreeMap<String, String>,
    #[serde(default)]
    min_cell_size: Option<usize>,
    #[serde(default)]
    bootstrap: Option<BootstrapConfig>,
    #[serde(default)]
    home_working: Option<HomeWorking>,
}

/// The files a configuration reads: itself, the global `--aliases` file, its aliases and
/// column maps, exports and surveys (no output may be written over them).
pub(crate) fn config_inputs(path: &Path, cfg: &InventoryConfig) -> Vec<PathBuf> {
    let mut v = vec![path.to_path_buf()];
    v.extend(super::aliases_file().map(Path::to_path_buf));
    v.extend(cfg.aliases.clone());
    if let Some(b) = &cfg.business {
        v.extend(b.files.to_vec());
        v.extend(b.columns.as_ref().and_then(|c| c.file()).map(PathBuf::from));
    }
    if let Some(c) = &cfg.commuting {
        v.extend(c.survey.to_vec());
        v.extend(c.columns.as_ref().and_then(|c| c.file()).map(PathBuf::from));
    }
    v
}

/// The `--rejects` CSV of `inventory` and `commute`.
fn rejects_csv(rejects: &[RejectedRow]) -> Vec<u8> {
    let mut bytes = Vec::new();
    csv_out::push_record(
        &mut bytes,
        [
            "category", "file", "line", "reason", "column", "value", "message",
        ],
    );
    for r in rejects {
        csv_out::push_record(
            &mut bytes,
            [
                r.category,
                &r.file,
                &r.line.map(|l| l.to_string()).unwrap_or_default(),
                &r.reason,
                r.column.as_deref().unwrap_or(""),
                r.value.as_deref().unwrap_or(""),
                &r.message,
            ],
        );
    }
    bytes
}

fn evaluate_cli(rows: &InventoryRows, opts: &EvalOptions) -> Result<InventoryResult, CliError> {
    evaluate_with(PackSet::bundled(), rows, opts).map_err(CliError::data)
}

/// Loads the rows of `cfg`, evaluates them, writes the rejects file if asked and prints the
/// result: the common end of `footprint inventory` and `footprint commute`.
fn evaluate_and_print<W: Write>(
    cfg: &InventoryConfig,
    bootstrap: &BootstrapArgs,
    rejects: Option<&std::path::Path>,
    format: Format,
    out: &mut W,
) -> Result<(), CliError> {
    let rows = load_rows(cfg)?;
    let mut opts = EvalOptions::from_config(cfg);
    bootstrap.apply(&mut opts);
    let result = evaluate_cli(&rows, &opts)?;
    if let Some(p) = rejects {
        let bytes = rejects_csv(&rows.rejects);
        if files::is_stdout(p) {
            // `--rejects -`: the rejects are the standard output, the result goes to stderr.
            out.write_all(&bytes).map_err(io_err)?;
            return print_inventory(&mut std::io::stderr().lock(), &result, &rows, format);
        }
        files::write_file(&Disk, p, &bytes)?;
    }
    print_inventory(out, &result, &rows, format)
}

fn print_inventory<W: Write>(
    out: &mut W,
    result: &InventoryResult,
    rows: &InventoryRows,
    format: Format,
) -> Result<(), CliError> {
    match format {
        Format::Json => json(out, result),
        Format::Csv => write_flat_csv(out, &views::inventory_flat(result)),
        Format::Table => write_blocks(out, &views::inventory(result, &rows.rejects)),
    }
}

/// Runs `footprint inventory`.
pub fn inventory<W: Write>(a: InventoryArgs, out: &mut W) -> Result<(), CliError> {
    super::set_jobs(a.jobs);
    let cfg = read_config(&a.config)?;
    if let Some(r) = &a.rejects {
        files::check_outputs(&[("--rejects", r)], &config_inputs(&a.config, &cfg))?;
    }
    evaluate_and_print(&cfg, &a.bootstrap, a.rejects.as_deref(), a.format, out)
}

/// Runs `footprint commute`.
pub fn commute<W: Write>(a: CommuteArgs, out: &mut W) -> Result<(), CliError> {
    let survey = Paths::Many(a.survey.clone());
    let columns = a.columns.clone().map(ColumnsConfig::Name);
    let mut inputs: Vec<PathBuf> = a.survey.clone();
    inputs.extend(a.population.clone());
    inputs.extend(super::aliases_file().map(Path::to_path_buf));
    inputs.extend(a.columns.iter().map(PathBuf::from));
    let mut cfg = match (&a.config, &a.population) {
        (Some(c), _) => {
            let mut cfg = read_config(c)?;
            inputs.extend(config_inputs(c, &cfg));
            let Some(com) = cfg.commuting.as_mut() else {
                return Err(CliError::data(format!(
                    "{}: no `commuting` section with the population per group",
                    c.display()
                )));
            };
            com.survey = survey;
            if columns.is_some() {
                com.columns = columns;
            }
            if a.sheet.is_some() {
                com.sheet = a.sheet.clone();
            }
            cfg.business = None;
            cfg
        }
        (None, Some(p)) => {
            let text = read_text(p)?;
            let de = &mut serde_json::Deserializer::from_str(&text);
            let pf: PopulationFile = serde_path_to_error::deserialize(de).map_err(|e| {
                CliError::data(format!("{}: `{}`: {}", p.display(), e.path(), e.inner()))
            })?;
            let text = serde_json::json!({
                "organisation": "",
                "year": 0,
                "commuting": CommutingConfig {
                    survey,
                    columns,
                    sheet: a.sheet.clone(),
                    groups: pf.groups,
                    assume: pf.assume,
                    min_cell_size: pf.min_cell_size.unwrap_or(mobility_footprint::inventory::DEFAULT_MIN_CELL_SIZE),
                    bootstrap: pf.bootstrap.unwrap_or_default(),
                    home_working: pf.home_working,
                },
            })
            .to_string();
            InventoryConfig::from_json(&p.display().to_string(), &text).map_err(CliError::data)?
        }
        (None, None) => {
            return Err(CliError::usage("give --population FILE or --config FILE"));
        }
    };
    if let Some(c) = &a.campus {
        cfg.campus = c.clone();
    }
    if let Some(r) = &a.rejects {
        files::check_outputs(&[("--rejects", r)], &inputs)?;
    }
    evaluate_and_print(&cfg, &a.bootstrap, a.rejects.as_deref(), a.format, out)
}

/// Runs `footprint wpm`.
pub fn wpm<W: Write>(a: WpmArgs, out: &mut W) -> Result<(), CliError> {
    let cfg = read_config(&a.config)?;
    if let Some(p) = &a.out {
        files::check_outputs(&[("--out", p)], &config_inputs(&a.config, &cfg))?;
    }
    let rows = load_rows(&cfg)?;
    let opts = EvalOptions::from_config(&cfg);
    let rr = evaluate_rows(PackSet::bundled(), &rows, &opts).map_err(CliError::data)?;
    let weights = extrapolation(&rows).map_err(CliError::data)?;
    let report = wpm_report(&rows, &rr, &weights, opts.min_cell_size);
    let mut buf = Vec::new();
    match a.format {
        Format::Json => json(&mut buf, &report)?,
        Format::Csv => write_flat_csv(&mut buf, &views::wpm_flat(&report))?,
        Format::Table => write_blocks(&mut buf, &views::wpm(&report))?,
    }
    match &a.out {
        Some(p) if !files::is_stdout(p) => files::write_file(&Disk, p, &buf),
        _ => out.write_all(&buf).map_err(io_err),
    }
}
