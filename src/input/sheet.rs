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

/// Most filled cells read from one sheet: beyond it the workbook is refused (a sheet of
/// journeys or respondents with more is not a table this tool reads whole).
pub const MAX_WORKBOOK_CELLS: usize = 5_000_000;

/// A filled cell: sheet row and column (0-based) and its text.
type SparseCell = (u32, u32, String);

/// Reads the first sheet (or `sheet`) of a workbook: the first row with two or more filled
/// cells is the header (title rows above it are skipped);
/// each record keeps its sheet row number (1-based, as Excel shows it).
///
/// `.xlsx` and `.xlsb` sheets are read cell by cell, keeping only filled cells, so a sheet
/// whose only far cell is `XFD1048576` costs one cell, not the 17 billion of its range; a
/// filled cell beyond column [`super::MAX_COLUMNS`] or more than [`MAX_WORKBOOK_CELLS`]
/// filled cells refuse the workbook with the reason.
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
            .ok_or_else(|| {
                syntax(format!(
                    "no sheet `{}`; sheets: {}",
                    super::error::excerpt(s, super::error::MAX_ECHO_CHARS),
                    names.join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| syntax("the workbook has no sheets".into()))?,
    };
    let sheet_err = |e: String| syntax(format!("sheet `{sheet_name}`: {e}"));
    let mut cells: Vec<SparseCell> = Vec::new();
    macro_rules! read_cells {
        ($book:expr) => {{
            let mut reader = $book
                .worksheet_cells_reader(&sheet_name)
                .map_err(|e| sheet_err(e.to_string()))?;
            while let Some(c) = reader.next_cell().map_err(|e| sheet_err(e.to_string()))? {
                let (row, col) = c.get_position();
                let d: Data = c.get_value().clone().into();
                push_cell(&mut cells, row, col, cell_text(&d)).map_err(sheet_err)?;
            }
        }};
    }
    match &mut wb {
        calamine::Sheets::Xlsx(x) => read_cells!(x),
        calamine::Sheets::Xlsb(x) => read_cells!(x),
        _ => {
            let range = wb
                .worksheet_range(&sheet_name)
                .map_err(|e| sheet_err(e.to_string()))?;
            for (row, col, d) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                push_cell(&mut cells, r0 + row as u32, c0 + col as u32, cell_text(d))
                    .map_err(sheet_err)?;
            }
        }
    }
    drop(wb);
    table_of_cells(cells).ok_or_else(|| syntax(format!("sheet `{sheet_name}` is empty")))
}

/// Keeps a filled cell, refusing one beyond the largest range read.
fn push_cell(cells: &mut Vec<SparseCell>, row: u32, col: u32, text: String) -> Result<(), String> {
    if text.trim().is_empty() {
        return Ok(());
    }
    if col as usize >= super::MAX_COLUMNS {
        return Err(format!(
            "cell {} is filled, beyond the largest range read (columns A to {}, {} columns); clear it or move the table",
            a1(row, col),
            column_letters(super::MAX_COLUMNS as u32 - 1),
            super::MAX_COLUMNS
        ));
    }
    if cells.len() >= MAX_WORKBOOK_CELLS {
        return Err(format!(
            "more than {MAX_WORKBOOK_CELLS} filled cells; split the sheet or export it as CSV"
        ));
    }
    cells.push((row, col, text));
    Ok(())
}

/// The header and records of a sheet's filled cells (`None` when there is no header).
fn table_of_cells(mut cells: Vec<SparseCell>) -> Option<(Header, Vec<Record>)> {
    if !cells.is_sorted_by_key(|c| (c.0, c.1)) {
        cells.sort_by_key(|c| (c.0, c.1));
    }
    let first_col = cells.iter().map(|c| c.1).min()?;
    // Rows as (sheet row, cells of the row).
    let mut rows: Vec<(u32, Vec<(u32, String)>)> = Vec::new();
    for (r, c, t) in cells {
        match rows.last_mut() {
            Some((row, v)) if *row == r => v.push((c - first_col, t)),
            _ => rows.push((r, vec![(c - first_col, t)])),
        }
    }
    // The header is the first row with at least two filled cells (a title row above the
    // table, as exports often have, is skipped); a one-column sheet uses its first row.
    let wide = rows.iter().any(|(_, v)| v.len() >= 2);
    let start = rows.iter().position(|(_, v)| v.len() >= 2 || !wide)?;
    let dense = |v: Vec<(u32, String)>| -> Vec<String> {
        let width = v.last().map_or(0, |c| c.0 as usize + 1);
        let mut out = vec![String::new(); width];
        for (c, t) in v {
            out[c as usize] = t;
        }
        out
    };
    let mut it = rows.into_iter().skip(start);
    let (_, head) = it.next()?;
    let header = Header::new(dense(head));
    let records = it
        .map(|(r, v)| {
            let texts = dense(v);
            Record::from_fields(u64::from(r) + 1, texts.iter().map(String::as_str))
        })
        .collect();
    Some((header, records))
}

/// `A`, `B` … `XFD` for a 0-based column.
fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The cell reference (`XFD1048576`) of a 0-based row and column.
fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), u64::from(row) + 1)
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

    #[test]
    fn cell_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
    }

    #[test]
    fn sparse_cells_become_rows_from_the_first_column_used() {
        let cells = vec![
            (0, 1, "title".to_string()),
            (2, 2, "b".to_string()),
            (2, 1, "a".to_string()),
            (4, 1, "x".to_string()),
            (4, 3, "z".to_string()),
        ];
        let (h, r) = table_of_cells(cells).unwrap();
        assert_eq!(h.names, ["a", "b"]);
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].line(), r[0].get(0), r[0].get(1), r[0].get(2)),
            (5, "x", "", "z")
        );
    }
}
