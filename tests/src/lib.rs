//! Cross-crate, golden and compile-fail tests for the workspace.
