//! The inventory configuration file (JSON): what to read and how to report it.
//!
//! Paths inside the file are relative to the file itself. Unknown fields are errors that
//! name the field, where it is, and the closest known field.

use crate::commute::{BootstrapOptions, Group, HomeWorking, PopulationUnit, Role};
use crate::input::ColumnMap;
use crate::journey::CalcOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryConfig {
    /// Free text for people reading the file (ignored).
    #[serde(default, rename = "_comment", skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Organisation, as shown in titles.
    pub organisation: String,
    /// Reporting year.
    pub year: i32,
    /// The campus commuters travel to: any place the gazetteer resolves (default `ut`,
    /// the University of Twente campus).
    #[serde(default = "default_campus")]
    pub campus: String,
    /// Place aliases for names the gazetteer does not know (one `alias<TAB>target` a line),
    /// relative to the configuration.
    #[serde(default)]
    pub aliases: Option<PathBuf>,
    /// The figure to compare with.
    #[serde(default)]
    pub baseline: Option<BaselineConfig>,
    /// Factor pack and reporting boundary.
    #[serde(default)]
    pub factors: FactorsConfig,
    /// Business-travel exports (GHG category 6).
    #[serde(default)]
    pub business: Option<BusinessConfig>,
    /// The commuting survey and the population it stands for (GHG category 7).
    #[serde(default)]
    pub commuting: Option<CommutingConfig>,
}

fn default_campus() -> String {
    "ut".into()
}

/// A reported figure to compare the inventory with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineConfig {
    /// t CO2e a year.
    pub co2e_t: f64,
    /// Share of the organisation's whole footprint the figure is, in %, when the source says.
    #[serde(default)]
    pub share_of_footprint_pct: Option<f64>,
    /// What the figure covers (e.g. "commuting and business travel").
    #[serde(default)]
    pub covers: Option<String>,
    /// Where the figure comes from, ideally the sentence that states it.
    pub source: String,
}

/// Reporting boundary of fuels and electricity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Boundary {
    /// Well-to-wheel: tank-to-wheel + well-to-tank (the default).
    #[default]
    Wtw,
    /// Tank-to-wheel only.
    Ttw,
}

/// Factor pack and options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorsConfig {
    /// Factor pack id (`footprint factors` lists them).
    #[serde(default = "default_pack")]
    pub pack: String,
    /// Include the non-CO2 effects (radiative forcing) of flights.
    #[serde(default = "yes")]
    pub rf: bool,
    /// `wtw` (default) or `ttw`.
    #[serde(default)]
    pub boundary: Boundary,
    /// Flight haul band for every flight, e.g. `international`.
    #[serde(default)]
    pub flight_haul: Option<String>,
    /// Train legs: `country` (default; by the countries crossed) or `pack` (the pack's single
    /// rail factor).
    #[serde(default)]
    pub rail_factor: crate::factors::RailFactor,
    /// Flights: `published` (default; the pack's bands) or `smooth` (a linear blend of the
    /// adjacent bands around each edge, [`crate::factors::FlightBandRule`]).
    #[serde(default)]
    pub flight_bands: crate::factors::FlightBandRule,
}

fn default_pack() -> String {
    crate::factors::pack_default_id().to_string()
}
fn yes() -> bool {
    true
}

impl Default for FactorsConfig {
    fn default() -> Self {
        FactorsConfig {
            pack: default_pack(),
            rf: true,
            boundary: Boundary::Wtw,
            flight_haul: None,
            rail_factor: crate::factors::RailFactor::Country,
            flight_bands: crate::factors::FlightBandRule::Published,
        }
    }
}

impl FactorsConfig {
    /// The engine's options.
    pub fn calc_options(&self) -> CalcOptions {
        CalcOptions {
            pack: self.pack.clone(),
            include_rf: self.rf,
            include_wtt: self.boundary == Boundary::Wtw,
            haul_override: self.flight_haul.clone(),
            rail_factor: self.rail_factor,
            flight_bands: self.flight_bands,
        }
    }

    /// The configuration that gives `calc` (the inverse of [`FactorsConfig::calc_options`]):
    /// how a method that was evaluated is written back, e.g. as a series' restating method.
    pub fn from_calc_options(calc: &CalcOptions) -> FactorsConfig {
        FactorsConfig {
            pack: calc.pack.clone(),
            rf: calc.include_rf,
            boundary: if calc.include_wtt {
                Boundary::Wtw
            } else {
                Boundary::Ttw
            },
            flight_haul: calc.haul_override.clone(),
            rail_factor: calc.rail_factor,
            flight_bands: calc.flight_bands,
        }
    }
}

/// One path or several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Paths {
    /// One file.
    One(PathBuf),
    /// Several files.
    Many(Vec<PathBuf>),
}

impl Paths {
    /// The paths as a list.
    pub fn to_vec(&self) -> Vec<PathBuf> {
        match self {
            Paths::One(p) => vec![p.clone()],
            Paths::Many(v) => v.clone(),
        }
    }
}

/// A column map: a preset name, a JSON file holding a map, or the map itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColumnsConfig {
    /// A preset (`ges1point5`) or the path of a JSON column-map file.
    Name(String),
    /// `{"field": "Column"}` or `{"field": ["Column A", "Column B"]}`.
    Map(BTreeMap<String, OneOrMany>),
}

/// A column name or several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One column.
    One(String),
    /// Several columns joined with ", ".
    Many(Vec<String>),
}

impl ColumnsConfig {
    /// True when the value names a file (ends in `.json`) rather than a preset.
    pub fn file(&self) -> Option<&str> {
        match self {
            ColumnsConfig::Name(n) if n.to_ascii_lowercase().ends_with(".json") => Some(n),
            _ => None,
        }
    }

    /// The column map for an inline map or a preset; `read` returns the text of a map file
    /// (a path relative to the configuration).
    ///
    /// # Errors
    /// An unknown preset, an unreadable or invalid map file.
    pub fn column_map(
        &self,
        read: &mut dyn FnMut(&str) -> Result<String, String>,
    ) -> Result<ColumnMap, String> {
        match self {
            ColumnsConfig::Map(m) => Ok(ColumnMap {
                origin: "column map in the configuration".into(),
                fields: m
                    .iter()
                    .map(|(k, v)| {
                        let cols = match v {
                            OneOrMany::One(s) => vec![s.clone()],
                            OneOrMany::Many(v) => v.clone(),
                        };
                        (k.clone(), cols)
                    })
                    .collect(),
            }),
            ColumnsConfig::Name(n) => match self.file() {
                Some(path) => {
                    let text = read(path)?;
                    ColumnMap::from_json(path, &text)
                }
                None => ColumnMap::preset(n).ok_or_else(|| {
                    format!(
                        "unknown column preset `{n}`; presets: {} (or the path of a JSON column map ending in .json)",
                        crate::input::PRESETS.join(", ")
                    )
                }),
            },
        }
    }
}

/// Business-travel exports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessConfig {
    /// CSV/TSV, XLSX or JSON files (relative to the configuration).
    pub files: Paths,
    /// Column map or preset.
    #[serde(default)]
    pub columns: Option<ColumnsConfig>,
    /// Workbook sheet (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// The column holding the department, for the breakdown by department.
    #[serde(default = "default_department")]
    pub department: String,
}

fn default_department() -> String {
    "department".into()
}

/// One population group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// Headcount or FTE of the group.
    pub population: f64,
    /// `headcount` (default) or `fte`.
    #[serde(default)]
    pub unit: PopulationUnit,
    /// Weeks a year on campus, used when a respondent does not say.
    pub weeks_per_year: f64,
    /// `staff`, `student` or `other` (default): per-capita figures and the WPM report
    /// (employees only) use it.
    #[serde(default)]
    pub role: Role,
}

/// Bootstrap settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapConfig {
    /// Random seed.
    #[serde(default = "one")]
    pub seed: u64,
    /// Iterations (0 turns the interval off).
    #[serde(default = "thousand")]
    pub iterations: u32,
}

fn one() -> u64 {
    1
}
fn thousand() -> u32 {
    1000
}

impl Default for BootstrapConfig {
    fn default() -> Self {
        BootstrapConfig {
            seed: 1,
            iterations: 1000,
        }
    }
}

/// The default minimum cell size of survey breakdowns.
pub const DEFAULT_MIN_CELL_SIZE: usize = 5;

fn five() -> usize {
    DEFAULT_MIN_CELL_SIZE
}

/// The commuting survey and its population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommutingConfig {
    /// Survey file(s) (relative to the configuration).
    pub survey: Paths,
    /// Column map or preset.
    #[serde(default)]
    pub columns: Option<ColumnsConfig>,
    /// Workbook sheet (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Population per group.
    pub groups: BTreeMap<String, GroupConfig>,
    /// Groups without respondents → the group whose per-capita figure stands in.
    #[serde(default)]
    pub assume: BTreeMap<String, String>,
    /// Minimum respondents behind any row of a breakdown (default 5).
    #[serde(default = "five")]
    pub min_cell_size: usize,
    /// Bootstrap seed and iterations.
    #[serde(default)]
    pub bootstrap: BootstrapConfig,
    /// Home-working emissions per telework day (off unless given).
    #[serde(default)]
    pub home_working: Option<HomeWorking>,
}

impl CommutingConfig {
    /// The groups as the commuting module uses them.
    pub fn groups(&self) -> BTreeMap<String, Group> {
        self.groups
            .iter()
            .map(|(name, g)| {
                (
                    name.clone(),
                    Group {
                        name: name.clone(),
                        population: g.population,
                        unit: g.unit,
                        weeks_per_year: g.weeks_per_year,
                        role: g.role,
                        assume: self.assume.get(name).cloned(),
                    },
                )
            })
            .collect()
    }

    /// The bootstrap options.
    pub fn bootstrap_options(&self) -> BootstrapOptions {
        BootstrapOptions {
            seed: self.bootstrap.seed,
            iterations: self.bootstrap.iterations,
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ConfigError {
    /// The configuration file as named.
    pub file: String,
    /// Where in the JSON (`commuting.bootstrap.seeed`), empty at the top.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to do, e.g. "did you mean `seed`?".
    pub suggestion: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        if !self.path.is_empty() && self.path != "." {
            write!(f, "`{}`: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, "; {s}")?;
        }
        Ok(())
    }
}

/// `unknown field `x`, expected one of `a`, `b`` → (x, [a, b]).
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect();
    Some((field.to_string(), expected))
}

/// Parses JSON into `T` with the configuration's messages: the path of the field, line and
/// column, and for an unknown field the closest known one ("did you mean `seed`?").
///
/// # Errors
/// JSON syntax, an unknown field, a missing field or a value of the wrong type.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, ConfigError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let full = inner.to_string();
        let message = full
            .rsplit_once(" at line ")
            .map(|(m, _)| m.to_string())
            .unwrap_or_else(|| full.clone());
        let at = if inner.line() > 0 {
            format!(" (line {}, column {})", inner.line(), inner.column())
        } else {
            String::new()
        };
        let suggestion = unknown_field(&message).and_then(|(field, expected)| {
            expected
                .iter()
                .map(|x| (x, strsim::jaro_winkler(&field, x)))
                .filter(|(_, s)| *s >= 0.7)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(x, _)| format!("did you mean `{x}`?"))
        });
        ConfigError {
            file: file.to_string(),
            path,
            message: format!("{message}{at}"),
            suggestion,
        }
    })
}

impl InventoryConfig {
    /// Parses and checks a configuration; `file` names it in messages.
    ///
    /// # Errors
    /// JSON syntax, an unknown or misspelled field (with the closest known one), a missing
    /// field, or a value out of range — each naming where in the file.
    pub fn from_json(file: &str, text: &str) -> Result<InventoryConfig, ConfigError> {
        let cfg: InventoryConfig = parse_json(file, text)?;
        cfg.check(file)?;
        Ok(cfg)
    }

    fn check(&self, file: &str) -> Result<(), ConfigError> {
        let err = |path: &str, message: String| ConfigError {
            file: file.to_string(),
            path: path.to_string(),
            message,
            suggestion: None,
        };
        if let Some(b) = &self.baseline {
            if !b.co2e_t.is_finite() || b.co2e_t <= 0.0 {
                return Err(err(
                    "baseline.co2e_t",
                    format!("must be a number greater than 0, got {}", b.co2e_t),
                ));
            }
            if let Some(s) = b.share_of_footprint_pct {
                if !(s > 0.0 && s <= 100.0) {
                    return Err(err(
                        "baseline.share_of_footprint_pct",
                        format!("must be a percentage between 0 and 100, got {s}"),
                    ));
                }
            }
            if b.source.trim().is_empty() {
                return Err(err(
                    "baseline.source",
                    "say where the baseline comes from (no number without a source)".into(),
                ));
            }
        }
        if let Err(e) = crate::factors::PackSet::bundled().get(&self.factors.pack) {
            return Err(err("factors.pack", e.to_string()));
        }
        if self.business.is_none() && self.commuting.is_none() {
            return Err(err(
                "",
                "nothing to compute: give `business` (travel exports), `commuting` (a survey), or both".into(),
            ));
        }
        if let Some(c) = &self.commuting {
            if c.groups.is_empty() {
                return Err(err(
                    "commuting.groups",
                    "give at least one group with its population".into(),
                ));
            }
            for (name, g) in &c.groups {
                if !g.population.is_finite() || g.population < 0.0 {
                    return Err(err(
                        &format!("commuting.groups.{name}.population"),
                        format!("must be a number of at least 0, got {}", g.population),
                    ));
                }
                if !(0.0..=53.0).contains(&g.weeks_per_year) {
                    return Err(err(
                        &format!("commuting.groups.{name}.weeks_per_year"),
                        format!("must be between 0 and 53, got {}", g.weeks_per_year),
                    ));
                }
            }
            for (from, to) in &c.assume {
                let names = || c.groups.keys().cloned().collect::<Vec<_>>().join(", ");
                if !c.groups.contains_key(from) {
                    return Err(err(
                        &format!("commuting.assume.{from}"),
                        format!("`{from}` is not a group; groups: {}", names()),
                    ));
                }
                if !c.groups.contains_key(to) || to == from {
                    return Err(err(
                        &format!("commuting.assume.{from}"),
                        format!("`{to}` must be another group; groups: {}", names()),
                    ));
                }
            }
            if c.min_cell_size == 0 {
                return Err(err("commuting.min_cell_size", "must be at least 1".into()));
            }
            if c.bootstrap.iterations > 1_000_000 {
                return Err(err(
                    "commuting.bootstrap.iterations",
                    format!("at most 1,000,000, got {}", c.bootstrap.iterations),
                ));
            }
            if let Some(h) = &c.home_working {
                if !h.kg_per_day.is_finite() || h.kg_per_day < 0.0 {
                    return Err(err(
                        "commuting.home_working.kg_per_day",
                        format!("must be a number of at least 0, got {}", h.kg_per_day),
                    ));
                }
                if h.source.trim().is_empty() {
                    return Err(err(
                        "commuting.home_working.source",
                        "say where the home-working factor comes from".into(),
                    ));
                }
            }
        }
        if let Some(b) = &self.business {
            let files = b.files.to_vec();
            if files.is_empty() {
                return Err(err("business.files", "give at least one file".into()));
            }
            // The same file twice would be counted twice.
            let key = |p: &Path| -> PathBuf {
                p.components()
                    .filter(|c| !matches!(c, std::path::Component::CurDir))
                    .collect()
            };
            for (i, a) in files.iter().enumerate() {
                if let Some(j) = files[..i].iter().position(|b| key(b) == key(a)) {
                    return Err(err(
                        "business.files",
                        format!(
                            "file {} and file {} are both `{}`: its journeys would be counted twice",
                            j + 1,
                            i + 1,
                            crate::input::excerpt(&a.display().to_string(), 80)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Makes every relative path absolute against `base` (the configuration's folder).
    pub fn resolve_paths(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() && p.as_os_str() != "-" {
                *p = base.join(&*p);
            }
        };
        let fix_all = |ps: &mut Paths| match ps {
            Paths::One(p) => fix(p),
            Paths::Many(v) => v.iter_mut().for_each(fix),
        };
        let fix_cols = |c: &mut Option<ColumnsConfig>| {
            if let Some(ColumnsConfig::Name(n)) = c {
                if n.to_ascii_lowercase().ends_with(".json") && Path::new(n.as_str()).is_relative()
                {
                    *n = base.join(n.as_str()).display().to_string();
                }
            }
        };
        if let Some(a) = &mut self.aliases {
            fix(a);
        }
        if let Some(b) = &mut self.business {
            fix_all(&mut b.files);
            fix_cols(&mut b.columns);
        }
        if let Some(c) = &mut self.commuting {
            fix_all(&mut c.survey);
            fix_cols(&mut c.columns);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
        "organisation": "Test U",
        "year": 2025,
        "commuting": {
            "survey": "survey.csv",
            "groups": {"staff": {"population": 100, "unit": "fte", "weeks_per_year": 44, "role": "staff"}}
        }
    }"#;

    #[test]
    fn factors_round_trip_through_the_engine_options() {
        use crate::factors::{FlightBandRule, RailFactor};
        for boundary in [Boundary::Wtw, Boundary::Ttw] {
            for rail_factor in [RailFactor::Country, RailFactor::Pack] {
                for flight_bands in [FlightBandRule::Published, FlightBandRule::Smooth] {
                    let f = FactorsConfig {
                        pack: "ademe-2025".into(),
                        rf: boundary == Boundary::Wtw,
                        boundary,
                        flight_haul: Some("international".into()),
                        rail_factor,
                        flight_bands,
                    };
                    assert_eq!(FactorsConfig::from_calc_options(&f.calc_options()), f);
                }
            }
        }
    }

    #[test]
    fn defaults() {
        let c = InventoryConfig::from_json("inv.json", MINIMAL).unwrap();
        assert_eq!(c.campus, "ut");
        assert_eq!(c.factors.pack, "desnz-2025");
        assert!(c.factors.rf);
        let com = c.commuting.as_ref().unwrap();
        assert_eq!(com.min_cell_size, 5);
        assert_eq!(com.bootstrap.iterations, 1000);
        assert_eq!(com.groups()["staff"].unit, PopulationUnit::Fte);
        let mut c = c;
        c.resolve_paths(Path::new("/data/ut"));
        assert_eq!(
            c.commuting.unwrap().survey.to_vec(),
            [PathBuf::from("/data/ut/survey.csv")]
        );
    }

    #[test]
    fn unknown_field_names_the_path_and_suggests() {
        let text = MINIMAL.replace("\"weeks_per_year\"", "\"weeks_per_yaer\"");
        let e = InventoryConfig::from_json("inv.json", &text).unwrap_err();
        assert_eq!(e.path, "commuting.groups.staff.weeks_per_yaer");
        let s = e.to_string();
        assert!(s.contains("unknown field `weeks_per_yaer`"), "{s}");
        assert!(s.ends_with("did you mean `weeks_per_year`?"), "{s}");
        assert!(s.contains("(line 6, column"), "{s}");
        let text = MINIMAL.replace("\"year\"", "\"yaer\"");
        let e = InventoryConfig::from_json("inv.json", &text).unwrap_err();
        assert!(e.to_string().contains("did you mean `year`?"), "{e}");
    }

    #[test]
    fn bad_values_are_refused() {
        for (from, to, path) in [
            (
                "\"population\": 100",
                "\"population\": -1",
                "commuting.groups.staff.population",
            ),
            (
                "\"weeks_per_year\": 44",
                "\"weeks_per_year\": 60",
                "commuting.groups.staff.weeks_per_year",
            ),
            (
                "\"year\": 2025",
                "\"year\": 2025, \"factors\": {\"pack\": \"nope\"}",
                "factors.pack",
            ),
        ] {
            let e = InventoryConfig::from_json("inv.json", &MINIMAL.replace(from, to)).unwrap_err();
            assert_eq!(e.path, path, "{e}");
        }
        let e = InventoryConfig::from_json(
            "inv.json",
            &MINIMAL.replace("\"groups\"", "\"assume\": {\"phd\": \"staff\"}, \"groups\""),
        )
        .unwrap_err();
        assert!(e.to_string().contains("`phd` is not a group"), "{e}");
    }
}
