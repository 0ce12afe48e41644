//! What a conversion did: counts by STIX type, XSOAR type, relationship name, rejection
//! reason and triple, printable as a summary table.

use std::collections::BTreeMap;
use std::fmt;

use relationship_core::batch::BatchStats;

/// Defines [`RejectReason`] with each reason's code, and [`RejectReason::ALL`] in order.
macro_rules! reject_reasons {
    ($($(#[$doc:meta])* $reason:ident => $code:literal,)*) => {
        /// Why an object of the bundle was not converted.
        ///
        /// Every object read ends up written (as an indicator or a relationship) or counted
        /// under exactly one of these reasons; nothing is dropped without a count.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RejectReason {
            $($(#[$doc])* $reason,)*
        }

        impl RejectReason {
            /// Every reason, in report order.
            pub const ALL: [RejectReason; 14] = [$(RejectReason::$reason,)*];

            /// The stable kebab-case code written in reject files, e.g.
            /// `endpoint-not-converted`.
            pub fn code(self) -> &'static str {
                match self {
                    $(RejectReason::$reason => $code,)*
                }
            }
        }
    };
}

reject_reasons! {
    /// Not a JSON object, or without a string `type`/`id`, or a property of the wrong JSON
    /// type.
    Malformed => "malformed",
    /// A STIX type with no XSOAR counterpart (`x-mitre-matrix`, `marking-definition`,
    /// `sighting`, `observed-data`, `note`, …; `x-mitre-tactic` with
    /// [`ConvertOptions::no_tactics`](crate::ConvertOptions::no_tactics)).
    UnsupportedType => "unsupported-type",
    /// An `identity` that only appears as the `created_by_ref` of other objects (the bundle's
    /// author, such as The MITRE Corporation) and is no relationship endpoint. XSOAR's
    /// ATT&CK feed does not create it.
    CreatorIdentity => "creator-identity",
    /// `revoked: true`.
    Revoked => "revoked",
    /// `x_mitre_deprecated: true`.
    Deprecated => "deprecated",
    /// A second object with an `id` already converted (the first one wins, as in the feed).
    DuplicateId => "duplicate-id",
    /// No indicator value: no `name`, no file hash, no CVE id, an empty pattern literal….
    MissingValue => "missing-value",
    /// An `indicator` whose pattern is not one `[type:property = 'value']` comparison of a
    /// type XSOAR has, or whose `pattern_type` is not `stix`.
    UnsupportedPattern => "unsupported-pattern",
    /// The XSOAR type the object maps to is not a type of the schema (strict mode).
    UnknownIndicatorType => "unknown-indicator-type",
    /// An ATT&CK `revoked-by` relationship (the feed skips them).
    RevokedBy => "revoked-by",
    /// A relationship whose source or target was not converted to an indicator.
    EndpointNotConverted => "endpoint-not-converted",
    /// A relationship name the schema does not know (strict mode), e.g. STIX `based-on`,
    /// `derived-from` or `located-at`.
    UnknownName => "unknown-name",
    /// A `(source type, name, target type)` triple the schema does not allow (strict mode).
    DisallowedTriple => "disallowed-triple",
    /// A technique's `mitre-attack` kill chain phase whose tactic (by the name the feed
    /// derives from the phase) was not converted: that one `part-of` link is not written (the
    /// feed stops the whole fetch there). The technique itself is written; the rejection
    /// counts the link, not an object of the bundle.
    MissingTactic => "missing-tactic",
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A `(source type, relationship name, target type)` triple.
///
/// In [`ConversionReport::rejected_by_triple`], an endpoint's type is its XSOAR type when it
/// was converted and its STIX type (the prefix of its id) otherwise; relationships rejected
/// while reading (`revoked-by`, duplicates, malformed) use the STIX types and the STIX name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Triple {
    /// Entity A's type.
    pub source_type: String,
    /// The relationship name.
    pub name: String,
    /// Entity B's type.
    pub target_type: String,
}

impl Triple {
    /// A triple from its three parts.
    pub fn new(source_type: &str, name: &str, target_type: &str) -> Self {
        Triple {
            source_type: source_type.to_owned(),
            name: name.to_owned(),
            target_type: target_type.to_owned(),
        }
    }
}

impl fmt::Display for Triple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} --{}--> {}",
            self.source_type, self.name, self.target_type
        )
    }
}

/// The counts of one conversion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConversionReport {
    /// The bundle's `spec_version` (STIX 2.0 bundles carry one; 2.1 bundles do not).
    pub spec_version: Option<String>,
    /// Objects read, by STIX `type` (`(malformed)` for elements that are not objects with a
    /// string `type`).
    pub objects_read: BTreeMap<String, u64>,
    /// Indicators written, by XSOAR type.
    pub indicators_written: BTreeMap<String, u64>,
    /// Relationships written, by XSOAR name (identical repeats not counted).
    pub relationships_written: BTreeMap<String, u64>,
    /// Relationships written, by `(source type, name, target type)`.
    pub relationships_by_triple: BTreeMap<Triple, u64>,
    /// Identical relationships written once (counted here, not in the written counts).
    pub duplicate_relationships: u64,
    /// Relationships made from objects rather than read as objects: the `part-of` links of
    /// techniques to their tactics, written (counted in the written counts too) or rejected
    /// ([`RejectReason::MissingTactic`] and the schema's reasons).
    pub derived_relationships: u64,
    /// Objects not converted, by reason.
    pub rejected_by_reason: BTreeMap<RejectReason, u64>,
    /// Objects not converted, by STIX type.
    pub rejected_by_type: BTreeMap<String, u64>,
    /// Relationships not converted, by triple (see [`Triple`] for which type names).
    pub rejected_by_triple: BTreeMap<Triple, u64>,
    /// Batch figures: lines written, dummies.
    pub batches: BatchStats,
}

fn total<K>(m: &BTreeMap<K, u64>) -> u64 {
    m.values().sum()
}

impl ConversionReport {
    /// All objects read.
    pub fn objects_total(&self) -> u64 {
        total(&self.objects_read)
    }

    /// All indicators written.
    pub fn indicators_total(&self) -> u64 {
        total(&self.indicators_written)
    }

    /// All relationships written.
    pub fn relationships_total(&self) -> u64 {
        total(&self.relationships_written)
    }

    /// All objects not converted.
    pub fn rejected_total(&self) -> u64 {
        total(&self.rejected_by_reason)
    }

    /// How many objects were rejected for `reason`.
    pub fn rejected(&self, reason: RejectReason) -> u64 {
        self.rejected_by_reason.get(&reason).copied().unwrap_or(0)
    }

    /// Whether every object read is accounted for: written as an indicator or a relationship,
    /// dropped as an identical repeat, or rejected with a reason (the derived relationships
    /// being accounted for the same way).
    pub fn is_balanced(&self) -> bool {
        self.objects_total() + self.derived_relationships
            == self.indicators_total()
                + self.relationships_total()
                + self.duplicate_relationships
                + self.rejected_total()
    }

    pub(crate) fn reject(&mut self, reason: RejectReason, stix_type: &str) {
        *self.rejected_by_reason.entry(reason).or_default() += 1;
        count(&mut self.rejected_by_type, stix_type);
    }
}

/// Adds one to the count of `key`, allocating the key only the first time.
pub(crate) fn count(map: &mut BTreeMap<String, u64>, key: &str) {
    if let Some(n) = map.get_mut(key) {
        *n += 1;
    } else {
        map.insert(key.to_owned(), 1);
    }
}

/// One section of the summary table: its title and total, then a row per key.
fn section<K: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    counts: &BTreeMap<K, u64>,
) -> fmt::Result {
    writeln!(f, "{title}: {}", total(counts))?;
    let rows: Vec<(String, u64)> = counts.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    for (k, v) in &rows {
        writeln!(f, "  {k:<width$}  {v:>8}")?;
    }
    Ok(())
}

/// The summary table: objects read by type, indicators written by type, relationships
/// written by name, rejected by reason and by triple, then the batch figures.
impl fmt::Display for ConversionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let version = self.spec_version.as_deref().unwrap_or("not given");
        writeln!(f, "STIX bundle (spec_version {version})")?;
        section(f, "objects read", &self.objects_read)?;
        section(f, "indicators written", &self.indicators_written)?;
        section(f, "relationships written", &self.relationships_written)?;
        for (what, n) in [
            (
                "technique-to-tactic links made (written or rejected)",
                self.derived_relationships,
            ),
            (
                "identical relationships written once",
                self.duplicate_relationships,
            ),
        ] {
            if n > 0 {
                writeln!(f, "{what}: {n}")?;
            }
        }
        section(f, "rejected", &self.rejected_by_reason)?;
        if !self.rejected_by_triple.is_empty() {
            section(f, "rejected relationships", &self.rejected_by_triple)?;
        }
        write!(
            f,
            "batches written: {} ({} dummy indicators)",
            self.batches.chunks, self.batches.dummies
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut codes: Vec<&str> = RejectReason::ALL.iter().map(|r| r.code()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'))
        );
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), RejectReason::ALL.len());
    }

    #[test]
    fn summary_table() {
        let mut r = ConversionReport {
            spec_version: Some("2.1".into()),
            ..ConversionReport::default()
        };
        r.objects_read.insert("malware".into(), 2);
        r.objects_read.insert("relationship".into(), 2);
        r.indicators_written.insert("Malware".into(), 1);
        r.relationships_written.insert("uses".into(), 1);
        r.reject(RejectReason::Deprecated, "malware");
        r.reject(RejectReason::EndpointNotConverted, "relationship");
        r.rejected_by_triple
            .insert(Triple::new("Malware", "uses", "x-mitre-asset"), 1);
        assert!(r.is_balanced());
        r.objects_read.insert("tool".into(), 1);
        assert!(!r.is_balanced());
        r.objects_read.remove("tool");
        assert_eq!(
            r.to_string(),
            "STIX bundle (spec_version 2.1)\n\
             objects read: 4\n  malware              2\n  relationship         2\n\
             indicators written: 1\n  Malware         1\n\
             relationships written: 1\n  uses         1\n\
             rejected: 2\n  deprecated                     1\n  endpoint-not-converted         1\n\
             rejected relationships: 1\n  Malware --uses--> x-mitre-asset         1\n\
             batches written: 0 (0 dummy indicators)"
        );
    }
}
