//! The report model for a terminal: a [`Table`] as aligned plain text, the layout every
//! command's `--format table` uses (`footprint inventory`, `wpm`, `business` ... print their
//! tables through [`table`]).
//!
//! Columns are separated by two spaces, numbers right-aligned with the column's decimals and
//! thousands separators ([`super::text::number`]), text left-aligned; a rule of dashes under
//! the header and above each total row; no trailing spaces.

use super::model::{Cell, Table};
use super::text::number;

/// The text of one cell as the terminal shows it.
fn cell_text(cell: &Cell, decimals: usize) -> String {
    match cell {
        Cell::Text(s) | Cell::Mode { text: s, .. } => s.clone(),
        Cell::Number(x) => number(*x, decimals),
        Cell::Empty => String::new(),
    }
}

/// Renders `t` as aligned lines (each ending in `\n`); the title and notes are not included.
pub fn table(t: &Table) -> String {
    let n = t.columns.len();
    let header: Vec<String> = t.columns.iter().map(|c| c.header()).collect();
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
    for cells in std::iter::once(&header).chain(rows.iter().map(|(_, c)| c)) {
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
    let mut out = line(&header);
    out.push_str(&rule);
    for (total, cells) in &rows {
        if *total {
            out.push_str(&rule);
        }
        out.push_str(&line(cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Column, Row};

    #[test]
    fn columns_align_and_totals_are_ruled() {
        let t = Table {
            id: "by-mode".into(),
            title: "By mode".into(),
            columns: vec![
                Column::text("mode", "Mode"),
                Column::number("co2e_t", "Emissions", "t CO2e", 1),
                Column::text("note", "Note"),
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
            "Mode    Emissions (t CO2e)  Note\n\
             --------------------------------\n\
             Flight             1,234.6  long\n\
             Train                 \u{2212}2.0\n\
             --------------------------------\n\
             Total              1,232.6\n"
        );
    }
}
