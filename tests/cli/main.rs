//! Command-line integration tests: one binary, one module per command.

mod bands;
mod browser;
mod business;
mod code_shape;
mod commute;
mod formula;
mod hostile;
mod outputs;
mod plan;
mod report;
mod scenario;
mod sensitivity;
mod serve;
mod trend;
mod trip;

use assert_cmd::Command;

/// The `footprint` binary with a clean environment (backtraces on, so a panic would show).
pub fn footprint() -> Command {
    let mut c = Command::cargo_bin("footprint").expect("binary builds");
    c.env("RUST_BACKTRACE", "1").env_remove("CI_FORCE_COLOR");
    c
}

/// Path of a committed fixture.
pub fn fixture(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}
