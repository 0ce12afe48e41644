//! The exit codes of `xsoar-rel`: one table for every subcommand ([`EXIT_CODES_HELP`]).
//! When a run meets more than one kind of failure (say, one unreadable file and one invalid
//! file for `validate`), the higher code wins.

use relationship_schema::{ErrorKind, SchemaErrors};

/// The exit code of a run. Ordered: the higher code is the worse outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Exit {
    /// 0: everything was valid and was done.
    #[default]
    Ok = 0,
    /// 1: the data was read and is invalid (or, for a check, the answer is "no").
    Invalid = 1,
    /// 2: a usage error, or a file that could not be read or written.
    UsageOrIo = 2,
}

impl Exit {
    /// The process exit code: 0, 1 or 2.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The code for a schema that could not be loaded: [`Exit::UsageOrIo`] when the file
    /// could not be read, [`Exit::Invalid`] when it was read and is not a valid schema.
    pub(crate) fn for_schema_errors(errors: &SchemaErrors) -> Exit {
        Exit::usage_or_io_if(errors.iter().any(|e| matches!(e.kind, ErrorKind::Io(_))))
    }

    /// [`Exit::UsageOrIo`] when `cond` (a usage error, a file that could not be read), else
    /// [`Exit::Invalid`].
    pub(crate) fn usage_or_io_if(cond: bool) -> Exit {
        if cond { Exit::UsageOrIo } else { Exit::Invalid }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// The exit-code table, as `--help` shows it.
pub const EXIT_CODES_HELP: &str = "\
Exit codes (every subcommand):
  0  ok
  1  invalid data: a bad record, an invalid schema, a batch violation, a malformed STIX
     bundle; for `schema diff` the schemas differ, for `generate --check` the file is stale
  2  usage or I/O: a bad flag or option value, a file that cannot be read or written";

#[cfg(test)]
mod tests {
    use super::*;
    use relationship_schema::SchemaError;

    #[test]
    fn codes_and_order() {
        assert_eq!(
            [Exit::Ok, Exit::Invalid, Exit::UsageOrIo].map(Exit::code),
            [0, 1, 2]
        );
        assert_eq!(Exit::Invalid.max(Exit::Ok), Exit::Invalid);
        assert_eq!(Exit::Invalid.max(Exit::UsageOrIo), Exit::UsageOrIo);
    }

    #[test]
    fn an_unreadable_schema_is_io_an_invalid_one_is_invalid() {
        let io = SchemaErrors::new(vec![SchemaError::new(
            "a.json",
            0,
            0,
            ErrorKind::Io("gone".into()),
        )]);
        assert_eq!(Exit::for_schema_errors(&io), Exit::UsageOrIo);
        let bad = relationship_schema_parse::parse_str("{\"name\": ", "b.json").unwrap_err();
        assert_eq!(Exit::for_schema_errors(&bad), Exit::Invalid);
    }
}
