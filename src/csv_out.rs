//! The one CSV writer of the tool: every CSV it writes (report `tables/*.csv`, `audit.csv`,
//! `rejects.csv`, `business --audit/--rejects`, `inventory --rejects`, every command's
//! `--format csv`) is made of records built here.
//!
//! - **Formula guard** (OWASP "CSV injection"): a text cell that is not a plain number and
//!   starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so a
//!   spreadsheet shows it as text instead of running it (`-1+HYPERLINK(...)` and
//!   `-2+3+cmd|' /C calc'!A0` included). A plain number such as `-1.5` or `+2e3` is left as it
//!   is, and so is a lone `-`.
//! - **Quoting** as RFC 4180: a field with a comma, a double quote or a line break is quoted,
//!   quotes doubled. Records end with `\n`.
//! - **Numbers without float noise**: [`number`] gives the shortest form of the value rounded
//!   to 12 significant digits (`0.026327000000000003` → `0.026327`), [`fixed`] a fixed number
//!   of decimals without a negative zero.
//!
//! Building a record is allocation-free apart from the output buffer, so the streaming audit
//! trail of millions of rows uses [`push_record`] directly.
//!
//! ```
//! use mobility_footprint::csv_out;
//! let mut line = Vec::new();
//! csv_out::push_record(&mut line, ["=HYPERLINK(\"x\")", "-1.5", "a,b", "-1+2"]);
//! assert_eq!(line, b"\"'=HYPERLINK(\"\"x\"\")\",-1.5,\"a,b\",'-1+2\n");
//! ```

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether `s` is a plain decimal number: an optional sign, digits with an optional decimal
/// point (or a point and digits) and an optional exponent (`-1.5`, `+2`, `.5`, `3e-4`).
/// A spreadsheet reads such a cell as a number, never as a formula.
pub fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// Whether a spreadsheet could run `s` as a formula: it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return and is neither a plain number nor a lone `-`.
pub fn needs_guard(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        Some(b'+' | b'-') => s != "-" && !is_plain_number(s),
        _ => false,
    }
}

/// The cell text a spreadsheet shows as text: `s` with a leading apostrophe when
/// [`needs_guard`], otherwise `s` unchanged.
pub fn guard(s: &str) -> Cow<'_, str> {
    if needs_guard(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// Appends one field (guarded, quoted when needed), without separator.
pub fn push_field(out: &mut Vec<u8>, s: &str) {
    let quote = s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if quote {
        out.push(b'"');
    }
    if needs_guard(s) {
        out.push(b'\'');
    }
    if quote {
        for part in s.split('"').enumerate() {
            if part.0 > 0 {
                out.extend_from_slice(b"\"\"");
            }
            out.extend_from_slice(part.1.as_bytes());
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// Appends one record: the fields separated by commas, then `\n`. A record of one empty
/// field is written `""` so that it is not a blank line.
pub fn push_record<I, S>(out: &mut Vec<u8>, fields: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let start = out.len();
    let mut n = 0usize;
    for f in fields {
        if n > 0 {
            out.push(b',');
        }
        push_field(out, f.as_ref());
        n += 1;
    }
    if n == 1 && out.len() == start {
        out.extend_from_slice(b"\"\"");
    }
    out.push(b'\n');
}

/// The bytes of a whole CSV: a header and its rows.
pub fn to_bytes<H, R, S>(header: H, rows: impl IntoIterator<Item = R>) -> Vec<u8>
where
    H: IntoIterator<Item = S>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = Vec::new();
    push_record(&mut out, header);
    for r in rows {
        push_record(&mut out, r);
    }
    out
}

/// A CSV writer onto any [`Write`]: one [`Writer::record`] per line.
#[derive(Debug)]
pub struct Writer<W: Write> {
    inner: W,
    line: Vec<u8>,
}

impl<W: Write> Writer<W> {
    /// A writer onto `inner` (buffer it yourself if it is a file).
    pub fn new(inner: W) -> Self {
        Writer {
            inner,
            line: Vec::with_capacity(256),
        }
    }
    /// Writes one record (see [`push_record`]).
    ///
    /// # Errors
    ///
    /// The error of the underlying writer.
    pub fn record<I, S>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.line.clear();
        push_record(&mut self.line, fields);
        self.inner.write_all(&self.line)
    }
    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    ///
    /// The error of the flush.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.inner.flush()?;
        Ok(self.inner)
    }
}

/// A number for a CSV cell without float noise: the value rounded to 12 significant digits,
/// in its shortest form (`0.026327000000000003` → `0.026327`, `1500.0` → `1500`); empty for
/// NaN and infinities; `0` for negative zero.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let rounded: f64 = format!("{x:.11e}").parse().unwrap_or(x);
    format!("{rounded}")
}

/// A number with `decimals` decimals (`1.250`), without a negative zero (`-0.0004` with 3
/// decimals is `0.000`); empty for NaN and infinities.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_are_recognised() {
        for s in [
            "0", "-1.5", "+2", ".5", "-.5", "3.", "1e5", "-2.5E-3", "12345",
        ] {
            assert!(is_plain_number(s), "{s}");
        }
        for s in [
            "", "-", "+", ".", "1e", "1e+", "-1+2", "1,5", "--1", "-1 ", "0x10", "inf",
        ] {
            assert!(!is_plain_number(s), "{s}");
        }
    }

    #[test]
    fn formula_like_text_is_guarded() {
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("-cmd"), "'-cmd");
        assert_eq!(
            guard("-1+HYPERLINK(\"http://evil\")"),
            "'-1+HYPERLINK(\"http://evil\")"
        );
        assert_eq!(guard("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(guard("+1-1"), "'+1-1");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("\rx"), "'\rx");
        assert_eq!(guard("-12.5"), "-12.5");
        assert_eq!(guard("+3"), "+3");
        assert_eq!(guard("-"), "-");
        assert_eq!(guard("Physics"), "Physics");
        assert_eq!(guard("a=b"), "a=b");
    }

    #[test]
    fn records_are_quoted_and_guarded() {
        let mut out = Vec::new();
        push_record(&mut out, ["a", "b,c", "d\"e", "=1,2", "x\ny", "-1.5"]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,\"b,c\",\"d\"\"e\",\"'=1,2\",\"x\ny\",-1.5\n"
        );
        let mut one = Vec::new();
        push_record(&mut one, [""]);
        assert_eq!(one, b"\"\"\n");
        // The csv crate reads back exactly the guarded cells.
        let bytes = to_bytes(["h1", "h2"], [["=x", "a\"b,c"]]);
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "'=x");
        assert_eq!(&rec[1], "a\"b,c");
    }

    #[test]
    fn the_writer_writes_records() {
        let mut w = Writer::new(Vec::new());
        w.record(["k", "v"]).unwrap();
        w.record(["@x", "1"]).unwrap();
        assert_eq!(w.into_inner().unwrap(), b"k,v\n'@x,1\n");
    }

    #[test]
    fn numbers_have_no_float_noise() {
        assert_eq!(number(0.026327000000000003), "0.026327");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(1500.0), "1500");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(123_456_789.123_456_78), "123456789.123");
        assert_eq!(number(f64::NAN), "");
        assert_eq!(fixed(-0.0004, 3), "0.000");
        assert_eq!(fixed(-1.25, 1), "-1.2");
        assert_eq!(fixed(2.0, 3), "2.000");
        assert_eq!(fixed(f64::INFINITY, 3), "");
    }
}
