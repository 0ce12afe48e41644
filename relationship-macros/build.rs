//! Writes the default schema as static tables to `OUT_DIR/xsoar_tables.rs`, so that the
//! derives can check type names and suggest the nearest ones without parsing JSON.

use std::path::Path;

use relationship_codegen::schema_parse::builtin::{XSOAR_SCHEMA_PATH, parse_xsoar};
use relationship_codegen::{generate_tables, write_if_changed};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(e) = run() {
        eprintln!("error: cannot generate the xsoar tables: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let schema = parse_xsoar()?;
    let tables = generate_tables(&schema, "crate", Some(XSOAR_SCHEMA_PATH));
    write_if_changed(
        &Path::new(&out_dir).join("xsoar_tables.rs"),
        tables.as_bytes(),
    )?;
    Ok(())
}
