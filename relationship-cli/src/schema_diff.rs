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
//! use relationship_cli::schema_diff::SchemaDiff;
//! use relationship_schema::{SchemaBuilder, Tier};
//!
//! let schema = |targets: &[&str]| {
//!     let mut b = SchemaBuilder::new("s");
//!     let (account, host) = (b.add_type("Account"), b.add_type("Host"));
//!     let uses = b.add_relationship("uses", "uses");
//!     for t in targets {
//!         b.allow(uses, account, if *t == "Host" { host } else { account }, Tier::Core);
//!     }
//!     b.build().unwrap()
//! };
//! let (old, new) = (schema(&["Account", "Host"]), schema(&["Account"]));
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

use relationship_schema::{Pairs, RelationshipDef, Schema, TypeDef, TypeId};

/// The differences between two schemas. Build one with [`SchemaDiff::between`].
///
/// Every list is in a deterministic order: items of the old schema in the old schema's
/// declaration order, items of the new schema in the new schema's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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

impl Rename {
    /// The change of `name`'s spelling from `old` to `new`, if it changed.
    fn of(name: &str, old: &str, new: &str) -> Option<Rename> {
        (old != new).then(|| Rename {
            name: name.to_owned(),
            old: old.to_owned(),
            new: new.to_owned(),
        })
    }
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
            source: s.name().to_owned(),
            relationship: rel.name().to_owned(),
            target: t.name().to_owned(),
            source_marker: s.marker().to_owned(),
            method: rel.method().to_owned(),
            target_marker: t.marker().to_owned(),
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
        name: s.name().to_owned(),
        source: s.source().map(|p| p.display().to_string()),
        types: s.types().len(),
        relationships: s.relationships().len(),
        triples: s.triple_count(),
    }
}

fn type_entry(t: &TypeDef) -> TypeEntry {
    TypeEntry {
        name: t.name().to_owned(),
        marker: t.marker().to_owned(),
    }
}

fn rel_entry(r: &RelationshipDef) -> RelationshipEntry {
    RelationshipEntry {
        name: r.name().to_owned(),
        reverse: r.reverse().to_owned(),
        marker: r.marker().to_owned(),
        method: r.method().to_owned(),
        any: matches!(r.pairs(), Pairs::Any),
        pairs: r.explicit_pairs().map_or(0, <[_]>::len),
    }
}

/// The explicit pairs of `rel` as `(source name, target name)`.
fn pair_names<'a>(schema: &'a Schema, rel: &RelationshipDef) -> HashSet<(&'a str, &'a str)> {
    rel.explicit_pairs()
        .unwrap_or(&[])
        .iter()
        .map(|p| (schema.ty(p.source).name(), schema.ty(p.target).name()))
        .collect()
}

/// Whether `schema`'s relationship `rel` allows `source -> target`, by type names.
fn allows_by_name(schema: &Schema, rel: &RelationshipDef, source: &str, target: &str) -> bool {
    match (schema.type_id(source), schema.type_id(target)) {
        (Some(s), Some(t)) => rel.allows(s, t),
        _ => false,
    }
}

/// Breakages found while comparing relationships, reported after the sweeping ones.
#[derive(Default)]
struct Breaks {
    no_longer_any: Vec<Breakage>,
    removed_triples: Vec<Breakage>,
}

impl SchemaDiff {
    /// Compares `old` with `new`, by type and relationship names.
    pub fn between(old: &Schema, new: &Schema) -> SchemaDiff {
        let mut d = SchemaDiff {
            old: summary(old),
            new: summary(new),
            ..SchemaDiff::default()
        };
        let mut breaks = Breaks::default();
        d.compare_types(old, new);
        d.compare_reverse_only(old, new);
        let new_types: HashSet<&str> = new.types().iter().map(TypeDef::name).collect();
        let new_rels: HashMap<&str, &RelationshipDef> =
            new.relationships().iter().map(|r| (r.name(), r)).collect();
        for o in old.relationships() {
            d.compare_relationship(
                old,
                new,
                o,
                new_rels.get(o.name()).copied(),
                &new_types,
                &mut breaks,
            );
        }
        d.compare_added(old, new);
        d.collect_breaking(breaks);
        d
    }

    /// Removed types, changed markers and added types.
    fn compare_types(&mut self, old: &Schema, new: &Schema) {
        let d = self;
        let new_types: HashMap<&str, &TypeDef> =
            new.types().iter().map(|t| (t.name(), t)).collect();
        for t in old.types() {
            match new_types.get(t.name()) {
                None => d.removed_types.push(type_entry(t)),
                Some(n) => {
                    d.renamed_type_markers
                        .extend(Rename::of(t.name(), t.marker(), n.marker()))
                }
            }
        }
        d.added_types = new
            .types()
            .iter()
            .filter(|t| old.type_id(t.name()).is_none())
            .map(type_entry)
            .collect();
    }

    /// Removed and added reverse-only names.
    fn compare_reverse_only(&mut self, old: &Schema, new: &Schema) {
        let d = self;
        d.removed_reverse_only = old
            .reverse_only()
            .iter()
            .filter(|n| !new.is_reverse_only(n))
            .cloned()
            .collect();
        d.added_reverse_only = new
            .reverse_only()
            .iter()
            .filter(|n| !old.is_reverse_only(n))
            .cloned()
            .collect();
    }

    /// One relationship of the old schema against its namesake in the new one (if any): its
    /// Rust names, reverse name, any-to-any status and removed triples.
    fn compare_relationship(
        &mut self,
        old: &Schema,
        new: &Schema,
        o: &RelationshipDef,
        n: Option<&RelationshipDef>,
        new_types: &HashSet<&str>,
        breaks: &mut Breaks,
    ) {
        let d = self;
        let Some(n) = n else {
            d.removed_relationships.push(rel_entry(o));
            for p in o.explicit_pairs().unwrap_or(&[]) {
                d.removed_triples
                    .push(Triple::new(old, o, p.source, p.target));
            }
            return;
        };
        d.renamed_relationship_markers
            .extend(Rename::of(o.name(), o.marker(), n.marker()));
        d.renamed_methods
            .extend(Rename::of(o.name(), o.method(), n.method()));
        d.changed_reverse_names
            .extend(Rename::of(o.name(), o.reverse(), n.reverse()));
        match (&o.pairs(), &n.pairs()) {
            (Pairs::Any, Pairs::Any) => {}
            (Pairs::Only(op), Pairs::Any) => d.any_changes.push(AnyChange {
                name: o.name().to_owned(),
                method: o.method().to_owned(),
                now_any: true,
                explicit_pairs: op.len(),
                removed: Vec::new(),
            }),
            (Pairs::Any, Pairs::Only(np)) => {
                let mut removed = Vec::new();
                for (s, si) in old.types().iter().zip(old.type_ids()) {
                    for (t, ti) in old.types().iter().zip(old.type_ids()) {
                        if !allows_by_name(new, n, s.name(), t.name()) {
                            removed.push(Triple::new(old, o, si, ti));
                        }
                    }
                }
                breaks.no_longer_any.push(Breakage::NoLongerAny {
                    name: o.name().to_owned(),
                    method: o.method().to_owned(),
                    now_explicit: np.len(),
                    removed: removed.len(),
                });
                d.any_changes.push(AnyChange {
                    name: o.name().to_owned(),
                    method: o.method().to_owned(),
                    now_any: false,
                    explicit_pairs: np.len(),
                    removed,
                });
            }
            (Pairs::Only(op), Pairs::Only(_)) => {
                let now = pair_names(new, n);
                for p in op {
                    let (s, t) = (old.ty(p.source), old.ty(p.target));
                    if now.contains(&(s.name(), t.name())) {
                        continue;
                    }
                    let triple = Triple::new(old, o, p.source, p.target);
                    let types_survive =
                        new_types.contains(s.name()) && new_types.contains(t.name());
                    if types_survive {
                        breaks
                            .removed_triples
                            .push(Breakage::TripleRemoved(triple.clone()));
                    }
                    d.removed_triples.push(triple);
                }
            }
        }
    }

    /// Added relationships, and triples the new schema allows that the old did not.
    fn compare_added(&mut self, old: &Schema, new: &Schema) {
        let d = self;
        let old_rels: HashMap<&str, &RelationshipDef> =
            old.relationships().iter().map(|r| (r.name(), r)).collect();
        for n in new.relationships() {
            let before = old_rels.get(n.name()).copied();
            if before.is_none() {
                d.added_relationships.push(rel_entry(n));
            }
            let Some(np) = n.explicit_pairs() else {
                continue;
            };
            let was = match before {
                // Was any-to-any: its explicit pairs were allowed already.
                Some(o) if matches!(o.pairs(), Pairs::Any) => continue,
                Some(o) => pair_names(old, o),
                None => HashSet::new(),
            };
            for p in np {
                let (s, t) = (new.ty(p.source), new.ty(p.target));
                if !was.contains(&(s.name(), t.name())) {
                    d.added_triples
                        .push(Triple::new(new, n, p.source, p.target));
                }
            }
        }
    }

    /// What stops compiling, most sweeping first.
    fn collect_breaking(&mut self, breaks: Breaks) {
        let d = self;
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
        d.breaking.extend(breaks.no_longer_any);
        d.breaking.extend(breaks.removed_triples);
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
    /// `is_breaking`, as a JSON value (its objects ordered as the program's serde_json orders
    /// them; [`SchemaDiff::to_json_pretty`] writes the keys in their fixed order).
    pub fn to_json(&self) -> serde_json::Value {
        // Serialising plain strings, numbers and booleans into a `Value` cannot fail.
        serde_json::to_value(self.report()).unwrap_or(serde_json::Value::Null)
    }

    /// [`SchemaDiff::to_json`] as indented JSON text, keys in a fixed order: `identical`,
    /// `is_breaking`, then the diff's fields in declaration order.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.report()).unwrap_or_default()
    }

    fn report(&self) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct Report<'a> {
            identical: bool,
            is_breaking: bool,
            #[serde(flatten)]
            diff: &'a SchemaDiff,
        }
        Report {
            identical: self.is_empty(),
            is_breaking: self.is_breaking(),
            diff: self,
        }
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

/// The section `TITLE: N added, M removed` of aligned `+` and `-` rows, skipped when both
/// lists are empty.
fn added_removed_section<T>(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    added: &[T],
    removed: &[T],
    row: impl Fn(&T) -> (String, String),
) -> fmt::Result {
    let rows = |items: &[T]| -> Vec<(String, String)> { items.iter().map(&row).collect() };
    section(
        f,
        &format!("{title}: {}", added_removed(added.len(), removed.len())),
        &aligned(&rows(added), &rows(removed)),
    )
}

impl fmt::Display for SchemaDiff {
    /// A deterministic report: a header naming both schemas, one section per kind of change
    /// (omitted when empty), each line starting with `+` (added), `-` (removed) or `~`
    /// (changed), and a closing verdict.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_header(f)?;
        if self.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "No differences: same types, names, reverse names and allowed pairs."
            )?;
            return Ok(());
        }

        self.write_types(f)?;
        self.write_relationships(f)?;
        self.write_renames(f)?;
        self.write_reverse_only(f)?;
        self.write_any_changes(f)?;
        self.write_triples(f)?;
        self.write_breaking(f)
    }
}

impl SchemaDiff {
    /// `---`/`+++` lines naming both schemas.
    fn write_header(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        Ok(())
    }

    /// Added and removed types.
    fn write_types(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        added_removed_section(f, "Types", &self.added_types, &self.removed_types, |t| {
            (t.name.clone(), format!("marker `{}`", t.marker))
        })
    }

    /// Added and removed relationship names.
    fn write_relationships(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        added_removed_section(
            f,
            "Relationship names",
            &self.added_relationships,
            &self.removed_relationships,
            |r| {
                let pairs = if r.any {
                    "any pair".to_owned()
                } else {
                    plural(r.pairs, "pair", "pairs")
                };
                let detail = format!(
                    "reverse `{}`, marker `{}`, method `{}`, {pairs}",
                    r.reverse, r.marker, r.method
                );
                (r.name.clone(), detail)
            },
        )
    }

    /// Changed Rust names and reverse names.
    fn write_renames(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        )
    }

    /// Added and removed reverse-only names.
    fn write_reverse_only(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        )
    }

    /// Relationships that became, or stopped being, any-to-any.
    fn write_any_changes(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        )
    }

    /// Added and removed triples.
    fn write_triples(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        added_removed_section(
            f,
            "Triples",
            &self.added_triples,
            &self.removed_triples,
            |t| (t.xsoar(), t.call()),
        )
    }

    /// What stops compiling, and the verdict.
    fn write_breaking(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
