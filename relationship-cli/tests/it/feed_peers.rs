//! XSOAR's own tests of its MITRE ATT&CK feed (FeedMitreAttackv2), transcribed as data under
//! `tests/data/feed-mitre-attack-v2/` (see `tests/data/README.md`), run through the converter
//! twice: the library (`relationship_stix::convert`) and the CLI (`xsoar-rel convert-stix`).
//! Each case becomes a small STIX bundle; what the feed's function returned is compared with
//! the converted indicator or relationship. A case marked `deliberate_difference` is checked
//! against its `documented_behaviour` instead.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use relationship_core::check::Mode;
use relationship_stix::{ConvertOptions, convert};
use serde_json::{Value, json};

use crate::support::repo_file;

fn data(name: &str) -> Value {
    let path = repo_file(&format!("tests/data/feed-mitre-attack-v2/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn cases(name: &str) -> Vec<Value> {
    data(name)["cases"].as_array().unwrap().clone()
}

/// What one conversion wrote: the indicators (not dummies) and every relationship.
#[derive(Debug, PartialEq)]
struct Output {
    /// Each indicator with its exact text (compact JSON).
    indicators: Vec<(Value, String)>,
    relationships: Vec<Value>,
    rejects: Vec<Value>,
}

impl Output {
    fn parse(out: &str, rejects: &str) -> Output {
        let mut o = Output {
            indicators: Vec::new(),
            relationships: Vec::new(),
            rejects: rejects
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
        };
        for line in out.lines() {
            let batch: Vec<Value> = serde_json::from_str(line).unwrap();
            for ind in batch {
                if let Some(r) = ind.get("relationships").and_then(Value::as_array) {
                    o.relationships.extend(r.iter().cloned());
                }
                if ind["value"] != "$$DummyIndicator$$" {
                    let text = serde_json::to_string(&ind).unwrap();
                    o.indicators.push((ind, text));
                }
            }
        }
        o
    }

    fn indicator(&self, value: &str) -> &Value {
        self.indicators
            .iter()
            .map(|(v, _)| v)
            .find(|i| i["value"] == value)
            .unwrap_or_else(|| panic!("no indicator {value} in {:#?}", self.indicators))
    }

    fn text(&self, value: &str) -> &str {
        self.indicators
            .iter()
            .find(|(i, _)| i["value"] == value)
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("no indicator {value}"))
    }

    fn by_stix_id(&self, id: &str) -> Option<&Value> {
        self.indicators
            .iter()
            .map(|(v, _)| v)
            .find(|i| i["fields"]["stixid"] == id)
    }
}

static SCRATCH: AtomicUsize = AtomicUsize::new(0);

/// Converts a bundle of `objects` with the library and with the CLI, checks that both wrote
/// the same, and returns it.
fn convert_both(objects: &[Value], opts: &ConvertOptions, args: &[&str]) -> Output {
    let bundle = json!({"type": "bundle", "id": "bundle--peer", "objects": objects});
    let text = serde_json::to_string_pretty(&bundle).unwrap();
    let mut out = Vec::new();
    let mut rejects = Vec::new();
    let report = convert(
        text.as_bytes(),
        &mut out,
        relationship_core::xsoar::schema(),
        opts,
        Some(&mut rejects),
        &mut |_| {},
    )
    .unwrap();
    assert!(report.is_balanced(), "{report}");
    let lib = Output::parse(
        std::str::from_utf8(&out).unwrap(),
        std::str::from_utf8(&rejects).unwrap(),
    );

    let n = SCRATCH.fetch_add(1, Ordering::SeqCst);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (input, output, reject_file) = (
        dir.join(format!("peer-{n}.json")),
        dir.join(format!("peer-{n}.ndjson")),
        dir.join(format!("peer-{n}-rejects.ndjson")),
    );
    std::fs::write(&input, &text).unwrap();
    Command::new(env!("CARGO_BIN_EXE_xsoar-rel"))
        .arg("convert-stix")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .arg("--reject-file")
        .arg(&reject_file)
        .args(args)
        .assert()
        .success();
    let cli = Output::parse(
        &std::fs::read_to_string(&output).unwrap(),
        &std::fs::read_to_string(&reject_file).unwrap(),
    );
    assert_eq!(lib, cli, "library and CLI disagree");
    lib
}

fn default_both(objects: &[Value]) -> Output {
    convert_both(objects, &ConvertOptions::default(), &[])
}

/// The STIX type of a feed type name.
fn stix_type(xsoar_type: &str) -> &'static str {
    match xsoar_type {
        "Intrusion Set" => "intrusion-set",
        "Malware" => "malware",
        "Attack Pattern" => "attack-pattern",
        "Tool" => "tool",
        "Course of Action" => "course-of-action",
        "Campaign" => "campaign",
        other => panic!("unexpected type {other}"),
    }
}

#[test]
fn fetch_indicators_gives_the_feeds_indicators_byte_for_byte() {
    for case in cases("fetch-indicators") {
        let name = case["name"].as_str().unwrap();
        assert!(case.get("deliberate_difference").is_none(), "{name}");
        let mut objects: Vec<Value> = case["setup"]["as_stix_objects"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        objects.extend(case["input"].as_array().unwrap().iter().cloned());
        let out = default_both(&objects);
        for want in case["expected"]["indicators"].as_array().unwrap() {
            let value = want["value"].as_str().unwrap();
            // Same keys in the same order as the feed's code builds them, same values.
            assert_eq!(
                out.text(value),
                serde_json::to_string(want).unwrap(),
                "{name}"
            );
        }
    }
}

#[test]
fn map_fields_by_type_gives_the_feeds_fields() {
    for case in cases("map-fields-by-type") {
        let name = case["name"].as_str().unwrap();
        let input = &case["input"];
        assert_eq!(
            input["type"],
            stix_type(case["indicator_type"].as_str().unwrap())
        );
        let out = default_both(std::slice::from_ref(input));
        let got = &out
            .by_stix_id(input["id"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{name}: not converted"))["fields"];
        // create_indicator then adds trafficlightprotocol when the object has a TLP.
        let mut want = case["expected_fields"].clone();
        let tlp = want["tlp"].clone();
        if tlp != "" {
            want["trafficlightprotocol"] = tlp;
        }
        assert_eq!(
            serde_json::to_string(got).unwrap(),
            serde_json::to_string(&want).unwrap(),
            "{name}"
        );
    }
}

/// A malware object carrying one external reference with `description`.
fn with_reference(n: usize, description: &str) -> Value {
    json!({"type": "malware", "id": format!("malware--{n}"), "name": format!("M{n}"),
           "external_references": [{"source_name": "s", "description": description}]})
}

#[test]
fn extract_date_time_from_description_matches_the_feed() {
    let cases = cases("extract-date-time-from-description");
    let objects: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(n, c)| with_reference(n, c["description"].as_str().unwrap()))
        .collect();
    let out = default_both(&objects);
    for (n, case) in cases.iter().enumerate() {
        let ind = out.indicator(&format!("M{n}"));
        assert_eq!(
            ind["fields"]["publications"][0]["timestamp"], case["expected"],
            "{}",
            case["name"]
        );
    }
}

#[test]
fn every_citation_of_attck_v8_is_dated_as_the_feed_dates_it() {
    // Every parenthesised group the feed's rule tries on ATT&CK v8's citations, each in a
    // description of its own, and the descriptions whose answer is not the obvious date.
    let file = data("citation-dates-attck-v8");
    let groups = file["groups"].as_array().unwrap();
    let notable = file["descriptions"].as_array().unwrap();
    assert_eq!(groups.len(), 1208);
    let mut want: Vec<(String, Value)> = groups
        .iter()
        .map(|g| {
            let expected = if g["python_int"] == true || g["dateparser"].is_null() {
                json!("")
            } else {
                g["dateparser"].clone()
            };
            (format!("X ({}).", g["group"].as_str().unwrap()), expected)
        })
        .collect();
    want.extend(notable.iter().map(|d| {
        (
            d["description"].as_str().unwrap().to_owned(),
            d["timestamp"].clone(),
        )
    }));
    let objects: Vec<Value> = want
        .iter()
        .enumerate()
        .map(|(n, (d, _))| with_reference(n, d))
        .collect();
    let out = default_both(&objects);
    for (n, (description, expected)) in want.iter().enumerate() {
        let ind = out.indicator(&format!("M{n}"));
        assert_eq!(
            &ind["fields"]["publications"][0]["timestamp"], expected,
            "{description}"
        );
    }
}

#[test]
fn remove_citations_cleans_fields_and_raw_json() {
    let cases = cases("remove-citations");
    let objects: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(n, c)| {
            json!({"type": "malware", "id": format!("malware--{n}"), "name": format!("M{n}"),
                   "description": c["input"]})
        })
        .collect();
    let out = default_both(&objects);
    for (n, case) in cases.iter().enumerate() {
        let ind = out.indicator(&format!("M{n}"));
        assert_eq!(ind["fields"]["description"], case["expected"]);
        // The feed cleans the object in place, and that object is rawJSON.
        assert_eq!(ind["rawJSON"]["description"], case["expected"]);
    }
}

#[test]
fn tactics_and_the_links_of_techniques() {
    let cases = cases("tactics");
    let tactic = &cases[0];
    let out = default_both(std::slice::from_ref(&tactic["input"]));
    let want = &tactic["expected"];
    assert_eq!(
        out.text(want["value"].as_str().unwrap()),
        serde_json::to_string(want).unwrap()
    );

    // Each phase name gives the tactic name the feed derives; the links go to those tactics.
    let map = cases[1]["phase_to_tactic"].as_object().unwrap();
    let mut objects: Vec<Value> = vec![json!({
        "type": "attack-pattern", "id": "attack-pattern--1", "name": "T",
        "kill_chain_phases": map.keys()
            .map(|p| json!({"kill_chain_name": "mitre-attack", "phase_name": p}))
            .collect::<Vec<_>>()
    })];
    // The tactics come after the technique, as a bundle may order them.
    for (n, name) in map.values().enumerate() {
        objects.push(json!({"type": "x-mitre-tactic", "id": format!("x-mitre-tactic--{n}"),
            "name": name,
            "external_references": [{"external_id": format!("TA{n:04}"), "source_name": "mitre-attack"}]}));
    }
    let out = default_both(&objects);
    let targets: Vec<String> = out.indicator("T")["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["entityB"].as_str().unwrap().to_owned())
        .collect();
    let want: Vec<String> = map
        .values()
        .enumerate()
        .map(|(n, name)| format!("TA{n:04} - {}", name.as_str().unwrap()))
        .collect();
    assert_eq!(targets, want);
}

/// One STIX object per entry `{type, value, fields: {stixid[, mitreid]}}` of a feed test.
fn objects_of(entries: &Value) -> Vec<Value> {
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let t = stix_type(e["type"].as_str().unwrap());
            let mut o = json!({"type": t, "id": format!("{t}--{}", e["fields"]["stixid"].as_str().unwrap()),
                               "name": e["value"]});
            if let Some(m) = e["fields"].get("mitreid") {
                o["external_references"] = json!([{"source_name": "mitre-attack", "external_id": m}]);
            }
            o
        })
        .collect()
}

fn check_values(file: &str) {
    for case in cases(file) {
        let out = default_both(&objects_of(&case["input"]));
        for want in case["expected"].as_array().unwrap() {
            let t = stix_type(want["type"].as_str().unwrap());
            let id = format!("{t}--{}", want["fields"]["stixid"].as_str().unwrap());
            let got = out.by_stix_id(&id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(
                (&got["value"], &got["type"]),
                (&want["value"], &want["type"]),
                "{}",
                case["name"]
            );
        }
    }
}

#[test]
fn malware_named_like_an_intrusion_set_gets_the_suffix() {
    check_values("add-malware-suffix");
}

#[test]
fn sub_techniques_get_their_parent_prefix() {
    check_values("add-technique-prefix");
}

#[test]
fn deprecated_or_revoked_objects_are_skipped() {
    for case in cases("deprecated-or-revoked") {
        let mut o = json!({"type": "malware", "id": "malware--1", "name": "M"});
        for (k, v) in case["input"].as_object().unwrap() {
            o[k] = v.clone();
        }
        let out = default_both(&[o]);
        assert_eq!(
            out.indicators.is_empty(),
            case["expected_skipped"].as_bool().unwrap(),
            "{}",
            case["name"]
        );
    }
}

#[test]
fn multiple_dates_in_one_field() {
    for case in cases("handle-multiple-dates") {
        let field = case["field"].as_str().unwrap();
        let mut o = json!({"type": "malware", "id": "malware--1", "name": "M"});
        o[field] = case["input"].clone();
        let out = default_both(&[o]);
        let key = if field == "created" {
            "firstseenbysource"
        } else {
            "modified"
        };
        assert_eq!(
            out.indicator("M")["fields"][key],
            case["expected"],
            "{}",
            case["name"]
        );
    }
}

#[test]
fn a_publication_without_url_has_an_empty_link() {
    for case in cases("publication-link-not-none") {
        let mut o = case["input"].clone();
        o["type"] = json!(stix_type(case["indicator_type"].as_str().unwrap()));
        o["id"] = json!("malware--1");
        o["name"] = json!("M");
        let out = default_both(&[o]);
        let fields = &out.indicator("M")["fields"];
        assert_eq!(fields["publications"], case["expected_publications"]);
        for (k, v) in case["expected_dates"].as_object().unwrap() {
            assert_eq!(&fields[k], v);
        }
    }
}

#[test]
fn item_types() {
    for case in cases("get-item-type") {
        let t = case["input"]["type"].as_str().unwrap();
        let out = default_both(&[json!({"type": t, "id": format!("{t}--1"), "name": "X"})]);
        let got = &out.indicator("X")["type"];
        if case.get("deliberate_difference").is_some() {
            // Documented: XSOAR 6.2+ types only, never `STIX ...`.
            assert_eq!(
                case["documented_behaviour"],
                "malware is always \"Malware\"."
            );
            assert_eq!(got, "Malware");
        } else {
            assert_eq!(got, &case["expected"], "{}", case["name"]);
        }
    }
}

#[test]
fn relationships_between_converted_objects() {
    let cases = cases("create-relationship");
    let endpoints = |rel: &Value, names: &Value| -> Vec<Value> {
        let mut objects = Vec::new();
        for (id, name) in names.as_object().unwrap() {
            let t = id.split("--").next().unwrap();
            objects.push(json!({"type": t, "id": id, "name": name}));
        }
        let mut rel = rel.clone();
        rel["type"] = json!("relationship");
        rel["id"] = json!("relationship--1");
        objects.push(rel);
        objects
    };
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let rel = &case["input"]["relationship"];
        let names = &case["input"]["id_to_name"];
        match name {
            "test_create_relationship_list" => {
                let out = default_both(&endpoints(rel, names));
                assert_eq!(
                    out.relationships,
                    case["expected"].as_array().unwrap().clone()
                );
            }
            "test_create_relationship" => {
                let out = default_both(&endpoints(rel, names));
                let r = &out.relationships[0];
                let want = &case["expected"];
                assert_eq!(
                    [
                        &r["name"],
                        &r["reverseName"],
                        &r["type"],
                        &r["entityA"],
                        &r["entityB"]
                    ],
                    [
                        &want["name"],
                        &want["reverse_name"],
                        &want["relation_type"],
                        &want["entity_a"],
                        &want["entity_b"]
                    ]
                );
            }
            "test_create_relationships_invalid" => {
                assert!(case["expected"].is_null());
                let out = default_both(&endpoints(rel, names));
                assert!(out.relationships.is_empty());
                assert_eq!(out.rejects.len(), 1);
            }
            "test_create_relationship_with_unknown_relationship_name" => {
                assert!(case.get("deliberate_difference").is_some());
                // Documented: strict rejects the unknown name; lenient writes it between
                // converted objects with reverse related-to, as the feed does.
                let objects = [
                    json!({"type": "malware", "id": "malware--1", "name": "source_ref"}),
                    json!({"type": "tool", "id": "tool--1", "name": "target_ref"}),
                    json!({"type": "relationship", "id": "relationship--1",
                           "relationship_type": rel["relationship_type"], "source_ref": "malware--1",
                           "target_ref": "tool--1", "description": rel["description"],
                           "modified": rel["modified"], "created": rel["created"]}),
                ];
                let strict = default_both(&objects);
                assert!(strict.relationships.is_empty());
                assert_eq!(strict.rejects[0]["reason"], "unknown-name");
                let lenient = convert_both(
                    &objects,
                    &ConvertOptions {
                        mode: Mode::Lenient,
                        ..ConvertOptions::default()
                    },
                    &["--lenient"],
                );
                let mut want = case["expected"].clone();
                want["entityAType"] = json!("Malware");
                want["entityBType"] = json!("Tool");
                assert_eq!(lenient.relationships, vec![want]);
            }
            other => panic!("a case this test does not know: {other}"),
        }
    }
}
