//! `xsoar-rel generate`: write the typed Rust module of a schema, or check that a checked-in
//! copy is up to date.
//!
//! The code is exactly what [`relationship_codegen::Builder`] writes from a build script
//! for the same schema and options, so a project can switch between a checked-in file and
//! build-time generation without a diff.

use std::io;
use std::path::{Path, PathBuf};

use clap::Args;
use relationship_codegen::{GenerateError, GenerateOptions, Schema};

use crate::context::Context;
use crate::error::Error;
use crate::exit::Exit;
use crate::opts::SchemaOpt;
use crate::output::{AtomicFile, check_distinct};

/// The `after_help` text of `generate`.
pub(crate) const GENERATE_HELP: &str = concat!(
    "\
The output starts with an `// @generated` header naming the schema (the --schema path as
given, or --source-label) and is formatted with prettyplease. It is the same code a build
script gets from `relationship_codegen::Builder` with the same schema and options; include
it with `include!(\"path/to/file.rs\")` (with --module) or inside a module you write.

Exit codes: 0 written (or, with --check, up to date); 1 with --check when the --out file is
missing or differs (stale), or when the schema is invalid or one of its names is not a usable
Rust identifier; 2 on a bad option (--module, --runtime-path), a refused --out file or an
I/O error. A closed standard output (`| head`) is exit 2 with the line `output closed before
the run finished (broken pipe): the output is incomplete`.

--out is written only when its content changes (a file that may not be replaced but already
holds the code is up to date).
",
    crate::output::output_rules_help!(),
    "

Examples:
  xsoar-rel generate > src/xsoar_generated.rs
  xsoar-rel generate --schema schemas/hr.json --module hr --out src/hr_generated.rs
  xsoar-rel generate --schema schemas/hr.json --module hr --out src/hr_generated.rs --check"
);

#[derive(Debug, Clone, Args)]
pub(crate) struct GenerateArgs {
    /// Write the code to FILE (only if its content changed) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Write nothing: compare the code with the --out file and exit 1 if it is missing or
    /// differs (for CI).
    #[arg(long, requires = "out")]
    pub(crate) check: bool,
    /// Wrap the code in `pub mod NAME { ... }` with a doc comment naming the schema, so one
    /// `include!` defines the module. Without it the file holds bare items.
    #[arg(long = "module", value_name = "NAME")]
    pub(crate) module_name: Option<String>,
    /// The path generated code uses to name the runtime crate.
    #[arg(long, value_name = "PATH", default_value = "::relationship_core")]
    pub(crate) runtime_path: String,
    /// How the `@generated` header names the schema (default: the --schema path as given,
    /// or `schemas/xsoar.json` for the built-in schema).
    #[arg(long, value_name = "LABEL")]
    pub(crate) source_label: Option<String>,
    #[command(flatten)]
    pub(crate) schema: SchemaOpt,
}

/// The options for [`relationship_codegen::generate`] and the label of the schema.
fn options(args: &GenerateArgs, schema_path: Option<&Path>, schema: &Schema) -> GenerateOptions {
    // As the Builder does: the path as given, with `/` separators.
    let label = match (&args.source_label, schema_path, schema.source()) {
        (Some(label), _, _) => label.clone(),
        (None, Some(p), _) => p.display().to_string().replace('\\', "/"),
        (None, None, Some(p)) => p.display().to_string(),
        (None, None, None) => schema.name().to_owned(),
    };
    let mut options = GenerateOptions::default()
        .runtime_path(args.runtime_path.clone())
        .source_label(label);
    options.module_name = args.module_name.clone();
    options
}

/// The generated code for `schema`. A schema name that is not a Rust identifier is invalid
/// data (exit 1); a bad option a usage error.
pub(crate) fn generated_code(schema: &Schema, options: &GenerateOptions) -> Result<String, Error> {
    relationship_codegen::generate(schema, options).map_err(|source| {
        let exit = Exit::usage_or_io_if(!matches!(source, GenerateError::Ident { .. }));
        let label = options.source_label.as_deref().unwrap_or_default();
        Error::new(exit, format!("{label}: {source}"))
    })
}

/// The 1-based line at which `a` and `b` first differ (`None` when equal).
fn first_difference(a: &str, b: &str) -> Option<usize> {
    let (mut la, mut lb) = (a.split_inclusive('\n'), b.split_inclusive('\n'));
    let pairs = std::iter::from_fn(|| Some((la.next()?, lb.next()?)));
    (a != b).then(|| 1 + pairs.take_while(|(x, y)| x == y).count())
}

/// `--check`: how the --out file differs from `code`, generated from `label` (`None` when
/// it is up to date).
fn stale(out: &Path, code: &str, label: &str) -> Result<Option<String>, Error> {
    // A FIFO or a device is not read: it holds no checked-in code (and reading a FIFO could
    // wait forever).
    if std::fs::metadata(out).is_ok_and(|m| !m.is_file()) {
        let reason = "not a regular file: --check compares the code with a file";
        return Err(Error::cannot_read(out, reason));
    }
    match std::fs::read(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Some("does not exist".to_owned())),
        Err(e) => Err(Error::cannot_read(out, e)),
        Ok(bytes) => {
            let line = first_difference(&String::from_utf8_lossy(&bytes), code);
            let differs = "differs from the code generated from";
            Ok(line.map(|line| format!("{differs} {label} (first difference at line {line})")))
        }
    }
}

/// Quotes a command-line argument for a POSIX shell when it needs it.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// The command that regenerates the --out file with the same options.
pub(crate) fn regenerate_command(args: &GenerateArgs, schema_path: Option<&Path>) -> String {
    let runtime_path = (args.runtime_path != GenerateOptions::default().runtime_path)
        .then(|| args.runtime_path.clone());
    let options = [
        ("--schema", schema_path.map(|p| p.display().to_string())),
        ("--module", args.module_name.clone()),
        ("--runtime-path", runtime_path),
        ("--source-label", args.source_label.clone()),
        ("--out", args.out.as_ref().map(|o| o.display().to_string())),
    ];
    let given = options
        .into_iter()
        .filter_map(|(f, v)| Some(format!(" {f} {}", shell_quote(&v?))));
    format!("xsoar-rel generate{}", given.collect::<String>())
}

/// Runs `generate` end to end: loads the schema, generates, then prints, writes or checks.
pub(crate) fn run(ctx: &Context<'_>, args: &GenerateArgs) -> Result<Exit, Error> {
    let schema_path = args.schema.path.as_deref();
    check_distinct(
        &[("--schema", schema_path)],
        &[("--out", args.out.as_deref())],
    )?;
    // The --out file is checked (and its temporary file created) before any work. A file
    // that may not be replaced (read-only, say) is still "up to date" when it already holds
    // the code, as for the Builder: that answer waits for the code.
    let file = match &args.out {
        Some(out) if !args.check => match AtomicFile::create(out) {
            Err(e) if !std::fs::metadata(out).is_ok_and(|m| m.is_file()) => {
                return Err(e.into());
            }
            file => Some(file),
        },
        _ => None,
    };
    let schema = args.schema.load()?;
    let options = options(args, schema_path, schema);
    let code = generated_code(schema, &options)?;
    let Some(out) = args.out.as_deref() else {
        return ctx.answer(&code, Exit::Ok);
    };
    if let Some(file) = file {
        if relationship_codegen::output::holds_exactly(out, code.as_bytes()) {
            // Dropping the file removes its temporary file.
            drop(file);
            ctx.say(format_args!("{} is already up to date", out.display()));
        } else {
            file?.write_and_commit(code.as_bytes())?;
        }
        return Ok(Exit::Ok);
    }
    let label = options.source_label.as_deref().unwrap_or_default();
    let Some(what) = stale(out, &code, label)? else {
        ctx.say(format_args!("{} is up to date", out.display()));
        return Ok(Exit::Ok);
    };
    ctx.say(format_args!(
        "stale: {} {what}; regenerate with `{}`",
        out.display(),
        regenerate_command(args, schema_path)
    ));
    Ok(Exit::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(out: Option<&str>, check: bool) -> GenerateArgs {
        GenerateArgs {
            out: out.map(PathBuf::from),
            check,
            module_name: None,
            runtime_path: "::relationship_core".into(),
            source_label: None,
            schema: SchemaOpt::default(),
        }
    }

    #[test]
    fn first_difference_counts_lines() {
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
        assert_eq!(first_difference("a\nb\n", "a\nc\n"), Some(2));
        assert_eq!(first_difference("a\n", "a\nb\n"), Some(2));
        assert_eq!(first_difference("a", "a\n"), Some(1));
    }

    #[test]
    fn regenerate_command_repeats_the_options_quoted() {
        let mut a = args(Some("src/gen x.rs"), true);
        a.module_name = Some("hr".into());
        assert_eq!(
            regenerate_command(&a, Some(Path::new("schemas/hr.json"))),
            "xsoar-rel generate --schema schemas/hr.json --module hr --out 'src/gen x.rs'"
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn builtin_schema_is_labelled_with_its_path() {
        let schema = relationship_core::xsoar::schema();
        let code = generated_code(schema, &options(&args(None, false), None, schema)).unwrap();
        assert!(
            code.starts_with(
                "// @generated by relationship-codegen from `schemas/xsoar.json` (schema `xsoar`)."
            ),
            "{}",
            &code[..200]
        );
    }

    #[test]
    fn bad_runtime_path_is_an_error_with_exit_2() {
        let mut a = args(None, false);
        a.runtime_path = "not a path".into();
        let mut out = Vec::new();
        let mut diag = Vec::new();
        let ctx = Context::new("generate", &mut out, &mut diag);
        let exit = crate::run::run_command(&ctx, &crate::cli::Command::Generate(a));
        drop(ctx);
        assert_eq!(exit, Exit::UsageOrIo);
        assert!(out.is_empty());
        assert_eq!(
            String::from_utf8(diag).unwrap(),
            "xsoar-rel generate: schemas/xsoar.json: runtime path `not a path` is not a Rust path (e.g. `::relationship_core` or `crate`)\n"
        );
    }
}
