//! Evaluating inventory rows: the one path from rows to every inventory figure.

use super::{
    Boundary, BusinessRows, EvalOptions, FileQuality, InventoryRows, JourneyRef, JourneyRow,
};
use crate::aggregate::ExactSum;
use crate::business::round3;
use crate::commute::{
    BootstrapResult, Cell, CommuteYear, Commuter, GroupSample, Interval, PopulationUnit, Role,
    bootstrap, commute_year, merge_small_cells,
};
use crate::distance::geodesic_km;
use crate::factors::{PackSet, Parts};
use crate::journey::{
    JourneyError, LegFigures, Stop, Travel, TripSpec, choose_leg, journey_figures, leg_distance_km,
    validate_spec,
};
use crate::mode::Mode;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Why rows cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// One row cannot be computed (a factor the pack lacks, a value a scenario broke ...).
    #[error("{file}:{line}: {message}")]
    Row {
        /// The file of the row.
        file: String,
        /// Its line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The groups cannot be extrapolated (population without respondents and no assumption ...).
    #[error("{0}")]
    Groups(String),
}

/// A business journey's emissions (× its share).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JourneyResult {
    /// kg CO2e.
    pub co2e_kg: f64,
    /// Parts of `co2e_kg`.
    pub parts: Parts,
    /// Passenger-km: one-way km × travellers × trips × share.
    pub passenger_km: f64,
    /// Travelled km one way.
    pub one_way_km: f64,
    /// Pack of the (longest leg's) factor.
    #[serde(serialize_with = "crate::commute::serialize_arc_str")]
    pub factor_pack: Arc<str>,
    /// Factor id.
    #[serde(serialize_with = "crate::commute::serialize_arc_str")]
    pub factor_id: Arc<str>,
    /// Train legs by country crossed: countries, km and factor each
    /// ([`crate::journey::rail_countries_text`]); `None` without a split. Audit files only
    /// (not serialized).
    #[serde(skip)]
    pub rail_countries: Option<Arc<str>>,
}

/// A business journey's emissions (× its share) borrowed from its [`JourneyResults`]
/// ([`JourneyResults::get_ref`]): the same values as its [`JourneyResult`], with the texts
/// borrowed instead of shared (no reference count touched per row).
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyResultRef<'a> {
    /// kg CO2e.
    pub co2e_kg: f64,
    /// Parts of `co2e_kg`.
    pub parts: Parts,
    /// Passenger-km: one-way km × travellers × trips × share.
    pub passenger_km: f64,
    /// Travelled km one way.
    pub one_way_km: f64,
    /// Pack of the (longest leg's) factor.
    pub factor_pack: &'a str,
    /// Factor id.
    pub factor_id: &'a str,
    /// Train legs by country crossed ([`JourneyResult::rail_countries`]): borrowed from the
    /// route, or written for a row with a given distance.
    pub rail_countries: Option<Cow<'a, str>>,
}

/// The results of the business journeys, in row order, held per route: each distinct
/// route (with mode and variant, [`RouteKey`]) keeps its legs, factors and rail text once,
/// each row only the index of its route (4 bytes). A row's [`JourneyResult`] is computed on
/// demand from the row's numbers and its route's legs by the journey formula
/// ([`journey_figures`]), the same bits every time.
#[derive(Debug, Clone, Default)]
pub struct JourneyResults {
    rows: Arc<Vec<JourneyRow>>,
    /// Each route's key and the first row that uses it.
    keys: Vec<(RouteKey, usize)>,
    routes: Vec<Arc<RouteLegs>>,
    /// Each row's index into `routes` (shared by the results of the same rows under other
    /// options: the routes are the same).
    of_row: Arc<Vec<u32>>,
}

impl PartialEq for JourneyResults {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl JourneyResults {
    /// Journeys.
    pub fn len(&self) -> usize {
        self.of_row.len()
    }

    /// True without journeys.
    pub fn is_empty(&self) -> bool {
        self.of_row.is_empty()
    }

    /// Distinct routes (with mode and variant) the results are held by.
    pub fn routes(&self) -> usize {
        self.routes.len()
    }

    /// The result of journey `i`.
    pub fn get(&self, i: usize) -> JourneyResult {
        journey_result(&self.rows[i], &self.routes[self.of_row[i] as usize])
    }

    /// The result of journey `i`, its texts borrowed: the values of [`JourneyResults::get`]
    /// without cloning a text per row (the audit trail reads every row this way).
    ///
    /// # Panics
    /// When `i` is not below [`JourneyResults::len`].
    pub fn get_ref(&self, i: usize) -> JourneyResultRef<'_> {
        journey_result_ref(&self.rows[i], &self.routes[self.of_row[i] as usize])
    }

    /// How many journeys used each factor `(pack, factor id)` (their longest leg's, as
    /// [`JourneyResults::factors`] gives them): counted per route and leg, the texts
    /// compared once per route rather than once per row.
    pub fn factor_counts(&self) -> BTreeMap<(&str, &str), u64> {
        let mut per_leg: Vec<Vec<u64>> = self
            .routes
            .iter()
            .map(|r| vec![0; r.factors.len().max(1)])
            .collect();
        for (j, &k) in self.rows.iter().zip(self.of_row.iter()) {
            let legs = &self.routes[k as usize];
            let leg = if legs.figures.len() > 1 {
                longest_leg(j, legs)
            } else {
                0
            };
            per_leg[k as usize][leg] += 1;
        }
        let mut out: BTreeMap<(&str, &str), u64> = BTreeMap::new();
        for (legs, counts) in self.routes.iter().zip(&per_leg) {
            for (leg, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
                let (pack, id) = legs
                    .factors
                    .get(leg)
                    .map_or(("", ""), |(p, f)| (&**p, &**f));
                *out.entry((pack, id)).or_default() += n;
            }
        }
        out
    }

    /// The figures of journey `i`, without the texts of [`JourneyResults::get`] (the same
    /// bits as its item of [`JourneyResults::numbers`]).
    pub fn numbers_at(&self, i: usize) -> JourneyNumbers {
        journey_numbers(&self.rows[i], &self.routes[self.of_row[i] as usize])
    }

    /// The factor `(pack, factor id)` of journey `i` (its longest leg's), as
    /// [`JourneyResults::factors`] gives it.
    pub fn factor_at(&self, i: usize) -> (&str, &str) {
        let (pack, id) = longest_factor(&self.rows[i], &self.routes[self.of_row[i] as usize]);
        (&**pack, &**id)
    }

    /// Every journey's result, in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = JourneyResult> + Clone + '_ {
        self.rows
            .iter()
            .zip(self.of_row.iter())
            .map(|(j, &k)| journey_result(j, &self.routes[k as usize]))
    }

    /// Every journey's figures, in row order, without the texts of [`JourneyResults::iter`].
    pub fn numbers(&self) -> impl ExactSizeIterator<Item = JourneyNumbers> + Clone + '_ {
        self.rows
            .iter()
            .zip(self.of_row.iter())
            .map(|(j, &k)| journey_numbers(j, &self.routes[k as usize]))
    }

    /// Every journey's kg CO2e (× share), in row order.
    pub fn co2e_kg(&self) -> impl ExactSizeIterator<Item = f64> + Clone + '_ {
        self.numbers().map(|n| n.co2e_kg)
    }

    /// Every journey's figures and factor `(pack, factor id)` (its longest leg's), in row
    /// order: [`JourneyResults::numbers`] and [`JourneyResults::factors`] in one pass, the
    /// factor as the texts shared by every row that uses it.
    pub fn numbers_and_factors(
        &self,
    ) -> impl ExactSizeIterator<Item = (JourneyNumbers, &(Arc<str>, Arc<str>))> + '_ {
        self.rows.iter().zip(self.of_row.iter()).map(|(j, &k)| {
            let legs = &self.routes[k as usize];
            (journey_numbers(j, legs), longest_factor(j, legs))
        })
    }

    /// Every journey's factor `(pack, factor id)` (its longest leg's), in row order.
    pub fn factors(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + Clone + '_ {
        self.rows.iter().zip(self.of_row.iter()).map(|(j, &k)| {
            let (pack, id) = longest_factor(j, &self.routes[k as usize]);
            (&**pack, &**id)
        })
    }

    /// The same rows evaluated under other options (another pack, RF, boundary ...): only
    /// the routes are evaluated again, the rows' routes and checks are these results'
    /// (they do not depend on the options). Rows other than these results' are evaluated
    /// in full. The same results as [`evaluate_rows`] on the rows with `opts`.
    ///
    /// # Errors
    /// The first row (in row order) whose route cannot be computed under `opts`.
    pub fn under(
        &self,
        packs: &PackSet,
        rows: &BusinessRows,
        opts: &EvalOptions,
    ) -> Result<(JourneyResults, BTreeSet<String>), EvalError> {
        if !Arc::ptr_eq(rows.shared_rows(), &self.rows) || self.keys.len() != self.routes.len() {
            return evaluate_journeys(packs, rows, opts, None);
        }
        let routes = eval_routes(packs, rows, opts, &self.keys, None);
        // Every row passed its checks; the first row of each route is the first to fail.
        let failed = self
            .keys
            .iter()
            .zip(&routes)
            .filter_map(|((_, first), r)| r.0.as_ref().err().map(|m| (*first, m)))
            .min_by_key(|(first, _)| *first);
        if let Some((first, m)) = failed {
            let j = &rows.rows()[first];
            return Err(EvalError::Row {
                file: JourneyRef::new(j, rows.tables()).file().to_string(),
                line: j.line(),
                message: m.clone(),
            });
        }
        Ok(results_of(
            rows,
            self.keys.clone(),
            Arc::clone(&self.of_row),
            &routes,
        ))
    }

    /// Heap bytes: 4 per row (shared with the results of the same rows under other options)
    /// plus the routes' legs.
    pub fn heap_bytes(&self) -> usize {
        let legs: usize = self
            .routes
            .iter()
            .map(|r| {
                r.figures.len() * (std::mem::size_of::<LegFigures>() + 64)
                    + r.rail_text.as_ref().map_or(0, |t| t.len())
            })
            .sum();
        4 * self.of_row.capacity() + legs
    }
}

/// A journey's figures without its texts ([`JourneyResults::numbers`]): the same bits as
/// the fields of its [`JourneyResult`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JourneyNumbers {
    /// kg CO2e.
    pub co2e_kg: f64,
    /// Parts of `co2e_kg`.
    pub parts: Parts,
    /// Passenger-km.
    pub passenger_km: f64,
    /// Travelled km one way.
    pub one_way_km: f64,
}

/// Per-row results, in row order.
#[derive(Debug, Clone, PartialEq)]
pub struct RowResults {
    /// One per business journey.
    pub business: JourneyResults,
    /// One per commuter row: one person's year, before share and weight.
    pub commuters: Vec<CommuteYear>,
    /// Factor fallbacks and method notes met on the way.
    pub notes: BTreeSet<String>,
}

/// How a group is extrapolated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupWeight {
    /// The group.
    pub group: String,
    /// Population (headcount or FTE).
    pub population: f64,
    /// Headcount or FTE.
    pub unit: PopulationUnit,
    /// Staff, student, other.
    pub role: Role,
    /// Distinct respondents of the group.
    pub respondents: usize,
    /// The group whose respondents stand for this group (itself unless an assumption).
    pub source: String,
    /// People (or FTE) each source respondent stands for in this group:
    /// `population ÷ respondents of the source`.
    pub weight: f64,
}

/// The weights of every group: `population ÷ respondents`, or an assumption's source group.
///
/// # Errors
/// A group with a population but no respondents and no assumption (or an assumption whose
/// group has no respondents either); a row whose group is not configured.
pub fn extrapolation(rows: &InventoryRows) -> Result<Vec<GroupWeight>, EvalError> {
    let mut respondents: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    for c in &rows.commuters {
        if !rows.groups.contains_key(&c.group) {
            return Err(EvalError::Row {
                file: c.file.to_string(),
                line: c.line,
                message: format!("group `{}` is not configured", c.group),
            });
        }
        respondents
            .entry(&c.group)
            .or_default()
            .insert(c.respondent);
    }
    let n = |g: &str| respondents.get(g).map_or(0, BTreeSet::len);
    let mut out = Vec::new();
    for (name, g) in &rows.groups {
        let own = n(name);
        let (source, denominator) = if own > 0 || g.population == 0.0 {
            (name.clone(), own)
        } else if let Some(src) = &g.assume {
            let m = n(src);
            if m == 0 {
                return Err(EvalError::Groups(format!(
                    "group `{name}` has no respondents and its assumption `{src}` has none either"
                )));
            }
            (src.clone(), m)
        } else {
            return Err(EvalError::Groups(format!(
                "group `{name}` has a population of {} but no respondents in the survey; add respondents, set its population to 0, or name an assumption in the configuration, e.g. \"assume\": {{\"{name}\": \"<another group>\"}}",
                g.population
            )));
        };
        out.push(GroupWeight {
            group: name.clone(),
            population: g.population,
            unit: g.unit,
            role: g.role,
            respondents: own,
            source,
            weight: if denominator > 0 {
                g.population / denominator as f64
            } else {
                0.0
            },
        });
    }
    Ok(out)
}

/// A route as [`evaluate_rows`] evaluates it, once for every row that shares it: the
/// route, the mode and variant, and for a flight with a given distance that distance (it
/// sets the flight bands). Rows differ from their route only by travellers, occupancy,
/// round trip, given distance and share: what the journey formula multiplies by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct RouteKey {
    route: u32,
    variant: [u8; 4],
    band_km: u64,
}

impl RouteKey {
    fn of(j: &JourneyRow) -> RouteKey {
        let (mode, cabin, size, fuel, given_km) = j.variant();
        let band_km = match given_km {
            Some(d) if mode == Mode::Flight && d.is_finite() && d > 0.0 => d.to_bits(),
            _ => 0,
        };
        RouteKey {
            route: j.route,
            variant: [mode as u8, cabin as u8, size as u8, fuel as u8],
            band_km,
        }
    }
}

/// The legs of a route as the formula needs them, and each leg's factor.
#[derive(Debug, Default)]
struct RouteLegs {
    figures: Vec<LegFigures>,
    factors: Vec<(Arc<str>, Arc<str>)>,
    /// Train legs by country crossed: the countries' shares and factors (empty otherwise).
    rail: Vec<Arc<[crate::journey::CountryFactor]>>,
    /// The audit text of `rail` at the computed km (shared by the rows without a given
    /// distance); `None` without a split.
    rail_text: Option<Arc<str>>,
}

/// Train legs by country crossed ([`crate::journey::rail_countries_text`]) at the row's km.
fn rail_countries(j: &JourneyRow, legs: &RouteLegs, computed: f64) -> Option<Arc<str>> {
    match j.distance_km() {
        None => legs.rail_text.clone(),
        Some(given) => rail_text_given(legs, given, computed).map(Arc::from),
    }
}

/// The rail text of a route's legs at their shares of a given distance; `None` without a
/// split.
fn rail_text_given(legs: &RouteLegs, given: f64, computed: f64) -> Option<String> {
    if legs.rail.iter().all(|r| r.is_empty()) {
        return None;
    }
    let n = legs.figures.len();
    Some(crate::journey::rail_countries_text(
        legs.rail.iter().zip(&legs.figures).map(|(r, f)| {
            (
                &r[..],
                leg_distance_km(f.distance_km, computed, n, Some(given)),
            )
        }),
    ))
}

/// Chooses the legs of a route with the engine ([`choose_leg`]); a given flight distance
/// sets each flight leg's band (its share of the given km), as in the business path; the
/// leg keeps its computed km for the shares.
fn route_legs(
    packs: &PackSet,
    stops: &[Stop],
    j: &JourneyRow,
    opts: &EvalOptions,
    notes: &mut BTreeSet<String>,
) -> Result<RouteLegs, String> {
    let spec = TripSpec {
        cabin: j.cabin(),
        size: j.size(),
        fuel: j.fuel(),
        ..TripSpec::new(j.mode())
    };
    let mut figures = Vec::with_capacity(stops.len().saturating_sub(1));
    let mut factors = Vec::with_capacity(figures.capacity());
    let mut rail: Vec<Arc<[crate::journey::CountryFactor]>> =
        Vec::with_capacity(figures.capacity());
    for w in stops.windows(2) {
        let gc_km = geodesic_km(w[0].position, w[1].position);
        let c = choose_leg(packs, &w[0], &w[1], &spec, &opts.calc, None, gc_km)
            .map_err(|e| e.to_string())?;
        notes.extend(c.selected.notes.iter().cloned());
        figures.push(c.figures(&opts.calc));
        factors.push((
            Arc::from(c.selected.pack.id.as_str()),
            Arc::from(c.selected.factor.id.as_str()),
        ));
        rail.push(if c.rail.is_empty() {
            Arc::from(Vec::new())
        } else {
            Arc::from(c.factor_use(&opts.calc).countries)
        });
    }
    if j.mode() == Mode::Flight
        && let Some(g) = j.distance_km().filter(|d| d.is_finite() && *d > 0.0)
    {
        let computed: f64 = figures.iter().map(|l: &LegFigures| l.distance_km).sum();
        let n = figures.len();
        for (f, w) in figures.iter_mut().zip(stops.windows(2)) {
            let d = leg_distance_km(f.distance_km, computed, n, Some(g));
            let gc_km = geodesic_km(w[0].position, w[1].position);
            let c = choose_leg(packs, &w[0], &w[1], &spec, &opts.calc, Some(d), gc_km)
                .map_err(|e| e.to_string())?;
            f.per_unit = c.figures(&opts.calc).per_unit;
        }
    }
    let rail_text = rail.iter().any(|r| !r.is_empty()).then(|| {
        Arc::from(crate::journey::rail_countries_text(
            rail.iter()
                .zip(&figures)
                .map(|(r, f)| (&r[..], f.distance_km)),
        ))
    });
    Ok(RouteLegs {
        figures,
        factors,
        rail,
        rail_text,
    })
}

/// Checks what the formula needs of a row: a share within 0..=1, two stops, travellers
/// and occupancy, a positive given distance.
fn check_row(j: &JourneyRow, stops: usize) -> Result<(), String> {
    let share = j.share();
    if !(0.0..=1.0).contains(&share) {
        return Err(format!("share must be between 0 and 1, got {share}"));
    }
    if stops < 2 {
        return Err(JourneyError::TooFewStops.to_string());
    }
    let spec = TripSpec {
        travellers: j.travellers(),
        occupancy: j.occupancy(),
        ..TripSpec::new(j.mode())
    };
    validate_spec(&spec).map_err(|e| e.to_string())?;
    if let Some(d) = j.distance_km().filter(|d| !d.is_finite() || *d <= 0.0) {
        return Err(JourneyError::Distance(d).to_string());
    }
    Ok(())
}

/// What the journey formula multiplies a route's legs by for one row.
fn travel(j: &JourneyRow) -> Travel {
    let (travellers, occupancy, round_trip) = j.travel();
    Travel {
        travellers,
        occupancy,
        round_trip,
        given_km: j.distance_km(),
    }
}

/// The index of a row's longest leg (at the row's km; the last of equal legs, 0 without
/// legs).
fn longest_leg(j: &JourneyRow, legs: &RouteLegs) -> usize {
    let computed: f64 = legs.figures.iter().map(|l| l.distance_km).sum();
    let n = legs.figures.len();
    (0..n)
        .max_by(|&a, &b| {
            let km = |i: usize| {
                leg_distance_km(legs.figures[i].distance_km, computed, n, j.distance_km())
            };
            km(a).total_cmp(&km(b))
        })
        .unwrap_or(0)
}

/// The factor of a row's longest leg (at the row's km).
fn longest_factor<'a>(j: &JourneyRow, legs: &'a RouteLegs) -> &'a (Arc<str>, Arc<str>) {
    static NONE: std::sync::OnceLock<(Arc<str>, Arc<str>)> = std::sync::OnceLock::new();
    legs.factors
        .get(longest_leg(j, legs))
        .unwrap_or_else(|| NONE.get_or_init(|| (Arc::from(""), Arc::from(""))))
}

/// The figures of one business journey: the journey formula ([`journey_figures`]) on its
/// route's legs, its share applied.
fn journey_numbers(j: &JourneyRow, legs: &RouteLegs) -> JourneyNumbers {
    let f = journey_figures(&legs.figures, &travel(j));
    let share = j.share();
    JourneyNumbers {
        co2e_kg: f.co2e_kg() * share,
        parts: f.parts.scaled(share),
        passenger_km: f.passenger_km * share,
        one_way_km: f.distance_km,
    }
}

/// One business journey with the journey formula ([`journey_figures`]) on its route's
/// legs, its share applied.
fn journey_result(j: &JourneyRow, legs: &RouteLegs) -> JourneyResult {
    let n = journey_numbers(j, legs);
    let computed: f64 = legs.figures.iter().map(|l| l.distance_km).sum();
    let (pack, id) = longest_factor(j, legs);
    JourneyResult {
        co2e_kg: n.co2e_kg,
        parts: n.parts,
        passenger_km: n.passenger_km,
        one_way_km: n.one_way_km,
        factor_pack: pack.clone(),
        factor_id: id.clone(),
        rail_countries: rail_countries(j, legs, computed),
    }
}

/// [`journey_result`] with the texts borrowed from the route.
fn journey_result_ref<'a>(j: &JourneyRow, legs: &'a RouteLegs) -> JourneyResultRef<'a> {
    let n = journey_numbers(j, legs);
    let (pack, id) = longest_factor(j, legs);
    let rail_countries = match j.distance_km() {
        None => legs.rail_text.as_deref().map(Cow::Borrowed),
        Some(given) => {
            let computed: f64 = legs.figures.iter().map(|l| l.distance_km).sum();
            rail_text_given(legs, given, computed).map(Cow::Owned)
        }
    };
    JourneyResultRef {
        co2e_kg: n.co2e_kg,
        parts: n.parts,
        passenger_km: n.passenger_km,
        one_way_km: n.one_way_km,
        factor_pack: pack,
        factor_id: id,
        rail_countries,
    }
}

/// Rows of business travel put through the formula per parallel task.
const CHUNK_ROWS: usize = 4096;

/// Rows per parallel task of [`distinct_routes`] and [`business_cells`]: a fixed size, so
/// the tasks (and what each adds up) are the same for any number of threads.
const SCAN_ROWS: usize = 1 << 16;

/// Distinct routes, each with its first row, and per row the index of its route.
type DistinctRoutes = (Vec<(RouteKey, usize)>, Vec<u32>);

/// The distinct routes of the rows (with mode, variant and banding distance) and, per row,
/// the index of its route: the routes in the order of their first row, as one pass in row
/// order would give them. Chunks of rows find their own routes in parallel; the chunks'
/// routes are then numbered in chunk order and each chunk's rows renumbered.
fn distinct_routes(rows: &BusinessRows, chunk_rows: usize) -> DistinctRoutes {
    type Index = HashMap<RouteKey, u32, foldhash::fast::FixedState>;
    let rows = rows.rows();
    let chunks: Vec<DistinctRoutes> = rows
        .par_chunks(chunk_rows)
        .enumerate()
        .map(|(c, chunk)| {
            let mut index = Index::default();
            let mut keys = Vec::new();
            let of_row = chunk
                .iter()
                .enumerate()
                .map(|(i, j)| {
                    let k = RouteKey::of(j);
                    *index.entry(k).or_insert_with(|| {
                        keys.push((k, c * chunk_rows + i));
                        (keys.len() - 1) as u32
                    })
                })
                .collect();
            (keys, of_row)
        })
        .collect();
    let mut index = Index::default();
    let mut keys = Vec::new();
    let renumber: Vec<Vec<u32>> = chunks
        .iter()
        .map(|(local, _)| {
            local
                .iter()
                .map(|&(k, first)| {
                    *index.entry(k).or_insert_with(|| {
                        keys.push((k, first));
                        (keys.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    let mut of_row = vec![0u32; rows.len()];
    of_row
        .par_chunks_mut(chunk_rows)
        .zip(&chunks)
        .zip(&renumber)
        .for_each(|((out, (_, local)), global)| {
            for (o, &l) in out.iter_mut().zip(local) {
                *o = global[l as usize];
            }
        });
    (keys, of_row)
}

/// Evaluates each distinct route (with mode and variant) once with the engine, or takes it
/// from `cache`.
fn eval_routes(
    packs: &PackSet,
    rows: &BusinessRows,
    opts: &EvalOptions,
    keys: &[(RouteKey, usize)],
    cache: Option<&EvalCache>,
) -> Vec<Arc<RouteEval>> {
    let known = cache.map(|c| c.routes(packs, rows, opts, keys));
    let routes: Vec<Arc<RouteEval>> = keys
        .par_iter()
        .enumerate()
        .map(|(i, (k, first))| {
            if let Some(r) = known.as_ref().and_then(|v| v[i].clone()) {
                return r;
            }
            let mut notes = BTreeSet::new();
            let stops = rows.tables().stops(k.route);
            let r = route_legs(packs, stops, &rows.rows()[*first], opts, &mut notes);
            Arc::new((r.map(Arc::new), notes))
        })
        .collect();
    if let Some(c) = cache {
        c.keep_routes(keys, &routes);
    }
    routes
}

/// The results of rows whose routes all have legs, and the notes met choosing them.
fn results_of(
    rows: &BusinessRows,
    keys: Vec<(RouteKey, usize)>,
    of_row: Arc<Vec<u32>>,
    routes: &[Arc<RouteEval>],
) -> (JourneyResults, BTreeSet<String>) {
    let mut notes = BTreeSet::new();
    for r in routes {
        notes.extend(r.1.iter().cloned());
    }
    // Every row's route has legs (checked by the callers); a route no row uses cannot fail.
    let legs = routes
        .iter()
        .map(|r| match &r.0 {
            Ok(l) => l.clone(),
            Err(_) => Arc::new(RouteLegs::default()),
        })
        .collect();
    (
        JourneyResults {
            rows: rows.shared_rows().clone(),
            keys,
            routes: legs,
            of_row,
        },
        notes,
    )
}

/// Every business journey: each distinct route (with mode and variant) evaluated once by the
/// engine, every row checked; the results are the routes and each row's route
/// ([`JourneyResults`]). The first row (in row order) that cannot be computed is the error.
fn evaluate_journeys(
    packs: &PackSet,
    rows: &BusinessRows,
    opts: &EvalOptions,
    cache: Option<&EvalCache>,
) -> Result<(JourneyResults, BTreeSet<String>), EvalError> {
    let (keys, of_row) = distinct_routes(rows, SCAN_ROWS);
    let routes = eval_routes(packs, rows, opts, &keys, cache);
    let tables = rows.tables();
    let first_error: Option<EvalError> = rows
        .rows()
        .par_chunks(CHUNK_ROWS)
        .zip(of_row.par_chunks(CHUNK_ROWS))
        .map(|(chunk, idx)| {
            chunk.iter().zip(idx).find_map(|(j, &k)| {
                let fail = |message: String| EvalError::Row {
                    file: JourneyRef::new(j, tables).file().to_string(),
                    line: j.line(),
                    message,
                };
                if let Err(m) = check_row(j, tables.stops(j.route).len()) {
                    return Some(fail(m));
                }
                routes[k as usize].0.as_ref().err().map(|m| fail(m.clone()))
            })
        })
        .find_first(Option::is_some)
        .flatten();
    if let Some(e) = first_error {
        return Err(e);
    }
    Ok(results_of(rows, keys, Arc::new(of_row), &routes))
}

/// Computes every row with the engine (in parallel; results in row order).
///
/// # Errors
/// The first row (in row order) that cannot be computed.
pub fn evaluate_rows(
    packs: &PackSet,
    rows: &InventoryRows,
    opts: &EvalOptions,
) -> Result<RowResults, EvalError> {
    evaluate_rows_cached(packs, rows, opts, None)
}

/// A route's legs (or why it has none) and the notes met choosing them.
type RouteEval = (Result<Arc<RouteLegs>, String>, BTreeSet<String>);

/// What one evaluation leaves for the next on changed rows (the steps of a scenario): the
/// legs of every route evaluated and every respondent's year, valid while the packs, the
/// options and the store's tables stay the same. With it a step evaluates only the routes
/// and respondents its interventions changed; every row still goes through the formula.
#[derive(Debug, Default)]
pub struct EvalCache {
    inner: std::sync::Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    /// Fingerprint of the packs, options and tables the entries are valid for.
    valid_for: u64,
    routes: HashMap<RouteKey, Arc<RouteEval>>,
    commuters: HashMap<String, Result<CommuteYear, String>>,
}

impl EvalCache {
    /// An empty cache.
    pub fn new() -> EvalCache {
        EvalCache::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts an evaluation: entries for other packs, options or tables are dropped.
    fn begin(&self, packs: &PackSet, rows: &BusinessRows, opts: &EvalOptions) {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = foldhash::fast::FixedState::default().build_hasher();
        format!("{packs:?}{:?}{:?}", opts.calc, opts.home_working).hash(&mut h);
        (Arc::as_ptr(rows.tables()) as usize).hash(&mut h);
        let fp = h.finish();
        let mut c = self.lock();
        if c.valid_for != fp {
            *c = CacheInner {
                valid_for: fp,
                ..CacheInner::default()
            };
        }
    }

    fn routes(
        &self,
        packs: &PackSet,
        rows: &BusinessRows,
        opts: &EvalOptions,
        keys: &[(RouteKey, usize)],
    ) -> Vec<Option<Arc<RouteEval>>> {
        self.begin(packs, rows, opts);
        let c = self.lock();
        keys.iter().map(|(k, _)| c.routes.get(k).cloned()).collect()
    }

    fn keep_routes(&self, keys: &[(RouteKey, usize)], routes: &[Arc<RouteEval>]) {
        let mut c = self.lock();
        for ((k, _), r) in keys.iter().zip(routes) {
            c.routes.entry(*k).or_insert_with(|| r.clone());
        }
    }
}

/// The key of a respondent's year in [`EvalCache`]: every value but the share.
fn commuter_key(c: &Commuter) -> String {
    let mut c = c.clone();
    c.share = 1.0;
    format!("{c:?}")
}

/// [`evaluate_rows`], reusing (and filling) `cache` for the routes and respondents an earlier
/// evaluation already computed.
///
/// # Errors
/// The first row (in row order) that cannot be computed.
pub fn evaluate_rows_cached(
    packs: &PackSet,
    rows: &InventoryRows,
    opts: &EvalOptions,
    cache: Option<&EvalCache>,
) -> Result<RowResults, EvalError> {
    let row_err = |file: &str, line: u64, message: String| EvalError::Row {
        file: file.to_string(),
        line,
        message,
    };
    let (b, mut notes) = evaluate_journeys(packs, &rows.business, opts, cache)?;
    if let Some(cache) = cache {
        cache.begin(packs, &rows.business, opts);
    }
    let commuters: Vec<Result<CommuteYear, EvalError>> = rows
        .commuters
        .par_iter()
        .map(|c: &Commuter| {
            c.validate().map_err(|m| row_err(&c.file, c.line, m))?;
            let key = cache.map(|_| commuter_key(c));
            if let (Some(cache), Some(k)) = (cache, &key)
                && let Some(r) = cache.lock().commuters.get(k)
            {
                return r.clone().map_err(|m| row_err(&c.file, c.line, m));
            }
            let r = commute_year(
                packs,
                &rows.campus,
                c,
                &opts.calc,
                opts.home_working.as_ref(),
            )
            .map_err(|e| e.to_string());
            if let (Some(cache), Some(k)) = (cache, key) {
                cache.lock().commuters.insert(k, r.clone());
            }
            r.map_err(|m| row_err(&c.file, c.line, m))
        })
        .collect();
    let mut c = Vec::with_capacity(commuters.len());
    for r in commuters {
        let y = r?;
        for l in &y.legs {
            notes.extend(l.notes.iter().cloned());
        }
        c.push(y);
    }
    Ok(RowResults {
        business: b,
        commuters: c,
        notes,
    })
}

/// A 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IntervalOut {
    /// Confidence level in %.
    pub level_pct: f64,
    /// Lower bound, kg CO2e.
    pub low_kg: f64,
    /// Upper bound, kg CO2e.
    pub high_kg: f64,
    /// Lower bound, t CO2e.
    pub low_t: f64,
    /// Upper bound, t CO2e.
    pub high_t: f64,
}

impl IntervalOut {
    fn new(i: Interval, plus_kg: f64) -> IntervalOut {
        let (lo, hi) = (i.low_kg + plus_kg, i.high_kg + plus_kg);
        IntervalOut {
            level_pct: 95.0,
            low_kg: round3(lo),
            high_kg: round3(hi),
            low_t: round3(lo / 1000.0),
            high_t: round3(hi / 1000.0),
        }
    }
}

/// Options as used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionsOut {
    /// Factor pack.
    pub pack: String,
    /// Flights include their non-CO2 part.
    pub include_rf: bool,
    /// `wtw` or `ttw`.
    pub boundary: Boundary,
    /// Forced flight haul.
    pub flight_haul: Option<String>,
    /// Minimum respondents behind a row of a survey breakdown.
    pub min_cell_size: usize,
    /// Bootstrap seed.
    pub bootstrap_seed: u64,
    /// Bootstrap iterations.
    pub bootstrap_iterations: u32,
}

/// The inventory total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalOut {
    /// kg CO2e.
    pub co2e_kg: f64,
    /// t CO2e.
    pub co2e_t: f64,
    /// Passenger-km (business) + person-km (commuting).
    pub distance_km: f64,
    /// 95 % interval from survey sampling (business travel is a census: no sampling error).
    pub interval: Option<IntervalOut>,
}

/// One GHG category line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryOut {
    /// `business`, `commuting` or `home_working`.
    pub key: &'static str,
    /// GHG Protocol scope 3 category.
    pub ghg_category: u8,
    /// Label for tables.
    pub label: &'static str,
    /// kg CO2e.
    pub co2e_kg: f64,
    /// t CO2e.
    pub co2e_t: f64,
    /// Passenger-km (business) or person-km (commuting); 0 for home working.
    pub distance_km: f64,
    /// Share of the inventory total, %.
    pub share_of_total_pct: f64,
    /// Share of the baseline, %.
    pub share_of_baseline_pct: Option<f64>,
    /// 95 % interval (commuting and home working, from the survey bootstrap).
    pub interval: Option<IntervalOut>,
}

/// Home-working emissions, as configured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HomeWorkingOut {
    /// kg CO2e per telework day.
    pub kg_per_day: f64,
    /// Source of the factor.
    pub source: String,
    /// kg CO2e a year, whole population.
    pub co2e_kg: f64,
}

/// Telework: avoided commuting (memo) and optional home-working emissions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeleworkOut {
    /// Telework days a year, whole population.
    pub telework_days: f64,
    /// Person-km of the round trips telework replaces.
    pub avoided_km: f64,
    /// kg CO2e of those round trips (a memo item: not subtracted from any total).
    pub avoided_co2e_kg: f64,
    /// t CO2e of those round trips.
    pub avoided_co2e_t: f64,
    /// Home-working emissions when a factor is configured.
    pub home_working: Option<HomeWorkingOut>,
}

/// One row of the breakdown by mode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeOut {
    /// `business` or `commuting`.
    pub category: &'static str,
    /// Mode key, or the merged row's label.
    pub mode: String,
    /// kg CO2e.
    pub co2e_kg: f64,
    /// Passenger-km (business) or person-km (commuting).
    pub distance_km: f64,
    /// Business journeys (shares summed).
    pub journeys: Option<f64>,
    /// Survey respondents behind a commuting row.
    pub respondents: Option<usize>,
}

/// One row of the breakdown by group (commuting).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupOut {
    /// Group, or the merged row's label.
    pub group: String,
    /// `staff`, `student`, `other` (or `mixed` for a merged row).
    pub role: String,
    /// Population.
    pub population: f64,
    /// `headcount`, `FTE` or `mixed`.
    pub unit: String,
    /// Respondents of the group.
    pub respondents: usize,
    /// People (or FTE) one respondent stands for.
    pub weight: Option<f64>,
    /// The assumption used when the group has no respondents.
    pub assumption: Option<String>,
    /// kg CO2e.
    pub co2e_kg: f64,
    /// t CO2e.
    pub co2e_t: f64,
    /// Person-km.
    pub distance_km: f64,
    /// kg CO2e per head or FTE.
    pub per_capita_kg: f64,
    /// kg CO2e avoided by telework (memo).
    pub telework_avoided_kg: f64,
    /// 95 % interval.
    pub interval: Option<IntervalOut>,
}

/// One row of the breakdown by department (business travel).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepartmentOut {
    /// Department (`(none)` when the row has none).
    pub department: String,
    /// kg CO2e.
    pub co2e_kg: f64,
    /// Passenger-km.
    pub distance_km: f64,
    /// Journeys.
    pub journeys: f64,
}

/// A per-capita figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerCapitaOut {
    /// What it is.
    pub label: String,
    /// kg CO2e per head or FTE.
    pub co2e_kg: f64,
    /// The population divided by.
    pub population: f64,
    /// Its unit.
    pub unit: String,
}

/// Commuting facts beyond the category line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommutingOut {
    /// Respondents used.
    pub respondents: usize,
    /// Population of all groups.
    pub population: f64,
    /// 95 % bootstrap interval of the commuting total.
    pub interval: Option<IntervalOut>,
    /// How each group is extrapolated.
    pub weights: Vec<GroupWeightOut>,
    /// Assumptions for groups without respondents.
    pub assumptions: Vec<String>,
    /// What the minimum cell size did to the breakdowns.
    pub privacy: Vec<String>,
}

/// A group's extrapolation for the output (merged like every breakdown).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupWeightOut {
    /// Group (or the merged label).
    pub group: String,
    /// People (or FTE) one respondent stands for.
    pub weight: Option<f64>,
}

/// A part of the inventory against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselinePart {
    /// Category key.
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
    /// t CO2e.
    pub co2e_t: f64,
    /// Share of the baseline, %.
    pub share_of_baseline_pct: f64,
}

/// The comparison with the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineOut {
    /// Baseline t CO2e.
    pub co2e_t: f64,
    /// Its share of the whole footprint, %.
    pub share_of_footprint_pct: Option<f64>,
    /// What it covers.
    pub covers: Option<String>,
    /// Its source.
    pub source: String,
    /// The whole footprint the share implies: baseline ÷ share.
    pub implied_footprint_t: Option<f64>,
    /// This inventory, t CO2e.
    pub estimate_t: f64,
    /// Estimate − baseline, t.
    pub difference_t: f64,
    /// (Estimate − baseline) ÷ baseline, %.
    pub difference_pct: f64,
    /// Estimate ÷ implied footprint, %.
    pub estimate_share_of_footprint_pct: Option<f64>,
    /// Each category against the baseline.
    pub parts: Vec<BaselinePart>,
}

/// Data quality over all files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityOut {
    /// Per file.
    pub files: Vec<FileQuality>,
    /// Rows read.
    pub rows_read: u64,
    /// Rows used.
    pub rows_used: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
}

/// Everything `footprint inventory` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InventoryResult {
    /// Organisation.
    pub organisation: String,
    /// Year.
    pub year: i32,
    /// Campus label.
    pub campus: String,
    /// Options used.
    pub options: OptionsOut,
    /// The total.
    pub total: TotalOut,
    /// Per GHG category.
    pub categories: Vec<CategoryOut>,
    /// Telework.
    pub telework: Option<TeleworkOut>,
    /// By mode, business then commuting.
    pub by_mode: Vec<ModeOut>,
    /// Commuting by group.
    pub by_group: Vec<GroupOut>,
    /// Business travel by department.
    pub by_department: Vec<DepartmentOut>,
    /// Per-capita figures.
    pub per_capita: Vec<PerCapitaOut>,
    /// Commuting details.
    pub commuting: Option<CommutingOut>,
    /// Against the baseline.
    pub baseline: Option<BaselineOut>,
    /// Rows read/used/rejected.
    pub data_quality: QualityOut,
    /// Method notes and factor fallbacks.
    pub notes: Vec<String>,
}

fn pct(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        (part / whole * 100.0 * 100.0).round() / 100.0
    }
}

/// Evaluates rows with the bundled factor packs.
///
/// # Errors
/// See [`evaluate_with`].
pub fn evaluate(rows: &InventoryRows, opts: &EvalOptions) -> Result<InventoryResult, EvalError> {
    evaluate_with(PackSet::bundled(), rows, opts)
}

/// Exact sums ([`ExactSum`], the same as `footprint business`) of the figures a breakdown
/// cell shows: the same bytes for any row order or thread count.
#[derive(Debug, Clone, Copy, Default)]
struct Agg {
    co2e_kg: ExactSum,
    distance_km: ExactSum,
    telework_kg: ExactSum,
    telework_km: ExactSum,
    telework_days: ExactSum,
    home_kg: ExactSum,
}

impl Agg {
    /// A cell of kg CO2e and passenger-km.
    fn of(co2e_kg: f64, distance_km: f64) -> Agg {
        let mut a = Agg::default();
        a.co2e_kg.add(co2e_kg);
        a.distance_km.add(distance_km);
        a
    }
    fn add(&mut self, o: &Agg) {
        self.co2e_kg.merge(&o.co2e_kg);
        self.distance_km.merge(&o.distance_km);
        self.telework_kg.merge(&o.telework_kg);
        self.telework_km.merge(&o.telework_km);
        self.telework_days.merge(&o.telework_days);
        self.home_kg.merge(&o.home_kg);
    }
    fn co2e_kg(&self) -> f64 {
        self.co2e_kg.value()
    }
    fn distance_km(&self) -> f64 {
        self.distance_km.value()
    }
    fn telework_kg(&self) -> f64 {
        self.telework_kg.value()
    }
    fn telework_km(&self) -> f64 {
        self.telework_km.value()
    }
    fn telework_days(&self) -> f64 {
        self.telework_days.value()
    }
    fn home_kg(&self) -> f64 {
        self.home_kg.value()
    }
}

#[derive(Debug, Clone, Default)]
struct GroupCell {
    agg: Agg,
    population: f64,
    units: BTreeSet<&'static str>,
    roles: BTreeSet<&'static str>,
    respondents: usize,
    weight: Option<f64>,
    assumption: Option<String>,
    interval: Option<Interval>,
}

/// Business-travel cells: the total, by mode and by department, each with its journeys
/// (shares summed).
struct BusinessCells<'a> {
    total: Agg,
    modes: BTreeMap<Mode, (Agg, f64)>,
    departments: BTreeMap<&'a str, (Agg, f64)>,
}

/// Exact sums of kg CO2e and passenger-km of one business cell.
#[derive(Debug, Clone, Copy, Default)]
struct KgKm {
    co2e_kg: ExactSum,
    distance_km: ExactSum,
}

impl KgKm {
    fn merge(&mut self, o: &KgKm) {
        self.co2e_kg.merge(&o.co2e_kg);
        self.distance_km.merge(&o.distance_km);
    }

    fn agg(&self) -> Agg {
        Agg {
            co2e_kg: self.co2e_kg,
            distance_km: self.distance_km,
            ..Agg::default()
        }
    }
}

/// What a run of rows adds to the business cells: the total, each mode's and each
/// department slot's sums (`None` for a cell without rows) and rows, and whether every
/// row's share was 1.
#[derive(Debug, Clone)]
struct CellSums {
    total: KgKm,
    modes: Vec<Option<(KgKm, u64)>>,
    departments: Vec<Option<(KgKm, u64)>>,
    whole_shares: bool,
}

impl CellSums {
    fn new(departments: usize) -> CellSums {
        CellSums {
            total: KgKm::default(),
            modes: vec![None; Mode::ALL.len()],
            departments: vec![None; departments],
            whole_shares: true,
        }
    }

    /// Adds `rows`, rows `start..` of the inventory (each into its mode's and its
    /// department's cell), with their `results`.
    fn add_rows(
        &mut self,
        (start, rows): (usize, &[JourneyRow]),
        results: &JourneyResults,
        slot_of_text: &[u32],
    ) {
        fn cell(c: &mut Option<(KgKm, u64)>, a: &KgKm) {
            let c = c.get_or_insert_with(Default::default);
            c.0.merge(a);
            c.1 += 1;
        }
        let end = start + rows.len();
        let evaluated = results.rows[start..end]
            .iter()
            .zip(&results.of_row[start..end]);
        for (j, (e, &k)) in rows.iter().zip(evaluated) {
            let r = journey_numbers(e, &results.routes[k as usize]);
            let mut a = KgKm::default();
            a.co2e_kg.add(r.co2e_kg);
            a.distance_km.add(r.passenger_km);
            self.total.merge(&a);
            cell(&mut self.modes[j.mode() as usize], &a);
            cell(
                &mut self.departments[slot_of_text[j.text() as usize] as usize],
                &a,
            );
            self.whole_shares &= j.share() == 1.0;
        }
    }

    /// Adds the sums of the rows that follow.
    fn merge(mut self, o: CellSums) -> CellSums {
        self.total.merge(&o.total);
        for (a, b) in self
            .modes
            .iter_mut()
            .chain(self.departments.iter_mut())
            .zip(o.modes.iter().chain(&o.departments))
        {
            match (a.as_mut(), b) {
                (Some(a), Some(b)) => {
                    a.0.merge(&b.0);
                    a.1 += b.1;
                }
                (None, Some(b)) => *a = Some(*b),
                (_, None) => {}
            }
        }
        self.whole_shares &= o.whole_shares;
        self
    }
}

/// Sums the business journeys' results into [`BusinessCells`]: each row into its mode's
/// and its department's cell found by index (the department of each text id looked up
/// once). The kg and km sums are exact ([`ExactSum`]), so chunks of rows are summed in
/// parallel; the journeys (shares summed in `f64`) are the row counts when every share is
/// 1 and else summed in row order: the same bits as one pass in row order.
fn business_cells<'a>(
    rows: &'a InventoryRows,
    rr: &RowResults,
    chunk_rows: usize,
) -> BusinessCells<'a> {
    let tables = rows.business.tables();
    let mut dept_names: Vec<&'a str> = Vec::new();
    let mut dept_slot: BTreeMap<&'a str, u32> = BTreeMap::new();
    let slot_of_text: Vec<u32> = (0..tables.texts() as u32)
        .map(|t| {
            let d = tables.department_of(t);
            let d = if d.is_empty() { "(none)" } else { d };
            *dept_slot.entry(d).or_insert_with(|| {
                dept_names.push(d);
                (dept_names.len() - 1) as u32
            })
        })
        .collect();
    let journeys = rows.business.rows();
    let results = &rr.business;
    let sums = journeys
        .par_chunks(chunk_rows)
        .enumerate()
        .map(|(c, chunk)| {
            let mut s = CellSums::new(dept_names.len());
            s.add_rows((c * chunk_rows, chunk), results, &slot_of_text);
            s
        })
        .collect::<Vec<_>>()
        .into_iter()
        .fold(CellSums::new(dept_names.len()), CellSums::merge);
    let count = |c: &Option<(KgKm, u64)>| c.map(|(a, n)| (a.agg(), n as f64));
    let mut modes: Vec<Option<(Agg, f64)>> = sums.modes.iter().map(count).collect();
    let mut depts: Vec<Option<(Agg, f64)>> = sums.departments.iter().map(count).collect();
    if !sums.whole_shares {
        for c in modes.iter_mut().chain(depts.iter_mut()).flatten() {
            c.1 = 0.0;
        }
        for j in journeys {
            let share = j.share();
            if let Some(m) = &mut modes[j.mode() as usize] {
                m.1 += share;
            }
            if let Some(d) = &mut depts[slot_of_text[j.text() as usize] as usize] {
                d.1 += share;
            }
        }
    }
    let b_modes = Mode::ALL
        .iter()
        .filter_map(|&m| modes[m as usize].map(|c| (m, c)))
        .collect();
    let b_depts = dept_names
        .into_iter()
        .zip(depts)
        .filter_map(|(name, c)| c.map(|c| (name, c)))
        .collect();
    BusinessCells {
        total: sums.total.agg(),
        modes: b_modes,
        departments: b_depts,
    }
}

/// Commuting cells: the total, by mode (with the respondents behind each), by group, the
/// per-respondent samples of the bootstrap and the groups' assumptions.
struct CommutingCells {
    total: Agg,
    modes: BTreeMap<Mode, (Agg, BTreeSet<u32>)>,
    groups: Vec<Cell<GroupCell>>,
    samples: Vec<GroupSample>,
    samples_home: Vec<GroupSample>,
    assumptions: Vec<String>,
}

/// Sums the respondents' results, weighted by their group's extrapolation, into
/// [`CommutingCells`].
fn commuting_cells(
    rows: &InventoryRows,
    rr: &RowResults,
    weights: &[GroupWeight],
) -> CommutingCells {
    // Commuting: every row counts in its own group and in the groups that assume it.
    let mut c_total = Agg::default();
    let mut c_modes: BTreeMap<Mode, (Agg, BTreeSet<u32>)> = BTreeMap::new();
    let mut group_cells: Vec<Cell<GroupCell>> = Vec::new();
    let mut samples: Vec<GroupSample> = Vec::new();
    let mut samples_home: Vec<GroupSample> = Vec::new();
    let index: BTreeMap<&str, usize> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (w.group.as_str(), i))
        .collect();
    let mut assumptions = Vec::new();
    for gw in weights {
        let mut cell = GroupCell {
            population: gw.population,
            units: [gw.unit.label()].into(),
            roles: [gw.role.key()].into(),
            respondents: gw.respondents,
            weight: Some(gw.weight),
            ..GroupCell::default()
        };
        let mut who = BTreeSet::new();
        let mut per_resp: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
        for (c, y) in rows.commuters.iter().zip(&rr.commuters) {
            if c.group != gw.source {
                continue;
            }
            let k = gw.weight * c.share;
            let mut a = Agg::of(y.co2e_kg * k, y.distance_km * k);
            a.telework_kg.add(y.telework_avoided_kg * k);
            a.telework_km.add(y.telework_avoided_km * k);
            a.telework_days.add(y.telework_days_per_year * k);
            a.home_kg.add(y.home_working_kg * k);
            cell.agg.add(&a);
            who.insert(c.respondent);
            for (mode, km, kg) in y.by_mode() {
                let e = c_modes.entry(mode).or_default();
                e.0.co2e_kg.add(kg * k);
                e.0.distance_km.add(km * k);
                e.1.insert(c.respondent);
            }
            if gw.source == gw.group {
                let e = per_resp.entry(c.respondent).or_default();
                e.0 += y.co2e_kg * c.share;
                e.1 += (y.co2e_kg + y.home_working_kg) * c.share;
            }
        }
        if gw.source != gw.group {
            let note = format!(
                "{}: no respondents; the per-capita commuting of `{}` is used for its {} {}",
                gw.group,
                gw.source,
                gw.population,
                gw.unit.label()
            );
            cell.assumption = Some(format!("per capita of `{}`", gw.source));
            assumptions.push(note);
        }
        c_total.add(&cell.agg);
        let source = index[gw.source.as_str()];
        samples.push(GroupSample {
            population: gw.population,
            values: per_resp.values().map(|v| v.0).collect(),
            source,
        });
        samples_home.push(GroupSample {
            population: gw.population,
            values: per_resp.values().map(|v| v.1).collect(),
            source,
        });
        group_cells.push(Cell {
            key: gw.group.clone(),
            respondents: who,
            value: cell,
        });
    }
    CommutingCells {
        total: c_total,
        modes: c_modes,
        groups: group_cells,
        samples,
        samples_home,
        assumptions,
    }
}

/// One label for a set of labels: the label, or `mixed`.
fn one(s: &BTreeSet<&'static str>) -> String {
    if s.len() == 1 {
        s.iter().next().copied().unwrap_or_default().to_string()
    } else {
        "mixed".into()
    }
}

/// Per-capita figures: business travel per staff member, commuting per staff member and
/// per student (withheld, with a privacy note, when they rest on too few respondents or
/// would reveal a merged group by difference), and the total per member of the population.
fn per_capita(
    rows: &InventoryRows,
    rr: &RowResults,
    weights: &[GroupWeight],
    merged_keys: &[String],
    (business_kg, total_kg): (f64, f64),
    min: usize,
    privacy: &mut Vec<String>,
) -> Vec<PerCapitaOut> {
    let mut per_capita = Vec::new();
    // A role's figure minus the groups shown on their own gives the role's merged groups: it is
    // shown only when those rest on no respondents or on at least the minimum.
    // The merged row minus the role's merged groups is the other roles' merged groups: that
    // difference must rest on none or on at least the minimum too (complementary
    // suppression), else staff (22) + visitor (2) merged, minus "per staff member" ×
    // population, gives the visitors.
    let role_sum = |role: Role| -> (f64, BTreeSet<&'static str>, f64, BTreeSet<u32>, usize) {
        let mut pop = 0.0;
        let mut units = BTreeSet::new();
        let mut kg = ExactSum::default();
        let mut who = BTreeSet::new();
        let mut hidden = BTreeSet::new();
        let mut rest = BTreeSet::new();
        for (gw, cell) in weights.iter().zip(&samples_cells(weights, rows)) {
            if gw.role == role {
                pop += gw.population;
                units.insert(gw.unit.label());
                who.extend(cell.iter().copied());
                if merged_keys.contains(&gw.group) {
                    hidden.extend(cell.iter().copied());
                }
            } else if merged_keys.contains(&gw.group) {
                rest.extend(cell.iter().copied());
            }
        }
        let hidden = if !hidden.is_empty() && !rest.is_empty() && rest.len() < min {
            1 // the complement is too small: as if the role's hidden part were
        } else {
            hidden.len()
        };
        for gw in weights.iter().filter(|g| g.role == role) {
            for (c, y) in rows.commuters.iter().zip(&rr.commuters) {
                if c.group == gw.source {
                    kg.add(y.co2e_kg * gw.weight * c.share);
                }
            }
        }
        (pop, units, kg.value(), who, hidden)
    };
    let (staff_pop, staff_units, staff_kg, staff_who, staff_hidden) = role_sum(Role::Staff);
    let (stud_pop, stud_units, stud_kg, stud_who, stud_hidden) = role_sum(Role::Student);
    if rows.has_business && staff_pop > 0.0 {
        per_capita.push(PerCapitaOut {
            label: "business travel per staff member".into(),
            co2e_kg: round3(business_kg / staff_pop),
            population: staff_pop,
            unit: one(&staff_units),
        });
    }
    for (label, pop, units, kg, who, hidden) in [
        (
            "commuting per staff member",
            staff_pop,
            staff_units,
            staff_kg,
            staff_who,
            staff_hidden,
        ),
        (
            "commuting per student",
            stud_pop,
            stud_units,
            stud_kg,
            stud_who,
            stud_hidden,
        ),
    ] {
        if pop <= 0.0 {
            continue;
        }
        if who.len() < min || (hidden > 0 && hidden < min) {
            privacy.push(format!(
                "a per-capita commuting figure rests on fewer than {min} respondents: not shown"
            ));
            continue;
        }
        per_capita.push(PerCapitaOut {
            label: label.into(),
            co2e_kg: round3(kg / pop),
            population: pop,
            unit: one(&units),
        });
    }
    let all_pop: f64 = weights.iter().map(|g| g.population).sum();
    if all_pop > 0.0 {
        let units: BTreeSet<&'static str> = weights.iter().map(|g| g.unit.label()).collect();
        per_capita.push(PerCapitaOut {
            label: "total per member of the population (all groups)".into(),
            co2e_kg: round3(total_kg / all_pop),
            population: all_pop,
            unit: one(&units),
        });
    }

    per_capita
}

/// Evaluates rows with the given packs (a scenario may bring changed factors).
///
/// Business journeys are computed with [`estimate`]; commuters with [`commute_year`], each
/// weighted by its group's [`extrapolation`]. Survey breakdowns go through the minimum cell
/// size; totals never lose a row.
///
/// # Errors
/// A row that cannot be computed, or groups that cannot be extrapolated.
pub fn evaluate_with(
    packs: &PackSet,
    rows: &InventoryRows,
    opts: &EvalOptions,
) -> Result<InventoryResult, EvalError> {
    extrapolation(rows)?;
    let rr = evaluate_rows(packs, rows, opts)?;
    summarise(rows, &rr, opts)
}

/// Every inventory figure from rows already evaluated once ([`evaluate_rows`]): what
/// [`evaluate_with`] does after evaluating, for callers that keep the per-row results
/// (report, scenarios) and so never evaluate a row twice.
///
/// # Errors
/// Groups that cannot be extrapolated.
pub fn summarise(
    rows: &InventoryRows,
    rr: &RowResults,
    opts: &EvalOptions,
) -> Result<InventoryResult, EvalError> {
    let weights = extrapolation(rows)?;
    let min = opts.min_cell_size.max(1);
    let business = business_cells(rows, rr, SCAN_ROWS);
    let CommutingCells {
        total: c_total,
        modes: c_modes,
        groups: mut group_cells,
        samples,
        samples_home,
        assumptions,
    } = commuting_cells(rows, rr, &weights);
    let boot = if rows.has_commuting() {
        bootstrap(&samples, &opts.bootstrap)
    } else {
        None
    };
    let boot_home = match (&opts.home_working, rows.has_commuting()) {
        (Some(_), true) => bootstrap(&samples_home, &opts.bootstrap),
        _ => None,
    };
    if let Some(b) = &boot {
        for (cell, i) in group_cells.iter_mut().zip(&b.groups) {
            cell.value.interval = Some(*i);
        }
    }
    let totals = totals_out(
        rows,
        opts,
        (&business.total, &c_total),
        (boot.as_ref(), boot_home.as_ref()),
    );
    let mut privacy = Vec::new();
    let by_mode = modes_out(&business.modes, c_modes, min, &mut privacy);
    let groups = groups_out(group_cells, min, &mut privacy);
    let by_department = departments_out(&business.departments);
    let per_capita = per_capita(
        rows,
        rr,
        &weights,
        &groups.merged_keys,
        (business.total.co2e_kg(), totals.total_kg),
        min,
        &mut privacy,
    );
    let baseline = baseline_out(opts, totals.total_kg, &totals.categories);
    let notes = notes_out(rows, rr, opts, boot.is_some());
    let respondents: BTreeSet<u32> = rows.commuters.iter().map(|c| c.respondent).collect();
    let all_pop: f64 = weights.iter().map(|g| g.population).sum();
    Ok(InventoryResult {
        organisation: rows.organisation.clone(),
        year: rows.year,
        campus: rows.campus.label.clone(),
        options: options_out(opts, min),
        total: totals.total,
        categories: totals.categories,
        telework: totals.telework,
        by_mode,
        by_group: groups.by_group,
        by_department,
        per_capita,
        commuting: rows.has_commuting().then(|| CommutingOut {
            respondents: respondents.len(),
            population: all_pop,
            interval: boot.as_ref().map(|b| IntervalOut::new(b.total, 0.0)),
            weights: groups.weights,
            assumptions,
            privacy,
        }),
        baseline,
        data_quality: QualityOut {
            rows_read: rows.quality.iter().map(|f| f.rows_read).sum(),
            rows_used: rows.quality.iter().map(|f| f.rows_used).sum(),
            rows_rejected: rows.quality.iter().map(|f| f.rows_rejected).sum(),
            files: rows.quality.clone(),
        },
        notes,
    })
}

/// The options as used, for the output.
fn options_out(opts: &EvalOptions, min: usize) -> OptionsOut {
    OptionsOut {
        pack: opts.calc.pack.clone(),
        include_rf: opts.calc.include_rf,
        boundary: if opts.calc.include_wtt {
            Boundary::Wtw
        } else {
            Boundary::Ttw
        },
        flight_haul: opts.calc.haul_override.clone(),
        min_cell_size: min,
        bootstrap_seed: opts.bootstrap.seed,
        bootstrap_iterations: opts.bootstrap.iterations,
    }
}

/// The total, the GHG category lines and telework of [`summarise`].
struct Totals {
    total_kg: f64,
    total: TotalOut,
    categories: Vec<CategoryOut>,
    telework: Option<TeleworkOut>,
}

/// Totals and category lines from the business and commuting totals and the bootstraps.
fn totals_out(
    rows: &InventoryRows,
    opts: &EvalOptions,
    (b_total, c_total): (&Agg, &Agg),
    (boot, boot_home): (Option<&BootstrapResult>, Option<&BootstrapResult>),
) -> Totals {
    let home_kg = c_total.home_kg();
    let total_kg = b_total.co2e_kg() + c_total.co2e_kg() + home_kg;
    let baseline_kg = opts.baseline.as_ref().map(|b| b.co2e_t * 1000.0);
    let share_of_baseline = |kg: f64| baseline_kg.map(|b| pct(kg, b));
    let line = |key, ghg_category, label, kg: f64, km, interval| CategoryOut {
        key,
        ghg_category,
        label,
        co2e_kg: round3(kg),
        co2e_t: round3(kg / 1000.0),
        distance_km: km,
        share_of_total_pct: pct(kg, total_kg),
        share_of_baseline_pct: share_of_baseline(kg),
        interval,
    };
    let mut categories = Vec::new();
    if rows.has_business {
        categories.push(line(
            "business",
            6,
            "business travel",
            b_total.co2e_kg(),
            round3(b_total.distance_km()),
            None,
        ));
    }
    if rows.has_commuting() {
        categories.push(line(
            "commuting",
            7,
            "commuting",
            c_total.co2e_kg(),
            round3(c_total.distance_km()),
            boot.map(|b| IntervalOut::new(b.total, 0.0)),
        ));
        if opts.home_working.is_some() {
            categories.push(line(
                "home_working",
                7,
                "home working (telework days)",
                home_kg,
                0.0,
                None,
            ));
        }
    }
    let total_interval = match (boot_home, boot) {
        (Some(b), _) | (None, Some(b)) => Some(IntervalOut::new(b.total, b_total.co2e_kg())),
        _ => None,
    };
    let total = TotalOut {
        co2e_kg: round3(total_kg),
        co2e_t: round3(total_kg / 1000.0),
        distance_km: round3(b_total.distance_km() + c_total.distance_km()),
        interval: total_interval,
    };
    let telework = rows.has_commuting().then(|| TeleworkOut {
        telework_days: round3(c_total.telework_days()),
        avoided_km: round3(c_total.telework_km()),
        avoided_co2e_kg: round3(c_total.telework_kg()),
        avoided_co2e_t: round3(c_total.telework_kg() / 1000.0),
        home_working: opts.home_working.as_ref().map(|h| HomeWorkingOut {
            kg_per_day: h.kg_per_day,
            source: h.source.clone(),
            co2e_kg: round3(home_kg),
        }),
    });
    Totals {
        total_kg,
        total,
        categories,
        telework,
    }
}

/// By mode: business modes, then commuting modes with the small ones merged.
fn modes_out(
    b_modes: &BTreeMap<Mode, (Agg, f64)>,
    c_modes: BTreeMap<Mode, (Agg, BTreeSet<u32>)>,
    min: usize,
    privacy: &mut Vec<String>,
) -> Vec<ModeOut> {
    let mut by_mode = Vec::new();
    for (mode, (a, n)) in b_modes {
        by_mode.push(ModeOut {
            category: "business",
            mode: mode.key().to_string(),
            co2e_kg: round3(a.co2e_kg()),
            distance_km: round3(a.distance_km()),
            journeys: Some(round3(*n)),
            respondents: None,
        });
    }
    let mode_cells: Vec<Cell<Agg>> = c_modes
        .into_iter()
        .map(|(m, (a, who))| Cell {
            key: m.key().to_string(),
            respondents: who,
            value: a,
        })
        .collect();
    let merged_modes = merge_small_cells(mode_cells, min, |a, b| a.add(b));
    if !merged_modes.merged_keys.is_empty() {
        privacy.push(format!(
            "commuting by mode: {} modes with fewer than {min} respondents merged into one row",
            merged_modes.merged_keys.len()
        ));
    }
    for c in &merged_modes.cells {
        by_mode.push(ModeOut {
            category: "commuting",
            mode: c.key.clone(),
            co2e_kg: round3(c.value.co2e_kg()),
            distance_km: round3(c.value.distance_km()),
            journeys: None,
            respondents: Some(c.respondents.len()),
        });
    }
    by_mode
}

/// The groups of [`summarise`]: rows, weights and the groups merged by the privacy rule.
struct GroupsOut {
    by_group: Vec<GroupOut>,
    weights: Vec<GroupWeightOut>,
    merged_keys: Vec<String>,
}

/// By group, the small groups merged.
fn groups_out(
    group_cells: Vec<Cell<GroupCell>>,
    min: usize,
    privacy: &mut Vec<String>,
) -> GroupsOut {
    let merged_groups = merge_small_cells(group_cells, min, |a: &mut GroupCell, b| {
        a.agg.add(&b.agg);
        a.population += b.population;
        a.units.extend(b.units.iter().copied());
        a.roles.extend(b.roles.iter().copied());
        a.respondents += b.respondents;
        a.weight = None;
        a.interval = None;
    });
    if !merged_groups.merged_keys.is_empty() {
        privacy.push(format!(
            "commuting by group: {} groups with fewer than {min} respondents merged into one row",
            merged_groups.merged_keys.len()
        ));
    }
    let by_group: Vec<GroupOut> = merged_groups
        .cells
        .iter()
        .map(|c| {
            let v = &c.value;
            GroupOut {
                group: c.key.clone(),
                role: one(&v.roles),
                population: v.population,
                unit: one(&v.units),
                respondents: v.respondents,
                weight: v.weight.map(|w| (w * 1000.0).round() / 1000.0),
                assumption: v.assumption.clone(),
                co2e_kg: round3(v.agg.co2e_kg()),
                co2e_t: round3(v.agg.co2e_kg() / 1000.0),
                distance_km: round3(v.agg.distance_km()),
                per_capita_kg: if v.population > 0.0 {
                    round3(v.agg.co2e_kg() / v.population)
                } else {
                    0.0
                },
                telework_avoided_kg: round3(v.agg.telework_kg()),
                interval: v.interval.map(|i| IntervalOut::new(i, 0.0)),
            }
        })
        .collect();
    let weights = merged_groups
        .cells
        .iter()
        .map(|c| GroupWeightOut {
            group: c.key.clone(),
            weight: c.value.weight.map(|w| (w * 1000.0).round() / 1000.0),
        })
        .collect();
    GroupsOut {
        by_group,
        weights,
        merged_keys: merged_groups.merged_keys,
    }
}

/// By department (business travel), largest first.
fn departments_out(b_depts: &BTreeMap<&str, (Agg, f64)>) -> Vec<DepartmentOut> {
    let mut by_department: Vec<DepartmentOut> = b_depts
        .iter()
        .map(|(d, (a, n))| DepartmentOut {
            department: d.to_string(),
            co2e_kg: round3(a.co2e_kg()),
            distance_km: round3(a.distance_km()),
            journeys: round3(*n),
        })
        .collect();
    by_department.sort_by(|a, b| {
        b.co2e_kg
            .total_cmp(&a.co2e_kg)
            .then_with(|| a.department.cmp(&b.department))
    });
    by_department
}

/// The comparison with the configured baseline.
fn baseline_out(
    opts: &EvalOptions,
    total_kg: f64,
    categories: &[CategoryOut],
) -> Option<BaselineOut> {
    opts.baseline.as_ref().map(|b| {
        let implied = b.share_of_footprint_pct.map(|s| b.co2e_t / (s / 100.0));
        BaselineOut {
            co2e_t: b.co2e_t,
            share_of_footprint_pct: b.share_of_footprint_pct,
            covers: b.covers.clone(),
            source: b.source.clone(),
            implied_footprint_t: implied.map(|v| (v * 10.0).round() / 10.0),
            estimate_t: round3(total_kg / 1000.0),
            difference_t: round3(total_kg / 1000.0 - b.co2e_t),
            difference_pct: pct(total_kg / 1000.0 - b.co2e_t, b.co2e_t),
            estimate_share_of_footprint_pct: implied.map(|f| pct(total_kg / 1000.0, f)),
            parts: categories
                .iter()
                .map(|c| BaselinePart {
                    key: c.key,
                    label: c.label,
                    co2e_t: c.co2e_t,
                    share_of_baseline_pct: c.share_of_baseline_pct.unwrap_or(0.0),
                })
                .collect(),
        }
    })
}

/// Reading notes, method notes and the factor notes met evaluating.
fn notes_out(rows: &InventoryRows, rr: &RowResults, opts: &EvalOptions, boot: bool) -> Vec<String> {
    let mut notes: Vec<String> = rows.notes.clone();
    if rows.has_commuting() {
        notes.push(
            "telework: avoided emissions are a memo line, never subtracted; home-working emissions count only when a factor is configured".into(),
        );
        if boot {
            notes.push(format!(
                "interval: 95 % percentile bootstrap over survey respondents within each group ({} iterations, seed {}); business travel is a census without sampling error",
                opts.bootstrap.iterations, opts.bootstrap.seed
            ));
        }
    }
    notes.extend(rr.notes.iter().cloned());
    notes
}

/// The respondents standing behind each group (its source's respondents).
fn samples_cells(weights: &[GroupWeight], rows: &InventoryRows) -> Vec<BTreeSet<u32>> {
    weights
        .iter()
        .map(|gw| {
            rows.commuters
                .iter()
                .filter(|c| c.group == gw.source)
                .map(|c| c.respondent)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Journey;
    use crate::mode::{Cabin, Fuel, Size};
    use crate::places::Gazetteer;

    /// Rows over several routes, modes and departments (one without), with fractional
    /// shares unless `whole`.
    fn rows(whole: bool) -> InventoryRows {
        let g = Gazetteer::bundled();
        let stop = |q: &str| Stop::from_place(&g.resolve(q).unwrap());
        let mut rows = InventoryRows::new("T", 2025, stop("ut"));
        rows.has_business = true;
        let trips = [
            ("Paris", Mode::Train),
            ("Barcelona", Mode::Flight),
            ("Amsterdam", Mode::Car),
            ("Berlin", Mode::Train),
            ("Paris", Mode::Flight),
        ];
        for i in 0..47 {
            let (to, mode) = trips[i * 7 % trips.len()];
            rows.business.push(Journey {
                file: Arc::from("trips.csv"),
                line: i as u64 + 2,
                id: String::new(),
                mode,
                cabin: Cabin::Economy,
                size: Size::Average,
                fuel: Fuel::Unknown,
                stops: vec![stop("Enschede"), stop(to)],
                round_trip: i % 3 == 0,
                travellers: 1.0 + (i % 4) as f64,
                occupancy: 1.0,
                distance_km: None,
                cost_eur: None,
                department: ["BMS", "ITC", "", "EEMCS"][i % 4].into(),
                share: if whole {
                    1.0
                } else {
                    [1.0, 0.3, 0.7, 0.1][i % 4]
                },
                dimensions: Vec::new(),
            });
        }
        rows
    }

    /// Every figure of business cells as exact bits.
    fn bits(c: &BusinessCells<'_>) -> Vec<(String, u64, u64, u64)> {
        let cell = |k: String, a: &Agg, n: f64| {
            (
                k,
                a.co2e_kg().to_bits(),
                a.distance_km().to_bits(),
                n.to_bits(),
            )
        };
        let mut v = vec![cell("total".into(), &c.total, 0.0)];
        v.extend(
            c.modes
                .iter()
                .map(|(m, (a, n))| cell(m.key().into(), a, *n)),
        );
        v.extend(
            c.departments
                .iter()
                .map(|(d, (a, n))| cell(d.to_string(), a, *n)),
        );
        v
    }

    #[test]
    fn chunked_scans_give_the_bits_of_one_pass_in_row_order() {
        for whole in [true, false] {
            let rows = rows(whole);
            let rr = evaluate_rows(PackSet::bundled(), &rows, &EvalOptions::default()).unwrap();
            let one_pass = distinct_routes(&rows.business, usize::MAX);
            assert_eq!(one_pass.0.len(), 5);
            let cells = bits(&business_cells(&rows, &rr, usize::MAX));
            for chunk in [1, 2, 3, 7, 46] {
                let (keys, of_row) = distinct_routes(&rows.business, chunk);
                assert_eq!(keys, one_pass.0, "chunk {chunk}");
                assert_eq!(of_row, one_pass.1, "chunk {chunk}");
                assert_eq!(
                    bits(&business_cells(&rows, &rr, chunk)),
                    cells,
                    "chunk {chunk}"
                );
            }
            // The journeys of a department: its shares summed in row order.
            let mut bms = 0.0;
            for j in rows.business.rows().iter().step_by(4) {
                bms += j.share();
            }
            let c = business_cells(&rows, &rr, 3);
            assert_eq!(c.departments["BMS"].1.to_bits(), bms.to_bits());
            assert_eq!(c.departments.len(), 4, "(none) included");
            let kg: ExactSum = rr.business.co2e_kg().fold(ExactSum::default(), |mut s, v| {
                s.add(v);
                s
            });
            assert_eq!(c.total.co2e_kg().to_bits(), kg.value().to_bits());
        }
    }
}
