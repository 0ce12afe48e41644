// The seed: `u4872` (Account) uses `pc135456.domain.local` (Host), sent to
// createIndicators on the `$$DummyIndicator$$`, byte for byte as XSOAR's Python helper.
use relationship_core::prelude::*;
use relationship_core::{BatchOptions, BatchWriter, JsonStyle};

#[derive(Indicator)]
#[indicator(type = "Account")]
struct User {
    #[indicator(value)]
    name: String,
}

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

fn main() {
    let user = User { name: "u4872".into() };
    let machine = Machine { fqdn: "pc135456.domain.local".into() };
    let rel: EntityRelationship = user.uses(&machine);
    let json = relationship_core::json::to_string(&rel.to_indicator(), JsonStyle::Python).unwrap();
    assert_eq!(
        json,
        r#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u4872", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "pc135456.domain.local", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}"#
    );

    let mut out = Vec::new();
    let mut batches = BatchWriter::new(&mut out, BatchOptions::default(), JsonStyle::Python);
    batches.push_relationship(rel).unwrap();
    batches.finish().unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        concat!(
            r#"[{"value": "$$DummyIndicator$$", "relationships": [{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u4872", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "pc135456.domain.local", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}]}]"#,
            "\n"
        )
    );
}
