use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Host")]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

#[derive(Indicator)]
#[indicator(type = "CVE")]
struct Vulnerability {
    #[indicator(value)]
    id: String,
}

fn main() {
    let machine = Machine { fqdn: "pc1".into() };
    let cve = Vulnerability { id: "CVE-2021-44228".into() };
    let _ = machine.uses(&cve);
}
