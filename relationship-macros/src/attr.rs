//! Shared attribute helpers: error accumulation, unknown-key suggestions, paths.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;

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
    let nearest = relationship_schema::suggest::nearest(&name, valid.iter().copied());
    let hint = if nearest.is_empty() {
        format!(
            "; expected {}",
            relationship_schema::suggest::or_list(valid)
        )
    } else {
        format!(
            "; did you mean {}?",
            relationship_schema::suggest::or_list(&nearest)
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

/// The value of a `schema = path` or `crate = path` key.
///
/// A string (`crate = "relationship_core"`) is an error, but when its text is a path that
/// path is still used, so that the rest of the expansion reports nothing further. `Ok(None)`
/// means the value was reported as unusable.
pub fn path_value(
    meta: &syn::meta::ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<syn::Path>> {
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
        let fix = match &parsed {
            Some(p) => format!("`{key} = {}`", path_text(p)),
            None => format!("`{key} = {example}`"),
        };
        errors.spanned(
            lit.span(),
            format!("`{key}` takes a path, not a string: write {fix}"),
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

/// A key that may be given once. The first `set` keeps its key and value; a later one
/// reports `duplicate `#[attr(...)]` attribute `key`` at the later key and is ignored.
pub struct Attr<T> {
    attr: &'static str,
    slot: Option<(syn::Path, T)>,
}

impl<T> Attr<T> {
    /// An unset key of the attribute `#[attr(...)]`.
    pub const fn new(attr: &'static str) -> Self {
        Attr { attr, slot: None }
    }

    pub fn set(&mut self, key: &syn::Path, value: T, errors: &mut Errors) {
        if self.slot.is_some() {
            duplicate(errors, self.attr, key);
        } else {
            self.slot = Some((key.clone(), value));
        }
    }

    pub fn is_set(&self) -> bool {
        self.slot.is_some()
    }

    /// The key as written and its value.
    pub fn get(&self) -> Option<(&syn::Path, &T)> {
        self.slot.as_ref().map(|(k, v)| (k, v))
    }

    pub fn value(&self) -> Option<&T> {
        self.slot.as_ref().map(|(_, v)| v)
    }

    pub fn into_value(self) -> Option<T> {
        self.slot.map(|(_, v)| v)
    }
}

/// Records a duplicate-key error pointing at the second occurrence.
fn duplicate(errors: &mut Errors, attr: &str, key: &syn::Path) {
    errors.push(syn::Error::new_spanned(
        key,
        format!("duplicate `#[{attr}(...)]` attribute `{}`", path_text(key)),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_keeps_the_first_value_and_reports_later_ones() {
        let key: syn::Path = syn::parse_quote!(score);
        let mut errors = Errors::default();
        let mut attr = Attr::new("indicator");
        attr.set(&key, 1, &mut errors);
        assert!(errors.is_empty());
        attr.set(&key, 2, &mut errors);
        assert_eq!(attr.value(), Some(&1));
        let out = errors.into_compile_errors().to_string();
        assert!(
            out.contains("duplicate `#[indicator(...)]` attribute `score`"),
            "{out}"
        );
    }
}
