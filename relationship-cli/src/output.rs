//! Output files that are never seen half-written, and the check that an output is not one of
//! the inputs.
//!
//! [`AtomicFile`] is [`relationship_codegen::OutputFile`], the one output mechanism of the
//! project (its rules are listed in `relationship_codegen::output`), plus the removal of its
//! temporary file when SIGINT, SIGTERM or SIGHUP ends the process ([`crate::signals`]).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use relationship_codegen::{OutputError, OutputFile};

use crate::error::Error;

/// The output rules, for the `--help` of every command that writes files.
macro_rules! output_rules_help {
    () => {
        "Output files are written to a new temporary file in their directory
(`.NAME.XXXXXX.tmp`, created exclusively: never through an existing name) and renamed over
NAME only when the run succeeded; after an error, Ctrl-C, SIGTERM or SIGHUP NAME is as it was
and the temporary file is removed. A symbolic link is followed and kept; a special file
(/dev/null, /dev/stdout, a FIFO) is written directly. Refused with exit 2, before any work
and with nothing written: a directory (`out/`), a missing directory (never created), a
read-only file, a file owned by another user or with other hard links (replacing it would
drop its protection, change its owner or split it from its other names), an output that is
also an input (standard input included) or another output."
    };
}
pub(crate) use output_rules_help;

/// A file output: a temporary file renamed into place on [`commit`](OutputFile::commit), or a
/// special file (device, FIFO) written directly. Dropping it without committing it removes
/// the temporary file and leaves the destination untouched.
#[derive(Debug)]
pub(crate) struct AtomicFile {
    /// The file to write to.
    pub(crate) file: OutputFile,
    /// Dropped after `file`: by then the temporary file is removed or renamed.
    _temp: Option<Registered>,
}

/// A temporary file that a signal removes until this is dropped.
#[derive(Debug)]
struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        crate::signals::unregister(&self.0);
    }
}

impl AtomicFile {
    /// Prepares to write `path` by the rules of [`relationship_codegen::output`]; the error
    /// names `path`.
    pub(crate) fn create(path: &Path) -> Result<AtomicFile, OutputError> {
        let file = OutputFile::create(path)?;
        let temp = file.temp_path().map(|t| {
            crate::signals::register(t);
            Registered(t.to_path_buf())
        });
        Ok(AtomicFile { file, _temp: temp })
    }

    /// [`AtomicFile::create`] for an output that was asked for; the error says the output
    /// cannot be created (exit 2).
    pub(crate) fn create_if_asked(path: Option<&Path>) -> Result<Option<AtomicFile>, Error> {
        path.map(AtomicFile::create)
            .transpose()
            .map_err(|e| Error::usage_or_io(format!("cannot create {e}")))
    }

    /// Writes `bytes`, then commits (on an error the destination is untouched).
    pub(crate) fn write_and_commit(mut self, bytes: &[u8]) -> Result<(), OutputError> {
        if let Err(source) = self.file.write_all(bytes) {
            let path = self.file.path().to_path_buf();
            return Err(OutputError::Io { path, source });
        }
        self.file.commit()
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

#[cfg(unix)]
fn inode(meta: &fs::Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt;
    Identity::Inode(meta.dev(), meta.ino())
}

/// The identity of the file or pipe standard input reads from.
#[cfg(unix)]
fn stdin_identity() -> Option<Identity> {
    use std::os::fd::AsFd;
    let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
    Some(inode(&fs::File::from(fd).metadata().ok()?))
}

#[cfg(not(unix))]
fn stdin_identity() -> Option<Identity> {
    None
}

fn identity(path: &Path) -> Option<Identity> {
    if path == Path::new("-") {
        return None;
    }
    #[cfg(unix)]
    if let Ok(meta) = fs::metadata(path) {
        return Some(inode(&meta));
    }
    #[cfg(not(unix))]
    if fs::metadata(path).is_ok() {
        return fs::canonicalize(path).ok().map(Identity::Path);
    }
    // Not there yet: its directory resolved, plus its name.
    let name = path.file_name()?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = fs::canonicalize(dir.unwrap_or(Path::new("."))).ok()?;
    Some(Identity::Path(dir.join(name)))
}

/// Whether `path` is a character device such as `/dev/null` or a terminal.
#[cfg(unix)]
fn is_char_device(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

#[cfg(not(unix))]
fn is_char_device(_: &Path) -> bool {
    false
}

/// Whether `a` and `b` name the same file (the same file through different spellings, links
/// included). `-` (standard input or output) is never the same as anything.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    let a = identity(a);
    a.is_some() && a == identity(b)
}

/// A file a command reads or writes, if given: what names it (`"--output"`) and its path.
pub(crate) type Named<'a> = (&'a str, Option<&'a Path>);

/// Refuses outputs that are also inputs, or that name the same file twice: the usage error
/// for the first such pair, naming both, such as `("the bundle", path)` and `("--output",
/// path)`. An input `-` is standard input: an output that is the file (or pipe) standard
/// input reads from is refused too.
pub(crate) fn check_distinct(inputs: &[Named<'_>], outputs: &[Named<'_>]) -> Result<(), Error> {
    for (i, &(out_what, out)) in outputs.iter().enumerate() {
        // A character device (`/dev/null`, a terminal) is written, never replaced: it may be
        // an input or another output too. A pipe or a FIFO may not: writing into the pipe the
        // input comes from would feed the run its own output.
        let Some(out) = out.filter(|out| !is_char_device(out)) else {
            continue;
        };
        let out_id = identity(out);
        for &(in_what, input) in inputs {
            let (in_id, input) = match input {
                None => continue,
                Some(p) if p == Path::new("-") => (stdin_identity(), "- (standard input)".into()),
                Some(p) => (identity(p), p.display().to_string()),
            };
            if out_id.is_some() && out_id == in_id {
                return Err(Error::usage_or_io(format!(
                    "{out_what} {} is the same file as {in_what} {input}: refusing to overwrite an input",
                    out.display(),
                )));
            }
        }
        for &(other_what, other) in &outputs[..i] {
            if let Some(other) = other.filter(|other| same_file(out, other)) {
                return Err(Error::usage_or_io(format!(
                    "{out_what} {} is the same file as {other_what} {}: each output needs its own file",
                    out.display(),
                    other.display()
                )));
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
        f.file.write_all(b"new\n").unwrap();
        f.file.flush().unwrap();
        drop(f);
        assert_eq!(fs::read_to_string(&dest).unwrap(), "old\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut f = AtomicFile::create(&dest).unwrap();
        f.file.write_all(b"new\n").unwrap();
        f.file.commit().unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "new\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
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
        let err = check_distinct(
            &[("the bundle", Some(&a))],
            &[("--output", Some(&other_spelling))],
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("refusing to overwrite an input"), "{err}");
        let outputs = [("--output", Some(&*b1)), ("--reject-file", Some(&*b2))];
        let err = check_distinct(&[], &outputs).unwrap_err().to_string();
        assert!(err.contains("each output needs its own file"), "{err}");
    }
}
