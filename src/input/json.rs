//! JSON input: an array of objects, or JSON lines (one object per line). Read whole.

use super::sheet::float_text;
use super::{Header, InputError, InputErrorKind, Record};
use serde_json::{Map, Value};

/// Text of a JSON value: strings as they are, numbers in their shortest form (whole numbers
/// without `.0`), booleans `true`/`false`, `null` empty, arrays joined with `;` (a `via`
/// list), objects as JSON text.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => n.as_f64().map_or_else(|| n.to_string(), float_text),
        },
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(";"),
        Value::Object(_) => v.to_string(),
    }
}

/// Parses JSON text: the header is every key in order of first appearance; records are
/// numbered by array index + 1 (array) or by line (JSON lines).
pub(crate) fn read_json(name: &str, text: &str) -> Result<(Header, Vec<Record>), InputError> {
    let syntax = |m: String| InputError::new(InputErrorKind::Syntax, name, m);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    // Lines stripped before the array starts, so serde's line numbers are the file's.
    let skipped = text[..text.len() - trimmed.len()].matches('\n').count() as u64;
    let mut objects: Vec<(u64, Map<String, Value>)> = Vec::new();
    if trimmed.starts_with('[') {
        let v: Value = serde_json::from_str(trimmed).map_err(|e| {
            let line = e.line() as u64 + skipped;
            syntax(format!("column {}: {}", e.column(), serde_message(&e))).at_line(line)
        })?;
        let Value::Array(items) = v else {
            unreachable!("starts with [")
        };
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Value::Object(o) => objects.push((i as u64 + 1, o)),
                other => {
                    return Err(syntax(format!(
                        "item {} is {}, expected an object with one key per column",
                        i + 1,
                        kind(&other)
                    ))
                    .at_line(i as u64 + 1));
                }
            }
        }
    } else {
        for (i, line) in text.lines().enumerate() {
            let l = line.trim().trim_start_matches('\u{feff}');
            if l.is_empty() {
                continue;
            }
            match serde_json::from_str::<Value>(l) {
                Ok(Value::Object(o)) => objects.push((i as u64 + 1, o)),
                Ok(other) => {
                    return Err(syntax(format!(
                        "{} on this line, expected an object",
                        kind(&other)
                    ))
                    .at_line(i as u64 + 1));
                }
                Err(e) => {
                    return Err(
                        syntax(format!("column {}: {}", e.column(), serde_message(&e)))
                            .at_line(i as u64 + 1),
                    );
                }
            }
        }
    }
    let mut names: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (_, o) in &objects {
        for k in o.keys() {
            if seen.insert(k.as_str()) {
                if names.len() >= super::MAX_COLUMNS {
                    return Err(syntax(format!(
                        "more than {} distinct keys: not a table of journeys or respondents",
                        super::MAX_COLUMNS
                    )));
                }
                names.push(k.clone());
            }
        }
    }
    let header = Header::new(&names);
    let records = objects
        .iter()
        .map(|(line, o)| {
            let texts: Vec<String> = names
                .iter()
                .map(|k| o.get(k).map(value_text).unwrap_or_default())
                .collect();
            Record::from_fields(*line, texts.iter().map(String::as_str))
        })
        .collect();
    Ok((header, records))
}

/// serde's message without its own "at line 1 column 5" (which counts from the start of
/// the one line parsed, not of the file): the caller names the file's line.
fn serde_message(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_and_lines() {
        let (h, r) = read_json("t.json", r#"[{"from": "Enschede", "to": "Paris", "travellers": 2.0}, {"from": "A", "via": ["B", "C"], "x": null}]"#).unwrap();
        assert_eq!(h.names, ["from", "to", "travellers", "via", "x"]);
        assert_eq!(r[0].get(2), "2");
        assert_eq!(r[1].line(), 2);
        assert_eq!(r[1].get(3), "B;C");
        let (h, r) = read_json("t.jsonl", "{\"a\": 1}\n\n{\"a\": 2.5, \"b\": true}\n").unwrap();
        assert_eq!(h.names, ["a", "b"]);
        assert_eq!((r[1].line(), r[1].get(0), r[1].get(1)), (3, "2.5", "true"));
        let e = read_json("t.jsonl", "{\"a\": 1}\n{oops\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(!e.to_string().contains("line 1"), "{e}");
        let e = read_json("t.json", "\n\n[{\"a\": 1},\n{\"a\": oops}]").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }
}
