//! Geodesic distances on the WGS84 ellipsoid.
//!
//! This is the only module that talks to `geo`. Coordinates are always given as
//! latitude first, longitude second, in decimal degrees (`LatLon`), and are validated
//! once, when the `LatLon` is built, so a NaN or an out-of-range value never reaches
//! the geodesic solver.
//!
//! # References
//! - C. F. F. Karney, *Algorithms for geodesics*, J. Geodesy 87 (2013) 43–55,
//!   doi:10.1007/s00190-012-0578-z — the algorithm behind `geo::Geodesic`
//!   (via `geographiclib-rs`), accurate to about 15 nm on WGS84.

use geo::{Bearing, Destination, Distance, Geodesic, Point};
use serde::Serialize;

/// A validated position: latitude and longitude in decimal degrees (WGS84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatLon {
    /// Latitude in degrees, −90 ..= 90.
    pub lat_deg: f64,
    /// Longitude in degrees, −180 ..= 180.
    pub lon_deg: f64,
}

/// Why a coordinate pair was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoordinateError {
    /// Latitude is NaN/infinite or outside −90..=90 degrees.
    #[error("latitude {0} is outside -90..90 degrees")]
    Latitude(f64),
    /// Longitude is NaN/infinite or outside −180..=180 degrees.
    #[error("longitude {0} is outside -180..180 degrees")]
    Longitude(f64),
}

impl LatLon {
    /// Builds a position, refusing NaN, infinities and out-of-range values.
    pub fn new(lat_deg: f64, lon_deg: f64) -> Result<Self, CoordinateError> {
        if !lat_deg.is_finite() || !(-90.0..=90.0).contains(&lat_deg) {
            return Err(CoordinateError::Latitude(lat_deg));
        }
        if !lon_deg.is_finite() || !(-180.0..=180.0).contains(&lon_deg) {
            return Err(CoordinateError::Longitude(lon_deg));
        }
        Ok(Self { lat_deg, lon_deg })
    }
}

/// Geodesic ("great-circle") distance between two points on the WGS84 ellipsoid.
///
/// # Units
/// Returns kilometres. Symmetric and never negative; 0 for identical points.
///
/// # Examples
/// ```
/// use mobility_footprint::distance::{LatLon, geodesic_km};
/// let paris = LatLon::new(48.8566, 2.3522).unwrap();
/// let london = LatLon::new(51.5074, -0.1278).unwrap();
/// assert!((geodesic_km(paris, london) - 343.9).abs() < 0.5);
/// ```
pub fn geodesic_km(a: LatLon, b: LatLon) -> f64 {
    let metres = Geodesic.distance(
        Point::new(a.lon_deg, a.lat_deg),
        Point::new(b.lon_deg, b.lat_deg),
    );
    // The solver is symmetric up to rounding; make it exactly symmetric for callers that cache.
    let back = Geodesic.distance(
        Point::new(b.lon_deg, b.lat_deg),
        Point::new(a.lon_deg, a.lat_deg),
    );
    let m = if metres.is_finite() && back.is_finite() {
        metres.min(back)
    } else {
        metres
    };
    (m / 1000.0).max(0.0)
}

/// The midpoints of `n` equal parts of the geodesic from `a` to `b`, in order from `a`.
///
/// Used to sample a leg's path (e.g. the countries a train crosses): each point stands for
/// `1/n` of the distance. `n = 0` gives no points; identical ends give `n` copies of `a`.
pub fn geodesic_midpoints(a: LatLon, b: LatLon, n: usize) -> Vec<LatLon> {
    let (pa, pb) = (
        Point::new(a.lon_deg, a.lat_deg),
        Point::new(b.lon_deg, b.lat_deg),
    );
    let metres = Geodesic.distance(pa, pb);
    if !metres.is_finite() || metres <= 0.0 {
        return vec![a; n];
    }
    let bearing = Geodesic.bearing(pa, pb);
    (0..n)
        .map(|i| {
            let p = Geodesic.destination(pa, bearing, metres * (i as f64 + 0.5) / n as f64);
            // Wrap the longitude into -180..=180 and clamp rounding at the poles.
            let lon = (p.x() + 540.0).rem_euclid(360.0) - 180.0;
            LatLon {
                lat_deg: p.y().clamp(-90.0, 90.0),
                lon_deg: if lon.is_finite() { lon } else { a.lon_deg },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(lat: f64, lon: f64) -> LatLon {
        LatLon::new(lat, lon).unwrap()
    }

    #[test]
    fn rejects_out_of_range_and_nan() {
        assert_eq!(LatLon::new(95.0, 0.0), Err(CoordinateError::Latitude(95.0)));
        assert!(LatLon::new(f64::NAN, 0.0).is_err());
        assert!(LatLon::new(0.0, 180.5).is_err());
        assert!(LatLon::new(-90.0, -180.0).is_ok());
    }

    #[test]
    fn paris_london_is_343_9_km() {
        let d = geodesic_km(p(48.8566, 2.3522), p(51.5074, -0.1278));
        assert!((d - 343.9).abs() < 0.5, "{d}");
    }

    #[test]
    fn midpoints_lie_on_the_geodesic_in_order() {
        let (a, b) = (p(52.22, 6.89), p(52.52, 13.40)); // Enschede, Berlin
        let pts = geodesic_midpoints(a, b, 4);
        assert_eq!(pts.len(), 4);
        let total = geodesic_km(a, b);
        for (i, q) in pts.iter().enumerate() {
            let from_a = geodesic_km(a, *q);
            assert!(
                (from_a - total * (i as f64 + 0.5) / 4.0).abs() < 1e-6,
                "{i}"
            );
            assert!((from_a + geodesic_km(*q, b) - total).abs() < 1e-6);
        }
        assert_eq!(geodesic_midpoints(a, a, 3), vec![a; 3]);
        assert!(geodesic_midpoints(a, b, 0).is_empty());
    }

    proptest! {
        #[test]
        fn symmetric_and_non_negative(a in -90.0f64..=90.0, b in -180.0f64..=180.0, c in -90.0f64..=90.0, d in -180.0f64..=180.0) {
            let x = p(a, b);
            let y = p(c, d);
            let xy = geodesic_km(x, y);
            prop_assert!(xy >= 0.0);
            prop_assert_eq!(xy, geodesic_km(y, x));
            prop_assert!(xy <= 20_004.0);
        }
    }
}
