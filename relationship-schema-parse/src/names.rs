//! Names that deceive: invisible characters and names that look like another name.
//!
//! A schema name is read by people (in the schema, in XSOAR, in rustc's messages) and matched
//! by programs byte for byte. Two names that look the same but differ, such as `Host` and
//! `Hоst` (Cyrillic `о`) or `Ho\u{200d}st` (a zero width joiner), would be two types that
//! nobody can tell apart. The parser and `import-types` therefore refuse:
//!
//! * a name with an [invisible] character: general category Cf (format
//!   characters: zero width space and joiners, soft hyphen, byte order mark, tag
//!   characters, ...) or a default-ignorable code point (variation selectors, Hangul
//!   fillers, ...); control characters are refused before, with the other unsafe ones;
//! * two different names of the same kind whose confusable [skeletons](skeleton) (Unicode
//!   Technical Standard #39, from the `unicode-security` crate) are equal.
//!
//! The checks live here, in the parser, and not in the schema model: the model is linked into
//! every program that uses the runtime, and the confusable tables are needed only where schema
//! files are read.

use relationship_schema::{limits, text};
use unicode_general_category::{GeneralCategory, get_general_category};

/// Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt), the code points a
/// renderer shows as nothing when it cannot show them otherwise.
const DEFAULT_IGNORABLE: &[(char, char)] = &[
    ('\u{ad}', '\u{ad}'),
    ('\u{34f}', '\u{34f}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{115f}', '\u{1160}'),
    ('\u{17b4}', '\u{17b5}'),
    ('\u{180b}', '\u{180f}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2060}', '\u{206f}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{fe00}', '\u{fe0f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{ffa0}', '\u{ffa0}'),
    ('\u{fff0}', '\u{fff8}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0000}', '\u{e0fff}'),
];

/// Why `c` may not appear in a name because it cannot be seen: `format character` (general
/// category Cf) or `default-ignorable character`; `None` for any other character.
pub(crate) fn invisible(c: char) -> Option<&'static str> {
    if c.is_ascii() {
        return None;
    }
    if get_general_category(c) == GeneralCategory::Format {
        return Some("format character");
    }
    if DEFAULT_IGNORABLE
        .iter()
        .any(|&(lo, hi)| (lo..=hi).contains(&c))
    {
        return Some("default-ignorable character");
    }
    None
}

/// The first invisible character of `name` with its class.
pub(crate) fn find_invisible(name: &str) -> Option<(char, &'static str)> {
    name.chars()
        .find_map(|c| invisible(c).map(|class| (c, class)))
}

/// Why a name cannot be schema text (see [`text_problem`]).
pub(crate) enum TextProblem {
    /// A control, line-separator or bidirectional character.
    Unsafe(char),
    /// An invisible character, with its class.
    Invisible(char, &'static str),
    /// Longer than [`limits::MAX_NAME_CHARS`]: its length in characters.
    TooLong(usize),
}

/// The first problem of `name` as text that generated code quotes, if any.
pub(crate) fn text_problem(name: &str) -> Option<TextProblem> {
    if let Some(c) = name.chars().find(|&c| text::is_unsafe(c)) {
        return Some(TextProblem::Unsafe(c));
    }
    if let Some((c, class)) = find_invisible(name) {
        return Some(TextProblem::Invisible(c, class));
    }
    let chars = name.chars().count();
    (chars > limits::MAX_NAME_CHARS).then_some(TextProblem::TooLong(chars))
}

/// `name` for a message: unsafe and invisible characters written as `\u{..}`, cut to
/// [`limits::MAX_QUOTED_CHARS`] characters.
pub(crate) fn shown(name: &str) -> String {
    let visible = text::escape_where(name, |c| text::is_unsafe(c) || invisible(c).is_some());
    text::excerpt(&visible, limits::MAX_QUOTED_CHARS).into_owned()
}

/// `name` with every character outside ASCII written as `\u{..}`, to show how two
/// confusable names differ.
pub(crate) fn spelled(name: &str) -> String {
    let ascii = text::escape_where(name, |c| !c.is_ascii() || c.is_ascii_control());
    text::excerpt(&ascii, limits::MAX_QUOTED_CHARS).into_owned()
}

/// The UTS #39 confusable skeleton of `name`: two names with the same skeleton look the same.
pub(crate) fn skeleton(name: &str) -> String {
    unicode_security::skeleton(name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_found() {
        for c in [
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{ad}',
            '\u{feff}',
            '\u{2060}',
            '\u{e0041}',
            '\u{e0001}',
            '\u{600}',
        ] {
            assert_eq!(invisible(c), Some("format character"), "{c:?}");
        }
        for c in ['\u{fe0f}', '\u{3164}', '\u{115f}', '\u{e0100}', '\u{34f}'] {
            assert_eq!(invisible(c), Some("default-ignorable character"), "{c:?}");
        }
        for c in ['a', ' ', '-', 'é', 'о', '\u{a0}', '→'] {
            assert_eq!(invisible(c), None, "{c:?}");
        }
        assert_eq!(
            find_invisible("Ho\u{200d}st"),
            Some(('\u{200d}', "format character"))
        );
        assert_eq!(find_invisible("Host"), None);
    }

    #[test]
    fn names_are_shown_with_invisible_characters_escaped() {
        assert_eq!(shown("Ho\u{200d}st"), "Ho\\u{200d}st");
        assert_eq!(shown("\u{feff}Host\n"), "\\u{feff}Host\\u{a}");
        assert_eq!(shown("Hоst"), "Hоst");
        assert_eq!(spelled("Hоst"), "H\\u{43e}st");
        assert_eq!(spelled("Host"), "Host");
    }

    #[test]
    fn look_alikes_have_one_skeleton() {
        assert_eq!(skeleton("Hоst"), skeleton("Host"));
        assert_eq!(skeleton("Ho\u{200d}st"), skeleton("Host"));
        assert_eq!(skeleton("Attack\u{a0}Pattern"), skeleton("Attack Pattern"));
        assert_ne!(skeleton("Host"), skeleton("host"));
        assert_ne!(skeleton("uses"), skeleton("used-by"));
    }
}
