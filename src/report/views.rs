//! The tables and text of every command's output, as report-model blocks: what
//! `footprint inventory`, `commute`, `wpm`, `scenario` and `business` print, and the tables
//! the yearly report shares with them (by category, by mode, by group, input files).
//!
//! The CLI renders these blocks with [`super::terminal::document`] (`--format table`) and their
//! flat tables with [`super::tables::render_flat`] (`--format csv`); the report builder puts
//! the shared tables into its sections. So one table is built once, from the public results,
//! and every output shows the same numbers.

use super::build::{capitalise, category_label, pct, t, tonnes};
use super::model::{Block, Cell, Column, Row, Table};
use super::text::{number, signed_number};
use crate::business::BusinessSummary;
use crate::chart::mode_name;
use crate::inventory::{Boundary, InventoryResult, RejectedRow};
use crate::scenario::{Comparison, ScenarioResult};
use crate::wpm::WpmReport;

/// `, 2025` (nothing for year 0, a `commute` run without a configuration).
fn of_year(year: i32) -> String {
    if year > 0 {
        format!(", {year}")
    } else {
        String::new()
    }
}

fn number_or_empty(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Number)
}

/// A table without notes.
fn table(id: &str, title: impl Into<String>, columns: Vec<Column>, rows: Vec<Row>) -> Table {
    Table {
        id: id.into(),
        title: title.into(),
        columns,
        rows,
        notes: Vec::new(),
    }
}

/// Emissions by GHG Protocol category with the total (the report's summary table).
pub fn categories_table(inv: &InventoryResult) -> Table {
    let mut rows = Vec::new();
    for c in &inv.categories {
        rows.push(Row::new(vec![
            Cell::text(if c.ghg_category > 0 {
                format!("{} (cat. {})", capitalise(c.label), c.ghg_category)
            } else {
                capitalise(c.label)
            }),
            Cell::Number(c.distance_km),
            Cell::Number(c.co2e_t),
            Cell::Number(c.share_of_total_pct),
            number_or_empty(c.share_of_baseline_pct),
            c.interval.map_or(Cell::Empty, |i| Cell::Number(i.low_t)),
            c.interval.map_or(Cell::Empty, |i| Cell::Number(i.high_t)),
        ]));
    }
    rows.push(Row::total(vec![
        Cell::text("Total"),
        Cell::Number(inv.total.distance_km),
        Cell::Number(inv.total.co2e_t),
        Cell::Number(100.0),
        inv.baseline
            .as_ref()
            .map_or(Cell::Empty, |b| Cell::Number(pct(b.estimate_t, b.co2e_t))),
        inv.total
            .interval
            .map_or(Cell::Empty, |i| Cell::Number(i.low_t)),
        inv.total
            .interval
            .map_or(Cell::Empty, |i| Cell::Number(i.high_t)),
    ]));
    let mut notes = Vec::new();
    if inv.total.interval.is_some() {
        notes.push("The interval is the 95 % bootstrap interval from sampling the commuting survey; business travel is a census of the travel records and has no sampling interval.".to_string());
    }
    Table {
        id: "categories".into(),
        title: format!("Emissions by GHG Protocol category{}", of_year(inv.year)),
        columns: vec![
            Column::text("category", "Category (GHG Protocol scope 3)"),
            Column::number("distance_km", "Distance", "km", 0),
            Column::number("co2e_t", "Emissions", "t CO2e", 1),
            Column::number("share_of_total_pct", "Share of total", "%", 1),
            Column::number("share_of_baseline_pct", "Share of baseline", "%", 1),
            Column::number("interval_low_t", "95 % low", "t CO2e", 0),
            Column::number("interval_high_t", "95 % high", "t CO2e", 0),
        ],
        rows,
        notes,
    }
}

/// Emissions by category and mode, largest first, with the total (the report's by-mode table).
pub fn mode_table(inv: &InventoryResult) -> Table {
    let mut modes: Vec<&crate::inventory::ModeOut> = inv.by_mode.iter().collect();
    modes.sort_by(|a, b| {
        b.co2e_kg
            .total_cmp(&a.co2e_kg)
            .then_with(|| a.category.cmp(b.category))
            .then_with(|| a.mode.cmp(&b.mode))
    });
    let mut rows: Vec<Row> = modes
        .iter()
        .map(|m| {
            Row::new(vec![
                Cell::text(category_label(m.category)),
                Cell::Mode {
                    text: mode_name(&m.mode),
                    key: m.mode.clone(),
                },
                Cell::Number(m.distance_km),
                Cell::Number(t(m.co2e_kg)),
                Cell::Number(pct(m.co2e_kg, inv.total.co2e_kg)),
                number_or_empty(m.journeys),
                m.respondents
                    .map_or(Cell::Empty, |r| Cell::Number(r as f64)),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        Cell::text("Total"),
        Cell::text(""),
        Cell::Number(inv.by_mode.iter().map(|m| m.distance_km).sum()),
        Cell::Number(t(inv.by_mode.iter().map(|m| m.co2e_kg).sum())),
        Cell::Number(pct(
            inv.by_mode.iter().map(|m| m.co2e_kg).sum(),
            inv.total.co2e_kg,
        )),
        Cell::Empty,
        Cell::Empty,
    ]));
    let mut notes = vec!["Distance is passenger-km for business travel and person-km for commuting (travelled distance, detours included).".to_string()];
    if let Some(c) = &inv.commuting {
        notes.extend(c.privacy.iter().filter(|p| p.contains("by mode")).cloned());
    }
    Table {
        id: "by-mode".into(),
        title: format!("Emissions by mode{}", of_year(inv.year)),
        columns: vec![
            Column::text("category", "Category"),
            Column::text("mode", "Mode"),
            Column::number("distance_km", "Distance", "km", 0),
            Column::number("co2e_t", "Emissions", "t CO2e", 1),
            Column::number("share_of_total_pct", "Share of total", "%", 1),
            Column::number("journeys", "Journeys", "", 0),
            Column::number("respondents", "Respondents", "", 0),
        ],
        rows,
        notes,
    }
}

/// Commuting by survey group with the total (the report's by-group table); `None` without
/// commuting. Its notes carry the survey assumptions and the privacy rule's merges.
pub fn group_table(inv: &InventoryResult) -> Option<Table> {
    let c = inv.commuting.as_ref()?;
    let cat = inv.categories.iter().find(|c| c.key == "commuting")?;
    let mut rows: Vec<Row> = inv
        .by_group
        .iter()
        .map(|g| {
            Row::new(vec![
                Cell::text(&g.group),
                Cell::Number(g.population),
                Cell::text(&g.unit),
                Cell::Number(g.respondents as f64),
                number_or_empty(g.weight),
                Cell::Number(g.co2e_t),
                Cell::Number(g.per_capita_kg),
                g.interval.map_or(Cell::Empty, |i| Cell::Number(i.low_t)),
                g.interval.map_or(Cell::Empty, |i| Cell::Number(i.high_t)),
                Cell::Number(t(g.telework_avoided_kg)),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        Cell::text("Total"),
        Cell::Number(c.population),
        Cell::text(""),
        Cell::Number(c.respondents as f64),
        Cell::Empty,
        Cell::Number(cat.co2e_t),
        Cell::Number(if c.population > 0.0 {
            cat.co2e_kg / c.population
        } else {
            0.0
        }),
        c.interval.map_or(Cell::Empty, |i| Cell::Number(i.low_t)),
        c.interval.map_or(Cell::Empty, |i| Cell::Number(i.high_t)),
        Cell::Number(t(inv.by_group.iter().map(|g| g.telework_avoided_kg).sum())),
    ]));
    let mut notes: Vec<String> = c.assumptions.clone();
    notes.extend(c.privacy.iter().filter(|p| !p.contains("by mode")).cloned());
    notes.push(
        "Weight: people (or FTE) one respondent stands for. Telework avoided: emissions of the commutes that telework days replace (a memo item, not subtracted)."
            .to_string(),
    );
    Some(Table {
        id: "by-group".into(),
        title: format!("Commuting by group{}", of_year(inv.year)),
        columns: vec![
            Column::text("group", "Group"),
            Column::number("population", "Population", "", 0),
            Column::text("unit", "Unit"),
            Column::number("respondents", "Respondents", "", 0),
            Column::number("weight", "Weight", "", 1),
            Column::number("co2e_t", "Emissions", "t CO2e", 1),
            Column::number("per_capita_kg", "Per person", "kg CO2e", 0),
            Column::number("interval_low_t", "95 % low", "t CO2e", 0),
            Column::number("interval_high_t", "95 % high", "t CO2e", 0),
            Column::number("telework_avoided_t", "Telework avoided", "t CO2e", 1),
        ],
        rows,
        notes,
    })
}

/// Rows read, used and rejected per input file, with the total (the report's table).
pub fn input_files_table(inv: &InventoryResult) -> Table {
    let q = &inv.data_quality;
    let mut rows: Vec<Row> = q
        .files
        .iter()
        .map(|f| {
            Row::new(vec![
                Cell::text(&f.file),
                Cell::text(f.category),
                Cell::text(f.format),
                Cell::Number(f.rows_read as f64),
                Cell::Number(f.rows_used as f64),
                Cell::Number(f.rows_rejected as f64),
                Cell::Number(pct(f.rows_rejected as f64, f.rows_read as f64)),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        Cell::text("Total"),
        Cell::text(""),
        Cell::text(""),
        Cell::Number(q.rows_read as f64),
        Cell::Number(q.rows_used as f64),
        Cell::Number(q.rows_rejected as f64),
        Cell::Number(pct(q.rows_rejected as f64, q.rows_read as f64)),
    ]));
    table(
        "input-files",
        "Rows read, used and rejected per input file",
        vec![
            Column::text("file", "File"),
            Column::text("category", "Category"),
            Column::text("format", "Format"),
            Column::number("rows_read", "Read", "rows", 0),
            Column::number("rows_used", "Used", "rows", 0),
            Column::number("rows_rejected", "Rejected", "rows", 0),
            Column::number("rejected_pct", "Rejected", "%", 1),
        ],
        rows,
    )
}

/// The most frequent reasons for rejecting rows, per file; `None` when nothing was rejected.
pub fn reject_reasons_table(inv: &InventoryResult) -> Option<Table> {
    let rows: Vec<Row> = inv
        .data_quality
        .files
        .iter()
        .flat_map(|f| {
            f.top_reasons.iter().map(|r| {
                Row::new(vec![
                    Cell::text(&f.file),
                    Cell::text(&r.reason),
                    Cell::Number(r.rows as f64),
                ])
            })
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let mut t = table(
        "reject-reasons",
        "Most frequent reasons for rejecting rows",
        vec![
            Column::text("file", "File"),
            Column::text("reason", "Reason"),
            Column::number("rows", "Rows", "", 0),
        ],
        rows,
    );
    t.notes = vec!["At most five reasons per file, most frequent first.".into()];
    Some(t)
}

/// Business travel by department (passenger-km, journeys).
fn department_table(inv: &InventoryResult) -> Table {
    let rows = inv
        .by_department
        .iter()
        .map(|d| {
            Row::new(vec![
                Cell::text(&d.department),
                Cell::Number(t(d.co2e_kg)),
                Cell::Number(d.distance_km),
                Cell::Number(d.journeys),
            ])
        })
        .collect();
    table(
        "by-department",
        format!("Business travel by department{}", of_year(inv.year)),
        vec![
            Column::text("department", "Department"),
            Column::number("co2e_t", "Emissions", "t CO2e", 1),
            Column::number("distance_km", "Distance", "passenger-km", 0),
            Column::number("journeys", "Journeys", "", 0),
        ],
        rows,
    )
}

/// kg CO2e per member of each population.
fn per_capita_table(inv: &InventoryResult) -> Table {
    let rows = inv
        .per_capita
        .iter()
        .map(|p| {
            Row::new(vec![
                Cell::text(&p.label),
                Cell::Number(p.co2e_kg),
                Cell::Number(p.population),
                Cell::text(&p.unit),
            ])
        })
        .collect();
    table(
        "per-capita",
        "Per capita",
        vec![
            Column::text("per", "Emissions"),
            Column::number("co2e_kg", "Per person", "kg CO2e", 1),
            Column::number("population", "Population", "", 0),
            Column::text("unit", "Unit"),
        ],
        rows,
    )
}

/// The options line: campus, pack, boundary, non-CO2 effects.
fn options_line(inv: &InventoryResult) -> String {
    let o = &inv.options;
    format!(
        "campus {}; factors {}, {}, flights {}",
        inv.campus,
        o.pack,
        if o.boundary == Boundary::Wtw {
            "well-to-wheel"
        } else {
            "tank-to-wheel"
        },
        if o.include_rf {
            "with non-CO2 effects (RF)"
        } else {
            "without non-CO2 effects"
        }
    )
}

/// The telework memo line, if the survey has telework days.
fn telework_note(inv: &InventoryResult) -> Option<Block> {
    let tw = inv.telework.as_ref()?;
    let home = match &tw.home_working {
        Some(h) => format!(
            "home working counted at {} kg CO2e per telework day ({})",
            number(h.kg_per_day, 2),
            h.source
        ),
        None => "home-working emissions not counted (no factor configured)".into(),
    };
    Some(Block::Note {
        text: format!(
            "avoided by telework (a memo, not subtracted): {} t CO2e; {} telework days a year replace {} km of commuting; {home}",
            number(t(tw.avoided_co2e_kg), 1),
            number(tw.telework_days, 0),
            number(tw.avoided_km, 0)
        ),
    })
}

/// The comparison with the configured baseline.
fn baseline_blocks(inv: &InventoryResult) -> Vec<Block> {
    let Some(b) = &inv.baseline else {
        return Vec::new();
    };
    let share = match (b.share_of_footprint_pct, b.implied_footprint_t) {
        (Some(s), Some(f)) => format!(
            " ({} % of the footprint, which implies {} t)",
            number(s, 1),
            number(f, 0)
        ),
        _ => String::new(),
    };
    let mut items: Vec<String> = b
        .parts
        .iter()
        .map(|p| {
            format!(
                "{}: {} t = {} % of the baseline",
                p.label,
                number(p.co2e_t, 1),
                number(p.share_of_baseline_pct, 1)
            )
        })
        .collect();
    if let Some(s) = b.estimate_share_of_footprint_pct {
        items.push(format!(
            "the inventory is {} % of the implied footprint",
            number(s, 1)
        ));
    }
    vec![
        Block::Heading {
            text: "Against the baseline".into(),
        },
        Block::Paragraph {
            text: format!("baseline {} t CO2e{share}", number(b.co2e_t, 0)),
        },
        Block::Paragraph {
            text: format!("source: {}", b.source),
        },
        Block::Paragraph {
            text: format!(
                "this inventory {} t: {} t ({} %) against the baseline",
                number(b.estimate_t, 1),
                signed_number(b.difference_t, 1),
                signed_number(b.difference_pct, 1)
            ),
        },
        Block::List { items },
    ]
}

/// The first rejected rows (file:line: column: message) and how many more there are.
fn rejects_list(rejects: &[RejectedRow], shown: usize) -> Vec<Block> {
    if rejects.is_empty() {
        return Vec::new();
    }
    let mut items: Vec<String> = rejects
        .iter()
        .take(shown)
        .map(|rj| {
            format!(
                "{}:{}: {}{}",
                rj.file,
                rj.line.map(|l| l.to_string()).unwrap_or_default(),
                rj.column
                    .as_deref()
                    .map(|c| format!("column `{c}`: "))
                    .unwrap_or_default(),
                rj.message
            )
        })
        .collect();
    if rejects.len() > shown {
        items.push(format!(
            "... and {} more rejected rows (--rejects FILE writes them all)",
            rejects.len() - shown
        ));
    }
    vec![
        Block::Heading {
            text: "Rejected rows".into(),
        },
        Block::List { items },
    ]
}

/// What `footprint inventory` (and `commute`) prints: the title, the tables by category,
/// baseline, mode, group, department and per capita, the data quality and the notes.
pub fn inventory(inv: &InventoryResult, rejects: &[RejectedRow]) -> Vec<Block> {
    let title = if inv.organisation.is_empty() {
        "Commuting".to_string()
    } else {
        format!("Mobility inventory {}: {}", inv.year, inv.organisation)
    };
    let mut blocks = vec![
        Block::Paragraph { text: title },
        Block::Paragraph {
            text: options_line(inv),
        },
        Block::Table(categories_table(inv)),
    ];
    blocks.extend(telework_note(inv));
    blocks.extend(baseline_blocks(inv));
    if !inv.by_mode.is_empty() {
        blocks.push(Block::Table(mode_table(inv)));
    }
    blocks.extend(group_table(inv).map(Block::Table));
    if !inv.by_department.is_empty() {
        blocks.push(Block::Table(department_table(inv)));
    }
    if !inv.per_capita.is_empty() {
        blocks.push(Block::Table(per_capita_table(inv)));
    }
    blocks.push(Block::Table(input_files_table(inv)));
    blocks.extend(reject_reasons_table(inv).map(Block::Table));
    blocks.extend(rejects_list(rejects, 10));
    if !inv.notes.is_empty() {
        blocks.push(Block::Heading {
            text: "Notes".into(),
        });
        blocks.push(Block::List {
            items: inv.notes.clone(),
        });
    }
    blocks
}

/// One line of [`inventory_flat`]; what a section does not have stays empty.
#[derive(Default)]
struct FlatLine {
    section: &'static str,
    name: String,
    category: String,
    co2e_kg: Option<f64>,
    distance_km: Option<f64>,
    share_of_total_pct: Option<f64>,
    share_of_baseline_pct: Option<f64>,
    interval: Option<crate::inventory::IntervalOut>,
    population: Option<f64>,
    respondents: Option<usize>,
}

impl FlatLine {
    fn row(self) -> Row {
        Row::new(vec![
            Cell::text(self.section),
            Cell::Text(self.name),
            Cell::Text(self.category),
            number_or_empty(self.co2e_kg),
            number_or_empty(self.distance_km),
            number_or_empty(self.share_of_total_pct),
            number_or_empty(self.share_of_baseline_pct),
            number_or_empty(self.interval.map(|i| i.low_kg)),
            number_or_empty(self.interval.map(|i| i.high_kg)),
            number_or_empty(self.population),
            number_or_empty(self.respondents.map(|n| n as f64)),
        ])
    }
}

/// Every figure of an inventory as one flat table (section, name, category, numbers in kg
/// and km with 3 decimals): `footprint inventory --format csv`.
pub fn inventory_flat(r: &InventoryResult) -> Table {
    let mut lines = Vec::new();
    for c in &r.categories {
        lines.push(FlatLine {
            section: "category",
            name: c.label.into(),
            category: c.ghg_category.to_string(),
            co2e_kg: Some(c.co2e_kg),
            distance_km: Some(c.distance_km),
            share_of_total_pct: Some(c.share_of_total_pct),
            share_of_baseline_pct: c.share_of_baseline_pct,
            interval: c.interval,
            ..FlatLine::default()
        });
    }
    lines.push(FlatLine {
        section: "total",
        name: "total".into(),
        co2e_kg: Some(r.total.co2e_kg),
        distance_km: Some(r.total.distance_km),
        share_of_total_pct: Some(100.0),
        share_of_baseline_pct: r.baseline.as_ref().map(|b| 100.0 + b.difference_pct),
        interval: r.total.interval,
        ..FlatLine::default()
    });
    if let Some(t) = &r.telework {
        lines.push(FlatLine {
            section: "telework_avoided",
            name: "avoided by telework (memo, not in the total)".into(),
            category: "7".into(),
            co2e_kg: Some(t.avoided_co2e_kg),
            distance_km: Some(t.avoided_km),
            ..FlatLine::default()
        });
    }
    for m in &r.by_mode {
        lines.push(FlatLine {
            section: "mode",
            name: m.mode.clone(),
            category: m.category.into(),
            co2e_kg: Some(m.co2e_kg),
            distance_km: Some(m.distance_km),
            respondents: m.respondents,
            ..FlatLine::default()
        });
    }
    for g in &r.by_group {
        lines.push(FlatLine {
            section: "group",
            name: g.group.clone(),
            category: "commuting".into(),
            co2e_kg: Some(g.co2e_kg),
            distance_km: Some(g.distance_km),
            interval: g.interval,
            population: Some(g.population),
            respondents: Some(g.respondents),
            ..FlatLine::default()
        });
    }
    for d in &r.by_department {
        lines.push(FlatLine {
            section: "department",
            name: d.department.clone(),
            category: "business".into(),
            co2e_kg: Some(d.co2e_kg),
            distance_km: Some(d.distance_km),
            ..FlatLine::default()
        });
    }
    for p in &r.per_capita {
        lines.push(FlatLine {
            section: "per_capita",
            name: p.label.clone(),
            co2e_kg: Some(p.co2e_kg),
            population: Some(p.population),
            ..FlatLine::default()
        });
    }
    let kg = |key: &str| Column::number(key, key, "", 3);
    table(
        "inventory",
        "",
        vec![
            Column::text("section", "section"),
            Column::text("name", "name"),
            Column::text("category", "category"),
            kg("co2e_kg"),
            kg("distance_km"),
            kg("share_of_total_pct"),
            kg("share_of_baseline_pct"),
            kg("low_kg"),
            kg("high_kg"),
            kg("population"),
            Column::number("respondents", "respondents", "", 0),
        ],
        lines.into_iter().map(FlatLine::row).collect(),
    )
}

/// What `footprint wpm` prints: the RVO categories, what is not part of WPM, the notes.
pub fn wpm(w: &WpmReport) -> Vec<Block> {
    let mut rows: Vec<Row> = w
        .lines
        .iter()
        .map(|l| {
            Row::new(vec![
                Cell::text(l.label),
                Cell::Number(l.business_km),
                number_or_empty(l.business_eur),
                l.commuting_km.map_or(Cell::text("merged"), Cell::Number),
            ])
        })
        .collect();
    if let Some(m) = w.commuting_merged_km {
        rows.push(Row::new(vec![
            Cell::text("merged lines (too few respondents)"),
            Cell::Empty,
            Cell::Empty,
            Cell::Number(m),
        ]));
    }
    rows.push(Row::total(vec![
        Cell::text("Total"),
        Cell::Number(w.business_km),
        Cell::Empty,
        Cell::Number(w.commuting_km),
    ]));
    let lines = table(
        "wpm",
        format!(
            "WPM kilometres {} (Dutch employer report, RVO categories): {}",
            w.year, w.organisation
        ),
        vec![
            Column::text("category", "Category"),
            Column::number("business_km", "Business", "km", 0),
            Column::number("business_eur", "Business", "€", 2),
            Column::number("commuting_km", "Commuting", "km", 0),
        ],
        rows,
    );
    let excluded = table(
        "wpm-excluded",
        "Not part of WPM",
        vec![
            Column::text("what", "Travel"),
            Column::number("business_km", "Business", "km", 0),
            Column::number("commuting_km", "Commuting", "km", 0),
            Column::text("reason", "Why"),
        ],
        w.excluded
            .iter()
            .map(|e| {
                Row::new(vec![
                    Cell::text(&e.what),
                    Cell::Number(e.business_km),
                    e.commuting_km.map_or(Cell::text("not shown"), Cell::Number),
                    Cell::text(&e.reason),
                ])
            })
            .collect(),
    );
    vec![
        Block::Table(lines),
        Block::Table(excluded),
        Block::Heading {
            text: "Notes".into(),
        },
        Block::List {
            items: w.notes.clone(),
        },
    ]
}

/// The WPM table as one flat table (km with 3 decimals): `footprint wpm --format csv`.
pub fn wpm_flat(w: &WpmReport) -> Table {
    let mut rows: Vec<Row> = w
        .lines
        .iter()
        .map(|l| {
            Row::new(vec![
                Cell::text(l.category),
                Cell::text(l.label),
                Cell::Number(l.business_km),
                number_or_empty(l.business_eur),
                l.commuting_km.map_or(Cell::text("merged"), Cell::Number),
            ])
        })
        .collect();
    if let Some(m) = w.commuting_merged_km {
        rows.push(Row::new(vec![
            Cell::text("commuting_merged"),
            Cell::text("merged lines (too few respondents)"),
            Cell::Empty,
            Cell::Empty,
            Cell::Number(m),
        ]));
    }
    for e in &w.excluded {
        rows.push(Row::new(vec![
            Cell::text("excluded"),
            Cell::Text(format!("{} ({})", e.what, e.reason)),
            Cell::Number(e.business_km),
            Cell::Empty,
            e.commuting_km.map_or(Cell::text("not shown"), Cell::Number),
        ]));
    }
    let km = |key: &str| Column::number(key, key, "", 3);
    table(
        "wpm",
        "",
        vec![
            Column::text("category", "category"),
            Column::text("label", "label"),
            km("business_km"),
            km("business_eur"),
            km("commuting_km"),
        ],
        rows,
    )
}

/// Where a scenario comparison comes from, for its title lines.
#[derive(Debug, Clone, Copy)]
pub struct ScenarioSource<'a> {
    /// The organisation of the inventory.
    pub organisation: &'a str,
    /// The source of the configured baseline, if any.
    pub baseline_source: Option<&'a str>,
}

/// A scenario figure: "withheld" when the privacy rule withheld it
/// ([`crate::scenario::privacy`]), else the number.
fn fig(x: f64) -> Cell {
    if crate::scenario::privacy::is_withheld(x) {
        Cell::text("withheld")
    } else {
        Cell::Number(x)
    }
}

/// A scenario row count: "withheld" when withheld.
fn count(n: Option<usize>) -> Cell {
    n.map_or_else(|| Cell::text("withheld"), |n| Cell::Number(n as f64))
}

fn category_t(m: &std::collections::BTreeMap<String, f64>, k: &str) -> f64 {
    m.get(k).copied().unwrap_or(0.0)
}

/// The scenarios side by side (marginal savings when combined), with the notes: the
/// report's table and `footprint scenario`'s.
pub fn scenarios_table(c: &Comparison, baseline_source: Option<&str>) -> Table {
    let year = c.inventory_year;
    let combined = c.mode == "combined";
    let vs = c.configured_baseline_t.is_some();
    let mut columns = vec![
        Column::text("scenario", "Scenario"),
        Column::number("total_t", "Total", "t CO2e", 1),
        Column::number(
            "saving_t",
            if combined {
                "Marginal saving"
            } else {
                "Saving"
            },
            "t CO2e",
            1,
        ),
        Column::number("saving_pct", "Saving", "% of inventory", 1),
    ];
    if vs {
        columns.push(Column::number(
            "vs_baseline_pct",
            "Against baseline",
            "%",
            1,
        ));
    }
    columns.extend([
        Column::number("journeys_changed", "Journeys changed", "a year", 0),
        Column::number("commuters_changed", "Commuters changed", "", 0),
        Column::text("adoption", "Adoption"),
    ]);
    let mut rows = vec![{
        let mut r = vec![
            Cell::text(format!("Inventory {year} (computed)")),
            Cell::Number(c.baseline.total_t),
            Cell::Empty,
            Cell::Empty,
        ];
        if let Some(b) = c.configured_baseline_t {
            r.push(Cell::Number(pct(c.baseline.total_t - b, b)));
        }
        r.extend([Cell::Empty, Cell::Empty, Cell::Empty]);
        Row::new(r)
    }];
    for (i, s) in c.scenarios.iter().enumerate() {
        let mut r = vec![
            Cell::text(if combined && i > 0 {
                format!("+ {}", s.name)
            } else {
                s.name.clone()
            }),
            fig(s.totals.total_t),
            fig(if combined {
                s.marginal_saving_t
            } else {
                s.saving_t
            }),
            fig(if combined {
                pct(s.marginal_saving_t, c.baseline.total_t)
            } else {
                s.saving_pct
            }),
        ];
        if vs {
            r.push(s.change_vs_configured_pct.map_or(Cell::Empty, Cell::Number));
        }
        r.extend([
            fig(s.business_trips_affected),
            fig(s.commuters_affected),
            Cell::text(format!(
                "{}–{}{}",
                s.adoption.start_year,
                s.adoption.full_effect_year,
                if s.adoption_assumed { " (assumed)" } else { "" }
            )),
        ]);
        rows.push(Row::new(r));
    }
    let mut notes = vec![
        "Journeys changed are counted per traveller; commuters changed are extrapolated to the population. Adoption: the years over which a scenario reaches its full effect (\"assumed\": the file gives none, full effect the year after the inventory).".to_string(),
    ];
    if let Some(src) = baseline_source {
        notes.push(format!("Configured baseline: {src}"));
    }
    notes.extend(
        c.scenarios
            .iter()
            .filter_map(|s| s.withheld.as_ref().map(|w| format!("{}: {w}.", s.name))),
    );
    if combined {
        if let Some(t) = c
            .combined
            .as_ref()
            .filter(|t| !crate::scenario::privacy::is_withheld(t.total_t))
        {
            notes.push(format!(
                "All scenarios combined: {} CO2e, a saving of {} ({} %).",
                tonnes(t.total_t),
                tonnes(c.baseline.total_t - t.total_t),
                number(pct(c.baseline.total_t - t.total_t, c.baseline.total_t), 1)
            ));
        }
    }
    Table {
        id: "scenarios".into(),
        title: format!("Scenarios compared with the {year} inventory"),
        columns,
        rows,
        notes,
    }
}

/// One scenario's interventions, step by step (`i`: its place in the comparison): the
/// report's table and `footprint scenario`'s.
pub fn steps_table(i: usize, s: &ScenarioResult) -> Table {
    let steps: Vec<Row> = s
        .steps
        .iter()
        .map(|st| {
            Row::new(vec![
                Cell::text(&st.label),
                Cell::text(st.kind),
                count(st.rows_changed),
                fig(st.business_trips_affected),
                fig(st.commuters_affected),
                fig(st.saving_t),
                if st.rebound_share > 0.0 {
                    fig(st.rebound_t)
                } else {
                    Cell::Empty
                },
                fig(st.total_after_t),
            ])
        })
        .collect();
    Table {
        id: format!("scenario-{}-steps", i + 1),
        title: format!("{}: interventions", s.name),
        columns: vec![
            Column::text("intervention", "Intervention"),
            Column::text("type", "Type"),
            Column::number("rows_changed", "Rows changed", "", 0),
            Column::number("journeys_changed", "Journeys changed", "", 0),
            Column::number("commuters_changed", "Commuters changed", "", 0),
            Column::number("saving_t", "Saving", "t CO2e", 1),
            Column::number("rebound_t", "Rebound", "t CO2e", 1),
            Column::number("total_after_t", "Total after", "t CO2e", 1),
        ],
        rows: steps,
        notes: s
            .steps
            .iter()
            .filter_map(|st| st.withheld.as_ref().map(|w| format!("{}: {w}.", st.label)))
            .collect(),
    }
}

/// One scenario: its heading, adoption, steps, saving by mode and warnings.
fn scenario_blocks(c: &Comparison, i: usize, s: &ScenarioResult) -> Vec<Block> {
    let ramp = format!(
        "adoption {}–{}{}",
        s.adoption.start_year,
        s.adoption.full_effect_year,
        if s.adoption_assumed {
            " (none given: full effect the year after the inventory)"
        } else {
            ""
        }
    );
    let mut blocks = vec![Block::Heading {
        text: format!("{} ({}; {ramp})", s.name, s.file),
    }];
    if c.mode == "combined" {
        blocks.push(Block::Paragraph {
            text: format!(
                "starts from: {}; marginal saving {}",
                s.starts_from,
                if crate::scenario::privacy::is_withheld(s.marginal_saving_t) {
                    "withheld".to_string()
                } else {
                    format!("{} t", number(s.marginal_saving_t, 1))
                }
            ),
        });
    }
    if !s.steps.is_empty() {
        blocks.push(Block::Table(steps_table(i, s)));
    }
    let by_mode: Vec<String> = s
        .saving_by_mode_t
        .iter()
        .filter(|(_, v)| v.abs() >= 0.05)
        .map(|(k, v)| format!("{k} {}", number(*v, 1)))
        .collect();
    if !by_mode.is_empty() {
        blocks.push(Block::Paragraph {
            text: format!(
                "saving by mode, t (negative: the mode gains): {}",
                by_mode.join(", ")
            ),
        });
    }
    blocks.extend(s.warnings.iter().map(|w| Block::Paragraph {
        text: format!("warning: {w}"),
    }));
    blocks
}

/// The trajectory, one line per series and year.
fn trajectory_table(c: &Comparison) -> Table {
    let tr = &c.trajectory;
    let mut columns = vec![Column::text("line", "Line")];
    for y in tr.from_year..=tr.to_year {
        let key = y.to_string();
        columns.push(Column::number(&key, &key, "", 0));
    }
    let rows = tr
        .series
        .iter()
        .chain(&tr.target)
        .map(|s| {
            let mut cells = vec![Cell::text(&s.label)];
            for y in tr.from_year..=tr.to_year {
                cells.push(
                    s.points
                        .iter()
                        .find(|p| p.0 == y)
                        .map_or(Cell::Empty, |p| Cell::Number(p.1)),
                );
            }
            Row::new(cells)
        })
        .collect();
    table(
        "trajectory",
        format!(
            "Trajectory {}–{}, t CO2e ({})",
            tr.from_year, tr.to_year, tr.method
        ),
        columns,
        rows,
    )
}

/// What `footprint scenario` prints: what is compared with what, the scenarios side by
/// side, each scenario's steps and the trajectory.
pub fn scenarios(c: &Comparison, src: ScenarioSource<'_>) -> Vec<Block> {
    let mut basis = format!(
        "Savings are measured against the inventory's computed total, {} t CO2e.",
        number(c.baseline.total_t, 1)
    );
    if let Some(b) = c.configured_baseline_t {
        basis.push_str(&format!(
            " The configured baseline, {} t{}, is shown for reference (column `Against baseline`).",
            number(b, 0),
            src.baseline_source
                .map(|s| format!(" ({s})"))
                .unwrap_or_default()
        ));
    }
    let mut blocks = vec![
        Block::Paragraph {
            text: format!(
                "Scenarios for {}, inventory {} (pack {}), {}",
                src.organisation,
                c.inventory_year,
                c.pack,
                if c.mode == "combined" {
                    "combined: each scenario applied to the rows the previous one left"
                } else {
                    "each scenario on its own"
                }
            ),
        },
        Block::Paragraph { text: basis },
        Block::Table(scenarios_table(c, src.baseline_source)),
    ];
    for (i, s) in c.scenarios.iter().enumerate() {
        blocks.extend(scenario_blocks(c, i, s));
    }
    blocks.push(Block::Table(trajectory_table(c)));
    blocks
}

/// The comparison as one flat table, a line per scenario and per step:
/// `footprint scenario --format csv`.
pub fn scenarios_flat(c: &Comparison) -> Table {
    let cat = |m: &std::collections::BTreeMap<String, f64>, k: &str| fig(category_t(m, k));
    let mut rows = vec![Row::new(vec![
        Cell::Text(format!("Inventory {}", c.inventory_year)),
        Cell::Empty,
        Cell::text("inventory"),
        Cell::Number(c.baseline.total_t),
        Cell::Number(0.0),
        Cell::Number(0.0),
        Cell::Empty,
        cat(&c.baseline.by_category_t, "business"),
        cat(&c.baseline.by_category_t, "commuting"),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ])];
    for s in &c.scenarios {
        rows.push(Row::new(vec![
            Cell::text(&s.name),
            Cell::Empty,
            Cell::text("scenario"),
            fig(s.totals.total_t),
            fig(s.saving_t),
            fig(s.saving_pct),
            fig(s.steps.iter().map(|x| x.rebound_t).sum::<f64>()),
            cat(&s.totals.by_category_t, "business"),
            cat(&s.totals.by_category_t, "commuting"),
            fig(s.business_trips_affected),
            fig(s.commuters_affected),
            Cell::Empty,
            Cell::Empty,
            Cell::text(&s.file),
        ]));
        for st in &s.steps {
            rows.push(Row::new(vec![
                Cell::text(&s.name),
                Cell::text(&st.label),
                Cell::text(st.kind.to_string()),
                fig(st.total_after_t),
                fig(st.saving_t),
                Cell::Empty,
                fig(st.rebound_t),
                Cell::Empty,
                Cell::Empty,
                fig(st.business_trips_affected),
                fig(st.commuters_affected),
                count(st.rows_matched),
                count(st.rows_changed),
                Cell::text(&s.file),
            ]));
        }
    }
    let n = |key: &str, decimals: u8| Column::number(key, key, "", decimals);
    table(
        "scenarios",
        "",
        vec![
            Column::text("scenario", "scenario"),
            Column::text("step", "step"),
            Column::text("type", "type"),
            n("total_t", 3),
            n("saving_t", 3),
            n("saving_pct", 2),
            n("rebound_t", 3),
            n("business_t", 3),
            n("commuting_t", 3),
            n("business_trips_affected", 1),
            n("commuters_affected", 1),
            n("rows_matched", 0),
            n("rows_changed", 0),
            Column::text("file", "file"),
        ],
        rows,
    )
}

/// The groups of a business summary: for people (`machine` false: kg, share, passenger-km,
/// journeys) or as the flat CSV (`machine` true: every part in kg, 3 decimals).
pub fn business_groups(s: &BusinessSummary, machine: bool) -> Table {
    let mut columns: Vec<Column> = if s.by.is_empty() {
        vec![Column::text("group", "group")]
    } else {
        s.by.iter().map(|d| Column::text(d, d)).collect()
    };
    if machine {
        for key in [
            "co2e_kg",
            "distance_km",
            "journeys",
            "ttw_kg",
            "wtt_kg",
            "energy_wtw_kg",
            "non_co2_kg",
            "construction_kg",
        ] {
            let decimals = if key == "journeys" { 0 } else { 3 };
            columns.push(Column::number(key, key, "", decimals));
        }
    } else {
        columns.extend([
            Column::number("co2e_kg", "Emissions", "kg CO2e", 1),
            Column::number("share_pct", "Share", "%", 1),
            Column::number("distance_km", "Distance", "passenger-km", 0),
            Column::number("journeys", "Journeys", "", 0),
        ]);
    }
    let rows = s
        .groups
        .iter()
        .map(|g| {
            let mut cells: Vec<Cell> = if s.by.is_empty() {
                vec![Cell::text("total")]
            } else {
                g.values.iter().map(|(_, v)| Cell::text(v)).collect()
            };
            let p = &g.parts;
            if machine {
                cells.extend(
                    [
                        g.co2e_kg,
                        g.distance_km,
                        g.journeys as f64,
                        p.ttw_kg,
                        p.wtt_kg,
                        p.energy_wtw_kg,
                        p.non_co2_kg,
                        p.construction_kg,
                    ]
                    .map(Cell::Number),
                );
            } else {
                cells.extend([
                    Cell::Number(g.co2e_kg),
                    Cell::Number(pct(g.co2e_kg, s.total_co2e_kg)),
                    Cell::Number(g.distance_km),
                    Cell::Number(g.journeys as f64),
                ]);
            }
            Row::new(cells)
        })
        .collect();
    table("business", "", columns, rows)
}
