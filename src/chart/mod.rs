//! Charts: plain data (labels and `f64`) in, encoded image bytes out.
//!
//! Every chart function checks its data (no data → [`ChartError::Empty`], NaN or infinite
//! values → [`ChartError::NotFinite`]), lays the chart out in about 1000 × 600 pixels on a
//! white background, and returns either UTF-8 SVG text or a PNG image ([`ChartFormat`]).
//! Nothing is read from or written to disk.
//!
//! Text is set in DejaVu Sans, bundled with the crate (`data/fonts/`, Bitstream Vera licence)
//! and registered with plotters as `sans-serif` by [`register_fonts`]: PNG output never depends
//! on fonts installed on the machine. SVG output names the `sans-serif` family and references
//! nothing outside the file.
//!
//! Colours that identify a mode are the same in every chart ([`mode_colour`]).
//!
//! ```
//! use mobility_footprint::chart::{horizontal_bars, BarItem, ChartFormat};
//!
//! let items = vec![
//!     BarItem { label: "Train".into(), value: 160.0, colour_key: "train".into(), annotation: None },
//!     BarItem { label: "Flight".into(), value: 270.0, colour_key: "flight".into(), annotation: None },
//! ];
//! let svg = horizontal_bars(
//!     "Enschede → Barcelona, 2025",
//!     "kg CO2e per person",
//!     &items,
//!     ChartFormat::Svg,
//! )?;
//! assert!(String::from_utf8(svg)?.contains("Barcelona"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bands;
mod bars;
mod canvas;
mod map;
mod palette;
mod stacked;
mod trajectory;
mod waterfall;

use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

pub use bands::{BandBin, distance_bands};
pub use bars::{BarItem, horizontal_bars};
pub use map::{MapLine, destination_map};
pub use palette::mode_colour;
pub use plotters::style::RGBColor;
pub use stacked::{StackedBar, stacked_bars};
pub use trajectory::{Series, trajectory};
pub use waterfall::{WaterfallStep, waterfall};

use canvas::{Canvas, draw_err};

/// DejaVu Sans (Bitstream Vera licence, `data/fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../data/fonts/DejaVuSans-Bold.ttf");

/// Output encoding of a chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartFormat {
    /// SVG 1.1 text (UTF-8), with `font-family="sans-serif"` text elements.
    Svg,
    /// PNG image, 8-bit RGB, text rasterised with the bundled font.
    Png,
}

impl ChartFormat {
    /// The format named by a file's extension (`chart.svg`, `CHART.PNG`), if it is one.
    pub fn from_path(path: &Path) -> Option<Self> {
        path.extension()?.to_str()?.parse().ok()
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Png => "png",
        }
    }

    /// The media (MIME) type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
        }
    }
}

impl FromStr for ChartFormat {
    type Err = ChartError;

    /// Parse `svg` or `png` (any case, with or without a leading dot).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "svg" => Ok(Self::Svg),
            "png" => Ok(Self::Png),
            _ => Err(ChartError::UnknownFormat(s.to_string())),
        }
    }
}

impl std::fmt::Display for ChartFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// There is nothing to draw.
    #[error("{chart} chart: no data to draw")]
    Empty {
        /// Which chart (e.g. "stacked bars").
        chart: &'static str,
    },
    /// A value is NaN or infinite.
    #[error("{chart} chart: `{label}` is not a finite number ({value})")]
    NotFinite {
        /// Which chart.
        chart: &'static str,
        /// The label of the item (and which of its values) that is not finite.
        label: String,
        /// The offending value.
        value: f64,
    },
    /// A map coordinate is outside −90…90° latitude or −180…180° longitude.
    #[error(
        "destination map: `{label}` has an invalid position ({lat_deg}, {lon_deg}); expected latitude −90…90 and longitude −180…180 degrees"
    )]
    InvalidCoordinate {
        /// The place.
        label: String,
        /// Latitude, degrees.
        lat_deg: f64,
        /// Longitude, degrees.
        lon_deg: f64,
    },
    /// A format name that is neither `svg` nor `png`.
    #[error("unknown chart format `{0}`; expected `svg` or `png`")]
    UnknownFormat(String),
    /// plotters or the PNG encoder failed.
    #[error("drawing the chart failed: {0}")]
    Drawing(String),
}

/// Register the bundled DejaVu Sans (normal and bold) with plotters as `sans-serif`.
///
/// Idempotent and cheap after the first call; every chart function calls it, so callers only
/// need it when they draw with plotters themselves.
pub fn register_fonts() {
    static REGISTERED: OnceLock<()> = OnceLock::new();
    REGISTERED.get_or_init(|| {
        // Both fonts are bundled and parse (checked by a test); if registration failed anyway,
        // drawing would report plotters' `FontUnavailable` error instead of panicking here.
        let _ = register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
        let _ = register_font("sans-serif", FontStyle::Bold, DEJAVU_SANS_BOLD);
    });
}

/// A chart that can draw itself on any plotters backend.
trait Draw {
    /// Size in logical pixels (the PNG size, and the SVG `width`/`height`).
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> Result<(), ChartError>;
}

/// PNG charts are drawn this many times larger and downsampled, for anti-aliased lines.
const PNG_SUPERSAMPLE: u32 = 2;
/// SVG coordinates are integers in units of 1 / `SVG_GRID` pixel.
const SVG_GRID: u32 = 2;

/// Draw `chart` and encode it.
fn render(chart: &impl Draw, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    register_fonts();
    let (w, h) = chart.size();
    match format {
        ChartFormat::Svg => {
            // plotters writes integer coordinates: draw on a grid twice as fine and let the
            // viewBox scale it back, so that curves do not wobble by rounding.
            let k = SVG_GRID;
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w * k, h * k)).into_drawing_area();
                root.fill(&WHITE).map_err(draw_err)?;
                chart.draw(&Canvas::new(&root, f64::from(k), false))?;
                root.present().map_err(draw_err)?;
            }
            let fine = format!(r#"<svg width="{}" height="{}" "#, w * k, h * k);
            let size = format!(r#"<svg width="{w}" height="{h}" "#);
            Ok(svg.replacen(&fine, &size, 1).into_bytes())
        }
        ChartFormat::Png => {
            let k = PNG_SUPERSAMPLE;
            let (dw, dh) = (w * k, h * k);
            // A white buffer: no need to fill the background pixel by pixel.
            let mut buf = vec![255u8; dw as usize * dh as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (dw, dh)).into_drawing_area();
                chart.draw(&Canvas::new(&root, f64::from(k), true))?;
                root.present().map_err(draw_err)?;
            }
            encode_png(buf, (dw, dh), (w, h))
        }
    }
}

/// Downsample an RGB buffer of `big` size to `small` (each output pixel the mean of a
/// `big / small` box) and encode it as PNG.
fn encode_png(buf: Vec<u8>, big: (u32, u32), small: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    use image::ImageEncoder;
    use image::codecs::png::PngEncoder;

    let k = (big.0 / small.0) as usize;
    if k == 0 || big.0 as usize != small.0 as usize * k || big.1 as usize != small.1 as usize * k {
        return Err(ChartError::Drawing(
            "bitmap is not a whole multiple of the image size".to_string(),
        ));
    }
    let (bw, sw, sh) = (big.0 as usize, small.0 as usize, small.1 as usize);
    let area = (k * k) as u32;
    let mut out = vec![0u8; sw * sh * 3];
    for y in 0..sh {
        for x in 0..sw {
            let mut sum = [0u32; 3];
            for dy in 0..k {
                let row = ((y * k + dy) * bw + x * k) * 3;
                for px in buf[row..row + 3 * k].chunks_exact(3) {
                    sum[0] += u32::from(px[0]);
                    sum[1] += u32::from(px[1]);
                    sum[2] += u32::from(px[2]);
                }
            }
            let o = (y * sw + x) * 3;
            for (c, s) in sum.iter().enumerate() {
                out[o + c] = ((s + area / 2) / area) as u8;
            }
        }
    }
    let mut png = Vec::new();
    PngEncoder::new(&mut png)
        .write_image(&out, small.0, small.1, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Drawing(format!("encoding the PNG failed: {e}")))?;
    Ok(png)
}

/// `Err(NotFinite)` unless `value` is finite.
fn check_finite(chart: &'static str, label: &str, value: f64) -> Result<(), ChartError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(ChartError::NotFinite {
            chart,
            label: label.to_string(),
            value,
        })
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Checks shared by the chart tests.

    use super::ChartFormat;
    use std::collections::HashSet;

    /// The SVG is one `<svg>` document containing every `needle`, with no external reference.
    pub(crate) fn assert_svg(bytes: &[u8], needles: &[&str]) {
        let svg = std::str::from_utf8(bytes).expect("SVG is UTF-8");
        assert!(svg.trim_start().starts_with("<svg"), "no <svg root");
        assert!(
            svg.contains(r#"<svg width="1000" height="#),
            "SVG is not 1000 pixels wide"
        );
        assert!(svg.trim_end().ends_with("</svg>"), "SVG not closed");
        assert!(
            svg.contains(r#"font-family="sans-serif""#),
            "no sans-serif text"
        );
        for bad in ["href", "@import", "url(", "<image"] {
            assert!(
                !svg.contains(bad),
                "SVG contains an external reference `{bad}`"
            );
        }
        for needle in needles {
            let escaped = needle
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(
                svg.contains(needle) || svg.contains(&escaped),
                "SVG lacks `{needle}`"
            );
        }
    }

    /// The PNG decodes to `width` × `height` and shows more than a few colours.
    pub(crate) fn assert_png(bytes: &[u8], width: u32, height: u32) {
        let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
            .expect("PNG decodes")
            .to_rgb8();
        assert_eq!((img.width(), img.height()), (width, height));
        let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        assert!(colours.len() > 20, "only {} colours", colours.len());
        let corner = img.get_pixel(1, 1).0;
        assert_eq!(corner, [255, 255, 255], "background is not white");
    }

    /// Both formats, for loops in tests.
    pub(crate) const FORMATS: [ChartFormat; 2] = [ChartFormat::Svg, ChartFormat::Png];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_from_names_and_paths() {
        assert_eq!("svg".parse::<ChartFormat>().unwrap(), ChartFormat::Svg);
        assert_eq!(".PNG".parse::<ChartFormat>().unwrap(), ChartFormat::Png);
        assert!(matches!(
            "jpg".parse::<ChartFormat>(),
            Err(ChartError::UnknownFormat(s)) if s == "jpg"
        ));
        assert_eq!(
            ChartFormat::from_path(Path::new("out/compare.SVG")),
            Some(ChartFormat::Svg)
        );
        assert_eq!(
            ChartFormat::from_path(Path::new("map.png")),
            Some(ChartFormat::Png)
        );
        assert_eq!(ChartFormat::from_path(Path::new("report.html")), None);
        assert_eq!(ChartFormat::from_path(Path::new("README")), None);
        assert_eq!(ChartFormat::Png.to_string(), "png");
        assert_eq!(ChartFormat::Svg.media_type(), "image/svg+xml");
    }

    #[test]
    fn extreme_values_neither_panic_nor_hang() {
        let values = [f64::MAX, -f64::MAX, 1e300, -1e-300, f64::MIN_POSITIVE, 0.0];
        for (i, &v) in values.iter().enumerate() {
            let other = values[(i + 1) % values.len()];
            // PNG once (plotters' rasterisers overflow on absurd coordinates), SVG for speed.
            let format = if i == 0 {
                ChartFormat::Png
            } else {
                ChartFormat::Svg
            };
            let items = [v, other].map(|value| BarItem {
                label: "x".into(),
                value,
                colour_key: "car".into(),
                annotation: None,
            });
            horizontal_bars("t", "kg", &items, format).unwrap();
            let bars = [StackedBar {
                label: "x".into(),
                segments: vec![("car".into(), v), ("bus".into(), other)],
            }];
            stacked_bars("t", "t", &bars, format).unwrap();
            let steps = [WaterfallStep {
                label: "x".into(),
                delta: other,
            }];
            waterfall("t", "t", "a", v, &steps, "b", format).unwrap();
            let series = [Series {
                label: "x".into(),
                colour_key: "car".into(),
                points: vec![(i32::MIN, v), (i32::MAX, other)],
                dashed: false,
            }];
            trajectory("t", "t", &series, None, format).unwrap();
            let bins = [BandBin {
                label: "x".into(),
                journeys: v,
                co2e: other,
            }];
            distance_bands("t", &bins, format).unwrap();
            let lines = [MapLine {
                to_label: Some("x".into()),
                to_lat_deg: 10.0,
                to_lon_deg: 10.0,
                weight: v,
                colour_key: "car".into(),
            }];
            destination_map("t", ("o", 0.0, 0.0), &lines, format).unwrap();
        }
    }

    #[test]
    fn bundled_fonts_are_registered_normal_and_bold() {
        register_fonts();
        register_fonts();
        let width = |style| {
            let font = plotters::style::FontDesc::new(FontFamily::SansSerif, 20.0, style);
            let (w, h) = font.box_size("Barcelona").expect("font registered");
            assert!(h >= 10, "text height {h}");
            w
        };
        let (normal, bold) = (width(FontStyle::Normal), width(FontStyle::Bold));
        assert!(normal > 50, "text width {normal}");
        assert!(
            bold > normal,
            "bold ({bold}) should be wider than normal ({normal})"
        );
    }
}
