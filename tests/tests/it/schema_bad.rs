//! Malformed schemas: every `fixtures/bad-schemas/*.json` must be rejected with exactly the
//! messages in its sibling `.expected` file, and must not panic.
//!
//! After a deliberate change of wording, `UPDATE_EXPECT=1 cargo test -p relationship-tests
//! --test it -- schema_bad` rewrites the `.expected` files; review the diff before committing.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use expect_test::expect_file;
use relationship_schema::ErrorKind;
use relationship_schema_parse::load;

/// Relative to the package root, which is the working directory of integration tests, so
/// that messages (and the `.expected` files) name `fixtures/bad-schemas/...`.
const DIR: &str = "fixtures/bad-schemas";

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap_or_else(|e| panic!("{DIR}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_bad_schema_gives_its_expected_errors() {
    assert_eq!(
        std::env::current_dir().unwrap(),
        Path::new(env!("CARGO_MANIFEST_DIR")),
        "integration tests run in the package root"
    );
    let files = corpus();
    assert!(files.len() >= 25, "only {} bad schemas", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let expected_path = path.with_extension("expected");
        let got = match catch_unwind(AssertUnwindSafe(|| load(path))) {
            Err(_) => {
                failures.push(format!("{}: the parser panicked", path.display()));
                continue;
            }
            Ok(Ok(_)) => {
                failures.push(format!("{}: accepted, but it is malformed", path.display()));
                continue;
            }
            Ok(Err(errors)) => errors,
        };
        for e in got.iter() {
            assert_eq!(e.path, *path);
            assert!(e.line >= 1 && e.column >= 1, "{e}");
        }
        let text = format!("{got}\n");
        assert_eq!(text.lines().count(), got.len(), "one error per line");
        let golden = expect_file![Path::new(env!("CARGO_MANIFEST_DIR")).join(&expected_path)];
        if catch_unwind(AssertUnwindSafe(|| golden.assert_eq(&text))).is_err() {
            failures.push(format!(
                "{}: not the errors in {} (diff above)",
                path.display(),
                expected_path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_expected_file_has_its_schema() {
    for entry in std::fs::read_dir(DIR).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "expected") {
            assert!(
                path.with_extension("json").exists(),
                "{} has no schema",
                path.display()
            );
        }
    }
}

#[test]
fn the_corpus_covers_every_kind_of_defect() {
    let mut kinds = std::collections::BTreeSet::new();
    for path in corpus() {
        if let Err(errors) = load(&path) {
            for e in errors {
                let name = format!("{:?}", e.kind);
                let name = name
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or_default()
                    .to_string();
                // One variant for every kind of duplicate name: each kind is covered.
                let name = match e.kind {
                    ErrorKind::Duplicate { what, .. } => format!("{name} {what}"),
                    _ => name,
                };
                kinds.insert(name);
            }
        }
    }
    let want = [
        "NotUtf8",
        "Syntax",
        "Empty",
        "WrongType",
        "UnknownKey",
        "DuplicateKey",
        "MissingKey",
        "DeriveKind",
        "UnknownTier",
        "EmptyName",
        "Whitespace",
        "AtSign",
        "UnknownType",
        "UnknownGroup",
        "UnknownRelationship",
        "UnknownReverse",
        "Duplicate type",
        "Duplicate group",
        "Duplicate relationship",
        "Duplicate reverse-only name",
        "GroupNamesType",
        "ReservedGroup",
        "GroupCycle",
        "ReverseOnlyIsRelationship",
        "UnusedReverseOnly",
        "DerivationCycle",
        "EmptyList",
        "NoPairs",
        "ExpandsToNothing",
        "ConflictingKeys",
        "InvalidIdentifier",
        "IdentCollision",
        "NoRustName",
    ];
    let missing: Vec<&str> = want
        .iter()
        .copied()
        .filter(|k| !kinds.contains(*k))
        .collect();
    assert!(missing.is_empty(), "no bad schema produces {missing:?}");
}

#[test]
fn an_unreadable_file_is_a_schema_error() {
    let errors = load("fixtures/bad-schemas/does-not-exist.json").unwrap_err();
    assert_eq!(errors.len(), 1);
    let e = &errors.errors()[0];
    assert!(matches!(e.kind, ErrorKind::Io(_)));
    assert_eq!((e.line, e.column), (0, 0));
    let text = e.to_string();
    assert!(
        text.starts_with("cannot read schema: ")
            && text.ends_with(" at fixtures/bad-schemas/does-not-exist.json"),
        "{text}"
    );
    let errors = load(DIR).unwrap_err();
    assert!(matches!(errors.errors()[0].kind, ErrorKind::Io(_)));
}

#[test]
fn schema_errors_is_a_std_error() {
    fn takes(_: &dyn std::error::Error) {}
    let errors = relationship_schema_parse::parse_str("{", "x.json").unwrap_err();
    takes(&errors);
    assert_eq!(errors.iter().count(), 1);
    assert_eq!(errors.clone().into_iter().count(), 1);
}
