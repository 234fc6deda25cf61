//! Stacked vertical bars: emissions by mode for the baseline and each scenario.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    AXIS_TITLE, Canvas, LegendEntry, MARGIN, Mark, NOTE, Scale, TICK, Ticks, format_like,
    format_percent_change, leading_unit,
};
use super::palette::{INK, TOTAL, luminance, mode_colour, mode_name};
use super::{ChartError, ChartFormat, Draw, check_finite, render};

const CHART: &str = "stacked bars";

/// One bar of [`stacked_bars`]: a label and its parts by mode.
#[derive(Clone, Debug, PartialEq)]
pub struct StackedBar {
    /// Category label under the bar, e.g. "Baseline" or "Rail below 700 km"; wrapped on up to
    /// three lines and shortened with "…" if still too long.
    pub label: String,
    /// `(mode key, value)` parts; the mode key picks the colour ([`super::mode_colour`]) and
    /// the legend name.
    pub segments: Vec<(String, f64)>,
}

/// Vertical bars stacked by mode, e.g. t CO2e by mode for the baseline and each scenario.
///
/// The first bar is the reference (normally the baseline): a dashed line marks its total
/// across the chart, and the other bars show their change relative to it ("−23%") under
/// their total. Modes are stacked in the order they first appear, bottom to top, in the same
/// order in every bar; the legend lists them top to bottom as they appear in the stacks.
/// Segments tall enough carry their value. Negative parts are stacked below zero.
///
/// # Errors
///
/// [`ChartError::Empty`] without bars or without any segment, [`ChartError::NotFinite`] for a
/// NaN or infinite value, [`ChartError::Drawing`] if plotters or the encoder fails.
pub fn stacked_bars(
    title: &str,
    y_label: &str,
    bars: &[StackedBar],
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    if bars.iter().all(|b| b.segments.is_empty()) {
        return Err(ChartError::Empty { chart: CHART });
    }
    for bar in bars {
        for (mode, value) in &bar.segments {
            check_finite(CHART, &format!("{} / {mode}", bar.label), *value)?;
        }
    }
    render(
        &StackedBars {
            title,
            y_label,
            bars,
        },
        format,
    )
}

struct StackedBars<'a> {
    title: &'a str,
    y_label: &'a str,
    bars: &'a [StackedBar],
}

/// One drawn segment: mode index, value.
type Segment = (usize, f64);

impl StackedBars<'_> {
    /// Mode keys in order of first appearance (by display name, so synonyms merge).
    fn modes(&self) -> Vec<String> {
        let mut modes: Vec<String> = Vec::new();
        for bar in self.bars {
            for (mode, _) in &bar.segments {
                if !modes.iter().any(|m| mode_name(m) == mode_name(mode)) {
                    modes.push(mode.clone());
                }
            }
        }
        modes
    }

    /// Each bar's segments sorted by mode order.
    fn stacks(&self, modes: &[String]) -> Vec<Vec<Segment>> {
        self.bars
            .iter()
            .map(|bar| {
                let mut segs: Vec<Segment> = bar
                    .segments
                    .iter()
                    .map(|(mode, v)| {
                        let i = modes
                            .iter()
                            .position(|m| mode_name(m) == mode_name(mode))
                            .unwrap_or(0);
                        (i, *v)
                    })
                    .collect();
                segs.sort_by_key(|s| s.0);
                segs
            })
            .collect()
    }
}

impl Draw for StackedBars<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 600)
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let n = self.bars.len();
        let modes = self.modes();
        let stacks = self.stacks(&modes);
        let totals: Vec<f64> = stacks.iter().map(|s| s.iter().map(|x| x.1).sum()).collect();
        let pos_top: Vec<f64> = stacks
            .iter()
            .map(|s| s.iter().map(|x| x.1.max(0.0)).sum())
            .collect();
        let neg_bottom: Vec<f64> = stacks
            .iter()
            .map(|s| s.iter().map(|x| x.1.min(0.0)).sum())
            .collect();

        let top = c.title(self.title)? + 14.0;

        // Legend on the right: modes top to bottom as stacked, then the reference line.
        let mut legend: Vec<LegendEntry> = modes
            .iter()
            .rev()
            .map(|m| LegendEntry {
                mark: Mark::Box(mode_colour(m)),
                label: mode_name(m),
            })
            .collect();
        if n > 1 {
            legend.push(LegendEntry {
                mark: Mark::Line {
                    colour: TOTAL,
                    width: 2.0,
                    dashed: true,
                },
                label: format!("{} total", self.bars[0].label),
            });
        }
        let legend_w = c.legend_column_width(&legend).min(230.0);
        let legend_x = c.width - MARGIN - legend_w;
        c.legend_column(&legend, (legend_x, top + 8.0), legend_w)?;

        // Value axis.
        let lo_data = neg_bottom.iter().copied().fold(0.0, f64::min);
        let hi_data = pos_top.iter().copied().fold(0.0, f64::max);
        let hi_data = if hi_data > lo_data {
            hi_data
        } else {
            lo_data + 1.0
        };
        let prelim = Ticks::within(lo_data, hi_data * 1.2, 6);
        let tick_w = c.max_text_width(
            prelim
                .values
                .iter()
                .map(|&v| prelim.label(v))
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
            TICK,
        );
        let title_x = MARGIN + AXIS_TITLE.size * 0.5;
        let left = MARGIN + AXIS_TITLE.size + 14.0 + tick_w;
        let right = legend_x - 32.0;
        let slot = (right - left) / n as f64;
        let labels: Vec<&str> = self.bars.iter().map(|b| b.label.as_str()).collect();
        let cats = c.category_labels(&labels, slot, 150.0);
        let bottom = c.height - MARGIN - cats.height;
        let plot_top = top + 8.0;

        // Leave room above the tallest bar for its total and change.
        let headroom = 44.0;
        let plot_h = bottom - plot_top;
        let hi_needed = (hi_data * plot_h - headroom * lo_data) / (plot_h - headroom).max(1.0);
        let ticks = Ticks::covering(lo_data, hi_needed, 6);
        let (lo, hi) = ticks.span();
        let scale = Scale::new(lo, hi, bottom, plot_top);
        c.y_axis(&scale, &ticks, left, right, self.y_label, title_x)?;

        let bar_w = (slot * 0.62).min(100.0);
        let centres: Vec<f64> = (0..n).map(|i| left + (i as f64 + 0.5) * slot).collect();
        let seg_font = NOTE.with_size(14.0);
        let reference = hi_data.max(-lo_data);
        for (i, stack) in stacks.iter().enumerate() {
            let (x0, x1) = (centres[i] - bar_w / 2.0, centres[i] + bar_w / 2.0);
            let (mut up, mut down) = (0.0, 0.0);
            for &(mode, v) in stack {
                let (from, to) = if v >= 0.0 {
                    up += v;
                    (up - v, up)
                } else {
                    down += v;
                    (down - v, down)
                };
                let (y_from, y_to) = (scale.px(from), scale.px(to));
                if (y_from - y_to).abs() < 0.5 {
                    continue;
                }
                let colour = mode_colour(&modes[mode]);
                c.fill_rect((x0, y_from), (x1, y_to), colour)?;
                // A white hairline between segments.
                c.line(&[(x0, y_to), (x1, y_to)], plotters::style::WHITE, 1.0)?;
                let text = format_like(v, reference);
                if (y_from - y_to).abs() >= seg_font.size + 4.0
                    && c.text_width(&text, seg_font) <= bar_w - 6.0
                {
                    let ink: RGBColor = if luminance(colour) < 0.4 {
                        plotters::style::WHITE
                    } else {
                        INK
                    };
                    let mid = ((x0 + x1) / 2.0, (y_from + y_to) / 2.0);
                    c.text(&text, mid, seg_font, ink, (HPos::Center, VPos::Center))?;
                }
            }
        }
        let zero = scale.px(0.0);
        c.line(&[(left, zero), (right, zero)], INK, 1.0)?;
        if n > 1 {
            let y = scale.px(totals[0]);
            c.dashed_line(&[(left, y), (right, y)], TOTAL, 2.0, 7.0, 5.0)?;
        }

        // Totals, and the change relative to the first bar.
        let unit = leading_unit(self.y_label);
        for (i, &total) in totals.iter().enumerate() {
            let y_top = scale.px(pos_top[i]);
            let text = match unit {
                Some(u) => format!("{} {u}", format_like(total, reference)),
                None => format_like(total, reference),
            };
            let Some(font) = c.value_font(&text, slot) else {
                continue;
            };
            let change = (i > 0 && totals[0] != 0.0)
                .then(|| format_percent_change((total - totals[0]) / totals[0].abs()));
            c.value_with_change(
                &text,
                change.as_deref(),
                (centres[i], y_top),
                slot,
                font,
                INK,
                true,
            )?;
        }
        c.draw_category_labels(&cats, &centres, bottom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_support::{FORMATS, assert_png, assert_svg};

    fn bar(label: &str, segments: &[(&str, f64)]) -> StackedBar {
        StackedBar {
            label: label.to_string(),
            segments: segments
                .iter()
                .map(|(m, v)| ((*m).to_string(), *v))
                .collect(),
        }
    }

    fn scenarios() -> Vec<StackedBar> {
        vec![
            bar(
                "Baseline 2025",
                &[
                    ("flight", 5200.0),
                    ("car", 2600.0),
                    ("train", 600.0),
                    ("bus", 400.0),
                ],
            ),
            bar(
                "Rail below 700 km",
                &[
                    ("flight", 4100.0),
                    ("car", 2600.0),
                    ("train", 750.0),
                    ("bus", 400.0),
                ],
            ),
            bar(
                "Bike and e-bike promotion",
                &[
                    ("flight", 5200.0),
                    ("car", 2100.0),
                    ("train", 600.0),
                    ("bus", 380.0),
                    ("ebike", 40.0),
                ],
            ),
        ]
    }

    #[test]
    fn renders_svg_with_title_labels_legend_and_totals() {
        let svg = stacked_bars(
            "Emissions by mode, 2025",
            "t CO2e",
            &scenarios(),
            ChartFormat::Svg,
        )
        .unwrap();
        assert_svg(
            &svg,
            &[
                "Emissions by mode, 2025",
                "t CO2e",
                "Baseline 2025",
                "Rail below 700 km",
                "Flight",
                "E-bike",
                "8,800 t",
                "Baseline 2025 total",
            ],
        );
    }

    #[test]
    fn renders_png() {
        let png = stacked_bars(
            "Emissions by mode",
            "t CO2e",
            &scenarios(),
            ChartFormat::Png,
        )
        .unwrap();
        assert_png(&png, 1000, 600);
    }

    #[test]
    fn empty_and_nan_are_errors() {
        assert!(matches!(
            stacked_bars("t", "t", &[], ChartFormat::Svg),
            Err(ChartError::Empty { .. })
        ));
        assert!(matches!(
            stacked_bars("t", "t", &[bar("No parts", &[])], ChartFormat::Svg),
            Err(ChartError::Empty { .. })
        ));
        let err = stacked_bars(
            "t",
            "t",
            &[bar("S", &[("car", f64::INFINITY)])],
            ChartFormat::Png,
        )
        .unwrap_err();
        assert!(matches!(err, ChartError::NotFinite { ref label, .. } if label == "S / car"));
    }

    #[test]
    fn edge_cases_render_in_both_formats() {
        let cases = vec![
            vec![bar("Only", &[("train", 10.0)])],
            vec![
                bar("Zero", &[("car", 0.0)]),
                bar("Also zero", &[("bike", 0.0)]),
            ],
            vec![
                bar("Mixed", &[("car", 50.0), ("telework", -20.0)]),
                bar("Empty", &[]),
            ],
            vec![bar(
                "An extraordinarily long scenario name that keeps going and going well past any reasonable width",
                &[("flight", 3.0)],
            )],
            (0..32)
                .map(|i| {
                    bar(
                        &format!("Scenario {i}"),
                        &[("car", 10.0 + f64::from(i)), ("bus", 5.0)],
                    )
                })
                .collect(),
        ];
        for bars in &cases {
            for format in FORMATS {
                stacked_bars("Edge case", "t CO2e", bars, format).unwrap();
            }
        }
    }
}
