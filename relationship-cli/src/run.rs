//! Running a parsed command line: one subcommand, its error printed once.
//!
//! Every subcommand is `run(&Context, &Args) -> Result<Exit, Error>`; the exit codes are the
//! one table in [`crate::exit`].

use crate::cli::{Cli, Command, SchemaCommand};
use crate::context::Context;
use crate::exit::Exit;

/// Runs a parsed command line with the process's stdin, stdout and stderr, removing its
/// temporary files if a signal ends it.
pub fn run(cli: &Cli) -> Exit {
    crate::signals::install();
    let stderr = std::io::BufWriter::new(std::io::stderr());
    let ctx = Context::new(cli.command.name(), std::io::stdout(), stderr);
    run_command(&ctx, &cli.command)
}

/// Runs `command` in `ctx`; an error is printed as `xsoar-rel COMMAND: MESSAGE`.
pub(crate) fn run_command(ctx: &Context<'_>, command: &Command) -> Exit {
    let result = match command {
        Command::Schema(SchemaCommand::Check(args)) => crate::schema_cmd::run(ctx, args),
        Command::Schema(SchemaCommand::Diff(args)) => crate::diff_cmd::run(ctx, args),
        Command::Schema(SchemaCommand::ImportTypes(args)) => {
            crate::import_types_cmd::run(ctx, args)
        }
        Command::Schema(SchemaCommand::Explain(args)) => crate::explain_cmd::run(ctx, args),
        Command::Generate(args) => crate::generate_cmd::run(ctx, args),
        Command::Render(args) => crate::render_cmd::run(ctx, args),
        Command::Batch(args) => crate::batch_cmd::run(ctx, args),
        Command::ConvertStix(args) => crate::convert_stix_cmd::run(ctx, args),
        Command::Validate(args) => crate::validate_cmd::run(ctx, args),
    };
    // Standard error is flushed when `ctx` is dropped.
    result.unwrap_or_else(|e| {
        ctx.say(&e);
        e.exit()
    })
}
