//! Colours shared by every chart, so that a mode has the same colour everywhere.
//!
//! # References
//!
//! - Okabe, M. and Ito, K. (2008), *Color Universal Design (CUD): how to make figures and
//!   presentations that are friendly to colorblind people* — eight colours distinguishable with
//!   the common forms of colour-vision deficiency.
//! - Tol, P. (2021), *Colour schemes*, SRON/EPS/TN/09-002 — the "muted" qualitative scheme, used
//!   for the modes beyond the first eight.

use plotters::style::RGBColor;

/// Text, axis lines and the target line.
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (annotations, units, relative changes).
pub(crate) const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Gridlines and graticule.
pub(crate) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
/// Baseline and scenario totals (waterfall ends, reference lines).
pub(crate) const TOTAL: RGBColor = RGBColor(0x4D, 0x5D, 0x6C);
/// A saving (negative change): Okabe–Ito bluish green.
pub(crate) const SAVING: RGBColor = RGBColor(0x00, 0x9E, 0x73);
/// An increase (positive change): Okabe–Ito vermillion.
pub(crate) const INCREASE: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// [`SAVING`] darkened for text on white (contrast ≥ 4.5).
pub(crate) const SAVING_TEXT: RGBColor = RGBColor(0x00, 0x73, 0x54);
/// [`INCREASE`] darkened for text on white (contrast ≥ 4.5).
pub(crate) const INCREASE_TEXT: RGBColor = RGBColor(0xB0, 0x4A, 0x00);

/// One canonical mode key with its display name, colour and the synonyms that map to it.
struct ModeColour {
    key: &'static str,
    name: &'static str,
    colour: RGBColor,
    synonyms: &'static [&'static str],
}

const MODES: &[ModeColour] = &[
    ModeColour {
        key: "flight",
        name: "Flight",
        colour: RGBColor(0xD5, 0x5E, 0x00), // Okabe–Ito vermillion
        synonyms: &[
            "flights",
            "air",
            "plane",
            "airplane",
            "aeroplane",
            "aviation",
            "fly",
        ],
    },
    ModeColour {
        key: "train",
        name: "Train",
        colour: RGBColor(0x00, 0x72, 0xB2), // Okabe–Ito blue
        synonyms: &["rail", "railway", "trein"],
    },
    ModeColour {
        key: "coach",
        name: "Coach",
        colour: RGBColor(0x56, 0xB4, 0xE9), // Okabe–Ito sky blue
        synonyms: &["long-distance-bus", "touringcar"],
    },
    ModeColour {
        key: "bus",
        name: "Bus",
        colour: RGBColor(0x33, 0x22, 0x88), // Tol indigo
        synonyms: &["city-bus", "local-bus"],
    },
    ModeColour {
        key: "car",
        name: "Car",
        colour: RGBColor(0xE6, 0x9F, 0x00), // Okabe–Ito orange
        synonyms: &["auto", "automobile", "van", "carpool", "car-sharing"],
    },
    ModeColour {
        key: "taxi",
        name: "Taxi",
        colour: RGBColor(0xDD, 0xCC, 0x77), // Tol sand
        synonyms: &["ride-hailing"],
    },
    ModeColour {
        key: "motorbike",
        name: "Motorbike",
        colour: RGBColor(0x88, 0x22, 0x55), // Tol wine
        synonyms: &["motorcycle", "motor"],
    },
    ModeColour {
        key: "moped",
        name: "Moped",
        colour: RGBColor(0xCC, 0x66, 0x77), // Tol rose
        synonyms: &["scooter", "brommer", "snorfiets"],
    },
    ModeColour {
        key: "ferry",
        name: "Ferry",
        colour: RGBColor(0x99, 0x99, 0x33), // Tol olive
        synonyms: &["boat", "ship", "veerboot"],
    },
    ModeColour {
        key: "tram",
        name: "Tram",
        colour: RGBColor(0x44, 0xAA, 0x99), // Tol teal
        synonyms: &["light-rail"],
    },
    ModeColour {
        key: "metro",
        name: "Metro",
        colour: RGBColor(0xAA, 0x44, 0x99), // Tol purple
        synonyms: &["subway", "underground"],
    },
    ModeColour {
        key: "bike",
        name: "Bike",
        colour: RGBColor(0x00, 0x9E, 0x73), // Okabe–Ito bluish green
        synonyms: &["bicycle", "cycle", "cycling", "fiets"],
    },
    ModeColour {
        key: "ebike",
        name: "E-bike",
        colour: RGBColor(0x11, 0x77, 0x33), // Tol green
        synonyms: &[
            "e-bike",
            "pedelec",
            "speed-pedelec",
            "e-fiets",
            "electric-bike",
        ],
    },
    ModeColour {
        key: "escooter",
        name: "E-scooter",
        colour: RGBColor(0x88, 0xCC, 0xEE), // Tol cyan
        synonyms: &["e-scooter", "e-step", "kick-scooter"],
    },
    ModeColour {
        key: "walk",
        name: "Walk",
        colour: RGBColor(0xCC, 0x79, 0xA7), // Okabe–Ito reddish purple
        synonyms: &["walking", "foot", "on-foot", "lopen"],
    },
    ModeColour {
        key: "telework",
        name: "Home working",
        colour: RGBColor(0x66, 0x66, 0x66), // dark grey
        synonyms: &[
            "home-working",
            "homeworking",
            "home",
            "teleworking",
            "remote",
            "wfh",
            "thuiswerken",
        ],
    },
    ModeColour {
        key: "other",
        name: "Other",
        colour: RGBColor(0xBB, 0xBB, 0xBB), // light grey
        synonyms: &["unknown", "others", "rest"],
    },
    ModeColour {
        key: "target",
        name: "Target",
        colour: INK,
        synonyms: &["goal"],
    },
    ModeColour {
        key: "total",
        name: "Total",
        colour: TOTAL,
        synonyms: &["baseline", "all"],
    },
];

/// The entry for `key`: an exact key or synonym first, then the first word of the key that is
/// one (`"car alone"` → car, `"flight.short.economy"` → flight, `"train (ICE)"` → train).
fn lookup(key: &str) -> Option<&'static ModeColour> {
    let norm: String = key
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '_' { '-' } else { c })
        .collect();
    let exact = |word: &str| {
        MODES
            .iter()
            .find(|m| m.key == word || m.synonyms.contains(&word))
    };
    exact(&norm).or_else(|| {
        norm.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .find_map(exact)
    })
}

/// The colour of a mode, the same in every chart.
///
/// Accepts the mode keys `flight`, `train`, `coach`, `bus`, `car`, `taxi`, `motorbike`, `moped`,
/// `ferry`, `tram`, `metro`, `bike`, `ebike`, `escooter`, `walk`, `telework` (also
/// `home-working`) and `other`, common synonyms (`rail`, `bicycle`, `e-bike` …), and the chart
/// keys `target` and `total`. Case, spaces and underscores do not matter, and a compound key
/// takes the colour of its first mode word (`"car alone"` and `"car.medium.bev"` are `car`).
/// Anything else gets the colour of `other`.
///
/// The first eight modes use the Okabe–Ito palette, the others Paul Tol's muted scheme and
/// greys; both are designed to stay distinguishable with colour-vision deficiency.
pub fn mode_colour(mode_key: &str) -> RGBColor {
    lookup(mode_key).map_or(RGBColor(0xBB, 0xBB, 0xBB), |m| m.colour)
}

/// A display name for a legend: the canonical name for a mode key (`"ebike"` → "E-bike"),
/// otherwise the key itself with its first letter in upper case.
pub fn mode_name(mode_key: &str) -> String {
    let trimmed = mode_key.trim();
    if let Some(m) = MODES.iter().find(|m| {
        let norm = trimmed.to_lowercase().replace([' ', '_'], "-");
        m.key == norm || m.synonyms.contains(&norm.as_str())
    }) {
        return m.name.to_string();
    }
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Other".to_string(),
    }
}

/// Relative luminance (WCAG 2) of a colour, 0 (black) to 1 (white).
pub(crate) fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.039_28 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_mode_has_its_own_colour() {
        let keys = [
            "flight",
            "train",
            "coach",
            "bus",
            "car",
            "taxi",
            "motorbike",
            "moped",
            "ferry",
            "tram",
            "metro",
            "bike",
            "ebike",
            "escooter",
            "walk",
            "telework",
            "other",
        ];
        let colours: Vec<RGBColor> = keys.iter().map(|k| mode_colour(k)).collect();
        for (i, a) in colours.iter().enumerate() {
            for (j, b) in colours.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b, "{} and {} share a colour", keys[i], keys[j]);
            }
        }
    }

    #[test]
    fn synonyms_and_compound_keys_map_to_the_mode() {
        assert_eq!(mode_colour("Home-working"), mode_colour("telework"));
        assert_eq!(mode_colour("home working"), mode_colour("telework"));
        assert_eq!(mode_colour("E-bike"), mode_colour("ebike"));
        assert_eq!(mode_colour("e_scooter"), mode_colour("escooter"));
        assert_eq!(mode_colour("car alone"), mode_colour("car"));
        assert_eq!(mode_colour("Electric car"), mode_colour("car"));
        assert_eq!(mode_colour("flight.short.economy"), mode_colour("flight"));
        assert_eq!(mode_colour("Train (ICE)"), mode_colour("train"));
        assert_eq!(mode_colour("hovercraft"), mode_colour("other"));
        assert_eq!(mode_colour(""), mode_colour("other"));
    }

    #[test]
    fn names_for_legends() {
        assert_eq!(mode_name("ebike"), "E-bike");
        assert_eq!(mode_name("home-working"), "Home working");
        assert_eq!(mode_name("hovercraft"), "Hovercraft");
        assert_eq!(mode_name(""), "Other");
    }

    #[test]
    fn text_colours_have_enough_contrast_on_white() {
        let contrast = |c: RGBColor| 1.05 / (luminance(c) + 0.05);
        for c in [INK, MUTED, SAVING_TEXT, INCREASE_TEXT] {
            assert!(contrast(c) >= 4.5, "{c:?}: {}", contrast(c));
        }
    }

    #[test]
    fn luminance_orders_black_and_white() {
        assert!(luminance(RGBColor(0, 0, 0)) < 0.01);
        assert!(luminance(RGBColor(255, 255, 255)) > 0.99);
    }
}
