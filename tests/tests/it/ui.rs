//! Compile-fail and pass tests of the derives and typed constructors (trybuild).
//!
//! The `.stderr` snapshots are rustc's exact output, which changes between compiler
//! versions, so they are pinned to rustc 1.95.0. On another toolchain:
//!
//! * locally, this test prints why and passes without running;
//! * under CI (`CI=true` or `CI=1`) it fails, naming the toolchain found and the pinned one,
//!   so that CI cannot pass without running the UI tests. Run CI on the pinned toolchain,
//!   or move the pin: change [`PINNED`] and refresh the snapshots on the new toolchain.
//!
//! Refresh the snapshots after an intended change with
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p relationship-tests --test it -- ui::ui
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
        let why = format!(
            "the trybuild UI snapshots are pinned to {}, this toolchain is {:?}",
            PINNED.trim(),
            version.trim()
        );
        if relationship_tests::in_ci() {
            panic!(
                "{why}; under CI the UI tests may not be skipped. Run CI with {} \
                 (rustup toolchain install {}), or move the pin: change PINNED in \
                 tests/tests/it/ui.rs and refresh the snapshots on the new toolchain with \
                 `TRYBUILD=overwrite cargo test -p relationship-tests --test it -- ui::ui`",
                PINNED.trim(),
                PINNED.trim().trim_start_matches("rustc ")
            );
        }
        eprintln!("skipping the trybuild UI tests: {why} (under CI=true this fails)");
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
