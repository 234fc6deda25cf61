//! The report as GitHub-flavoured Markdown, for wikis and pull requests. Charts are linked
//! as `charts/<id>.svg` (written next to `report.md`); every string from the model is
//! escaped so that it shows literally.

use std::fmt::Write as _;

use super::html::{Numbers, figure_text, provenance};
use super::model::{Block, Cell, Figure, ReportModel, Table};
use super::text::{markdown as esc, markdown_line, number};

/// Folder of the chart files, relative to `report.md`.
pub const CHART_DIR: &str = "charts";

/// Renders `report.md` (UTF-8).
pub fn render(model: &ReportModel) -> Vec<u8> {
    let mut md = String::with_capacity(64 * 1024);
    let m = &model.meta;
    let _ = writeln!(md, "# {} — {}\n", esc(&m.title), esc(&m.organisation));
    let _ = writeln!(md, "{}\n", markdown_line(&m.subtitle));
    let _ = writeln!(
        md,
        "*Reporting year {} · {}*\n",
        m.year,
        esc(&provenance(model))
    );

    if !model.headline.is_empty() {
        md.push_str("## Key figures\n\n");
        figures(&mut md, &model.headline);
    }
    let mut numbers = Numbers::default();
    for (i, s) in model.sections.iter().enumerate() {
        let _ = writeln!(md, "## {}. {}\n", i + 1, esc(&s.title));
        for b in &s.blocks {
            block(&mut md, b, &mut numbers);
        }
    }
    let _ = writeln!(
        md,
        "## {}. Sources and data attributions\n",
        model.sections.len() + 1
    );
    for a in &model.attributions {
        let _ = write!(
            md,
            "- **{}.** {} ({})",
            esc(&a.subject),
            esc(&a.text),
            esc(&a.licence)
        );
        if let Some(url) = &a.url {
            let _ = write!(md, " <{}>", url.replace(['<', '>', ' '], ""));
        }
        md.push('\n');
    }
    // Exactly one newline at the end.
    while md.ends_with("\n\n") {
        md.pop();
    }
    md.into_bytes()
}

fn figures(md: &mut String, figs: &[Figure]) {
    md.push_str("| Figure | Value | Context |\n| --- | ---: | --- |\n");
    for f in figs {
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            esc(&f.label),
            esc(&figure_text(f)),
            f.detail.as_deref().map(esc).unwrap_or_default()
        );
    }
    md.push('\n');
}

fn block(md: &mut String, b: &Block, n: &mut Numbers) {
    match b {
        Block::Heading { text } => {
            let _ = writeln!(md, "### {}\n", esc(text));
        }
        Block::Paragraph { text } => {
            let _ = writeln!(md, "{}\n", markdown_line(text));
        }
        Block::List { items } => {
            for i in items {
                let _ = writeln!(md, "- {}", esc(i));
            }
            md.push('\n');
        }
        Block::Note { text } => {
            let _ = writeln!(md, "> **Note:** {}\n", esc(text));
        }
        Block::Definitions { items } => {
            for (term, text) in items {
                let _ = writeln!(md, "- **{}:** {}", esc(term), esc(text));
            }
            md.push('\n');
        }
        Block::Figures { figures: f } => figures(md, f),
        Block::Chart(c) => {
            n.figure += 1;
            let _ = writeln!(
                md,
                "![{}]({CHART_DIR}/{}.svg)\n\n*Figure {}.* {}\n",
                esc(&c.title),
                c.id,
                n.figure,
                esc(&c.description)
            );
        }
        Block::Table(t) => {
            n.table += 1;
            table(md, t, n.table);
        }
    }
}

fn table(md: &mut String, t: &Table, table_number: usize) {
    let _ = writeln!(md, "**Table {table_number}. {}**\n", esc(&t.title));
    md.push('|');
    for c in &t.columns {
        let _ = write!(md, " {} |", esc(&c.header()));
    }
    md.push_str("\n|");
    for c in &t.columns {
        md.push_str(if c.is_numeric() { " ---: |" } else { " --- |" });
    }
    md.push('\n');
    for r in &t.rows {
        md.push('|');
        for (i, c) in t.columns.iter().enumerate() {
            let text = match r.cells.get(i).unwrap_or(&Cell::Empty) {
                Cell::Text(s) | Cell::Mode { text: s, .. } => esc(s),
                Cell::Number(v) => number(*v, c.decimals()),
                Cell::Empty => "–".to_string(),
            };
            if r.total && !text.is_empty() {
                let _ = write!(md, " **{text}** |");
            } else {
                let _ = write!(md, " {text} |");
            }
        }
        md.push('\n');
    }
    md.push('\n');
    for n in &t.notes {
        let _ = writeln!(md, "*{}*\n", esc(n));
    }
}
