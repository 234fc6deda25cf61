//! The page in a real browser: `tests/browser/page.cjs` (Playwright core driving Debian's
//! Chromium) against a `footprint serve` started here.
//!
//! Needs node, `/usr/bin/chromium` (or `CHROMIUM`) and playwright-core installed from
//! `tests/browser/package-lock.json` into `target/browser-deps/` (`.ci/run` does it; or
//! `PLAYWRIGHT_DIR`). Without them the test fails when `CI` is set and is skipped with a
//! message otherwise.

use super::serve::Server;
use std::path::{Path, PathBuf};

fn missing_tool(what: &str) {
    let message = format!(
        "browser test needs {what}; run `.ci/run` or: apt-get install chromium && \
         cp tests/browser/package*.json target/browser-deps/ && npm ci --prefix target/browser-deps"
    );
    if std::env::var_os("CI").is_some_and(|v| v == "true" || v == "1") {
        panic!("{message}");
    }
    eprintln!("SKIPPED: {message}");
}

#[test]
fn the_page_works_in_a_real_browser_with_mouse_and_keyboard() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let deps = std::env::var_os("PLAYWRIGHT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/browser-deps"));
    let node_ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok {
        return missing_tool("node");
    }
    if !chromium.exists() {
        return missing_tool(&format!("Chromium at {}", chromium.display()));
    }
    if !deps.join("node_modules/playwright-core").exists() {
        return missing_tool(&format!("playwright-core in {}", deps.display()));
    }
    let inventory = root.join("data/examples/ut/inventory.json");
    let server = Server::start(&["--inventory", inventory.to_str().unwrap()]);
    // Screenshots go to target/browser-screenshots/ (outside the source tree) to be looked at.
    let shots = std::env::var_os("SHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/browser-screenshots"));
    std::fs::create_dir_all(&shots).unwrap();
    let out = std::process::Command::new("node")
        .arg(root.join("tests/browser/page.cjs"))
        .env("FOOTPRINT_URL", server.url())
        .env("PLAYWRIGHT_DIR", &deps)
        .env("CHROMIUM", &chromium)
        .env("SHOTS", &shots)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test failed\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("ok - keyboard: Enter picks Enschede"),
        "{stdout}"
    );
    assert!(stdout.contains("ok - no console errors"), "{stdout}");
}
