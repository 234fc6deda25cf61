//! `commute`, `inventory`, `wpm` and `generate commute`.

use super::common::s;
use super::{fixture, footprint};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples/ut/inventory.json")
}

fn run(args: &[&str]) -> (Vec<u8>, String) {
    let out = footprint().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, String::from_utf8(out.stderr).unwrap())
}

fn json_of(args: &[&str]) -> Value {
    serde_json::from_slice(&run(args).0).unwrap()
}

fn text_of(args: &[&str]) -> String {
    String::from_utf8(run(args).0).unwrap()
}

/// The fixture worked out on paper in `src/inventory/tests.rs`: 59,060.12 kg.
#[test]
fn commute_hand_checkable_fixture_to_the_kg() {
    let survey = fixture("commute/survey-10.csv");
    let config = fixture("commute/inventory-10.json");
    let v = json_of(&[
        "commute",
        s(&survey),
        "--config",
        s(&config),
        "--format",
        "json",
    ]);
    let kg = v["categories"][0]["co2e_kg"].as_f64().unwrap();
    assert!((kg - 59_060.12).abs() < 0.01, "{kg}");
    assert_eq!(v["categories"][0]["ghg_category"], 7);
    let inv = json_of(&["inventory", s(&config), "--format", "json"]);
    assert_eq!(inv["total"]["co2e_kg"], v["total"]["co2e_kg"]);
}

#[test]
fn a_group_with_fewer_than_5_respondents_never_has_its_own_row() {
    let config = fixture("commute/inventory-10.json");
    let table = text_of(&["inventory", s(&config)]);
    let json = text_of(&["inventory", s(&config), "--format", "json"]);
    for out in [&table, &json] {
        // phd (2 respondents) and student (3) exist only inside the merged row.
        assert!(!out.contains("phd"), "{out}");
        assert!(!out.contains("\"student\""), "{out}");
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with("student")),
            "{out}"
        );
        assert!(out.contains("other (merged: <5 respondents)"), "{out}");
    }
    // They still count in the total.
    let v: Value = serde_json::from_str(&json).unwrap();
    let groups: f64 = v["by_group"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["co2e_kg"].as_f64().unwrap())
        .sum();
    assert!((groups - v["total"]["co2e_kg"].as_f64().unwrap()).abs() < 0.01);
    // WPM merges its small commuting lines the same way.
    let wpm = text_of(&["wpm", s(&config), "--format", "json"]);
    assert!(
        !wpm.contains("phd") && !wpm.contains("\"student\""),
        "{wpm}"
    );
}

#[test]
fn broken_survey_rows_are_rejected_with_line_and_reason_and_the_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects.csv");
    let out = footprint()
        .args([
            "commute",
            s(&fixture("commute/survey-broken.csv")),
            "--population",
            s(&fixture("commute/population.json")),
            "--rejects",
            s(&rejects),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for (line, what) in [
        (3, "unknown Dutch postcode `7509`"),
        (4, "days_per_week must be between 0 and 7, got 8"),
        (5, "one_way_km must be 0 or more, got -12"),
        (6, "unknown mode `vliegtuig2`"),
    ] {
        assert!(
            text.contains(&format!("survey-broken.csv:{line}: ")) && text.contains(what),
            "line {line}: {text}"
        );
    }
    assert!(
        text.contains("commuting survey  csv        9     5         4      44.4"),
        "{text}"
    );
    let csv = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(
        lines[1].contains(",3,unknown postcode,postcode,7509,"),
        "{csv}"
    );
    assert!(
        lines[2].contains(",4,days per week out of range,days_per_week,8,"),
        "{csv}"
    );
    assert!(
        lines[3].contains(",5,negative distance,one_way_km,-12,"),
        "{csv}"
    );
    assert!(
        lines[4].contains(",6,unknown mode,mode,vliegtuig2,"),
        "{csv}"
    );
}

#[test]
fn example_inventory_prints_categories_interval_per_capita_and_baseline() {
    let cfg = example();
    let table = text_of(&["inventory", s(&cfg)]);
    let v = json_of(&["inventory", s(&cfg), "--format", "json"]);
    for needle in [
        "cat. 6",
        "business travel",
        "cat. 7",
        "commuting",
        "Emissions by GHG Protocol category, 2025",
        "95 % low",
        "95 % high",
        "Per capita",
        "baseline 10,000 t CO2e (31.0 % of the footprint",
        "31 % of the university's footprint",
    ] {
        assert!(table.contains(needle), "{needle}: {table}");
    }
    // The table shows the JSON's numbers.
    let grouped = |x: &Value, decimals: usize| {
        let v = x.as_f64().unwrap();
        let s = format!("{v:.decimals$}");
        let (i, f) = s
            .split_once('.')
            .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
        let mut g = String::new();
        for (k, ch) in i.chars().enumerate() {
            if k > 0 && (i.len() - k) % 3 == 0 {
                g.push(',');
            }
            g.push(ch);
        }
        f.map_or(g.clone(), |f| format!("{g}.{f}"))
    };
    let t1 = |x: &Value| grouped(x, 1);
    let cats = v["categories"].as_array().unwrap();
    assert_eq!(cats[0]["key"], "business");
    assert_eq!(cats[1]["key"], "commuting");
    for c in cats {
        assert!(
            table.contains(&t1(&c["co2e_t"])),
            "{}: {table}",
            c["co2e_t"]
        );
    }
    let iv = &v["total"]["interval"];
    // The total line of the category table: the total and its interval (whole tonnes).
    let total_line = table.lines().find(|l| l.starts_with("Total ")).unwrap();
    for needle in [
        t1(&v["total"]["co2e_t"]),
        grouped(&iv["low_t"], 0),
        grouped(&iv["high_t"], 0),
    ] {
        assert!(total_line.contains(&needle), "{needle}: {total_line}");
    }
    let total = v["total"]["co2e_kg"].as_f64().unwrap();
    let parts: f64 = cats.iter().map(|c| c["co2e_kg"].as_f64().unwrap()).sum();
    assert!((total - parts).abs() < 0.01);
    assert!(iv["low_kg"].as_f64().unwrap() < total && total < iv["high_kg"].as_f64().unwrap());
    assert_eq!(v["baseline"]["co2e_t"], 10000.0);
    let diff = v["baseline"]["difference_t"].as_f64().unwrap();
    assert!((diff - (total / 1000.0 - 10_000.0)).abs() < 0.01);
    let labels: Vec<&str> = v["per_capita"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"commuting per student"), "{labels:?}");
    assert!(labels.contains(&"commuting per staff member"), "{labels:?}");
    assert_eq!(v["data_quality"]["files"].as_array().unwrap().len(), 2);
}

#[test]
fn same_seed_is_byte_identical_and_another_seed_changes_only_the_interval() {
    let cfg = example();
    let a = run(&["inventory", s(&cfg), "--format", "json"]).0;
    let b = run(&["inventory", s(&cfg), "--format", "json", "-j", "1"]).0;
    assert_eq!(a, b, "same seed, other thread count: byte-identical");
    let ta = run(&["inventory", s(&cfg)]).0;
    let tb = run(&["inventory", s(&cfg), "-j", "2"]).0;
    assert_eq!(ta, tb);
    let c = run(&["inventory", s(&cfg), "--format", "json", "--seed", "99"]).0;
    let (mut a, mut c): (Value, Value) = (
        serde_json::from_slice(&a).unwrap(),
        serde_json::from_slice(&c).unwrap(),
    );
    assert_ne!(a["total"]["interval"], c["total"]["interval"]);
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("interval");
                m.remove("bootstrap_seed");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut a);
    strip(&mut c);
    a["notes"] = Value::Null;
    c["notes"] = Value::Null;
    assert_eq!(a, c);
}

#[test]
fn wpm_has_every_rvo_category_and_adds_up_to_the_inventory() {
    let cfg = example();
    let w = json_of(&["wpm", s(&cfg), "--format", "json"]);
    let inv = json_of(&["inventory", s(&cfg), "--format", "json"]);
    let lines = w["lines"].as_array().unwrap();
    let cats: Vec<&str> = lines
        .iter()
        .map(|l| l["category"].as_str().unwrap())
        .collect();
    assert_eq!(
        cats,
        [
            "car_petrol",
            "car_diesel",
            "car_hybrid",
            "car_electric",
            "car_other_fuels",
            "car_unknown_fuel",
            "motorbike_electric",
            "motorbike_petrol",
            "motorbike_unknown_fuel",
            "moped_electric",
            "moped_petrol",
            "moped_unknown_fuel",
            "bike_or_walking",
            "public_transport"
        ]
    );
    let f = |v: &Value| v.as_f64().unwrap_or(0.0);
    let by_mode = |cat: &str, modes: &[&str]| -> f64 {
        inv["by_mode"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["category"] == cat && modes.contains(&m["mode"].as_str().unwrap()))
            .map(|m| f(&m["distance_km"]))
            .sum()
    };
    let line = |k: &str| lines.iter().find(|l| l["category"] == k).unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 0.5;
    // Business: per mode, and flights listed as excluded.
    let car: f64 = cats
        .iter()
        .filter(|c| c.starts_with("car_"))
        .map(|c| f(&line(c)["business_km"]))
        .sum();
    assert!(close(car, by_mode("business", &["car", "taxi"])));
    assert!(close(
        f(&line("public_transport")["business_km"]),
        by_mode(
            "business",
            &["train", "coach", "bus", "tram", "metro", "ferry"]
        )
    ));
    let flights = &w["excluded"][0];
    assert_eq!(flights["what"], "flights");
    assert!(close(
        f(&flights["business_km"]),
        by_mode("business", &["flight"])
    ));
    assert!(close(
        f(&w["business_km"]) + f(&flights["business_km"]),
        f(&inv["categories"][0]["distance_km"])
    ));
    // Commuting: employees in the lines (small lines merged), students excluded.
    let students = w["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["what"].as_str().unwrap().contains("student"))
        .unwrap();
    let shown: f64 = lines.iter().map(|l| f(&l["commuting_km"])).sum();
    assert!(close(
        shown + f(&w["commuting_merged_km"]),
        f(&w["commuting_km"])
    ));
    assert!(close(
        f(&w["commuting_km"]) + f(&students["commuting_km"]),
        f(&inv["categories"][1]["distance_km"])
    ));
    // The table says flights are not part of WPM; CSV and --out work.
    let table = text_of(&["wpm", s(&cfg)]);
    assert!(table.contains("flights are not part of WPM"), "{table}");
    assert!(table.contains("car, unknown fuel"), "{table}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("wpm.csv");
    run(&["wpm", s(&cfg), "--format", "csv", "--out", s(&out)]);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("category,label,business_km,business_eur,commuting_km\n"));
    assert_eq!(csv.lines().filter(|l| l.starts_with("car_")).count(), 6);
}

#[test]
fn generate_commute_reproduces_the_bundled_example_survey() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("survey.csv");
    run(&[
        "generate",
        "commute",
        "--respondents",
        "1800",
        "--seed",
        "2025",
        "--broken",
        "4",
        "--out",
        s(&out),
    ]);
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples/ut/commuting-survey.csv"),
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), committed);
    let a = run(&["generate", "commute", "--respondents", "50", "--seed", "1"]).0;
    let b = run(&["generate", "commute", "--respondents", "50", "--seed", "1"]).0;
    assert_eq!(a, b);
    assert_eq!(String::from_utf8(a).unwrap().lines().count(), 51);
}

#[test]
fn config_errors_name_the_field_and_suggest() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("inv.json");
    let text = std::fs::read_to_string(fixture("commute/inventory-10.json"))
        .unwrap()
        .replace("\"iterations\"", "\"iteratoins\"");
    std::fs::write(&cfg, text).unwrap();
    let out = footprint().args(["inventory", s(&cfg)]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("`commuting.bootstrap.iteratoins`"), "{err}");
    assert!(err.contains("did you mean `iterations`?"), "{err}");
    let out = footprint()
        .args(["commute", s(&fixture("commute/survey-10.csv"))])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn category_6_equals_footprint_business_on_the_same_export_and_csv_carries_it() {
    let cfg = example();
    let inv = json_of(&["inventory", s(&cfg), "--format", "json"]);
    let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples/ut/business-travel.csv");
    let b = json_of(&["business", s(&export), "--format", "json", "--quiet"]);
    assert_eq!(inv["categories"][0]["co2e_kg"], b["total_co2e_kg"]);
    assert_eq!(inv["categories"][0]["distance_km"], b["total_distance_km"]);
    assert_eq!(
        inv["data_quality"]["files"][0]["rows_rejected"],
        b["rows_rejected"]
    );
    let csv = text_of(&["inventory", s(&cfg), "--format", "csv"]);
    let total = csv.lines().find(|l| l.starts_with("total,")).unwrap();
    let kg: f64 = total.split(',').nth(3).unwrap().parse().unwrap();
    assert!((kg - inv["total"]["co2e_kg"].as_f64().unwrap()).abs() < 0.001);
}
