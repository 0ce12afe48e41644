//! Shared attribute helpers: error accumulation, unknown-key suggestions, paths.

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// Collects errors so that every bad attribute is reported in one go.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, err: syn::Error) {
        match &mut self.0 {
            Some(e) => e.combine(err),
            None => self.0 = Some(err),
        }
    }

    pub fn spanned(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.push(syn::Error::new(span, msg));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn into_compile_errors(self) -> TokenStream {
        self.0.map(|e| e.into_compile_error()).unwrap_or_default()
    }
}

/// `unknown `#[indicator(...)]` attribute `typ`; did you mean `type`?`
pub fn unknown_key(attr: &str, key: &syn::Path, valid: &[&str]) -> syn::Error {
    let name = path_text(key);
    let nearest = relationship_codegen::suggest::nearest(&name, valid.iter().copied());
    let hint = if nearest.is_empty() {
        format!(
            "; expected {}",
            relationship_codegen::suggest::or_list(valid)
        )
    } else {
        format!(
            "; did you mean {}?",
            relationship_codegen::suggest::or_list(&nearest)
        )
    };
    syn::Error::new_spanned(
        key,
        format!("unknown `#[{attr}(...)]` attribute `{name}`{hint}"),
    )
}

pub fn path_text(path: &syn::Path) -> String {
    quote!(#path).to_string().replace(' ', "")
}

/// The default runtime path.
pub fn default_runtime() -> syn::Path {
    syn::parse_quote!(::relationship_core)
}

/// Skips the rest of a malformed `key = value` or `key(...)` item so that parsing can go
/// on with the next key.
pub fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Token![=] = meta.input.parse()?;
        let _: syn::Expr = meta.input.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
    }
    Ok(())
}

/// Records a duplicate-key error pointing at the second occurrence.
pub fn duplicate(errors: &mut Errors, attr: &str, key: &syn::Path) {
    errors.push(syn::Error::new_spanned(
        key,
        format!("duplicate `#[{attr}(...)]` attribute `{}`", path_text(key)),
    ));
}
