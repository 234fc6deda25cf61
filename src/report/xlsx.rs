//! `report.xlsx`: a "Summary" sheet (key figures, provenance, attributions) and one sheet per
//! table, numbers as numbers with the page's decimals, text always as text (never a formula):
//! every text is written as a string, and text that a spreadsheet would run as a formula once
//! edited ([`crate::csv_out::needs_guard`]) also carries Excel's quote prefix. A text longer than
//! Excel's cell limit (32,767 UTF-16 units) is cut with a visible marker and a note under the
//! sheet, instead of failing the whole workbook.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use super::ReportError;
use super::html::provenance;
use super::model::{Block, Cell, ReportModel, Table};

const ACCENT: u32 = 0x16324F;
const MUTED: u32 = 0x52606D;

/// Excel's limit on the length of a cell's text, in UTF-16 code units.
pub const MAX_CELL_UTF16: usize = 32_767;

/// The note under a sheet that has cut cells.
const TRUNCATED_NOTE: &str = "Some texts were longer than Excel's limit of 32,767 characters per \
cell and are cut (marked \"[cut: ... characters not shown]\"); the CSV tables have them in full.";

/// `s` as it fits in one Excel cell: unchanged when short enough, otherwise its beginning and
/// a visible marker saying how many characters were left out.
pub fn fit_cell(s: &str) -> Cow<'_, str> {
    let units: usize = s.chars().map(char::len_utf16).sum();
    if units <= MAX_CELL_UTF16 {
        return s.into();
    }
    let total = s.chars().count();
    // The marker is at most 48 units ("… [cut: 99,999,999,999 characters not shown]").
    let budget = MAX_CELL_UTF16 - 48;
    let mut used = 0usize;
    let mut kept = 0usize;
    let mut end = 0usize;
    for (i, c) in s.char_indices() {
        if used + c.len_utf16() > budget {
            break;
        }
        used += c.len_utf16();
        kept += 1;
        end = i + c.len_utf8();
    }
    let left_out = super::text::number((total - kept) as f64, 0);
    format!("{}… [cut: {left_out} characters not shown]", &s[..end]).into()
}

/// Writes a text cell: cut to Excel's limit (counted in `cut`), with the quote prefix when it
/// looks like a formula.
fn text_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    f: &Format,
    cut: &mut usize,
) -> Result<(), XlsxError> {
    let fitted = fit_cell(s);
    if matches!(fitted, Cow::Owned(_)) {
        *cut += 1;
    }
    if crate::csv_out::needs_guard(&fitted) {
        ws.write_string_with_format(row, col, fitted.as_ref(), &f.clone().set_quote_prefix())?;
    } else {
        ws.write_string_with_format(row, col, fitted.as_ref(), f)?;
    }
    Ok(())
}

/// Renders the workbook.
///
/// # Errors
///
/// [`ReportError::Xlsx`] if the writer refuses a value (it checks Excel's limits).
pub fn render(model: &ReportModel) -> Result<Vec<u8>, ReportError> {
    build(model).map_err(|e| ReportError::Xlsx(e.to_string()))
}

fn build(model: &ReportModel) -> Result<Vec<u8>, XlsxError> {
    let m = &model.meta;
    let mut wb = Workbook::new();
    // A fixed creation date keeps the file byte-identical between runs: the report date, or
    // 1 January of the reporting year.
    let created = match m.date.as_deref().and_then(parse_date) {
        Some((y, mo, d)) => ExcelDateTime::from_ymd(y, mo, d)?,
        None => ExcelDateTime::from_ymd(u16::try_from(m.year).unwrap_or(2000), 1, 1)?,
    };
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} — {}", m.title, m.organisation))
            .set_author(&m.generator)
            .set_comment(provenance(model))
            .set_creation_datetime(&created),
    );

    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_font_color(Color::RGB(ACCENT));
    let muted = Format::new().set_font_color(Color::RGB(MUTED));
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Medium);
    let head_num = head.clone().set_align(FormatAlign::Right);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let plain = Format::new();

    // Summary sheet.
    let mut used: BTreeSet<String> = BTreeSet::new();
    let ws = wb.add_worksheet();
    ws.set_name(unique_name("Summary", &mut used))?;
    let mut cut = 0usize;
    let heading = format!("{} — {}", m.title, m.organisation);
    text_cell(ws, 0, 0, &heading, &title, &mut cut)?;
    text_cell(ws, 1, 0, &m.subtitle, &muted, &mut cut)?;
    text_cell(ws, 2, 0, &provenance(model), &muted, &mut cut)?;
    for (c, h) in ["Figure", "Value", "Unit", "Context"].iter().enumerate() {
        let f = if c == 1 { &head_num } else { &head };
        ws.write_string_with_format(4, c as u16, *h, f)?;
    }
    let mut row = 5;
    let all_figures = model
        .headline
        .iter()
        .chain(model.sections.iter().flat_map(|s| {
            s.blocks.iter().flat_map(|b| match b {
                Block::Figures { figures } => figures.as_slice(),
                _ => &[],
            })
        }));
    for f in all_figures {
        text_cell(ws, row, 0, &f.label, &plain, &mut cut)?;
        if f.value.is_finite() {
            ws.write_number_with_format(
                row,
                1,
                f.value,
                &Format::new().set_num_format(num_format(usize::from(f.decimals))),
            )?;
        }
        text_cell(ws, row, 2, &f.unit, &plain, &mut cut)?;
        if let Some(d) = &f.detail {
            text_cell(ws, row, 3, d, &plain, &mut cut)?;
        }
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Sources and data attributions", &bold)?;
    row += 1;
    for a in &model.attributions {
        let mut text = format!("{}. {} ({})", a.subject, a.text, a.licence);
        if let Some(u) = &a.url {
            text.push(' ');
            text.push_str(u);
        }
        text_cell(ws, row, 0, &text, &wrap, &mut cut)?;
        row += 1;
    }
    if cut > 0 {
        ws.write_string_with_format(row + 1, 0, TRUNCATED_NOTE, &muted)?;
    }
    ws.set_column_width(0, 60)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 60)?;

    for s in &model.sections {
        for b in &s.blocks {
            if let Block::Table(t) = b {
                let ws = wb.add_worksheet();
                ws.set_name(unique_name(&t.title, &mut used))?;
                table_sheet(ws, t, &title, &head, &head_num, &muted)?;
            }
        }
    }
    wb.save_to_buffer()
}

fn table_sheet(
    ws: &mut Worksheet,
    t: &Table,
    title: &Format,
    head: &Format,
    head_num: &Format,
    muted: &Format,
) -> Result<(), XlsxError> {
    let mut cut = 0usize;
    text_cell(ws, 0, 0, &t.title, title, &mut cut)?;
    const HEADER_ROW: u32 = 2;
    let mut widths: Vec<usize> = Vec::with_capacity(t.columns.len());
    for (c, col) in t.columns.iter().enumerate() {
        let f = if col.is_numeric() { head_num } else { head };
        text_cell(ws, HEADER_ROW, c as u16, &col.header(), f, &mut cut)?;
        widths.push(col.header().chars().count().clamp(8, 24));
    }
    let formats: Vec<Format> = t
        .columns
        .iter()
        .map(|c| Format::new().set_num_format(num_format(c.decimals())))
        .collect();
    let mut row = HEADER_ROW + 1;
    for r in &t.rows {
        for (c, col) in t.columns.iter().enumerate() {
            let mut f = if col.is_numeric() {
                formats[c].clone()
            } else {
                Format::new()
            };
            if r.total {
                f = f.set_bold().set_border_top(FormatBorder::Thin);
            }
            let c16 = c as u16;
            match r.cells.get(c).unwrap_or(&Cell::Empty) {
                Cell::Text(s) | Cell::Mode { text: s, .. } => {
                    text_cell(ws, row, c16, s, &f, &mut cut)?;
                    widths[c] = widths[c].max(s.chars().count().min(60));
                }
                Cell::Number(x) if x.is_finite() => {
                    ws.write_number_with_format(row, c16, *x, &f)?;
                    widths[c] = widths[c].max(super::text::number(*x, col.decimals()).len());
                }
                Cell::Number(_) | Cell::Empty => {
                    ws.write_blank(row, c16, &f)?;
                }
            }
        }
        row += 1;
    }
    row += 1;
    for n in &t.notes {
        text_cell(ws, row, 0, n, muted, &mut cut)?;
        row += 1;
    }
    if cut > 0 {
        ws.write_string_with_format(row, 0, TRUNCATED_NOTE, muted)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w + 2) as f64)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    Ok(())
}

/// Excel number format with thousands separators and `decimals` decimals.
fn num_format(decimals: usize) -> String {
    if decimals == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(decimals))
    }
}

/// A worksheet name Excel accepts (≤ 31 characters, none of `[]:*?/\`, not starting or ending
/// with an apostrophe), unique in the workbook (case-insensitive).
fn unique_name(title: &str, used: &mut BTreeSet<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let base: String = if clean.is_empty() {
        "Table".to_string()
    } else {
        clean
            .chars()
            .take(31)
            .collect::<String>()
            .trim_end()
            .to_string()
    };
    let mut name = base.clone();
    let mut n = 2;
    while used.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!(
            "{}{suffix}",
            base.chars().take(keep).collect::<String>().trim_end()
        );
        n += 1;
    }
    used.insert(name.to_lowercase());
    name
}

/// `YYYY-MM-DD` → (year, month, day).
fn parse_date(s: &str) -> Option<(u16, u8, u8)> {
    let mut it = s.splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    Some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_name("By mode", &mut used), "By mode");
        assert_eq!(unique_name("by MODE", &mut used), "by MODE (2)");
        assert_eq!(
            unique_name("Emissions by destination country: top 20 [t]", &mut used),
            "Emissions by destination countr"
        );
        assert_eq!(unique_name("'/'", &mut used), "Table");
        assert_eq!(
            unique_name("<script>alert(1)</script>", &mut used),
            "<script>alert(1)< script>"
        );
    }
}
