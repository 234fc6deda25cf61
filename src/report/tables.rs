//! Each table as CSV (`tables/<id>.csv`): a header with units, numbers without float noise,
//! and text cells made safe to open in a spreadsheet (through [`crate::csv_out`]).

use super::model::{Cell, Table};
use crate::csv_out;

/// Folder of the CSV tables in the report.
pub const TABLE_DIR: &str = "tables";

/// Renders one table as CSV (UTF-8, comma-separated, `\n` line ends). Headers are
/// "Label (unit)"; numbers are rounded to 12 significant digits in their shortest form
/// ([`csv_out::number`]: more digits than any column shows, none of the binary noise); total
/// rows are marked in a last column `row` (`total`), empty cells are empty.
pub fn render(t: &Table) -> Vec<u8> {
    let has_total = t.rows.iter().any(|r| r.total);
    let mut header: Vec<String> = t.columns.iter().map(|c| c.header()).collect();
    if has_total {
        header.push("row".to_string());
    }
    let mut out = Vec::new();
    csv_out::push_record(&mut out, &header);
    for r in &t.rows {
        let mut rec: Vec<String> = (0..t.columns.len())
            .map(|i| match r.cells.get(i).unwrap_or(&Cell::Empty) {
                Cell::Text(s) | Cell::Mode { text: s, .. } => s.clone(),
                Cell::Number(x) => csv_out::number(*x),
                Cell::Empty => String::new(),
            })
            .collect();
        if has_total {
            rec.push(if r.total { "total" } else { "" }.to_string());
        }
        csv_out::push_record(&mut out, &rec);
    }
    out
}

/// Renders a flat machine table as CSV (what `--format csv` of a command prints): the header
/// is the column keys, numbers have their column's decimals ([`csv_out::fixed`], no thousands
/// separators, no negative zero), text cells are guarded against spreadsheet formulas, empty
/// cells are empty; total rows are not marked.
pub fn render_flat(t: &Table) -> Vec<u8> {
    let mut out = Vec::new();
    csv_out::push_record(&mut out, t.columns.iter().map(|c| c.key.as_str()));
    for r in &t.rows {
        let rec = t.columns.iter().enumerate().map(|(i, c)| {
            match r.cells.get(i).unwrap_or(&Cell::Empty) {
                Cell::Text(s) | Cell::Mode { text: s, .. } => s.clone(),
                Cell::Number(x) => csv_out::fixed(*x, c.decimals()),
                Cell::Empty => String::new(),
            }
        });
        csv_out::push_record(&mut out, rec);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Column, Row};

    #[test]
    fn flat_tables_have_keys_fixed_decimals_and_guarded_text() {
        let t = Table {
            id: "t".into(),
            title: String::new(),
            columns: vec![
                Column::text("name", "Name"),
                Column::number("co2e_kg", "Emissions", "kg", 3),
                Column::number("rows", "Rows", "", 0),
            ],
            rows: vec![
                Row::new(vec![
                    Cell::text("=1+1"),
                    Cell::Number(-0.0001),
                    Cell::Number(3.0),
                ]),
                Row::total(vec![Cell::text("total"), Cell::Number(1234.5), Cell::Empty]),
            ],
            notes: vec![],
        };
        assert_eq!(
            String::from_utf8(render_flat(&t)).unwrap(),
            "name,co2e_kg,rows\n'=1+1,0.000,3\ntotal,1234.500,\n"
        );
    }
}
