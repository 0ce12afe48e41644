//! `validate` on batches written by the converter: clean as written, and every violation
//! planted afterwards is reported once, at its JSON path and line.

use std::io::BufReader;

use relationship_core::json::{JsonStyle, to_string};
use relationship_core::validate::{Violation, ViolationKind, validate_reader, validate_str};
use relationship_stix::{ConvertOptions, convert};
use serde_json::Value;

const BUNDLE: &str = crate::support::STIX_BUNDLE;

/// The fixture bundle converted with small batches (several lines), parsed back.
fn batches() -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    let opts = ConvertOptions {
        batch: relationship_core::batch::BatchOptions {
            batch_size: 12,
            ..Default::default()
        },
        ..ConvertOptions::default()
    };
    convert(
        BUNDLE.as_bytes(),
        &mut out,
        relationship_core::xsoar::schema(),
        &opts,
        None,
        &mut |_| {},
    )
    .unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn ndjson(batches: &[Vec<Value>], style: JsonStyle) -> String {
    batches
        .iter()
        .map(|b| to_string(b, style).unwrap() + "\n")
        .collect()
}

/// (batch, indicator, relationship) of every relationship on a dummy.
fn dummy_relationships(batches: &[Vec<Value>]) -> Vec<(usize, usize, usize)> {
    let mut at = Vec::new();
    for (b, batch) in batches.iter().enumerate() {
        for (i, ind) in batch.iter().enumerate() {
            if ind["value"] == "$$DummyIndicator$$" {
                let n = ind["relationships"].as_array().unwrap().len();
                at.extend((0..n).map(|r| (b, i, r)));
            }
        }
    }
    at
}

fn validate(text: &str) -> Vec<Violation> {
    let mut violations = Vec::new();
    let stats = validate_str(
        text,
        "planted.ndjson",
        relationship_core::xsoar::schema(),
        &mut violations,
    );
    assert_eq!(stats.violations as usize, violations.len());
    violations
}

#[test]
fn the_converted_batches_are_clean() {
    let b = batches();
    assert!(b.len() >= 3, "{}", b.len());
    for style in [JsonStyle::Compact, JsonStyle::Python] {
        assert_eq!(validate(&ndjson(&b, style)), []);
    }
}

#[test]
fn planted_violations_are_each_reported_at_their_path() {
    let mut b = batches();
    let rels = dummy_relationships(&b);
    assert!(rels.len() >= 6);
    let mut expected: Vec<(usize, String, ViolationKind, String)> = Vec::new();
    let mut plant =
        |k: usize, key: &str, value: &str, suffix: bool, kind: ViolationKind, message: &str| {
            let (bi, ii, ri) = rels[k];
            b[bi][ii]["relationships"][ri][key] = Value::from(value);
            let path = format!("[{bi}][{ii}].relationships[{ri}]");
            let path = if suffix {
                format!("{path}.{key}")
            } else {
                path
            };
            expected.push((bi + 1, path, kind, message.to_owned()));
        };
    use ViolationKind::*;
    plant(
        0,
        "reverseName",
        "uses",
        true,
        ReverseNameMismatch,
        "reverse name `uses` does not match the schema: the reverse of `uses` is `used-by`",
    );
    plant(
        1,
        "name",
        "usees",
        true,
        UnknownName,
        "unknown relationship name `usees`",
    );
    plant(2, "entityBType", "Mutex", false, DisallowedPair, "cannot `");
    plant(
        3,
        "entityAFamily",
        "Incident",
        true,
        BadFamily,
        "entity A family `Incident` is not `Indicator`, the only family XSOAR accepts",
    );
    plant(
        4,
        "type",
        "IndicatorToIncident",
        true,
        BadRelationshipType,
        "relationship type `IndicatorToIncident` is not `IndicatorToIndicator`",
    );
    plant(
        5,
        "entityBType",
        "Atack Pattern",
        true,
        UnknownEntityType,
        "unknown entity B type `Atack Pattern` (entity_b_type); did you mean `Attack Pattern`?",
    );
    // an indicator with a type XSOAR does not have
    let (bi, ii) = b
        .iter()
        .enumerate()
        .find_map(|(bi, batch)| {
            batch
                .iter()
                .position(|i| i["value"] != "$$DummyIndicator$$")
                .map(|ii| (bi, ii))
        })
        .unwrap();
    b[bi][ii]["type"] = Value::from("Malwar");
    expected.push((
        bi + 1,
        format!("[{bi}][{ii}].type"),
        UnknownIndicatorType,
        "unknown indicator type `Malwar`".into(),
    ));
    expected.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));

    let text = ndjson(&b, JsonStyle::Python);
    let mut got = validate(&text);
    got.sort_by(|a, b| (a.line, &a.path).cmp(&(b.line, &b.path)));
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for (v, (line, path, kind, message)) in got.iter().zip(&expected) {
        assert_eq!((v.line, &v.path, v.kind), (*line, path, *kind), "{v}");
        assert!(v.message.contains(message.as_str()), "{v}");
        assert_eq!(v.source, "planted.ndjson");
        assert_eq!(
            v.to_string(),
            format!("planted.ndjson:{line}: {path}: {}", v.message)
        );
    }
    // The disallowed pair names its triple and the alternatives.
    let pair = got.iter().find(|v| v.kind == DisallowedPair).unwrap();
    assert!(
        pair.message.contains("cannot `")
            && pair.message.contains("`Mutex`")
            && pair.message.contains("allowed"),
        "{pair}"
    );
}

#[test]
fn pretty_printed_files_report_the_line_of_the_relationship() {
    let mut b = batches();
    let (bi, ii, ri) = dummy_relationships(&b)[3];
    b[bi][ii]["relationships"][ri]["reverseName"] = Value::from("nope");
    // One batch per file, pretty-printed as a Python integration might dump it.
    let text = serde_json::to_string_pretty(&b[bi]).unwrap();
    let dir = std::env::temp_dir().join(format!("validate-planted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("batch.json");
    std::fs::write(&file, &text).unwrap();
    // Delivery reads one batch per line: the reader reports the file once, as not deliverable.
    let mut violations = Vec::new();
    let reader = BufReader::new(std::fs::File::open(&file).unwrap());
    validate_reader(
        reader,
        "batch.json",
        relationship_core::xsoar::schema(),
        &mut violations,
    )
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(
        (violations[0].line, violations[0].kind),
        (1, ViolationKind::NotDeliverable)
    );
    // Its content, read whole, still locates the relationship.
    let mut violations = Vec::new();
    let stats = validate_str(
        &text,
        "batch.json",
        relationship_core::xsoar::schema(),
        &mut violations,
    );
    assert_eq!(stats.batches, 1);
    assert_eq!(violations.len(), 1, "{violations:?}");
    let v = &violations[0];
    assert_eq!(v.path, format!("[0][{ii}].relationships[{ri}].reverseName"));
    // The reported line is where that relationship's object opens.
    let nth_rel_line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "{")
        .map(|(n, _)| n + 1);
    let opening_lines: Vec<usize> = nth_rel_line.collect();
    assert!(opening_lines.contains(&v.line), "{v}");
    // The line after it holds the object's first key (in the order serde_json wrote them).
    let first_key = b[bi][ii]["relationships"][ri]
        .as_object()
        .and_then(|o| o.keys().next())
        .unwrap();
    assert!(
        text.lines()
            .nth(v.line)
            .unwrap()
            .contains(&format!("\"{first_key}\"")),
        "{v}"
    );
}
