//! Compile-fail and pass tests of the derives and typed constructors (trybuild).
//!
//! The `.stderr` snapshots are rustc's exact output, which changes between compiler
//! versions, so they are pinned to rustc 1.95.0: on another toolchain this test prints why
//! and passes without running. Refresh the snapshots after an intended change with
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p relationship-tests --test ui
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

#[test]
fn ui() {
    let version = rustc_version();
    if !version.starts_with(PINNED) {
        eprintln!(
            "skipping the trybuild UI tests: snapshots are pinned to {PINNED}, this is {}",
            version.trim()
        );
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
