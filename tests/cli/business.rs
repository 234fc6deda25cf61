//! `business` and `generate business`.

use super::{fixture, footprint};
use mobility_footprint::factors::PackSet;
use mobility_footprint::journey::{CalcOptions, Stop, TripSpec, estimate};
use mobility_footprint::mode::{Cabin, Mode};
use mobility_footprint::places::Gazetteer;
use serde_json::Value;

fn business(args: &[&str]) -> std::process::Output {
    footprint().arg("business").args(args).output().unwrap()
}

fn business_json(args: &[&str]) -> Value {
    let out = business(&[args, &["--format", "json", "--quiet"]].concat());
    super::common::json_ok(&out, &format!("{args:?}"))
}

fn path(rel: &str) -> String {
    fixture(rel).display().to_string()
}

/// kg CO2e of one journey computed with the library's journey engine.
fn expected_kg(
    stops: &[&str],
    mode: Mode,
    cabin: Cabin,
    round_trip: bool,
    travellers: f64,
    distance_km: Option<f64>,
) -> f64 {
    let g = Gazetteer::bundled();
    let stops: Vec<Stop> = stops
        .iter()
        .map(|q| Stop::from_place(&g.resolve(q).unwrap()))
        .collect();
    let mut spec = TripSpec::new(mode);
    spec.cabin = cabin;
    spec.round_trip = round_trip;
    spec.travellers = travellers;
    spec.distance_km = distance_km;
    estimate(PackSet::bundled(), &stops, &spec, &CalcOptions::default())
        .unwrap()
        .co2e_kg
}

#[test]
fn messy_dutch_export_runs_and_lists_every_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects.csv");
    let audit = dir.path().join("audit.csv");
    let v = business_json(&[
        &path("business/messy_nl.csv"),
        "--by",
        "Afdeling",
        "--rejects",
        rejects.to_str().unwrap(),
        "--audit",
        audit.to_str().unwrap(),
    ]);
    assert_eq!(
        (
            v["rows_read"].as_u64(),
            v["rows_used"].as_u64(),
            v["rows_rejected"].as_u64()
        ),
        (Some(13), Some(7), Some(6))
    );
    let reasons = &v["rejects_by_reason"];
    for (reason, n) in [
        ("unknown place", 2),
        ("invalid travellers", 1),
        ("missing value", 1),
        ("unknown mode", 1),
        ("invalid round_trip", 1),
    ] {
        assert_eq!(reasons[reason].as_u64(), Some(n), "{reason}: {reasons}");
    }

    // Every bad row, with its physical line (a quoted newline and a blank row shift them).
    let mut rdr = csv::Reader::from_path(&rejects).unwrap();
    let got: Vec<(u64, String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[1].parse().unwrap(), r[2].to_string(), r[3].to_string())
        })
        .collect();
    let want = [
        (6, "unknown place", "Naar"),
        (7, "unknown place", "Naar"),
        (8, "invalid travellers", "Reizigers"),
        (9, "missing value", "Naar"),
        (13, "unknown mode", "Vervoermiddel"),
        (16, "invalid round_trip", "Retour"),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((line, reason, column), (wl, wr, wc)) in got.iter().zip(want) {
        assert_eq!((*line, reason.as_str(), column.as_str()), (wl, wr, wc));
    }
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(text.contains("did you mean Barcelona (ES)"), "{text}");
    assert!(
        text.contains("did you mean `vliegtuig` (flight)?"),
        "{text}"
    );

    // The good rows, computed by the journey engine one by one.
    let want_kg = expected_kg(
        &["Enschede", "Paris"],
        Mode::Train,
        Cabin::Economy,
        true,
        1.0,
        None,
    ) + expected_kg(
        &["Enschede", "Barcelona"],
        Mode::Flight,
        Cabin::Economy,
        true,
        2.0,
        None,
    ) + expected_kg(
        &["Hengelo", "Munich"],
        Mode::Car,
        Cabin::Economy,
        false,
        1.0,
        Some(612.5),
    ) + expected_kg(
        &["Enschede", "London"],
        Mode::Flight,
        Cabin::Business,
        false,
        1.0,
        None,
    ) + expected_kg(
        &["Enschede", "Brussels"],
        Mode::Bus,
        Cabin::Economy,
        true,
        3.0,
        None,
    ) + expected_kg(
        &["Enschede", "Amsterdam"],
        Mode::Train,
        Cabin::Economy,
        true,
        1.0,
        None,
    ) + expected_kg(
        &["Enschede", "Lisbon"],
        Mode::Car,
        Cabin::Economy,
        false,
        2.0,
        Some(2150.0),
    );
    let total = v["total_co2e_kg"].as_f64().unwrap();
    assert!((total - want_kg).abs() < 0.01, "{total} vs {want_kg}");
    let groups: f64 = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["co2e_kg"].as_f64().unwrap())
        .sum();
    assert!((groups - total).abs() < 0.01);

    // The audit has one line per input row, used or rejected, in input order.
    let mut rdr = csv::Reader::from_path(&audit).unwrap();
    let lines: Vec<(u64, String)> = rdr
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[1].parse().unwrap(), r[3].to_string()))
        .collect();
    assert_eq!(
        lines.iter().map(|l| l.0).collect::<Vec<_>>(),
        [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]
    );
    assert_eq!(lines.iter().filter(|l| l.1 == "used").count(), 7);
}

#[test]
fn strict_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.csv");
    let rejects = dir.path().join("rejects.csv");
    let out = business(&[
        &path("business/messy_nl.csv"),
        "--strict",
        "--audit",
        audit.to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--strict: 6 of 13 rows rejected"), "{err}");
    assert!(
        err.contains("messy_nl.csv:6: column `Naar`: unknown place `Barcleona`"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file left behind"
    );

    let clean = business(&[&path("business/trips.csv"), "--strict", "--format", "json"]);
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn csv_xlsx_and_json_give_identical_totals() {
    let runs: Vec<Value> = [
        "business/trips.csv",
        "business/trips.xlsx",
        "business/trips.json",
    ]
    .iter()
    .map(|f| business_json(&[&path(f), "--by", "department,month,mode"]))
    .collect();
    for v in &runs[1..] {
        for k in [
            "rows_read",
            "rows_used",
            "rows_rejected",
            "total_co2e_kg",
            "total_distance_km",
            "parts",
            "groups",
        ] {
            assert_eq!(v[k], runs[0][k], "{k}");
        }
    }
    assert_eq!(runs[0]["rows_used"].as_u64(), Some(8));
    assert_eq!(runs[0]["files"][0]["format"], "csv");
    assert_eq!(runs[1]["files"][0]["format"], "xlsx");
    // The XLSX has a title row above the header and real dates: months come out the same.
    let months: Vec<&str> = runs[1]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["month"].as_str().unwrap())
        .collect();
    assert!(months.contains(&"2025-09"), "{months:?}");
}

#[test]
fn output_is_byte_identical_for_any_thread_count_and_block_size() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trips.csv");
    let out = footprint()
        .args([
            "generate", "business", "--rows", "3000", "--seed", "11", "--messy", "0.05", "--out",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let run = |extra: &[&str]| {
        let mut args = vec![
            file.to_str().unwrap(),
            "--by",
            "mode,distance_band,department",
        ];
        args.extend_from_slice(extra);
        let out = business(&[&args[..], &["--format", "json", "--quiet"]].concat());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let one = run(&["-j", "1"]);
    assert_eq!(one, run(&["-j", "2"]));
    assert_eq!(one, run(&["-j", "2", "--block-bytes", "4096"]));
    assert_eq!(one, run(&["-j", "3", "--block-bytes", "777"]));
    let v: Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(v["rows_read"].as_u64(), Some(3000));
    assert!(v["rows_rejected"].as_u64().unwrap() > 0);
    let bands: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["distance_band"].as_str().unwrap())
        .collect();
    assert!(
        bands.contains(&">=3700") && bands.contains(&"<100") || bands.contains(&"100-500"),
        "{bands:?}"
    );
}

#[test]
fn generate_is_deterministic_for_a_seed() {
    let gen_ = |seed: &str| {
        footprint()
            .args(["generate", "business", "--rows", "200", "--seed", seed])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(gen_("5"), gen_("5"));
    assert_ne!(gen_("5"), gen_("6"));
    let text = String::from_utf8(gen_("5")).unwrap();
    assert!(text.starts_with(
        "id,date,department,purpose,origin,destination,mode,cabin,round_trip,travellers,occupancy\n"
    ));
    assert_eq!(text.lines().count(), 201);
}

#[test]
fn ges1point5_preset_reads_the_french_mission_file() {
    let v = business_json(&[
        &path("business/ges1point5.tsv"),
        "--columns",
        "ges1point5",
        "--by",
        "Statut de l'agent (optionnel)",
    ]);
    assert_eq!(v["rows_used"].as_u64(), Some(4), "{}", v["rejects"]);
    let want = expected_kg(
        &["Grenoble, France", "Paris, France"],
        Mode::Train,
        Cabin::Economy,
        true,
        1.0,
        None,
    );
    let chercheur = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["Statut de l'agent (optionnel)"] == "Chercheur")
        .unwrap();
    assert!(chercheur["co2e_kg"].as_f64().unwrap() > want);
}

#[test]
fn missing_column_names_the_file_and_suggests() {
    let out = business(&[&path("business/no_destination.csv")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no_destination.csv: no column for the required field `destination`"),
        "{err}"
    );
    assert!(
        err.contains("columns found: `id`, `from`, `bestemmingg`, `mode`"),
        "{err}"
    );
    assert!(
        err.contains("column `bestemmingg` looks like `destination`"),
        "{err}"
    );
}

#[test]
fn unknown_group_by_column_is_refused() {
    let out = business(&[&path("business/trips.csv"), "--by", "departement"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot group by `departement`"), "{err}");
    assert!(err.contains("did you mean `department`?"), "{err}");
}

#[test]
fn reads_standard_input_and_prints_a_table() {
    let csv = std::fs::read(fixture("business/trips.csv")).unwrap();
    let out = footprint()
        .args(["business", "-", "--by", "mode"])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("rows: 8 read, 8 used, 0 rejected"), "{text}");
    assert!(text.contains("flight"), "{text}");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains('\u{1b}'),
        "no progress bar in a pipe"
    );
}

#[test]
fn no_rf_and_csv_output() {
    let with = business_json(&[&path("business/trips.csv")]);
    let without = business_json(&[&path("business/trips.csv"), "--no-rf"]);
    assert_eq!(without["parts"]["non_co2_kg"].as_f64(), Some(0.0));
    let diff = with["total_co2e_kg"].as_f64().unwrap() - without["total_co2e_kg"].as_f64().unwrap();
    assert!((diff - with["parts"]["non_co2_kg"].as_f64().unwrap()).abs() < 0.01);
    let out = business(&[
        &path("business/trips.csv"),
        "--by",
        "mode",
        "--format",
        "csv",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("mode,co2e_kg,distance_km,journeys,"),
        "{text}"
    );
}

#[test]
fn the_export_distance_sets_the_flight_band() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trips.csv");
    std::fs::write(
        &file,
        "id,origin,destination,mode,distance_km\n1,Enschede,Barcelona,flight,9000\n2,Enschede,Barcelona,flight,\n",
    )
    .unwrap();
    let v = business_json(&[file.to_str().unwrap()]);
    let total = v["total_co2e_kg"].as_f64().unwrap();
    let want = expected_kg(
        &["Enschede", "Barcelona"],
        Mode::Flight,
        Cabin::Economy,
        false,
        1.0,
        Some(9000.0),
    ) + expected_kg(
        &["Enschede", "Barcelona"],
        Mode::Flight,
        Cabin::Economy,
        false,
        1.0,
        None,
    );
    assert!((total - want).abs() < 0.001, "{total} vs {want}");
    // The long-haul factor (DESNZ 2025 long-haul economy with RF, TTW + WTT + non-CO2).
    let given = total
        - expected_kg(
            &["Enschede", "Barcelona"],
            Mode::Flight,
            Cabin::Economy,
            false,
            1.0,
            None,
        );
    assert!(
        (given / 9000.0 - (0.06926 + 0.02461 + 0.04778)).abs() < 1e-6,
        "{given}"
    );
}

#[test]
fn ges1point5_file_of_a_french_lab_uses_every_row() {
    // French city exonyms and French country names, header as the labs' converters write it.
    let v = business_json(&[
        &path("business/ges1point5_french_lab.tsv"),
        "--columns",
        "ges1point5",
        "--by",
        "country",
    ]);
    assert_eq!(v["rows_read"].as_u64(), Some(20));
    assert_eq!(v["rows_used"].as_u64(), Some(20), "{}", v["rejects"]);
    let countries: Vec<(&str, u64)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["country"].as_str().unwrap(),
                g["journeys"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        countries,
        [
            ("BE", 2),
            ("CH", 1),
            ("CN", 1),
            ("DE", 2),
            ("DK", 1),
            ("ES", 2),
            ("GB", 2),
            ("IT", 2),
            ("JP", 1),
            ("NL", 1),
            ("PL", 1),
            ("PT", 1),
            ("SE", 1),
            ("US", 2)
        ]
    );
}
/// `business` total and `inventory` category 6 as JSON number text, for one export.
fn business_and_category_6(dir: &std::path::Path, export: &std::path::Path) -> (String, String) {
    let b = business_json(&[export.to_str().unwrap()]);
    let config = dir.join("inventory.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "organisation": "t", "year": 2025, "campus": "ut",
            "factors": {"pack": "desnz-2025"},
            "business": {"files": [export.to_str().unwrap()], "department": "department"}
        })
        .to_string(),
    )
    .unwrap();
    let out = footprint()
        .args(["inventory", config.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cat6 = inv["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ghg_category"] == 6)
        .unwrap();
    (b["total_co2e_kg"].to_string(), cat6["co2e_kg"].to_string())
}

#[test]
fn business_total_equals_inventory_category_6_to_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/examples/ut/business-travel.csv");
    let (b, i) = business_and_category_6(dir.path(), &example);
    assert_eq!(b, i, "bundled example");
    let generated = dir.path().join("trips.csv");
    let out = footprint()
        .args([
            "generate", "business", "--rows", "100000", "--seed", "3", "--out",
        ])
        .arg(&generated)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (b, i) = business_and_category_6(dir.path(), &generated);
    assert_eq!(b, i, "100,000 generated rows");
}

#[test]
fn surface_rows_without_a_land_route_are_rejected_and_namesakes_counted() {
    let v = business_json(&[
        &path("business/ambiguous_and_overseas.csv"),
        "--by",
        "country",
    ]);
    assert_eq!(v["rows_used"].as_u64(), Some(6), "{}", v["rejects"]);
    assert_eq!(v["rejects_by_reason"]["no land route"].as_u64(), Some(1));
    let reject = &v["rejects"][0];
    assert_eq!(reject["line"].as_u64(), Some(5));
    assert!(
        reject["message"]
            .as_str()
            .unwrap()
            .contains("no land route between The Netherlands (Europe) and United States"),
        "{reject}"
    );
    let choices = v["ambiguous_places"].as_object().unwrap();
    let rows = |needle: &str| -> u64 {
        choices
            .iter()
            .filter(|(note, _)| note.contains(needle))
            .map(|(_, n)| n.as_u64().unwrap())
            .sum()
    };
    // Enschede–Ede twice and Ede–Enschede once: Ede NL; Lagos–Ede: Ede NG; Paris–Ede: ranking.
    assert_eq!(
        rows("chose Ede (NL) by the country of the journey's other end"),
        3
    );
    assert_eq!(
        rows("chose Ede (NG) by the country of the journey's other end"),
        1
    );
    assert_eq!(rows("chose Ede (NG) by the largest or best-known place"), 1);
    let countries: Vec<(&str, u64)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["country"].as_str().unwrap(),
                g["journeys"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(countries, [("NG", 2), ("NL", 3), ("US", 1)]);
}
