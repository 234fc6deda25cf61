//! Acceptance checks of the gazetteer against the bundled tables.

use super::*;
use proptest::prelude::*;
use std::collections::HashSet;

fn gazetteer() -> &'static Gazetteer {
    Gazetteer::bundled()
}

fn id_of(query: &str) -> String {
    match gazetteer().resolve(query) {
        Ok(place) => place.id,
        Err(error) => panic!("`{query}` did not resolve: {error}"),
    }
}

fn error_of(query: &str) -> PlaceError {
    match gazetteer().resolve(query) {
        Ok(place) => panic!("`{query}` resolved to {place:?}"),
        Err(error) => error,
    }
}

const ENSCHEDE: &str = "geonames:2756071";
const MUNICH: &str = "geonames:2867714";
const THE_HAGUE: &str = "geonames:2747373";
const LISBON: &str = "geonames:2267057";
const ZURICH: &str = "geonames:2657896";

#[test]
fn gazetteer_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Gazetteer>();
    assert_send_sync::<PlaceError>();
}

#[test]
fn bundle_reads_every_row() {
    let tables = &gazetteer().tables;
    assert_eq!(gazetteer().data_warnings(), &[] as &[String]);
    assert_eq!(tables.cities.len(), 34_006);
    assert_eq!(tables.countries.len(), 252);
    assert_eq!(tables.airports.len(), 7_859);
    assert_eq!(tables.postcodes.len(), 4_086);
    assert_eq!(tables.partners.len(), 128);
}

#[test]
fn city_names_ignore_case_and_diacritics() {
    assert_eq!(id_of("zurich"), ZURICH);
    assert_eq!(id_of("Zürich"), ZURICH);
    assert_eq!(id_of("ZUERICH"), ZURICH);
    assert_eq!(id_of("MÜNCHEN"), MUNICH);
    assert_eq!(id_of("enschede"), ENSCHEDE);
    assert_eq!(id_of("  Enschede\t"), ENSCHEDE);
    assert_eq!(id_of("\"Enschede\""), ENSCHEDE);
    assert_eq!(id_of("lodz"), "geonames:3093133");
    assert_eq!(id_of("s-Hertogenbosch"), "geonames:2747351");
}

#[test]
fn alternate_names_and_exonyms() {
    for (query, id) in [
        ("Munich", MUNICH),
        ("München", MUNICH),
        ("Muenchen", MUNICH),
        ("The Hague", THE_HAGUE),
        ("Den Haag", THE_HAGUE),
        ("den haag", THE_HAGUE),
        ("'s-Gravenhage", THE_HAGUE),
        ("Lisbon", LISBON),
        ("Lisboa", LISBON),
        ("Den Bosch", "geonames:2747351"),
    ] {
        assert_eq!(id_of(query), id, "{query}");
    }
    let hague = gazetteer().resolve("Den Haag").unwrap();
    assert_eq!(
        (hague.name.as_str(), hague.country_code.as_str()),
        ("The Hague", "NL")
    );
}

#[test]
fn ambiguous_names_follow_the_documented_ranking() {
    // Biggest Cambridge in cities15000: GB 145,674 > CA 129,920 > US (MA) 110,402.
    assert_eq!(id_of("Cambridge"), "geonames:2653941");
    // Partner-pinned beats population: Valencia ES (824,340) over Valencia VE (1,619,470).
    assert_eq!(id_of("Valencia"), "geonames:2509954");
    // Pinned Salamanca ES, not the Madrid district (147,707) or Salamanca MX (160,682).
    assert_eq!(id_of("Salamanca"), "geonames:3111108");
    assert_eq!(id_of("Barcelona"), "geonames:3128760");
    // Frankfurt am Main's alternate name beats the implied name of Frankfurt (Oder).
    assert_eq!(id_of("Frankfurt"), "geonames:2925533");
    assert_eq!(id_of("Frankfurt (Oder)"), "geonames:2925535");
    // A primary name beats a bigger city's alternate name.
    assert_eq!(gazetteer().resolve("Vienne").unwrap().country_code, "FR");
    // Population: Ede NG (159,866) over Ede NL (67,670) ...
    assert_eq!(gazetteer().resolve("Ede").unwrap().country_code, "NG");
}

#[test]
fn preferred_country_breaks_ties_within_a_tier() {
    let mut dutch = gazetteer().clone();
    dutch.prefer_country(Some("Netherlands")).unwrap();
    assert_eq!(dutch.preferred_country(), Some("NL"));
    assert_eq!(dutch.resolve("Ede").unwrap().id, "geonames:2756429");
    // No Dutch Valencia: the default ranking still applies.
    assert_eq!(dutch.resolve("Valencia").unwrap().id, "geonames:2509954");
    assert!(matches!(
        dutch.prefer_country(Some("Narnia")),
        Err(PlaceError::UnknownCountry { .. })
    ));
    dutch.prefer_country(None).unwrap();
    assert_eq!(dutch.resolve("Ede").unwrap().country_code, "NG");
    assert_eq!(gazetteer().preferred_country(), None);
}

#[test]
fn every_partner_city_resolves_to_the_city_it_cites() {
    let tables = &gazetteer().tables;
    for partner in tables.partners.iter().filter(|p| p.id.starts_with("city-")) {
        let Some(cited) = tables::cited_geonameid(&partner.source) else {
            panic!("{} cites no geonameid", partner.id);
        };
        assert_eq!(
            id_of(&partner.city),
            format!("geonames:{cited}"),
            "{}",
            partner.city
        );
    }
}

#[test]
fn country_qualifier_disambiguates() {
    assert_eq!(id_of("Valencia, VE"), "geonames:3625549");
    assert_eq!(id_of("Valencia, Venezuela"), "geonames:3625549");
    assert_eq!(id_of("Valencia,ve"), "geonames:3625549");
    assert_eq!(id_of("Cambridge, US"), "geonames:4931972");
    assert_eq!(id_of("Cambridge, United States"), "geonames:4931972");
    assert_eq!(
        id_of("cambridge, united states of america"),
        "geonames:4931972"
    );
    assert_eq!(id_of("Cambridge, USA"), "geonames:4931972");
    assert_eq!(id_of("Cambridge, UK"), "geonames:2653941");
    assert_eq!(id_of("Frankfurt, DE"), "geonames:2925533");
    assert_eq!(id_of("Frankfurt, Deutschland"), "geonames:2925533");
    assert_eq!(id_of("Den Haag, Netherlands"), THE_HAGUE);
    assert_eq!(id_of("Den Haag, The Netherlands"), THE_HAGUE);
    assert_eq!(id_of("Ede, NL"), "geonames:2756429");
    assert_eq!(id_of("Barcelona (VE)"), "geonames:3648559");
    assert_eq!(id_of("Zürich, Switzerland"), ZURICH);
    // GeoNames names that contain a comma stay names.
    assert_eq!(id_of("Misato, Saitama"), "geonames:6822137");
}

#[test]
fn unknown_country_suggests_countries() {
    let error = error_of("Frankfurt, Germny");
    let PlaceError::UnknownCountry {
        ref country,
        ref suggestions,
        ..
    } = error
    else {
        panic!("{error:?}");
    };
    assert_eq!(country, "Germny");
    assert_eq!(
        suggestions.first().map(String::as_str),
        Some("Germany (DE)")
    );
    assert_eq!(
        error.to_string(),
        "unknown country `Germny` in `Frankfurt, Germny`; did you mean Germany (DE)?"
    );
}

#[test]
fn known_name_in_the_wrong_country() {
    let error = error_of("Valencia, NL");
    let PlaceError::NotInCountry {
        ref country_code,
        ref suggestions,
        ..
    } = error
    else {
        panic!("{error:?}");
    };
    assert_eq!(country_code, "NL");
    assert_eq!(suggestions[..2], ["Valencia (ES)", "Valencia (VE)"]);
    assert!(
        error
            .to_string()
            .starts_with("no place named `Valencia` in NL; did you mean")
    );
    // A typo inside a country suggests names of that country.
    let PlaceError::Unknown { suggestions, .. } = error_of("Enchede, NL") else {
        panic!("Enchede, NL");
    };
    assert_eq!(
        suggestions.first().map(String::as_str),
        Some("Enschede (NL)")
    );
}

#[test]
fn three_letter_codes() {
    assert_eq!(id_of("AMS"), "iata:AMS");
    assert_eq!(id_of("FMO"), "iata:FMO");
    // Capitals mean an airport when the code exists (OSS = Osh, Kyrgyzstan) ...
    assert_eq!(id_of("OSS"), "iata:OSS");
    // ... otherwise names come first.
    assert_eq!(id_of("Oss"), "geonames:2749234");
    assert_eq!(id_of("oss"), "geonames:2749234");
    assert_eq!(gazetteer().resolve("Rio").unwrap().id, "geonames:3451190");
    // No city is called `ams`: the airport is the last resort.
    assert_eq!(id_of("ams"), "iata:AMS");
    assert_eq!(id_of("iata:ams"), "iata:AMS");
    let schiphol = gazetteer().resolve("AMS").unwrap();
    assert_eq!(schiphol.name, "Amsterdam Airport Schiphol");
    assert_eq!(schiphol.kind, PlaceKind::Airport);
    assert_eq!(schiphol.source, SOURCE_AIRPORTS);
    assert_eq!(id_of("icao:EHAM"), "iata:AMS");
    // Four capitals are a name, not an ICAO code.
    assert_eq!(id_of("ROME"), "geonames:3169070");
    assert_eq!(gazetteer().resolve("LIMA").unwrap().country_code, "PE");
}

#[test]
fn partners_by_id_and_name() {
    let ut = gazetteer().resolve("ut").unwrap();
    assert_eq!(ut.id, "partner:ut");
    assert_eq!(ut.kind, PlaceKind::Partner);
    assert_eq!(ut.name, "University of Twente");
    assert_eq!((ut.lat_deg, ut.lon_deg), (52.2412, 6.8634));
    assert!(ut.source.contains("PC4 7522"));
    assert_eq!(id_of("UT"), "partner:ut");
    assert_eq!(id_of("eciu-aau"), "partner:eciu-aau");
    assert_eq!(id_of("ECIU-AAU"), "partner:eciu-aau");
    assert_eq!(id_of("University of Twente"), "partner:ut");
    assert_eq!(id_of("tampere university"), "partner:eciu-tau");
    assert_eq!(id_of("partner:eciu-tec-qro"), "partner:eciu-tec-qro");
    // A city-named partner row does not shadow the city.
    assert_eq!(id_of("Madrid"), "geonames:3117735");
}

#[test]
fn dutch_postcodes() {
    for query in ["7522", "7522 NB", "7522NB", "7522 nb", "pc4:7522"] {
        let place = gazetteer().resolve(query).unwrap();
        assert_eq!(place.id, "pc4:7522", "{query}");
        assert_eq!(place.kind, PlaceKind::Postcode);
        assert_eq!(place.name, "7522 Enschede");
        assert_eq!(place.country_code, "NL");
        assert_eq!((place.lat_deg, place.lon_deg), (52.2412, 6.8634));
        assert_eq!(place.source, SOURCE_POSTCODES);
    }
    let error = error_of("1000");
    assert!(matches!(
        error,
        PlaceError::UnknownPostcode { pc4: 1000, .. }
    ));
    assert_eq!(
        error.to_string(),
        "unknown Dutch postcode `1000` (PC4 1000); did you mean 1011, 1012?"
    );
}

#[test]
fn literal_coordinates() {
    let place = gazetteer().resolve("52.24,6.86").unwrap();
    assert_eq!(place.id, "coord:52.24,6.86");
    assert_eq!(place.kind, PlaceKind::Coordinates);
    assert_eq!(place.source, SOURCE_COORDINATES);
    assert_eq!(place.country_code, "");
    assert_eq!((place.lat_deg, place.lon_deg), (52.24, 6.86));
    let sydney = gazetteer().resolve("-33.9, 151.2").unwrap();
    assert_eq!((sydney.lat_deg, sydney.lon_deg), (-33.9, 151.2));
    assert_eq!(sydney.id, "coord:-33.9,151.2");
    assert_eq!(id_of("52.24 6.86"), "coord:52.24,6.86");
    assert_eq!(id_of("coord:52.24,6.86"), "coord:52.24,6.86");
}

#[test]
fn invalid_coordinates_name_the_problem() {
    let error = error_of("95, 186.86");
    assert_eq!(
        error,
        PlaceError::InvalidCoordinates {
            query: "95, 186.86".into(),
            reason: "latitude 95 is outside -90..90".into(),
        }
    );
    assert_eq!(
        error.to_string(),
        "invalid coordinates `95, 186.86`: latitude 95 is outside -90..90"
    );
    // When swapping would give a valid point, the message says which number comes first.
    assert_eq!(
        error_of("95, 6.86").to_string(),
        "invalid coordinates `95, 6.86`: latitude 95 is outside -90..90; \
         latitude comes first (`lat,lon`)"
    );
    let PlaceError::InvalidCoordinates { reason, .. } = error_of("52.24, 200") else {
        panic!("longitude");
    };
    assert_eq!(reason, "longitude 200 is outside -180..180");
    let PlaceError::InvalidCoordinates { reason, .. } = error_of("NaN,6.86") else {
        panic!("NaN");
    };
    assert!(reason.contains("NaN"));
    assert!(matches!(
        error_of("coord:enschede"),
        PlaceError::InvalidCoordinates { .. }
    ));
}

#[test]
fn empty_queries() {
    for query in ["", " ", "\t\n", "\"\""] {
        assert_eq!(error_of(query), PlaceError::Empty, "{query:?}");
    }
}

#[test]
fn misspellings_get_suggestions_not_guesses() {
    let PlaceError::Unknown { query, suggestions } = error_of("Barcleona") else {
        panic!("Barcleona");
    };
    assert_eq!(query, "Barcleona");
    assert_eq!(
        suggestions.first().map(String::as_str),
        Some("Barcelona (ES)")
    );
    let PlaceError::Unknown { suggestions, .. } = error_of("Enchede") else {
        panic!("Enchede");
    };
    assert_eq!(
        suggestions.first().map(String::as_str),
        Some("Enschede (NL)")
    );
    let message = error_of("Enchede").to_string();
    assert!(message.starts_with("unknown place `Enchede`; did you mean Enschede (NL)"));
    // Every suggestion resolves when typed back.
    for label in gazetteer().suggest("Barcleona", 5) {
        assert!(gazetteer().resolve(&label).is_ok(), "{label}");
    }
    assert_eq!(gazetteer().suggest("eciu-aua", 2).len(), 2);
    assert!(
        gazetteer()
            .suggest("eciu-aua", 2)
            .contains(&"eciu-aau".to_string())
    );
    let partner_names = [
        ("Universty of Twente", "University of Twente"),
        ("Twente", "University of Twente"),
    ];
    for (query, name) in partner_names {
        assert_eq!(gazetteer().suggest(query, 1), [name], "{query}");
    }
    assert!(gazetteer().suggest("", 5).is_empty());
    assert!(gazetteer().suggest("Barcleona", 0).is_empty());
    let PlaceError::Unknown { suggestions, .. } = error_of("qqqqqqqqqqqqqqq") else {
        panic!("nonsense");
    };
    assert!(suggestions.is_empty());
}

#[test]
fn ids_resolve_back() {
    for query in [
        "Enschede",
        "AMS",
        "ut",
        "7522",
        "52.24,6.86",
        "Valencia, VE",
        "-0.5, -0.25",
    ] {
        let place = gazetteer().resolve(query).unwrap();
        assert_eq!(gazetteer().resolve(&place.id), Ok(place), "{query}");
    }
    assert!(matches!(error_of("geonames:1"), PlaceError::Unknown { .. }));
    assert!(matches!(error_of("iata:ZZZ"), PlaceError::Unknown { .. }));
}

#[test]
fn city_place_fields() {
    let enschede = gazetteer().resolve("Enschede").unwrap();
    assert_eq!(
        enschede,
        Place {
            id: ENSCHEDE.into(),
            name: "Enschede".into(),
            country_code: "NL".into(),
            admin1: Some("15".into()),
            lat_deg: 52.21833,
            lon_deg: 6.89583,
            kind: PlaceKind::City,
            source: SOURCE_CITIES.into(),
            population: Some(153_655),
        }
    );
    assert_eq!(enschede.to_string(), "Enschede (NL)");
}

#[test]
fn place_kind_serialises_lower_case() {
    assert_eq!(serde_json::to_string(&PlaceKind::City).unwrap(), "\"city\"");
    assert_eq!(
        serde_json::to_string(&PlaceKind::Coordinates).unwrap(),
        "\"coordinates\""
    );
    assert_eq!(PlaceKind::Postcode.to_string(), "postcode");
    let json = serde_json::to_value(gazetteer().resolve("FMO").unwrap()).unwrap();
    assert_eq!(json["kind"], "airport");
    assert_eq!(json["id"], "iata:FMO");
}

#[test]
fn nearest_scheduled_airports_to_the_campus() {
    let ut = gazetteer().resolve("ut").unwrap();
    let scheduled = gazetteer().nearest_airports(ut.lat_deg, ut.lon_deg, true, 7);
    let codes: Vec<&str> = scheduled.iter().map(|(a, _)| a.iata.as_str()).collect();
    // data/README.md: FMO 57, NRN 87, DTM 95, GRQ 100, DUS 106, EIN 135, AMS 143 km.
    assert_eq!(codes, ["FMO", "NRN", "DTM", "GRQ", "DUS", "EIN", "PAD"]);
    assert!((scheduled[0].1 - 57.0).abs() < 1.0, "{}", scheduled[0].1);
    assert!(scheduled.windows(2).all(|pair| pair[0].1 <= pair[1].1));
    let any = gazetteer().nearest_airports(ut.lat_deg, ut.lon_deg, false, 1);
    assert_eq!(any[0].0.iata, "ENS");
    assert!(!any[0].0.scheduled);
    assert!(
        gazetteer()
            .nearest_airports(f64::NAN, 6.0, true, 3)
            .is_empty()
    );
    assert!(gazetteer().nearest_airports(52.0, 6.0, true, 0).is_empty());
    assert_eq!(
        gazetteer().airport("fmo").map(|a| a.icao.as_str()),
        Some("EDDG")
    );
}

#[test]
fn country_names_and_codes() {
    assert_eq!(gazetteer().country_name("NL"), Some("The Netherlands"));
    assert_eq!(gazetteer().country_name("de"), Some("Germany"));
    assert_eq!(gazetteer().country_name("XX"), None);
    assert_eq!(gazetteer().country_code("Holland"), Some("NL"));
    assert_eq!(gazetteer().country_code("netherlands"), Some("NL"));
    assert_eq!(gazetteer().country_code("DEU"), Some("DE"));
    assert_eq!(gazetteer().country_code("Österreich"), Some("AT"));
    assert_eq!(gazetteer().country_code("Narnia"), None);
}

#[test]
fn aliases_layer_on_top_of_the_bundle() {
    let text = "alias\ttarget\n\
                # typos from the travel agency export\n\
                Enschde\tEnschede\n\
                Valencia VE;Valencia, VE\n\
                Kennispark,52.2385, 6.8543\n\
                Campus\tut\n\
                Home\tKennispark\n\
                Valencia\tValencia, VE\n";
    let mut layered = gazetteer().clone();
    assert_eq!(layered.add_aliases_tsv(text).unwrap(), 6);
    assert_eq!(layered.alias_count(), 6);
    assert_eq!(layered.resolve("enschde").unwrap().id, ENSCHEDE);
    assert_eq!(
        layered.resolve("valencia ve").unwrap().id,
        "geonames:3625549"
    );
    // Aliases override the bundle, and only in the layer.
    assert_eq!(layered.resolve("Valencia").unwrap().id, "geonames:3625549");
    assert_eq!(
        gazetteer().resolve("Valencia").unwrap().id,
        "geonames:2509954"
    );
    let kennispark = layered.resolve("KENNISPARK").unwrap();
    assert_eq!(kennispark.name, "Kennispark");
    assert_eq!(kennispark.id, "coord:52.2385,6.8543");
    assert_eq!(layered.resolve("Home").unwrap(), kennispark);
    assert_eq!(layered.resolve("campus").unwrap().id, "partner:ut");
    assert_eq!(gazetteer().alias_count(), 0);
    let copy = gazetteer().with_aliases("x\tAMS").unwrap();
    assert_eq!(copy.resolve("X").unwrap().id, "iata:AMS");
}

#[test]
fn alias_errors_name_the_line_and_add_nothing() {
    let mut layered = gazetteer().clone();
    let error = layered
        .add_aliases_tsv("ok\tEnschede\n# comment\nbad\tEnchede\n")
        .unwrap_err();
    assert!(matches!(error, PlaceError::AliasTarget { line: 3, .. }));
    assert!(
        error.to_string().starts_with(
            "alias file line 3: alias `bad`: unknown place `Enchede`; did you mean Enschede (NL)"
        ),
        "{error}"
    );
    assert_eq!(layered.alias_count(), 0, "all or nothing");
    let error = layered
        .add_aliases_tsv("a\tEnschede\nA\tHengelo\n")
        .unwrap_err();
    assert_eq!(
        error,
        PlaceError::AliasDuplicate {
            line: 2,
            alias: "A".into(),
            first_line: 1
        }
    );
    assert_eq!(layered.add_aliases_tsv("a\tEnschede\na\tenschede\n"), Ok(1));
    assert!(matches!(
        layered.add_aliases_tsv("no separator here"),
        Err(PlaceError::AliasSyntax { line: 1, .. })
    ));
    assert!(matches!(
        layered.add_aliases_tsv("!!!\tEnschede"),
        Err(PlaceError::AliasSyntax { line: 1, .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn valid_coordinates_round_trip(
        lat_deg in -90.0f64..=90.0,
        lon_deg in -180.0f64..=180.0,
        separator in prop::sample::select(vec![",", ", ", " ", ";", " , "]),
    ) {
        let query = format!("{lat_deg}{separator}{lon_deg}");
        let place = gazetteer().resolve(&query).unwrap();
        prop_assert_eq!(place.lat_deg, lat_deg);
        prop_assert_eq!(place.lon_deg, lon_deg);
        prop_assert_eq!(place.kind, PlaceKind::Coordinates);
        prop_assert_eq!(gazetteer().resolve(&place.id).unwrap(), place);
    }

    #[test]
    fn out_of_range_latitude_is_rejected(
        lat_deg in prop_oneof![90.000_001f64..1e6, -1e6f64..-90.000_001],
        lon_deg in -180.0f64..=180.0,
    ) {
        let query = format!("{lat_deg},{lon_deg}");
        let is_invalid = matches!(
            gazetteer().resolve(&query),
            Err(PlaceError::InvalidCoordinates { .. })
        );
        prop_assert!(is_invalid);
    }
}

proptest! {
    // Random text almost never resolves, so each case scans all names for suggestions
    // (~35 ms unoptimised): fewer cases keep `cargo test` quick.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn resolve_never_panics(query in "\\PC{0,40}") {
        let _ = gazetteer().resolve(&query);
    }

    #[test]
    fn resolve_never_panics_on_near_misses(
        query in "[A-Za-z0-9 ,.;:()'-]{0,20}",
    ) {
        if let Err(error) = gazetteer().resolve(&query) {
            prop_assert!(!error.to_string().contains('\n'));
        }
    }

    #[test]
    fn suggestions_resolve_when_typed_back(query in "[a-z]{3,9}( [a-z]{2,6})?") {
        for label in gazetteer().suggest(&query, 5) {
            prop_assert!(gazetteer().resolve(&label).is_ok(), "{} from {}", label, query);
        }
    }

    #[test]
    fn suggestions_never_panic_and_respect_n(query in "\\PC{0,20}", n in 0usize..8) {
        prop_assert!(gazetteer().suggest(&query, n).len() <= n);
    }
}

#[test]
fn every_city_resolves_by_id_and_by_name_with_country() {
    // A curated exonym wins in its country too (`Halle, DE` is Halle (Saale)).
    let curated: HashSet<String> = tables::BUNDLED
        .exonyms
        .lines()
        .skip(1)
        .filter_map(|row| row.split('\t').nth(1))
        .map(normalize)
        .collect();
    for city in &gazetteer().tables.cities {
        let id = format!("geonames:{}", city.geonameid);
        let place = gazetteer().resolve(&id).unwrap();
        assert_eq!(place.id, id);
        let query = format!("{}, {}", city.name, city.country_code);
        let by_name = gazetteer().resolve(&query).unwrap();
        if curated.contains(&normalize(city.name)) {
            assert_eq!(by_name.country_code, city.country_code, "{query}");
            continue;
        }
        assert_eq!(normalize(&by_name.name), normalize(city.name), "{query}");
        assert_eq!(by_name.country_code, city.country_code, "{query}");
    }
}

#[test]
fn every_airport_and_partner_id_resolves_back() {
    let tables = &gazetteer().tables;
    for airport in &tables.airports {
        assert_eq!(
            id_of(&format!("iata:{}", airport.iata)),
            format!("iata:{}", airport.iata)
        );
        assert_eq!(id_of(&airport.iata), format!("iata:{}", airport.iata));
    }
    for partner in &tables.partners {
        assert_eq!(id_of(&partner.id), format!("partner:{}", partner.id));
    }
}

#[test]
fn country_names_in_the_eciu_languages() {
    let g = gazetteer();
    let cases = [
        ("Allemagne", "DE"),
        ("Duitsland", "DE"),
        ("Tyskland", "DE"),
        ("Saksa", "DE"),
        ("Niemcy", "DE"),
        ("Vokietija", "DE"),
        ("Γερμανία", "DE"),
        ("Germania", "DE"),
        ("Frankreich", "FR"),
        ("Frankrijk", "FR"),
        ("Pays-Bas", "NL"),
        ("Países Bajos", "NL"),
        ("Paises Baixos", "NL"),
        ("Alankomaat", "NL"),
        ("Nyderlandai", "NL"),
        ("Royaume-Uni", "GB"),
        ("Royaume Uni", "GB"),
        ("Regno Unito", "GB"),
        ("États-Unis", "US"),
        ("Etats-Unis", "US"),
        ("Stati Uniti", "US"),
        ("Verenigde Staten", "US"),
        ("Espagne", "ES"),
        ("España", "ES"),
        ("Espana", "ES"),
        ("Spanje", "ES"),
        ("Italie", "IT"),
        ("Danemark", "DK"),
        ("Suède", "SE"),
        ("Suede", "SE"),
        ("Japon", "JP"),
        ("Chine", "CN"),
        ("Österreich", "AT"),
        ("Oesterreich", "AT"),
        ("Szwajcaria", "CH"),
        ("Litauen", "LT"),
        ("Grèce", "GR"),
        ("Ελλάδα", "GR"),
    ];
    for (name, iso2) in cases {
        assert_eq!(g.country_code(name), Some(iso2), "{name}");
    }
    // The English names, codes and aliases keep their meaning.
    assert_eq!(g.country_code("Netherlands"), Some("NL"));
    assert_eq!(g.country_code("UK"), Some("GB"));
    assert_eq!(g.country_code("deu"), Some("DE"));
}

#[test]
fn cities_with_translated_countries() {
    for (query, id) in [
        ("Berlin, Allemagne", "geonames:2950159"),
        ("Lyon, Frankreich", "geonames:2996944"),
        ("Keulen, Duitsland", "geonames:2886242"),
        ("Sevilla, España", "geonames:2510911"),
        ("Londres, Royaume-Uni", "geonames:2643743"),
        ("Lisbonne, Portugal", LISBON),
        ("Pékin, Chine", "geonames:1816670"),
    ] {
        assert_eq!(id_of(query), id, "{query}");
    }
}

#[test]
fn curated_exonyms() {
    for (query, id) in [
        ("Venise", "geonames:3164603"),
        ("Venedig", "geonames:3164603"),
        ("Malines", "geonames:2791537"),
        ("Douvres", "geonames:2651048"),
        ("Dantzig", "geonames:3099434"),
        ("Pékin", "geonames:1816670"),
        ("Pekin", "geonames:1816670"),
        ("Brunswick", "geonames:2945024"),
        ("Halle", "geonames:2911522"),
        ("Dunkerque", "geonames:3020686"),
        ("Londres", "geonames:2643743"),
        ("Barcelone", "geonames:3128760"),
        ("Lisbonne", LISBON),
        ("Genève", "geonames:2660646"),
        ("Keulen", "geonames:2886242"),
    ] {
        assert_eq!(id_of(query), id, "{query}");
    }
    // The smaller namesakes stay reachable.
    assert_eq!(id_of("Pekin, US"), "geonames:4905599");
    assert_eq!(id_of("Halle, BE"), "geonames:2796696");
}

#[test]
fn the_exonym_table_reads_cleanly() {
    assert!(gazetteer().data_warnings().is_empty());
    let rows = tables::BUNDLED.exonyms.lines().skip(1);
    for (line, row) in rows.enumerate() {
        let fields: Vec<&str> = row.split('\t').collect();
        assert_eq!(fields.len(), 4, "line {}", line + 2);
        assert!(fields[3].len() > 10, "line {} has no basis", line + 2);
    }
}

#[test]
fn ambiguous_names_keep_their_namesakes() {
    let g = gazetteer();
    let ede = g.resolve_all("Ede").unwrap();
    assert_eq!(ede.place().country_code, "NG");
    assert_eq!(ede.choice, Choice::Ranking);
    let others = ede.others();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].1, "Ede, NL");
    let halle = g.resolve_all("Halle").unwrap();
    let hints: Vec<String> = halle.others().into_iter().map(|(_, h)| h).collect();
    assert!(hints.contains(&"Halle, BE".to_string()), "{hints:?}");
    assert!(hints.contains(&"geonames:2911520".to_string()), "{hints:?}");
    for hint in &hints {
        let back = g.resolve(hint).unwrap();
        assert!(halle.candidates.contains(&back), "{hint}");
    }
    let enschede = g.resolve_all("Enschede").unwrap();
    assert!(!enschede.is_ambiguous());
    assert_eq!(enschede.note(), "");
    assert_eq!(
        g.resolve_all("Ede, NL").unwrap().choice,
        Choice::Only,
        "a written country is no choice"
    );
}

#[test]
fn context_picks_the_other_end_then_the_campus() {
    let g = gazetteer();
    let journey = |queries: &[&str], campus: Option<&str>| {
        let mut stops: Vec<Resolution> =
            queries.iter().map(|q| g.resolve_all(q).unwrap()).collect();
        choose_by_context(&mut stops, campus);
        stops
    };
    let s = journey(&["Enschede", "Ede"], None);
    assert_eq!(
        (s[1].place().country_code.as_str(), s[1].choice),
        ("NL", Choice::OtherEnd)
    );
    let s = journey(&["Ede", "Enschede"], None);
    assert_eq!(s[0].place().country_code, "NL");
    let s = journey(&["Lagos", "Ede"], None);
    assert_eq!(s[0].place().country_code, "NG");
    assert_eq!(s[1].place().country_code, "NG");
    // No namesake in the other end's country: the campus country, then the ranking.
    let s = journey(&["Paris", "Ede"], Some("NL"));
    assert_eq!(
        (s[1].place().country_code.as_str(), s[1].choice),
        ("NL", Choice::Campus)
    );
    let s = journey(&["Paris", "Ede"], None);
    assert_eq!(
        (s[1].place().country_code.as_str(), s[1].choice),
        ("NG", Choice::Ranking)
    );
    // A stopover looks at the origin first.
    let s = journey(&["Enschede", "Ede", "Lagos"], None);
    assert_eq!(s[1].place().country_code, "NL");
}

proptest! {
    /// Whatever the context, the chosen place is one of the candidates and carries the name.
    #[test]
    fn context_never_leaves_the_candidates(
        a in prop::sample::select(vec!["Ede", "Lagos", "Halle", "Cambridge", "Enschede", "Paris", "London", "Valencia"]),
        b in prop::sample::select(vec!["Ede", "Lagos", "Halle", "Cambridge", "Enschede", "Paris", "London", "Valencia"]),
        campus in prop::sample::select(vec![None, Some("NL"), Some("US"), Some("NG")]),
    ) {
        let g = gazetteer();
        let mut stops = vec![g.resolve_all(a).unwrap(), g.resolve_all(b).unwrap()];
        let before = stops.clone();
        choose_by_context(&mut stops, campus);
        for (stop, old) in stops.iter().zip(&before) {
            prop_assert_eq!(&stop.candidates, &old.candidates);
            prop_assert!(stop.chosen < stop.candidates.len());
            if !old.is_ambiguous() {
                prop_assert_eq!(stop.chosen, old.chosen);
            }
        }
    }
}
