//! The cross-crate, golden and compile-fail tests, one module per concern, linked into one
//! test binary. Run one module with `cargo test -p relationship-tests --test it -- <module>::`.

// Test functions may be long (a scenario read top to bottom); the length rule is for the
// crates' own code.
#![allow(clippy::too_many_lines)]

mod support;

mod all_constructors;
mod all_constructors_fresh;
mod batch_props;
mod fuzz_records;
mod fuzz_schema_generate;
mod fuzz_stix;
mod fuzz_validate;
mod golden_generated;
mod hostile_schema;
mod import_types;
mod python_json;
mod python_json_live;
mod render_fast_props;
mod runtime_check_xsoar;
mod runtime_golden;
mod runtime_props;
mod schema_bad;
mod schema_diff;
mod schema_diff_cases;
mod schema_fuzz;
mod schema_jsonschema;
mod schema_packaged;
mod schema_xsoar;
mod stix_attck;
mod stix_bundle21;
mod stix_robustness;
mod typed_derive;
mod ui;
mod ui_one_error;
mod ui_pass;
mod validate_planted;
