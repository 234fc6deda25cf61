//! Estimated door-to-door hours of a `compare` option, from stated average speeds.
//!
//! The speeds and access times are **editorial assumptions** bundled in
//! `data/door_to_door/speeds.csv` (each row says so, with its basis); see that folder's
//! README. hours = Σ over the option's parts (travelled km one way ÷ speed of the part's
//! mode) + the access hours of the option's main mode. No emission figure depends on them.

use crate::compare::Choice;
use crate::mode::Mode;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The bundled table.
const SPEEDS_CSV: &str = include_str!("../data/door_to_door/speeds.csv");

/// One row of `speeds.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Speed {
    /// Mode key (`train`, `flight` …).
    pub mode: String,
    /// Average speed over the travelled km, km/h.
    pub speed_kmh: f64,
    /// Time to reach and leave the vehicle, hours, once per journey.
    pub access_hours: f64,
    /// Where the value comes from, or that it is an editorial assumption.
    pub basis: String,
}

/// The bundled speeds, parsed once. A test checks every row parses and is positive.
pub fn speeds() -> &'static [Speed] {
    static TABLE: OnceLock<Vec<Speed>> = OnceLock::new();
    TABLE.get_or_init(|| {
        csv::Reader::from_reader(SPEEDS_CSV.as_bytes())
            .deserialize()
            .filter_map(Result::ok)
            .collect()
    })
}

fn speed_of(mode: Mode) -> Option<&'static Speed> {
    speeds().iter().find(|s| s.mode == mode.key())
}

/// Door-to-door estimate of one option, one way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoorToDoor {
    /// Estimated hours, one way; `None` when a part's mode has no speed in the table.
    pub hours: Option<f64>,
    /// How it was computed, in words.
    pub method: String,
}

/// The door-to-door hours of `choice` (one way, whatever the round-trip setting).
pub fn door_to_door(choice: &Choice) -> DoorToDoor {
    let mut hours = 0.0;
    let mut terms = Vec::new();
    for part in &choice.parts {
        let Some(s) = speed_of(part.mode) else {
            return DoorToDoor {
                hours: None,
                method: format!("no assumed speed for {}", part.mode),
            };
        };
        hours += part.distance_km / s.speed_kmh;
        terms.push(format!(
            "{:.0} km by {} at {} km/h",
            part.distance_km, part.mode, s.speed_kmh
        ));
    }
    let Some(main) = speed_of(choice.mode) else {
        return DoorToDoor {
            hours: None,
            method: format!("no assumed speed for {}", choice.mode),
        };
    };
    hours += main.access_hours;
    if main.access_hours > 0.0 {
        terms.push(format!("{} h access", main.access_hours));
    }
    DoorToDoor {
        hours: Some(hours),
        method: format!("{} (editorial assumptions)", terms.join(" + ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{CompareOptions, compare};
    use crate::factors::PackSet;
    use crate::journey::Stop;
    use crate::places::Gazetteer;

    #[test]
    fn every_row_parses_with_a_basis() {
        let rows = SPEEDS_CSV.lines().count() - 1;
        assert_eq!(speeds().len(), rows);
        for s in speeds() {
            assert!(s.speed_kmh > 0.0 && s.access_hours >= 0.0, "{s:?}");
            assert!(!s.basis.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn the_flight_is_faster_than_the_train_to_barcelona_and_adds_airport_time() {
        let g = Gazetteer::bundled();
        let s = |q| Stop::from_place(&g.resolve(q).unwrap());
        let c = compare(
            PackSet::bundled(),
            g,
            &s("Enschede"),
            &s("Barcelona"),
            &CompareOptions::default(),
        )
        .unwrap();
        let h = |label: &str| {
            let x = c
                .options
                .iter()
                .find(|x| x.label.starts_with(label))
                .unwrap();
            door_to_door(x).hours.unwrap()
        };
        let (train, flight) = (h("Train"), h("Flight"));
        assert!(flight < train, "flight {flight} h, train {train} h");
        assert!(flight > 2.5, "the airport time is included: {flight}");
        // Train: ~1,510 km of rail at 100 km/h + 0.75 h.
        assert!((12.0..20.0).contains(&train), "{train}");
    }
}
