//! `#[derive(Indicator)]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::attr::{Attr, Errors, default_runtime, path_text, path_value, skip_value, unknown_key};

const CONTAINER_KEYS: &[&str] = &["type", "score", "schema", "crate"];
const FIELD_KEYS: &[&str] = &["value", "field", "score", "raw_json"];

/// The indicator type as written.
enum TypeSpec {
    Str(syn::LitStr),
    Path(syn::Path),
}

struct Container {
    /// An unknown key or a malformed value was reported (so a missing `type` is probably
    /// that typo, and resolving the type could only add noise).
    unknown_key: bool,
    /// `schema = ...` was given but unusable.
    schema_malformed: bool,
    ty: Attr<TypeSpec>,
    score: Attr<syn::LitInt>,
    schema: Attr<syn::Path>,
    runtime: Attr<syn::Path>,
}

impl Container {
    fn new() -> Self {
        Container {
            unknown_key: false,
            schema_malformed: false,
            ty: Attr::new("indicator"),
            score: Attr::new("indicator"),
            schema: Attr::new("indicator"),
            runtime: Attr::new("indicator"),
        }
    }
}

/// The runtime and schema paths of a derive, with their defaults applied.
pub struct Paths {
    pub runtime: syn::Path,
    pub schema: Option<syn::Path>,
}

impl Paths {
    pub fn schema_module(&self) -> TokenStream {
        match &self.schema {
            Some(s) => quote!(#s),
            None => {
                let rt = &self.runtime;
                quote!(#rt::xsoar)
            }
        }
    }
}

fn parse_container(input: &syn::DeriveInput, errors: &mut Errors) -> Container {
    let mut c = Container::new();
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("indicator"))
    {
        let result = attr.parse_nested_meta(|meta| container_key(&meta, &mut c, errors));
        if let Err(e) = result {
            c.unknown_key = true;
            errors.push(e);
        }
    }
    c
}

/// One key of the struct's `#[indicator(...)]`.
fn container_key(
    meta: &syn::meta::ParseNestedMeta<'_>,
    c: &mut Container,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = meta.path.clone();
    if key.is_ident("type") {
        match type_value(meta, errors)? {
            Some(spec) => c.ty.set(&key, spec, errors),
            None => c.unknown_key = true,
        }
    } else if key.is_ident("score") {
        if let Some(lit) = score_value(meta, errors)? {
            c.score.set(&key, lit, errors);
        }
    } else if key.is_ident("schema") || key.is_ident("crate") {
        let Some(path) = path_value(meta, errors)? else {
            c.unknown_key = true;
            c.schema_malformed |= key.is_ident("schema");
            return Ok(());
        };
        let slot = if key.is_ident("schema") {
            &mut c.schema
        } else {
            &mut c.runtime
        };
        slot.set(&key, path, errors);
    } else if FIELD_KEYS.iter().any(|k| key.is_ident(k)) {
        errors.spanned(
            key.span(),
            format!(
                "`{}` belongs on a field, not on the struct",
                path_text(&key)
            ),
        );
        skip_value(meta)?;
    } else {
        errors.push(unknown_key("indicator", &key, CONTAINER_KEYS));
        c.unknown_key = true;
        skip_value(meta)?;
    }
    Ok(())
}

/// The value of `type = "Host"` or `type = path::to::Marker`; `None` once reported as
/// malformed.
fn type_value(
    meta: &syn::meta::ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<TypeSpec>> {
    Ok(match meta.value()?.parse::<syn::Expr>()? {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => Some(TypeSpec::Str(lit)),
        syn::Expr::Path(p) if p.qself.is_none() => Some(TypeSpec::Path(p.path)),
        other => {
            errors.spanned(
                other.span(),
                "`type` takes XSOAR's type string, e.g. `type = \"Host\"`, or the path of a marker type such as `relationship_core::xsoar::types::Host`",
            );
            None
        }
    })
}

/// The value of `score = N`: an integer literal, reported (and still returned) when it is
/// not a DBot score; `None` once reported as not an integer.
fn score_value(
    meta: &syn::meta::ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<syn::LitInt>> {
    let lit = match meta.value()?.parse::<syn::Expr>()? {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(lit),
            ..
        }) => lit,
        other => {
            errors.spanned(
                other.span(),
                "`score` takes XSOAR's DBot score as a number: `score = 0`, `1`, `2` or `3`",
            );
            return Ok(None);
        }
    };
    match lit.base10_parse::<u8>() {
        Ok(n) if n <= 3 => {}
        _ => errors.spanned(
            lit.span(),
            format!("score must be 0, 1, 2 or 3 (XSOAR's DBot score), not `{lit}`"),
        ),
    }
    Ok(Some(lit))
}

pub fn paths(runtime: Option<syn::Path>, schema: Option<syn::Path>) -> Paths {
    Paths {
        // A `crate = path` is imported once, by `with_runtime`, under this name.
        runtime: runtime.map_or_else(default_runtime, |_| syn::parse_quote!(__relationship_rt)),
        schema,
    }
}

/// The output of a derive given `crate = path`: inside a `const _` block that imports
/// `path::__private::relationship_runtime` as `__relationship_rt`, so that a path that is
/// not the runtime is one unresolved import (rustc is silent about every use behind it).
pub fn with_runtime(runtime: Option<&syn::Path>, out: TokenStream) -> TokenStream {
    match runtime {
        None => out,
        Some(p) => {
            // The import's error points at the path as written.
            let span = p
                .segments
                .last()
                .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span());
            let private = syn::Ident::new("__private", span);
            let runtime = syn::Ident::new("relationship_runtime", span);
            quote! {
                const _: () = {
                    use #p::#private::#runtime as __relationship_rt;
                    #out
                };
            }
        }
    }
}

struct FieldAttrs {
    unknown_key: bool,
    value: Attr<()>,
    cliname: Vec<syn::LitStr>,
    score: Attr<()>,
    raw_json: Attr<()>,
}

fn parse_field(field: &syn::Field, errors: &mut Errors) -> FieldAttrs {
    let mut f = FieldAttrs {
        unknown_key: false,
        value: Attr::new("indicator"),
        cliname: Vec::new(),
        score: Attr::new("indicator"),
        raw_json: Attr::new("indicator"),
    };
    for attr in field
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("indicator"))
    {
        let result = attr.parse_nested_meta(|meta| field_key(&meta, &mut f, errors));
        if let Err(e) = result {
            f.unknown_key = true;
            errors.push(e);
        }
    }
    f
}

/// One key of a field's `#[indicator(...)]`.
fn field_key(
    meta: &syn::meta::ParseNestedMeta<'_>,
    f: &mut FieldAttrs,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = meta.path.clone();
    if key.is_ident("value") {
        f.value.set(&key, (), errors);
    } else if key.is_ident("score") {
        if meta.input.peek(syn::Token![=]) {
            errors.spanned(
                key.span(),
                "a fixed `score = N` belongs on the struct; on a field, write `#[indicator(score)]`",
            );
            skip_value(meta)?;
        } else {
            f.score.set(&key, (), errors);
        }
    } else if key.is_ident("raw_json") {
        f.raw_json.set(&key, (), errors);
    } else if key.is_ident("field") {
        if let Some(lit) = cliname_value(meta, errors)? {
            f.cliname.push(lit);
        }
    } else if CONTAINER_KEYS.iter().any(|k| key.is_ident(k)) {
        errors.spanned(
            key.span(),
            format!(
                "`{}` belongs on the struct, not on a field",
                path_text(&key)
            ),
        );
        skip_value(meta)?;
    } else {
        errors.push(unknown_key("indicator", &key, FIELD_KEYS));
        f.unknown_key = true;
        skip_value(meta)?;
    }
    Ok(())
}

/// The value of `field = "cliname"`: a string literal, reported (and still returned) when
/// empty; `None` once reported as not a string.
fn cliname_value(
    meta: &syn::meta::ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<syn::LitStr>> {
    let lit = match meta.value()?.parse::<syn::Expr>()? {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => lit,
        other => {
            let example = match &other {
                syn::Expr::Path(p) => p
                    .path
                    .get_ident()
                    .map_or_else(|| "cliname".to_owned(), ToString::to_string),
                _ => "cliname".to_owned(),
            };
            errors.spanned(
                other.span(),
                format!(
                    "`field` takes the XSOAR field's cliname as a string: `field = \"{example}\"`"
                ),
            );
            return Ok(None);
        }
    };
    if lit.value().is_empty() {
        errors.spanned(lit.span(), "the field's cliname must not be empty");
    }
    Ok(Some(lit))
}

fn member(i: usize, field: &syn::Field) -> syn::Member {
    match &field.ident {
        Some(id) => syn::Member::Named(id.clone()),
        None => syn::Member::Unnamed(syn::Index {
            index: i as u32,
            span: field.span(),
        }),
    }
}

/// A field's name as errors show it: `name` (without `r#`), or `0` in a tuple struct.
fn member_name(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(id) => syn::ext::IdentExt::unraw(id).to_string(),
        syn::Member::Unnamed(i) => i.index.to_string(),
    }
}

/// Resolves a type string against the default schema: the marker's name, or a spanned error
/// with suggestions.
fn xsoar_marker(lit: &syn::LitStr) -> Result<Option<String>, syn::Error> {
    let Some(schema) = crate::builtin::xsoar() else {
        return Ok(None);
    };
    let name = lit.value();
    if let Some(id) = schema.type_id(&name) {
        return Ok(Some(schema.ty(id).marker().to_owned()));
    }
    let nearest = schema.suggest_types(&name);
    let hint = if nearest.is_empty() {
        let all: Vec<&str> = schema.types().iter().map(|t| t.name()).collect();
        format!(
            "; the schema `{}` has {}",
            schema.name(),
            relationship_schema::suggest::or_list(&all)
        )
    } else {
        format!(
            "; did you mean {}?",
            relationship_schema::suggest::or_list(&nearest)
        )
    };
    Err(syn::Error::new(
        lit.span(),
        format!(
            "unknown indicator type `{name}` in the schema `{}`{hint}",
            schema.name()
        ),
    ))
}

/// `<schema>::types::<Marker>` for a type string, the marker named by the generator's rule;
/// a spanned error when the string yields no identifier.
fn marker_path(
    schema_mod: &TokenStream,
    lit: &syn::LitStr,
    errors: &mut Errors,
) -> Option<TokenStream> {
    let marker = relationship_schema::naming::type_marker(&lit.value());
    match syn::parse_str::<syn::Ident>(&marker) {
        Ok(mut m) => {
            m.set_span(lit.span());
            Some(quote!(#schema_mod::types::#m))
        }
        Err(_) => {
            errors.spanned(
                lit.span(),
                format!("`{}` is not an indicator type name", lit.value()),
            );
            None
        }
    }
}

pub fn expand(input: &syn::DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let container = parse_container(input, &mut errors);
    let paths = paths(
        container.runtime.value().cloned(),
        container.schema.value().cloned(),
    );
    let fields = struct_fields(input, &mut errors);
    let is_struct = matches!(input.data, syn::Data::Struct(_));
    let kind = resolve_kind(input, &container, &paths, is_struct, &mut errors);
    let roles = field_roles(&fields, &container, &mut errors);
    if is_struct && roles.value.is_none() && !roles.unknown_key {
        missing_value(input, &fields, &mut errors);
    }
    let out = match (kind, &roles.value, errors.is_empty()) {
        (Some(kind), Some((member, field, _)), true) => {
            emit_impl(input, &paths, &container, &kind, (member, field), &roles)
        }
        _ => placeholder_impl(input, &paths.runtime, errors),
    };
    with_runtime(container.runtime.value(), out)
}

/// The fields of a struct; an error and no fields for an enum or a union.
fn struct_fields<'a>(input: &'a syn::DeriveInput, errors: &mut Errors) -> Vec<&'a syn::Field> {
    match &input.data {
        syn::Data::Struct(s) => s.fields.iter().collect(),
        syn::Data::Enum(e) => {
            errors.spanned(
                e.enum_token.span,
                "`#[derive(Indicator)]` works on structs only: an indicator is one value of one type",
            );
            Vec::new()
        }
        syn::Data::Union(u) => {
            errors.spanned(
                u.union_token.span,
                "`#[derive(Indicator)]` works on structs only: an indicator is one value of one type",
            );
            Vec::new()
        }
    }
}

/// The path of the indicator type marker (`Kind`), or `None` after an error.
fn resolve_kind(
    input: &syn::DeriveInput,
    container: &Container,
    paths: &Paths,
    is_struct: bool,
    errors: &mut Errors,
) -> Option<TokenStream> {
    let name = &input.ident;
    match container.ty.value() {
        // A malformed `schema = ...` could only make the type look unknown.
        Some(_) if container.schema_malformed => None,
        None => {
            if is_struct && !container.unknown_key {
                errors.spanned(
                    name.span(),
                    format!(
                        "missing indicator type: add `#[indicator(type = \"...\")]` to `{name}` with XSOAR's type string, e.g. `#[indicator(type = \"Host\")]`"
                    ),
                );
            }
            None
        }
        Some(TypeSpec::Path(p)) => Some(quote!(#p)),
        Some(TypeSpec::Str(lit)) => {
            let schema_mod = paths.schema_module();
            if paths.schema.is_none() {
                match xsoar_marker(lit) {
                    Ok(Some(marker)) => match syn::parse_str::<syn::Ident>(&marker) {
                        Ok(mut m) => {
                            m.set_span(lit.span());
                            Some(quote!(#schema_mod::types::#m))
                        }
                        Err(_) => marker_path(&schema_mod, lit, errors),
                    },
                    Ok(None) => marker_path(&schema_mod, lit, errors),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                }
            } else {
                // A user schema: the marker is derived by the generator's naming rule;
                // rustc resolves it (and suggests similar names), and a const check in
                // `exact_spelling_check` makes sure the string is the schema's exact spelling.
                marker_path(&schema_mod, lit, errors)
            }
        }
    }
}

/// What the fields of a struct are for, from their `#[indicator(...)]` attributes.
struct FieldRoles<'a> {
    /// The `value` field, with the key that marked it.
    value: Option<(syn::Member, &'a syn::Field, syn::Path)>,
    score: Attr<(syn::Member, &'a syn::Field)>,
    raw_json: Attr<(syn::Member, &'a syn::Field)>,
    /// `field = "cliname"` mappings, in order.
    mapped: Vec<(syn::Member, &'a syn::Field, syn::LitStr)>,
    /// A field attribute had an unknown key or did not parse.
    unknown_key: bool,
}

/// Parses every field's attributes and checks the roles across fields: one value, one
/// score (not next to a fixed one), one `raw_json`.
fn field_roles<'a>(
    fields: &[&'a syn::Field],
    container: &Container,
    errors: &mut Errors,
) -> FieldRoles<'a> {
    let mut roles = FieldRoles {
        value: None,
        score: Attr::new("indicator"),
        raw_json: Attr::new("indicator"),
        mapped: Vec::new(),
        unknown_key: false,
    };
    for (i, field) in fields.iter().copied().enumerate() {
        let attrs = parse_field(field, errors);
        roles.unknown_key |= attrs.unknown_key;
        let m = member(i, field);
        if let Some((key, ())) = attrs.value.get() {
            if let Some((first, _, _)) = &roles.value {
                // One mistake, one error: the message names the field marked first.
                errors.push(syn::Error::new_spanned(
                    key,
                    format!(
                        "duplicate `#[indicator(value)]`: `{}` is already the value field; an indicator has one value (map other fields with `#[indicator(field = \"cliname\")]`)",
                        quote!(#first)
                    ),
                ));
            } else {
                roles.value = Some((m.clone(), field, key.clone()));
            }
        }
        if let Some((key, ())) = attrs.score.get() {
            if let Some(lit) = container.score.value() {
                // One mistake, one error: the message quotes the struct's fixed score.
                errors.push(syn::Error::new_spanned(
                    key,
                    format!(
                        "score given twice: here and on the struct (`score = {}`); keep one",
                        lit.base10_digits()
                    ),
                ));
            } else {
                roles.score.set(key, (m.clone(), field), errors);
            }
        }
        if let Some((key, ())) = attrs.raw_json.get() {
            roles.raw_json.set(key, (m.clone(), field), errors);
        }
        for lit in attrs.cliname {
            roles.mapped.push((m.clone(), field, lit));
        }
    }
    roles
}

/// Reports a struct without a `value` field, naming the likeliest one.
fn missing_value(input: &syn::DeriveInput, fields: &[&syn::Field], errors: &mut Errors) {
    let candidates: Vec<String> = fields
        .iter()
        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
        .collect();
    let hint =
        match relationship_schema::suggest::nearest("value", candidates.iter().map(String::as_str))
            .first()
        {
            Some(f) => format!(" (probably on `{f}`)"),
            None => String::new(),
        };
    errors.spanned(
        input.ident.span(),
        format!(
            "missing `#[indicator(value)]`: mark the field that holds the indicator value{hint}"
        ),
    );
}

/// The errors, plus an implementation with the placeholder kind, which every generated
/// check accepts, so that uses of the type add no errors.
fn placeholder_impl(input: &syn::DeriveInput, rt: &syn::Path, errors: Errors) -> TokenStream {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let errs = errors.into_compile_errors();
    quote! {
        #errs
        #[automatically_derived]
        impl #impl_generics #rt::typed::Indicator for #name #ty_generics #where_clause {
            type Kind = #rt::__private::Unknown;
            fn indicator_value(&self) -> #rt::__private::Cow<'_, str> {
                #rt::__private::Cow::Borrowed("")
            }
        }
    }
}

/// The `Indicator` implementation of a struct whose attributes are all valid.
fn emit_impl(
    input: &syn::DeriveInput,
    paths: &Paths,
    container: &Container,
    kind: &TokenStream,
    (value_member, value_field): (&syn::Member, &syn::Field),
    roles: &FieldRoles<'_>,
) -> TokenStream {
    let rt = &paths.runtime;
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let value_expr = quote_spanned! {value_field.ty.span()=>
        #rt::__private::value_of(&self.#value_member)
    };
    let score = match (container.score.value(), roles.score.value()) {
        (Some(lit), _) => quote!(::core::option::Option::Some(#lit)),
        (None, Some((m, f))) => quote_spanned! {f.ty.span()=> #rt::__private::score_of(&self.#m)},
        (None, None) => quote!(::core::option::Option::None),
    };
    // Errors name the struct and the field.
    let struct_name = name.to_string();
    let value_field_name = member_name(value_member);
    let raw = match roles.raw_json.value() {
        Some((m, f)) => {
            let field_name = member_name(m);
            let call = quote_spanned! {f.ty.span()=>
                #rt::__private::raw_json_of(&self.#m, #struct_name, #field_name)
            };
            quote!(::core::option::Option::Some(#call?))
        }
        None => quote!(::core::option::Option::None),
    };
    let inserts = roles.mapped.iter().map(|(m, f, lit)| {
        let field_name = member_name(m);
        let call = quote_spanned! {f.ty.span()=>
            #rt::__private::insert_field(&mut fields, #lit, &self.#m, #struct_name, #field_name)
        };
        quote!(#call?;)
    });
    let mut_fields = if roles.mapped.is_empty() {
        quote!(let fields = #rt::Fields::new();)
    } else {
        quote!(let mut fields = #rt::Fields::new();)
    };
    let exact = exact_spelling_check(container, paths, kind);
    quote! {
        #exact
        #[automatically_derived]
        impl #impl_generics #rt::typed::Indicator for #name #ty_generics #where_clause {
            type Kind = #kind;
            #[inline]
            fn indicator_value(&self) -> #rt::__private::Cow<'_, str> {
                #value_expr
            }
            fn to_indicator_object(
                &self,
            ) -> ::core::result::Result<#rt::IndicatorObject, #rt::typed::FieldError> {
                #mut_fields
                #(#inserts)*
                #rt::__private::indicator_object(
                    #rt::typed::Indicator::indicator_value(self),
                    #rt::typed::Indicator::indicator_type(self),
                    #score,
                    fields,
                    #raw,
                    (#struct_name, #value_field_name),
                )
            }
        }
    }
}

/// For a type string in a user schema: a `const` assertion that the string is the
/// schema's exact spelling of the type its marker names.
fn exact_spelling_check(container: &Container, paths: &Paths, kind: &TokenStream) -> TokenStream {
    let rt = &paths.runtime;
    match (container.ty.value(), &paths.schema) {
        (Some(TypeSpec::Str(lit)), Some(_)) => {
            // The marker the string resolved to must carry exactly that string; if not, the
            // error is the default schema's, with "did you mean" from the schema's types.
            let schema_mod = paths.schema_module();
            quote_spanned! {lit.span()=>
                const _: () = {
                    const VERDICT: #rt::__private::policy::Message =
                        #rt::__private::policy::check_type(
                            &#schema_mod::__policy::TABLES,
                            <#kind as #rt::typed::IndicatorType>::NAME,
                            #lit,
                        );
                    if VERDICT.failed() {
                        ::core::panic!("{}", VERDICT.as_str())
                    }
                };
            }
        }
        _ => quote!(),
    }
}

#[cfg(test)]
mod tests {
    fn expand(src: &str) -> String {
        let input: syn::DeriveInput = syn::parse_str(src).unwrap();
        super::expand(&input).to_string().replace(' ', "")
    }

    #[test]
    fn type_string_resolves_to_the_xsoar_marker() {
        let out = expand(
            r#"#[indicator(type = "Attack Pattern")] struct T { #[indicator(value)] id: String }"#,
        );
        assert!(
            out.contains("typeKind=::relationship_core::xsoar::types::AttackPattern;"),
            "{out}"
        );
        assert!(!out.contains("compile_error"));
    }

    #[test]
    fn user_schema_and_crate_paths_are_used() {
        let out = expand(
            r#"#[indicator(type = "Employee", schema = crate::hr, crate = ::rc)] struct E { #[indicator(value)] id: String }"#,
        );
        assert!(
            out.contains("typeKind=crate::hr::types::Employee;"),
            "{out}"
        );
        assert!(
            out.contains("__relationship_rt::__private::policy::check_type"),
            "{out}"
        );
        assert!(
            out.contains("use::rc::__private::relationship_runtimeas__relationship_rt;"),
            "{out}"
        );
    }

    #[test]
    fn serialized_fields_name_the_struct_and_field_for_errors() {
        let out = expand(
            r#"#[indicator(type = "Account")] struct U { #[indicator(value)] r#type: String, #[indicator(field = "displayname")] display: Option<String>, #[indicator(raw_json)] raw: u8 }"#,
        );
        assert!(
            out.contains(r#"insert_field(&mutfields,"displayname",&self.display,"U","display")?;"#),
            "{out}"
        );
        assert!(
            out.contains(
                r#"Some(::relationship_core::__private::raw_json_of(&self.raw,"U","raw")?)"#
            ),
            "{out}"
        );
        let out = expand(
            r#"#[indicator(type = "IP")] struct A(#[indicator(value)] String, #[indicator(raw_json)] u8);"#,
        );
        assert!(out.contains(r#"raw_json_of(&self.1,"A","1")?"#), "{out}");
    }

    #[test]
    fn errors_come_with_a_placeholder_impl() {
        let out =
            expand(r#"#[indicator(type = "Hots")] struct M { #[indicator(value)] f: String }"#);
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("didyoumean`Host`?"), "{out}");
        assert!(
            out.contains("typeKind=::relationship_core::__private::Unknown;"),
            "{out}"
        );
    }

    #[test]
    fn malformed_values_get_their_own_messages_and_no_cascade() {
        let out = expand(r#"#[indicator(type = 3)] struct A { #[indicator(value)] v: String }"#);
        assert!(out.contains("`type`takesXSOAR'stypestring"), "{out}");
        assert!(!out.contains("missingindicatortype"), "{out}");
        let out = expand(
            r#"#[indicator(type = "Host", score = "high")] struct A { #[indicator(value)] v: String }"#,
        );
        assert!(
            out.contains("`score`takesXSOAR'sDBotscoreasanumber"),
            "{out}"
        );
        let out = expand(
            r#"#[indicator(type = "Host")] struct A { #[indicator(value, field = hostname)] v: String }"#,
        );
        assert!(out.contains(r#"`field=\"hostname\"`"#), "{out}");
        // A schema path written as a string is reported and still used: the type is not
        // looked up in `xsoar`.
        let out = expand(
            r#"#[indicator(type = "Employee", schema = "crate::hr")] struct A { #[indicator(value)] v: String }"#,
        );
        assert!(
            out.contains("`schema`takesapath,notastring:write`schema=crate::hr`"),
            "{out}"
        );
        assert!(!out.contains("unknownindicatortype"), "{out}");
        let out = expand(
            r#"#[indicator(type = "Employee", schema = 5)] struct A { #[indicator(value)] v: String }"#,
        );
        assert!(out.contains("`schema`takesapath"), "{out}");
        assert!(!out.contains("unknownindicatortype"), "{out}");
    }

    #[test]
    fn bad_input_never_panics() {
        for src in [
            r#"#[indicator(type = "")] struct A { #[indicator(value)] v: String }"#,
            r#"#[indicator(type = "123", schema = s)] struct A { #[indicator(value)] v: String }"#,
            r#"#[indicator(type = 5)] struct A(#[indicator(value)] String);"#,
            r#"#[indicator(score = 300)] struct A;"#,
            r#"#[indicator(= =)] union U { a: u8 }"#,
            r#"#[indicator] enum E {}"#,
            r#"#[indicator(type = "A", crate = "not a path")] struct A { #[indicator(value)] v: String }"#,
            r#"#[indicator(type = "A", crate = 1 + 2)] struct A { #[indicator(value)] v: String }"#,
            r#"#[indicator(type = "Host")] struct A { #[indicator(value, field = 1)] v: String }"#,
        ] {
            assert!(expand(src).contains("compile_error"), "{src}");
        }
    }
}
