//! Citation dates as XSOAR's MITRE ATT&CK feed (FeedMitreAttackv2) reads them.
//!
//! The feed's `extract_date_time_from_description` gives a publication its `timestamp`:
//! nothing when the reference description is empty or mentions `Citation` or `n.d`;
//! otherwise it takes the parenthesised groups (the regular expression `\(([^()]+)\)`) in
//! order, skips a group that Python's `int()` accepts, and returns the first group that
//! `dateparser.parse(group, settings={'RELATIVE_BASE': datetime(1970, 1, 1)})` reads, as
//! `%Y-%m-%dT%H:%M:%S`. Missing parts come from 1970-01-01.
//!
//! dateparser understands some two hundred languages, relative dates and times; this module
//! reads the forms citations use, exactly as dateparser 1.2.0 and 1.5.0 do:
//!
//! * one English month name or abbreviation (`May`, `Sept.`, `FEB`) with at most two numbers,
//!   separated by spaces, commas, dots, dashes, slashes or nothing (`2017, May 17`,
//!   `2017,March17`, `May 17, 2017`, `17 May 2017`, `2017, May`, `May`, `, May 23`), ordinal
//!   suffixes (`1st`) and the filler words dateparser skips (`the`, `of`, `at`, …);
//!   a four-digit number is the year; of two short numbers the first is the day when it can
//!   be one and the second a two-digit year (`12, October 26` is 2026-10-12, as in the
//!   feed), otherwise the first is a two-digit year (`70, May 17`); a lone short number is the
//!   day, or a two-digit year when it cannot be a day (`May 32` is 2032-05-01);
//!   two-digit years follow Python's `%y` (69–99 → 19xx, 00–68 → 20xx);
//!   without a year, February 29 is 1968-02-29 (dateparser's nearest leap year before 1970);
//! * a four-digit year alone with separators (`2017.`, `, 2017`) → January 1;
//! * ISO-like `YYYY-MM-DD`, `YYYY/MM/DD` and `YYYY.MM.DD`;
//! * a single word that is a month or weekday name in any of dateparser's languages, which is
//!   how the feed reads `(ab)` as April (Jola-Fonyi) and `(DGI)` as November (Luo)
//!   ([`citation_date_words`](super::citation_date_words)).
//!
//! Anything else (times of day, time zones, relative dates, other languages' phrases,
//! day-first or month-first numeric dates) is read as no date, where dateparser might find
//! one; the ATT&CK Enterprise bundle has no such citation.

use super::citation_date_words::WORDS;

/// A calendar date read from a citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CitationDate {
    /// 1 to 9999.
    pub(crate) year: u16,
    /// 1 to 12.
    pub(crate) month: u8,
    /// 1 to the month's length.
    pub(crate) day: u8,
}

impl CitationDate {
    /// The feed's `strftime('%Y-%m-%dT%H:%M:%S')`: Python on Linux writes years before 1000
    /// without padding (`1-05-05T00:00:00`).
    pub(crate) fn to_feed_string(self) -> String {
        format!("{}-{:02}-{:02}T00:00:00", self.year, self.month, self.day)
    }
}

/// The feed's `extract_date_time_from_description`: the publication timestamp of an external
/// reference whose description is `description`, or `""`.
pub(crate) fn timestamp_from_description(description: Option<&str>) -> String {
    let Some(text) = description.filter(|d| !d.is_empty()) else {
        return String::new();
    };
    if text.contains("Citation") || text.contains("n.d") {
        return String::new();
    }
    for group in parenthesised_groups(text) {
        if python_int(group) {
            continue;
        }
        if let Some(date) = parse_date_text(group) {
            return date.to_feed_string();
        }
    }
    String::new()
}

/// What Python's `re.findall(r"\(([^()]+)\)", text)` returns: the non-empty texts between a
/// `(` and the next `)` with no other parenthesis between them, left to right.
pub(crate) fn parenthesised_groups(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let open = rest.find('(')?;
            let after = &rest[open + 1..];
            let close = after.find(['(', ')'])?;
            if after.as_bytes()[close] == b'(' || close == 0 {
                // `((` or `()`: no match starts at this `(`; the search goes on after it.
                rest = after;
                continue;
            }
            let group = &after[..close];
            rest = &after[close + 1..];
            return Some(group);
        }
    })
}

/// Whether Python's `int(text)` accepts `text` (base 10): optional surrounding whitespace, an
/// optional sign, ASCII digits with single underscores between them. Python also takes other
/// scripts' decimal digits; such a group is refused here, and [`parse_date_text`] reads no
/// date from it either, so the timestamp is the same.
pub(crate) fn python_int(text: &str) -> bool {
    let is_space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
    let t = text.trim_matches(is_space);
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    let b = t.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && b.iter().all(|c| c.is_ascii_digit() || *c == b'_')
        && !t.contains("__")
}

/// The words dateparser drops in English text (its `skip` list, less the punctuation), which
/// also takes the ordinal suffixes off `1st`, `2nd`, `3rd`, `4th`.
const SKIP_WORDS: &[&str] = &[
    "about", "ad", "and", "at", "by", "from", "just", "m", "nd", "of", "on", "rd", "st", "th",
    "the",
];

/// English month names (dateparser's `en` data), also read by their first three letters
/// and `sept`.
const MONTHS: &str =
    "january february march april may june july august september october november december";

/// The month (1 to 12) named by `lower`, a lower-case word.
fn month_number(lower: &str) -> Option<u8> {
    let i = MONTHS.split(' ').position(|m| {
        m == lower || m.get(..3) == Some(lower) || (lower == "sept" && m == "september")
    })?;
    u8::try_from(i + 1).ok()
}

/// One token of a date text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// A run of ASCII digits.
    Number(&'a str),
    /// A run of ASCII letters (not yet lower-cased).
    Word(&'a str),
    /// One separator character.
    Sep(char),
}

/// Splits `text` into digit runs, letter runs and separators; `None` when it holds anything
/// else (the text is then not one of the forms read here).
fn tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let digit = c.is_ascii_digit();
        let len = if digit || c.is_ascii_alphabetic() {
            let same = |c: char| c.is_ascii_digit() == digit && c.is_ascii_alphanumeric();
            let n = rest.find(|c: char| !same(c)).unwrap_or(rest.len());
            out.push(if digit {
                Token::Number(&rest[..n])
            } else {
                Token::Word(&rest[..n])
            });
            n
        } else if c.is_whitespace()
            || matches!(
                c,
                ',' | '-' | '.' | '/' | ';' | '@' | '[' | ']' | '|' | '，' | '\''
            )
        {
            out.push(Token::Sep(c));
            c.len_utf8()
        } else {
            return None;
        };
        rest = &rest[len..];
    }
    Some(out)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A checked date, or `None` when the day does not exist.
fn date(year: u16, month: u8, day: u8) -> Option<CitationDate> {
    ((1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1)
        .then_some(())
        .filter(|()| day <= days_in_month(year, month))
        .map(|()| CitationDate { year, month, day })
}

/// A short number as a day: one or two digits, 1 to 31 (`00` is not a day).
fn as_day(n: &str) -> Option<u8> {
    if n.is_empty() || n.len() > 2 {
        return None;
    }
    let v: u8 = n.parse().ok()?;
    (1..=31).contains(&v).then_some(v)
}

/// A number as a year: four digits as written, two digits as Python's `%y` (69–99 →
/// 1969–1999, 00–68 → 2000–2068).
fn as_year(n: &str) -> Option<u16> {
    let v: u16 = n.parse().ok()?;
    match n.len() {
        4 => (v >= 1).then_some(v),
        2 => Some(if v >= 69 { 1900 + v } else { 2000 + v }),
        _ => None,
    }
}

/// Reads one parenthesised group as the feed's `dateparser.parse` call does, for the forms
/// listed in the module documentation; `None` for every other text.
pub(crate) fn parse_date_text(text: &str) -> Option<CitationDate> {
    let toks = tokens(text)?;
    let mut numbers: Vec<&str> = Vec::new();
    // (month, written abbreviated)
    let mut months: Vec<(u8, bool)> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    // how many numbers come before the (first) month word
    let mut numbers_before_month = None;
    for t in &toks {
        match *t {
            Token::Number(n) => numbers.push(n),
            Token::Sep(c) => seps.push(c),
            Token::Word(w) => {
                let lower = w.to_ascii_lowercase();
                if SKIP_WORDS.contains(&lower.as_str()) {
                    continue;
                }
                match month_number(&lower) {
                    Some(month) => {
                        months.push((
                            month,
                            lower.len() <= 4 && lower != "june" && lower != "july",
                        ));
                        numbers_before_month.get_or_insert(numbers.len());
                    }
                    None => others.push(lower),
                }
            }
        }
    }
    if !others.is_empty() {
        // Only a lone word in another language is read (see `citation_date_words`).
        let words = toks.iter().filter(|t| matches!(t, Token::Word(_))).count();
        if others.len() == 1 && words == 1 && numbers.is_empty() {
            return foreign_word(&others[0]);
        }
        return None;
    }
    match months.as_slice() {
        [] => without_month(&toks, &numbers, &seps),
        [(month, abbreviated)] => with_month(
            *month,
            &numbers,
            *abbreviated && numbers_before_month == Some(1),
        ),
        _ => None,
    }
}

/// A month with its numbers; `swap` when there are two, the month stands between them and is
/// abbreviated, the one form in which dateparser tries the first number as the year when it
/// cannot be the day.
fn with_month(month: u8, numbers: &[&str], swap: bool) -> Option<CitationDate> {
    match *numbers {
        [] => date(1970, month, 1),
        [n] => match n.len() {
            4 => date(as_year(n)?, month, 1),
            1 | 2 => match as_day(n) {
                // No year: the base year 1970, but dateparser puts February 29 in 1968.
                Some(29) if month == 2 => date(1968, 2, 29),
                Some(day) => date(1970, month, day),
                None if n.len() == 2 => date(as_year(n)?, month, 1),
                None => None,
            },
            _ => None,
        },
        [a, b] => {
            if a.len() == 4 && b.len() == 4 {
                None
            } else if a.len() == 4 {
                date(as_year(a)?, month, as_day(b)?)
            } else if b.len() == 4 {
                date(as_year(b)?, month, as_day(a)?)
            } else if let Some(day) = as_day(a) {
                (b.len() == 2).then_some(())?;
                // `29, Feb 17`: no February 29 in 2017, so dateparser reads 2029-02-17 (but
                // `29, February 17` and `Feb 29, 17` are no date).
                date(as_year(b)?, month, day).or_else(|| {
                    if swap && a.len() == 2 {
                        date(as_year(a)?, month, as_day(b)?)
                    } else {
                        None
                    }
                })
            } else {
                (a.len() == 2).then_some(())?;
                date(as_year(a)?, month, as_day(b)?)
            }
        }
        _ => None,
    }
}

/// Numbers only: a four-digit year with separators, or `YYYY-MM-DD` (also with `/` or `.`).
fn without_month(toks: &[Token<'_>], numbers: &[&str], seps: &[char]) -> Option<CitationDate> {
    match *numbers {
        [y] if y.len() == 4 => date(as_year(y)?, 1, 1),
        [y, m, d] if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) => {
            // exactly `Y s M s D` with one kind of separator, nothing around
            let shape = matches!(
                toks,
                [Token::Number(_), Token::Sep(s1), Token::Number(_), Token::Sep(s2), Token::Number(_)]
                    if s1 == s2 && matches!(s1, '-' | '/' | '.')
            );
            if !shape || seps.len() != 2 {
                return None;
            }
            date(as_year(y)?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

/// A lone word of another language, looked up in the generated table.
fn foreign_word(lower: &str) -> Option<CitationDate> {
    let i = WORDS.binary_search_by(|(w, ..)| (*w).cmp(lower)).ok()?;
    let (_, year, month, day) = WORDS[i];
    date(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(description: &str) -> String {
        timestamp_from_description(Some(description))
    }

    fn group(text: &str) -> Option<String> {
        parse_date_text(text).map(CitationDate::to_feed_string)
    }

    /// Every case of the feed's `test_extract_date_time_from_description`.
    #[test]
    fn feed_test_cases() {
        let cases = [
            ("Test (23)", ""),
            ("Test (2020, Mar)", "2020-03-01T00:00:00"),
            ("Test (Test) (2020, Mar)", "2020-03-01T00:00:00"),
            ("Test 2033)", ""),
            ("Test ()", ""),
            ("Test (Test)", ""),
            (
                "Gross, J. (2016, February 23). Operation Dust Storm. Retrieved December 22, 2021.",
                "2016-02-23T00:00:00",
            ),
            (
                "Cisco. (n.d.). Cisco IOS Software Integrity Assurance - Command History. Retrieved October 21, 2020.",
                "",
            ),
            ("Citation: Security Affairs Elderwood Sept 2012)", ""),
            (
                "Insikt Group (Recorded Future). (2017, May 17).",
                "2017-05-17T00:00:00",
            ),
            (
                "Insikt Group (Recorded Future). (2017, May17).",
                "2017-05-17T00:00:00",
            ),
            (
                "Insikt Group (Recorded Future). (2017,May17).",
                "2017-05-17T00:00:00",
            ),
            (
                "Insikt Group (Recorded Future). (2017,March17).",
                "2017-03-17T00:00:00",
            ),
            (
                "Insikt Group (Recorded Future). (2017, March 17).",
                "2017-03-17T00:00:00",
            ),
        ];
        for (description, expected) in cases {
            assert_eq!(ts(description), expected, "{description}");
        }
        assert_eq!(timestamp_from_description(None), "");
        assert_eq!(timestamp_from_description(Some("")), "");
    }

    /// The publications of the feed's test data (`mitre_test_data.py`).
    #[test]
    fn feed_test_data_publications() {
        let cases = [
            (
                "Wikipedia. (2016, June 12). Server Message Block. Retrieved June 12, 2016.",
                "2016-06-12T00:00:00",
            ),
            (
                "Microsoft. (2003, March 28). What Is RPC?. Retrieved June 12, 2016.",
                "2003-03-28T00:00:00",
            ),
            ("(Citation: Security Affairs Elderwood Sept 2012)", ""),
            (
                "Zhou, R. (2012, May 15). Backdoor.Wiarp. Retrieved February 22, 2018.",
                "2012-05-15T00:00:00",
            ),
            (
                "Something. (2021, January).  Retrieved February 14, 2022.",
                "2021-01-01T00:00:00",
            ),
            (
                "Info. (2019, February 26). Retrieved March 4, 2022.",
                "2019-02-26T00:00:00",
            ),
            ("Test. (2012). Retrieved October 20, 2020.", ""),
        ];
        for (description, expected) in cases {
            assert_eq!(ts(description), expected, "{description}");
        }
    }

    /// The ATT&CK Enterprise (v8) citations where dateparser's reading is not the obvious one.
    #[test]
    fn attck_quirks() {
        assert_eq!(
            ts(
                "Duarte, H., Morrison, B. (2012). (Mis)trusting and (ab)using ssh. Retrieved January 8, 2018."
            ),
            "1970-04-01T00:00:00"
        );
        assert_eq!(
            ts(
                "ThreatConnect Inc. and Defense Group Inc. (DGI). (2015, September 23). Project CameraShy: Closing the Aperture on China's Unit 78020. Retrieved December 17, 2015."
            ),
            "1970-11-01T00:00:00"
        );
        assert_eq!(
            ts(
                "Plett, C., Poggemeyer, L. (12, October 26). Securing Privileged Access Reference Material. Retrieved April 25, 2017."
            ),
            "2026-10-12T00:00:00"
        );
        assert_eq!(
            ts(
                "Microsoft. (, May 23). Microsoft Security Advisory 2269637. Retrieved March 13, 2020."
            ),
            "1970-05-23T00:00:00"
        );
        assert_eq!(
            ts(
                "Hinchliffe, A. (2019, March 15). DNS Tunneling: how DNS can be (ab)used by malicious actors. Retrieved October 3, 2020."
            ),
            "2019-03-15T00:00:00"
        );
    }

    #[test]
    fn month_forms() {
        let cases = [
            ("2017, May 31", Some("2017-05-31T00:00:00")),
            ("2017, June 31", None),
            ("2017, Feb 29", None),
            ("2016, Feb 29", Some("2016-02-29T00:00:00")),
            ("Feb 29", Some("1968-02-29T00:00:00")),
            ("2017, May 1st", Some("2017-05-01T00:00:00")),
            ("2017, Sept. 1", Some("2017-09-01T00:00:00")),
            ("2017, MAY 1", Some("2017-05-01T00:00:00")),
            ("12, May 17", Some("2017-05-12T00:00:00")),
            ("70, May 17", Some("1970-05-17T00:00:00")),
            ("68, May 17", Some("2068-05-17T00:00:00")),
            ("00, May 17", Some("2000-05-17T00:00:00")),
            ("0, May 17", None),
            ("5, May 5", None),
            ("5, May 31", Some("2031-05-05T00:00:00")),
            ("29, Feb 17", Some("2029-02-17T00:00:00")),
            ("29 Feb 12", Some("2012-02-29T00:00:00")),
            ("30, Feb 30", None),
            ("29, February 17", None),
            ("31 Jun 26", Some("2031-06-26T00:00:00")),
            ("31 June 26", None),
            ("Feb 29, 17", None),
            ("Apr 31, 26", None),
            ("May 32", Some("2032-05-01T00:00:00")),
            ("May 00", Some("2000-05-01T00:00:00")),
            ("May 100", None),
            ("May 0", None),
            ("May 2017, 5", Some("2017-05-05T00:00:00")),
            ("2017, May 17 2018", None),
            ("0001, May 5", Some("1-05-05T00:00:00")),
            ("May the 5th", Some("1970-05-05T00:00:00")),
            ("2017-May-05", Some("2017-05-05T00:00:00")),
            ("May", Some("1970-05-01T00:00:00")),
            ("May June", None),
            ("2017, May 5 10:00", None),
        ];
        for (text, expected) in cases {
            assert_eq!(group(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn numeric_and_word_forms() {
        assert_eq!(group("2017.").as_deref(), Some("2017-01-01T00:00:00"));
        assert_eq!(group(", 2017").as_deref(), Some("2017-01-01T00:00:00"));
        assert_eq!(group("2018-05-02").as_deref(), Some("2018-05-02T00:00:00"));
        assert_eq!(group("2018/5/2").as_deref(), Some("2018-05-02T00:00:00"));
        assert_eq!(group("2018-05/02"), None);
        assert_eq!(group("2018-02-30"), None);
        assert_eq!(group("5/2/2018"), None);
        assert_eq!(group(", "), None);
        assert_eq!(group("ab").as_deref(), Some("1970-04-01T00:00:00"));
        assert_eq!(group("DGI").as_deref(), Some("1970-11-01T00:00:00"));
        assert_eq!(group("Mon").as_deref(), Some("1969-12-29T00:00:00"));
        assert_eq!(group("Mis"), None);
        assert_eq!(group("Recorded Future"), None);
        assert_eq!(group("Test"), None);
        assert_eq!(group("é"), None);
    }

    #[test]
    fn groups_and_ints_like_python() {
        let g: Vec<&str> = parenthesised_groups("a (b) ((c) () (d (e) f) (g").collect();
        assert_eq!(g, ["b", "c", "e"]);
        for (text, int) in [
            ("2012", true),
            (" 2012 ", true),
            ("+5", true),
            ("-5", true),
            ("1_000", true),
            ("1__0", false),
            ("_1", false),
            ("1_", false),
            ("", false),
            ("+", false),
            ("2012.", false),
            ("12, 5", false),
            ("\u{1f}7\u{2028}", true),
        ] {
            assert_eq!(python_int(text), int, "{text:?}");
        }
    }

    #[test]
    fn word_table_is_sorted_and_valid() {
        assert!(WORDS.windows(2).all(|w| w[0].0 < w[1].0));
        for (w, y, m, d) in WORDS {
            assert!(w.bytes().all(|c| c.is_ascii_lowercase()), "{w}");
            assert!(date(*y, *m, *d).is_some(), "{w}");
        }
    }
    fn data(text: &str) -> serde_json::Value {
        serde_json::from_str(text).unwrap()
    }

    /// The transcribed feed test (`tests/data/feed-mitre-attack-v2`).
    #[test]
    fn feed_test_data_file() {
        let doc = data(include_str!(
            "../../tests/data/feed-mitre-attack-v2/extract-date-time-from-description.json"
        ));
        let cases = doc["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 14);
        for case in cases {
            let description = case["description"].as_str().unwrap();
            assert_eq!(ts(description), case["expected"], "{description}");
        }
    }

    /// Every parenthesised group the feed tries in ATT&CK Enterprise v8, as dateparser reads it.
    #[test]
    fn every_attck_v8_group() {
        let doc = data(include_str!(
            "../../tests/data/feed-mitre-attack-v2/citation-dates-attck-v8.json"
        ));
        let groups = doc["groups"].as_array().unwrap();
        assert!(groups.len() > 1000);
        for g in groups {
            let text = g["group"].as_str().unwrap();
            assert_eq!(python_int(text), g["python_int"] == true, "{text:?}");
            if g["python_int"] == true {
                continue;
            }
            let expected = g["dateparser"].as_str();
            assert_eq!(group(text).as_deref(), expected, "{text:?}");
        }
        for d in doc["descriptions"].as_array().unwrap() {
            let description = d["description"].as_str().unwrap();
            assert_eq!(ts(description), d["timestamp"], "{description}");
        }
    }

    /// Compares with a corpus made with dateparser: a JSON array of
    /// `{"description", "timestamp"}` named by `CITATION_DATE_CORPUS`; prints each difference.
    #[test]
    #[ignore = "needs a corpus file made with dateparser"]
    fn against_dateparser_corpus() {
        let Ok(path) = std::env::var("CITATION_DATE_CORPUS") else {
            return;
        };
        let text = std::fs::read_to_string(path).unwrap();
        let corpus: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let mut differ = 0;
        for case in &corpus {
            let description = case["description"].as_str();
            let expected = case["timestamp"].as_str().unwrap();
            let got = timestamp_from_description(description);
            if got != expected {
                differ += 1;
                println!("DIFF {description:?}: dateparser {expected:?}, here {got:?}");
            }
        }
        println!("{} cases, {differ} differ", corpus.len());
    }
}
