//! Kill chain phase name → tactic name, as XSOAR's MITRE ATT&CK feed (FeedMitreAttackv2)
//! makes it for an attack pattern's `part-of` relationship to its tactic.
//!
//! The feed writes `phase_name.title().replace("-", " ").replace("And", "and")`: Python's
//! `str.title()` (a letter is upper-cased, title-cased strictly, when the character before it
//! is not cased, and lower-cased otherwise, so `command-and-control` becomes
//! `Command-And-Control` and `x1y` becomes `X1Y`), then every `-` becomes a space, then every
//! `And` (also inside a word: `Android` → `android`) becomes `and`. The result is looked up
//! among the tactics' names to find the tactic's MITRE ID.

/// The tactic name the feed derives from a kill chain phase name
/// (`defense-evasion` → `Defense Evasion`, `command-and-control` → `Command and Control`).
pub(crate) fn tactic_name(phase_name: &str) -> String {
    python_title(phase_name)
        .replace('-', " ")
        .replace("And", "and")
}

/// Python 3's `str.title()`.
///
/// Exact for ASCII. Beyond it, Rust's Unicode tables stand in for Python's: the cased
/// property is `is_lowercase() || is_uppercase()` plus the titlecase letters (Lt), lower-casing
/// is `char::to_lowercase` with Python's final-sigma rule, and title-casing is
/// `char::to_uppercase` except for the characters whose title case differs (the digraphs `ǅ`
/// `ǈ` `ǋ` `ǲ`, `ß` → `Ss`, the Latin and Armenian ligatures, Georgian Mkhedruli, the Greek
/// letters with ypogegrammeni). Python and Rust may follow different Unicode versions, so a
/// character assigned in between can differ.
pub(crate) fn python_title(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut previous_is_cased = false;
    for (i, &c) in chars.iter().enumerate() {
        if previous_is_cased {
            if c == '\u{3a3}' {
                out.push(capital_sigma_lower(&chars, i));
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            push_title(&mut out, c);
        }
        previous_is_cased = is_cased(c);
    }
    out
}

/// Unicode's Cased property.
fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || is_titlecase_letter(c)
}

/// General category Lt: the letters neither lower- nor upper-case that lower-case to
/// something else (`ǅ`, `ᾈ`).
fn is_titlecase_letter(c: char) -> bool {
    !c.is_lowercase() && !c.is_uppercase() && !c.to_lowercase().eq([c])
}

/// Case-ignorable, as Python's final-sigma rule uses it (approximated: combining marks and
/// the usual apostrophes and dots are the ones that occur next to Greek letters).
fn is_case_ignorable(c: char) -> bool {
    matches!(
        c,
        '\'' | '.' | ':' | '^' | '`' | '\u{ad}' | '\u{b7}' | '\u{2019}' | '\u{300}'..='\u{36f}'
    )
}

/// Python lower-cases a capital sigma to the final form `ς` when a cased letter precedes it
/// and none follows it (case-ignorable characters skipped both ways), else to `σ`.
fn capital_sigma_lower(chars: &[char], i: usize) -> char {
    let before = chars[..i]
        .iter()
        .rev()
        .find(|c| !is_case_ignorable(**c))
        .is_some_and(|c| is_cased(*c));
    let after = chars[i + 1..]
        .iter()
        .find(|c| !is_case_ignorable(**c))
        .is_some_and(|c| is_cased(*c));
    if before && !after { 'ς' } else { 'σ' }
}

/// Appends the title case of `c`.
fn push_title(out: &mut String, c: char) {
    let special: Option<&str> = match c {
        '\u{df}' => Some("Ss"),
        '\u{1c4}'..='\u{1c6}' => Some("\u{1c5}"),
        '\u{1c7}'..='\u{1c9}' => Some("\u{1c8}"),
        '\u{1ca}'..='\u{1cc}' => Some("\u{1cb}"),
        '\u{1f1}'..='\u{1f3}' => Some("\u{1f2}"),
        '\u{587}' => Some("\u{535}\u{582}"),
        '\u{1fb2}' => Some("\u{1fba}\u{345}"),
        '\u{1fb4}' => Some("\u{386}\u{345}"),
        '\u{1fb7}' => Some("\u{391}\u{342}\u{345}"),
        '\u{1fc2}' => Some("\u{1fca}\u{345}"),
        '\u{1fc4}' => Some("\u{389}\u{345}"),
        '\u{1fc7}' => Some("\u{397}\u{342}\u{345}"),
        '\u{1ff2}' => Some("\u{1ffa}\u{345}"),
        '\u{1ff4}' => Some("\u{38f}\u{345}"),
        '\u{1ff7}' => Some("\u{3a9}\u{342}\u{345}"),
        '\u{fb00}' => Some("Ff"),
        '\u{fb01}' => Some("Fi"),
        '\u{fb02}' => Some("Fl"),
        '\u{fb03}' => Some("Ffi"),
        '\u{fb04}' => Some("Ffl"),
        '\u{fb05}' | '\u{fb06}' => Some("St"),
        '\u{fb13}' => Some("\u{544}\u{576}"),
        '\u{fb14}' => Some("\u{544}\u{565}"),
        '\u{fb15}' => Some("\u{544}\u{56b}"),
        '\u{fb16}' => Some("\u{54e}\u{576}"),
        '\u{fb17}' => Some("\u{544}\u{56d}"),
        _ => None,
    };
    if let Some(s) = special {
        out.push_str(s);
        return;
    }
    let cp = u32::from(c);
    // Georgian Mkhedruli is its own title case; Greek letters with ypogegrammeni title-case
    // to the prosgegrammeni forms (U+1F80–1FA7 → +8; U+1FB3/1FC3/1FF3 → +9).
    let title = match cp {
        0x10d0..=0x10fa | 0x10fd..=0x10ff => Some(c),
        0x1f80..=0x1f87 | 0x1f90..=0x1f97 | 0x1fa0..=0x1fa7 => char::from_u32(cp + 8),
        0x1f88..=0x1f8f | 0x1f98..=0x1f9f | 0x1fa8..=0x1faf | 0x1fbc | 0x1fcc | 0x1ffc => Some(c),
        0x1fb3 | 0x1fc3 | 0x1ff3 => char::from_u32(cp + 9),
        _ => None,
    };
    match title {
        Some(t) => out.push(t),
        None => out.extend(c.to_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kill chain phases of the feed's test data with the tactic names its expected
    /// relationships point to, and the rule's examples from the feed's issue.
    #[test]
    fn feed_cases() {
        for (phase, tactic) in [
            ("defense-evasion", "Defense Evasion"),
            ("privilege-escalation", "Privilege Escalation"),
            ("resource-development", "Resource Development"),
            ("command-and-control", "Command and Control"),
            ("reconnaissance", "Reconnaissance"),
        ] {
            assert_eq!(tactic_name(phase), tactic, "{phase}");
        }
    }

    /// Every ATT&CK Enterprise (v8) tactic's `x_mitre_shortname` gives the tactic's name.
    #[test]
    fn every_attck_v8_tactic() {
        for (phase, tactic) in [
            ("collection", "Collection"),
            ("command-and-control", "Command and Control"),
            ("credential-access", "Credential Access"),
            ("defense-evasion", "Defense Evasion"),
            ("discovery", "Discovery"),
            ("execution", "Execution"),
            ("exfiltration", "Exfiltration"),
            ("impact", "Impact"),
            ("initial-access", "Initial Access"),
            ("lateral-movement", "Lateral Movement"),
            ("persistence", "Persistence"),
            ("privilege-escalation", "Privilege Escalation"),
            ("reconnaissance", "Reconnaissance"),
            ("resource-development", "Resource Development"),
        ] {
            assert_eq!(tactic_name(phase), tactic, "{phase}");
        }
    }

    /// The rule's quirks, as Python computes them.
    #[test]
    fn quirks_like_python() {
        for (phase, expected) in [
            ("android-attack", "android Attack"),
            ("COMMAND-AND-CONTROL", "Command and Control"),
            ("x1y", "X1Y"),
            ("don't-stop", "Don'T Stop"),
            ("a--b", "A  B"),
            ("-and-", " and "),
            ("band-and", "Band and"),
            ("", ""),
            ("ANDROID", "android"),
            ("phase_name", "Phase_Name"),
            ("defense evasion", "Defense Evasion"),
        ] {
            assert_eq!(tactic_name(phase), expected, "{phase:?}");
        }
    }

    /// `str.title()` beyond ASCII; expected values computed with CPython 3.11.
    #[test]
    fn title_beyond_ascii() {
        for (text, expected) in [
            ("straße-ß", "Straße-Ss"),
            ("ǆemal ǈ", "ǅemal ǈ"),
            ("ﬁle ﬂow", "File Flow"),
            ("éclair-ÉCLAIR", "Éclair-Éclair"),
            ("ΟΔΟΣ ΟΔΟΣ", "Οδος Οδος"),
            ("ΣΑΣ", "Σας"),
            ("ᾳb", "ᾼb"),
            ("ǲ-ǳ", "ǲ-ǲ"),
            ("ⅰⅱ", "Ⅰⅱ"),
            ("ıi", "Ii"),
            ("ﬀ", "Ff"),
            ("ǅA", "ǅa"),
        ] {
            assert_eq!(python_title(text), expected, "{text:?}");
        }
    }
    /// The phase names of the transcribed tactic data (`tests/data/feed-mitre-attack-v2`).
    #[test]
    fn tactic_data_file() {
        let doc: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/data/feed-mitre-attack-v2/tactics.json"
        ))
        .unwrap();
        let mut n = 0;
        for case in doc["cases"].as_array().unwrap() {
            if let Some(map) = case["phase_to_tactic"].as_object() {
                for (phase, tactic) in map {
                    assert_eq!(tactic_name(phase), tactic.as_str().unwrap(), "{phase}");
                    n += 1;
                }
            }
        }
        assert!(n >= 6);
    }
}
