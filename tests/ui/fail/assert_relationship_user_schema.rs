// A policy of a user schema: an employee may not own an IP address in `hr`.
relationship_core::assert_relationship!(schema = custom_schema_example::hr, Employee: owns -> IP);

fn main() {}
