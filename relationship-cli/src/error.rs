//! The one error type of the subcommands: a message and its exit code.

use std::fmt;
use std::io;
use std::path::Path;

use relationship_codegen::OutputError;
use relationship_schema::SchemaErrors;

use crate::exit::Exit;

/// Why a subcommand ended early. The dispatcher prints it once, as
/// `xsoar-rel COMMAND: MESSAGE`, and exits with [`Error::exit`].
#[derive(Debug)]
pub(crate) struct Error {
    exit: Exit,
    message: String,
}

impl Error {
    /// An error with this exit code.
    pub(crate) fn new(exit: Exit, message: impl Into<String>) -> Self {
        Error {
            exit,
            message: message.into(),
        }
    }

    /// A usage error, or a file that cannot be read or written (exit 2).
    pub(crate) fn usage_or_io(message: impl Into<String>) -> Self {
        Error::new(Exit::UsageOrIo, message)
    }

    /// Data that was read and is invalid (exit 1).
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::new(Exit::Invalid, message)
    }

    /// A file that cannot be read (exit 2).
    pub(crate) fn cannot_read(path: &Path, reason: impl fmt::Display) -> Self {
        Error::usage_or_io(format!("cannot read {}: {reason}", path.display()))
    }

    /// A schema that cannot be loaded: exit 2 when it cannot be read, 1 when it is invalid.
    pub(crate) fn schema(errors: &SchemaErrors) -> Self {
        Error::new(Exit::for_schema_errors(errors), errors.to_string())
    }

    /// Output that cannot be written (exit 2); a closed pipe is named as such.
    pub(crate) fn output(e: &io::Error) -> Self {
        Error::usage_or_io(write_failure(e))
    }

    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        self.exit
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message.trim_end())
    }
}

impl From<OutputError> for Error {
    /// An output file that was refused or could not be written (the message names it, never
    /// a temporary file).
    fn from(e: OutputError) -> Self {
        Error::usage_or_io(format!("cannot write {e}"))
    }
}

/// The message for output that could not be written. A closed pipe (the reader went away,
/// as with `| head -1`) is named as such: what was written is incomplete.
pub(crate) fn write_failure(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::BrokenPipe {
        "output closed before the run finished (broken pipe): the output is incomplete".to_owned()
    } else {
        format!("cannot write output: {e}")
    }
}
