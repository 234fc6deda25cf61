//! From results to a [`ReportModel`]: the one place that knows both the inventory (and
//! scenario) results and the report's layout. Every number comes from the inventory's own
//! evaluation ([`InventoryResult`], and its per-row results for the breakdowns the result does
//! not carry: destination country, distance band, factors used).

use crate::mode::Mode;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::model::{
    Attribution, Block, Cell, Chart, Column, Figure, Meta, ReportModel, Row, Section, Table,
};
use super::text::number;
use super::views;
use crate::breakdown::DistanceBand;
use crate::chart::{
    BandBin, BarItem, ChartError, ChartFormat, MapLine, destination_map, distance_bands,
    horizontal_bars, mode_name,
};
use crate::factors::PackSet;
use crate::inventory::Boundary;
use crate::inventory::{
    EvalError, EvalOptions, InventoryResult, InventoryRows, RowResults, evaluate_rows,
};
use crate::places::Gazetteer;
use crate::scenario::{Comparison, charts as scenario_charts};

/// Why a report cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The inventory rows cannot be evaluated.
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// A chart cannot be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),
}

/// What a report is built from.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// The inventory's rows (business journeys, survey respondents).
    pub rows: &'a InventoryRows,
    /// The options they were evaluated with.
    pub options: &'a EvalOptions,
    /// The inventory result (as `footprint inventory` computes it).
    pub inventory: &'a InventoryResult,
    /// The rows' results it was summed from ([`evaluate_rows`]); `None`: evaluated here.
    pub row_results: Option<&'a RowResults>,
    /// The factor packs used.
    pub packs: &'a PackSet,
    /// Generation date `YYYY-MM-DD`, if the user gave one.
    pub date: Option<String>,
    /// Input file names for the provenance line (as the user wrote them).
    pub inputs: Vec<String>,
    /// Tool name and version.
    pub generator: String,
    /// Scenarios compared with the inventory, if any.
    pub scenarios: Option<ScenarioInput<'a>>,
    /// Methods, tornado and Monte Carlo interval ("How sure are we?"), if computed.
    pub sensitivity: Option<&'a crate::sensitivity::SensitivityResult>,
}

/// Scenarios for the report.
#[derive(Debug, Clone)]
pub struct ScenarioInput<'a> {
    /// The comparison (as `footprint scenario` computes it).
    pub comparison: &'a Comparison,
    /// The JSON `footprint scenario --format json` prints for it, embedded in `summary.json`.
    pub json: Value,
    /// The source of the configured baseline, if any.
    pub baseline_source: Option<String>,
}

/// t from kg.
pub(super) fn t(kg: f64) -> f64 {
    kg / 1000.0
}

/// `part` as % of `whole` (0 when `whole` is 0).
pub(super) fn pct(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        100.0 * part / whole
    }
}

/// An SVG chart as text.
fn svg(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_default()
}

/// `12,345 t`.
pub(super) fn tonnes(v: f64) -> String {
    format!("{} t", number(v, 0))
}

/// A built report: the model to render. The row-level files that go with it (`audit.csv`,
/// `rejects.csv`) are streamed from the rows and their results by [`super::audit::row_files`],
/// never held in memory.
#[derive(Debug, Clone)]
pub struct Built {
    /// What the page, Markdown, JSON, CSV tables and workbook show.
    pub model: ReportModel,
}

/// Builds the report.
///
/// # Errors
///
/// [`BuildError::Eval`] if the rows cannot be evaluated again for the per-row breakdowns,
/// [`BuildError::Chart`] if a chart cannot be drawn.
pub fn build(input: &ReportInput<'_>) -> Result<Built, BuildError> {
    let inv = input.inventory;
    let evaluated;
    let rr = match input.row_results {
        Some(rr) => rr,
        None => {
            evaluated = evaluate_rows(input.packs, input.rows, input.options)?;
            &evaluated
        }
    };
    let mut sections = vec![summary_section(inv)];
    sections.push(mode_section(inv)?);
    if input.rows.has_business {
        sections.push(business_section(input, rr)?);
    }
    if let Some(c) = commuting_section(inv)? {
        sections.push(c);
    }
    if let Some(sc) = &input.scenarios {
        // The scenario command's own charts (no journeys: the business section has the
        // distance bands and the map).
        let charts =
            scenario_charts::render_all(sc.comparison, &[], ("", 0.0, 0.0), ChartFormat::Svg)?;
        sections.push(scenario_section(sc, &charts));
        sections.push(trajectory_section(sc, &charts));
    }
    if let Some(s) = input.sensitivity {
        let comparison = input.scenarios.as_ref().map(|sc| sc.comparison);
        sections.push(super::sensitivity::section(s, comparison)?);
    }
    sections.push(quality_section(inv, &input.inputs));
    // Counted once over the journeys: the methodology tables and the attributions read it.
    let used = factors_used(rr);
    sections.push(methodology_section(input, &used));

    let mut results = Map::new();
    results.insert(
        "inventory".to_string(),
        serde_json::to_value(inv).unwrap_or(Value::Null),
    );
    if let Some(sc) = &input.scenarios {
        results.insert("scenarios".to_string(), sc.json.clone());
    }
    if let Some(s) = input.sensitivity {
        results.insert(
            "sensitivity".to_string(),
            serde_json::to_value(s).unwrap_or(Value::Null),
        );
    }
    let mut headline = headline(inv, input.scenarios.as_ref());
    if let Some(f) = input
        .sensitivity
        .and_then(super::sensitivity::headline_figure)
    {
        headline.insert(1.min(headline.len()), f);
    }
    let model = ReportModel {
        meta: Meta {
            organisation: inv.organisation.clone(),
            year: inv.year,
            title: format!("Mobility footprint {}", inv.year),
            subtitle: subtitle(inv, input.scenarios.as_ref()),
            date: input.date.clone(),
            generator: input.generator.clone(),
            inputs: input.inputs.clone(),
        },
        headline,
        sections,
        attributions: attributions(input, &used),
        results,
    };
    Ok(Built { model })
}

fn category<'a>(inv: &'a InventoryResult, key: &str) -> Option<&'a crate::inventory::CategoryOut> {
    inv.categories.iter().find(|c| c.key == key)
}

fn subtitle(inv: &InventoryResult, scenarios: Option<&ScenarioInput<'_>>) -> String {
    let mut parts = Vec::new();
    if category(inv, "business").is_some() {
        parts.push("business travel (GHG Protocol scope 3, category 6)");
    }
    if category(inv, "commuting").is_some() {
        parts.push("commuting (category 7)");
    }
    let what = match parts.as_slice() {
        [] => "Mobility".to_string(),
        [one] => capitalise(one),
        [a, b] => format!("{} and {b}", capitalise(a)),
        _ => parts.join(", "),
    };
    let mut s = format!(
        "{what} of {} in {}, from the organisation's own travel records and commuting survey",
        inv.organisation, inv.year
    );
    if let Some(b) = &inv.baseline {
        s.push_str(&format!(
            ", compared with the baseline of {} CO2e",
            tonnes(b.co2e_t)
        ));
    }
    s.push('.');
    if let Some(sc) = scenarios {
        let n = sc.comparison.scenarios.len();
        s.push_str(&format!(
            " With {n} reduction scenario{} and the trajectory to {}.",
            if n == 1 { "" } else { "s" },
            sc.comparison.trajectory.to_year
        ));
    }
    s
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn interval_text(i: &crate::inventory::IntervalOut) -> String {
    format!(
        "{} % interval {}–{} t",
        number(i.level_pct, 0),
        number(i.low_t, 0),
        number(i.high_t, 0)
    )
}

fn headline(inv: &InventoryResult, scenarios: Option<&ScenarioInput<'_>>) -> Vec<Figure> {
    let mut figs = Vec::new();
    let mut total = Figure::new(
        "total_t",
        "Total mobility emissions",
        inv.total.co2e_t,
        "t CO2e",
        0,
    );
    let mut detail = format!("Business travel and commuting, {}", inv.year);
    if let Some(i) = &inv.total.interval {
        detail.push_str(&format!("; {} from survey sampling", interval_text(i)));
    }
    if let Some(b) = &inv.baseline {
        detail.push_str(&format!(
            "; {} % of the {} baseline",
            number(pct(b.estimate_t, b.co2e_t), 0),
            tonnes(b.co2e_t)
        ));
        total = total.bar(pct(b.estimate_t, b.co2e_t));
    }
    figs.push(total.detail(detail));
    if let Some(c) = category(inv, "business") {
        let journeys: f64 = inv.by_department.iter().map(|d| d.journeys).sum();
        figs.push(
            Figure::new(
                "business_t",
                "Business travel · cat. 6",
                c.co2e_t,
                "t CO2e",
                0,
            )
            .detail(format!(
                "{} % of the total; {} journeys, {} million passenger-km",
                number(c.share_of_total_pct, 0),
                number(journeys, 0),
                number(c.distance_km / 1e6, 1)
            ))
            .bar(c.share_of_total_pct),
        );
    }
    if let Some(c) = category(inv, "commuting") {
        let mut d = format!("{} % of the total", number(c.share_of_total_pct, 0));
        if let Some(i) = &c.interval {
            d.push_str(&format!("; {}", interval_text(i)));
        }
        if let Some(cm) = &inv.commuting {
            d.push_str(&format!(
                "; {} respondents for {} people",
                number(cm.respondents as f64, 0),
                number(cm.population, 0)
            ));
        }
        figs.push(
            Figure::new("commuting_t", "Commuting · cat. 7", c.co2e_t, "t CO2e", 0)
                .detail(d)
                .bar(c.share_of_total_pct),
        );
    }
    if let Some(c) = category(inv, "home_working") {
        figs.push(
            Figure::new("home_working_t", "Home working", c.co2e_t, "t CO2e", 0).detail(format!(
                "{} % of the total",
                number(c.share_of_total_pct, 0)
            )),
        );
    }
    if let Some(b) = &inv.baseline {
        let mut d = format!("Baseline {} CO2e", tonnes(b.co2e_t));
        if let Some(s) = b.share_of_footprint_pct {
            d.push_str(&format!(
                ", {} % of the organisation's footprint",
                number(s, 0)
            ));
        }
        d.push_str(&format!(
            "; this estimate is {} {} it",
            tonnes(b.difference_t.abs()),
            if b.difference_t <= 0.0 {
                "below"
            } else {
                "above"
            }
        ));
        if let Some(s) = b.estimate_share_of_footprint_pct {
            d.push_str(&format!(" and {} % of the implied footprint", number(s, 0)));
        }
        figs.push(
            Figure::new(
                "baseline_difference_pct",
                "Against the baseline",
                b.difference_pct,
                "%",
                1,
            )
            .detail(d)
            .signed(),
        );
    }
    if let Some(best) = scenarios.and_then(|sc| {
        sc.comparison
            .scenarios
            .iter()
            .filter(|s| !crate::scenario::privacy::is_withheld(s.saving_t))
            .max_by(|a, b| {
                a.saving_t
                    .total_cmp(&b.saving_t)
                    .then_with(|| b.name.cmp(&a.name))
            })
    }) {
        figs.push(
            Figure::new(
                "best_scenario_saving_t",
                "Largest scenario saving",
                best.saving_t,
                "t CO2e",
                0,
            )
            .detail(format!(
                "{}: {} % of the inventory",
                best.name,
                number(best.saving_pct, 1)
            ))
            .bar(best.saving_pct.max(0.0)),
        );
    }
    figs
}

/// Per-capita figures ("Business travel per staff member": kg CO2e a year).
fn per_capita_figures(inv: &InventoryResult) -> Vec<Figure> {
    inv.per_capita
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let unit = match p.unit.as_str() {
                "mixed" => "people (FTE and headcount)".to_string(),
                "FTE" => "FTE".to_string(),
                _ => "people".to_string(),
            };
            Figure::new(
                &format!("per_capita_{}", i + 1),
                &capitalise(&p.label),
                p.co2e_kg,
                "kg CO2e",
                0,
            )
            .detail(format!(
                "A year, divided over {} {unit}",
                number(p.population, 0)
            ))
        })
        .collect()
}

fn summary_section(inv: &InventoryResult) -> Section {
    let mut blocks = Vec::new();
    let mut text = format!(
        "{} emitted an estimated {} CO2e through mobility in {}",
        inv.organisation,
        tonnes(inv.total.co2e_t),
        inv.year
    );
    let parts: Vec<String> = inv
        .categories
        .iter()
        .map(|c| {
            format!(
                "{} from {} ({} %)",
                tonnes(c.co2e_t),
                c.label.to_lowercase(),
                number(c.share_of_total_pct, 0)
            )
        })
        .collect();
    if !parts.is_empty() {
        text.push_str(": ");
        text.push_str(&parts.join(", "));
    }
    text.push('.');
    if let Some(b) = &inv.baseline {
        text.push_str(&format!(
            " That is {} ({} %) {} the baseline of {} CO2e",
            tonnes(b.difference_t.abs()),
            number(b.difference_pct.abs(), 1),
            if b.difference_t <= 0.0 {
                "below"
            } else {
                "above"
            },
            tonnes(b.co2e_t)
        ));
        if let Some(s) = b.share_of_footprint_pct {
            text.push_str(&format!(
                ", which stands for {} % of the organisation's whole footprint",
                number(s, 0)
            ));
        }
        text.push('.');
    }
    blocks.push(Block::Paragraph { text });
    let per_capita = per_capita_figures(inv);
    if !per_capita.is_empty() {
        blocks.push(Block::Figures {
            figures: per_capita,
        });
    }

    blocks.push(Block::Table(views::categories_table(inv)));
    if let Some(b) = &inv.baseline {
        let mut items = vec![(
            "Baseline".to_string(),
            format!(
                "{} CO2e a year{}. Source: {}",
                tonnes(b.co2e_t),
                b.covers
                    .as_ref()
                    .map(|c| format!(", covering {c}"))
                    .unwrap_or_default(),
                b.source
            ),
        )];
        if let (Some(s), Some(f)) = (b.share_of_footprint_pct, b.implied_footprint_t) {
            items.push((
                "Share of the footprint".to_string(),
                format!(
                    "The baseline is {} % of the organisation's footprint, which implies a whole footprint of {} CO2e; this inventory is {} % of it.",
                    number(s, 0),
                    tonnes(f),
                    b.estimate_share_of_footprint_pct
                        .map_or("n/a".to_string(), |p| number(p, 1))
                ),
            ));
        }
        items.push((
            "Difference".to_string(),
            format!(
                "{} t CO2e ({} %) against the baseline.",
                signed(b.difference_t, 0),
                signed(b.difference_pct, 1)
            ),
        ));
        blocks.push(Block::Definitions { items });
    }
    if let Some(tw) = &inv.telework {
        blocks.push(Block::Note {
            text: format!(
                "Telework: {} telework days a year replaced {} million person-km of commuting, which would have emitted {} CO2e. This is a memo item, not subtracted from any total{}.",
                number(tw.telework_days, 0),
                number(tw.avoided_km / 1e6, 1),
                tonnes(tw.avoided_co2e_t),
                tw.home_working.as_ref().map_or(String::new(), |h| format!(
                    "; home working itself is counted at {} kg CO2e a day ({})",
                    number(h.kg_per_day, 2),
                    h.source
                ))
            ),
        });
    }
    Section {
        id: "summary".into(),
        title: "Summary".into(),
        blocks,
    }
}

/// `+12.5` / `−3.0` (a sign always).
fn signed(v: f64, decimals: usize) -> String {
    let s = number(v, decimals);
    if v > 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        format!("+{s}")
    } else {
        s
    }
}

pub(super) fn category_label(key: &str) -> &'static str {
    match key {
        "business" => "Business travel",
        "commuting" => "Commuting",
        "home_working" => "Home working",
        _ => "Other",
    }
}

fn mode_section(inv: &InventoryResult) -> Result<Section, BuildError> {
    let mut modes: Vec<&crate::inventory::ModeOut> = inv.by_mode.iter().collect();
    modes.sort_by(|a, b| {
        b.co2e_kg
            .total_cmp(&a.co2e_kg)
            .then_with(|| a.category.cmp(b.category))
            .then_with(|| a.mode.cmp(&b.mode))
    });
    let mut blocks = Vec::new();
    let items: Vec<BarItem> = modes
        .iter()
        .filter(|m| m.co2e_kg > 0.0)
        .map(|m| BarItem {
            label: format!("{} · {}", mode_name(&m.mode), category_label(m.category)),
            value: t(m.co2e_kg),
            colour_key: m.mode.clone(),
            annotation: Some(format!(
                "{} %",
                number(pct(m.co2e_kg, inv.total.co2e_kg), 0)
            )),
        })
        .collect();
    if !items.is_empty() {
        let title = format!("Emissions by mode, {}", inv.year);
        blocks.push(Block::Chart(Chart {
            id: "by-mode".into(),
            title: title.clone(),
            description: format!(
                "Horizontal bars of t CO2e for each mode of business travel and commuting, largest first. {}",
                describe_top(&items)
            ),
            svg: svg(horizontal_bars(
                &title,
                "t CO2e per year",
                &items,
                ChartFormat::Svg,
            )?),
        }));
    }
    blocks.push(Block::Table(views::mode_table(inv)));
    Ok(Section {
        id: "by-mode".into(),
        title: "Emissions by mode".into(),
        blocks,
    })
}

/// "The largest are Flight · Business travel (1,234 t) and Car · Commuting (567 t)."
fn describe_top(items: &[BarItem]) -> String {
    let top: Vec<String> = items
        .iter()
        .take(3)
        .map(|i| format!("{} ({})", i.label, tonnes(i.value)))
        .collect();
    match top.len() {
        0 => String::new(),
        1 => format!("The largest is {}.", top[0]),
        _ => format!(
            "The largest are {} and {}.",
            top[..top.len() - 1].join(", "),
            top[top.len() - 1]
        ),
    }
}

/// Business-travel aggregates from the rows and their results.
#[derive(Debug, Default, Clone)]
struct Agg {
    journeys: f64,
    passenger_km: f64,
    co2e_kg: f64,
    /// kg by mode (index of the mode; `None` for a mode without rows).
    by_mode_kg: [Option<f64>; Mode::ALL.len()],
}

impl Agg {
    fn add(&mut self, journeys: f64, pkm: f64, kg: f64, mode: Mode) {
        self.journeys += journeys;
        self.passenger_km += pkm;
        self.co2e_kg += kg;
        *self.by_mode_kg[mode as usize].get_or_insert(0.0) += kg;
    }
    /// The mode with the most emissions (ties: alphabetical).
    fn main_mode(&self) -> &'static str {
        Mode::ALL
            .iter()
            .filter_map(|m| self.by_mode_kg[*m as usize].map(|kg| (m.key(), kg)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .map_or("other", |(m, _)| m)
    }
}

/// A destination: name and position in hundredths of a degree.
type DestKey = (String, i64, i64);
/// A destination's latitude, longitude (degrees) and aggregate.
type DestVal = (f64, f64, Agg);

/// How many departments and countries get their own row (the rest are merged).
const TOP_ROWS: usize = 20;
/// How many departments get their own bar.
const TOP_BARS: usize = 15;

/// The business section's cells: the total, by destination country, destination and
/// distance band.
struct BusinessCells {
    total: Agg,
    by_country: BTreeMap<String, Agg>,
    by_destination: BTreeMap<DestKey, DestVal>,
    by_band: BTreeMap<DistanceBand, Agg>,
}

/// Sums the journeys into [`BusinessCells`], each row into its country's and destination's
/// cell found through its route (looked up once per route): the cells add the same rows in
/// the same order as a map by key would.
fn business_cells(rows: &InventoryRows, rr: &RowResults) -> BusinessCells {
    let mut total = Agg::default();
    let mut by_band: BTreeMap<DistanceBand, Agg> = BTreeMap::new();
    let tables = rows.business.tables();
    let mut slots: Vec<Option<(u32, Option<u32>)>> = vec![None; tables.routes()];
    let mut country_index: BTreeMap<String, u32> = BTreeMap::new();
    let mut countries: Vec<(String, Agg)> = Vec::new();
    let mut dest_index: BTreeMap<DestKey, u32> = BTreeMap::new();
    let mut dests: Vec<(DestKey, DestVal)> = Vec::new();
    for (j, r) in rows.business.rows().iter().zip(rr.business.numbers()) {
        let mode = j.mode();
        total.add(j.share(), r.passenger_km, r.co2e_kg, mode);
        let (country, dest) = *slots[j.route() as usize].get_or_insert_with(|| {
            let dest = tables.stops(j.route()).last();
            let cc = dest.map_or(String::new(), |s| s.country_code.clone());
            let c = *country_index.entry(cc.clone()).or_insert_with(|| {
                countries.push((cc, Agg::default()));
                (countries.len() - 1) as u32
            });
            let d = dest.map(|s| {
                // Key by name and position to 0.01° so that one place is one line.
                let key = (
                    s.name.clone(),
                    (s.position.lat_deg * 100.0).round() as i64,
                    (s.position.lon_deg * 100.0).round() as i64,
                );
                *dest_index.entry(key.clone()).or_insert_with(|| {
                    dests.push((
                        key,
                        (s.position.lat_deg, s.position.lon_deg, Agg::default()),
                    ));
                    (dests.len() - 1) as u32
                })
            });
            (c, d)
        });
        countries[country as usize]
            .1
            .add(j.share(), r.passenger_km, r.co2e_kg, mode);
        by_band
            .entry(DistanceBand::of(r.one_way_km))
            .or_default()
            .add(j.share(), r.passenger_km, r.co2e_kg, mode);
        if let Some(d) = dest {
            dests[d as usize]
                .1
                .2
                .add(j.share(), r.passenger_km, r.co2e_kg, mode);
        }
    }
    let by_country: BTreeMap<String, Agg> = countries.into_iter().collect();
    let by_destination: BTreeMap<DestKey, DestVal> = dests.into_iter().collect();
    BusinessCells {
        total,
        by_country,
        by_destination,
        by_band,
    }
}

fn business_section(input: &ReportInput<'_>, rr: &RowResults) -> Result<Section, BuildError> {
    let inv = input.inventory;
    let cells = business_cells(input.rows, rr);
    let total = &cells.total;
    let year = inv.year;
    let mut blocks = vec![Block::Paragraph {
        text: format!(
            "{} business journeys covering {} million passenger-km emitted {} CO2e in {year}. Departments and destinations below are ranked by emissions; the distance bands show where journeys are short enough for rail.",
            number(total.journeys, 0),
            number(total.passenger_km / 1e6, 1),
            tonnes(t(total.co2e_kg)),
        ),
    }];
    blocks.extend(department_blocks(inv, total)?);
    blocks.extend(destination_blocks(input.rows, &cells, year)?);
    blocks.extend(distance_band_blocks(&cells, year)?);
    Ok(Section {
        id: "business".into(),
        title: "Business travel".into(),
        blocks,
    })
}

/// The departments' bar chart (when there is more than one) and table, largest first.
fn department_blocks(inv: &InventoryResult, total: &Agg) -> Result<Vec<Block>, BuildError> {
    let year = inv.year;
    let mut blocks = Vec::new();
    let mut depts: Vec<&crate::inventory::DepartmentOut> = inv.by_department.iter().collect();
    depts.sort_by(|a, b| {
        b.co2e_kg
            .total_cmp(&a.co2e_kg)
            .then_with(|| a.department.cmp(&b.department))
    });
    if depts.len() > 1 {
        let mut items: Vec<BarItem> = depts
            .iter()
            .take(TOP_BARS)
            .map(|d| BarItem {
                label: d.department.clone(),
                value: t(d.co2e_kg),
                colour_key: "total".into(),
                annotation: Some(format!("{} %", number(pct(d.co2e_kg, total.co2e_kg), 0))),
            })
            .collect();
        if depts.len() > TOP_BARS {
            let rest: f64 = depts[TOP_BARS..].iter().map(|d| d.co2e_kg).sum();
            items.push(BarItem {
                label: format!("{} other departments", depts.len() - TOP_BARS),
                value: t(rest),
                colour_key: "other".into(),
                annotation: Some(format!("{} %", number(pct(rest, total.co2e_kg), 0))),
            });
        }
        let title = format!("Business travel by department, {year}");
        blocks.push(Block::Chart(Chart {
            id: "by-department".into(),
            title: title.clone(),
            description: format!(
                "Horizontal bars of t CO2e of business travel per department, largest first. {}",
                describe_top(&items)
            ),
            svg: svg(horizontal_bars(
                &title,
                "t CO2e per year",
                &items,
                ChartFormat::Svg,
            )?),
        }));
    }
    let mut dept_rows: Vec<Row> = depts
        .iter()
        .map(|d| {
            Row::new(vec![
                Cell::text(&d.department),
                Cell::Number(d.journeys),
                Cell::Number(d.distance_km),
                Cell::Number(t(d.co2e_kg)),
                Cell::Number(pct(d.co2e_kg, total.co2e_kg)),
            ])
        })
        .collect();
    dept_rows.push(Row::total(vec![
        Cell::text("Total"),
        Cell::Number(total.journeys),
        Cell::Number(total.passenger_km),
        Cell::Number(t(total.co2e_kg)),
        Cell::Number(100.0),
    ]));
    blocks.push(Block::Table(Table {
        id: "by-department".into(),
        title: format!("Business travel by department, {year}"),
        columns: vec![
            Column::text("department", "Department"),
            Column::number("journeys", "Journeys", "", 0),
            Column::number("passenger_km", "Distance", "passenger-km", 0),
            Column::number("co2e_t", "Emissions", "t CO2e", 1),
            Column::number("share_pct", "Share", "%", 1),
        ],
        rows: dept_rows,
        notes: vec![],
    }));
    Ok(blocks)
}

/// One row of an aggregate table: label, main mode (when `main`), journeys, passenger-km,
/// t CO2e and the share of `total_kg`.
fn agg_row(label: String, a: &Agg, main: bool, total_kg: f64) -> Row {
    Row::new(vec![
        Cell::text(label),
        if main {
            let m = a.main_mode();
            Cell::Mode {
                text: mode_name(m),
                key: m.to_string(),
            }
        } else {
            Cell::Empty
        },
        Cell::Number(a.journeys),
        Cell::Number(a.passenger_km),
        Cell::Number(t(a.co2e_kg)),
        Cell::Number(pct(a.co2e_kg, total_kg)),
    ])
}

/// The total row of an aggregate table.
fn agg_total_row(total: &Agg) -> Row {
    let mut row = agg_row("Total".into(), total, false, total.co2e_kg);
    row.total = true;
    row
}

/// The columns of an aggregate table after its first (label) column.
fn agg_columns(first: Column) -> Vec<Column> {
    vec![
        first,
        Column::text("main_mode", "Main mode"),
        Column::number("journeys", "Journeys", "", 0),
        Column::number("passenger_km", "Distance", "passenger-km", 0),
        Column::number("co2e_t", "Emissions", "t CO2e", 1),
        Column::number("share_pct", "Share", "%", 1),
    ]
}

/// The destination map (lines from the campus, width by t CO2e) and the by-country table.
fn destination_blocks(
    rows: &InventoryRows,
    cells: &BusinessCells,
    year: i32,
) -> Result<Vec<Block>, BuildError> {
    let mut blocks = Vec::new();
    let mut dests: Vec<(&DestKey, &DestVal)> = cells.by_destination.iter().collect();
    dests.sort_by(|a, b| {
        b.1.2
            .co2e_kg
            .total_cmp(&a.1.2.co2e_kg)
            .then_with(|| a.0.cmp(b.0))
    });
    let lines: Vec<MapLine> = dests
        .iter()
        .filter(|(_, (_, _, a))| a.co2e_kg > 0.0)
        .map(|((name, _, _), (lat, lon, a))| MapLine {
            to_label: Some(name.clone()),
            to_lat_deg: *lat,
            to_lon_deg: *lon,
            weight: t(a.co2e_kg),
            colour_key: a.main_mode().to_string(),
        })
        .collect();
    if !lines.is_empty() {
        let campus = &rows.campus;
        let title = format!("Business travel destinations, {year}");
        blocks.push(Block::Chart(Chart {
            id: "destinations".into(),
            title: title.clone(),
            description: format!(
                "Map of great-circle lines from {} to {} destinations; line width shows t CO2e, colour the mode with the most emissions. The largest are {}.",
                campus.label,
                lines.len(),
                lines
                    .iter()
                    .take(3)
                    .map(|l| format!(
                        "{} ({})",
                        l.to_label.clone().unwrap_or_default(),
                        tonnes(l.weight)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            svg: svg(destination_map(
                &title,
                (
                    campus.name.as_str(),
                    campus.position.lat_deg,
                    campus.position.lon_deg,
                ),
                &lines,
                ChartFormat::Svg,
            )?),
        }));
    }
    blocks.push(country_table(cells, year));
    Ok(blocks)
}

/// Business travel by destination country: the first [`TOP_ROWS`] countries, the rest merged.
fn country_table(cells: &BusinessCells, year: i32) -> Block {
    let gaz = Gazetteer::bundled();
    let total = &cells.total;
    let mut countries: Vec<(&String, &Agg)> = cells.by_country.iter().collect();
    countries.sort_by(|a, b| {
        b.1.co2e_kg
            .total_cmp(&a.1.co2e_kg)
            .then_with(|| a.0.cmp(b.0))
    });
    let country_name = |cc: &str| -> String {
        if cc.is_empty() {
            "(unknown)".to_string()
        } else {
            gaz.country_name(cc)
                .map_or_else(|| cc.to_string(), |n| format!("{n} ({cc})"))
        }
    };
    let mut country_rows: Vec<Row> = countries
        .iter()
        .take(TOP_ROWS)
        .map(|(cc, a)| agg_row(country_name(cc), a, true, total.co2e_kg))
        .collect();
    if countries.len() > TOP_ROWS {
        let mut rest = Agg::default();
        for (_, a) in &countries[TOP_ROWS..] {
            rest.journeys += a.journeys;
            rest.passenger_km += a.passenger_km;
            rest.co2e_kg += a.co2e_kg;
        }
        country_rows.push(agg_row(
            format!("{} other countries", countries.len() - TOP_ROWS),
            &rest,
            false,
            total.co2e_kg,
        ));
    }
    country_rows.push(agg_total_row(total));
    Block::Table(Table {
        id: "by-country".into(),
        title: format!("Business travel by destination country, {year}"),
        columns: agg_columns(Column::text("country", "Destination country")),
        rows: country_rows,
        notes: vec![format!(
            "The destination is the last place of a journey (for a round trip, the place it returns from); the main mode is the one with the most emissions.{}",
            if countries.len() > TOP_ROWS {
                format!(" Countries after the first {TOP_ROWS} are merged.")
            } else {
                String::new()
            }
        )],
    })
}

/// The distance-band chart (journeys and t CO2e per [`DistanceBand`]) and table.
fn distance_band_blocks(cells: &BusinessCells, year: i32) -> Result<Vec<Block>, BuildError> {
    let total = &cells.total;
    let mut blocks = Vec::new();
    let bands: Vec<(String, Agg)> = DistanceBand::ALL
        .into_iter()
        .map(|b| {
            (
                b.label().to_string(),
                cells.by_band.get(&b).cloned().unwrap_or_default(),
            )
        })
        .collect();
    if total.journeys > 0.0 {
        let bins: Vec<BandBin> = bands
            .iter()
            .map(|(label, a)| BandBin {
                label: label.clone(),
                journeys: a.journeys,
                co2e: t(a.co2e_kg),
            })
            .collect();
        let title = format!("Business journeys and emissions by one-way distance, {year}");
        let short: f64 = bands.iter().take(3).map(|(_, a)| a.co2e_kg).sum::<f64>();
        blocks.push(Block::Chart(Chart {
            id: "distance-bands".into(),
            title: title.clone(),
            description: format!(
                "Two panels of bars by one-way travelled distance band: number of journeys (left) and t CO2e (right). Journeys under 700 km emit {} ({} % of business travel).",
                tonnes(t(short)),
                number(pct(short, total.co2e_kg), 0)
            ),
            svg: svg(distance_bands(&title, &bins, ChartFormat::Svg)?),
        }));
    }
    let mut band_rows: Vec<Row> = bands
        .iter()
        .map(|(label, a)| agg_row(label.clone(), a, a.co2e_kg > 0.0, total.co2e_kg))
        .collect();
    band_rows.push(agg_total_row(total));
    blocks.push(Block::Table(Table {
        id: "by-distance-band".into(),
        title: format!("Business travel by one-way distance band, {year}"),
        columns: agg_columns(Column::text("band", "One-way distance")),
        rows: band_rows,
        notes: vec![
            "Bands by one-way travelled distance (great circle with the pack's detour or flight rule, or the distance given in the export).".to_string(),
        ],
    }));
    Ok(blocks)
}

fn commuting_section(inv: &InventoryResult) -> Result<Option<Section>, BuildError> {
    let (Some(c), Some(cat)) = (&inv.commuting, category(inv, "commuting")) else {
        return Ok(None);
    };
    let year = inv.year;
    let mut blocks = Vec::new();
    let mut text = format!(
        "{} survey respondents stand for {} people in {} groups. Each respondent's yearly commute is 2 × one-way km × campus days a week × weeks a year × the mode's factor (per vehicle-km divided by occupancy), and is extrapolated to their group's population.",
        number(c.respondents as f64, 0),
        number(c.population, 0),
        inv.by_group.len()
    );
    if let Some(i) = &c.interval {
        text.push_str(&format!(
            " Commuting emitted {} CO2e; resampling respondents within each group ({} times, seed {}) gives a {}.",
            tonnes(cat.co2e_t),
            number(f64::from(inv.options.bootstrap_iterations), 0),
            inv.options.bootstrap_seed,
            interval_text(i)
        ));
    }
    blocks.push(Block::Paragraph { text });
    if let Some(i) = &c.interval {
        blocks.push(Block::Figures {
            figures: vec![
                Figure::new(
                    "commuting_interval_low_t",
                    "Commuting, 95 % interval low",
                    i.low_t,
                    "t CO2e",
                    0,
                ),
                Figure::new(
                    "commuting_central_t",
                    "Commuting, estimate",
                    cat.co2e_t,
                    "t CO2e",
                    0,
                ),
                Figure::new(
                    "commuting_interval_high_t",
                    "Commuting, 95 % interval high",
                    i.high_t,
                    "t CO2e",
                    0,
                ),
            ],
        });
    }
    let per_capita: Vec<BarItem> = inv
        .by_group
        .iter()
        .filter(|g| g.population > 0.0)
        .map(|g| BarItem {
            label: g.group.clone(),
            value: g.per_capita_kg,
            colour_key: "total".into(),
            annotation: Some(format!("{} {}", number(g.population, 0), g.unit)),
        })
        .collect();
    if per_capita.len() > 1 {
        let title = format!("Commuting emissions per person by group, {year}");
        blocks.push(Block::Chart(Chart {
            id: "commuting-per-capita".into(),
            title: title.clone(),
            description: format!(
                "Horizontal bars of kg CO2e per person (or FTE) and year for each commuting group: {}.",
                per_capita
                    .iter()
                    .map(|b| format!("{} {} kg", b.label, number(b.value, 0)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            svg: svg(horizontal_bars(
                &title,
                "kg CO2e per person per year",
                &per_capita,
                ChartFormat::Svg,
            )?),
        }));
    }
    blocks.extend(views::group_table(inv).map(Block::Table));
    Ok(Some(Section {
        id: "commuting".into(),
        title: "Commuting".into(),
        blocks,
    }))
}

fn quality_section(inv: &InventoryResult, inputs: &[String]) -> Section {
    let q = &inv.data_quality;
    let mut blocks = vec![Block::Paragraph {
        text: format!(
            "{} rows read, {} used and {} rejected ({} %). Every rejected row is listed with its file, line and reason in rejects.csv, and every used row with its distance, factor and emissions in audit.csv.",
            number(q.rows_read as f64, 0),
            number(q.rows_used as f64, 0),
            number(q.rows_rejected as f64, 0),
            number(pct(q.rows_rejected as f64, q.rows_read as f64), 1)
        ),
    }];
    blocks.push(Block::Table(views::input_files_table(inv)));
    blocks.extend(views::reject_reasons_table(inv).map(Block::Table));
    if !inputs.is_empty() {
        blocks.push(Block::Paragraph {
            text: "Input files of this report:".into(),
        });
        blocks.push(Block::List {
            items: inputs.to_vec(),
        });
    }
    if !inv.notes.is_empty() {
        blocks.push(Block::Paragraph {
            text: "Notes from the calculation (fallbacks taken and other remarks):".into(),
        });
        blocks.push(Block::List {
            items: inv.notes.clone(),
        });
    }
    Section {
        id: "data-quality".into(),
        title: "Data quality".into(),
        blocks,
    }
}

/// `(pack, factor id)` → rows that used it, in order of first use.
fn factors_used(rr: &RowResults) -> BTreeMap<(String, String), u64> {
    let mut used: BTreeMap<(String, String), u64> = BTreeMap::new();
    for ((pack, id), n) in rr.business.factor_counts() {
        *used.entry((pack.to_string(), id.to_string())).or_default() += n;
    }
    for c in &rr.commuters {
        for l in &c.legs {
            *used
                .entry((l.factor_pack.clone(), l.factor_id.clone()))
                .or_default() += 1;
        }
    }
    used
}

/// The methodology line of smooth flight bands (`factors.flight_bands: "smooth"`).
fn smooth_bands_text(pack: Option<&crate::factors::FactorPack>) -> String {
    let edges = pack
        .map(|p| {
            let b = &p.conventions.flight_bands.bands;
            b.iter()
                .take(b.len().saturating_sub(1))
                .filter_map(|x| x.max_km.map(|m| format!("{m:.0} km")))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    format!(
        "Smooth flight bands (configuration factors.flight_bands = \"smooth\"), not the pack's published bands: within ±{:.0} km of each band edge ({edges}) a flight's factor per passenger-km is the linear blend of the two adjacent bands' factors, so no flight weighs less for flying a few km further. The rule is ours, after the myclimate flight calculator's linear interpolation between its short- and long-haul models (1,500-2,500 km); outside the windows, and for domestic flights, the published factors apply. Reporting standards use the published bands: the sensitivity section shows both.",
        crate::factors::SMOOTH_HALF_WINDOW_KM
    )
}

fn methodology_section(input: &ReportInput<'_>, used: &BTreeMap<(String, String), u64>) -> Section {
    let mut blocks = vec![
        Block::Definitions {
            items: methodology_items(input),
        },
        Block::Table(factors_used_table(input, used)),
    ];
    blocks.extend(detours_table(input, used).map(Block::Table));
    Section {
        id: "methodology".into(),
        title: "Methodology".into(),
        blocks,
    }
}

/// The methodology choices as terms and explanations.
fn methodology_items(input: &ReportInput<'_>) -> Vec<(String, String)> {
    let inv = input.inventory;
    let o = &inv.options;
    let pack = input.packs.get(&o.pack).ok();
    let mut items = vec![(
        "Scope".to_string(),
        "GHG Protocol scope 3: category 6 (business travel) from the organisation's travel records, category 7 (employee commuting) from its commuting survey. Emissions are in CO2 equivalents (CO2e).".to_string(),
    )];
    if let Some(p) = pack {
        items.push((
            "Emission factors".to_string(),
            format!(
                "{} ({}, {}): {}{}",
                p.name,
                p.id,
                p.publisher,
                p.boundary,
                p.fallback_pack
                    .as_ref()
                    .map(|f| format!(
                        "; modes it lacks use the {f} pack, and the factor table says so"
                    ))
                    .unwrap_or_default()
            ),
        ));
    }
    items.push((
        "Boundary".to_string(),
        if o.boundary == Boundary::Ttw {
            "Tank-to-wheel: fuel burnt in the vehicle only.".to_string()
        } else {
            "Well-to-wheel: tank-to-wheel plus well-to-tank (fuel and electricity production), as ISO 14083 and the Dutch CO2emissiefactoren list do.".to_string()
        },
    ));
    items.push((
        "Radiative forcing".to_string(),
        if o.include_rf {
            format!(
                "Flights include their non-CO2 effects (contrails, NOx){}; they are counted as a separate part in audit.csv.",
                pack.and_then(|p| p.conventions.rf.multiplier)
                    .map(|m| format!(" with the pack's multiplier of {} on CO2", number(m, 1)))
                    .unwrap_or_default()
            )
        } else {
            "Flights are counted without their non-CO2 effects (radiative forcing off).".to_string()
        },
    ));
    items.push((
        "Rail".to_string(),
        "Train legs by the countries crossed: each leg's km are shared out by the countries along the geodesic between its stops (offline OpenStreetMap boundaries, ODbL), and each part gets that country's passenger-rail intensity (data/factors/rail-by-country.json: ADEME Base Carbone 2024 and IEA-UIC 2017 via lowtrip, traction energy without infrastructure, grade C; GB from DESNZ 2025). Dutch trains, on mostly wind-powered electricity, are about 1.4 g CO2e per passenger-km instead of the UK average of 44.4 g that the DESNZ pack applies everywhere, so commuting and business trips by train within the Netherlands weigh far less than with the pack's factor. A country without a sourced value uses the pack's rail factor for its part, and the factor table says so (the configuration field factors.rail_factor = \"pack\" restores the pack's single rail factor).".to_string(),
    ));
    items.push((
        "Distances".to_string(),
        "Geodesic distance on the WGS84 ellipsoid (Karney), then the pack's per-mode detour factor for surface modes and its flight-distance rule; a distance given in the export replaces the computed one.".to_string(),
    ));
    if let Some(p) = pack {
        items.push((
            "Flights".to_string(),
            format!(
                "{} {}",
                p.conventions.flight_distance.note, p.conventions.flight_bands.note
            )
            .trim()
            .to_string(),
        ));
    }
    if input.options.calc.flight_bands == crate::factors::FlightBandRule::Smooth {
        items.push(("Flight bands".to_string(), smooth_bands_text(pack)));
    }
    if inv.commuting.is_some() {
        items.push((
            "Extrapolation".to_string(),
            "Each group's respondents are scaled to its population (headcount or FTE ÷ respondents); a group without respondents uses the group named in the configuration's assumptions.".to_string(),
        ));
        items.push((
            "Uncertainty".to_string(),
            format!(
                "95 % percentile bootstrap: respondents are resampled with replacement within each group, {} times with seed {}; the same seed gives the same interval.",
                number(f64::from(o.bootstrap_iterations), 0),
                o.bootstrap_seed
            ),
        ));
        items.push((
            "Privacy".to_string(),
            format!(
                "No breakdown of the survey shows a row with fewer than {} respondents; such rows are merged and the table says so.",
                o.min_cell_size
            ),
        ));
    }
    items
}

/// Every factor used, with its value as applied, source and number of uses.
fn factors_used_table(input: &ReportInput<'_>, used: &BTreeMap<(String, String), u64>) -> Table {
    let o = &input.inventory.options;
    let mut rows = Vec::new();
    for ((pack_id, factor_id), n) in used {
        let factor = input
            .packs
            .get(pack_id)
            .ok()
            .and_then(|p| p.factors.iter().find(|f| &f.id == factor_id));
        let Some(f) = factor else {
            rows.push(Row::new(vec![
                Cell::text(pack_id),
                Cell::text(factor_id),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Number(*n as f64),
            ]));
            continue;
        };
        let parts = f
            .parts()
            .restricted(o.include_rf, o.boundary != Boundary::Ttw);
        rows.push(Row::new(vec![
            Cell::text(pack_id),
            Cell::Mode {
                text: factor_id.clone(),
                key: f.mode.clone(),
            },
            Cell::text(&f.label),
            Cell::text(f.unit.as_str()),
            Cell::Number(parts.total()),
            Cell::text(&f.reliability),
            Cell::text(format!("{}; {}", f.source, f.row)),
            Cell::Number(*n as f64),
        ]));
    }
    Table {
        id: "factors-used".into(),
        title: "Emission factors used".into(),
        columns: vec![
            Column::text("pack", "Pack"),
            Column::text("factor", "Factor"),
            Column::text("label", "Description"),
            Column::text("unit", "Per"),
            Column::number("co2e_kg_per_unit", "Factor", "kg CO2e", 5),
            Column::text("reliability", "Grade"),
            Column::text("source", "Source and row"),
            Column::number("uses", "Used by", "rows or legs", 0),
        ],
        rows,
        notes: vec![format!(
            "Factor values as applied: {}{}. Per vehicle-km factors are divided by occupancy. Grades A–C as in the factor pack (A: official, verified).",
            if o.boundary == Boundary::Ttw {
                "tank-to-wheel"
            } else {
                "well-to-wheel"
            },
            if o.include_rf {
                ", flights with non-CO2 effects"
            } else {
                ""
            }
        )],
    }
}

/// The detour factors of the surface modes used; `None` without any.
fn detours_table(input: &ReportInput<'_>, used: &BTreeMap<(String, String), u64>) -> Option<Table> {
    let p = input.packs.get(&input.inventory.options.pack).ok()?;
    let mut modes: Vec<&str> = used
        .keys()
        .filter_map(|(pk, fid)| {
            input
                .packs
                .get(pk)
                .ok()
                .and_then(|pp| pp.factors.iter().find(|f| &f.id == fid))
                .map(|f| f.mode.as_str())
        })
        .collect();
    modes.sort_unstable();
    modes.dedup();
    let rows: Vec<Row> = modes
        .iter()
        .filter(|m| **m != "flight")
        .filter_map(|m| {
            p.conventions.detour.get(*m).map(|d| {
                Row::new(vec![
                    Cell::Mode {
                        text: mode_name(m),
                        key: (*m).to_string(),
                    },
                    Cell::Number(*d),
                ])
            })
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(Table {
        id: "detours".into(),
        title: "Detour factors (travelled ÷ great-circle distance)".into(),
        columns: vec![
            Column::text("mode", "Mode"),
            Column::number("detour", "Detour factor", "×", 2),
        ],
        rows,
        notes: vec![
            "Flights use the pack's flight-distance rule instead of a detour (see Flights above)."
                .to_string(),
            format!("Source: {}", p.conventions.detour_source),
        ],
    })
}

fn attributions(
    input: &ReportInput<'_>,
    used: &BTreeMap<(String, String), u64>,
) -> Vec<Attribution> {
    let mut out = vec![
        Attribution {
            subject: "Places and postcodes".into(),
            text: "City, country and Dutch postcode data © GeoNames (geonames.org).".into(),
            licence: "CC BY 4.0".into(),
            url: Some("https://www.geonames.org/".into()),
        },
        Attribution {
            subject: "Airports".into(),
            text: "airportsdata (© Mike Borsetti, includes mwgg/Airports) and airport-data (aashishvanand).".into(),
            licence: "MIT; CC BY 4.0".into(),
            url: Some("https://github.com/mborsetti/airportsdata".into()),
        },
    ];
    let mut packs: Vec<&str> = vec![input.inventory.options.pack.as_str()];
    for (p, _) in used.keys() {
        if !packs.contains(&p.as_str()) {
            packs.push(p);
        }
    }
    for id in packs {
        if let Ok(p) = input.packs.get(id) {
            out.push(Attribution {
                subject: format!("Emission factors ({})", p.id),
                text: format!("{}, {}.", p.name, p.publisher),
                licence: p.licence.clone(),
                url: Some(p.url.clone()),
            });
        }
    }
    out.push(Attribution {
        subject: "Chart font".into(),
        text: "DejaVu Sans, bundled for the charts (Bitstream Vera fonts © Bitstream, Inc.; DejaVu changes in the public domain).".into(),
        licence: "Bitstream Vera licence".into(),
        url: Some("https://dejavu-fonts.github.io/".into()),
    });
    out
}

/// Named chart images, as [`scenario_charts::render_all`] returns them.
type NamedCharts = [(String, Vec<u8>)];

fn scenario_section(sc: &ScenarioInput<'_>, charts: &NamedCharts) -> Section {
    let c = sc.comparison;
    let year = c.inventory_year;
    let combined = c.mode == "combined";
    let mut blocks = Vec::new();
    let mut text = format!(
        "{} reduction scenario{} {}. Each acts on the inventory's rows — business journeys and survey respondents — which are evaluated again with the same factors, so every saving is traced to the journeys and commuters it changed. Savings are measured against the inventory's computed total of {} CO2e",
        c.scenarios.len(),
        if c.scenarios.len() == 1 { "" } else { "s" },
        if combined {
            "applied one after the other, each to the rows the previous one left; each shows its marginal contribution and nothing is counted twice"
        } else {
            "each applied on its own to the inventory"
        },
        tonnes(c.baseline.total_t)
    );
    if let Some(b) = c.configured_baseline_t {
        text.push_str(&format!(
            "; the configured baseline of {} is shown beside them",
            tonnes(b)
        ));
    }
    text.push('.');
    blocks.push(Block::Paragraph { text });

    let chart = |stem: &str| {
        charts
            .iter()
            .find(|(s, _)| s == stem)
            .map(|(_, b)| svg(b.clone()))
    };
    if let Some(svg) = chart("scenarios-by-mode") {
        blocks.push(Block::Chart(Chart {
            id: "scenarios-by-mode".into(),
            title: format!("Emissions by mode, inventory {year} and scenarios"),
            description: format!(
                "Stacked bars of t CO2e by mode: the {year} inventory ({}) next to each scenario: {}.",
                tonnes(c.baseline.total_t),
                c.scenarios
                    .iter()
                    .map(|s| if crate::scenario::privacy::is_withheld(s.totals.total_t) {
                        format!("{} withheld (no bar)", s.name)
                    } else {
                        format!("{} {}", s.name, tonnes(s.totals.total_t))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            svg,
        }));
    }

    blocks.push(Block::Table(views::scenarios_table(
        c,
        sc.baseline_source.as_deref(),
    )));
    for (i, s) in c.scenarios.iter().enumerate() {
        blocks.extend(scenario_blocks(i, s, year, charts));
    }
    Section {
        id: "scenarios".into(),
        title: "Scenarios".into(),
        blocks,
    }
}

/// One scenario: heading, description, warnings, waterfall and interventions.
fn scenario_blocks(
    i: usize,
    s: &crate::scenario::ScenarioResult,
    year: i32,
    charts: &NamedCharts,
) -> Vec<Block> {
    let mut blocks = Vec::new();
    blocks.push(Block::Heading {
        text: s.name.clone(),
    });
    let mut about = s.description.clone();
    if let Some(a) = &s.author {
        about.push_str(&format!(" (Author: {a}.)"));
    }
    about.push_str(&format!(" File: {}.", s.file));
    blocks.push(Block::Paragraph { text: about });
    for w in &s.warnings {
        blocks.push(Block::Note {
            text: format!("Warning: {w}"),
        });
    }
    let stem_prefix = format!("waterfall-{}-", i + 1);
    let waterfall = charts.iter().find(|(st, _)| st.starts_with(&stem_prefix));
    if let (Some((_, bytes)), true) = (waterfall, s.steps.len() > 1) {
        blocks.push(Block::Chart(Chart {
            id: format!("scenario-{}-waterfall", i + 1),
            title: format!("{}: from the {year} inventory to the scenario", s.name),
            description: format!(
                "Waterfall from {} through each intervention ({}) to {}.",
                tonnes(s.totals.total_t + s.marginal_saving_t),
                s.steps
                    .iter()
                    .map(|st| format!("{} {} t", st.label, signed(-st.saving_t, 0)))
                    .collect::<Vec<_>>()
                    .join(", "),
                tonnes(s.totals.total_t)
            ),
            svg: svg(bytes.clone()),
        }));
    }
    if !s.steps.is_empty() {
        blocks.push(Block::Table(views::steps_table(i, s)));
    }
    blocks
}

fn trajectory_section(sc: &ScenarioInput<'_>, charts: &NamedCharts) -> Section {
    let tr = &sc.comparison.trajectory;
    let mut blocks = vec![Block::Paragraph {
        text: format!(
            "Yearly totals from {} to {}: {}.",
            tr.from_year, tr.to_year, tr.method
        ),
    }];
    if let Some((_, bytes)) = charts.iter().find(|(s, _)| s == "trajectory") {
        let last = |s: &crate::scenario::YearlySeries| {
            s.points
                .iter()
                .max_by_key(|(y, _)| *y)
                .map_or(String::new(), |(_, v)| tonnes(*v))
        };
        blocks.push(Block::Chart(Chart {
            id: "trajectory".into(),
            title: format!(
                "Mobility emissions per year, {}–{}",
                tr.from_year, tr.to_year
            ),
            description: format!(
                "Lines of t CO2e per year to {}: {}{}.",
                tr.to_year,
                tr.series
                    .iter()
                    .map(|s| format!("{} ending at {}", s.label, last(s)))
                    .collect::<Vec<_>>()
                    .join("; "),
                tr.target
                    .as_ref()
                    .map(|t| format!("; {} ({})", t.label, last(t)))
                    .unwrap_or_default()
            ),
            svg: svg(bytes.clone()),
        }));
    }
    // One row per line, one column per year.
    let mut columns = vec![Column::text("series", "Line")];
    let years: Vec<i32> = (tr.from_year..=tr.to_year).collect();
    for y in &years {
        columns.push(Column::number(
            &format!("t_{y}"),
            &y.to_string(),
            "t CO2e",
            0,
        ));
    }
    let mut series: Vec<(&crate::scenario::YearlySeries, bool)> =
        tr.series.iter().map(|s| (s, false)).collect();
    if let Some(t) = &tr.target {
        series.push((t, true));
    }
    let rows: Vec<Row> = series
        .iter()
        .map(|(s, is_target)| {
            let mut r = vec![Cell::text(&s.label)];
            for y in &years {
                // The target is a straight line between its points.
                let v = s
                    .points
                    .iter()
                    .find(|(py, _)| py == y)
                    .map(|(_, v)| *v)
                    .or_else(|| {
                        if !is_target {
                            return None;
                        }
                        let (a, b) = (s.points.first()?, s.points.last()?);
                        (b.0 != a.0)
                            .then(|| a.1 + (b.1 - a.1) * f64::from(y - a.0) / f64::from(b.0 - a.0))
                    });
                r.push(v.map_or(Cell::Empty, Cell::Number));
            }
            Row::new(r)
        })
        .collect();
    blocks.push(Block::Table(Table {
        id: "trajectory".into(),
        title: format!("Yearly totals, {}–{}", tr.from_year, tr.to_year),
        columns,
        rows,
        notes: tr
            .target_t
            .map(|t| {
                vec![format!(
                    "Target in {}: {}; the target line runs straight from the baseline to it.",
                    tr.to_year,
                    tonnes(t)
                )]
            })
            .unwrap_or_default(),
    }));
    Section {
        id: "trajectory".into(),
        title: format!("Trajectory to {}", tr.to_year),
        blocks,
    }
}
