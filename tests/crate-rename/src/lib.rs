//! The derives with `crate = ::xsoar_rt`: the runtime crate renamed in `Cargo.toml`.
//!
//! This crate has no `relationship_core` in scope, so every path the derives emit must go
//! through the `crate = ...` override; it compiles only if they do.
#![forbid(unsafe_code)]

use xsoar_rt::prelude::*;

/// An account, typed by an XSOAR type string.
#[derive(Indicator)]
#[indicator(type = "Account", crate = ::xsoar_rt)]
pub struct User {
    /// The account name.
    #[indicator(value)]
    pub name: String,
}

/// A host, typed by a marker path through the renamed crate.
#[derive(Indicator)]
#[indicator(type = xsoar_rt::xsoar::types::Host, crate = ::xsoar_rt, score = 1)]
pub struct Machine {
    /// The host name.
    #[indicator(value)]
    pub fqdn: String,
    /// Copied into the indicator's fields.
    #[indicator(field = "os")]
    pub os: Option<String>,
}

/// A login: the account uses the host.
#[derive(Relationships)]
#[relationship(crate = ::xsoar_rt)]
pub struct Login {
    /// Who.
    #[relationship(uses = host)]
    pub account: User,
    /// Where.
    pub host: Option<Machine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_runtime_renders_like_the_default() {
        let login = Login {
            account: User {
                name: "u4872".into(),
            },
            host: Some(Machine {
                fqdn: "pc135456.domain.local".into(),
                os: Some("Windows".into()),
            }),
        };
        let rels = login.relationships();
        assert_eq!(rels.len(), 1);
        let json = xsoar_rt::json::to_string(&rels[0].to_indicator(), xsoar_rt::JsonStyle::Python)
            .unwrap();
        assert_eq!(
            json,
            r#"{"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u4872", "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "pc135456.domain.local", "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}"#
        );
        let host = login.indicators().unwrap().remove(1);
        assert_eq!(
            serde_json_string(&host),
            r#"{"value":"pc135456.domain.local","type":"Host","score":1,"rawJSON":{},"fields":{"os":"Windows"}}"#
        );
        // The typed constructor through the renamed prelude.
        let user = &login.account;
        let rel = user.uses(login.host.as_ref().unwrap());
        assert_eq!(rel.entity_b_type(), "Host");
    }

    fn serde_json_string(obj: &IndicatorObject) -> String {
        xsoar_rt::json::to_string(obj, xsoar_rt::JsonStyle::Compact).unwrap()
    }
}
