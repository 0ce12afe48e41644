//! Generates the `hr` module from `schemas/hr.json` into `OUT_DIR/hr.rs`, and the same
//! schema as static tables into `OUT_DIR/hr_tables.rs` for run-time checks.

fn main() {
    if let Err(e) = relationship_codegen::Builder::new()
        .schema("schemas/hr.json")
        .module_name("hr")
        .tables_file("hr_tables.rs")
        .compile()
    {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    println!("cargo:rerun-if-changed=build.rs");
}
