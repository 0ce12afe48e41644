//! The output rules, the same for every command that writes a file (`generate --out`,
//! `convert-stix -o` and `--reject-file`, `schema import-types -o`): hostile and careless
//! cases end with the documented exit code, one message naming the output, and nothing lost
//! or overwritten.
#![cfg(unix)]

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::support::{bin, names, repo_file, stix_bundle, temp_dir, xsoar_rel};

/// The three commands that write a file, each writing `out` in the current directory.
fn writers(out: &str) -> Vec<Vec<String>> {
    let bundle = stix_bundle().display().to_string();
    let types = repo_file("relationship-cli/tests/fixtures/indicator-types/pack")
        .display()
        .to_string();
    [
        vec!["generate", "--out", out],
        vec!["convert-stix", &bundle, "-o", out],
        vec!["convert-stix", &bundle, "--reject-file", out],
        vec!["schema", "import-types", &types, "-o", out],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect()
}

/// The command's name in its messages.
fn command(args: &[String]) -> String {
    if args[0] == "schema" {
        format!("schema {}", args[1])
    } else {
        args[0].clone()
    }
}

/// Waits for `child` at most `secs` seconds; kills it and fails if it is still running.
fn wait_at_most(child: &mut Child, secs: u64) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            panic!("still running after {secs}s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_link_planted_at_the_old_temporary_name_is_not_followed() {
    let d = temp_dir();
    fs::write(d.path().join("victim.txt"), "precious\n").unwrap();
    // The reproduction of the issue: the shell's pid is the pid of the command it execs.
    let status = std::process::Command::new("sh")
        .current_dir(d.path())
        .arg("-c")
        .arg(format!(
            "ln -s victim.txt .out.rs.$$.tmp; exec '{}' generate --out out.rs",
            bin()
        ))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(d.path().join("victim.txt")).unwrap(),
        "precious\n"
    );
    assert!(
        fs::read_to_string(d.path().join("out.rs"))
            .unwrap()
            .starts_with("// @generated")
    );
}

#[test]
fn links_are_followed_and_kept_and_special_files_written_directly() {
    for args in writers("link.out") {
        let d = temp_dir();
        fs::write(d.path().join("real.out"), "old\n").unwrap();
        symlink("real.out", d.path().join("link.out")).unwrap();
        xsoar_rel()
            .current_dir(d.path())
            .args(&args)
            .assert()
            .code(0);
        let link = fs::symlink_metadata(d.path().join("link.out")).unwrap();
        assert!(link.file_type().is_symlink(), "{args:?}");
        assert_ne!(
            fs::read_to_string(d.path().join("real.out")).unwrap(),
            "old\n",
            "{args:?}"
        );
        assert_eq!(names(d.path()), ["link.out", "real.out"], "{args:?}");
    }
    for args in writers("/dev/null") {
        xsoar_rel().args(&args).assert().code(0);
    }
}

#[test]
fn a_missing_directory_or_a_directory_name_is_refused_before_any_work() {
    for out in ["newdir/x.out", "newdir/", "."] {
        for args in writers(out) {
            let d = temp_dir();
            xsoar_rel()
                .current_dir(d.path())
                .args(&args)
                .assert()
                .code(2)
                .stdout("")
                .stderr(
                    predicate::str::starts_with(format!("xsoar-rel {}: ", command(&args)))
                        .and(predicate::str::contains("cannot "))
                        .and(predicate::str::contains(out.trim_end_matches('/'))),
                );
            assert!(
                names(d.path()).is_empty(),
                "{args:?}: {:?}",
                names(d.path())
            );
        }
    }
    // The output is checked before the bundle is read: a bundle that never ends does not
    // keep the run from failing at once.
    let d = temp_dir();
    let mut child = std::process::Command::new(bin())
        .current_dir(d.path())
        .args(["convert-stix", "-", "-o", "newdir/"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let status = wait_at_most(&mut child, 20);
    drop(stdin);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("xsoar-rel convert-stix: cannot create newdir/: "),
        "{stderr}"
    );
}

#[test]
fn an_input_on_standard_input_is_an_input() {
    let d = temp_dir();
    let c = d.path().join("c.json");
    fs::copy(stix_bundle(), &c).unwrap();
    let before = fs::read(&c).unwrap();
    for args in [
        ["convert-stix", "-", "-o", "c.json"],
        ["convert-stix", "-", "-o", "/dev/stdin"],
        ["convert-stix", "c.json", "-o", "/dev/stdin"],
        ["convert-stix", "-", "--reject-file", "c.json"],
    ] {
        // Standard input is the file itself, as with `< c.json`.
        let out = std::process::Command::new(bin())
            .current_dir(d.path())
            .args(args)
            .stdin(fs::File::open(&c).unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
        assert!(
            stderr.starts_with("xsoar-rel convert-stix: ")
                && stderr.contains("refusing to overwrite an input"),
            "{args:?}: {stderr}"
        );
        assert_eq!(fs::read(&c).unwrap(), before, "{args:?}");
    }
    assert_eq!(names(d.path()), ["c.json"]);
    // standard input a pipe: writing into it would feed the run its own output
    let mut child = std::process::Command::new(bin())
        .current_dir(d.path())
        .args(["convert-stix", "-", "-o", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(&before);
    drop(stdin);
    let status = wait_at_most(&mut child, 20);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("refusing to overwrite an input"),
        "{stderr}"
    );
}

#[test]
fn what_the_user_could_not_have_written_is_not_replaced() {
    // read-only
    for args in writers("ro.out") {
        let d = temp_dir();
        let ro = d.path().join("ro.out");
        fs::write(&ro, "old\n").unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
        xsoar_rel()
            .current_dir(d.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("cannot create ro.out: ")
                    .or(predicate::str::contains("cannot write ro.out: ")),
            )
            .stderr(predicate::str::contains("read-only"));
        assert_eq!(fs::read_to_string(&ro).unwrap(), "old\n", "{args:?}");
        assert_eq!(
            fs::metadata(&ro).unwrap().permissions().mode() & 0o777,
            0o444
        );
        assert_eq!(names(d.path()), ["ro.out"], "{args:?}");
    }
    // other hard links
    for args in writers("a.out") {
        let d = temp_dir();
        let a = d.path().join("a.out");
        fs::write(&a, "old\n").unwrap();
        fs::hard_link(&a, d.path().join("b.out")).unwrap();
        xsoar_rel()
            .current_dir(d.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("hard link"));
        assert_eq!(fs::read_to_string(&a).unwrap(), "old\n", "{args:?}");
        assert_eq!(fs::metadata(&a).unwrap().nlink(), 2);
        assert_eq!(names(d.path()), ["a.out", "b.out"], "{args:?}");
    }
    // another owner (only a privileged user can give a file away)
    for args in writers("theirs.out") {
        let d = temp_dir();
        let theirs = d.path().join("theirs.out");
        fs::write(&theirs, "old\n").unwrap();
        let me = fs::metadata(&theirs).unwrap().uid();
        if std::os::unix::fs::chown(&theirs, Some(me + 1), None).is_err() {
            return;
        }
        xsoar_rel()
            .current_dir(d.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("owned by another user"));
        assert_eq!(fs::read_to_string(&theirs).unwrap(), "old\n", "{args:?}");
        assert_eq!(fs::metadata(&theirs).unwrap().uid(), me + 1);
    }
}

#[test]
fn a_fifo_in_an_import_directory_is_skipped_and_said() {
    let d = temp_dir();
    let defs = d.path().join("defs");
    fs::create_dir(&defs).unwrap();
    fs::write(
        defs.join("a.json"),
        r#"{"id": "Employee", "details": "Employee"}"#,
    )
    .unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(defs.join("b.json"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = std::process::Command::new(bin())
        .current_dir(d.path())
        .args(["schema", "import-types", "defs", "-o", "ours.json"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_at_most(&mut child, 30);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with(
            "xsoar-rel schema import-types: skipped defs/b.json: a FIFO (named pipe), not a \
             regular file\n"
        ),
        "{stderr}"
    );
    assert!(
        fs::read_to_string(d.path().join("ours.json"))
            .unwrap()
            .contains("\"Employee\"")
    );
}

#[test]
fn an_output_inside_an_input_directory_is_an_input() {
    let d = temp_dir();
    let defs = d.path().join("defs");
    fs::create_dir(&defs).unwrap();
    let a = defs.join("a.json");
    fs::write(&a, r#"{"id": "Employee", "details": "Employee"}"#).unwrap();
    xsoar_rel()
        .current_dir(d.path())
        .args(["schema", "import-types", "defs", "-o", "defs/a.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite an input"));
    assert_eq!(
        fs::read_to_string(&a).unwrap(),
        r#"{"id": "Employee", "details": "Employee"}"#
    );
}

#[test]
fn a_closed_pipe_is_the_documented_line() {
    let mut child = std::process::Command::new(bin())
        .arg("generate")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
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
    let status = wait_at_most(&mut child, 30);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "xsoar-rel generate: output closed before the run finished (broken pipe): the output \
         is incomplete\n"
    );
}

#[test]
fn a_signal_removes_the_temporary_file_and_keeps_the_previous_output() {
    for signal in ["TERM", "INT"] {
        let d = temp_dir();
        let out = d.path().join("out.ndjson");
        fs::write(&out, "previous\n").unwrap();
        // A bundle that is still being written when the signal comes.
        let mut child = std::process::Command::new(bin())
            .current_dir(d.path())
            .args(["convert-stix", "-", "-o", "out.ndjson"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(b"{\"type\": \"bundle\", \"objects\": [")
            .unwrap();
        stdin.flush().unwrap();
        let start = Instant::now();
        while names(d.path()).len() < 2 {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no temporary file"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let temp = names(d.path())
            .into_iter()
            .find(|n| n != "out.ndjson")
            .unwrap();
        assert!(
            temp.starts_with(".out.ndjson.") && temp.ends_with(".tmp"),
            "{temp}"
        );
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = wait_at_most(&mut child, 20);
        drop(stdin);
        assert!(!status.success());
        assert_eq!(names(d.path()), ["out.ndjson"], "SIG{signal}");
        assert_eq!(fs::read_to_string(&out).unwrap(), "previous\n");
    }
}

#[test]
fn a_read_only_file_that_holds_the_code_is_up_to_date() {
    let d = temp_dir();
    let out = d.path().join("gen.rs");
    xsoar_rel()
        .current_dir(d.path())
        .args(["generate", "--out", "gen.rs"])
        .assert()
        .code(0);
    let code = fs::read(&out).unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).unwrap();
    xsoar_rel()
        .current_dir(d.path())
        .args(["generate", "--out", "gen.rs"])
        .assert()
        .code(0)
        .stderr("xsoar-rel generate: gen.rs is already up to date\n");
    // a different code is refused, and the file kept
    xsoar_rel()
        .current_dir(d.path())
        .args(["generate", "--module", "xsoar", "--out", "gen.rs"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "xsoar-rel generate: cannot write gen.rs: it is read-only",
        ));
    assert_eq!(fs::read(&out).unwrap(), code);
    assert_eq!(names(d.path()), ["gen.rs"]);
}

#[test]
fn special_files_may_be_named_twice_and_long_names_work() {
    xsoar_rel()
        .arg("convert-stix")
        .arg(stix_bundle())
        .args(["-o", "/dev/null", "--reject-file", "/dev/null"])
        .assert()
        .code(0);
    let d = temp_dir();
    let long = format!("{}.ndjson", "x".repeat(240));
    xsoar_rel()
        .current_dir(d.path())
        .arg("convert-stix")
        .arg(stix_bundle())
        .args(["-o", &long])
        .assert()
        .code(0);
    assert_eq!(names(d.path()), [long]);
}

#[test]
fn check_does_not_read_a_fifo_or_a_directory() {
    let d = temp_dir();
    let status = std::process::Command::new("mkfifo")
        .arg(d.path().join("gen.rs"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = std::process::Command::new(bin())
        .current_dir(d.path())
        .args(["generate", "--out", "gen.rs", "--check"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert_eq!(wait_at_most(&mut child, 20).code(), Some(2));
    xsoar_rel()
        .args(["generate", "--check", "--out"])
        .arg(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "xsoar-rel generate: cannot read ",
        ));
}
