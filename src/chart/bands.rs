//! Distance bands: number of journeys next to their emissions, band by band.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    Canvas, HEADING, LABEL, MARGIN, NOTE, Scale, Ticks, VALUE, format_like, format_share,
};
use super::palette::{INK, MUTED};
use super::{ChartError, ChartFormat, Draw, check_finite, render};

const CHART: &str = "distance bands";

/// Bar colour of the journeys panel (Okabe–Ito blue).
const JOURNEYS: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Bar colour of the emissions panel (Okabe–Ito vermillion).
const EMISSIONS: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// One distance band of [`distance_bands`].
#[derive(Clone, Debug, PartialEq)]
pub struct BandBin {
    /// Band label, e.g. "< 100 km" or "700–1,500 km".
    pub label: String,
    /// Number of journeys in the band.
    pub journeys: f64,
    /// Emissions of those journeys, t CO2e.
    pub co2e: f64,
}

/// Journeys and emissions by distance band, as two panels of horizontal bars side by side
/// that share the band labels: many short journeys and few long ones with most of the
/// emissions show at a glance.
///
/// Bands are drawn top to bottom in the given order. Each bar ends in its value and its share
/// of the panel's total ("1,240 · 41%"). `co2e` is in t CO2e (the right panel's axis says so).
///
/// # Errors
///
/// [`ChartError::Empty`] without bins, [`ChartError::NotFinite`] for a NaN or infinite value,
/// [`ChartError::Drawing`] if plotters or the encoder fails.
pub fn distance_bands(
    title: &str,
    bins: &[BandBin],
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    if bins.is_empty() {
        return Err(ChartError::Empty { chart: CHART });
    }
    for bin in bins {
        check_finite(CHART, &format!("{} / journeys", bin.label), bin.journeys)?;
        check_finite(CHART, &format!("{} / CO2e", bin.label), bin.co2e)?;
    }
    render(&DistanceBands { title, bins }, format)
}

struct DistanceBands<'a> {
    title: &'a str,
    bins: &'a [BandBin],
}

/// One of the two panels.
struct Panel {
    heading: &'static str,
    axis: &'static str,
    colour: RGBColor,
    values: Vec<f64>,
}

impl Draw for DistanceBands<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.bins.len().min(120) as u32;
        (1000, (200 + 30 * rows).clamp(600, 3800))
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let n = self.bins.len();
        let top = c.title(self.title)? + 18.0;
        let heading_y = top;
        let plot_top = top + HEADING.size + 14.0;
        let bottom = c.height - MARGIN - 58.0;
        let row_h = (bottom - plot_top) / n as f64;
        let label_font = LABEL.with_size(LABEL.size.min(row_h * 0.75).max(7.0));
        let value_font = VALUE.with_size((VALUE.size - 1.0).min(row_h * 0.72).max(7.0));
        let share_font = NOTE.with_size(NOTE.size.min(row_h * 0.7).max(7.0));

        let label_w = c
            .max_text_width(self.bins.iter().map(|b| b.label.as_str()), label_font)
            .min(c.width * 0.2);
        let left = MARGIN + label_w + 12.0;
        let gutter = 40.0;
        let panel_w = (c.width - MARGIN - left - gutter) / 2.0;

        let panels = [
            Panel {
                heading: "Journeys",
                axis: "number of journeys",
                colour: JOURNEYS,
                values: self.bins.iter().map(|b| b.journeys).collect(),
            },
            Panel {
                heading: "Emissions",
                axis: "t CO2e",
                colour: EMISSIONS,
                values: self.bins.iter().map(|b| b.co2e).collect(),
            },
        ];

        for (i, bin) in self.bins.iter().enumerate() {
            let yc = plot_top + (i as f64 + 0.5) * row_h;
            let label = c.fit(&bin.label, label_font, label_w);
            c.text(
                &label,
                (left - 10.0, yc),
                label_font,
                INK,
                (HPos::Right, VPos::Center),
            )?;
        }

        for (p, panel) in panels.iter().enumerate() {
            let x0 = left + p as f64 * (panel_w + gutter);
            let x1 = x0 + panel_w;
            c.text(
                panel.heading,
                (x0, heading_y),
                HEADING,
                INK,
                (HPos::Left, VPos::Top),
            )?;
            let total: f64 = panel.values.iter().map(|v| v.max(0.0)).sum();
            let reference = panel.values.iter().map(|v| v.abs()).fold(0.0, f64::max);
            let texts: Vec<(String, String)> = panel
                .values
                .iter()
                .map(|&v| {
                    let share = if total > 0.0 && v >= 0.0 {
                        format!(" · {}", format_share(v / total))
                    } else {
                        String::new()
                    };
                    (format_like(v, reference), share)
                })
                .collect();
            let room = texts
                .iter()
                .map(|(v, s)| c.text_width(v, value_font) + c.text_width(s, share_font) + 10.0)
                .fold(0.0, f64::max);
            let hi = panel.values.iter().copied().fold(0.0, f64::max);
            let hi = if hi > 0.0 { hi } else { 1.0 };
            let data = Scale::new(0.0, hi, x0, x1 - room);
            let scale = Scale::new(0.0, hi + room * data.per_px(), x0, x1);
            let ticks = Ticks::within(0.0, scale.hi, 4);
            c.x_axis(&scale, &ticks, bottom, plot_top, panel.axis)?;

            let thickness = (row_h * 0.66).min(40.0);
            for (i, &v) in panel.values.iter().enumerate() {
                let yc = plot_top + (i as f64 + 0.5) * row_h;
                // Negative counts or emissions make no sense here: drawn as empty bars.
                let end = scale.px(v.max(0.0));
                if end - x0 >= 0.5 {
                    c.fill_rect(
                        (x0, yc - thickness / 2.0),
                        (end, yc + thickness / 2.0),
                        panel.colour,
                    )?;
                }
                let (value, share) = &texts[i];
                c.text(
                    value,
                    (end + 6.0, yc),
                    value_font,
                    INK,
                    (HPos::Left, VPos::Center),
                )?;
                let vw = c.text_width(value, value_font);
                c.text(
                    share,
                    (end + 6.0 + vw, yc),
                    share_font,
                    MUTED,
                    (HPos::Left, VPos::Center),
                )?;
            }
            c.line(&[(x0, plot_top), (x0, bottom)], INK, 1.0)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_support::{FORMATS, assert_png, assert_svg};

    fn bin(label: &str, journeys: f64, co2e: f64) -> BandBin {
        BandBin {
            label: label.to_string(),
            journeys,
            co2e,
        }
    }

    fn bins() -> Vec<BandBin> {
        vec![
            bin("< 100 km", 1800.0, 12.0),
            bin("100–500 km", 2400.0, 160.0),
            bin("500–700 km", 900.0, 210.0),
            bin("700–1,500 km", 1500.0, 820.0),
            bin("1,500–3,700 km", 700.0, 1250.0),
            bin("≥ 3,700 km", 400.0, 2900.0),
        ]
    }

    #[test]
    fn renders_svg_with_title_bands_and_panels() {
        let svg = distance_bands(
            "Journeys and emissions by distance, 2025",
            &bins(),
            ChartFormat::Svg,
        )
        .unwrap();
        assert_svg(
            &svg,
            &[
                "Journeys and emissions by distance, 2025",
                "< 100 km",
                "≥ 3,700 km",
                "Journeys",
                "Emissions",
                "t CO2e",
                "number of journeys",
                "2,900",
                " · 54%",
            ],
        );
    }

    #[test]
    fn renders_png() {
        let png = distance_bands("Bands", &bins(), ChartFormat::Png).unwrap();
        assert_png(&png, 1000, 600);
    }

    #[test]
    fn empty_and_nan_are_errors() {
        assert!(matches!(
            distance_bands("B", &[], ChartFormat::Svg),
            Err(ChartError::Empty { .. })
        ));
        let err = distance_bands("B", &[bin("x", 1.0, f64::NAN)], ChartFormat::Svg).unwrap_err();
        assert!(matches!(err, ChartError::NotFinite { ref label, .. } if label == "x / CO2e"));
    }

    #[test]
    fn edge_cases_render_in_both_formats() {
        let cases = vec![
            vec![bin("All", 10.0, 1.0)],
            vec![bin("Zero", 0.0, 0.0), bin("Also zero", 0.0, 0.0)],
            vec![bin("Negative", -5.0, -1.0), bin("Positive", 5.0, 1.0)],
            vec![bin(
                "A band label far too long to fit in the label column of this chart",
                1.0,
                1.0,
            )],
            (0..36)
                .map(|i| {
                    bin(
                        &format!("{}–{} km", i * 100, i * 100 + 100),
                        50.0,
                        f64::from(i),
                    )
                })
                .collect(),
        ];
        for bins in &cases {
            for format in FORMATS {
                distance_bands("Edge", bins, format).unwrap();
            }
        }
    }
}
