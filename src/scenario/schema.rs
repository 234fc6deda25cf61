//! The scenario file: schema, parsing, and validation with errors that name the file, the
//! field (as a JSON path such as `interventions[2].share`) and the value.
//!
//! The full description with examples is `data/scenarios/README.md`.

use crate::mode::{Cabin, Fuel, Mode, Size};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

/// A scenario file that cannot be used: which file, which field, which value, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {}{message}", location(.path))]
pub struct ScenarioError {
    /// The file as the user named it.
    pub file: String,
    /// JSON path of the field, e.g. `interventions[2].share`; empty for the whole file,
    /// `line L, column C` for a JSON syntax error.
    pub path: String,
    /// The offending value as written, when there is one.
    pub value: Option<String>,
    /// What is wrong, including the value.
    pub message: String,
}

fn location(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else if path.starts_with("line ") {
        format!("{path}: ")
    } else {
        format!("field `{path}`: ")
    }
}

/// GHG Protocol scope 3 category of an inventory row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Category 6, business travel.
    Business,
    /// Category 7, employee commuting.
    Commuting,
}

impl Category {
    /// The key used in files and output.
    pub fn key(self) -> &'static str {
        match self {
            Category::Business => "business",
            Category::Commuting => "commuting",
        }
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match crate::mode::normalise_word(s).as_str() {
            "business" | "businesstravel" | "cat6" | "category6" => Ok(Category::Business),
            "commuting" | "commute" | "cat7" | "category7" => Ok(Category::Commuting),
            _ => Err(format!(
                "unknown category `{}`; expected `business` or `commuting`",
                s.trim()
            )),
        }
    }
}

/// Adoption ramp: no effect before `start_year`, full effect from `full_effect_year`, linear
/// in between (see [`Adoption::fraction`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adoption {
    /// First year of the ramp (effect 0 in that year).
    pub start_year: i32,
    /// Year from which the scenario has its full effect.
    pub full_effect_year: i32,
}

impl Adoption {
    /// Share of the full effect reached in `year`: 0 up to `start_year`, 1 from
    /// `full_effect_year`, linear in between (`(year − start) / (full − start)`).
    pub fn fraction(&self, year: i32) -> f64 {
        if year >= self.full_effect_year {
            1.0
        } else if year <= self.start_year {
            0.0
        } else {
            f64::from(year - self.start_year) / f64::from(self.full_effect_year - self.start_year)
        }
    }
}

/// Which rows an intervention applies to. Every given condition must hold (AND); a list
/// matches any of its values (OR). An empty filter matches every row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Filter {
    /// Business travel or commuting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Modes (any of).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub modes: Vec<Mode>,
    /// Dimension conditions `(name, accepted values)`: `group`, `department` or any column of
    /// the input; names and values compare case-insensitively.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<(String, Vec<String>)>,
    /// ISO 3166-1 alpha-2 codes of the destination (business travel), upper case.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destination_countries: Vec<String>,
    /// One-way travelled km at least this (inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_km: Option<f64>,
    /// One-way travelled km below this (exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_km: Option<f64>,
    /// Flight cabins (any of).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cabins: Vec<Cabin>,
}

/// A stated rebound: a share of the intervention's saving that is lost again.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rebound {
    /// Share of the saving lost, 0–1.
    pub share: f64,
    /// Why (e.g. "time saved is partly used for extra trips").
    pub reason: String,
}

/// Door-to-door time limit for a `mode_shift`, with the speed assumption stated in the file.
///
/// Estimated hours on the new mode = new-mode km (great circle × the pack's detour) ÷
/// `speed_kmh` + `access_hours`; a journey moves only when that is at most `max_hours`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DoorToDoor {
    /// Largest acceptable door-to-door time on the new mode, hours one way.
    pub max_hours: f64,
    /// Assumed average speed of the new mode over its travelled km, km/h.
    pub speed_kmh: f64,
    /// Assumed time to and from stations and for changes, hours one way.
    pub access_hours: f64,
}

/// `mode_shift`: journeys of one mode move to another; distance and factor are recomputed.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModeShift {
    /// The mode that journeys leave.
    #[serde(deserialize_with = "word")]
    pub from: Mode,
    /// The mode they move to.
    #[serde(deserialize_with = "word")]
    pub to: Mode,
    /// Fuel of the new mode (car), default unknown.
    #[serde(default, deserialize_with = "opt_word")]
    pub to_fuel: Option<Fuel>,
    /// Size of the new mode (car, motorbike), default average.
    #[serde(default, deserialize_with = "opt_word")]
    pub to_size: Option<Size>,
    /// Occupancy of the new mode (car), default 1.
    #[serde(default)]
    pub to_occupancy: Option<f64>,
    /// Move only journeys the new mode makes within this door-to-door time.
    #[serde(default)]
    pub door_to_door: Option<DoorToDoor>,
}

/// `factor_override`: one factor of a pack gets new values, with their source.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FactorOverride {
    /// Pack holding the factor; default the inventory's pack (then its fallback pack).
    #[serde(default)]
    pub pack: Option<String>,
    /// Factor id, e.g. `train.national` (see `footprint factors show PACK`).
    pub factor: String,
    /// New tank-to-wheel kg CO2e per unit (unchanged when absent).
    #[serde(default)]
    pub ttw: Option<f64>,
    /// New well-to-tank kg CO2e per unit.
    #[serde(default)]
    pub wtt: Option<f64>,
    /// New unsplit well-to-wheel energy kg CO2e per unit.
    #[serde(default)]
    pub energy_wtw: Option<f64>,
    /// New non-CO2 kg CO2e per unit.
    #[serde(default)]
    pub non_co2: Option<f64>,
    /// New construction kg CO2e per unit.
    #[serde(default)]
    pub construction: Option<f64>,
    /// Where the new values come from (required), or the words "hypothetical: ...".
    pub source: String,
}

/// What an intervention does to the rows it applies to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Journeys move to another mode.
    ModeShift(ModeShift),
    /// Journeys do not happen.
    Reduce,
    /// Commuters work from home on extra days.
    Telework {
        /// Extra telework days per week (campus days fall by as much, not below 0).
        extra_days_per_week: f64,
    },
    /// Car occupancy rises to at least this many people (carpooling).
    Occupancy {
        /// People per car, >= 1.
        occupancy: f64,
    },
    /// Cars change fuel (and optionally size).
    Fleet {
        /// The new fuel.
        fuel: Fuel,
        /// The new size, if it changes.
        #[serde(skip_serializing_if = "Option::is_none")]
        size: Option<Size>,
    },
    /// Flights in some cabins are booked in another.
    CabinPolicy {
        /// Cabins that are no longer booked.
        from: Vec<Cabin>,
        /// The cabin booked instead.
        to: Cabin,
    },
    /// A factor gets new values.
    FactorOverride(FactorOverride),
}

impl Action {
    /// The `type` key.
    pub fn key(&self) -> &'static str {
        match self {
            Action::ModeShift(_) => "mode_shift",
            Action::Reduce => "reduce",
            Action::Telework { .. } => "telework",
            Action::Occupancy { .. } => "occupancy",
            Action::Fleet { .. } => "fleet",
            Action::CabinPolicy { .. } => "cabin_policy",
            Action::FactorOverride(_) => "factor_override",
        }
    }
}

/// The intervention types, for error messages.
pub const TYPES: [&str; 7] = [
    "mode_shift",
    "reduce",
    "telework",
    "occupancy",
    "fleet",
    "cabin_policy",
    "factor_override",
];

/// One intervention of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intervention {
    /// Display label (default: generated from the type and parameters).
    pub label: String,
    /// What it does.
    pub action: Action,
    /// Which rows.
    pub filter: Filter,
    /// Fraction of every matching row it applies to, 0–1 (default 1).
    pub share: f64,
    /// Stated rebound, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rebound: Option<Rebound>,
    /// JSON path of the intervention in its file (`interventions[2]`).
    #[serde(skip)]
    pub path: String,
}

impl Intervention {
    /// The share after the rebound: `share × (1 − rebound)`.
    pub fn effective_share(&self) -> f64 {
        self.share * (1.0 - self.rebound.as_ref().map_or(0.0, |r| r.share))
    }
}

/// A parsed, validated scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// What it assumes, with sources.
    pub description: String,
    /// Who proposed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Adoption ramp.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adoption: Option<Adoption>,
    /// Interventions, applied in order.
    pub interventions: Vec<Intervention>,
    /// The file it came from, as named by the user.
    #[serde(skip)]
    pub file: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: String,
    description: String,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    adoption: Option<Adoption>,
    interventions: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFilter {
    #[serde(default, deserialize_with = "opt_word")]
    category: Option<Category>,
    #[serde(default, deserialize_with = "words")]
    mode: Vec<Mode>,
    #[serde(default, deserialize_with = "strings")]
    group: Vec<String>,
    #[serde(default, deserialize_with = "strings")]
    department: Vec<String>,
    #[serde(default)]
    dimensions: BTreeMap<String, OneOrMany>,
    #[serde(default, deserialize_with = "strings")]
    destination_country: Vec<String>,
    #[serde(default)]
    min_km: Option<f64>,
    #[serde(default)]
    max_km: Option<f64>,
    #[serde(default, deserialize_with = "words")]
    cabin: Vec<Cabin>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(OneOrMany::deserialize(d)?.into_vec())
}

fn words<'de, D: Deserializer<'de>, T>(d: D) -> Result<Vec<T>, D::Error>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    strings(d)?
        .iter()
        .map(|s| s.parse().map_err(D::Error::custom))
        .collect()
}

fn word<'de, D: Deserializer<'de>, T>(d: D) -> Result<T, D::Error>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    String::deserialize(d)?.parse().map_err(D::Error::custom)
}

fn opt_word<'de, D: Deserializer<'de>, T>(d: D) -> Result<Option<T>, D::Error>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    Option::<String>::deserialize(d)?
        .map(|s| s.parse().map_err(D::Error::custom))
        .transpose()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTelework {
    extra_days_per_week: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOccupancy {
    occupancy: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFleet {
    #[serde(deserialize_with = "word")]
    fuel: Fuel,
    #[serde(default, deserialize_with = "opt_word")]
    size: Option<Size>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCabinPolicy {
    #[serde(default, deserialize_with = "words")]
    from: Vec<Cabin>,
    #[serde(default, deserialize_with = "opt_word")]
    to: Option<Cabin>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReduce {}

/// Fields every intervention takes besides its own.
const COMMON: [&str; 5] = ["type", "label", "filter", "share", "rebound"];

/// Most interventions in one scenario file. Each intervention is one evaluation step over the
/// inventory's rows, so the run's time grows with their number (200 `reduce` steps took 41 s on
/// the bundled example); the bundled scenarios use at most 6. A longer list is refused before
/// any work, naming the limit.
pub const MAX_INTERVENTIONS: usize = 50;

/// Most interventions in one run, over all scenario files (`--combine` or not): the same
/// bound on time as [`MAX_INTERVENTIONS`], so that splitting a long list into many files does
/// not escape it. Two full files.
pub const MAX_RUN_INTERVENTIONS: usize = 2 * MAX_INTERVENTIONS;

/// Checks that `scenarios` together stay within [`MAX_RUN_INTERVENTIONS`].
///
/// # Errors
/// A message naming the count, the files and the limit.
pub fn check_run_size(scenarios: &[Scenario]) -> Result<(), String> {
    let total: usize = scenarios.iter().map(|s| s.interventions.len()).sum();
    if total > MAX_RUN_INTERVENTIONS {
        return Err(format!(
            "{total} interventions in {} scenario files; one run takes at most {MAX_RUN_INTERVENTIONS} in all (each is one evaluation step over every row): run fewer files at once",
            scenarios.len()
        ));
    }
    Ok(())
}

/// Parses and validates a scenario file. `file` is the name used in messages.
///
/// # Errors
/// [`ScenarioError`] for JSON syntax errors (line and column), unknown or missing fields,
/// unknown modes, cabins, fuels or categories, shares outside 0–1, and the other checks
/// listed in `data/scenarios/README.md`.
pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let err = |path: &str, value: Option<String>, message: String| ScenarioError {
        file: file.to_string(),
        path: path.to_string(),
        value,
        message,
    };
    let root: Value = serde_json::from_str(text).map_err(|e| {
        err(
            &format!("line {}, column {}", e.line(), e.column()),
            None,
            format!("not valid JSON: {e}"),
        )
    })?;
    let raw: RawScenario = typed(file, "", &root, &[])?;
    if raw.name.trim().is_empty() {
        return Err(err("name", Some(raw.name), "the name is empty".into()));
    }
    if raw.description.trim().is_empty() {
        return Err(err(
            "description",
            Some(raw.description),
            "the description is empty; state the scenario's assumptions and sources".into(),
        ));
    }
    if let Some(a) = raw.adoption {
        for (field, y) in [
            ("start_year", a.start_year),
            ("full_effect_year", a.full_effect_year),
        ] {
            if !(1990..=2100).contains(&y) {
                return Err(err(
                    &format!("adoption.{field}"),
                    Some(y.to_string()),
                    format!("year {y} is outside 1990–2100"),
                ));
            }
        }
        if a.full_effect_year < a.start_year {
            return Err(err(
                "adoption.full_effect_year",
                Some(a.full_effect_year.to_string()),
                format!(
                    "full_effect_year {} is before start_year {}",
                    a.full_effect_year, a.start_year
                ),
            ));
        }
    }
    if raw.interventions.len() > MAX_INTERVENTIONS {
        return Err(err(
            "interventions",
            Some(raw.interventions.len().to_string()),
            format!(
                "{} interventions; a scenario has at most {MAX_INTERVENTIONS} (each is one evaluation step over every row): split it into several scenario files",
                raw.interventions.len()
            ),
        ));
    }
    let mut interventions = Vec::with_capacity(raw.interventions.len());
    for (i, v) in raw.interventions.iter().enumerate() {
        interventions.push(intervention(file, &format!("interventions[{i}]"), v)?);
    }
    Ok(Scenario {
        name: raw.name.trim().to_string(),
        description: raw.description.trim().to_string(),
        author: raw.author.filter(|a| !a.trim().is_empty()),
        adoption: raw.adoption,
        interventions,
        file: file.to_string(),
    })
}

/// Deserialises `v` into `T`, reporting the JSON path below `prefix`. `common` lists fields
/// accepted around `T` that an "unknown field" message should also mention.
fn typed<T: DeserializeOwned>(
    file: &str,
    prefix: &str,
    v: &Value,
    common: &[&str],
) -> Result<T, ScenarioError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let inner = e.path().to_string();
        let path = match (prefix.is_empty(), inner.as_str()) {
            (_, ".") => prefix.to_string(),
            (true, p) => p.to_string(),
            (false, p) if p.starts_with('[') => format!("{prefix}{p}"),
            (false, p) => format!("{prefix}.{p}"),
        };
        let value = value_at(v, &e.path().to_string()).map(|v| v.to_string());
        let mut message = e.inner().to_string();
        // serde reports a missing field at its parent: point at the field itself.
        let path = match message
            .strip_prefix("missing field `")
            .and_then(|m| m.split('`').next())
        {
            Some(field) if path.is_empty() => field.to_string(),
            Some(field) => format!("{path}.{field}"),
            None => path,
        };
        if message.starts_with("unknown field") && !common.is_empty() {
            message.push_str(&format!(
                " (or one of the fields of every intervention: {})",
                common
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        ScenarioError {
            file: file.to_string(),
            path,
            value,
            message,
        }
    })
}

/// The value at a serde_path_to_error path (`a.b[2].c`), if it exists.
fn value_at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    if path == "." {
        return None;
    }
    let mut cur = v;
    for seg in path.split('.') {
        let (key, idx) = match seg.find('[') {
            Some(i) => (&seg[..i], Some(&seg[i..])),
            None => (seg, None),
        };
        if !key.is_empty() {
            cur = cur.get(key)?;
        }
        if let Some(idx) = idx {
            for part in idx.split('[').filter(|p| !p.is_empty()) {
                cur = cur.get(part.trim_end_matches(']').parse::<usize>().ok()?)?;
            }
        }
    }
    Some(cur)
}

/// Where an intervention is in its file, for the errors of its fields.
#[derive(Clone, Copy)]
struct At<'a> {
    file: &'a str,
    path: &'a str,
}

impl At<'_> {
    /// An error at `field` of the intervention (the intervention itself when empty).
    fn err(&self, field: &str, value: Option<&Value>, message: String) -> ScenarioError {
        ScenarioError {
            file: self.file.to_string(),
            path: if field.is_empty() {
                self.path.to_string()
            } else {
                format!("{}.{field}", self.path)
            },
            value: value.map(|v| v.to_string()),
            message,
        }
    }

    /// Field `field` of `obj` read as `T`, if present.
    fn field<T: DeserializeOwned>(
        &self,
        obj: &Map<String, Value>,
        field: &str,
    ) -> Result<Option<T>, ScenarioError> {
        obj.get(field)
            .map(|v| typed(self.file, &format!("{}.{field}", self.path), v, &[]))
            .transpose()
    }

    /// The action's own fields (all but the [`COMMON`] ones) read as `T`.
    fn own<T: DeserializeOwned>(&self, own: &Value) -> Result<T, ScenarioError> {
        typed(self.file, self.path, own, &COMMON)
    }
}

fn intervention(file: &str, path: &str, v: &Value) -> Result<Intervention, ScenarioError> {
    let at = At { file, path };
    let Some(obj) = v.as_object() else {
        return Err(at.err(
            "",
            Some(v),
            format!("an intervention must be a JSON object, got {v}"),
        ));
    };
    let kind = intervention_type(at, obj)?;
    let label: Option<String> = at.field(obj, "label")?;
    let raw_filter: RawFilter = at.field(obj, "filter")?.unwrap_or_default();
    let share: f64 = at.field(obj, "share")?.unwrap_or(1.0);
    if !(0.0..=1.0).contains(&share) {
        return Err(at.err(
            "share",
            obj.get("share"),
            format!(
                "share {share} is outside 0–1 (the fraction of the matching journeys or people)"
            ),
        ));
    }
    let rebound = rebound(at, obj)?;
    let own: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| !COMMON.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let own = Value::Object(own);
    let action = match kind {
        "mode_shift" => mode_shift(at, &own)?,
        "reduce" => {
            let _: RawReduce = at.own(&own)?;
            Action::Reduce
        }
        "telework" => telework(at, &own, &raw_filter)?,
        "occupancy" => {
            let o: RawOccupancy = at.own(&own)?;
            if !o.occupancy.is_finite() || o.occupancy < 1.0 {
                return Err(at.err(
                    "occupancy",
                    own.get("occupancy"),
                    format!("occupancy {} must be at least 1", o.occupancy),
                ));
            }
            Action::Occupancy {
                occupancy: o.occupancy,
            }
        }
        "fleet" => {
            let f: RawFleet = at.own(&own)?;
            Action::Fleet {
                fuel: f.fuel,
                size: f.size,
            }
        }
        "cabin_policy" => cabin_policy(at, &own)?,
        _ => factor_override(at, obj, &own)?,
    };
    let filter = filter(file, path, raw_filter, &action)?;
    let label = label
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| default_label(&action, &filter, share));
    Ok(Intervention {
        label,
        action,
        filter,
        share,
        rebound,
        path: path.to_string(),
    })
}

/// The intervention's `type`, one of [`TYPES`].
fn intervention_type<'v>(
    at: At<'_>,
    obj: &'v Map<String, Value>,
) -> Result<&'v str, ScenarioError> {
    let types = TYPES
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let kind = match obj.get("type") {
        None => {
            return Err(at.err(
                "type",
                None,
                format!("missing field `type`; expected one of {types}"),
            ));
        }
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err(at.err(
                "type",
                Some(other),
                format!("`type` must be a string, one of {types}"),
            ));
        }
    };
    if !TYPES.contains(&kind) {
        return Err(at.err(
            "type",
            obj.get("type"),
            format!("unknown intervention type `{kind}`; expected one of {types}"),
        ));
    }
    Ok(kind)
}

/// The stated rebound, if any: a share within 0–1 and its reason.
fn rebound(at: At<'_>, obj: &Map<String, Value>) -> Result<Option<Rebound>, ScenarioError> {
    let rebound: Option<Rebound> = at.field(obj, "rebound")?;
    if let Some(r) = &rebound {
        if !(0.0..=1.0).contains(&r.share) {
            return Err(at.err(
                "rebound.share",
                obj.get("rebound").and_then(|r| r.get("share")),
                format!("rebound share {} is outside 0–1", r.share),
            ));
        }
        if r.reason.trim().is_empty() {
            return Err(at.err(
                "rebound.reason",
                None,
                "a rebound needs its reason stated".into(),
            ));
        }
    }
    Ok(rebound)
}

fn mode_shift(at: At<'_>, own: &Value) -> Result<Action, ScenarioError> {
    let m: ModeShift = at.own(own)?;
    if m.from == m.to {
        return Err(at.err(
            "to",
            own.get("to"),
            format!("`from` and `to` are both `{}`", m.to),
        ));
    }
    if let Some(o) = m.to_occupancy
        && (!o.is_finite() || o < 1.0)
    {
        return Err(at.err(
            "to_occupancy",
            own.get("to_occupancy"),
            format!("to_occupancy {o} must be at least 1"),
        ));
    }
    if let Some(d) = &m.door_to_door {
        for (f, x, min) in [
            ("max_hours", d.max_hours, f64::MIN_POSITIVE),
            ("speed_kmh", d.speed_kmh, f64::MIN_POSITIVE),
            ("access_hours", d.access_hours, 0.0),
        ] {
            if !x.is_finite() || x < min {
                return Err(at.err(
                    &format!("door_to_door.{f}"),
                    own.get("door_to_door").and_then(|d| d.get(f)),
                    format!("{f} {x} must be a finite number greater than 0"),
                ));
            }
        }
    }
    Ok(Action::ModeShift(m))
}

fn telework(at: At<'_>, own: &Value, raw_filter: &RawFilter) -> Result<Action, ScenarioError> {
    let t: RawTelework = at.own(own)?;
    let d = t.extra_days_per_week;
    if !d.is_finite() || d <= 0.0 || d > 7.0 {
        return Err(at.err(
            "extra_days_per_week",
            own.get("extra_days_per_week"),
            format!("extra_days_per_week {d} must be more than 0 and at most 7"),
        ));
    }
    if raw_filter.category == Some(Category::Business) {
        return Err(at.err(
            "filter.category",
            None,
            "telework applies to commuting; the filter selects business travel".into(),
        ));
    }
    Ok(Action::Telework {
        extra_days_per_week: d,
    })
}

fn cabin_policy(at: At<'_>, own: &Value) -> Result<Action, ScenarioError> {
    let c: RawCabinPolicy = at.own(own)?;
    let from = if c.from.is_empty() {
        vec![Cabin::Premium, Cabin::Business, Cabin::First]
    } else {
        c.from
    };
    let to = c.to.unwrap_or(Cabin::Economy);
    if from.contains(&to) {
        return Err(at.err(
            "to",
            own.get("to"),
            format!("cabin `{}` is both in `from` and `to`", to.key()),
        ));
    }
    Ok(Action::CabinPolicy { from, to })
}

fn factor_override(
    at: At<'_>,
    obj: &Map<String, Value>,
    own: &Value,
) -> Result<Action, ScenarioError> {
    let f: FactorOverride = at.own(own)?;
    if obj.contains_key("filter") {
        return Err(at.err(
            "filter",
            obj.get("filter"),
            "factor_override changes the factor for every row that uses it; it takes no filter (use `share` for a partial change)".into(),
        ));
    }
    if f.factor.trim().is_empty() {
        return Err(at.err("factor", own.get("factor"), "the factor id is empty".into()));
    }
    if f.source.trim().is_empty() {
        return Err(at.err(
            "source",
            own.get("source"),
            "a factor_override needs the source of its values (or \"hypothetical: ...\")".into(),
        ));
    }
    let parts = [
        ("ttw", f.ttw),
        ("wtt", f.wtt),
        ("energy_wtw", f.energy_wtw),
        ("non_co2", f.non_co2),
        ("construction", f.construction),
    ];
    if parts.iter().all(|(_, v)| v.is_none()) {
        return Err(at.err(
            "",
            None,
            "factor_override gives no new value; set one or more of `ttw`, `wtt`, `energy_wtw`, `non_co2`, `construction` (kg CO2e per unit)".into(),
        ));
    }
    for (name, v) in parts {
        if let Some(x) = v
            && (!x.is_finite() || x < 0.0)
        {
            return Err(at.err(
                name,
                own.get(name),
                format!("{name} {x} must be a finite number of at least 0"),
            ));
        }
    }
    Ok(Action::FactorOverride(f))
}

fn filter(
    file: &str,
    path: &str,
    raw: RawFilter,
    action: &Action,
) -> Result<Filter, ScenarioError> {
    let err = |field: &str, value: String, message: String| ScenarioError {
        file: file.to_string(),
        path: format!("{path}.filter.{field}"),
        value: Some(value),
        message,
    };
    for (field, v) in [("min_km", raw.min_km), ("max_km", raw.max_km)] {
        if let Some(x) = v
            && (!x.is_finite() || x < 0.0)
        {
            return Err(err(
                field,
                x.to_string(),
                format!("{field} {x} must be a finite number of at least 0"),
            ));
        }
    }
    if let (Some(lo), Some(hi)) = (raw.min_km, raw.max_km)
        && lo >= hi
    {
        return Err(err(
            "max_km",
            hi.to_string(),
            format!("max_km {hi} is not above min_km {lo}"),
        ));
    }
    let mut countries = Vec::new();
    for c in raw.destination_country {
        let up = c.trim().to_ascii_uppercase();
        if up.len() != 2 || !up.chars().all(|ch| ch.is_ascii_alphabetic()) {
            return Err(err(
                "destination_country",
                c.clone(),
                format!("`{c}` is not an ISO 3166-1 alpha-2 country code such as `DE`"),
            ));
        }
        countries.push(up);
    }
    let mut dimensions = Vec::new();
    for (name, values) in [("group", raw.group), ("department", raw.department)] {
        if !values.is_empty() {
            dimensions.push((name.to_string(), values));
        }
    }
    for (name, values) in raw.dimensions {
        dimensions.push((name, values.into_vec()));
    }
    let mut modes = raw.mode;
    let category = raw.category;
    // Interventions that only make sense for some modes narrow the filter themselves.
    match action {
        Action::ModeShift(m) => {
            if !modes.is_empty() && !modes.contains(&m.from) {
                return Err(err(
                    "mode",
                    modes.iter().map(|m| m.key()).collect::<Vec<_>>().join(", "),
                    format!("the filter's modes exclude `from` ({})", m.from),
                ));
            }
            modes = vec![m.from];
        }
        Action::Occupancy { .. } | Action::Fleet { .. } if modes.is_empty() => {
            modes = vec![Mode::Car];
        }
        Action::CabinPolicy { .. } => modes = vec![Mode::Flight],
        _ => {}
    }
    let mut cabins = raw.cabin;
    if let Action::CabinPolicy { from, .. } = action {
        if cabins.is_empty() {
            cabins = from.clone();
        } else {
            cabins.retain(|c| from.contains(c));
        }
    }
    let category = match action {
        Action::Telework { .. } => Some(Category::Commuting),
        _ => category,
    };
    Ok(Filter {
        category,
        modes,
        dimensions,
        destination_countries: countries,
        min_km: raw.min_km,
        max_km: raw.max_km,
        cabins,
    })
}

fn default_label(action: &Action, filter: &Filter, share: f64) -> String {
    let pct = if share < 1.0 {
        format!(" ({:.0} %)", share * 100.0)
    } else {
        String::new()
    };
    let under = filter
        .max_km
        .map(|k| format!(" below {k} km"))
        .unwrap_or_default();
    let what = match action {
        Action::ModeShift(m) => format!("{} → {}{under}", m.from, m.to),
        Action::Reduce => format!(
            "Fewer {}{under}",
            if filter.modes.is_empty() {
                "journeys".to_string()
            } else {
                filter
                    .modes
                    .iter()
                    .map(|m| m.key())
                    .collect::<Vec<_>>()
                    .join("/")
            }
        ),
        Action::Telework {
            extra_days_per_week,
        } => format!("+{extra_days_per_week} telework day(s)"),
        Action::Occupancy { occupancy } => format!("Car occupancy {occupancy}"),
        Action::Fleet { fuel, .. } => format!("Cars → {}", fuel.key()),
        Action::CabinPolicy { to, .. } => format!("Cabins → {}", to.key()),
        Action::FactorOverride(f) => format!("Factor {}", f.factor),
    };
    format!("{what}{pct}")
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    fn with_reduces(n: usize) -> String {
        let one = r#"{"type": "reduce", "share": 0.01}"#;
        format!(
            r#"{{"name": "x", "description": "d", "interventions": [{}]}}"#,
            vec![one; n].join(",")
        )
    }

    #[test]
    fn a_scenario_has_at_most_max_interventions() {
        assert_eq!(
            parse("s.json", &with_reduces(MAX_INTERVENTIONS))
                .unwrap()
                .interventions
                .len(),
            MAX_INTERVENTIONS
        );
        let e = parse("s.json", &with_reduces(200)).unwrap_err();
        assert_eq!(e.path, "interventions");
        assert_eq!(e.value.as_deref(), Some("200"));
        assert!(e.message.contains("at most 50"), "{}", e.message);
    }
}

#[cfg(test)]
mod run_size_tests {
    use super::*;

    #[test]
    fn many_files_cannot_exceed_the_run_bound() {
        let one = |n: usize| {
            let ivs = vec![r#"{"type": "reduce", "share": 0.01}"#; n].join(",");
            parse(
                "s.json",
                &format!(r#"{{"name": "n", "description": "d", "interventions": [{ivs}]}}"#),
            )
            .unwrap()
        };
        let full = one(MAX_INTERVENTIONS);
        assert!(check_run_size(&[full.clone(), full.clone()]).is_ok());
        let e = check_run_size(&[full.clone(), full, one(1)]).unwrap_err();
        assert!(e.contains("101 interventions in 3 scenario files"), "{e}");
        assert!(e.contains("at most 100"), "{e}");
    }
}
