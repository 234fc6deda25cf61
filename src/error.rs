//! The library's error type. Every variant says what a user can act on.

use crate::distance::CoordinateError;
use crate::factors::FactorError;
use crate::input::InputError;
use crate::journey::JourneyError;
use crate::mode::UnknownWord;
use crate::places::PlaceError;

/// Anything the library can refuse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A place that cannot be resolved.
    #[error(transparent)]
    Place(#[from] PlaceError),
    /// Bad coordinates.
    #[error(transparent)]
    Coordinate(#[from] CoordinateError),
    /// Factor pack problems.
    #[error(transparent)]
    Factor(#[from] FactorError),
    /// Journey problems.
    #[error(transparent)]
    Journey(#[from] JourneyError),
    /// An input file, row or value that cannot be used.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Unknown mode, cabin, fuel, size.
    #[error(transparent)]
    Word(#[from] UnknownWord),
    /// Inventory rows that cannot be evaluated.
    #[error(transparent)]
    Eval(#[from] crate::inventory::EvalError),
}
