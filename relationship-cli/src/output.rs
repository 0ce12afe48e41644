//! Output files that are never seen half-written, and the check that an output is not one of
//! the inputs.
//!
//! [`AtomicFile`] writes to a temporary file in the directory of the destination and renames
//! it into place only in [`AtomicFile::commit`], at the very end of a successful run. On an
//! error, a panic or a signal that ends the process (SIGTERM, SIGINT) nothing is renamed, so
//! the previous file at the destination, if any, is left as it was; the temporary file is
//! removed when the run ends normally and may be left over (named `.NAME.*.tmp`, never NAME)
//! when the process is killed.
//!
//! A destination that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO)
//! is written directly: it cannot be replaced, and for it, as for standard output, the exit
//! status is the completeness signal.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::exit::Exit;
use crate::input::BUF_SIZE;

/// A file output: a temporary file renamed into place on [`commit`](AtomicFile::commit), or a
/// special file (device, FIFO) written directly.
pub struct AtomicFile {
    dest: PathBuf,
    target: Target,
}

enum Target {
    Temp(BufWriter<tempfile::NamedTempFile>),
    Direct(BufWriter<File>),
}

impl AtomicFile {
    /// Prepares to write `path`: creates a temporary file next to it (next to the file a
    /// symbolic link points to, so that the link is kept), with the permissions of the file
    /// it replaces, or the usual ones for a new file.
    ///
    /// # Errors
    ///
    /// When the directory is not writable or the destination is a directory.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let dest = match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(path) {
                Ok(resolved) => resolved,
                // A dangling link: write where it points, as creating through it would.
                Err(_) => match fs::read_link(path) {
                    Ok(to) if to.is_absolute() => to,
                    Ok(to) => path.parent().unwrap_or(Path::new("")).join(to),
                    Err(e) => return Err(e),
                },
            },
            _ => path.to_path_buf(),
        };
        let existing = fs::metadata(&dest).ok();
        if let Some(meta) = &existing {
            if meta.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "is a directory",
                ));
            }
            if !meta.is_file() {
                let file = fs::OpenOptions::new().write(true).open(&dest)?;
                return Ok(AtomicFile {
                    dest,
                    target: Target::Direct(BufWriter::with_capacity(BUF_SIZE, file)),
                });
            }
        }
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        let new_file_permissions = {
            use std::os::unix::fs::PermissionsExt;
            // Like `File::create`: 0666 less the umask (applied by the system on creation).
            fs::Permissions::from_mode(0o666)
        };
        #[cfg(unix)]
        builder.permissions(new_file_permissions);
        let tmp = builder.tempfile_in(dir)?;
        if let Some(meta) = &existing {
            // Keep the mode of the file being replaced.
            tmp.as_file().set_permissions(meta.permissions())?;
        }
        Ok(AtomicFile {
            dest,
            target: Target::Temp(BufWriter::with_capacity(BUF_SIZE, tmp)),
        })
    }

    /// Flushes everything and renames the temporary file into place. Dropping an
    /// `AtomicFile` without committing it removes the temporary file and leaves the
    /// destination untouched.
    ///
    /// # Errors
    ///
    /// When flushing, syncing or renaming fails; the destination is then untouched.
    pub fn commit(self) -> io::Result<()> {
        match self.target {
            Target::Direct(mut w) => w.flush(),
            Target::Temp(w) => {
                let tmp = w.into_inner().map_err(io::IntoInnerError::into_error)?;
                tmp.as_file().sync_all()?;
                tmp.persist(&self.dest).map(drop).map_err(|e| e.error)
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.target {
            Target::Temp(w) => w.write(buf),
            Target::Direct(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.target {
            Target::Temp(w) => w.write_all(buf),
            Target::Direct(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.target {
            Target::Temp(w) => w.flush(),
            Target::Direct(w) => w.flush(),
        }
    }
}

/// The message for output that could not be written. A closed pipe (the reader went away,
/// as with `| head -1`) is named as such: what was written is incomplete.
pub fn write_failure(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::BrokenPipe {
        "output closed before the run finished (broken pipe): the output is incomplete".to_owned()
    } else {
        format!("cannot write output: {e}")
    }
}

/// Writes a command's whole answer to `stdout` and returns `exit`; output that cannot be
/// written is one message on `diag` ([`write_failure`]) and exit 2.
pub fn write_answer<W: Write + ?Sized, E: Write + ?Sized>(
    stdout: &mut W,
    diag: &mut E,
    text: &str,
    exit: Exit,
) -> Exit {
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) => {
            let _ = writeln!(diag, "xsoar-rel: {}", write_failure(&e));
            let _ = diag.flush();
            Exit::UsageOrIo
        }
        Ok(()) => exit,
    }
}

/// What a path refers to, for telling whether two paths name the same file: the device and
/// inode of an existing file, or the absolute, resolved path of one that does not exist yet.
#[derive(Debug, PartialEq, Eq)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

fn identity(path: &Path) -> Option<Identity> {
    if path == Path::new("-") {
        return None;
    }
    if let Ok(meta) = fs::metadata(path) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            return Some(Identity::Inode(meta.dev(), meta.ino()));
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            return fs::canonicalize(path).ok().map(Identity::Path);
        }
    }
    // Not there yet: its directory resolved, plus its name.
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::canonicalize(dir)
        .ok()
        .map(|d| Identity::Path(d.join(name)))
}

/// Whether `a` and `b` name the same file (the same file through different spellings, links
/// included). `-` (standard input or output) is never the same as anything.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (identity(a), identity(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Refuses outputs that are also inputs, or that name the same file twice: the message for
/// the first such pair, naming both flags. `inputs` and `outputs` are `(what, path)` pairs,
/// such as `("the bundle", path)` and `("--output", path)`.
///
/// # Errors
///
/// The message to report (a usage error).
pub fn check_distinct(inputs: &[(&str, &Path)], outputs: &[(&str, &Path)]) -> Result<(), String> {
    for (i, (out_what, out)) in outputs.iter().enumerate() {
        for (in_what, input) in inputs {
            if same_file(out, input) {
                return Err(format!(
                    "{out_what} {} is the same file as {in_what} {}: refusing to overwrite an input",
                    out.display(),
                    input.display()
                ));
            }
        }
        for (other_what, other) in &outputs[..i] {
            if same_file(out, other) {
                return Err(format!(
                    "{out_what} {} is the same file as {other_what} {}: each output needs its own file",
                    out.display(),
                    other.display()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_renamed_before_commit() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.ndjson");
        fs::write(&dest, "old\n").unwrap();
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"new\n").unwrap();
        f.flush().unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "old\n");
        drop(f);
        assert_eq!(fs::read_to_string(&dest).unwrap(), "old\n");
        // the temporary file is gone
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);

        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"new\n").unwrap();
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "new\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_and_symbolic_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ndjson");
        fs::write(&real, "old\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.ndjson");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut f = AtomicFile::create(&link).unwrap();
        f.write_all(b"new\n").unwrap();
        f.commit().unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_directly() {
        let mut f = AtomicFile::create(Path::new("/dev/null")).unwrap();
        f.write_all(b"x").unwrap();
        f.commit().unwrap();
    }

    #[test]
    fn the_same_file_through_other_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        fs::write(&a, "{}").unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        let other_spelling = sub.join("..").join("a.json");
        assert!(same_file(&a, &other_spelling));
        assert!(!same_file(&a, &dir.path().join("b.json")));
        // two spellings of a file that does not exist yet
        let b1 = dir.path().join("b.json");
        let b2 = sub.join("..").join("b.json");
        assert!(same_file(&b1, &b2));
        assert!(!same_file(Path::new("-"), Path::new("-")));
        let err =
            check_distinct(&[("the bundle", &a)], &[("--output", &other_spelling)]).unwrap_err();
        assert!(err.contains("refusing to overwrite an input"), "{err}");
        let err = check_distinct(&[], &[("--output", &b1), ("--reject-file", &b2)]).unwrap_err();
        assert!(err.contains("each output needs its own file"), "{err}");
    }
}
