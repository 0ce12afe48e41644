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

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use relationship_schema::text::escape_unsafe;
use relationship_schema::{Pairs, RelId, Schema, TypeId};

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
    let tokens = generate_tokens(schema, options)?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| GenerateError::Internal(e.to_string()))?;
    let label = options.source_label.clone().unwrap_or_else(|| {
        schema
            .source()
            .as_ref()
            .map_or_else(|| schema.name().to_owned(), |p| p.display().to_string())
    });
    let mut out = String::new();
    // Writing to a String cannot fail.
    // The label and the name are data: escaped, they cannot end the comment line.
    let _ = writeln!(
        out,
        "// @generated by relationship-codegen from `{}` (schema `{}`).",
        escape_unsafe(&label),
        escape_unsafe(schema.name())
    );
    out.push_str(
        "// Do not edit: change the schema and rebuild, or rerun `xsoar-rel generate`.\n\n",
    );
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
}

/// Identifiers of one schema, checked once.
struct Names {
    types: Vec<Ident>,
    /// Per type, how rustc prints it in the error of an invalid typed call: the XSOAR
    /// spelling when that is an identifier (`CVE`, `IPv6CIDR`, `ssdeep`), else the marker.
    spellings: Vec<Ident>,
    rels: Vec<Ident>,
    methods: Vec<Ident>,
}

fn ident(what: &'static str, name: &str, ident: &str) -> Result<Ident, GenerateError> {
    let bad = || GenerateError::Ident {
        what,
        name: name.to_owned(),
        ident: ident.to_owned(),
    };
    if ident.starts_with("r#") || ident == "_" {
        return Err(bad());
    }
    syn::parse_str::<Ident>(ident).map_err(|_| bad())
}

/// The schema's markers and methods as identifiers. The schema model has already checked
/// that they are valid and unique; this conversion only refuses to panic if one is not.
fn names(schema: &Schema) -> Result<Names, GenerateError> {
    let types = schema
        .types()
        .iter()
        .map(|t| ident("type marker", t.name(), t.marker()))
        .collect::<Result<Vec<_>, _>>()?;
    let rels = schema
        .relationships()
        .iter()
        .map(|r| ident("relationship marker", r.name(), r.marker()))
        .collect::<Result<Vec<_>, _>>()?;
    let methods = schema
        .relationships()
        .iter()
        .map(|r| ident("method", r.name(), r.method()))
        .collect::<Result<Vec<_>, _>>()?;
    let spellings = spellings(schema, &types);
    Ok(Names {
        types,
        spellings,
        rels,
        methods,
    })
}

/// The identifier rustc prints for each type in the error of an invalid typed call: the
/// XSOAR spelling itself when it is an ASCII identifier that no marker or other spelling
/// already uses, otherwise the marker (`Registry Key` has no identifier; it stays
/// `RegistryKey`).
fn spellings(schema: &Schema, markers: &[Ident]) -> Vec<Ident> {
    let mut taken: Vec<String> = markers.iter().map(ToString::to_string).collect();
    schema
        .types()
        .iter()
        .zip(markers)
        .map(|(t, marker)| {
            let name = t.name();
            let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && name.starts_with(|c: char| c.is_ascii_alphabetic());
            if !plain || taken.iter().any(|n| n == name) {
                return marker.clone();
            }
            match syn::parse_str::<Ident>(name) {
                Ok(id) => {
                    taken.push(name.to_owned());
                    id
                }
                Err(_) => marker.clone(),
            }
        })
        .collect()
}

/// One `#[doc = "..."]` attribute per line, so the output reads as `///` comments.
///
/// Schema text is data: a line holds no control, line-separator or bidirectional character
/// (each is written as a visible `\u{..}` escape; a tab becomes four spaces), so a doc comment can
/// never end early, hide code or read differently from how it compiles.
fn doc_lines(text: &str) -> TokenStream {
    text.lines()
        .map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {}", escape_doc(line))
            };
            quote!(#[doc = #line])
        })
        .collect()
}

/// `line` with tabs as four spaces (as rustdoc and clippy want) and every other unsafe
/// character escaped.
fn escape_doc(line: &str) -> String {
    escape_unsafe(&line.replace('\t', "    ")).into_owned()
}

/// The indefinite article for `name` read aloud: `an` before a vowel sound (`an embeds`,
/// `an uploaded-to`), `a` otherwise (`a uses`, `a targets`).
fn article(name: &str) -> &'static str {
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
    let mut chars = name.chars().map(|c| c.to_ascii_lowercase());
    match (chars.next(), chars.next(), chars.next()) {
        (Some('a' | 'e' | 'i' | 'o'), _, _) => "an",
        // `u` + one consonant + vowel is a "yoo" sound (`uses`, `unique`), except `un-`.
        (Some('u'), Some(c), Some(v))
            if c != 'n' && c.is_ascii_alphabetic() && !is_vowel(c) && is_vowel(v) =>
        {
            "a"
        }
        (Some('u'), _, _) => "an",
        _ => "a",
    }
}

fn code_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Builds the token stream behind [`generate`] (unformatted, without the header).
///
/// # Errors
///
/// As [`generate`].
pub fn generate_tokens(
    schema: &Schema,
    options: &GenerateOptions,
) -> Result<TokenStream, GenerateError> {
    let rt: syn::Path =
        syn::parse_str(&options.runtime_path).map_err(|_| GenerateError::RuntimePath {
            path: options.runtime_path.clone(),
        })?;
    let g = Gen {
        schema,
        n: names(schema)?,
        rt,
        schema_name: schema.name(),
        // How notes name the generated module: its own name when it wraps itself, else the
        // schema's name (the default schema is included as `xsoar`).
        module_label: options.module_name.as_deref().unwrap_or(schema.name()),
        type_ids: schema.type_ids().collect(),
        rel_ids: schema.rel_ids().collect(),
        any_names: schema
            .relationships()
            .iter()
            .filter(|r| r.is_any())
            .map(|r| r.name())
            .collect(),
    };
    let items = g.items(&options.runtime_path);
    match &options.module_name {
        None => Ok(items),
        Some(module) => {
            let module = syn::parse_str::<Ident>(module)
                .map_err(|_| GenerateError::ModuleName(module.clone()))?;
            let doc = doc_lines(&format!(
                "Typed indicator types, relationships and constructors generated from the schema `{}`.",
                g.schema_name
            ));
            Ok(quote! {
                #doc
                pub mod #module {
                    #items
                }
            })
        }
    }
}

/// What every part of the generated file needs: the schema, its identifiers and the
/// runtime path.
struct Gen<'s> {
    schema: &'s Schema,
    n: Names,
    rt: syn::Path,
    schema_name: &'s str,
    module_label: &'s str,
    type_ids: Vec<TypeId>,
    rel_ids: Vec<RelId>,
    any_names: Vec<&'s str>,
}

impl Gen<'_> {
    /// The whole file's items.
    fn items(&self, runtime_path: &str) -> TokenStream {
        let (schema, rt, schema_name) = (self.schema, &self.rt, self.schema_name);
        let type_items = self.type_items();
        let rel_items = self.rel_items();
        let check_traits = self.checks();
        let methods = self.constructors();
        let type_names = schema.types().iter().map(|t| t.name());
        let policy_rels = schema.relationships().iter().map(|r| {
            let (a, b, any) = (r.name(), r.reverse(), r.is_any());
            quote!((#a, #b, #any))
        });
        let policy_methods = schema.relationships().iter().map(|r| r.method());
        // Sorted: the `const` checks search them by halves.
        let mut triples: Vec<(u16, u16, u16)> = schema
            .triples()
            .map(|(r, p)| {
                (
                    r.index() as u16,
                    p.source.index() as u16,
                    p.target.index() as u16,
                )
            })
            .collect();
        triples.sort_unstable();
        let policy_triples = triples.iter().map(|(r, s, t)| quote!((#r, #s, #t)));
        let rel_pairs = schema.relationships().iter().map(|r| {
            let (a, b) = (r.name(), r.reverse());
            quote!((#a, #b))
        });
        let relate_doc = doc_lines(&format!(
            "Typed constructors of the schema `{schema_name}`: one method per relationship name.\n\nImplemented for every [`Indicator`]({rt_doc}::typed::Indicator) whose type belongs to this schema. A pair the schema does not allow does not compile, and the error names the source type, the relationship and the target type.\n\nBring it into scope with `use {module}::prelude::*;` (or `use {module}::Relate;`): the typed constructors of one schema's types are that schema's.",
            rt_doc = runtime_path.trim_start_matches("::"),
            module = self.module_label,
        ));
        let member_message = format!(
            "`{{Self}}` is not an indicator type of the schema `{}`",
            fmt_escape(schema_name)
        );
        let member_label = format!(
            "relationships of the schema `{}` need types of that schema",
            fmt_escape(schema_name)
        );
        let schema_type_doc = doc_lines(&format!(
            "Implemented by the indicator type markers of the schema `{schema_name}` (the types in [`types`])."
        ));
        let prelude_doc = doc_lines(&format!(
            "`use {}::prelude::*;` brings the typed constructors of the schema `{schema_name}` ([`Relate`]) into scope, without their name.",
            self.module_label
        ));
        let (spell_module, spellings) = self.spell_items();
        // The aliases the `check` module uses, so that no import is unused.
        let check_types = (!self.type_ids.is_empty()).then(|| {
            quote!(
                use super::types as t;
            )
        });
        quote! {
            /// The schema's name.
            pub const SCHEMA_NAME: &str = #schema_name;

            /// The schema's indicator types, XSOAR spellings, in declaration order.
            pub const TYPES: &[&str] = &[#(#type_names),*];

            /// The schema's relationship names with their reverse names, in declaration order.
            pub const RELATIONSHIPS: &[(&str, &str)] = &[#(#rel_pairs),*];

            #schema_type_doc
            pub trait SchemaType: #rt::typed::IndicatorType {}

            /// Indicator type markers: one zero-sized type per XSOAR indicator type.
            pub mod types {
                #(#type_items)*
            }

            /// Relationship markers: one zero-sized type per relationship name, with its reverse
            /// name and its allowed pairs.
            pub mod rels {
                #(#rel_items)*
            }

            /// Compile-time checks: one trait per relationship name with explicit pairs,
            /// implemented for exactly the allowed (source, target) pairs.
            ///
            /// A typed call of a pair the schema does not allow fails with the trait's message,
            /// which names the source, the relationship and the target, and a note with the
            /// `xsoar-rel schema explain` command that lists what is allowed instead.
            pub mod check {
                #check_types
                use #rt::__private::{Checked, Unknown};

                /// The indicator types of this schema, and the placeholder type of an
                /// indicator whose derive failed.
                #[diagnostic::on_unimplemented(
                    message = #member_message,
                    label = #member_label,
                    note = "a record or a typed call relates indicator types of one schema"
                )]
                pub trait Member: #rt::typed::IndicatorType {
                    /// The type the checks are implemented for, which the error of an invalid
                    /// typed call prints: the marker, or the struct of [`spell`] named as XSOAR
                    /// spells the type.
                    type As;
                }
                impl Member for Unknown {
                    type As = Unknown;
                }
                impl<K: Member> Member for Checked<K> {
                    type As = Checked<K>;
                }

                /// The type the checks of `K` are implemented for: [`Member::As`].
                pub type Spelled<K> = <K as Member>::As;

                /// Implemented by the types [`Member::As`] names.
                pub trait Spelling {}
                #(impl Spelling for #spellings {})*

                #spell_module

                #(#check_traits)*
            }

            /// The tables `assert_relationship!` and `assert_no_relationship!` check
            /// against, at compile time.
            #[doc(hidden)]
            pub mod __policy {
                /// The schema's names and explicit triples.
                pub const TABLES: #rt::__private::policy::Tables = #rt::__private::policy::Tables {
                    schema: super::SCHEMA_NAME,
                    types: super::TYPES,
                    rels: &[#(#policy_rels),*],
                    methods: &[#(#policy_methods),*],
                    triples: &[#(#policy_triples),*],
                };

                /// The XSOAR name of the indicator type of the field type `F`, if `F` holds
                /// an indicator of this schema; otherwise `""` (through [`NotOfThisSchema`]),
                /// and the error is the type checker's.
                pub struct KindOf<F: ?::core::marker::Sized>(::core::marker::PhantomData<F>);

                impl<F> KindOf<F>
                where
                    F: #rt::__private::AsEntity + ?::core::marker::Sized,
                    <F::Entity as #rt::typed::Indicator>::Kind: super::check::Member,
                {
                    /// The XSOAR name of the field's indicator type.
                    pub const NAME: &'static str =
                        <<F::Entity as #rt::typed::Indicator>::Kind as #rt::typed::IndicatorType>::NAME;
                }

                /// The fallback of [`KindOf`] for a field that holds no indicator of this schema.
                pub trait NotOfThisSchema {
                    /// No name: nothing to check.
                    const NAME: &'static str = "";
                }

                impl<F: ?::core::marker::Sized> NotOfThisSchema for KindOf<F> {}
            }

            #relate_doc
            pub trait Relate: #rt::typed::Indicator<Kind: check::Member> {
                #(#methods)*
            }

            impl<I> Relate for I
            where
                I: #rt::typed::Indicator + ?Sized,
                I::Kind: check::Member,
            {
            }

            #prelude_doc
            pub mod prelude {
                // Unused only where the generated module is private.
                #[allow(unused_imports)]
                pub use super::Relate as _;
            }
        }
    }

    /// The path, from `check`, of the type the checks are implemented for and rustc prints
    /// for `t`: its marker, or the struct of `spell` named as XSOAR spells it.
    fn spelled_path(&self, t: TypeId) -> TokenStream {
        let (marker, spelled) = (&self.n.types[t.index()], &self.n.spellings[t.index()]);
        if marker == spelled {
            quote!(t::#marker)
        } else {
            quote!(spell::#spelled)
        }
    }

    /// The `spell` module (the XSOAR spellings that are identifiers but not markers, as
    /// structs; nothing when every marker is its own spelling) and the path of every type's
    /// spelling, from `check`.
    fn spell_items(&self) -> (TokenStream, Vec<TokenStream>) {
        let n = &self.n;
        let structs: Vec<TokenStream> = n
            .types
            .iter()
            .zip(&n.spellings)
            .filter(|(m, s)| m != s)
            .map(|(m, s)| {
                let doc = format!(
                    " `{s}`: how the error of an invalid typed call prints [`{m}`](super::super::types::{m})."
                );
                quote! {
                    #[doc = #doc]
                    #[derive(Debug)]
                    pub struct #s;
                }
            })
            .collect();
        let paths = self
            .type_ids
            .iter()
            .map(|&t| self.spelled_path(t))
            .collect();
        // Not hidden: rustc prints the short name only for an item of a dependency whose
        // path has no `#[doc(hidden)]`.
        let module = (!structs.is_empty()).then(|| {
            quote! {
                /// The XSOAR spellings that are Rust identifiers but not markers, as types: the
                /// error of an invalid typed call names the type with them (`CVE`, not the
                /// marker `Cve`).
                #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
                pub mod spell {
                    #(#structs)*
                }
            }
        });
        (quote!(#module), paths)
    }

    /// The `types` module: a documented marker per indicator type.
    fn type_items(&self) -> Vec<TokenStream> {
        let (schema, n, rt) = (self.schema, &self.n, &self.rt);
        let (type_ids, rel_ids) = (&self.type_ids, &self.rel_ids);
        schema
            .types()
            .iter()
            .zip(&n.types)
            .enumerate()
            .map(|(i, (t, m))| {
                let id = type_ids[i];
                let mut doc = format!("The XSOAR indicator type `{}`.", t.name());
                if !t.doc().is_empty() {
                    let _ = write!(doc, "\n\n{}", t.doc());
                }
                let outgoing: Vec<String> = schema
                    .relationships()
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| matches!(r.pairs(), Pairs::Only(_)))
                    .filter_map(|(ri, r)| {
                        let targets = schema.targets_for(rel_ids[ri], id);
                        (!targets.is_empty()).then(|| {
                            format!(
                                "- `{}` ([`{method}`](super::Relate::{method})) → {}",
                                r.name(),
                                code_list(targets.iter().map(|&t| schema.ty(t).name())),
                                method = n.methods[ri]
                            )
                        })
                    })
                    .collect();
                let incoming: Vec<String> = schema
                    .relationships()
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| matches!(r.pairs(), Pairs::Only(_)))
                    .filter_map(|(ri, r)| {
                        let sources = schema.sources_for(rel_ids[ri], id);
                        (!sources.is_empty()).then(|| {
                            format!(
                                "- {} → `{}` → this type",
                                code_list(sources.iter().map(|&t| schema.ty(t).name())),
                                r.name(),
                            )
                        })
                    })
                    .collect();
                if outgoing.is_empty() {
                    doc.push_str("\n\nThe schema allows no explicit relationship from this type.");
                } else {
                    let _ = write!(
                        doc,
                        "\n\nRelationships from this type (besides the any-to-any ones):\n\n{}",
                        outgoing.join("\n")
                    );
                }
                if incoming.is_empty() {
                    doc.push_str("\n\nThe schema allows no explicit relationship to this type.");
                } else {
                    let _ = write!(
                        doc,
                        "\n\nRelationships to this type (besides the any-to-any ones):\n\n{}",
                        incoming.join("\n")
                    );
                }
                if !self.any_names.is_empty() {
                    let _ = write!(
                        doc,
                        "\n\nAny-to-any, with every type: {}.",
                        code_list(self.any_names.iter().copied())
                    );
                }
                let doc = doc_lines(&doc);
                let name = &t.name();
                let spelled = match &n.spellings[i] {
                    s if s == m => quote!(#m),
                    s => quote!(super::check::spell::#s),
                };
                quote! {
                    #doc
                    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
                    pub struct #m;
                    impl #rt::typed::IndicatorType for #m {
                        const NAME: &'static str = #name;
                    }
                    impl super::SchemaType for #m {}
                    #[diagnostic::do_not_recommend]
                    impl super::check::Member for #m {
                        type As = #spelled;
                    }
                }
            })
            .collect()
    }

    /// The `rels` module: a marker per relationship name, documenting its pairs.
    fn rel_items(&self) -> Vec<TokenStream> {
        let (schema, n, rt) = (self.schema, &self.n, &self.rt);
        schema
        .relationships()
        .iter()
        .zip(n.rels.iter().zip(&n.methods))
        .map(|(r, (m, method))| {
            let mut doc = format!(
                "The XSOAR relationship `{}`; its reverse name is `{}`.\n\nTyped constructor: [`{method}`](super::Relate::{method}).",
                r.name(), r.reverse()
            );
            if !r.doc().is_empty() {
                let _ = write!(doc, "\n\n{}", r.doc());
            }
            match &r.pairs() {
                Pairs::Any => doc.push_str("\n\nAllowed between any two indicator types."),
                Pairs::Only(pairs) => {
                    let mut by_source: BTreeMap<TypeId, Vec<&str>> = BTreeMap::new();
                    for p in pairs {
                        by_source
                            .entry(p.source)
                            .or_default()
                            .push(schema.ty(p.target).name());
                    }
                    let _ = write!(doc, "\n\nAllowed pairs (source → targets), {} in all:\n", pairs.len());
                    for (s, targets) in by_source {
                        let _ = write!(
                            doc,
                            "\n- `{}` → {}",
                            schema.ty(s).name(),
                            code_list(targets)
                        );
                    }
                }
            }
            let doc = doc_lines(&doc);
            let (name, reverse) = (&r.name(), &r.reverse());
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
                pub struct #m;
                impl #rt::typed::RelationshipName for #m {
                    const NAME: &'static str = #name;
                    const REVERSE: &'static str = #reverse;
                }
            }
        })
        .collect()
    }

    /// The `Relate` trait's methods: one typed constructor per relationship name.
    fn constructors(&self) -> Vec<TokenStream> {
        let (schema, n, rt) = (self.schema, &self.n, &self.rt);
        schema.relationships().iter().enumerate().map(|(ri, r)| {
        let method = &n.methods[ri];
        let marker = &n.rels[ri];
        let (name, reverse) = (&r.name(), &r.reverse());
        match &r.pairs() {
            Pairs::Any => {
                let doc = doc_lines(&format!(
                    "`self` **{name}** `target` (reverse: `{reverse}`); allowed between any two indicator types."
                ));
                quote! {
                    #doc
                    #[inline]
                    fn #method<T>(&self, target: &T) -> #rt::EntityRelationship
                    where
                        T: #rt::typed::Indicator + ?Sized,
                    {
                        #rt::__private::relate::<rels::#marker, Self, T>(self, target)
                    }
                }
            }
            Pairs::Only(_) => {
                let check = format_ident!("{}Target", marker);
                let doc = doc_lines(&format!(
                    "`self` **{name}** `target` (reverse: `{reverse}`).\n\nCompiles only for the pairs the schema allows, listed at [`rels::{marker}`]."
                ));
                quote! {
                    #doc
                    #[inline]
                    fn #method<T>(&self, target: &T) -> #rt::EntityRelationship
                    where
                        T: #rt::typed::Indicator<Kind: check::Member> + ?Sized,
                        check::Spelled<T::Kind>: check::#check<check::Spelled<Self::Kind>>,
                    {
                        #rt::__private::relate::<rels::#marker, Self, T>(self, target)
                    }
                }
            }
        }
    })
        .collect()
    }

    /// The `check` module's traits: per relationship with explicit pairs, one trait
    /// `UsesTarget<Source>`, the bound of the typed constructor, implemented for exactly the
    /// allowed pairs on the types rustc prints ([`Member::As`]: the marker, or a struct named
    /// as XSOAR spells the type), so that a disallowed pair is one error whose message names
    /// the source, the relationship and the target. Its notes say where the allowed pairs are
    /// listed and give the `xsoar-rel schema explain` command that lists what the source may
    /// have instead. The impls are `do_not_recommend`, so rustc adds no truncated list of
    /// its own.
    ///
    /// Three blanket impls per trait accept what is already reported or checked: a target or
    /// a source whose derive failed ([`Unknown`]) and a pair `#[derive(Relationships)]`
    /// checked in a `const` (both [`Checked`], whose target must still be of this schema).
    fn checks(&self) -> Vec<TokenStream> {
        let (schema, n) = (self.schema, &self.n);
        let schema_name = fmt_escape(self.schema_name);
        let any_note = match self.any_names.as_slice() {
            [] => String::new(),
            [one] => format!("; `{one}` links any two types"),
            [init @ .., last] => format!(
                "; {} and `{last}` link any two types",
                code_list(init.iter().copied())
            ),
        };
        let schema_flag = if self.schema_name == "xsoar" {
            String::new()
        } else {
            format!("--schema <{schema_name} schema file> ")
        };
        let mut out = Vec::new();
        for (ri, r) in schema.relationships().iter().enumerate() {
            let Pairs::Only(pairs) = &r.pairs() else {
                continue;
            };
            let rel_marker = &n.rels[ri];
            let trait_name = format_ident!("{}Target", rel_marker);
            let name = fmt_escape(r.name());
            let reverse = fmt_escape(r.reverse());
            let message = format!(
                "`{{Source}}` cannot have {} `{name}` relationship to `{{Self}}`",
                article(r.name())
            );
            let label = format!(
                "`{{Source}}` --{name}--> `{{Self}}` is not allowed by the schema `{schema_name}`"
            );
            let count = match pairs.len() {
                1 => "1 (source, target) pair".to_owned(),
                n => format!("{n} (source, target) pairs"),
            };
            let listed = format!(
                "`{name}` (reverse `{reverse}`) is allowed for {count}, listed in the docs of `{}::rels::{rel_marker}`{}",
                fmt_escape(self.module_label),
                fmt_escape(&any_note)
            );
            let arg = if r
                .name()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                name.clone()
            } else {
                format!("\\\"{name}\\\"")
            };
            let explain = format!(
                "what `{{Source}}` may `{name}` instead, and every relationship between `{{Source}}` and `{{Self}}`: `xsoar-rel schema explain {schema_flag}{{Source}} {arg} {{Self}}`"
            );
            let doc = doc_lines(&format!(
                "Implemented by the target `T` ([`Member::As`]) when `Source --{}--> T` is allowed.\n\nThis is the bound of [`{method}`](super::Relate::{method}); the allowed pairs are listed at [`rels::{rel_marker}`](super::rels::{rel_marker}).",
                r.name(),
                method = n.methods[ri]
            ));
            let impls = pairs.iter().map(|p| {
                let (s, t) = (self.spelled_path(p.source), self.spelled_path(p.target));
                quote! {
                    #[diagnostic::do_not_recommend]
                    impl #trait_name<#s> for #t {}
                }
            });
            out.push(quote! {
                #doc
                #[diagnostic::on_unimplemented(message = #message, label = #label, note = #listed, note = #explain)]
                pub trait #trait_name<Source> {}
                #[diagnostic::do_not_recommend]
                impl<S> #trait_name<S> for Unknown {}
                #[diagnostic::do_not_recommend]
                impl<T: Spelling> #trait_name<Unknown> for T {}
                #[diagnostic::do_not_recommend]
                impl<S, T: Member> #trait_name<Checked<S>> for Checked<T> {}
                #(#impls)*
            });
        }
        out
    }
}

/// `text` as literal text of a `#[diagnostic::on_unimplemented]` format string: `{` and
/// `}` doubled, so that a schema name can never be read as a format parameter.
fn fmt_escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use relationship_schema::{SchemaBuilder, Tier};

    /// Account, Host, CVE; Account uses Host; Host has nothing for `uses`.
    pub(crate) fn small() -> Schema {
        let mut b = SchemaBuilder::new("small");
        b.source("schemas/small.json");
        let [account, host, _cve] = ["Account", "Host", "CVE"].map(|n| b.add_type(n));
        let uses = b.add_relationship("uses", "used-by");
        let related = b.add_relationship("related-to", "related-to");
        b.allow(uses, account, host, Tier::Core)
            .allow_any(related)
            .add_reverse_only("used-by");
        b.build().unwrap()
    }

    #[test]
    fn header_names_schema_file() {
        let out = generate(&small(), &GenerateOptions::default()).unwrap();
        assert!(out.starts_with(
            "// @generated by relationship-codegen from `schemas/small.json` (schema `small`).\n"
        ));
        let labelled = generate(
            &small(),
            &GenerateOptions::default().source_label("my.json"),
        )
        .unwrap();
        assert!(labelled.contains("from `my.json`"));
    }

    #[test]
    fn impls_only_for_allowed_pairs() {
        let out = generate(&small(), &GenerateOptions::default()).unwrap();
        let squashed: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
        // The one allowed pair of `uses`, on the target, and nothing for `CVE`.
        assert!(squashed.contains(
            "#[diagnostic::do_not_recommend] impl UsesTarget<t::Account> for t::Host {}"
        ));
        assert_eq!(squashed.matches("impl UsesTarget<t::").count(), 1, "{out}");
        assert!(!squashed.contains("> for spell::CVE {}"));
        // One check trait per relationship with explicit pairs, and its three blankets.
        assert!(squashed.contains("pub trait UsesTarget<Source> {}"));
        assert!(squashed.contains("impl<S> UsesTarget<S> for Unknown {}"));
        assert!(squashed.contains("impl<T: Spelling> UsesTarget<Unknown> for T {}"));
        assert!(squashed.contains("impl<S, T: Member> UsesTarget<Checked<S>> for Checked<T> {}"));
        // Any-to-any relationships get no check trait.
        assert!(!out.contains("RelatedToTarget"));
        assert!(out.contains("fn related_to<T>(&self, target: &T)"));
        assert!(
            squashed.contains(
                "check::Spelled<T::Kind>: check::UsesTarget<check::Spelled<Self::Kind>>,"
            ),
            "{out}"
        );
    }

    #[test]
    fn diagnostic_names_all_three_parts() {
        let out = generate(&small(), &GenerateOptions::default()).unwrap();
        assert!(
            out.contains("message = \"`{Source}` cannot have a `uses` relationship to `{Self}`\"")
        );
        assert!(out.contains(
            "label = \"`{Source}` --uses--> `{Self}` is not allowed by the schema `small`\""
        ));
        // Where the allowed pairs are listed, and the command that lists them.
        assert!(out.contains(
            "note = \"`uses` (reverse `used-by`) is allowed for 1 (source, target) pair, listed in the docs of `small::rels::Uses`; `related-to` links any two types\""
        ), "{out}");
        assert!(
            out.contains(
                "`xsoar-rel schema explain --schema <small schema file> {Source} uses {Self}`"
            ),
            "{out}"
        );
    }

    #[test]
    fn targets_are_printed_as_xsoar_spells_them_when_that_is_an_identifier() {
        let out = generate(&small(), &GenerateOptions::default()).unwrap();
        let squashed: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
        // `CVE` (marker `Cve`) gets a spelling type; `Host` is its own spelling.
        assert!(squashed.contains("pub mod spell {"), "{out}");
        assert!(squashed.contains("pub struct CVE;"), "{out}");
        assert!(
            squashed.contains(
                "impl super::check::Member for Cve { type As = super::check::spell::CVE; }"
            )
        );
        assert!(squashed.contains("impl super::check::Member for Host { type As = Host; }"));
        assert!(squashed.contains("impl Spelling for spell::CVE {}"));
        assert!(squashed.contains("impl Spelling for t::Host {}"));
        // A name with a space, or one a marker already uses, keeps the marker.
        let mut b = SchemaBuilder::new("spaces");
        let [key, host, fuzzy] = ["Registry Key", "Host", "ssdeep"].map(|n| b.add_type(n));
        let uses = b.add_relationship("uses", "used-by");
        b.allow(uses, host, key, Tier::Core)
            .allow(uses, fuzzy, host, Tier::Core)
            .add_reverse_only("used-by");
        let schema = b.build().unwrap();
        let spelled: Vec<String> = names(&schema)
            .unwrap()
            .spellings
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(spelled, ["RegistryKey", "Host", "ssdeep"]);
        let spaced = generate(&schema, &GenerateOptions::default()).unwrap();
        let squashed: String = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squashed.contains("impl UsesTarget<t::Host> for t::RegistryKey {}"));
        assert!(squashed.contains("impl UsesTarget<spell::ssdeep> for t::Host {}"));
        // No per-target or per-source trait is left.
        assert!(!squashed.contains("UsesToRegistryKey"));
        assert!(!squashed.contains("UsesFrom"));
    }

    #[test]
    fn braces_in_names_are_not_format_parameters() {
        assert_eq!(fmt_escape("a{b}c"), "a{{b}}c");
    }

    #[test]
    fn article_follows_the_vowel_sound() {
        for name in [
            "embeds",
            "attaches",
            "indicator-of",
            "owned-by",
            "is-also",
            "uploaded-to",
        ] {
            assert_eq!(article(name), "an", "{name}");
        }
        for name in [
            "uses",
            "used-by",
            "targets",
            "has",
            "related-to",
            "sub-domain-of",
        ] {
            assert_eq!(article(name), "a", "{name}");
        }
    }

    #[test]
    fn docs_list_reverse_and_pairs() {
        let out = generate(&small(), &GenerateOptions::default()).unwrap();
        assert!(out.contains("/// The XSOAR relationship `uses`; its reverse name is `used-by`."));
        assert!(out.contains("/// - `Account` → `Host`"));
        assert!(out.contains("/// The XSOAR indicator type `CVE`."));
    }

    #[test]
    fn runtime_path_is_used() {
        let out = generate(&small(), &GenerateOptions::default().runtime_path("crate")).unwrap();
        assert!(out.contains("impl crate::typed::IndicatorType for Cve"));
        assert!(!out.contains("::relationship_core"));
    }

    #[test]
    fn bad_runtime_path_is_an_error() {
        let err = generate(
            &small(),
            &GenerateOptions::default().runtime_path("not a path"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "runtime path `not a path` is not a Rust path (e.g. `::relationship_core` or `crate`)"
        );
    }

    #[test]
    fn bad_identifiers_and_collisions_cannot_reach_the_generator() {
        // The model refuses them when the schema is built, so `generate` never sees one.
        let mut b = SchemaBuilder::new("bad");
        b.add_type_with("CVE", "C V E", "");
        assert!(b.build().is_err());
        let mut b = SchemaBuilder::new("bad");
        b.add_type("Host");
        b.add_type_with("CVE", "Host", "");
        assert!(b.build().is_err());
    }

    #[test]
    fn output_is_deterministic() {
        let a = generate(&small(), &GenerateOptions::default()).unwrap();
        let b = generate(&small(), &GenerateOptions::default()).unwrap();
        assert_eq!(a, b);
    }
}
