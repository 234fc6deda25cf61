//! The report as plain data: what every renderer (HTML, Markdown, JSON, CSV, XLSX) shows.
//!
//! A [`ReportModel`] knows nothing about inventories or scenarios: it is headline figures,
//! sections of paragraphs, charts (SVG text) and tables (typed columns, cells), and the data
//! attributions. Building it from results is the job of the builder ([`super::build`]); the
//! renderers only lay it out, so they are tested with small hand-made models.

use serde::Serialize;

/// Everything a report shows, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportModel {
    /// Title page data.
    pub meta: Meta,
    /// Key figures shown first (total, categories, per capita, baseline comparison).
    pub headline: Vec<Figure>,
    /// The sections, in order; each becomes an `<h2>` (HTML) or `##` (Markdown) heading.
    pub sections: Vec<Section>,
    /// Sources and licences of bundled data, shown at the end.
    pub attributions: Vec<Attribution>,
    /// Machine-readable results embedded as they are in `summary.json` (e.g. `inventory`:
    /// the JSON of `footprint inventory --format json`), so both carry the same numbers.
    pub results: serde_json::Map<String, serde_json::Value>,
}

/// Title page and provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// Organisation as written in the configuration, e.g. "University of Twente".
    pub organisation: String,
    /// Reporting year.
    pub year: i32,
    /// Report title, e.g. "Mobility footprint 2025".
    pub title: String,
    /// One sentence under the title.
    pub subtitle: String,
    /// Generation date `YYYY-MM-DD` when given (`--date`); never taken from the clock.
    pub date: Option<String>,
    /// Tool and version, e.g. "mobility-footprint 0.1.0".
    pub generator: String,
    /// Input file names (as given, relative to the configuration), for the provenance line.
    pub inputs: Vec<String>,
}

/// One key figure: a number with its unit and an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Stable key in `summary.json`, e.g. `total_t`.
    pub id: String,
    /// What it is, e.g. "Total mobility emissions".
    pub label: String,
    /// The value, in `unit`.
    pub value: f64,
    /// Unit, e.g. "t CO2e" or "%".
    pub unit: String,
    /// Decimals shown on the page (the JSON keeps every digit).
    pub decimals: u8,
    /// A line of context, e.g. "92 % of the 10,000 t baseline".
    pub detail: Option<String>,
    /// A share 0–100 drawn as a bar under the figure (e.g. the share of the baseline).
    pub bar_pct: Option<f64>,
    /// Show a `+` before positive values (a difference).
    pub signed: bool,
}

/// A titled part of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Anchor and file-name stem, `[a-z0-9-]+`.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Content in order.
    pub blocks: Vec<Block>,
}

/// Content of a section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A sub-heading within the section.
    Heading {
        /// The text.
        text: String,
    },
    /// A paragraph of plain text.
    Paragraph {
        /// The text.
        text: String,
    },
    /// A bulleted list.
    List {
        /// The items.
        items: Vec<String>,
    },
    /// A highlighted remark (assumption, caveat, privacy suppression).
    Note {
        /// The text.
        text: String,
    },
    /// Terms and their explanation (methodology choices).
    Definitions {
        /// `(term, explanation)` pairs.
        items: Vec<(String, String)>,
    },
    /// Figures shown as cards (like the headline).
    Figures {
        /// The figures.
        figures: Vec<Figure>,
    },
    /// A chart.
    Chart(Chart),
    /// A table.
    Table(Table),
}

/// A chart rendered to SVG by [`crate::chart`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// Unique id, `[a-z0-9-]+`; the Markdown report links `charts/<id>.svg`.
    pub id: String,
    /// Caption.
    pub title: String,
    /// Text alternative: what the chart shows, in a sentence or two.
    pub description: String,
    /// The SVG document (UTF-8).
    #[serde(skip)]
    pub svg: String,
}

/// A table with typed columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Unique id, `[a-z0-9-]+`: the CSV file `tables/<id>.csv`, the `summary.json` key.
    pub id: String,
    /// Caption and XLSX sheet title.
    pub title: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows; each has one cell per column.
    pub rows: Vec<Row>,
    /// Remarks under the table (suppressed cells, merged groups ...).
    pub notes: Vec<String>,
}

/// One column: header, unit and how its numbers are shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// Machine key (JSON object key), e.g. `co2e_t`.
    pub key: String,
    /// Header, e.g. "Emissions".
    pub label: String,
    /// Unit shown in the header, e.g. "t CO2e"; `None` for text and counts.
    pub unit: Option<String>,
    /// Text or number, and decimals shown.
    pub kind: ColumnKind,
}

/// How a column's cells are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Left-aligned text.
    Text,
    /// Right-aligned number with this many decimals and thousands separators.
    Number {
        /// Decimals shown.
        decimals: u8,
    },
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// A total line (bold, ruled above).
    pub total: bool,
}

impl Row {
    /// An ordinary row.
    pub fn new(cells: Vec<Cell>) -> Self {
        Row {
            cells,
            total: false,
        }
    }
    /// A total row.
    pub fn total(cells: Vec<Cell>) -> Self {
        Row { cells, total: true }
    }
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Text (any user-provided string; every renderer escapes it).
    Text(String),
    /// Text with a colour swatch for a mode key ([`crate::chart::mode_colour`]).
    Mode {
        /// Display text.
        text: String,
        /// Mode key for the colour, e.g. `train`.
        key: String,
    },
    /// A number in the column's unit.
    Number(f64),
    /// No value (not applicable, or suppressed; the table's notes say why).
    Empty,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }
    /// The text of a text-like cell.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) | Cell::Mode { text: t, .. } => Some(t),
            _ => None,
        }
    }
}

/// Where bundled data comes from and under which licence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribution {
    /// What is attributed, e.g. "Places and postcodes".
    pub subject: String,
    /// The attribution text required by the licence.
    pub text: String,
    /// Licence name, e.g. "CC BY 4.0".
    pub licence: String,
    /// Where the source can be found (the only external address a report contains).
    pub url: Option<String>,
}

impl Column {
    /// A text column.
    pub fn text(key: &str, label: &str) -> Self {
        Column {
            key: key.to_string(),
            label: label.to_string(),
            unit: None,
            kind: ColumnKind::Text,
        }
    }
    /// A number column with a unit (`""` for none) and decimals.
    pub fn number(key: &str, label: &str, unit: &str, decimals: u8) -> Self {
        Column {
            key: key.to_string(),
            label: label.to_string(),
            unit: (!unit.is_empty()).then(|| unit.to_string()),
            kind: ColumnKind::Number { decimals },
        }
    }
    /// The header with its unit: "Emissions (t CO2e)".
    pub fn header(&self) -> String {
        match &self.unit {
            Some(u) => format!("{} ({u})", self.label),
            None => self.label.clone(),
        }
    }
    /// Whether the column holds numbers (right-aligned).
    pub fn is_numeric(&self) -> bool {
        matches!(self.kind, ColumnKind::Number { .. })
    }
    /// Decimals shown (0 for text).
    pub fn decimals(&self) -> usize {
        match self.kind {
            ColumnKind::Number { decimals } => usize::from(decimals),
            ColumnKind::Text => 0,
        }
    }
}

impl Figure {
    /// A figure without detail or bar.
    pub fn new(id: &str, label: &str, value: f64, unit: &str, decimals: u8) -> Self {
        Figure {
            id: id.to_string(),
            label: label.to_string(),
            value,
            unit: unit.to_string(),
            decimals,
            detail: None,
            bar_pct: None,
            signed: false,
        }
    }
    /// Shown with its sign (`+1.4 %`).
    pub fn signed(mut self) -> Self {
        self.signed = true;
        self
    }
    /// With a line of context.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
    /// With a share bar (0–100).
    pub fn bar(mut self, pct: f64) -> Self {
        self.bar_pct = Some(pct);
        self
    }
}
