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
mod relationships;

use relationship_schema as schema;

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
