use relationship_core::prelude::*;

#[derive(Relationships)]
union Event {
    id: u64,
    port: u16,
}

fn main() {}
