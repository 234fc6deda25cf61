//! The yearly mobility inventory: business travel (GHG Protocol scope 3, category 6) and
//! commuting (category 7) from the same configuration, compared with a baseline.
//!
//! The inventory keeps **rows**, not totals ([`InventoryRows`]): every business journey with
//! its stops, mode and variant, and every survey respondent with home, modes, days and
//! group. [`evaluate`] computes everything from those rows with the journey engine — it is
//! the only path to inventory totals — so a scenario can change rows (shift a mode, add a
//! telework day, fill cars, change fuels) and evaluate again, and every saving stays
//! traceable to the rows it changed.
//!
//! ```
//! use mobility_footprint::inventory::{EvalOptions, InventoryRows, evaluate};
//! use mobility_footprint::commute::{Commuter, Group, ModeShare, PopulationUnit, Role};
//! use mobility_footprint::journey::Stop;
//! use mobility_footprint::places::Gazetteer;
//! use mobility_footprint::mode::{Fuel, Mode, Size};
//!
//! let campus = Stop::from_place(&Gazetteer::bundled().resolve("ut").unwrap());
//! let mut rows = InventoryRows::new("Example", 2025, campus);
//! rows.groups.insert("staff".into(), Group {
//!     name: "staff".into(), population: 100.0, unit: PopulationUnit::Fte,
//!     weeks_per_year: 40.0, role: Role::Staff, assume: None,
//! });
//! for i in 0..5 {
//!     rows.commuters.push(Commuter {
//!         file: "survey.csv".into(), line: i as u64 + 2, id: String::new(), respondent: i,
//!         share: 1.0, group: "staff".into(), home: None, home_id: None,
//!         one_way_km: Some(10.0), modes: vec![ModeShare { mode: Mode::Car, share_of_days: 1.0 }],
//!         days_per_week: 4.0, telework_days: 1.0, weeks_per_year: 40.0, occupancy: 1.0,
//!         fuel: Fuel::Unknown, size: Size::Average, dimensions: vec![],
//!     });
//! }
//! let result = evaluate(&rows, &EvalOptions::default()).unwrap();
//! // 100 FTE x 2 x 10 km x 4 days x 40 weeks x 0.21124 kg/km (DESNZ average car, WTW)
//! assert!((result.total.co2e_kg - 67_596.8).abs() < 0.01);
//! ```

mod config;
mod distinct;
mod evaluate;
mod evaluated;
mod load;
mod store;
/// A row's cost value in euros: a number, with an optional `€` or `EUR`; `None` when it is
/// not a non-negative number (the cost column is informative, never a reason to reject).
pub(crate) fn parse_cost(v: &str) -> Option<f64> {
    let t = v
        .trim()
        .trim_start_matches('€')
        .trim_end_matches("EUR")
        .trim();
    parse_number(t).ok().filter(|c| *c >= 0.0)
}

#[cfg(test)]
mod tests;

pub(crate) use config::parse_json;
pub use config::{
    BaselineConfig, BootstrapConfig, Boundary, BusinessConfig, ColumnsConfig, CommutingConfig,
    ConfigError, DEFAULT_MIN_CELL_SIZE, FactorsConfig, GroupConfig, InventoryConfig, OneOrMany,
    Paths,
};
pub use distinct::{DistinctJourneys, JourneyIndex};
pub use evaluate::{
    BaselineOut, CategoryOut, CommutingOut, DepartmentOut, EvalCache, EvalError, GroupOut,
    GroupWeight, IntervalOut, InventoryResult, JourneyNumbers, JourneyResult, JourneyResultRef,
    JourneyResults, ModeOut, OptionsOut, PerCapitaOut, QualityOut, RowResults, TeleworkOut,
    evaluate, evaluate_rows, evaluate_rows_cached, evaluate_with, extrapolation, summarise,
};
pub use evaluated::Evaluated;
pub use store::{BusinessRows, JourneyRef, JourneyRow, JourneyTables};

use crate::business::{Business, BusinessOptions, BusinessRow};
use crate::commute::{BootstrapOptions, Commuter, Group, HomeWorking, SurveyContext, read_survey};
use crate::factors::PackSet;
use crate::input::{
    ColumnMap, InputError, InputReader, builtin_aliases, normalise_header, parse_number,
};
use crate::journey::{CalcOptions, Stop};
use crate::mode::{Cabin, Fuel, Mode, Size};
use crate::places::Gazetteer;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One business journey, owned: what a caller builds a row from ([`BusinessRows::push`])
/// and what [`JourneyRef::to_journey`] gives back. The store keeps it compactly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Journey {
    /// The export.
    #[serde(serialize_with = "crate::commute::serialize_arc_str")]
    pub file: Arc<str>,
    /// Physical line.
    pub line: u64,
    /// The row's `id` (empty when absent).
    pub id: String,
    /// Mode.
    pub mode: Mode,
    /// Flight cabin.
    pub cabin: Cabin,
    /// Car/motorbike size.
    pub size: Size,
    /// Car fuel.
    pub fuel: Fuel,
    /// Origin, stopovers, destination.
    pub stops: Vec<Stop>,
    /// Out and back.
    pub round_trip: bool,
    /// Travellers (> 0).
    pub travellers: f64,
    /// People per car or motorbike (>= 1).
    pub occupancy: f64,
    /// Travelled km one way as given in the export (replaces the computed distance).
    pub distance_km: Option<f64>,
    /// Cost in euros, when the export has a cost column.
    pub cost_eur: Option<f64>,
    /// Department (the configured column), empty when absent.
    pub department: String,
    /// Share of the journey that takes place (1 unless a scenario reduced it).
    pub share: f64,
    /// Every dimension column of the export: name → value.
    pub dimensions: Vec<(String, String)>,
}

impl Journey {
    /// The journey as the business-travel run read it; `department` names the department column.
    pub fn from_business_row(row: &BusinessRow, department: &str) -> Journey {
        let dept_key = normalise_header(department);
        let cost_keys: Vec<String> = std::iter::once("cost")
            .chain(builtin_aliases("cost").iter().copied())
            .map(normalise_header)
            .collect();
        let mut dept = String::new();
        let mut cost = None;
        for (k, v) in &row.dimensions {
            let nk = normalise_header(k);
            if nk == dept_key && dept.is_empty() {
                dept = v.trim().to_string();
            } else if cost.is_none() && cost_keys.contains(&nk) && !v.trim().is_empty() {
                cost = parse_cost(v);
            }
        }
        Journey {
            file: row.file.clone(),
            line: row.line,
            id: row.id.clone(),
            mode: row.mode,
            cabin: row.cabin,
            size: row.size,
            fuel: row.fuel,
            stops: row.stops.iter().map(|s| s.stop.clone()).collect(),
            round_trip: row.round_trip,
            travellers: row.travellers,
            occupancy: row.occupancy,
            distance_km: row.distance_given.then_some(row.distance_km),
            cost_eur: cost,
            department: dept,
            share: 1.0,
            dimensions: row
                .dimensions
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }
}

/// How many rows of a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonCount {
    /// The reason.
    pub reason: String,
    /// Rows.
    pub rows: u64,
}

/// Rows read, used and rejected in one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileQuality {
    /// The file as named.
    pub file: String,
    /// `business travel` or `commuting survey`.
    pub category: &'static str,
    /// `csv`, `xlsx` or `json`.
    pub format: &'static str,
    /// Non-blank rows read.
    pub rows_read: u64,
    /// Rows used.
    pub rows_used: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// The most frequent reasons for rejecting rows, most frequent first (at most 5).
    pub top_reasons: Vec<ReasonCount>,
}

/// A rejected input row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectedRow {
    /// `business travel` or `commuting survey`.
    pub category: &'static str,
    /// The file.
    pub file: String,
    /// Physical line.
    pub line: Option<u64>,
    /// Short reason.
    pub reason: String,
    /// The column.
    pub column: Option<String>,
    /// The value as found.
    pub value: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl RejectedRow {
    fn new(category: &'static str, reason: &str, e: &InputError) -> RejectedRow {
        let mut message = e.message.clone();
        if let Some(s) = &e.suggestion {
            message.push_str("; ");
            message.push_str(s);
        }
        RejectedRow {
            category,
            file: e.file.clone(),
            line: e.line,
            reason: reason.to_string(),
            column: e.column.as_ref().map(|c| c.to_string()),
            value: e.value.as_ref().map(|c| c.to_string()),
            message,
        }
    }
}

/// Category label of business-travel files in [`FileQuality`].
pub const BUSINESS: &str = "business travel";
/// Category label of survey files in [`FileQuality`].
pub const SURVEY: &str = "commuting survey";

/// Everything the inventory is computed from: rows, not totals.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryRows {
    /// Organisation.
    pub organisation: String,
    /// Reporting year.
    pub year: i32,
    /// Where commuters travel to.
    pub campus: Stop,
    /// Business journeys (category 6), in file order, in the compact store.
    pub business: BusinessRows,
    /// Whether business travel is part of the inventory (a configured export, even empty).
    pub has_business: bool,
    /// Survey respondents (category 7), in file order.
    pub commuters: Vec<Commuter>,
    /// Population groups by name.
    pub groups: BTreeMap<String, Group>,
    /// Rows read/used/rejected per file.
    pub quality: Vec<FileQuality>,
    /// Every rejected row.
    pub rejects: Vec<RejectedRow>,
    /// Notes from reading (factor fallbacks taken, unusable cost values ...).
    pub notes: Vec<String>,
}

impl InventoryRows {
    /// Empty rows for an organisation, a year and a campus.
    pub fn new(organisation: &str, year: i32, campus: Stop) -> InventoryRows {
        InventoryRows {
            organisation: organisation.to_string(),
            year,
            campus,
            business: BusinessRows::new(),
            has_business: false,
            commuters: Vec::new(),
            groups: BTreeMap::new(),
            quality: Vec::new(),
            rejects: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Whether commuting is part of the inventory.
    pub fn has_commuting(&self) -> bool {
        !self.groups.is_empty()
    }
}

/// The baseline to compare with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    /// t CO2e a year.
    pub co2e_t: f64,
    /// The share of the organisation's footprint it is, in %, when known.
    pub share_of_footprint_pct: Option<f64>,
    /// What it covers.
    pub covers: Option<String>,
    /// Where it comes from.
    pub source: String,
}

/// How to evaluate the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalOptions {
    /// Factor pack and boundary.
    pub calc: CalcOptions,
    /// Bootstrap of the commuting total.
    pub bootstrap: BootstrapOptions,
    /// Minimum respondents behind any row of a survey breakdown.
    pub min_cell_size: usize,
    /// Home-working emissions per telework day (none: not counted).
    pub home_working: Option<HomeWorking>,
    /// The figure to compare with.
    pub baseline: Option<Baseline>,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            calc: CalcOptions::default(),
            bootstrap: BootstrapOptions::default(),
            min_cell_size: DEFAULT_MIN_CELL_SIZE,
            home_working: None,
            baseline: None,
        }
    }
}

impl EvalOptions {
    /// The options a configuration asks for.
    pub fn from_config(cfg: &InventoryConfig) -> EvalOptions {
        let c = cfg.commuting.as_ref();
        EvalOptions {
            calc: cfg.factors.calc_options(),
            bootstrap: c.map_or_else(BootstrapOptions::default, |c| c.bootstrap_options()),
            min_cell_size: c.map_or(DEFAULT_MIN_CELL_SIZE, |c| c.min_cell_size),
            home_working: c.and_then(|c| c.home_working.clone()),
            baseline: cfg.baseline.as_ref().map(|b| Baseline {
                co2e_t: b.co2e_t,
                share_of_footprint_pct: b.share_of_footprint_pct,
                covers: b.covers.clone(),
                source: b.source.clone(),
            }),
        }
    }
}

/// The opened inputs of a configuration (the command line opens the files).
#[derive(Debug, Default)]
pub struct Inputs {
    /// Business-travel exports.
    pub business: Vec<InputReader>,
    /// Their column map.
    pub business_columns: Option<ColumnMap>,
    /// Survey files.
    pub survey: Vec<InputReader>,
    /// Their column map.
    pub survey_columns: Option<ColumnMap>,
}

fn top_reasons<'a>(reasons: impl Iterator<Item = &'a str>) -> Vec<ReasonCount> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for r in reasons {
        *counts.entry(r).or_default() += 1;
    }
    let mut v: Vec<ReasonCount> = counts
        .into_iter()
        .map(|(reason, rows)| ReasonCount {
            reason: reason.to_string(),
            rows,
        })
        .collect();
    v.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.reason.cmp(&b.reason)));
    v.truncate(5);
    v
}

/// Reads every input of a configuration into rows.
///
/// Business exports go through the business-travel run ([`Business`]): the same readers,
/// column mapping, place resolution and rejects as `footprint business`. Surveys go through
/// [`read_survey`]. Rejected rows are kept with line and reason; the run goes on.
///
/// # Errors
/// A campus that does not resolve, an unknown factor pack, a file that cannot be read or
/// whose columns do not fit.
pub fn load(
    cfg: &InventoryConfig,
    gazetteer: &Gazetteer,
    packs: &PackSet,
    inputs: Inputs,
) -> Result<InventoryRows, crate::Error> {
    let campus_place = gazetteer.resolve(&cfg.campus)?;
    let campus = Stop::from_place(&campus_place);
    let mut rows = InventoryRows::new(&cfg.organisation, cfg.year, campus);
    let calc = cfg.factors.calc_options();
    packs.get(&calc.pack)?;
    let mut notes: BTreeSet<String> = BTreeSet::new();
    if let Some(b) = &cfg.business {
        rows.has_business = true;
        let run = Business::new(
            packs,
            gazetteer,
            BusinessOptions {
                calc: calc.clone(),
                by: Vec::new(),
                columns: inputs.business_columns,
                keep_rejects: 0,
                in_flight: 0,
                campus_country: Some(rows.campus.country_code.clone()).filter(|cc| !cc.is_empty()),
            },
        )?;
        load::load_business(
            &run,
            inputs.business,
            &b.department,
            cfg.year,
            &mut rows,
            &mut notes,
        )?;
    }
    if let Some(c) = &cfg.commuting {
        rows.groups = c.groups();
        let ctx = SurveyContext {
            gazetteer,
            groups: &rows.groups,
            columns: inputs.survey_columns.as_ref(),
        };
        let mut next = 0u32;
        let mut commuters = Vec::new();
        for reader in inputs.survey {
            let read = read_survey(reader, ctx, next)?;
            next += read.commuters.len() as u32;
            rows.quality.push(FileQuality {
                file: read.file.clone(),
                category: SURVEY,
                format: read.format,
                rows_read: read.rows_read,
                rows_used: read.commuters.len() as u64,
                rows_rejected: read.rejects.len() as u64,
                top_reasons: top_reasons(read.rejects.iter().map(|r| r.reason)),
            });
            rows.rejects.extend(
                read.rejects
                    .iter()
                    .map(|r| RejectedRow::new(SURVEY, r.reason, &r.error)),
            );
            commuters.extend(read.commuters);
        }
        notes.extend(crate::commute::population_notes(&rows.groups, &commuters));
        rows.commuters = commuters;
    }
    rows.notes = notes.into_iter().collect();
    Ok(rows)
}
