//! Data and the plain baseline struct shared by the benches.

#![allow(dead_code)] // each bench uses part of it

use relationship_core::prelude::*;
use relationship_core::xsoar::types::{AttackPattern, CourseOfAction, IntrusionSet, Malware};
use relationship_core::{EntityRelationship, Fields};
use serde::Serialize;

/// The baseline: the same ten keys as a plain derived struct.
#[derive(Serialize)]
pub struct PlainRelationship {
    name: String,
    #[serde(rename = "reverseName")]
    reverse_name: String,
    #[serde(rename = "type")]
    relationship_type: String,
    #[serde(rename = "entityA")]
    entity_a: String,
    #[serde(rename = "entityAFamily")]
    entity_a_family: String,
    #[serde(rename = "entityAType")]
    entity_a_type: String,
    #[serde(rename = "entityB")]
    entity_b: String,
    #[serde(rename = "entityBFamily")]
    entity_b_family: String,
    #[serde(rename = "entityBType")]
    entity_b_type: String,
    fields: Fields,
}

impl From<&EntityRelationship> for PlainRelationship {
    fn from(r: &EntityRelationship) -> Self {
        PlainRelationship {
            name: r.name().into(),
            reverse_name: r.reverse_name().into(),
            relationship_type: "IndicatorToIndicator".into(),
            entity_a: r.entity_a().into(),
            entity_a_family: "Indicator".into(),
            entity_a_type: r.entity_a_type().into(),
            entity_b: r.entity_b().into(),
            entity_b_family: "Indicator".into(),
            entity_b_type: r.entity_b_type().into(),
            fields: r.fields().clone(),
        }
    }
}

/// ATT&CK-like relationships: `uses` between named objects, with MITRE's three fields.
pub fn relationships(n: usize) -> Vec<EntityRelationship> {
    const TYPES: [(&str, &str, &str, &str); 4] = [
        ("uses", "used-by", "Intrusion Set", "Attack Pattern"),
        ("uses", "used-by", "Malware", "Attack Pattern"),
        (
            "mitigates",
            "mitigated-by",
            "Course of Action",
            "Attack Pattern",
        ),
        (
            "subtechnique-of",
            "parent-technique-of",
            "Attack Pattern",
            "Attack Pattern",
        ),
    ];
    (0..n)
        .map(|i| {
            let (name, reverse, a_type, b_type) = TYPES[i % TYPES.len()];
            let mut fields = Fields::new();
            fields.insert(
                "description",
                format!(
                    "[Group {i}](https://attack.mitre.org/groups/G{i:04}) has used this technique."
                ),
            );
            fields.insert("lastseenbysource", "2023-03-20T15:48:37.417Z");
            fields.insert("firstseenbysource", "2017-05-31T21:33:27.065Z");
            EntityRelationship::new(
                name,
                reverse,
                format!("Group {i} ({})", i % 97),
                a_type,
                format!("Command and Scripting Interpreter: Technique {}", i % 1013),
                b_type,
            )
            .with_fields(fields)
        })
        .collect()
}

/// The entities of [`relationships`]'s `i`-th relationship, as typed entities, to build the
/// same relationship through a typed constructor.
pub enum TypedPair {
    /// `Intrusion Set` uses `Attack Pattern`.
    IntrusionSetUses(Entity<IntrusionSet>, Entity<AttackPattern>),
    /// `Malware` uses `Attack Pattern`.
    MalwareUses(Entity<Malware>, Entity<AttackPattern>),
    /// `Course of Action` mitigates `Attack Pattern`.
    Mitigates(Entity<CourseOfAction>, Entity<AttackPattern>),
    /// `Attack Pattern` subtechnique-of `Attack Pattern`.
    SubtechniqueOf(Entity<AttackPattern>, Entity<AttackPattern>),
}

impl TypedPair {
    /// The typed constructor call.
    #[inline]
    pub fn relate(&self) -> EntityRelationship {
        match self {
            TypedPair::IntrusionSetUses(a, b) => a.uses(b),
            TypedPair::MalwareUses(a, b) => a.uses(b),
            TypedPair::Mitigates(a, b) => a.mitigates(b),
            TypedPair::SubtechniqueOf(a, b) => a.subtechnique_of(b),
        }
    }
}

/// The entities of `relationships(n)`, typed.
pub fn typed_pairs(n: usize) -> Vec<TypedPair> {
    (0..n)
        .map(|i| {
            let a = format!("Group {i} ({})", i % 97);
            let b = Entity::new(format!(
                "Command and Scripting Interpreter: Technique {}",
                i % 1013
            ));
            match i % 4 {
                0 => TypedPair::IntrusionSetUses(Entity::new(a), b),
                1 => TypedPair::MalwareUses(Entity::new(a), b),
                2 => TypedPair::Mitigates(Entity::new(a), b),
                _ => TypedPair::SubtechniqueOf(Entity::new(a), b),
            }
        })
        .collect()
}

/// `relationships(n)` built by typed constructors (constant parts pre-rendered), with the
/// same fields.
pub fn typed_relationships(n: usize) -> Vec<EntityRelationship> {
    typed_pairs(n)
        .iter()
        .zip(relationships(n))
        .map(|(p, r)| p.relate().with_fields(r.fields().clone()))
        .collect()
}
