//! Compile-time policy assertions (`assert_relationship!`, `assert_no_relationship!`):
//! the schema tables every generated module carries, and the `const fn` that checks one
//! assertion against them and writes the message of a failed one.
//!
//! Everything here runs in `const` evaluation: an assertion is a `const _: () = ...;` item,
//! checked by `cargo check`, and nothing of it exists at run time.

use crate::schema::limits::MAX_RELATIONSHIPS;
use crate::schema::naming::article;
use crate::schema::suggest::str_eq as eq;

/// A generated schema's names and explicit triples, as the assertions read them.
#[derive(Debug, Clone, Copy)]
pub struct Tables {
    /// The schema's name.
    pub schema: &'static str,
    /// The indicator types, XSOAR spellings, in declaration order.
    pub types: &'static [&'static str],
    /// The relationship names, their reverse names and whether they link any two types.
    pub rels: &'static [(&'static str, &'static str, bool)],
    /// The typed constructor (method) name of each relationship, in the order of `rels`.
    pub methods: &'static [&'static str],
    /// Every explicit `(relationship, source, target)` triple, as indexes into `rels` and
    /// `types`, sorted (the generator sorts them; `allows` searches them by halves).
    pub triples: &'static [(u16, u16, u16)],
}

/// The longest message a failed assertion writes; a longer one is cut with `…`.
const CAP: usize = 4096;

/// A message built in a `const`: bytes of UTF-8 text, cut at 4096 bytes on a character
/// boundary.
#[derive(Debug, Clone, Copy)]
pub struct Message {
    buf: [u8; CAP],
    len: usize,
    failed: bool,
}

impl Message {
    const fn new() -> Self {
        Message {
            buf: [0; CAP],
            len: 0,
            failed: false,
        }
    }

    const fn push(mut self, s: &str) -> Self {
        let mut b = s.as_bytes();
        // Whole string or nothing past the cap (keeps the text valid UTF-8).
        if self.len + b.len() > CAP - 4 {
            b = "…".as_bytes();
        }
        let mut i = 0;
        while i < b.len() && self.len < CAP {
            self.buf[self.len] = b[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn code(self, s: &str) -> Self {
        self.push("`").push(s).push("`")
    }

    const fn fail(mut self) -> Self {
        self.failed = true;
        self
    }

    /// Whether the assertion failed (then [`Message::as_str`] says why).
    pub const fn failed(&self) -> bool {
        self.failed
    }

    /// The message.
    pub const fn as_str(&self) -> &str {
        let (head, _) = self.buf.split_at(self.len);
        match core::str::from_utf8(head) {
            Ok(s) => s,
            Err(_) => "assertion failed",
        }
    }
}

/// Appends `; did you mean `X`?` (or `` `X`, `Y` or `Z` ``) for the names nearest to
/// `input`, ranked as every other suggestion of the project is
/// ([`crate::schema::suggest::nearest`]).
const fn did_you_mean(mut m: Message, input: &str, names: &[&str]) -> Message {
    let picks = crate::schema::suggest::nearest_in(input, names);
    let mut n = 0;
    while let Some(at) = picks.get(n) {
        m = m.push(if n == 0 {
            "; did you mean "
        } else if n + 1 == picks.len() {
            " or "
        } else {
            ", "
        });
        m = m.code(names[at]);
        n += 1;
    }
    if !picks.is_empty() {
        m = m.push("?");
    }
    m
}

/// The relationship names of `t`, first in a fixed array (a `const fn` cannot collect them
/// into a slice of their own); only the first `t.rels.len()` entries are names.
const fn rel_names(t: &Tables) -> [&'static str; MAX_RELATIONSHIPS] {
    let mut names = [""; MAX_RELATIONSHIPS];
    let mut i = 0;
    while i < t.rels.len() && i < MAX_RELATIONSHIPS {
        names[i] = t.rels[i].0;
        i += 1;
    }
    names
}

/// The index of `name` in `names`.
const fn position(names: &[&str], name: &str) -> Option<usize> {
    let mut i = 0;
    while i < names.len() {
        if eq(names[i], name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

const fn rel_index(t: &Tables, name: &str) -> Option<usize> {
    let mut i = 0;
    while i < t.rels.len() {
        if eq(t.rels[i].0, name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A triple as one number that sorts as the triple does.
const fn triple_key(rel: usize, source: usize, target: usize) -> u64 {
    ((rel as u64) << 32) | ((source as u64) << 16) | target as u64
}

/// Whether the schema allows `source --rel--> target` (indexes): a binary search of the
/// sorted triples, so that a record's many `const` checks stay cheap for `cargo check`.
const fn allows(t: &Tables, rel: usize, source: usize, target: usize) -> bool {
    if t.rels[rel].2 {
        return true;
    }
    let key = triple_key(rel, source, target);
    let (mut lo, mut hi) = (0, t.triples.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let (r, s, g) = t.triples[mid];
        let here = triple_key(r as usize, s as usize, g as usize);
        if here == key {
            return true;
        } else if here < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    false
}

/// Appends the targets `source` may have for `rel`, or that it has none.
const fn targets(mut m: Message, t: &Tables, rel: usize, source: usize) -> Message {
    let mut first = true;
    let mut i = 0;
    while i < t.triples.len() {
        let (r, s, g) = t.triples[i];
        if r as usize == rel && s as usize == source {
            m = if first {
                m.push("\n  ")
                    .code(t.types[source])
                    .push(" --")
                    .push(t.rels[rel].0)
                    .push("--> only ")
            } else {
                m.push(", ")
            };
            m = m.code(t.types[g as usize]);
            first = false;
        }
        i += 1;
    }
    if first {
        m = m
            .push("\n  ")
            .code(t.types[source])
            .push(" is never the source of ")
            .code(t.rels[rel].0);
    }
    m
}

/// Appends the relationships allowed from `a` to `b`.
const fn between(mut m: Message, t: &Tables, a: usize, b: usize) -> Message {
    m = m
        .push("\n  from ")
        .code(t.types[a])
        .push(" to ")
        .code(t.types[b])
        .push(" the schema allows: ");
    let mut first = true;
    let mut r = 0;
    while r < t.rels.len() {
        if allows(t, r, a, b) {
            if !first {
                m = m.push(", ");
            }
            m = m.code(t.rels[r].0);
            first = false;
        }
        r += 1;
    }
    if first {
        m = m.push("nothing");
    }
    m
}

/// Checks one assertion: `source --rel--> target` is allowed (`expect_allowed`) or not.
/// `text` is the assertion as written, for the message.
pub const fn check(
    t: &Tables,
    source: &str,
    rel: &str,
    target: &str,
    expect_allowed: bool,
    text: &str,
) -> Message {
    let head = Message::new().code(text).push(" failed: ");
    let (s, g, r) = match (position(t.types, source), position(t.types, target)) {
        (None, _) => return unknown(head, t, "an indicator type", source, t.types),
        (_, None) => return unknown(head, t, "an indicator type", target, t.types),
        (Some(s), Some(g)) => match rel_index(t, rel) {
            Some(r) => (s, g, r),
            None => {
                let names = rel_names(t);
                let names = names.split_at(t.rels.len()).0;
                return unknown(head, t, "a relationship name", rel, names);
            }
        },
    };
    let allowed = allows(t, r, s, g);
    if allowed == expect_allowed {
        return Message::new();
    }
    let verb = if allowed {
        " allows "
    } else {
        " does not allow "
    };
    let mut m = head
        .push("the schema ")
        .code(t.schema)
        .push(verb)
        .code(t.types[s])
        .push(" --")
        .push(t.rels[r].0)
        .push("--> ")
        .code(t.types[g]);
    if allowed {
        if t.rels[r].2 {
            m = m.push(" (").code(t.rels[r].0).push(" links any two types)");
        }
    } else {
        m = targets(m, t, r, s);
        m = between(m, t, s, g);
        m = between(m, t, g, s);
    }
    m.fail()
}

/// Checks one declaration of `#[derive(Relationships)]`: `source --method--> target`,
/// with the XSOAR names of the two field types and the constructor's name. An empty type
/// name (a field that holds no indicator of this schema) or a method the schema does not
/// have passes: the type checker reports those, once.
///
/// The message of a pair the schema does not allow names the three parts in the schema's
/// spelling, every target `source` may have with that relationship, and every relationship
/// allowed between the two types, both ways.
pub const fn check_pair(t: &Tables, source: &str, method: &str, target: &str) -> Message {
    if source.is_empty() || target.is_empty() {
        return Message::new();
    }
    let (Some(s), Some(g), Some(r)) = (
        position(t.types, source),
        position(t.types, target),
        position(t.methods, method),
    ) else {
        return Message::new();
    };
    if r >= t.rels.len() || allows(t, r, s, g) {
        return Message::new();
    }
    let name = t.rels[r].0;
    let mut m = Message::new()
        .code(t.types[s])
        .push(" cannot have ")
        .push(article(name))
        .push(" ")
        .code(name)
        .push(" relationship to ")
        .code(t.types[g])
        .push(" in the schema ")
        .code(t.schema);
    m = targets(m, t, r, s);
    m = m.push(" (reverse ").code(t.rels[r].1).push(")");
    m = between(m, t, s, g);
    m = between(m, t, g, s);
    m.fail()
}

/// Checks the type string of `#[derive(Indicator)]` under a user schema: `name` (the
/// schema's spelling of the marker the string resolved to) must be `written` exactly; if
/// not, the message is the default schema's: ``unknown indicator type `x` in the schema
/// `s`; did you mean `X`?``.
pub const fn check_type(t: &Tables, name: &str, written: &str) -> Message {
    if eq(name, written) {
        return Message::new();
    }
    let m = Message::new()
        .push("unknown indicator type ")
        .code(written)
        .push(" in the schema ")
        .code(t.schema);
    did_you_mean(m, written, t.types).fail()
}

/// The message of a name that is not `what` (`an indicator type`) of the schema.
const fn unknown(head: Message, t: &Tables, what: &str, name: &str, names: &[&str]) -> Message {
    let m = head
        .code(name)
        .push(" is not ")
        .push(what)
        .push(" of the schema ")
        .code(t.schema);
    did_you_mean(m, name, names).fail()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Tables = Tables {
        schema: "small",
        types: &["Account", "Host", "CVE"],
        rels: &[
            ("uses", "used-by", false),
            ("related-to", "related-to", true),
        ],
        methods: &["uses", "related_to"],
        triples: &[(0, 0, 1)],
    };

    #[test]
    fn right_assertions_pass() {
        assert!(!check(&T, "Account", "uses", "Host", true, "a").failed());
        assert!(!check(&T, "Host", "uses", "CVE", false, "a").failed());
        assert!(!check(&T, "Host", "related-to", "CVE", true, "a").failed());
    }

    #[test]
    fn wrong_assertions_say_why() {
        let m = check(
            &T,
            "Host",
            "uses",
            "CVE",
            true,
            "assert_relationship!(Host: uses -> CVE)",
        );
        assert!(m.failed());
        assert_eq!(
            m.as_str(),
            "`assert_relationship!(Host: uses -> CVE)` failed: the schema `small` does not allow `Host` --uses--> `CVE`\n  `Host` is never the source of `uses`\n  from `Host` to `CVE` the schema allows: `related-to`\n  from `CVE` to `Host` the schema allows: `related-to`"
        );
        let m = check(&T, "Account", "uses", "Host", false, "x");
        assert_eq!(
            m.as_str(),
            "`x` failed: the schema `small` allows `Account` --uses--> `Host`"
        );
        let m = check(&T, "Acount", "uses", "Host", true, "x");
        assert_eq!(
            m.as_str(),
            "`x` failed: `Acount` is not an indicator type of the schema `small`; did you mean `Account`?"
        );
        let m = check(&T, "Account", "usse", "Host", true, "x");
        assert!(
            m.as_str().ends_with("did you mean `uses`?"),
            "{}",
            m.as_str()
        );
    }

    #[test]
    fn derive_pairs_name_every_part_and_every_alternative() {
        assert!(!check_pair(&T, "Account", "uses", "Host").failed());
        assert!(!check_pair(&T, "Host", "related_to", "CVE").failed());
        let m = check_pair(&T, "Host", "uses", "CVE");
        assert!(m.failed());
        assert_eq!(
            m.as_str(),
            "`Host` cannot have a `uses` relationship to `CVE` in the schema `small`\n  `Host` is never the source of `uses` (reverse `used-by`)\n  from `Host` to `CVE` the schema allows: `related-to`\n  from `CVE` to `Host` the schema allows: `related-to`"
        );
        let m = check_pair(&T, "Account", "uses", "CVE");
        assert!(
            m.as_str()
                .contains("\n  `Account` --uses--> only `Host` (reverse `used-by`)"),
            "{}",
            m.as_str()
        );
    }

    #[test]
    fn derive_pairs_leave_other_mistakes_to_the_type_checker() {
        // No indicator of this schema, an unknown method, an unknown type: each has its
        // own error elsewhere, so the const check says nothing.
        assert!(!check_pair(&T, "", "uses", "CVE").failed());
        assert!(!check_pair(&T, "Host", "uses", "").failed());
        assert!(!check_pair(&T, "Host", "usse", "CVE").failed());
        assert!(!check_pair(&T, "Employee", "uses", "CVE").failed());
    }

    #[test]
    fn the_search_by_halves_finds_exactly_the_listed_triples() {
        // The default schema's tables, sorted by the generator, against a plain scan.
        let t = &crate::xsoar::__policy::TABLES;
        assert!(t.triples.windows(2).all(|w| w[0] < w[1]));
        for r in 0..t.rels.len() {
            for s in 0..t.types.len() {
                for g in 0..t.types.len() {
                    let listed = t.rels[r].2 || t.triples.contains(&(r as u16, s as u16, g as u16));
                    assert_eq!(allows(t, r, s, g), listed, "{r} {s} {g}");
                }
            }
        }
    }

    #[test]
    fn type_strings_are_checked_with_did_you_mean() {
        assert!(!check_type(&T, "Account", "Account").failed());
        assert_eq!(
            check_type(&T, "Account", "account").as_str(),
            "unknown indicator type `account` in the schema `small`; did you mean `Account`?"
        );
    }

    #[test]
    fn suggestions_are_the_run_time_ones() {
        // The same typo gets the same answer from an assertion and from the derives and
        // run-time checks (`suggest::nearest`).
        const TYPES: [&str; 4] = ["Host", "Hostname", "Account", "CVE"];
        let types = TYPES;
        let t = Tables {
            schema: "small",
            types: &TYPES,
            rels: &[],
            methods: &[],
            triples: &[],
        };
        for typo in ["Hots", "hostnam", "Acount", "cve", "zzz"] {
            let want = crate::schema::suggest::did_you_mean(typo, types)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            let got = check_type(&t, "Host", typo);
            assert!(
                got.as_str().ends_with(&format!("schema `small`{want}")),
                "{}",
                got.as_str()
            );
        }
    }
}
