//! Synthetic exports for demos, tests and benchmarks — clearly synthetic, deterministic for
//! a seed (ChaCha8).
//!
//! [`business_export`] writes a business-travel export shaped like a university's travel
//! agency data: UT departments, trips mostly from Enschede, destinations weighted towards the
//! partner institutions of the bundled partner table and large European cities, with a share
//! of intercontinental trips; mode chosen by distance (train and car nearby, flights far
//! away), cabins, round trips, travellers. With `messy_share > 0` that share of rows carries
//! what real exports carry: Dutch mode names and booleans, decimal commas, day-first dates,
//! and rows that must be rejected (misspelled or unknown cities, an empty destination, a
//! negative traveller count, an unknown mode).

use crate::distance::geodesic_km;
use crate::places::Gazetteer;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;

/// Options of [`business_export`].
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// Rows to write.
    pub rows: u64,
    /// Random seed: the same seed gives the same file.
    pub seed: u64,
    /// Share of rows (0..=1) made messy; about half of those must be rejected.
    pub messy_share: f64,
    /// Year of the trips.
    pub year: i32,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            rows: 1000,
            seed: 1,
            messy_share: 0.0,
            year: 2025,
        }
    }
}

/// Departments of the University of Twente (faculties and the support services) with weights
/// roughly proportional to their size; synthetic.
const DEPARTMENTS: [(&str, u32); 8] = [
    ("EEMCS", 24),
    ("ET", 18),
    ("TNW", 18),
    ("BMS", 16),
    ("ITC", 10),
    ("Services", 9),
    ("CES", 3),
    ("SOIR", 2),
];

const PURPOSES: [(&str, u32); 6] = [
    ("conference", 40),
    ("project meeting", 25),
    ("fieldwork", 10),
    ("teaching", 8),
    ("Erasmus+ staff mobility", 9),
    ("ECIU meeting", 8),
];

const ORIGINS: [(&str, u32); 4] = [
    ("Enschede", 85),
    ("Hengelo", 6),
    ("Amsterdam", 5),
    ("Utrecht", 4),
];

/// Large European cities and some far destinations that universities travel to.
const EUROPE: [&str; 36] = [
    "Brussels",
    "Paris",
    "Berlin",
    "Munich",
    "London",
    "Barcelona",
    "Madrid",
    "Lisbon",
    "Rome",
    "Milan",
    "Vienna",
    "Zurich",
    "Geneva",
    "Copenhagen",
    "Stockholm",
    "Oslo",
    "Helsinki",
    "Warsaw",
    "Prague",
    "Budapest",
    "Athens",
    "Dublin",
    "Edinburgh",
    "Hamburg",
    "Frankfurt",
    "Cologne",
    "Lyon",
    "Grenoble",
    "Delft",
    "Eindhoven",
    "Groningen",
    "Leuven",
    "Ghent",
    "Aachen",
    "Munster",
    "Bologna",
];
const FAR: [&str; 16] = [
    "New York",
    "Boston",
    "San Francisco",
    "Toronto",
    "Tokyo",
    "Beijing",
    "Singapore",
    "Sydney",
    "Cape Town",
    "Nairobi",
    "Sao Paulo",
    "Mexico City",
    "Monterrey",
    "Bangalore",
    "Jakarta",
    "Dubai",
];

const PARTNERS_CSV: &str = include_str!("../data/gazetteer/partners.csv");

/// A destination with its distance from Enschede.
struct Dest {
    text: String,
    km: f64,
    weight: u32,
}

struct Rng(ChaCha8Rng);

impl Rng {
    fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n.max(1)
    }
    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (t, w) in items {
            if x < u64::from(*w) {
                return t;
            }
            x -= u64::from(*w);
        }
        &items[items.len() - 1].0
    }
}

fn destinations(g: &Gazetteer) -> Vec<Dest> {
    let Ok(home) = g.resolve("Enschede") else {
        return Vec::new();
    };
    let home = crate::journey::Stop::from_place(&home).position;
    let mut out: Vec<Dest> = Vec::new();
    let mut push = |text: String, weight: u32| {
        if out.iter().any(|d| d.text == text) {
            return;
        }
        if let Ok(p) = g.resolve(&text) {
            let km = geodesic_km(home, crate::journey::Stop::from_place(&p).position);
            if km > 5.0 {
                out.push(Dest { text, km, weight });
            }
        }
    };
    let mut rdr = csv::Reader::from_reader(PARTNERS_CSV.as_bytes());
    for rec in rdr.records().flatten() {
        let (city, cc) = (rec.get(2).unwrap_or(""), rec.get(3).unwrap_or(""));
        // Partner cities as a travel agency writes them: the city name, or `City, CC` when
        // the name alone means another place.
        let city = city.split(" (").next().unwrap_or(city).trim();
        match g.resolve(city) {
            Ok(p) if p.country_code == cc => push(city.to_string(), 6),
            _ => push(format!("{city}, {cc}"), 6),
        }
    }
    for c in EUROPE {
        push(c.to_string(), 5);
    }
    for c in FAR {
        push(c.to_string(), 2);
    }
    out
}

fn mode_for(rng: &mut Rng, km: f64) -> &'static str {
    let table: &[(&str, u32)] = if km < 300.0 {
        &[("train", 60), ("car", 30), ("coach", 5), ("bus", 5)]
    } else if km < 700.0 {
        &[("train", 55), ("car", 15), ("flight", 25), ("coach", 5)]
    } else if km < 1500.0 {
        &[("flight", 65), ("train", 30), ("car", 5)]
    } else {
        &[("flight", 1)]
    };
    rng.weighted::<&str>(table)
}

fn typo(rng: &mut Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 4 {
        return format!("{s}x");
    }
    let i = 1 + rng.below(c.len() as u64 - 2) as usize;
    if rng.unit() < 0.5 {
        c.swap(i, i + 1);
    } else {
        c.remove(i);
    }
    c.into_iter().collect()
}

/// Writes a synthetic business-travel export as CSV (`,`-separated, UTF-8).
///
/// Columns: `id,date,department,purpose,origin,destination,mode,cabin,round_trip,travellers,occupancy`.
pub fn business_export<W: Write>(
    g: &Gazetteer,
    opts: &GenerateOptions,
    out: W,
) -> std::io::Result<()> {
    let mut rng = Rng(ChaCha8Rng::seed_from_u64(opts.seed));
    let dests = destinations(g);
    let weights: Vec<(usize, u32)> = dests
        .iter()
        .enumerate()
        .map(|(i, d)| (i, d.weight))
        .collect();
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record([
        "id",
        "date",
        "department",
        "purpose",
        "origin",
        "destination",
        "mode",
        "cabin",
        "round_trip",
        "travellers",
        "occupancy",
    ])?;
    let dutch_modes = [
        ("train", "trein"),
        ("flight", "vliegtuig"),
        ("car", "auto"),
        ("coach", "touringcar"),
        ("bus", "bus"),
    ];
    for n in 1..=opts.rows {
        let d = &dests[*rng.weighted(&weights)];
        let origin = *rng.weighted(&ORIGINS);
        let mode = mode_for(&mut rng, d.km);
        let cabin = if mode == "flight" {
            let t: &[(&str, u32)] = if d.km >= 3700.0 {
                &[("economy", 75), ("premium", 10), ("business", 15)]
            } else {
                &[("economy", 92), ("premium", 3), ("business", 5)]
            };
            *rng.weighted(t)
        } else {
            ""
        };
        let round_trip = rng.unit() < 0.85;
        let travellers = *rng.weighted(&[(1u32, 75), (2, 15), (3, 6), (4, 2), (5, 1), (6, 1)]);
        let occupancy = if mode == "car" {
            (1 + rng.below(3)).to_string()
        } else {
            String::new()
        };
        let month = 1 + rng.below(12) as u32;
        let day = 1 + rng.below(28) as u32;
        let mut date = format!("{:04}-{month:02}-{day:02}", opts.year);
        let mut dest = d.text.clone();
        let mut mode_text = mode.to_string();
        let mut rt = if round_trip { "yes" } else { "no" }.to_string();
        let mut trav = travellers.to_string();
        let dept = *rng.weighted(&DEPARTMENTS);
        let purpose = *rng.weighted(&PURPOSES);
        if opts.messy_share > 0.0 && rng.unit() < opts.messy_share {
            match rng.below(10) {
                // Messy but usable.
                0 | 1 => {
                    mode_text = dutch_modes
                        .iter()
                        .find(|(e, _)| *e == mode)
                        .map_or(mode, |(_, nl)| nl)
                        .to_string()
                }
                2 => rt = if round_trip { "ja" } else { "nee" }.to_string(),
                3 => trav = format!("{travellers},0"),
                4 => date = format!("{day:02}-{month:02}-{}", opts.year),
                5 => trav = format!(" {travellers} "),
                // Must be rejected.
                6 => dest = typo(&mut rng, &dest),
                7 => {
                    dest = ["Atlantis", "Gotham City", "Springfield, XX", "Nowhere Land"]
                        [rng.below(4) as usize]
                        .to_string()
                }
                8 => dest = String::new(),
                _ => {
                    if rng.unit() < 0.5 {
                        trav = format!("-{travellers}");
                    } else {
                        mode_text = typo(&mut rng, &mode_text);
                    }
                }
            }
        }
        w.write_record([
            n.to_string().as_str(),
            &date,
            dept,
            purpose,
            origin,
            &dest,
            &mode_text,
            cabin,
            &rt,
            &trav,
            &occupancy,
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(seed: u64, messy: f64) -> String {
        let mut v = Vec::new();
        let o = GenerateOptions {
            rows: 300,
            seed,
            messy_share: messy,
            ..GenerateOptions::default()
        };
        business_export(Gazetteer::bundled(), &o, &mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn deterministic_for_a_seed() {
        assert_eq!(export(7, 0.1), export(7, 0.1));
        assert_ne!(export(7, 0.1), export(8, 0.1));
        let clean = export(7, 0.0);
        assert_eq!(clean.lines().count(), 301);
        assert!(clean.contains(",flight,"));
        assert!(clean.contains(",train,"));
    }
}
