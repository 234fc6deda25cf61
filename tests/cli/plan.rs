//! `footprint matrix` and `footprint meet`.

use super::{fixture, footprint};

#[test]
fn matrix_csv_has_one_row_per_ordered_pair_and_mode() {
    let out = footprint()
        .args(["matrix", "--partners", "eciu", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[0], "From");
    assert_eq!(&header[4], "Mode");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let mut places: Vec<String> = rows.iter().map(|x| x[1].to_string()).collect();
    places.sort();
    places.dedup();
    let n = places.len();
    assert!(n >= 10, "{n} ECIU partners");
    assert_eq!(
        rows.len(),
        n * (n - 1) * 4,
        "ordered pairs × 4 default modes"
    );
    let mut keys: Vec<(String, String, String)> = rows
        .iter()
        .map(|x| (x[1].to_string(), x[3].to_string(), x[4].to_string()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), rows.len(), "no pair and mode twice");
    assert!(rows.iter().all(|x| x[1] != x[3]), "no place to itself");
    // Enschede → Aalborg by train is a number; the same pair's flight is one too (570 km).
    let cell = |to: &str, mode: &str| {
        rows.iter()
            .find(|x| &x[1] == "partner:ut" && &x[3] == to && &x[4] == mode)
            .map(|x| x[5].to_string())
            .unwrap()
    };
    assert!(cell("partner:eciu-aau", "train").parse::<f64>().unwrap() > 0.0);
    assert!(cell("partner:eciu-aau", "flight").parse::<f64>().unwrap() > 0.0);
}

#[test]
fn matrix_table_and_heat_map() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("heat.svg");
    let out = footprint()
        .args(["matrix", "Enschede", "Hengelo", "Barcelona", "--chart"])
        .arg(&chart)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().next().unwrap().contains("train"), "{text}");
    assert_eq!(text.lines().count(), 2 + 6, "{text}");
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Barcelona"));
    let bad = footprint()
        .args(["matrix", "Enschede", "Barcleona"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Barcelona (ES)"));
    let bad = footprint()
        .args(["matrix", "Enschede", "Lyon", "--modes", "zeppelin"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// The fixture: 5 people in Enschede, 1 in Hengelo (8 km away), 1 in Barcelona.
///
/// Hand check, with d(E,B) ≈ 1,259 km, d(E,L) ≈ 760 km, d(B,L) ≈ 510 km (great circle) and a
/// best option of roughly the same kg per km everywhere (coach or train):
/// - Enschede: 1 × d(B,E) + 1 × d(H,E) ≈ 1,267 km-equivalents;
/// - Lyon: 6 × ~760 + 1 × 510 ≈ 5,070;
/// - Barcelona: 6 × ~1,259 ≈ 7,550.
///
/// So the ranking is Enschede, Lyon, Barcelona; Barcelona costs about 6× Enschede and Lyon
/// about 4×.
#[test]
fn meet_ranks_the_fixture_as_computed_by_hand() {
    let out = footprint()
        .arg("meet")
        .arg(fixture("meet/participants.csv"))
        .args([
            "--candidates",
            "Enschede",
            "Barcelona",
            "Lyon",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["people"], 7.0);
    assert_eq!(m["round_trip"], true);
    let c = m["candidates"].as_array().unwrap();
    let names: Vec<&str> = c
        .iter()
        .map(|x| x["host"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Enschede", "Lyon", "Barcelona"]);
    let total = |i: usize| c[i]["co2e_kg"].as_f64().unwrap();
    let ratio_barcelona = total(2) / total(0);
    let ratio_lyon = total(1) / total(0);
    assert!(
        (5.0..7.0).contains(&ratio_barcelona),
        "Barcelona / Enschede = {ratio_barcelona}"
    );
    assert!(
        (2.5..5.0).contains(&ratio_lyon),
        "Lyon / Enschede = {ratio_lyon}"
    );
    // In Enschede the five locals travel nothing; the Barcelona participant's best option is
    // a surface option and every figure is the per-person figure × count.
    let p = c[0]["participants"].as_array().unwrap();
    assert_eq!(p[0]["co2e_kg"], 0.0);
    assert_ne!(p[2]["option"], "Flight, economy");
    assert!(
        p[2]["all_fly_kg_per_person"].as_f64().unwrap()
            > p[2]["co2e_kg_per_person"].as_f64().unwrap()
    );
    let sum: f64 = p.iter().map(|x| x["co2e_kg"].as_f64().unwrap()).sum();
    assert!((sum - total(0)).abs() < 1e-9);
    // Barcelona host: 5 Enschede people at the per-person figure.
    let q = &c[2]["participants"][0];
    assert!(
        (q["co2e_kg"].as_f64().unwrap() - 5.0 * q["co2e_kg_per_person"].as_f64().unwrap()).abs()
            < 1e-9
    );
}

#[test]
fn meet_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.csv");
    std::fs::write(&f, "woonplaats;aantal\nEnschede;2\nBarcleona;1\n").unwrap();
    let out = footprint().arg("meet").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("p.csv:3") && err.contains("woonplaats") && err.contains("Barcelona (ES)"),
        "{err}"
    );
    std::fs::write(&f, "home,travellers\nEnschede,zero\n").unwrap();
    let out = footprint().arg("meet").arg(&f).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("p.csv:2") && err.contains("travellers"),
        "{err}"
    );
}
