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

/// Appends `x` with `decimals` decimals, byte for byte what [`fixed`] returns, without
/// allocating: the value's exact binary fraction is rounded to `decimals` decimals half to
/// even (as `format!("{x:.3}")` does), negative zero written `0.000`, nothing for NaN and
/// infinities. Values of 2^53 and more, and more than 9 decimals, go through [`fixed`].
pub fn push_fixed(out: &mut Vec<u8>, x: f64, decimals: usize) {
    if !x.is_finite() {
        return;
    }
    if decimals > 9 || x.abs() >= TWO_POW_53 {
        out.extend_from_slice(fixed(x, decimals).as_bytes());
        return;
    }
    push_exact(out, x, decimals, false);
}

/// 2^53: below it every `f64` is `m × 2^e` with `m < 2^53`, `e ≤ 0`.
const TWO_POW_53: f64 = 9_007_199_254_740_992.0;

/// Appends `x` as `format!("{x:.decimals$}")` writes it (negative zero `-0.000`, `NaN`,
/// `inf`), without allocating for finite values below 2^53 with at most 9 decimals.
pub fn push_format_fixed(out: &mut Vec<u8>, x: f64, decimals: usize) {
    if !x.is_finite() || decimals > 9 || x.abs() >= TWO_POW_53 {
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{x:.decimals$}");
        return;
    }
    push_exact(out, x, decimals, true);
}

/// `x` (finite, below 2^53) rounded to `decimals` ≤ 9 decimals half to even, from its exact
/// binary value; a negative value that rounds to zero keeps its sign with `negative_zero`.
fn push_exact(out: &mut Vec<u8>, x: f64, decimals: usize, negative_zero: bool) {
    // x = m × 2^e exactly; then q = round(m × 10^decimals × 2^e), ties to even.
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    let q = if decimals <= 3 {
        // m × 10^3 < 2^63: all in 64 bits (the audit's kg and km).
        u128::from(scaled_u64(m, e, 10u64.pow(decimals as u32)))
    } else {
        scaled_u128(u128::from(m), e, 10u128.pow(decimals as u32))
    };
    if (q != 0 || negative_zero) && x.is_sign_negative() {
        out.push(b'-');
    }
    let scale = 10u128.pow(decimals as u32);
    let (whole, frac) = match u64::try_from(q) {
        Ok(q) => {
            let scale = scale as u64; // ≤ 10^9
            (u128::from(q / scale), q % scale)
        }
        Err(_) => (q / scale, (q % scale) as u64),
    };
    match u64::try_from(whole) {
        Ok(w) => out.extend_from_slice(itoa::Buffer::new().format(w).as_bytes()),
        Err(_) => out.extend_from_slice(itoa::Buffer::new().format(whole).as_bytes()),
    }
    if decimals > 0 {
        let mut digits = [b'0'; 9];
        let mut f = frac;
        for d in digits[..decimals].iter_mut().rev() {
            *d = b'0' + (f % 10) as u8;
            f /= 10;
        }
        out.push(b'.');
        out.extend_from_slice(&digits[..decimals]);
    }
}

/// `round(m × scale × 2^e)`, ties to even, for `m × scale < 2^63` and `e ≤ 0`.
fn scaled_u64(m: u64, e: i32, scale: u64) -> u64 {
    let n = m * scale;
    if e >= 0 {
        return n << e; // only e = 0 below 2^53
    }
    if e < -63 {
        return 0; // n < 2^63 ≤ half of 2^-e: rounds to 0
    }
    let s = (-e) as u32;
    let q = n >> s;
    let rest = n & ((1u64 << s) - 1);
    let half = 1u64 << (s - 1);
    if rest > half || (rest == half && q & 1 == 1) {
        q + 1
    } else {
        q
    }
}

/// [`scaled_u64`] in 128 bits, for `m × scale < 2^83`.
fn scaled_u128(m: u128, e: i32, scale: u128) -> u128 {
    let n = m * scale;
    if e >= 0 {
        return n << e;
    }
    if e < -100 {
        return 0; // n < 2^83 ≤ half of 2^-e
    }
    let s = (-e) as u32;
    let q = n >> s;
    let rest = n & ((1u128 << s) - 1);
    let half = 1u128 << (s - 1);
    if rest > half || (rest == half && q & 1 == 1) {
        q + 1
    } else {
        q
    }
}

/// One CSV record built field by field into a reused buffer, without allocating: the same
/// bytes as [`push_record`] with the same fields (text cells guarded and quoted as
/// [`push_field`] does, numbers as their text would be).
///
/// ```
/// use mobility_footprint::csv_out::Line;
/// let mut line = Line::default();
/// line.text("=cmd").uint(12).fixed(-0.0004, 3).display_f64(2.5).end();
/// assert_eq!(line.bytes(), b"'=cmd,12,0.000,2.5\n");
/// line.clear();
/// ```
#[derive(Debug, Default, Clone)]
pub struct Line {
    out: Vec<u8>,
    fields: usize,
    start: usize,
    scratch: Vec<u8>,
}

impl Line {
    /// A line with room for `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> Self {
        Line {
            out: Vec::with_capacity(bytes),
            fields: 0,
            start: 0,
            scratch: Vec::new(),
        }
    }
    fn sep(&mut self) {
        if self.fields > 0 {
            self.out.push(b',');
        } else {
            self.start = self.out.len();
        }
        self.fields += 1;
    }
    /// A text cell (guarded, quoted when needed: [`push_field`]).
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        push_field(&mut self.out, s);
        self
    }
    /// A text cell made of `parts` joined by `sep` (guarded and quoted as one cell).
    pub fn joined<'s>(&mut self, parts: impl IntoIterator<Item = &'s str>, sep: &str) -> &mut Self {
        // Joined from `&str`s: valid UTF-8.
        self.cell(|b| {
            for (i, p) in parts.into_iter().enumerate() {
                if i > 0 {
                    b.extend_from_slice(sep.as_bytes());
                }
                b.extend_from_slice(p.as_bytes());
            }
        })
    }
    /// A text cell whose bytes `write` appends to the (empty) buffer it is given, guarded
    /// and quoted as one cell ([`push_field`]); bytes that are not UTF-8 make an empty cell.
    pub fn cell(&mut self, write: impl FnOnce(&mut Vec<u8>)) -> &mut Self {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        write(&mut scratch);
        self.text(std::str::from_utf8(&scratch).unwrap_or(""));
        self.scratch = scratch;
        self
    }
    /// An unsigned integer cell.
    pub fn uint(&mut self, v: u64) -> &mut Self {
        self.sep();
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        self
    }
    /// A cell with `decimals` decimals ([`push_fixed`], the text of [`fixed`]).
    pub fn fixed(&mut self, v: f64, decimals: usize) -> &mut Self {
        self.sep();
        push_fixed(&mut self.out, v, decimals);
        self
    }
    /// A cell with `v` as `v.to_string()` writes it (shortest round-trip form, `1` for
    /// 1.0), through the formula guard as text.
    pub fn display_f64(&mut self, v: f64) -> &mut Self {
        if v.fract() == 0.0 && v.abs() < 1e15 && !(v == 0.0 && v.is_sign_negative()) {
            // A whole number: its digits (what Display writes for it).
            self.sep();
            let mut b = itoa::Buffer::new();
            self.out.extend_from_slice(b.format(v as i64).as_bytes());
            return self;
        }
        // Writing into a Vec cannot fail.
        self.cell(|b| {
            let _ = write!(b, "{v}");
        })
    }
    /// A cell with the text of `format!("{v:.decimals$}")` ([`push_format_fixed`]: negative
    /// zero kept), through the formula guard as text.
    pub fn format_fixed(&mut self, v: f64, decimals: usize) -> &mut Self {
        self.cell(|b| push_format_fixed(b, v, decimals))
    }
    /// Ends the record (`\n`; a record of one empty field is written `""`).
    pub fn end(&mut self) -> &mut Self {
        if self.fields == 1 && self.out.len() == self.start {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.push(b'\n');
        self.fields = 0;
        self
    }
    /// Ends the record with cells formatted before: `record` is one record another
    /// [`Line`] built and ended (its cells and `\n`), appended after a comma. The cells
    /// were guarded and quoted when that line was built.
    pub fn end_with(&mut self, record: &[u8]) -> &mut Self {
        if self.fields > 0 {
            self.out.push(b',');
        }
        self.out.extend_from_slice(record);
        self.fields = 0;
        self
    }
    /// The records built since the last [`Line::clear`].
    pub fn bytes(&self) -> &[u8] {
        &self.out
    }
    /// Empties the buffer (its memory is kept).
    pub fn clear(&mut self) {
        self.out.clear();
        self.fields = 0;
    }
    /// The buffer, taken out of the line.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
    /// Gives back the buffer's spare room.
    pub fn shrink_to_fit(&mut self) {
        self.out.shrink_to_fit();
    }
    /// Bytes held.
    pub fn len(&self) -> usize {
        self.out.len()
    }
    /// Whether no byte is held.
    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
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

    /// [`push_fixed`] as a string.
    fn pushed(x: f64, decimals: usize) -> String {
        let mut out = Vec::new();
        push_fixed(&mut out, x, decimals);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn push_fixed_writes_what_fixed_returns_at_the_edges() {
        let two53 = 9_007_199_254_740_992.0;
        for x in [
            0.0,
            -0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            5e-324,
            -5e-324,
            f64::MIN_POSITIVE,
            0.0005,
            -0.0005,
            0.0004999,
            0.0625,
            -0.0625,
            0.1875,
            2.5,
            0.9995,
            999.9995,
            -999.9995,
            1.0,
            123_456.789,
            two53 - 1.0,
            -(two53 - 1.0),
            two53,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
        ] {
            for d in 0..=12 {
                assert_eq!(pushed(x, d), fixed(x, d), "{x:e} with {d} decimals");
                let mut f = Vec::new();
                push_format_fixed(&mut f, x, d);
                assert_eq!(
                    String::from_utf8(f).unwrap(),
                    format!("{x:.d$}"),
                    "{x:e} {d}"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        #[test]
        fn push_fixed_writes_what_fixed_returns_for_any_bits(bits: u64, d in 0usize..=10) {
            let x = f64::from_bits(bits);
            proptest::prop_assert_eq!(pushed(x, d), fixed(x, d));
        }

        #[test]
        fn push_fixed_writes_what_fixed_returns_for_kg_and_km(x in -1e9f64..1e9, d in 0usize..=5) {
            proptest::prop_assert_eq!(pushed(x, d), fixed(x, d));
            proptest::prop_assert_eq!(pushed(x / 1e6, 3), fixed(x / 1e6, 3));
        }

        #[test]
        fn push_fixed_rounds_exact_ties_as_fixed_does(k in -1_000_000_000i64..1_000_000_000, p in 1u32..=12) {
            // k / 2^p: exact binary fractions, half of them exactly half-way at some decimal.
            let x = k as f64 / f64::from(1u32 << p);
            for d in 0..=6 {
                proptest::prop_assert_eq!(pushed(x, d), fixed(x, d), "{} / 2^{} with {} decimals", k, p, d);
            }
        }

        #[test]
        fn format_fixed_is_format_through_the_guard(bits: u64, x in -1e6f64..1e6, d in 0usize..=10) {
            for v in [f64::from_bits(bits), x, x / 1e9, -(x.abs() / 1e12)] {
                let mut line = Line::default();
                line.format_fixed(v, d).end();
                let mut old = Vec::new();
                push_record(&mut old, [format!("{v:.d$}")]);
                proptest::prop_assert_eq!(line.bytes(), old.as_slice(), "{:e} {}", v, d);
            }
        }

        #[test]
        fn display_f64_is_to_string_through_the_guard(bits: u64, whole in -1e16f64..1e16) {
            for v in [f64::from_bits(bits), whole.trunc(), whole / 7.0] {
                let mut line = Line::default();
                line.display_f64(v).end();
                let mut old = Vec::new();
                push_record(&mut old, [v.to_string()]);
                proptest::prop_assert_eq!(line.bytes(), old.as_slice(), "{}", v);
            }
        }

        #[test]
        fn a_line_is_the_record_push_record_writes(
            cells in proptest::collection::vec("[=+@,\"\n\r\t a-c0-9.eE-]{0,6}", 1..6),
            n: u64,
        ) {
            let mut line = Line::with_capacity(8);
            for c in &cells {
                line.text(c);
            }
            line.uint(n).end();
            line.joined(cells.iter().map(String::as_str), "; ").end();
            let mut old = Vec::new();
            let mut first: Vec<String> = cells.clone();
            first.push(n.to_string());
            push_record(&mut old, &first);
            push_record(&mut old, [cells.join("; ")]);
            proptest::prop_assert_eq!(line.bytes(), old.as_slice());
        }
    }

    #[test]
    fn a_line_of_one_empty_cell_is_not_a_blank_line() {
        let mut line = Line::default();
        line.text("a").end().text("").end();
        assert_eq!(line.bytes(), b"a\n\"\"\n");
        line.clear();
        assert!(line.is_empty());
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
