//! Generates modules from the hostile schemas in `fixtures/hostile/` so that
//! `tests/it/hostile_schema.rs` compiles them: schema text full of newlines, comment closers,
//! quotes, NUL, carriage returns and bidirectional controls, and a source label that tries
//! to end the header comment, must all stay data.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    random_schemas();
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
        // `xsoar-rel schema import-types` output: the built-in schema plus custom types.
        (
            "fixtures/imported/xsoar-plus-custom.json",
            "imported_custom.rs",
            "fixtures/imported/xsoar-plus-custom.json",
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

/// How many pseudo-random schemas `tests/it/fuzz_schema_generate.rs` compiles.
const RANDOM_SCHEMAS: u64 = 16;

/// Writes [`RANDOM_SCHEMAS`] schemas built from a fixed-seed generator (types, docs with
/// hostile text, rules, symmetric, any-to-any and derived relationships), generates a
/// module from each one the parser accepts, and lists the modules in `fuzz_modules.rs`.
fn random_schemas() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let types = [
        "Host",
        "Account",
        "IP",
        "IPv6CIDR",
        "X509 Certificate",
        "ssdeep",
        "Attack Pattern",
        "Ünïcode Týpe",
    ];
    let rels = [
        "uses",
        "used-by",
        "related-to",
        "part-of",
        "contains",
        "sub-domain-of",
        "embeds",
    ];
    // JSON text, escapes included: the schema file holds them as JSON escapes.
    let docs = [
        "",
        r"two\nlines",
        r#"}\ncompile_error!(\"x\");\n//"#,
        r"bidi \u202e nul \u0000 cr \r */",
    ];
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let mut modules = String::new();
    for k in 0..RANDOM_SCHEMAS {
        let n_types = 1 + next(types.len());
        let chosen: Vec<&str> = types[..n_types].to_vec();
        let n_rels = 1 + next(rels.len());
        let mut rel_json = Vec::new();
        for (i, name) in rels[..n_rels].iter().enumerate() {
            let reverse = rels[next(n_rels)];
            let doc = docs[next(docs.len())];
            let from = chosen[next(n_types)];
            let to = chosen[next(n_types)];
            let pairs = match next(5) {
                0 => r#""any": true"#.to_owned(),
                1 if i > 0 => format!(r#""derive": [{{"swap": "{}"}}]"#, rels[0]),
                2 => format!(
                    r#""rules": [{{"from": ["{from}"], "to": ["{to}"]}}], "symmetric": true"#
                ),
                3 => format!(
                    r#""rules": [{{"from": ["@all"], "to": ["{to}"], "tier": "extended"}}]"#
                ),
                _ => format!(r#""rules": [{{"from": ["{from}"], "to": ["{to}"]}}]"#),
            };
            rel_json.push(format!(
                r#"{{"name": "{name}", "reverse": "{reverse}", "doc": "{doc}", {pairs}}}"#
            ));
        }
        let type_json: Vec<String> = chosen
            .iter()
            .map(|t| format!(r#"{{"name": "{t}", "doc": "{}"}}"#, docs[next(docs.len())]))
            .collect();
        let text = format!(
            r#"{{"name": "fuzz{k}", "types": [{}], "relationships": [{}]}}"#,
            type_json.join(", "),
            rel_json.join(", ")
        );
        let path = out.join(format!("fuzz{k}.json"));
        if std::fs::write(&path, text).is_err() {
            continue;
        }
        let generated = relationship_codegen::Builder::new()
            .schema(&path)
            .emit_rerun_if_changed(false)
            .out_file(format!("fuzz{k}.rs"))
            .compile();
        if generated.is_ok() {
            modules.push_str(&format!(
                "pub mod fuzz{k} {{ include!(concat!(env!(\"OUT_DIR\"), \"/fuzz{k}.rs\")); }}\n"
            ));
        }
    }
    let _ = std::fs::write(out.join("fuzz_modules.rs"), modules);
}
