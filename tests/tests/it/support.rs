//! What the modules share: paths in the repository, the check of generated golden files, the
//! STIX test bundle, and the settings and pools of the `fuzz_*` harnesses.
//!
//! Every fuzz harness runs a fixed number of cases per property (`PROPTEST_CASES` overrides it)
//! from a fixed seed (`PROPTEST_RNG_SEED` overrides it), so a CI failure reproduces locally;
//! no failure file is written.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use expect_test::expect_file;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// The absolute path of `relative`, a path from the repository root.
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// Checks a generated file checked in at `relative` (from the repository root) against
/// `generated`; `UPDATE_EXPECT=1` rewrites it. A stale file fails with the line of its first
/// difference and `refresh`, the command that rewrites it, instead of both whole texts.
pub fn check_generated_file(relative: &str, generated: &str, refresh: &str) {
    let golden = expect_file![repo_path(relative)];
    if std::env::var_os("UPDATE_EXPECT").is_none() {
        let checked_in = golden.data();
        if checked_in != generated {
            let line = generated
                .lines()
                .zip(checked_in.lines())
                .position(|(a, b)| a != b)
                .map_or_else(
                    || generated.lines().count().min(checked_in.lines().count()) + 1,
                    |i| i + 1,
                );
            panic!(
                "{relative} is stale: it is not what the generator makes of \
                 schemas/xsoar.json (first difference at line {line}); refresh it with \
                 `{refresh}`"
            );
        }
    }
    golden.assert_eq(generated);
}

/// The STIX 2.1 test bundle, `fixtures/stix/bundle-2.1.json`.
pub const STIX_BUNDLE: &str = include_str!("../../fixtures/stix/bundle-2.1.json");

/// The seed used when `PROPTEST_RNG_SEED` is not set.
const SEED: u64 = 0x5eed_f022_2024_0001;

/// A configuration running `default_cases` cases unless `PROPTEST_CASES` says otherwise.
pub fn config(default_cases: u32) -> Config {
    // `Config::default()` reads the `PROPTEST_*` environment variables.
    let mut c = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = default_cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(SEED);
    }
    c.failure_persistence = None;
    c
}

/// The default schema's allowed triples, as `(source type, name, reverse name, target type)`.
pub static XSOAR_TRIPLES: LazyLock<Vec<(String, String, String, String)>> = LazyLock::new(|| {
    let schema = relationship_core::xsoar::schema();
    schema
        .triples()
        .map(|(rel, pair)| {
            (
                schema.ty(pair.source).name().to_owned(),
                schema.rel(rel).name().to_owned(),
                schema.rel(rel).reverse().to_owned(),
                schema.ty(pair.target).name().to_owned(),
            )
        })
        .collect()
});

/// Strings an input may hold: ordinary, empty, Unicode, control and bidirectional
/// characters, JSON-looking text, escapes and a long one.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "u4872",
            "pc135456.domain.local",
            "8.8.8.8",
            "CVE-2021-44228",
            "T1059.001",
            "Emotet",
            "é ü 日本 🦀",
            "a\u{0}b",
            "line\nbreak\r\ttab",
            "bidi \u{202e}txt",
            "\"quoted\" \\ back",
            "{\"json\": [1]}",
            "$$DummyIndicator$$",
            " ",
            "\u{feff}bom",
            "\u{fffd}",
        ])
        .prop_map(str::to_owned),
        1 => Just(String::new()),
        2 => "\\PC{0,24}",
        1 => "[a-z]{1,3}".prop_map(|s| s.repeat(2000)),
    ]
}
