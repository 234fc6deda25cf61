//! `footprint report`: the yearly report of an inventory (and its scenarios) as a folder of
//! files — a self-contained HTML page, Markdown, summary JSON, CSV tables, a workbook, the
//! audit trail and the rejected rows — written atomically, never over an input.

use super::files::{Disk, FileSystem, refuse_overwriting_inputs, write_all};
use super::{CliError, io_err};
use clap::{Args, ValueEnum};
use mobility_footprint::factors::PackSet;
use mobility_footprint::input::{InputOptions, InputReader};
use mobility_footprint::inventory::{
    EvalOptions, Inputs, InventoryConfig, InventoryResult, InventoryRows, evaluate_with, load,
};
use mobility_footprint::report::{self, ReportFile, ReportFormat, ReportInput};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Arguments of `footprint report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Inventory configuration (JSON), as for `footprint inventory`: organisation, year,
    /// baseline, factor options, business-travel exports and the commuting survey.
    #[arg(value_name = "CONFIG")]
    pub config: PathBuf,
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
    /// Print nothing but errors.
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

/// An inventory configuration read, loaded and evaluated.
pub struct Loaded {
    /// Its rows.
    pub rows: InventoryRows,
    /// The options they are evaluated with.
    pub options: EvalOptions,
    /// The result.
    pub result: InventoryResult,
    /// Every file read: the configuration, column maps, exports and surveys.
    pub inputs: Vec<PathBuf>,
    /// Input names as the configuration writes them, for the report's provenance line.
    pub input_names: Vec<String>,
}

/// Reads a configuration and everything it names, and evaluates the inventory.
pub fn load_inventory(path: &Path) -> Result<Loaded, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::data(format!("cannot read {}: {e}", path.display())))?;
    let mut config =
        InventoryConfig::from_json(&path.display().to_string(), &text).map_err(CliError::data)?;
    // Files are named in every output as the configuration writes them (relative to it), so
    // that the report does not depend on the folder the command runs in.
    let data_files = |c: &InventoryConfig| -> Vec<PathBuf> {
        let mut v = Vec::new();
        if let Some(b) = &c.business {
            v.extend(b.files.to_vec());
        }
        if let Some(s) = &c.commuting {
            v.extend(s.survey.to_vec());
        }
        v
    };
    let written: Vec<String> = data_files(&config)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let base = path.parent().unwrap_or(Path::new("."));
    config.resolve_paths(base);
    let names: BTreeMap<String, String> = data_files(&config)
        .iter()
        .map(|p| p.display().to_string())
        .zip(written.iter().cloned())
        .collect();
    let mut input_names = vec![file_name(path)];
    input_names.extend(written);
    let mut inputs = vec![path.to_path_buf()];
    let mut read_map = |p: &str| -> Result<String, String> {
        inputs.push(PathBuf::from(p));
        std::fs::read_to_string(p).map_err(|e| format!("cannot read column map {p}: {e}"))
    };
    let mut opened = Inputs::default();
    if let Some(b) = &config.business {
        opened.business_columns = b
            .columns
            .as_ref()
            .map(|c| c.column_map(&mut read_map))
            .transpose()
            .map_err(CliError::data)?;
    }
    if let Some(c) = &config.commuting {
        opened.survey_columns = c
            .columns
            .as_ref()
            .map(|c| c.column_map(&mut read_map))
            .transpose()
            .map_err(CliError::data)?;
    }
    let open = |files: Vec<PathBuf>, sheet: &Option<String>, inputs: &mut Vec<PathBuf>| {
        let opts = InputOptions {
            sheet: sheet.clone(),
            ..InputOptions::default()
        };
        files
            .into_iter()
            .map(|f| {
                inputs.push(f.clone());
                InputReader::open(&f, &opts).map_err(CliError::data)
            })
            .collect::<Result<Vec<_>, _>>()
    };
    if let Some(b) = &config.business {
        opened.business = open(b.files.to_vec(), &b.sheet, &mut inputs)?;
    }
    if let Some(c) = &config.commuting {
        opened.survey = open(c.survey.to_vec(), &c.sheet, &mut inputs)?;
    }
    let mut rows = load(&config, super::places(), PackSet::bundled(), opened)?;
    rename_files(&mut rows, &names);
    let options = EvalOptions::from_config(&config);
    let result = evaluate_with(PackSet::bundled(), &rows, &options).map_err(CliError::data)?;
    Ok(Loaded {
        rows,
        options,
        result,
        inputs,
        input_names,
    })
}

/// Renames input files in rows, quality and rejects (`names`: opened path → name to show).
fn rename_files(rows: &mut InventoryRows, names: &BTreeMap<String, String>) {
    let arc = |f: &mut Arc<str>| {
        if let Some(n) = names.get(&**f) {
            *f = Arc::from(n.as_str());
        }
    };
    let string = |f: &mut String| {
        if let Some(n) = names.get(f.as_str()) {
            f.clone_from(n);
        }
    };
    rows.business.iter_mut().for_each(|j| arc(&mut j.file));
    rows.commuters.iter_mut().for_each(|c| arc(&mut c.file));
    rows.quality.iter_mut().for_each(|q| string(&mut q.file));
    rows.rejects.iter_mut().for_each(|r| string(&mut r.file));
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
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

/// Runs `footprint report` with the given file operations (tests inject failures).
pub fn report_with<W: Write>(
    a: ReportArgs,
    out: &mut W,
    fs: &dyn FileSystem,
) -> Result<(), CliError> {
    let loaded = load_inventory(&a.config)?;
    let formats: Vec<ReportFormat> = a.format.iter().map(|f| f.format()).collect();
    let built = report::build(&ReportInput {
        rows: &loaded.rows,
        options: &loaded.options,
        inventory: &loaded.result,
        packs: PackSet::bundled(),
        date: a.date.clone(),
        inputs: loaded.input_names.clone(),
        generator: format!("mobility-footprint {}", env!("CARGO_PKG_VERSION")),
    })
    .map_err(CliError::data)?;
    let mut files: Vec<ReportFile> = Vec::new();
    if formats.contains(&ReportFormat::Csv) {
        files.extend(built.row_files.iter().cloned());
    }
    files.extend(report::render(&built.model, &formats).map_err(CliError::data)?);

    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| default_out(&loaded.result.organisation, loaded.result.year));
    let targets: Vec<PathBuf> = files
        .iter()
        .map(|f| f.path.split('/').fold(dir.clone(), |p, c| p.join(c)))
        .collect();
    refuse_overwriting_inputs(&targets, &loaded.inputs)?;
    let list: Vec<(String, &[u8])> = files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.as_slice()))
        .collect();
    write_all(fs, &dir, &list)?;
    if !a.quiet {
        let inv = &loaded.result;
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
        for f in &files {
            writeln!(out, "  {}", f.path).map_err(io_err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
