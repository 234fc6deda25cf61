//! `footprint report`: the yearly report of an inventory (and its scenarios) as a folder of
//! files — a self-contained HTML page, Markdown, summary JSON, CSV tables, a workbook, the
//! audit trail and the rejected rows — written atomically, never over an input.

use super::files::{
    Disk, FileSystem, MANIFEST, Stream, manifest, read_manifest, refuse_overwriting_inputs,
    remove_stale, write_all_streaming,
};
use super::{CliError, inventory_cmd, io_err, scenario_cmd};
use clap::{Args, ValueEnum};
use mobility_footprint::factors::PackSet;
use mobility_footprint::inventory::{EvalOptions, Evaluated, InventoryConfig};
use mobility_footprint::report::audit::RowFile;
use mobility_footprint::report::{self, ReportFile, ReportFormat, ReportInput, ScenarioInput};
use mobility_footprint::scenario::{self, Comparison, InventoryEval, RunOptions, Scenario};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `footprint report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Inventory configuration (JSON), as for `footprint inventory`: organisation, year,
    /// baseline, factor options, business-travel exports and the commuting survey. A series
    /// file (as for `footprint trend`) instead gives the report of its latest year with the
    /// section "Since the base year".
    #[arg(value_name = "CONFIG|SERIES.json")]
    pub config: PathBuf,
    /// A series of yearly inventories (as for `footprint trend`) whose latest year is CONFIG:
    /// adds the section "Since the base year" (the scenarios' trajectory starts from that
    /// latest year).
    #[arg(long, value_name = "SERIES.json")]
    pub series: Option<PathBuf>,
    /// Scenario files (JSON, see data/scenarios/) to compare with the inventory, as
    /// `footprint scenario` does; the report then has the scenarios and the trajectory.
    #[arg(long, num_args = 1.., value_name = "SCENARIO.json")]
    pub scenarios: Vec<PathBuf>,
    /// Apply the scenarios one after the other, each to the rows the previous one left.
    #[arg(long, requires = "scenarios")]
    pub combine: bool,
    /// Last year of the trajectory (2000 to 2100).
    #[arg(long, value_name = "YEAR", default_value_t = 2030,
          value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub target_year: i32,
    /// Draw a target line in the trajectory: this % below the configured baseline (or, without
    /// one, below the inventory) by the target year.
    #[arg(long, value_name = "PCT")]
    pub target_reduction_pct: Option<f64>,
    /// Folder to write the report into [default: reports/<organisation>-<year>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// What to write, comma-separated: `html` (index.html), `md` (report.md and charts/),
    /// `json` (summary.json), `csv` (tables/, audit.csv, rejects.csv), `xlsx` (report.xlsx).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "html,md,json,csv,xlsx",
        value_name = "FORMAT[,FORMAT...]"
    )]
    pub format: Vec<FormatArg>,
    /// Generation date shown in the report (YYYY-MM-DD). Without it the report shows no date:
    /// the same inputs always give byte-identical files.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<String>,
    /// Worker threads (default: one per core). The report is the same for any number.
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Print nothing but errors (no list of files, no scenario warnings).
    #[arg(short, long)]
    pub quiet: bool,
}

/// A report format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// index.html: the self-contained page.
    Html,
    /// report.md and the charts it links (charts/*.svg).
    Md,
    /// summary.json: every number of the report.
    Json,
    /// tables/*.csv, audit.csv and rejects.csv.
    Csv,
    /// report.xlsx: one sheet per table.
    Xlsx,
}

impl FormatArg {
    fn format(self) -> ReportFormat {
        match self {
            FormatArg::Html => ReportFormat::Html,
            FormatArg::Md => ReportFormat::Markdown,
            FormatArg::Json => ReportFormat::Json,
            FormatArg::Csv => ReportFormat::Csv,
            FormatArg::Xlsx => ReportFormat::Xlsx,
        }
    }
}

/// `YYYY-MM-DD` with a real month and day.
fn parse_date(s: &str) -> Result<String, String> {
    let bad = || format!("`{s}` is not a date of the form YYYY-MM-DD");
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().map_err(|_| bad());
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days || y < 1900 {
        return Err(bad());
    }
    Ok(s.to_string())
}

/// The data files as the report names them (as `footprint inventory` does).
fn data_file_names(cfg: &InventoryConfig) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(b) = &cfg.business {
        v.extend(b.files.to_vec());
    }
    if let Some(c) = &cfg.commuting {
        v.extend(c.survey.to_vec());
    }
    v.iter().map(|p| p.display().to_string()).collect()
}

/// What `footprint scenario --format json` prints (the same fields, in the same order).
fn scenario_json(
    cfg: &InventoryConfig,
    config_path: &Path,
    cmp: &Comparison,
) -> Result<serde_json::Value, CliError> {
    // The same serde struct as `footprint scenario --format json`.
    serde_json::to_value(super::scenario_cmd::Report::new(cfg, config_path, cmp))
        .map_err(CliError::data)
}

/// The default folder: `reports/<organisation>-<year>`.
pub fn default_out(organisation: &str, year: i32) -> PathBuf {
    let slug = report::text::slug(organisation);
    let slug = if slug.is_empty() {
        "report".to_string()
    } else {
        slug
    };
    Path::new("reports").join(format!("{slug}-{year}"))
}

/// Runs `footprint report`.
pub fn report<W: Write>(a: ReportArgs, out: &mut W) -> Result<(), CliError> {
    report_with(a, out, &Disk)
}

/// The series (given as the configuration or with `--series`), its path, and the
/// configuration of the report's year (the series' latest year when the series was given).
fn series_and_config(
    a: &ReportArgs,
) -> Result<(Option<super::trend_cmd::Loaded>, Option<PathBuf>, PathBuf), CliError> {
    let given_series = super::trend_cmd::is_series(&a.config);
    let series_path = if given_series {
        Some(a.config.clone())
    } else {
        a.series.clone()
    };
    let trend = series_path
        .as_deref()
        .map(super::trend_cmd::load)
        .transpose()?;
    let config_path = match &trend {
        Some(l) if given_series => l
            .series
            .years
            .last()
            .map_or(a.config.clone(), |y| y.config.clone()),
        _ => a.config.clone(),
    };
    Ok((trend, series_path, config_path))
}

/// The trend's evaluation of its latest year, when that year is the report's configuration
/// evaluated as configured.
fn latest_of_series(
    trend: Option<&mut super::trend_cmd::Loaded>,
    config: &Path,
) -> Option<Evaluated> {
    let l = trend?;
    let same = |a: &Path| {
        a == config || matches!((a.canonicalize(), config.canonicalize()), (Ok(x), Ok(y)) if x == y)
    };
    if !l.series.years.last().is_some_and(|y| same(&y.config)) {
        return None;
    }
    l.latest.take()
}

/// The scenarios of the report compared with its inventory (as `footprint scenario`), or
/// `None` without scenario files.
fn compare_scenarios(
    a: &ReportArgs,
    scenarios: &[Scenario],
    cfg: &InventoryConfig,
    rows: &mobility_footprint::inventory::InventoryRows,
    options: &EvalOptions,
) -> Result<Option<Comparison>, CliError> {
    if scenarios.is_empty() {
        return Ok(None);
    }
    let eval = InventoryEval::new(rows, options);
    let run = RunOptions {
        combine: a.combine,
        inventory_year: cfg.year,
        target_year: a.target_year,
        configured_baseline_t: cfg.baseline.as_ref().map(|b| b.co2e_t),
        target_reduction_pct: a.target_reduction_pct,
    };
    let cmp = scenario::run(
        &eval,
        &scenario::rows_of(rows),
        PackSet::bundled(),
        scenarios,
        &run,
    )
    .map_err(CliError::data)?;
    if !a.quiet {
        scenario_cmd::print_warnings(&cmp);
    }
    Ok(Some(cmp))
}

/// The rendered files of the report in writing order after the streamed row files
/// (`row_paths`): the formats, with the manifest of every path just before the entry point
/// (the last file).
fn rendered_files(
    built: &report::Built,
    formats: &[ReportFormat],
    row_paths: &[&str],
) -> Result<Vec<ReportFile>, CliError> {
    let mut rendered = report::render(&built.model, formats).map_err(CliError::data)?;
    let paths: Vec<&str> = row_paths
        .iter()
        .copied()
        .chain(rendered.iter().map(|f| f.path.as_str()))
        .collect();
    let manifest_file = ReportFile::new(MANIFEST, manifest(&paths));
    let entry = rendered.len().saturating_sub(1);
    rendered.insert(entry, manifest_file);
    Ok(rendered)
}

/// `rel` (`/`-separated) inside `dir`.
fn target_in(dir: &Path, rel: &str) -> PathBuf {
    rel.split('/').fold(dir.to_path_buf(), |p, c| p.join(c))
}

/// Writes the report into `dir` (refusing to overwrite an input): the row files stream from
/// `rows` (with CSV) on a thread of their own while `make` builds and renders the rest, then
/// everything is renamed into place; removes what an earlier report left that this one no
/// longer writes. Returns the paths written, in writing order.
fn write_report<F>(
    fs: &dyn FileSystem,
    dir: &Path,
    rows: &[RowFile<'_>],
    inputs: &[PathBuf],
    make: F,
) -> Result<Vec<String>, CliError>
where
    F: FnOnce(&[&str]) -> Result<Vec<ReportFile>, CliError>,
{
    let previous = read_manifest(dir);
    let row_paths: Vec<&str> = rows.iter().map(|f| f.path).collect();
    let row_targets: Vec<PathBuf> = row_paths.iter().map(|p| target_in(dir, p)).collect();
    refuse_overwriting_inputs(&row_targets, inputs)?;
    let writers: Vec<_> = rows
        .iter()
        .map(|f| move |w: &mut dyn Write| f.write_to(w))
        .collect();
    let streams: Vec<(String, Stream<'_>)> = rows
        .iter()
        .zip(&writers)
        .map(|(f, w)| (f.path.to_string(), w as Stream<'_>))
        .collect();
    let written = write_all_streaming(fs, dir, &streams, || {
        let files = make(&row_paths)?;
        let targets: Vec<PathBuf> = files.iter().map(|f| target_in(dir, &f.path)).collect();
        refuse_overwriting_inputs(&targets, inputs)?;
        Ok(files.into_iter().map(|f| (f.path, f.bytes)).collect())
    })?;
    let paths: Vec<&str> = written.iter().map(String::as_str).collect();
    for p in remove_stale(fs, dir, &previous, &paths, inputs) {
        eprintln!(
            "footprint: warning: could not remove {} (left from an earlier report)",
            p.display()
        );
    }
    Ok(written)
}

/// The closing lines: the total (against the baseline) and the files written.
fn print_written<W: Write>(
    out: &mut W,
    inv: &mobility_footprint::inventory::InventoryResult,
    dir: &Path,
    files: &[String],
) -> Result<(), CliError> {
    writeln!(
        out,
        "{} {}: {} t CO2e{}",
        inv.organisation,
        inv.year,
        report::text::number(inv.total.co2e_t, 0),
        inv.baseline.as_ref().map_or(String::new(), |b| format!(
            " ({} % against the {} t baseline)",
            report::text::number(b.difference_pct, 1),
            report::text::number(b.co2e_t, 0)
        ))
    )
    .map_err(io_err)?;
    writeln!(out, "wrote {} files to {}:", files.len(), dir.display()).map_err(io_err)?;
    for f in files {
        writeln!(out, "  {f}").map_err(io_err)?;
    }
    Ok(())
}

/// What the report is made from: the arguments' files read, the rows evaluated once (the
/// inventory, the sensitivity facts, the audit trail and the report's tables read the same
/// results).
struct Prepared {
    formats: Vec<ReportFormat>,
    scenarios: Vec<Scenario>,
    trend: Option<super::trend_cmd::Loaded>,
    series_path: Option<PathBuf>,
    config_path: PathBuf,
    cfg: InventoryConfig,
    evaluated: Evaluated,
}

/// Reads the configuration, the scenarios and the series, and evaluates the rows (with a
/// series, the trend's evaluation of this year).
fn prepare(a: &ReportArgs) -> Result<Prepared, CliError> {
    scenario_cmd::check_target_reduction(a.target_reduction_pct)?;
    let formats: Vec<ReportFormat> = a.format.iter().map(|f| f.format()).collect();
    let scenarios = scenario_cmd::read_scenarios(&a.scenarios)?;
    let (mut trend, series_path, config_path) = series_and_config(a)?;
    // The same code paths as `footprint inventory` and `footprint scenario`.
    let cfg = inventory_cmd::read_config(&config_path)?;
    if let Some(l) = &trend
        && l.trend.latest_year != cfg.year
    {
        return Err(CliError::usage(format!(
            "{} is the {} inventory, but the series' latest year is {}: give the latest year's configuration",
            config_path.display(),
            cfg.year,
            l.trend.latest_year
        )));
    }
    if !scenarios.is_empty() {
        scenario_cmd::check_target_year(a.target_year, cfg.year)?;
    }
    let evaluated = match latest_of_series(trend.as_mut(), &config_path) {
        Some(e) => e,
        None => {
            let rows = inventory_cmd::load_rows(&cfg)?;
            Evaluated::of_rows(rows, EvalOptions::from_config(&cfg), PackSet::bundled())
                .map_err(CliError::data)?
        }
    };
    Ok(Prepared {
        formats,
        scenarios,
        trend,
        series_path,
        config_path,
        cfg,
        evaluated,
    })
}

/// The report's model from the evaluated rows: the sensitivity analysis, the scenarios
/// compared, the report built (with a series, its section "Since the base year").
fn build_report(a: &ReportArgs, p: &Prepared) -> Result<report::Built, CliError> {
    let Evaluated {
        rows,
        options,
        row_results: rr,
        result,
    } = &p.evaluated;
    let cfg = &p.cfg;
    // "How sure are we?": the bundled ranges, 10,000 draws, the configuration's seed.
    let sensitivity = mobility_footprint::sensitivity::analyse_summarised(
        PackSet::bundled(),
        rows,
        options,
        rr,
        result.clone(),
        &mobility_footprint::sensitivity::Options {
            draws: 10_000,
            seed: options.bootstrap.seed,
            ranges: mobility_footprint::sensitivity::Ranges::bundled(),
        },
    )
    .map_err(CliError::data)?;
    // The trajectory starts from this year (with a series: its latest year). Its target line
    // stays the configured baseline's: the series' straight target path from the base year is
    // drawn in the section "Since the base year".
    let comparison = compare_scenarios(a, &p.scenarios, cfg, rows, options)?;
    let scenario_input = match &comparison {
        Some(cmp) => Some(ScenarioInput {
            comparison: cmp,
            json: scenario_json(cfg, &p.config_path, cmp)?,
            baseline_source: cfg.baseline.as_ref().map(|b| b.source.clone()),
        }),
        None => None,
    };
    let mut input_names: Vec<String> = p
        .series_path
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    input_names.push(p.config_path.display().to_string());
    input_names.extend(data_file_names(cfg));
    input_names.extend(a.scenarios.iter().map(|p| p.display().to_string()));
    let mut built = report::build(&ReportInput {
        rows,
        options,
        inventory: result,
        row_results: Some(rr),
        packs: PackSet::bundled(),
        date: a.date.clone(),
        inputs: input_names,
        generator: format!("mobility-footprint {}", env!("CARGO_PKG_VERSION")),
        scenarios: scenario_input,
        sensitivity: Some(&sensitivity),
    })
    .map_err(CliError::data)?;
    if let Some(l) = &p.trend {
        report::trend::add_to(&mut built.model, &l.trend).map_err(CliError::data)?;
    }
    Ok(built)
}

/// Runs `footprint report` with the given file operations (tests inject failures).
///
/// The rows are evaluated once; then `audit.csv` and `rejects.csv` stream to their
/// temporary files on a thread of their own while this thread builds the report
/// ([`build_report`]) and renders it ([`rendered_files`]); every file is renamed into place
/// once all are written.
pub fn report_with<W: Write>(
    a: ReportArgs,
    out: &mut W,
    fs: &dyn FileSystem,
) -> Result<(), CliError> {
    super::set_jobs(a.jobs);
    let p = prepare(&a)?;
    let Evaluated {
        rows,
        row_results: rr,
        result,
        ..
    } = &p.evaluated;
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| default_out(&result.organisation, result.year));
    let mut inputs = super::inventory_cmd::config_inputs(&p.config_path, &p.cfg);
    inputs.extend(a.scenarios.iter().cloned());
    if let Some(l) = &p.trend {
        inputs.extend(l.inputs.iter().cloned());
    }
    let row_files = report::audit::row_files(rows, rr);
    let row_files: &[RowFile<'_>] = if p.formats.contains(&ReportFormat::Csv) {
        &row_files
    } else {
        &[]
    };
    let written = write_report(fs, &dir, row_files, &inputs, |row_paths| {
        let built = build_report(&a, &p)?;
        rendered_files(&built, &p.formats, row_paths)
    })?;
    if !a.quiet {
        print_written(out, result, &dir, &written)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(out: &Path) -> ReportArgs {
        let cfg =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report/inventory-xss.json");
        let cli = crate::cli::Cli::try_parse_from([
            "footprint".as_ref(),
            "report".as_ref(),
            cfg.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--quiet".as_ref(),
        ])
        .unwrap();
        match cli.command {
            crate::cli::Command::Report(a) => a,
            _ => unreachable!(),
        }
    }

    /// Every file under `dir`, relative.
    fn listing(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p.strip_prefix(dir).unwrap().display().to_string());
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_disk_failing_half_way_leaves_no_report_and_an_old_one_intact() {
        use crate::cli::files::tests::Failing;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        // Nothing there before: nothing there after, whichever file fails.
        for n in [0, 5, 12] {
            let err =
                report_with(args(&out), &mut Vec::new(), &Failing::write_fails(n)).unwrap_err();
            assert!(err.message.contains("simulated"), "{}", err.message);
            assert_eq!(listing(&out), Vec::<String>::new(), "write {n} failed");
        }
        // A complete report, then a failing run over it: the old report stays as it was.
        report_with(args(&out), &mut Vec::new(), &Disk).unwrap();
        let before: Vec<(String, Vec<u8>)> = listing(&out)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(out.join(&f)).unwrap();
                (f, bytes)
            })
            .collect();
        assert!(before.iter().any(|(f, _)| f == "index.html"));
        report_with(args(&out), &mut Vec::new(), &Failing::write_fails(7)).unwrap_err();
        let after: Vec<(String, Vec<u8>)> = listing(&out)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(out.join(&f)).unwrap();
                (f, bytes)
            })
            .collect();
        assert_eq!(before, after);
        // A rename failing half-way: no page, so the folder does not look complete.
        report_with(args(&out), &mut Vec::new(), &Failing::rename_fails(3)).unwrap_err();
        assert!(!out.join("index.html").exists());
        assert!(!listing(&out).iter().any(|f| f.contains(".tmp-")));
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("2026-01-15").unwrap(), "2026-01-15");
        assert!(parse_date("2024-02-29").is_ok());
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-1-5",
            "15-01-2026",
            "2026-04-31",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_folder_is_named_after_organisation_and_year() {
        assert_eq!(
            default_out("University of Twente", 2025),
            Path::new("reports/university-of-twente-2025")
        );
        assert_eq!(default_out("<>", 2025), Path::new("reports/report-2025"));
    }
}
