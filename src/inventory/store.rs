//! The compact row store of business journeys.
//!
//! A yearly export has millions of rows but few distinct texts: a few hundred routes, a few
//! dozen departments and purposes. [`BusinessRows`] keeps each row as a [`JourneyRow`] of
//! numbers and small ids (64 bytes) and every text once in [`JourneyTables`]: the stop lists
//! (routes), the department and dimension values (symbols), the files, and the row ids in
//! one arena. Consumers read rows through [`JourneyRef`]'s accessors; [`Journey`] is the
//! owned form a caller builds a row from ([`BusinessRows::push`]).

use super::Journey;
use crate::journey::Stop;
use crate::mode::{Cabin, Fuel, Mode, Size};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// A symbol id that stands for "none" (no department).
pub(crate) const NONE: u32 = u32::MAX;
/// [`JourneyRow::flags`]: a round trip.
pub(crate) const ROUND_TRIP: u8 = 1;
/// [`JourneyRow::flags`]: the row gives its travelled distance.
const DISTANCE_GIVEN: u8 = 2;

/// One business journey in the store: its given distance, its line, the ids of its texts
/// and of its [`Shape`] (32 bytes).
///
/// The fields a scenario changes (mode and variants, occupancy, a converted distance, the
/// share) are plain values behind the accessors, so a changed row is a copy with other
/// values, never new text; the rarely-varying ones live in the shape table (a setter interns
/// the changed shape).
#[derive(Clone, Copy)]
pub struct JourneyRow {
    /// Travelled km one way as given (0 unless [`DISTANCE_GIVEN`]).
    pub(crate) distance_km: f64,
    /// Physical line in its file, its low 32 bits ([`Shape::line_high`] holds the rest).
    line_low: u32,
    /// Index into [`JourneyTables::routes`].
    pub(crate) route: u32,
    /// Index into [`JourneyTables::texts`] (department and dimensions).
    pub(crate) text: u32,
    /// The input row: index into the id and cost columns of the tables; pieces of one input
    /// row that scenarios split share it.
    pub(crate) input: u32,
    /// Index into the process's shape table ([`Shape`]).
    shape: u32,
    pub(crate) file: u16,
}

/// The numbers of a row that few rows differ in — travellers, occupancy, share, mode and
/// variants, flags — interned once per process: a row keeps the 4-byte id.
#[derive(Debug, Clone, Copy)]
struct Shape {
    travellers: f64,
    occupancy: f64,
    share: f64,
    /// The line's bits above the low 32 (files beyond 4 billion lines).
    line_high: u32,
    mode: Mode,
    cabin: Cabin,
    size: Size,
    fuel: Fuel,
    flags: u8,
}

/// A shape as its exact bits (what interning compares).
type ShapeKey = (u64, u64, u64, u32, [u8; 5]);

impl Shape {
    fn key(&self) -> ShapeKey {
        (
            self.travellers.to_bits(),
            self.occupancy.to_bits(),
            self.share.to_bits(),
            self.line_high,
            [
                self.mode as u8,
                self.cabin as u8,
                self.size as u8,
                self.fuel as u8,
                self.flags,
            ],
        )
    }
}

/// Segments of the shape table: segment `k` holds ids `2^k - 1 .. 2^(k+1) - 1`, so the table
/// grows without moving a shape and is read without a lock.
const SHAPE_SEGMENTS: usize = 32;

/// The process's shapes: written under a lock when a new shape is interned, read without one.
struct Shapes {
    segments: [OnceLock<Box<[OnceLock<Shape>]>>; SHAPE_SEGMENTS],
    index: Mutex<Option<FastMap<ShapeKey, u32>>>,
}

static SHAPES: Shapes = Shapes {
    segments: [const { OnceLock::new() }; SHAPE_SEGMENTS],
    index: Mutex::new(None),
};

/// Shapes a thread remembers before it asks the table again.
const SHAPE_CACHE_MAX: usize = 1 << 12;

thread_local! {
    /// This thread's look-ups of the shape table (ids never change, so they stay valid).
    static SHAPE_CACHE: RefCell<FastMap<ShapeKey, u32>> = RefCell::new(FastMap::default());
}

/// The segment and slot of a shape id.
fn shape_slot(id: u32) -> (usize, usize) {
    let n = u64::from(id) + 1;
    let segment = 63 - n.leading_zeros() as usize;
    (segment, (n - (1u64 << segment)) as usize)
}

impl Shapes {
    fn get(&self, id: u32) -> &'static Shape {
        let (segment, slot) = shape_slot(id);
        SHAPES.segments[segment]
            .get()
            .and_then(|s| s[slot].get())
            .expect("a row's shape id comes from the shape table")
    }

    fn intern(&self, shape: Shape) -> u32 {
        let key = shape.key();
        if let Some(id) = SHAPE_CACHE.with_borrow(|c| c.get(&key).copied()) {
            return id;
        }
        let id = {
            let mut index = self.index.lock().unwrap_or_else(|p| p.into_inner());
            let index = index.get_or_insert_with(FastMap::default);
            match index.get(&key) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(index.len())
                        .ok()
                        .filter(|&id| shape_slot(id).0 < SHAPE_SEGMENTS)
                        .expect("fewer than 2^31 distinct row shapes");
                    let (segment, slot) = shape_slot(id);
                    let s = SHAPES.segments[segment]
                        .get_or_init(|| (0..1usize << segment).map(|_| OnceLock::new()).collect());
                    let _ = s[slot].set(shape);
                    index.insert(key, id);
                    id
                }
            }
        };
        SHAPE_CACHE.with_borrow_mut(|c| {
            if c.len() >= SHAPE_CACHE_MAX {
                c.clear();
            }
            c.insert(key, id);
        });
        id
    }
}

impl PartialEq for JourneyRow {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.shape(), other.shape());
        a.travellers == b.travellers
            && a.occupancy == b.occupancy
            && self.distance_km == other.distance_km
            && a.share == b.share
            && self.line() == other.line()
            && self.route == other.route
            && self.text == other.text
            && self.input == other.input
            && self.file == other.file
            && (a.mode, a.cabin, a.size, a.fuel, a.flags)
                == (b.mode, b.cabin, b.size, b.fuel, b.flags)
    }
}

impl std::fmt::Debug for JourneyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.shape();
        f.debug_struct("JourneyRow")
            .field("travellers", &s.travellers)
            .field("occupancy", &s.occupancy)
            .field("distance_km", &self.distance_km)
            .field("share", &s.share)
            .field("line", &self.line())
            .field("route", &self.route)
            .field("text", &self.text)
            .field("input", &self.input)
            .field("file", &self.file)
            .field("mode", &s.mode)
            .field("cabin", &s.cabin)
            .field("size", &s.size)
            .field("fuel", &s.fuel)
            .field("flags", &s.flags)
            .finish()
    }
}

impl JourneyRow {
    /// A row as read: its line, mode and variants, travellers and occupancy, round trip and
    /// given one-way km; share 1, texts not yet interned (ids 0).
    pub(crate) fn loaded(
        line: u64,
        (mode, cabin, size, fuel): (Mode, Cabin, Size, Fuel),
        (travellers, occupancy): (f64, f64),
        round_trip: bool,
        given_km: Option<f64>,
    ) -> JourneyRow {
        let shape = Shape {
            travellers,
            occupancy,
            share: 1.0,
            line_high: (line >> 32) as u32,
            mode,
            cabin,
            size,
            fuel,
            flags: if round_trip { ROUND_TRIP } else { 0 }
                | if given_km.is_some() {
                    DISTANCE_GIVEN
                } else {
                    0
                },
        };
        JourneyRow {
            distance_km: given_km.unwrap_or(0.0),
            line_low: line as u32,
            route: 0,
            text: 0,
            input: 0,
            shape: SHAPES.intern(shape),
            file: 0,
        }
    }

    fn shape(&self) -> &'static Shape {
        SHAPES.get(self.shape)
    }

    /// Travellers, occupancy and round trip (one look-up of the shape).
    pub(crate) fn travel(&self) -> (f64, f64, bool) {
        let s = self.shape();
        (s.travellers, s.occupancy, s.flags & ROUND_TRIP != 0)
    }

    /// Mode, cabin, size, fuel and the given one-way km (one look-up of the shape).
    pub(crate) fn variant(&self) -> (Mode, Cabin, Size, Fuel, Option<f64>) {
        let s = self.shape();
        let given = (s.flags & DISTANCE_GIVEN != 0).then_some(self.distance_km);
        (s.mode, s.cabin, s.size, s.fuel, given)
    }

    /// What the journey formula reads of the row besides its route, as exact bits (one
    /// look-up of the shape): mode, cabin, size, fuel and round trip; travellers, occupancy
    /// and share; the given one-way km.
    pub(crate) fn formula_bits(&self) -> ([u8; 5], [u64; 3], Option<u64>) {
        let s = self.shape();
        let given = (s.flags & DISTANCE_GIVEN != 0).then_some(self.distance_km.to_bits());
        (
            [
                s.mode as u8,
                s.cabin as u8,
                s.size as u8,
                s.fuel as u8,
                u8::from(s.flags & ROUND_TRIP != 0),
            ],
            [
                s.travellers.to_bits(),
                s.occupancy.to_bits(),
                s.share.to_bits(),
            ],
            given,
        )
    }

    /// Changes the shape (interning the changed one).
    fn reshape(&mut self, change: impl FnOnce(&mut Shape)) {
        let mut s = *self.shape();
        change(&mut s);
        self.shape = SHAPES.intern(s);
    }

    /// The input row it comes from (the same for every piece a scenario split it into).
    pub fn input(&self) -> u32 {
        self.input
    }
    /// Its stops: an index into [`JourneyTables::stops`].
    pub fn route(&self) -> u32 {
        self.route
    }
    /// Its department and dimensions: an index below [`JourneyTables::texts`].
    pub fn text(&self) -> u32 {
        self.text
    }
    /// Mode.
    pub fn mode(&self) -> Mode {
        self.shape().mode
    }
    /// Flight cabin.
    pub fn cabin(&self) -> Cabin {
        self.shape().cabin
    }
    /// Car/motorbike size.
    pub fn size(&self) -> Size {
        self.shape().size
    }
    /// Car fuel.
    pub fn fuel(&self) -> Fuel {
        self.shape().fuel
    }
    /// Out and back.
    pub fn round_trip(&self) -> bool {
        self.shape().flags & ROUND_TRIP != 0
    }
    /// Travellers (> 0).
    pub fn travellers(&self) -> f64 {
        self.shape().travellers
    }
    /// People per car or motorbike (>= 1).
    pub fn occupancy(&self) -> f64 {
        self.shape().occupancy
    }
    /// Travelled km one way as given in the export (replaces the computed distance).
    pub fn distance_km(&self) -> Option<f64> {
        (self.shape().flags & DISTANCE_GIVEN != 0).then_some(self.distance_km)
    }
    /// Share of the journey that takes place (1 unless a scenario reduced it).
    pub fn share(&self) -> f64 {
        self.shape().share
    }
    /// Physical line in its file.
    pub fn line(&self) -> u64 {
        u64::from(self.shape().line_high) << 32 | u64::from(self.line_low)
    }
    /// Sets the share.
    pub fn set_share(&mut self, share: f64) {
        self.reshape(|s| s.share = share);
    }
    /// Sets the mode.
    pub fn set_mode(&mut self, mode: Mode) {
        self.reshape(|s| s.mode = mode);
    }
    /// Sets the flight cabin.
    pub fn set_cabin(&mut self, cabin: Cabin) {
        self.reshape(|s| s.cabin = cabin);
    }
    /// Sets the size.
    pub fn set_size(&mut self, size: Size) {
        self.reshape(|s| s.size = size);
    }
    /// Sets the fuel.
    pub fn set_fuel(&mut self, fuel: Fuel) {
        self.reshape(|s| s.fuel = fuel);
    }
    /// Sets the occupancy.
    pub fn set_occupancy(&mut self, occupancy: f64) {
        self.reshape(|s| s.occupancy = occupancy);
    }
    /// Sets (or clears) the given one-way distance.
    pub fn set_distance_km(&mut self, km: Option<f64>) {
        self.distance_km = km.unwrap_or(0.0);
        self.reshape(|s| match km {
            Some(_) => s.flags |= DISTANCE_GIVEN,
            None => s.flags &= !DISTANCE_GIVEN,
        });
    }
}

/// A stop as a route key: position bits and the symbols of its texts.
type StopKey = (u64, u64, u32, u32, u32);

/// Every distinct text of the rows, once.
#[derive(Debug, Clone, Default)]
pub struct JourneyTables {
    files: Vec<Arc<str>>,
    routes: Vec<Box<[Stop]>>,
    route_index: FastMap<Box<[StopKey]>, u32>,
    /// Department and dimensions of rows, interned as a whole (exports repeat a few
    /// combinations): `[department, name, value, name, value ...]` as symbols, the
    /// department [`NONE`] when empty.
    texts: Vec<Box<[u32]>>,
    text_index: FastMap<Box<[u32]>, u32>,
    symbols: Vec<Box<str>>,
    symbol_index: FastMap<Box<str>, u32>,
    /// Row ids of the input rows, end to end; `id_ends[input]` is where one ends (empty
    /// until a row has an id).
    id_text: String,
    id_ends: Vec<u32>,
    /// Cost in euros of the input rows (NaN: none); empty until a row has a cost.
    costs: Vec<f64>,
    /// Input rows so far.
    inputs: u32,
}

impl JourneyTables {
    /// The symbol of a text, interning it.
    pub(crate) fn symbol(&mut self, text: &str) -> u32 {
        if let Some(&s) = self.symbol_index.get(text) {
            return s;
        }
        let s = self.symbols.len() as u32;
        self.symbols.push(text.into());
        self.symbol_index.insert(text.into(), s);
        s
    }

    fn sym(&self, s: u32) -> &str {
        if s == NONE {
            ""
        } else {
            &self.symbols[s as usize]
        }
    }

    /// The id of a file name, interning it.
    pub(crate) fn file(&mut self, name: &Arc<str>) -> u16 {
        match self.files.iter().position(|f| f == name) {
            Some(i) => i as u16,
            None => {
                self.files.push(name.clone());
                (self.files.len() - 1) as u16
            }
        }
    }

    /// The id of a list of stops, interning it.
    pub(crate) fn route(&mut self, stops: &[Stop]) -> u32 {
        let key: Box<[StopKey]> = stops
            .iter()
            .map(|s| {
                (
                    s.position.lat_deg.to_bits(),
                    s.position.lon_deg.to_bits(),
                    self.symbol(&s.label),
                    self.symbol(&s.name),
                    self.symbol(&s.country_code),
                )
            })
            .collect();
        if let Some(&r) = self.route_index.get(&key) {
            return r;
        }
        let r = self.routes.len() as u32;
        self.routes.push(stops.into());
        self.route_index.insert(key, r);
        r
    }

    /// The id of a department and dimension list, interning it.
    pub(crate) fn text<'a>(
        &mut self,
        department: &str,
        dims: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> u32 {
        let mut key = vec![if department.is_empty() {
            NONE
        } else {
            self.symbol(department)
        }];
        for (k, v) in dims {
            let k = self.symbol(k);
            let v = self.symbol(v);
            key.extend([k, v]);
        }
        self.text_of(&key)
    }

    /// The id of a text key `[department, name, value ...]` of symbols, interning it.
    pub(crate) fn text_of(&mut self, key: &[u32]) -> u32 {
        if let Some(&i) = self.text_index.get(key) {
            return i;
        }
        let i = self.texts.len() as u32;
        self.texts.push(key.into());
        self.text_index.insert(key.into(), i);
        i
    }

    /// A new input row with its id and cost; returns its number.
    pub(crate) fn input(&mut self, id: &str, cost_eur: Option<f64>) -> u32 {
        let i = self.inputs;
        self.inputs += 1;
        if !id.is_empty() && self.id_ends.len() < i as usize {
            self.id_ends.resize(i as usize, self.id_text.len() as u32);
        }
        if !id.is_empty() || !self.id_ends.is_empty() {
            self.id_text.push_str(id);
            self.id_ends.push(self.id_text.len() as u32);
        }
        if cost_eur.is_some() && self.costs.len() < i as usize {
            self.costs.resize(i as usize, f64::NAN);
        }
        if cost_eur.is_some() || !self.costs.is_empty() {
            self.costs.push(cost_eur.unwrap_or(f64::NAN));
        }
        i
    }

    /// Makes room for the ids and costs of `expected` input rows in all.
    fn expect_inputs(&mut self, expected: usize) {
        let inputs = self.inputs as usize;
        if inputs == 0 || expected <= inputs {
            return;
        }
        if !self.id_ends.is_empty() {
            self.id_ends.reserve_exact(expected - self.id_ends.len());
            let per_input = self.id_text.len().div_ceil(inputs);
            let want = per_input * expected + per_input * expected / 16;
            self.id_text
                .reserve_exact(want.saturating_sub(self.id_text.len()));
        }
        if !self.costs.is_empty() {
            self.costs.reserve_exact(expected - self.costs.len());
        }
    }

    /// Gives back the room reserved beyond the inputs.
    fn shrink_inputs(&mut self) {
        self.id_text.shrink_to_fit();
        self.id_ends.shrink_to_fit();
        self.costs.shrink_to_fit();
    }

    fn id(&self, input: u32) -> &str {
        let i = input as usize;
        if i >= self.id_ends.len() {
            return "";
        }
        let start = if i == 0 { 0 } else { self.id_ends[i - 1] };
        &self.id_text[start as usize..self.id_ends[i] as usize]
    }

    fn cost(&self, input: u32) -> Option<f64> {
        self.costs
            .get(input as usize)
            .copied()
            .filter(|c| !c.is_nan())
    }

    /// The stops of a route id.
    pub fn stops(&self, route: u32) -> &[Stop] {
        &self.routes[route as usize]
    }

    /// Distinct routes.
    pub fn routes(&self) -> usize {
        self.routes.len()
    }

    /// Distinct department and dimension lists ([`JourneyRow`]'s text ids run below).
    pub fn texts(&self) -> usize {
        self.texts.len()
    }

    /// The department of a text id (empty when none).
    pub fn department_of(&self, text: u32) -> &str {
        self.sym(self.texts[text as usize][0])
    }

    /// Heap bytes of the distinct texts (routes, symbols, ids) — what the store keeps
    /// beyond its 64 bytes per row.
    pub fn text_bytes(&self) -> usize {
        let stops: usize = self
            .routes
            .iter()
            .flat_map(|r| r.iter())
            .map(|s| {
                std::mem::size_of::<Stop>() + s.label.len() + s.name.len() + s.country_code.len()
            })
            .sum();
        let symbols: usize = self.symbols.iter().map(|s| 2 * (s.len() + 16)).sum();
        stops + symbols + self.id_text.len() + 4 * self.id_ends.len() + 8 * self.costs.len()
    }
}

/// The business journeys of an inventory: rows and the tables of their texts.
#[derive(Debug, Clone, Default)]
pub struct BusinessRows {
    /// Shared with the results evaluated from them ([`super::JourneyResults`]), which
    /// compute a row's figures from the row and its route on demand.
    rows: Arc<Vec<JourneyRow>>,
    tables: Arc<JourneyTables>,
}

impl PartialEq for BusinessRows {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a.eq_values(&b))
    }
}

impl BusinessRows {
    /// No rows.
    pub fn new() -> BusinessRows {
        BusinessRows::default()
    }

    /// Rows already interned in `tables` (scenario pieces).
    pub fn from_parts(rows: Vec<JourneyRow>, tables: Arc<JourneyTables>) -> BusinessRows {
        BusinessRows {
            rows: Arc::new(rows),
            tables,
        }
    }

    /// Adds a journey (its texts interned).
    pub fn push(&mut self, j: Journey) {
        let t = Arc::make_mut(&mut self.tables);
        let mut row = JourneyRow::loaded(
            j.line,
            (j.mode, j.cabin, j.size, j.fuel),
            (j.travellers, j.occupancy),
            j.round_trip,
            j.distance_km,
        );
        if j.share.to_bits() != 1f64.to_bits() {
            row.set_share(j.share);
        }
        row.route = t.route(&j.stops);
        row.text = t.text(
            &j.department,
            j.dimensions.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        row.input = t.input(&j.id, j.cost_eur);
        row.file = t.file(&j.file);
        Arc::make_mut(&mut self.rows).push(row);
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows' numbers and ids.
    pub fn rows(&self) -> &[JourneyRow] {
        &self.rows
    }

    /// The rows' numbers, shared (what results keep of their rows).
    pub(crate) fn shared_rows(&self) -> &Arc<Vec<JourneyRow>> {
        &self.rows
    }

    /// A row's numbers, to change them (a scenario, a test); copies the rows first while
    /// results of them are alive.
    pub fn row_mut(&mut self, i: usize) -> &mut JourneyRow {
        &mut Arc::make_mut(&mut self.rows)[i]
    }

    /// The shared tables of texts.
    pub fn tables(&self) -> &Arc<JourneyTables> {
        &self.tables
    }

    /// Row `i` with its texts.
    pub fn get(&self, i: usize) -> JourneyRef<'_> {
        JourneyRef {
            row: &self.rows[i],
            tables: &self.tables,
        }
    }

    /// Every row with its texts, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = JourneyRef<'_>> + Clone {
        let tables = &*self.tables;
        self.rows.iter().map(move |row| JourneyRef { row, tables })
    }

    /// Heap bytes: 32 per row plus the distinct texts.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<JourneyRow>() + self.tables.text_bytes()
    }
}

/// The rows and tables of a load while it runs, owned: adding a row is a push, with no
/// shared count to check ([`BusinessRows`] keeps them behind `Arc`s).
#[derive(Default)]
pub(crate) struct Loading {
    pub(crate) rows: Vec<JourneyRow>,
    pub(crate) tables: JourneyTables,
}

impl Loading {
    /// Makes room for `expected` rows in all (so the rows are not copied over and over as
    /// they grow).
    pub(crate) fn expect_rows(&mut self, expected: usize) {
        if expected > self.rows.capacity() {
            self.rows.reserve_exact(expected - self.rows.len());
            self.tables.expect_inputs(expected);
        }
    }

    /// Ends loading: gives back the room reserved beyond the rows.
    pub(crate) fn finish(mut self) -> BusinessRows {
        self.rows.shrink_to_fit();
        self.tables.shrink_inputs();
        BusinessRows {
            rows: Arc::new(self.rows),
            tables: Arc::new(self.tables),
        }
    }
}

impl FromIterator<Journey> for BusinessRows {
    fn from_iter<I: IntoIterator<Item = Journey>>(iter: I) -> Self {
        let mut rows = BusinessRows::new();
        for j in iter {
            rows.push(j);
        }
        rows
    }
}

/// A row of the store with its texts: what consumers read.
#[derive(Debug, Clone, Copy)]
pub struct JourneyRef<'a> {
    /// The row's numbers and ids.
    pub row: &'a JourneyRow,
    /// Its texts.
    pub tables: &'a JourneyTables,
}

impl<'a> JourneyRef<'a> {
    /// A row with its tables.
    pub fn new(row: &'a JourneyRow, tables: &'a JourneyTables) -> JourneyRef<'a> {
        JourneyRef { row, tables }
    }
    /// The export.
    pub fn file(&self) -> &'a Arc<str> {
        &self.tables.files[self.row.file as usize]
    }
    /// Physical line.
    pub fn line(&self) -> u64 {
        self.row.line()
    }
    /// The row's `id` (empty when absent).
    pub fn id(&self) -> &'a str {
        self.tables.id(self.row.input)
    }
    /// Mode.
    pub fn mode(&self) -> Mode {
        self.row.mode()
    }
    /// Flight cabin.
    pub fn cabin(&self) -> Cabin {
        self.row.cabin()
    }
    /// Car/motorbike size.
    pub fn size(&self) -> Size {
        self.row.size()
    }
    /// Car fuel.
    pub fn fuel(&self) -> Fuel {
        self.row.fuel()
    }
    /// Origin, stopovers, destination.
    pub fn stops(&self) -> &'a [Stop] {
        self.tables.stops(self.row.route)
    }
    /// Out and back.
    pub fn round_trip(&self) -> bool {
        self.row.round_trip()
    }
    /// Travellers.
    pub fn travellers(&self) -> f64 {
        self.row.travellers()
    }
    /// People per car or motorbike.
    pub fn occupancy(&self) -> f64 {
        self.row.occupancy()
    }
    /// Travelled km one way as given.
    pub fn distance_km(&self) -> Option<f64> {
        self.row.distance_km()
    }
    /// Cost in euros, when the export has a cost column.
    pub fn cost_eur(&self) -> Option<f64> {
        self.tables.cost(self.row.input)
    }
    /// Department (empty when absent).
    pub fn department(&self) -> &'a str {
        self.tables
            .sym(self.tables.texts[self.row.text as usize][0])
    }
    /// Share of the journey that takes place.
    pub fn share(&self) -> f64 {
        self.row.share()
    }
    /// Every dimension column of the export: name → value.
    pub fn dimensions(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let t = self.tables;
        t.texts[self.row.text as usize][1..]
            .chunks_exact(2)
            .map(move |kv| (t.sym(kv[0]), t.sym(kv[1])))
    }
    /// The owned journey.
    pub fn to_journey(&self) -> Journey {
        Journey {
            file: self.file().clone(),
            line: self.line(),
            id: self.id().to_string(),
            mode: self.mode(),
            cabin: self.cabin(),
            size: self.size(),
            fuel: self.fuel(),
            stops: self.stops().to_vec(),
            round_trip: self.round_trip(),
            travellers: self.travellers(),
            occupancy: self.occupancy(),
            distance_km: self.distance_km(),
            cost_eur: self.cost_eur(),
            department: self.department().to_string(),
            share: self.share(),
            dimensions: self
                .dimensions()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
    /// Same values (texts compared as texts, so rows of two stores compare).
    pub fn eq_values(&self, other: &JourneyRef<'_>) -> bool {
        let (a, b) = (self.row, other.row);
        let (x, y) = (a.shape(), b.shape());
        x.travellers == y.travellers
            && x.occupancy == y.occupancy
            && a.distance_km == b.distance_km
            && x.share == y.share
            && a.line() == b.line()
            && x.flags == y.flags
            && (x.mode, x.cabin, x.size, x.fuel) == (y.mode, y.cabin, y.size, y.fuel)
            && self.file() == other.file()
            && self.id() == other.id()
            && self.stops() == other.stops()
            && self.department() == other.department()
            && self.dimensions().eq(other.dimensions())
            && self.cost_eur().map(f64::to_bits) == other.cost_eur().map(f64::to_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::Gazetteer;

    #[test]
    fn a_row_is_32_bytes_and_texts_are_kept_once() {
        assert_eq!(std::mem::size_of::<JourneyRow>(), 32);
        let g = Gazetteer::bundled();
        let stop = |q: &str| Stop::from_place(&g.resolve(q).unwrap());
        let mut rows = BusinessRows::new();
        for i in 0..100 {
            rows.push(Journey {
                file: Arc::from("b.csv"),
                line: i + 2,
                id: if i % 2 == 0 {
                    format!("r{i}")
                } else {
                    String::new()
                },
                mode: Mode::Train,
                cabin: Cabin::Economy,
                size: Size::Average,
                fuel: Fuel::Unknown,
                stops: vec![
                    stop("Enschede"),
                    stop(["Amsterdam", "Paris"][i as usize % 2]),
                ],
                round_trip: i % 3 == 0,
                travellers: 1.0,
                occupancy: 1.0,
                distance_km: (i == 5).then_some(12.5),
                cost_eur: (i == 7).then_some(3.5),
                department: ["A", "B", ""][i as usize % 3].into(),
                share: 1.0,
                dimensions: vec![("purpose".into(), "conference".into())],
            });
        }
        assert_eq!(rows.tables().routes(), 2);
        let j = rows.get(4).to_journey();
        assert_eq!((j.id.as_str(), j.department.as_str()), ("r4", "B"));
        assert_eq!(rows.get(5).id(), "");
        assert_eq!(rows.get(5).distance_km(), Some(12.5));
        assert_eq!(rows.get(6).distance_km(), None);
        assert_eq!(rows.get(7).cost_eur(), Some(3.5));
        assert_eq!(rows.get(8).cost_eur(), None);
        assert_eq!(rows.get(3).stops()[1].name, "Paris");
        assert!(rows.get(3).round_trip());
        assert_eq!(
            rows.get(0).dimensions().collect::<Vec<_>>(),
            [("purpose", "conference")]
        );
        // Round trip through the owned form.
        let mut again = BusinessRows::new();
        for r in rows.iter() {
            again.push(r.to_journey());
        }
        assert_eq!(again, rows);
    }
}
