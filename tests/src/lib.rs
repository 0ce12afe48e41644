//! Cross-crate, golden and compile-fail tests for the workspace.

/// The README's Rust examples, compiled and run as doc tests so they cannot go stale.
#[doc = include_str!("../../README.md")]
pub mod readme {}

/// The Rust examples of `docs/derives.md`, compiled and run as doc tests.
#[doc = include_str!("../../docs/derives.md")]
pub mod docs_derives {}

/// The Rust examples of `docs/compile-errors.md`, compiled (or refused) as doc tests.
#[doc = include_str!("../../docs/compile-errors.md")]
pub mod docs_compile_errors {}

/// Whether the tests run under CI: the environment variable `CI` is `true` or `1`.
///
/// Under CI a test never skips for want of something it needs (a data file, a tool, the
/// pinned toolchain): it fails and says what is missing, so CI cannot pass by skipping.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Called by a test that cannot run because `what` is missing; `fix` says how to provide
/// it. Under CI ([`in_ci`]) this panics; elsewhere it prints a note and returns, and the
/// caller skips.
#[track_caller]
pub fn skip_or_fail(what: &str, fix: &str) {
    if in_ci() {
        panic!("{what} is missing and under CI (CI=true) this test may not be skipped: {fix}");
    }
    print_skip(&format!(
        "{what} is missing, test skipped ({fix}; under CI=true this fails)"
    ));
}

/// Prints `SKIPPED: <why>` on the process's standard error, past the test harness's output
/// capture, so that a skipped test is visible in a passing run.
pub fn print_skip(why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
}
