//! Every command's peak memory stays within its stated bound on hostile input: each case runs
//! the binary under an address-space limit (`ulimit -v`) and requires the documented exit
//! code and message, never an abort (134) or a kill.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{bin, temp_dir as tmp};

/// The address space each case may use, in KiB: far below what the inputs would take without
/// their limits, far above what a bounded run needs (thread stacks and allocator arenas
/// included).
const LIMIT_KIB: u64 = 1_500_000;

/// Runs `script` with `sh`, under the address-space limit; `$BIN` is the binary.
fn limited(script: &str, dir: &Path) -> Output {
    limited_to(LIMIT_KIB, script, dir)
}

/// Runs `script` with `sh`, under an address-space limit of `kib` KiB.
fn limited_to(kib: u64, script: &str, dir: &Path) -> Output {
    let full = format!("ulimit -v {kib} && {script}");
    let out = Command::new("sh")
        .arg("-c")
        .arg(full)
        .env("BIN", bin())
        .env("MALLOC_ARENA_MAX", "2")
        .current_dir(dir)
        .output();
    match out {
        Ok(o) => o,
        Err(e) => panic!("cannot run sh: {e}"),
    }
}

fn code_and_stderr(out: &Output) -> (Option<i32>, String) {
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn validate_stops_on_an_endless_line() {
    let dir = tmp();
    // `cat /dev/zero | xsoar-rel validate -` used to run without end.
    let out = limited(
        r#"cat /dev/zero | "$BIN" validate --max-line-bytes 1048576 -"#,
        dir.path(),
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("-:1: [0]: the line is longer than the limit of 1048576 bytes")
            && err.contains("it and the rest of the input were not read"),
        "{err}"
    );
}

#[test]
fn batch_keep_going_stops_on_an_endless_line() {
    let dir = tmp();
    let out = limited(
        r#"cat /dev/zero | "$BIN" batch --keep-going --max-line-bytes 1048576 - > /dev/null"#,
        dir.path(),
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("line 1: the line is longer than the limit of 1048576 bytes"),
        "{err}"
    );
}

#[test]
fn batch_lines_stay_within_the_byte_cap_whatever_the_batch_size() {
    let dir = tmp();
    // 24 distinct relationships of 2 MiB each: one batch of 10,000 items would be one 48 MiB
    // line; the 8 MiB cap closes batches early.
    let mut input = String::new();
    for i in 0..24 {
        input.push_str(&format!(
            r#"{{"name":"uses","entity_a":"u{i}","entity_a_type":"Account","entity_b":"{}","entity_b_type":"Host"}}"#,
            "h".repeat(2 << 20)
        ));
        input.push('\n');
    }
    if let Err(e) = std::fs::write(dir.path().join("in.ndjson"), input) {
        panic!("write: {e}");
    }
    let out = limited(
        r#""$BIN" batch --batch-size 10000 in.ndjson > out.ndjson"#,
        dir.path(),
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(0), "{err}");
    let text = match std::fs::read_to_string(dir.path().join("out.ndjson")) {
        Ok(t) => t,
        Err(e) => panic!("read: {e}"),
    };
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 6, "{} lines", lines.len());
    assert!(lines.iter().all(|l| l.len() < 8 << 20));
    assert_eq!(text.matches(r#""used-by""#).count(), 24);
}

#[test]
fn convert_stix_refuses_an_oversized_object_and_leaves_no_file() {
    let dir = tmp();
    let mut bundle = br#"{"type":"bundle","objects":[{"type":"malware","name":""#.to_vec();
    bundle.extend(std::iter::repeat_n(b'a', 70 << 20));
    bundle.extend_from_slice(br#""}]}"#);
    if let Err(e) = std::fs::write(dir.path().join("b.json"), bundle) {
        panic!("write: {e}");
    }
    let out = limited(
        r#""$BIN" convert-stix - -o out.ndjson < b.json"#,
        dir.path(),
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("objects[0] (line 1) is 73400348 bytes, more than the limit of 64 MiB"),
        "{err}"
    );
    let left: Vec<_> = match std::fs::read_dir(dir.path()) {
        Ok(d) => d.filter_map(Result::ok).map(|e| e.file_name()).collect(),
        Err(e) => panic!("read_dir: {e}"),
    };
    assert_eq!(left.len(), 1, "{left:?}");
}

/// The start of a bundle of about `mib` MiB: objects of a type that is not converted, 1 MiB
/// each, then a course of action, its `objects` array left open after a comma and a newline.
/// Returns the text and the number of objects.
fn open_bundle(mib: usize) -> (Vec<u8>, usize) {
    let mut bundle = b"{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[\n".to_vec();
    let padding = "p".repeat(1 << 20);
    for n in 0..mib {
        bundle.extend_from_slice(
            format!(r#"{{"type":"x-padding","id":"x-padding--{n}","x_text":"{padding}"}},"#)
                .as_bytes(),
        );
        bundle.push(b'\n');
    }
    bundle.extend_from_slice(
        br#"{"type":"course-of-action","id":"course-of-action--1","name":"Patch","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z"},"#,
    );
    bundle.push(b'\n');
    (bundle, mib + 1)
}

fn write_file(path: &Path, bytes: &[u8]) {
    if let Err(e) = std::fs::write(path, bytes) {
        panic!("write: {e}");
    }
}

#[test]
fn convert_stix_reads_a_bundle_larger_than_its_address_space_object_by_object() {
    let dir = tmp();
    // 64 MiB of objects under a 48 MiB address space: the bundle is never held whole.
    let (mut bundle, n) = open_bundle(64);
    bundle.extend_from_slice(br#"{"type":"x-mitre-matrix","id":"x-mitre-matrix--1"}]}"#);
    write_file(&dir.path().join("b.json"), &bundle);
    let out = limited_to(
        48 * 1024,
        r#""$BIN" convert-stix b.json -o out.ndjson"#,
        dir.path(),
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains(&format!("{}", n + 1)), "{err}");
    let text = match std::fs::read_to_string(dir.path().join("out.ndjson")) {
        Ok(t) => t,
        Err(e) => panic!("read: {e}"),
    };
    assert!(text.contains(r#""value":"Patch""#), "{text}");
}

#[test]
fn convert_stix_refuses_an_oversized_object_late_in_a_bundle_in_bounded_memory() {
    let dir = tmp();
    // 32 MiB of objects, then one of 70 MiB, under a 256 MiB address space: refused with its
    // size and place, the output file not left behind.
    let (mut bundle, n) = open_bundle(32);
    let head = br#"{"type":"malware","id":"malware--1","name":""#;
    bundle.extend_from_slice(head);
    bundle.extend(std::iter::repeat_n(b'a', 70 << 20));
    bundle.extend_from_slice(br#""}]}"#);
    write_file(&dir.path().join("b.json"), &bundle);
    let out = limited_to(
        256 * 1024,
        r#""$BIN" convert-stix b.json -o out.ndjson"#,
        dir.path(),
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(1), "{err}");
    let (line, len) = (2 + n, head.len() + (70 << 20) + 2);
    let want = format!(
        "b.json: objects[{n}] (line {line}) is {len} bytes, more than the limit of 64 MiB for one STIX object or value; nothing was converted"
    );
    assert!(err.contains(&want), "{err}\nwant {want}");
    let left: Vec<_> = match std::fs::read_dir(dir.path()) {
        Ok(d) => d.filter_map(Result::ok).map(|e| e.file_name()).collect(),
        Err(e) => panic!("read_dir: {e}"),
    };
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn convert_stix_refuses_an_oversized_bundle_before_reading_it() {
    let dir = tmp();
    let path = dir.path().join("sparse.json");
    let file = match std::fs::File::create(&path) {
        Ok(f) => f,
        Err(e) => panic!("create: {e}"),
    };
    if let Err(e) = file.set_len(600 << 20) {
        panic!("set_len: {e}");
    }
    let out = limited(r#""$BIN" convert-stix sparse.json"#, dir.path());
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("larger than the limit of 512 MiB"), "{err}");
}

#[test]
fn schema_check_and_generate_refuse_a_schema_past_the_limits_at_once() {
    let dir = tmp();
    // 45,030 types (the issue's 418 KB schema) with one relationship.
    let types: Vec<String> = (0..45_030).map(|i| format!("\"T{i}\"")).collect();
    let schema = format!(
        r#"{{"name": "big", "types": [{}], "relationships": [{{"name": "r", "reverse": "r", "any": true}}]}}"#,
        types.join(",")
    );
    if let Err(e) = std::fs::write(dir.path().join("big.json"), schema) {
        panic!("write: {e}");
    }
    for script in [
        r#""$BIN" schema check big.json"#,
        r#""$BIN" generate --schema big.json -o out.rs"#,
    ] {
        let out = limited(script, dir.path());
        let (code, err) = code_and_stderr(&out);
        assert_eq!(code, Some(1), "{script}: {err}");
        assert!(
            err.contains("too many types: at most 5000 are supported"),
            "{script}: {err}"
        );
    }
    assert!(!dir.path().join("out.rs").exists());
    // 200 types and 60 names: 12,000 (type, relationship) pairs.
    let types: Vec<String> = (0..200).map(|i| format!("\"T{i}\"")).collect();
    let rels: Vec<String> = (0..60)
        .map(|i| format!(r#"{{"name": "r{i}", "reverse": "r{i}", "any": true}}"#))
        .collect();
    let schema = format!(
        r#"{{"name": "wide", "types": [{}], "relationships": [{}]}}"#,
        types.join(","),
        rels.join(",")
    );
    if let Err(e) = std::fs::write(dir.path().join("wide.json"), schema) {
        panic!("write: {e}");
    }
    let out = limited(
        r#""$BIN" generate --schema wide.json -o out.rs"#,
        dir.path(),
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("too many types times relationship names: at most 10000 are supported"),
        "{err}"
    );
}

#[test]
fn render_stops_on_an_endless_line() {
    let dir = tmp();
    let out = limited(
        r#"cat /dev/zero | "$BIN" render --keep-going --max-line-bytes 1048576 - > /dev/null"#,
        dir.path(),
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("line 1: the line is longer than the limit of 1048576 bytes")
            && err.contains("it and the rest of the input were not read"),
        "{err}"
    );
}

/// Every command that reads a schema, a definition file or a checked-in module is bounded
/// by the schema file limit (8 MiB) or reads by comparison: 600 MB files (sparse) under
/// the address-space limit, each refused or judged with its message.
#[test]
fn schema_reading_commands_stay_bounded_on_huge_files() {
    let dir = tmp();
    let setup = "truncate -s 600M big.json && mkdir defs && truncate -s 600M defs/a.json";
    let cases = [
        (
            r#""$BIN" schema import-types defs -o out.json"#,
            "defs/a.json: larger than the limit of 8388608 bytes",
        ),
        (r#""$BIN" schema check big.json"#, "schema too large"),
        (
            r#""$BIN" schema diff big.json big.json"#,
            "schema too large",
        ),
        (
            r#""$BIN" schema explain --schema big.json Host"#,
            "schema too large",
        ),
        (
            r#""$BIN" generate --out big.json --check"#,
            "stale: big.json differs",
        ),
    ];
    let out = limited(setup, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", code_and_stderr(&out).1);
    for (script, expected) in cases {
        let out = limited(script, dir.path());
        let (code, err) = code_and_stderr(&out);
        assert_eq!(code, Some(1), "{script}: {err}");
        assert!(err.contains(expected), "{script}: {err}");
    }
    assert!(!dir.path().join("out.json").exists());
}

/// Peak resident memory (KiB) and exit code of `script` run by `sh`, read by a Python
/// parent from the kernel's accounting of its children (the command dominates: the
/// generators beside it are `cat` and `head`).
fn peak_rss_kib(script: &str, dir: &Path) -> (Option<i32>, u64, String) {
    let wrapper = "import resource, subprocess, sys\n\
                   r = subprocess.run(['sh', '-c', sys.argv[1]], stderr=subprocess.PIPE)\n\
                   sys.stderr.buffer.write(r.stderr)\n\
                   print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
    let out = Command::new("python3")
        .args(["-c", wrapper, script])
        .env("BIN", bin())
        .current_dir(dir)
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => panic!("python3 is needed to measure peak memory: {e}"),
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut parts = text.split_whitespace().map(str::parse::<i64>);
    let (Some(Ok(code)), Some(Ok(rss))) = (parts.next(), parts.next()) else {
        panic!(
            "no measurement: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let code = i32::try_from(code).ok().filter(|c| *c >= 0);
    let rss = u64::try_from(rss).unwrap_or(0);
    (code, rss, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// One record line of `len` bytes in all (its `\n` not counted), of a shape that is costly
/// to read: a long string, deep nesting inside the limit, or many keys.
fn hostile_line(shape: u8, len: usize, n: usize) -> String {
    let head = format!(
        r#"{{"name":"uses","entity_a":"u{n}","entity_a_type":"Account","entity_b":"h1","entity_b_type":"Host","fields":{{"#
    );
    let room = len.saturating_sub(head.len() + 2);
    let body = match shape {
        0 => format!(r#""x":"{}""#, "a".repeat(room.saturating_sub(6))),
        1 => {
            let depth = 500.min(room / 2);
            let pad = room.saturating_sub(2 * depth + 8);
            format!(
                r#""p":"{}","d":{}{}"#,
                "b".repeat(pad),
                "[".repeat(depth),
                "]".repeat(depth)
            )
        }
        _ => (0..room / 12)
            .map(|k| format!(r#""k{k:07}":1"#))
            .collect::<Vec<_>>()
            .join(","),
    };
    format!("{head}{body}}}}}")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 4,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// `render`, `batch` and `validate` on streams of about 120 MB made of lines near the
    /// line limit L (1 MiB here), of costly shapes, some past the limit, some without an
    /// end: each stays within its stated peak (docs/limits.md: render about 6 x L, batch
    /// about 6 x L + 4 x B, validate about 3 x L, plus a fixed 64 MiB for the program, its
    /// threads and read buffers) and ends with 0 or 1 and a message, never an abort.
    #[test]
    fn streaming_commands_stay_within_their_stated_peak(
        command in 0u8..3,
        shape in 0u8..3,
        per_mille in proptest::sample::select(vec![400usize, 990, 1000, 1010, 3000]),
        endless in proptest::bool::weighted(0.2),
    ) {
        const L: usize = 1 << 20;
        const B: usize = 8 << 20;
        let dir = tmp();
        let len = L * per_mille / 1000;
        // validate reads batches: each record line wrapped as a one-item batch.
        let wrap = command == 2;
        let mut lines = String::new();
        for n in 0..4 {
            let line = hostile_line(shape, len, n);
            if wrap {
                lines.push_str(&format!("[{line}]"));
            } else {
                lines.push_str(&line);
            }
            lines.push('\n');
        }
        if let Err(e) = std::fs::write(dir.path().join("lines.ndjson"), &lines) {
            panic!("write: {e}");
        }
        // About 120 MB of lines (30 copies of 4 lines near 1 MiB), then, for `endless`,
        // bytes without a line end.
        let tail = if endless { "; head -c 300000000 /dev/zero" } else { "" };
        let stream = format!("(for i in $(seq 30); do cat lines.ndjson; done{tail})");
        let (name, args, bound) = match command {
            0 => ("render", "render --keep-going", 6 * L),
            1 => ("batch", "batch --keep-going", 6 * L + 4 * B),
            _ => ("validate", "validate", 3 * L),
        };
        // No filter between the generator and the command: a filter reading an endless line
        // would be what the kernel measures.
        let script = format!(r#"{stream} | "$BIN" {args} --max-line-bytes {L} - > /dev/null"#);
        let (code, rss_kib, stderr) = peak_rss_kib(&script, dir.path());
        let allowed_kib = ((bound + (64 << 20)) >> 10) as u64;
        proptest::prop_assert!(matches!(code, Some(0 | 1)), "{name}: exit {code:?}: {stderr}");
        if code == Some(1) {
            proptest::prop_assert!(!stderr.trim().is_empty(), "{name}: exit 1 without a message");
        }
        proptest::prop_assert!(
            rss_kib <= allowed_kib,
            "{name} (shape {shape}, {per_mille}/1000 of L, endless {endless}): peak {rss_kib} KiB, stated bound {allowed_kib} KiB"
        );
    }
}
