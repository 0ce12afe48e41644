//! The field shaping of XSOAR's MITRE ATT&CK feed (FeedMitreAttackv2), reproduced for the six
//! object types it fetches: citation removal, date normalisation, publications, MITRE IDs,
//! kill chain phases and TLP markings.

use relationship_core::{Fields, RawJson};
use serde_json::{Map, Value};

use crate::citation_date;
use crate::tactic_name::python_title;

/// STIX kill chain phase names whose XSOAR `killchainphases` value
/// (`ThreatIntel.KillChainPhases`) is the name title-cased with spaces (`Defense Evasion`),
/// besides `act-on-objectives` and `command-and-control`; an unlisted phase is kept as written.
const KILL_CHAIN_PHASES: &str = "build-capabilities privilege-escalation adversary-opsec \
    credential-access exfiltration lateral-movement defense-evasion persistence collection \
    impact initial-access discovery execution installation delivery weaponization";

/// The XSOAR kill chain phase of STIX phase `name`.
fn kill_chain_phase(name: &str) -> String {
    match name {
        "act-on-objectives" => "Actions on Objectives".to_owned(),
        "command-and-control" => "Command & Control".to_owned(),
        n if KILL_CHAIN_PHASES.split_whitespace().any(|p| p == n) => {
            python_title(n).replace('-', " ")
        }
        n => n.to_owned(),
    }
}

/// The colour XSOAR stores for one of the four TLP 1.0 marking definitions STIX 2 fixes.
fn tlp_colour(marking: &str) -> Option<&'static str> {
    match marking {
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9" => Some("WHITE"),
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da" => Some("GREEN"),
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82" => Some("AMBER"),
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed" => Some("RED"),
        _ => None,
    }
}

/// Python truthiness of a JSON value (`null`, `false`, `0`, `""`, `[]`, `{}` are false).
pub(crate) fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// The TLP colour of the first TLP marking in `object_marking_refs`, or `""`.
pub(crate) fn tlp(obj: &Map<String, Value>) -> &'static str {
    obj.get("object_marking_refs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find_map(tlp_colour)
        .unwrap_or("")
}

/// The XSOAR kill chain phase names of `kill_chain_phases`.
pub(crate) fn kill_chain_phases(obj: &Map<String, Value>) -> Value {
    let phases = obj
        .get("kill_chain_phases")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let name = p.get("phase_name").and_then(Value::as_str).unwrap_or("");
            Value::String(kill_chain_phase(name))
        })
        .collect();
    Value::Array(phases)
}

/// The feed's `publications`: one entry per external reference without an `external_id`,
/// each with the keys `link`, `title`, `source`, `timestamp` in this order.
pub(crate) fn publications(obj: &Map<String, Value>) -> RawJson {
    let refs: Vec<Fields> = obj
        .get("external_references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter(|r| !truthy(r.get("external_id")))
        .map(|r| {
            let get = |k: &str| r.get(k).cloned();
            let description = get("description").unwrap_or(Value::Null);
            let timestamp = citation_date::timestamp_from_description(description.as_str());
            let mut p = Fields::with_capacity(4);
            p.insert("link", get("url").unwrap_or_else(|| Value::from("")));
            p.insert("title", description);
            p.insert("source", get("source_name").unwrap_or(Value::Null));
            p.insert("timestamp", timestamp);
            p
        })
        .collect();
    RawJson::from(refs)
}

/// The feed's `remove_citations`: the text is cut into parenthesised groups and runs without
/// parentheses, every piece containing `Citation` is dropped, and the rest joined. As in the
/// feed, a parenthesis that opens or closes no group disappears.
pub(crate) fn remove_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let piece_len = match c {
            '(' => match rest[1..].find(')') {
                Some(close) => close + 2,
                None => {
                    rest = &rest[1..];
                    continue;
                }
            },
            ')' => {
                rest = &rest[1..];
                continue;
            }
            _ => rest.find(['(', ')']).unwrap_or(rest.len()),
        };
        let piece = &rest[..piece_len];
        if !piece.contains("Citation") {
            out.push_str(piece);
        }
        rest = &rest[piece_len..];
    }
    out
}

/// The feed's date normalisation of `created` (`earliest = true`) or `modified`: a value may
/// hold several dates, one per line; the earliest (or latest) is kept, with milliseconds.
///
/// Lines that are not `YYYY-MM-DDTHH:MM:SS.fffZ` make the feed raise; here such a value is
/// kept as written instead.
pub(crate) fn normalise_dates(value: Option<&Value>, earliest: bool) -> Value {
    let Some(Value::String(s)) = value else {
        return value.cloned().unwrap_or(Value::Null);
    };
    let parsed: Option<Vec<String>> = s.lines().map(millis).collect();
    match parsed {
        Some(mut dates) if !dates.is_empty() => {
            dates.sort();
            let pick = if earliest {
                dates.swap_remove(0)
            } else {
                dates.pop().unwrap_or_default()
            };
            Value::String(pick)
        }
        _ => Value::String(s.clone()),
    }
}

/// `YYYY-MM-DDTHH:MM:SS.f{1,6}Z` → `YYYY-MM-DDTHH:MM:SS.fffZ` (as Python's `%f` then `[:-3]`).
fn millis(line: &str) -> Option<String> {
    let b = line.as_bytes();
    // `0` stands for a digit.
    let shape = b.len() > 21
        && b.ends_with(b"Z")
        && (b"0000-00-00T00:00:00.".iter().zip(b))
            .all(|(t, c)| t == c || (*t == b'0' && c.is_ascii_digit()));
    let frac = line.get(20..line.len().saturating_sub(1))?;
    if !shape || frac.is_empty() || frac.len() > 6 || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let ms = &frac[..frac.len().min(3)];
    Some(format!("{}.{ms:0<3}Z", &line[..19]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn millis_takes_well_formed_dates_only() {
        assert_eq!(
            millis("2024-01-02T03:04:05.1Z").as_deref(),
            Some("2024-01-02T03:04:05.100Z")
        );
        assert_eq!(
            millis("2024-01-02T03:04:05.123456Z").as_deref(),
            Some("2024-01-02T03:04:05.123Z")
        );
        for bad in [
            "",
            "Z",
            "2024-01-02T03:04:05.Z",
            "2024-01-02T03:04:05.1234567Z",
            "2024-01-02T03:04:05.1x",
        ] {
            assert_eq!(millis(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn citations_are_removed_like_the_feed() {
        assert_eq!(
            remove_citations("Adversaries may X.(Citation: A 2017)(Citation: B) Then Y (see Z)."),
            "Adversaries may X. Then Y (see Z)."
        );
        // unmatched parentheses disappear; a plain run mentioning Citation is dropped too
        assert_eq!(remove_citations("a ) b ( c"), "a  b  c");
        assert_eq!(remove_citations("keep (x) Citation run (y)"), "keep (x)(y)");
        assert_eq!(remove_citations("nested (a (b) c) d"), "nested (a (b) c d");
        assert_eq!(remove_citations(""), "");
        assert_eq!(remove_citations("é (Citation: ü) ö"), "é  ö");
    }

    #[test]
    fn dates_keep_milliseconds_and_pick_min_or_max() {
        let v = json!("2020-01-02T03:04:05.123456Z\n2019-01-02T03:04:05.1Z");
        assert_eq!(
            normalise_dates(Some(&v), true),
            json!("2019-01-02T03:04:05.100Z")
        );
        assert_eq!(
            normalise_dates(Some(&v), false),
            json!("2020-01-02T03:04:05.123Z")
        );
        assert_eq!(
            normalise_dates(Some(&json!("2017-06-01T00:00:00Z")), true),
            json!("2017-06-01T00:00:00Z")
        );
        assert_eq!(normalise_dates(None, true), Value::Null);
        assert_eq!(normalise_dates(Some(&json!(5)), true), json!(5));
    }

    #[test]
    fn timestamps_from_citation_descriptions() {
        use crate::citation_date::timestamp_from_description;
        let t = |d: &str| timestamp_from_description(Some(d));
        assert_eq!(
            t("Claud Xiao. (2017, April 6). New IoT/Linux Malware."),
            "2017-04-06T00:00:00"
        );
        assert_eq!(t("A. (2014, September 17). X."), "2014-09-17T00:00:00");
        assert_eq!(t("B. (1982, November). Y."), "1982-11-01T00:00:00");
        assert_eq!(
            t("C (putterpanda). (2014, June 9). Z"),
            "2014-06-09T00:00:00"
        );
        assert_eq!(
            t("D. (2016). Report (April 6th, 2016)"),
            "2016-04-06T00:00:00"
        );
        assert_eq!(t("E. (, May 23). F"), "1970-05-23T00:00:00");
        assert_eq!(t("G. (2018-05-02)."), "2018-05-02T00:00:00");
        assert_eq!(t("H. (2018, February 30)."), "");
        assert_eq!(t("I. (n.d.). Retrieved (2018, May 1)."), "");
        assert_eq!(t("(Citation: X 2017, April 6)"), "");
        assert_eq!(t("no date here"), "");
        assert_eq!(timestamp_from_description(None), "");
    }

    #[test]
    fn mitre_id_publications_tlp_phases() {
        let obj = json!({
            "external_references": [
                {"source_name": "capec", "external_id": "CAPEC-1"},
                {"source_name": "mitre-attack", "external_id": "T1234.001", "url": "u"},
                {"source_name": "Blog", "url": "https://x", "description": "Y. (2019, Feb 12). T."},
                {"source_name": "NoUrl"}
            ],
            "object_marking_refs": ["marking-definition--x", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],
            "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "command-and-control"}, {"phase_name": "custom"}]
        });
        let obj = obj.as_object().unwrap();
        let view = crate::view::ObjectView::of_map(obj);
        assert_eq!(view.mitre_id.as_deref(), Some("T1234.001"));
        assert_eq!(
            serde_json::to_string(&publications(obj)).unwrap(),
            r#"[{"link":"https://x","title":"Y. (2019, Feb 12). T.","source":"Blog","timestamp":"2019-02-12T00:00:00"},{"link":"","title":null,"source":"NoUrl","timestamp":""}]"#
        );
        assert_eq!(tlp(obj), "GREEN");
        assert_eq!(
            kill_chain_phases(obj),
            json!(["Command & Control", "custom"])
        );
        assert_eq!(tlp(json!({}).as_object().unwrap()), "");
    }

    #[test]
    fn python_truthiness() {
        for (v, t) in [
            (json!(null), false),
            (json!(false), false),
            (json!(0), false),
            (json!(""), false),
            (json!([]), false),
            (json!({}), false),
            (json!(true), true),
            (json!("x"), true),
            (json!(1), true),
        ] {
            assert_eq!(truthy(Some(&v)), t, "{v}");
        }
        assert!(!truthy(None));
    }
}
