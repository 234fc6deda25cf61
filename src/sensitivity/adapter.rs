//! The one place where the sensitivity analysis touches the inventory engine.
//!
//! Everything else in [`crate::sensitivity`] works on the plain facts this module extracts:
//! per business journey its mode, emissions split into the parts an assumption scales, and
//! whether its distance was computed; per survey respondent the same per commuting leg. When
//! the inventory's row store changes, only this file follows.

use crate::commute::PopulationUnit;
use crate::distance::geodesic_km;
use crate::factors::PackSet;
use crate::inventory::{
    BusinessRows, EvalError, EvalOptions, InventoryResult, InventoryRows, JourneyResults,
    RowResults, evaluate_rows, extrapolation, summarise,
};
use crate::journey::CalcOptions;
use crate::mode::Mode;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A business journey as the analysis sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyFact {
    /// Mode.
    pub mode: Mode,
    /// kg CO2e as configured (× share).
    pub co2e_kg: f64,
    /// Its non-CO2 (RF) part as configured (0 when RF is off).
    pub non_co2_kg: f64,
    /// Whether the travelled distance was given (detours do not apply).
    pub distance_given: bool,
    /// People per vehicle (1 when not stated).
    pub occupancy: f64,
    /// Passenger trips: travellers × (2 for a round trip) × share.
    pub passenger_trips: f64,
    /// Great-circle km of each leg, one way (flights only; empty otherwise).
    pub leg_great_circle_km: Arc<[f64]>,
    /// The given one-way distance, if any.
    pub given_km: Option<f64>,
}

/// One commuting leg's year, before extrapolation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegFact {
    /// Mode.
    pub mode: Mode,
    /// kg CO2e a year of this mode for the respondent (× the row's share).
    pub co2e_kg: f64,
    /// Whether the distance was given.
    pub distance_given: bool,
}

/// A survey respondent (all rows of one respondent summed).
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentFact {
    /// The respondent's own group (index into [`Facts::groups`]).
    pub group: usize,
    /// Campus days a week.
    pub days_per_week: f64,
    /// Declared telework days a week.
    pub telework_days: f64,
    /// People per car (1 when not stated).
    pub occupancy: f64,
    /// Legs.
    pub legs: Vec<LegFact>,
    /// Home-working kg CO2e a year (0 when not configured).
    pub home_working_kg: f64,
}

/// A population group and how it is extrapolated.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFact {
    /// Name.
    pub name: String,
    /// Index of the group whose respondents stand for it.
    pub source: usize,
    /// People (or FTE) each source respondent stands for.
    pub weight: f64,
    /// Headcount or FTE.
    pub unit: PopulationUnit,
}

/// What the analysis needs from one evaluated inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// The inventory as `footprint inventory` reports it (the point figures).
    pub result: InventoryResult,
    /// Business journeys, in row order.
    pub journeys: JourneyFacts,
    /// Respondents, in order of first appearance.
    pub respondents: Vec<RespondentFact>,
    /// Groups, in name order.
    pub groups: Vec<GroupFact>,
    /// Pack detour per mode (index of [`Mode::ALL`]).
    pub detour: [f64; 15],
    /// The pack's RF multiplier, when it publishes one.
    pub rf_multiplier: Option<f64>,
    /// Whether the configuration includes RF.
    pub include_rf: bool,
}

/// Index of a mode in [`Mode::ALL`].
pub fn mode_index(m: Mode) -> usize {
    Mode::ALL.iter().position(|x| *x == m).unwrap_or(0)
}

/// Business-travel results of the rows under other options (commuting is not evaluated):
/// the routes of `base` (the rows' results as configured) evaluated again, the rows'
/// figures on demand ([`JourneyResults::under`]).
///
/// # Errors
/// A row that cannot be computed under these options (a factor the pack lacks ...).
pub fn business_under(
    packs: &PackSet,
    rows: &InventoryRows,
    base: &JourneyResults,
    opts: &EvalOptions,
    calc: &CalcOptions,
) -> Result<(JourneyResults, BTreeSet<String>), EvalError> {
    let o = EvalOptions {
        calc: calc.clone(),
        ..opts.clone()
    };
    base.under(packs, &rows.business, &o)
}

/// The business journeys as the analysis sees them, in row order: the rows and their
/// results as evaluated (and with RF, when the configuration leaves it out), each
/// [`JourneyFact`] put together on demand, so the facts cost no memory per row.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyFacts {
    rows: BusinessRows,
    base: JourneyResults,
    with_rf: Option<JourneyResults>,
    /// Great-circle km of each leg of each route of the store (flight routes only).
    legs: Vec<Arc<[f64]>>,
}

impl JourneyFacts {
    fn new(rows: &BusinessRows, base: &JourneyResults, with_rf: Option<JourneyResults>) -> Self {
        let tables = rows.tables();
        let mut flight = vec![false; tables.routes()];
        for j in rows.rows() {
            if j.mode() == Mode::Flight {
                flight[j.route() as usize] = true;
            }
        }
        let legs = flight
            .iter()
            .enumerate()
            .map(|(r, &f)| {
                let stops = tables.stops(r as u32);
                if f {
                    stops
                        .windows(2)
                        .map(|w| geodesic_km(w[0].position, w[1].position))
                        .collect()
                } else {
                    Arc::from(Vec::new())
                }
            })
            .collect();
        JourneyFacts {
            rows: rows.clone(),
            base: base.clone(),
            with_rf,
            legs,
        }
    }

    /// Journeys.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True without journeys.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The journeys' results as configured.
    pub fn results(&self) -> &JourneyResults {
        &self.base
    }

    /// Every journey's facts, in row order.
    pub fn iter(&self) -> impl Iterator<Item = JourneyFact> + '_ {
        let rf = self.with_rf.as_ref().unwrap_or(&self.base);
        self.rows
            .rows()
            .iter()
            .zip(self.base.numbers().zip(rf.numbers()))
            .map(|(j, (r, rf))| {
                let trips = j.travellers() * if j.round_trip() { 2.0 } else { 1.0 } * j.share();
                JourneyFact {
                    mode: j.mode(),
                    co2e_kg: r.co2e_kg,
                    non_co2_kg: rf.parts.non_co2,
                    distance_given: j.distance_km().is_some(),
                    occupancy: j.occupancy(),
                    passenger_trips: trips,
                    leg_great_circle_km: if j.mode() == Mode::Flight {
                        self.legs[j.route() as usize].clone()
                    } else {
                        Arc::from(Vec::new())
                    },
                    given_km: j.distance_km(),
                }
            })
    }
}

/// Evaluates the rows as configured and extracts the facts.
///
/// # Errors
/// Rows that cannot be evaluated, or groups that cannot be extrapolated.
pub fn facts(
    packs: &PackSet,
    rows: &mut InventoryRows,
    opts: &EvalOptions,
) -> Result<Facts, EvalError> {
    let rr = evaluate_rows(packs, rows, opts)?;
    facts_of(packs, rows, opts, &rr)
}

/// The facts of rows already evaluated once ([`evaluate_rows`]), as [`facts`].
///
/// # Errors
/// Groups that cannot be extrapolated, rows that cannot be evaluated with RF.
pub fn facts_of(
    packs: &PackSet,
    rows: &InventoryRows,
    opts: &EvalOptions,
    rr: &RowResults,
) -> Result<Facts, EvalError> {
    let result = summarise(rows, rr, opts)?;
    let with_rf = if opts.calc.include_rf {
        None
    } else {
        let calc = CalcOptions {
            include_rf: true,
            ..opts.calc.clone()
        };
        Some(business_under(packs, rows, &rr.business, opts, &calc)?.0)
    };
    let journeys = JourneyFacts::new(&rows.business, &rr.business, with_rf);
    let weights = extrapolation(rows)?;
    let index: BTreeMap<&str, usize> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (w.group.as_str(), i))
        .collect();
    let groups = weights
        .iter()
        .map(|w| GroupFact {
            name: w.group.clone(),
            source: index[w.source.as_str()],
            weight: w.weight,
            unit: w.unit,
        })
        .collect();
    let mut by_respondent: BTreeMap<(usize, u32), usize> = BTreeMap::new();
    let mut respondents: Vec<RespondentFact> = Vec::new();
    for (c, y) in rows.commuters.iter().zip(&rr.commuters) {
        let g = index[c.group.as_str()];
        let i = *by_respondent.entry((g, c.respondent)).or_insert_with(|| {
            respondents.push(RespondentFact {
                group: g,
                days_per_week: c.days_per_week,
                telework_days: c.telework_days,
                occupancy: c.occupancy,
                legs: Vec::new(),
                home_working_kg: 0.0,
            });
            respondents.len() - 1
        });
        let r = &mut respondents[i];
        for (leg, (mode, _km, kg)) in y.legs.iter().zip(y.by_mode()) {
            r.legs.push(LegFact {
                mode,
                co2e_kg: kg * c.share,
                distance_given: c.one_way_km.is_some() || leg.distance_method == "given",
            });
        }
        r.home_working_kg += y.home_working_kg * c.share;
    }
    let pack = packs
        .get(&opts.calc.pack)
        .map_err(|e| EvalError::Groups(e.to_string()))?;
    let mut detour = [1.0; 15];
    for (i, m) in Mode::ALL.iter().enumerate() {
        detour[i] = pack.detour(*m);
    }
    Ok(Facts {
        result,
        journeys,
        respondents,
        groups,
        detour,
        rf_multiplier: pack.conventions.rf.multiplier,
        include_rf: opts.calc.include_rf,
    })
}
