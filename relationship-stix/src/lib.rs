//! STIX 2.0 / 2.1 bundles (such as MITRE ATT&CK) into XSOAR `createIndicators` batches.
//!
//! [`convert()`] reads a bundle, maps each object to an XSOAR indicator, checks
//! every relationship against a [`Schema`](relationship_schema::Schema), and writes the batches with
//! [`relationship_core::batch::BatchWriter`]. By default it behaves as XSOAR's MITRE ATT&CK
//! feed (FeedMitreAttackv2):
//!
//! * types: x-mitre-tactic → `Tactic` (value `TA0005 - Defense Evasion`; off with
//!   [`ConvertOptions::no_tactics`]), attack-pattern → `Attack Pattern`, course-of-action → `Course of Action`,
//!   intrusion-set → `Intrusion Set` (or `Threat Actor` with
//!   [`ConvertOptions::intrusion_set_as_threat_actor`]), malware → `Malware`, tool → `Tool`,
//!   campaign → `Campaign`; other STIX types as XSOAR's TAXII feeds map them (threat-actor,
//!   infrastructure, report, identity, location, vulnerability → `CVE` with the CVE id as
//!   value, the STIX 2.1 cyber-observables, and `indicator` objects whose pattern is one
//!   comparison);
//! * revoked and `x_mitre_deprecated` objects and `revoked-by` relationships are skipped;
//!   objects are de-duplicated by STIX id (the first wins); like the feed, a relationship is
//!   not judged by its own `revoked`/`x_mitre_deprecated` flags but by its endpoints: it is
//!   written when both were converted;
//! * a sub-technique's value is `Parent name: Sub name` (parent found by MITRE ID, the feed's
//!   way, else through its `subtechnique-of` relationship); a malware whose name equals an
//!   intrusion set's gets ` [Malware]` (only while intrusion sets stay `Intrusion Set`);
//! * an attack pattern that is not a sub-technique carries a `relationships` list (empty when
//!   it has no `mitre-attack` kill chain phase): `part-of` each of its tactics, the tactic
//!   found by the name the feed derives from the phase (`command-and-control` → `Command and
//!   Control`); a phase whose tactic is not converted is counted under
//!   [`RejectReason::MissingTactic`];
//! * indicators keyed `value, score, type, rawJSON, fields` as the feed builds them, `fields`
//!   in the feed's order, `rawJSON` the source object with its `description` cleaned of
//!   citations as the feed leaves it, the feed's scores (`null` for an intrusion set switched
//!   to `Threat Actor`; ThreatIntel scores for the types it has none for, 0 for
//!   observables); publication dates read from citations as the feed's `dateparser` reads
//!   them; relationship fields `description`, `lastseenbysource`, `firstseenbysource`;
//! * relationship names as XSOAR knows them: `indicates` → `indicator-of` (the indicator stays
//!   entity A; [`ConvertOptions::indicates_as_indicated_by`] writes XSOAR feeds'
//!   `indicated-by` instead), `originates-from` → `originated-from`, `consists-of` →
//!   `contains`, `belongs-to` → `part-of`.
//!
//! Nothing is dropped silently: every object read is written or counted under a
//! [`RejectReason`] in the [`ConversionReport`], and the reject sink receives each rejected
//! object with its reason.
//!
//! ```
//! use relationship_stix::{convert, ConvertOptions};
//!
//! let bundle = r#"{"type": "bundle", "id": "bundle--1", "objects": [
//!   {"type": "malware", "id": "malware--1", "name": "Emotet", "created": "2020-01-01T00:00:00.000Z",
//!    "modified": "2020-01-01T00:00:00.000Z"},
//!   {"type": "attack-pattern", "id": "attack-pattern--1", "name": "Phishing",
//!    "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z"},
//!   {"type": "relationship", "id": "relationship--1", "relationship_type": "uses",
//!    "source_ref": "malware--1", "target_ref": "attack-pattern--1"},
//!   {"type": "x-mitre-matrix", "id": "x-mitre-matrix--1", "name": "Enterprise ATT&CK"}
//! ]}"#;
//! let mut out = Vec::new();
//! let mut rejects = Vec::new();
//! let schema = relationship_core::xsoar::schema();
//! let report = convert(bundle.as_bytes(), &mut out, schema, &ConvertOptions::default(),
//!                      Some(&mut rejects), &mut |_| {})?;
//! assert_eq!(report.indicators_total(), 2);
//! assert_eq!(report.relationships_written["uses"], 1);
//! assert_eq!(report.rejected(relationship_stix::RejectReason::UnsupportedType), 1);
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.contains(r#""name":"uses","reverseName":"used-by","type":"IndicatorToIndicator","entityA":"Emotet""#));
//! assert!(String::from_utf8(rejects).unwrap().starts_with(r#"{"reason":"unsupported-type""#));
//! # Ok::<(), relationship_stix::ConvertError>(())
//! ```
#![forbid(unsafe_code)]

mod attack;
mod bundle;
mod citation_date;
mod citation_date_words;
mod convert;
mod error;
mod map;
mod pattern;
mod report;
mod tactic_name;
mod view;

use relationship_core::batch::BatchOptions;
use relationship_core::check::Mode;
use relationship_core::json::JsonStyle;

pub use convert::convert;
pub use error::ConvertError;
pub use report::{ConversionReport, RejectReason, Triple};

/// How [`convert()`] maps and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConvertOptions {
    /// Map intrusion-set to `Threat Actor` instead of `Intrusion Set` (the ATT&CK feed's
    /// `switch_intrusion_set_to_threat_actor`). Malware names then get no ` [Malware]` suffix,
    /// as in the feed.
    pub intrusion_set_as_threat_actor: bool,
    /// Leave tactics out, as XSOAR servers without the `Tactic` indicator type need (the
    /// feed's versions before it, whose `ThreatIntel` lacks `Tactic`): `x-mitre-tactic` is
    /// then an unsupported type and techniques get no `relationships` list. By default
    /// (`false`) an `x-mitre-tactic` becomes a `Tactic` indicator (`TA0005 - Defense
    /// Evasion`, score 0) and every attack pattern that is not a sub-technique carries
    /// `part-of` links to its tactics, one per `mitre-attack` kill chain phase.
    pub no_tactics: bool,
    /// Write STIX `indicates` as `indicated-by` with the indicator as entity A, as XSOAR's
    /// TAXII and Unit 42 feeds do, instead of `indicator-of`. The schema check is made on the
    /// `indicator-of` reading, which is what the relationship means.
    pub indicates_as_indicated_by: bool,
    /// Also convert identities that only appear as other objects' `created_by_ref` (the
    /// bundle's author), which XSOAR's ATT&CK feed never creates.
    pub creator_identities: bool,
    /// Strict (default): every relationship is checked against the schema, and an indicator
    /// whose type the schema lacks is rejected. Lenient: XSOAR's own behaviour, nothing is
    /// checked and unknown names get the reverse `related-to`.
    pub mode: Mode,
    /// Batch size, relationship placement and de-duplication.
    pub batch: BatchOptions,
    /// Compact JSON, or Python's `json.dumps` bytes.
    pub style: JsonStyle,
}

/// Which stage a conversion is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the bundle; indicators whose value is final are written as they come.
    Reading,
    /// The bundle is read; deferred indicators and relationships are being written.
    Resolving,
    /// Everything is written.
    Done,
}

/// A progress report, passed to the callback of [`convert()`] every few hundred objects and
/// at each phase change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The current phase.
    pub phase: Phase,
    /// Bytes of the bundle read so far.
    pub bytes_read: u64,
    /// Objects read so far.
    pub objects_read: u64,
    /// Indicators written so far.
    pub indicators_written: u64,
    /// Relationships written so far.
    pub relationships_written: u64,
}
