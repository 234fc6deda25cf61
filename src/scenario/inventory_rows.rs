//! The inventory's rows and evaluation as scenarios see them: [`InventoryRow`] wraps a
//! business [`Journey`] or a survey [`Commuter`]; [`InventoryEval`] puts changed rows back
//! into [`InventoryRows`] and evaluates them with [`crate::inventory::evaluate_with`], the one
//! path to every inventory figure.

use super::rows::{
    Evaluate, EvaluateError, ModeChange, Outcome, RowOutcome, ScenarioRow, shifted_distance_km,
};
use super::schema::Category;
use crate::commute::{Commuter, ModeShare};
use crate::factors::PackSet;
use crate::input::normalise_header;
use crate::inventory::{
    EvalOptions, InventoryRows, Journey, evaluate_rows, evaluate_with, extrapolation,
};
use crate::journey::{CalcOptions, Stop};
use crate::mode::{Cabin, Fuel, Mode, Size};
use std::collections::BTreeMap;

/// One row of the inventory.
#[derive(Debug, Clone, PartialEq)]
pub enum InventoryRow {
    /// A business journey (category 6).
    Journey(Journey),
    /// A survey respondent, or part of one (category 7).
    Commuter(Commuter),
}

/// The rows of an inventory, business journeys first, in file order.
pub fn rows_of(inv: &InventoryRows) -> Vec<InventoryRow> {
    inv.business
        .iter()
        .cloned()
        .map(InventoryRow::Journey)
        .chain(inv.commuters.iter().cloned().map(InventoryRow::Commuter))
        .collect()
}

fn dims<'a>(d: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let n = normalise_header(name);
    d.iter()
        .find(|(k, _)| normalise_header(k) == n)
        .map(|(_, v)| v.as_str())
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
            InventoryRow::Journey(j) => j.mode,
            InventoryRow::Commuter(c) => c
                .modes
                .iter()
                .max_by(|a, b| a.share_of_days.total_cmp(&b.share_of_days))
                .map_or(Mode::Walk, |m| m.mode),
        }
    }
    fn uses_mode(&self, mode: Mode) -> bool {
        match self {
            InventoryRow::Journey(j) => j.mode == mode,
            InventoryRow::Commuter(c) => c.modes.iter().any(|m| m.mode == mode),
        }
    }
    fn cabin(&self) -> Cabin {
        match self {
            InventoryRow::Journey(j) => j.cabin,
            InventoryRow::Commuter(_) => Cabin::Economy,
        }
    }
    fn fuel(&self) -> Fuel {
        match self {
            InventoryRow::Journey(j) => j.fuel,
            InventoryRow::Commuter(c) => c.fuel,
        }
    }
    fn occupancy(&self) -> f64 {
        match self {
            InventoryRow::Journey(j) => j.occupancy,
            InventoryRow::Commuter(c) => c.occupancy,
        }
    }
    fn dimension(&self, name: &str) -> Option<&str> {
        let n = normalise_header(name);
        match self {
            InventoryRow::Journey(j) if n == "department" && !j.department.is_empty() => {
                Some(&j.department)
            }
            InventoryRow::Journey(j) => dims(&j.dimensions, name),
            InventoryRow::Commuter(c) if n == "group" => Some(&c.group),
            InventoryRow::Commuter(c) => dims(&c.dimensions, name),
        }
    }
    fn dimension_names(&self) -> Vec<String> {
        match self {
            InventoryRow::Journey(j) => std::iter::once("department".to_string())
                .chain(j.dimensions.iter().map(|(k, _)| k.clone()))
                .collect(),
            InventoryRow::Commuter(c) => std::iter::once("group".to_string())
                .chain(c.dimensions.iter().map(|(k, _)| k.clone()))
                .collect(),
        }
    }
    fn destination_country(&self) -> Option<&str> {
        match self {
            InventoryRow::Journey(j) => j
                .stops
                .last()
                .map(|s| s.country_code.as_str())
                .filter(|c| !c.is_empty()),
            InventoryRow::Commuter(_) => None,
        }
    }
    fn destination(&self) -> Option<&Stop> {
        match self {
            InventoryRow::Journey(j) => j.stops.last(),
            InventoryRow::Commuter(_) => None,
        }
    }
    fn origin_label(&self) -> String {
        match self {
            InventoryRow::Journey(j) => format!("{}:{}", j.file, j.line),
            InventoryRow::Commuter(c) => format!("{}:{}", c.file, c.line),
        }
    }
    fn weight(&self) -> f64 {
        match self {
            InventoryRow::Journey(j) => j.share,
            InventoryRow::Commuter(c) => c.share,
        }
    }
    fn set_weight(&mut self, weight: f64) {
        match self {
            InventoryRow::Journey(j) => j.share = weight,
            InventoryRow::Commuter(c) => c.share = weight,
        }
    }
    fn shift_mode(&mut self, to: &ModeChange, packs: &PackSet, calc: &CalcOptions) {
        match self {
            InventoryRow::Journey(j) => {
                j.distance_km =
                    shifted_distance_km(&j.stops, j.distance_km, j.mode, to.mode, packs, calc);
                j.mode = to.mode;
                j.cabin = Cabin::Economy;
                j.fuel = to.fuel;
                j.size = to.size;
                j.occupancy = to.occupancy;
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
            j.cabin = cabin;
        }
    }
    fn set_occupancy(&mut self, occupancy: f64) {
        match self {
            InventoryRow::Journey(j) => j.occupancy = occupancy,
            InventoryRow::Commuter(c) => c.occupancy = occupancy,
        }
    }
    fn set_fuel(&mut self, fuel: Fuel, size: Option<Size>) {
        match self {
            InventoryRow::Journey(j) => {
                j.fuel = fuel;
                if let Some(s) = size {
                    j.size = s;
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
}

impl<'a> InventoryEval<'a> {
    /// Evaluation of `base` with `opts`, without the bootstrap.
    pub fn new(base: &'a InventoryRows, opts: &EvalOptions) -> Self {
        let mut opts = opts.clone();
        opts.bootstrap.iterations = 0;
        InventoryEval { base, opts }
    }

    fn inventory(&self, rows: &[InventoryRow]) -> InventoryRows {
        let mut inv = InventoryRows::new(
            &self.base.organisation,
            self.base.year,
            self.base.campus.clone(),
        );
        inv.has_business = self.base.has_business;
        inv.groups = self.base.groups.clone();
        for r in rows {
            match r {
                InventoryRow::Journey(j) => inv.business.push(j.clone()),
                InventoryRow::Commuter(c) => inv.commuters.push(c.clone()),
            }
        }
        inv
    }
}

impl Evaluate for InventoryEval<'_> {
    type Row = InventoryRow;

    fn calc(&self) -> &CalcOptions {
        &self.opts.calc
    }

    fn evaluate(&self, rows: &[InventoryRow], packs: &PackSet) -> Result<Outcome, EvaluateError> {
        let inv = self.inventory(rows);
        let result = evaluate_with(packs, &inv, &self.opts)?;
        let per_row = evaluate_rows(packs, &inv, &self.opts)?;
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
        for r in rows {
            let o = match r {
                InventoryRow::Journey(j) => {
                    let jr = b.next().expect("one result per journey");
                    RowOutcome {
                        co2e_kg: jr.co2e_kg,
                        one_way_km: jr.one_way_km,
                        great_circle_km: None,
                        units: j.travellers,
                        factors: vec![format!("{}:{}", jr.factor_pack, jr.factor_id)],
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
                            .collect(),
                        error: None,
                    }
                }
            };
            out.rows.push(o);
        }
        Ok(out)
    }
}
