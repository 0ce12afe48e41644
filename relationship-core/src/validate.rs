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

use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, Read};

use relationship_schema::Schema;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::check::{Checker, EntitySide, Mode, hint};
use crate::indicator::DUMMY_INDICATOR_VALUE;
use crate::limits::{DEFAULT_MAX_LINE_BYTES, quoted};
use crate::lines::{self, Line};
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

impl std::fmt::Display for ValidateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self {
            source_name, error, ..
        } = self;
        write!(f, "reading {source_name} failed: {error}")
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
        let read = lines::read_line(&mut reader, &mut buf, max_line_bytes).map_err(io_err)?;
        line += 1;
        match read {
            Line::Eof => break,
            Line::Complete { newline } => {
                if newline {
                    buf.push(b'\n');
                }
            }
            Line::TooLong { ended } => {
                if ended {
                    v.too_long(line, max_line_bytes, "the line");
                    continue;
                }
                match lines::skip_line(&mut reader, crate::limits::MAX_SKIPPED_BYTES)
                    .map_err(io_err)?
                {
                    lines::Skipped::LineEnd | lines::Skipped::Eof => {
                        v.too_long(line, max_line_bytes, "the line");
                        continue;
                    }
                    lines::Skipped::GaveUp => {
                        let path = format!("[{}]", v.stats.batches);
                        let message = lines::gave_up_message(max_line_bytes);
                        v.report(line, path, ViolationKind::LineTooLong, message);
                        break;
                    }
                }
            }
        }
        if line == 1 && buf.starts_with(lines::BOM) {
            buf.drain(..lines::BOM.len());
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let content = buf.strip_suffix(b"\n").unwrap_or(&buf);
        match crate::deliverable::check_line(content) {
            Ok(()) => {
                v.text(&buf, line, true);
            }
            Err(crate::deliverable::Undeliverable::Bad(reason)) => {
                let path = format!("[{}]", v.stats.batches);
                v.stats.batches += 1;
                let message = format!("not a deliverable line: {reason}");
                v.report(line, path, ViolationKind::NotDeliverable, message);
            }
            Err(crate::deliverable::Undeliverable::Incomplete) => {
                // A batch written over several lines (pretty-printed): the feed reads one
                // batch per line and skips each of these lines. Reported once; the rest of
                // the input, up to the limit, is read as that value.
                let room = max_line_bytes.saturating_sub(buf.len()).saturating_add(1);
                (&mut reader)
                    .take(room as u64)
                    .read_to_end(&mut buf)
                    .map_err(io_err)?;
                if buf.len() > max_line_bytes {
                    v.too_long(line, max_line_bytes, "the value starting on this line");
                } else {
                    let path = format!("[{}]", v.stats.batches);
                    v.stats.batches += 1;
                    let message = "not a deliverable line: a value that goes on past the end of its line (a pretty-printed batch?); delivery reads exactly one JSON array per line: write each batch on one line (e.g. `jq -c .`)".to_owned();
                    v.report(line, path, ViolationKind::NotDeliverable, message);
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
    v.text(text.as_bytes(), 1, true);
    v.stats
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Done,
    /// The text ends inside a value: more lines are needed.
    Incomplete,
}

struct Validator<'a> {
    source: &'a str,
    schema: &'a Schema,
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

impl<'a> Validator<'a> {
    fn new(source: &'a str, schema: &'a Schema, out: &'a mut Vec<Violation>) -> Self {
        Validator {
            source,
            schema,
            checker: Checker::new(schema, Mode::Strict),
            out,
            stats: Stats::default(),
        }
    }

    fn too_long(&mut self, line: usize, max_line_bytes: usize, what: &str) {
        let message = format!(
            "{what} is longer than the limit of {max_line_bytes} bytes (--max-line-bytes); it was not read"
        );
        let path = format!("[{}]", self.stats.batches);
        self.report(line, path, ViolationKind::LineTooLong, message);
    }

    fn report(&mut self, line: usize, path: String, kind: ViolationKind, message: String) {
        self.stats.violations += 1;
        self.out.push(Violation {
            source: self.source.to_owned(),
            line,
            path,
            kind,
            message,
        });
    }

    /// Validates every top-level value of `text`, whose first line is `first_line`.
    fn text(&mut self, text: &[u8], first_line: usize, complete: bool) -> Outcome {
        let text = &*python_literals_as_numbers(text);
        let newlines: Vec<usize> = text
            .iter()
            .enumerate()
            .filter_map(|(i, &b)| (b == b'\n').then_some(i))
            .collect();
        let line_of = |offset: usize| first_line + newlines.partition_point(|&nl| nl < offset);
        let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<&RawValue>();
        let mut values = 0;
        loop {
            match stream.next() {
                None => return Outcome::Done,
                Some(Ok(raw)) => {
                    values += 1;
                    let index = self.stats.batches;
                    self.stats.batches += 1;
                    let bytes = raw.get().as_bytes();
                    let problem = match crate::limits::find_too_deep(bytes) {
                        Some(at) => Some((at.offset, crate::limits::TOO_DEEP)),
                        None => crate::limits::find_lone_surrogate(bytes)
                            .map(|at| (at, crate::limits::LONE_SURROGATE)),
                    };
                    if let Some((at, reason)) = problem {
                        let offset = offset_in(text, raw.get()) + at;
                        let line_start = text[..offset]
                            .iter()
                            .rposition(|&b| b == b'\n')
                            .map_or(0, |nl| nl + 1);
                        self.report(
                            line_of(offset),
                            format!("[{index}]"),
                            ViolationKind::Syntax,
                            format!(
                                "malformed JSON at column {}: {}",
                                offset - line_start + 1,
                                reason
                            ),
                        );
                        continue;
                    }
                    self.batch(text, raw, index, &line_of);
                }
                Some(Err(e)) => {
                    if e.is_eof() && !complete && values == 0 {
                        return Outcome::Incomplete;
                    }
                    let full = e.to_string();
                    let message = match full.rfind(" at line ") {
                        Some(cut) => full[..cut].to_owned(),
                        None => full,
                    };
                    let line = first_line + e.line().saturating_sub(1);
                    let message = format!(
                        "malformed JSON at column {}: {}",
                        e.column(),
                        crate::limits::json_reason(&message)
                    );
                    self.report(
                        line,
                        format!("[{}]", self.stats.batches),
                        ViolationKind::Syntax,
                        message,
                    );
                    return Outcome::Done;
                }
            }
        }
    }

    fn batch(&mut self, text: &[u8], raw: &RawValue, index: u64, line_of: &dyn Fn(usize) -> usize) {
        let path = format!("[{index}]");
        let line = line_of(offset_in(text, raw.get()));
        let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(raw.get()) else {
            let what = read_value(raw.get()).map_or("not an array", |v| json_type(&v));
            let msg = format!("a batch must be a JSON array of indicator objects, found {what}");
            self.report(line, path, ViolationKind::NotABatch, msg);
            return;
        };
        self.stats.largest_batch = self.stats.largest_batch.max(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let line = line_of(offset_in(text, item.get()));
            self.indicator(text, item, &format!("{path}[{i}]"), line, line_of);
        }
    }

    fn indicator(
        &mut self,
        text: &[u8],
        raw: &RawValue,
        path: &str,
        line: usize,
        line_of: &dyn Fn(usize) -> usize,
    ) {
        let Ok(obj) = serde_json::from_str::<HashMap<String, &RawValue>>(raw.get()) else {
            let what = read_value(raw.get()).map_or("invalid JSON", |v| json_type(&v));
            self.report(
                line,
                path.to_owned(),
                ViolationKind::NotAnObject,
                format!("an indicator must be a JSON object, found {what}"),
            );
            return;
        };
        let get = |k: &str| obj.get(k).and_then(|r| read_value(r.get()).ok());
        let value = get("value");
        let dummy = value.as_ref().and_then(Value::as_str) == Some(DUMMY_INDICATOR_VALUE);
        match &value {
            None => self.report(
                line,
                format!("{path}.value"),
                ViolationKind::MissingKey,
                "an indicator needs a `value`".into(),
            ),
            Some(Value::String(s)) if s.is_empty() => self.report(
                line,
                format!("{path}.value"),
                ViolationKind::EmptyValue,
                "the indicator value is empty".into(),
            ),
            Some(Value::String(_)) => {}
            Some(v) => self.report(
                line,
                format!("{path}.value"),
                ViolationKind::WrongValueType,
                format!("`value` must be a string, found {}", json_type(v)),
            ),
        }
        if dummy {
            self.stats.dummies += 1;
        } else {
            self.stats.indicators += 1;
            self.check_indicator_keys(&obj, path, line);
        }
        self.check_attached_relationships(text, &obj, path, line, line_of);
    }

    /// Checks the keys of a real (not dummy) indicator: `type`, `rawJSON`, `score`, `fields`.
    fn check_indicator_keys(&mut self, obj: &HashMap<String, &RawValue>, path: &str, line: usize) {
        let get = |k: &str| obj.get(k).and_then(|r| read_value(r.get()).ok());
        match get("type") {
            None => self.report(
                line,
                format!("{path}.type"),
                ViolationKind::MissingKey,
                "an indicator needs a `type` (only the $$DummyIndicator$$ has none)".into(),
            ),
            Some(Value::String(t)) => {
                if self.schema.type_id(&t).is_none() {
                    let hint = hint(&self.schema.suggest_types(&t));
                    let msg = format!(
                        "unknown indicator type `{}` (not a type of schema `{}`){hint}",
                        quoted(&t),
                        self.schema.name()
                    );
                    self.report(
                        line,
                        format!("{path}.type"),
                        ViolationKind::UnknownIndicatorType,
                        msg,
                    );
                }
            }
            Some(v) => self.report(
                line,
                format!("{path}.type"),
                ViolationKind::WrongValueType,
                format!("`type` must be a string, found {}", json_type(&v)),
            ),
        }
        if !obj.contains_key("rawJSON") {
            self.report(
                line,
                format!("{path}.rawJSON"),
                ViolationKind::MissingKey,
                "an indicator needs a `rawJSON` (the source object)".into(),
            );
        }
        match get("score") {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|s| s <= 3) => {}
            Some(v) => self.report(
                line,
                format!("{path}.score"),
                ViolationKind::BadScore,
                format!(
                    "`score` must be a DBot score 0–3 or null, found {}",
                    quoted(&python_number_text(&v))
                ),
            ),
        }
        match get("fields") {
            None | Some(Value::Object(_)) => {}
            Some(v) => self.report(
                line,
                format!("{path}.fields"),
                ViolationKind::WrongValueType,
                format!("`fields` must be an object, found {}", json_type(&v)),
            ),
        }
    }

    /// Checks the `relationships` of an indicator: an array, each item a relationship.
    fn check_attached_relationships(
        &mut self,
        text: &[u8],
        obj: &HashMap<String, &RawValue>,
        path: &str,
        line: usize,
        line_of: &dyn Fn(usize) -> usize,
    ) {
        let Some(rels) = obj.get("relationships") else {
            return;
        };
        let Ok(rels) = serde_json::from_str::<Vec<&RawValue>>(rels.get()) else {
            let v = read_value(rels.get()).unwrap_or(Value::Null);
            self.report(
                line,
                format!("{path}.relationships"),
                ViolationKind::WrongValueType,
                format!("`relationships` must be an array, found {}", json_type(&v)),
            );
            return;
        };
        for (r, rel) in rels.into_iter().enumerate() {
            self.stats.relationships += 1;
            let line = line_of(offset_in(text, rel.get()));
            self.relationship(rel, &format!("{path}.relationships[{r}]"), line);
        }
    }

    fn relationship(&mut self, raw: &RawValue, path: &str, line: usize) {
        let obj = match read_value(raw.get()) {
            Ok(Value::Object(o)) => o,
            Ok(v) => {
                let msg = format!(
                    "a relationship must be a JSON object, found {}",
                    json_type(&v)
                );
                return self.report(line, path.to_owned(), ViolationKind::NotAnObject, msg);
            }
            Err(e) => {
                return self.report(line, path.to_owned(), ViolationKind::Syntax, e.to_string());
            }
        };
        if obj.is_empty() {
            let msg = "an empty relationship `{}`: XSOAR renders a relationship whose entity B is empty this way and creates nothing".to_owned();
            return self.report(line, path.to_owned(), ViolationKind::EmptyRelationship, msg);
        }
        let mut strings: HashMap<&str, &str> = HashMap::new();
        for key in RELATIONSHIP_KEYS {
            let at = format!("{path}.{key}");
            match (key, obj.get(key)) {
                (_, None) => self.report(
                    line,
                    at,
                    ViolationKind::MissingKey,
                    format!(
                        "a relationship needs `{key}` (to_indicator() writes these ten keys: {})",
                        RELATIONSHIP_KEYS.join(", ")
                    ),
                ),
                ("fields", Some(Value::Object(_))) => {}
                ("fields", Some(v)) => self.report(
                    line,
                    at,
                    ViolationKind::WrongValueType,
                    format!("`fields` must be an object, found {}", json_type(v)),
                ),
                (_, Some(Value::String(s))) => {
                    strings.insert(key, s);
                }
                (_, Some(v)) => self.report(
                    line,
                    at,
                    ViolationKind::WrongValueType,
                    format!("`{key}` must be a string, found {}", json_type(v)),
                ),
            }
        }
        self.check_fixed_values(&strings, path, line);
        self.check_against_schema(&strings, path, line);
    }

    /// Checks the relationship's constant values (`type`, the families) and its entity
    /// values.
    fn check_fixed_values(&mut self, strings: &HashMap<&str, &str>, path: &str, line: usize) {
        if let Some(t) = strings.get("type").filter(|t| **t != RELATIONSHIP_TYPE) {
            let msg = format!(
                "relationship type `{}` is not `{RELATIONSHIP_TYPE}`, the only type XSOAR accepts (it raises `Invalid relationship type`)",
                quoted(t)
            );
            self.report(
                line,
                format!("{path}.type"),
                ViolationKind::BadRelationshipType,
                msg,
            );
        }
        for (key, side) in [("entityAFamily", "A"), ("entityBFamily", "B")] {
            if let Some(f) = strings.get(key).filter(|f| **f != ENTITY_FAMILY) {
                let msg = format!(
                    "entity {side} family `{}` is not `{ENTITY_FAMILY}`, the only family XSOAR accepts (it raises `Invalid entity {side} Family type`)",
                    quoted(f)
                );
                self.report(line, format!("{path}.{key}"), ViolationKind::BadFamily, msg);
            }
        }
        for key in ["entityA", "entityB"] {
            if strings.get(key).is_some_and(|v| v.is_empty()) {
                self.report(
                    line,
                    format!("{path}.{key}"),
                    ViolationKind::EmptyValue,
                    format!("`{key}` is empty"),
                );
            } else if strings.get(key) == Some(&DUMMY_INDICATOR_VALUE) {
                self.report(
                    line,
                    format!("{path}.{key}"),
                    ViolationKind::EmptyValue,
                    format!(
                        "`{key}` is `{DUMMY_INDICATOR_VALUE}`, the pseudo-indicator that carries relationships, not an indicator XSOAR creates"
                    ),
                );
            }
        }
    }

    /// Checks the relationship's name, reverse name, entity types and pair against the
    /// schema.
    fn check_against_schema(&mut self, strings: &HashMap<&str, &str>, path: &str, line: usize) {
        let name = strings.get("name").copied();
        let mut known_name = None;
        if let Some(n) = name {
            match self.checker.check_name(n) {
                Ok(_) => known_name = Some(n),
                Err(e) => self.report(
                    line,
                    format!("{path}.name"),
                    ViolationKind::UnknownName,
                    e.to_string(),
                ),
            }
        }
        if let (Some(n), Some(given)) = (known_name, strings.get("reverseName")) {
            if let Err(e) = self.checker.check_reverse(n, given) {
                self.report(
                    line,
                    format!("{path}.reverseName"),
                    ViolationKind::ReverseNameMismatch,
                    e.to_string(),
                );
            }
        }
        let mut types_known = true;
        for (key, which) in [
            ("entityAType", EntitySide::A),
            ("entityBType", EntitySide::B),
        ] {
            let Some(t) = strings.get(key) else {
                types_known = false;
                continue;
            };
            if let Err(e) = self.checker.check_type(which, t) {
                types_known = false;
                self.report(
                    line,
                    format!("{path}.{key}"),
                    ViolationKind::UnknownEntityType,
                    e.to_string(),
                );
            }
        }
        if let (Some(n), true) = (known_name, types_known) {
            let (a_type, b_type) = (strings["entityAType"], strings["entityBType"]);
            if let Err(e) = self.checker.check_triple(a_type, n, b_type) {
                self.report(
                    line,
                    path.to_owned(),
                    ViolationKind::DisallowedPair,
                    e.to_string(),
                );
            }
        }
    }
}

/// serde_json's `Value` of `text`, where a number beyond the double range (which Python's
/// `json.loads` reads as an infinity, and serde_json refuses) reads as the largest double of
/// its sign: validation needs each value's type, not its magnitude.
fn read_value(text: &str) -> serde_json::Result<Value> {
    crate::value::from_str(text).or_else(|e| match clamp_huge_numbers(text) {
        Some(clamped) => crate::value::from_str(&clamped).map_err(|_| e),
        None => Err(e),
    })
}

/// `text` (one JSON value) in its canonical spelling with every number beyond the double
/// range replaced by the largest double of its sign; `None` when `text` is not JSON or has
/// no such number.
fn clamp_huge_numbers(text: &str) -> Option<String> {
    let raw = crate::fields::RawJson::parse(text).ok()?;
    let canonical = raw.get();
    let bytes = canonical.as_bytes();
    let mut out = String::with_capacity(canonical.len());
    let mut changed = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let end = match b {
            b'"' => crate::json::text::string_end(bytes, i)?,
            b'-' | b'0'..=b'9' => crate::json::text::number_end(bytes, i),
            _ => i + 1,
        };
        let token = canonical.get(i..end)?;
        if b != b'"' && token.parse::<f64>().is_ok_and(f64::is_infinite) {
            out.push_str(if b == b'-' {
                "-1.7976931348623157e308"
            } else {
                "1.7976931348623157e308"
            });
            changed = true;
        } else {
            out.push_str(token);
        }
        i = end;
    }
    changed.then_some(out)
}

/// The numbers that stand for Python's `NaN`, `Infinity` and `-Infinity` while a text is
/// parsed: doubles serde_json reads with its default features (the largest finite double
/// for the infinities, the smallest subnormal for NaN). A batch holding one of these exact
/// doubles as a score is told "found Infinity" (or NaN) for it: the only place they show.
const PYTHON_LITERALS: [(&[u8], &str); 3] = [
    (b"-Infinity", "-1.7976931348623157e308"),
    (b"Infinity", "1.7976931348623157e308"),
    (b"NaN", "5e-324"),
];

/// `text` with Python's non-standard number literals `NaN`, `Infinity` and `-Infinity`
/// (outside strings) replaced by out-of-range numbers, so that what Python's `json.loads`
/// reads, and what `--python-json` writes for `1e400`, can be validated. Line breaks are
/// kept, so line numbers do not change. Borrowed when there is nothing to replace.
fn python_literals_as_numbers(text: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    let mut copied = 0;
    while i < text.len() {
        let b = text[i];
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if matches!(b, b'-' | b'I' | b'N') {
            let found = PYTHON_LITERALS
                .iter()
                .find(|(literal, _)| text[i..].starts_with(literal));
            if let Some((literal, number)) = found {
                let buf = out.get_or_insert_with(|| Vec::with_capacity(text.len() + 64));
                buf.extend_from_slice(&text[copied..i]);
                buf.extend_from_slice(number.as_bytes());
                i += literal.len();
                copied = i;
                continue;
            }
        }
        i += 1;
    }
    match out {
        None => std::borrow::Cow::Borrowed(text),
        Some(mut buf) => {
            buf.extend_from_slice(&text[copied..]);
            std::borrow::Cow::Owned(buf)
        }
    }
}

/// A number as Python wrote it (`NaN`, `Infinity`, `-Infinity` back from their stand-ins).
fn python_number_text(v: &Value) -> String {
    let text = v.to_string();
    PYTHON_LITERALS
        .iter()
        .find(|(_, number)| serde_json::from_str::<Value>(number).is_ok_and(|n| &n == v))
        .map_or(text, |(literal, _)| {
            String::from_utf8_lossy(literal).into_owned()
        })
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
