//! Shared attribute helpers: error accumulation, unknown-key suggestions, paths, and the
//! parts of an expansion both derives write.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;

/// Collects errors so that every bad attribute is reported in one go; `attr` is the name of
/// the derive's attribute (`indicator` in `#[indicator(...)]`), which messages quote.
pub struct Errors {
    attr: &'static str,
    error: Option<syn::Error>,
}

impl Errors {
    pub const fn new(attr: &'static str) -> Self {
        Errors { attr, error: None }
    }

    pub fn push(&mut self, err: syn::Error) {
        match &mut self.error {
            Some(e) => e.combine(err),
            None => self.error = Some(err),
        }
    }

    pub fn spanned(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.push(syn::Error::new(span, msg));
    }

    pub fn is_empty(&self) -> bool {
        self.error.is_none()
    }

    /// The errors as `compile_error!`s, followed by `placeholder`.
    pub fn with_placeholder(self, placeholder: &TokenStream) -> TokenStream {
        let errors = self.error.map(syn::Error::into_compile_error);
        quote!(#errors #placeholder)
    }

    /// Reports `unknown `#[indicator(...)]` attribute `typ`; did you mean `type`?` and
    /// skips the key's value.
    pub fn unknown_key(&mut self, meta: &ParseNestedMeta<'_>, valid: &[&str]) -> syn::Result<()> {
        let name = path_text(&meta.path);
        let hint = hint(&name, valid.iter().copied(), || {
            format!(
                "; expected {}",
                relationship_schema::suggest::or_list(valid)
            )
        });
        let msg = format!("unknown `#[{}(...)]` attribute `{name}`{hint}", self.attr);
        self.push(syn::Error::new_spanned(&meta.path, msg));
        skip_value(meta)
    }
}

/// Parses the keys of every `#[attr(...)]` in `attrs` with `key`, reporting what does not
/// parse; returns whether something did not.
pub fn parse_attrs(
    attrs: &[syn::Attribute],
    errors: &mut Errors,
    mut key: impl FnMut(&ParseNestedMeta<'_>, &mut Errors) -> syn::Result<()>,
) -> bool {
    let (mut failed, name) = (false, errors.attr);
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        if let Err(e) = attr.parse_nested_meta(|meta| key(&meta, errors)) {
            failed = true;
            errors.push(e);
        }
    }
    failed
}

/// `; did you mean `a` or `b`?` for the names nearest to `name`, else `otherwise`.
pub fn hint<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    otherwise: impl FnOnce() -> String,
) -> String {
    relationship_schema::suggest::did_you_mean(name, candidates)
        .map_or_else(otherwise, |h| format!("; {h}"))
}

/// Reports a key written on the struct that belongs on a field (`on_field`), or the other
/// way round, and skips its value.
pub fn misplaced(
    meta: &ParseNestedMeta<'_>,
    on_field: bool,
    errors: &mut Errors,
) -> syn::Result<()> {
    let place = if on_field {
        "on a field, not on the struct"
    } else {
        "on the struct, not on a field"
    };
    errors.spanned(
        meta.path.span(),
        format!("`{}` belongs {place}", path_text(&meta.path)),
    );
    skip_value(meta)
}

pub fn path_text(path: &syn::Path) -> String {
    quote!(#path).to_string().replace(' ', "")
}

pub fn default_runtime() -> syn::Path {
    syn::parse_quote!(::relationship_core)
}

/// Skips the rest of a malformed `key = value` or `key(...)` item so that parsing can go
/// on with the next key.
pub fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Token![=] = meta.input.parse()?;
        let _: syn::Expr = meta.input.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
    }
    Ok(())
}

/// The value of a `schema = path` or `crate = path` key.
///
/// A string (`crate = "relationship_core"`) is an error, but when its text is a path that
/// path is still used, so that the rest of the expansion reports nothing further. `Ok(None)`
/// means the value was reported as unusable.
fn path_value(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> syn::Result<Option<syn::Path>> {
    let key = path_text(&meta.path);
    let value = meta.value()?;
    let example = if key == "crate" {
        "::relationship_core"
    } else {
        "crate::my_schema"
    };
    if value.peek(syn::LitStr) {
        let lit: syn::LitStr = value.parse()?;
        let parsed = lit.parse::<syn::Path>().ok();
        let fix = parsed
            .as_ref()
            .map_or_else(|| example.to_owned(), path_text);
        errors.spanned(
            lit.span(),
            format!("`{key}` takes a path, not a string: write `{key} = {fix}`"),
        );
        return Ok(parsed);
    }
    match value.parse::<syn::Expr>()? {
        syn::Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => Ok(Some(p.path)),
        other => {
            errors.spanned(
                other.span(),
                format!("`{key}` takes a path such as `{key} = {example}`"),
            );
            Ok(None)
        }
    }
}

/// The `schema = path` and `crate = path` keys of a derive, and the paths its expansion
/// uses.
#[derive(Default)]
pub struct Paths {
    /// The schema module as given.
    pub schema: Attr<syn::Path>,
    runtime: Attr<syn::Path>,
    /// `schema = ...` was given but unusable.
    pub schema_malformed: bool,
}

impl Paths {
    /// Whether `key` is `schema` or `crate`.
    pub fn is_key(key: &syn::Path) -> bool {
        key.is_ident("schema") || key.is_ident("crate")
    }

    /// Parses the value of a `schema` or `crate` key; `false` once reported as unusable.
    pub fn parse_key(
        &mut self,
        meta: &ParseNestedMeta<'_>,
        errors: &mut Errors,
    ) -> syn::Result<bool> {
        let is_schema = meta.path.is_ident("schema");
        let Some(path) = path_value(meta, errors)? else {
            self.schema_malformed |= is_schema;
            return Ok(false);
        };
        let slot = if is_schema {
            &mut self.schema
        } else {
            &mut self.runtime
        };
        slot.set(&meta.path, path, errors);
        Ok(true)
    }

    /// The runtime as the expansion names it: a `crate = path` is imported once, by
    /// [`Paths::wrap`], under the name `__relationship_rt`.
    pub fn runtime(&self) -> syn::Path {
        match self.runtime.value() {
            None => default_runtime(),
            Some(_) => syn::parse_quote!(__relationship_rt),
        }
    }

    /// The schema module: `schema = path`, else the runtime's `xsoar`.
    pub fn schema_module(&self) -> TokenStream {
        let rt = self.runtime();
        (self.schema.value()).map_or_else(|| quote!(#rt::xsoar), |s| quote!(#s))
    }

    /// The output of a derive given `crate = path`: inside a `const _` block that imports
    /// `path::__private::relationship_runtime` as `__relationship_rt`, so that a path that
    /// is not the runtime is one unresolved import (rustc is silent about every use behind
    /// it).
    pub fn wrap(&self, out: TokenStream) -> TokenStream {
        let Some(p) = self.runtime.value() else {
            return out;
        };
        // The import's error points at the path as written.
        let span = p
            .segments
            .last()
            .map_or_else(Span::call_site, |s| s.ident.span());
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

/// The fields of a struct; for an enum or a union, `message` reported at its keyword and
/// `None`.
pub fn struct_fields<'a>(
    input: &'a syn::DeriveInput,
    message: &str,
    errors: &mut Errors,
) -> Option<&'a syn::Fields> {
    let span = match &input.data {
        syn::Data::Struct(s) => return Some(&s.fields),
        syn::Data::Enum(e) => e.enum_token.span,
        syn::Data::Union(u) => u.union_token.span,
    };
    errors.spanned(span, message);
    None
}

pub fn field_names(fields: &[&syn::Field]) -> Vec<String> {
    let named = fields.iter().filter_map(|f| f.ident.as_ref());
    named.map(ToString::to_string).collect()
}

/// `#[automatically_derived] impl trait_path for` the input's type, with `items`.
pub fn impl_for(
    input: &syn::DeriveInput,
    trait_path: &TokenStream,
    items: &TokenStream,
) -> TokenStream {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #trait_path for #name #ty_generics #where_clause {
            #items
        }
    }
}

/// A key that may be given once. The first `set` keeps its key and value; a later one
/// reports `duplicate `#[attr(...)]` attribute `key`` at the later key and is ignored.
pub struct Attr<T>(Option<(syn::Path, T)>);

impl<T> Default for Attr<T> {
    fn default() -> Self {
        Attr(None)
    }
}

impl<T> Attr<T> {
    pub fn set(&mut self, key: &syn::Path, value: T, errors: &mut Errors) {
        if self.0.is_some() {
            let msg = format!(
                "duplicate `#[{}(...)]` attribute `{}`",
                errors.attr,
                path_text(key)
            );
            errors.push(syn::Error::new_spanned(key, msg));
        } else {
            self.0 = Some((key.clone(), value));
        }
    }

    /// The key as written and its value.
    pub fn get(&self) -> Option<(&syn::Path, &T)> {
        self.0.as_ref().map(|(k, v)| (k, v))
    }

    pub fn value(&self) -> Option<&T> {
        self.0.as_ref().map(|(_, v)| v)
    }
}

#[cfg(test)]
/// The expansion of the derive input `src` by `expand`, without spaces (for `contains`).
pub fn expanded(expand: fn(&syn::DeriveInput) -> TokenStream, src: &str) -> String {
    let input: syn::DeriveInput = syn::parse_str(src).unwrap();
    expand(&input).to_string().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_keeps_the_first_value_and_reports_later_ones() {
        let key: syn::Path = syn::parse_quote!(score);
        let mut errors = Errors::new("indicator");
        let mut attr = Attr::default();
        attr.set(&key, 1, &mut errors);
        assert!(errors.is_empty());
        attr.set(&key, 2, &mut errors);
        assert_eq!(attr.value(), Some(&1));
        let out = errors.with_placeholder(&TokenStream::new()).to_string();
        assert!(
            out.contains("duplicate `#[indicator(...)]` attribute `score`"),
            "{out}"
        );
    }
}
