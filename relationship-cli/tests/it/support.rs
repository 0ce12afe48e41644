//! Setup shared by the test modules: the `xsoar-rel` binary, repository files and scratch
//! files under the target's temporary directory.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The path of the `xsoar-rel` binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_xsoar-rel")
}

/// A command running the `xsoar-rel` binary.
pub fn xsoar_rel() -> Command {
    Command::new(bin())
}

/// A file of the repository, by its path from the workspace root.
pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

/// The handwritten STIX 2.1 bundle.
pub fn stix_bundle() -> PathBuf {
    repo_file("tests/fixtures/stix/bundle-2.1.json")
}

/// A text file's contents; a file that cannot be read fails the test, naming it.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A path under the target's temporary directory (nothing is created).
pub fn scratch_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// A file under the target's temporary directory holding `contents`.
pub fn scratch(name: &str, contents: &str) -> PathBuf {
    let path = scratch_path(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// An empty directory under the target's temporary directory (emptied if it existed).
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = scratch_path(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh temporary directory under the target's temporary directory, removed on drop.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()
}

/// The names of the entries of `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Whether the tests run under CI (`CI=true`), where optional comparisons are required.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}
