//! "How sure are we?": method sensitivity and uncertainty of an inventory, from the rows to
//! the total.
//!
//! Three views of the same rows:
//! 1. **Methods** ([`methods`]): the business journeys (and flights alone) under every method
//!    the tool can source — each factor pack, DESNZ with and without RF, TTW only, DESNZ's
//!    international average, the GES 1point5 flight method — each saying what it includes.
//! 2. **Tornado**: each assumption alone at its low and high value (ranges in
//!    `data/uncertainty.json`, each with a source or a stated basis, [`ranges`]), plus the
//!    survey bootstrap interval and the method choices (rail factor, flight band rule).
//! 3. **Monte Carlo** ([`montecarlo`]): the declared ranges drawn jointly with the survey
//!    bootstrap on precomputed cells ([`model`]), seeded and deterministic for any `-j`.
//!
//! The only coupling with the inventory engine is [`adapter`].

pub mod adapter;
pub mod charts;
pub mod methods;
pub mod model;
pub mod montecarlo;
pub mod ranges;

use crate::business::round3;
use crate::factors::{PackSet, RailFactor};
use crate::inventory::{EvalError, EvalOptions, IntervalOut, InventoryRows};
use crate::journey::CalcOptions;
use adapter::{Facts, business_under, mode_index};
pub use methods::{MethodOut, Unavailable};
use model::Model;
pub use montecarlo::MonteCarloOut;
use montecarlo::{Drawn, Target};
pub use ranges::{Range, Ranges};
use serde::Serialize;

/// How to run the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Monte Carlo draws (0: no Monte Carlo run).
    pub draws: u32,
    /// Seed of the draws.
    pub seed: u64,
    /// The ranges.
    pub ranges: Ranges,
}

/// The inventory's own figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointOut {
    /// Total, kg CO2e.
    pub total_kg: f64,
    /// Business travel.
    pub business_kg: f64,
    /// Flights alone.
    pub flights_kg: f64,
    /// Commuting.
    pub commuting_kg: f64,
    /// Home working.
    pub home_working_kg: f64,
    /// The survey-sampling interval of the total (as `footprint inventory` gives it).
    pub survey_interval: Option<IntervalOut>,
}

/// One bar of the tornado: the total with one assumption at its low and high value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoOut {
    /// Range id or method choice.
    pub id: String,
    /// Label.
    pub label: String,
    /// The low value, in words.
    pub low: String,
    /// The inventory's own value.
    pub base: String,
    /// The high value.
    pub high: String,
    /// Total at the low value, kg CO2e.
    pub low_total_kg: f64,
    /// Total at the high value.
    pub high_total_kg: f64,
    /// |high − low|.
    pub swing_kg: f64,
    /// Grade of the range's source (`stated` for a stated basis, `method` for a choice).
    pub grade: String,
    /// Source or basis.
    pub source: String,
}

/// Everything `footprint sensitivity` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityResult {
    /// Organisation.
    pub organisation: String,
    /// Year.
    pub year: i32,
    /// The ranges file.
    pub ranges_file: String,
    /// The inventory's own figures.
    pub point: PointOut,
    /// Methods on the same business journeys.
    pub methods: Vec<MethodOut>,
    /// Methods left out, with the reason.
    pub methods_left_out: Vec<Unavailable>,
    /// One assumption at a time, largest swing first.
    pub tornado: Vec<TornadoOut>,
    /// Assumptions not in the tornado, with the reason.
    pub tornado_left_out: Vec<String>,
    /// The joint interval.
    pub monte_carlo: Option<MonteCarloOut>,
    /// What the Monte Carlo run does not draw.
    pub not_drawn: Vec<String>,
}

fn fmt_value(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The assumptions of the ranges file that apply to this inventory.
fn drawn(model: &Model, r: &Ranges, skipped: &mut Vec<String>) -> Vec<(Drawn, String)> {
    let mut v = Vec::new();
    for (id, range) in &r.ranges {
        let target = match id.as_str() {
            "rf_multiplier" if model.rf_varies() => Target::Rf,
            "rf_multiplier" => {
                skipped.push(format!(
                    "{id}: the pack publishes no RF multiplier; its non-CO2 part is kept as is"
                ));
                continue;
            }
            "car_occupancy_unknown" if model.has_unknown_occupancy() => Target::Occupancy,
            "telework_days_shift" if model.has_telework() => Target::Telework,
            other => match ranges::detour_mode(other) {
                Some(m) if model.has_detour(m) => Target::Detour(mode_index(m)),
                _ => {
                    skipped.push(format!("{id}: no rows of this inventory it applies to"));
                    continue;
                }
            },
        };
        let label = if range.label.is_empty() {
            id.clone()
        } else {
            range.label.clone()
        };
        v.push((
            Drawn {
                id: id.clone(),
                target,
                range: range.clone(),
            },
            label,
        ));
    }
    v
}

fn source_text(r: &Range) -> String {
    match (r.source.trim().is_empty(), r.basis.trim().is_empty()) {
        (false, false) => format!("{} Basis: {}", r.source.trim(), r.basis.trim()),
        (false, true) => r.source.trim().to_string(),
        _ => format!("Basis: {}", r.basis.trim()),
    }
}

fn tornado_ranges(model: &Model, drawn: &[(Drawn, String)]) -> Vec<TornadoOut> {
    drawn
        .iter()
        .map(|(d, label)| {
            let at = |x: f64| model.evaluate(&d.target.set(model.base, x)).total();
            let (lo, hi) = (at(d.range.low), at(d.range.high));
            TornadoOut {
                id: d.id.clone(),
                label: label.clone(),
                low: fmt_value(d.range.low),
                base: fmt_value(d.target.get(&model.base)),
                high: fmt_value(d.range.high),
                low_total_kg: round3(lo),
                high_total_kg: round3(hi),
                swing_kg: round3((hi - lo).abs()),
                grade: d.range.grade.clone(),
                source: source_text(&d.range),
            }
        })
        .collect()
}

/// A method choice as a tornado bar: the total with `part` replaced by each alternative.
fn choice(
    id: &str,
    label: &str,
    point_kg: f64,
    base_part: f64,
    base_name: &str,
    alternatives: &[(String, f64)],
    source: &str,
) -> Option<TornadoOut> {
    let mut all: Vec<(String, f64)> = vec![(base_name.to_string(), base_part)];
    all.extend(alternatives.iter().cloned());
    let lo = all.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
    let hi = all.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    if all.len() < 2 {
        return None;
    }
    let (lo_t, hi_t) = (point_kg - base_part + lo.1, point_kg - base_part + hi.1);
    Some(TornadoOut {
        id: id.into(),
        label: label.into(),
        low: lo.0.clone(),
        base: base_name.into(),
        high: hi.0.clone(),
        low_total_kg: round3(lo_t),
        high_total_kg: round3(hi_t),
        swing_kg: round3(hi_t - lo_t),
        grade: "method".into(),
        source: source.into(),
    })
}

fn method_choices(
    packs: &PackSet,
    rows: &InventoryRows,
    opts: &EvalOptions,
    f: &Facts,
    methods: &[MethodOut],
    left_out: &mut Vec<String>,
) -> Vec<TornadoOut> {
    let point = f.result.total.co2e_kg;
    let mut out = Vec::new();
    let base = f.journeys.base_sums();
    // Rail factor choice: business rail under each pack's rail factor (same boundary and RF).
    let rail = base.rail_kg;
    if rail > 0.0 {
        let alts: Vec<(String, f64)> = packs
            .packs()
            .iter()
            .filter(|p| p.id != opts.calc.pack)
            .filter_map(|p| {
                let calc = CalcOptions {
                    pack: p.id.clone(),
                    ..opts.calc.clone()
                };
                // The method comparison already has this pack at these options.
                let default_method = calc.include_rf && calc.include_wtt;
                if default_method && calc.haul_override.is_none() {
                    if let Some(m) = methods.iter().find(|m| m.id == p.id) {
                        return Some((format!("{} rail factor", p.id), m.rail_kg));
                    }
                }
                let (r, _) = business_under(packs, rows, f.journeys.results(), opts, &calc).ok()?;
                let kg = methods::sums_under(&f.journeys, &r).rail_kg;
                Some((format!("{} rail factor", p.id), kg))
            })
            .collect();
        // The other rail rule on the configured pack: by country ↔ the pack's single factor.
        let mut alts = alts;
        let other_rule = match opts.calc.rail_factor {
            RailFactor::Country => RailFactor::Pack,
            RailFactor::Pack => RailFactor::Country,
        };
        let calc = CalcOptions {
            rail_factor: other_rule,
            ..opts.calc.clone()
        };
        if let Ok((r, _)) = business_under(packs, rows, f.journeys.results(), opts, &calc) {
            let kg = methods::sums_under(&f.journeys, &r).rail_kg;
            let label = match other_rule {
                RailFactor::Pack => format!("{} single rail factor", opts.calc.pack),
                RailFactor::Country => "rail by country crossed".to_string(),
            };
            alts.push((label, kg));
        }
        out.extend(choice(
            "rail_factor",
            "Rail factor choice",
            point,
            rail,
            &match opts.calc.rail_factor {
                RailFactor::Country => "rail by country crossed".to_string(),
                RailFactor::Pack => format!("{} rail factor", opts.calc.pack),
            },
            &alts,
            "Rail by the countries each leg crosses (`data/factors/rail-by-country.json`, per-country sources) vs the pack's single rail factor, and the bundled factor packs' default train factors (see `footprint factors PACK`).",
        ));
    } else {
        left_out.push("rail_factor: no business rail in this inventory".into());
    }
    // Flight band rule: published haul bands vs the international average.
    let flights = base.flights_kg;
    let method_flights = |id: &str| methods.iter().find(|m| m.id == id).map(|m| m.flights_kg);
    let international = method_flights("desnz-2025/international");
    let configured_bands = opts.calc.flight_bands;
    match (flights > 0.0, international, opts.calc.pack == "desnz-2025") {
        (true, Some(i), true) if opts.calc.haul_override.is_none() => {
            // The other band rule: smooth ↔ published (the method comparison has smooth).
            let other = match configured_bands {
                crate::factors::FlightBandRule::Published => {
                    method_flights("desnz-2025/smooth-bands")
                        .map(|kg| ("smooth bands".to_string(), kg))
                }
                crate::factors::FlightBandRule::Smooth => {
                    method_flights("desnz-2025").map(|kg| ("published bands".to_string(), kg))
                }
            };
            let mut alts = vec![("international average".to_string(), i)];
            alts.extend(other);
            out.extend(choice(
                "flight_band_rule",
                "Flight band rule",
                point,
                flights,
                &format!("{} bands", configured_bands.as_str()),
                &alts,
                "DESNZ 2025 published haul bands (short < 3700 km, long) vs smooth bands (the two bands' factors blended linearly within ±500 km of the 3700 km edge) vs 'International, to/from non-UK'.",
            ));
        }
        (false, _, _) => left_out.push("flight_band_rule: no flights in this inventory".into()),
        _ => left_out.push(
            "flight_band_rule: only computed for the desnz-2025 pack with its published bands"
                .into(),
        ),
    }
    out
}

fn survey_bar(f: &Facts) -> Option<TornadoOut> {
    let i = f.result.total.interval?;
    f.result.commuting.as_ref()?;
    Some(TornadoOut {
        id: "survey_extrapolation".into(),
        label: "Survey extrapolation (bootstrap)".into(),
        low: "2.5th percentile".into(),
        base: "sample mean".into(),
        high: "97.5th percentile".into(),
        low_total_kg: i.low_kg,
        high_total_kg: i.high_kg,
        swing_kg: round3(i.high_kg - i.low_kg),
        grade: "method".into(),
        source: format!(
            "Stratified bootstrap of the survey respondents per group ({} iterations, seed {}), as `footprint inventory` reports it.",
            f.result.options.bootstrap_iterations, f.result.options.bootstrap_seed
        ),
    })
}

/// Runs the three views on loaded rows (the rows are evaluated, not changed).
///
/// # Errors
/// Rows that cannot be evaluated as configured, or groups that cannot be extrapolated.
pub fn analyse(
    packs: &PackSet,
    rows: &mut InventoryRows,
    opts: &EvalOptions,
    o: &Options,
) -> Result<SensitivityResult, EvalError> {
    let rr = crate::inventory::evaluate_rows(packs, rows, opts)?;
    analyse_evaluated(packs, rows, opts, &rr, o)
}

/// [`analyse`] on rows already evaluated once (`rr`, from [`crate::inventory::evaluate_rows`]
/// with `opts`): the report evaluates its rows once for the inventory, this analysis and
/// its tables.
///
/// # Errors
/// See [`analyse`].
pub fn analyse_evaluated(
    packs: &PackSet,
    rows: &InventoryRows,
    opts: &EvalOptions,
    rr: &crate::inventory::RowResults,
    o: &Options,
) -> Result<SensitivityResult, EvalError> {
    let result = crate::inventory::summarise(rows, rr, opts)?;
    analyse_summarised(packs, rows, opts, rr, result, o)
}

/// [`analyse_evaluated`] on rows already evaluated and summarised once (`result` is
/// [`crate::inventory::summarise`] of `rows`, `rr` and `opts`: the report's inventory), so
/// the breakdowns are not summed again.
///
/// # Errors
/// See [`analyse`].
pub fn analyse_summarised(
    packs: &PackSet,
    rows: &InventoryRows,
    opts: &EvalOptions,
    rr: &crate::inventory::RowResults,
    result: crate::inventory::InventoryResult,
    o: &Options,
) -> Result<SensitivityResult, EvalError> {
    let f = adapter::facts_summarised(packs, rows, opts, rr, result)?;
    let model = Model::new(&f);
    let (methods, methods_left_out) = methods::compare(packs, rows, opts, &f);
    let mut tornado_left_out = Vec::new();
    let drawn = drawn(&model, &o.ranges, &mut tornado_left_out);
    let mut tornado = tornado_ranges(&model, &drawn);
    tornado.extend(survey_bar(&f));
    tornado.extend(method_choices(
        packs,
        rows,
        opts,
        &f,
        &methods,
        &mut tornado_left_out,
    ));
    tornado.sort_by(|a, b| b.swing_kg.total_cmp(&a.swing_kg).then(a.id.cmp(&b.id)));
    let resample = !f.respondents.is_empty();
    let monte_carlo =
        (o.draws > 0).then(|| montecarlo::run(&model, &drawn, o.draws, o.seed, resample));
    let cat = |k: &str| {
        f.result
            .categories
            .iter()
            .find(|c| c.key == k)
            .map_or(0.0, |c| c.co2e_kg)
    };
    let flights = f.journeys.base_sums().flights_kg;
    Ok(SensitivityResult {
        organisation: f.result.organisation.clone(),
        year: f.result.year,
        ranges_file: o.ranges.file.clone(),
        point: PointOut {
            total_kg: f.result.total.co2e_kg,
            business_kg: cat("business"),
            flights_kg: round3(flights),
            commuting_kg: cat("commuting"),
            home_working_kg: cat("home_working"),
            survey_interval: f.result.total.interval,
        },
        methods,
        methods_left_out,
        tornado,
        tornado_left_out,
        monte_carlo,
        not_drawn: vec![
            "Method choices (factor pack, rail factor, flight band rule) are alternatives, shown in the method comparison and the tornado; they are not drawn.".into(),
        ],
    })
}
