//! STIX object → XSOAR indicator: the type mapping, the indicator value, the score and the
//! `fields`.
//!
//! The types XSOAR's ATT&CK feed fetches (x-mitre-tactic, attack-pattern, course-of-action,
//! intrusion-set, malware, tool, campaign) are shaped exactly as that feed does. The other
//! types follow XSOAR's TAXII 2 feeds (`STIX2XSOARParser`): threat-actor, infrastructure,
//! report, identity, location, vulnerability (→ `CVE`), the cyber-observable objects of STIX
//! 2.1 and `indicator` objects with a simple pattern.

use relationship_core::{DUMMY_INDICATOR_VALUE, Fields};
use serde_json::{Map, Value};

use crate::ConvertOptions;
use crate::attack;
use crate::pattern;
use crate::report::RejectReason;
use crate::view::{ObjectView, non_empty};

/// XSOAR type names used by the mapping.
pub(crate) mod ty {
    pub const TACTIC: &str = "Tactic";
    pub const ATTACK_PATTERN: &str = "Attack Pattern";
    pub const INTRUSION_SET: &str = "Intrusion Set";
    pub const THREAT_ACTOR: &str = "Threat Actor";
    pub const MALWARE: &str = "Malware";
    pub const TOOL: &str = "Tool";
    pub const CAMPAIGN: &str = "Campaign";
    pub const INFRASTRUCTURE: &str = "Infrastructure";
    pub const REPORT: &str = "Report";
    pub const IDENTITY: &str = "Identity";
    pub const LOCATION: &str = "Location";
    pub const CVE: &str = "CVE";
    pub const IP: &str = "IP";
    pub const IPV6: &str = "IPv6";
    pub const DOMAIN: &str = "Domain";
    pub const ACCOUNT: &str = "Account";
    pub const ASN: &str = "ASN";
    pub const X509: &str = "X509 Certificate";
    pub const FILE: &str = "File";
}

/// What kind of STIX object a `type` names, for the converter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One of the types of XSOAR's ATT&CK feed.
    Feed(&'static str),
    /// Another SDO with an XSOAR type.
    Sdo(&'static str),
    /// A STIX 2.1 cyber-observable object.
    Sco,
    /// An `indicator` SDO: the type comes from its pattern.
    Indicator,
}

/// The kind of a STIX type, `None` when XSOAR has no type for it.
pub(crate) fn kind_of(stix_type: &str, opts: &ConvertOptions) -> Option<Kind> {
    Some(match stix_type {
        "x-mitre-tactic" if !opts.no_tactics => Kind::Feed(ty::TACTIC),
        "attack-pattern" => Kind::Feed(ty::ATTACK_PATTERN),
        "course-of-action" => Kind::Feed("Course of Action"),
        "intrusion-set" if opts.intrusion_set_as_threat_actor => Kind::Feed(ty::THREAT_ACTOR),
        "intrusion-set" => Kind::Feed(ty::INTRUSION_SET),
        "malware" => Kind::Feed(ty::MALWARE),
        "tool" => Kind::Feed(ty::TOOL),
        "campaign" => Kind::Feed(ty::CAMPAIGN),
        "threat-actor" => Kind::Sdo(ty::THREAT_ACTOR),
        "infrastructure" => Kind::Sdo(ty::INFRASTRUCTURE),
        "report" => Kind::Sdo(ty::REPORT),
        "identity" => Kind::Sdo(ty::IDENTITY),
        "location" => Kind::Sdo(ty::LOCATION),
        "vulnerability" => Kind::Sdo(ty::CVE),
        "indicator" => Kind::Indicator,
        t if t == "file" || observable(t).is_some() => Kind::Sco,
        _ => return None,
    })
}

/// The cyber-observable types other than `file`: their XSOAR type and the property that
/// holds the value.
const OBSERVABLES: &[(&str, &str, &str)] = &[
    ("ipv4-addr", ty::IP, "value"),
    ("ipv6-addr", ty::IPV6, "value"),
    ("domain-name", ty::DOMAIN, "value"),
    ("url", "URL", "value"),
    ("email-addr", "Email", "value"),
    ("user-account", ty::ACCOUNT, "user_id"),
    ("windows-registry-key", "Registry Key", "key"),
    ("autonomous-system", ty::ASN, "number"),
    ("mutex", "Mutex", "name"),
    ("software", "Software", "name"),
    ("x509-certificate", ty::X509, "serial_number"),
];

/// The XSOAR type and value property of observable type `stix_type` (not `file`).
fn observable(stix_type: &str) -> Option<(&'static str, &'static str)> {
    OBSERVABLES
        .iter()
        .find(|(t, ..)| *t == stix_type)
        .map(|&(_, xsoar_type, key)| (xsoar_type, key))
}

/// The DBot score of a type: the ATT&CK feed's `INDICATOR_TYPE_TO_SCORE`, then
/// `ThreatIntel.ObjectsScore` for the threat-intel types the feed has no entry for (Threat
/// Actor, Report, Infrastructure), then 0 (`Common.DBotScore.NONE`, what the TAXII feeds
/// give observables, identities, locations and CVEs).
pub(crate) fn score_of(xsoar_type: &str) -> u8 {
    match xsoar_type {
        ty::INTRUSION_SET | ty::MALWARE | ty::CAMPAIGN | ty::THREAT_ACTOR | ty::REPORT => 3,
        ty::ATTACK_PATTERN | ty::TOOL | ty::INFRASTRUCTURE => 2,
        _ => 0,
    }
}

/// Why the value of an indicator may still change once the whole bundle is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Defer {
    No,
    /// A malware whose name may equal an intrusion set's (suffix ` [Malware]`).
    Malware,
    /// A sub-technique, renamed `Parent: Sub` once the parent is known.
    SubTechnique {
        /// Its MITRE ID, e.g. `T1546.004`.
        mitre_id: Option<String>,
    },
    /// An identity that may be the bundle's author only.
    Identity,
    /// A technique (not a sub-technique) whose `part-of` links to its tactics are made when
    /// every tactic of the bundle is known. Its value is final.
    Tactics,
}

/// An object mapped to an indicator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mapped {
    pub value: String,
    pub xsoar_type: &'static str,
    pub score: Option<u8>,
    pub fields: Fields,
    pub defer: Defer,
}

/// A mapping failure: the reason and a message.
pub(crate) type Refusal = (RejectReason, String);

fn str_prop<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn missing(stix_type: &str, what: &str) -> Refusal {
    (
        RejectReason::MissingValue,
        format!("{stix_type} without {what}: no indicator value"),
    )
}

/// Maps one object of a supported kind. `obj` is the whole STIX object, `view` its view.
pub(crate) fn map_object(
    kind: Kind,
    view: &ObjectView<'_>,
    obj: &Map<String, Value>,
    opts: &ConvertOptions,
) -> Result<Mapped, Refusal> {
    let stix_type = &*view.stix_type;
    let mapped = match kind {
        Kind::Feed(xsoar_type) => feed_object(xsoar_type, view, obj, opts),
        Kind::Sdo(xsoar_type) => sdo(xsoar_type, stix_type, obj, opts),
        Kind::Sco => sco(stix_type, obj),
        Kind::Indicator => indicator(obj),
    }?;
    refuse_dummy(stix_type, &mapped.value)?;
    Ok(mapped)
}

/// XSOAR reads an indicator with the dummy's value as the dummy that carries relationships,
/// and creates nothing for it: such a value is refused.
fn refuse_dummy(stix_type: &str, value: &str) -> Result<(), Refusal> {
    if value != DUMMY_INDICATOR_VALUE {
        return Ok(());
    }
    Err((
        RejectReason::MissingValue,
        format!(
            "{stix_type} named `{DUMMY_INDICATOR_VALUE}`: that value is XSOAR's reserved dummy indicator, not an indicator value"
        ),
    ))
}

/// Whether the value of a feed object waits for the end of the bundle: a malware (its name
/// may be an intrusion set's) unless intrusion sets become threat actors, a sub-technique
/// (MITRE ID longer than a technique's, or `x_mitre_is_subtechnique`); and whether a
/// technique waits for the tactics it is linked to ([`Defer::Tactics`]).
fn feed_defer(
    xsoar_type: &str,
    mitre_id: Option<&str>,
    is_subtechnique: bool,
    opts: &ConvertOptions,
) -> Defer {
    match xsoar_type {
        ty::MALWARE if !opts.intrusion_set_as_threat_actor => Defer::Malware,
        ty::ATTACK_PATTERN
            if mitre_id.is_some_and(|id| id.chars().count() > 5) || is_subtechnique =>
        {
            Defer::SubTechnique {
                mitre_id: mitre_id.map(str::to_owned),
            }
        }
        ty::ATTACK_PATTERN if links_to_tactics(xsoar_type, is_subtechnique, opts) => Defer::Tactics,
        _ => Defer::No,
    }
}

/// Whether an indicator gets the feed's `part-of` links to its tactics: an attack pattern
/// whose `x_mitre_is_subtechnique` is falsy, unless tactics are off.
pub(crate) fn links_to_tactics(
    xsoar_type: &str,
    is_subtechnique: bool,
    opts: &ConvertOptions,
) -> bool {
    xsoar_type == ty::ATTACK_PATTERN && !is_subtechnique && !opts.no_tactics
}

/// A feed object mapped without its fields (its value, score and [`Defer`]): `Err` exactly
/// when [`map_object`] refuses it, with the same refusal. An indicator that is deferred can be
/// mapped fully when it is written.
pub(crate) fn feed_head(
    xsoar_type: &'static str,
    view: &ObjectView<'_>,
    opts: &ConvertOptions,
) -> Result<Mapped, Refusal> {
    let stix_type = &*view.stix_type;
    let name = non_empty(&view.name).ok_or_else(|| missing(stix_type, "a `name`"))?;
    // A tactic's value is `<external_id> - <name>` (`TA0005 - Defense Evasion`), the id taken
    // from the FIRST external reference whatever its source, as the feed does.
    let value = match (xsoar_type, view.first_external_id.as_deref()) {
        (ty::TACTIC, Some(id)) => format!("{id} - {name}"),
        (ty::TACTIC, None) => return Err((
            RejectReason::MissingValue,
            "x-mitre-tactic without a string `external_id` in its first external reference: no indicator value (the feed stops there)".to_owned(),
        )),
        _ => name.to_owned(),
    };
    refuse_dummy(stix_type, &value)?;
    let mitre_id = view.mitre_id.as_deref();
    Ok(Mapped {
        value,
        xsoar_type,
        // The feed's `INDICATOR_TYPE_TO_SCORE.get(type)` has no `Threat Actor` (an intrusion
        // set switched to a threat actor): `null`.
        score: (xsoar_type != ty::THREAT_ACTOR).then(|| score_of(xsoar_type)),
        fields: Fields::new(),
        defer: feed_defer(xsoar_type, mitre_id, view.is_subtechnique, opts),
    })
}

/// The ATT&CK feed's shaping (`map_fields_by_type` and `create_indicator`).
fn feed_object(
    xsoar_type: &'static str,
    view: &ObjectView<'_>,
    obj: &Map<String, Value>,
    opts: &ConvertOptions,
) -> Result<Mapped, Refusal> {
    let mut mapped = feed_head(xsoar_type, view, opts)?;
    let mitre_id = view.mitre_id.as_deref();
    let mut tags: Vec<Value> = mitre_id.map(Value::from).into_iter().collect();
    if let (ty::MALWARE | ty::TOOL, Some(Value::Array(labels))) = (xsoar_type, obj.get("labels")) {
        tags.extend(labels.iter().cloned());
    }
    let tlp = attack::tlp(obj);
    let description = obj.get("description").and_then(Value::as_str).unwrap_or("");
    let dates = |key, earliest| attack::normalise_dates(obj.get(key), earliest);
    let mut f = Fields::new();
    f.insert("stixid", prop(obj, "id"));
    f.insert("firstseenbysource", dates("created", true));
    f.insert("modified", dates("modified", false));
    f.insert("publications", attack::publications(obj));
    f.insert("mitreid", mitre_id.map_or(Value::Null, Value::from));
    f.insert("tags", Value::Array(tags));
    f.insert("tlp", Value::from(tlp));
    f.insert(
        "description",
        Value::String(attack::remove_citations(description)),
    );
    match xsoar_type {
        ty::ATTACK_PATTERN => {
            f.insert("killchainphases", attack::kill_chain_phases(obj));
            f.insert("operatingsystemrefs", prop(obj, "x_mitre_platforms"));
        }
        ty::INTRUSION_SET | ty::THREAT_ACTOR | ty::CAMPAIGN => {
            f.insert("aliases", prop(obj, "aliases"));
        }
        ty::MALWARE | ty::TOOL => {
            f.insert("aliases", prop(obj, "x_mitre_aliases"));
            f.insert("operatingsystemrefs", prop(obj, "x_mitre_platforms"));
        }
        _ => {}
    }
    if !tlp.is_empty() {
        f.insert("trafficlightprotocol", Value::from(tlp));
    }
    mapped.fields = f;
    Ok(mapped)
}

/// `set_default_fields` of the TAXII feeds: stixid, firstseenbysource, modified,
/// description, then confidence, languages and trafficlightprotocol when present.
fn default_fields(obj: &Map<String, Value>) -> Fields {
    let mut f = Fields::new();
    f.insert("stixid", text(obj, "id"));
    f.insert("firstseenbysource", text(obj, "created"));
    f.insert("modified", text(obj, "modified"));
    f.insert("description", text(obj, "description"));
    if attack::truthy(obj.get("confidence")) {
        f.insert("confidence", text(obj, "confidence"));
    }
    if attack::truthy(obj.get("lang")) {
        f.insert("languages", text(obj, "lang"));
    }
    let tlp = attack::tlp(obj);
    if !tlp.is_empty() {
        f.insert("trafficlightprotocol", Value::from(tlp));
    }
    f
}

/// `labels` (strings, first occurrence kept) plus `extra`, as a `tags` array.
fn tags(obj: &Map<String, Value>, extra: Option<&str>) -> Value {
    let mut out: Vec<&str> = Vec::new();
    let labels = obj
        .get("labels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for t in labels.filter_map(Value::as_str).chain(extra) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Value::Array(out.into_iter().map(Value::from).collect())
}

/// Property `key`, `null` when absent.
fn prop(obj: &Map<String, Value>, key: &str) -> Value {
    obj.get(key).cloned().unwrap_or(Value::Null)
}

fn list(obj: &Map<String, Value>, key: &str) -> Value {
    obj.get(key)
        .cloned()
        .unwrap_or_else(|| Value::Array(Vec::new()))
}

fn text(obj: &Map<String, Value>, key: &str) -> Value {
    obj.get(key).cloned().unwrap_or_else(|| Value::from(""))
}

/// The CVE id of a vulnerability: its `cve` external reference, else a `name` shaped like one.
fn cve_id(obj: &Map<String, Value>) -> Option<&str> {
    let from_refs = obj
        .get("external_references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|r| r.get("source_name").and_then(Value::as_str) == Some("cve"))
        .and_then(|r| r.get("external_id"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    from_refs
        .or_else(|| str_prop(obj, "name").filter(|n| n.to_ascii_uppercase().starts_with("CVE-")))
}

fn sdo(
    xsoar_type: &'static str,
    stix_type: &str,
    obj: &Map<String, Value>,
    opts: &ConvertOptions,
) -> Result<Mapped, Refusal> {
    let mut f = default_fields(obj);
    let mut extra_tag = None;
    let value = match xsoar_type {
        ty::CVE => {
            let id = cve_id(obj).ok_or_else(|| missing(stix_type, "a `cve` external reference"))?;
            extra_tag = Some(id);
            id
        }
        ty::LOCATION => str_prop(obj, "name")
            .or_else(|| str_prop(obj, "country"))
            .or_else(|| str_prop(obj, "region"))
            .ok_or_else(|| missing(stix_type, "a `name`, `country` or `region`"))?,
        _ => str_prop(obj, "name").ok_or_else(|| missing(stix_type, "a `name`"))?,
    };
    match xsoar_type {
        ty::THREAT_ACTOR => {
            for key in ["aliases", "threat_actor_types", "roles", "goals"] {
                f.insert(key, list(obj, key));
            }
            for key in ["sophistication", "resource_level", "primary_motivation"] {
                f.insert(key, text(obj, key));
            }
            f.insert("secondary_motivations", list(obj, "secondary_motivations"));
        }
        ty::INFRASTRUCTURE => {
            f.insert("infrastructure_types", list(obj, "infrastructure_types"));
            f.insert("aliases", list(obj, "aliases"));
            f.insert("kill_chain_phases", attack::kill_chain_phases(obj));
        }
        ty::REPORT => {
            f.insert("published", prop(obj, "published"));
            f.insert("report_types", list(obj, "report_types"));
        }
        ty::IDENTITY => {
            f.insert("identityclass", text(obj, "identity_class"));
            f.insert("industrysectors", list(obj, "sectors"));
        }
        ty::LOCATION => {
            f.insert("countrycode", text(obj, "country"));
        }
        _ => {}
    }
    f.insert("tags", tags(obj, extra_tag));
    let defer = if xsoar_type == ty::IDENTITY && !opts.creator_identities {
        Defer::Identity
    } else {
        Defer::No
    };
    Ok(Mapped {
        value: value.to_owned(),
        xsoar_type,
        score: Some(score_of(xsoar_type)),
        fields: f,
        defer,
    })
}

/// IPv4/IPv6 values with a prefix length are blocks (CIDR); a domain with `*` is a glob.
fn refine(xsoar_type: &'static str, value: &str) -> &'static str {
    match xsoar_type {
        ty::IP if value.contains('/') => "CIDR",
        ty::IPV6 if value.contains('/') => "IPv6CIDR",
        ty::DOMAIN if value.contains('*') => "DomainGlob",
        t => t,
    }
}

/// The preferred file hash: SHA-256, then SHA-1, then MD5 (keys compared without case).
fn file_hash(hashes: &Map<String, Value>) -> Option<&str> {
    ["SHA-256", "SHA-1", "MD5"].iter().find_map(|want| {
        hashes
            .iter()
            .find(|(k, _)| {
                k.replace('-', "")
                    .eq_ignore_ascii_case(&want.replace('-', ""))
            })
            .and_then(|(_, v)| v.as_str())
            .filter(|s| !s.is_empty())
    })
}

fn sco(stix_type: &str, obj: &Map<String, Value>) -> Result<Mapped, Refusal> {
    let mut f = default_fields(obj);
    let (xsoar_type, value): (&'static str, String) = match stix_type {
        "file" => {
            let hashes = obj.get("hashes").and_then(Value::as_object);
            let hash = hashes
                .and_then(file_hash)
                .ok_or_else(|| missing(stix_type, "a SHA-256, SHA-1 or MD5 hash"))?;
            let h = |k: &str| hashes.map_or(Value::Null, |m| prop(m, k));
            f.insert("associatedfilenames", prop(obj, "name"));
            f.insert("size", prop(obj, "size"));
            f.insert("md5", h("MD5"));
            f.insert("sha1", h("SHA-1"));
            f.insert("sha256", h("SHA-256"));
            (ty::FILE, hash.to_owned())
        }
        "autonomous-system" => {
            let number = match obj.get("number") {
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                _ => return Err(missing(stix_type, "a `number`")),
            };
            f.insert("name", prop(obj, "name"));
            (ty::ASN, number)
        }
        _ => {
            let (t, key) = observable(stix_type).unwrap_or((ty::X509, "serial_number"));
            let v = str_prop(obj, key)
                .or_else(|| str_prop(obj, "account_login").filter(|_| stix_type == "user-account"))
                .ok_or_else(|| missing(stix_type, &format!("a `{key}`")))?;
            if stix_type == "user-account" {
                f.insert("displayname", prop(obj, "display_name"));
                f.insert("accounttype", prop(obj, "account_type"));
            }
            (refine(t, v), v.to_owned())
        }
    };
    f.insert("tags", tags(obj, None));
    Ok(Mapped {
        value,
        xsoar_type,
        score: Some(score_of(xsoar_type)),
        fields: f,
        defer: Defer::No,
    })
}

fn indicator(obj: &Map<String, Value>) -> Result<Mapped, Refusal> {
    let refuse = |msg: String| (RejectReason::UnsupportedPattern, msg);
    if let Some(pt) = obj
        .get("pattern_type")
        .filter(|pt| pt.as_str() != Some("stix"))
    {
        return Err(refuse(format!("pattern_type {pt} is not `stix`")));
    }
    let Some(text) = obj.get("pattern").and_then(Value::as_str) else {
        return Err(refuse("indicator without a string `pattern`".into()));
    };
    let p = pattern::parse_simple(text).map_err(|e| {
        refuse(format!(
            "pattern `{text}` is not one `[type:property = 'value']` comparison: {}",
            e.0
        ))
    })?;
    let base = match (p.object_type.as_str(), p.path.as_str()) {
        ("user-account", "account_login") => Some(ty::ACCOUNT),
        ("file", path) => path.starts_with("hashes.").then_some(ty::FILE),
        (t, path) => observable(t)
            .filter(|(_, key)| *key == path)
            .map(|(x, _)| x),
    };
    let Some(base) = base else {
        let (t, path) = (&p.object_type, &p.path);
        return Err(refuse(format!(
            "pattern `{text}` compares `{t}:{path}`, which names no XSOAR indicator type"
        )));
    };
    if p.value.is_empty() {
        return Err(missing("indicator", "a non-empty pattern value"));
    }
    let mut f = default_fields(obj);
    f.insert("tags", tags(obj, None));
    Ok(Mapped {
        xsoar_type: refine(base, &p.value),
        value: p.value,
        score: Some(0),
        fields: f,
        defer: Defer::No,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Result<Mapped, Refusal> {
        map_with(v, &ConvertOptions::default())
    }

    fn map_with(v: Value, opts: &ConvertOptions) -> Result<Mapped, Refusal> {
        let obj = v.as_object().unwrap();
        let t = obj["type"].as_str().unwrap();
        let kind = kind_of(t, opts).unwrap();
        map_object(kind, &ObjectView::of_map(obj), obj, opts)
    }

    #[test]
    fn feed_fields_in_the_feeds_order() {
        let m = map(json!({
            "type": "malware", "id": "malware--1", "name": "X", "labels": ["malware"],
            "created": "2017-05-31T21:32:55.126Z", "modified": "2020-01-01T00:00:00.000Z",
            "description": "Bad.(Citation: Y)", "x_mitre_aliases": ["X"], "x_mitre_platforms": ["Windows"],
            "external_references": [{"source_name": "mitre-attack", "external_id": "S0001"}]
        }))
        .unwrap();
        assert_eq!(
            (m.value.as_str(), m.xsoar_type, m.score, &m.defer),
            ("X", "Malware", Some(3), &Defer::Malware)
        );
        assert_eq!(
            serde_json::to_string(&m.fields).unwrap(),
            r#"{"stixid":"malware--1","firstseenbysource":"2017-05-31T21:32:55.126Z","modified":"2020-01-01T00:00:00.000Z","publications":[],"mitreid":"S0001","tags":["S0001","malware"],"tlp":"","description":"Bad.","aliases":["X"],"operatingsystemrefs":["Windows"]}"#
        );
    }

    #[test]
    fn sub_techniques_and_threat_actor_switch() {
        let m = map(json!({"type": "attack-pattern", "id": "a", "name": "Sub",
            "external_references": [{"source_name": "mitre-attack", "external_id": "T1001.002"}]}))
        .unwrap();
        assert_eq!(
            m.defer,
            Defer::SubTechnique {
                mitre_id: Some("T1001.002".into())
            }
        );
        let opts = ConvertOptions {
            intrusion_set_as_threat_actor: true,
            ..ConvertOptions::default()
        };
        let m = map_with(
            json!({"type": "intrusion-set", "id": "i", "name": "G", "aliases": ["G"],
            "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]}),
            &opts,
        )
        .unwrap();
        // the feed's score table has no Threat Actor: null
        assert_eq!((m.xsoar_type, m.score), ("Threat Actor", None));
        let keys: Vec<&str> = m.fields.keys().collect();
        assert_eq!(
            keys,
            [
                "stixid",
                "firstseenbysource",
                "modified",
                "publications",
                "mitreid",
                "tags",
                "tlp",
                "description",
                "aliases",
                "trafficlightprotocol"
            ]
        );
        assert_eq!(
            m.fields
                .get("trafficlightprotocol")
                .and_then(|v| v.as_str())
                .as_deref(),
            Some("AMBER")
        );
        let m = map_with(json!({"type": "malware", "id": "m", "name": "G"}), &opts).unwrap();
        assert_eq!(m.defer, Defer::No);
    }

    #[test]
    fn tactics_and_technique_links() {
        let m = map(json!({"type": "x-mitre-tactic", "id": "x-mitre-tactic--1",
            "name": "Defense Evasion", "description": "D.(Citation: X)",
            "external_references": [{"external_id": "TA0005", "source_name": "mitre-attack"}]}))
        .unwrap();
        assert_eq!(
            (m.value.as_str(), m.xsoar_type, m.score, &m.defer),
            ("TA0005 - Defense Evasion", "Tactic", Some(0), &Defer::No)
        );
        assert_eq!(
            serde_json::to_string(&m.fields).unwrap(),
            r#"{"stixid":"x-mitre-tactic--1","firstseenbysource":null,"modified":null,"publications":[],"mitreid":"TA0005","tags":["TA0005"],"tlp":"","description":"D."}"#
        );
        // the first reference, whatever its source
        let m = map(json!({"type": "x-mitre-tactic", "id": "t", "name": "N",
            "external_references": [{"external_id": "X1", "source_name": "other"},
                                    {"external_id": "TA0001", "source_name": "mitre-attack"}]}))
        .unwrap();
        assert_eq!(m.value, "X1 - N");
        for bad in [
            json!({"type": "x-mitre-tactic", "id": "t", "name": "N"}),
            json!({"type": "x-mitre-tactic", "id": "t", "name": "N",
                   "external_references": [{"source_name": "mitre-attack"}]}),
        ] {
            assert_eq!(map(bad).unwrap_err().0, RejectReason::MissingValue);
        }
        let no_tactics = ConvertOptions {
            no_tactics: true,
            ..ConvertOptions::default()
        };
        assert_eq!(kind_of("x-mitre-tactic", &no_tactics), None);
        let m = map(json!({"type": "attack-pattern", "id": "a", "name": "T"})).unwrap();
        assert_eq!(m.defer, Defer::Tactics);
        let m = map_with(
            json!({"type": "attack-pattern", "id": "a", "name": "T"}),
            &no_tactics,
        )
        .unwrap();
        assert_eq!(m.defer, Defer::No);
        // a sub-technique by flag only: no links, and it waits for its parent
        let m = map(json!({"type": "attack-pattern", "id": "a", "name": "T",
            "x_mitre_is_subtechnique": true}))
        .unwrap();
        assert_eq!(m.defer, Defer::SubTechnique { mitre_id: None });
        assert!(!links_to_tactics(
            "Attack Pattern",
            true,
            &ConvertOptions::default()
        ));
        assert!(links_to_tactics(
            "Attack Pattern",
            false,
            &ConvertOptions::default()
        ));
    }

    #[test]
    fn observables_and_values() {
        let v = |o: Value| map(o).map(|m| (m.xsoar_type, m.value));
        assert_eq!(
            v(json!({"type": "ipv4-addr", "id": "x", "value": "198.51.100.0/24"})).unwrap(),
            ("CIDR", "198.51.100.0/24".into())
        );
        assert_eq!(
            v(json!({"type": "ipv6-addr", "id": "x", "value": "2001:db8::1"})).unwrap(),
            ("IPv6", "2001:db8::1".into())
        );
        assert_eq!(
            v(json!({"type": "domain-name", "id": "x", "value": "*.example.com"})).unwrap(),
            ("DomainGlob", "*.example.com".into())
        );
        assert_eq!(
            v(json!({"type": "autonomous-system", "id": "x", "number": 15169})).unwrap(),
            ("ASN", "15169".into())
        );
        assert_eq!(
            v(json!({"type": "file", "id": "x", "hashes": {"MD5": "m", "SHA-1": "s1"}})).unwrap(),
            ("File", "s1".into())
        );
        assert_eq!(
            v(json!({"type": "user-account", "id": "x", "account_login": "root"})).unwrap(),
            ("Account", "root".into())
        );
        assert_eq!(
            v(json!({"type": "vulnerability", "id": "x", "name": "Foo",
            "external_references": [{"source_name": "cve", "external_id": "CVE-2020-0001"}]}))
            .unwrap(),
            ("CVE", "CVE-2020-0001".into())
        );
        assert_eq!(
            v(json!({"type": "location", "id": "x", "country": "FR"})).unwrap(),
            ("Location", "FR".into())
        );
        assert_eq!(
            v(
                json!({"type": "indicator", "id": "x", "pattern_type": "stix",
            "pattern": "[file:hashes.'SHA-256' = 'abc']"})
            )
            .unwrap(),
            ("File", "abc".into())
        );
        for bad in [
            json!({"type": "file", "id": "x", "name": "a.exe"}),
            json!({"type": "vulnerability", "id": "x", "name": "Foo"}),
            json!({"type": "malware", "id": "x", "name": ""}),
            json!({"type": "url", "id": "x", "value": 5}),
        ] {
            assert_eq!(map(bad).unwrap_err().0, RejectReason::MissingValue);
        }
        for bad in [
            json!({"type": "indicator", "id": "x", "pattern_type": "yara", "pattern": "rule x {}"}),
            json!({"type": "indicator", "id": "x", "pattern": "[process:name = 'x']"}),
            json!({"type": "indicator", "id": "x", "pattern": "[url:value = 'a'] OR [url:value = 'b']"}),
            json!({"type": "indicator", "id": "x"}),
        ] {
            assert_eq!(map(bad).unwrap_err().0, RejectReason::UnsupportedPattern);
        }
    }

    #[test]
    fn scores() {
        assert_eq!(
            [
                "Attack Pattern",
                "Course of Action",
                "Intrusion Set",
                "Malware",
                "Tool",
                "Campaign",
                "Threat Actor",
                "Report",
                "Infrastructure",
                "IP"
            ]
            .map(score_of),
            [2, 0, 3, 3, 2, 3, 3, 3, 2, 0]
        );
    }
}
