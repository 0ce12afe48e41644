use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Domain")]
struct QueriedDomain {
    #[indicator(value)]
    name: String,
}

#[derive(Indicator)]
#[indicator(type = "IP")]
struct Address {
    #[indicator(value)]
    ip: std::net::Ipv4Addr,
}

// A DNS record: the domain resolves to the address, it is not a sub-domain of it.
#[derive(Relationships)]
struct DnsAnswer {
    #[relationship(sub_domain_of = answer)]
    query: Option<QueriedDomain>,
    answer: Address,
}

fn main() {}
