//! `xsoar-rel schema check FILE`: validate a schema file and print a one-line summary, or
//! every error found. (`schema diff` is in [`crate::diff_cmd`].)

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::context::Context;
use crate::error::Error;
use crate::exit::Exit;

/// The `after_help` text of `schema check`.
pub(crate) const CHECK_HELP: &str = "\
Prints `FILE: ok — N relationship names, T types, X expanded triples` and exits 0, or prints
each error as `… at FILE:LINE:COLUMN; did you mean …?` on stderr and exits 1; exits 2 when
FILE cannot be read.

Example:
  xsoar-rel schema check schemas/xsoar.json";

#[derive(Debug, Clone, Args)]
pub(crate) struct SchemaCheckArgs {
    /// The schema file to check.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
}

/// Runs `schema check`: the summary to stdout, or the errors to stderr.
pub(crate) fn run(ctx: &Context<'_>, args: &SchemaCheckArgs) -> Result<Exit, Error> {
    let file = &args.file;
    match relationship_schema_parse::load(file) {
        Ok(s) => {
            let (file, rels, types) = (file.display(), s.relationships().len(), s.types().len());
            let counts = format!("{rels} relationship names, {types} types");
            let text = format!(
                "{file}: ok — {counts}, {} expanded triples\n",
                s.triple_count()
            );
            ctx.answer(&text, Exit::Ok)
        }
        Err(errors) => {
            let mut text = errors.to_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let _ = ctx.stderr().write_all(text.as_bytes());
            Ok(Exit::for_schema_errors(&errors))
        }
    }
}
