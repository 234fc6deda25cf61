//! Scenario engine tests on a small hand-made inventory evaluated with the journey engine.

use super::*;
use crate::distance::LatLon;
use crate::factors::PackSet;
use crate::journey::{CalcOptions, Stop, TripSpec, estimate, leg};
use crate::mode::{Cabin, Fuel, Mode, Size};
use rayon::prelude::*;

/// A test row: a business journey (`days` = None) or a commuter (one-way home → campus).
#[derive(Debug, Clone)]
struct Row {
    stops: Vec<Stop>,
    spec: TripSpec,
    dims: Vec<(String, String)>,
    weight: f64,
    /// Commuting: (campus days per week, weeks per year).
    days: Option<(f64, f64)>,
}

impl ScenarioRow for Row {
    fn category(&self) -> Category {
        if self.days.is_some() {
            Category::Commuting
        } else {
            Category::Business
        }
    }
    fn mode(&self) -> Mode {
        self.spec.mode
    }
    fn cabin(&self) -> Cabin {
        self.spec.cabin
    }
    fn fuel(&self) -> Fuel {
        self.spec.fuel
    }
    fn occupancy(&self) -> f64 {
        self.spec.occupancy
    }
    fn dimension(&self, name: &str) -> Option<&str> {
        self.dims
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn dimension_names(&self) -> Vec<String> {
        self.dims.iter().map(|(k, _)| k.clone()).collect()
    }
    fn destination_country(&self) -> Option<&str> {
        self.stops.last().map(|s| s.country_code.as_str())
    }
    fn destination(&self) -> Option<&Stop> {
        self.stops.last()
    }
    fn origin(&self) -> (u64, u64) {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.origin_label().hash(&mut h);
        (0, h.finish())
    }
    fn origin_label(&self) -> String {
        format!(
            "{:?}{:?}{:?}",
            self.stops.last().map(|s| &s.label),
            self.dims,
            self.spec.distance_km
        )
    }
    fn weight(&self) -> f64 {
        self.weight
    }
    fn set_weight(&mut self, weight: f64) {
        self.weight = weight;
    }
    fn same_but_weight(&self, other: &Self) -> bool {
        self.stops == other.stops
            && self.spec == other.spec
            && self.dims == other.dims
            && self.days == other.days
    }
    fn shift_mode(&mut self, to: &ModeChange, packs: &PackSet, calc: &CalcOptions) {
        self.spec.distance_km = shifted_distance_km(
            &self.stops,
            self.spec.distance_km,
            self.spec.mode,
            to.mode,
            packs,
            calc,
        );
        self.spec.mode = to.mode;
        self.spec.fuel = to.fuel;
        self.spec.size = to.size;
        self.spec.occupancy = to.occupancy;
        self.spec.cabin = Cabin::Economy;
    }
    fn set_cabin(&mut self, cabin: Cabin) {
        self.spec.cabin = cabin;
    }
    fn set_occupancy(&mut self, occupancy: f64) {
        self.spec.occupancy = occupancy;
    }
    fn set_fuel(&mut self, fuel: Fuel, size: Option<Size>) {
        self.spec.fuel = fuel;
        if let Some(s) = size {
            self.spec.size = s;
        }
    }
    fn add_telework_days(&mut self, days: f64) -> f64 {
        match &mut self.days {
            Some((d, _)) => {
                let removed = days.min(*d);
                *d -= removed;
                removed
            }
            None => 0.0,
        }
    }
}

struct Eval(CalcOptions);

/// The mock's running totals: exact sums (and rows) by category and mode.
#[derive(Debug, Clone, Default)]
struct MockTotals {
    by_category: BTreeMap<String, (crate::aggregate::ExactSum, u64)>,
    by_mode: BTreeMap<String, (crate::aggregate::ExactSum, u64)>,
}

impl MockTotals {
    fn count(&mut self, r: &Row, kg: f64, sign: i8) {
        for (map, key) in [
            (&mut self.by_category, r.category().key()),
            (&mut self.by_mode, r.spec.mode.key()),
        ] {
            let e = map.entry(key.to_string()).or_default();
            if sign > 0 {
                e.0.add(kg);
                e.1 += 1;
            } else {
                e.0.sub(kg);
                e.1 -= 1;
                if e.1 == 0 {
                    map.remove(key);
                }
            }
        }
    }
}

impl Eval {
    fn outcomes(&self, rows: &[Row], packs: &PackSet) -> Result<Vec<RowOutcome>, EvaluateError> {
        rows.par_iter()
            .map(|r| {
                let (kg, km) = match r.days {
                    None => {
                        let e = estimate(packs, &r.stops, &r.spec, &self.0)?;
                        (e.co2e_kg, e.distance_km)
                    }
                    Some((days, weeks)) => {
                        let l = leg(
                            packs,
                            &r.stops[0],
                            &r.stops[1],
                            &r.spec,
                            &self.0,
                            r.spec.distance_km,
                        )?;
                        (l.co2e_kg * 2.0 * days * weeks, l.distance_km)
                    }
                };
                let sel = packs.select(
                    &self.0.pack,
                    &crate::factors::FactorQuery {
                        kind: r.spec.kind.clone(),
                        ..crate::factors::FactorQuery::new(r.spec.mode)
                    },
                )?;
                Ok(RowOutcome {
                    units: if r.days.is_some() {
                        1.0
                    } else {
                        r.spec.travellers
                    },
                    co2e_kg: kg * r.weight,
                    one_way_km: km,
                    great_circle_km: None,
                    factors: vec![format!("{}:{}", sel.pack.id, sel.factor.id)].into(),
                    error: None,
                })
            })
            .collect()
    }
}

impl Evaluate for Eval {
    type Row = Row;
    type Totals = MockTotals;
    fn calc(&self) -> &CalcOptions {
        &self.0
    }
    fn evaluate(&self, rows: &[Row], packs: &PackSet) -> Result<Outcome, EvaluateError> {
        let mut totals = MockTotals::default();
        self.add(&mut totals, rows, packs)?;
        Ok(Outcome {
            rows: self.outcomes(rows, packs)?,
            ..self.outcome(&totals)
        })
    }
    fn no_totals(&self, _: &[Row]) -> Result<MockTotals, EvaluateError> {
        Ok(MockTotals::default())
    }
    fn add(
        &self,
        totals: &mut MockTotals,
        rows: &[Row],
        packs: &PackSet,
    ) -> Result<Vec<RowFigures>, EvaluateError> {
        let outcomes = self.outcomes(rows, packs)?;
        Ok(rows
            .iter()
            .zip(outcomes)
            .map(|(r, o)| {
                totals.count(r, o.co2e_kg, 1);
                RowFigures {
                    co2e_kg: o.co2e_kg,
                    one_way_km: o.one_way_km,
                    units: o.units,
                    factors: o.factors,
                }
            })
            .collect())
    }
    fn remove(
        &self,
        totals: &mut MockTotals,
        rows: &[Row],
        figures: &[RowFigures],
        _: &PackSet,
    ) -> Result<(), EvaluateError> {
        for (r, f) in rows.iter().zip(figures) {
            totals.count(r, f.co2e_kg, -1);
        }
        Ok(())
    }
    fn outcome(&self, totals: &MockTotals) -> Outcome {
        let mut total = crate::aggregate::ExactSum::default();
        totals
            .by_category
            .values()
            .for_each(|(s, _)| total.merge(s));
        Outcome {
            total_kg: total.value(),
            by_category_kg: totals
                .by_category
                .iter()
                .map(|(k, (s, _))| (k.clone(), s.value()))
                .collect(),
            by_mode_kg: totals
                .by_mode
                .iter()
                .map(|(k, (s, _))| (k.clone(), s.value()))
                .collect(),
            rows: Vec::new(),
        }
    }
}

fn stop(lat: f64, lon: f64, cc: &str) -> Stop {
    Stop {
        label: format!("{lat},{lon} ({cc})"),
        name: format!("{lat},{lon}"),
        position: LatLon::new(lat, lon).unwrap(),
        country_code: cc.into(),
    }
}

fn ut() -> Stop {
    stop(52.2393, 6.8495, "NL")
}

fn business(to: Stop, mode: Mode, dept: &str) -> Row {
    let mut spec = TripSpec::new(mode);
    spec.round_trip = true;
    Row {
        stops: vec![ut(), to],
        spec,
        dims: vec![("department".into(), dept.into())],
        weight: 1.0,
        days: None,
    }
}

fn commuter(km: f64, mode: Mode, group: &str, days: f64, weight: f64) -> Row {
    let mut spec = TripSpec::new(mode);
    spec.distance_km = Some(km);
    Row {
        stops: vec![stop(52.3, 6.7, "NL"), ut()],
        spec,
        dims: vec![("group".into(), group.into())],
        weight,
        days: Some((days, 40.0)),
    }
}

fn inventory() -> Vec<Row> {
    let mut r = vec![
        business(stop(40.0, -3.0, "ES"), Mode::Flight, "EEMCS"), // ~1,440 km
        business(stop(48.86, 2.35, "FR"), Mode::Flight, "BMS"),  // ~430 km
        business(stop(40.64, -73.78, "US"), Mode::Flight, "ET"), // long haul
        business(stop(52.52, 13.40, "DE"), Mode::Train, "EEMCS"),
        business(stop(50.85, 4.35, "BE"), Mode::Car, "BMS"),
        commuter(8.0, Mode::Car, "staff", 4.0, 120.0),
        commuter(25.0, Mode::Car, "staff", 3.0, 80.0),
        commuter(12.0, Mode::Train, "student", 4.0, 300.0),
        commuter(4.0, Mode::Bike, "phd", 5.0, 50.0),
    ];
    r[2].spec.cabin = Cabin::Business;
    r[4].spec.fuel = Fuel::Diesel;
    r
}

fn eval() -> Eval {
    // Hand-checked with the pack's single rail factor (DESNZ national rail).
    Eval(CalcOptions {
        rail_factor: crate::factors::RailFactor::Pack,
        ..CalcOptions::default()
    })
}

fn opts(combine: bool) -> RunOptions {
    RunOptions {
        combine,
        inventory_year: 2025,
        target_year: 2030,
        configured_baseline_t: Some(10_000.0),
        target_reduction_pct: Some(30.0),
    }
}

fn scenario(json: &str) -> Scenario {
    parse("test.json", json).unwrap_or_else(|e| panic!("{e}"))
}

fn run_one(json: &str) -> ScenarioResult {
    let c = run(
        &eval(),
        &inventory(),
        PackSet::bundled(),
        &[scenario(json)],
        &opts(false),
    )
    .unwrap();
    c.scenarios.into_iter().next().unwrap()
}

fn baseline() -> Totals {
    run(&eval(), &inventory(), PackSet::bundled(), &[], &opts(false))
        .unwrap()
        .baseline
}

#[test]
fn no_interventions_equals_the_baseline_exactly() {
    let r = run_one(r#"{"name": "Nothing", "description": "No change.", "interventions": []}"#);
    let b = baseline();
    assert_eq!(r.totals, b);
    assert_eq!(r.saving_t, 0.0);
    assert!(r.steps.is_empty());
}

#[test]
fn reduce_all_flights_removes_exactly_the_flight_emissions() {
    let r = run_one(
        r#"{"name": "No flights", "description": "Every flight replaced by a video call.",
            "interventions": [{"type": "reduce", "filter": {"mode": "flight"}, "share": 1.0}]}"#,
    );
    let b = baseline();
    let flight = b.by_mode_t["flight"];
    assert!(flight > 1.0);
    assert_eq!(r.totals.by_mode_t["flight"], 0.0);
    for (mode, t) in &b.by_mode_t {
        if mode != "flight" {
            assert_eq!(r.totals.by_mode_t[mode], *t, "{mode} changed");
        }
    }
    assert!(
        (r.saving_t - flight).abs() < 2e-6 * flight,
        "{}",
        r.saving_t
    );
    assert_eq!(r.steps[0].rows_matched, Some(3));
    // Three journeys (round trips) of one traveller each.
    assert_eq!(r.steps[0].business_trips_affected, 3.0);
}

/// Flight Enschede (UT, 52.2393 N 6.8495 E) → 40 N 3 W (near Madrid), round trip, moved to
/// the train. By hand: great circle 1,555.7 km (Karney, WGS84; asserted below) × 1.2 rail
/// detour (the DESNZ pack's convention) = 1,866.9 km one way; DESNZ 2025 national rail
/// 0.03546 TTW + 0.00897 WTT = 0.04443 kg CO2e/pkm; × 2 (round trip):
/// 1,866.9 × 0.04443 × 2 = 165.9 kg CO2e. The flight it replaces: short-haul economy with RF,
/// 0.07435 + 0.02249 + 0.05141 = 0.14825 kg/pkm on the great circle (DESNZ includes the
/// uplift): 1,555.7 × 0.14825 × 2 = 461.3 kg; saving 295.4 kg.
#[test]
fn mode_shift_flight_to_train_gives_the_train_emissions_of_that_journey() {
    let r = run_one(
        r#"{"name": "Rail to Madrid", "description": "Flights to Spain by train.",
            "interventions": [{"type": "mode_shift", "from": "flight", "to": "train",
                               "filter": {"destination_country": "es"}}]}"#,
    );
    let gc = crate::distance::geodesic_km(ut().position, stop(40.0, -3.0, "ES").position);
    assert!((gc - 1555.7).abs() < 0.05, "great circle {gc}");
    let train_kg = gc * 1.2 * (0.03546 + 0.00897) * 2.0;
    assert!((train_kg - 165.9).abs() < 0.05, "{train_kg}");
    let b = baseline();
    let train_gain_t = r.totals.by_mode_t["train"] - b.by_mode_t["train"];
    assert!(
        (train_gain_t * 1000.0 - train_kg).abs() < 2e-3,
        "{train_gain_t}"
    );
    let flight_kg = gc * (0.07435 + 0.02249 + 0.05141) * 2.0;
    assert!((flight_kg - 461.3).abs() < 0.05, "{flight_kg}");
    assert!((r.saving_t * 1000.0 - (flight_kg - train_kg)).abs() < 2e-3);
    assert_eq!(r.steps[0].rows_changed, Some(1));
}

#[test]
fn shares_are_fractional_weights_and_rebound_takes_its_share_of_the_saving() {
    let full = run_one(
        r#"{"name": "a", "description": "d", "interventions": [
            {"type": "mode_shift", "from": "car", "to": "ebike", "filter": {"category": "commuting", "max_km": 15}}]}"#,
    );
    let half = run_one(
        r#"{"name": "a", "description": "d", "interventions": [
            {"type": "mode_shift", "from": "car", "to": "ebike", "share": 0.5,
             "filter": {"category": "commuting", "max_km": 15}}]}"#,
    );
    let rebound = run_one(
        r#"{"name": "a", "description": "d", "interventions": [
            {"type": "mode_shift", "from": "car", "to": "ebike", "share": 0.5,
             "filter": {"category": "commuting", "max_km": 15},
             "rebound": {"share": 0.2, "reason": "test"}}]}"#,
    );
    assert!(full.saving_t > 0.0);
    assert!((half.saving_t - full.saving_t / 2.0).abs() < 2e-6);
    assert!((rebound.saving_t - full.saving_t * 0.5 * 0.8).abs() < 2e-6);
    assert!((rebound.steps[0].rebound_t - full.saving_t * 0.5 * 0.2).abs() < 2e-6);
    // Only the 8 km commuters (120 people) move.
    assert_eq!(full.steps[0].rows_changed, Some(1));
    assert!((full.steps[0].commuters_affected - 120.0).abs() < 2e-6);
    assert!((half.steps[0].commuters_affected - 60.0).abs() < 2e-6);
    assert!((rebound.steps[0].commuters_affected - 60.0).abs() < 2e-6);
}

#[test]
fn telework_occupancy_fleet_cabin_and_factor_override() {
    let b = baseline();
    // One extra day for staff: 4 → 3 and 3 → 2 days.
    let r = run_one(
        r#"{"name": "t", "description": "d", "interventions": [
            {"type": "telework", "extra_days_per_week": 1, "filter": {"group": "Staff"}}]}"#,
    );
    let car = b.by_mode_t["car"];
    let rows = inventory();
    let staff_car_t = |days_factor: [f64; 2]| {
        [(8.0, 120.0, days_factor[0]), (25.0, 80.0, days_factor[1])]
            .iter()
            .map(|(km, w, d)| km * (0.16725 + 0.04399) * 2.0 * d * 40.0 * w / 1000.0)
            .sum::<f64>()
    };
    assert!((r.saving_t - staff_car_t([1.0, 1.0])).abs() < 2e-6);
    assert_eq!(rows.len(), 9);
    // Carpooling: occupancy 2 halves car emissions of the matching rows.
    let r = run_one(
        r#"{"name": "o", "description": "d", "interventions": [
            {"type": "occupancy", "occupancy": 2, "filter": {"category": "commuting"}}]}"#,
    );
    assert!((r.saving_t - staff_car_t([4.0, 3.0]) / 2.0).abs() < 2e-6);
    assert!(car > r.totals.by_mode_t["car"]);
    // Fleet: every commuting car battery-electric.
    let r = run_one(
        r#"{"name": "f", "description": "d", "interventions": [
            {"type": "fleet", "fuel": "electric", "filter": {"category": "commuting"}}]}"#,
    );
    let bev = staff_car_t([4.0, 3.0]) * (0.04047 + 0.01049) / (0.16725 + 0.04399);
    assert!((r.saving_t - (staff_car_t([4.0, 3.0]) - bev)).abs() < 2e-6);
    // Cabin policy: the business-class long haul becomes economy.
    let r = run_one(
        r#"{"name": "c", "description": "d", "interventions": [{"type": "cabin_policy"}]}"#,
    );
    let ratio = (0.06926 + 0.02461 + 0.04778) / (0.20083 + 0.07137 + 0.13857);
    assert!(r.saving_t > 0.0);
    let long_before = b.by_mode_t["flight"] - r.totals.by_mode_t["flight"];
    assert!(
        (long_before / (1.0 - ratio) * ratio + r.saving_t - long_before / (1.0 - ratio)).abs()
            < 2e-6
    );
    // Factor override: national rail at zero removes every train kg (commute and business).
    let r = run_one(
        r#"{"name": "g", "description": "d", "interventions": [
            {"type": "factor_override", "factor": "train.national", "ttw": 0, "wtt": 0,
             "source": "hypothetical: test"}]}"#,
    );
    assert_eq!(r.totals.by_mode_t["train"], 0.0);
    assert!((r.saving_t - b.by_mode_t["train"]).abs() < 2e-6);
    assert_eq!(r.steps[0].rows_changed, Some(2));
}

#[test]
fn unknown_factor_is_an_error_with_a_suggestion() {
    let sc = scenario(
        r#"{"name": "g", "description": "d", "interventions": [
            {"type": "factor_override", "factor": "train.nationl", "ttw": 0, "source": "s"}]}"#,
    );
    let e = run(
        &eval(),
        &inventory(),
        PackSet::bundled(),
        &[sc],
        &opts(false),
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("test.json"), "{msg}");
    assert!(msg.contains("interventions[0].factor"), "{msg}");
    assert!(msg.contains("did you mean `train.national`"), "{msg}");
}

#[test]
fn a_filter_that_matches_nothing_is_a_warning() {
    let r = run_one(
        r#"{"name": "w", "description": "d", "interventions": [
            {"type": "reduce", "filter": {"destination_country": "JP"}},
            {"type": "reduce", "filter": {"dimensions": {"faculty": "X"}}}]}"#,
    );
    assert_eq!(r.saving_t, 0.0);
    assert!(
        r.warnings[0].contains("interventions[0]") && r.warnings[0].contains("matches no row"),
        "{:?}",
        r.warnings
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("no row has a dimension `faculty`")),
        "{:?}",
        r.warnings
    );
}

const CHALLENGE: [&str; 3] = [
    r#"{"name": "Fewer flights", "description": "d", "adoption": {"start_year": 2026, "full_effect_year": 2028},
        "interventions": [{"type": "reduce", "filter": {"mode": "flight"}, "share": 0.3}]}"#,
    r#"{"name": "Rail", "description": "d", "interventions": [
        {"type": "mode_shift", "from": "flight", "to": "train", "filter": {"max_km": 1500}}]}"#,
    r#"{"name": "Everything", "description": "d", "interventions": [
        {"type": "reduce", "share": 1.0}]}"#,
];

#[test]
fn combined_never_saves_more_than_the_baseline_and_counts_each_saving_once() {
    let scs: Vec<Scenario> = CHALLENGE.iter().map(|j| scenario(j)).collect();
    let c = run(&eval(), &inventory(), PackSet::bundled(), &scs, &opts(true)).unwrap();
    let b = c.baseline.total_t;
    let marginal: f64 = c.scenarios.iter().map(|s| s.marginal_saving_t).sum();
    assert!((marginal - b).abs() < 2e-6 * b);
    assert!(c.combined.as_ref().unwrap().total_t.abs() < 2e-6);
    for s in &c.scenarios {
        assert!(s.saving_t <= b + 2e-6 && s.totals.total_t >= -2e-6);
    }
    // The rail shift acts on the 70 % of flights the first scenario left.
    let alone = run(
        &eval(),
        &inventory(),
        PackSet::bundled(),
        &scs[1..2],
        &opts(false),
    )
    .unwrap();
    assert!((c.scenarios[1].marginal_saving_t - 0.7 * alone.scenarios[0].saving_t).abs() < 2e-6);
    // Trajectory: inventory year unchanged, full effect by 2030.
    let combined = &c.trajectory.series[1];
    assert_eq!(combined.points[0], (2025, b));
    assert!(combined.points.last().unwrap().1.abs() < 2e-6);
    assert_eq!(c.trajectory.target_t, Some(7000.0));
}

#[test]
fn combined_results_do_not_depend_on_the_thread_count() {
    let scs: Vec<Scenario> = CHALLENGE[..2].iter().map(|j| scenario(j)).collect();
    let in_pool = |n: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
            .install(|| {
                let c = run(&eval(), &inventory(), PackSet::bundled(), &scs, &opts(true)).unwrap();
                serde_json::to_string(&c).unwrap()
            })
    };
    let one = in_pool(1);
    assert_eq!(one, in_pool(4));
    assert_eq!(one, in_pool(3));
}

#[test]
fn adoption_ramp_is_linear() {
    let a = Adoption {
        start_year: 2026,
        full_effect_year: 2030,
    };
    assert_eq!(a.fraction(2025), 0.0);
    assert_eq!(a.fraction(2026), 0.0);
    assert_eq!(a.fraction(2028), 0.5);
    assert_eq!(a.fraction(2030), 1.0);
    assert_eq!(a.fraction(2031), 1.0);
}

fn parse_err(json: &str) -> ScenarioError {
    parse("scen/bad.json", json).unwrap_err()
}

#[test]
fn invalid_files_name_the_file_the_field_and_the_value() {
    let cases = [
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "reduce", "sahre": 0.5}]}"#,
            "interventions[0].sahre",
            "unknown field `sahre`",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "reduce", "share": 1.5}]}"#,
            "interventions[0].share",
            "1.5 is outside 0–1",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "mode_shift", "from": "vliegtuig2", "to": "train"}]}"#,
            "interventions[0].from",
            "unknown mode `vliegtuig2`",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "reduce", "filter": {"mode": ["flight", "hovercraft"]}}]}"#,
            "interventions[0].filter.mode",
            "unknown mode `hovercraft`",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "teleport"}]}"#,
            "interventions[0].type",
            "unknown intervention type `teleport`",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [], "colour": "red"}"#,
            "colour",
            "unknown field `colour`",
        ),
        (
            r#"{"name": "x", "description": "d", "adoption": {"start_year": 2030, "full_effect_year": 2027}, "interventions": []}"#,
            "adoption.full_effect_year",
            "before start_year",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "factor_override", "factor": "train.national", "ttw": 0}]}"#,
            "interventions[0].source",
            "missing field `source`",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "telework", "extra_days_per_week": 1, "filter": {"category": "business"}}]}"#,
            "interventions[0].filter.category",
            "telework applies to commuting",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "reduce", "filter": {"min_km": 700, "max_km": 100}}]}"#,
            "interventions[0].filter.max_km",
            "not above min_km",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "reduce", "rebound": {"share": -0.1, "reason": "r"}}]}"#,
            "interventions[0].rebound.share",
            "outside 0–1",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "occupancy", "occupancy": 0.5}]}"#,
            "interventions[0].occupancy",
            "at least 1",
        ),
        (
            r#"{"name": "x", "description": "d", "interventions": [{"type": "reduce", "filter": {"destination_country": "Spain"}}]}"#,
            "interventions[0].filter.destination_country",
            "not an ISO 3166-1",
        ),
    ];
    for (json, path, message) in cases {
        let e = parse_err(json);
        assert_eq!(e.file, "scen/bad.json");
        assert_eq!(e.path, path, "{e}");
        let text = e.to_string();
        assert!(text.contains(message), "{text}");
        assert!(
            text.starts_with(&format!("scen/bad.json: field `{path}`: ")),
            "{text}"
        );
    }
    let e = parse_err(
        r#"{"name": "x", "description": "d", "interventions": [{"type": "reduce", "share": 1.5}]}"#,
    );
    assert_eq!(e.value.as_deref(), Some("1.5"));
    let e = parse_err("{\n  \"name\": \"x\",\n  oops\n}");
    assert!(
        e.to_string()
            .starts_with("scen/bad.json: line 3, column 3: not valid JSON"),
        "{e}"
    );
}

#[test]
fn defaults_and_synonyms() {
    let s = scenario(
        r#"{"name": " Economy ", "description": "d", "author": "",
            "interventions": [{"type": "cabin_policy"},
                              {"type": "mode_shift", "from": "vliegtuig", "to": "trein", "filter": {"max_km": 700}},
                              {"type": "fleet", "fuel": "elektrisch", "share": 0.5}]}"#,
    );
    assert_eq!(s.name, "Economy");
    assert_eq!(s.author, None);
    let Action::CabinPolicy { from, to } = &s.interventions[0].action else {
        panic!()
    };
    assert_eq!(from, &[Cabin::Premium, Cabin::Business, Cabin::First]);
    assert_eq!(*to, Cabin::Economy);
    assert_eq!(s.interventions[0].filter.modes, [Mode::Flight]);
    assert_eq!(s.interventions[1].label, "flight → train below 700 km");
    assert_eq!(s.interventions[2].filter.modes, [Mode::Car]);
    assert_eq!(s.interventions[2].label, "Cars → bev (50 %)");
}

#[test]
fn every_chart_renders_as_svg_and_png() {
    use crate::chart::ChartFormat;
    use crate::chart::test_support::{assert_png, assert_svg};
    let scs: Vec<Scenario> = CHALLENGE[..2].iter().map(|j| scenario(j)).collect();
    for combine in [false, true] {
        let c = run(
            &eval(),
            &inventory(),
            PackSet::bundled(),
            &scs,
            &opts(combine),
        )
        .unwrap();
        let rows = inventory();
        let base = eval().evaluate(&rows, PackSet::bundled()).unwrap();
        let points = charts::journey_points(&rows, &base.rows);
        assert_eq!(points.len(), 5);
        let campus = ("University of Twente", 52.2393, 6.8495);
        let svgs = charts::render_all(&c, &points, campus, ChartFormat::Svg).unwrap();
        let names: Vec<&str> = svgs.iter().map(|(n, _)| n.as_str()).collect();
        let mut expected = vec![
            "scenarios-by-mode",
            "waterfall-1-fewer-flights",
            "waterfall-2-rail",
        ];
        if combine {
            expected.push("waterfall-combined");
        }
        expected.extend(["trajectory", "distance-bands", "destinations"]);
        assert_eq!(names, expected);
        let needle = |n: &str| -> Vec<&str> {
            match n {
                "scenarios-by-mode" => vec!["Emissions by mode", "Inventory 2025", "Fewer flights"],
                "trajectory" => vec!["2030", "Target: −30 % vs the 10,000 t baseline by 2030"],
                "distance-bands" => vec!["by one-way distance, 2025", "700–1,500 km"],
                "destinations" => vec!["University of Twente"],
                _ => vec![", 2025", "t CO2e"],
            }
        };
        for (name, svg) in &svgs {
            assert_svg(svg, &needle(name));
        }
        let pngs = charts::render_all(&c, &points, campus, ChartFormat::Png).unwrap();
        for (_, png) in &pngs {
            assert_png(png, 1000, decode_height(png));
        }
    }
}

fn decode_height(png: &[u8]) -> u32 {
    image::load_from_memory(png).unwrap().height()
}

#[test]
fn bundled_example_scenarios_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let s = parse(&path.display().to_string(), &text).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                !s.interventions.is_empty() && s.description.len() > 100,
                "{}",
                s.name
            );
            n += 1;
        }
    }
    assert_eq!(n, 6);
}

#[test]
fn door_to_door_limit_moves_only_journeys_fast_enough_on_the_new_mode() {
    // Train km = great circle x 1.2: Paris ~520 km -> 520 / 100 + 1 = 6.2 h (moves);
    // Madrid ~1,867 km -> 19.7 h and New York (far more) stay flights.
    let r = run_one(
        r#"{"name": "d2d", "description": "d", "interventions": [
            {"type": "mode_shift", "from": "flight", "to": "train",
             "door_to_door": {"max_hours": 8, "speed_kmh": 100, "access_hours": 1}}]}"#,
    );
    assert_eq!(r.steps[0].rows_matched, Some(3));
    assert_eq!(r.steps[0].rows_changed, Some(1));
    assert!(r.saving_t > 0.0);
    let e = parse_err(
        r#"{"name": "x", "description": "d", "interventions": [{"type": "mode_shift", "from": "flight", "to": "train",
            "door_to_door": {"max_hours": 8, "speed_kmh": 0, "access_hours": 1}}]}"#,
    );
    assert_eq!(e.path, "interventions[0].door_to_door.speed_kmh");
}
