//! `summary.json`: every number of the report, and the results it was built from.
//!
//! ```text
//! { "report":   { organisation, year, title, date, generator, inputs },
//!   "headline": { "<figure id>": { label, value, unit, detail }, ... },
//!   "tables":   { "<table id>": { title, columns: [{ key, label, unit }], rows: [{ "<key>": value }], notes } },
//!   "charts":   [ { id, title, description, file } ],
//!   "results":  { "inventory": <footprint inventory --format json>, "scenarios": <footprint scenario --format json> } }
//! ```
//!
//! Numbers are written with every digit (the page rounds them); `results` holds the very
//! JSON values of the `inventory` and `scenario` commands, so both carry the same numbers.

use serde_json::{Map, Value, json};

use super::markdown::CHART_DIR;
use super::model::{Block, Cell, ReportModel, Table};

/// Renders `summary.json` (pretty-printed, UTF-8, one newline at the end).
pub fn render(model: &ReportModel) -> Vec<u8> {
    let m = &model.meta;
    let mut headline = Map::new();
    for f in &model.headline {
        headline.insert(
            f.id.clone(),
            json!({ "label": f.label, "value": finite(f.value), "unit": f.unit, "detail": f.detail }),
        );
    }
    let mut tables = Map::new();
    let mut charts = Vec::new();
    for s in &model.sections {
        for b in &s.blocks {
            match b {
                Block::Table(t) => {
                    tables.insert(t.id.clone(), table(t));
                }
                Block::Chart(c) => charts.push(json!({
                    "id": c.id,
                    "section": s.id,
                    "title": c.title,
                    "description": c.description,
                    "file": format!("{CHART_DIR}/{}.svg", c.id),
                })),
                Block::Figures { figures } => {
                    for f in figures {
                        headline.entry(f.id.clone()).or_insert_with(|| {
                            json!({ "label": f.label, "value": finite(f.value), "unit": f.unit, "detail": f.detail })
                        });
                    }
                }
                _ => {}
            }
        }
    }
    let v = json!({
        "report": {
            "organisation": m.organisation,
            "year": m.year,
            "title": m.title,
            "date": m.date,
            "generator": m.generator,
            "inputs": m.inputs,
        },
        "headline": headline,
        "tables": tables,
        "charts": charts,
        "attributions": model.attributions,
        "results": model.results,
    });
    let mut out = serde_json::to_vec_pretty(&v).expect("JSON values serialise");
    out.push(b'\n');
    out
}

/// A table as `{ title, columns, rows: [{ key: value }], notes }`.
pub(crate) fn table(t: &Table) -> Value {
    let columns: Vec<Value> = t
        .columns
        .iter()
        .map(|c| json!({ "key": c.key, "label": c.label, "unit": c.unit }))
        .collect();
    let rows: Vec<Value> = t
        .rows
        .iter()
        .map(|r| {
            let mut o = Map::new();
            for (i, c) in t.columns.iter().enumerate() {
                let v = match r.cells.get(i).unwrap_or(&Cell::Empty) {
                    Cell::Text(s) | Cell::Mode { text: s, .. } => Value::from(s.as_str()),
                    Cell::Number(x) => finite(*x),
                    Cell::Empty => Value::Null,
                };
                o.insert(c.key.clone(), v);
            }
            if r.total {
                o.insert("total_row".to_string(), Value::Bool(true));
            }
            Value::Object(o)
        })
        .collect();
    json!({ "title": t.title, "columns": columns, "rows": rows, "notes": t.notes })
}

/// A number, or `null` for NaN and infinities (which JSON cannot carry).
fn finite(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}
