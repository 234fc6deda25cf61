//! Scenario output on a too-small survey selection is withheld.
//!
//! A scenario step filtered to a few survey respondents (`group: visitor` with two of them)
//! would print their answers as its saving. The inventory's rule for breakdowns
//! ([`crate::commute::privacy`]) applies to scenarios too, with the same minimum
//! (`commuting.min_cell_size`):
//!
//! 1. **Primary**: a step whose filter matches, or whose change touches, between 1 and
//!    `min − 1` distinct survey respondents is withheld: its saving, rebound, journeys and
//!    commuters changed, rows matched and changed and change by mode. Business journeys are
//!    not survey answers; a step touching none of the survey is never withheld.
//! 2. **Complementary, within a scenario**: the scenario's totals, saving, breakdowns and
//!    counts, and every step's "total after", would give the withheld saving by difference
//!    (total − other steps; consecutive totals after). They are withheld too; the other
//!    steps' own savings stay (without a total they reveal nothing of the withheld one).
//! 3. **Complementary, across scenarios**: independent scenarios each start from the
//!    inventory and reveal nothing of one another. Combined, each starts from the one
//!    before, so a withheld scenario's marginal saving is the difference of the cumulative
//!    figures around it: from the first withheld scenario on, every cumulative figure (totals,
//!    saving against the inventory, breakdowns, totals after) and the combined totals are
//!    withheld; the later scenarios' marginal savings stay.
//!
//! Withheld figures are `NaN` (written `null` in JSON, "withheld" in tables) and the row
//! counts `None`, so no consumer can show the value by mistake; each withheld step and
//! scenario carries its reason, and the scenario a warning.
//!
//! What the rule cannot see: two scenarios with overlapping filters (`group: [staff,
//! visitor]` and `group: staff`) each large enough, whose difference is the small group.
//! Filters are the user's own questions; the rule guards every single output against the
//! other outputs of the same run, not against every question one could ask.

use super::{ScenarioResult, Step, Totals};
use std::collections::BTreeMap;

/// True when `respondents` (matched, changed) puts a step below the minimum: 1 to `min − 1`
/// survey respondents matched or changed (none is not a cell).
pub fn too_small(respondents: (usize, usize), min: usize) -> bool {
    let small = |n: usize| n > 0 && n < min;
    small(respondents.0) || small(respondents.1)
}

/// The reason a step's figures are withheld.
pub fn step_reason(min: usize) -> String {
    format!(
        "withheld: this step's selection rests on fewer than {min} survey respondents (commuting.min_cell_size); its figures would reveal their answers"
    )
}

fn nan_map(m: &mut BTreeMap<String, f64>) {
    m.values_mut().for_each(|v| *v = f64::NAN);
}

fn withhold_totals(t: &mut Totals) {
    t.total_t = f64::NAN;
    nan_map(&mut t.by_category_t);
    nan_map(&mut t.by_mode_t);
}

fn withhold_step(st: &mut Step, min: usize) {
    st.rows_matched = None;
    st.rows_changed = None;
    st.business_trips_affected = f64::NAN;
    st.commuters_affected = f64::NAN;
    st.saving_t = f64::NAN;
    st.rebound_t = f64::NAN;
    st.total_after_t = f64::NAN;
    st.change_by_mode_t.clear();
    st.withheld = Some(step_reason(min));
}

/// The cumulative figures of `s`: what it totals, against the inventory.
fn withhold_cumulative(s: &mut ScenarioResult) {
    withhold_totals(&mut s.totals);
    s.saving_t = f64::NAN;
    s.saving_pct = f64::NAN;
    s.change_vs_configured_pct = None;
    nan_map(&mut s.saving_by_category_t);
    nan_map(&mut s.saving_by_mode_t);
    for st in &mut s.steps {
        st.total_after_t = f64::NAN;
    }
}

/// Applies the rule of the module docs to `results` (and the combined totals); `min` is
/// the minimum cell size. Returns nothing: figures are overwritten, reasons and warnings
/// added.
pub fn withhold(
    results: &mut [ScenarioResult],
    combined: &mut Option<Totals>,
    min: usize,
    combine: bool,
) {
    let mut first_withheld: Option<String> = None;
    for s in results.iter_mut() {
        let small: Vec<usize> = (0..s.steps.len())
            .filter(|i| too_small(s.steps[*i].survey_respondents, min))
            .collect();
        if !small.is_empty() {
            let labels: Vec<String> = small
                .iter()
                .map(|i| format!("`{}` ({})", s.steps[*i].label, s.steps[*i].path))
                .collect();
            for i in &small {
                withhold_step(&mut s.steps[*i], min);
            }
            withhold_cumulative(s);
            s.marginal_saving_t = f64::NAN;
            s.business_trips_affected = f64::NAN;
            s.commuters_affected = f64::NAN;
            let (verb, them) = if labels.len() == 1 {
                ("rests", "it")
            } else {
                ("rest", "them")
            };
            let reason = format!(
                "withheld: {} {verb} on fewer than {min} survey respondents (commuting.min_cell_size); the scenario's totals and each step's total after would give {them} by difference, so they are withheld too",
                labels.join(", ")
            );
            s.warnings.push(format!("{}: {reason}", s.file));
            s.withheld = Some(reason);
            if combine && first_withheld.is_none() {
                first_withheld = Some(s.name.clone());
            }
        } else if let (true, Some(name)) = (combine, &first_withheld) {
            withhold_cumulative(s);
            let reason = format!(
                "cumulative figures withheld: they would give the withheld scenario `{name}` by difference; this scenario's marginal saving is shown"
            );
            s.warnings.push(format!("{}: {reason}", s.file));
            s.withheld = Some(reason);
        }
    }
    if first_withheld.is_some()
        && let Some(t) = combined
    {
        withhold_totals(t);
    }
}

/// True when `x` is a withheld figure.
pub fn is_withheld(x: f64) -> bool {
    x.is_nan()
}
