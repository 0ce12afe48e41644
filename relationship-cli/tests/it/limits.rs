//! Bounded memory on hostile input: line length and batch size limits, a byte order mark,
//! an empty file.

use predicates::prelude::*;

use crate::support::xsoar_rel;

const REL: &str = r#"{"name":"uses","entity_a":"u","entity_a_type":"Account","entity_b":"h","entity_b_type":"Host"}"#;

#[test]
fn a_line_longer_than_the_limit_is_a_bad_record_with_its_line_number() {
    let mut input = format!("{REL}\n").into_bytes();
    input.extend(std::iter::repeat_n(b'x', 5000));
    input.extend_from_slice(format!("\n{REL}\n").as_bytes());
    let message = "line 2: the line is longer than the limit of 1000 bytes (--max-line-bytes); it was not read";
    for cmd in ["batch", "render"] {
        xsoar_rel()
            .args([cmd, "--max-line-bytes", "1000", "-"])
            .write_stdin(input.clone())
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message));
        let out = xsoar_rel()
            .args([cmd, "--max-line-bytes", "1000", "--keep-going", "-"])
            .write_stdin(input.clone())
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message))
            .stderr(predicate::str::contains("1 bad record of 3"));
        let stdout = &out.get_output().stdout;
        assert!(!stdout.is_empty());
    }
}

#[test]
fn an_endless_line_is_refused_in_bounded_memory() {
    // 100 MB without a newline; the limit stops reading at 1 MB.
    let zeros = vec![0u8; 100_000_000];
    xsoar_rel()
        .args(["batch", "--max-line-bytes", "1048576", "-"])
        .write_stdin(zeros.clone())
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "line 1: the line is longer than the limit of 1048576 bytes",
        ));
    xsoar_rel()
        .args(["validate", "--max-line-bytes", "1048576", "-"])
        .write_stdin(zeros)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "-:1: [0]: the line is longer than the limit of 1048576 bytes",
        ));
}

#[test]
fn validate_limits_a_value_spanning_lines_too() {
    let pretty = format!("[\n{}\n]\n", " ".repeat(3000));
    xsoar_rel()
        .args(["validate", "--max-line-bytes", "1000", "-"])
        .write_stdin(pretty)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "-:1: [0]: the value starting on this line is longer than the limit of 1000 bytes",
        ));
}

#[test]
fn batch_size_has_a_documented_maximum() {
    for cmd in [
        &["batch", "--batch-size", "4294967295", "-"][..],
        &["batch", "--batch-size", "10001", "-"][..],
        &["convert-stix", "--batch-size", "10001", "-"][..],
    ] {
        xsoar_rel()
            .args(cmd)
            .write_stdin(REL)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is not in 1..=10000"));
    }
    xsoar_rel()
        .args(["batch", "--batch-size", "10000", "-"])
        .write_stdin(REL)
        .assert()
        .success();
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend_from_slice(REL.as_bytes());
    let plain = xsoar_rel()
        .args(["batch", "-"])
        .write_stdin(REL)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    xsoar_rel()
        .args(["batch", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(plain.clone());
    let mut batches = b"\xEF\xBB\xBF".to_vec();
    batches.extend_from_slice(&plain);
    xsoar_rel()
        .args(["validate", "-"])
        .write_stdin(batches)
        .assert()
        .success();
}

#[test]
fn validate_says_that_an_empty_file_is_empty() {
    for input in ["", "\n  \n"] {
        xsoar_rel()
            .args(["validate", "-"])
            .write_stdin(input)
            .assert()
            .code(1)
            .stdout("")
            .stderr("-: empty: no batches to check\n");
    }
}

#[test]
fn long_values_and_keys_are_cut_in_messages() {
    let long = "k".repeat(200_000);
    let input = [
        format!(r#"{{"name":"uses","entity_a":"u","entity_a_type":"Account","entity_b":"h","entity_b_type":"Host","{long}":1}}"#),
        format!(r#"{{"name":"{long}","entity_a":"u","entity_a_type":"Account","entity_b":"h","entity_b_type":"Host"}}"#),
        format!(r#"{{"value":"v","type":"IP","score":"{long}"}}"#),
        format!(r#"{{"value":"{long}","type":"Hots"}}"#),
    ]
    .join("\n");
    let out = xsoar_rel()
        .args(["batch", "--keep-going", "-"])
        .write_stdin(input)
        .assert()
        .code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 5, "{stderr}");
    for line in stderr.lines() {
        assert!(line.len() < 400, "{}", &line[..400]);
    }
    assert!(stderr.contains("… (200000 characters)`"), "{stderr}");
}
