//! Destination map: great-circle paths from the campus, line width by weight.
//!
//! The projection is equirectangular with a standard parallel at the middle latitude of the
//! data (x = λ·cos φ₀, y = φ), zoomed to the extent of the paths. Paths are great circles on a
//! sphere, sampled every degree by spherical linear interpolation of unit vectors; that is
//! plenty for drawing (the geodesic distances used for emissions come from `distance.rs`).

use std::f64::consts::PI;

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{RGBColor, WHITE};

use super::canvas::{Canvas, LABEL, MARGIN, NOTE, TICK, format_like};
use super::palette::{GRID, INK, MUTED, mode_colour, mode_name};
use super::{ChartError, ChartFormat, Draw, check_finite, render};

const CHART: &str = "destination map";

/// How many destinations get a name on the map (the heaviest, where there is room).
const LABELLED: usize = 20;

/// One path of [`destination_map`], from the origin to a destination.
#[derive(Clone, Debug, PartialEq)]
pub struct MapLine {
    /// Destination name, shown for the heaviest destinations; `None` for no label.
    pub to_label: Option<String>,
    /// Destination latitude, degrees north (−90…90).
    pub to_lat_deg: f64,
    /// Destination longitude, degrees east (−180…180).
    pub to_lon_deg: f64,
    /// Line weight, t CO2e; the line width is proportional to it.
    pub weight: f64,
    /// Line colour by mode key ([`super::mode_colour`]).
    pub colour_key: String,
}

/// A map of great-circle paths from `origin` (`(label, lat_deg, lon_deg)`) to each
/// destination, line width proportional to `weight` (t CO2e), coloured by mode.
///
/// The map zooms to the extent of the data (destinations in Europe only give a map of
/// Europe), draws a graticule with degree labels (there are no coastlines), names the
/// heaviest destinations where the names do not collide, and has a legend of modes and line
/// widths. Paths crossing the antimeridian stay continuous. Zero and negative weights get
/// the thinnest line.
///
/// # Errors
///
/// [`ChartError::Empty`] without lines, [`ChartError::NotFinite`] for a NaN or infinite
/// number, [`ChartError::InvalidCoordinate`] for a latitude outside ±90° or a longitude
/// outside ±180°, [`ChartError::Drawing`] if plotters or the encoder fails.
pub fn destination_map(
    title: &str,
    origin: (&str, f64, f64),
    lines: &[MapLine],
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    if lines.is_empty() {
        return Err(ChartError::Empty { chart: CHART });
    }
    check_position(origin.0, origin.1, origin.2)?;
    for (i, line) in lines.iter().enumerate() {
        let label = line
            .to_label
            .clone()
            .unwrap_or_else(|| format!("line {}", i + 1));
        check_position(&label, line.to_lat_deg, line.to_lon_deg)?;
        check_finite(CHART, &format!("{label} / weight"), line.weight)?;
    }
    let paths = lines
        .iter()
        .map(|l| {
            unwrap_longitudes(
                great_circle((origin.1, origin.2), (l.to_lat_deg, l.to_lon_deg)),
                origin.2,
            )
        })
        .collect();
    render(
        &DestinationMap {
            title,
            origin,
            lines,
            paths,
        },
        format,
    )
}

fn check_position(label: &str, lat_deg: f64, lon_deg: f64) -> Result<(), ChartError> {
    check_finite(CHART, &format!("{label} / latitude"), lat_deg)?;
    check_finite(CHART, &format!("{label} / longitude"), lon_deg)?;
    if lat_deg.abs() > 90.0 || lon_deg.abs() > 180.0 {
        return Err(ChartError::InvalidCoordinate {
            label: label.to_string(),
            lat_deg,
            lon_deg,
        });
    }
    Ok(())
}

type Vec3 = [f64; 3];

fn to_unit((lat_deg, lon_deg): (f64, f64)) -> Vec3 {
    let (lat, lon) = (lat_deg.to_radians(), lon_deg.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

fn to_lat_lon(v: Vec3) -> (f64, f64) {
    let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    let lat = (v[2] / r).clamp(-1.0, 1.0).asin().to_degrees();
    let lon = v[1].atan2(v[0]).to_degrees();
    (lat, lon)
}

fn dot(a: Vec3, b: Vec3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: Vec3, b: Vec3) -> Vec3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn normalise(v: Vec3) -> Vec3 {
    let r = dot(v, v).sqrt();
    [v[0] / r, v[1] / r, v[2] / r]
}

/// Points `(lat_deg, lon_deg)` along the great circle from `a` to `b`, about one degree of
/// arc apart, both ends included.
///
/// Spherical linear interpolation: p(t) = (sin((1−t)ω)·a + sin(tω)·b) / sin ω, with ω the
/// angle between the unit vectors. Antipodal points have no unique great circle; the path
/// then runs through the point 90° from `a` towards the pole (or the equator at a pole).
pub(crate) fn great_circle(a: (f64, f64), b: (f64, f64)) -> Vec<(f64, f64)> {
    let (va, vb) = (to_unit(a), to_unit(b));
    let omega = dot(va, vb).clamp(-1.0, 1.0).acos();
    if omega < 1e-9 {
        return vec![a, b];
    }
    if omega.sin() < 1e-6 {
        // Antipodes: go via a point a quarter circle away.
        let axis = if va[2].abs() < 0.99 {
            [0.0, 0.0, 1.0]
        } else {
            [1.0, 0.0, 0.0]
        };
        let m = normalise(cross(cross(va, axis), va));
        let mut first = slerp(va, m, PI / 2.0);
        let second = slerp(m, vb, PI / 2.0);
        first.pop();
        first.extend(second);
        let mut path: Vec<(f64, f64)> = first.into_iter().map(to_lat_lon).collect();
        let last = path.len() - 1;
        path[0] = a;
        path[last] = b;
        return path;
    }
    let mut path: Vec<(f64, f64)> = slerp(va, vb, omega).into_iter().map(to_lat_lon).collect();
    let last = path.len() - 1;
    path[0] = a;
    path[last] = b;
    path
}

/// Unit vectors from `a` to `b` (`omega` apart), about one degree apart.
fn slerp(a: Vec3, b: Vec3, omega: f64) -> Vec<Vec3> {
    let n = (omega.to_degrees().ceil() as usize).max(2);
    let s = omega.sin();
    (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let (wa, wb) = (((1.0 - t) * omega).sin() / s, (t * omega).sin() / s);
            [
                wa * a[0] + wb * b[0],
                wa * a[1] + wb * b[1],
                wa * a[2] + wb * b[2],
            ]
        })
        .collect()
}

/// Make longitudes continuous along a path that starts near `start_lon`: each point is moved
/// by ±360° to within 180° of the previous one, so a path over the antimeridian does not
/// jump across the map.
pub(crate) fn unwrap_longitudes(mut path: Vec<(f64, f64)>, start_lon: f64) -> Vec<(f64, f64)> {
    let mut prev = start_lon;
    for p in &mut path {
        while p.1 - prev > 180.0 {
            p.1 -= 360.0;
        }
        while p.1 - prev < -180.0 {
            p.1 += 360.0;
        }
        prev = p.1;
    }
    path
}

/// "50°N", "0°", "10°W"; longitudes are first brought into −180…180.
fn degree_label(v: f64, lat: bool) -> String {
    let v = if lat {
        v
    } else {
        let w = (v + 180.0).rem_euclid(360.0) - 180.0;
        if (w + 180.0).abs() < 1e-9 { 180.0 } else { w }
    };
    let a = format_like(v.abs(), 100.0);
    if v.abs() < 1e-9 || (!lat && (v.abs() - 180.0).abs() < 1e-9) {
        format!("{a}°")
    } else {
        let hemi = match (lat, v > 0.0) {
            (true, true) => "N",
            (true, false) => "S",
            (false, true) => "E",
            (false, false) => "W",
        };
        format!("{a}°{hemi}")
    }
}

struct DestinationMap<'a> {
    title: &'a str,
    origin: (&'a str, f64, f64),
    lines: &'a [MapLine],
    /// Great-circle path of each line, longitudes unwrapped.
    paths: Vec<Vec<(f64, f64)>>,
}

/// The map frame: which degrees are shown and where, in logical pixels.
struct Frame {
    lon0: f64,
    lat1: f64,
    lon_span: f64,
    lat_span: f64,
    cos0: f64,
    px_per_deg: f64,
    x0: f64,
    y0: f64,
}

impl Frame {
    /// Fit the degree box `[lon_min, lon_max] × [lat_min, lat_max]` into the pixel box, with
    /// the same scale on both axes, widening the box to fill the pixels where possible.
    fn fit(lon: (f64, f64), lat: (f64, f64), px: (f64, f64, f64, f64)) -> Self {
        let (px0, py0, px1, py1) = px;
        let (pw, ph) = (px1 - px0, py1 - py0);
        let mid_lat = (lat.0 + lat.1) / 2.0;
        let cos0 = mid_lat.clamp(-60.0, 60.0).to_radians().cos();
        let (dx, dy) = ((lon.1 - lon.0) * cos0, lat.1 - lat.0);
        let s = (pw / dx).min(ph / dy);
        let lon_span = (pw / s / cos0).min(360.0);
        let lat_span = (ph / s).min(180.0);
        let lon_mid = (lon.0 + lon.1) / 2.0;
        let lat_mid = mid_lat.clamp(-90.0 + lat_span / 2.0, 90.0 - lat_span / 2.0);
        let (w, h) = (lon_span * cos0 * s, lat_span * s);
        Self {
            lon0: lon_mid - lon_span / 2.0,
            lat1: lat_mid + lat_span / 2.0,
            lon_span,
            lat_span,
            cos0,
            px_per_deg: s,
            x0: px0 + (pw - w) / 2.0,
            y0: py0 + (ph - h) / 2.0,
        }
    }

    fn project(&self, (lat, lon): (f64, f64)) -> (f64, f64) {
        (
            self.x0 + (lon - self.lon0) * self.cos0 * self.px_per_deg,
            self.y0 + (self.lat1 - lat) * self.px_per_deg,
        )
    }

    fn x1(&self) -> f64 {
        self.x0 + self.lon_span * self.cos0 * self.px_per_deg
    }

    fn y1(&self) -> f64 {
        self.y0 + self.lat_span * self.px_per_deg
    }
}

/// A graticule step in degrees giving at most `max_lines` lines over `span`.
fn graticule_step(span: f64, max_lines: f64) -> f64 {
    [1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0]
        .into_iter()
        .find(|&s| span / s <= max_lines)
        .unwrap_or(90.0)
}

/// Whether two boxes `(x0, y0, x1, y1)` overlap.
fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Line width in logical pixels for a weight, given the largest weight.
fn line_width(weight: f64, max_weight: f64) -> f64 {
    if max_weight > 0.0 && weight > 0.0 {
        1.2 + 6.8 * (weight / max_weight).min(1.0)
    } else {
        1.2
    }
}

/// `colour` mixed with `amount` (0…1) of white.
fn lighten(colour: RGBColor, amount: f64) -> RGBColor {
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * amount).round() as u8;
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

/// A round legend value without needless decimals: "200", "20", "0.5".
fn format_round(v: f64) -> String {
    let decimals = if v >= 1.0 {
        0
    } else {
        (-v.log10()).ceil() as usize
    };
    super::canvas::format_number(v, decimals)
}

/// A round number not above `v` (1, 2 or 5 × 10ⁿ), for the width legend.
fn round_down(v: f64) -> f64 {
    let m = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * m)
        .find(|&r| r <= v * (1.0 + 1e-9))
        .unwrap_or(m)
}

/// A label box `(x0, y0, x1, y1)` in pixels.
type LabelBox = (f64, f64, f64, f64);

/// Round widths for the width legend: the largest weight rounded down, a half and a tenth.
fn width_samples(max_weight: f64) -> Vec<f64> {
    if max_weight <= 0.0 {
        return Vec::new();
    }
    let big = round_down(max_weight);
    let mut s = vec![big, round_down(big / 2.0), round_down(big / 10.0)];
    s.dedup();
    s
}

/// What the legend shows and where: modes by weight, width samples, position and width.
struct Legend {
    modes: Vec<(String, RGBColor, f64)>,
    samples: Vec<f64>,
    sample_texts: Vec<String>,
    max_weight: f64,
    x: f64,
    w: f64,
}

impl DestinationMap<'_> {
    /// Legend entries: modes in order of total weight, heaviest first.
    fn legend_modes(&self) -> Vec<(String, RGBColor, f64)> {
        let mut modes: Vec<(String, RGBColor, f64)> = Vec::new();
        for line in self.lines {
            let name = mode_name(&line.colour_key);
            match modes.iter_mut().find(|m| m.0 == name) {
                Some(m) => m.2 += line.weight.max(0.0),
                None => modes.push((name, mode_colour(&line.colour_key), line.weight.max(0.0))),
            }
        }
        modes.sort_by(|a, b| b.2.total_cmp(&a.2));
        modes
    }

    fn legend<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Legend {
        let modes = self.legend_modes();
        let max_weight = self.lines.iter().map(|l| l.weight).fold(0.0, f64::max);
        let samples = width_samples(max_weight);
        let sample_texts: Vec<String> = samples.iter().map(|&v| format_round(v)).collect();
        let w = c
            .max_text_width(
                modes
                    .iter()
                    .map(|m| m.0.as_str())
                    .chain(sample_texts.iter().map(String::as_str))
                    .chain(["Mode", "t CO2e"]),
                LABEL.with_size(16.0),
            )
            .max(c.text_width(self.origin.0, NOTE).min(150.0))
            + 40.0;
        let w = w.clamp(120.0, 220.0);
        Legend {
            modes,
            samples,
            sample_texts,
            max_weight,
            x: c.width - MARGIN - w,
            w,
        }
    }

    /// The extent of the data, padded (at least 8° × 10°), fitted into `box_px`.
    fn frame(&self, box_px: LabelBox) -> Frame {
        let origin = (self.origin.1, self.origin.2);
        let (mut lat_min, mut lat_max, mut lon_min, mut lon_max) =
            (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (lat, lon) in self
            .paths
            .iter()
            .flatten()
            .copied()
            .chain(std::iter::once(origin))
        {
            lat_min = lat_min.min(lat);
            lat_max = lat_max.max(lat);
            lon_min = lon_min.min(lon);
            lon_max = lon_max.max(lon);
        }
        let pad_lat = ((lat_max - lat_min) * 0.08).max(1.5);
        let pad_lon = ((lon_max - lon_min) * 0.06).max(2.0);
        let (lat_min, lat_max) = (
            (lat_min - pad_lat).max(-90.0),
            (lat_max + pad_lat).min(90.0),
        );
        let (lon_min, lon_max) = (lon_min - pad_lon, lon_max + pad_lon);
        let grow = |lo: f64, hi: f64, min: f64| {
            let extra = (min - (hi - lo)).max(0.0) / 2.0;
            (lo - extra, hi + extra)
        };
        let (lat_min, lat_max) = grow(lat_min, lat_max, 8.0);
        let (lon_min, lon_max) = grow(lon_min, lon_max, 10.0);
        Frame::fit((lon_min, lon_max), (lat_min, lat_max), box_px)
    }

    /// Paths, heaviest first so that thin lines stay visible on top, then their end dots.
    fn draw_paths<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        f: &Frame,
        order: &[usize],
        max_weight: f64,
    ) -> Result<(), ChartError> {
        for &i in order {
            let line = &self.lines[i];
            let pts: Vec<(f64, f64)> = self.paths[i].iter().map(|&p| f.project(p)).collect();
            // Opaque, slightly lightened: plotters fills a thick path as one polygon whose
            // spans can overlap, which shows as stripes with a translucent colour.
            let colour = lighten(mode_colour(&line.colour_key), 0.15);
            c.line(&pts, colour, line_width(line.weight, max_weight))?;
        }
        for &i in order {
            if let Some(&end) = self.paths[i].last() {
                c.dot(f.project(end), 3.0, INK, Some((WHITE, 1.0)))?;
            }
        }
        Ok(())
    }

    /// Names: the origin, then the heaviest destinations where there is room.
    fn draw_names<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        f: &Frame,
        order: &[usize],
        o: (f64, f64),
    ) -> Result<(), ChartError> {
        let (x0, y0, x1, y1) = (f.x0, f.y0, f.x1(), f.y1());
        let origin_font = NOTE.with_size(16.0).bold();
        let name_font = NOTE.with_size(14.0);
        let within =
            |b: LabelBox| b.0 >= x0 + 2.0 && b.2 <= x1 - 2.0 && b.1 >= y0 + 2.0 && b.3 <= y1 - 2.0;
        let mut taken: Vec<LabelBox> = Vec::new();
        let place = |text: &str,
                     at: (f64, f64),
                     font,
                     taken: &mut Vec<LabelBox>|
         -> Result<(), ChartError> {
            let candidates = [
                ((at.0 + 8.0, at.1), (HPos::Left, VPos::Center)),
                ((at.0 - 8.0, at.1), (HPos::Right, VPos::Center)),
                ((at.0, at.1 - 7.0), (HPos::Center, VPos::Bottom)),
                ((at.0, at.1 + 7.0), (HPos::Center, VPos::Top)),
                ((at.0 + 5.0, at.1 - 4.0), (HPos::Left, VPos::Bottom)),
                ((at.0 + 5.0, at.1 + 4.0), (HPos::Left, VPos::Top)),
                ((at.0 - 5.0, at.1 - 4.0), (HPos::Right, VPos::Bottom)),
                ((at.0 - 5.0, at.1 + 4.0), (HPos::Right, VPos::Top)),
            ];
            for (p, anchor) in candidates {
                let b = c.text_box(text, p, font, anchor);
                if within(b) && !taken.iter().any(|t| overlaps(*t, b)) {
                    taken.push((b.0 - 2.0, b.1 - 1.0, b.2 + 2.0, b.3 + 1.0));
                    return c.text_halo(text, p, font, INK, anchor);
                }
            }
            Ok(())
        };
        // Keep the destination dots free of names.
        for &i in order {
            if let Some(&end) = self.paths[i].last() {
                let (x, y) = f.project(end);
                taken.push((x - 3.0, y - 3.0, x + 3.0, y + 3.0));
            }
        }
        let origin_name = c.fit(self.origin.0, origin_font, 180.0);
        place(&origin_name, o, origin_font, &mut taken)?;
        let mut named: Vec<&str> = Vec::new();
        for &i in order {
            if named.len() == LABELLED {
                break;
            }
            let line = &self.lines[i];
            let Some(name) = line.to_label.as_deref().filter(|n| !n.trim().is_empty()) else {
                continue;
            };
            if named.contains(&name) {
                continue;
            }
            named.push(name);
            let Some(&end) = self.paths[i].last() else {
                continue;
            };
            let text = c.fit(name, name_font, 160.0);
            place(&text, f.project(end), name_font, &mut taken)?;
        }
        Ok(())
    }

    /// Legend: modes, then line widths, then what the dots mean.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        l: &Legend,
        top: f64,
    ) -> Result<(), ChartError> {
        let legend_font = LABEL.with_size(16.0);
        let mut y = top + 4.0;
        let heading = LABEL.with_size(16.0).bold();
        if l.modes.len() > 1 || l.modes.first().is_some_and(|m| m.0 != "Other") {
            c.text("Mode", (l.x, y), heading, INK, (HPos::Left, VPos::Top))?;
            y += 26.0;
            for (name, colour, _) in l.modes.iter().take(10) {
                let cy = y + 8.0;
                c.line(&[(l.x, cy), (l.x + 26.0, cy)], *colour, 4.0)?;
                let name = c.fit(name, legend_font, l.w - 36.0);
                c.text(
                    &name,
                    (l.x + 34.0, cy),
                    legend_font,
                    INK,
                    (HPos::Left, VPos::Center),
                )?;
                y += 24.0;
            }
            y += 14.0;
        }
        if !l.samples.is_empty() {
            c.text("t CO2e", (l.x, y), heading, INK, (HPos::Left, VPos::Top))?;
            y += 26.0;
            for (v, text) in l.samples.iter().zip(&l.sample_texts) {
                let w = line_width(*v, l.max_weight);
                let cy = y + 8.0;
                c.line(&[(l.x, cy), (l.x + 26.0, cy)], MUTED, w)?;
                c.text(
                    text,
                    (l.x + 34.0, cy),
                    legend_font,
                    INK,
                    (HPos::Left, VPos::Center),
                )?;
                y += 24.0_f64.max(w + 10.0);
            }
            y += 14.0;
        }
        let note = NOTE.with_size(13.0);
        for line in c.wrap(
            &format!("Great-circle paths from {} (large dot)", self.origin.0),
            note,
            l.w,
            3,
        ) {
            c.text(&line, (l.x, y), note, MUTED, (HPos::Left, VPos::Top))?;
            y += note.size * 1.2;
        }
        Ok(())
    }
}

/// Parallels and meridians every `step` degrees with their labels, and the frame.
fn draw_graticule<DB: DrawingBackend>(c: &Canvas<'_, DB>, f: &Frame) -> Result<(), ChartError> {
    let (x0, y0, x1, y1) = (f.x0, f.y0, f.x1(), f.y1());
    let step = graticule_step(f.lon_span.max(f.lat_span), 9.0);
    let mut lat = (f.lat1 - f.lat_span).div_euclid(step) * step + step;
    while lat < f.lat1 - 1e-9 {
        let y = f.project((lat, 0.0)).1;
        c.line(&[(x0, y), (x1, y)], GRID, 1.0)?;
        c.text(
            &degree_label(lat, true),
            (x0 - 6.0, y),
            TICK.with_size(14.0),
            MUTED,
            (HPos::Right, VPos::Center),
        )?;
        lat += step;
    }
    let mut lon = f.lon0.div_euclid(step) * step + step;
    while lon < f.lon0 + f.lon_span - 1e-9 {
        let x = f.project((0.0, lon)).0;
        c.line(&[(x, y0), (x, y1)], GRID, 1.0)?;
        c.text(
            &degree_label(lon, false),
            (x, y1 + 5.0),
            TICK.with_size(14.0),
            MUTED,
            (HPos::Center, VPos::Top),
        )?;
        lon += step;
    }
    c.stroke_rect((x0, y0), (x1, y1), RGBColor(0xBB, 0xBB, 0xBB), 1.0)
}

impl Draw for DestinationMap<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 600)
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let top = c.title(self.title)? + 12.0;
        let legend = self.legend(c);
        let f = self.frame((
            MARGIN + 48.0,
            top,
            legend.x - 28.0,
            c.height - MARGIN - 22.0,
        ));
        draw_graticule(c, &f)?;
        let mut order: Vec<usize> = (0..self.lines.len()).collect();
        order.sort_by(|&a, &b| self.lines[b].weight.total_cmp(&self.lines[a].weight));
        self.draw_paths(c, &f, &order, legend.max_weight)?;
        let o = f.project((self.origin.1, self.origin.2));
        c.dot(o, 5.5, INK, Some((WHITE, 2.0)))?;
        self.draw_names(c, &f, &order, o)?;
        self.draw_legend(c, &legend, top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_support::{FORMATS, assert_png, assert_svg};

    const ENSCHEDE: (&str, f64, f64) = ("University of Twente", 52.24, 6.86);

    fn line(label: &str, lat: f64, lon: f64, weight: f64, key: &str) -> MapLine {
        MapLine {
            to_label: Some(label.to_string()),
            to_lat_deg: lat,
            to_lon_deg: lon,
            weight,
            colour_key: key.to_string(),
        }
    }

    fn europe() -> Vec<MapLine> {
        vec![
            line("Barcelona", 41.39, 2.17, 120.0, "flight"),
            line("Berlin", 52.52, 13.40, 40.0, "train"),
            line("Paris", 48.86, 2.35, 35.0, "train"),
            line("Rome", 41.90, 12.50, 90.0, "flight"),
        ]
    }

    #[test]
    fn great_circle_ends_at_both_points_and_bends_poleward() {
        let path = great_circle((52.24, 6.86), (40.64, -73.78));
        assert_eq!(path[0], (52.24, 6.86));
        assert_eq!(*path.last().unwrap(), (40.64, -73.78));
        // About 5,900 km is about 53° of arc: one point per degree.
        assert!((50..=60).contains(&path.len()), "{}", path.len());
        // The Europe → New York route passes north of both ends.
        let max_lat = path.iter().map(|p| p.0).fold(f64::MIN, f64::max);
        assert!(max_lat > 55.0, "{max_lat}");
        // Consecutive points are about one degree apart.
        for w in path.windows(2) {
            let d = dot(to_unit(w[0]), to_unit(w[1]))
                .clamp(-1.0, 1.0)
                .acos()
                .to_degrees();
            assert!(d < 1.05, "{d}");
        }
    }

    #[test]
    fn great_circle_handles_identical_and_antipodal_points() {
        assert_eq!(great_circle((10.0, 20.0), (10.0, 20.0)).len(), 2);
        let path = great_circle((0.0, 0.0), (0.0, 180.0));
        assert!(path.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
        assert!(path.len() > 150);
    }

    #[test]
    fn longitudes_stay_continuous_over_the_antimeridian() {
        let path = unwrap_longitudes(great_circle((-36.85, 174.76), (21.31, -157.86)), 174.76);
        for w in path.windows(2) {
            assert!((w[1].1 - w[0].1).abs() < 5.0, "{w:?}");
        }
        assert!(path.last().unwrap().1 > 180.0);
        assert_eq!(degree_label(202.14, false), "158°W");
        assert_eq!(degree_label(-10.0, false), "10°W");
        assert_eq!(degree_label(180.0, false), "180°");
        assert_eq!(degree_label(0.0, true), "0°");
        assert_eq!(degree_label(50.0, true), "50°N");
        assert_eq!(degree_label(-45.0, true), "45°S");
    }

    #[test]
    fn europe_only_data_zooms_on_europe() {
        let paths: Vec<(f64, f64)> = europe()
            .iter()
            .map(|l| (l.to_lat_deg, l.to_lon_deg))
            .collect();
        let lat = (40.0, 54.0);
        let lon = (1.0, 14.0);
        let f = Frame::fit(lon, lat, (70.0, 60.0, 740.0, 560.0));
        assert!(
            f.lon_span < 40.0 && f.lat_span < 25.0,
            "{} × {}",
            f.lon_span,
            f.lat_span
        );
        for p in paths {
            let (x, y) = f.project(p);
            assert!((f.x0..=f.x1()).contains(&x) && (f.y0..=f.y1()).contains(&y));
        }
    }

    #[test]
    fn renders_svg_with_title_names_and_legend() {
        let svg = destination_map(
            "Business travel destinations, 2025",
            ENSCHEDE,
            &europe(),
            ChartFormat::Svg,
        )
        .unwrap();
        assert_svg(
            &svg,
            &[
                "Business travel destinations, 2025",
                "University of Twente",
                "Barcelona",
                "Berlin",
                "Flight",
                "Train",
                "t CO2e",
                "50°N",
            ],
        );
    }

    #[test]
    fn renders_png() {
        let png = destination_map("Map", ENSCHEDE, &europe(), ChartFormat::Png).unwrap();
        assert_png(&png, 1000, 600);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            destination_map("M", ENSCHEDE, &[], ChartFormat::Svg),
            Err(ChartError::Empty { .. })
        ));
        let err = destination_map(
            "M",
            ENSCHEDE,
            &[line("Nowhere", 95.0, 0.0, 1.0, "car")],
            ChartFormat::Svg,
        )
        .unwrap_err();
        assert!(
            matches!(err, ChartError::InvalidCoordinate { ref label, .. } if label == "Nowhere")
        );
        let err = destination_map(
            "M",
            ENSCHEDE,
            &[line("NaN", 1.0, 2.0, f64::NAN, "car")],
            ChartFormat::Svg,
        )
        .unwrap_err();
        assert!(matches!(err, ChartError::NotFinite { .. }));
        let err =
            destination_map("M", ("Bad", 0.0, 200.0), &europe(), ChartFormat::Svg).unwrap_err();
        assert!(matches!(err, ChartError::InvalidCoordinate { .. }));
    }

    #[test]
    fn edge_cases_render_in_both_formats() {
        let cases = vec![
            vec![line("Hengelo", 52.27, 6.79, 0.5, "bike")],
            vec![line("Campus", 52.24, 6.86, 0.0, "walk")],
            vec![line("Antipode", -52.24, -173.14, 10.0, "flight")],
            vec![
                line("Auckland", -36.85, 174.76, 50.0, "flight"),
                line("Honolulu", 21.31, -157.86, 20.0, "flight"),
            ],
            vec![
                line("North Pole", 90.0, 0.0, -3.0, "other"),
                line("South Pole", -90.0, 0.0, 3.0, "other"),
            ],
            (0..40)
                .map(|i| {
                    line(
                        &format!("Place {i}"),
                        40.0 + f64::from(i % 10),
                        -5.0 + f64::from(i),
                        f64::from(i),
                        "train",
                    )
                })
                .collect(),
        ];
        for lines in &cases {
            for format in FORMATS {
                destination_map("Edge", ENSCHEDE, lines, format).unwrap();
            }
        }
        let unlabelled = vec![MapLine {
            to_label: None,
            ..line("x", 48.0, 11.0, 1.0, "car")
        }];
        destination_map("No names", ENSCHEDE, &unlabelled, ChartFormat::Svg).unwrap();
    }
}
