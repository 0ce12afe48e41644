//! `xsoar-rel`: check, render and batch Cortex XSOAR indicator relationships.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use relationship_cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    relationship_cli::signals::install();
    run::run(&cli).into()
}
