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

/// A whole schema as static data: the parts of a [`Schema`], in declaration order, and
/// `source`, the file it was generated from as messages name it.
#[derive(Debug, Clone, Copy)]
pub struct SchemaTables {
    pub name: &'static str,
    pub source: &'static str,
    pub types: &'static [TypeRow],
    pub groups: &'static [GroupRow],
    pub relationships: &'static [RelationshipRow],
    pub reverse_only: &'static [&'static str],
}

/// One indicator type: the fields of a [`TypeDef`](crate::TypeDef).
#[derive(Debug, Clone, Copy)]
pub struct TypeRow {
    pub name: &'static str,
    pub marker: &'static str,
    pub doc: &'static str,
}

/// One named group: its name and its member types by index into [`SchemaTables::types`].
#[derive(Debug, Clone, Copy)]
pub struct GroupRow {
    pub name: &'static str,
    pub members: &'static [u16],
}

/// One relationship name: the fields of a [`RelationshipDef`](crate::RelationshipDef).
#[derive(Debug, Clone, Copy)]
pub struct RelationshipRow {
    pub name: &'static str,
    pub reverse: &'static str,
    pub marker: &'static str,
    pub method: &'static str,
    pub doc: &'static str,
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
                PairRows::Any => _ = b.allow_any(id),
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
