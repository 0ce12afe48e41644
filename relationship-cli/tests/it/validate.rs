//! End-to-end tests of `xsoar-rel validate`: clean files, planted violations reported as
//! `file:line: path: reason`, several files, stdin, exit codes.

use predicates::prelude::*;

use crate::support::{scratch, xsoar_rel};

fn rel(name: &str, reverse: &str, a_type: &str, b_type: &str) -> String {
    format!(
        r#"{{"name": "{name}", "reverseName": "{reverse}", "type": "IndicatorToIndicator", "entityA": "a", "entityAFamily": "Indicator", "entityAType": "{a_type}", "entityB": "b", "entityBFamily": "Indicator", "entityBType": "{b_type}", "fields": {{}}}}"#
    )
}

fn batch(rels: &[String]) -> String {
    format!(
        r#"[{{"value": "a", "type": "Account", "rawJSON": {{}}}}, {{"value": "$$DummyIndicator$$", "relationships": [{}]}}]"#,
        rels.join(", ")
    )
}

#[test]
fn a_clean_file_is_ok_on_stdout() {
    let f = scratch(
        "v-clean.ndjson",
        &format!(
            "{}\n{}\n",
            batch(&[rel("uses", "used-by", "Account", "Host")]),
            batch(&[])
        ),
    );
    xsoar_rel()
        .arg("validate")
        .arg(&f)
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::ends_with("v-clean.ndjson: ok — 2 batches, 2 indicators, 2 dummy indicators, 1 relationships, largest batch 2\n"));
}

#[test]
fn violations_are_reported_with_line_and_path() {
    let text = format!(
        "{}\n{}\n",
        batch(&[rel("uses", "used-by", "Account", "Host")]),
        batch(&[
            rel("uses", "used-by", "Account", "Host"),
            rel("uses", "uses", "Account", "CVE")
        ])
    );
    let f = scratch("v-bad.ndjson", &text);
    let name = f.display().to_string();
    xsoar_rel()
        .arg("validate")
        .arg(&f)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "{name}:2: [1][1].relationships[1].reverseName: reverse name `uses` does not match the schema: the reverse of `uses` is `used-by`\n\
             {name}:2: [1][1].relationships[1]: `Account` cannot `uses` `CVE`: "
        )))
        .stderr(predicate::str::ends_with(format!("{name}: 2 violations — 2 batches, 2 indicators, 2 dummy indicators, 3 relationships, largest batch 2\n")));
}

#[test]
fn several_files_stdin_and_errors() {
    let good = scratch("v-good.json", &batch(&[]));
    let bad = scratch(
        "v-bad2.json",
        "[{\"value\": \"x\", \"type\": \"Hots\", \"rawJSON\": {}}]",
    );
    xsoar_rel()
        .arg("validate")
        .arg(&good)
        .arg(&bad)
        .arg("/nonexistent/v.json")
        .assert()
        .code(2)
        .stdout(predicate::str::contains("v-good.json: ok"))
        .stderr(
            predicate::str::contains("v-bad2.json:1: [0][0].type: unknown indicator type `Hots`")
                .and(predicate::str::contains("did you mean `Host`?")),
        )
        .stderr(predicate::str::contains("cannot read /nonexistent/v.json"));
    xsoar_rel()
        .args(["validate", "-"])
        .write_stdin(batch(&[]))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("-: ok"));
    xsoar_rel()
        .args(["validate", "-"])
        .write_stdin("[{")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("-:1: [0]: not a deliverable line"));
    xsoar_rel()
        .args(["--lenient", "validate", "-"])
        .write_stdin(batch(&[]))
        .assert()
        .code(2);
    xsoar_rel().arg("validate").assert().code(2);
}
