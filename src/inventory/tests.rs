//! Inventory tests on the hand-checkable fixture `tests/fixtures/commute/survey-10.csv`.

use super::*;
use crate::input::InputOptions;

const SURVEY_10: &str = include_str!("../../tests/fixtures/commute/survey-10.csv");
const CONFIG_10: &str = include_str!("../../tests/fixtures/commute/inventory-10.json");

fn reader(name: &str, text: &str) -> InputReader {
    InputReader::from_reader(
        name,
        std::io::Cursor::new(text.to_string()),
        &InputOptions::default(),
    )
    .unwrap()
}

/// Options with the pack's single rail factor: the fixtures are worked out on paper with
/// DESNZ national rail.
fn pack_rail() -> EvalOptions {
    let mut o = EvalOptions::default();
    o.calc.rail_factor = crate::factors::RailFactor::Pack;
    o
}

fn load_10(config: &str) -> (InventoryConfig, InventoryRows) {
    let cfg = InventoryConfig::from_json("inventory-10.json", config).unwrap();
    let rows = load(
        &cfg,
        Gazetteer::bundled(),
        PackSet::bundled(),
        Inputs {
            survey: vec![reader("survey-10.csv", SURVEY_10)],
            ..Inputs::default()
        },
    )
    .unwrap();
    (cfg, rows)
}

/// The fixture worked out on paper. DESNZ 2025 well-to-wheel factors (TTW + WTT), kg CO2e:
/// average car, unknown fuel 0.16725 + 0.04399 = 0.21124 per vehicle-km; national rail
/// 0.03546 + 0.00897 = 0.04443 per passenger-km; average local bus 0.10385 + 0.02649 = 0.13034.
/// DESNZ has no bike, e-bike or walking factor: its declared fallback ADEME 2025 gives bike
/// 0.00017, e-bike 0.00223 + 0.00872 = 0.01095, walking 0.
///
/// staff (50 FTE, 5 respondents, weight 10; 40 weeks):
///   r01 car 20 km x 2 x 4 d x 40 w = 6,400 km x 0.21124       = 1,351.936
///   r02 car 30 km x 2 x 5 d x 40 w = 12,000 km x 0.21124 / 2  = 1,267.440
///   r03 train 50 km x 2 x 3 d x 40 w = 12,000 km x 0.04443    =   533.160
///   r04 bike 5 km x 2 x 5 d x 40 w = 2,000 km x 0.00017       =     0.340
///   r05 car/bike 10 km x 2 x 4 d x 40 w, half each: 1,600 km x 0.21124 + 1,600 km x 0.00017
///                                                             =   338.256
///   sum 3,491.132 kg x 10                                     = 34,911.320
/// student (300 headcount, 3 respondents, weight 100; 30 weeks):
///   r06 bike 3 km x 2 x 4 d x 30 w = 720 km x 0.00017         =     0.1224
///   r07 bus 8 km x 2 x 3 d x 30 w = 1,440 km x 0.13034        =   187.6896
///   r08 walk 1 km x 2 x 5 d x 30 w = 300 km x 0               =     0
///   sum 187.812 kg x 100                                      = 18,781.200
/// phd (20 headcount, 2 respondents, weight 10; 44 weeks):
///   r09 e-bike 12 km x 2 x 4 d x 44 w = 4,224 km x 0.01095     =    46.2528
///   r10 train 60 km x 2 x 2 d x 46 w (row value) = 11,040 km x 0.04443 = 490.5072
///   sum 536.76 kg x 10                                        =  5,367.600
/// total                                                       = 59,060.120 kg
///
/// Telework avoided (memo): r01 1 d x 40 w x 2 x 20 km x 0.21124 = 337.984; r03 2 d x 40 w x
/// 2 x 50 km x 0.04443 = 355.44; (337.984 + 355.44) x 10 = 6,934.24 kg.
#[test]
fn hand_checkable_fixture_to_the_kg() {
    let (cfg, rows) = load_10(CONFIG_10);
    assert_eq!(rows.commuters.len(), 10);
    let r = evaluate(&rows, &EvalOptions::from_config(&cfg)).unwrap();
    let c = &r.categories[0];
    assert_eq!(c.key, "commuting");
    assert!((c.co2e_kg - 59_060.12).abs() < 0.01, "{}", c.co2e_kg);
    assert!((r.total.co2e_kg - 59_060.12).abs() < 0.01);
    let tw = r.telework.as_ref().unwrap();
    assert!(
        (tw.avoided_co2e_kg - 6_934.24).abs() < 0.01,
        "{}",
        tw.avoided_co2e_kg
    );
    // Staff is shown; phd (2) and student (3) are merged into one row of 5 respondents.
    let groups: Vec<(&str, f64)> = r
        .by_group
        .iter()
        .map(|g| (g.group.as_str(), g.co2e_kg))
        .collect();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].0, "staff");
    assert!((groups[0].1 - 34_911.32).abs() < 0.01);
    assert_eq!(groups[1].0, "other (merged: <5 respondents)");
    assert!((groups[1].1 - (18_781.2 + 5_367.6)).abs() < 0.01);
    assert_eq!(r.by_group[0].weight, Some(10.0));
    assert!((r.by_group[0].per_capita_kg - 698.2264).abs() < 0.001);
    // Baseline 100 t: 59.06 t is 59.06 % of it, 40.94 t below.
    let b = r.baseline.as_ref().unwrap();
    assert!((b.difference_t + 40.93988).abs() < 1e-3);
    assert!((b.difference_pct + 40.94).abs() < 0.01);
    assert_eq!(b.implied_footprint_t, Some(400.0));
    // Every breakdown hides the small groups; modes with < 5 respondents merge too.
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("\"phd\""), "{json}");
    assert!(!json.contains("\"student\""), "{json}");
    let modes: Vec<&str> = r.by_mode.iter().map(|m| m.mode.as_str()).collect();
    assert_eq!(
        modes,
        ["other (merged: <5 respondents)"],
        "every mode has < 5 respondents"
    );
    let mode_sum: f64 = r.by_mode.iter().map(|m| m.co2e_kg).sum();
    assert!((mode_sum - 59_060.12).abs() < 0.01);
    // Per capita by role: staff + phd would give phd away (the figure minus the staff row),
    // students rest on 3 respondents: neither is shown; the total per member is.
    let labels: Vec<&str> = r.per_capita.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["total per member of the population (all groups)"]);
    assert!((r.per_capita[0].co2e_kg - 59_060.12 / 370.0).abs() < 0.001);
}

#[test]
fn same_seed_same_result_other_seed_changes_only_intervals() {
    let (cfg, rows) = load_10(CONFIG_10);
    let opts = EvalOptions::from_config(&cfg);
    let a = serde_json::to_value(evaluate(&rows, &opts).unwrap()).unwrap();
    let b = serde_json::to_value(evaluate(&rows, &opts).unwrap()).unwrap();
    assert_eq!(a, b);
    let mut other = opts.clone();
    other.bootstrap.seed = 8;
    let c = serde_json::to_value(evaluate(&rows, &other).unwrap()).unwrap();
    assert_ne!(a["total"]["interval"], c["total"]["interval"]);
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("interval");
                m.remove("bootstrap_seed");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let (mut a, mut c) = (a, c);
    strip(&mut a);
    strip(&mut c);
    // Notes name the seed; everything else is the same.
    a["notes"] = serde_json::Value::Null;
    c["notes"] = serde_json::Value::Null;
    assert_eq!(a, c);
}

#[test]
fn group_without_respondents_is_an_error_or_an_explicit_assumption() {
    let extra = CONFIG_10.replace(
        "\"phd\": {",
        "\"guest\": {\"population\": 40, \"weeks_per_year\": 40, \"role\": \"other\"},\n      \"phd\": {",
    );
    let (cfg, rows) = load_10(&extra);
    let e = evaluate(&rows, &EvalOptions::from_config(&cfg)).unwrap_err();
    assert!(
        e.to_string()
            .contains("group `guest` has a population of 40 but no respondents"),
        "{e}"
    );
    let assumed = extra.replace(
        "\"bootstrap\"",
        "\"assume\": {\"guest\": \"staff\"},\n    \"bootstrap\"",
    );
    let (cfg, rows) = load_10(&assumed);
    let r = evaluate(&rows, &EvalOptions::from_config(&cfg)).unwrap();
    // 40 guests x the staff per-capita 698.2264 kg.
    let guest = r.by_group.iter().find(|g| g.group == "guest").unwrap();
    assert!((guest.co2e_kg - 40.0 * 698.2264).abs() < 0.001);
    assert_eq!(guest.assumption.as_deref(), Some("per capita of `staff`"));
    assert!(r.commuting.as_ref().unwrap().assumptions[0].starts_with("guest: no respondents"));
    assert!((r.total.co2e_kg - (59_060.12 + 40.0 * 698.2264)).abs() < 0.01);
}

#[test]
fn business_journeys_are_computed_by_the_engine_and_scale_with_share() {
    let g = Gazetteer::bundled();
    let stop = |q: &str| Stop::from_place(&g.resolve(q).unwrap());
    let mut rows = InventoryRows::new("T", 2025, stop("ut"));
    rows.has_business = true;
    let j = Journey {
        file: Arc::from("trips.csv"),
        line: 2,
        id: "1".into(),
        mode: Mode::Train,
        cabin: Cabin::Economy,
        size: Size::Average,
        fuel: Fuel::Unknown,
        stops: vec![stop("Enschede"), stop("Amsterdam")],
        round_trip: true,
        travellers: 2.0,
        occupancy: 1.0,
        distance_km: Some(160.0),
        cost_eur: None,
        department: "BMS".into(),
        share: 1.0,
        dimensions: Vec::new(),
    };
    rows.business.push(j.clone());
    let r = evaluate(&rows, &pack_rail()).unwrap();
    // 160 km x 2 travellers x 2 ways x 0.04443 kg/pkm = 28.4352 kg.
    assert!((r.total.co2e_kg - 28.435).abs() < 1e-9);
    assert_eq!(r.by_department[0].department, "BMS");
    rows.business.row_mut(0).set_share(0.5);
    let half = evaluate(&rows, &pack_rail()).unwrap();
    assert!((half.total.co2e_kg - 14.218).abs() < 1e-9);
    rows.business.row_mut(0).set_share(1.5);
    assert!(evaluate(&rows, &pack_rail()).is_err());
}

#[test]
fn home_working_is_its_own_line_and_counts_in_the_total() {
    let text = CONFIG_10.replace(
        "\"bootstrap\"",
        "\"home_working\": {\"kg_per_day\": 2.0, \"source\": \"test factor\"},\n    \"bootstrap\"",
    );
    let (cfg, rows) = load_10(&text);
    let r = evaluate(&rows, &EvalOptions::from_config(&cfg)).unwrap();
    // Telework days a year: r01 1 x 40 + r03 2 x 40 = 120 per respondent-weight 10 = 1,200;
    // x 2 kg = 2,400 kg.
    let hw = r
        .categories
        .iter()
        .find(|c| c.key == "home_working")
        .unwrap();
    assert!((hw.co2e_kg - 2_400.0).abs() < 1e-9);
    assert!((r.total.co2e_kg - (59_060.12 + 2_400.0)).abs() < 0.01);
    let commuting = r.categories.iter().find(|c| c.key == "commuting").unwrap();
    assert!((commuting.co2e_kg - 59_060.12).abs() < 0.01);
    let t = r.total.interval.unwrap();
    let c = commuting.interval.unwrap();
    assert!(t.low_kg > c.low_kg && t.high_kg > c.high_kg);
    assert_eq!(
        r.telework.unwrap().home_working.unwrap().source,
        "test factor"
    );
}

/// One random business-travel row as CSV fields.
fn business_row() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    const PLACES: [&str; 9] = [
        "Enschede",
        "Amsterdam",
        "Paris",
        "Berlin",
        "Barcelona",
        "New York",
        "Munich",
        "Rome",
        "Utrecht",
    ];
    const MODES: [&str; 8] = [
        "train",
        "flight",
        "car",
        "coach",
        "bus",
        "taxi",
        "motorbike",
        "ferry",
    ];
    const CABINS: [&str; 4] = ["", "economy", "business", "first"];
    const FUELS: [&str; 4] = ["", "petrol", "diesel", "bev"];
    (
        (0..PLACES.len(), 0..PLACES.len(), 0..PLACES.len() + 3),
        (0..MODES.len(), 0..CABINS.len(), 0..FUELS.len()),
        (
            any::<bool>(),
            1u32..6,
            1u32..5,
            prop::option::of(1u32..3000),
        ),
    )
        .prop_map(|((o, d, v), (m, c, f), (rt, trav, occ, km))| {
            let via = PLACES.get(v).copied().unwrap_or("");
            let km = km.map_or(String::new(), |k| format!("{}.5", k));
            format!(
                "{},{},{via},{},{},{},{},{},{},{km}",
                PLACES[o],
                PLACES[d],
                MODES[m],
                CABINS[c],
                if rt { "yes" } else { "no" },
                trav,
                occ,
                FUELS[f]
            )
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// The business run (cached legs) and the inventory evaluation (rows kept, evaluated
    /// again) give every row the same kg to the bit: both go through
    /// [`crate::journey::journey_figures`]. Their totals agree to the byte.
    #[test]
    fn business_and_inventory_paths_give_the_same_kg_per_row(
        lines in proptest::collection::vec(business_row(), 1..40)
    ) {
        use crate::business::{Business, BusinessOptions, RowRef, Visit};
        let text = format!(
            "origin,destination,via,mode,cabin,round_trip,travellers,occupancy,fuel,distance_km\n{}\n",
            lines.join("\n")
        );
        let run = Business::new(PackSet::bundled(), Gazetteer::bundled(), BusinessOptions::default())
            .unwrap();
        let per_row = |r: RowRef<'_>| match r {
            RowRef::Used(row) => Some((row.co2e_kg, Journey::from_business_row(row, "department"))),
            RowRef::Rejected(_) => None,
        };
        let mut kept = Vec::new();
        let summary = run
            .run(vec![reader("t.csv", &text)], Some(&per_row), |v| {
                if let Visit::Row(r) = v {
                    kept.push(r);
                }
            })
            .unwrap();
        let mut rows = InventoryRows::new("t", 2025, Stop::from_place(&Gazetteer::bundled().resolve("ut").unwrap()));
        rows.has_business = true;
        rows.business = kept.iter().map(|(_, j)| j.clone()).collect();
        let opts = EvalOptions::default();
        let rr = evaluate_rows(PackSet::bundled(), &rows, &opts).unwrap();
        proptest::prop_assert_eq!(rr.business.len(), kept.len());
        for ((kg, j), r) in kept.iter().zip(rr.business.iter()) {
            proptest::prop_assert_eq!(kg.to_bits(), r.co2e_kg.to_bits(), "line {}", j.line);
        }
        let inv = evaluate(&rows, &opts).unwrap();
        let cat6 = inv.categories.iter().find(|c| c.ghg_category == 6).unwrap();
        proptest::prop_assert_eq!(
            serde_json::to_string(&summary.total_co2e_kg).unwrap(),
            serde_json::to_string(&cat6.co2e_kg).unwrap()
        );
    }
}
