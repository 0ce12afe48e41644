//! Hostile input the same on every path: one nesting limit (512) with a located error, lone
//! surrogate escapes refused honestly, a byte order mark skipped by `convert-stix` too, and
//! nothing valued `$$DummyIndicator$$` dropped without a message.

use relationship_core::limits::{LONE_SURROGATE, MAX_DEPTH, TOO_DEEP};

use crate::support::xsoar_rel;

/// `n` nested arrays.
fn arrays(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

/// A relationship record nested `depth` levels in all (the record and `fields` count).
fn relationship(depth: usize) -> String {
    format!(
        r#"{{"name":"uses","entity_a":"u1","entity_a_type":"Account","entity_b":"h1","entity_b_type":"Host","fields":{{"x":{}}}}}"#,
        arrays(depth - 2)
    )
}

/// An indicator record nested `depth` levels in all.
fn indicator(depth: usize) -> String {
    format!(
        r#"{{"value":"1.1.1.1","type":"IP","rawJSON":{}}}"#,
        arrays(depth - 1)
    )
}

/// A batch line nested `depth` levels in all.
fn batch_line(depth: usize) -> String {
    format!(
        r#"[{{"value":"1.1.1.1","type":"IP","rawJSON":{}}}]"#,
        arrays(depth - 2)
    )
}

/// A bundle nested `depth` levels in all, the deep object at `objects[1]`: a malware (kept
/// for the end of the bundle) or an attack pattern (converted at once).
fn bundle(depth: usize, stix_type: &str) -> String {
    format!(
        "{{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[{{\"type\":\"identity\",\"id\":\"identity--1\",\"name\":\"i\"}},\n{{\"type\":\"{stix_type}\",\"id\":\"{stix_type}--1\",\"name\":\"x\",\"x_deep\":{}}}]}}",
        arrays(depth - 3)
    )
}

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = xsoar_rel()
        .args(args)
        .write_stdin(stdin.to_owned())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A bundle file, removed when dropped.
struct BundleFile(std::path::PathBuf);

impl Drop for BundleFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn bundle_file(text: &str) -> (BundleFile, String) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "xsoar-rel-hostile-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, text).unwrap();
    let name = path.to_str().unwrap().to_owned();
    (BundleFile(path), name)
}

#[test]
fn depth_512_passes_on_every_path() {
    assert_eq!(MAX_DEPTH, 512);
    for (args, input) in [
        (&["render", "-"][..], relationship(512)),
        (&["batch", "-"][..], relationship(512)),
        (&["batch", "-"][..], indicator(512)),
        (&["validate", "-"][..], batch_line(512)),
    ] {
        let (code, stdout, stderr) = run(args, &input);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        if args[0] != "validate" {
            assert!(stdout.contains(&arrays(500)), "{args:?}");
        }
    }
    for stix_type in ["malware", "attack-pattern"] {
        let (_dir, path) = bundle_file(&bundle(512, stix_type));
        let (code, stdout, stderr) = run(&["convert-stix", &path], "");
        assert_eq!(code, 0, "{stix_type}: {stderr}");
        assert!(stdout.contains(&arrays(500)), "{stix_type}: {stdout}");
    }
}

#[test]
fn depth_513_is_the_same_located_error_on_every_path() {
    let cases = [
        (
            &["render", "-"][..],
            relationship(513),
            "line 1: malformed JSON: ",
        ),
        (
            &["batch", "-"][..],
            relationship(513),
            "line 1: malformed JSON: ",
        ),
        (
            &["batch", "-"][..],
            indicator(513),
            "line 1: malformed JSON: ",
        ),
        (
            &["validate", "-"][..],
            batch_line(513),
            "-:1: [0]: not a deliverable line: column",
        ),
    ];
    for (args, input, located) in cases {
        let (code, _, stderr) = run(args, &input);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains(TOO_DEEP), "{args:?}: {stderr}");
        assert!(stderr.contains(located), "{args:?}: {stderr}");
        assert!(stderr.contains("column"), "{args:?}: {stderr}");
    }
    for stix_type in ["malware", "attack-pattern"] {
        let (_dir, path) = bundle_file(&bundle(513, stix_type));
        let (code, _, stderr) = run(&["convert-stix", &path], "");
        assert_eq!(code, 1, "{stix_type}: {stderr}");
        let want = format!(
            "malformed STIX bundle at line 2, column {} (in objects[1]): {TOO_DEEP}",
            r#"{"type":"malware","id":"malware--1","name":"x","x_deep":"#.len()
                + 510
                + usize::from(stix_type == "attack-pattern") * 2 * "attack-pattern".len()
                - usize::from(stix_type == "attack-pattern") * 2 * "malware".len()
        );
        assert!(stderr.contains(&want), "{stix_type}: {stderr}\nwant {want}");
    }
}

#[test]
fn a_bundle_too_deep_outside_its_objects_is_refused_at_the_top_level() {
    let bundle = |depth: usize| {
        format!(
            r#"{{"type":"bundle","x_extra":{},"objects":[{{"type":"malware","id":"malware--1","name":"m"}}]}}"#,
            arrays(depth - 1)
        )
    };
    let (_file, path) = bundle_file(&bundle(512));
    let (code, stdout, stderr) = run(&["convert-stix", &path], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(r#""value":"m""#), "{stdout}");
    let (_file, path) = bundle_file(&bundle(513));
    let (code, stdout, stderr) = run(&["convert-stix", &path], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let want = format!(
        "malformed STIX bundle at line 1, column {} (in $): {TOO_DEEP}",
        r#"{"type":"bundle","x_extra":"#.len() + 512
    );
    assert!(stderr.contains(&want), "{stderr}\nwant {want}");
}

#[test]
fn far_deeper_input_is_refused_without_exhausting_the_stack() {
    let deep = arrays(200_000);
    let record = format!(r#"{{"value":"v","type":"IP","rawJSON":{deep}}}"#);
    let (code, _, stderr) = run(&["batch", "-"], &record);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(TOO_DEEP), "{stderr}");
    let (code, _, stderr) = run(&["validate", "-"], &deep);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(TOO_DEEP), "{stderr}");
    let (_dir, path) = bundle_file(&format!(r#"{{"type":"bundle","objects":[{deep}]}}"#));
    let (code, _, stderr) = run(&["convert-stix", &path], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(TOO_DEEP), "{stderr}");
}

#[test]
fn a_lone_surrogate_is_refused_with_an_honest_message() {
    let rel = r#"{"name":"uses","entity_a":"u\ud800","entity_a_type":"Account","entity_b":"h1","entity_b_type":"Host"}"#;
    let ind = r#"{"value":"v","type":"IP","rawJSON":{"k":"\udc00x"}}"#;
    let line = r#"[{"value":"v\ud800","type":"IP","rawJSON":{}}]"#;
    for (args, input) in [
        (&["render", "-"][..], rel),
        (&["batch", "-"][..], rel),
        (&["batch", "-"][..], ind),
        (&["validate", "-"][..], line),
    ] {
        let (code, _, stderr) = run(args, input);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains(LONE_SURROGATE), "{args:?}: {stderr}");
        assert!(!stderr.contains("hex escape"), "{args:?}: {stderr}");
        // The column of the escape's backslash in the line.
        let column = input.find("\\ud800").or(input.find("\\udc00")).unwrap() + 1;
        assert!(
            stderr.contains(&format!("column {column}")),
            "{args:?}: {stderr} (column {column})"
        );
    }
    let (_dir, path) = bundle_file(
        r#"{"type":"bundle","objects":[{"type":"malware","id":"malware--1","name":"m\ud800"}]}"#,
    );
    let (code, _, stderr) = run(&["convert-stix", &path], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(LONE_SURROGATE), "{stderr}");
}

#[test]
fn convert_stix_skips_a_byte_order_mark() {
    let text = "\u{feff}{\"type\":\"bundle\",\"objects\":[{\"type\":\"malware\",\"id\":\"malware--1\",\"name\":\"m\"}]}";
    let (_dir, path) = bundle_file(text);
    let (code, stdout, stderr) = run(&["convert-stix", &path], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(r#""value":"m""#), "{stdout}");
}

#[test]
fn an_indicator_valued_like_the_dummy_is_refused_not_dropped() {
    let input = "{\"value\":\"$$DummyIndicator$$\",\"type\":\"IP\",\"score\":2}\n{\"value\":\"8.8.8.8\",\"type\":\"IP\"}\n";
    for lenient in [false, true] {
        let mut args = vec!["batch", "--keep-going", "-"];
        if lenient {
            args.insert(1, "--lenient");
        }
        let (code, stdout, stderr) = run(&args, input);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains("line 1: the indicator value is `$$DummyIndicator$$` (type `IP`)"),
            "{stderr}"
        );
        assert!(stderr.contains("1 bad record of 2"), "{stderr}");
        assert!(stdout.contains("8.8.8.8"), "{stdout}");
    }
}

#[test]
fn a_relationship_on_the_dummy_value_fails_strict_render_batch_and_validate() {
    for side in ["entity_a", "entity_b"] {
        let mut rel: serde_json::Value = serde_json::from_str(
            r#"{"name":"uses","entity_a":"u1","entity_a_type":"Account","entity_b":"h1","entity_b_type":"Host"}"#,
        )
        .unwrap();
        rel[side] = "$$DummyIndicator$$".into();
        let input = format!("{rel}\n");
        for cmd in ["render", "batch"] {
            let (code, stdout, stderr) = run(&[cmd, "-"], &input);
            assert_eq!(code, 1, "{cmd} {side}: {stderr}");
            assert!(stdout.is_empty(), "{cmd} {side}: {stdout}");
            assert!(
                stderr.contains(&format!("line 1: {side} is `$$DummyIndicator$$`")),
                "{cmd} {side}: {stderr}"
            );
        }
    }
    let line = r#"[{"value": "$$DummyIndicator$$", "relationships": [{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u1", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "$$DummyIndicator$$", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}]}]"#;
    let (code, _, stderr) = run(&["validate", "-"], line);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("[0][0].relationships[0].entityB: `entityB` is `$$DummyIndicator$$`"),
        "{stderr}"
    );
}

/// A number that delivery refuses (Python reads `1e400` as infinity and writes `Infinity`;
/// an integer of 4,301 digits is more than `json.loads` reads) is a bad record for `render`
/// and `batch`, in either JSON style: nothing undeliverable is written, and what is written
/// passes `validate`.
#[test]
fn numbers_delivery_refuses_are_bad_records_not_output() {
    let long = "9".repeat(4301);
    let good = r#"{"name":"uses","entity_a":"u2","entity_a_type":"Account","entity_b":"h1","entity_b_type":"Host","fields":{"x":1.5e300,"y":12}}"#;
    let cases = [
        (
            relationship(3).replace("[]", "1e400"),
            "line 1: the number 1e400 is out of the range of a double (column ",
        ),
        (
            indicator(2).replace("[]", "-1E999"),
            "line 1: the number -1E999 is out of the range of a double (column ",
        ),
        (
            relationship(3).replace("[]", &long),
            "line 1: an integer of 4301 digits, more than the 4300",
        ),
    ];
    for (record, expected) in cases {
        for command in ["render", "batch"] {
            if command == "render" && record.contains("rawJSON") {
                continue; // indicator records are batch's
            }
            for style in [&[][..], &["--python-json"][..]] {
                let mut args = vec![command];
                args.extend_from_slice(style);
                args.extend(["--keep-going", "-"]);
                let (code, stdout, stderr) = run(&args, &format!("{record}\n{good}\n"));
                assert_eq!(code, 1, "{args:?}: {stderr}");
                assert!(stderr.contains(expected), "{args:?}: {stderr}");
                assert!(
                    !stdout.contains("Infinity") && !stdout.contains("e+400"),
                    "{stdout}"
                );
                assert!(
                    stdout.contains("\"u2\""),
                    "{args:?}: the good record is written"
                );
                if command == "batch" {
                    let (code, _, stderr) = run(&["validate", "-"], &stdout);
                    assert_eq!(code, 0, "{args:?}: {stderr}");
                }
            }
        }
    }
}

/// A STIX object holding a number delivery refuses is a malformed bundle with its place,
/// exit 1, nothing written: whether it is converted at once (a course of action) or kept for
/// the end of the bundle (a malware), where it used to fail late with exit 2.
#[test]
fn a_stix_number_beyond_the_double_range_is_malformed_with_its_place() {
    for stix_type in ["course-of-action", "malware"] {
        let bundle = format!(
            r#"{{"type":"bundle","id":"bundle--1","objects":[{{"type":"{stix_type}","id":"{stix_type}--11111111-1111-4111-8111-111111111111","name":"n1","x_big":1e400,"created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z"}}]}}"#
        );
        let (code, stdout, stderr) = run(&["convert-stix", "-"], &bundle);
        assert_eq!(code, 1, "{stix_type}: {stderr}");
        assert!(
            stderr.contains("malformed STIX bundle at line 1, column ")
                && stderr
                    .contains("(in objects[0]): the number 1e400 is out of the range of a double"),
            "{stix_type}: {stderr}"
        );
        assert!(!stdout.contains("Infinity"), "{stdout}");
    }
}
