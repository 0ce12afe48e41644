//! Running a parsed command line: the schema to check against, then one subcommand.
//!
//! Every subcommand returns an [`Exit`] from the one table in [`crate::exit`].

use std::io::{self, Write};
use std::path::Path;

use relationship_core::check::Mode;
use relationship_schema::Schema;

use crate::cli::{Cli, Command, SchemaCommand};
use crate::exit::Exit;
use crate::input::{RunError, with_io};

/// Runs a parsed command line with the process's stdin, stdout and stderr.
pub fn run(cli: &Cli) -> Exit {
    let stderr = io::stderr();
    let mut diag = io::BufWriter::new(stderr.lock());
    let exit = match dispatch(cli, &mut diag) {
        Ok(exit) => exit,
        Err(e) => {
            let _ = writeln!(diag, "xsoar-rel {}: {e}", command_name(&cli.command));
            e.exit()
        }
    };
    let _ = diag.flush();
    exit
}

fn dispatch<E: Write>(cli: &Cli, diag: &mut E) -> Result<Exit, RunError> {
    match &cli.command {
        Command::Schema(SchemaCommand::Check(args)) => {
            Ok(crate::schema_cmd::run(args, &mut io::stdout().lock(), diag))
        }
        Command::Schema(SchemaCommand::Diff(args)) => {
            Ok(crate::diff_cmd::run(args, &mut io::stdout().lock(), diag))
        }
        Command::Schema(SchemaCommand::ImportTypes(args)) => Ok(crate::import_types_cmd::run(
            args,
            &mut io::stdout().lock(),
            diag,
        )),
        Command::Schema(SchemaCommand::Explain(args)) => {
            let schema = load_schema(cli.global.schema.as_deref())?;
            Ok(crate::explain_cmd::run(
                args,
                schema,
                &mut io::stdout().lock(),
                diag,
            ))
        }
        Command::Generate(args) => Ok(crate::generate_cmd::run(
            args,
            cli.global.schema.as_deref(),
            &mut io::stdout().lock(),
            diag,
        )),
        Command::Render(args) => {
            let schema = load_schema(cli.global.schema.as_deref())?;
            let mode = mode(cli.global.lenient);
            with_io("render", &args.io, diag, |input, out, diag| {
                crate::render_cmd::render(schema, mode, args, input, out, diag)
            })
        }
        Command::Batch(args) => {
            let schema = load_schema(cli.global.schema.as_deref())?;
            let mode = mode(cli.global.lenient);
            with_io("batch", &args.io, diag, |input, out, diag| {
                crate::batch_cmd::batch(schema, mode, args, input, out, diag)
            })
        }
        Command::ConvertStix(args) => {
            let schema = load_schema(cli.global.schema.as_deref())?;
            let mode = mode(cli.global.lenient);
            Ok(crate::convert_stix_cmd::run(
                args,
                schema,
                cli.global.schema.as_deref(),
                mode,
                diag,
            ))
        }
        Command::Validate(args) => {
            let schema = load_schema(cli.global.schema.as_deref())?;
            let lenient = cli.global.lenient;
            let stdout = &mut io::stdout().lock();
            Ok(crate::validate_cmd::run(
                args, schema, lenient, stdout, diag,
            ))
        }
    }
}

/// The command's name, as every message of it starts: `xsoar-rel NAME: `.
pub fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Schema(SchemaCommand::Check(_)) => "schema check",
        Command::Schema(SchemaCommand::Diff(_)) => "schema diff",
        Command::Schema(SchemaCommand::ImportTypes(_)) => "schema import-types",
        Command::Schema(SchemaCommand::Explain(_)) => "schema explain",
        Command::Generate(_) => "generate",
        Command::Render(_) => "render",
        Command::Batch(_) => "batch",
        Command::ConvertStix(_) => "convert-stix",
        Command::Validate(_) => "validate",
    }
}

fn mode(lenient: bool) -> Mode {
    if lenient { Mode::Lenient } else { Mode::Strict }
}

/// The `--schema` file, or the built-in XSOAR schema.
fn load_schema(path: Option<&Path>) -> Result<&'static Schema, RunError> {
    match path {
        None => Ok(relationship_core::xsoar::schema()),
        // The schema lives as long as the process; leaking it gives every subcommand the
        // same `&'static Schema` whichever way it was obtained.
        Some(p) => relationship_schema_parse::load(p)
            .map(|s| &*Box::leak(Box::new(s)))
            .map_err(RunError::Schema),
    }
}
