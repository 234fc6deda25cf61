//! `footprint sensitivity`: how sure are we? Methods, tornado and Monte Carlo interval.

use super::files::{self, Disk};
use super::inventory_cmd::{load_rows, read_config};
use super::output::{Format, Table, json, num};
use super::{CliError, io_err};
use clap::Args;
use mobility_footprint::factors::PackSet;
use mobility_footprint::inventory::EvalOptions;
use mobility_footprint::sensitivity::montecarlo::Spread;
use mobility_footprint::sensitivity::{Options, Ranges, SensitivityResult, analyse, charts};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `footprint sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The inventory configuration (JSON); paths in it are relative to it.
    #[arg(value_name = "CONFIG")]
    pub config: PathBuf,
    /// Monte Carlo draws (0: no Monte Carlo interval).
    #[arg(long, value_name = "N", default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub draws: u32,
    /// Seed of the draws (default: the configuration's bootstrap seed). The same seed gives
    /// the same output.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Ranges of the assumptions (JSON, like the bundled `data/uncertainty.json`).
    #[arg(long, value_name = "FILE")]
    pub ranges: Option<PathBuf>,
    /// Output format (`csv`: one flat table of every section).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Write the method comparison and tornado charts (SVG and PNG) into this folder.
    #[arg(long, value_name = "DIR")]
    pub chart_dir: Option<PathBuf>,
    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// Runs `footprint sensitivity`.
pub fn sensitivity<W: Write>(a: SensitivityArgs, out: &mut W) -> Result<(), CliError> {
    super::set_jobs(a.jobs);
    let ranges = match &a.ranges {
        None => Ranges::bundled(),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| CliError::data(format!("{}: {e}", p.display())))?;
            Ranges::from_json(&p.display().to_string(), &text).map_err(CliError::data)?
        }
    };
    let cfg = read_config(&a.config)?;
    let mut rows = load_rows(&cfg)?;
    let opts = EvalOptions::from_config(&cfg);
    let o = Options {
        draws: a.draws,
        seed: a.seed.unwrap_or(opts.bootstrap.seed),
        ranges,
    };
    let r = analyse(PackSet::bundled(), &mut rows, &opts, &o).map_err(CliError::data)?;
    if let Some(dir) = &a.chart_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::data(format!("cannot create {}: {e}", dir.display())))?;
        let images = charts::all(&r).map_err(CliError::data)?;
        let paths: Vec<PathBuf> = images.iter().map(|(name, _)| dir.join(name)).collect();
        let mut inputs = super::inventory_cmd::config_inputs(&a.config, &cfg);
        inputs.extend(a.ranges.clone());
        let outputs: Vec<(&str, &std::path::Path)> =
            paths.iter().map(|p| ("--chart-dir", p.as_path())).collect();
        files::check_outputs(&outputs, &inputs)?;
        for (path, (_, bytes)) in paths.iter().zip(&images) {
            files::write_file(&Disk, path, bytes)?;
        }
    }
    match a.format {
        Format::Json => json(out, &r),
        Format::Csv => csv(out, &r),
        Format::Table => table(out, &r),
    }
}

fn t(kg: f64) -> String {
    num(kg / 1000.0, 1)
}

fn table<W: Write>(out: &mut W, r: &SensitivityResult) -> Result<(), CliError> {
    let p = &r.point;
    writeln!(out, "How sure are we? {} {}", r.organisation, r.year).map_err(io_err)?;
    write!(out, "Total {} t CO2e", t(p.total_kg)).map_err(io_err)?;
    if let Some(mc) = &r.monte_carlo {
        write!(
            out,
            "; 95 % interval {} to {} t ({} draws, seed {}, every range and the survey together)",
            t(mc.total.low_kg),
            t(mc.total.high_kg),
            mc.draws,
            mc.seed
        )
        .map_err(io_err)?;
    }
    writeln!(out).map_err(io_err)?;

    writeln!(
        out,
        "\nMethods on the same business journeys (configured: {} t, flights {} t)",
        t(p.business_kg),
        t(p.flights_kg)
    )
    .map_err(io_err)?;
    let mut tab = Table::new(&[
        "method",
        ">business t",
        ">flights t",
        ">vs configured",
        "grade",
    ]);
    for m in &r.methods {
        tab.row(vec![
            m.label.clone(),
            t(m.business_kg),
            t(m.flights_kg),
            format!("{:+.1} %", m.difference_pct),
            m.grade.clone(),
        ]);
    }
    tab.write(out)?;
    for m in &r.methods_left_out {
        writeln!(out, "  left out: {} — {}", m.label, m.reason).map_err(io_err)?;
    }

    writeln!(out, "\nWhat moves the total (one assumption at a time)").map_err(io_err)?;
    let mut tab = Table::new(&[
        "assumption",
        "low",
        "base",
        "high",
        ">total low t",
        ">total high t",
        ">swing t",
        "grade",
    ]);
    for b in &r.tornado {
        tab.row(vec![
            b.label.clone(),
            b.low.clone(),
            b.base.clone(),
            b.high.clone(),
            t(b.low_total_kg),
            t(b.high_total_kg),
            t(b.swing_kg),
            b.grade.clone(),
        ]);
    }
    tab.write(out)?;
    for s in &r.tornado_left_out {
        writeln!(out, "  not shown: {s}").map_err(io_err)?;
    }
    if let Some(mc) = &r.monte_carlo {
        writeln!(out, "\nMonte Carlo 95 % interval").map_err(io_err)?;
        let mut tab = Table::new(&["", ">low t", ">median t", ">high t"]);
        let spread_row = |label: &str, sp: &Spread| {
            vec![
                label.to_string(),
                t(sp.low_kg),
                t(sp.median_kg),
                t(sp.high_kg),
            ]
        };
        tab.row(spread_row("total", &mc.total));
        for c in &mc.categories {
            tab.row(spread_row(c.key, &c.spread));
        }
        tab.write(out)?;
        writeln!(out, "\nShare of the spread each assumption explains").map_err(io_err)?;
        let mut tab = Table::new(&["assumption", ">share"]);
        for e in &mc.explained {
            tab.row(vec![e.label.clone(), format!("{:.1} %", e.share_pct)]);
        }
        tab.write(out)?;
        for n in &r.not_drawn {
            writeln!(out, "  {n}").map_err(io_err)?;
        }
    }
    writeln!(out, "\nRanges: {}", r.ranges_file).map_err(io_err)
}

fn csv<W: Write>(out: &mut W, r: &SensitivityResult) -> Result<(), CliError> {
    let mut tab = Table::new(&[
        "section", "id", "label", "low", "base", "high", "value_kg", "low_kg", "high_kg", "note",
    ]);
    let s = |v: f64| format!("{v}");
    tab.row(vec![
        "point".into(),
        "total".into(),
        "inventory total".into(),
        String::new(),
        String::new(),
        String::new(),
        s(r.point.total_kg),
        String::new(),
        String::new(),
        String::new(),
    ]);
    for m in &r.methods {
        tab.row(vec![
            "method".into(),
            m.id.clone(),
            m.label.clone(),
            String::new(),
            String::new(),
            String::new(),
            s(m.business_kg),
            String::new(),
            String::new(),
            format!("flights {} kg; {}", m.flights_kg, m.includes),
        ]);
    }
    for m in &r.methods_left_out {
        tab.row(vec![
            "method_left_out".into(),
            m.id.clone(),
            m.label.clone(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            m.reason.clone(),
        ]);
    }
    for b in &r.tornado {
        tab.row(vec![
            "tornado".into(),
            b.id.clone(),
            b.label.clone(),
            b.low.clone(),
            b.base.clone(),
            b.high.clone(),
            String::new(),
            s(b.low_total_kg),
            s(b.high_total_kg),
            b.source.clone(),
        ]);
    }
    if let Some(mc) = &r.monte_carlo {
        // One CSV line per interval: the total, then each category.
        let spread_row = |id: &str, label: String, sp: &Spread| {
            vec![
                "monte_carlo".into(),
                id.into(),
                label,
                String::new(),
                String::new(),
                String::new(),
                s(sp.median_kg),
                s(sp.low_kg),
                s(sp.high_kg),
                String::new(),
            ]
        };
        let draws = format!("{} draws, seed {}", mc.draws, mc.seed);
        tab.row(spread_row("total", draws, &mc.total));
        for c in &mc.categories {
            tab.row(spread_row(c.key, c.key.into(), &c.spread));
        }
        for e in &mc.explained {
            tab.row(vec![
                "explained".into(),
                e.id.clone(),
                e.label.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format!("{} %", e.share_pct),
            ]);
        }
    }
    tab.write_csv(out)
}
