//! Schema text is data, never code: which characters a name may not contain, how text is
//! escaped before it reaches a comment, and how long values are cut in messages.
//!
//! ```
//! use relationship_schema::text::{escape_unsafe, excerpt, is_unsafe};
//!
//! assert!(is_unsafe('\n') && is_unsafe('\u{202e}') && !is_unsafe('é'));
//! assert_eq!(escape_unsafe("a\nb\u{202e}c"), "a\\u{a}b\\u{202e}c");
//! assert_eq!(excerpt(&"x".repeat(100), 8), "xxxxxxxx… (100 characters)");
//! ```

use std::borrow::Cow;

/// Whether `c` must never appear raw in a name or in generated source: control characters
/// (C0, DEL, C1: newline, carriage return, NUL, ...), the Unicode line and paragraph
/// separators, and the bidirectional controls that can make source read differently from
/// how it compiles (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every [unsafe](is_unsafe) character written as a visible `\u{..}` escape;
/// borrowed unchanged when there is none.
pub fn escape_unsafe(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// `text` with every character for which `hide` holds written as a visible `\u{..}`
/// escape; borrowed unchanged when there is none.
pub fn escape_where(text: &str, hide: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&hide) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hide(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most `max_chars` characters of `text` for a message, [unsafe](is_unsafe) characters
/// escaped; a longer text is cut and ends in `… (N characters)`.
pub fn excerpt(text: &str, max_chars: usize) -> Cow<'_, str> {
    let count = text.chars().count();
    if count <= max_chars {
        return escape_unsafe(text);
    }
    let head: String = text.chars().take(max_chars).collect();
    Cow::Owned(format!("{}… ({count} characters)", escape_unsafe(&head)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_what_is_unsafe() {
        assert!(matches!(
            escape_unsafe("Attack Pattern → ok"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_unsafe("\0\r\t\u{85}\u{2066}"),
            "\\u{0}\\u{d}\\u{9}\\u{85}\\u{2066}"
        );
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("ab\ncd", 3), "ab\\u{a}… (5 characters)");
    }
}
