//! The limits a schema must stay within, so that checking or generating code from any file
//! takes bounded time and memory. Each is far above what XSOAR's own schema needs (30
//! types, 71 relationship names, 1,715 triples, 40 KB).

/// The largest schema file the parser reads, in bytes (8 MiB).
pub const MAX_SCHEMA_BYTES: usize = 8 * 1024 * 1024;

/// The longest type, group, relationship, reverse or schema name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// The most explicit `(source, relationship, target)` triples a schema may expand to. Each
/// triple becomes one trait implementation in generated code, about 225 bytes; 20,000 of them
/// are about 4.5 MB of Rust (XSOAR's schema has 1,715). The parser checks this before expanding each cross product, so a rule
/// such as `@all` to `@all` over thousands of types is refused at once.
pub const MAX_TRIPLES: usize = 20_000;

/// The most types a schema may declare (5,000). Each type becomes a marker type, its
/// documentation and its entries in the generated tables; with [`MAX_RELATIONSHIPS`] and
/// [`MAX_TRIPLES`] this bounds what `schema check`, `generate` and the build script's
/// `Builder` hold (see `docs/limits.md`), and a larger schema is refused, with its line and
/// column, before any code is generated.
pub const MAX_TYPES: usize = 5_000;

/// The most relationship names a schema may declare (5,000); each becomes a marker, a check
/// trait and a method.
pub const MAX_RELATIONSHIPS: usize = 5_000;

/// The most types times relationship names a schema may have (10,000; XSOAR's schema has
/// 30 x 71 = 2,130). Generated code holds one check trait, with its diagnostic, per
/// (relationship, source type), about 700 bytes each, so this bounds the generated module
/// (about 7 MB) and the memory `generate` and `Builder` need to make it (stated in
/// `docs/limits.md`). A schema past it is refused before anything is expanded or generated.
pub const MAX_TYPES_TIMES_RELATIONSHIPS: usize = 10_000;

/// The length, in characters, at which a value quoted in an error message is cut.
pub const MAX_QUOTED_CHARS: usize = 80;
