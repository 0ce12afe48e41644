//! Schema errors: every defect names the file, line and column, the offending token and,
//! where there is one, the nearest valid name.
//!
//! ```text
//! unknown type `Atack Pattern` at schemas/x.json:41:17; did you mean `Attack Pattern`?
//! ```

use std::fmt;
use std::path::PathBuf;

use crate::error_enum::error_enum;

error_enum! {
/// What is wrong, without the position (see [`SchemaError`] for that).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The schema file could not be read.
    Io(message: String) => "cannot read schema: {message}";
    /// The file is not valid UTF-8.
    NotUtf8 => "schema is not valid UTF-8";
    /// The file is not strict JSON (the message is the JSON parser's).
    Syntax(message: String) => "invalid JSON: {message}";
    /// The file holds no JSON value at all.
    Empty => "empty schema: expected a JSON object";
    /// A value has the wrong JSON type (`"types": 3`): `what` is e.g. `` `types` `` or
    /// ``a rule's `from` entry``, `expected` e.g. `an array`, `found` e.g. `a number`.
    WrongType {
        what: String,
        expected: &'static str,
        found: &'static str,
    } => "{what} must be {expected}, found {found}";
    /// An object has a key the format does not know; `context` is where, e.g.
    /// ``relationship `uses` ``.
    UnknownKey { key: String, context: String } => "unknown key `{key}` in {context}";
    /// An object has the same key twice.
    DuplicateKey { key: String, context: String } => "duplicate key `{key}` in {context}";
    /// A required key is missing.
    MissingKey {
        key: &'static str,
        context: String,
    } => "missing key `{key}` in {context}";
    /// A derivation without exactly one of `swap` and `copy`.
    DeriveKind(what: String) => "{what} must have exactly one of `swap` and `copy`";
    /// A tier other than `core` or `extended`.
    UnknownTier(tier: String) => "unknown tier `{tier}`";
    /// A name is empty.
    EmptyName(what: &'static str) => "empty {what} name";
    /// A name holds a control, line-separator or bidirectional character, which could make
    /// generated code read differently from what it does; `what` is `type`, `group`,
    /// `relationship`, `reverse`, `schema`, ..., `name` is escaped and cut to a readable
    /// length.
    UnsafeCharacter {
        what: &'static str,
        name: String,
        code: u32,
    } => "{what} name `{name}` contains the character U+{code:04X}, which names may not \
          contain (control, line separator or bidirectional control)";
    /// A name holds an invisible character: a format character (general category Cf: zero
    /// width space and joiners, soft hyphen, byte order mark, tag characters, ...) or a
    /// default-ignorable code point, so that it can differ from a name that looks the same.
    /// `name` has invisible characters written as `\u{..}` and is cut to a readable length;
    /// `class` is `format character` or `default-ignorable character`.
    InvisibleCharacter {
        what: &'static str,
        name: String,
        code: u32,
        class: &'static str,
    } => "{what} name `{name}` contains the invisible character U+{code:04X} ({class}), which \
          names may not contain: it makes names that look the same differ";
    /// Two different names of one kind that look the same: their confusable skeletons
    /// (Unicode Technical Standard #39) are equal, as with `Host` and `Hоst` (Cyrillic `о`).
    /// `name` is the later name, `other` the earlier one (`other_at` is `file:line:column`),
    /// both cut to a readable length.
    ConfusableName {
        what: &'static str,
        name: String,
        other_what: &'static str,
        other: String,
        other_at: String,
    } => "{what} name `{name}` looks the same as the {other_what} name `{other}` (declared at \
          {other_at}; equal Unicode confusable skeletons, UTS #39)";
    /// A name longer than [`MAX_NAME_CHARS`](crate::limits::MAX_NAME_CHARS); `name` is its
    /// start, `chars` its length in characters.
    NameTooLong {
        what: &'static str,
        name: String,
        chars: usize,
        max: usize,
    } => "{what} name `{name}` is too long: {chars} characters, at most {max}";
    /// The schema is larger than a limit of [`crate::limits`]; `what` is what is counted
    /// (`the file (bytes)`, `the expanded triples`, ...), `found` how many there are (or at
    /// least, for counts stopped early).
    Limit {
        what: &'static str,
        found: usize,
        max: usize,
    } => "schema too large: {what} is {found}, at most {max}";
    /// A name has leading or trailing white space.
    Whitespace {
        what: &'static str,
        name: String,
    } => "{what} name `{name}` has leading or trailing white space";
    /// A type or group name that starts with `@`, which marks group references.
    AtSign {
        what: &'static str,
        name: String,
    } => "{what} name `{name}` must not start with `@`";
    /// A reference to a type that is not declared.
    UnknownType(name: String) => "unknown type `{name}`";
    /// A reference (`@name`) to a group that is not declared.
    UnknownGroup(name: String) => "unknown group `@{name}`";
    /// A derivation names a relationship that is not declared.
    UnknownRelationship(name: String) => "unknown relationship `{name}`";
    /// A reverse name that is neither a relationship name nor declared in `reverse_only`.
    UnknownReverse(name: String) => "unknown reverse name `{name}`: it is neither a \
                                     relationship name nor listed in `reverse_only`";
    /// A type, group or relationship declared twice (`verb` is `declared`), or a
    /// reverse-only name listed twice (`what` is `reverse-only name`, `verb` `listed`).
    Duplicate {
        what: &'static str,
        name: String,
        verb: &'static str,
        first_line: usize,
    } => "duplicate {what} `{name}` (first {verb} at line {first_line})";
    /// A group named like a type.
    GroupNamesType(name: String) => "group `{name}` has the same name as a type";
    /// The group name `all`, which is built in (`@all` is every type).
    ReservedGroup(name: String)
        => "group name `{name}` is reserved: `@all` always means every type";
    /// Groups that contain each other.
    GroupCycle(names: Vec<String>) => "group cycle: {}", arrows(names);
    /// A reverse-only name that is also a relationship name.
    ReverseOnlyIsRelationship(name: String)
        => "reverse-only name `{name}` is also a relationship name";
    /// A reverse-only name that no relationship uses as its reverse.
    UnusedReverseOnly(name: String)
        => "reverse-only name `{name}` is not the reverse of any relationship";
    /// Derivations that depend on each other.
    DerivationCycle(names: Vec<String>) => "derivation cycle: {}", arrows(names);
    /// An empty list where at least one entry is needed (`"from": []`, `"types": []`).
    EmptyList(what: String) => "empty {what}";
    /// A relationship with none of `rules`, `same_type`, `derive` or `any`.
    NoPairs(name: String) => "relationship `{name}` allows no pair: give it `rules`, \
                              `same_type`, `derive` or `any`";
    /// A relationship whose rules and derivations expand to no pair at all.
    ExpandsToNothing(name: String) => "relationship `{name}` expands to no pair";
    /// `any` together with `key`, a key that lists pairs.
    ConflictingKeys {
        name: String,
        key: &'static str,
    } => "relationship `{name}` has `any`, which allows every pair, and also `{key}`";
    /// A derived or explicit Rust name (`what` is `marker` or `method`) that cannot be used.
    InvalidIdentifier {
        what: &'static str,
        ident: String,
        name: String,
        reason: &'static str,
    } => "{what} `{ident}` of `{name}` cannot be used: {reason}";
    /// A name without any letter or digit, so no Rust name can be derived from it.
    NoRustName {
        what: &'static str,
        name: String,
    } => "{what} name `{name}` has no letter or digit to derive a Rust name from";
    /// Two schema names that give the same Rust name; `other` is the earlier one.
    IdentCollision {
        what: &'static str,
        ident: String,
        name: String,
        other: String,
    } => "{what} `{ident}` of `{name}` is also the {what} of `{other}`";
    /// More entries than the model's 16-bit ids can index.
    TooMany(what: &'static str, max: usize) => "too many {what}: at most {max} are supported";
    /// The schema model refused what the file describes (a check the parser's own checks
    /// should already have made).
    Model(inner: crate::model::ModelError) => "invalid schema: {inner}";
}
}

impl std::error::Error for ErrorKind {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Model(inner) => Some(inner),
            _ => None,
        }
    }
}

impl From<crate::model::ModelError> for ErrorKind {
    fn from(inner: crate::model::ModelError) -> Self {
        Self::Model(inner)
    }
}

fn arrows(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(" -> ")
}

/// One schema defect with its position.
///
/// `line` and `column` are 1-based; `column` counts characters. Both are 0 when the error
/// has no position (the file could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.kind, self.path.display())?;
        if self.line != 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        match &self.help {
            Some(help) => write!(f, "; {help}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for SchemaError {}

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
}

/// The slice methods (`iter`, `len`, `is_empty`, ...) over the errors, in file order; a
/// schema error list is never empty when the parser returns it.
impl std::ops::Deref for SchemaErrors {
    type Target = [SchemaError];
    fn deref(&self) -> &[SchemaError] {
        &self.0
    }
}

impl From<SchemaError> for SchemaErrors {
    fn from(e: SchemaError) -> Self {
        SchemaErrors(vec![e])
    }
}

impl fmt::Display for SchemaErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
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
        let mut e = SchemaError::new(
            "schemas/x.json",
            41,
            17,
            ErrorKind::UnknownType("Atack Pattern".into()),
        );
        e.help = crate::suggest::did_you_mean_of(&["Attack Pattern"]);
        assert_eq!(
            e.to_string(),
            "unknown type `Atack Pattern` at schemas/x.json:41:17; did you mean `Attack Pattern`?"
        );
    }

    #[test]
    fn display_without_position_or_help() {
        let e = SchemaError::new("a.json", 0, 0, ErrorKind::Io("gone".into()));
        assert_eq!(e.to_string(), "cannot read schema: gone at a.json");
    }

    #[test]
    fn errors_display_one_per_line() {
        let a = SchemaError::new("a", 1, 2, ErrorKind::Empty);
        let mut b = SchemaError::new("a", 3, 4, ErrorKind::UnknownTier("gold".into()));
        b.help = Some("expected `core` or `extended`".into());
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
