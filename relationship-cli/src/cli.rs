//! The command line: options and subcommands of `xsoar-rel` (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use relationship_core::limits::{
    DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_LINE_BYTES, MAX_BATCH_SIZE,
    MAX_MAX_BATCH_BYTES,
};

use crate::opts::{ModeOpt, SchemaOpt};

const RECORD_SHAPES: &str = "\
Input records (one JSON object per line; blank lines are skipped, line numbers still count them):
  relationship  {\"name\": \"uses\", \"entity_a\": \"u4872\", \"entity_a_type\": \"Account\",
                 \"entity_b\": \"pc135456.domain.local\", \"entity_b_type\": \"Host\"}
                optional: \"reverse_name\" (string), \"fields\" (object, order kept),
                \"source_reliability\" (one of XSOAR's 7 strings, e.g. \"B - Usually reliable\"),
                \"brand\" (string), \"relationship_type\" (only \"IndicatorToIndicator\"),
                \"entity_a_family\" and \"entity_b_family\" (only \"Indicator\"); null counts
                as absent. Any other relationship_type or family is an error in both modes, as
                in XSOAR (\"Invalid relationship type: X\").";

const INDICATOR_SHAPE: &str = concat!(
    "  indicator     {\"value\": \"APT29\", \"type\": \"Intrusion Set\"}  (batch only)\n",
    "                optional: \"score\" (0-3), \"rawJSON\" (any JSON; default {\"value\", \"type\"}),\n",
    "                \"fields\" (object). The value `$$DummyIndicator$$` is refused in both modes:\n",
    "                that pseudo-indicator only carries relationships, and would be dropped."
);

const BAD_RECORDS: &str = "\
Bad records (malformed JSON, a missing key, a wrong value type, an invalid reliability,
relationship type or family, and in strict mode an unknown name or type, a disallowed pair or
an entity `$$DummyIndicator$$`) are reported on stderr as `line N: <reason>`, and the exit
code is 1. Malformed JSON includes nesting deeper than 512 arrays and objects (the one limit
of every command) and a lone surrogate escape such as \"\\ud800\" (no Unicode character;
refused, never altered).
Processing stops at the first bad record (what came before it is written) unless --keep-going
is given: then every valid record is written, every bad one reported, and the exit code is
still 1. Exit code 2 means a usage error or an input that cannot be read or output that
cannot be written.";

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
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
///
/// Later subcommands (`generate`, `schema diff`, `validate`, `convert-stix`) slot in here as
/// further variants.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render each relationship record as one XSOAR JSON object per line.
    #[command(after_help = render_help())]
    Render(RenderArgs),
    /// Group records into createIndicators batches, one JSON array per line.
    #[command(after_help = batch_help())]
    Batch(BatchArgs),
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

/// Options shared by the subcommands that read NDJSON and write JSON.
#[derive(Debug, Clone, Args)]
pub struct IoOpts {
    /// NDJSON input file, or `-` for stdin.
    #[arg(value_name = "INPUT", default_value = "-")]
    pub input: PathBuf,
    /// Write JSON byte-identical to Python's `json.dumps` defaults (", " and ": " separators,
    /// non-ASCII as \uXXXX) instead of compact JSON.
    #[arg(long)]
    pub python_json: bool,
    /// Do not stop at the first bad record: write every valid one and report every bad one
    /// (the exit code is still 1 if any was bad).
    #[arg(long)]
    pub keep_going: bool,
    /// Longest input line read, in bytes; a longer line is a bad record (exit 1), reported
    /// with its line number, and memory never holds more of it.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_line_bytes: u64,
}

impl IoOpts {
    /// `--max-line-bytes` as a size.
    pub fn max_line_bytes(&self) -> usize {
        usize::try_from(self.max_line_bytes).unwrap_or(usize::MAX)
    }
}

/// `render` options.
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    /// Which of XSOAR's three renderings to write.
    #[arg(long, value_enum, default_value_t = Format::Indicator)]
    pub format: Format,
    /// The schema to check against.
    #[command(flatten)]
    pub schema: SchemaOpt,
    /// Strict or lenient checks.
    #[command(flatten)]
    pub check: ModeOpt,
    /// Input, output style and error handling.
    #[command(flatten)]
    pub io: IoOpts,
}

/// XSOAR's renderings of a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `to_indicator()`: the 10 keys createIndicators takes.
    Indicator,
    /// `to_entry()`: the 10 keys plus `reliability` and `brand` when set.
    Entry,
    /// `to_context()`: the 5 keys of indicator context.
    Context,
}

/// `batch` options.
#[derive(Debug, Clone, Args)]
pub struct BatchArgs {
    /// Most items per batch (indicators plus dummy indicators), at most 10000; no dummy
    /// carries more relationships than this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_SIZE as u32,
          value_parser = clap::value_parser!(u32).range(1..=MAX_BATCH_SIZE as i64))]
    pub batch_size: u32,
    /// Longest batch line, in bytes (`\n` included), at most 268435456: a batch is closed
    /// early before an item would pass it, so memory holds about this much per pending batch
    /// whatever the batch size. Only an item longer than this alone makes a longer line.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BATCH_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_MAX_BATCH_BYTES as u64))]
    pub max_batch_bytes: u64,
    /// Attach each relationship to its source indicator when that indicator is in the batch
    /// (relationships without one still go on a dummy indicator).
    #[arg(long, conflicts_with = "dummy")]
    pub attach: bool,
    /// Put every relationship on `$$DummyIndicator$$` pseudo-indicators (the default).
    #[arg(long)]
    pub dummy: bool,
    /// Keep identical relationships instead of writing each once.
    #[arg(long)]
    pub keep_duplicates: bool,
    /// The schema to check against.
    #[command(flatten)]
    pub schema: SchemaOpt,
    /// Strict or lenient checks.
    #[command(flatten)]
    pub check: ModeOpt,
    /// Input, output style and error handling.
    #[command(flatten)]
    pub io: IoOpts,
}

/// `schema` subcommands.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Validate a schema file and print a one-line summary, or every error found.
    #[command(after_help = "\
Prints `FILE: ok — N relationship names, T types, X expanded triples` and exits 0, or prints
each error as `… at FILE:LINE:COLUMN; did you mean …?` on stderr and exits 1; exits 2 when
FILE cannot be read.

Example:
  xsoar-rel schema check schemas/xsoar.json")]
    Check(SchemaCheckArgs),
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

/// `schema check` options.
#[derive(Debug, Clone, Args)]
pub struct SchemaCheckArgs {
    /// The schema file to check.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
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

fn render_help() -> String {
    format!(
        "{RECORD_SHAPES}\n\n{BAD_RECORDS}\n\n\
Example:
  $ echo '{{\"name\": \"uses\", \"entity_a\": \"u4872\", \"entity_a_type\": \"Account\", \
\"entity_b\": \"pc135456.domain.local\", \"entity_b_type\": \"Host\"}}' \\
      | xsoar-rel render --format context --python-json
  {{\"Relationship\": \"uses\", \"EntityA\": \"u4872\", \"EntityAType\": \"Account\", \
\"EntityB\": \"pc135456.domain.local\", \"EntityBType\": \"Host\"}}"
    )
}

fn batch_help() -> String {
    format!(
        "Each output line is one JSON array to pass to demisto.createIndicators. With --dummy \
(the default) relationships ride on {{\"value\": \"$$DummyIndicator$$\", \"relationships\": [...]}} \
pseudo-indicators; with --attach they go into the `relationships` of their source indicator \
(same value and type as entity A) when it is in the same batch.\n\n\
{RECORD_SHAPES}\n{INDICATOR_SHAPE}\n\n{BAD_RECORDS}\n\n\
Examples:
  xsoar-rel batch examples/data/relationships.ndjson
  xsoar-rel batch --attach --batch-size 500 examples/data/feed.ndjson
  cat feed.ndjson | xsoar-rel batch --lenient --python-json --keep-going - > batches.ndjson"
    )
}
