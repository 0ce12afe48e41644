//! What the conversion rules read of an object, whether it was read as an [`ObjectHead`]
//! from its text or parsed whole: one view, so that the rules are written once.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::attack::truthy;
use crate::bundle::{is_spec_version, spec_version_problem};
use crate::light::{ExternalRef, ObjectHead};
use crate::report::Triple;

/// The properties that decide whether and how an object is converted. A string property of
/// another JSON type reads as absent; the flags are Python's truthiness.
#[derive(Debug)]
pub(crate) struct ObjectView<'a> {
    pub stix_type: &'a str,
    pub id: &'a str,
    /// Why its `spec_version` is refused, when it is.
    pub spec_problem: Option<String>,
    pub created_by_ref: Option<&'a str>,
    pub relationship_type: Option<&'a str>,
    pub source_ref: Option<&'a str>,
    pub target_ref: Option<&'a str>,
    pub name: Option<&'a str>,
    pub revoked: bool,
    /// `x_mitre_deprecated`.
    pub deprecated: bool,
    /// `x_mitre_is_subtechnique`.
    pub is_subtechnique: bool,
    /// The `external_id` of the first `mitre-attack` external reference (the feed's `mitreid`).
    pub mitre_id: Option<Cow<'a, str>>,
    /// The `external_id` of the first external reference, whatever its source (a tactic's).
    pub first_external_id: Option<Cow<'a, str>>,
}

/// The message for a `spec_version` of an object of `stix_type`, when it is refused.
fn spec_problem(stix_type: &str, v: &Value) -> Option<String> {
    spec_version_problem(format_args!("a {stix_type} whose"), v)
}

impl<'a> ObjectView<'a> {
    /// The view of a parsed object (`""` for a `type` or `id` that is not a string).
    pub(crate) fn of_map(obj: &'a Map<String, Value>) -> Self {
        let s = |k: &str| obj.get(k).and_then(Value::as_str);
        let stix_type = s("type").unwrap_or("");
        let refs = obj.get("external_references").and_then(Value::as_array);
        let external_id = |r: &'a Value| r.get("external_id").and_then(Value::as_str);
        let mitre = refs.and_then(|refs| {
            refs.iter()
                .find(|r| r.get("source_name").and_then(Value::as_str) == Some("mitre-attack"))
        });
        ObjectView {
            stix_type,
            id: s("id").unwrap_or(""),
            spec_problem: obj
                .get("spec_version")
                .and_then(|v| spec_problem(stix_type, v)),
            created_by_ref: s("created_by_ref"),
            relationship_type: s("relationship_type"),
            source_ref: s("source_ref"),
            target_ref: s("target_ref"),
            name: s("name"),
            revoked: truthy(obj.get("revoked")),
            deprecated: truthy(obj.get("x_mitre_deprecated")),
            is_subtechnique: truthy(obj.get("x_mitre_is_subtechnique")),
            mitre_id: mitre.and_then(external_id).map(Cow::Borrowed),
            first_external_id: (refs.and_then(|r| r.first()).and_then(external_id))
                .map(Cow::Borrowed),
        }
    }

    /// The view of an object read as `head`: `None` without a string `type` and `id`, or when
    /// the external references of an object other than a relationship are not shaped as
    /// expected (the object is then parsed whole).
    pub(crate) fn of_head(head: &'a ObjectHead<'a>) -> Option<Self> {
        let stix_type = head.stix_type.as_deref()?;
        let refs: Vec<ExternalRef<'a>> = match head.external_references {
            Some(raw) if stix_type != "relationship" => serde_json::from_str(raw.get()).ok()?,
            _ => Vec::new(),
        };
        let first_external_id = refs.first().and_then(|r| r.external_id.clone());
        let mitre = refs
            .into_iter()
            .find(|r| r.source_name.as_deref() == Some("mitre-attack"));
        let spec_version = head.spec_version.as_deref();
        Some(ObjectView {
            stix_type,
            id: head.id.as_deref()?,
            spec_problem: spec_version
                .filter(|v| !is_spec_version(v))
                .and_then(|v| spec_problem(stix_type, &Value::from(v))),
            created_by_ref: head.created_by_ref.as_deref(),
            relationship_type: head.relationship_type.as_deref(),
            source_ref: head.source_ref.as_deref(),
            target_ref: head.target_ref.as_deref(),
            name: head.name.as_deref(),
            revoked: head.revoked == Some(true),
            deprecated: head.x_mitre_deprecated == Some(true),
            is_subtechnique: head.x_mitre_is_subtechnique == Some(true),
            mitre_id: mitre.and_then(|r| r.external_id),
            first_external_id,
        })
    }

    /// The triple of a relationship in STIX terms (for read-time rejections).
    pub(crate) fn stix_triple(&self) -> Triple {
        let type_of = |r: Option<&'a str>| type_of_ref(r.unwrap_or(""));
        let name = self.relationship_type.unwrap_or("");
        Triple::new(type_of(self.source_ref), name, type_of(self.target_ref))
    }
}

/// The STIX type named by an id (`attack-pattern--…` → `attack-pattern`).
pub(crate) fn type_of_ref(id: &str) -> &str {
    id.split_once("--").map_or(id, |(t, _)| t)
}
