//! Heat map: a square table of values, origin rows × destination columns (the partner matrix).

use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{Canvas, LABEL, MARGIN, NOTE, format_value};
use super::palette::{GRID, INK, MUTED};
use super::{ChartError, ChartFormat, Draw, check_finite, render};

const CHART: &str = "heat map";

/// The most rows or columns drawn (larger matrices are cut, with a note).
const MAX_SIDE: usize = 60;

/// Values of a heat map: `values[row][column]`, `None` for an empty cell (the diagonal, or a
/// mode not offered).
#[derive(Clone, Debug, PartialEq)]
pub struct HeatMap {
    /// Row labels (origins).
    pub rows: Vec<String>,
    /// Column labels (destinations).
    pub columns: Vec<String>,
    /// One row of cells per row label.
    pub values: Vec<Vec<Option<f64>>>,
}

/// A heat map with the value written in each cell; light yellow (low) to dark red (high) on a
/// linear scale from 0 to the largest value, empty cells grey. Rows and columns beyond 60
/// are left out (the note under the chart says so).
///
/// # Errors
///
/// [`ChartError::Empty`] without rows or columns, [`ChartError::NotFinite`] for a NaN or
/// infinite value, [`ChartError::Drawing`] if plotters or the encoder fails.
pub fn heat_map(
    title: &str,
    unit: &str,
    map: &HeatMap,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    if map.rows.is_empty() || map.columns.is_empty() {
        return Err(ChartError::Empty { chart: CHART });
    }
    for (r, row) in map.values.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Some(v) = v {
                let label = format!(
                    "{} → {}",
                    map.rows.get(r).map_or("?", String::as_str),
                    map.columns.get(c).map_or("?", String::as_str)
                );
                check_finite(CHART, &label, *v)?;
            }
        }
    }
    render(&Drawing { title, unit, map }, format)
}

struct Drawing<'a> {
    title: &'a str,
    unit: &'a str,
    map: &'a HeatMap,
}

const CELL_W: f64 = 58.0;
const CELL_H: f64 = 26.0;
const LABEL_W: f64 = 170.0;
const HEADER_H: f64 = 150.0;

/// Light yellow → orange → dark red, Okabe–Ito-friendly sequential ramp (ColorBrewer YlOrRd).
fn ramp(t: f64) -> RGBColor {
    const STOPS: [(f64, (u8, u8, u8)); 5] = [
        (0.0, (0xFF, 0xFF, 0xCC)),
        (0.25, (0xFE, 0xD9, 0x76)),
        (0.5, (0xFD, 0x8D, 0x3C)),
        (0.75, (0xE3, 0x1A, 0x1C)),
        (1.0, (0x80, 0x00, 0x26)),
    ];
    let t = t.clamp(0.0, 1.0);
    let i = STOPS.iter().rposition(|(s, _)| *s <= t).unwrap_or(0).min(3);
    let ((s0, a), (s1, b)) = (STOPS[i], STOPS[i + 1]);
    let f = (t - s0) / (s1 - s0);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl Drawing<'_> {
    fn sides(&self) -> (usize, usize) {
        (
            self.map.rows.len().min(MAX_SIDE),
            self.map.columns.len().min(MAX_SIDE),
        )
    }
}

impl Draw for Drawing<'_> {
    fn size(&self) -> (u32, u32) {
        let (r, c) = self.sides();
        let w = MARGIN * 2.0 + LABEL_W + CELL_W * c as f64;
        let h = MARGIN * 2.0 + 50.0 + HEADER_H + CELL_H * r as f64 + 40.0;
        (w.max(600.0) as u32, h as u32)
    }

    fn draw<DB: plotters::prelude::DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
    ) -> Result<(), ChartError> {
        let top = c.title(self.title)? + 10.0;
        let (nr, nc) = self.sides();
        let max = self
            .map
            .values
            .iter()
            .flatten()
            .flatten()
            .fold(0.0_f64, |a, &b| a.max(b));
        let x0 = MARGIN + LABEL_W;
        let y0 = top + HEADER_H;
        let small = NOTE.with_size(13.0);
        for (j, name) in self.map.columns.iter().take(nc).enumerate() {
            let x = x0 + CELL_W * (j as f64 + 0.5);
            let text = c.fit(name, small, HEADER_H - 10.0);
            // Read upwards, ending just above the first row.
            let y = top + HEADER_H - 8.0 - c.text_width(&text, small) / 2.0;
            c.text_upwards(&text, (x, y), small, INK)?;
        }
        for (i, name) in self.map.rows.iter().take(nr).enumerate() {
            let y = y0 + CELL_H * i as f64;
            let text = c.fit(name, LABEL, LABEL_W - 8.0);
            c.text(
                &text,
                (x0 - 8.0, y + CELL_H / 2.0),
                LABEL.with_size(15.0),
                INK,
                (HPos::Right, VPos::Center),
            )?;
            for j in 0..nc {
                let x = x0 + CELL_W * j as f64;
                let v = self
                    .map
                    .values
                    .get(i)
                    .and_then(|r| r.get(j))
                    .copied()
                    .flatten();
                let (fill, ink) = match v {
                    Some(v) => {
                        let t = if max > 0.0 { v / max } else { 0.0 };
                        (
                            ramp(t),
                            if t > 0.55 {
                                RGBColor(255, 255, 255)
                            } else {
                                INK
                            },
                        )
                    }
                    None => (GRID, MUTED),
                };
                c.fill_rect(
                    (x + 1.0, y + 1.0),
                    (x + CELL_W - 1.0, y + CELL_H - 1.0),
                    fill,
                )?;
                let label = v.map_or_else(|| "–".to_string(), format_value);
                c.text(
                    &label,
                    (x + CELL_W / 2.0, y + CELL_H / 2.0),
                    small,
                    ink,
                    (HPos::Center, VPos::Center),
                )?;
            }
        }
        let mut note = format!("{}; rows: from, columns: to; grey: not offered", self.unit);
        if self.map.rows.len() > nr || self.map.columns.len() > nc {
            note.push_str(&format!("; first {MAX_SIDE} places shown"));
        }
        c.text(
            &note,
            (MARGIN, y0 + CELL_H * nr as f64 + 12.0),
            NOTE,
            MUTED,
            (HPos::Left, VPos::Top),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_values_and_empty_cells_and_rejects_nan() {
        let map = HeatMap {
            rows: vec!["Enschede".into(), "Aalborg".into()],
            columns: vec!["Enschede".into(), "Aalborg".into()],
            values: vec![vec![None, Some(31.5)], vec![Some(31.5), None]],
        };
        let svg =
            String::from_utf8(heat_map("t", "kg CO2e per person", &map, ChartFormat::Svg).unwrap())
                .unwrap();
        assert!(svg.contains("31.5"), "value label missing");
        assert!(svg.contains("Aalborg"));
        let png = heat_map("t", "kg", &map, ChartFormat::Png).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let bad = HeatMap {
            values: vec![vec![Some(f64::NAN)]],
            rows: vec!["a".into()],
            columns: vec!["b".into()],
        };
        assert!(matches!(
            heat_map("t", "kg", &bad, ChartFormat::Svg),
            Err(ChartError::NotFinite { .. })
        ));
    }

    #[test]
    fn the_ramp_runs_from_light_to_dark() {
        let lum = |c: RGBColor| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        assert!(lum(ramp(0.0)) > lum(ramp(0.5)));
        assert!(lum(ramp(0.5)) > lum(ramp(1.0)));
        assert_eq!(ramp(2.0), ramp(1.0));
    }
}
