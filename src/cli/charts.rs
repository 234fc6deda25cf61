//! Writing charts to files (the library renders them to bytes).

use super::{CliError, files};
use mobility_footprint::chart::{ChartFormat, compare_bars};
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
    let bytes = compare_bars(c, format).map_err(CliError::data)?;
    files::check_outputs(
        &[("--chart", path)],
        &super::aliases_file()
            .map(Path::to_path_buf)
            .into_iter()
            .collect::<Vec<_>>(),
    )?;
    files::write_file(&files::Disk, path, &bytes)
}
