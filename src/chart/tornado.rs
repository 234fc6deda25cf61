//! Tornado chart: how far one assumption at a time moves a total (used by `sensitivity`).

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    Canvas, LABEL, LegendEntry, MARGIN, Mark, NOTE, Scale, Ticks, VALUE, format_value,
};
use super::palette::{INCREASE, INK, MUTED, SAVING};
use super::{ChartError, ChartFormat, Draw, check_finite, render};

const CHART: &str = "tornado";

/// One bar of [`tornado`]: the total with one assumption at its low and its high value.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    /// The assumption, e.g. "RF multiplier".
    pub label: String,
    /// Total with the assumption at its low value.
    pub low_total: f64,
    /// Total with the assumption at its high value.
    pub high_total: f64,
    /// Text at the low end, e.g. "1.0".
    pub low_note: String,
    /// Text at the high end.
    pub high_note: String,
}

/// Bars from the total with the assumption's low value to the total with its high value,
/// around a vertical line at `base` (the total as configured), in the given order (largest
/// swing first, by convention). The part below `base` is green, the part above orange.
///
/// # Errors
///
/// [`ChartError::Empty`] without bars, [`ChartError::NotFinite`] for a NaN or infinite
/// value, [`ChartError::Drawing`] if plotters or the encoder fails.
pub fn tornado(
    title: &str,
    x_label: &str,
    base: f64,
    bars: &[TornadoBar],
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    if bars.is_empty() {
        return Err(ChartError::Empty { chart: CHART });
    }
    check_finite(CHART, "base", base)?;
    for b in bars {
        check_finite(CHART, &b.label, b.low_total)?;
        check_finite(CHART, &b.label, b.high_total)?;
    }
    render(
        &Tornado {
            title,
            x_label,
            base,
            bars,
        },
        format,
    )
}

struct Tornado<'a> {
    title: &'a str,
    x_label: &'a str,
    base: f64,
    bars: &'a [TornadoBar],
}

impl Draw for Tornado<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.bars.len().min(60) as u32;
        (1000, (220 + 40 * rows).clamp(600, 2600))
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let n = self.bars.len();
        let mut top = c.title(self.title)? + 10.0;
        let legend = vec![
            LegendEntry {
                mark: Mark::Box(SAVING),
                label: "below the configured total".into(),
            },
            LegendEntry {
                mark: Mark::Box(INCREASE),
                label: "above".into(),
            },
        ];
        top += c.legend_row(&legend, (MARGIN, top), c.width - 2.0 * MARGIN, true)? + 16.0;
        let bottom = c.height - MARGIN - 58.0;
        let row_h = (bottom - top) / n as f64;
        let label_font = LABEL.with_size(LABEL.size.min(row_h * 0.5).max(7.0));
        let note_font = NOTE.with_size(NOTE.size.min(row_h * 0.45).max(7.0));
        let label_w = c
            .max_text_width(self.bars.iter().map(|b| b.label.as_str()), label_font)
            .min(c.width * 0.34);
        let left = MARGIN + label_w + 12.0;
        let right = c.width - MARGIN;
        let room = self
            .bars
            .iter()
            .map(|b| {
                c.text_width(&b.low_note, note_font)
                    .max(c.text_width(&b.high_note, note_font))
            })
            .fold(0.0, f64::max)
            + 12.0;
        let lo = self
            .bars
            .iter()
            .map(|b| b.low_total.min(b.high_total))
            .fold(self.base, f64::min);
        let mut hi = self
            .bars
            .iter()
            .map(|b| b.low_total.max(b.high_total))
            .fold(self.base, f64::max);
        if hi <= lo {
            hi = lo + 1.0;
        }
        let data = Scale::new(lo, hi, left + room, right - room);
        let scale = Scale::new(
            lo - room * data.per_px(),
            hi + room * data.per_px(),
            left,
            right,
        );
        let ticks = Ticks::within(scale.lo, scale.hi, 6);
        c.x_axis(&scale, &ticks, bottom, top, self.x_label)?;
        let thickness = (row_h * 0.6).min(34.0);
        let x_base = scale.px(self.base);
        for (i, b) in self.bars.iter().enumerate() {
            let yc = top + (i as f64 + 0.5) * row_h;
            let label = c.fit(&b.label, label_font, label_w);
            c.text(
                &label,
                (left - 10.0, yc),
                label_font,
                INK,
                (HPos::Right, VPos::Center),
            )?;
            let (a, z) = (scale.px(b.low_total), scale.px(b.high_total));
            let (from, to) = (a.min(z), a.max(z));
            if from < x_base - 0.5 {
                c.fill_rect(
                    (from, yc - thickness / 2.0),
                    (x_base.min(to), yc + thickness / 2.0),
                    SAVING,
                )?;
            }
            if to > x_base + 0.5 {
                c.fill_rect(
                    (x_base.max(from), yc - thickness / 2.0),
                    (to, yc + thickness / 2.0),
                    INCREASE,
                )?;
            }
            // The low value's note at the low total's end, the high value's at its end.
            for (x, note) in [(a, &b.low_note), (z, &b.high_note)] {
                let (dx, h) = if x <= (a + z) / 2.0 && a != z {
                    (-6.0, HPos::Right)
                } else {
                    (6.0, HPos::Left)
                };
                c.text(note, (x + dx, yc), note_font, MUTED, (h, VPos::Center))?;
            }
        }
        c.line(&[(x_base, top - 6.0), (x_base, bottom)], INK, 1.5)?;
        c.text(
            &format!("configured {}", format_value(self.base)),
            (x_base, top - 8.0),
            VALUE.with_size(NOTE.size),
            INK,
            (HPos::Center, VPos::Bottom),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_support::{assert_png, assert_svg};

    fn bars() -> Vec<TornadoBar> {
        vec![
            TornadoBar {
                label: "RF multiplier".into(),
                low_total: 8000.0,
                high_total: 14000.0,
                low_note: "1.0".into(),
                high_note: "3.0".into(),
            },
            TornadoBar {
                label: "Rail detour".into(),
                low_total: 9900.0,
                high_total: 10300.0,
                low_note: "1.10".into(),
                high_note: "1.41".into(),
            },
        ]
    }

    #[test]
    fn renders_svg_with_labels_and_notes() {
        let svg = tornado(
            "What moves the total",
            "t CO2e",
            10000.0,
            &bars(),
            ChartFormat::Svg,
        )
        .unwrap();
        assert_svg(
            &svg,
            &[
                "What moves the total",
                "RF multiplier",
                "Rail detour",
                "1.41",
                "configured",
            ],
        );
        let png = tornado("T", "t CO2e", 10000.0, &bars(), ChartFormat::Png).unwrap();
        assert_png(&png, 1000, 600);
    }

    #[test]
    fn empty_and_nan_are_errors() {
        assert!(tornado("T", "t", 1.0, &[], ChartFormat::Svg).is_err());
        let mut b = bars();
        b[0].high_total = f64::NAN;
        assert!(tornado("T", "t", 1.0, &b, ChartFormat::Svg).is_err());
    }
}
