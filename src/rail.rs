//! Rail by the countries a leg crosses.
//!
//! A train leg's distance is shared out by the countries along its path, so that each part
//! gets that country's rail intensity ([`crate::factors::RailTable`]) instead of one national
//! average for the whole journey (a Dutch train is not a British one).
//!
//! # Method
//! 1. The path is the geodesic between the leg's stops (the tool has no rail network),
//!    cut into equal parts of at most [`SAMPLE_KM`] km ([`crate::distance::geodesic_midpoints`]).
//! 2. The midpoint of each part is looked up in offline country boundaries: the
//!    `country-boundaries` crate's bundled data, derived from OpenStreetMap (© OpenStreetMap
//!    contributors, ODbL 1.0), simplified so that settlements and major roads lie on the right
//!    side of a border; it knows land only.
//! 3. A part at sea (a tunnel, a strait) takes the country of the nearest part on land along
//!    the path; when no part is on land, the stops' own countries share the leg half and half.
//! 4. Each country's share is its number of parts over all parts; the leg's travelled km
//!    (detour or given) is shared in the same proportion, the last country taking the
//!    rounding so that the parts add up to the leg's km exactly.
//!
//! The split depends only on the two stops, so a batch caller computes it once per place pair.

use crate::distance::{LatLon, geodesic_km, geodesic_midpoints};
use country_boundaries::{BOUNDARIES_ODBL_360X180, CountryBoundaries};
use serde::Serialize;
use std::sync::OnceLock;

/// Longest part of the path that one sample stands for, in km.
pub const SAMPLE_KM: f64 = 5.0;

/// Most samples per leg (a 20,000 km leg is then sampled every 10 km).
const MAX_SAMPLES: usize = 2_000;

/// One country's share of a leg's path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryShare {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Fraction of the leg's km in the country, 0 < share ≤ 1; the shares add up to 1.
    pub share: f64,
}

fn boundaries() -> Option<&'static CountryBoundaries> {
    static B: OnceLock<Option<CountryBoundaries>> = OnceLock::new();
    B.get_or_init(|| CountryBoundaries::from_reader(BOUNDARIES_ODBL_360X180).ok())
        .as_ref()
}

/// The ISO 3166-1 alpha-2 country at a position on land, if any.
pub fn country_at(p: LatLon) -> Option<String> {
    let b = boundaries()?;
    let pos = country_boundaries::LatLon::new(p.lat_deg, p.lon_deg).ok()?;
    // Ids are ordered smallest area first (`US-TX`, `US`): the first two-letter one is the
    // country.
    b.ids(pos)
        .into_iter()
        .find(|id| id.len() == 2)
        .map(str::to_string)
}

/// The countries along the geodesic from `a` to `b`, in path order, with their shares.
///
/// `a_country` and `b_country` are the stops' own codes (empty when unknown), used only when
/// no sample of the path falls on land. Empty when nothing is known.
///
/// The split is a pure function of its arguments and costs hundreds of boundary look-ups on
/// a long leg, so it is kept per pair of stops for the process ([`CrossingMemo`]): a route
/// evaluated again under other options (another pack, the sensitivity analysis's methods,
/// a scenario step) looks it up instead.
pub fn countries_crossed(
    a: LatLon,
    a_country: &str,
    b: LatLon,
    b_country: &str,
) -> Vec<CountryShare> {
    CrossingMemo::global().get_or_insert(a, a_country, b, b_country)
}

/// The exact inputs of [`countries_crossed`]: both positions' bits and both countries
/// (joined by a NUL).
type CrossingKey = ([u64; 4], Box<str>);

/// Splits already computed by [`countries_crossed`], per pair of stops (exact bits), for
/// the whole process. At most [`CrossingMemo::MAX_PAIRS`] pairs are kept; when it is full
/// it starts again empty, so a long-running server's memory stays bounded. The split of a
/// pair is the same whether it was looked up or computed.
#[derive(Debug, Default)]
pub struct CrossingMemo {
    pairs: std::sync::RwLock<std::collections::HashMap<CrossingKey, Vec<CountryShare>>>,
}

impl CrossingMemo {
    /// Most pairs kept.
    pub const MAX_PAIRS: usize = 1 << 16;

    /// The process's memo.
    pub fn global() -> &'static CrossingMemo {
        static M: OnceLock<CrossingMemo> = OnceLock::new();
        M.get_or_init(CrossingMemo::default)
    }

    /// Pairs kept.
    pub fn len(&self) -> usize {
        self.pairs.read().map_or(0, |p| p.len())
    }

    /// True when no pair is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The split of the leg from `a` to `b`, computed once per pair.
    pub fn get_or_insert(
        &self,
        a: LatLon,
        a_country: &str,
        b: LatLon,
        b_country: &str,
    ) -> Vec<CountryShare> {
        let key: CrossingKey = (
            [
                a.lat_deg.to_bits(),
                a.lon_deg.to_bits(),
                b.lat_deg.to_bits(),
                b.lon_deg.to_bits(),
            ],
            format!("{a_country}\0{b_country}").into_boxed_str(),
        );
        if let Some(known) = self.pairs.read().ok().and_then(|p| p.get(&key).cloned()) {
            return known;
        }
        let split = crossed(a, a_country, b, b_country);
        if let Ok(mut p) = self.pairs.write() {
            if p.len() >= Self::MAX_PAIRS {
                p.clear();
            }
            p.insert(key, split.clone());
        }
        split
    }
}

/// [`countries_crossed`] computed.
fn crossed(a: LatLon, a_country: &str, b: LatLon, b_country: &str) -> Vec<CountryShare> {
    let km = geodesic_km(a, b);
    let n = ((km / SAMPLE_KM).ceil() as usize).clamp(1, MAX_SAMPLES);
    let samples: Vec<Option<String>> = geodesic_midpoints(a, b, n)
        .into_iter()
        .map(country_at)
        .collect();
    let filled = fill_from_nearest(&samples);
    let codes: Vec<&str> = if filled.is_empty() {
        // Nothing on land: the stops' countries, half and half.
        let ends: Vec<&str> = [a_country, b_country]
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect();
        if ends.len() == 1 {
            vec![ends[0], ends[0]]
        } else {
            ends
        }
    } else {
        filled.iter().map(String::as_str).collect()
    };
    shares(&codes)
}

/// Samples at sea take the country of the nearest sample on land (the earlier one on a tie);
/// empty when no sample is on land.
fn fill_from_nearest(samples: &[Option<String>]) -> Vec<String> {
    let known: Vec<usize> = (0..samples.len())
        .filter(|&i| samples[i].is_some())
        .collect();
    if known.is_empty() {
        return Vec::new();
    }
    (0..samples.len())
        .map(|i| {
            let j = known.partition_point(|&k| k < i);
            let before = j.checked_sub(1).map(|j| known[j]);
            let nearest = match (before, known.get(j).copied()) {
                (Some(b), Some(a)) if a - i < i - b => a,
                (Some(b), _) => b,
                (None, Some(a)) => a,
                (None, None) => i, // unreachable: `known` is not empty
            };
            samples[nearest].clone().unwrap_or_default()
        })
        .collect()
}

/// Counts per code in order of first appearance, as fractions adding up to exactly 1.
fn shares(codes: &[&str]) -> Vec<CountryShare> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for c in codes {
        match counts.iter_mut().find(|(k, _)| k == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    let total = codes.len() as f64;
    let mut out: Vec<CountryShare> = counts
        .iter()
        .map(|(c, n)| CountryShare {
            country: (*c).to_string(),
            share: *n as f64 / total,
        })
        .collect();
    if let Some((last, rest)) = out.split_last_mut() {
        last.share = 1.0 - rest.iter().map(|s| s.share).sum::<f64>();
    }
    out
}

/// A leg's km by country: `distance_km` shared in proportion to `shares`, the last part
/// taking the rounding so that the parts add up to `distance_km`.
pub fn split_km(shares: &[CountryShare], distance_km: f64) -> Vec<f64> {
    let mut out: Vec<f64> = shares.iter().map(|s| s.share * distance_km).collect();
    if let Some((last, rest)) = out.split_last_mut() {
        *last = distance_km - rest.iter().sum::<f64>();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(lat: f64, lon: f64) -> LatLon {
        LatLon::new(lat, lon).unwrap()
    }

    #[test]
    fn the_memo_gives_the_computed_split_and_keeps_each_pair_once() {
        let memo = CrossingMemo::default();
        let (a, b) = (p(52.22, 6.89), p(52.52, 13.40));
        let computed = crossed(a, "NL", b, "DE");
        assert!(computed.len() >= 2, "{computed:?}");
        assert_eq!(memo.get_or_insert(a, "NL", b, "DE"), computed);
        assert_eq!(memo.get_or_insert(a, "NL", b, "DE"), computed);
        assert_eq!(memo.len(), 1);
        // Other countries of the stops are another pair (they decide a leg at sea).
        let sea = (p(54.0, 3.0), p(54.5, 4.0));
        assert!(memo.get_or_insert(sea.0, "", sea.1, "").is_empty());
        assert_eq!(memo.get_or_insert(sea.0, "GB", sea.1, "NL").len(), 2);
        assert_eq!(memo.len(), 3);
        assert_eq!(countries_crossed(a, "NL", b, "DE"), computed);
    }

    #[test]
    fn countries_at_known_places() {
        assert_eq!(country_at(p(52.22, 6.89)).as_deref(), Some("NL")); // Enschede
        assert_eq!(country_at(p(52.52, 13.40)).as_deref(), Some("DE")); // Berlin
        assert_eq!(country_at(p(33.0, -97.0)).as_deref(), Some("US")); // Dallas (US-TX, US)
        assert_eq!(country_at(p(54.0, 3.0)), None); // North Sea
    }

    #[test]
    fn enschede_amsterdam_is_all_dutch_and_enschede_berlin_crosses_the_border() {
        let nl = countries_crossed(p(52.22, 6.89), "NL", p(52.37, 4.90), "NL");
        assert_eq!(nl.len(), 1);
        assert_eq!((nl[0].country.as_str(), nl[0].share), ("NL", 1.0));
        let de = countries_crossed(p(52.22, 6.89), "NL", p(52.52, 13.40), "DE");
        let codes: Vec<&str> = de.iter().map(|s| s.country.as_str()).collect();
        assert_eq!(codes, ["NL", "DE"]);
        assert!(de[0].share < 0.1 && de[1].share > 0.9, "{de:?}");
    }

    #[test]
    fn sea_parts_take_the_nearest_land_and_all_sea_uses_the_stops() {
        let s = |c: &str| Some(c.to_string());
        let filled = fill_from_nearest(&[None, s("GB"), None, None, None, s("FR"), None]);
        assert_eq!(filled, ["GB", "GB", "GB", "GB", "FR", "FR", "FR"]);
        assert!(fill_from_nearest(&[None, None]).is_empty());
        // Two points in the North Sea: no land, the stops' countries share the leg.
        let sea = countries_crossed(p(54.0, 3.0), "GB", p(54.5, 4.0), "NL");
        assert_eq!(sea.len(), 2);
        assert_eq!(sea[0].share + sea[1].share, 1.0);
        assert!(countries_crossed(p(54.0, 3.0), "", p(54.5, 4.0), "").is_empty());
    }

    proptest! {
        #[test]
        fn shares_and_km_add_up(
            a in 35.0f64..60.0, b in -10.0f64..30.0, c in 35.0f64..60.0, d in -10.0f64..30.0,
            km in 0.1f64..5_000.0,
        ) {
            let s = countries_crossed(p(a, b), "AA", p(c, d), "BB");
            prop_assert!(!s.is_empty());
            let total: f64 = s.iter().map(|x| x.share).sum();
            prop_assert!((total - 1.0).abs() < 1e-12);
            prop_assert!(s.iter().all(|x| x.share > 0.0));
            let parts = split_km(&s, km);
            prop_assert_eq!(parts.len(), s.len());
            prop_assert!((parts.iter().sum::<f64>() - km).abs() <= 1e-9 * km);
        }
    }
}
