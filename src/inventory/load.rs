//! Loading business exports into the row store ([`BusinessRows`]) through the
//! business-travel run, at the run's speed.
//!
//! The run computes rows in worker threads and hands them over in input order. A worker
//! turns its row into a [`Loaded`]: the row's numbers, its id, and *provisional* ids of its
//! route, file and dimension values, looked up in a cache of the thread ([`ThreadCache`]) by
//! the run's shared places and column names (pointers), and interned on a miss into the
//! run-wide [`Provisional`] tables (in whatever order the threads meet them). Nothing is
//! allocated and no shared counter is touched for a row whose texts were met before. The
//! loader then maps each provisional id, the first time it meets it in input order, to the
//! store's id, interning the texts exactly as a row-by-row load would: the tables come out
//! the same for any number of threads.

use super::store::{self, JourneyRow, JourneyTables, Loading};
use super::{BUSINESS, FileQuality, InventoryRows, RejectedRow, parse_cost, top_reasons};
use crate::business::{Business, ResolvedPlace, RowView, Visit};
use crate::input::{InputReader, builtin_aliases, normalise_header};
use crate::journey::Stop;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Most distinct dimension combinations the tables remember (a cost or free-text column
/// makes every row distinct; those rows carry their values and are interned one symbol at a
/// time).
const DIMS_SEEN_MAX: usize = 1 << 16;

/// A row's dimension names and values, owned.
type DimValues = Box<[(Arc<str>, Box<str>)]>;

/// A provisional id that stands for "not interned" (the row carries its dimension values).
const OWN: u32 = u32::MAX;

/// The texts the worker threads met, under provisional ids (the order the threads met them).
#[derive(Default)]
struct Provisional {
    files: Vec<Arc<str>>,
    routes: FastMap<Box<[usize]>, u32>,
    /// The places of each route (kept alive, so their addresses stay the routes' keys).
    route_places: Vec<Box<[Arc<ResolvedPlace>]>>,
    dims: FastMap<Box<[u8]>, u32>,
    /// The dimension names and values of each combination.
    dim_values: Vec<DimValues>,
}

/// The provisional tables of one load, shared by its worker threads.
struct Shared {
    /// Tells this load's thread caches from an earlier load's.
    load: u64,
    tables: Mutex<Provisional>,
}

/// Numbers the loads of a process (each thread cache belongs to one).
static LOADS: AtomicU64 = AtomicU64::new(1);

impl Shared {
    fn new() -> Shared {
        Shared {
            load: LOADS.fetch_add(1, Ordering::Relaxed),
            tables: Mutex::new(Provisional::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Provisional> {
        self.tables.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A worker thread's look-ups of the provisional ids (valid for one load).
#[derive(Default)]
struct ThreadCache {
    load: u64,
    file: Option<(usize, u32)>,
    routes: FastMap<Box<[usize]>, u32>,
    dims: FastMap<Box<[u8]>, u32>,
    route_key: Vec<usize>,
    dims_key: Vec<u8>,
}

thread_local! {
    static CACHE: RefCell<ThreadCache> = RefCell::new(ThreadCache::default());
}

impl ThreadCache {
    /// The provisional id of the row's file.
    fn file(&mut self, shared: &Shared, file: &Arc<str>) -> u32 {
        let address = Arc::as_ptr(file) as *const u8 as usize;
        if let Some((a, id)) = self.file
            && a == address
        {
            return id;
        }
        let mut p = shared.lock();
        let id = match p.files.iter().position(|f| Arc::ptr_eq(f, file)) {
            Some(i) => i as u32,
            None => {
                p.files.push(file.clone());
                (p.files.len() - 1) as u32
            }
        };
        self.file = Some((address, id));
        id
    }

    /// The provisional id of the row's stops.
    fn route(&mut self, shared: &Shared, row: &RowView<'_>) -> u32 {
        self.route_key.clear();
        self.route_key
            .extend(row.stops().map(|s| Arc::as_ptr(s) as usize));
        if let Some(&r) = self.routes.get(&self.route_key[..]) {
            return r;
        }
        let mut p = shared.lock();
        let r = match p.routes.get(&self.route_key[..]) {
            Some(&r) => r,
            None => {
                let r = p.route_places.len() as u32;
                p.route_places.push(row.stops().cloned().collect());
                p.routes.insert(self.route_key[..].into(), r);
                r
            }
        };
        drop(p);
        self.routes.insert(self.route_key[..].into(), r);
        r
    }

    /// The provisional id of the row's dimension values ([`OWN`] when the tables are full).
    fn dims(&mut self, shared: &Shared, row: &RowView<'_>) -> u32 {
        self.dims_key.clear();
        for (k, v) in row.dimensions() {
            self.dims_key
                .extend_from_slice(&(Arc::as_ptr(k) as *const u8 as usize).to_le_bytes());
            self.dims_key
                .extend_from_slice(&(v.len() as u32).to_le_bytes());
            self.dims_key.extend_from_slice(v.as_bytes());
        }
        if let Some(&d) = self.dims.get(&self.dims_key[..]) {
            return d;
        }
        let mut p = shared.lock();
        let d = match p.dims.get(&self.dims_key[..]) {
            Some(&d) => d,
            None if p.dims.len() >= DIMS_SEEN_MAX => return OWN,
            None => {
                let d = p.dim_values.len() as u32;
                p.dim_values.push(owned_dims(row));
                p.dims.insert(self.dims_key[..].into(), d);
                d
            }
        };
        drop(p);
        if self.dims.len() < DIMS_SEEN_MAX {
            self.dims.insert(self.dims_key[..].into(), d);
        }
        d
    }
}

fn owned_dims(row: &RowView<'_>) -> DimValues {
    row.dimensions()
        .map(|(k, v)| (k.clone(), v.into()))
        .collect()
}

/// A row id, inline when short.
enum RowId {
    Inline { len: u8, bytes: [u8; 30] },
    Long(Box<str>),
}

impl RowId {
    fn new(id: &str) -> RowId {
        let mut bytes = [0u8; 30];
        match bytes.get_mut(..id.len()) {
            Some(b) => {
                b.copy_from_slice(id.as_bytes());
                RowId::Inline {
                    len: id.len() as u8,
                    bytes,
                }
            }
            None => RowId::Long(id.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Whole characters were copied: the bytes are UTF-8.
            RowId::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default()
            }
            RowId::Long(s) => s,
        }
    }
}

/// A computed business row as a worker thread hands it to the loader: its numbers, its
/// id, and the provisional ids of its texts (`route`, `text` and `file` of `row`).
struct Loaded {
    row: JourneyRow,
    id: RowId,
    /// The dimension values when `row.text` is [`OWN`].
    dims: Option<DimValues>,
}

impl Loaded {
    fn of(row: &RowView<'_>, shared: &Shared) -> Loaded {
        let (route, text, file) = CACHE.with_borrow_mut(|c| {
            if c.load != shared.load {
                *c = ThreadCache {
                    load: shared.load,
                    ..ThreadCache::default()
                };
            }
            (
                c.route(shared, row),
                c.dims(shared, row),
                c.file(shared, row.file),
            )
        });
        let mut j = JourneyRow::loaded(
            row.line,
            (row.mode, row.cabin, row.size, row.fuel),
            (row.travellers, row.occupancy),
            row.round_trip,
            row.given_km,
        );
        j.route = route;
        j.text = text;
        j.file = file as u16;
        Loaded {
            row: j,
            id: RowId::new(&row.id()),
            dims: (text == OWN).then(|| owned_dims(row)),
        }
    }
}

/// What a dimension column is to the inventory.
#[derive(Clone, Copy, PartialEq)]
enum DimKind {
    Department,
    Cost,
    Other,
}

/// The interned texts of one combination of dimension values: its text id, and its cost
/// (the cost column's value, parsed).
#[derive(Clone, Copy)]
struct DimsSeen {
    text: u32,
    cost: Option<f64>,
}

/// Maps the provisional ids of loaded rows to the store's ids, interning the texts in input
/// order: column kinds once per column name, each dimension combination once.
struct Loader<'s> {
    shared: &'s Shared,
    department_key: String,
    cost_keys: Vec<String>,
    kinds: HashMap<usize, DimKind>,
    files: Vec<u16>,
    routes: Vec<u32>,
    dims: Vec<Option<DimsSeen>>,
    key: Vec<u32>,
    has_cost: bool,
    missing_cost: u64,
}

/// A store id not met yet.
const UNSEEN: u32 = u32::MAX;

impl<'s> Loader<'s> {
    fn new(department: &str, shared: &'s Shared) -> Loader<'s> {
        Loader {
            shared,
            department_key: normalise_header(department),
            cost_keys: std::iter::once("cost")
                .chain(builtin_aliases("cost").iter().copied())
                .map(normalise_header)
                .collect(),
            kinds: HashMap::new(),
            files: Vec::new(),
            routes: Vec::new(),
            dims: Vec::new(),
            key: Vec::new(),
            has_cost: false,
            missing_cost: 0,
        }
    }

    fn kind(&mut self, name: &Arc<str>) -> DimKind {
        let (dept, cost) = (&self.department_key, &self.cost_keys);
        *self
            .kinds
            .entry(Arc::as_ptr(name) as *const u8 as usize)
            .or_insert_with(|| {
                let n = normalise_header(name);
                if n == *dept {
                    DimKind::Department
                } else if cost.contains(&n) {
                    DimKind::Cost
                } else {
                    DimKind::Other
                }
            })
    }

    /// The text id and cost of a combination of dimension values, interning them.
    fn intern_dims(&mut self, t: &mut JourneyTables, dims: &[(Arc<str>, Box<str>)]) -> DimsSeen {
        let mut dept = "";
        let mut cost = None;
        for (k, v) in dims {
            match self.kind(k) {
                DimKind::Department if dept.is_empty() => dept = v.trim(),
                DimKind::Cost if cost.is_none() && !v.trim().is_empty() => cost = parse_cost(v),
                _ => {}
            }
        }
        self.key.clear();
        let dept = dept.trim();
        self.key.push(if dept.is_empty() {
            store::NONE
        } else {
            t.symbol(dept)
        });
        for (k, v) in dims {
            let k = t.symbol(k);
            let v = t.symbol(v);
            self.key.extend([k, v]);
        }
        DimsSeen {
            text: t.text_of(&self.key),
            cost,
        }
    }

    /// The text id and cost of a loaded row's dimensions.
    fn dims(&mut self, t: &mut JourneyTables, l: &Loaded) -> DimsSeen {
        if let Some(dims) = &l.dims {
            return self.intern_dims(t, dims);
        }
        let p = l.row.text as usize;
        if let Some(Some(d)) = self.dims.get(p) {
            return *d;
        }
        let values = self.shared.lock().dim_values[p].clone();
        let d = self.intern_dims(t, &values);
        if self.dims.len() <= p {
            self.dims.resize(p + 1, None);
        }
        self.dims[p] = Some(d);
        d
    }

    fn file(&mut self, t: &mut JourneyTables, p: u16) -> u16 {
        let p = p as usize;
        if let Some(&f) = self.files.get(p)
            && u32::from(f) != UNSEEN
        {
            return f;
        }
        let name = self.shared.lock().files[p].clone();
        let f = t.file(&name);
        if self.files.len() <= p {
            self.files.resize(p + 1, u16::MAX);
        }
        self.files[p] = f;
        f
    }

    fn route(&mut self, t: &mut JourneyTables, p: u32) -> u32 {
        let p = p as usize;
        if let Some(&r) = self.routes.get(p)
            && r != UNSEEN
        {
            return r;
        }
        let stops: Vec<Stop> = self.shared.lock().route_places[p]
            .iter()
            .map(|s| s.stop.clone())
            .collect();
        let r = t.route(&stops);
        if self.routes.len() <= p {
            self.routes.resize(p + 1, UNSEEN);
        }
        self.routes[p] = r;
        r
    }

    fn add(&mut self, rows: &mut Loading, l: Loaded) {
        let mut row = l.row;
        let t = &mut rows.tables;
        let d = self.dims(t, &l);
        if d.cost.is_some() {
            self.has_cost = true;
        } else {
            self.missing_cost += 1;
        }
        row.file = self.file(t, row.file);
        row.route = self.route(t, row.route);
        row.text = d.text;
        row.input = t.input(l.id.as_str(), d.cost);
        rows.rows.push(row);
    }
}

/// Projects the rows a file will give from the bytes read so far, so the store makes room
/// for them once instead of copying its rows each time they double.
#[derive(Default)]
struct Expect {
    /// The file being read (by address) and the rows before it.
    file: usize,
    rows_before: usize,
}

impl Expect {
    fn progress(&mut self, rows: &mut Loading, file: &str, done: u64, total: u64) {
        let address = file.as_ptr() as usize;
        if address != self.file {
            self.file = address;
            self.rows_before = rows.rows.len();
        }
        let so_far = rows.rows.len() - self.rows_before;
        if done == 0 || total <= done || so_far == 0 {
            return;
        }
        // A tenth more than the rows per byte so far predict, so a file whose later rows
        // are a little shorter still fits.
        let left = (total - done) as f64 * so_far as f64 / done as f64 * 1.1;
        rows.expect_rows(rows.rows.len() + left.min(u32::MAX as f64) as usize);
    }
}

/// Reads the business exports through the business-travel run into the compact store.
pub(super) fn load_business(
    run: &Business<'_>,
    inputs: Vec<InputReader>,
    department: &str,
    year: i32,
    rows: &mut InventoryRows,
    notes: &mut BTreeSet<String>,
) -> Result<(), crate::Error> {
    let outside = AtomicU64::new(0);
    let outside_ref = &outside;
    let shared = Shared::new();
    let shared_ref = &shared;
    let per_row = move |row: &RowView<'_>| {
        if row.date.is_some_and(|d| d.year != year) {
            outside_ref.fetch_add(1, Ordering::Relaxed);
        }
        Some(Loaded::of(row, shared_ref))
    };
    let mut loader = Loader::new(department, &shared);
    let mut journeys = Loading::default();
    let mut rejects = Vec::new();
    let mut expect = Expect::default();
    let summary = run.run_views(inputs, &per_row, |v| match v {
        Visit::Row(l) => loader.add(&mut journeys, l),
        Visit::Reject(r) => rejects.push(RejectedRow::new(BUSINESS, r.reason, &r.error)),
        Visit::Progress {
            file,
            bytes_done,
            bytes_total,
        } => expect.progress(&mut journeys, file, bytes_done, bytes_total.unwrap_or(0)),
    })?;
    let journeys = journeys.finish();
    for f in &summary.files {
        rows.quality.push(FileQuality {
            file: f.file.clone(),
            category: BUSINESS,
            format: f.format,
            rows_read: f.rows_read,
            rows_used: f.rows_used,
            rows_rejected: f.rows_rejected,
            top_reasons: top_reasons(
                rejects
                    .iter()
                    .filter(|r: &&RejectedRow| r.file == f.file)
                    .map(|r| r.reason.as_str()),
            ),
        });
    }
    for (note, n) in &summary.ambiguous_places {
        let s = if *n == 1 { "" } else { "s" };
        notes.insert(format!("{note} ({n} business row{s})"));
    }
    if loader.has_cost && loader.missing_cost > 0 {
        notes.insert(format!(
            "{} business journeys have no usable cost (empty, not a number or negative)",
            loader.missing_cost
        ));
    }
    let outside = outside.into_inner();
    if outside > 0 {
        notes.insert(format!(
            "{outside} business journeys are dated outside the inventory year {year}; they are counted in it (check the export's date range)"
        ));
    }
    rows.business = journeys;
    rows.rejects.extend(rejects);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::business::BusinessOptions;
    use crate::factors::PackSet;
    use crate::input::InputOptions;
    use crate::places::Gazetteer;

    /// The store of a load, as text: every row's ids and numbers and its texts.
    fn load_text(threads: usize, text: &str) -> String {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let g = Gazetteer::bundled();
            let run = Business::new(PackSet::bundled(), g, BusinessOptions::default()).unwrap();
            let options = InputOptions {
                block_bytes: 300,
                ..InputOptions::default()
            };
            let reader =
                InputReader::from_reader("b.csv", std::io::Cursor::new(text.to_string()), &options)
                    .unwrap();
            let campus = Stop::from_place(&g.resolve("ut").unwrap());
            let mut rows = InventoryRows::new("t", 2025, campus);
            let mut notes = BTreeSet::new();
            load_business(
                &run,
                vec![reader],
                "department",
                2025,
                &mut rows,
                &mut notes,
            )
            .unwrap();
            let b = &rows.business;
            let mut out = format!(
                "{:?}\n{} routes {} texts\n",
                b.rows(),
                b.tables().routes(),
                b.tables().texts()
            );
            for r in b.iter() {
                let stops: Vec<&str> = r.stops().iter().map(|s| s.name.as_str()).collect();
                let dims: Vec<_> = r.dimensions().collect();
                out += &format!(
                    "{} {stops:?} {} {dims:?} {:?}\n",
                    r.id(),
                    r.department(),
                    r.cost_eur()
                );
            }
            out
        })
    }

    /// The tables come out the same for any number of threads and any split into batches:
    /// the provisional ids of the threads are mapped in input order.
    #[test]
    fn the_store_is_the_same_for_any_number_of_threads() {
        const PLACES: [&str; 6] = [
            "Enschede",
            "Amsterdam",
            "Paris",
            "Berlin",
            "Rome",
            "Utrecht",
        ];
        const DEPTS: [&str; 4] = ["ITC", " BMS", "EEMCS ", ""];
        let mut text = String::from("id,department,purpose,cost,origin,destination,mode\n");
        for i in 0..400usize {
            text += &format!(
                "r{i},{},p{},{},{},{},{}\n",
                DEPTS[i * 7 % 4],
                i * 5 % 3,
                if i % 3 == 0 {
                    String::new()
                } else {
                    format!("{}.5", i % 11)
                },
                PLACES[i % 6],
                PLACES[(i * 5 + 1) % 6],
                ["train", "car", "flight"][i * 7 % 3],
            );
        }
        let one = load_text(1, &text);
        assert!(one.contains("r399"), "{one}");
        assert_eq!(one, load_text(2, &text));
        assert_eq!(one, load_text(3, &text));
    }
}
