//! "Did you mean" suggestions: the nearest valid names to a misspelled one.

/// The longest input, in characters, that is compared with the candidates; a longer one is
/// near nothing (every name is at most [`MAX_NAME_CHARS`](crate::limits::MAX_NAME_CHARS)).
const MAX_CHARS: usize = 256;

/// Similarity below which a candidate is never suggested.
const THRESHOLD: f64 = 0.7;

/// How far below the best candidate another may score and still be suggested.
const SPREAD: f64 = 0.15;

/// Returns up to three candidates closest to `input`, best first.
///
/// Candidates are ranked by Jaro-Winkler similarity ignoring ASCII case; a candidate equal to
/// `input` ignoring case always ranks first. Candidates below a similarity of 0.7 are dropped,
/// so an unrelated word gets no suggestion rather than a misleading one, and so are those
/// more than 0.15 below the best. Ties go to the name that sorts first. This is the one
/// ranking of the project: the derives, the run-time checks and the compile-time assertions
/// (through [`nearest_in`]) all suggest with it.
///
/// ```
/// let names = ["Attack Pattern", "Account", "Campaign"];
/// let got = relationship_schema::suggest::nearest("Atack Pattern", names);
/// assert_eq!(got, vec!["Attack Pattern"]);
/// ```
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let Nearest { picks, len } = nearest_in(input, &candidates);
    picks[..len].iter().map(|&i| candidates[i]).collect()
}

/// What [`nearest_in`] picked: up to three indexes into the candidates, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nearest {
    picks: [usize; 3],
    len: usize,
}

impl Nearest {
    const NONE: Nearest = Nearest {
        picks: [0; 3],
        len: 0,
    };

    /// How many candidates were picked (0 to 3).
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether no candidate is near enough.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `n`th pick (0 is the best), as an index into the candidates.
    pub const fn get(&self, n: usize) -> Option<usize> {
        if n < self.len {
            Some(self.picks[n])
        } else {
            None
        }
    }
}

/// [`nearest`] as a `const fn` over a slice, for the compile-time assertions: the indexes of
/// up to three candidates closest to `input`, best first, by the same ranking.
///
/// ```
/// use relationship_schema::suggest::nearest_in;
/// const PICKS: relationship_schema::suggest::Nearest = nearest_in("Hots", &["CVE", "Host"]);
/// assert_eq!(PICKS.get(0), Some(1));
/// assert_eq!(PICKS.len(), 1);
/// ```
pub const fn nearest_in(input: &str, candidates: &[&str]) -> Nearest {
    let mut needle = [0u32; MAX_CHARS];
    let Some(needle_len) = fold_chars(input, &mut needle) else {
        return Nearest::NONE;
    };
    let mut out = Nearest::NONE;
    // Each round picks the best candidate ranked after the last pick, so a name listed twice
    // is picked once.
    let (mut best, mut last) = (0.0, (f64::INFINITY, ""));
    while out.len < 3 {
        let (mut pick, mut pick_score) = (candidates.len(), 0.0);
        let mut k = 0;
        while k < candidates.len() {
            let (s, name) = (score(&needle, needle_len, candidates[k]), candidates[k]);
            if s >= THRESHOLD
                && ranks_before(last, (s, name))
                && (pick == candidates.len()
                    || ranks_before((s, name), (pick_score, candidates[pick])))
            {
                (pick, pick_score) = (k, s);
            }
            k += 1;
        }
        if pick == candidates.len() || (out.len > 0 && best - pick_score > SPREAD) {
            break;
        }
        if out.len == 0 {
            best = pick_score;
        }
        last = (pick_score, candidates[pick]);
        out.picks[out.len] = pick;
        out.len += 1;
    }
    out
}

/// Whether a candidate `(score, name)` ranks before another: a higher score first, then the
/// name that sorts first.
const fn ranks_before(a: (f64, &str), b: (f64, &str)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && sorts_before(a.1, b.1))
}

/// The Jaro-Winkler similarity of a candidate to the needle, or 2.0 when they are equal
/// ignoring ASCII case (only equal strings have a similarity of 1).
const fn score(needle: &[u32; MAX_CHARS], needle_len: usize, candidate: &str) -> f64 {
    let mut hay = [0u32; MAX_CHARS];
    let Some(hay_len) = fold_chars(candidate, &mut hay) else {
        return 0.0;
    };
    let similarity = jaro_winkler(needle, needle_len, &hay, hay_len);
    if similarity == 1.0 { 2.0 } else { similarity }
}

/// Writes the characters of `s` into `out`, ASCII letters lowercased, each as the number its
/// UTF-8 bytes make (the ranking only compares characters for equality); `None` when `s`
/// has more than [`MAX_CHARS`] characters.
const fn fold_chars(s: &str, out: &mut [u32; MAX_CHARS]) -> Option<usize> {
    let b = s.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        if b[i] & 0xC0 == 0x80 {
            // A continuation byte: `s` is UTF-8, so a character has started before it.
            out[n - 1] = (out[n - 1] << 8) | b[i] as u32;
        } else if n == MAX_CHARS {
            return None;
        } else {
            out[n] = b[i].to_ascii_lowercase() as u32;
            n += 1;
        }
        i += 1;
    }
    Some(n)
}

/// Jaro-Winkler similarity of two folded strings: matches within half the longer length,
/// half-transpositions, and a bonus of 0.1 per common prefix character (at most four) when
/// the Jaro similarity is above 0.7.
const fn jaro_winkler(a: &[u32; MAX_CHARS], al: usize, b: &[u32; MAX_CHARS], bl: usize) -> f64 {
    if al == 0 && bl == 0 {
        return 1.0;
    }
    let window = (if al > bl { al } else { bl } / 2).saturating_sub(1);
    let (mut a_hit, mut b_hit) = ([false; MAX_CHARS], [false; MAX_CHARS]);
    let mut matches = 0usize;
    let mut i = 0;
    while i < al {
        let mut j = i.saturating_sub(window);
        while j < bl && j <= i + window {
            if !b_hit[j] && a[i] == b[j] {
                a_hit[i] = true;
                b_hit[j] = true;
                matches += 1;
                break;
            }
            j += 1;
        }
        i += 1;
    }
    if matches == 0 {
        return 0.0;
    }
    let (mut half, mut i, mut j) = (0usize, 0, 0);
    while i < al {
        if a_hit[i] {
            while !b_hit[j] {
                j += 1;
            }
            if a[i] != b[j] {
                half += 1;
            }
            j += 1;
        }
        i += 1;
    }
    let m = matches as f64;
    let jaro = (m / al as f64 + m / bl as f64 + (matches - half / 2) as f64 / m) / 3.0;
    if jaro <= THRESHOLD {
        return jaro;
    }
    let mut prefix = 0;
    while prefix < 4 && prefix < al && prefix < bl && a[prefix] == b[prefix] {
        prefix += 1;
    }
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

/// Whether two strings are equal, in a `const` (for the compile-time assertions, which
/// compare names with it).
#[doc(hidden)]
pub const fn str_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && common_prefix(a.as_bytes(), b.as_bytes()) == a.len()
}

/// Byte order, as `str::cmp` sorts.
const fn sorts_before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let i = common_prefix(a, b);
    i < b.len() && (i == a.len() || a[i] < b[i])
}

/// How many leading bytes `a` and `b` share.
const fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut i = 0;
    while i < a.len() && i < b.len() && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Formats suggestions as `` `a`, `b` or `c` `` (empty string when there are none).
pub fn or_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} or {last}", init.join(", ")),
        _ => quoted.concat(),
    }
}

/// `` did you mean `a` or `b`? `` for the candidates nearest to `input`, or `None` when
/// none is near enough.
///
/// ```
/// let hint = relationship_schema::suggest::did_you_mean("uses2", ["uses", "used-by", "has"]);
/// assert_eq!(hint.as_deref(), Some("did you mean `uses`?"));
/// ```
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean_of(&nearest(input, candidates))
}

/// `` did you mean `a` or `b`? `` for suggestions already chosen (say, by [`nearest`] or
/// kept in an error value), or `None` when there are none.
///
/// ```
/// use relationship_schema::suggest::did_you_mean_of;
/// assert_eq!(did_you_mean_of(&["Host", "CVE"]).as_deref(), Some("did you mean `Host` or `CVE`?"));
/// assert_eq!(did_you_mean_of::<&str>(&[]), None);
/// ```
pub fn did_you_mean_of<S: AsRef<str>>(suggestions: &[S]) -> Option<String> {
    let names: Vec<&str> = suggestions.iter().map(AsRef::as_ref).collect();
    (!names.is_empty()).then(|| format!("did you mean {}?", or_list(&names)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_match_ranks_first() {
        assert_eq!(nearest("ACCOUNT", ["Account", "Accounts"]), vec!["Account"]);
    }

    fn jw(a: &str, b: &str) -> f64 {
        let (mut x, mut y) = ([0u32; MAX_CHARS], [0u32; MAX_CHARS]);
        let (xl, yl) = (
            fold_chars(a, &mut x).unwrap(),
            fold_chars(b, &mut y).unwrap(),
        );
        jaro_winkler(&x, xl, &y, yl)
    }

    #[test]
    fn jaro_winkler_reference_values() {
        // Textbook values (Winkler 1990; the MARTHA/DWAYNE/DIXON examples).
        assert!((jw("martha", "marhta") - 0.961_111).abs() < 1e-6);
        assert!((jw("dwayne", "duane") - 0.84).abs() < 1e-6);
        assert!((jw("dixon", "dicksonx") - 0.813_333).abs() < 1e-6);
        assert_eq!(jw("", ""), 1.0);
        assert_eq!(jw("abc", ""), 0.0);
        assert_eq!(jw("abc", "xyz"), 0.0);
        assert_eq!(jw("HOST", "host"), 1.0);
    }

    #[test]
    fn several_near_names_best_first_ties_by_name() {
        assert_eq!(
            nearest("used", ["uses", "used-by", "user", "has"]),
            vec!["used-by", "user", "uses"]
        );
        assert_eq!(nearest("uses", ["uses", "uses"]), vec!["uses"]);
    }

    #[test]
    fn non_ascii_and_overlong_inputs() {
        assert_eq!(nearest("Hôst", ["Host", "CVE"]), vec!["Host"]);
        assert!(nearest(&"a".repeat(MAX_CHARS + 1), ["aaaa"]).is_empty());
    }

    #[test]
    fn const_and_run_time_rankings_agree() {
        const PICKS: Nearest = nearest_in("Atack Patern", &["Attack Pattern", "Account"]);
        assert_eq!((PICKS.len(), PICKS.get(0)), (1, Some(0)));
    }

    #[test]
    fn unrelated_word_gets_nothing() {
        assert!(nearest("zzzz", ["Account", "Host"]).is_empty());
    }

    #[test]
    fn const_comparisons_agree_with_str() {
        for (a, b) in [
            ("", ""),
            ("a", ""),
            ("ab", "a"),
            ("ab", "ac"),
            ("b", "ab"),
            ("é", "e"),
        ] {
            assert_eq!(str_eq(a, b), a == b, "{a} {b}");
            assert_eq!(sorts_before(a, b), a < b, "{a} {b}");
            assert_eq!(sorts_before(b, a), b < a, "{b} {a}");
        }
    }

    #[test]
    fn or_list_formats() {
        assert_eq!(or_list(&[]), "");
        assert_eq!(or_list(&["a"]), "`a`");
        assert_eq!(or_list(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
