//! The shared input layer: CSV/TSV, Excel and JSON exports → numbered [`Record`]s.
//!
//! Every consumer (business travel, the commuting survey, the yearly inventory) reads its
//! files through this module, so they all accept the same formats and report problems the
//! same way ([`InputError`]: file, line, column, raw value, message, suggestion).
//!
//! - **CSV/TSV** (`.csv`, `.tsv`, `.txt`, or sniffed): the delimiter (`,` `;` tab `|`) is
//!   sniffed from the header line; UTF-8 with or without BOM (rows that are not UTF-8 are read
//!   as Windows-1252, as older Excel versions write them); quoted fields, CRLF. The file is
//!   **streamed** in blocks of whole records ([`InputOptions::block_bytes`], 2 MiB by default)
//!   that can be parsed in parallel ([`for_each_batch_ordered`]); memory is bounded by the
//!   blocks in flight, not by the file.
//! - **Excel** (`.xlsx`, `.xlsm`, `.xls`, `.ods`): the first sheet or a named one; numbers,
//!   dates and booleans become text a user would recognise ([`sheet::cell_text`]).
//! - **JSON**: an array of objects, or JSON lines. Workbooks and JSON are read whole.
//! - `-` reads standard input; its format is sniffed from the first bytes.
//!
//! Line numbers are physical: in CSV the header is line 1 and a record keeps the line it
//! starts on; in a workbook the sheet row; in JSON the array index + 1 or the JSONL line.
//!
//! ```
//! use mobility_footprint::input::{InputOptions, InputReader, Mapping, Schema};
//!
//! let csv = "\u{feff}Van;Naar;Vervoermiddel;Afdeling\r\nEnschede;Parijs;trein;BMS\r\n";
//! let reader = InputReader::from_reader("trips.csv", std::io::Cursor::new(csv), &InputOptions::default()).unwrap();
//! let schema = Schema::new(&[("origin", true), ("destination", true), ("mode", true)]);
//! let mapping = Mapping::new(reader.name(), reader.header(), &schema, None).unwrap();
//! let records: Vec<_> = reader.records().collect::<Result<_, _>>().unwrap();
//! assert_eq!(records[0].line(), 2);
//! assert_eq!(mapping.get(&records[0], 1), "Parijs");
//! assert_eq!(mapping.dims()[0].name, "Afdeling");
//! ```

mod columns;
mod delimited;
mod error;
mod json;
mod parse;
pub mod sheet;

#[cfg(test)]
mod fuzz;

/// Yes/no in English, Dutch, French and German (re-exported from [`crate::mode`]).
pub use crate::mode::parse_bool;
pub use columns::{
    ColumnMap, Dimension, FieldSpec, Header, KNOWN_FIELDS, Mapping, PRESETS, Schema,
    builtin_aliases, normalise_header,
};
pub use delimited::sniff_delimiter;
pub use error::{
    InputError, InputErrorKind, MAX_ECHO_CHARS, MAX_STORED_CHARS, excerpt, shorten_quoted,
};
pub use json::value_text;
pub use parse::{
    Bound, Date, NumberStyle, field_bound, parse_date, parse_number, parse_number_styled,
};

use delimited::{BlockSplitter, BufferPool, POOL_MAX, QuoteScanner};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Default size of a CSV block: big enough to amortise the per-block work, small enough
/// that a few blocks in flight stay far below the memory budget.
pub const DEFAULT_BLOCK_BYTES: usize = 1024 * 1024;

/// Records per batch for workbooks and JSON (read whole, then handed out in batches).
pub const ROWS_PER_BATCH: usize = 8192;

/// Largest value read, in bytes (UTF-8). A longer value rejects its row with the reason: no
/// place name, mode, department or note is this long, and every later step (suggestions,
/// messages, reports) then works on bounded text.
pub const MAX_FIELD_BYTES: usize = 4096;

/// Longest value, in bytes, that gets a "did you mean" suggestion (places, modes, columns).
/// No place, mode or column name a user means is longer; a longer value is still read and
/// rejected with its reason, only without a suggestion, so that the suggestion search (whose
/// cost grows with the value's length) stays bounded on hostile input.
pub const MAX_SUGGEST_BYTES: usize = 64;

/// Most columns a header may have (CSV, workbook or JSON keys).
pub const MAX_COLUMNS: usize = 1024;

/// `s` without leading and trailing whitespace; values that need no trimming (nearly all)
/// are recognised from their first and last byte without walking the string.
#[inline(always)]
pub fn trim_value(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// One row of an input file: its physical line number and its raw values (in header order).
///
/// The values live in one text buffer with their byte ranges beside it, so filling a record
/// again for the next row allocates nothing and costs one copy of the row's bytes.
#[derive(Debug, Default)]
pub struct Record {
    line: u64,
    text: String,
    /// Byte range of each value in `text`.
    bounds: Vec<(u32, u32)>,
}

impl Record {
    /// A record from values.
    pub fn from_fields<'a>(line: u64, fields: impl IntoIterator<Item = &'a str>) -> Record {
        let mut r = Record {
            line,
            ..Record::default()
        };
        for f in fields {
            r.push(f);
        }
        r
    }

    /// Appends a value.
    fn push(&mut self, value: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(value);
        self.bounds.push((start, self.text.len() as u32));
    }

    /// Fills the record with the values of one line of plain delimited text (no quotes),
    /// split at every `delimiter` byte.
    #[cfg(test)]
    fn fill_plain(&mut self, line: u64, text: &str, delimiter: u8) {
        self.line = line;
        self.text.clear();
        self.text.push_str(text);
        self.bounds.clear();
        split_plain(text.as_bytes(), delimiter, 0, &mut self.bounds);
    }

    /// The physical line (see the module docs).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The raw value of column `i`; empty when the row is shorter than the header.
    #[inline(always)]
    pub fn get(&self, i: usize) -> &str {
        // Bounds always lie on value edges inside `text` (set by `push` and `fill_plain`).
        match self.bounds.get(i) {
            Some(&(a, b)) => &self.text[a as usize..b as usize],
            None => "",
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// True when the row has no values.
    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// The values.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.bounds.len()).map(|i| self.get(i))
    }

    /// True when every value is blank (such rows are skipped: spreadsheets leave them behind).
    pub fn is_blank(&self) -> bool {
        // Nearly every row starts with a value that needs no trimming.
        if self
            .get(0)
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_graphic)
        {
            return false;
        }
        self.iter().all(|f| trim_value(f).is_empty())
    }
}

/// A copy holds only the record's own values (a record read from a block shares the
/// block's text while it is visited).
impl Clone for Record {
    fn clone(&self) -> Record {
        Record::from_fields(self.line, self.iter())
    }
}

/// Two records are equal when their lines and values are (however the values are stored).
impl PartialEq for Record {
    fn eq(&self, other: &Record) -> bool {
        self.line == other.line && self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Record {}

/// Pushes to `out` the byte ranges of the values of one line split at every `delimiter`,
/// counted from `offset` (where the line starts in the record's text).
///
/// Looks at eight bytes at a time: `x = word ^ [delimiter; 8]` has a zero byte exactly where
/// the word holds the delimiter, and `!(((x & 0x7f..) + 0x7f..) | x | 0x7f..)` sets the top
/// bit of exactly those bytes (no carry crosses a byte), so a line costs a few instructions
/// per word and per value instead of a compare per byte.
fn split_plain(line: &[u8], delimiter: u8, offset: u32, out: &mut Vec<(u32, u32)>) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pattern = u64::from_ne_bytes([delimiter; 8]);
    let mut start = offset;
    let mut base = offset;
    let mut chunks = line.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let x = word ^ pattern;
        let mut hits = !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
        while hits != 0 {
            let at = base + hits.trailing_zeros() / 8;
            out.push((start, at));
            start = at + 1;
            hits &= hits - 1;
        }
        base += 8;
    }
    for (k, &c) in chunks.remainder().iter().enumerate() {
        if c == delimiter {
            let at = base + k as u32;
            out.push((start, at));
            start = at + 1;
        }
    }
    out.push((start, offset + line.len() as u32));
}

/// The kind of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// CSV/TSV, delimiter sniffed.
    Delimited,
    /// Excel or OpenDocument workbook.
    Workbook,
    /// JSON array of objects or JSON lines.
    Json,
}

impl InputFormat {
    /// The format a file name's extension says, if it says one.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "tab" | "txt" => Some(InputFormat::Delimited),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(InputFormat::Workbook),
            "json" | "jsonl" | "ndjson" => Some(InputFormat::Json),
            _ => None,
        }
    }

    /// The format the first bytes suggest: a zip or OLE header is a workbook, `[` or `{`
    /// JSON, anything else delimited text.
    pub fn sniff(head: &[u8]) -> InputFormat {
        if head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return InputFormat::Workbook;
        }
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') | Some(b'{') => InputFormat::Json,
            _ => InputFormat::Delimited,
        }
    }

    /// Lowercase name for output.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Delimited => "csv",
            InputFormat::Workbook => "xlsx",
            InputFormat::Json => "json",
        }
    }
}

/// How to read an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputOptions {
    /// Force a format instead of the extension / sniffing.
    pub format: Option<InputFormat>,
    /// Workbook sheet (default: the first).
    pub sheet: Option<String>,
    /// Force a delimiter instead of sniffing.
    pub delimiter: Option<u8>,
    /// CSV block size in bytes.
    pub block_bytes: usize,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            format: None,
            sheet: None,
            delimiter: None,
            block_bytes: DEFAULT_BLOCK_BYTES,
        }
    }
}

enum Source {
    Blocks {
        splitter: BlockSplitter<Box<dyn Read + Send>>,
        delimiter: u8,
    },
    Rows {
        rows: std::vec::IntoIter<Record>,
        total: usize,
        done: usize,
    },
}

/// An open input: its header is read; the records follow as [`Batch`]es.
pub struct InputReader {
    name: Arc<str>,
    header: Header,
    format: InputFormat,
    delimiter: Option<u8>,
    total_bytes: Option<u64>,
    source: Source,
}

impl std::fmt::Debug for InputReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InputReader")
            .field("name", &self.name)
            .field("format", &self.format)
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

/// A reader that turns every lone carriage return (a `\r` not followed by `\n`: classic Mac
/// line endings, or a stray CR) into `\n`, so that the CSV parser (which ends a record at a
/// lone CR) and the line counter (which counts `\n`) agree: a file with CR line endings is
/// read row by row with the right line numbers instead of as one line. `\r\n` is unchanged.
///
/// It reads straight into the caller's buffer (no second buffer, no copy) and finds the CRs
/// with `memchr`; a CR that ends a read is decided by reading one byte ahead, which the next
/// read hands out first.
struct LoneCr<R: Read> {
    inner: R,
    /// The byte read ahead after a CR that ended the previous read.
    ahead: Option<u8>,
}

impl<R: Read> Read for LoneCr<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let mut n = 0;
        if let Some(b) = self.ahead.take() {
            out[0] = b;
            n = 1;
        }
        if n < out.len() {
            match self.inner.read(&mut out[n..]) {
                Ok(k) => n += k,
                Err(e) => {
                    if n == 1 {
                        self.ahead = Some(out[0]);
                    }
                    return Err(e);
                }
            }
        }
        if n == 0 {
            return Ok(0);
        }
        // CRs before the last byte: the byte after each one is in `out` (checked before any
        // change, left to right, so `\r\r` turns into two line ends).
        let mut from = 0;
        while let Some(p) = memchr::memchr(b'\r', &out[from..n - 1]) {
            let i = from + p;
            if out[i + 1] != b'\n' {
                out[i] = b'\n';
            }
            from = i + 1;
        }
        // A CR as the last byte: the next byte of the input decides.
        if out[n - 1] == b'\r' {
            let mut one = [0u8; 1];
            let got = loop {
                match self.inner.read(&mut one) {
                    Ok(k) => break k,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        // Nothing is lost: the CR waits for the next call.
                        if n == 1 {
                            self.ahead = Some(b'\r');
                            return Err(e);
                        }
                        self.ahead = Some(b'\r');
                        return Ok(n - 1);
                    }
                }
            };
            if got == 1 {
                self.ahead = Some(one[0]);
            }
            if got == 0 || one[0] != b'\n' {
                out[n - 1] = b'\n';
            }
        }
        Ok(n)
    }
}

/// `head` (the bytes read so far) and the rest of `reader`, lone CRs as newlines from here
/// on ([`LoneCr`]); `head` is read again through it.
fn lone_cr_as_newline(
    head: &mut Vec<u8>,
    reader: Box<dyn Read + Send>,
) -> std::io::Result<Box<dyn Read + Send>> {
    let mut cr = LoneCr {
        inner: std::io::Cursor::new(std::mem::take(head)).chain(reader),
        ahead: None,
    };
    read_up_to(&mut cr, head, 64 * 1024)?;
    Ok(Box::new(cr))
}

fn read_up_to(r: &mut dyn Read, buf: &mut Vec<u8>, n: usize) -> std::io::Result<()> {
    let mut limited = r.take(n as u64);
    limited.read_to_end(buf)?;
    Ok(())
}

/// Text of a field that is not UTF-8: decoded as Windows-1252.
fn decode_legacy(bytes: &[u8]) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// Fills `rec` with the values of a CSV record (a value that is not UTF-8 is decoded as
/// Windows-1252).
fn fill_record(rec: &mut Record, line: u64, br: &csv::ByteRecord) {
    rec.line = line;
    rec.text.clear();
    rec.bounds.clear();
    for f in br.iter() {
        match std::str::from_utf8(f) {
            Ok(s) => rec.push(s),
            Err(_) => rec.push(&decode_legacy(f)),
        }
    }
}

fn to_record(line: u64, br: &csv::ByteRecord) -> Record {
    let mut rec = Record::default();
    fill_record(&mut rec, line, br);
    rec
}

/// True when the first bytes look like UTF-16 without a byte order mark: text where every
/// other byte is NUL.
fn looks_utf16(head: &[u8]) -> bool {
    let h = &head[..head.len().min(512)];
    if h.len() < 4 {
        return false;
    }
    let nul_at = |parity: usize| {
        h.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = h.len() / 2;
    nul_at(0) * 10 >= half * 8 || nul_at(1) * 10 >= half * 8
}

/// Longest header line read, in bytes: [`MAX_COLUMNS`] names of [`MAX_FIELD_BYTES`] each,
/// quoted and separated. A longer first line is refused before it is split into fields.
pub const MAX_HEADER_BYTES: usize = MAX_COLUMNS * (MAX_FIELD_BYTES + 3);

/// Refuses a delimited header line that is longer than [`MAX_HEADER_BYTES`] or has more than
/// [`MAX_COLUMNS`] fields, from its bytes, before it is split into fields (a line of 50 MB of
/// commas would otherwise become 50 million column names).
fn check_header_bytes(name: &str, line: &[u8], delimiter: u8) -> Result<(), InputError> {
    let err = |m: String| Err(InputError::new(InputErrorKind::Columns, name, m).at_line(1));
    if line.len() > MAX_HEADER_BYTES {
        return err(format!(
            "the header line is longer than {MAX_HEADER_BYTES} bytes ({MAX_COLUMNS} columns of at most {MAX_FIELD_BYTES} bytes): is this a table with one header line?"
        ));
    }
    let mut quoted = false;
    let mut fields = 1usize;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            fields += 1;
        }
    }
    if fields > MAX_COLUMNS {
        return err(format!(
            "the header has {fields} columns; at most {MAX_COLUMNS} are read"
        ));
    }
    Ok(())
}

/// Refuses a header with more than [`MAX_COLUMNS`] columns or a name longer than
/// [`MAX_FIELD_BYTES`] (a file that is not a table, or a line with no newline).
fn check_header(name: &str, header: &Header) -> Result<(), InputError> {
    let err = |m: String| Err(InputError::new(InputErrorKind::Columns, name, m).at_line(1));
    if header.len() > MAX_COLUMNS {
        return err(format!(
            "the header has {} columns; at most {MAX_COLUMNS} are read",
            header.len()
        ));
    }
    if let Some((i, n)) = header
        .names
        .iter()
        .enumerate()
        .find(|(_, n)| n.len() > MAX_FIELD_BYTES)
    {
        return err(format!(
            "column {} of the header is {} bytes long (`{}`); a column name is at most {MAX_FIELD_BYTES} bytes: is this a table with one header line?",
            i + 1,
            n.len(),
            error::excerpt(n, 20)
        ));
    }
    Ok(())
}

impl InputReader {
    /// Opens a file by path; `-` is standard input. The format comes from the extension,
    /// else from the first bytes.
    ///
    /// This is the one convenience in the library that touches the file system; the
    /// command line uses it so every command opens files the same way.
    pub fn open(path: &Path, options: &InputOptions) -> Result<InputReader, InputError> {
        let name = path.display().to_string();
        if path.as_os_str() == "-" {
            return InputReader::from_reader("-", std::io::stdin(), options);
        }
        let file = std::fs::File::open(path).map_err(|e| InputError::io(&name, &e))?;
        let len = file.metadata().ok().map(|m| m.len());
        let mut opts = options.clone();
        if opts.format.is_none() {
            opts.format = InputFormat::from_path(path);
        }
        let mut r = InputReader::from_reader(&name, file, &opts)?;
        r.total_bytes = len;
        Ok(r)
    }

    /// Reads the header from `reader`, called `name` in messages.
    pub fn from_reader(
        name: &str,
        reader: impl Read + Send + 'static,
        options: &InputOptions,
    ) -> Result<InputReader, InputError> {
        let mut reader: Box<dyn Read + Send> = Box::new(reader);
        let io = |e: std::io::Error| InputError::io(name, &e);
        let mut head = Vec::new();
        read_up_to(&mut reader, &mut head, 64 * 1024).map_err(io)?;
        let sniffed = InputFormat::sniff(&head);
        // A workbook's bytes are a workbook whatever its name says (an `.xlsx` saved as
        // `.csv` would otherwise be read as zip bytes).
        let format = match options.format {
            Some(_) if sniffed == InputFormat::Workbook => sniffed,
            Some(f) => f,
            None => sniffed,
        };
        let syntax = |m: &str| InputError::new(InputErrorKind::Syntax, name, m);
        if let Some(sheet) = &options.sheet
            && format != InputFormat::Workbook
        {
            return Err(InputError::new(
                InputErrorKind::Columns,
                name,
                format!(
                    "--sheet `{}` applies to workbooks, but this is a {} file",
                    error::excerpt(sheet, error::MAX_ECHO_CHARS),
                    format.as_str().to_uppercase()
                ),
            ));
        }
        if format != InputFormat::Workbook && looks_utf16(&head) {
            return Err(syntax(
                "the file is UTF-16 without a byte order mark (every other byte is NUL); save it as \"CSV UTF-8\" instead",
            ));
        }
        match format {
            InputFormat::Workbook | InputFormat::Json => {
                InputReader::read_whole(name, reader, head, format, options)
            }
            InputFormat::Delimited => InputReader::delimited(name, reader, head, options),
        }
    }

    /// A workbook or a JSON file, read whole (`head` holds its first bytes).
    fn read_whole(
        name: &str,
        mut reader: Box<dyn Read + Send>,
        mut head: Vec<u8>,
        format: InputFormat,
        options: &InputOptions,
    ) -> Result<InputReader, InputError> {
        let io = |e: std::io::Error| InputError::io(name, &e);
        let syntax = |m: &str| InputError::new(InputErrorKind::Syntax, name, m);
        reader.read_to_end(&mut head).map_err(io)?;
        let total = head.len() as u64;
        let (header, rows) = if format == InputFormat::Workbook {
            sheet::read_workbook(name, head, options.sheet.as_deref())?
        } else {
            let text = String::from_utf8(head).map_err(|_| syntax("JSON input is not UTF-8"))?;
            json::read_json(name, &text)?
        };
        check_header(name, &header)?;
        let total_rows = rows.len();
        Ok(InputReader {
            name: name.into(),
            header,
            format,
            delimiter: None,
            total_bytes: Some(total),
            source: Source::Rows {
                rows: rows.into_iter(),
                total: total_rows,
                done: 0,
            },
        })
    }

    /// A CSV/TSV file: its header read (on past the first 64 KB if a quoted name holds
    /// newlines), the rest left to the block splitter.
    fn delimited(
        name: &str,
        reader: Box<dyn Read + Send>,
        mut head: Vec<u8>,
        options: &InputOptions,
    ) -> Result<InputReader, InputError> {
        let io = |e: std::io::Error| InputError::io(name, &e);
        let syntax = |m: &str| InputError::new(InputErrorKind::Syntax, name, m);
        let format = InputFormat::Delimited;
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            return Err(syntax(
                "the file is UTF-16 (Excel \"Unicode text\"); save it as \"CSV UTF-8\" instead",
            ));
        }
        let mut reader = lone_cr_as_newline(&mut head, reader).map_err(io)?;
        let bom = if head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        // The header ends at the first newline outside quotes; read on until it does.
        loop {
            let first_nl = head[bom..]
                .iter()
                .position(|&b| b == b'\n')
                .map(|p| p + bom);
            let delimiter = options
                .delimiter
                .unwrap_or_else(|| sniff_delimiter(&head[bom..first_nl.unwrap_or(head.len())]));
            let mut end = None;
            let mut newlines = 0;
            let mut sc = QuoteScanner::new(delimiter);
            let at_eof = head.len() < 64 * 1024 || head.len() > MAX_HEADER_BYTES + bom;
            sc.scan(&head[bom..], 0, at_eof, |s| {
                end = Some(s.end + bom);
                newlines = s.newlines;
                false
            });
            let more = end.is_none() && !at_eof;
            if more {
                let before = head.len();
                read_up_to(&mut reader, &mut head, 1024 * 1024).map_err(io)?;
                if head.len() > before {
                    continue;
                }
            }
            let end = end.unwrap_or(head.len());
            let header_bytes = &head[bom..end];
            check_header_bytes(name, header_bytes, delimiter)?;
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(header_bytes);
            let mut br = csv::ByteRecord::new();
            let got = rdr
                .read_byte_record(&mut br)
                .map_err(|e| syntax(&e.to_string()))?;
            if !got {
                return Err(syntax(
                    "the file is empty: expected a header line with column names",
                ));
            }
            if end == head.len() && sc.in_quotes() {
                let last = 1 + delimited::count_lines(&head[bom..]);
                return Err(syntax(&delimited::unterminated_quote(1, last)).at_line(1));
            }
            let mut header = Header::new(to_record(1, &br).iter());
            check_header(name, &header)?;
            header.number_style = NumberStyle::of_delimiter(delimiter);
            let rest = head[end..].to_vec();
            let splitter = BlockSplitter::new(
                reader,
                rest,
                delimiter,
                options.block_bytes,
                1 + newlines.max(1),
                end as u64,
            );
            return Ok(InputReader {
                name: name.into(),
                header,
                format,
                delimiter: Some(delimiter),
                total_bytes: None,
                source: Source::Blocks {
                    splitter,
                    delimiter,
                },
            });
        }
    }

    /// The name used in messages (the path as given, `-` for stdin).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The header row.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The format being read.
    pub fn format(&self) -> InputFormat {
        self.format
    }

    /// The delimiter of a CSV/TSV file.
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// Size of the input in bytes when known (files, workbooks, JSON), for progress.
    pub fn total_bytes(&self) -> Option<u64> {
        self.total_bytes
    }

    /// The records in batches, in file order.
    pub fn batches(self) -> Batches {
        Batches {
            names: self.header.names.clone().into(),
            reader: self,
            index: 0,
            done: false,
        }
    }

    /// Every record in order, sequentially (for small inputs and tests).
    pub fn records(self) -> impl Iterator<Item = Result<Record, InputError>> {
        self.batches().flat_map(|b| match b {
            Ok(mut b) => {
                let mut out = Vec::new();
                b.for_each(|r| out.push(r.cloned()));
                out
            }
            Err(e) => vec![Err(e)],
        })
    }
}

/// Iterator over the [`Batch`]es of an input. Reading happens in `next()`, on the caller's
/// thread; parsing a batch ([`Batch::for_each`]) can happen anywhere.
pub struct Batches {
    reader: InputReader,
    names: Arc<[String]>,
    index: usize,
    done: bool,
}

impl Batches {
    /// The file name.
    pub fn name(&self) -> &str {
        &self.reader.name
    }
}

impl Iterator for Batches {
    type Item = Result<Batch, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let header_len = self.reader.header.len();
        let total_bytes = self.reader.total_bytes;
        let data = match &mut self.reader.source {
            Source::Blocks {
                splitter,
                delimiter,
            } => match splitter.next_block() {
                Ok(Some((bytes, first_line))) => {
                    let end = splitter.consumed;
                    (
                        BatchData::Delimited {
                            bytes,
                            delimiter: *delimiter,
                            first_line,
                            pool: splitter.pool.clone(),
                        },
                        end,
                    )
                }
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(m) => {
                    self.done = true;
                    return Some(Err(InputError::new(
                        InputErrorKind::Syntax,
                        &*self.reader.name,
                        m,
                    )));
                }
            },
            Source::Rows { rows, total, done } => {
                let chunk: Vec<Record> = rows.by_ref().take(ROWS_PER_BATCH).collect();
                if chunk.is_empty() {
                    self.done = true;
                    return None;
                }
                *done += chunk.len();
                let end = total_bytes.unwrap_or(0) * *done as u64 / (*total).max(1) as u64;
                (BatchData::Records(chunk), end)
            }
        };
        let b = Batch {
            file: self.reader.name.clone(),
            index: self.index,
            header_len,
            names: self.names.clone(),
            bytes_end: data.1,
            data: data.0,
        };
        self.index += 1;
        Some(Ok(b))
    }
}

enum BatchData {
    Delimited {
        bytes: Vec<u8>,
        delimiter: u8,
        first_line: u64,
        pool: BufferPool,
    },
    Records(Vec<Record>),
}

/// A run of consecutive records of one input: raw CSV bytes still to be parsed, or records
/// already read (workbooks, JSON). Batches are `Send`: parse them in any thread.
pub struct Batch {
    file: Arc<str>,
    index: usize,
    header_len: usize,
    /// The header's column names (a repeated header row is recognised by them).
    names: Arc<[String]>,
    bytes_end: u64,
    data: BatchData,
}

impl Batch {
    /// Position of the batch in its input (0, 1, 2 ...).
    pub fn index(&self) -> usize {
        self.index
    }

    /// The input's name.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Bytes of the input read up to the end of this batch (for progress).
    pub fn bytes_end(&self) -> u64 {
        self.bytes_end
    }

    /// Size of the batch's raw data in bytes (0 for pre-read records).
    pub fn len_bytes(&self) -> usize {
        match &self.data {
            BatchData::Delimited { bytes, .. } => bytes.len(),
            BatchData::Records(_) => 0,
        }
    }

    /// Calls `f` with every non-blank record, in order, reusing one buffer (no allocation per
    /// field). A row with more (non-empty) values than the header is an error for that row.
    pub fn for_each(&mut self, mut f: impl FnMut(Result<&Record, InputError>)) {
        let check = ShapeCheck {
            file: &self.file,
            header_len: self.header_len,
            names: &self.names,
        };
        match &mut self.data {
            BatchData::Records(rows) => {
                for r in rows.iter().filter(|r| !r.is_blank()) {
                    match check.shape(r, r.text.len() > MAX_FIELD_BYTES) {
                        Some(e) => f(Err(e)),
                        None => f(Ok(r)),
                    }
                }
            }
            BatchData::Delimited {
                bytes,
                delimiter,
                first_line,
                ..
            } => {
                if plain_bytes(bytes, *delimiter)
                    && for_each_plain(bytes, *delimiter, *first_line, &check, &mut f)
                {
                    return;
                }
                for_each_quoted(bytes, *delimiter, *first_line, &check, &mut f);
            }
        }
    }
}

/// What every record of a batch is checked against: the header's width and names.
struct ShapeCheck<'a> {
    file: &'a str,
    header_len: usize,
    names: &'a [String],
}

impl ShapeCheck<'_> {
    /// Why a record is not a row of data (more values than columns, a value over
    /// [`MAX_FIELD_BYTES`] when `long`, a repeated header row), or `None`.
    fn shape(&self, r: &Record, long: bool) -> Option<InputError> {
        if r.len() > self.header_len && r.iter().skip(self.header_len).any(|v| !v.trim().is_empty())
        {
            return Some(
                InputError::new(
                    InputErrorKind::Shape,
                    self.file,
                    format!(
                        "the row has {} values but the header has {} columns",
                        r.len(),
                        self.header_len
                    ),
                )
                .at_line(r.line)
                .with_suggestion("a value with an unquoted delimiter or quote?"),
            );
        }
        if long && let Some(i) = r.iter().position(|v| v.len() > MAX_FIELD_BYTES) {
            let mut e = InputError::new(
                InputErrorKind::Shape,
                self.file,
                format!(
                    "a value of {} bytes; values are at most {MAX_FIELD_BYTES} bytes",
                    r.get(i).len()
                ),
            )
            .at_line(r.line);
            e.column = self.names.get(i).map(|n| n.as_str().into());
            return Some(e);
        }
        // A repeated header row (files pasted together): the first value is the first
        // column's name (one length compare for nearly every row), then all of them.
        if r.get(0).len() == self.names.first().map_or(usize::MAX, String::len)
            && r.len() >= self.names.len()
            && self
                .names
                .iter()
                .zip(r.iter())
                .all(|(n, v)| trim_value(v).eq_ignore_ascii_case(n))
        {
            return Some(
                InputError::new(
                    InputErrorKind::Shape,
                    self.file,
                    "a repeated header row (the column names again), not a row of data",
                )
                .at_line(r.line)
                .with_suggestion("remove it (files pasted together?)"),
            );
        }
        None
    }
}

/// The records of a block without quotes or CR (see [`plain_bytes`]): records are the
/// non-empty lines and values the pieces between delimiters, exactly as the CSV reader splits
/// them. The block, once checked to be UTF-8, becomes the record's text as it is (no copy per
/// row); each row only sets the value ranges. False (and `bytes` untouched) when the block is
/// not UTF-8, for the CSV reader to report.
fn for_each_plain(
    bytes: &mut Vec<u8>,
    delimiter: u8,
    first_line: u64,
    check: &ShapeCheck<'_>,
    f: &mut impl FnMut(Result<&Record, InputError>),
) -> bool {
    match String::from_utf8(std::mem::take(bytes)) {
        Ok(text) => {
            let mut rec = Record {
                text,
                ..Record::default()
            };
            let d = delimiter;
            let mut line = first_line;
            // Lines found with memchr (they are long); values eight bytes at
            // a time (short: a search call per value costs more).
            let mut line_start = 0;
            let len = rec.text.len();
            while line_start < len {
                let b = rec.text.as_bytes();
                let end = memchr::memchr(b'\n', &b[line_start..]).map_or(len, |k| line_start + k);
                if end > line_start {
                    rec.line = line;
                    rec.bounds.clear();
                    split_plain(&b[line_start..end], d, line_start as u32, &mut rec.bounds);
                    if !rec.is_blank() {
                        match check.shape(&rec, end - line_start > MAX_FIELD_BYTES) {
                            Some(e) => f(Err(e)),
                            None => f(Ok(&rec)),
                        }
                    }
                }
                line += 1;
                line_start = end + 1;
            }
            // The buffer goes back to the pool when the batch is dropped.
            *bytes = rec.text.into_bytes();
            true
        }
        Err(e) => {
            *bytes = e.into_bytes();
            false
        }
    }
}

/// The records of a block through the CSV reader (quotes, CRLF, invalid UTF-8 ...).
fn for_each_quoted(
    bytes: &[u8],
    delimiter: u8,
    first_line: u64,
    check: &ShapeCheck<'_>,
    f: &mut impl FnMut(Result<&Record, InputError>),
) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    // One CSV record and one `Record`, filled again for every row.
    let mut rec = Record::default();
    let mut br = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut br) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(first_line, |p| first_line + p.line() - 1);
                f(Err(InputError::new(
                    InputErrorKind::Syntax,
                    check.file,
                    e.to_string(),
                )
                .at_line(line)));
                break;
            }
        }
        // The position is where the reader stood before the record: the `\n` of a
        // CRLF and blank lines before the record are still ahead of it.
        let line = br.position().map_or(first_line, |p| {
            let ahead = bytes.get(p.byte() as usize..).unwrap_or_default();
            let blank = ahead
                .iter()
                .take_while(|&&c| c == b'\n' || c == b'\r')
                .filter(|&&c| c == b'\n')
                .count();
            first_line + p.line() - 1 + blank as u64
        });
        fill_record(&mut rec, line, &br);
        if rec.is_blank() {
            continue;
        }
        match check.shape(&rec, br.as_slice().len() > MAX_FIELD_BYTES) {
            Some(e) => f(Err(e)),
            None => f(Ok(&rec)),
        }
    }
}

/// True when the simple split applies to a block: an ASCII delimiter, no quote, no carriage
/// return, no byte order mark (the text must still be valid UTF-8).
fn plain_bytes(bytes: &[u8], delimiter: u8) -> bool {
    delimiter.is_ascii()
        && delimiter != b'"'
        && delimiter != b'\r'
        && delimiter != b'\n'
        && !bytes.starts_with(&[0xEF])
        && memchr::memchr2(b'"', b'\r', bytes).is_none()
}

impl Drop for Batch {
    fn drop(&mut self) {
        if let BatchData::Delimited { bytes, pool, .. } = &mut self.data {
            if let Ok(mut p) = pool.lock() {
                if p.len() < POOL_MAX {
                    p.push(std::mem::take(bytes));
                }
            }
        }
    }
}

/// Runs `work` on every batch in parallel on the current rayon pool and hands the results to
/// `reduce` **in batch order**, on the calling thread, while reading goes on.
///
/// At most `in_flight` batches are read but not yet reduced, so memory is bounded by
/// `in_flight` × block size whatever the input size. The calling thread reads; the pool
/// works. Because batch boundaries depend only on the bytes, and results are reduced in
/// order, the outcome does not depend on the number of threads.
///
/// # Errors
/// The first read error; batches read before it have been reduced.
pub fn for_each_batch_ordered<R: Send>(
    batches: impl Iterator<Item = Result<Batch, InputError>>,
    in_flight: usize,
    work: impl Fn(Batch) -> R + Sync,
    mut reduce: impl FnMut(R),
) -> Result<(), InputError> {
    let in_flight = in_flight.max(1);
    let work = &work;
    rayon::in_place_scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, std::thread::Result<R>)>();
        let mut pending: BTreeMap<usize, R> = BTreeMap::new();
        let mut next = 0usize;
        let mut sent = 0usize;
        let mut receive =
            |pending: &mut BTreeMap<usize, R>, next: &mut usize, block: bool| -> bool {
                let got = if !block {
                    rx.try_recv().ok()
                } else if rayon::current_thread_index().is_none() {
                    rx.recv().ok()
                } else {
                    // Called from inside a pool: help with the pool's work instead of
                    // blocking a worker (with one thread, blocking would wait forever).
                    loop {
                        match rx.try_recv() {
                            Ok(x) => break Some(x),
                            Err(std::sync::mpsc::TryRecvError::Disconnected) => break None,
                            Err(std::sync::mpsc::TryRecvError::Empty) => {
                                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                                    std::thread::yield_now();
                                }
                            }
                        }
                    }
                };
                let Some((i, r)) = got else { return false };
                match r {
                    Ok(r) => {
                        pending.insert(i, r);
                    }
                    Err(panic) => std::panic::resume_unwind(panic),
                }
                while let Some(r) = pending.remove(next) {
                    reduce(r);
                    *next += 1;
                }
                true
            };
        let mut result = Ok(());
        for b in batches {
            let b = match b {
                Ok(b) => b,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            while sent - next >= in_flight {
                receive(&mut pending, &mut next, true);
            }
            let tx = tx.clone();
            let idx = sent;
            s.spawn(move |_| {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(b)));
                let _ = tx.send((idx, r));
            });
            sent += 1;
            while receive(&mut pending, &mut next, false) {}
        }
        drop(tx);
        while next < sent && receive(&mut pending, &mut next, true) {}
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn read(text: &str, block: usize) -> (InputReader, Vec<Record>) {
        let opts = InputOptions {
            block_bytes: block,
            ..InputOptions::default()
        };
        let r = InputReader::from_reader("t.csv", Cursor::new(text.as_bytes().to_vec()), &opts)
            .unwrap();
        let r2 = InputReader::from_reader("t.csv", Cursor::new(text.as_bytes().to_vec()), &opts)
            .unwrap();
        (r, r2.records().collect::<Result<_, _>>().unwrap())
    }

    /// Hands out at most `step` bytes per read, interrupting every third call.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        step: usize,
        calls: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            if self.calls % 3 == 0 {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let n = self.step.min(out.len()).min(self.data.len() - self.at);
            out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn lone_crs_become_line_ends_whatever_the_read_sizes() {
        let text = b"a\rb\r\nc\r\rd\n\r\r\r\ne\r";
        let want = b"a\nb\r\nc\n\nd\n\n\n\r\ne\n";
        for step in 1..=text.len() {
            for out_len in [1, 2, 3, 7, 64] {
                let mut cr = LoneCr {
                    inner: Trickle {
                        data: text.to_vec(),
                        at: 0,
                        step,
                        calls: 0,
                    },
                    ahead: None,
                };
                let mut got = Vec::new();
                let mut buf = vec![0u8; out_len];
                loop {
                    match cr.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => panic!("{e}"),
                    }
                }
                assert_eq!(got, want, "step {step}, buffer {out_len}");
            }
        }
    }

    #[test]
    fn bom_semicolons_crlf_quotes_and_line_numbers() {
        let text = "\u{feff}id;van;naar;opmerking\r\n1;Enschede;Parijs;\"met ; puntkomma\"\r\n\r\n2;Hengelo;\"Den\r\nHaag\";x\r\n3;A;B;\"zei \"\"hoi\"\"\"\r\n;;;\r\n4;C;D;\r\n";
        for block in [1, 7, 30, 1 << 20] {
            let (r, recs) = read(text, block);
            assert_eq!(r.delimiter(), Some(b';'));
            assert_eq!(r.header().names, ["id", "van", "naar", "opmerking"]);
            let lines: Vec<u64> = recs.iter().map(Record::line).collect();
            assert_eq!(lines, [2, 4, 6, 8], "block {block}");
            assert_eq!(recs[0].get(3), "met ; puntkomma");
            assert_eq!(recs[1].get(2), "Den\r\nHaag");
            assert_eq!(recs[2].get(3), "zei \"hoi\"");
        }
    }

    #[test]
    fn quote_free_blocks_split_like_the_csv_reader() {
        // The same rows, once quote-free (simple split) and once with one quoted value (CSV
        // reader): same values, same lines, for any block size.
        let plain = "id,a,b\n1,x,y\n\n\n2,,\n3,z\n  ,  ,\n4,é,ü,\n6,Zürich,x";
        let quoted = plain.replacen("1,x", "\"1\",x", 1);
        for block in [1, 5, 30, 1 << 20] {
            let (_, a) = read(plain, block);
            let (_, b) = read(&quoted, block);
            assert_eq!(a, b, "block {block}");
            let lines: Vec<u64> = a.iter().map(Record::line).collect();
            assert_eq!(lines, [2, 5, 6, 8, 9], "block {block}");
        }
    }

    #[test]
    fn trims_values() {
        for (a, b) in [
            ("Enschede", "Enschede"),
            (" x ", "x"),
            ("", ""),
            ("\u{a0}Gent\u{a0}", "Gent"),
            ("\tA B\r", "A B"),
        ] {
            assert_eq!(trim_value(a), b, "{a:?}");
        }
    }

    #[test]
    fn tabs_and_windows_1252() {
        let mut bytes = b"from\tto\n".to_vec();
        bytes.extend_from_slice(b"M\xfcnchen\tZ\xfcrich\n");
        let r = InputReader::from_reader("t.tsv", Cursor::new(bytes), &InputOptions::default())
            .unwrap();
        let recs: Vec<Record> = r.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(recs[0].get(0), "München");
        assert_eq!(recs[0].get(1), "Zürich");
    }

    #[test]
    fn too_many_values_is_a_row_error() {
        let r = InputReader::from_reader(
            "t.csv",
            Cursor::new("a,b\n1,2\n1,2,3\n1,2,\n"),
            &InputOptions::default(),
        )
        .unwrap();
        let out: Vec<_> = r.records().collect();
        assert!(out[0].is_ok() && out[2].is_ok());
        let e = out[1].as_ref().unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.to_string().starts_with("t.csv:3: the row has 3 values"),
            "{e}"
        );
    }

    #[test]
    fn sniffs_json_from_stdin_like_sources() {
        let r = InputReader::from_reader(
            "-",
            Cursor::new("[{\"from\": \"A\"}]"),
            &InputOptions::default(),
        )
        .unwrap();
        assert_eq!(r.format(), InputFormat::Json);
        let r =
            InputReader::from_reader("-", Cursor::new("from,to\nA,B\n"), &InputOptions::default())
                .unwrap();
        assert_eq!(r.format(), InputFormat::Delimited);
        assert!(InputReader::from_reader("-", Cursor::new(""), &InputOptions::default()).is_err());
    }

    #[test]
    fn ordered_parallel_reduction() {
        let text: String = std::iter::once("n\n".to_string())
            .chain((0..5000).map(|i| format!("{i}\n")))
            .collect();
        let opts = InputOptions {
            block_bytes: 100,
            ..InputOptions::default()
        };
        let r = InputReader::from_reader("t.csv", Cursor::new(text.into_bytes()), &opts).unwrap();
        let mut seen = Vec::new();
        for_each_batch_ordered(
            r.batches(),
            3,
            |mut b| {
                let mut v = Vec::new();
                b.for_each(|r| v.push(r.unwrap().get(0).parse::<u32>().unwrap()));
                v
            },
            |v| seen.extend(v),
        )
        .unwrap();
        assert_eq!(seen, (0..5000).collect::<Vec<_>>());
    }

    #[test]
    fn ordered_reduction_inside_a_one_thread_pool() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let text: String = std::iter::once("n\n".to_string())
            .chain((0..300).map(|i| format!("{i}\n")))
            .collect();
        let opts = InputOptions {
            block_bytes: 64,
            ..InputOptions::default()
        };
        let r = InputReader::from_reader("t.csv", Cursor::new(text.into_bytes()), &opts).unwrap();
        let mut n = 0;
        pool.install(|| {
            for_each_batch_ordered(
                r.batches(),
                2,
                |mut b| {
                    let mut c = 0;
                    b.for_each(|_| c += 1);
                    c
                },
                |c| n += c,
            )
        })
        .unwrap();
        assert_eq!(n, 300);
    }

    #[test]
    fn records_from_a_block_copy_only_their_own_values() {
        let text = "id;a\n1;x\n2;y\n";
        let (_, recs) = read(text, 1 << 20);
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[1].get(1), "y");
        // A copy does not keep the whole block.
        assert!(recs[1].text.len() <= 2, "{:?}", recs[1]);
    }

    proptest::proptest! {
        /// The word-at-a-time split finds the same values as splitting byte by byte, for any
        /// line (multi-byte characters, delimiters at word edges, empty values).
        #[test]
        fn plain_split_equals_a_byte_split(
            line in "[a-c;,é\t ]{0,40}",
            delimiter in proptest::sample::select(vec![b';', b',', b'\t']),
        ) {
            let mut rec = Record::default();
            rec.fill_plain(7, &line, delimiter);
            let expected: Vec<&str> = line.split(char::from(delimiter)).collect();
            proptest::prop_assert_eq!(rec.iter().collect::<Vec<_>>(), expected);
            proptest::prop_assert_eq!(rec.line(), 7);
        }
    }
}
