//! Validation of existing `createIndicators` batches, from any producer, against a schema.
//!
//! Input is one JSON array (one batch, possibly pretty-printed over many lines) or NDJSON:
//! one array per line, as `xsoar-rel batch` and `convert-stix` write. Every problem is a
//! [`Violation`] with its location (source name, 1-based line, JSON path such as
//! `[0][3].relationships[12].reverseName`, where the first index is the batch and the second
//! the indicator in it) and a reason with suggestions; validation goes on after each one.
//!
//! What is checked, following XSOAR's wire format:
//!
//! * each batch is an array of objects; a real indicator has a string `value`, a `type` the
//!   schema knows, a `rawJSON`, optional `fields` (an object), `score` (0–3 or `null`) and
//!   `relationships` (an array); the `$$DummyIndicator$$` pseudo-indicator needs no type;
//! * each relationship has the ten keys of `to_indicator()`; its `name` is a schema name, its
//!   `reverseName` the schema's reverse of that name, its `type` `IndicatorToIndicator`, both
//!   families `Indicator`, both entity values non-empty, both entity types schema types, and
//!   the `(entityAType, name, entityBType)` triple is allowed.
//!
//! ```
//! use relationship_core::validate::{validate_str, ViolationKind};
//!
//! let schema = relationship_core::xsoar::schema();
//! let batch = r#"[{"value": "$$DummyIndicator$$", "relationships": [{"name": "uses", "reverseName": "uses",
//!   "type": "IndicatorToIndicator", "entityA": "u1", "entityAFamily": "Indicator", "entityAType": "Account",
//!   "entityB": "h1", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}]}]"#;
//! let mut violations = Vec::new();
//! let stats = validate_str(batch, "batch.json", schema, &mut violations);
//! assert_eq!(stats.relationships, 1);
//! assert_eq!(violations.len(), 1);
//! assert_eq!(violations[0].kind, ViolationKind::ReverseNameMismatch);
//! assert_eq!(
//!     violations[0].to_string(),
//!     "batch.json:1: [0][0].relationships[0].reverseName: reverse name `uses` does not match the schema: the reverse of `uses` is `used-by`"
//! );
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, Read};

use relationship_schema::Schema;
use serde_json::Value;
use serde_json::value::RawValue;

use self::ViolationKind as Kind;
use crate::check::{Checker, EntitySide, Mode};
use crate::deliverable::Undeliverable;
use crate::indicator::DUMMY_INDICATOR_VALUE;
use crate::limits::{self, DEFAULT_MAX_LINE_BYTES, hint, quoted};
use crate::lines::{self, Line, Skipped};
use crate::relationship::{ENTITY_FAMILY, RELATIONSHIP_TYPE};

/// What is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ViolationKind {
    /// Not JSON.
    Syntax,
    /// A top-level value that is not an array.
    NotABatch,
    /// An indicator or relationship that is not a JSON object.
    NotAnObject,
    /// A required key is missing.
    MissingKey,
    /// A key holds the wrong JSON type (e.g. a number where a string belongs).
    WrongValueType,
    /// An indicator `type` the schema does not know.
    UnknownIndicatorType,
    /// A `score` that is not 0–3 or `null`.
    BadScore,
    /// An empty indicator value or relationship entity, or an entity that is
    /// `$$DummyIndicator$$`.
    EmptyValue,
    /// A relationship rendered as `{}` (XSOAR's rendering when entity B is empty).
    EmptyRelationship,
    /// A relationship `name` the schema does not know.
    UnknownName,
    /// A `reverseName` that is not the schema's reverse of `name`.
    ReverseNameMismatch,
    /// An `entityAType`/`entityBType` the schema does not know.
    UnknownEntityType,
    /// A `(entityAType, name, entityBType)` triple the schema does not allow.
    DisallowedPair,
    /// An `entityAFamily`/`entityBFamily` other than `Indicator`.
    BadFamily,
    /// A relationship `type` other than `IndicatorToIndicator`.
    BadRelationshipType,
    /// A line (or a value spanning lines) longer than the limit; it was not read.
    LineTooLong,
    /// A line that is no deliverable line (see [`crate::deliverable`]): two values on one
    /// line, a batch over several lines, an empty array, a number Python's `json.loads`
    /// refuses, and so on. The XSOAR pack skips such a line.
    NotDeliverable,
}

/// One problem found, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The input's name (a file name, or `-` for stdin).
    pub source: String,
    /// 1-based line where the offending indicator or relationship starts.
    pub line: usize,
    /// JSON path inside the input, e.g. `[0][3].relationships[12].reverseName`.
    pub path: String,
    /// The kind of problem.
    pub kind: ViolationKind,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.source, self.line, self.path, self.message
        )
    }
}

/// Counts of what was validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Batches (top-level arrays) read.
    pub batches: u64,
    /// Real indicators read (dummies not counted).
    pub indicators: u64,
    /// `$$DummyIndicator$$` pseudo-indicators read.
    pub dummies: u64,
    /// Relationships read (attached or on dummies).
    pub relationships: u64,
    /// The most items in one batch.
    pub largest_batch: usize,
    /// Violations found.
    pub violations: u64,
}

/// Reading the input failed.
#[derive(Debug)]
pub struct ValidateError {
    /// The input's name.
    pub source_name: String,
    /// The I/O error.
    pub error: io::Error,
}

impl fmt::Display for ValidateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reading {} failed: {}", self.source_name, self.error)
    }
}

impl std::error::Error for ValidateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// The keys of `to_indicator()`, in XSOAR's order.
const RELATIONSHIP_KEYS: [&str; 10] = [
    "name",
    "reverseName",
    "type",
    "entityA",
    "entityAFamily",
    "entityAType",
    "entityB",
    "entityBFamily",
    "entityBType",
    "fields",
];

/// Validates the batches read from `reader`, appending violations to `out`, with lines of
/// at most [`DEFAULT_MAX_LINE_BYTES`] (see [`validate_reader_limited`]).
///
/// # Errors
///
/// Only I/O errors; malformed JSON is a [`ViolationKind::Syntax`] violation.
pub fn validate_reader<R: BufRead>(
    reader: R,
    source_name: &str,
    schema: &Schema,
    out: &mut Vec<Violation>,
) -> Result<Stats, ValidateError> {
    validate_reader_limited(reader, source_name, schema, DEFAULT_MAX_LINE_BYTES, out)
}

/// Validates the batches read from `reader`, appending violations to `out`.
///
/// Input is read line by line (memory holds one line), and each non-blank line must be a
/// deliverable line ([`crate::deliverable`]: exactly one JSON array, as the XSOAR pack reads
/// it), else it is one [`ViolationKind::NotDeliverable`] violation; a deliverable line is then
/// checked against the schema. A value spanning several lines (a pretty-printed array) is one
/// such violation, read to its end. A line longer than `max_line_bytes`, or a value spanning
/// lines that is, is a [`ViolationKind::LineTooLong`] violation and is not held in memory; a
/// line with no end within [`MAX_SKIPPED_BYTES`](crate::limits::MAX_SKIPPED_BYTES) after
/// the limit ends the reading there. A UTF-8 byte order mark at the start is skipped.
///
/// # Errors
///
/// Only I/O errors; malformed JSON is a [`ViolationKind::Syntax`] violation.
pub fn validate_reader_limited<R: BufRead>(
    mut reader: R,
    source_name: &str,
    schema: &Schema,
    max_line_bytes: usize,
    out: &mut Vec<Violation>,
) -> Result<Stats, ValidateError> {
    let io_err = |error| ValidateError {
        source_name: source_name.to_owned(),
        error,
    };
    let mut v = Validator::new(source_name, schema, out);
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        line += 1;
        match lines::read_line(&mut reader, &mut buf, max_line_bytes).map_err(io_err)? {
            Line::Eof => break,
            Line::Complete { newline: true } => buf.push(b'\n'),
            Line::Complete { newline: false } => {}
            Line::TooLong { ended } => {
                let skipped = if ended {
                    Skipped::LineEnd
                } else {
                    lines::skip_line(&mut reader, limits::MAX_SKIPPED_BYTES).map_err(io_err)?
                };
                if skipped == Skipped::GaveUp {
                    let message = lines::gave_up_message(max_line_bytes);
                    v.report_batch(line, Kind::LineTooLong, message);
                    break;
                }
                let message = lines::too_long_message(max_line_bytes);
                v.report_batch(line, Kind::LineTooLong, message);
                continue;
            }
        }
        if line == 1 && buf.starts_with(lines::BOM) {
            buf.drain(..lines::BOM.len());
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match crate::deliverable::check_line(buf.strip_suffix(b"\n").unwrap_or(&buf)) {
            Ok(()) => v.text(&buf, line),
            Err(Undeliverable::Bad(reason)) => v.not_deliverable(line, &reason),
            Err(Undeliverable::Incomplete) => {
                // A batch written over several lines (pretty-printed): the feed reads one
                // batch per line and skips each of these lines. Reported once; the rest of
                // the input, up to the limit, is read as that value.
                let room = max_line_bytes.saturating_sub(buf.len()).saturating_add(1);
                (&mut reader)
                    .take(room as u64)
                    .read_to_end(&mut buf)
                    .map_err(io_err)?;
                if buf.len() > max_line_bytes {
                    let message = format!(
                        "the value starting on this line is longer than the limit of {max_line_bytes} bytes (--max-line-bytes); it was not read"
                    );
                    v.report_batch(line, Kind::LineTooLong, message);
                } else {
                    v.not_deliverable(line, "a value that goes on past the end of its line (a pretty-printed batch?); delivery reads exactly one JSON array per line: write each batch on one line (e.g. `jq -c .`)");
                }
                break;
            }
        }
    }
    Ok(v.stats)
}

/// Validates batches held in a string: every top-level value, wherever lines break (a
/// pretty-printed array is read whole, `NaN` and `Infinity` as Python reads them). This
/// checks the batches' content only; whether each line is deliverable is
/// [`validate_reader`]'s check.
pub fn validate_str(
    text: &str,
    source_name: &str,
    schema: &Schema,
    out: &mut Vec<Violation>,
) -> Stats {
    let mut v = Validator::new(source_name, schema, out);
    v.text(text.as_bytes(), 1);
    v.stats
}

/// Where an indicator or relationship is: the line it starts on and its JSON path.
#[derive(Clone, Copy)]
struct At<'p>(usize, &'p str);

struct Validator<'a> {
    source: &'a str,
    checker: Checker<'a>,
    out: &'a mut Vec<Violation>,
    stats: Stats,
}

/// Offset of `inner` (a sub-slice of `outer`) in `outer`.
fn offset_in(outer: &[u8], inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The value of `key` in `obj`, when it is there and reads.
fn read_key(obj: &HashMap<String, &RawValue>, key: &str) -> Option<Value> {
    obj.get(key).and_then(|r| read_value(r.get()).ok())
}

impl<'a> Validator<'a> {
    fn new(source: &'a str, schema: &'a Schema, out: &'a mut Vec<Violation>) -> Self {
        Validator {
            source,
            checker: Checker::new(schema, Mode::Strict),
            out,
            stats: Stats::default(),
        }
    }

    /// Reports a violation at `path`, or at its `key` when `key` is not empty.
    fn report(&mut self, at: At<'_>, key: &str, kind: Kind, message: impl Into<String>) {
        let path = match key {
            "" => at.1.to_owned(),
            key => format!("{}.{key}", at.1),
        };
        self.stats.violations += 1;
        self.out.push(Violation {
            source: self.source.to_owned(),
            line: at.0,
            path,
            kind,
            message: message.into(),
        });
    }

    /// Reports a violation of the batch about to be read, at its path `[N]`.
    fn report_batch(&mut self, line: usize, kind: Kind, message: String) {
        let path = format!("[{}]", self.stats.batches);
        self.report(At(line, &path), "", kind, message);
    }

    /// Reports `key` holding a value of the wrong JSON type.
    fn wrong_type(&mut self, at: At<'_>, key: &str, expected: &str, found: &Value) {
        let message = format!("`{key}` must be {expected}, found {}", json_type(found));
        self.report(at, key, Kind::WrongValueType, message);
    }

    /// Reports line `line`, counted as one batch, as no deliverable line.
    fn not_deliverable(&mut self, line: usize, reason: &str) {
        let message = format!("not a deliverable line: {reason}");
        self.report_batch(line, Kind::NotDeliverable, message);
        self.stats.batches += 1;
    }

    /// Validates every top-level value of `text`, whose first line is `first_line`.
    fn text(&mut self, text: &[u8], first_line: usize) {
        let text = &*python_literals_as_numbers(text);
        let newlines: Vec<usize> = text
            .iter()
            .enumerate()
            .filter_map(|(i, &b)| (b == b'\n').then_some(i))
            .collect();
        let line_of = |offset: usize| first_line + newlines.partition_point(|&nl| nl < offset);
        let line_at = |raw: &RawValue| line_of(offset_in(text, raw.get()));
        for value in serde_json::Deserializer::from_slice(text).into_iter::<&RawValue>() {
            let raw = match value {
                Ok(raw) => raw,
                Err(e) => {
                    let line = first_line + e.line().saturating_sub(1);
                    let reason = limits::error_reason(&e);
                    let message = format!("malformed JSON at column {}: {reason}", e.column());
                    return self.report_batch(line, Kind::Syntax, message);
                }
            };
            let path = format!("[{}]", self.stats.batches);
            self.stats.batches += 1;
            let bytes = raw.get().as_bytes();
            let problem = match limits::find_too_deep(bytes) {
                Some(at) => Some((at.offset, limits::TOO_DEEP)),
                None => limits::find_lone_surrogate(bytes).map(|at| (at, limits::LONE_SURROGATE)),
            };
            let Some((at, reason)) = problem else {
                self.batch(raw, &path, &line_at);
                continue;
            };
            let offset = offset_in(text, raw.get()) + at;
            let column = limits::column_at(text, offset);
            let message = format!("malformed JSON at column {column}: {reason}");
            self.report(At(line_of(offset), &path), "", Kind::Syntax, message);
        }
    }

    fn batch(&mut self, raw: &RawValue, path: &str, line_at: &dyn Fn(&RawValue) -> usize) {
        let at = At(line_at(raw), path);
        let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(raw.get()) else {
            let what = read_value(raw.get()).map_or("not an array", |v| json_type(&v));
            let msg = format!("a batch must be a JSON array of indicator objects, found {what}");
            return self.report(at, "", Kind::NotABatch, msg);
        };
        self.stats.largest_batch = self.stats.largest_batch.max(items.len());
        for (i, item) in items.into_iter().enumerate() {
            self.indicator(item, &format!("{path}[{i}]"), line_at);
        }
    }

    /// Checks an indicator's `value` and `relationships`, and the keys of a real one.
    fn indicator(&mut self, raw: &RawValue, path: &str, line_at: &dyn Fn(&RawValue) -> usize) {
        let at = At(line_at(raw), path);
        let Ok(obj) = serde_json::from_str::<HashMap<String, &RawValue>>(raw.get()) else {
            let what = read_value(raw.get()).map_or("invalid JSON", |v| json_type(&v));
            let msg = format!("an indicator must be a JSON object, found {what}");
            return self.report(at, "", Kind::NotAnObject, msg);
        };
        let value = read_key(&obj, "value");
        match &value {
            None => {
                let msg = "an indicator needs a `value`";
                self.report(at, "value", Kind::MissingKey, msg);
            }
            Some(Value::String(s)) if s.is_empty() => {
                let msg = "the indicator value is empty";
                self.report(at, "value", Kind::EmptyValue, msg);
            }
            Some(Value::String(_)) => {}
            Some(v) => self.wrong_type(at, "value", "a string", v),
        }
        if value.as_ref().and_then(Value::as_str) == Some(DUMMY_INDICATOR_VALUE) {
            self.stats.dummies += 1;
        } else {
            self.stats.indicators += 1;
            self.check_indicator_keys(&obj, at);
        }
        let Some(rels) = obj.get("relationships") else {
            return;
        };
        let Ok(rels) = serde_json::from_str::<Vec<&RawValue>>(rels.get()) else {
            let found = read_value(rels.get()).unwrap_or(Value::Null);
            return self.wrong_type(at, "relationships", "an array", &found);
        };
        for (r, rel) in rels.into_iter().enumerate() {
            self.stats.relationships += 1;
            let path = format!("{path}.relationships[{r}]");
            self.relationship(rel, At(line_at(rel), &path));
        }
    }

    /// Checks the keys of a real (not dummy) indicator: `type`, `rawJSON`, `score`, `fields`.
    fn check_indicator_keys(&mut self, obj: &HashMap<String, &RawValue>, at: At<'_>) {
        match read_key(obj, "type") {
            None => {
                let msg = "an indicator needs a `type` (only the $$DummyIndicator$$ has none)";
                self.report(at, "type", Kind::MissingKey, msg);
            }
            Some(Value::String(t)) if self.checker.schema().type_id(&t).is_none() => {
                let schema = self.checker.schema();
                let msg = format!(
                    "unknown indicator type `{}` (not a type of schema `{}`){}",
                    quoted(&t),
                    schema.name(),
                    hint(&schema.suggest_types(&t))
                );
                self.report(at, "type", Kind::UnknownIndicatorType, msg);
            }
            Some(Value::String(_)) => {}
            Some(v) => self.wrong_type(at, "type", "a string", &v),
        }
        if !obj.contains_key("rawJSON") {
            let msg = "an indicator needs a `rawJSON` (the source object)";
            self.report(at, "rawJSON", Kind::MissingKey, msg);
        }
        match read_key(obj, "score") {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|s| s <= 3) => {}
            Some(v) => {
                let found = python_number_text(&v);
                let msg = format!(
                    "`score` must be a DBot score 0–3 or null, found {}",
                    quoted(&found)
                );
                self.report(at, "score", Kind::BadScore, msg);
            }
        }
        if let Some(v) = read_key(obj, "fields").filter(|v| !v.is_object()) {
            self.wrong_type(at, "fields", "an object", &v);
        }
    }

    fn relationship(&mut self, raw: &RawValue, at: At<'_>) {
        let obj = match read_value(raw.get()) {
            Ok(Value::Object(o)) => o,
            Ok(v) => {
                let msg = format!(
                    "a relationship must be a JSON object, found {}",
                    json_type(&v)
                );
                return self.report(at, "", Kind::NotAnObject, msg);
            }
            Err(e) => return self.report(at, "", Kind::Syntax, e.to_string()),
        };
        if obj.is_empty() {
            let msg = "an empty relationship `{}`: XSOAR renders a relationship whose entity B is empty this way and creates nothing";
            return self.report(at, "", Kind::EmptyRelationship, msg);
        }
        let mut strings: HashMap<&str, &str> = HashMap::new();
        for key in RELATIONSHIP_KEYS {
            match (key, obj.get(key)) {
                (_, None) => {
                    let msg = format!(
                        "a relationship needs `{key}` (to_indicator() writes these ten keys: {})",
                        RELATIONSHIP_KEYS.join(", ")
                    );
                    self.report(at, key, Kind::MissingKey, msg);
                }
                ("fields", Some(v)) if !v.is_object() => self.wrong_type(at, key, "an object", v),
                ("fields", Some(_)) => {}
                (_, Some(Value::String(s))) => {
                    strings.insert(key, s);
                }
                (_, Some(v)) => self.wrong_type(at, key, "a string", v),
            }
        }
        self.check_fixed_values(&strings, at);
        self.check_against_schema(&strings, at);
    }

    /// Checks the relationship's constant values (`type`, the families) and its entity
    /// values.
    fn check_fixed_values(&mut self, strings: &HashMap<&str, &str>, at: At<'_>) {
        if let Some(t) = strings.get("type").filter(|t| **t != RELATIONSHIP_TYPE) {
            let msg = format!(
                "relationship type `{}` is not `{RELATIONSHIP_TYPE}`, the only type XSOAR accepts (it raises `Invalid relationship type`)",
                quoted(t)
            );
            self.report(at, "type", Kind::BadRelationshipType, msg);
        }
        for (key, side) in [("entityAFamily", "A"), ("entityBFamily", "B")] {
            if let Some(f) = strings.get(key).filter(|f| **f != ENTITY_FAMILY) {
                let msg = format!(
                    "entity {side} family `{}` is not `{ENTITY_FAMILY}`, the only family XSOAR accepts (it raises `Invalid entity {side} Family type`)",
                    quoted(f)
                );
                self.report(at, key, Kind::BadFamily, msg);
            }
        }
        for key in ["entityA", "entityB"] {
            let msg = match strings.get(key) {
                Some(&"") => format!("`{key}` is empty"),
                Some(&DUMMY_INDICATOR_VALUE) => format!(
                    "`{key}` is `{DUMMY_INDICATOR_VALUE}`, the pseudo-indicator that carries relationships, not an indicator XSOAR creates"
                ),
                _ => continue,
            };
            self.report(at, key, Kind::EmptyValue, msg);
        }
    }

    /// Checks the relationship's name, reverse name, entity types and pair against the
    /// schema.
    fn check_against_schema(&mut self, strings: &HashMap<&str, &str>, at: At<'_>) {
        let mut name = strings.get("name").copied();
        if let Some(Err(e)) = name.map(|n| self.checker.check_name(n)) {
            self.report(at, "name", Kind::UnknownName, e.to_string());
            name = None;
        }
        if let (Some(n), Some(given)) = (name, strings.get("reverseName")) {
            if let Err(e) = self.checker.check_reverse(n, given) {
                self.report(at, "reverseName", Kind::ReverseNameMismatch, e.to_string());
            }
        }
        let mut types_known = true;
        for (key, side) in [
            ("entityAType", EntitySide::A),
            ("entityBType", EntitySide::B),
        ] {
            let checked = strings.get(key).map(|t| self.checker.check_type(side, t));
            if let Some(Err(e)) = &checked {
                self.report(at, key, Kind::UnknownEntityType, e.to_string());
            }
            types_known &= matches!(checked, Some(Ok(_)));
        }
        if let (Some(n), true) = (name, types_known) {
            let (a_type, b_type) = (strings["entityAType"], strings["entityBType"]);
            if let Err(e) = self.checker.check_triple(a_type, n, b_type) {
                self.report(at, "", Kind::DisallowedPair, e.to_string());
            }
        }
    }
}

/// serde_json's `Value` of `text`, where a number beyond the double range (which Python's
/// `json.loads` reads as an infinity, and serde_json refuses) reads as the largest double of
/// its sign: validation needs each value's type, not its magnitude.
fn read_value(text: &str) -> serde_json::Result<Value> {
    crate::value::from_str(text).or_else(|e| {
        let clamped = replace_outside_strings(text.as_bytes(), |token, _| {
            let number = std::str::from_utf8(token).unwrap_or_default();
            let huge = number.parse::<f64>().is_ok_and(f64::is_infinite);
            let by = if token[0] == b'-' {
                MIN_DOUBLE
            } else {
                MAX_DOUBLE
            };
            huge.then_some((token.len(), by))
        });
        match clamped {
            Cow::Owned(bytes) => String::from_utf8(bytes)
                .ok()
                .and_then(|clamped| crate::value::from_str(&clamped).ok())
                .ok_or(e),
            Cow::Borrowed(_) => Err(e),
        }
    })
}

/// The largest and the lowest double, which stand for numbers beyond the double range.
const MAX_DOUBLE: &str = "1.7976931348623157e308";
const MIN_DOUBLE: &str = "-1.7976931348623157e308";

/// The numbers that stand for Python's `NaN`, `Infinity` and `-Infinity` while a text is
/// parsed: doubles serde_json reads with its default features (the largest finite double
/// for the infinities, the smallest subnormal for NaN). A batch holding one of these exact
/// doubles as a score is told "found Infinity" (or NaN) for it: the only place they show.
const PYTHON_LITERALS: [(&str, &str); 3] = [
    ("-Infinity", MIN_DOUBLE),
    ("Infinity", MAX_DOUBLE),
    ("NaN", "5e-324"),
];

/// `text` with what `stand_in` replaces outside its strings: `stand_in` gets each token
/// there ([`limits::find_token`]) and the rest of `text` from it, and may return how many
/// bytes to replace and by what. Borrowed when nothing is replaced.
fn replace_outside_strings(
    text: &[u8],
    stand_in: impl Fn(&[u8], &[u8]) -> Option<(usize, &'static str)>,
) -> Cow<'_, [u8]> {
    let mut out = Vec::new();
    let mut copied = 0;
    limits::find_token(text, |start, end| {
        if text[start] == b'"' || start < copied {
            return None::<()>;
        }
        let (len, by) = stand_in(&text[start..end], &text[start..])?;
        out.extend_from_slice(&text[copied..start]);
        out.extend_from_slice(by.as_bytes());
        copied = start + len;
        None
    });
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.extend_from_slice(&text[copied..]);
    Cow::Owned(out)
}

/// `text` with Python's non-standard number literals `NaN`, `Infinity` and `-Infinity`
/// (outside strings) replaced by out-of-range numbers, so that what Python's `json.loads`
/// reads, and what `--python-json` writes for `1e400`, can be validated. Line breaks are
/// kept, so line numbers do not change. Borrowed when there is nothing to replace.
fn python_literals_as_numbers(text: &[u8]) -> Cow<'_, [u8]> {
    replace_outside_strings(text, |_, rest| {
        let mut literals = PYTHON_LITERALS.iter();
        let (literal, number) = literals.find(|(l, _)| rest.starts_with(l.as_bytes()))?;
        Some((literal.len(), number))
    })
}

/// A number as Python wrote it (`NaN`, `Infinity`, `-Infinity` back from their stand-ins).
fn python_number_text(v: &Value) -> String {
    let text = v.to_string();
    PYTHON_LITERALS
        .iter()
        .find(|(_, number)| serde_json::from_str::<Value>(number).is_ok_and(|n| &n == v))
        .map_or(text, |(literal, _)| (*literal).to_owned())
}

#[cfg(test)]
mod tests {
    /// A batch nested to the limit validates, a deeper one is a located syntax violation, on
    /// the default 2 MiB stack of a spawned thread.
    #[test]
    fn depth_to_the_limit_on_a_small_stack() {
        use crate::limits::{MAX_DEPTH, TOO_DEEP};
        let batch = |depth: usize| {
            let inner = "[".repeat(depth - 2) + &"]".repeat(depth - 2);
            format!(r#"[{{"value": "v", "type": "IP", "rawJSON": {inner}}}]"#)
        };
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let schema = crate::xsoar::schema();
                let mut out = Vec::new();
                validate_str(&batch(MAX_DEPTH), "f", schema, &mut out);
                assert!(out.is_empty(), "{out:?}");
                let deeper = batch(MAX_DEPTH + 1);
                // The inner arrays open levels 3, 4, …: the 511th is level 513.
                let column = deeper.find("[[").unwrap_or(0) + 511;
                validate_str(&deeper, "f", schema, &mut out);
                assert_eq!(out.len(), 1);
                assert_eq!(out[0].kind, ViolationKind::Syntax);
                assert_eq!(
                    out[0].message,
                    format!("malformed JSON at column {column}: {TOO_DEEP}")
                );
            })
            .unwrap()
            .join()
            .unwrap();
    }

    use super::*;
    use crate::check::tests::schema;

    const REL: &str = r#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u1", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "h1", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}"#;

    fn run(text: &str) -> (Stats, Vec<Violation>) {
        let s = schema();
        let mut out = Vec::new();
        let stats = validate_reader(text.as_bytes(), "t.json", &s, &mut out).unwrap();
        (stats, out)
    }

    /// Whole-text validation ([`validate_str`]): a value may span lines.
    fn run_str(text: &str) -> (Stats, Vec<Violation>) {
        let s = schema();
        let mut out = Vec::new();
        let stats = validate_str(text, "t.json", &s, &mut out);
        (stats, out)
    }

    fn rel_with(key: &str, value: &str) -> String {
        let mut v: serde_json::Map<String, Value> = serde_json::from_str(REL).unwrap();
        v.insert(key.into(), serde_json::from_str(value).unwrap());
        serde_json::to_string(&v).unwrap()
    }

    #[test]
    fn a_valid_ndjson_file_passes() {
        let line = format!(
            r#"[{{"value": "u1", "type": "Account", "score": 0, "rawJSON": {{}}, "fields": {{}}, "relationships": [{REL}]}}, {{"value": "$$DummyIndicator$$", "relationships": [{REL}]}}]"#
        );
        let (stats, out) = run(&format!("{line}\n\n{line}\n"));
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(
            (
                stats.batches,
                stats.indicators,
                stats.dummies,
                stats.relationships,
                stats.largest_batch
            ),
            (2, 2, 2, 4, 2)
        );
    }

    #[test]
    fn each_violation_has_its_path_and_line() {
        let bad = [
            rel_with("name", r#""usess""#),
            rel_with("reverseName", r#""uses""#),
            rel_with("entityBType", r#""CVE""#),
            rel_with("entityAFamily", r#""Incident""#),
            rel_with("type", r#""IndicatorToIncident""#),
            rel_with("entityAType", r#""Acount""#),
            rel_with("entityB", r#""""#),
            r#"{}"#.to_owned(),
            "5".to_owned(),
        ];
        let text = format!(
            "[{{\"value\": \"$$DummyIndicator$$\", \"relationships\": [\n{}]}},\n {{\"value\": \"x\", \"type\": \"Hots\", \"score\": 7, \"rawJSON\": {{}}}}, 3]\n[1]\n{{\"a\": 1}}\n[{{]\n",
            bad.join(",\n")
        );
        let (stats, out) = run_str(&text);
        let got: Vec<(usize, &str, ViolationKind)> = out
            .iter()
            .map(|v| (v.line, v.path.as_str(), v.kind))
            .collect();
        use ViolationKind::*;
        assert_eq!(
            got,
            [
                (2, "[0][0].relationships[0].name", UnknownName),
                (
                    3,
                    "[0][0].relationships[1].reverseName",
                    ReverseNameMismatch
                ),
                (4, "[0][0].relationships[2]", DisallowedPair),
                (5, "[0][0].relationships[3].entityAFamily", BadFamily),
                (6, "[0][0].relationships[4].type", BadRelationshipType),
                (7, "[0][0].relationships[5].entityAType", UnknownEntityType),
                (8, "[0][0].relationships[6].entityB", EmptyValue),
                (9, "[0][0].relationships[7]", EmptyRelationship),
                (10, "[0][0].relationships[8]", NotAnObject),
                (11, "[0][1].type", UnknownIndicatorType),
                (11, "[0][1].score", BadScore),
                (11, "[0][2]", NotAnObject),
                (12, "[1][0]", NotAnObject),
                (13, "[2]", NotABatch),
                (14, "[3]", Syntax),
            ]
        );
        assert_eq!(stats.violations, 15);
        assert_eq!(
            out[0].message,
            "unknown relationship name `usess`; did you mean `uses`?"
        );
        assert_eq!(
            out[2].message,
            "`Account` cannot `uses` `CVE`: for source `Account`, `uses` allows targets `Host`; relationships allowed from `Account` to `CVE`: `related-to`, `is-also`"
        );
        assert_eq!(
            out[9].to_string(),
            "t.json:11: [0][1].type: unknown indicator type `Hots` (not a type of schema `test`); did you mean `Host`?"
        );
    }

    #[test]
    fn missing_keys_and_wrong_types() {
        let text = format!(
            r#"[{{"type": "Host", "fields": [], "relationships": {{}}}}, {{"value": 5, "type": 1, "rawJSON": {{}}, "relationships": [{}]}}]"#,
            r#"{"name": "uses", "fields": 3}"#
        );
        let (_, out) = run(&text);
        let got: Vec<(&str, ViolationKind)> =
            out.iter().map(|v| (v.path.as_str(), v.kind)).collect();
        use ViolationKind::*;
        assert_eq!(
            &got[..5],
            [
                ("[0][0].value", MissingKey),
                ("[0][0].rawJSON", MissingKey),
                ("[0][0].fields", WrongValueType),
                ("[0][0].relationships", WrongValueType),
                ("[0][1].value", WrongValueType),
            ]
        );
        assert!(got.contains(&("[0][1].type", WrongValueType)));
        assert!(got.contains(&("[0][1].relationships[0].reverseName", MissingKey)));
        assert!(got.contains(&("[0][1].relationships[0].fields", WrongValueType)));
        assert_eq!(got.iter().filter(|g| g.1 == MissingKey).count(), 2 + 8);
    }

    #[test]
    fn python_nan_and_infinity_are_read_but_not_deliverable() {
        let line = format!(
            r#"[{{"value": "u1", "type": "Account", "rawJSON": {{"a": [Infinity, -Infinity, NaN], "s": "NaN \" Infinity"}}, "fields": {{"f": -Infinity}}, "relationships": [{REL}]}}]"#
        );
        let (stats, out) = run_str(&format!("{line}\n{line}\n"));
        assert!(out.is_empty(), "{out:?}");
        assert_eq!((stats.batches, stats.indicators), (2, 2));
        // The XSOAR pack skips such a line: `validate` says so.
        let (_, out) = run(&format!("{line}\n{line}\n"));
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|v| v.kind == ViolationKind::NotDeliverable));
        let (_, out) =
            run_str(r#"[{"value": "u1", "type": "Account", "rawJSON": {}, "score": Infinity}]"#);
        assert_eq!(
            out[0].message,
            "`score` must be a DBot score 0–3 or null, found Infinity"
        );
        // a bare word that is not one of the three is still malformed
        let (_, out) = run_str(r#"[{"value": "u1", "type": "Account", "rawJSON": Inf}]"#);
        assert_eq!(out[0].kind, ViolationKind::Syntax);
        assert_eq!(
            python_literals_as_numbers(br#"["Infinity", "a\"NaN"]"#).as_ref(),
            br#"["Infinity", "a\"NaN"]"#
        );
    }

    #[test]
    fn a_pretty_printed_array_is_one_violation_and_read_whole_by_validate_str() {
        let text = format!(
            "\n[\n  {{\n    \"value\": \"$$DummyIndicator$$\",\n    \"relationships\": [\n      {}\n    ]\n  }}\n]\n",
            rel_with("reverseName", r#""x""#)
        );
        let (_, out) = run(&text);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            (out[0].line, out[0].kind),
            (2, ViolationKind::NotDeliverable)
        );
        let (stats, out) = run_str(&text);
        assert_eq!(stats.relationships, 1);
        assert_eq!(
            (out[0].line, out[0].path.as_str()),
            (6, "[0][0].relationships[0].reverseName")
        );
        // a truncated document is a syntax error at its end
        let (_, out) = run_str("[\n {\"value\": 1,\n");
        assert_eq!((out[0].line, out[0].kind), (3, ViolationKind::Syntax));
    }
}
