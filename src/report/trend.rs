//! The report section "Since the base year" of a [`Trend`]: the charts (emissions by category
//! and mode per year, the way to the target, the activity/intensity waterfall from the base
//! year to the latest) and the tables; also what `footprint trend` prints.

use super::model::{Block, Cell, Chart, Column, Figure, ReportModel, Row, Section, Table};
use super::text::{number, signed_number};
use crate::chart::{
    ChartError, ChartFormat, Series as Line, StackedBar, WaterfallStep, stacked_bars, trajectory,
    waterfall,
};
use crate::trend::{ChangeOut, Trend, YearOut};

/// The section's id (also the key of the trend in `summary.json`).
pub const SECTION_ID: &str = "trend";

/// Cells smaller than this share of the largest year's total are drawn as "other" in the
/// stacked chart (the tables keep every cell).
const SMALL_SHARE: f64 = 0.02;

fn category_label(key: &str) -> &str {
    match key {
        "business" => "business travel",
        "commuting" => "commuting",
        "home_working" => "home working",
        other => other,
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn year_label(t: &Trend, y: i32) -> String {
    if y == t.base_year {
        format!("{y} (base year)")
    } else {
        y.to_string()
    }
}

/// The bars of the stacked chart: t CO2e per category × mode, small cells merged.
fn stacked(t: &Trend) -> Vec<StackedBar> {
    let max_kg = t
        .years
        .iter()
        .map(|y| y.co2e_t * 1000.0)
        .fold(0.0, f64::max);
    // A cell is drawn on its own when it is large in any year.
    let big = |category: &str, mode: &str| {
        t.years.iter().any(|y| {
            y.cells.iter().any(|c| {
                c.category == category && c.mode == mode && c.co2e_kg >= SMALL_SHARE * max_kg
            })
        })
    };
    t.years
        .iter()
        .map(|y| {
            let mut segments: Vec<(String, f64)> = Vec::new();
            let mut push = |key: String, v: f64| match segments.iter_mut().find(|s| s.0 == key) {
                Some(s) => s.1 += v,
                None => segments.push((key, v)),
            };
            for c in &y.cells {
                let key = if c.category == "home_working" {
                    "home working".to_string()
                } else if big(&c.category, &c.mode) {
                    format!("{} {}", c.mode, category_short(&c.category))
                } else {
                    format!("other {}", category_short(&c.category))
                };
                push(key, c.co2e_kg / 1000.0);
            }
            StackedBar {
                label: year_label(t, y.year),
                segments,
            }
        })
        .collect()
}

fn category_short(key: &str) -> &str {
    match key {
        "business" => "(business)",
        "commuting" => "(commuting)",
        other => other,
    }
}

/// The way to the target: restated totals, figures reported at the time, the target path.
fn lines(t: &Trend) -> (Vec<Line>, Option<Line>) {
    let mut v = vec![Line {
        label: "Restated like for like".into(),
        colour_key: "total".into(),
        points: t.years.iter().map(|y| (y.year, y.co2e_t)).collect(),
        dashed: false,
    }];
    let reported: Vec<(i32, f64)> = t
        .years
        .iter()
        .filter_map(|y| y.reported.as_ref().map(|r| (y.year, r.co2e_t)))
        .collect();
    if !reported.is_empty() {
        v.push(Line {
            label: "Reported at the time".into(),
            colour_key: "other".into(),
            points: reported,
            dashed: true,
        });
    }
    let target = t.target.as_ref().map(|g| Line {
        label: format!(
            "Target: −{} % by {} (straight path)",
            number(g.reduction_pct, 0),
            g.year
        ),
        colour_key: "target".into(),
        points: vec![(t.base_year, g.base_co2e_t), (g.year, g.target_co2e_t)],
        dashed: true,
    });
    (v, target)
}

fn since_base(t: &Trend) -> Option<&ChangeOut> {
    t.changes.iter().find(|c| c.kind == "since_base_year")
}

/// The waterfall steps base → latest: activity and intensity per category.
fn steps(c: &ChangeOut) -> Vec<WaterfallStep> {
    let mut v = Vec::new();
    for cat in &c.categories {
        let name = capitalised(category_label(&cat.category));
        let unit = if cat.category == "home_working" {
            "days"
        } else {
            "km"
        };
        v.push(WaterfallStep {
            label: format!("{name}: activity ({unit})"),
            delta: cat.split.activity_kg / 1000.0,
        });
        v.push(WaterfallStep {
            label: format!("{name}: intensity (kg per {})", unit.trim_end_matches('s')),
            delta: cat.split.intensity_kg / 1000.0,
        });
    }
    v
}

/// One chart of the section.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    /// File stem and chart id, e.g. `trend-by-mode`.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it shows, in words (the page's text alternative).
    pub description: String,
    /// SVG text or PNG bytes.
    pub bytes: Vec<u8>,
}

/// The section's charts.
///
/// # Errors
/// A chart that cannot be drawn.
pub fn charts(t: &Trend, format: ChartFormat) -> Result<Vec<TrendChart>, ChartError> {
    let mut out = Vec::new();
    let title = format!(
        "Emissions by category and mode, {}–{}",
        t.base_year, t.latest_year
    );
    out.push(TrendChart {
        id: "trend-by-mode".to_string(),
        description: format!(
            "Stacked bars: t CO2e per year restated like for like, by category and mode; the dashed line is the base year {}.",
            t.base_year
        ),
        bytes: stacked_bars(&title, "t CO2e", &stacked(t), format)?,
        title,
    });
    let (series, target) = lines(t);
    let title = match &t.target {
        Some(g) => format!(
            "The way to the target: −{} % by {}",
            number(g.reduction_pct, 0),
            g.year
        ),
        None => "Restated totals and the figures reported at the time".to_string(),
    };
    out.push(TrendChart {
        id: "trend-target".to_string(),
        description: "Lines: restated totals, the totals reported at the time, and the straight path from the base year to the target.".to_string(),
        bytes: trajectory(&title, "t CO2e", &series, target.as_ref(), format)?,
        title,
    });
    if let Some(c) = since_base(t) {
        let title = format!("What changed {}–{}: activity and intensity", c.from, c.to);
        out.push(TrendChart {
            id: "trend-waterfall".to_string(),
            description: "Waterfall: the base-year total, the change due to activity (km travelled) and to intensity (kg per km) per category, and the latest total.".to_string(),
            bytes: waterfall(
                &title,
                "t CO2e",
                &c.from.to_string(),
                kg_t(
                    t.years
                        .iter()
                        .find(|y| y.year == c.from)
                        .map_or(0.0, |y| y.co2e_t * 1000.0),
                ),
                &steps(c),
                &c.to.to_string(),
                format,
            )?,
            title,
        });
    }
    Ok(out)
}

fn kg_t(kg: f64) -> f64 {
    kg / 1000.0
}

fn opt(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Number)
}

/// Years: restated totals, categories and the target path.
fn years_table(t: &Trend) -> Table {
    let cat = |y: &YearOut, k: &str| y.categories.iter().find(|c| c.key == k).map(|c| c.co2e_t);
    Table {
        id: "trend-years".into(),
        title: format!("Every year restated like for like ({})", method_text(t)),
        columns: vec![
            Column::text("year", "Year"),
            Column::number("co2e_t", "Restated", "t CO2e", 1),
            Column::number("business_t", "Business travel", "t", 1),
            Column::number("commuting_t", "Commuting", "t", 1),
            Column::number("change_from_base_pct", "Since base year", "%", 1),
            Column::number("target_path_t", "Target path", "t", 1),
            Column::number("gap_t", "Gap to path", "t", 1),
        ],
        rows: t
            .years
            .iter()
            .map(|y| {
                Row::new(vec![
                    Cell::text(year_label(t, y.year)),
                    Cell::Number(y.co2e_t),
                    opt(cat(y, "business")),
                    opt(cat(y, "commuting")),
                    Cell::Number(y.change_from_base_pct),
                    opt(y.target_path_t),
                    opt(y.gap_to_target_path_t),
                ])
            })
            .collect(),
        notes: t
            .target
            .as_ref()
            .map(|g| format!("Target path: {}.", g.path))
            .into_iter()
            .collect(),
    }
}

/// The intensity figures officers publish, per year.
fn intensity_table(t: &Trend) -> Table {
    Table {
        id: "trend-intensity".into(),
        title: "Intensities: per employee, per student, per km, short flights".into(),
        columns: vec![
            Column::text("year", "Year"),
            Column::number("kg_per_employee", "Per employee", "kg", 0),
            Column::number("business_kg_per_employee", "Business travel per employee", "kg", 0),
            Column::number("kg_per_student", "Per student", "kg", 0),
            Column::number("kg_per_km", "Per km", "kg", 3),
            Column::number("business_kg_per_pkm", "Business per passenger-km", "kg", 3),
            Column::number("commuting_kg_per_pkm", "Commuting per person-km", "kg", 3),
            Column::number("short_flights_pct", "Flights under 700 km", "%", 1),
        ],
        rows: t
            .years
            .iter()
            .map(|y| {
                let i = &y.intensity;
                Row::new(vec![
                    Cell::text(year_label(t, y.year)),
                    opt(i.kg_per_employee),
                    opt(i.business_kg_per_employee),
                    opt(i.kg_per_student),
                    opt(i.kg_per_km),
                    opt(i.business_kg_per_pkm),
                    opt(i.commuting_kg_per_pkm),
                    opt(i.flights_under_700km_share_pct),
                ])
            })
            .collect(),
        notes: vec![
            "Per employee: the total over the population of the groups with role staff (units as configured); per student: over the groups with role student; per km: over business passenger-km and commuting person-km; flights under 700 km: passenger flights (a round trip counts twice) whose one-way travelled distance is below 700 km.".into(),
        ],
    }
}

/// The restating method in words: pack, boundary, RF, rail rule.
pub fn method_text(t: &Trend) -> String {
    let f = &t.method.factors;
    format!(
        "{}, {}, RF {}, rail by {}",
        f.pack,
        match f.boundary {
            crate::inventory::Boundary::Wtw => "well-to-wheel",
            crate::inventory::Boundary::Ttw => "tank-to-wheel",
        },
        if f.rf { "on" } else { "off" },
        f.rail_factor.as_str()
    )
}

/// As configured, restated and reported.
fn restatement_table(t: &Trend) -> Table {
    Table {
        id: "trend-restatement".into(),
        title: "Restatement: the year's own method, the common method and the figure reported at the time".into(),
        columns: vec![
            Column::text("year", "Year"),
            Column::number("as_configured_t", "As configured", "t", 1),
            Column::number("restated_t", "Restated", "t", 1),
            Column::number("method_effect_pct", "Method effect", "%", 1),
            Column::number("reported_t", "Reported", "t", 1),
            Column::number("difference_t", "Difference", "t", 1),
            Column::number("method_t", "Method", "t", 1),
            Column::number("activity_t", "Activity, data", "t", 1),
            Column::text("significant", "Significant"),
        ],
        rows: t
            .years
            .iter()
            .map(|y| {
                let r = y.reported.as_ref();
                let significant = y.significant_method_change || r.is_some_and(|r| r.significant);
                Row::new(vec![
                    Cell::text(year_label(t, y.year)),
                    Cell::Number(y.as_configured.co2e_t),
                    Cell::Number(y.co2e_t),
                    Cell::Number(y.method_effect_pct),
                    opt(r.map(|r| r.co2e_t)),
                    opt(r.map(|r| r.difference_t)),
                    opt(r.map(|r| r.method_t)),
                    opt(r.map(|r| r.activity_t)),
                    Cell::text(if significant { "yes" } else { "no" }),
                ])
            })
            .collect(),
        notes: vec![format!(
            "Difference: restated − reported = method (restated − as configured) + activity and data (as configured − reported). Significant: a change of at least {} % (the series' threshold). {}",
            number(t.significance.threshold_pct, 1),
            t.significance.basis
        )],
    }
}

/// Every period's change per category, split.
fn changes_table(t: &Trend) -> Table {
    let mut rows = Vec::new();
    for c in &t.changes {
        let period = if c.kind == "since_base_year" {
            format!("{}–{} (since base year)", c.from, c.to)
        } else {
            format!("{}–{}", c.from, c.to)
        };
        for cat in &c.categories {
            rows.push(Row::new(vec![
                Cell::text(period.clone()),
                Cell::text(category_label(&cat.category)),
                Cell::Number(kg_t(cat.split.change_kg)),
                Cell::Number(kg_t(cat.split.activity_kg)),
                Cell::Number(kg_t(cat.split.intensity_kg)),
            ]));
        }
        rows.push(Row::total(vec![
            Cell::text(period),
            Cell::text("total"),
            Cell::Number(kg_t(c.total.change_kg)),
            Cell::Number(kg_t(c.total.activity_kg)),
            Cell::Number(kg_t(c.total.intensity_kg)),
        ]));
    }
    Table {
        id: "trend-changes".into(),
        title: "What changed: activity (km) and intensity (kg per km) per category".into(),
        columns: vec![
            Column::text("period", "Period"),
            Column::text("category", "Category"),
            Column::number("change_t", "Change", "t", 1),
            Column::number("activity_t", "Activity", "t", 1),
            Column::number("intensity_t", "Intensity", "t", 1),
        ],
        rows,
        notes: vec![
            "Activity + intensity = change, exactly (to the gram): ΔE = Δkm × (i0 + i1) / 2 + Δi × (km0 + km1) / 2 per mode, summed; a mode absent in one year is all activity.".into(),
        ],
    }
}

/// Base year → latest per cell.
fn cells_table(t: &Trend) -> Option<Table> {
    let c = since_base(t)?;
    let mut cells: Vec<_> = c.cells.iter().collect();
    cells.sort_by(|a, b| {
        b.split
            .change_kg
            .abs()
            .total_cmp(&a.split.change_kg.abs())
            .then_with(|| a.category.cmp(&b.category))
            .then_with(|| a.mode.cmp(&b.mode))
    });
    let per = |kg: f64, a: f64| (a > 0.0).then(|| kg / a);
    Some(Table {
        id: "trend-modes".into(),
        title: format!("By category and mode, {}–{}", c.from, c.to),
        columns: vec![
            Column::text("category", "Category"),
            Column::text("mode", "Mode"),
            Column::number("from_km", &format!("Activity {}", c.from), "million km", 2),
            Column::number("to_km", &format!("Activity {}", c.to), "million km", 2),
            Column::number(
                "from_kg_per_km",
                &format!("Intensity {}", c.from),
                "kg/km",
                3,
            ),
            Column::number("to_kg_per_km", &format!("Intensity {}", c.to), "kg/km", 3),
            Column::number("change_t", "Change", "t", 1),
            Column::number("activity_t", "Activity", "t", 1),
            Column::number("intensity_t", "Intensity", "t", 1),
        ],
        rows: cells
            .iter()
            .map(|x| {
                Row::new(vec![
                    Cell::text(category_label(&x.category)),
                    Cell::Mode {
                        text: crate::chart::mode_name(&x.mode),
                        key: x.mode.clone(),
                    },
                    Cell::Number(x.from_activity / 1e6),
                    Cell::Number(x.to_activity / 1e6),
                    opt(per(x.from_kg, x.from_activity)),
                    opt(per(x.to_kg, x.to_activity)),
                    Cell::Number(kg_t(x.split.change_kg)),
                    Cell::Number(kg_t(x.split.activity_kg)),
                    Cell::Number(kg_t(x.split.intensity_kg)),
                ])
            })
            .collect(),
        notes: vec![
            "Home working: activity in telework days (not million km), intensity in kg per day."
                .into(),
        ],
    })
}

/// Every table of the trend, in the order the report shows them.
pub fn tables(t: &Trend) -> Vec<Table> {
    let mut v = vec![
        years_table(t),
        restatement_table(t),
        intensity_table(t),
        changes_table(t),
    ];
    v.extend(cells_table(t));
    v
}

fn summary_text(t: &Trend) -> String {
    let first = t.years.iter().find(|y| y.year == t.base_year);
    let last = t.years.last();
    let (Some(b), Some(l)) = (first, last) else {
        return String::new();
    };
    let mut s = format!(
        "{} years from {} (base year) to {}, each evaluated from its own exports and survey with one method ({}; rule: {}). The restated total went from {} t CO2e in {} to {} t in {} ({} %).",
        t.years.len(),
        t.base_year,
        t.latest_year,
        method_text(t),
        t.method.rule,
        number(b.co2e_t, 0),
        b.year,
        number(l.co2e_t, 0),
        l.year,
        signed_number(l.change_from_base_pct, 1)
    );
    if let Some(c) = since_base(t) {
        s.push_str(&format!(
            " Of that change, {} t is activity (more or fewer km) and {} t intensity (kg per km: modes, fuels, occupancy, factors).",
            signed_number(kg_t(c.total.activity_kg), 0),
            signed_number(kg_t(c.total.intensity_kg), 0)
        ));
    }
    if let (Some(g), Some(gap)) = (&t.target, l.gap_to_target_path_t) {
        s.push_str(&format!(
            " The target is −{} % by {} ({} t); in {} the total is {} t {} the straight path to it.",
            number(g.reduction_pct, 0),
            g.year,
            number(g.target_co2e_t, 0),
            l.year,
            number(gap.abs(), 0),
            if gap > 0.0 { "above" } else { "below" }
        ));
    }
    s
}

/// The section "Since the base year".
///
/// # Errors
/// A chart that cannot be drawn.
pub fn section(t: &Trend) -> Result<Section, ChartError> {
    let mut blocks = vec![Block::Paragraph {
        text: summary_text(t),
    }];
    blocks.push(Block::Note {
        text: format!(
            "Base-year recalculation: {}.",
            t.base_year_recalculation.message
        ),
    });
    for c in charts(t, ChartFormat::Svg)? {
        blocks.push(Block::Chart(Chart {
            id: c.id,
            title: c.title,
            description: c.description,
            svg: String::from_utf8(c.bytes).unwrap_or_default(),
        }));
    }
    blocks.extend(tables(t).into_iter().map(Block::Table));
    blocks.push(Block::List {
        items: t.notes.clone(),
    });
    if let Some(g) = &t.target {
        blocks.push(Block::Note {
            text: format!("Target source: {}.", g.source),
        });
    }
    let sources: Vec<String> = t
        .years
        .iter()
        .filter_map(|y| {
            y.reported
                .as_ref()
                .map(|r| format!("{}: {} t, {}", y.year, number(r.co2e_t, 0), r.source))
        })
        .collect();
    if !sources.is_empty() {
        blocks.push(Block::Definitions {
            items: vec![("Reported at the time".into(), sources.join("; "))],
        });
    }
    Ok(Section {
        id: SECTION_ID.into(),
        title: "Since the base year".into(),
        blocks,
    })
}

/// Adds the trend to a yearly report: the section after the summary, a headline figure, and
/// the trend's JSON in `summary.json` (`results.trend`).
///
/// # Errors
/// A chart that cannot be drawn.
pub fn add_to(model: &mut ReportModel, t: &Trend) -> Result<(), ChartError> {
    let at = 1.min(model.sections.len());
    model.sections.insert(at, section(t)?);
    if let Some(l) = t.years.last() {
        model.headline.push(
            Figure::new(
                "since-base-year",
                &format!("Since {} (restated)", t.base_year),
                l.change_from_base_pct,
                "%",
                1,
            )
            .signed()
            .detail(format!(
                "{} t in {} → {} t in {}",
                number(
                    t.years
                        .iter()
                        .find(|y| y.year == t.base_year)
                        .map_or(0.0, |y| y.co2e_t),
                    0
                ),
                t.base_year,
                number(l.co2e_t, 0),
                l.year
            )),
        );
    }
    model.results.insert(
        SECTION_ID.to_string(),
        serde_json::to_value(t).unwrap_or(serde_json::Value::Null),
    );
    Ok(())
}
