//! `#[derive(Relationships)]`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::attr::{Attr, Errors, path_text, path_value, skip_value, unknown_key};
use crate::indicator::paths;

const CONTAINER_KEYS: &[&str] = &["schema", "crate"];

/// One declared relationship: `source` --`method`--> `target`.
struct Decl {
    source: syn::Ident,
    method: syn::Ident,
    target: syn::Ident,
}

/// The typed constructor names of the default schema.
fn xsoar_methods() -> Option<Vec<String>> {
    crate::builtin::xsoar().map(|s| {
        s.relationships()
            .iter()
            .map(|r| r.method().to_owned())
            .collect()
    })
}

pub fn expand(input: &syn::DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let name = &input.ident;

    // Container attributes.
    let mut schema: Attr<syn::Path> = Attr::new("relationship");
    let mut runtime: Attr<syn::Path> = Attr::new("relationship");
    let mut schema_malformed = false;
    let methods = xsoar_methods();
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("relationship"))
    {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.clone();
            if key.is_ident("schema") || key.is_ident("crate") {
                let Some(path) = path_value(&meta, &mut errors)? else {
                    schema_malformed |= key.is_ident("schema");
                    return Ok(());
                };
                let slot = if key.is_ident("schema") {
                    &mut schema
                } else {
                    &mut runtime
                };
                slot.set(&key, path, &mut errors);
            } else if key.is_ident("entity") {
                errors.spanned(key.span(), "`entity` belongs on a field, not on the struct");
                skip_value(&meta)?;
            } else if meta.input.peek(syn::Token![=])
                && (methods.iter().flatten().any(|m| key.is_ident(m.as_str()))
                    || relationship_schema::suggest::nearest(&path_text(&key), CONTAINER_KEYS.iter().copied()).is_empty())
            {
                // A relationship written on the struct.
                let _: syn::Token![=] = meta.input.parse()?;
                let target: syn::Expr = meta.input.parse()?;
                errors.spanned(
                    key.span(),
                    format!(
                        "relationships are declared on their source field, not on the struct: put `#[relationship({} = {})]` on the field the relationship starts from (the struct takes only `schema` and `crate`)",
                        path_text(&key),
                        quote::ToTokens::to_token_stream(&target).to_string().replace(' ', "")
                    ),
                );
            } else {
                errors.push(unknown_key("relationship", &key, CONTAINER_KEYS));
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    let paths = paths(runtime.into_value(), schema.into_value());
    let rt = &paths.runtime;
    let schema_mod = paths.schema_module();
    // A malformed `schema = ...` leaves the schema unknown: check no names against `xsoar`.
    let known_methods = if paths.schema.is_none() && !schema_malformed {
        methods
    } else {
        None
    };

    // Fields.
    let fields: Vec<&syn::Field> = match &input.data {
        syn::Data::Struct(s) => match &s.fields {
            syn::Fields::Named(named) => named.named.iter().collect(),
            other => {
                let span = match other {
                    syn::Fields::Unit => name.span(),
                    _ => other.span(),
                };
                errors.spanned(
                    span,
                    "`#[derive(Relationships)]` needs named fields: relationships name their target field",
                );
                Vec::new()
            }
        },
        syn::Data::Enum(e) => {
            errors.spanned(
                e.enum_token.span,
                "`#[derive(Relationships)]` works on structs only: one record with named indicator fields",
            );
            Vec::new()
        }
        syn::Data::Union(u) => {
            errors.spanned(
                u.union_token.span,
                "`#[derive(Relationships)]` works on structs only: one record with named indicator fields",
            );
            Vec::new()
        }
    };
    let field_names: Vec<String> = fields
        .iter()
        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
        .collect();

    let mut decls: Vec<Decl> = Vec::new();
    let mut entity_attrs: Vec<Attr<()>> =
        fields.iter().map(|_| Attr::new("relationship")).collect();
    for (i, field) in fields.iter().enumerate() {
        let Some(source) = field.ident.clone() else {
            continue;
        };
        for attr in field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("relationship"))
        {
            let result = attr.parse_nested_meta(|meta| {
                let key = meta.path.clone();
                if key.is_ident("entity") {
                    entity_attrs[i].set(&key, (), &mut errors);
                    return Ok(());
                }
                if CONTAINER_KEYS.iter().any(|k| key.is_ident(k)) {
                    errors.spanned(
                        key.span(),
                        format!(
                            "`{}` belongs on the struct, not on a field",
                            path_text(&key)
                        ),
                    );
                    return skip_value(&meta);
                }
                let Some(method) = key.get_ident().cloned() else {
                    errors.spanned(
                        key.span(),
                        "expected a relationship name such as `uses` or `communicates_with`",
                    );
                    return skip_value(&meta);
                };
                if !meta.input.peek(syn::Token![=]) {
                    errors.spanned(
                        key.span(),
                        format!(
                            "`{method}` needs its target field: `#[relationship({method} = other_field)]`"
                        ),
                    );
                    return skip_value(&meta);
                }
                let value = meta.value()?;
                let target: syn::Ident = if value.peek(syn::LitStr) {
                    let lit: syn::LitStr = value.parse()?;
                    match syn::parse_str::<syn::Ident>(&lit.value()) {
                        Ok(mut id) => {
                            id.set_span(lit.span());
                            id
                        }
                        Err(_) => {
                            errors.spanned(
                                lit.span(),
                                format!("`{}` is not a field name", lit.value()),
                            );
                            return Ok(());
                        }
                    }
                } else {
                    value.parse()?
                };
                // Known relationship name (default schema only; for a user schema rustc
                // reports an unknown constructor itself).
                if let Some(methods) = &known_methods
                    && !methods.iter().any(|m| method == m)
                {
                    let nearest = relationship_schema::suggest::nearest(
                        &method.to_string(),
                        methods.iter().map(String::as_str),
                    );
                    let hint = if nearest.is_empty() {
                        String::from("; relationship names are snake_case constructor names such as `uses`, `communicates_with` or `sub_domain_of`")
                    } else {
                        format!(
                            "; did you mean {}?",
                            relationship_schema::suggest::or_list(&nearest)
                        )
                    };
                    errors.spanned(
                        method.span(),
                        format!("unknown relationship `{method}` in the schema `xsoar`{hint}"),
                    );
                    return Ok(());
                }
                if !field_names.iter().any(|f| target == f) {
                    let nearest = relationship_schema::suggest::nearest(
                        &target.to_string(),
                        field_names.iter().map(String::as_str),
                    );
                    let hint = if nearest.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; did you mean {}?",
                            relationship_schema::suggest::or_list(&nearest)
                        )
                    };
                    errors.spanned(
                        target.span(),
                        format!("`{name}` has no field `{target}`{hint}"),
                    );
                    return Ok(());
                }
                decls.push(Decl {
                    source: source.clone(),
                    method,
                    target,
                });
                Ok(())
            });
            if let Err(e) = result {
                errors.push(e);
            }
        }
    }
    if matches!(input.data, syn::Data::Struct(_)) && decls.is_empty() && errors.is_empty() {
        errors.spanned(
            name.span(),
            format!(
                "`{name}` declares no relationship: add `#[relationship(uses = other_field)]` to a source field"
            ),
        );
    }
    let mut entities: Vec<bool> = entity_attrs.iter().map(Attr::is_set).collect();
    for d in &decls {
        for end in [&d.source, &d.target] {
            if let Some(i) = fields
                .iter()
                .position(|f| f.ident.as_ref().is_some_and(|id| id == end))
            {
                entities[i] = true;
            }
        }
    }

    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    if !errors.is_empty() {
        let errs = errors.into_compile_errors();
        return quote! {
            #errs
            #[automatically_derived]
            impl #impl_generics #rt::typed::Relationships for #name #ty_generics #where_clause {
                fn indicators(&self) -> ::std::vec::Vec<#rt::IndicatorObject> {
                    ::std::vec::Vec::new()
                }
                fn relationships(&self) -> ::std::vec::Vec<#rt::EntityRelationship> {
                    ::std::vec::Vec::new()
                }
            }
        };
    }

    let pushes = fields
        .iter()
        .zip(&entities)
        .filter(|(_, e)| **e)
        .filter_map(|(f, _)| {
            let id = f.ident.as_ref()?;
            Some(quote_spanned! {f.ty.span()=>
                #rt::__private::push_indicator(&mut out, &self.#id);
            })
        });
    let rels = decls.iter().map(|d| {
        let (source, method, target) = (&d.source, &d.method, &d.target);
        let a = format_ident!("a", span = target.span());
        let b = format_ident!("b", span = target.span());
        // The call carries the span of the target in the attribute, so an invalid pair is
        // reported at the declaration.
        let call = quote_spanned! {target.span()=>
            <_ as #schema_mod::Relate>::#method(#a, #b)
        };
        quote! {
            if let (::core::option::Option::Some(#a), ::core::option::Option::Some(#b)) = (
                #rt::__private::entity(&self.#source),
                #rt::__private::entity(&self.#target),
            ) {
                out.push(#call);
            }
        }
    });
    let n_entities = entities.iter().filter(|e| **e).count();
    let n_rels = decls.len();
    quote! {
        #[automatically_derived]
        impl #impl_generics #rt::typed::Relationships for #name #ty_generics #where_clause {
            fn indicators(&self) -> ::std::vec::Vec<#rt::IndicatorObject> {
                let mut out = ::std::vec::Vec::with_capacity(#n_entities);
                #(#pushes)*
                out
            }
            fn relationships(&self) -> ::std::vec::Vec<#rt::EntityRelationship> {
                let mut out = ::std::vec::Vec::with_capacity(#n_rels);
                #(#rels)*
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    fn expand(src: &str) -> String {
        let input: syn::DeriveInput = syn::parse_str(src).unwrap();
        super::expand(&input).to_string().replace(' ', "")
    }

    #[test]
    fn declarations_become_typed_constructor_calls() {
        let out = expand(
            "struct E { #[relationship(uses = host)] account: A, #[relationship(entity)] host: Option<H>, other: u8 }",
        );
        assert!(
            out.contains("<_as::relationship_core::xsoar::Relate>::uses(a,b)"),
            "{out}"
        );
        assert!(
            out.contains("push_indicator(&mutout,&self.account)"),
            "{out}"
        );
        assert!(out.contains("push_indicator(&mutout,&self.host)"), "{out}");
        assert!(!out.contains("self.other"), "{out}");
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let out = expand("struct E { #[relationship(communicate_with = hots)] a: A, host: H }");
        assert!(out.contains("`communicates_with`"), "{out}");
        let out = expand("struct E { #[relationship(uses = hots)] a: A, host: H }");
        assert!(
            out.contains("`E`hasnofield`hots`;didyoumean`host`?"),
            "{out}"
        );
    }

    #[test]
    fn struct_level_mistakes_say_where_things_go() {
        let out = expand("#[relationship(uses = host)] struct E { a: A, host: H }");
        assert!(
            out.contains("put`#[relationship(uses=host)]`onthefield"),
            "{out}"
        );
        let out = expand(
            "#[relationship(shema = x)] struct E { #[relationship(uses = host)] a: A, host: H }",
        );
        assert!(
            out.contains("attribute`shema`;didyoumean`schema`?\""),
            "{out}"
        );
        let out = expand(
            r#"#[relationship(schema = "crate::hr")] struct E { #[relationship(manages = host)] a: A, host: H }"#,
        );
        assert!(out.contains("`schema=crate::hr`"), "{out}");
        // The string still names the schema: `manages` is not checked against `xsoar`.
        assert!(!out.contains("unknownrelationship"), "{out}");
    }

    #[test]
    fn bad_input_never_panics() {
        // A raw identifier is a valid target.
        let out = expand(r#"struct E { #[relationship(uses = "r#type")] a: A, r#type: B }"#);
        assert!(!out.contains("compile_error"), "{out}");
        for src in [
            r#"struct E { #[relationship(uses = "not a field")] a: A }"#,
            "struct E { #[relationship(a::b = c)] a: A }",
            "struct E { #[relationship] a: A }",
            "struct E(A, B);",
            "enum E { A }",
            "struct E { a: A }",
            "struct E;",
            "#[relationship(entity)] struct E { #[relationship(uses = b)] a: A, b: B }",
            "#[relationship(schema = 1)] struct E { #[relationship(uses = b)] a: A, b: B }",
        ] {
            assert!(expand(src).contains("compile_error"), "{src}");
        }
    }
}
