//! The validated schema model shared by the code generator, the runtime checks and the CLI.
//!
//! A [`Schema`] is produced by [`crate::parse`] from a schema file. Every cross product,
//! derivation (swap/copy) and same-type rule has already been expanded into explicit
//! [`Pair`]s, sorted by `(source, target)`, so queries are binary searches.

use std::path::PathBuf;

/// Index of an indicator type inside [`Schema::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u16);

/// Index of a relationship name inside [`Schema::relationships`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelId(pub u16);

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
    /// XSOAR's exact type string (`Attack Pattern`, `X509 Certificate`, `ssdeep`).
    pub name: String,
    /// The Rust marker type name (`AttackPattern`, `X509Certificate`, `Ssdeep`).
    pub marker: String,
    /// Free text from the schema, empty when none was given.
    pub doc: String,
}

/// A named group of types, e.g. `observables`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's name as written in the schema.
    pub name: String,
    /// Member types, in declaration order, without duplicates.
    pub members: Vec<TypeId>,
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
    /// XSOAR's name, e.g. `subtechnique-of`.
    pub name: String,
    /// XSOAR's reverse name, verbatim (`embeds` → `embedded-on`).
    pub reverse: String,
    /// The Rust marker type name (`SubtechniqueOf`).
    pub marker: String,
    /// The typed constructor's method name (`subtechnique_of`).
    pub method: String,
    /// Free text from the schema, empty when none was given.
    pub doc: String,
    /// The allowed pairs.
    pub pairs: Pairs,
}

impl RelationshipDef {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// The schema's `name` (e.g. `xsoar`).
    pub name: String,
    /// The file it was read from, if any (used in messages).
    pub source: Option<PathBuf>,
    /// Indicator types, in declaration order.
    pub types: Vec<TypeDef>,
    /// Named groups, in declaration order.
    pub groups: Vec<Group>,
    /// Relationship names, in declaration order (for XSOAR: the order of `RELATIONSHIPS_NAMES`).
    pub relationships: Vec<RelationshipDef>,
    /// Names that may appear as a reverse name but are not relationship names (`embedded-on`).
    pub reverse_only: Vec<String>,
}

impl Schema {
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
        &self.types[id.0 as usize]
    }

    /// The relationship behind an id.
    pub fn rel(&self, id: RelId) -> &RelationshipDef {
        &self.relationships[id.0 as usize]
    }

    /// The relationship named `name`, if any.
    pub fn relationship(&self, name: &str) -> Option<&RelationshipDef> {
        self.rel_id(name).map(|id| self.rel(id))
    }

    /// The reverse name of a relationship name, if the schema knows the name.
    pub fn reverse_of(&self, name: &str) -> Option<&str> {
        self.relationship(name).map(|r| r.reverse.as_str())
    }

    /// Whether `name` is declared as a reverse-only name.
    pub fn is_reverse_only(&self, name: &str) -> bool {
        self.reverse_only.iter().any(|n| n == name)
    }

    /// Whether `source --rel--> target` is allowed.
    pub fn allows(&self, rel: RelId, source: TypeId, target: TypeId) -> bool {
        self.rel(rel).allows(source, target)
    }

    /// The target types that `source` may have for `rel`, in type order.
    pub fn targets_for(&self, rel: RelId, source: TypeId) -> Vec<TypeId> {
        match &self.rel(rel).pairs {
            Pairs::Any => (0..self.types.len()).map(|i| TypeId(i as u16)).collect(),
            Pairs::Only(pairs) => pairs
                .iter()
                .filter(|p| p.source == source)
                .map(|p| p.target)
                .collect(),
        }
    }

    /// The source types that may have `target` for `rel`, in type order.
    pub fn sources_for(&self, rel: RelId, target: TypeId) -> Vec<TypeId> {
        match &self.rel(rel).pairs {
            Pairs::Any => (0..self.types.len()).map(|i| TypeId(i as u16)).collect(),
            Pairs::Only(pairs) => pairs
                .iter()
                .filter(|p| p.target == target)
                .map(|p| p.source)
                .collect(),
        }
    }

    /// The relationships allowed from `source` to `target`, explicit ones first (schema
    /// order), then the any-to-any ones.
    pub fn relationships_between(&self, source: TypeId, target: TypeId) -> Vec<RelId> {
        let ids = (0..self.relationships.len()).map(|i| RelId(i as u16));
        let explicit = ids
            .clone()
            .filter(|&id| matches!(self.rel(id).pairs, Pairs::Only(_)))
            .filter(|&id| self.allows(id, source, target));
        let any = ids.filter(|&id| matches!(self.rel(id).pairs, Pairs::Any));
        explicit.chain(any).collect()
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
        self.relationships
            .iter()
            .map(|r| r.explicit_pairs().map_or(0, <[Pair]>::len))
            .sum()
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
