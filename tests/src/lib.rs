//! Cross-crate, golden and compile-fail tests for the workspace.

/// The README's Rust examples, compiled and run as doc tests so they cannot go stale.
#[doc = include_str!("../../README.md")]
pub mod readme {}
