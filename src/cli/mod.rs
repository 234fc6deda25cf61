//! Command-line layer: clap types, output formatting, the only code that touches files.

mod business_cmd;
mod charts;
mod files;
mod generate_cmd;
mod inventory_cmd;
mod matrix_cmd;
pub(crate) mod output;
mod place_cmd;
mod report_cmd;
pub(crate) mod scenario_cmd;
mod sensitivity_cmd;
mod serve_cmd;
mod trend_cmd;
mod trip_cmd;
mod web;

use clap::{Parser, Subcommand};
use std::io::Write;

/// Estimate the CO2 footprint of mobility: trips, business travel, commuting, scenarios.
///
/// Offline: places and emission factors are bundled. Every figure says which factor
/// (pack, id, source) produced it.
#[derive(Debug, Parser)]
#[command(name = "footprint", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// A file of place aliases for typos and local names: one `alias<TAB>place` per line
    /// (`;` or `,` also separate; `#` starts a comment), e.g. `Drienerlo<TAB>ut`.
    #[arg(long, global = true, value_name = "FILE")]
    pub aliases: Option<std::path::PathBuf>,
    /// Flight band rule of every command that computes flights: `published` (the pack's
    /// bands, the default) or `smooth` (a linear blend of the adjacent bands' factors within
    /// ±500 km of each edge: no jump at a band edge). Overrides a configuration's
    /// `factors.flight_bands`.
    #[arg(long, global = true, value_name = "RULE", value_parser = parse_flight_bands)]
    pub flight_bands: Option<mobility_footprint::factors::FlightBandRule>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Resolve place names, airport codes, partner ids, postcodes or `lat,lon`.
    Place(place_cmd::PlaceArgs),
    /// List factor packs, or every factor of one pack with its source.
    Factors(place_cmd::FactorsArgs),
    /// Emissions of one journey (legs, total, factor used).
    #[command(allow_negative_numbers = true)]
    Trip(trip_cmd::TripArgs),
    /// Rank the ways to travel between two places by kg CO2e per person.
    #[command(allow_negative_numbers = true)]
    Compare(trip_cmd::CompareArgs),
    /// kg CO2e per person for every ordered pair of places (or of an alliance's partner
    /// cities) × mode, as a table, JSON, CSV or a heat map.
    #[command(allow_negative_numbers = true)]
    Matrix(matrix_cmd::MatrixArgs),
    /// Where should a group meet? Candidate hosts ranked by the participants' total kg CO2e
    /// (each taking their best option, and if all flew), with the per-participant breakdown.
    Meet(matrix_cmd::MeetArgs),
    /// A local web page (compare, partner matrix, meeting planner, scenario playground) and
    /// its JSON API, on loopback by default; nothing is fetched from any other host.
    Serve(serve_cmd::ServeArgs),
    /// Business-travel inventory (GHG scope 3, category 6) of travel-agency, expense or
    /// spreadsheet exports: totals, groups, audit trail and rejected rows.
    Business(business_cmd::BusinessArgs),
    /// Commuting (GHG scope 3, category 7) from a survey, extrapolated to the population per
    /// group, with a bootstrap interval and a minimum cell size for privacy.
    Commute(inventory_cmd::CommuteArgs),
    /// The yearly inventory of a configuration: business travel + commuting by category,
    /// mode, group, department and per capita, with the interval and the baseline comparison.
    Inventory(inventory_cmd::InventoryArgs),
    /// The Dutch WPM table: yearly km per vehicle type and fuel (RVO categories), business
    /// travel and commuting of employees; flights excluded.
    Wpm(inventory_cmd::WpmArgs),
    /// Write synthetic inputs (clearly synthetic, deterministic for a seed) for demos and benchmarks.
    Generate(generate_cmd::GenerateArgs),
    /// The yearly report of an inventory: a self-contained HTML page, Markdown, summary JSON,
    /// CSV tables, a workbook, the audit trail and the rejected rows, in one folder.
    Report(report_cmd::ReportArgs),
    /// Apply reduction scenarios to the inventory's rows and compare them with it: savings
    /// by category and mode, journeys and commuters affected, trajectory, charts.
    Scenario(Box<scenario_cmd::ScenarioArgs>),
    /// How sure are we? The business travel under every sourced method, each assumption at
    /// its low and high value (tornado), and a seeded Monte Carlo interval of the total.
    Sensitivity(sensitivity_cmd::SensitivityArgs),
    /// Year over year: a series of yearly inventories restated with one method, next to the
    /// totals reported at the time; the change since the base year split into activity (km)
    /// and intensity (kg per km) per category and mode; the gap to the target path.
    Trend(trend_cmd::TrendArgs),
}

/// Error type of the binary: a message and an exit code.
#[derive(Debug)]
pub struct CliError {
    /// 1 = data or I/O problem, 2 = usage.
    pub code: i32,
    /// The message (one line, or a few).
    pub message: String,
}

impl CliError {
    /// A data error (exit 1).
    pub fn data(message: impl std::fmt::Display) -> Self {
        CliError {
            code: 1,
            message: message.to_string(),
        }
    }
    /// A usage error (exit 2).
    pub fn usage(message: impl std::fmt::Display) -> Self {
        CliError {
            code: 2,
            message: message.to_string(),
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        // Broken pipes are handled by the caller; everything else is a data/IO error.
        CliError {
            code: 1,
            message: format!("{e:#}"),
        }
    }
}

impl From<mobility_footprint::Error> for CliError {
    fn from(e: mobility_footprint::Error) -> Self {
        CliError::data(e)
    }
}

/// Runs the command line and returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse_from(std::env::args_os().map(protect_coordinates)) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    if let Err(e) = init_places(cli.aliases.as_deref()) {
        eprintln!("footprint: error: {}", e.message);
        return e.code;
    }
    if let Some(r) = cli.flight_bands {
        let _ = FLIGHT_BANDS.set(r);
    }
    let mut out = std::io::stdout().lock();
    let result = match cli.command {
        Command::Place(a) => place_cmd::place(a, &mut out),
        Command::Factors(a) => place_cmd::factors(a, &mut out),
        Command::Trip(a) => trip_cmd::trip(a, &mut out),
        Command::Compare(a) => trip_cmd::compare(a, &mut out),
        Command::Matrix(a) => matrix_cmd::matrix(a, &mut out),
        Command::Meet(a) => matrix_cmd::meet(a, &mut out),
        Command::Serve(a) => serve_cmd::serve(a, &mut out),
        Command::Business(a) => business_cmd::business(a, &mut out),
        Command::Commute(a) => inventory_cmd::commute(a, &mut out),
        Command::Inventory(a) => inventory_cmd::inventory(a, &mut out),
        Command::Wpm(a) => inventory_cmd::wpm(a, &mut out),
        Command::Generate(a) => generate_cmd::generate(a, &mut out),
        Command::Report(a) => report_cmd::report(a, &mut out),
        Command::Scenario(a) => scenario_cmd::scenario(*a, &mut out),
        Command::Sensitivity(a) => sensitivity_cmd::sensitivity(a, &mut out),
        Command::Trend(a) => trend_cmd::trend(a, &mut out),
    };
    let flushed = out.flush();
    match result {
        Ok(()) => match flushed {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                eprintln!("footprint: error: {e}");
                1
            }
            Ok(()) => 0,
        },
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!("footprint: error: {}", e.message);
            e.code
        }
    }
}

static PLACES: std::sync::OnceLock<mobility_footprint::places::Gazetteer> =
    std::sync::OnceLock::new();

static FLIGHT_BANDS: std::sync::OnceLock<mobility_footprint::factors::FlightBandRule> =
    std::sync::OnceLock::new();

/// The global `--flight-bands` of this run, if given.
pub(crate) fn flight_bands() -> Option<mobility_footprint::factors::FlightBandRule> {
    FLIGHT_BANDS.get().copied()
}

fn parse_flight_bands(s: &str) -> Result<mobility_footprint::factors::FlightBandRule, String> {
    mobility_footprint::factors::FlightBandRule::parse(s)
        .ok_or_else(|| format!("`{s}`: expected `published` or `smooth`"))
}

/// Sizes the global thread pool for `-j N` (the default is one thread per core). Only the
/// first call in a process can size it; each command makes one call, before any parallel work
/// (the gazetteer's build included).
pub(crate) fn set_jobs(jobs: Option<u16>) {
    if let Some(j) = jobs {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(j))
            .build_global();
    }
}

/// The gazetteer of this run: the bundled tables plus the user's `--aliases` file.
pub fn places() -> &'static mobility_footprint::places::Gazetteer {
    PLACES.get_or_init(|| mobility_footprint::places::Gazetteer::bundled().clone())
}

/// The global `--aliases` file of this run, if any (an input no output may overwrite).
pub(crate) fn aliases_file() -> Option<&'static std::path::Path> {
    ALIASES_FILE.get().map(std::path::PathBuf::as_path)
}

static ALIASES_FILE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

fn init_places(aliases: Option<&std::path::Path>) -> Result<(), CliError> {
    let Some(path) = aliases else { return Ok(()) };
    let _ = ALIASES_FILE.set(path.to_path_buf());
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::data(format!("cannot read alias file {}: {e}", path.display())))?;
    let mut g = mobility_footprint::places::Gazetteer::bundled().clone();
    g.add_aliases_tsv(&text)
        .map_err(|e| CliError::data(format!("{}: {e}", path.display())))?;
    let _ = PLACES.set(g);
    Ok(())
}

/// `-33.9,151.2` would be read as a flag: a leading space keeps it a value (places are trimmed).
fn protect_coordinates(arg: std::ffi::OsString) -> std::ffi::OsString {
    let Some(s) = arg.to_str() else { return arg };
    let looks_like_coordinates = s.starts_with('-')
        && s[1..].starts_with(|c: char| c.is_ascii_digit())
        && s.contains([',', ' ', ';'])
        && s[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | ';' | '-'));
    if looks_like_coordinates {
        format!(" {s}").into()
    } else {
        arg
    }
}

fn is_broken_pipe(e: &CliError) -> bool {
    e.message.contains("Broken pipe")
}

/// Maps an I/O error while writing output to a CliError.
pub fn io_err(e: std::io::Error) -> CliError {
    CliError::data(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
