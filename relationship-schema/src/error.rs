//! Schema errors: every defect names the file, line and column, the offending token and,
//! where there is one, the nearest valid name.
//!
//! ```text
//! unknown type `Atack Pattern` at schemas/x.json:41:17; did you mean `Attack Pattern`?
//! ```

use std::fmt;
use std::path::PathBuf;

/// What is wrong, without the position (see [`SchemaError`] for that).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The schema file could not be read.
    #[error("cannot read schema: {0}")]
    Io(String),
    /// The file is not valid UTF-8.
    #[error("schema is not valid UTF-8")]
    NotUtf8,
    /// The file is not strict JSON (the message is the JSON parser's).
    #[error("invalid JSON: {0}")]
    Syntax(String),
    /// The file holds no JSON value at all.
    #[error("empty schema: expected a JSON object")]
    Empty,
    /// A value has the wrong JSON type (`"types": 3`).
    #[error("{what} must be {expected}, found {found}")]
    WrongType {
        /// Which value, e.g. `` `types` `` or `a rule's `from` entry`.
        what: String,
        /// What it must be, e.g. `an array`.
        expected: &'static str,
        /// What it is, e.g. `a number`.
        found: &'static str,
    },
    /// An object has a key the format does not know.
    #[error("unknown key `{key}` in {context}")]
    UnknownKey {
        /// The key as written.
        key: String,
        /// Where, e.g. `relationship `uses``.
        context: String,
    },
    /// An object has the same key twice.
    #[error("duplicate key `{key}` in {context}")]
    DuplicateKey {
        /// The key as written.
        key: String,
        /// Where.
        context: String,
    },
    /// A required key is missing.
    #[error("missing key `{key}` in {context}")]
    MissingKey {
        /// The key that is required.
        key: &'static str,
        /// Where.
        context: String,
    },
    /// A derivation without exactly one of `swap` and `copy`.
    #[error("{0} must have exactly one of `swap` and `copy`")]
    DeriveKind(String),
    /// A tier other than `core` or `extended`.
    #[error("unknown tier `{0}`")]
    UnknownTier(String),
    /// A name is empty.
    #[error("empty {0} name")]
    EmptyName(&'static str),
    /// A name holds a control, line-separator or bidirectional character, which could make
    /// generated code read differently from what it does.
    #[error(
        "{what} name `{name}` contains the character U+{code:04X}, which names may not contain (control, line separator or bidirectional control)"
    )]
    UnsafeCharacter {
        /// `type`, `group`, `relationship`, `reverse`, `schema`, ...
        what: &'static str,
        /// The name, with such characters escaped and cut to a readable length.
        name: String,
        /// The character's code point.
        code: u32,
    },
    /// A name holds an invisible character: a format character (general category Cf: zero
    /// width space and joiners, soft hyphen, byte order mark, tag characters, ...) or a
    /// default-ignorable code point, so that it can differ from a name that looks the same.
    #[error(
        "{what} name `{name}` contains the invisible character U+{code:04X} ({class}), which names may not contain: it makes names that look the same differ"
    )]
    InvisibleCharacter {
        /// `type`, `group`, `relationship`, `reverse`, `schema`, ...
        what: &'static str,
        /// The name, with invisible characters written as `\u{..}` and cut to a readable
        /// length.
        name: String,
        /// The character's code point.
        code: u32,
        /// `format character` or `default-ignorable character`.
        class: &'static str,
    },
    /// Two different names of one kind that look the same: their confusable skeletons
    /// (Unicode Technical Standard #39) are equal, as with `Host` and `Hоst` (Cyrillic `о`).
    #[error(
        "{what} name `{name}` looks the same as the {other_what} name `{other}` (declared at {other_at}; equal Unicode confusable skeletons, UTS #39)"
    )]
    ConfusableName {
        /// `type`, `group`, `relationship` or `reverse-only`.
        what: &'static str,
        /// The later name, cut to a readable length.
        name: String,
        /// What the earlier name is.
        other_what: &'static str,
        /// The earlier name, cut to a readable length.
        other: String,
        /// Where the earlier name is, `file:line:column`.
        other_at: String,
    },
    /// A name longer than [`MAX_NAME_CHARS`](crate::limits::MAX_NAME_CHARS).
    #[error("{what} name `{name}` is too long: {chars} characters, at most {max}")]
    NameTooLong {
        /// `type`, `group`, `relationship`, ...
        what: &'static str,
        /// The start of the name.
        name: String,
        /// Its length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// The schema is larger than a limit of [`crate::limits`].
    #[error("schema too large: {what} is {found}, at most {max}")]
    Limit {
        /// What is counted (`the file (bytes)`, `the expanded triples`, ...).
        what: &'static str,
        /// How many there are (or at least, for counts stopped early).
        found: usize,
        /// The limit.
        max: usize,
    },
    /// A name has leading or trailing white space.
    #[error("{what} name `{name}` has leading or trailing white space")]
    Whitespace {
        /// `type`, `group`, ...
        what: &'static str,
        /// The name as written.
        name: String,
    },
    /// A type or group name that starts with `@`, which marks group references.
    #[error("{what} name `{name}` must not start with `@`")]
    AtSign {
        /// `type` or `group`.
        what: &'static str,
        /// The name as written.
        name: String,
    },
    /// A reference to a type that is not declared.
    #[error("unknown type `{0}`")]
    UnknownType(String),
    /// A reference (`@name`) to a group that is not declared.
    #[error("unknown group `@{0}`")]
    UnknownGroup(String),
    /// A derivation names a relationship that is not declared.
    #[error("unknown relationship `{0}`")]
    UnknownRelationship(String),
    /// A reverse name that is neither a relationship name nor declared in `reverse_only`.
    #[error(
        "unknown reverse name `{0}`: it is neither a relationship name nor listed in `reverse_only`"
    )]
    UnknownReverse(String),
    /// A type declared twice.
    #[error("duplicate type `{name}` (first declared at line {first_line})")]
    DuplicateType {
        /// The name.
        name: String,
        /// Line of the first declaration.
        first_line: usize,
    },
    /// A group declared twice.
    #[error("duplicate group `{name}` (first declared at line {first_line})")]
    DuplicateGroup {
        /// The name.
        name: String,
        /// Line of the first declaration.
        first_line: usize,
    },
    /// A relationship name declared twice.
    #[error("duplicate relationship `{name}` (first declared at line {first_line})")]
    DuplicateRelationship {
        /// The name.
        name: String,
        /// Line of the first declaration.
        first_line: usize,
    },
    /// A reverse-only name listed twice.
    #[error("duplicate reverse-only name `{name}` (first listed at line {first_line})")]
    DuplicateReverseOnly {
        /// The name.
        name: String,
        /// Line of the first listing.
        first_line: usize,
    },
    /// A group named like a type.
    #[error("group `{0}` has the same name as a type")]
    GroupNamesType(String),
    /// The group name `all`, which is built in (`@all` is every type).
    #[error("group name `{0}` is reserved: `@all` always means every type")]
    ReservedGroup(String),
    /// Groups that contain each other.
    #[error("group cycle: {}", arrows(.0))]
    GroupCycle(Vec<String>),
    /// A reverse-only name that is also a relationship name.
    #[error("reverse-only name `{0}` is also a relationship name")]
    ReverseOnlyIsRelationship(String),
    /// A reverse-only name that no relationship uses as its reverse.
    #[error("reverse-only name `{0}` is not the reverse of any relationship")]
    UnusedReverseOnly(String),
    /// Derivations that depend on each other.
    #[error("derivation cycle: {}", arrows(.0))]
    DerivationCycle(Vec<String>),
    /// An empty list where at least one entry is needed (`"from": []`, `"types": []`).
    #[error("empty {0}")]
    EmptyList(String),
    /// A relationship with none of `rules`, `same_type`, `derive` or `any`.
    #[error("relationship `{0}` allows no pair: give it `rules`, `same_type`, `derive` or `any`")]
    NoPairs(String),
    /// A relationship whose rules and derivations expand to no pair at all.
    #[error("relationship `{0}` expands to no pair")]
    ExpandsToNothing(String),
    /// `any` together with keys that list pairs.
    #[error("relationship `{name}` has `any`, which allows every pair, and also `{key}`")]
    ConflictingKeys {
        /// The relationship.
        name: String,
        /// The key that makes no sense next to `any`.
        key: &'static str,
    },
    /// A derived or explicit Rust name that cannot be used.
    #[error("{what} `{ident}` of `{name}` cannot be used: {reason}")]
    InvalidIdentifier {
        /// `marker` or `method`.
        what: &'static str,
        /// The Rust name.
        ident: String,
        /// The schema name it belongs to.
        name: String,
        /// Why it cannot be used.
        reason: &'static str,
    },
    /// A name without any letter or digit, so no Rust name can be derived from it.
    #[error("{what} name `{name}` has no letter or digit to derive a Rust name from")]
    NoRustName {
        /// `type` or `relationship`.
        what: &'static str,
        /// The name as written.
        name: String,
    },
    /// Two schema names that give the same Rust name.
    #[error("{what} `{ident}` of `{name}` is also the {what} of `{other}`")]
    IdentCollision {
        /// `marker` or `method`.
        what: &'static str,
        /// The Rust name.
        ident: String,
        /// The later schema name.
        name: String,
        /// The earlier schema name.
        other: String,
    },
    /// More entries than the model's 16-bit ids can index.
    #[error("too many {0}: at most {1} are supported")]
    TooMany(&'static str, usize),
    /// The schema model refused what the file describes (a check the parser's own checks
    /// should already have made).
    #[error("invalid schema: {0}")]
    Model(#[from] crate::model::ModelError),
}

fn arrows(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// One schema defect with its position.
///
/// `line` and `column` are 1-based; `column` counts characters. Both are 0 when the error
/// has no position (the file could not be read).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at {location}{help}", location = Location(self), help = Help(&self.help))]
pub struct SchemaError {
    /// The schema file (as given by the caller; used only in messages).
    pub path: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column in characters, 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub kind: ErrorKind,
    /// A hint such as ``did you mean `Attack Pattern`?``, if there is one.
    pub help: Option<String>,
}

struct Location<'a>(&'a SchemaError);

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        if e.line == 0 {
            write!(f, "{}", e.path.display())
        } else {
            write!(f, "{}:{}:{}", e.path.display(), e.line, e.column)
        }
    }
}

struct Help<'a>(&'a Option<String>);

impl fmt::Display for Help<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(h) => write!(f, "; {h}"),
            None => Ok(()),
        }
    }
}

impl SchemaError {
    /// An error at a known position, without a hint.
    pub fn new(path: impl Into<PathBuf>, line: usize, column: usize, kind: ErrorKind) -> Self {
        SchemaError {
            path: path.into(),
            line,
            column,
            kind,
            help: None,
        }
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds ``did you mean `a` or `b`?`` when `suggestions` is not empty.
    pub fn with_suggestions(mut self, suggestions: &[&str]) -> Self {
        if let Some(help) = crate::suggest::did_you_mean_of(suggestions) {
            self.help = Some(help);
        }
        self
    }
}

/// All defects found in one schema, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaErrors(Vec<SchemaError>);

impl SchemaErrors {
    /// Wraps a list of errors.
    pub fn new(errors: Vec<SchemaError>) -> Self {
        SchemaErrors(errors)
    }

    /// The errors, in file order.
    pub fn errors(&self) -> &[SchemaError] {
        &self.0
    }

    /// Iterates over the errors.
    pub fn iter(&self) -> std::slice::Iter<'_, SchemaError> {
        self.0.iter()
    }

    /// The number of errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no error (never true for an error returned by the parser).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors, by value.
    pub fn into_vec(self) -> Vec<SchemaError> {
        self.0
    }
}

impl From<SchemaError> for SchemaErrors {
    fn from(e: SchemaError) -> Self {
        SchemaErrors(vec![e])
    }
}

impl fmt::Display for SchemaErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaErrors {}

impl IntoIterator for SchemaErrors {
    type Item = SchemaError;
    type IntoIter = std::vec::IntoIter<SchemaError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a SchemaErrors {
    type Item = &'a SchemaError;
    type IntoIter = std::slice::Iter<'a, SchemaError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_position_and_suggestion() {
        let e = SchemaError::new(
            "schemas/x.json",
            41,
            17,
            ErrorKind::UnknownType("Atack Pattern".into()),
        )
        .with_suggestions(&["Attack Pattern"]);
        assert_eq!(
            e.to_string(),
            "unknown type `Atack Pattern` at schemas/x.json:41:17; did you mean `Attack Pattern`?"
        );
    }

    #[test]
    fn display_without_position_or_help() {
        let e = SchemaError::new("a.json", 0, 0, ErrorKind::Io("gone".into()));
        assert_eq!(e.to_string(), "cannot read schema: gone at a.json");
        let e = e.with_suggestions(&[]);
        assert_eq!(e.help, None);
    }

    #[test]
    fn errors_display_one_per_line() {
        let a = SchemaError::new("a", 1, 2, ErrorKind::Empty);
        let b = SchemaError::new("a", 3, 4, ErrorKind::UnknownTier("gold".into()))
            .with_help("expected `core` or `extended`");
        let all = SchemaErrors::new(vec![a, b]);
        assert_eq!(
            all.to_string(),
            "empty schema: expected a JSON object at a:1:2\n\
             unknown tier `gold` at a:3:4; expected `core` or `extended`"
        );
        assert_eq!(all.len(), 2);
        assert_eq!(all.iter().count(), 2);
    }

    #[test]
    fn cycles_are_drawn_with_arrows() {
        let k = ErrorKind::DerivationCycle(vec!["a".into(), "b".into(), "a".into()]);
        assert_eq!(k.to_string(), "derivation cycle: `a` -> `b` -> `a`");
    }
}
