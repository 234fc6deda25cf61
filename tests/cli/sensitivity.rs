//! `sensitivity`.

use super::common::s;
use super::{fixture, footprint};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples/ut/inventory.json")
}

fn run(args: &[&str]) -> Vec<u8> {
    let out = footprint().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 0.01, "{what}: {a} vs hand-computed {b}");
}

/// Three flights along the equator, from literal coordinates: on the equator the WGS84
/// geodesic is a × Δλ (a = 6378.137 km), so
///   F1 (0,0)→(0,5):  556.5975 km, one way, 1 traveller      → short haul (< 3700 km)
///   F2 (0,0)→(0,20): 2226.3898 km, round trip, 1 traveller  → short haul
///   F3 (0,0)→(0,40): 4452.7796 km, one way, 2 travellers    → long haul
/// Passenger-km: short 556.5975 + 2 × 2226.3898 = 5009.3771; long 2 × 4452.7796 = 8905.5593.
///
/// DESNZ 2025 economy, kg CO2e/pkm: short TTW 0.07435 + WTT 0.02249, non-CO2 0.05141;
/// long TTW 0.06926 + WTT 0.02461, non-CO2 0.04778. The pack's RF multiplier is 1.7, so
/// non-CO2 = 0.7 × CO2 and RF ×m gives non-CO2 × (m − 1) / 0.7.
///   RF ×1: 5009.3771 × 0.09684 + 8905.5593 × 0.09387 = 485.1081 + 835.9649 = 1321.073 kg
///   RF ×2: 1321.073 + (5009.3771 × 0.05141 + 8905.5593 × 0.04778) / 0.7
///        = 1321.073 + (257.5271 + 425.5077) / 0.7 = 1321.073 + 975.7640 = 2296.837... kg
///          (2296.844 with the unrounded distances)
///   configured (RF ×1.7): 1321.073 + 683.0348 = 2004.113 kg
/// GES 1point5 (great circle + 95 km per leg; 0.258 < 1000 km ≤ 0.187 < 3500 km ≤ 0.152):
///   F1 (556.5975 + 95) × 0.258 × 1 = 168.1211; F2 (2226.3898 + 95) × 0.187 × 2 = 868.1898;
///   F3 (4452.7796 + 95) × 0.152 × 2 = 1382.5250; total 2418.837 kg.
#[test]
fn three_flights_by_hand_ges_and_rf_1_and_2() {
    let out = run(&[
        "sensitivity",
        s(&fixture("sensitivity/three-flights.json")),
        "--ranges",
        s(&fixture("sensitivity/rf-1-2.json")),
        "--draws",
        "0",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out).unwrap();
    let a = 6378.137_f64;
    let gc = |deg: f64| a * deg.to_radians();
    let (short, long) = (gc(5.0) + 2.0 * gc(20.0), 2.0 * gc(40.0));
    let rf1 = short * (0.07435 + 0.02249) + long * (0.06926 + 0.02461);
    let rf2 = rf1 + (short * 0.05141 + long * 0.04778) / 0.7;
    let ges = (gc(5.0) + 95.0) * 0.258
        + (gc(20.0) + 95.0) * 0.187 * 2.0
        + (gc(40.0) + 95.0) * 0.152 * 2.0;
    close(rf1, 1321.073, "RF x1 arithmetic");
    close(ges, 2418.837, "GES arithmetic");
    close(
        v["point"]["total_kg"].as_f64().unwrap(),
        2004.113,
        "configured",
    );
    let rf = v["tornado"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "rf_multiplier")
        .expect("an RF bar");
    close(rf["low_total_kg"].as_f64().unwrap(), rf1, "RF x1 total");
    close(rf["high_total_kg"].as_f64().unwrap(), rf2, "RF x2 total");
    let method = |id: &str| -> f64 {
        v["methods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("method {id}"))["flights_kg"]
            .as_f64()
            .unwrap()
    };
    close(method("ges-1point5"), ges, "GES 1point5 flights");
    close(method("desnz-2025/no-rf"), rf1, "DESNZ without RF");
    assert!(v["monte_carlo"].is_null(), "--draws 0: no Monte Carlo run");
}

#[test]
fn the_example_lists_methods_tornado_and_an_interval_around_the_total() {
    let ex = example();
    let args = |j: &str| {
        vec![
            "sensitivity".to_string(),
            s(&ex).to_string(),
            "--draws".into(),
            "1000".into(),
            "--seed".into(),
            "7".into(),
            "--format".into(),
            "json".into(),
            "-j".into(),
            j.into(),
        ]
    };
    let one = footprint().args(args("1")).output().unwrap();
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let two = footprint().args(args("2")).output().unwrap();
    assert!(two.status.success());
    assert!(one.stdout == two.stdout, "-j 1 and -j 2 differ");
    let v: Value = serde_json::from_slice(&one.stdout).unwrap();
    let methods = v["methods"].as_array().unwrap();
    assert!(methods.len() >= 6, "{} methods", methods.len());
    for m in methods {
        assert!(m["business_kg"].as_f64().unwrap() > 0.0);
        assert!(!m["includes"].as_str().unwrap().is_empty(), "{m}");
    }
    let tornado = v["tornado"].as_array().unwrap();
    assert!(tornado.len() >= 5, "{} bars", tornado.len());
    for b in tornado {
        assert!(
            b["low_total_kg"].is_f64() && b["high_total_kg"].is_f64(),
            "{b}"
        );
        assert!(!b["source"].as_str().unwrap().is_empty(), "{b}");
    }
    let point = v["point"]["total_kg"].as_f64().unwrap();
    let mc = &v["monte_carlo"]["total"];
    assert!(mc["low_kg"].as_f64().unwrap() < point, "{mc} vs {point}");
    assert!(mc["high_kg"].as_f64().unwrap() > point, "{mc} vs {point}");
    assert_eq!(v["monte_carlo"]["draws"], 1000);
}

#[test]
fn a_bad_ranges_file_is_a_data_error_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.json");
    std::fs::write(
        &p,
        r#"{"version": 1, "ranges": {"rf_multiplier": {"low": 1, "hihg": 3, "basis": "x"}}}"#,
    )
    .unwrap();
    let out = footprint()
        .args(["sensitivity", s(&example()), "--ranges", s(&p)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ranges.rf_multiplier") && err.contains("did you mean `high`?"),
        "{err}"
    );
}

#[test]
fn charts_are_written_to_the_chart_dir() {
    let dir = tempfile::tempdir().unwrap();
    run(&[
        "sensitivity",
        s(&fixture("sensitivity/three-flights.json")),
        "--draws",
        "100",
        "--chart-dir",
        s(dir.path()),
    ]);
    for f in [
        "sensitivity-methods.svg",
        "sensitivity-methods.png",
        "sensitivity-tornado.svg",
        "sensitivity-tornado.png",
    ] {
        assert!(dir.path().join(f).metadata().unwrap().len() > 1000, "{f}");
    }
}
