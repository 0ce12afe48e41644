// A misspelled type: one error with "did you mean".
relationship_core::assert_relationship!(Account: uses -> Hots);

fn main() {}
