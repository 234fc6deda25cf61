//! `footprint inventory`, `footprint commute` and `footprint wpm`.

use super::files::{self, Disk};
use super::output::{Format, Table, json, num};
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
use mobility_footprint::wpm::{WpmReport, wpm_report};
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
        Format::Csv => result_csv(out, result),
        Format::Table => print_result(out, result, &rows.rejects),
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
        Format::Csv => wpm_csv(&mut buf, &report)?,
        Format::Table => print_wpm(&mut buf, &report)?,
    }
    match &a.out {
        Some(p) if !files::is_stdout(p) => files::write_file(&Disk, p, &buf),
        _ => out.write_all(&buf).map_err(io_err),
    }
}

fn t(kg: f64) -> String {
    num(kg / 1000.0, 1)
}

fn pct(v: f64) -> String {
    format!("{} %", num(v, 1))
}

fn interval_t(i: &Option<mobility_footprint::inventory::IntervalOut>) -> String {
    match i {
        Some(i) => format!("{} – {}", num(i.low_t, 1), num(i.high_t, 1)),
        None => String::new(),
    }
}

fn heading<W: Write>(out: &mut W, title: &str) -> Result<(), CliError> {
    writeln!(out, "\n{title}").map_err(io_err)
}

fn print_result<W: Write>(
    out: &mut W,
    r: &InventoryResult,
    rejects: &[RejectedRow],
) -> Result<(), CliError> {
    let o = &r.options;
    let title = if r.organisation.is_empty() {
        "Commuting".to_string()
    } else {
        format!("Mobility inventory {}: {}", r.year, r.organisation)
    };
    writeln!(out, "{title}").map_err(io_err)?;
    writeln!(
        out,
        "campus {}; factors {}, {}, flights {}",
        r.campus,
        o.pack,
        if o.boundary == mobility_footprint::inventory::Boundary::Wtw {
            "well-to-wheel"
        } else {
            "tank-to-wheel"
        },
        if o.include_rf {
            "with non-CO2 effects (RF)"
        } else {
            "without non-CO2 effects"
        }
    )
    .map_err(io_err)?;

    heading(out, "By GHG category (scope 3)")?;
    let with_baseline = r.baseline.is_some();
    let mut tab = Table::new(&[
        "category",
        "",
        ">t CO2e",
        ">share",
        if with_baseline { ">of baseline" } else { ">" },
        ">95 % interval (t)",
    ]);
    for c in &r.categories {
        tab.row(vec![
            format!("cat. {}", c.ghg_category),
            c.label.to_string(),
            t(c.co2e_kg),
            pct(c.share_of_total_pct),
            c.share_of_baseline_pct.map(pct).unwrap_or_default(),
            interval_t(&c.interval),
        ]);
    }
    tab.row(vec![
        "total".into(),
        String::new(),
        t(r.total.co2e_kg),
        pct(100.0),
        r.baseline
            .as_ref()
            .map(|b| pct(100.0 + b.difference_pct))
            .unwrap_or_default(),
        interval_t(&r.total.interval),
    ]);
    if let Some(tw) = &r.telework {
        tab.row(vec![
            "memo".into(),
            "avoided by telework (not subtracted)".into(),
            t(tw.avoided_co2e_kg),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    tab.write(out)?;
    if let Some(tw) = &r.telework {
        let home = match &tw.home_working {
            Some(h) => format!(
                "home working counted at {} kg CO2e per telework day ({})",
                num(h.kg_per_day, 2),
                h.source
            ),
            None => "home-working emissions not counted (no factor configured)".into(),
        };
        writeln!(
            out,
            "telework: {} days a year replace {} km of commuting; {home}",
            num(tw.telework_days, 0),
            num(tw.avoided_km, 0)
        )
        .map_err(io_err)?;
    }

    if let Some(b) = &r.baseline {
        heading(out, "Against the baseline")?;
        let share = match (b.share_of_footprint_pct, b.implied_footprint_t) {
            (Some(s), Some(f)) => format!(
                " ({} of the footprint, which implies {} t)",
                pct(s),
                num(f, 0)
            ),
            _ => String::new(),
        };
        writeln!(out, "baseline {} t CO2e{share}", num(b.co2e_t, 0)).map_err(io_err)?;
        writeln!(out, "source: {}", b.source).map_err(io_err)?;
        writeln!(
            out,
            "this inventory {} t: {}{} t ({}{}) against the baseline",
            num(b.estimate_t, 1),
            if b.difference_t >= 0.0 { "+" } else { "" },
            num(b.difference_t, 1),
            if b.difference_pct >= 0.0 { "+" } else { "" },
            pct(b.difference_pct)
        )
        .map_err(io_err)?;
        for p in &b.parts {
            writeln!(
                out,
                "  {}: {} t = {} of the baseline",
                p.label,
                num(p.co2e_t, 1),
                pct(p.share_of_baseline_pct)
            )
            .map_err(io_err)?;
        }
        if let Some(s) = b.estimate_share_of_footprint_pct {
            writeln!(
                out,
                "  the inventory is {} of the implied footprint",
                pct(s)
            )
            .map_err(io_err)?;
        }
    }

    if !r.by_mode.is_empty() {
        heading(out, "By mode")?;
        let mut tab = Table::new(&[
            "category",
            "mode",
            ">t CO2e",
            ">km",
            ">journeys",
            ">respondents",
        ]);
        for m in &r.by_mode {
            tab.row(vec![
                m.category.to_string(),
                m.mode.clone(),
                t(m.co2e_kg),
                num(m.distance_km, 0),
                m.journeys.map(|j| num(j, 0)).unwrap_or_default(),
                m.respondents.map(|n| n.to_string()).unwrap_or_default(),
            ]);
        }
        tab.write(out)?;
    }

    if !r.by_group.is_empty() {
        heading(out, "Commuting by group")?;
        let mut tab = Table::new(&[
            "group",
            "role",
            ">population",
            "unit",
            ">respondents",
            ">weight",
            ">t CO2e",
            ">kg per capita",
            ">95 % interval (t)",
        ]);
        for g in &r.by_group {
            tab.row(vec![
                g.group.clone(),
                g.role.clone(),
                num(g.population, 0),
                g.unit.clone(),
                g.respondents.to_string(),
                g.weight.map(|w| num(w, 2)).unwrap_or_default(),
                t(g.co2e_kg),
                num(g.per_capita_kg, 1),
                interval_t(&g.interval),
            ]);
        }
        tab.write(out)?;
    }

    if !r.by_department.is_empty() {
        heading(out, "Business travel by department")?;
        let mut tab = Table::new(&["department", ">t CO2e", ">passenger-km", ">journeys"]);
        for d in &r.by_department {
            tab.row(vec![
                d.department.clone(),
                t(d.co2e_kg),
                num(d.distance_km, 0),
                num(d.journeys, 0),
            ]);
        }
        tab.write(out)?;
    }

    if !r.per_capita.is_empty() {
        heading(out, "Per capita")?;
        let mut tab = Table::new(&["", ">kg CO2e", ">population", "unit"]);
        for p in &r.per_capita {
            tab.row(vec![
                p.label.clone(),
                num(p.co2e_kg, 1),
                num(p.population, 0),
                p.unit.clone(),
            ]);
        }
        tab.write(out)?;
    }

    heading(out, "Data quality")?;
    let mut tab = Table::new(&[
        "file",
        "category",
        ">read",
        ">used",
        ">rejected",
        "top reasons",
    ]);
    for f in &r.data_quality.files {
        tab.row(vec![
            f.file.clone(),
            f.category.to_string(),
            num(f.rows_read as f64, 0),
            num(f.rows_used as f64, 0),
            num(f.rows_rejected as f64, 0),
            f.top_reasons
                .iter()
                .map(|x| format!("{} ({})", x.reason, x.rows))
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    tab.write(out)?;
    let shown = 10;
    for rj in rejects.iter().take(shown) {
        writeln!(
            out,
            "  {}:{}: {}{}",
            rj.file,
            rj.line.map(|l| l.to_string()).unwrap_or_default(),
            rj.column
                .as_deref()
                .map(|c| format!("column `{c}`: "))
                .unwrap_or_default(),
            rj.message
        )
        .map_err(io_err)?;
    }
    if rejects.len() > shown {
        writeln!(
            out,
            "  ... and {} more rejected rows (--rejects FILE writes them all)",
            rejects.len() - shown
        )
        .map_err(io_err)?;
    }

    if let Some(c) = &r.commuting {
        if !c.assumptions.is_empty() || !c.privacy.is_empty() {
            heading(out, "Commuting: assumptions and privacy")?;
            for s in c.assumptions.iter().chain(&c.privacy) {
                writeln!(out, "- {s}").map_err(io_err)?;
            }
        }
    }
    if !r.notes.is_empty() {
        heading(out, "Notes")?;
        for n in &r.notes {
            writeln!(out, "- {n}").map_err(io_err)?;
        }
    }
    Ok(())
}

fn km_or_merged(v: Option<f64>) -> String {
    v.map(|k| num(k, 0)).unwrap_or_else(|| "merged".into())
}

fn print_wpm<W: Write>(out: &mut W, w: &WpmReport) -> Result<(), CliError> {
    writeln!(
        out,
        "WPM kilometres {} (Dutch employer report, RVO categories): {}",
        w.year, w.organisation
    )
    .map_err(io_err)?;
    writeln!(out).map_err(io_err)?;
    let mut tab = Table::new(&["category", ">business km", ">business €", ">commuting km"]);
    for l in &w.lines {
        tab.row(vec![
            l.label.to_string(),
            num(l.business_km, 0),
            l.business_eur.map(|e| num(e, 2)).unwrap_or_default(),
            km_or_merged(l.commuting_km),
        ]);
    }
    if let Some(m) = w.commuting_merged_km {
        tab.row(vec![
            "merged lines (too few respondents)".into(),
            String::new(),
            String::new(),
            num(m, 0),
        ]);
    }
    tab.row(vec![
        "total".into(),
        num(w.business_km, 0),
        String::new(),
        num(w.commuting_km, 0),
    ]);
    tab.write(out)?;
    writeln!(out, "\nNot part of WPM").map_err(io_err)?;
    let mut tab = Table::new(&["", ">business km", ">commuting km", "why"]);
    for e in &w.excluded {
        tab.row(vec![
            e.what.clone(),
            num(e.business_km, 0),
            e.commuting_km
                .map(|k| num(k, 0))
                .unwrap_or_else(|| "not shown".into()),
            e.reason.clone(),
        ]);
    }
    tab.write(out)?;
    writeln!(out, "\nNotes").map_err(io_err)?;
    for n in &w.notes {
        writeln!(out, "- {n}").map_err(io_err)?;
    }
    Ok(())
}

fn wpm_csv<W: Write>(out: &mut W, w: &WpmReport) -> Result<(), CliError> {
    let mut tab = Table::new(&[
        "category",
        "label",
        "business_km",
        "business_eur",
        "commuting_km",
    ]);
    let f = |v: f64| format!("{v:.3}");
    for l in &w.lines {
        tab.row(vec![
            l.category.into(),
            l.label.into(),
            f(l.business_km),
            l.business_eur.map(f).unwrap_or_default(),
            l.commuting_km.map(f).unwrap_or_else(|| "merged".into()),
        ]);
    }
    if let Some(m) = w.commuting_merged_km {
        tab.row(vec![
            "commuting_merged".into(),
            "merged lines (too few respondents)".into(),
            String::new(),
            String::new(),
            f(m),
        ]);
    }
    for e in &w.excluded {
        tab.row(vec![
            "excluded".into(),
            format!("{} ({})", e.what, e.reason),
            f(e.business_km),
            String::new(),
            e.commuting_km.map(f).unwrap_or_else(|| "not shown".into()),
        ]);
    }
    tab.write_csv(out)
}

/// Every figure of a result as one flat CSV table (section, name, category, numbers).
/// Every figure of a result as one flat CSV table (section, name, category, numbers).
fn result_csv<W: Write>(out: &mut W, r: &InventoryResult) -> Result<(), CliError> {
    /// One line of the table; what a section does not have stays empty.
    #[derive(Default)]
    struct Line {
        section: &'static str,
        name: String,
        category: String,
        co2e_kg: Option<f64>,
        distance_km: Option<f64>,
        share_of_total_pct: Option<f64>,
        share_of_baseline_pct: Option<f64>,
        interval: Option<mobility_footprint::inventory::IntervalOut>,
        population: Option<f64>,
        respondents: Option<usize>,
    }
    let mut tab = Table::new(&[
        "section",
        "name",
        "category",
        "co2e_kg",
        "distance_km",
        "share_of_total_pct",
        "share_of_baseline_pct",
        "low_kg",
        "high_kg",
        "population",
        "respondents",
    ]);
    let o = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_default();
    let mut add = |l: Line| {
        tab.row(vec![
            l.section.into(),
            l.name,
            l.category,
            o(l.co2e_kg),
            o(l.distance_km),
            o(l.share_of_total_pct),
            o(l.share_of_baseline_pct),
            o(l.interval.map(|i| i.low_kg)),
            o(l.interval.map(|i| i.high_kg)),
            o(l.population),
            l.respondents.map(|n| n.to_string()).unwrap_or_default(),
        ])
    };
    for c in &r.categories {
        add(Line {
            section: "category",
            name: c.label.into(),
            category: c.ghg_category.to_string(),
            co2e_kg: Some(c.co2e_kg),
            distance_km: Some(c.distance_km),
            share_of_total_pct: Some(c.share_of_total_pct),
            share_of_baseline_pct: c.share_of_baseline_pct,
            interval: c.interval,
            ..Line::default()
        });
    }
    add(Line {
        section: "total",
        name: "total".into(),
        co2e_kg: Some(r.total.co2e_kg),
        distance_km: Some(r.total.distance_km),
        share_of_total_pct: Some(100.0),
        share_of_baseline_pct: r.baseline.as_ref().map(|b| 100.0 + b.difference_pct),
        interval: r.total.interval,
        ..Line::default()
    });
    if let Some(t) = &r.telework {
        add(Line {
            section: "telework_avoided",
            name: "avoided by telework (memo, not in the total)".into(),
            category: "7".into(),
            co2e_kg: Some(t.avoided_co2e_kg),
            distance_km: Some(t.avoided_km),
            ..Line::default()
        });
    }
    for m in &r.by_mode {
        add(Line {
            section: "mode",
            name: m.mode.clone(),
            category: m.category.into(),
            co2e_kg: Some(m.co2e_kg),
            distance_km: Some(m.distance_km),
            respondents: m.respondents,
            ..Line::default()
        });
    }
    for g in &r.by_group {
        add(Line {
            section: "group",
            name: g.group.clone(),
            category: "commuting".into(),
            co2e_kg: Some(g.co2e_kg),
            distance_km: Some(g.distance_km),
            interval: g.interval,
            population: Some(g.population),
            respondents: Some(g.respondents),
            ..Line::default()
        });
    }
    for d in &r.by_department {
        add(Line {
            section: "department",
            name: d.department.clone(),
            category: "business".into(),
            co2e_kg: Some(d.co2e_kg),
            distance_km: Some(d.distance_km),
            ..Line::default()
        });
    }
    for p in &r.per_capita {
        add(Line {
            section: "per_capita",
            name: p.label.clone(),
            co2e_kg: Some(p.co2e_kg),
            population: Some(p.population),
            ..Line::default()
        });
    }
    tab.write_csv(out)
}
