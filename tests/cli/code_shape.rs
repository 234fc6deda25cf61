//! The shape of the code: no function outside tests and data tables over 150 lines.
//!
//! A small scanner (comments, strings and char literals blanked, braces matched) measures
//! every `fn` in `src/` from its `fn` line to its closing brace; `#[cfg(test)]` modules and
//! `tests.rs` files are skipped. `tools/long-functions.sh [LIMIT]` prints the list.

use std::path::{Path, PathBuf};

/// The limit of the engineering bar.
const MAX_LINES: usize = 150;

/// Functions allowed over the limit: data tables (one entry per line of data), and functions
/// whose split is scheduled in another lane (named with the reason).
const ALLOWED: &[(&str, &str, &str)] = &[(
    "src/input/columns.rs",
    "builtin_aliases",
    "data table: column-name aliases",
)];

/// A function and its length in lines.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FnLength {
    /// Lines from the `fn` line to the closing brace.
    pub lines: usize,
    /// File, relative to the crate root.
    pub file: String,
    /// Function name.
    pub name: String,
    /// Line of `fn`.
    pub line: usize,
}

/// `src` with comments, string and char literals replaced by spaces (newlines kept).
fn blank_literals(src: &str) -> Vec<u8> {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |p| i + p);
            blank(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let (mut depth, mut j) = (0usize, i);
            while j < b.len() {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if (rest.starts_with(b"r\"") || rest.starts_with(b"r#") || rest.starts_with(b"br"))
            && (i == 0 || !ident(b[i - 1]))
            && raw_string_end(b, i).is_some()
        {
            let end = raw_string_end(b, i).unwrap_or(b.len());
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut out, i, j + 1);
            i = j + 1;
        } else if b[i] == b'\'' {
            // A char literal ('a', '\n', '\u{2212}', '{'); a lifetime has no closing quote.
            let end = if rest.get(1) == Some(&b'\\') {
                rest.iter().skip(2).position(|&c| c == b'\'').map(|p| p + 3)
            } else {
                let ch = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                (rest.get(1 + ch) == Some(&b'\'')).then_some(ch + 2)
            };
            match end {
                Some(n) if n <= 12 => {
                    blank(&mut out, i, i + n);
                    i += n;
                }
                _ => i += 1,
            }
        } else {
            i += 1;
        }
    }
    out
}

/// End (exclusive) of a raw string literal starting at `i` (`r"..."`, `r#"..."#`, `br"..."`).
fn raw_string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + if b[i] == b'b' { 2 } else { 1 };
    let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
    j += hashes;
    if b.get(j) != Some(&b'"') {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let body = j + 1;
    b[body..]
        .windows(close.len())
        .position(|w| w == close.as_slice())
        .map(|p| body + p + close.len())
}

/// Index of the brace that closes the one at `open`.
fn closing(s: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, &c) in s.iter().enumerate().skip(open) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    s.len().saturating_sub(1)
}

/// Every function of one file with its length (test modules skipped).
pub fn functions(file: &str, src: &str) -> Vec<FnLength> {
    let s = blank_literals(src);
    let text = String::from_utf8_lossy(&s).into_owned();
    let line_of = |pos: usize| s[..pos].iter().filter(|&&c| c == b'\n').count() + 1;
    let mut skipped: Vec<(usize, usize)> = Vec::new();
    for (pos, _) in text.match_indices("#[cfg(test)]") {
        let after = &text[pos..];
        let Some(m) = after.find("mod ") else {
            continue;
        };
        let Some(brace) = after[m..].find(['{', ';']) else {
            continue;
        };
        let at = pos + m + brace;
        if s[at] == b'{' && after[..m].trim_start_matches("#[cfg(test)]").trim().len() < 12 {
            skipped.push((pos, closing(&s, at)));
        }
    }
    let mut out = Vec::new();
    for (pos, _) in text.match_indices("fn ") {
        if (pos > 0 && (s[pos - 1].is_ascii_alphanumeric() || s[pos - 1] == b'_'))
            || skipped.iter().any(|&(a, b)| (a..=b).contains(&pos))
        {
            continue;
        }
        let name: String = text[pos + 3..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body starts at the first `{` outside parentheses/brackets; `;` first: no body.
        let mut depth = 0i32;
        let mut body = None;
        for (k, &c) in s.iter().enumerate().skip(pos + 3) {
            match c {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b';' if depth <= 0 => break,
                b'{' if depth <= 0 => {
                    body = Some(k);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = body else { continue };
        let (first, last) = (line_of(pos), line_of(closing(&s, open)));
        out.push(FnLength {
            lines: last - first + 1,
            file: file.to_string(),
            name,
            line: first,
        });
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs")
            && p.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(p);
        }
    }
}

/// Every function of `src/` longer than `limit` lines, longest first.
pub fn long_functions(limit: usize) -> Vec<FnLength> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut all: Vec<FnLength> = files
        .iter()
        .flat_map(|p| {
            let rel = p.strip_prefix(root).unwrap_or(p).display().to_string();
            let src = std::fs::read_to_string(p).expect("source is UTF-8");
            functions(&rel, &src)
        })
        .filter(|f| f.lines > limit)
        .collect();
    all.sort_by(|a, b| b.cmp(a));
    all
}

#[test]
fn the_scanner_measures_bodies_and_skips_literals_and_tests() {
    let src = r##"
fn short() -> char {
    let s = "}}} fn fake() {";
    let r = r#"{ "#;
    // fn commented() {
    '{'
}

fn longer<'a>(x: &'a str) -> &'a str
where
    'a: 'a,
{
    let _b = b'}';
    x
}

#[cfg(test)]
mod tests {
    fn in_a_test() {}
}
"##;
    let f = functions("x.rs", src);
    let got: Vec<(&str, usize, usize)> = f
        .iter()
        .map(|f| (f.name.as_str(), f.line, f.lines))
        .collect();
    assert_eq!(got, vec![("short", 2, 6), ("longer", 9, 7)]);
}

#[test]
fn no_function_outside_tests_and_data_tables_is_over_150_lines() {
    let long = long_functions(MAX_LINES);
    let offenders: Vec<String> = long
        .iter()
        .filter(|f| {
            !ALLOWED
                .iter()
                .any(|(file, name, _)| *file == f.file && *name == f.name)
        })
        .map(|f| format!("{} lines: {}:{} fn {}", f.lines, f.file, f.line, f.name))
        .collect();
    if let Ok(limit) = std::env::var("LONG_FUNCTIONS_LIMIT") {
        let limit: usize = limit.parse().expect("LONG_FUNCTIONS_LIMIT is a number");
        for f in long_functions(limit) {
            println!("{:>4} {}:{} {}", f.lines, f.file, f.line, f.name);
        }
    }
    assert!(
        offenders.is_empty(),
        "functions over {MAX_LINES} lines (split them into steps):\n{}",
        offenders.join("\n")
    );
    // An allowed function that got short again should leave the list (said, not failed:
    // another lane's split must not break this test on merge).
    let stale: Vec<&str> = ALLOWED
        .iter()
        .filter(|(file, name, _)| !long.iter().any(|f| f.file == *file && f.name == *name))
        .map(|(_, name, _)| *name)
        .collect();
    if !stale.is_empty() {
        eprintln!("no longer over {MAX_LINES} lines, remove from ALLOWED: {stale:?}");
    }
}
