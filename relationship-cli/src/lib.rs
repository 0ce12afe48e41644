//! The `xsoar-rel` command line as a library: option parsing, NDJSON records and the
//! subcommands, so that each part can be tested on its own.
//!
//! The binary (`src/main.rs`) only parses the command line and calls [`run::run`].
#![forbid(unsafe_code)]

pub mod batch_cmd;
pub mod cli;
mod context;
pub mod convert_stix_cmd;
pub mod diff_cmd;
mod error;
pub mod exit;
pub mod explain_cmd;
pub mod generate_cmd;
pub mod import_types_cmd;
pub mod input;
pub mod opts;
pub mod output;
pub mod render_cmd;
pub mod run;
pub mod schema_cmd;
pub mod schema_diff;
pub mod signals;
pub mod validate_cmd;

pub use cli::Cli;
pub use error::Error;
pub use exit::Exit;
