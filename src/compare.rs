//! Ranking the sensible ways to travel between two places.
//!
//! For one origin–destination pair, [`compare`] estimates every option that makes sense
//! at that distance — train, coach, car alone and shared, electric car, economy flight
//! (with the access legs to and from the nearest large airports with scheduled service),
//! and bike / e-bike / walking when the trip is short — and ranks them by kg CO2e per
//! person, with the saving against the worst option.

use crate::factors::PackSet;
use crate::journey::{
    CalcOptions, Estimate, JourneyError, Stop, TripSpec, combine, leg, validate_spec,
};
use crate::mode::{Fuel, Mode};
use crate::places::Gazetteer;
use serde::Serialize;

/// Distance limits (great-circle km) that decide which options are shown.
///
/// Editorial thresholds, in the spirit of ADEME Impact CO2, which hides the plane below
/// a few hundred km and shows the e-bike up to 30 km.
pub mod limits {
    /// Walking shown below this great-circle distance (km).
    pub const WALK_MAX_KM: f64 = 5.0;
    /// Bike shown below this distance (km).
    pub const BIKE_MAX_KM: f64 = 20.0;
    /// E-bike shown below this distance (km).
    pub const EBIKE_MAX_KM: f64 = 30.0;
    /// Local bus shown below this distance (km).
    pub const BUS_MAX_KM: f64 = 50.0;
    /// Flights shown from this distance (km).
    pub const FLIGHT_MIN_KM: f64 = 300.0;
    /// Surface options shown up to this distance (km) when both ends are connected by land.
    pub const SURFACE_MAX_KM: f64 = 5000.0;
    /// An airport further than this from the origin or destination is not used (km).
    pub const AIRPORT_MAX_KM: f64 = 300.0;
}

/// Options for [`compare`].
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Out and back.
    pub round_trip: bool,
    /// Travellers (> 0).
    pub travellers: f64,
    /// People in the shared-car option (>= 2).
    pub shared_occupancy: f64,
    /// Add train legs to and from the airports to the flight option.
    pub airport_access: bool,
    /// Pack and boundary.
    pub calc: CalcOptions,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            round_trip: false,
            travellers: 1.0,
            shared_occupancy: 3.0,
            airport_access: true,
            calc: CalcOptions::default(),
        }
    }
}

/// One ranked option.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// Short label, e.g. "car, shared (3 people)".
    pub label: String,
    /// Main mode.
    pub mode: Mode,
    /// What the figure includes.
    pub includes: String,
    /// kg CO2e for all travellers.
    pub co2e_kg: f64,
    /// kg CO2e per person.
    pub co2e_kg_per_person: f64,
    /// kg CO2e per person saved against the worst option.
    pub saving_vs_worst_kg: f64,
    /// Saving against the worst option, percent.
    pub saving_vs_worst_pct: f64,
    /// Travelled km one way (all legs).
    pub distance_km: f64,
    /// The underlying estimates (main journey, then access legs).
    pub parts: Vec<Estimate>,
}

/// The ranked comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Origin.
    pub from: Stop,
    /// Destination.
    pub to: Stop,
    /// Geodesic km between them.
    pub great_circle_km: f64,
    /// Round trip.
    pub round_trip: bool,
    /// Travellers.
    pub travellers: f64,
    /// Factor pack asked for.
    pub pack: String,
    /// Options, lowest kg CO2e per person first.
    pub options: Vec<Choice>,
    /// What was left out and why.
    pub notes: Vec<String>,
}

fn spec(mode: Mode, o: &CompareOptions) -> TripSpec {
    let mut s = TripSpec::new(mode);
    s.round_trip = o.round_trip;
    s.travellers = o.travellers;
    s
}

/// A choice from its estimates (main journey first), not yet ranked.
fn choice(
    o: &CompareOptions,
    label: String,
    mode: Mode,
    includes: String,
    parts: Vec<Estimate>,
) -> Choice {
    let co2e: f64 = parts.iter().map(|e| e.co2e_kg).sum();
    let distance_km = parts.iter().map(|e| e.distance_km).sum();
    Choice {
        label,
        mode,
        includes,
        co2e_kg: co2e,
        co2e_kg_per_person: co2e / o.travellers,
        saving_vs_worst_kg: 0.0,
        saving_vs_worst_pct: 0.0,
        distance_km,
        parts,
    }
}

/// The short-distance modes: below this great-circle km, label, mode, what it includes.
const SHORT_MODES: [(f64, &str, Mode, &str); 4] = [
    (limits::WALK_MAX_KM, "Walk", Mode::Walk, "walking"),
    (limits::BIKE_MAX_KM, "Bike", Mode::Bike, "bicycle"),
    (
        limits::EBIKE_MAX_KM,
        "E-bike",
        Mode::Ebike,
        "electric bicycle",
    ),
    (limits::BUS_MAX_KM, "Bus", Mode::Bus, "local bus"),
];

/// Train, coach (beyond local-bus range) and car alone, shared and electric.
fn surface_choices(
    gc: f64,
    o: &CompareOptions,
    single: &dyn Fn(&TripSpec) -> Result<Estimate, JourneyError>,
) -> Result<Vec<Choice>, JourneyError> {
    let one = |label: String, mode: Mode, includes: String, s: &TripSpec| {
        Ok::<_, JourneyError>(choice(o, label, mode, includes, vec![single(s)?]))
    };
    let mut v = vec![one(
        "Train".into(),
        Mode::Train,
        "rail, door to door by rail distance".into(),
        &spec(Mode::Train, o),
    )?];
    if gc >= limits::BUS_MAX_KM {
        v.push(one(
            "Coach".into(),
            Mode::Coach,
            "long-distance coach".into(),
            &spec(Mode::Coach, o),
        )?);
    }
    let mut alone = spec(Mode::Car, o);
    alone.occupancy = 1.0;
    v.push(one(
        "Car, alone".into(),
        Mode::Car,
        "average car, unknown fuel, driver alone".into(),
        &alone,
    )?);
    let mut shared = spec(Mode::Car, o);
    shared.occupancy = o.shared_occupancy.max(1.0);
    v.push(one(
        format!("Car, shared ({} people)", shared.occupancy),
        Mode::Car,
        format!(
            "average car, unknown fuel, {} people sharing it",
            shared.occupancy
        ),
        &shared,
    )?);
    let mut ev = spec(Mode::Car, o);
    ev.fuel = Fuel::Bev;
    v.push(one(
        "Electric car, alone".into(),
        Mode::Car,
        "average battery-electric car, driver alone".into(),
        &ev,
    )?);
    Ok(v)
}

/// Lowest kg CO2e per person first (ties by label), each with its saving against the worst.
fn rank(choices: &mut [Choice]) {
    choices.sort_by(|a, b| {
        a.co2e_kg_per_person
            .total_cmp(&b.co2e_kg_per_person)
            .then(a.label.cmp(&b.label))
    });
    let worst = choices
        .iter()
        .map(|c| c.co2e_kg_per_person)
        .fold(0.0, f64::max);
    for c in choices {
        c.saving_vs_worst_kg = worst - c.co2e_kg_per_person;
        c.saving_vs_worst_pct = if worst > 0.0 {
            100.0 * c.saving_vs_worst_kg / worst
        } else {
            0.0
        };
    }
}

/// Ranks the sensible options between `from` and `to`.
pub fn compare(
    packs: &PackSet,
    g: &Gazetteer,
    from: &Stop,
    to: &Stop,
    o: &CompareOptions,
) -> Result<Comparison, JourneyError> {
    let base = spec(Mode::Train, o);
    validate_spec(&base)?;
    let gc = crate::distance::geodesic_km(from.position, to.position);
    let mut notes = Vec::new();
    let mut choices = Vec::new();
    let single = |s: &TripSpec| -> Result<Estimate, JourneyError> {
        Ok(combine(s, vec![leg(packs, from, to, s, &o.calc, None)?]))
    };
    let no_land = crate::places::no_land_route(g, &from.country_code, &to.country_code);
    let surface = gc <= limits::SURFACE_MAX_KM && no_land.is_none();
    if let Some(reason) = no_land {
        notes.push(format!("no surface options: {reason}"));
    } else if !surface {
        notes.push(format!(
            "no surface options: the places are {gc:.0} km apart, more than {:.0} km",
            limits::SURFACE_MAX_KM
        ));
    }
    for (max_km, label, mode, includes) in SHORT_MODES {
        if gc < max_km {
            let e = single(&spec(mode, o))?;
            choices.push(choice(o, label.into(), mode, includes.into(), vec![e]));
        }
    }
    if surface {
        choices.extend(surface_choices(gc, o, &single)?);
    }
    if gc >= limits::FLIGHT_MIN_KM {
        let push = |choices: &mut Vec<Choice>,
                    label: String,
                    mode: Mode,
                    includes: String,
                    parts: Vec<Estimate>| {
            choices.push(choice(o, label, mode, includes, parts));
        };
        flight_choice(packs, g, from, to, o, &mut choices, &mut notes, push)?;
    } else {
        notes.push(format!(
            "no flight: {gc:.0} km is below {:.0} km",
            limits::FLIGHT_MIN_KM
        ));
    }
    rank(&mut choices);
    Ok(Comparison {
        from: from.clone(),
        to: to.clone(),
        great_circle_km: gc,
        round_trip: o.round_trip,
        travellers: o.travellers,
        pack: o.calc.pack.clone(),
        options: choices,
        notes,
    })
}

/// The airport a traveller would fly from: the nearest large airport with scheduled service
/// within [`limits::AIRPORT_MAX_KM`], else the nearest medium one.
pub fn hub_airport<'g>(g: &'g Gazetteer, at: &Stop) -> Option<&'g crate::places::Airport> {
    let near = g.nearest_airports(at.position.lat_deg, at.position.lon_deg, true, 40);
    let within = |d: f64| d <= limits::AIRPORT_MAX_KM;
    near.iter()
        .find(|(a, d)| a.kind == "L" && within(*d))
        .or_else(|| near.iter().find(|(_, d)| within(*d)))
        .map(|(a, _)| *a)
}

#[allow(clippy::too_many_arguments)]
fn flight_choice(
    packs: &PackSet,
    g: &Gazetteer,
    from: &Stop,
    to: &Stop,
    o: &CompareOptions,
    choices: &mut Vec<Choice>,
    notes: &mut Vec<String>,
    push: impl Fn(&mut Vec<Choice>, String, Mode, String, Vec<Estimate>),
) -> Result<(), JourneyError> {
    let fl = spec(Mode::Flight, o);
    if !o.airport_access {
        let e = combine(&fl, vec![leg(packs, from, to, &fl, &o.calc, None)?]);
        push(
            choices,
            "Flight, economy".into(),
            Mode::Flight,
            "flight only, between the two places (no airport access)".into(),
            vec![e],
        );
        return Ok(());
    }
    let (Some(a), Some(b)) = (hub_airport(g, from), hub_airport(g, to)) else {
        notes.push(format!(
            "no flight: no scheduled airport within {:.0} km",
            limits::AIRPORT_MAX_KM
        ));
        return Ok(());
    };
    if a.iata == b.iata {
        notes.push(format!(
            "no flight: both places are served by the same airport {}",
            a.iata
        ));
        return Ok(());
    }
    let ap = |x: &crate::places::Airport| Stop {
        label: format!("{} ({})", x.name, x.iata),
        name: x.name.clone(),
        position: crate::distance::LatLon {
            lat_deg: x.lat_deg,
            lon_deg: x.lon_deg,
        },
        country_code: x.country_code.clone(),
    };
    let (sa, sb) = (ap(a), ap(b));
    let main = combine(&fl, vec![leg(packs, &sa, &sb, &fl, &o.calc, None)?]);
    if let Some(w) = main.legs.first().and_then(|l| l.band_blend.as_ref()) {
        notes.push(format!("flight {} - {}: factor {w}", a.iata, b.iata));
    }
    let rail = spec(Mode::Train, o);
    let mut parts = vec![main];
    for (x, y) in [(from, &sa), (&sb, to)] {
        if crate::distance::geodesic_km(x.position, y.position) > 1.0 {
            parts.push(combine(
                &rail,
                vec![leg(packs, x, y, &rail, &o.calc, None)?],
            ));
        }
    }
    push(
        choices,
        "Flight, economy".into(),
        Mode::Flight,
        format!(
            "economy flight {} - {} plus train to and from the airports",
            a.iata, b.iata
        ),
        parts,
    );
    Ok(())
}
