//! Distinct journeys: business rows the journey formula cannot tell apart.
//!
//! Rows with the same route, mode and variant and the same travel numbers (travellers,
//! occupancy, round trip, share, given distance) get the same figures to the bit under any
//! options; they differ only by file, line, id, department and other dimensions. A consumer
//! that computes or formats something per journey does it once per distinct journey and
//! reads it back per row through [`DistinctJourneys::of_row`].

use super::store::JourneyRow;
use std::collections::HashMap;

/// What the journey formula reads of a row, as exact bits: its route, mode, variant and
/// round-trip flag, travellers, occupancy and share, and the given distance.
type JourneyKey = (u32, [u8; 5], [u64; 3], Option<u64>);

fn journey_key(j: &JourneyRow) -> JourneyKey {
    let (variant, numbers, given_km) = j.formula_bits();
    (j.route(), variant, numbers, given_km)
}

type KeyMap = HashMap<JourneyKey, u32, foldhash::fast::FixedState>;

/// Groups `rows` in one pass, in row order: the index of each distinct journey's key, the
/// first row of each, and `per_row` told each row's distinct journey.
fn group(rows: &[JourneyRow], mut per_row: impl FnMut(u32)) -> (KeyMap, Vec<u32>) {
    let mut index = KeyMap::default();
    let mut first = Vec::new();
    for (i, j) in rows.iter().enumerate() {
        per_row(*index.entry(journey_key(j)).or_insert_with(|| {
            first.push(i as u32);
            (first.len() - 1) as u32
        }));
    }
    (index, first)
}

/// The distinct journeys of a list of rows, in order of first occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistinctJourneys {
    /// The first row of each distinct journey, ascending.
    pub first: Vec<u32>,
    /// Per row, the index of its distinct journey (into [`DistinctJourneys::first`]).
    pub of_row: Vec<u32>,
}

impl DistinctJourneys {
    /// Groups `rows` into distinct journeys (one pass, in row order).
    pub fn of(rows: &[JourneyRow]) -> DistinctJourneys {
        let mut of_row = Vec::with_capacity(rows.len());
        let (_, first) = group(rows, |d| of_row.push(d));
        DistinctJourneys { first, of_row }
    }

    /// Distinct journeys.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }
}

/// The distinct journeys of a list of rows, looked up by row instead of held per row (a
/// few bytes per distinct journey rather than four per row).
#[derive(Debug, Clone)]
pub struct JourneyIndex {
    index: KeyMap,
    /// The first row of each distinct journey, ascending.
    pub first: Vec<u32>,
}

impl JourneyIndex {
    /// Groups `rows` into distinct journeys (one pass, in row order).
    pub fn of(rows: &[JourneyRow]) -> JourneyIndex {
        let (index, first) = group(rows, |_| {});
        JourneyIndex { index, first }
    }

    /// The distinct journey of row `j` (an index into [`JourneyIndex::first`]); `None` for
    /// a row not among the grouped ones whose journey none of them has.
    pub fn get(&self, j: &JourneyRow) -> Option<u32> {
        self.index.get(&journey_key(j)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factors::PackSet;
    use crate::input::{InputOptions, InputReader};
    use crate::inventory::{Inputs, InventoryConfig, load};
    use crate::places::Gazetteer;

    const CONFIG: &str = include_str!("../../data/examples/ut/inventory.json");
    const BUSINESS: &str = include_str!("../../data/examples/ut/business-travel.csv");

    #[test]
    fn the_index_and_the_per_row_list_group_the_example_alike() {
        let cfg = InventoryConfig::from_json("inventory.json", CONFIG).unwrap();
        let reader = InputReader::from_reader(
            "business-travel.csv",
            std::io::Cursor::new(BUSINESS.to_string()),
            &InputOptions::default(),
        )
        .unwrap();
        let inputs = Inputs {
            business: vec![reader],
            ..Inputs::default()
        };
        let rows = load(&cfg, Gazetteer::bundled(), PackSet::bundled(), inputs).unwrap();
        let rows = rows.business.rows();
        let d = DistinctJourneys::of(rows);
        let x = JourneyIndex::of(rows);
        assert_eq!(d.of_row.len(), rows.len());
        assert!(d.len() < rows.len(), "the example repeats journeys");
        assert_eq!(d.first, x.first);
        for (i, j) in rows.iter().enumerate() {
            assert_eq!(x.get(j), Some(d.of_row[i]), "row {i}");
            let first = &rows[d.first[d.of_row[i] as usize] as usize];
            assert_eq!(journey_key(first), journey_key(j), "row {i}");
            // The key read from the shape at once is the key of the accessors.
            let (travellers, occupancy, round_trip) = j.travel();
            let by_accessors = (
                j.route(),
                [
                    j.mode() as u8,
                    j.cabin() as u8,
                    j.size() as u8,
                    j.fuel() as u8,
                    u8::from(round_trip),
                ],
                [
                    travellers.to_bits(),
                    occupancy.to_bits(),
                    j.share().to_bits(),
                ],
                j.distance_km().map(f64::to_bits),
            );
            assert_eq!(journey_key(j), by_accessors, "row {i}");
        }
        // Rows that differ in what the formula reads are different journeys.
        let mut other = rows[0];
        other.set_share(0.5);
        assert_eq!(x.get(&other), None);
    }
}
