//! Excel workbooks (`.xlsx`, also `.xlsm`, `.xls`, `.ods` through calamine), read whole.

use super::{Header, InputError, InputErrorKind, Record};
use calamine::{Data, Reader};
use std::io::Cursor;

/// Text of a cell as a user would read it: integers without `.0`, dates as `YYYY-MM-DD`
/// (`YYYY-MM-DD hh:mm:ss` when there is a time), booleans `true`/`false`, errors as `#N/A`.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if h == 0 && mi == 0 && s == 0 {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(dt) => float_text(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A float as text: whole numbers without a fraction, others in the shortest exact form.
pub fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Reads the first sheet (or `sheet`) of a workbook: the first row with two or more filled
/// cells is the header (title rows above it are skipped);
/// each record keeps its sheet row number (1-based, as Excel shows it).
pub(crate) fn read_workbook(
    name: &str,
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<(Header, Vec<Record>), InputError> {
    let syntax = |m: String| InputError::new(InputErrorKind::Syntax, name, m);
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| syntax(format!("not a readable workbook: {e}")))?;
    let names = wb.sheet_names();
    let sheet_name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(s))
            .cloned()
            .ok_or_else(|| syntax(format!("no sheet `{s}`; sheets: {}", names.join(", "))))?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| syntax("the workbook has no sheets".into()))?,
    };
    let range = wb
        .worksheet_range(&sheet_name)
        .map_err(|e| syntax(format!("sheet `{sheet_name}`: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    // The header is the first row with at least two filled cells (a title row above the
    // table, as exports often have, is skipped); a one-column sheet uses its first row.
    let filled = |row: &[Data]| {
        row.iter()
            .filter(|c| !cell_text(c).trim().is_empty())
            .count()
    };
    let wide = range.rows().any(|r| filled(r) >= 2);
    let mut header: Option<Header> = None;
    let mut records = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = first_row + i as u64 + 1;
        if header.is_none() {
            let n = filled(row);
            if n >= 2 || (n == 1 && !wide) {
                header = Some(Header::new(row.iter().map(cell_text)));
            }
            continue;
        }
        let texts: Vec<String> = row.iter().map(cell_text).collect();
        if texts.iter().all(|t| t.trim().is_empty()) {
            continue;
        }
        records.push(Record::from_fields(line, texts.iter().map(String::as_str)));
    }
    let header = header.ok_or_else(|| syntax(format!("sheet `{sheet_name}` is empty")))?;
    Ok((header, records))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_as_text() {
        assert_eq!(cell_text(&Data::Float(3.0)), "3");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(cell_text(&Data::Bool(true)), "true");
        let d =
            calamine::ExcelDateTime::new(45_730.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(d)), "2025-03-14");
    }
}
