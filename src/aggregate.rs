//! Group-by over dimensions with exact, order-independent sums.
//!
//! Floating-point addition is not associative: summing the same rows in another order (or
//! split over another number of threads) changes the last digits. Reports must be
//! byte-identical for any `-j`, so totals here are kept in fixed point ([`ExactSum`]: integer
//! multiples of 2⁻³² kg, about 0.23 µg) where addition is exact. Each value is rounded once,
//! when it is added; after that the order of additions cannot matter.

use crate::factors::Parts;
use std::collections::HashMap;

const SCALE: f64 = 4_294_967_296.0; // 2^32

/// A sum of f64 values that is exactly the same in any order of addition.
///
/// Values are rounded to multiples of 2⁻³² (≈ 2.3 × 10⁻¹⁰) when added; the sum holds
/// magnitudes up to about 10²⁸ without overflow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExactSum(i128);

impl ExactSum {
    /// Adds a value (non-finite values are a caller's bug and are ignored).
    #[inline]
    pub fn add(&mut self, v: f64) {
        // Most parts of most rows are 0 (a pack without a construction or energy part).
        if v == 0.0 {
            return;
        }
        let x = v * SCALE;
        // Round half away from zero; values below 2^62 units (about 10^9 kg) take the fast
        // 64-bit conversion.
        let r = x + if x >= 0.0 { 0.5 } else { -0.5 };
        if r.abs() < 4.6e18 {
            self.0 += i128::from(r as i64);
        } else if r.is_finite() {
            self.0 += r as i128;
        }
    }

    /// Takes a value added earlier out again: adds `-v`, rounded the same way mirrored (round
    /// half away from zero is symmetric), so `add(v)` then `sub(v)` restores the sum exactly,
    /// whatever was added in between.
    #[inline]
    pub fn sub(&mut self, v: f64) {
        self.add(-v);
    }

    /// Adds another sum.
    #[inline]
    pub fn merge(&mut self, other: &ExactSum) {
        self.0 += other.0;
    }

    /// The sum as f64.
    pub fn value(&self) -> f64 {
        self.0 as f64 / SCALE
    }
}

/// What one row contributes to a total.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Contribution {
    /// kg CO2e.
    pub co2e_kg: f64,
    /// Passenger-km travelled.
    pub distance_km: f64,
    /// The parts of `co2e_kg`.
    pub parts: Parts,
}

/// Totals of a set of rows: kg CO2e (and its parts), passenger-km, row count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// kg CO2e.
    pub co2e_kg: ExactSum,
    /// Passenger-km travelled.
    pub distance_km: ExactSum,
    /// Rows (journeys) counted.
    pub journeys: u64,
    /// Parts: ttw, wtt, energy_wtw, non_co2, construction.
    pub parts: [ExactSum; 5],
}

impl Totals {
    /// Adds one row.
    #[inline]
    pub fn add(&mut self, c: &Contribution) {
        self.co2e_kg.add(c.co2e_kg);
        self.distance_km.add(c.distance_km);
        self.journeys += 1;
        let p = &c.parts;
        for (s, v) in
            self.parts
                .iter_mut()
                .zip([p.ttw, p.wtt, p.energy_wtw, p.non_co2, p.construction])
        {
            s.add(v);
        }
    }

    /// Adds other totals.
    pub fn merge(&mut self, o: &Totals) {
        self.co2e_kg.merge(&o.co2e_kg);
        self.distance_km.merge(&o.distance_km);
        self.journeys += o.journeys;
        for (s, v) in self.parts.iter_mut().zip(&o.parts) {
            s.merge(v);
        }
    }

    /// The parts as [`Parts`] (kg CO2e).
    pub fn parts(&self) -> Parts {
        let [ttw, wtt, energy_wtw, non_co2, construction] = self.parts.map(|s| s.value());
        Parts {
            ttw,
            wtt,
            energy_wtw,
            non_co2,
            construction,
        }
    }
}

/// Separator of dimension values inside a group key (a control character no export uses).
pub const KEY_SEP: char = '\u{1f}';

/// Totals per group. A group is identified by its dimension values joined with [`KEY_SEP`];
/// build the key in a reused buffer so adding a row to an existing group never allocates.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    map: HashMap<String, Totals, foldhash::fast::FixedState>,
}

/// One group of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The dimension values, in the order of the `--by` list.
    pub values: Vec<String>,
    /// Its totals.
    pub totals: Totals,
}

impl Groups {
    /// No groups.
    pub fn new() -> Self {
        Groups::default()
    }

    /// Adds a row to the group `key` (values joined with [`KEY_SEP`]).
    #[inline]
    pub fn add(&mut self, key: &str, c: &Contribution) {
        match self.map.get_mut(key) {
            Some(t) => t.add(c),
            None => {
                let mut t = Totals::default();
                t.add(c);
                self.map.insert(key.to_string(), t);
            }
        }
    }

    /// Adds every group of `other`.
    pub fn merge(&mut self, other: Groups) {
        for (k, t) in other.map {
            self.map.entry(k).or_default().merge(&t);
        }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when there is no group.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Sum over all groups.
    pub fn total(&self) -> Totals {
        let mut t = Totals::default();
        for v in self.map.values() {
            t.merge(v);
        }
        t
    }

    /// The groups, sorted by `order` applied to their values (deterministic).
    pub fn into_sorted(
        self,
        mut order: impl FnMut(&[String], &[String]) -> std::cmp::Ordering,
    ) -> Vec<Group> {
        let mut v: Vec<Group> = self
            .map
            .into_iter()
            .map(|(k, totals)| Group {
                values: k.split(KEY_SEP).map(str::to_string).collect(),
                totals,
            })
            .collect();
        v.sort_by(|a, b| order(&a.values, &b.values));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn c(kg: f64, km: f64) -> Contribution {
        Contribution {
            co2e_kg: kg,
            distance_km: km,
            parts: Parts {
                ttw: kg * 0.75,
                wtt: kg * 0.25,
                ..Parts::default()
            },
        }
    }

    fn group(rows: &[(u8, f64, f64)]) -> (Groups, Totals) {
        let mut g = Groups::new();
        let mut total = Totals::default();
        for &(k, kg, km) in rows {
            let row = c(kg, km);
            g.add(&format!("dept{}{KEY_SEP}mode{}", k % 3, k % 2), &row);
            total.add(&row);
        }
        (g, total)
    }

    #[test]
    fn exact_sum_is_order_independent_where_f64_is_not() {
        let v = [1e16, 1.0, -1e16, 0.1, 0.2, 0.3];
        let f: f64 = v.iter().sum();
        let g: f64 = v.iter().rev().sum();
        assert_ne!(f, g, "f64 addition depends on order");
        let mut a = ExactSum::default();
        let mut b = ExactSum::default();
        v.iter().for_each(|x| a.add(*x));
        v.iter().rev().for_each(|x| b.add(*x));
        assert_eq!(a, b);
    }

    proptest! {
        #[test]
        fn taking_out_what_was_added_restores_the_sum_exactly(
            kept in prop::collection::vec(-1e12f64..1e12, 0..50),
            gone in prop::collection::vec(prop_oneof![-1e12f64..1e12, -1e-6f64..1e-6, Just(0.5 / SCALE), Just(-1.5 / SCALE), 1e9f64..1e13], 1..50),
        ) {
            let mut only = ExactSum::default();
            kept.iter().for_each(|v| only.add(*v));
            // Add everything interleaved, then take out the others in another order.
            let mut s = ExactSum::default();
            for (i, v) in gone.iter().enumerate() {
                s.add(*v);
                if let Some(k) = kept.get(i) {
                    s.add(*k);
                }
            }
            kept.iter().skip(gone.len()).for_each(|v| s.add(*v));
            gone.iter().rev().for_each(|v| s.sub(*v));
            prop_assert_eq!(s, only);
            prop_assert_eq!(s.value().to_bits(), only.value().to_bits());
        }

        #[test]
        fn group_sums_equal_the_total(rows in prop::collection::vec((0u8..12, 0.0f64..5000.0, 0.0f64..20000.0), 0..200)) {
            let (g, total) = group(&rows);
            prop_assert_eq!(g.total(), total);
            let sorted = g.into_sorted(|a, b| a.cmp(b));
            let journeys: u64 = sorted.iter().map(|x| x.totals.journeys).sum();
            prop_assert_eq!(journeys, rows.len() as u64);
        }

        #[test]
        fn row_order_and_batching_do_not_change_the_result(
            rows in prop::collection::vec((0u8..12, 0.0f64..5000.0, 0.0f64..20000.0), 1..200),
            seed in any::<u64>(),
            split in 0usize..200,
        ) {
            let (g, _) = group(&rows);
            // Shuffle deterministically, then add in two batches merged in either order.
            let mut shuffled = rows.clone();
            let mut s = seed;
            for i in (1..shuffled.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (s >> 33) as usize % (i + 1));
            }
            let cut = split.min(shuffled.len());
            let (mut a, _) = group(&shuffled[..cut]);
            let (b, _) = group(&shuffled[cut..]);
            a.merge(b);
            prop_assert_eq!(g.into_sorted(|x, y| x.cmp(y)), a.into_sorted(|x, y| x.cmp(y)));
        }
    }
}
