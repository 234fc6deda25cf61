//! `report`: the files, their determinism, escaping, refusal to overwrite inputs, and the page
//! rendered by a real browser (headless Chromium).

use super::footprint;
use mobility_footprint::report::html::audit;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const XSS_CONFIG: &str = "tests/fixtures/report/inventory-xss.json";

/// Runs `footprint report` from the repository root (paths in the report are as written).
fn report(args: &[&str]) -> std::process::Output {
    footprint()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("report")
        .args(args)
        .output()
        .unwrap()
}

fn report_ok(config: &str, out: &Path, extra: &[&str]) {
    let mut args = vec![config, "--out", out.to_str().unwrap(), "--quiet"];
    args.extend(extra);
    let o = report(&args);
    assert!(
        o.status.success(),
        "report failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    super::common::files_under(dir)
}

fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        files
            .get(name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone(),
    )
    .unwrap()
}

#[test]
fn report_writes_every_format_and_is_byte_identical_between_runs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    report_ok(XSS_CONFIG, a.path(), &["--date", "2026-01-15"]);
    report_ok(XSS_CONFIG, b.path(), &["--date", "2026-01-15"]);
    let fa = files(a.path());
    let fb = files(b.path());
    for name in [
        "index.html",
        "report.md",
        "summary.json",
        "report.xlsx",
        "audit.csv",
        "rejects.csv",
        "tables/by-department.csv",
        "tables/by-mode.csv",
        "charts/destinations.svg",
    ] {
        assert!(fa.contains_key(name), "missing {name}: {:?}", fa.keys());
    }
    assert!(
        !fa.keys().any(|k| k.contains(".tmp-")),
        "temporary file left"
    );
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between runs");
    }
    // The date comes from --date only.
    assert!(text(&fa, "index.html").contains("Generated 2026-01-15 by mobility-footprint"));
    let c = tempfile::tempdir().unwrap();
    report_ok(XSS_CONFIG, c.path(), &["--format", "html"]);
    let fc = files(c.path());
    assert_eq!(
        fc.keys().collect::<Vec<_>>(),
        [".footprint-report-files", "index.html"]
    );
    // A run with fewer formats over a full report removes what it no longer writes (and only
    // that: a file of the user's stays).
    std::fs::write(a.path().join("notes.txt"), "mine").unwrap();
    report_ok(XSS_CONFIG, a.path(), &["--format", "html,json"]);
    assert_eq!(
        files(a.path()).keys().collect::<Vec<_>>(),
        [
            ".footprint-report-files",
            "index.html",
            "notes.txt",
            "summary.json"
        ]
    );
    assert!(!text(&fc, "index.html").contains("Generated 2"));
}

#[test]
fn the_page_is_structurally_valid_and_hostile_names_show_as_text() {
    let dir = tempfile::tempdir().unwrap();
    report_ok(XSS_CONFIG, dir.path(), &[]);
    let f = files(dir.path());
    let page = text(&f, "index.html");
    assert_eq!(audit(&page), Vec::<String>::new());
    assert_eq!(page.matches("<title>").count(), 1);
    assert!(page.contains("<html lang=\"en\">"));
    assert!(!page.to_lowercase().contains("<script"), "raw script tag");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("R&amp;D &lt;b&gt;lab&lt;/b&gt;"));
    // Inside the department chart, too.
    let svg_start = page.find("id=\"chart-by-department\"").unwrap();
    let svg = &page[svg_start..svg_start + page[svg_start..].find("</svg>").unwrap()];
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Every <svg> has a text alternative.
    assert_eq!(
        page.matches("<svg").count(),
        page.matches("role=\"img\" aria-labelledby=").count()
    );
    for (name, bytes) in &f {
        if name.ends_with(".svg") || name.ends_with(".md") {
            let t = String::from_utf8_lossy(bytes).to_lowercase();
            assert!(!t.contains("<script"), "raw script tag in {name}");
        }
    }
    let md = text(&f, "report.md");
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let csv = text(&f, "tables/by-department.csv");
    assert!(
        csv.contains("'=HYPERLINK"),
        "formula not neutralised:\n{csv}"
    );

    // The workbook holds the names as plain strings, never as formulas.
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(f["report.xlsx"].clone())).expect("workbook opens");
    let sheet = wb
        .sheet_names()
        .into_iter()
        .find(|n| n.starts_with("Business travel by department"))
        .expect("department sheet");
    let range = wb.worksheet_range(&sheet).unwrap();
    let cells: Vec<&Data> = range.cells().map(|(_, _, c)| c).collect();
    assert!(cells.contains(&&Data::String("<script>alert(1)</script>".into())));
    assert!(cells.contains(&&Data::String("=HYPERLINK(\"evil.example\",\"x\")".into())));
    let formulas = wb.worksheet_formula(&sheet).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

const EXAMPLE: &str = "data/examples/ut/inventory.json";

/// The bundled example scenarios, in the order the shell expands `data/scenarios/*.json`.
fn example_scenarios() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| format!("data/scenarios/{n}"))
        .collect();
    v.sort();
    v
}

/// JSON printed by a `footprint` command run from the repository root.
fn command_json(args: &[&str]) -> serde_json::Value {
    let o = footprint()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn summary_json_equals_the_inventory_and_scenario_commands() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = example_scenarios();
    let mut args = vec!["--format", "json", "--scenarios"];
    args.extend(scenarios.iter().map(String::as_str));
    report_ok(EXAMPLE, dir.path(), &args);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("summary.json")).unwrap()).unwrap();

    let inv = command_json(&["inventory", EXAMPLE, "--format", "json"]);
    assert_eq!(v["results"]["inventory"], inv, "inventory numbers differ");
    let mut sc_args = vec!["scenario"];
    sc_args.extend(scenarios.iter().map(String::as_str));
    sc_args.extend(["--inventory", EXAMPLE, "--format", "json", "--quiet"]);
    let sc = command_json(&sc_args);
    assert_eq!(v["results"]["scenarios"], sc, "scenario numbers differ");

    // The page's figures are those numbers.
    let h = &v["headline"];
    assert_eq!(h["total_t"]["value"], inv["total"]["co2e_t"]);
    let cat = |key: &str| {
        inv["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == key)
            .unwrap()["co2e_t"]
            .clone()
    };
    assert_eq!(h["business_t"]["value"], cat("business"));
    assert_eq!(h["commuting_t"]["value"], cat("commuting"));
    assert_eq!(
        h["baseline_difference_pct"]["value"],
        inv["baseline"]["difference_pct"]
    );
    assert_eq!(
        h["commuting_interval_low_t"]["value"],
        inv["commuting"]["interval"]["low_t"]
    );
    let best = sc["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["saving_t"].as_f64().unwrap())
        .fold(f64::MIN, f64::max);
    assert_eq!(h["best_scenario_saving_t"]["value"].as_f64(), Some(best));
    let scenario_rows = v["tables"]["scenarios"]["rows"].as_array().unwrap();
    assert_eq!(scenario_rows.len(), scenarios.len() + 1);
    for (row, s) in scenario_rows[1..]
        .iter()
        .zip(sc["scenarios"].as_array().unwrap())
    {
        assert_eq!(row["total_t"], s["totals"]["total_t"]);
        assert_eq!(row["saving_t"], s["saving_t"]);
    }
    let files = v["tables"]["input-files"]["rows"].as_array().unwrap();
    for (row, q) in files
        .iter()
        .zip(inv["data_quality"]["files"].as_array().unwrap())
    {
        assert_eq!(row["file"], q["file"]);
        assert_eq!(row["rows_rejected"].as_f64(), q["rows_rejected"].as_f64());
    }
}

#[test]
fn the_report_never_overwrites_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // A configuration called summary.json, with its data next to it, reported into its folder.
    let cfg = std::fs::read_to_string(root.join(XSS_CONFIG))
        .unwrap()
        .replace("../commute/survey-10.csv", "survey-10.csv");
    std::fs::write(dir.path().join("summary.json"), &cfg).unwrap();
    std::fs::copy(
        root.join("tests/fixtures/report/trips-xss.csv"),
        dir.path().join("trips-xss.csv"),
    )
    .unwrap();
    std::fs::copy(
        root.join("tests/fixtures/commute/survey-10.csv"),
        dir.path().join("survey-10.csv"),
    )
    .unwrap();
    let config = dir.path().join("summary.json");
    let o = footprint()
        .args(["report", config.to_str().unwrap(), "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("refusing to write"), "{err}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), cfg);
    assert!(!dir.path().join("index.html").exists());
}

#[test]
fn an_unwritable_folder_fails_without_a_partial_report() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "a file where the report folder should go").unwrap();
    let o = report(&[
        XSS_CONFIG,
        "--out",
        blocker.join("report").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing was written"));
    assert_eq!(
        files(dir.path()).keys().collect::<Vec<_>>(),
        ["not-a-folder"]
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let o = report(&[XSS_CONFIG, "--date", "2026-02-30"]);
    assert_eq!(o.status.code(), Some(2));
    let o = report(&[XSS_CONFIG, "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Runs a command with its output going to files (a full pipe would block it), killing it
/// after `limit`; returns (stdout, stderr).
fn run_with_timeout(cmd: &mut Command, dir: &Path, limit: Duration) -> (String, String) {
    let out_path = dir.join("stdout.txt");
    let err_path = dir.join("stderr.txt");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish in {limit:?}: {}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default(),
    )
}

/// Headless Chromium with no network, no first-run or background activity.
fn chromium(profile: &Path) -> Command {
    let mut c = Command::new("chromium");
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn chromium_available() -> bool {
    Command::new("chromium")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The page, rendered by a real browser: the screenshot is not blank, and the DOM the browser
/// built has every chart. Without Chromium the test fails in CI (`CI` set; `.ci/run`
/// installs it) and is skipped with a notice elsewhere.
#[test]
fn a_real_browser_renders_the_page_with_its_charts() {
    if !chromium_available() {
        if std::env::var_os("CI").is_some() {
            panic!("chromium is not installed; .ci/run installs it (apt-get install chromium)");
        }
        eprintln!("NOTICE: chromium not found: skipping the browser check of the report page");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    report_ok(XSS_CONFIG, &out, &["--format", "html"]);
    let page: PathBuf = out.join("index.html");
    let url = format!("file://{}", page.display());
    let expected_charts = std::fs::read_to_string(&page)
        .unwrap()
        .matches("<svg")
        .count();
    assert!(expected_charts >= 4, "{expected_charts} charts");

    let shot = dir.path().join("shot.png");
    let (_, stderr) = run_with_timeout(
        chromium(&dir.path().join("profile"))
            .arg(format!("--screenshot={}", shot.display()))
            .arg("--window-size=1280,4000")
            .arg(&url),
        dir.path(),
        Duration::from_secs(120),
    );
    assert!(shot.exists(), "no screenshot: {stderr}");
    let img = image::open(&shot).expect("screenshot decodes").to_rgb8();
    assert_eq!((img.width(), img.height()), (1280, 4000));
    let total = u64::from(img.width()) * u64::from(img.height());
    let non_white = img.pixels().filter(|p| p.0 != [255, 255, 255]).count() as u64;
    assert!(
        non_white * 20 > total,
        "the page looks blank: {non_white} of {total} pixels are not white"
    );
    // The cover band (the accent colour) is at the top.
    assert_eq!(img.get_pixel(5, 5).0, [0x16, 0x32, 0x4F], "no cover band");
    let colours: std::collections::HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 200, "only {} colours", colours.len());

    let (dom, stderr) = run_with_timeout(
        chromium(&dir.path().join("profile2"))
            .arg("--dump-dom")
            .arg(&url),
        dir.path(),
        Duration::from_secs(120),
    );
    assert!(dom.contains("</html>"), "no DOM: {stderr}");
    assert_eq!(
        dom.matches("<svg").count(),
        expected_charts,
        "charts in the DOM"
    );
    assert!(!dom.contains("<script"), "the browser found a script");
}

/// The README's main command, as the shell runs it.
const README_COMMAND: &str = "cargo run --release -- report data/examples/ut/inventory.json --series data/examples/ut/series.json --scenarios data/scenarios/*.json";

/// `reports/` holds what the README's main command writes; regenerating it (here with one
/// thread, into a temporary folder) gives the same bytes.
#[test]
fn the_committed_example_report_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(README_COMMAND),
        "the README's main command is no longer `{README_COMMAND}`: update this test"
    );
    // The folder the command writes to by default.
    let cfg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(EXAMPLE)).unwrap()).unwrap();
    let folder = format!(
        "{}-{}",
        mobility_footprint::report::text::slug(cfg["organisation"].as_str().unwrap()),
        cfg["year"]
    );
    let committed = root.join("reports").join(&folder);
    assert!(committed.is_dir(), "no {}", committed.display());

    let dir = tempfile::tempdir().unwrap();
    let scenarios = example_scenarios();
    let mut args = vec![
        "-j",
        "1",
        "--series",
        "data/examples/ut/series.json",
        "--scenarios",
    ];
    args.extend(scenarios.iter().map(String::as_str));
    report_ok(EXAMPLE, dir.path(), &args);
    let fresh = files(dir.path());
    let old = files(&committed);
    let regenerate = format!("regenerate it with `{README_COMMAND}`");
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        old.keys().collect::<Vec<_>>(),
        "reports/{folder} has other files than the command writes: {regenerate}"
    );
    let stale: Vec<&String> = fresh
        .iter()
        .filter(|(name, bytes)| old[*name] != **bytes)
        .map(|(name, _)| name)
        .collect();
    assert!(
        stale.is_empty(),
        "reports/{folder} is out of date ({stale:?} differ): {regenerate}"
    );
    assert_eq!(audit(&text(&fresh, "index.html")), Vec::<String>::new());
}
