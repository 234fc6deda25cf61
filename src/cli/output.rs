//! Output helpers shared by every subcommand: `--format`, tables (rendered by the report's
//! terminal renderer and the one CSV writer), JSON.

use super::{CliError, io_err};
use mobility_footprint::{csv_out, report};
use serde::Serialize;
use std::io::Write;

/// Output format of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned text table for people.
    #[default]
    Table,
    /// JSON for machines.
    Json,
    /// CSV for spreadsheets.
    Csv,
}

/// Writes a value as pretty JSON followed by a newline.
pub fn json<W: Write, T: Serialize>(out: &mut W, value: &T) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(CliError::data)?;
    writeln!(out).map_err(io_err)
}

/// Prints report-model blocks as text through the report's terminal renderer
/// ([`report::terminal::document`]): `--format table` of every command built on
/// [`report::views`].
pub fn write_blocks<W: Write>(out: &mut W, blocks: &[report::Block]) -> Result<(), CliError> {
    out.write_all(report::terminal::document(blocks).as_bytes())
        .map_err(io_err)
}

/// Prints a flat report-model table as CSV ([`report::tables::render_flat`]: keys as header,
/// formula-guarded text): `--format csv` of every command built on [`report::views`].
pub fn write_flat_csv<W: Write>(out: &mut W, table: &report::Table) -> Result<(), CliError> {
    out.write_all(&report::tables::render_flat(table))
        .map_err(io_err)
}

/// A simple aligned text table.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    right: Vec<bool>,
}

impl Table {
    /// A table with these column names; columns whose name starts with '>' are right-aligned.
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header
                .iter()
                .map(|h| h.trim_start_matches('>').to_string())
                .collect(),
            right: header.iter().map(|h| h.starts_with('>')).collect(),
            rows: Vec::new(),
        }
    }
    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
    /// Renders the table as aligned text through the report's terminal renderer
    /// ([`report::terminal::table`]): the same layout as every report table in a terminal.
    pub fn write<W: Write>(&self, out: &mut W) -> Result<(), CliError> {
        out.write_all(report::terminal::table(&self.to_model()).as_bytes())
            .map_err(io_err)
    }
    /// The table as a report-model table (right-aligned columns are number columns; the cells
    /// are already formatted, so they are text).
    fn to_model(&self) -> report::Table {
        let n = self.header.len();
        report::Table {
            id: "table".into(),
            title: String::new(),
            columns: self
                .header
                .iter()
                .zip(&self.right)
                .map(|(h, right)| {
                    if *right {
                        report::Column::number(h, h, "", 0)
                    } else {
                        report::Column::text(h, h)
                    }
                })
                .collect(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    report::Row::new(
                        r.iter()
                            .take(n)
                            .map(|c| report::Cell::text(c.as_str()))
                            .collect(),
                    )
                })
                .collect(),
            notes: Vec::new(),
        }
    }
    /// Renders as CSV (header + rows) through the one CSV writer, [`csv_out`]: text cells
    /// that a spreadsheet would run as a formula are guarded.
    pub fn write_csv<W: Write>(&self, out: &mut W) -> Result<(), CliError> {
        let mut w = csv_out::Writer::new(out);
        w.record(&self.header).map_err(io_err)?;
        for r in &self.rows {
            w.record(r).map_err(io_err)?;
        }
        w.into_inner().map_err(io_err).map(drop)
    }
}

/// Formats a number with a fixed number of decimals and thin grouping of thousands (`12,345.6`).
pub fn num(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut g = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            g.push(',');
        }
        g.push(ch);
    }
    let neg = v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = if neg { format!("-{g}") } else { g };
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Table, num};

    #[test]
    fn tables_align_through_the_terminal_renderer() {
        let mut t = Table::new(&["mode", ">kg", "note"]);
        t.row(vec!["flight".into(), "1,234.5".into(), "long".into()]);
        t.row(vec!["train".into(), "2.0".into(), String::new()]);
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "mode         kg  note\n\
             ---------------------\n\
             flight  1,234.5  long\n\
             train       2.0\n"
        );
        let mut csv = Vec::new();
        t.write_csv(&mut csv).unwrap();
        assert_eq!(csv, b"mode,kg,note\nflight,\"1,234.5\",long\ntrain,2.0,\n");
    }

    #[test]
    fn numbers() {
        assert_eq!(num(1234567.891, 1), "1,234,567.9");
        assert_eq!(num(-0.04, 1), "0.0");
        assert_eq!(num(-1500.0, 0), "-1,500");
        assert_eq!(num(999.0, 0), "999");
    }
}
