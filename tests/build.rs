//! Generates modules from the hostile schemas in `fixtures/hostile/` so that
//! `tests/hostile_schema.rs` compiles them: schema text full of newlines, comment closers,
//! quotes, NUL, carriage returns and bidirectional controls, and a source label that tries
//! to end the header comment, must all stay data.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let jobs = [
        (
            "fixtures/hostile/docs.json",
            "hostile_docs.rs",
            "label\ncompile_error!(\"injected from the label\");\n//",
        ),
        (
            "fixtures/hostile/only-any.json",
            "only_any.rs",
            "fixtures/hostile/only-any.json",
        ),
    ];
    for (schema, out, label) in jobs {
        if let Err(e) = relationship_codegen::Builder::new()
            .schema(schema)
            .out_file(out)
            .source_label(label)
            .tables_file(format!("tables_{out}"))
            .compile()
        {
            eprintln!("error: {schema}: {e}");
            std::process::exit(1);
        }
    }
}
