//! Factor packs: versioned sets of emission factors with provenance for every value.
//!
//! A pack is a JSON file in `data/factors/` (schema in `docs/DESIGN.md` and
//! `data/factors/README.md`), embedded in the binary at build time so the tool works
//! offline. Each factor carries its source, year, table and row, unit
//! (`passenger.km` or `vehicle.km`), scope and a reliability grade, and splits its
//! kg CO2e per unit into [`Parts`].
//!
//! Lookup ([`PackSet::select`]) never invents a value: when the asked variant is missing
//! it walks a documented fallback chain (e.g. short-haul premium economy → economy) and
//! records a note; when the pack has no factor for the mode at all it uses the pack's
//! declared `fallback_pack` and says so.

mod bands;
mod lookup;
mod pack;
mod rail;

pub use bands::{BandBlend, FlightBandRule, SMOOTH_HALF_WINDOW_KM};
pub use lookup::{FactorQuery, Selected};
pub use pack::{
    Band, Conventions, Factor, FactorPack, FlightBands, FlightDistance, FlightDistanceKind,
    PackSet, Parts, RfNote, Unit,
};
pub use rail::{CountryRail, RailFactor, RailTable};

/// What can go wrong when loading packs or selecting a factor.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FactorError {
    /// A pack file does not parse or breaks the schema.
    #[error("factor pack `{pack}`: {message}")]
    InvalidPack {
        /// The pack id or file name.
        pack: String,
        /// What is wrong.
        message: String,
    },
    /// No pack with that id.
    #[error("unknown factor pack `{id}`; available: {available}")]
    UnknownPack {
        /// The id asked for.
        id: String,
        /// Ids of the loaded packs.
        available: String,
    },
    /// The pack (and its fallback) has no factor for this mode/variant.
    #[error("factor pack `{pack}` has no factor for {what}{hint}")]
    NoFactor {
        /// The pack id.
        pack: String,
        /// The mode and variant asked for.
        what: String,
        /// A hint such as " (no fallback pack declared)".
        hint: String,
    },
}

/// The id of the default pack (`desnz-2025`).
pub fn pack_default_id() -> &'static str {
    pack::DEFAULT_PACK
}
