//! Flight band rule: the pack's published haul bands (default) or smooth bands.
//!
//! Published bands jump at each edge: with DESNZ 2025 economy (RF, WTW) a 3,699 km flight
//! weighs 548 kg and a 3,701 km one 524 kg; business class jumps by +85 %, first by +155 %.
//! Reporting standards use the published bands, so they stay the default.
//!
//! # Smooth bands (our rule)
//! Around each edge `E` between two adjacent distance bands, within a window of half-width
//! `W` km, the per-passenger-km factor is the linear blend of the two bands' factors (each
//! chosen for the cabin with the pack's usual fallbacks):
//!
//! `f(d) = (1 − t) · f_below + t · f_above`, with `t = (d − (E − W)) / (2W)`, for
//! `E − W < d < E + W`; outside every window `f(d)` is the published band's factor.
//!
//! `W` is [`SMOOTH_HALF_WINDOW_KM`] (500 km), narrowed where needed so that windows never
//! overlap or reach below 0 km: `W = min(500, E_first, half the gap to each neighbouring
//! edge)`. Every part (TTW, WTT, non-CO2 ...) is blended with the same weights, so the blend
//! is continuous in distance and, at the edge itself, the plain mean of the two bands.
//!
//! The rule is ours, not a pack's. It follows the practice of the myclimate flight
//! calculator, which interpolates linearly between its short-haul (below 1,500 km) and
//! long-haul (above 2,500 km) models, i.e. over a 1,000 km window (as recorded in the
//! project's peer notes from myclimate's calculation-principles page, second-hand: not read
//! at myclimate's own page); here the same 1,000 km window is centred on each of the pack's
//! own band edges. A domestic flight (the pack's domestic tier) and a forced haul
//! (`--flight-haul`) are not blended.

use super::FlightBands;
use serde::{Deserialize, Serialize};

/// Half-width of the blending window around each band edge, in km (the myclimate-style
/// 1,000 km window, see the module documentation).
pub const SMOOTH_HALF_WINDOW_KM: f64 = 500.0;

/// How a flight's band factor is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlightBandRule {
    /// The pack's published bands: one factor per band, a jump at each edge (default).
    #[default]
    Published,
    /// Linear blend of the adjacent bands' factors around each edge (module docs).
    Smooth,
}

impl FlightBandRule {
    /// As written in options and configurations.
    pub fn as_str(self) -> &'static str {
        match self {
            FlightBandRule::Published => "published",
            FlightBandRule::Smooth => "smooth",
        }
    }

    /// Parses `published` or `smooth` (case-insensitive).
    pub fn parse(s: &str) -> Option<FlightBandRule> {
        match s.trim().to_ascii_lowercase().as_str() {
            "published" => Some(FlightBandRule::Published),
            "smooth" => Some(FlightBandRule::Smooth),
            _ => None,
        }
    }
}

/// Where a flight falls inside a blending window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandBlend {
    /// Index in [`FlightBands::bands`] of the band below the edge.
    pub below: usize,
    /// Index of the band above the edge (`below + 1`).
    pub above: usize,
    /// Weight of the band above, strictly between 0 and 1.
    pub above_share: f64,
    /// The edge, in km.
    pub edge_km: f64,
    /// Half-width of the window around this edge, in km.
    pub half_window_km: f64,
}

impl FlightBands {
    /// The edges between adjacent bands (the `max_km` of every band but the last), in km.
    fn edges_km(&self) -> Vec<f64> {
        self.bands
            .iter()
            .take(self.bands.len().saturating_sub(1))
            .filter_map(|b| b.max_km)
            .collect()
    }

    /// Half-width of the blending window around edge `i` of [`Self::edges_km`].
    fn half_window_km(edges: &[f64], i: usize) -> f64 {
        let e = edges[i];
        let below = if i == 0 { e } else { (e - edges[i - 1]) / 2.0 };
        let above = edges.get(i + 1).map_or(f64::INFINITY, |n| (n - e) / 2.0);
        SMOOTH_HALF_WINDOW_KM.min(below).min(above).max(0.0)
    }

    /// The blend for a flight of `km` under smooth bands, or `None` when `km` lies outside
    /// every window (the published band's factor applies unchanged).
    pub fn blend(&self, km: f64) -> Option<BandBlend> {
        if !km.is_finite() {
            return None;
        }
        let edges = self.edges_km();
        for (i, &e) in edges.iter().enumerate() {
            let w = Self::half_window_km(&edges, i);
            if w > 0.0 && km > e - w && km < e + w {
                let t = (km - (e - w)) / (2.0 * w);
                return (t > 0.0 && t < 1.0).then_some(BandBlend {
                    below: i,
                    above: i + 1,
                    above_share: t,
                    edge_km: e,
                    half_window_km: w,
                });
            }
        }
        None
    }

    /// The blend in words, e.g. `blended 49 % short / 51 % long (smooth bands, ±500 km around
    /// the 3700 km edge)`.
    pub fn describe_blend(&self, b: &BandBlend) -> String {
        let pct_above = (b.above_share * 100.0).round();
        format!(
            "blended {:.0} % {} / {:.0} % {} (smooth bands, ±{:.0} km around the {:.0} km edge)",
            100.0 - pct_above,
            self.bands[b.below].id,
            pct_above,
            self.bands[b.above].id,
            b.half_window_km,
            b.edge_km
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factors::Band;

    fn bands(edges: &[f64]) -> FlightBands {
        let mut b: Vec<Band> = edges
            .iter()
            .enumerate()
            .map(|(i, e)| Band {
                id: format!("b{i}"),
                max_km: Some(*e),
            })
            .collect();
        b.push(Band {
            id: "last".into(),
            max_km: None,
        });
        FlightBands {
            basis: String::new(),
            domestic: None,
            bands: b,
            max_inclusive: false,
            note: String::new(),
        }
    }

    #[test]
    fn the_window_is_500_km_each_side_and_half_at_the_edge() {
        let b = bands(&[3700.0]);
        assert_eq!(b.blend(3199.0), None);
        assert_eq!(b.blend(3200.0), None);
        assert_eq!(b.blend(4200.0), None);
        let at = b.blend(3700.0).unwrap();
        assert_eq!((at.below, at.above), (0, 1));
        assert!((at.above_share - 0.5).abs() < 1e-12);
        assert!((b.blend(3450.0).unwrap().above_share - 0.25).abs() < 1e-12);
        assert_eq!(
            b.describe_blend(&b.blend(3710.0).unwrap()),
            "blended 49 % b0 / 51 % last (smooth bands, ±500 km around the 3700 km edge)"
        );
    }

    #[test]
    fn windows_never_overlap_nor_reach_below_zero() {
        // Edges 300 and 1000: the first window is ±300 (down to 0), the second ±350.
        let b = bands(&[300.0, 1000.0]);
        assert_eq!(b.blend(0.5).unwrap().half_window_km, 300.0);
        assert_eq!(b.blend(660.0).unwrap().half_window_km, 350.0);
        assert_eq!(b.blend(650.0), None);
        assert_eq!(b.blend(f64::NAN), None);
    }

    #[test]
    fn rule_names_round_trip() {
        for r in [FlightBandRule::Published, FlightBandRule::Smooth] {
            assert_eq!(FlightBandRule::parse(r.as_str()), Some(r));
        }
        assert_eq!(
            FlightBandRule::parse(" Smooth "),
            Some(FlightBandRule::Smooth)
        );
        assert_eq!(FlightBandRule::parse("galactic"), None);
    }
}
