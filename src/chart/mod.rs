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
mod heatmap;
mod map;
mod palette;
mod stacked;
mod tornado;
mod trajectory;
mod waterfall;

use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

pub use bands::{BandBin, distance_bands};
pub use bars::{BarItem, compare_bars, horizontal_bars};
pub use heatmap::{HeatMap, heat_map};
pub use map::{MapLine, destination_map};
pub use palette::{mode_colour, mode_name};
pub use plotters::style::RGBColor;
pub use stacked::{StackedBar, stacked_bars};
pub use tornado::{TornadoBar, tornado};
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

/// Realistic charts for looking at: `cargo test --lib gallery -- --ignored` writes them to
/// `$CHART_GALLERY_DIR` (default: `charts/` in the system temporary directory).
#[cfg(test)]
mod gallery {
    use super::*;

    fn out_dir() -> std::path::PathBuf {
        let dir = std::env::var_os("CHART_GALLERY_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join("charts"));
        std::fs::create_dir_all(&dir).expect("create gallery directory");
        dir
    }

    fn save(name: &str, render: impl Fn(ChartFormat) -> Result<Vec<u8>, ChartError>) {
        let dir = out_dir();
        for format in [ChartFormat::Png, ChartFormat::Svg] {
            let bytes = render(format).expect("chart renders");
            let path = dir.join(format!("{name}.{}", format.extension()));
            std::fs::write(&path, bytes).expect("write chart");
        }
    }

    #[test]
    #[ignore = "writes example charts to the temporary directory for viewing"]
    fn gallery() {
        let bar = |label: &str, value: f64, key: &str, note: Option<&str>| BarItem {
            label: label.to_string(),
            value,
            colour_key: key.to_string(),
            annotation: note.map(str::to_string),
        };
        let compare = vec![
            bar("Electric car, alone", 90.0, "car", Some("17 h 20 min")),
            bar("Coach", 120.0, "coach", Some("23 h 30 min")),
            bar("Car, 3 people (petrol)", 133.3, "car", Some("17 h 20 min")),
            bar("Train (TGV via Paris)", 160.0, "train", Some("14 h 10 min")),
            bar(
                "Flight, economy",
                270.0,
                "flight",
                Some("2 h 25 min + airport"),
            ),
            bar("Car alone (petrol)", 400.0, "car", Some("17 h 20 min")),
        ];
        save("compare", |f| {
            horizontal_bars(
                "Enschede → Barcelona, one way, 2025",
                "kg CO2e per person",
                &compare,
                f,
            )
        });
        let many: Vec<BarItem> = (0..34)
            .map(|i| {
                let key = ["train", "flight", "car", "coach", "bus", "ferry"][i % 6];
                bar(
                    &format!("Faculty department number {i} with a rather long name"),
                    (i as f64 * 37.3) % 900.0,
                    key,
                    None,
                )
            })
            .collect();
        let modes = ["flight", "car", "train", "bus", "ebike", "telework"];
        let stack = |label: &str, values: [f64; 6]| StackedBar {
            label: label.to_string(),
            segments: modes
                .iter()
                .zip(values)
                .map(|(m, v)| ((*m).to_string(), v))
                .collect(),
        };
        let scenarios = vec![
            stack("Baseline", [5400.0, 2900.0, 700.0, 450.0, 150.0, 400.0]),
            stack(
                "Rail instead of flights below 700 km",
                [4200.0, 2900.0, 950.0, 450.0, 150.0, 400.0],
            ),
            stack(
                "Carpooling and e-bike scheme",
                [5400.0, 2100.0, 700.0, 450.0, 260.0, 400.0],
            ),
            stack(
                "One home-working day a week",
                [5400.0, 2400.0, 600.0, 380.0, 120.0, 560.0],
            ),
            stack(
                "All measures combined",
                [4200.0, 1500.0, 850.0, 380.0, 230.0, 540.0],
            ),
        ];
        save("scenarios", |f| {
            stacked_bars(
                "Emissions by mode: baseline and scenarios, 2025",
                "t CO2e",
                &scenarios,
                f,
            )
        });
        let steps = vec![
            WaterfallStep {
                label: "Rail instead of flights below 700 km".into(),
                delta: -1200.0,
            },
            WaterfallStep {
                label: "Carpooling and e-bike scheme".into(),
                delta: -800.0,
            },
            WaterfallStep {
                label: "One home-working day a week".into(),
                delta: -300.0,
            },
        ];
        save("waterfall", |f| {
            waterfall(
                "From baseline to scenario, 2025",
                "t CO2e",
                "Baseline 2025",
                10_000.0,
                &steps,
                "Scenario",
                f,
            )
        });
        let mixed = vec![
            WaterfallStep {
                label: "Rail".into(),
                delta: -1200.0,
            },
            WaterfallStep {
                label: "Growth in staff".into(),
                delta: 650.0,
            },
            WaterfallStep {
                label: "Tiny".into(),
                delta: -40.0,
            },
            WaterfallStep {
                label: "Nothing".into(),
                delta: 0.0,
            },
        ];
        save("waterfall_mixed", |f| {
            waterfall(
                "Waterfall with an increase, 2025",
                "t CO2e",
                "Baseline",
                10_000.0,
                &mixed,
                "Scenario",
                f,
            )
        });
        let line = |label: &str, key: &str, points: &[(i32, f64)], dashed: bool| Series {
            label: label.to_string(),
            colour_key: key.to_string(),
            points: points.to_vec(),
            dashed,
        };
        let lines = vec![
            line(
                "Total",
                "total",
                &[(2025, 10_000.0), (2026, 9_700.0), (2027, 9_250.0)],
                false,
            ),
            line(
                "Total, projected",
                "total",
                &[
                    (2027, 9_250.0),
                    (2028, 8_800.0),
                    (2029, 8_300.0),
                    (2030, 7_700.0),
                ],
                true,
            ),
            line(
                "Business travel",
                "flight",
                &[(2025, 6_200.0), (2026, 6_050.0), (2027, 5_800.0)],
                false,
            ),
            line(
                "Commuting",
                "car",
                &[(2025, 3_800.0), (2026, 3_650.0), (2027, 3_450.0)],
                false,
            ),
        ];
        let target = line(
            "Target: −30% by 2030",
            "target",
            &[(2025, 10_000.0), (2030, 7_000.0)],
            true,
        );
        save("trajectory", |f| {
            trajectory(
                "Mobility emissions per year towards the 2030 target",
                "t CO2e",
                &lines,
                Some(&target),
                f,
            )
        });
        let band = |label: &str, journeys: f64, co2e: f64| BandBin {
            label: label.to_string(),
            journeys,
            co2e,
        };
        let bands = vec![
            band("< 100 km", 2150.0, 9.5),
            band("100–500 km", 3320.0, 214.0),
            band("500–700 km", 1180.0, 236.0),
            band("700–1,500 km", 1720.0, 1010.0),
            band("1,500–3,700 km", 640.0, 1380.0),
            band("≥ 3,700 km", 410.0, 3110.0),
        ];
        save("distance_bands", |f| {
            distance_bands(
                "Business journeys and their emissions by distance band, 2025",
                &bands,
                f,
            )
        });
        let dest = |name: &str, lat: f64, lon: f64, weight: f64, key: &str| MapLine {
            to_label: Some(name.to_string()),
            to_lat_deg: lat,
            to_lon_deg: lon,
            weight,
            colour_key: key.to_string(),
        };
        let europe = vec![
            dest("Amsterdam", 52.37, 4.90, 14.0, "train"),
            dest("Brussels", 50.85, 4.35, 22.0, "train"),
            dest("Paris", 48.86, 2.35, 48.0, "train"),
            dest("London", 51.51, -0.13, 65.0, "flight"),
            dest("Berlin", 52.52, 13.40, 30.0, "train"),
            dest("Munich", 48.14, 11.58, 26.0, "train"),
            dest("Copenhagen", 55.68, 12.57, 18.0, "train"),
            dest("Stockholm", 59.33, 18.07, 44.0, "flight"),
            dest("Oslo", 59.91, 10.75, 21.0, "flight"),
            dest("Helsinki", 60.17, 24.94, 19.0, "flight"),
            dest("Vienna", 48.21, 16.37, 28.0, "train"),
            dest("Zurich", 47.37, 8.54, 24.0, "train"),
            dest("Milan", 45.46, 9.19, 31.0, "flight"),
            dest("Rome", 41.90, 12.50, 52.0, "flight"),
            dest("Barcelona", 41.39, 2.17, 78.0, "flight"),
            dest("Madrid", 40.42, -3.70, 61.0, "flight"),
            dest("Lisbon", 38.72, -9.14, 57.0, "flight"),
            dest("Athens", 37.98, 23.73, 46.0, "flight"),
            dest("Warsaw", 52.23, 21.01, 17.0, "coach"),
            dest("Dublin", 53.35, -6.26, 27.0, "flight"),
            dest("Prague", 50.08, 14.44, 12.0, "car"),
        ];
        save("map_europe", |f| {
            destination_map(
                "Business travel destinations in Europe, 2025",
                ("University of Twente", 52.24, 6.86),
                &europe,
                f,
            )
        });
        let mut world = europe.clone();
        world.extend([
            dest("New York", 40.71, -74.01, 310.0, "flight"),
            dest("San Francisco", 37.77, -122.42, 240.0, "flight"),
            dest("Boston", 42.36, -71.06, 150.0, "flight"),
            dest("Tokyo", 35.68, 139.69, 210.0, "flight"),
            dest("Singapore", 1.35, 103.82, 180.0, "flight"),
            dest("Sydney", -33.87, 151.21, 260.0, "flight"),
            dest("Nairobi", -1.29, 36.82, 95.0, "flight"),
            dest("São Paulo", -23.55, -46.63, 140.0, "flight"),
        ]);
        save("map_world", |f| {
            destination_map(
                "Business travel destinations, 2025",
                ("University of Twente", 52.24, 6.86),
                &world,
                f,
            )
        });
        // Edge cases, to check that they stay readable.
        let many_bars: Vec<StackedBar> = (0..32)
            .map(|i| StackedBar {
                label: format!("Scenario number {i}"),
                segments: vec![
                    ("car".to_string(), 100.0 + f64::from(i) * 10.0),
                    ("bus".to_string(), 50.0),
                    ("telework".to_string(), -20.0),
                ],
            })
            .collect();
        save("edge_stacked_many", |f| {
            stacked_bars("32 scenarios with a negative part", "t CO2e", &many_bars, f)
        });
        let many_steps: Vec<WaterfallStep> = (0..14)
            .map(|i| WaterfallStep {
                label: format!("Measure {i} with a long name"),
                delta: if i % 4 == 0 { 120.0 } else { -150.0 },
            })
            .collect();
        save("edge_waterfall_many", |f| {
            waterfall(
                "Fourteen measures",
                "t CO2e",
                "Baseline",
                3_000.0,
                &many_steps,
                "Scenario",
                f,
            )
        });
        let negative = vec![
            bar("Rail instead of flying", -420.0, "train", None),
            bar("Carpooling", -130.5, "car", None),
            bar("More conferences", 250.0, "flight", Some("estimate")),
            bar(
                "One item with a label that is much too long to fit in the label column",
                12.0,
                "other",
                None,
            ),
        ];
        save("edge_bars_negative", |f| {
            horizontal_bars("Change per measure", "t CO2e per year", &negative, f)
        });
        let single = vec![dest("Hengelo", 52.27, 6.79, 0.4, "bike")];
        save("edge_map_single", |f| {
            destination_map(
                "A single short trip",
                ("University of Twente", 52.24, 6.86),
                &single,
                f,
            )
        });
        let pacific = vec![
            dest("Auckland", -36.85, 174.76, 40.0, "flight"),
            dest("Honolulu", 21.31, -157.86, 25.0, "flight"),
            dest("Suva", -18.14, 178.44, 10.0, "flight"),
        ];
        save("edge_map_pacific", |f| {
            destination_map(
                "Across the antimeridian",
                ("University of Twente", 52.24, 6.86),
                &pacific,
                f,
            )
        });
        save("compare_many", |f| {
            horizontal_bars("Business travel by department, 2025", "t CO2e", &many, f)
        });
    }
}
