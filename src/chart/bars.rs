//! Horizontal bars: options ranked by one value (used by `compare`).

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    Canvas, LABEL, LegendEntry, MARGIN, Mark, NOTE, Scale, Ticks, VALUE, format_value, leading_unit,
};
use super::palette::{INK, MUTED, mode_colour, mode_name};
use super::{ChartError, ChartFormat, Draw, check_finite, render};

const CHART: &str = "horizontal bars";

/// One bar of [`horizontal_bars`].
#[derive(Clone, Debug, PartialEq)]
pub struct BarItem {
    /// Category label at the left, e.g. "Car alone (petrol)"; shortened with "…" if too long.
    pub label: String,
    /// Bar length in the unit of the axis.
    pub value: f64,
    /// Colour, by mode key ([`super::mode_colour`]).
    pub colour_key: String,
    /// Extra text after the value label, e.g. "9 h 40 min"; drawn in grey.
    pub annotation: Option<String>,
}

/// Horizontal bars in the given order, top to bottom, e.g. travel options ranked by
/// kg CO2e per person.
///
/// Each bar ends in its value; when `x_label` starts with a unit (`"kg CO2e per person"`),
/// the unit follows the number ("186.4 kg"). A legend of the modes appears when the bars
/// use more than one colour. Zero and negative values are drawn from a zero line; more than
/// about 18 bars make the chart taller instead of squeezing the labels.
///
/// # Errors
///
/// [`ChartError::Empty`] without items, [`ChartError::NotFinite`] for a NaN or infinite
/// value, [`ChartError::Drawing`] if plotters or the encoder fails.
pub fn horizontal_bars(
    title: &str,
    x_label: &str,
    items: &[BarItem],
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    if items.is_empty() {
        return Err(ChartError::Empty { chart: CHART });
    }
    for item in items {
        check_finite(CHART, &item.label, item.value)?;
    }
    render(
        &HorizontalBars {
            title,
            x_label,
            items,
        },
        format,
    )
}

struct HorizontalBars<'a> {
    title: &'a str,
    x_label: &'a str,
    items: &'a [BarItem],
}

impl HorizontalBars<'_> {
    /// Legend entries: one per distinct colour, when there is more than one.
    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = Vec::new();
        let mut seen = Vec::new();
        for item in self.items {
            let colour = mode_colour(&item.colour_key);
            if !seen.contains(&colour) {
                seen.push(colour);
                entries.push(LegendEntry {
                    mark: Mark::Box(colour),
                    label: mode_name(&item.colour_key),
                });
            }
        }
        if entries.len() > 1 {
            entries
        } else {
            Vec::new()
        }
    }
}

impl Draw for HorizontalBars<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.items.len().min(120) as u32;
        (1000, (190 + 24 * rows).clamp(600, 3100))
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let n = self.items.len();
        let mut top = c.title(self.title)? + 10.0;
        let legend = self.legend();
        let legend_h = c.legend_row(&legend, (MARGIN, top), c.width - 2.0 * MARGIN, true)?;
        if legend_h > 0.0 {
            top += legend_h + 12.0;
        }
        top += 4.0;
        let bottom = c.height - MARGIN - 58.0;
        let row_h = (bottom - top) / n as f64;
        let label_font = LABEL.with_size(LABEL.size.min(row_h * 0.75).max(7.0));
        let value_font = VALUE.with_size(VALUE.size.min(row_h * 0.72).max(7.0));
        let note_font = NOTE.with_size(NOTE.size.min(row_h * 0.7).max(7.0));

        // Category labels: as wide as the widest, at most 36 % of the chart.
        let label_w = c
            .max_text_width(self.items.iter().map(|i| i.label.as_str()), label_font)
            .min(c.width * 0.36);
        let left = MARGIN + label_w + 12.0;
        let right = c.width - MARGIN;

        let unit = leading_unit(self.x_label);
        let value_text = |v: f64| match unit {
            Some(u) => format!("{} {u}", format_value(v)),
            None => format_value(v),
        };
        let annotation_max = (right - left) * 0.3;
        let annotations: Vec<Option<String>> = self
            .items
            .iter()
            .map(|i| {
                i.annotation
                    .as_deref()
                    .filter(|a| !a.trim().is_empty())
                    .map(|a| c.fit(a, note_font, annotation_max))
            })
            .collect();
        // Room for the value label (and annotation) beyond each bar's end.
        let room = |i: usize| {
            let mut w = c.text_width(&value_text(self.items[i].value), value_font) + 10.0;
            if let Some(a) = &annotations[i] {
                w += c.text_width(a, note_font) + 10.0;
            }
            w
        };
        let room_right = (0..n)
            .filter(|&i| self.items[i].value >= 0.0)
            .map(room)
            .fold(0.0, f64::max);
        let room_left = (0..n)
            .filter(|&i| self.items[i].value < 0.0)
            .map(room)
            .fold(0.0, f64::max);
        let lo = self.items.iter().map(|i| i.value).fold(0.0, f64::min);
        let mut hi = self.items.iter().map(|i| i.value).fold(0.0, f64::max);
        if hi <= lo {
            hi = lo + 1.0;
        }
        let data = Scale::new(lo, hi, left + room_left, right - room_right);
        let scale = Scale::new(
            lo - room_left * data.per_px(),
            hi + room_right * data.per_px(),
            left,
            right,
        );
        let ticks = Ticks::within(lo, scale.hi, 6);
        c.x_axis(&scale, &ticks, bottom, top, self.x_label)?;

        let thickness = (row_h * 0.66).min(40.0);
        let zero = scale.px(0.0);
        for (i, item) in self.items.iter().enumerate() {
            let yc = top + (i as f64 + 0.5) * row_h;
            let label = c.fit(&item.label, label_font, label_w);
            c.text(
                &label,
                (left - 10.0, yc),
                label_font,
                INK,
                (HPos::Right, VPos::Center),
            )?;
            let end = scale.px(item.value);
            if (end - zero).abs() >= 0.5 {
                c.fill_rect(
                    (zero, yc - thickness / 2.0),
                    (end, yc + thickness / 2.0),
                    mode_colour(&item.colour_key),
                )?;
            }
            let text = value_text(item.value);
            let text_w = c.text_width(&text, value_font);
            let (value_x, note_x, h) = if item.value >= 0.0 {
                (end + 7.0, end + 7.0 + text_w + 10.0, HPos::Left)
            } else {
                (end - 7.0, end - 7.0 - text_w - 10.0, HPos::Right)
            };
            c.text(&text, (value_x, yc), value_font, INK, (h, VPos::Center))?;
            if let Some(a) = &annotations[i] {
                c.text(a, (note_x, yc), note_font, MUTED, (h, VPos::Center))?;
            }
        }
        c.line(&[(zero, top), (zero, bottom)], INK, 1.0)
    }
}

/// The `compare` chart: kg CO2e per person of every option, with its saving against the
/// worst; what `footprint compare --chart` writes and the web page shows.
///
/// # Errors
///
/// As [`horizontal_bars`].
pub fn compare_bars(
    c: &crate::compare::Comparison,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    let items: Vec<BarItem> = c
        .options
        .iter()
        .map(|o| BarItem {
            label: o.label.clone(),
            value: o.co2e_kg_per_person,
            colour_key: o.mode.key().to_string(),
            annotation: (o.saving_vs_worst_pct >= 0.5)
                .then(|| format!("−{:.0} % vs worst", o.saving_vs_worst_pct)),
        })
        .collect();
    let way = if c.round_trip {
        "round trip"
    } else {
        "one way"
    };
    let title = format!(
        "{} → {}, {way}: CO2e per person ({})",
        c.from.name, c.to.name, c.pack
    );
    horizontal_bars(&title, "kg CO2e per person", &items, format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_support::{FORMATS, assert_png, assert_svg};

    fn item(label: &str, value: f64, key: &str) -> BarItem {
        BarItem {
            label: label.to_string(),
            value,
            colour_key: key.to_string(),
            annotation: None,
        }
    }

    fn barcelona() -> Vec<BarItem> {
        vec![
            item("Electric car, 1 person", 90.0, "car"),
            item("Coach", 120.0, "coach"),
            item("Car, 3 people", 133.3, "car"),
            BarItem {
                annotation: Some("14 h 10 min".to_string()),
                ..item("Train", 160.0, "train")
            },
            item("Flight (economy)", 270.0, "flight"),
            item("Car alone (petrol)", 400.0, "car"),
        ]
    }

    #[test]
    fn renders_svg_with_title_labels_and_values() {
        let svg = horizontal_bars(
            "Enschede → Barcelona",
            "kg CO2e per person",
            &barcelona(),
            ChartFormat::Svg,
        )
        .unwrap();
        assert_svg(
            &svg,
            &[
                "Enschede → Barcelona",
                "kg CO2e per person",
                "Car alone (petrol)",
                "Flight (economy)",
                "133.3 kg",
                "400.0 kg",
                "14 h 10 min",
            ],
        );
    }

    #[test]
    fn renders_png() {
        let png = horizontal_bars("Options", "kg CO2e", &barcelona(), ChartFormat::Png).unwrap();
        assert_png(&png, 1000, 600);
    }

    #[test]
    fn empty_and_nan_are_errors() {
        assert!(matches!(
            horizontal_bars("t", "kg", &[], ChartFormat::Svg),
            Err(ChartError::Empty { .. })
        ));
        let err = horizontal_bars("t", "kg", &[item("Bad", f64::NAN, "car")], ChartFormat::Png)
            .unwrap_err();
        assert!(matches!(err, ChartError::NotFinite { ref label, .. } if label == "Bad"));
        assert!(err.to_string().contains("Bad"));
    }

    #[test]
    fn edge_cases_render_in_both_formats() {
        let long = "A very long option label that could never fit in the label column of a chart";
        let cases = vec![
            vec![item("Only one", 5.0, "bike")],
            vec![item("Zero", 0.0, "walk"), item("Also zero", 0.0, "bike")],
            vec![
                item("Saving", -40.0, "train"),
                item("Extra", 25.0, "flight"),
            ],
            vec![item(long, 10.0, "car"), item("", 3.0, "")],
            (0..40)
                .map(|i| item(&format!("Option {i}"), f64::from(i) * 1.5, "train"))
                .collect(),
        ];
        for items in &cases {
            for format in FORMATS {
                let bytes = horizontal_bars("Edge case", "kg CO2e", items, format).unwrap();
                assert!(!bytes.is_empty());
            }
        }
        let svg = horizontal_bars("Long", "kg CO2e", &cases[3], ChartFormat::Svg).unwrap();
        let svg = String::from_utf8(svg).unwrap();
        assert!(svg.contains('…'), "long label not shortened");
        assert!(!svg.contains(long));
        let png = horizontal_bars("Many", "kg CO2e", &cases[4], ChartFormat::Png).unwrap();
        assert_png(&png, 1000, 1150);
    }
}
