//! The report's "How sure are we?" section, from a [`SensitivityResult`].

use super::model::{Block, Cell, Chart, Column, Figure, Row, Section, Table};
use super::text::number;
use crate::chart::{ChartError, ChartFormat};
use crate::scenario::Comparison;
use crate::sensitivity::{SensitivityResult, charts};

fn t(kg: f64) -> f64 {
    kg / 1000.0
}

fn svg(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_default()
}

/// Half the width of the Monte Carlo 95 % interval, t: "the uncertainty of the total".
fn half_width_t(r: &SensitivityResult) -> Option<f64> {
    r.monte_carlo
        .as_ref()
        .map(|mc| t(mc.total.high_kg - mc.total.low_kg) / 2.0)
}

/// The headline figure: ± half the 95 % interval, next to the total.
pub fn headline_figure(r: &SensitivityResult) -> Option<Figure> {
    let mc = r.monte_carlo.as_ref()?;
    Some(
        Figure::new(
            "total_uncertainty_t",
            "How sure are we? (± half the 95 % interval)",
            t(mc.total.high_kg - mc.total.low_kg) / 2.0,
            "t CO2e",
            0,
        )
        .detail(format!(
            "Total between {} and {} t with every assumption's range and the survey drawn together ({} draws)",
            number(t(mc.total.low_kg), 0),
            number(t(mc.total.high_kg), 0),
            number(f64::from(mc.draws), 0)
        )),
    )
}

/// Each scenario's saving against the uncertainty of the total.
pub fn scenario_judgements(r: &SensitivityResult, c: &Comparison) -> Vec<String> {
    let Some(h) = half_width_t(r) else {
        return Vec::new();
    };
    c.scenarios
        .iter()
        .filter(|s| !crate::scenario::privacy::is_withheld(s.saving_t))
        .map(|s| {
            let verdict = if s.saving_t.abs() < h {
                "this saving is smaller than the uncertainty of the total"
            } else {
                "this saving is larger than the uncertainty of the total"
            };
            format!(
                "{}: saves {} t CO2e a year at full effect; {verdict} (± {} t).",
                s.name,
                number(s.saving_t, 0),
                number(h, 0)
            )
        })
        .collect()
}

fn methods_table(r: &SensitivityResult) -> Table {
    Table {
        id: "sensitivity-methods".into(),
        title: format!("Business travel {} under each method", r.year),
        columns: vec![
            Column::text("method", "Method"),
            Column::number("business_t", "Business travel", "t CO2e", 0),
            Column::number("flights_t", "Flights", "t CO2e", 0),
            Column::number("difference_pct", "Against the configured method", "%", 1),
            Column::text("grade", "Grades"),
            Column::text("includes", "What it includes"),
        ],
        rows: r
            .methods
            .iter()
            .map(|m| {
                Row::new(vec![
                    Cell::text(&m.label),
                    Cell::Number(t(m.business_kg)),
                    Cell::Number(t(m.flights_kg)),
                    Cell::Number(m.difference_pct),
                    Cell::text(&m.grade),
                    Cell::text(&m.includes),
                ])
            })
            .collect(),
        notes: r
            .methods_left_out
            .iter()
            .map(|m| format!("Left out: {} — {}.", m.label, m.reason))
            .collect(),
    }
}

fn tornado_table(r: &SensitivityResult) -> Table {
    Table {
        id: "sensitivity-tornado".into(),
        title: format!("What moves the {} total, one assumption at a time", r.year),
        columns: vec![
            Column::text("assumption", "Assumption"),
            Column::text("low", "Low"),
            Column::text("base", "As configured"),
            Column::text("high", "High"),
            Column::number("low_total_t", "Total at low", "t CO2e", 0),
            Column::number("high_total_t", "Total at high", "t CO2e", 0),
            Column::text("grade", "Grade"),
            Column::text("source", "Source or basis"),
        ],
        rows: r
            .tornado
            .iter()
            .map(|b| {
                Row::new(vec![
                    Cell::text(&b.label),
                    Cell::text(&b.low),
                    Cell::text(&b.base),
                    Cell::text(&b.high),
                    Cell::Number(t(b.low_total_kg)),
                    Cell::Number(t(b.high_total_kg)),
                    Cell::text(&b.grade),
                    Cell::text(&b.source),
                ])
            })
            .collect(),
        notes: r
            .tornado_left_out
            .iter()
            .map(|s| format!("Not shown: {s}."))
            .collect(),
    }
}

fn interval_tables(r: &SensitivityResult) -> Vec<Table> {
    let Some(mc) = &r.monte_carlo else {
        return Vec::new();
    };
    let mut rows = vec![Row::total(vec![
        Cell::text("total"),
        Cell::Number(t(mc.total.low_kg)),
        Cell::Number(t(mc.total.median_kg)),
        Cell::Number(t(mc.total.high_kg)),
    ])];
    for c in &mc.categories {
        rows.insert(
            rows.len() - 1,
            Row::new(vec![
                Cell::text(c.key.replace('_', " ")),
                Cell::Number(t(c.spread.low_kg)),
                Cell::Number(t(c.spread.median_kg)),
                Cell::Number(t(c.spread.high_kg)),
            ]),
        );
    }
    vec![
        Table {
            id: "sensitivity-interval".into(),
            title: format!("Monte Carlo 95 % interval, {}", r.year),
            columns: vec![
                Column::text("category", "Category"),
                Column::number("low_t", "2.5th percentile", "t CO2e", 0),
                Column::number("median_t", "Median", "t CO2e", 0),
                Column::number("high_t", "97.5th percentile", "t CO2e", 0),
            ],
            rows,
            notes: r.not_drawn.clone(),
        },
        Table {
            id: "sensitivity-explained".into(),
            title: "Share of the spread each assumption explains".into(),
            columns: vec![
                Column::text("assumption", "Assumption"),
                Column::number("share_pct", "Share of the variance", "%", 1),
            ],
            rows: mc
                .explained
                .iter()
                .map(|e| Row::new(vec![Cell::text(&e.label), Cell::Number(e.share_pct)]))
                .collect(),
            notes: vec![
                "Squared correlation of each assumption's drawn value with the total over the draws (first-order share of the variance)."
                    .into(),
            ],
        },
    ]
}

/// The section.
///
/// # Errors
/// A chart that cannot be drawn.
pub fn section(
    r: &SensitivityResult,
    scenarios: Option<&Comparison>,
) -> Result<Section, ChartError> {
    let mut blocks = Vec::new();
    let mut text = format!(
        "The total of {} t CO2e is one estimate among several defensible ones. Below, the same journeys under every method the tool can source, each assumption at its low and high value, and all of them drawn together with the survey resampling.",
        number(t(r.point.total_kg), 0)
    );
    if let Some(mc) = &r.monte_carlo {
        text.push_str(&format!(
            " {} draws (seed {}) give a 95 % interval of {}–{} t (median {} t).",
            number(f64::from(mc.draws), 0),
            mc.seed,
            number(t(mc.total.low_kg), 0),
            number(t(mc.total.high_kg), 0),
            number(t(mc.total.median_kg), 0)
        ));
    }
    blocks.push(Block::Paragraph { text });
    if let Some(mc) = &r.monte_carlo {
        blocks.push(Block::Figures {
            figures: vec![
                Figure::new(
                    "sensitivity_low_t",
                    "95 % interval low",
                    t(mc.total.low_kg),
                    "t CO2e",
                    0,
                ),
                Figure::new(
                    "sensitivity_point_t",
                    "Total as configured",
                    t(r.point.total_kg),
                    "t CO2e",
                    0,
                ),
                Figure::new(
                    "sensitivity_high_t",
                    "95 % interval high",
                    t(mc.total.high_kg),
                    "t CO2e",
                    0,
                ),
            ],
        });
    }
    if let Some(c) = scenarios {
        let items = scenario_judgements(r, c);
        if !items.is_empty() {
            blocks.push(Block::Heading {
                text: "Scenarios against the uncertainty".into(),
            });
            blocks.push(Block::List { items });
        }
    }
    blocks.push(Block::Heading {
        text: "Would another method change our number?".into(),
    });
    let title = format!("Business travel {} under each method", r.year);
    blocks.push(Block::Chart(Chart {
        id: charts::METHODS.into(),
        title: title.clone(),
        description: format!(
            "Horizontal bars of business-travel t CO2e per method on the same journeys: {}.",
            r.methods
                .iter()
                .map(|m| format!("{} {} t", m.label, number(t(m.business_kg), 0)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        svg: svg(charts::methods_chart(r, ChartFormat::Svg)?),
    }));
    blocks.push(Block::Table(methods_table(r)));
    if !r.tornado.is_empty() {
        blocks.push(Block::Heading {
            text: "What moves the total".into(),
        });
        blocks.push(Block::Chart(Chart {
            id: charts::TORNADO.into(),
            title: format!("What moves the {} total: one assumption at a time", r.year),
            description: format!(
                "Tornado chart: the total with one assumption at its low and at its high value, largest swing first: {}.",
                r.tornado
                    .iter()
                    .map(|b| format!(
                        "{} {}–{} t",
                        b.label,
                        number(t(b.low_total_kg), 0),
                        number(t(b.high_total_kg), 0)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            svg: svg(charts::tornado_chart(r, ChartFormat::Svg)?),
        }));
        blocks.push(Block::Table(tornado_table(r)));
    }
    blocks.extend(interval_tables(r).into_iter().map(Block::Table));
    Ok(Section {
        id: "how-sure".into(),
        title: "How sure are we?".into(),
        blocks,
    })
}
