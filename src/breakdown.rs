//! Breakdowns shared by every command and chart.
//!
//! # Distance bands
//!
//! One definition, [`DistanceBand`], for `business --by distance_band`, the report's
//! distance-band chart and table, and `scenario --chart-dir`'s `distance-bands` chart. A
//! journey's band is chosen by its **one-way travelled km of the whole journey** (all legs,
//! detours applied, or the given `distance_km`); bounds are exclusive above:
//!
//! | band | one-way km |
//! | --- | --- |
//! | `<100` | below 100 |
//! | `100-500` | 100 to below 500 |
//! | `500-700` | 500 to below 700 (700 km: the example rail scenario's limit) |
//! | `700-1500` | 700 to below 1,500 |
//! | `1500-3700` | 1,500 to below 3,700 (3,700 km: DESNZ's short/long-haul edge) |
//! | `>=3700` | 3,700 and more |

use serde::Serialize;

/// A band of one-way travelled km (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum DistanceBand {
    /// Below 100 km.
    #[serde(rename = "<100")]
    Under100,
    /// 100 to below 500 km.
    #[serde(rename = "100-500")]
    From100To500,
    /// 500 to below 700 km.
    #[serde(rename = "500-700")]
    From500To700,
    /// 700 to below 1,500 km.
    #[serde(rename = "700-1500")]
    From700To1500,
    /// 1,500 to below 3,700 km.
    #[serde(rename = "1500-3700")]
    From1500To3700,
    /// 3,700 km and more.
    #[serde(rename = ">=3700")]
    From3700,
}

impl DistanceBand {
    /// Every band, shortest first.
    pub const ALL: [DistanceBand; 6] = [
        DistanceBand::Under100,
        DistanceBand::From100To500,
        DistanceBand::From500To700,
        DistanceBand::From700To1500,
        DistanceBand::From1500To3700,
        DistanceBand::From3700,
    ];

    /// The band of a journey by its one-way travelled km (NaN counts as the last band).
    pub fn of(one_way_km: f64) -> DistanceBand {
        Self::ALL
            .into_iter()
            .find(|b| one_way_km < b.upper_km())
            .unwrap_or(DistanceBand::From3700)
    }

    /// Upper bound in km (exclusive); infinity for the last band.
    pub fn upper_km(self) -> f64 {
        match self {
            DistanceBand::Under100 => 100.0,
            DistanceBand::From100To500 => 500.0,
            DistanceBand::From500To700 => 700.0,
            DistanceBand::From700To1500 => 1500.0,
            DistanceBand::From1500To3700 => 3700.0,
            DistanceBand::From3700 => f64::INFINITY,
        }
    }

    /// The value of the `distance_band` dimension, e.g. `100-500` (stable, ASCII).
    pub fn key(self) -> &'static str {
        match self {
            DistanceBand::Under100 => "<100",
            DistanceBand::From100To500 => "100-500",
            DistanceBand::From500To700 => "500-700",
            DistanceBand::From700To1500 => "700-1500",
            DistanceBand::From1500To3700 => "1500-3700",
            DistanceBand::From3700 => ">=3700",
        }
    }

    /// The label of charts and tables, e.g. `100–500 km`.
    pub fn label(self) -> &'static str {
        match self {
            DistanceBand::Under100 => "< 100 km",
            DistanceBand::From100To500 => "100–500 km",
            DistanceBand::From500To700 => "500–700 km",
            DistanceBand::From700To1500 => "700–1,500 km",
            DistanceBand::From1500To3700 => "1,500–3,700 km",
            DistanceBand::From3700 => "≥ 3,700 km",
        }
    }

    /// The band whose [`key`](Self::key) is `key`.
    pub fn from_key(key: &str) -> Option<DistanceBand> {
        Self::ALL.into_iter().find(|b| b.key() == key)
    }

    /// Position in [`ALL`](Self::ALL) (for sorting groups shortest first).
    pub fn rank(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_every_distance_once_with_exclusive_upper_bounds() {
        assert_eq!(DistanceBand::of(0.0), DistanceBand::Under100);
        assert_eq!(DistanceBand::of(99.9), DistanceBand::Under100);
        assert_eq!(DistanceBand::of(100.0), DistanceBand::From100To500);
        assert_eq!(DistanceBand::of(699.99), DistanceBand::From500To700);
        assert_eq!(DistanceBand::of(700.0), DistanceBand::From700To1500);
        assert_eq!(DistanceBand::of(3700.0), DistanceBand::From3700);
        assert_eq!(DistanceBand::of(f64::NAN), DistanceBand::From3700);
        for (i, b) in DistanceBand::ALL.into_iter().enumerate() {
            assert_eq!(b.rank(), i);
            assert_eq!(DistanceBand::from_key(b.key()), Some(b));
            assert_eq!(
                serde_json::to_string(&b).unwrap(),
                format!("\"{}\"", b.key())
            );
        }
    }
}
