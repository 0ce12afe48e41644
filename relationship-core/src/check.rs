//! Run-time checks of dynamic relationship records against a schema.
//!
//! A [`RelationshipInput`] uses the argument names of XSOAR's `EntityRelationship`
//! constructor. A [`Checker`] turns it into an [`EntityRelationship`] in one of two modes:
//!
//! * [`Mode::Strict`] (the default): the name and both entity types must be known to the
//!   schema, the `(entity_a_type, name, entity_b_type)` triple must be allowed, an explicit
//!   `reverse_name` must equal the schema's, and both entity values must be non-empty and
//!   not `$$DummyIndicator$$` (the pseudo-indicator that carries relationships). A
//!   violation is a [`CheckError`] that says which part is wrong and suggests the nearest
//!   valid choices.
//! * [`Mode::Lenient`]: exactly what XSOAR's `CommonServerPython` does. Any name and any
//!   types pass; the reverse name is the explicit `reverse_name` when non-empty (kept
//!   verbatim), else the schema's reverse of `name`, else `related-to`; an empty `entity_b`
//!   is accepted (every rendering is then `{}`). A source reliability that is not one of the
//!   seven strings is still an error, as XSOAR raises on it.
//!
//! In both modes, as in XSOAR, a `relationship_type` other than `IndicatorToIndicator` and an
//! `entity_a_family`/`entity_b_family` other than `Indicator` are errors
//! ([`CheckError::InvalidFixedArg`]); these come before every other check, in XSOAR's order.
//!
//! ```
//! use relationship_core::check::{Checker, Mode, RelationshipInput};
//! use relationship_core::schema::{SchemaBuilder, Tier};
//!
//! let mut b = SchemaBuilder::new("demo");
//! let (account, host) = (b.add_type("Account"), b.add_type("Host"));
//! let uses = b.add_relationship("uses", "used-by");
//! b.allow(uses, account, host, Tier::Core).add_reverse_only("used-by");
//! let schema = b.build().unwrap();
//! let input: RelationshipInput = serde_json::from_str(
//!     r#"{"name": "uses", "entity_a": "u4872", "entity_a_type": "Account",
//!         "entity_b": "pc135456.domain.local", "entity_b_type": "Hots"}"#,
//! ).unwrap();
//!
//! let err = Checker::new(&schema, Mode::Strict).check(input.clone()).unwrap_err();
//! assert_eq!(err.to_string(), "unknown entity B type `Hots` (entity_b_type); did you mean `Host`?");
//!
//! // Lenient mode is XSOAR's own behaviour: the type goes through unchecked.
//! let rel = Checker::new(&schema, Mode::Lenient).check(input).unwrap();
//! assert_eq!((rel.reverse_name(), rel.entity_b_type()), ("used-by", "Hots"));
//! ```

use std::collections::HashMap;
use std::fmt;

use relationship_schema::suggest;
use relationship_schema::{RelId, Schema, TypeId};

use crate::limits::{backticked, hint, quoted};
use crate::relationship::{ENTITY_FAMILY, EntityRelationship, Fields, RELATIONSHIP_TYPE};
use crate::reliability::{InvalidReliability, Reliability};

mod input_serde;
#[cfg(feature = "input")]
pub(crate) use input_serde::KeyIndex;

/// The reverse name XSOAR falls back to for a name it does not know.
pub(crate) const FALLBACK_REVERSE: &str = "related-to";

/// How strictly a [`Checker`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Unknown names, unknown types, disallowed pairs, a mismatching reverse name and empty
    /// entity values are errors.
    #[default]
    Strict,
    /// XSOAR's own `CommonServerPython` behaviour: only the reliability is checked.
    Lenient,
}

/// One relationship record, with the argument names of XSOAR's `EntityRelationship`
/// constructor.
///
/// The five entity arguments are required strings; `reverse_name`, `fields`,
/// `source_reliability` and `brand` are optional, and `null` or an empty string means "not
/// given", as in Python. A wrong value type (`"entity_a": 5`) is serde's error, naming the
/// field and the expected type.
///
/// `relationship_type`, `entity_a_family` and `entity_b_family` are optional too, with one
/// valid value each (`IndicatorToIndicator`, `Indicator`, `Indicator`), which is also what
/// absence or `null` means. Any other value, the empty string included (XSOAR only defaults
/// an argument that is left out), is a [`CheckError::InvalidFixedArg`] in both modes.
///
/// Unknown keys are rejected (`deny_unknown_fields`): a misspelt optional key such as
/// `source_reliabilty` would otherwise be dropped without a word, which is the kind of silent
/// loss these checks exist to prevent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelationshipInput {
    /// The relationship name, e.g. `uses`.
    pub name: String,
    /// Entity A's value (the source indicator).
    pub entity_a: String,
    /// Entity A's XSOAR type, e.g. `Account`.
    pub entity_a_type: String,
    /// Entity B's value (the target indicator).
    pub entity_b: String,
    /// Entity B's XSOAR type, e.g. `Host`.
    pub entity_b_type: String,
    /// An explicit reverse name; looked up in the schema when absent or empty.
    pub reverse_name: Option<String>,
    /// The relationship's fields, an ordered JSON object.
    pub fields: Option<Fields>,
    /// One of XSOAR's seven reliability strings; absent or empty means none.
    pub source_reliability: Option<String>,
    /// The brand; absent or empty means none.
    pub brand: Option<String>,
    /// XSOAR's `relationship_type`; only `IndicatorToIndicator` (the default) is valid.
    pub relationship_type: Option<String>,
    /// XSOAR's `entity_a_family`; only `Indicator` (the default) is valid.
    pub entity_a_family: Option<String>,
    /// XSOAR's `entity_b_family`; only `Indicator` (the default) is valid.
    pub entity_b_family: Option<String>,
}

/// One of the three `EntityRelationship` arguments that XSOAR accepts a single value for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixedArg {
    /// `relationship_type`: only `IndicatorToIndicator`.
    RelationshipType,
    /// `entity_a_family`: only `Indicator`.
    EntityAFamily,
    /// `entity_b_family`: only `Indicator`.
    EntityBFamily,
}

/// Per [`FixedArg`]: the key, the only valid value, and the start of XSOAR's `ValueError`
/// message up to the colon.
const FIXED_ARGS: [[&str; 3]; 3] = [
    [
        "relationship_type",
        RELATIONSHIP_TYPE,
        "Invalid relationship type",
    ],
    [
        "entity_a_family",
        ENTITY_FAMILY,
        "Invalid entity A Family type",
    ],
    [
        "entity_b_family",
        ENTITY_FAMILY,
        "Invalid entity B Family type",
    ],
];

impl FixedArg {
    /// The three, in the order XSOAR checks them.
    pub const ALL: [FixedArg; 3] = [
        FixedArg::RelationshipType,
        FixedArg::EntityAFamily,
        FixedArg::EntityBFamily,
    ];

    /// The argument's name, as a record key: `relationship_type`, `entity_a_family`,
    /// `entity_b_family`.
    pub fn key(self) -> &'static str {
        FIXED_ARGS[self as usize][0]
    }

    /// The only value XSOAR accepts.
    pub fn valid(self) -> &'static str {
        FIXED_ARGS[self as usize][1]
    }
}

impl fmt::Display for FixedArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Entity A (the source) or entity B (the target) of a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntitySide {
    /// Entity A, the source.
    A,
    /// Entity B, the target.
    B,
}

impl EntitySide {
    /// `a` or `b`, as in the record keys `entity_a` and `entity_b_type`.
    fn key_letter(self) -> char {
        match self {
            EntitySide::A => 'a',
            EntitySide::B => 'b',
        }
    }
}

impl fmt::Display for EntitySide {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.key_letter().to_ascii_uppercase())
    }
}

/// Why a relationship record was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckError {
    /// `entity_a` is empty (strict mode).
    EmptyEntityA {
        /// The relationship name.
        name: String,
    },
    /// `entity_b` is empty (strict mode); XSOAR would render this relationship as `{}` and
    /// never create it.
    EmptyEntityB {
        /// Entity A's value.
        entity_a: String,
        /// The relationship name.
        name: String,
    },
    /// An entity value is `$$DummyIndicator$$`, the pseudo-indicator that carries
    /// relationships in a batch and is never created (strict mode). `convert-stix` refuses a
    /// STIX object of that name for the same reason.
    DummyEntity {
        /// Which entity holds the dummy value.
        which: EntitySide,
        /// The relationship name.
        name: String,
    },
    /// The relationship name is not in the schema (strict mode).
    UnknownName {
        /// The name as given.
        name: String,
        /// Up to three known names closest to it.
        suggestions: Vec<String>,
        /// Names whose reverse is `name` (when `name` is a reverse name such as `embedded-on`).
        reverse_of: Vec<String>,
    },
    /// An entity type is not in the schema (strict mode).
    UnknownType {
        /// Which entity's type.
        which: EntitySide,
        /// The type as given.
        ty: String,
        /// Up to three known types closest to it.
        suggestions: Vec<String>,
    },
    /// The schema does not allow `source_type --name--> target_type` (strict mode).
    PairNotAllowed {
        /// Entity A's type.
        source_type: String,
        /// The relationship name.
        name: String,
        /// Entity B's type.
        target_type: String,
        /// The targets `name` allows for `source_type`, in schema type order.
        allowed_targets: Vec<String>,
        /// The names allowed from `source_type` to `target_type` (explicit ones first).
        allowed_names_between: Vec<String>,
    },
    /// An explicit reverse name differs from the schema's (strict mode).
    ReverseMismatch {
        /// The relationship name.
        name: String,
        /// The reverse name given in the record.
        given: String,
        /// The schema's reverse name for `name`.
        expected: String,
    },
    /// The source reliability is not one of XSOAR's seven strings (both modes).
    InvalidReliability(InvalidReliability),
    /// `relationship_type`, `entity_a_family` or `entity_b_family` has a value XSOAR raises
    /// `ValueError` on (both modes). The message starts with XSOAR's own, e.g.
    /// `Invalid entity A Family type: Incident`, and names the valid value.
    InvalidFixedArg {
        /// Which argument.
        arg: FixedArg,
        /// The value given.
        value: String,
    },
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyEntityA { name } => write!(
                f,
                "entity_a is empty: `{}` needs a source indicator value",
                quoted(name)
            ),
            Self::EmptyEntityB { entity_a, name } => write!(
                f,
                "entity_b is empty: `{}` `{}` nothing (XSOAR renders such a relationship as `{{}}` and drops it)",
                quoted(entity_a),
                quoted(name)
            ),
            Self::DummyEntity { which, name } => write!(
                f,
                "entity_{} is `$$DummyIndicator$$`: that is the pseudo-indicator that carries relationships in a batch, not an indicator XSOAR creates (`{}`)",
                which.key_letter(),
                quoted(name)
            ),
            Self::UnknownName {
                name,
                suggestions,
                reverse_of,
            } => {
                write!(f, "unknown relationship name `{}`", quoted(name))?;
                match reverse_of.as_slice() {
                    [] => f.write_str(&hint(suggestions)),
                    [one] => write!(
                        f,
                        ": `{name}` is the reverse name of `{one}`; use `{one}` with entity A and entity B swapped"
                    ),
                    names => write!(
                        f,
                        ": `{name}` is the reverse name of {}; use one of them with entity A and entity B swapped",
                        suggest::or_list(&names.iter().map(String::as_str).collect::<Vec<_>>())
                    ),
                }
            }
            Self::UnknownType {
                which,
                ty,
                suggestions,
            } => write!(
                f,
                "unknown entity {which} type `{}` (entity_{}_type){}",
                quoted(ty),
                which.key_letter(),
                hint(suggestions)
            ),
            Self::PairNotAllowed {
                source_type: source,
                name,
                target_type: target,
                allowed_targets: targets,
                allowed_names_between: names,
            } => {
                write!(f, "`{source}` cannot `{name}` `{target}`: ")?;
                match targets.as_slice() {
                    [] => write!(f, "`{name}` allows no target for source `{source}`")?,
                    _ => write!(
                        f,
                        "for source `{source}`, `{name}` allows targets {}",
                        backticked(targets)
                    )?,
                }
                match names.as_slice() {
                    [] => write!(
                        f,
                        "; no relationship is allowed from `{source}` to `{target}`"
                    ),
                    _ => write!(
                        f,
                        "; relationships allowed from `{source}` to `{target}`: {}",
                        backticked(names)
                    ),
                }
            }
            Self::ReverseMismatch {
                name,
                given,
                expected,
            } => write!(
                f,
                "reverse name `{}` does not match the schema: the reverse of `{name}` is `{expected}`",
                quoted(given)
            ),
            Self::InvalidReliability(inner) => fmt::Display::fmt(inner, f),
            Self::InvalidFixedArg { arg, value } => {
                let [key, valid, message] = FIXED_ARGS[*arg as usize];
                write!(
                    f,
                    "{message}: {}; the only valid {key} is `{valid}`",
                    quoted(value)
                )
            }
        }
    }
}

// `InvalidReliability` is shown as its own message, so it is not reported again as a source.
impl std::error::Error for CheckError {}

impl From<InvalidReliability> for CheckError {
    fn from(inner: InvalidReliability) -> Self {
        Self::InvalidReliability(inner)
    }
}

fn owned(names: Vec<&str>) -> Vec<String> {
    names.into_iter().map(str::to_owned).collect()
}

/// Checks [`RelationshipInput`] records against a schema and builds [`EntityRelationship`]s.
///
/// Lookups go through hash maps built once in [`Checker::new`], so checking costs a few
/// hash probes per record.
#[derive(Debug, Clone)]
pub struct Checker<'s> {
    schema: &'s Schema,
    mode: Mode,
    rels: HashMap<&'s str, RelId>,
    types: HashMap<&'s str, TypeId>,
}

impl<'s> Checker<'s> {
    /// A checker for `schema` in `mode`.
    pub fn new(schema: &'s Schema, mode: Mode) -> Self {
        let rels = schema
            .rel_ids()
            .map(|id| (schema.rel(id).name(), id))
            .collect();
        let types = schema
            .type_ids()
            .map(|id| (schema.ty(id).name(), id))
            .collect();
        Checker {
            schema,
            mode,
            rels,
            types,
        }
    }

    /// The schema checked against.
    pub fn schema(&self) -> &'s Schema {
        self.schema
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The reverse name XSOAR's lookup gives `name`: the schema's reverse, else `Reverse` for
    /// XSOAR's `Types` placeholder entry, else `related-to`.
    pub fn lookup_reverse(&self, name: &str) -> &'s str {
        match self.rels.get(name) {
            Some(&id) => self.schema.rel(id).reverse(),
            // `RELATIONSHIPS_NAMES` holds the placeholder entry `Types: Reverse`; it is no
            // usable name (so no schema has it) but XSOAR's lookup still finds it.
            None if name == "Types" => "Reverse",
            None => FALLBACK_REVERSE,
        }
    }

    /// Checks one record and builds the relationship.
    pub fn check(&self, input: RelationshipInput) -> Result<EntityRelationship, CheckError> {
        let fixed = [
            &input.relationship_type,
            &input.entity_a_family,
            &input.entity_b_family,
        ];
        for (arg, value) in FixedArg::ALL.into_iter().zip(fixed) {
            if let Some(value) = value.as_deref().filter(|v| *v != arg.valid()) {
                let value = value.to_owned();
                return Err(CheckError::InvalidFixedArg { arg, value });
            }
        }
        let reliability = match input.source_reliability.as_deref() {
            None | Some("") => None,
            Some(s) => Some(Reliability::parse(s)?),
        };
        let mut rel = EntityRelationship::new(
            input.name,
            "",
            input.entity_a,
            input.entity_a_type,
            input.entity_b,
            input.entity_b_type,
        );
        let explicit_reverse = input.reverse_name.filter(|r| !r.is_empty());
        rel.reverse_name = match (self.mode, explicit_reverse) {
            (Mode::Lenient, Some(given)) => given.into(),
            (Mode::Lenient, None) => self.lookup_reverse(&rel.name).to_owned().into(),
            (Mode::Strict, given) => {
                rel.check_entities()?;
                let expected =
                    self.check_triple(&rel.entity_a_type, &rel.name, &rel.entity_b_type)?;
                if let Some(given) = given {
                    self.check_reverse(&rel.name, &given)?;
                }
                expected.to_owned().into()
            }
        };
        rel.fields = input.fields.unwrap_or_default();
        rel.source_reliability = reliability;
        rel.brand = input.brand.filter(|b| !b.is_empty());
        Ok(rel)
    }

    /// Checks the triple `(source_type, name, target_type)` alone, without entity values:
    /// the name and both types must be the schema's and the schema must allow the pair.
    /// Returns the schema's reverse name of `name`.
    ///
    /// The errors are [`Checker::check`]'s in strict mode, in the same order: an unknown
    /// name, an unknown source type, an unknown target type, a pair not allowed. This holds
    /// in either [`Mode`].
    ///
    /// ```
    /// use relationship_core::check::{CheckError, Checker, Mode};
    /// let checker = Checker::new(relationship_core::xsoar::schema(), Mode::Strict);
    /// assert_eq!(checker.check_triple("Account", "uses", "Host"), Ok("used-by"));
    /// assert!(matches!(
    ///     checker.check_triple("Account", "uses", "CVE"),
    ///     Err(CheckError::PairNotAllowed { .. })
    /// ));
    /// ```
    pub fn check_triple(
        &self,
        source_type: &str,
        name: &str,
        target_type: &str,
    ) -> Result<&'s str, CheckError> {
        let rel = self.check_name(name)?;
        let source = self.check_type(EntitySide::A, source_type)?;
        let target = self.check_type(EntitySide::B, target_type)?;
        if !self.schema.allows(rel, source, target) {
            let schema = self.schema;
            return Err(CheckError::PairNotAllowed {
                source_type: source_type.to_owned(),
                name: name.to_owned(),
                target_type: target_type.to_owned(),
                allowed_targets: schema
                    .targets_for(rel, source)
                    .into_iter()
                    .map(|t| schema.ty(t).name().to_owned())
                    .collect(),
                allowed_names_between: schema
                    .relationships_between(source, target)
                    .into_iter()
                    .map(|r| schema.rel(r).name().to_owned())
                    .collect(),
            });
        }
        Ok(self.schema.rel(rel).reverse())
    }

    /// Checks that `name` is a relationship name of the schema
    /// ([`CheckError::UnknownName`], with the nearest names, otherwise).
    pub(crate) fn check_name(&self, name: &str) -> Result<RelId, CheckError> {
        self.rels.get(name).copied().ok_or_else(|| {
            let reverse_of = self
                .schema
                .relationships()
                .iter()
                .filter(|r| r.reverse() == name)
                .map(|r| r.name().to_owned())
                .collect();
            CheckError::UnknownName {
                name: name.to_owned(),
                suggestions: owned(self.schema.suggest_relationships(name)),
                reverse_of,
            }
        })
    }

    /// Checks that `ty`, the type of entity `which`, is a type of the schema
    /// ([`CheckError::UnknownType`], with the nearest types, otherwise).
    pub(crate) fn check_type(&self, which: EntitySide, ty: &str) -> Result<TypeId, CheckError> {
        self.types
            .get(ty)
            .copied()
            .ok_or_else(|| CheckError::UnknownType {
                which,
                ty: ty.to_owned(),
                suggestions: owned(self.schema.suggest_types(ty)),
            })
    }

    /// Checks that an explicit reverse name `given` is the schema's reverse of `name`
    /// ([`CheckError::ReverseMismatch`] otherwise; [`CheckError::UnknownName`] when `name`
    /// is not the schema's).
    pub(crate) fn check_reverse(&self, name: &str, given: &str) -> Result<(), CheckError> {
        let expected = self.schema.rel(self.check_name(name)?).reverse();
        if given == expected {
            Ok(())
        } else {
            Err(CheckError::ReverseMismatch {
                name: name.to_owned(),
                given: given.to_owned(),
                expected: expected.to_owned(),
            })
        }
    }
}
impl EntityRelationship {
    /// The entity checks strict mode applies to a record (and strict `xsoar-rel batch` to a
    /// line): both values non-empty, neither `$$DummyIndicator$$`. A typed constructor
    /// (`user.uses(&machine)`) returns its relationship whatever the values; check it here
    /// before batching when a value may be empty (an `Option` value field, an empty string).
    ///
    /// ```
    /// use relationship_core::prelude::*;
    /// use relationship_core::check::CheckError;
    /// use relationship_core::xsoar::types::{Account, Host};
    ///
    /// let rel = Entity::<Account>::new("").uses(&Entity::<Host>::new("pc1"));
    /// assert!(matches!(rel.check_entities(), Err(CheckError::EmptyEntityA { .. })));
    /// let rel = Entity::<Account>::new("u1").uses(&Entity::<Host>::new("pc1"));
    /// assert_eq!(rel.check_entities(), Ok(()));
    /// ```
    ///
    /// # Errors
    ///
    /// [`CheckError::EmptyEntityA`], [`CheckError::EmptyEntityB`] or
    /// [`CheckError::DummyEntity`].
    pub fn check_entities(&self) -> Result<(), CheckError> {
        let name = || self.name.to_string();
        if self.entity_a.is_empty() {
            return Err(CheckError::EmptyEntityA { name: name() });
        }
        let entity_a = &self.entity_a;
        if self.entity_b.is_empty() {
            let (entity_a, name) = (entity_a.clone(), name());
            return Err(CheckError::EmptyEntityB { entity_a, name });
        }
        for (which, value) in [(EntitySide::A, entity_a), (EntitySide::B, &self.entity_b)] {
            if value == crate::indicator::DUMMY_INDICATOR_VALUE {
                return Err(CheckError::DummyEntity {
                    which,
                    name: name(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use relationship_schema::{SchemaBuilder, Tier};

    /// A small schema: Account, Host, CVE, Software, Domain; uses/used-by, has/seen-on,
    /// embeds (reverse-only `embedded-on`), related-to and is-also (any).
    pub(crate) fn schema() -> Schema {
        let mut b = SchemaBuilder::new("test");
        let [account, host, cve, software, _domain] =
            ["Account", "Host", "CVE", "Software", "Domain"].map(|n| b.add_type(n));
        let uses = b.add_relationship("uses", "used-by");
        let used_by = b.add_relationship("used-by", "uses");
        let has = b.add_relationship("has", "seen-on");
        let seen_on = b.add_relationship("seen-on", "has");
        let embeds = b.add_relationship("embeds", "embedded-on");
        let related_to = b.add_relationship("related-to", "related-to");
        let is_also = b.add_relationship("is-also", "is-also");
        b.allow(uses, account, host, Tier::Core)
            .allow(uses, host, software, Tier::Core)
            .allow(used_by, host, account, Tier::Core)
            .allow(used_by, software, host, Tier::Core)
            .allow(has, host, cve, Tier::Core)
            .allow(seen_on, cve, host, Tier::Core)
            .allow(embeds, software, software, Tier::Core)
            .allow_any(related_to)
            .allow_any(is_also)
            .add_reverse_only("embedded-on");
        b.build().unwrap()
    }

    fn input(name: &str, a_type: &str, b_type: &str) -> RelationshipInput {
        RelationshipInput {
            name: name.into(),
            entity_a: "a".into(),
            entity_a_type: a_type.into(),
            entity_b: "b".into(),
            entity_b_type: b_type.into(),
            ..RelationshipInput::default()
        }
    }

    fn strict_err(i: RelationshipInput) -> CheckError {
        let s = schema();
        Checker::new(&s, Mode::Strict).check(i).unwrap_err()
    }

    #[test]
    fn strict_accepts_allowed_triples_with_schema_reverse() {
        let s = schema();
        let c = Checker::new(&s, Mode::Strict);
        let rel = c.check(input("uses", "Account", "Host")).unwrap();
        assert_eq!(rel.reverse_name(), "used-by");
        let rel = c.check(input("related-to", "CVE", "Domain")).unwrap();
        assert_eq!(rel.reverse_name(), "related-to");
        let mut i = input("embeds", "Software", "Software");
        i.reverse_name = Some("embedded-on".into());
        assert_eq!(c.check(i).unwrap().reverse_name(), "embedded-on");
        let mut i = input("uses", "Account", "Host");
        i.reverse_name = Some(String::new());
        assert_eq!(c.check(i).unwrap().reverse_name(), "used-by");
    }

    #[test]
    fn strict_pair_error_names_the_triple_and_the_alternatives() {
        let err = strict_err(input("uses", "Host", "CVE"));
        assert_eq!(
            err.to_string(),
            "`Host` cannot `uses` `CVE`: for source `Host`, `uses` allows targets `Software`; relationships allowed from `Host` to `CVE`: `has`, `related-to`, `is-also`"
        );
        let err = strict_err(input("uses", "CVE", "Host"));
        assert_eq!(
            err.to_string(),
            "`CVE` cannot `uses` `Host`: `uses` allows no target for source `CVE`; relationships allowed from `CVE` to `Host`: `seen-on`, `related-to`, `is-also`"
        );
    }

    #[test]
    fn strict_unknown_name_and_types_suggest() {
        assert_eq!(
            strict_err(input("usess", "Account", "Host")).to_string(),
            "unknown relationship name `usess`; did you mean `uses`?"
        );
        assert_eq!(
            strict_err(input("embedded-on", "Software", "Software")).to_string(),
            "unknown relationship name `embedded-on`: `embedded-on` is the reverse name of `embeds`; use `embeds` with entity A and entity B swapped"
        );
        assert_eq!(
            strict_err(input("uses", "account", "Host")).to_string(),
            "unknown entity A type `account` (entity_a_type); did you mean `Account`?"
        );
        assert!(matches!(
            strict_err(input("uses", "Account", "Hots")),
            CheckError::UnknownType { which: EntitySide::B, ref ty, ref suggestions } if ty == "Hots" && suggestions == &["Host"]
        ));
        assert_eq!(
            strict_err(input("uses", "Account", "zzzz")).to_string(),
            "unknown entity B type `zzzz` (entity_b_type)"
        );
    }

    #[test]
    fn strict_reverse_mismatch_and_empty_entities() {
        let mut i = input("uses", "Account", "Host");
        i.reverse_name = Some("uses".into());
        assert_eq!(
            strict_err(i).to_string(),
            "reverse name `uses` does not match the schema: the reverse of `uses` is `used-by`"
        );
        let mut i = input("uses", "Account", "Host");
        i.entity_b = String::new();
        assert!(matches!(strict_err(i), CheckError::EmptyEntityB { .. }));
        let mut i = input("uses", "Account", "Host");
        i.entity_a = String::new();
        assert!(matches!(strict_err(i), CheckError::EmptyEntityA { .. }));
    }

    #[test]
    fn lenient_is_xsoar() {
        let s = schema();
        let c = Checker::new(&s, Mode::Lenient);
        // unknown name → related-to; unknown types pass verbatim
        let mut i = input("frobnicates", "Nope", "Nada");
        i.entity_b = String::new();
        let rel = c.check(i).unwrap();
        assert_eq!(rel.reverse_name(), "related-to");
        assert_eq!(rel.entity_a_type(), "Nope");
        assert!(rel.renders_empty());
        // explicit reverse kept verbatim, even when the schema disagrees
        let mut i = input("uses", "Host", "CVE");
        i.reverse_name = Some("whatever".into());
        assert_eq!(c.check(i).unwrap().reverse_name(), "whatever");
        // disallowed pair passes with the schema's reverse
        assert_eq!(
            c.check(input("uses", "Host", "CVE"))
                .unwrap()
                .reverse_name(),
            "used-by"
        );
        // XSOAR's placeholder entry
        assert_eq!(
            c.check(input("Types", "a", "b")).unwrap().reverse_name(),
            "Reverse"
        );
        // invalid reliability still raises; empty means none
        let mut i = input("uses", "Account", "Host");
        i.source_reliability = Some("B - usually reliable".into());
        assert!(matches!(c.check(i), Err(CheckError::InvalidReliability(_))));
        let mut i = input("uses", "Account", "Host");
        i.source_reliability = Some(String::new());
        i.brand = Some(String::new());
        let rel = c.check(i).unwrap();
        assert_eq!((rel.source_reliability(), rel.brand()), (None, None));
    }

    #[test]
    fn fixed_args_accept_only_xsoar_values_in_both_modes() {
        let s = schema();
        for mode in [Mode::Strict, Mode::Lenient] {
            let c = Checker::new(&s, mode);
            // The valid values, spelt out, are the defaults.
            let mut i = input("uses", "Account", "Host");
            i.relationship_type = Some("IndicatorToIndicator".into());
            i.entity_a_family = Some("Indicator".into());
            i.entity_b_family = Some("Indicator".into());
            let rel = c.check(i).unwrap();
            assert_eq!(rel, c.check(input("uses", "Account", "Host")).unwrap());

            // XSOAR's messages (CommonServerPython's ValueError texts), then the valid value.
            let cases = [
                (
                    FixedArg::RelationshipType,
                    "TestRelationshipType",
                    "Invalid relationship type: TestRelationshipType; the only valid relationship_type is `IndicatorToIndicator`",
                ),
                (
                    FixedArg::EntityAFamily,
                    "IndicatorIlegal",
                    "Invalid entity A Family type: IndicatorIlegal; the only valid entity_a_family is `Indicator`",
                ),
                (
                    FixedArg::EntityBFamily,
                    "indicator",
                    "Invalid entity B Family type: indicator; the only valid entity_b_family is `Indicator`",
                ),
                (
                    FixedArg::RelationshipType,
                    "",
                    "Invalid relationship type: ; the only valid relationship_type is `IndicatorToIndicator`",
                ),
            ];
            for (arg, value, message) in cases {
                let mut i = input("uses", "Account", "Host");
                match arg {
                    FixedArg::RelationshipType => i.relationship_type = Some(value.into()),
                    FixedArg::EntityAFamily => i.entity_a_family = Some(value.into()),
                    FixedArg::EntityBFamily => i.entity_b_family = Some(value.into()),
                }
                let err = c.check(i).unwrap_err();
                assert_eq!(
                    err,
                    CheckError::InvalidFixedArg {
                        arg,
                        value: value.into()
                    },
                    "{mode:?}"
                );
                assert_eq!(err.to_string(), message, "{mode:?}");
            }
        }
    }

    #[test]
    fn fixed_args_are_checked_first_in_xsoar_order() {
        let s = schema();
        let c = Checker::new(&s, Mode::Strict);
        // An unknown name, an empty entity B and a bad reliability as well: XSOAR raises on
        // the relationship type first, then entity A's family, then entity B's.
        let mut i = input("usess", "Account", "Host");
        i.entity_b = String::new();
        i.source_reliability = Some("Z".into());
        i.entity_b_family = Some("B".into());
        assert!(matches!(
            c.check(i.clone()),
            Err(CheckError::InvalidFixedArg {
                arg: FixedArg::EntityBFamily,
                ..
            })
        ));
        i.entity_a_family = Some("A".into());
        assert!(matches!(
            c.check(i.clone()),
            Err(CheckError::InvalidFixedArg {
                arg: FixedArg::EntityAFamily,
                ..
            })
        ));
        i.relationship_type = Some("T".into());
        assert_eq!(
            c.check(i).unwrap_err().to_string(),
            "Invalid relationship type: T; the only valid relationship_type is `IndicatorToIndicator`"
        );
    }

    #[test]
    fn fixed_args_deserialize_as_optional_keys() {
        let s = schema();
        let c = Checker::new(&s, Mode::Lenient);
        let i: RelationshipInput = serde_json::from_str(
            r#"{"name":"uses","entity_a":"a","entity_a_type":"Account","entity_b":"b","entity_b_type":"Host",
                "relationship_type":"IndicatorToIndicator","entity_a_family":null,"entity_b_family":"Indicator"}"#,
        )
        .unwrap();
        assert_eq!(i.relationship_type.as_deref(), Some("IndicatorToIndicator"));
        assert_eq!(i.entity_a_family, None);
        assert!(c.check(i).is_ok());
        let i: RelationshipInput = serde_json::from_str(
            r#"{"name":"uses","entity_a":"a","entity_a_type":"Account","entity_b":"b","entity_b_type":"Host",
                "entity_a_family":"Incident"}"#,
        )
        .unwrap();
        assert_eq!(
            c.check(i).unwrap_err().to_string(),
            "Invalid entity A Family type: Incident; the only valid entity_a_family is `Indicator`"
        );
        // Serializing leaves absent ones out, so a record round-trips.
        let back = serde_json::to_string(&input("uses", "Account", "Host")).unwrap();
        assert!(
            !back.contains("family") && !back.contains("relationship_type"),
            "{back}"
        );
    }

    #[test]
    fn input_keeps_optional_values() {
        let s = schema();
        let c = Checker::new(&s, Mode::Strict);
        let i: RelationshipInput = serde_json::from_str(
            r#"{"name":"uses","entity_a":"a","entity_a_type":"Account","entity_b":"b","entity_b_type":"Host",
                "reverse_name":null,"fields":{"z":1,"a":2},"source_reliability":"A - Completely reliable","brand":"X"}"#,
        )
        .unwrap();
        let rel = c.check(i).unwrap();
        assert_eq!(rel.fields().keys().collect::<Vec<_>>(), ["z", "a"]);
        assert_eq!(rel.source_reliability(), Some(Reliability::A));
        assert_eq!(rel.brand(), Some("X"));
    }

    #[test]
    fn input_errors_are_serde_errors() {
        let e = serde_json::from_str::<RelationshipInput>(
            r#"{"name":"uses","entity_a":5,"entity_a_type":"Account","entity_b":"b","entity_b_type":"Host"}"#,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("invalid type: integer `5`, expected a string"),
            "{e}"
        );
        let e = serde_json::from_str::<RelationshipInput>(
            r#"{"name":"uses","entity_a":"a","entity_a_type":"Account","entity_b":"b","entity_b_type":"Host","brnd":"x"}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown field `brnd`"), "{e}");
        let e = serde_json::from_str::<RelationshipInput>(r#"{"name":"uses"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `entity_a`"), "{e}");
    }
}
