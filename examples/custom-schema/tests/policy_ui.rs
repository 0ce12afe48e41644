//! Compile-fail tests of the `hr` policy, kept in CI: each file in `tests/policy/` must
//! fail to compile with the error in its `.stderr` snapshot.
//!
//! This is the second way to keep a schema's policy under test. The first, cheaper one is
//! `assert_relationship!` / `assert_no_relationship!` in `src/lib.rs`: checked by every
//! `cargo check`, no extra tool. Keep compile-fail snapshots like these when you want to
//! pin the exact error a developer sees for a forbidden call.
//!
//! rustc's wording changes between versions, so the snapshots are pinned to the toolchain
//! they were written with ([`PINNED`]); on another one this test says so and passes, except
//! under CI (`CI=true`), where it fails so that it is never skipped silently. Refresh them
//! after an intended change with
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p custom-schema-example --test policy_ui
//! ```

use std::process::Command;

/// The toolchain the `.stderr` snapshots were written with.
const PINNED: &str = "rustc 1.95.0 ";

fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    Command::new(rustc)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

#[test]
fn policy_compile_fail() {
    let version = rustc_version();
    if !version.starts_with(PINNED) {
        let why = format!(
            "the policy snapshots are pinned to {}, this toolchain is {:?}",
            PINNED.trim(),
            version.trim()
        );
        assert!(!in_ci(), "{why}; under CI they may not be skipped");
        eprintln!("skipping the policy compile-fail tests: {why}");
        return;
    }
    trybuild::TestCases::new().compile_fail("tests/policy/*.rs");
}
