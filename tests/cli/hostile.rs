//! Hostile and careless input (issue 11, input side): one test per class with a small
//! fixture under `tests/fixtures/hostile/`, and the corpus test running every command on
//! every fixture there.

use super::{fixture, footprint};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn h(rel: &str) -> PathBuf {
    fixture(&format!("hostile/{rel}"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Exit code, stdout, stderr of `footprint args`.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = footprint().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn business_json(file: &Path) -> serde_json::Value {
    let (code, out, err) = run(&["business", s(file), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// Messages of the rejected rows (the text output lists them).
fn business_text(file: &Path) -> (i32, String) {
    let (code, out, err) = run(&["business", s(file)]);
    (code, format!("{out}{err}"))
}

#[test]
fn a_far_workbook_cell_costs_one_cell_or_is_refused() {
    // Class 1: `XFD1048576` as the only far cell. Empty (styled): ignored; filled: refused
    // with the cell and the limit. Through business, inventory and stdin.
    let v = business_json(&h("far-cell-empty.xlsx"));
    assert_eq!(v["rows_read"], 8);
    let (code, text) = business_text(&h("far-cell.xlsx"));
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("cell XFD1048576 is filled"), "{text}");
    let bytes = std::fs::read(h("far-cell.xlsx")).unwrap();
    let out = footprint()
        .args(["business", "-"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("XFD1048576"));
}

#[test]
fn a_long_value_is_rejected_without_echoing_it() {
    // Class 2: a 20,000-character mode is a row error (bounded field), quickly, and the
    // message shows no more than an excerpt.
    let (code, text) = business_text(&h("long-mode.csv"));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("a value of 20000 bytes"), "{text}");
    assert!(text.len() < 2_000, "{} bytes of output", text.len());
    let (code, _, err) = run(&["business", s(&h("long-header.csv"))]);
    assert_eq!(code, 1);
    assert!(err.contains("10000 characters") && err.len() < 400, "{err}");
}

#[test]
fn iterations_and_years_out_of_bounds_are_usage_errors() {
    // Class 4 and the exit-code messages: bounds are checked before any work.
    let inv = fixture("scenario/inventory.json");
    for args in [
        vec!["inventory", s(&inv), "--iterations", "100000000"],
        vec!["scenario", "--inventory", s(&inv), "--target-year", "99999"],
        vec!["scenario", "--inventory", s(&inv), "--target-year", "1900"],
        vec![
            "trip",
            "Enschede",
            "Madrid",
            "--mode",
            "flight",
            "--flight-haul",
            "galactic",
        ],
    ] {
        let mut a = args.clone();
        if a[0] == "scenario" {
            let sc = fixture("scenario/no-flights.json");
            a.push(Box::leak(sc.display().to_string().into_boxed_str()));
        }
        let (code, _, err) = run(&a);
        assert_eq!(code, 2, "{a:?}: {err}");
    }
    let (_, _, err) = run(&[
        "trip",
        "Enschede",
        "Madrid",
        "--mode",
        "flight",
        "--flight-haul",
        "galactic",
    ]);
    assert!(err.contains("hauls:"), "{err}");
}

#[test]
fn thousands_separators_follow_one_convention_per_file() {
    // Class 5: `,` file: decimal point, `1,200` = `1,200.0` = 1,200 km and `1,5` refused;
    // `;` file: decimal comma, `1.200` = `1.200,0` = 1,200 and `12.5` refused; a tab file
    // refuses the ambiguous `1,200`.
    for f in ["thousands-comma.csv", "thousands-semicolon.csv"] {
        let v = business_json(&h(f));
        assert_eq!(v["rows_used"], 2, "{f}");
        assert_eq!(v["rows_rejected"], 1, "{f}");
        assert_eq!(v["total_distance_km"], 2400.0, "{f}");
    }
    let (_, text) = business_text(&h("thousands-comma.csv"));
    assert!(
        text.contains("`1,5` does not fit the file's convention"),
        "{text}"
    );
    let (_, text) = business_text(&h("thousands-tab.tsv"));
    assert!(text.contains("`1,200` is ambiguous"), "{text}");
}

#[test]
fn implausible_values_are_rejected_with_the_reason() {
    // Class 6: 1e200 km, 1e308 and 5,000 travellers; the total stays the plausible row's.
    let v = business_json(&h("implausible.csv"));
    assert_eq!(v["rows_used"], 1);
    assert_eq!(v["rows_rejected"], 3);
    assert_eq!(v["total_distance_km"], 1200.0);
    let (_, text) = business_text(&h("implausible.csv"));
    assert!(text.contains("half the Earth's circumference"), "{text}");
    assert!(text.contains("more than 1,000 travellers"), "{text}");
    // A survey commute of 1e308 or 20,000 km one way.
    let (code, out, err) = run(&[
        "commute",
        s(&h("survey-huge.csv")),
        "--population",
        s(&fixture("commute/population.json")),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let total = v["total"]["co2e_kg"].as_f64().unwrap_or(f64::NAN);
    assert!(total.is_finite() && total < 1e6, "{total}");
    assert_eq!(v["data_quality"]["rows_rejected"], 2, "{err}");
}

#[test]
fn duplicate_files_out_of_year_dates_and_empty_populations_are_stated() {
    // Class 7.
    let (code, _, err) = run(&["inventory", s(&h("config/dup-files.json"))]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("counted twice"), "{err}");
    let (code, out, err) = run(&["inventory", s(&h("config/population-zero.json"))]);
    assert_eq!(code, 0, "{err}");
    let all = format!("{out}{err}");
    assert!(
        all.contains("2 business journeys are dated outside the inventory year 2025"),
        "{all}"
    );
    assert!(all.contains("group `staff` has population 0 but"), "{all}");
}

#[test]
fn an_unterminated_quote_names_its_lines() {
    // Class 8: not "1 read, 1 rejected" but the quote's line and the lines it swallows.
    let (code, text) = business_text(&h("stray-quote.csv"));
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(
            "unterminated quote from line 2 to the end of the file (line 1002): 1001 lines not read"
        ),
        "{text}"
    );
}

#[test]
fn a_field_held_by_two_columns_is_an_error_naming_both() {
    // Class 9.
    for (f, both) in [
        (
            "dup-destination.csv",
            "columns 2 `destination` and 3 `destination`",
        ),
        ("dup-alias.csv", "columns 1 `origin` and 2 `from`"),
        (
            "dup-department.csv",
            "columns 4 `department` and 5 `Department`",
        ),
    ] {
        let (code, text) = business_text(&h(f));
        assert_eq!(code, 1, "{f}: {text}");
        assert!(text.contains(both), "{f}: {text}");
    }
    // A column map resolves it.
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.json");
    std::fs::write(&map, r#"{"origin": "from"}"#).unwrap();
    let (code, _, err) = run(&["business", s(&h("dup-alias.csv")), "--columns", s(&map)]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn dates_have_one_order_per_file() {
    // Class 10: `01/14/2025` cannot be day-first: refused, not read month-first next to
    // `01/02/2025` read day-first.
    let v = business_json(&h("dates-mixed.csv"));
    assert_eq!(v["rows_used"], 1);
    let (_, text) = business_text(&h("dates-mixed.csv"));
    assert!(text.contains("write it as 2025-01-14"), "{text}");
}

#[test]
fn a_config_path_to_another_file_echoes_none_of_it() {
    // Class 15: the survey path leaves the configuration's folder (allowed: data may live
    // elsewhere) and names a file that is no survey: its content is not printed.
    for cfg in ["config/escape.json", "config/escape-absolute.json"] {
        let (code, out, err) = run(&["inventory", s(&h(cfg))]);
        assert_eq!(code, 1, "{err}");
        let all = format!("{out}{err}");
        assert!(!all.contains("SECRET"), "{all}");
        assert!(!all.contains("root"), "{all}");
        assert!(!all.contains("/bin"), "{all}");
    }
    let (_, _, err) = run(&["inventory", s(&h("config/escape.json"))]);
    assert!(err.contains("is this the right file?"), "{err}");
}

#[test]
fn input_messages_say_what_the_file_is() {
    for (f, says) in [
        ("utf16-nobom.csv", "UTF-16 without a byte order mark"),
        ("broken.jsonl", "broken.jsonl:3: column 12"),
    ] {
        let (code, text) = business_text(&h(f));
        assert_eq!(code, 1, "{f}: {text}");
        assert!(text.contains(says), "{f}: {text}");
        assert!(!text.contains("line 1 column"), "{f}: {text}");
    }
    // A workbook named .csv is read as the workbook it is.
    assert_eq!(business_json(&h("workbook-named.csv"))["rows_used"], 8);
    // A repeated header row is said to be one.
    let (_, text) = business_text(&h("repeated-header.csv"));
    assert!(text.contains("a repeated header row"), "{text}");
    assert!(!text.contains("moped"), "{text}");
    // --sheet on a CSV is not ignored.
    let (code, _, err) = run(&["business", s(&h("dates-mixed.csv")), "--sheet", "Reizen"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("--sheet `Reizen` applies to workbooks"),
        "{err}"
    );
}

/// Every file under `dir`, recursively, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The hostile-input corpus: every command on every fixture under `tests/fixtures/hostile/`
/// exits 0, 1 or 2, never panics, accounts for every row, writes nothing but what it was
/// asked to (in a scratch folder as working directory) and changes no input.
#[test]
fn hostile_corpus_every_command_every_input() {
    let corpus = fixture("hostile");
    let before = snapshot(&corpus);
    let population = fixture("commute/population.json");
    let files: Vec<PathBuf> = before
        .keys()
        .filter(|p| !p.starts_with(corpus.join("config")))
        .cloned()
        .collect();
    let configs: Vec<PathBuf> = before
        .keys()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json") && p.starts_with(corpus.join("config"))
        })
        .cloned()
        .collect();
    let mut runs = 0;
    for f in &files {
        let fs = s(f).to_string();
        let cases: Vec<Vec<String>> = vec![
            vec![
                "business".into(),
                fs.clone(),
                "--format".into(),
                "json".into(),
            ],
            vec![
                "commute".into(),
                fs.clone(),
                "--population".into(),
                s(&population).into(),
                "--format".into(),
                "json".into(),
            ],
        ];
        for args in cases {
            check_run(&args, None, &mut runs);
        }
    }
    for c in &configs {
        let cs = s(c).to_string();
        for args in [
            vec![
                "inventory".to_string(),
                cs.clone(),
                "--format".into(),
                "json".into(),
            ],
            vec!["wpm".to_string(), cs.clone()],
            vec![
                "scenario".to_string(),
                "--inventory".into(),
                cs.clone(),
                s(&fixture("scenario/no-flights.json")).into(),
            ],
            vec![
                "report".to_string(),
                cs.clone(),
                "--out".into(),
                "OUT".into(),
            ],
        ] {
            check_run(&args, Some("OUT"), &mut runs);
        }
    }
    assert!(runs >= 2 * files.len(), "{runs} runs");
    assert_eq!(snapshot(&corpus), before, "an input file changed");
}

/// Runs one command in a scratch working directory and checks the corpus promises.
fn check_run(args: &[String], asked: Option<&str>, runs: &mut usize) {
    let scratch = tempfile::tempdir().unwrap();
    let out = footprint()
        .current_dir(scratch.path())
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    *runs += 1;
    let code = out.status.code();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(code, Some(0..=2)),
        "{args:?}: exit {code:?}: {err}"
    );
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    if code == Some(0)
        && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&out.stdout)
    {
        for v in [&v, &v["data_quality"]] {
            if let (Some(r), Some(u), Some(j)) = (
                v["rows_read"].as_u64(),
                v["rows_used"].as_u64(),
                v["rows_rejected"].as_u64(),
            ) {
                assert_eq!(r, u + j, "{args:?}: rows read = used + rejected");
            }
        }
    }
    let written: Vec<_> = std::fs::read_dir(scratch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| Some(n.as_str()) != asked)
        .collect();
    assert!(written.is_empty(), "{args:?} wrote {written:?}");
}

#[test]
fn no_output_lets_a_small_group_be_computed_by_difference() {
    // Class 14: staff (22) and visitor (2) merge into "other"; "commuting per staff member"
    // × population would be staff alone, so merged − staff = the visitors. It is withheld.
    let (code, out, err) = run(&[
        "inventory",
        s(&h("config/privacy.json")),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let labels: Vec<&str> = v["per_capita"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert!(
        !labels.contains(&"commuting per staff member"),
        "{labels:?}"
    );
    assert!(labels.contains(&"commuting per student"), "{labels:?}");
    // WPM: once a line is merged, a line with no commuter is not told apart by a `0`.
    let (code, out, err) = run(&["wpm", s(&h("config/wpm-small.json"))]);
    assert_eq!(code, 0, "{err}");
    let commuting_zero = out
        .lines()
        .filter(|l| l.starts_with("car, petrol") || l.starts_with("public transport"))
        .any(|l| l.trim_end().ends_with(" 0"));
    assert!(!commuting_zero, "{out}");
    assert!(out.contains("merged"), "{out}");
}

#[test]
fn a_header_with_too_many_fields_is_refused_before_it_is_split() {
    // Issue 11 class 2: a header line of commas is counted, not split into 2,001 names
    // (a 50 MB one would have become 50 million names).
    let (code, _, err) = run(&["business", s(&h("wide-header.csv"))]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("wide-header.csv:1") && err.contains("2001 columns"),
        "{err}"
    );
}

#[test]
fn long_values_get_no_fuzzy_suggestion_and_cost_no_quadratic_time() {
    // Issue 11 class 2: a 3,000-character mode is rejected as unknown without a "did you
    // mean" (the search is bounded to values of 64 bytes).
    let v = business_json(&h("long-modes.csv"));
    assert_eq!(v["rows_rejected"], 10, "{v}");
    let text = business_text(&h("long-modes.csv")).1;
    assert!(!text.contains("did you mean"), "{text}");
}

#[test]
fn a_file_with_cr_line_endings_loses_no_row() {
    // The fuzz campaign's lone CR: classic Mac line endings used to read as 0 rows.
    let (code, text) = business_text(&h("cr-only.csv"));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("rows: 3 read, 2 used, 1 rejected"), "{text}");
    assert!(text.contains("cr-only.csv:4"), "{text}");
}

/// `footprint scenario` on the privacy fixture with `scenarios`, in `format`.
fn privacy_scenario(config: &Path, scenarios: &[&str], extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["scenario", "--inventory", s(config)];
    let paths: Vec<PathBuf> = scenarios
        .iter()
        .map(|n| h(&format!("scenario/{n}")))
        .collect();
    args.extend(paths.iter().map(|p| s(p)));
    args.extend(extra);
    run(&args)
}

#[test]
fn a_scenario_on_too_few_respondents_is_withheld_in_every_format() {
    // Issue 11 class 14: `group: visitor` (2 respondents, minimum 5) printed "rows matched 2"
    // and its saving. The same run with a minimum of 1 gives the figures that must not show.
    let scratch = tempfile::tempdir().unwrap();
    let open = scratch.path().join("open.json");
    let cfg = std::fs::read_to_string(h("config/privacy.json"))
        .unwrap()
        .replace(
            "\"privacy-survey.csv\",",
            &format!(
                "{:?}, \"min_cell_size\": 1,",
                h("config/privacy-survey.csv")
            ),
        );
    std::fs::write(&open, cfg).unwrap();
    let (code, out, err) = privacy_scenario(&open, &["visitor.json"], &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let secret = v["scenarios"][0]["steps"][0]["saving_t"].as_f64().unwrap();
    assert!(secret > 0.0, "{out}");
    let secret_total = v["scenarios"][0]["totals"]["total_t"].as_f64().unwrap();
    let shown = |x: f64| {
        [
            format!(" {x:.1} "),
            format!("{x:.2}"),
            format!("{x:.3}"),
            format!("{x}"),
        ]
    };

    let cfg = h("config/privacy.json");
    for format in ["table", "json", "csv"] {
        let (code, out, err) = privacy_scenario(&cfg, &["visitor.json"], &["--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        assert!(out.contains("withheld"), "{format}: {out}");
        assert!(
            err.contains("fewer than 5 survey respondents"),
            "{format}: {err}"
        );
        for x in shown(secret).iter().chain(&shown(secret_total)) {
            assert!(!out.contains(x.as_str()), "{format} shows {x}: {out}");
        }
    }
    let (_, out, _) = privacy_scenario(&cfg, &["visitor.json"], &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sc = &v["scenarios"][0];
    let st = &sc["steps"][0];
    assert!(
        st["withheld"].as_str().unwrap().contains("fewer than 5"),
        "{st}"
    );
    for k in [
        "rows_matched",
        "rows_changed",
        "saving_t",
        "commuters_affected",
    ] {
        assert!(st[k].is_null(), "{k}: {st}");
    }
    for k in ["saving_t", "marginal_saving_t", "commuters_affected"] {
        assert!(sc[k].is_null(), "{k}: {sc}");
    }
    assert!(sc["totals"]["total_t"].is_null(), "{sc}");
    // No trajectory line for it (its points would give the saving).
    assert_eq!(
        v["trajectory"]["series"].as_array().unwrap().len(),
        1,
        "{out}"
    );

    // The report: no file of it shows the figures.
    let rep = scratch.path().join("rep");
    let vis = h("scenario/visitor.json");
    let (code, _, err) = run(&[
        "report",
        s(&cfg),
        "--scenarios",
        s(&vis),
        "--quiet",
        "--out",
        s(&rep),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut withheld_seen = false;
    for e in std::fs::read_dir(&rep).unwrap() {
        let p = e.unwrap().path();
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["md", "csv", "html", "json", "txt"].contains(&ext) {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        withheld_seen |= text.contains("withheld");
        for x in shown(secret) {
            assert!(!text.contains(x.as_str()), "{} shows {x}", p.display());
        }
    }
    assert!(withheld_seen, "the report states nothing withheld");
}

#[test]
fn a_withheld_step_cannot_be_computed_from_the_other_figures() {
    // Complementary suppression: with a visible staff step, the scenario's total (and each
    // step's total after) minus the staff saving would give the visitors' saving.
    let cfg = h("config/privacy.json");
    let (code, out, err) =
        privacy_scenario(&cfg, &["staff-and-visitor.json"], &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sc = &v["scenarios"][0];
    assert!(sc["steps"][0]["saving_t"].as_f64().unwrap() > 0.0, "{sc}");
    assert!(sc["steps"][0]["withheld"].is_null(), "{sc}");
    assert!(sc["steps"][1]["saving_t"].is_null(), "{sc}");
    for k in ["saving_t", "marginal_saving_t"] {
        assert!(sc[k].is_null(), "{k}: {sc}");
    }
    assert!(sc["totals"]["total_t"].is_null(), "{sc}");
    for st in sc["steps"].as_array().unwrap() {
        assert!(st["total_after_t"].is_null(), "{st}");
    }
    assert!(sc["withheld"].as_str().is_some(), "{sc}");

    // Combined: the cumulative figures after the withheld scenario would give its marginal
    // saving; the later scenario's own marginal saving stays.
    let (code, out, err) = privacy_scenario(
        &cfg,
        &["visitor.json", "staff.json"],
        &["--format", "json", "--combine"],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let later = &v["scenarios"][1];
    assert!(
        later["marginal_saving_t"].as_f64().unwrap() > 0.0,
        "{later}"
    );
    assert!(later["saving_t"].is_null(), "{later}");
    assert!(later["totals"]["total_t"].is_null(), "{later}");
    assert!(v["combined"]["total_t"].is_null(), "{out}");
    assert_eq!(
        v["trajectory"]["series"].as_array().unwrap().len(),
        1,
        "{out}"
    );

    // A step on 22 respondents alone is not withheld.
    let (_, out, _) = privacy_scenario(&cfg, &["staff.json"], &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["scenarios"][0]["saving_t"].as_f64().unwrap() > 0.0,
        "{out}"
    );
    assert!(v["scenarios"][0]["withheld"].is_null(), "{out}");
}

#[test]
fn combining_many_scenario_files_is_bounded() {
    // Issue 11 class 3: 50 interventions a file, but `--combine` over many files escaped it.
    let dir = tempfile::tempdir().unwrap();
    let ivs = vec![r#"{"type": "reduce", "share": 0.01}"#; 50].join(",");
    let file = dir.path().join("fifty.json");
    std::fs::write(
        &file,
        format!(r#"{{"name": "fifty", "description": "d", "interventions": [{ivs}]}}"#),
    )
    .unwrap();
    let inv = fixture("scenario/inventory.json");
    let f = s(&file);
    let (code, _, err) = run(&[
        "scenario",
        "--inventory",
        s(&inv),
        "--combine",
        f,
        f,
        f,
        "--quiet",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("150 interventions in 3 scenario files") && err.contains("at most 100"),
        "{err}"
    );
}
