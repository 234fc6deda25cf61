//! Command-line integration tests: one binary, one module per command.

mod bands;
mod browser;
mod business;
mod code_shape;
mod common;
mod commute;
mod formula;
mod hostile;
mod outputs;
mod plan;
mod report;
mod scenario;
mod sensitivity;
mod serve;
mod trend;
mod trip;

pub use common::{fixture, footprint};
