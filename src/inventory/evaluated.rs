//! The library entry point of the inventory: a configuration and its opened inputs in, the
//! evaluated inventory, its breakdowns and scenario results out — without the command line.
//!
//! ```
//! use mobility_footprint::factors::PackSet;
//! use mobility_footprint::input::{InputOptions, InputReader};
//! use mobility_footprint::inventory::{Evaluated, Inputs, InventoryConfig};
//! use mobility_footprint::places::Gazetteer;
//! use mobility_footprint::scenario::{self, RunOptions};
//!
//! let cfg = InventoryConfig::from_json("inventory.json", r#"{
//!     "organisation": "Example", "year": 2025, "campus": "ut",
//!     "business": {"files": ["trips.csv"]}
//! }"#).unwrap();
//! let trips = "origin,destination,mode,round_trip\nEnschede,Barcelona,flight,yes\nEnschede,Paris,train,yes\n";
//! let inputs = Inputs {
//!     business: vec![InputReader::from_reader(
//!         "trips.csv", std::io::Cursor::new(trips), &InputOptions::default(),
//!     ).unwrap()],
//!     ..Inputs::default()
//! };
//! let inv = Evaluated::new(&cfg, Gazetteer::bundled(), PackSet::bundled(), inputs).unwrap();
//! // Every row evaluated once; the breakdowns come from those results.
//! assert_eq!(inv.row_results.business.len(), 2);
//! let by_flight = inv.result.by_mode.iter().find(|m| m.mode == "flight").unwrap();
//! assert!(by_flight.co2e_kg > inv.result.by_mode.iter().find(|m| m.mode == "train").unwrap().co2e_kg);
//!
//! // Scenarios run on the same rows.
//! let rail = scenario::parse("rail.json", r#"{"name": "rail", "description": "flights by train",
//!     "interventions": [{"type": "mode_shift", "from": "flight", "to": "train"}]}"#).unwrap();
//! let run = RunOptions {
//!     combine: false, inventory_year: 2025, target_year: 2030,
//!     configured_baseline_t: None, target_reduction_pct: None,
//! };
//! let cmp = inv.scenarios(PackSet::bundled(), &[rail], &run).unwrap();
//! assert!(cmp.scenarios[0].saving_t > 0.0);
//! ```

use super::{
    EvalError, EvalOptions, Inputs, InventoryConfig, InventoryResult, InventoryRows, RowResults,
    evaluate_rows, extrapolation, load, summarise,
};
use crate::factors::PackSet;
use crate::places::Gazetteer;
use crate::scenario::{self, Comparison, InventoryEval, RunError, RunOptions, Scenario};

/// An inventory evaluated once: its rows, one result per row, and every figure summed from
/// those results.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The rows as read (business journeys, survey respondents, quality, rejects).
    pub rows: InventoryRows,
    /// How they were evaluated.
    pub options: EvalOptions,
    /// One result per row, in row order ([`evaluate_rows`]).
    pub row_results: RowResults,
    /// Totals and breakdowns ([`summarise`]).
    pub result: InventoryResult,
}

impl Evaluated {
    /// Reads the inputs of a configuration ([`load`]) and evaluates them with its options.
    ///
    /// # Errors
    /// A campus that does not resolve, an unknown pack, a file that cannot be read, a row
    /// that cannot be computed or groups that cannot be extrapolated.
    pub fn new(
        cfg: &InventoryConfig,
        gazetteer: &Gazetteer,
        packs: &PackSet,
        inputs: Inputs,
    ) -> Result<Evaluated, crate::Error> {
        let rows = load(cfg, gazetteer, packs, inputs)?;
        Ok(Evaluated::of_rows(
            rows,
            EvalOptions::from_config(cfg),
            packs,
        )?)
    }

    /// Evaluates rows already read (each row once).
    ///
    /// # Errors
    /// A row that cannot be computed or groups that cannot be extrapolated.
    pub fn of_rows(
        rows: InventoryRows,
        options: EvalOptions,
        packs: &PackSet,
    ) -> Result<Evaluated, EvalError> {
        extrapolation(&rows)?;
        let row_results = evaluate_rows(packs, &rows, &options)?;
        let result = summarise(&rows, &row_results, &options)?;
        Ok(Evaluated {
            rows,
            options,
            row_results,
            result,
        })
    }

    /// Runs scenarios on the inventory's rows (see [`scenario::run`]).
    ///
    /// # Errors
    /// A scenario that asks for something impossible, or rows it leaves unevaluable.
    pub fn scenarios(
        &self,
        packs: &PackSet,
        scenarios: &[Scenario],
        run: &RunOptions,
    ) -> Result<Comparison, RunError> {
        let eval = InventoryEval::new(&self.rows, &self.options);
        scenario::run(&eval, &scenario::rows_of(&self.rows), packs, scenarios, run)
    }
}
