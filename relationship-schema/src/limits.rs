//! The limits a schema must stay within, so that checking or generating code from any file
//! takes bounded time and memory. Each is far above what XSOAR's own schema needs (30
//! types, 71 relationship names, 1,715 triples, 40 KB).

/// The largest schema file the parser reads, in bytes (8 MiB).
pub const MAX_SCHEMA_BYTES: usize = 8 * 1024 * 1024;

/// The longest type, group, relationship, reverse or schema name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// The most explicit `(source, relationship, target)` triples a schema may expand to. Each
/// triple becomes one trait implementation in generated code; 100,000 of them are about
/// 10 MB of Rust. The parser checks this before expanding each cross product, so a rule
/// such as `@all` to `@all` over thousands of types is refused at once.
pub const MAX_TRIPLES: usize = 100_000;

/// The length, in characters, at which a value quoted in an error message is cut.
pub const MAX_QUOTED_CHARS: usize = 80;
