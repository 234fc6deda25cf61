//! The partner-city matrix: kg CO2e per person for every ordered pair of places × mode.
//!
//! Each cell is one option of [`crate::compare::compare`] for that pair, so a matrix cell and
//! `footprint compare A B` always agree (same distance rules, detours, factors and airport
//! access legs). A mode that `compare` does not offer for a pair (no flight below 300 km, no
//! surface option across an ocean, the same airport at both ends …) gives an empty cell with
//! the reason from `compare`'s notes. The diagonal (a place to itself) is left out.

use crate::compare::{Choice, CompareOptions, Comparison, compare};
use crate::factors::PackSet;
use crate::journey::{JourneyError, Stop};
use crate::places::Gazetteer;
use crate::report::{Cell, Column, Row, Table};
use rayon::prelude::*;
use serde::Serialize;

/// A column of the matrix: one of the options `compare` ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatrixMode {
    /// Train, door to door by rail distance.
    Train,
    /// Long-distance coach.
    Coach,
    /// Average car, driver alone.
    Car,
    /// Average car shared by [`CompareOptions::shared_occupancy`] people.
    CarShared,
    /// Battery-electric car, driver alone.
    CarElectric,
    /// Economy flight with train legs to and from the airports.
    Flight,
    /// Local bus (short distances only).
    Bus,
    /// Bicycle (short distances only).
    Bike,
    /// Electric bicycle (short distances only).
    Ebike,
    /// Walking (short distances only).
    Walk,
}

impl MatrixMode {
    /// Every mode, in column order.
    pub const ALL: [MatrixMode; 10] = [
        MatrixMode::Train,
        MatrixMode::Coach,
        MatrixMode::Car,
        MatrixMode::CarShared,
        MatrixMode::CarElectric,
        MatrixMode::Flight,
        MatrixMode::Bus,
        MatrixMode::Bike,
        MatrixMode::Ebike,
        MatrixMode::Walk,
    ];
    /// The default columns: train, coach, car alone, flight.
    pub const DEFAULT: [MatrixMode; 4] = [
        MatrixMode::Train,
        MatrixMode::Coach,
        MatrixMode::Car,
        MatrixMode::Flight,
    ];

    /// The key used on the command line and in CSV/JSON (`car-shared`).
    pub fn key(self) -> &'static str {
        match self {
            MatrixMode::Train => "train",
            MatrixMode::Coach => "coach",
            MatrixMode::Car => "car",
            MatrixMode::CarShared => "car-shared",
            MatrixMode::CarElectric => "car-electric",
            MatrixMode::Flight => "flight",
            MatrixMode::Bus => "bus",
            MatrixMode::Bike => "bike",
            MatrixMode::Ebike => "ebike",
            MatrixMode::Walk => "walk",
        }
    }

    /// The matrix column of a `compare` option.
    pub fn of_choice(c: &Choice) -> MatrixMode {
        use crate::mode::Mode;
        match c.mode {
            Mode::Car if c.label.starts_with("Car, shared") => MatrixMode::CarShared,
            Mode::Car if c.label.starts_with("Electric") => MatrixMode::CarElectric,
            Mode::Car => MatrixMode::Car,
            Mode::Coach => MatrixMode::Coach,
            Mode::Flight => MatrixMode::Flight,
            Mode::Bus => MatrixMode::Bus,
            Mode::Bike => MatrixMode::Bike,
            Mode::Ebike => MatrixMode::Ebike,
            Mode::Walk => MatrixMode::Walk,
            _ => MatrixMode::Train,
        }
    }
}

impl std::str::FromStr for MatrixMode {
    type Err = String;
    /// Parses a key (`train`, `car-shared`, `e-bike` …), any case.
    fn from_str(s: &str) -> Result<Self, String> {
        let k = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let k = match k.as_str() {
            "e-bike" => "ebike",
            "plane" | "air" => "flight",
            "rail" => "train",
            "ev" | "electric-car" | "car-bev" => "car-electric",
            other => other,
        };
        MatrixMode::ALL
            .into_iter()
            .find(|m| m.key() == k)
            .ok_or_else(|| {
                let keys: Vec<&str> = MatrixMode::ALL.iter().map(|m| m.key()).collect();
                format!(
                    "unknown matrix mode `{s}`; expected one of {}",
                    keys.join(", ")
                )
            })
    }
}

impl std::fmt::Display for MatrixMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// One place of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixPlace {
    /// Stable id (`partner:ut`, `geonames:2756071`).
    pub id: String,
    /// Short name for row and column headers (the partner's city, or the place's name).
    pub name: String,
    /// The stop the estimates start or end at.
    pub stop: Stop,
}

/// One cell: an ordered pair and a mode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixCell {
    /// Index of the origin in [`Matrix::places`].
    pub from: usize,
    /// Index of the destination in [`Matrix::places`].
    pub to: usize,
    /// The mode.
    pub mode: MatrixMode,
    /// kg CO2e per person; `None` when `compare` offers no such option for the pair.
    pub co2e_kg_per_person: Option<f64>,
    /// Travelled km one way (all legs), when the option exists.
    pub distance_km: Option<f64>,
    /// Geodesic km between the two places.
    pub great_circle_km: f64,
    /// Why the cell is empty (from `compare`'s notes), or what the option includes.
    pub note: String,
}

/// The whole matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    /// The places, in the order given.
    pub places: Vec<MatrixPlace>,
    /// The modes (columns), in the order given.
    pub modes: Vec<MatrixMode>,
    /// Round trip.
    pub round_trip: bool,
    /// Factor pack.
    pub pack: String,
    /// One cell per ordered pair (origin-major, the diagonal left out) and mode.
    pub cells: Vec<MatrixCell>,
}

impl Matrix {
    /// The cell for `from` → `to` and `mode`, if computed.
    pub fn cell(&self, from: usize, to: usize, mode: MatrixMode) -> Option<&MatrixCell> {
        self.cells
            .iter()
            .find(|c| c.from == from && c.to == to && c.mode == mode)
    }
}

/// The places of one alliance in the gazetteer's partner table (`eciu`), named by their
/// cities. Two partners in the same city keep both, named `City (id)`.
pub fn partner_places(g: &Gazetteer, alliance: &str) -> Vec<MatrixPlace> {
    let partners = g.partners_in(alliance);
    let same_city = |city: &str| partners.iter().filter(|(_, c)| c == city).count() > 1;
    partners
        .iter()
        .map(|(p, city)| MatrixPlace {
            id: p.id.clone(),
            name: if same_city(city) {
                format!("{city} ({})", p.id.trim_start_matches("partner:"))
            } else {
                city.clone()
            },
            stop: Stop::from_place(p),
        })
        .collect()
}

/// Estimates every ordered pair of `places` (the diagonal left out) for every mode, with the
/// options of [`compare`]. Pairs run in parallel; the cells come out in input order.
///
/// # Errors
///
/// The first [`JourneyError`] of `compare` (an unknown pack, invalid travellers …).
pub fn matrix(
    packs: &PackSet,
    g: &Gazetteer,
    places: Vec<MatrixPlace>,
    modes: &[MatrixMode],
    o: &CompareOptions,
) -> Result<Matrix, JourneyError> {
    let n = places.len();
    let pairs: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
        .collect();
    let per_pair: Vec<Vec<MatrixCell>> = pairs
        .par_iter()
        .map(|&(i, j)| {
            let c = compare(packs, g, &places[i].stop, &places[j].stop, o)?;
            Ok(cells_of(&c, i, j, modes))
        })
        .collect::<Result<_, JourneyError>>()?;
    Ok(Matrix {
        places,
        modes: modes.to_vec(),
        round_trip: o.round_trip,
        pack: o.calc.pack.clone(),
        cells: per_pair.into_iter().flatten().collect(),
    })
}

fn cells_of(c: &Comparison, from: usize, to: usize, modes: &[MatrixMode]) -> Vec<MatrixCell> {
    modes
        .iter()
        .map(|&mode| {
            let choice = c.options.iter().find(|x| MatrixMode::of_choice(x) == mode);
            MatrixCell {
                from,
                to,
                mode,
                co2e_kg_per_person: choice.map(|x| x.co2e_kg_per_person),
                distance_km: choice.map(|x| x.distance_km),
                great_circle_km: c.great_circle_km,
                note: match choice {
                    Some(x) => x.includes.clone(),
                    None => why_missing(c, mode),
                },
            }
        })
        .collect()
}

fn why_missing(c: &Comparison, mode: MatrixMode) -> String {
    let wanted = if mode == MatrixMode::Flight {
        "no flight"
    } else {
        "no surface"
    };
    c.notes
        .iter()
        .find(|n| n.starts_with(wanted))
        .cloned()
        .unwrap_or_else(|| {
            format!(
                "not offered at {:.0} km (see `footprint compare`)",
                c.great_circle_km
            )
        })
}

/// One mode of the matrix as a square heat map (rows: from, columns: to).
pub fn heat_map(m: &Matrix, mode: MatrixMode) -> crate::chart::HeatMap {
    let n = m.places.len();
    crate::chart::HeatMap {
        rows: m.places.iter().map(|p| p.name.clone()).collect(),
        columns: m.places.iter().map(|p| p.name.clone()).collect(),
        values: (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| m.cell(i, j, mode).and_then(|c| c.co2e_kg_per_person))
                    .collect()
            })
            .collect(),
    }
}

/// The matrix as one long table: one row per ordered pair and mode (the CSV of
/// `footprint matrix --format csv` and of the page's download).
pub fn table(m: &Matrix) -> Table {
    let rows = m
        .cells
        .iter()
        .map(|c| {
            let (a, b) = (&m.places[c.from], &m.places[c.to]);
            let num = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
            Row::new(vec![
                Cell::text(&a.name),
                Cell::text(&a.id),
                Cell::text(&b.name),
                Cell::text(&b.id),
                Cell::text(c.mode.key()),
                num(c.co2e_kg_per_person),
                num(c.distance_km),
                Cell::Number(c.great_circle_km),
                Cell::text(&c.note),
            ])
        })
        .collect();
    Table {
        id: "matrix".into(),
        title: format!(
            "kg CO2e per person, {} ({})",
            if m.round_trip {
                "round trip"
            } else {
                "one way"
            },
            m.pack
        ),
        columns: vec![
            Column::text("from", "From"),
            Column::text("from_id", "From id"),
            Column::text("to", "To"),
            Column::text("to_id", "To id"),
            Column::text("mode", "Mode"),
            Column::number("co2e_kg_per_person", "CO2e per person", "kg", 1),
            Column::number("distance_km", "Travelled distance", "km", 0),
            Column::number("great_circle_km", "Great-circle distance", "km", 0),
            Column::text("note", "Includes / why empty"),
        ],
        rows,
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stop(g: &Gazetteer, q: &str) -> MatrixPlace {
        let p = g.resolve(q).unwrap();
        MatrixPlace {
            id: p.id.clone(),
            name: p.name.clone(),
            stop: Stop::from_place(&p),
        }
    }

    #[test]
    fn every_cell_is_the_compare_option_of_its_pair() {
        let g = Gazetteer::bundled();
        let places = vec![
            stop(g, "Enschede"),
            stop(g, "Barcelona"),
            stop(g, "Hengelo"),
        ];
        let o = CompareOptions::default();
        let m = matrix(PackSet::bundled(), g, places, &MatrixMode::DEFAULT, &o).unwrap();
        assert_eq!(m.cells.len(), 3 * 2 * 4);
        let c = compare(
            PackSet::bundled(),
            g,
            &m.places[0].stop,
            &m.places[1].stop,
            &o,
        )
        .unwrap();
        let train = c.options.iter().find(|x| x.label == "Train").unwrap();
        let cell = m.cell(0, 1, MatrixMode::Train).unwrap();
        assert_eq!(cell.co2e_kg_per_person, Some(train.co2e_kg_per_person));
        // Enschede–Hengelo is ~8 km: no flight, and the cell says why.
        let short = m.cell(0, 2, MatrixMode::Flight).unwrap();
        assert_eq!(short.co2e_kg_per_person, None);
        assert!(short.note.starts_with("no flight"), "{}", short.note);
    }

    #[test]
    fn eciu_partners_are_named_by_city_and_unique() {
        let places = partner_places(Gazetteer::bundled(), "eciu");
        assert!(places.len() >= 10, "{}", places.len());
        assert!(places.iter().any(|p| p.name == "Enschede"));
        let mut names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), places.len());
    }

    #[test]
    fn modes_parse_with_synonyms_and_reject_unknown_words() {
        assert_eq!("e-bike".parse::<MatrixMode>(), Ok(MatrixMode::Ebike));
        assert_eq!(
            "Car_Shared".parse::<MatrixMode>(),
            Ok(MatrixMode::CarShared)
        );
        let e = "zeppelin".parse::<MatrixMode>().unwrap_err();
        assert!(e.contains("car-shared"), "{e}");
    }
}
