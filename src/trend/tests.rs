//! The trend of the hand-computed fixture `tests/fixtures/trend/` (its README has the
//! arithmetic).

use super::*;
use crate::input::{InputOptions, InputReader};
use crate::inventory::{Inputs, load};
use crate::places::Gazetteer;
use std::path::Path;

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trend")
}

fn read_year(path: &Path) -> YearInput {
    let text = std::fs::read_to_string(path).unwrap();
    let mut cfg = InventoryConfig::from_json(&path.display().to_string(), &text).unwrap();
    cfg.resolve_paths(path.parent().unwrap());
    let mut inputs = Inputs::default();
    if let Some(b) = &cfg.business {
        inputs.business = b
            .files
            .to_vec()
            .iter()
            .map(|p| InputReader::open(p, &InputOptions::default()).unwrap())
            .collect();
    }
    let rows = load(&cfg, Gazetteer::bundled(), PackSet::bundled(), inputs).unwrap();
    YearInput {
        config_file: path.file_name().unwrap().to_string_lossy().into_owned(),
        config: cfg,
        rows,
    }
}

fn fixture_trend(edit: impl Fn(&mut Series)) -> Trend {
    let dir = fixture_dir();
    let text = std::fs::read_to_string(dir.join("series.json")).unwrap();
    let mut series = Series::from_json("series.json", &text).unwrap();
    series.resolve_paths(&dir);
    edit(&mut series);
    let years = series.years.iter().map(|y| read_year(&y.config)).collect();
    evaluate(&series, years, PackSet::bundled()).unwrap()
}

#[test]
fn the_hand_computed_split_adds_up_exactly_to_the_change() {
    let t = fixture_trend(|_| {});
    assert_eq!(t.years.len(), 2);
    assert_eq!((t.years[0].co2e_t, t.years[1].co2e_t), (0.042248, 0.035118));
    // Year on year, then since the base year: the same pair here.
    assert_eq!(t.changes.len(), 2);
    assert_eq!(t.changes[1].kind, "since_base_year");
    assert_eq!(t.changes[1].cells, t.changes[0].cells);
    let c = &t.changes[0];
    assert_eq!((c.from, c.to, c.kind), (2024, 2025, "year_on_year"));
    let car = c.cells.iter().find(|x| x.mode == "car").unwrap();
    assert_eq!(
        (
            car.split.change_kg,
            car.split.activity_kg,
            car.split.intensity_kg
        ),
        (-10.562, 15.843, -26.405)
    );
    let coach = c.cells.iter().find(|x| x.mode == "coach").unwrap();
    assert_eq!(
        (
            coach.split.change_kg,
            coach.split.activity_kg,
            coach.split.intensity_kg
        ),
        (3.432, 3.432, 0.0)
    );
    assert_eq!(
        (c.total.change_kg, c.total.activity_kg, c.total.intensity_kg),
        (-7.13, 19.275, -26.405)
    );
    // The parts add up to the change in the total, in grams.
    let g = |kg: f64| (kg * 1000.0).round() as i64;
    assert_eq!(
        g(c.total.activity_kg) + g(c.total.intensity_kg),
        g(t.years[1].co2e_t * 1000.0) - g(t.years[0].co2e_t * 1000.0)
    );
    assert_eq!(c.categories.len(), 1);
    assert_eq!(c.categories[0].split, c.total);
}

#[test]
fn the_base_year_is_restated_with_the_latest_method() {
    let t = fixture_trend(|_| {});
    assert!(
        t.method.rule.contains("latest year's (2025)"),
        "{}",
        t.method.rule
    );
    let y = &t.years[0];
    assert!(!y.as_configured.same_method);
    assert_eq!(y.as_configured.co2e_t, 0.03345);
    assert_eq!((y.method_effect_t, y.method_effect_pct), (0.008798, 26.3));
    assert!(y.significant_method_change);
    let r = y.reported.as_ref().unwrap();
    assert_eq!(
        (r.difference_t, r.difference_pct, r.method_t, r.activity_t),
        (0.002248, 5.62, 0.008798, -0.00655)
    );
    assert!(r.significant);
    assert!(t.base_year_recalculation.required);
    assert_eq!(
        t.base_year_recalculation.reported_difference_pct,
        Some(5.62)
    );
    assert_eq!(t.base_year_recalculation.method_effect_pct, 26.3);
    // The latest year is its own method.
    assert!(t.years[1].as_configured.same_method);
    assert_eq!(t.years[1].method_effect_t, 0.0);
    // Target: -50 % of the restated base year, straight path.
    let target = t.target.as_ref().unwrap();
    assert_eq!(
        (target.base_co2e_t, target.target_co2e_t),
        (0.042248, 0.021124)
    );
    assert_eq!(t.years[1].target_path_t, Some(0.038727));
    assert_eq!(t.years[1].gap_to_target_path_t, Some(-0.003609));
    assert_eq!(t.years[1].change_from_base_pct, -16.88);
    // kg per km of the cells.
    let i = &t.years[1].intensity;
    assert_eq!(i.business_kg_per_pkm, Some(0.087795));
    assert_eq!(i.flights, 0.0);
    assert_eq!(i.flights_under_700km_share_pct, None);
}

#[test]
fn a_threshold_above_the_difference_needs_no_recalculation_and_a_method_can_be_chosen() {
    // 5.62 % from the reported figure, but the method change alone is 26.3 %.
    let t = fixture_trend(|s| s.significance_threshold_pct = Some(6.0));
    assert!(!t.years[0].reported.as_ref().unwrap().significant);
    assert!(t.base_year_recalculation.required);
    let t = fixture_trend(|s| s.significance_threshold_pct = Some(30.0));
    assert!(!t.base_year_recalculation.required);
    assert!(
        t.base_year_recalculation.message.contains("below the 30 %"),
        "{}",
        t.base_year_recalculation.message
    );
    // Restated with the base year's method instead: 2025 changes, 2024 does not.
    let t = fixture_trend(|s| {
        s.method = Some(FactorsConfig {
            boundary: crate::inventory::Boundary::Ttw,
            ..FactorsConfig::default()
        })
    });
    assert_eq!(t.method.rule, "the series file's `method`");
    assert_eq!(t.years[0].co2e_t, 0.03345);
    assert!(t.years[0].as_configured.same_method);
    // 2025 tank-to-wheel: 300 x 0.16725 / 2 + 100 x 0.02776 = 25.0875 + 2.776 kg; the
    // inventory rounds each mode to the gram, and 25.0875 is just below it in binary: 25.087.
    assert_eq!(t.years[1].co2e_t, 0.027863);
}

#[test]
fn years_that_do_not_match_the_series_are_refused() {
    let dir = fixture_dir();
    let text = std::fs::read_to_string(dir.join("series.json")).unwrap();
    let mut series = Series::from_json("series.json", &text).unwrap();
    series.resolve_paths(&dir);
    let wrong = vec![
        read_year(&dir.join("2025.json")),
        read_year(&dir.join("2025.json")),
    ];
    let e = evaluate(&series, wrong, PackSet::bundled()).unwrap_err();
    assert!(
        e.to_string()
            .contains("`year` is 2025, but the series lists it for 2024"),
        "{e}"
    );
    let e = evaluate(&series, vec![], PackSet::bundled()).unwrap_err();
    assert_eq!(e.to_string(), "the series lists 2 years, 0 were given");
}
