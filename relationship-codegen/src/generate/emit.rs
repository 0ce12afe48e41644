//! The items of the generated module, one emitter per part; [`Gen::emit_items`] puts them
//! in order.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use relationship_schema::{Pair, RelationshipDef, TypeId};

use super::Gen;
use super::docs::{doc_lines, fmt_escape};

impl Gen<'_> {
    pub(super) fn emit_items(&self) -> TokenStream {
        let parts = [
            self.emit_schema_constants(),
            self.emit_type_markers(),
            self.emit_relationship_markers(),
            self.emit_check_module(),
            self.emit_policy_module(),
            self.emit_relate_trait(),
        ];
        quote!(#(#parts)*)
    }

    /// `SCHEMA_NAME`, `TYPES`, `RELATIONSHIPS` and the `SchemaType` trait.
    fn emit_schema_constants(&self) -> TokenStream {
        let (rt, schema_name, rels) = (&self.rt, self.schema.name(), self.schema.relationships());
        let type_names = self.schema.types().iter().map(|t| t.name());
        let names = rels.iter().map(RelationshipDef::name);
        let reverses = rels.iter().map(RelationshipDef::reverse);
        let schema_type_doc = doc_lines(&format!(
            "Implemented by the indicator type markers of the schema `{schema_name}` (the types in [`types`])."
        ));
        quote! {
            /// The schema's name.
            pub const SCHEMA_NAME: &str = #schema_name;

            /// The schema's indicator types, XSOAR spellings, in declaration order.
            pub const TYPES: &[&str] = &[#(#type_names),*];

            /// The schema's relationship names with their reverse names, in declaration order.
            pub const RELATIONSHIPS: &[(&str, &str)] = &[#((#names, #reverses)),*];

            #schema_type_doc
            pub trait SchemaType: #rt::typed::IndicatorType {}
        }
    }

    /// The `types` module: a documented marker per indicator type.
    pub(super) fn emit_type_markers(&self) -> TokenStream {
        let (rt, markers) = (&self.rt, &self.n.types);
        let docs = (0..markers.len()).map(|ti| doc_lines(&self.type_doc(ti)));
        let names = self.schema.types().iter().map(|t| t.name());
        let spelled = markers.iter().zip(&self.n.spellings).map(|(m, s)| match s {
            s if s == m => quote!(#m),
            s => quote!(super::check::spell::#s),
        });
        quote! {
            /// Indicator type markers: one zero-sized type per XSOAR indicator type.
            pub mod types {
                #(
                    #docs
                    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
                    pub struct #markers;
                    impl #rt::typed::IndicatorType for #markers {
                        const NAME: &'static str = #names;
                    }
                    impl super::SchemaType for #markers {}
                    #[diagnostic::do_not_recommend]
                    impl super::check::Member for #markers {
                        type As = #spelled;
                    }
                )*
            }
        }
    }

    /// The `rels` module: a marker per relationship name, documenting its pairs.
    pub(super) fn emit_relationship_markers(&self) -> TokenStream {
        let (rt, rels, markers) = (&self.rt, self.schema.relationships(), &self.n.rels);
        let docs = rels.iter().enumerate();
        let docs = docs.map(|(ri, r)| doc_lines(&self.relationship_doc(ri, r)));
        let names = rels.iter().map(RelationshipDef::name);
        let reverses = rels.iter().map(RelationshipDef::reverse);
        quote! {
            /// Relationship markers: one zero-sized type per relationship name, with its reverse
            /// name and its allowed pairs.
            pub mod rels {
                #(
                    #docs
                    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
                    pub struct #markers;
                    impl #rt::typed::RelationshipName for #markers {
                        const NAME: &'static str = #names;
                        const REVERSE: &'static str = #reverses;
                    }
                )*
            }
        }
    }

    /// The `check` module: the `Member` and `Spelling` traits, the `spell` module and the
    /// check traits.
    fn emit_check_module(&self) -> TokenStream {
        let rt = &self.rt;
        let schema_name = fmt_escape(self.schema.name());
        let member_message =
            format!("`{{Self}}` is not an indicator type of the schema `{schema_name}`");
        let member_label =
            format!("relationships of the schema `{schema_name}` need types of that schema");
        let spellings = self.type_ids.iter().map(|&t| self.spelled_path(t));
        let spell_module = self.emit_spell_module();
        let check_traits = self.emit_check_traits();
        // The aliases the `check` module uses, so that no import is unused.
        let check_types = (!self.type_ids.is_empty()).then(|| quote! { use super::types as t; });
        quote! {
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

                #check_traits
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

    /// The `spell` module: the XSOAR spellings that are identifiers but not markers, as
    /// structs; nothing when every marker is its own spelling.
    pub(super) fn emit_spell_module(&self) -> TokenStream {
        let n = &self.n;
        let pairs = n.types.iter().zip(&n.spellings);
        let spelled: Vec<_> = pairs.filter(|(m, s)| m != s).collect();
        if spelled.is_empty() {
            return TokenStream::new();
        }
        let docs = spelled.iter().map(|(m, s)| {
            format!(" `{s}`: how the error of an invalid typed call prints [`{m}`](super::super::types::{m}).")
        });
        let structs = spelled.iter().map(|(_, s)| s);
        // Not hidden: rustc prints the short name only for an item of a dependency whose
        // path has no `#[doc(hidden)]`.
        quote! {
            /// The XSOAR spellings that are Rust identifiers but not markers, as types: the
            /// error of an invalid typed call names the type with them (`CVE`, not the
            /// marker `Cve`).
            #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
            pub mod spell {
                #(
                    #[doc = #docs]
                    #[derive(Debug)]
                    pub struct #structs;
                )*
            }
        }
    }

    /// The name of the check trait of relationship `ri`: `UsesTarget`.
    fn check_trait_name(&self, ri: usize) -> Ident {
        format_ident!("{}Target", self.n.rels[ri])
    }

    /// The check traits of the relationships with explicit pairs.
    pub(super) fn emit_check_traits(&self) -> TokenStream {
        let rels = self.schema.relationships().iter().enumerate();
        rels.filter_map(|(ri, r)| Some(self.emit_check_trait(ri, r, r.explicit_pairs()?)))
            .collect()
    }

    /// The check trait of relationship `ri` (`UsesTarget<Source>`, the constructor's bound),
    /// implemented for exactly the allowed pairs on the types rustc prints ([`Member::As`]),
    /// so a disallowed pair is one error; `do_not_recommend` keeps rustc's own list out.
    /// Blanket impls accept what is already reported or checked: [`Unknown`] (a failed
    /// derive) and the [`Checked`] pairs of `#[derive(Relationships)]`.
    fn emit_check_trait(&self, ri: usize, r: &RelationshipDef, pairs: &[Pair]) -> TokenStream {
        let trait_name = self.check_trait_name(ri);
        let [message, label, listed, explain] = self.check_diagnostic(ri, r, pairs.len());
        let doc = doc_lines(&format!(
            "Implemented by the target `T` ([`Member::As`]) when `Source --{}--> T` is allowed.\n\nThis is the bound of [`{method}`](super::Relate::{method}); the allowed pairs are listed at [`rels::{marker}`](super::rels::{marker}).",
            r.name(),
            method = self.n.methods[ri],
            marker = self.n.rels[ri],
        ));
        let sources = pairs.iter().map(|p| self.spelled_path(p.source));
        let targets = pairs.iter().map(|p| self.spelled_path(p.target));
        quote! {
            #doc
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #listed, note = #explain)]
            pub trait #trait_name<Source> {}
            #[diagnostic::do_not_recommend]
            impl<S> #trait_name<S> for Unknown {}
            #[diagnostic::do_not_recommend]
            impl<T: Spelling> #trait_name<Unknown> for T {}
            #[diagnostic::do_not_recommend]
            impl<S, T: Member> #trait_name<Checked<S>> for Checked<T> {}
            #(
                #[diagnostic::do_not_recommend]
                impl #trait_name<#sources> for #targets {}
            )*
        }
    }

    /// The hidden `__policy` module: the tables `assert_relationship!` and
    /// `assert_no_relationship!` check at compile time.
    pub(super) fn emit_policy_module(&self) -> TokenStream {
        let (schema, rt, rels) = (self.schema, &self.rt, self.schema.relationships());
        let names = rels.iter().map(RelationshipDef::name);
        let reverses = rels.iter().map(RelationshipDef::reverse);
        let anys = rels.iter().map(RelationshipDef::is_any);
        let methods = rels.iter().map(RelationshipDef::method);
        // Sorted: the `const` checks search them by halves.
        let mut triples: Vec<[u16; 3]> = schema
            .triples()
            .map(|(r, p)| [r.index(), p.source.index(), p.target.index()].map(|i| i as u16))
            .collect();
        triples.sort_unstable();
        let triples = triples.iter().map(|[r, s, t]| quote!((#r, #s, #t)));
        quote! {
            /// The tables `assert_relationship!` and `assert_no_relationship!` check
            /// against, at compile time.
            #[doc(hidden)]
            pub mod __policy {
                /// The schema's names and explicit triples.
                pub const TABLES: #rt::__private::policy::Tables = #rt::__private::policy::Tables {
                    schema: super::SCHEMA_NAME,
                    types: super::TYPES,
                    rels: &[#((#names, #reverses, #anys)),*],
                    methods: &[#(#methods),*],
                    triples: &[#(#triples),*],
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
        }
    }

    /// The `Relate` trait with its blanket impl, and the `prelude` that brings it into scope.
    fn emit_relate_trait(&self) -> TokenStream {
        let (rt, schema_name, module) = (&self.rt, self.schema.name(), self.module_label);
        let relate_doc = doc_lines(&format!(
            "Typed constructors of the schema `{schema_name}`: one method per relationship name.\n\nImplemented for every [`Indicator`]({rt_doc}::typed::Indicator) whose type belongs to this schema. A pair the schema does not allow does not compile, and the error names the source type, the relationship and the target type.\n\nBring it into scope with `use {module}::prelude::*;` (or `use {module}::Relate;`): the typed constructors of one schema's types are that schema's.",
            rt_doc = self.runtime_path.trim_start_matches("::"),
        ));
        let prelude_doc = doc_lines(&format!(
            "`use {module}::prelude::*;` brings the typed constructors of the schema `{schema_name}` ([`Relate`]) into scope, without their name."
        ));
        let constructors = self.emit_constructors();
        quote! {
            #relate_doc
            pub trait Relate: #rt::typed::Indicator<Kind: check::Member> {
                #constructors
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

    /// The `Relate` trait's methods: one typed constructor per relationship name, bound by
    /// the relationship's check trait unless it is any-to-any.
    pub(super) fn emit_constructors(&self) -> TokenStream {
        let rt = &self.rt;
        let rels = self.schema.relationships().iter().enumerate();
        rels.map(|(ri, r)| {
            let (method, marker) = (&self.n.methods[ri], &self.n.rels[ri]);
            let (name, reverse) = (r.name(), r.reverse());
            let (doc, bounds) = if r.is_any() {
                (
                    format!("`self` **{name}** `target` (reverse: `{reverse}`); allowed between any two indicator types."),
                    quote!(T: #rt::typed::Indicator + ?Sized,),
                )
            } else {
                let check = self.check_trait_name(ri);
                (
                    format!("`self` **{name}** `target` (reverse: `{reverse}`).\n\nCompiles only for the pairs the schema allows, listed at [`rels::{marker}`]."),
                    quote! {
                        T: #rt::typed::Indicator<Kind: check::Member> + ?Sized,
                        check::Spelled<T::Kind>: check::#check<check::Spelled<Self::Kind>>,
                    },
                )
            };
            let doc = doc_lines(&doc);
            quote! {
                #doc
                #[inline]
                fn #method<T>(&self, target: &T) -> #rt::EntityRelationship
                where
                    #bounds
                {
                    #rt::__private::relate::<rels::#marker, Self, T>(self, target)
                }
            }
        })
        .collect()
    }
}
