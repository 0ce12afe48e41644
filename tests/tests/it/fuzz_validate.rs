//! Batch validation fuzzing: random `createIndicators` batches written by `BatchWriter`
//! (random allowed relationships and indicators, batch sizes, placements, de-duplication,
//! both JSON styles), then mutated (keys dropped or renamed, values of the wrong JSON type,
//! wrong reverse names, unknown types, truncation, bytes that are not UTF-8, batches run
//! together or pretty-printed), go through `relationship_core::validate::validate_str`.
//!
//! Properties: nothing panics; every violation has a line inside the input, a JSON path and
//! a message, and the count in the stats; what `BatchWriter` writes has no violation; a
//! mutation that breaks a relationship is reported.
//!
//! Cases per run: `PROPTEST_CASES` (default 512 per property).

use std::sync::LazyLock;

use proptest::prelude::*;
use relationship_core::RawJson;
use relationship_core::batch::{BatchOptions, BatchWriter, Placement};
use relationship_core::indicator::IndicatorObject;
use relationship_core::json::JsonStyle;
use relationship_core::relationship::{EntityRelationship, Fields};
use relationship_core::validate::{Violation, validate_str};

use crate::support::{XSOAR_TRIPLES, config, text};

static TYPES: LazyLock<Vec<String>> = LazyLock::new(|| {
    relationship_core::xsoar::schema()
        .types()
        .iter()
        .map(|t| t.name().to_owned())
        .collect()
});

/// A non-empty value other than the dummy's (an empty one, or `$$DummyIndicator$$` as an
/// entity, is a violation by design).
fn value() -> impl Strategy<Value = String> {
    text().prop_map(|s| {
        if s.is_empty() || s == relationship_core::DUMMY_INDICATOR_VALUE {
            "v".to_owned()
        } else {
            s
        }
    })
}

/// A JSON number as read from text, kept as that text (`RawJson`).
fn number(text: &str) -> RawJson {
    RawJson::parse(text).expect("a JSON number")
}

/// Number literals a field may hold. With `beyond_double`, also literals beyond the double
/// range, which Python's style writes as `Infinity`.
fn numbers(beyond_double: bool) -> Vec<&'static str> {
    let mut n = vec![
        "123456789012345678901234567890",
        "1.0E2",
        "-0",
        "0.1",
        "2.5e-3",
        "1e-400",
    ];
    if beyond_double {
        n.extend(["1e400", "-1.5e999"]);
    }
    n
}

fn field_value(beyond_double: bool) -> impl Strategy<Value = RawJson> {
    prop_oneof![
        Just(RawJson::null()),
        any::<bool>().prop_map(RawJson::from),
        any::<i64>().prop_map(RawJson::from),
        prop::sample::select(numbers(beyond_double)).prop_map(number),
        text().prop_map(RawJson::from),
        prop::collection::vec(text(), 0..3).prop_map(RawJson::from),
    ]
}

fn fields(beyond_double: bool) -> impl Strategy<Value = Fields> {
    prop::collection::vec(("[a-z]{1,8}", field_value(beyond_double)), 0..3)
        .prop_map(|kv| kv.into_iter().collect())
}

#[derive(Debug, Clone)]
enum Item {
    Relationship(EntityRelationship),
    Indicator(IndicatorObject),
}

fn item(beyond_double: bool) -> impl Strategy<Value = Item> {
    let rel = (
        prop::sample::select(XSOAR_TRIPLES.clone()),
        value(),
        value(),
        fields(beyond_double),
    )
        .prop_map(|((a_type, name, reverse, b_type), a, b, fields)| {
            Item::Relationship(
                EntityRelationship::new(name, reverse, a, a_type, b, b_type).with_fields(fields),
            )
        });
    let ind = (
        prop::sample::select(TYPES.clone()),
        // Values that relationships use too, so that `Attach` finds their sources.
        prop_oneof![
            value(),
            prop::sample::select(vec!["u4872", "8.8.8.8", "Emotet"]).prop_map(str::to_owned)
        ],
        proptest::option::of(0u8..=3),
        fields(beyond_double),
    )
        .prop_map(|(ty, v, score, fields)| {
            let mut o = IndicatorObject::new(v.clone(), ty.clone()).with_fields(fields);
            o.raw_json = [("value", v), ("type", ty)]
                .into_iter()
                .collect::<Fields>()
                .into();
            o.score = score;
            Item::Indicator(o)
        });
    prop_oneof![3 => rel, 2 => ind]
}

/// Batches as `BatchWriter` writes them.
fn batches() -> impl Strategy<Value = String> {
    batches_with(false)
}

/// Batches as `BatchWriter` writes them, with `beyond_double` numbers in fields or not.
fn batches_with(beyond_double: bool) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(item(beyond_double), 0..12),
        1usize..6,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(items, size, attach, dedup, python)| {
            let options = BatchOptions {
                batch_size: size,
                placement: if attach {
                    Placement::Attach
                } else {
                    Placement::Dummy
                },
                dedup,
            };
            let style = if python {
                JsonStyle::Python
            } else {
                JsonStyle::Compact
            };
            let mut out = Vec::new();
            let mut w = BatchWriter::new(&mut out, options, style);
            for item in items {
                match item {
                    Item::Relationship(r) => w.push_relationship(r).expect("in memory"),
                    Item::Indicator(i) => w.push_indicator(i).expect("in memory"),
                }
            }
            w.finish().expect("in memory");
            String::from_utf8(out).expect("UTF-8")
        })
}

/// What is done to a relationship (or its indicator) in a written batch.
#[derive(Debug, Clone)]
enum Mutation {
    DropKey(prop::sample::Index),
    RenameKey(prop::sample::Index, &'static str),
    WrongType(prop::sample::Index, RawJson),
    WrongReverse(&'static str),
    UnknownType(&'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let wrong = prop_oneof![
        Just(RawJson::null()),
        Just(RawJson::from(5)),
        Just(RawJson::from(true)),
        Just(RawJson::from(Vec::<RawJson>::new())),
        Just(RawJson::empty_object()),
        Just(RawJson::from(vec!["uses"])),
    ];
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::DropKey),
        (
            any::<prop::sample::Index>(),
            prop::sample::select(vec!["Name", "reverse_name", "entity_a", "", "entityAtype"])
        )
            .prop_map(|(i, k)| Mutation::RenameKey(i, k)),
        (any::<prop::sample::Index>(), wrong).prop_map(|(i, v)| Mutation::WrongType(i, v)),
        prop::sample::select(vec!["related-to", "uses", "", "used_by", "usedBy"])
            .prop_map(Mutation::WrongReverse),
        prop::sample::select(vec![
            "Hots",
            "",
            "host",
            "Indicator",
            "IndicatorToIndicator"
        ])
        .prop_map(Mutation::UnknownType),
    ]
}

/// `compact` (canonical `RawJson` text) as serde_json's pretty printer writes a value: two
/// spaces of indent, `": "` after keys, `[]` and `{}` when empty; keys and number text as
/// they are.
fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                match chars.peek() {
                    Some(&close @ ('}' | ']')) => {
                        out.push(close);
                        chars.next();
                    }
                    _ => {
                        depth += 1;
                        newline(&mut out, depth);
                    }
                }
            }
            '}' | ']' => {
                depth -= 1;
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn pretty_is_serde_jsons_pretty_form() {
    // Keys in sorted order and plain numbers, so that serde_json's `Value` keeps both.
    let text = r#"{"a":[],"b":{},"c":[1,{"d":"x,y:{[\"]}","e":[null,true]}],"f":-2.5}"#;
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(pretty(text), serde_json::to_string_pretty(&value).unwrap());
}

/// Checks what every validation must keep; returns the violations.
fn check(text: &str) -> Result<Vec<Violation>, TestCaseError> {
    let mut out = Vec::new();
    let stats = validate_str(
        text,
        "fuzz.ndjson",
        relationship_core::xsoar::schema(),
        &mut out,
    );
    prop_assert_eq!(stats.violations, out.len() as u64);
    let lines = text.split('\n').count();
    for v in &out {
        prop_assert!(
            v.line >= 1 && v.line <= lines,
            "line {} of {}: {}",
            v.line,
            lines,
            v
        );
        prop_assert!(v.path.starts_with('['), "no path: {}", v);
        prop_assert!(!v.message.is_empty(), "no message: {}", v);
        prop_assert_eq!(&v.source, "fuzz.ndjson");
    }
    Ok(out)
}

/// Applies `m` to the `pick`th relationship of the batches; `None` when they hold none.
///
/// The batches are read in order, numbers as their text (`Fields`, `RawJson`), and written
/// back compact with only the mutation changed.
fn mutate(text: &str, pick: &prop::sample::Index, m: &Mutation) -> Option<String> {
    let mut batches: Vec<Vec<Fields>> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("BatchWriter writes batches of objects"))
        .collect();
    // Where each relationship is: (batch, item, index in the item's `relationships`).
    let mut places = Vec::new();
    for (b, batch) in batches.iter().enumerate() {
        for (i, item) in batch.iter().enumerate() {
            if let Some(Ok(rels)) = item
                .get("relationships")
                .map(RawJson::deserialize_into::<Vec<RawJson>>)
            {
                places.extend((0..rels.len()).map(|r| (b, i, r)));
            }
        }
    }
    if places.is_empty() {
        return None;
    }
    let (b, i, r) = places[pick.index(places.len())];
    let item = &mut batches[b][i];
    let mut rels: Vec<RawJson> = item
        .get("relationships")
        .map(RawJson::deserialize_into)
        .expect("found above")
        .expect("an array");
    let mut object: Fields = rels[r].deserialize_into().expect("an object");
    let rel = &mut object;
    let key_at = |o: &Fields, i: &prop::sample::Index| {
        o.keys()
            .nth(i.index(o.len()))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    match m {
        Mutation::DropKey(i) => {
            let k = key_at(rel, i);
            rel.remove(&k);
        }
        Mutation::RenameKey(i, to) => {
            let k = key_at(rel, i);
            let v = rel.remove(&k).unwrap_or_default();
            rel.insert(*to, v);
        }
        Mutation::WrongType(i, v) => {
            let k = key_at(rel, i);
            if k == "fields" && v.is_object() {
                // `{}` is valid fields.
                rel.insert(k, "not an object");
            } else {
                rel.insert(k, v.clone());
            }
        }
        Mutation::WrongReverse(r) => {
            let schema = relationship_core::xsoar::schema();
            let name = rel
                .get("name")
                .and_then(RawJson::as_str)
                .unwrap_or_default();
            let r = if schema.reverse_of(&name) == Some(*r) {
                "nope"
            } else {
                *r
            };
            rel.insert("reverseName", r);
        }
        Mutation::UnknownType(t) => {
            let key = if t.len() % 2 == 0 {
                "entityAType"
            } else {
                "entityBType"
            };
            rel.insert(key, *t);
        }
    }
    rels[r] = RawJson::from(object);
    item.insert("relationships", rels);
    Some(
        batches
            .iter()
            .map(|b| serde_json::to_string(b).expect("serializes"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn batches_from_batch_writer_have_no_violations(text in batches()) {
        let violations = check(&text)?;
        prop_assert!(violations.is_empty(), "{:#?}\n{}", violations, text);
        // Pretty-printed, the same batches are one value over many lines: still valid.
        let pretty: Vec<String> = text
            .lines()
            .map(|l| pretty(RawJson::parse(l).expect("JSON").get()))
            .collect();
        let violations = check(&pretty.join("\n"))?;
        prop_assert!(violations.is_empty(), "{:#?}", violations);
    }

    #[test]
    fn a_broken_relationship_is_reported(text in batches(), pick in any::<prop::sample::Index>(), m in mutation()) {
        if let Some(mutated) = mutate(&text, &pick, &m) {
            let violations = check(&mutated)?;
            prop_assert!(!violations.is_empty(), "{:?} not reported in {}", m, mutated);
        }
    }

    #[test]
    fn cut_and_spliced_batches_never_panic(
        text in batches(),
        at in any::<prop::sample::Index>(),
        bytes in prop::collection::vec(prop_oneof![Just(0xffu8), Just(b'"'), Just(b'['), Just(b'}'), Just(b'\n'), any::<u8>()], 0..4),
        cut in any::<bool>(),
    ) {
        let mut b = text.into_bytes();
        let i = at.index(b.len() + 1);
        if cut {
            b.truncate(i);
        }
        b.splice(i..i, bytes);
        let lossy = String::from_utf8_lossy(&b);
        check(&lossy)?;
        // Batches run together on one line.
        check(&lossy.replace('\n', ""))?;
    }

    #[test]
    fn random_text_never_panics(parts in prop::collection::vec(prop_oneof![
        Just("["), Just("]"), Just("{"), Just("}"), Just(","), Just(":"), Just("\n"),
        Just("\"value\""), Just("\"$$DummyIndicator$$\""), Just("\"relationships\""), Just("\"name\""),
        Just("\"uses\""), Just("\"type\""), Just("\"Host\""), Just("null"), Just("1"), Just("1e400"), Just("-"),
    ], 0..80)) {
        check(&parts.concat())?;
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// The same property as `batches_from_batch_writer_have_no_violations`, with number
    /// literals beyond the double range in fields: `BatchWriter` in Python's style writes
    /// them as Python does (`Infinity`), and `validate` reads them as `json.loads` does.
    #[test]
    fn python_style_batches_with_numbers_beyond_double_validate(text in batches_with(true)) {
        let violations = check(&text)?;
        prop_assert!(violations.is_empty(), "{:#?}\n{}", violations, text);
    }
}

#[test]
fn a_fair_share_of_generated_batches_holds_relationships() {
    // Without relationships the mutation property tests nothing: count how many of the
    // generated batches hold one, and that the valid ones hold indicators too.
    let mut runner = proptest::test_runner::TestRunner::new(config(256));
    let counts = std::cell::Cell::new((0u32, 0u32, 0u32));
    runner
        .run(&batches(), |text| {
            let (n, rels, inds) = counts.get();
            let mut out = Vec::new();
            let stats = validate_str(&text, "-", relationship_core::xsoar::schema(), &mut out);
            counts.set((
                n + 1,
                rels + u32::from(stats.relationships > 0),
                inds + u32::from(stats.indicators > 0),
            ));
            Ok(())
        })
        .unwrap();
    let (n, rels, inds) = counts.get();
    eprintln!("{rels} of {n} generated texts hold relationships, {inds} indicators");
    assert!(rels * 2 >= n && inds * 2 >= n, "{rels}, {inds} of {n}");
}
