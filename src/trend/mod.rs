//! Year over year: a series of yearly inventories restated like for like, the change between
//! years split into activity and intensity, and the way to the target.
//!
//! A [`Series`] lists one inventory configuration per year. [`evaluate`] runs every year
//! through the one inventory entry point ([`Evaluated`]) twice at most:
//!
//! - **restated**: with one method for every year (pack, RF, boundary, flight haul, rail
//!   rule) — the series file's `method`, or else the latest year's configuration's `factors`
//!   (the current method, as the GHG Protocol's base-year recalculation asks);
//! - **as configured**: with the year's own `factors`, when they differ, so that the change a
//!   method makes is known (the *method effect*).
//!
//! Next to a total reported at the time, the difference restated − reported splits into the
//! method effect (restated − as configured) and the rest (as configured − reported: what was
//! counted then against the rows read now — activity data, scope, errors). A change at least
//! the significance threshold (default 5 %, [`SIGNIFICANCE_BASIS`]) in the base year means
//! the base year must be recalculated.
//!
//! Between consecutive years, and from the base year to the latest, every category × mode
//! cell's change splits exactly into activity (km) and intensity (kg per km)
//! ([`decompose`]), in whole grams, so the parts add up to the change in the total.

pub mod decompose;
pub mod series;

pub use decompose::{CellYear, Split, split};
pub use series::{
    DEFAULT_SIGNIFICANCE_PCT, Reported, SIGNIFICANCE_BASIS, Series, SeriesYear, Target,
};

use crate::commute::{PopulationUnit, Role};
use crate::factors::PackSet;
use crate::inventory::{
    EvalError, EvalOptions, Evaluated, FactorsConfig, IntervalOut, InventoryConfig,
    InventoryResult, InventoryRows,
};
use crate::mode::Mode;
use decompose::{grams, kg};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Flights shorter than this (one-way travelled km) count in the "short flights" share: the
/// distance below which the example rail scenario and many university travel policies ask for
/// the train (the same edge as the `500-700` distance band, [`crate::breakdown`]).
pub const SHORT_FLIGHT_KM: f64 = 700.0;

/// One year's configuration and rows, as read (the command line reads the files).
#[derive(Debug, Clone)]
pub struct YearInput {
    /// The configuration file as named in messages.
    pub config_file: String,
    /// The configuration.
    pub config: InventoryConfig,
    /// Its rows ([`crate::inventory::load`]).
    pub rows: InventoryRows,
}

/// Why a series cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrendError {
    /// The years given are not the series' years.
    #[error("{config}: the configuration's `year` is {found}, but the series lists it for {year}")]
    YearMismatch {
        /// The configuration file.
        config: String,
        /// The year in the series.
        year: i32,
        /// The year in the configuration.
        found: i32,
    },
    /// The inputs do not match the series' list of years.
    #[error("the series lists {expected} years, {given} were given")]
    Count {
        /// Years in the series.
        expected: usize,
        /// Years given.
        given: usize,
    },
    /// A year's rows cannot be evaluated.
    #[error("{config} ({year}): {source}")]
    Eval {
        /// The year.
        year: i32,
        /// Its configuration file.
        config: String,
        /// What went wrong.
        source: EvalError,
    },
}

/// The method every year is restated with, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodOut {
    /// Which rule chose it.
    pub rule: String,
    /// Pack, RF, boundary, flight haul, rail rule.
    pub factors: FactorsConfig,
}

/// The significance threshold and its basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignificanceOut {
    /// % of a total.
    pub threshold_pct: f64,
    /// Whether the series file set it (false: the default).
    pub configured: bool,
    /// Why this threshold.
    pub basis: String,
}

/// The target and the linear path to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetOut {
    /// Target year.
    pub year: i32,
    /// Reduction against the base year, %.
    pub reduction_pct: f64,
    /// Source of the target.
    pub source: String,
    /// The restated base-year total, t.
    pub base_co2e_t: f64,
    /// The total to reach by the target year, t.
    pub target_co2e_t: f64,
    /// How the path between them is drawn.
    pub path: String,
}

/// One category line of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryYear {
    /// `business`, `commuting` or `home_working`.
    pub key: String,
    /// t CO2e (restated).
    pub co2e_t: f64,
    /// km (passenger-km or person-km; telework days for home working).
    pub activity: f64,
}

/// One category × mode cell of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellOut {
    /// `business`, `commuting` or `home_working`.
    pub category: String,
    /// Mode key (or the inventory's merged row label; `home working`).
    pub mode: String,
    /// kg CO2e (restated), to the gram.
    pub co2e_kg: f64,
    /// Activity: passenger-km (business), person-km (commuting) or telework days.
    pub activity: f64,
    /// `km` or `day`.
    pub activity_unit: &'static str,
    /// kg CO2e per unit of activity.
    pub kg_per_unit: Option<f64>,
}

/// The figures officers publish for a year (restated).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntensityOut {
    /// Total kg CO2e per km travelled (business passenger-km + commuting person-km).
    pub kg_per_km: Option<f64>,
    /// Business travel kg per passenger-km.
    pub business_kg_per_pkm: Option<f64>,
    /// Commuting kg per person-km.
    pub commuting_kg_per_pkm: Option<f64>,
    /// Employees: the population of the groups with role `staff`.
    pub employees: f64,
    /// Their units as configured (`FTE`, `headcount` or `FTE + headcount`).
    pub employee_units: String,
    /// Students: the population of the groups with role `student` (headcount as configured).
    pub students: f64,
    /// Total kg per employee.
    pub kg_per_employee: Option<f64>,
    /// Business travel kg per employee.
    pub business_kg_per_employee: Option<f64>,
    /// Total kg per student.
    pub kg_per_student: Option<f64>,
    /// Passenger flights (one way counts one, a round trip two; × travellers × share).
    pub flights: f64,
    /// Of which shorter than [`SHORT_FLIGHT_KM`] one way (travelled km).
    pub flights_under_700km: f64,
    /// Their share, %.
    pub flights_under_700km_share_pct: Option<f64>,
}

/// A year's total as configured (its own method).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AsConfigured {
    /// The year's own factors.
    pub factors: FactorsConfig,
    /// Whether they are the restating method (then nothing changes).
    pub same_method: bool,
    /// t CO2e with them.
    pub co2e_t: f64,
}

/// The figure reported at the time against the restated one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportedOut {
    /// t CO2e as reported.
    pub co2e_t: f64,
    /// Its source.
    pub source: String,
    /// Its method, as the source states it.
    pub method: Option<String>,
    /// Restated − reported, t.
    pub difference_t: f64,
    /// (Restated − reported) ÷ reported, %.
    pub difference_pct: f64,
    /// Part of the difference due to the method: restated − as configured, t.
    pub method_t: f64,
    /// The rest: as configured − reported, t (activity data, scope and errors: what was
    /// counted at the time against the rows read now).
    pub activity_t: f64,
    /// Whether |difference| reaches the significance threshold.
    pub significant: bool,
}

/// One year of the trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearOut {
    /// The year.
    pub year: i32,
    /// Its configuration.
    pub config: String,
    /// Restated total, t CO2e (the sum of the cells).
    pub co2e_t: f64,
    /// 95 % interval of the restated total (survey sampling), when bootstrapped.
    pub interval: Option<IntervalOut>,
    /// Per category.
    pub categories: Vec<CategoryYear>,
    /// With the year's own method.
    pub as_configured: AsConfigured,
    /// Restated − as configured, t.
    pub method_effect_t: f64,
    /// (Restated − as configured) ÷ as configured, %.
    pub method_effect_pct: f64,
    /// Whether |method effect| reaches the significance threshold.
    pub significant_method_change: bool,
    /// Against the figure reported at the time.
    pub reported: Option<ReportedOut>,
    /// Change against the base year (restated), %.
    pub change_from_base_pct: f64,
    /// The target path's value this year, t.
    pub target_path_t: Option<f64>,
    /// Restated − target path, t (positive: above the path).
    pub gap_to_target_path_t: Option<f64>,
    /// Intensity figures.
    pub intensity: IntensityOut,
    /// Every category × mode cell.
    pub cells: Vec<CellOut>,
    /// Rows used (business journeys and survey respondents) and rejected.
    pub rows_used: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
}

/// A split in kg (exact to the gram) and t.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SplitOut {
    /// Change, kg CO2e.
    pub change_kg: f64,
    /// Due to activity, kg.
    pub activity_kg: f64,
    /// Due to intensity, kg.
    pub intensity_kg: f64,
}

impl From<Split> for SplitOut {
    fn from(s: Split) -> SplitOut {
        SplitOut {
            change_kg: kg(s.change_g),
            activity_kg: kg(s.activity_g),
            intensity_kg: kg(s.intensity_g),
        }
    }
}

/// One cell's change between two years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellChange {
    /// Category.
    pub category: String,
    /// Mode.
    pub mode: String,
    /// kg CO2e in the first year.
    pub from_kg: f64,
    /// kg CO2e in the second year.
    pub to_kg: f64,
    /// Activity in the first year (km or days).
    pub from_activity: f64,
    /// Activity in the second year.
    pub to_activity: f64,
    /// The split.
    #[serde(flatten)]
    pub split: SplitOut,
}

/// One category's change (the sum of its cells).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryChange {
    /// Category.
    pub category: String,
    /// The split.
    #[serde(flatten)]
    pub split: SplitOut,
}

/// The change between two years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeOut {
    /// First year.
    pub from: i32,
    /// Second year.
    pub to: i32,
    /// `year_on_year` or `since_base_year`.
    pub kind: &'static str,
    /// The whole inventory (the sum of the categories).
    pub total: SplitOut,
    /// Per category (the sum of its cells).
    pub categories: Vec<CategoryChange>,
    /// Per cell.
    pub cells: Vec<CellChange>,
}

/// Whether the base year must be recalculated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecalculationOut {
    /// The base year.
    pub base_year: i32,
    /// True when the method change moves the base year by at least the threshold, or the
    /// restated base year differs from the figure reported at the time by at least it.
    pub required: bool,
    /// Restated − as configured, % of as configured (the method change).
    pub method_effect_pct: f64,
    /// Restated − reported, % of reported, when a reported figure is given.
    pub reported_difference_pct: Option<f64>,
    /// What it means.
    pub message: String,
}

/// The whole trend (`footprint trend --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Series name.
    pub name: String,
    /// Organisation (of the latest year's configuration).
    pub organisation: String,
    /// Base year.
    pub base_year: i32,
    /// Latest year.
    pub latest_year: i32,
    /// The restating method.
    pub method: MethodOut,
    /// The significance threshold.
    pub significance: SignificanceOut,
    /// Target and path.
    pub target: Option<TargetOut>,
    /// Base-year recalculation.
    pub base_year_recalculation: RecalculationOut,
    /// Every year, oldest first.
    pub years: Vec<YearOut>,
    /// Year-on-year changes, then base year → latest year.
    pub changes: Vec<ChangeOut>,
    /// How to read the figures.
    pub notes: Vec<String>,
}

/// Category order in tables and charts.
fn category_rank(key: &str) -> u8 {
    match key {
        "business" => 0,
        "commuting" => 1,
        _ => 2,
    }
}

type CellKey = (u8, String, String);

/// A year evaluated: the restated result, its cells and the total as configured.
struct YearEval {
    input: YearInput,
    restated: Evaluated,
    as_configured_kg: f64,
    cells: BTreeMap<CellKey, CellYear>,
}

/// The cells of a result: every by-mode line, and home working over telework days.
fn cells_of(r: &InventoryResult) -> BTreeMap<CellKey, CellYear> {
    let mut cells = BTreeMap::new();
    for m in &r.by_mode {
        let c: &mut CellYear = cells
            .entry((
                category_rank(m.category),
                m.category.to_string(),
                m.mode.clone(),
            ))
            .or_default();
        c.co2e_g += grams(m.co2e_kg);
        c.activity += m.distance_km;
    }
    if let Some(h) = r.telework.as_ref().and_then(|t| {
        t.home_working
            .as_ref()
            .map(|h| (h.co2e_kg, t.telework_days))
    }) {
        cells.insert(
            (2, "home_working".into(), "home working".into()),
            CellYear {
                co2e_g: grams(h.0),
                activity: h.1,
            },
        );
    }
    cells
}

fn evaluate_year(
    input: YearInput,
    method: &FactorsConfig,
    packs: &PackSet,
) -> Result<YearEval, TrendError> {
    let wrap = |source: EvalError| TrendError::Eval {
        year: input.config.year,
        config: input.config_file.clone(),
        source,
    };
    let own = EvalOptions::from_config(&input.config);
    let mut restated_opts = own.clone();
    restated_opts.calc = method.calc_options();
    let as_configured_kg = if input.config.factors == *method {
        None
    } else {
        // Only the total is needed: no bootstrap.
        let mut o = own;
        o.bootstrap.iterations = 0;
        let e = Evaluated::of_rows(input.rows.clone(), o, packs).map_err(wrap)?;
        Some(e.result.total.co2e_kg)
    };
    let restated = Evaluated::of_rows(input.rows.clone(), restated_opts, packs).map_err(wrap)?;
    let cells = cells_of(&restated.result);
    let total_kg = kg(cells.values().map(|c| c.co2e_g).sum());
    Ok(YearEval {
        input,
        as_configured_kg: as_configured_kg.unwrap_or(total_kg),
        restated,
        cells,
    })
}

/// kg to t, to the gram.
fn t3(kg_value: f64) -> f64 {
    grams(kg_value) as f64 / 1e6
}

/// t to the gram.
fn round_t(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn pct(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        (part / whole * 100.0 * 100.0).round() / 100.0
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| (a / b * 1e6).round() / 1e6)
}

/// Short flights and the per-capita denominators of a year.
fn intensity(y: &YearEval) -> IntensityOut {
    let r = &y.restated.result;
    let rows = &y.restated.rows;
    let total_kg = r.total.co2e_kg;
    let cat = |key: &str| r.categories.iter().find(|c| c.key == key);
    let per_km = |key: &str| cat(key).and_then(|c| ratio(c.co2e_kg, c.distance_km));
    let (mut employees, mut students) = (0.0, 0.0);
    let mut units = std::collections::BTreeSet::new();
    for g in rows.groups.values() {
        match g.role {
            Role::Staff => {
                employees += g.population;
                units.insert(match g.unit {
                    PopulationUnit::Fte => "FTE",
                    PopulationUnit::Headcount => "headcount",
                });
            }
            Role::Student => students += g.population,
            Role::Other => {}
        }
    }
    let (mut flights, mut short) = (0.0, 0.0);
    for (j, res) in rows
        .business
        .iter()
        .zip(y.restated.row_results.business.iter())
    {
        if j.mode() == Mode::Flight {
            let n = j.travellers() * j.share() * if j.round_trip() { 2.0 } else { 1.0 };
            flights += n;
            if res.one_way_km < SHORT_FLIGHT_KM {
                short += n;
            }
        }
    }
    let business_kg = cat("business").map_or(0.0, |c| c.co2e_kg);
    IntensityOut {
        kg_per_km: ratio(total_kg, r.total.distance_km),
        business_kg_per_pkm: per_km("business"),
        commuting_kg_per_pkm: per_km("commuting"),
        employees,
        employee_units: units.into_iter().collect::<Vec<_>>().join(" + "),
        students,
        kg_per_employee: ratio(total_kg, employees),
        business_kg_per_employee: ratio(business_kg, employees),
        kg_per_student: ratio(total_kg, students),
        flights: (flights * 1000.0).round() / 1000.0,
        flights_under_700km: (short * 1000.0).round() / 1000.0,
        flights_under_700km_share_pct: (flights > 0.0).then(|| pct(short, flights)),
    }
}

/// The change from one year's cells to another's.
fn change(
    from: (i32, &BTreeMap<CellKey, CellYear>),
    to: (i32, &BTreeMap<CellKey, CellYear>),
    kind: &'static str,
) -> ChangeOut {
    let mut keys: Vec<&CellKey> = from.1.keys().chain(to.1.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut total = Split::default();
    let mut by_cat: BTreeMap<(u8, String), Split> = BTreeMap::new();
    let mut cells = Vec::new();
    for k in keys {
        let a = from.1.get(k).copied().unwrap_or_default();
        let b = to.1.get(k).copied().unwrap_or_default();
        let s = split(a, b);
        total.add(&s);
        by_cat.entry((k.0, k.1.clone())).or_default().add(&s);
        cells.push(CellChange {
            category: k.1.clone(),
            mode: k.2.clone(),
            from_kg: kg(a.co2e_g),
            to_kg: kg(b.co2e_g),
            from_activity: round3(a.activity),
            to_activity: round3(b.activity),
            split: s.into(),
        });
    }
    ChangeOut {
        from: from.0,
        to: to.0,
        kind,
        total: total.into(),
        categories: by_cat
            .into_iter()
            .map(|((_, c), s)| CategoryChange {
                category: c,
                split: s.into(),
            })
            .collect(),
        cells,
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The target path's value in `year`: linear from the restated base-year total to the target.
fn path_t(t: &TargetOut, base_year: i32, year: i32) -> f64 {
    let span = f64::from(t.year - base_year);
    let done = (f64::from(year - base_year) / span).clamp(0.0, 1.0);
    round_t(t.base_co2e_t - (t.base_co2e_t - t.target_co2e_t) * done)
}

/// Evaluates a series: every year restated with one method, with its own method when it
/// differs, and the changes between years split into activity and intensity.
///
/// `years` are the series' years in its (sorted) order, each with its configuration and
/// rows. Years are evaluated in parallel; the result is the same for any thread count.
///
/// # Errors
/// Years that do not match the series, rows that cannot be evaluated.
pub fn evaluate(
    series: &Series,
    years: Vec<YearInput>,
    packs: &PackSet,
) -> Result<Trend, TrendError> {
    evaluate_keeping_latest(series, years, packs).map(|(t, _)| t)
}

/// [`evaluate`], also handing back the latest year's inventory when the series restates it
/// with its own configuration's factors (then it is that year's inventory as configured,
/// [`Evaluated::of_rows`] with [`EvalOptions::from_config`]): `footprint report --series`
/// reports it without evaluating the year again.
///
/// # Errors
/// See [`evaluate`].
pub fn evaluate_keeping_latest(
    series: &Series,
    years: Vec<YearInput>,
    packs: &PackSet,
) -> Result<(Trend, Option<Evaluated>), TrendError> {
    if years.len() != series.years.len() {
        return Err(TrendError::Count {
            expected: series.years.len(),
            given: years.len(),
        });
    }
    for (s, y) in series.years.iter().zip(&years) {
        if s.year != y.config.year {
            return Err(TrendError::YearMismatch {
                config: y.config_file.clone(),
                year: s.year,
                found: y.config.year,
            });
        }
    }
    let latest = years
        .last()
        .map(|y| (y.config.year, y.config.factors.clone()));
    let Some((latest_year, latest_factors)) = latest else {
        return Err(TrendError::Count {
            expected: series.years.len(),
            given: 0,
        });
    };
    let method = match &series.method {
        Some(m) => MethodOut {
            rule: "the series file's `method`".into(),
            factors: m.clone(),
        },
        None => MethodOut {
            rule: format!(
                "the latest year's ({latest_year}) configuration's `factors`: the current method, applied to every year"
            ),
            factors: latest_factors,
        },
    };
    let organisation = years
        .last()
        .map(|y| y.config.organisation.clone())
        .unwrap_or_default();
    let evals: Vec<YearEval> = years
        .into_par_iter()
        .map(|y| evaluate_year(y, &method.factors, packs))
        .collect::<Result<_, _>>()?;
    let trend = assemble(series, organisation, method, &evals);
    let latest = evals
        .into_iter()
        .last()
        .filter(|e| e.input.config.factors == trend.method.factors)
        .map(|e| e.restated);
    Ok((trend, latest))
}

fn assemble(series: &Series, organisation: String, method: MethodOut, evals: &[YearEval]) -> Trend {
    let threshold = series.threshold_pct();
    let base_idx = evals
        .iter()
        .position(|e| e.input.config.year == series.base_year)
        .unwrap_or(0);
    let total_kg = |e: &YearEval| kg(e.cells.values().map(|c| c.co2e_g).sum());
    let base_kg = total_kg(&evals[base_idx]);
    let target = series.target.as_ref().map(|t| TargetOut {
        year: t.year,
        reduction_pct: t.reduction_pct,
        source: t.source.clone(),
        base_co2e_t: t3(base_kg),
        target_co2e_t: round_t(t3(base_kg) * (1.0 - t.reduction_pct / 100.0)),
        path: format!(
            "straight line from the restated {} total to {} % below it in {}",
            series.base_year, t.reduction_pct, t.year
        ),
    });
    let years: Vec<YearOut> = evals
        .iter()
        .zip(&series.years)
        .map(|(e, s)| year_out(e, s, threshold, base_kg, target.as_ref(), series.base_year))
        .collect();
    let mut changes: Vec<ChangeOut> = evals
        .windows(2)
        .map(|w| {
            change(
                (w[0].input.config.year, &w[0].cells),
                (w[1].input.config.year, &w[1].cells),
                "year_on_year",
            )
        })
        .collect();
    let last = evals.len() - 1;
    if last > base_idx {
        changes.push(change(
            (evals[base_idx].input.config.year, &evals[base_idx].cells),
            (evals[last].input.config.year, &evals[last].cells),
            "since_base_year",
        ));
    }
    let base_year_recalculation = recalculation(&years[base_idx], threshold);
    Trend {
        name: series.name.clone(),
        organisation,
        base_year: series.base_year,
        latest_year: evals[last].input.config.year,
        method,
        significance: SignificanceOut {
            threshold_pct: threshold,
            configured: series.significance_threshold_pct.is_some(),
            basis: SIGNIFICANCE_BASIS.into(),
        },
        target,
        base_year_recalculation,
        years,
        changes,
        notes: notes(),
    }
}

/// The base-year recalculation rule: the method change, or the difference from the figure
/// reported at the time, at least the threshold.
fn recalculation(base: &YearOut, threshold: f64) -> RecalculationOut {
    let pct_text = |v: f64| {
        format!(
            "{} % {}",
            (v.abs() * 100.0).round() / 100.0,
            if v >= 0.0 { "above" } else { "below" }
        )
    };
    let method = base.method_effect_pct;
    let reported = base.reported.as_ref().map(|r| r.difference_pct);
    let mut parts = vec![format!(
        "the method change puts the restated {} total {} the as-configured one",
        base.year,
        pct_text(method)
    )];
    if let Some(r) = reported {
        parts.push(format!("{} the figure reported at the time", pct_text(r)));
    }
    let required = method.abs() >= threshold || reported.is_some_and(|r| r.abs() >= threshold);
    let verdict = if required {
        format!(
            "at least the {threshold} % significance threshold, so the base year must be recalculated (use the restated figure)"
        )
    } else {
        format!("below the {threshold} % significance threshold: no recalculation needed")
    };
    RecalculationOut {
        base_year: base.year,
        required,
        method_effect_pct: method,
        reported_difference_pct: reported,
        message: format!("{}: {verdict}", parts.join(", and ")),
    }
}

fn notes() -> Vec<String> {
    vec![
        "restated: every year evaluated from its own rows (exports, survey, populations) with one method; as configured: with the year's own factors".into(),
        "reported difference = method (restated - as configured) + activity (as configured - reported: activity data, scope and errors of the figure published then)".into(),
        "activity/intensity split per category and mode: dE = da x (i0 + i1) / 2 + di x (a0 + a1) / 2 (midpoint weights, exact; a mode absent in one year is all activity); kept in whole grams so the parts add up exactly to the change".into(),
        format!("short flights: one-way travelled distance below {SHORT_FLIGHT_KM} km; passenger flights count a round trip twice"),
    ]
}

fn year_out(
    e: &YearEval,
    s: &SeriesYear,
    threshold: f64,
    base_kg: f64,
    target: Option<&TargetOut>,
    base_year: i32,
) -> YearOut {
    let r = &e.restated.result;
    let total_g: i64 = e.cells.values().map(|c| c.co2e_g).sum();
    let restated_kg = kg(total_g);
    let method_effect_kg = restated_kg - e.as_configured_kg;
    let method_effect_pct = pct(method_effect_kg, e.as_configured_kg);
    let mut by_cat: BTreeMap<(u8, String), (i64, f64)> = BTreeMap::new();
    for (k, c) in &e.cells {
        let v = by_cat.entry((k.0, k.1.clone())).or_default();
        v.0 += c.co2e_g;
        v.1 += c.activity;
    }
    let reported = s.reported.as_ref().map(|rep| {
        let rep_kg = rep.co2e_t * 1000.0;
        let difference_pct = pct(restated_kg - rep_kg, rep_kg);
        ReportedOut {
            co2e_t: rep.co2e_t,
            source: rep.source.clone(),
            method: rep.method.clone(),
            difference_t: t3(restated_kg - rep_kg),
            difference_pct,
            method_t: t3(method_effect_kg),
            activity_t: t3(e.as_configured_kg - rep_kg),
            significant: difference_pct.abs() >= threshold,
        }
    });
    let year = e.input.config.year;
    let target_path_t = target.map(|t| path_t(t, base_year, year));
    YearOut {
        year,
        config: e.input.config_file.clone(),
        co2e_t: t3(restated_kg),
        interval: r.total.interval,
        categories: by_cat
            .into_iter()
            .map(|((_, key), (g, a))| CategoryYear {
                key,
                co2e_t: t3(kg(g)),
                activity: round3(a),
            })
            .collect(),
        as_configured: AsConfigured {
            factors: e.input.config.factors.clone(),
            same_method: (e.as_configured_kg - restated_kg).abs() < 0.0005
                && e.input.config.factors == e.restated_factors(),
            co2e_t: t3(e.as_configured_kg),
        },
        method_effect_t: t3(method_effect_kg),
        method_effect_pct,
        significant_method_change: method_effect_pct.abs() >= threshold,
        reported,
        change_from_base_pct: pct(restated_kg - base_kg, base_kg),
        target_path_t,
        gap_to_target_path_t: target_path_t.map(|p| round_t(t3(restated_kg) - p)),
        intensity: intensity(e),
        cells: e
            .cells
            .iter()
            .map(|(k, c)| CellOut {
                category: k.1.clone(),
                mode: k.2.clone(),
                co2e_kg: kg(c.co2e_g),
                activity: round3(c.activity),
                activity_unit: if k.1 == "home_working" { "day" } else { "km" },
                kg_per_unit: c.intensity_kg().map(|v| (v * 1e6).round() / 1e6),
            })
            .collect(),
        rows_used: r.data_quality.rows_used,
        rows_rejected: r.data_quality.rows_rejected,
    }
}

impl YearEval {
    /// The factors the restated evaluation used.
    fn restated_factors(&self) -> FactorsConfig {
        FactorsConfig::from_calc_options(&self.restated.options.calc)
    }
}

#[cfg(test)]
mod tests;
