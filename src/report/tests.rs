//! Renderer tests on a small hand-made model with hostile strings.

use super::*;
use crate::chart::{BarItem, ChartFormat, horizontal_bars};

const XSS: &str = "<script>alert(1)</script>";

fn chart_svg(label: &str) -> String {
    let items = vec![
        BarItem {
            label: label.to_string(),
            value: 120.0,
            colour_key: "flight".into(),
            annotation: None,
        },
        BarItem {
            label: "Physics".into(),
            value: 80.0,
            colour_key: "train".into(),
            annotation: None,
        },
    ];
    let bytes = horizontal_bars(
        &format!("Business travel by department ({label})"),
        "t CO2e",
        &items,
        ChartFormat::Svg,
    )
    .unwrap();
    String::from_utf8(bytes).unwrap()
}

/// A model whose user-provided strings are all hostile.
pub(crate) fn fixture() -> ReportModel {
    let by_dept = Table {
        id: "by-department".into(),
        title: format!("Emissions by department {XSS}"),
        columns: vec![
            Column::text("department", "Department"),
            Column::number("journeys", "Journeys", "", 0),
            Column::number("co2e_t", "Emissions", "t CO2e", 1),
            Column::number("share_pct", "Share", "%", 1),
        ],
        rows: vec![
            Row::new(vec![
                Cell::text(XSS),
                Cell::Number(12.0),
                Cell::Number(120.04),
                Cell::Number(60.0),
            ]),
            Row::new(vec![
                Cell::text("=HYPERLINK(\"evil.example\")"),
                Cell::Number(1234.0),
                Cell::Number(79.96),
                Cell::Number(40.0),
            ]),
            Row::total(vec![
                Cell::text("Total"),
                Cell::Number(1246.0),
                Cell::Number(200.0),
                Cell::Number(100.0),
            ]),
        ],
        notes: vec![format!("note about {XSS}")],
    };
    let by_mode = Table {
        id: "by-mode".into(),
        title: "Emissions by mode".into(),
        columns: vec![
            Column::text("mode", "Mode"),
            Column::number("co2e_t", "Emissions", "t CO2e", 1),
        ],
        rows: vec![
            Row::new(vec![
                Cell::Mode {
                    text: "Flight".into(),
                    key: "flight".into(),
                },
                Cell::Number(-1500.26),
            ]),
            Row::new(vec![
                Cell::Mode {
                    text: "Train".into(),
                    key: "train".into(),
                },
                Cell::Empty,
            ]),
        ],
        notes: vec![],
    };
    ReportModel {
        meta: Meta {
            organisation: format!("Uni {XSS}"),
            year: 2025,
            title: "Mobility footprint 2025".into(),
            subtitle: format!("Scenario {XSS} & more"),
            date: Some("2026-01-15".into()),
            generator: "mobility-footprint test".into(),
            inputs: vec![format!("{XSS}.csv")],
        },
        headline: vec![
            Figure::new("total_t", "Total", 9_234.56, "t CO2e", 0)
                .detail("92 % of the 10,000 t baseline")
                .bar(92.3),
        ],
        sections: vec![
            Section {
                id: "business".into(),
                title: format!("Business travel {XSS}"),
                blocks: vec![
                    Block::Paragraph {
                        text: format!("Text {XSS} *bold* | pipe"),
                    },
                    Block::List {
                        items: vec![XSS.into()],
                    },
                    Block::Note { text: XSS.into() },
                    Block::Definitions {
                        items: vec![(XSS.into(), XSS.into())],
                    },
                    Block::Chart(Chart {
                        id: "by-department".into(),
                        title: format!("Departments {XSS}"),
                        description: format!("Bars {XSS}"),
                        svg: chart_svg(XSS),
                    }),
                    Block::Table(by_dept),
                ],
            },
            Section {
                id: "modes".into(),
                title: "Modes".into(),
                blocks: vec![
                    Block::Figures {
                        figures: vec![Figure::new("flight_share_pct", "Flights", 61.0, "%", 0)],
                    },
                    Block::Table(by_mode),
                ],
            },
        ],
        attributions: vec![Attribution {
            subject: "Places".into(),
            text: "© GeoNames".into(),
            licence: "CC BY 4.0".into(),
            url: Some("https://www.geonames.org/".into()),
        }],
        results: serde_json::Map::new(),
    }
}

fn file<'a>(files: &'a [ReportFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(&f.bytes).unwrap()
}

#[test]
fn every_format_renders_in_a_fixed_order_with_the_page_last() {
    let files = render(&fixture(), &ReportFormat::ALL).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "tables/by-department.csv",
            "tables/by-mode.csv",
            "summary.json",
            "charts/by-department.svg",
            "report.md",
            "report.xlsx",
            "index.html"
        ]
    );
    let only_json = render(&fixture(), &[ReportFormat::Json]).unwrap();
    assert_eq!(only_json.len(), 1);
}

#[test]
fn rendering_is_deterministic() {
    let a = render(&fixture(), &ReportFormat::ALL).unwrap();
    let b = render(&fixture(), &ReportFormat::ALL).unwrap();
    assert_eq!(a, b);
}

#[test]
fn html_page_is_structurally_valid_and_self_contained() {
    let files = render(&fixture(), &[ReportFormat::Html]).unwrap();
    let page = file(&files, "index.html");
    assert_eq!(html::audit(page), Vec::<String>::new());
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_eq!(page.matches("<svg").count(), 1);
    assert!(page.contains(r#"role="img" aria-labelledby="by-department-title by-department-desc"><title id="by-department-title">Departments &lt;script&gt;"#));
    // Numbers right-aligned with their decimals, units in the header, a true minus.
    assert!(page.contains("<td class=\"num\">120.0</td>"));
    assert!(page.contains("<td class=\"num\">1,234</td>"));
    assert!(page.contains("<td class=\"num\">\u{2212}1,500.3</td>"));
    assert!(page.contains(
        "<th scope=\"col\" class=\"num\">Emissions<span class=\"unit\">t CO2e</span></th>"
    ));
    assert!(page.contains("<span class=\"swatch\" style=\"background:#D55E00\"></span>Flight"));
    assert!(page.contains("<tr class=\"total\">"));
    assert!(page.contains("style=\"width:92.3%\""));
    assert!(page.contains("@media print"));
    // The only address is the attribution's.
    assert_eq!(page.matches("https://").count(), 2, "href and text");
}

#[test]
fn the_audit_finds_broken_pages() {
    let good = String::from_utf8(html::render(&fixture()).unwrap()).unwrap();
    let cases = [
        ("<title>", "<title>x</title><title>"),
        ("<main>", "<main><script>alert(1)</script>"),
        ("<main>", "<main><img src=\"https://example.org/a.png\">"),
        ("<main>", "<main><div>"),
        ("<main>", "<main><p onclick=\"x()\">a</p>"),
        ("<main>", "<main><p>see https://example.org</p>"),
        ("<main>", "<main><svg role=\"img\"><rect/></svg>"),
        ("<main>", "<main><p id=\"business\">dup</p>"),
        ("lang=\"en\"", ""),
    ];
    for (from, to) in cases {
        let bad = good.replacen(from, to, 1);
        assert!(!html::audit(&bad).is_empty(), "not caught: {to}");
    }
}

#[test]
fn hostile_strings_show_as_text_everywhere() {
    let files = render(&fixture(), &ReportFormat::ALL).unwrap();
    let page = file(&files, "index.html");
    assert!(
        !page.to_lowercase().contains("<script"),
        "raw <script> in the page"
    );
    assert!(page.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
    // Inside the chart SVG (label and title) too.
    let svg_start = page.find("<svg").unwrap();
    let svg = &page[svg_start..page.find("</svg>").unwrap()];
    assert!(svg.contains("&lt;script&gt;"), "chart label not escaped");

    let md = file(&files, "report.md");
    assert!(!md.contains("<script"));
    assert!(md.contains("| &lt;script&gt;alert(1)&lt;/script&gt; | 12 | 120.0 | 60.0 |"));
    assert!(md.contains(r"Text &lt;script&gt;alert(1)&lt;/script&gt; \*bold\* \| pipe"));
    let chart = file(&files, "charts/by-department.svg");
    assert!(!chart.contains("<script"));

    let csv = file(&files, "tables/by-department.csv");
    assert!(
        csv.contains("'=HYPERLINK"),
        "formula not neutralised: {csv}"
    );

    // The workbook holds the literal text as a string cell (not a formula).
    use calamine::{Data, Reader, Xlsx};
    let xlsx = files.iter().find(|f| f.path == "report.xlsx").unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[0], "Summary");
    assert_eq!(names[1], "Emissions by department <script");
    assert_eq!(names[2], "Emissions by mode");
    let range = wb.worksheet_range(&names[1]).unwrap();
    assert_eq!(range.get_value((3, 0)), Some(&Data::String(XSS.into())));
    assert_eq!(
        range.get_value((4, 0)),
        Some(&Data::String("=HYPERLINK(\"evil.example\")".into()))
    );
    assert_eq!(range.get_value((3, 2)), Some(&Data::Float(120.04)));
    let formulas = wb.worksheet_formula(&names[1]).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn summary_json_keeps_every_digit() {
    let files = render(&fixture(), &[ReportFormat::Json]).unwrap();
    let v: serde_json::Value = serde_json::from_str(file(&files, "summary.json")).unwrap();
    assert_eq!(v["headline"]["total_t"]["value"], 9_234.56);
    assert_eq!(v["headline"]["flight_share_pct"]["value"], 61.0);
    let rows = &v["tables"]["by-department"]["rows"];
    assert_eq!(rows[0]["department"], XSS);
    assert_eq!(rows[0]["co2e_t"], 120.04);
    assert_eq!(rows[2]["total_row"], true);
    assert_eq!(
        v["tables"]["by-mode"]["rows"][1]["co2e_t"],
        serde_json::Value::Null
    );
    assert_eq!(v["charts"][0]["file"], "charts/by-department.svg");
    assert_eq!(v["report"]["date"], "2026-01-15");
}

#[test]
fn csv_tables_have_units_in_the_header_and_full_numbers() {
    let files = render(&fixture(), &[ReportFormat::Csv]).unwrap();
    let csv = file(&files, "tables/by-department.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("Department,Journeys,Emissions (t CO2e),Share (%),row")
    );
    assert_eq!(
        lines.next(),
        Some("<script>alert(1)</script>,12,120.04,60,")
    );
    assert!(csv.ends_with("Total,1246,200,100,total\n"));
}

#[test]
fn csv_numbers_have_no_float_noise_and_formulas_are_guarded() {
    let mut m = fixture();
    if let Block::Table(t) = &mut m.sections[0].blocks[5] {
        t.rows[0].cells[2] = Cell::Number(0.026327000000000003);
        t.rows[1].cells[0] = Cell::text("-1+HYPERLINK(\"http://evil.example\")");
        t.rows[2].cells[0] = Cell::text("-2.5");
    }
    let files = render(&m, &[ReportFormat::Csv]).unwrap();
    let csv = file(&files, "tables/by-department.csv");
    assert!(csv.contains(",0.026327,"), "{csv}");
    assert!(
        csv.contains("\"'-1+HYPERLINK(\"\"http://evil.example\"\")\""),
        "{csv}"
    );
    assert!(csv.contains("\n-2.5,"), "{csv}");
}

#[test]
fn the_workbook_cuts_an_overlong_cell_with_a_marker_and_a_note() {
    use calamine::{Data, DataType, Reader, Xlsx};
    let long = "é".repeat(40_000);
    let mut m = fixture();
    if let Block::Table(t) = &mut m.sections[0].blocks[5] {
        t.rows[0].cells[0] = Cell::text(long.clone());
    }
    m.meta.subtitle = "x".repeat(33_000);
    let files = render(&m, &[ReportFormat::Xlsx]).expect("the workbook is written");
    let xlsx = files.iter().find(|f| f.path == "report.xlsx").unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let names = wb.sheet_names();
    let range = wb.worksheet_range(&names[1]).unwrap();
    let Some(Data::String(cell)) = range.get_value((3, 0)) else {
        panic!("no text cell");
    };
    assert!(cell.encode_utf16().count() <= xlsx::MAX_CELL_UTF16);
    assert!(cell.starts_with("éé"));
    assert!(
        cell.ends_with("characters not shown]"),
        "{}",
        &cell[cell.len() - 60..]
    );
    let shown = cell.chars().filter(|c| *c == 'é').count();
    assert!(cell.contains(&format!(
        "{} characters",
        text::number((40_000 - shown) as f64, 0)
    )));
    let notes: Vec<String> = range
        .rows()
        .filter_map(|r| r[0].as_string())
        .filter(|t| t.contains("32,767"))
        .collect();
    assert_eq!(notes.len(), 1, "one note under the table");
    let summary = wb.worksheet_range("Summary").unwrap();
    assert!(
        summary
            .rows()
            .any(|r| r[0].as_string().is_some_and(|t| t.contains("32,767")))
    );
}

#[test]
fn markdown_tables_align_numbers_right() {
    let files = render(&fixture(), &[ReportFormat::Markdown]).unwrap();
    let md = file(&files, "report.md");
    assert!(md.contains(
        "| Mode | Emissions (t CO2e) |\n| --- | ---: |\n| Flight | \u{2212}1,500.3 |\n| Train | – |"
    ));
    assert!(md.contains("| **Total** | **1,246** | **200.0** | **100.0** |"));
    assert!(md.contains(
        "![Departments &lt;script&gt;alert(1)&lt;/script&gt;](charts/by-department.svg)"
    ));
    assert!(md.contains("- **Places.** © GeoNames (CC BY 4.0) <https://www.geonames.org/>"));
    assert!(md.ends_with("/>\n"));
}

#[test]
fn ids_must_be_unique_and_plain() {
    let mut m = fixture();
    m.sections[1].id = "business".into();
    assert!(matches!(
        render(&m, &[ReportFormat::Html]),
        Err(ReportError::BadId {
            what: "section",
            problem: "used twice",
            ..
        })
    ));
    let mut m = fixture();
    m.sections[0].id = "Business Travel".into();
    assert!(matches!(
        render(&m, &[ReportFormat::Html]),
        Err(ReportError::BadId { .. })
    ));
}

#[test]
fn charts_with_active_content_are_refused() {
    let mut m = fixture();
    if let Block::Chart(c) = &mut m.sections[0].blocks[4] {
        c.svg = "<svg><script>alert(1)</script></svg>".into();
    }
    for format in [ReportFormat::Html, ReportFormat::Markdown] {
        assert!(matches!(
            render(&m, &[format]),
            Err(ReportError::UnsafeSvg { .. })
        ));
    }
}

#[test]
fn chart_text_that_mentions_links_is_not_active_content() {
    let mut m = fixture();
    if let Block::Chart(c) = &mut m.sections[0].blocks[4] {
        c.svg = chart_svg("Ahref dept, see url(x) or javascript:void");
    }
    let files = render(&m, &[ReportFormat::Html, ReportFormat::Markdown]).expect("renders");
    assert!(file(&files, "index.html").contains("Ahref dept"));
    for bad in [
        "<svg><a xlink:href=\"https://evil.example\"><text>x</text></a></svg>",
        "<svg><rect href=\"#x\"/></svg>",
        "<svg><rect fill=\"url(#x)\"/></svg>",
        "<svg><rect fill='javascript:alert(1)'/></svg>",
        "<svg><rect onload=\"x()\"/></svg>",
        "<svg><use xlink:href=\"#x\"/></svg>",
        "<svg><image x=\"1\"/></svg>",
        "<svg><STYLE>rect{}</STYLE></svg>",
    ] {
        let mut m = fixture();
        if let Block::Chart(c) = &mut m.sections[0].blocks[4] {
            c.svg = bad.into();
        }
        assert!(
            matches!(
                render(&m, &[ReportFormat::Html]),
                Err(ReportError::UnsafeSvg { .. })
            ),
            "not refused: {bad}"
        );
    }
}

#[test]
fn control_characters_in_chart_labels_are_dropped() {
    let svg = chart_svg("Dept\0one\u{1b}\u{7f}\ttwo");
    assert!(
        !svg.chars().any(|c| c.is_control() && c != '\n'),
        "control character in the SVG"
    );
    assert!(svg.contains("Deptone two"), "label lost");
}

/// `cargo test --lib report::tests::gallery -- --ignored` writes the fixture report to
/// `$REPORT_GALLERY_DIR` (default: `report-fixture/` in the temporary directory) for viewing.
#[test]
#[ignore = "writes the fixture report to the temporary directory for viewing"]
fn gallery() {
    let dir = std::env::var_os("REPORT_GALLERY_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("report-fixture"));
    for f in render(&fixture(), &ReportFormat::ALL).unwrap() {
        let path = dir.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, f.bytes).unwrap();
    }
}
