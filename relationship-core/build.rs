//! Generates the `xsoar` module (markers, compile-time checks, typed constructors) from the
//! default schema into `OUT_DIR/xsoar.rs`; `src/xsoar.rs` includes it.

use std::path::Path;

fn main() {
    let schema = Path::new("..").join("schemas").join("xsoar.json");
    let result = relationship_codegen::Builder::new()
        .schema(&schema)
        .source_label("schemas/xsoar.json")
        .out_file("xsoar.rs")
        .compile();
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(e) = result {
        eprintln!("error: cannot generate the xsoar module: {e}");
        std::process::exit(1);
    }
}
