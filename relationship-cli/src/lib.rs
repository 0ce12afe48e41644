//! The `xsoar-rel` command line as a library: the subcommands, their shared options, the
//! NDJSON pipeline of `render` and `batch`, and the schema comparison of `schema diff`.
//!
//! The binary (`src/main.rs`) only parses the command line and calls [`run`].
//!
//! Modules form a tree: `cli` and `run` know every subcommand; each
//! subcommand module uses only the shared modules (`context`, `error`, `exit`, `opts`,
//! `ndjson`, `output`, `signals`), never another subcommand.
#![forbid(unsafe_code)]

pub mod batch_cmd;
mod cli;
mod context;
mod convert_stix_cmd;
mod diff_cmd;
mod error;
pub mod exit;
mod explain_cmd;
mod generate_cmd;
mod import_types_cmd;
mod ndjson;
pub mod opts;
mod output;
mod render_cmd;
mod run;
mod schema_cmd;
pub mod schema_diff;
mod signals;
mod validate_cmd;

pub use cli::Cli;
pub use exit::Exit;
pub use run::run;
