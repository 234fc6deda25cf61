//! The charts of a sensitivity result: method comparison and tornado, as SVG and PNG bytes.

use super::SensitivityResult;
use crate::chart::{BarItem, ChartError, ChartFormat, TornadoBar, horizontal_bars, tornado};

/// File name of the method comparison chart (without extension).
pub const METHODS: &str = "sensitivity-methods";
/// File name of the tornado chart (without extension).
pub const TORNADO: &str = "sensitivity-tornado";

/// The method comparison: business travel per method, t CO2e.
///
/// # Errors
/// No methods, or a value that is not finite.
pub fn methods_chart(r: &SensitivityResult, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    let items: Vec<BarItem> = r
        .methods
        .iter()
        .map(|m| BarItem {
            label: m.label.clone(),
            value: m.business_kg / 1000.0,
            colour_key: "total".into(),
            annotation: Some(format!(
                "flights {:.0} t; {:+.0} %",
                m.flights_kg / 1000.0,
                m.difference_pct
            )),
        })
        .collect();
    horizontal_bars(
        &format!(
            "Business travel {} under each method (same journeys)",
            r.year
        ),
        "t CO2e",
        &items,
        format,
    )
}

/// The tornado: the total with each assumption at its low and high value, t CO2e.
///
/// # Errors
/// No bars, or a value that is not finite.
pub fn tornado_chart(r: &SensitivityResult, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    let bars: Vec<TornadoBar> = r
        .tornado
        .iter()
        .map(|b| TornadoBar {
            label: b.label.clone(),
            low_total: b.low_total_kg / 1000.0,
            high_total: b.high_total_kg / 1000.0,
            low_note: b.low.clone(),
            high_note: b.high.clone(),
        })
        .collect();
    tornado(
        &format!("What moves the {} total: one assumption at a time", r.year),
        "t CO2e",
        r.point.total_kg / 1000.0,
        &bars,
        format,
    )
}

/// Every chart as (file name, bytes), SVG and PNG.
///
/// # Errors
/// A chart that cannot be drawn.
pub fn all(r: &SensitivityResult) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let mut v = Vec::new();
    for f in [ChartFormat::Svg, ChartFormat::Png] {
        v.push((format!("{METHODS}.{}", f.extension()), methods_chart(r, f)?));
        if !r.tornado.is_empty() {
            v.push((format!("{TORNADO}.{}", f.extension()), tornado_chart(r, f)?));
        }
    }
    Ok(v)
}
