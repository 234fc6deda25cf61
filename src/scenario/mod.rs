//! Scenarios: named lists of interventions applied to the rows of an inventory, compared
//! with the inventory they start from.
//!
//! A scenario file ([`parse`], schema in `data/scenarios/README.md`) lists interventions —
//! `mode_shift`, `reduce`, `telework`, `occupancy`, `fleet`, `cabin_policy`,
//! `factor_override` — each with a filter, a share and an optional stated rebound. They act
//! on the inventory's **rows** (business journeys and commuting respondents), never on
//! totals, and the changed rows go through the inventory's own evaluation ([`Evaluate`]):
//! every saving can be traced to the rows it changed, and a moved journey gets the new
//! mode's distance and factor from the engine. How shares work is described in
//! [`engine`].
//!
//! [`run`] compares scenarios with the inventory: independently (each from the inventory)
//! or combined (each from the rows the previous one left, with its marginal saving), with
//! the yearly trajectory to a target year.

pub mod charts;
pub mod engine;
pub mod inventory_rows;
pub mod privacy;
pub mod rows;
mod schema;
pub mod state;

pub use engine::{RunError, Step};
pub use inventory_rows::{InventoryEval, InventoryRow, rows_of};
pub use rows::{
    Evaluate, EvaluateError, ModeChange, Outcome, RowFigures, RowOutcome, ScenarioRow,
    shifted_distance_km,
};
pub use schema::{
    Action, Adoption, Category, DoorToDoor, FactorOverride, Filter, Intervention,
    MAX_INTERVENTIONS, MAX_RUN_INTERVENTIONS, ModeShift, Rebound, Scenario, ScenarioError, TYPES,
    check_run_size, parse,
};
pub use state::State;

use engine::t;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How [`run`] compares scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// Apply the scenarios one after the other (each from the rows the previous left).
    pub combine: bool,
    /// Year of the inventory (first year of the trajectory).
    pub inventory_year: i32,
    /// Last year of the trajectory.
    pub target_year: i32,
    /// The configured reference, t CO2e a year (UT: 10,000 t), if any.
    pub configured_baseline_t: Option<f64>,
    /// Target: this % below the reference by the target year.
    pub target_reduction_pct: Option<f64>,
}

/// Totals of one set of rows, t CO2e a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// All rows.
    pub total_t: f64,
    /// By category (`business`, `commuting`, ...).
    pub by_category_t: BTreeMap<String, f64>,
    /// By mode.
    pub by_mode_t: BTreeMap<String, f64>,
}

impl Totals {
    fn of(o: &Outcome) -> Totals {
        Totals {
            total_t: t(o.total_kg),
            by_category_t: o
                .by_category_kg
                .iter()
                .map(|(k, v)| (k.clone(), t(*v)))
                .collect(),
            by_mode_t: o
                .by_mode_kg
                .iter()
                .map(|(k, v)| (k.clone(), t(*v)))
                .collect(),
        }
    }
}

/// The result of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioResult {
    /// Name.
    pub name: String,
    /// Description (assumptions and sources).
    pub description: String,
    /// Author.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// File, as named.
    pub file: String,
    /// Adoption ramp used for the trajectory.
    pub adoption: Adoption,
    /// True when the file gave no ramp (full effect the year after the inventory).
    pub adoption_assumed: bool,
    /// What it starts from: `inventory`, or the previous scenario's name when combined.
    pub starts_from: String,
    /// Totals at full effect.
    pub totals: Totals,
    /// Saving against the inventory's computed total, t (positive = less CO2e).
    pub saving_t: f64,
    /// `saving_t` as % of the inventory's computed total.
    pub saving_pct: f64,
    /// Saving of this scenario alone, against what it starts from (= `saving_t` when run
    /// independently; its marginal contribution when combined).
    pub marginal_saving_t: f64,
    /// Saving by category, t.
    pub saving_by_category_t: BTreeMap<String, f64>,
    /// Saving by mode, t (negative where a mode gains, e.g. train after a shift).
    pub saving_by_mode_t: BTreeMap<String, f64>,
    /// `totals.total_t` against the configured reference, % (negative = below).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_vs_configured_pct: Option<f64>,
    /// Business journeys a year changed, counted per traveller, all steps.
    pub business_trips_affected: f64,
    /// Commuters changed, all steps.
    pub commuters_affected: f64,
    /// One entry per intervention.
    pub steps: Vec<Step>,
    /// Problems that did not stop the run (e.g. a filter that matches nothing).
    pub warnings: Vec<String>,
    /// Why figures of this scenario are withheld ([`privacy`]): they are then `NaN`
    /// (`null` in JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
}

/// Yearly totals of one line of the trajectory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearlySeries {
    /// Label.
    pub label: String,
    /// `(year, t CO2e)`.
    pub points: Vec<(i32, f64)>,
}

/// The trajectory from the inventory year to the target year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trajectory {
    /// First year (the inventory's).
    pub from_year: i32,
    /// Last year.
    pub to_year: i32,
    /// What the lines assume.
    pub method: String,
    /// The inventory held constant, then each scenario (or the combined scenarios).
    pub series: Vec<YearlySeries>,
    /// The target line, if a target was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<YearlySeries>,
    /// Target value in the target year, t.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_t: Option<f64>,
}

/// Scenarios compared with the inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// `independent` or `combined`.
    pub mode: &'static str,
    /// Year of the inventory.
    pub inventory_year: i32,
    /// Factor pack of the inventory.
    pub pack: String,
    /// The inventory as computed: what every saving is measured against.
    pub baseline: Totals,
    /// The configured reference (UT: 10,000 t), shown beside; savings are not measured
    /// against it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configured_baseline_t: Option<f64>,
    /// One result per scenario, in the order given.
    pub scenarios: Vec<ScenarioResult>,
    /// With `combine`: totals after all scenarios.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub combined: Option<Totals>,
    /// Yearly totals.
    pub trajectory: Trajectory,
}

/// Runs `scenarios` on `rows` with the inventory's evaluation.
///
/// Independent (default): every scenario starts from the inventory. Combined: each starts
/// from the rows the previous one left, so its saving is its marginal contribution and the
/// total saving is never counted twice. Savings can never exceed the inventory's total:
/// weights stay in 0…1 of the original and factors stay non-negative.
///
/// # Errors
/// [`RunError`] when the inventory cannot be evaluated or a scenario asks for something
/// impossible (e.g. an unknown factor in `factor_override`).
pub fn run<E: Evaluate>(
    eval: &E,
    rows: &[E::Row],
    packs: &crate::factors::PackSet,
    scenarios: &[Scenario],
    opts: &RunOptions,
) -> Result<Comparison, RunError> {
    let base = State::start(eval, rows, packs)?;
    let baseline = Totals::of(base.outcome());
    let dimension_names: BTreeSet<String> = rows
        .iter()
        .flat_map(|r| r.dimension_names())
        .map(|n| n.to_lowercase())
        .collect();
    let min = eval.min_cell_size().max(1);
    let mut results = Vec::with_capacity(scenarios.len());
    let mut previous_name = "inventory".to_string();
    // Combined: each scenario goes on from the state the previous one left (moved along,
    // never copied); independent: each starts from a copy of the inventory's state.
    let base_total_kg = base.outcome().total_kg;
    let (base, mut combined_state) = if opts.combine {
        (None, Some(base))
    } else {
        (Some(base), None)
    };
    for sc in scenarios {
        let (mut owned, start_total_kg);
        let state = match &mut combined_state {
            Some(s) => {
                start_total_kg = s.outcome().total_kg;
                s
            }
            None => {
                start_total_kg = base_total_kg;
                owned = base
                    .clone()
                    .expect("independent runs keep the inventory's state");
                &mut owned
            }
        };
        let mut steps = Vec::new();
        let mut warnings = Vec::new();
        for iv in &sc.interventions {
            warnings.extend(unknown_dimension_warnings(sc, iv, &dimension_names));
            let s = state::step(eval, iv, state, &sc.file)?;
            warnings.extend(step_warning(sc, iv, &s, min));
            steps.push(s);
        }
        let starts_from = if opts.combine {
            previous_name.clone()
        } else {
            "inventory".into()
        };
        let marginal_saving_t = t(start_total_kg - state.outcome().total_kg);
        let totals = Totals::of(state.outcome());
        results.push(scenario_result(
            sc,
            opts,
            &baseline,
            ScenarioEnd {
                starts_from,
                marginal_saving_t,
                totals,
                steps,
                warnings,
            },
        ));
        if opts.combine {
            previous_name = sc.name.clone();
        }
    }
    let mut combined = combined_state
        .filter(|_| !scenarios.is_empty())
        .map(|s| Totals::of(s.outcome()));
    privacy::withhold(&mut results, &mut combined, min, opts.combine);
    let trajectory = trajectory(&baseline, &results, opts);
    let mut cmp = Comparison {
        mode: if opts.combine {
            "combined"
        } else {
            "independent"
        },
        inventory_year: opts.inventory_year,
        pack: eval.calc().pack.clone(),
        baseline,
        configured_baseline_t: opts.configured_baseline_t,
        scenarios: results,
        combined,
        trajectory,
    };
    cmp.round();
    Ok(cmp)
}

/// Warnings for the dimensions a filter names that no row has.
fn unknown_dimension_warnings(
    sc: &Scenario,
    iv: &Intervention,
    dimension_names: &BTreeSet<String>,
) -> Vec<String> {
    let known = if dimension_names.is_empty() {
        "(none)".to_string()
    } else {
        dimension_names
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    };
    iv.filter
        .dimensions
        .iter()
        .filter(|(name, _)| !dimension_names.contains(&name.to_lowercase()))
        .map(|(name, _)| {
            format!(
                "{}: {}.filter: no row has a dimension `{name}`; dimensions: {known}",
                sc.file, iv.path
            )
        })
        .collect()
}

/// The warning for a step that matched no row or changed none; none for a step whose
/// survey count is too small to print (it is withheld later, with its reason).
fn step_warning(sc: &Scenario, iv: &Intervention, s: &Step, min: usize) -> Option<String> {
    if privacy::too_small(s.survey_respondents, min) {
        None
    } else if s.rows_matched == Some(0) {
        Some(format!(
            "{}: {} ({}): matches no row of the inventory; it changes nothing",
            sc.file, iv.path, iv.label
        ))
    } else if s.rows_changed == Some(0) {
        Some(format!(
            "{}: {} ({}): matches {} row(s) but none needs a change",
            sc.file,
            iv.path,
            iv.label,
            s.rows_matched.unwrap_or(0)
        ))
    } else {
        None
    }
}

/// Where a scenario ended: what [`scenario_result`] compares with the inventory.
struct ScenarioEnd {
    starts_from: String,
    marginal_saving_t: f64,
    totals: Totals,
    steps: Vec<Step>,
    warnings: Vec<String>,
}

/// One scenario's result: its end compared with the inventory's `baseline`.
fn scenario_result(
    sc: &Scenario,
    opts: &RunOptions,
    baseline: &Totals,
    end: ScenarioEnd,
) -> ScenarioResult {
    let ScenarioEnd {
        starts_from,
        marginal_saving_t,
        totals,
        steps,
        warnings,
    } = end;
    let diff = |a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>| {
        a.keys()
            .chain(b.keys())
            .map(|k| {
                let x = a.get(k).copied().unwrap_or(0.0) - b.get(k).copied().unwrap_or(0.0);
                (k.clone(), x)
            })
            .collect::<BTreeMap<_, _>>()
    };
    let saving_t = baseline.total_t - totals.total_t;
    let (adoption, adoption_assumed) = match sc.adoption {
        Some(a) => (a, false),
        None => (
            Adoption {
                start_year: opts.inventory_year,
                full_effect_year: opts.inventory_year + 1,
            },
            true,
        ),
    };
    ScenarioResult {
        name: sc.name.clone(),
        description: sc.description.clone(),
        author: sc.author.clone(),
        file: sc.file.clone(),
        adoption,
        adoption_assumed,
        starts_from,
        saving_pct: pct(saving_t, baseline.total_t),
        marginal_saving_t,
        saving_by_category_t: diff(&baseline.by_category_t, &totals.by_category_t),
        saving_by_mode_t: diff(&baseline.by_mode_t, &totals.by_mode_t),
        change_vs_configured_pct: opts
            .configured_baseline_t
            .map(|b| pct(totals.total_t - b, b)),
        business_trips_affected: steps.iter().map(|s| s.business_trips_affected).sum(),
        commuters_affected: steps.iter().map(|s| s.commuters_affected).sum(),
        saving_t,
        totals,
        steps,
        warnings,
        withheld: None,
    }
}

/// Rounds a t CO2e figure to the gram (6 decimals) and a % to 4 decimals, so that output
/// carries no floating-point noise; -0 becomes 0.
fn r6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

fn round_map(m: &mut BTreeMap<String, f64>) {
    m.values_mut().for_each(|v| *v = r6(*v));
}

impl Totals {
    fn round(&mut self) {
        self.total_t = r6(self.total_t);
        round_map(&mut self.by_category_t);
        round_map(&mut self.by_mode_t);
    }
}

impl Comparison {
    fn round(&mut self) {
        self.baseline.round();
        if let Some(c) = &mut self.combined {
            c.round();
        }
        for s in &mut self.scenarios {
            s.totals.round();
            s.saving_t = r6(s.saving_t);
            s.saving_pct = r6(s.saving_pct);
            s.marginal_saving_t = r6(s.marginal_saving_t);
            s.change_vs_configured_pct = s.change_vs_configured_pct.map(r6);
            s.business_trips_affected = r6(s.business_trips_affected);
            s.commuters_affected = r6(s.commuters_affected);
            round_map(&mut s.saving_by_category_t);
            round_map(&mut s.saving_by_mode_t);
            for st in &mut s.steps {
                st.saving_t = r6(st.saving_t);
                st.rebound_t = r6(st.rebound_t);
                st.total_after_t = r6(st.total_after_t);
                st.business_trips_affected = r6(st.business_trips_affected);
                st.commuters_affected = r6(st.commuters_affected);
                round_map(&mut st.change_by_mode_t);
            }
        }
        let t = &mut self.trajectory;
        for s in t.series.iter_mut().chain(t.target.iter_mut()) {
            s.points.iter_mut().for_each(|p| p.1 = r6(p.1));
        }
        t.target_t = t.target_t.map(r6);
    }
}

fn pct(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        100.0 * part / whole
    }
}

/// Yearly totals: the inventory held constant (no growth), and each scenario reaching its
/// saving along its adoption ramp. Combined: the ramps of all scenarios act on their
/// marginal savings, summed.
fn trajectory(baseline: &Totals, results: &[ScenarioResult], opts: &RunOptions) -> Trajectory {
    let from = opts.inventory_year;
    let to = opts.target_year.max(from);
    let years: Vec<i32> = (from..=to).collect();
    let flat = YearlySeries {
        label: format!("Inventory {from}, held constant"),
        points: years.iter().map(|y| (*y, baseline.total_t)).collect(),
    };
    let mut series = vec![flat];
    // Withheld scenarios ([`privacy`]) have no line: it would show their saving.
    if opts.combine {
        if !results.is_empty()
            && !results
                .iter()
                .any(|r| privacy::is_withheld(r.marginal_saving_t))
        {
            series.push(YearlySeries {
                label: "All scenarios combined".into(),
                points: years
                    .iter()
                    .map(|y| {
                        let saved: f64 = results
                            .iter()
                            .map(|r| r.adoption.fraction(*y) * r.marginal_saving_t)
                            .sum();
                        (*y, baseline.total_t - saved)
                    })
                    .collect(),
            });
        }
    } else {
        for r in results.iter().filter(|r| !privacy::is_withheld(r.saving_t)) {
            series.push(YearlySeries {
                label: r.name.clone(),
                points: years
                    .iter()
                    .map(|y| (*y, baseline.total_t - r.adoption.fraction(*y) * r.saving_t))
                    .collect(),
            });
        }
    }
    let reference = opts.configured_baseline_t.unwrap_or(baseline.total_t);
    let target_t = opts
        .target_reduction_pct
        .map(|p| reference * (1.0 - p / 100.0));
    let target = opts.target_reduction_pct.map(|p| YearlySeries {
        label: format!(
            "Target: −{} % vs {} by {to}",
            trim_num(p),
            if opts.configured_baseline_t.is_some() {
                format!("the {} t baseline", group_thousands(reference))
            } else {
                format!("inventory {from}")
            }
        ),
        points: years
            .iter()
            .map(|y| {
                let k = if to == from {
                    1.0
                } else {
                    f64::from(y - from) / f64::from(to - from)
                };
                (*y, reference * (1.0 - k * p / 100.0))
            })
            .collect(),
    });
    Trajectory {
        from_year: from,
        to_year: to,
        method: format!(
            "activity held at the {from} inventory (no growth); each scenario's saving phased in linearly from its adoption start_year (0 %) to full_effect_year (100 %); a scenario without a ramp takes full effect in {}",
            from + 1
        ),
        series,
        target,
        target_t,
    }
}

fn trim_num(x: f64) -> String {
    let s = format!("{x:.1}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn group_thousands(x: f64) -> String {
    let s = format!("{:.0}", x.abs());
    let mut g = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            g.push(',');
        }
        g.push(ch);
    }
    g
}

#[cfg(test)]
mod tests;
