//! The simple STIX patterns an `indicator` SDO can be turned into one XSOAR indicator from.
//!
//! XSOAR's TAXII feeds take the indicator type and value from the pattern. Only a pattern
//! made of one comparison, `[<object-type>:<property path> = '<value>']`, names exactly one
//! indicator; anything else (`AND`, `OR`, `FOLLOWEDBY`, `MATCHES`, `!=`, qualifiers, several
//! observation expressions) describes a combination and is refused here, so that the
//! converter reports it instead of guessing.

/// One comparison `[object_type:path = 'value']`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SimplePattern {
    /// The STIX cyber-observable type, e.g. `ipv4-addr`.
    pub object_type: String,
    /// The property path as written after the colon, quotes removed, e.g. `hashes.SHA-256`.
    pub path: String,
    /// The string literal, unescaped.
    pub value: String,
}

/// Why a pattern is not a simple one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternError(pub &'static str);

fn err<T>(msg: &'static str) -> Result<T, PatternError> {
    Err(PatternError(msg))
}

/// Parses `[type:path = 'literal']`, with optional whitespace around every token.
pub(crate) fn parse_simple(pattern: &str) -> Result<SimplePattern, PatternError> {
    let mut p = Cursor { s: pattern, pos: 0 };
    p.ws();
    p.eat('[', "the pattern does not start with `[`")?;
    p.ws();
    let object_type = p.take_while(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if object_type.is_empty() {
        return err("no object type after `[`");
    }
    p.eat(':', "no `:` after the object type")?;
    let mut path = String::new();
    loop {
        if p.peek() == Some('\'') {
            // a quoted path component such as hashes.'SHA-256'
            path.push_str(&p.literal()?);
        } else {
            let part = p.take_while(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if part.is_empty() {
                return err("an empty property name in the object path");
            }
            path.push_str(part);
        }
        match p.peek() {
            Some('.') => {
                p.pos += 1;
                path.push('.');
            }
            Some('[') => return err("list indexes in the object path are not supported"),
            _ => break,
        }
    }
    p.ws();
    p.eat(
        '=',
        "the comparison is not `=` (only equality names a single indicator)",
    )?;
    p.ws();
    let value = match p.peek() {
        Some('\'') => p.literal()?,
        // an integer literal, as in `[autonomous-system:number = 15169]`
        Some(c) if c.is_ascii_digit() => p.take_while(|c| c.is_ascii_digit()).to_owned(),
        _ => return err("the right-hand side is not a string or integer literal"),
    };
    p.ws();
    p.eat(
        ']',
        "more than one comparison (`AND`/`OR`) or a missing `]`",
    )?;
    p.ws();
    if p.pos != p.s.len() {
        return err("more than one observation expression, or qualifiers, after `]`");
    }
    Ok(SimplePattern {
        object_type: object_type.to_owned(),
        path,
        value,
    })
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    /// Takes `c`, or fails with `msg`.
    fn eat(&mut self, c: char, msg: &'static str) -> Result<(), PatternError> {
        if self.peek() != Some(c) {
            return err(msg);
        }
        self.pos += c.len_utf8();
        Ok(())
    }

    fn ws(&mut self) {
        self.take_while(char::is_whitespace);
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek().filter(|&c| f(c)) {
            self.pos += c.len_utf8();
        }
        &self.s[start..self.pos]
    }

    /// A single-quoted literal with `\'` and `\\` escapes; the cursor is on the quote.
    fn literal(&mut self) -> Result<String, PatternError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return err("an unterminated string literal");
            };
            self.pos += c.len_utf8();
            match c {
                '\'' => return Ok(out),
                '\\' => match self.peek() {
                    Some(e @ ('\'' | '\\')) => {
                        self.pos += 1;
                        out.push(e);
                    }
                    _ => return err("an invalid escape in a string literal"),
                },
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(p: &str) -> (String, String, String) {
        let s = parse_simple(p).unwrap();
        (s.object_type, s.path, s.value)
    }

    #[test]
    fn simple_comparisons() {
        assert_eq!(
            ok("[ipv4-addr:value = '198.51.100.1']"),
            ("ipv4-addr".into(), "value".into(), "198.51.100.1".into())
        );
        assert_eq!(
            ok(" [file:hashes.'SHA-256'='aa'] "),
            ("file".into(), "hashes.SHA-256".into(), "aa".into())
        );
        assert_eq!(
            ok(r"[windows-registry-key:key = 'HKLM\\Software\\x']"),
            (
                "windows-registry-key".into(),
                "key".into(),
                r"HKLM\Software\x".into()
            )
        );
        assert_eq!(ok(r"[url:value = 'it\'s']").2, "it's");
        assert_eq!(ok("[autonomous-system:number = 15169]").2, "15169");
    }

    #[test]
    fn anything_else_is_refused() {
        for p in [
            "",
            "ipv4-addr:value = '1.2.3.4'",
            "[ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '1.2.3.5']",
            "[ipv4-addr:value = '1.2.3.4'] AND [url:value = 'x']",
            "[ipv4-addr:value != '1.2.3.4']",
            "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
            "[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS",
            "[email-message:to_refs[*].value = 'a@b']",
            "[url:value = 'unterminated]",
            "[url:value = x]",
            "[:value = 'x']",
            "[url: = 'x']",
            "[url:value = 'a\\x']",
            "[é:value = 'x']",
        ] {
            assert!(parse_simple(p).is_err(), "{p}");
        }
    }
}
