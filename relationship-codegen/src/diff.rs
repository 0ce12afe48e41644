//! What changes between two versions of a schema, and which typed code stops compiling.
//!
//! [`SchemaDiff::between`] compares two [`Schema`]s by name (never by index, so reordering a
//! schema file changes nothing) and records:
//!
//! * added and removed indicator types, and types whose Rust marker was renamed;
//! * added and removed relationship names, relationships whose marker or method was renamed,
//!   and changed reverse names;
//! * added and removed reverse-only names;
//! * relationships that became any-to-any ("now any") or stopped being any-to-any ("no longer
//!   any"); for the latter every pair that is no longer allowed is listed;
//! * added and removed explicit triples `(source, relationship, target)`;
//! * the typed constructors that stop compiling ([`Breakage`]): a removed type's marker, a
//!   removed relationship's method, a renamed marker or method, and for each removed triple
//!   between surviving types and a surviving relationship, the call `source.method(&target)`.
//!
//! A diff is *breaking* ([`SchemaDiff::is_breaking`]) when anything that compiled against the
//! old schema's generated code can stop compiling, which is also exactly when data valid under
//! the old schema can be rejected by a strict run-time check. A changed reverse name is
//! reported but is not breaking: code still compiles and data is still accepted, only the
//! rendered `reverseName` changes.
//!
//! Not compared: documentation text, tiers, groups (they are expanded into pairs, which are
//! compared) and the schema description.
//!
//! The [`Display`](fmt::Display) form is a deterministic, human-readable report; the
//! [`serde::Serialize`] form (see [`SchemaDiff::to_json`]) is the machine-readable one.
//!
//! ```
//! use relationship_codegen::{diff::SchemaDiff, parse_str};
//!
//! let old = parse_str(r#"{"name": "s", "types": ["Account", "Host"],
//!     "relationships": [{"name": "uses", "reverse": "uses",
//!                        "rules": [{"from": "Account", "to": ["Account", "Host"]}]}]}"#,
//!     "old.json").unwrap();
//! let new = parse_str(r#"{"name": "s", "types": ["Account", "Host"],
//!     "relationships": [{"name": "uses", "reverse": "uses",
//!                        "rules": [{"from": "Account", "to": "Account"}]}]}"#,
//!     "new.json").unwrap();
//! let diff = SchemaDiff::between(&old, &new);
//! assert!(diff.is_breaking());
//! assert_eq!(
//!     diff.breaking[0].to_string(),
//!     "`Account`.uses(&`Host`) — Account uses Host no longer allowed"
//! );
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::model::{Pairs, RelationshipDef, Schema, TypeDef, TypeId};

/// The differences between two schemas. Build one with [`SchemaDiff::between`].
///
/// Every list is in a deterministic order: items of the old schema in the old schema's
/// declaration order, items of the new schema in the new schema's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SchemaDiff {
    /// The old schema, in brief.
    pub old: SchemaSummary,
    /// The new schema, in brief.
    pub new: SchemaSummary,
    /// Types only in the new schema.
    pub added_types: Vec<TypeEntry>,
    /// Types only in the old schema.
    pub removed_types: Vec<TypeEntry>,
    /// Types in both schemas whose Rust marker differs.
    pub renamed_type_markers: Vec<Rename>,
    /// Relationship names only in the new schema.
    pub added_relationships: Vec<RelationshipEntry>,
    /// Relationship names only in the old schema.
    pub removed_relationships: Vec<RelationshipEntry>,
    /// Relationships in both schemas whose Rust marker differs.
    pub renamed_relationship_markers: Vec<Rename>,
    /// Relationships in both schemas whose constructor method differs.
    pub renamed_methods: Vec<Rename>,
    /// Relationships in both schemas whose reverse name differs.
    pub changed_reverse_names: Vec<Rename>,
    /// Reverse-only names only in the new schema.
    pub added_reverse_only: Vec<String>,
    /// Reverse-only names only in the old schema.
    pub removed_reverse_only: Vec<String>,
    /// Relationships in both schemas that became, or stopped being, any-to-any.
    pub any_changes: Vec<AnyChange>,
    /// Explicit triples only in the new schema (including those of added relationships).
    pub added_triples: Vec<Triple>,
    /// Explicit triples only in the old schema (including those of removed relationships and
    /// of removed types). Pairs lost because a relationship stopped being any-to-any are in
    /// [`AnyChange::removed`] instead.
    pub removed_triples: Vec<Triple>,
    /// The typed code that compiled against the old schema and stops compiling.
    pub breaking: Vec<Breakage>,
}

/// A schema's name, file and size, for the report header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaSummary {
    /// The schema's `name`.
    pub name: String,
    /// The file it was read from, if any.
    pub source: Option<String>,
    /// The number of indicator types.
    pub types: usize,
    /// The number of relationship names.
    pub relationships: usize,
    /// The number of explicit triples.
    pub triples: usize,
}

/// An indicator type and its Rust marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeEntry {
    /// XSOAR's type string (`Attack Pattern`).
    pub name: String,
    /// The Rust marker type (`AttackPattern`).
    pub marker: String,
}

/// A relationship name with its reverse name and Rust names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationshipEntry {
    /// XSOAR's name (`used-by`).
    pub name: String,
    /// XSOAR's reverse name (`uses`).
    pub reverse: String,
    /// The Rust marker type (`UsedBy`).
    pub marker: String,
    /// The typed constructor's method (`used_by`).
    pub method: String,
    /// Whether the relationship allows any pair.
    pub any: bool,
    /// The number of explicit pairs (0 when `any`).
    pub pairs: usize,
}

/// Something of the same schema name whose spelling changed: a marker, a method or a
/// reverse name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// The type or relationship name it belongs to.
    pub name: String,
    /// The old spelling.
    pub old: String,
    /// The new spelling.
    pub new: String,
}

/// A relationship that became, or stopped being, any-to-any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnyChange {
    /// The relationship name.
    pub name: String,
    /// Its constructor method in the old schema.
    pub method: String,
    /// `true`: explicit pairs before, any pair now ("now any"). `false`: any pair before,
    /// explicit pairs now ("no longer any").
    pub now_any: bool,
    /// The number of explicit pairs on the side that has them: the old schema's for "now
    /// any", the new schema's for "no longer any".
    pub explicit_pairs: usize,
    /// For "no longer any": every pair of old types that the new schema does not allow, in
    /// old type order (each one is a breaking removal). Empty for "now any".
    pub removed: Vec<Triple>,
}

/// One `(source, relationship, target)` triple with the Rust names of its typed constructor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Triple {
    /// The source type (XSOAR spelling).
    pub source: String,
    /// The relationship name.
    pub relationship: String,
    /// The target type (XSOAR spelling).
    pub target: String,
    /// The source type's marker.
    pub source_marker: String,
    /// The relationship's constructor method.
    pub method: String,
    /// The target type's marker.
    pub target_marker: String,
}

impl Triple {
    fn new(schema: &Schema, rel: &RelationshipDef, source: TypeId, target: TypeId) -> Self {
        let (s, t) = (schema.ty(source), schema.ty(target));
        Triple {
            source: s.name.clone(),
            relationship: rel.name.clone(),
            target: t.name.clone(),
            source_marker: s.marker.clone(),
            method: rel.method.clone(),
            target_marker: t.marker.clone(),
        }
    }

    /// The triple in XSOAR words: `Account uses Host`.
    pub fn xsoar(&self) -> String {
        format!("{} {} {}", self.source, self.relationship, self.target)
    }

    /// The typed constructor call: `` `Account`.uses(&`Host`) ``.
    pub fn call(&self) -> String {
        format!(
            "`{}`.{}(&`{}`)",
            self.source_marker, self.method, self.target_marker
        )
    }
}

/// One piece of typed code that compiled against the old schema and does not against the new
/// one. [`fmt::Display`] gives one line: the code, then why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Breakage {
    /// A type was removed: its marker no longer exists.
    TypeRemoved {
        /// The type (XSOAR spelling).
        name: String,
        /// Its marker.
        marker: String,
    },
    /// A type's marker was renamed: the old marker no longer exists.
    TypeMarkerRenamed(Rename),
    /// A relationship was removed: its method and marker no longer exist.
    RelationshipRemoved {
        /// The relationship name.
        name: String,
        /// Its constructor method.
        method: String,
        /// Its marker.
        marker: String,
    },
    /// A relationship's marker was renamed: the old marker no longer exists.
    RelationshipMarkerRenamed(Rename),
    /// A relationship's method was renamed: the old method no longer exists.
    MethodRenamed(Rename),
    /// A relationship stopped being any-to-any: every call but the new explicit pairs
    /// stops compiling.
    NoLongerAny {
        /// The relationship name.
        name: String,
        /// Its constructor method.
        method: String,
        /// How many explicit pairs the new schema allows.
        now_explicit: usize,
        /// How many pairs of the old types stop compiling.
        removed: usize,
    },
    /// A triple between surviving types of a surviving relationship is no longer allowed.
    TripleRemoved(Triple),
}

impl fmt::Display for Breakage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Breakage::TypeRemoved { name, marker } => {
                write!(
                    f,
                    "`{marker}` — type {name} removed: the marker no longer exists"
                )
            }
            Breakage::TypeMarkerRenamed(r) => write!(
                f,
                "`{}` — type {}: the marker is now `{}`",
                r.old, r.name, r.new
            ),
            Breakage::RelationshipRemoved {
                name,
                method,
                marker,
            } => write!(
                f,
                "`.{method}(..)` — relationship {name} removed: the method (and marker `{marker}`) no longer exists"
            ),
            Breakage::RelationshipMarkerRenamed(r) => write!(
                f,
                "`{}` — relationship {}: the marker is now `{}`",
                r.old, r.name, r.new
            ),
            Breakage::MethodRenamed(r) => write!(
                f,
                "`.{}(..)` — relationship {}: the method is now `.{}(..)`",
                r.old, r.name, r.new
            ),
            Breakage::NoLongerAny {
                name,
                method,
                now_explicit,
                removed,
            } => write!(
                f,
                "`_`.{method}(&`_`) — {name} no longer allows any pair: {removed} pairs stop compiling (now {now_explicit} explicit)"
            ),
            Breakage::TripleRemoved(t) => {
                write!(f, "{} — {} no longer allowed", t.call(), t.xsoar())
            }
        }
    }
}

fn summary(s: &Schema) -> SchemaSummary {
    SchemaSummary {
        name: s.name.clone(),
        source: s.source.as_ref().map(|p| p.display().to_string()),
        types: s.types.len(),
        relationships: s.relationships.len(),
        triples: s.triple_count(),
    }
}

fn type_entry(t: &TypeDef) -> TypeEntry {
    TypeEntry {
        name: t.name.clone(),
        marker: t.marker.clone(),
    }
}

fn rel_entry(r: &RelationshipDef) -> RelationshipEntry {
    RelationshipEntry {
        name: r.name.clone(),
        reverse: r.reverse.clone(),
        marker: r.marker.clone(),
        method: r.method.clone(),
        any: matches!(r.pairs, Pairs::Any),
        pairs: r.explicit_pairs().map_or(0, <[_]>::len),
    }
}

/// The explicit pairs of `rel` as `(source name, target name)`.
fn pair_names<'a>(schema: &'a Schema, rel: &RelationshipDef) -> HashSet<(&'a str, &'a str)> {
    rel.explicit_pairs()
        .unwrap_or(&[])
        .iter()
        .map(|p| {
            (
                schema.ty(p.source).name.as_str(),
                schema.ty(p.target).name.as_str(),
            )
        })
        .collect()
}

/// Whether `schema`'s relationship `rel` allows `source -> target`, by type names.
fn allows_by_name(schema: &Schema, rel: &RelationshipDef, source: &str, target: &str) -> bool {
    match (schema.type_id(source), schema.type_id(target)) {
        (Some(s), Some(t)) => rel.allows(s, t),
        _ => false,
    }
}

impl SchemaDiff {
    /// Compares `old` with `new`, by type and relationship names.
    pub fn between(old: &Schema, new: &Schema) -> SchemaDiff {
        let mut d = SchemaDiff {
            old: summary(old),
            new: summary(new),
            added_types: Vec::new(),
            removed_types: Vec::new(),
            renamed_type_markers: Vec::new(),
            added_relationships: Vec::new(),
            removed_relationships: Vec::new(),
            renamed_relationship_markers: Vec::new(),
            renamed_methods: Vec::new(),
            changed_reverse_names: Vec::new(),
            added_reverse_only: Vec::new(),
            removed_reverse_only: Vec::new(),
            any_changes: Vec::new(),
            added_triples: Vec::new(),
            removed_triples: Vec::new(),
            breaking: Vec::new(),
        };
        let mut removed_triple_breaks = Vec::new();
        let mut no_longer_any_breaks = Vec::new();

        // Types.
        let new_types: HashMap<&str, &TypeDef> =
            new.types.iter().map(|t| (t.name.as_str(), t)).collect();
        for t in &old.types {
            match new_types.get(t.name.as_str()) {
                None => d.removed_types.push(type_entry(t)),
                Some(n) if n.marker != t.marker => d.renamed_type_markers.push(Rename {
                    name: t.name.clone(),
                    old: t.marker.clone(),
                    new: n.marker.clone(),
                }),
                Some(_) => {}
            }
        }
        d.added_types = new
            .types
            .iter()
            .filter(|t| old.type_id(&t.name).is_none())
            .map(type_entry)
            .collect();

        // Reverse-only names.
        d.removed_reverse_only = old
            .reverse_only
            .iter()
            .filter(|n| !new.is_reverse_only(n))
            .cloned()
            .collect();
        d.added_reverse_only = new
            .reverse_only
            .iter()
            .filter(|n| !old.is_reverse_only(n))
            .cloned()
            .collect();

        // Relationships and their triples, in old order.
        let new_rels: HashMap<&str, &RelationshipDef> = new
            .relationships
            .iter()
            .map(|r| (r.name.as_str(), r))
            .collect();
        for o in &old.relationships {
            let Some(n) = new_rels.get(o.name.as_str()).copied() else {
                d.removed_relationships.push(rel_entry(o));
                for p in o.explicit_pairs().unwrap_or(&[]) {
                    d.removed_triples
                        .push(Triple::new(old, o, p.source, p.target));
                }
                continue;
            };
            if o.marker != n.marker {
                d.renamed_relationship_markers.push(Rename {
                    name: o.name.clone(),
                    old: o.marker.clone(),
                    new: n.marker.clone(),
                });
            }
            if o.method != n.method {
                d.renamed_methods.push(Rename {
                    name: o.name.clone(),
                    old: o.method.clone(),
                    new: n.method.clone(),
                });
            }
            if o.reverse != n.reverse {
                d.changed_reverse_names.push(Rename {
                    name: o.name.clone(),
                    old: o.reverse.clone(),
                    new: n.reverse.clone(),
                });
            }
            match (&o.pairs, &n.pairs) {
                (Pairs::Any, Pairs::Any) => {}
                (Pairs::Only(op), Pairs::Any) => d.any_changes.push(AnyChange {
                    name: o.name.clone(),
                    method: o.method.clone(),
                    now_any: true,
                    explicit_pairs: op.len(),
                    removed: Vec::new(),
                }),
                (Pairs::Any, Pairs::Only(np)) => {
                    let mut removed = Vec::new();
                    for (si, s) in old.types.iter().enumerate() {
                        for (ti, t) in old.types.iter().enumerate() {
                            if !allows_by_name(new, n, &s.name, &t.name) {
                                removed.push(Triple::new(
                                    old,
                                    o,
                                    TypeId(si as u16),
                                    TypeId(ti as u16),
                                ));
                            }
                        }
                    }
                    no_longer_any_breaks.push(Breakage::NoLongerAny {
                        name: o.name.clone(),
                        method: o.method.clone(),
                        now_explicit: np.len(),
                        removed: removed.len(),
                    });
                    d.any_changes.push(AnyChange {
                        name: o.name.clone(),
                        method: o.method.clone(),
                        now_any: false,
                        explicit_pairs: np.len(),
                        removed,
                    });
                }
                (Pairs::Only(op), Pairs::Only(_)) => {
                    let now = pair_names(new, n);
                    for p in op {
                        let (s, t) = (old.ty(p.source), old.ty(p.target));
                        if now.contains(&(s.name.as_str(), t.name.as_str())) {
                            continue;
                        }
                        let triple = Triple::new(old, o, p.source, p.target);
                        let types_survive = new_types.contains_key(s.name.as_str())
                            && new_types.contains_key(t.name.as_str());
                        if types_survive {
                            removed_triple_breaks.push(Breakage::TripleRemoved(triple.clone()));
                        }
                        d.removed_triples.push(triple);
                    }
                }
            }
        }

        // Added relationships and triples, in new order.
        let old_rels: HashMap<&str, &RelationshipDef> = old
            .relationships
            .iter()
            .map(|r| (r.name.as_str(), r))
            .collect();
        for n in &new.relationships {
            let before = old_rels.get(n.name.as_str()).copied();
            if before.is_none() {
                d.added_relationships.push(rel_entry(n));
            }
            let Some(np) = n.explicit_pairs() else {
                continue;
            };
            let was = match before {
                // Was any-to-any: its explicit pairs were allowed already.
                Some(o) if matches!(o.pairs, Pairs::Any) => continue,
                Some(o) => pair_names(old, o),
                None => HashSet::new(),
            };
            for p in np {
                let (s, t) = (new.ty(p.source), new.ty(p.target));
                if !was.contains(&(s.name.as_str(), t.name.as_str())) {
                    d.added_triples
                        .push(Triple::new(new, n, p.source, p.target));
                }
            }
        }

        // What stops compiling, most sweeping first.
        d.breaking
            .extend(d.removed_types.iter().map(|t| Breakage::TypeRemoved {
                name: t.name.clone(),
                marker: t.marker.clone(),
            }));
        d.breaking.extend(
            d.renamed_type_markers
                .iter()
                .cloned()
                .map(Breakage::TypeMarkerRenamed),
        );
        d.breaking.extend(
            d.removed_relationships
                .iter()
                .map(|r| Breakage::RelationshipRemoved {
                    name: r.name.clone(),
                    method: r.method.clone(),
                    marker: r.marker.clone(),
                }),
        );
        d.breaking.extend(
            d.renamed_relationship_markers
                .iter()
                .cloned()
                .map(Breakage::RelationshipMarkerRenamed),
        );
        d.breaking.extend(
            d.renamed_methods
                .iter()
                .cloned()
                .map(Breakage::MethodRenamed),
        );
        d.breaking.extend(no_longer_any_breaks);
        d.breaking.extend(removed_triple_breaks);
        d
    }

    /// Whether the two schemas agree on everything compared (types, markers, names, methods,
    /// reverse names, reverse-only names and allowed pairs).
    pub fn is_empty(&self) -> bool {
        self.added_types.is_empty()
            && self.removed_types.is_empty()
            && self.renamed_type_markers.is_empty()
            && self.added_relationships.is_empty()
            && self.removed_relationships.is_empty()
            && self.renamed_relationship_markers.is_empty()
            && self.renamed_methods.is_empty()
            && self.changed_reverse_names.is_empty()
            && self.added_reverse_only.is_empty()
            && self.removed_reverse_only.is_empty()
            && self.any_changes.is_empty()
            && self.added_triples.is_empty()
            && self.removed_triples.is_empty()
    }

    /// Whether typed code written against the old schema can stop compiling (equivalently,
    /// whether data the old schema allows can be rejected): something was removed or renamed,
    /// or a pair is no longer allowed. See [`SchemaDiff::breaking`].
    pub fn is_breaking(&self) -> bool {
        !self.breaking.is_empty()
    }

    /// The machine-readable form: every field of the diff, plus `identical` and
    /// `is_breaking`, as a JSON value with keys in a fixed order.
    pub fn to_json(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct Report<'a> {
            identical: bool,
            is_breaking: bool,
            #[serde(flatten)]
            diff: &'a SchemaDiff,
        }
        let report = Report {
            identical: self.is_empty(),
            is_breaking: self.is_breaking(),
            diff: self,
        };
        // Serialising plain strings, numbers and booleans into a `Value` cannot fail.
        serde_json::to_value(report).unwrap_or(serde_json::Value::Null)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes `head` and the lines of a section, skipping the section when it has no lines.
fn section(f: &mut fmt::Formatter<'_>, head: &str, lines: &[String]) -> fmt::Result {
    if lines.is_empty() {
        return Ok(());
    }
    writeln!(f)?;
    writeln!(f, "{head}")?;
    for l in lines {
        writeln!(f, "  {l}")?;
    }
    Ok(())
}

/// Lines of `+ label  detail` for `added`, then `- label  detail` for `removed`, with the
/// detail column aligned across both.
fn aligned(added: &[(String, String)], removed: &[(String, String)]) -> Vec<String> {
    let width = added
        .iter()
        .chain(removed)
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let signed = |sign: char, rows: &[(String, String)]| -> Vec<String> {
        rows.iter()
            .map(|(l, c)| format!("{sign} {l:<width$}  {c}"))
            .collect()
    };
    let mut lines = signed('+', added);
    lines.extend(signed('-', removed));
    lines
}

fn added_removed(added: usize, removed: usize) -> String {
    format!("{added} added, {removed} removed")
}

impl fmt::Display for SchemaDiff {
    /// A deterministic report: a header naming both schemas, one section per kind of change
    /// (omitted when empty), each line starting with `+` (added), `-` (removed) or `~`
    /// (changed), and a closing verdict.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (sign, s) in [("---", &self.old), ("+++", &self.new)] {
            let source = s
                .source
                .as_ref()
                .map_or_else(String::new, |p| format!(" ({p})"));
            writeln!(
                f,
                "{sign} `{}`{source}: {}, {}, {}",
                s.name,
                plural(s.types, "type", "types"),
                plural(s.relationships, "relationship name", "relationship names"),
                plural(s.triples, "explicit triple", "explicit triples"),
            )?;
        }
        if self.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "No differences: same types, names, reverse names and allowed pairs."
            )?;
            return Ok(());
        }

        if !self.added_types.is_empty() || !self.removed_types.is_empty() {
            let rows = |ts: &[TypeEntry]| -> Vec<(String, String)> {
                ts.iter()
                    .map(|t| (t.name.clone(), format!("marker `{}`", t.marker)))
                    .collect()
            };
            let lines = aligned(&rows(&self.added_types), &rows(&self.removed_types));
            section(
                f,
                &format!(
                    "Types: {}",
                    added_removed(self.added_types.len(), self.removed_types.len())
                ),
                &lines,
            )?;
        }

        if !self.added_relationships.is_empty() || !self.removed_relationships.is_empty() {
            let rows = |rs: &[RelationshipEntry]| -> Vec<(String, String)> {
                rs.iter()
                    .map(|r| {
                        let pairs = if r.any {
                            "any pair".to_owned()
                        } else {
                            plural(r.pairs, "pair", "pairs")
                        };
                        (
                            r.name.clone(),
                            format!(
                                "reverse `{}`, marker `{}`, method `{}`, {pairs}",
                                r.reverse, r.marker, r.method
                            ),
                        )
                    })
                    .collect()
            };
            let lines = aligned(
                &rows(&self.added_relationships),
                &rows(&self.removed_relationships),
            );
            section(
                f,
                &format!(
                    "Relationship names: {}",
                    added_removed(
                        self.added_relationships.len(),
                        self.removed_relationships.len()
                    )
                ),
                &lines,
            )?;
        }

        let renames = |owner: &str, what: &str, rs: &[Rename]| -> Vec<String> {
            rs.iter()
                .map(|r| format!("~ {owner}{}: {what} `{}` -> `{}`", r.name, r.old, r.new))
                .collect()
        };
        let mut lines = renames("type ", "marker", &self.renamed_type_markers);
        lines.extend(renames(
            "relationship ",
            "marker",
            &self.renamed_relationship_markers,
        ));
        lines.extend(renames("relationship ", "method", &self.renamed_methods));
        section(
            f,
            &format!(
                "Rust names changed: {}",
                self.renamed_type_markers.len()
                    + self.renamed_relationship_markers.len()
                    + self.renamed_methods.len()
            ),
            &lines,
        )?;

        section(
            f,
            &format!(
                "Reverse names changed: {}",
                self.changed_reverse_names.len()
            ),
            &renames("", "reverse", &self.changed_reverse_names),
        )?;

        let mut lines: Vec<String> = self
            .added_reverse_only
            .iter()
            .map(|n| format!("+ {n}"))
            .collect();
        lines.extend(self.removed_reverse_only.iter().map(|n| format!("- {n}")));
        section(
            f,
            &format!(
                "Reverse-only names: {}",
                added_removed(
                    self.added_reverse_only.len(),
                    self.removed_reverse_only.len()
                )
            ),
            &lines,
        )?;

        let now = self.any_changes.iter().filter(|c| c.now_any).count();
        let lines: Vec<String> = self
            .any_changes
            .iter()
            .map(|c| {
                if c.now_any {
                    format!(
                        "+ {}: now any pair (was {})",
                        c.name,
                        plural(c.explicit_pairs, "explicit pair", "explicit pairs")
                    )
                } else {
                    format!(
                        "- {}: no longer any pair: now {}, {} no longer allowed",
                        c.name,
                        plural(c.explicit_pairs, "explicit pair", "explicit pairs"),
                        c.removed.len()
                    )
                }
            })
            .collect();
        section(
            f,
            &format!(
                "Any-pair relationships: {now} now any, {} no longer any",
                self.any_changes.len() - now
            ),
            &lines,
        )?;

        if !self.added_triples.is_empty() || !self.removed_triples.is_empty() {
            let rows = |ts: &[Triple]| -> Vec<(String, String)> {
                ts.iter().map(|t| (t.xsoar(), t.call())).collect()
            };
            let lines = aligned(&rows(&self.added_triples), &rows(&self.removed_triples));
            section(
                f,
                &format!(
                    "Triples: {}",
                    added_removed(self.added_triples.len(), self.removed_triples.len())
                ),
                &lines,
            )?;
        }

        let lines: Vec<String> = self.breaking.iter().map(|b| format!("- {b}")).collect();
        section(
            f,
            &format!("Typed code that stops compiling: {}", self.breaking.len()),
            &lines,
        )?;

        writeln!(f)?;
        if self.is_breaking() {
            writeln!(
                f,
                "Breaking: {} of typed code {}.",
                plural(self.breaking.len(), "item", "items"),
                if self.breaking.len() == 1 {
                    "stops compiling"
                } else {
                    "stop compiling"
                }
            )
        } else {
            writeln!(f, "Not breaking: everything that compiled still compiles.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_str;

    fn schema(json: &str) -> Schema {
        parse_str(json, "t.json").unwrap()
    }

    const BASE: &str = r#"{"name": "t", "types": ["Account", "Host", "CVE"],
        "reverse_only": ["used-by"],
        "relationships": [
          {"name": "uses", "reverse": "used-by",
           "rules": [{"from": "Account", "to": ["Host", "CVE"]}]},
          {"name": "related-to", "reverse": "related-to", "any": true}
        ]}"#;

    #[test]
    fn identical_schemas_have_no_differences() {
        let d = SchemaDiff::between(&schema(BASE), &schema(BASE));
        assert!(d.is_empty());
        assert!(!d.is_breaking());
        let text = d.to_string();
        assert!(
            text.ends_with(
                "\nNo differences: same types, names, reverse names and allowed pairs.\n"
            )
        );
        assert_eq!(d.to_json()["identical"], true);
    }

    #[test]
    fn reordering_changes_nothing() {
        let reordered = r#"{"name": "t", "types": ["CVE", "Host", "Account"],
            "reverse_only": ["used-by"],
            "relationships": [
              {"name": "related-to", "reverse": "related-to", "any": true},
              {"name": "uses", "reverse": "used-by",
               "rules": [{"from": "Account", "to": ["CVE", "Host"]}]}
            ]}"#;
        assert!(SchemaDiff::between(&schema(BASE), &schema(reordered)).is_empty());
    }

    #[test]
    fn removed_triple_breaks_its_constructor() {
        let new = BASE.replace(r#"["Host", "CVE"]"#, r#""Host""#);
        let d = SchemaDiff::between(&schema(BASE), &schema(&new));
        assert_eq!(d.removed_triples.len(), 1);
        assert!(d.added_triples.is_empty());
        assert_eq!(
            d.breaking
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["`Account`.uses(&`Cve`) — Account uses CVE no longer allowed"]
        );
        // Going the other way adds the triple and breaks nothing.
        let back = SchemaDiff::between(&schema(&new), &schema(BASE));
        assert_eq!(back.added_triples.len(), 1);
        assert_eq!(back.added_triples[0].xsoar(), "Account uses CVE");
        assert!(!back.is_breaking());
        assert!(!back.is_empty());
    }

    #[test]
    fn removed_type_is_reported_once_in_breakage() {
        let new = BASE
            .replace(r#""Host", "CVE"]"#, r#""Host"]"#)
            .replace(r#"["Host", "CVE"]"#, r#""Host""#);
        let d = SchemaDiff::between(&schema(BASE), &schema(&new));
        assert_eq!(d.removed_types.len(), 1);
        // The triple is listed as removed, but the breakage names the marker only.
        assert_eq!(d.removed_triples.len(), 1);
        assert_eq!(
            d.breaking,
            [Breakage::TypeRemoved {
                name: "CVE".into(),
                marker: "Cve".into()
            }]
        );
    }

    #[test]
    fn removed_relationship_breaks_its_method_not_each_triple() {
        let new = r#"{"name": "t", "types": ["Account", "Host", "CVE"],
            "relationships": [{"name": "related-to", "reverse": "related-to", "any": true}]}"#;
        let d = SchemaDiff::between(&schema(BASE), &schema(new));
        assert_eq!(d.removed_relationships.len(), 1);
        assert_eq!(d.removed_triples.len(), 2);
        assert_eq!(d.removed_reverse_only, ["used-by"]);
        assert_eq!(
            d.breaking
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "`.uses(..)` — relationship uses removed: the method (and marker `Uses`) no longer exists"
            ]
        );
    }

    #[test]
    fn any_changes_both_ways() {
        let only = BASE.replace(
            r#""reverse": "related-to", "any": true"#,
            r#""reverse": "related-to", "rules": [{"from": "Host", "to": "CVE"}]"#,
        );
        let d = SchemaDiff::between(&schema(BASE), &schema(&only));
        assert_eq!(d.any_changes.len(), 1);
        let c = &d.any_changes[0];
        assert!(!c.now_any);
        assert_eq!(c.explicit_pairs, 1);
        // 3 x 3 pairs before, 1 still allowed.
        assert_eq!(c.removed.len(), 8);
        assert!(!c.removed.iter().any(|t| t.xsoar() == "Host related-to CVE"));
        // Its explicit pair was allowed before: not an added triple.
        assert!(d.added_triples.is_empty());
        assert_eq!(
            d.breaking,
            [Breakage::NoLongerAny {
                name: "related-to".into(),
                method: "related_to".into(),
                now_explicit: 1,
                removed: 8
            }]
        );

        let back = SchemaDiff::between(&schema(&only), &schema(BASE));
        assert!(back.any_changes[0].now_any);
        assert_eq!(back.any_changes[0].explicit_pairs, 1);
        assert!(back.removed_triples.is_empty());
        assert!(!back.is_breaking());
    }

    #[test]
    fn renames_and_reverse_changes() {
        let new = r#"{"name": "t", "types": ["Account", {"name": "Host", "marker": "Machine"}, "CVE"],
            "reverse_only": ["usedby"],
            "relationships": [
              {"name": "uses", "reverse": "usedby", "method": "employs",
               "rules": [{"from": "Account", "to": ["Host", "CVE"]}]},
              {"name": "related-to", "reverse": "related-to", "any": true}
            ]}"#;
        let d = SchemaDiff::between(&schema(BASE), &schema(new));
        assert_eq!(d.added_reverse_only, ["usedby"]);
        assert_eq!(d.removed_reverse_only, ["used-by"]);
        assert_eq!(d.changed_reverse_names[0].new, "usedby");
        assert!(d.removed_triples.is_empty());
        let lines: Vec<String> = d.breaking.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "`Host` — type Host: the marker is now `Machine`",
                "`.uses(..)` — relationship uses: the method is now `.employs(..)`",
            ]
        );
    }

    #[test]
    fn reverse_change_alone_is_not_breaking() {
        let new = BASE.replace(
            r#""reverse_only": ["used-by"]"#,
            r#""reverse_only": ["usedby"]"#,
        );
        let new = new.replace(
            r#""uses", "reverse": "used-by""#,
            r#""uses", "reverse": "usedby""#,
        );
        let d = SchemaDiff::between(&schema(BASE), &schema(&new));
        assert!(!d.is_empty());
        assert!(!d.is_breaking());
        assert!(
            d.to_string()
                .contains("\nReverse names changed: 1\n  ~ uses: reverse `used-by` -> `usedby`\n")
        );
    }

    #[test]
    fn json_form_has_fixed_keys() {
        let new = BASE.replace(r#"["Host", "CVE"]"#, r#""Host""#);
        let d = SchemaDiff::between(&schema(BASE), &schema(&new));
        let json = serde_json::to_string(&d.to_json()["breaking"]).unwrap();
        assert_eq!(
            json,
            r#"[{"kind":"triple-removed","source":"Account","relationship":"uses","target":"CVE","source_marker":"Account","method":"uses","target_marker":"Cve"}]"#
        );
        let v = d.to_json();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(&keys[..4], ["identical", "is_breaking", "old", "new"]);
        assert_eq!(v["is_breaking"], true);
    }
}
