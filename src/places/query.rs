//! Recognising the shapes of a query that are not names: coordinates, postcodes, codes.

/// What a query looks like when read as coordinates.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::enum_variant_names)] // `NotCoordinates` reads best at the match sites
pub(crate) enum Coordinates {
    /// Not a list of numbers: treat the query as a name.
    NotNumbers,
    /// A valid WGS84 point in degrees.
    Valid { lat_deg: f64, lon_deg: f64 },
    /// Numbers, but not a valid point; the reason names the problem.
    Invalid(String),
}

/// Reads `lat,lon` in decimal degrees: `52.24,6.86`, `-33.9, 151.2`, `52.24 6.86`,
/// `52.24;6.86`, `52.24°N 6.86°E`, `33.9S, 151.2E` (hemisphere letters may also swap the
/// order: `6.86E 52.24N`). Decimal commas are not accepted (`52,24` is ambiguous).
pub(crate) fn parse_coordinates(query: &str) -> Coordinates {
    let parts: Vec<&str> = if query.contains([',', ';']) {
        query.split([',', ';']).map(str::trim).collect()
    } else {
        query.split_whitespace().collect()
    };
    if parts.len() < 2 {
        return Coordinates::NotNumbers;
    }
    let numbers: Vec<Option<(f64, Option<char>)>> = parts
        .iter()
        .map(|part| (!part.is_empty()).then(|| parse_degrees(part)).flatten())
        .collect();
    let parsed = numbers.iter().filter(|number| number.is_some()).count();
    let empty = parts.iter().filter(|part| part.is_empty()).count();
    if parsed == 0 || parsed + empty != parts.len() {
        return Coordinates::NotNumbers;
    }
    let [Some(first), Some(second)] = numbers[..] else {
        let hint = if parts.len() == 4 && query.contains(',') {
            " (use a decimal point: `52.24,6.86`)"
        } else {
            ""
        };
        return Coordinates::Invalid(format!(
            "expected `lat,lon` (two numbers in decimal degrees), found {parsed} number{}{hint}",
            if parsed == 1 { "" } else { "s" }
        ));
    };
    let ((lat_deg, lat_hemisphere), (lon_deg, lon_hemisphere)) = match (first.1, second.1) {
        (Some('E' | 'W'), Some('N' | 'S')) => (second, first),
        _ => (first, second),
    };
    for (hemisphere, axis, allowed) in [
        (lat_hemisphere, "latitude", ['N', 'S']),
        (lon_hemisphere, "longitude", ['E', 'W']),
    ] {
        if let Some(letter) = hemisphere {
            if !allowed.contains(&letter) {
                return Coordinates::Invalid(format!(
                    "hemisphere letter {letter} does not fit the {axis}; write e.g. `52.24N, 6.86E`"
                ));
            }
        }
    }
    validate(lat_deg, lon_deg)
}

/// Checks that a point is a finite WGS84 latitude/longitude in degrees.
pub(crate) fn validate(lat_deg: f64, lon_deg: f64) -> Coordinates {
    if lat_deg.is_nan() {
        return Coordinates::Invalid("latitude is not a number (NaN)".into());
    }
    if lon_deg.is_nan() {
        return Coordinates::Invalid("longitude is not a number (NaN)".into());
    }
    let swap_hint = if lat_deg.abs() <= 180.0 && lon_deg.abs() <= 90.0 {
        "; latitude comes first (`lat,lon`)"
    } else {
        ""
    };
    if !(-90.0..=90.0).contains(&lat_deg) {
        return Coordinates::Invalid(format!("latitude {lat_deg} is outside -90..90{swap_hint}"));
    }
    if !(-180.0..=180.0).contains(&lon_deg) {
        return Coordinates::Invalid(format!("longitude {lon_deg} is outside -180..180"));
    }
    Coordinates::Valid { lat_deg, lon_deg }
}

/// One coordinate: a decimal number, optionally followed by `°` and/or a hemisphere letter
/// (`S` and `W` negate). Returns the signed value and the letter.
fn parse_degrees(part: &str) -> Option<(f64, Option<char>)> {
    let compact: String = part.chars().filter(|ch| !ch.is_whitespace()).collect();
    if let Ok(value) = compact.parse::<f64>() {
        return Some((value, None));
    }
    let (body, hemisphere) = match compact.char_indices().last() {
        Some((at, letter)) if "NSEWnsew".contains(letter) => {
            (&compact[..at], Some(letter.to_ascii_uppercase()))
        }
        _ => (compact.as_str(), None),
    };
    let degree_sign = body.strip_suffix('°');
    if hemisphere.is_none() && degree_sign.is_none() {
        return None;
    }
    let body = degree_sign.unwrap_or(body);
    if !body.starts_with(|ch: char| ch.is_ascii_digit() || ch == '.' || ch == '-' || ch == '+') {
        return None;
    }
    let value: f64 = body.parse().ok()?;
    match hemisphere {
        Some('S' | 'W') => Some((-value, hemisphere)),
        _ => Some((value, hemisphere)),
    }
}

/// A Dutch postcode: `7522`, `7522 NB`, `7522NB`, optionally prefixed `NL-` or `NL `.
/// Returns the four-digit PC4 part.
pub(crate) fn parse_postcode(query: &str) -> Option<u16> {
    let compact: String = query.chars().filter(|ch| !ch.is_whitespace()).collect();
    let compact = compact
        .strip_prefix("NL-")
        .or_else(|| compact.strip_prefix("nl-"))
        .or_else(|| compact.strip_prefix("NL"))
        .or_else(|| compact.strip_prefix("nl"))
        .unwrap_or(&compact);
    let bytes = compact.as_bytes();
    let digits_ok = bytes.len() >= 4 && bytes[..4].iter().all(u8::is_ascii_digit);
    let letters_ok = match bytes.len() {
        4 => true,
        6 => bytes[4..].iter().all(u8::is_ascii_alphabetic),
        _ => false,
    };
    if digits_ok && letters_ok {
        compact[..4].parse().ok()
    } else {
        None
    }
}

/// Three ASCII letters typed in upper case: read as an IATA airport code first.
pub(crate) fn is_uppercase_iata(query: &str) -> bool {
    query.len() == 3 && query.bytes().all(|byte| byte.is_ascii_uppercase())
}

/// Three ASCII letters in any case: an airport code is tried after the names.
pub(crate) fn is_any_case_iata(query: &str) -> bool {
    query.len() == 3 && query.bytes().all(|byte| byte.is_ascii_alphabetic())
}

/// The explicit forms that [`Place::id`](super::Place::id) uses, so that every id resolves back
/// to its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdPrefix {
    GeoNames,
    Iata,
    Icao,
    Partner,
    Pc4,
    Coord,
}

/// Splits `prefix:value` when the prefix is one of [`IdPrefix`] (case-insensitive).
pub(crate) fn split_id(query: &str) -> Option<(IdPrefix, &str)> {
    let (prefix, value) = query.split_once(':')?;
    let prefix = match prefix.trim().to_ascii_lowercase().as_str() {
        "geonames" => IdPrefix::GeoNames,
        "iata" => IdPrefix::Iata,
        "icao" => IdPrefix::Icao,
        "partner" => IdPrefix::Partner,
        "pc4" => IdPrefix::Pc4,
        "coord" => IdPrefix::Coord,
        _ => return None,
    };
    Some((prefix, value.trim()))
}

/// `Name, Country` (split at the last comma) or `Name (CC)` with a two-letter code.
pub(crate) fn split_country(query: &str) -> Option<(&str, &str)> {
    if let Some(open_paren) = query.strip_suffix(')').and_then(|rest| rest.rfind('(')) {
        let inner = query[open_paren + 1..query.len() - 1].trim();
        let name = query[..open_paren].trim();
        if inner.len() == 2 && inner.bytes().all(|b| b.is_ascii_alphabetic()) && !name.is_empty() {
            return Some((name, inner));
        }
    }
    let (name, country) = query.rsplit_once(',')?;
    let (name, country) = (name.trim(), country.trim());
    (!name.is_empty() && !country.is_empty()).then_some((name, country))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(lat_deg: f64, lon_deg: f64) -> Coordinates {
        Coordinates::Valid { lat_deg, lon_deg }
    }

    #[test]
    fn coordinate_shapes() {
        assert_eq!(parse_coordinates("52.24,6.86"), valid(52.24, 6.86));
        assert_eq!(parse_coordinates("-33.9, 151.2"), valid(-33.9, 151.2));
        assert_eq!(parse_coordinates("52.24 6.86"), valid(52.24, 6.86));
        assert_eq!(parse_coordinates("52.24;6.86"), valid(52.24, 6.86));
        assert_eq!(parse_coordinates("52.24°N, 6.86°E"), valid(52.24, 6.86));
        assert_eq!(parse_coordinates("33.9S 151.2E"), valid(-33.9, 151.2));
        assert_eq!(parse_coordinates("6.86E 52.24N"), valid(52.24, 6.86));
        assert_eq!(parse_coordinates("+52 -6"), valid(52.0, -6.0));
    }

    #[test]
    fn names_are_not_coordinates() {
        for query in [
            "Enschede",
            "Valencia, ES",
            "7522 NB",
            "7522",
            "Nan",
            "E N",
            "Frankfurt, DE",
        ] {
            assert_eq!(parse_coordinates(query), Coordinates::NotNumbers, "{query}");
        }
    }

    #[test]
    fn invalid_coordinates_name_the_problem() {
        let Coordinates::Invalid(reason) = parse_coordinates("95,-96") else {
            panic!("95,-96 must be invalid");
        };
        assert_eq!(reason, "latitude 95 is outside -90..90");
        let Coordinates::Invalid(reason) = parse_coordinates("6.86,192.24") else {
            panic!("longitude out of range");
        };
        assert_eq!(reason, "longitude 192.24 is outside -180..180");
        let Coordinates::Invalid(reason) = parse_coordinates("151.2,-33.9") else {
            panic!("swapped");
        };
        assert!(reason.contains("latitude comes first"), "{reason}");
        let Coordinates::Invalid(reason) = parse_coordinates("NaN, 5") else {
            panic!("NaN");
        };
        assert!(reason.contains("NaN"), "{reason}");
        let Coordinates::Invalid(reason) = parse_coordinates("52,24,6,86") else {
            panic!("decimal comma");
        };
        assert!(reason.contains("decimal point"), "{reason}");
        let Coordinates::Invalid(reason) = parse_coordinates("52.24,") else {
            panic!("one number");
        };
        assert!(reason.contains("found 1 number"), "{reason}");
        assert!(matches!(
            parse_coordinates("52N 6N"),
            Coordinates::Invalid(_)
        ));
        assert!(matches!(
            parse_coordinates("inf, 5"),
            Coordinates::Invalid(_)
        ));
    }

    #[test]
    fn postcodes() {
        assert_eq!(parse_postcode("7522"), Some(7522));
        assert_eq!(parse_postcode("7522 NB"), Some(7522));
        assert_eq!(parse_postcode("7522nb"), Some(7522));
        assert_eq!(parse_postcode("NL-7522 NB"), Some(7522));
        assert_eq!(parse_postcode("752"), None);
        assert_eq!(parse_postcode("75221"), None);
        assert_eq!(parse_postcode("7522 N"), None);
        assert_eq!(parse_postcode("Oss"), None);
    }

    #[test]
    fn country_suffixes() {
        assert_eq!(split_country("Valencia, VE"), Some(("Valencia", "VE")));
        assert_eq!(
            split_country("Cambridge, United States"),
            Some(("Cambridge", "United States"))
        );
        assert_eq!(split_country("Barcelona (ES)"), Some(("Barcelona", "ES")));
        assert_eq!(split_country("Frankfurt (Oder)"), None);
        assert_eq!(split_country("Enschede"), None);
        assert_eq!(split_country(", NL"), None);
    }

    #[test]
    fn id_prefixes() {
        assert_eq!(split_id("iata:AMS"), Some((IdPrefix::Iata, "AMS")));
        assert_eq!(
            split_id("GeoNames:2756071"),
            Some((IdPrefix::GeoNames, "2756071"))
        );
        assert_eq!(
            split_id("coord:52.24,6.86"),
            Some((IdPrefix::Coord, "52.24,6.86"))
        );
        assert_eq!(split_id("Washington: DC"), None);
        assert_eq!(split_id("Enschede"), None);
    }
}
