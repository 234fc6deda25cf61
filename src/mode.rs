//! Modes of transport and their variants, with the names users type for them.
//!
//! Users write modes in English, Dutch, French and German (`trein`, `vliegtuig`, `avion`,
//! `voiture`, `Bahn`, `Flug` ...). Every parser here is case-, accent- and
//! punctuation-insensitive, and unknown words are errors that list the accepted names.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Normalises a user-typed word: lowercase ASCII, accents removed, separators dropped.
pub fn normalise_word(s: &str) -> String {
    deunicode::deunicode(s.trim())
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// A way of travelling. The key (`Mode::key`) is what factor packs and outputs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Aeroplane (passenger-km).
    Flight,
    /// Train, national or international rail (passenger-km).
    Train,
    /// Long-distance coach (passenger-km).
    Coach,
    /// Local bus (passenger-km).
    Bus,
    /// Car; factors are per vehicle-km and divided by occupancy.
    Car,
    /// Taxi (passenger-km).
    Taxi,
    /// Motorbike (vehicle-km, divided by occupancy).
    Motorbike,
    /// Moped or light scooter (passenger-km).
    Moped,
    /// Ferry (passenger-km).
    Ferry,
    /// Tram / light rail (passenger-km).
    Tram,
    /// Metro / underground (passenger-km).
    Metro,
    /// Bicycle.
    Bike,
    /// Electric bicycle.
    Ebike,
    /// Electric kick scooter.
    Escooter,
    /// Walking.
    Walk,
}

impl Mode {
    /// Every mode, in display order.
    pub const ALL: [Mode; 15] = [
        Mode::Flight,
        Mode::Train,
        Mode::Coach,
        Mode::Bus,
        Mode::Car,
        Mode::Taxi,
        Mode::Motorbike,
        Mode::Moped,
        Mode::Ferry,
        Mode::Tram,
        Mode::Metro,
        Mode::Bike,
        Mode::Ebike,
        Mode::Escooter,
        Mode::Walk,
    ];

    /// The stable key used in factor packs, JSON and CSV output.
    pub fn key(self) -> &'static str {
        match self {
            Mode::Flight => "flight",
            Mode::Train => "train",
            Mode::Coach => "coach",
            Mode::Bus => "bus",
            Mode::Car => "car",
            Mode::Taxi => "taxi",
            Mode::Motorbike => "motorbike",
            Mode::Moped => "moped",
            Mode::Ferry => "ferry",
            Mode::Tram => "tram",
            Mode::Metro => "metro",
            Mode::Bike => "bike",
            Mode::Ebike => "ebike",
            Mode::Escooter => "escooter",
            Mode::Walk => "walk",
        }
    }

    /// True for modes whose factors are per vehicle and shared by the occupants.
    pub fn is_shared_vehicle(self) -> bool {
        matches!(self, Mode::Car | Mode::Motorbike)
    }

    /// Human-powered or tiny-footprint modes that only make sense for short distances.
    pub fn is_active(self) -> bool {
        matches!(self, Mode::Bike | Mode::Ebike | Mode::Escooter | Mode::Walk)
    }

    /// Modes that need a land route between their stops: everything but flights and ferries
    /// (see [`crate::places::no_land_route`]).
    pub fn needs_land_route(self) -> bool {
        !matches!(self, Mode::Flight | Mode::Ferry)
    }

    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Mode::Flight => &[
                "flight",
                "fly",
                "plane",
                "air",
                "airplane",
                "aeroplane",
                "aircraft",
                "flug",
                "flugzeug",
                "vlucht",
                "vliegtuig",
                "vliegen",
                "avion",
                "vol",
                "aerien",
                "plane",
            ],
            Mode::Train => &[
                "train",
                "rail",
                "railway",
                "trein",
                "ns",
                "zug",
                "bahn",
                "eisenbahn",
                "ice",
                "tgv",
                "ter",
                "intercites",
                "intercity",
                "rer",
                "transilien",
                "sprinter",
            ],
            Mode::Coach => &[
                "coach",
                "autocar",
                "touringcar",
                "fernbus",
                "longdistancebus",
                "intercitybus",
                "flixbus",
            ],
            Mode::Bus => &[
                "bus",
                "autobus",
                "localbus",
                "stadsbus",
                "streekbus",
                "linienbus",
            ],
            Mode::Car => &[
                "car",
                "auto",
                "automobile",
                "voiture",
                "wagen",
                "pkw",
                "personenauto",
                "personenwagen",
                "drive",
                "driving",
                "carpool",
                "covoiturage",
                "voiturepersonnelle",
                "vehiculepersonnel",
                "privateauto",
                "eigenauto",
                "rentalcar",
                "huurauto",
                "voituredelocation",
                "mietwagen",
            ],
            Mode::Taxi => &["taxi", "cab", "uber", "taxe"],
            Mode::Motorbike => &[
                "motorbike",
                "motorcycle",
                "motor",
                "motorfiets",
                "moto",
                "motorrad",
            ],
            Mode::Moped => &[
                "moped",
                "scooter",
                "bromfiets",
                "snorfiets",
                "brommer",
                "cyclomoteur",
                "mofa",
                "roller",
            ],
            Mode::Ferry => &[
                "ferry", "boat", "ship", "veerboot", "veer", "boot", "bateau", "fahre", "schiff",
            ],
            Mode::Tram => &[
                "tram",
                "tramway",
                "lightrail",
                "sneltram",
                "strassenbahn",
                "stadtbahn",
            ],
            Mode::Metro => &["metro", "subway", "underground", "tube", "ubahn", "sbahn"],
            Mode::Bike => &[
                "bike", "bicycle", "cycle", "cycling", "fiets", "velo", "fahrrad", "rad",
            ],
            Mode::Ebike => &[
                "ebike",
                "electricbike",
                "electricbicycle",
                "pedelec",
                "efiets",
                "elektrischefiets",
                "vae",
                "veloelectrique",
                "veloassistanceelectrique",
                "elektrofahrrad",
                "speedpedelec",
            ],
            Mode::Escooter => &[
                "escooter",
                "kickscooter",
                "step",
                "estep",
                "trottinette",
                "trottinetteelectrique",
                "escooter",
            ],
            Mode::Walk => &[
                "walk", "walking", "foot", "onfoot", "lopen", "tevoet", "wandelen", "marche",
                "apied", "zufuss", "fuss", "gehen",
            ],
        }
    }

    /// Accepted names, for error messages.
    pub fn accepted_names() -> String {
        Mode::ALL
            .iter()
            .map(|m| m.key())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A word that names no known mode or variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}`; expected one of: {expected}")]
pub struct UnknownWord {
    /// What kind of word was expected ("mode", "cabin", "fuel", "car size").
    pub what: &'static str,
    /// The value as typed.
    pub value: String,
    /// The accepted values.
    pub expected: String,
}

impl FromStr for Mode {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let w = normalise_word(s);
        // "e-bike", "E Bike" and "ebike" all normalise to "ebike".
        for m in Mode::ALL {
            if m.synonyms().contains(&w.as_str()) {
                return Ok(m);
            }
        }
        Err(UnknownWord {
            what: "mode",
            value: s.trim().to_string(),
            expected: Mode::accepted_names(),
        })
    }
}

/// Cabin class of a flight.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Cabin {
    /// Economy class (the default).
    #[default]
    Economy,
    /// Premium economy.
    Premium,
    /// Business class.
    Business,
    /// First class.
    First,
    /// Average passenger (class unknown).
    Average,
}

impl Cabin {
    /// The key used in factor packs.
    pub fn key(self) -> &'static str {
        match self {
            Cabin::Economy => "economy",
            Cabin::Premium => "premium",
            Cabin::Business => "business",
            Cabin::First => "first",
            Cabin::Average => "average",
        }
    }
}

impl FromStr for Cabin {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match normalise_word(s).as_str() {
            "economy" | "eco" | "economyclass" | "y" | "economie" | "economique"
            | "toeristenklasse" | "touristclass" => Cabin::Economy,
            "premium" | "premiumeconomy" | "premiumeco" | "w" | "premiumeconomie" => Cabin::Premium,
            "business" | "businessclass" | "c" | "j" | "affaires" | "classeaffaires"
            | "zakelijk" => Cabin::Business,
            "first" | "firstclass" | "f" | "premiere" | "eerste" | "eersteklas" => Cabin::First,
            "average" | "unknown" | "onbekend" | "inconnu" | "moyen" => Cabin::Average,
            _ => {
                return Err(UnknownWord {
                    what: "cabin",
                    value: s.trim().to_string(),
                    expected: "economy, premium, business, first, average".into(),
                });
            }
        })
    }
}

/// Size of a car or motorbike.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    /// Small.
    Small,
    /// Medium.
    Medium,
    /// Large.
    Large,
    /// Average (size unknown; the default).
    #[default]
    Average,
}

impl Size {
    /// The key used in factor packs.
    pub fn key(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
            Size::Average => "average",
        }
    }
}

impl FromStr for Size {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match normalise_word(s).as_str() {
            "small" | "klein" | "petite" | "citadine" | "s" | "mini" | "compactsmall" => {
                Size::Small
            }
            "medium" | "middel" | "midden" | "moyenne" | "compact" | "m" | "mittel" => Size::Medium,
            "large" | "groot" | "grande" | "berline" | "suv" | "l" | "gross" => Size::Large,
            "average" | "unknown" | "gemiddeld" | "onbekend" | "" => Size::Average,
            _ => {
                return Err(UnknownWord {
                    what: "size",
                    value: s.trim().to_string(),
                    expected: "small, medium, large, average".into(),
                });
            }
        })
    }
}

/// Fuel or drive train of a car.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Fuel {
    /// Petrol / gasoline.
    Petrol,
    /// Diesel.
    Diesel,
    /// Hybrid (not plug-in).
    Hybrid,
    /// Plug-in hybrid.
    Phev,
    /// Battery electric.
    Bev,
    /// Compressed natural gas.
    Cng,
    /// Liquefied petroleum gas.
    Lpg,
    /// Unknown fuel (the default).
    #[default]
    Unknown,
}

impl Fuel {
    /// The key used in factor packs.
    pub fn key(self) -> &'static str {
        match self {
            Fuel::Petrol => "petrol",
            Fuel::Diesel => "diesel",
            Fuel::Hybrid => "hybrid",
            Fuel::Phev => "phev",
            Fuel::Bev => "bev",
            Fuel::Cng => "cng",
            Fuel::Lpg => "lpg",
            Fuel::Unknown => "unknown",
        }
    }
}

impl FromStr for Fuel {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match normalise_word(s).as_str() {
            "petrol" | "gasoline" | "gas" | "benzine" | "essence" | "benzin" | "super"
            | "euro95" => Fuel::Petrol,
            "diesel" | "gasoil" | "gazole" => Fuel::Diesel,
            "hybrid" | "hybride" | "hev" | "fullhybrid" => Fuel::Hybrid,
            "phev" | "pluginhybrid" | "pluginhybride" | "hybriderechargeable" | "plugin" => {
                Fuel::Phev
            }
            "bev" | "electric" | "ev" | "elektrisch" | "electrique" | "elektro" | "battery"
            | "batteryelectric" | "volledigelektrisch" => Fuel::Bev,
            "cng" | "aardgas" | "gnv" | "erdgas" => Fuel::Cng,
            "lpg" | "autogas" | "gpl" => Fuel::Lpg,
            "unknown" | "onbekend" | "inconnu" | "unbekannt" | "" => Fuel::Unknown,
            _ => {
                return Err(UnknownWord {
                    what: "fuel",
                    value: s.trim().to_string(),
                    expected: "petrol, diesel, hybrid, phev, bev, cng, lpg, unknown".into(),
                });
            }
        })
    }
}

/// Parses a yes/no word in English, Dutch, French or German.
pub fn parse_bool(s: &str) -> Option<bool> {
    match normalise_word(s).as_str() {
        "yes" | "y" | "true" | "1" | "ja" | "j" | "oui" | "o" | "wahr" | "x" | "rt"
        | "roundtrip" | "retour" | "ar" => Some(true),
        "no" | "n" | "false" | "0" | "nee" | "non" | "nein" | "falsch" | "oneway" | "enkel"
        | "aller" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_in_four_languages() {
        for (w, m) in [
            ("trein", Mode::Train),
            ("Vliegtuig", Mode::Flight),
            ("avion", Mode::Flight),
            ("voiture", Mode::Car),
            ("Bahn", Mode::Train),
            ("Flug", Mode::Flight),
            ("E-Bike", Mode::Ebike),
            ("e-bike", Mode::Ebike),
            ("fiets", Mode::Bike),
            ("Vélo", Mode::Bike),
            ("à pied", Mode::Walk),
            ("Fähre", Mode::Ferry),
            ("auto", Mode::Car),
        ] {
            assert_eq!(w.parse::<Mode>(), Ok(m), "{w}");
        }
        let e = "vliegtuig2".parse::<Mode>().unwrap_err();
        assert!(e.to_string().contains("unknown mode `vliegtuig2`"), "{e}");
    }

    #[test]
    fn every_key_parses_to_itself() {
        for m in Mode::ALL {
            assert_eq!(m.key().parse::<Mode>(), Ok(m));
        }
    }

    #[test]
    fn booleans() {
        for w in ["yes", "JA", "oui", "1", "true", "j"] {
            assert_eq!(parse_bool(w), Some(true), "{w}");
        }
        for w in ["no", "nee", "NON", "0", "false", "n"] {
            assert_eq!(parse_bool(w), Some(false), "{w}");
        }
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn variants() {
        assert_eq!("Business".parse::<Cabin>(), Ok(Cabin::Business));
        assert_eq!("benzine".parse::<Fuel>(), Ok(Fuel::Petrol));
        assert_eq!("elektrisch".parse::<Fuel>(), Ok(Fuel::Bev));
        assert_eq!("plug-in hybrid".parse::<Fuel>(), Ok(Fuel::Phev));
        assert_eq!("klein".parse::<Size>(), Ok(Size::Small));
        assert!("huge".parse::<Size>().is_err());
    }
}
