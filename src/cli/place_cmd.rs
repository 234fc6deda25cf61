//! `footprint place` and `footprint factors`.

use super::output::{Format, Table, json, num};
use super::{CliError, io_err};
use clap::{Args, Subcommand};
use mobility_footprint::factors::PackSet;
use serde::Serialize;
use std::io::Write;

/// Arguments of `footprint place`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct PlaceArgs {
    /// Place names (`Munich`, `Den Haag`, `Valencia, ES`), IATA codes (`AMS`), partner ids
    /// (`ut`, `eciu-aau`), Dutch postcodes (`7522`) or `lat,lon` (`52.24,6.86`).
    #[arg(required = true)]
    pub queries: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Serialize)]
struct Resolved<'a> {
    query: &'a str,
    #[serde(flatten)]
    place: Option<mobility_footprint::places::Place>,
    /// Other places that carry the name, each with the query that picks it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    also: Vec<Also>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Another place of the same name and how to ask for it (`Ede, NL`).
#[derive(Serialize)]
struct Also {
    name: String,
    country_code: String,
    id: String,
    query: String,
}

/// Resolves each query; exits 1 when any query fails (the others are still printed).
pub fn place<W: Write>(a: PlaceArgs, out: &mut W) -> Result<(), CliError> {
    let g = super::places();
    let results: Vec<Resolved> = a
        .queries
        .iter()
        .map(|q| match g.resolve_all(q) {
            Ok(r) => Resolved {
                query: q.trim(),
                also: r
                    .others()
                    .into_iter()
                    .map(|(p, hint)| Also {
                        name: p.name.clone(),
                        country_code: p.country_code.clone(),
                        id: p.id.clone(),
                        query: hint,
                    })
                    .collect(),
                place: Some(r.into_place()),
                error: None,
            },
            Err(e) => Resolved {
                query: q.trim(),
                place: None,
                also: Vec::new(),
                error: Some(e.to_string()),
            },
        })
        .collect();
    match a.format {
        Format::Json => json(out, &results)?,
        Format::Table | Format::Csv if results.iter().any(|r| r.place.is_some()) => {
            let mut t = Table::new(&[
                "query", "name", "country", ">lat", ">lon", "kind", "id", "source", "also",
            ]);
            for r in &results {
                if let Some(p) = &r.place {
                    t.row(vec![
                        r.query.to_string(),
                        p.name.clone(),
                        p.country_code.clone(),
                        format!("{:.5}", p.lat_deg),
                        format!("{:.5}", p.lon_deg),
                        p.kind.to_string(),
                        p.id.clone(),
                        p.source.clone(),
                        also_text(&r.also),
                    ]);
                }
            }
            if a.format == Format::Csv {
                t.write_csv(out)?
            } else {
                t.write(out)?
            }
        }
        Format::Table | Format::Csv => {}
    }
    let failed: Vec<&str> = results.iter().filter_map(|r| r.error.as_deref()).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::data(failed.join("\nfootprint: error: ")))
    }
}

/// `Ede (NL) = Ede, NL; …`: at most four, then how many more.
fn also_text(also: &[Also]) -> String {
    let mut parts: Vec<String> = also
        .iter()
        .take(4)
        .map(|a| format!("{} ({}) = {}", a.name, a.country_code, a.query))
        .collect();
    if also.len() > 4 {
        parts.push(format!("{} more (--format json)", also.len() - 4));
    }
    parts.join("; ")
}

/// Arguments of `footprint factors`.
#[derive(Debug, Args)]
pub struct FactorsArgs {
    /// `show PACK` lists every factor of a pack.
    #[command(subcommand)]
    pub action: Option<FactorsAction>,
    /// Output format.
    #[arg(long, value_enum, default_value_t, global = true)]
    pub format: Format,
}

/// `footprint factors` actions.
#[derive(Debug, Subcommand)]
pub enum FactorsAction {
    /// Every factor of one pack, with its source, unit and scope.
    Show {
        /// Pack id, e.g. `desnz-2025`.
        pack: String,
    },
}

/// Lists packs or the factors of one.
pub fn factors<W: Write>(a: FactorsArgs, out: &mut W) -> Result<(), CliError> {
    let set = PackSet::bundled();
    match a.action {
        None => match a.format {
            Format::Json => {
                let v: Vec<_> = set
                    .packs()
                    .iter()
                    .map(|p| {
                        serde_json::json!({"id": p.id, "name": p.name, "year": p.year, "factors": p.factors.len(),
                        "boundary": p.boundary, "fallback_pack": p.fallback_pack, "default": p.id == mobility_footprint::factors::pack_default_id()})
                    })
                    .collect();
                json(out, &v)
            }
            f => {
                let mut t = Table::new(&["pack", ">year", ">factors", "fallback", "name"]);
                for p in set.packs() {
                    let id = if p.id == mobility_footprint::factors::pack_default_id() {
                        format!("{} (default)", p.id)
                    } else {
                        p.id.clone()
                    };
                    t.row(vec![
                        id,
                        p.year.to_string(),
                        p.factors.len().to_string(),
                        p.fallback_pack.clone().unwrap_or_else(|| "-".into()),
                        p.name.clone(),
                    ]);
                }
                if f == Format::Csv {
                    t.write_csv(out)
                } else {
                    t.write(out)?;
                    writeln!(
                        out,
                        "\n`footprint factors show PACK` lists every factor with its source."
                    )
                    .map_err(io_err)
                }
            }
        },
        Some(FactorsAction::Show { pack }) => {
            let p = set.get(&pack).map_err(CliError::data)?;
            match a.format {
                Format::Json => json(out, p),
                f => {
                    let mut t = Table::new(&[
                        "id",
                        "unit",
                        ">ttw",
                        ">wtt",
                        ">energy_wtw",
                        ">non_co2",
                        ">construction",
                        ">total",
                        "grade",
                        "source / row",
                    ]);
                    for x in &p.factors {
                        let d = |v: f64| {
                            if v == 0.0 {
                                "-".to_string()
                            } else {
                                format!("{v:.5}")
                            }
                        };
                        t.row(vec![
                            format!("{}{}", x.id, if x.default { " *" } else { "" }),
                            x.unit.as_str().to_string(),
                            d(x.ttw),
                            d(x.wtt),
                            d(x.energy_wtw),
                            d(x.non_co2),
                            d(x.construction),
                            num(x.parts().total(), 5),
                            x.reliability.clone(),
                            format!("{} {}", x.source, x.row).trim().to_string(),
                        ]);
                    }
                    if f == Format::Csv {
                        return t.write_csv(out);
                    }
                    writeln!(
                        out,
                        "{} — {}\n{}\nboundary: {}\n",
                        p.id, p.name, p.url, p.boundary
                    )
                    .map_err(io_err)?;
                    t.write(out)?;
                    let c = &p.conventions;
                    writeln!(out, "\nkg CO2e per unit; * = default factor of its mode.")
                        .map_err(io_err)?;
                    let det: Vec<String> =
                        c.detour.iter().map(|(m, k)| format!("{m} x{k}")).collect();
                    writeln!(out, "detours: {} ({})", det.join(", "), c.detour_source)
                        .map_err(io_err)?;
                    writeln!(
                        out,
                        "flight distance: {} — {}",
                        c.flight_distance.kind, c.flight_distance.note
                    )
                    .map_err(io_err)?;
                    let bands: Vec<String> = c
                        .flight_bands
                        .bands
                        .iter()
                        .map(|b| match b.max_km {
                            Some(m) => format!("{} < {m} km", b.id),
                            None => b.id.clone(),
                        })
                        .collect();
                    writeln!(
                        out,
                        "flight bands: {} (domestic: {}) — {}",
                        bands.join(", "),
                        c.flight_bands.domestic.as_deref().unwrap_or("-"),
                        c.flight_bands.note
                    )
                    .map_err(io_err)?;
                    writeln!(out, "radiative forcing: {}", c.rf.note).map_err(io_err)?;
                    if let Some(fb) = &p.fallback_pack {
                        writeln!(
                            out,
                            "modes this pack lacks use {fb} (reported with every result)."
                        )
                        .map_err(io_err)?;
                    }
                    Ok(())
                }
            }
        }
    }
}
