//! Rust code generation from a [`Schema`]: marker types, compile-time checks and typed
//! constructors.
//!
//! [`generate`] turns a validated schema into one formatted Rust source file, meant to be
//! `include!`d inside a module (this is how `relationship_core::xsoar` is built, and what
//! [`crate::Builder`] writes for a user schema). The file holds, for a schema named `xsoar`:
//!
//! * `types`: a zero-sized marker per indicator type (`types::AttackPattern`), implementing
//!   `relationship_core::typed::IndicatorType` (its XSOAR string) and the module's
//!   `SchemaType`;
//! * `rels`: a marker per relationship name (`rels::Uses`), implementing
//!   `relationship_core::typed::RelationshipName` (name and reverse name);
//! * `check`: one trait per relationship name with explicit pairs, `check::UsesTarget<Source>`,
//!   implemented for exactly the allowed `(source, target)` pairs on the types rustc prints
//!   (`check::Member::As`: the marker, or a struct of `check::spell` named as XSOAR spells
//!   the type, `spell::CVE`). rustc reports a disallowed pair with that trait's
//!   `#[diagnostic::on_unimplemented]` text: source, relationship and target in its first
//!   line, where the allowed pairs are listed, and the `xsoar-rel schema explain` command
//!   that lists what the source may have instead;
//! * `__policy` (hidden): the schema's names and explicit triples as `const` tables, which
//!   `assert_relationship!` and `assert_no_relationship!` check at compile time;
//! * `Relate`: an extension trait with one typed constructor per relationship name
//!   (`uses`, `used_by`, `sub_domain_of`), implemented for every indicator whose type
//!   belongs to the schema, and `prelude`, which brings it into scope without its name.
//!
//! Any-to-any relationships (`related-to`, `is-also`) get a constructor without a bound and
//! no check trait, so only the explicit triples cost an `impl` each.

mod docs;
mod emit;
mod names;
#[cfg(test)]
mod tests;

use proc_macro2::Ident;
use quote::quote;

use relationship_schema::text::escape_unsafe;
use relationship_schema::{RelId, Schema, TypeId};

use docs::doc_lines;
use names::Names;

/// What every part of the generated file needs: the schema, its identifiers and the
/// runtime path.
struct Gen<'s> {
    schema: &'s Schema,
    n: Names,
    rt: syn::Path,
    /// The runtime path as written, for doc links.
    runtime_path: &'s str,
    /// How notes name the generated module: its own name when it wraps itself, else the
    /// schema's name (the default schema is included as `xsoar`).
    module_label: &'s str,
    type_ids: Vec<TypeId>,
    rel_ids: Vec<RelId>,
    any_names: Vec<&'s str>,
}

impl<'s> Gen<'s> {
    /// Checks the runtime path and the schema's identifiers.
    fn new(schema: &'s Schema, options: &'s GenerateOptions) -> Result<Gen<'s>, GenerateError> {
        let runtime_path = options.runtime_path.as_str();
        let rt = syn::parse_str(runtime_path).map_err(|_| GenerateError::RuntimePath {
            path: runtime_path.to_owned(),
        })?;
        let rels = schema.relationships().iter();
        Ok(Gen {
            schema,
            n: Names::of(schema)?,
            rt,
            runtime_path,
            module_label: options.module_name.as_deref().unwrap_or(schema.name()),
            type_ids: schema.type_ids().collect(),
            rel_ids: schema.rel_ids().collect(),
            any_names: rels.filter(|r| r.is_any()).map(|r| r.name()).collect(),
        })
    }
}

/// Options for [`generate`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GenerateOptions {
    /// The path generated code uses to name the runtime crate, `::relationship_core` by
    /// default. Must be a path that resolves wherever the file is included, e.g. `crate`
    /// inside `relationship-core` itself or `::my_facade::relationship_core` for a re-export.
    pub runtime_path: String,
    /// How the header names the schema file. `None` uses [`Schema::source`] as given, or the
    /// schema's name when it has no source.
    pub source_label: Option<String>,
    /// Wraps the items in `pub mod <name> { ... }` (with a doc comment naming the schema),
    /// so that one `include!` defines the module. `None` emits bare items, to be included
    /// inside a module the user writes.
    pub module_name: Option<String>,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            runtime_path: "::relationship_core".to_owned(),
            source_label: None,
            module_name: None,
        }
    }
}

impl GenerateOptions {
    /// Sets [`GenerateOptions::runtime_path`].
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = path.into();
        self
    }

    /// Sets [`GenerateOptions::module_name`].
    pub fn module_name(mut self, name: impl Into<String>) -> Self {
        self.module_name = Some(name.into());
        self
    }

    /// Sets [`GenerateOptions::source_label`].
    pub fn source_label(mut self, label: impl Into<String>) -> Self {
        self.source_label = Some(label.into());
        self
    }
}

/// Why code could not be generated from a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// [`GenerateOptions::runtime_path`] is not a Rust path.
    #[error("runtime path `{path}` is not a Rust path (e.g. `::relationship_core` or `crate`)")]
    RuntimePath {
        /// The path as given.
        path: String,
    },
    /// A marker or method name is not a usable Rust identifier.
    #[error("{what} `{ident}` (for `{name}`) is not a valid Rust identifier")]
    Ident {
        /// `type marker`, `relationship marker` or `method`.
        what: &'static str,
        /// The schema name it was derived from.
        name: String,
        /// The identifier.
        ident: String,
    },
    /// [`GenerateOptions::module_name`] is not an identifier.
    #[error("module name `{0}` is not a valid Rust identifier")]
    ModuleName(String),
    /// The generated tokens did not parse as a Rust file (a bug in the generator).
    #[error("generated code does not parse: {0}")]
    Internal(String),
}

/// Generates the Rust module for `schema`, formatted with prettyplease, starting with an
/// `// @generated` header that names the schema file.
///
/// The result is meant to be included in a module:
///
/// ```ignore
/// pub mod my_schema {
///     include!(concat!(env!("OUT_DIR"), "/my_schema.rs"));
/// }
/// ```
///
/// # Errors
///
/// [`GenerateError`] when the runtime path does not parse, when a marker or method name is
/// not an identifier, or when two names collide.
pub fn generate(schema: &Schema, options: &GenerateOptions) -> Result<String, GenerateError> {
    let mut tokens = Gen::new(schema, options)?.emit_items();
    if let Some(module) = &options.module_name {
        let module = syn::parse_str::<Ident>(module)
            .map_err(|_| GenerateError::ModuleName(module.clone()))?;
        let doc = doc_lines(&format!(
            "Typed indicator types, relationships and constructors generated from the schema `{}`.",
            schema.name()
        ));
        tokens = quote! {
            #doc
            pub mod #module {
                #tokens
            }
        };
    }
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| GenerateError::Internal(e.to_string()))?;
    let label = source_label(schema, options.source_label.as_deref());
    // The label and the name are data: escaped, they cannot end the comment line.
    Ok(format!(
        "// @generated by relationship-codegen from `{}` (schema `{}`).\n\
         // Do not edit: change the schema and rebuild, or rerun `xsoar-rel generate`.\n\n{}",
        escape_unsafe(&label),
        escape_unsafe(schema.name()),
        prettyplease::unparse(&file)
    ))
}

/// How a generated file's header names the schema file: `given`, else [`Schema::source`],
/// else the schema's name.
pub(crate) fn source_label(schema: &Schema, given: Option<&str>) -> String {
    match (given, schema.source()) {
        (Some(label), _) => label.to_owned(),
        (None, Some(path)) => path.display().to_string(),
        (None, None) => schema.name().to_owned(),
    }
}
