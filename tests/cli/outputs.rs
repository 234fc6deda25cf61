//! Outputs never overwrite inputs or each other, `-` is standard output, and the report never
//! writes or deletes through a symbolic link (issue 11 items 11–12).

use super::common::s;
use super::{fixture, footprint};
use std::path::{Path, PathBuf};

/// A copy of the scenario fixture (configuration, export, survey) in a temporary folder.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for f in ["inventory.json", "trips.csv", "survey.csv"] {
        std::fs::copy(fixture(&format!("scenario/{f}")), dir.path().join(f)).unwrap();
    }
    let cfg = dir.path().join("inventory.json");
    (dir, cfg)
}

/// Runs the command in `cwd`, expects exit 2 and a message naming `needle`, and checks that
/// no file of `cwd` changed and none was added.
fn refused(cwd: &Path, args: &[&str], needle: &str) {
    let before = listing(cwd);
    let out = footprint().current_dir(cwd).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert_eq!(listing(cwd), before, "{args:?} changed the folder");
}

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn no_command_writes_over_its_inputs() {
    let (dir, cfg) = workspace();
    let d = dir.path();
    let trips = d.join("trips.csv");
    let survey = d.join("survey.csv");
    let pop = d.join("population.json");
    std::fs::copy(fixture("commute/population.json"), &pop).unwrap();
    let over = "over the input file";
    std::fs::create_dir(d.join("x")).unwrap();
    refused(d, &["business", s(&trips), "--audit", s(&trips)], over);
    refused(
        d,
        &["business", "trips.csv", "--rejects", "./x/../trips.csv"],
        over,
    );
    refused(d, &["inventory", s(&cfg), "--rejects", s(&cfg)], over);
    refused(d, &["inventory", s(&cfg), "--rejects", s(&survey)], over);
    refused(
        d,
        &[
            "commute",
            s(&survey),
            "--population",
            s(&pop),
            "--rejects",
            s(&survey),
        ],
        over,
    );
    refused(
        d,
        &[
            "commute",
            s(&survey),
            "--population",
            s(&pop),
            "--rejects",
            s(&pop),
        ],
        over,
    );
    refused(
        d,
        &[
            "commute",
            s(&survey),
            "--config",
            s(&cfg),
            "--rejects",
            s(&trips),
        ],
        over,
    );
    refused(d, &["wpm", s(&cfg), "--out", s(&trips)], over);
    refused(d, &["wpm", s(&cfg), "--out", "inventory.json"], over);
}

#[test]
fn two_outputs_on_one_file_are_refused() {
    let (dir, _) = workspace();
    let d = dir.path();
    refused(
        d,
        &[
            "business",
            "trips.csv",
            "--audit",
            "x.csv",
            "--rejects",
            "./x.csv",
        ],
        "--audit and --rejects both name",
    );
    refused(
        d,
        &["business", "trips.csv", "--audit", "-", "--rejects", "-"],
        "standard output",
    );
}

#[test]
fn a_dash_writes_to_standard_output() {
    let (dir, cfg) = workspace();
    let d = dir.path();
    let out = footprint()
        .current_dir(d)
        .args(["business", "trips.csv", "--audit", "-", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("file,line,id,status,"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1 + 6, "header and one line per row");
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"co2e_kg\""));
    assert!(!d.join("-").exists(), "a file named `-` was created");

    let out = footprint()
        .current_dir(d)
        .args(["inventory", s(&cfg), "--rejects", "-", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("category,file,line,reason,"), "{stdout}");
    assert!(!d.join("-").exists());

    let out = footprint()
        .current_dir(d)
        .args(["wpm", s(&cfg), "--out", "-", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!out.stdout.is_empty());
    assert!(!d.join("-").exists());
}

#[cfg(unix)]
#[test]
fn the_report_never_writes_or_deletes_through_a_symbolic_link() {
    let (dir, cfg) = workspace();
    let d = dir.path();
    let elsewhere = d.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("victim.txt"), "keep me").unwrap();
    std::fs::write(d.join("outside.txt"), "keep me too").unwrap();
    let rep = d.join("rep");
    std::fs::create_dir(&rep).unwrap();
    std::os::unix::fs::symlink(&elsewhere, rep.join("charts")).unwrap();

    // Charts would go through the link: refused, nothing written on either side.
    let out = footprint()
        .args(["report", s(&cfg), "--out", s(&rep), "--format", "md", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
    assert!(!rep.join("report.md").exists());

    // A planted manifest naming files through the link, outside and absolute: none deleted.
    std::fs::write(
        rep.join(".footprint-report-files"),
        format!(
            "charts/victim.txt\n../outside.txt\n{}\n",
            d.join("outside.txt").display()
        ),
    )
    .unwrap();
    let out = footprint()
        .args([
            "report",
            s(&cfg),
            "--out",
            s(&rep),
            "--format",
            "html",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(rep.join("index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("victim.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("outside.txt")).unwrap(),
        "keep me too"
    );
}
