//! The ranges of the assumptions (`data/uncertainty.json`, or the user's `--ranges FILE`).
//!
//! Each range has a low and a high value, a distribution for the Monte Carlo draws and a
//! source or a stated basis. The file is validated like the inventory configuration: an
//! unknown field or range id is an error naming the closest known one, values are checked,
//! and a range without a source or a basis is refused.

use crate::inventory::{ConfigError, parse_json};
use crate::mode::Mode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The bundled ranges file.
pub const BUNDLED_RANGES: &str = include_str!("../../data/uncertainty.json");

/// How a range is drawn in the Monte Carlo run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Distribution {
    /// Triangular from low to high, its mode at the inventory's own value (clamped into the
    /// range).
    #[default]
    Triangular,
    /// Uniform from low to high.
    Uniform,
}

/// One assumption's range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Label for tables and charts.
    #[serde(default)]
    pub label: String,
    /// Low value (unit of the assumption: multiplier, people, days a week).
    pub low: f64,
    /// High value.
    pub high: f64,
    /// How the Monte Carlo run draws it.
    #[serde(default)]
    pub distribution: Distribution,
    /// Reliability grade of the source (`A`, `B`, `C`) or `stated`.
    #[serde(default)]
    pub grade: String,
    /// Where the numbers come from.
    #[serde(default)]
    pub source: String,
    /// The stated basis (how the range is applied, or why it is what it is without a source).
    #[serde(default)]
    pub basis: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RangesFile {
    #[serde(default, rename = "_comment")]
    _comment: Option<String>,
    version: u32,
    ranges: BTreeMap<String, Range>,
}

/// The validated ranges, by id.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranges {
    /// Where they were read from (`bundled` or the file name).
    pub file: String,
    /// By id: `rf_multiplier`, `detour.<mode>`, `car_occupancy_unknown`, `telework_days_shift`.
    pub ranges: BTreeMap<String, Range>,
}

/// Range ids other than `detour.<mode>`.
pub const FIXED_IDS: [&str; 3] = [
    "rf_multiplier",
    "car_occupancy_unknown",
    "telework_days_shift",
];

fn known_ids() -> Vec<String> {
    let mut v: Vec<String> = FIXED_IDS.iter().map(|s| s.to_string()).collect();
    v.extend(
        Mode::ALL
            .iter()
            .filter(|m| **m != Mode::Flight)
            .map(|m| format!("detour.{}", m.key())),
    );
    v
}

/// The mode of a `detour.<mode>` id.
pub fn detour_mode(id: &str) -> Option<Mode> {
    let key = id.strip_prefix("detour.")?;
    Mode::ALL
        .into_iter()
        .find(|m| m.key() == key && *m != Mode::Flight)
}

impl Ranges {
    /// The bundled ranges (`data/uncertainty.json`).
    ///
    /// # Panics
    /// Never for the committed file (a test parses it).
    pub fn bundled() -> Ranges {
        Ranges::from_json("bundled data/uncertainty.json", BUNDLED_RANGES)
            .expect("the bundled ranges file is valid")
    }

    /// Parses and checks a ranges file; `file` names it in messages.
    ///
    /// # Errors
    /// JSON syntax, an unknown field or range id (with the closest known one), a value out of
    /// range, low above high, or a range with neither a source nor a basis.
    pub fn from_json(file: &str, text: &str) -> Result<Ranges, ConfigError> {
        let f: RangesFile = parse_json(file, text)?;
        let err = |path: String, message: String, suggestion: Option<String>| ConfigError {
            file: file.to_string(),
            path,
            message,
            suggestion,
        };
        if f.version != 1 {
            return Err(err(
                "version".into(),
                format!("unsupported version {}, expected 1", f.version),
                None,
            ));
        }
        let known = known_ids();
        for (id, r) in &f.ranges {
            let path = format!("ranges.{id}");
            if !known.contains(id) {
                let best = known
                    .iter()
                    .map(|k| (k, strsim::jaro_winkler(id, k)))
                    .filter(|(_, s)| *s >= 0.7)
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(k, _)| format!("did you mean `{k}`?"));
                return Err(err(
                    path,
                    format!("unknown range `{id}`; known: {}", known.join(", ")),
                    best,
                ));
            }
            check_range(id, r).map_err(|m| err(path, m, None))?;
        }
        Ok(Ranges {
            file: file.to_string(),
            ranges: f.ranges,
        })
    }

    /// The range of an id.
    pub fn get(&self, id: &str) -> Option<&Range> {
        self.ranges.get(id)
    }
}

fn check_range(id: &str, r: &Range) -> Result<(), String> {
    if !r.low.is_finite() || !r.high.is_finite() {
        return Err(format!(
            "low and high must be finite numbers, got {} and {}",
            r.low, r.high
        ));
    }
    if r.low > r.high {
        return Err(format!("low {} is above high {}", r.low, r.high));
    }
    let (min, max, what) = match id {
        "rf_multiplier" => (1.0, 10.0, "an RF multiplier is between 1 and 10"),
        "car_occupancy_unknown" => (1.0, 9.0, "an occupancy is between 1 and 9 people"),
        "telework_days_shift" => (-7.0, 7.0, "a shift is between -7 and 7 days a week"),
        _ => (
            1.0,
            5.0,
            "a detour is between 1 and 5 times the great circle",
        ),
    };
    if r.low < min || r.high > max {
        return Err(format!(
            "{what}, got {} to {}; change low or high",
            r.low, r.high
        ));
    }
    if r.source.trim().is_empty() && r.basis.trim().is_empty() {
        return Err(
            "has neither a source nor a basis: name where the numbers come from (`source`) or state why the range is what it is (`basis`)"
                .into(),
        );
    }
    if !matches!(r.grade.as_str(), "" | "A" | "B" | "C" | "stated") {
        return Err(format!(
            "unknown grade `{}`; expected A, B, C or stated",
            r.grade
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_range_has_a_source_or_a_basis() {
        let r = Ranges::bundled();
        assert!(r.ranges.len() >= 5);
        for (id, range) in &r.ranges {
            assert!(
                !range.source.trim().is_empty() || !range.basis.trim().is_empty(),
                "{id} has neither a source nor a basis"
            );
            assert!(!range.label.is_empty(), "{id} has no label");
            assert!(!range.grade.is_empty(), "{id} has no grade");
            // A grade other than `stated` claims a source: it must name it.
            if range.grade != "stated" {
                assert!(
                    !range.source.trim().is_empty(),
                    "{id}: graded without a source"
                );
            }
        }
    }

    fn file_with(range: &str) -> String {
        format!(r#"{{"version": 1, "ranges": {{ {range} }} }}"#)
    }

    #[test]
    fn a_range_without_source_or_basis_is_refused() {
        let text = file_with(r#""rf_multiplier": {"low": 1, "high": 2, "source": " "}"#);
        let e = Ranges::from_json("r.json", &text).unwrap_err();
        assert_eq!(e.path, "ranges.rf_multiplier");
        assert!(e.message.contains("neither a source nor a basis"), "{e}");
    }

    #[test]
    fn unknown_ids_and_fields_name_the_closest_known_one() {
        let text = file_with(r#""detour.trian": {"low": 1.1, "high": 1.3, "basis": "x"}"#);
        let e = Ranges::from_json("r.json", &text).unwrap_err();
        assert_eq!(
            e.suggestion.as_deref(),
            Some("did you mean `detour.train`?")
        );
        let text = file_with(r#""detour.train": {"low": 1.1, "hihg": 1.3, "basis": "x"}"#);
        let e = Ranges::from_json("r.json", &text).unwrap_err();
        assert!(e.to_string().contains("ranges.detour.train"), "{e}");
        assert_eq!(e.suggestion.as_deref(), Some("did you mean `high`?"), "{e}");
    }

    #[test]
    fn values_are_checked() {
        for (range, needle) in [
            (
                r#""rf_multiplier": {"low": 2, "high": 1, "basis": "x"}"#,
                "above high",
            ),
            (
                r#""rf_multiplier": {"low": 0.5, "high": 1, "basis": "x"}"#,
                "between 1 and 10",
            ),
            (
                r#""detour.car": {"low": 0.9, "high": 1.3, "basis": "x"}"#,
                "detour",
            ),
            (
                r#""car_occupancy_unknown": {"low": 1, "high": 2, "basis": "x", "grade": "D"}"#,
                "grade",
            ),
        ] {
            let e = Ranges::from_json("r.json", &file_with(range)).unwrap_err();
            assert!(e.message.contains(needle), "{range}: {e}");
        }
        let e = Ranges::from_json("r.json", r#"{"version": 2, "ranges": {}}"#).unwrap_err();
        assert_eq!(e.path, "version");
    }

    #[test]
    fn detour_ids_name_their_mode() {
        assert_eq!(detour_mode("detour.train"), Some(Mode::Train));
        assert_eq!(detour_mode("detour.flight"), None);
        assert_eq!(detour_mode("rf_multiplier"), None);
    }
}
