//! Rust names derived from schema names: marker types and constructor methods.
//!
//! Schema names are XSOAR's strings (`Attack Pattern`, `IPv6CIDR`, `sub-domain-of`). The
//! generator needs Rust identifiers for them:
//!
//! * a marker type per indicator type and per relationship, in `UpperCamelCase` where every
//!   word has only its first letter upper-case, so that clippy's `upper_case_acronyms` has
//!   nothing to say (`CVE` → `Cve`, `IPv6CIDR` → `Ipv6Cidr`);
//! * a constructor method per relationship, in `snake_case` (`sub-domain-of` →
//!   `sub_domain_of`).
//!
//! Words are split at every character that is not a letter or digit, at a lower-case letter or
//! digit followed by an upper-case letter (`DomainGlob`, `IPv6CIDR`), and before the last
//! letter of an upper-case run that is followed by at least two lower-case letters
//! (`HTTPServer` → `Http`, `Server`; but `IPv6` stays one word).
//!
//! The derivations never fail; whether the result is a usable identifier is checked
//! separately by [`check_marker`] and [`check_method`], which the schema parser calls for
//! every derived or explicitly given name; a method must also not be one of the
//! [reserved method names](RESERVED_METHODS).

/// Rust keywords (strict, reserved, and those of edition 2018 and later, including `gen`),
/// none of which may be used as a plain identifier.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Declares the reserved method names with why each is reserved.
macro_rules! reserved {
    ($($method:literal => $owner:literal in $scope:literal;)*) => {
        &[$((
            $method,
            concat!(
                "it clashes with ", $owner, " (", $scope, "), so `x.", $method,
                "(..)` on an indicator would be ambiguous (E0034) or call that method instead"
            ),
        )),*]
    };
}

/// Method names a generated constructor may not have, each with the reason.
///
/// The constructors are methods of the generated `Relate` trait, implemented on every
/// indicator of the schema and imported into user code (`use relationship_core::prelude::*`
/// or the generated module). A relationship whose method would share its name with a
/// method every indicator type (or a commonly derived trait) already has in scope would
/// break every call of either: the methods of the Rust prelude's traits, of the derivable
/// `Debug`/`Display`, `Hash` and serde traits, and of the runtime's own `Indicator`,
/// `Relationships` and `Entity`. Iterator and future methods are not reserved: an
/// indicator is neither. Set `method` in the schema to use such a relationship name.
pub const RESERVED_METHODS: &[(&str, &str)] = reserved![
    "clone" => "`Clone::clone`" in "the prelude";
    "clone_from" => "`Clone::clone_from`" in "the prelude";
    "clone_into" => "`ToOwned::clone_into`" in "the prelude";
    "to_owned" => "`ToOwned::to_owned`" in "the prelude";
    "to_string" => "`ToString::to_string`" in "the prelude";
    "into" => "`Into::into`" in "the prelude";
    "try_into" => "`TryInto::try_into`" in "the prelude";
    "from" => "`From::from`" in "the prelude";
    "try_from" => "`TryFrom::try_from`" in "the prelude";
    "eq" => "`PartialEq::eq`" in "the prelude";
    "ne" => "`PartialEq::ne`" in "the prelude";
    "cmp" => "`Ord::cmp`" in "the prelude";
    "max" => "`Ord::max`" in "the prelude";
    "min" => "`Ord::min`" in "the prelude";
    "clamp" => "`Ord::clamp`" in "the prelude";
    "partial_cmp" => "`PartialOrd::partial_cmp`" in "the prelude";
    "lt" => "`PartialOrd::lt`" in "the prelude";
    "le" => "`PartialOrd::le`" in "the prelude";
    "gt" => "`PartialOrd::gt`" in "the prelude";
    "ge" => "`PartialOrd::ge`" in "the prelude";
    "as_ref" => "`AsRef::as_ref`" in "the prelude";
    "as_mut" => "`AsMut::as_mut`" in "the prelude";
    "default" => "`Default::default`" in "the prelude";
    "drop" => "`Drop::drop`" in "the prelude";
    "hash" => "`Hash::hash`" in "derived on most types";
    "fmt" => "`Debug::fmt` and `Display::fmt`" in "derived or implemented on most types";
    "borrow" => "`Borrow::borrow`" in "implemented for every type";
    "borrow_mut" => "`BorrowMut::borrow_mut`" in "implemented for every type";
    "serialize" => "serde's `Serialize::serialize`" in "derived on most record types";
    "deserialize" => "serde's `Deserialize::deserialize`" in "derived on most record types";
    "indicator_value" => "`Indicator::indicator_value`" in "the runtime, on every indicator";
    "indicator_type" => "`Indicator::indicator_type`" in "the runtime, on every indicator";
    "to_indicator_object" => "`Indicator::to_indicator_object`" in "the runtime, on every indicator";
    "indicators" => "`Relationships::indicators`" in "the runtime's prelude";
    "relationships" => "`Relationships::relationships`" in "the runtime's prelude";
    "new" => "`Entity::new`" in "the runtime's indicator wrapper";
    "value" => "`Entity::value`" in "the runtime's indicator wrapper";
];

/// Splits a schema name into words (see the module documentation for the rules).
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in name.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let lower = |i: usize| chars.get(i).is_some_and(|c| c.is_lowercase());
        let mut start = 0;
        for (i, c) in chars.iter().enumerate().skip(1) {
            let prev = chars[i - 1];
            let acronym_end = prev.is_uppercase() && lower(i + 1) && lower(i + 2);
            if c.is_uppercase() && (prev.is_lowercase() || prev.is_numeric() || acronym_end) {
                out.push(chars[start..i].iter().collect());
                start = i;
            }
        }
        if start < chars.len() {
            out.push(chars[start..].iter().collect());
        }
    }
    out
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    let first = chars.next().into_iter().flat_map(char::to_uppercase);
    first.chain(chars.flat_map(char::to_lowercase)).collect()
}

/// The marker type name of an indicator type: `Attack Pattern` → `AttackPattern`,
/// `X509 Certificate` → `X509Certificate`, `ssdeep` → `Ssdeep`, `CVE` → `Cve`,
/// `IPv6CIDR` → `Ipv6Cidr`.
///
/// ```
/// use relationship_schema::naming::{relationship_marker, type_marker};
/// assert_eq!(type_marker("Registry Key"), "RegistryKey");
/// assert_eq!(type_marker("IPv6CIDR"), "Ipv6Cidr");
/// assert_eq!(relationship_marker("sub-domain-of"), "SubDomainOf");
/// ```
pub fn type_marker(name: &str) -> String {
    words(name).iter().map(|w| capitalise(w)).collect()
}

/// The marker type name of a relationship, derived as a type's is: `used-by` → `UsedBy`,
/// `subtechnique-of` → `SubtechniqueOf`.
pub use type_marker as relationship_marker;

/// The indefinite article before `name` read aloud, as the generated messages and the CLI
/// write it: `an` before a vowel sound (`an embeds`, `an uploaded-to`, `an un-`), `a` before
/// `u` + consonant other than `n` + vowel (`a uses`) and before a consonant.
///
/// ```
/// use relationship_schema::naming::article;
/// assert_eq!(article("embeds"), "an");
/// assert_eq!(article("uses"), "a");
/// assert_eq!(article("targets"), "a");
/// ```
pub const fn article(name: &str) -> &'static str {
    const fn is_vowel(c: u8) -> bool {
        matches!(c.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u')
    }
    match name.as_bytes() {
        [b'a' | b'e' | b'i' | b'o' | b'A' | b'E' | b'I' | b'O', ..] => "an",
        [b'u' | b'U', c, v, ..]
            if !c.eq_ignore_ascii_case(&b'n')
                && c.is_ascii_alphabetic()
                && !is_vowel(*c)
                && is_vowel(*v) =>
        {
            "a"
        }
        [b'u' | b'U', ..] => "an",
        _ => "a",
    }
}

/// The typed constructor's method name of a relationship: `used-by` → `used_by`,
/// `sub-domain-of` → `sub_domain_of`.
///
/// ```
/// use relationship_schema::naming::relationship_method;
/// assert_eq!(relationship_method("subtechnique-of"), "subtechnique_of");
/// ```
pub fn relationship_method(name: &str) -> String {
    words(name).join("_").to_lowercase()
}

/// Why a derived or explicit Rust name cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentProblem {
    /// The name is empty (the schema name has no letter or digit).
    Empty,
    /// The name is a Rust keyword (`type`, `Self`, `gen`, ...).
    Keyword,
    /// The name is not a Rust identifier (starts with a digit, contains punctuation, ...).
    NotAnIdentifier,
    /// A marker must start with an upper-case letter (types are `UpperCamelCase`).
    NotUpperCamel,
    /// A method must be `snake_case`: lower-case letters, digits and underscores.
    NotSnakeCase,
    /// A method named like one indicators already have in scope (see
    /// [`RESERVED_METHODS`]); the reason says which.
    Reserved(&'static str),
}

impl IdentProblem {
    /// A short explanation, for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            IdentProblem::Empty => "it is empty",
            IdentProblem::Keyword => "it is a Rust keyword",
            IdentProblem::NotAnIdentifier => "it is not a Rust identifier",
            IdentProblem::NotUpperCamel => "a marker type must start with an upper-case letter",
            IdentProblem::NotSnakeCase => {
                "a method must be snake_case (lower-case letters, digits and `_`)"
            }
            IdentProblem::Reserved(reason) => reason,
        }
    }
}

/// Whether `ident` is a Unicode identifier (XID start or `_`, then XID continue), as rustc
/// reads one; keywords are checked separately.
fn is_identifier(ident: &str) -> bool {
    let mut chars = ident.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
}

fn check_ident(ident: &str) -> Result<(), IdentProblem> {
    if ident.is_empty() {
        return Err(IdentProblem::Empty);
    }
    if KEYWORDS.contains(&ident) {
        return Err(IdentProblem::Keyword);
    }
    if ident == "_" || !is_identifier(ident) {
        return Err(IdentProblem::NotAnIdentifier);
    }
    Ok(())
}

/// Checks that `marker` can name a generated marker type: a non-keyword identifier that
/// starts with an upper-case letter.
pub fn check_marker(marker: &str) -> Result<(), IdentProblem> {
    check_ident(marker)?;
    if !marker.chars().next().is_some_and(char::is_uppercase) {
        return Err(IdentProblem::NotUpperCamel);
    }
    Ok(())
}

/// Checks that `method` can name a generated constructor method: a non-keyword `snake_case`
/// identifier that is not [reserved](RESERVED_METHODS).
pub fn check_method(method: &str) -> Result<(), IdentProblem> {
    check_ident(method)?;
    if method.chars().any(char::is_uppercase) {
        return Err(IdentProblem::NotSnakeCase);
    }
    if let Some((_, reason)) = RESERVED_METHODS.iter().find(|(m, _)| *m == method) {
        return Err(IdentProblem::Reserved(reason));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_follows_the_vowel_sound() {
        let an = [
            "embeds",
            "attaches",
            "indicator-of",
            "owned-by",
            "is-also",
            "uploaded-to",
        ];
        let more_an = ["un-", "Owns", "u", "ux", "u-x", "uüa", "Embeds"];
        for name in an.into_iter().chain(more_an) {
            assert_eq!(article(name), "an", "{name}");
        }
        let a = [
            "uses",
            "used-by",
            "targets",
            "has",
            "related-to",
            "sub-domain-of",
        ];
        for name in a.into_iter().chain(["", "Uses", "usable", "-uses", "1e"]) {
            assert_eq!(article(name), "a", "{name}");
        }
    }

    #[test]
    fn xsoar_type_markers() {
        let cases = [
            ("Account", "Account"),
            ("Attack Pattern", "AttackPattern"),
            ("X509 Certificate", "X509Certificate"),
            ("ssdeep", "Ssdeep"),
            ("CVE", "Cve"),
            ("IP", "Ip"),
            ("IPv6", "Ipv6"),
            ("IPv6CIDR", "Ipv6Cidr"),
            ("CIDR", "Cidr"),
            ("URL", "Url"),
            ("ASN", "Asn"),
            ("DomainGlob", "DomainGlob"),
            ("Registry Key", "RegistryKey"),
            ("Threat Actor", "ThreatActor"),
            ("Course of Action", "CourseOfAction"),
            ("Intrusion Set", "IntrusionSet"),
        ];
        for (name, marker) in cases {
            assert_eq!(type_marker(name), marker, "{name}");
            assert_eq!(check_marker(marker), Ok(()), "{marker}");
        }
    }

    #[test]
    fn relationship_names() {
        let cases = [
            ("used-by", "UsedBy", "used_by"),
            ("subtechnique-of", "SubtechniqueOf", "subtechnique_of"),
            ("sub-domain-of", "SubDomainOf", "sub_domain_of"),
            ("is-also", "IsAlso", "is_also"),
            ("Types", "Types", "types"),
            (
                "parent-technique-of",
                "ParentTechniqueOf",
                "parent_technique_of",
            ),
        ];
        for (name, marker, method) in cases {
            assert_eq!(relationship_marker(name), marker);
            assert_eq!(relationship_method(name), method);
            assert_eq!(check_method(method), Ok(()));
        }
    }

    #[test]
    fn acronym_followed_by_word_splits() {
        assert_eq!(words("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(type_marker("HTTPServer"), "HttpServer");
        assert_eq!(words("IPv6"), ["IPv6"]);
    }

    #[test]
    fn bad_identifiers_are_reported() {
        assert_eq!(
            check_method(&relationship_method("type")),
            Err(IdentProblem::Keyword)
        );
        assert_eq!(check_method("gen"), Err(IdentProblem::Keyword));
        assert_eq!(
            check_marker(&type_marker("self")),
            Err(IdentProblem::Keyword)
        );
        assert_eq!(
            check_marker(&type_marker("3d model")),
            Err(IdentProblem::NotAnIdentifier)
        );
        assert_eq!(check_marker(&type_marker("--")), Err(IdentProblem::Empty));
        assert_eq!(check_marker("lower"), Err(IdentProblem::NotUpperCamel));
        assert_eq!(check_method("Upper"), Err(IdentProblem::NotSnakeCase));
        assert_eq!(check_method("a-b"), Err(IdentProblem::NotAnIdentifier));
        assert_eq!(check_method("_"), Err(IdentProblem::NotAnIdentifier));
    }

    #[test]
    fn reserved_methods_are_refused_with_their_reason() {
        for name in [
            "clone",
            "into",
            "indicator-value",
            "try-into",
            "to-string",
            "value",
        ] {
            let method = relationship_method(name);
            let Err(IdentProblem::Reserved(reason)) = check_method(&method) else {
                panic!("{name} is not refused");
            };
            assert!(reason.contains(&format!("`x.{method}(..)`")), "{reason}");
            assert!(reason.contains("E0034"), "{reason}");
        }
        assert_eq!(
            IdentProblem::Reserved("why").describe(),
            "why",
            "the reason is the message"
        );
        assert_eq!(check_method("clone_of"), Ok(()));
        assert_eq!(check_method("uses"), Ok(()));
    }

    #[test]
    fn reserved_methods_are_unique_and_snake_case_identifiers() {
        let mut seen = std::collections::HashSet::new();
        for (method, _) in RESERVED_METHODS {
            assert!(seen.insert(*method), "{method} twice");
            assert_eq!(check_ident(method), Ok(()), "{method}");
            assert_eq!(relationship_method(method), *method);
        }
    }

    #[test]
    fn the_schema_format_doc_lists_every_reserved_method() {
        let doc = include_str!("../../docs/schema-format.md");
        for (method, _) in RESERVED_METHODS {
            assert!(
                doc.contains(&format!("`{method}`")),
                "docs/schema-format.md does not list `{method}`"
            );
        }
    }

    #[test]
    fn separators_and_case_boundaries() {
        assert_eq!(words("a_b.c d/e"), ["a", "b", "c", "d", "e"]);
        assert_eq!(relationship_method("DomainGlob"), "domain_glob");
        assert!(words("").is_empty());
        assert!(words(" - ").is_empty());
    }
}
