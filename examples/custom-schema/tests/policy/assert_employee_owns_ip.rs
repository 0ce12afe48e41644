// An assertion that contradicts the `hr` schema fails `cargo check`, quoting itself.
relationship_core::assert_relationship!(schema = custom_schema_example::hr, Employee: owns -> IP);

fn main() {}
