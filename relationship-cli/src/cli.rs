//! The command line: the subcommands of `xsoar-rel` (clap derive). Each subcommand's options
//! and help are in its own module.

use clap::{Parser, Subcommand};

/// `xsoar-rel`: type-checked Cortex XSOAR indicator relationships from NDJSON.
#[derive(Debug, Parser)]
#[command(
    name = "xsoar-rel",
    version,
    about = "Check, render and batch Cortex XSOAR indicator relationships (NDJSON in, NDJSON out)",
    long_about = "Check, render and batch Cortex XSOAR indicator relationships; convert STIX bundles into batches; validate existing batches; generate typed Rust code from a schema.\n\n\
        Reads NDJSON records from a file or stdin (`-`), checks each relationship against a \
        relationship schema (by default the built-in XSOAR schema: 71 names, 30 types), and \
        writes XSOAR's exact JSON to stdout, one value per line.",
    after_help = top_help()
)]
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Render each relationship record as one XSOAR JSON object per line.
    #[command(after_help = crate::render_cmd::render_help())]
    Render(crate::render_cmd::RenderArgs),
    /// Group records into createIndicators batches, one JSON array per line.
    #[command(after_help = crate::batch_cmd::batch_help())]
    Batch(crate::batch_cmd::BatchArgs),
    /// Work with relationship schema files.
    #[command(subcommand)]
    Schema(SchemaCommand),
    /// Write the typed Rust module of a schema (the --schema file, default the built-in
    /// XSOAR schema), or check a checked-in copy with --check.
    #[command(after_help = crate::generate_cmd::GENERATE_HELP)]
    Generate(crate::generate_cmd::GenerateArgs),
    /// Convert a STIX 2.0/2.1 bundle (such as MITRE ATT&CK) into createIndicators batches,
    /// as XSOAR's ATT&CK feed would, every relationship checked against the schema.
    #[command(after_help = crate::convert_stix_cmd::CONVERT_STIX_HELP)]
    ConvertStix(crate::convert_stix_cmd::ConvertStixArgs),
    /// Check existing createIndicators batches (JSON arrays or NDJSON) against the schema.
    #[command(after_help = crate::validate_cmd::VALIDATE_HELP)]
    Validate(crate::validate_cmd::ValidateArgs),
}

impl Command {
    /// The command's name, as every message of it starts: `xsoar-rel NAME: `.
    pub(crate) fn name(&self) -> &'static str {
        match self {
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
}

#[derive(Debug, Subcommand)]
pub(crate) enum SchemaCommand {
    /// Validate a schema file and print a one-line summary, or every error found.
    #[command(after_help = crate::schema_cmd::CHECK_HELP)]
    Check(crate::schema_cmd::SchemaCheckArgs),
    /// Compare two schema files: added and removed types, names and triples, and the typed
    /// code that stops compiling. Exits 1 when they differ.
    #[command(after_help = crate::diff_cmd::DIFF_HELP)]
    Diff(crate::diff_cmd::SchemaDiffArgs),
    /// Add XSOAR indicator-type definitions (custom types) to a schema: writes the base
    /// schema plus every type it does not have.
    #[command(after_help = crate::import_types_cmd::IMPORT_TYPES_HELP)]
    ImportTypes(crate::import_types_cmd::ImportTypesArgs),
    /// What a type may relate to, what a relationship allows from a type, or whether one
    /// triple is allowed (with the alternatives when not), in XSOAR's spelling.
    #[command(after_help = crate::explain_cmd::EXPLAIN_HELP)]
    Explain(crate::explain_cmd::SchemaExplainArgs),
}

fn top_help() -> String {
    format!(
        "Examples:
  xsoar-rel batch examples/data/relationships.ndjson
  xsoar-rel render --format entry --python-json < relationships.ndjson
  xsoar-rel batch --lenient --batch-size 500 feed.ndjson > batches.ndjson
  xsoar-rel schema check schemas/xsoar.json
  xsoar-rel schema diff old.json new.json
  xsoar-rel schema import-types IndicatorTypes/ -o schemas/ours.json
  xsoar-rel schema explain Malware uses CVE
  xsoar-rel generate --schema schemas/hr.json --out src/hr.rs --check
  xsoar-rel convert-stix data/attck/enterprise.json -o attck-batches.ndjson
  xsoar-rel validate attck-batches.ndjson

{}",
        crate::exit::EXIT_CODES_HELP
    )
}
