//! Trajectory: yearly totals of one or more series against a target line.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    AXIS_TITLE, Canvas, LegendEntry, MARGIN, Mark, Scale, TICK, Ticks, VALUE, format_like,
    leading_unit, nice_step,
};
use super::palette::{INK, mode_colour};
use super::{ChartError, ChartFormat, Draw, check_finite, render};

const CHART: &str = "trajectory";

/// One line of [`trajectory`]: yearly values.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend label, e.g. "Business travel" or "Target: −30% by 2030".
    pub label: String,
    /// Colour by mode key ([`super::mode_colour`]); `total` and `target` are also keys.
    pub colour_key: String,
    /// `(year, value)` points, in any order.
    pub points: Vec<(i32, f64)>,
    /// Draw the line dashed (e.g. a projection).
    pub dashed: bool,
}

/// Yearly values as lines with markers, e.g. total t CO2e per year up to 2030, with an
/// optional target drawn as a black dashed line.
///
/// The value axis starts at zero (or below, for negative values); the last value of every
/// line is written at its end. Years are labelled without thousands separators; a single
/// year is drawn as markers only.
///
/// # Errors
///
/// [`ChartError::Empty`] when no series (nor the target) has a point,
/// [`ChartError::NotFinite`] for a NaN or infinite value, [`ChartError::Drawing`] if
/// plotters or the encoder fails.
pub fn trajectory(
    title: &str,
    y_label: &str,
    series: &[Series],
    target: Option<&Series>,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    let all: Vec<&Series> = series.iter().chain(target).collect();
    if all.iter().all(|s| s.points.is_empty()) {
        return Err(ChartError::Empty { chart: CHART });
    }
    for s in &all {
        for &(year, value) in &s.points {
            check_finite(CHART, &format!("{} / {year}", s.label), value)?;
        }
    }
    render(
        &Trajectory {
            title,
            y_label,
            series,
            target,
        },
        format,
    )
}

struct Trajectory<'a> {
    title: &'a str,
    y_label: &'a str,
    series: &'a [Series],
    target: Option<&'a Series>,
}

/// How one line is drawn.
struct Line<'a> {
    series: &'a Series,
    colour: plotters::style::RGBColor,
    width: f64,
    dashed: bool,
    marker: f64,
}

impl Draw for Trajectory<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 600)
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let mut lines: Vec<Line<'_>> = self
            .series
            .iter()
            .map(|s| Line {
                series: s,
                colour: mode_colour(&s.colour_key),
                width: 3.0,
                dashed: s.dashed,
                marker: 4.5,
            })
            .collect();
        if let Some(t) = self.target {
            lines.push(Line {
                series: t,
                colour: INK,
                width: 2.0,
                dashed: true,
                marker: 3.5,
            });
        }
        let lines: Vec<Line<'_>> = lines
            .into_iter()
            .filter(|l| !l.series.points.is_empty())
            .collect();

        let mut top = c.title(self.title)? + 10.0;
        let legend: Vec<LegendEntry> = lines
            .iter()
            .map(|l| LegendEntry {
                mark: Mark::Line {
                    colour: l.colour,
                    width: l.width,
                    dashed: l.dashed,
                },
                label: l.series.label.clone(),
            })
            .collect();
        top += c.legend_row(&legend, (MARGIN, top), c.width - 2.0 * MARGIN, true)? + 14.0;

        let points = || lines.iter().flat_map(|l| l.series.points.iter().copied());
        let year_min = points().map(|p| p.0).min().unwrap_or(2025);
        let year_max = points().map(|p| p.0).max().unwrap_or(year_min);
        let lo_data = points().map(|p| p.1).fold(0.0, f64::min);
        let hi_data = points().map(|p| p.1).fold(0.0, f64::max);
        let hi_data = if hi_data > lo_data {
            hi_data
        } else {
            lo_data + 1.0
        };
        let reference = hi_data.max(-lo_data);
        let ticks = Ticks::covering(lo_data, hi_data * 1.05, 6);
        let (lo, hi) = ticks.span();
        let tick_labels: Vec<String> = ticks.values.iter().map(|&v| ticks.label(v)).collect();
        let tick_w = c.max_text_width(tick_labels.iter().map(String::as_str), TICK);

        let unit = leading_unit(self.y_label);
        let end_text = |v: f64| match unit {
            Some(u) => format!("{} {u}", format_like(v, reference)),
            None => format_like(v, reference),
        };
        let end_w = lines
            .iter()
            .filter_map(|l| l.series.points.iter().max_by_key(|p| p.0))
            .map(|p| c.text_width(&end_text(p.1), VALUE))
            .fold(0.0, f64::max);

        let title_x = MARGIN + AXIS_TITLE.size * 0.5;
        let left = MARGIN + AXIS_TITLE.size + 14.0 + tick_w;
        let right = c.width - MARGIN - end_w - 12.0;
        let bottom = c.height - MARGIN - 30.0;
        let y_scale = Scale::new(lo, hi, bottom, top);
        c.y_axis(&y_scale, &ticks, left, right, self.y_label, title_x)?;

        let span = f64::from(year_max) - f64::from(year_min);
        let pad = if span == 0.0 { 1.0 } else { 0.4 };
        let x_scale = Scale::new(
            f64::from(year_min) - pad,
            f64::from(year_max) + pad,
            left,
            right,
        );
        let year_step = nice_step(span.max(1.0), 12).ceil().max(1.0) as i64;
        let first = (i64::from(year_min) + year_step - 1).div_euclid(year_step) * year_step;
        for year in (first..=i64::from(year_max)).step_by(year_step as usize) {
            let x = x_scale.px(year as f64);
            c.text(
                &year.to_string(),
                (x, bottom + 7.0),
                TICK,
                super::palette::MUTED,
                (HPos::Center, VPos::Top),
            )?;
        }
        c.line(
            &[(left, y_scale.px(0.0)), (right, y_scale.px(0.0))],
            INK,
            1.0,
        )?;

        let (paths, ends) = draw_lines(c, &lines, &x_scale, &y_scale, &end_text)?;
        let plot = Plot {
            left,
            right: c.width - MARGIN,
            top,
            bottom,
        };
        label_ends(c, &ends, &paths, x_scale.px(f64::from(year_max)), &plot)?;
        Ok(())
    }
}

/// Lines, then markers on top; returns each line's pixel path and its end label
/// `(x, y, text)`.
#[allow(clippy::type_complexity)]
fn draw_lines<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    lines: &[Line<'_>],
    x_scale: &Scale,
    y_scale: &Scale,
    end_text: &dyn Fn(f64) -> String,
) -> Result<(Vec<Vec<(f64, f64)>>, Vec<(f64, f64, String)>), ChartError> {
    let mut paths: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut ends: Vec<(f64, f64, String)> = Vec::new();
    for line in lines {
        let mut pts = line.series.points.clone();
        pts.sort_by_key(|p| p.0);
        let px: Vec<(f64, f64)> = pts
            .iter()
            .map(|&(y, v)| (x_scale.px(f64::from(y)), y_scale.px(v)))
            .collect();
        if px.len() > 1 {
            if line.dashed {
                c.dashed_line(&px, line.colour, line.width, 10.0, 6.0)?;
            } else {
                c.line(&px, line.colour, line.width)?;
            }
        }
        for &p in &px {
            c.dot(
                p,
                line.marker,
                line.colour,
                Some((plotters::style::WHITE, 1.5)),
            )?;
        }
        if let (Some(&(x, y)), Some(&(_, v))) = (px.last(), pts.last()) {
            ends.push((x, y, end_text(v)));
        }
        paths.push(px);
    }
    Ok((paths, ends))
}

/// The plot area in pixels (labels stay inside it).
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

/// End labels. Lines that reach the last year (`last_x`) are labelled in the right margin,
/// pushed apart where they would overlap (none if they cannot all fit); lines that stop
/// earlier are labelled right of, above or below their last point, wherever no line or other
/// label is in the way.
fn label_ends<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    ends: &[(f64, f64, String)],
    paths: &[Vec<(f64, f64)>],
    last_x: f64,
    plot: &Plot,
) -> Result<(), ChartError> {
    let (top, bottom) = (plot.top, plot.bottom);
    let gap = VALUE.size + 3.0;
    let (at_edge, inside): (Vec<usize>, Vec<usize>) =
        (0..ends.len()).partition(|&i| (ends[i].0 - last_x).abs() < 0.5);
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    if at_edge.len() as f64 * gap <= bottom - top {
        let mut order = at_edge;
        order.sort_by(|&a, &b| ends[a].1.total_cmp(&ends[b].1));
        let mut placed: Vec<f64> = Vec::new();
        for &i in &order {
            let want = ends[i].1;
            let y = placed.last().map_or(want, |&prev| want.max(prev + gap));
            placed.push(y);
        }
        let overflow = placed
            .last()
            .map_or(0.0, |&y| (y - (bottom - gap / 2.0)).max(0.0));
        for (k, &i) in order.iter().enumerate() {
            let (x, _, ref text) = ends[i];
            let at = (x + 10.0, placed[k] - overflow);
            let anchor = (HPos::Left, VPos::Center);
            taken.push(c.text_box(text, at, VALUE, anchor));
            c.text(text, at, VALUE, INK, anchor)?;
        }
    }
    for &i in &inside {
        let (x, y, ref text) = ends[i];
        let candidates = [
            ((x + 10.0, y), (HPos::Left, VPos::Center)),
            ((x, y - 10.0), (HPos::Center, VPos::Bottom)),
            ((x, y + 10.0), (HPos::Center, VPos::Top)),
        ];
        let free = candidates.into_iter().find(|&(at, anchor)| {
            let b = c.text_box(text, at, VALUE, anchor);
            let inside_plot = b.0 >= plot.left && b.2 <= plot.right && b.1 >= top && b.3 <= bottom;
            inside_plot
                && !taken.iter().any(|t| overlaps(*t, b))
                && !paths.iter().any(|p| path_hits(p, b))
        });
        if let Some((at, anchor)) = free {
            taken.push(c.text_box(text, at, VALUE, anchor));
            c.text(text, at, VALUE, INK, anchor)?;
        }
    }
    Ok(())
}

/// Whether two boxes `(x0, y0, x1, y1)` overlap.
fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Whether a polyline passes through a box (grown by 3 px), checked every 2 px along it.
fn path_hits(path: &[(f64, f64)], b: (f64, f64, f64, f64)) -> bool {
    let b = (b.0 - 3.0, b.1 - 3.0, b.2 + 3.0, b.3 + 3.0);
    let inside = |(x, y): (f64, f64)| x >= b.0 && x <= b.2 && y >= b.1 && y <= b.3;
    if path.len() == 1 {
        return inside(path[0]);
    }
    path.windows(2).any(|w| {
        let (a, z) = (w[0], w[1]);
        let steps = ((z.0 - a.0).hypot(z.1 - a.1) / 2.0).ceil().max(1.0) as usize;
        (0..=steps).any(|k| {
            let t = k as f64 / steps as f64;
            inside((a.0 + (z.0 - a.0) * t, a.1 + (z.1 - a.1) * t))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_support::{FORMATS, assert_png, assert_svg};

    fn series(label: &str, key: &str, points: &[(i32, f64)], dashed: bool) -> Series {
        Series {
            label: label.to_string(),
            colour_key: key.to_string(),
            points: points.to_vec(),
            dashed,
        }
    }

    fn data() -> (Vec<Series>, Series) {
        (
            vec![
                series(
                    "Total",
                    "total",
                    &[
                        (2025, 10_000.0),
                        (2026, 9_600.0),
                        (2027, 9_100.0),
                        (2028, 8_700.0),
                    ],
                    false,
                ),
                series(
                    "Projection",
                    "total",
                    &[(2028, 8_700.0), (2030, 7_900.0)],
                    true,
                ),
            ],
            series(
                "Target: −30% by 2030",
                "target",
                &[(2025, 10_000.0), (2030, 7_000.0)],
                true,
            ),
        )
    }

    #[test]
    fn renders_svg_with_title_years_legend_and_end_values() {
        let (s, t) = data();
        let svg = trajectory(
            "Emissions 2025–2030",
            "t CO2e",
            &s,
            Some(&t),
            ChartFormat::Svg,
        )
        .unwrap();
        assert_svg(
            &svg,
            &[
                "Emissions 2025–2030",
                "t CO2e",
                "2025",
                "2030",
                "Projection",
                "Target: −30% by 2030",
                "7,000 t",
                "7,900 t",
            ],
        );
        assert!(
            !String::from_utf8(svg).unwrap().contains("2,025"),
            "year with separator"
        );
    }

    #[test]
    fn renders_png() {
        let (s, t) = data();
        let png = trajectory("T", "t CO2e", &s, Some(&t), ChartFormat::Png).unwrap();
        assert_png(&png, 1000, 600);
    }

    #[test]
    fn empty_and_nan_are_errors() {
        assert!(matches!(
            trajectory("T", "t", &[], None, ChartFormat::Svg),
            Err(ChartError::Empty { .. })
        ));
        let empty = series("E", "total", &[], false);
        assert!(matches!(
            trajectory("T", "t", &[empty], None, ChartFormat::Svg),
            Err(ChartError::Empty { .. })
        ));
        let bad = series("B", "total", &[(2025, f64::NAN)], false);
        let err = trajectory("T", "t", &[bad], None, ChartFormat::Svg).unwrap_err();
        assert!(matches!(err, ChartError::NotFinite { ref label, .. } if label == "B / 2025"));
    }

    #[test]
    fn edge_cases_render_in_both_formats() {
        let long: Vec<(i32, f64)> = (1990..=2050).map(|y| (y, f64::from(y - 1990))).collect();
        let cases: Vec<(Vec<Series>, Option<Series>)> = vec![
            (vec![series("One year", "car", &[(2025, 5.0)], false)], None),
            (
                vec![],
                Some(series(
                    "Target only",
                    "target",
                    &[(2025, 1.0), (2030, 0.0)],
                    true,
                )),
            ),
            (
                vec![series("Zeros", "bike", &[(2025, 0.0), (2026, 0.0)], false)],
                None,
            ),
            (
                vec![series(
                    "Negative",
                    "train",
                    &[(2025, -3.0), (2026, 2.0)],
                    false,
                )],
                None,
            ),
            (vec![series("Long", "flight", &long, false)], None),
            (
                (0..30)
                    .map(|i| {
                        series(
                            &format!("Series {i}"),
                            "car",
                            &[(2025, f64::from(i)), (2030, 1.0)],
                            false,
                        )
                    })
                    .collect(),
                None,
            ),
        ];
        for (s, t) in &cases {
            for format in FORMATS {
                trajectory("Edge", "t CO2e", s, t.as_ref(), format).unwrap();
            }
        }
    }
}
