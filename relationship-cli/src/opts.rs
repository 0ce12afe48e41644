//! Option groups several subcommands declare: the schema to check against and the check
//! mode.

use std::path::{Path, PathBuf};

use clap::Args;
use relationship_core::check::Mode;
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
    /// The `--schema` file, if one was given.
    pub(crate) fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

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
