//! `#[derive(Relationships)]`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;

use crate::attr::{
    Attr, Errors, Paths, field_names, hint, impl_for, misplaced, parse_attrs, path_text,
    skip_value, struct_fields,
};

const CONTAINER_KEYS: &[&str] = &["schema", "crate"];

/// One declared relationship: `source` --`method`--> `target`.
struct Decl {
    source: syn::Ident,
    method: syn::Ident,
    target: syn::Ident,
}

pub fn expand(input: &syn::DeriveInput) -> TokenStream {
    let mut errors = Errors::new("relationship");
    let name = &input.ident;
    // The typed constructor names of the default schema.
    let methods: Option<Vec<&str>> =
        crate::builtin::xsoar().map(|s| s.relationships().iter().map(|r| r.method()).collect());
    let mut paths = Paths::default();
    parse_attrs(&input.attrs, &mut errors, |meta, errors| {
        container_key(meta, methods.as_deref(), &mut paths, errors)
    });
    // A malformed `schema = ...` leaves the schema unknown: check no names against `xsoar`.
    let methods = methods.filter(|_| paths.schema.value().is_none() && !paths.schema_malformed);

    let fields = named_fields(input, &mut errors);
    let field_names = field_names(&fields);
    let names = Names {
        record: name,
        methods: methods.as_deref(),
        fields: &field_names.iter().map(String::as_str).collect::<Vec<_>>(),
    };
    let mut decls: Vec<Decl> = Vec::new();
    let entities: Vec<bool> = fields
        .iter()
        .map(|field| parse_field(field, &names, &mut decls, &mut errors))
        .collect();
    if matches!(input.data, syn::Data::Struct(_)) && decls.is_empty() && errors.is_empty() {
        errors.spanned(
            name.span(),
            format!(
                "`{name}` declares no relationship: add `#[relationship(uses = other_field)]` to a source field"
            ),
        );
    }
    let rt = paths.runtime();
    let out = if errors.is_empty() {
        let entities = entity_fields(&fields, entities, &decls);
        emit_checked_impl(input, &paths, &entities, &decls)
    } else {
        // With the errors, an implementation that yields nothing, so that uses of the type
        // add no errors.
        errors.with_placeholder(&emit_impl(
            input,
            &rt,
            &quote!(::core::result::Result::Ok(::std::vec::Vec::new())),
            &quote!(::std::vec::Vec::new()),
        ))
    };
    paths.wrap(out)
}

fn container_key(
    meta: &ParseNestedMeta<'_>,
    methods: Option<&[&str]>,
    paths: &mut Paths,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = &meta.path;
    if Paths::is_key(key) {
        paths.parse_key(meta, errors)?;
    } else if key.is_ident("entity") {
        misplaced(meta, true, errors)?;
    } else if meta.input.peek(syn::Token![=])
        && (methods.unwrap_or_default().iter().any(|m| key.is_ident(m))
            || relationship_schema::suggest::nearest(
                &path_text(key),
                CONTAINER_KEYS.iter().copied(),
            )
            .is_empty())
    {
        // A relationship written on the struct.
        let _: syn::Token![=] = meta.input.parse()?;
        let target: syn::Expr = meta.input.parse()?;
        errors.spanned(
            key.span(),
            format!(
                "relationships are declared on their source field, not on the struct: put `#[relationship({} = {})]` on the field the relationship starts from (the struct takes only `schema` and `crate`)",
                path_text(key),
                quote!(#target).to_string().replace(' ', "")
            ),
        );
    } else {
        errors.unknown_key(meta, CONTAINER_KEYS)?;
    }
    Ok(())
}

/// The named fields of a struct; an error and no fields for any other input.
fn named_fields<'a>(input: &'a syn::DeriveInput, errors: &mut Errors) -> Vec<&'a syn::Field> {
    let message =
        "`#[derive(Relationships)]` works on structs only: one record with named indicator fields";
    match struct_fields(input, message, errors) {
        None => Vec::new(),
        Some(syn::Fields::Named(named)) => named.named.iter().collect(),
        Some(other) => {
            let span = match other {
                syn::Fields::Unit => input.ident.span(),
                _ => other.span(),
            };
            errors.spanned(
                span,
                "`#[derive(Relationships)]` needs named fields: relationships name their target field",
            );
            Vec::new()
        }
    }
}

/// The names a field attribute is checked against.
struct Names<'a> {
    record: &'a syn::Ident,
    /// The relationship names of the default schema; `None` for a user schema.
    methods: Option<&'a [&'a str]>,
    fields: &'a [&'a str],
}

/// Parses a field's `#[relationship(...)]` attributes: its declarations go to `decls`; the
/// result says whether it is marked `entity`.
fn parse_field(
    field: &syn::Field,
    names: &Names<'_>,
    decls: &mut Vec<Decl>,
    errors: &mut Errors,
) -> bool {
    let mut entity = Attr::default();
    let Some(source) = &field.ident else {
        return false;
    };
    parse_attrs(&field.attrs, errors, |meta, errors| {
        if meta.path.is_ident("entity") {
            entity.set(&meta.path, (), errors);
        } else {
            decls.extend(declaration(meta, source, names, errors)?);
        }
        Ok(())
    });
    entity.value().is_some()
}

/// One `method = target` key of a field's `#[relationship(...)]`, or `None` once reported.
fn declaration(
    meta: &ParseNestedMeta<'_>,
    source: &syn::Ident,
    names: &Names<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<Decl>> {
    let key = &meta.path;
    if CONTAINER_KEYS.iter().any(|k| key.is_ident(k)) {
        misplaced(meta, false, errors)?;
        return Ok(None);
    }
    let Some(method) = key.get_ident().cloned() else {
        errors.spanned(
            key.span(),
            "expected a relationship name such as `uses` or `communicates_with`",
        );
        skip_value(meta)?;
        return Ok(None);
    };
    if !meta.input.peek(syn::Token![=]) {
        errors.spanned(
            key.span(),
            format!("`{method}` needs its target field: `#[relationship({method} = other_field)]`"),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    let Some(target) = target_value(meta, errors)? else {
        return Ok(None);
    };
    // A user schema's unknown constructors rustc reports itself.
    let known_method = names.methods.is_none_or(|methods| {
        let snake = "; relationship names are snake_case constructor names such as `uses`, `communicates_with` or `sub_domain_of`";
        let message = |hint: &str| format!("unknown relationship `{method}` in the schema `xsoar`{hint}");
        is_known(&method, methods, snake, message, errors)
    });
    let message = |hint: &str| format!("`{}` has no field `{target}`{hint}", names.record);
    if !known_method || !is_known(&target, names.fields, "", message, errors) {
        return Ok(None);
    }
    Ok(Some(Decl {
        source: source.clone(),
        method,
        target,
    }))
}

/// The target of `method = field` or `method = "field"`; `None` once reported.
fn target_value(
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<syn::Ident>> {
    let value = meta.value()?;
    if !value.peek(syn::LitStr) {
        return value.parse().map(Some);
    }
    let lit: syn::LitStr = value.parse()?;
    match syn::parse_str::<syn::Ident>(&lit.value()) {
        Ok(mut id) => {
            id.set_span(lit.span());
            Ok(Some(id))
        }
        Err(_) => {
            errors.spanned(lit.span(), format!("`{}` is not a field name", lit.value()));
            Ok(None)
        }
    }
}

/// Whether `name` is one of `known`; reports it otherwise with `message`, given the "did
/// you mean" hint or else `otherwise`.
fn is_known(
    name: &syn::Ident,
    known: &[&str],
    otherwise: &str,
    message: impl FnOnce(&str) -> String,
    errors: &mut Errors,
) -> bool {
    if known.iter().any(|k| name == k) {
        return true;
    }
    let hint = hint(&name.to_string(), known.iter().copied(), || {
        otherwise.to_owned()
    });
    errors.spanned(name.span(), message(&hint));
    false
}

/// Which fields yield an indicator: those marked `entity` and both ends of every
/// declaration.
fn entity_fields<'a>(
    fields: &[&'a syn::Field],
    mut entities: Vec<bool>,
    decls: &[Decl],
) -> Vec<&'a syn::Field> {
    for end in decls.iter().flat_map(|d| [&d.source, &d.target]) {
        // The first field of that name (a repeated name is rustc's error).
        if let Some(i) = fields.iter().position(|f| f.ident.as_ref() == Some(end)) {
            entities[i] = true;
        }
    }
    let marked = fields.iter().zip(&entities).filter(|(_, e)| **e);
    marked.map(|(f, _)| *f).collect()
}

/// Whether `ty` names `Self`, which a `const` item cannot.
fn mentions_self(ty: &syn::Type) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(id) => id == "Self",
            proc_macro2::TokenTree::Group(g) => walk(g.stream()),
            _ => false,
        })
    }
    walk(quote!(#ty))
}

/// A `const` that checks one declaration against the schema's tables when `cargo check`
/// runs: a pair the schema does not allow fails with one message that names the source
/// type, the relationship and the target type in the schema's spelling, with every
/// alternative (see `relationship_core::__private::policy::check_pair`). It is spanned at
/// the target in the attribute, where the error points.
fn pair_check(
    rt: &syn::Path,
    schema_mod: &TokenStream,
    d: &Decl,
    source_ty: &syn::Type,
    target_ty: &syn::Type,
) -> TokenStream {
    let method = d.method.to_string();
    quote_spanned! {d.target.span()=>
        const _: () = {
            #[allow(unused_imports)]
            use #schema_mod::__policy::NotOfThisSchema as _;
            let m = #rt::__private::policy::check_pair(
                &#schema_mod::__policy::TABLES,
                #schema_mod::__policy::KindOf::<#source_ty>::NAME,
                #method,
                #schema_mod::__policy::KindOf::<#target_ty>::NAME,
            );
            if m.failed() {
                ::core::panic!("{}", m.as_str());
            }
        };
    }
}

/// The `Relationships` implementation with these bodies of its two methods.
fn emit_impl(
    input: &syn::DeriveInput,
    rt: &syn::Path,
    indicators: &TokenStream,
    relationships: &TokenStream,
) -> TokenStream {
    let items = quote! {
        fn indicators(
            &self,
        ) -> ::core::result::Result<::std::vec::Vec<#rt::IndicatorObject>, #rt::typed::FieldError>
        {
            #indicators
        }
        fn relationships(&self) -> ::std::vec::Vec<#rt::EntityRelationship> {
            #relationships
        }
    };
    impl_for(input, &quote!(#rt::typed::Relationships), &items)
}

/// The `Relationships` implementation of a record whose attributes are all valid.
fn emit_checked_impl(
    input: &syn::DeriveInput,
    paths: &Paths,
    entities: &[&syn::Field],
    decls: &[Decl],
) -> TokenStream {
    let rt = &paths.runtime();
    let schema_mod = paths.schema_module();
    // One check per field that must hold an indicator, at its type; the field itself is
    // read through `Field`, which adds no error of its own.
    let asserts = entities.iter().map(|f| {
        let ty = &f.ty;
        quote_spanned! {f.ty.span()=>
            #rt::__private::assert_entity::<#ty>();
        }
    });
    let ids = entities.iter().filter_map(|f| f.ident.as_ref());
    // A record without generic parameters has its pairs checked in a `const` (see
    // `pair_check`); a generic one by the bounds of the typed constructors.
    let checked_in_const = input.generics.params.is_empty();
    let field_type = |name: &syn::Ident| {
        let field = entities.iter().find(|f| f.ident.as_ref() == Some(name));
        field.map(|f| &f.ty).filter(|ty| !mentions_self(ty))
    };
    let rels = decls.iter().map(|d| {
        let (source, method, target) = (&d.source, &d.method, &d.target);
        let [a, b] = ["a", "b"].map(|n| format_ident!("{n}", span = target.span()));
        let (check, call) = match (field_type(source), field_type(target)) {
            (Some(source_ty), Some(target_ty)) if checked_in_const => (
                pair_check(rt, &schema_mod, d, source_ty, target_ty),
                // The pair is checked above: the constructor's bound accepts `Checked` kinds
                // of this schema and still rejects a type of another schema.
                quote_spanned! {target.span()=>
                    {
                        let (#a, #b) = (
                            #rt::__private::CheckedEntity(#a),
                            #rt::__private::CheckedEntity(#b),
                        );
                        <_ as #schema_mod::Relate>::#method(&#a, &#b)
                    }
                },
            ),
            // The call carries the span of the target in the attribute, so an invalid pair
            // is reported at the declaration.
            _ => (
                TokenStream::new(),
                quote_spanned! {target.span()=>
                    <_ as #schema_mod::Relate>::#method(#a, #b)
                },
            ),
        };
        quote! {
            #check
            if let (::core::option::Option::Some(#a), ::core::option::Option::Some(#b)) = (
                #rt::__private::Field(&self.#source).entity(),
                #rt::__private::Field(&self.#target).entity(),
            ) {
                out.push(#call);
            }
        }
    });
    let (n_entities, n_rels) = (entities.len(), decls.len());
    let no_entity = quote!(#[allow(unused_imports)] use #rt::__private::NotAnEntity as _;);
    let indicators = quote! {
        #no_entity
        #(#asserts)*
        let mut out = ::std::vec::Vec::with_capacity(#n_entities);
        #(#rt::__private::Field(&self.#ids).push_into(&mut out);)*
        // The objects, or the first field error.
        ::core::iter::Iterator::collect(::core::iter::IntoIterator::into_iter(out))
    };
    let relationships = quote! {
        #no_entity
        let mut out = ::std::vec::Vec::with_capacity(#n_rels);
        #(#rels)*
        out
    };
    emit_impl(input, rt, &indicators, &relationships)
}

#[cfg(test)]
mod tests {
    fn expand(src: &str) -> String {
        crate::attr::expanded(super::expand, src)
    }

    #[test]
    fn declarations_become_typed_constructor_calls() {
        let out = expand(
            "struct E { #[relationship(uses = host)] account: A, #[relationship(entity)] host: Option<H>, other: u8 }",
        );
        // A record without generic parameters: the pair is checked in a `const`, by the
        // XSOAR tables, and the call takes the checked kinds.
        assert!(
            out.contains("<_as::relationship_core::xsoar::Relate>::uses(&a,&b)"),
            "{out}"
        );
        assert!(
            out.contains("check_pair(&::relationship_core::xsoar::__policy::TABLES,::relationship_core::xsoar::__policy::KindOf::<A>::NAME,\"uses\",::relationship_core::xsoar::__policy::KindOf::<Option<H>>::NAME,)"),
            "{out}"
        );
        assert!(out.contains("CheckedEntity(a)"), "{out}");
        assert!(
            out.contains("Field(&self.account).push_into(&mutout);"),
            "{out}"
        );
        assert!(
            out.contains("Field(&self.host).push_into(&mutout)"),
            "{out}"
        );
        assert!(out.contains("assert_entity::<Option<H>>();"), "{out}");
        assert!(!out.contains("self.other"), "{out}");
    }

    #[test]
    fn generic_records_are_checked_by_the_constructor_bounds() {
        // A `const` cannot name the record's parameters: the typed constructor's bounds
        // check the pair, as for a typed call.
        for src in [
            "struct E<H> { #[relationship(uses = host)] account: A, host: H }",
            "struct E<'a> { #[relationship(uses = host)] account: &'a A, host: H }",
            "struct E { #[relationship(uses = host)] account: A, host: Box<Self> }",
        ] {
            let out = expand(src);
            assert!(
                out.contains("<_as::relationship_core::xsoar::Relate>::uses(a,b)"),
                "{out}"
            );
            assert!(!out.contains("check_pair"), "{out}");
        }
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
