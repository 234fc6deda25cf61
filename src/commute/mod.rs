//! Commuting (GHG Protocol scope 3, category 7) from a survey of staff and students,
//! extrapolated to the whole population per group.
//!
//! # Method
//! 1. **One-way distance** of a respondent: the geodesic (WGS84) distance from home (a Dutch
//!    PC4 postcode centroid or any place the gazetteer resolves) to the campus, times the
//!    factor pack's detour factor for the mode — computed by the engine's
//!    [`leg`](crate::journey::leg) — or the `one_way_km` the respondent gave.
//! 2. **Annual emissions** of a respondent: for each mode with its share of the campus days,
//!    `2 × one-way km × days per week × weeks per year × share × factor`, where a factor per
//!    vehicle-km (car, motorbike) is divided by the occupancy.
//! 3. **Extrapolation**: every respondent of group *g* stands for
//!    `population(g) ÷ respondents(g)` people (headcount or FTE, as the configuration says).
//!    A group with a population but no respondents is an error unless the configuration
//!    names an assumption (`"assume": {"phd": "staff"}`: the per-capita figure of staff is
//!    used), which is always reported.
//! 4. **Sampling uncertainty**: a seeded bootstrap ([`bootstrap()`]) resamples respondents
//!    within each group and recomputes the extrapolated total.
//! 5. **Telework**: the round trips that telework days replace are reported as *avoided*
//!    emissions (a memo line, never subtracted); home-working emissions per telework day are
//!    an optional line with their own factor and source.
//! 6. **Privacy**: breakdowns never show a cell with fewer respondents than the minimum cell
//!    size ([`merge_small_cells`]).

mod bootstrap;
mod privacy;
mod survey;
pub mod synthetic;

pub use bootstrap::{
    BootstrapOptions, BootstrapResult, GroupSample, Interval, bootstrap, percentile,
};
pub use privacy::{Cell, Merged, merge_small_cells, merged_label};
pub use survey::{
    F_DAYS_PER_WEEK, F_FUEL, F_GROUP, F_HOME, F_ID, F_MODE, F_OCCUPANCY, F_ONE_WAY_KM, F_POSTCODE,
    F_SECOND_MODE, F_SECOND_MODE_SHARE, F_SIZE, F_TELEWORK_DAYS, F_WEEKS_PER_YEAR, SurveyContext,
    SurveyRead, SurveyReject, read_survey, schema,
};

use crate::factors::{FactorError, PackSet, Parts};
use crate::journey::{CalcOptions, JourneyError, Stop, TripSpec, leg};
use crate::mode::{Fuel, Mode, Size};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What a group's population counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PopulationUnit {
    /// People (the default).
    #[default]
    Headcount,
    /// Full-time equivalents.
    Fte,
}

impl PopulationUnit {
    /// `headcount` or `FTE`, for tables.
    pub fn label(self) -> &'static str {
        match self {
            PopulationUnit::Headcount => "headcount",
            PopulationUnit::Fte => "FTE",
        }
    }
}

/// What a group is, for per-capita figures and the WPM report (which covers employees only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Employees (staff, PhD candidates employed by the university).
    Staff,
    /// Students.
    Student,
    /// Anyone else (guests, contractors ...; the default).
    #[default]
    Other,
}

impl Role {
    /// Lowercase name.
    pub fn key(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Student => "student",
            Role::Other => "other",
        }
    }
}

/// A population group as the inventory configuration declares it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The group's name (matched case-insensitively against the survey's `group` column).
    pub name: String,
    /// How many people (or FTE) the group has.
    pub population: f64,
    /// Headcount or FTE.
    pub unit: PopulationUnit,
    /// Weeks per year on campus when a respondent does not say.
    pub weeks_per_year: f64,
    /// Staff, student or other.
    pub role: Role,
    /// The group whose per-capita figure stands in when this group has no respondents.
    pub assume: Option<String>,
}

/// One mode of a respondent's commute and the share of campus days it is used on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ModeShare {
    /// The mode.
    pub mode: Mode,
    /// Share of the campus days (0..=1); the shares of a respondent add up to 1.
    pub share_of_days: f64,
}

/// One survey respondent (or a part of one, see [`Commuter::share`]) as the inventory keeps
/// it: everything needed to recompute the commute after a scenario changed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commuter {
    /// The survey file.
    #[serde(serialize_with = "serialize_arc_str")]
    pub file: Arc<str>,
    /// Physical line in the file.
    pub line: u64,
    /// The respondent's `id` (empty when absent).
    pub id: String,
    /// Index of the respondent; rows split by a scenario keep the index of their respondent.
    /// The bootstrap resamples respondents, not rows.
    pub respondent: u32,
    /// Fraction of the respondent this row stands for (1 unless a scenario split the row).
    pub share: f64,
    /// Group (as named in the configuration).
    pub group: String,
    /// Home, when given as a postcode or place.
    pub home: Option<Stop>,
    /// Gazetteer id of the home (`pc4:7522`, `geonames:2756071` ...).
    pub home_id: Option<String>,
    /// Travelled km one way as the respondent gave it (replaces the computed distance).
    pub one_way_km: Option<f64>,
    /// Modes and their shares of the campus days.
    pub modes: Vec<ModeShare>,
    /// Days per week on campus (0..=7).
    pub days_per_week: f64,
    /// Days per week working from home (0..=7, days + telework <= 7).
    pub telework_days: f64,
    /// Weeks per year the commute happens (the row's value or the group's default).
    pub weeks_per_year: f64,
    /// People per car or motorbike (>= 1).
    pub occupancy: f64,
    /// Car fuel (unknown unless given).
    pub fuel: Fuel,
    /// Car or motorbike size.
    pub size: Size,
    /// Every other column of the survey: name → value.
    pub dimensions: Vec<(String, String)>,
}

impl Commuter {
    /// Checks the ranges a scenario could break: days, telework, weeks, shares, occupancy.
    ///
    /// # Errors
    /// A message naming the field and the value.
    pub fn validate(&self) -> Result<(), String> {
        let in_range = |v: f64, lo: f64, hi: f64| v.is_finite() && v >= lo && v <= hi;
        if !in_range(self.days_per_week, 0.0, 7.0) {
            return Err(format!(
                "days_per_week must be between 0 and 7, got {}",
                self.days_per_week
            ));
        }
        if !in_range(self.telework_days, 0.0, 7.0) {
            return Err(format!(
                "telework_days must be between 0 and 7, got {}",
                self.telework_days
            ));
        }
        if self.days_per_week + self.telework_days > 7.0 + 1e-9 {
            return Err(format!(
                "days on campus ({}) plus telework days ({}) exceed 7",
                self.days_per_week, self.telework_days
            ));
        }
        if !in_range(self.weeks_per_year, 0.0, 53.0) {
            return Err(format!(
                "weeks_per_year must be between 0 and 53, got {}",
                self.weeks_per_year
            ));
        }
        if !in_range(self.share, 0.0, 1.0) {
            return Err(format!("share must be between 0 and 1, got {}", self.share));
        }
        if !self.occupancy.is_finite() || self.occupancy < 1.0 {
            return Err(format!(
                "occupancy must be at least 1, got {}",
                self.occupancy
            ));
        }
        if let Some(d) = self.one_way_km {
            if !d.is_finite() || d < 0.0 {
                return Err(format!(
                    "one_way_km must be a finite number of at least 0, got {d}"
                ));
            }
        }
        if self.modes.is_empty() {
            return Err("no mode".into());
        }
        let sum: f64 = self.modes.iter().map(|m| m.share_of_days).sum();
        if self
            .modes
            .iter()
            .any(|m| !in_range(m.share_of_days, 0.0, 1.0))
            || (sum - 1.0).abs() > 1e-6
        {
            return Err(format!(
                "the modes' shares of days must be between 0 and 1 and add up to 1, got {sum}"
            ));
        }
        Ok(())
    }
}

/// Serialises an `Arc<str>` as a string.
pub(crate) fn serialize_arc_str<S: serde::Serializer>(
    v: &Arc<str>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

/// One mode of a commute, one way, one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommuteLeg {
    /// Mode.
    pub mode: Mode,
    /// Share of the campus days.
    pub share_of_days: f64,
    /// Geodesic km home → campus (0 when only `one_way_km` was given).
    pub great_circle_km: f64,
    /// Travelled km one way (detour applied, or as given).
    pub one_way_km: f64,
    /// How the distance was obtained ("great circle x 1.3 detour (desnz-2025)", "given").
    pub distance_method: String,
    /// kg CO2e of one one-way trip (occupancy applied).
    pub one_way_co2e_kg: f64,
    /// Parts of `one_way_co2e_kg`.
    pub one_way_parts: Parts,
    /// Pack of the factor.
    pub factor_pack: String,
    /// Factor id.
    pub factor_id: String,
    /// Fallbacks taken in the factor lookup.
    pub notes: Vec<String>,
}

/// A respondent's year of commuting (one person, before extrapolation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommuteYear {
    /// Modes, one way.
    pub legs: Vec<CommuteLeg>,
    /// One-way trips a year: `2 × days per week × weeks per year`.
    pub trips_per_year: f64,
    /// Person-km a year.
    pub distance_km: f64,
    /// kg CO2e a year.
    pub co2e_kg: f64,
    /// Parts of `co2e_kg`.
    pub parts: Parts,
    /// Telework days a year: `telework days per week × weeks per year`.
    pub telework_days_per_year: f64,
    /// Person-km of the round trips that telework days replace.
    pub telework_avoided_km: f64,
    /// kg CO2e of the round trips that telework days replace (a memo, never subtracted).
    pub telework_avoided_kg: f64,
    /// Home-working kg CO2e (telework days × the configured factor; 0 when none).
    pub home_working_kg: f64,
}

impl CommuteYear {
    /// Person-km and kg CO2e a year of one mode.
    pub fn by_mode(&self) -> impl Iterator<Item = (Mode, f64, f64)> + '_ {
        self.legs.iter().map(|l| {
            let trips = self.trips_per_year * l.share_of_days;
            (l.mode, l.one_way_km * trips, l.one_way_co2e_kg * trips)
        })
    }
}

/// Home-working emissions per telework day, with the source of the number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeWorking {
    /// kg CO2e per telework day (heating, electricity, equipment at home).
    pub kg_per_day: f64,
    /// Where the number comes from.
    pub source: String,
}

/// The moped variant for a fuel: battery-electric mopeds have their own factor in some packs.
fn moped_kind(mode: Mode, fuel: Fuel) -> Option<String> {
    (mode == Mode::Moped && fuel == Fuel::Bev).then(|| "electric".to_string())
}

/// One leg home → campus for one person, one way.
fn commute_leg(
    packs: &PackSet,
    campus: &Stop,
    c: &Commuter,
    m: &ModeShare,
    opts: &CalcOptions,
) -> Result<CommuteLeg, JourneyError> {
    let mut spec = TripSpec::new(m.mode);
    if m.mode.is_shared_vehicle() {
        spec.occupancy = c.occupancy;
        spec.size = c.size;
    }
    if m.mode == Mode::Car {
        spec.fuel = c.fuel;
    }
    spec.kind = moped_kind(m.mode, c.fuel);
    let from = c.home.as_ref().unwrap_or(campus);
    // A given distance: the factor per km times the distance (0 km is a valid answer).
    let given = c.one_way_km.map(|_| 1.0);
    let mut extra_note = None;
    let l = match leg(packs, from, campus, &spec, opts, given) {
        Err(JourneyError::Factor(FactorError::NoFactor { .. })) if spec.kind.is_some() => {
            spec.kind = None;
            extra_note = Some(format!(
                "no electric {} factor in {}: the default {} factor used",
                m.mode, opts.pack, m.mode
            ));
            leg(packs, from, campus, &spec, opts, given)?
        }
        other => other?,
    };
    let (one_way_km, parts, method) = match c.one_way_km {
        Some(d) => (d, l.parts.scaled(d), "given".to_string()),
        None => (l.distance_km, l.parts, l.distance_method.clone()),
    };
    let mut notes = l.factor.notes.clone();
    notes.extend(extra_note);
    if m.mode == Mode::Motorbike && matches!(c.fuel, Fuel::Bev) {
        notes.push(format!(
            "{} has no electric motorbike factor: the {} factor used",
            l.factor.pack, l.factor.id
        ));
    }
    Ok(CommuteLeg {
        mode: m.mode,
        share_of_days: m.share_of_days,
        great_circle_km: if c.home.is_some() {
            l.great_circle_km
        } else {
            0.0
        },
        one_way_km,
        distance_method: method,
        one_way_co2e_kg: parts.total(),
        one_way_parts: parts,
        factor_pack: l.factor.pack.clone(),
        factor_id: l.factor.id.clone(),
        notes,
    })
}

/// A respondent's year of commuting: distance per mode from home to `campus` (or as given),
/// the engine's factor for the mode, `2 × days × weeks` one-way trips split over the modes by
/// their shares of days; telework days as avoided trips and optional home-working emissions.
///
/// # Errors
/// A factor the pack lacks, or a row that breaks [`Commuter::validate`].
pub fn commute_year(
    packs: &PackSet,
    campus: &Stop,
    c: &Commuter,
    opts: &CalcOptions,
    home_working: Option<&HomeWorking>,
) -> Result<CommuteYear, JourneyError> {
    let mut legs = Vec::with_capacity(c.modes.len());
    for m in &c.modes {
        legs.push(commute_leg(packs, campus, c, m, opts)?);
    }
    let trips = 2.0 * c.days_per_week * c.weeks_per_year;
    let mut parts = Parts::default();
    let mut distance_km = 0.0;
    let mut day_km = 0.0;
    let mut day_kg = 0.0;
    for l in &legs {
        let t = trips * l.share_of_days;
        parts = parts.plus(&l.one_way_parts.scaled(t));
        distance_km += l.one_way_km * t;
        day_km += 2.0 * l.one_way_km * l.share_of_days;
        day_kg += 2.0 * l.one_way_co2e_kg * l.share_of_days;
    }
    let telework_days_per_year = c.telework_days * c.weeks_per_year;
    Ok(CommuteYear {
        legs,
        trips_per_year: trips,
        distance_km,
        co2e_kg: parts.total(),
        parts,
        telework_days_per_year,
        telework_avoided_km: day_km * telework_days_per_year,
        telework_avoided_kg: day_kg * telework_days_per_year,
        home_working_kg: home_working.map_or(0.0, |h| h.kg_per_day * telework_days_per_year),
    })
}

/// Stated warnings about groups the survey answers but the configuration gives no
/// population: their respondents are read but stand for nobody (a group with
/// `population: 0` and 815 respondents counts 0 kg), which is never silent.
pub fn population_notes(
    groups: &std::collections::BTreeMap<String, Group>,
    commuters: &[Commuter],
) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<&str, std::collections::BTreeSet<u32>> =
        std::collections::BTreeMap::new();
    for c in commuters {
        counts.entry(&c.group).or_default().insert(c.respondent);
    }
    groups
        .iter()
        .filter(|(_, g)| g.population == 0.0)
        .filter_map(|(name, _)| {
            let n = counts.get(name.as_str()).map_or(0, |s| s.len());
            (n > 0).then(|| {
                format!(
                    "group `{name}` has population 0 but {n} respondents: they count as 0 kg; give the group's population to count them"
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::LatLon;

    #[test]
    fn a_group_of_population_zero_with_respondents_is_stated() {
        let mut groups = std::collections::BTreeMap::new();
        groups.insert(
            "staff".to_string(),
            Group {
                name: "staff".into(),
                population: 0.0,
                unit: PopulationUnit::Fte,
                weeks_per_year: 40.0,
                role: Role::Staff,
                assume: None,
            },
        );
        let a = commuter(Mode::Car, 10.0);
        let mut b = a.clone();
        b.respondent = 1;
        let notes = population_notes(&groups, &[a, b]);
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("population 0 but 2 respondents"),
            "{notes:?}"
        );
        groups.get_mut("staff").unwrap().population = 10.0;
        assert!(population_notes(&groups, &[]).is_empty());
    }

    fn campus() -> Stop {
        Stop {
            label: "campus".into(),
            position: LatLon::new(52.2412, 6.8634).unwrap(),
            country_code: "NL".into(),
        }
    }

    pub(crate) fn commuter(mode: Mode, km: f64) -> Commuter {
        Commuter {
            file: Arc::from("t.csv"),
            line: 2,
            id: String::new(),
            respondent: 0,
            share: 1.0,
            group: "staff".into(),
            home: None,
            home_id: None,
            one_way_km: Some(km),
            modes: vec![ModeShare {
                mode,
                share_of_days: 1.0,
            }],
            days_per_week: 4.0,
            telework_days: 1.0,
            weeks_per_year: 40.0,
            occupancy: 1.0,
            fuel: Fuel::Unknown,
            size: Size::Average,
            dimensions: Vec::new(),
        }
    }

    #[test]
    fn car_commute_by_hand() {
        // 10 km x 2 x 4 days x 40 weeks = 3,200 km; DESNZ average car, unknown fuel,
        // TTW 0.16725 + WTT 0.04399 = 0.21124 kg/km -> 675.968 kg.
        let c = commuter(Mode::Car, 10.0);
        let y = commute_year(
            PackSet::bundled(),
            &campus(),
            &c,
            &CalcOptions::default(),
            None,
        )
        .unwrap();
        assert!((y.distance_km - 3200.0).abs() < 1e-9);
        assert!((y.co2e_kg - 675.968).abs() < 1e-9, "{}", y.co2e_kg);
        // One telework day: 2 x 10 km x 40 weeks = 800 km avoided, 168.992 kg.
        assert!((y.telework_avoided_kg - 168.992).abs() < 1e-9);
        let mut shared = c.clone();
        shared.occupancy = 2.0;
        let y2 = commute_year(
            PackSet::bundled(),
            &campus(),
            &shared,
            &CalcOptions::default(),
            None,
        )
        .unwrap();
        assert!((y2.co2e_kg * 2.0 - y.co2e_kg).abs() < 1e-9);
    }

    #[test]
    fn home_place_uses_the_detour_and_zero_km_is_zero() {
        let mut c = commuter(Mode::Train, 0.0);
        c.one_way_km = None;
        c.home = Some(Stop {
            label: "Zwolle".into(),
            position: LatLon::new(52.5168, 6.083).unwrap(),
            country_code: "NL".into(),
        });
        let y = commute_year(
            PackSet::bundled(),
            &campus(),
            &c,
            &CalcOptions::default(),
            None,
        )
        .unwrap();
        let l = &y.legs[0];
        assert!((l.one_way_km / l.great_circle_km - 1.2).abs() < 1e-12);
        let zero = commuter(Mode::Car, 0.0);
        let y = commute_year(
            PackSet::bundled(),
            &campus(),
            &zero,
            &CalcOptions::default(),
            None,
        )
        .unwrap();
        assert_eq!(y.co2e_kg, 0.0);
    }

    #[test]
    fn two_modes_split_the_days_and_home_working_is_its_own_number() {
        let mut c = commuter(Mode::Car, 10.0);
        c.modes = vec![
            ModeShare {
                mode: Mode::Car,
                share_of_days: 0.5,
            },
            ModeShare {
                mode: Mode::Bike,
                share_of_days: 0.5,
            },
        ];
        let hw = HomeWorking {
            kg_per_day: 1.5,
            source: "test".into(),
        };
        let y = commute_year(
            PackSet::bundled(),
            &campus(),
            &c,
            &CalcOptions::default(),
            Some(&hw),
        )
        .unwrap();
        let modes: Vec<(Mode, f64, f64)> = y.by_mode().collect();
        assert!((modes[0].1 - 1600.0).abs() < 1e-9 && (modes[1].1 - 1600.0).abs() < 1e-9);
        assert!((modes[0].2 - 337.984).abs() < 1e-9);
        assert!((y.home_working_kg - 60.0).abs() < 1e-9);
        assert!(c.validate().is_ok());
        c.modes[1].share_of_days = 0.7;
        assert!(c.validate().is_err());
    }

    #[test]
    fn electric_moped_uses_the_electric_factor() {
        let mut c = commuter(Mode::Moped, 5.0);
        c.fuel = Fuel::Bev;
        let y = commute_year(
            PackSet::bundled(),
            &campus(),
            &c,
            &CalcOptions::default(),
            None,
        )
        .unwrap();
        assert_eq!(y.legs[0].factor_id, "moped.electric");
    }
}
