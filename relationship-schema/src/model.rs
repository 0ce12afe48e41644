//! The validated schema model. A [`Schema`] is made only by the parser
//! (`relationship_schema_parse::parse_str` and `load`) or by a [`SchemaBuilder`]; its fields
//! are private, so nothing downstream checks again what building proved: every cross
//! product, derivation (swap/copy) and same-type rule is expanded into explicit [`Pair`]s,
//! sorted by `(source, target)`, so queries are binary searches.
//!
//! ```
//! use relationship_schema::{SchemaBuilder, Tier};
//!
//! let mut b = SchemaBuilder::new("mini");
//! let host = b.add_type("Host");
//! let ip = b.add_type("IP");
//! let uses = b.add_relationship("uses", "used-by");
//! let used_by = b.add_relationship("used-by", "uses");
//! b.allow(uses, host, ip, Tier::Core).allow(used_by, ip, host, Tier::Core);
//! let schema = b.build().unwrap();
//! assert!(schema.allows(uses, host, ip));
//! assert!(!schema.allows(uses, ip, host));
//! assert_eq!(schema.ty(ip).marker(), "Ip");
//! ```

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::limits::{MAX_RELATIONSHIPS, MAX_TRIPLES, MAX_TYPES, MAX_TYPES_TIMES_RELATIONSHIPS};
use crate::naming;

/// Methods that borrow a field of the same name, each written as `field: Type;` with its
/// doc comment.
macro_rules! getters {
    ($($(#[$doc:meta])* $field:ident: $ty:ty;)*) => {
        $($(#[$doc])* pub fn $field(&self) -> &$ty {
            &self.$field
        })*
    };
}

/// Index of an indicator type inside [`Schema::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub(crate) u16);

impl TypeId {
    /// The position of the type in [`Schema::types`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// Index of a relationship name inside [`Schema::relationships`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelId(pub(crate) u16);

impl RelId {
    /// The position of the relationship in [`Schema::relationships`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// How well-founded an allowed pair is (the tiers of the default schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Tier {
    /// Translated from STIX 2.1 or ATT&CK (or derived from such a rule).
    #[default]
    Core,
    /// A judgement rule for observables and XSOAR-only names.
    Extended,
}

impl Tier {
    /// The spelling used in schema files: `core` or `extended`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Core => "core",
            Tier::Extended => "extended",
        }
    }
}

/// An XSOAR indicator type, e.g. `Attack Pattern`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDef {
    name: String,
    marker: String,
    doc: String,
}

impl TypeDef {
    getters! {
        /// XSOAR's exact type string (`Attack Pattern`, `X509 Certificate`, `ssdeep`).
        name: str;
        /// The Rust marker type name (`AttackPattern`, `X509Certificate`, `Ssdeep`).
        marker: str;
        /// Free text from the schema, empty when none was given.
        doc: str;
    }
}

/// A named group of types, e.g. `observables`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    name: String,
    members: Vec<TypeId>,
}

impl Group {
    getters! {
        /// The group's name as written in the schema (without `@`).
        name: str;
        /// Member types, in declaration order, without duplicates.
        members: [TypeId];
    }
}

/// One allowed `(source, target)` pair of a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pair {
    /// Entity A's type.
    pub source: TypeId,
    /// Entity B's type.
    pub target: TypeId,
    /// The strongest tier among the rules that allow this pair.
    pub tier: Tier,
}

/// Which `(source, target)` pairs a relationship allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pairs {
    /// Any type to any type (`related-to`, `is-also`).
    Any,
    /// Exactly these pairs, sorted by `(source, target)`, no duplicates.
    Only(Vec<Pair>),
}

/// A relationship name with its XSOAR reverse name and its allowed pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipDef {
    name: String,
    reverse: String,
    marker: String,
    method: String,
    doc: String,
    pairs: Pairs,
}

impl RelationshipDef {
    getters! {
        /// XSOAR's name, e.g. `subtechnique-of`.
        name: str;
        /// XSOAR's reverse name, verbatim (`embeds` → `embedded-on`).
        reverse: str;
        /// The Rust marker type name (`SubtechniqueOf`).
        marker: str;
        /// The typed constructor's method name (`subtechnique_of`).
        method: str;
        /// Free text from the schema, empty when none was given.
        doc: str;
        /// The allowed pairs.
        pairs: Pairs;
    }

    /// Whether the relationship allows any type to any type.
    pub fn is_any(&self) -> bool {
        matches!(self.pairs, Pairs::Any)
    }

    /// Whether `source --name--> target` is allowed.
    pub fn allows(&self, source: TypeId, target: TypeId) -> bool {
        match &self.pairs {
            Pairs::Any => true,
            Pairs::Only(pairs) => pairs
                .binary_search_by(|p| (p.source, p.target).cmp(&(source, target)))
                .is_ok(),
        }
    }

    /// The explicit pairs, or `None` for an any-to-any relationship.
    pub fn explicit_pairs(&self) -> Option<&[Pair]> {
        match &self.pairs {
            Pairs::Any => None,
            Pairs::Only(p) => Some(p),
        }
    }
}

/// A parsed, validated and fully expanded relationship schema.
///
/// Made by the parser or by [`SchemaBuilder::build`]; ids ([`TypeId`], [`RelId`]) handed
/// out by one schema index only that schema: [`Schema::ty`] and [`Schema::rel`] panic on an
/// id from a larger schema.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    name: String,
    source: Option<PathBuf>,
    types: Vec<TypeDef>,
    groups: Vec<Group>,
    relationships: Vec<RelationshipDef>,
    reverse_only: Vec<String>,
}

impl Schema {
    getters! {
        /// The schema's `name` (e.g. `xsoar`).
        name: str;
        /// Indicator types, in declaration order.
        types: [TypeDef];
        /// Named groups, in declaration order.
        groups: [Group];
        /// Relationship names, in declaration order (for XSOAR: the order of
        /// `RELATIONSHIPS_NAMES`).
        relationships: [RelationshipDef];
        /// Names that may appear as a reverse name but are not relationship names
        /// (`embedded-on`).
        reverse_only: [String];
    }

    /// The file it was read from, if any (used in messages).
    pub fn source(&self) -> Option<&Path> {
        self.source.as_deref()
    }

    /// Every type id, in declaration order.
    pub fn type_ids(&self) -> impl ExactSizeIterator<Item = TypeId> + Clone + use<> {
        (0..self.types.len() as u16).map(TypeId)
    }

    /// Every relationship id, in declaration order.
    pub fn rel_ids(&self) -> impl ExactSizeIterator<Item = RelId> + Clone + use<> {
        (0..self.relationships.len() as u16).map(RelId)
    }

    /// Looks up a type by its exact, case-sensitive XSOAR name.
    pub fn type_id(&self, name: &str) -> Option<TypeId> {
        self.types
            .iter()
            .position(|t| t.name == name)
            .map(|i| TypeId(i as u16))
    }

    /// Looks up a relationship by its exact, case-sensitive name.
    pub fn rel_id(&self, name: &str) -> Option<RelId> {
        self.relationships
            .iter()
            .position(|r| r.name == name)
            .map(|i| RelId(i as u16))
    }

    /// The type behind an id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.index()]
    }

    /// The relationship behind an id.
    pub fn rel(&self, id: RelId) -> &RelationshipDef {
        &self.relationships[id.index()]
    }

    /// The relationship named `name`, if any.
    pub fn relationship(&self, name: &str) -> Option<&RelationshipDef> {
        self.rel_id(name).map(|id| self.rel(id))
    }

    /// The reverse name of a relationship name, if the schema knows the name.
    pub fn reverse_of(&self, name: &str) -> Option<&str> {
        self.relationship(name).map(RelationshipDef::reverse)
    }

    /// Whether `source --rel--> target` is allowed.
    pub fn allows(&self, rel: RelId, source: TypeId, target: TypeId) -> bool {
        self.rel(rel).allows(source, target)
    }

    /// The target types that `source` may have for `rel`, in type order.
    pub fn targets_for(&self, rel: RelId, source: TypeId) -> Vec<TypeId> {
        self.peers(rel, |p| (p.source == source).then_some(p.target))
    }

    /// The source types that may have `target` for `rel`, in type order.
    pub fn sources_for(&self, rel: RelId, target: TypeId) -> Vec<TypeId> {
        self.peers(rel, |p| (p.target == target).then_some(p.source))
    }

    /// Every type for an any-to-any `rel`, else what `peer` picks from its pairs.
    fn peers(&self, rel: RelId, peer: impl Fn(&Pair) -> Option<TypeId>) -> Vec<TypeId> {
        match &self.rel(rel).pairs {
            Pairs::Any => self.type_ids().collect(),
            Pairs::Only(pairs) => pairs.iter().filter_map(peer).collect(),
        }
    }

    /// The relationships allowed from `source` to `target`, explicit ones first (schema
    /// order), then the any-to-any ones.
    pub fn relationships_between(&self, source: TypeId, target: TypeId) -> Vec<RelId> {
        let (any, explicit): (Vec<_>, Vec<_>) = self
            .rel_ids()
            .filter(|&id| self.allows(id, source, target))
            .partition(|&id| self.rel(id).is_any());
        [explicit, any].concat()
    }

    /// Every explicit triple `(relationship, source, target)`, relationship by relationship.
    pub fn triples(&self) -> impl Iterator<Item = (RelId, Pair)> + '_ {
        self.relationships.iter().enumerate().flat_map(|(i, r)| {
            r.explicit_pairs()
                .unwrap_or(&[])
                .iter()
                .map(move |p| (RelId(i as u16), *p))
        })
    }

    /// The number of explicit triples (any-to-any relationships are not counted).
    pub fn triple_count(&self) -> usize {
        self.triples().count()
    }

    /// Up to three type names closest to `name` (for "did you mean" messages).
    pub fn suggest_types(&self, name: &str) -> Vec<&str> {
        crate::suggest::nearest(name, self.types.iter().map(|t| t.name.as_str()))
    }

    /// Up to three relationship names closest to `name`.
    pub fn suggest_relationships(&self, name: &str) -> Vec<&str> {
        crate::suggest::nearest(name, self.relationships.iter().map(|r| r.name.as_str()))
    }
}

crate::error_enum::error_enum! {
/// Why a [`SchemaBuilder`] could not make a [`Schema`]: each variant names the offending
/// name or id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelError {
    /// More types, relationships or triples than [`limits`](crate::limits) allows.
    TooMany(what: &'static str, max: usize) => "too many {what}: at most {max} are supported";
    /// A name is empty.
    EmptyName(what: &'static str) => "a {what} name is empty";
    /// Two types, groups, relationships or reverse-only names share a name.
    Duplicate { what: &'static str, name: String } => "duplicate {what} `{name}`";
    /// A marker or method (`what`) of the type or relationship `name` is not a usable Rust
    /// identifier.
    InvalidIdentifier {
        what: &'static str,
        ident: String,
        name: String,
        reason: &'static str,
    } => "the {what} `{ident}` of `{name}` cannot be used: {reason}";
    /// Two types or two relationships would get the same marker or method; `other` is the
    /// first name.
    IdentCollision {
        what: &'static str,
        ident: String,
        name: String,
        other: String,
    } => "`{name}` and `{other}` both have the {what} `{ident}`";
    /// A reverse name that is neither a relationship name nor a reverse-only name.
    UnknownReverse { name: String, reverse: String }
        => "the reverse name `{reverse}` of `{name}` is not a relationship or reverse-only name";
    /// A reverse-only name that is also a relationship name.
    ReverseOnlyIsRelationship(name: String)
        => "`{name}` is both a relationship name and a reverse-only name";
    /// An id that this builder did not hand out, in a member of a group or a pair of a
    /// relationship (`owner`).
    UnknownTypeId {
        what: &'static str,
        owner: String,
        index: usize,
    } => "{what} of `{owner}` refers to an unknown type id {index}";
}
}

impl std::error::Error for ModelError {}

/// Builds a [`Schema`] programmatically: adds types, groups, relationships and allowed
/// pairs in any order; [`SchemaBuilder::build`] sorts the pairs, removes duplicates (keeping
/// the strongest tier) and checks names, Rust identifiers and ids.
///
/// Markers and methods default to the names derived by [`crate::naming`]; set them with
/// [`SchemaBuilder::add_type_with`] and [`SchemaBuilder::add_relationship_with`].
#[derive(Debug, Clone, Default)]
pub struct SchemaBuilder {
    schema: Schema,
    too_many: Option<(&'static str, usize)>,
}

impl SchemaBuilder {
    /// An empty schema named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        let mut builder = SchemaBuilder::default();
        builder.schema.name = name.into();
        builder
    }

    /// Records the file the schema was read from (used in messages).
    pub fn source(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.schema.source = Some(path.into());
        self
    }

    /// Adds a type with the derived marker (`IPv6CIDR` → `Ipv6Cidr`) and no doc.
    pub fn add_type(&mut self, name: impl Into<String>) -> TypeId {
        let name = name.into();
        let marker = naming::type_marker(&name);
        self.add_type_with(name, marker, "")
    }

    /// Adds a type with an explicit marker and doc text.
    pub fn add_type_with(
        &mut self,
        name: impl Into<String>,
        marker: impl Into<String>,
        doc: impl Into<String>,
    ) -> TypeId {
        let Some(id) = next_id(self.schema.types.len(), MAX_TYPES) else {
            self.too_many = Some(("types", MAX_TYPES));
            return TypeId(u16::MAX);
        };
        self.schema.types.push(TypeDef {
            name: name.into(),
            marker: marker.into(),
            doc: doc.into(),
        });
        TypeId(id)
    }

    /// Adds a named group; duplicate members are dropped, first occurrence kept.
    pub fn add_group(
        &mut self,
        name: impl Into<String>,
        members: impl IntoIterator<Item = TypeId>,
    ) -> &mut Self {
        let mut seen = HashSet::new();
        let members = members.into_iter().filter(|m| seen.insert(*m)).collect();
        self.schema.groups.push(Group {
            name: name.into(),
            members,
        });
        self
    }

    /// Adds a relationship with the derived marker and method (`sub-domain-of` →
    /// `SubDomainOf`, `sub_domain_of`), no doc and no pairs yet.
    pub fn add_relationship(
        &mut self,
        name: impl Into<String>,
        reverse: impl Into<String>,
    ) -> RelId {
        let name = name.into();
        let marker = naming::relationship_marker(&name);
        let method = naming::relationship_method(&name);
        self.add_relationship_with(name, reverse, marker, method, "")
    }

    /// Adds a relationship with an explicit marker, method and doc text, and no pairs yet.
    pub fn add_relationship_with(
        &mut self,
        name: impl Into<String>,
        reverse: impl Into<String>,
        marker: impl Into<String>,
        method: impl Into<String>,
        doc: impl Into<String>,
    ) -> RelId {
        let Some(id) = next_id(self.schema.relationships.len(), MAX_RELATIONSHIPS) else {
            self.too_many = Some(("relationships", MAX_RELATIONSHIPS));
            return RelId(u16::MAX);
        };
        self.schema.relationships.push(RelationshipDef {
            name: name.into(),
            reverse: reverse.into(),
            marker: marker.into(),
            method: method.into(),
            doc: doc.into(),
            pairs: Pairs::Only(Vec::new()),
        });
        RelId(id)
    }

    /// Allows `source --rel--> target`. Allowing a pair twice keeps the strongest tier; on
    /// an any-to-any relationship this changes nothing.
    pub fn allow(&mut self, rel: RelId, source: TypeId, target: TypeId, tier: Tier) -> &mut Self {
        if let Some(Pairs::Only(pairs)) = self.pairs_mut(rel) {
            pairs.push(Pair {
                source,
                target,
                tier,
            });
        }
        self
    }

    /// Makes `rel` allow any type to any type (explicit pairs are dropped).
    pub fn allow_any(&mut self, rel: RelId) -> &mut Self {
        if let Some(pairs) = self.pairs_mut(rel) {
            *pairs = Pairs::Any;
        }
        self
    }

    fn pairs_mut(&mut self, rel: RelId) -> Option<&mut Pairs> {
        let r = self.schema.relationships.get_mut(rel.index());
        r.map(|r| &mut r.pairs)
    }

    /// Declares a name that may be used as a reverse name only (`embedded-on`).
    pub fn add_reverse_only(&mut self, name: impl Into<String>) -> &mut Self {
        self.schema.reverse_only.push(name.into());
        self
    }

    /// Sorts and de-duplicates the pairs and checks the schema's invariants.
    pub fn build(self) -> Result<Schema, ModelError> {
        if let Some((what, max)) = self.too_many {
            return Err(ModelError::TooMany(what, max));
        }
        let mut s = self.schema;
        if s.types.len().saturating_mul(s.relationships.len()) > MAX_TYPES_TIMES_RELATIONSHIPS {
            let what = "types times relationship names";
            return Err(ModelError::TooMany(what, MAX_TYPES_TIMES_RELATIONSHIPS));
        }
        s.check_types()?;
        s.check_groups()?;
        s.check_relationships()?;
        let type_count = s.types.len();
        for r in &mut s.relationships {
            if let Pairs::Only(pairs) = &mut r.pairs {
                let ids = pairs.iter().flat_map(|p| [p.source, p.target]);
                known_ids("a pair", &r.name, ids, type_count)?;
                // Sorting by tier last puts the strongest (`Core`) first among equal pairs.
                pairs.sort_unstable();
                pairs.dedup_by_key(|p| (p.source, p.target));
            }
        }
        if s.triple_count() > MAX_TRIPLES {
            return Err(ModelError::TooMany("triples", MAX_TRIPLES));
        }
        Ok(s)
    }
}

/// The checks of [`SchemaBuilder::build`].
impl Schema {
    fn check_types(&self) -> Result<(), ModelError> {
        let mut names = HashSet::new();
        let mut markers = HashMap::new();
        for t in &self.types {
            unique_name("type", &t.name, &mut names)?;
            let marker = (t.marker.as_str(), naming::check_marker as IdentCheck);
            unique_ident("marker", marker, &t.name, &mut markers)?;
        }
        Ok(())
    }

    fn check_groups(&self) -> Result<(), ModelError> {
        let mut names = HashSet::new();
        for g in &self.groups {
            unique_name("group", &g.name, &mut names)?;
            let members = g.members.iter().copied();
            known_ids("a member", &g.name, members, self.types.len())?;
        }
        Ok(())
    }

    fn check_relationships(&self) -> Result<(), ModelError> {
        let mut names = HashSet::new();
        let (mut markers, mut methods) = (HashMap::new(), HashMap::new());
        for r in &self.relationships {
            unique_name("relationship", &r.name, &mut names)?;
            let marker = (r.marker.as_str(), naming::check_marker as IdentCheck);
            unique_ident("marker", marker, &r.name, &mut markers)?;
            let method = (r.method.as_str(), naming::check_method as IdentCheck);
            unique_ident("method", method, &r.name, &mut methods)?;
        }
        let mut reverse_only = HashSet::new();
        for n in &self.reverse_only {
            unique_name("reverse-only name", n, &mut reverse_only)?;
            if names.contains(n.as_str()) {
                return Err(ModelError::ReverseOnlyIsRelationship(n.clone()));
            }
        }
        for r in &self.relationships {
            let reverse = r.reverse.as_str();
            if !names.contains(reverse) && !reverse_only.contains(reverse) {
                return Err(ModelError::UnknownReverse {
                    name: r.name.clone(),
                    reverse: r.reverse.clone(),
                });
            }
        }
        Ok(())
    }
}

/// An error for the first id of `ids` that is not below `type_count`.
fn known_ids(
    what: &'static str,
    owner: &str,
    mut ids: impl Iterator<Item = TypeId>,
    type_count: usize,
) -> Result<(), ModelError> {
    match ids.find(|id| id.index() >= type_count) {
        Some(bad) => Err(ModelError::UnknownTypeId {
            what,
            owner: owner.to_string(),
            index: bad.index(),
        }),
        None => Ok(()),
    }
}

/// The id of the entry after `len` others, when there may be more than `len`.
fn next_id(len: usize, max: usize) -> Option<u16> {
    u16::try_from(len).ok().filter(|_| len < max)
}

fn unique_name<'a>(
    what: &'static str,
    name: &'a str,
    seen: &mut HashSet<&'a str>,
) -> Result<(), ModelError> {
    if name.is_empty() {
        return Err(ModelError::EmptyName(what));
    }
    if !seen.insert(name) {
        return Err(ModelError::Duplicate {
            what,
            name: name.to_string(),
        });
    }
    Ok(())
}

type IdentCheck = fn(&str) -> Result<(), naming::IdentProblem>;

fn unique_ident<'a>(
    what: &'static str,
    (ident, check): (&'a str, IdentCheck),
    owner: &'a str,
    seen: &mut HashMap<&'a str, &'a str>,
) -> Result<(), ModelError> {
    check(ident).map_err(|problem| ModelError::InvalidIdentifier {
        what,
        ident: ident.to_string(),
        name: owner.to_string(),
        reason: problem.describe(),
    })?;
    if let Some(other) = seen.insert(ident, owner) {
        return Err(ModelError::IdentCollision {
            what,
            ident: ident.to_string(),
            name: owner.to_string(),
            other: other.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mini() -> (SchemaBuilder, TypeId, TypeId, RelId) {
        let mut b = SchemaBuilder::new("mini");
        let host = b.add_type("Host");
        let ip = b.add_type("IP");
        let uses = b.add_relationship("uses", "uses");
        (b, host, ip, uses)
    }

    #[test]
    fn build_sorts_and_keeps_the_strongest_tier() {
        let (mut b, host, ip, uses) = mini();
        b.allow(uses, ip, host, Tier::Extended)
            .allow(uses, host, ip, Tier::Extended)
            .allow(uses, host, ip, Tier::Core)
            .allow(uses, ip, host, Tier::Extended);
        let s = b.build().unwrap();
        let pairs = s.rel(uses).explicit_pairs().unwrap();
        assert_eq!(
            pairs,
            [
                Pair {
                    source: host,
                    target: ip,
                    tier: Tier::Core
                },
                Pair {
                    source: ip,
                    target: host,
                    tier: Tier::Extended
                },
            ]
        );
        assert_eq!(s.triple_count(), 2);
    }

    #[test]
    fn build_rejects_duplicates_unknown_reverse_and_foreign_ids() {
        let (mut b, _, _, _) = mini();
        b.add_type("Host");
        assert_eq!(
            b.build().unwrap_err(),
            ModelError::Duplicate {
                what: "type",
                name: "Host".into()
            }
        );

        let (mut b, _, _, _) = mini();
        b.add_relationship("has", "had-by");
        assert!(matches!(
            b.build().unwrap_err(),
            ModelError::UnknownReverse { .. }
        ));

        let (mut b, host, _, uses) = mini();
        let mut other = SchemaBuilder::new("other");
        let foreign = (0..5).map(|i| other.add_type(format!("T{i}"))).last();
        b.allow(uses, host, foreign.unwrap(), Tier::Core);
        assert!(matches!(
            b.build().unwrap_err(),
            ModelError::UnknownTypeId { index: 4, .. }
        ));
    }

    #[test]
    fn build_rejects_bad_and_colliding_identifiers() {
        let mut b = SchemaBuilder::new("x");
        b.add_type("IP");
        b.add_type("Ip");
        assert!(matches!(
            b.build().unwrap_err(),
            ModelError::IdentCollision { what: "marker", .. }
        ));
        let mut b = SchemaBuilder::new("x");
        b.add_type_with("Host", "host", "");
        assert!(matches!(
            b.build().unwrap_err(),
            ModelError::InvalidIdentifier { .. }
        ));
    }

    #[test]
    fn build_rejects_reserved_methods() {
        let mut b = SchemaBuilder::new("x");
        let clone = b.add_relationship("clone", "clone");
        b.allow_any(clone);
        let err = b.build().unwrap_err();
        assert!(
            matches!(&err, ModelError::InvalidIdentifier { what: "method", ident, .. } if ident == "clone"),
            "{err:?}"
        );
        assert!(err.to_string().contains("`Clone::clone`"), "{err}");
    }

    #[test]
    fn any_relationship_allows_everything() {
        let (mut b, host, ip, uses) = mini();
        b.allow(uses, host, ip, Tier::Core).allow_any(uses);
        let s = b.build().unwrap();
        assert!(s.rel(uses).is_any());
        assert!(s.allows(uses, ip, ip));
        assert_eq!(s.relationships_between(ip, host), vec![uses]);
    }
}
