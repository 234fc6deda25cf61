//! Pack schema and loading.

use super::FactorError;
use crate::mode::Mode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// kg CO2e split by life-cycle stage. Used both per unit (a factor) and in totals.
///
/// # Units
/// kg CO2e per unit (factor) or kg CO2e (result).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Parts {
    /// Tank-to-wheel: combustion at the vehicle (for electric vehicles in DESNZ: generation).
    #[serde(default)]
    pub ttw: f64,
    /// Well-to-tank: fuel or electricity supply chain.
    #[serde(default)]
    pub wtt: f64,
    /// Well-to-wheel energy where the source does not split TTW/WTT (ADEME "carburant").
    #[serde(default)]
    pub energy_wtw: f64,
    /// Non-CO2 effects of flights (radiative forcing, contrails).
    #[serde(default)]
    pub non_co2: f64,
    /// Vehicle construction, maintenance and end of life (ADEME life-cycle).
    #[serde(default)]
    pub construction: f64,
}

impl Parts {
    /// Sum of all parts.
    pub fn total(&self) -> f64 {
        self.ttw + self.wtt + self.energy_wtw + self.non_co2 + self.construction
    }

    /// Every part multiplied by `k`.
    pub fn scaled(&self, k: f64) -> Parts {
        Parts {
            ttw: self.ttw * k,
            wtt: self.wtt * k,
            energy_wtw: self.energy_wtw * k,
            non_co2: self.non_co2 * k,
            construction: self.construction * k,
        }
    }

    /// Part-wise sum.
    pub fn plus(&self, o: &Parts) -> Parts {
        Parts {
            ttw: self.ttw + o.ttw,
            wtt: self.wtt + o.wtt,
            energy_wtw: self.energy_wtw + o.energy_wtw,
            non_co2: self.non_co2 + o.non_co2,
            construction: self.construction + o.construction,
        }
    }

    /// Keeps only the parts inside the reporting boundary.
    pub fn restricted(&self, include_non_co2: bool, include_wtt: bool) -> Parts {
        Parts {
            ttw: self.ttw,
            wtt: if include_wtt { self.wtt } else { 0.0 },
            energy_wtw: self.energy_wtw,
            non_co2: if include_non_co2 { self.non_co2 } else { 0.0 },
            construction: self.construction,
        }
    }
}

/// The unit a factor applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// Per passenger-kilometre.
    #[serde(rename = "passenger.km")]
    PassengerKm,
    /// Per vehicle-kilometre: shared by the occupants.
    #[serde(rename = "vehicle.km")]
    VehicleKm,
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Unit {
    /// As written in pack files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::PassengerKm => "passenger.km",
            Unit::VehicleKm => "vehicle.km",
        }
    }
}

/// One emission factor with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// Id unique in the pack, e.g. `flight.short.economy`.
    pub id: String,
    /// Mode key (see [`Mode::key`]).
    pub mode: String,
    /// Variant keys: `haul`, `cabin`, `size`, `fuel`, `kind`.
    #[serde(default)]
    pub variant: BTreeMap<String, String>,
    /// The source's own label for the row.
    #[serde(default)]
    pub label: String,
    /// Unit of the factor.
    pub unit: Unit,
    /// kg CO2e per unit, tank-to-wheel.
    #[serde(default)]
    pub ttw: f64,
    /// kg CO2e per unit, well-to-tank.
    #[serde(default)]
    pub wtt: f64,
    /// kg CO2e per unit, well-to-wheel energy not split by the source.
    #[serde(default)]
    pub energy_wtw: f64,
    /// kg CO2e per unit, non-CO2 effects (flights).
    #[serde(default)]
    pub non_co2: f64,
    /// kg CO2e per unit, vehicle construction.
    #[serde(default)]
    pub construction: f64,
    /// Publication the value comes from.
    pub source: String,
    /// Table / sheet / level path inside the source.
    #[serde(default)]
    pub table: String,
    /// Row identifiers inside the source.
    #[serde(default)]
    pub row: String,
    /// Year of the factor.
    pub year: u16,
    /// What the value covers.
    #[serde(default)]
    pub scope: String,
    /// Reliability grade A/B/C (see data/factors/README.md).
    #[serde(default)]
    pub reliability: String,
    /// Caveats.
    #[serde(default)]
    pub note: String,
    /// The default factor for its mode.
    #[serde(default)]
    pub default: bool,
}

impl Factor {
    /// The factor's parts, kg CO2e per unit.
    pub fn parts(&self) -> Parts {
        Parts {
            ttw: self.ttw,
            wtt: self.wtt,
            energy_wtw: self.energy_wtw,
            non_co2: self.non_co2,
            construction: self.construction,
        }
    }
}

/// The rule of a pack's flight-distance convention (`conventions.flight_distance.kind`).
///
/// An unknown kind is a load error naming the pack and the field, never a silent "no uplift".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlightDistanceKind {
    /// Nothing added (the uplift, if any, is inside the factors).
    None,
    /// A fixed number of km added (`km`).
    AddKm,
    /// Great-circle km multiplied (`factor`).
    Multiply,
    /// Km added by great-circle band (`bands`).
    AddKmBands,
}

impl FlightDistanceKind {
    /// Every kind, as written in pack files.
    pub const ALL: [FlightDistanceKind; 4] = [
        FlightDistanceKind::None,
        FlightDistanceKind::AddKm,
        FlightDistanceKind::Multiply,
        FlightDistanceKind::AddKmBands,
    ];

    /// As written in pack files.
    pub fn as_str(self) -> &'static str {
        match self {
            FlightDistanceKind::None => "none",
            FlightDistanceKind::AddKm => "add_km",
            FlightDistanceKind::Multiply => "multiply",
            FlightDistanceKind::AddKmBands => "add_km_bands",
        }
    }
}

impl std::fmt::Display for FlightDistanceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FlightDistanceKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        FlightDistanceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "conventions.flight_distance.kind: unknown kind `{text}`; expected one of {}",
                    FlightDistanceKind::ALL.map(|k| k.as_str()).join(", ")
                ))
            })
    }
}

/// Distance added to great-circle km for flights, as the pack's convention says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlightDistance {
    /// The rule.
    pub kind: FlightDistanceKind,
    /// Km added (`add_km`).
    #[serde(default)]
    pub km: Option<f64>,
    /// Multiplier (`multiply`).
    #[serde(default)]
    pub factor: Option<f64>,
    /// Bands (`add_km_bands`): first band whose `max_km` exceeds the distance.
    #[serde(default)]
    pub bands: Vec<AddBand>,
    /// Why.
    #[serde(default)]
    pub note: String,
}

/// One band of an `add_km_bands` flight-distance convention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddBand {
    /// Upper bound of the band in great-circle km (exclusive); `None` = no bound.
    pub max_km: Option<f64>,
    /// Km added in this band.
    pub add_km: f64,
}

impl FlightDistance {
    /// Travelled km for a flight of `great_circle_km`.
    pub fn apply(&self, great_circle_km: f64) -> f64 {
        match self.kind {
            FlightDistanceKind::AddKm => great_circle_km + self.km.unwrap_or(0.0),
            FlightDistanceKind::Multiply => great_circle_km * self.factor.unwrap_or(1.0),
            FlightDistanceKind::AddKmBands => {
                let add = self
                    .bands
                    .iter()
                    .find(|b| b.max_km.is_none_or(|m| great_circle_km < m))
                    .map_or(0.0, |b| b.add_km);
                great_circle_km + add
            }
            FlightDistanceKind::None => great_circle_km,
        }
    }
}

/// A flight distance band of a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// The `haul` variant value of the factors in this band.
    pub id: String,
    /// Upper bound in km; `None` = no bound.
    pub max_km: Option<f64>,
}

/// How a pack chooses the flight band (haul).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlightBands {
    /// What distance the bands are measured on (`great_circle_km`).
    #[serde(default)]
    pub basis: String,
    /// Haul id used for a flight within one country, if the pack has one.
    #[serde(default)]
    pub domestic: Option<String>,
    /// Bands in increasing order.
    pub bands: Vec<Band>,
    /// True when a distance equal to `max_km` still belongs to the band (ADEME).
    #[serde(default)]
    pub max_inclusive: bool,
    /// Why.
    #[serde(default)]
    pub note: String,
}

impl FlightBands {
    /// The haul id for a flight of `great_circle_km`, domestic when both ends share a country.
    pub fn haul(&self, great_circle_km: f64, domestic: bool) -> Option<&str> {
        if domestic && let Some(d) = &self.domestic {
            return Some(d);
        }
        self.band_index(great_circle_km)
            .map(|i| self.bands[i].id.as_str())
    }

    /// Position in [`FlightBands::bands`] of the band a flight of `km` falls in.
    pub fn band_index(&self, km: f64) -> Option<usize> {
        self.bands.iter().position(|b| match b.max_km {
            None => true,
            Some(m) if self.max_inclusive => km <= m,
            Some(m) => km < m,
        })
    }
}

/// Radiative-forcing convention of a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RfNote {
    /// Multiplier on the CO2 part, if the pack uses one.
    #[serde(default)]
    pub multiplier: Option<f64>,
    /// How the non-CO2 part was derived.
    #[serde(default)]
    pub note: String,
}

/// Methodology conventions declared by a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conventions {
    /// Multiplier from great-circle km to travelled km, per mode key.
    #[serde(default)]
    pub detour: BTreeMap<String, f64>,
    /// Where the detour factors come from.
    #[serde(default)]
    pub detour_source: String,
    /// Flight distance adjustment.
    pub flight_distance: FlightDistance,
    /// Flight bands.
    pub flight_bands: FlightBands,
    /// Radiative forcing.
    #[serde(default)]
    pub rf: RfNote,
}

/// A factor pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorPack {
    /// Id, e.g. `desnz-2025`.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Publisher.
    #[serde(default)]
    pub publisher: String,
    /// Year of the factors.
    pub year: u16,
    /// Licence of the values.
    #[serde(default)]
    pub licence: String,
    /// Where the values are published.
    #[serde(default)]
    pub url: String,
    /// What the pack is.
    #[serde(default)]
    pub description: String,
    /// System boundary of the values.
    #[serde(default)]
    pub boundary: String,
    /// Pack used, with a reported note, for modes this pack lacks.
    #[serde(default)]
    pub fallback_pack: Option<String>,
    /// Conventions.
    pub conventions: Conventions,
    /// The factors.
    pub factors: Vec<Factor>,
}

impl FactorPack {
    /// Parses and validates a pack from its JSON text.
    pub fn from_json(name: &str, text: &str) -> Result<Self, FactorError> {
        let pack: FactorPack =
            serde_json::from_str(text).map_err(|e| FactorError::InvalidPack {
                pack: name.to_string(),
                message: format!("line {}, column {}: {e}", e.line(), e.column()),
            })?;
        pack.validate()?;
        Ok(pack)
    }

    fn validate(&self) -> Result<(), FactorError> {
        let bad = |message: String| FactorError::InvalidPack {
            pack: self.id.clone(),
            message,
        };
        let mut ids = std::collections::BTreeSet::new();
        let mut defaults = BTreeMap::new();
        for f in &self.factors {
            if !ids.insert(f.id.as_str()) {
                return Err(bad(format!("duplicate factor id `{}`", f.id)));
            }
            if f.mode.parse::<Mode>().map(|m| m.key()) != Ok(f.mode.as_str()) {
                return Err(bad(format!("factor `{}`: unknown mode `{}`", f.id, f.mode)));
            }
            let p = f.parts();
            for v in [p.ttw, p.wtt, p.energy_wtw, p.non_co2, p.construction] {
                if !v.is_finite() || v < 0.0 {
                    return Err(bad(format!(
                        "factor `{}`: value {v} is not a finite non-negative number",
                        f.id
                    )));
                }
            }
            if f.source.trim().is_empty() {
                return Err(bad(format!("factor `{}` has no source", f.id)));
            }
            if f.default {
                *defaults.entry(f.mode.as_str()).or_insert(0) += 1;
            }
        }
        let modes: std::collections::BTreeSet<&str> =
            self.factors.iter().map(|f| f.mode.as_str()).collect();
        for m in modes {
            match defaults.get(m) {
                Some(1) => {}
                Some(n) => {
                    return Err(bad(format!(
                        "mode `{m}` has {n} default factors; exactly one expected"
                    )));
                }
                None => return Err(bad(format!("mode `{m}` has no default factor"))),
            }
        }
        for (m, k) in &self.conventions.detour {
            if m.parse::<Mode>().is_err() || !k.is_finite() || *k < 1.0 {
                return Err(bad(format!(
                    "detour `{m}` = {k}: expected a known mode and a factor >= 1"
                )));
            }
        }
        Ok(())
    }

    /// Factors of one mode.
    pub fn factors_for(&self, mode: Mode) -> impl Iterator<Item = &Factor> {
        self.factors.iter().filter(move |f| f.mode == mode.key())
    }

    /// The detour multiplier for a mode (1.0 when the pack declares none).
    pub fn detour(&self, mode: Mode) -> f64 {
        self.conventions
            .detour
            .get(mode.key())
            .copied()
            .unwrap_or(1.0)
    }
}

/// The bundled pack files, embedded at build time.
const BUNDLED: [(&str, &str); 3] = [
    (
        "desnz-2025",
        include_str!("../../data/factors/desnz-2025.json"),
    ),
    (
        "ademe-2025",
        include_str!("../../data/factors/ademe-2025.json"),
    ),
    ("nl-2025", include_str!("../../data/factors/nl-2025.json")),
];

/// The default pack id.
pub const DEFAULT_PACK: &str = "desnz-2025";

/// A set of packs, looked up by id.
#[derive(Debug, Clone)]
pub struct PackSet {
    packs: Vec<FactorPack>,
}

impl PackSet {
    /// The packs bundled with the tool (parsed once).
    pub fn bundled() -> &'static PackSet {
        static SET: OnceLock<PackSet> = OnceLock::new();
        SET.get_or_init(|| {
            let packs = BUNDLED
                .iter()
                .map(|(name, text)| match FactorPack::from_json(name, text) {
                    Ok(p) => p,
                    // The bundled files are checked by tests; a broken one is a build defect.
                    Err(e) => panic!("bundled {e}"),
                })
                .collect();
            PackSet { packs }
        })
    }

    /// A set from the given packs (e.g. bundled plus a user pack).
    ///
    /// Every declared fallback must exist, and following fallbacks from any pack must end:
    /// a cycle (`a` → `b` → `a`, or a pack falling back to itself) is an error naming it.
    pub fn new(packs: Vec<FactorPack>) -> Result<Self, FactorError> {
        let set = PackSet { packs };
        set.check_fallbacks()?;
        Ok(set)
    }

    fn check_fallbacks(&self) -> Result<(), FactorError> {
        for p in &self.packs {
            let mut chain = vec![p.id.as_str()];
            let mut at = p;
            while let Some(fb) = &at.fallback_pack {
                at = self.get(fb).map_err(|e| FactorError::InvalidPack {
                    pack: at.id.clone(),
                    message: format!("fallback_pack: {e}"),
                })?;
                if chain.contains(&at.id.as_str()) {
                    chain.push(&at.id);
                    return Err(FactorError::InvalidPack {
                        pack: p.id.clone(),
                        message: format!(
                            "fallback_pack: the fallback chain is a cycle ({}); end it at a pack with no fallback_pack",
                            chain.join(" -> ")
                        ),
                    });
                }
                chain.push(&at.id);
            }
        }
        Ok(())
    }

    /// The pack that gives `mode` factors for pack `id`: itself, or the first pack along its
    /// fallback chain that has the mode.
    pub fn pack_for_mode(&self, id: &str, mode: Mode) -> Result<&FactorPack, FactorError> {
        let chain = self.fallback_chain(id)?;
        Ok(chain
            .iter()
            .copied()
            .find(|p| p.factors_for(mode).next().is_some())
            .unwrap_or(chain[0]))
    }

    /// The fallback chain of pack `id`, itself first (e.g. `nl-2025`, `desnz-2025`,
    /// `ademe-2025`).
    pub fn fallback_chain(&self, id: &str) -> Result<Vec<&FactorPack>, FactorError> {
        let mut out = vec![self.get(id)?];
        while let Some(fb) = &out[out.len() - 1].fallback_pack {
            let next = self.get(fb)?;
            if out.iter().any(|p| p.id == next.id) {
                break;
            }
            out.push(next);
        }
        Ok(out)
    }

    /// All packs.
    pub fn packs(&self) -> &[FactorPack] {
        &self.packs
    }

    /// The pack with this id.
    pub fn get(&self, id: &str) -> Result<&FactorPack, FactorError> {
        self.packs
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| FactorError::UnknownPack {
                id: id.to_string(),
                available: self
                    .packs
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factors::FactorQuery;

    fn pack_with(id: &str, fallback: Option<&str>, kind: &str, modes: &[&str]) -> String {
        let factors: Vec<String> = modes
            .iter()
            .map(|m| {
                format!(
                    r#"{{"id": "{m}", "mode": "{m}", "unit": "passenger.km", "ttw": 0.1, "source": "s", "year": 2025, "default": true}}"#
                )
            })
            .collect();
        format!(
            r#"{{"id": "{id}", "name": "{id}", "year": 2025, {fb}
               "conventions": {{"flight_distance": {{"kind": "{kind}"}}, "flight_bands": {{"bands": [{{"id": "short", "max_km": 3700}}, {{"id": "long", "max_km": null}}]}}}},
               "factors": [{}]}}"#,
            factors.join(","),
            fb = fallback.map_or(String::new(), |f| format!(r#""fallback_pack": "{f}","#))
        )
    }

    fn pack(id: &str, fallback: Option<&str>, modes: &[&str]) -> FactorPack {
        FactorPack::from_json(id, &pack_with(id, fallback, "none", modes)).unwrap()
    }

    #[test]
    fn unknown_flight_distance_kind_is_a_load_error_naming_pack_and_field() {
        let e = FactorPack::from_json("mine.json", &pack_with("mine", None, "add_kms", &["car"]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mine.json"), "{e}");
        assert!(e.contains("conventions.flight_distance.kind"), "{e}");
        assert!(e.contains("`add_kms`") && e.contains("add_km_bands"), "{e}");
        let ok = FactorPack::from_json("m", &pack_with("m", None, "add_km", &["car"])).unwrap();
        assert_eq!(
            ok.conventions.flight_distance.kind,
            FlightDistanceKind::AddKm
        );
    }

    #[test]
    fn fallback_chains_of_any_depth_name_every_step() {
        let set = PackSet::new(vec![
            pack("a", Some("b"), &["car"]),
            pack("b", Some("c"), &["bus"]),
            pack("c", Some("d"), &["coach"]),
            pack("d", None, &["bike"]),
        ])
        .unwrap();
        let s = set.select("a", &FactorQuery::new(Mode::Bike)).unwrap();
        assert_eq!(s.pack.id, "d");
        assert_eq!(s.requested_pack, "a");
        assert_eq!(s.notes.len(), 3, "{:?}", s.notes);
        for (note, (from, to)) in s.notes.iter().zip([("a", "b"), ("b", "c"), ("c", "d")]) {
            assert!(
                note.contains(&format!("pack {from} "))
                    && note.ends_with(&format!("fallback pack {to} used")),
                "{note}"
            );
        }
        let ids: Vec<&str> = set
            .fallback_chain("b")
            .unwrap()
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(ids, ["b", "c", "d"]);
        assert_eq!(set.pack_for_mode("a", Mode::Coach).unwrap().id, "c");
        let e = set
            .select("a", &FactorQuery::new(Mode::Walk))
            .unwrap_err()
            .to_string();
        assert!(e.contains("pack `d`") && e.contains("from `a`"), "{e}");
    }

    #[test]
    fn a_cycle_in_fallbacks_is_a_load_error() {
        for packs in [
            vec![
                pack("a", Some("b"), &["car"]),
                pack("b", Some("a"), &["bus"]),
            ],
            vec![pack("a", Some("a"), &["car"])],
            vec![
                pack("a", Some("b"), &["car"]),
                pack("b", Some("c"), &["bus"]),
                pack("c", Some("b"), &["coach"]),
            ],
        ] {
            let e = PackSet::new(packs).unwrap_err().to_string();
            assert!(e.contains("cycle"), "{e}");
        }
        let e = PackSet::new(vec![pack("a", Some("zz"), &["car"])])
            .unwrap_err()
            .to_string();
        assert!(e.contains("zz"), "{e}");
    }

    #[test]
    fn bundled_nl_pack_reaches_every_mode() {
        let set = PackSet::bundled();
        PackSet::new(set.packs().to_vec()).unwrap();
        for m in Mode::ALL {
            let s = set.select("nl-2025", &FactorQuery::new(m));
            assert!(s.is_ok(), "{m}: {s:?}");
        }
        let bike = set
            .select("nl-2025", &FactorQuery::new(Mode::Bike))
            .unwrap();
        assert_eq!(bike.pack.id, "ademe-2025");
        assert_eq!(bike.notes.len(), 2);
    }
}
