//! Groups of types: read from `groups`, declared in dependency order, and the resolution
//! of type and group references.

use std::collections::{HashMap, HashSet};

use relationship_schema::{ErrorKind, SchemaBuilder, TypeId};

use super::bounded::{Budget, post_order};
use super::diagnostics::{Cx, Sp};
use super::name_checks::{NameKind, check_confusables, check_name};
use super::read::{names, wrong};
use super::types::DeclaredTypes;
use crate::json::{Node, Value};

const GROUP: NameKind = ("group", false, ("group", "declared"));

/// A group as written: its name and its members (type names and `@group` references).
pub(super) struct RawGroup {
    name: Sp<String>,
    members: Vec<Sp<String>>,
}

/// Reads `groups`: an object of group name to member list.
pub(super) fn read_groups(cx: &mut Cx, v: &Node) -> Vec<RawGroup> {
    let Value::Object(members) = &v.value else {
        wrong(cx, v, "`groups`", "an object of group name to member list");
        return Vec::new();
    };
    let mut groups = Vec::new();
    for m in members {
        let name = Sp::new(m.key.to_string(), m.at);
        let what = format!("group `{}`", name.v);
        if let Some(list) = names(cx, &m.value, &what, true) {
            let members = list.v;
            groups.push(RawGroup { name, members });
        }
    }
    groups
}

/// Resolves type and group references.
pub(super) struct Refs<'r> {
    types: &'r DeclaredTypes,
    group_names: Vec<String>,
    group_members: HashMap<String, Vec<TypeId>>,
    /// Type ids produced by resolving references, bounded.
    work: Budget,
}

impl Refs<'_> {
    /// Appends the types a reference stands for; unknown references are reported.
    fn resolve(&self, cx: &mut Cx, r: &Sp<String>, out: &mut Vec<TypeId>) {
        let kind = match r.v.strip_prefix('@') {
            Some("all") => return out.extend_from_slice(&self.types.all),
            Some(group) => match self.group_members.get(group) {
                Some(members) => return out.extend_from_slice(members),
                // Declared but not resolved: in a cycle, reported as such.
                None if self.group_names.iter().any(|g| g[1..] == *group) => return,
                None => ErrorKind::UnknownGroup(group.to_string()),
            },
            None => match self.types.ids.get(&r.v) {
                Some(&id) => return out.push(id),
                None => ErrorKind::UnknownType(r.v.clone()),
            },
        };
        let names = self.types.names.iter().chain(&self.group_names);
        let candidates = names.map(String::as_str).chain(["@all"]);
        cx.error_suggest(r.at, kind, &r.v, candidates);
    }

    /// The types `refs` stand for, without duplicates, in first-seen order. What the
    /// references expand to is charged to the resolution budget.
    pub(super) fn resolve_all(&mut self, cx: &mut Cx, refs: &[Sp<String>]) -> Vec<TypeId> {
        let mut out = Vec::new();
        for r in refs {
            let before = out.len();
            self.resolve(cx, r, &mut out);
            if !self.work.take(cx, r.at, out.len() - before) {
                out.truncate(before);
                break;
            }
        }
        let mut seen = HashSet::new();
        out.retain(|id| seen.insert(*id));
        out
    }
}

/// Group names: checked, reserved names and duplicates reported and dropped. Returns the
/// groups kept and their positions by name.
fn declare_group_names(
    cx: &mut Cx,
    raw: Vec<RawGroup>,
    types: &DeclaredTypes,
) -> (Vec<RawGroup>, HashMap<String, usize>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut kept: Vec<RawGroup> = Vec::new();
    for g in raw {
        let first = index.get(&g.name.v).map(|&i| kept[i].name.at);
        if !check_name(cx, &g.name, GROUP, first) {
            continue;
        }
        // `all` is never declared, so it is reported here each time it is written.
        if g.name.v == "all" {
            cx.error(g.name.at, ErrorKind::ReservedGroup(g.name.v.clone()));
            continue;
        }
        if types.ids.contains_key(&g.name.v) {
            let kind = ErrorKind::GroupNamesType(g.name.v.clone());
            cx.error_help(g.name.at, kind, "rename the group");
        }
        index.insert(g.name.v.clone(), kept.len());
        kept.push(g);
    }
    let entries = kept.iter().map(|g| (g.name.v.as_str(), "group", g.name.at));
    check_confusables(cx, entries.collect());
    (kept, index)
}

/// Groups: names first, then members in dependency order (cycles reported).
pub(super) fn declare_groups<'t>(
    cx: &mut Cx,
    builder: &mut SchemaBuilder,
    raw: Vec<RawGroup>,
    types: &'t DeclaredTypes,
) -> Refs<'t> {
    let (kept, group_index) = declare_group_names(cx, raw, types);
    let edges: Vec<Vec<usize>> = kept
        .iter()
        .map(|g| {
            g.members
                .iter()
                .filter_map(|m| m.v.strip_prefix('@'))
                .filter_map(|name| group_index.get(name).copied())
                .collect()
        })
        .collect();
    let (order, cycles) = post_order(&edges);
    for cycle in cycles {
        let names = cycle.iter().map(|&i| kept[i].name.v.clone()).collect();
        cx.error(kept[cycle[0]].name.at, ErrorKind::GroupCycle(names));
    }
    let mut refs = Refs {
        types,
        group_names: kept.iter().map(|g| format!("@{}", g.name.v)).collect(),
        group_members: HashMap::new(),
        work: Budget::RESOLUTION,
    };
    for gi in order {
        let members = refs.resolve_all(cx, &kept[gi].members);
        refs.group_members.insert(kept[gi].name.v.clone(), members);
    }
    for g in kept {
        let members = refs.group_members.get(&g.name.v).cloned();
        builder.add_group(g.name.v, members.unwrap_or_default());
    }
    refs
}
