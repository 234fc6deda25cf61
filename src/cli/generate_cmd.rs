//! `footprint generate`: synthetic inputs for demos, tests and benchmarks.

use super::CliError;
use clap::{Args, Subcommand};
use mobility_footprint::commute::synthetic::{SurveyOptions, survey_csv};
use mobility_footprint::generate::{GenerateOptions, business_export};
use mobility_footprint::places::Gazetteer;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Arguments of `footprint generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What to generate.
    #[command(subcommand)]
    pub what: Generate,
}

/// Kinds of synthetic data.
#[derive(Debug, Subcommand)]
pub enum Generate {
    /// A synthetic business-travel export (CSV): UT departments, partner and European
    /// destinations, mode by distance. Deterministic for a seed.
    Business(GenerateBusinessArgs),
    /// A synthetic commuting survey (CSV) for a UT-sized university: staff, PhD candidates
    /// and students, homes as Dutch postcodes around Enschede (and some German towns), mode
    /// by distance. Deterministic for a seed.
    Commute(GenerateCommuteArgs),
}

/// Arguments of `footprint generate commute`.
#[derive(Debug, Args)]
pub struct GenerateCommuteArgs {
    /// Number of respondents (valid rows).
    #[arg(long, default_value_t = 1500)]
    pub respondents: u64,
    /// Random seed; the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Rows appended that must be rejected: unknown postcode, 8 days a week, negative
    /// distance, unknown mode (in turn).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub broken: u64,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn share(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("must be between 0 and 1, got {s}"))
    }
}

/// Arguments of `footprint generate business`.
#[derive(Debug, Args)]
pub struct GenerateBusinessArgs {
    /// Number of rows.
    #[arg(long, default_value_t = 1000)]
    pub rows: u64,
    /// Random seed; the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Share of messy rows (0–1): Dutch modes and booleans, decimal commas, day-first dates,
    /// and rows that must be rejected (misspelled or unknown cities, empty destination,
    /// negative travellers, unknown mode).
    #[arg(long, value_parser = share, default_value_t = 0.0, value_name = "SHARE")]
    pub messy: f64,
    /// Year of the trips.
    #[arg(long, default_value_t = 2025)]
    pub year: i32,
}

/// Runs `footprint generate`.
pub fn generate<W: Write>(a: GenerateArgs, out: &mut W) -> Result<(), CliError> {
    match a.what {
        Generate::Business(b) => {
            let opts = GenerateOptions {
                rows: b.rows,
                seed: b.seed,
                messy_share: b.messy,
                year: b.year,
            };
            let g = Gazetteer::bundled();
            match &b.out {
                Some(p) => {
                    let mut f = super::files::Output::open(&super::files::Disk, p)?;
                    match business_export(g, &opts, &mut f) {
                        Ok(()) => f.commit(),
                        Err(e) => {
                            f.discard();
                            Err(CliError::data(format!("{}: {e}", p.display())))
                        }
                    }
                }
                None => business_export(g, &opts, BufWriter::new(out)).map_err(CliError::data),
            }
        }
        Generate::Commute(c) => {
            let opts = SurveyOptions {
                respondents: c.respondents,
                seed: c.seed,
                broken_rows: c.broken,
            };
            let mut buf = Vec::new();
            survey_csv(Gazetteer::bundled(), &opts, &mut buf).map_err(CliError::data)?;
            match &c.out {
                Some(p) => super::files::write_file(&super::files::Disk, p, &buf),
                None => out.write_all(&buf).map_err(super::io_err),
            }
        }
    }
}
