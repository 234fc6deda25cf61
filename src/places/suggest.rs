//! "Did you mean": closest known names for a query that did not resolve.
//!
//! Candidates are the normalised keys of the name index (primary and alternate names, ~64k
//! keys) and the partner ids and names. A key qualifies when its optimal-string-alignment distance (Damerau–
//! Levenshtein without repeated edits of one substring) to the normalised query is at most 1
//! for queries up to 4 characters, 2 up to 8, 3 beyond; a key that starts with a query of at
//! least 4 characters counts as one edit, and so does a partner name that contains the query
//! as a word. Qualifying places are ranked by
//! `edits + 0.25 (alternate name) − 0.1 × log10(population)`, so one edit outweighs any
//! population difference within cities15000 (0.1 × log10(20M / 15k) ≈ 0.31) while population
//! orders candidates at the same distance.

use super::normalize::normalize;
use super::tables::{Tables, Tier};

/// How many edits a query of `len` bytes may be away from a suggestion.
fn max_edits(len: usize) -> usize {
    match len {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    }
}

/// Up to `n` places close to the normalised `key`, best first, written so that they resolve
/// when typed back (`Barcelona (ES)`, `eciu-aau`). With `country`, only places in that country.
pub(crate) fn suggest_places(
    tables: &Tables,
    key: &str,
    n: usize,
    country: Option<&str>,
) -> Vec<String> {
    if key.is_empty() || n == 0 || key.len() > crate::input::MAX_SUGGEST_BYTES {
        return Vec::new();
    }
    let query = key.as_bytes();
    let max = max_edits(query.len());
    let mut rows = OsaRows::default();
    let mut scored: Vec<(f64, String)> = Vec::new();
    for (candidate, hits) in tables.names.iter() {
        let Some(edits) = edits_within(query, candidate.as_bytes(), max, &mut rows) else {
            continue;
        };
        let in_country = hits
            .iter()
            .filter(|hit| country.is_none_or(|code| tables.city(hit.city).country_code == code));
        for hit in in_country.take(3) {
            let city = tables.city(hit.city);
            let tier_penalty = if hit.tier == Tier::Alternate {
                0.25
            } else {
                0.0
            };
            let population_bonus = 0.1 * (city.population.max(1) as f64).log10();
            scored.push((
                edits as f64 + tier_penalty - population_bonus,
                format!("{} ({})", city.name, city.country_code),
            ));
        }
    }
    let partners = tables
        .partners
        .iter()
        .filter(|partner| country.is_none_or(|code| partner.country_code == code));
    for partner in partners {
        // Ids and names of partners score like a city of 100,000 people. A name is offered
        // only where it resolves to the partner (`Madrid` is the city, not `city-madrid`).
        let id = partner.id.to_ascii_lowercase();
        if let Some(edits) = edits_within(query, id.as_bytes(), max, &mut rows) {
            scored.push((edits as f64 - 0.5, partner.id.clone()));
        }
        let name = normalize(&partner.name);
        if tables.names.get(&name).is_none() {
            // A word of the name counts as one edit: `Twente` → `University of Twente`.
            let word = query.len() >= 4 && name.split(' ').any(|word| word.as_bytes() == query);
            let edits = edits_within(query, name.as_bytes(), max, &mut rows).or(word.then_some(1));
            if let Some(edits) = edits {
                scored.push((edits as f64 - 0.5, partner.name.clone()));
            }
        }
    }
    rank(scored, n)
}

/// Up to `n` countries close to `text`, written `Germany (DE)`.
pub(crate) fn suggest_countries(tables: &Tables, text: &str, n: usize) -> Vec<String> {
    if text.len() > 4 * crate::input::MAX_SUGGEST_BYTES {
        return Vec::new();
    }
    let key = normalize(text);
    if key.is_empty() || key.len() > crate::input::MAX_SUGGEST_BYTES {
        return Vec::new();
    }
    let max = max_edits(key.len());
    let mut rows = OsaRows::default();
    let scored = tables
        .country_by_key
        .iter()
        .filter_map(|(candidate, &index)| {
            let edits = edits_within(key.as_bytes(), candidate.as_bytes(), max, &mut rows)?;
            let country = &tables.countries[index as usize];
            Some((edits as f64, format!("{} ({})", country.name, country.iso2)))
        })
        .collect();
    rank(scored, n)
}

/// Sorts by score then label (so the result does not depend on hash-map order), drops
/// repeated labels, keeps `n`.
fn rank(mut scored: Vec<(f64, String)>, n: usize) -> Vec<String> {
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut labels: Vec<String> = Vec::with_capacity(n);
    for (_, label) in scored {
        if labels.len() == n {
            break;
        }
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

/// The set of byte classes (byte mod 64) of `s`, as bits.
fn byte_classes(s: &[u8]) -> u64 {
    s.iter().fold(0u64, |m, &b| m | 1 << (b & 63))
}

/// Reusable rows for [`edits_within`].
#[derive(Default)]
struct OsaRows {
    before_previous: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

/// Optimal-string-alignment distance between `query` and `candidate` when it is at most `max`
/// (or `candidate` starts with a query of 4+ bytes: 1), else `None`. Stops a row early once
/// every cell exceeds `max`.
fn edits_within(query: &[u8], candidate: &[u8], max: usize, rows: &mut OsaRows) -> Option<usize> {
    // (The first byte is compared inline: most candidates differ there, and a call to
    // `memcmp` per candidate dominated the search.)
    let prefix = query.len() >= 4
        && candidate.len() > query.len()
        && candidate[0] == query[0]
        && candidate.starts_with(query);
    if prefix {
        return Some(1);
    }
    if query.len().abs_diff(candidate.len()) > max {
        return None;
    }
    // A cheap lower bound first: one edit adds or removes at most one distinct byte class,
    // so the classes found on one side only cannot outnumber the edits.
    let (q, c) = (byte_classes(query), byte_classes(candidate));
    if (q & !c).count_ones() as usize > max || (c & !q).count_ones() as usize > max {
        return None;
    }
    let width = candidate.len() + 1;
    for row in [
        &mut rows.before_previous,
        &mut rows.previous,
        &mut rows.current,
    ] {
        row.clear();
        row.resize(width, 0);
    }
    for (j, cell) in rows.previous.iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=query.len() {
        rows.current[0] = i;
        let mut row_min = i;
        for j in 1..width {
            let substitution = usize::from(query[i - 1] != candidate[j - 1]);
            let mut best = (rows.previous[j] + 1)
                .min(rows.current[j - 1] + 1)
                .min(rows.previous[j - 1] + substitution);
            if i > 1
                && j > 1
                && query[i - 1] == candidate[j - 2]
                && query[i - 2] == candidate[j - 1]
            {
                best = best.min(rows.before_previous[j - 2] + 1);
            }
            rows.current[j] = best;
            row_min = row_min.min(best);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut rows.before_previous, &mut rows.previous);
        std::mem::swap(&mut rows.previous, &mut rows.current);
    }
    let distance = rows.previous[width - 1];
    (distance <= max).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn distance(a: &str, b: &str) -> Option<usize> {
        edits_within(a.as_bytes(), b.as_bytes(), 10, &mut OsaRows::default())
    }

    #[test]
    fn osa_counts_transpositions_as_one_edit() {
        assert_eq!(distance("barcleona", "barcelona"), Some(1));
        assert_eq!(distance("enchede", "enschede"), Some(1));
        assert_eq!(distance("abc", "abc"), Some(0));
        assert_eq!(distance("", "abc"), Some(3));
        assert_eq!(
            edits_within(b"abcdef", b"uvwxyz", 2, &mut OsaRows::default()),
            None
        );
        assert_eq!(distance("fran", "frankfurt"), Some(1), "prefix of 4+ bytes");
    }

    proptest! {
        #[test]
        fn bounded_osa_agrees_with_strsim(a in "[a-e ]{0,10}", b in "[a-e ]{5,10}") {
            let expected = strsim::osa_distance(&a, &b);
            let prefix = a.len() >= 4 && b.len() > a.len() && b.starts_with(&a);
            let got = edits_within(a.as_bytes(), b.as_bytes(), 3, &mut OsaRows::default());
            if prefix {
                prop_assert_eq!(got, Some(1));
            } else if expected <= 3 {
                prop_assert_eq!(got, Some(expected));
            } else {
                prop_assert_eq!(got, None);
            }
        }
    }
}
