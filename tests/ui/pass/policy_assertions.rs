// Policy assertions at module level, in a function, for the default and a user schema.
relationship_core::assert_relationship!(Account: uses -> Host);
relationship_core::assert_no_relationship!(Host: uses -> CVE);
relationship_core::assert_relationship!("X509 Certificate": embedded-in -> File);
relationship_core::assert_relationship!(Attack Pattern: subtechnique-of -> Attack Pattern);
relationship_core::assert_relationship!(IPv6CIDR: related-to -> ssdeep);
relationship_core::assert_relationship!(schema = custom_schema_example::hr, Employee: owns -> Host);
relationship_core::assert_no_relationship!(schema = custom_schema_example::hr, Employee: owns -> IP);

fn main() {
    relationship_core::assert_no_relationship!(CVE: uses -> Host);
}
