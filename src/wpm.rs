//! The Dutch WPM report (*werkgebonden personenmobiliteit*): yearly kilometres of business
//! travel and commuting per vehicle type and fuel, in the categories of the RVO form.
//!
//! Dutch employers with 100 or more employees report these kilometres every year; the RVO
//! form turns them into CO2. The table is made from the same rows and the same distances as
//! the inventory ([`crate::inventory`]), so the two always agree:
//!
//! - **business travel**: passenger-km of every journey (one-way km × travellers × 2 for a
//!   round trip); public transport also as an amount in euros when the export has a `cost`
//!   column;
//! - **commuting**: person-km of employees only (groups with role `staff`), extrapolated
//!   exactly as in the inventory; students and other non-employee groups are listed as
//!   excluded, with their km;
//! - **flights are not part of WPM**: their km are listed as excluded;
//! - a car (or motorbike, moped) whose fuel is not known goes to a named "unknown fuel" line;
//!   the fuel is never guessed. Taxis are cars of unknown fuel.
//!
//! Commuting cells with fewer respondents than the minimum cell size are merged into one
//! line, as in every survey breakdown.

use crate::commute::{Cell, Role, merge_small_cells, merged_label};
use crate::inventory::{GroupWeight, InventoryRows, RowResults};
use crate::mode::{Fuel, Mode};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A line of the RVO form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WpmCategory {
    /// Car, petrol.
    CarPetrol,
    /// Car, diesel.
    CarDiesel,
    /// Car, hybrid or plug-in hybrid.
    CarHybrid,
    /// Car, fully electric.
    CarElectric,
    /// Car, other fuels (CNG, LPG).
    CarOther,
    /// Car (or taxi), fuel not known.
    CarUnknown,
    /// Motorbike, electric.
    MotorbikeElectric,
    /// Motorbike, petrol.
    MotorbikePetrol,
    /// Motorbike, fuel not known (or not petrol/electric).
    MotorbikeUnknown,
    /// Moped or scooter, electric.
    MopedElectric,
    /// Moped or scooter, petrol.
    MopedPetrol,
    /// Moped or scooter, fuel not known (or not petrol/electric).
    MopedUnknown,
    /// Bicycle, e-bike, e-step or walking.
    BikeWalk,
    /// Train, bus, coach, tram, metro, ferry.
    PublicTransport,
}

impl WpmCategory {
    /// Every line in form order.
    pub const ALL: [WpmCategory; 14] = [
        WpmCategory::CarPetrol,
        WpmCategory::CarDiesel,
        WpmCategory::CarHybrid,
        WpmCategory::CarElectric,
        WpmCategory::CarOther,
        WpmCategory::CarUnknown,
        WpmCategory::MotorbikeElectric,
        WpmCategory::MotorbikePetrol,
        WpmCategory::MotorbikeUnknown,
        WpmCategory::MopedElectric,
        WpmCategory::MopedPetrol,
        WpmCategory::MopedUnknown,
        WpmCategory::BikeWalk,
        WpmCategory::PublicTransport,
    ];

    /// Stable key for CSV/JSON.
    pub fn key(self) -> &'static str {
        match self {
            WpmCategory::CarPetrol => "car_petrol",
            WpmCategory::CarDiesel => "car_diesel",
            WpmCategory::CarHybrid => "car_hybrid",
            WpmCategory::CarElectric => "car_electric",
            WpmCategory::CarOther => "car_other_fuels",
            WpmCategory::CarUnknown => "car_unknown_fuel",
            WpmCategory::MotorbikeElectric => "motorbike_electric",
            WpmCategory::MotorbikePetrol => "motorbike_petrol",
            WpmCategory::MotorbikeUnknown => "motorbike_unknown_fuel",
            WpmCategory::MopedElectric => "moped_electric",
            WpmCategory::MopedPetrol => "moped_petrol",
            WpmCategory::MopedUnknown => "moped_unknown_fuel",
            WpmCategory::BikeWalk => "bike_or_walking",
            WpmCategory::PublicTransport => "public_transport",
        }
    }

    /// The line as the form names it (in English).
    pub fn label(self) -> &'static str {
        match self {
            WpmCategory::CarPetrol => "car, petrol",
            WpmCategory::CarDiesel => "car, diesel",
            WpmCategory::CarHybrid => "car, (plug-in) hybrid",
            WpmCategory::CarElectric => "car, fully electric",
            WpmCategory::CarOther => "car, other fuels",
            WpmCategory::CarUnknown => "car, unknown fuel",
            WpmCategory::MotorbikeElectric => "motorbike, electric",
            WpmCategory::MotorbikePetrol => "motorbike, petrol",
            WpmCategory::MotorbikeUnknown => "motorbike, unknown fuel",
            WpmCategory::MopedElectric => "moped/scooter, electric",
            WpmCategory::MopedPetrol => "moped/scooter, petrol",
            WpmCategory::MopedUnknown => "moped/scooter, unknown fuel",
            WpmCategory::BikeWalk => "(e-)bike or walking",
            WpmCategory::PublicTransport => "public transport",
        }
    }

    /// The line of a mode and fuel; `None` for flights (not part of WPM).
    pub fn of(mode: Mode, fuel: Fuel) -> Option<WpmCategory> {
        use WpmCategory as C;
        Some(match mode {
            Mode::Flight => return None,
            Mode::Car => match fuel {
                Fuel::Petrol => C::CarPetrol,
                Fuel::Diesel => C::CarDiesel,
                Fuel::Hybrid | Fuel::Phev => C::CarHybrid,
                Fuel::Bev => C::CarElectric,
                Fuel::Cng | Fuel::Lpg => C::CarOther,
                Fuel::Unknown => C::CarUnknown,
            },
            Mode::Taxi => C::CarUnknown,
            Mode::Motorbike => match fuel {
                Fuel::Petrol => C::MotorbikePetrol,
                Fuel::Bev => C::MotorbikeElectric,
                _ => C::MotorbikeUnknown,
            },
            Mode::Moped => match fuel {
                Fuel::Petrol => C::MopedPetrol,
                Fuel::Bev => C::MopedElectric,
                _ => C::MopedUnknown,
            },
            Mode::Bike | Mode::Ebike | Mode::Escooter | Mode::Walk => C::BikeWalk,
            Mode::Train | Mode::Coach | Mode::Bus | Mode::Tram | Mode::Metro | Mode::Ferry => {
                C::PublicTransport
            }
        })
    }
}

/// One line of the WPM table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WpmLine {
    /// Category key.
    pub category: &'static str,
    /// Category as the form names it.
    pub label: &'static str,
    /// Business travel, passenger-km a year.
    pub business_km: f64,
    /// Business public transport in euros (only on the public-transport line, only when the
    /// export has a `cost` column).
    pub business_eur: Option<f64>,
    /// Commuting of employees, person-km a year; `None` when fewer respondents than the
    /// minimum cell size stand behind it (then its km are in the merged line).
    pub commuting_km: Option<f64>,
}

/// Kilometres that are not part of WPM, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WpmExcluded {
    /// What.
    pub what: String,
    /// Business travel km.
    pub business_km: f64,
    /// Commuting km; `None` when they rest on fewer respondents than the minimum cell size.
    pub commuting_km: Option<f64>,
    /// Why it is left out.
    pub reason: String,
}

/// The WPM table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WpmReport {
    /// Organisation.
    pub organisation: String,
    /// Year.
    pub year: i32,
    /// Every form line, in form order.
    pub lines: Vec<WpmLine>,
    /// Commuting km of lines with too few respondents to show on their own.
    pub commuting_merged_km: Option<f64>,
    /// Business km over all lines.
    pub business_km: f64,
    /// Commuting km over all lines (merged line included).
    pub commuting_km: f64,
    /// Not part of WPM.
    pub excluded: Vec<WpmExcluded>,
    /// Method notes.
    pub notes: Vec<String>,
}

fn r3(v: f64) -> f64 {
    crate::business::round3(v)
}

/// Business travel by WPM category: passenger-km, and what public transport cost.
#[derive(Default)]
struct BusinessKm {
    by_category: BTreeMap<WpmCategory, f64>,
    /// Euros of public transport (cost × share), journeys of it and those with a cost.
    pt_eur: f64,
    pt_rows: usize,
    pt_rows_cost: usize,
    has_cost: bool,
    flight_km: f64,
}

fn business_km(rows: &InventoryRows, results: &RowResults) -> BusinessKm {
    let mut b = BusinessKm {
        has_cost: rows.business.iter().any(|j| j.cost_eur().is_some()),
        ..BusinessKm::default()
    };
    for (j, r) in rows.business.iter().zip(results.business.numbers()) {
        match WpmCategory::of(j.mode(), j.fuel()) {
            Some(c) => {
                *b.by_category.entry(c).or_default() += r.passenger_km;
                if c == WpmCategory::PublicTransport {
                    b.pt_rows += 1;
                    if let Some(eur) = j.cost_eur() {
                        b.pt_eur += eur * j.share();
                        b.pt_rows_cost += 1;
                    }
                }
            }
            None => b.flight_km += r.passenger_km,
        }
    }
    b
}

/// Person-km and the respondents behind them.
type KmOf = (f64, BTreeSet<u32>);

/// Commuting by WPM category (employee groups, extrapolated like the inventory), the other
/// roles' km, and flights.
#[derive(Default)]
struct CommutingKm {
    by_category: BTreeMap<WpmCategory, KmOf>,
    not_employees: BTreeMap<Role, KmOf>,
    flight_km: f64,
}

fn commuting_km(
    rows: &InventoryRows,
    results: &RowResults,
    weights: &[GroupWeight],
) -> CommutingKm {
    let mut out = CommutingKm::default();
    for gw in weights {
        for (c, y) in rows.commuters.iter().zip(&results.commuters) {
            if c.group != gw.source {
                continue;
            }
            let k = gw.weight * c.share;
            for (mode, km, _) in y.by_mode() {
                if gw.role != Role::Staff {
                    let e = out.not_employees.entry(gw.role).or_default();
                    e.0 += km * k;
                    e.1.insert(c.respondent);
                    continue;
                }
                match WpmCategory::of(mode, c.fuel) {
                    Some(cat) => {
                        let e = out.by_category.entry(cat).or_default();
                        e.0 += km * k;
                        e.1.insert(c.respondent);
                    }
                    None => out.flight_km += km * k,
                }
            }
        }
    }
    out
}

/// Commuting km per category as shown under the privacy rule: `None` for a merged line; and
/// the merged line's km when any line is merged.
fn shown_commuting(
    commuting: &BTreeMap<WpmCategory, KmOf>,
    min: usize,
) -> (Vec<Option<f64>>, Option<f64>, usize) {
    let cells: Vec<Cell<f64>> = WpmCategory::ALL
        .iter()
        .filter_map(|cat| {
            commuting.get(cat).map(|(km, who)| Cell {
                key: cat.key().to_string(),
                respondents: who.clone(),
                value: *km,
            })
        })
        .collect();
    let mut merged = merge_small_cells(cells, min, |a, b| *a += b);
    // Once some line is merged, lines without any commuter are shown as merged too: a `0`
    // next to `merged` would tell that the merged lines have between 1 and min − 1
    // commuters of their kind.
    if !merged.merged_keys.is_empty() {
        for cat in WpmCategory::ALL
            .iter()
            .filter(|c| !commuting.contains_key(*c))
        {
            merged.merged_keys.push(cat.key().to_string());
        }
    }
    let shown: BTreeMap<&str, f64> = merged
        .cells
        .iter()
        .filter(|c| !merged.merged_keys.contains(&c.key) && c.key != merged_label(min))
        .map(|c| (c.key.as_str(), c.value))
        .collect();
    let merged_km =
        (!merged.merged_keys.is_empty()).then(|| merged.cells.last().map_or(0.0, |c| c.value));
    let per_category = WpmCategory::ALL
        .iter()
        .map(|cat| {
            if merged.merged_keys.iter().any(|k| k == cat.key()) {
                None
            } else {
                Some(r3(shown.get(cat.key()).copied().unwrap_or(0.0)))
            }
        })
        .collect();
    (per_category, merged_km, merged.merged_keys.len())
}

/// What WPM leaves out: flights, and the commuting of groups that are not employees (km not
/// shown below the minimum cell size).
fn excluded(has_business: bool, b: &BusinessKm, c: &CommutingKm, min: usize) -> Vec<WpmExcluded> {
    let mut excluded = Vec::new();
    if b.flight_km > 0.0 || c.flight_km > 0.0 || has_business {
        excluded.push(WpmExcluded {
            what: "flights".into(),
            business_km: r3(b.flight_km),
            commuting_km: Some(r3(c.flight_km)),
            reason: "flights are not part of WPM".into(),
        });
    }
    for (role, (km, who)) in &c.not_employees {
        let small = who.len() < min;
        excluded.push(WpmExcluded {
            what: format!("commuting of groups with role `{}`", role.key()),
            business_km: 0.0,
            commuting_km: (!small).then(|| r3(*km)),
            reason: if small {
                format!(
                    "WPM covers employees; these groups are not employees (fewer than {min} respondents: km not shown)"
                )
            } else {
                "WPM covers employees; these groups are not employees".into()
            },
        });
    }
    excluded
}

/// The notes of the table: units, unknown fuels, costs, merged lines.
fn notes(
    has_business: bool,
    b: &BusinessKm,
    merged_lines: Option<usize>,
    min: usize,
) -> Vec<String> {
    let mut notes = vec![
        "km are passenger-km (business) and person-km (commuting), as in the inventory; carpool passengers count their own km".to_string(),
        "a car, motorbike or moped of unknown fuel is reported on its \"unknown fuel\" line, never guessed; taxis are cars of unknown fuel".to_string(),
        "e-steps are counted with (e-)bikes and walking".to_string(),
    ];
    if b.has_cost {
        notes.push(format!(
            "business public transport in euros from the `cost` column: {} of {} journeys have a cost",
            b.pt_rows_cost, b.pt_rows
        ));
    } else if has_business {
        notes.push(
            "the business-travel export has no `cost` column: public transport is given in km"
                .into(),
        );
    }
    if let Some(n) = merged_lines {
        notes.push(format!(
            "commuting lines with fewer than {min} respondents are merged into one line ({n} lines)"
        ));
    }
    notes
}

/// Builds the WPM table from inventory rows, their results ([`crate::inventory::evaluate_rows`])
/// and the groups' weights ([`crate::inventory::extrapolation`]).
pub fn wpm_report(
    rows: &InventoryRows,
    results: &RowResults,
    weights: &[GroupWeight],
    min_cell_size: usize,
) -> WpmReport {
    let min = min_cell_size.max(1);
    let b = business_km(rows, results);
    let c = commuting_km(rows, results, weights);
    let (shown, merged_km, merged_lines) = shown_commuting(&c.by_category, min);
    let lines: Vec<WpmLine> = WpmCategory::ALL
        .iter()
        .zip(shown)
        .map(|(&cat, commuting_km)| WpmLine {
            category: cat.key(),
            label: cat.label(),
            business_km: r3(b.by_category.get(&cat).copied().unwrap_or(0.0)),
            business_eur: (cat == WpmCategory::PublicTransport && b.has_cost).then(|| r3(b.pt_eur)),
            commuting_km,
        })
        .collect();
    WpmReport {
        organisation: rows.organisation.clone(),
        year: rows.year,
        lines,
        commuting_merged_km: merged_km.map(r3),
        business_km: r3(b.by_category.values().sum()),
        commuting_km: r3(c.by_category.values().map(|v| v.0).sum()),
        excluded: excluded(rows.has_business, &b, &c, min),
        notes: notes(rows.has_business, &b, merged_km.map(|_| merged_lines), min),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mode_and_fuel_has_a_line_except_flights() {
        for m in Mode::ALL {
            for f in [
                Fuel::Petrol,
                Fuel::Diesel,
                Fuel::Hybrid,
                Fuel::Phev,
                Fuel::Bev,
                Fuel::Cng,
                Fuel::Lpg,
                Fuel::Unknown,
            ] {
                assert_eq!(
                    WpmCategory::of(m, f).is_none(),
                    m == Mode::Flight,
                    "{m} {f:?}"
                );
            }
        }
        assert_eq!(
            WpmCategory::of(Mode::Car, Fuel::Unknown),
            Some(WpmCategory::CarUnknown)
        );
        assert_eq!(
            WpmCategory::of(Mode::Car, Fuel::Phev),
            Some(WpmCategory::CarHybrid)
        );
    }
}

#[cfg(test)]
mod sum_tests {
    use super::*;
    use crate::factors::PackSet;
    use crate::input::{InputOptions, InputReader};
    use crate::inventory::{
        EvalOptions, Inputs, InventoryConfig, Journey, evaluate, evaluate_rows, extrapolation, load,
    };
    use crate::journey::Stop;
    use crate::mode::{Cabin, Size};
    use crate::places::Gazetteer;
    use std::sync::Arc;

    /// WPM km add up to the inventory's distances: per mode for business travel, in total
    /// for commuting (employees in the lines, everyone else and flights excluded).
    #[test]
    fn wpm_km_add_up_to_the_inventory_distances() {
        let text = include_str!("../tests/fixtures/commute/inventory-10.json")
            .replace("\"bootstrap\"", "\"min_cell_size\": 1, \"bootstrap\"");
        let cfg = InventoryConfig::from_json("inv.json", &text).unwrap();
        let survey = include_str!("../tests/fixtures/commute/survey-10.csv");
        let g = Gazetteer::bundled();
        let mut rows = load(
            &cfg,
            g,
            PackSet::bundled(),
            Inputs {
                survey: vec![
                    InputReader::from_reader(
                        "s.csv",
                        std::io::Cursor::new(survey.to_string()),
                        &InputOptions::default(),
                    )
                    .unwrap(),
                ],
                ..Inputs::default()
            },
        )
        .unwrap();
        rows.has_business = true;
        let stop = |q: &str| Stop::from_place(&g.resolve(q).unwrap());
        for (mode, fuel, to, cost) in [
            (Mode::Train, Fuel::Unknown, "Amsterdam", Some(48.0)),
            (Mode::Car, Fuel::Diesel, "Utrecht", None),
            (Mode::Car, Fuel::Unknown, "Zwolle", None),
            (Mode::Flight, Fuel::Unknown, "Barcelona", None),
            (Mode::Bus, Fuel::Unknown, "Hengelo", Some(3.5)),
        ] {
            rows.business.push(Journey {
                file: Arc::from("b.csv"),
                line: rows.business.len() as u64 + 2,
                id: String::new(),
                mode,
                cabin: Cabin::Economy,
                size: Size::Average,
                fuel,
                stops: vec![stop("Enschede"), stop(to)],
                round_trip: true,
                travellers: 1.0,
                occupancy: 1.0,
                distance_km: None,
                cost_eur: cost,
                department: String::new(),
                share: 1.0,
                dimensions: Vec::new(),
            });
        }
        let opts = EvalOptions::from_config(&cfg);
        let inv = evaluate(&rows, &opts).unwrap();
        let rr = evaluate_rows(PackSet::bundled(), &rows, &opts).unwrap();
        let w = wpm_report(&rows, &rr, &extrapolation(&rows).unwrap(), 1);
        let line = |k: &str| w.lines.iter().find(|l| l.category == k).unwrap();
        let inv_mode = |cat: &str, m: &str| {
            inv.by_mode
                .iter()
                .filter(|x| x.category == cat && x.mode == m)
                .map(|x| x.distance_km)
                .sum::<f64>()
        };
        let close = |a: f64, b: f64| (a - b).abs() < 0.01;
        // Business, per mode.
        assert!(close(
            line("car_diesel").business_km + line("car_unknown_fuel").business_km,
            inv_mode("business", "car")
        ));
        assert!(close(
            line("public_transport").business_km,
            inv_mode("business", "train") + inv_mode("business", "bus")
        ));
        assert!(close(
            w.excluded[0].business_km,
            inv_mode("business", "flight")
        ));
        assert_eq!(line("public_transport").business_eur, Some(51.5));
        let b_total: f64 = w.lines.iter().map(|l| l.business_km).sum();
        assert!(close(
            b_total + w.excluded[0].business_km,
            inv.categories[0].distance_km
        ));
        // Commuting: employees per mode; students excluded.
        assert!(close(
            line("car_unknown_fuel").commuting_km.unwrap(),
            inv_mode("commuting", "car")
        ));
        assert!(close(
            line("bike_or_walking").commuting_km.unwrap(),
            // staff bike 2,000 + 1,600 km x 10, phd e-bike 4,224 km x 10
            (2_000.0 + 1_600.0 + 4_224.0) * 10.0
        ));
        let students = w
            .excluded
            .iter()
            .find(|e| e.what.contains("student"))
            .unwrap();
        assert!(close(
            students.commuting_km.unwrap(),
            (720.0 + 1_440.0 + 300.0) * 100.0
        ));
        let c_lines: f64 = w.lines.iter().filter_map(|l| l.commuting_km).sum();
        assert!(close(
            c_lines + students.commuting_km.unwrap(),
            inv.categories[1].distance_km
        ));
        // With the default minimum cell size the small lines merge but still add up.
        let w5 = wpm_report(&rows, &rr, &extrapolation(&rows).unwrap(), 5);
        let shown: f64 = w5.lines.iter().filter_map(|l| l.commuting_km).sum();
        assert!(close(shown + w5.commuting_merged_km.unwrap(), c_lines));
        assert!(w5.lines.iter().any(|l| l.commuting_km.is_none()));
        // Three student respondents: their excluded km are not shown either.
        assert_eq!(w5.excluded[1].commuting_km, None);
    }
}
