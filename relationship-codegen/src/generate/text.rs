//! Text helpers of the generated code: doc attributes, lists of names, articles and the
//! escaping of diagnostic format strings.

use proc_macro2::TokenStream;
use quote::quote;

use relationship_schema::text::escape_unsafe;

/// One `#[doc = "..."]` attribute per line, so the output reads as `///` comments.
///
/// Schema text is data: a line holds no control, line-separator or bidirectional character
/// (each is written as a visible `\u{..}` escape; a tab becomes four spaces), so a doc comment can
/// never end early, hide code or read differently from how it compiles.
pub(super) fn doc_lines(text: &str) -> TokenStream {
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
pub(super) fn article(name: &str) -> &'static str {
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

/// The names in backticks, separated by commas.
pub(super) fn code_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as literal text of a `#[diagnostic::on_unimplemented]` format string: `{` and
/// `}` doubled, so that a schema name can never be read as a format parameter.
pub(super) fn fmt_escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}
