//! Derive macros for typed XSOAR indicators and relationships.
