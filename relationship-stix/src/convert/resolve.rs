//! The end of the bundle: the deferred indicators with their final values, then every
//! relationship resolved to its endpoints, checked and written.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use relationship_core::batch::Placement;
use relationship_core::check::RelationshipInput;
use relationship_core::{EntityRelationship, Fields};
use serde_json::{Map, Value};

use super::ids::Endpoint;
use super::reject::{Seen, check_reason};
use super::{Converter, Deferred, PendingRel, reparse, unexpected, xsoar_name};
use crate::ConvertError;
use crate::map::{self, Defer, ty};
use crate::report::{RejectReason, Triple, count};
use crate::tactic_name::tactic_name;
use crate::view::{ObjectView, RelationshipProps, type_of_ref};

impl<W: Write> Converter<'_, '_, W> {
    /// Writes a deferred indicator: its object parsed and mapped again, with its final value,
    /// and a technique's links to its tactics.
    fn write_deferred(&mut self, d: Deferred) -> Result<(), ConvertError> {
        let obj = reparse(&d.text)?;
        let view = ObjectView::of_map(&obj);
        let kind = map::kind_of(&view.stix_type, self.opts);
        let mapped = kind.and_then(|kind| map::map_object(kind, &view, &obj, self.opts).ok());
        let (Some(kind), Some(mapped)) = (kind, mapped) else {
            return Err(unexpected(
                "an indicator kept for the end of the bundle could not be mapped again",
            ));
        };
        let links = map::links_to_tactics(d.xsoar_type, d.is_subtechnique, self.opts)
            .then(|| self.tactic_links(&d, &obj))
            .transpose()?;
        let mapped = map::Mapped {
            value: d.value,
            xsoar_type: d.xsoar_type,
            ..mapped
        };
        self.write_indicator(d.id, kind, &d.text, mapped, links)
    }

    /// The feed's `part-of` links of technique `d` (object `raw`) to its tactics: one per kill
    /// chain phase whose `kill_chain_name` is `mitre-attack`, in order, to the tactic named
    /// as the feed derives it from the phase name. A phase whose tactic was not converted, or
    /// a link the schema refuses, is rejected instead.
    fn tactic_links(
        &mut self,
        d: &Deferred,
        raw: &Map<String, Value>,
    ) -> Result<Vec<EntityRelationship>, ConvertError> {
        let phases = raw
            .get("kill_chain_phases")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let mut links = Vec::new();
        for phase in phases {
            if phase.get("kill_chain_name").and_then(Value::as_str) != Some("mitre-attack") {
                continue;
            }
            self.report.derived_relationships += 1;
            let phase_name = phase.get("phase_name").and_then(Value::as_str);
            let tactic = phase_name.map(tactic_name);
            let target = tactic.as_ref().and_then(|t| self.tactics.get(t)).cloned();
            let id = self.ids.name(d.id).to_owned();
            let at = Seen::new(d.pos, "attack-pattern", Some(&id), &d.text);
            let Some(target) = target else {
                let msg = match (phase_name, tactic) {
                    (Some(p), Some(t)) => format!(
                        "kill chain phase `{p}` of `{id}`: no tactic named `{t}` was converted from the bundle, so its part-of link is not written"
                    ),
                    _ => format!(
                        "a mitre-attack kill chain phase of `{id}` without a string `phase_name`: no part-of link"
                    ),
                };
                let triple = Triple::new(d.xsoar_type, "part-of", "x-mitre-tactic");
                let rejection = at.rejection(RejectReason::MissingTactic, &msg);
                self.record(rejection.with_triple(Some(triple)))?;
                continue;
            };
            let a = (d.value.clone(), d.xsoar_type);
            let input = relationship_input("part-of", a, (target, ty::TACTIC), Fields::new());
            let triple = Triple::new(d.xsoar_type, "part-of", ty::TACTIC);
            match self.checker.check(input) {
                Ok(link) => {
                    self.count_written(triple);
                    links.push(link);
                }
                Err(e) => {
                    let msg = format!("the part-of link of `{id}` to its tactic: {e}");
                    let rejection = at.rejection(check_reason(&e), &msg);
                    self.record(rejection.with_triple(Some(triple)))?;
                }
            }
        }
        Ok(links)
    }

    /// After the bundle: final values of the deferred indicators, then every relationship.
    pub(super) fn finish(&mut self) -> Result<(), ConvertError> {
        let deferred = std::mem::take(&mut self.deferred);
        let pending = std::mem::take(&mut self.pending);
        let ready = self.settle_values(deferred, &pending)?;
        if self.opts.batch.placement == Placement::Attach {
            return self.write_attached(ready, &pending);
        }
        for d in ready {
            self.write_deferred(d)?;
        }
        for r in &pending {
            self.resolve(r)?;
        }
        Ok(())
    }

    /// The deferred indicators with their final values (a malware's suffix, a sub-technique's
    /// parent name), each registered as an endpoint; an identity that is only an author is
    /// rejected instead.
    fn settle_values(
        &mut self,
        deferred: Vec<Deferred>,
        pending: &[PendingRel],
    ) -> Result<Vec<Deferred>, ConvertError> {
        let mut ready = Vec::with_capacity(deferred.len());
        let mut parents: Option<HashMap<usize, usize>> = None;
        let mut endpoints: Option<HashSet<usize>> = None;
        // Values already final (a technique that waits only for its tactics) are known first:
        // a sub-technique may find its parent among them.
        for d in deferred
            .iter()
            .filter(|d| matches!(d.defer, Defer::No | Defer::Tactics))
        {
            self.register(d.id, &d.value, d.xsoar_type);
        }
        for mut d in deferred {
            match &d.defer {
                Defer::No | Defer::Tactics => {}
                Defer::Malware => {
                    if self.intrusion_sets.contains(&d.value) {
                        d.value.push_str(" [Malware]");
                    }
                }
                Defer::SubTechnique { mitre_id } => {
                    if let Some(parent) =
                        self.parent_name(&d, mitre_id.as_deref(), &mut parents, pending)
                    {
                        d.value = format!("{parent}: {}", d.value);
                    }
                }
                Defer::Identity => {
                    let is_endpoint = endpoints
                        .get_or_insert_with(|| {
                            pending.iter().flat_map(|r| [r.source, r.target]).collect()
                        })
                        .contains(&d.id);
                    if !is_endpoint && self.reject_author_only(&d)? {
                        continue;
                    }
                }
            }
            ready.push(d);
        }
        for d in &ready {
            self.register(d.id, &d.value, d.xsoar_type);
        }
        Ok(ready)
    }

    /// The name of sub-technique `d`'s parent: the technique whose MITRE ID begins its own
    /// (the feed's way), else the target of its `subtechnique-of` relationship (`parents`,
    /// made from `pending` when first needed).
    fn parent_name(
        &self,
        d: &Deferred,
        mitre_id: Option<&str>,
        parents: &mut Option<HashMap<usize, usize>>,
        pending: &[PendingRel],
    ) -> Option<String> {
        let by_id = mitre_id.filter(|m| m.chars().count() > 5).and_then(|m| {
            let parent: String = m.chars().take(5).collect();
            self.technique_names.get(&parent)
        });
        if let Some(name) = by_id {
            return Some(name.clone());
        }
        if !d.is_subtechnique {
            return None;
        }
        let subtechnique_of = self.names.iter().position(|n| &**n == "subtechnique-of");
        let map = parents.get_or_insert_with(|| {
            pending
                .iter()
                .filter(|r| Some(r.name) == subtechnique_of)
                .map(|r| (r.source, r.target))
                .collect()
        });
        let parent_id = map.get(&d.id)?;
        self.ids.endpoint(*parent_id).map(|e| e.value.to_string())
    }

    /// Rejects identity `d` when it is the author of other objects (and no relationship's
    /// endpoint); returns whether it was.
    fn reject_author_only(&mut self, d: &Deferred) -> Result<bool, ConvertError> {
        let id = self.ids.name(d.id).to_owned();
        if !self.creators.contains(id.as_str()) {
            return Ok(false);
        }
        let msg = format!("identity `{id}` is only the author (created_by_ref) of other objects");
        if let Some(e) = self.ids.entry_mut(d.id) {
            e.accepted = false;
        }
        let at = Seen::new(d.pos, "identity", Some(&id), &d.text);
        self.reject(at.rejection(RejectReason::CreatorIdentity, &msg))?;
        Ok(true)
    }

    /// Writes each indicator, then the relationships it is the source of, so that they can be
    /// attached to it while it is in the open chunk; then the other relationships.
    fn write_attached(
        &mut self,
        ready: Vec<Deferred>,
        pending: &[PendingRel],
    ) -> Result<(), ConvertError> {
        let mut by_source: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, r) in pending.iter().enumerate() {
            by_source.entry(r.source).or_default().push(i);
        }
        for d in ready {
            let owned = by_source.remove(&d.id).unwrap_or_default();
            self.write_deferred(d)?;
            for i in owned {
                self.resolve(&pending[i])?;
            }
        }
        let mut rest: Vec<usize> = by_source.into_values().flatten().collect();
        rest.sort_unstable();
        rest.iter().try_for_each(|&i| self.resolve(&pending[i]))
    }

    /// Rejects relationship `rel` with `reason` and `message`.
    fn reject_relationship(
        &mut self,
        rel: &PendingRel,
        reason: RejectReason,
        message: &str,
        triple: Triple,
    ) -> Result<(), ConvertError> {
        let id = self.ids.name(rel.id).to_owned();
        let at = Seen::new(rel.pos, "relationship", Some(&id), &rel.text);
        self.reject(at.rejection(reason, message).with_triple(Some(triple)))
    }

    /// Rejects relationship `rel`, one of whose endpoints was not converted.
    fn reject_unresolved(&mut self, rel: &PendingRel, name: &str) -> Result<(), ConvertError> {
        let (a, b) = (self.ids.endpoint(rel.source), self.ids.endpoint(rel.target));
        let type_of =
            |e: Option<&Endpoint>, n| e.map_or(type_of_ref(self.ids.name(n)), |e| e.xsoar_type);
        let triple = Triple::new(type_of(a, rel.source), name, type_of(b, rel.target));
        let msg = [(a, "source", rel.source), (b, "target", rel.target)]
            .into_iter()
            .filter(|(e, ..)| e.is_none())
            .map(|(_, role, n)| {
                let id = self.ids.name(n);
                match self.ids.entry(n).and_then(|e| e.not_converted) {
                    Some(reason) => format!("{role} `{id}` was not converted ({reason})"),
                    None => format!("{role} `{id}` is not in the bundle"),
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        self.reject_relationship(rel, RejectReason::EndpointNotConverted, &msg, triple)
    }

    /// Resolves, checks and writes one relationship.
    fn resolve(&mut self, rel: &PendingRel) -> Result<(), ConvertError> {
        let stix_name = self.names.get(rel.name).cloned().unwrap_or_default();
        let name = xsoar_name(&stix_name);
        let (Some(a), Some(b)) = (self.ids.endpoint(rel.source), self.ids.endpoint(rel.target))
        else {
            return self.reject_unresolved(rel, name);
        };
        let triple = Triple::new(a.xsoar_type, name, b.xsoar_type);
        let (a, b) = (
            (a.value.to_string(), a.xsoar_type),
            (b.value.to_string(), b.xsoar_type),
        );
        let input = relationship_input(name, a.clone(), b.clone(), relationship_fields(&rel.text));
        match self.checker.check(input) {
            Ok(mut checked) => {
                if name == "indicator-of" && self.opts.indicates_as_indicated_by {
                    let reverse = self.checker.lookup_reverse("indicated-by").to_owned();
                    let fields = std::mem::take(checked.fields_mut());
                    checked = EntityRelationship::new("indicated-by", reverse, a.0, a.1, b.0, b.1)
                        .with_fields(fields);
                }
                self.write_relationship(checked, triple)
            }
            Err(e) => {
                let msg = if *stix_name == *name {
                    e.to_string()
                } else {
                    format!("{e} (STIX `{stix_name}`)")
                };
                self.reject_relationship(rel, check_reason(&e), &msg, triple)
            }
        }
    }

    /// Writes a checked relationship, counted unless it is a repeat the writer drops.
    fn write_relationship(
        &mut self,
        checked: EntityRelationship,
        triple: Triple,
    ) -> Result<(), ConvertError> {
        let written_name = checked.name().to_owned();
        let before = self.writer.stats().duplicates_dropped;
        self.writer
            .push_relationship(checked)
            .map_err(ConvertError::Write)?;
        if self.writer.stats().duplicates_dropped == before {
            self.count_written(Triple {
                name: written_name,
                ..triple
            });
        }
        Ok(())
    }

    /// Counts a relationship written, by name and by triple.
    fn count_written(&mut self, triple: Triple) {
        count(&mut self.report.relationships_written, &triple.name);
        *self
            .report
            .relationships_by_triple
            .entry(triple)
            .or_default() += 1;
    }
}

/// What the checker is asked about relationship `name` from `a` to `b` (value and type).
fn relationship_input(
    name: &str,
    a: (String, &str),
    b: (String, &str),
    fields: Fields,
) -> RelationshipInput {
    RelationshipInput {
        name: name.to_owned(),
        entity_a: a.0,
        entity_a_type: a.1.to_owned(),
        entity_b: b.0,
        entity_b_type: b.1.to_owned(),
        fields: Some(fields),
        ..RelationshipInput::default()
    }
}

/// A relationship's fields: `description`, `lastseenbysource` (its `modified`),
/// `firstseenbysource` (its `created`), `null` when absent.
fn relationship_fields(text: &str) -> Fields {
    // A relationship that is not shaped as expected (a property repeated) is parsed whole.
    let props = serde_json::from_str(text).unwrap_or_else(|_| {
        let obj = relationship_core::value::from_str(text).unwrap_or(Value::Null);
        let prop = |k: &str| obj.get(k).cloned();
        RelationshipProps {
            description: prop("description"),
            modified: prop("modified"),
            created: prop("created"),
        }
    });
    let mut fields = Fields::new();
    let null = |v: Option<Value>| v.unwrap_or(Value::Null);
    fields.insert("description", null(props.description));
    fields.insert("lastseenbysource", null(props.modified));
    fields.insert("firstseenbysource", null(props.created));
    fields
}
