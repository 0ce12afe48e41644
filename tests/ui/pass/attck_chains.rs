// ATT&CK-style chains, each pair as MITRE ATT&CK relates them, rendered as XSOAR does.
use relationship_core::prelude::*;
use relationship_core::xsoar::types::{
    AttackPattern, Campaign, CourseOfAction, Cve, Identity, IntrusionSet, Malware, Tactic, Tool,
};

#[derive(Indicator)]
#[indicator(type = "Attack Pattern", score = 2)]
struct Technique {
    #[indicator(value)]
    id: String,
    #[indicator(field = "mitreid")]
    mitre_id: String,
}

#[derive(Indicator)]
#[indicator(type = relationship_core::xsoar::types::IntrusionSet)]
struct Group {
    #[indicator(value)]
    name: &'static str,
}

// One ATT&CK report: the group uses the malware, which uses a sub-technique; a mitigation
// for the technique; the campaign behind it all.
#[derive(Relationships)]
struct Report {
    #[relationship(uses = malware, uses = technique, targets = victim)]
    group: Group,
    #[relationship(uses = technique, exploits = cve)]
    malware: Entity<Malware>,
    #[relationship(subtechnique_of = parent, part_of = tactic)]
    technique: Technique,
    parent: Option<Technique>,
    tactic: Option<Entity<Tactic>>,
    cve: Option<Entity<Cve>>,
    victim: Option<Entity<Identity>>,
    #[relationship(mitigates = technique)]
    mitigation: Option<Entity<CourseOfAction>>,
    #[relationship(attributed_to = group)]
    campaign: Option<Entity<Campaign>>,
}

fn triple(r: &EntityRelationship) -> String {
    format!(
        "{} {} {} {} {}",
        r.entity_a_type(),
        r.name(),
        r.entity_b_type(),
        r.reverse_name(),
        r.entity_b()
    )
}

fn main() {
    let report = Report {
        group: Group { name: "APT28" },
        malware: Entity::new("X-Agent"),
        technique: Technique { id: "T1059.001".into(), mitre_id: "T1059.001".into() },
        parent: Some(Technique { id: "T1059".into(), mitre_id: "T1059".into() }),
        tactic: Some(Entity::new("Execution")),
        cve: None,
        victim: Some(Entity::new("")),
        mitigation: Some(Entity::new("M1042")),
        campaign: Some(Entity::new("Operation Pawn Storm")),
    };
    let got: Vec<String> = report.relationships().iter().map(triple).collect();
    assert_eq!(
        got,
        [
            "Intrusion Set uses Malware used-by X-Agent",
            "Intrusion Set uses Attack Pattern used-by T1059.001",
            "Malware uses Attack Pattern used-by T1059.001",
            "Attack Pattern subtechnique-of Attack Pattern parent-technique-of T1059",
            "Attack Pattern part-of Tactic contains Execution",
            "Course of Action mitigates Attack Pattern mitigated-by T1059.001",
            "Campaign attributed-to Intrusion Set attributed-by APT28",
        ]
    );
    // `cve` is None and `victim` is empty: no indicator, no relationship.
    let values: Vec<String> = report.indicators().unwrap().into_iter().map(|i| i.value).collect();
    assert_eq!(
        values,
        ["APT28", "X-Agent", "T1059.001", "T1059", "Execution", "M1042", "Operation Pawn Storm"]
    );

    // The same chains with the typed constructors.
    let tool = Entity::<Tool>::new("Mimikatz");
    let technique = Entity::<AttackPattern>::new("T1003");
    let group = Entity::<IntrusionSet>::new("APT28");
    let rels = [
        group.uses(&tool),
        tool.uses(&technique),
        technique.used_by(&group),
        Entity::<CourseOfAction>::new("M1043").mitigates(&technique),
        Entity::<Malware>::new("WannaCry").exploits(&Entity::<Cve>::new("CVE-2017-0144")),
        Entity::<Campaign>::new("C0010").attributed_to(&group),
        group.related_to(&Entity::<Tactic>::new("Credential Access")),
    ];
    let reverse: Vec<&str> = rels.iter().map(|r| r.reverse_name()).collect();
    assert_eq!(
        reverse,
        ["used-by", "used-by", "uses", "mitigated-by", "exploited-by", "attributed-by", "related-to"]
    );
    let json = serde_json::to_string(&rels[3].to_indicator()).unwrap();
    assert_eq!(
        json,
        r#"{"name":"mitigates","reverseName":"mitigated-by","type":"IndicatorToIndicator","entityA":"M1043","entityAFamily":"Indicator","entityAType":"Course of Action","entityB":"T1003","entityBFamily":"Indicator","entityBType":"Attack Pattern","fields":{}}"#
    );
    let obj = serde_json::to_string(&report.technique.to_indicator_object().unwrap()).unwrap();
    assert!(obj.contains(r#""type":"Attack Pattern""#), "{obj}");
    assert!(obj.contains(r#""score":2"#), "{obj}");
    assert!(obj.contains(r#""mitreid":"T1059.001""#), "{obj}");
}
