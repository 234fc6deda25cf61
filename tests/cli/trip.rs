//! `place`, `factors`, `trip`, `compare`.

use super::footprint;
use serde_json::Value;

fn json_of(args: &[&str]) -> Value {
    let out = footprint().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn place_resolves_every_kind_of_query() {
    let v = json_of(&[
        "place",
        "Munich",
        "Den Haag",
        "zurich",
        "AMS",
        "ut",
        "7522",
        "52.24,6.86",
        "--format",
        "json",
    ]);
    let got: Vec<(&str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["country_code"].as_str().unwrap(),
                r["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("DE", "city"),
            ("NL", "city"),
            ("CH", "city"),
            ("NL", "airport"),
            ("NL", "partner"),
            ("NL", "postcode"),
            ("", "coordinates")
        ]
    );
    assert_eq!(v[2]["name"], "Zürich");
}

#[test]
fn misspelled_place_fails_with_suggestion() {
    let out = footprint().args(["place", "Barcleona"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Barcelona"), "{err}");
    assert!(!err.contains("panicked"));
}

/// Reference distances from PROJ 9 (pyproj `Geod(ellps="WGS84").inv`), which implements
/// Karney's algorithm in C — independent of the Rust port used by `geo`.
#[test]
fn great_circle_matches_karney_within_one_metre() {
    let cases = [
        ("52.0,4.0", "40.0,-3.0", 1_438_174.800713),
        ("0.0,0.0", "0.5,179.7", 19_944_127.420750), // nearly antipodal
        ("-41.32,174.81", "40.96,-5.50", 19_959_679.267354), // Wellington - Salamanca (Karney's example)
        ("35.0,179.5", "36.0,-179.5", 143_321.578182),       // across the date line
    ];
    for (a, b, metres) in cases {
        let v = json_of(&["trip", a, b, "--mode", "train", "--format", "json"]);
        let km = v["great_circle_km"].as_f64().unwrap();
        assert!((km * 1000.0 - metres).abs() < 1.0, "{a} {b}: {km}");
        for key in ["distance_km", "co2e_kg", "parts", "factor", "legs"] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        for key in ["pack", "id", "value", "source"] {
            assert!(v["factor"].get(key).is_some(), "missing factor.{key}");
        }
    }
}

/// `co2e_kg / distance_km` of a one-way single-traveller trip equals the DESNZ 2025 row
/// (TTW + WTT, + RF for flights), from the DESNZ 2025 flat file.
#[test]
fn desnz_factors_are_reproduced() {
    let cases: [(&[&str], f64); 7] = [
        (&["--mode", "train"], 0.03546 + 0.00897),
        (&["--mode", "coach"], 0.02776 + 0.00656),
        (&["--mode", "car"], 0.16725 + 0.04399),
        (
            &["--mode", "car", "--size", "large", "--fuel", "diesel"],
            0.21007 + 0.0507,
        ),
        (&["--mode", "flight"], 0.12576 + 0.02249),
        (&["--mode", "flight", "--no-rf"], 0.07435 + 0.02249),
        (
            &["--mode", "flight", "--cabin", "business"],
            0.18863 + 0.03373,
        ),
    ];
    for (extra, factor) in cases {
        let mut args = vec!["trip", "Enschede", "Barcelona", "--format", "json"];
        args.extend_from_slice(extra);
        let v = json_of(&args);
        let ratio = v["co2e_kg"].as_f64().unwrap() / v["distance_km"].as_f64().unwrap();
        assert!(
            (ratio - factor).abs() < 1e-9,
            "{extra:?}: {ratio} vs {factor}"
        );
    }
    let lh = json_of(&[
        "trip", "AMS", "JFK", "--mode", "flight", "--cabin", "first", "--format", "json",
    ]);
    let ratio = lh["co2e_kg"].as_f64().unwrap() / lh["distance_km"].as_f64().unwrap();
    assert!((ratio - (0.46814 + 0.09844)).abs() < 1e-9);
}

#[test]
fn round_trip_travellers_and_occupancy() {
    let base = |extra: &[&str]| {
        let mut args = vec!["trip", "ut", "Aachen", "--mode", "car", "--format", "json"];
        args.extend_from_slice(extra);
        json_of(&args)["co2e_kg"].as_f64().unwrap()
    };
    let one = base(&[]);
    assert!((base(&["--round-trip"]) - 2.0 * one).abs() < 1e-9);
    assert!((base(&["--travellers", "3"]) - 3.0 * one).abs() < 1e-9);
    assert!((base(&["--occupancy", "2"]) - one / 2.0).abs() < 1e-9);
}

#[test]
fn vias_make_legs() {
    let v = json_of(&[
        "trip", "Enschede", "Lisbon", "--via", "Paris", "--via", "Madrid", "--mode", "train",
        "--format", "json",
    ]);
    assert_eq!(v["legs"].as_array().unwrap().len(), 3);
}

#[test]
fn compare_ranks_options_and_writes_charts() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["svg", "png"] {
        let chart = dir.path().join(format!("c.{ext}"));
        let v = json_of(&[
            "compare",
            "Enschede",
            "Barcelona",
            "--format",
            "json",
            "--chart",
            chart.to_str().unwrap(),
        ]);
        let opts = v["options"].as_array().unwrap();
        let modes: Vec<&str> = opts.iter().map(|o| o["mode"].as_str().unwrap()).collect();
        for m in ["train", "coach", "car", "flight"] {
            assert!(modes.contains(&m), "{m} missing: {modes:?}");
        }
        let per: Vec<f64> = opts
            .iter()
            .map(|o| o["co2e_kg_per_person"].as_f64().unwrap())
            .collect();
        assert!(per.windows(2).all(|w| w[0] <= w[1]), "not ranked: {per:?}");
        assert!(
            modes.iter().position(|m| *m == "train") < modes.iter().position(|m| *m == "flight")
        );
        let bytes = std::fs::read(&chart).unwrap();
        if ext == "svg" {
            let s = String::from_utf8(bytes).unwrap();
            assert!(s.contains("<svg") && s.contains("Barcelona"));
        } else {
            assert_eq!(&bytes[1..4], b"PNG");
        }
    }
}

#[test]
fn compare_short_trip_offers_bike_and_no_flight() {
    let v = json_of(&["compare", "ut", "Hengelo", "--format", "json"]);
    let modes: Vec<&str> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["mode"].as_str().unwrap())
        .collect();
    assert!(modes.contains(&"bike") && modes.contains(&"ebike"));
    assert!(!modes.contains(&"flight"));
}

#[test]
fn bad_input_is_a_one_line_error_without_panic() {
    let cases: [&[&str]; 7] = [
        &["trip", "Enschede", "Paris", "--mode", "hovercraft"],
        &[
            "trip",
            "Enschede",
            "Paris",
            "--mode",
            "car",
            "--travellers",
            "-2",
        ],
        &["trip", "95,6.8", "Paris", "--mode", "car"],
        &["trip", "", "Paris", "--mode", "car"],
        &[
            "trip", "Enschede", "Paris", "--mode", "car", "--pack", "nope",
        ],
        &["trip", "Enchede", "Paris", "--mode", "car"],
        &["compare", "Enschede", "   "],
    ];
    for args in cases {
        let out = footprint().args(args).output().unwrap();
        let code = out.status.code().unwrap();
        assert!(code == 1 || code == 2, "{args:?} exited {code}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{args:?}: {err}"
        );
        assert!(!err.trim().is_empty(), "{args:?}: no message");
    }
    let out = footprint()
        .args(["trip", "95,6.8", "Paris", "--mode", "car"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("latitude 95"));
}

#[test]
fn factors_lists_packs_and_sources() {
    let out = footprint().args(["factors"]).output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    for p in ["desnz-2025", "ademe-2025", "nl-2025"] {
        assert!(s.contains(p));
    }
    let v = json_of(&["factors", "show", "desnz-2025", "--format", "json"]);
    let f = v["factors"].as_array().unwrap();
    assert!(f.len() >= 60);
    assert!(
        f.iter()
            .all(|x| !x["source"].as_str().unwrap().is_empty() && x["year"] == 2025)
    );
}

#[test]
fn compare_across_the_ocean_offers_only_the_flight() {
    let v = json_of(&["compare", "Enschede", "New York", "--format", "json"]);
    let modes: Vec<&str> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["mode"].as_str().unwrap())
        .collect();
    assert_eq!(modes, ["flight"]);
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .contains("no surface options")
    );
    let inc = v["options"][0]["includes"].as_str().unwrap();
    assert!(inc.contains("train to and from the airports"), "{inc}");
    assert!(
        !inc.contains("ENS"),
        "Twente has no scheduled service: {inc}"
    );
}

#[test]
fn alias_file_fixes_known_typos() {
    let aliases = super::fixture("aliases.tsv");
    let v = json_of(&[
        "place",
        "Enchede",
        "Drienerlo",
        "--aliases",
        aliases.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(v[0]["name"], "Enschede");
    assert_eq!(v[1]["id"], "partner:ut");
    let out = footprint().args(["place", "Enchede"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "without the alias file it is an error"
    );
}

#[test]
fn nl_pack_works_for_every_mode_through_its_fallback_chain() {
    for mode in [
        "bike",
        "e-bike",
        "e-scooter",
        "moped",
        "walk",
        "train",
        "car",
    ] {
        let v = json_of(&[
            "trip", "Enschede", "Hengelo", "--mode", mode, "--pack", "nl-2025", "--format", "json",
        ]);
        assert!(v["co2e_kg"].as_f64().unwrap() >= 0.0, "{mode}");
        if matches!(mode, "bike" | "e-bike" | "e-scooter" | "moped" | "walk") {
            let notes: Vec<&str> = v["factor"]["notes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .collect();
            assert_eq!(v["factor"]["pack"], "ademe-2025", "{mode}");
            assert!(
                notes[0].contains("nl-2025") && notes[0].contains("desnz-2025"),
                "{notes:?}"
            );
            assert!(
                notes[1].contains("desnz-2025") && notes[1].contains("ademe-2025"),
                "{notes:?}"
            );
        }
    }
    let out = footprint()
        .args(["compare", "Enschede", "Hengelo", "--pack", "nl-2025"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_given_distance_chooses_the_flight_band() {
    let args = [
        "trip",
        "Enschede",
        "Barcelona",
        "--mode",
        "flight",
        "--format",
        "json",
    ];
    let v = json_of(&args);
    assert_eq!(v["legs"][0]["haul"], "short");
    let v = json_of(&[&args[..], &["--distance-km", "9000"]].concat());
    assert_eq!(v["legs"][0]["haul"], "long");
    assert_eq!(v["legs"][0]["haul_basis"], "given distance 9000 km");
    let out = footprint()
        .args([&args[..5], &["--distance-km", "9000"]].concat())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("flight band: long, chosen by the given distance 9000 km"),
        "{text}"
    );
}

#[test]
fn place_reads_country_names_in_other_languages() {
    let v = json_of(&[
        "place",
        "Berlin, Allemagne",
        "Lyon, Frankreich",
        "Keulen, Duitsland",
        "Sevilla, España",
        "--format",
        "json",
    ]);
    let got: Vec<(&str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["country_code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Berlin", "DE"),
            ("Lyon", "FR"),
            ("Köln", "DE"),
            ("Sevilla", "ES")
        ]
    );
}

#[test]
fn place_lists_the_other_places_of_a_name() {
    let v = json_of(&["place", "Ede", "Enschede", "--format", "json"]);
    let also = v[0]["also"].as_array().unwrap();
    assert_eq!(also.len(), 1);
    assert_eq!(also[0]["country_code"], "NL");
    assert_eq!(also[0]["query"], "Ede, NL");
    assert!(v[1].get("also").is_none(), "Enschede is one place");
    let out = footprint().args(["place", "Ede"]).output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("Ede (NL) = Ede, NL"), "{table}");
}

#[test]
fn trip_resolves_an_ambiguous_name_by_the_other_end() {
    let out = footprint()
        .args([
            "trip", "Enschede", "Ede", "--mode", "train", "--format", "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["legs"][0]["to"], "Ede (NL)");
    assert!(v["legs"][0]["great_circle_km"].as_f64().unwrap() < 100.0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Ede (NG) (write `Ede, NG`)"), "{err}");
    let v = json_of(&["trip", "Lagos", "Ede", "--mode", "car", "--format", "json"]);
    assert_eq!(v["legs"][0]["from"], "Lagos (NG)");
    assert_eq!(v["legs"][0]["to"], "Ede (NG)");
    // A written country is obeyed.
    let v = json_of(&[
        "trip", "Enschede", "Ede, NG", "--mode", "flight", "--format", "json",
    ]);
    assert_eq!(v["legs"][0]["to"], "Ede (NG)");
}

#[test]
fn a_surface_trip_needs_a_land_route() {
    let out = footprint()
        .args(["trip", "Enschede", "New York", "--mode", "train"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "no land route between The Netherlands (Europe) and United States (North America)"
        ),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    for mode in ["car", "coach", "bike", "walk", "taxi"] {
        let out = footprint()
            .args(["trip", "Enschede", "Tokyo", "--mode", mode])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{mode}");
    }
    json_of(&[
        "trip", "Enschede", "New York", "--mode", "flight", "--format", "json",
    ]);
    json_of(&[
        "trip", "Enschede", "Beijing", "--mode", "train", "--format", "json",
    ]);
    let v = json_of(&["compare", "Enschede", "New York", "--format", "json"]);
    let notes: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("no land route between")),
        "{notes:?}"
    );
    assert!(
        v["options"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["mode"] == "flight")
    );
}
