//! The schema parser never panics: random bytes, truncations and mutations of
//! `schemas/xsoar.json` give either a schema or positioned errors.

use proptest::prelude::*;
use relationship_schema_parse::builtin::XSOAR_SCHEMA_JSON;
use relationship_schema_parse::parse_str;

/// Parses and checks the invariants every outcome must keep.
fn check(text: &str) {
    match parse_str(text, "fuzz.json") {
        Ok(schema) => {
            for r in schema.relationships() {
                if let Some(pairs) = r.explicit_pairs() {
                    assert!(
                        pairs
                            .windows(2)
                            .all(|w| (w[0].source, w[0].target) < (w[1].source, w[1].target))
                    );
                }
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            let lines = text.lines().count().max(1) + 1;
            let mut last = (0, 0);
            for e in errors.iter() {
                assert!(e.line >= 1 && e.line <= lines, "{e}");
                assert!(e.column >= 1, "{e}");
                assert!((e.line, e.column) >= last, "errors out of order: {errors}");
                last = (e.line, e.column);
                assert!(e.to_string().contains("fuzz.json:"), "{e}");
            }
        }
    }
}

/// The byte offsets of the string literals' contents in the embedded schema.
fn string_spans() -> Vec<(usize, usize)> {
    let bytes = XSOAR_SCHEMA_JSON.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            spans.push((start, j.min(bytes.len())));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    spans
}

const POOL: &[&str] = &[
    "",
    " ",
    "@",
    "@all",
    "@observables",
    "@nope",
    "uses",
    "used-by",
    "Host",
    "Atack Pattern",
    "core",
    "extended",
    "gold",
    "swap",
    "copy",
    "any",
    "rules",
    "from",
    "to",
    "type",
    "Self",
    "é",
    "\\u0000",
    "\\\"",
    "a-b",
    "related-to",
    "contains",
    "part-of",
];

#[test]
fn every_prefix_of_the_first_lines_and_some_later_ones() {
    let text = XSOAR_SCHEMA_JSON;
    let boundaries: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    // Every prefix of the first 2 KiB, then every 199th.
    for &i in boundaries.iter().filter(|&&i| i < 2048 || i % 199 == 0) {
        check(&text[..i]);
    }
    check(text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn json_shaped_noise_never_panics(parts in proptest::collection::vec(
        prop_oneof![
            Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just("\"name\""),
            Just("\"types\""), Just("\"relationships\""), Just("\"rules\""), Just("\"derive\""),
            Just("\"x\""), Just("true"), Just("null"), Just("1"), Just("\"@all\""), Just(" "),
        ],
        0..200,
    )) {
        check(&parts.concat());
    }

    #[test]
    fn cut_and_spliced_schema_never_panics(a in 0usize..40_000, b in 0usize..40_000, c in 0usize..40_000) {
        let text = XSOAR_SCHEMA_JSON;
        let fix = |i: usize| {
            let mut i = i.min(text.len());
            while !text.is_char_boundary(i) { i -= 1; }
            i
        };
        let (a, b, c) = (fix(a), fix(b), fix(c));
        let (lo, hi) = (a.min(b), a.max(b));
        // Remove a span, and duplicate another piece somewhere.
        let mut s = String::new();
        s.push_str(&text[..lo]);
        s.push_str(&text[hi..]);
        check(&s);
        let mut s = String::new();
        s.push_str(&text[..c]);
        s.push_str(&text[lo..hi]);
        s.push_str(&text[c..]);
        check(&s);
    }

    #[test]
    fn replaced_strings_never_panic(picks in proptest::collection::vec((any::<prop::sample::Index>(), 0..POOL.len()), 1..6)) {
        let spans = string_spans();
        let mut edits: Vec<(usize, usize, &str)> = picks
            .iter()
            .map(|(idx, p)| {
                let (s, e) = spans[idx.index(spans.len())];
                (s, e, POOL[*p])
            })
            .collect();
        edits.sort();
        edits.dedup_by(|b, a| b.0 < a.1);
        let mut out = String::new();
        let mut at = 0;
        for (s, e, with) in edits {
            out.push_str(&XSOAR_SCHEMA_JSON[at..s]);
            out.push_str(with);
            at = e;
        }
        out.push_str(&XSOAR_SCHEMA_JSON[at..]);
        check(&out);
    }
}
