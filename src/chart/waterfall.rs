//! Waterfall: from the baseline through each intervention to the scenario total.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    AXIS_TITLE, Canvas, LegendEntry, MARGIN, Mark, Scale, TICK, Ticks, format_like,
    format_percent_change, leading_unit,
};
use super::palette::{INCREASE, INCREASE_TEXT, INK, MUTED, SAVING, SAVING_TEXT, TOTAL};
use super::{ChartError, ChartFormat, Draw, check_finite, render};

const CHART: &str = "waterfall";

/// One intervention of [`waterfall`]: its label and its effect on the total.
#[derive(Clone, Debug, PartialEq)]
pub struct WaterfallStep {
    /// Category label, e.g. "Rail below 700 km".
    pub label: String,
    /// Change of the total; negative is a saving (green), positive an increase (red).
    pub delta: f64,
}

/// A waterfall from `start` (e.g. the baseline) through each step to the resulting total.
///
/// The first and last bars (`start_label`, `end_label`) are totals drawn from zero; each step
/// floats from the running total, green for a saving and red for an increase, with dashed
/// connectors between bars. Steps are labelled with their signed change ("−1,200"), the end
/// with its total and its change relative to the start ("−23%").
///
/// # Errors
///
/// [`ChartError::NotFinite`] if `start` or a delta is NaN or infinite, [`ChartError::Drawing`]
/// if plotters or the encoder fails. No steps is not an error: the chart then shows the start
/// and the (equal) end.
pub fn waterfall(
    title: &str,
    y_label: &str,
    start_label: &str,
    start: f64,
    steps: &[WaterfallStep],
    end_label: &str,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    check_finite(CHART, start_label, start)?;
    for step in steps {
        check_finite(CHART, &step.label, step.delta)?;
    }
    render(
        &Waterfall {
            title,
            y_label,
            start_label,
            start,
            steps,
            end_label,
        },
        format,
    )
}

struct Waterfall<'a> {
    title: &'a str,
    y_label: &'a str,
    start_label: &'a str,
    start: f64,
    steps: &'a [WaterfallStep],
    end_label: &'a str,
}

/// The bars as laid out: `(from, to)` of each, centres, slot width, the value that sets the
/// labels' precision, the value scale.
struct Bars<'a> {
    spans: &'a [(f64, f64)],
    centres: &'a [f64],
    slot: f64,
    reference: f64,
    scale: &'a Scale,
}

impl Waterfall<'_> {
    /// Total, and Saving / Increase when a step has one.
    fn legend(&self) -> Vec<LegendEntry> {
        let mut legend = vec![LegendEntry {
            mark: Mark::Box(TOTAL),
            label: "Total".to_string(),
        }];
        if self.steps.iter().any(|s| s.delta < 0.0) {
            legend.push(LegendEntry {
                mark: Mark::Box(SAVING),
                label: "Saving".to_string(),
            });
        }
        if self.steps.iter().any(|s| s.delta > 0.0) {
            legend.push(LegendEntry {
                mark: Mark::Box(INCREASE),
                label: "Increase".to_string(),
            });
        }
        legend
    }

    /// Labels: totals above their bar, steps above (increase) or below (saving) theirs.
    fn draw_labels<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        b: &Bars<'_>,
    ) -> Result<(), ChartError> {
        let n = b.spans.len();
        let end = b.spans[n - 1].1;
        let unit = leading_unit(self.y_label);
        let with_unit = |s: String| match unit {
            Some(u) => format!("{s} {u}"),
            None => s,
        };
        for (i, &(from, to)) in b.spans.iter().enumerate() {
            let is_total = i == 0 || i == n - 1;
            let text = if is_total {
                with_unit(format_like(to, b.reference))
            } else {
                let d = to - from;
                let body = format_like(d, b.reference);
                if d > 0.0 { format!("+{body}") } else { body }
            };
            let colour = if is_total {
                INK
            } else if to < from {
                SAVING_TEXT
            } else if to > from {
                INCREASE_TEXT
            } else {
                MUTED
            };
            let Some(font) = c.value_font(&text, b.slot) else {
                continue;
            };
            let (upper, lower) = (b.scale.px(from.max(to)), b.scale.px(from.min(to)));
            if !is_total && to < from && (lower - upper) < font.size + 8.0 {
                // A saving too thin to hold its label: put it under the bar.
                c.text(
                    &text,
                    (b.centres[i], lower + 5.0),
                    font,
                    colour,
                    (HPos::Center, VPos::Top),
                )?;
                continue;
            }
            if !is_total && to < from {
                // Inside a saving bar, near its bottom, in white for contrast.
                c.text(
                    &text,
                    (b.centres[i], lower - 5.0),
                    font,
                    plotters::style::WHITE,
                    (HPos::Center, VPos::Bottom),
                )?;
                continue;
            }
            let change = (i == n - 1 && self.start != 0.0 && n > 2)
                .then(|| format_percent_change((end - self.start) / self.start.abs()));
            c.value_with_change(
                &text,
                change.as_deref(),
                (b.centres[i], upper),
                b.slot,
                font,
                colour,
                false,
            )?;
        }
        Ok(())
    }
}

impl Draw for Waterfall<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 600)
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let n = self.steps.len() + 2;
        // Running totals: levels[0] = start, levels[i + 1] after step i.
        let mut levels = vec![self.start];
        for step in self.steps {
            levels.push(levels[levels.len() - 1] + step.delta);
        }
        let end = levels[levels.len() - 1];
        // (from, to) of every bar.
        let mut spans = vec![(0.0, self.start)];
        spans.extend((0..self.steps.len()).map(|i| (levels[i], levels[i + 1])));
        spans.push((0.0, end));

        let mut top = c.title(self.title)? + 10.0;
        top += c.legend_row(&self.legend(), (MARGIN, top), c.width - 2.0 * MARGIN, true)? + 10.0;

        let lo_data = levels.iter().copied().fold(0.0, f64::min);
        let hi_data = levels.iter().copied().fold(0.0, f64::max);
        let hi_data = if hi_data > lo_data {
            hi_data
        } else {
            lo_data + 1.0
        };
        let reference = hi_data.max(-lo_data);
        let prelim = Ticks::within(lo_data, hi_data * 1.2, 6);
        let tick_labels: Vec<String> = prelim.values.iter().map(|&v| prelim.label(v)).collect();
        let tick_w = c.max_text_width(tick_labels.iter().map(String::as_str), TICK);
        let title_x = MARGIN + AXIS_TITLE.size * 0.5;
        let left = MARGIN + AXIS_TITLE.size + 14.0 + tick_w;
        let right = c.width - MARGIN;
        let slot = (right - left) / n as f64;
        let labels: Vec<&str> = std::iter::once(self.start_label)
            .chain(self.steps.iter().map(|s| s.label.as_str()))
            .chain(std::iter::once(self.end_label))
            .collect();
        let cats = c.category_labels(&labels, slot, 150.0);
        let bottom = c.height - MARGIN - cats.height;
        let plot_top = top + 4.0;

        // Room above the highest bar for two lines of labels, below the lowest for one.
        let (room_top, room_bottom) = (42.0, if lo_data < 0.0 { 24.0 } else { 0.0 });
        let plot_h = bottom - plot_top;
        let per_px = (hi_data - lo_data) / (plot_h - room_top - room_bottom).max(1.0);
        let (lo_needed, hi_needed) = (lo_data - room_bottom * per_px, hi_data + room_top * per_px);
        let ticks = Ticks::covering(lo_needed, hi_needed, 6);
        let (lo, hi) = ticks.span();
        let scale = Scale::new(lo, hi, bottom, plot_top);
        c.y_axis(&scale, &ticks, left, right, self.y_label, title_x)?;

        let bar_w = (slot * 0.62).min(100.0);
        let centres: Vec<f64> = (0..n).map(|i| left + (i as f64 + 0.5) * slot).collect();
        for (i, &(from, to)) in spans.iter().enumerate() {
            let colour = if i == 0 || i == n - 1 {
                TOTAL
            } else if to < from {
                SAVING
            } else if to > from {
                INCREASE
            } else {
                MUTED
            };
            let (x0, x1) = (centres[i] - bar_w / 2.0, centres[i] + bar_w / 2.0);
            let (y0, y1) = (scale.px(from), scale.px(to));
            if (y0 - y1).abs() >= 0.5 {
                c.fill_rect((x0, y0), (x1, y1), colour)?;
            } else {
                // A zero step still shows where it is.
                c.line(&[(x0, y0), (x1, y0)], colour, 2.0)?;
            }
            if i + 1 < n {
                let y = scale.px(to);
                let next_x0 = centres[i + 1] - bar_w / 2.0;
                c.dashed_line(&[(x1, y), (next_x0, y)], MUTED, 1.0, 4.0, 3.0)?;
            }
        }
        let zero = scale.px(0.0);
        c.line(&[(left, zero), (right, zero)], INK, 1.0)?;

        let bars = Bars {
            spans: &spans,
            centres: &centres,
            slot,
            reference,
            scale: &scale,
        };
        self.draw_labels(c, &bars)?;
        c.draw_category_labels(&cats, &centres, bottom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_support::{FORMATS, assert_png, assert_svg};

    fn step(label: &str, delta: f64) -> WaterfallStep {
        WaterfallStep {
            label: label.to_string(),
            delta,
        }
    }

    fn steps() -> Vec<WaterfallStep> {
        vec![
            step("Rail below 700 km", -1200.0),
            step("Carpooling", -800.0),
            step("More conference travel", 300.0),
            step("Home working", -300.0),
        ]
    }

    #[test]
    fn renders_svg_with_title_labels_and_values() {
        let svg = waterfall(
            "From baseline to scenario, 2025",
            "t CO2e",
            "Baseline 2025",
            10_000.0,
            &steps(),
            "Scenario 2030",
            ChartFormat::Svg,
        )
        .unwrap();
        assert_svg(
            &svg,
            &[
                "From baseline to scenario, 2025",
                "t CO2e",
                "Baseline 2025",
                "Rail below 700 km",
                "Scenario 2030",
                "10,000 t",
                "−1,200",
                "+300",
                "8,000 t",
                "−20%",
                "Saving",
                "Increase",
            ],
        );
    }

    #[test]
    fn renders_png() {
        let png = waterfall(
            "W",
            "t CO2e",
            "Start",
            10_000.0,
            &steps(),
            "End",
            ChartFormat::Png,
        )
        .unwrap();
        assert_png(&png, 1000, 600);
    }

    #[test]
    fn nan_is_an_error() {
        let err = waterfall("W", "t", "Start", f64::NAN, &[], "End", ChartFormat::Svg).unwrap_err();
        assert!(matches!(err, ChartError::NotFinite { .. }));
        let err = waterfall(
            "W",
            "t",
            "Start",
            1.0,
            &[step("Bad", f64::NAN)],
            "End",
            ChartFormat::Svg,
        )
        .unwrap_err();
        assert!(matches!(err, ChartError::NotFinite { ref label, .. } if label == "Bad"));
    }

    #[test]
    fn edge_cases_render_in_both_formats() {
        let many: Vec<WaterfallStep> = (0..32)
            .map(|i| {
                step(
                    &format!("Intervention {i}"),
                    if i % 3 == 0 { 40.0 } else { -60.0 },
                )
            })
            .collect();
        let cases: Vec<(f64, Vec<WaterfallStep>)> = vec![
            (100.0, vec![]),
            (0.0, vec![step("Nothing", 0.0)]),
            (100.0, vec![step("Overshoot", -250.0)]),
            (-50.0, vec![step("Up", 20.0)]),
            (
                10.0,
                vec![step(
                    "A step with an absurdly long name that needs to be shortened somehow",
                    -1.0,
                )],
            ),
            (5000.0, many),
        ];
        for (start, steps) in &cases {
            for format in FORMATS {
                waterfall("Edge", "t CO2e", "Start", *start, steps, "End", format).unwrap();
            }
        }
    }
}
