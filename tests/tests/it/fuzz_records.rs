//! NDJSON record fuzzing: random relationship and indicator records (names, types and
//! values drawn from the schema and from hostile pools, every optional key), then mutated
//! (keys dropped, renamed, duplicated or added, values of the wrong JSON type, huge strings,
//! deep nesting, truncation, bytes that are not UTF-8), go through
//! `relationship_core::record::parse_line` and the `Checker` in both modes.
//!
//! Properties: nothing panics; every refusal has a message; a record strict mode accepts
//! renders (`to_indicator`, both JSON styles) to JSON that reads back with the record's
//! values; lenient mode accepts every record strict mode accepts, with the same rendering.
//!
//! Cases per run: `PROPTEST_CASES` (default 768 per property).

use proptest::prelude::*;
use relationship_core::RawJson;
use relationship_core::check::{Checker, Mode};
use relationship_core::json::{self, JsonStyle};
use relationship_core::record::{Record, parse_line};
use relationship_core::relationship::Fields;

use crate::support::{XSOAR_TRIPLES, config, text};

/// Names and types that are near misses of the schema's, or nothing like them.
const BAD_NAMES: &[&str] = &[
    "use",
    "Uses",
    "used-by ",
    "related_to",
    "Types",
    "",
    "embedded-on",
    "x\u{0}",
];
const BAD_TYPES: &[&str] = &[
    "Hots",
    "host",
    "ip",
    "Attack pattern",
    "",
    "Unknown",
    "日本",
];
const RELIABILITY: &[&str] = &[
    "A+ - 3rd party enrichment",
    "A - Completely reliable",
    "B - Usually reliable",
    "C - Fairly reliable",
    "D - Not usually reliable",
    "E - Unreliable",
    "F - Reliability cannot be judged",
    "Z - Made up",
    "",
];
/// Keys a mutation may rename a key to or add: misspellings, XSOAR's output spelling,
/// the other record shape's keys.
const KEYS: &[&str] = &[
    "nme",
    "entityA",
    "entity_a ",
    "NAME",
    "",
    "value",
    "type",
    "score",
    "rawJSON",
    "reverseName",
    "source_reliabilty",
    "entity_b_famly",
    "name",
    "fields",
];

/// A JSON number as read from text, kept as that text (`RawJson`).
fn number(text: &str) -> RawJson {
    RawJson::parse(text).expect("a JSON number")
}

/// Any JSON value, a few levels deep; objects keep their keys in the order generated.
fn any_value() -> impl Strategy<Value = RawJson> {
    let leaf = prop_oneof![
        Just(RawJson::null()),
        any::<bool>().prop_map(RawJson::from),
        any::<i64>().prop_map(RawJson::from),
        prop::sample::select(vec![
            "123456789012345678901234567890",
            "1.0E2",
            "-0",
            "0.1",
            "1e400",
            "-1e-400",
            "18446744073709551616",
            "2.5e-3",
        ])
        .prop_map(number),
        text().prop_map(RawJson::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(RawJson::from),
            prop::collection::vec((text(), inner), 0..4)
                .prop_map(|kv| RawJson::from(kv.into_iter().collect::<Fields>())),
        ]
    })
}

fn fields() -> impl Strategy<Value = RawJson> {
    prop_oneof![
        3 => prop::collection::vec(("[a-z_]{1,10}", any_value()), 0..4)
            .prop_map(|kv| RawJson::from(kv.into_iter().collect::<Fields>())),
        1 => Just(RawJson::null()),
    ]
}

/// An optional key: absent, `null`, or a value.
fn optional(value: impl Strategy<Value = RawJson>) -> impl Strategy<Value = Option<RawJson>> {
    prop_oneof![
        4 => Just(None),
        1 => Just(Some(RawJson::null())),
        2 => value.prop_map(Some),
    ]
}

/// A record is a JSON object whose keys keep their order: `Fields`.
fn relationship_record() -> impl Strategy<Value = Fields> {
    let triple = prop_oneof![
        6 => prop::sample::select(XSOAR_TRIPLES.clone()).prop_map(|(a, n, _, b)| (a, n, b)),
        2 => (
            prop::sample::select(BAD_TYPES),
            prop::sample::select(BAD_NAMES),
            prop::sample::select(BAD_TYPES),
        )
            .prop_map(|(a, n, b)| (a.to_owned(), n.to_owned(), b.to_owned())),
        1 => (
            prop::sample::select(XSOAR_TRIPLES.clone()),
            prop::sample::select(XSOAR_TRIPLES.clone()),
        )
            .prop_map(|(x, y)| (x.0, y.1, x.3)),
    ];
    let reverse = prop_oneof![
        2 => Just(RawJson::from("<schema>")),
        1 => prop::sample::select(BAD_NAMES).prop_map(RawJson::from),
    ];
    let fixed = |valid: &'static str| {
        optional(prop_oneof![
            3 => Just(RawJson::from(valid)),
            1 => Just(RawJson::from("Incident")),
            1 => Just(RawJson::from("")),
        ])
    };
    (
        triple,
        (text(), text()),
        optional(reverse),
        optional(fields()),
        optional(prop::sample::select(RELIABILITY).prop_map(RawJson::from)),
        optional(text().prop_map(RawJson::from)),
        (
            fixed("IndicatorToIndicator"),
            fixed("Indicator"),
            fixed("Indicator"),
        ),
    )
        .prop_map(
            |((a_type, name, b_type), (a, b), reverse, fields, rel, brand, (rt, af, bf))| {
                let reverse = reverse.map(|r| match r.as_str().as_deref() {
                    Some("<schema>") => relationship_core::xsoar::schema()
                        .reverse_of(&name)
                        .map_or(RawJson::from("related-to"), RawJson::from),
                    _ => r,
                });
                let mut o = Fields::new();
                o.insert("name", name);
                o.insert("entity_a", a);
                o.insert("entity_a_type", a_type);
                o.insert("entity_b", b);
                o.insert("entity_b_type", b_type);
                for (key, value) in [
                    ("reverse_name", reverse),
                    ("fields", fields),
                    ("source_reliability", rel),
                    ("brand", brand),
                    ("relationship_type", rt),
                    ("entity_a_family", af),
                    ("entity_b_family", bf),
                ] {
                    if let Some(v) = value {
                        o.insert(key, v);
                    }
                }
                o
            },
        )
}

fn indicator_record() -> impl Strategy<Value = Fields> {
    let types = prop_oneof![
        3 => prop::sample::select(
            relationship_core::xsoar::schema()
                .types()
                .iter()
                .map(|t| t.name().to_owned())
                .collect::<Vec<_>>()
        ),
        1 => prop::sample::select(BAD_TYPES).prop_map(str::to_owned),
    ];
    let score = prop_oneof![
        4 => (0i64..=3).prop_map(RawJson::from),
        1 => prop::sample::select(vec![
            RawJson::from(7),
            RawJson::from(-1),
            RawJson::from("2"),
            RawJson::from(1.5),
        ]),
    ];
    (
        text(),
        types,
        optional(score),
        optional(any_value()),
        optional(fields()),
    )
        .prop_map(|(value, ty, score, raw, fields)| {
            let mut o = Fields::new();
            o.insert("value", value);
            o.insert("type", ty);
            for (key, v) in [("score", score), ("rawJSON", raw), ("fields", fields)] {
                if let Some(v) = v {
                    o.insert(key, v);
                }
            }
            o
        })
}

/// What is done to a well-formed record before it is read.
#[derive(Debug, Clone)]
enum Mutation {
    None,
    DropKey(prop::sample::Index),
    RenameKey(prop::sample::Index, &'static str),
    WrongType(prop::sample::Index, RawJson),
    AddKey(&'static str, RawJson),
    HugeString(prop::sample::Index),
    DeepNesting(usize),
    WrapInArray,
    DuplicateKey(&'static str),
    Truncate(prop::sample::Index),
    /// Bytes spliced in at a position; the line is read both as bytes and as the lossy
    /// string.
    Bytes(prop::sample::Index, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        8 => Just(Mutation::None),
        1 => any::<prop::sample::Index>().prop_map(Mutation::DropKey),
        1 => (any::<prop::sample::Index>(), prop::sample::select(KEYS))
            .prop_map(|(i, k)| Mutation::RenameKey(i, k)),
        2 => (any::<prop::sample::Index>(), any_value()).prop_map(|(i, v)| Mutation::WrongType(i, v)),
        1 => (prop::sample::select(KEYS), any_value()).prop_map(|(k, v)| Mutation::AddKey(k, v)),
        1 => any::<prop::sample::Index>().prop_map(Mutation::HugeString),
        1 => (1usize..300).prop_map(Mutation::DeepNesting),
        1 => Just(Mutation::WrapInArray),
        1 => prop::sample::select(KEYS).prop_map(Mutation::DuplicateKey),
        2 => any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        2 => (
            any::<prop::sample::Index>(),
            prop::collection::vec(
                prop_oneof![Just(0xffu8), Just(0xc3), Just(0x80), Just(b'"'), Just(b'\\'), any::<u8>()],
                1..4
            )
        )
            .prop_map(|(i, b)| Mutation::Bytes(i, b)),
    ]
}

fn key_at(o: &Fields, i: &prop::sample::Index) -> String {
    o.keys()
        .nth(i.index(o.len()))
        .map(str::to_owned)
        .unwrap_or_default()
}

/// The compact JSON text of an object with these entries (key, value text), in order.
fn object_text<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("a string serializes"));
        out.push(':');
        out.push_str(value);
    }
    out.push('}');
    out
}

/// The line(s) a record gives after `m`: usually one, two for spliced bytes.
fn apply(record: &Fields, m: &Mutation) -> Vec<Vec<u8>> {
    let mut o = record.clone();
    // Nesting deeper than a `RawJson` may hold (serde_json's 128 levels), kept as text and
    // written under its key in place of the record's value.
    let mut deep: Option<(&str, String)> = None;
    match m {
        Mutation::None
        | Mutation::WrapInArray
        | Mutation::DuplicateKey(_)
        | Mutation::Truncate(_)
        | Mutation::Bytes(..) => {}
        Mutation::DropKey(i) => {
            let k = key_at(&o, i);
            o.remove(&k);
        }
        Mutation::RenameKey(i, to) => {
            let k = key_at(&o, i);
            if let Some(val) = o.remove(&k) {
                o.insert(*to, val);
            }
        }
        Mutation::WrongType(i, val) => {
            let k = key_at(&o, i);
            o.insert(k, val.clone());
        }
        Mutation::AddKey(k, val) => {
            o.insert(*k, val.clone());
        }
        Mutation::HugeString(i) => {
            let k = key_at(&o, i);
            o.insert(k, "ÿ\\\"x".repeat(10_000));
        }
        Mutation::DeepNesting(depth) => {
            let mut nested = String::from("1");
            for d in 0..*depth {
                nested = if d % 2 == 0 {
                    format!("[{nested}]")
                } else {
                    object_text([("k", nested.as_str())])
                };
            }
            let key = if o.contains_key("value") {
                "rawJSON"
            } else {
                "fields"
            };
            // The key's place: where it is, or last (a placeholder until written).
            o.insert(key, RawJson::null());
            deep = Some((key, object_text([("deep", nested.as_str())])));
        }
    }
    let mut line = object_text(o.iter().map(|(k, v)| match &deep {
        Some((key, text)) if k == *key => (k, text.as_str()),
        _ => (k, v.get()),
    }))
    .into_bytes();
    match m {
        Mutation::WrapInArray => {
            line.insert(0, b'[');
            line.push(b']');
        }
        Mutation::DuplicateKey(k) => {
            line.pop();
            let extra = format!(",{}:\"dup\"}}", RawJson::from(*k));
            line.extend_from_slice(extra.as_bytes());
        }
        Mutation::Truncate(i) => line.truncate(i.index(line.len())),
        Mutation::Bytes(i, bytes) => {
            let at = i.index(line.len() + 1);
            line.splice(at..at, bytes.iter().copied());
            let lossy = String::from_utf8_lossy(&line).into_owned().into_bytes();
            return vec![line, lossy];
        }
        _ => {}
    }
    vec![line]
}

/// What reading one line gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Outcome {
    Refused,
    Indicator,
    /// A relationship record that strict mode rejects.
    StrictRejected,
    /// A relationship record that strict mode accepts.
    StrictAccepted,
}

fn string_at(v: &Fields, key: &str) -> Result<String, TestCaseError> {
    v.get(key)
        .and_then(RawJson::as_str)
        .map(|s| s.into_owned())
        .ok_or_else(|| TestCaseError::fail(format!("no string `{key}` in {}", RawJson::from(v))))
}

/// Reads one line and checks every property; returns what it was.
fn check_line(line: &[u8]) -> Result<Outcome, TestCaseError> {
    let schema = relationship_core::xsoar::schema();
    let record = match parse_line(line) {
        Err(e) => {
            prop_assert!(!e.message.trim().is_empty(), "empty message");
            prop_assert!(
                !e.message.contains(" at line 1 column "),
                "serde's position leaked: {}",
                e.message
            );
            return Ok(Outcome::Refused);
        }
        Ok(r) => r,
    };
    let input = match record {
        Record::IndicatorRecord(i) => {
            let object = i.into_object();
            for style in [JsonStyle::Compact, JsonStyle::Python] {
                json::to_string(&object, style).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            return Ok(Outcome::Indicator);
        }
        Record::Relationship(input) => *input,
    };
    let strict = Checker::new(schema, Mode::Strict).check(input.clone());
    let lenient = Checker::new(schema, Mode::Lenient).check(input.clone());
    if let Err(e) = &strict {
        prop_assert!(!e.to_string().is_empty());
    }
    if let Ok(rel) = &lenient {
        for style in [JsonStyle::Compact, JsonStyle::Python] {
            json::to_string(&rel.to_entry(), style)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            json::to_string(&rel.to_context(), style)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
    }
    let Ok(rel) = strict else {
        return Ok(Outcome::StrictRejected);
    };
    let compact = json::to_string(&rel.to_indicator(), JsonStyle::Compact)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let Ok(lenient) = lenient else {
        return Err(TestCaseError::fail(format!(
            "strict accepts, lenient refuses: {:?}",
            lenient.err()
        )));
    };
    prop_assert_eq!(
        &json::to_string(&lenient.to_indicator(), JsonStyle::Compact)
            .map_err(|e| TestCaseError::fail(e.to_string()))?,
        &compact,
        "lenient renders differently"
    );
    // Read back in order, numbers as their text.
    let back: Fields = serde_json::from_str(&compact)
        .map_err(|e| TestCaseError::fail(format!("{e}: {compact}")))?;
    let expected_fields = RawJson::from(input.fields.clone().unwrap_or_else(Fields::new));
    for (key, want) in [
        ("name", input.name.as_str()),
        ("reverseName", schema.reverse_of(&input.name).unwrap_or("?")),
        ("type", "IndicatorToIndicator"),
        ("entityA", input.entity_a.as_str()),
        ("entityAFamily", "Indicator"),
        ("entityAType", input.entity_a_type.as_str()),
        ("entityB", input.entity_b.as_str()),
        ("entityBFamily", "Indicator"),
        ("entityBType", input.entity_b_type.as_str()),
    ] {
        prop_assert_eq!(string_at(&back, key)?, want, "key {}", key);
    }
    prop_assert_eq!(back.get("fields"), Some(&expected_fields));
    prop_assert_eq!(back.len(), 10);
    // Python's bytes: the same strings; numbers are Python's spelling of them, and a
    // literal beyond the double range is Python's `Infinity`, which is not JSON.
    let python = json::to_string(&rel.to_indicator(), JsonStyle::Python)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(python.is_ascii());
    match serde_json::from_str::<Fields>(&python) {
        Ok(p) => {
            for key in [
                "name",
                "reverseName",
                "entityA",
                "entityAType",
                "entityB",
                "entityBType",
            ] {
                prop_assert_eq!(string_at(&p, key)?, string_at(&back, key)?);
            }
            let keys = |v: &Fields| {
                v.get("fields")
                    .and_then(|f| f.deserialize_into::<Fields>().ok())
                    .map(|m| m.keys().map(str::to_owned).collect::<Vec<_>>())
            };
            prop_assert_eq!(keys(&p), keys(&back));
        }
        Err(_) => prop_assert!(python.contains("Infinity"), "{}", python),
    }
    Ok(Outcome::StrictAccepted)
}

fn any_record() -> impl Strategy<Value = Fields> {
    prop_oneof![4 => relationship_record(), 1 => indicator_record()]
}

proptest! {
    #![proptest_config(config(768))]

    #[test]
    fn well_formed_records_render_and_read_back(record in any_record()) {
        check_line(&serde_json::to_vec(&record).expect("serializes"))?;
        // The same record pretty-printed over several lines is still one JSON value.
        check_line(serde_json::to_string_pretty(&record).expect("serializes").as_bytes())?;
    }

    #[test]
    fn mutated_records_never_panic(record in any_record(), m in mutation()) {
        for line in apply(&record, &m) {
            check_line(&line)?;
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        check_line(&bytes)?;
        check_line(String::from_utf8_lossy(&bytes).as_bytes())?;
    }
}

#[test]
fn a_fair_share_of_records_is_accepted_and_a_fair_share_refused() {
    // The strategies on their own, counted: strict mode must accept a fair share of the
    // unmutated relationship records, and mutations must still leave some lines readable.
    let count = |strategy: proptest::strategy::BoxedStrategy<Vec<Vec<u8>>>| {
        let mut runner = proptest::test_runner::TestRunner::new(config(256));
        let tally = std::cell::RefCell::new(std::collections::HashMap::new());
        runner
            .run(&strategy, |lines| {
                for line in lines {
                    *tally.borrow_mut().entry(check_line(&line)?).or_insert(0u32) += 1;
                }
                Ok(())
            })
            .unwrap();
        tally.into_inner()
    };
    let plain = count(
        relationship_record()
            .prop_map(|r| vec![serde_json::to_vec(&r).expect("serializes")])
            .boxed(),
    );
    let mutated = count(
        (any_record(), mutation())
            .prop_map(|(r, m)| apply(&r, &m))
            .boxed(),
    );
    eprintln!("plain: {plain:?}\nmutated: {mutated:?}");
    let n = |t: &std::collections::HashMap<Outcome, u32>, o| t.get(&o).copied().unwrap_or(0);
    let total: u32 = plain.values().sum();
    assert!(n(&plain, Outcome::StrictAccepted) * 5 >= total, "{plain:?}");
    assert!(
        n(&plain, Outcome::StrictRejected) * 10 >= total,
        "{plain:?}"
    );
    let total: u32 = mutated.values().sum();
    assert!(n(&mutated, Outcome::Refused) * 10 >= total, "{mutated:?}");
    assert!(
        n(&mutated, Outcome::StrictAccepted) * 10 >= total,
        "{mutated:?}"
    );
    assert!(n(&mutated, Outcome::Indicator) > 0, "{mutated:?}");
}
