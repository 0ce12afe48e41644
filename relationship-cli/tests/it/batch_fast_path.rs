//! `batch` reads most relationship lines on a fast path (fields kept as JSON text, rendered
//! on worker threads). Its output and reports must equal those of the plain library path:
//! every line read with `parse_line`, checked, and pushed into a `BatchWriter`.

use std::process::Command;

use relationship_core::batch::{BatchOptions, BatchWriter};
use relationship_core::check::{Checker, Mode};
use relationship_core::json::JsonStyle;
use relationship_core::record::{Record, parse_line};

/// Lines the fast path takes, half takes and refuses, many times over (so that they cross
/// block and worker boundaries).
fn input() -> String {
    let rel = |i: usize, fields: &str| {
        format!(
            r#"{{"name": "uses", "entity_a": "a{i}", "entity_a_type": "Account", "entity_b": "h{i}", "entity_b_type": "Host"{fields}}}"#
        )
    };
    let fields = [
        "",
        r#", "fields": null"#,
        r#", "fields": {}"#,
        r#", "fields": {"description": "caf\u00e9 \"q\" \\ \/ \n 😀 ≥ \u007f", "firstseenbysource": "2021-05-13T16:02:52.954Z"}"#,
        r#", "fields": {"n": 1.0E2, "m": -0, "big": 123456789012345678901234567890, "t": true, "z": null}"#,
        r#", "fields": {"a": "1", "b": "2", "a": "3"}"#,
        r#", "fields": {"a": {"b": [1, 2.50, "\u00e9"]}, "a": "dup"}"#,
        r#", "fields": {"k\u00e9y": "v", "control": "\u0001\u001f"}"#,
        r#", "reverse_name": "used-by", "brand": "B", "source_reliability": "A - Completely reliable""#,
    ];
    let mut lines = Vec::new();
    for i in 0..6000 {
        lines.push(rel(i % 700, fields[i % fields.len()]));
    }
    lines.push(r#"{"value": "1.2.3.4", "type": "IP"}"#.to_owned());
    lines.join("\n") + "\n"
}

fn library(input: &str, style: JsonStyle) -> Vec<u8> {
    let schema = relationship_core::xsoar::schema();
    let checker = Checker::new(schema, Mode::Lenient);
    let mut out = Vec::new();
    let mut w = BatchWriter::new(&mut out, BatchOptions::default(), style);
    for line in input.lines() {
        match parse_line(line.as_bytes()).unwrap() {
            Record::Relationship(r) => w.push_relationship(checker.check(*r).unwrap()).unwrap(),
            Record::IndicatorRecord(r) => w.push_indicator(r.into_object()).unwrap(),
        }
    }
    w.finish().unwrap();
    out
}

#[test]
fn fast_path_output_equals_the_library_path() {
    let input = input();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.ndjson");
    std::fs::write(&path, &input).unwrap();
    for (flag, style) in [
        (None, JsonStyle::Compact),
        (Some("--python-json"), JsonStyle::Python),
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xsoar-rel"));
        cmd.args(["batch", "--lenient"]);
        cmd.args(flag);
        let out = cmd.arg(&path).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stderr.is_empty());
        assert!(
            out.stdout == library(&input, style),
            "batch {flag:?} differs from the library path"
        );
    }
}

#[test]
fn lines_the_fast_path_refuses_are_reported_as_before() {
    let lines = [
        r#"{"name": "uses", "entity_a": "a", "entity_a_type": "Account", "entity_b": "b", "entity_b_type": "Host", "fields": {"a": "\ud800"}}"#,
        r#"{"name": "uses", "entity_a": "a", "entity_a_type": "Account", "entity_b": "b", "entity_b_type": "Host", "fields": []}"#,
        r#"{"name": "uses", "entity_a": "a", "entity_a_type": "Acount", "entity_b": "b", "entity_b_type": "Host", "fields": {"a": "c"}}"#,
        r#"{"name": "uses", "entity_a": "a", "entity_a_type": "Account", "entity_b": "", "entity_b_type": "Host", "fields": {"a": "c"}}"#,
        r#"{"name": "uses", "name": "uses", "entity_a": "a", "entity_a_type": "Account", "entity_b": "b", "entity_b_type": "Host"}"#,
    ];
    let input = lines.join("\n") + "\n";
    let out = Command::new(env!("CARGO_BIN_EXE_xsoar-rel"))
        .args(["batch", "--keep-going", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let want: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let reason = match parse_line(line.as_bytes()) {
                Err(e) => e.message,
                Ok(Record::Relationship(r)) => {
                    let checker = Checker::new(relationship_core::xsoar::schema(), Mode::Strict);
                    checker.check(*r).unwrap_err().to_string()
                }
                Ok(Record::IndicatorRecord(_)) => unreachable!(),
            };
            format!("line {}: {reason}", i + 1)
        })
        .collect();
    for line in &want {
        assert!(stderr.contains(line.as_str()), "{line}\n--\n{stderr}");
    }
    assert!(stderr.contains("5 bad records of 5"), "{stderr}");
}
