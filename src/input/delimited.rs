//! CSV/TSV: delimiter sniffing and splitting a stream into blocks at record boundaries.
//!
//! A block ends at a newline that is outside quotes, so every block holds whole records and
//! can be parsed on its own, in parallel. Where blocks end depends only on the bytes and the
//! block size: the first record end at or before `block_bytes` (or the first one after it when
//! a single record is longer), never on read sizes or thread counts.

use memchr::{memchr, memchr2};
use std::io::Read;
use std::sync::{Arc, Mutex};

/// Block buffers handed back after parsing, reused for the next blocks: memory stays flat
/// instead of depending on how the allocator treats many large short-lived buffers.
pub(crate) type BufferPool = Arc<Mutex<Vec<Vec<u8>>>>;

/// Buffers kept for reuse at most.
pub(crate) const POOL_MAX: usize = 16;

/// Guard against a runaway quoted field: a record longer than this is refused.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// Tracks quote state across the bytes of a CSV stream, as csv-core reads them: a `"`
/// opens a quoted field only at the start of a field; `""` inside quotes is an escaped quote.
#[derive(Debug, Clone)]
pub(crate) struct QuoteScanner {
    delimiter: u8,
    in_quotes: bool,
    /// Index (in the scanned buffer) of the quote that opened the current quoted field.
    open_at: usize,
}

/// A record end found by the scanner: byte index after the `\n`, newlines up to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    pub end: usize,
    pub newlines: u64,
}

impl QuoteScanner {
    pub(crate) fn new(delimiter: u8) -> Self {
        QuoteScanner {
            delimiter,
            in_quotes: false,
            open_at: 0,
        }
    }

    /// True while inside a quoted field; [`QuoteScanner::open_at`] is where it opened.
    pub(crate) fn in_quotes(&self) -> bool {
        self.in_quotes
    }

    /// Index of the quote that opened the current quoted field.
    pub(crate) fn open_at(&self) -> usize {
        self.open_at
    }

    /// Scans `buf[from..]` (bytes before `from` were scanned already and `buf[from-1]` is the
    /// previous byte). Calls `on_split` for every record end. Returns the index scanning
    /// stopped at (less than `buf.len()` only when a quote at the very end cannot be
    /// classified yet) and the newlines seen.
    pub(crate) fn scan(
        &mut self,
        buf: &[u8],
        from: usize,
        eof: bool,
        mut on_split: impl FnMut(Split) -> bool,
    ) -> (usize, u64) {
        let mut i = from;
        let mut newlines = 0u64;
        let n = buf.len();
        while i < n {
            if !self.in_quotes {
                let Some(k) = memchr2(b'"', b'\n', &buf[i..]) else {
                    i = n;
                    break;
                };
                let j = i + k;
                if buf[j] == b'\n' {
                    newlines += 1;
                    if !on_split(Split {
                        end: j + 1,
                        newlines,
                    }) {
                        return (j + 1, newlines);
                    }
                } else {
                    let prev = if j == 0 { b'\n' } else { buf[j - 1] };
                    if prev == self.delimiter || prev == b'\n' || prev == b'\r' {
                        self.in_quotes = true;
                        self.open_at = j;
                    }
                }
                i = j + 1;
            } else {
                let Some(k) = memchr(b'"', &buf[i..]) else {
                    newlines += memchr::memchr_iter(b'\n', &buf[i..]).count() as u64;
                    i = n;
                    break;
                };
                let j = i + k;
                newlines += memchr::memchr_iter(b'\n', &buf[i..j]).count() as u64;
                if j + 1 < n {
                    if buf[j + 1] == b'"' {
                        i = j + 2; // escaped quote
                    } else {
                        self.in_quotes = false;
                        i = j + 1;
                    }
                } else if eof {
                    self.in_quotes = false;
                    i = n;
                } else {
                    return (j, newlines); // wait for the next byte
                }
            }
        }
        (i, newlines)
    }
}

/// "unterminated quote from line 2 to the end of the file (line 1002): 1001 lines not read".
pub(crate) fn unterminated_quote(line: u64, last: u64) -> String {
    format!(
        "unterminated quote from line {line} to the end of the file (line {last}): {} line{} not read; close the quote or remove it",
        last - line + 1,
        if last == line { "" } else { "s" }
    )
}

/// Lines after the first in `bytes` (a final newline ends the last line, not a new one).
pub(crate) fn count_lines(bytes: &[u8]) -> u64 {
    count_newlines(bytes) - u64::from(bytes.ends_with(b"\n"))
}

/// Number of `\n` bytes (memchr counts with vector instructions).
fn count_newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Picks the delimiter from the header line: the most frequent of `,` `;` tab `|` outside
/// quotes; ties go to tab, then `;`, then `,`. A one-column header gives `,`.
pub fn sniff_delimiter(header_line: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let cands = [b'\t', b';', b',', b'|'];
    let mut in_quotes = false;
    for &b in header_line {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            if let Some(p) = cands.iter().position(|&c| c == b) {
                counts[p] += 1;
            }
        }
    }
    let mut best = 2; // ','
    for (i, &c) in counts.iter().enumerate() {
        if c > counts[best] || (c == counts[best] && c > 0 && i < best) {
            best = i;
        }
    }
    cands[best]
}

/// Splits a byte stream into blocks of whole records.
pub(crate) struct BlockSplitter<R> {
    src: R,
    buf: Vec<u8>,
    scanned: usize,
    newlines_scanned: u64,
    splits: Vec<Split>,
    scanner: QuoteScanner,
    block_bytes: usize,
    eof: bool,
    /// Line number of the first byte of `buf`.
    pub(crate) next_line: u64,
    /// Bytes handed out so far (including the header and BOM).
    pub(crate) consumed: u64,
    /// Where parsed blocks come back.
    pub(crate) pool: BufferPool,
}

impl<R: Read> BlockSplitter<R> {
    pub(crate) fn new(
        src: R,
        prefix: Vec<u8>,
        delimiter: u8,
        block_bytes: usize,
        first_line: u64,
        consumed: u64,
    ) -> Self {
        let block_bytes = block_bytes.max(1);
        let mut buf = Vec::with_capacity(block_bytes + 64 * 1024);
        buf.extend_from_slice(&prefix);
        BlockSplitter {
            src,
            buf,
            scanned: 0,
            newlines_scanned: 0,
            splits: Vec::new(),
            scanner: QuoteScanner::new(delimiter),
            block_bytes,
            eof: false,
            next_line: first_line,
            consumed,
            pool: BufferPool::default(),
        }
    }

    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        while !self.eof && self.buf.len() < want {
            let old = self.buf.len();
            // Read at most 1 MiB at a time into the spare capacity: `read_to_end` on a `take`
            // neither zeroes the buffer first nor grows it while the capacity lasts (pooled
            // block buffers are reused, so their pages are not faulted in again).
            let grow = (want - old).clamp(64 * 1024, 1024 * 1024);
            self.buf.reserve(grow);
            let n = loop {
                match (&mut self.src).take(grow as u64).read_to_end(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.buf.truncate(old);
                        return Err(e);
                    }
                }
            };
            if n == 0 {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// The next block and the line number of its first byte, or `None` at the end.
    pub(crate) fn next_block(&mut self) -> Result<Option<(Vec<u8>, u64)>, String> {
        loop {
            // Fast path, where nothing is scanned yet and the bytes hold no quote (nearly
            // every export): every newline ends a record, so the block ends at the last
            // newline within the limit, found by one backwards search instead of stopping at
            // every line. The cut is the one the scan below would make.
            if self.scanned == 0 && self.splits.is_empty() && !self.scanner.in_quotes {
                if self.buf.len() < self.block_bytes && !self.eof {
                    self.fill(self.block_bytes).map_err(|e| e.to_string())?;
                    continue;
                }
                if memchr(b'"', &self.buf).is_none() {
                    let window = &self.buf[..self.block_bytes.min(self.buf.len())];
                    let end = match memchr::memrchr(b'\n', window) {
                        Some(p) => Some(p + 1),
                        None if self.eof => Some(self.buf.len()),
                        None => None, // one record longer than the limit: scan below
                    };
                    if let Some(end) = end {
                        if end == 0 {
                            return Ok(None);
                        }
                        let newlines = count_newlines(&self.buf[..end]);
                        // As if scanned up to the cut, so `take` leaves no scan state.
                        self.scanned = end;
                        self.newlines_scanned = newlines;
                        return Ok(Some(self.take(end, newlines)));
                    }
                }
            }
            // Scan what has been read so far, remembering record ends.
            let limit = self.block_bytes;
            let base_newlines = self.newlines_scanned;
            let splits = &mut self.splits;
            let (stop, nl) = self
                .scanner
                .scan(&self.buf, self.scanned, self.eof, |mut s| {
                    s.newlines += base_newlines;
                    splits.push(s);
                    // Past the limit one record end is enough.
                    s.end <= limit
                });
            self.scanned = stop;
            self.newlines_scanned = base_newlines + nl;
            let cut = match self.splits.iter().rev().find(|s| s.end <= limit) {
                Some(s) if self.buf.len() >= limit || self.eof => Some(*s),
                None => self.splits.iter().find(|s| s.end > limit).copied(),
                _ => None,
            };
            if let Some(s) = cut {
                return Ok(Some(self.take(s.end, s.newlines)));
            }
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                if self.scanner.in_quotes() {
                    return Err(self.unterminated());
                }
                let (end, nl) = (self.buf.len(), self.newlines_scanned);
                return Ok(Some(self.take(end, nl)));
            }
            if self.buf.len() > self.block_bytes + MAX_RECORD_BYTES {
                return Err(format!(
                    "a record starting at line {} is longer than {} MB: an unclosed quote?",
                    self.next_line,
                    MAX_RECORD_BYTES / (1024 * 1024)
                ));
            }
            let want = if self.buf.len() < limit {
                limit
            } else {
                self.buf.len() + 64 * 1024
            };
            self.fill(want).map_err(|e| e.to_string())?;
        }
    }

    /// The message for a quote still open at the end of the file: where it opened and how
    /// many lines it would swallow (none of them is read as a row).
    fn unterminated(&self) -> String {
        let at = self.scanner.open_at().min(self.buf.len());
        let line = self.next_line + count_newlines(&self.buf[..at]);
        let rest = &self.buf[at..];
        let last = line + count_lines(rest);
        unterminated_quote(line, last)
    }

    fn take(&mut self, end: usize, newlines: u64) -> (Vec<u8>, u64) {
        let recycled = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut next = recycled.unwrap_or_else(|| Vec::with_capacity(self.block_bytes + 64 * 1024));
        next.clear();
        next.extend_from_slice(&self.buf[end..]);
        self.buf.truncate(end);
        let block = std::mem::replace(&mut self.buf, next);
        let first_line = self.next_line;
        self.next_line += newlines;
        self.consumed += end as u64;
        self.scanned -= end.min(self.scanned);
        self.scanner.open_at = self.scanner.open_at.saturating_sub(end);
        self.newlines_scanned -= newlines;
        self.splits.retain(|s| s.end > end);
        for s in &mut self.splits {
            s.end -= end;
            s.newlines -= newlines;
        }
        (block, first_line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"id,from,to"), b',');
        assert_eq!(sniff_delimiter(b"id;van;naar;\"a,b\""), b';');
        assert_eq!(
            sniff_delimiter(b"# mission\tVille de d\xc3\xa9part\tPays"),
            b'\t'
        );
        assert_eq!(sniff_delimiter(b"origin"), b',');
        assert_eq!(sniff_delimiter(b"a;b,c"), b';');
    }

    /// A reader that hands out at most `.1` bytes per call (like a slow pipe).
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(out.len()).min(self.1);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn blocks(data: &[u8], size: usize) -> Vec<(Vec<u8>, u64)> {
        let mut s = BlockSplitter::new(
            std::io::Cursor::new(data.to_vec()),
            Vec::new(),
            b',',
            size,
            2,
            0,
        );
        let mut out = Vec::new();
        while let Some(b) = s.next_block().unwrap() {
            out.push(b);
        }
        out
    }

    #[test]
    fn blocks_end_outside_quotes_and_count_lines() {
        let data = b"a,\"x\ny\",1\nb,2\nc,\"q\"\"\n\"\nd,4\n";
        for size in 1..data.len() + 3 {
            let bs = blocks(data, size);
            let joined: Vec<u8> = bs.iter().flat_map(|(b, _)| b.clone()).collect();
            assert_eq!(joined, data, "size {size}");
            let mut line = 2;
            for (b, first) in &bs {
                assert_eq!(*first, line, "size {size}");
                assert!(b.ends_with(b"\n"));
                line += b.iter().filter(|&&c| c == b'\n').count() as u64;
                // Every block parses to whole records: quotes balanced.
                assert_eq!(
                    b.iter().filter(|&&c| c == b'"').count() % 2,
                    0,
                    "size {size}: {:?}",
                    String::from_utf8_lossy(b)
                );
            }
        }
    }

    #[test]
    fn boundaries_do_not_depend_on_read_sizes() {
        let data: Vec<u8> = (0..500)
            .flat_map(|i| format!("{i},\"x{i}\ny\",z\n").into_bytes())
            .collect();
        let whole = blocks(&data, 97);
        let mut s = BlockSplitter::new(Trickle(&data, 3), Vec::new(), b',', 97, 2, 0);
        let mut trickled = Vec::new();
        while let Some(b) = s.next_block().unwrap() {
            trickled.push(b);
        }
        assert_eq!(whole, trickled);
    }

    #[test]
    fn quote_free_blocks_cut_at_the_last_newline_within_the_limit() {
        // The fast path (no quote): same cuts for any read size, whole lines, right counts.
        let data: Vec<u8> = (0..400)
            .flat_map(|i| format!("{i},x{},z\n", "y".repeat(i % 7)).into_bytes())
            .chain(*b"last,no,newline")
            .collect();
        for size in [1, 9, 50, 97, 4096] {
            let whole = blocks(&data, size);
            let joined: Vec<u8> = whole.iter().flat_map(|(b, _)| b.clone()).collect();
            assert_eq!(joined, data, "size {size}");
            let mut line = 2;
            for (i, (b, first)) in whole.iter().enumerate() {
                assert_eq!(*first, line, "size {size}");
                if i + 1 < whole.len() {
                    assert!(b.ends_with(b"\n"), "size {size}");
                    // At or under the limit unless one line alone is longer.
                    let lines = b.iter().filter(|&&c| c == b'\n').count();
                    assert!(b.len() <= size || lines == 1, "size {size}");
                }
                line += b.iter().filter(|&&c| c == b'\n').count() as u64;
            }
            let mut s = BlockSplitter::new(Trickle(&data, 5), Vec::new(), b',', size, 2, 0);
            let mut trickled = Vec::new();
            while let Some(b) = s.next_block().unwrap() {
                trickled.push(b);
            }
            assert_eq!(whole, trickled, "size {size}");
        }
    }

    #[test]
    fn last_record_without_newline() {
        let bs = blocks(b"a,1\nb,2", 4);
        assert_eq!(bs, vec![(b"a,1\n".to_vec(), 2), (b"b,2".to_vec(), 3)]);
    }
}
