//! Each table as CSV (`tables/<id>.csv`): a header with units, full-precision numbers, and
//! text cells made safe to open in a spreadsheet.

use super::model::{Cell, Table};
use super::text::spreadsheet_safe;

/// Folder of the CSV tables in the report.
pub const TABLE_DIR: &str = "tables";

/// Renders one table as CSV (UTF-8, comma-separated, `\n` line ends). Headers are
/// "Label (unit)"; numbers keep every digit (shortest round-trip form); total rows are
/// marked in a last column `row` (`total`), empty cells are empty.
pub fn render(t: &Table) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let has_total = t.rows.iter().any(|r| r.total);
    let mut header: Vec<String> = t.columns.iter().map(|c| c.header()).collect();
    if has_total {
        header.push("row".to_string());
    }
    let header: Vec<String> = header
        .iter()
        .map(|h| spreadsheet_safe(h).into_owned())
        .collect();
    w.write_record(&header).expect("writing to memory");
    for r in &t.rows {
        let mut rec: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, _)| match r.cells.get(i).unwrap_or(&Cell::Empty) {
                Cell::Text(s) | Cell::Mode { text: s, .. } => spreadsheet_safe(s).into_owned(),
                Cell::Number(x) if x.is_finite() => format!("{x}"),
                Cell::Number(_) | Cell::Empty => String::new(),
            })
            .collect();
        if has_total {
            rec.push(if r.total { "total" } else { "" }.to_string());
        }
        w.write_record(&rec).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}
