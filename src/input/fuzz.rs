//! Property-based fuzzing of every reader (CSV/TSV, workbook, JSON/JSONL) and of the
//! configuration and scenario loaders: over arbitrary bytes, and over structurally valid
//! but extreme records. Cases: `PROPTEST_CASES` (64 by default, so CI stays bounded);
//! `tools/fuzz-campaign.sh` runs a long campaign.

use super::*;
use proptest::prelude::*;
use std::io::Cursor;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        max_shrink_iters: 2_000,
        // Nothing is written into the source tree; failures print their minimal input.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The cases earlier campaigns found, kept as plain tests (they used to live in a
/// `proptest-regressions/` file written into the source tree).
mod regressions {
    use super::*;

    #[test]
    fn a_lone_cr_is_a_line_end_and_no_row_is_lost() {
        // Found by `any_bytes_as_any_format`: `\0\0\0\n\x0e\r#`.
        let _ = read_all("fuzz", vec![0, 0, 0, 10, 14, 13, 35], None);
        // Found by `extreme_but_structured_delimited_files`: a CR inside an unquoted field.
        let bytes = join(
            b',',
            &[
                vec!["".into(), "0".into()],
                vec!["\0\r".into(), "0e0".into()],
            ],
        );
        assert_eq!(read_all("fuzz.csv", bytes, None), Ok(2));
        // Found by the 20,000-case campaign: lone CRs are line ends, so a file can hold more
        // records than LFs (the property now counts CR line ends too).
        let bytes = join(
            b',',
            &[
                vec!["a\"".into()],
                vec!["\0\r\u{e}".into()],
                vec!["\u{e}\r\0".into()],
            ],
        );
        let n = read_all("fuzz.csv", bytes, None).unwrap();
        assert_eq!(n, 4, "a header and four records, one per line end");
        // Classic Mac line endings: every row read, on its own line.
        let text = "id,mode\r1,train\r2,bike\r\r3,car";
        let r = InputReader::from_reader(
            "mac.csv",
            Cursor::new(text.as_bytes().to_vec()),
            &InputOptions::default(),
        )
        .unwrap();
        let rows: Vec<(u64, String)> = r
            .records()
            .map(|x| {
                let x = x.unwrap();
                (x.line(), x.iter().collect::<Vec<_>>().join("|"))
            })
            .collect();
        assert_eq!(
            rows,
            [
                (2, "1|train".to_string()),
                (3, "2|bike".into()),
                (5, "3|car".into())
            ]
        );
        // CRLF is unchanged, and a CR split from its LF across reads too.
        let crlf = "id,mode\r\n1,train\r\n2,bike\r\n";
        let opts = InputOptions {
            block_bytes: 1,
            ..InputOptions::default()
        };
        let r = InputReader::from_reader("w.csv", Cursor::new(crlf.as_bytes().to_vec()), &opts)
            .unwrap();
        let lines: Vec<u64> = r.records().map(|x| x.unwrap().line()).collect();
        assert_eq!(lines, [2, 3]);
    }
}

/// Reads `bytes` as `format` and checks the reader's promises: no panic, every record
/// within the header width or a row error, no value longer than [`MAX_FIELD_BYTES`], line
/// numbers increasing.
fn read_all(name: &str, bytes: Vec<u8>, format: Option<InputFormat>) -> Result<usize, String> {
    let opts = InputOptions {
        format,
        block_bytes: 64,
        ..InputOptions::default()
    };
    let r = match InputReader::from_reader(name, Cursor::new(bytes), &opts) {
        Ok(r) => r,
        Err(e) => {
            let m = e.to_string();
            assert!(m.len() < 2_000, "message of {} bytes", m.len());
            return Err(m);
        }
    };
    assert!(r.header().len() <= MAX_COLUMNS);
    let width = r.header().len();
    let mut n = 0;
    let mut last = 0;
    for rec in r.records() {
        match rec {
            Ok(rec) => {
                // Every record starts on a later line (a lone CR is a line end too).
                assert!(
                    rec.line() > last,
                    "lines go forward: {} after {last}",
                    rec.line()
                );
                last = rec.line();
                assert!(rec.iter().all(|v| v.len() <= MAX_FIELD_BYTES));
                assert!(rec.iter().skip(width).all(|v| v.trim().is_empty()));
                n += 1;
            }
            Err(e) => assert!(e.to_string().len() < 2_000),
        }
    }
    Ok(n)
}

/// A field as careless exports write them: empty, quoted with delimiters and newlines
/// inside, stray quotes, numbers of every style, huge numbers, long runs, control bytes.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-zéü ]{1,12}",
        "\"[a-z,;\t\n\"]{0,10}\"",
        "[a-z]{0,3}\"[a-z]{0,3}",
        "-?[0-9]{1,4}([.,][0-9]{1,4}){0,3}",
        "[0-9]{1,3}e[0-9]{1,3}",
        Just("1e308".to_string()),
        Just("NaN".to_string()),
        "[\\x00-\\x1f]{1,4}",
        (1usize..6000).prop_map(|n| "x".repeat(n)),
    ]
}

fn table() -> impl Strategy<Value = (u8, Vec<Vec<String>>)> {
    (
        prop::sample::select(vec![b',', b';', b'\t', b'|']),
        prop::collection::vec(prop::collection::vec(field(), 1..6), 1..12),
    )
}

fn join(delimiter: u8, rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in rows {
        out.extend_from_slice(r.join(&(delimiter as char).to_string()).as_bytes());
        out.push(b'\n');
    }
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_as_any_format(bytes in prop::collection::vec(any::<u8>(), 0..4096),
                               f in 0usize..4) {
        let format = [None, Some(InputFormat::Delimited), Some(InputFormat::Json),
                      Some(InputFormat::Workbook)][f];
        let _ = read_all("fuzz", bytes, format);
    }

    #[test]
    fn extreme_but_structured_delimited_files((d, rows) in table()) {
        let bytes = join(d, &rows);
        // Line ends as the reader counts them: LF, CRLF and a lone CR.
        let lines = bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .count();
        if let Ok(n) = read_all("fuzz.csv", bytes, None) {
            prop_assert!(n <= lines);
        }
    }

    #[test]
    fn extreme_json_records(rows in prop::collection::vec(
        prop::collection::btree_map("[a-z]{1,8}", field(), 0..6), 0..8), lines in any::<bool>()) {
        let objs: Vec<serde_json::Value> = rows
            .iter()
            .map(|m| serde_json::Value::Object(
                m.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect()))
            .collect();
        let text = if lines {
            objs.iter().map(|o| o.to_string()).collect::<Vec<_>>().join("\n")
        } else {
            serde_json::Value::Array(objs.clone()).to_string()
        };
        let _ = read_all("fuzz.json", text.into_bytes(), Some(InputFormat::Json));
    }

    #[test]
    fn extreme_workbooks(cells in prop::collection::vec(
        ((0u32..1_048_576), (0u16..16_384), field()), 0..12)) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, c, v) in &cells {
            let _ = ws.write_string(*r, *c, v);
        }
        let bytes = wb.save_to_buffer().expect("workbook");
        let _ = read_all("fuzz.xlsx", bytes, None);
    }

    #[test]
    fn numbers_and_dates_never_panic_and_stay_finite(s in "\\PC{0,40}|[0-9.,e+\\- ]{0,30}") {
        for style in [NumberStyle::Point, NumberStyle::Comma, NumberStyle::Either] {
            if let Ok(v) = parse_number_styled(&s, style) {
                prop_assert!(v.is_finite());
            }
        }
        let _ = parse_date(&s);
    }

    #[test]
    fn configuration_loader(text in "\\PC{0,300}", v in json_value()) {
        let _ = crate::inventory::InventoryConfig::from_json("fuzz.json", &text);
        let t = v.to_string();
        if let Err(e) = crate::inventory::InventoryConfig::from_json("fuzz.json", &t) {
            prop_assert!(e.to_string().len() < 4_000);
        }
    }

    #[test]
    fn scenario_loader(text in "\\PC{0,300}", v in json_value()) {
        let _ = crate::scenario::parse("fuzz.json", &text);
        let _ = crate::scenario::parse("fuzz.json", &v.to_string());
    }
}

/// JSON values shaped like configurations and scenarios (known keys, extreme values).
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(|f| json!(f)),
        any::<i64>().prop_map(|i| json!(i)),
        Just(json!(1e308)),
        Just(json!(-1)),
        "[a-z./]{0,12}".prop_map(Value::String),
    ];
    let keys = prop::sample::select(vec![
        "organisation",
        "year",
        "campus",
        "business",
        "files",
        "commuting",
        "survey",
        "groups",
        "staff",
        "population",
        "weeks_per_year",
        "bootstrap",
        "iterations",
        "seed",
        "factors",
        "pack",
        "name",
        "interventions",
        "type",
        "share",
        "from",
        "to",
        "filter",
        "mode",
        "min_cell_size",
        "assume",
        "baseline",
        "co2e_t",
        "source",
    ]);
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone().prop_map(str::to_string), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
