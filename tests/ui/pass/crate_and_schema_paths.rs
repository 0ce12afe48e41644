use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Attack Pattern", crate = ::relationship_core, schema = ::relationship_core::xsoar)]
struct Technique {
    #[indicator(value)]
    id: String,
}

#[derive(Indicator)]
#[indicator(type = relationship_core::xsoar::types::Malware)]
struct Family {
    #[indicator(value)]
    name: &'static str,
}

#[derive(Relationships)]
#[relationship(crate = ::relationship_core, schema = ::relationship_core::xsoar)]
struct Report {
    #[relationship(uses = technique)]
    family: Family,
    #[relationship(subtechnique_of = parent)]
    technique: Technique,
    parent: Option<Technique>,
}

fn main() {
    let r = Report {
        family: Family { name: "Emotet" },
        technique: Technique { id: "T1059.001".into() },
        parent: Some(Technique { id: "T1059".into() }),
    };
    let names: Vec<&str> = r.relationships().iter().map(|x| x.reverse_name()).map(|s| if s == "used-by" { "u" } else { "p" }).collect();
    assert_eq!(names, ["u", "p"]);
    assert_eq!(r.indicators().unwrap().len(), 3);
}
