//! Relationships: read from `relationships` (with their rules and derivations) and
//! `reverse_only`, then declared: names, reverse names, Rust names and shape checked.

use std::collections::{HashMap, HashSet};

use relationship_schema::{ErrorKind, Tier, limits, naming};

use super::diagnostics::{Cx, Sp};
use super::name_checks::{NameKind, RustNameKind, check_name, check_rust_names, check_text};
use super::read::{Fields, names};
use crate::json::{Node, Value};

const REL_KEYS: &[&str] = &[
    "name",
    "reverse",
    "doc",
    "marker",
    "method",
    "tier",
    "rules",
    "same_type",
    "derive",
    "symmetric",
    "any",
];
const RULE_KEYS: &[&str] = &["from", "to", "tier"];
const DERIVE_KEYS: &[&str] = &["swap", "copy", "own"];

const RELATIONSHIP: NameKind = ("relationship", true, ("relationship", "declared"));
const REVERSE_ONLY: NameKind = ("reverse-only", true, ("reverse-only name", "listed"));

/// A rule: the types on each side and its tier, if given.
pub(super) struct RawRule {
    pub(super) from: Vec<Sp<String>>,
    pub(super) to: Vec<Sp<String>>,
    pub(super) tier: Option<Tier>,
}

/// A derivation: the relationship whose pairs are taken, swapped or copied.
pub(super) struct RawDerive {
    pub(super) swap: bool,
    pub(super) target: Sp<String>,
    pub(super) own: bool,
}

/// A relationship as written.
pub(super) struct RawRel {
    pub(super) at: usize,
    pub(super) name: Sp<String>,
    pub(super) reverse: Option<Sp<String>>,
    pub(super) doc: String,
    pub(super) marker: Option<Sp<String>>,
    pub(super) method: Option<Sp<String>>,
    pub(super) tier: Option<Tier>,
    pub(super) rules: Option<Vec<RawRule>>,
    pub(super) same_type: Option<Sp<Vec<Sp<String>>>>,
    pub(super) derive: Option<Vec<RawDerive>>,
    pub(super) symmetric: Option<Sp<bool>>,
    pub(super) any: Option<Sp<bool>>,
    /// Whether any of `rules`, `same_type`, `derive` or `any` is written (even if wrongly
    /// typed or misspelled, which is reported on its own).
    pub(super) states_pairs: bool,
}

impl RawRel {
    pub(super) fn is_any(&self) -> bool {
        self.any.as_ref().is_some_and(|a| a.v)
    }

    pub(super) fn is_symmetric(&self) -> bool {
        self.symmetric.as_ref().is_some_and(|s| s.v)
    }
}

pub(super) fn read_relationship(cx: &mut Cx, v: &Node) -> Option<RawRel> {
    // The name first, so that later messages can say which relationship they are about.
    let context = match v.get("name").and_then(Node::as_str) {
        Some(n) => format!("relationship `{n}`"),
        None => "a relationship".to_string(),
    };
    let wrong_type = ("an entry of `relationships`", "a relationship object");
    let f = Fields::read(cx, v, REL_KEYS, (context, true), wrong_type)?;
    let name = f.required_string(cx, "name");
    let reverse = f.required_string(cx, "reverse");
    let doc = f.string(cx, "doc").map(|s| s.v).unwrap_or_default();
    let marker = f.string(cx, "marker");
    let method = f.string(cx, "method");
    let tier = f.tier(cx, "tier");
    let symmetric = f.boolean(cx, "symmetric");
    let any = f.boolean(cx, "any");
    let same_type = f.get("same_type");
    let same_type = same_type.and_then(|v| names(cx, v, &f.what("same_type"), true));
    let rules = f.list(cx, "rules", ("an array of rules", true), |cx, el| {
        read_rule(cx, el, &f.context)
    });
    let derive = f.list(cx, "derive", ("an array of derivations", true), |cx, el| {
        read_derivation(cx, el, &f.context)
    });
    // `"any": false` states nothing; any other value of `any` (even a wrong one, reported
    // above) counts as an attempt.
    let any_is_false = f.get("any").is_some_and(|v| v.value == Value::Bool(false));
    let states_pairs = ["rules", "same_type", "derive"]
        .iter()
        .any(|k| f.present_or_misspelled(k))
        || (f.present_or_misspelled("any") && !any_is_false);
    Some(RawRel {
        at: f.at,
        name: name?,
        reverse,
        doc,
        marker,
        method,
        tier,
        rules,
        same_type,
        derive,
        symmetric,
        any,
        states_pairs,
    })
}

fn read_rule(cx: &mut Cx, v: &Node, rel: &str) -> Option<RawRule> {
    let context = format!("a rule of {rel}");
    let wrong_type = (context.as_str(), "an object with `from` and `to`");
    let f = Fields::read(cx, v, RULE_KEYS, (context.clone(), true), wrong_type)?;
    let side = |cx: &mut Cx, key: &'static str| {
        let v = f.required(cx, key)?;
        let list = names(cx, v, &f.what(key), false)?;
        if list.v.is_empty() {
            let what = format!("`{key}` list of {}", f.context);
            cx.error(list.at, ErrorKind::EmptyList(what));
        }
        Some(list.v)
    };
    let from = side(cx, "from");
    let to = side(cx, "to");
    let tier = f.tier(cx, "tier");
    let (from, to) = (from?, to?);
    Some(RawRule { from, to, tier })
}

fn read_derivation(cx: &mut Cx, v: &Node, rel: &str) -> Option<RawDerive> {
    let context = format!("a derivation of {rel}");
    let wrong_type = (context.as_str(), "an object with `swap` or `copy`");
    let f = Fields::read(cx, v, DERIVE_KEYS, (context.clone(), true), wrong_type)?;
    let own = f.boolean(cx, "own").is_some_and(|b| b.v);
    let (swap, key) = match (f.get("swap"), f.get("copy")) {
        (Some(_), None) => (true, "swap"),
        (None, Some(_)) => (false, "copy"),
        // Both (reported at `copy`) or neither.
        (_, copy) => {
            let at = copy.map_or(f.at, |copy| copy.at);
            cx.error(at, ErrorKind::DeriveKind(f.context.clone()));
            return None;
        }
    };
    let target = f.string(cx, key)?;
    Some(RawDerive { swap, target, own })
}

/// The relationships kept after name checks, and their positions by name.
pub(super) struct DeclaredRels {
    pub(super) list: Vec<RawRel>,
    pub(super) index: HashMap<String, usize>,
}

/// Relationship names: checked, duplicates reported and dropped.
pub(super) fn declare_relationships(cx: &mut Cx, raw: Vec<RawRel>) -> DeclaredRels {
    let mut list: Vec<RawRel> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in raw {
        let first = index.get(&r.name.v).map(|&i| list[i].name.at);
        if !check_name(cx, &r.name, RELATIONSHIP, first) {
            continue;
        }
        if list.len() >= limits::MAX_RELATIONSHIPS {
            let kind = ErrorKind::TooMany("relationships", limits::MAX_RELATIONSHIPS);
            cx.error(r.name.at, kind);
            break;
        }
        index.insert(r.name.v.clone(), list.len());
        list.push(r);
    }
    DeclaredRels { list, index }
}

/// The reverse-only names kept, in order, and the position of each by name.
pub(super) struct ReverseOnly {
    pub(super) list: Vec<Sp<String>>,
    pub(super) at: HashMap<String, usize>,
}

/// Reverse-only names: checked, duplicates and relationship names reported.
pub(super) fn declare_reverse_only(
    cx: &mut Cx,
    raw: Vec<Sp<String>>,
    rels: &DeclaredRels,
) -> ReverseOnly {
    let mut list: Vec<Sp<String>> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for n in raw {
        if !check_name(cx, &n, REVERSE_ONLY, at.get(&n.v).copied()) {
            continue;
        }
        if rels.index.contains_key(&n.v) {
            let kind = ErrorKind::ReverseOnlyIsRelationship(n.v.clone());
            cx.error_help(n.at, kind, "remove it from `reverse_only`");
            continue;
        }
        at.insert(n.v.clone(), n.at);
        list.push(n);
    }
    ReverseOnly { list, at }
}

/// A relationship's reverse name must be a relationship or a reverse-only name.
pub(super) fn check_reverse(
    cx: &mut Cx,
    r: &RawRel,
    rels: &DeclaredRels,
    reverse_only: &ReverseOnly,
    used: &mut HashSet<String>,
) {
    let Some(rev) = &r.reverse else {
        return;
    };
    if rev.v.is_empty() {
        cx.error(rev.at, ErrorKind::EmptyName("reverse"));
    } else if !check_text(cx, rev, "reverse") {
    } else if rels.index.contains_key(&rev.v) || reverse_only.at.contains_key(&rev.v) {
        used.insert(rev.v.clone());
    } else {
        let candidates = rels
            .list
            .iter()
            .map(|r| r.name.v.as_str())
            .chain(reverse_only.list.iter().map(|n| n.v.as_str()));
        let kind = ErrorKind::UnknownReverse(rev.v.clone());
        cx.error_suggest(rev.at, kind, &rev.v, candidates);
    }
}

/// The markers and the methods of relationships already taken, each with its owner.
pub(super) type RustNames = [HashMap<String, String>; 2];

const MARKER: RustNameKind = ("marker", naming::relationship_marker, naming::check_marker);
const METHOD: RustNameKind = ("method", naming::relationship_method, naming::check_method);

/// A relationship's marker and method: derived or given, valid and unique.
pub(super) fn check_relationship_rust_names(cx: &mut Cx, r: &RawRel, taken: &mut RustNames) {
    let kinds = [(MARKER, r.marker.as_ref()), (METHOD, r.method.as_ref())];
    check_rust_names(cx, ("relationship", &r.name), kinds, taken);
}

/// `any` excludes every other way of stating pairs; without it, some way must be given.
pub(super) fn check_shape(cx: &mut Cx, r: &RawRel) {
    if r.is_any() {
        let at = r.any.as_ref().map_or(r.at, |a| a.at);
        let conflicts = [
            ("rules", r.rules.is_some()),
            ("same_type", r.same_type.is_some()),
            ("derive", r.derive.is_some()),
            ("symmetric", r.symmetric.is_some()),
            ("tier", r.tier.is_some()),
        ];
        for (key, present) in conflicts {
            if present {
                let name = r.name.v.clone();
                cx.error(at, ErrorKind::ConflictingKeys { name, key });
            }
        }
    } else if !r.states_pairs {
        cx.error(r.at, ErrorKind::NoPairs(r.name.v.clone()));
    }
}
