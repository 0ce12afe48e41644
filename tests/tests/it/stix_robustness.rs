//! Bad input never panics the converter: truncated bundles, mutated bytes, documents that are
//! not bundles, failing readers and writers. Every run either succeeds with a balanced report
//! and output that passes `validate`, or returns a typed error.

use std::io::{self, Read, Write};

use relationship_core::validate::validate_str;
use relationship_stix::{ConversionReport, ConvertError, ConvertOptions, convert};

const BUNDLE: &str = crate::support::STIX_BUNDLE;

fn try_convert(input: &[u8]) -> Result<(ConversionReport, String), ConvertError> {
    let mut out = Vec::new();
    let mut rejects = Vec::new();
    let schema = relationship_core::xsoar::schema();
    let opts = ConvertOptions::default();
    let report = convert(
        input,
        &mut out,
        schema,
        &opts,
        Some(&mut rejects),
        &mut |_| {},
    )?;
    // Output bytes are always UTF-8 JSON; rejected objects are one line each.
    let out = String::from_utf8(out).expect("UTF-8 output");
    let rejects = String::from_utf8(rejects).expect("UTF-8 rejects");
    assert_eq!(rejects.lines().count() as u64, report.rejected_total());
    Ok((report, out))
}

/// A successful run must account for every object and write only valid batches.
fn check_success(report: &ConversionReport, out: &str) {
    assert!(report.is_balanced(), "{report}");
    let mut violations = Vec::new();
    validate_str(
        out,
        "out",
        relationship_core::xsoar::schema(),
        &mut violations,
    );
    assert!(violations.is_empty(), "{violations:?}");
}

#[test]
fn every_truncation_is_a_located_json_error() {
    let full = BUNDLE.as_bytes();
    let trimmed = BUNDLE.trim_end().len();
    let cuts = (0..trimmed).step_by(11).chain(trimmed - 40..=full.len());
    for cut in cuts {
        match try_convert(&full[..cut]) {
            Ok((report, out)) => {
                assert!(cut >= trimmed, "a truncated bundle converted at byte {cut}");
                check_success(&report, &out);
            }
            Err(ConvertError::Json {
                line,
                column,
                path,
                message,
            }) => {
                assert!(line >= 1 && !message.is_empty(), "cut {cut}");
                assert!(
                    path == "$" || path.starts_with("objects["),
                    "cut {cut}: {path}"
                );
                let _ = column;
            }
            Err(e) => panic!("cut {cut}: unexpected error {e}"),
        }
    }
}

/// xorshift64*: a small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn mutated_bundles_never_panic() {
    const BYTES: &[u8] = b"{}[]\",:\\0123456789-eE.tfn \n\xff\xc3az_";
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..600 {
        let mut bytes = BUNDLE.as_bytes().to_vec();
        for _ in 0..=rng.below(3) {
            let at = rng.below(bytes.len());
            match rng.below(3) {
                0 => bytes[at] = BYTES[rng.below(BYTES.len())],
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, BYTES[rng.below(BYTES.len())]),
            }
        }
        match try_convert(&bytes) {
            Ok((report, out)) => {
                ok += 1;
                check_success(&report, &out);
            }
            Err(ConvertError::Json { .. } | ConvertError::NotABundle(_)) => err += 1,
            Err(e) => panic!("unexpected error kind: {e}"),
        }
    }
    // Both outcomes occur: mutations inside strings keep the JSON valid.
    assert!(ok > 20 && err > 20, "ok {ok}, err {err}");
}

#[test]
fn documents_that_are_not_bundles() {
    let deep = format!("{{\"objects\": {}{}}}", "[".repeat(5000), "]".repeat(5000));
    for (input, want) in [
        ("", "EOF while parsing"),
        ("null", "a STIX bundle"),
        ("[]", "a STIX bundle"),
        ("\"bundle\"", "a STIX bundle"),
        (r#"{"objects": 5}"#, "`objects` to be an array"),
        (
            r#"{"type": "indicator", "id": "indicator--1", "pattern": "[url:value = 'x']"}"#,
            "not a STIX bundle",
        ),
        (r#"{"type": "bundle", "objects": [] "#, "EOF while parsing"),
        (
            r#"{"type": "bundle", "objects": []}{}"#,
            "trailing characters",
        ),
        (deep.as_str(), relationship_core::limits::TOO_DEEP),
    ] {
        let e = try_convert(input.as_bytes()).unwrap_err();
        assert!(e.to_string().contains(want), "{input:.40}: {e}");
    }
    // Invalid UTF-8 inside a string is a located error too.
    let e = try_convert(b"{\"objects\": [{\"type\": \"\xff\"}]}").unwrap_err();
    assert!(
        matches!(e, ConvertError::Json { ref path, .. } if path == "objects[0]"),
        "{e}"
    );
    // An empty bundle is fine.
    let (report, out) =
        try_convert(br#"{"type": "bundle", "id": "bundle--1", "objects": []}"#).unwrap();
    assert_eq!((report.objects_total(), out.as_str()), (0, ""));
}

struct FailingReader {
    data: &'static [u8],
    after: usize,
}

impl Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.after == 0 {
            return Err(io::Error::other("disk on fire"));
        }
        let n = buf.len().min(self.after).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.after -= n;
        Ok(n)
    }
}

struct FailingWriter;

impl Write for FailingWriter {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::other("no space left"))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn io_failures_are_typed_errors() {
    let schema = relationship_core::xsoar::schema();
    let opts = ConvertOptions::default();
    let reader = FailingReader {
        data: BUNDLE.as_bytes(),
        after: 3000,
    };
    let e = convert(reader, Vec::new(), schema, &opts, None, &mut |_| {}).unwrap_err();
    assert!(matches!(e, ConvertError::Read(_)), "{e}");
    assert!(e.to_string().contains("disk on fire"));

    let e = convert(
        BUNDLE.as_bytes(),
        FailingWriter,
        schema,
        &opts,
        None,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(e, ConvertError::Write(_)), "{e}");

    let mut sink = FailingWriter;
    let e = convert(
        BUNDLE.as_bytes(),
        Vec::new(),
        schema,
        &opts,
        Some(&mut sink),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(e, ConvertError::Rejects(_)), "{e}");
}

#[test]
fn truncated_attck_bundle_is_located() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/attck/enterprise.json");
    let Ok(bytes) = std::fs::read(&path) else {
        relationship_tests::skip_or_fail(
            &path.display().to_string(),
            "run scripts/fetch-attck.sh to fetch the ATT&CK bundle",
        );
        return;
    };
    // Cut a third of the way in: the error names the object being read and the line.
    let start = bytes.len() / 3;
    match try_convert(&bytes[..start]).unwrap_err() {
        ConvertError::Json { line, path, .. } => {
            let expected_line = bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1;
            assert_eq!(line, expected_line);
            assert!(path.starts_with("objects["), "{path}");
        }
        e => panic!("{e}"),
    }
}
