//! The exit-code table, pinned per subcommand: 0 ok, 1 invalid data, 2 usage or I/O.

use std::path::{Path, PathBuf};

use crate::support::{repo_file, xsoar_rel};

fn scratch(name: &str, contents: &str) -> PathBuf {
    crate::support::scratch(&format!("exit-{name}"), contents)
}

const GOOD_RECORD: &str = r#"{"name": "uses", "entity_a": "u4872", "entity_a_type": "Account", "entity_b": "pc135456.domain.local", "entity_b_type": "Host"}"#;
const BAD_RECORD: &str = r#"{"name": "uses", "entity_a": "u4872", "entity_a_type": "Account", "entity_b": "pc135456.domain.local", "entity_b_type": "Hots"}"#;
const GOOD_SCHEMA: &str = r#"{"name": "tiny", "types": ["Account", "Host"],
  "relationships": [{"name": "uses", "reverse": "uses", "rules": [{"from": "Account", "to": "Host"}]}]}"#;
const OTHER_SCHEMA: &str = r#"{"name": "tiny", "types": ["Account", "Host"],
  "relationships": [{"name": "uses", "reverse": "uses", "rules": [{"from": "Account", "to": ["Host", "Account"]}]}]}"#;
const BAD_SCHEMA: &str = "{\"name\": \"bad\",\n \"typs\": []}";
const MISSING: &str = "/nonexistent/exit-codes/file.json";

/// Runs `args` (with `stdin` when given) and returns the exit code.
fn code(args: &[&str], paths: &[&Path], stdin: Option<&str>) -> i32 {
    let mut cmd = xsoar_rel();
    cmd.args(args).args(paths);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    cmd.output().unwrap().status.code().unwrap()
}

#[test]
fn render_and_batch() {
    for sub in ["render", "batch"] {
        assert_eq!(code(&[sub], &[], Some(GOOD_RECORD)), 0, "{sub} ok");
        assert_eq!(code(&[sub], &[], Some(BAD_RECORD)), 1, "{sub} bad record");
        assert_eq!(code(&[sub], &[], Some("{\"name\": ")), 1, "{sub} bad JSON");
        let bad = scratch(&format!("{sub}-bad-schema.json"), BAD_SCHEMA);
        assert_eq!(
            code(&[sub, "--schema"], &[&bad], Some(GOOD_RECORD)),
            1,
            "{sub} invalid --schema"
        );
        assert_eq!(code(&[sub, MISSING], &[], None), 2, "{sub} missing input");
        assert_eq!(
            code(&[sub, "--schema", MISSING], &[], Some(GOOD_RECORD)),
            2,
            "{sub} missing --schema"
        );
        assert_eq!(code(&[sub, "--frobnicate"], &[], None), 2, "{sub} bad flag");
    }
}

#[test]
fn schema_check() {
    let good = scratch("check-good.json", GOOD_SCHEMA);
    let bad = scratch("check-bad.json", BAD_SCHEMA);
    assert_eq!(code(&["schema", "check"], &[&good], None), 0);
    assert_eq!(code(&["schema", "check"], &[&bad], None), 1);
    assert_eq!(code(&["schema", "check", MISSING], &[], None), 2);
    assert_eq!(
        code(&["schema", "check", "--frobnicate"], &[&good], None),
        2
    );
    assert_eq!(code(&["schema", "check"], &[], None), 2);
}

#[test]
fn schema_diff() {
    let good = scratch("diff-good.json", GOOD_SCHEMA);
    let other = scratch("diff-other.json", OTHER_SCHEMA);
    let bad = scratch("diff-bad.json", BAD_SCHEMA);
    assert_eq!(code(&["schema", "diff"], &[&good, &good], None), 0);
    assert_eq!(code(&["schema", "diff"], &[&good, &other], None), 1);
    assert_eq!(code(&["schema", "diff"], &[&good, &bad], None), 1);
    assert_eq!(code(&["schema", "diff", MISSING], &[&good], None), 2);
    assert_eq!(code(&["schema", "diff"], &[&good], None), 2);
}

#[test]
fn generate() {
    let good = scratch("gen-good.json", GOOD_SCHEMA);
    let bad = scratch("gen-bad.json", BAD_SCHEMA);
    let out = scratch("gen-out.rs", "");
    let out = out.to_str().unwrap();
    assert_eq!(code(&["generate", "--schema"], &[&good], None), 0);
    assert_eq!(
        code(
            &["generate", "--check", "--out", out, "--schema"],
            &[&good],
            None
        ),
        1,
        "stale"
    );
    assert_eq!(code(&["generate", "--schema"], &[&bad], None), 1);
    assert_eq!(code(&["generate", "--schema", MISSING], &[], None), 2);
    assert_eq!(code(&["generate", "--module", "not a name"], &[], None), 2);
    assert_eq!(code(&["generate", "--check"], &[], None), 2);
}

#[test]
fn convert_stix() {
    let bundle = repo_file("tests/fixtures/stix/bundle-2.1.json");
    let malformed = scratch(
        "stix-bad.json",
        "{\"type\": \"bundle\", \"objects\": [nope]}",
    );
    assert_eq!(code(&["convert-stix"], &[&bundle], None), 0);
    assert_eq!(code(&["convert-stix"], &[&malformed], None), 1);
    assert_eq!(code(&["convert-stix", MISSING], &[], None), 2);
    assert_eq!(
        code(&["convert-stix", "--batch-size", "0"], &[&bundle], None),
        2
    );
}

#[test]
fn validate() {
    let good = scratch(
        "validate-good.json",
        "[{\"value\": \"x\", \"type\": \"Host\", \"rawJSON\": {}}]",
    );
    let bad = scratch(
        "validate-bad.json",
        "[{\"value\": \"x\", \"type\": \"Hots\", \"rawJSON\": {}}]",
    );
    assert_eq!(code(&["validate"], &[&good], None), 0);
    assert_eq!(code(&["validate"], &[&bad], None), 1);
    assert_eq!(code(&["validate", MISSING], &[], None), 2);
    // An unreadable file outranks a file with violations.
    assert_eq!(code(&["validate", MISSING], &[&bad], None), 2);
    assert_eq!(code(&["validate", "--lenient"], &[&good], None), 2);
    assert_eq!(code(&["validate"], &[], None), 2);
}

#[test]
fn the_table_is_in_the_top_level_help() {
    let out = xsoar_rel().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains(relationship_cli::exit::EXIT_CODES_HELP),
        "{help}"
    );
}
