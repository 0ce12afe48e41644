//! `#[derive(Indicator)]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;

use crate::attr::{
    Attr, Errors, Paths, field_names, hint, impl_for, misplaced, parse_attrs, skip_value,
    struct_fields,
};

const CONTAINER_KEYS: &[&str] = &["type", "score", "schema", "crate"];
const FIELD_KEYS: &[&str] = &["value", "field", "score", "raw_json"];

/// The indicator type as written.
enum TypeSpec {
    Str(syn::LitStr),
    Path(syn::Path),
}

#[derive(Default)]
struct Container {
    /// An unknown key or a malformed value was reported (so a missing `type` is probably
    /// that typo, and resolving the type could only add noise).
    unknown_key: bool,
    ty: Attr<TypeSpec>,
    score: Attr<syn::LitInt>,
    paths: Paths,
}

fn parse_container(input: &syn::DeriveInput, errors: &mut Errors) -> Container {
    let mut c = Container::default();
    let failed = parse_attrs(&input.attrs, errors, |meta, errors| {
        container_key(meta, &mut c, errors)
    });
    c.unknown_key |= failed;
    c
}

fn container_key(
    meta: &ParseNestedMeta<'_>,
    c: &mut Container,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = &meta.path;
    if key.is_ident("type") {
        match type_value(meta, errors)? {
            Some(spec) => c.ty.set(key, spec, errors),
            None => c.unknown_key = true,
        }
    } else if key.is_ident("score") {
        if let Some(lit) = score_value(meta, errors)? {
            c.score.set(key, lit, errors);
        }
    } else if Paths::is_key(key) {
        c.unknown_key |= !c.paths.parse_key(meta, errors)?;
    } else if FIELD_KEYS.iter().any(|k| key.is_ident(k)) {
        misplaced(meta, true, errors)?;
    } else {
        c.unknown_key = true;
        errors.unknown_key(meta, CONTAINER_KEYS)?;
    }
    Ok(())
}

/// The value of `type = "Host"` or `type = path::to::Marker`; `None` once reported as
/// malformed.
fn type_value(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> syn::Result<Option<TypeSpec>> {
    let expr: syn::Expr = meta.value()?.parse()?;
    if let Some(syn::Lit::Str(lit)) = literal(&expr) {
        return Ok(Some(TypeSpec::Str(lit.clone())));
    }
    Ok(match expr {
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

fn literal(expr: &syn::Expr) -> Option<&syn::Lit> {
    match expr {
        syn::Expr::Lit(e) => Some(&e.lit),
        _ => None,
    }
}

/// The value of `score = N`: an integer literal, reported (and still returned) when it is
/// not a DBot score; `None` once reported as not an integer.
fn score_value(
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<syn::LitInt>> {
    let expr: syn::Expr = meta.value()?.parse()?;
    let Some(syn::Lit::Int(lit)) = literal(&expr) else {
        errors.spanned(
            expr.span(),
            "`score` takes XSOAR's DBot score as a number: `score = 0`, `1`, `2` or `3`",
        );
        return Ok(None);
    };
    match lit.base10_parse::<u8>() {
        Ok(n) if n <= 3 => {}
        _ => errors.spanned(
            lit.span(),
            format!("score must be 0, 1, 2 or 3 (XSOAR's DBot score), not `{lit}`"),
        ),
    }
    Ok(Some(lit.clone()))
}

/// The keys that mark a field, in the order of `FieldAttrs::flags`.
const FLAGS: [&str; 3] = ["value", "score", "raw_json"];

#[derive(Default)]
struct FieldAttrs {
    unknown_key: bool,
    /// `value`, `score` and `raw_json`, as in `FLAGS`.
    flags: [Attr<()>; 3],
    cliname: Vec<syn::LitStr>,
}

fn field_key(
    meta: &ParseNestedMeta<'_>,
    f: &mut FieldAttrs,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = &meta.path;
    if key.is_ident("score") && meta.input.peek(syn::Token![=]) {
        errors.spanned(
            key.span(),
            "a fixed `score = N` belongs on the struct; on a field, write `#[indicator(score)]`",
        );
        skip_value(meta)?;
    } else if let Some(i) = FLAGS.iter().position(|k| key.is_ident(k)) {
        f.flags[i].set(key, (), errors);
    } else if key.is_ident("field") {
        f.cliname.extend(cliname_value(meta, errors)?);
    } else if CONTAINER_KEYS.iter().any(|k| key.is_ident(k)) {
        misplaced(meta, false, errors)?;
    } else {
        f.unknown_key = true;
        errors.unknown_key(meta, FIELD_KEYS)?;
    }
    Ok(())
}

/// The value of `field = "cliname"`: a string literal, reported (and still returned) when
/// empty; `None` once reported as not a string.
fn cliname_value(
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<syn::LitStr>> {
    let expr: syn::Expr = meta.value()?.parse()?;
    let Some(syn::Lit::Str(lit)) = literal(&expr) else {
        let example = match &expr {
            syn::Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
            _ => None,
        };
        let example = example.unwrap_or_else(|| "cliname".to_owned());
        errors.spanned(
            expr.span(),
            format!("`field` takes the XSOAR field's cliname as a string: `field = \"{example}\"`"),
        );
        return Ok(None);
    };
    if lit.value().is_empty() {
        errors.spanned(lit.span(), "the field's cliname must not be empty");
    }
    Ok(Some(lit.clone()))
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
fn xsoar_marker(lit: &syn::LitStr) -> syn::Result<Option<String>> {
    let Some(schema) = crate::builtin::xsoar() else {
        return Ok(None);
    };
    let name = lit.value();
    if let Some(id) = schema.type_id(&name) {
        return Ok(Some(schema.ty(id).marker().to_owned()));
    }
    let names = schema.types().iter().map(|t| t.name());
    let hint = hint(&name, names.clone(), || {
        let all: Vec<&str> = names.collect();
        let all = relationship_schema::suggest::or_list(&all);
        format!("; the schema `{}` has {all}", schema.name())
    });
    Err(syn::Error::new(
        lit.span(),
        format!(
            "unknown indicator type `{name}` in the schema `{}`{hint}",
            schema.name()
        ),
    ))
}

pub fn expand(input: &syn::DeriveInput) -> TokenStream {
    let mut errors = Errors::new("indicator");
    let container = parse_container(input, &mut errors);
    let message =
        "`#[derive(Indicator)]` works on structs only: an indicator is one value of one type";
    let fields: Vec<&syn::Field> = struct_fields(input, message, &mut errors)
        .into_iter()
        .flatten()
        .collect();
    let is_struct = matches!(input.data, syn::Data::Struct(_));
    let kind = resolve_kind(input, &container, is_struct, &mut errors);
    let roles = field_roles(&fields, &container, &mut errors);
    if is_struct && roles.value.is_none() && !roles.unknown_key {
        missing_value(input, &fields, &mut errors);
    }
    let paths = &container.paths;
    let out = match (kind, &roles.value, errors.is_empty()) {
        (Some(kind), Some(value), true) => emit_impl(input, &container, &kind, value, &roles),
        _ => {
            let rt = paths.runtime();
            let items = quote! {
                type Kind = #rt::__private::Unknown;
                fn indicator_value(&self) -> #rt::__private::Cow<'_, str> {
                    #rt::__private::Cow::Borrowed("")
                }
            };
            // With the errors, an implementation with the placeholder kind, which every
            // generated check accepts, so that uses of the type add no errors.
            errors.with_placeholder(&impl_for(input, &quote!(#rt::typed::Indicator), &items))
        }
    };
    paths.wrap(out)
}

/// The path of the indicator type marker (`Kind`), or `None` after an error.
fn resolve_kind(
    input: &syn::DeriveInput,
    container: &Container,
    is_struct: bool,
    errors: &mut Errors,
) -> Option<TokenStream> {
    let name = &input.ident;
    let lit = match container.ty.value() {
        // A malformed `schema = ...` could only make the type look unknown.
        Some(_) if container.paths.schema_malformed => return None,
        None => {
            if is_struct && !container.unknown_key {
                errors.spanned(
                    name.span(),
                    format!(
                        "missing indicator type: add `#[indicator(type = \"...\")]` to `{name}` with XSOAR's type string, e.g. `#[indicator(type = \"Host\")]`"
                    ),
                );
            }
            return None;
        }
        Some(TypeSpec::Path(p)) => return Some(quote!(#p)),
        Some(TypeSpec::Str(lit)) => lit,
    };
    // In a user schema the marker is named by the generator's rule; rustc resolves it (and
    // suggests similar names), and `exact_spelling_check` makes sure the string is the
    // schema's exact spelling.
    let xsoar = match container.paths.schema.value() {
        Some(_) => None,
        None => xsoar_marker(lit).map_err(|e| errors.push(e)).ok()?,
    };
    let marker = xsoar
        .filter(|m| syn::parse_str::<syn::Ident>(m).is_ok())
        .unwrap_or_else(|| relationship_schema::naming::type_marker(&lit.value()));
    let Ok(mut marker) = syn::parse_str::<syn::Ident>(&marker) else {
        errors.spanned(
            lit.span(),
            format!("`{}` is not an indicator type name", lit.value()),
        );
        return None;
    };
    marker.set_span(lit.span());
    let schema_mod = container.paths.schema_module();
    Some(quote!(#schema_mod::types::#marker))
}

/// A field with its member (`name` or `0`).
type Member<'a> = (syn::Member, &'a syn::Field);

/// What the fields of a struct are for, from their `#[indicator(...)]` attributes.
#[derive(Default)]
struct FieldRoles<'a> {
    value: Option<Member<'a>>,
    score: Attr<Member<'a>>,
    raw_json: Attr<Member<'a>>,
    /// `field = "cliname"` mappings, in order.
    mapped: Vec<(Member<'a>, syn::LitStr)>,
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
    let mut roles = FieldRoles::default();
    for (i, field) in fields.iter().copied().enumerate() {
        let mut attrs = FieldAttrs::default();
        let failed = parse_attrs(&field.attrs, errors, |meta, errors| {
            field_key(meta, &mut attrs, errors)
        });
        roles.unknown_key |= failed || attrs.unknown_key;
        let (m, [value, score, raw_json]) = ((member(i, field), field), &attrs.flags);
        if let Some((key, ())) = value.get() {
            if let Some((first, _)) = &roles.value {
                // One mistake, one error: the message names the field marked first.
                errors.push(syn::Error::new_spanned(
                    key,
                    format!(
                        "duplicate `#[indicator(value)]`: `{}` is already the value field; an indicator has one value (map other fields with `#[indicator(field = \"cliname\")]`)",
                        quote!(#first)
                    ),
                ));
            } else {
                roles.value = Some(m.clone());
            }
        }
        if let Some((key, ())) = score.get() {
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
                roles.score.set(key, m.clone(), errors);
            }
        }
        if let Some((key, ())) = raw_json.get() {
            roles.raw_json.set(key, m.clone(), errors);
        }
        (roles.mapped).extend(attrs.cliname.into_iter().map(|lit| (m.clone(), lit)));
    }
    roles
}

/// Reports a struct without a `value` field, naming the likeliest one.
fn missing_value(input: &syn::DeriveInput, fields: &[&syn::Field], errors: &mut Errors) {
    let names = field_names(fields);
    let nearest = relationship_schema::suggest::nearest("value", names.iter().map(String::as_str));
    let hint = (nearest.first()).map_or_else(String::new, |f| format!(" (probably on `{f}`)"));
    errors.spanned(
        input.ident.span(),
        format!(
            "missing `#[indicator(value)]`: mark the field that holds the indicator value{hint}"
        ),
    );
}

/// The `Indicator` implementation of a struct whose attributes are all valid.
fn emit_impl(
    input: &syn::DeriveInput,
    container: &Container,
    kind: &TokenStream,
    (value_member, value_field): &Member<'_>,
    roles: &FieldRoles<'_>,
) -> TokenStream {
    let rt = &container.paths.runtime();
    let value_expr = quote_spanned! {value_field.ty.span()=>
        #rt::__private::value_of(&self.#value_member)
    };
    let score = match (container.score.value(), roles.score.value()) {
        (Some(lit), _) => quote!(::core::option::Option::Some(#lit)),
        (None, Some((m, f))) => quote_spanned! {f.ty.span()=> #rt::__private::score_of(&self.#m)},
        (None, None) => quote!(::core::option::Option::None),
    };
    // Errors name the struct and the field.
    let struct_name = input.ident.to_string();
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
    let inserts = roles.mapped.iter().map(|((m, f), lit)| {
        let field_name = member_name(m);
        let call = quote_spanned! {f.ty.span()=>
            #rt::__private::insert_field(&mut fields, #lit, &self.#m, #struct_name, #field_name)
        };
        quote!(#call?;)
    });
    let mut_kw = (!roles.mapped.is_empty()).then(|| quote!(mut));
    let exact = exact_spelling_check(container, kind);
    let items = quote! {
        type Kind = #kind;
        #[inline]
        fn indicator_value(&self) -> #rt::__private::Cow<'_, str> {
            #value_expr
        }
        fn to_indicator_object(
            &self,
        ) -> ::core::result::Result<#rt::IndicatorObject, #rt::typed::FieldError> {
            let #mut_kw fields = #rt::Fields::new();
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
    };
    let imp = impl_for(input, &quote!(#rt::typed::Indicator), &items);
    quote!(#exact #imp)
}

/// For a type string in a user schema: a `const` assertion that the string is the
/// schema's exact spelling of the type its marker names.
fn exact_spelling_check(container: &Container, kind: &TokenStream) -> TokenStream {
    let (Some(TypeSpec::Str(lit)), Some(_)) =
        (container.ty.value(), container.paths.schema.value())
    else {
        return TokenStream::new();
    };
    let (rt, schema_mod) = (container.paths.runtime(), container.paths.schema_module());
    // The marker the string resolved to must carry exactly that string; if not, the error
    // is the default schema's, with "did you mean" from the schema's types.
    let verdict = quote_spanned! {lit.span()=>
        #rt::__private::policy::check_type(
            &#schema_mod::__policy::TABLES,
            <#kind as #rt::typed::IndicatorType>::NAME,
            #lit,
        )
    };
    crate::policy::verdict_const(lit.span(), &rt, &verdict)
}

#[cfg(test)]
mod tests {
    fn expand(src: &str) -> String {
        crate::attr::expanded(super::expand, src)
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
