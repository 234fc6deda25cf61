//! `footprint trend`: the series of the hand-computed fixture (tests/fixtures/trend/README.md).

use super::{fixture, footprint};
use predicates::prelude::*;

fn series() -> String {
    fixture("trend/series.json").display().to_string()
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = footprint()
        .args(["trend", &series(), "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_has_each_year_restated_reported_split_and_gap() {
    let v = json(&[]);
    assert_eq!(v["base_year"], 2024);
    assert_eq!(v["latest_year"], 2025);
    let years = v["years"].as_array().unwrap();
    assert_eq!(years[0]["co2e_t"], 0.042248);
    assert_eq!(years[0]["reported"]["co2e_t"], 0.04);
    assert_eq!(years[0]["reported"]["method_t"], 0.008798);
    assert_eq!(years[0]["reported"]["activity_t"], -0.00655);
    assert_eq!(years[1]["gap_to_target_path_t"], -0.003609);
    assert_eq!(v["base_year_recalculation"]["required"], true);
    assert_eq!(v["significance"]["threshold_pct"], 5.0);
    let change = &v["changes"][0];
    assert_eq!(change["kind"], "year_on_year");
    assert_eq!(change["total"]["change_kg"], -7.13);
    assert_eq!(change["total"]["activity_kg"], 19.275);
    assert_eq!(change["total"]["intensity_kg"], -26.405);
    assert_eq!(change["categories"][0]["category"], "business");
    assert_eq!(v["changes"][1]["kind"], "since_base_year");
}

#[test]
fn the_output_is_the_same_for_any_number_of_threads() {
    for format in ["json", "csv", "table"] {
        let run = |j: &str| {
            footprint()
                .args(["trend", &series(), "--format", format, "-j", j])
                .output()
                .unwrap()
                .stdout
        };
        let one = run("1");
        assert!(!one.is_empty());
        assert_eq!(one, run("2"), "--format {format}");
    }
}

#[test]
fn table_and_csv_show_the_split() {
    footprint()
        .args(["trend", &series()])
        .assert()
        .success()
        .stdout(predicate::str::contains("base year must be recalculated"))
        .stdout(predicate::str::contains("What changed"));
    footprint()
        .args(["trend", &series(), "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "section,year,from,to,category,mode,measure,value,unit\n",
        ))
        .stdout(predicate::str::contains(
            "year_on_year,,2024,2025,business,car,activity_effect,15.843,kg CO2e\n",
        ));
}

#[test]
fn charts_are_written_as_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    footprint()
        .args(["trend", &series(), "--chart-dir"])
        .arg(dir.path())
        .assert()
        .success();
    for name in ["trend-by-mode", "trend-target", "trend-waterfall"] {
        let svg = std::fs::read_to_string(dir.path().join(format!("{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{name}");
        let png = std::fs::read(dir.path().join(format!("{name}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name}");
    }
}

#[test]
fn a_broken_series_names_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("series.json");
    std::fs::write(
        &bad,
        r#"{"name": "x", "base_year": 2018, "years": [{"year": 2025, "config": "a.json"}]}"#,
    )
    .unwrap();
    footprint()
        .arg("trend")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "series.json: `base_year`: 2018 is not one of the listed years (2025)",
        ));
    std::fs::write(
        &bad,
        r#"{"name": "x", "base_year": 2025, "years": [{"year": 2025, "config": "missing.json"}]}"#,
    )
    .unwrap();
    footprint()
        .arg("trend")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing.json"));
    footprint()
        .args(["trend", &series(), "--format", "xml"])
        .assert()
        .code(2);
}

/// The bundled series: the same bytes for any `-j`, and since the base year the cells' splits
/// add up, in grams, to the change between the restated totals.
#[test]
fn the_bundled_series_is_deterministic_and_adds_up() {
    let series =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples/ut/series.json");
    let run = |j: &str| {
        let out = footprint()
            .arg("trend")
            .arg(&series)
            .args(["--format", "json", "-j", j])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    let g = |x: &serde_json::Value| (x.as_f64().unwrap() * 1000.0).round() as i64;
    let years = v["years"].as_array().unwrap();
    assert_eq!(years.len(), 5);
    assert_eq!(v["base_year_recalculation"]["required"], true);
    let since = v["changes"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(since["kind"], "since_base_year");
    let (mut change, mut activity, mut intensity) = (0, 0, 0);
    for c in since["cells"].as_array().unwrap() {
        assert_eq!(
            g(&c["activity_kg"]) + g(&c["intensity_kg"]),
            g(&c["change_kg"])
        );
        change += g(&c["change_kg"]);
        activity += g(&c["activity_kg"]);
        intensity += g(&c["intensity_kg"]);
    }
    assert_eq!(
        (change, activity, intensity),
        (
            g(&since["total"]["change_kg"]),
            g(&since["total"]["activity_kg"]),
            g(&since["total"]["intensity_kg"]),
        )
    );
    // The change is the difference of the restated totals (t to the gram).
    let t_g = |x: &serde_json::Value| (x.as_f64().unwrap() * 1e6).round() as i64;
    assert_eq!(change, t_g(&years[4]["co2e_t"]) - t_g(&years[0]["co2e_t"]));
}
