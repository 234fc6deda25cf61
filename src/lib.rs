//! # mobility-footprint
//!
//! Estimates the CO2 footprint of mobility: single trips, a university's yearly business
//! travel (GHG Protocol scope 3 category 6) and commuting (category 7), and "what if"
//! scenarios. Everything runs offline from bundled data: a GeoNames gazetteer, airports,
//! Dutch postcodes, and versioned emission-factor packs with a source for every number.
//!
//! ```
//! use mobility_footprint::places::Gazetteer;
//! use mobility_footprint::journey::{estimate, CalcOptions, Stop, TripSpec};
//! use mobility_footprint::factors::PackSet;
//! use mobility_footprint::mode::Mode;
//!
//! let g = Gazetteer::bundled();
//! let stops = [Stop::from_place(&g.resolve("Enschede").unwrap()), Stop::from_place(&g.resolve("Barcelona").unwrap())];
//! let mut spec = TripSpec::new(Mode::Train);
//! spec.round_trip = true;
//! let e = estimate(PackSet::bundled(), &stops, &spec, &CalcOptions::default()).unwrap();
//! assert!(e.co2e_kg > 100.0 && e.co2e_kg < 200.0); // ~1,259 km x 1.2 detour x 0.04443 kg/pkm x 2
//! ```

pub mod aggregate;
pub mod breakdown;
pub mod business;
pub mod chart;
pub mod commute;
pub mod compare;
pub mod csv_out;
pub mod distance;
pub mod door_to_door;
pub mod error;
pub mod factors;
pub mod generate;
pub mod input;
pub mod inventory;
pub mod journey;
pub mod matrix;
pub mod meet;
pub mod mode;
pub mod places;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod wpm;

pub use error::Error;
