//! The report's row-level files: `audit.csv` (every business journey with its distance,
//! factor and emissions) and `rejects.csv` (every rejected input row with its reason).
//!
//! The report folder is meant to be published, so the commuting survey — personal data —
//! stays out of both at row level: `audit.csv` has no respondent rows, and survey rejects
//! give file, line, column and reason but not the value found or a message quoting it.

use crate::csv_out;
use crate::inventory::{InventoryRows, RowResults};

/// File name of the audit trail.
pub const AUDIT_FILE: &str = "audit.csv";
/// File name of the rejected rows.
pub const REJECTS_FILE: &str = "rejects.csv";

const AUDIT_HEADER: [&str; 26] = [
    "category",
    "file",
    "line",
    "id",
    "department",
    "mode",
    "cabin",
    "size",
    "fuel",
    "origin",
    "destination",
    "via",
    "round_trip",
    "travellers",
    "share",
    "one_way_km",
    "passenger_km",
    "factor_pack",
    "factor_id",
    "co2e_kg",
    "ttw_kg",
    "wtt_kg",
    "energy_wtw_kg",
    "non_co2_kg",
    "construction_kg",
    "rail_countries",
];

/// kg and km with three decimals (the audit is for checking, not for summing to the gram).
fn f3(v: f64) -> String {
    csv_out::fixed(v, 3)
}

/// `audit.csv`: one line per business journey, in input order.
pub fn audit_csv(rows: &InventoryRows, results: &RowResults) -> Vec<u8> {
    let mut out = Vec::new();
    csv_out::push_record(&mut out, AUDIT_HEADER);
    for (j, r) in rows.business.iter().zip(results.business.iter()) {
        let stops = j.stops();
        let label = |i: usize| stops.get(i).map_or("", |s| s.label.as_str());
        let via = if stops.len() > 2 {
            stops[1..stops.len() - 1]
                .iter()
                .map(|s| s.label.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            String::new()
        };
        let p = r.parts;
        let record = [
            "business travel".to_string(),
            j.file().to_string(),
            j.line().to_string(),
            j.id().to_string(),
            j.department().to_string(),
            j.mode().key().to_string(),
            j.cabin().key().to_string(),
            j.size().key().to_string(),
            j.fuel().key().to_string(),
            label(0).to_string(),
            label(stops.len().saturating_sub(1)).to_string(),
            via,
            if j.round_trip() { "yes" } else { "no" }.to_string(),
            j.travellers().to_string(),
            j.share().to_string(),
            f3(r.one_way_km),
            f3(r.passenger_km),
            r.factor_pack.to_string(),
            r.factor_id.to_string(),
            f3(r.co2e_kg),
            f3(p.ttw),
            f3(p.wtt),
            f3(p.energy_wtw),
            f3(p.non_co2),
            f3(p.construction),
            r.rail_countries.as_deref().unwrap_or("").to_string(),
        ];
        csv_out::push_record(&mut out, &record);
    }
    out
}

/// `rejects.csv`: every rejected row, business exports then surveys, in input order.
pub fn rejects_csv(rows: &InventoryRows) -> Vec<u8> {
    let mut out = Vec::new();
    csv_out::push_record(
        &mut out,
        [
            "category", "file", "line", "reason", "column", "value", "message",
        ],
    );
    for r in &rows.rejects {
        let survey = r.category == crate::inventory::SURVEY;
        let (value, message) = if survey {
            (
                String::new(),
                "survey row: value withheld (personal data); see the survey file".to_string(),
            )
        } else {
            (r.value.clone().unwrap_or_default(), r.message.clone())
        };
        let record = [
            r.category.to_string(),
            r.file.to_string(),
            r.line.map(|l| l.to_string()).unwrap_or_default(),
            r.reason.to_string(),
            r.column.as_deref().unwrap_or("").to_string(),
            value,
            message,
        ];
        csv_out::push_record(&mut out, &record);
    }
    out
}
