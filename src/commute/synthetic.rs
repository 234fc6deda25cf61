//! A synthetic commuting survey for a university of UT's size — clearly synthetic,
//! deterministic for a seed (ChaCha8).
//!
//! Every number here is an **assumption for demonstration**, not a measurement of any
//! university; `data/examples/ut/README.md` lists them. Respondents are staff, PhD
//! candidates and students. Homes are Dutch PC4 postcodes from the bundled table, weighted
//! towards Enschede, Hengelo and the rest of Twente, with some in the wider east of the
//! Netherlands, the Randstad and across the border in Germany (as `home` places). The mode
//! follows the straight-line distance to the campus: walking and cycling close by, e-bike and
//! car in the region, train and car far away; students cycle and take the bus more, and
//! drive less. Cars get a fuel mix, a few carpool; some respondents name a second mode for
//! part of their days; staff report telework days.

use crate::distance::{LatLon, geodesic_km};
use crate::places::Gazetteer;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;

const PC4_TSV: &str = include_str!("../../data/gazetteer/nl_pc4.tsv");

/// Options of [`survey_csv`].
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyOptions {
    /// Respondents to write (valid rows).
    pub respondents: u64,
    /// Random seed: the same seed gives the same file.
    pub seed: u64,
    /// Rows appended that must be rejected (unknown postcode, 8 days a week, negative
    /// distance, unknown mode, in turn).
    pub broken_rows: u64,
}

impl Default for SurveyOptions {
    fn default() -> Self {
        SurveyOptions {
            respondents: 1500,
            seed: 1,
            broken_rows: 0,
        }
    }
}

/// Columns of the generated survey.
pub const COLUMNS: [&str; 13] = [
    "id",
    "group",
    "postcode",
    "home",
    "one_way_km",
    "mode",
    "second_mode",
    "second_mode_share",
    "days_per_week",
    "telework_days",
    "weeks_per_year",
    "occupancy",
    "fuel",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    Staff,
    Phd,
    Student,
}

/// Regions of residence.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Region {
    CampusArea,
    Enschede,
    Hengelo,
    Twente,
    East,
    Randstad,
    Germany,
}

const TWENTE: [&str; 12] = [
    "Almelo",
    "Borne",
    "Oldenzaal",
    "Haaksbergen",
    "Losser",
    "Dinkelland",
    "Tubbergen",
    "Hof van Twente",
    "Rijssen-Holten",
    "Wierden",
    "Twenterand",
    "Hellendoorn",
];
const EAST: [&str; 7] = [
    "Deventer",
    "Zwolle",
    "Apeldoorn",
    "Arnhem",
    "Lochem",
    "Berkelland",
    "Winterswijk",
];
const RANDSTAD: [&str; 2] = ["Amsterdam", "Utrecht"];
const GERMANY: [(&str, u32); 5] = [
    ("Gronau, DE", 40),
    ("Bad Bentheim", 10),
    ("Nordhorn", 15),
    ("Münster", 20),
    ("Osnabrück", 15),
];
/// Postcodes around the campus (the campus itself is 7522).
const CAMPUS_AREA: [&str; 4] = ["7522", "7521", "7523", "7524"];

fn region_weights(who: Who) -> &'static [(Region, u32)] {
    use Region::*;
    match who {
        Who::Student => &[
            (CampusArea, 22),
            (Enschede, 53),
            (Hengelo, 8),
            (Twente, 5),
            (East, 6),
            (Randstad, 2),
            (Germany, 4),
        ],
        Who::Phd => &[
            (CampusArea, 8),
            (Enschede, 57),
            (Hengelo, 8),
            (Twente, 7),
            (East, 8),
            (Randstad, 4),
            (Germany, 8),
        ],
        Who::Staff => &[
            (CampusArea, 2),
            (Enschede, 36),
            (Hengelo, 14),
            (Twente, 22),
            (East, 12),
            (Randstad, 6),
            (Germany, 8),
        ],
    }
}

fn mode_weights(who: Who, km: f64) -> &'static [(&'static str, u32)] {
    let student_like = who == Who::Student || (who == Who::Phd && km < 20.0);
    if student_like {
        if km < 1.5 {
            &[("walk", 25), ("bike", 72), ("bus", 3)]
        } else if km < 7.0 {
            &[
                ("bike", 80),
                ("ebike", 3),
                ("bus", 12),
                ("car", 3),
                ("moped", 2),
            ]
        } else if km < 20.0 {
            &[
                ("bike", 35),
                ("ebike", 10),
                ("bus", 30),
                ("train", 15),
                ("car", 8),
                ("moped", 2),
            ]
        } else if km < 60.0 {
            &[("train", 70), ("bus", 10), ("car", 18), ("ebike", 2)]
        } else {
            &[("train", 85), ("car", 15)]
        }
    } else if km < 1.5 {
        &[("walk", 20), ("bike", 70), ("car", 10)]
    } else if km < 7.0 {
        &[
            ("bike", 55),
            ("ebike", 15),
            ("bus", 7),
            ("car", 20),
            ("moped", 2),
            ("walk", 1),
        ]
    } else if km < 20.0 {
        &[
            ("ebike", 28),
            ("bike", 12),
            ("car", 45),
            ("bus", 7),
            ("train", 5),
            ("motorbike", 2),
            ("moped", 1),
        ]
    } else if km < 60.0 {
        &[
            ("car", 55),
            ("train", 35),
            ("ebike", 5),
            ("motorbike", 3),
            ("bus", 2),
        ]
    } else {
        &[("train", 55), ("car", 45)]
    }
}

struct Pc4 {
    code: String,
    municipality: String,
    pos: LatLon,
}

fn postcodes() -> Vec<Pc4> {
    PC4_TSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let lat = f.get(3)?.parse().ok()?;
            let lon = f.get(4)?.parse().ok()?;
            Some(Pc4 {
                code: f.first()?.to_string(),
                municipality: f.get(2)?.to_string(),
                pos: LatLon::new(lat, lon).ok()?,
            })
        })
        .collect()
}

fn in_municipality(p: &Pc4, names: &[&str]) -> bool {
    let m = p
        .municipality
        .trim_start_matches("Gemeente ")
        .trim_end_matches(" Municipality");
    names.contains(&m)
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut x = rng.random_range(0..total);
    for (t, w) in items {
        if x < *w {
            return t;
        }
        x -= *w;
    }
    &items[items.len() - 1].0
}

/// Where respondents live: the postcode areas of each region and the German towns.
struct Homes<'a> {
    campus_area: Vec<&'a Pc4>,
    enschede: Vec<&'a Pc4>,
    hengelo: Vec<&'a Pc4>,
    twente: Vec<&'a Pc4>,
    east: Vec<&'a Pc4>,
    randstad: Vec<&'a Pc4>,
    /// (position, name as the survey gives it, weight)
    germany: Vec<(LatLon, &'static str, u32)>,
}

impl<'a> Homes<'a> {
    fn new(g: &Gazetteer, pcs: &'a [Pc4]) -> Homes<'a> {
        let of = |names: &[&str]| -> Vec<&'a Pc4> {
            pcs.iter().filter(|p| in_municipality(p, names)).collect()
        };
        Homes {
            campus_area: pcs
                .iter()
                .filter(|p| CAMPUS_AREA.contains(&p.code.as_str()))
                .collect(),
            enschede: of(&["Enschede"])
                .into_iter()
                .filter(|p| !CAMPUS_AREA.contains(&p.code.as_str()))
                .collect(),
            hengelo: of(&["Hengelo"]),
            twente: of(&TWENTE),
            east: of(&EAST),
            randstad: of(&RANDSTAD),
            germany: GERMANY
                .iter()
                .filter_map(|(q, w)| {
                    let p = g.resolve(q).ok()?;
                    Some((LatLon::new(p.lat_deg, p.lon_deg).ok()?, *q, *w))
                })
                .collect(),
        }
    }

    /// A home in `region`: (postcode, place name, position).
    fn pick(&self, rng: &mut ChaCha8Rng, region: Region) -> (String, String, LatLon) {
        if region == Region::Germany {
            let items: Vec<(usize, u32)> = self
                .germany
                .iter()
                .enumerate()
                .map(|(i, x)| (i, x.2))
                .collect();
            let i = *pick(rng, &items);
            return (
                String::new(),
                self.germany[i].1.to_string(),
                self.germany[i].0,
            );
        }
        let list = match region {
            Region::CampusArea => &self.campus_area,
            Region::Enschede => &self.enschede,
            Region::Hengelo => &self.hengelo,
            Region::Twente => &self.twente,
            Region::East => &self.east,
            _ => &self.randstad,
        };
        let p = list[rng.random_range(0..list.len())];
        (p.code.clone(), String::new(), p.pos)
    }
}

/// A second mode for part of the way (12 % of respondents) and its share.
fn second_mode(rng: &mut ChaCha8Rng, mode: &str, km: f64) -> (String, String) {
    if !rng.random_bool(0.12) {
        return (String::new(), String::new());
    }
    let s = match mode {
        "bike" | "ebike" | "walk" => Some(if km < 15.0 { "bus" } else { "train" }),
        "car" => Some(if km < 20.0 { "ebike" } else { "train" }),
        "train" => Some("car"),
        "bus" => Some("bike"),
        _ => None,
    };
    match s {
        Some(s) => (
            s.to_string(),
            format!("{:.1}", [0.2, 0.3, 0.4][rng.random_range(0..3)]),
        ),
        None => (String::new(), String::new()),
    }
}

/// Days a week on campus, telework days and (for 5 % of staff) weeks a year.
fn week_pattern(rng: &mut ChaCha8Rng, who: Who) -> (u32, String, String) {
    let days: u32 = match who {
        Who::Staff => *pick(rng, &[(2, 12), (3, 33), (4, 35), (5, 20)]),
        Who::Phd => *pick(rng, &[(3, 15), (4, 40), (5, 45)]),
        Who::Student => *pick(rng, &[(2, 10), (3, 25), (4, 35), (5, 30)]),
    };
    let telework = match who {
        Who::Student => String::new(),
        _ => {
            // Most work five days; part-timers one day less.
            let week: u32 = if rng.random_bool(0.75) { 5 } else { 4 };
            week.saturating_sub(days).to_string()
        }
    };
    let weeks = if who != Who::Student && rng.random_bool(0.05) {
        rng.random_range(38..=46).to_string()
    } else {
        String::new()
    };
    (days, telework, weeks)
}

/// Car occupancy (when a car is used) and the fuel of the vehicle.
fn vehicle(rng: &mut ChaCha8Rng, mode: &str, second: &str) -> (String, &'static str) {
    let uses_car = mode == "car" || second == "car";
    let occupancy = if uses_car {
        pick(rng, &[("", 85), ("2", 12), ("3", 3)]).to_string()
    } else {
        String::new()
    };
    let fuel = match mode {
        "car" => *pick(
            rng,
            &[
                ("petrol", 48),
                ("diesel", 13),
                ("hybrid", 13),
                ("plug-in hybrid", 7),
                ("electric", 14),
                ("lpg", 1),
                ("", 4),
            ],
        ),
        "moped" => *pick(rng, &[("petrol", 60), ("electric", 40)]),
        "motorbike" => *pick(rng, &[("petrol", 85), ("electric", 5), ("", 10)]),
        _ if uses_car => *pick(rng, &[("petrol", 55), ("diesel", 15), ("", 30)]),
        _ => "",
    };
    (occupancy, fuel)
}

/// Respondent `n`: one survey record in [`COLUMNS`] order.
fn respondent(rng: &mut ChaCha8Rng, homes: &Homes<'_>, campus: LatLon, n: u64) -> Vec<String> {
    let who = *pick(rng, &[(Who::Staff, 45), (Who::Phd, 15), (Who::Student, 40)]);
    let region = *pick(rng, region_weights(who));
    let (postcode, home, pos) = homes.pick(rng, region);
    let km = geodesic_km(pos, campus);
    let mode = *pick(rng, mode_weights(who, km));
    // A few respondents give a distance instead of where they live.
    let (postcode, home, one_way_km) = if rng.random_bool(0.03) {
        (
            String::new(),
            String::new(),
            format!("{:.1}", (km * 1.3).max(0.5)),
        )
    } else {
        (postcode, home, String::new())
    };
    let (second, share) = second_mode(rng, mode, km);
    let (days, telework, weeks) = week_pattern(rng, who);
    let (occupancy, fuel) = vehicle(rng, mode, &second);
    let group = match who {
        Who::Staff => "staff",
        Who::Phd => "phd",
        Who::Student => "student",
    };
    vec![
        format!("S{n:05}"),
        group.to_string(),
        postcode,
        home,
        one_way_km,
        mode.to_string(),
        second,
        share,
        days.to_string(),
        telework,
        weeks,
        occupancy,
        fuel.to_string(),
    ]
}

/// Broken row `k` (cycling through four kinds of error the reader must reject).
fn broken_row(k: u64) -> [String; 13] {
    let id = format!("X{:03}", k + 1);
    let row: [&str; 12] = match k % 4 {
        0 => [
            "staff", "7509", "", "", "car", "", "", "4", "1", "", "", "petrol",
        ],
        1 => [
            "student", "7511", "", "", "bike", "", "", "8", "", "", "", "",
        ],
        2 => ["phd", "", "", "-12", "train", "", "", "3", "2", "", "", ""],
        _ => [
            "staff",
            "7531",
            "",
            "",
            "hovercraft",
            "",
            "",
            "4",
            "1",
            "",
            "",
            "",
        ],
    };
    let mut out: [String; 13] = Default::default();
    out[0] = id;
    for (o, v) in out[1..].iter_mut().zip(row) {
        *o = v.to_string();
    }
    out
}

/// Writes a synthetic survey as CSV (`,`-separated, UTF-8) with the [`COLUMNS`].
///
/// # Errors
/// Writing fails.
pub fn survey_csv<W: Write>(g: &Gazetteer, opts: &SurveyOptions, out: W) -> std::io::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let campus = g
        .resolve("ut")
        .map(|p| LatLon {
            lat_deg: p.lat_deg,
            lon_deg: p.lon_deg,
        })
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let pcs = postcodes();
    let homes = Homes::new(g, &pcs);
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(COLUMNS)?;
    for n in 1..=opts.respondents {
        w.write_record(respondent(&mut rng, &homes, campus, n))?;
    }
    for k in 0..opts.broken_rows {
        w.write_record(broken_row(k))?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commute::{Group, PopulationUnit, Role, SurveyContext, read_survey};
    use crate::input::{InputOptions, InputReader};
    use std::collections::BTreeMap;

    fn generate(opts: &SurveyOptions) -> String {
        let mut buf = Vec::new();
        survey_csv(Gazetteer::bundled(), opts, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn deterministic_valid_and_broken_rows_rejected() {
        let opts = SurveyOptions {
            respondents: 400,
            seed: 3,
            broken_rows: 4,
        };
        let a = generate(&opts);
        assert_eq!(a, generate(&opts));
        assert_ne!(
            a,
            generate(&SurveyOptions {
                seed: 4,
                ..opts.clone()
            })
        );
        let groups: BTreeMap<String, Group> = ["staff", "phd", "student"]
            .into_iter()
            .map(|n| {
                (
                    n.to_string(),
                    Group {
                        name: n.into(),
                        population: 1.0,
                        unit: PopulationUnit::Headcount,
                        weeks_per_year: 40.0,
                        role: Role::Staff,
                        assume: None,
                    },
                )
            })
            .collect();
        let r = InputReader::from_reader(
            "s.csv",
            std::io::Cursor::new(a.into_bytes()),
            &InputOptions::default(),
        )
        .unwrap();
        let read = read_survey(
            r,
            SurveyContext {
                gazetteer: Gazetteer::bundled(),
                groups: &groups,
                columns: None,
            },
            0,
        )
        .unwrap();
        assert_eq!(read.commuters.len(), 400);
        let reasons: Vec<&str> = read.rejects.iter().map(|r| r.reason).collect();
        assert_eq!(
            reasons,
            [
                "unknown postcode",
                "days per week out of range",
                "negative distance",
                "unknown mode"
            ]
        );
    }
}
