//! Converts a STIX bundle with the default options and the built-in XSOAR schema.
//!
//! `cargo run --release -p relationship-stix --example convert_bundle -- BUNDLE [OUT]`
//! writes the batches to OUT (default: discarded) and the summary table to stderr.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};

use relationship_stix::{ConvertOptions, convert};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let bundle = args.next().ok_or("usage: convert_bundle BUNDLE [OUT]")?;
    let input = BufReader::new(File::open(&bundle)?);
    let output: Box<dyn Write> = match args.next() {
        Some(path) => Box::new(BufWriter::new(File::create(path)?)),
        None => Box::new(io::sink()),
    };
    let schema = relationship_core::xsoar::schema();
    let report = convert(
        input,
        output,
        schema,
        &ConvertOptions::default(),
        None,
        &mut |_| {},
    )?;
    eprintln!("{report}");
    Ok(())
}
