//! The strict JSON parser of schema files: a tree of values, each with its byte span.
//!
//! A schema file is strict JSON: no comments, no trailing or missing commas, no
//! single-quoted strings, no unquoted property names, no hexadecimal, `+1`, `.5`, `1.` or
//! non-finite numbers, no escapes beyond JSON's, no raw control characters in strings.
//! Between tokens, any Unicode white space is skipped.
//!
//! The first defect is reported with the message and at the byte offset that the strict mode
//! of `jsonc-parser` uses (the wording of the `.expected` files in
//! `tests/fixtures/bad-schemas`): the scanner and the parser below take the same decisions in
//! the same order. The parser recurses once per array or object and refuses more than
//! [`MAX_NESTING`] levels, so a deeply nested file is an error long before the stack is at
//! risk.

use std::borrow::Cow;

/// Nesting levels of open arrays, objects and object properties (an object nested in an
/// object counts twice). The parser recurses once per array or object, at about 1.2 KiB of
/// stack per level in a debug build: the deepest text fits in a third of a 2 MiB stack.
pub(crate) const MAX_NESTING: usize = 512;

/// The first syntax defect: its byte offset and its message (starting in lower case).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Defect {
    pub(crate) at: usize,
    pub(crate) message: String,
}

/// A value and where it is: `at` is the offset of its first byte, `end` one past its last.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node<'t> {
    pub(crate) at: usize,
    pub(crate) end: usize,
    pub(crate) value: Value<'t>,
}

/// A JSON value; strings are decoded, numbers are not needed beyond their kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'t> {
    Null,
    Bool(bool),
    Number,
    String(Cow<'t, str>),
    Array(Vec<Node<'t>>),
    /// The members in file order, duplicates included.
    Object(Vec<Member<'t>>),
}

/// An object member: its decoded key, the offset of the key's opening quote, its value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member<'t> {
    pub(crate) key: Cow<'t, str>,
    pub(crate) at: usize,
    pub(crate) value: Node<'t>,
}

impl Node<'_> {
    /// What the value is, for messages: "a string", "an object", ...
    pub(crate) fn kind(&self) -> &'static str {
        match self.value {
            Value::String(_) => "a string",
            Value::Number => "a number",
            Value::Bool(_) => "a boolean",
            Value::Object(_) => "an object",
            Value::Array(_) => "an array",
            Value::Null => "null",
        }
    }

    /// The value of the first member named `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Self> {
        match &self.value {
            Value::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses `text` as one strict JSON value; `None` when it holds only white space.
pub(crate) fn parse(text: &str) -> Result<Option<Node<'_>>, Defect> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        i: 0,
        tok: Tok::End,
        at: 0,
        decoded: None,
        raw_control: None,
    };
    p.advance()?;
    if p.tok == Tok::End {
        return Ok(None);
    }
    let root = p.value(0, 0)?;
    if p.tok != Tok::End {
        return Err(defect(p.at, "text cannot contain more than one JSON value"));
    }
    // Raw control characters are reported only in text that is valid JSON otherwise.
    match p.raw_control {
        Some(at) => Err(defect(at, "control characters in strings must be escaped")),
        None => Ok(Some(root)),
    }
}

fn defect(at: usize, message: &str) -> Defect {
    let message = message.to_string();
    Defect { at, message }
}

const UNEXPECTED_TOKEN: &str = "unexpected token";
const BARE_DECIMAL_POINT: &str = "leading or trailing decimal points on numbers are not allowed";
const UNTERMINATED_STRING: &str = "unterminated string literal";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// One of `{`, `}`, `[`, `]`, `,` and `:`.
    Punct(u8),
    String,
    Number,
    Bool(bool),
    Null,
    /// A bare word: not a JSON value, but a loose property name to `jsonc-parser`.
    Word,
    End,
}

impl Tok {
    /// A string, number, `true`, `false` or `null`.
    fn is_scalar(self) -> bool {
        matches!(self, Tok::String | Tok::Number | Tok::Bool(_) | Tok::Null)
    }
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// Where scanning goes on: just past the current token.
    i: usize,
    /// The current token and the offset where it starts.
    tok: Tok,
    at: usize,
    /// The value of the current token, a string, when it holds escapes.
    decoded: Option<String>,
    /// The offset of the first raw control character inside a string.
    raw_control: Option<usize>,
}

impl<'t> Parser<'t> {
    /// Scans the next token (after white space) into `tok` and `at`.
    fn advance(&mut self) -> Result<(), Defect> {
        self.skip_white_space();
        let start = self.i;
        self.at = start;
        let Some(&b) = self.bytes.get(start) else {
            self.tok = Tok::End;
            return Ok(());
        };
        self.tok = match b {
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                self.i += 1;
                Tok::Punct(b)
            }
            b'\'' => return Err(defect(start, "single-quoted strings are not allowed")),
            b'"' => self.string()?,
            b'/' => return Err(self.comment(start)),
            b'-' | b'+' | b'0'..=b'9' => self.number()?,
            b'.' if self.digit_at(start + 1) => return Err(defect(start, BARE_DECIMAL_POINT)),
            b't' if self.word_is("true") => Tok::Bool(true),
            b'f' if self.word_is("false") => Tok::Bool(false),
            b'n' if self.word_is("null") => Tok::Null,
            _ => self.word()?,
        };
        Ok(())
    }

    /// The defect of a `/` between tokens.
    fn comment(&self, start: usize) -> Defect {
        let message = match self.bytes.get(start + 1) {
            Some(b'/') => "comments are not allowed",
            Some(b'*') if self.text[start + 2..].contains("*/") => "comments are not allowed",
            Some(b'*') => "unterminated comment block",
            _ => UNEXPECTED_TOKEN,
        };
        defect(start, message)
    }

    fn current_char(&self) -> Option<char> {
        self.text.get(self.i..).and_then(|s| s.chars().next())
    }

    fn digit_at(&self, i: usize) -> bool {
        self.bytes.get(i).is_some_and(u8::is_ascii_digit)
    }

    fn skip_digits(&mut self) {
        while self.digit_at(self.i) {
            self.i += 1;
        }
    }

    /// Skips Unicode white space (in ASCII: space, tab, line feed, vertical tab, form feed
    /// and carriage return).
    fn skip_white_space(&mut self) {
        while let Some(c) = self.current_char().filter(|c| c.is_whitespace()) {
            self.i += c.len_utf8();
        }
    }

    /// Moves past `word` when the text continues with it and then with neither a letter,
    /// a digit nor `$`.
    fn word_is(&mut self, word: &str) -> bool {
        let rest = self.text.get(self.i..).and_then(|r| r.strip_prefix(word));
        if rest.is_none_or(|r| r.starts_with(|c: char| c.is_alphanumeric() || c == '$')) {
            return false;
        }
        self.i += word.len();
        true
    }

    /// A bare word: letters, digits, `-`, `_` and `$` up to white space (in ASCII, not
    /// vertical tab) or `:`.
    fn word(&mut self) -> Result<Tok, Defect> {
        let start = self.i;
        while let Some(c) = self.current_char() {
            let space = if c.is_ascii() {
                c.is_ascii_whitespace()
            } else {
                c.is_whitespace()
            };
            if space || c == ':' {
                break;
            }
            if !(c.is_alphanumeric() || matches!(c, '-' | '_' | '$')) {
                return Err(defect(start, UNEXPECTED_TOKEN));
            }
            self.i += c.len_utf8();
        }
        if self.i == start {
            return Err(defect(start, UNEXPECTED_TOKEN));
        }
        Ok(Tok::Word)
    }

    /// A number, by JSON's grammar; the JSON5 forms get their own message.
    fn number(&mut self) -> Result<Tok, Defect> {
        let start = self.i;
        match self.bytes[self.i] {
            b'+' => return Err(defect(start, "unary plus on numbers is not allowed")),
            b'-' => self.i += 1,
            _ => {}
        }
        match self.bytes.get(self.i) {
            Some(b'0') => {
                self.i += 1;
                if matches!(self.bytes.get(self.i), Some(b'x' | b'X')) {
                    return Err(defect(start, "hexadecimal numbers are not allowed"));
                }
            }
            Some(b'1'..=b'9') => {
                self.skip_digits();
            }
            Some(b'.') if self.digit_at(self.i + 1) => {
                return Err(defect(start, BARE_DECIMAL_POINT));
            }
            Some(b'I' | b'N') if self.word_is("Infinity") || self.word_is("NaN") => {
                return Err(defect(start, "infinity and NaN are not allowed"));
            }
            _ => return Err(defect(self.i, "expected digit following negative sign")),
        }
        if self.bytes.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !self.digit_at(self.i) {
                return Err(defect(start, BARE_DECIMAL_POINT));
            }
            self.skip_digits();
        }
        if matches!(self.bytes.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            let message = match self.bytes.get(self.i) {
                Some(b'-' | b'+') => {
                    self.i += 1;
                    "expected digit"
                }
                _ => "expected plus, minus, or digit in number literal",
            };
            if !self.digit_at(self.i) {
                return Err(defect(self.i, message));
            }
            self.skip_digits();
        }
        Ok(Tok::Number)
    }

    /// A double-quoted string with JSON's escapes, decoded into [`Parser::decoded`] when it
    /// holds any. Raw control characters are let through and remembered: they are reported
    /// only if the rest of the text is valid.
    fn string(&mut self) -> Result<Tok, Defect> {
        let start = self.i;
        let mut i = start + 1;
        let mut copied = i;
        let mut decoded: Option<String> = None;
        loop {
            let Some(&b) = self.bytes.get(i) else {
                return Err(defect(start, UNTERMINATED_STRING));
            };
            match b {
                b'"' => break,
                b'\\' => {
                    let (len, c) = match self.bytes.get(i + 1) {
                        None => return Err(defect(start, UNTERMINATED_STRING)),
                        Some(&e @ (b'"' | b'\\' | b'/')) => (2, char::from(e)),
                        Some(b'b') => (2, '\u{8}'),
                        Some(b'f') => (2, '\u{c}'),
                        Some(b'n') => (2, '\n'),
                        Some(b'r') => (2, '\r'),
                        Some(b't') => (2, '\t'),
                        Some(b'\'') => {
                            return Err(defect(i, "invalid escape in double quote string"));
                        }
                        Some(b'u') => self.unicode_escape(i)?,
                        Some(_) => return Err(defect(i, "invalid escape")),
                    };
                    let out = decoded.get_or_insert_with(String::new);
                    out.push_str(&self.text[copied..i]);
                    out.push(c);
                    i += len;
                    copied = i;
                }
                _ => {
                    if b < 0x20 && self.raw_control.is_none() {
                        self.raw_control = Some(i);
                    }
                    i += 1;
                }
            }
        }
        if let Some(out) = &mut decoded {
            out.push_str(&self.text[copied..i]);
        }
        self.decoded = decoded;
        self.i = i + 1;
        Ok(Tok::String)
    }

    /// The `\uXXXX` escape at `at` (and the low surrogate after it, for a high surrogate):
    /// its length in bytes and the character it stands for.
    fn unicode_escape(&self, at: usize) -> Result<(usize, char), Defect> {
        let hex = |from: usize| {
            let digits = self.text.get(from..from + 4);
            let digits = digits.filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
            let code = digits.and_then(|d| u32::from_str_radix(d, 16).ok());
            code.zip(digits)
                .ok_or_else(|| defect(at, "expected four hex digits"))
        };
        let (first, first_digits) = hex(at + 2)?;
        let bad_unicode = |why: &str| Defect {
            at,
            message: format!(
                "invalid unicode escape sequence. '{first_digits} ({why})' is not a valid UTF8 character"
            ),
        };
        if (0xDC00..=0xDFFF).contains(&first) {
            return Err(bad_unicode("unpaired low surrogate"));
        }
        let char_of = |code| char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        if !(0xD800..=0xDBFF).contains(&first) {
            return Ok((6, char_of(first)));
        }
        if self.bytes.get(at + 6..at + 8) != Some(b"\\u") {
            return Err(bad_unicode("unpaired high surrogate"));
        }
        let (second, _) = hex(at + 8)?;
        if !(0xDC00..=0xDFFF).contains(&second) {
            return Err(bad_unicode("high surrogate not followed by low surrogate"));
        }
        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
        Ok((12, char_of(code)))
    }

    fn string_value(&mut self) -> Cow<'t, str> {
        match self.decoded.take() {
            Some(decoded) => Cow::Owned(decoded),
            None => Cow::Borrowed(&self.text[self.at + 1..self.i - 1]),
        }
    }

    /// The value that starts at the current token, with `depth` arrays, objects and
    /// properties open around it (the innermost at `open_at`); the token after it is current
    /// on return.
    fn value(&mut self, depth: usize, open_at: usize) -> Result<Node<'t>, Defect> {
        if depth > MAX_NESTING {
            return Err(defect(open_at, "maximum nesting depth exceeded"));
        }
        let value = match self.tok {
            Tok::Punct(b'{') => return self.object(depth + 1),
            Tok::Punct(b'[') => return self.array(depth + 1),
            Tok::String => Value::String(self.string_value()),
            Tok::Number => Value::Number,
            Tok::Bool(b) => Value::Bool(b),
            Tok::Null => Value::Null,
            tok => {
                let message = match tok {
                    Tok::Punct(b']') => "unexpected close bracket",
                    Tok::Punct(b'}') => "unexpected close brace",
                    Tok::Punct(b',') => "unexpected comma",
                    Tok::Punct(b':') => "unexpected colon",
                    Tok::Word => "unexpected word",
                    _ => "expected value after colon in object property",
                };
                return Err(defect(self.at, message));
            }
        };
        self.finish(self.at, value)
    }

    /// The node that started at `at` and ends with the current token, which it moves past.
    fn finish(&mut self, at: usize, value: Value<'t>) -> Result<Node<'t>, Defect> {
        let node = Node {
            at,
            end: self.i,
            value,
        };
        self.advance()?;
        Ok(node)
    }

    /// The array whose `[` is the current token, the `depth`-th level open.
    fn array(&mut self, depth: usize) -> Result<Node<'t>, Defect> {
        let at = self.at;
        let mut items = Vec::new();
        self.advance()?;
        loop {
            match self.tok {
                Tok::Punct(b']') => return self.finish(at, Value::Array(items)),
                Tok::End => return Err(defect(at, "unterminated array")),
                _ => {}
            }
            let item = self.value(depth, at)?;
            self.after_element(item.end, b']')?;
            items.push(item);
        }
    }

    /// The object whose `{` is the current token, the `depth`-th level open.
    fn object(&mut self, depth: usize) -> Result<Node<'t>, Defect> {
        let start = self.at;
        let mut members = Vec::new();
        self.advance()?;
        loop {
            let at = self.at;
            match self.tok {
                Tok::Punct(b'}') => return self.finish(start, Value::Object(members)),
                Tok::String => {}
                Tok::End => return Err(defect(start, "unterminated object")),
                tok if tok.is_scalar() || tok == Tok::Word => {
                    return Err(defect(at, "expected string for object property"));
                }
                _ => return Err(defect(at, "unexpected token in object")),
            }
            let key = self.string_value();
            self.advance()?;
            if self.tok != Tok::Punct(b':') {
                let message = "expected colon after the string or word in object property";
                return Err(defect(self.at, message));
            }
            self.advance()?;
            let value = self.value(depth + 1, at)?;
            self.after_element(value.end, b'}')?;
            members.push(Member { at, key, value });
        }
    }

    /// Moves past the comma after an element that ended at `end`; a comma before `close` or
    /// a value that follows without one is a defect.
    fn after_element(&mut self, end: usize, close: u8) -> Result<(), Defect> {
        let in_object = close == b'}';
        let missing_comma = match self.tok {
            Tok::Word => in_object,
            Tok::Punct(b'{' | b'[') => !in_object,
            tok => tok.is_scalar(),
        };
        if self.tok == Tok::Punct(b',') {
            let comma = self.at;
            self.advance()?;
            if self.tok == Tok::Punct(close) {
                return Err(defect(comma, "trailing commas are not allowed"));
            }
        } else if missing_comma {
            return Err(defect(end, "expected comma"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (usize, String) {
        let d = parse(text).unwrap_err();
        (d.at, d.message)
    }

    #[test]
    fn strict_json_passes() {
        for ok in [
            "",
            " \n",
            "{}",
            "[]",
            r#"{"a": [1, -0.5e+3, 2E-2, 0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"], "b": {}}"#,
            "\u{a0}{\u{2028}}\u{b}",
        ] {
            assert!(parse(ok).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn json5_extensions_are_refused() {
        let cases = [
            ("{'a': 1}", 1, "single-quoted strings are not allowed"),
            ("[0x1F]", 1, "hexadecimal numbers are not allowed"),
            ("[-0X1]", 1, "hexadecimal numbers are not allowed"),
            ("[+1]", 1, "unary plus on numbers is not allowed"),
            (
                "[.5]",
                1,
                "leading or trailing decimal points on numbers are not allowed",
            ),
            (
                "[-.5]",
                1,
                "leading or trailing decimal points on numbers are not allowed",
            ),
            (
                "[1.]",
                1,
                "leading or trailing decimal points on numbers are not allowed",
            ),
            ("[NaN]", 1, "unexpected token"),
            ("[NaN ]", 1, "unexpected word"),
            ("[-Infinity]", 1, "infinity and NaN are not allowed"),
            ("[-Inf]", 2, "expected digit following negative sign"),
            ("[1 2]", 2, "expected comma"),
            (r#"{"a": 1 "b": 2}"#, 7, "expected comma"),
            ("{a: 1}", 1, "expected string for object property"),
            ("{1: 1}", 1, "expected string for object property"),
            (r#"["\x41"]"#, 2, "invalid escape"),
            (r#"["\'"]"#, 2, "invalid escape in double quote string"),
            (r#"["\v"]"#, 2, "invalid escape"),
            (r#"["\u12"]"#, 2, "expected four hex digits"),
            (
                r#"["\uDC00"]"#,
                2,
                "invalid unicode escape sequence. 'DC00 (unpaired low surrogate)' is not a valid UTF8 character",
            ),
            (
                r#"["\uD800x"]"#,
                2,
                "invalid unicode escape sequence. 'D800 (unpaired high surrogate)' is not a valid UTF8 character",
            ),
            ("[01]", 2, "expected comma"),
            ("[1,]", 2, "trailing commas are not allowed"),
            ("[1] // c", 4, "comments are not allowed"),
            ("[1] /* c", 4, "unterminated comment block"),
            ("{\"a\": 1", 0, "unterminated object"),
            ("[1", 0, "unterminated array"),
            ("\"abc", 0, "unterminated string literal"),
            (
                "{\"a\" 1}",
                5,
                "expected colon after the string or word in object property",
            ),
            ("{\"a\": }", 6, "unexpected close brace"),
            (
                "{\"a\":",
                5,
                "expected value after colon in object property",
            ),
            ("[] []", 3, "text cannot contain more than one JSON value"),
            (
                "[1e]",
                3,
                "expected plus, minus, or digit in number literal",
            ),
            ("[1e+]", 4, "expected digit"),
            ("[truex]", 1, "unexpected token"),
        ];
        for (text, at, message) in cases {
            assert_eq!(err(text), (at, message.to_string()), "{text:?}");
        }
    }

    #[test]
    fn nesting_is_limited_before_the_stack_is_at_risk() {
        // The deepest texts, on half the stack of a test thread (2 MiB).
        let run = std::thread::Builder::new().stack_size(1 << 20).spawn(|| {
            let deep = "[".repeat(100_000);
            assert_eq!(
                err(&deep),
                (MAX_NESTING, "maximum nesting depth exceeded".into())
            );
            for n in [MAX_NESTING, MAX_NESTING + 1] {
                let ok = format!("{}{}", "[".repeat(n), "]".repeat(n));
                assert!(parse(&ok).is_ok());
            }
            let members = "{\"a\": [".repeat(100_000);
            assert_eq!(err(&members).1, "maximum nesting depth exceeded");
        });
        assert!(matches!(run.map(|t| t.join().is_ok()), Ok(true)));
    }

    #[test]
    fn surrogate_pairs_and_escapes_are_decoded() {
        let text = r#"{"a\uD83D\uDE00b": "\u00e9\n", "c": "d"}"#;
        let root = parse(text).unwrap().unwrap();
        let Value::Object(members) = &root.value else {
            panic!("{root:?}")
        };
        assert_eq!(members[0].key, "a\u{1F600}b");
        assert_eq!(members[0].at, 1);
        assert_eq!(members[0].value.as_str(), Some("\u{e9}\n"));
        assert_eq!(root.get("c").and_then(Node::as_str), Some("d"));
    }

    #[test]
    fn nodes_know_their_spans() {
        let text = " {\"a\": [1, true, null, {}]} ";
        let root = parse(text).unwrap().unwrap();
        assert_eq!((root.at, root.end), (1, text.len() - 1));
        let list = root.get("a").unwrap();
        assert_eq!((list.at, list.end), (7, 26));
        let Value::Array(items) = &list.value else {
            panic!("{list:?}")
        };
        let spans: Vec<_> = items.iter().map(|n| (n.at, n.end, n.kind())).collect();
        assert_eq!(
            spans,
            [
                (8, 9, "a number"),
                (11, 15, "a boolean"),
                (17, 21, "null"),
                (23, 25, "an object")
            ]
        );
        assert_eq!(parse(" \n"), Ok(None));
    }

    #[test]
    fn raw_control_characters_are_reported_after_the_rest() {
        assert_eq!(
            err("[\"a\u{1}\", \"b\u{2}\"]"),
            (3, "control characters in strings must be escaped".into())
        );
        assert_eq!(err("[\"a\u{1}\" 1]"), (5, "expected comma".into()));
    }
}
