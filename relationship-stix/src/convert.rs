//! The conversion itself: one pass over the bundle, then the deferred indicators and the
//! relationships.
//!
//! The bundle is read one element of `objects` at a time ([`bundle::read_bundle`]), each
//! parsed from its own text. What waits for the end of the bundle keeps only a copy of that
//! text and a few interned numbers, not parsed objects: a deferred indicator or a pending
//! relationship is parsed again when it is written ([`resolve`]). Every STIX id is interned
//! once in [`Ids`], which answers what the end needs to resolve an endpoint.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::rc::Rc;

use relationship_core::batch::{BatchWriter, Placement};
use relationship_core::check::{Checker, Mode};
use relationship_core::{EntityRelationship, IndicatorLayout, IndicatorObject};
use relationship_core::{Fields, RawJson};
use relationship_schema::Schema;
use relationship_schema::suggest;
use serde_json::{Map, Value};

use crate::bundle::{self, Element};
use crate::error::element_path;
use crate::map::{self, Defer, Kind, Mapped, ty};
use crate::report::{ConversionReport, RejectReason, Triple, count};
use crate::view::{ObjectView, non_empty};
use crate::{ConvertError, ConvertOptions, Phase, Progress};

mod ids;
mod reject;
mod resolve;

use ids::{Endpoint, Ids};
use reject::Seen;

/// How often (in objects) the progress callback is called while reading.
const PROGRESS_EVERY: usize = 256;

/// The key under which elements that are not objects with a string `type` are counted.
const MALFORMED_TYPE: &str = "(malformed)";

/// An indicator written at the end: its text in the bundle, parsed and mapped again then.
struct Deferred {
    pos: usize,
    id: usize,
    text: Box<str>,
    xsoar_type: &'static str,
    defer: Defer,
    is_subtechnique: bool,
    /// The value, final once [`Converter::finish`] has looked at `defer`.
    value: String,
}

/// A relationship waiting for its endpoints, as interned numbers and its text.
struct PendingRel {
    pos: usize,
    id: usize,
    /// Index in [`Converter::names`] of its `relationship_type`.
    name: usize,
    source: usize,
    target: usize,
    text: Box<str>,
}

struct Converter<'a, 'r, W: Write> {
    schema: &'a Schema,
    opts: &'a ConvertOptions,
    checker: Checker<'a>,
    writer: BatchWriter<W>,
    rejects: Option<&'r mut dyn Write>,
    report: ConversionReport,
    objects_read: u64,
    ids: Ids,
    /// The distinct `relationship_type`s of pending relationships.
    names: Vec<Rc<str>>,
    deferred: Vec<Deferred>,
    pending: Vec<PendingRel>,
    /// Values of the converted intrusion sets (for the ` [Malware]` suffix).
    intrusion_sets: HashSet<String>,
    /// Technique names by MITRE ID (the feed's `mitre_id_to_mitre_name`; the last one wins).
    technique_names: HashMap<String, String>,
    /// Tactic values by tactic name (the feed's `tactic_name_to_mitre_id`; the last one wins).
    tactics: HashMap<String, String>,
    creators: HashSet<Box<str>>,
    reject_buf: Vec<u8>,
}

/// Converts the STIX bundle read from `input` into `createIndicators` batches (one JSON array
/// per line) written to `output`.
///
/// Every relationship is checked against `schema` (see [`ConvertOptions::mode`]). Each object
/// that is not converted is counted in the returned report and, when `rejects` is given,
/// written to it as one JSON line: `{"reason", "message", "path", "id", "type", "object"}`,
/// where `path` is `objects[N]` and `object` the STIX object as read.
///
/// The bundle is read as a stream, one element of `objects` at a time: no element is held
/// longer than [`MAX_STIX_OBJECT_BYTES`](relationship_core::limits::MAX_STIX_OBJECT_BYTES)
/// (a longer one is read to its end without being kept and refused), and the bundle is read
/// up to [`MAX_BUNDLE_BYTES`](relationship_core::limits::MAX_BUNDLE_BYTES). Besides the
/// element being converted, memory holds what the end needs: every STIX id met, interned
/// once, with the value and type it was converted to (or why it was not); the relationships,
/// as interned endpoints and a copy of their text, until their endpoints are all known; and
/// the indicators whose value depends on the rest of the bundle (malware and sub-techniques;
/// with [`Placement::Attach`], every indicator,
/// so that relationships can follow their source), also as their text, parsed and mapped
/// again when they are written. Peak memory is a fixed cost (about 40 MB), plus about 6 times
/// the largest element, plus about 1.6 times the text kept for the end: at most about
/// 40 MB + 6 x 64 MiB + 1.6 x 512 MiB, whatever the bundle.
///
/// # Errors
///
/// Malformed JSON or a document that is not a bundle ([`ConvertError::Json`] with line,
/// column and `objects[N]`, [`ConvertError::NotABundle`]), and I/O errors. Batches written
/// before the error stay written.
pub fn convert<R: Read, W: Write>(
    input: R,
    output: W,
    schema: &Schema,
    opts: &ConvertOptions,
    rejects: Option<&mut dyn Write>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ConversionReport, ConvertError> {
    let mut writer = BatchWriter::new(output, opts.batch, opts.style);
    if opts.mode == Mode::Lenient {
        // What XSOAR's own `EntityRelationship` would write, as `batch --lenient` does.
        writer = writer.with_lenient_entities();
    }
    let mut conv = Converter {
        schema,
        opts,
        checker: Checker::new(schema, opts.mode),
        writer,
        rejects,
        report: ConversionReport::default(),
        objects_read: 0,
        ids: Ids::default(),
        names: Vec::new(),
        deferred: Vec::new(),
        pending: Vec::new(),
        intrusion_sets: HashSet::new(),
        technique_names: HashMap::new(),
        tactics: HashMap::new(),
        creators: HashSet::new(),
        reject_buf: Vec::new(),
    };
    let info = bundle::read_bundle(input, &mut |element| {
        conv.object(&element)?;
        if element.index % PROGRESS_EVERY == 0 {
            progress(&conv.progress(Phase::Reading, element.end));
        }
        Ok(())
    })?;
    let total = info.bytes;
    conv.report.spec_version = info.spec_version;
    progress(&conv.progress(Phase::Resolving, total));
    conv.finish()?;
    progress(&conv.progress(Phase::Done, total));
    let Converter {
        writer,
        mut report,
        rejects,
        ..
    } = conv;
    report.batches = writer.finish().map_err(ConvertError::Write)?;
    report.duplicate_relationships = report.batches.duplicates_dropped;
    if let Some(sink) = rejects {
        sink.flush().map_err(ConvertError::Rejects)?;
    }
    Ok(report)
}

/// Parses an element of `objects`. Its text was checked to be well-formed JSON, so the only
/// failure left is nesting deeper than serde_json allows; the error is placed in the bundle
/// (line and column of the whole document).
fn parse_element(element: &Element) -> Result<Value, ConvertError> {
    relationship_core::value::from_str(&element.text).map_err(|e| {
        let at = in_bundle(element, e.line(), e.column());
        ConvertError::from_json(e, Some(element.index), at)
    })
}

/// The bundle's line and column of a line and column in `element`'s text.
fn in_bundle(element: &Element, line: usize, column: usize) -> (usize, usize) {
    let shift = if line <= 1 { element.column - 1 } else { 0 };
    (line + element.line - 1, column + shift)
}

/// An element holding a number that delivery refuses (`1e400`, which Python would write back
/// in `rawJSON` as `Infinity`; an integer longer than Python reads) is malformed, with its
/// place in the bundle, whether it is converted at once or kept for the end.
fn number_check(element: &Element) -> Result<(), ConvertError> {
    let Some((at, message)) =
        relationship_core::deliverable::first_number_problem(element.text.as_bytes())
    else {
        return Ok(());
    };
    let before = &element.text.as_bytes()[..at];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(at + 1, |nl| at - nl);
    let (line, column) = in_bundle(element, line, column);
    Err(ConvertError::Json {
        line,
        column,
        path: element_path(Some(element.index)),
        message,
    })
}

/// Parses again an element that was read once (so this cannot fail).
fn reparse(text: &str) -> Result<Map<String, Value>, ConvertError> {
    match relationship_core::value::from_str(text) {
        Ok(Value::Object(obj)) => Ok(obj),
        _ => Err(unexpected(
            "an object kept for the end of the bundle could not be parsed again",
        )),
    }
}

/// The error for what cannot happen to an element that parsed once.
fn unexpected(what: &str) -> ConvertError {
    ConvertError::Read(std::io::Error::other(what))
}

/// XSOAR's name for a STIX relationship name (stix-relationship-matrix §3.4).
fn xsoar_name(stix: &str) -> &str {
    match stix {
        "indicates" => "indicator-of",
        "originates-from" => "originated-from",
        "consists-of" => "contains",
        "belongs-to" => "part-of",
        other => other,
    }
}

impl<W: Write> Converter<'_, '_, W> {
    fn progress(&self, phase: Phase, bytes_read: u64) -> Progress {
        let stats = self.writer.stats();
        Progress {
            phase,
            bytes_read,
            objects_read: self.objects_read,
            indicators_written: self.report.indicators_total(),
            relationships_written: stats.relationships,
        }
    }

    /// One element of `objects`: its view read from its text, or from the parsed object when
    /// the text is not shaped as the reader expects; checked, then converted or kept.
    fn object(&mut self, element: &Element) -> Result<(), ConvertError> {
        let (pos, text) = (element.index, &*element.text);
        number_check(element)?;
        self.objects_read += 1;
        let mut parsed = None;
        let view = match ObjectView::read(text) {
            Some(view) => view,
            None => 'parsed: {
                parsed = Some(parse_element(element)?);
                let msg = match &parsed {
                    Some(Value::Object(obj)) if obj.get("type").is_some_and(Value::is_string) => {
                        break 'parsed ObjectView::of_map(obj);
                    }
                    Some(Value::Object(_)) => "an object without a string `type`",
                    _ => "an element of `objects` that is not a JSON object",
                };
                count(&mut self.report.objects_read, MALFORMED_TYPE);
                let at = Seen::new(pos, MALFORMED_TYPE, None, text);
                return self.reject(at.rejection(RejectReason::Malformed, msg));
            }
        };
        let stix_type = &*view.stix_type;
        count(&mut self.report.objects_read, stix_type);
        let at = Seen::new(pos, stix_type, view.id.as_deref(), text);
        let Some(id) = view.id.as_deref() else {
            let msg = format!("a {stix_type} without a string `id`");
            return self.reject(at.rejection(RejectReason::Malformed, &msg));
        };
        if let Some((reason, msg)) = self.refusal_of_id(&view, id) {
            let duplicate = reason == RejectReason::DuplicateId && stix_type == "relationship";
            let triple = duplicate.then(|| view.stix_triple());
            return self.reject(at.rejection(reason, &msg).with_triple(triple));
        }
        self.note_creator(view.created_by_ref.as_deref());
        let kind = match self.judge(&view, id) {
            Ok(Kept::Indicator(kind, head)) => return self.accept_indicator(at, &view, kind, head),
            Ok(Kept::Relationship) => return self.keep_relationship(at, &view),
            Err(Undecided::Refused(reason, msg, triple)) => {
                return self.reject(at.rejection(reason, &msg).with_triple(triple));
            }
            Err(Undecided::Whole(kind)) => kind,
        };
        let later;
        let obj = match &parsed {
            Some(Value::Object(obj)) => obj,
            _ => {
                later = reparse(text)?;
                &later
            }
        };
        let refusal = map::map_object(kind, &view, obj, self.opts).and_then(|mapped| {
            match self.unknown_type(id, mapped.xsoar_type) {
                Some(msg) => Err((RejectReason::UnknownIndicatorType, msg)),
                None => Ok(mapped),
            }
        });
        match refusal {
            Ok(mapped) => self.accept_indicator(at, &view, kind, mapped),
            Err((reason, msg)) => self.reject(at.rejection(reason, &msg)),
        }
    }

    /// Why an object with a good `id` is refused before its type is looked at: a
    /// `spec_version` that is not STIX, or an id already converted.
    fn refusal_of_id(&self, view: &ObjectView<'_>, id: &str) -> Option<(RejectReason, String)> {
        if let Some(msg) = &view.spec_problem {
            return Some((RejectReason::Malformed, msg.clone()));
        }
        self.ids.get(id).is_some_and(|e| e.accepted).then(|| {
            let msg =
                format!("`{id}` was already converted from an earlier object (the first one wins)");
            (RejectReason::DuplicateId, msg)
        })
    }

    /// What the rules make of an object from its view alone.
    fn judge(&self, view: &ObjectView<'_>, id: &str) -> Result<Kept, Undecided> {
        let refuse = |reason, msg| Undecided::Refused(reason, msg, None);
        if view.stix_type == "relationship" {
            return relationship_parts(view, id);
        }
        let Some(kind) = map::kind_of(&view.stix_type, self.opts) else {
            let msg = format!("STIX type `{}` has no XSOAR indicator type", view.stix_type);
            return Err(refuse(RejectReason::UnsupportedType, msg));
        };
        if view.revoked {
            return Err(refuse(RejectReason::Revoked, format!("`{id}` is revoked")));
        } else if view.deprecated {
            let msg = format!("`{id}` is deprecated (x_mitre_deprecated)");
            return Err(refuse(RejectReason::Deprecated, msg));
        }
        let Kind::Feed(t) = kind else {
            return Err(Undecided::Whole(kind));
        };
        let head = map::feed_head(t, view, self.opts).map_err(|(r, msg)| refuse(r, msg))?;
        if let Some(msg) = self.unknown_type(id, t) {
            return Err(refuse(RejectReason::UnknownIndicatorType, msg));
        }
        if head.defer == Defer::No && self.opts.batch.placement != Placement::Attach {
            return Err(Undecided::Whole(kind));
        }
        Ok(Kept::Indicator(kind, head))
    }

    /// In strict mode, why `id`, mapped to `xsoar_type`, is refused when the schema lacks it.
    fn unknown_type(&self, id: &str, xsoar_type: &str) -> Option<String> {
        if self.opts.mode != Mode::Strict || self.schema.type_id(xsoar_type).is_some() {
            return None;
        }
        let hint = suggest::did_you_mean_of(&self.schema.suggest_types(xsoar_type))
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        Some(format!(
            "`{id}` maps to XSOAR type `{xsoar_type}`, which schema `{}` does not have{hint}",
            self.schema.name()
        ))
    }

    fn note_creator(&mut self, creator: Option<&str>) {
        if let Some(creator) = creator.filter(|c| !self.creators.contains(*c)) {
            self.creators.insert(creator.into());
        }
    }

    /// Accepts a mapped object (a feed object's head alone when it waits for the end) and
    /// notes what later mappings need of a feed object: an intrusion set's value, a
    /// technique's name by MITRE ID, a tactic's value by name. The indicator is written now,
    /// or kept for the end as its text.
    fn accept_indicator(
        &mut self,
        at: Seen<'_>,
        view: &ObjectView<'_>,
        kind: Kind,
        mapped: Mapped,
    ) -> Result<(), ConvertError> {
        let n = self.ids.intern(at.id.unwrap_or_default());
        if let Some(e) = self.ids.entry_mut(n) {
            e.accepted = true;
            e.not_converted = None;
        }
        let value = || mapped.value.clone();
        match (kind, view.mitre_id.as_deref(), view.name.as_deref()) {
            (Kind::Feed(ty::INTRUSION_SET), ..) => {
                self.intrusion_sets.insert(value());
            }
            (Kind::Feed(ty::ATTACK_PATTERN), Some(id), _) => {
                self.technique_names.insert(id.to_owned(), value());
            }
            (Kind::Feed(ty::TACTIC), _, Some(name)) => {
                self.tactics.insert(name.to_owned(), value());
            }
            _ => {}
        }
        if mapped.defer != Defer::No || self.opts.batch.placement == Placement::Attach {
            // Only the text is kept: the object and its fields are made again at the end.
            self.deferred.push(Deferred {
                pos: at.pos,
                id: n,
                text: at.text.into(),
                xsoar_type: mapped.xsoar_type,
                defer: mapped.defer,
                is_subtechnique: view.is_subtechnique,
                value: mapped.value,
            });
            return Ok(());
        }
        self.write_indicator(n, kind, at.text, mapped, None)
    }

    fn register(&mut self, n: usize, value: &str, xsoar_type: &'static str) {
        if let Some(e) = self.ids.entry_mut(n) {
            e.endpoint = Some(Endpoint {
                value: value.into(),
                xsoar_type,
            });
        }
    }

    /// Writes `mapped`, the indicator of id number `n` read as `text`, with a technique's
    /// links to its tactics when given; it is registered as the endpoint unless it already is.
    fn write_indicator(
        &mut self,
        n: usize,
        kind: Kind,
        text: &str,
        mapped: Mapped,
        links: Option<Vec<EntityRelationship>>,
    ) -> Result<(), ConvertError> {
        let indicator = IndicatorObject {
            raw_json: raw_json_of(text, kind, &mapped.fields)?,
            value: mapped.value,
            indicator_type: Cow::Borrowed(mapped.xsoar_type),
            score: mapped.score,
            fields: mapped.fields,
            layout: match links {
                Some(_) => IndicatorLayout::FeedWithRelationships,
                None => IndicatorLayout::Feed,
            },
            relationships: links.unwrap_or_default(),
        };
        if self.ids.endpoint(n).is_none() {
            self.register(n, &indicator.value, mapped.xsoar_type);
        }
        count(&mut self.report.indicators_written, mapped.xsoar_type);
        // The feed sends a technique's list as it builds it: no link is dropped as a repeat.
        self.writer
            .push_indicator_keeping_relationships(indicator)
            .map_err(ConvertError::Write)
    }

    /// Interns a relationship's name and ids and keeps it for the end.
    fn keep_relationship(
        &mut self,
        at: Seen<'_>,
        view: &ObjectView<'_>,
    ) -> Result<(), ConvertError> {
        let name = view.relationship_type.as_deref().unwrap_or_default();
        let name = (self.names.iter().position(|n| **n == *name)).unwrap_or_else(|| {
            self.names.push(name.into());
            self.names.len() - 1
        });
        let ids = &mut self.ids;
        let source = ids.intern(view.source_ref.as_deref().unwrap_or_default());
        let target = ids.intern(view.target_ref.as_deref().unwrap_or_default());
        let id = ids.intern(at.id.unwrap_or_default());
        if let Some(e) = ids.entry_mut(id) {
            e.accepted = true;
        }
        self.pending.push(PendingRel {
            pos: at.pos,
            id,
            name,
            source,
            target,
            text: at.text.into(),
        });
        Ok(())
    }
}

/// What [`Converter::judge`] keeps from an object's view alone: a relationship, or a feed
/// object whose indicator waits for the end, mapped without its fields.
enum Kept {
    Relationship,
    Indicator(Kind, Mapped),
}

/// Why [`Converter::judge`] keeps nothing: a refusal, or a kind to map the object whole as.
enum Undecided {
    Refused(RejectReason, String, Option<Triple>),
    Whole(Kind),
}

/// Checks that a relationship has its name and both endpoints and is no revocation.
fn relationship_parts(view: &ObjectView<'_>, id: &str) -> Result<Kept, Undecided> {
    let refuse = |reason, msg| Undecided::Refused(reason, msg, Some(view.stix_triple()));
    let (Some(name), Some(source), Some(target)) = (
        non_empty(&view.relationship_type),
        non_empty(&view.source_ref),
        non_empty(&view.target_ref),
    ) else {
        let msg = format!(
            "relationship `{id}` without a string `relationship_type`, `source_ref` and `target_ref`"
        );
        return Err(refuse(RejectReason::Malformed, msg));
    };
    if name == "revoked-by" {
        let msg = format!(
            "`{source}` revoked-by `{target}`: ATT&CK revocations are not relationships in XSOAR"
        );
        return Err(refuse(RejectReason::RevokedBy, msg));
    }
    Ok(Kept::Relationship)
}

/// The `rawJSON` of an indicator: the object as written in the bundle (`text`), its keys in
/// their order. For a feed object, the feed's `indicator_json['description'] =
/// remove_citations(...)`: the object gets the cleaned description of `fields` (in place, or
/// appended as the last key when it had none).
fn raw_json_of(text: &str, kind: Kind, fields: &Fields) -> Result<RawJson, ConvertError> {
    let mut obj: Fields = serde_json::from_str(text)
        .map_err(|_| unexpected("an object of the bundle could not be parsed again"))?;
    if let Kind::Feed(_) = kind {
        if let Some(d) = fields.get("description") {
            obj.insert("description", d.clone());
        }
    }
    Ok(RawJson::from(obj))
}

#[cfg(test)]
mod tests {
    use super::*;
    use relationship_core::batch::BatchOptions;

    #[test]
    fn stix_names_and_refs() {
        assert_eq!(xsoar_name("indicates"), "indicator-of");
        assert_eq!(xsoar_name("originates-from"), "originated-from");
        assert_eq!(xsoar_name("consists-of"), "contains");
        assert_eq!(xsoar_name("belongs-to"), "part-of");
        assert_eq!(xsoar_name("uses"), "uses");
        use crate::view::type_of_ref;
        assert_eq!(type_of_ref("attack-pattern--1-2"), "attack-pattern");
        assert_eq!(type_of_ref("nodashes"), "nodashes");
    }

    fn convert_text(text: &str, opts: &ConvertOptions) -> (ConversionReport, String) {
        let mut out = Vec::new();
        let schema = relationship_core::xsoar::schema();
        let report = convert(text.as_bytes(), &mut out, schema, opts, None, &mut |_| {}).unwrap();
        (report, String::from_utf8(out).unwrap())
    }

    /// Objects nested to the limit convert, also when kept for the end of the bundle (a
    /// malware), on the default 2 MiB stack of a spawned thread.
    #[test]
    fn depth_to_the_limit_on_a_small_stack() {
        use relationship_core::limits::MAX_DEPTH;
        let deep = "[".repeat(MAX_DEPTH - 3) + &"]".repeat(MAX_DEPTH - 3);
        let text = format!(
            r#"{{"type": "bundle", "objects": [{{"type": "malware", "id": "malware--1", "name": "m", "x": {deep}}}, {{"type": "tool", "id": "tool--1", "name": "t", "x": {deep}}}]}}"#
        );
        let out = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || convert_text(&text, &ConvertOptions::default()).1)
            .unwrap()
            .join()
            .unwrap();
        assert!(out.contains(r#""value":"m""#) && out.contains(r#""value":"t""#));
    }

    const BUNDLE: &str = r#"{"type": "bundle", "objects": [
        {"type": "relationship", "id": "relationship--1", "relationship_type": "uses",
         "source_ref": "intrusion-set--1", "target_ref": "malware--1"},
        {"type": "malware", "id": "malware--1", "name": "Twin"},
        {"type": "intrusion-set", "id": "intrusion-set--1", "name": "Twin"},
        {"type": "tool", "id": "tool--1", "name": "T"}
    ]}"#;

    #[test]
    fn a_spec_version_that_is_not_stix_is_rejected_or_refused() {
        let text = r#"{"type": "bundle", "objects": [
            {"type": "tool", "id": "tool--1", "name": "T", "spec_version": "banana"},
            {"type": "tool", "id": "tool--2", "name": "U", "spec_version": "2.1"},
            {"type": "tool", "id": "tool--3", "name": "V", "spec_version": 2.1}
        ]}"#;
        let mut rejects = Vec::new();
        let mut out = Vec::new();
        let schema = relationship_core::xsoar::schema();
        let opts = ConvertOptions::default();
        let report = convert(
            text.as_bytes(),
            &mut out,
            schema,
            &opts,
            Some(&mut rejects),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(report.indicators_total(), 1);
        let rejects = String::from_utf8(rejects).unwrap();
        assert_eq!(rejects.lines().count(), 2, "{rejects}");
        assert!(rejects.contains(
            r#""message":"a tool whose `spec_version` is \"banana\", not a STIX version (\"2.0\" or \"2.1\")""#
        ), "{rejects}");
        assert!(rejects.contains(r#""reason":"malformed""#), "{rejects}");

        let bundle = r#"{"type": "bundle", "spec_version": "banana", "objects": []}"#;
        let err = convert(
            bundle.as_bytes(),
            Vec::new(),
            schema,
            &opts,
            None,
            &mut |_| {},
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains(
                r#"the bundle's `spec_version` is "banana", not a STIX version ("2.0" or "2.1")"#
            ),
            "{err}"
        );
        let long = format!(
            r#"{{"type": "bundle", "spec_version": "{}", "objects": []}}"#,
            "x".repeat(100_000)
        );
        let err = convert(
            long.as_bytes(),
            Vec::new(),
            schema,
            &opts,
            None,
            &mut |_| {},
        )
        .unwrap_err()
        .to_string();
        assert!(err.len() < 400, "{err}");
    }

    #[test]
    fn an_element_nested_too_deep_is_located_in_the_bundle() {
        let deep = format!("{}{}", "[".repeat(600), "]".repeat(600));
        let text =
            format!("{{\"type\": \"bundle\",\n\"objects\": [{{\"type\": \"tool\"}},\n  {deep}]}}");
        let schema = relationship_core::xsoar::schema();
        let opts = ConvertOptions::default();
        let err = convert(
            text.as_bytes(),
            Vec::new(),
            schema,
            &opts,
            None,
            &mut |_| {},
        )
        .unwrap_err();
        let ConvertError::Json {
            line,
            column,
            path,
            message,
        } = err
        else {
            panic!("{err}");
        };
        assert_eq!((line, path.as_str()), (3, "objects[1]"));
        assert_eq!(message, relationship_core::limits::TOO_DEEP);
        // The element starts in column 3, inside two levels (the bundle and `objects`): its
        // 511th `[` opens level 513.
        assert_eq!(column, 2 + 511);
    }

    #[test]
    fn relationships_before_their_endpoints_resolve_to_final_values() {
        let (report, out) = convert_text(BUNDLE, &ConvertOptions::default());
        assert!(report.is_balanced());
        // The tool is written as it is read; the malware waits for its final value.
        let tool = out.find(r#""value":"T""#).unwrap();
        let malware = out.find(r#""value":"Twin [Malware]""#).unwrap();
        assert!(tool < malware);
        assert!(out.contains(r#""entityA":"Twin","entityAFamily":"Indicator","entityAType":"Intrusion Set","entityB":"Twin [Malware]""#));
    }

    #[test]
    fn attach_puts_relationships_on_their_source() {
        let opts = ConvertOptions {
            batch: BatchOptions {
                placement: Placement::Attach,
                ..BatchOptions::default()
            },
            ..ConvertOptions::default()
        };
        let (report, out) = convert_text(BUNDLE, &opts);
        assert_eq!(report.batches.dummies, 0);
        assert!(out.contains(r#""value":"Twin","score":3,"type":"Intrusion Set","#));
        let carrier = out.find(r#""type":"Intrusion Set""#).unwrap();
        let rel = out.find(r#""relationships":[{"name":"uses""#).unwrap();
        assert!(carrier < rel);
    }
}
