//! The Monte Carlo interval: every declared range drawn jointly with the survey bootstrap.
//!
//! Draw *i* uses ChaCha8 seeded with the seed, stream *i* (as the survey bootstrap does), so
//! the result is the same for any number of threads. Each draw takes every assumption's value
//! from its distribution (in the order of the assumptions), then resamples each group's
//! respondents with replacement, and evaluates the precomputed cells ([`Model`]): no row is
//! recomputed. The 2.5th and 97.5th percentiles of the draws give the 95 % interval.
//!
//! How much of the spread an assumption explains is its squared correlation with the total
//! over the draws (the first-order share of the variance when the total is close to linear in
//! the assumptions, as here); the survey's share uses the resampled commuting total.

use super::model::{Model, Totals, Values};
use super::ranges::{Distribution, Range};
use crate::business::round3;
use crate::commute::percentile;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// Which value of [`Values`] an assumption sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The RF multiplier.
    Rf,
    /// The detour of a mode (index of `Mode::ALL`).
    Detour(usize),
    /// Occupancy of cars without one.
    Occupancy,
    /// Telework shift.
    Telework,
}

impl Target {
    /// `v` with this assumption at `x`.
    pub fn set(self, mut v: Values, x: f64) -> Values {
        match self {
            Target::Rf => v.rf = x,
            Target::Detour(m) => v.detour[m] = x,
            Target::Occupancy => v.occupancy = x,
            Target::Telework => v.telework_shift = x,
        }
        v
    }

    /// The value in `v`.
    pub fn get(self, v: &Values) -> f64 {
        match self {
            Target::Rf => v.rf,
            Target::Detour(m) => v.detour[m],
            Target::Occupancy => v.occupancy,
            Target::Telework => v.telework_shift,
        }
    }
}

/// An assumption that is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    /// Range id.
    pub id: String,
    /// Its value.
    pub target: Target,
    /// Its range.
    pub range: Range,
}

/// A draw from `r` whose triangular mode is `mode` (clamped into the range).
pub fn sample<R: Rng>(rng: &mut R, r: &Range, mode: f64) -> f64 {
    let u: f64 = rng.random();
    let (a, b) = (r.low, r.high);
    if b <= a {
        return a;
    }
    match r.distribution {
        Distribution::Uniform => a + u * (b - a),
        Distribution::Triangular => {
            let c = mode.clamp(a, b);
            let f = (c - a) / (b - a);
            if u < f {
                a + (u * (b - a) * (c - a)).sqrt()
            } else {
                b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
            }
        }
    }
}

/// A 95 % interval with the median and mean of the draws, kg CO2e.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// 2.5th percentile.
    pub low_kg: f64,
    /// Median.
    pub median_kg: f64,
    /// 97.5th percentile.
    pub high_kg: f64,
    /// Mean.
    pub mean_kg: f64,
}

fn spread(mut v: Vec<f64>) -> Spread {
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    v.sort_by(f64::total_cmp);
    Spread {
        low_kg: round3(percentile(&v, 0.025)),
        median_kg: round3(percentile(&v, 0.5)),
        high_kg: round3(percentile(&v, 0.975)),
        mean_kg: round3(mean),
    }
}

/// One category's interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategorySpread {
    /// `business`, `commuting` or `home_working`.
    pub key: &'static str,
    /// The interval.
    #[serde(flatten)]
    pub spread: Spread,
}

/// The share of the spread one assumption explains.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained {
    /// Range id, or `survey_extrapolation`.
    pub id: String,
    /// Label.
    pub label: String,
    /// Squared correlation with the total, %.
    pub share_pct: f64,
}

/// The Monte Carlo result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarloOut {
    /// Draws.
    pub draws: u32,
    /// Seed.
    pub seed: u64,
    /// The total.
    pub total: Spread,
    /// Per category.
    pub categories: Vec<CategorySpread>,
    /// Share of the spread per assumption, largest first.
    pub explained: Vec<Explained>,
}

struct DrawOut {
    totals: Totals,
    values: Vec<f64>,
    survey_kg: f64,
}

fn one_draw(model: &Model, drawn: &[Drawn], seed: u64, i: u32, resample: bool) -> DrawOut {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::from(i));
    let mut v = model.base;
    let mut values = Vec::with_capacity(drawn.len());
    for d in drawn {
        let x = sample(&mut rng, &d.range, d.target.get(&model.base));
        v = d.target.set(v, x);
        values.push(x);
    }
    if resample {
        let (s, p) = model.resample(&mut rng);
        let at_base = model.evaluate_with(&model.base, &s, &p);
        DrawOut {
            totals: model.evaluate_with(&v, &s, &p),
            values,
            survey_kg: at_base.commuting + at_base.home_working,
        }
    } else {
        DrawOut {
            totals: model.evaluate(&v),
            values,
            survey_kg: 0.0,
        }
    }
}

fn r_squared(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy * sxy / (sxx * syy)
    }
}

/// Runs `draws` draws (at least 1). `resample`: also resample the survey.
pub fn run(
    model: &Model,
    drawn: &[(Drawn, String)],
    draws: u32,
    seed: u64,
    resample: bool,
) -> MonteCarloOut {
    let d: Vec<Drawn> = drawn.iter().map(|(d, _)| d.clone()).collect();
    let outs: Vec<DrawOut> = (0..draws.max(1))
        .into_par_iter()
        .map(|i| one_draw(model, &d, seed, i, resample))
        .collect();
    let column = |f: &dyn Fn(&DrawOut) -> f64| -> Vec<f64> { outs.iter().map(f).collect() };
    let total = column(&|o| o.totals.total());
    let mut explained: Vec<Explained> = drawn
        .iter()
        .enumerate()
        .map(|(k, (dr, label))| Explained {
            id: dr.id.clone(),
            label: label.clone(),
            share_pct: (r_squared(&column(&|o| o.values[k]), &total) * 1000.0).round() / 10.0,
        })
        .collect();
    if resample {
        explained.push(Explained {
            id: "survey_extrapolation".into(),
            label: "Survey extrapolation (bootstrap of respondents)".into(),
            share_pct: (r_squared(&column(&|o| o.survey_kg), &total) * 1000.0).round() / 10.0,
        });
    }
    explained.sort_by(|a, b| b.share_pct.total_cmp(&a.share_pct).then(a.id.cmp(&b.id)));
    let mut categories = vec![CategorySpread {
        key: "business",
        spread: spread(column(&|o| o.totals.business)),
    }];
    if resample {
        categories.push(CategorySpread {
            key: "commuting",
            spread: spread(column(&|o| o.totals.commuting)),
        });
        let home = column(&|o| o.totals.home_working);
        if home.iter().any(|h| *h != 0.0) {
            categories.push(CategorySpread {
                key: "home_working",
                spread: spread(home),
            });
        }
    }
    MonteCarloOut {
        draws: draws.max(1),
        seed,
        total: spread(total),
        categories,
        explained,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(low: f64, high: f64, distribution: Distribution) -> Range {
        Range {
            label: String::new(),
            low,
            high,
            distribution,
            grade: "stated".into(),
            source: String::new(),
            basis: "test".into(),
        }
    }

    #[test]
    fn samples_stay_in_the_range_and_centre_on_the_mode() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let t = range(1.0, 3.0, Distribution::Triangular);
        let xs: Vec<f64> = (0..20_000).map(|_| sample(&mut rng, &t, 1.7)).collect();
        assert!(xs.iter().all(|x| (1.0..=3.0).contains(x)));
        // Mean of a triangular distribution: (a + b + c) / 3 = 1.9.
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 1.9).abs() < 0.01, "{mean}");
        let u = range(-0.5, 0.5, Distribution::Uniform);
        let mean = (0..20_000).map(|_| sample(&mut rng, &u, 0.0)).sum::<f64>() / 20_000.0;
        assert!(mean.abs() < 0.01, "{mean}");
        assert_eq!(
            sample(&mut rng, &range(2.0, 2.0, Distribution::Uniform), 0.0),
            2.0
        );
    }

    #[test]
    fn r_squared_of_a_line_is_one_and_of_noise_is_small() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|v| 3.0 * v + 1.0).collect();
        assert!((r_squared(&x, &y) - 1.0).abs() < 1e-12);
        let z: Vec<f64> = (0..100).map(|i| ((i * 37) % 11) as f64).collect();
        assert!(r_squared(&x, &z) < 0.2);
        assert_eq!(r_squared(&x, &vec![1.0; 100]), 0.0);
    }
}
