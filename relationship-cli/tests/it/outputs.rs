//! File outputs are written whole or not at all: an error leaves the previous file as it
//! was, and an output that is also an input is refused (exit 2) before anything is opened.

use std::fs;

use predicates::prelude::*;

use crate::support::{names, repo_file, stix_bundle, temp_dir, xsoar_rel};

#[test]
fn convert_stix_refuses_to_write_over_its_input() {
    let d = temp_dir();
    let a = d.path().join("a.json");
    fs::copy(stix_bundle(), &a).unwrap();
    let before = fs::read(&a).unwrap();
    xsoar_rel()
        .current_dir(d.path())
        .args(["convert-stix", "a.json", "-o", "a.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--output a.json is the same file as the bundle a.json",
        ));
    // another spelling of the same path, and the reject file
    fs::create_dir(d.path().join("sub")).unwrap();
    for (flag, value) in [("-o", "sub/../a.json"), ("--reject-file", "./a.json")] {
        xsoar_rel()
            .current_dir(d.path())
            .args(["convert-stix", "a.json", flag, value])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("refusing to overwrite an input"));
    }
    // --schema is an input too
    let schema = d.path().join("s.json");
    fs::copy(repo_file("schemas/xsoar.json"), &schema).unwrap();
    xsoar_rel()
        .current_dir(d.path())
        .args([
            "convert-stix",
            "--schema",
            "s.json",
            "a.json",
            "-o",
            "s.json",
        ])
        .assert()
        .code(2);
    assert_eq!(
        fs::read(&schema).unwrap(),
        fs::read(repo_file("schemas/xsoar.json")).unwrap()
    );
    // the output and the reject file cannot be one file
    xsoar_rel()
        .current_dir(d.path())
        .args(["convert-stix", "a.json", "-o", "o.ndjson"])
        .args(["--reject-file", "sub/../o.ndjson"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("each output needs its own file"));
    assert_eq!(fs::read(&a).unwrap(), before);
    assert_eq!(names(d.path()), ["a.json", "s.json", "sub"]);
}

#[test]
fn a_failed_conversion_leaves_the_previous_output_untouched() {
    let d = temp_dir();
    let out = d.path().join("out.ndjson");
    let rejects = d.path().join("rejects.ndjson");
    fs::write(&out, "previous\n").unwrap();
    fs::write(&rejects, "previous rejects\n").unwrap();
    // a truncated bundle: exit 1, nothing replaced
    let text = fs::read(stix_bundle()).unwrap();
    let truncated = d.path().join("truncated.json");
    fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    xsoar_rel()
        .arg("convert-stix")
        .arg(&truncated)
        .arg("-o")
        .arg(&out)
        .arg("--reject-file")
        .arg(&rejects)
        .assert()
        .code(1);
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous\n");
    assert_eq!(fs::read_to_string(&rejects).unwrap(), "previous rejects\n");
    // a reject file that cannot be created: exit 2, the output is not emptied
    xsoar_rel()
        .arg("convert-stix")
        .arg(stix_bundle())
        .arg("-o")
        .arg(&out)
        .arg("--reject-file")
        .arg(d.path().join("missing-dir").join("r.ndjson"))
        .assert()
        .code(2);
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous\n");
    // no temporary file is left behind
    assert_eq!(
        names(d.path()),
        ["out.ndjson", "rejects.ndjson", "truncated.json"]
    );
    // a successful run replaces both
    xsoar_rel()
        .arg("convert-stix")
        .arg(stix_bundle())
        .arg("-o")
        .arg(&out)
        .arg("--reject-file")
        .arg(&rejects)
        .assert()
        .success();
    let stdout = xsoar_rel()
        .arg("convert-stix")
        .arg(stix_bundle())
        .output()
        .unwrap()
        .stdout;
    assert_eq!(fs::read(&out).unwrap(), stdout);
    assert!(
        fs::read_to_string(&rejects)
            .unwrap()
            .starts_with("{\"reason\"")
    );
}

#[test]
fn generate_refuses_to_write_over_its_schema() {
    let d = temp_dir();
    let schema = d.path().join("hr.json");
    fs::copy(repo_file("schemas/xsoar.json"), &schema).unwrap();
    let before = fs::read(&schema).unwrap();
    for out in ["hr.json", "./hr.json"] {
        xsoar_rel()
            .current_dir(d.path())
            .args(["generate", "--schema", "hr.json", "--out", out])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "is the same file as --schema hr.json: refusing to overwrite an input",
            ));
    }
    assert_eq!(fs::read(&schema).unwrap(), before);
    assert_eq!(names(d.path()), ["hr.json"]);
}

/// Runs `xsoar-rel ARGS` with `input` on stdin, reads the first bytes of its output and
/// closes the pipe; returns the exit code and stderr.
fn closed_early(args: &[&str], input: Vec<u8>) -> (Option<i32>, String) {
    use std::io::{Read, Write};
    use std::process::Stdio;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_xsoar-rel"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    feeder.join().unwrap();
    (status.code(), stderr)
}

#[test]
fn a_closed_pipe_is_an_error_and_no_summary_claims_otherwise() {
    let mut input = b"{}\n".to_vec();
    for i in 0..20_000 {
        input.extend_from_slice(
            format!(
                "{{\"name\":\"uses\",\"entity_a\":\"u{i}\",\"entity_a_type\":\"Account\",\
                 \"entity_b\":\"h{i}\",\"entity_b_type\":\"Host\"}}\n"
            )
            .as_bytes(),
        );
    }
    for args in [
        &["batch", "--batch-size", "1", "--keep-going", "-"][..],
        &["render", "--keep-going", "-"][..],
    ] {
        let (code, stderr) = closed_early(args, input.clone());
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.ends_with(&format!(
                "xsoar-rel {}: output closed before the run finished (broken pipe): the output is incomplete\n",
                args[0]
            )),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("were written"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
