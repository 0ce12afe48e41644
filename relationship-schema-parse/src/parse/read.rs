//! Reading JSON values into typed values: the keys of an object, strings, booleans, tiers,
//! lists; every wrong type, unknown, duplicate or missing key is reported.

use relationship_schema::{ErrorKind, Tier, suggest};

use super::diagnostics::{Cx, Sp};
use crate::json::{Node, Value};

/// Reports that `v` is not what was expected.
pub(super) fn wrong(cx: &mut Cx, v: &Node, what: impl Into<String>, expected: &'static str) {
    cx.error(
        v.at,
        ErrorKind::WrongType {
            what: what.into(),
            expected,
            found: v.kind(),
        },
    );
}

pub(super) fn string(cx: &mut Cx, v: &Node, what: impl FnOnce() -> String) -> Option<Sp<String>> {
    let Value::String(s) = &v.value else {
        wrong(cx, v, what(), "a string");
        return None;
    };
    Some(Sp::new(s.to_string(), v.at))
}

/// The entries of an array, each read by `entry` (entries it refuses are left out). An
/// empty array is reported when `non_empty`; `what` names the array in messages.
pub(super) fn list<T>(
    cx: &mut Cx,
    v: &Node,
    (what, expected): (&str, &'static str),
    non_empty: bool,
    mut entry: impl FnMut(&mut Cx, &Node) -> Option<T>,
) -> Option<Vec<T>> {
    let Value::Array(items) = &v.value else {
        wrong(cx, v, what, expected);
        return None;
    };
    if non_empty && items.is_empty() {
        cx.error(v.at, ErrorKind::EmptyList(what.to_string()));
    }
    Some(items.iter().filter_map(|el| entry(cx, el)).collect())
}

/// A list of names: an array of strings, or a single string. When `non_empty`, an array
/// without a valid name is reported.
pub(super) fn names(
    cx: &mut Cx,
    v: &Node,
    what: &str,
    non_empty: bool,
) -> Option<Sp<Vec<Sp<String>>>> {
    if let Value::String(s) = &v.value {
        return Some(Sp::new(vec![Sp::new(s.to_string(), v.at)], v.at));
    }
    let entries = list(cx, v, (what, "an array of names"), false, |cx, el| {
        string(cx, el, || format!("an entry of {what}"))
    })?;
    if non_empty && entries.is_empty() {
        cx.error(v.at, ErrorKind::EmptyList(what.to_string()));
    }
    Some(Sp::new(entries, v.at))
}

/// The known members of an object; unknown and duplicate keys are reported.
pub(super) struct Fields<'n, 't> {
    pub(super) at: usize,
    /// What the object is, in messages: "the schema", "relationship `uses`".
    pub(super) context: String,
    /// What follows a key's name in messages: "" or " of relationship `uses`".
    suffix: String,
    members: Vec<(&'static str, &'n Node<'t>, usize)>,
    /// Known keys that an unknown key was taken for (`form` → `from`); a missing key in
    /// this list is not reported again.
    misspelled: Vec<&'static str>,
}

impl<'n, 't> Fields<'n, 't> {
    /// Reads the members of an object whose keys must be in `allowed`; anything else than
    /// an object is reported as `wrong_type` (what it is, what was expected). Keys are named
    /// `` `key` `` in messages, followed by ` of {context}` when `of_context`.
    pub(super) fn read(
        cx: &mut Cx,
        v: &'n Node<'t>,
        allowed: &[&'static str],
        (context, of_context): (String, bool),
        wrong_type: (&str, &'static str),
    ) -> Option<Self> {
        let Value::Object(object) = &v.value else {
            wrong(cx, v, wrong_type.0, wrong_type.1);
            return None;
        };
        let mut members: Vec<(&'static str, &'n Node<'t>, usize)> = Vec::new();
        let mut misspelled = Vec::new();
        for m in object {
            let key = m.key.as_ref();
            match allowed.iter().find(|k| **k == key) {
                Some(&k) if members.iter().any(|(seen, ..)| *seen == k) => {
                    let kind = ErrorKind::DuplicateKey {
                        key: key.to_string(),
                        context: context.clone(),
                    };
                    cx.error(m.at, kind);
                }
                Some(&k) => members.push((k, &m.value, m.at)),
                None => {
                    let near = suggest::nearest(key, allowed.iter().copied());
                    misspelled.extend(near.first().copied());
                    let help = suggest::did_you_mean_of(&near)
                        .unwrap_or_else(|| format!("expected {}", suggest::or_list(allowed)));
                    let kind = ErrorKind::UnknownKey {
                        key: key.to_string(),
                        context: context.clone(),
                    };
                    cx.error_help(m.at, kind, help);
                }
            }
        }
        let suffix = of_context.then(|| format!(" of {context}"));
        Some(Fields {
            at: v.at,
            context,
            suffix: suffix.unwrap_or_default(),
            members,
            misspelled,
        })
    }

    pub(super) fn get(&self, key: &str) -> Option<&'n Node<'t>> {
        self.members
            .iter()
            .find(|(k, ..)| *k == key)
            .map(|&(_, v, _)| v)
    }

    /// Whether `key` is present, or misspelled (already reported as an unknown key).
    pub(super) fn present_or_misspelled(&self, key: &str) -> bool {
        self.get(key).is_some() || self.misspelled.contains(&key)
    }

    /// How `key` is named in messages.
    pub(super) fn what(&self, key: &str) -> String {
        format!("`{key}`{}", self.suffix)
    }

    /// The value of a required key; a missing key is reported, unless misspelled.
    pub(super) fn required(&self, cx: &mut Cx, key: &'static str) -> Option<&'n Node<'t>> {
        let v = self.get(key);
        if v.is_none() && !self.misspelled.contains(&key) {
            let kind = ErrorKind::MissingKey {
                key,
                context: self.context.clone(),
            };
            cx.error(self.at, kind);
        }
        v
    }

    pub(super) fn string(&self, cx: &mut Cx, key: &str) -> Option<Sp<String>> {
        string(cx, self.get(key)?, || self.what(key))
    }

    pub(super) fn required_string(&self, cx: &mut Cx, key: &'static str) -> Option<Sp<String>> {
        let v = self.required(cx, key)?;
        string(cx, v, || self.what(key))
    }

    /// The boolean value of an optional key, at the key.
    pub(super) fn boolean(&self, cx: &mut Cx, key: &str) -> Option<Sp<bool>> {
        let &(_, v, at) = self.members.iter().find(|(k, ..)| *k == key)?;
        let Value::Bool(b) = v.value else {
            wrong(cx, v, self.what(key), "a boolean");
            return None;
        };
        Some(Sp::new(b, at))
    }

    pub(super) fn tier(&self, cx: &mut Cx, key: &str) -> Option<Tier> {
        let s = self.string(cx, key)?;
        match s.v.as_str() {
            "core" => Some(Tier::Core),
            "extended" => Some(Tier::Extended),
            other => {
                let kind = ErrorKind::UnknownTier(other.to_string());
                cx.error_help(s.at, kind, "expected `core` or `extended`");
                None
            }
        }
    }

    /// The entries of the array of an optional key (see [`list`]).
    pub(super) fn list<T>(
        &self,
        cx: &mut Cx,
        key: &str,
        (expected, non_empty): (&'static str, bool),
        entry: impl FnMut(&mut Cx, &Node) -> Option<T>,
    ) -> Option<Vec<T>> {
        list(
            cx,
            self.get(key)?,
            (&self.what(key), expected),
            non_empty,
            entry,
        )
    }
}
