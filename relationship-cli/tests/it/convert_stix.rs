//! End-to-end tests of `xsoar-rel convert-stix` on the handwritten STIX 2.1 bundle (and on
//! MITRE ATT&CK when `scripts/fetch-attck.sh` has fetched it, which under CI (`CI=true`) it
//! must have), piped into `validate`.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{in_ci, repo_file, scratch_path, stix_bundle, xsoar_rel};

fn batches(text: &str) -> Vec<Vec<Value>> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn converts_to_stdout_with_the_summary_on_stderr() {
    let out = xsoar_rel()
        .arg("convert-stix")
        .arg(stix_bundle())
        .assert()
        .success();
    let out = out.get_output();
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    // No progress bar when stderr is not a terminal: the summary table is all there is.
    assert!(
        stderr.starts_with("STIX bundle (spec_version not given)\nobjects read: 74\n"),
        "{stderr}"
    );
    for needle in [
        "indicators written: 33",
        "relationships written: 19",
        "rejected: 24",
        "  unknown-name                   2",
        "  missing-tactic                 1",
    ] {
        assert!(stderr.contains(needle), "{needle:?} in {stderr}");
    }
    let b = batches(&stdout);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].len(), 34); // 33 indicators and the dummy
    assert!(stdout.contains(r#""value":"Kobalt Spider [Malware]","score":3,"type":"Malware""#));
    assert!(stdout.contains(r#""value":"TA0005 - Defense Evasion","score":0,"type":"Tactic""#));
}

#[test]
fn output_and_reject_files() {
    let (out, rejects) = (
        scratch_path("cs-out.ndjson"),
        scratch_path("cs-rejects.ndjson"),
    );
    xsoar_rel()
        .arg("convert-stix")
        .arg(stix_bundle())
        .arg("-o")
        .arg(&out)
        .arg("--reject-file")
        .arg(&rejects)
        .args(["--python-json", "--batch-size", "5"])
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(r#"{"value": "\u017daba Loader", "score": 3, "type": "Malware""#));
    assert!(batches(&text).iter().all(|b| (1..=5).contains(&b.len())));
    let rejected: Vec<Value> = std::fs::read_to_string(&rejects)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rejected.len(), 24);
    assert_eq!(rejected[0]["reason"], "unsupported-type");
    assert_eq!(rejected[0]["path"], "objects[1]");
    assert_eq!(rejected[0]["object"]["type"], "marking-definition");
    // The file validates.
    xsoar_rel()
        .arg("validate")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(": ok — 10 batches, 33 indicators, 4 dummy indicators, 19 relationships, largest batch 5"));
}

#[test]
fn options_change_types_names_and_placement() {
    let run = |args: &[&str]| -> String {
        let a = xsoar_rel()
            .arg("convert-stix")
            .args(args)
            .arg(stix_bundle())
            .assert()
            .success();
        String::from_utf8(a.get_output().stdout.clone()).unwrap()
    };
    let ta = run(&["--intrusion-set-as-threat-actor"]);
    // The feed's score table has no Threat Actor: null.
    assert!(ta.contains(r#""value":"Kobalt Spider","score":null,"type":"Threat Actor""#));
    let no_tactics = run(&["--no-tactics"]);
    assert!(!no_tactics.contains(r#""type":"Tactic""#));
    assert!(!no_tactics.contains(r#""relationships":[]"#));
    assert!(!no_tactics.contains(r#""entityBType":"Tactic""#));
    assert!(!ta.contains("[Malware]"));
    let ib = run(&["--indicated-by"]);
    assert!(ib.contains(r#""name":"indicated-by","reverseName":"indicator-of","type":"IndicatorToIndicator","entityA":"192.0.2.99""#));
    let lenient = run(&["--lenient"]);
    assert!(lenient.contains(r#""name":"located-at","reverseName":"related-to""#));
    let attach = run(&["--attach"]);
    let b = batches(&attach);
    let carrier = b[0]
        .iter()
        .find(|i| i["value"] == "Kobalt Spider" && i["type"] == "Intrusion Set")
        .unwrap();
    assert_eq!(
        carrier["relationships"][0]["entityB"],
        "Kobalt Spider [Malware]"
    );
    let creators = run(&["--creator-identities"]);
    assert!(creators.contains(r#""value":"Example CERT","score":0,"type":"Identity""#));
    xsoar_rel()
        .args(["convert-stix", "--attach", "--dummy"])
        .arg(stix_bundle())
        .assert()
        .code(2);
    xsoar_rel()
        .args(["convert-stix", "--batch-size", "0"])
        .arg(stix_bundle())
        .assert()
        .code(2);
}

#[test]
fn stdin_and_pipe_into_validate() {
    let a = xsoar_rel()
        .args(["convert-stix", "-"])
        .pipe_stdin(stix_bundle())
        .unwrap()
        .assert()
        .success();
    let stdout = a.get_output().stdout.clone();
    xsoar_rel()
        .args(["validate", "-"])
        .write_stdin(stdout)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "-: ok — 1 batches, 33 indicators, 1 dummy indicators, 19 relationships",
        ));
}

#[test]
fn malformed_bundles_exit_1_missing_files_exit_2() {
    let bad = scratch_path("cs-bad.json");
    std::fs::write(
        &bad,
        "{\"type\": \"bundle\", \"objects\": [\n  {\"type\": \"malware\"},\n  {\"type\": nope}\n]}",
    )
    .unwrap();
    xsoar_rel()
        .arg("convert-stix")
        .arg(&bad)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("cs-bad.json: malformed STIX bundle at line 3, column 13 (in objects[1]): expected ident"));
    let single = scratch_path("cs-single.json");
    std::fs::write(
        &single,
        r#"{"type": "malware", "id": "malware--1", "name": "x"}"#,
    )
    .unwrap();
    xsoar_rel()
        .arg("convert-stix")
        .arg(&single)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a STIX bundle"));
    xsoar_rel()
        .args(["convert-stix", "/nonexistent/bundle.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read /nonexistent/bundle.json",
        ));
    xsoar_rel()
        .arg("convert-stix")
        .arg(stix_bundle())
        .args(["--reject-file", "/nonexistent/dir/r.ndjson"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot create /nonexistent/dir/r.ndjson",
        ));
}

#[test]
fn help_explains_with_examples() {
    xsoar_rel()
        .args(["convert-stix", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("--reject-file")
                .and(predicate::str::contains(
                    "xsoar-rel convert-stix data/attck/enterprise.json",
                ))
                .and(predicate::str::contains("--no-tactics"))
                .and(predicate::str::contains(
                    "2e2facd30b8a79670ee7d90cd2a62c29f292610f",
                ))
                .and(predicate::str::contains(
                    "Deliberate differences from the feed",
                )),
        );
}

#[test]
fn attck_enterprise_when_fetched() {
    let attck = repo_file("data/attck/enterprise.json");
    if !attck.exists() {
        assert!(
            !in_ci(),
            "{} is missing and under CI (CI=true) this test may not be skipped: \
             run scripts/fetch-attck.sh to fetch the ATT&CK bundle",
            attck.display()
        );
        eprintln!(
            "note: {} is missing, skipped (run scripts/fetch-attck.sh; under CI=true this fails)",
            attck.display()
        );
        return;
    }
    let out = scratch_path("cs-attck.ndjson");
    xsoar_rel()
        .arg("convert-stix")
        .arg(&attck)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("indicators written: 1138")
                .and(predicate::str::contains("relationships written: 8848"))
                .and(predicate::str::contains("  Tactic                  14"))
                .and(predicate::str::contains("  part-of               206")),
        );
    xsoar_rel()
        .arg("validate")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("5 batches, 1138 indicators, 5 dummy indicators, 8848 relationships, largest batch 1139"));
}
