//! `xsoar-rel schema import-types FILE_OR_DIR... [--base FILE] [-o OUT]`: a user schema that
//! is a base schema plus the custom indicator types of an XSOAR server or content pack.
//!
//! The library part is [`relationship_schema_parse::import_types`].

use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use relationship_schema::{Schema, limits};
use relationship_schema_parse::builtin::{XSOAR_SCHEMA_JSON, XSOAR_SCHEMA_PATH};
use relationship_schema_parse::import_types::{self, ImportError, ImportPlan};

use crate::context::Context;
use crate::error::Error;
use crate::exit::Exit;
use crate::output::{AtomicFile, check_distinct};

/// The `after_help` text of `schema import-types`.
pub(crate) const IMPORT_TYPES_HELP: &str = concat!(
    "\
Reads XSOAR indicator-type definitions (the JSON files that Settings > Indicator Types exports,
and that content packs keep under IndicatorTypes/; a directory means its *.json files, a
content pack's directory the files of its IndicatorTypes/) and
writes the base schema (default: the built-in XSOAR schema) with every type it does not have
appended to its `types` array; the rest of the base is kept byte for byte. A type's name is
its definition's `details` field, kept verbatim. New types take part only in relationships
that allow any pair (related-to, is-also) and rules over @all (duplicate-of, similar-to with
their own type) until you add rules that name them.

stderr lists the types added and those already in the base. A file that cannot be read, is
not an indicator-type definition, or a type that cannot be added (a control character in its
name, a name that differs from another only in letter case, a Rust marker clash, the same
name with another id in another file) is reported with file and reason, and nothing is
written: exit 1 (2 when a file cannot be read). In a directory only regular files (or links
to them) are read: another entry named *.json (a FIFO, a socket, a device, a dangling link)
is skipped, with a line on stderr saying so.

",
    crate::output::output_rules_help!(),
    "

Round trip:
  xsoar-rel schema import-types exported/ --base schemas/xsoar.json -o schemas/ours.json
  (add rules that name the new types to schemas/ours.json)
  xsoar-rel schema check schemas/ours.json
  xsoar-rel schema diff schemas/xsoar.json schemas/ours.json
  (generate the module in build.rs with relationship_codegen::Builder)"
);

#[derive(Debug, Clone, Args)]
pub(crate) struct ImportTypesArgs {
    /// Indicator-type definition files, or directories of them (their `*.json` files).
    #[arg(value_name = "FILE_OR_DIR", required = true)]
    pub(crate) inputs: Vec<PathBuf>,
    /// The schema to extend (default: the built-in XSOAR schema).
    #[arg(long, value_name = "FILE")]
    pub(crate) base: Option<PathBuf>,
    /// Write the schema to OUT (replaced only when the import succeeds) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,
}

/// Runs `schema import-types`: the schema to OUT or stdout, the report to stderr.
pub(crate) fn run(ctx: &Context<'_>, args: &ImportTypesArgs) -> Result<Exit, Error> {
    // Every file that will be read is an input: the files of a directory too.
    let (listed, mut errors) = list_all(ctx, &args.inputs);
    let definitions = args.inputs.iter().chain(&listed);
    let mut inputs: Vec<_> = definitions
        .map(|p| ("the definition", Some(&**p)))
        .collect();
    inputs.push(("--base", args.base.as_deref()));
    check_distinct(&inputs, &[("--output", args.output.as_deref())])?;
    // The output is checked (and prepared) before anything is read.
    let out_file = AtomicFile::create_if_asked(args.output.as_deref())?;
    let (base_text, base_path, base) = load_base(ctx, args.base.as_deref())?;
    let mut defs = Vec::new();
    for file in &listed {
        match import_types::read_definitions(file) {
            Ok(mut d) => defs.append(&mut d),
            Err(e) => errors.push(e),
        }
    }
    let mut plan = import_types::plan(&base, defs);
    errors.append(&mut plan.refused);
    if !errors.is_empty() {
        return Err(refuse(ctx, &errors));
    }
    let text = import_types::add_types(&base_text, &base_path, &plan.added)
        .map_err(|e| refuse(ctx, &[e]))?;
    let label = args.output.as_deref().unwrap_or(Path::new("<stdout>"));
    let result = import_types::check_result(&text, label).map_err(|errors| {
        ctx.say(format_args!(
            "the extended schema does not pass the check:\n{errors}"
        ));
        Error::invalid("nothing written")
    })?;
    match out_file {
        Some(file) => file.write_and_commit(text.as_bytes())?,
        None => _ = ctx.answer(&text, Exit::Ok)?,
    }
    report(&mut *ctx.stderr(), &plan, &base_path, &result);
    Ok(Exit::Ok)
}

/// The base schema's text, the path named in messages, and its model.
fn load_base(ctx: &Context<'_>, path: Option<&Path>) -> Result<(String, PathBuf, Schema), Error> {
    let (text, path) = match path {
        None => (XSOAR_SCHEMA_JSON.into(), PathBuf::from(XSOAR_SCHEMA_PATH)),
        Some(p) => (read_base(p)?, p.to_path_buf()),
    };
    match relationship_schema_parse::parse_str(&text, &path) {
        Ok(schema) => Ok((text, path, schema)),
        Err(errors) => {
            let _ = writeln!(ctx.stderr(), "{errors}");
            let invalid = format!(
                "the base schema {} is not valid; nothing written",
                path.display()
            );
            Err(Error::new(Exit::for_schema_errors(&errors), invalid))
        }
    }
}

/// The text of a base schema file: at most [`limits::MAX_SCHEMA_BYTES`] of UTF-8.
fn read_base(path: &Path) -> Result<String, Error> {
    let limit = limits::MAX_SCHEMA_BYTES;
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut bytes));
    let problem = match read {
        Err(e) => e.to_string(),
        Ok(_) if bytes.len() > limit => format!("larger than the limit of {limit} bytes"),
        Ok(_) => match String::from_utf8(bytes) {
            Ok(text) => return Ok(text),
            Err(e) => format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        },
    };
    let shown = path.display();
    Err(Error::usage_or_io(format!(
        "cannot read the base schema {shown}: {problem}"
    )))
}

/// The files of every input, and every input that could not be listed. A directory entry
/// that is not a regular file (a FIFO would block the run) is not read: it is reported.
fn list_all(ctx: &Context<'_>, inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<ImportError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        let scan = match import_types::scan_definition_files(input) {
            Ok(scan) => scan,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if scan.files.is_empty() {
            errors.push(ImportError::Invalid {
                file: input.clone(),
                reason: "a directory without *.json files".into(),
            });
        }
        for (path, what) in scan.skipped {
            let path = path.display();
            ctx.say(format_args!("skipped {path}: {what}, not a regular file"));
        }
        files.extend(scan.files);
    }
    (files, errors)
}

/// Reports every refusal; the error's exit code is 2 when a file could not be read, else 1.
fn refuse(ctx: &Context<'_>, errors: &[ImportError]) -> Error {
    for e in errors {
        ctx.say(e);
    }
    let exit = Exit::usage_or_io_if(errors.iter().any(ImportError::is_io));
    let n = errors.len();
    let problems = format!("{n} problem(s) in the indicator-type definitions; nothing written");
    Error::new(exit, problems)
}

/// The summary on stderr: what was added, what was already there, and the relationships the
/// new types take part in.
fn report(out: &mut dyn Write, plan: &ImportPlan, base_path: &Path, result: &Schema) {
    let (added, existing) = (plan.added.len(), plan.existing.len());
    let base = base_path.display();
    let _ = writeln!(
        out,
        "import-types: {added} type(s) added to {base}, {existing} already there"
    );
    for t in &plan.added {
        let marker = t.marker.as_ref().map(|m| format!(" (Rust marker `{m}`)"));
        let (name, file) = (&t.def.name, t.def.file.display());
        let marker = marker.unwrap_or_default();
        let _ = writeln!(out, "  added    {name}{marker} ({file})");
    }
    for d in &plan.existing {
        let _ = writeln!(out, "  present  {} ({})", d.name, d.file.display());
    }
    for (d, first) in &plan.repeated {
        let (name, file, first) = (&d.name, d.file.display(), first.display());
        let _ = writeln!(
            out,
            "  repeated {name} ({file}: the same id as in {first}, imported once)"
        );
    }
    if let Some(first) = plan.added.first() {
        let with = participation(result, &first.def.name);
        let more = "add rules that name them for more";
        let _ = writeln!(out, "new types take part in: {with}; {more}");
    }
}

/// The relationships a new type takes part in: with any type, or with its own type only.
fn participation(schema: &Schema, name: &str) -> String {
    let Some(id) = schema.type_id(name) else {
        return String::new();
    };
    let mut groups = [
        ("with any type", vec![]),
        ("with their own type", vec![]),
        ("with some types", vec![]),
    ];
    for rel in schema.relationships() {
        let targets = schema.type_ids().filter(|&t| rel.allows(id, t)).count();
        let group = match targets {
            0 => continue,
            n if n == schema.types().len() => 0,
            1 if rel.allows(id, id) => 1,
            _ => 2,
        };
        groups[group].1.push(rel.name());
    }
    let parts: Vec<String> = groups
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(with, names)| format!("{} {with}", names.join(", ")))
        .collect();
    if parts.is_empty() {
        "no relationship".into()
    } else {
        parts.join("; ")
    }
}
