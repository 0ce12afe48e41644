//! Expansion of the ways a relationship states its pairs into sorted pair lists.
//!
//! * A rule `{"from": [...], "to": [...]}` allows the cross product of its lists. A list
//!   holds type names, `@group` references and `@all` (every type).
//! * `same_type` allows each listed type with itself.
//! * `derive` adds the pairs of another relationship, swapped (`{"swap": "uses"}`) or as
//!   they are (`{"copy": "communicates-with"}`). The other relationship's full expansion is
//!   used, so derivations chain; a cycle is an error. With `"own": true`, only the other
//!   relationship's own pairs (`rules`, `same_type` and their symmetric closure) are used,
//!   which lets two names each receive the swap of the other (`contains` / `part-of`)
//!   without forming a cycle.
//! * `symmetric` adds the reverse of every pair, after derivations.
//! * `any` allows every pair; it cannot be combined with the keys above. A relationship
//!   that derives from an `any` relationship is `any` too.
//! * Each pair's tier is the strongest (`core` before `extended`) among the rules that
//!   allow it. A rule's tier defaults to its relationship's `tier`, which defaults to
//!   `core`; `same_type` pairs take the relationship's tier; derived pairs keep the tier
//!   they had in the relationship they come from.

use std::collections::BTreeMap;

use relationship_schema::{ErrorKind, SchemaBuilder, Tier, TypeId, naming};

use super::bounded::{Budget, post_order};
use super::diagnostics::Cx;
use super::groups::Refs;
use super::relationships::{DeclaredRels, RawDerive, RawRel};

pub(super) type PairSet = BTreeMap<(TypeId, TypeId), Tier>;

#[derive(Clone)]
pub(super) enum Expanded {
    Any,
    Only(PairSet),
}

pub(super) fn add(set: &mut PairSet, key: (TypeId, TypeId), tier: Tier) {
    let t = set.entry(key).or_insert(tier);
    *t = (*t).min(tier);
}

pub(super) fn symmetric_closure(set: &mut PairSet) {
    let swapped: Vec<_> = set.iter().map(|(&(s, t), &tier)| ((t, s), tier)).collect();
    for (k, tier) in swapped {
        add(set, k, tier);
    }
}

/// A relationship's own pairs: rules, same_type and their symmetric closure. Each cross
/// product is sized against the budget before it is expanded.
pub(super) fn own_pairs(cx: &mut Cx, r: &RawRel, refs: &mut Refs, budget: &mut Budget) -> Expanded {
    if r.is_any() {
        return Expanded::Any;
    }
    let default_tier = r.tier.unwrap_or_default();
    let mut set = PairSet::new();
    for rule in r.rules.iter().flatten() {
        let from = refs.resolve_all(cx, &rule.from);
        let to = refs.resolve_all(cx, &rule.to);
        let symmetric = if r.is_symmetric() { 2 } else { 1 };
        let product = from.len().saturating_mul(to.len());
        if !budget.take(cx, r.at, product.saturating_mul(symmetric)) {
            return Expanded::Only(PairSet::new());
        }
        let tier = rule.tier.unwrap_or(default_tier);
        for &s in &from {
            for &t in &to {
                add(&mut set, (s, t), tier);
            }
        }
    }
    if let Some(st) = &r.same_type {
        for id in refs.resolve_all(cx, &st.v) {
            add(&mut set, (id, id), default_tier);
        }
    }
    if r.is_symmetric() {
        symmetric_closure(&mut set);
    }
    Expanded::Only(set)
}

/// Derivations: targets resolved, cycles reported, expanded in dependency order. Returns
/// each relationship's full expansion.
pub(super) fn derived_pairs(
    cx: &mut Cx,
    rels: &DeclaredRels,
    own: &[Expanded],
) -> Vec<Option<Expanded>> {
    let mut triples = Budget::TRIPLES;
    let mut work = Budget::DERIVATION;
    let n = rels.list.len();
    let mut targets: Vec<Vec<(usize, &RawDerive)>> = vec![Vec::new(); n];
    for (i, r) in rels.list.iter().enumerate() {
        for d in r.derive.iter().flatten() {
            if let Some(&t) = rels.index.get(&d.target.v) {
                targets[i].push((t, d));
            } else {
                let kind = ErrorKind::UnknownRelationship(d.target.v.clone());
                let names = rels.list.iter().map(|r| r.name.v.as_str());
                cx.error_suggest(d.target.at, kind, &d.target.v, names);
            }
        }
    }
    // `own` derivations take pairs that do not depend on other derivations: not an edge.
    let edges: Vec<Vec<usize>> = (targets.iter())
        .map(|ts| ts.iter().filter(|(_, d)| !d.own).map(|&(t, _)| t).collect())
        .collect();
    let (order, cycles) = post_order(&edges);
    for cycle in cycles {
        let names = cycle.iter().map(|&i| rels.list[i].name.v.clone()).collect();
        let first = cycle[0];
        let next = cycle.get(1).copied().unwrap_or(first);
        let at = targets[first]
            .iter()
            .find(|(t, d)| *t == next && !d.own)
            .map_or(rels.list[first].name.at, |(_, d)| d.target.at);
        cx.error(at, ErrorKind::DerivationCycle(names));
    }
    let mut full: Vec<Option<Expanded>> = vec![None; n];
    for i in order {
        let mut result = own[i].clone();
        for &(t, d) in &targets[i] {
            let source = if d.own {
                Some(&own[t])
            } else {
                full[t].as_ref()
            };
            let size = match source {
                Some(Expanded::Only(pairs)) => pairs.len(),
                _ => 0,
            };
            if !work.take(cx, d.target.at, size) {
                break;
            }
            merge_derived(&mut result, source, d.swap);
        }
        if let Expanded::Only(set) = &mut result {
            if rels.list[i].is_symmetric() {
                symmetric_closure(set);
            }
            if !triples.take(cx, rels.list[i].at, set.len()) {
                set.clear();
            }
        }
        full[i] = Some(result);
    }
    full
}

/// Adds the pairs of a derivation's source (swapped or as they are) to `result`.
pub(super) fn merge_derived(result: &mut Expanded, source: Option<&Expanded>, swap: bool) {
    match (source, result) {
        (None, _) | (_, Expanded::Any) => {}
        (Some(Expanded::Any), r) => *r = Expanded::Any,
        (Some(Expanded::Only(pairs)), Expanded::Only(set)) => {
            for (&(s, t), &tier) in pairs {
                let key = if swap { (t, s) } else { (s, t) };
                add(set, key, tier);
            }
        }
    }
}

/// Hands every relationship and its expanded pairs to the builder; a relationship that
/// expands to nothing is an error (unless earlier errors, such as a derivation cycle,
/// explain it).
pub(super) fn add_relationships(
    cx: &mut Cx,
    builder: &mut SchemaBuilder,
    rels: Vec<RawRel>,
    full: Vec<Option<Expanded>>,
) {
    for (r, expanded) in rels.into_iter().zip(full) {
        let marker = r
            .marker
            .map_or_else(|| naming::relationship_marker(&r.name.v), |m| m.v);
        let method = r
            .method
            .map_or_else(|| naming::relationship_method(&r.name.v), |m| m.v);
        let reverse = r.reverse.map(|s| s.v).unwrap_or_default();
        let id = builder.add_relationship_with(r.name.v.clone(), reverse, marker, method, r.doc);
        match expanded.unwrap_or(Expanded::Only(PairSet::new())) {
            Expanded::Any => {
                builder.allow_any(id);
            }
            Expanded::Only(set) => {
                if set.is_empty() && cx.is_clean() {
                    cx.error(r.at, ErrorKind::ExpandsToNothing(r.name.v.clone()));
                }
                for ((source, target), tier) in set {
                    builder.allow(id, source, target, tier);
                }
            }
        }
    }
}
