//! Business-travel inventory (GHG Protocol scope 3, category 6) from journey rows.
//!
//! One row of an export is one journey: `origin`, `destination`, optional `via` stopovers,
//! `mode`, and optionally `id`, `date`, `cabin`, `round_trip`, `travellers`, `occupancy`,
//! `size`, `fuel`, `distance_km` (see [`schema`]). Every other column is a dimension to group
//! by. Rows that cannot be used are never dropped silently: each becomes a [`Reject`] with
//! file, line, raw values, reason and suggestion, and the summary counts rows read, used and
//! rejected.
//!
//! # Method
//!
//! Each row is computed with the journey engine ([`crate::journey::choose_leg`], what
//! [`crate::journey::leg`] decides): places resolved
//! with the gazetteer, geodesic great-circle km, the pack's detour or flight convention, the
//! pack's factor for the mode and variant. A row's kg CO2e is
//! `Σ legs (travelled km × factor) × travellers × (2 if round trip)`, with per-vehicle factors
//! (car, motorbike) divided by `occupancy` (default 1), exactly as
//! [`crate::journey::estimate`] computes it. A given `distance_km` (one way, whole route)
//! replaces the computed travelled km and is shared over the legs in proportion to their
//! computed distances, and sets the flight band (each leg's share of it).
//!
//! `distance_km` totals are **passenger-km travelled**: one-way travelled km × travellers ×
//! (2 for a round trip). The `distance_band` dimension ([`DistanceBand`]) uses the **one-way travelled km of the
//! whole journey** (all legs, detours applied, or the given `distance_km`).
//!
//! # Speed
//!
//! Files are streamed in batches ([`crate::input`]) and computed in parallel with rayon. Each
//! distinct place text is resolved once and each distinct (origin, destination, mode, variant)
//! leg computed once per run (shared caches behind a per-batch cache, so threads rarely
//! meet). Results are reduced in input order and summed exactly ([`crate::aggregate`]), so
//! the output is byte-identical for any number of threads.

use crate::aggregate::{Contribution, Group, Groups, KEY_SEP, Totals};
use crate::breakdown::DistanceBand;
use crate::distance::geodesic_km;
use crate::factors::Unit;
use crate::factors::{PackSet, Parts};
use crate::input::{
    Batch, ColumnMap, Date, InputError, InputErrorKind, InputReader, Mapping, Record, Schema,
    for_each_batch_ordered, normalise_header, parse_date,
};
use crate::journey::{
    CalcOptions, FactorUse, JourneyError, LegFigures, Stop, Travel, TripSpec, choose_leg,
    journey_figures, leg_distance_km,
};
use crate::mode::{Cabin, Fuel, Mode, Size, UnknownWord, parse_bool};
use crate::places::{Gazetteer, Place, PlaceError, Resolution, choose_by_context};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Field index of `id` in [`schema`].
pub const F_ID: usize = 0;
/// Field index of `date`.
pub const F_DATE: usize = 1;
/// Field index of `origin`.
pub const F_ORIGIN: usize = 2;
/// Field index of `destination`.
pub const F_DESTINATION: usize = 3;
/// Field index of `via`.
pub const F_VIA: usize = 4;
/// Field index of `mode`.
pub const F_MODE: usize = 5;
/// Field index of `cabin`.
pub const F_CABIN: usize = 6;
/// Field index of `round_trip`.
pub const F_ROUND_TRIP: usize = 7;
/// Field index of `travellers`.
pub const F_TRAVELLERS: usize = 8;
/// Field index of `occupancy`.
pub const F_OCCUPANCY: usize = 9;
/// Field index of `size`.
pub const F_SIZE: usize = 10;
/// Field index of `fuel`.
pub const F_FUEL: usize = 11;
/// Field index of `distance_km`.
pub const F_DISTANCE_KM: usize = 12;

/// The fields a business-travel export may have; `origin`, `destination` and `mode` are required.
pub fn schema() -> Schema {
    Schema::new(&[
        ("id", false),
        ("date", false),
        ("origin", true),
        ("destination", true),
        ("via", false),
        ("mode", true),
        ("cabin", false),
        ("round_trip", false),
        ("travellers", false),
        ("occupancy", false),
        ("size", false),
        ("fuel", false),
        ("distance_km", false),
    ])
}

/// Dimensions computed from every row, available to `--by` next to the file's own columns.
pub const DERIVED_DIMENSIONS: [&str; 4] = ["mode", "country", "month", "distance_band"];

/// Options of a business-travel run.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessOptions {
    /// Factor pack and reporting boundary.
    pub calc: CalcOptions,
    /// Dimensions to group by: derived ones ([`DERIVED_DIMENSIONS`]) or column names.
    pub by: Vec<String>,
    /// A user column map or preset, overriding the built-in aliases.
    pub columns: Option<ColumnMap>,
    /// How many rejects the summary lists in full (all are counted and visited).
    pub keep_rejects: usize,
    /// Batches read ahead of the reduction (0 = the number of threads + 2).
    pub in_flight: usize,
    /// ISO2 code of the campus country: a same-name place there wins when the journey's
    /// other end does not decide ([`crate::places::choose_by_context`]).
    pub campus_country: Option<String>,
}

impl Default for BusinessOptions {
    fn default() -> Self {
        BusinessOptions {
            calc: CalcOptions::default(),
            by: Vec::new(),
            columns: None,
            keep_rejects: 100,
            in_flight: 0,
            campus_country: None,
        }
    }
}

/// A place as resolved for a run.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedPlace {
    /// The gazetteer's place.
    pub place: Place,
    /// The engine's stop.
    pub stop: Stop,
    /// Run-local number of the place (same place id, same number), for cache keys.
    key: u32,
    /// Land mass of the country ([`crate::places::land_mass`]); [`NO_LAND`] when unknown.
    land: u16,
    /// For a name that several places carry: every candidate, aligned with
    /// `resolution.candidates` (the chosen one included). Empty otherwise.
    namesakes: Vec<Arc<ResolvedPlace>>,
    /// The gazetteer's resolution of an ambiguous name; `None` for one place.
    resolution: Option<Arc<Resolution>>,
}

/// One leg as the engine computed it ([`crate::journey::leg`]): one way, one traveller,
/// occupancy 1, computed distance. Rows sharing a factor share one [`FactorUse`].
#[derive(Debug, Clone, PartialEq)]
pub struct LegUse {
    /// Geodesic km between the stops.
    pub great_circle_km: f64,
    /// Travelled km (detour or flight convention applied).
    pub distance_km: f64,
    /// Flight haul band, if a flight.
    pub haul: Option<Arc<str>>,
    /// The factor with its provenance and the fallbacks taken.
    pub factor: Arc<FactorUse>,
}

/// A row that cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    /// Short stable reason, the key of `rejects_by_reason` (`unknown place`, `unknown mode`,
    /// `missing value`, `invalid travellers` ...).
    pub reason: &'static str,
    /// File, line, column, raw value, message and suggestion.
    pub error: InputError,
    /// The raw row: header name → value.
    pub raw: Vec<(String, String)>,
}

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.error, self.reason)
    }
}

impl Serialize for Reject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Raw<'a>(&'a [(String, String)]);
        impl Serialize for Raw<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in self.0 {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
        let e = &self.error;
        let mut st = s.serialize_struct("Reject", 8)?;
        st.serialize_field("file", &e.file)?;
        st.serialize_field("line", &e.line)?;
        st.serialize_field("reason", self.reason)?;
        st.serialize_field("column", &e.column)?;
        st.serialize_field("value", &e.value)?;
        st.serialize_field("message", &e.message)?;
        st.serialize_field("suggestion", &e.suggestion)?;
        st.serialize_field("raw", &Raw(&self.raw))?;
        st.end()
    }
}

/// One computed journey row, for consumers that keep or print rows (audit, inventory).
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessRow {
    /// The file.
    pub file: Arc<str>,
    /// Physical line in the file.
    pub line: u64,
    /// The row's `id` (empty when absent).
    pub id: String,
    /// Travel date, when given.
    pub date: Option<Date>,
    /// Mode.
    pub mode: Mode,
    /// Flight cabin (economy when not a flight).
    pub cabin: Cabin,
    /// Car/motorbike size.
    pub size: Size,
    /// Car fuel.
    pub fuel: Fuel,
    /// Out and back.
    pub round_trip: bool,
    /// Travellers (> 0).
    pub travellers: f64,
    /// People per vehicle for per-vehicle factors (>= 1).
    pub occupancy: f64,
    /// Origin, stopovers, destination.
    pub stops: Vec<Arc<ResolvedPlace>>,
    /// The legs as the engine computed them: one way, one traveller, occupancy 1, computed
    /// distance (the row's own figures are below).
    pub legs: Vec<LegUse>,
    /// Geodesic km of the route, one way.
    pub great_circle_km: f64,
    /// Travelled km of the route, one way (detours applied, or as given).
    pub distance_km: f64,
    /// Whether `distance_km` was given in the row.
    pub distance_given: bool,
    /// Passenger-km: `distance_km` × travellers × trips.
    pub passenger_km: f64,
    /// kg CO2e of the row (all travellers, both ways for a round trip).
    pub co2e_kg: f64,
    /// Parts of `co2e_kg`.
    pub parts: Parts,
    /// Values of the `--by` dimensions, in `--by` order.
    pub group: Vec<String>,
    /// Every dimension column of the file: name → value.
    pub dimensions: Vec<(Arc<str>, String)>,
}

impl BusinessRow {
    /// The variant in words: `short-haul economy`, `average car, unknown fuel`, or the factor id.
    pub fn variant(&self) -> String {
        match self.mode {
            Mode::Flight => {
                let hauls: BTreeSet<&str> =
                    self.legs.iter().filter_map(|l| l.haul.as_deref()).collect();
                let hauls: Vec<&str> = hauls.into_iter().collect();
                format!("{} {}", hauls.join("+"), self.cabin.key())
            }
            Mode::Car => format!("{} {}", self.size.key(), self.fuel.key()),
            Mode::Motorbike => self.size.key().to_string(),
            _ => String::new(),
        }
    }
}

/// A row handed to a per-row function: computed, or rejected.
#[derive(Debug, Clone, Copy)]
pub enum RowRef<'a> {
    /// A computed row.
    Used(&'a BusinessRow),
    /// A rejected row.
    Rejected(&'a Reject),
}

/// What a run reports to its visitor, in input order.
#[derive(Debug)]
pub enum Visit<'a, T> {
    /// The per-row function's result for the next row.
    Row(T),
    /// The next rejected row.
    Reject(&'a Reject),
    /// Progress after a batch.
    Progress {
        /// The file.
        file: &'a str,
        /// Bytes of it read so far.
        bytes_done: u64,
        /// Its size, when known.
        bytes_total: Option<u64>,
    },
}

/// Counts for one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// The file as named.
    pub file: String,
    /// `csv`, `xlsx` or `json`.
    pub format: &'static str,
    /// Non-blank rows read.
    pub rows_read: u64,
    /// Rows computed.
    pub rows_used: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
}

/// Totals and parts in kg CO2e.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PartsKg {
    /// Tank-to-wheel.
    pub ttw_kg: f64,
    /// Well-to-tank.
    pub wtt_kg: f64,
    /// Well-to-wheel energy not split by the source.
    pub energy_wtw_kg: f64,
    /// Non-CO2 effects of flights.
    pub non_co2_kg: f64,
    /// Vehicle construction.
    pub construction_kg: f64,
}

impl From<Parts> for PartsKg {
    fn from(p: Parts) -> Self {
        PartsKg {
            ttw_kg: round3(p.ttw),
            wtt_kg: round3(p.wtt),
            energy_wtw_kg: round3(p.energy_wtw),
            non_co2_kg: round3(p.non_co2),
            construction_kg: round3(p.construction),
        }
    }
}

/// Rounds to three decimals (grams, metres): reports carry a fixed precision.
pub fn round3(v: f64) -> f64 {
    let r = (v * 1000.0).round() / 1000.0;
    if r == 0.0 { 0.0 } else { r }
}

/// One group of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    /// `--by` dimension → value.
    pub values: Vec<(String, String)>,
    /// kg CO2e.
    pub co2e_kg: f64,
    /// Passenger-km travelled.
    pub distance_km: f64,
    /// Rows.
    pub journeys: u64,
    /// Parts.
    pub parts: PartsKg,
}

impl Serialize for GroupSummary {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.values.len() + 4))?;
        for (k, v) in &self.values {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("co2e_kg", &self.co2e_kg)?;
        m.serialize_entry("distance_km", &self.distance_km)?;
        m.serialize_entry("journeys", &self.journeys)?;
        m.serialize_entry("parts", &self.parts)?;
        m.end()
    }
}

/// Reporting options as used, for the output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionsUsed {
    /// Factor pack id.
    pub pack: String,
    /// Flights include their non-CO2 part.
    pub include_rf: bool,
    /// Well-to-tank included (well-to-wheel boundary).
    pub include_wtt: bool,
    /// Forced flight haul.
    pub flight_haul: Option<String>,
}

/// The result of a business-travel run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusinessSummary {
    /// Pack and boundary.
    pub options: OptionsUsed,
    /// The group-by dimensions.
    pub by: Vec<String>,
    /// Per file counts.
    pub files: Vec<FileSummary>,
    /// Non-blank rows read.
    pub rows_read: u64,
    /// Rows computed.
    pub rows_used: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// kg CO2e of the used rows.
    pub total_co2e_kg: f64,
    /// Passenger-km travelled (one-way travelled km × travellers × 2 for round trips).
    pub total_distance_km: f64,
    /// Parts of the total.
    pub parts: PartsKg,
    /// Totals per group, sorted by the dimension values.
    pub groups: Vec<GroupSummary>,
    /// Rejected rows per reason.
    pub rejects_by_reason: BTreeMap<String, u64>,
    /// The first rejects in input order (all are in the rejects output).
    pub rejects: Vec<Reject>,
    /// Factor fallbacks taken and method notes.
    pub notes: Vec<String>,
    /// Choices among same-name places (`Ede` → Ede NL by the journey's other end): the note
    /// naming the other places → number of rows that took it.
    pub ambiguous_places: BTreeMap<String, u64>,
    /// What the distance figures mean.
    pub method: Method,
}

/// What the distance figures of a summary mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Method {
    /// Meaning of `total_distance_km` and of each group's `distance_km`.
    pub distance_km: &'static str,
    /// The distance the `distance_band` dimension is measured on.
    pub distance_band: &'static str,
}

/// The method statement of every summary.
pub const METHOD: Method = Method {
    distance_km: "passenger-km travelled: one-way travelled km (great circle x the pack's detour, or the \
                  flight convention, or the given distance_km) x travellers x 2 for a round trip",
    distance_band: "one-way travelled km of the whole journey (all legs)",
};

/// How a `--by` name is filled for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DimSource {
    Mode,
    Country,
    Month,
    DistanceBand,
    Column(usize),
    Missing,
}

/// How one file is read: its column mapping and where each `--by` dimension comes from.
#[derive(Debug, Clone)]
pub struct FilePlan {
    mapping: Mapping,
    by: Vec<DimSource>,
    dim_names: Vec<Arc<str>>,
}

impl FilePlan {
    /// The column mapping.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }
}

/// A leg's cache key: the run-local numbers of both places and the mode and variant, packed
/// into one integer so hashing it is one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct LegKey(u128);

impl LegKey {
    /// `band`: 0, or 1 + the flight band a given distance falls in (it sets the band).
    fn new(from: u32, to: u32, mode: Mode, cabin: Cabin, size: Size, fuel: Fuel, band: u8) -> Self {
        let variant = (band as u128) << 32
            | (mode as u128) << 24
            | (cabin as u128) << 16
            | (size as u128) << 8
            | fuel as u128;
        LegKey(u128::from(from) | u128::from(to) << 32 | variant << 64)
    }
}

type PlaceResult = Result<Arc<ResolvedPlace>, PlaceError>;
/// Pack and factor (by address: both live in the run's [`PackSet`]) and fallback notes:
/// what makes two factor uses the same.
/// The last part tells train legs split by country apart (their countries and shares).
type FactorKey = (usize, usize, Vec<String>, String);
/// One shared factor use and its haul label.
type SharedFactor = (Arc<FactorUse>, Option<Arc<str>>);
type LegResult = Result<LegUse, JourneyError>;

#[derive(Default)]
struct SharedPlaces {
    by_text: FastMap<String, PlaceResult>,
    ids: FastMap<String, u32>,
}

/// A business-travel run: options plus the caches shared by its threads.
pub struct Business<'a> {
    packs: &'a PackSet,
    gazetteer: &'a Gazetteer,
    opts: BusinessOptions,
    schema: Schema,
    places: Mutex<SharedPlaces>,
    legs: Mutex<FastMap<LegKey, LegResult>>,
    /// Great-circle km by ordered pair of run-local place numbers (one geodesic per pair,
    /// shared by every mode and variant of the legs between them).
    great_circles: Mutex<FastMap<u64, f64>>,
    /// One shared copy of each distinct factor use (pack, id, notes) and haul label.
    factors: Mutex<FastMap<FactorKey, SharedFactor>>,
    /// Caches of finished batches, reused by the next ones (about one per thread).
    locals: Mutex<Vec<Local>>,
}

impl std::fmt::Debug for Business<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Business")
            .field("opts", &self.opts)
            .finish_non_exhaustive()
    }
}

/// Per-batch caches in front of the shared ones: most lookups never touch a lock.
#[derive(Default)]
struct Local {
    place_index: FastMap<String, u32>,
    places: Vec<PlaceResult>,
    /// Run-local number ([`ResolvedPlace::key`]) of each entry of `places`; [`NO_PLACE`] for
    /// a place that failed. Kept apart so the hot path never follows the `Arc`.
    place_keys: Vec<u32>,
    leg_index: FastMap<LegKey, LegHot>,
    /// kg CO2e per unit of each distinct factor use of the legs (a few dozen).
    factor_parts: Vec<Parts>,
    /// Shared factor use (by address) → index into `factor_parts`.
    factor_index: FastMap<usize, u32>,
    legs: Vec<LegResult>,
    modes: WordCache<Result<Mode, UnknownWord>>,
    cabins: WordCache<Result<Cabin, UnknownWord>>,
    sizes: WordCache<Result<Size, UnknownWord>>,
    fuels: WordCache<Result<Fuel, UnknownWord>>,
    bools: WordCache<Option<bool>>,
    notes: BTreeSet<String>,
    /// Land mass of each entry of `places` ([`ResolvedPlace::land`]).
    place_land: Vec<u16>,
    /// Whether each entry of `places` is a name that several places carry.
    place_ambiguous: Vec<bool>,
    /// (entry of `places`, candidate) → the entry of that namesake.
    namesake_index: FastMap<(u32, u32), u32>,
    /// The stops of a row as resolved → the stops chosen by context and the note of each choice.
    context: FastMap<Vec<u32>, (Vec<u32>, Vec<u32>)>,
    /// Notes of the choices (indexes of `context` values) and the rows that took each.
    choice_notes: Vec<(String, u64)>,
    /// Ten-byte dates (`2025-03-14`) already parsed, direct-mapped by their bytes
    /// ([`Local::date`]); empty until the first one.
    dates: Vec<(u128, Date)>,
    /// The first origins seen and their entries of `places` ([`Business::origin`]).
    origins: Vec<(Box<str>, u32)>,
}

/// Slots of [`Local::dates`] (a power of two): more than a year of distinct days.
const DATE_SLOTS: usize = 1024;

impl Local {
    /// Entry `i` of `places`, or the error of the place that did not resolve.
    #[inline]
    fn place_result(&self, i: u32) -> Result<u32, PlaceError> {
        if self.place_keys[i as usize] != NO_PLACE {
            return Ok(i);
        }
        match &self.places[i as usize] {
            Ok(_) => Ok(i),
            Err(e) => Err(e.clone()),
        }
    }

    /// [`parse_date`] of a value, once per distinct ten-byte date (ISO dates, what exports
    /// write) per cache: a year has at most 366 of them, parsed again only on a slot clash.
    #[inline]
    fn date(&mut self, text: &str) -> Result<Date, String> {
        let b = text.as_bytes();
        if b.len() != 10 {
            return parse_date(text);
        }
        let mut k = [0u8; 16];
        k[..10].copy_from_slice(b);
        // 0 marks an empty slot; ten NUL bytes (key 0) are parsed (and refused) every time.
        let key = u128::from_le_bytes(k);
        let mixed = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = (mixed >> (64 - DATE_SLOTS.trailing_zeros())) as usize;
        if self.dates.is_empty() {
            let none = Date {
                year: 0,
                month: 0,
                day: 0,
            };
            self.dates = vec![(0, none); DATE_SLOTS];
        }
        let (k, d) = self.dates[slot];
        if k == key && key != 0 {
            return Ok(d);
        }
        let d = parse_date(text)?;
        self.dates[slot] = (key, d);
        Ok(d)
    }

    /// Adds a place result with its key, land mass and ambiguity; returns its index.
    fn push_place(&mut self, r: PlaceResult) -> u32 {
        let i = self.places.len() as u32;
        let (key, land, ambiguous) = match &r {
            Ok(p) => (p.key, p.land, p.resolution.is_some()),
            Err(_) => (NO_PLACE, NO_LAND, false),
        };
        self.place_keys.push(key);
        self.place_land.push(land);
        self.place_ambiguous.push(ambiguous);
        self.places.push(r);
        i
    }
}

struct BatchOut<T> {
    rows_read: u64,
    rows_used: u64,
    groups: Groups,
    rejects_by_reason: BTreeMap<&'static str, u64>,
    events: Vec<Event<T>>,
    notes: BTreeSet<String>,
    place_choices: BTreeMap<String, u64>,
    bytes_end: u64,
}

enum Event<T> {
    Row(T),
    Reject(Box<Reject>),
}

/// What a row needs of a cached leg, kept next to its key and small (16 bytes), so the leg
/// table stays in cache: lookups are the hottest random accesses of a run.
#[derive(Debug, Clone, Copy)]
struct LegHot {
    /// Index into [`Local::legs`].
    index: u32,
    /// Index into [`Local::factor_parts`]; [`NO_FACTOR`] for a leg that failed.
    factor: u32,
    /// What the factor is per.
    unit: Unit,
    /// Travelled km.
    distance_km: f64,
}

/// [`Local::place_keys`] entry of a place that did not resolve.
const NO_PLACE: u32 = u32::MAX;

/// [`ResolvedPlace::land`] of a place without a known country (never ruled out).
const NO_LAND: u16 = u16::MAX;

/// [`LegHot::factor`] of a leg without a factor.
const NO_FACTOR: u32 = u32::MAX;

/// The current row's stops (indices into [`Local::places`]) and legs (reused from row to row).
#[derive(Default)]
struct Scratch {
    stops: Vec<u32>,
    legs: Vec<LegHot>,
    figures: Vec<LegFigures>,
}

/// A computed row before it is (optionally) turned into a [`BusinessRow`]; its stops and legs
/// are in the [`Scratch`].
struct Calc {
    date: Option<Date>,
    mode: Mode,
    cabin: Cabin,
    size: Size,
    fuel: Fuel,
    round_trip: bool,
    travellers: f64,
    occupancy: f64,
    distance_km: f64,
    distance_given: bool,
    passenger_km: f64,
    parts: Parts,
}

/// Travellers, occupancy, the given one-way km and the date of a row.
type RowNumbers = (f64, f64, Option<f64>, Option<Date>);

/// A per-row function: runs in the worker threads, its results are visited in input order.
pub type PerRow<'f, T> = &'f (dyn Fn(RowRef<'_>) -> Option<T> + Sync);

/// A per-row function on borrowed views of computed rows ([`Business::run_views`]):
/// rejected rows do not reach it.
pub type PerView<'f, T> = &'f (dyn Fn(&RowView<'_>) -> Option<T> + Sync);

/// What runs on each row in the workers: an owned [`BusinessRow`] (audit files) or a
/// borrowed [`RowView`] (a consumer that copies the texts into its own store).
enum Hook<'f, T> {
    Row(PerRow<'f, T>),
    View(PerView<'f, T>),
}

impl<T> Clone for Hook<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Hook<'_, T> {}

/// A computed row as views into the run's buffers: its numbers, and its texts borrowed
/// from the record and the run's place table (nothing is copied unless the consumer
/// copies it).
pub struct RowView<'a> {
    /// The file.
    pub file: &'a Arc<str>,
    /// Physical line in the file.
    pub line: u64,
    /// Travel date, when given.
    pub date: Option<Date>,
    /// Mode.
    pub mode: Mode,
    /// Flight cabin.
    pub cabin: Cabin,
    /// Car/motorbike size.
    pub size: Size,
    /// Car fuel.
    pub fuel: Fuel,
    /// Out and back.
    pub round_trip: bool,
    /// Travellers (> 0).
    pub travellers: f64,
    /// People per vehicle (>= 1).
    pub occupancy: f64,
    /// Travelled km one way as given in the row, when given.
    pub given_km: Option<f64>,
    rec: &'a Record,
    plan: &'a FilePlan,
    stops: &'a [u32],
    places: &'a [PlaceResult],
}

impl<'a> RowView<'a> {
    /// The row's `id` (empty when absent).
    pub fn id(&self) -> std::borrow::Cow<'a, str> {
        self.plan.mapping.get(self.rec, F_ID)
    }
    /// Origin, stopovers, destination.
    pub fn stops(&self) -> impl Iterator<Item = &'a Arc<ResolvedPlace>> + 'a {
        let places = self.places;
        // Only computed rows are viewed: every index points at an `Ok`.
        self.stops
            .iter()
            .filter_map(move |&i| places[i as usize].as_ref().ok())
    }
    /// Every dimension column of the file: name → trimmed value.
    pub fn dimensions(&self) -> impl Iterator<Item = (&'a Arc<str>, &'a str)> + 'a {
        let rec = self.rec;
        self.plan
            .mapping
            .dims()
            .iter()
            .zip(&self.plan.dim_names)
            .map(move |(d, n)| (n, crate::input::trim_value(rec.get(d.column))))
    }
}

impl<'a> Business<'a> {
    /// A run with these packs, gazetteer and options.
    ///
    /// # Errors
    /// An unknown factor pack.
    pub fn new(
        packs: &'a PackSet,
        gazetteer: &'a Gazetteer,
        opts: BusinessOptions,
    ) -> Result<Self, crate::Error> {
        packs.get(&opts.calc.pack)?;
        Ok(Business {
            packs,
            gazetteer,
            opts,
            schema: schema(),
            places: Mutex::new(SharedPlaces::default()),
            legs: Mutex::new(FastMap::default()),
            great_circles: Mutex::new(FastMap::default()),
            factors: Mutex::new(FastMap::default()),
            locals: Mutex::new(Vec::new()),
        })
    }

    /// Maps a file's columns (errors name the file, list its columns and suggest an alias).
    pub fn plan(&self, reader: &InputReader) -> Result<FilePlan, InputError> {
        let mapping = Mapping::new(
            reader.name(),
            reader.header(),
            &self.schema,
            self.opts.columns.as_ref(),
        )?;
        let by = self
            .opts
            .by
            .iter()
            .map(|name| match normalise_header(name).as_str() {
                "mode" => DimSource::Mode,
                "country" => DimSource::Country,
                "month" => DimSource::Month,
                "distanceband" => DimSource::DistanceBand,
                _ => mapping
                    .dim(name)
                    .map_or(DimSource::Missing, |d| DimSource::Column(d.column)),
            })
            .collect();
        let dim_names = mapping
            .dims()
            .iter()
            .map(|d| Arc::from(d.name.as_str()))
            .collect();
        Ok(FilePlan {
            mapping,
            by,
            dim_names,
        })
    }

    /// Checks that every `--by` name is a derived dimension or a column of at least one file.
    pub fn check_by(&self, plans: &[(&str, &FilePlan)]) -> Result<(), InputError> {
        for (i, name) in self.opts.by.iter().enumerate() {
            if plans.iter().any(|(_, p)| p.by[i] != DimSource::Missing) {
                continue;
            }
            let mut available: Vec<String> =
                DERIVED_DIMENSIONS.iter().map(|s| s.to_string()).collect();
            for (_, p) in plans {
                for d in p.mapping.dims() {
                    if !available.contains(&d.name) {
                        available.push(d.name.clone());
                    }
                }
            }
            let file = plans.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", ");
            let mut e = InputError::new(
                InputErrorKind::Columns,
                file,
                format!(
                    "cannot group by `{name}`: no such column; dimensions: {}",
                    available.join(", ")
                ),
            );
            let n = normalise_header(name);
            if let Some(best) = available
                .iter()
                .map(|a| (a, strsim::jaro_winkler(&n, &normalise_header(a))))
                .filter(|(_, s)| *s >= 0.8)
                .max_by(|a, b| a.1.total_cmp(&b.1))
            {
                e = e.with_suggestion(format!("did you mean `{}`?", best.0));
            }
            return Err(e);
        }
        Ok(())
    }

    /// Computes every row of every input; returns the summary.
    ///
    /// `per_row`, when given, runs in the worker threads on each row (computed or rejected);
    /// its results reach `visit` as [`Visit::Row`] in input order, so a caller can write an
    /// audit file or keep rows (the inventory) while the totals stream. Rejects always reach
    /// `visit` ([`Visit::Reject`]), progress after every batch.
    ///
    /// # Errors
    /// A file that cannot be read or whose columns do not fit; checked for every file
    /// before any row is computed, except read errors in the middle of a file.
    pub fn run<T: Send>(
        &self,
        inputs: Vec<InputReader>,
        per_row: Option<PerRow<'_, T>>,
        visit: impl FnMut(Visit<'_, T>),
    ) -> Result<BusinessSummary, InputError> {
        self.run_hooked(inputs, per_row.map(Hook::Row), visit)
    }

    /// [`Business::run`] with a per-row function on borrowed [`RowView`]s of the computed
    /// rows instead of owned [`BusinessRow`]s: for a consumer that copies the texts it keeps
    /// into its own store (the inventory's row store).
    ///
    /// # Errors
    /// See [`Business::run`].
    pub fn run_views<T: Send>(
        &self,
        inputs: Vec<InputReader>,
        per_view: PerView<'_, T>,
        visit: impl FnMut(Visit<'_, T>),
    ) -> Result<BusinessSummary, InputError> {
        self.run_hooked(inputs, Some(Hook::View(per_view)), visit)
    }

    fn run_hooked<T: Send>(
        &self,
        inputs: Vec<InputReader>,
        per_row: Option<Hook<'_, T>>,
        mut visit: impl FnMut(Visit<'_, T>),
    ) -> Result<BusinessSummary, InputError> {
        let plans: Vec<FilePlan> = inputs
            .iter()
            .map(|r| self.plan(r))
            .collect::<Result<_, _>>()?;
        let named: Vec<(&str, &FilePlan)> =
            inputs.iter().map(|r| r.name()).zip(plans.iter()).collect();
        self.check_by(&named)?;
        let in_flight = if self.opts.in_flight == 0 {
            rayon::current_num_threads() + 2
        } else {
            self.opts.in_flight
        };
        let mut groups = Groups::new();
        let mut files = Vec::new();
        let mut rejects_by_reason: BTreeMap<String, u64> = BTreeMap::new();
        let mut rejects = Vec::new();
        let mut notes = BTreeSet::new();
        let mut place_choices: BTreeMap<String, u64> = BTreeMap::new();
        for (reader, plan) in inputs.into_iter().zip(&plans) {
            let name: Arc<str> = Arc::from(reader.name());
            let total = reader.total_bytes();
            let format = reader.format().as_str();
            let mut fs = FileSummary {
                file: name.to_string(),
                format,
                rows_read: 0,
                rows_used: 0,
                rows_rejected: 0,
            };
            for_each_batch_ordered(
                reader.batches(),
                in_flight,
                |b| self.batch(b, plan, &name, per_row),
                |out: BatchOut<T>| {
                    fs.rows_read += out.rows_read;
                    fs.rows_used += out.rows_used;
                    groups.merge(out.groups);
                    for (r, n) in out.rejects_by_reason {
                        *rejects_by_reason.entry(r.to_string()).or_default() += n;
                        fs.rows_rejected += n;
                    }
                    notes.extend(out.notes);
                    for (note, rows) in out.place_choices {
                        *place_choices.entry(note).or_default() += rows;
                    }
                    for ev in out.events {
                        match ev {
                            Event::Row(t) => visit(Visit::Row(t)),
                            Event::Reject(r) => {
                                visit(Visit::Reject(&r));
                                if rejects.len() < self.opts.keep_rejects {
                                    rejects.push(*r);
                                }
                            }
                        }
                    }
                    visit(Visit::Progress {
                        file: &name,
                        bytes_done: out.bytes_end,
                        bytes_total: total,
                    });
                },
            )?;
            files.push(fs);
        }
        let mut summary = self.summary(groups, files, rejects_by_reason, rejects, notes);
        summary.ambiguous_places = place_choices;
        Ok(summary)
    }

    fn summary(
        &self,
        groups: Groups,
        files: Vec<FileSummary>,
        rejects_by_reason: BTreeMap<String, u64>,
        rejects: Vec<Reject>,
        mut notes: BTreeSet<String>,
    ) -> BusinessSummary {
        let total: Totals = groups.total();
        let by = self.opts.by.clone();
        let band_rank = |v: &str| DistanceBand::from_key(v).map(DistanceBand::rank);
        let is_band: Vec<bool> = by
            .iter()
            .map(|b| normalise_header(b) == "distanceband")
            .collect();
        let sorted: Vec<Group> = groups.into_sorted(|a, b| {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let o = if is_band.get(i).copied().unwrap_or(false) {
                    band_rank(x).cmp(&band_rank(y)).then_with(|| x.cmp(y))
                } else {
                    x.cmp(y)
                };
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        let groups = sorted
            .into_iter()
            .map(|g| GroupSummary {
                values: if by.is_empty() {
                    Vec::new()
                } else {
                    by.iter().cloned().zip(g.values).collect()
                },
                co2e_kg: round3(g.totals.co2e_kg.value()),
                distance_km: round3(g.totals.distance_km.value()),
                journeys: g.totals.journeys,
                parts: g.totals.parts().into(),
            })
            .collect();
        if !self.opts.calc.include_rf {
            notes.insert("non-CO2 effects of flights left out (--no-rf)".into());
        }
        if !self.opts.calc.include_wtt {
            notes.insert("well-to-tank emissions left out (tank-to-wheel only)".into());
        }
        let rows_read = files.iter().map(|f| f.rows_read).sum();
        let rows_used = files.iter().map(|f| f.rows_used).sum();
        let rows_rejected = files.iter().map(|f| f.rows_rejected).sum();
        BusinessSummary {
            options: OptionsUsed {
                pack: self.opts.calc.pack.clone(),
                include_rf: self.opts.calc.include_rf,
                include_wtt: self.opts.calc.include_wtt,
                flight_haul: self.opts.calc.haul_override.clone(),
            },
            by,
            files,
            rows_read,
            rows_used,
            rows_rejected,
            total_co2e_kg: round3(total.co2e_kg.value()),
            total_distance_km: round3(total.distance_km.value()),
            parts: total.parts().into(),
            groups,
            rejects_by_reason,
            rejects,
            notes: notes.into_iter().collect(),
            ambiguous_places: BTreeMap::new(),
            method: METHOD,
        }
    }

    fn batch<T>(
        &self,
        mut batch: Batch,
        plan: &FilePlan,
        file: &Arc<str>,
        per_row: Option<Hook<'_, T>>,
    ) -> BatchOut<T> {
        let mut local = self
            .locals
            .lock()
            .ok()
            .and_then(|mut l| l.pop())
            .unwrap_or_default();
        let mut out = BatchOut {
            rows_read: 0,
            rows_used: 0,
            groups: Groups::new(),
            rejects_by_reason: BTreeMap::new(),
            events: Vec::new(),
            notes: BTreeSet::new(),
            place_choices: BTreeMap::new(),
            bytes_end: batch.bytes_end(),
        };
        let mut key = String::with_capacity(64);
        let mut scratch = Scratch::default();
        let mut group: Vec<String> = Vec::new();
        batch.for_each(|r| {
            out.rows_read += 1;
            let result = match r {
                Ok(rec) => self
                    .row(rec, plan, file, &mut local, &mut scratch)
                    .map(|c| (rec, c)),
                Err(e) => Err(Box::new(Reject {
                    reason: "malformed row",
                    error: e,
                    raw: Vec::new(),
                })),
            };
            match result {
                Ok((rec, c)) => {
                    out.rows_used += 1;
                    key.clear();
                    group.clear();
                    for (i, src) in plan.by.iter().enumerate() {
                        if i > 0 {
                            key.push(KEY_SEP);
                        }
                        let start = key.len();
                        match src {
                            DimSource::Mode => key.push_str(c.mode.key()),
                            DimSource::Country => {
                                let last = scratch.stops[scratch.stops.len() - 1] as usize;
                                let cc = local.places[last]
                                    .as_ref()
                                    .map_or("", |p| p.place.country_code.as_str());
                                key.push_str(if cc.is_empty() { "unknown" } else { cc });
                            }
                            DimSource::Month => match &c.date {
                                Some(d) => {
                                    use std::fmt::Write;
                                    let _ = write!(key, "{:04}-{:02}", d.year, d.month);
                                }
                                None => key.push_str("unknown"),
                            },
                            DimSource::DistanceBand => {
                                key.push_str(DistanceBand::of(c.distance_km).key());
                            }
                            DimSource::Column(i) => {
                                let v = crate::input::trim_value(rec.get(*i));
                                if v.contains(KEY_SEP) {
                                    key.push_str(&v.replace(KEY_SEP, " "));
                                } else {
                                    key.push_str(v);
                                }
                            }
                            DimSource::Missing => {}
                        }
                        if let Some(Hook::Row(_)) = per_row {
                            group.push(key[start..].to_string());
                        }
                    }
                    let contribution = Contribution {
                        co2e_kg: c.parts.total(),
                        distance_km: c.passenger_km,
                        parts: c.parts,
                    };
                    out.groups.add(&key, &contribution);
                    let t = match per_row {
                        Some(Hook::Row(f)) => f(RowRef::Used(&self.business_row(
                            rec,
                            plan,
                            file,
                            c,
                            &scratch,
                            &local,
                            std::mem::take(&mut group),
                        ))),
                        Some(Hook::View(f)) => f(&RowView {
                            file,
                            line: rec.line(),
                            date: c.date,
                            mode: c.mode,
                            cabin: c.cabin,
                            size: c.size,
                            fuel: c.fuel,
                            round_trip: c.round_trip,
                            travellers: c.travellers,
                            occupancy: c.occupancy,
                            given_km: c.distance_given.then_some(c.distance_km),
                            rec,
                            plan,
                            stops: &scratch.stops,
                            places: &local.places,
                        }),
                        None => None,
                    };
                    if let Some(t) = t {
                        out.events.push(Event::Row(t));
                    }
                }
                Err(rej) => {
                    *out.rejects_by_reason.entry(rej.reason).or_default() += 1;
                    if let Some(Hook::Row(f)) = per_row
                        && let Some(t) = f(RowRef::Rejected(&rej))
                    {
                        out.events.push(Event::Row(t));
                    }
                    out.events.push(Event::Reject(rej));
                }
            }
        });
        out.notes = std::mem::take(&mut local.notes);
        for (note, rows) in &mut local.choice_notes {
            if *rows > 0 {
                *out.place_choices.entry(note.clone()).or_default() += *rows;
                *rows = 0;
            }
        }
        if let Ok(mut l) = self.locals.lock() {
            l.push(local);
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn business_row(
        &self,
        rec: &Record,
        plan: &FilePlan,
        file: &Arc<str>,
        c: Calc,
        scratch: &Scratch,
        local: &Local,
        group: Vec<String>,
    ) -> BusinessRow {
        // Only rows that reached here were computed: every index points at an `Ok`.
        let stops = scratch
            .stops
            .iter()
            .filter_map(|&i| local.places[i as usize].as_ref().ok().cloned())
            .collect();
        let legs: Vec<LegUse> = scratch
            .legs
            .iter()
            .filter_map(|h| local.legs[h.index as usize].as_ref().ok().cloned())
            .collect();
        let co2e_kg = c.parts.total();
        let great_circle_km = legs.iter().map(|l: &LegUse| l.great_circle_km).sum();
        BusinessRow {
            file: file.clone(),
            line: rec.line(),
            id: plan.mapping.get(rec, F_ID).into_owned(),
            date: c.date,
            mode: c.mode,
            cabin: c.cabin,
            size: c.size,
            fuel: c.fuel,
            round_trip: c.round_trip,
            travellers: c.travellers,
            occupancy: c.occupancy,
            stops,
            legs,
            great_circle_km,
            distance_km: c.distance_km,
            distance_given: c.distance_given,
            passenger_km: c.passenger_km,
            co2e_kg,
            parts: c.parts,
            group,
            dimensions: plan
                .mapping
                .dims()
                .iter()
                .zip(&plan.dim_names)
                .map(|(d, n)| (n.clone(), rec.get(d.column).trim().to_string()))
                .collect(),
        }
    }

    fn reject(
        &self,
        rec: &Record,
        plan: &FilePlan,
        reason: &'static str,
        field: usize,
        message: String,
        suggestion: Option<String>,
    ) -> Box<Reject> {
        // A rejected row is kept until the run ends (rejects file, report): its values are
        // stored as bounded excerpts, each once, so 4 KB values do not pile up per row.
        use crate::input::{MAX_STORED_CHARS, excerpt, shorten_quoted};
        let m = &plan.mapping;
        let mut error = InputError::value(
            "",
            rec.line(),
            m.column_name(field),
            excerpt(&m.get(rec, field), MAX_STORED_CHARS),
            shorten_quoted(&message).into_owned(),
        );
        if let Some(s) = suggestion {
            error = error.with_suggestion(shorten_quoted(&s).into_owned());
        }
        let raw = m
            .header()
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), excerpt(rec.get(i), MAX_STORED_CHARS)))
            .collect();
        Box::new(Reject { reason, error, raw })
    }

    fn row(
        &self,
        rec: &Record,
        plan: &FilePlan,
        file: &Arc<str>,
        local: &mut Local,
        scratch: &mut Scratch,
    ) -> Result<Calc, Box<Reject>> {
        let r = self.row_inner(rec, plan, local, scratch);
        r.map_err(|mut rej| {
            rej.error.file = file.to_string();
            rej
        })
    }

    fn row_inner(
        &self,
        rec: &Record,
        plan: &FilePlan,
        local: &mut Local,
        scratch: &mut Scratch,
    ) -> Result<Calc, Box<Reject>> {
        let (mode, cabin, size, fuel, round_trip) = self.row_variant(rec, plan, local)?;
        let (travellers, occupancy, given, date) = self.row_numbers(rec, plan, local)?;
        self.row_stops(rec, plan, mode, local, scratch)?;
        self.row_legs(rec, plan, (mode, cabin, size, fuel), given, local, scratch)?;
        // The journey formula on the cached legs.
        let figures = &mut scratch.figures;
        figures.clear();
        for l in &scratch.legs {
            figures.push(LegFigures {
                distance_km: l.distance_km,
                per_unit: local.factor_parts[l.factor as usize],
                unit: l.unit,
            });
        }
        let travel = Travel {
            travellers,
            occupancy,
            round_trip,
            given_km: given,
        };
        let j = journey_figures(figures, &travel);
        Ok(Calc {
            date,
            mode,
            cabin,
            size,
            fuel,
            round_trip,
            travellers,
            occupancy,
            distance_km: j.distance_km,
            distance_given: given.is_some(),
            passenger_km: j.passenger_km,
            parts: j.parts,
        })
    }

    /// Mode first (it decides which variant columns matter), then cabin, size, fuel and
    /// round trip.
    fn row_variant(
        &self,
        rec: &Record,
        plan: &FilePlan,
        local: &mut Local,
    ) -> Result<(Mode, Cabin, Size, Fuel, bool), Box<Reject>> {
        let m = &plan.mapping;
        let bad =
            |reason: &'static str, field: usize, message: String, suggestion: Option<String>| {
                self.reject(rec, plan, reason, field, message, suggestion)
            };
        let missing = |field: usize, what: &str| {
            bad(
                "missing value",
                field,
                format!("no {what}"),
                Some(format!("fill in the {what} or remove the row")),
            )
        };
        let mode_text = m.get(rec, F_MODE);
        if mode_text.is_empty() {
            return Err(missing(F_MODE, "mode"));
        }
        let mode = cached(&mut local.modes, &mode_text, str::parse::<Mode>).map_err(|e| {
            bad(
                "unknown mode",
                F_MODE,
                e.to_string(),
                closest_mode(&mode_text),
            )
        })?;

        let mut cabin = Cabin::Economy;
        if mode == Mode::Flight {
            let t = m.get(rec, F_CABIN);
            if !t.is_empty() {
                cabin = cached(&mut local.cabins, &t, str::parse::<Cabin>)
                    .map_err(|e| bad("unknown cabin", F_CABIN, e.to_string(), None))?;
            }
        }
        let (mut size, mut fuel) = (Size::Average, Fuel::Unknown);
        if mode.is_shared_vehicle() {
            let t = m.get(rec, F_SIZE);
            if !t.is_empty() {
                size = cached(&mut local.sizes, &t, str::parse::<Size>)
                    .map_err(|e| bad("unknown size", F_SIZE, e.to_string(), None))?;
            }
        }
        if mode == Mode::Car {
            let t = m.get(rec, F_FUEL);
            if !t.is_empty() {
                fuel = cached(&mut local.fuels, &t, str::parse::<Fuel>)
                    .map_err(|e| bad("unknown fuel", F_FUEL, e.to_string(), None))?;
            }
        }
        let round_trip = {
            let t = m.get(rec, F_ROUND_TRIP);
            if t.is_empty() {
                false
            } else {
                cached(&mut local.bools, &t, parse_bool).ok_or_else(|| {
                    bad(
                        "invalid round_trip",
                        F_ROUND_TRIP,
                        format!("`{t}` is not yes or no"),
                        Some("use yes/no, ja/nee, oui/non, true/false or 1/0".into()),
                    )
                })?
            }
        };
        Ok((mode, cabin, size, fuel, round_trip))
    }

    /// Travellers, occupancy, the given distance and the date.
    fn row_numbers(
        &self,
        rec: &Record,
        plan: &FilePlan,
        local: &mut Local,
    ) -> Result<RowNumbers, Box<Reject>> {
        let m = &plan.mapping;
        let bad =
            |reason: &'static str, field: usize, message: String, suggestion: Option<String>| {
                self.reject(rec, plan, reason, field, message, suggestion)
            };
        let number =
            |field: usize, reason: &'static str, default: f64| -> Result<f64, Box<Reject>> {
                let t = m.get(rec, field);
                if t.is_empty() {
                    Ok(default)
                } else {
                    m.parse_number(field, &t)
                        .map_err(|e| bad(reason, field, e, None))
                }
            };
        let travellers = number(F_TRAVELLERS, "invalid travellers", 1.0)?;
        if travellers <= 0.0 {
            return Err(bad(
                "invalid travellers",
                F_TRAVELLERS,
                JourneyError::Travellers(travellers).to_string(),
                Some("give the number of people who travelled (1 or more)".into()),
            ));
        }
        let occupancy = number(F_OCCUPANCY, "invalid occupancy", 1.0)?;
        if occupancy < 1.0 {
            return Err(bad(
                "invalid occupancy",
                F_OCCUPANCY,
                JourneyError::Occupancy(occupancy).to_string(),
                None,
            ));
        }
        let given = {
            let t = m.get(rec, F_DISTANCE_KM);
            if t.is_empty() {
                None
            } else {
                let d = m
                    .parse_number(F_DISTANCE_KM, &t)
                    .map_err(|e| bad("invalid distance", F_DISTANCE_KM, e, None))?;
                if d <= 0.0 {
                    return Err(bad(
                        "invalid distance",
                        F_DISTANCE_KM,
                        JourneyError::Distance(d).to_string(),
                        None,
                    ));
                }
                Some(d)
            }
        };
        let date = {
            let t = m.get(rec, F_DATE);
            if t.is_empty() {
                None
            } else {
                Some(
                    local
                        .date(&t)
                        .map_err(|e| bad("invalid date", F_DATE, e, None))?,
                )
            }
        };

        Ok((travellers, occupancy, given, date))
    }

    /// The stops (origin, via, destination) into `scratch.stops`, namesakes chosen by
    /// context, and a land route for the modes that need one.
    fn row_stops(
        &self,
        rec: &Record,
        plan: &FilePlan,
        mode: Mode,
        local: &mut Local,
        scratch: &mut Scratch,
    ) -> Result<(), Box<Reject>> {
        let m = &plan.mapping;
        let bad =
            |reason: &'static str, field: usize, message: String, suggestion: Option<String>| {
                self.reject(rec, plan, reason, field, message, suggestion)
            };
        let missing = |field: usize, what: &str| {
            bad(
                "missing value",
                field,
                format!("no {what}"),
                Some(format!("fill in the {what} or remove the row")),
            )
        };
        let stops = &mut scratch.stops;
        stops.clear();
        let origin = m.get(rec, F_ORIGIN);
        if origin.is_empty() {
            return Err(missing(F_ORIGIN, "origin"));
        }
        stops.push(
            self.origin(&origin, local)
                .map_err(|e| place_reject(&bad, F_ORIGIN, e))?,
        );
        let via = m.get(rec, F_VIA);
        for v in via
            .split([';', '|'])
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            stops.push(
                self.place(v, local)
                    .map_err(|e| place_reject(&bad, F_VIA, e))?,
            );
        }
        let destination = m.get(rec, F_DESTINATION);
        if destination.is_empty() {
            return Err(missing(F_DESTINATION, "destination"));
        }
        stops.push(
            self.place(&destination, local)
                .map_err(|e| place_reject(&bad, F_DESTINATION, e))?,
        );
        if stops.iter().any(|&s| local.place_ambiguous[s as usize]) {
            self.choose_stops(stops, local);
        }
        if mode.needs_land_route() {
            for w in stops.windows(2) {
                let (a, b) = (
                    local.place_land[w[0] as usize],
                    local.place_land[w[1] as usize],
                );
                if a != b && a != NO_LAND && b != NO_LAND {
                    let stop = |i: u32| match &local.places[i as usize] {
                        Ok(p) => p.stop.clone(),
                        Err(_) => unreachable!("only resolved places have a land mass"),
                    };
                    let (from, to) = (stop(w[0]), stop(w[1]));
                    let reason = crate::places::no_land_route(
                        self.gazetteer,
                        &from.country_code,
                        &to.country_code,
                    )
                    .unwrap_or_else(|| "no land route".into());
                    return Err(bad(
                        "no land route",
                        F_MODE,
                        format!("{} → {} by {mode}: {reason}", from.label, to.label),
                        Some("use mode flight, or split off the ferry or flight leg".into()),
                    ));
                }
            }
        }

        Ok(())
    }

    /// The legs of the stops into `scratch.legs`: one way, one traveller, occupancy 1,
    /// computed distance (cached); a given flight distance sets the bands.
    fn row_legs(
        &self,
        rec: &Record,
        plan: &FilePlan,
        (mode, cabin, size, fuel): (Mode, Cabin, Size, Fuel),
        given: Option<f64>,
        local: &mut Local,
        scratch: &mut Scratch,
    ) -> Result<(), Box<Reject>> {
        let bad =
            |reason: &'static str, field: usize, message: String, suggestion: Option<String>| {
                self.reject(rec, plan, reason, field, message, suggestion)
            };
        let stops = &scratch.stops;
        let legs = &mut scratch.legs;
        legs.clear();
        let no_factor = |e: JourneyError| {
            let field = if stops.len() > 2 { F_VIA } else { F_MODE };
            bad(
                "no factor",
                field,
                e.to_string(),
                Some("choose another --pack or mode".into()),
            )
        };
        for w in stops.windows(2) {
            let l = self
                .leg(w[0], w[1], mode, cabin, size, fuel, None, local)
                .map_err(no_factor)?;
            legs.push(l);
        }
        let computed_km: f64 = legs.iter().map(|l| l.distance_km).sum();
        if mode == Mode::Flight
            && let Some(g) = given
        {
            // A given distance sets each flight leg's band (its share of the given km).
            for (i, w) in stops.windows(2).enumerate() {
                let d = leg_distance_km(legs[i].distance_km, computed_km, legs.len(), Some(g));
                let banded = self
                    .leg(w[0], w[1], mode, cabin, size, fuel, Some(d), local)
                    .map_err(no_factor)?;
                legs[i] = banded;
            }
        }
        if given.is_none() && computed_km <= 0.0 {
            let label = local.places[stops[0] as usize]
                .as_ref()
                .map_or("", |p| p.stop.label.as_str());
            return Err(bad(
                "zero distance",
                F_DESTINATION,
                format!("origin and destination are the same place ({label})"),
                Some("give distance_km for trips within one place".into()),
            ));
        }
        Ok(())
    }

    /// The local index of a place text, resolving it (once per run) on a miss.
    fn place(&self, text: &str, local: &mut Local) -> Result<u32, PlaceError> {
        let i = self.place_entry(text, local);
        local.place_result(i)
    }

    /// [`Business::place`] of an origin: exports have a handful of origins (the campuses),
    /// found in a short list compared byte by byte before the map is hashed.
    fn origin(&self, text: &str, local: &mut Local) -> Result<u32, PlaceError> {
        let t = text.as_bytes();
        if let Some(&(_, i)) = local
            .origins
            .iter()
            .find(|(k, _)| k.len() == t.len() && k.bytes().zip(t).all(|(a, &b)| a == b))
        {
            return local.place_result(i);
        }
        let i = self.place_entry(text, local);
        if local.origins.len() < FEW_WORDS {
            local.origins.push((text.into(), i));
        }
        local.place_result(i)
    }

    /// The entry of `local.places` for a place text, resolving it (once per run) on a miss.
    fn place_entry(&self, text: &str, local: &mut Local) -> u32 {
        match local.place_index.get(text) {
            Some(&i) => i,
            None => {
                let r = self.shared_place(text);
                let i = local.push_place(r);
                local.place_index.insert(text.to_string(), i);
                i
            }
        }
    }

    fn shared_place(&self, text: &str) -> PlaceResult {
        if let Some(r) = self
            .places
            .lock()
            .ok()
            .and_then(|s| s.by_text.get(text).cloned())
        {
            return r;
        }
        // Resolve outside the lock: unknown names scan the gazetteer for suggestions.
        let resolved = self.gazetteer.resolve_all(text);
        let mut shared = self.places.lock().unwrap_or_else(|p| p.into_inner());
        let mut resolved_place = |place: Place| {
            let next = shared.ids.len() as u32;
            let key = *shared.ids.entry(place.id.clone()).or_insert(next);
            let stop = Stop::from_place(&place);
            let land = crate::places::land_mass(self.gazetteer, &place.country_code)
                .map_or(NO_LAND, |l| l.index());
            ResolvedPlace {
                place,
                stop,
                key,
                land,
                namesakes: Vec::new(),
                resolution: None,
            }
        };
        let r = resolved.map(|resolution| {
            if !resolution.is_ambiguous() {
                return Arc::new(resolved_place(resolution.into_place()));
            }
            let namesakes: Vec<Arc<ResolvedPlace>> = resolution
                .candidates
                .iter()
                .map(|place| Arc::new(resolved_place(place.clone())))
                .collect();
            let mut chosen = resolved_place(resolution.place().clone());
            chosen.namesakes = namesakes;
            chosen.resolution = Some(Arc::new(resolution));
            Arc::new(chosen)
        });
        shared.by_text.entry(text.to_string()).or_insert(r).clone()
    }

    /// Replaces the stops of a row by the namesakes that [`choose_by_context`] picks (the
    /// journey's other end, then the campus country), once per distinct list of stops, and
    /// counts the row under the note of each choice.
    fn choose_stops(&self, stops: &mut [u32], local: &mut Local) {
        if let Some((chosen, notes)) = local.context.get(&*stops) {
            stops.copy_from_slice(chosen);
            for &note in notes {
                local.choice_notes[note as usize].1 += 1;
            }
            return;
        }
        let original = stops.to_vec();
        let resolved: Vec<&Arc<ResolvedPlace>> = original
            .iter()
            .map(|&i| match &local.places[i as usize] {
                Ok(p) => p,
                Err(_) => unreachable!("only resolved places are chosen among"),
            })
            .collect();
        let mut resolutions: Vec<Resolution> = resolved
            .iter()
            .map(|p| match &p.resolution {
                Some(r) => (**r).clone(),
                None => Resolution::only(p.place.clone()),
            })
            .collect();
        choose_by_context(&mut resolutions, self.opts.campus_country.as_deref());
        let mut picks: Vec<(usize, Arc<ResolvedPlace>, String)> = Vec::new();
        for (at, (p, r)) in resolved.iter().zip(&resolutions).enumerate() {
            if r.is_ambiguous() {
                picks.push((at, Arc::clone(&p.namesakes[r.chosen]), r.note()));
            }
        }
        let mut notes = Vec::new();
        for (at, namesake, note) in picks {
            let from = original[at];
            let candidate = resolutions[at].chosen as u32;
            let index = match local.namesake_index.get(&(from, candidate)) {
                Some(&index) => index,
                None => {
                    let index = local.push_place(Ok(namesake));
                    local.namesake_index.insert((from, candidate), index);
                    index
                }
            };
            stops[at] = index;
            let id = match local.choice_notes.iter().position(|(n, _)| *n == note) {
                Some(id) => id,
                None => {
                    local.choice_notes.push((note, 0));
                    local.choice_notes.len() - 1
                }
            };
            local.choice_notes[id].1 += 1;
            notes.push(id as u32);
        }
        local.context.insert(original, (stops.to_vec(), notes));
    }

    /// The local index of a leg between two local places, computing it (once per run) on a miss.
    #[allow(clippy::too_many_arguments)]
    fn leg(
        &self,
        from: u32,
        to: u32,
        mode: Mode,
        cabin: Cabin,
        size: Size,
        fuel: Fuel,
        band_km: Option<f64>,
        local: &mut Local,
    ) -> Result<LegHot, JourneyError> {
        let band = band_km.map_or(0, |km| {
            self.packs
                .pack_for_mode(&self.opts.calc.pack, Mode::Flight)
                .ok()
                .and_then(|p| p.conventions.flight_bands.band_index(km))
                .map_or(u8::MAX, |i| u8::try_from(i + 1).unwrap_or(u8::MAX))
        });
        let key = LegKey::new(
            local.place_keys[from as usize],
            local.place_keys[to as usize],
            mode,
            cabin,
            size,
            fuel,
            band,
        );
        let hot = match local.leg_index.get(&key) {
            Some(&h) => h,
            None => {
                let place = |i: u32| match &local.places[i as usize] {
                    Ok(p) => p,
                    Err(_) => unreachable!("only resolved places reach legs"),
                };
                let r = self.shared_leg(
                    key,
                    place(from),
                    place(to),
                    (mode, cabin, size, fuel),
                    band_km,
                );
                let index = local.legs.len() as u32;
                let h = match &r {
                    Ok(l) => {
                        let address = Arc::as_ptr(&l.factor) as usize;
                        let factor = match local.factor_index.get(&address) {
                            Some(&f) => f,
                            None => {
                                // A factor use new to this cache: its notes once.
                                local.notes.extend(l.factor.notes.iter().cloned());
                                let f = u32::try_from(local.factor_parts.len())
                                    .unwrap_or(NO_FACTOR - 1);
                                local.factor_parts.push(l.factor.parts);
                                local.factor_index.insert(address, f);
                                f
                            }
                        };
                        LegHot {
                            index,
                            factor,
                            unit: l.factor.unit,
                            distance_km: l.distance_km,
                        }
                    }
                    Err(_) => LegHot {
                        index,
                        factor: NO_FACTOR,
                        unit: Unit::PassengerKm,
                        distance_km: f64::NAN,
                    },
                };
                local.legs.push(r);
                local.leg_index.insert(key, h);
                h
            }
        };
        // Only failed legs need the slow look.
        if hot.factor != NO_FACTOR {
            return Ok(hot);
        }
        match &local.legs[hot.index as usize] {
            Ok(_) => Ok(hot),
            Err(e) => Err(e.clone()),
        }
    }

    /// The shared leg of `key`; `band_km`, for a flight, is the given distance that sets
    /// its band (the leg keeps its computed travelled km).
    fn shared_leg(
        &self,
        key: LegKey,
        from: &ResolvedPlace,
        to: &ResolvedPlace,
        (mode, cabin, size, fuel): (Mode, Cabin, Size, Fuel),
        band_km: Option<f64>,
    ) -> LegResult {
        if let Some(r) = self.legs.lock().ok().and_then(|s| s.get(&key).cloned()) {
            return r;
        }
        let mut spec = TripSpec::new(mode);
        spec.cabin = cabin;
        spec.size = size;
        spec.fuel = fuel;
        let pair = u64::from(from.key) | u64::from(to.key) << 32;
        let known = self
            .great_circles
            .lock()
            .ok()
            .and_then(|g| g.get(&pair).copied());
        let gc_km = known.unwrap_or_else(|| {
            let km = geodesic_km(from.stop.position, to.stop.position);
            if let Ok(mut g) = self.great_circles.lock() {
                g.insert(pair, km);
            }
            km
        });
        let computed_km = band_km.map(|_| {
            choose_leg(
                self.packs,
                &from.stop,
                &to.stop,
                &spec,
                &self.opts.calc,
                None,
                gc_km,
            )
            .map(|c| c.distance_km)
        });
        let r = choose_leg(
            self.packs,
            &from.stop,
            &to.stop,
            &spec,
            &self.opts.calc,
            band_km,
            gc_km,
        )
        .and_then(|c| {
            let distance_km = match &computed_km {
                Some(Ok(d)) => *d,
                Some(Err(e)) => return Err(e.clone()),
                None => c.distance_km,
            };
            Ok((c, distance_km))
        })
        .map(|(c, distance_km)| {
            let mut factors = self.factors.lock().unwrap_or_else(|p| p.into_inner());
            let id = (
                std::ptr::from_ref(c.selected.pack) as usize,
                std::ptr::from_ref(c.selected.factor) as usize,
                c.selected.notes.clone(),
                c.factor_key(),
            );
            let (factor, haul) = factors
                .entry(id)
                .or_insert_with(|| {
                    (
                        Arc::new(c.factor_use(&self.opts.calc)),
                        c.haul().map(Arc::from),
                    )
                })
                .clone();
            LegUse {
                great_circle_km: c.great_circle_km,
                distance_km,
                haul,
                factor,
            }
        });
        let mut shared = self.legs.lock().unwrap_or_else(|p| p.into_inner());
        shared.entry(key).or_insert(r).clone()
    }
}

/// Parsed words of one column (modes, cabins, yes/no ...): exports repeat a handful of
/// spellings millions of times. The first few are kept in a short list searched in order,
/// which is cheaper than hashing for so few; any more go to a map.
struct WordCache<T> {
    few: Vec<(Box<str>, T)>,
    many: FastMap<String, T>,
}

impl<T> Default for WordCache<T> {
    fn default() -> Self {
        WordCache {
            few: Vec::new(),
            many: FastMap::default(),
        }
    }
}

/// Spellings kept in [`WordCache`]'s short list.
const FEW_WORDS: usize = 12;

/// Parses a word once per batch cache.
fn cached<T: Clone>(cache: &mut WordCache<T>, text: &str, parse: impl FnOnce(&str) -> T) -> T {
    // Byte by byte: these words are a few bytes long, shorter than a `memcmp` call costs.
    let t = text.as_bytes();
    if let Some((_, v)) = cache
        .few
        .iter()
        .find(|(k, _)| k.len() == t.len() && k.bytes().zip(t).all(|(a, &b)| a == b))
    {
        return v.clone();
    }
    if let Some(v) = cache.many.get(text) {
        return v.clone();
    }
    let v = parse(text);
    if cache.few.len() < FEW_WORDS {
        cache.few.push((text.into(), v.clone()));
    } else {
        cache.many.insert(text.to_string(), v.clone());
    }
    v
}

fn place_reject(
    bad: &impl Fn(&'static str, usize, String, Option<String>) -> Box<Reject>,
    field: usize,
    e: PlaceError,
) -> Box<Reject> {
    match &e {
        PlaceError::Unknown { query, suggestions } if !suggestions.is_empty() => bad(
            "unknown place",
            field,
            format!("unknown place `{query}`"),
            Some(format!("did you mean {}?", suggestions.join(", "))),
        ),
        PlaceError::Empty => bad("missing value", field, e.to_string(), None),
        _ => bad(
            "unknown place",
            field,
            e.to_string(),
            Some("add an alias (--aliases FILE) or correct the name".into()),
        ),
    }
}

fn closest_mode(text: &str) -> Option<String> {
    if text.len() > crate::input::MAX_SUGGEST_BYTES {
        return None;
    }
    // Words one edit away (a letter dropped or two swapped) that the mode parser knows.
    let chars: Vec<char> = text.trim().chars().collect();
    let mut candidates = Vec::new();
    for i in 0..chars.len() {
        let mut c = chars.clone();
        c.remove(i);
        candidates.push(c.into_iter().collect::<String>());
        if i + 1 < chars.len() {
            let mut c = chars.clone();
            c.swap(i, i + 1);
            candidates.push(c.into_iter().collect());
        }
    }
    if let Some((w, m)) = candidates
        .iter()
        .find_map(|w| w.parse::<Mode>().ok().map(|m| (w, m)))
    {
        return Some(format!("did you mean `{w}` ({m})?"));
    }
    let n = crate::mode::normalise_word(text);
    Mode::ALL
        .iter()
        .map(|m| (m.key(), strsim::jaro_winkler(&n, m.key())))
        .filter(|(_, s)| *s >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| format!("did you mean `{k}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::InputOptions;
    use crate::journey::estimate;

    fn run_text(text: &str, by: &[&str]) -> BusinessSummary {
        let opts = BusinessOptions {
            by: by.iter().map(|s| s.to_string()).collect(),
            ..BusinessOptions::default()
        };
        let b = Business::new(PackSet::bundled(), Gazetteer::bundled(), opts).unwrap();
        let r = InputReader::from_reader(
            "t.csv",
            std::io::Cursor::new(text.to_string()),
            &InputOptions::default(),
        )
        .unwrap();
        b.run::<()>(vec![r], None, |_| {}).unwrap()
    }

    #[test]
    fn rows_agree_with_the_journey_engine() {
        let text = "origin,destination,via,mode,cabin,round_trip,travellers,occupancy\n\
                    Enschede,Barcelona,,train,,yes,2,\n\
                    Amsterdam,New York,,flight,business,no,1,\n\
                    Enschede,Munich,,car,,ja,3,2\n\
                    Enschede,Rome,Paris,flight,,nee,1,\n";
        let s = run_text(text, &[]);
        assert_eq!(s.rows_used, 4, "{:?}", s.rejects);
        let g = Gazetteer::bundled();
        let stop = |q: &str| Stop::from_place(&g.resolve(q).unwrap());
        let mut expected = 0.0;
        for (stops, mode, cabin, rt, trav, occ) in [
            (
                vec!["Enschede", "Barcelona"],
                Mode::Train,
                Cabin::Economy,
                true,
                2.0,
                1.0,
            ),
            (
                vec!["Amsterdam", "New York"],
                Mode::Flight,
                Cabin::Business,
                false,
                1.0,
                1.0,
            ),
            (
                vec!["Enschede", "Munich"],
                Mode::Car,
                Cabin::Economy,
                true,
                3.0,
                2.0,
            ),
            (
                vec!["Enschede", "Paris", "Rome"],
                Mode::Flight,
                Cabin::Economy,
                false,
                1.0,
                1.0,
            ),
        ] {
            let mut spec = TripSpec::new(mode);
            spec.cabin = cabin;
            spec.round_trip = rt;
            spec.travellers = trav;
            spec.occupancy = occ;
            let st: Vec<Stop> = stops.iter().map(|q| stop(q)).collect();
            expected += estimate(PackSet::bundled(), &st, &spec, &CalcOptions::default())
                .unwrap()
                .co2e_kg;
        }
        assert!(
            (s.total_co2e_kg - expected).abs() < 0.01,
            "{} vs {expected}",
            s.total_co2e_kg
        );
    }

    #[test]
    fn bad_rows_are_rejected_with_reasons() {
        let text = "id;van;naar;vervoermiddel;reizigers;datum;afstand\n\
                    1;Enschede;Parijs;trein;1;01-03-2025;\n\
                    2;Enschede;Barcleona;vliegtuig;1;2025-03-02;\n\
                    3;Enschede;;trein;1;;\n\
                    4;Enschede;Berlin;vliegtuig2;1;;\n\
                    5;Enschede;Berlin;trein;-2;;\n\
                    6;Enschede;Berlin;trein;1;32-01-2025;\n\
                    7;Enschede;Berlin;auto;1;;0\n\
                    8;Enschede;Enschede;taxi;1;;\n\
                    9;Enschede;Enschede;taxi;1;;12,5\n";
        let s = run_text(text, &["month"]);
        assert_eq!((s.rows_read, s.rows_used, s.rows_rejected), (9, 2, 7));
        let reasons: Vec<(&str, u64)> = s
            .rejects_by_reason
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(
            reasons,
            [
                ("invalid date", 1),
                ("invalid distance", 1),
                ("invalid travellers", 1),
                ("missing value", 1),
                ("unknown mode", 1),
                ("unknown place", 1),
                ("zero distance", 1)
            ]
        );
        let lines: Vec<u64> = s.rejects.iter().map(|r| r.error.line.unwrap()).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9]);
        let unknown = &s.rejects[0];
        assert!(
            unknown.error.to_string().starts_with(
                "t.csv:3: column `naar`: unknown place `Barcleona`; did you mean Barcelona (ES)"
            ),
            "{}",
            unknown.error
        );
        assert!(
            s.rejects[2]
                .error
                .to_string()
                .contains("unknown mode `vliegtuig2`"),
            "{}",
            s.rejects[2].error
        );
        assert_eq!(
            s.groups
                .iter()
                .map(|g| g.values[0].1.as_str())
                .collect::<Vec<_>>(),
            ["2025-03", "unknown"]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Group sums equal the total, and the order of the rows changes nothing (not even
        /// the last digit: sums are exact).
        #[test]
        fn row_order_does_not_change_the_result(
            picks in proptest::collection::vec(0usize..8, 1..40),
            seed in proptest::prelude::any::<u64>(),
        ) {
            let templates = [
                "Enschede,Barcelona,flight,economy,yes,1,EEMCS,2025-01-03",
                "Enschede,Paris,train,,yes,2,BMS,2025-02-10",
                "Hengelo,Munich,car,,no,3,ET,2025-02-11",
                "Amsterdam,New York,flight,business,no,1,TNW,2025-03-01",
                "Enschede,Brussels,coach,,yes,4,BMS,2025-03-15",
                "Enschede,Barcleona,flight,,yes,1,ITC,2025-04-01",
                "Enschede,Lisbon,flight,premium,yes,2,EEMCS,2025-05-20",
                "Enschede,Rome,vliegtuig,,nee,1,Services,2025-06-30",
            ];
            let head = "origin,destination,mode,cabin,round_trip,travellers,department,date\n";
            let rows: Vec<&str> = picks.iter().map(|&i| templates[i]).collect();
            let mut shuffled = rows.clone();
            let mut x = seed;
            for i in (1..shuffled.len()).rev() {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (x >> 33) as usize % (i + 1));
            }
            let a = run_text(&format!("{head}{}\n", rows.join("\n")), &["department", "mode", "month"]);
            let b = run_text(&format!("{head}{}\n", shuffled.join("\n")), &["department", "mode", "month"]);
            proptest::prop_assert_eq!(&a.groups, &b.groups);
            proptest::prop_assert_eq!(a.total_co2e_kg, b.total_co2e_kg);
            proptest::prop_assert_eq!(a.total_distance_km, b.total_distance_km);
            proptest::prop_assert_eq!(&a.rejects_by_reason, &b.rejects_by_reason);
            let journeys: u64 = a.groups.iter().map(|g| g.journeys).sum();
            proptest::prop_assert_eq!(journeys, a.rows_used);
            let kg: f64 = a.groups.iter().map(|g| g.co2e_kg).sum();
            proptest::prop_assert!((kg - a.total_co2e_kg).abs() <= 1e-3 * a.groups.len() as f64);
        }
    }

    #[test]
    fn cached_dates_are_parse_date() {
        let mut local = Local::default();
        let mut texts: Vec<String> = Vec::new();
        for y in [2024, 2025, 2026] {
            for m in 1..=12 {
                for d in 1..=31 {
                    texts.push(format!("{y:04}-{m:02}-{d:02}"));
                    texts.push(format!("{d:02}-{m:02}-{y:04}"));
                }
            }
        }
        texts.extend(
            [
                "2025-02-30",
                "02/14/2025",
                "45678",
                "2025-3-4",
                "\0\0\0\0\0\0\0\0\0\0",
            ]
            .map(String::from),
        );
        for round in 0..2 {
            for t in &texts {
                assert_eq!(local.date(t), parse_date(t), "{t} (round {round})");
            }
        }
    }

    #[test]
    fn distance_bands() {
        let band = |km| DistanceBand::of(km).key();
        assert_eq!(band(99.9), "<100");
        assert_eq!(band(100.0), "100-500");
        assert_eq!(band(3699.0), "1500-3700");
        assert_eq!(band(3700.0), ">=3700");
    }
}
