//! Text helpers shared by the renderers: number formatting, escaping, slugs.

/// A number with a fixed number of decimals, thousands separated by commas and a true minus
/// sign: `-12345.67` with 1 decimal is `−12,345.7`. A value that rounds to zero has no sign.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let s = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 3);
    let negative = value < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    if negative {
        out.push('\u{2212}');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A number with a sign: `+1.4`, `−3.0`, `0.0`.
pub fn signed_number(value: f64, decimals: usize) -> String {
    let s = number(value, decimals);
    if value > 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        format!("+{s}")
    } else {
        s
    }
}

/// A number followed by its unit: `12,345.7 t CO2e`, `31 %`.
pub fn quantity(value: f64, decimals: usize, unit: &str) -> String {
    if unit.is_empty() {
        number(value, decimals)
    } else {
        format!("{} {unit}", number(value, decimals))
    }
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for Markdown (GitHub flavour) so that it shows literally inside a line (a
/// table cell, a list item, after a label): HTML is written as entities, emphasis, code, link,
/// table and heading characters are backslash-escaped, and line breaks become spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// [`markdown`] for text that starts a line (a paragraph): a leading `-`, `+` or `=` would
/// make a list or a heading rule, a leading `1.` a numbered list, so they are escaped too.
pub fn markdown_line(s: &str) -> String {
    let mut out = markdown(s);
    let numbered = out
        .find(|c: char| !c.is_ascii_digit())
        .is_some_and(|i| i > 0 && out[i..].starts_with(['.', ')']));
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    } else if numbered {
        let i = out.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        out.insert(i, '\\');
    }
    out
}

/// Makes a text cell safe to open in a spreadsheet: the formula guard of the one CSV writer,
/// [`crate::csv_out::guard`] (a leading apostrophe before text that a spreadsheet would run).
pub fn spreadsheet_safe(s: &str) -> std::borrow::Cow<'_, str> {
    crate::csv_out::guard(s)
}

/// A file-name and anchor friendly form: lower case ASCII letters, digits and single dashes
/// (`University of Twente` → `university-of-twente`, `Zürich` → `zurich`).
pub fn slug(s: &str) -> String {
    let ascii = deunicode::deunicode(s).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Whether `id` is a valid id for anchors and file names (`[a-z0-9-]+`, no leading dash).
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_separators_and_a_true_minus() {
        assert_eq!(number(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(number(-1500.0, 0), "\u{2212}1,500");
        assert_eq!(number(-0.04, 1), "0.0");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(0.5, 2), "0.50");
        assert_eq!(number(f64::NAN, 1), "n/a");
        assert_eq!(quantity(31.0, 0, "%"), "31 %");
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn markdown_shows_text_literally() {
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(markdown("a|b *c* [d](e)"), r"a\|b \*c\* \[d\](e)");
        assert_eq!(markdown("- item\nnext"), "- item next");
        assert_eq!(markdown_line("- item\nnext"), r"\- item next");
        assert_eq!(markdown_line("2025. A year"), r"2025\. A year");
        assert_eq!(markdown_line("+1.4 %"), r"\+1.4 %");
        assert_eq!(markdown("+1.4 %"), "+1.4 %");
        assert_eq!(markdown("R&D_2"), r"R&amp;D\_2");
    }

    #[test]
    fn spreadsheet_formulas_are_neutralised() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-cmd"), "'-cmd");
        assert_eq!(spreadsheet_safe("-12.5"), "-12.5");
        assert_eq!(
            spreadsheet_safe("-1+HYPERLINK(\"x\")"),
            "'-1+HYPERLINK(\"x\")"
        );
        assert_eq!(spreadsheet_safe("-"), "-");
        assert_eq!(spreadsheet_safe("Physics"), "Physics");
    }

    #[test]
    fn slugs_are_ascii_and_dashed() {
        assert_eq!(slug("University of Twente"), "university-of-twente");
        assert_eq!(slug("  Zürich -- ETH!"), "zurich-eth");
        assert_eq!(slug("<script>"), "script");
        assert!(is_id("by-mode-2"));
        assert!(!is_id("By mode"));
        assert!(!is_id(""));
    }
}
