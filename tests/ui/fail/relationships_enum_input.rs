use relationship_core::prelude::*;

#[derive(Relationships)]
enum Event {
    Login(String),
}

fn main() {}
