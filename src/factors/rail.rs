//! Passenger rail intensity by country: the table behind "rail by country crossed".
//!
//! `data/factors/rail-by-country.json` holds, per ISO 3166-1 alpha-2 country, the kg CO2e
//! per passenger-km of that country's passenger rail, with its source, year, scope and
//! reliability grade (see `data/factors/README.md`). A country that is not in the table has no
//! sourced value: the leg's part in it uses the pack's own train factor, and the result says so.

use super::{FactorError, Parts};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Which factor a train leg uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RailFactor {
    /// Each part of the leg gets the rail intensity of the country it lies in (default).
    #[default]
    Country,
    /// The pack's single rail factor everywhere (like-for-like with other users of the pack).
    Pack,
}

impl RailFactor {
    /// As written in options and configurations.
    pub fn as_str(self) -> &'static str {
        match self {
            RailFactor::Country => "country",
            RailFactor::Pack => "pack",
        }
    }
}

/// One country's passenger rail intensity with its provenance.
///
/// # Units
/// kg CO2e per passenger-km, split like a pack factor ([`Parts`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryRail {
    /// ISO 3166-1 alpha-2 code, e.g. `NL`.
    pub country: String,
    /// English name.
    pub name: String,
    /// kg CO2e per passenger-km, tank-to-wheel.
    #[serde(default)]
    pub ttw: f64,
    /// kg CO2e per passenger-km, well-to-tank.
    #[serde(default)]
    pub wtt: f64,
    /// kg CO2e per passenger-km, well-to-wheel energy the source does not split.
    #[serde(default)]
    pub energy_wtw: f64,
    /// Publication (and the copy it was read from).
    pub source: String,
    /// Year of the value.
    pub year: u16,
    /// What the value covers.
    pub scope: String,
    /// Reliability grade A/B/C (see `data/factors/README.md`).
    pub reliability: String,
    /// Caveats.
    #[serde(default)]
    pub note: String,
}

impl CountryRail {
    /// The value's parts, kg CO2e per passenger-km.
    pub fn parts(&self) -> Parts {
        Parts {
            ttw: self.ttw,
            wtt: self.wtt,
            energy_wtw: self.energy_wtw,
            ..Parts::default()
        }
    }
}

/// The per-country rail table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RailTable {
    /// Table id, shown as the "pack" of factors taken from it.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Unit of every value (`passenger.km`).
    pub unit: String,
    /// What the table is.
    #[serde(default)]
    pub description: String,
    /// Licence of the values.
    #[serde(default)]
    pub licence: String,
    /// One entry per country, sorted by code.
    pub countries: Vec<CountryRail>,
}

impl RailTable {
    /// Parses and validates the table: unique two-letter codes, finite non-negative values,
    /// a source, scope and grade for every row.
    pub fn from_json(name: &str, text: &str) -> Result<Self, FactorError> {
        let bad = |message: String| FactorError::InvalidPack {
            pack: name.to_string(),
            message,
        };
        let mut t: RailTable = serde_json::from_str(text)
            .map_err(|e| bad(format!("line {}, column {}: {e}", e.line(), e.column())))?;
        t.countries.sort_by(|a, b| a.country.cmp(&b.country));
        for w in t.countries.windows(2) {
            if w[0].country == w[1].country {
                return Err(bad(format!("duplicate country `{}`", w[0].country)));
            }
        }
        for c in &t.countries {
            let code_ok = c.country.len() == 2 && c.country.bytes().all(|b| b.is_ascii_uppercase());
            if !code_ok {
                return Err(bad(format!(
                    "country `{}`: expected an ISO 3166-1 alpha-2 code such as `NL`",
                    c.country
                )));
            }
            let p = c.parts();
            if [p.ttw, p.wtt, p.energy_wtw]
                .iter()
                .any(|v| !v.is_finite() || *v < 0.0)
                || p.total() <= 0.0
            {
                return Err(bad(format!(
                    "country `{}`: values must be finite, non-negative and not all zero",
                    c.country
                )));
            }
            if c.source.trim().is_empty() || c.scope.trim().is_empty() {
                return Err(bad(format!(
                    "country `{}` has no source or scope",
                    c.country
                )));
            }
            if !matches!(c.reliability.as_str(), "A" | "B" | "C") {
                return Err(bad(format!(
                    "country `{}`: reliability `{}`; expected A, B or C",
                    c.country, c.reliability
                )));
            }
        }
        Ok(t)
    }

    /// The table bundled with the tool (parsed once).
    pub fn bundled() -> &'static RailTable {
        static TABLE: OnceLock<RailTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            match RailTable::from_json(
                "rail-by-country.json",
                include_str!("../../data/factors/rail-by-country.json"),
            ) {
                Ok(t) => t,
                // The bundled file is checked by tests; a broken one is a build defect.
                Err(e) => panic!("bundled {e}"),
            }
        })
    }

    /// The value for a country code, if the table has one.
    pub fn get(&self, country: &str) -> Option<&CountryRail> {
        self.countries
            .binary_search_by(|c| c.country.as_str().cmp(country))
            .ok()
            .map(|i| &self.countries[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_loads_with_the_values_of_its_sources() {
        let t = RailTable::bundled();
        // lowtrip train_intensity.geojson EF_tot (g/pkm): NL 1.36, DE 17.21, FR 4.81, CH 0.5.
        for (cc, g) in [
            ("NL", 1.36),
            ("DE", 17.21),
            ("FR", 4.81),
            ("CH", 0.5),
            ("LT", 124.23),
        ] {
            let c = t.get(cc).unwrap();
            assert!((c.parts().total() * 1000.0 - g).abs() < 1e-9, "{cc}");
        }
        // GB: DESNZ 2025 national rail, TTW + WTT.
        let gb = t.get("GB").unwrap();
        assert_eq!((gb.ttw, gb.wtt), (0.03546, 0.00897));
        assert!(t.get("HR").is_none(), "no sourced value, no row");
    }

    #[test]
    fn broken_tables_are_refused() {
        let row = |cc: &str, v: f64, grade: &str| {
            format!(
                r#"{{"country": "{cc}", "name": "x", "energy_wtw": {v}, "source": "s", "year": 2024, "scope": "s", "reliability": "{grade}"}}"#
            )
        };
        let table = |rows: &[String]| {
            format!(
                r#"{{"id": "t", "name": "t", "unit": "passenger.km", "countries": [{}]}}"#,
                rows.join(",")
            )
        };
        assert!(RailTable::from_json("t", &table(&[row("NL", 0.001, "C")])).is_ok());
        for bad in [
            table(&[row("NL", 0.001, "C"), row("NL", 0.002, "C")]),
            table(&[row("nl", 0.001, "C")]),
            table(&[row("NLD", 0.001, "C")]),
            table(&[row("NL", -0.001, "C")]),
            table(&[row("NL", 0.0, "C")]),
            table(&[row("NL", 0.001, "Z")]),
        ] {
            assert!(RailTable::from_json("t", &bad).is_err(), "{bad}");
        }
    }
}
