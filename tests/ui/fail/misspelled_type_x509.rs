use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "X509Certificate")]
struct Thing {
    #[indicator(value)]
    value: String,
}

fn main() {}
