//! What changes between two versions of a schema, and which typed code stops compiling.
//!
//! [`SchemaDiff::between`] compares two [`Schema`]s by name (never by index, so reordering a
//! schema file changes nothing): types, relationship names, reverse names and reverse-only
//! names, Rust markers and methods, any-to-any relationships and explicit triples (see the
//! fields of [`SchemaDiff`]), and the typed constructors that stop compiling ([`Breakage`]).
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

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use relationship_schema::{RelationshipDef, Schema, TypeDef, TypeId};

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
            Breakage::TypeRemoved { name, marker } => write!(
                f,
                "`{marker}` — type {name} removed: the marker no longer exists"
            ),
            Breakage::TypeMarkerRenamed(Rename { name, old, new }) => {
                write!(f, "`{old}` — type {name}: the marker is now `{new}`")
            }
            Breakage::RelationshipRemoved {
                name,
                method,
                marker,
            } => write!(
                f,
                "`.{method}(..)` — relationship {name} removed: the method (and marker `{marker}`) no longer exists"
            ),
            Breakage::RelationshipMarkerRenamed(Rename { name, old, new }) => write!(
                f,
                "`{old}` — relationship {name}: the marker is now `{new}`"
            ),
            Breakage::MethodRenamed(Rename { name, old, new }) => write!(
                f,
                "`.{old}(..)` — relationship {name}: the method is now `.{new}(..)`"
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
        any: r.is_any(),
        pairs: r.explicit_pairs().map_or(0, <[_]>::len),
    }
}

/// Each item of one list with its namesake in the other list, if any, in the first list's
/// order.
type Namesakes<'a, T> = Vec<(&'a T, Option<&'a T>)>;

/// Each item of `old` with its namesake in `new`, and each item of `new` with its namesake
/// in `old`.
fn namesakes<'a, T>(
    old: &'a [T],
    new: &'a [T],
    name: impl Fn(&'a T) -> &'a str,
) -> (Namesakes<'a, T>, Namesakes<'a, T>) {
    let pair = |from: &'a [T], to: &'a [T]| -> Namesakes<'a, T> {
        let by_name: HashMap<&str, &T> = to.iter().map(|t| (name(t), t)).collect();
        from.iter()
            .map(|f| (f, by_name.get(name(f)).copied()))
            .collect()
    };
    (pair(old, new), pair(new, old))
}

/// The items that have no namesake, as `entry` describes them.
fn unmatched<T, E>(items: &Namesakes<'_, T>, entry: impl Fn(&T) -> E) -> Vec<E> {
    items
        .iter()
        .filter(|(_, other)| other.is_none())
        .map(|(t, _)| entry(t))
        .collect()
}

/// The namesakes whose `spelling` changed.
fn renames<T>(
    old: &Namesakes<'_, T>,
    name: fn(&T) -> &str,
    spelling: fn(&T) -> &str,
) -> Vec<Rename> {
    old.iter()
        .filter_map(|&(o, n)| {
            let (old, new) = (spelling(o).to_owned(), spelling(n?).to_owned());
            let name = name(o).to_owned();
            (old != new).then_some(Rename { name, old, new })
        })
        .collect()
}

/// Whether `schema`'s relationship `rel` allows `source -> target`, by type names.
fn allows_by_name(schema: &Schema, rel: &RelationshipDef, source: &str, target: &str) -> bool {
    let ids = schema.type_id(source).zip(schema.type_id(target));
    ids.is_some_and(|(s, t)| rel.allows(s, t))
}

/// The explicit triples of `schema`'s relationship `rel` that `other` (its namesake in
/// `other_schema`, if any) does not allow, by type names. An any-to-any `other` allows them
/// all.
fn lost_triples(
    schema: &Schema,
    rel: &RelationshipDef,
    other_schema: &Schema,
    other: Option<&RelationshipDef>,
) -> Vec<Triple> {
    let kept = |s: TypeId, t: TypeId| {
        other.is_some_and(|o| {
            o.is_any() || allows_by_name(other_schema, o, schema.ty(s).name(), schema.ty(t).name())
        })
    };
    rel.explicit_pairs()
        .unwrap_or(&[])
        .iter()
        .filter(|p| !kept(p.source, p.target))
        .map(|p| Triple::new(schema, rel, p.source, p.target))
        .collect()
}

/// The change of relationship `o` to `n` from explicit pairs to any pair or back, if any;
/// for "no longer any", every pair of old types that `n` does not allow.
fn any_change(
    old: &Schema,
    new: &Schema,
    o: &RelationshipDef,
    n: &RelationshipDef,
) -> Option<AnyChange> {
    let (now_any, explicit_pairs, removed) = match (o.explicit_pairs(), n.explicit_pairs()) {
        (Some(op), None) => (true, op.len(), Vec::new()),
        (None, Some(np)) => {
            let ids = old.type_ids();
            let removed = ids
                .clone()
                .flat_map(|s| ids.clone().map(move |t| (s, t)))
                .filter(|&(s, t)| !allows_by_name(new, n, old.ty(s).name(), old.ty(t).name()))
                .map(|(s, t)| Triple::new(old, o, s, t))
                .collect();
            (false, np.len(), removed)
        }
        _ => return None,
    };
    Some(AnyChange {
        name: o.name().to_owned(),
        method: o.method().to_owned(),
        now_any,
        explicit_pairs,
        removed,
    })
}

impl SchemaDiff {
    /// Compares `old` with `new`, by type and relationship names.
    pub fn between(old: &Schema, new: &Schema) -> SchemaDiff {
        let (old_types, new_types) = namesakes(old.types(), new.types(), TypeDef::name);
        let (old_rels, new_rels) = namesakes(
            old.relationships(),
            new.relationships(),
            RelationshipDef::name,
        );
        let (old_rev, new_rev) = namesakes(old.reverse_only(), new.reverse_only(), String::as_str);
        let rel_renames = |spelling| renames(&old_rels, RelationshipDef::name, spelling);
        let mut d = SchemaDiff {
            old: summary(old),
            new: summary(new),
            added_types: unmatched(&new_types, type_entry),
            removed_types: unmatched(&old_types, type_entry),
            renamed_type_markers: renames(&old_types, TypeDef::name, TypeDef::marker),
            added_relationships: unmatched(&new_rels, rel_entry),
            removed_relationships: unmatched(&old_rels, rel_entry),
            renamed_relationship_markers: rel_renames(RelationshipDef::marker),
            renamed_methods: rel_renames(RelationshipDef::method),
            changed_reverse_names: rel_renames(RelationshipDef::reverse),
            added_reverse_only: unmatched(&new_rev, String::clone),
            removed_reverse_only: unmatched(&old_rev, String::clone),
            any_changes: old_rels
                .iter()
                .filter_map(|&(o, n)| any_change(old, new, o, n?))
                .collect(),
            added_triples: new_rels
                .iter()
                .flat_map(|&(n, o)| lost_triples(new, n, old, o))
                .collect(),
            removed_triples: old_rels
                .iter()
                .flat_map(|&(o, n)| lost_triples(old, o, new, n))
                .collect(),
            breaking: Vec::new(),
        };
        d.breaking = d.breakages(new);
        d
    }

    /// What stops compiling, most sweeping first. A removed triple breaks its constructor
    /// only when its types and relationship survive (else the removal breaks it already).
    fn breakages(&self, new: &Schema) -> Vec<Breakage> {
        let survives = |t: &&Triple| {
            new.rel_id(&t.relationship).is_some()
                && new.type_id(&t.source).is_some()
                && new.type_id(&t.target).is_some()
        };
        let mut out: Vec<Breakage> = (self.removed_types.iter())
            .map(|t| Breakage::TypeRemoved {
                name: t.name.clone(),
                marker: t.marker.clone(),
            })
            .collect();
        let types = self.renamed_type_markers.iter().cloned();
        out.extend(types.map(Breakage::TypeMarkerRenamed));
        out.extend(
            self.removed_relationships
                .iter()
                .map(|r| Breakage::RelationshipRemoved {
                    name: r.name.clone(),
                    method: r.method.clone(),
                    marker: r.marker.clone(),
                }),
        );
        let markers = self.renamed_relationship_markers.iter().cloned();
        out.extend(markers.map(Breakage::RelationshipMarkerRenamed));
        let methods = self.renamed_methods.iter().cloned();
        out.extend(methods.map(Breakage::MethodRenamed));
        out.extend(
            self.any_changes
                .iter()
                .filter(|c| !c.now_any)
                .map(|c| Breakage::NoLongerAny {
                    name: c.name.clone(),
                    method: c.method.clone(),
                    now_explicit: c.explicit_pairs,
                    removed: c.removed.len(),
                }),
        );
        let survivors = self.removed_triples.iter().filter(survives);
        out.extend(survivors.cloned().map(Breakage::TripleRemoved));
        out
    }

    /// Whether the two schemas agree on everything compared (types, markers, names, methods,
    /// reverse names, reverse-only names and allowed pairs).
    pub fn is_empty(&self) -> bool {
        let unchanged = SchemaDiff {
            old: self.old.clone(),
            new: self.new.clone(),
            ..SchemaDiff::default()
        };
        *self == unchanged
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

/// `n word`, with an `s` unless `n` is 1.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
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

/// The section `TITLE: N` of `lines`, skipped when there are none.
fn counted_section(f: &mut fmt::Formatter<'_>, title: &str, lines: &[String]) -> fmt::Result {
    section(f, &format!("{title}: {}", lines.len()), lines)
}

/// The section `TITLE: N added, M removed`: a `+ label  detail` row for each added item,
/// then a `- label  detail` row for each removed one, the details aligned (a row without
/// detail is `+ label`); skipped when both lists are empty.
fn added_removed_section<T>(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    added: &[T],
    removed: &[T],
    row: impl Fn(&T) -> (String, String),
) -> fmt::Result {
    let signed = |sign: char, items: &[T]| items.iter().map(|t| (sign, row(t))).collect::<Vec<_>>();
    let rows = [signed('+', added), signed('-', removed)].concat();
    let width = rows
        .iter()
        .map(|(_, (l, _))| l.chars().count())
        .max()
        .unwrap_or(0);
    let lines: Vec<String> = rows
        .iter()
        .map(|(sign, (l, c))| match c.as_str() {
            "" => format!("{sign} {l}"),
            c => format!("{sign} {l:<width$}  {c}"),
        })
        .collect();
    let head = format!("{title}: {} added, {} removed", added.len(), removed.len());
    section(f, &head, &lines)
}

/// `~ OWNERNAME: WHAT `old` -> `new`` lines.
fn rename_lines(owner: &str, what: &str, renames: &[Rename]) -> Vec<String> {
    renames
        .iter()
        .map(|r| format!("~ {owner}{}: {what} `{}` -> `{}`", r.name, r.old, r.new))
        .collect()
}

impl fmt::Display for SchemaDiff {
    /// A deterministic report: a header naming both schemas, one section per kind of change
    /// (omitted when empty), each line starting with `+` (added), `-` (removed) or `~`
    /// (changed), and a closing verdict.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (sign, s) in [("---", &self.old), ("+++", &self.new)] {
            let types = plural(s.types, "type");
            let rels = plural(s.relationships, "relationship name");
            let triples = plural(s.triples, "explicit triple");
            let source = s.source.as_ref().map(|p| format!(" ({p})"));
            let (name, source) = (&s.name, source.unwrap_or_default());
            writeln!(f, "{sign} `{name}`{source}: {types}, {rels}, {triples}")?;
        }
        if self.is_empty() {
            writeln!(f)?;
            return writeln!(
                f,
                "No differences: same types, names, reverse names and allowed pairs."
            );
        }
        added_removed_section(f, "Types", &self.added_types, &self.removed_types, |t| {
            (t.name.clone(), format!("marker `{}`", t.marker))
        })?;
        added_removed_section(
            f,
            "Relationship names",
            &self.added_relationships,
            &self.removed_relationships,
            |r| {
                let pairs = match r.any {
                    true => "any pair".to_owned(),
                    false => plural(r.pairs, "pair"),
                };
                let detail = format!(
                    "reverse `{}`, marker `{}`, method `{}`, {pairs}",
                    r.reverse, r.marker, r.method
                );
                (r.name.clone(), detail)
            },
        )?;
        let rel_markers = &self.renamed_relationship_markers;
        let rust_names = [
            rename_lines("type ", "marker", &self.renamed_type_markers),
            rename_lines("relationship ", "marker", rel_markers),
            rename_lines("relationship ", "method", &self.renamed_methods),
        ]
        .concat();
        counted_section(f, "Rust names changed", &rust_names)?;
        let reverse = rename_lines("", "reverse", &self.changed_reverse_names);
        counted_section(f, "Reverse names changed", &reverse)?;
        added_removed_section(
            f,
            "Reverse-only names",
            &self.added_reverse_only,
            &self.removed_reverse_only,
            |n| (n.clone(), String::new()),
        )?;
        any_changes_section(f, &self.any_changes)?;
        added_removed_section(
            f,
            "Triples",
            &self.added_triples,
            &self.removed_triples,
            |t| (t.xsoar(), t.call()),
        )?;
        let n = self.breaking.len();
        let lines: Vec<String> = self.breaking.iter().map(|b| format!("- {b}")).collect();
        counted_section(f, "Typed code that stops compiling", &lines)?;
        writeln!(f)?;
        match n {
            0 => writeln!(f, "Not breaking: everything that compiled still compiles."),
            1 => writeln!(f, "Breaking: 1 item of typed code stops compiling."),
            _ => writeln!(f, "Breaking: {n} items of typed code stop compiling."),
        }
    }
}

/// The section of the relationships that became, or stopped being, any-to-any.
fn any_changes_section(f: &mut fmt::Formatter<'_>, changes: &[AnyChange]) -> fmt::Result {
    let now = changes.iter().filter(|c| c.now_any).count();
    let lines: Vec<String> = changes
        .iter()
        .map(|c| {
            let pairs = plural(c.explicit_pairs, "explicit pair");
            if c.now_any {
                format!("+ {}: now any pair (was {pairs})", c.name)
            } else {
                let lost = c.removed.len();
                format!(
                    "- {}: no longer any pair: now {pairs}, {lost} no longer allowed",
                    c.name
                )
            }
        })
        .collect();
    let no_longer = changes.len() - now;
    let head = format!("Any-pair relationships: {now} now any, {no_longer} no longer any");
    section(f, &head, &lines)
}
