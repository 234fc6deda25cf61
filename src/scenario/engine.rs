//! Applying interventions to inventory rows.
//!
//! # Shares are fractional weights
//! An intervention with share `s` (after rebound: `s × (1 − rebound)`) splits every
//! matching row of weight `w` into the unchanged row with weight `w × (1 − s)` and the
//! changed row with weight `w × s`, placed right after it (`s = 1` changes the row in place;
//! `reduce` only lowers the weight). No random sampling: the result is exact, the same for
//! every run and thread count, and independent of the order of the rows. Interventions are
//! applied in the order of the file, each to the rows the previous ones left, so nothing is
//! counted twice (a trip already cut by `reduce` cannot also move to the train).
//!
//! # Rows stay bounded
//! Pieces of one input row that become identical again (a flight shifted to the train, then
//! half of the trains back to flights) are merged into one row with the summed weight
//! ([`merge_pieces`]), so the number of rows grows with the number of distinct variants a
//! row can take, not with the number of interventions.

use super::rows::{Evaluate, EvaluateError, ModeChange, RowFigures, ScenarioRow};
use super::schema::{Action, Filter, ScenarioError};
use crate::factors::PackSet;
use crate::mode::{Fuel, Mode, Size};
use std::collections::BTreeMap;

/// What one intervention did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Step {
    /// Display label.
    pub label: String,
    /// Intervention type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// JSON path in the scenario file.
    pub path: String,
    /// Share as written.
    pub share: f64,
    /// Rebound share as written (0 when none).
    pub rebound_share: f64,
    /// Input rows the filter matched (a row split by an earlier intervention counts once);
    /// `None` when withheld.
    pub rows_matched: Option<usize>,
    /// Input rows actually changed (a matching row may need no change, e.g. already economy);
    /// `None` when withheld.
    pub rows_changed: Option<usize>,
    /// Business journeys a year changed, counted per traveller (share and weights applied).
    pub business_trips_affected: f64,
    /// Commuters changed, extrapolated to the population (share and weights applied).
    pub commuters_affected: f64,
    /// t CO2e saved by this step (after rebound), against the rows before it.
    pub saving_t: f64,
    /// t CO2e of the saving lost to the stated rebound.
    pub rebound_t: f64,
    /// t CO2e total after this step.
    pub total_after_t: f64,
    /// Change by mode, t CO2e (after − before; negative = saving).
    pub change_by_mode_t: BTreeMap<String, f64>,
    /// Why the step's figures are withheld (see [`super::privacy`]); when set, every figure
    /// above is `NaN` (`null` in JSON), the row counts `None` and the change by mode empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
    /// Distinct survey respondents the filter matched and changed (not in the output: the
    /// privacy rule's input).
    #[serde(skip)]
    pub survey_respondents: (usize, usize),
}

/// Why a scenario could not be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    /// The scenario asks for something impossible (unknown factor ...).
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The inventory could not be evaluated.
    #[error("evaluating the inventory: {0}")]
    Evaluate(#[from] EvaluateError),
}

/// kg → t.
pub(crate) fn t(kg: f64) -> f64 {
    kg / 1000.0
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim()) || a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// True when `row` (evaluated as `o`) passes every condition of `f`.
pub fn matches<R: ScenarioRow>(f: &Filter, row: &R, o: &RowFigures) -> bool {
    if row.weight() <= 0.0 {
        return false;
    }
    if f.category.is_some_and(|c| c != row.category()) {
        return false;
    }
    if !f.modes.is_empty() && !f.modes.iter().any(|m| row.uses_mode(*m)) {
        return false;
    }
    for (name, values) in &f.dimensions {
        match row.dimension(name) {
            Some(v) if values.iter().any(|x| eq_ignore_case(x, v)) => {}
            _ => return false,
        }
    }
    if !f.destination_countries.is_empty()
        && !row
            .destination_country()
            .is_some_and(|c| f.destination_countries.iter().any(|x| x == c))
    {
        return false;
    }
    if f.min_km.is_some_and(|m| o.one_way_km < m) || f.max_km.is_some_and(|m| o.one_way_km >= m) {
        return false;
    }
    if !f.cabins.is_empty() && (row.mode() != Mode::Flight || !f.cabins.contains(&row.cabin())) {
        return false;
    }
    true
}

/// Merges the pieces of one input row that became the same again (a journey shifted to the
/// train and back) into one row carrying their summed weight. Pieces of an input row are
/// next to each other (a step puts a changed row right after its original,
/// [`super::state::step`]), so only
/// neighbours with the same origin are compared: with `k` distinct variants a row has at
/// most `k` pieces, whatever the number of interventions.
pub fn merge_pieces<R: ScenarioRow>(rows: Vec<R>) -> Vec<R> {
    let mut out: Vec<R> = Vec::with_capacity(rows.len());
    // Start of the pieces of the current input row in `out`.
    let mut start = 0;
    let mut origin = (u64::MAX, u64::MAX);
    for row in rows {
        let o = row.origin();
        if out.is_empty() || o != origin {
            origin = o;
            start = out.len();
            out.push(row);
            continue;
        }
        match out[start..].iter_mut().find(|r| r.same_but_weight(&row)) {
            Some(r) => {
                let w = r.weight() + row.weight();
                r.set_weight(w);
            }
            None => out.push(row),
        }
    }
    out
}

type Set<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;

/// Counts of one step; rows split by earlier interventions count once (by their input row).
#[derive(Debug, Default, Clone)]
pub(super) struct Counts {
    pub(super) matched_rows: Set<(u64, u64)>,
    pub(super) changed_rows: Set<(u64, u64)>,
    pub(super) matched_respondents: Set<u32>,
    pub(super) changed_respondents: Set<u32>,
    pub(super) business: f64,
    pub(super) commuters: f64,
}

impl Counts {
    pub(super) fn matched<R: ScenarioRow>(&mut self, row: &R) {
        self.matched_rows.insert(row.origin());
        if let Some(r) = row.respondent() {
            self.matched_respondents.insert(r);
        }
    }
    pub(super) fn add<R: ScenarioRow>(&mut self, row: &R, o: &RowFigures, weight: f64) {
        self.changed_rows.insert(row.origin());
        if let Some(r) = row.respondent() {
            self.changed_respondents.insert(r);
        }
        match row.category() {
            super::Category::Business => self.business += weight * o.units,
            super::Category::Commuting => self.commuters += weight * o.units,
        }
    }
}

/// The row after the intervention, or `None` when it needs no change.
pub(super) fn change<E: Evaluate>(
    eval: &E,
    action: &Action,
    row: &E::Row,
    packs: &PackSet,
) -> Result<Option<E::Row>, RunError> {
    let mut c = row.clone();
    match action {
        Action::ModeShift(m) => {
            let to = ModeChange {
                from: m.from,
                mode: m.to,
                fuel: m.to_fuel.unwrap_or(Fuel::Unknown),
                size: m.to_size.unwrap_or(Size::Average),
                occupancy: m.to_occupancy.unwrap_or(1.0),
            };
            c.shift_mode(&to, packs, eval.calc());
            if let Some(d) = &m.door_to_door {
                let one = eval.evaluate(std::slice::from_ref(&c), packs)?;
                let km = one.rows.first().map_or(0.0, |r| r.one_way_km);
                if km / d.speed_kmh + d.access_hours > d.max_hours {
                    return Ok(None);
                }
            }
        }
        Action::Reduce | Action::FactorOverride(_) => {}
        Action::Telework {
            extra_days_per_week,
        } => {
            if c.add_telework_days(*extra_days_per_week) <= 0.0 {
                return Ok(None);
            }
        }
        Action::Occupancy { occupancy } => {
            if row.occupancy() >= *occupancy {
                return Ok(None);
            }
            c.set_occupancy(*occupancy);
        }
        Action::Fleet { fuel, size } => {
            if row.fuel() == *fuel && size.is_none() {
                return Ok(None);
            }
            c.set_fuel(*fuel, *size);
        }
        Action::CabinPolicy { to, .. } => {
            if row.cabin() == *to {
                return Ok(None);
            }
            c.set_cabin(*to);
        }
    }
    Ok(Some(c))
}

/// Replaces the factor's parts by `old + (new − old) × share`; returns `pack:id`.
pub(super) fn override_factor<E: Evaluate>(
    packs: &mut PackSet,
    eval: &E,
    fo: &super::schema::FactorOverride,
    share: f64,
    file: &str,
    path: &str,
) -> Result<String, RunError> {
    let err = |field: &str, value: &str, message: String| ScenarioError {
        file: file.to_string(),
        path: format!("{path}.{field}"),
        value: Some(value.to_string()),
        message,
    };
    let asked = fo.pack.clone().unwrap_or_else(|| eval.calc().pack.clone());
    let mut candidates = vec![asked.clone()];
    if fo.pack.is_none()
        && let Ok(chain) = packs.fallback_chain(&asked)
    {
        candidates = chain.iter().map(|p| p.id.clone()).collect();
    }
    let mut all = packs.packs().to_vec();
    for id in &candidates {
        let Some(pack) = all.iter_mut().find(|p| &p.id == id) else {
            return Err(err(
                "pack",
                id,
                format!(
                    "unknown factor pack `{id}`; available: {}",
                    packs
                        .packs()
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .into());
        };
        if let Some(f) = pack.factors.iter_mut().find(|f| f.id == fo.factor) {
            let mix = |old: &mut f64, new: Option<f64>| {
                if let Some(n) = new {
                    *old += (n - *old) * share;
                }
            };
            mix(&mut f.ttw, fo.ttw);
            mix(&mut f.wtt, fo.wtt);
            mix(&mut f.energy_wtw, fo.energy_wtw);
            mix(&mut f.non_co2, fo.non_co2);
            mix(&mut f.construction, fo.construction);
            f.source = format!("{} (scenario override: {})", f.source, fo.source);
            let key = format!("{}:{}", pack.id, f.id);
            *packs = PackSet::new(all).map_err(EvaluateError::from)?;
            return Ok(key);
        }
    }
    let ids: Vec<&str> = packs
        .packs()
        .iter()
        .filter(|p| candidates.contains(&p.id))
        .flat_map(|p| p.factors.iter().map(|f| f.id.as_str()))
        .collect();
    let best = ids
        .iter()
        .map(|id| (strsim::jaro_winkler(id, &fo.factor), *id))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(s, _)| *s > 0.8)
        .map(|(_, id)| format!("; did you mean `{id}`?"))
        .unwrap_or_else(|| " (see `footprint factors show PACK`)".into());
    Err(err(
        "factor",
        &fo.factor,
        format!(
            "pack {} has no factor `{}`{best}",
            candidates.join(" / "),
            fo.factor
        ),
    )
    .into())
}
