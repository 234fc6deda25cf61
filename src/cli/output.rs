//! Output helpers shared by every subcommand: `--format`, aligned tables, JSON, CSV.

use super::{CliError, io_err};
use mobility_footprint::csv_out;
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
    /// Renders the table.
    pub fn write<W: Write>(&self, out: &mut W) -> Result<(), CliError> {
        let n = self.header.len();
        let mut w = vec![0usize; n];
        for r in std::iter::once(&self.header).chain(&self.rows) {
            for (i, c) in r.iter().enumerate().take(n) {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let line = |r: &Vec<String>| -> String {
            let mut s = String::new();
            for (i, (width, right)) in w.iter().zip(&self.right).enumerate() {
                let c = r.get(i).map(String::as_str).unwrap_or("");
                let pad = width - c.chars().count();
                if i > 0 {
                    s.push_str("  ");
                }
                if *right {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    if i + 1 < n {
                        s.push_str(&" ".repeat(pad));
                    }
                }
            }
            s.trim_end().to_string()
        };
        writeln!(out, "{}", line(&self.header)).map_err(io_err)?;
        let total: usize = w.iter().sum::<usize>() + 2 * n.saturating_sub(1);
        writeln!(out, "{}", "-".repeat(total)).map_err(io_err)?;
        for r in &self.rows {
            writeln!(out, "{}", line(r)).map_err(io_err)?;
        }
        Ok(())
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
    use super::num;

    #[test]
    fn numbers() {
        assert_eq!(num(1234567.891, 1), "1,234,567.9");
        assert_eq!(num(-0.04, 1), "0.0");
        assert_eq!(num(-1500.0, 0), "-1,500");
        assert_eq!(num(999.0, 0), "999");
    }
}
