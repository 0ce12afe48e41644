use relationship_core::prelude::*;

#[derive(Relationships)]
struct Heartbeat;

fn main() {}
