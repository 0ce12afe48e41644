//! Derive macros for typed XSOAR indicators and relationships, re-exported by
//! `relationship_core` (use them through `relationship_core::prelude::*`).
//!
//! Every error is a spanned `compile_error!` with a suggestion where one exists; the macros
//! never panic, collect all attribute errors at once, and still emit a placeholder
//! implementation next to the errors so that code using the type reports nothing further.
#![forbid(unsafe_code)]

mod attr;
mod builtin;
#[cfg(test)]
mod fuzz_tests;
mod indicator;
mod policy;
mod relationships;

use proc_macro::TokenStream;

/// Implements `relationship_core::typed::Indicator` for a struct.
///
/// ```ignore
/// #[derive(Indicator)]
/// #[indicator(type = "Account", score = 1)]
/// struct User {
///     #[indicator(value)]
///     name: String,
///     #[indicator(field = "displayname")]
///     display: Option<String>,
/// }
/// ```
///
/// Container attributes (`#[indicator(...)]` on the struct):
///
/// * `type = "Attack Pattern"`: XSOAR's type string, checked against the schema (a
///   misspelling gets a suggestion); or `type = path::to::Marker`;
/// * `score = 0..=3`: a fixed DBot score;
/// * `schema = path`: the module generated from a user schema (default
///   `relationship_core::xsoar`);
/// * `crate = path`: the path of the runtime crate (default `::relationship_core`).
///
/// Field attributes: `value` (exactly one field: the indicator value), `field = "cliname"`
/// (serialized into the indicator's `fields`; `null` is left out), `score` (a `u8` or
/// `Option<u8>` field), `raw_json` (serialized into `rawJSON`). A `field` or `raw_json` value
/// that does not serialize makes `to_indicator_object` return a
/// `relationship_core::typed::FieldError` naming the struct and the field.
#[proc_macro_derive(Indicator, attributes(indicator))]
pub fn derive_indicator(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    indicator::expand(&input).into()
}

/// Implements `relationship_core::typed::Relationships` for a record whose fields are
/// indicators, declaring checked relationships between them.
///
/// ```ignore
/// #[derive(Relationships)]
/// struct LoginEvent {
///     #[relationship(uses = host)]
///     account: User,
///     #[relationship(communicates_with = remote_ip)]
///     host: Option<Machine>,
///     remote_ip: Entity<Ip>,
///     timestamp: u64,
/// }
/// ```
///
/// `#[relationship(uses = host)]` on the field `account` declares `account` **uses** `host`;
/// the key is the typed constructor's name (`uses`, `communicates_with`, `sub_domain_of`)
/// and the value the target field. Each declaration is checked against the schema at
/// compile time, the error pointing at it. `#[relationship(entity)]` includes a field's
/// indicator without a relationship. Fields not named in any attribute are ignored.
/// `indicators()` returns the first indicator's `FieldError`, if any.
///
/// Container attribute `#[relationship(schema = path, crate = path)]` as for `Indicator`.
#[proc_macro_derive(Relationships, attributes(relationship))]
pub fn derive_relationships(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    relationships::expand(&input).into()
}

/// Asserts at compile time that a schema allows `Source --relationship--> Target`.
///
/// ```ignore
/// relationship_core::assert_relationship!(Account: uses -> Host);
/// relationship_core::assert_relationship!("X509 Certificate": embedded-in -> File);
/// relationship_core::assert_relationship!(schema = crate::hr, Employee: owns -> Host);
/// ```
///
/// Types and relationship names are spelled as in the schema (`CVE`, `IPv6CIDR`,
/// `sub-domain-of`); a name with a space is written as a string literal (or as its words:
/// `Attack Pattern: uses -> Malware`). `schema = path` names a module generated from a user
/// schema (default `relationship_core::xsoar`), `crate = path` the runtime crate (default
/// `::relationship_core`). The assertion is a `const` item, usable at module level or in
/// a function: a wrong one fails `cargo check` with a message that quotes it and says why
/// (what the schema allows instead, or "did you mean" for a misspelled name). Nothing of it
/// exists at run time.
#[proc_macro]
pub fn assert_relationship(input: TokenStream) -> TokenStream {
    policy::expand(input.into(), true).into()
}

/// Asserts at compile time that a schema does **not** allow
/// `Source --relationship--> Target` (a policy such as "a Host may never use a CVE").
///
/// ```ignore
/// relationship_core::assert_no_relationship!(Host: uses -> CVE);
/// relationship_core::assert_no_relationship!(schema = crate::hr, Employee: owns -> IP);
/// ```
///
/// The same syntax and options as [`assert_relationship!`]; it fails `cargo check` when the
/// schema allows the triple (an any-to-any relationship such as `related-to` allows every
/// pair), or when a name is not in the schema.
#[proc_macro]
pub fn assert_no_relationship(input: TokenStream) -> TokenStream {
    policy::expand(input.into(), false).into()
}
