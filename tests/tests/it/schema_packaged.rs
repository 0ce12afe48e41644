//! The default schema reaches programs in two derived forms: the packaged copy inside
//! `relationship-schema-parse` (so the crates build from their published packages) and the
//! static tables `relationship-core`'s build script generates from it. Both must say exactly
//! what `schemas/xsoar.json`, the file people edit, says.
//!
//! After editing `schemas/xsoar.json`, refresh the copy with
//!
//! ```text
//! cp schemas/xsoar.json relationship-schema-parse/schemas/xsoar.json
//! ```

use std::path::PathBuf;

fn workspace_file(path: &str) -> (PathBuf, Vec<u8>) {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path);
    let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    (full, bytes)
}

#[test]
fn packaged_copy_is_byte_identical_to_the_edited_file() {
    let (edited_path, edited) = workspace_file("schemas/xsoar.json");
    let (copy_path, copy) = workspace_file("relationship-schema-parse/schemas/xsoar.json");
    assert!(
        edited == copy,
        "{} differs from {}: copy the edited file over the packaged one",
        copy_path.display(),
        edited_path.display()
    );
    assert_eq!(
        relationship_schema_parse::builtin::XSOAR_SCHEMA_JSON.as_bytes(),
        edited.as_slice()
    );
}

#[test]
fn static_tables_are_the_parsed_schema() {
    let (_, edited) = workspace_file("schemas/xsoar.json");
    let text = String::from_utf8(edited).unwrap();
    let parsed = relationship_schema_parse::parse_str(&text, "schemas/xsoar.json").unwrap();
    let tables = relationship_core::xsoar::schema();
    assert_eq!(tables, &parsed);
    assert_eq!(tables.triple_count(), 1715);
}
