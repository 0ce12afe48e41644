// A policy the schema does not satisfy: one error, quoting the assertion, with what the
// schema allows instead.
relationship_core::assert_relationship!(Host: uses -> CVE);

fn main() {}
