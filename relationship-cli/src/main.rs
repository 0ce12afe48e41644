//! `xsoar-rel`: check, render and batch Cortex XSOAR indicator relationships.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use relationship_cli::Cli;

fn main() -> ExitCode {
    relationship_cli::run(&Cli::parse()).into()
}
