//! `scenario`: interventions on the inventory's rows, compared with it.

use super::{fixture, footprint};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn inventory() -> PathBuf {
    fixture("scenario/inventory.json")
}

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    v.sort();
    v
}

fn run_json(scenarios: &[PathBuf], extra: &[&str]) -> Value {
    let out = footprint()
        .arg("scenario")
        .args(scenarios)
        .arg("--inventory")
        .arg(inventory())
        .args(["--format", "json", "--quiet"])
        .args(extra)
        .output()
        .unwrap();
    super::common::json_ok(&out, "scenario")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn example_scenarios_print_a_table_and_json_carries_the_same_numbers() {
    let out = footprint()
        .arg("scenario")
        .args(examples())
        .arg("--inventory")
        .arg(inventory())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    let v = run_json(&examples(), &[]);
    assert_eq!(v["organisation"], "Scenario Fixture University");
    assert_eq!(v["mode"], "independent");
    assert_eq!(f(&v["configured_baseline_t"]), 100.0);
    let scenarios = v["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 6);
    assert!(table.contains("Inventory 2025 (computed)"), "{table}");
    assert!(
        table.contains(&format!("{:.1}", f(&v["baseline"]["total_t"]))),
        "{table}"
    );
    for s in scenarios {
        let name = s["name"].as_str().unwrap();
        let line = table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not in the table:\n{table}"));
        let total = format!("{:.1}", f(&s["totals"]["total_t"]));
        let saving = format!("{:.1}", f(&s["saving_t"]));
        assert!(line.contains(&total) && line.contains(&saving), "{line}");
        // Saving against the computed inventory, never more than it.
        let b = f(&v["baseline"]["total_t"]);
        assert!((f(&s["saving_t"]) - (b - f(&s["totals"]["total_t"]))).abs() < 1e-5);
        assert!(f(&s["saving_t"]) >= -1e-9 && f(&s["saving_t"]) <= b);
        assert!(!s["steps"].as_array().unwrap().is_empty());
    }
    // The trajectory runs to 2030 with the inventory year first.
    let series = v["trajectory"]["series"].as_array().unwrap();
    assert_eq!(series.len(), 7);
    assert_eq!(series[0]["points"][0][0], 2025);
    assert_eq!(
        series[0]["points"].as_array().unwrap().last().unwrap()[0],
        2030
    );
    // CSV: one line per scenario and per intervention, plus the header and the inventory.
    let out = footprint()
        .arg("scenario")
        .args(examples())
        .arg("--inventory")
        .arg(inventory())
        .args(["--format", "csv", "--quiet"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let steps: usize = scenarios
        .iter()
        .map(|s| s["steps"].as_array().unwrap().len())
        .sum();
    assert_eq!(csv.lines().count(), 2 + scenarios.len() + steps);
}

#[test]
fn no_interventions_equal_the_inventory_exactly() {
    let v = run_json(&[fixture("scenario/nothing.json")], &[]);
    let s = &v["scenarios"][0];
    assert_eq!(s["totals"], v["baseline"]);
    assert_eq!(f(&s["saving_t"]), 0.0);
}

#[test]
fn reducing_every_flight_removes_exactly_the_flight_emissions() {
    let v = run_json(&[fixture("scenario/no-flights.json")], &[]);
    let s = &v["scenarios"][0];
    let flight = f(&v["baseline"]["by_mode_t"]["flight"]);
    assert!(flight > 1.0);
    assert_eq!(f(&s["totals"]["by_mode_t"]["flight"]), 0.0);
    assert!((f(&s["saving_t"]) - flight).abs() < 2e-6, "{s}");
    for (mode, t) in v["baseline"]["by_mode_t"].as_object().unwrap() {
        if mode != "flight" {
            assert_eq!(&s["totals"]["by_mode_t"][mode], t, "{mode}");
        }
    }
    // Four flight rows: Paris and Barcelona (2 travellers), New York, London.
    assert_eq!(s["steps"][0]["rows_changed"], 4);
    assert_eq!(f(&s["steps"][0]["business_trips_affected"]), 5.0);
}

/// The fixture's row t1 (Enschede → Paris, round trip, 1 traveller) moved to the train must
/// cost what `footprint trip` says the train costs for that journey (rail by the countries
/// crossed). The library test (with the pack's single rail factor)
/// `mode_shift_flight_to_train_gives_the_train_emissions_of_that_journey` does it by hand.
#[test]
fn mode_shift_gives_the_train_emissions_of_the_journey() {
    let v = run_json(&[fixture("scenario/paris-by-train.json")], &[]);
    let s = &v["scenarios"][0];
    let out = footprint()
        .args([
            "trip",
            "Enschede",
            "Paris",
            "--mode",
            "train",
            "--round-trip",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let trip: Value = serde_json::from_slice(&out.stdout).unwrap();
    let train_kg = f(&trip["co2e_kg"]);
    let km = f(&trip["great_circle_km"]);
    // By the countries crossed (NL, then Belgium or Germany, then France), not one factor.
    assert!(km > 0.0);
    assert!(
        trip["legs"][0]["countries"]
            .as_array()
            .is_some_and(|c| c.len() >= 2)
    );
    let gain_kg =
        (f(&s["totals"]["by_mode_t"]["train"]) - f(&v["baseline"]["by_mode_t"]["train"])) * 1000.0;
    assert!((gain_kg - train_kg).abs() < 2e-3, "{gain_kg} vs {train_kg}");
    let out = footprint()
        .args([
            "trip",
            "Enschede",
            "Paris",
            "--mode",
            "flight",
            "--round-trip",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let flight: Value = serde_json::from_slice(&out.stdout).unwrap();
    let saving_kg = f(&s["saving_t"]) * 1000.0;
    assert!((saving_kg - (f(&flight["co2e_kg"]) - train_kg)).abs() < 2e-3);
}

#[test]
fn combined_results_do_not_depend_on_threads_and_never_save_more_than_the_inventory() {
    let mut files = examples();
    files.push(fixture("scenario/no-flights.json"));
    let run = |jobs: &str| {
        footprint()
            .arg("scenario")
            .args(&files)
            .arg("--inventory")
            .arg(inventory())
            .args(["--combine", "--format", "json", "--quiet", "-j", jobs])
            .output()
            .unwrap()
    };
    let one = run("1");
    let three = run("3");
    assert!(one.status.success());
    assert_eq!(one.stdout, three.stdout);
    let v: Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(v["mode"], "combined");
    let b = f(&v["baseline"]["total_t"]);
    let mut marginal = 0.0;
    for s in v["scenarios"].as_array().unwrap() {
        let m = f(&s["marginal_saving_t"]);
        assert!(m >= -1e-6, "{s}");
        marginal += m;
        assert!(f(&s["saving_t"]) <= b + 1e-9);
        assert!(f(&s["totals"]["total_t"]) >= 0.0);
    }
    let combined = f(&v["combined"]["total_t"]);
    assert!(
        (b - combined - marginal).abs() < 1e-4,
        "{b} {combined} {marginal}"
    );
    assert!(combined >= 0.0 && combined < b);
}

#[test]
fn invalid_scenarios_name_the_file_and_the_field() {
    for (file, field, words) in [
        ("bad-share.json", "interventions[1].share", "1.5"),
        (
            "bad-field.json",
            "interventions[0].filter.max_kms",
            "unknown field `max_kms`",
        ),
        (
            "unknown-mode.json",
            "interventions[0].from",
            "unknown mode `vliegtuig2`",
        ),
    ] {
        let path = fixture(&format!("scenario/{file}"));
        let out = footprint()
            .arg("scenario")
            .arg(&path)
            .arg("--inventory")
            .arg(inventory())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains(&format!("`{field}`")), "{err}");
        assert!(err.contains(words), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_filter_that_matches_nothing_is_a_warning() {
    let out = footprint()
        .arg("scenario")
        .arg(fixture("scenario/matches-nothing.json"))
        .arg("--inventory")
        .arg(inventory())
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning")
            && err.contains("interventions[0]")
            && err.contains("matches no row"),
        "{err}"
    );
}

#[test]
fn charts_are_written_as_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["svg", "png"] {
        let out = footprint()
            .arg("scenario")
            .args(examples())
            .arg("--inventory")
            .arg(inventory())
            .arg("--chart-dir")
            .arg(dir.path().join(format))
            .args([
                "--chart-format",
                format,
                "--quiet",
                "--target-reduction-pct",
                "30",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join(format))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        for stem in [
            "scenarios-by-mode",
            "trajectory",
            "distance-bands",
            "destinations",
            "waterfall-1-eciu-challenge-package",
        ] {
            assert!(names.contains(&format!("{stem}.{format}")), "{names:?}");
        }
        assert_eq!(names.len(), 10, "{names:?}");
        for n in &names {
            let bytes = std::fs::read(dir.path().join(format).join(n)).unwrap();
            if format == "svg" {
                let svg = String::from_utf8(bytes).unwrap();
                assert!(svg.starts_with("<svg") && svg.contains("t CO2e"), "{n}");
            } else {
                let img = image::load_from_memory(&bytes).unwrap();
                assert_eq!(img.width(), 1000, "{n}");
            }
        }
    }
    let svg = std::fs::read_to_string(dir.path().join("svg/trajectory.svg")).unwrap();
    assert!(svg.contains("2025") && svg.contains("2030") && svg.contains("Target"));
}

/// The acceptance command on the bundled example: the baseline of every saving is the total
/// `footprint inventory` computes, and the JSON carries the numbers of the table.
#[test]
fn bundled_example_baseline_is_the_inventory_total() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = root.join("data/examples/ut/inventory.json");
    let out = footprint()
        .arg("inventory")
        .arg(&config)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = footprint()
        .arg("scenario")
        .args(examples())
        .arg("--inventory")
        .arg(&config)
        .args(["--format", "json", "--quiet"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let total_t = f(&v["baseline"]["total_t"]);
    assert!(
        (total_t - f(&inv["total"]["co2e_t"])).abs() < 1e-3,
        "{total_t}"
    );
    for c in inv["categories"].as_array().unwrap() {
        let key = c["key"].as_str().unwrap();
        let key = if key == "home_working" {
            "telework"
        } else {
            key
        };
        assert!(
            (f(&v["baseline"]["by_category_t"][key]) - f(&c["co2e_t"])).abs() < 1e-3,
            "{key}"
        );
    }
    assert_eq!(f(&v["configured_baseline_t"]), 10_000.0);
    for s in v["scenarios"].as_array().unwrap() {
        let saving = f(&s["saving_t"]);
        assert!(saving > 0.0 && saving < total_t, "{}: {saving}", s["name"]);
        assert!(s["warnings"].as_array().unwrap().is_empty(), "{s}");
    }
}
