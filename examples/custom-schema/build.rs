//! Generates the `hr` module from `schemas/hr.json` into `OUT_DIR/hr.rs`.

fn main() {
    if let Err(e) = relationship_codegen::Builder::new()
        .schema("schemas/hr.json")
        .module_name("hr")
        .compile()
    {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    println!("cargo:rerun-if-changed=build.rs");
}
