//! Gazetteer: turn free text into a [`Place`] with WGS84 coordinates.
//!
//! The bundled tables (`data/gazetteer/`, see its README for sources and licences) are
//! compiled into the binary and parsed once by [`Gazetteer::bundled`]: 34,006 GeoNames cities
//! (population ≥ 15,000) with 42,332 alternate names and 26 curated exonyms, 252 countries
//! with their names in 13 languages, 7,859 airports with an IATA code, 4,086 Dutch PC4
//! postcode centroids and 128 partner institutions.
//!
//! # Resolution order
//!
//! [`Gazetteer::resolve`] trims the query and tries, first match wins:
//!
//! | # | shape | example | result |
//! | - | ----- | ------- | ------ |
//! | 1 | empty / whitespace | `" "` | [`PlaceError::Empty`] |
//! | 2 | a user alias ([`Gazetteer::add_aliases_tsv`]) | `Enschde` | the alias target |
//! | 3 | an id (`geonames:`, `iata:`, `icao:`, `partner:`, `pc4:`, `coord:`) | `iata:AMS` | that place; every [`Place::id`] resolves back to its place |
//! | 4 | two numbers | `52.24,6.86`, `-33.9 151.2`, `33.9S 151.2E` | [`PlaceKind::Coordinates`] or [`PlaceError::InvalidCoordinates`] |
//! | 5 | a Dutch postcode | `7522`, `7522 NB`, `7522NB` | [`PlaceKind::Postcode`] (PC4 centroid) |
//! | 6 | three capital letters that are an IATA code | `AMS`, `FMO`, `OSS` | [`PlaceKind::Airport`] |
//! | 7 | a partner id, any case | `ut`, `ECIU-AAU` | [`PlaceKind::Partner`] |
//! | 8 | a city name, any case and diacritics | `zurich`, `MÜNCHEN`, `Munich`, `Den Haag` | [`PlaceKind::City`] |
//! | 9 | a partner name | `University of Twente` | [`PlaceKind::Partner`] |
//! | 10 | `Name, Country` or `Name (CC)` | `Valencia, VE`, `Cambridge, United States`, `Barcelona (ES)` | a city in that country |
//! | 11 | three letters in any case that are an IATA code | `ams` | [`PlaceKind::Airport`] |
//! | 12 | anything else | `Barcleona` | [`PlaceError::Unknown`] with suggestions, never a guess |
//!
//! **Three-letter codes.** Typed in capitals, three letters are an airport code when one
//! exists (`AMS`, `FMO`; `OSS` is Osh, Kyrgyzstan); otherwise names come first (`Oss` is the
//! Dutch city, `Ede` a city) and an airport is the last resort (`ams` → AMS because no city is
//! called so). Longer all-capital text is a name (`ROME`, `LIMA`): four-letter ICAO codes are
//! only read with the `icao:` prefix.
//!
//! **Ranking of same-name cities** (the data README's rule: primary names, then alternates,
//! then population): a curated exonym (`city_exonyms.tsv`: `Pékin` → Beijing over Pekin US,
//! `Brunswick` → Braunschweig, `Halle` → Halle (Saale)) beats everything; a primary-name match
//! beats an alternate-name match (`Vienne` is the French
//! town, not Vienna); within a tier, a city that a partner row of `partners.csv` pins by
//! geonameid wins (`Valencia` → Valencia ES, 824,340 people, over Valencia VE, 1,619,470;
//! `Salamanca` → the Spanish city, not the Madrid district or the Mexican city); then the larger
//! population (`Cambridge` → Cambridge GB 145,674 over Cambridge CA 129,920 and Cambridge US
//! 110,402; `Ede` → Ede NG 159,866 over Ede NL 67,670 unless [`Gazetteer::prefer_country`]
//! says NL); then the smaller geonameid. `Frankfurt` is no primary name: the alternate
//! `Frankfurt` of Frankfurt am Main (pinned, 650,000) beats the implied short name of Frankfurt
//! (Oder).
//!
//! **Context.** [`Gazetteer::resolve_all`] keeps the other places of an ambiguous name and
//! [`choose_by_context`] picks by the journey's other end or the campus country (the rule is
//! in [`context`]).
//!
//! Known names resolve with one hash lookup of the normalised text (ASCII transliteration,
//! lower case, punctuation folded); suggestions scan all names only on the error path.
//!
//! # Units
//!
//! Coordinates are WGS84 decimal degrees (`lat_deg`, `lon_deg`); distances from
//! [`Gazetteer::nearest_airports`] are kilometres on a sphere, for ranking only — report
//! distances with the geodesic in `distance.rs`.

mod aliases;
mod context;
mod error;
mod land;
mod normalize;
mod query;
mod suggest;
mod tables;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

pub use context::{Choice, Resolution, choose_by_context};
pub use error::PlaceError;
pub use land::{ISLAND_STATES, continent_name, no_land_route};

use normalize::normalize;
use query::{Coordinates, IdPrefix};
use tables::Tables;

/// Attribution that must ship with the bundled data (README, `--about`).
pub const ATTRIBUTION: &str = "City and postcode data © GeoNames (geonames.org), CC BY 4.0. \
     Airport data: airportsdata (MIT, © Mike Borsetti, includes mwgg/Airports) and airport-data \
     (aashishvanand, CC BY 4.0). Country names: i18n-iso-countries (MIT, © widdix GmbH; from \
     the Unicode CLDR).";

/// [`Place::source`] of cities.
pub const SOURCE_CITIES: &str = "GeoNames cities15000 (CC BY 4.0)";
/// [`Place::source`] of airports.
pub const SOURCE_AIRPORTS: &str = "airportsdata 20250909 (MIT)";
/// [`Place::source`] of Dutch postcodes.
pub const SOURCE_POSTCODES: &str = "GeoNames postal codes NL (CC BY 4.0)";
/// [`Place::source`] of literal coordinates.
pub const SOURCE_COORDINATES: &str = "literal coordinates";

/// A resolved location.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Place {
    /// Stable id that resolves back to this place: `geonames:2756071`, `iata:AMS`,
    /// `partner:ut`, `pc4:7522`, `coord:52.24,6.86`.
    pub id: String,
    /// Display name (GeoNames primary name, airport name, partner name, `7522 Enschede`; for
    /// coordinates the numbers, or the alias that names them).
    pub name: String,
    /// ISO 3166-1 alpha-2 code; empty for literal coordinates (unknown).
    pub country_code: String,
    /// GeoNames admin1 code (cities only), e.g. `15` for Overijssel.
    pub admin1: Option<String>,
    /// Latitude, WGS84 decimal degrees, north positive.
    pub lat_deg: f64,
    /// Longitude, WGS84 decimal degrees, east positive.
    pub lon_deg: f64,
    /// What kind of entry matched.
    pub kind: PlaceKind,
    /// Short attribution of the row, e.g. [`SOURCE_CITIES`] or a partner row's source.
    pub source: String,
    /// Inhabitants (cities only, GeoNames).
    pub population: Option<u64>,
}

impl fmt::Display for Place {
    /// `Enschede (NL)`; coordinates without a country show the name alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.country_code.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{} ({})", self.name, self.country_code)
        }
    }
}

/// What kind of entry a [`Place`] came from. Serialised and displayed in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A GeoNames city.
    City,
    /// An airport, by IATA code.
    Airport,
    /// A partner institution of `partners.csv`.
    Partner,
    /// A Dutch four-digit postcode centroid.
    Postcode,
    /// Literal latitude/longitude.
    Coordinates,
}

impl fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PlaceKind::City => "city",
            PlaceKind::Airport => "airport",
            PlaceKind::Partner => "partner",
            PlaceKind::Postcode => "postcode",
            PlaceKind::Coordinates => "coordinates",
        })
    }
}

/// An airport of the bundled table (coordinates from airportsdata 20250909, kind and
/// scheduled-service flags from the airport-data crate).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Airport {
    /// IATA code, three capital letters.
    pub iata: String,
    /// ICAO code; may be empty.
    pub icao: String,
    /// Airport name, e.g. `Amsterdam Airport Schiphol`.
    pub name: String,
    /// City served, as airportsdata writes it; may be empty.
    pub city: String,
    /// ISO 3166-1 alpha-2 code.
    pub country_code: String,
    /// Latitude, WGS84 decimal degrees.
    pub lat_deg: f64,
    /// Longitude, WGS84 decimal degrees.
    pub lon_deg: f64,
    /// Size class: `L` large, `M` medium, `S` small, `O` other (seaplane base, heliport),
    /// `?` unknown (no flags joined).
    pub kind: String,
    /// Has scheduled passenger service (false when unknown).
    pub scheduled: bool,
}

impl Airport {
    /// Whether travellers can realistically fly from here: a large or medium airport with
    /// scheduled service.
    pub fn is_scheduled_hub(&self) -> bool {
        self.scheduled && (self.kind == "L" || self.kind == "M")
    }

    /// This airport as a [`Place`] (`iata:AMS`).
    pub fn to_place(&self) -> Place {
        Place {
            id: format!("iata:{}", self.iata),
            name: self.name.clone(),
            country_code: self.country_code.clone(),
            admin1: None,
            lat_deg: self.lat_deg,
            lon_deg: self.lon_deg,
            kind: PlaceKind::Airport,
            source: SOURCE_AIRPORTS.to_string(),
            population: None,
        }
    }
}

/// Resolves free text to places: the bundled tables plus an optional layer of user aliases.
///
/// Cloning is cheap (the tables are shared behind an [`Arc`]; only the alias layer is copied),
/// so a run takes [`Gazetteer::bundled`], clones it and adds its alias file:
///
/// ```
/// use mobility_footprint::places::Gazetteer;
///
/// let mut gazetteer = Gazetteer::bundled().clone();
/// gazetteer.add_aliases_tsv("Enschde\tEnschede\n").unwrap();
/// assert_eq!(gazetteer.resolve("enschde").unwrap().id, "geonames:2756071");
/// assert_eq!(gazetteer.resolve("AMS").unwrap().id, "iata:AMS");
/// ```
#[derive(Clone)]
pub struct Gazetteer {
    tables: Arc<Tables>,
    /// Normalised alias → resolved place.
    aliases: HashMap<String, Place>,
    /// ISO2 code that wins ties between same-name cities of the same tier.
    preferred_country: Option<String>,
}

impl fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gazetteer")
            .field("cities", &self.tables.cities.len())
            .field("names", &self.tables.names.len())
            .field("airports", &self.tables.airports.len())
            .field("postcodes", &self.tables.postcodes.len())
            .field("partners", &self.tables.partners.len())
            .field("countries", &self.tables.countries.len())
            .field("aliases", &self.aliases.len())
            .field("preferred_country", &self.preferred_country)
            .finish()
    }
}

impl Gazetteer {
    /// The gazetteer of the bundled tables, parsed on first use and shared afterwards.
    pub fn bundled() -> &'static Gazetteer {
        static BUNDLED: OnceLock<Gazetteer> = OnceLock::new();
        BUNDLED.get_or_init(|| Gazetteer {
            tables: Arc::new(Tables::build(&tables::BUNDLED)),
            aliases: HashMap::new(),
            preferred_country: None,
        })
    }

    /// Resolves free text to a place; see the [module docs](self) for the order of rules.
    ///
    /// # Errors
    ///
    /// [`PlaceError::Empty`], [`PlaceError::InvalidCoordinates`], [`PlaceError::UnknownCountry`],
    /// [`PlaceError::NotInCountry`], [`PlaceError::UnknownPostcode`] or [`PlaceError::Unknown`]
    /// (with the closest candidates). Never guesses.
    pub fn resolve(&self, query: &str) -> Result<Place, PlaceError> {
        self.resolve_inner(query, false).map(Resolution::into_place)
    }

    /// Resolves free text like [`resolve`](Self::resolve) and keeps the other places that
    /// carry the name (`Ede` → Ede NG, and Ede NL), so that [`choose_by_context`] can pick by
    /// the journey's other end or the campus country.
    ///
    /// # Errors
    ///
    /// As [`resolve`](Self::resolve).
    pub fn resolve_all(&self, query: &str) -> Result<Resolution, PlaceError> {
        self.resolve_inner(query, true)
    }

    fn resolve_inner(&self, query: &str, all: bool) -> Result<Resolution, PlaceError> {
        let trimmed = query.trim().trim_start_matches('\u{feff}').trim();
        let query = trimmed
            .strip_prefix('"')
            .and_then(|inner| inner.strip_suffix('"'))
            .map_or(trimmed, str::trim);
        if query.is_empty() {
            return Err(PlaceError::Empty);
        }
        let key = normalize(query);
        if let Some(place) = self.aliases.get(&key) {
            return Ok(Resolution::only(place.clone()));
        }
        if let Some((prefix, value)) = query::split_id(query) {
            return self.resolve_id(query, prefix, value).map(Resolution::only);
        }
        match query::parse_coordinates(query) {
            Coordinates::Valid { lat_deg, lon_deg } => {
                return Ok(Resolution::only(coordinates_place(lat_deg, lon_deg)));
            }
            Coordinates::Invalid(reason) => {
                return Err(PlaceError::InvalidCoordinates {
                    query: query.to_string(),
                    reason,
                });
            }
            Coordinates::NotNumbers => {}
        }
        if let Some(pc4) = query::parse_postcode(query) {
            return self.postcode(query, pc4).map(Resolution::only);
        }
        let tables = &*self.tables;
        if query::is_uppercase_iata(query) {
            if let Some(airport) = self.airport(query) {
                return Ok(Resolution::only(airport.to_place()));
            }
        }
        if let Some(&index) = tables.partner_by_id.get(&query.to_ascii_lowercase()) {
            return Ok(Resolution::only(partner_place(
                &tables.partners[index as usize],
            )));
        }
        if let Some(city) = tables.best_city(&key, self.preferred_country.as_deref()) {
            let place = city_place(tables.city(city));
            return Ok(if all {
                self.same_name(query, &key, city)
            } else {
                Resolution::only(place)
            });
        }
        if let Some(&index) = tables.partner_by_name.get(&key) {
            return Ok(Resolution::only(partner_place(
                &tables.partners[index as usize],
            )));
        }
        if let Some((name, country)) = query::split_country(query) {
            return self
                .resolve_in_country(query, name, country)
                .map(Resolution::only);
        }
        if query::is_any_case_iata(query) {
            if let Some(airport) = self.airport(query) {
                return Ok(Resolution::only(airport.to_place()));
            }
        }
        Err(PlaceError::Unknown {
            query: query.to_string(),
            suggestions: suggest::suggest_places(tables, &key, 5, None),
        })
    }

    /// Every place that carries the name `key` (see [`context`] for which count), with
    /// `chosen` the city the ranking picked.
    fn same_name(&self, query: &str, key: &str, chosen: u32) -> Resolution {
        let tables = &*self.tables;
        let hits = tables.names.get(key).unwrap_or_default();
        let top_tier = hits.first().map(|hit| hit.tier);
        let candidates: Vec<u32> = hits
            .iter()
            .filter(|hit| hit.tier <= tables::Tier::Primary || Some(hit.tier) == top_tier)
            .map(|hit| hit.city)
            .collect();
        let index = candidates.iter().position(|&city| city == chosen);
        let (candidates, chosen) = match index {
            Some(index) => (candidates, index),
            None => (vec![chosen], 0),
        };
        Resolution {
            choice: if candidates.len() > 1 {
                Choice::Ranking
            } else {
                Choice::Only
            },
            candidates: candidates
                .iter()
                .map(|&city| city_place(tables.city(city)))
                .collect(),
            chosen,
            name: query.to_string(),
        }
    }

    /// Adds user aliases from the text of an alias file and returns how many were added.
    ///
    /// One `alias<TAB>target` per line (`;` or `,` may replace the tab; only the first one
    /// splits); `#` starts a comment line; a first line `alias…` is a header. Each target is
    /// resolved now, with the rules of [`resolve`](Self::resolve) including aliases of earlier
    /// lines and files. An alias matches the whole query, case- and diacritics-insensitively,
    /// and overrides every other rule (and earlier alias files). A target given as literal
    /// coordinates takes the alias as its name (`Kennispark<TAB>52.2385,6.8543`). All or
    /// nothing: on error no alias of the file is added.
    ///
    /// # Errors
    ///
    /// [`PlaceError::AliasSyntax`], [`PlaceError::AliasDuplicate`] (same alias, other target,
    /// in one file) or [`PlaceError::AliasTarget`], each naming the line.
    pub fn add_aliases_tsv(&mut self, text: &str) -> Result<usize, PlaceError> {
        let lines = aliases::parse_alias_lines(text)?;
        let mut layered = self.clone();
        let mut defined: HashMap<String, (usize, String)> = HashMap::new();
        let mut added = 0;
        for definition in lines {
            let alias_key = normalize(definition.alias);
            let target_key = normalize(definition.target);
            if alias_key.is_empty() {
                return Err(PlaceError::AliasSyntax {
                    line: definition.line,
                    text: format!("{}\t{}", definition.alias, definition.target),
                });
            }
            if let Some((first_line, first_target)) = defined.get(&alias_key) {
                if *first_target == target_key {
                    continue;
                }
                return Err(PlaceError::AliasDuplicate {
                    line: definition.line,
                    alias: definition.alias.to_string(),
                    first_line: *first_line,
                });
            }
            let mut place =
                layered
                    .resolve(definition.target)
                    .map_err(|reason| PlaceError::AliasTarget {
                        line: definition.line,
                        alias: definition.alias.to_string(),
                        reason: Box::new(reason),
                    })?;
            let unnamed_point = place.kind == PlaceKind::Coordinates
                && place.id.strip_prefix("coord:") == Some(place.name.as_str());
            if unnamed_point {
                place.name = definition.alias.to_string();
            }
            defined.insert(alias_key.clone(), (definition.line, target_key));
            layered.aliases.insert(alias_key, place);
            added += 1;
        }
        self.aliases = layered.aliases;
        Ok(added)
    }

    /// A copy of this gazetteer with the aliases of `text` added (see
    /// [`add_aliases_tsv`](Self::add_aliases_tsv)).
    ///
    /// # Errors
    ///
    /// As [`add_aliases_tsv`](Self::add_aliases_tsv).
    pub fn with_aliases(&self, text: &str) -> Result<Gazetteer, PlaceError> {
        let mut layered = self.clone();
        layered.add_aliases_tsv(text)?;
        Ok(layered)
    }

    /// Number of user aliases in the alias layer.
    pub fn alias_count(&self) -> usize {
        self.aliases.len()
    }

    /// Lets cities of one country win ties between same-name cities of the same tier (e.g. NL
    /// for a Dutch commuting survey: `Ede` → Ede NL). `country` is an ISO2 code or a country
    /// name; `None` restores the default ranking.
    ///
    /// # Errors
    ///
    /// [`PlaceError::UnknownCountry`] when the country is not known.
    pub fn prefer_country(&mut self, country: Option<&str>) -> Result<(), PlaceError> {
        self.preferred_country = match country {
            None => None,
            Some(text) => Some(self.country_code_or_error(text, text)?.to_string()),
        };
        Ok(())
    }

    /// The ISO2 code set by [`prefer_country`](Self::prefer_country).
    pub fn preferred_country(&self) -> Option<&str> {
        self.preferred_country.as_deref()
    }

    /// The `n` airports closest to a point, nearest first, with their great-circle distance in
    /// km (haversine on a sphere of radius 6,371.0088 km, the IUGG mean Earth radius — fine for
    /// ranking, not for reporting). With `scheduled_only`, only large and medium airports with
    /// scheduled service ([`Airport::is_scheduled_hub`]); e.g. Enschede Twente (ENS) has had no
    /// scheduled flights since 2008 and is skipped. Empty for an invalid point.
    pub fn nearest_airports(
        &self,
        lat_deg: f64,
        lon_deg: f64,
        scheduled_only: bool,
        n: usize,
    ) -> Vec<(&Airport, f64)> {
        if n == 0 || !matches!(query::validate(lat_deg, lon_deg), Coordinates::Valid { .. }) {
            return Vec::new();
        }
        let mut ranked: Vec<(&Airport, f64)> = self
            .tables
            .airports
            .iter()
            .filter(|airport| !scheduled_only || airport.is_scheduled_hub())
            .map(|airport| {
                let distance_km = haversine_km(lat_deg, lon_deg, airport.lat_deg, airport.lon_deg);
                (airport, distance_km)
            })
            .collect();
        let by_distance = |a: &(&Airport, f64), b: &(&Airport, f64)| {
            a.1.total_cmp(&b.1).then_with(|| a.0.iata.cmp(&b.0.iata))
        };
        if ranked.len() > n {
            ranked.select_nth_unstable_by(n - 1, by_distance);
            ranked.truncate(n);
        }
        ranked.sort_by(by_distance);
        ranked
    }

    /// The airport with this IATA code (case-insensitive).
    pub fn airport(&self, iata: &str) -> Option<&Airport> {
        let index = *self
            .tables
            .airport_by_iata
            .get(&iata.trim().to_ascii_uppercase())?;
        Some(&self.tables.airports[index as usize])
    }

    /// The English name of a country from its ISO 3166-1 alpha-2 code (case-insensitive),
    /// e.g. `NL` → `The Netherlands`.
    pub fn country_name(&self, iso2: &str) -> Option<&str> {
        let index = *self
            .tables
            .country_by_iso2
            .get(&iso2.trim().to_ascii_uppercase())?;
        Some(self.tables.countries[index as usize].name.as_str())
    }

    /// The continent code (`AF`, `AN`, `AS`, `EU`, `NA`, `OC`, `SA`) of a country from its
    /// ISO 3166-1 alpha-2 code (GeoNames countries table).
    pub fn continent(&self, iso2: &str) -> Option<&str> {
        let index = *self
            .tables
            .country_by_iso2
            .get(&iso2.trim().to_ascii_uppercase())?;
        Some(self.tables.countries[index as usize].continent.as_str()).filter(|c| !c.is_empty())
    }

    /// Every ISO 3166-1 alpha-2 code of the countries table, in table order.
    pub fn country_codes(&self) -> Vec<&str> {
        self.tables
            .countries
            .iter()
            .map(|country| country.iso2.as_str())
            .collect()
    }

    /// The ISO 3166-1 alpha-2 code of a country given as ISO2, ISO3, English name, a common
    /// alias (`Holland`, `UK`, `USA`) or its name in one of 13 European languages
    /// (`Allemagne`, `Duitsland`, `Frankreich`, `España`, `Γερμανία` …), case- and
    /// diacritics-insensitive.
    pub fn country_code(&self, country: &str) -> Option<&str> {
        self.tables.country_code(country)
    }

    /// Up to `n` known names close to `query`, best first, each written so that it resolves
    /// when typed back (`Barcelona (ES)`, `eciu-aau`). Empty when nothing is close.
    pub fn suggest(&self, query: &str, n: usize) -> Vec<String> {
        suggest::suggest_places(&self.tables, &normalize(query), n, None)
    }

    /// The partner institutions whose `alliance` column (`partners.csv`) names `alliance`
    /// (any case, e.g. `ECIU`), in table order, as places (`partner:ut`) with the partner's
    /// city as `partners.csv` writes it (`Enschede`).
    pub fn partners_in(&self, alliance: &str) -> Vec<(Place, String)> {
        self.tables
            .partners
            .iter()
            .filter(|p| {
                p.alliance
                    .split(';')
                    .any(|a| a.trim().eq_ignore_ascii_case(alliance.trim()))
            })
            .map(|p| (partner_place(p), p.city.clone()))
            .collect()
    }

    /// Rows of the tables that could not be read (file, line, reason). Empty for the bundled
    /// data (a test checks it); shown by `--about`-style diagnostics if ever not.
    pub fn data_warnings(&self) -> &[String] {
        &self.tables.warnings
    }

    fn resolve_id(&self, query: &str, prefix: IdPrefix, value: &str) -> Result<Place, PlaceError> {
        let tables = &*self.tables;
        let found = match prefix {
            IdPrefix::GeoNames => value
                .parse::<u32>()
                .ok()
                .and_then(|id| tables.city_by_geonameid.get(&id))
                .map(|&index| city_place(tables.city(index))),
            IdPrefix::Iata => self.airport(value).map(Airport::to_place),
            IdPrefix::Icao => tables
                .airport_by_icao
                .get(&value.to_ascii_uppercase())
                .map(|&index| tables.airports[index as usize].to_place()),
            IdPrefix::Partner => tables
                .partner_by_id
                .get(&value.to_ascii_lowercase())
                .map(|&index| partner_place(&tables.partners[index as usize])),
            IdPrefix::Pc4 => {
                return match value.parse::<u16>() {
                    Ok(pc4) if value.len() == 4 => self.postcode(query, pc4),
                    _ => Err(unknown(query)),
                };
            }
            IdPrefix::Coord => {
                return match query::parse_coordinates(value) {
                    Coordinates::Valid { lat_deg, lon_deg } => {
                        Ok(coordinates_place(lat_deg, lon_deg))
                    }
                    Coordinates::Invalid(reason) => Err(PlaceError::InvalidCoordinates {
                        query: query.to_string(),
                        reason,
                    }),
                    Coordinates::NotNumbers => Err(PlaceError::InvalidCoordinates {
                        query: query.to_string(),
                        reason: "expected `coord:lat,lon` in decimal degrees".to_string(),
                    }),
                };
            }
        };
        found.ok_or_else(|| unknown(query))
    }

    fn postcode(&self, query: &str, pc4: u16) -> Result<Place, PlaceError> {
        let postcodes = &self.tables.postcodes;
        if let Some(postcode) = postcodes.get(&pc4) {
            return Ok(Place {
                id: format!("pc4:{pc4:04}"),
                name: format!("{pc4:04} {}", postcode.place),
                country_code: "NL".to_string(),
                admin1: None,
                lat_deg: postcode.lat_deg,
                lon_deg: postcode.lon_deg,
                kind: PlaceKind::Postcode,
                source: SOURCE_POSTCODES.to_string(),
                population: None,
            });
        }
        let below = postcodes.range(..pc4).rev().take(2);
        let above = postcodes.range(pc4..).take(2);
        let mut nearest: Vec<u16> = below.chain(above).map(|(code, _)| *code).collect();
        nearest.sort_by_key(|code| (code.abs_diff(pc4), *code));
        Err(PlaceError::UnknownPostcode {
            query: query.to_string(),
            pc4,
            suggestions: nearest.iter().map(|code| format!("{code:04}")).collect(),
        })
    }

    fn resolve_in_country(
        &self,
        query: &str,
        name: &str,
        country: &str,
    ) -> Result<Place, PlaceError> {
        let tables = &*self.tables;
        let iso2 = self.country_code_or_error(query, country)?;
        let key = normalize(name);
        let hits = tables.names.get(&key).unwrap_or_default();
        if let Some(hit) = hits
            .iter()
            .find(|hit| tables.city(hit.city).country_code == iso2)
        {
            return Ok(city_place(tables.city(hit.city)));
        }
        let partner = tables
            .partner_by_name
            .get(&key)
            .or_else(|| tables.partner_by_id.get(&name.to_ascii_lowercase()))
            .map(|&index| &tables.partners[index as usize])
            .filter(|partner| partner.country_code == iso2);
        if let Some(partner) = partner {
            return Ok(partner_place(partner));
        }
        let in_country = suggest::suggest_places(tables, &key, 5, Some(iso2));
        if hits.is_empty() {
            return Err(PlaceError::Unknown {
                query: query.to_string(),
                suggestions: in_country,
            });
        }
        let mut suggestions: Vec<String> = hits
            .iter()
            .take(3)
            .map(|hit| {
                let city = tables.city(hit.city);
                format!("{} ({})", city.name, city.country_code)
            })
            .collect();
        suggestions.dedup();
        suggestions.extend(in_country.into_iter().take(2));
        Err(PlaceError::NotInCountry {
            query: query.to_string(),
            name: name.to_string(),
            country_code: iso2.to_string(),
            suggestions,
        })
    }

    fn country_code_or_error(&self, query: &str, country: &str) -> Result<&str, PlaceError> {
        self.tables
            .country_code(country)
            .ok_or_else(|| PlaceError::UnknownCountry {
                query: query.to_string(),
                country: country.to_string(),
                suggestions: suggest::suggest_countries(&self.tables, country, 3),
            })
    }
}

fn unknown(query: &str) -> PlaceError {
    PlaceError::Unknown {
        query: query.to_string(),
        suggestions: Vec::new(),
    }
}

fn city_place(city: &tables::City) -> Place {
    Place {
        id: format!("geonames:{}", city.geonameid),
        name: city.name.to_string(),
        country_code: city.country_code.to_string(),
        admin1: (!city.admin1.is_empty()).then(|| city.admin1.to_string()),
        lat_deg: city.lat_deg,
        lon_deg: city.lon_deg,
        kind: PlaceKind::City,
        source: SOURCE_CITIES.to_string(),
        population: Some(city.population),
    }
}

fn partner_place(partner: &tables::Partner) -> Place {
    Place {
        id: format!("partner:{}", partner.id),
        name: partner.name.clone(),
        country_code: partner.country_code.clone(),
        admin1: None,
        lat_deg: partner.lat_deg,
        lon_deg: partner.lon_deg,
        kind: PlaceKind::Partner,
        source: partner.source.clone(),
        population: None,
    }
}

fn coordinates_place(lat_deg: f64, lon_deg: f64) -> Place {
    // `{}` prints the shortest text that parses back to the same f64.
    let text = format!("{lat_deg},{lon_deg}");
    Place {
        id: format!("coord:{text}"),
        name: text,
        country_code: String::new(),
        admin1: None,
        lat_deg,
        lon_deg,
        kind: PlaceKind::Coordinates,
        source: SOURCE_COORDINATES.to_string(),
        population: None,
    }
}

/// Great-circle distance in km on a sphere of radius 6,371.0088 km (IUGG mean Earth radius,
/// Moritz 2000, Geodetic Reference System 1980). For ranking only.
fn haversine_km(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    const MEAN_EARTH_RADIUS_KM: f64 = 6_371.008_8;
    let (lat1, lat2) = (lat1_deg.to_radians(), lat2_deg.to_radians());
    let half_dlat = (lat2 - lat1) / 2.0;
    let half_dlon = (lon2_deg - lon1_deg).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
    2.0 * MEAN_EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests;
