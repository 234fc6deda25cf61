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
