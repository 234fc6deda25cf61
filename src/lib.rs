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
//! use mobility_footprint::factors::{PackSet, RailFactor};
//! use mobility_footprint::mode::Mode;
//!
//! let g = Gazetteer::bundled();
//! let stops = [Stop::from_place(&g.resolve("Enschede").unwrap()), Stop::from_place(&g.resolve("Barcelona").unwrap())];
//! let mut spec = TripSpec::new(Mode::Train);
//! spec.round_trip = true;
//! // Rail by the countries the line crosses (NL, DE, BE, FR, ES: 1.4 to 17 g CO2e/pkm).
//! let e = estimate(PackSet::bundled(), &stops, &spec, &CalcOptions::default()).unwrap();
//! assert!(e.co2e_kg > 10.0 && e.co2e_kg < 30.0); // ~1,256 km x 1.2 detour x 2 x ~6 g/pkm
//! // The pack's single rail factor (DESNZ: UK national rail) everywhere, for like-for-like.
//! let uk = CalcOptions { rail_factor: RailFactor::Pack, ..CalcOptions::default() };
//! let e_uk = estimate(PackSet::bundled(), &stops, &spec, &uk).unwrap();
//! assert!(e_uk.co2e_kg > 100.0 && e_uk.co2e_kg < 200.0); // ~1,508 km x 2 x 0.0444 kg/pkm
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
pub mod rail;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod trend;
pub mod wpm;

pub use error::Error;
