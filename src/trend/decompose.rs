//! The activity/intensity split of a change in emissions: exact, to the gram.
//!
//! A cell (a category and mode) emits `E = a × i`: activity `a` (km travelled) times
//! intensity `i` (kg CO2e per km). Between two years the change splits into two parts with
//! the midpoint (two-factor Shapley, also the Marshall–Edgeworth) weights:
//!
//! ```text
//! ΔE = Δa × (i0 + i1) / 2   +   Δi × (a0 + a1) / 2
//!      └ activity effect ┘      └ intensity effect ┘
//! ```
//!
//! The identity is exact in real arithmetic (expand both products: the cross terms cancel),
//! it is symmetric in the two years (swapping them negates both parts) and it leaves no
//! residual, unlike the one-sided (Laspeyres) split. A cell absent in one year has no
//! intensity there: its intensity is taken as the other year's, so the whole change is
//! activity (a mode that appears or disappears). A cell without km (home working has days,
//! not km, and is split over days) but with emissions changes by intensity only.
//!
//! Sums are kept in **whole grams** (`i64`): each year's cell emissions are the inventory's
//! kg rounded to the gram (the inventory already rounds its figures to the gram); the activity
//! effect is computed with the formula and rounded to the gram; the intensity effect is the
//! change minus the activity effect, which equals `Δi × (a0 + a1) / 2` to within a gram. So
//! activity + intensity = change holds exactly for every cell, and the cells add up exactly
//! to the change in the total.

use serde::Serialize;

/// kg to whole grams (half away from zero).
pub fn grams(kg: f64) -> i64 {
    (kg * 1000.0).round() as i64
}

/// Whole grams to kg.
pub fn kg(g: i64) -> f64 {
    g as f64 / 1000.0
}

/// One cell in one year: emissions and activity.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CellYear {
    /// Emissions, whole grams CO2e.
    pub co2e_g: i64,
    /// Activity: km (passenger-km or person-km), or days for home working.
    pub activity: f64,
}

impl CellYear {
    /// kg CO2e per unit of activity (None without activity).
    pub fn intensity_kg(&self) -> Option<f64> {
        (self.activity > 0.0).then(|| kg(self.co2e_g) / self.activity)
    }
}

/// The change of one cell between two years, split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Split {
    /// Change in emissions, g CO2e (to − from).
    pub change_g: i64,
    /// Part due to activity, g.
    pub activity_g: i64,
    /// Part due to intensity, g (`change_g − activity_g`).
    pub intensity_g: i64,
}

impl Split {
    /// Adds another split (for totals).
    pub fn add(&mut self, o: &Split) {
        self.change_g += o.change_g;
        self.activity_g += o.activity_g;
        self.intensity_g += o.intensity_g;
    }
}

/// The midpoint split of the change from `from` to `to` (see the module documentation).
pub fn split(from: CellYear, to: CellYear) -> Split {
    let change_g = to.co2e_g - from.co2e_g;
    let (i0, i1) = match (from.intensity_kg(), to.intensity_kg()) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, a),
        (None, Some(b)) => (b, b),
        // No activity in either year: nothing to attribute to activity.
        (None, None) => (0.0, 0.0),
    };
    let activity_g = grams((to.activity - from.activity) * (i0 + i1) / 2.0);
    Split {
        change_g,
        activity_g,
        intensity_g: change_g - activity_g,
    }
}

/// The intensity effect by its own formula, `Δi × (a0 + a1) / 2`, in kg (for checks).
pub fn intensity_effect_kg(from: CellYear, to: CellYear) -> f64 {
    let (i0, i1) = match (from.intensity_kg(), to.intensity_kg()) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, a),
        (None, Some(b)) => (b, b),
        (None, None) => return kg(to.co2e_g - from.co2e_g),
    };
    (i1 - i0) * (from.activity + to.activity) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_hand_computed_split() {
        // 200 km at 0.21124 kg/km, then 300 km at 0.10562 kg/km (a car shared by two).
        let from = CellYear {
            co2e_g: 42_248,
            activity: 200.0,
        };
        let to = CellYear {
            co2e_g: 31_686,
            activity: 300.0,
        };
        // activity: 100 km x (0.21124 + 0.10562) / 2 = 15.843 kg
        // intensity: -0.10562 kg/km x (200 + 300) / 2 = -26.405 kg
        assert_eq!(
            split(from, to),
            Split {
                change_g: -10_562,
                activity_g: 15_843,
                intensity_g: -26_405
            }
        );
    }

    #[test]
    fn a_cell_that_appears_or_disappears_is_all_activity() {
        let some = CellYear {
            co2e_g: 3_432,
            activity: 100.0,
        };
        let none = CellYear::default();
        assert_eq!(
            split(none, some),
            Split {
                change_g: 3_432,
                activity_g: 3_432,
                intensity_g: 0
            }
        );
        assert_eq!(
            split(some, none),
            Split {
                change_g: -3_432,
                activity_g: -3_432,
                intensity_g: 0
            }
        );
        // Emissions without activity (home working without days): all intensity.
        let no_km = CellYear {
            co2e_g: 500,
            activity: 0.0,
        };
        assert_eq!(split(none, no_km).intensity_g, 500);
    }

    proptest! {
        #[test]
        fn the_parts_add_up_exactly_and_match_the_formula(
            g0 in 0i64..5_000_000_000, g1 in 0i64..5_000_000_000,
            a0 in 0.0f64..1e8, a1 in 0.0f64..1e8,
        ) {
            let (from, to) = (CellYear { co2e_g: g0, activity: a0 }, CellYear { co2e_g: g1, activity: a1 });
            let s = split(from, to);
            prop_assert_eq!(s.activity_g + s.intensity_g, g1 - g0);
            // The intensity part is the midpoint formula's, to the gram (float rounding aside).
            let formula = intensity_effect_kg(from, to);
            let tolerance_kg = 0.001 + 1e-9 * (kg(g0).abs() + kg(g1).abs());
            prop_assert!((kg(s.intensity_g) - formula).abs() <= tolerance_kg,
                "{} vs {}", kg(s.intensity_g), formula);
            // Symmetric: the way back negates the change and each part (to the gram).
            let back = split(to, from);
            prop_assert_eq!(back.change_g, -s.change_g);
            prop_assert!((back.activity_g + s.activity_g).abs() <= 1);
        }
    }
}
