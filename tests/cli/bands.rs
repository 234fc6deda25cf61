//! `--flight-bands smooth` and `factors.flight_bands` on trip, business and inventory.

use super::{fixture, footprint};
use serde_json::Value;

fn run(args: &[&str]) -> std::process::Output {
    footprint().args(args).output().unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn trip_kg(rule: &str, cabin: &str, km: &str) -> Value {
    json(&[
        "--flight-bands",
        rule,
        "trip",
        "Amsterdam, NL",
        "Madrid, ES",
        "--mode",
        "flight",
        "--cabin",
        cabin,
        "--distance-km",
        km,
        "--format",
        "json",
    ])
}

#[test]
fn smooth_bands_differ_by_less_than_half_a_percent_across_3700_km_for_every_cabin() {
    for cabin in ["economy", "premium", "business", "first", "average"] {
        let a = trip_kg("smooth", cabin, "3699")["co2e_kg"]
            .as_f64()
            .unwrap();
        let b = trip_kg("smooth", cabin, "3701")["co2e_kg"]
            .as_f64()
            .unwrap();
        assert!((b / a - 1.0).abs() < 0.005, "{cabin}: {a} vs {b}");
        let pa = trip_kg("published", cabin, "3699")["co2e_kg"]
            .as_f64()
            .unwrap();
        let pb = trip_kg("published", cabin, "3701")["co2e_kg"]
            .as_f64()
            .unwrap();
        assert!(
            (pb / pa - 1.0).abs() > 0.04,
            "{cabin}: published bands jump"
        );
    }
    let v = trip_kg("smooth", "economy", "3699");
    assert_eq!(
        v["legs"][0]["band_blend"],
        "blended 50 % short / 50 % long (smooth bands, ±500 km around the 3700 km edge)"
    );
}

#[test]
fn published_bands_are_the_default_to_the_byte_and_bad_rules_are_usage_errors() {
    let args = ["business", "--format", "json", "--quiet"];
    let csv = fixture("bands/edge.csv");
    let plain = footprint().args(args).arg(&csv).output().unwrap();
    let published = footprint()
        .args(["--flight-bands", "published"])
        .args(args)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(plain.status.success());
    assert_eq!(plain.stdout, published.stdout);
    let smooth = footprint()
        .args(["--flight-bands", "smooth"])
        .args(args)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(smooth.status.success());
    assert_ne!(plain.stdout, smooth.stdout);
    let out = run(&[
        "--flight-bands",
        "galactic",
        "trip",
        "ut",
        "Paris",
        "-m",
        "flight",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("published"));
}

/// Inventory total under `factors.flight_bands` = `rule` (None: field absent).
fn inventory_total(dir: &std::path::Path, rule: Option<&str>, flag: Option<&str>) -> Value {
    let mut factors = serde_json::json!({"pack": "desnz-2025"});
    if let Some(r) = rule {
        factors["flight_bands"] = r.into();
    }
    let config = dir.join("inventory.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "organisation": "t", "year": 2025, "campus": "ut",
            "factors": factors,
            "business": {"files": [fixture("bands/edge.csv")], "department": "department"}
        })
        .to_string(),
    )
    .unwrap();
    let mut args = vec!["inventory", config.to_str().unwrap(), "--format", "json"];
    if let Some(f) = flag {
        args.splice(0..0, ["--flight-bands", f]);
    }
    json(&args)["total"]["co2e_kg"].clone()
}

#[test]
fn the_configuration_field_chooses_the_rule_and_the_option_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let default = inventory_total(d, None, None);
    assert_eq!(inventory_total(d, Some("published"), None), default);
    let smooth = inventory_total(d, Some("smooth"), None);
    assert_ne!(smooth, default);
    assert_eq!(inventory_total(d, None, Some("smooth")), smooth);
    assert_eq!(
        inventory_total(d, Some("smooth"), Some("published")),
        default
    );
    std::fs::write(
        d.join("bad.json"),
        r#"{"organisation": "t", "year": 2025, "factors": {"flight_bands": "wobbly"}}"#,
    )
    .unwrap();
    let out = run(&["inventory", d.join("bad.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wobbly") && err.contains("smooth"), "{err}");
}

/// The `rail_countries` cell of every row of an audit CSV, with its mode.
fn rail_cells(audit: &std::path::Path, mode_col: &str) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(audit).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (m, c) = (col(mode_col), col("rail_countries"));
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (x[m].to_string(), x[c].to_string())
        })
        .collect()
}

/// Sums the km of a `rail_countries` cell (`NL 6.0 km @ 0.00136; DE 527.8 km @ 0.01721`).
fn cell_km(cell: &str) -> f64 {
    cell.split("; ")
        .map(|p| p.split(' ').nth(1).unwrap().parse::<f64>().unwrap())
        .sum()
}

#[test]
fn business_and_report_audits_carry_the_rail_split_by_country() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.csv");
    let out = footprint()
        .args(["business", "--quiet", "--audit"])
        .arg(&audit)
        .arg(fixture("bands/rail.csv"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let business = rail_cells(&audit, "mode");
    assert_eq!(business.len(), 3);
    let (mode, cell) = &business[0];
    assert_eq!(mode, "train");
    assert!(cell.starts_with("NL ") && cell.contains("; DE "), "{cell}");
    assert!(cell.contains(" km @ 0.0"), "{cell}");
    // A given distance (1,000 km over two legs) is what the parts add up to.
    assert!(
        (cell_km(&business[1].1) - 1000.0).abs() < 0.2,
        "{}",
        business[1].1
    );
    assert_eq!(business[2], ("flight".to_string(), String::new()));
    let config = dir.path().join("inventory.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "organisation": "t", "year": 2025, "campus": "ut",
            "business": {"files": [fixture("bands/rail.csv")], "department": "department"}
        })
        .to_string(),
    )
    .unwrap();
    let rep = dir.path().join("rep");
    let out = footprint()
        .args(["report", config.to_str().unwrap(), "--quiet", "--out"])
        .arg(&rep)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Vec<String> = rail_cells(&rep.join("audit.csv"), "mode")
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let business: Vec<String> = business.into_iter().map(|(_, c)| c).collect();
    assert_eq!(report, business);
}
