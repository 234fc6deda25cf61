//! mobility-footprint: estimate the CO2 footprint of mobility.
pub mod chart;
pub mod distance;
