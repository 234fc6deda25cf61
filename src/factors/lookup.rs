//! Choosing the factor for a mode and variant, with explicit, reported fallbacks.

use super::{Factor, FactorError, FactorPack, PackSet};
use crate::mode::{Cabin, Fuel, Mode, Size};

/// What a journey needs a factor for.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorQuery {
    /// The mode.
    pub mode: Mode,
    /// Flight cabin.
    pub cabin: Cabin,
    /// Car/motorbike size.
    pub size: Size,
    /// Car fuel.
    pub fuel: Fuel,
    /// Flight great-circle km of the leg (chooses the haul band).
    pub great_circle_km: f64,
    /// Both ends of a flight in the same country.
    pub domestic: bool,
    /// Force a flight haul (e.g. DESNZ `international`, the to/from non-UK average).
    pub haul_override: Option<String>,
    /// Explicit `kind` variant (train `international`, ferry `car` ...).
    pub kind: Option<String>,
}

impl FactorQuery {
    /// A query for `mode` with default variants.
    pub fn new(mode: Mode) -> Self {
        FactorQuery {
            mode,
            cabin: Cabin::Economy,
            size: Size::Average,
            fuel: Fuel::Unknown,
            great_circle_km: 0.0,
            domestic: false,
            haul_override: None,
            kind: None,
        }
    }
}

/// The chosen factor, the pack it came from, and every fallback taken.
#[derive(Debug, Clone)]
pub struct Selected<'a> {
    /// The factor.
    pub factor: &'a Factor,
    /// The pack holding the factor (the fallback pack when one was used).
    pub pack: &'a FactorPack,
    /// The pack that was asked for.
    pub requested_pack: &'a str,
    /// Human-readable notes on fallbacks, empty when the exact variant was found.
    pub notes: Vec<String>,
}

fn cabin_chain(c: Cabin) -> &'static [&'static str] {
    match c {
        Cabin::Economy => &["economy", "average"],
        Cabin::Premium => &["premium", "economy", "average"],
        Cabin::Business => &["business", "average"],
        Cabin::First => &["first", "business", "average"],
        Cabin::Average => &["average", "economy"],
    }
}

fn has(f: &Factor, key: &str, value: &str) -> bool {
    f.variant.get(key).is_some_and(|v| v == value)
}

impl PackSet {
    /// Selects the factor for `q` from pack `pack_id`.
    ///
    /// Fallbacks, each recorded in [`Selected::notes`]:
    /// - flight: the haul band is fixed by distance (or `haul_override`); the cabin walks
    ///   premium → economy → average and first → business → average;
    /// - car/motorbike: size → `average`, then fuel → `unknown`;
    /// - any other mode: the asked `kind`, else the mode's default factor;
    /// - a pack with no factor for the mode: its `fallback_pack`, then that pack's fallback,
    ///   and so on to any depth (one note per step).
    pub fn select<'a>(
        &'a self,
        pack_id: &str,
        q: &FactorQuery,
    ) -> Result<Selected<'a>, FactorError> {
        let requested = self.get(pack_id)?;
        let mut pack = requested;
        let mut notes = Vec::new();
        // Walk the fallback chain (acyclic: checked when the set is built) to the first pack
        // with a factor for the mode, naming every step.
        while pack.factors_for(q.mode).next().is_none() {
            match &pack.fallback_pack {
                Some(fb) if fb != &pack.id && notes.len() < self.packs().len() => {
                    let next = self.get(fb)?;
                    notes.push(format!(
                        "pack {} has no {} factor: fallback pack {} used",
                        pack.id, q.mode, next.id
                    ));
                    pack = next;
                }
                _ => {
                    return Err(FactorError::NoFactor {
                        pack: pack.id.clone(),
                        what: q.mode.to_string(),
                        hint: if pack.id == requested.id {
                            " (and declares no fallback pack)".into()
                        } else {
                            format!(
                                " (reached from `{}` through its fallback chain, and declares no further fallback)",
                                requested.id
                            )
                        },
                    });
                }
            }
        }
        let mut s = self.select_in(pack, q)?;
        s.requested_pack = &requested.id;
        notes.append(&mut s.notes);
        s.notes = notes;
        Ok(s)
    }

    fn select_in<'a>(
        &'a self,
        pack: &'a FactorPack,
        q: &FactorQuery,
    ) -> Result<Selected<'a>, FactorError> {
        let mut notes = Vec::new();
        let candidates: Vec<&Factor> = pack.factors_for(q.mode).collect();
        let default = candidates.iter().copied().find(|f| f.default);
        let found: Option<&Factor> = match q.mode {
            Mode::Flight => {
                let haul = match &q.haul_override {
                    Some(h) => Some(h.as_str()),
                    None => pack
                        .conventions
                        .flight_bands
                        .haul(q.great_circle_km, q.domestic),
                };
                let Some(haul) = haul else {
                    return Err(FactorError::NoFactor {
                        pack: pack.id.clone(),
                        what: format!("a flight of {:.0} km", q.great_circle_km),
                        hint: " (no flight band covers it)".into(),
                    });
                };
                let in_haul: Vec<&Factor> = candidates
                    .iter()
                    .copied()
                    .filter(|f| has(f, "haul", haul))
                    .collect();
                if in_haul.is_empty() {
                    return Err(FactorError::NoFactor {
                        pack: pack.id.clone(),
                        what: format!("flight haul `{haul}`"),
                        hint: String::new(),
                    });
                }
                let chain = cabin_chain(q.cabin);
                let mut hit = None;
                for (i, c) in chain.iter().enumerate() {
                    if let Some(f) = in_haul.iter().copied().find(|f| has(f, "cabin", c)) {
                        if i > 0 {
                            notes.push(format!(
                                "{} has no {} cabin factor for haul {haul}: {c} used",
                                pack.id,
                                q.cabin.key()
                            ));
                        }
                        hit = Some(f);
                        break;
                    }
                }
                if hit.is_none() && in_haul.len() == 1 {
                    // Packs without a cabin split (ADEME, NL list): one factor per band.
                    if q.cabin != Cabin::Economy && q.cabin != Cabin::Average {
                        notes.push(format!(
                            "{} has no cabin split: {} treated as average",
                            pack.id,
                            q.cabin.key()
                        ));
                    }
                    hit = Some(in_haul[0]);
                }
                hit
            }
            Mode::Car | Mode::Motorbike => {
                let uses_fuel = candidates.iter().any(|f| f.variant.contains_key("fuel"));
                let tries: Vec<(Size, Fuel)> = vec![
                    (q.size, q.fuel),
                    (Size::Average, q.fuel),
                    (Size::Medium, q.fuel),
                    (q.size, Fuel::Unknown),
                    (Size::Average, Fuel::Unknown),
                ];
                let mut hit = None;
                for (i, (s, fu)) in tries.iter().enumerate() {
                    let f = candidates.iter().copied().find(|f| {
                        let size_ok = !f.variant.contains_key("size") || has(f, "size", s.key());
                        let fuel_ok = !uses_fuel || has(f, "fuel", fu.key());
                        size_ok && fuel_ok
                    });
                    if let Some(f) = f {
                        if i > 0 {
                            notes.push(format!(
                                "{} has no {} {} {} factor: {} used",
                                pack.id,
                                q.size.key(),
                                if uses_fuel { q.fuel.key() } else { "" },
                                q.mode,
                                f.id
                            ));
                        }
                        hit = Some(f);
                        break;
                    }
                }
                if hit.is_none() {
                    if let Some(d) = default {
                        notes.push(format!(
                            "{} has no {} {} factor: default {} used",
                            pack.id,
                            q.size.key(),
                            q.fuel.key(),
                            d.id
                        ));
                    }
                    hit = default;
                }
                hit
            }
            _ => match &q.kind {
                Some(k) => {
                    let f = candidates.iter().copied().find(|f| has(f, "kind", k));
                    if f.is_none() {
                        return Err(FactorError::NoFactor {
                            pack: pack.id.clone(),
                            what: format!("{} kind `{k}`", q.mode),
                            hint: format!(
                                "; kinds: {}",
                                candidates
                                    .iter()
                                    .filter_map(|f| f.variant.get("kind").map(String::as_str))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        });
                    }
                    f
                }
                None => default,
            },
        };
        let factor = found.ok_or_else(|| FactorError::NoFactor {
            pack: pack.id.clone(),
            what: q.mode.to_string(),
            hint: String::new(),
        })?;
        Ok(Selected {
            factor,
            pack,
            requested_pack: &pack.id,
            notes,
        })
    }
}
