//! One error per mistake: every compile-fail snapshot in `ui/fail/` holds exactly one
//! `error` (rustc's `error[E…]:` or `error:` line), so that no case hides a cascade of
//! follow-up errors behind its first one.
//!
//! A case that makes several mistakes on purpose says how many errors it expects on a line
//! of its own, `// expect-errors: N` (at the end of the file, so that it moves no line of
//! the snapshot), and its snapshot must hold exactly that many.

use std::path::{Path, PathBuf};

fn fail_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/fail")
}

/// The errors of a snapshot: rustc's top-level `error` lines.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("error:"))
        .collect()
}

/// The `// expect-errors: N` of a case, or 1.
fn expected(source: &str) -> usize {
    source
        .lines()
        .find_map(|l| l.trim().strip_prefix("// expect-errors:"))
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .unwrap_or(1)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_compile_fail_case_has_one_error_per_mistake() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fail_dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    cases.sort();
    assert!(cases.len() > 50, "only {} cases found", cases.len());
    let mut wrong = Vec::new();
    for case in &cases {
        let snapshot = case.with_extension("stderr");
        let stderr = read(&snapshot);
        let errors = error_lines(&stderr);
        let want = expected(&read(case));
        if errors.len() != want {
            wrong.push(format!(
                "{}: {} errors, expected {want}:\n  {}",
                snapshot.display(),
                errors.len(),
                errors.join("\n  ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "cascades or missing errors:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_counter_counts_rustc_errors_only() {
    let text = "error[E0277]: `Host` cannot have a `uses` relationship to `Cve`\n  = note: error: not one\nerror: unknown indicator type\nwarning: unused\n";
    assert_eq!(error_lines(text).len(), 2);
    assert_eq!(expected("// expect-errors: 3\nfn main() {}"), 3);
    assert_eq!(expected("fn main() {}"), 1);
    assert_eq!(expected("// expect-errors: 2 (two mistakes)"), 2);
}
