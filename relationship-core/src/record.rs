//! NDJSON input records: one JSON object per line, either a relationship or an indicator.
//!
//! * a **relationship** is a [`RelationshipInput`]: the keys of XSOAR's `EntityRelationship`
//!   constructor, `name`, `entity_a`, `entity_a_type`, `entity_b`, `entity_b_type` (strings,
//!   required) and `reverse_name`, `source_reliability`, `brand`, `relationship_type`,
//!   `entity_a_family`, `entity_b_family` (strings or `null`), `fields` (object or `null`),
//!   all optional;
//! * an **indicator** is an [`IndicatorRecord`]: `value`, `type` (strings, required), `score`
//!   (integer 0–3 or `null`), `rawJSON` (any JSON value), `fields` (object or `null`).
//!
//! Values inside `fields` and `rawJSON` keep the text they were read with ([`RawJson`]): an
//! integer beyond 64 bits is not rounded through a double, and objects keep their key order.
//!
//! [`parse_line`] reads one line in a single pass over the object's keys. A bad line gets a
//! message a person can act on: it names the key whose value has the wrong type, suggests the
//! nearest valid key for an unknown one, and lists missing keys.
//!
//! ```
//! use relationship_core::record::{parse_line, Record};
//! let line = br#"{"name": "uses", "entity_a": "u4872", "entity_a_type": "Account",
//!     "entity_b": "pc135456.domain.local", "entity_b_type": "Host"}"#;
//! assert!(matches!(parse_line(line), Ok(Record::Relationship(_))));
//! let err = parse_line(br#"{"name": "uses"}"#).unwrap_err();
//! assert!(err.message.starts_with("missing keys `entity_a`"));
//! let err = parse_line(br#"{"name": "uses", "entity_a": 5}"#).unwrap_err();
//! assert_eq!(err.message, "key `entity_a`: invalid type: integer `5`, expected a string (column 30)");
//! ```

use std::fmt;

use relationship_schema::suggest;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::check::{KeyIndex, RelationshipInput};
use crate::fields::{RawFields, RawJson};
use crate::indicator::IndicatorObject;
use crate::limits::{backticked, quoted, shortened};
use crate::relationship::Fields;

/// An indicator record, as read (its type not yet checked against a schema).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorRecord {
    /// The indicator value.
    pub value: String,
    /// The indicator type string.
    #[serde(rename = "type")]
    pub indicator_type: String,
    /// The DBot score, 0–3 (`None` when absent or `null`).
    #[serde(
        default,
        deserialize_with = "score",
        skip_serializing_if = "Option::is_none"
    )]
    pub score: Option<u8>,
    /// The source object (`None` when absent; a `null` is kept as `Some` of `null`).
    #[serde(
        rename = "rawJSON",
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub raw_json: Option<RawJson>,
    /// The indicator fields (`None` when absent or `null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Fields>,
}

impl IndicatorRecord {
    /// The indicator object to batch; `rawJSON` defaults to `{"value": …, "type": …}`.
    pub fn into_object(self) -> IndicatorObject {
        let raw_json = self.raw_json.unwrap_or_else(|| {
            let mut m = Fields::with_capacity(2);
            m.insert("value", self.value.as_str());
            m.insert("type", self.indicator_type.as_str());
            RawJson::from(m)
        });
        let mut obj = IndicatorObject::new(self.value, self.indicator_type);
        obj.score = self.score;
        obj.raw_json = raw_json;
        obj.fields = self.fields.unwrap_or_default();
        obj
    }
}

/// One input record.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A relationship between two indicators.
    Relationship(Box<RelationshipInput>),
    /// An indicator object. (A variant named `Indicator` would make rustc spell the
    /// `Indicator` trait with its full path in every diagnostic that names it.)
    IndicatorRecord(Box<IndicatorRecord>),
}

impl<'de> Deserialize<'de> for Record {
    /// Reads either shape: the keys decide which (see [`parse_line`] for the messages).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RecordKeys::deserialize(d)?
            .into_record()
            .map_err(de::Error::custom)
    }
}

/// Why a line is not a valid record. The message never repeats the line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// The reason, e.g. ``missing key `entity_b_type` in relationship record``.
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RecordError {}

/// Parses one line (without its line terminator) into a record.
///
/// # Errors
///
/// A [`RecordError`] for malformed JSON (with its column; a line nested deeper than
/// [`MAX_DEPTH`](crate::limits::MAX_DEPTH) is refused before it is read), an unknown key (with the nearest
/// valid ones), a duplicate key, a value of the wrong type (naming the key), missing keys, or
/// an object that mixes relationship and indicator keys.
pub fn parse_line(line: &[u8]) -> Result<Record, RecordError> {
    if let Some(at) = crate::limits::find_too_deep(line) {
        return Err(malformed(crate::limits::TOO_DEEP, at.column));
    }
    // A line checked as UTF-8 once, as a whole, spares serde_json checking each string it
    // reads; a line that is not UTF-8 is read as bytes, to get serde_json's message.
    let keys = match std::str::from_utf8(line) {
        Ok(text) => read_keys(serde_json::Deserializer::from_str(text)),
        Err(_) => read_keys(serde_json::Deserializer::from_slice(line)),
    }
    .map_err(|_| explain(line))?;
    // A number that delivery refuses (`1e400`, which Python's style would write as
    // `Infinity`; an integer longer than Python reads) is refused, so that neither `render`
    // nor `batch` writes what `validate` and the pack refuse.
    if let Some((at, problem)) = crate::deliverable::first_number_problem(line) {
        let message = format!("{problem} (column {})", at + 1);
        return Err(RecordError { message });
    }
    keys.into_record()
        .map_err(|message| RecordError { message })
}

/// The error for malformed JSON: `reason`, at the 1-based `column`.
fn malformed(reason: &str, column: usize) -> RecordError {
    let message = format!("malformed JSON: {reason} (column {column})");
    RecordError { message }
}

/// A relationship record read with its `fields` object left as JSON text (see
/// [`parse_relationship_raw`]).
#[derive(Debug)]
pub struct RawRelationship<'a> {
    /// The record, its `fields` left `None`.
    pub input: RelationshipInput,
    /// The `fields` object, its values as written in the line (`None` when absent or
    /// `null`).
    pub fields: Option<RawFields<'a>>,
}

/// Reads `line` as a relationship record without building its `fields`, whose values stay
/// JSON text, to be written by
/// [`render_relationship_with`](crate::batch::render_relationship_with).
///
/// `None` for every line this fast path does not take (not UTF-8, an indicator, a duplicate
/// or unknown key, a missing key, a wrong type, `fields` not an object…): [`parse_line`]
/// reads those, with its messages. For a line it takes, the record equals the one
/// [`parse_line`] returns, `fields` aside.
pub fn parse_relationship_raw(line: &[u8]) -> Option<RawRelationship<'_>> {
    let text = std::str::from_utf8(line).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let keys = RawKeys::deserialize(&mut de).ok()?;
    de.end().ok()?;
    let k = keys.0;
    // Numbers that delivery refuses go to the full read, which reports them. Only values
    // that are not strings can hold one.
    if let Some(fields) = &k.fields {
        let undeliverable = fields.0.iter().any(|(_, v)| {
            let text = v.get();
            !text.starts_with('"')
                && crate::deliverable::first_number_problem(text.as_bytes()).is_some()
        });
        if undeliverable {
            return None;
        }
    }
    Some(RawRelationship {
        input: RelationshipInput {
            name: k.name,
            entity_a: k.entity_a,
            entity_a_type: k.entity_a_type,
            entity_b: k.entity_b,
            entity_b_type: k.entity_b_type,
            reverse_name: k.reverse_name,
            fields: None,
            source_reliability: k.source_reliability,
            brand: k.brand,
            relationship_type: k.relationship_type,
            entity_a_family: k.entity_a_family,
            entity_b_family: k.entity_b_family,
        },
        fields: k.fields,
    })
}

/// The keys of a relationship record, `fields` as JSON text; read from an object only.
struct RawKeys<'a>(FastKeys<'a>);

impl<'de> Deserialize<'de> for RawKeys<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectOnly;
        impl<'de> Visitor<'de> for ObjectOnly {
            type Value = RawKeys<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a relationship object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawKeys<'de>, A::Error> {
                FastKeys::deserialize(MapAccessDeserializer::new(map)).map(RawKeys)
            }
        }
        d.deserialize_map(ObjectOnly)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FastKeys<'a> {
    name: String,
    entity_a: String,
    entity_a_type: String,
    entity_b: String,
    entity_b_type: String,
    #[serde(default)]
    reverse_name: Option<String>,
    #[serde(default)]
    relationship_type: Option<String>,
    #[serde(default)]
    entity_a_family: Option<String>,
    #[serde(default)]
    entity_b_family: Option<String>,
    #[serde(default)]
    source_reliability: Option<String>,
    #[serde(default, borrow)]
    fields: Option<RawFields<'a>>,
    #[serde(default)]
    brand: Option<String>,
}

/// The record keys of a whole line.
fn read_keys<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
) -> serde_json::Result<RecordKeys> {
    let keys = RecordKeys::deserialize(&mut de)?;
    de.end().map(|()| keys)
}

/// The error for a line that did not deserialize. The line is read again, this time
/// tracking which key's value is being read, so that the message can name it; the good
/// lines pay nothing for that.
fn explain(line: &[u8]) -> RecordError {
    // serde_json places a lone surrogate inside `fields` or `rawJSON` in the value's own
    // text; the line's column is found here.
    if let Some(at) = crate::limits::find_lone_surrogate(line) {
        return malformed(crate::limits::LONE_SURROGATE, at + 1);
    }
    let mut de = serde_json::Deserializer::from_slice(line);
    let message = match serde_path_to_error::deserialize::<_, RecordKeys>(&mut de) {
        Err(e) => {
            let key = match e.path().iter().next() {
                Some(serde_path_to_error::Segment::Map { key }) => Some(key.as_str()),
                _ => None,
            };
            describe(e.inner(), key)
        }
        Ok(_) => match de.end() {
            Err(e) => describe(&e, None),
            Ok(()) => "the line could not be read".to_owned(),
        },
    };
    RecordError { message }
}

/// Turns a serde_json error into `reason (column N)`, without serde's `at line 1` suffix,
/// naming `key` when the error is in that key's value.
fn describe(e: &serde_json::Error, key: Option<&str>) -> String {
    use serde_json::error::Category;
    let reason = crate::limits::error_reason(e);
    let column = match e.column() {
        0 => String::new(),
        c => format!(" (column {c})"),
    };
    match (e.classify(), key) {
        (Category::Eof, _) => {
            format!("malformed JSON: unexpected end of line: the JSON value is incomplete{column}")
        }
        (Category::Syntax, _) if reason == "trailing characters" => format!(
            "malformed JSON: trailing characters after the JSON object (one object per line){column}"
        ),
        (Category::Syntax, _) => format!("malformed JSON: {reason}{column}"),
        (_, Some(key)) if reason.starts_with(&format!("unknown field `{key}`")) => {
            format!("{}{column}", unknown_key(key))
        }
        (_, Some(key)) => format!("key `{}`: {}{column}", quoted(key), shortened(&reason)),
        (_, None) => match reason.strip_prefix("duplicate field ") {
            Some(key) => format!("duplicate key {}{column}", shortened(key)),
            None => format!("{}{column}", shortened(&reason)),
        },
    }
}

/// The message for an unknown key, with the nearest valid keys.
fn unknown_key(key: &str) -> String {
    let all = KEYS.iter().copied();
    let hint = suggest::did_you_mean(key, all.clone()).or_else(|| {
        // `entityAType` (XSOAR's output spelling) should find `entity_a_type`.
        let folded = key.replace('_', "").to_lowercase();
        let same: Vec<&str> = all
            .filter(|k| k.replace('_', "").to_lowercase() == folded)
            .collect();
        suggest::did_you_mean_of(&same)
    });
    match hint {
        Some(hint) => format!("unknown key `{}`; {hint}", quoted(key)),
        None => format!("unknown key `{}`", quoted(key)),
    }
}

/// Deserializes a present value, so that a key given as `null` is told apart from an absent
/// one (`Some(None)` against `None` for an optional value; an error for a required string).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A score: an integer 0–3 or `null`.
fn score<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    match Option::<i64>::deserialize(d)? {
        None => Ok(None),
        Some(n @ 0..=3) => Ok(Some(n as u8)),
        Some(n) => Err(de::Error::custom(format!(
            "score {n} is out of range: a DBot score is 0, 1, 2 or 3"
        ))),
    }
}

/// Every key of a record, in the order serde's messages list them: the relationship keys in
/// XSOAR's constructor order, then the indicator keys other than `fields`.
const KEYS: [&str; 16] = [
    "name",
    "entity_a",
    "entity_a_type",
    "entity_b",
    "entity_b_type",
    "reverse_name",
    "relationship_type",
    "entity_a_family",
    "entity_b_family",
    "source_reliability",
    "fields",
    "brand",
    "value",
    "type",
    "score",
    "rawJSON",
];
const FIELDS: usize = 10;
const VALUE: usize = 12;
const TYPE: usize = 13;
const SCORE: usize = 14;
const RAW_JSON: usize = 15;
/// The keys a value of `null` is refused for (a string is required).
const REQUIRED: [usize; 7] = [0, 1, 2, 3, 4, VALUE, TYPE];

/// Every key of both shapes as read, before deciding which shape the record has. Only an
/// object is accepted.
#[derive(Default)]
struct RecordKeys {
    /// Bit `i` set when `KEYS[i]` was given.
    seen: u16,
    /// The string values by their key's index (`None` when absent or `null`).
    strings: [Option<String>; 16],
    fields: Option<Fields>,
    score: Option<u8>,
    raw_json: Option<RawJson>,
}

/// A score read by [`score`].
struct Score(Option<u8>);

impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        score(d).map(Score)
    }
}

impl<'de> Deserialize<'de> for RecordKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RecordKeysVisitor)
    }
}

struct RecordKeysVisitor;

impl<'de> Visitor<'de> for RecordKeysVisitor {
    type Value = RecordKeys;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a relationship or indicator object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RecordKeys, A::Error> {
        let mut k = RecordKeys::default();
        while let Some(i) = map.next_key_seed(KeyIndex(&KEYS))? {
            if k.seen & (1 << i) != 0 {
                return Err(de::Error::duplicate_field(KEYS[i]));
            }
            k.seen |= 1 << i;
            match i {
                FIELDS => k.fields = map.next_value()?,
                SCORE => k.score = map.next_value::<Score>()?.0,
                RAW_JSON => k.raw_json = Some(map.next_value()?),
                _ if REQUIRED.contains(&i) => k.strings[i] = Some(map.next_value()?),
                _ => k.strings[i] = map.next_value()?,
            }
        }
        Ok(k)
    }
}

impl RecordKeys {
    /// The record the keys make, or why they make none: a mixture of both shapes, neither
    /// shape, or missing keys.
    fn into_record(mut self) -> Result<Record, String> {
        let seen = |i: usize| self.seen & (1 << i) != 0;
        let relationship = (0..VALUE).any(|i| i != FIELDS && seen(i));
        let indicator = (VALUE..KEYS.len()).any(seen);
        let (shape, required) = match (relationship, indicator) {
            (true, true) => {
                return Err(
                    "the object mixes relationship keys (`name`, `entity_a`, …) with indicator \
                     keys (`value`, `type`, …); use one object per line for each"
                        .to_owned(),
                );
            }
            (false, false) => {
                return Err(
                    "the object is neither a relationship (keys `name`, `entity_a`, \
                     `entity_a_type`, `entity_b`, `entity_b_type`) nor an indicator (keys `value`, \
                     `type`)"
                        .to_owned(),
                );
            }
            (true, false) => ("relationship", &REQUIRED[..5]),
            (false, true) => ("indicator", &REQUIRED[5..]),
        };
        let missing: Vec<&str> = required
            .iter()
            .filter(|&&i| !seen(i))
            .map(|&i| KEYS[i])
            .collect();
        if !missing.is_empty() {
            let noun = if missing.len() == 1 { "key" } else { "keys" };
            let list = backticked(&missing);
            return Err(format!("missing {noun} {list} in {shape} record"));
        }
        // Each value by its index in `KEYS`.
        let mut take = |i: usize| self.strings[i].take();
        if indicator {
            return Ok(Record::IndicatorRecord(Box::new(IndicatorRecord {
                value: take(VALUE).unwrap_or_default(),
                indicator_type: take(TYPE).unwrap_or_default(),
                score: self.score,
                raw_json: self.raw_json,
                fields: self.fields,
            })));
        }
        Ok(Record::Relationship(Box::new(RelationshipInput {
            name: take(0).unwrap_or_default(),
            entity_a: take(1).unwrap_or_default(),
            entity_a_type: take(2).unwrap_or_default(),
            entity_b: take(3).unwrap_or_default(),
            entity_b_type: take(4).unwrap_or_default(),
            reverse_name: take(5),
            fields: self.fields,
            source_reliability: take(9),
            brand: take(11),
            relationship_type: take(6),
            entity_a_family: take(7),
            entity_b_family: take(8),
        })))
    }
}
#[cfg(test)]
mod tests {
    /// Records nested to the limit read and render, and deeper ones are refused, on the
    /// default 2 MiB stack of a spawned thread.
    #[test]
    fn depth_to_the_limit_on_a_small_stack() {
        use crate::json::{JsonStyle, to_string};
        use crate::limits::{MAX_DEPTH, TOO_DEEP};
        let record = |depth: usize| {
            let n = depth - 1;
            let middle = if n % 2 == 1 { "[]" } else { "1" };
            let inner = "{\"a\":[".repeat(n / 2) + middle + &"]}".repeat(n / 2);
            format!(r#"{{"value":"v","type":"IP","rawJSON":{inner}}}"#)
        };
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let Ok(super::Record::IndicatorRecord(r)) =
                    super::parse_line(record(MAX_DEPTH).as_bytes())
                else {
                    panic!("depth {MAX_DEPTH} refused");
                };
                let obj = r.into_object();
                for style in [JsonStyle::Compact, JsonStyle::Python] {
                    assert!(to_string(&obj, style).unwrap().contains("[{"));
                }
                for depth in [MAX_DEPTH + 1, MAX_DEPTH + 2, 1_000_000] {
                    let e = super::parse_line(record(depth).as_bytes()).unwrap_err();
                    assert!(e.message.contains(TOO_DEEP), "{e}");
                    assert!(e.message.contains("(column "), "{e}");
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn the_raw_fast_path_takes_plain_relationships_only() {
        let base = r#""name":"uses","entity_a":"a","entity_a_type":"A","entity_b":"b","entity_b_type":"B""#;
        let taken = [
            format!("{{{base}}}"),
            format!("{{{base},\"fields\":null,\"brand\":null}}"),
            format!("{{{base},\"fields\":{{\"d\":\"x\",\"n\":1.5e3}}}}"),
            format!("{{ {base} , \"reverse_name\": \"used-by\" }}"),
        ];
        for line in &taken {
            let raw = parse_relationship_raw(line.as_bytes()).expect(line);
            let Ok(Record::Relationship(full)) = parse_line(line.as_bytes()) else {
                panic!("{line}")
            };
            let mut full = *full;
            full.fields = None;
            assert_eq!(raw.input, full, "{line}");
        }
        let refused = [
            format!("[{base}]"),
            format!("{{{base},\"fields\":[]}}"),
            format!("{{{base},\"fields\":5}}"),
            format!("{{{base},\"name\":\"x\"}}"),
            format!("{{{base},\"value\":\"x\"}}"),
            format!("{{{base},\"fields\":{{\"d\":\"a\u{1}b\"}}}}"),
            format!("{{{base}}} x"),
            r#"{"name":"uses"}"#.to_owned(),
        ];
        for line in &refused {
            assert!(parse_relationship_raw(line.as_bytes()).is_none(), "{line}");
        }
        assert!(parse_relationship_raw(b"{\"name\":\"\xff\"}").is_none());
    }
    use super::*;

    fn err(line: &str) -> String {
        parse_line(line.as_bytes()).unwrap_err().message
    }

    const OK: &str = r#"{"name": "uses", "entity_a": "u4872", "entity_a_type": "Account", "entity_b": "pc135456.domain.local", "entity_b_type": "Host"}"#;

    #[test]
    fn parses_a_relationship_with_optional_keys() {
        let line = r#"{"name":"uses","entity_a":"a","entity_a_type":"Account","entity_b":"b","entity_b_type":"Host","reverse_name":null,"fields":{"z":1,"a":2},"source_reliability":"B - Usually reliable","brand":"X"}"#;
        let Record::Relationship(r) = parse_line(line.as_bytes()).unwrap() else {
            panic!("not a relationship")
        };
        assert_eq!(r.name, "uses");
        assert_eq!(r.reverse_name, None);
        let keys: Vec<&str> = r.fields.as_ref().unwrap().keys().collect();
        assert_eq!(keys, ["z", "a"], "field order is kept");
        assert_eq!(
            r.source_reliability.as_deref(),
            Some("B - Usually reliable")
        );
        assert_eq!(r.brand.as_deref(), Some("X"));
        assert!(parse_line(OK.as_bytes()).is_ok());
    }

    #[test]
    fn parses_xsoars_fixed_arguments() {
        let line = r#"{"name":"uses","entity_a":"a","entity_a_type":"Account","entity_b":"b","entity_b_type":"Host","relationship_type":"IndicatorToIndicator","entity_a_family":"Incident","entity_b_family":null}"#;
        let Record::Relationship(r) = parse_line(line.as_bytes()).unwrap() else {
            panic!("not a relationship")
        };
        assert_eq!(r.relationship_type.as_deref(), Some("IndicatorToIndicator"));
        assert_eq!(r.entity_a_family.as_deref(), Some("Incident"));
        assert_eq!(r.entity_b_family, None);
        let Record::Relationship(r) = parse_line(OK.as_bytes()).unwrap() else {
            panic!("not a relationship")
        };
        assert_eq!(
            (r.relationship_type, r.entity_a_family, r.entity_b_family),
            (None, None, None)
        );
        assert!(
            err(r#"{"entity_b_famly": "Indicator"}"#)
                .starts_with("unknown key `entity_b_famly`; did you mean `entity_b_family`"),
            "{}",
            err(r#"{"entity_b_famly": "Indicator"}"#)
        );
        assert!(
            err(r#"{"relationship_type": 1}"#).starts_with("key `relationship_type`: invalid type")
        );
        assert!(
            err(r#"{"entity_a_family": "Indicator"}"#)
                .starts_with("missing keys `name`, `entity_a`")
        );
        assert!(
            err(r#"{"value": "x", "type": "IP", "entity_b_family": "Indicator"}"#)
                .starts_with("the object mixes")
        );
    }

    #[test]
    fn numbers_in_fields_and_raw_json_keep_their_text() {
        let line = r#"{"name":"uses","entity_a":"a","entity_a_type":"Account","entity_b":"b","entity_b_type":"Host","fields":{"big":123456789012345678901234567890,"e":1.0E2,"neg":-0}}"#;
        let Record::Relationship(r) = parse_line(line.as_bytes()).unwrap() else {
            panic!("not a relationship")
        };
        let fields = r.fields.unwrap();
        assert_eq!(
            fields.get("big").unwrap().to_string(),
            "123456789012345678901234567890"
        );
        assert_eq!(fields.get("e").unwrap().to_string(), "1.0e+2");
        assert_eq!(fields.get("neg").unwrap().to_string(), "-0");
        let line = r#"{"value":"x","type":"IP","rawJSON":{"n":-123456789012345678901234567890},"fields":{"u":18446744073709551616}}"#;
        let Record::IndicatorRecord(i) = parse_line(line.as_bytes()).unwrap() else {
            panic!("not an indicator")
        };
        assert_eq!(
            i.raw_json.unwrap().to_string(),
            r#"{"n":-123456789012345678901234567890}"#
        );
        assert_eq!(
            i.fields.unwrap().get("u").unwrap().to_string(),
            "18446744073709551616"
        );
    }

    #[test]
    fn parses_an_indicator() {
        let Record::IndicatorRecord(i) =
            parse_line(br#"{"value": "8.8.8.8", "type": "IP", "score": 2}"#).unwrap()
        else {
            panic!("not an indicator")
        };
        assert_eq!(
            (i.value.as_str(), i.indicator_type.as_str()),
            ("8.8.8.8", "IP")
        );
        assert_eq!(i.score, Some(2));
        assert_eq!(i.raw_json, None);
    }

    #[test]
    fn names_missing_keys() {
        assert_eq!(
            err(
                r#"{"name": "uses", "entity_a": "a", "entity_a_type": "Account", "entity_b": "b"}"#
            ),
            "missing key `entity_b_type` in relationship record"
        );
        assert_eq!(
            err(r#"{"value": "x"}"#),
            "missing key `type` in indicator record"
        );
    }

    #[test]
    fn names_the_key_with_a_wrong_type() {
        assert_eq!(
            err(r#"{"name": "uses", "entity_a": 5}"#),
            "key `entity_a`: invalid type: integer `5`, expected a string (column 30)"
        );
        assert!(err(r#"{"name": ["uses"]}"#).starts_with("key `name`: invalid type: sequence"));
        assert!(
            err(r#"{"value": "x", "type": "IP", "score": 7}"#).contains("score 7 is out of range")
        );
        assert!(
            err(r#"{"fields": "x", "name": "uses"}"#).starts_with("key `fields`: invalid type")
        );
    }

    #[test]
    fn suggests_the_nearest_key() {
        assert!(err(r#"{"nme": "uses"}"#).starts_with("unknown key `nme`; did you mean `name`"));
        assert!(
            err(r#"{"entityAType": "Account"}"#).contains("did you mean `entity_a_type`"),
            "{}",
            err(r#"{"entityAType": "Account"}"#)
        );
        assert_eq!(err(r#"{"zzzzzz": 1}"#), "unknown key `zzzzzz` (column 9)");
    }

    #[test]
    fn reports_malformed_json_with_a_column() {
        assert!(err(r#"{"name": "uses""#).starts_with("malformed JSON: unexpected end of line"));
        assert!(err(r#"{"name" "uses"}"#).starts_with("malformed JSON: expected `:` (column 9)"));
        assert!(err(&format!("{OK} {{}}")).starts_with("malformed JSON: trailing characters"));
        assert!(err("[1, 2]").starts_with("invalid type: sequence, expected a relationship"));
        assert!(err(r#"{"name": "\ud800"}"#).starts_with("malformed JSON: "));
    }

    #[test]
    fn rejects_duplicates_mixtures_and_empty_objects() {
        assert!(err(r#"{"name": "a", "name": "b"}"#).starts_with("duplicate key `name`"));
        assert!(err(r#"{"name": "a", "value": "b"}"#).starts_with("the object mixes"));
        assert!(err("{}").starts_with("the object is neither"));
    }

    #[test]
    fn invalid_utf8_is_an_error_not_a_panic() {
        let mut line = br#"{"name": ""#.to_vec();
        line.extend_from_slice(&[0xff, 0xfe]);
        line.extend_from_slice(br#""}"#);
        assert!(parse_line(&line).is_err());
    }
}
