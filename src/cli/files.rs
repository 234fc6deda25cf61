//! Writing a set of files into a folder so that a failure never leaves a half-written set that
//! looks complete, and never over an input file.
//!
//! Two phases: every file is first written in full to a temporary file next to its target
//! (`.NAME.tmp-PID`); only when all of them are written is the old entry point (`index.html`,
//! last in the list) removed and are the files renamed into place, the new entry point last.
//! A failure while writing removes the temporary files and leaves the folder as it was;
//! renames within one folder are atomic, and a folder without its entry point does not look
//! like a finished report.
//! The file operations go through [`FileSystem`] so tests can make them fail.
//!
//! This is the one place the CLI writes files: [`write_all_streaming`] for a set of files (the
//! report, its row files streamed on a thread of their own),
//! [`write_file`] for one file, [`Output`] for a file written while rows stream (the audit
//! trail) or standard output (`-`); [`check_outputs`] refuses, before any work, outputs that
//! would overwrite an input or each other; a folder inside the output that is a symbolic link
//! is never followed, and [`remove_stale`] never deletes outside the output folder.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::CliError;

/// The file operations the writer uses. [`Disk`] does them; tests inject failures.
pub trait FileSystem: Sync {
    /// Creates a folder and its parents.
    fn create_dir_all(&self, dir: &Path) -> io::Result<()>;
    /// Creates or truncates `path` and writes `bytes` to it, flushed to the disk.
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// Renames `from` to `to`, replacing `to` (atomic within one folder).
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Removes a file.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// Creates or truncates `path` for writing in pieces (from any thread); flushing it also
    /// syncs it to disk.
    fn create(&self, path: &Path) -> io::Result<Box<dyn Write + Send>>;
    /// Whether `path` itself is a symbolic link (not followed).
    fn is_symlink(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    }
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

impl FileSystem for Disk {
    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        std::fs::create_dir_all(dir)
    }
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut f = std::fs::File::create(path)?;
        f.write_all(bytes)?;
        f.sync_all()
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }
    fn remove_file(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
    fn create(&self, path: &Path) -> io::Result<Box<dyn Write + Send>> {
        Ok(Box::new(SyncedFile(io::BufWriter::with_capacity(
            WRITE_BUFFER_BYTES,
            std::fs::File::create(path)?,
        ))))
    }
}

/// The buffer of a file written in pieces: large writes (the audit's chunks) pass through it,
/// line-by-line writes (the rejects) are gathered.
const WRITE_BUFFER_BYTES: usize = 256 * 1024;

/// A buffered file whose `flush` also syncs it to the disk.
struct SyncedFile(io::BufWriter<std::fs::File>);

impl Write for SyncedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()?;
        self.0.get_ref().sync_all()
    }
}

/// Writes one file atomically: in full to a temporary file next to it, then renamed over it
/// (an existing file is replaced only by a complete new one). Check the path first with
/// [`check_outputs`].
///
/// # Errors
///
/// A [`CliError`] naming `path`; the temporary file is removed.
pub fn write_file(fs: &dyn FileSystem, path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let tmp = temp_path(path);
    let result = fs.write(&tmp, bytes).and_then(|()| fs.rename(&tmp, path));
    result.map_err(|e| {
        let _ = fs.remove_file(&tmp);
        CliError::data(format!("cannot write {}: {e}", path.display()))
    })
}

/// Where a streamed output goes: a file written next to its final path and renamed into
/// place by [`Output::commit`] (so a failed run leaves no half file), or standard output
/// for `-`.
pub struct Output<'a> {
    fs: &'a dyn FileSystem,
    path: PathBuf,
    tmp: Option<PathBuf>,
    w: Box<dyn Write + 'a>,
}

impl<'a> Output<'a> {
    /// Opens `path` (`-`: standard output).
    ///
    /// # Errors
    ///
    /// A [`CliError`] naming `path` when the temporary file cannot be created.
    pub fn open(fs: &'a dyn FileSystem, path: &Path) -> Result<Self, CliError> {
        if is_stdout(path) {
            return Ok(Output {
                fs,
                path: path.to_path_buf(),
                tmp: None,
                w: Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout())),
            });
        }
        let tmp = temp_path(path);
        let w = fs
            .create(&tmp)
            .map_err(|e| CliError::data(format!("cannot write {}: {e}", path.display())))?;
        Ok(Output {
            fs,
            path: path.to_path_buf(),
            tmp: Some(tmp),
            w,
        })
    }
    /// Appends bytes.
    ///
    /// # Errors
    ///
    /// A [`CliError`] naming the file (a closed standard output is a broken pipe).
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.w.write_all(bytes).map_err(|e| self.err(e))
    }
    fn err(&self, e: io::Error) -> CliError {
        if self.tmp.is_none() {
            super::io_err(e)
        } else {
            CliError::data(format!("cannot write {}: {e}", self.path.display()))
        }
    }
    /// Flushes and moves the file into place.
    ///
    /// # Errors
    ///
    /// A [`CliError`] naming the file; the temporary file is then removed.
    pub fn commit(mut self) -> Result<(), CliError> {
        let flushed = self.w.flush();
        let Some(tmp) = self.tmp.take() else {
            return flushed.map_err(super::io_err);
        };
        drop(std::mem::replace(&mut self.w, Box::new(io::sink())));
        let result = flushed.and_then(|()| self.fs.rename(&tmp, &self.path));
        result.map_err(|e| {
            let _ = self.fs.remove_file(&tmp);
            CliError::data(format!("cannot write {}: {e}", self.path.display()))
        })
    }
    /// Drops what was written (the temporary file is removed; standard output cannot be
    /// taken back).
    pub fn discard(mut self) {
        drop(std::mem::replace(&mut self.w, Box::new(io::sink())));
        if let Some(tmp) = self.tmp.take() {
            let _ = self.fs.remove_file(&tmp);
        }
    }
}

impl Write for Output<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.w.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.w.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Whether an output path means standard output (`-`).
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// `path` with its folders resolved (`.`, `..`, links): the canonical path when it exists,
/// else its canonical folder joined with its name, else as given.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(path) {
        return c;
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (std::fs::canonicalize(parent), path.file_name()) {
        (Ok(p), Some(name)) => p.join(name),
        _ => path.to_path_buf(),
    }
}

/// Refuses, before any work, outputs (`(flag, path)`, e.g. `("--audit", "a.csv")`) that would
/// write over one of `inputs` or over each other, and more than one output on standard output.
/// Paths are compared with their folders and links resolved.
///
/// # Errors
///
/// A usage error (exit 2) naming the flag, the path and the input or other flag.
pub fn check_outputs(outputs: &[(&str, &Path)], inputs: &[PathBuf]) -> Result<(), CliError> {
    let inputs: Vec<(PathBuf, &PathBuf)> = inputs
        .iter()
        .filter(|p| !is_stdout(p))
        .map(|p| (resolved(p), p))
        .collect();
    let mut seen: Vec<(&str, PathBuf)> = Vec::new();
    let mut stdout_flag: Option<&str> = None;
    for (flag, out) in outputs {
        if is_stdout(out) {
            if let Some(first) = stdout_flag {
                return Err(CliError::usage(format!(
                    "{first} - and {flag} - would both write to standard output; give one of them a file"
                )));
            }
            stdout_flag = Some(flag);
            continue;
        }
        let r = resolved(out);
        if let Some((_, given)) = inputs.iter().find(|(c, _)| *c == r) {
            return Err(CliError::usage(format!(
                "refusing to write {flag} {} over the input file {}; choose another file",
                out.display(),
                given.display()
            )));
        }
        if let Some((other, _)) = seen.iter().find(|(_, p)| *p == r) {
            return Err(CliError::usage(format!(
                "{other} and {flag} both name {}; give each its own file",
                out.display()
            )));
        }
        seen.push((flag, r));
    }
    Ok(())
}

/// The first folder between `out_dir` (excluded) and `target` (excluded) that is a symbolic
/// link, if any: the report never writes or deletes through one.
fn symlinked_folder(fs: &dyn FileSystem, out_dir: &Path, target: &Path) -> Option<PathBuf> {
    let rel = target.strip_prefix(out_dir).ok()?;
    let mut p = out_dir.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for c in &parts[..parts.len().saturating_sub(1)] {
        p.push(c);
        if fs.is_symlink(&p) {
            return Some(p);
        }
    }
    None
}

/// The temporary name of `target`: `.NAME.tmp-PID` in the same folder.
pub fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    target.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// A writer callback that streams one file of a set (the report's `audit.csv`, never held in
/// memory); `Sync`, so that [`write_all_streaming`] can run it on its writing thread.
pub type Stream<'a> = &'a (dyn Fn(&mut dyn Write) -> io::Result<()> + Sync);

/// What one file of a set holds: bytes in memory, or a writer callback that streams them (the
/// report's `audit.csv`, never held in memory).
#[derive(Clone, Copy)]
pub enum Content<'a> {
    /// The whole file.
    Bytes(&'a [u8]),
    /// Writes the file into the (buffered) writer it is given.
    Stream(Stream<'a>),
}

impl std::fmt::Debug for Content<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Content::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// A writer that fails once `stop` is set: a stream on the writing thread of
/// [`write_all_streaming`] ends early when the rest of the set failed.
struct Cancellable<'a> {
    w: &'a mut dyn Write,
    stop: &'a AtomicBool,
}

impl Cancellable<'_> {
    fn check(&self) -> io::Result<()> {
        if self.stop.load(Ordering::Relaxed) {
            Err(io::Error::other(
                "cancelled: another file of the set failed",
            ))
        } else {
            Ok(())
        }
    }
}

impl Write for Cancellable<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.check()?;
        self.w.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.check()?;
        self.w.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Writes `content` in full to the new file `tmp` (flushed to the disk); a stream stops with
/// an error once `stop` is set.
fn write_content(
    fs: &dyn FileSystem,
    tmp: &Path,
    content: Content<'_>,
    stop: &AtomicBool,
) -> io::Result<()> {
    match content {
        Content::Bytes(bytes) => fs.write(tmp, bytes),
        Content::Stream(write) => {
            let mut w = fs.create(tmp)?;
            write(&mut Cancellable { w: &mut *w, stop })?;
            w.flush()
        }
    }
}

/// The first phase of a set of files: the targets so far and their temporary files, written
/// in full; [`Staged::commit`] renames them into place, [`Staged::cleanup`] removes them.
struct Staged<'f> {
    fs: &'f dyn FileSystem,
    out_dir: &'f Path,
    targets: Vec<PathBuf>,
    tmps: Vec<PathBuf>,
}

impl<'f> Staged<'f> {
    fn new(fs: &'f dyn FileSystem, out_dir: &'f Path) -> Self {
        Staged {
            fs,
            out_dir,
            targets: Vec::new(),
            tmps: Vec::new(),
        }
    }

    /// The target of `rel` (relative to the folder, `/`-separated).
    fn target(&self, rel: &str) -> PathBuf {
        rel.split('/')
            .fold(self.out_dir.to_path_buf(), |p, c| p.join(c))
    }

    /// Refuses, before anything of `rels` is written, a target inside a linked folder.
    fn check_links<'r>(&self, rels: impl IntoIterator<Item = &'r str>) -> Result<(), CliError> {
        let link = rels
            .into_iter()
            .find_map(|rel| symlinked_folder(self.fs, self.out_dir, &self.target(rel)));
        match link {
            Some(link) => Err(CliError::data(format!(
                "{} is a symbolic link: refusing to write through it (remove it or choose another \
                 --out folder); nothing was written",
                link.display()
            ))),
            None => Ok(()),
        }
    }

    /// Writes `content` to the temporary file of `rel`; the message of a failure (without
    /// cleaning up: the set's [`Staged::fail`] does).
    fn stage(&mut self, rel: &str, content: Content<'_>, stop: &AtomicBool) -> Result<(), String> {
        let target = self.target(rel);
        let dir = target.parent().unwrap_or(self.out_dir).to_path_buf();
        if let Err(e) = self.fs.create_dir_all(&dir) {
            return Err(format!("cannot create folder {}: {e}", dir.display()));
        }
        let tmp = temp_path(&target);
        let written = write_content(self.fs, &tmp, content, stop);
        self.targets.push(target);
        self.tmps.push(tmp);
        written.map_err(|e| {
            format!(
                "cannot write {}: {e}",
                self.targets[self.targets.len() - 1].display()
            )
        })
    }

    /// Removes the temporary files from `from` on; the note naming those left behind.
    fn cleanup(&self, from: usize) -> String {
        let left: Vec<String> = self.tmps[from.min(self.tmps.len())..]
            .iter()
            .filter(|t| self.fs.remove_file(t).is_err())
            .map(|t| t.display().to_string())
            .collect();
        if left.is_empty() {
            String::new()
        } else {
            format!(" (temporary files left behind: {})", left.join(", "))
        }
    }

    /// The error of a failed first phase (`message`), every temporary file removed.
    fn fail(&self, message: &str) -> CliError {
        let left = self.cleanup(0);
        CliError::data(format!("{message}; nothing was written{left}"))
    }

    /// Phase 2: the old entry point (the last target) goes first, so that a folder whose
    /// files are only partly replaced never looks complete; then every temporary file is
    /// renamed into place, the new entry point last.
    fn commit(self) -> Result<(), CliError> {
        if let Some(entry) = self.targets.last()
            && let Err(e) = self.fs.remove_file(entry)
            && e.kind() != io::ErrorKind::NotFound
        {
            let left = self.cleanup(0);
            return Err(CliError::data(format!(
                "cannot replace {}: {e}; nothing was written{left}",
                entry.display()
            )));
        }
        for (i, (tmp, target)) in self.tmps.iter().zip(&self.targets).enumerate() {
            if let Err(e) = self.fs.rename(tmp, target) {
                let left = self.cleanup(i);
                let done = if i == 0 {
                    "nothing was replaced".to_string()
                } else {
                    format!(
                        "{i} of {} files were replaced, {} was not",
                        self.targets.len(),
                        self.targets
                            .last()
                            .map_or(String::new(), |t| t.display().to_string())
                    )
                };
                return Err(CliError::data(format!(
                    "cannot write {}: {e}; {done}{left}",
                    target.display()
                )));
            }
        }
        Ok(())
    }
}

/// Writes `streams` and then the files `rest` returns (`(path relative to out_dir with '/'
/// separators, content)`) into `out_dir` in two phases (see the module documentation), the
/// streams written to their temporary files on a thread of their own while `rest` makes the
/// other files (the report writes `audit.csv` while it builds and renders its pages).
/// Nothing is renamed into place before every file is written in full; the order is the
/// streams, then `rest` with its last file the entry point. Returns every path written, in
/// that order.
///
/// # Errors
///
/// The error of `rest` (the streams are then stopped and their temporary files removed), or
/// a [`CliError`] naming the file that could not be written; the folder then holds no new
/// file and no temporary file (unless even removing them failed, which the message says).
pub fn write_all_streaming<F>(
    fs: &dyn FileSystem,
    out_dir: &Path,
    streams: &[(String, Stream<'_>)],
    rest: F,
) -> Result<Vec<String>, CliError>
where
    F: FnOnce() -> Result<Vec<(String, Vec<u8>)>, CliError>,
{
    let mut staged = Staged::new(fs, out_dir);
    staged.check_links(streams.iter().map(|(rel, _)| rel.as_str()))?;
    let stop = AtomicBool::new(false);
    let (streamed, rendered) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut s = Staged::new(fs, out_dir);
            let failed = streams
                .iter()
                .find_map(|(rel, w)| s.stage(rel, Content::Stream(*w), &stop).err());
            (s, failed)
        });
        let rendered = rest().and_then(|files| {
            let mut s = Staged::new(fs, out_dir);
            s.check_links(files.iter().map(|(rel, _)| rel.as_str()))?;
            let failed = files
                .iter()
                .find_map(|(rel, bytes)| s.stage(rel, Content::Bytes(bytes), &stop).err());
            Ok((
                s,
                failed,
                files.into_iter().map(|(rel, _)| rel).collect::<Vec<_>>(),
            ))
        });
        if rendered.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let streamed = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (streamed, rendered)
    });
    let (stream_staged, stream_failed) = streamed;
    staged.targets.extend(stream_staged.targets);
    staged.tmps.extend(stream_staged.tmps);
    let (rest_staged, rest_failed, rest_paths) = match rendered {
        Ok(r) => r,
        Err(mut e) => {
            e.message.push_str(&staged.cleanup(0));
            return Err(e);
        }
    };
    staged.targets.extend(rest_staged.targets);
    staged.tmps.extend(rest_staged.tmps);
    if let Some(m) = stream_failed.or(rest_failed) {
        return Err(staged.fail(&m));
    }
    staged.commit()?;
    Ok(streams
        .iter()
        .map(|(rel, _)| rel.clone())
        .chain(rest_paths)
        .collect())
}

/// The list of files a report folder holds (one relative path a line), written with them: the
/// next run removes the files it lists that it no longer writes (a scenario dropped, a format
/// not asked for), and never anything else.
pub const MANIFEST: &str = ".footprint-report-files";

/// The manifest of `paths` (sorted, one a line).
pub fn manifest(paths: &[&str]) -> Vec<u8> {
    let mut v: Vec<&str> = paths.to_vec();
    v.push(MANIFEST);
    v.sort_unstable();
    v.dedup();
    let mut out = v.join("\n");
    out.push('\n');
    out.into_bytes()
}

/// A path the manifest may name: relative, `/`-separated, at most two parts of
/// `[A-Za-z0-9._-]`, no `..` (a tampered manifest cannot reach outside the folder).
fn safe_relative(p: &str) -> bool {
    let parts: Vec<&str> = p.split('/').collect();
    parts.len() <= 2
        && parts.iter().all(|c| {
            !c.is_empty()
                && *c != "."
                && *c != ".."
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        })
}

/// The files the previous run's manifest in `dir` lists (none when there is none).
pub fn read_manifest(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(MANIFEST))
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| safe_relative(l))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Removes the files of `old` (a previous manifest) that are not in `new`, unless they are
/// inputs. Returns the ones that could not be removed.
pub fn remove_stale(
    fs: &dyn FileSystem,
    dir: &Path,
    old: &[String],
    new: &[&str],
    inputs: &[PathBuf],
) -> Vec<PathBuf> {
    let inputs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut failed = Vec::new();
    for rel in old {
        if new.contains(&rel.as_str()) {
            continue;
        }
        let path = rel.split('/').fold(dir.to_path_buf(), |p, c| p.join(c));
        // Never through a linked folder, never a link: only plain files inside `dir`.
        if symlinked_folder(fs, dir, &path).is_some() || fs.is_symlink(&path) {
            continue;
        }
        let is_input = std::fs::canonicalize(&path).is_ok_and(|c| inputs.contains(&c));
        if !is_input && path.is_file() {
            if fs.remove_file(&path).is_err() {
                failed.push(path);
            } else if let Some(parent) = path.parent().filter(|p| *p != dir) {
                // Best effort: a sub-folder left empty goes too (fails if anything is in it).
                let _ = std::fs::remove_dir(parent);
            }
        }
    }
    failed
}

/// Refuses to write any of `outputs` over one of `inputs` (compared after resolving `.`, `..`
/// and links of the folders; outputs that do not exist yet cannot collide).
///
/// # Errors
///
/// A usage error naming the input that would be overwritten.
pub fn refuse_overwriting_inputs(outputs: &[PathBuf], inputs: &[PathBuf]) -> Result<(), CliError> {
    let canonical_inputs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    for out in outputs {
        let Ok(out_canonical) = std::fs::canonicalize(out) else {
            continue; // does not exist yet
        };
        if let Some(i) = canonical_inputs.iter().position(|p| *p == out_canonical) {
            return Err(CliError::usage(format!(
                "refusing to write {} over the input file {}; choose another --out folder",
                out.display(),
                inputs
                    .iter()
                    .find(|p| std::fs::canonicalize(p).ok().as_ref() == Some(&canonical_inputs[i]))
                    .map_or_else(
                        || out_canonical.display().to_string(),
                        |p| p.display().to_string()
                    )
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// The real disk, except that the `fail_at`-th write stops half-way with an error, or the
    /// `fail_rename_at`-th rename fails.
    pub(crate) struct Failing {
        fail_at: Option<usize>,
        fail_rename_at: Option<usize>,
        writes: AtomicUsize,
        renames: AtomicUsize,
    }

    impl Failing {
        pub(crate) fn write_fails(n: usize) -> Self {
            Failing {
                fail_at: Some(n),
                fail_rename_at: None,
                writes: AtomicUsize::new(0),
                renames: AtomicUsize::new(0),
            }
        }
        pub(crate) fn rename_fails(n: usize) -> Self {
            Failing {
                fail_at: None,
                fail_rename_at: Some(n),
                writes: AtomicUsize::new(0),
                renames: AtomicUsize::new(0),
            }
        }
    }

    impl FileSystem for Failing {
        fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
            Disk.create_dir_all(dir)
        }
        fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
            let n = self.writes.fetch_add(1, Ordering::Relaxed);
            if Some(n) == self.fail_at {
                // Half the file reaches the disk, then the disk is full.
                std::fs::write(path, &bytes[..bytes.len() / 2])?;
                return Err(io::Error::other("No space left on device (simulated)"));
            }
            Disk.write(path, bytes)
        }
        fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
            let n = self.renames.fetch_add(1, Ordering::Relaxed);
            if Some(n) == self.fail_rename_at {
                return Err(io::Error::other("rename refused (simulated)"));
            }
            Disk.rename(from, to)
        }
        fn remove_file(&self, path: &Path) -> io::Result<()> {
            Disk.remove_file(path)
        }
        fn create(&self, path: &Path) -> io::Result<Box<dyn Write + Send>> {
            let n = self.writes.fetch_add(1, Ordering::Relaxed);
            if Some(n) == self.fail_at {
                // The file is created; the disk fills up after 16 bytes.
                return Ok(Box::new(FullAfter(Disk.create(path)?, 16)));
            }
            Disk.create(path)
        }
    }

    /// A writer that takes `.1` more bytes, then fails as a full disk does.
    struct FullAfter(Box<dyn Write + Send>, usize);

    impl Write for FullAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.1 == 0 {
                return Err(io::Error::other("No space left on device (simulated)"));
            }
            let n = buf.len().min(self.1);
            self.1 -= n;
            self.0.write(&buf[..n])
        }
        fn flush(&mut self) -> io::Result<()> {
            self.0.flush()
        }
    }

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            ("tables/by-mode.csv".into(), b"mode,t\ntrain,1\n".to_vec()),
            ("summary.json".into(), b"{\"new\": true}\n".to_vec()),
            ("report.md".into(), b"# New\n".to_vec()),
            ("index.html".into(), b"<!DOCTYPE html><p>new</p>".to_vec()),
        ]
    }

    fn write(fs: &dyn FileSystem, dir: &Path) -> Result<(), CliError> {
        write_all_streaming(fs, dir, &[], || Ok(files())).map(|_| ())
    }

    /// Every file under `dir`, relative, sorted, with its content.
    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.push((rel, std::fs::read_to_string(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn all_files_arrive_with_no_temporary_files_left() {
        let dir = tempfile::tempdir().unwrap();
        write(&Disk, dir.path()).unwrap();
        let got = listing(dir.path());
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "index.html",
                "report.md",
                "summary.json",
                "tables/by-mode.csv"
            ]
        );
    }

    #[test]
    fn a_failing_write_leaves_a_new_folder_empty() {
        for fail_at in 0..4 {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("report");
            let err = write(&Failing::write_fails(fail_at), &out).unwrap_err();
            assert!(
                err.message.contains("nothing was written"),
                "{}",
                err.message
            );
            assert!(err.message.contains("simulated"), "{}", err.message);
            assert_eq!(
                listing(&out),
                Vec::<(String, String)>::new(),
                "fail at {fail_at}"
            );
        }
    }

    #[test]
    fn a_failing_write_leaves_an_old_report_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let old = [
            ("index.html", "<p>old</p>"),
            ("report.md", "# Old\n"),
            ("summary.json", "{\"old\": true}\n"),
        ];
        for (name, text) in old {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let before = listing(dir.path());
        write(&Failing::write_fails(3), dir.path()).unwrap_err();
        assert_eq!(listing(dir.path()), before);
    }

    #[test]
    fn one_file_is_replaced_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old\n").unwrap();
        write_file(&Failing::write_fails(0), &path, b"new\n").unwrap_err();
        write_file(&Failing::rename_fails(0), &path, b"new\n").unwrap_err();
        assert_eq!(
            listing(dir.path()),
            vec![("out.csv".into(), "old\n".into())]
        );
        write_file(&Disk, &path, b"new\n").unwrap();
        assert_eq!(
            listing(dir.path()),
            vec![("out.csv".into(), "new\n".into())]
        );
    }

    #[test]
    fn a_streamed_output_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.csv");
        let full = Failing::write_fails(0);
        let mut o = Output::open(&full, &path).unwrap();
        let err = o.write(&[b'x'; 64]).unwrap_err();
        assert!(err.message.contains("audit.csv"), "{}", err.message);
        o.discard();
        assert_eq!(listing(dir.path()), vec![], "the half file is removed");
        let mut o = Output::open(&Disk, &path).unwrap();
        o.write(b"a,b\n").unwrap();
        assert!(!path.exists(), "visible before the commit");
        o.discard();
        assert_eq!(listing(dir.path()), vec![]);
        let failing = Failing::rename_fails(0);
        let mut o = Output::open(&failing, &path).unwrap();
        o.write(b"a,b\n").unwrap();
        o.commit().unwrap_err();
        assert_eq!(listing(dir.path()), vec![], "no temporary file left");
        let mut o = Output::open(&Disk, &path).unwrap();
        o.write(b"a,b\n").unwrap();
        o.commit().unwrap();
        assert_eq!(
            listing(dir.path()),
            vec![("audit.csv".into(), "a,b\n".into())]
        );
    }

    #[test]
    fn a_streamed_file_of_a_set_is_written_in_pieces_or_not_at_all() {
        let stream = |w: &mut dyn Write| -> io::Result<()> {
            for i in 0..1000 {
                writeln!(w, "line {i}")?;
            }
            Ok(())
        };
        let streams: [(String, Stream<'_>); 1] = [("audit.csv".to_string(), &stream)];
        let page = || Ok(vec![("index.html".to_string(), b"new".to_vec())]);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        // The stream's disk fills up half-way (the page is the second write): nothing
        // arrives, no temporary file is left.
        let full = Failing::write_fails(0);
        let err = write_all_streaming(&full, &out, &streams, || {
            // The page is made once the stream has opened its file.
            while full.writes.load(Ordering::Relaxed) == 0 {
                std::thread::yield_now();
            }
            page()
        })
        .unwrap_err();
        assert!(err.message.contains("audit.csv"), "{}", err.message);
        assert!(err.message.contains("simulated"), "{}", err.message);
        assert_eq!(listing(&out), vec![]);
        // The rest failing stops the stream and removes its temporary file.
        let err = write_all_streaming(&Disk, &out, &streams, || {
            Err::<Vec<_>, _>(CliError::data("cannot render (simulated)"))
        })
        .unwrap_err();
        assert!(err.message.starts_with("cannot render"), "{}", err.message);
        assert_eq!(listing(&out), vec![]);
        let written = write_all_streaming(&Disk, &out, &streams, page).unwrap();
        assert_eq!(written, ["audit.csv", "index.html"]);
        let got = listing(&out);
        assert_eq!(got[1], ("index.html".into(), "new".into()));
        assert_eq!(got[0].0, "audit.csv");
        assert_eq!(got[0].1.lines().count(), 1000);
        assert!(got[0].1.ends_with("line 999\n"));
    }

    #[test]
    fn a_failing_rename_never_leaves_a_new_entry_point() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>old</p>").unwrap();
        let err = write(&Failing::rename_fails(2), dir.path()).unwrap_err();
        assert!(
            err.message.contains("2 of 4 files were replaced"),
            "{}",
            err.message
        );
        let got = listing(dir.path());
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        // The first two arrived; the old page is gone and the new one did not arrive; no
        // temporary file is left.
        assert_eq!(names, ["summary.json", "tables/by-mode.csv"]);
    }

    #[test]
    fn stale_files_of_the_previous_report_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("charts")).unwrap();
        for f in [
            "index.html",
            "charts/old.svg",
            "charts/kept.svg",
            "notes.txt",
            "input.json",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        std::fs::write(
            d.join(MANIFEST),
            "index.html\ncharts/old.svg\ncharts/kept.svg\ninput.json\n../outside.txt\n/etc/passwd\n",
        )
        .unwrap();
        let old = read_manifest(d);
        assert_eq!(
            old,
            [
                "index.html",
                "charts/old.svg",
                "charts/kept.svg",
                "input.json"
            ]
        );
        let failed = remove_stale(
            &Disk,
            d,
            &old,
            &["index.html", "charts/kept.svg"],
            &[d.join("input.json")],
        );
        assert!(failed.is_empty());
        assert!(!d.join("charts/old.svg").exists());
        for kept in ["index.html", "charts/kept.svg", "notes.txt", "input.json"] {
            assert!(d.join(kept).exists(), "{kept} removed");
        }
        assert_eq!(
            String::from_utf8(manifest(&["b.csv", "a/x.svg"])).unwrap(),
            ".footprint-report-files\na/x.svg\nb.csv\n"
        );
    }

    #[test]
    fn inputs_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("summary.json");
        std::fs::write(&input, "{}").unwrap();
        let via_dots = dir.path().join("sub/../summary.json");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let err = refuse_overwriting_inputs(&[via_dots], std::slice::from_ref(&input)).unwrap_err();
        assert_eq!(err.code, 2);
        assert!(err.message.contains("refusing to write"), "{}", err.message);
        // A new file, or another existing file, is fine.
        let other = dir.path().join("index.html");
        refuse_overwriting_inputs(std::slice::from_ref(&other), std::slice::from_ref(&input))
            .unwrap();
        std::fs::write(&other, "x").unwrap();
        refuse_overwriting_inputs(&[other], &[input]).unwrap();
    }
}
