//! The report's row-level files: `audit.csv` (every business journey with its distance,
//! factor and emissions) and `rejects.csv` (every rejected input row with its reason).
//!
//! The report folder is meant to be published, so the commuting survey — personal data —
//! stays out of both at row level: `audit.csv` has no respondent rows, and survey rejects
//! give file, line, column and reason but not the value found or a message quoting it.

use std::io::{self, Write};
use std::ops::Range;

use rayon::prelude::*;

use crate::csv_out::Line;
use crate::inventory::{
    InventoryRows, JourneyIndex, JourneyRef, JourneyResultRef, JourneyRow, RowResults,
};

/// File name of the audit trail.
pub const AUDIT_FILE: &str = "audit.csv";
/// File name of the rejected rows.
pub const REJECTS_FILE: &str = "rejects.csv";

const AUDIT_HEADER: [&str; 26] = [
    "category",
    "file",
    "line",
    "id",
    "department",
    "mode",
    "cabin",
    "size",
    "fuel",
    "origin",
    "destination",
    "via",
    "round_trip",
    "travellers",
    "share",
    "one_way_km",
    "passenger_km",
    "factor_pack",
    "factor_id",
    "co2e_kg",
    "ttw_kg",
    "wtt_kg",
    "energy_wtw_kg",
    "non_co2_kg",
    "construction_kg",
    "rail_countries",
];

/// Business rows formatted per parallel task (about 500 KB of text).
const CHUNK_ROWS: usize = 2048;

/// A row-level file of the report, written as a stream: [`RowFile::write_to`] formats its
/// lines straight into the writer, so the file is never held in memory.
#[derive(Debug, Clone, Copy)]
pub struct RowFile<'a> {
    /// Path in the report folder ([`AUDIT_FILE`], [`REJECTS_FILE`]).
    pub path: &'static str,
    source: Source<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Source<'a> {
    Audit(&'a InventoryRows, &'a RowResults),
    Rejects(&'a InventoryRows),
}

impl RowFile<'_> {
    /// Writes the file into `w` (buffer it: rejects arrive line by line, audit lines in
    /// pieces of about 500 KB).
    ///
    /// # Errors
    ///
    /// The first error of `w`.
    pub fn write_to<W: Write + ?Sized>(&self, w: &mut W) -> io::Result<()> {
        match self.source {
            Source::Audit(rows, results) => write_audit(w, rows, results),
            Source::Rejects(rows) => write_rejects(w, rows),
        }
    }
}

/// The report's row files, `audit.csv` then `rejects.csv`, to be streamed.
pub fn row_files<'a>(rows: &'a InventoryRows, results: &'a RowResults) -> [RowFile<'a>; 2] {
    [
        RowFile {
            path: AUDIT_FILE,
            source: Source::Audit(rows, results),
        },
        RowFile {
            path: REJECTS_FILE,
            source: Source::Rejects(rows),
        },
    ]
}

/// The cells of a business journey's audit line that identify its row: category, file,
/// line, id and department.
fn row_cells(line: &mut Line, j: JourneyRef<'_>) {
    line.text("business travel")
        .text(j.file())
        .uint(j.line())
        .text(j.id())
        .text(j.department());
}

/// The cells of a business journey's audit line after its department, ended: what the
/// journey formula reads and gives (the same for every row of a distinct journey).
fn journey_cells(line: &mut Line, j: JourneyRef<'_>, r: &JourneyResultRef<'_>) {
    let stops = j.stops();
    let label = |i: usize| stops.get(i).map_or("", |s| s.label.as_str());
    let via = stops.get(1..stops.len().saturating_sub(1)).unwrap_or(&[]);
    let p = r.parts;
    line.text(j.mode().key())
        .text(j.cabin().key())
        .text(j.size().key())
        .text(j.fuel().key())
        .text(label(0))
        .text(label(stops.len().saturating_sub(1)))
        .joined(via.iter().map(|s| s.label.as_str()), "; ")
        .text(if j.round_trip() { "yes" } else { "no" })
        .display_f64(j.travellers())
        .display_f64(j.share());
    // kg and km with three decimals (the audit is for checking, not for summing to the gram).
    line.fixed(r.one_way_km, 3)
        .fixed(r.passenger_km, 3)
        .text(r.factor_pack)
        .text(r.factor_id)
        .fixed(r.co2e_kg, 3)
        .fixed(p.ttw, 3)
        .fixed(p.wtt, 3)
        .fixed(p.energy_wtw, 3)
        .fixed(p.non_co2, 3)
        .fixed(p.construction, 3)
        .text(r.rail_countries.as_deref().unwrap_or(""))
        .end();
}

/// The [`journey_cells`] of every distinct journey, formatted once (in parallel), and per
/// row the index of its journey's cells.
struct JourneyCells {
    index: JourneyIndex,
    /// The cells of [`CELLS_CHUNK`] distinct journeys at a time, and the end of each
    /// journey's cells in them.
    pieces: Vec<(Line, Vec<u32>)>,
}

/// Distinct journeys whose cells are formatted per parallel task.
const CELLS_CHUNK: usize = 1024;

impl JourneyCells {
    fn new(rows: &InventoryRows, results: &RowResults) -> JourneyCells {
        let n = rows.business.len().min(results.business.len());
        let index = JourneyIndex::of(&rows.business.rows()[..n]);
        let pieces = index
            .first
            .par_chunks(CELLS_CHUNK)
            .map(|chunk| {
                let mut line = Line::default();
                let ends = chunk
                    .iter()
                    .map(|&i| {
                        let i = i as usize;
                        journey_cells(
                            &mut line,
                            rows.business.get(i),
                            &results.business.get_ref(i),
                        );
                        line.len() as u32
                    })
                    .collect();
                line.shrink_to_fit();
                (line, ends)
            })
            .collect();
        JourneyCells { index, pieces }
    }

    /// The ended cells of row `j`'s journey (`j` is one of the rows the cells were made
    /// of, so its journey is in the index).
    fn of(&self, j: &JourneyRow) -> &[u8] {
        let d = self.index.get(j).map_or(0, |d| d as usize);
        let (line, ends) = &self.pieces[d / CELLS_CHUNK];
        let k = d % CELLS_CHUNK;
        let start = if k == 0 { 0 } else { ends[k - 1] as usize };
        &line.bytes()[start..ends[k] as usize]
    }
}

/// The audit lines of business journeys `range` into `line` (cleared first).
fn format_rows(line: &mut Line, rows: &InventoryRows, cells: &JourneyCells, range: Range<usize>) {
    line.clear();
    for i in range {
        row_cells(line, rows.business.get(i));
        line.end_with(cells.of(&rows.business.rows()[i]));
    }
}

/// Writes `audit.csv` into `w`: one line per business journey, in input order. The lines are
/// formatted in chunks of [`CHUNK_ROWS`] rows on the worker threads while the chunks before
/// them are written, and written in row order: the same bytes for any number of threads.
///
/// # Errors
///
/// The first error of `w`.
pub fn write_audit<W: Write + ?Sized>(
    w: &mut W,
    rows: &InventoryRows,
    results: &RowResults,
) -> io::Result<()> {
    write_audit_in_chunks(w, rows, results, CHUNK_ROWS)
}

/// [`write_audit`] with `chunk_rows` rows per parallel task.
fn write_audit_in_chunks<W: Write + ?Sized>(
    w: &mut W,
    rows: &InventoryRows,
    results: &RowResults,
    chunk_rows: usize,
) -> io::Result<()> {
    let chunk_rows = chunk_rows.max(1);
    let mut head = Line::default();
    for h in AUDIT_HEADER {
        head.text(h);
    }
    w.write_all(head.end().bytes())?;
    let n = rows.business.len().min(results.business.len());
    let cells = JourneyCells::new(rows, results);
    let cells = &cells;
    // Two batches of a few chunks per thread: one is formatted while the other is written.
    let per_batch = 2 * rayon::current_num_threads().max(1);
    let batch_rows = per_batch * chunk_rows;
    let format = |buffers: &mut [Line], start: usize| {
        buffers.par_iter_mut().enumerate().for_each(|(k, line)| {
            let from = (start + k * chunk_rows).min(n);
            format_rows(line, rows, cells, from..(from + chunk_rows).min(n));
        });
    };
    let new_batch = || vec![Line::with_capacity(chunk_rows * 256); per_batch];
    let (mut ready, mut next) = (new_batch(), new_batch());
    format(&mut ready, 0);
    let mut start = 0;
    while start < n {
        let following = start + batch_rows;
        let mut written = Ok(());
        rayon::in_place_scope(|s| {
            if following < n {
                s.spawn(|_| format(&mut next, following));
            }
            written = ready.iter().try_for_each(|l| w.write_all(l.bytes()));
        });
        written?;
        std::mem::swap(&mut ready, &mut next);
        start = following;
    }
    Ok(())
}

/// Writes `rejects.csv` into `w`: every rejected row, business exports then surveys, in
/// input order.
///
/// # Errors
///
/// The first error of `w`.
pub fn write_rejects<W: Write + ?Sized>(w: &mut W, rows: &InventoryRows) -> io::Result<()> {
    let mut line = Line::default();
    for h in [
        "category", "file", "line", "reason", "column", "value", "message",
    ] {
        line.text(h);
    }
    w.write_all(line.end().bytes())?;
    for r in &rows.rejects {
        line.clear();
        line.text(r.category).text(&r.file);
        match r.line {
            Some(l) => line.uint(l),
            None => line.text(""),
        };
        line.text(&r.reason).text(r.column.as_deref().unwrap_or(""));
        if r.category == crate::inventory::SURVEY {
            line.text("")
                .text("survey row: value withheld (personal data); see the survey file");
        } else {
            line.text(r.value.as_deref().unwrap_or("")).text(&r.message);
        }
        w.write_all(line.end().bytes())?;
    }
    Ok(())
}

/// `audit.csv` in memory (tests and small inputs; the report streams it with [`row_files`]).
pub fn audit_csv(rows: &InventoryRows, results: &RowResults) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a `Vec` cannot fail.
    let _ = write_audit(&mut out, rows, results);
    out
}

/// `rejects.csv` in memory (tests and small inputs; the report streams it with [`row_files`]).
pub fn rejects_csv(rows: &InventoryRows) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a `Vec` cannot fail.
    let _ = write_rejects(&mut out, rows);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_out;
    use crate::factors::PackSet;
    use crate::input::{InputOptions, InputReader};
    use crate::inventory::{EvalOptions, InventoryConfig, evaluate_rows, load};
    use crate::places::Gazetteer;
    use std::path::Path;

    /// The rows and results of a configuration under the source tree (read, never written).
    fn evaluated(config: &str) -> (InventoryRows, RowResults) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(config);
        let dir = path.parent().unwrap();
        let cfg =
            InventoryConfig::from_json(config, &std::fs::read_to_string(&path).unwrap()).unwrap();
        let open = |f: &std::path::PathBuf| {
            InputReader::open(&dir.join(f), &InputOptions::default()).unwrap()
        };
        let inputs = crate::inventory::Inputs {
            business: cfg
                .business
                .iter()
                .flat_map(|b| b.files.to_vec())
                .map(|f| open(&f))
                .collect(),
            survey: cfg
                .commuting
                .iter()
                .flat_map(|c| c.survey.to_vec())
                .map(|f| open(&f))
                .collect(),
            ..Default::default()
        };
        let rows = load(&cfg, Gazetteer::bundled(), PackSet::bundled(), inputs).unwrap();
        let rr = evaluate_rows(PackSet::bundled(), &rows, &EvalOptions::from_config(&cfg)).unwrap();
        (rows, rr)
    }

    /// The audit as it was built before it streamed: every field a `String`, then
    /// [`csv_out::push_record`]. The streamed file must keep these bytes.
    fn audit_by_strings(rows: &InventoryRows, results: &RowResults) -> Vec<u8> {
        let f3 = |v: f64| csv_out::fixed(v, 3);
        let mut out = Vec::new();
        csv_out::push_record(&mut out, AUDIT_HEADER);
        for (j, r) in rows.business.iter().zip(results.business.iter()) {
            let stops = j.stops();
            let label = |i: usize| stops.get(i).map_or("", |s| s.label.as_str());
            let via = if stops.len() > 2 {
                let v: Vec<&str> = stops[1..stops.len() - 1]
                    .iter()
                    .map(|s| s.label.as_str())
                    .collect();
                v.join("; ")
            } else {
                String::new()
            };
            let p = r.parts;
            let record = [
                "business travel".to_string(),
                j.file().to_string(),
                j.line().to_string(),
                j.id().to_string(),
                j.department().to_string(),
                j.mode().key().to_string(),
                j.cabin().key().to_string(),
                j.size().key().to_string(),
                j.fuel().key().to_string(),
                label(0).to_string(),
                label(stops.len().saturating_sub(1)).to_string(),
                via,
                if j.round_trip() { "yes" } else { "no" }.to_string(),
                j.travellers().to_string(),
                j.share().to_string(),
                f3(r.one_way_km),
                f3(r.passenger_km),
                r.factor_pack.to_string(),
                r.factor_id.to_string(),
                f3(r.co2e_kg),
                f3(p.ttw),
                f3(p.wtt),
                f3(p.energy_wtw),
                f3(p.non_co2),
                f3(p.construction),
                r.rail_countries.as_deref().unwrap_or("").to_string(),
            ];
            csv_out::push_record(&mut out, &record);
        }
        out
    }

    /// `rejects.csv` as it was built before it streamed.
    fn rejects_by_strings(rows: &InventoryRows) -> Vec<u8> {
        let mut out = Vec::new();
        csv_out::push_record(
            &mut out,
            [
                "category", "file", "line", "reason", "column", "value", "message",
            ],
        );
        for r in &rows.rejects {
            let (value, message) = if r.category == crate::inventory::SURVEY {
                (
                    String::new(),
                    "survey row: value withheld (personal data); see the survey file".to_string(),
                )
            } else {
                (r.value.clone().unwrap_or_default(), r.message.clone())
            };
            let line = r.line.map(|l| l.to_string()).unwrap_or_default();
            let column = r.column.clone().unwrap_or_default();
            let record = [
                r.category, &r.file, &line, &r.reason, &column, &value, &message,
            ];
            csv_out::push_record(&mut out, record);
        }
        out
    }

    /// The audit streamed with `chunk_rows` rows per task on `threads` threads.
    fn streamed(
        rows: &InventoryRows,
        rr: &RowResults,
        chunk_rows: usize,
        threads: usize,
    ) -> Vec<u8> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut out = Vec::new();
            write_audit_in_chunks(&mut out, rows, rr, chunk_rows).unwrap();
            out
        })
    }

    #[test]
    fn the_streamed_audit_has_the_bytes_of_the_string_built_one_for_any_chunks_and_threads() {
        for config in [
            "data/examples/ut/inventory.json",
            "tests/fixtures/report/inventory-xss.json",
        ] {
            let (rows, rr) = evaluated(config);
            assert!(!rows.business.is_empty(), "{config}");
            let expected = audit_by_strings(&rows, &rr);
            assert_eq!(audit_csv(&rows, &rr), expected, "{config}");
            for (chunk, threads) in [(1, 1), (7, 2), (1000, 1), (1000, 2), (5000, 3)] {
                assert_eq!(
                    streamed(&rows, &rr, chunk, threads),
                    expected,
                    "{config}: {chunk} rows per chunk, {threads} threads"
                );
            }
            assert_eq!(rejects_csv(&rows), rejects_by_strings(&rows), "{config}");
        }
    }

    #[test]
    fn borrowed_results_and_factor_counts_match_the_owned_ones() {
        for config in [
            "data/examples/ut/inventory.json",
            "tests/fixtures/report/inventory-xss.json",
        ] {
            let (_, rr) = evaluated(config);
            let b = &rr.business;
            let mut rail = 0;
            for i in 0..b.len() {
                let (r, o) = (b.get_ref(i), b.get(i));
                assert_eq!(
                    (r.co2e_kg.to_bits(), r.passenger_km.to_bits()),
                    (o.co2e_kg.to_bits(), o.passenger_km.to_bits()),
                    "{config}: row {i}"
                );
                assert_eq!(r.one_way_km.to_bits(), o.one_way_km.to_bits());
                assert_eq!(r.parts, o.parts);
                assert_eq!(
                    (r.factor_pack, r.factor_id),
                    (&*o.factor_pack, &*o.factor_id)
                );
                assert_eq!(r.rail_countries.as_deref(), o.rail_countries.as_deref());
                rail += usize::from(r.rail_countries.is_some());
            }
            assert!(
                rail > 0 || config.contains("xss"),
                "{config}: no rail split"
            );
            let mut counted: std::collections::BTreeMap<(&str, &str), u64> = Default::default();
            for f in b.factors() {
                *counted.entry(f).or_default() += 1;
            }
            assert_eq!(b.factor_counts(), counted, "{config}");
            assert_eq!(counted.values().sum::<u64>(), b.len() as u64);
        }
    }

    #[test]
    fn hostile_text_cells_stay_guarded_and_quoted_in_the_audit() {
        let (rows, rr) = evaluated("tests/fixtures/report/inventory-xss.json");
        let audit = String::from_utf8(audit_csv(&rows, &rr)).unwrap();
        let mut r = csv::Reader::from_reader(audit.as_bytes());
        let departments: Vec<String> = r.records().map(|rec| rec.unwrap()[4].to_string()).collect();
        assert!(
            departments.iter().any(|d| d.starts_with("'=")),
            "{departments:?}"
        );
        assert!(
            departments.iter().all(|d| !csv_out::needs_guard(d)),
            "{departments:?}"
        );
        let rejects = String::from_utf8(rejects_csv(&rows)).unwrap();
        assert!(
            rejects.lines().count() > 1,
            "the fixture has a rejected row"
        );
    }

    /// A writer that fails after `.0` bytes.
    struct Full(usize);

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::other("full"));
            }
            let n = buf.len().min(self.0);
            self.0 -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_writer_stops_the_stream_with_its_error() {
        let (rows, rr) = evaluated("data/examples/ut/inventory.json");
        for at in [0, 100, 300_000] {
            let mut w = Full(at);
            let err = write_audit_in_chunks(&mut w, &rows, &rr, 500).unwrap_err();
            assert_eq!(err.to_string(), "full");
            assert!(write_rejects(&mut Full(at.min(20)), &rows).is_err());
        }
    }
}
