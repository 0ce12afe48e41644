//! Output files written completely or not at all: the one mechanism behind every file the
//! project writes ([`crate::Builder`], [`crate::write_if_changed`] and every `xsoar-rel`
//! command that takes an output file).
//!
//! The rules, in the order they are checked by [`OutputFile::create`]:
//!
//! 1. A path that names a directory (`out/`, `.`, `..`, an existing directory) is refused.
//! 2. A symbolic link is followed to its final target (through any chain of links, dangling
//!    or not); that target is written and the link is kept.
//! 3. An existing file that is not a regular file (`/dev/null`, `/dev/stdout`, a terminal, a
//!    FIFO) is written directly: it cannot be replaced.
//! 4. The directory of the target must exist; it is never created.
//! 5. An existing regular file is replaced only when the user could have written it in place
//!    (as the shell's `>` would): it must be owned by the user, have its owner's write
//!    permission (even for a user who could override it), be writable by the system's own
//!    check, and have no other hard link. A read-only file, a file owned by someone else and a file with
//!    other names are refused and left untouched, since replacing them would drop their
//!    protection, change their owner or split them from their other names.
//! 6. Everything else is written to a new temporary file created exclusively (never through
//!    an existing name) in the target's directory, named `.NAME.XXXXXX.tmp`, with the
//!    permissions of the file it replaces (or 0666 less the umask for a new file), and
//!    renamed over the target only by [`OutputFile::commit`]. Dropping an uncommitted
//!    [`OutputFile`] removes the temporary file and leaves the target as it was.
//!
//! Error messages name the target as the caller gave it, never the temporary file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// How many symbolic links are followed before giving up (as the system's `ELOOP`).
const MAX_LINKS: usize = 40;

const BUF_SIZE: usize = 256 * 1024;

/// Why an output file could not be prepared or written. Its message is the output as given
/// by the caller and the reason (`out.rs: it is read-only, ...`), for the caller to put
/// after a verb (`cannot write out.rs: ...`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// The output was refused by one of the rules of this module; nothing was written.
    #[error("{}: {reason}", path.display())]
    Refused {
        /// The output, as given.
        path: PathBuf,
        /// Which rule refused it.
        reason: String,
    },
    /// The system refused an operation.
    #[error("{}: {source}", path.display())]
    Io {
        /// The output, as given.
        path: PathBuf,
        /// The I/O error (without the name of any temporary file).
        source: io::Error,
    },
}

impl OutputError {
    fn refused(path: &Path, reason: impl Into<String>) -> OutputError {
        OutputError::Refused {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }

    fn io(path: &Path, source: io::Error) -> OutputError {
        OutputError::Io {
            path: path.to_path_buf(),
            source: without_path(source),
        }
    }
}

/// The error without the path `tempfile` adds to it (the temporary file's name): the OS
/// error alone, or its kind.
fn without_path(e: io::Error) -> io::Error {
    if e.raw_os_error().is_some() || e.get_ref().is_none() {
        return e;
    }
    let inner = e.get_ref().and_then(|inner| inner.source());
    match inner.and_then(|s| s.downcast_ref::<io::Error>()?.raw_os_error()) {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::from(e.kind()),
    }
}

/// A file being written: a temporary file renamed over the target on
/// [`commit`](OutputFile::commit), or a special file written directly.
#[derive(Debug)]
pub struct OutputFile {
    shown: PathBuf,
    dest: PathBuf,
    writer: BufWriter<File>,
    /// The temporary file `writer` writes; `None` for a special file.
    temp: Option<tempfile::TempPath>,
}

/// Whether the path as written names a directory: it ends with a separator (`out/`), or
/// its last part is `.` or `..` (`out/.`).
fn names_a_directory(path: &Path) -> bool {
    let text = path.to_string_lossy();
    let last = text.rsplit(std::path::is_separator).next().unwrap_or("");
    matches!(last, "" | "." | "..")
}

/// The directory of `path` (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Follows the symbolic links at `path` (dangling or not) to the name they end at.
fn resolve_links(shown: &Path) -> Result<PathBuf, OutputError> {
    let mut at = shown.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&at).map_err(|e| OutputError::io(shown, e))?;
                at = if to.is_absolute() {
                    to
                } else {
                    parent_of(&at).join(to)
                };
            }
            Ok(_) => return Ok(at),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(at),
            Err(e) => return Err(OutputError::io(shown, e)),
        }
    }
    Err(OutputError::refused(
        shown,
        "too many levels of symbolic links",
    ))
}

impl OutputFile {
    /// Prepares to write `path` by the rules of this module: checks the target, then opens
    /// the special file or creates the temporary file. Nothing is written to `path` yet.
    ///
    /// # Errors
    ///
    /// [`OutputError::Refused`] by a rule of this module, [`OutputError::Io`] when the
    /// target cannot be examined or the temporary file cannot be created.
    pub fn create(path: &Path) -> Result<OutputFile, OutputError> {
        if path.as_os_str().is_empty() {
            return Err(OutputError::refused(path, "an empty file name"));
        }
        if names_a_directory(path) || path.file_name().is_none() {
            return Err(OutputError::refused(
                path,
                "the name of a directory, not of a file",
            ));
        }
        let existing = metadata_if_exists(path, path)?;
        let dest = match &existing {
            Some(meta) if meta.is_dir() => {
                return Err(OutputError::refused(path, "it is a directory"));
            }
            Some(meta) if !meta.is_file() => return OutputFile::open_special(path),
            // An existing file: its real name, through every link.
            Some(_) => fs::canonicalize(path).map_err(|e| OutputError::io(path, e))?,
            None => resolve_links(path)?,
        };
        let dir = parent_of(&dest);
        let (prefix, problem) = match metadata_if_exists(dir, path)? {
            Some(m) if m.is_dir() => ("", ""),
            Some(_) => ("", "is not a directory"),
            None => ("the directory ", "does not exist (it is not created)"),
        };
        if !problem.is_empty() {
            let reason = format!("{prefix}{} {problem}", dir.display());
            return Err(OutputError::refused(path, reason));
        }
        if let Some(meta) = &existing {
            check_replaceable(path, &dest, meta)?;
        }
        let (file, temp) = create_temp_beside(path, &dest, existing.as_ref())?.into_parts();
        Ok(OutputFile::new(path, dest, file, Some(temp)))
    }

    /// Rule 3: a device, a FIFO, a socket, opened as the shell's `>` opens it.
    fn open_special(path: &Path) -> Result<OutputFile, OutputError> {
        let file = OpenOptions::new().write(true).open(path);
        let file = file.map_err(|e| OutputError::io(path, e))?;
        Ok(OutputFile::new(path, path.to_path_buf(), file, None))
    }

    fn new(shown: &Path, dest: PathBuf, file: File, temp: Option<tempfile::TempPath>) -> Self {
        OutputFile {
            shown: shown.to_path_buf(),
            dest,
            writer: BufWriter::with_capacity(BUF_SIZE, file),
            temp,
        }
    }

    /// The output as given to [`create`](OutputFile::create).
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// The temporary file, while there is one (to remove it when the process is ended by a
    /// signal).
    pub fn temp_path(&self) -> Option<&Path> {
        self.temp.as_deref()
    }

    /// Flushes everything and renames the temporary file over the target (for a special
    /// file: flushes it).
    ///
    /// # Errors
    ///
    /// When flushing, syncing or renaming fails; the target is then untouched and the
    /// temporary file removed.
    pub fn commit(self) -> Result<(), OutputError> {
        let shown = &self.shown;
        let file =
            (self.writer.into_inner()).map_err(|e| OutputError::io(shown, e.into_error()))?;
        let Some(temp) = self.temp else {
            return Ok(());
        };
        file.sync_all().map_err(|e| OutputError::io(shown, e))?;
        temp.persist(&self.dest)
            .map_err(|e| OutputError::io(shown, e.error))
    }
}

/// The metadata of `path` through links, or `None` when it does not exist; errors name
/// `shown`.
fn metadata_if_exists(path: &Path, shown: &Path) -> Result<Option<fs::Metadata>, OutputError> {
    match fs::metadata(path) {
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(OutputError::io(shown, e)),
    }
}

/// Rule 6: a new temporary file in the directory of `dest`, created exclusively, with the
/// permissions of the `existing` file it will replace (refused when that file is another
/// user's).
fn create_temp_beside(
    shown: &Path,
    dest: &Path,
    existing: Option<&fs::Metadata>,
) -> Result<tempfile::NamedTempFile, OutputError> {
    // At most 100 characters of the name, so that the temporary name stays within the
    // system's limit however long the name is.
    let name: String = dest
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(100).collect())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // As `File::create`: 0666 less the umask (applied by the system on creation).
    #[cfg(unix)]
    builder.permissions(fs::Permissions::from_mode(0o666));
    let io = |e| OutputError::io(shown, e);
    let tmp = builder.tempfile_in(parent_of(dest)).map_err(io)?;
    if let Some(meta) = existing {
        #[cfg(unix)]
        if tmp.as_file().metadata().map_err(io)?.uid() != meta.uid() {
            return Err(OutputError::refused(
                shown,
                "it is owned by another user, and replacing it would make it yours; \
                 nothing written",
            ));
        }
        // Keep the mode of the file being replaced.
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(io)?;
    }
    Ok(tmp)
}

/// Rule 5: an existing regular file is replaced only when the user could have written it
/// in place, and replacing it keeps what it was.
fn check_replaceable(shown: &Path, dest: &Path, meta: &fs::Metadata) -> Result<(), OutputError> {
    // The owner's write bit (the owner must be the user, below), whoever the user is: a
    // read-only file is refused even to a user who could override its mode.
    #[cfg(unix)]
    let read_only = meta.permissions().mode() & 0o200 == 0;
    #[cfg(not(unix))]
    let read_only = meta.permissions().readonly();
    if read_only {
        return Err(OutputError::refused(
            shown,
            "it is read-only (its owner may not write it); nothing written",
        ));
    }
    // Opening for writing (without truncating) asks the system the question `>` asks.
    match OpenOptions::new().write(true).open(dest) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return Err(OutputError::refused(
                shown,
                "it is not writable, and the shell's `>` would refuse it too; nothing written",
            ));
        }
        Err(e) => return Err(OutputError::io(shown, e)),
    }
    #[cfg(unix)]
    if meta.nlink() > 1 {
        return Err(OutputError::refused(
            shown,
            format!(
                "it has {} other hard link(s), and replacing it would split it from them; \
                 nothing written",
                meta.nlink() - 1
            ),
        ));
    }
    Ok(())
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Whether the regular file at `path` (through links) already holds exactly `bytes`,
/// compared in chunks, never read whole. A special file never does (it is not read).
pub fn holds_exactly(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read as _;
    let same_size = fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    if !same_size {
        return false;
    }
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let mut buf = [0; 8192];
    bytes.chunks(buf.len()).all(|want| {
        let got = &mut buf[..want.len()];
        file.read_exact(got).is_ok() && got == want
    }) && file.read(&mut [0]).is_ok_and(|n| n == 0)
}

/// Writes `bytes` to `path` by the rules of this module, unless `path` is a regular file
/// that already holds exactly these bytes. Returns whether it wrote.
///
/// # Errors
///
/// Any [`OutputError`]; `path` is then as it was.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, OutputError> {
    if holds_exactly(path, bytes) {
        return Ok(false);
    }
    let mut file = OutputFile::create(path)?;
    file.write_all(bytes)
        .map_err(|e| OutputError::io(path, e))?;
    file.commit()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn nothing_is_renamed_before_commit() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.ndjson");
        fs::write(&dest, "old\n").unwrap();
        let mut f = OutputFile::create(&dest).unwrap();
        f.write_all(b"new\n").unwrap();
        f.flush().unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "old\n");
        drop(f);
        assert_eq!(fs::read_to_string(&dest).unwrap(), "old\n");
        assert_eq!(entries(dir.path()), ["out.ndjson"]);
        let mut f = OutputFile::create(&dest).unwrap();
        f.write_all(b"new\n").unwrap();
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "new\n");
        assert_eq!(entries(dir.path()), ["out.ndjson"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_at_a_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "precious\n").unwrap();
        // The names an older version used, and a pattern like the one used now.
        for name in [
            format!(".out.rs.{}.tmp", std::process::id()),
            ".out.rs.tmp".to_owned(),
        ] {
            std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
        }
        let out = dir.path().join("out.rs");
        assert!(write_if_changed(&out, b"code\n").unwrap());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
        assert_eq!(fs::read_to_string(&out).unwrap(), "code\n");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_kept_and_modes_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.rs");
        fs::write(&real, "old\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.rs");
        let link2 = dir.path().join("link2.rs");
        std::os::unix::fs::symlink("real.rs", &link).unwrap();
        std::os::unix::fs::symlink("link.rs", &link2).unwrap();
        assert!(write_if_changed(&link2, b"new\n").unwrap());
        assert!(
            fs::symlink_metadata(&link2)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // a dangling link: the file is created where it points
        let dangling = dir.path().join("dangling.rs");
        std::os::unix::fs::symlink("made.rs", &dangling).unwrap();
        assert!(write_if_changed(&dangling, b"x\n").unwrap());
        assert_eq!(
            fs::read_to_string(dir.path().join("made.rs")).unwrap(),
            "x\n"
        );
        assert!(
            fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_directly() {
        assert!(write_if_changed(Path::new("/dev/null"), b"x").unwrap());
        let mut f = OutputFile::create(Path::new("/dev/null")).unwrap();
        assert!(f.temp_path().is_none());
        f.write_all(b"x").unwrap();
        f.commit().unwrap();
    }

    #[test]
    fn directories_and_missing_directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for p in [
            dir.path().to_path_buf(),
            dir.path().join("newdir/"),
            dir.path().join("newdir/."),
            dir.path().join("out.rs").join("."),
            dir.path().join(".."),
            dir.path().join("missing").join("out.rs"),
        ] {
            let err = OutputFile::create(&p).unwrap_err();
            assert!(matches!(err, OutputError::Refused { .. }), "{p:?}: {err}");
            assert!(
                err.to_string().starts_with(&format!("{}: ", p.display())),
                "{err}"
            );
        }
        assert!(!dir.path().join("missing").exists());
        assert!(entries(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn protected_files_are_refused_and_untouched() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ro = dir.path().join("ro.rs");
        fs::write(&ro, "old\n").unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_if_changed(&ro, b"new\n").unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(&ro).unwrap(), "old\n");
        let a = dir.path().join("a.rs");
        let b = dir.path().join("b.rs");
        fs::write(&a, "old\n").unwrap();
        fs::hard_link(&a, &b).unwrap();
        let err = write_if_changed(&a, b"new\n").unwrap_err();
        assert!(err.to_string().contains("hard link"), "{err}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "old\n");
        assert_eq!(entries(dir.path()), ["a.rs", "b.rs", "ro.rs"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_owned_by_another_user_is_refused() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("theirs.rs");
        fs::write(&theirs, "old\n").unwrap();
        let me = fs::metadata(&theirs).unwrap().uid();
        // Only a privileged user can give a file away; elsewhere there is nothing to test.
        if std::os::unix::fs::chown(&theirs, Some(me + 1), None).is_ok() {
            let err = write_if_changed(&theirs, b"new\n").unwrap_err();
            assert!(err.to_string().contains("another user"), "{err}");
            assert_eq!(fs::read_to_string(&theirs).unwrap(), "old\n");
            assert_eq!(fs::metadata(&theirs).unwrap().uid(), me + 1);
            assert_eq!(entries(dir.path()), ["theirs.rs"]);
        }
    }

    #[test]
    fn errors_name_the_target_not_the_temporary_file() {
        let e = io::Error::new(
            io::ErrorKind::PermissionDenied,
            "Permission denied (os error 13) at path \"/x/.out.rs.abc.tmp\"",
        );
        let err = OutputError::io(Path::new("out.rs"), e);
        assert!(!err.to_string().contains(".tmp"), "{err}");
        assert_eq!(err.to_string(), "out.rs: permission denied");
        // what `tempfile` reports names the temporary file; the message does not
        let e = tempfile::Builder::new()
            .prefix(".out.rs.")
            .tempfile_in("/nonexistent/dir")
            .unwrap_err();
        let err = OutputError::io(Path::new("out.rs"), e);
        assert!(!err.to_string().contains("nonexistent"), "{err}");
        assert!(err.to_string().starts_with("out.rs: "), "{err}");
    }
}
