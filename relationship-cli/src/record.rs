//! Parsing one NDJSON input line into a [`Record`].
//!
//! A line holds one JSON object of one of two shapes:
//!
//! * a **relationship**, with the keys of XSOAR's `EntityRelationship` constructor: `name`,
//!   `entity_a`, `entity_a_type`, `entity_b`, `entity_b_type` (strings, required) and
//!   `reverse_name`, `source_reliability`, `brand`, `relationship_type`, `entity_a_family`,
//!   `entity_b_family` (strings or `null`), `fields` (object or `null`), all optional;
//! * an **indicator** (only meaningful for `batch`): `value`, `type` (strings, required),
//!   `score` (integer 0–3 or `null`), `rawJSON` (any JSON value), `fields` (object or `null`).
//!
//! Numbers inside `fields` and `rawJSON` keep the text they were read with (serde_json's
//! `arbitrary_precision`): an integer beyond 64 bits is not rounded through a double.
//!
//! The parser is a single pass over the object's keys. It names the key at fault for a wrong
//! value type, suggests the nearest valid key for an unknown one, and lists missing keys, so a
//! bad line gets a message a person can act on.

use std::cell::Cell;
use std::fmt;

use relationship_core::Fields;
use relationship_schema::suggest;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// The keys of a relationship record, in XSOAR's constructor order.
pub const RELATIONSHIP_KEYS: [&str; 12] = [
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
];

/// The keys of an indicator record.
pub const INDICATOR_KEYS: [&str; 5] = ["value", "type", "score", "rawJSON", "fields"];

/// A relationship record, as read (nothing checked against a schema yet).
#[derive(Debug, Clone, PartialEq)]
pub struct RelationshipRecord {
    /// The relationship name, e.g. `uses`.
    pub name: String,
    /// Entity A's value.
    pub entity_a: String,
    /// Entity A's indicator type.
    pub entity_a_type: String,
    /// Entity B's value.
    pub entity_b: String,
    /// Entity B's indicator type.
    pub entity_b_type: String,
    /// An explicit reverse name (`None` when absent or `null`).
    pub reverse_name: Option<String>,
    /// The relationship's fields (`None` when absent or `null`).
    pub fields: Option<Fields>,
    /// The source reliability string (`None` when absent or `null`).
    pub source_reliability: Option<String>,
    /// The brand (`None` when absent or `null`).
    pub brand: Option<String>,
    /// XSOAR's `relationship_type` (`None` when absent or `null`); checked, not here, to be
    /// `IndicatorToIndicator`.
    pub relationship_type: Option<String>,
    /// XSOAR's `entity_a_family` (`None` when absent or `null`); checked, not here, to be
    /// `Indicator`.
    pub entity_a_family: Option<String>,
    /// XSOAR's `entity_b_family` (`None` when absent or `null`); checked, not here, to be
    /// `Indicator`.
    pub entity_b_family: Option<String>,
}

/// An indicator record, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRecord {
    /// The indicator value.
    pub value: String,
    /// The indicator type string.
    pub indicator_type: String,
    /// The DBot score, 0–3.
    pub score: Option<u8>,
    /// The source object (`None` when absent).
    pub raw_json: Option<Value>,
    /// The indicator fields (`None` when absent or `null`).
    pub fields: Option<Fields>,
}

/// One input record.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A relationship between two indicators.
    Relationship(Box<RelationshipRecord>),
    /// An indicator object.
    Indicator(Box<IndicatorRecord>),
}

/// Why a line is not a valid record. The message never repeats the line number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RecordError {
    /// The reason, e.g. ``missing key `entity_b_type` ``.
    pub message: String,
}

/// Parses one line (without its line terminator) into a record.
///
/// ```
/// use relationship_cli::record::{parse_line, Record};
/// let line = br#"{"name": "uses", "entity_a": "u4872", "entity_a_type": "Account",
///     "entity_b": "pc135456.domain.local", "entity_b_type": "Host"}"#;
/// assert!(matches!(parse_line(line), Ok(Record::Relationship(_))));
/// let err = parse_line(br#"{"name": "uses"}"#).unwrap_err();
/// assert!(err.message.starts_with("missing keys `entity_a`"));
/// ```
pub fn parse_line(line: &[u8]) -> Result<Record, RecordError> {
    let mut de = serde_json::Deserializer::from_slice(line);
    let key = Cell::new(None);
    let raw = RecordSeed { key: &key }
        .deserialize(&mut de)
        .and_then(|r| de.end().map(|()| r))
        .map_err(|e| RecordError {
            message: describe(&e, key.get()),
        })?;
    raw.finish().map_err(|message| RecordError { message })
}

/// Turns a serde_json error into `reason (column N)`, without serde's `at line 1` suffix,
/// naming `key` when the error is in that key's value.
fn describe(e: &serde_json::Error, key: Option<&str>) -> String {
    let text = e.to_string();
    let reason = strip_position(&text);
    let reason = match e.classify() {
        serde_json::error::Category::Eof => "unexpected end of line: the JSON value is incomplete",
        serde_json::error::Category::Syntax if reason == "trailing characters" => {
            "trailing characters after the JSON object (one object per line)"
        }
        _ => reason,
    };
    let column = match e.column() {
        0 => String::new(),
        c => format!(" (column {c})"),
    };
    match (e.classify(), key) {
        (serde_json::error::Category::Syntax | serde_json::error::Category::Eof, _) => {
            format!("malformed JSON: {reason}{column}")
        }
        (_, Some(key)) => format!("key `{key}`: {reason}{column}"),
        (_, None) => format!("{reason}{column}"),
    }
}

/// Strips serde_json's ` at line L column C` suffix from a message.
fn strip_position(text: &str) -> &str {
    match text.rfind(" at line ") {
        Some(i) if text[i..].contains(" column ") => &text[..i],
        _ => text,
    }
}

/// The recognised keys, plus the unknown ones (kept for the message).
enum Key {
    Name,
    EntityA,
    EntityAType,
    EntityB,
    EntityBType,
    ReverseName,
    Fields,
    SourceReliability,
    Brand,
    RelationshipType,
    EntityAFamily,
    EntityBFamily,
    Value,
    Type,
    Score,
    RawJson,
    Unknown(String),
}

impl Key {
    fn from_str(s: &str) -> Key {
        match s {
            "name" => Key::Name,
            "entity_a" => Key::EntityA,
            "entity_a_type" => Key::EntityAType,
            "entity_b" => Key::EntityB,
            "entity_b_type" => Key::EntityBType,
            "reverse_name" => Key::ReverseName,
            "fields" => Key::Fields,
            "source_reliability" => Key::SourceReliability,
            "brand" => Key::Brand,
            "relationship_type" => Key::RelationshipType,
            "entity_a_family" => Key::EntityAFamily,
            "entity_b_family" => Key::EntityBFamily,
            "value" => Key::Value,
            "type" => Key::Type,
            "score" => Key::Score,
            "rawJSON" => Key::RawJson,
            other => Key::Unknown(other.to_owned()),
        }
    }
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key::from_str(v))
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// Reads one record; `key` holds the key whose value is being read, for error messages.
struct RecordSeed<'k> {
    key: &'k Cell<Option<&'static str>>,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Raw;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_map(RecordVisitor { key: self.key })
    }
}

struct RecordVisitor<'k> {
    key: &'k Cell<Option<&'static str>>,
}

/// Every key's value as read, before deciding which shape the record has.
#[derive(Default)]
struct Raw {
    name: Option<String>,
    entity_a: Option<String>,
    entity_a_type: Option<String>,
    entity_b: Option<String>,
    entity_b_type: Option<String>,
    reverse_name: Option<Option<String>>,
    fields: Option<Option<Fields>>,
    source_reliability: Option<Option<String>>,
    brand: Option<Option<String>>,
    relationship_type: Option<Option<String>>,
    entity_a_family: Option<Option<String>>,
    entity_b_family: Option<Option<String>>,
    value: Option<String>,
    indicator_type: Option<String>,
    score: Option<Option<u8>>,
    raw_json: Option<Value>,
}

/// Reads the value of `key` into `slot`, rejecting a repeated key; while the value is read,
/// `current` names the key so that an error can say whose value is wrong.
fn read<'de, A, T>(
    map: &mut A,
    current: &Cell<Option<&'static str>>,
    slot: &mut Option<T>,
    key: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::custom(format!("duplicate key `{key}`")));
    }
    current.set(Some(key));
    let value = map.next_value::<T>()?;
    current.set(None);
    *slot = Some(value);
    Ok(())
}

/// A score: an integer 0–3 or `null`.
struct Score(Option<u8>);

impl<'de> de::Deserialize<'de> for Score {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: Option<i64> = de::Deserialize::deserialize(d)?;
        match v {
            None => Ok(Score(None)),
            Some(n @ 0..=3) => Ok(Score(Some(n as u8))),
            Some(n) => Err(de::Error::custom(format!(
                "score {n} is out of range: a DBot score is 0, 1, 2 or 3"
            ))),
        }
    }
}

impl<'de> Visitor<'de> for RecordVisitor<'_> {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a relationship or indicator object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let k = self.key;
        let mut raw = Raw::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Name => read(&mut map, k, &mut raw.name, "name")?,
                Key::EntityA => read(&mut map, k, &mut raw.entity_a, "entity_a")?,
                Key::EntityAType => read(&mut map, k, &mut raw.entity_a_type, "entity_a_type")?,
                Key::EntityB => read(&mut map, k, &mut raw.entity_b, "entity_b")?,
                Key::EntityBType => read(&mut map, k, &mut raw.entity_b_type, "entity_b_type")?,
                Key::ReverseName => read(&mut map, k, &mut raw.reverse_name, "reverse_name")?,
                Key::Fields => read(&mut map, k, &mut raw.fields, "fields")?,
                Key::SourceReliability => read(
                    &mut map,
                    k,
                    &mut raw.source_reliability,
                    "source_reliability",
                )?,
                Key::Brand => read(&mut map, k, &mut raw.brand, "brand")?,
                Key::RelationshipType => {
                    read(&mut map, k, &mut raw.relationship_type, "relationship_type")?
                }
                Key::EntityAFamily => {
                    read(&mut map, k, &mut raw.entity_a_family, "entity_a_family")?
                }
                Key::EntityBFamily => {
                    read(&mut map, k, &mut raw.entity_b_family, "entity_b_family")?
                }
                Key::Value => read(&mut map, k, &mut raw.value, "value")?,
                Key::Type => read(&mut map, k, &mut raw.indicator_type, "type")?,
                Key::Score => {
                    let mut s: Option<Score> = None;
                    if raw.score.is_some() {
                        return Err(de::Error::custom("duplicate key `score`"));
                    }
                    read(&mut map, k, &mut s, "score")?;
                    raw.score = s.map(|s| s.0);
                }
                Key::RawJson => read(&mut map, k, &mut raw.raw_json, "rawJSON")?,
                Key::Unknown(k) => return Err(de::Error::custom(unknown_key(&k))),
            }
        }
        Ok(raw)
    }
}

/// The message for an unknown key, with the nearest valid keys.
fn unknown_key(key: &str) -> String {
    let all = RELATIONSHIP_KEYS
        .iter()
        .chain(INDICATOR_KEYS.iter().filter(|k| **k != "fields"))
        .copied();
    // `entityAType` (XSOAR's output spelling) should find `entity_a_type`.
    let folded = key.replace('_', "").to_lowercase();
    let mut near = suggest::nearest(key, all.clone());
    if near.is_empty() {
        near = all
            .filter(|k| k.replace('_', "").to_lowercase() == folded)
            .collect();
    }
    if near.is_empty() {
        format!("unknown key `{key}`")
    } else {
        format!(
            "unknown key `{key}`; did you mean {}?",
            suggest::or_list(&near)
        )
    }
}

impl Raw {
    fn finish(self) -> Result<Record, String> {
        let has_relationship_key = self.name.is_some()
            || self.entity_a.is_some()
            || self.entity_a_type.is_some()
            || self.entity_b.is_some()
            || self.entity_b_type.is_some()
            || self.reverse_name.is_some()
            || self.source_reliability.is_some()
            || self.brand.is_some()
            || self.relationship_type.is_some()
            || self.entity_a_family.is_some()
            || self.entity_b_family.is_some();
        let has_indicator_key = self.value.is_some()
            || self.indicator_type.is_some()
            || self.score.is_some()
            || self.raw_json.is_some();
        if has_relationship_key && has_indicator_key {
            return Err(
                "the object mixes relationship keys (`name`, `entity_a`, …) with indicator \
                 keys (`value`, `type`, …); use one object per line for each"
                    .to_owned(),
            );
        }
        if has_indicator_key {
            return self.finish_indicator();
        }
        if !has_relationship_key {
            return Err(
                "the object is neither a relationship (keys `name`, `entity_a`, \
                 `entity_a_type`, `entity_b`, `entity_b_type`) nor an indicator (keys `value`, \
                 `type`)"
                    .to_owned(),
            );
        }
        let missing: Vec<&str> = [
            ("name", self.name.is_none()),
            ("entity_a", self.entity_a.is_none()),
            ("entity_a_type", self.entity_a_type.is_none()),
            ("entity_b", self.entity_b.is_none()),
            ("entity_b_type", self.entity_b_type.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        match (
            self.name,
            self.entity_a,
            self.entity_a_type,
            self.entity_b,
            self.entity_b_type,
        ) {
            (
                Some(name),
                Some(entity_a),
                Some(entity_a_type),
                Some(entity_b),
                Some(entity_b_type),
            ) => Ok(Record::Relationship(Box::new(RelationshipRecord {
                name,
                entity_a,
                entity_a_type,
                entity_b,
                entity_b_type,
                reverse_name: self.reverse_name.flatten(),
                fields: self.fields.flatten(),
                source_reliability: self.source_reliability.flatten(),
                brand: self.brand.flatten(),
                relationship_type: self.relationship_type.flatten(),
                entity_a_family: self.entity_a_family.flatten(),
                entity_b_family: self.entity_b_family.flatten(),
            }))),
            _ => Err(missing_message("relationship", &missing)),
        }
    }

    fn finish_indicator(self) -> Result<Record, String> {
        let missing: Vec<&str> = [
            ("value", self.value.is_none()),
            ("type", self.indicator_type.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        match (self.value, self.indicator_type) {
            (Some(value), Some(indicator_type)) => {
                Ok(Record::Indicator(Box::new(IndicatorRecord {
                    value,
                    indicator_type,
                    score: self.score.flatten(),
                    raw_json: self.raw_json,
                    fields: self.fields.flatten(),
                })))
            }
            _ => Err(missing_message("indicator", &missing)),
        }
    }
}

fn missing_message(shape: &str, missing: &[&str]) -> String {
    let list: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
    let noun = if missing.len() == 1 { "key" } else { "keys" };
    format!("missing {noun} {} in {shape} record", list.join(", "))
}

#[cfg(test)]
mod tests {
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
        let keys: Vec<&String> = r.fields.as_ref().unwrap().keys().collect();
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
        assert_eq!(fields["big"].to_string(), "123456789012345678901234567890");
        assert_eq!(fields["e"].to_string(), "1.0e+2");
        assert_eq!(fields["neg"].to_string(), "-0");
        let line = r#"{"value":"x","type":"IP","rawJSON":{"n":-123456789012345678901234567890},"fields":{"u":18446744073709551616}}"#;
        let Record::Indicator(i) = parse_line(line.as_bytes()).unwrap() else {
            panic!("not an indicator")
        };
        assert_eq!(
            i.raw_json.unwrap().to_string(),
            r#"{"n":-123456789012345678901234567890}"#
        );
        assert_eq!(i.fields.unwrap()["u"].to_string(), "18446744073709551616");
    }

    #[test]
    fn parses_an_indicator() {
        let Record::Indicator(i) =
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
