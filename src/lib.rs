//! mobility-footprint: estimate the CO2 footprint of mobility.
pub mod distance;
pub mod input;
