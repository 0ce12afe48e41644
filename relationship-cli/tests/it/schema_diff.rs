//! End-to-end tests of `xsoar-rel schema diff`: the report for the fixture schemas of
//! `tests/fixtures/diff/` (text and JSON, byte for byte), identical schemas, a removed
//! triple naming the typed constructor that stops compiling, `--breaking`, and exit codes.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::support::{read, repo_file, scratch, xsoar_rel};

fn diff_fixtures() -> PathBuf {
    repo_file("tests/fixtures/diff")
}

const OLD: &str = r#"{"name": "tiny", "types": ["Account", "Host", "CVE"],
  "relationships": [{"name": "uses", "reverse": "uses",
                     "rules": [{"from": "Account", "to": ["Host", "CVE"]}]}]}"#;

#[test]
fn fixture_report_is_the_golden_text() {
    // Run inside the fixture directory so the header shows the same paths as the golden file.
    xsoar_rel()
        .current_dir(diff_fixtures())
        .args(["schema", "diff", "old.json", "new.json"])
        .assert()
        .code(1)
        .stderr("")
        .stdout(read(&diff_fixtures().join("report.txt")));
}

#[test]
fn fixture_report_json_is_the_golden_json() {
    xsoar_rel()
        .current_dir(diff_fixtures())
        .args(["schema", "diff", "--json", "old.json", "new.json"])
        .assert()
        .code(1)
        .stdout(read(&diff_fixtures().join("report.json")));
}

#[test]
fn identical_schemas_exit_0() {
    let xsoar = repo_file("schemas/xsoar.json");
    let out = xsoar_rel()
        .args(["schema", "diff"])
        .arg(&xsoar)
        .arg(&xsoar)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = format!(
        "`xsoar` ({}): 30 types, 71 relationship names, 1715 explicit triples\n",
        xsoar.display()
    );
    assert_eq!(
        stdout,
        format!(
            "--- {line}+++ {line}\nNo differences: same types, names, reverse names and allowed pairs.\n"
        )
    );
    xsoar_rel()
        .args(["schema", "diff", "--json"])
        .arg(&xsoar)
        .arg(&xsoar)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "\"identical\": true,\n  \"is_breaking\": false,",
        ));
}

#[test]
fn removed_triple_names_the_constructor_that_stops_compiling() {
    let old = scratch("diff-old.json", OLD);
    let new = scratch(
        "diff-new.json",
        &OLD.replace(r#"["Host", "CVE"]"#, r#""Host""#),
    );
    let out = xsoar_rel()
        .args(["schema", "diff"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let tail = "\nTriples: 0 added, 1 removed\n  \
        - Account uses CVE  `Account`.uses(&`Cve`)\n\
        \n\
        Typed code that stops compiling: 1\n  \
        - `Account`.uses(&`Cve`) — Account uses CVE no longer allowed\n\
        \n\
        Breaking: 1 item of typed code stops compiling.\n";
    assert!(stdout.ends_with(tail), "{stdout}");

    // The other way round adds the triple: a difference, but nothing breaks.
    xsoar_rel()
        .args(["schema", "diff"])
        .arg(&new)
        .arg(&old)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "  + Account uses CVE  `Account`.uses(&`Cve`)\n",
        ))
        .stdout(predicate::str::ends_with(
            "\nNot breaking: everything that compiled still compiles.\n",
        ));
}

#[test]
fn breaking_flag_exits_1_only_for_breaking_changes() {
    let old = scratch("diff-br-old.json", OLD);
    let new = scratch(
        "diff-br-new.json",
        &OLD.replace(r#"["Host", "CVE"]"#, r#""Host""#),
    );
    xsoar_rel()
        .args(["schema", "diff", "--breaking"])
        .arg(&new)
        .arg(&old)
        .assert()
        .code(0);
    xsoar_rel()
        .args(["schema", "diff", "--breaking"])
        .arg(&old)
        .arg(&new)
        .assert()
        .code(1);
}

#[test]
fn invalid_schema_exits_1_missing_schema_exits_2() {
    let bad = scratch("diff-bad.json", "{\"name\": \"bad\",\n \"typs\": []}");
    let old = scratch("diff-ok.json", OLD);
    xsoar_rel()
        .args(["schema", "diff"])
        .arg(&old)
        .arg(&bad)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("diff-bad.json:2:"))
        .stderr(predicate::str::contains("did you mean `types`?"))
        .stderr(predicate::str::ends_with(
            "xsoar-rel schema diff: cannot compare invalid schemas\n",
        ));
    xsoar_rel()
        .args(["schema", "diff", "/nonexistent/a.json"])
        .arg(&old)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/a.json"));
}

#[test]
fn help_documents_exit_codes_and_examples() {
    xsoar_rel()
        .args(["schema", "diff", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "0 when the schemas are the same, 1 when they differ",
        ))
        .stdout(predicate::str::contains(
            "Examples:\n  xsoar-rel schema diff",
        ));
}
