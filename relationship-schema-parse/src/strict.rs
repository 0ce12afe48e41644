//! The strict JSON syntax check that runs before the text is handed to [`jsonc_parser`].
//!
//! `jsonc_parser` 0.26 (the newest release that builds with the declared `rust-version`)
//! has no option to refuse the JSON5 extensions it reads: single-quoted strings and
//! missing commas go through silently, and other extensions get misleading messages. This
//! module reads the text
//! as strict JSON first, so a schema file stays strict JSON: no comments, no trailing or
//! missing commas, no single-quoted strings, no unquoted property names, no hexadecimal,
//! `+1`, `.5`, `1.` or non-finite numbers, no escapes beyond JSON's. Between tokens, any
//! Unicode white space is skipped, as `jsonc_parser` always did.
//!
//! The first defect is reported with the same message and at the same byte offset as the
//! strict mode of later `jsonc_parser` releases (the wording of the `.expected` files in
//! `tests/fixtures/bad-schemas`): the scanner and the parser below take the same decisions
//! in the same order. The parser keeps its own stack rather than recursing, and refuses more than
//! [`MAX_NESTING`] levels, so a deeply nested file is an error rather than a stack
//! overflow in the recursive parser that builds the tree afterwards.
//!
//! Escaped surrogate pairs (`"\uD83D\uDE00"`) are valid JSON but `jsonc_parser` 0.26
//! refuses them; [`check`] returns them so that [`Checked::for_ast`] can hide them from it
//! and [`Checked::string`] can give the decoded value of such a string.

use std::borrow::Cow;
use std::collections::HashMap;

/// Nesting levels of open arrays, objects and object properties (an object nested in an
/// object counts twice), as in `jsonc_parser`'s strict mode.
pub(crate) const MAX_NESTING: usize = 512;

/// The first syntax defect: its byte offset and its message (starting in lower case).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Defect {
    pub(crate) at: usize,
    pub(crate) message: String,
}

/// The result of a successful check.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    /// Byte offsets of the `\uXXXX\uXXXX` escapes (12 bytes each) that encode a surrogate
    /// pair.
    pairs: Vec<usize>,
    /// The decoded value of each string literal that holds such an escape, by the byte
    /// offset of its opening quote.
    strings: HashMap<usize, String>,
}

impl Checked {
    /// The text for `jsonc_parser`: each escaped surrogate pair replaced with
    /// `\uFFFD\uFFFD`, which has the same length, so every byte offset is unchanged.
    pub(crate) fn for_ast<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.pairs.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut done = 0;
        for &at in &self.pairs {
            out.push_str(&text[done..at]);
            out.push_str("\\uFFFD\\uFFFD");
            done = at + 12;
        }
        out.push_str(&text[done..]);
        Cow::Owned(out)
    }

    /// The value of the string literal whose opening quote is at `at`, when it differs
    /// from what `jsonc_parser` read from [`Checked::for_ast`]'s text.
    pub(crate) fn string(&self, at: usize) -> Option<&str> {
        self.strings.get(&at).map(String::as_str)
    }
}

/// Checks that `text` is one strict JSON value (or only white space), and returns the
/// first defect otherwise.
pub(crate) fn check(text: &str) -> Result<Checked, Defect> {
    let mut p = Parser {
        s: Scanner {
            text,
            bytes: text.as_bytes(),
            i: 0,
            checked: Checked::default(),
        },
        last_token_end: 0,
    };
    p.run()?;
    Ok(p.s.checked)
}

// ---------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    BareDecimalPointNumbersNotAllowed,
    CommentsNotAllowed,
    ExpectedColonAfterObjectKey,
    ExpectedObjectValue,
    ExpectedDigit,
    ExpectedDigitFollowingNegativeSign,
    ExpectedPlusMinusOrDigitInNumberLiteral,
    ExpectedStringObjectProperty,
    HexadecimalNumbersNotAllowed,
    ExpectedComma,
    MultipleRootJsonValues,
    NonFiniteNumbersNotAllowed,
    SingleQuotedStringsNotAllowed,
    TrailingCommasNotAllowed,
    UnaryPlusNumbersNotAllowed,
    UnexpectedCloseBrace,
    UnexpectedCloseBracket,
    UnexpectedColon,
    UnexpectedComma,
    UnexpectedToken,
    UnexpectedTokenInObject,
    UnexpectedWord,
    UnterminatedArray,
    UnterminatedCommentBlock,
    UnterminatedObject,
    NestingDepthExceeded,
    InvalidEscapeInDoubleQuoteString,
    ExpectedFourHexDigits,
    InvalidEscape,
    UnterminatedStringLiteral,
}

impl Kind {
    fn message(self) -> &'static str {
        use Kind::*;
        match self {
            BareDecimalPointNumbersNotAllowed => {
                "leading or trailing decimal points on numbers are not allowed"
            }
            CommentsNotAllowed => "comments are not allowed",
            ExpectedColonAfterObjectKey => {
                "expected colon after the string or word in object property"
            }
            ExpectedObjectValue => "expected value after colon in object property",
            ExpectedDigit => "expected digit",
            ExpectedDigitFollowingNegativeSign => "expected digit following negative sign",
            ExpectedPlusMinusOrDigitInNumberLiteral => {
                "expected plus, minus, or digit in number literal"
            }
            ExpectedStringObjectProperty => "expected string for object property",
            HexadecimalNumbersNotAllowed => "hexadecimal numbers are not allowed",
            ExpectedComma => "expected comma",
            MultipleRootJsonValues => "text cannot contain more than one JSON value",
            NonFiniteNumbersNotAllowed => "infinity and NaN are not allowed",
            SingleQuotedStringsNotAllowed => "single-quoted strings are not allowed",
            TrailingCommasNotAllowed => "trailing commas are not allowed",
            UnaryPlusNumbersNotAllowed => "unary plus on numbers is not allowed",
            UnexpectedCloseBrace => "unexpected close brace",
            UnexpectedCloseBracket => "unexpected close bracket",
            UnexpectedColon => "unexpected colon",
            UnexpectedComma => "unexpected comma",
            UnexpectedToken => "unexpected token",
            UnexpectedTokenInObject => "unexpected token in object",
            UnexpectedWord => "unexpected word",
            UnterminatedArray => "unterminated array",
            UnterminatedCommentBlock => "unterminated comment block",
            UnterminatedObject => "unterminated object",
            NestingDepthExceeded => "maximum nesting depth exceeded",
            InvalidEscapeInDoubleQuoteString => "invalid escape in double quote string",
            ExpectedFourHexDigits => "expected four hex digits",
            InvalidEscape => "invalid escape",
            UnterminatedStringLiteral => "unterminated string literal",
        }
    }
}

fn defect(at: usize, kind: Kind) -> Defect {
    Defect {
        at,
        message: kind.message().to_string(),
    }
}

/// `\uXXXX` escapes that are not a character.
fn bad_unicode(at: usize, what: String) -> Defect {
    Defect {
        at,
        message: format!("invalid unicode escape sequence. '{what}' is not a valid UTF8 character"),
    }
}

// ---------------------------------------------------------------------------------------
// Scanner
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    /// A string, number, `true`, `false` or `null`.
    Scalar {
        string: bool,
    },
    /// A bare word: not a JSON value, but a loose property name to later releases.
    Word,
    End,
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    i: usize,
    checked: Checked,
}

impl Scanner<'_> {
    /// The next token and the offset where it starts (after white space).
    fn scan(&mut self) -> Result<(Tok, usize), Defect> {
        self.skip_white_space();
        let start = self.i;
        let Some(&b) = self.bytes.get(start) else {
            return Ok((Tok::End, start));
        };
        let punct = |s: &mut Self, t: Tok| {
            s.i += 1;
            Ok((t, start))
        };
        match b {
            b'{' => punct(self, Tok::OpenBrace),
            b'}' => punct(self, Tok::CloseBrace),
            b'[' => punct(self, Tok::OpenBracket),
            b']' => punct(self, Tok::CloseBracket),
            b',' => punct(self, Tok::Comma),
            b':' => punct(self, Tok::Colon),
            b'\'' => Err(defect(start, Kind::SingleQuotedStringsNotAllowed)),
            b'"' => {
                self.string()?;
                Ok((Tok::Scalar { string: true }, start))
            }
            b'/' => match self.bytes.get(start + 1) {
                Some(b'/') => Err(defect(start, Kind::CommentsNotAllowed)),
                Some(b'*') => {
                    let closed = self.bytes[start + 2..].windows(2).any(|w| w == b"*/");
                    Err(defect(
                        start,
                        if closed {
                            Kind::CommentsNotAllowed
                        } else {
                            Kind::UnterminatedCommentBlock
                        },
                    ))
                }
                _ => Err(defect(start, Kind::UnexpectedToken)),
            },
            b'-' | b'+' | b'0'..=b'9' => {
                self.number()?;
                Ok((Tok::Scalar { string: false }, start))
            }
            b'.' if self.digit_at(start + 1) => {
                Err(defect(start, Kind::BareDecimalPointNumbersNotAllowed))
            }
            b't' if self.word_is("true") => Ok((Tok::Scalar { string: false }, start)),
            b'f' if self.word_is("false") => Ok((Tok::Scalar { string: false }, start)),
            b'n' if self.word_is("null") => Ok((Tok::Scalar { string: false }, start)),
            _ => {
                self.word()?;
                Ok((Tok::Word, start))
            }
        }
    }

    fn current_char(&self) -> Option<char> {
        self.text.get(self.i..).and_then(|s| s.chars().next())
    }

    fn digit_at(&self, i: usize) -> bool {
        self.bytes.get(i).is_some_and(u8::is_ascii_digit)
    }

    /// The white space `jsonc_parser` skips between tokens: ASCII space, tab, line feed,
    /// carriage return, vertical tab and form feed, and any other Unicode white space.
    fn skip_white_space(&mut self) {
        while let Some(c) = self.current_char() {
            let skip = match c {
                ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' => true,
                c if c.is_ascii() => false,
                c => c.is_whitespace(),
            };
            if !skip {
                break;
            }
            self.i += c.len_utf8();
        }
    }

    /// Moves past `word` when the text continues with it and then with neither a letter,
    /// a digit nor `$`.
    fn word_is(&mut self, word: &str) -> bool {
        let end = self.i + word.len();
        if self.bytes.get(self.i..end) != Some(word.as_bytes()) {
            return false;
        }
        if let Some(next) = self.text[end..].chars().next() {
            if next.is_alphanumeric() || next == '$' {
                return false;
            }
        }
        self.i = end;
        true
    }

    fn word(&mut self) -> Result<(), Defect> {
        let start = self.i;
        while let Some(c) = self.current_char() {
            if c.is_ascii() {
                if c.is_ascii_whitespace() || c == ':' {
                    break;
                }
                if !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '$') {
                    return Err(defect(start, Kind::UnexpectedToken));
                }
            } else if c.is_whitespace() {
                break;
            } else if !c.is_alphanumeric() {
                return Err(defect(start, Kind::UnexpectedToken));
            }
            self.i += c.len_utf8();
        }
        if self.i == start {
            return Err(defect(start, Kind::UnexpectedToken));
        }
        Ok(())
    }

    /// A number, by JSON's grammar; the JSON5 forms get their own message.
    fn number(&mut self) -> Result<(), Defect> {
        let start = self.i;
        match self.bytes[self.i] {
            b'+' => return Err(defect(start, Kind::UnaryPlusNumbersNotAllowed)),
            b'-' => self.i += 1,
            _ => {}
        }
        match self.bytes.get(self.i) {
            Some(b'0') => {
                self.i += 1;
                if matches!(self.bytes.get(self.i), Some(b'x' | b'X')) {
                    return Err(defect(start, Kind::HexadecimalNumbersNotAllowed));
                }
            }
            Some(b'1'..=b'9') => {
                while self.digit_at(self.i) {
                    self.i += 1;
                }
            }
            Some(b'.') if self.digit_at(self.i + 1) => {
                return Err(defect(start, Kind::BareDecimalPointNumbersNotAllowed));
            }
            Some(b'I') | Some(b'N') => {
                let word = if self.bytes[self.i] == b'I' {
                    "Infinity"
                } else {
                    "NaN"
                };
                let at = self.i;
                if !self.word_is(word) {
                    return Err(defect(at, Kind::ExpectedDigitFollowingNegativeSign));
                }
                return Err(defect(start, Kind::NonFiniteNumbersNotAllowed));
            }
            _ => return Err(defect(self.i, Kind::ExpectedDigitFollowingNegativeSign)),
        }
        if self.bytes.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !self.digit_at(self.i) {
                return Err(defect(start, Kind::BareDecimalPointNumbersNotAllowed));
            }
            while self.digit_at(self.i) {
                self.i += 1;
            }
        }
        if matches!(self.bytes.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            match self.bytes.get(self.i) {
                Some(b'-' | b'+') => {
                    self.i += 1;
                    if !self.digit_at(self.i) {
                        return Err(defect(self.i, Kind::ExpectedDigit));
                    }
                }
                Some(b'0'..=b'9') => {}
                _ => {
                    return Err(defect(
                        self.i,
                        Kind::ExpectedPlusMinusOrDigitInNumberLiteral,
                    ));
                }
            }
            while self.digit_at(self.i) {
                self.i += 1;
            }
        }
        Ok(())
    }

    /// A double-quoted string with JSON's escapes. Raw control characters are let through
    /// here, as `jsonc_parser` does; `raw_control_in_string` reports them afterwards.
    fn string(&mut self) -> Result<(), Defect> {
        let start = self.i;
        let mut i = start + 1;
        let mut pairs = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(i) else {
                return Err(defect(start, Kind::UnterminatedStringLiteral));
            };
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.bytes.get(i + 1) else {
                        return Err(defect(start, Kind::UnterminatedStringLiteral));
                    };
                    match e {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'r' | b'n' | b't' => i += 2,
                        b'\'' => return Err(defect(i, Kind::InvalidEscapeInDoubleQuoteString)),
                        b'u' => {
                            let (len, pair) = self.unicode_escape(i)?;
                            if pair {
                                pairs.push(i);
                            }
                            i += len;
                        }
                        _ => return Err(defect(i, Kind::InvalidEscape)),
                    }
                }
                _ => i += 1,
            }
        }
        self.i = i + 1;
        if !pairs.is_empty() {
            let value = decode(&self.text[start + 1..i]);
            self.checked.strings.insert(start, value);
            self.checked.pairs.extend(pairs);
        }
        Ok(())
    }

    /// The `\uXXXX` escape at `at` (and the low surrogate after it, for a high surrogate):
    /// its length in bytes and whether it is a surrogate pair.
    fn unicode_escape(&self, at: usize) -> Result<(usize, bool), Defect> {
        let hex = |from: usize| -> Result<(u32, &str), Defect> {
            let digits = self
                .bytes
                .get(from..from + 4)
                .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
                .ok_or_else(|| defect(at, Kind::ExpectedFourHexDigits))?;
            let digits = std::str::from_utf8(digits).unwrap_or_default();
            Ok((u32::from_str_radix(digits, 16).unwrap_or_default(), digits))
        };
        let (first, first_digits) = hex(at + 2)?;
        if (0xDC00..=0xDFFF).contains(&first) {
            return Err(bad_unicode(
                at,
                format!("{first_digits} (unpaired low surrogate)"),
            ));
        }
        if !(0xD800..=0xDBFF).contains(&first) {
            return Ok((6, false));
        }
        if self.bytes.get(at + 6..at + 8) != Some(b"\\u") {
            return Err(bad_unicode(
                at,
                format!("{first_digits} (unpaired high surrogate)"),
            ));
        }
        let (second, _) = hex(at + 8)?;
        if !(0xDC00..=0xDFFF).contains(&second) {
            return Err(bad_unicode(
                at,
                format!("{first_digits} (high surrogate not followed by low surrogate)"),
            ));
        }
        Ok((12, true))
    }
}

/// The value of the body of a string literal that [`Scanner::string`] accepted.
fn decode(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    let hex4 = |chars: &mut std::str::Chars| {
        let digits: String = chars.by_ref().take(4).collect();
        u32::from_str_radix(&digits, 16).unwrap_or_default()
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next() {
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => {
                let mut code = hex4(&mut chars);
                if (0xD800..=0xDBFF).contains(&code) {
                    chars.by_ref().take(2).for_each(drop);
                    let low = hex4(&mut chars);
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                }
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            Some(other) => other,
            None => break,
        };
        out.push(decoded);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Object,
    Property,
    Array,
}

/// Where the parser is: about to read a value, at the head of an object's or array's
/// loop (the current token is the next member or the closing bracket), or after a value.
enum State {
    Value,
    ObjectHead,
    ArrayHead,
    ValueDone,
}

struct Parser<'t> {
    s: Scanner<'t>,
    last_token_end: usize,
}

impl Parser<'_> {
    fn scan(&mut self) -> Result<(Tok, usize), Defect> {
        let t = self.s.scan()?;
        self.last_token_end = self.s.i;
        Ok(t)
    }

    fn run(&mut self) -> Result<(), Defect> {
        let mut stack: Vec<(Open, usize)> = Vec::new();
        let (mut tok, mut at) = self.scan()?;
        let mut state = State::Value;
        loop {
            state = match state {
                State::Value => {
                    if stack.len() > MAX_NESTING {
                        let (_, start) = stack[stack.len() - 1];
                        return Err(defect(start, Kind::NestingDepthExceeded));
                    }
                    match tok {
                        Tok::End if stack.is_empty() => return Ok(()),
                        Tok::End => return Err(defect(at, Kind::ExpectedObjectValue)),
                        Tok::OpenBrace => {
                            stack.push((Open::Object, at));
                            (tok, at) = self.scan()?;
                            State::ObjectHead
                        }
                        Tok::OpenBracket => {
                            stack.push((Open::Array, at));
                            (tok, at) = self.scan()?;
                            State::ArrayHead
                        }
                        Tok::Scalar { .. } => State::ValueDone,
                        Tok::CloseBracket => return Err(defect(at, Kind::UnexpectedCloseBracket)),
                        Tok::CloseBrace => return Err(defect(at, Kind::UnexpectedCloseBrace)),
                        Tok::Comma => return Err(defect(at, Kind::UnexpectedComma)),
                        Tok::Colon => return Err(defect(at, Kind::UnexpectedColon)),
                        Tok::Word => return Err(defect(at, Kind::UnexpectedWord)),
                    }
                }
                State::ObjectHead => match tok {
                    Tok::CloseBrace => {
                        stack.pop();
                        State::ValueDone
                    }
                    Tok::Scalar { string: true } => {
                        stack.push((Open::Property, at));
                        (tok, at) = self.scan()?;
                        if tok != Tok::Colon {
                            return Err(defect(at, Kind::ExpectedColonAfterObjectKey));
                        }
                        (tok, at) = self.scan()?;
                        State::Value
                    }
                    Tok::End => {
                        let (_, start) = stack[stack.len() - 1];
                        return Err(defect(start, Kind::UnterminatedObject));
                    }
                    Tok::Scalar { string: false } | Tok::Word => {
                        return Err(defect(at, Kind::ExpectedStringObjectProperty));
                    }
                    _ => return Err(defect(at, Kind::UnexpectedTokenInObject)),
                },
                State::ArrayHead => match tok {
                    Tok::CloseBracket => {
                        stack.pop();
                        State::ValueDone
                    }
                    Tok::End => {
                        let (_, start) = stack[stack.len() - 1];
                        return Err(defect(start, Kind::UnterminatedArray));
                    }
                    _ => State::Value,
                },
                State::ValueDone => {
                    if stack
                        .last()
                        .is_some_and(|(open, _)| *open == Open::Property)
                    {
                        stack.pop();
                    }
                    let Some(&(open, _)) = stack.last() else {
                        (tok, at) = self.scan()?;
                        if tok != Tok::End {
                            return Err(defect(at, Kind::MultipleRootJsonValues));
                        }
                        return Ok(());
                    };
                    let after_value_end = self.last_token_end;
                    let (close, head) = if open == Open::Object {
                        (Tok::CloseBrace, State::ObjectHead)
                    } else {
                        (Tok::CloseBracket, State::ArrayHead)
                    };
                    (tok, at) = self.scan()?;
                    let missing_comma = match tok {
                        Tok::Scalar { .. } => true,
                        Tok::Word => open == Open::Object,
                        Tok::OpenBrace | Tok::OpenBracket => open == Open::Array,
                        _ => false,
                    };
                    if tok == Tok::Comma {
                        let comma = at;
                        (tok, at) = self.scan()?;
                        if tok == close {
                            return Err(defect(comma, Kind::TrailingCommasNotAllowed));
                        }
                    } else if missing_comma {
                        return Err(defect(after_value_end, Kind::ExpectedComma));
                    }
                    head
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (usize, String) {
        let d = check(text).unwrap_err();
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
            assert!(check(ok).is_ok(), "{ok:?}");
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
    fn nesting_is_limited_without_recursion() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            err(&deep),
            (MAX_NESTING, "maximum nesting depth exceeded".into())
        );
        let ok = format!("{}{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(check(&ok).is_ok());
    }

    #[test]
    fn surrogate_pairs_are_decoded_and_hidden() {
        let text = r#"{"a\uD83D\uDE00b": "\u00e9"}"#;
        let checked = check(text).unwrap();
        assert_eq!(checked.string(1), Some("a\u{1F600}b"));
        assert_eq!(checked.string(20), None);
        let hidden = checked.for_ast(text);
        assert_eq!(hidden, r#"{"a\uFFFD\uFFFDb": "\u00e9"}"#);
        assert_eq!(hidden.len(), text.len());
    }
}
