//! Precomputed per-group sums ("cells") and their evaluation under changed assumptions.
//!
//! A total is a sum over rows, and every assumption scales a known part of it linearly: the
//! RF multiplier scales the non-CO2 part of flights by `(m − 1) / (m_pack − 1)`; a detour
//! scales the kg of the legs of its mode whose distance was computed by `d / d_pack`; the
//! occupancy of car rows without one divides their kg; a telework shift of `δ` days a week
//! scales a declaring respondent's commuting by `(days − δ) / days`. So the rows are summed
//! once into cells keyed by (category, mode, which assumptions apply, part), and a draw only
//! rescales the cells: its cost does not depend on the number of rows.
//!
//! Survey respondents keep their own small cell vectors, so that a draw can also resample
//! them (the survey bootstrap) and sum the resampled cells per group.

use super::adapter::{Facts, mode_index};
use crate::mode::Mode;
use rand::Rng;
use std::collections::BTreeMap;

/// Modes (index of [`Mode::ALL`]); home working uses the extra index [`HOME`].
pub const N_MODES: usize = 15;
/// The "mode" of the home-working cell.
pub const HOME: usize = N_MODES;

/// A GHG category line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Business travel (category 6).
    Business,
    /// Commuting (category 7).
    Commuting,
    /// Home working (telework days), when configured.
    HomeWorking,
}

/// What a cell sums: which assumptions scale it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellKey {
    /// Category.
    pub category: Category,
    /// Mode index, or [`HOME`].
    pub mode: usize,
    /// Distance computed from the great circle (the detour applies).
    pub detour: bool,
    /// Car without a stated occupancy.
    pub occupancy: bool,
    /// The non-CO2 part of flights.
    pub non_co2: bool,
}

/// The value of every assumption in one evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Values {
    /// RF multiplier.
    pub rf: f64,
    /// Detour per mode index.
    pub detour: [f64; N_MODES],
    /// Occupancy of cars without one.
    pub occupancy: f64,
    /// More telework days a week for respondents who declare telework.
    pub telework_shift: f64,
}

/// One respondent's entry in a cell: kg a year `s`, and `p` = d kg / d telework shift.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    cell: u32,
    s: f64,
    p: f64,
}

/// Adds a respondent's entry, unless both its terms are zero: the survey sums start at
/// +0.0, which adding ±0.0 never changes, so a draw need not visit it.
fn push_entry(entries: &mut Vec<Entry>, cell: u32, s: f64, p: f64) {
    if s != 0.0 || p != 0.0 {
        entries.push(Entry { cell, s, p });
    }
}

/// Category totals of one evaluation, kg CO2e.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    /// Business travel.
    pub business: f64,
    /// Commuting.
    pub commuting: f64,
    /// Home working.
    pub home_working: f64,
}

impl Totals {
    /// The inventory total.
    pub fn total(&self) -> f64 {
        self.business + self.commuting + self.home_working
    }
}

/// The cells of an inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Cell keys.
    pub cells: Vec<CellKey>,
    /// Business kg per cell (0 for survey cells).
    fixed: Vec<f64>,
    /// Respondents' entries, respondent `r` at `entries[starts[r]..starts[r + 1]]`.
    entries: Vec<Entry>,
    starts: Vec<usize>,
    /// Respondents of each group (by the group's own index).
    members: Vec<Vec<u32>>,
    /// (source group, weight) per group.
    groups: Vec<(usize, f64)>,
    /// Pack detour per mode.
    detour_base: [f64; N_MODES],
    /// The pack's RF multiplier, when RF can be varied.
    rf_pack: Option<f64>,
    /// Whether the configuration includes RF (a pack without a multiplier keeps it as is).
    include_rf: bool,
    /// The values of the inventory as configured.
    pub base: Values,
    /// Survey cell sums at the full sample: weighted `s` and `p` per cell.
    survey_s: Vec<f64>,
    survey_p: Vec<f64>,
}

fn cell_index(index: &mut BTreeMap<CellKey, u32>, cells: &mut Vec<CellKey>, k: CellKey) -> u32 {
    *index.entry(k).or_insert_with(|| {
        cells.push(k);
        (cells.len() - 1) as u32
    })
}

impl Model {
    /// Sums the facts into cells.
    pub fn new(f: &Facts) -> Model {
        let mut index = BTreeMap::new();
        let mut cells = Vec::new();
        // Each distinct journey's cells and terms once; then the terms of the rows in row
        // order, so each cell adds the same terms in the same order as row by row.
        let mut terms: Vec<[(u32, f64); 2]> = Vec::with_capacity(f.journeys.distinct().len());
        for j in f.journeys.distinct() {
            let m = mode_index(j.mode);
            let k = CellKey {
                category: Category::Business,
                mode: m,
                detour: !j.distance_given && j.mode != Mode::Flight,
                occupancy: j.mode == Mode::Car && j.occupancy == 1.0,
                non_co2: false,
            };
            let configured_non_co2 = if f.include_rf { j.non_co2_kg } else { 0.0 };
            let c = cell_index(&mut index, &mut cells, k);
            // -0.0 where a journey has no second term: adding -0.0 never changes an f64.
            let mut t = [(c, j.co2e_kg - configured_non_co2), (c, -0.0)];
            if j.non_co2_kg != 0.0 {
                let c = cell_index(&mut index, &mut cells, CellKey { non_co2: true, ..k });
                t[1] = (c, j.non_co2_kg);
            }
            terms.push(t);
        }
        let mut business = vec![0.0; cells.len()];
        for &d in f.journeys.of_row() {
            for &(c, kg) in &terms[d as usize] {
                business[c as usize] += kg;
            }
        }
        let mut entries = Vec::new();
        let mut starts = vec![0];
        let mut members = vec![Vec::new(); f.groups.len()];
        for (i, r) in f.respondents.iter().enumerate() {
            members[r.group].push(i as u32);
            let declares = r.telework_days > 0.0;
            for l in &r.legs {
                let k = CellKey {
                    category: Category::Commuting,
                    mode: mode_index(l.mode),
                    detour: !l.distance_given,
                    occupancy: l.mode == Mode::Car && r.occupancy == 1.0,
                    non_co2: false,
                };
                let p = if declares && r.days_per_week > 0.0 {
                    l.co2e_kg / r.days_per_week
                } else {
                    0.0
                };
                let cell = cell_index(&mut index, &mut cells, k);
                push_entry(&mut entries, cell, l.co2e_kg, p);
            }
            if r.home_working_kg != 0.0 {
                let k = CellKey {
                    category: Category::HomeWorking,
                    mode: HOME,
                    detour: false,
                    occupancy: false,
                    non_co2: false,
                };
                let cell = cell_index(&mut index, &mut cells, k);
                let p = if declares {
                    -r.home_working_kg / r.telework_days
                } else {
                    0.0
                };
                push_entry(&mut entries, cell, r.home_working_kg, p);
            }
            starts.push(entries.len());
        }
        let mut fixed = business;
        fixed.resize(cells.len(), 0.0);
        let rf_pack = f.rf_multiplier.filter(|m| *m > 1.0);
        let base = Values {
            rf: match rf_pack {
                Some(m) if f.include_rf => m,
                _ => 1.0,
            },
            detour: f.detour,
            occupancy: 1.0,
            telework_shift: 0.0,
        };
        let mut m = Model {
            cells,
            fixed,
            entries,
            starts,
            members,
            groups: f.groups.iter().map(|g| (g.source, g.weight)).collect(),
            detour_base: f.detour,
            rf_pack,
            include_rf: f.include_rf,
            base,
            survey_s: Vec::new(),
            survey_p: Vec::new(),
        };
        let (s, p) = m.survey_sums(None::<&mut rand_chacha::ChaCha8Rng>);
        m.survey_s = s;
        m.survey_p = p;
        m
    }

    /// Whether the RF multiplier can be varied (the pack publishes one).
    pub fn rf_varies(&self) -> bool {
        self.rf_pack.is_some()
    }

    /// Whether any computed-distance kg of a mode exists (its detour moves the total).
    pub fn has_detour(&self, mode: Mode) -> bool {
        let m = mode_index(mode);
        self.cells.iter().any(|k| k.mode == m && k.detour)
    }

    /// Whether any car kg without a stated occupancy exists.
    pub fn has_unknown_occupancy(&self) -> bool {
        self.cells.iter().any(|k| k.occupancy)
    }

    /// Whether any respondent declares telework.
    pub fn has_telework(&self) -> bool {
        self.survey_p.iter().any(|p| *p != 0.0)
    }

    /// Weighted survey sums per cell; with `rng`, over a bootstrap resample of each group's
    /// respondents (with replacement, as many as the group has).
    fn survey_sums<R: Rng>(&self, mut rng: Option<&mut R>) -> (Vec<f64>, Vec<f64>) {
        let k = self.cells.len();
        let mut s = vec![0.0; k];
        let mut p = vec![0.0; k];
        let mut src_s = vec![0.0; k];
        let mut src_p = vec![0.0; k];
        let mut done: Vec<Option<(Vec<f64>, Vec<f64>)>> = vec![None; self.members.len()];
        for &(source, weight) in &self.groups {
            if done[source].is_none() {
                src_s.iter_mut().for_each(|v| *v = 0.0);
                src_p.iter_mut().for_each(|v| *v = 0.0);
                let who = &self.members[source];
                let n = who.len();
                for i in 0..n {
                    let r = match rng.as_deref_mut() {
                        Some(g) => who[g.random_range(0..n)],
                        None => who[i],
                    } as usize;
                    for e in &self.entries[self.starts[r]..self.starts[r + 1]] {
                        src_s[e.cell as usize] += e.s;
                        src_p[e.cell as usize] += e.p;
                    }
                }
                done[source] = Some((src_s.clone(), src_p.clone()));
            }
            // A group of weight 0 adds ±0.0 to every cell (its sums being finite): nothing.
            // Its respondents are still drawn, so that the next groups' draws stay the same.
            let adds = |(gs, gp): &&(Vec<f64>, Vec<f64>)| {
                weight != 0.0 || gs.iter().chain(gp).any(|x| !x.is_finite())
            };
            if let Some((gs, gp)) = done[source].as_ref().filter(adds) {
                for c in 0..k {
                    s[c] += weight * gs[c];
                    p[c] += weight * gp[c];
                }
            }
        }
        (s, p)
    }

    /// A bootstrap resample of the survey cells, for [`Model::evaluate_with`].
    pub fn resample<R: Rng>(&self, rng: &mut R) -> (Vec<f64>, Vec<f64>) {
        self.survey_sums(Some(rng))
    }

    fn scale(&self, k: &CellKey, v: &Values) -> f64 {
        let mut x = 1.0;
        if k.detour && k.mode < N_MODES {
            x *= v.detour[k.mode] / self.detour_base[k.mode];
        }
        if k.occupancy {
            x /= v.occupancy;
        }
        if k.non_co2 {
            x *= match self.rf_pack {
                Some(m) => (v.rf - 1.0) / (m - 1.0),
                None if self.include_rf => 1.0,
                None => 0.0,
            };
        }
        x
    }

    /// Category totals at `v`, the survey at its full sample.
    pub fn evaluate(&self, v: &Values) -> Totals {
        self.evaluate_with(v, &self.survey_s, &self.survey_p)
    }

    /// Category totals at `v` with given survey cell sums (from [`Model::resample`]).
    pub fn evaluate_with(&self, v: &Values, survey_s: &[f64], survey_p: &[f64]) -> Totals {
        let mut t = Totals::default();
        for (c, k) in self.cells.iter().enumerate() {
            let kg =
                (self.fixed[c] + survey_s[c] - v.telework_shift * survey_p[c]) * self.scale(k, v);
            match k.category {
                Category::Business => t.business += kg,
                Category::Commuting => t.commuting += kg,
                Category::HomeWorking => t.home_working += kg,
            }
        }
        t
    }
}
