//! Same-name places and the context that chooses among them (`Ede` NL or NG).
//!
//! # The rule
//!
//! A name that several cities carry (`Ede`, `Halle`, `Cambridge`) and that is written without
//! a country resolves to, first match wins:
//!
//! 1. the city in the country of the **journey's other end** (the destination for the origin,
//!    the origin for the destination and the stopovers), when that end is one place; when the
//!    other end is a same-name place too, a country both names have (`Lagos` → `Ede`: Nigeria);
//! 2. the city in the **campus country** (the configuration's `campus`), when one is given;
//! 3. the default ranking of the gazetteer (curated exonym, primary name, partner city,
//!    population; see [`super`]).
//!
//! A candidate counts when it carries the name as a curated exonym or a primary name, or as an
//! alternate name when the best candidate is itself only an alternate (`Frankfurt`): the noisy
//! GeoNames alternates do not make a name ambiguous on their own. Every choice among several
//! candidates is reported with the other places and how to ask for each (`Ede, NG`).

use super::Place;
use serde::Serialize;

/// What decided among same-name places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    /// The name is carried by one place only (or the query named the country).
    Only,
    /// The default ranking (curated exonym, primary name, partner city, population).
    Ranking,
    /// The country of the journey's other end.
    OtherEnd,
    /// The campus country of the configuration.
    Campus,
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Choice::Only => "only place of the name",
            Choice::Ranking => "largest or best-known place of the name",
            Choice::OtherEnd => "country of the journey's other end",
            Choice::Campus => "campus country",
        })
    }
}

/// A resolved query with the other places that carry its name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    /// Every candidate, best-ranked first; one for an unambiguous query.
    pub candidates: Vec<Place>,
    /// Index into `candidates` of the chosen place.
    pub chosen: usize,
    /// What decided.
    pub choice: Choice,
    /// The name part of the query, for the hints (`Ede` → `Ede, NG`).
    pub name: String,
}

impl Resolution {
    /// A query that names one place.
    pub(crate) fn only(place: Place) -> Resolution {
        Resolution {
            name: place.name.clone(),
            candidates: vec![place],
            chosen: 0,
            choice: Choice::Only,
        }
    }

    /// The chosen place.
    pub fn place(&self) -> &Place {
        &self.candidates[self.chosen]
    }

    /// The chosen place, by value.
    pub fn into_place(mut self) -> Place {
        self.candidates.swap_remove(self.chosen)
    }

    /// Whether other places carry the name.
    pub fn is_ambiguous(&self) -> bool {
        self.candidates.len() > 1
    }

    /// The other candidates, each with the query that picks it (`Ede, NG`, or its id when an
    /// earlier candidate of the same country would win: `geonames:2911520`).
    pub fn others(&self) -> Vec<(&Place, String)> {
        self.candidates
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != self.chosen)
            .map(|(index, place)| (place, self.hint(index)))
            .collect()
    }

    /// How to ask for candidate `index` explicitly.
    pub fn hint(&self, index: usize) -> String {
        let place = &self.candidates[index];
        let first_of_country = self
            .candidates
            .iter()
            .position(|other| other.country_code == place.country_code);
        if first_of_country == Some(index) && !place.country_code.is_empty() {
            format!("{}, {}", self.name, place.country_code)
        } else {
            place.id.clone()
        }
    }

    /// One line for messages, empty when the name is unambiguous: `Ede: chose Ede (NL) by the
    /// country of the journey's other end; also Ede (NG) — write `Ede, NG``.
    pub fn note(&self) -> String {
        if !self.is_ambiguous() {
            return String::new();
        }
        let others: Vec<String> = self
            .others()
            .iter()
            .take(4)
            .map(|(place, hint)| format!("{place} (write `{hint}`)"))
            .collect();
        let more = self.candidates.len().saturating_sub(5);
        format!(
            "`{}` is ambiguous: chose {} by the {}; other places of the name: {}{}",
            self.name,
            self.place(),
            self.choice,
            others.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )
    }

    /// The first candidate in one of `countries` (in the order given), if any.
    fn in_countries(&self, countries: &[&str]) -> Option<usize> {
        countries.iter().find_map(|country| {
            self.candidates
                .iter()
                .position(|place| place.country_code == *country)
        })
    }

    /// Countries of the candidates, in rank order, each once.
    fn countries(&self) -> Vec<&str> {
        let mut countries: Vec<&str> = Vec::with_capacity(self.candidates.len());
        for place in &self.candidates {
            if !countries.contains(&place.country_code.as_str()) {
                countries.push(&place.country_code);
            }
        }
        countries
    }
}

/// Applies [the rule](self) to the stops of one journey, in place: origin first, stopovers,
/// destination last. `campus` is an ISO2 code.
///
/// ```
/// use mobility_footprint::places::{Choice, Gazetteer, choose_by_context};
///
/// let g = Gazetteer::bundled();
/// let mut stops = vec![g.resolve_all("Enschede").unwrap(), g.resolve_all("Ede").unwrap()];
/// choose_by_context(&mut stops, None);
/// assert_eq!(stops[1].place().country_code, "NL");
/// assert_eq!(stops[1].choice, Choice::OtherEnd);
/// assert!(stops[1].note().contains("`Ede, NG`"));
/// ```
pub fn choose_by_context(stops: &mut [Resolution], campus: Option<&str>) {
    let n = stops.len();
    if n == 0 || stops.iter().all(|stop| !stop.is_ambiguous()) {
        return;
    }
    let chosen: Vec<(usize, Choice)> = (0..n)
        .map(|i| {
            let stop = &stops[i];
            if !stop.is_ambiguous() {
                return (stop.chosen, stop.choice);
            }
            let ends: Vec<usize> = match i {
                0 => vec![n - 1],
                i if i == n - 1 => vec![0],
                _ => vec![0, n - 1],
            };
            for end in ends.into_iter().filter(|&end| end != i) {
                let other = &stops[end];
                let countries: Vec<&str> = if other.is_ambiguous() {
                    other.countries()
                } else {
                    vec![other.place().country_code.as_str()]
                };
                if let Some(index) = stop.in_countries(&countries) {
                    return (index, Choice::OtherEnd);
                }
            }
            if let Some(index) = campus.and_then(|campus| stop.in_countries(&[campus])) {
                return (index, Choice::Campus);
            }
            (stop.chosen, stop.choice)
        })
        .collect();
    for (stop, (index, choice)) in stops.iter_mut().zip(chosen) {
        stop.chosen = index;
        stop.choice = choice;
    }
}
