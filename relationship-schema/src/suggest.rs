//! "Did you mean" suggestions: the nearest valid names to a misspelled one.

/// Returns up to three candidates closest to `input`, best first.
///
/// Candidates are ranked by case-insensitive Jaro-Winkler similarity; a candidate equal to
/// `input` ignoring case always ranks first. Candidates below a similarity of 0.7 are dropped,
/// so an unrelated word gets no suggestion rather than a misleading one.
///
/// ```
/// let names = ["Attack Pattern", "Account", "Campaign"];
/// let got = relationship_schema::suggest::nearest("Atack Pattern", names);
/// assert_eq!(got, vec!["Attack Pattern"]);
/// ```
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let needle = input.to_lowercase();
    let mut scored: Vec<(f64, &'a str)> = candidates
        .into_iter()
        .map(|c| {
            let hay = c.to_lowercase();
            let score = if hay == needle {
                2.0
            } else {
                strsim::jaro_winkler(&needle, &hay)
            };
            (score, c)
        })
        .filter(|(s, _)| *s >= 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    let best = scored.first().map_or(0.0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(s, _)| best - s <= 0.15)
        .take(3)
        .map(|(_, c)| c)
        .collect()
}

/// Formats suggestions as `` `a`, `b` or `c` `` (empty string when there are none).
pub fn or_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => {
            let head: Vec<String> = init.iter().map(|n| format!("`{n}`")).collect();
            format!("{} or `{last}`", head.join(", "))
        }
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

    #[test]
    fn unrelated_word_gets_nothing() {
        assert!(nearest("zzzz", ["Account", "Host"]).is_empty());
    }

    #[test]
    fn or_list_formats() {
        assert_eq!(or_list(&[]), "");
        assert_eq!(or_list(&["a"]), "`a`");
        assert_eq!(or_list(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
