//! Whether two countries are connected by land: the plausibility rule for surface journeys.
//!
//! A train, coach, bus, car, taxi, motorbike, moped, tram, metro, bike, e-bike, e-scooter or
//! walk between two places needs a land route (bridges and tunnels count, ferries do not).
//! The rule works on land masses, not on roads:
//!
//! - the countries of Europe, Asia and Africa (GeoNames continent codes `EU`, `AS`, `AF`)
//!   form one land mass (Great Britain through the Channel Tunnel, Africa through Sinai);
//! - every other continent (`NA`, `SA`, `OC`, `AN`) is its own land mass (the Darién Gap has
//!   no road or railway between North and South America);
//! - the island states of [`ISLAND_STATES`] are each a land mass of their own, whatever their
//!   continent (Iceland, Japan, Australia, New Zealand ...);
//! - a place without a known country (literal coordinates) is never ruled out.
//!
//! It does not know about islands inside a country (Sardinia, Hokkaido) or about roads: it
//! rules out journeys that cannot exist, it does not check that one does.

use super::Gazetteer;

/// Island states without a fixed link (bridge, tunnel, causeway) to another country, each
/// treated as its own land mass. General geography; countries that share an island with a
/// neighbour (Ireland, Hispaniola, Borneo, New Guinea, Timor) or have a fixed link
/// (Singapore, Bahrain, Denmark) are not in the list.
pub const ISLAND_STATES: &[&str] = &[
    "AU", "BB", "BS", "CU", "CV", "CY", "FJ", "IS", "JM", "JP", "KM", "LK", "MG", "MT", "MU", "MV",
    "NZ", "PH", "SC", "ST", "TT", "TW", "WS", "TO", "VU", "SB",
];

/// The land mass of a country, or `None` when the country is unknown.
fn land_mass<'a>(gazetteer: &'a Gazetteer, iso2: &'a str) -> Option<&'a str> {
    let iso2 = iso2.trim();
    if iso2.is_empty() {
        return None;
    }
    if ISLAND_STATES
        .iter()
        .any(|island| island.eq_ignore_ascii_case(iso2))
    {
        return Some(iso2);
    }
    match gazetteer.continent(iso2)? {
        "EU" | "AS" | "AF" => Some("Europe, Asia and Africa"),
        other => Some(other),
    }
}

/// Why no land route connects two countries, for messages: `None` when one may (same land
/// mass, same country, or a country unknown).
///
/// ```
/// use mobility_footprint::places::{Gazetteer, no_land_route};
///
/// let g = Gazetteer::bundled();
/// assert_eq!(no_land_route(g, "NL", "DE"), None);
/// assert_eq!(no_land_route(g, "NL", "CN"), None);
/// let reason = no_land_route(g, "NL", "US").unwrap();
/// assert_eq!(reason, "no land route between The Netherlands (Europe) and United States (North America)");
/// ```
pub fn no_land_route(gazetteer: &Gazetteer, from_iso2: &str, to_iso2: &str) -> Option<String> {
    if from_iso2.trim().eq_ignore_ascii_case(to_iso2.trim()) {
        return None;
    }
    let (a, b) = (
        land_mass(gazetteer, from_iso2)?,
        land_mass(gazetteer, to_iso2)?,
    );
    if a == b {
        return None;
    }
    let describe = |iso2: &str| {
        let name = gazetteer.country_name(iso2).unwrap_or(iso2);
        if ISLAND_STATES.iter().any(|i| i.eq_ignore_ascii_case(iso2)) {
            format!("{name} (an island state)")
        } else {
            let continent = gazetteer.continent(iso2).map_or("?", continent_name);
            format!("{name} ({continent})")
        }
    };
    Some(format!(
        "no land route between {} and {}",
        describe(from_iso2),
        describe(to_iso2)
    ))
}

/// English name of a GeoNames continent code.
pub fn continent_name(code: &str) -> &'static str {
    match code {
        "AF" => "Africa",
        "AN" => "Antarctica",
        "AS" => "Asia",
        "EU" => "Europe",
        "NA" => "North America",
        "OC" => "Oceania",
        "SA" => "South America",
        _ => "unknown continent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn continents_and_islands() {
        let g = Gazetteer::bundled();
        for (a, b) in [
            ("NL", "DE"),
            ("NL", "GB"),
            ("NL", "CN"),
            ("FR", "MA"),
            ("US", "MX"),
        ] {
            assert_eq!(no_land_route(g, a, b), None, "{a}-{b}");
        }
        for (a, b) in [
            ("NL", "US"),
            ("NL", "JP"),
            ("AU", "NZ"),
            ("NL", "IS"),
            ("US", "BR"),
        ] {
            assert!(no_land_route(g, a, b).is_some(), "{a}-{b}");
        }
        assert_eq!(
            no_land_route(g, "JP", "JP"),
            None,
            "inside one island state"
        );
        assert_eq!(no_land_route(g, "", "US"), None, "unknown country");
        let reason = no_land_route(g, "NL", "JP").unwrap();
        assert!(reason.ends_with("Japan (an island state)"), "{reason}");
    }

    #[test]
    fn island_states_are_countries() {
        let g = Gazetteer::bundled();
        for iso2 in ISLAND_STATES {
            assert!(g.country_name(iso2).is_some(), "{iso2}");
        }
    }

    proptest! {
        #[test]
        fn symmetric(a in 0usize..252, b in 0usize..252) {
            let g = Gazetteer::bundled();
            let codes = g.country_codes();
            let (a, b) = (codes[a % codes.len()], codes[b % codes.len()]);
            prop_assert_eq!(no_land_route(g, a, b).is_some(), no_land_route(g, b, a).is_some());
            prop_assert_eq!(no_land_route(g, a, a), None);
        }
    }
}
