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
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(c) = &self.column {
            write!(f, "column `{c}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, "; {s}")?;
        }
        Ok(())
    }
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
}
