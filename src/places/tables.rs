//! The bundled tables, parsed once into lookup indexes.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::Airport;
use super::normalize::{each_spelling, implied_names, normalize};

/// The text of every table, one field per file in `data/gazetteer/`.
pub(crate) struct Sources {
    pub cities: &'static str,
    pub alt_names: &'static str,
    pub countries: &'static str,
    pub airports: &'static str,
    pub postcodes: &'static str,
    pub partners: &'static str,
    pub country_names: &'static str,
    pub exonyms: &'static str,
}

/// The tables compiled into the binary.
pub(crate) const BUNDLED: Sources = Sources {
    cities: include_str!("../../data/gazetteer/cities.tsv"),
    alt_names: include_str!("../../data/gazetteer/city_alt_names.tsv"),
    countries: include_str!("../../data/gazetteer/countries.tsv"),
    airports: include_str!("../../data/gazetteer/airports.tsv"),
    postcodes: include_str!("../../data/gazetteer/nl_pc4.tsv"),
    partners: include_str!("../../data/gazetteer/partners.csv"),
    country_names: include_str!("../../data/gazetteer/country_names.tsv"),
    exonyms: include_str!("../../data/gazetteer/city_exonyms.tsv"),
};

/// Official names missing from the alternate-name extract, added under the same rules as
/// alternates: `'s-Gravenhage` is the official Dutch name of The Hague (GeoNames 2747373).
const EXTRA_ALTERNATES: &[(u32, &str)] = &[(2_747_373, "'s-Gravenhage")];

/// Country names people type that the GeoNames English names do not cover: codes in common
/// use (UK, USA), former or short names, and endonyms of European countries. The names in 13
/// languages come from `country_names.tsv`; these entries win over it.
const COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("Holland", "NL"),
    ("Nederland", "NL"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("England", "GB"),
    ("Scotland", "GB"),
    ("Wales", "GB"),
    ("Northern Ireland", "GB"),
    ("U.S.", "US"),
    ("U.S.A.", "US"),
    ("United States of America", "US"),
    ("Czech Republic", "CZ"),
    ("Česko", "CZ"),
    ("Deutschland", "DE"),
    ("España", "ES"),
    ("Italia", "IT"),
    ("België", "BE"),
    ("Belgique", "BE"),
    ("Österreich", "AT"),
    ("Schweiz", "CH"),
    ("Suisse", "CH"),
    ("Svizzera", "CH"),
    ("Sverige", "SE"),
    ("Norge", "NO"),
    ("Danmark", "DK"),
    ("Suomi", "FI"),
    ("Polska", "PL"),
    ("Éire", "IE"),
    ("Türkiye", "TR"),
    ("Korea", "KR"),
    ("Republic of Korea", "KR"),
    ("Russian Federation", "RU"),
    ("Côte d'Ivoire", "CI"),
    ("Holy See", "VA"),
    ("Vatican City", "VA"),
    ("Macedonia", "MK"),
    ("Swaziland", "SZ"),
    ("Brasil", "BR"),
    ("Lietuva", "LT"),
    ("Eesti", "EE"),
    ("Latvija", "LV"),
    ("Hrvatska", "HR"),
    ("Magyarország", "HU"),
    ("Slovensko", "SK"),
    ("Hellas", "GR"),
    // Short forms the CLDR-derived names of `country_names.tsv` only give in full.
    ("États-Unis", "US"),
    ("Stati Uniti", "US"),
];

/// A hash map keyed by short strings or numbers from the bundled tables (FNV-1a; the keys are
/// not attacker-chosen, so a DoS-resistant hasher buys nothing and costs load time).
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv1a>>;

/// 64-bit FNV-1a (Fowler–Noll–Vo; offset basis and prime from the reference at
/// <http://www.isthe.com/chongo/tech/comp/fnv/>), finished with the MurmurHash3 `fmix64`
/// avalanche so that the top bits, which `HashMap` uses to filter candidates, depend on every
/// byte (plain FNV barely mixes the last byte into them).
pub(crate) struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        let mut hash = self.0;
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        hash ^ (hash >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// One GeoNames city (cities15000). Text fields borrow from the bundled table.
#[derive(Debug, Clone)]
pub(crate) struct City {
    pub geonameid: u32,
    pub name: &'static str,
    pub country_code: &'static str,
    pub admin1: &'static str,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub population: u64,
    /// A partner row of partners.csv cites this city's geonameid: it wins among same-name
    /// candidates of the same tier.
    pub pinned: bool,
}

/// How a name key matched a city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tier {
    /// A curated exonym of `city_exonyms.tsv` (`Venise`, `Pékin`, `Brunswick`): the name
    /// users of that language mean, so it wins over a smaller city's primary name.
    Curated,
    /// The GeoNames primary name (or its umlaut spelling).
    Primary,
    /// A GeoNames alternate name, or a name implied by the primary one (`Frankfurt (Oder)` →
    /// `Frankfurt`).
    Alternate,
}

/// One candidate city for a name key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameHit {
    pub city: u32,
    pub tier: Tier,
}

/// One Dutch PC4 centroid.
#[derive(Debug, Clone)]
pub(crate) struct Postcode {
    pub place: &'static str,
    pub lat_deg: f64,
    pub lon_deg: f64,
}

/// One row of partners.csv.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct Partner {
    pub id: String,
    pub name: String,
    /// The partner's city as written in partners.csv (tests check it resolves to the cited
    /// geonameid).
    pub city: String,
    pub country_code: String,
    #[serde(rename = "lat")]
    pub lat_deg: f64,
    #[serde(rename = "lon")]
    pub lon_deg: f64,
    /// Alliances and networks, `;`-separated (`self;ECIU;4TU`).
    #[serde(default)]
    pub alliance: String,
    pub source: String,
}

/// One row of countries.tsv.
#[derive(Debug, Clone)]
pub(crate) struct Country {
    pub iso2: String,
    pub iso3: String,
    pub name: String,
    /// Continent code: AF, AN, AS, EU, NA, OC, SA.
    pub continent: String,
}

/// Every table and index, immutable once built.
pub(crate) struct Tables {
    pub cities: Vec<City>,
    pub city_by_geonameid: FastMap<u32, u32>,
    /// Normalised name → candidates, best first (tier, pinned, population, geonameid).
    pub names: NameIndex,
    pub airports: Vec<Airport>,
    pub airport_by_iata: FastMap<String, u32>,
    pub airport_by_icao: FastMap<String, u32>,
    pub postcodes: BTreeMap<u16, Postcode>,
    pub partners: Vec<Partner>,
    pub partner_by_id: FastMap<String, u32>,
    pub partner_by_name: FastMap<String, u32>,
    pub countries: Vec<Country>,
    pub country_by_iso2: FastMap<String, u32>,
    /// Normalised names, aliases and lower-case ISO codes → country.
    pub country_by_key: FastMap<String, u32>,
    /// Rows that could not be read (file, line, reason); empty for the bundle (tested).
    pub warnings: Vec<String>,
    /// The "did you mean" index over `names`, built on the first suggestion
    /// ([`super::suggest::SuggestIndex`]).
    pub suggest: std::sync::OnceLock<super::suggest::SuggestIndex>,
}

impl Tables {
    /// Parses every table and builds the indexes. Malformed rows are skipped and reported in
    /// `warnings`; nothing here panics.
    pub(crate) fn build(sources: &Sources) -> Tables {
        // Two independent halves, built side by side (the gazetteer is loaded before every
        // batch run, so its build time is start-up time); warnings keep the sequential order.
        let (places, others) = rayon::join(
            || {
                let mut warnings = Vec::new();
                let partners = parse_partners(sources.partners, &mut warnings);
                let pinned: HashSet<u32> = partners
                    .iter()
                    .filter_map(|partner| cited_geonameid(&partner.source))
                    .collect();
                let cities = parse_cities(sources.cities, &pinned, &mut warnings);
                let city_by_geonameid: FastMap<u32, u32> = cities
                    .iter()
                    .enumerate()
                    .map(|(index, city)| (city.geonameid, index as u32))
                    .collect();
                let names = index_names(
                    sources.alt_names,
                    sources.exonyms,
                    &cities,
                    &city_by_geonameid,
                    &mut warnings,
                );
                (partners, cities, city_by_geonameid, names, warnings)
            },
            || {
                let mut warnings = Vec::new();
                let airports = parse_airports(sources.airports, &mut warnings);
                let postcodes = parse_postcodes(sources.postcodes, &mut warnings);
                let countries = parse_countries(sources.countries, &mut warnings);
                let (country_by_iso2, country_by_key) =
                    index_countries(&countries, sources.country_names, &mut warnings);
                (
                    airports,
                    postcodes,
                    (countries, country_by_iso2, country_by_key),
                    warnings,
                )
            },
        );
        let (partners, cities, city_by_geonameid, names, mut warnings) = places;
        let (airports, postcodes, (countries, country_by_iso2, country_by_key), more_warnings) =
            others;
        warnings.extend(more_warnings);
        let airport_by_iata = airports
            .iter()
            .enumerate()
            .map(|(index, airport)| (airport.iata.clone(), index as u32))
            .collect();
        let airport_by_icao = airports
            .iter()
            .enumerate()
            .filter(|(_, airport)| !airport.icao.is_empty())
            .map(|(index, airport)| (airport.icao.clone(), index as u32))
            .collect();
        let partner_by_id = partners
            .iter()
            .enumerate()
            .map(|(index, partner)| (partner.id.to_ascii_lowercase(), index as u32))
            .collect();
        let partner_by_name = partners
            .iter()
            .enumerate()
            .map(|(index, partner)| (normalize(&partner.name), index as u32))
            .collect();
        Tables {
            cities,
            city_by_geonameid,
            names,
            airports,
            airport_by_iata,
            airport_by_icao,
            postcodes,
            partners,
            partner_by_id,
            partner_by_name,
            countries,
            country_by_iso2,
            country_by_key,
            warnings,
            suggest: std::sync::OnceLock::new(),
        }
    }

    /// The best city for a normalised name: the first candidate, unless `preferred` names a
    /// country that has a candidate of the same tier.
    pub(crate) fn best_city(&self, key: &str, preferred: Option<&str>) -> Option<u32> {
        let hits = self.names.get(key)?;
        let first = hits.first()?;
        if let Some(country) = preferred {
            let same_tier_in_country = hits
                .iter()
                .take_while(|hit| hit.tier == first.tier)
                .find(|hit| self.city(hit.city).country_code == country);
            if let Some(hit) = same_tier_in_country {
                return Some(hit.city);
            }
        }
        Some(first.city)
    }

    /// The city at an index taken from one of the indexes.
    pub(crate) fn city(&self, index: u32) -> &City {
        &self.cities[index as usize]
    }

    /// The ISO 3166-1 alpha-2 code for a country code or name (case- and
    /// diacritics-insensitive).
    pub(crate) fn country_code(&self, query: &str) -> Option<&str> {
        let key = normalize(query);
        let key = key.strip_prefix("the ").unwrap_or(&key);
        let index = *self.country_by_key.get(key)?;
        Some(self.countries[index as usize].iso2.as_str())
    }
}

/// `geonameid=123` in a partner's source column.
pub(crate) fn cited_geonameid(source: &str) -> Option<u32> {
    let (_, rest) = source.split_once("geonameid=")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Rows of a TSV table with their 1-based line numbers: exactly `N` tab-separated fields or
/// the reason why not. The header line and empty lines are skipped; a trailing `\r` is dropped.
///
/// One byte loop splits lines and fields: `str::lines` + `str::split('\t')` spend more time
/// setting up searches than searching on these short fields, and load time matters
/// ([`Gazetteer::bundled`](super::Gazetteer::bundled) runs at every start).
fn tsv_rows<const N: usize>(
    text: &'static str,
) -> impl Iterator<Item = (usize, Result<[&'static str; N], String>)> {
    let bytes = text.as_bytes();
    let mut position = 0;
    let mut line = 0;
    std::iter::from_fn(move || {
        while position < bytes.len() {
            line += 1;
            let rest = &bytes[position..];
            let mut length = rest.len();
            let mut fields = [""; N];
            let mut count = 0;
            let mut field_start = 0;
            for (at, &byte) in rest.iter().enumerate() {
                // One comparison per ordinary byte: tab (9) and newline (10) are both <= 10.
                if byte > b'\n' {
                    continue;
                }
                if byte == b'\n' {
                    length = at;
                    break;
                }
                if byte == b'\t' {
                    if let Some(slot) = fields.get_mut(count) {
                        *slot = &text[position + field_start..position + at];
                    }
                    count += 1;
                    field_start = at + 1;
                }
            }
            let line_start = position;
            let mut line_end = position + length;
            position = line_end + 1;
            if line_end > line_start + field_start && bytes[line_end - 1] == b'\r' {
                line_end -= 1;
            }
            if line == 1 || line_end == line_start {
                continue;
            }
            if let Some(slot) = fields.get_mut(count) {
                *slot = &text[line_start + field_start..line_end];
            }
            count += 1;
            let row = if count == N {
                Ok(fields)
            } else {
                Err(format!("expected {N} tab-separated fields, found {count}"))
            };
            return Some((line, row));
        }
        None
    })
}

/// A latitude/longitude pair in degrees, checked for range.
fn parse_point(lat: &str, lon: &str) -> Result<(f64, f64), String> {
    let lat_deg: f64 = lat
        .parse()
        .map_err(|_| format!("latitude `{lat}` is not a number"))?;
    let lon_deg: f64 = lon
        .parse()
        .map_err(|_| format!("longitude `{lon}` is not a number"))?;
    if !(-90.0..=90.0).contains(&lat_deg) || !(-180.0..=180.0).contains(&lon_deg) {
        return Err(format!("point {lat_deg},{lon_deg} is out of range"));
    }
    Ok((lat_deg, lon_deg))
}

fn parse_cities(
    text: &'static str,
    pinned: &HashSet<u32>,
    warnings: &mut Vec<String>,
) -> Vec<City> {
    let mut cities = Vec::with_capacity(34_100);
    for (line, fields) in tsv_rows(text) {
        let row = || -> Result<City, String> {
            let [id, name, country_code, admin1, lat, lon, population] = fields?;
            let geonameid: u32 = id
                .parse()
                .map_err(|_| format!("geonameid `{id}` is not a number"))?;
            let (lat_deg, lon_deg) = parse_point(lat, lon)?;
            let population = population
                .parse()
                .map_err(|_| format!("population `{population}` is not a number"))?;
            Ok(City {
                geonameid,
                name,
                country_code,
                admin1,
                lat_deg,
                lon_deg,
                population,
                pinned: pinned.contains(&geonameid),
            })
        };
        match row() {
            Ok(city) => cities.push(city),
            Err(reason) => warnings.push(format!("cities.tsv line {line}: {reason}")),
        }
    }
    cities
}

/// Normalised name → candidate cities. Most keys have one candidate, stored inline; the
/// others point into `shared` (saves ~60k allocations at load).
#[derive(Default)]
pub(crate) struct NameIndex {
    keys: FastMap<String, Hits>,
    shared: Vec<Vec<NameHit>>,
}

#[derive(Clone, Copy)]
enum Hits {
    One(NameHit),
    Many(u32),
}

impl NameIndex {
    /// The candidates of a normalised name, best first.
    pub(crate) fn get(&self, key: &str) -> Option<&[NameHit]> {
        Some(self.slice(self.keys.get(key)?))
    }

    /// Every key with its candidates, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &[NameHit])> {
        self.keys
            .iter()
            .map(|(key, hits)| (key.as_str(), self.slice(hits)))
    }

    /// Number of distinct keys.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    fn slice<'a>(&'a self, hits: &'a Hits) -> &'a [NameHit] {
        match hits {
            Hits::One(hit) => std::slice::from_ref(hit),
            Hits::Many(index) => self.shared.get(*index as usize).map_or(&[], Vec::as_slice),
        }
    }

    /// Adds a candidate, keeping the better tier when the city is already there.
    fn add(&mut self, key: &str, city: u32, tier: Tier) {
        let hit = NameHit { city, tier };
        let Some(hits) = self.keys.get_mut(key) else {
            self.keys.insert(key.to_string(), Hits::One(hit));
            return;
        };
        let list = match *hits {
            Hits::One(first) if first.city == city => {
                *hits = Hits::One(NameHit {
                    city,
                    tier: first.tier.min(tier),
                });
                return;
            }
            Hits::One(first) => {
                *hits = Hits::Many(self.shared.len() as u32);
                self.shared.push(vec![first]);
                self.shared.last_mut()
            }
            Hits::Many(index) => self.shared.get_mut(index as usize),
        };
        if let Some(list) = list {
            match list.iter_mut().find(|existing| existing.city == city) {
                Some(existing) => existing.tier = existing.tier.min(tier),
                None => list.push(hit),
            }
        }
    }
}

/// Builds the name index from primary names, implied names and alternate names.
fn index_names(
    alt_names: &'static str,
    exonyms: &'static str,
    cities: &[City],
    city_by_geonameid: &FastMap<u32, u32>,
    warnings: &mut Vec<String>,
) -> NameIndex {
    let mut names = NameIndex {
        keys: FastMap::with_capacity_and_hasher(70_000, Default::default()),
        shared: Vec::new(),
    };
    let mut key = String::new();
    for (index, city) in cities.iter().enumerate() {
        each_spelling(city.name, &mut key, |spelling| {
            names.add(spelling, index as u32, Tier::Primary);
        });
        for short in implied_names(city.name) {
            each_spelling(short, &mut key, |spelling| {
                names.add(spelling, index as u32, Tier::Alternate);
            });
        }
    }
    let alternates = tsv_rows(alt_names).filter_map(|(line, fields)| {
        let parsed = fields.and_then(|[id, name]| {
            id.parse::<u32>()
                .ok()
                .and_then(|id| city_by_geonameid.get(&id))
                .map(|&city| (city, name))
                .ok_or_else(|| format!("geonameid `{id}` is not a city of cities.tsv"))
        });
        parsed
            .map_err(|reason| warnings.push(format!("city_alt_names.tsv line {line}: {reason}")))
            .ok()
    });
    let extras = EXTRA_ALTERNATES
        .iter()
        .filter_map(|(id, name)| city_by_geonameid.get(id).map(|&city| (city, *name)));
    for (city, name) in alternates.chain(extras) {
        each_spelling(name, &mut key, |spelling| {
            names.add(spelling, city, Tier::Alternate);
        });
    }
    for (line, fields) in tsv_rows::<4>(exonyms) {
        let row = fields.and_then(|[id, name, _langs, _basis]| {
            id.parse::<u32>()
                .ok()
                .and_then(|id| city_by_geonameid.get(&id))
                .map(|&city| (city, name))
                .ok_or_else(|| format!("geonameid `{id}` is not a city of cities.tsv"))
        });
        match row {
            Ok((city, name)) => each_spelling(name, &mut key, |spelling| {
                names.add(spelling, city, Tier::Curated);
            }),
            Err(reason) => warnings.push(format!("city_exonyms.tsv line {line}: {reason}")),
        }
    }
    for hits in &mut names.shared {
        hits.sort_by_key(|hit| {
            let city = &cities[hit.city as usize];
            (
                hit.tier,
                !city.pinned,
                Reverse(city.population),
                city.geonameid,
            )
        });
    }
    names
}

fn parse_airports(text: &'static str, warnings: &mut Vec<String>) -> Vec<Airport> {
    let mut airports = Vec::with_capacity(7_900);
    for (line, fields) in tsv_rows(text) {
        let row = || -> Result<Airport, String> {
            let [
                iata,
                icao,
                name,
                city,
                country_code,
                lat,
                lon,
                _tz,
                kind,
                sched,
            ] = fields?;
            if !(iata.len() == 3 && iata.bytes().all(|byte| byte.is_ascii_uppercase())) {
                return Err(format!("IATA code `{iata}` is not three capital letters"));
            }
            let (lat_deg, lon_deg) = parse_point(lat, lon)?;
            Ok(Airport {
                iata: iata.to_string(),
                icao: icao.to_string(),
                name: name.to_string(),
                city: city.to_string(),
                country_code: country_code.to_string(),
                lat_deg,
                lon_deg,
                kind: kind.to_string(),
                scheduled: sched == "Y",
            })
        };
        match row() {
            Ok(airport) => airports.push(airport),
            Err(reason) => warnings.push(format!("airports.tsv line {line}: {reason}")),
        }
    }
    airports
}

fn parse_postcodes(text: &'static str, warnings: &mut Vec<String>) -> BTreeMap<u16, Postcode> {
    let mut postcodes = BTreeMap::new();
    for (line, fields) in tsv_rows(text) {
        let row = || -> Result<(u16, Postcode), String> {
            let [pc4, place, _municipality, lat, lon, _rows] = fields?;
            let code: u16 = pc4
                .parse()
                .ok()
                .filter(|code| (1000..=9999).contains(code))
                .ok_or_else(|| format!("PC4 `{pc4}` is not a four-digit postcode"))?;
            let (lat_deg, lon_deg) = parse_point(lat, lon)?;
            Ok((
                code,
                Postcode {
                    place,
                    lat_deg,
                    lon_deg,
                },
            ))
        };
        match row() {
            Ok((code, postcode)) => {
                postcodes.insert(code, postcode);
            }
            Err(reason) => warnings.push(format!("nl_pc4.tsv line {line}: {reason}")),
        }
    }
    postcodes
}

fn parse_partners(text: &str, warnings: &mut Vec<String>) -> Vec<Partner> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut partners = Vec::new();
    for (index, row) in reader.deserialize::<Partner>().enumerate() {
        match row {
            Ok(partner)
                if (-90.0..=90.0).contains(&partner.lat_deg)
                    && (-180.0..=180.0).contains(&partner.lon_deg) =>
            {
                partners.push(partner);
            }
            Ok(partner) => warnings.push(format!(
                "partners.csv row {}: point {},{} is out of range",
                index + 1,
                partner.lat_deg,
                partner.lon_deg
            )),
            Err(error) => warnings.push(format!("partners.csv row {}: {error}", index + 1)),
        }
    }
    partners
}

fn parse_countries(text: &'static str, warnings: &mut Vec<String>) -> Vec<Country> {
    let mut countries = Vec::with_capacity(260);
    for (line, fields) in tsv_rows::<6>(text) {
        match fields {
            Ok([iso2, iso3, name, continent, ..]) if iso2.len() == 2 => countries.push(Country {
                iso2: iso2.to_string(),
                iso3: iso3.to_string(),
                name: name.to_string(),
                continent: continent.to_string(),
            }),
            Ok(_) => warnings.push(format!(
                "countries.tsv line {line}: ISO2 code is not two letters"
            )),
            Err(reason) => warnings.push(format!("countries.tsv line {line}: {reason}")),
        }
    }
    countries
}

/// Country lookups: upper-case ISO2 → country, and every normalised key → country: the
/// GeoNames name without a leading "the", ISO2 and ISO3 codes, [`COUNTRY_ALIASES`], then the
/// names of `country_names.tsv` (i18n-iso-countries, 13 languages) where no earlier key took
/// the same text. Both the plain and the `ae/oe/ue` spelling are keys (`Österreich`,
/// `Oesterreich`, `Osterreich`).
fn index_countries(
    countries: &[Country],
    country_names: &'static str,
    warnings: &mut Vec<String>,
) -> (FastMap<String, u32>, FastMap<String, u32>) {
    let by_iso2: FastMap<String, u32> = countries
        .iter()
        .enumerate()
        .map(|(index, country)| (country.iso2.clone(), index as u32))
        .collect();
    let mut by_key = FastMap::default();
    for (index, country) in countries.iter().enumerate() {
        let name = normalize(&country.name);
        let name = name.strip_prefix("the ").unwrap_or(&name).to_string();
        by_key.insert(name, index as u32);
        by_key.insert(country.iso2.to_ascii_lowercase(), index as u32);
        by_key.insert(country.iso3.to_ascii_lowercase(), index as u32);
    }
    let mut key = String::new();
    for (alias, iso2) in COUNTRY_ALIASES {
        if let Some(&index) = by_iso2.get(*iso2) {
            each_spelling(alias, &mut key, |spelling| {
                by_key.insert(spelling.to_string(), index);
            });
        }
    }
    for (line, fields) in tsv_rows::<3>(country_names) {
        match fields {
            Ok([iso2, _langs, name]) => match by_iso2.get(iso2) {
                Some(&index) => each_spelling(name, &mut key, |spelling| {
                    let spelling = spelling.strip_prefix("the ").unwrap_or(spelling);
                    by_key.entry(spelling.to_string()).or_insert(index);
                }),
                None => warnings.push(format!(
                    "country_names.tsv line {line}: `{iso2}` is not a country of countries.tsv"
                )),
            },
            Err(reason) => warnings.push(format!("country_names.tsv line {line}: {reason}")),
        }
    }
    (by_iso2, by_key)
}
