//! A schema as static tables: what a build script generates so that a program gets its
//! schema without parsing JSON at run time.
//!
//! `relationship-core`'s build script writes the default schema as one [`SchemaTables`]
//! constant (with `relationship_codegen::tables`); [`SchemaTables::to_schema`] turns it into
//! a [`Schema`] through the [`SchemaBuilder`], so the tables get the same checks as any
//! other schema.
//!
//! ```
//! use relationship_schema::Tier;
//! use relationship_schema::tables::{PairRows, RelationshipRow, SchemaTables, TypeRow};
//!
//! static MINI: SchemaTables = SchemaTables {
//!     name: "mini",
//!     source: "mini.json",
//!     types: &[
//!         TypeRow { name: "Host", marker: "Host", doc: "" },
//!         TypeRow { name: "IP", marker: "Ip", doc: "" },
//!     ],
//!     groups: &[],
//!     relationships: &[RelationshipRow {
//!         name: "uses",
//!         reverse: "uses",
//!         marker: "Uses",
//!         method: "uses",
//!         doc: "",
//!         pairs: PairRows::Only(&[(0, 1, Tier::Core)]),
//!     }],
//!     reverse_only: &[],
//! };
//! let schema = MINI.to_schema().unwrap();
//! assert_eq!(schema.triple_count(), 1);
//! ```

use crate::model::{ModelError, Schema, SchemaBuilder, Tier, TypeId};

/// A whole schema as static data.
#[derive(Debug, Clone, Copy)]
pub struct SchemaTables {
    /// The schema's name.
    pub name: &'static str,
    /// The file it was generated from, as it should appear in messages.
    pub source: &'static str,
    /// Indicator types, in declaration order.
    pub types: &'static [TypeRow],
    /// Named groups, in declaration order.
    pub groups: &'static [GroupRow],
    /// Relationship names, in declaration order.
    pub relationships: &'static [RelationshipRow],
    /// Reverse-only names.
    pub reverse_only: &'static [&'static str],
}

/// One indicator type.
#[derive(Debug, Clone, Copy)]
pub struct TypeRow {
    /// XSOAR's type string.
    pub name: &'static str,
    /// The Rust marker type name.
    pub marker: &'static str,
    /// Free text, empty when none.
    pub doc: &'static str,
}

/// One named group: member types by index into [`SchemaTables::types`].
#[derive(Debug, Clone, Copy)]
pub struct GroupRow {
    /// The group's name.
    pub name: &'static str,
    /// Member type indexes.
    pub members: &'static [u16],
}

/// One relationship name.
#[derive(Debug, Clone, Copy)]
pub struct RelationshipRow {
    /// XSOAR's name.
    pub name: &'static str,
    /// XSOAR's reverse name, verbatim.
    pub reverse: &'static str,
    /// The Rust marker type name.
    pub marker: &'static str,
    /// The typed constructor's method name.
    pub method: &'static str,
    /// Free text, empty when none.
    pub doc: &'static str,
    /// The allowed pairs.
    pub pairs: PairRows,
}

/// The allowed pairs of a [`RelationshipRow`].
#[derive(Debug, Clone, Copy)]
pub enum PairRows {
    /// Any type to any type.
    Any,
    /// `(source index, target index, tier)` triples.
    Only(&'static [(u16, u16, Tier)]),
}

impl SchemaTables {
    /// Builds the [`Schema`] these tables describe, with the builder's checks.
    pub fn to_schema(&self) -> Result<Schema, ModelError> {
        let mut b = SchemaBuilder::new(self.name);
        b.source(self.source);
        for t in self.types {
            b.add_type_with(t.name, t.marker, t.doc);
        }
        for g in self.groups {
            b.add_group(g.name, g.members.iter().map(|&i| TypeId(i)));
        }
        for r in self.relationships {
            let id = b.add_relationship_with(r.name, r.reverse, r.marker, r.method, r.doc);
            match r.pairs {
                PairRows::Any => {
                    b.allow_any(id);
                }
                PairRows::Only(pairs) => {
                    for &(s, t, tier) in pairs {
                        b.allow(id, TypeId(s), TypeId(t), tier);
                    }
                }
            }
        }
        for n in self.reverse_only {
            b.add_reverse_only(*n);
        }
        b.build()
    }
}
