// A forbidden triple the schema allows: one error.
relationship_core::assert_no_relationship!("X509 Certificate": embedded-in -> File);

fn main() {}
