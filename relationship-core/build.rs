//! Generates, from the default schema packaged in `relationship-schema`:
//! * `OUT_DIR/xsoar.rs`: the `xsoar` module (markers, compile-time checks, typed
//!   constructors), which `src/xsoar.rs` includes;
//! * `OUT_DIR/xsoar_tables.rs`: the same schema as static tables, which
//!   `relationship_core::xsoar::schema()` turns into a model without parsing JSON.
//!
//! The code generator is a build-dependency only: it never reaches a user's binary.

use std::path::Path;

use relationship_codegen::schema_parse::builtin::{XSOAR_SCHEMA_PATH, parse_xsoar};
use relationship_codegen::{GenerateOptions, generate, generate_tables, write_if_changed};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(e) = run() {
        eprintln!("error: cannot generate the xsoar module: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let out_dir = Path::new(&out_dir);
    let schema = parse_xsoar()?;
    let options = GenerateOptions::default().source_label(XSOAR_SCHEMA_PATH);
    let module = generate(&schema, &options)?;
    write_if_changed(&out_dir.join("xsoar.rs"), module.as_bytes())?;
    let tables = generate_tables(&schema, "crate", Some(XSOAR_SCHEMA_PATH));
    write_if_changed(&out_dir.join("xsoar_tables.rs"), tables.as_bytes())?;
    Ok(())
}
