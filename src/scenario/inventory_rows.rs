//! The inventory's rows and evaluation as scenarios see them: [`InventoryRow`] wraps a
//! business [`Journey`] or a survey [`Commuter`]; [`InventoryEval`] puts changed rows back
//! into [`InventoryRows`] and evaluates them with [`crate::inventory::evaluate_with`], the one
//! path to every inventory figure.

use super::rows::{
    Evaluate, EvaluateError, ModeChange, Outcome, RowFigures, RowOutcome, ScenarioRow,
    shifted_distance_km,
};
use super::schema::Category;
use crate::aggregate::ExactSum;
use crate::business::round3;
use crate::commute::{Cell, CommuteYear, Commuter, ModeShare, merge_small_cells};
use crate::factors::PackSet;
use crate::input::normalise_header;
use crate::inventory::{
    BusinessRows, EvalCache, EvalOptions, InventoryRows, JourneyRef, JourneyRow, JourneyTables,
    RowResults, evaluate_rows_cached, extrapolation, summarise,
};
use crate::journey::{CalcOptions, Stop};
use crate::mode::{Cabin, Fuel, Mode, Size};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A business journey as scenarios change it: the store's row (numbers and text ids, 64
/// bytes) and the inventory's tables of texts it points into.
#[derive(Debug, Clone)]
pub struct StoredJourney {
    /// The row's numbers and text ids.
    pub row: JourneyRow,
    /// The tables of the inventory it comes from.
    pub tables: Arc<JourneyTables>,
}

impl StoredJourney {
    /// The row with its texts.
    pub fn get(&self) -> JourneyRef<'_> {
        JourneyRef::new(&self.row, &self.tables)
    }
}

impl PartialEq for StoredJourney {
    fn eq(&self, other: &Self) -> bool {
        if Arc::ptr_eq(&self.tables, &other.tables) {
            self.row == other.row
        } else {
            self.get().eq_values(&other.get())
        }
    }
}

/// One row of the inventory.
#[derive(Debug, Clone, PartialEq)]
pub enum InventoryRow {
    /// A business journey (category 6).
    Journey(StoredJourney),
    /// A survey respondent, or part of one (category 7).
    Commuter(Box<Commuter>),
}

/// The rows of an inventory, business journeys first, in file order.
pub fn rows_of(inv: &InventoryRows) -> Vec<InventoryRow> {
    let tables = inv.business.tables();
    inv.business
        .rows()
        .iter()
        .map(|&row| {
            InventoryRow::Journey(StoredJourney {
                row,
                tables: tables.clone(),
            })
        })
        .chain(
            inv.commuters
                .iter()
                .map(|c| InventoryRow::Commuter(Box::new(c.clone()))),
        )
        .collect()
}

fn dims<'a>(d: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let n = normalise_header(name);
    d.iter()
        .find(|(k, _)| normalise_header(k) == n)
        .map(|(_, v)| v.as_str())
}

fn journey_dim<'a>(j: JourneyRef<'a>, name: &str) -> Option<&'a str> {
    let n = normalise_header(name);
    j.dimensions()
        .find(|(k, _)| normalise_header(k) == n)
        .map(|(_, v)| v)
}

/// Two given distances that differ only by the float noise of converting a distance to
/// another mode's detour and back (relative 10⁻⁹, far below any reported digit).
fn close_km(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
        (None, None) => true,
        _ => false,
    }
}

impl ScenarioRow for InventoryRow {
    fn category(&self) -> Category {
        match self {
            InventoryRow::Journey(_) => Category::Business,
            InventoryRow::Commuter(_) => Category::Commuting,
        }
    }
    fn mode(&self) -> Mode {
        match self {
            InventoryRow::Journey(j) => j.row.mode(),
            InventoryRow::Commuter(c) => c
                .modes
                .iter()
                .max_by(|a, b| a.share_of_days.total_cmp(&b.share_of_days))
                .map_or(Mode::Walk, |m| m.mode),
        }
    }
    fn uses_mode(&self, mode: Mode) -> bool {
        match self {
            InventoryRow::Journey(j) => j.row.mode() == mode,
            InventoryRow::Commuter(c) => c.modes.iter().any(|m| m.mode == mode),
        }
    }
    fn cabin(&self) -> Cabin {
        match self {
            InventoryRow::Journey(j) => j.row.cabin(),
            InventoryRow::Commuter(_) => Cabin::Economy,
        }
    }
    fn fuel(&self) -> Fuel {
        match self {
            InventoryRow::Journey(j) => j.row.fuel(),
            InventoryRow::Commuter(c) => c.fuel,
        }
    }
    fn occupancy(&self) -> f64 {
        match self {
            InventoryRow::Journey(j) => j.row.occupancy(),
            InventoryRow::Commuter(c) => c.occupancy,
        }
    }
    fn dimension(&self, name: &str) -> Option<&str> {
        let n = normalise_header(name);
        match self {
            InventoryRow::Journey(j) if n == "department" && !j.get().department().is_empty() => {
                Some(j.get().department())
            }
            InventoryRow::Journey(j) => journey_dim(j.get(), name),
            InventoryRow::Commuter(c) if n == "group" => Some(&c.group),
            InventoryRow::Commuter(c) => dims(&c.dimensions, name),
        }
    }
    fn dimension_names(&self) -> Vec<String> {
        match self {
            InventoryRow::Journey(j) => std::iter::once("department".to_string())
                .chain(j.get().dimensions().map(|(k, _)| k.to_string()))
                .collect(),
            InventoryRow::Commuter(c) => std::iter::once("group".to_string())
                .chain(c.dimensions.iter().map(|(k, _)| k.clone()))
                .collect(),
        }
    }
    fn destination_country(&self) -> Option<&str> {
        match self {
            InventoryRow::Journey(j) => j
                .get()
                .stops()
                .last()
                .map(|s| s.country_code.as_str())
                .filter(|c| !c.is_empty()),
            InventoryRow::Commuter(_) => None,
        }
    }
    fn destination(&self) -> Option<&Stop> {
        match self {
            InventoryRow::Journey(j) => j.get().stops().last(),
            InventoryRow::Commuter(_) => None,
        }
    }
    fn origin_label(&self) -> String {
        match self {
            InventoryRow::Journey(j) => format!("{}:{}", j.get().file(), j.row.line()),
            InventoryRow::Commuter(c) => format!("{}:{}", c.file, c.line),
        }
    }
    fn origin(&self) -> (u64, u64) {
        match self {
            InventoryRow::Journey(j) => (0, u64::from(j.row.input())),
            InventoryRow::Commuter(c) => (1 + u64::from(c.respondent), c.line),
        }
    }
    fn respondent(&self) -> Option<u32> {
        match self {
            InventoryRow::Journey(_) => None,
            InventoryRow::Commuter(c) => Some(c.respondent),
        }
    }
    fn weight(&self) -> f64 {
        match self {
            InventoryRow::Journey(j) => j.row.share(),
            InventoryRow::Commuter(c) => c.share,
        }
    }
    fn set_weight(&mut self, weight: f64) {
        match self {
            InventoryRow::Journey(j) => j.row.set_share(weight),
            InventoryRow::Commuter(c) => c.share = weight,
        }
    }
    fn same_but_weight(&self, other: &Self) -> bool {
        match (self, other) {
            (InventoryRow::Journey(a), InventoryRow::Journey(b)) => {
                let (x, y) = (&a.row, &b.row);
                let mut same = *y;
                same.set_share(x.share());
                same.set_distance_km(x.distance_km());
                x.input() == y.input()
                    && Arc::ptr_eq(&a.tables, &b.tables)
                    && close_km(x.distance_km(), y.distance_km())
                    && *x == same
            }
            (InventoryRow::Commuter(a), InventoryRow::Commuter(b)) => {
                a.line == b.line
                    && a.respondent == b.respondent
                    && a.file == b.file
                    && close_km(a.one_way_km, b.one_way_km)
                    && **a
                        == Commuter {
                            share: a.share,
                            one_way_km: a.one_way_km,
                            ..(**b).clone()
                        }
            }
            _ => false,
        }
    }
    fn shift_mode(&mut self, to: &ModeChange, packs: &PackSet, calc: &CalcOptions) {
        match self {
            InventoryRow::Journey(j) => {
                let r = j.row;
                let km = shifted_distance_km(
                    j.get().stops(),
                    r.distance_km(),
                    r.mode(),
                    to.mode,
                    packs,
                    calc,
                );
                let r = &mut j.row;
                r.set_distance_km(km);
                r.set_mode(to.mode);
                r.set_cabin(Cabin::Economy);
                r.set_fuel(to.fuel);
                r.set_size(to.size);
                r.set_occupancy(to.occupancy);
            }
            InventoryRow::Commuter(c) => {
                // A commuter's given distance is shared by all their modes: it is converted
                // only when the shifted mode is the only one left.
                let only = c
                    .modes
                    .iter()
                    .all(|m| m.mode == to.from || m.mode == to.mode);
                if only && c.home.is_none() {
                    let stops: [Stop; 0] = [];
                    c.one_way_km = c.one_way_km.and_then(|km| {
                        shifted_distance_km(&stops, Some(km), to.from, to.mode, packs, calc)
                    });
                }
                let mut modes: Vec<ModeShare> = Vec::with_capacity(c.modes.len());
                for m in &c.modes {
                    let mode = if m.mode == to.from { to.mode } else { m.mode };
                    match modes.iter_mut().find(|x| x.mode == mode) {
                        Some(x) => x.share_of_days += m.share_of_days,
                        None => modes.push(ModeShare {
                            mode,
                            share_of_days: m.share_of_days,
                        }),
                    }
                }
                c.modes = modes;
                if to.mode.is_shared_vehicle() || to.mode == Mode::Car {
                    c.fuel = to.fuel;
                    c.size = to.size;
                    c.occupancy = to.occupancy;
                }
            }
        }
    }
    fn set_cabin(&mut self, cabin: Cabin) {
        if let InventoryRow::Journey(j) = self {
            j.row.set_cabin(cabin);
        }
    }
    fn set_occupancy(&mut self, occupancy: f64) {
        match self {
            InventoryRow::Journey(j) => j.row.set_occupancy(occupancy),
            InventoryRow::Commuter(c) => c.occupancy = occupancy,
        }
    }
    fn set_fuel(&mut self, fuel: Fuel, size: Option<Size>) {
        match self {
            InventoryRow::Journey(j) => {
                j.row.set_fuel(fuel);
                if let Some(s) = size {
                    j.row.set_size(s);
                }
            }
            InventoryRow::Commuter(c) => {
                c.fuel = fuel;
                if let Some(s) = size {
                    c.size = s;
                }
            }
        }
    }
    fn add_telework_days(&mut self, days: f64) -> f64 {
        match self {
            InventoryRow::Journey(_) => 0.0,
            InventoryRow::Commuter(c) => {
                let moved = days.min(c.days_per_week).max(0.0);
                c.days_per_week -= moved;
                c.telework_days += moved;
                moved
            }
        }
    }
}

/// The inventory's evaluation for scenarios.
#[derive(Debug, Clone)]
pub struct InventoryEval<'a> {
    /// The inventory as read (organisation, year, campus, groups; its rows are replaced).
    pub base: &'a InventoryRows,
    /// How to evaluate (the bootstrap is switched off: scenarios report central values).
    pub opts: EvalOptions,
    /// Routes and respondents already evaluated: a step evaluates only what it changed.
    cache: Arc<EvalCache>,
}

impl<'a> InventoryEval<'a> {
    /// Evaluation of `base` with `opts`, without the bootstrap.
    pub fn new(base: &'a InventoryRows, opts: &EvalOptions) -> Self {
        let mut opts = opts.clone();
        opts.bootstrap.iterations = 0;
        InventoryEval {
            base,
            opts,
            cache: Arc::new(EvalCache::new()),
        }
    }

    /// The inventory with `rows` as its rows.
    fn inventory(&self, rows: &[InventoryRow]) -> InventoryRows {
        let mut inv = InventoryRows::new(
            &self.base.organisation,
            self.base.year,
            self.base.campus.clone(),
        );
        inv.has_business = self.base.has_business;
        inv.groups = self.base.groups.clone();
        let mut journeys = Vec::with_capacity(rows.len());
        for r in rows {
            match r {
                InventoryRow::Journey(j) => journeys.push(j.row),
                InventoryRow::Commuter(c) => inv.commuters.push((**c).clone()),
            }
        }
        inv.business = BusinessRows::from_parts(journeys, self.base.business.tables().clone());
        inv
    }
}

/// The running totals of inventory rows ([`Evaluate::Totals`]): the exact sums
/// [`summarise`] adds up for the figures scenarios report, kept so that rows can be taken
/// out again.
#[derive(Debug, Clone)]
pub struct InventoryTotals {
    /// Business kg CO2e and journeys (rows), by mode (`Mode as usize`).
    business: Vec<(ExactSum, u64)>,
    /// Commuting kg CO2e, extrapolated.
    commuting_kg: ExactSum,
    /// Home-working kg CO2e, extrapolated.
    home_kg: ExactSum,
    /// Commuting kg CO2e by mode, and how often each respondent counts in it.
    commuting_modes: BTreeMap<Mode, (ExactSum, HashMap<u32, u32>)>,
    /// The survey's extrapolation, fixed for a run (scenarios never move a respondent).
    weights: Arc<SurveyWeights>,
}

/// What a respondent of a group stands for: fixed by the groups and respondents.
#[derive(Debug, Default)]
struct SurveyWeights {
    /// Per group: the extrapolation weight of every group its respondents stand for (itself,
    /// and the groups assuming it), in the order of [`extrapolation`].
    of_source: HashMap<String, Vec<f64>>,
}

impl SurveyWeights {
    /// The weights a row of `group` is counted with.
    fn of(&self, group: &str) -> &[f64] {
        self.of_source.get(group).map_or(&[], |w| w.as_slice())
    }
}

impl InventoryTotals {
    /// Adds (`sign` 1) or takes out (`sign` -1) one respondent row's year, as
    /// [`summarise`] counts it: once per group it stands for.
    fn commuter(&mut self, c: &Commuter, y: &CommuteYear, sign: i8) {
        let weights = self.weights.clone();
        for &w in weights.of(&c.group) {
            let k = w * c.share;
            let put = |s: &mut ExactSum, v: f64| if sign > 0 { s.add(v) } else { s.sub(v) };
            put(&mut self.commuting_kg, y.co2e_kg * k);
            put(&mut self.home_kg, y.home_working_kg * k);
            for (mode, _, kg) in y.by_mode() {
                let e = self.commuting_modes.entry(mode).or_default();
                put(&mut e.0, kg * k);
                let n = e.1.entry(c.respondent).or_default();
                if sign > 0 {
                    *n += 1;
                    continue;
                }
                *n -= 1;
                if *n == 0 {
                    e.1.remove(&c.respondent);
                    if e.1.is_empty() {
                        self.commuting_modes.remove(&mode);
                    }
                }
            }
        }
    }
}

impl InventoryEval<'_> {
    /// Evaluates `rows` (the journeys, then the commuters, in order) with the cache.
    fn results(&self, rows: &[InventoryRow], packs: &PackSet) -> Result<RowResults, EvaluateError> {
        Ok(evaluate_rows_cached(
            packs,
            &self.inventory(rows),
            &self.opts,
            Some(&self.cache),
        )?)
    }
}

impl Evaluate for InventoryEval<'_> {
    type Row = InventoryRow;
    type Totals = InventoryTotals;

    fn no_totals(&self, rows: &[InventoryRow]) -> Result<InventoryTotals, EvaluateError> {
        let commuters: Vec<InventoryRow> = rows
            .iter()
            .filter(|r| matches!(r, InventoryRow::Commuter(_)))
            .cloned()
            .collect();
        let mut weights = SurveyWeights::default();
        for gw in extrapolation(&self.inventory(&commuters))? {
            weights
                .of_source
                .entry(gw.source)
                .or_default()
                .push(gw.weight);
        }
        Ok(InventoryTotals {
            business: vec![(ExactSum::default(), 0); Mode::ALL.len()],
            commuting_kg: ExactSum::default(),
            home_kg: ExactSum::default(),
            commuting_modes: BTreeMap::new(),
            weights: Arc::new(weights),
        })
    }

    fn add(
        &self,
        totals: &mut InventoryTotals,
        rows: &[InventoryRow],
        packs: &PackSet,
    ) -> Result<Vec<RowFigures>, EvaluateError> {
        let rr = self.results(rows, packs)?;
        let (mut b, mut c) = (rr.business.numbers_and_factors(), rr.commuters.iter());
        // One shared list per distinct factor (rows repeat a few dozen).
        let mut shared: HashMap<(usize, usize), Arc<[String]>, foldhash::fast::FixedState> =
            HashMap::default();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(match r {
                InventoryRow::Journey(j) => {
                    let (n, (pack, id)) = b.next().expect("one result per journey");
                    let cell = &mut totals.business[j.row.mode() as usize];
                    cell.0.add(n.co2e_kg);
                    cell.1 += 1;
                    RowFigures {
                        co2e_kg: n.co2e_kg,
                        one_way_km: n.one_way_km,
                        units: j.row.travellers(),
                        factors: shared
                            .entry((
                                Arc::as_ptr(pack) as *const u8 as usize,
                                Arc::as_ptr(id) as *const u8 as usize,
                            ))
                            .or_insert_with(|| vec![format!("{pack}:{id}")].into())
                            .clone(),
                    }
                }
                InventoryRow::Commuter(cm) => {
                    let y = c.next().expect("one result per commuter");
                    totals.commuter(cm, y, 1);
                    let w = totals.weights.of(&cm.group).iter().fold(0.0, |a, w| a + w);
                    RowFigures {
                        co2e_kg: y.co2e_kg * w * cm.share,
                        one_way_km: y.legs.first().map_or(0.0, |l| l.one_way_km),
                        units: w,
                        factors: y
                            .legs
                            .iter()
                            .map(|l| format!("{}:{}", l.factor_pack, l.factor_id))
                            .collect::<Vec<_>>()
                            .into(),
                    }
                }
            });
        }
        Ok(out)
    }

    fn remove(
        &self,
        totals: &mut InventoryTotals,
        rows: &[InventoryRow],
        figures: &[RowFigures],
        packs: &PackSet,
    ) -> Result<(), EvaluateError> {
        let commuters: Vec<InventoryRow> = rows
            .iter()
            .filter(|r| matches!(r, InventoryRow::Commuter(_)))
            .cloned()
            .collect();
        for (r, f) in rows.iter().zip(figures) {
            if let InventoryRow::Journey(j) = r {
                let cell = &mut totals.business[j.row.mode() as usize];
                cell.0.sub(f.co2e_kg);
                cell.1 -= 1;
            }
        }
        if commuters.is_empty() {
            return Ok(());
        }
        // A respondent's year is the same bits every time (and in the cache): evaluated
        // again, it is what was added.
        let rr = self.results(&commuters, packs)?;
        for (r, y) in commuters.iter().zip(&rr.commuters) {
            if let InventoryRow::Commuter(c) = r {
                totals.commuter(c, y, -1);
            }
        }
        Ok(())
    }

    fn outcome(&self, totals: &InventoryTotals) -> Outcome {
        let mut business = ExactSum::default();
        for (s, _) in &totals.business {
            business.merge(s);
        }
        let (b_kg, c_kg, home_kg) = (
            business.value(),
            totals.commuting_kg.value(),
            totals.home_kg.value(),
        );
        let mut out = Outcome {
            total_kg: round3(b_kg + c_kg + home_kg),
            ..Outcome::default()
        };
        let mut categories = Vec::new();
        if self.base.has_business {
            categories.push(("business", b_kg));
        }
        if self.base.has_commuting() {
            categories.push(("commuting", c_kg));
            if self.opts.home_working.is_some() {
                categories.push(("telework", home_kg));
            }
        }
        for (key, kg) in categories {
            *out.by_category_kg.entry(key.to_string()).or_insert(0.0) += round3(kg);
            if key == "telework" && round3(kg) > 0.0 {
                *out.by_mode_kg.entry(key.to_string()).or_insert(0.0) += round3(kg);
            }
        }
        for m in Mode::ALL {
            let (kg, rows) = &totals.business[m as usize];
            if *rows > 0 {
                *out.by_mode_kg.entry(m.key().to_string()).or_insert(0.0) += round3(kg.value());
            }
        }
        let cells = totals
            .commuting_modes
            .iter()
            .map(|(m, (kg, who))| Cell {
                key: m.key().to_string(),
                respondents: who.keys().copied().collect(),
                value: *kg,
            })
            .collect();
        let min = self.opts.min_cell_size.max(1);
        for c in merge_small_cells(cells, min, |a, b| a.merge(b)).cells {
            *out.by_mode_kg.entry(c.key).or_insert(0.0) += round3(c.value.value());
        }
        out
    }

    fn calc(&self) -> &CalcOptions {
        &self.opts.calc
    }

    fn min_cell_size(&self) -> usize {
        self.opts.min_cell_size
    }

    fn evaluate(&self, rows: &[InventoryRow], packs: &PackSet) -> Result<Outcome, EvaluateError> {
        let inv = self.inventory(rows);
        extrapolation(&inv)?;
        let per_row = evaluate_rows_cached(packs, &inv, &self.opts, Some(&self.cache))?;
        let result = summarise(&inv, &per_row, &self.opts)?;
        let mut weight_of_group: BTreeMap<&str, f64> = BTreeMap::new();
        for gw in extrapolation(&inv)? {
            *weight_of_group
                .entry(
                    self.base
                        .groups
                        .get_key_value(&gw.source)
                        .map_or("", |(k, _)| k),
                )
                .or_insert(0.0) += gw.weight;
        }
        let mut out = Outcome {
            total_kg: result.total.co2e_kg,
            ..Outcome::default()
        };
        for c in &result.categories {
            let key = if c.key == "home_working" {
                "telework"
            } else {
                c.key
            };
            *out.by_category_kg.entry(key.to_string()).or_insert(0.0) += c.co2e_kg;
            if c.key == "home_working" && c.co2e_kg > 0.0 {
                *out.by_mode_kg.entry("telework".into()).or_insert(0.0) += c.co2e_kg;
            }
        }
        for m in &result.by_mode {
            *out.by_mode_kg.entry(m.mode.clone()).or_insert(0.0) += m.co2e_kg;
        }
        let (mut b, mut c) = (per_row.business.iter(), per_row.commuters.iter());
        // One shared list per distinct factor (rows repeat a few dozen).
        let mut shared: HashMap<(usize, usize), Arc<[String]>> = HashMap::new();
        for r in rows {
            let o = match r {
                InventoryRow::Journey(j) => {
                    let jr = b.next().expect("one result per journey");
                    RowOutcome {
                        co2e_kg: jr.co2e_kg,
                        one_way_km: jr.one_way_km,
                        great_circle_km: None,
                        units: j.row.travellers(),
                        factors: shared
                            .entry((
                                Arc::as_ptr(&jr.factor_pack) as *const u8 as usize,
                                Arc::as_ptr(&jr.factor_id) as *const u8 as usize,
                            ))
                            .or_insert_with(|| {
                                vec![format!("{}:{}", jr.factor_pack, jr.factor_id)].into()
                            })
                            .clone(),
                        error: None,
                    }
                }
                InventoryRow::Commuter(cm) => {
                    let y = c.next().expect("one result per commuter");
                    let w = weight_of_group
                        .get(cm.group.as_str())
                        .copied()
                        .unwrap_or(0.0);
                    RowOutcome {
                        co2e_kg: y.co2e_kg * w * cm.share,
                        one_way_km: y.legs.first().map_or(0.0, |l| l.one_way_km),
                        great_circle_km: None,
                        units: w,
                        factors: y
                            .legs
                            .iter()
                            .map(|l| format!("{}:{}", l.factor_pack, l.factor_id))
                            .collect::<Vec<_>>()
                            .into(),
                        error: None,
                    }
                }
            };
            out.rows.push(o);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commute::{Group, PopulationUnit, Role};
    use crate::inventory::evaluate_with;
    use crate::scenario::{RunOptions, parse, run};
    use std::sync::Arc;

    fn commuter(i: u32, modes: &[(Mode, f64)], km: f64) -> Commuter {
        Commuter {
            file: Arc::from("survey.csv"),
            line: u64::from(i) + 2,
            id: String::new(),
            respondent: i,
            share: 1.0,
            group: "staff".into(),
            home: None,
            home_id: None,
            one_way_km: Some(km),
            modes: modes
                .iter()
                .map(|(mode, share_of_days)| ModeShare {
                    mode: *mode,
                    share_of_days: *share_of_days,
                })
                .collect(),
            days_per_week: 4.0,
            telework_days: 0.0,
            weeks_per_year: 40.0,
            occupancy: 1.0,
            fuel: Fuel::Unknown,
            size: Size::Average,
            dimensions: vec![],
        }
    }

    fn inventory() -> InventoryRows {
        let campus = Stop::from_place(&crate::places::Gazetteer::bundled().resolve("ut").unwrap());
        let mut rows = InventoryRows::new("Test", 2025, campus);
        rows.groups.insert(
            "staff".into(),
            Group {
                name: "staff".into(),
                population: 100.0,
                unit: PopulationUnit::Fte,
                weeks_per_year: 40.0,
                role: Role::Staff,
                assume: None,
            },
        );
        rows.commuters = vec![
            commuter(0, &[(Mode::Car, 0.6), (Mode::Train, 0.4)], 10.0),
            commuter(1, &[(Mode::Car, 1.0)], 13.0),
            commuter(2, &[(Mode::Bike, 1.0)], 4.0),
            commuter(3, &[(Mode::Bus, 1.0)], 20.0),
        ];
        rows
    }

    #[test]
    fn commuters_shift_the_named_mode_and_keep_their_respondent() {
        let inv = inventory();
        let eval = InventoryEval::new(&inv, &EvalOptions::default());
        let change = ModeChange {
            from: Mode::Car,
            mode: Mode::Train,
            fuel: Fuel::Unknown,
            size: Size::Average,
            occupancy: 1.0,
        };
        let mut two = InventoryRow::Commuter(Box::new(inv.commuters[0].clone()));
        two.shift_mode(&change, PackSet::bundled(), eval.calc());
        let InventoryRow::Commuter(c) = &two else {
            panic!()
        };
        // Car days join the train days; the given distance is kept (still the train's).
        assert_eq!(c.modes.len(), 1);
        assert_eq!(
            (c.modes[0].mode, c.modes[0].share_of_days),
            (Mode::Train, 1.0)
        );
        assert_eq!(c.one_way_km, Some(10.0 * (1.2 / 1.3)));
        let mut one = InventoryRow::Commuter(Box::new(inv.commuters[1].clone()));
        one.shift_mode(
            &ModeChange {
                mode: Mode::Ebike,
                ..change
            },
            PackSet::bundled(),
            eval.calc(),
        );
        // DESNZ pack: car and e-bike both x1.3, so the road distance stays.
        let InventoryRow::Commuter(c) = &one else {
            panic!()
        };
        assert_eq!(c.one_way_km, Some(13.0));
        assert_eq!(c.respondent, 1);
    }

    #[test]
    fn shares_and_extrapolation_go_through_the_inventory() {
        let inv = inventory();
        // 4 respondents: below the default minimum cell size, the step would be withheld.
        let eval = InventoryEval::new(
            &inv,
            &EvalOptions {
                min_cell_size: 1,
                ..EvalOptions::default()
            },
        );
        let rows = rows_of(&inv);
        let sc = parse(
            "t.json",
            r#"{"name": "half to e-bike", "description": "d", "interventions": [
                {"type": "mode_shift", "from": "car", "to": "ebike", "share": 0.5, "filter": {"max_km": 15}}]}"#,
        )
        .unwrap();
        let opts = RunOptions {
            combine: false,
            inventory_year: 2025,
            target_year: 2030,
            configured_baseline_t: None,
            target_reduction_pct: None,
        };
        let c = run(&eval, &rows, PackSet::bundled(), &[sc], &opts).unwrap();
        let s = &c.scenarios[0];
        // 4 respondents stand for 100 FTE: 25 each; half of the two car commuters move.
        assert_eq!(s.steps[0].rows_changed, Some(2));
        assert!((s.commuters_affected - 25.0).abs() < 1e-9);
        // The saving: half of the car km of both, at DESNZ average car minus ADEME e-bike.
        let car_km = 25.0 * 2.0 * 4.0 * 40.0 * (10.0 * 0.6 + 13.0);
        let car = car_km * (0.16725 + 0.04399);
        let ebike = 25.0 * 2.0 * 4.0 * 40.0 * (10.0 * 0.6 + 13.0) * (0.00223 + 0.00872);
        let expected_t = 0.5 * (car - ebike) / 1000.0;
        assert!(
            (s.saving_t - expected_t).abs() < 1e-5,
            "{} vs {expected_t}",
            s.saving_t
        );
        // The inventory's own total is the baseline.
        let total = evaluate_with(PackSet::bundled(), &inv, &eval.opts).unwrap();
        assert!((c.baseline.total_t - total.total.co2e_t).abs() < 1e-3);
    }

    #[test]
    fn alternating_partial_shifts_keep_the_rows_bounded() {
        let inv = inventory();
        let eval = InventoryEval::new(&inv, &EvalOptions::default());
        let rows = rows_of(&inv);
        let shifts: Vec<String> = (0..12)
            .map(|i| {
                let (from, to) = if i % 2 == 0 {
                    ("car", "train")
                } else {
                    ("train", "car")
                };
                format!(r#"{{"type": "mode_shift", "from": "{from}", "to": "{to}", "share": 0.5}}"#)
            })
            .collect();
        let sc = parse(
            "t.json",
            &format!(
                r#"{{"name": "back and forth", "description": "d", "interventions": [{}]}}"#,
                shifts.join(",")
            ),
        )
        .unwrap();
        let mut state = crate::scenario::State::start(&eval, &rows, PackSet::bundled()).unwrap();
        for iv in &sc.interventions {
            crate::scenario::state::step(&eval, iv, &mut state, "t.json").unwrap();
            // Each respondent can only be all-car, all-train or its original mix (and the
            // mixed ones their two merged forms): never more than 3 pieces.
            assert!(
                state.rows().len() <= 3 * rows.len(),
                "{} rows",
                state.rows().len()
            );
        }
        // Weights are kept: every respondent still counts once.
        for r in &rows {
            let w: f64 = state
                .rows()
                .iter()
                .filter(|x| x.origin_label() == r.origin_label())
                .map(|x| x.weight())
                .sum();
            assert!((w - 1.0).abs() < 1e-12, "{}: {w}", r.origin_label());
        }
    }

    /// Random journeys to a few destinations (some with a given distance, some reduced) next
    /// to the four commuters of [`inventory`].
    fn random_inventory(journeys: &[(usize, usize, u8, f64)]) -> InventoryRows {
        let g = crate::places::Gazetteer::bundled();
        let stop = |q: &str| Stop::from_place(&g.resolve(q).unwrap());
        let mut inv = inventory();
        inv.has_business = true;
        let places = ["Amsterdam", "Paris", "Barcelona", "London", "Berlin"];
        let modes = [Mode::Flight, Mode::Train, Mode::Car, Mode::Flight];
        let cabins = [Cabin::Economy, Cabin::Business, Cabin::First];
        for (i, &(to, mode, variant, share)) in journeys.iter().enumerate() {
            let mode = modes[mode % modes.len()];
            inv.business.push(crate::inventory::Journey {
                file: Arc::from("trips.csv"),
                line: i as u64 + 2,
                id: String::new(),
                mode,
                cabin: if mode == Mode::Flight {
                    cabins[usize::from(variant) % 3]
                } else {
                    Cabin::Economy
                },
                size: Size::Average,
                fuel: Fuel::Unknown,
                stops: vec![stop("Enschede"), stop(places[to % places.len()])],
                round_trip: variant % 2 == 0,
                travellers: 1.0 + f64::from(variant % 3),
                occupancy: 1.0,
                distance_km: (variant % 4 == 1).then_some(150.0 + 97.0 * f64::from(variant)),
                cost_eur: None,
                department: ["BMS", "ET"][i % 2].into(),
                share,
                dimensions: Vec::new(),
            });
        }
        inv
    }

    /// Interventions of every kind, with shares and filters that split rows.
    const STEPS: [&str; 9] = [
        r#"{"type": "mode_shift", "from": "flight", "to": "train", "share": 0.5, "filter": {"max_km": 900}}"#,
        r#"{"type": "mode_shift", "from": "train", "to": "flight", "share": 0.3}"#,
        r#"{"type": "reduce", "share": 0.25, "filter": {"category": "business", "mode": "flight"}}"#,
        r#"{"type": "cabin_policy", "filter": {"category": "business"}}"#,
        r#"{"type": "mode_shift", "from": "car", "to": "ebike", "share": 0.5, "filter": {"max_km": 15}}"#,
        r#"{"type": "occupancy", "occupancy": 2, "share": 0.4, "filter": {"category": "commuting"}}"#,
        r#"{"type": "telework", "extra_days_per_week": 1, "filter": {"group": "staff"}, "rebound": {"share": 0.1, "reason": "r"}}"#,
        r#"{"type": "factor_override", "factor": "train.national", "ttw": 0, "share": 0.5, "source": "s"}"#,
        r#"{"type": "fleet", "fuel": "bev", "share": 0.5, "filter": {"department": "BMS"}}"#,
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        #[test]
        fn running_totals_are_the_bits_of_evaluating_every_row_again(
            journeys in proptest::collection::vec(
                (0usize..5, 0usize..4, 0u8..12, proptest::prop_oneof![proptest::prelude::Just(1.0), 0.0f64..1.0]),
                0..40,
            ),
            steps in proptest::collection::vec(0usize..STEPS.len(), 1..8),
            min_cell_size in 1usize..4,
        ) {
            let inv = random_inventory(&journeys);
            let opts = EvalOptions {
                min_cell_size,
                home_working: Some(crate::commute::HomeWorking {
                    kg_per_day: 1.5,
                    source: "test".into(),
                }),
                ..EvalOptions::default()
            };
            let eval = InventoryEval::new(&inv, &opts);
            let list: Vec<&str> = steps.iter().map(|&i| STEPS[i]).collect();
            let sc = parse(
                "t.json",
                &format!(
                    r#"{{"name": "random", "description": "d", "interventions": [{}]}}"#,
                    list.join(",")
                ),
            )
            .unwrap();
            let rows = rows_of(&inv);
            let mut state = crate::scenario::State::start(&eval, &rows, PackSet::bundled()).unwrap();
            let bits = |o: &Outcome| {
                (
                    o.total_kg.to_bits(),
                    o.by_category_kg.iter().map(|(k, v)| (k.clone(), v.to_bits())).collect::<Vec<_>>(),
                    o.by_mode_kg.iter().map(|(k, v)| (k.clone(), v.to_bits())).collect::<Vec<_>>(),
                )
            };
            for iv in &sc.interventions {
                crate::scenario::state::step(&eval, iv, &mut state, "t.json").unwrap();
                let again = eval.evaluate(state.rows(), state.packs()).unwrap();
                proptest::prop_assert_eq!(bits(state.outcome()), bits(&again), "{}", iv.path);
                proptest::prop_assert_eq!(state.figures().len(), again.rows.len());
                for (f, o) in state.figures().iter().zip(&again.rows) {
                    proptest::prop_assert_eq!(f.co2e_kg.to_bits(), o.co2e_kg.to_bits());
                    proptest::prop_assert_eq!(f.one_way_km.to_bits(), o.one_way_km.to_bits());
                    proptest::prop_assert_eq!(f.units.to_bits(), o.units.to_bits());
                    proptest::prop_assert_eq!(&f.factors, &o.factors);
                }
            }
        }
    }
}
