//! Reading user alias files.

use super::PlaceError;

/// One `alias → target` definition of an alias file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AliasLine<'a> {
    /// 1-based line number.
    pub line: usize,
    pub alias: &'a str,
    pub target: &'a str,
}

/// Splits an alias file into definitions.
///
/// Format: one `alias<separator>target` per line; the separator is the first tab of the line,
/// else its first `;`, else its first `,` (so `Valencia, VE` can be a target after a tab or a
/// `;`, and after a `,` too, because only the first separator splits). Fields may be wrapped
/// in double quotes. Blank lines and lines starting with `#` are skipped, as is a first line
/// `alias<separator>…` (a header). A UTF-8 byte-order mark is ignored.
pub(crate) fn parse_alias_lines(text: &str) -> Result<Vec<AliasLine<'_>>, PlaceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut definitions = Vec::new();
    let mut seen_content = false;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let split = ['\t', ';', ',']
            .into_iter()
            .find_map(|separator| trimmed.split_once(separator));
        let syntax_error = || PlaceError::AliasSyntax {
            line,
            text: trimmed.to_string(),
        };
        let (alias, target) = split.ok_or_else(syntax_error)?;
        let (alias, target) = (unquote(alias), unquote(target));
        let is_header = !seen_content && alias.eq_ignore_ascii_case("alias");
        seen_content = true;
        if is_header {
            continue;
        }
        if alias.is_empty() || target.is_empty() {
            return Err(syntax_error());
        }
        definitions.push(AliasLine {
            line,
            alias,
            target,
        });
    }
    Ok(definitions)
}

/// Trims a field and removes one pair of surrounding double quotes.
fn unquote(field: &str) -> &str {
    let field = field.trim();
    field
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .map_or(field, str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn separators_comments_header_quotes() {
        let text = "\u{feff}alias\ttarget\n\
                    # typos seen in the 2024 export\n\
                    \n\
                    Enschde\tEnschede\n\
                    Valencia VE;Valencia, VE\n\
                    kennispark,52.2385, 6.8543\n\
                    \"Cambridge MA\",\"Cambridge, US\"\n";
        let lines = parse_alias_lines(text).unwrap();
        let pairs: Vec<(usize, &str, &str)> = lines
            .iter()
            .map(|line| (line.line, line.alias, line.target))
            .collect();
        assert_eq!(
            pairs,
            [
                (4, "Enschde", "Enschede"),
                (5, "Valencia VE", "Valencia, VE"),
                (6, "kennispark", "52.2385, 6.8543"),
                (7, "Cambridge MA", "Cambridge, US"),
            ]
        );
    }

    #[test]
    fn malformed_lines_are_named() {
        let error = parse_alias_lines("a\tb\njust one field\n").unwrap_err();
        assert_eq!(
            error,
            PlaceError::AliasSyntax {
                line: 2,
                text: "just one field".into()
            }
        );
        let error = parse_alias_lines("x\t\n").unwrap_err();
        assert!(matches!(error, PlaceError::AliasSyntax { line: 1, .. }));
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,200}") {
            let _ = parse_alias_lines(&text);
        }
    }
}
