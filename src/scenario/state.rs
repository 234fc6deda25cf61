//! The running state of a scenario: rows, what each was evaluated to and running totals,
//! changed step by step by deltas.
//!
//! A step does not evaluate every row again. It finds the input rows an intervention
//! touches (the pieces of an input row are neighbours, [`super::engine::merge_pieces`]),
//! builds their new pieces, takes the old pieces out of the running totals and adds the new
//! ones ([`Evaluate::remove`], [`Evaluate::add`]). The totals are exact fixed-point sums
//! ([`crate::aggregate::ExactSum`]: integers, where taking out what was added restores the
//! sum exactly), so after any number of steps they are the same bits as evaluating every row
//! again ([`Evaluate::evaluate`]). A `factor_override` changes the factors under every row:
//! its step evaluates all rows again with the changed packs.

use super::engine::{Counts, RunError, Step, change, matches, merge_pieces, override_factor, t};
use super::rows::{Evaluate, EvaluateError, Outcome, RowFigures, ScenarioRow};
use super::schema::{Action, Intervention, ScenarioError};
use crate::factors::PackSet;
use std::collections::BTreeMap;
use std::ops::Range;

/// Rows, the packs they are evaluated with, each row's figures and the running totals.
#[derive(Clone)]
pub struct State<R, T> {
    /// Rows in input order (split rows follow their original).
    rows: Vec<R>,
    /// Each row's figures, evaluated with `packs`.
    figures: Vec<RowFigures>,
    /// Packs (changed by `factor_override`).
    packs: PackSet,
    /// The running totals of `rows`.
    totals: T,
    /// `totals` as an outcome (without rows).
    outcome: Outcome,
    /// True once the pieces of every input row were merged ([`merge_pieces`]); the rows a
    /// run starts from may have pieces the first step merges.
    merged: bool,
}

impl<R: ScenarioRow, T: Clone + Send + Sync> State<R, T> {
    /// Evaluates `rows` with `packs`: the state a scenario starts from.
    ///
    /// # Errors
    /// The first row that cannot be evaluated (see [`Evaluate::add`]).
    pub fn start<E: Evaluate<Row = R, Totals = T>>(
        eval: &E,
        rows: &[R],
        packs: &PackSet,
    ) -> Result<Self, EvaluateError> {
        let mut totals = eval.no_totals(rows)?;
        let figures = eval.add(&mut totals, rows, packs)?;
        let outcome = eval.outcome(&totals);
        Ok(State {
            rows: rows.to_vec(),
            figures,
            packs: packs.clone(),
            totals,
            outcome,
            merged: false,
        })
    }

    /// Rows in input order (split rows follow their original).
    pub fn rows(&self) -> &[R] {
        &self.rows
    }

    /// Each row's figures, in row order.
    pub fn figures(&self) -> &[RowFigures] {
        &self.figures
    }

    /// The packs the rows are evaluated with.
    pub fn packs(&self) -> &PackSet {
        &self.packs
    }

    /// The totals of the rows.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }
}

/// The ranges of neighbouring rows with the same origin: the pieces of one input row.
fn runs<R: ScenarioRow>(rows: &[R]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=rows.len() {
        if i == rows.len() || rows[i].origin() != rows[start].origin() {
            out.push(start..i);
            start = i;
        }
    }
    out
}

/// What one step does to the rows: the pieces of each touched input row (a range of the
/// state's rows) replaced by new pieces; or, with new packs, every row evaluated again.
struct Delta<R> {
    /// The rows of each touched input row, in row order.
    ranges: Vec<Range<usize>>,
    /// The new pieces, every touched input row's after each other.
    pieces: Vec<R>,
    /// How many pieces each range becomes.
    lens: Vec<usize>,
    /// Changed packs (`factor_override`): all rows are evaluated again with them.
    packs: Option<PackSet>,
}

/// Splits one row by the intervention: pushes the row, its kept and changed pieces into
/// `out` (as the engine always did) and counts it.
fn split<E: Evaluate>(
    eval: &E,
    iv: &Intervention,
    share: f64,
    (row, o): (&E::Row, &RowFigures),
    packs: &PackSet,
    counts: &mut Counts,
    out: &mut Vec<E::Row>,
) -> Result<(), RunError> {
    if !matches(&iv.filter, row, o) {
        out.push(row.clone());
        return Ok(());
    }
    counts.matched(row);
    let w = row.weight();
    if let Action::Reduce = iv.action {
        let mut kept = row.clone();
        kept.set_weight(w * (1.0 - share));
        if share > 0.0 {
            counts.add(row, o, w * share);
        }
        out.push(kept);
        return Ok(());
    }
    match change(eval, &iv.action, row, packs)? {
        Some(mut changed) if share > 0.0 => {
            counts.add(row, o, w * share);
            if share >= 1.0 {
                out.push(changed);
            } else {
                let mut kept = row.clone();
                kept.set_weight(w * (1.0 - share));
                changed.set_weight(w * share);
                out.push(kept);
                out.push(changed);
            }
        }
        _ => out.push(row.clone()),
    }
    Ok(())
}

/// The delta of applying `iv` with `share` (already net of rebound) to `state`, and the
/// counts for [`Step`]. Only input rows with a matching piece change (and, on a state not
/// yet merged, rows whose pieces merge).
fn delta<E: Evaluate>(
    eval: &E,
    iv: &Intervention,
    share: f64,
    state: &State<E::Row, E::Totals>,
    file: &str,
) -> Result<(Delta<E::Row>, Counts), RunError> {
    let mut counts = Counts::default();
    if let Action::FactorOverride(fo) = &iv.action {
        let mut packs = state.packs.clone();
        let key = override_factor(&mut packs, eval, fo, share, file, &iv.path)?;
        for (row, o) in state.rows.iter().zip(&state.figures) {
            if row.weight() > 0.0 && o.factors.contains(&key) {
                counts.matched(row);
                counts.add(row, o, row.weight() * share);
            }
        }
        let delta = Delta {
            ranges: Vec::new(),
            pieces: Vec::new(),
            lens: Vec::new(),
            packs: Some(packs),
        };
        return Ok((delta, counts));
    }
    let mut delta = Delta {
        ranges: Vec::new(),
        pieces: Vec::new(),
        lens: Vec::new(),
        packs: None,
    };
    let mut out = Vec::new();
    for range in runs(&state.rows) {
        let rows = &state.rows[range.clone()];
        let figures = &state.figures[range.clone()];
        let matched = rows
            .iter()
            .zip(figures)
            .any(|(r, o)| matches(&iv.filter, r, o));
        if !matched && (state.merged || rows.len() == 1) {
            continue;
        }
        out.clear();
        for piece in rows.iter().zip(figures) {
            split(eval, iv, share, piece, &state.packs, &mut counts, &mut out)?;
        }
        let pieces = merge_pieces(std::mem::take(&mut out));
        if !matched && pieces.len() == rows.len() {
            continue;
        }
        delta.lens.push(pieces.len());
        delta.pieces.extend(pieces);
        delta.ranges.push(range);
    }
    Ok((delta, counts))
}

/// The totals after `delta` and the new pieces' figures (not yet in `state`).
fn evaluate_delta<E: Evaluate>(
    eval: &E,
    state: &State<E::Row, E::Totals>,
    delta: &Delta<E::Row>,
) -> Result<(E::Totals, Vec<RowFigures>), EvaluateError> {
    if let Some(packs) = &delta.packs {
        let mut totals = eval.no_totals(&state.rows)?;
        let figures = eval.add(&mut totals, &state.rows, packs)?;
        return Ok((totals, figures));
    }
    let mut old_rows = Vec::new();
    let mut old_figures = Vec::new();
    for r in &delta.ranges {
        old_rows.extend_from_slice(&state.rows[r.clone()]);
        old_figures.extend_from_slice(&state.figures[r.clone()]);
    }
    let mut totals = state.totals.clone();
    eval.remove(&mut totals, &old_rows, &old_figures, &state.packs)?;
    let figures = eval.add(&mut totals, &delta.pieces, &state.packs)?;
    Ok((totals, figures))
}

impl<R: ScenarioRow, T> State<R, T> {
    /// Puts the delta's pieces (evaluated as `figures`) in place of the rows they replace.
    fn commit(&mut self, delta: Delta<R>, figures: Vec<RowFigures>, totals: T, outcome: Outcome) {
        self.totals = totals;
        self.outcome = outcome;
        if let Some(p) = delta.packs {
            self.packs = p;
            self.figures = figures;
            return;
        }
        self.merged = true;
        let same_len = delta
            .ranges
            .iter()
            .zip(&delta.lens)
            .all(|(r, n)| r.len() == *n);
        let mut pieces = delta.pieces.into_iter();
        let mut figures = figures.into_iter();
        if same_len {
            for r in &delta.ranges {
                for i in r.clone() {
                    self.rows[i] = pieces.next().expect("a piece per row");
                    self.figures[i] = figures.next().expect("figures per piece");
                }
            }
        } else {
            let added: usize = delta.lens.iter().sum();
            let removed: usize = delta.ranges.iter().map(|r| r.len()).sum();
            let n = self.rows.len() + added - removed;
            let mut rows = Vec::with_capacity(n);
            let mut figs = Vec::with_capacity(n);
            let mut old_rows = std::mem::take(&mut self.rows).into_iter();
            let mut old_figs = std::mem::take(&mut self.figures).into_iter();
            let mut next = 0;
            for (r, len) in delta.ranges.iter().zip(&delta.lens) {
                rows.extend(old_rows.by_ref().take(r.start - next));
                figs.extend(old_figs.by_ref().take(r.start - next));
                old_rows.by_ref().take(r.len()).for_each(drop);
                old_figs.by_ref().take(r.len()).for_each(drop);
                rows.extend(pieces.by_ref().take(*len));
                figs.extend(figures.by_ref().take(*len));
                next = r.end;
            }
            rows.extend(old_rows);
            figs.extend(old_figs);
            self.rows = rows;
            self.figures = figs;
        }
    }
}

/// Applies `iv` to `state` (evaluating only what it changes); returns its step.
///
/// # Errors
/// The scenario asks for something impossible, or the changed rows cannot be evaluated.
pub fn step<E: Evaluate>(
    eval: &E,
    iv: &Intervention,
    state: &mut State<E::Row, E::Totals>,
    file: &str,
) -> Result<Step, RunError> {
    let wrap = |e: EvaluateError| -> RunError {
        ScenarioError {
            file: file.to_string(),
            path: iv.path.clone(),
            value: None,
            message: format!("the rows after this intervention cannot be evaluated: {e}"),
        }
        .into()
    };
    let share = iv.effective_share();
    let (net, mut counts) = delta(eval, iv, share, state, file)?;
    let (totals, figures) = evaluate_delta(eval, state, &net).map_err(wrap)?;
    let outcome = eval.outcome(&totals);
    let rebound_kg = if iv.rebound.is_some() {
        // The rebound takes part of the saving, not of the people or journeys changed:
        // counts come from the intervention without rebound.
        let (gross, gross_counts) = delta(eval, iv, iv.share, state, file)?;
        counts = gross_counts;
        let (gross_totals, _) = evaluate_delta(eval, state, &gross).map_err(wrap)?;
        outcome.total_kg - eval.outcome(&gross_totals).total_kg
    } else {
        0.0
    };
    let before = &state.outcome;
    let mut change_by_mode_t = BTreeMap::new();
    for k in outcome.by_mode_kg.keys().chain(before.by_mode_kg.keys()) {
        let after = outcome.by_mode_kg.get(k).copied().unwrap_or(0.0);
        let was = before.by_mode_kg.get(k).copied().unwrap_or(0.0);
        change_by_mode_t.insert(k.clone(), t(after - was));
    }
    let step = Step {
        label: iv.label.clone(),
        kind: iv.action.key(),
        path: iv.path.clone(),
        share: iv.share,
        rebound_share: iv.rebound.as_ref().map_or(0.0, |r| r.share),
        rows_matched: Some(counts.matched_rows.len()),
        rows_changed: Some(counts.changed_rows.len()),
        business_trips_affected: counts.business,
        commuters_affected: counts.commuters,
        saving_t: t(before.total_kg - outcome.total_kg),
        rebound_t: t(rebound_kg),
        total_after_t: t(outcome.total_kg),
        change_by_mode_t,
        withheld: None,
        survey_respondents: (
            counts.matched_respondents.len(),
            counts.changed_respondents.len(),
        ),
    };
    state.commit(net, figures, totals, outcome);
    Ok(step)
}
