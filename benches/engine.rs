//! Micro-benchmarks of the single-trip engine: place resolution (a known name, a typo that
//! needs suggestions), the WGS84 geodesic and a whole journey estimate.
//! `cargo bench --bench engine`.

use mobility_footprint::distance::{LatLon, geodesic_km};
use mobility_footprint::factors::PackSet;
use mobility_footprint::journey::{CalcOptions, Stop, TripSpec, estimate};
use mobility_footprint::mode::Mode;
use mobility_footprint::places::Gazetteer;

fn main() {
    // Load the bundled gazetteer once, outside the timed loops.
    let _ = Gazetteer::bundled();
    divan::main();
}

#[divan::bench(args = ["Enschede", "barcelona", "Den Haag", "AMS", "7522 NB"])]
fn resolve_known(name: &str) -> bool {
    Gazetteer::bundled().resolve(divan::black_box(name)).is_ok()
}

/// A misspelling: the gazetteer is searched for suggestions.
#[divan::bench]
fn resolve_typo() -> bool {
    Gazetteer::bundled()
        .resolve(divan::black_box("Barcelonna"))
        .is_ok()
}

#[divan::bench]
fn geodesic() -> f64 {
    let a = LatLon::new(52.2215, 6.8937).expect("valid");
    let b = LatLon::new(41.3874, 2.1686).expect("valid");
    geodesic_km(divan::black_box(a), divan::black_box(b))
}

/// Enschede → Barcelona by air: factor selection, flight convention, parts.
#[divan::bench]
fn estimate_flight(b: divan::Bencher) {
    let g = Gazetteer::bundled();
    let stops: Vec<Stop> = ["Enschede", "Barcelona"]
        .iter()
        .map(|n| Stop::from_place(&g.resolve(n).expect("bundled city")))
        .collect();
    let packs = PackSet::bundled();
    let spec = TripSpec::new(Mode::Flight);
    let opts = CalcOptions::default();
    b.bench(|| {
        estimate(packs, divan::black_box(&stops), &spec, &opts)
            .expect("factor")
            .co2e_kg
    });
}
