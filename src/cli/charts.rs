//! Writing charts to files (the library renders them to bytes).

use super::CliError;
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

/// Writes bytes to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)
        .map_err(|e| CliError::data(format!("cannot write {}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CliError::data(format!("cannot write {}: {e}", path.display()))
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
    let way = if c.round_trip {
        "round trip"
    } else {
        "one way"
    };
    let title = format!(
        "{} → {}, {way}: CO2e per person ({})",
        c.from.name, c.to.name, c.pack
    );
    let bytes =
        horizontal_bars(&title, "kg CO2e per person", &items, format).map_err(CliError::data)?;
    write_atomic(path, &bytes)
}
