//! `xsoar-rel schema import-types` output builds with `relationship_codegen::Builder`: the
//! fixture `fixtures/imported/xsoar-plus-custom.json` is exactly what the import writes for
//! the indicator-type definitions in `relationship-cli/tests/fixtures/indicator-types/`
//! (refresh with `UPDATE_EXPECT=1`), this crate's build script generates a module from it, and the
//! new types are usable with the relationships the import allows them.
#![allow(dead_code)]

mod imported {
    include!(concat!(env!("OUT_DIR"), "/imported_custom.rs"));
}

use std::path::{Path, PathBuf};

use expect_test::expect_file;
use relationship_core::json::{JsonStyle, to_string};
use relationship_core::prelude::*;
use relationship_schema_parse::builtin::{XSOAR_SCHEMA_JSON, XSOAR_SCHEMA_PATH, parse_xsoar};
use relationship_schema_parse::import_types;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

#[test]
fn fixture_is_what_import_types_writes() {
    let defs_dir = repo("relationship-cli/tests/fixtures/indicator-types");
    let mut defs = Vec::new();
    for input in ["pack/IndicatorTypes", "export"] {
        for file in import_types::scan_definition_files(&defs_dir.join(input))
            .unwrap()
            .files
        {
            defs.extend(import_types::read_definitions(&file).unwrap());
        }
    }
    let plan = import_types::plan(&parse_xsoar().unwrap(), defs);
    assert!(plan.refused.is_empty(), "{:?}", plan.refused);
    let text =
        import_types::add_types(XSOAR_SCHEMA_JSON, Path::new(XSOAR_SCHEMA_PATH), &plan.added)
            .unwrap();
    let fixture = repo("tests/fixtures/imported/xsoar-plus-custom.json");
    expect_file![&fixture].assert_eq(&text);
    let schema = import_types::check_result(&text, &fixture).unwrap();
    assert_eq!(schema.types().len(), 34);
}

#[test]
fn imported_types_compile_and_render() {
    let employee = Entity::<imported::types::Employee>::new("E123456");
    let host = Entity::<imported::types::Host>::new("pc135456.domain.local");
    let rel = imported::Relate::related_to(&employee, &host);
    assert_eq!(
        to_string(&rel.to_indicator(), JsonStyle::Compact).unwrap(),
        r#"{"name":"related-to","reverseName":"related-to","type":"IndicatorToIndicator","entityA":"E123456","entityAFamily":"Indicator","entityAType":"Employee","entityB":"pc135456.domain.local","entityBFamily":"Indicator","entityBType":"Host","fields":{}}"#
    );
    // A name that starts with a digit gets the marker `Type5GCell`; the XSOAR name is kept.
    let a = Entity::<imported::types::Type5GCell>::new("cell-1");
    let b = Entity::<imported::types::Type5GCell>::new("cell-2");
    let dup = imported::Relate::duplicate_of(&a, &b);
    assert_eq!(dup.entity_a_type(), "5G Cell");
    let wallet = Entity::<imported::types::CryptoWallet>::new("bc1qexample");
    assert_eq!(
        imported::Relate::is_also(&wallet, &employee).name(),
        "is-also"
    );
}
