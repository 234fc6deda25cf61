//! The scenario charts, drawn with [`crate::chart`] from a [`Comparison`] and the inventory's
//! business journeys. Returns named images; the caller writes them.

use super::privacy::is_withheld;
use super::{Comparison, RowOutcome, ScenarioRow};
use crate::breakdown::DistanceBand;
use crate::chart::{
    BandBin, ChartError, ChartFormat, MapLine, Series, StackedBar, WaterfallStep, destination_map,
    distance_bands, stacked_bars, trajectory, waterfall,
};
use std::collections::BTreeMap;

/// One business journey of the inventory, reduced to what the distance and map charts need.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyPoint {
    /// Mode key.
    pub mode: String,
    /// One-way travelled km.
    pub one_way_km: f64,
    /// Person-journeys a year the row stands for (weight × travellers).
    pub trips: f64,
    /// kg CO2e a year.
    pub co2e_kg: f64,
    /// Destination: label, latitude, longitude.
    pub destination: Option<(String, f64, f64)>,
}

/// The business journeys of `rows` evaluated as `outcomes` (same order).
pub fn journey_points<R: ScenarioRow>(rows: &[R], outcomes: &[RowOutcome]) -> Vec<JourneyPoint> {
    rows.iter()
        .zip(outcomes)
        .filter(|(r, _)| r.category() == super::Category::Business && r.weight() > 0.0)
        .map(|(r, o)| JourneyPoint {
            mode: r.mode().key().to_string(),
            one_way_km: o.one_way_km,
            trips: r.weight() * o.units,
            co2e_kg: o.co2e_kg,
            destination: r
                .destination()
                .map(|s| (s.name.clone(), s.position.lat_deg, s.position.lon_deg)),
        })
        .collect()
}

/// Colour keys for scenario lines in the trajectory (distinct, mode-neutral order).
const LINE_KEYS: [&str; 8] = [
    "train", "ebike", "car", "bus", "coach", "flight", "moped", "taxi",
];

fn file_stem(i: usize, name: &str) -> String {
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug: String = slug.chars().take(40).collect();
    format!("waterfall-{}-{}", i + 1, slug.trim_end_matches('-'))
}

/// Every chart: `(file stem, bytes)`. `campus` is the map's origin (label, lat, lon).
///
/// - `scenarios-by-mode`: stacked bars by mode, the inventory next to each scenario;
/// - `waterfall-N-NAME`: from the start of each scenario through each intervention;
///   with `combine` also `waterfall-combined`: the inventory through each scenario;
/// - `trajectory`: yearly totals to the target year with the target line;
/// - `distance-bands`: business journeys and their emissions by distance band;
/// - `destinations`: business destinations from the campus, width by t CO2e.
///
/// # Errors
/// [`ChartError`] when a chart cannot be drawn (the distance and map charts are left out
/// when there is no business travel).
pub fn render_all(
    cmp: &Comparison,
    journeys: &[JourneyPoint],
    campus: (&str, f64, f64),
    format: ChartFormat,
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let mut out = vec![by_mode_chart(cmp, format)?];
    out.extend(waterfall_charts(cmp, format)?);
    out.push(trajectory_chart(cmp, format)?);
    if journeys.is_empty() {
        return Ok(out);
    }
    out.push(distance_band_chart(cmp.inventory_year, journeys, format)?);
    if let Some(map) = destination_chart(cmp.inventory_year, journeys, campus, format)? {
        out.push(map);
    }
    Ok(out)
}

/// `scenarios-by-mode`: stacked bars, modes in descending order of the inventory, the same in
/// every bar.
fn by_mode_chart(cmp: &Comparison, format: ChartFormat) -> Result<(String, Vec<u8>), ChartError> {
    let year = cmp.inventory_year;
    let mut modes: Vec<(&String, &f64)> = cmp.baseline.by_mode_t.iter().collect();
    modes.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    let mut order: Vec<String> = modes.iter().map(|(k, _)| (*k).clone()).collect();
    for s in &cmp.scenarios {
        for k in s.totals.by_mode_t.keys() {
            if !order.contains(k) {
                order.push(k.clone());
            }
        }
    }
    let bar = |label: String, by_mode: &BTreeMap<String, f64>| StackedBar {
        label,
        segments: order
            .iter()
            .map(|k| (k.clone(), by_mode.get(k).copied().unwrap_or(0.0)))
            .collect(),
    };
    let mut bars = vec![bar(format!("Inventory {year}"), &cmp.baseline.by_mode_t)];
    // Withheld scenarios ([`super::privacy`]) have no bar, waterfall or line.
    for (i, s) in cmp.scenarios.iter().enumerate() {
        if is_withheld(s.totals.total_t) {
            continue;
        }
        let label = if cmp.mode == "combined" && i > 0 {
            format!("+ {}", s.name)
        } else {
            s.name.clone()
        };
        bars.push(bar(label, &s.totals.by_mode_t));
    }
    let title = format!(
        "Emissions by mode, inventory {year} and {} scenarios",
        if cmp.mode == "combined" {
            "cumulative"
        } else {
            "each of the"
        }
    );
    Ok((
        "scenarios-by-mode".to_string(),
        stacked_bars(&title, "t CO2e per year", &bars, format)?,
    ))
}

/// `waterfall-N-NAME` per scenario (a stated rebound drawn as its own increase after the gross
/// saving) and, combined, `waterfall-combined` through each scenario.
fn waterfall_charts(
    cmp: &Comparison,
    format: ChartFormat,
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let year = cmp.inventory_year;
    let mut out = Vec::new();
    for (i, s) in cmp.scenarios.iter().enumerate() {
        if is_withheld(s.totals.total_t) {
            continue;
        }
        let start = s.totals.total_t + s.marginal_saving_t;
        let mut steps: Vec<WaterfallStep> = Vec::new();
        for st in &s.steps {
            steps.push(WaterfallStep {
                label: st.label.clone(),
                delta: -(st.saving_t + st.rebound_t),
            });
            if st.rebound_t != 0.0 {
                steps.push(WaterfallStep {
                    label: format!("Rebound ({:.0} %)", st.rebound_share * 100.0),
                    delta: st.rebound_t,
                });
            }
        }
        let start_label = if s.starts_from == "inventory" {
            format!("Inventory {year}")
        } else {
            "Before this scenario".to_string()
        };
        out.push((
            file_stem(i, &s.name),
            waterfall(
                &format!("{}: saving by intervention, {year}", s.name),
                "t CO2e per year",
                &start_label,
                start,
                &steps,
                "Scenario",
                format,
            )?,
        ));
    }
    if cmp.mode == "combined"
        && !cmp.scenarios.is_empty()
        && !cmp
            .scenarios
            .iter()
            .any(|s| is_withheld(s.marginal_saving_t))
    {
        let steps: Vec<WaterfallStep> = cmp
            .scenarios
            .iter()
            .map(|s| WaterfallStep {
                label: s.name.clone(),
                delta: -s.marginal_saving_t,
            })
            .collect();
        out.push((
            "waterfall-combined".to_string(),
            waterfall(
                &format!("All scenarios combined: saving by scenario, {year}"),
                "t CO2e per year",
                &format!("Inventory {year}"),
                cmp.baseline.total_t,
                &steps,
                "Combined",
                format,
            )?,
        ));
    }
    Ok(out)
}

/// `trajectory`: yearly totals to the target year, each scenario's line and the target line.
fn trajectory_chart(
    cmp: &Comparison,
    format: ChartFormat,
) -> Result<(String, Vec<u8>), ChartError> {
    let tr = &cmp.trajectory;
    let lines: Vec<Series> = tr
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| Series {
            label: s.label.clone(),
            colour_key: if i == 0 {
                "total".to_string()
            } else {
                LINE_KEYS[(i - 1) % LINE_KEYS.len()].to_string()
            },
            points: s.points.clone(),
            dashed: i == 0,
        })
        .collect();
    let target = tr.target.as_ref().map(|s| Series {
        label: s.label.clone(),
        colour_key: "target".into(),
        points: s.points.clone(),
        dashed: true,
    });
    Ok((
        "trajectory".to_string(),
        trajectory(
            &format!(
                "Mobility emissions per year, {}–{}, with scenario adoption",
                tr.from_year, tr.to_year
            ),
            "t CO2e per year",
            &lines,
            target.as_ref(),
            format,
        )?,
    ))
}

/// `distance-bands`: business journeys and their emissions by the one band definition of
/// every command ([`DistanceBand`]).
fn distance_band_chart(
    year: i32,
    journeys: &[JourneyPoint],
    format: ChartFormat,
) -> Result<(String, Vec<u8>), ChartError> {
    let mut bins: Vec<BandBin> = DistanceBand::ALL
        .into_iter()
        .map(|b| BandBin {
            label: b.label().to_string(),
            journeys: 0.0,
            co2e: 0.0,
        })
        .collect();
    for j in journeys {
        let i = DistanceBand::of(j.one_way_km).rank();
        bins[i].journeys += j.trips;
        bins[i].co2e += j.co2e_kg / 1000.0;
    }
    Ok((
        "distance-bands".to_string(),
        distance_bands(
            &format!("Business journeys and emissions by one-way distance, {year}"),
            &bins,
            format,
        )?,
    ))
}

/// `destinations`: one line per destination from the campus, coloured by its largest mode;
/// `None` when no journey has a destination.
fn destination_chart(
    year: i32,
    journeys: &[JourneyPoint],
    campus: (&str, f64, f64),
    format: ChartFormat,
) -> Result<Option<(String, Vec<u8>)>, ChartError> {
    // (name, lat and lon in 1/100 degree) -> (lat, lon, t CO2e by mode)
    type ByPlace = BTreeMap<(String, i64, i64), (f64, f64, BTreeMap<String, f64>)>;
    let mut dest = ByPlace::new();
    for j in journeys {
        if let Some((name, lat, lon)) = &j.destination {
            let key = (
                name.clone(),
                (lat * 100.0).round() as i64,
                (lon * 100.0).round() as i64,
            );
            let e = dest.entry(key).or_insert((*lat, *lon, BTreeMap::new()));
            *e.2.entry(j.mode.clone()).or_insert(0.0) += j.co2e_kg / 1000.0;
        }
    }
    let lines: Vec<MapLine> = dest
        .into_iter()
        .map(|((name, _, _), (lat, lon, by_mode))| {
            let total: f64 = by_mode.values().sum();
            let mode = by_mode
                .iter()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(k, _)| k.clone())
                .unwrap_or_default();
            MapLine {
                to_label: Some(name),
                to_lat_deg: lat,
                to_lon_deg: lon,
                weight: total,
                colour_key: mode,
            }
        })
        .collect();
    if lines.is_empty() {
        return Ok(None);
    }
    Ok(Some((
        "destinations".to_string(),
        destination_map(
            &format!("Business travel destinations from {}, {year}", campus.0),
            campus,
            &lines,
            format,
        )?,
    )))
}
