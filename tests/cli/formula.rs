//! Formula injection (issue 11 item 13, issue 10 acceptance): every CSV the tool writes —
//! report tables, audit, rejects, `--format csv` of every command — guards the text cells a
//! spreadsheet would run as a formula. One fixture whose ids, departments, origins, scenario
//! names and organisation look like formulas (`-1+HYPERLINK(...)`, `-2+3+cmd|...`, `=1+1`,
//! `@SUM(A1)`, `+cmd`), every command's CSV outputs, every cell checked.

use super::common::s;
use super::{fixture, footprint};
use std::path::{Path, PathBuf};

/// Whether a spreadsheet would run this cell: it starts like a formula and is neither a
/// plain number nor a lone `-`.
fn runs_as_formula(cell: &str) -> bool {
    let plain_number = cell.parse::<f64>().is_ok_and(f64::is_finite)
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number && cell != "-"
}

/// Every cell of `bytes` (a CSV); panics naming `what`, line and cell on the first cell a
/// spreadsheet would run. Returns the cells.
fn check_csv(what: &str, bytes: &[u8]) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut cells = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap_or_else(|e| panic!("{what}: line {}: not CSV: {e}", i + 1));
        for c in rec.iter() {
            assert!(
                !runs_as_formula(c),
                "{what}: line {}: cell {c:?} would run as a formula",
                i + 1
            );
            cells.push(c.to_string());
        }
    }
    assert!(!cells.is_empty(), "{what}: empty");
    cells
}

fn stdout_of(args: &[&str]) -> Vec<u8> {
    let out = footprint().args(args).arg("-q").output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn stdout_no_quiet(args: &[&str]) -> Vec<u8> {
    let out = footprint().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn csv_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("folder") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            csv_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "csv") {
            out.push(p);
        }
    }
}

#[test]
fn every_csv_of_every_command_guards_formula_cells() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let trips = fixture("formula/trips.csv");
    let cfg = fixture("formula/inventory.json");
    let scenario = fixture("formula/no-flights.json");
    let mut all: Vec<String> = Vec::new();

    // business: --format csv, --audit, --rejects
    let (audit, rejects) = (d.join("audit.csv"), d.join("rejects.csv"));
    let table = stdout_no_quiet(&[
        "business",
        s(&trips),
        "--by",
        "department",
        "--format",
        "csv",
        "--audit",
        s(&audit),
        "--rejects",
        s(&rejects),
        "-q",
    ]);
    all.extend(check_csv("business --format csv", &table));
    all.extend(check_csv(
        "business --audit",
        &std::fs::read(&audit).unwrap(),
    ));
    all.extend(check_csv(
        "business --rejects",
        &std::fs::read(&rejects).unwrap(),
    ));
    for by in ["mode", "country"] {
        let t = stdout_of(&["business", s(&trips), "--by", by, "--format", "csv"]);
        all.extend(check_csv(&format!("business --by {by}"), &t));
    }

    // inventory, commute, wpm, scenario: --format csv (and --rejects)
    let inv_rejects = d.join("inv-rejects.csv");
    let t = stdout_no_quiet(&[
        "inventory",
        s(&cfg),
        "--format",
        "csv",
        "--rejects",
        s(&inv_rejects),
    ]);
    all.extend(check_csv("inventory --format csv", &t));
    all.extend(check_csv(
        "inventory --rejects",
        &std::fs::read(&inv_rejects).unwrap(),
    ));
    let com_rejects = d.join("com-rejects.csv");
    let t = stdout_no_quiet(&[
        "commute",
        s(&fixture("formula/survey.csv")),
        "--config",
        s(&cfg),
        "--format",
        "csv",
        "--rejects",
        s(&com_rejects),
    ]);
    all.extend(check_csv("commute --format csv", &t));
    all.extend(check_csv(
        "commute --rejects",
        &std::fs::read(&com_rejects).unwrap(),
    ));
    let t = stdout_no_quiet(&["wpm", s(&cfg), "--format", "csv"]);
    all.extend(check_csv("wpm --format csv", &t));
    let wpm_out = d.join("wpm.csv");
    stdout_no_quiet(&["wpm", s(&cfg), "--format", "csv", "--out", s(&wpm_out)]);
    all.extend(check_csv("wpm --out", &std::fs::read(&wpm_out).unwrap()));
    let t = stdout_of(&[
        "scenario",
        s(&scenario),
        "--inventory",
        s(&cfg),
        "--format",
        "csv",
    ]);
    all.extend(check_csv("scenario --format csv", &t));
    let t = stdout_no_quiet(&["sensitivity", s(&cfg), "--draws", "50", "--format", "csv"]);
    all.extend(check_csv("sensitivity --format csv", &t));

    // trip and compare: their cells are places of the gazetteer, still checked
    let t = stdout_no_quiet(&[
        "trip", "Enschede", "Paris", "--mode", "train", "--format", "csv",
    ]);
    all.extend(check_csv("trip --format csv", &t));
    let t = stdout_no_quiet(&["compare", "Enschede", "Paris", "--format", "csv"]);
    all.extend(check_csv("compare --format csv", &t));

    // report: tables/*.csv, audit.csv, rejects.csv
    let rep = d.join("rep");
    stdout_of(&[
        "report",
        s(&cfg),
        "--scenarios",
        s(&scenario),
        "--out",
        s(&rep),
        "--format",
        "csv",
    ]);
    let mut files = Vec::new();
    csv_files(&rep, &mut files);
    files.sort();
    assert!(files.len() > 3, "report CSVs: {files:?}");
    for f in &files {
        all.extend(check_csv(
            &f.display().to_string(),
            &std::fs::read(f).unwrap(),
        ));
    }

    // The hostile texts did reach the outputs, guarded (so the check above is not vacuous).
    for guarded in [
        "'-1+HYPERLINK(\"http://evil.example\",\"x\")",
        "'-2+3+cmd|' /C calc'!A0",
        "'=1+1",
        "'@SUM(A1)",
        "'+cmd",
        "'=t1",
        "'=cmd|calc",
        "'=bad",
    ] {
        assert!(
            all.iter().any(|c| c == guarded),
            "{guarded} not found in any CSV"
        );
    }
    // A plain number in a text column stays a number.
    assert!(all.iter().any(|c| c == "-1.5"));
}
