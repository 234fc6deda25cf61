//! Micro-benchmarks of the business-travel path: reading CSV blocks, the whole engine on a
//! synthetic export, and the value parsers. `cargo bench --bench business`.
//! The end-to-end comparison with the pandas peer is `benches/business_vs_peer.sh`.

use mobility_footprint::business::{Business, BusinessOptions};
use mobility_footprint::factors::PackSet;
use mobility_footprint::generate::{GenerateOptions, business_export};
use mobility_footprint::input::{
    InputOptions, InputReader, for_each_batch_ordered, parse_date, parse_number,
};
use mobility_footprint::places::Gazetteer;
use std::io::Cursor;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// 20,000 synthetic rows (about 1.4 MB), generated once.
fn export() -> &'static [u8] {
    static DATA: OnceLock<Vec<u8>> = OnceLock::new();
    DATA.get_or_init(|| {
        let mut v = Vec::new();
        let o = GenerateOptions {
            rows: 20_000,
            seed: 1,
            ..GenerateOptions::default()
        };
        business_export(Gazetteer::bundled(), &o, &mut v).expect("in memory");
        v
    })
}

#[divan::bench]
fn read_csv_records(b: divan::Bencher) {
    b.counter(divan::counter::BytesCount::new(export().len()))
        .bench(|| {
            let opts = InputOptions {
                block_bytes: 256 * 1024,
                ..InputOptions::default()
            };
            let r = InputReader::from_reader("bench.csv", Cursor::new(export()), &opts)
                .expect("header");
            let mut n = 0usize;
            for_each_batch_ordered(
                r.batches(),
                4,
                |mut b| {
                    let mut c = 0usize;
                    b.for_each(|r| c += r.map_or(0, |r| r.len()));
                    c
                },
                |c| n += c,
            )
            .expect("reads");
            n
        });
}

#[divan::bench(sample_count = 20)]
fn business_summary(b: divan::Bencher) {
    let packs = PackSet::bundled();
    let g = Gazetteer::bundled();
    b.counter(divan::counter::ItemsCount::new(20_000usize))
        .bench(|| {
            let opts = BusinessOptions {
                by: vec!["mode".into(), "department".into()],
                ..BusinessOptions::default()
            };
            let engine = Business::new(packs, g, opts).expect("pack");
            let r = InputReader::from_reader(
                "bench.csv",
                Cursor::new(export()),
                &InputOptions::default(),
            )
            .expect("header");
            engine
                .run::<()>(vec![r], None, |_| {})
                .expect("runs")
                .total_co2e_kg
        });
}

#[divan::bench(args = ["12.5", "1.234,5", "  7 ", "-3"])]
fn number(s: &str) -> Result<f64, String> {
    parse_number(divan::black_box(s))
}

#[divan::bench(args = ["2025-03-14", "14-03-2025", "45730"])]
fn date(s: &str) -> bool {
    parse_date(divan::black_box(s)).is_ok()
}
