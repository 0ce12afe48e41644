//! End-to-end tests of `xsoar-rel schema import-types`: indicator-type definitions in the
//! layouts XSOAR writes them (a content pack's `IndicatorTypes/`, a Settings export holding
//! several types) into a schema that passes `schema check`, keeps the base byte for byte, and
//! that `schema diff` reports as the base plus the new types; refusals with file and reason.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::support::{repo_file, scratch_dir, xsoar_rel};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/indicator-types")
}

#[test]
fn a_pack_and_an_export_become_a_schema_that_passes_the_check() {
    let dir = scratch_dir("import-types-ok");
    let out = dir.join("ours.json");
    xsoar_rel()
        .current_dir(fixtures())
        .args(["schema", "import-types", "pack/IndicatorTypes", "export", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(
            "import-types: 4 type(s) added to schemas/xsoar.json, 2 already there\n\
             \x20 added    5G Cell (Rust marker `Type5GCell`) (pack/IndicatorTypes/reputation-5G_Cell.json)\n\
             \x20 added    Access Badge (pack/IndicatorTypes/reputation-Access_Badge.json)\n\
             \x20 added    Employee (pack/IndicatorTypes/reputation-Employee.json)\n\
             \x20 added    Crypto Wallet (export/indicator-types.json)\n\
             \x20 present  Host (pack/IndicatorTypes/reputation-hostRep.json)\n\
             \x20 present  Mutex (export/indicator-types.json)\n\
             \x20 repeated Employee (export/indicator-types.json: the same id as in pack/IndicatorTypes/reputation-Employee.json, imported once)\n\
             \x20 repeated Crypto Wallet (export/reputation-Crypto_Wallet.json: the same id as in export/indicator-types.json, imported once)\n\
             new types take part in: is-also, related-to with any type; duplicate-of, similar-to with their own type; add rules that name them for more\n",
        );
    xsoar_rel()
        .args(["schema", "check"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ok — 71 relationship names, 34 types",
        ));
    // schema diff: the new types, nothing removed, nothing breaking.
    xsoar_rel()
        .args(["schema", "diff", "--breaking"])
        .arg(repo_file("schemas/xsoar.json"))
        .arg(&out)
        .assert()
        .code(0);
    xsoar_rel()
        .args(["schema", "diff"])
        .arg(repo_file("schemas/xsoar.json"))
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Crypto Wallet").and(predicate::str::contains("5G Cell")));
}

#[test]
fn the_base_is_kept_byte_for_byte() {
    let base = std::fs::read_to_string(repo_file("schemas/xsoar.json")).unwrap();
    let output = xsoar_rel()
        .current_dir(fixtures())
        .args([
            "schema",
            "import-types",
            "pack/IndicatorTypes/reputation-Employee.json",
        ])
        .arg("--base")
        .arg(repo_file("schemas/xsoar.json"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let added = ",\n    {\"name\": \"Employee\", \"doc\": \"XSOAR indicator type (id `Employee`, imported from reputation-Employee.json).\"}";
    assert_eq!(text.replacen(added, "", 1), base);
}

#[test]
fn a_pack_directory_means_its_indicator_types() {
    xsoar_rel()
        .current_dir(fixtures())
        .args(["schema", "import-types", "pack"])
        .assert()
        .success()
        .stderr(predicate::str::starts_with(
            "import-types: 3 type(s) added to schemas/xsoar.json, 1 already there\n",
        ));
}

#[test]
fn nothing_new_writes_the_base_unchanged() {
    let dir = scratch_dir("import-types-nothing-new");
    let out = dir.join("same.json");
    xsoar_rel()
        .current_dir(fixtures())
        .args([
            "schema",
            "import-types",
            "pack/IndicatorTypes/reputation-hostRep.json",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(
            "import-types: 0 type(s) added to schemas/xsoar.json, 1 already there\n\
                 \x20 present  Host (pack/IndicatorTypes/reputation-hostRep.json)\n",
        );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(repo_file("schemas/xsoar.json")).unwrap()
    );
}

#[test]
fn what_cannot_be_read_is_refused_with_file_and_reason_and_nothing_is_written() {
    let dir = scratch_dir("import-types-bad");
    let out = dir.join("ours.json");
    std::fs::write(&out, "previous\n").unwrap();
    xsoar_rel()
        .current_dir(fixtures())
        .args(["schema", "import-types", "pack/IndicatorTypes", "bad", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "xsoar-rel schema import-types: bad/broken.json: not JSON: expected `,` or `}` at line 4 column 5\n\
             xsoar-rel schema import-types: bad/layout.json: not an indicator-type definition: no `details` (the type's name)\n\
             xsoar-rel schema import-types: bad/reputation-Employee_other.json: indicator type `Employee`: also defined in pack/IndicatorTypes/reputation-Employee.json with another id (`Employee` there, `EmployeeV2` here)\n\
             xsoar-rel schema import-types: bad/reputation-control.json: indicator type `Bad\\u{7}Bell`: the name holds the control or bidirectional character U+0007, which schema names may not\n\
             xsoar-rel schema import-types: bad/reputation-host_lower.json: indicator type `host`: differs only in letter case from the type `Host`; XSOAR type names are matched exactly, so rename one of them\n\
             xsoar-rel schema import-types: 5 problem(s) in the indicator-type definitions; nothing written\n",
        );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
}

#[test]
fn an_unreadable_input_is_exit_2_and_an_invalid_base_exit_1() {
    xsoar_rel()
        .current_dir(fixtures())
        .args(["schema", "import-types", "no-such-dir"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "xsoar-rel schema import-types: no-such-dir: cannot read: ",
        ));
    let dir = scratch_dir("import-types-base");
    let base = dir.join("base.json");
    std::fs::write(
        &base,
        "{\"name\": \"b\", \"types\": [\"Host\"], \"relationships\": [{\"name\": \"uses\"}]}",
    )
    .unwrap();
    xsoar_rel()
        .current_dir(fixtures())
        .args(["schema", "import-types", "export", "--base"])
        .arg(&base)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("is not valid; nothing written"));
    xsoar_rel()
        .current_dir(fixtures())
        .args(["schema", "import-types", "export", "--base"])
        .arg(&base)
        .arg("-o")
        .arg(&base)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite an input"));
}

#[test]
fn a_custom_base_gets_the_types_in_its_own_layout() {
    let dir = scratch_dir("import-types-custom-base");
    let base = dir.join("hr.json");
    let base_text = "{\"name\": \"hr\", \"types\": [\"Account\", \"Host\"], \"reverse_only\": [\"used-by\"],\n \"relationships\": [\n  {\"name\": \"uses\", \"reverse\": \"used-by\", \"rules\": [{\"from\": \"Account\", \"to\": \"Host\"}]},\n  {\"name\": \"related-to\", \"reverse\": \"related-to\", \"any\": true}\n ]\n}\n";
    std::fs::write(&base, base_text).unwrap();
    let out = dir.join("hr-plus.json");
    xsoar_rel()
        .current_dir(fixtures())
        .args([
            "schema",
            "import-types",
            "pack/IndicatorTypes/reputation-Access_Badge.json",
            "--base",
        ])
        .arg(&base)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "new types take part in: related-to with any type; add rules that name them for more",
        ));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        base_text.replace(
            "\"Host\"]",
            "\"Host\", {\"name\": \"Access Badge\", \"doc\": \"XSOAR indicator type (id `Access Badge`, imported from reputation-Access_Badge.json).\"}]"
        )
    );
    xsoar_rel()
        .args(["schema", "check"])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn names_that_deceive_are_refused_with_file_and_reason_and_nothing_is_written() {
    let dir = scratch_dir("import-types-deceptive");
    let out = dir.join("ours.json");
    std::fs::write(&out, "previous\n").unwrap();
    xsoar_rel()
        .current_dir(fixtures())
        .args(["schema", "import-types", "deceptive", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "xsoar-rel schema import-types: deceptive/reputation-host_bom.json: indicator type `\\u{feff}Host`: the name holds the invisible character U+FEFF (format character), which schema names may not: it makes names that look the same differ\n\
             xsoar-rel schema import-types: deceptive/reputation-host_cyrillic.json: indicator type `H\u{43e}st`: it looks like the type `Host` (equal Unicode confusable skeletons, UTS #39; spelled `H\\u{43e}st` and `Host`); rename it\n\
             xsoar-rel schema import-types: deceptive/reputation-host_zwj.json: indicator type `Ho\\u{200d}st`: the name holds the invisible character U+200D (format character), which schema names may not: it makes names that look the same differ\n\
             xsoar-rel schema import-types: deceptive/reputation-wallet_nbsp.json: indicator type `Crypto\u{a0}Wallet`: it looks like the type `Crypto Wallet` (equal Unicode confusable skeletons, UTS #39; spelled `Crypto\\u{a0}Wallet` and `Crypto Wallet`); rename it\n\
             xsoar-rel schema import-types: 4 problem(s) in the indicator-type definitions; nothing written\n",
        );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
}
