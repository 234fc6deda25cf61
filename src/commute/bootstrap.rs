//! Sampling uncertainty of the extrapolated commuting total: a seeded, stratified bootstrap.
//!
//! Each iteration resamples, with replacement, as many respondents as each group has, from
//! that group only (the groups are strata), and recomputes every group's extrapolated total
//! `population × mean per respondent` and their sum. The 2.5th and 97.5th percentiles of the
//! iterations give a 95 % interval (percentile method).
//!
//! Deterministic: iteration *i* draws from ChaCha8 seeded with the seed, stream *i*, so the
//! result does not depend on the number of threads or the order iterations run in.
//!
//! # References
//! B. Efron and R. J. Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall 1993,
//! ch. 13 (percentile intervals).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// Seed and number of iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BootstrapOptions {
    /// Random seed: the same seed gives the same interval.
    pub seed: u64,
    /// Iterations (0 turns the bootstrap off).
    pub iterations: u32,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            seed: 1,
            iterations: 1000,
        }
    }
}

/// A group's sample: its population and the annual kg of each of its respondents.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSample {
    /// Population (headcount or FTE).
    pub population: f64,
    /// kg CO2e a year of each respondent (empty for a group without respondents).
    pub values: Vec<f64>,
    /// Index of the sample whose respondents stand for this group (itself, or the group an
    /// assumption names).
    pub source: usize,
}

/// A 95 % interval in kg CO2e.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// 2.5th percentile.
    pub low_kg: f64,
    /// 97.5th percentile.
    pub high_kg: f64,
}

/// The bootstrap intervals of the total and of every group.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapResult {
    /// The total over all groups.
    pub total: Interval,
    /// Per group, in the order of the samples.
    pub groups: Vec<Interval>,
}

/// The `p`-quantile (0..=1) of sorted values, interpolating linearly between order statistics
/// (Hyndman & Fan type 7, the default of R and NumPy). NaN for no values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = p.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Runs the bootstrap; `None` when `iterations` is 0.
pub fn bootstrap(samples: &[GroupSample], opts: &BootstrapOptions) -> Option<BootstrapResult> {
    if opts.iterations == 0 {
        return None;
    }
    let iterations: Vec<Vec<f64>> = (0..opts.iterations)
        .into_par_iter()
        .map(|i| {
            let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
            rng.set_stream(u64::from(i));
            let means: Vec<f64> = samples
                .iter()
                .map(|s| {
                    let n = s.values.len();
                    if n == 0 {
                        return 0.0;
                    }
                    let mut sum = 0.0;
                    for _ in 0..n {
                        sum += s.values[rng.random_range(0..n)];
                    }
                    sum / n as f64
                })
                .collect();
            samples
                .iter()
                .map(|s| s.population * means[s.source])
                .collect()
        })
        .collect();
    let column = |f: &dyn Fn(&Vec<f64>) -> f64| -> Interval {
        let mut v: Vec<f64> = iterations.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        Interval {
            low_kg: percentile(&v, 0.025),
            high_kg: percentile(&v, 0.975),
        }
    };
    Some(BootstrapResult {
        // Summed in group order: the same sum whatever thread computed the iteration.
        total: column(&|it| it.iter().sum()),
        groups: (0..samples.len()).map(|g| column(&|it| it[g])).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<GroupSample> {
        vec![
            GroupSample {
                population: 1000.0,
                values: (0..50).map(|i| (i % 7) as f64 * 100.0).collect(),
                source: 0,
            },
            GroupSample {
                population: 300.0,
                values: vec![],
                source: 0,
            },
            GroupSample {
                population: 5000.0,
                values: (0..80).map(|i| (i % 3) as f64 * 10.0).collect(),
                source: 2,
            },
        ]
    }

    #[test]
    fn percentiles_type_7() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert_eq!(percentile(&v, 0.025), 1.1);
        assert_eq!(percentile(&v, 1.0), 5.0);
        assert!(percentile(&[], 0.5).is_nan());
    }

    #[test]
    fn same_seed_same_interval_and_thread_count_does_not_matter() {
        let s = samples();
        let o = BootstrapOptions {
            seed: 7,
            iterations: 500,
        };
        let a = bootstrap(&s, &o).unwrap();
        let single = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = single.install(|| bootstrap(&s, &o).unwrap());
        assert_eq!(a, b);
        let c = bootstrap(
            &s,
            &BootstrapOptions {
                seed: 8,
                iterations: 500,
            },
        )
        .unwrap();
        assert_ne!(a.total, c.total);
        // The point estimate lies inside the interval; the assumed group moves with its source.
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let point = 1300.0 * mean(&s[0].values) + 5000.0 * mean(&s[2].values);
        assert!(a.total.low_kg < point && point < a.total.high_kg, "{a:?}");
        assert!((a.groups[1].low_kg / a.groups[0].low_kg - 0.3).abs() < 1e-9);
        assert!(
            bootstrap(
                &s,
                &BootstrapOptions {
                    seed: 1,
                    iterations: 0
                }
            )
            .is_none()
        );
    }
}
