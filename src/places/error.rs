//! Why a place could not be resolved.

/// Why free text did not resolve to a [`Place`](super::Place). Every message is one line that
/// names the input and says what to do (usually with the closest candidates).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlaceError {
    /// The query was empty or only whitespace.
    #[error(
        "empty place; expected a city (`Enschede`, `Valencia, ES`), an IATA code (`AMS`), \
         a partner id (`ut`), a Dutch postcode (`7522`) or `lat,lon`"
    )]
    Empty,

    /// Nothing matched; `suggestions` are the closest known names (best first), each written
    /// so that it resolves when typed back, e.g. `Barcelona (ES)`.
    #[error("unknown place `{query}`{}", unknown_hint(suggestions))]
    Unknown {
        /// The query as typed (trimmed).
        query: String,
        /// Closest candidates, best first; may be empty.
        suggestions: Vec<String>,
    },

    /// The query is a pair of numbers but not a valid WGS84 latitude/longitude in degrees.
    #[error("invalid coordinates `{query}`: {reason}")]
    InvalidCoordinates {
        /// The query as typed (trimmed).
        query: String,
        /// What is wrong, e.g. "latitude 95 is outside -90..90".
        reason: String,
    },

    /// `City, Country` where the country is neither an ISO 3166-1 code nor a known name.
    #[error(
        "unknown country `{country}` in `{query}`{}",
        did_you_mean(suggestions)
    )]
    UnknownCountry {
        /// The query as typed (trimmed).
        query: String,
        /// The country part of the query.
        country: String,
        /// Closest country names, e.g. `Germany (DE)`.
        suggestions: Vec<String>,
    },

    /// `City, CC` where the country is known but has no place of that name.
    #[error(
        "no place named `{name}` in {country_code}{}",
        did_you_mean(suggestions)
    )]
    NotInCountry {
        /// The query as typed (trimmed).
        query: String,
        /// The name part of the query.
        name: String,
        /// ISO 3166-1 alpha-2 code of the country asked for.
        country_code: String,
        /// The same name in other countries, then similar names in this country.
        suggestions: Vec<String>,
    },

    /// A Dutch four-digit postcode that is not in the bundled PC4 table.
    #[error(
        "unknown Dutch postcode `{query}` (PC4 {pc4:04}){}",
        did_you_mean(suggestions)
    )]
    UnknownPostcode {
        /// The query as typed (trimmed).
        query: String,
        /// The four-digit part.
        pc4: u16,
        /// The nearest known PC4 codes by number.
        suggestions: Vec<String>,
    },

    /// A line of an alias file that is not `alias<separator>target`.
    #[error(
        "alias file line {line}: expected `alias<TAB>target` (or `;`/`,` instead of the tab), \
         found `{text}`"
    )]
    AliasSyntax {
        /// 1-based line number.
        line: usize,
        /// The offending line (trimmed).
        text: String,
    },

    /// The same alias appears twice in one file with different targets.
    #[error(
        "alias file line {line}: alias `{alias}` is already defined on line {first_line} \
         with another target"
    )]
    AliasDuplicate {
        /// 1-based line number of the second definition.
        line: usize,
        /// The alias as written.
        alias: String,
        /// 1-based line number of the first definition.
        first_line: usize,
    },

    /// The target of an alias does not resolve.
    #[error("alias file line {line}: alias `{alias}`: {reason}")]
    AliasTarget {
        /// 1-based line number.
        line: usize,
        /// The alias as written.
        alias: String,
        /// Why the target did not resolve.
        reason: Box<PlaceError>,
    },
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

fn unknown_hint(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        "; expected a city (`Enschede`, `Valencia, ES`), an IATA code (`AMS`), a partner id \
         (`ut`), a Dutch postcode (`7522`) or `lat,lon`"
            .to_string()
    } else {
        did_you_mean(suggestions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_actionable_line() {
        let unknown = PlaceError::Unknown {
            query: "Barcleona".into(),
            suggestions: vec!["Barcelona (ES)".into(), "Barcelos (PT)".into()],
        };
        assert_eq!(
            unknown.to_string(),
            "unknown place `Barcleona`; did you mean Barcelona (ES), Barcelos (PT)?"
        );
        let nested = PlaceError::AliasTarget {
            line: 3,
            alias: "ensch".into(),
            reason: Box::new(unknown),
        };
        assert_eq!(
            nested.to_string(),
            "alias file line 3: alias `ensch`: unknown place `Barcleona`; \
             did you mean Barcelona (ES), Barcelos (PT)?"
        );
        let bare = PlaceError::Unknown {
            query: "zzz".into(),
            suggestions: vec![],
        };
        assert!(bare.to_string().contains("expected a city"));
        for error in [PlaceError::Empty, nested, bare] {
            assert!(!error.to_string().contains('\n'));
        }
    }
}
