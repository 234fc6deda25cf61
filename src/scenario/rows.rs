//! What scenarios need from an inventory: rows they can filter and change, and the one
//! evaluation that turns rows into totals.
//!
//! The inventory implements [`ScenarioRow`] for its rows and [`Evaluate`] for its
//! evaluation; the scenario engine never computes emissions itself.

use super::schema::Category;
use crate::factors::{FactorError, PackSet};
use crate::journey::{CalcOptions, JourneyError, Stop};
use crate::mode::{Cabin, Fuel, Mode, Size};
use std::collections::BTreeMap;

/// One inventory row as scenarios see it: a business journey or a commuting respondent,
/// with a weight (the extrapolation weight times the fractions scenarios gave it).
pub trait ScenarioRow: Clone + Send + Sync {
    /// GHG category.
    fn category(&self) -> Category;
    /// Main mode (the one with most days for a commuter with several).
    fn mode(&self) -> Mode;
    /// True when the row travels by `mode` (any of a commuter's modes).
    fn uses_mode(&self, mode: Mode) -> bool {
        self.mode() == mode
    }
    /// Flight cabin (economy for other modes).
    fn cabin(&self) -> Cabin;
    /// Car fuel (unknown for other modes).
    fn fuel(&self) -> Fuel;
    /// People per vehicle (1 unless shared).
    fn occupancy(&self) -> f64;
    /// Value of a dimension (`group`, `department`, any input column), case-insensitive name.
    fn dimension(&self, name: &str) -> Option<&str>;
    /// Names of the row's dimensions, for "no row has a dimension ..." warnings.
    fn dimension_names(&self) -> Vec<String>;
    /// Destination country (ISO alpha-2, upper case) of a business journey.
    fn destination_country(&self) -> Option<&str>;
    /// Final destination of a business journey (for the map).
    fn destination(&self) -> Option<&Stop>;
    /// Where the row comes from (`trips.csv:17`), for audits.
    fn origin_label(&self) -> String;
    /// The input row it comes from as a key (the same for every piece of it): what
    /// [`crate::scenario::engine::merge_pieces`] and the step counts compare, without
    /// building a label per row.
    fn origin(&self) -> (u64, u64);
    /// The survey respondent a commuting row stands for (`None` for business journeys): the
    /// scenario's privacy rule counts them ([`crate::scenario::privacy`]).
    fn respondent(&self) -> Option<u32> {
        None
    }
    /// The row's weight: how many rows of its kind it stands for.
    fn weight(&self) -> f64;
    /// Sets the weight.
    fn set_weight(&mut self, weight: f64);
    /// True when `other` comes from the same input row and has the same values except the
    /// weight: the scenario engine then merges the two into one row with both weights, so
    /// stacked partial interventions never multiply the rows.
    fn same_but_weight(&self, other: &Self) -> bool;
    /// Moves the row's travel by `to.from` to `to.mode`: variants reset to the given ones,
    /// distance recomputed for the new mode by the engine (see [`shifted_distance_km`]).
    fn shift_mode(&mut self, to: &ModeChange, packs: &PackSet, calc: &CalcOptions);
    /// Sets the flight cabin.
    fn set_cabin(&mut self, cabin: Cabin);
    /// Sets the occupancy.
    fn set_occupancy(&mut self, occupancy: f64);
    /// Sets fuel and optionally size.
    fn set_fuel(&mut self, fuel: Fuel, size: Option<Size>);
    /// Adds telework days per week (campus days fall by as much, not below 0). Returns the
    /// campus days removed (0 when there were none, or for business rows).
    fn add_telework_days(&mut self, days: f64) -> f64;
}

/// The new mode and variants of a `mode_shift`.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeChange {
    /// The mode left.
    pub from: Mode,
    /// New mode.
    pub mode: Mode,
    /// New fuel (unknown when not given).
    pub fuel: Fuel,
    /// New size (average when not given).
    pub size: Size,
    /// New occupancy (1 when not given).
    pub occupancy: f64,
}

/// Result of evaluating one row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowOutcome {
    /// kg CO2e a year of the row, weight included.
    pub co2e_kg: f64,
    /// One-way travelled km of the journey (commute: home → campus).
    pub one_way_km: f64,
    /// One-way great-circle km, when the row has places.
    pub great_circle_km: Option<f64>,
    /// Person-journeys a year (business: travellers; a round trip is one journey) or people
    /// (commuting: the group's extrapolation weight) that one unit of the row's weight
    /// stands for.
    pub units: f64,
    /// Factor ids used (pack:id), shared by the rows that use the same factors.
    pub factors: std::sync::Arc<[String]>,
    /// The row could not be evaluated (it counts 0); why.
    pub error: Option<String>,
}

/// What the running state of a scenario ([`crate::scenario::state`]) keeps of one
/// evaluated row: the figures its filters, counts and totals read (a [`RowOutcome`] without
/// its rarely needed parts). The same bits as the row's [`RowOutcome`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowFigures {
    /// kg CO2e a year of the row, weight included.
    pub co2e_kg: f64,
    /// One-way travelled km of the journey (commute: home → campus).
    pub one_way_km: f64,
    /// Person-journeys or people one unit of the row's weight stands for
    /// ([`RowOutcome::units`]).
    pub units: f64,
    /// Factor ids used (pack:id), shared by the rows that use the same factors.
    pub factors: std::sync::Arc<[String]>,
}

/// Totals of one evaluation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// kg CO2e a year, all rows.
    pub total_kg: f64,
    /// kg CO2e by category key (`business`, `commuting`, and e.g. `telework`).
    pub by_category_kg: BTreeMap<String, f64>,
    /// kg CO2e by mode key (plus `telework` for home-working emissions).
    pub by_mode_kg: BTreeMap<String, f64>,
    /// One entry per input row, in input order.
    pub rows: Vec<RowOutcome>,
}

/// Why an evaluation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvaluateError {
    /// A factor problem.
    #[error(transparent)]
    Factor(#[from] FactorError),
    /// A journey problem.
    #[error(transparent)]
    Journey(#[from] JourneyError),
    /// A row the inventory cannot evaluate.
    #[error(transparent)]
    Inventory(#[from] crate::inventory::EvalError),
}

/// The inventory's evaluation: rows (and a pack set, which `factor_override` changes) in,
/// totals out. Must be deterministic and independent of the thread count.
///
/// Scenario steps do not evaluate every row again: they keep running totals
/// ([`Evaluate::Totals`]) that rows are added to and taken from exactly (fixed-point sums,
/// [`crate::aggregate::ExactSum`]), so that the totals after any sequence of [`Evaluate::add`]
/// and [`Evaluate::remove`] are the same bits as [`Evaluate::evaluate`] on the rows left.
pub trait Evaluate: Sync {
    /// The row type.
    type Row: ScenarioRow;
    /// Running totals of evaluated rows.
    type Totals: Clone + Send + Sync;
    /// Evaluates `rows` with `packs`.
    fn evaluate(&self, rows: &[Self::Row], packs: &PackSet) -> Result<Outcome, EvaluateError>;
    /// Totals of no rows, for the inventory whose rows are `rows` (all of them: what is fixed
    /// for a run, e.g. the survey's extrapolation weights, is taken from them).
    fn no_totals(&self, rows: &[Self::Row]) -> Result<Self::Totals, EvaluateError>;
    /// Evaluates `rows` with `packs` and adds them to `totals`; returns each row's figures,
    /// in order. The error is the first row (in the order of [`Evaluate::evaluate`]) that
    /// cannot be evaluated.
    fn add(
        &self,
        totals: &mut Self::Totals,
        rows: &[Self::Row],
        packs: &PackSet,
    ) -> Result<Vec<RowFigures>, EvaluateError>;
    /// Takes `rows`, added earlier with the same `packs` and evaluated as `figures`, out of
    /// `totals` again.
    fn remove(
        &self,
        totals: &mut Self::Totals,
        rows: &[Self::Row],
        figures: &[RowFigures],
        packs: &PackSet,
    ) -> Result<(), EvaluateError>;
    /// The totals as an [`Outcome`] (without rows): the same as [`Evaluate::evaluate`] on the
    /// rows added and not removed.
    fn outcome(&self, totals: &Self::Totals) -> Outcome;
    /// Pack and boundary options of the inventory.
    fn calc(&self) -> &CalcOptions;
    /// The inventory's minimum cell size (`commuting.min_cell_size`): a step resting on fewer
    /// survey respondents is withheld ([`crate::scenario::privacy`]). 1: nothing withheld.
    fn min_cell_size(&self) -> usize {
        1
    }
}

/// One-way travelled km for a journey moved to `to`, as the engine would compute it.
///
/// With places (`stops`), `None`: the engine recomputes the distance from the great circle
/// with the new mode's detour (a distance given for the old mode no longer applies). With
/// only a given distance, its great-circle equivalent is kept: `km × detour(to) ÷
/// detour(from)` with the pack's detour factors (flights count 1).
pub fn shifted_distance_km(
    stops: &[Stop],
    given_km: Option<f64>,
    from: Mode,
    to: Mode,
    packs: &PackSet,
    calc: &CalcOptions,
) -> Option<f64> {
    if stops.len() >= 2 {
        return None;
    }
    let km = given_km?;
    let detour = |m: Mode| -> f64 {
        if m == Mode::Flight {
            return 1.0;
        }
        packs.get(&calc.pack).map_or(1.0, |p| p.detour(m))
    };
    Some(km * (detour(to) / detour(from)))
}
