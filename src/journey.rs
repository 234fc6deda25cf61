//! Legs and journeys: distance adjustment per mode and the emissions of one journey.
//!
//! A **leg** is one mode between two stops; a **journey** is one or more legs (via
//! stopovers), one-way or round trip, for N travellers.
//!
//! # Method
//! 1. great-circle km on WGS84 ([`crate::distance::geodesic_km`]);
//! 2. travelled km = great-circle km × the pack's detour factor for the mode; for flights,
//!    the pack's flight-distance convention (DESNZ: nothing added, its factors already
//!    carry the 8 % uplift); or an explicit `distance_km` given by the user;
//! 3. kg CO2e = travelled km × factor (per passenger-km, or per vehicle-km ÷ occupancy)
//!    × travellers × (2 for a round trip). Parts are kept separate (TTW, WTT, non-CO2 ...).

use crate::distance::{LatLon, geodesic_km};
use crate::factors::{
    BandBlend, CountryRail, FactorError, FactorQuery, FlightBandRule, FlightDistanceKind, PackSet,
    Parts, RailFactor, RailTable, Selected, Unit,
};
use crate::mode::{Cabin, Fuel, Mode, Size};
use serde::Serialize;

/// A point of a journey: a resolved place reduced to what the engine needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stop {
    /// Display label: the name and the country code, e.g. "Enschede (NL)".
    pub label: String,
    /// The place's name without the country, e.g. "Enschede" (charts, maps, destination
    /// lines); the country is [`Stop::country_code`].
    pub name: String,
    /// Position.
    pub position: LatLon,
    /// ISO 3166-1 alpha-2 country code ("" when unknown, e.g. literal coordinates).
    pub country_code: String,
}

/// Reporting options shared by every estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct CalcOptions {
    /// Factor pack id.
    pub pack: String,
    /// Include the non-CO2 (radiative forcing) part of flights. Default true.
    pub include_rf: bool,
    /// Include well-to-tank emissions (well-to-wheel boundary). Default true.
    pub include_wtt: bool,
    /// Force a flight haul band, e.g. `international` (DESNZ to/from non-UK average).
    pub haul_override: Option<String>,
    /// Train legs: by the countries crossed (default) or the pack's single rail factor.
    pub rail_factor: RailFactor,
    /// Flights: the pack's published bands (default) or smooth bands (a linear blend of the
    /// adjacent bands around each edge, [`crate::factors::FlightBandRule`]).
    pub flight_bands: FlightBandRule,
}

impl Default for CalcOptions {
    fn default() -> Self {
        CalcOptions {
            pack: crate::factors::pack_default_id().to_string(),
            include_rf: true,
            include_wtt: true,
            haul_override: None,
            rail_factor: RailFactor::Country,
            flight_bands: FlightBandRule::Published,
        }
    }
}

/// The mode and variant of a journey and who travels.
#[derive(Debug, Clone, PartialEq)]
pub struct TripSpec {
    /// Mode of every leg.
    pub mode: Mode,
    /// Flight cabin.
    pub cabin: Cabin,
    /// Car/motorbike size.
    pub size: Size,
    /// Car fuel.
    pub fuel: Fuel,
    /// Explicit variant kind (train `international`, ferry `car` ...).
    pub kind: Option<String>,
    /// Out and back.
    pub round_trip: bool,
    /// Number of travellers (> 0).
    pub travellers: f64,
    /// People per vehicle for per-vehicle factors (car, motorbike); default 1.
    pub occupancy: f64,
    /// Travelled km one way given by the user, replacing the computed distance.
    pub distance_km: Option<f64>,
}

impl TripSpec {
    /// One traveller, one way, default variants.
    pub fn new(mode: Mode) -> Self {
        TripSpec {
            mode,
            cabin: Cabin::Economy,
            size: Size::Average,
            fuel: Fuel::Unknown,
            kind: None,
            round_trip: false,
            travellers: 1.0,
            occupancy: 1.0,
            distance_km: None,
        }
    }
}

/// The factor that produced a result, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorUse {
    /// Pack the factor came from.
    pub pack: String,
    /// Factor id inside the pack.
    pub id: String,
    /// Source label of the row.
    pub label: String,
    /// kg CO2e per unit, sum of the parts inside the reporting boundary.
    pub value: f64,
    /// `passenger.km` or `vehicle.km`.
    pub unit: Unit,
    /// Parts per unit.
    pub parts: Parts,
    /// Publication.
    pub source: String,
    /// Table and row inside the publication.
    pub table: String,
    /// Row ids.
    pub row: String,
    /// Year.
    pub year: u16,
    /// Reliability grade.
    pub reliability: String,
    /// Fallbacks taken (empty when the exact factor was found).
    pub notes: Vec<String>,
    /// Train legs by country crossed: each country's share of the leg and its factor
    /// (empty for other modes and with `--rail-factor pack`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryFactor>,
}

/// One country's part of a train leg's factor ([`FactorUse::countries`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryFactor {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Fraction of the leg's km in the country (the shares add up to 1).
    pub share: f64,
    /// kg CO2e per passenger-km inside the reporting boundary.
    pub value: f64,
    /// Where the value comes from: `rail-by-country`, or the pack id when the table has no
    /// sourced value for the country.
    pub from: String,
    /// Publication.
    pub source: String,
    /// Year of the value.
    pub year: u16,
    /// What the value covers.
    pub scope: String,
    /// Reliability grade.
    pub reliability: String,
}

/// The rail split of a journey's train legs in one line, for audit files: per leg and in
/// path order, each country with its one-way km and its kg CO2e per passenger-km, e.g.
/// `NL 56.1 km @ 0.00140; DE 210.0 km @ 0.02910`. `legs` pairs each leg's countries
/// ([`FactorUse::countries`]) with its travelled km one way; the km of a leg's parts add
/// up to the leg's km ([`crate::rail::split_km`]). Empty when no leg has a split.
pub fn rail_countries_text<'a>(
    legs: impl IntoIterator<Item = (&'a [CountryFactor], f64)>,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (countries, km) in legs {
        let shares: Vec<crate::rail::CountryShare> = countries
            .iter()
            .map(|c| crate::rail::CountryShare {
                country: c.country.clone(),
                share: c.share,
            })
            .collect();
        for (c, km) in countries.iter().zip(crate::rail::split_km(&shares, km)) {
            parts.push(format!("{} {km:.1} km @ {:.5}", c.country, c.value));
        }
    }
    parts.join("; ")
}

/// One country's km of a train leg ([`LegEstimate::countries`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryKm {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Travelled km in the country (the parts add up to the leg's km).
    pub km: f64,
    /// kg CO2e per passenger-km used for this part.
    pub factor: f64,
    /// Where the factor comes from (`rail-by-country` or the pack id).
    pub from: String,
}

/// Emissions of one leg, one way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegEstimate {
    /// Start.
    pub from: String,
    /// End.
    pub to: String,
    /// Mode.
    pub mode: Mode,
    /// Flight haul band used, if a flight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub haul: Option<String>,
    /// What chose the haul band (great-circle or given distance, domestic, forced).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub haul_basis: Option<String>,
    /// Smooth flight bands: the blend of the adjacent bands' factors, in words, when the
    /// flight falls inside a blending window (`blended 49 % short / 51 % long (...)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band_blend: Option<String>,
    /// Geodesic km between the stops.
    pub great_circle_km: f64,
    /// Travelled km (detour or flight convention applied, or as given).
    pub distance_km: f64,
    /// Multiplier or method from great-circle to travelled km, in words.
    pub distance_method: String,
    /// kg CO2e of the leg for all travellers (one way).
    pub co2e_kg: f64,
    /// Parts of `co2e_kg`.
    pub parts: Parts,
    /// The factor.
    pub factor: FactorUse,
    /// Train legs by country crossed: km and factor per country, in path order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryKm>,
}

/// Emissions of a journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Mode.
    pub mode: Mode,
    /// Geodesic km of the route, one way (sum over legs).
    pub great_circle_km: f64,
    /// Travelled km of the route, one way (sum over legs).
    pub distance_km: f64,
    /// Passenger-km: travelled km × travellers × 2 for a round trip.
    pub passenger_km: f64,
    /// Round trip.
    pub round_trip: bool,
    /// Travellers.
    pub travellers: f64,
    /// Occupancy used for per-vehicle factors.
    pub occupancy: f64,
    /// kg CO2e of the whole journey, all travellers, both ways if a round trip.
    pub co2e_kg: f64,
    /// kg CO2e per traveller.
    pub co2e_kg_per_person: f64,
    /// Parts of `co2e_kg`.
    pub parts: Parts,
    /// Factor of the longest leg (each leg lists its own).
    pub factor: FactorUse,
    /// Legs, one way.
    pub legs: Vec<LegEstimate>,
}

/// Why a journey cannot be estimated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JourneyError {
    /// Fewer than two stops.
    #[error("a journey needs at least an origin and a destination")]
    TooFewStops,
    /// Travellers not a finite number > 0.
    #[error("travellers must be a number greater than 0, got {0}")]
    Travellers(f64),
    /// Occupancy not a finite number >= 1.
    #[error("occupancy must be a number of at least 1, got {0}")]
    Occupancy(f64),
    /// A given distance that is not a finite number > 0.
    #[error("distance_km must be a finite number greater than 0, got {0}")]
    Distance(f64),
    /// No factor.
    #[error(transparent)]
    Factor(#[from] FactorError),
}

/// Emissions of one leg for one traveller, one way (the unit the batch engine caches).
pub fn leg(
    packs: &PackSet,
    from: &Stop,
    to: &Stop,
    spec: &TripSpec,
    opts: &CalcOptions,
    distance_km: Option<f64>,
) -> Result<LegEstimate, JourneyError> {
    let gc_km = geodesic_km(from.position, to.position);
    let c = choose_leg(packs, from, to, spec, opts, distance_km, gc_km)?;
    let factor = c.factor_use(opts);
    let figures = c.figures(opts);
    let parts = figures.parts_per_traveller(c.distance_km, spec.occupancy);
    let kms = crate::rail::split_km(
        &factor
            .countries
            .iter()
            .map(|p| crate::rail::CountryShare {
                country: p.country.clone(),
                share: p.share,
            })
            .collect::<Vec<_>>(),
        c.distance_km,
    );
    let countries = factor
        .countries
        .iter()
        .zip(kms)
        .map(|(p, km)| CountryKm {
            country: p.country.clone(),
            km,
            factor: p.value,
            from: p.from.clone(),
        })
        .collect();
    Ok(LegEstimate {
        from: from.label.clone(),
        to: to.label.clone(),
        mode: spec.mode,
        haul: c.haul().map(str::to_string),
        haul_basis: c.haul_basis(),
        band_blend: c.blend_words().map(str::to_string),
        great_circle_km: c.great_circle_km,
        distance_km: c.distance_km,
        distance_method: c.distance_method(),
        co2e_kg: parts.total(),
        parts,
        factor,
        countries,
    })
}

/// One leg as the journey formula needs it: its computed travelled km and its factor.
///
/// Built by [`LegChoice::figures`]; the business run caches one per distinct leg.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegFigures {
    /// Travelled km of the leg as computed (detour or flight convention), one way.
    pub distance_km: f64,
    /// kg CO2e per unit of the factor, parts inside the reporting boundary.
    pub per_unit: Parts,
    /// What the factor is per: a passenger-km, or a vehicle-km shared by the occupants.
    pub unit: Unit,
}

impl LegFigures {
    /// kg CO2e (by part) of `distance_km` on this leg for one traveller: per passenger-km
    /// factors as they are, per vehicle-km factors divided by `occupancy`. The only place
    /// where occupancy enters a figure.
    #[inline]
    pub fn parts_per_traveller(&self, distance_km: f64, occupancy: f64) -> Parts {
        let share = match self.unit {
            Unit::PassengerKm => 1.0,
            Unit::VehicleKm => 1.0 / occupancy,
        };
        self.per_unit.scaled(distance_km * share)
    }
}

/// Who travels and how far: what turns one-traveller, one-way legs into a journey.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Travel {
    /// Travellers (> 0).
    pub travellers: f64,
    /// People per vehicle for per-vehicle factors (>= 1).
    pub occupancy: f64,
    /// Out and back.
    pub round_trip: bool,
    /// Travelled km one way of the whole route as given, replacing the computed km.
    pub given_km: Option<f64>,
}

impl Travel {
    /// The travel of a spec.
    pub fn of(spec: &TripSpec) -> Travel {
        Travel {
            travellers: spec.travellers,
            occupancy: spec.occupancy,
            round_trip: spec.round_trip,
            given_km: spec.distance_km,
        }
    }

    /// One-way trips × travellers: what a one-way, one-traveller figure is multiplied by.
    #[inline]
    pub fn multiplier(&self) -> f64 {
        self.travellers * if self.round_trip { 2.0 } else { 1.0 }
    }
}

/// A journey's figures: what [`journey_figures`] computes from its legs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct JourneyFigures {
    /// Travelled km of the route, one way (the given km when there is one).
    pub distance_km: f64,
    /// Passenger-km: `distance_km` × travellers × (2 for a round trip).
    pub passenger_km: f64,
    /// kg CO2e of the whole journey by part: all travellers, both ways for a round trip.
    pub parts: Parts,
}

impl JourneyFigures {
    /// kg CO2e of the whole journey.
    #[inline]
    pub fn co2e_kg(&self) -> f64 {
        self.parts.total()
    }
}

/// The travelled km one way of leg `i` of a journey: its computed km, or its share of a
/// given route distance in proportion to the computed km (equal shares when all are 0).
#[inline]
pub fn leg_distance_km(
    computed_km: f64,
    total_computed_km: f64,
    legs: usize,
    given_km: Option<f64>,
) -> f64 {
    match given_km {
        Some(g) if total_computed_km > 0.0 => g * computed_km / total_computed_km,
        Some(g) => g / legs as f64,
        None => computed_km,
    }
}

/// **The journey formula**: kg CO2e of a journey and its parts from its legs.
///
/// `Σ legs (travelled km × factor per unit ÷ occupancy for per-vehicle factors)
/// × travellers × (2 for a round trip)`, a given route distance shared over the legs by
/// [`leg_distance_km`]. Every command (`trip`, `business`, `inventory`, `scenario`,
/// `report`) computes a journey's kg here; nothing else multiplies by occupancy, travellers
/// or round trips.
#[inline]
pub fn journey_figures(legs: &[LegFigures], travel: &Travel) -> JourneyFigures {
    let total_computed_km: f64 = legs.iter().map(|l| l.distance_km).sum();
    let mut per_person = Parts::default();
    let mut distance_km = 0.0;
    for l in legs {
        let d = leg_distance_km(
            l.distance_km,
            total_computed_km,
            legs.len(),
            travel.given_km,
        );
        per_person = per_person.plus(&l.parts_per_traveller(d, travel.occupancy));
        distance_km += d;
    }
    // A given route distance is the route's km as given, not the sum of its shares.
    let distance_km = travel.given_km.unwrap_or(distance_km);
    let k = travel.multiplier();
    JourneyFigures {
        distance_km,
        passenger_km: distance_km * k,
        parts: per_person.scaled(k),
    }
}

/// How a leg's travelled km came about (put into words by [`LegChoice::distance_method`]).
#[derive(Debug, Clone, Copy, PartialEq)]
enum DistanceHow {
    Given,
    Flight,
    Detour(f64),
}

/// A leg's factor and distances, before any text is built: what [`leg`] decides, borrowed
/// from the packs. Batch callers keep one [`FactorUse`] per distinct factor instead of
/// building one per leg.
#[derive(Debug, Clone)]
pub struct LegChoice<'a> {
    /// The factor, its pack and the fallback notes.
    pub selected: Selected<'a>,
    /// Travel mode.
    pub mode: Mode,
    /// Geodesic km between the stops.
    pub great_circle_km: f64,
    /// Travelled km (detour or flight convention applied, or as given).
    pub distance_km: f64,
    how: DistanceHow,
    band: Option<BandBasis>,
    blend: Option<Blend<'a>>,
    /// Train legs by country crossed: each country's share and its table value (`None`: no
    /// sourced value, the pack's factor is used). Empty for other modes.
    pub rail: Vec<(crate::rail::CountryShare, Option<&'static CountryRail>)>,
}

/// A flight inside a smooth-bands window: the factors of the bands below and above the edge
/// (each chosen for the cabin with the pack's fallbacks) and where the flight falls.
#[derive(Debug, Clone)]
struct Blend<'a> {
    below: Selected<'a>,
    above: Selected<'a>,
    at: BandBlend,
    /// The blend in words (`blended 49 % short / 51 % long (...)`).
    words: String,
}

impl Blend<'_> {
    /// Blended parts per unit inside the reporting boundary.
    fn parts(&self, opts: &CalcOptions) -> Parts {
        let t = self.at.above_share;
        let b = self
            .below
            .factor
            .parts()
            .restricted(opts.include_rf, opts.include_wtt);
        let a = self
            .above
            .factor
            .parts()
            .restricted(opts.include_rf, opts.include_wtt);
        b.scaled(1.0 - t).plus(&a.scaled(t))
    }
}

/// What chose a flight's band (haul).
#[derive(Debug, Clone, Copy, PartialEq)]
enum BandBasis {
    /// The great-circle km between the stops.
    GreatCircle(f64),
    /// The travelled km given by the user (`--distance-km`, the export's `distance_km`).
    Given(f64),
    /// Both ends in one country: the pack's domestic band.
    Domestic,
    /// `--flight-haul` / `flight_haul`.
    Forced,
}

impl LegChoice<'_> {
    /// The factor as used: parts per unit within the reporting boundary, source and notes.
    pub fn factor_use(&self, opts: &CalcOptions) -> FactorUse {
        let (f, pack) = (self.selected.factor, self.selected.pack);
        let per_unit = f.parts().restricted(opts.include_rf, opts.include_wtt);
        if self.rail.iter().any(|(_, v)| v.is_some()) {
            return self.rail_factor_use(opts);
        }
        if let Some(b) = &self.blend {
            return blend_factor_use(b, opts);
        }
        FactorUse {
            pack: pack.id.clone(),
            id: f.id.clone(),
            label: f.label.clone(),
            value: per_unit.total(),
            unit: f.unit,
            parts: per_unit,
            source: f.source.clone(),
            table: f.table.clone(),
            row: f.row.clone(),
            year: f.year,
            reliability: f.reliability.clone(),
            notes: self.selected.notes.clone(),
            countries: Vec::new(),
        }
    }

    /// A train leg's factor by country crossed: the km-weighted mean of the countries'
    /// values, each country listed with its share, value and source.
    fn rail_factor_use(&self, opts: &CalcOptions) -> FactorUse {
        let (f, pack) = (self.selected.factor, self.selected.pack);
        let table = RailTable::bundled();
        let pack_parts = f.parts().restricted(opts.include_rf, opts.include_wtt);
        let mut notes = Vec::new();
        let mut per_unit = Parts::default();
        let mut countries = Vec::with_capacity(self.rail.len());
        for (s, v) in &self.rail {
            let (parts, c) = match v {
                Some(v) => {
                    let p = v.parts().restricted(opts.include_rf, opts.include_wtt);
                    (
                        p,
                        CountryFactor {
                            country: s.country.clone(),
                            share: s.share,
                            value: p.total(),
                            from: table.id.clone(),
                            source: v.source.clone(),
                            year: v.year,
                            scope: v.scope.clone(),
                            reliability: v.reliability.clone(),
                        },
                    )
                }
                None => {
                    notes.push(format!(
                        "no sourced rail value for {}: the {} factor {} used for its part",
                        s.country, pack.id, f.id
                    ));
                    (
                        pack_parts,
                        CountryFactor {
                            country: s.country.clone(),
                            share: s.share,
                            value: pack_parts.total(),
                            from: pack.id.clone(),
                            source: f.source.clone(),
                            year: f.year,
                            scope: pack.boundary.clone(),
                            reliability: f.reliability.clone(),
                        },
                    )
                }
            };
            per_unit = per_unit.plus(&parts.scaled(s.share));
            countries.push(c);
        }
        if countries.iter().any(|c| c.from != table.id) {
            notes.splice(0..0, self.selected.notes.iter().cloned());
        }
        let mut sources: Vec<&str> = Vec::new();
        for c in &countries {
            if !sources.contains(&c.source.as_str()) {
                sources.push(&c.source);
            }
        }
        let label = countries
            .iter()
            .map(|c| format!("{} {:.0} %", c.country, c.share * 100.0))
            .collect::<Vec<_>>()
            .join(", ");
        let single = countries.len() == 1;
        FactorUse {
            pack: table.id.clone(),
            id: if single {
                format!("train.{}", countries[0].country)
            } else {
                "train.by-country".to_string()
            },
            label: format!("rail by country crossed: {label}"),
            value: per_unit.total(),
            unit: Unit::PassengerKm,
            parts: per_unit,
            source: sources.join("; "),
            table: "data/factors/rail-by-country.json".to_string(),
            row: countries
                .iter()
                .map(|c| c.country.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            year: countries.iter().map(|c| c.year).min().unwrap_or(f.year),
            reliability: countries
                .iter()
                .map(|c| c.reliability.clone())
                .max()
                .unwrap_or_default(),
            notes,
            countries,
        }
    }

    /// The leg as the journey formula needs it (computed km, factor per unit, unit).
    pub fn figures(&self, opts: &CalcOptions) -> LegFigures {
        let f = self.selected.factor;
        if self.rail.iter().any(|(_, v)| v.is_some()) {
            let u = self.rail_factor_use(opts);
            return LegFigures {
                distance_km: self.distance_km,
                per_unit: u.parts,
                unit: u.unit,
            };
        }
        if let Some(b) = &self.blend {
            return LegFigures {
                distance_km: self.distance_km,
                per_unit: b.parts(opts),
                unit: f.unit,
            };
        }
        LegFigures {
            distance_km: self.distance_km,
            per_unit: f.parts().restricted(opts.include_rf, opts.include_wtt),
            unit: f.unit,
        }
    }

    /// The flight haul band of the factor (flights only).
    pub fn haul(&self) -> Option<&str> {
        (self.mode == Mode::Flight)
            .then(|| self.selected.factor.variant.get("haul").map(String::as_str))
            .flatten()
    }

    /// What chose the flight band, in words (flights only), e.g. `given distance 10000 km`.
    pub fn haul_basis(&self) -> Option<String> {
        self.band.map(|b| {
            let basis = match b {
                BandBasis::GreatCircle(km) => format!("great-circle distance {km:.0} km"),
                BandBasis::Given(km) => format!("given distance {km:.0} km"),
                BandBasis::Domestic => "domestic rule (both ends in one country)".to_string(),
                BandBasis::Forced => "flight-haul option".to_string(),
            };
            match &self.blend {
                Some(bl) => format!("{basis}; {}", bl.words),
                None => basis,
            }
        })
    }

    /// The smooth-bands blend in words, when the flight falls inside a blending window.
    pub fn blend_words(&self) -> Option<&str> {
        self.blend.as_ref().map(|b| b.words.as_str())
    }

    /// What, besides the selected factor, makes this leg's factor per unit: the rail shares
    /// by country and the smooth-bands weight (empty for a plain pack factor). Batch callers
    /// that cache one [`FactorUse`] per factor add it to their key.
    pub fn factor_key(&self) -> String {
        let mut k: String = self
            .rail
            .iter()
            .map(|(s, _)| format!("{}:{:x};", s.country, s.share.to_bits()))
            .collect();
        if let Some(b) = &self.blend {
            k.push_str(&format!(
                "blend:{:x}:{:x}:{:x}",
                std::ptr::from_ref(b.below.factor) as usize,
                std::ptr::from_ref(b.above.factor) as usize,
                b.at.above_share.to_bits()
            ));
        }
        k
    }

    /// The method from great-circle to travelled km, in words.
    pub fn distance_method(&self) -> String {
        let id = &self.selected.pack.id;
        match self.how {
            DistanceHow::Given => "given".to_string(),
            DistanceHow::Detour(k) => format!("great circle x {k} detour ({id})"),
            DistanceHow::Flight => {
                let fd = &self.selected.pack.conventions.flight_distance;
                match fd.kind {
                    FlightDistanceKind::AddKm => {
                        format!("great circle + {} km ({id})", fd.km.unwrap_or(0.0))
                    }
                    FlightDistanceKind::Multiply => {
                        format!("great circle x {} ({id})", fd.factor.unwrap_or(1.0))
                    }
                    FlightDistanceKind::AddKmBands => format!(
                        "great circle + {:.0} km ({id} bands)",
                        self.distance_km - self.great_circle_km
                    ),
                    FlightDistanceKind::None => {
                        format!("great circle; uplift inside the {id} factor")
                    }
                }
            }
        }
    }
}

/// Chooses a leg's factor and travelled distance (see [`leg`]); `gc_km` is the geodesic km
/// between the stops, `distance_km` a given travelled distance.
pub fn choose_leg<'a>(
    packs: &'a PackSet,
    from: &Stop,
    to: &Stop,
    spec: &TripSpec,
    opts: &'a CalcOptions,
    distance_km: Option<f64>,
    gc_km: f64,
) -> Result<LegChoice<'a>, JourneyError> {
    if let Some(d) = distance_km
        && (!d.is_finite() || d <= 0.0)
    {
        return Err(JourneyError::Distance(d));
    }
    let mut q = FactorQuery::new(spec.mode);
    q.cabin = spec.cabin;
    q.size = spec.size;
    q.fuel = spec.fuel;
    q.kind = spec.kind.clone();
    // A given travelled distance sets the flight band (a 10,000 km flight given between two
    // nearby airports is long-haul); otherwise the great circle does.
    q.great_circle_km = distance_km.unwrap_or(gc_km);
    q.domestic = !from.country_code.is_empty() && from.country_code == to.country_code;
    q.haul_override = opts
        .haul_override
        .clone()
        .filter(|_| spec.mode == Mode::Flight);
    let sel = packs.select(&opts.pack, &q)?;
    let band = (spec.mode == Mode::Flight).then(|| {
        if q.haul_override.is_some() {
            BandBasis::Forced
        } else if q.domestic && sel.pack.conventions.flight_bands.domestic.is_some() {
            BandBasis::Domestic
        } else if let Some(d) = distance_km {
            BandBasis::Given(d)
        } else {
            BandBasis::GreatCircle(gc_km)
        }
    });
    let blend = match band {
        Some(BandBasis::GreatCircle(_) | BandBasis::Given(_))
            if opts.flight_bands == FlightBandRule::Smooth =>
        {
            smooth_blend(packs, &opts.pack, &q, sel.pack)?
        }
        _ => None,
    };
    let (distance_km, how) = match distance_km {
        Some(d) => (d, DistanceHow::Given),
        None if spec.mode == Mode::Flight => (
            sel.pack.conventions.flight_distance.apply(gc_km),
            DistanceHow::Flight,
        ),
        None => {
            let k = sel.pack.detour(spec.mode);
            (gc_km * k, DistanceHow::Detour(k))
        }
    };
    // Train legs by the countries crossed, unless the pack's single factor is asked for
    // (`--rail-factor pack`) or an explicit kind (e.g. `international`) chose the factor.
    let rail = if spec.mode == Mode::Train
        && opts.rail_factor == RailFactor::Country
        && spec.kind.is_none()
    {
        let table = RailTable::bundled();
        crate::rail::countries_crossed(
            from.position,
            &from.country_code,
            to.position,
            &to.country_code,
        )
        .into_iter()
        .map(|s| {
            let v = table.get(&s.country);
            (s, v)
        })
        .collect()
    } else {
        Vec::new()
    };
    Ok(LegChoice {
        selected: sel,
        mode: spec.mode,
        great_circle_km: gc_km,
        distance_km,
        how,
        band,
        blend,
        rail,
    })
}

/// The smooth-bands blend of a flight of `q.great_circle_km` on the bands of `pack` (the pack
/// that holds the flight factors), or `None` outside every blending window.
fn smooth_blend<'a>(
    packs: &'a PackSet,
    pack_id: &str,
    q: &FactorQuery,
    pack: &crate::factors::FactorPack,
) -> Result<Option<Blend<'a>>, JourneyError> {
    let bands = &pack.conventions.flight_bands;
    let Some(at) = bands.blend(q.great_circle_km) else {
        return Ok(None);
    };
    let in_band = |i: usize| {
        let mut b = q.clone();
        b.haul_override = Some(bands.bands[i].id.clone());
        packs.select(pack_id, &b)
    };
    let (below, above) = (in_band(at.below)?, in_band(at.above)?);
    if below.factor.unit != above.factor.unit {
        return Ok(None);
    }
    Ok(Some(Blend {
        words: bands.describe_blend(&at),
        below,
        above,
        at,
    }))
}

/// The factor of a flight inside a smooth-bands window: the weighted parts of both bands'
/// factors; the id, pack and row are those of the band with the larger weight, the label,
/// source and notes name both.
fn blend_factor_use(b: &Blend<'_>, opts: &CalcOptions) -> FactorUse {
    let t = b.at.above_share;
    let (main, other) = if t >= 0.5 {
        (&b.above, &b.below)
    } else {
        (&b.below, &b.above)
    };
    let parts = b.parts(opts);
    let (lo, hi) = (b.below.factor, b.above.factor);
    let mut notes: Vec<String> = Vec::new();
    for n in b.below.notes.iter().chain(&b.above.notes) {
        if !notes.contains(n) {
            notes.push(n.clone());
        }
    }
    notes.push(format!(
        "flight factor {}: {} and {}",
        b.words, lo.id, hi.id
    ));
    let source = if lo.source == hi.source {
        lo.source.clone()
    } else {
        format!("{}; {}", lo.source, hi.source)
    };
    FactorUse {
        pack: main.pack.id.clone(),
        id: main.factor.id.clone(),
        label: format!(
            "{:.0} % {} + {:.0} % {}",
            100.0 - (t * 100.0).round(),
            lo.label,
            (t * 100.0).round(),
            hi.label
        ),
        value: parts.total(),
        unit: main.factor.unit,
        parts,
        source,
        table: main.factor.table.clone(),
        row: format!("{}; {}", lo.row, hi.row),
        year: lo.year.min(hi.year),
        reliability: main
            .factor
            .reliability
            .clone()
            .max(other.factor.reliability.clone()),
        notes,
        countries: Vec::new(),
    }
}

/// Checks travellers and occupancy of a spec.
pub fn validate_spec(spec: &TripSpec) -> Result<(), JourneyError> {
    if !spec.travellers.is_finite() || spec.travellers <= 0.0 {
        return Err(JourneyError::Travellers(spec.travellers));
    }
    if !spec.occupancy.is_finite() || spec.occupancy < 1.0 {
        return Err(JourneyError::Occupancy(spec.occupancy));
    }
    Ok(())
}

/// Emissions of a journey through `stops` (origin, vias..., destination).
///
/// A given `spec.distance_km` is the one-way travelled distance of the whole route; with
/// several legs it is shared out in proportion to their computed distances.
pub fn estimate(
    packs: &PackSet,
    stops: &[Stop],
    spec: &TripSpec,
    opts: &CalcOptions,
) -> Result<Estimate, JourneyError> {
    if stops.len() < 2 {
        return Err(JourneyError::TooFewStops);
    }
    validate_spec(spec)?;
    let mut legs = Vec::with_capacity(stops.len() - 1);
    for w in stops.windows(2) {
        legs.push(leg(packs, &w[0], &w[1], spec, opts, None)?);
    }
    if let Some(d) = spec.distance_km {
        if !d.is_finite() || d <= 0.0 {
            return Err(JourneyError::Distance(d));
        }
        let computed: f64 = legs.iter().map(|l| l.distance_km).sum();
        let n = legs.len();
        let mut redone = Vec::with_capacity(n);
        for (w, l) in stops.windows(2).zip(&legs) {
            let km = leg_distance_km(l.distance_km, computed, n, Some(d));
            redone.push(leg(packs, &w[0], &w[1], spec, opts, Some(km))?);
        }
        legs = redone;
    }
    Ok(combine(spec, legs))
}

/// Scales one-way, one-traveller legs (from [`leg`]) to the journey with
/// [`journey_figures`]: travellers, round trip. Each leg's own figures become those of all
/// travellers, one way.
///
/// # Panics
/// If `legs` is empty (a journey has at least one leg; [`estimate`] guarantees it).
pub fn combine(spec: &TripSpec, mut legs: Vec<LegEstimate>) -> Estimate {
    let travel = Travel {
        given_km: None,
        ..Travel::of(spec)
    };
    let figures: Vec<LegFigures> = legs
        .iter()
        .map(|l| LegFigures {
            distance_km: l.distance_km,
            per_unit: l.factor.parts,
            unit: l.factor.unit,
        })
        .collect();
    let j = journey_figures(&figures, &travel);
    let all_travellers = Travel {
        round_trip: false,
        ..travel
    };
    for (l, f) in legs.iter_mut().zip(&figures) {
        l.parts = journey_figures(std::slice::from_ref(f), &all_travellers).parts;
        l.co2e_kg = l.parts.total();
    }
    let gc: f64 = legs.iter().map(|l| l.great_circle_km).sum();
    let longest = legs
        .iter()
        .max_by(|a, b| a.distance_km.total_cmp(&b.distance_km))
        .map(|l| l.factor.clone())
        .unwrap_or_else(|| legs[0].factor.clone());
    let co2e = j.co2e_kg();
    Estimate {
        mode: spec.mode,
        great_circle_km: gc,
        distance_km: j.distance_km,
        passenger_km: j.passenger_km,
        round_trip: spec.round_trip,
        travellers: spec.travellers,
        occupancy: spec.occupancy,
        co2e_kg: co2e,
        co2e_kg_per_person: co2e / spec.travellers,
        parts: j.parts,
        factor: longest,
        legs,
    }
}

impl Stop {
    /// The stop for a resolved place, labelled "Name (CC)".
    pub fn from_place(p: &crate::places::Place) -> Stop {
        Stop {
            name: p.name.clone(),
            label: if p.country_code.is_empty() {
                p.name.clone()
            } else {
                format!("{} ({})", p.name, p.country_code)
            },
            position: LatLon {
                lat_deg: p.lat_deg,
                lon_deg: p.lon_deg,
            },
            country_code: p.country_code.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stop(lat: f64, lon: f64, cc: &str) -> Stop {
        Stop {
            label: format!("{lat},{lon}"),
            name: format!("{lat},{lon}"),
            position: LatLon::new(lat, lon).unwrap(),
            country_code: cc.into(),
        }
    }

    /// One way NL - ES with the packs' own factors (no rail by country).
    fn one_way(mode: Mode) -> Estimate {
        let s = TripSpec::new(mode);
        let opts = CalcOptions {
            rail_factor: RailFactor::Pack,
            ..CalcOptions::default()
        };
        estimate(
            PackSet::bundled(),
            &[stop(52.0, 4.0, "NL"), stop(40.0, -3.0, "ES")],
            &s,
            &opts,
        )
        .unwrap()
    }

    /// DESNZ 2025 rows, TTW + WTT (+ RF for flights), kg CO2e per unit.
    #[test]
    fn desnz_factor_reproduced_exactly() {
        let cases = [
            (Mode::Train, 0.03546 + 0.00897),
            (Mode::Coach, 0.02776 + 0.00656),
            (Mode::Car, 0.16725 + 0.04399),
            (Mode::Bus, 0.10385 + 0.02649),
            (Mode::Flight, 0.12576 + 0.02249), // short-haul economy with RF (1,438 km)
        ];
        for (m, f) in cases {
            let e = one_way(m);
            let ratio = e.co2e_kg / e.distance_km;
            assert!((ratio - f).abs() < 1e-12, "{m}: {ratio} vs {f}");
        }
    }

    #[test]
    fn great_circle_matches_karney() {
        // Reference: PROJ 9 / pyproj Geod(ellps="WGS84").inv (Karney's algorithm, C library).
        let e = one_way(Mode::Train);
        assert!((e.great_circle_km * 1000.0 - 1_438_174.800713).abs() < 1.0);
        let detour = e.distance_km / e.great_circle_km;
        assert!((detour - 1.2).abs() < 1e-12);
    }

    #[test]
    fn no_rf_and_ttw_only() {
        let s = TripSpec::new(Mode::Flight);
        let stops = [stop(52.0, 4.0, "NL"), stop(40.0, -3.0, "ES")];
        let opts = CalcOptions {
            include_rf: false,
            ..CalcOptions::default()
        };
        let e = estimate(PackSet::bundled(), &stops, &s, &opts).unwrap();
        assert!((e.co2e_kg / e.distance_km - (0.07435 + 0.02249)).abs() < 1e-12);
        assert_eq!(e.parts.non_co2, 0.0);
        let opts = CalcOptions {
            include_wtt: false,
            ..CalcOptions::default()
        };
        let e = estimate(PackSet::bundled(), &stops, &s, &opts).unwrap();
        assert!((e.co2e_kg / e.distance_km - 0.12576).abs() < 1e-12);
    }

    #[test]
    fn long_haul_and_domestic_bands() {
        let s = TripSpec::new(Mode::Flight);
        let ams_nyc = [stop(52.3, 4.76, "NL"), stop(40.64, -73.78, "US")];
        let e = estimate(PackSet::bundled(), &ams_nyc, &s, &CalcOptions::default()).unwrap();
        assert_eq!(e.legs[0].haul.as_deref(), Some("long"));
        assert!((e.co2e_kg / e.distance_km - (0.11704 + 0.02461)).abs() < 1e-12);
        let dom = [stop(52.3, 4.76, "NL"), stop(50.9, 5.77, "NL")];
        let e = estimate(PackSet::bundled(), &dom, &s, &CalcOptions::default()).unwrap();
        assert_eq!(e.legs[0].haul.as_deref(), Some("domestic"));
    }

    #[test]
    fn premium_short_haul_falls_back_with_a_note() {
        let mut s = TripSpec::new(Mode::Flight);
        s.cabin = Cabin::Premium;
        let e = estimate(
            PackSet::bundled(),
            &[stop(52.0, 4.0, "NL"), stop(40.0, -3.0, "ES")],
            &s,
            &CalcOptions::default(),
        )
        .unwrap();
        assert_eq!(e.factor.id, "flight.short.economy");
        assert!(!e.factor.notes.is_empty());
    }

    #[test]
    fn a_given_distance_sets_the_flight_band_and_says_so() {
        let mut s = TripSpec::new(Mode::Flight);
        let paris_madrid = [stop(48.85, 2.35, "FR"), stop(40.4, -3.7, "ES")];
        let e = estimate(
            PackSet::bundled(),
            &paris_madrid,
            &s,
            &CalcOptions::default(),
        )
        .unwrap();
        assert_eq!(e.legs[0].haul.as_deref(), Some("short"));
        assert!(
            e.legs[0]
                .haul_basis
                .as_deref()
                .unwrap()
                .starts_with("great-circle")
        );
        s.distance_km = Some(10_000.0);
        let e = estimate(
            PackSet::bundled(),
            &paris_madrid,
            &s,
            &CalcOptions::default(),
        )
        .unwrap();
        assert_eq!(e.legs[0].haul.as_deref(), Some("long"));
        assert_eq!(
            e.legs[0].haul_basis.as_deref(),
            Some("given distance 10000 km")
        );
        assert!((e.co2e_kg / 10_000.0 - (0.11704 + 0.02461)).abs() < 1e-12);
    }

    #[test]
    fn a_train_inside_one_country_uses_that_countrys_rail_factor() {
        let s = TripSpec::new(Mode::Train);
        // Enschede - Amsterdam (NL), Lyon - Paris (FR).
        for (a, b, cc, kg) in [
            (
                stop(52.22, 6.89, "NL"),
                stop(52.37, 4.90, "NL"),
                "NL",
                0.00136,
            ),
            (
                stop(45.76, 4.84, "FR"),
                stop(48.85, 2.35, "FR"),
                "FR",
                0.00481,
            ),
        ] {
            let e = estimate(PackSet::bundled(), &[a, b], &s, &CalcOptions::default()).unwrap();
            assert_eq!(e.factor.id, format!("train.{cc}"));
            assert!((e.co2e_kg / e.distance_km - kg).abs() < 1e-12);
            assert_eq!(e.legs[0].countries.len(), 1);
            assert_eq!(e.legs[0].countries[0].km, e.distance_km);
        }
    }

    proptest! {
        #[test]
        fn rail_split_km_add_up_and_kg_is_the_sum_of_the_parts(
            a in 40.0f64..58.0, b in -5.0f64..25.0, c in 40.0f64..58.0, d in -5.0f64..25.0,
        ) {
            let stops = [stop(a, b, ""), stop(c, d, "")];
            let e = estimate(PackSet::bundled(), &stops, &TripSpec::new(Mode::Train), &CalcOptions::default()).unwrap();
            let l = &e.legs[0];
            if !l.countries.is_empty() {
                let km: f64 = l.countries.iter().map(|p| p.km).sum();
                prop_assert!((km - l.distance_km).abs() <= 1e-9 * l.distance_km.max(1.0));
                let kg: f64 = l.countries.iter().map(|p| p.km * p.factor).sum();
                prop_assert!((kg - l.co2e_kg).abs() <= 1e-9 * l.co2e_kg.max(1e-6));
            }
        }
    }

    #[test]
    fn bike_uses_the_declared_fallback_pack() {
        let e = one_way(Mode::Bike);
        assert_eq!(e.factor.pack, "ademe-2025");
        assert!(e.factor.notes[0].contains("fallback"));
    }

    #[test]
    fn vias_add_legs() {
        let mut s = TripSpec::new(Mode::Train);
        s.round_trip = true;
        let stops = [
            stop(52.0, 4.0, "NL"),
            stop(48.85, 2.35, "FR"),
            stop(40.0, -3.0, "ES"),
        ];
        let e = estimate(PackSet::bundled(), &stops, &s, &CalcOptions::default()).unwrap();
        assert_eq!(e.legs.len(), 2);
        let sum: f64 = e.legs.iter().map(|l| l.co2e_kg).sum();
        assert!((e.co2e_kg - 2.0 * sum).abs() < 1e-9);
    }

    #[test]
    fn bad_specs_are_errors() {
        let stops = [stop(52.0, 4.0, "NL"), stop(40.0, -3.0, "ES")];
        let mut s = TripSpec::new(Mode::Car);
        s.travellers = -1.0;
        assert!(matches!(
            estimate(PackSet::bundled(), &stops, &s, &CalcOptions::default()),
            Err(JourneyError::Travellers(_))
        ));
        let mut s = TripSpec::new(Mode::Car);
        s.occupancy = 0.5;
        assert!(matches!(
            estimate(PackSet::bundled(), &stops, &s, &CalcOptions::default()),
            Err(JourneyError::Occupancy(_))
        ));
        let mut s = TripSpec::new(Mode::Car);
        s.distance_km = Some(f64::NAN);
        assert!(estimate(PackSet::bundled(), &stops, &s, &CalcOptions::default()).is_err());
        assert!(matches!(
            estimate(
                PackSet::bundled(),
                &stops[..1],
                &TripSpec::new(Mode::Car),
                &CalcOptions::default()
            ),
            Err(JourneyError::TooFewStops)
        ));
    }

    proptest! {
        #[test]
        fn linear_in_travellers_round_trip_doubles_occupancy_divides(
            a in -80.0f64..80.0, b in -179.0f64..179.0, c in -80.0f64..80.0, d in -179.0f64..179.0,
            n in 1u32..50, occ in 1u32..6, mode_i in 0usize..Mode::ALL.len(),
        ) {
            let mode = Mode::ALL[mode_i];
            let stops = [stop(a, b, "AA"), stop(c, d, "BB")];
            let opts = CalcOptions::default();
            let one = estimate(PackSet::bundled(), &stops, &TripSpec::new(mode), &opts).unwrap();
            prop_assert!(one.co2e_kg >= 0.0);
            let mut s = TripSpec::new(mode);
            s.travellers = n as f64;
            let many = estimate(PackSet::bundled(), &stops, &s, &opts).unwrap();
            prop_assert!((many.co2e_kg - n as f64 * one.co2e_kg).abs() <= 1e-9 * many.co2e_kg.max(1.0));
            s.round_trip = true;
            let rt = estimate(PackSet::bundled(), &stops, &s, &opts).unwrap();
            prop_assert!((rt.co2e_kg - 2.0 * many.co2e_kg).abs() <= 1e-9 * rt.co2e_kg.max(1.0));
            let mut s = TripSpec::new(mode);
            s.occupancy = occ as f64;
            let shared = estimate(PackSet::bundled(), &stops, &s, &opts).unwrap();
            if mode.is_shared_vehicle() {
                prop_assert!((shared.co2e_kg * occ as f64 - one.co2e_kg).abs() <= 1e-9 * one.co2e_kg.max(1.0));
            }
            let rev = estimate(PackSet::bundled(), &[stops[1].clone(), stops[0].clone()], &TripSpec::new(mode), &opts).unwrap();
            prop_assert_eq!(rev.great_circle_km, one.great_circle_km);
        }
    }

    /// kg CO2e per passenger-km of a flight of `km` (given) between NL and ES, for `pack`,
    /// `cabin` and band rule.
    fn flight_per_km(pack: &str, cabin: Cabin, rule: FlightBandRule, km: f64) -> f64 {
        let mut s = TripSpec::new(Mode::Flight);
        s.cabin = cabin;
        s.distance_km = Some(km);
        let opts = CalcOptions {
            pack: pack.into(),
            flight_bands: rule,
            ..CalcOptions::default()
        };
        let stops = [stop(52.0, 4.0, "NL"), stop(40.0, -3.0, "ES")];
        let e = estimate(PackSet::bundled(), &stops, &s, &opts).unwrap();
        e.co2e_kg / e.distance_km
    }

    const CABINS: [Cabin; 5] = [
        Cabin::Economy,
        Cabin::Premium,
        Cabin::Business,
        Cabin::First,
        Cabin::Average,
    ];

    fn edges(pack: &str) -> Vec<f64> {
        let b = &PackSet::bundled()
            .get(pack)
            .unwrap()
            .conventions
            .flight_bands
            .bands;
        b.iter()
            .take(b.len() - 1)
            .filter_map(|x| x.max_km)
            .collect()
    }

    #[test]
    fn smooth_bands_take_the_jump_out_of_every_band_edge_of_every_pack() {
        for pack in ["desnz-2025", "ademe-2025", "nl-2025"] {
            for e in edges(pack) {
                for c in CABINS {
                    let kg = |rule, km| flight_per_km(pack, c, rule, km) * km;
                    let (a, b) = (
                        kg(FlightBandRule::Smooth, e - 1.0),
                        kg(FlightBandRule::Smooth, e + 1.0),
                    );
                    let diff = (b / a - 1.0).abs();
                    assert!(diff < 0.005, "{pack} {c:?} at {e} km: {a} vs {b}");
                }
            }
        }
        // The case: DESNZ economy with RF jumps by 4.4 % on published bands.
        let p = |km| flight_per_km("desnz-2025", Cabin::Economy, FlightBandRule::Published, km);
        assert!((p(3699.0) * 3699.0 - 548.37675).abs() < 1e-6);
        assert!((p(3701.0) * 3701.0 - 524.24665).abs() < 1e-6);
    }

    #[test]
    fn smooth_bands_say_the_blend_and_leave_domestic_and_forced_hauls_alone() {
        let mut s = TripSpec::new(Mode::Flight);
        s.distance_km = Some(3450.0);
        let smooth = CalcOptions {
            flight_bands: FlightBandRule::Smooth,
            ..CalcOptions::default()
        };
        let nl_es = [stop(52.0, 4.0, "NL"), stop(40.0, -3.0, "ES")];
        let e = estimate(PackSet::bundled(), &nl_es, &s, &smooth).unwrap();
        let l = &e.legs[0];
        assert_eq!(
            l.band_blend.as_deref(),
            Some("blended 75 % short / 25 % long (smooth bands, ±500 km around the 3700 km edge)")
        );
        assert!(
            l.haul_basis
                .as_deref()
                .unwrap()
                .contains("blended 75 % short")
        );
        assert_eq!(l.factor.id, "flight.short.economy");
        // The published short- and long-haul factors, weighted 3:1.
        let p = |km| flight_per_km("desnz-2025", Cabin::Economy, FlightBandRule::Published, km);
        let want = 0.75 * p(3000.0) + 0.25 * p(4500.0);
        assert!((l.factor.value - want).abs() < 1e-12, "{}", l.factor.value);
        let dom = [stop(52.3, 4.76, "NL"), stop(50.9, 5.77, "NL")];
        for stops in [&dom[..], &nl_es[..]] {
            let forced = CalcOptions {
                haul_override: (stops == &nl_es[..]).then(|| "international".to_string()),
                ..smooth.clone()
            };
            let published = CalcOptions {
                flight_bands: FlightBandRule::Published,
                ..forced.clone()
            };
            let a = estimate(PackSet::bundled(), stops, &s, &forced).unwrap();
            let b = estimate(PackSet::bundled(), stops, &s, &published).unwrap();
            assert_eq!(a.co2e_kg, b.co2e_kg);
            assert_eq!(a.legs[0].band_blend, None);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Smooth bands: equal to the published factor outside every blending window, and
        /// continuous (Lipschitz with the largest band jump over the window) everywhere.
        #[test]
        fn smooth_factor_is_continuous_and_published_outside_the_windows(
            pack in prop::sample::select(vec!["desnz-2025", "ademe-2025", "nl-2025"]),
            ci in 0usize..5,
            km in 50.0f64..20_000.0,
            step in 0.001f64..2.0,
        ) {
            let c = CABINS[ci];
            let f = |rule, d| flight_per_km(pack, c, rule, d);
            let w = crate::factors::SMOOTH_HALF_WINDOW_KM;
            let es = edges(pack);
            if es.iter().all(|e| (km - e).abs() >= w) {
                let (s, p) = (f(FlightBandRule::Smooth, km), f(FlightBandRule::Published, km));
                prop_assert!((s - p).abs() < 1e-12, "{s} vs {p}");
            }
            // The largest factor gap between any two bands of this cabin bounds the slope.
            let band_values: Vec<f64> = es
                .iter()
                .flat_map(|e| [e - w - 1.0, e + w + 1.0])
                .map(|d| f(FlightBandRule::Published, d.max(1.0)))
                .collect();
            let hi = band_values.iter().copied().fold(f64::MIN, f64::max);
            let lo = band_values.iter().copied().fold(f64::MAX, f64::min);
            let slope = (hi - lo) / (2.0 * w);
            let (a, b) = (f(FlightBandRule::Smooth, km), f(FlightBandRule::Smooth, km + step));
            prop_assert!((a - b).abs() <= slope * step + 1e-12, "{a} -> {b} over {step} km");
        }
    }
}
