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

/// The names of the gazetteer arranged for "did you mean": a query is compared only with
/// the keys that can qualify, not with all ~64k. A key qualifies either by its distance,
/// which needs a length within `max` edits of the query's (so only those length buckets are
/// read), or as a longer key starting with a query of 4+ bytes (a range of the sorted keys,
/// found by binary search). The same keys qualify as in a scan of every key
/// (`index_gives_the_same_suggestions_as_a_full_scan`), so suggestions are unchanged;
/// ranking sorts by score and label, so the order keys are visited in does not matter.
pub(crate) struct SuggestIndex {
    /// Every key, sorted by bytes.
    sorted: Vec<Box<str>>,
    /// `by_len[l]`: positions in `sorted` of the keys of `l` bytes.
    by_len: Vec<Vec<u32>>,
}

impl SuggestIndex {
    fn build(tables: &Tables) -> SuggestIndex {
        let mut sorted: Vec<Box<str>> = tables.names.iter().map(|(k, _)| k.into()).collect();
        sorted.sort_unstable();
        let longest = sorted.iter().map(|k| k.len()).max().unwrap_or(0);
        let mut by_len = vec![Vec::new(); longest + 1];
        for (i, k) in sorted.iter().enumerate() {
            by_len[k.len()].push(i as u32);
        }
        SuggestIndex { sorted, by_len }
    }

    /// The index of `tables`, built once.
    fn of(tables: &Tables) -> &SuggestIndex {
        tables.suggest.get_or_init(|| SuggestIndex::build(tables))
    }

    /// Calls `f` with every key within `max` edits of `query` (or that `query`, 4+ bytes,
    /// starts), and its edits, as [`edits_within`] counts them.
    fn each_close_key(
        &self,
        query: &[u8],
        max: usize,
        rows: &mut OsaRows,
        mut f: impl FnMut(&str, usize),
    ) {
        let lo = query.len().saturating_sub(max);
        let hi = (query.len() + max).min(self.by_len.len().saturating_sub(1));
        for len in lo..=hi {
            for &i in self.by_len.get(len).map_or(&[][..], Vec::as_slice) {
                let key = &self.sorted[i as usize];
                if let Some(edits) = edits_within(query, key.as_bytes(), max, rows) {
                    f(key, edits);
                }
            }
        }
        if query.len() >= 4 {
            // Longer keys starting with the query (those within `max` bytes are seen above).
            let start = self.sorted.partition_point(|k| k.as_bytes() < query);
            for key in self.sorted[start..]
                .iter()
                .take_while(|k| k.as_bytes().starts_with(query))
                .filter(|k| k.len() > query.len() + max)
            {
                f(key, 1);
            }
        }
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
    SuggestIndex::of(tables).each_close_key(query, max, &mut rows, |candidate, edits| {
        score_place(tables, candidate, edits, country, &mut scored);
    });
    score_partners(tables, query, max, country, &mut rows, &mut scored);
    rank(scored, n)
}

/// Scores the places a close key names (up to 3, in `country` when given).
fn score_place(
    tables: &Tables,
    candidate: &str,
    edits: usize,
    country: Option<&str>,
    scored: &mut Vec<(f64, String)>,
) {
    let Some(hits) = tables.names.get(candidate) else {
        return;
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

/// Scores partner ids and names close to the query.
fn score_partners(
    tables: &Tables,
    query: &[u8],
    max: usize,
    country: Option<&str>,
    rows: &mut OsaRows,
    scored: &mut Vec<(f64, String)>,
) {
    let partners = tables
        .partners
        .iter()
        .filter(|partner| country.is_none_or(|code| partner.country_code == code));
    for partner in partners {
        // Ids and names of partners score like a city of 100,000 people. A name is offered
        // only where it resolves to the partner (`Madrid` is the city, not `city-madrid`).
        let id = partner.id.to_ascii_lowercase();
        if let Some(edits) = edits_within(query, id.as_bytes(), max, rows) {
            scored.push((edits as f64 - 0.5, partner.id.clone()));
        }
        let name = normalize(&partner.name);
        if tables.names.get(&name).is_none() {
            // A word of the name counts as one edit: `Twente` → `University of Twente`.
            let word = query.len() >= 4 && name.split(' ').any(|word| word.as_bytes() == query);
            let edits = edits_within(query, name.as_bytes(), max, rows).or(word.then_some(1));
            if let Some(edits) = edits {
                scored.push((edits as f64 - 0.5, partner.name.clone()));
            }
        }
    }
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

    /// `suggest_places` as it was before the index: every key of the gazetteer compared.
    fn suggest_by_scan(tables: &Tables, key: &str, n: usize, country: Option<&str>) -> Vec<String> {
        if key.is_empty() || n == 0 || key.len() > crate::input::MAX_SUGGEST_BYTES {
            return Vec::new();
        }
        let query = key.as_bytes();
        let max = max_edits(query.len());
        let mut rows = OsaRows::default();
        let mut scored = Vec::new();
        for (candidate, _) in tables.names.iter() {
            if let Some(edits) = edits_within(query, candidate.as_bytes(), max, &mut rows) {
                score_place(tables, candidate, edits, country, &mut scored);
            }
        }
        score_partners(tables, query, max, country, &mut rows, &mut scored);
        rank(scored, n)
    }

    fn bundled() -> &'static Tables {
        static T: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
        T.get_or_init(|| Tables::build(&crate::places::tables::BUNDLED))
    }

    #[test]
    fn index_gives_the_same_suggestions_on_known_misspellings() {
        let t = bundled();
        for q in [
            "barcleona",
            "enchede",
            "pari",
            "fran",
            "londn",
            "amsterdm",
            "twente",
            "x",
            "zzzzzzzzzzzzzzzz",
            "san fran",
            "munchen",
            "ber",
        ] {
            let key = normalize(q);
            assert_eq!(
                suggest_places(t, &key, 5, None),
                suggest_by_scan(t, &key, 5, None),
                "{q}"
            );
            assert_eq!(
                suggest_places(t, &key, 3, Some("DE")),
                suggest_by_scan(t, &key, 3, Some("DE")),
                "{q}"
            );
        }
        assert!(!suggest_places(t, "barcleona", 3, None).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]
        #[test]
        fn index_gives_the_same_suggestions_as_a_full_scan(
            q in "[a-z]{1,3}|[a-z]{2,6}[aeiou ]{0,2}[a-z]{0,6}|(ber|par|lon|ams|mun|san|new)[a-z ]{0,9}"
        ) {
            let t = bundled();
            let key = normalize(&q);
            prop_assert_eq!(suggest_places(t, &key, 5, None), suggest_by_scan(t, &key, 5, None));
        }
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
