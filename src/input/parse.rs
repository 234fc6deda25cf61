//! Parsing the values people type into spreadsheets: numbers with decimal commas and
//! thousands separators, dates in ISO, Dutch/French/German and Excel-serial form.

use std::fmt;

/// How a file writes decimals, decided once per file (see [`NumberStyle::of_delimiter`]):
/// every value of the file is read under the same convention, and a value that contradicts
/// it, or that would mean two different numbers, is refused instead of guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NumberStyle {
    /// Decimal point, comma as thousands separator (`1,234.5`): comma-separated files.
    Point,
    /// Decimal comma, point as thousands separator (`1.234,5`): `;`-separated files, as
    /// Dutch, French and German spreadsheet software writes them.
    Comma,
    /// Not known (tab or `|` files, workbooks, JSON): either reading is accepted, but a value
    /// with one separator followed by exactly three digits (`1,200`, `1.200`), which would
    /// mean 1.2 under one convention and 1,200 under the other, is refused.
    #[default]
    Either,
}

impl NumberStyle {
    /// The convention of a delimited file: `,` files use a decimal point, `;` files a
    /// decimal comma, other delimiters leave it open.
    pub fn of_delimiter(delimiter: u8) -> NumberStyle {
        match delimiter {
            b',' => NumberStyle::Point,
            b';' => NumberStyle::Comma,
            _ => NumberStyle::Either,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            NumberStyle::Point => {
                "this comma-separated file writes numbers with a decimal point (1,234.5)"
            }
            NumberStyle::Comma => {
                "this `;`-separated file writes numbers with a decimal comma (1.234,5)"
            }
            NumberStyle::Either => "",
        }
    }
}

/// Parses a number as written in an export, under [`NumberStyle::Either`]: `12.5`, `12,5`,
/// `1.234,5`, `1,234.5`, `1 234,5`, `-3`, `+2`, `1e3`. NaN and infinities are refused, and so
/// is a value that means two numbers (`1,200`: 1.2 or 1,200?).
pub fn parse_number(s: &str) -> Result<f64, String> {
    parse_number_styled(s, NumberStyle::Either)
}

/// Parses a number under a file's [`NumberStyle`].
///
/// `Point`: `,` may only group thousands (`1,234,567.5`); `Comma`: `.` may only group
/// thousands (`1.234.567,5`); a value using the other decimal separator is refused with the
/// reason. Spaces, no-break spaces and apostrophes group thousands in every style.
pub fn parse_number_styled(s: &str, style: NumberStyle) -> Result<f64, String> {
    let t = super::trim_value(s);
    if t.is_empty() {
        return Err("empty value where a number is expected".into());
    }
    // Fastest path: a small whole number (traveller counts, most distances).
    let b = t.as_bytes();
    if b.len() <= 9 && b.iter().all(u8::is_ascii_digit) {
        let v = b.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
        return Ok(f64::from(v));
    }
    if b.len() > 64 {
        return Err(format!(
            "a number of {} characters is not a plausible value",
            t.chars().count()
        ));
    }
    // Fast path: a plain number with a decimal point, where the style allows one.
    if style != NumberStyle::Comma
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
    {
        if let Ok(v) = t.parse::<f64>() {
            if style == NumberStyle::Either && ambiguous(t, '.') {
                return Err(ambiguous_message(t, '.'));
            }
            return finite(v, s);
        }
    }
    let mut clean = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            // Spaces, no-break and thin spaces, apostrophes: thousands separators.
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’' => {}
            '−' => clean.push('-'),
            _ => clean.push(c),
        }
    }
    let commas = clean.matches(',').count();
    let points = clean.matches('.').count();
    let not_a_number = || format!("`{}` is not a number", s.trim());
    let (decimal, group) = match style {
        NumberStyle::Point => ('.', ','),
        NumberStyle::Comma => (',', '.'),
        NumberStyle::Either => match (commas, points) {
            (0, 0) => ('.', ','),
            (0, 1) | (1, 0) => {
                let sep = if commas == 1 { ',' } else { '.' };
                if ambiguous(&clean, sep) {
                    return Err(ambiguous_message(t, sep));
                }
                (sep, if sep == ',' { '.' } else { ',' })
            }
            (0, _) => (',', '.'),
            (_, 0) => ('.', ','),
            _ => {
                // Both present: the last one is the decimal separator.
                if clean.rfind(',') > clean.rfind('.') {
                    (',', '.')
                } else {
                    ('.', ',')
                }
            }
        },
    };
    let normalised = match regroup(&clean, decimal, group) {
        Ok(n) => n,
        Err(()) if style != NumberStyle::Either && clean.contains(group) => {
            return Err(format!(
                "`{}` does not fit the file's convention: {}",
                t,
                style.describe()
            ));
        }
        Err(()) => return Err(not_a_number()),
    };
    let ok_chars = normalised
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    match normalised.parse::<f64>() {
        Ok(v) if ok_chars => finite(v, s),
        _ => Err(not_a_number()),
    }
}

/// True when `t` has exactly one `sep`, a whole part of one to three digits (not `0`) and
/// exactly three digits after it: `1,200` / `1.200` read 1.2 or 1,200 depending on the
/// convention.
fn ambiguous(t: &str, sep: char) -> bool {
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let Some((int, frac)) = t.split_once(sep) else {
        return false;
    };
    frac.len() == 3
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (1..=3).contains(&int.len())
        && int.bytes().all(|b| b.is_ascii_digit())
        && int != "0"
}

fn ambiguous_message(t: &str, sep: char) -> String {
    let v: f64 = t.replace(sep, ".").parse().unwrap_or(0.0);
    format!(
        "`{t}` is ambiguous: {v} with a decimal {} or {} with a thousands separator; write it without the separator or with two decimals",
        if sep == ',' { "comma" } else { "point" },
        t.replace(sep, "")
    )
}

/// `clean` with thousands separators `group` removed (each group after the first exactly
/// three digits, all before the decimal separator) and `decimal` turned into `.`.
fn regroup(clean: &str, decimal: char, group: char) -> Result<String, ()> {
    let (int, frac) = match clean.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (clean, None),
    };
    if frac.is_some_and(|f| f.contains(decimal) || f.contains(group)) {
        return Err(());
    }
    let mut out = String::with_capacity(clean.len());
    if int.contains(group) {
        let digits = int.trim_start_matches(['-', '+']);
        out.push_str(&int[..int.len() - digits.len()]);
        let mut parts = digits.split(group);
        let first = parts.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 {
            return Err(());
        }
        out.push_str(first);
        for p in parts {
            if p.len() != 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(());
            }
            out.push_str(p);
        }
    } else {
        out.push_str(int);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Ok(out)
}

/// The plausible range of a numeric field: a value beyond it is refused with `why`, so one
/// typo (`1e200` km, `1e308` travellers) can neither dominate a total nor overflow a sum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// Largest value accepted.
    pub max: f64,
    /// Why no larger value is plausible.
    pub why: &'static str,
}

/// Bounds are constants, never NaN.
impl Eq for Bound {}

/// Half the Earth's equatorial circumference, km (WGS 84: 40,075.017 km / 2): no two places
/// are further apart on the surface, and an indirect route that long would be a data error.
pub const MAX_ONE_WAY_KM: f64 = 20_037.5;

/// Most travellers in one business-travel row (a whole delegation is rarely a hundred).
pub const MAX_TRAVELLERS_PER_ROW: f64 = 1_000.0;

/// Most people sharing one vehicle (a full long-distance train or a large ferry).
pub const MAX_OCCUPANCY: f64 = 2_000.0;

/// Longest one-way daily commute accepted in a survey, km (further than any daily commute:
/// Amsterdam–Paris is 430 km).
pub const MAX_COMMUTE_ONE_WAY_KM: f64 = 1_000.0;

/// The plausible bound of a canonical field (see [`crate::input::KNOWN_FIELDS`]), if it has one.
pub fn field_bound(field: &str) -> Option<Bound> {
    let (max, why) = match field {
        "distance_km" => (
            MAX_ONE_WAY_KM,
            "no journey is longer one way than half the Earth's circumference (20,037.5 km)",
        ),
        "travellers" => (
            MAX_TRAVELLERS_PER_ROW,
            "more than 1,000 travellers in one row is not one journey; split it or check the value",
        ),
        "occupancy" => (MAX_OCCUPANCY, "no vehicle carries more than 2,000 people"),
        "one_way_km" => (
            MAX_COMMUTE_ONE_WAY_KM,
            "no daily commute is longer than 1,000 km one way",
        ),
        _ => return None,
    };
    Some(Bound { max, why })
}

fn finite(v: f64, s: &str) -> Result<f64, String> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("`{}` is not a finite number", s.trim()))
    }
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2025.
    pub year: i32,
    /// Month 1..=12.
    pub month: u8,
    /// Day 1..=31 (1 when only a month was given).
    pub day: u8,
}

impl Date {
    /// Builds a date, checking the month and the day in that month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// `YYYY-MM`, the key of the `month` dimension.
    pub fn year_month(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The date of an Excel serial number (1900 date system, days since 1899-12-30;
    /// the fraction is the time of day). Serials before 1900-03-01 are refused because
    /// of Excel's 1900 leap-year bug.
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        if !serial.is_finite() || !(61.0..2_958_466.0).contains(&serial) {
            return None;
        }
        Some(civil_from_days(serial.floor() as i64 - 25_569))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 → date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    Date {
        year: (if m <= 2 { y + 1 } else { y }) as i32,
        month: m,
        day: d,
    }
}

fn two_digit_year(y: i32) -> i32 {
    if y < 70 { 2000 + y } else { 1900 + y }
}

/// Parses a date as exports write it. Dates with the year last are day-first in every file:
/// a month-first date (`03/14/2025`) is refused with the ISO form to write instead, so a
/// file can never mix the two orders.
///
/// Accepted: ISO `2025-03-14` (also `2025/03/14`, with a time after `T` or a space),
/// `2025-03` (a month), day-first `14-03-2025`, `14/03/2025`, `14.03.2025`, `4-3-25`
/// (two-digit years are 1970–2069), and Excel serial numbers (`45730` = 2025-03-14) between 1954 and 2119.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let t = super::trim_value(s);
    let bad = || format!("`{t}` is not a date; expected e.g. 2025-03-14 or 14-03-2025");
    if t.is_empty() {
        return Err("empty value where a date is expected".into());
    }
    // Fast path: ISO `YYYY-MM-DD`, what most exports write.
    if let Ok(b) = <[u8; 10]>::try_from(t.as_bytes())
        && b[4] == b'-'
        && b[7] == b'-'
    {
        let d = b.map(|c| c.wrapping_sub(b'0'));
        if [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| d[i] <= 9) {
            let n = |i: usize| u32::from(d[i]);
            let y = n(0) * 1000 + n(1) * 100 + n(2) * 10 + n(3);
            let (m, day) = (n(5) * 10 + n(6), n(8) * 10 + n(9));
            return Date::new(y as i32, m as u8, day as u8).ok_or_else(bad);
        }
    }
    // Drop a time part.
    let d = t.split(['T', ' ']).next().unwrap_or(t);
    if d.bytes().all(|b| b.is_ascii_digit() || b == b'.') && d.matches('.').count() <= 1 {
        if let Ok(serial) = d.parse::<f64>() {
            if (20_000.0..80_000.0).contains(&serial) {
                return Date::from_excel_serial(serial).ok_or_else(bad);
            }
            return Err(bad());
        }
    }
    let parts: Vec<&str> = d.split(['-', '/', '.']).collect();
    let num = |p: &str| -> Option<i32> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            p.parse().ok()
        }
    };
    let nums: Option<Vec<i32>> = parts.iter().map(|p| num(p)).collect();
    let Some(n) = nums else { return Err(bad()) };
    let date = match (n.as_slice(), parts[0].len()) {
        ([y, m], 4) => Date::new(*y, *m as u8, 1),
        ([y, m, d], 4) => Date::new(
            *y,
            u8::try_from(*m).ok().unwrap_or(0),
            u8::try_from(*d).ok().unwrap_or(0),
        ),
        ([a, b, y], _) if parts[2].len() == 4 || parts[2].len() == 2 => {
            let y = if parts[2].len() == 2 {
                two_digit_year(*y)
            } else {
                *y
            };
            let (a, b) = (u8::try_from(*a).unwrap_or(0), u8::try_from(*b).unwrap_or(0));
            if b > 12 && a <= 12 && b <= 31 {
                // Month-first (US order): the file's other dates would be read day-first,
                // so one order per file means refusing this one rather than guessing.
                return Err(format!(
                    "`{t}` is month-first (US order), but dates are read day-first \
                     (14/01/2025) in every file, so 01/02/2025 would mean 1 February; \
                     write it as {y:04}-{a:02}-{b:02}"
                ));
            } else {
                Date::new(y, b, a)
            }
        }
        _ => None,
    };
    date.ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_as_exports_write_them() {
        for (s, v) in [
            ("12.5", 12.5),
            ("12,5", 12.5),
            ("1.234,5", 1234.5),
            ("1,234.5", 1234.5),
            ("1,20", 1.2),
            ("0,125", 0.125),
            ("1234,567", 1234.567),
            ("1 234,5", 1234.5),
            ("1.234.567", 1_234_567.0),
            ("1,234,567", 1_234_567.0),
            (" -3 ", -3.0),
            ("+2", 2.0),
            ("1e3", 1000.0),
            ("0,75", 0.75),
        ] {
            assert_eq!(parse_number(s), Ok(v), "{s}");
        }
        for s in [
            "",
            "NaN",
            "inf",
            "-infinity",
            "abc",
            "1,2,3.4.5",
            "12 km",
            "1e999",
            "1,200",
            "1.200",
            "-12.500",
            "1,23,4.5",
        ] {
            assert!(parse_number(s).is_err(), "{s}");
        }
        assert!(parse_number("1,200").unwrap_err().contains("ambiguous"));
    }

    #[test]
    fn one_convention_per_file() {
        use NumberStyle::{Comma, Point};
        for (s, style, v) in [
            ("1,200", Point, 1200.0),
            ("1,200.0", Point, 1200.0),
            ("1.200", Point, 1.2),
            ("1,234,567.5", Point, 1_234_567.5),
            ("1.200", Comma, 1200.0),
            ("1.200,0", Comma, 1200.0),
            ("1,200", Comma, 1.2),
            ("612,5", Comma, 612.5),
            ("12", Comma, 12.0),
        ] {
            assert_eq!(parse_number_styled(s, style), Ok(v), "{s} {style:?}");
        }
        for (s, style) in [
            ("1,5", Point),
            ("1.200,0", Point),
            ("12,34", Point),
            ("1.5", Comma),
            ("1,200.0", Comma),
            ("12.34", Comma),
        ] {
            let e = parse_number_styled(s, style).unwrap_err();
            assert!(e.contains("convention"), "{s} {style:?}: {e}");
        }
    }

    #[test]
    fn dates_in_every_usual_form() {
        let d = Date::new(2025, 3, 14).unwrap();
        for s in [
            "2025-03-14",
            "2025/03/14",
            "14-03-2025",
            "14/03/2025",
            "14.03.2025",
            "14-3-25",
            "2025-03-14T09:30:00",
            "2025-03-14 09:30",
            "45730",
        ] {
            assert_eq!(parse_date(s), Ok(d), "{s}");
        }
        assert_eq!(parse_date("2025-03"), Ok(Date::new(2025, 3, 1).unwrap()));
        assert_eq!(
            parse_date("04-03-2025").map(|d| d.month),
            Ok(3),
            "day first when ambiguous"
        );
        for s in [
            "",
            "2025-13-01",
            "31-02-2025",
            "yesterday",
            "12",
            "2025-03-14-1",
            "1.5",
            "2025-02-29",
            "2025-04-31",
            "2025-00-10",
            "2025-1a-10",
            "2o25-03-14",
            "03/14/2025",
        ] {
            assert!(parse_date(s).is_err(), "{s}");
        }
        assert_eq!(
            parse_date(" 2024-02-29 "),
            Ok(Date::new(2024, 2, 29).unwrap())
        );
        assert_eq!(d.year_month(), "2025-03");
        assert_eq!(d.to_string(), "2025-03-14");
    }

    #[test]
    fn excel_serials() {
        assert_eq!(Date::from_excel_serial(61.0), Date::new(1900, 3, 1));
        assert_eq!(Date::from_excel_serial(45_658.75), Date::new(2025, 1, 1));
        assert_eq!(Date::from_excel_serial(f64::NAN), None);
    }

    proptest! {
        #[test]
        fn iso_round_trip(y in 1970i32..2100, m in 1u8..=12, d in 1u8..=28) {
            let date = Date::new(y, m, d).unwrap();
            prop_assert_eq!(parse_date(&date.to_string()), Ok(date));
            prop_assert_eq!(parse_date(&format!("{d}-{m}-{y}")), Ok(date));
        }

        #[test]
        fn decimal_comma_equals_point(int in 0u32..1_000_000, frac in 0u32..100) {
            let point = format!("{int}.{frac:02}");
            let comma = format!("{int},{frac:02}");
            prop_assert_eq!(parse_number(&point), parse_number(&comma));
        }
    }
}
