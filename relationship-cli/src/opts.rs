//! Option groups several subcommands declare: the schema to check against, the check mode,
//! and the input and output of the NDJSON subcommands.

use std::path::PathBuf;

use clap::Args;
use relationship_core::batch::{BatchOptions, Placement};
use relationship_core::check::Mode;
use relationship_core::json::JsonStyle;
use relationship_core::limits::DEFAULT_MAX_LINE_BYTES;
use relationship_schema::Schema;

use crate::error::Error;

/// `--schema FILE`, for the subcommands that check or generate against a schema.
#[derive(Debug, Clone, Default, Args)]
pub struct SchemaOpt {
    /// Relationship schema to check against (default: the built-in XSOAR schema).
    #[arg(id = "schema", long = "schema", value_name = "FILE")]
    pub path: Option<PathBuf>,
}

impl SchemaOpt {
    /// The `--schema` file, or the built-in XSOAR schema.
    pub(crate) fn load(&self) -> Result<&'static Schema, Error> {
        match &self.path {
            None => Ok(relationship_core::xsoar::schema()),
            // The schema lives as long as the process; leaking it gives every subcommand the
            // same `&'static Schema` whichever way it was obtained.
            Some(p) => relationship_schema_parse::load(p)
                .map(|s| &*Box::leak(Box::new(s)))
                .map_err(|e| Error::schema(&e)),
        }
    }
}

/// `--lenient`, for the subcommands that check relationships.
#[derive(Debug, Clone, Default, Args)]
pub struct ModeOpt {
    /// XSOAR's own behaviour: any name and type pass, an unknown name gets the reverse name
    /// `related-to`, an explicit reverse name is kept. Without it (strict), unknown names,
    /// unknown types and disallowed pairs are errors with suggestions.
    #[arg(long)]
    pub lenient: bool,
}

impl ModeOpt {
    /// The check mode `--lenient` selects.
    pub(crate) fn mode(&self) -> Mode {
        if self.lenient {
            Mode::Lenient
        } else {
            Mode::Strict
        }
    }
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

/// The output style `--python-json` selects.
pub(crate) fn json_style(python_json: bool) -> JsonStyle {
    if python_json {
        JsonStyle::Python
    } else {
        JsonStyle::Compact
    }
}

/// The batches `--batch-size` and `--attach` select, identical relationships written once
/// when `dedup`.
pub(crate) fn batch_options(batch_size: u32, attach: bool, dedup: bool) -> BatchOptions {
    let placement = if attach {
        Placement::Attach
    } else {
        Placement::Dummy
    };
    BatchOptions {
        batch_size: batch_size as usize,
        placement,
        dedup,
    }
}
