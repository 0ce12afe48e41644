//! Checks of declared names: usable text, names that look like another, Rust names.

use std::collections::{HashMap, HashSet};

use relationship_schema::{ErrorKind, limits, naming, text};

use super::diagnostics::{Cx, Sp};
use crate::names::{self, TextProblem};

/// A kind of declared name: what it is in messages, whether it may start with `@`, and what
/// it is and how it was first given in the message of a duplicate.
pub(super) type NameKind = (&'static str, bool, (&'static str, &'static str));

/// Checks a declared name, and that no name was declared before it with the same text (at
/// `first`); false when it is unusable (the error is reported).
pub(super) fn check_name(
    cx: &mut Cx,
    name: &Sp<String>,
    (what, allow_at, (duplicate, verb)): NameKind,
    first: Option<usize>,
) -> bool {
    let kind = if name.v.is_empty() {
        ErrorKind::EmptyName(what)
    } else if !check_text(cx, name, what) {
        return false;
    } else if name.v.trim() != name.v {
        ErrorKind::Whitespace {
            what,
            name: name.v.clone(),
        }
    } else if !allow_at && name.v.starts_with('@') {
        ErrorKind::AtSign {
            what,
            name: name.v.clone(),
        }
    } else if let Some(first) = first {
        ErrorKind::Duplicate {
            what: duplicate,
            name: name.v.clone(),
            verb,
            first_line: cx.line(first),
        }
    } else {
        return true;
    };
    cx.error(name.at, kind);
    false
}

/// A name is data that generated code quotes: no control, line-separator or bidirectional
/// characters, no invisible characters (format characters and default-ignorables, see
/// [`crate::names`]), and a bounded length. Reports the first problem and returns `false`.
pub(super) fn check_text(cx: &mut Cx, name: &Sp<String>, what: &'static str) -> bool {
    let Some(problem) = names::text_problem(&name.v) else {
        return true;
    };
    let excerpt = || text::excerpt(&name.v, limits::MAX_QUOTED_CHARS).into_owned();
    let kind = match problem {
        TextProblem::Unsafe(c) => ErrorKind::UnsafeCharacter {
            what,
            name: excerpt(),
            code: u32::from(c),
        },
        TextProblem::Invisible(c, class) => ErrorKind::InvisibleCharacter {
            what,
            name: names::shown(&name.v),
            code: u32::from(c),
            class,
        },
        TextProblem::TooLong(chars) => ErrorKind::NameTooLong {
            what,
            name: excerpt(),
            chars,
            max: limits::MAX_NAME_CHARS,
        },
    };
    cx.error(name.at, kind);
    false
}

/// Checks `entries` (name, what it is, offset) in file order for names that look like an
/// earlier one without being equal to it (by confusable skeleton, see [`crate::names`]),
/// reported with both names and positions; returns the names reported.
pub(super) fn check_confusables(
    cx: &mut Cx,
    mut entries: Vec<(&str, &'static str, usize)>,
) -> HashSet<String> {
    entries.sort_by_key(|&(_, _, at)| at);
    let mut seen: HashMap<String, (&str, &'static str, usize)> = HashMap::new();
    let mut reported = HashSet::new();
    for (name, what, at) in entries {
        let skeleton = names::skeleton(name);
        let Some(&(other, other_what, other_pos)) = seen.get(&skeleton) else {
            seen.insert(skeleton, (name, what, at));
            continue;
        };
        if other == name {
            continue;
        }
        let help = format!(
            "they are spelled `{}` and `{}`; rename one of them",
            names::spelled(name),
            names::spelled(other)
        );
        let kind = ErrorKind::ConfusableName {
            what,
            name: names::shown(name),
            other_what,
            other: names::shown(other),
            other_at: cx.location(other_pos),
        };
        cx.error_help(at, kind, help);
        reported.insert(name.to_string());
    }
    reported
}

/// A kind of Rust name: `marker` or `method`, how it is derived from a schema name, and
/// the check of an identifier.
pub(super) type RustNameKind = (
    &'static str,
    fn(&str) -> String,
    fn(&str) -> Result<(), naming::IdentProblem>,
);

/// The Rust names of a type or relationship (`what`), each given or else derived from its
/// name, registered in `taken`; a name without letters or digits needs each one given.
pub(super) fn check_rust_names<const N: usize>(
    cx: &mut Cx,
    (what, name): (&'static str, &Sp<String>),
    kinds: [(RustNameKind, Option<&Sp<String>>); N],
    taken: &mut [HashMap<String, String>; N],
) {
    let no_words = naming::words(&name.v).is_empty();
    let mut missing = Vec::new();
    for ((kind, given), seen) in kinds.into_iter().zip(taken) {
        if given.is_some() || !no_words {
            register_rust_name(cx, seen, kind, given, name);
        } else {
            missing.push(format!("`{}`", kind.0));
        }
    }
    if !missing.is_empty() {
        let kind = ErrorKind::NoRustName {
            what,
            name: name.v.clone(),
        };
        cx.error_help(name.at, kind, format!("set {}", missing.join(" and ")));
    }
}

/// Registers the Rust name of `owner`, `given` or else derived, reporting invalid
/// identifiers and collisions.
fn register_rust_name(
    cx: &mut Cx,
    seen: &mut HashMap<String, String>,
    (what, derive, check): RustNameKind,
    given: Option<&Sp<String>>,
    owner: &Sp<String>,
) {
    let explicit = given.is_some();
    let (ident, at) = match given {
        Some(m) => (m.v.clone(), m.at),
        None => (derive(&owner.v), owner.at),
    };
    let owner = &owner.v;
    if let Err(problem) = check(&ident) {
        let help = if matches!(problem, naming::IdentProblem::Reserved(_)) {
            format!("set `{what}` on `{owner}` to another name")
        } else if explicit {
            format!("choose another `{what}`")
        } else {
            format!("set `{what}` on `{owner}` to a valid Rust name")
        };
        let kind = ErrorKind::InvalidIdentifier {
            what,
            ident,
            name: owner.clone(),
            reason: problem.describe(),
        };
        cx.error_help(at, kind, help);
    } else if let Some(other) = seen.get(&ident) {
        let kind = ErrorKind::IdentCollision {
            what,
            ident,
            name: owner.clone(),
            other: other.clone(),
        };
        cx.error_help(at, kind, format!("set `{what}` on one of them"));
    } else {
        seen.insert(ident, owner.clone());
    }
}
