//! Report renderers: a [`ReportModel`] in, files as bytes out. Nothing here touches the disk;
//! the `report` command writes the files (atomically) where the user asked.
//!
//! | format | files |
//! | --- | --- |
//! | [`ReportFormat::Html`] | `index.html`: one self-contained page (inline CSS and SVG, no script, no external request), prints on A4 |
//! | [`ReportFormat::Markdown`] | `report.md` and the charts it links, `charts/<id>.svg` |
//! | [`ReportFormat::Json`] | `summary.json`: every number of the page and the results behind it |
//! | [`ReportFormat::Csv`] | `tables/<id>.csv`, one per table |
//! | [`ReportFormat::Xlsx`] | `report.xlsx`: a summary sheet and one sheet per table |
//!
//! Same model, same bytes: no clock, no randomness, no hash-ordered maps.
//!
//! ```
//! use mobility_footprint::report::{render, Column, Row, Cell, Section, Block, Table, ReportFormat};
//! # use mobility_footprint::report::{ReportModel, Meta};
//! let model = ReportModel {
//!     meta: Meta {
//!         organisation: "Example University".into(), year: 2025,
//!         title: "Mobility footprint 2025".into(), subtitle: "Business travel and commuting.".into(),
//!         date: None, generator: "mobility-footprint".into(), inputs: vec![],
//!     },
//!     headline: vec![],
//!     sections: vec![Section { id: "by-mode".into(), title: "By mode".into(), blocks: vec![
//!         Block::Table(Table {
//!             id: "by-mode".into(), title: "Emissions by mode".into(),
//!             columns: vec![Column::text("mode", "Mode"), Column::number("co2e_t", "Emissions", "t CO2e", 1)],
//!             rows: vec![Row::new(vec![Cell::text("Train"), Cell::Number(12.34)])],
//!             notes: vec![],
//!         }),
//!     ]}],
//!     attributions: vec![],
//!     results: Default::default(),
//! };
//! let files = render(&model, &[ReportFormat::Html, ReportFormat::Csv])?;
//! assert_eq!(files[0].path, "tables/by-mode.csv");
//! assert_eq!(files.last().unwrap().path, "index.html");
//! assert!(String::from_utf8_lossy(&files[1].bytes).contains("<td class=\"num\">12.3</td>"));
//! # Ok::<(), mobility_footprint::report::ReportError>(())
//! ```

pub mod audit;
mod build;
pub mod html;
pub mod markdown;
mod model;
mod sensitivity;
pub mod summary;
pub mod tables;
pub mod terminal;
pub mod text;
pub mod trend;
pub mod views;
pub mod xlsx;

use std::collections::BTreeSet;

pub use build::{BuildError, Built, ReportInput, ScenarioInput, build};
pub use model::{
    Attribution, Block, Cell, Chart, Column, ColumnKind, Figure, Meta, ReportModel, Row, Section,
    Table,
};

/// Why a report could not be rendered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    /// A chart's SVG contains something a self-contained, script-free page must not have.
    #[error("chart `{chart}` cannot be inlined: it contains {reason}")]
    UnsafeSvg {
        /// The chart id.
        chart: String,
        /// What was found.
        reason: String,
    },
    /// Two sections, charts or tables share an id, or an id is not `[a-z0-9-]+`.
    #[error("report {what} id `{id}` is {problem}")]
    BadId {
        /// "section", "chart" or "table".
        what: &'static str,
        /// The id.
        id: String,
        /// "used twice" or "not of the form [a-z0-9-]+".
        problem: &'static str,
    },
    /// The XLSX writer refused the workbook.
    #[error("writing report.xlsx failed: {0}")]
    Xlsx(String),
}

/// One output format of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportFormat {
    /// `index.html`.
    Html,
    /// `report.md` + `charts/*.svg`.
    Markdown,
    /// `summary.json`.
    Json,
    /// `tables/*.csv`.
    Csv,
    /// `report.xlsx`.
    Xlsx,
}

impl ReportFormat {
    /// Every format, in the order the files are written (the HTML page last).
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Csv,
        ReportFormat::Json,
        ReportFormat::Markdown,
        ReportFormat::Xlsx,
        ReportFormat::Html,
    ];
}

/// One file of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// Path relative to the report folder, `/`-separated (`index.html`, `tables/by-mode.csv`).
    pub path: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl ReportFile {
    /// A file from its path and content.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        ReportFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Renders the asked formats. Files come in a fixed order, with `index.html` last: a folder
/// that has the page has everything else (the writer keeps this order).
///
/// # Errors
///
/// [`ReportError::BadId`] for a duplicate or malformed id, [`ReportError::UnsafeSvg`] for a
/// chart with active content, [`ReportError::Xlsx`] if the workbook cannot be written.
pub fn render(
    model: &ReportModel,
    formats: &[ReportFormat],
) -> Result<Vec<ReportFile>, ReportError> {
    validate(model)?;
    let want: BTreeSet<ReportFormat> = formats.iter().copied().collect();
    let mut files = Vec::new();
    for format in ReportFormat::ALL {
        if !want.contains(&format) {
            continue;
        }
        match format {
            ReportFormat::Csv => {
                for t in model_tables(model) {
                    files.push(ReportFile::new(
                        format!("{}/{}.csv", tables::TABLE_DIR, t.id),
                        tables::render(t),
                    ));
                }
            }
            ReportFormat::Json => {
                files.push(ReportFile::new("summary.json", summary::render(model)))
            }
            ReportFormat::Markdown => {
                for c in model_charts(model) {
                    // Checked like the inlined charts: no script, no external reference.
                    html::inline_svg(&c.svg, &c.id, &c.title, &c.description)?;
                    files.push(ReportFile::new(
                        format!("{}/{}.svg", markdown::CHART_DIR, c.id),
                        c.svg.as_bytes(),
                    ));
                }
                files.push(ReportFile::new("report.md", markdown::render(model)));
            }
            ReportFormat::Xlsx => files.push(ReportFile::new("report.xlsx", xlsx::render(model)?)),
            ReportFormat::Html => files.push(ReportFile::new("index.html", html::render(model)?)),
        }
    }
    Ok(files)
}

/// Every table of the model, in order.
pub fn model_tables(model: &ReportModel) -> impl Iterator<Item = &Table> {
    model.sections.iter().flat_map(|s| {
        s.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    })
}

/// Every chart of the model, in order.
pub fn model_charts(model: &ReportModel) -> impl Iterator<Item = &Chart> {
    model.sections.iter().flat_map(|s| {
        s.blocks.iter().filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
    })
}

/// Ids are unique per kind and safe in anchors and file names.
fn validate(model: &ReportModel) -> Result<(), ReportError> {
    let check = |what: &'static str, ids: Vec<&str>| -> Result<(), ReportError> {
        let mut seen = BTreeSet::new();
        for id in ids {
            if !text::is_id(id) {
                return Err(ReportError::BadId {
                    what,
                    id: id.to_string(),
                    problem: "not of the form [a-z0-9-]+",
                });
            }
            if !seen.insert(id) {
                return Err(ReportError::BadId {
                    what,
                    id: id.to_string(),
                    problem: "used twice",
                });
            }
        }
        Ok(())
    };
    // "sources" and "key-figures" are the page's own sections.
    let mut sections: Vec<&str> = vec!["sources", "key-figures"];
    sections.extend(model.sections.iter().map(|s| s.id.as_str()));
    check("section", sections)?;
    check(
        "chart",
        model_charts(model).map(|c| c.id.as_str()).collect(),
    )?;
    check(
        "table",
        model_tables(model).map(|t| t.id.as_str()).collect(),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
