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
    BusinessRows, DistinctJourneys, EvalError, EvalOptions, InventoryResult, InventoryRows,
    JourneyResults, RowResults, evaluate_rows, extrapolation, summarise,
};
use crate::journey::CalcOptions;
use crate::mode::Mode;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// A business journey as the analysis sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyFact {
    /// Mode.
    pub mode: Mode,
    /// Rows it stands for (1 for a row; a distinct journey's count in
    /// [`JourneyFacts::distinct`]).
    pub rows: u32,
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

/// Sums of kg CO2e over the business journeys, added in row order (the same bits as the
/// sums of the per-row figures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModeSums {
    /// Every journey.
    pub business_kg: f64,
    /// Flights.
    pub flights_kg: f64,
    /// Rail.
    pub rail_kg: f64,
}

/// The business journeys as the analysis sees them: the rows grouped into distinct
/// journeys (rows the journey formula cannot tell apart: same route, mode, variant and
/// travel numbers, differing only by department, dimensions, dates and ids), each
/// [`JourneyFact`] put together once per distinct journey, and per row the index of its
/// distinct journey, so that a sum over the rows adds the same terms in the same order as
/// a sum of the per-row figures, to the bit.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyFacts {
    base: JourneyResults,
    /// The first row of each distinct journey, in order of first occurrence.
    first: Vec<u32>,
    /// Per row, the index of its distinct journey.
    of_row: Vec<u32>,
    /// Each distinct journey's facts.
    facts: Vec<JourneyFact>,
    /// The configured figures summed.
    base_sums: ModeSums,
}

impl JourneyFacts {
    fn new(rows: &BusinessRows, base: &JourneyResults, with_rf: Option<JourneyResults>) -> Self {
        let DistinctJourneys { first, of_row } = DistinctJourneys::of(rows.rows());
        let rf = with_rf.as_ref().unwrap_or(base);
        let tables = rows.tables();
        let mut legs: HashMap<u32, Arc<[f64]>> = HashMap::new();
        let facts: Vec<JourneyFact> = first
            .iter()
            .map(|&i| {
                let j = &rows.rows()[i as usize];
                let (travellers, occupancy, round_trip) = j.travel();
                let trips = travellers * if round_trip { 2.0 } else { 1.0 } * j.share();
                let leg_great_circle_km = if j.mode() == Mode::Flight {
                    let km = legs.entry(j.route()).or_insert_with(|| {
                        let stops = tables.stops(j.route());
                        stops
                            .windows(2)
                            .map(|w| geodesic_km(w[0].position, w[1].position))
                            .collect()
                    });
                    km.clone()
                } else {
                    Arc::from(Vec::new())
                };
                JourneyFact {
                    mode: j.mode(),
                    rows: 0,
                    co2e_kg: base.numbers_at(i as usize).co2e_kg,
                    non_co2_kg: rf.numbers_at(i as usize).parts.non_co2,
                    distance_given: j.distance_km().is_some(),
                    occupancy,
                    passenger_trips: trips,
                    leg_great_circle_km,
                    given_km: j.distance_km(),
                }
            })
            .collect();
        let mut f = JourneyFacts {
            base: base.clone(),
            first,
            of_row,
            facts,
            base_sums: ModeSums {
                business_kg: 0.0,
                flights_kg: 0.0,
                rail_kg: 0.0,
            },
        };
        for &d in &f.of_row {
            f.facts[d as usize].rows += 1;
        }
        let kg: Vec<f64> = f.facts.iter().map(|j| j.co2e_kg).collect();
        f.base_sums = f.sums(&kg);
        f
    }

    /// Journeys (rows).
    pub fn len(&self) -> usize {
        self.of_row.len()
    }

    /// True without journeys.
    pub fn is_empty(&self) -> bool {
        self.of_row.is_empty()
    }

    /// The journeys' results as configured.
    pub fn results(&self) -> &JourneyResults {
        &self.base
    }

    /// The distinct journeys' facts, in order of first occurrence ([`JourneyFact::rows`]
    /// says how many rows each stands for).
    pub fn distinct(&self) -> &[JourneyFact] {
        &self.facts
    }

    /// The first row of each distinct journey: the row whose figures under other options
    /// are every one of its rows' figures.
    pub fn first_rows(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.first.iter().map(|&i| i as usize)
    }

    /// Per row, in row order, the index of its distinct journey.
    pub fn of_row(&self) -> &[u32] {
        &self.of_row
    }

    /// The configured kg CO2e summed over every journey, the flights and the rail journeys.
    pub fn base_sums(&self) -> ModeSums {
        self.base_sums
    }

    /// `kg` (one value per distinct journey) summed over the rows, in row order: the same
    /// bits as summing each row's value (`Iterator::sum`) over all rows, the flights and
    /// the rail rows.
    pub fn sums(&self, kg: &[f64]) -> ModeSums {
        // Per distinct journey its term of each sum; -0.0 where a sum leaves it out: adding
        // -0.0 never changes an f64 (so no branch per row).
        let terms: Vec<[f64; 3]> = self
            .facts
            .iter()
            .zip(kg)
            .map(|(j, &x)| match j.mode {
                Mode::Flight => [x, x, -0.0],
                Mode::Train => [x, -0.0, x],
                _ => [x, -0.0, -0.0],
            })
            .collect();
        // `Iterator::sum` of f64 starts at -0.0.
        let mut sum = [-0.0; 3];
        for &d in &self.of_row {
            let t = &terms[d as usize];
            sum[0] += t[0];
            sum[1] += t[1];
            sum[2] += t[2];
        }
        ModeSums {
            business_kg: sum[0],
            flights_kg: sum[1],
            rail_kg: sum[2],
        }
    }

    /// Every journey's facts, in row order (each standing for its one row).
    pub fn iter(&self) -> impl Iterator<Item = JourneyFact> + '_ {
        self.of_row.iter().map(|&d| JourneyFact {
            rows: 1,
            ..self.facts[d as usize].clone()
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
    facts_summarised(packs, rows, opts, rr, result)
}

/// The facts of rows already evaluated and summarised once (`result` is
/// [`summarise`] of `rows`, `rr` and `opts`), as [`facts_of`].
///
/// # Errors
/// Groups that cannot be extrapolated, rows that cannot be evaluated with RF.
pub fn facts_summarised(
    packs: &PackSet,
    rows: &InventoryRows,
    opts: &EvalOptions,
    rr: &RowResults,
    result: InventoryResult,
) -> Result<Facts, EvalError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{InputOptions, InputReader};
    use crate::inventory::{Inputs, InventoryConfig, load};
    use crate::places::Gazetteer;

    const CONFIG: &str = include_str!("../../data/examples/ut/inventory.json");
    const BUSINESS: &str = include_str!("../../data/examples/ut/business-travel.csv");
    const SURVEY: &str = include_str!("../../data/examples/ut/commuting-survey.csv");

    fn reader(name: &str, text: &str) -> InputReader {
        InputReader::from_reader(
            name,
            std::io::Cursor::new(text.to_string()),
            &InputOptions::default(),
        )
        .unwrap()
    }

    fn example() -> (InventoryRows, EvalOptions) {
        let cfg = InventoryConfig::from_json("inventory.json", CONFIG).unwrap();
        let rows = load(
            &cfg,
            Gazetteer::bundled(),
            PackSet::bundled(),
            Inputs {
                business: vec![reader("business-travel.csv", BUSINESS)],
                survey: vec![reader("commuting-survey.csv", SURVEY)],
                ..Inputs::default()
            },
        )
        .unwrap();
        (rows, EvalOptions::from_config(&cfg))
    }

    /// Sums of per-row kg as the analysis summed them before the rows were grouped.
    fn per_row_sums(rows: &InventoryRows, r: &JourneyResults) -> ModeSums {
        let sum = |keep: &dyn Fn(Mode) -> bool| -> f64 {
            rows.business
                .iter()
                .zip(r.co2e_kg())
                .filter(|(j, _)| keep(j.mode()))
                .map(|(_, kg)| kg)
                .sum()
        };
        ModeSums {
            business_kg: sum(&|_| true),
            flights_kg: sum(&|m| m == Mode::Flight),
            rail_kg: sum(&|m| m == Mode::Train),
        }
    }

    fn bits(s: ModeSums) -> [u64; 3] {
        [
            s.business_kg.to_bits(),
            s.flights_kg.to_bits(),
            s.rail_kg.to_bits(),
        ]
    }

    #[test]
    fn distinct_journeys_stand_for_their_rows_to_the_bit_under_any_options() {
        let (mut rows, opts) = example();
        let f = facts(PackSet::bundled(), &mut rows, &opts).unwrap();
        let j = &f.journeys;
        assert_eq!(j.len(), rows.business.len());
        assert!(j.distinct().len() < j.len(), "the example repeats journeys");
        let counted: u64 = j.distinct().iter().map(|d| u64::from(d.rows)).sum();
        assert_eq!(counted, j.len() as u64);
        // First occurrence order: distinct journey d first appears at its first row.
        let firsts: Vec<usize> = j.first_rows().collect();
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
        for (d, &first) in firsts.iter().enumerate() {
            assert_eq!(j.of_row()[first] as usize, d);
        }
        // Every row has its distinct journey's facts.
        let rr = evaluate_rows(PackSet::bundled(), &rows, &opts).unwrap();
        for ((i, fact), &d) in j.iter().enumerate().zip(j.of_row()) {
            let own = rr.business.numbers_at(i).co2e_kg;
            assert_eq!(fact.co2e_kg.to_bits(), own.to_bits(), "row {i}");
            assert_eq!(
                JourneyFact {
                    rows: 1,
                    ..j.distinct()[d as usize].clone()
                },
                fact
            );
        }
        assert_eq!(bits(j.base_sums()), bits(per_row_sums(&rows, &rr.business)));
        // Under other options every row of a distinct journey still has its figures.
        for pack in ["ademe-2025", "desnz-2025"] {
            let calc = CalcOptions {
                pack: pack.into(),
                include_rf: !opts.calc.include_rf,
                ..opts.calc.clone()
            };
            let (r, _) =
                business_under(PackSet::bundled(), &rows, j.results(), &opts, &calc).unwrap();
            let kg: Vec<f64> = j.first_rows().map(|i| r.numbers_at(i).co2e_kg).collect();
            assert_eq!(bits(j.sums(&kg)), bits(per_row_sums(&rows, &r)), "{pack}");
            for (i, &d) in j.of_row().iter().enumerate() {
                assert_eq!(r.numbers_at(i).co2e_kg.to_bits(), kg[d as usize].to_bits());
                assert_eq!(r.factor_at(i), r.factor_at(firsts[d as usize]));
            }
        }
    }

    #[test]
    fn sums_keep_the_sign_of_an_empty_sum_and_the_order_of_additions() {
        let (mut rows, opts) = example();
        let f = facts(PackSet::bundled(), &mut rows, &opts).unwrap();
        let j = &f.journeys;
        // Terms whose sum depends on the order of additions: the grouped sum adds them in
        // row order, as the per-row sum does.
        let kg: Vec<f64> = (0..j.distinct().len())
            .map(|d| {
                if d % 2 == 0 {
                    1e16
                } else {
                    1.0 + d as f64 * 1e-3
                }
            })
            .collect();
        let per_row = |keep: &dyn Fn(Mode) -> bool| -> f64 {
            j.of_row()
                .iter()
                .filter(|&&d| keep(j.distinct()[d as usize].mode))
                .map(|&d| kg[d as usize])
                .sum()
        };
        let s = j.sums(&kg);
        assert_eq!(s.business_kg.to_bits(), per_row(&|_| true).to_bits());
        assert_eq!(
            s.flights_kg.to_bits(),
            per_row(&|m| m == Mode::Flight).to_bits()
        );
        assert_eq!(
            s.rail_kg.to_bits(),
            per_row(&|m| m == Mode::Train).to_bits()
        );
        // No rows of a mode: -0.0, as `Iterator::sum` gives.
        let none: Vec<f64> = vec![0.0; j.distinct().len()];
        assert_eq!(j.sums(&none).business_kg.to_bits(), 0.0f64.to_bits());
        let empty: f64 = std::iter::empty::<f64>().sum();
        let only_cars = JourneyFacts {
            facts: j
                .distinct()
                .iter()
                .map(|d| JourneyFact {
                    mode: Mode::Car,
                    ..d.clone()
                })
                .collect(),
            ..j.clone()
        };
        assert_eq!(only_cars.sums(&kg).flights_kg.to_bits(), empty.to_bits());
    }
}
