//! Name normalisation shared by the index and the queries.

/// Folds a name to the key used for lookups: ASCII transliteration (`München` → `munchen`,
/// `Łódź` → `lodz`), lower case, apostrophes dropped (`'s-Gravenhage` → `s gravenhage`), every
/// other run of non-alphanumeric characters turned into one space, no leading/trailing space.
pub(crate) fn normalize(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    normalize_into(text, &mut key);
    key
}

/// [`normalize`] into a reusable buffer (cleared first): the index build normalises ~80k
/// names and allocates only for keys it has not seen.
pub(crate) fn normalize_into(text: &str, key: &mut String) {
    key.clear();
    let mut pending_space = false;
    let mut push = |byte: u8| {
        if byte.is_ascii_alphanumeric() {
            if pending_space && !key.is_empty() {
                key.push(' ');
            }
            pending_space = false;
            key.push(char::from(byte.to_ascii_lowercase()));
        } else if byte == b'\'' || byte == b'`' {
            // `L'Aquila`, `'s-Hertogenbosch`: the apostrophe joins, it does not separate.
        } else {
            pending_space = true;
        }
    };
    if text.is_ascii() {
        text.bytes().for_each(&mut push);
    } else {
        for ch in text.chars() {
            if ch.is_ascii() {
                push(ch as u8);
            } else {
                // Characters deunicode cannot transliterate separate words.
                let ascii = deunicode::deunicode_char(ch).unwrap_or(" ");
                ascii.bytes().for_each(&mut push);
            }
        }
    }
}

/// The German transliteration of umlauts (`Zürich` → `Zuerich`), which users type as often as
/// the plain-vowel form that [`normalize`] produces. `None` when the name has no umlaut.
pub(crate) fn umlaut_variant(text: &str) -> Option<String> {
    if text.is_ascii() || !text.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü']) {
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

/// Calls `each` with every lookup key of one name: the normalised form and, for names with
/// umlauts, the `ae/oe/ue` form. Empty keys are left out. `key` is scratch space.
pub(crate) fn each_spelling(name: &str, key: &mut String, mut each: impl FnMut(&str)) {
    normalize_into(name, key);
    if !key.is_empty() {
        each(key);
    }
    if let Some(variant) = umlaut_variant(name) {
        let plain = std::mem::take(key);
        normalize_into(&variant, key);
        if !key.is_empty() && *key != plain {
            each(key);
        }
    }
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

    fn spellings(name: &str) -> Vec<String> {
        let mut keys = Vec::new();
        each_spelling(name, &mut String::new(), |key| keys.push(key.to_string()));
        keys
    }

    #[test]
    fn umlauts_get_a_german_spelling() {
        assert_eq!(spellings("Zürich"), ["zurich", "zuerich"]);
        assert_eq!(spellings("Enschede"), ["enschede"]);
        assert!(spellings("!!!").is_empty());
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

        #[test]
        fn per_character_transliteration_matches_deunicode(text in "\\PC{0,40}") {
            prop_assert_eq!(normalize(&text), normalize(&deunicode::deunicode(&text)));
        }
    }
}
