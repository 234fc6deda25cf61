//! The one error type of the input layer.

use std::fmt;

/// What kind of problem an [`InputError`] is, for grouping and exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputErrorKind {
    /// The file cannot be read (missing, permissions, broken pipe ...).
    Io,
    /// The bytes are not a file of the expected format (broken XLSX, JSON syntax error,
    /// an unclosed quote that swallows the rest of a CSV file ...).
    Syntax,
    /// A column the consumer needs is missing, or a column map names a column that is not there.
    Columns,
    /// A row has a different number of fields than the header.
    Shape,
    /// One value cannot be used (not a number, not a date, unknown word ...).
    Value,
}

/// A problem with an input file, a row or a value, located as precisely as possible.
///
/// `Display` gives one line a user can act on:
/// ``trips.csv:17: column `mode`: unknown mode `vliegtuig2`; expected one of …``.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct InputError {
    /// What kind of problem.
    pub kind: InputErrorKind,
    /// The file as the user named it (`-` for standard input).
    pub file: String,
    /// Physical line (CSV: header = 1; XLSX: sheet row; JSON: array index + 1 or JSONL line).
    pub line: Option<u64>,
    /// The column, as named in the file's header (or the canonical field name).
    pub column: Option<Box<str>>,
    /// The raw value as found in the file.
    pub value: Option<Box<str>>,
    /// What is wrong.
    pub message: String,
    /// What to do about it, e.g. "did you mean `Barcelona (ES)`?".
    pub suggestion: Option<Box<str>>,
}

impl InputError {
    /// An error without line, column or value.
    pub fn new(kind: InputErrorKind, file: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            kind,
            file: file.into(),
            line: None,
            column: None,
            value: None,
            message: message.into(),
            suggestion: None,
        }
    }

    /// An unreadable file.
    pub fn io(file: impl Into<String>, e: &std::io::Error) -> Self {
        InputError::new(InputErrorKind::Io, file, e.to_string())
    }

    /// A bad value in a row.
    pub fn value(
        file: impl Into<String>,
        line: u64,
        column: impl Into<String>,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            kind: InputErrorKind::Value,
            file: file.into(),
            line: Some(line),
            column: Some(column.into().into_boxed_str()),
            value: Some(value.into().into_boxed_str()),
            message: message.into(),
            suggestion: None,
        }
    }

    /// The same error at a line.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// The same error with a suggestion.
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into().into_boxed_str());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&excerpt(&self.file, MAX_ECHO_CHARS))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(c) = &self.column {
            write!(f, "column `{}`: ", excerpt(c, MAX_ECHO_CHARS))?;
        }
        f.write_str(&shorten_quoted(&self.message))?;
        if let Some(s) = &self.suggestion {
            write!(f, "; {}", shorten_quoted(s))?;
        }
        Ok(())
    }
}

/// Characters of a value echoed in a message at most: a longer value is shown as its start
/// and its length, so a 10 MB field (or a file that is not what it claims to be) never
/// floods the terminal, and no message repeats more of a file than this.
pub const MAX_ECHO_CHARS: usize = 60;

/// Characters of a value kept at most with a rejected row (its `value` and `raw` values in
/// the rejects file and the report): a longer value is stored as its [`excerpt`] of this many
/// characters with its full length.
pub const MAX_STORED_CHARS: usize = 200;

/// A short, escaped excerpt of `s`: control characters (NUL, escape, newlines) written as
/// `\u{..}` escapes, at most `max` characters, and the full length when cut.
pub fn excerpt(s: &str, max: usize) -> String {
    let clean =
        |c: char| c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}');
    let n = s.chars().count();
    if n <= max && !s.chars().any(clean) {
        return s.to_string();
    }
    let mut out = String::with_capacity(max.min(n) + 16);
    for c in s.chars().take(max) {
        if clean(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    if n > max {
        out.push_str(&format!("… ({n} characters)"));
    }
    out
}

/// `message` with every `` `quoted` `` part longer than [`MAX_ECHO_CHARS`] (or holding
/// control characters) cut to an [`excerpt`]; text outside quotes is escaped too.
pub fn shorten_quoted(message: &str) -> std::borrow::Cow<'_, str> {
    let needs = message.len() > MAX_ECHO_CHARS || message.chars().any(char::is_control);
    if !needs {
        return message.into();
    }
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let max = if i % 2 == 1 { MAX_ECHO_CHARS } else { 1000 };
        out.push_str(&excerpt(part, max));
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column() {
        let e = InputError::value(
            "trips.csv",
            17,
            "mode",
            "vliegtuig2",
            "unknown mode `vliegtuig2`; expected one of: flight, train",
        )
        .with_suggestion("did you mean `vliegtuig`?");
        assert_eq!(
            e.to_string(),
            "trips.csv:17: column `mode`: unknown mode `vliegtuig2`; expected one of: flight, train; did you mean `vliegtuig`?"
        );
        let e = InputError::new(InputErrorKind::Io, "x.csv", "No such file");
        assert_eq!(e.to_string(), "x.csv: No such file");
    }

    #[test]
    fn long_values_and_control_characters_are_excerpted() {
        let long = "x".repeat(20_000);
        let e = InputError::value(
            "t.csv",
            2,
            "mode",
            long.clone(),
            format!("unknown mode `{long}`; expected one of: flight"),
        );
        let s = e.to_string();
        assert!(s.len() < 200, "{}", s.len());
        assert!(s.contains("… (20000 characters)`"), "{s}");
        let e = InputError::value("t.csv", 2, "o\0r", "a\0b", "unknown place `a\0b\x1b[31m`");
        let s = e.to_string();
        assert!(!s.contains('\0') && !s.contains('\x1b'), "{s}");
        assert!(s.contains("a\\u{0}b"), "{s}");
    }
}
