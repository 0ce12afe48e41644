//! Integration tests of `xsoar-rel`: the binary end to end, and its library against the
//! other crates. One test binary; each module is one area.

mod support;

mod batch_fast_path;
mod batch_validate_agree;
mod cli;
mod convert_stix;
mod entity_relationship_peers;
mod exit_codes;
mod feed_peers;
mod generate;
mod hostile_input;
mod import_types;
mod limits;
mod memory_bounds;
mod output_rules;
mod outputs;
mod schema_diff;
mod validate;
