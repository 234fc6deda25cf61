//! Writing charts to files (the library renders them to bytes).

use super::{CliError, files};
use mobility_footprint::chart::{BarItem, ChartFormat, horizontal_bars};
use mobility_footprint::compare::Comparison;
use std::path::Path;

/// The chart format for a path, from its extension.
pub fn format_for(path: &Path) -> Result<ChartFormat, CliError> {
    ChartFormat::from_path(path).ok_or_else(|| {
        CliError::usage(format!(
            "chart file `{}` must end in .svg or .png",
            path.display()
        ))
    })
}

/// The `compare` bar chart.
pub fn write_compare_chart(c: &Comparison, path: &Path) -> Result<(), CliError> {
    let format = format_for(path)?;
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
    let short = |label: &str| label.split(" (").next().unwrap_or(label).to_string();
    let way = if c.round_trip {
        "round trip"
    } else {
        "one way"
    };
    let title = format!(
        "{} → {}, {way}: CO2e per person ({})",
        short(&c.from.label),
        short(&c.to.label),
        c.pack
    );
    let bytes =
        horizontal_bars(&title, "kg CO2e per person", &items, format).map_err(CliError::data)?;
    files::check_outputs(
        &[("--chart", path)],
        &super::aliases_file()
            .map(Path::to_path_buf)
            .into_iter()
            .collect::<Vec<_>>(),
    )?;
    files::write_file(&files::Disk, path, &bytes)
}
