//! `assert_relationship!` and `assert_no_relationship!`: a schema policy stated as a
//! `const` item, checked by `cargo check`.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

use crate::attr::{default_runtime, path_text};

#[derive(Default)]
struct Assertion {
    schema: Option<syn::Path>,
    runtime: Option<syn::Path>,
    source: String,
    rel: String,
    target: String,
}

fn err(span: Span, msg: &str) -> syn::Error {
    syn::Error::new(span, msg)
}

const SHAPE: &str = "expected `Source: relationship -> Target`, e.g. `Account: uses -> Host` or `\"X509 Certificate\": embedded-in -> File`, optionally after `schema = path::to::module,`";

fn is_punct(t: &TokenTree, c: char) -> bool {
    matches!(t, TokenTree::Punct(p) if p.as_char() == c)
}

/// The string literal at `i`, if there is one.
fn string_at(tokens: &[TokenTree], i: &mut usize) -> Option<String> {
    let Some(TokenTree::Literal(lit)) = tokens.get(*i) else {
        return None;
    };
    let Ok(syn::Lit::Str(s)) = syn::parse_str::<syn::Lit>(&lit.to_string()) else {
        return None;
    };
    *i += 1;
    Some(s.value())
}

/// A name: a string literal, or words. A type name (`CVE`, `Attack Pattern`) ends at `stop`,
/// its words joined by spaces; a relationship name (`stop` `None`: `sub-domain-of`) ends at
/// `->`, its words joined by `-`.
fn name(tokens: &[TokenTree], i: &mut usize, stop: Option<char>) -> syn::Result<String> {
    let start_span = tokens.get(*i).map_or_else(Span::call_site, TokenTree::span);
    if let Some(s) = string_at(tokens, i) {
        return Ok(s);
    }
    let mut name = String::new();
    while let Some(t) = tokens.get(*i) {
        match t {
            TokenTree::Punct(p) if stop == Some(p.as_char()) => break,
            TokenTree::Punct(p) if stop.is_none() && p.as_char() == '-' => {
                if tokens.get(*i + 1).is_some_and(|t| is_punct(t, '>')) {
                    break;
                }
                name.push('-');
            }
            // A literal other than a string may follow a word of a type (`X509 Certificate`).
            TokenTree::Ident(_) | TokenTree::Literal(_)
                if matches!(t, TokenTree::Ident(_)) || (stop.is_some() && !name.is_empty()) =>
            {
                if stop.is_some() && !name.is_empty() {
                    name.push(' ');
                }
                name.push_str(&t.to_string());
            }
            other => return Err(err(other.span(), SHAPE)),
        }
        *i += 1;
    }
    if name.is_empty() {
        return Err(err(start_span, SHAPE));
    }
    Ok(name)
}

fn expect_punct(tokens: &[TokenTree], i: &mut usize, c: char) -> syn::Result<()> {
    match tokens.get(*i) {
        Some(t) if is_punct(t, c) => {
            *i += 1;
            Ok(())
        }
        t => Err(err(t.map_or_else(Span::call_site, TokenTree::span), SHAPE)),
    }
}

/// `schema = path,` and `crate = path,` in front.
fn options(tokens: &[TokenTree], i: &mut usize, a: &mut Assertion) -> syn::Result<()> {
    loop {
        let key = match (tokens.get(*i), tokens.get(*i + 1)) {
            (Some(TokenTree::Ident(id)), Some(TokenTree::Punct(p)))
                if p.as_char() == '=' && (id == "schema" || id == "crate") =>
            {
                id.to_string()
            }
            _ => return Ok(()),
        };
        *i += 2;
        let len = tokens[*i..]
            .iter()
            .take_while(|t| !is_punct(t, ','))
            .count();
        let path: TokenStream = tokens[*i..*i + len].iter().cloned().collect();
        *i += len;
        let span = tokens.get(*i).map_or_else(Span::call_site, TokenTree::span);
        let path: syn::Path = syn::parse2(path)
            .map_err(|_| err(span, "expected a path after `schema =` or `crate =`"))?;
        if key == "schema" {
            a.schema = Some(path);
        } else {
            a.runtime = Some(path);
        }
        expect_punct(tokens, i, ',')?;
    }
}

fn parse(input: TokenStream) -> syn::Result<Assertion> {
    // A `$x` fragment from a macro_rules caller arrives as an invisible group: flatten it.
    let tokens: Vec<TokenTree> = input
        .into_iter()
        .flat_map(|t| match t {
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
                g.stream().into_iter().collect::<Vec<_>>()
            }
            other => vec![other],
        })
        .collect();
    let mut a = Assertion::default();
    let mut i = 0;
    options(&tokens, &mut i, &mut a)?;
    a.source = name(&tokens, &mut i, Some(':'))?;
    expect_punct(&tokens, &mut i, ':')?;
    a.rel = name(&tokens, &mut i, None)?;
    expect_punct(&tokens, &mut i, '-')?;
    expect_punct(&tokens, &mut i, '>')?;
    a.target = name(&tokens, &mut i, Some(','))?;
    if tokens.get(i).is_some_and(|t| is_punct(t, ',')) {
        i += 1;
    }
    if let Some(t) = tokens.get(i) {
        return Err(err(t.span(), SHAPE));
    }
    Ok(a)
}

fn quoted(name: &str) -> String {
    if name.contains(' ') {
        format!("{name:?}")
    } else {
        name.to_owned()
    }
}

/// Expands `assert_relationship!` (`allowed`) or `assert_no_relationship!`.
pub fn expand(input: TokenStream, allowed: bool) -> TokenStream {
    let a = match parse(input) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error(),
    };
    let rt = a.runtime.unwrap_or_else(default_runtime);
    let (source, rel, target) = (&a.source, &a.rel, &a.target);
    let (schema, schema_text) = match &a.schema {
        Some(s) => (quote!(#s), format!("schema = {}, ", path_text(s))),
        None => (quote!(#rt::xsoar), String::new()),
    };
    let macro_name = if allowed {
        "assert_relationship!"
    } else {
        "assert_no_relationship!"
    };
    let (shown_source, shown_target) = (quoted(source), quoted(target));
    let text = format!("{macro_name}({schema_text}{shown_source}: {rel} -> {shown_target})");
    let verdict = quote! {
        #rt::__private::policy::check(
            &#schema::__policy::TABLES, #source, #rel, #target, #allowed, #text,
        )
    };
    verdict_const(Span::call_site(), &rt, &verdict)
}

/// A `const` item that fails `cargo check` with the message of `verdict` (a
/// `policy::Message`) when it failed; spanned at `span`.
pub fn verdict_const(span: Span, rt: &syn::Path, verdict: &TokenStream) -> TokenStream {
    quote_spanned! {span=>
        const _: () = {
            const VERDICT: #rt::__private::policy::Message = #verdict;
            if VERDICT.failed() {
                ::core::panic!("{}", VERDICT.as_str())
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(src: &str) -> Assertion {
        parse(src.parse().unwrap()).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    #[test]
    fn names_as_xsoar_spells_them() {
        let a = parsed("Account: uses -> Host");
        assert_eq!(
            (a.source.as_str(), a.rel.as_str(), a.target.as_str()),
            ("Account", "uses", "Host")
        );
        let a = parsed("\"X509 Certificate\": embedded-in -> File");
        assert_eq!(
            (a.source.as_str(), a.rel.as_str()),
            ("X509 Certificate", "embedded-in")
        );
        let a = parsed("Attack Pattern: subtechnique-of -> Attack Pattern,");
        assert_eq!(
            (a.source.as_str(), a.target.as_str()),
            ("Attack Pattern", "Attack Pattern")
        );
        let a = parsed("schema = crate::hr, Employee: owns -> Host");
        assert!(a.schema.is_some());
        assert_eq!(a.rel, "owns");
    }

    #[test]
    fn malformed_input_is_one_error() {
        for src in [
            "",
            "Account uses Host",
            "Account: uses Host",
            "Account: -> Host",
            "A: b -> C D E ;",
        ] {
            assert!(parse(src.parse().unwrap()).is_err(), "{src}");
        }
    }

    #[test]
    fn expansion_is_a_const_item() {
        let out = expand("Host: uses -> CVE".parse().unwrap(), false).to_string();
        assert!(out.starts_with("const _ : ()"), "{out}");
        assert!(
            out.contains(":: relationship_core :: xsoar :: __policy :: TABLES"),
            "{out}"
        );
        assert!(
            out.contains("\"assert_no_relationship!(Host: uses -> CVE)\""),
            "{out}"
        );
    }
}
