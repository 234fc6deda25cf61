//! The report model for a terminal: a [`Table`] as aligned plain text, the layout every
//! command's `--format table` uses (`footprint inventory`, `wpm`, `business` ... print their
//! tables through [`table`]).
//!
//! Columns are separated by two spaces, numbers right-aligned with the column's decimals and
//! thousands separators ([`super::text::number`]), text left-aligned; a rule of dashes under
//! the header and above each total row; no trailing spaces.

use super::model::{Block, Cell, Row, Table};
use super::text::number;

/// The text of one cell as the terminal shows it.
fn cell_text(cell: &Cell, decimals: usize) -> String {
    match cell {
        Cell::Text(s) | Cell::Mode { text: s, .. } => s.clone(),
        Cell::Number(x) => number(*x, decimals),
        Cell::Empty => String::new(),
    }
}

/// Renders `t` as aligned lines (each ending in `\n`); the title and notes are not included
/// ([`document`] prints them). When a column has a unit, the header takes two lines: the
/// labels, then the units under them (`Emissions` / `t CO2e`), which keeps tables narrow.
///
/// A column with no value in any row (e.g. "Share of baseline" without a baseline) is left
/// out: a terminal has no room for empty columns (the CSV and the report keep them).
pub fn table(t: &Table) -> String {
    let empty = |i: usize| {
        !t.rows.is_empty()
            && t.rows
                .iter()
                .all(|r| matches!(r.cells.get(i), None | Some(Cell::Empty)))
    };
    if (0..t.columns.len()).any(empty) {
        let keep: Vec<usize> = (0..t.columns.len()).filter(|&i| !empty(i)).collect();
        let pick = |cells: &[Cell]| -> Vec<Cell> {
            keep.iter()
                .map(|&i| cells.get(i).cloned().unwrap_or(Cell::Empty))
                .collect()
        };
        let reduced = Table {
            columns: keep.iter().map(|&i| t.columns[i].clone()).collect(),
            rows: t
                .rows
                .iter()
                .map(|r| Row {
                    cells: pick(&r.cells),
                    total: r.total,
                })
                .collect(),
            ..t.clone()
        };
        return table(&reduced);
    }
    let n = t.columns.len();
    let mut header: Vec<Vec<String>> = vec![t.columns.iter().map(|c| c.label.clone()).collect()];
    if t.columns.iter().any(|c| c.unit.is_some()) {
        header.push(
            t.columns
                .iter()
                .map(|c| c.unit.clone().unwrap_or_default())
                .collect(),
        );
    }
    let rows: Vec<(bool, Vec<String>)> = t
        .rows
        .iter()
        .map(|r| {
            let cells = t
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| cell_text(r.cells.get(i).unwrap_or(&Cell::Empty), c.decimals()))
                .collect();
            (r.total, cells)
        })
        .collect();
    let mut widths = vec![0usize; n];
    for cells in header.iter().chain(rows.iter().map(|(_, c)| c)) {
        for (w, c) in widths.iter_mut().zip(cells) {
            *w = (*w).max(c.chars().count());
        }
    }
    let right: Vec<bool> = t.columns.iter().map(|c| c.is_numeric()).collect();
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, (width, right)) in widths.iter().zip(&right).enumerate() {
            let c = cells.get(i).map_or("", String::as_str);
            let pad = width - c.chars().count();
            if i > 0 {
                s.push_str("  ");
            }
            if *right {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            }
        }
        let mut s = s.trim_end().to_string();
        s.push('\n');
        s
    };
    let rule = format!(
        "{}\n",
        "-".repeat(widths.iter().sum::<usize>() + 2 * n.saturating_sub(1))
    );
    let mut out: String = header.iter().map(|h| line(h)).collect();
    out.push_str(&rule);
    for (total, cells) in &rows {
        if *total {
            out.push_str(&rule);
        }
        out.push_str(&line(cells));
    }
    out
}

/// Renders blocks as plain text for a terminal, in order: a heading gets a blank line
/// before it, a table its title as a heading (when it has one) and its notes under it as
/// `- ` lines, lists `- ` lines, notes and paragraphs one line each. Charts are not shown
/// (their title is, as `chart: ...`).
pub fn document(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading { text } => {
                out.push('\n');
                out.push_str(text);
                out.push('\n');
            }
            Block::Paragraph { text } => {
                out.push_str(text);
                out.push('\n');
            }
            Block::Note { text } => {
                out.push_str("note: ");
                out.push_str(text);
                out.push('\n');
            }
            Block::List { items } => {
                for i in items {
                    out.push_str("- ");
                    out.push_str(i);
                    out.push('\n');
                }
            }
            Block::Definitions { items } => {
                for (term, text) in items {
                    out.push_str(&format!("{term}: {text}\n"));
                }
            }
            Block::Figures { figures } => {
                for f in figures {
                    let value = if f.signed {
                        super::text::signed_number(f.value, usize::from(f.decimals))
                    } else {
                        number(f.value, usize::from(f.decimals))
                    };
                    out.push_str(&format!("{}: {value} {}", f.label, f.unit));
                    if let Some(d) = &f.detail {
                        out.push_str(&format!(" ({d})"));
                    }
                    out.push('\n');
                }
            }
            Block::Chart(c) => out.push_str(&format!("chart: {}\n", c.title)),
            Block::Table(t) => {
                if !t.title.is_empty() {
                    out.push('\n');
                    out.push_str(&t.title);
                    out.push('\n');
                }
                out.push_str(&table(t));
                for n in &t.notes {
                    out.push_str("- ");
                    out.push_str(n);
                    out.push('\n');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Column;

    #[test]
    fn columns_align_and_totals_are_ruled() {
        let t = Table {
            id: "by-mode".into(),
            title: "By mode".into(),
            columns: vec![
                Column::text("mode", "Mode"),
                Column::number("co2e_t", "Emissions", "t CO2e", 1),
                Column::text("note", "Note"),
                Column::number("unused", "Never filled", "%", 1),
            ],
            rows: vec![
                Row::new(vec![
                    Cell::text("Flight"),
                    Cell::Number(1234.56),
                    Cell::text("long"),
                ]),
                Row::new(vec![Cell::text("Train"), Cell::Number(-2.0), Cell::Empty]),
                Row::total(vec![
                    Cell::text("Total"),
                    Cell::Number(1232.56),
                    Cell::Empty,
                ]),
            ],
            notes: vec![],
        };
        assert_eq!(
            table(&t),
            "Mode    Emissions  Note\n\
             \x20          t CO2e\n\
             -----------------------\n\
             Flight    1,234.6  long\n\
             Train        \u{2212}2.0\n\
             -----------------------\n\
             Total     1,232.6\n"
        );
    }
}
