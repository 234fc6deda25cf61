//! Name normalisation shared by the index and the queries.

/// Folds a name to the key used for lookups: ASCII transliteration (`München` → `munchen`,
/// `Łódź` → `lodz`), lower case, apostrophes dropped (`'s-Gravenhage` → `s gravenhage`), every
/// other run of non-alphanumeric characters turned into one space, no leading/trailing space.
pub(crate) fn normalize(text: &str) -> String {
    if text.is_ascii() {
        fold_ascii(text)
    } else {
        fold_ascii(&deunicode::deunicode(text))
    }
}

fn fold_ascii(ascii: &str) -> String {
    let mut out = String::with_capacity(ascii.len());
    let mut pending_space = false;
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(ch.to_ascii_lowercase());
        } else if ch == '\'' || ch == '`' {
            // `L'Aquila`, `'s-Hertogenbosch`: the apostrophe joins, it does not separate.
        } else {
            pending_space = true;
        }
    }
    out
}

/// The German transliteration of umlauts (`Zürich` → `Zuerich`), which users type as often as
/// the plain-vowel form that [`normalize`] produces. `None` when the name has no umlaut.
pub(crate) fn umlaut_variant(text: &str) -> Option<String> {
    if !text.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü']) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 4);
    for ch in text.chars() {
        match ch {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            other => out.push(other),
        }
    }
    Some(out)
}

/// Every lookup key of one name: the normalised form and, for names with umlauts, the
/// `ae/oe/ue` form. Empty keys are left out.
pub(crate) fn spellings(name: &str) -> impl Iterator<Item = String> {
    let plain = normalize(name);
    let umlaut = umlaut_variant(name)
        .map(|variant| normalize(&variant))
        .filter(|variant| *variant != plain);
    std::iter::once(plain)
        .chain(umlaut)
        .filter(|key| !key.is_empty())
}

/// Shorter names a GeoNames primary name implies, indexed as alternates:
/// `Frankfurt (Oder)` → `Frankfurt`, `Misato, Saitama` → `Misato`.
pub(crate) fn implied_names(name: &str) -> impl Iterator<Item = &str> {
    let before_paren = name
        .find('(')
        .map(|at| name[..at].trim())
        .filter(|short| !short.is_empty());
    let before_comma = name
        .find(',')
        .map(|at| name[..at].trim())
        .filter(|short| !short.is_empty());
    before_paren.into_iter().chain(before_comma)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(normalize("  MÜNCHEN "), "munchen");
        assert_eq!(normalize("Zürich"), "zurich");
        assert_eq!(normalize("Łódź"), "lodz");
        assert_eq!(normalize("'s-Gravenhage"), "s gravenhage");
        assert_eq!(normalize("s Gravenhage"), "s gravenhage");
        assert_eq!(normalize("Cluj-Napoca"), "cluj napoca");
        assert_eq!(normalize("L’Aquila"), "laquila");
        assert_eq!(normalize("Frankfurt (Oder)"), "frankfurt oder");
        assert_eq!(normalize("!!!"), "");
    }

    #[test]
    fn umlauts_get_a_german_spelling() {
        let keys: Vec<String> = spellings("Zürich").collect();
        assert_eq!(keys, ["zurich", "zuerich"]);
        let keys: Vec<String> = spellings("Enschede").collect();
        assert_eq!(keys, ["enschede"]);
    }

    #[test]
    fn implied_names_drop_qualifiers() {
        let names: Vec<&str> = implied_names("Frankfurt (Oder)").collect();
        assert_eq!(names, ["Frankfurt"]);
        let names: Vec<&str> = implied_names("Mianzhu, Deyang, Sichuan").collect();
        assert_eq!(names, ["Mianzhu"]);
        assert_eq!(implied_names("Enschede").count(), 0);
    }

    proptest! {
        #[test]
        fn normalize_is_idempotent_and_ascii(text in "\\PC{0,40}") {
            let once = normalize(&text);
            prop_assert!(once.is_ascii());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
            prop_assert_eq!(normalize(&once), once.clone());
        }
    }
}
