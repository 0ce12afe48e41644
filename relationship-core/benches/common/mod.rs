//! Data and the plain baseline struct shared by the benches.

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
                "description".into(),
                format!(
                    "[Group {i}](https://attack.mitre.org/groups/G{i:04}) has used this technique."
                )
                .into(),
            );
            fields.insert("lastseenbysource".into(), "2023-03-20T15:48:37.417Z".into());
            fields.insert(
                "firstseenbysource".into(),
                "2017-05-31T21:33:27.065Z".into(),
            );
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
