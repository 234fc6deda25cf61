//! The meeting planner: where should a group meet for the least kg CO2e?
//!
//! Participants come from their home places (with a count each). For every candidate host
//! place, each participant takes their **best sensible option** — the lowest kg CO2e per
//! person among the options [`crate::compare::compare`] offers for that trip, leaving out
//! the shared car (a participant cannot count on others to share it) — and the candidates
//! are ranked by the group's total. For comparison, the total when everyone flies takes the
//! flight option where `compare` offers one (≥ 300 km, an airport at both ends) and the best
//! option otherwise; each participant's line says which.
//!
//! Participants living at the host travel 0 km (compare's options at 0 km are all 0 kg).

use crate::compare::{CompareOptions, compare};
use crate::factors::PackSet;
use crate::input::{InputError, InputReader, Mapping, Schema, parse_number};
use crate::journey::{JourneyError, Stop};
use crate::matrix::{MatrixMode, MatrixPlace};
use crate::places::Gazetteer;
use crate::report::{Cell, Column, Row, Table};
use rayon::prelude::*;
use serde::Serialize;

/// Participants coming from one home place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participants {
    /// The home place as typed.
    pub home: String,
    /// Resolved id (`geonames:2756071`).
    pub id: String,
    /// The resolved stop.
    pub stop: Stop,
    /// How many people (> 0).
    pub count: f64,
}

/// The trip of one group of participants to one host.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantTrip {
    /// Home, as resolved (`Enschede (NL)`).
    pub home: String,
    /// How many people.
    pub count: f64,
    /// The best sensible option (`Coach`), from `compare`.
    pub option: String,
    /// Its matrix mode key.
    pub mode: MatrixMode,
    /// kg CO2e per person of the best option.
    pub co2e_kg_per_person: f64,
    /// kg CO2e of the group (per person × count).
    pub co2e_kg: f64,
    /// kg CO2e per person when flying (the best option when no flight is offered).
    pub all_fly_kg_per_person: f64,
    /// Whether `compare` offers a flight for this trip.
    pub flight_offered: bool,
    /// Geodesic km home → host.
    pub great_circle_km: f64,
}

/// One candidate host, with its totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The host place.
    pub host: MatrixPlace,
    /// kg CO2e of everyone taking their best sensible option.
    pub co2e_kg: f64,
    /// kg CO2e when everyone flies (where a flight is offered).
    pub all_fly_kg: f64,
    /// One line per participants' home, in input order.
    pub participants: Vec<ParticipantTrip>,
}

/// The ranked candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    /// Number of people.
    pub people: f64,
    /// Round trip.
    pub round_trip: bool,
    /// Factor pack.
    pub pack: String,
    /// Candidates, lowest total first (ties by name).
    pub candidates: Vec<Candidate>,
}

/// The canonical fields of a participants file: `home` (required; also `woonplaats`,
/// `residence` …) and `travellers` (optional, default 1; also `people`, `aantal`, `count` …).
pub fn participants_schema() -> Schema {
    Schema::new(&[("home", true), ("travellers", false)])
}

/// Reads participants from a file of the shared input layer (CSV, TSV, Excel, JSON), one
/// row per home place. Blank rows are skipped; every other row must resolve.
///
/// # Errors
///
/// The input layer's errors, a missing `home` column, an unknown place (with the
/// gazetteer's suggestions), a count that is not a number greater than 0 — each with file,
/// line, column and value. An empty file is an error too.
pub fn read_participants(
    reader: InputReader,
    g: &Gazetteer,
) -> Result<Vec<Participants>, InputError> {
    let file = reader.name().to_string();
    let schema = participants_schema();
    let map = Mapping::new(&file, reader.header(), &schema, None)?;
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec?;
        if rec.is_blank() {
            continue;
        }
        let home = map.get(&rec, 0).trim().to_string();
        // The place error's message already carries the gazetteer's suggestions.
        let place = g.resolve(&home).map_err(|e| {
            InputError::value(&file, rec.line(), map.column_name(0), &home, e.to_string())
        })?;
        let count = if map.has(1) && !map.get(&rec, 1).trim().is_empty() {
            let raw = map.get(&rec, 1);
            let bad =
                |m: String| InputError::value(&file, rec.line(), map.column_name(1), &*raw, m);
            let v = parse_number(&raw).map_err(bad)?;
            if !(v.is_finite() && v > 0.0) {
                return Err(bad("the number of people must be greater than 0".into()));
            }
            v
        } else {
            1.0
        };
        out.push(Participants {
            home,
            id: place.id.clone(),
            stop: Stop::from_place(&place),
            count,
        });
    }
    if out.is_empty() {
        return Err(InputError::new(
            crate::input::InputErrorKind::Columns,
            &file,
            "no participants: the file has a header but no rows",
        ));
    }
    Ok(out)
}

/// The distinct home places of `participants`, in first-seen order (the default candidates).
pub fn homes_as_candidates(participants: &[Participants]) -> Vec<MatrixPlace> {
    let mut out: Vec<MatrixPlace> = Vec::new();
    for p in participants {
        if !out.iter().any(|c| c.id == p.id) {
            out.push(MatrixPlace {
                id: p.id.clone(),
                name: short_name(&p.stop.label),
                stop: p.stop.clone(),
            });
        }
    }
    out
}

fn short_name(label: &str) -> String {
    label.split(" (").next().unwrap_or(label).to_string()
}

/// Ranks `candidates` by the group's total kg CO2e (see the module docs for the rule).
/// `o.travellers` is ignored: each group counts its own people.
///
/// # Errors
///
/// The first [`JourneyError`] of `compare`.
pub fn plan(
    packs: &PackSet,
    g: &Gazetteer,
    participants: &[Participants],
    candidates: Vec<MatrixPlace>,
    o: &CompareOptions,
) -> Result<Meeting, JourneyError> {
    let mut one = o.clone();
    one.travellers = 1.0;
    let mut ranked: Vec<Candidate> = candidates
        .into_par_iter()
        .map(|host| {
            let trips = participants
                .iter()
                .map(|p| trip_to(packs, g, p, &host.stop, &one))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Candidate {
                co2e_kg: trips.iter().map(|t| t.co2e_kg).sum(),
                all_fly_kg: trips
                    .iter()
                    .map(|t| t.all_fly_kg_per_person * t.count)
                    .sum(),
                host,
                participants: trips,
            })
        })
        .collect::<Result<_, JourneyError>>()?;
    ranked.sort_by(|a, b| {
        a.co2e_kg
            .total_cmp(&b.co2e_kg)
            .then_with(|| a.host.name.cmp(&b.host.name))
    });
    Ok(Meeting {
        people: participants.iter().map(|p| p.count).sum(),
        round_trip: o.round_trip,
        pack: o.calc.pack.clone(),
        candidates: ranked,
    })
}

fn trip_to(
    packs: &PackSet,
    g: &Gazetteer,
    p: &Participants,
    host: &Stop,
    o: &CompareOptions,
) -> Result<ParticipantTrip, JourneyError> {
    let c = compare(packs, g, &p.stop, host, o)?;
    let sensible = |x: &&crate::compare::Choice| MatrixMode::of_choice(x) != MatrixMode::CarShared;
    // `compare` ranks lowest first; at 0 km it still offers walking (0 kg).
    let best = c.options.iter().find(sensible);
    let flight = c
        .options
        .iter()
        .find(|x| MatrixMode::of_choice(x) == MatrixMode::Flight);
    let (option, mode, kg) = match best {
        Some(b) => (
            b.label.clone(),
            MatrixMode::of_choice(b),
            b.co2e_kg_per_person,
        ),
        None => ("none offered".to_string(), MatrixMode::Walk, 0.0),
    };
    Ok(ParticipantTrip {
        home: p.stop.label.clone(),
        count: p.count,
        option,
        mode,
        co2e_kg_per_person: kg,
        co2e_kg: kg * p.count,
        all_fly_kg_per_person: flight.map_or(kg, |f| f.co2e_kg_per_person),
        flight_offered: flight.is_some(),
        great_circle_km: c.great_circle_km,
    })
}

/// The ranking as a table (`footprint meet --format table|csv`).
pub fn ranking_table(m: &Meeting) -> Table {
    let rows = m
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Row::new(vec![
                Cell::Number((i + 1) as f64),
                Cell::text(&c.host.name),
                Cell::text(&c.host.id),
                Cell::Number(c.co2e_kg),
                Cell::Number(c.co2e_kg / m.people),
                Cell::Number(c.all_fly_kg),
            ])
        })
        .collect();
    Table {
        id: "meet".into(),
        title: format!(
            "Candidate hosts for {} people, {} ({})",
            m.people,
            if m.round_trip {
                "round trip"
            } else {
                "one way"
            },
            m.pack
        ),
        columns: vec![
            Column::number("rank", "Rank", "", 0),
            Column::text("host", "Host"),
            Column::text("host_id", "Host id"),
            Column::number("co2e_kg", "Total, best options", "kg CO2e", 1),
            Column::number("co2e_kg_per_person", "Per person", "kg CO2e", 1),
            Column::number("all_fly_kg", "Total if all fly", "kg CO2e", 1),
        ],
        rows,
        notes: Vec::new(),
    }
}

/// The per-participant breakdown of every candidate as one long table.
pub fn breakdown_table(m: &Meeting) -> Table {
    let mut rows = Vec::new();
    for c in &m.candidates {
        for t in &c.participants {
            rows.push(Row::new(vec![
                Cell::text(&c.host.name),
                Cell::text(&t.home),
                Cell::Number(t.count),
                Cell::text(&t.option),
                Cell::Number(t.co2e_kg_per_person),
                Cell::Number(t.co2e_kg),
                Cell::Number(t.all_fly_kg_per_person),
                Cell::Number(t.great_circle_km),
            ]));
        }
    }
    Table {
        id: "meet-breakdown".into(),
        title: "Per participant".into(),
        columns: vec![
            Column::text("host", "Host"),
            Column::text("home", "Home"),
            Column::number("count", "People", "", 0),
            Column::text("option", "Best option"),
            Column::number("co2e_kg_per_person", "Per person", "kg CO2e", 1),
            Column::number("co2e_kg", "Group", "kg CO2e", 1),
            Column::number(
                "all_fly_kg_per_person",
                "Per person if flying",
                "kg CO2e",
                1,
            ),
            Column::number("great_circle_km", "Great-circle distance", "km", 0),
        ],
        rows,
        notes: Vec::new(),
    }
}
