//! Method comparison: the same business journeys under every method the tool can source.
//!
//! Each method is the inventory's own rows evaluated with other options (another factor
//! pack, RF off, the TTW boundary, DESNZ's distance-independent international average), or,
//! for the GES 1point5 flight method, the flights recomputed with its distance rule and
//! banded factors (`data/methods/ges-1point5.json`, known second-hand: grade C). A method
//! whose numbers cannot be sourced is not computed: it is listed with the reason.

use super::adapter::{Facts, JourneyFact, JourneyFacts, ModeSums, business_under};
use crate::business::round3;
use crate::factors::PackSet;
use crate::factors::{FlightBandRule, RailFactor, SMOOTH_HALF_WINDOW_KM};
use crate::inventory::{EvalOptions, InventoryRows, JourneyResults};
use crate::journey::CalcOptions;
use crate::mode::Mode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The bundled GES 1point5 flight method.
pub const GES_1POINT5: &str = include_str!("../../data/methods/ges-1point5.json");

/// One distance band of a banded flight method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlightBand {
    /// Upper bound in km (exclusive); none for the last band.
    pub max_km: Option<f64>,
    /// kg CO2e per passenger-km.
    pub kg_per_pkm: f64,
}

/// A flight method: km added to each leg's great circle and factors by distance band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandedFlightMethod {
    /// Why the file exists.
    #[serde(rename = "_comment", default)]
    pub comment: String,
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Reliability grade of the source.
    pub grade: String,
    /// Year.
    pub year: u16,
    /// Unit.
    pub unit: String,
    /// What the factors cover.
    pub scope: String,
    /// Km added to the great circle of each leg.
    pub add_km: f64,
    /// Its source.
    pub add_km_source: String,
    /// Which distance picks the band.
    pub band_basis: String,
    /// Bands, ascending.
    pub bands: Vec<FlightBand>,
    /// Their source.
    pub bands_source: String,
}

impl BandedFlightMethod {
    /// The bundled GES 1point5 method.
    ///
    /// # Panics
    /// Never for the committed file (a test parses it).
    pub fn ges_1point5() -> BandedFlightMethod {
        serde_json::from_str(GES_1POINT5).expect("the bundled GES 1point5 file is valid")
    }

    /// kg CO2e per passenger-km for a leg of `great_circle_km`.
    pub fn factor(&self, great_circle_km: f64) -> f64 {
        self.bands
            .iter()
            .find(|b| b.max_km.is_none_or(|m| great_circle_km < m))
            .or(self.bands.last())
            .map_or(0.0, |b| b.kg_per_pkm)
    }

    /// kg CO2e of one journey: every leg's (great circle + `add_km`) × its band's factor, ×
    /// passenger trips. A given distance replaces the legs (nothing added; its band by it).
    pub fn journey_kg(&self, j: &JourneyFact) -> f64 {
        let one_way = match j.given_km {
            Some(d) => d * self.factor(d),
            None => j
                .leg_great_circle_km
                .iter()
                .map(|gc| (gc + self.add_km) * self.factor(*gc))
                .sum(),
        };
        one_way * j.passenger_trips
    }
}

/// One method's totals on the inventory's business journeys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodOut {
    /// Id, e.g. `desnz-2025/no-rf`.
    pub id: String,
    /// Label.
    pub label: String,
    /// What the method includes.
    pub includes: String,
    /// Reliability grades of the factors it used.
    pub grade: String,
    /// Whether it is the configuration's own method.
    pub configured: bool,
    /// Business travel, kg CO2e.
    pub business_kg: f64,
    /// Flights alone, kg CO2e.
    pub flights_kg: f64,
    /// Rail alone, kg CO2e.
    pub rail_kg: f64,
    /// Business travel against the configured method, %.
    pub difference_pct: f64,
    /// Factor fallbacks and notes (at most 5).
    pub notes: Vec<String>,
}

/// A method left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unavailable {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Why it is not computed.
    pub reason: String,
}

struct Spec {
    id: String,
    label: String,
    calc: CalcOptions,
    includes: String,
}

fn specs(packs: &PackSet, configured: &CalcOptions) -> Vec<Spec> {
    let boundary = |c: &CalcOptions| {
        let pack = packs.get(&c.pack).ok();
        let wtw = if c.include_wtt {
            "well-to-wheel (fuel supply included)"
        } else {
            "tank-to-wheel only (fuel supply excluded)"
        };
        let rf = if c.include_rf {
            "non-CO2 effects of flights included"
        } else {
            "CO2e of fuel only for flights (no RF)"
        };
        let haul = match (&c.haul_override, c.flight_bands) {
            (Some(h), _) => format!("; every flight at the `{h}` haul factor"),
            (None, FlightBandRule::Published) => {
                "; flights by the pack's published haul bands".to_string()
            }
            (None, FlightBandRule::Smooth) => format!(
                "; flights by smooth bands (adjacent bands' factors blended linearly within ±{SMOOTH_HALF_WINDOW_KM:.0} km of each edge)"
            ),
        };
        let rail = match c.rail_factor {
            RailFactor::Country => "; rail by the countries each leg crosses",
            RailFactor::Pack => "; rail at the pack's single rail factor",
        };
        format!(
            "{}: {wtw}; {rf}{haul}{rail}; pack boundary: {}",
            pack.map_or(c.pack.as_str(), |p| p.name.as_str()),
            pack.map_or("", |p| p.boundary.as_str())
        )
    };
    let desnz = CalcOptions {
        pack: "desnz-2025".into(),
        include_rf: true,
        include_wtt: true,
        haul_override: None,
        ..CalcOptions::default()
    };
    let mut v = vec![
        Spec {
            id: "configured".into(),
            label: format!("As configured ({})", configured.pack),
            calc: configured.clone(),
            includes: String::new(),
        },
        Spec {
            id: "desnz-2025".into(),
            label: "DESNZ 2025, with RF, WTW".into(),
            calc: desnz.clone(),
            includes: String::new(),
        },
        Spec {
            id: "desnz-2025/no-rf".into(),
            label: "DESNZ 2025, without RF".into(),
            calc: CalcOptions {
                include_rf: false,
                ..desnz.clone()
            },
            includes: String::new(),
        },
        Spec {
            id: "desnz-2025/ttw".into(),
            label: "DESNZ 2025, TTW only".into(),
            calc: CalcOptions {
                include_wtt: false,
                ..desnz.clone()
            },
            includes: String::new(),
        },
        Spec {
            id: "desnz-2025/international".into(),
            label: "DESNZ 2025, international to/from non-UK average".into(),
            calc: CalcOptions {
                haul_override: Some("international".into()),
                ..desnz.clone()
            },
            includes: String::new(),
        },
        Spec {
            id: "desnz-2025/smooth-bands".into(),
            label: "DESNZ 2025, smooth flight bands (no jump at 3700 km)".into(),
            calc: CalcOptions {
                flight_bands: FlightBandRule::Smooth,
                ..desnz.clone()
            },
            includes: String::new(),
        },
        Spec {
            id: "desnz-2025/rail-pack".into(),
            label: "DESNZ 2025, the pack's single rail factor (UK national rail) everywhere".into(),
            calc: CalcOptions {
                rail_factor: RailFactor::Pack,
                ..desnz.clone()
            },
            includes: String::new(),
        },
    ];
    for p in packs.packs() {
        if p.id != "desnz-2025" {
            v.push(Spec {
                id: p.id.clone(),
                label: format!("{} pack, with RF, WTW", p.id),
                calc: CalcOptions {
                    pack: p.id.clone(),
                    ..desnz.clone()
                },
                includes: String::new(),
            });
        }
    }
    for s in &mut v {
        s.includes = boundary(&s.calc);
        if let Some(f) = packs
            .get(&s.calc.pack)
            .ok()
            .and_then(|p| p.fallback_pack.clone())
        {
            s.includes
                .push_str(&format!("; modes it lacks from `{f}` (reported)"));
        }
    }
    v
}

/// The reliability grades of the factors the journeys used, from the distinct journeys
/// (every row uses its distinct journey's factor).
fn grades(packs: &PackSet, facts: &JourneyFacts, results: &JourneyResults) -> String {
    let used: BTreeSet<(&str, &str)> = facts.first_rows().map(|i| results.factor_at(i)).collect();
    let mut g: BTreeSet<String> = BTreeSet::new();
    for (pack, id) in used {
        if let Some(f) = packs
            .get(pack)
            .ok()
            .and_then(|p| p.factors.iter().find(|f| f.id == id))
        {
            g.insert(if f.reliability.is_empty() {
                "ungraded".into()
            } else {
                f.reliability.clone()
            });
        }
    }
    g.into_iter().collect::<Vec<_>>().join(", ")
}

/// kg CO2e of every distinct journey under `results` (the other options' figures of the
/// rows), then summed over the rows in row order ([`JourneyFacts::sums`]).
pub(super) fn sums_under(facts: &JourneyFacts, results: &JourneyResults) -> ModeSums {
    let kg: Vec<f64> = facts
        .first_rows()
        .map(|i| results.numbers_at(i).co2e_kg)
        .collect();
    facts.sums(&kg)
}

fn pct(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        ((part / whole - 1.0) * 100.0 * 100.0).round() / 100.0
    }
}

/// Every method on the same business journeys, and the methods left out.
pub fn compare(
    packs: &PackSet,
    rows: &InventoryRows,
    opts: &EvalOptions,
    facts: &Facts,
) -> (Vec<MethodOut>, Vec<Unavailable>) {
    let mut out: Vec<MethodOut> = Vec::new();
    let mut missing = Vec::new();
    let base_business = facts.journeys.base_sums().business_kg;
    for s in specs(packs, &opts.calc) {
        if s.id != "configured" && s.calc == opts.calc {
            // The configuration's own method is already the first line.
            if let Some(first) = out.first_mut() {
                first.label = format!("{} (configured)", s.label);
                first.id = s.id.clone();
            }
            continue;
        }
        match business_under(packs, rows, facts.journeys.results(), opts, &s.calc) {
            Ok((r, notes)) => {
                let sums = sums_under(&facts.journeys, &r);
                let business = sums.business_kg;
                out.push(MethodOut {
                    id: s.id.clone(),
                    label: s.label,
                    includes: s.includes,
                    grade: grades(packs, &facts.journeys, &r),
                    configured: s.id == "configured",
                    business_kg: round3(business),
                    flights_kg: round3(sums.flights_kg),
                    rail_kg: round3(sums.rail_kg),
                    difference_pct: pct(business, base_business),
                    notes: notes.into_iter().take(5).collect(),
                });
            }
            Err(e) => missing.push(Unavailable {
                id: s.id,
                label: s.label,
                reason: format!("cannot be computed on these rows: {e}"),
            }),
        }
    }
    out.push(ges_method(facts, base_business));
    missing.extend(left_out());
    (out, missing)
}

fn ges_method(facts: &Facts, base_business: f64) -> MethodOut {
    let m = BandedFlightMethod::ges_1point5();
    // Flights by the method, other modes as configured: per distinct journey, then the rows
    // in row order (the same additions as row by row).
    let kg: Vec<f64> = facts
        .journeys
        .distinct()
        .iter()
        .map(|j| {
            if j.mode == Mode::Flight {
                m.journey_kg(j)
            } else {
                j.co2e_kg
            }
        })
        .collect();
    // Per distinct journey its (flights, other, rail) terms; -0.0 where a sum leaves it
    // out (adding -0.0 never changes an f64).
    let terms: Vec<[f64; 3]> = facts
        .journeys
        .distinct()
        .iter()
        .zip(&kg)
        .map(|(j, &x)| match j.mode {
            Mode::Flight => [x, -0.0, -0.0],
            Mode::Train => [-0.0, x, x],
            _ => [-0.0, x, -0.0],
        })
        .collect();
    let mut sum = [0.0; 3];
    for &d in facts.journeys.of_row() {
        let t = &terms[d as usize];
        sum[0] += t[0];
        sum[1] += t[1];
        sum[2] += t[2];
    }
    let [flights, other, rail] = sum;
    let bands: Vec<String> = m
        .bands
        .iter()
        .map(|b| match b.max_km {
            Some(x) => format!("{} below {x} km", b.kg_per_pkm),
            None => format!("{} above", b.kg_per_pkm),
        })
        .collect();
    MethodOut {
        id: m.id.clone(),
        label: format!("{} (grade {})", m.label, m.grade),
        includes: format!(
            "flights: great circle + {} km per leg x banded factors (kg CO2e/pkm: {}; band by the {}); {}. Other modes as configured. Source: {}",
            m.add_km,
            bands.join(", "),
            m.band_basis,
            m.scope,
            m.bands_source
        ),
        grade: m.grade.clone(),
        configured: false,
        business_kg: round3(flights + other),
        flights_kg: round3(flights),
        rail_kg: round3(rail),
        difference_pct: pct(flights + other, base_business),
        notes: vec![m.add_km_source.clone()],
    }
}

/// Methods the tool cannot source, with the reason.
fn left_out() -> Vec<Unavailable> {
    let u = |id: &str, label: &str, reason: &str| Unavailable {
        id: id.into(),
        label: label.into(),
        reason: reason.into(),
    };
    vec![
        u(
            "google-tim",
            "Google Travel Impact Model",
            "no per-km factor table is published (per-flight estimates come only through its API)",
        ),
        u(
            "icao-icec",
            "ICAO Carbon Emissions Calculator",
            "needs ICAO's fuel-burn tables per aircraft type, which are not published as data",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_ges_method_parses_and_bands_by_distance() {
        let m = BandedFlightMethod::ges_1point5();
        assert_eq!(m.grade, "C");
        assert_eq!(m.add_km, 95.0);
        assert_eq!(m.factor(500.0), 0.258);
        assert_eq!(m.factor(1000.0), 0.187);
        assert_eq!(m.factor(3499.0), 0.187);
        assert_eq!(m.factor(9000.0), 0.152);
    }
}
