//! The series file (JSON): one inventory configuration per year, the base year, an optional
//! target and significance threshold, and per year optionally the total reported at the time.
//!
//! ```json
//! {
//!   "name": "University of Twente mobility",
//!   "base_year": 2019,
//!   "target": {"year": 2030, "reduction_pct": 50, "source": "..."},
//!   "significance_threshold_pct": 5,
//!   "years": [
//!     {"year": 2019, "config": "2019/inventory.json",
//!      "reported": {"co2e_t": 9800, "source": "annual report 2019", "method": "DESNZ 2019"}},
//!     {"year": 2025, "config": "inventory.json"}
//!   ]
//! }
//! ```
//!
//! Paths are relative to the series file. Unknown fields are errors that name the field, where
//! it is and the closest known field (the same messages as the inventory configuration).

use crate::inventory::{ConfigError, FactorsConfig, parse_json};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The default significance threshold, in % of the base-year total (see [`SIGNIFICANCE_BASIS`]).
pub const DEFAULT_SIGNIFICANCE_PCT: f64 = 5.0;

/// Why 5 % is the default significance threshold.
pub const SIGNIFICANCE_BASIS: &str = "The GHG Protocol Corporate Standard (ch. 5, tracking emissions over time) asks for base-year emissions to be recalculated when a change in calculation methodology, emission factors or boundary, or the discovery of errors, has a significant impact on them, and leaves the significance threshold to the organisation's recalculation policy (as CDP's guidance on base-year recalculation summarises it). 5 % is common practice: the SBTi states a 5 % threshold for mandatory target recalculation (SBTi Corporate Net-Zero Standard criteria, as the SBTi's own answer on its community forum cites them). Set `significance_threshold_pct` in the series file for another policy.";

/// Earliest and latest year a series may list.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A series of yearly inventories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Free text for people reading the file (ignored).
    #[serde(default, rename = "_comment", skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Name shown in titles.
    pub name: String,
    /// The year every other year is compared with (one of `years`).
    pub base_year: i32,
    /// A reduction target against the base year.
    #[serde(default)]
    pub target: Option<Target>,
    /// A method change moving a total by at least this % is significant (default 5).
    #[serde(default)]
    pub significance_threshold_pct: Option<f64>,
    /// The method every year is restated with (pack, RF, boundary, flight haul, rail rule);
    /// without it, the latest year's configuration's `factors`.
    #[serde(default)]
    pub method: Option<FactorsConfig>,
    /// One entry per year, in any order (sorted on reading).
    pub years: Vec<SeriesYear>,
}

/// A reduction target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The year by which the reduction is to be reached.
    pub year: i32,
    /// Reduction against the base year, in % (0 < value <= 100).
    pub reduction_pct: f64,
    /// Where the target comes from.
    pub source: String,
}

/// One year of the series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesYear {
    /// The reporting year (the configuration's `year` must be the same).
    pub year: i32,
    /// The inventory configuration of that year, relative to the series file.
    pub config: PathBuf,
    /// The total the organisation reported at the time.
    #[serde(default)]
    pub reported: Option<Reported>,
}

/// A total reported at the time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reported {
    /// t CO2e as reported.
    pub co2e_t: f64,
    /// Where the figure was published.
    pub source: String,
    /// The method it was computed with, as the source states it.
    #[serde(default)]
    pub method: Option<String>,
}

impl Series {
    /// Parses and checks a series file; `file` names it in messages. Years are sorted.
    ///
    /// # Errors
    /// JSON syntax, an unknown or misspelled field (with the closest known one), a missing
    /// field, a year out of range or listed twice, a base year not in the list, a target
    /// before the base year, a threshold or reported total out of range, an unknown pack.
    pub fn from_json(file: &str, text: &str) -> Result<Series, ConfigError> {
        let mut s: Series = parse_json(file, text)?;
        s.check(file)?;
        s.years.sort_by_key(|y| y.year);
        Ok(s)
    }

    /// The significance threshold in %.
    pub fn threshold_pct(&self) -> f64 {
        self.significance_threshold_pct
            .unwrap_or(DEFAULT_SIGNIFICANCE_PCT)
    }

    /// Makes every configuration path absolute against `base` (the series file's folder).
    pub fn resolve_paths(&mut self, base: &Path) {
        for y in &mut self.years {
            if y.config.is_relative() {
                y.config = base.join(&y.config);
            }
        }
    }

    fn check(&self, file: &str) -> Result<(), ConfigError> {
        let err = |path: String, message: String| ConfigError {
            file: file.to_string(),
            path,
            message,
            suggestion: None,
        };
        if self.name.trim().is_empty() {
            return Err(err("name".into(), "give the series a name".into()));
        }
        if self.years.is_empty() {
            return Err(err(
                "years".into(),
                "list at least one year with its inventory configuration".into(),
            ));
        }
        for (i, y) in self.years.iter().enumerate() {
            if !YEARS.contains(&y.year) {
                return Err(err(
                    format!("years[{i}].year"),
                    format!(
                        "{} is not a reporting year between {} and {}",
                        y.year,
                        YEARS.start(),
                        YEARS.end()
                    ),
                ));
            }
            if let Some(j) = self.years[..i].iter().position(|o| o.year == y.year) {
                return Err(err(
                    format!("years[{i}].year"),
                    format!(
                        "{} is listed twice (years[{j}] and years[{i}]): one configuration per year",
                        y.year
                    ),
                ));
            }
            if y.config.as_os_str().is_empty() {
                return Err(err(
                    format!("years[{i}].config"),
                    "give the path of the year's inventory configuration".into(),
                ));
            }
            if let Some(r) = &y.reported {
                if !r.co2e_t.is_finite() || r.co2e_t <= 0.0 {
                    return Err(err(
                        format!("years[{i}].reported.co2e_t"),
                        format!("must be a number greater than 0, got {}", r.co2e_t),
                    ));
                }
                if r.source.trim().is_empty() {
                    return Err(err(
                        format!("years[{i}].reported.source"),
                        "say where the reported figure was published (no number without a source)"
                            .into(),
                    ));
                }
            }
        }
        if !self.years.iter().any(|y| y.year == self.base_year) {
            let listed: Vec<String> = self.years.iter().map(|y| y.year.to_string()).collect();
            return Err(err(
                "base_year".into(),
                format!(
                    "{} is not one of the listed years ({}): add its configuration to `years`",
                    self.base_year,
                    listed.join(", ")
                ),
            ));
        }
        if let Some(t) = &self.target {
            if t.year <= self.base_year || !YEARS.contains(&t.year) {
                return Err(err(
                    "target.year".into(),
                    format!(
                        "must be after the base year {} (and at most {}), got {}",
                        self.base_year,
                        YEARS.end(),
                        t.year
                    ),
                ));
            }
            if !(t.reduction_pct.is_finite() && t.reduction_pct > 0.0 && t.reduction_pct <= 100.0) {
                return Err(err(
                    "target.reduction_pct".into(),
                    format!(
                        "must be a percentage above 0 and at most 100, got {}",
                        t.reduction_pct
                    ),
                ));
            }
            if t.source.trim().is_empty() {
                return Err(err(
                    "target.source".into(),
                    "say where the target comes from".into(),
                ));
            }
        }
        if let Some(p) = self.significance_threshold_pct {
            if !(p.is_finite() && p > 0.0 && p < 100.0) {
                return Err(err(
                    "significance_threshold_pct".into(),
                    format!("must be a percentage above 0 and below 100, got {p}"),
                ));
            }
        }
        if let Some(m) = &self.method {
            if let Err(e) = crate::factors::PackSet::bundled().get(&m.pack) {
                return Err(err("method.pack".into(), e.to_string()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIES: &str = r#"{
        "name": "Test U",
        "base_year": 2019,
        "target": {"year": 2030, "reduction_pct": 50, "source": "plan"},
        "years": [
            {"year": 2025, "config": "2025.json"},
            {"year": 2019, "config": "2019.json", "reported": {"co2e_t": 100, "source": "report 2019"}}
        ]
    }"#;

    fn error(text: &str) -> ConfigError {
        Series::from_json("series.json", text).unwrap_err()
    }

    #[test]
    fn a_series_reads_sorted_with_defaults() {
        let mut s = Series::from_json("series.json", SERIES).unwrap();
        assert_eq!(
            s.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2019, 2025]
        );
        assert_eq!(s.threshold_pct(), 5.0);
        assert!(s.method.is_none());
        s.resolve_paths(Path::new("/data"));
        assert_eq!(s.years[0].config, Path::new("/data/2019.json"));
    }

    #[test]
    fn unknown_fields_name_the_path_and_suggest() {
        let e = error(&SERIES.replace("\"reduction_pct\"", "\"reduction_pc\""));
        assert_eq!(e.path, "target.reduction_pc");
        assert!(
            e.to_string().ends_with("did you mean `reduction_pct`?"),
            "{e}"
        );
        let e = error(&SERIES.replace("\"config\": \"2025.json\"", "\"confg\": \"2025.json\""));
        assert_eq!(e.path, "years[0].confg");
        assert!(e.to_string().contains("(line 6, column"), "{e}");
    }

    #[test]
    fn bad_years_duplicates_and_a_missing_base_year_are_refused() {
        let e = error(&SERIES.replace("\"year\": 2025", "\"year\": 2019"));
        assert_eq!(e.path, "years[1].year");
        assert!(
            e.message.contains("listed twice (years[0] and years[1])"),
            "{e}"
        );
        let e = error(&SERIES.replace("\"base_year\": 2019", "\"base_year\": 2018"));
        assert_eq!(e.path, "base_year");
        assert!(
            e.message
                .contains("2018 is not one of the listed years (2025, 2019)"),
            "{e}"
        );
        let e = error(&SERIES.replace("\"year\": 2025", "\"year\": 1850"));
        assert_eq!(e.path, "years[0].year");
        let e = error(&SERIES.replace("\"year\": 2030", "\"year\": 2019"));
        assert_eq!(e.path, "target.year");
        let e = error(&SERIES.replace("\"co2e_t\": 100", "\"co2e_t\": -3"));
        assert_eq!(e.path, "years[1].reported.co2e_t");
        let e = error(&SERIES.replace("\"source\": \"report 2019\"", "\"source\": \" \""));
        assert_eq!(e.path, "years[1].reported.source");
        let e = error(&SERIES.replace(
            "\"base_year\": 2019,",
            "\"base_year\": 2019, \"significance_threshold_pct\": 0,",
        ));
        assert_eq!(e.path, "significance_threshold_pct");
        let e = error(&SERIES.replace(
            "\"base_year\": 2019,",
            "\"base_year\": 2019, \"method\": {\"pack\": \"nope\"},",
        ));
        assert_eq!(e.path, "method.pack");
        let e = error(r#"{"name": "x", "base_year": 2019, "years": []}"#);
        assert_eq!(e.path, "years");
        let e = error("{\"name\": \"x\", \"base_year\": \"2019\", \"years\": []}");
        assert_eq!(e.path, "base_year");
    }
}
