//! Compile-fail tests of the derives, typed constructors and policy assertions (trybuild);
//! the programs that must compile and run (`ui/pass/`) are tests of `ui_pass`.
//!
//! The `.stderr` snapshots are rustc's exact output, which changes between compiler
//! versions, so they are pinned to the toolchain of `rust-toolchain.toml`. On another
//! toolchain:
//!
//! * locally, this test prints why it is skipped and passes without running;
//! * under CI (`CI=true` or `CI=1`) it fails, naming the toolchain found and the pinned one,
//!   so that CI cannot pass without running the UI tests. Run CI on the pinned toolchain,
//!   or move the pin: change `rust-toolchain.toml` and refresh the snapshots on the new
//!   toolchain.
//!
//! Refresh the snapshots after an intended change with
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p relationship-tests --test it -- ui::ui
//! ```

use std::process::Command;

/// `rust-toolchain.toml`, whose channel the `.stderr` snapshots were written with.
const TOOLCHAIN_FILE: &str = include_str!("../../../rust-toolchain.toml");

/// The pinned channel, e.g. `1.95.0`.
fn pinned_channel() -> &'static str {
    TOOLCHAIN_FILE
        .lines()
        .find_map(|l| l.trim().strip_prefix("channel"))
        .and_then(|rest| rest.split('"').nth(1))
        .unwrap_or("(no channel in rust-toolchain.toml)")
}

/// What `rustc --version` says for the toolchain this test runs under (rustup passes its
/// choice on in `RUSTUP_TOOLCHAIN`, so this is the rustc that trybuild's cargo runs).
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
    let pinned = format!("rustc {} ", pinned_channel());
    let version = rustc_version();
    if !version.starts_with(&pinned) {
        let why = format!(
            "the trybuild UI snapshots are pinned to {} (rust-toolchain.toml), this toolchain \
             is {:?}",
            pinned.trim(),
            version.trim()
        );
        if relationship_tests::in_ci() {
            panic!(
                "{why}; under CI the UI tests may not be skipped. Run CI with {} \
                 (rustup toolchain install {}), or move the pin: change the channel in \
                 rust-toolchain.toml and refresh the snapshots on the new toolchain with \
                 `TRYBUILD=overwrite cargo test -p relationship-tests --test it -- ui::ui`",
                pinned.trim(),
                pinned_channel()
            );
        }
        relationship_tests::print_skip(&format!(
            "the trybuild UI tests did not run: {why} (under CI=true this fails)"
        ));
        return;
    }
    // Compile-fail cases only: trybuild then checks them all in one `cargo check
    // --keep-going` (in parallel, no code generated); with a pass case among them it would
    // build and link every case one at a time.
    trybuild::TestCases::new().compile_fail("ui/fail/*.rs");
}
