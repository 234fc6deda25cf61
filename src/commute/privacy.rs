//! Minimum cell size for breakdowns of survey data.
//!
//! A survey is personal data: a table row that rests on one or two respondents can reveal
//! what they answered. Every breakdown of the survey goes through [`merge_small_cells`]:
//! cells with fewer respondents than the minimum are merged into one row labelled
//! [`merged_label`]; when that row would itself be too small, the next smallest cells join
//! it until it is not (so it cannot be recovered as "total minus the others"). Totals are
//! unchanged: merged cells still count.

use std::collections::BTreeSet;

/// One cell of a breakdown: a key, the respondents behind it and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell<T> {
    /// Row label (group, mode ...).
    pub key: String,
    /// Distinct respondents whose answers went into the cell.
    pub respondents: BTreeSet<u32>,
    /// The cell's numbers.
    pub value: T,
}

/// A breakdown after merging.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged<T> {
    /// Cells shown, in input order, the merged cell (if any) last.
    pub cells: Vec<Cell<T>>,
    /// Keys merged into the last cell (empty when nothing was merged).
    pub merged_keys: Vec<String>,
}

/// The label of the merged row, e.g. `other (merged: <5 respondents)`.
pub fn merged_label(min_cell_size: usize) -> String {
    format!("other (merged: <{min_cell_size} respondents)")
}

/// Merges cells with fewer than `min_cell_size` respondents (see the module docs); `add`
/// adds one cell's value into another's.
pub fn merge_small_cells<T: Clone + Default>(
    cells: Vec<Cell<T>>,
    min_cell_size: usize,
    add: impl Fn(&mut T, &T),
) -> Merged<T> {
    let small: Vec<bool> = cells
        .iter()
        .map(|c| c.respondents.len() < min_cell_size)
        .collect();
    if !small.contains(&true) {
        return Merged {
            cells,
            merged_keys: Vec::new(),
        };
    }
    let mut take = small.clone();
    let count = |take: &[bool]| -> usize {
        let mut all = BTreeSet::new();
        for (c, _) in cells.iter().zip(take).filter(|(_, t)| **t) {
            all.extend(c.respondents.iter().copied());
        }
        all.len()
    };
    // Secondary merging: smallest remaining cells (ties: later first) join until large enough.
    while count(&take) < min_cell_size {
        let next = cells
            .iter()
            .enumerate()
            .filter(|(i, _)| !take[*i])
            .min_by(|a, b| {
                a.1.respondents
                    .len()
                    .cmp(&b.1.respondents.len())
                    .then(b.0.cmp(&a.0))
            })
            .map(|(i, _)| i);
        match next {
            Some(i) => take[i] = true,
            None => break,
        }
    }
    let mut merged = Cell {
        key: merged_label(min_cell_size),
        respondents: BTreeSet::new(),
        value: T::default(),
    };
    let mut kept = Vec::new();
    let mut merged_keys = Vec::new();
    for (c, t) in cells.into_iter().zip(take) {
        if t {
            merged.respondents.extend(c.respondents.iter().copied());
            add(&mut merged.value, &c.value);
            merged_keys.push(c.key);
        } else {
            kept.push(c);
        }
    }
    kept.push(merged);
    Merged {
        cells: kept,
        merged_keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(key: &str, ids: std::ops::Range<u32>, v: f64) -> Cell<f64> {
        Cell {
            key: key.into(),
            respondents: ids.collect(),
            value: v,
        }
    }

    #[test]
    fn small_cells_merge_and_the_merged_cell_is_never_small() {
        let m = merge_small_cells(
            vec![
                cell("staff", 0..20, 10.0),
                cell("phd", 20..23, 1.0),
                cell("student", 23..60, 5.0),
            ],
            5,
            |a, b| *a += b,
        );
        // phd (3) alone would be too small: staff (20, the next smallest) joins it.
        assert_eq!(m.merged_keys, ["staff", "phd"]);
        assert_eq!(m.cells.len(), 2);
        assert_eq!(m.cells[0].key, "student");
        assert_eq!(m.cells[1].key, "other (merged: <5 respondents)");
        assert_eq!(m.cells[1].value, 11.0);
        let m = merge_small_cells(
            vec![
                cell("car", 0..10, 1.0),
                cell("moped", 10..12, 1.0),
                cell("walk", 12..15, 1.0),
            ],
            5,
            |a, b| *a += b,
        );
        assert_eq!(m.merged_keys, ["moped", "walk"]);
        let untouched = merge_small_cells(vec![cell("car", 0..5, 1.0)], 5, |a, b| *a += b);
        assert!(untouched.merged_keys.is_empty());
    }
}
