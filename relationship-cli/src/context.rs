//! What every subcommand shares: its name, standard output and standard error.

use std::cell::{RefCell, RefMut};
use std::fmt::Display;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use crate::error::Error;
use crate::exit::Exit;

/// Size of the input and output buffers.
pub(crate) const BUF_SIZE: usize = 256 * 1024;

/// A boxed writer: standard output or error, or a buffer in tests.
pub(crate) type Sink<'io> = Box<dyn Write + 'io>;

/// The running subcommand's name and streams. Every message of a subcommand that is not
/// about one record or one line of its input starts with `xsoar-rel NAME: `.
pub(crate) struct Context<'io> {
    command: &'static str,
    stdout: RefCell<Sink<'io>>,
    stderr: RefCell<Sink<'io>>,
}

impl<'io> Context<'io> {
    /// A context writing to `stdout` and `stderr`.
    pub(crate) fn new(
        command: &'static str,
        stdout: impl Write + 'io,
        stderr: impl Write + 'io,
    ) -> Self {
        Context {
            command,
            stdout: RefCell::new(Box::new(stdout)),
            stderr: RefCell::new(Box::new(stderr)),
        }
    }

    /// Standard output, for the subcommand's answer.
    pub(crate) fn stdout(&self) -> RefMut<'_, Sink<'io>> {
        self.stdout.borrow_mut()
    }

    /// Standard error, for reports about records, files and lines.
    pub(crate) fn stderr(&self) -> RefMut<'_, Sink<'io>> {
        self.stderr.borrow_mut()
    }

    /// Writes `xsoar-rel COMMAND: message` as one line on standard error, and flushes it.
    pub(crate) fn say(&self, message: impl Display) {
        let mut stderr = self.stderr();
        let _ = writeln!(stderr, "xsoar-rel {}: {message}", self.command);
        let _ = stderr.flush();
    }

    /// Writes a subcommand's whole answer to standard output and returns `exit`.
    pub(crate) fn answer(&self, text: &str, exit: Exit) -> Result<Exit, Error> {
        let mut stdout = self.stdout();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| Error::output(&e))?;
        Ok(exit)
    }
}

/// Opens an input: `-` is standard input. Also the length of a regular file, for the
/// subcommands that check it before reading.
pub(crate) fn open_input(path: &Path) -> io::Result<(Box<dyn Read + Send>, Option<u64>)> {
    if path == Path::new("-") {
        return Ok((Box::new(io::stdin()), None));
    }
    let file = File::open(path)?;
    let meta = file.metadata().ok();
    let len = meta.filter(|m| m.is_file()).map(|m| m.len());
    Ok((Box::new(file), len))
}
