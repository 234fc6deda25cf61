//! Layout and drawing helpers shared by the charts: a canvas in logical pixels, text measuring,
//! fitting and wrapping, linear scales with "nice" ticks, axes, legends and number formats.
//!
//! Charts lay themselves out in logical pixels (about 1000 × 600). The canvas multiplies by a
//! device scale of 2: PNG is drawn at twice the size and downsampled, so that lines are
//! anti-aliased (plotters' bitmap backend draws lines without anti-aliasing), and SVG gets
//! half-pixel coordinates (plotters writes integers) that its `viewBox` scales back.

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform};

use super::ChartError;
use super::palette::{GRID, INK, MUTED};

/// Text as a chart may show it: line breaks and tabs become spaces, other control characters
/// (NUL, escape, DEL, C1) and the non-characters U+FFFE/U+FFFF are dropped. XML — so SVG —
/// cannot hold them at all, and a PNG would draw them as boxes.
pub(crate) fn chart_text(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if unsafe_char(c) => None,
            c => Some(c),
        })
        .collect::<String>()
        .into()
}

/// A point in logical pixels.
pub(crate) type Px = (f64, f64);

/// Outer margin of every chart, logical pixels.
pub(crate) const MARGIN: f64 = 24.0;

/// A font size and weight; the family is always the bundled sans-serif.
///
/// plotters' `size` is the font's line height (ascent − descent) in pixels; the em size (SVG
/// `font-size`) is `size / 1.24`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Font {
    pub size: f64,
    pub bold: bool,
}

pub(crate) const TITLE: Font = Font {
    size: 27.0,
    bold: true,
};
pub(crate) const HEADING: Font = Font {
    size: 19.0,
    bold: true,
};
pub(crate) const AXIS_TITLE: Font = Font {
    size: 18.0,
    bold: false,
};
pub(crate) const TICK: Font = Font {
    size: 16.0,
    bold: false,
};
pub(crate) const LABEL: Font = Font {
    size: 17.0,
    bold: false,
};
pub(crate) const VALUE: Font = Font {
    size: 16.0,
    bold: true,
};
pub(crate) const NOTE: Font = Font {
    size: 15.0,
    bold: false,
};

impl Font {
    pub(crate) fn with_size(self, size: f64) -> Self {
        Self { size, ..self }
    }

    pub(crate) fn bold(self) -> Self {
        Self { bold: true, ..self }
    }
}

/// Map a plotters drawing error to the chart error.
pub(crate) fn draw_err<E: std::error::Error + Send + Sync>(
    e: DrawingAreaErrorKind<E>,
) -> ChartError {
    ChartError::Drawing(e.to_string())
}

/// A drawing area with a device scale; every coordinate given to it is in logical pixels.
pub(crate) struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    /// Device pixels per logical pixel.
    k: f64,
    /// The bitmap text renderer puts the baseline higher than SVG renderers do for the same
    /// anchor; shift it down by this fraction of the font size to match.
    bitmap: bool,
    pub width: f64,
    pub height: f64,
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub(crate) fn new(area: &'a DrawingArea<DB, Shift>, k: f64, bitmap: bool) -> Self {
        let (w, h) = area.dim_in_pixel();
        Self {
            area,
            k,
            bitmap,
            width: f64::from(w) / k,
            height: f64::from(h) / k,
        }
    }

    /// Device coordinate; absurd values are kept within ±1,000,000 px, which plotters'
    /// rasterisers handle without overflowing.
    fn d(&self, v: f64) -> i32 {
        (v * self.k).round().clamp(-1e6, 1e6) as i32
    }

    fn dp(&self, (x, y): Px) -> (i32, i32) {
        (self.d(x), self.d(y))
    }

    fn stroke(&self, width: f64) -> u32 {
        (width * self.k).round().clamp(1.0, 100.0) as u32
    }

    fn font(&self, font: Font) -> FontDesc<'static> {
        let style = if font.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        FontDesc::new(FontFamily::SansSerif, font.size * self.k, style)
    }

    /// Width of `text` in logical pixels.
    pub(crate) fn text_width(&self, text: &str, font: Font) -> f64 {
        let text = &*chart_text(text);
        if text.is_empty() {
            return 0.0;
        }
        let style = TextStyle::from(self.font(font));
        // The bundled font is registered before any drawing, so measuring cannot fail; if it
        // did, an estimate keeps the layout going and the drawing call reports the error.
        match self.area.estimate_text_size(text, &style) {
            Ok((w, _)) => f64::from(w) / self.k,
            Err(_) => text.chars().count() as f64 * font.size * 0.55,
        }
    }

    /// The widest of `texts`.
    pub(crate) fn max_text_width<'t>(
        &self,
        texts: impl IntoIterator<Item = &'t str>,
        font: Font,
    ) -> f64 {
        texts
            .into_iter()
            .map(|t| self.text_width(t, font))
            .fold(0.0, f64::max)
    }

    /// Vertical correction so that bitmap text sits where an SVG renderer puts it.
    fn baseline_fix(&self, font: Font, v: VPos) -> f64 {
        if !self.bitmap {
            return 0.0;
        }
        let f = match v {
            VPos::Top => 0.11,
            VPos::Center => 0.12,
            VPos::Bottom => 0.09,
        };
        f * font.size
    }

    /// Draw `text` anchored at `at`.
    pub(crate) fn text(
        &self,
        text: &str,
        at: Px,
        font: Font,
        colour: RGBColor,
        anchor: (HPos, VPos),
    ) -> Result<(), ChartError> {
        let text = &*chart_text(text);
        if text.is_empty() {
            return Ok(());
        }
        let style = TextStyle::from(self.font(font))
            .color(&colour)
            .pos(Pos::new(anchor.0, anchor.1));
        let at = (at.0, at.1 + self.baseline_fix(font, anchor.1));
        self.area
            .draw_text(text, &style, self.dp(at))
            .map_err(draw_err)
    }

    /// Draw `text` turned 90° anticlockwise (reading upwards), centred on `at`.
    pub(crate) fn text_upwards(
        &self,
        text: &str,
        at: Px,
        font: Font,
        colour: RGBColor,
    ) -> Result<(), ChartError> {
        let text = &*chart_text(text);
        if text.is_empty() {
            return Ok(());
        }
        let style = TextStyle::from(self.font(font))
            .color(&colour)
            .pos(Pos::new(HPos::Center, VPos::Center))
            .transform(FontTransform::Rotate270);
        // Rotated, the text's "down" is the screen's +x.
        let at = (at.0 + self.baseline_fix(font, VPos::Center), at.1);
        self.area
            .draw_text(text, &style, self.dp(at))
            .map_err(draw_err)
    }

    /// Draw `text` on a white box, so that it stays readable over lines and bars.
    pub(crate) fn text_halo(
        &self,
        text: &str,
        at: Px,
        font: Font,
        colour: RGBColor,
        anchor: (HPos, VPos),
    ) -> Result<(), ChartError> {
        if text.is_empty() {
            return Ok(());
        }
        let (x0, y0, x1, y1) = self.text_box(text, at, font, anchor);
        self.fill_rect((x0 - 2.0, y0 - 1.0), (x1 + 2.0, y1 + 1.0), WHITE)?;
        self.text(text, at, font, colour, anchor)
    }

    /// The largest of the value fonts (18, 14, 12 px) in which `text` fits a slot `slot_px`
    /// wide, or `None` when even the smallest is too wide.
    pub(crate) fn value_font(&self, text: &str, slot_px: f64) -> Option<Font> {
        [VALUE, VALUE.with_size(14.0), VALUE.with_size(12.0)]
            .into_iter()
            .find(|f| self.text_width(text, *f) <= slot_px - 4.0)
    }

    /// A bar's value label standing at `(x, top)` (the bar's top), with `change` (e.g.
    /// "−12 %") in a smaller muted font between bar and value when it fits the slot.
    /// `halo` puts a white box behind each text, for labels that may cross lines.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn value_with_change(
        &self,
        value: &str,
        change: Option<&str>,
        (x, top): Px,
        slot_px: f64,
        font: Font,
        colour: RGBColor,
        halo: bool,
    ) -> Result<(), ChartError> {
        let draw = |text: &str, at: Px, font: Font, colour: RGBColor| {
            let anchor = (HPos::Center, VPos::Bottom);
            if halo {
                self.text_halo(text, at, font, colour, anchor)
            } else {
                self.text(text, at, font, colour, anchor)
            }
        };
        let mut y = top - 5.0;
        if let Some(change) = change {
            let note = NOTE.with_size(font.size - 1.0);
            if self.text_width(change, note) <= slot_px - 4.0 {
                draw(change, (x, y), note, MUTED)?;
                y -= note.size + 2.0;
            }
        }
        draw(value, (x, y), font, colour)
    }

    /// The box `(x0, y0, x1, y1)` that `text` anchored at `at` covers (approximately).
    pub(crate) fn text_box(
        &self,
        text: &str,
        (x, y): Px,
        font: Font,
        anchor: (HPos, VPos),
    ) -> (f64, f64, f64, f64) {
        let w = self.text_width(text, font);
        let h = font.size * 0.95;
        let x0 = match anchor.0 {
            HPos::Left => x,
            HPos::Center => x - w / 2.0,
            HPos::Right => x - w,
        };
        let y0 = match anchor.1 {
            VPos::Top => y,
            VPos::Center => y - h / 2.0,
            VPos::Bottom => y - h,
        };
        (x0, y0, x0 + w, y0 + h)
    }

    /// Lay out one label per category slot `slot_width` wide: wrapped on up to three lines
    /// when the slots are wide enough, otherwise on one line reading upwards, at most
    /// `max_upright` long.
    pub(crate) fn category_labels(
        &self,
        labels: &[&str],
        slot_width: f64,
        max_upright: f64,
    ) -> CategoryLabels {
        if slot_width >= 64.0 {
            let font = LABEL;
            let lines: Vec<Vec<String>> = labels
                .iter()
                .map(|l| self.wrap(l, font, slot_width - 8.0, 3))
                .collect();
            let n = lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
            CategoryLabels {
                lines,
                upright: false,
                font,
                height: 8.0 + n * font.size * 1.15,
            }
        } else {
            let font = LABEL.with_size((slot_width * 0.75).clamp(7.0, 15.0));
            let lines: Vec<Vec<String>> = labels
                .iter()
                .map(|l| vec![self.fit(l, font, max_upright)])
                .collect();
            let longest = lines
                .iter()
                .map(|l| self.text_width(&l[0], font))
                .fold(0.0, f64::max);
            CategoryLabels {
                lines,
                upright: true,
                font,
                height: 12.0 + longest,
            }
        }
    }

    /// Draw category labels below `y`, centred on `centres`.
    pub(crate) fn draw_category_labels(
        &self,
        labels: &CategoryLabels,
        centres: &[f64],
        y: f64,
    ) -> Result<(), ChartError> {
        for (lines, &x) in labels.lines.iter().zip(centres) {
            if labels.upright {
                let w = self.text_width(&lines[0], labels.font);
                self.text_upwards(&lines[0], (x, y + 8.0 + w / 2.0), labels.font, INK)?;
            } else {
                for (j, line) in lines.iter().enumerate() {
                    let ly = y + 8.0 + j as f64 * labels.font.size * 1.15;
                    self.text(line, (x, ly), labels.font, INK, (HPos::Center, VPos::Top))?;
                }
            }
        }
        Ok(())
    }

    /// Shorten `text` with an ellipsis so that it is at most `max_width` wide.
    pub(crate) fn fit(&self, text: &str, font: Font, max_width: f64) -> String {
        if self.text_width(text, font) <= max_width {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let candidate = |n: usize| {
            let kept: String = chars[..n].iter().collect();
            format!("{}…", kept.trim_end())
        };
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if self.text_width(&candidate(mid), font) <= max_width {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        candidate(lo)
    }

    /// Break `text` into at most `max_lines` lines of at most `max_width`, at spaces; the last
    /// line is shortened with an ellipsis when the text does not fit.
    pub(crate) fn wrap(
        &self,
        text: &str,
        font: Font,
        max_width: f64,
        max_lines: usize,
    ) -> Vec<String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        for (i, word) in words.iter().enumerate() {
            let candidate = if current.is_empty() {
                (*word).to_string()
            } else {
                format!("{current} {word}")
            };
            if current.is_empty() || self.text_width(&candidate, font) <= max_width {
                current = candidate;
                continue;
            }
            if lines.len() + 1 >= max_lines {
                let rest = format!("{current} {}", words[i..].join(" "));
                lines.push(self.fit(&rest, font, max_width));
                return lines;
            }
            lines.push(self.fit(&current, font, max_width));
            current = (*word).to_string();
        }
        if !current.is_empty() {
            lines.push(self.fit(&current, font, max_width));
        }
        lines
    }

    /// A filled rectangle between two corners.
    pub(crate) fn fill_rect(&self, a: Px, b: Px, colour: RGBColor) -> Result<(), ChartError> {
        self.area
            .draw(&Rectangle::new([self.dp(a), self.dp(b)], colour.filled()))
            .map_err(draw_err)
    }

    /// A rectangle outline.
    pub(crate) fn stroke_rect(
        &self,
        a: Px,
        b: Px,
        colour: RGBColor,
        width: f64,
    ) -> Result<(), ChartError> {
        let style = ShapeStyle::from(colour).stroke_width(self.stroke(width));
        self.area
            .draw(&Rectangle::new([self.dp(a), self.dp(b)], style))
            .map_err(draw_err)
    }

    /// A polyline.
    pub(crate) fn line(
        &self,
        points: &[Px],
        colour: impl Color,
        width: f64,
    ) -> Result<(), ChartError> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&p| self.dp(p)).collect();
        let style = ShapeStyle {
            color: colour.to_rgba(),
            filled: false,
            stroke_width: self.stroke(width),
        };
        self.area
            .draw(&PathElement::new(pts, style))
            .map_err(draw_err)
    }

    /// A dashed polyline with `dash` long dashes and `gap` long gaps.
    pub(crate) fn dashed_line(
        &self,
        points: &[Px],
        colour: RGBColor,
        width: f64,
        dash: f64,
        gap: f64,
    ) -> Result<(), ChartError> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&p| self.dp(p)).collect();
        let style = ShapeStyle::from(colour).stroke_width(self.stroke(width));
        let element =
            plotters::element::DashedPathElement::new(pts, self.d(dash), self.d(gap), style);
        self.area.draw(&element).map_err(draw_err)
    }

    /// A filled circle, optionally with an outline.
    pub(crate) fn dot(
        &self,
        at: Px,
        radius: f64,
        fill: RGBColor,
        outline: Option<(RGBColor, f64)>,
    ) -> Result<(), ChartError> {
        let c = self.dp(at);
        let r = self.d(radius).max(1);
        match outline {
            Some((colour, width)) => {
                let w = self.d(width).max(1);
                self.area
                    .draw(&Circle::new(c, r + w, colour.filled()))
                    .map_err(draw_err)?;
                self.area
                    .draw(&Circle::new(c, r, fill.filled()))
                    .map_err(draw_err)
            }
            None => self
                .area
                .draw(&Circle::new(c, r, fill.filled()))
                .map_err(draw_err),
        }
    }

    /// The chart title at the top left; returns the y below it.
    pub(crate) fn title(&self, title: &str) -> Result<f64, ChartError> {
        let text = self.fit(title, TITLE, self.width - 2.0 * MARGIN);
        self.text(
            &text,
            (MARGIN, MARGIN - 6.0),
            TITLE,
            INK,
            (HPos::Left, VPos::Top),
        )?;
        Ok(MARGIN - 6.0 + TITLE.size * 1.15)
    }

    /// Lay out legend entries left to right from `(x, y)`, wrapping at `x + max_width`.
    /// Returns the height used (0 for no entries).
    pub(crate) fn legend_row(
        &self,
        entries: &[LegendEntry],
        (x, y): Px,
        max_width: f64,
        draw: bool,
    ) -> Result<f64, ChartError> {
        if entries.is_empty() {
            return Ok(0.0);
        }
        const MAX_ROWS: usize = 3;
        let font = LABEL.with_size(16.0);
        let row_h = 24.0;
        let (mut cx, mut cy) = (x, y);
        let mut row = 1;
        for (i, entry) in entries.iter().enumerate() {
            let label = self.fit(&entry.label, font, max_width - SWATCH - 8.0);
            let w = SWATCH + 7.0 + self.text_width(&label, font);
            if cx > x && cx + w > x + max_width {
                if row == MAX_ROWS {
                    // No room for the rest: say how many are left out.
                    if draw {
                        let more = format!("+{} more", entries.len() - i);
                        self.text(
                            &more,
                            (cx, cy + row_h / 2.0),
                            font,
                            MUTED,
                            (HPos::Left, VPos::Center),
                        )?;
                    }
                    break;
                }
                row += 1;
                cx = x;
                cy += row_h;
            }
            if draw {
                self.swatch(entry.mark, (cx, cy + row_h / 2.0))?;
                self.text(
                    &label,
                    (cx + SWATCH + 7.0, cy + row_h / 2.0),
                    font,
                    INK,
                    (HPos::Left, VPos::Center),
                )?;
            }
            cx += w + 22.0;
        }
        Ok(cy + row_h - y)
    }

    /// Legend entries one per line from `(x, y)`; returns the height used.
    pub(crate) fn legend_column(
        &self,
        entries: &[LegendEntry],
        (x, y): Px,
        max_width: f64,
    ) -> Result<f64, ChartError> {
        let font = LABEL.with_size(16.0);
        let row_h = 25.0;
        for (i, entry) in entries.iter().enumerate() {
            let cy = y + row_h * (i as f64 + 0.5);
            self.swatch(entry.mark, (x, cy))?;
            let label = self.fit(&entry.label, font, max_width - SWATCH - 8.0);
            self.text(
                &label,
                (x + SWATCH + 8.0, cy),
                font,
                INK,
                (HPos::Left, VPos::Center),
            )?;
        }
        Ok(row_h * entries.len() as f64)
    }

    /// Width a legend column needs for `entries`.
    pub(crate) fn legend_column_width(&self, entries: &[LegendEntry]) -> f64 {
        let font = LABEL.with_size(16.0);
        SWATCH + 8.0 + self.max_text_width(entries.iter().map(|e| e.label.as_str()), font)
    }

    fn swatch(&self, mark: Mark, (x, cy): Px) -> Result<(), ChartError> {
        match mark {
            Mark::Box(colour) => self.fill_rect(
                (x, cy - SWATCH / 2.0),
                (x + SWATCH, cy + SWATCH / 2.0),
                colour,
            ),
            Mark::Line {
                colour,
                width,
                dashed,
            } => {
                let pts = [(x - 3.0, cy), (x + SWATCH + 3.0, cy)];
                if dashed {
                    self.dashed_line(&pts, colour, width, 6.0, 4.0)
                } else {
                    self.line(&pts, colour, width)
                }
            }
        }
    }

    /// Vertical value axis at `x`: gridlines across `[x, x_right]`, tick labels to the left
    /// and the rotated axis title at `title_x`.
    pub(crate) fn y_axis(
        &self,
        scale: &Scale,
        ticks: &Ticks,
        x: f64,
        x_right: f64,
        title: &str,
        title_x: f64,
    ) -> Result<(), ChartError> {
        for &v in &ticks.values {
            let y = scale.px(v);
            self.line(&[(x, y), (x_right, y)], GRID, 1.0)?;
            self.text(
                &ticks.label(v),
                (x - 8.0, y),
                TICK,
                MUTED,
                (HPos::Right, VPos::Center),
            )?;
        }
        let mid = (scale.p_lo + scale.p_hi) / 2.0;
        let len = (scale.p_lo - scale.p_hi).abs();
        let title = self.fit(title, AXIS_TITLE, len);
        self.text_upwards(&title, (title_x, mid), AXIS_TITLE, INK)
    }

    /// Horizontal value axis at `y`: gridlines up to `y_top`, tick labels below and the axis
    /// title centred under them.
    pub(crate) fn x_axis(
        &self,
        scale: &Scale,
        ticks: &Ticks,
        y: f64,
        y_top: f64,
        title: &str,
    ) -> Result<(), ChartError> {
        for &v in &ticks.values {
            let x = scale.px(v);
            self.line(&[(x, y_top), (x, y)], GRID, 1.0)?;
            let half = self.text_width(&ticks.label(v), TICK) / 2.0;
            if x - half < 2.0 || x + half > self.width - 2.0 {
                continue;
            }
            self.text(
                &ticks.label(v),
                (x, y + 7.0),
                TICK,
                MUTED,
                (HPos::Center, VPos::Top),
            )?;
        }
        let mid = (scale.p_lo + scale.p_hi) / 2.0;
        let len = (scale.p_hi - scale.p_lo).abs() + 40.0;
        let title = self.fit(title, AXIS_TITLE, len);
        self.text(
            &title,
            (mid, y + 33.0),
            AXIS_TITLE,
            INK,
            (HPos::Center, VPos::Top),
        )
    }
}

/// Category labels laid out by [`Canvas::category_labels`].
pub(crate) struct CategoryLabels {
    lines: Vec<Vec<String>>,
    upright: bool,
    font: Font,
    /// Height needed below the axis, logical pixels.
    pub height: f64,
}

/// Side of a legend swatch.
pub(crate) const SWATCH: f64 = 14.0;

/// What a legend entry shows next to its label.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Mark {
    Box(RGBColor),
    Line {
        colour: RGBColor,
        width: f64,
        dashed: bool,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct LegendEntry {
    pub mark: Mark,
    pub label: String,
}

/// A linear map from data values to pixels.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub p_lo: f64,
    pub p_hi: f64,
}

impl Scale {
    pub(crate) fn new(lo: f64, hi: f64, p_lo: f64, p_hi: f64) -> Self {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        Self { lo, hi, p_lo, p_hi }
    }

    pub(crate) fn px(&self, v: f64) -> f64 {
        self.p_lo + (v - self.lo) / (self.hi - self.lo) * (self.p_hi - self.p_lo)
    }

    /// Data units per pixel (always positive).
    pub(crate) fn per_px(&self) -> f64 {
        (self.hi - self.lo) / (self.p_hi - self.p_lo).abs().max(1.0)
    }
}

/// Tick values with the step they were chosen with.
#[derive(Clone, Debug)]
pub(crate) struct Ticks {
    pub values: Vec<f64>,
    pub step: f64,
}

impl Ticks {
    /// "Nice" ticks (1, 2, 2.5 or 5 × 10ⁿ apart) inside `[lo, hi]`, at most about `max_ticks`.
    pub(crate) fn within(lo: f64, hi: f64, max_ticks: usize) -> Self {
        let step = nice_step(hi - lo, max_ticks);
        let first = (lo / step).ceil() as i64;
        let last = (hi / step + 1e-9).floor() as i64;
        if last.saturating_sub(first) > 4 * max_ticks as i64 {
            // Only for absurd ranges (beyond f64): no ticks rather than millions.
            return Self {
                values: Vec::new(),
                step,
            };
        }
        let values = (first..=last).map(|i| i as f64 * step).collect();
        Self { values, step }
    }

    /// "Nice" ticks covering `[lo, hi]`: the first at or below `lo`, the last at or above
    /// `hi`, so that they can serve as the axis limits.
    pub(crate) fn covering(lo: f64, hi: f64, max_ticks: usize) -> Self {
        let step = nice_step(hi - lo, max_ticks);
        let first = (lo / step + 1e-9).floor() as i64;
        let last = (hi / step - 1e-9).ceil() as i64;
        if last.saturating_sub(first) > 4 * max_ticks as i64 {
            // Only for absurd ranges (beyond f64): the data limits themselves.
            return Self {
                values: vec![lo, hi],
                step: hi - lo,
            };
        }
        let values = (first..=last.max(first + 1))
            .map(|i| i as f64 * step)
            .collect();
        Self { values, step }
    }

    /// The first and last tick.
    pub(crate) fn span(&self) -> (f64, f64) {
        (
            self.values.first().copied().unwrap_or(0.0),
            self.values.last().copied().unwrap_or(1.0),
        )
    }

    pub(crate) fn label(&self, v: f64) -> String {
        // As many decimals as the step needs to be written exactly (0.25 → 2).
        let decimals = (0..6)
            .find(|&d| {
                let scaled = self.step * 10f64.powi(d as i32);
                (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
            })
            .unwrap_or(6);
        format_number(v, decimals)
    }
}

/// A step of 1, 2, 2.5 or 5 × 10ⁿ that divides `range` into at most about `max_ticks` parts.
pub(crate) fn nice_step(range: f64, max_ticks: usize) -> f64 {
    let range = if range > 0.0 && range.is_finite() {
        range
    } else {
        1.0
    };
    let raw = range / max_ticks.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&n| n >= norm - 1e-9)
        .unwrap_or(10.0);
    nice * magnitude
}

/// `v` with `decimals` decimals, thousands separated by commas, and a real minus sign.
pub(crate) fn format_number(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(f) = frac {
        grouped.push('.');
        grouped.push_str(&f);
    }
    let is_zero = grouped.chars().all(|c| matches!(c, '0' | '.' | ','));
    if v < 0.0 && !is_zero {
        format!("−{grouped}")
    } else {
        grouped
    }
}

/// A value label: no decimals from 1,000 up, one decimal from 1, two significant digits below.
pub(crate) fn format_value(v: f64) -> String {
    let a = v.abs();
    let decimals = if a >= 1000.0 || a == 0.0 {
        0
    } else if a >= 1.0 {
        1
    } else {
        ((-a.log10()).floor() as usize + 2).min(6)
    };
    format_number(v, decimals)
}

/// `v` with as many decimals as values of the size of `reference` need (none from 100 up),
/// so that all labels of one chart share a precision.
pub(crate) fn format_like(v: f64, reference: f64) -> String {
    let r = reference.abs();
    let decimals = if r >= 100.0 || r == 0.0 || !r.is_finite() {
        0
    } else {
        ((2.0 - r.log10().floor()) as usize).min(6)
    };
    format_number(v, decimals)
}

/// A change as a signed percentage, e.g. "−23%" or "+4.5%".
pub(crate) fn format_percent_change(fraction: f64) -> String {
    let pct = fraction * 100.0;
    let decimals = if pct.abs() < 10.0 && pct.abs() >= 0.05 {
        1
    } else {
        0
    };
    let body = format_number(pct, decimals);
    if pct > 0.0 && body != "0" && body != "0.0" {
        format!("+{body}%")
    } else {
        format!("{body}%")
    }
}

/// A share as a percentage, e.g. "41%" or "0.4%".
pub(crate) fn format_share(fraction: f64) -> String {
    let pct = fraction * 100.0;
    if pct > 0.0 && pct < 1.0 {
        format!("{}%", format_number(pct, 1))
    } else {
        format!("{}%", format_number(pct, 0))
    }
}

/// The unit at the start of an axis title, used after value labels: "kg CO2e per person" → "kg".
pub(crate) fn leading_unit(axis_title: &str) -> Option<&str> {
    const UNITS: &[&str] = &[
        "g", "kg", "t", "kt", "Mt", "km", "Mkm", "h", "min", "%", "€", "k€", "EUR", "kWh", "MWh",
    ];
    let first = axis_title.split_whitespace().next()?;
    UNITS.contains(&first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_thousands_separators_and_a_real_minus() {
        assert_eq!(format_number(10_000.0, 0), "10,000");
        assert_eq!(format_number(-1_200.0, 0), "−1,200");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_number(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(format_number(-0.0001, 1), "0.0");
        assert_eq!(format_value(186.43), "186.4");
        assert_eq!(format_value(7_700.0), "7,700");
        assert_eq!(format_value(0.0532), "0.053");
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_like(700.0, 10_000.0), "700");
        assert_eq!(format_like(7.26, 50.0), "7.3");
        assert_eq!(format_like(0.123, 0.5), "0.123");
        assert_eq!(format_percent_change(-0.23), "−23%");
        assert_eq!(format_percent_change(0.045), "+4.5%");
        assert_eq!(format_share(0.004), "0.4%");
        assert_eq!(format_share(0.41), "41%");
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(10_000.0, 5), 2_000.0);
        assert_eq!(nice_step(400.0, 6), 100.0);
        assert_eq!(nice_step(1.0, 4), 0.25);
        let t = Ticks::within(0.0, 450.0, 6);
        assert_eq!(t.values, vec![0.0, 100.0, 200.0, 300.0, 400.0]);
        assert_eq!(t.label(400.0), "400");
        let t = Ticks::covering(-20.0, 460.0, 6);
        assert_eq!(t.span(), (-100.0, 500.0));
        assert_eq!(t.values.len(), 7);
        let t = Ticks::within(0.0, 1.0, 4);
        assert_eq!(t.label(0.25), "0.25");
    }

    #[test]
    fn units_are_taken_from_axis_titles() {
        assert_eq!(leading_unit("kg CO2e per person"), Some("kg"));
        assert_eq!(leading_unit("t CO2e"), Some("t"));
        assert_eq!(leading_unit("Emissions (t CO2e)"), None);
    }
}
