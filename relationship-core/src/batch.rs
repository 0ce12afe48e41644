//! `createIndicators` batches: indicators and relationships split into chunks, streamed to
//! any [`io::Write`].
//!
//! See [`BatchWriter`] for the exact algorithm and [`write_batches`] for the one-call form.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Write};

use xxhash_rust::xxh3::{xxh3_64, xxh3_128, xxh3_128_with_seed};

use crate::fields::RawFields;
use crate::indicator::IndicatorObject;
use crate::json::JsonStyle;
use crate::json::indicator::write_indicator_object;
use crate::json::relationship::write_relationship;
use crate::relationship::EntityRelationship;

mod seen;
use seen::SeenSet;

pub use crate::limits::DEFAULT_BATCH_SIZE;

/// Where a relationship goes in a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Placement {
    /// On a `$$DummyIndicator$$` pseudo-indicator (the seed's and most feeds' pattern).
    #[default]
    Dummy,
    /// On its source indicator when that indicator is in the chunk being built; on a dummy
    /// otherwise.
    Attach,
}

/// How [`BatchWriter`] splits and filters its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOptions {
    /// The most items (indicators plus the dummy) per chunk, and the most relationships per
    /// dummy. Default 2000; 0 is treated as 1.
    pub batch_size: usize,
    /// Where relationships go. Default [`Placement::Dummy`].
    pub placement: Placement,
    /// Whether identical relationships are written once. Default `true`.
    pub dedup: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            batch_size: DEFAULT_BATCH_SIZE,
            placement: Placement::Dummy,
            dedup: true,
        }
    }
}

/// What a [`BatchWriter`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BatchStats {
    /// Chunks (lines) written.
    pub chunks: u64,
    /// Real indicators written (dummies not counted).
    pub indicators: u64,
    /// Relationships written, on dummies or attached to indicators (duplicates not counted).
    pub relationships: u64,
    /// Relationships dropped because an identical one had already been written.
    pub duplicates_dropped: u64,
    /// Dummy indicators written.
    pub dummies: u64,
}

/// A [`Hasher`] for keys that already are 128-bit hashes: it keeps their low 64 bits.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

type HashBuilder = BuildHasherDefault<PassThrough>;

/// Rendered relationships of one dummy: `to_indicator` renderings joined by the style's
/// separator.
#[derive(Debug, Default)]
struct DummyBuf {
    bytes: Vec<u8>,
    count: usize,
}

impl DummyBuf {
    fn append(&mut self, rendered: &[u8], separator: &[u8]) {
        if self.count > 0 {
            self.bytes.extend_from_slice(separator);
        }
        self.bytes.extend_from_slice(rendered);
        self.count += 1;
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.count = 0;
    }
}

/// Streams `createIndicators` batches to `out`: one JSON array (one batch) per line.
///
/// # Algorithm
///
/// Let `N` be [`BatchOptions::batch_size`]. The writer holds one open *chunk* (indicators
/// not yet written, plus at most one *sealed* dummy) and one *pending* dummy (relationships
/// not yet placed in a chunk).
///
/// * [`push_indicator`](Self::push_indicator): if the open chunk holds `N` items, it is
///   written first. The indicator joins the chunk. Relationships already on it stay on it
///   (after deduplication); a pushed dummy indicator is not kept, its relationships are
///   pushed one by one instead.
/// * [`push_relationship`](Self::push_relationship): the relationship is rendered with
///   [`EntityRelationship::to_indicator`]; when deduplication is on, the 128-bit xxh3 hash of
///   those bytes is looked up in the set of everything written or placed so far, and a
///   repeat is dropped. With [`Placement::Attach`], a relationship whose `(entity_a,
///   entity_a_type)` equals the `(value, type)` of an indicator in the open chunk (the first
///   one, if several match) is attached to that indicator. Otherwise it is appended to the
///   pending dummy. When the pending dummy reaches `N` relationships it is *sealed*: if the
///   open chunk already has a sealed dummy or holds `N` items, the chunk is written first;
///   the dummy then becomes the open chunk's dummy (one item).
/// * [`finish`](Self::finish): a non-empty pending dummy is sealed as above, the open chunk
///   is written if non-empty, and `out` is flushed.
///
/// A chunk is written as `[indicators in push order…, its dummy (if any)]` followed by `\n`.
///
/// Consequences: a chunk holds at most `N` items and at most one dummy; a dummy carries at
/// most `N` relationships (a larger set is spread over several dummies, one per chunk);
/// every relationship pushed lands in exactly one chunk, or is counted in
/// [`BatchStats::duplicates_dropped`]; the output depends only on the sequence of pushes.
/// When all relationships are pushed after all indicators and there are at most `N` of them,
/// the bytes equal those of the common Python feed pattern, `batch(indicators + [dummy],
/// 2000)`.
///
/// # Memory
///
/// The open chunk (at most `N` indicators with their attached relationships), two dummies
/// of at most `N` rendered relationships each, the output buffer of one chunk, and, with
/// deduplication, the 128-bit hash of every distinct relationship: about 20 bytes each at
/// peak (16 for the hash, the rest spare capacity and allocations; measured 19–20 bytes at 1
/// and 10 million). The feed as a whole is never held.
///
/// Output is built in a buffer per chunk and handed to `out` with at most three
/// `write_all` calls, so an unbuffered `out` costs a few write calls per chunk. Call [`finish`](Self::finish): dropping
/// the writer discards the open chunk. After an I/O error the writer's state is
/// unspecified; drop it.
///
/// ```
/// use relationship_core::batch::{BatchOptions, BatchWriter};
/// use relationship_core::json::JsonStyle;
/// use relationship_core::{EntityRelationship, IndicatorObject};
///
/// let mut out = Vec::new();
/// let mut w = BatchWriter::new(&mut out, BatchOptions::default(), JsonStyle::Python);
/// w.push_indicator(IndicatorObject::new("u4872", "Account"))?;
/// let rel = EntityRelationship::new("uses", "used-by", "u4872", "Account", "pc135456.domain.local", "Host");
/// w.push_relationship(rel.clone())?;
/// w.push_relationship(rel)?; // identical: written once
/// let stats = w.finish()?;
/// assert_eq!((stats.chunks, stats.relationships, stats.duplicates_dropped), (1, 1, 1));
///
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with(r#"[{"value": "u4872", "type": "Account", "rawJSON": {}, "fields": {}}, {"value": "$$DummyIndicator$$", "relationships": [{"name": "uses", "#));
/// assert!(text.ends_with("}]}]\n"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct BatchWriter<W: Write> {
    out: W,
    style: JsonStyle,
    size: usize,
    placement: Placement,
    dedup: bool,
    seen: SeenSet,
    max_bytes: usize,
    /// Rendered bytes of `entries`, separators included.
    entry_bytes: usize,
    entries: Vec<IndicatorObject>,
    index: HashMap<u128, usize, HashBuilder>,
    sealed: DummyBuf,
    pending: DummyBuf,
    scratch: Vec<u8>,
    out_buf: Vec<u8>,
    dummy_prefix: Vec<u8>,
    stats: BatchStats,
    lenient_entities: bool,
}

/// Appends `rel.to_indicator()` rendered in `style` to `out` and returns the hash a
/// [`BatchWriter`] de-duplicates it by, for
/// [`BatchWriter::push_rendered_relationship`]: rendering can then happen on other threads.
///
/// # Errors
///
/// As [`IndicatorRendering::write_json`](crate::IndicatorRendering::write_json).
pub fn render_relationship(
    out: &mut Vec<u8>,
    rel: &EntityRelationship,
    style: JsonStyle,
) -> io::Result<u128> {
    render_relationship_with(out, rel, None, style)
}

/// Like [`render_relationship`], with the relationship's `fields` given as an object read as
/// [`RawFields`] (`rel`'s own fields are then not written): the bytes are those for `rel` with
/// the fields serde_json reads from the same text.
///
/// # Errors
///
/// As [`render_relationship`], and [`io::ErrorKind::InvalidData`] when a value of `fields` is
/// an object or array, or a string serde_json refuses; `out` is then left as it was.
pub fn render_relationship_with(
    out: &mut Vec<u8>,
    rel: &EntityRelationship,
    fields: Option<&RawFields<'_>>,
    style: JsonStyle,
) -> io::Result<u128> {
    let start = out.len();
    match write_relationship(out, rel, fields, style) {
        Ok(()) => Ok(xxh3_128(&out[start..])),
        Err(e) => {
            out.truncate(start);
            Err(e)
        }
    }
}

/// The hash identifying an indicator by value and type.
fn indicator_key(value: &str, ty: &str) -> u128 {
    xxh3_128_with_seed(ty.as_bytes(), xxh3_64(value.as_bytes()))
}

impl<W: Write> BatchWriter<W> {
    /// A writer with `options`, writing JSON in `style` to `out`.
    pub fn new(out: W, options: BatchOptions, style: JsonStyle) -> Self {
        // `{"value": "$$DummyIndicator$$", "relationships": [` in `style`.
        let mut dummy_prefix = Vec::new();
        let empty = IndicatorObject::dummy(Vec::new());
        if write_indicator_object(&mut dummy_prefix, &empty, style).is_ok() {
            dummy_prefix.truncate(dummy_prefix.len().saturating_sub(2));
        }
        BatchWriter {
            out,
            style,
            size: options.batch_size.max(1),
            placement: options.placement,
            dedup: options.dedup,
            seen: SeenSet::new(),
            max_bytes: crate::limits::DEFAULT_MAX_BATCH_BYTES,
            entry_bytes: 0,
            entries: Vec::new(),
            index: HashMap::default(),
            sealed: DummyBuf::default(),
            pending: DummyBuf::default(),
            scratch: Vec::with_capacity(512),
            out_buf: Vec::new(),
            dummy_prefix,
            stats: BatchStats::default(),
            lenient_entities: false,
        }
    }

    /// Lets relationships with an empty entity, or `$$DummyIndicator$$` as an entity, through
    /// as XSOAR's own `EntityRelationship` does (an empty entity B renders as `{}`): what
    /// `xsoar-rel batch --lenient` writes. By default such a relationship is refused, as
    /// strict `batch` refuses the record, so that a typed value left empty (an `Option`
    /// holding `None`, an empty `String`) is an error, not a relationship XSOAR drops.
    #[must_use]
    pub fn with_lenient_entities(mut self) -> Self {
        self.lenient_entities = true;
        self
    }

    /// The strict entity checks ([`EntityRelationship::check_entities`]) unless
    /// [`with_lenient_entities`](Self::with_lenient_entities) was set; the error is
    /// [`io::ErrorKind::InvalidInput`] holding the [`CheckError`](crate::check::CheckError).
    fn check_entities(&self, rel: &EntityRelationship) -> io::Result<()> {
        if self.lenient_entities {
            return Ok(());
        }
        rel.check_entities()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    }

    /// Sets the byte cap of a chunk (default
    /// [`DEFAULT_MAX_BATCH_BYTES`](crate::limits::DEFAULT_MAX_BATCH_BYTES)): a chunk is
    /// written, and a dummy sealed, before an item would take its line past `max_bytes`
    /// (its `\n` included), so no line is longer unless one item alone is. Every
    /// relationship still lands in exactly one chunk; with [`Placement::Attach`], one that
    /// would take the chunk past the cap goes on the dummy instead. 0 is treated as 1.
    #[must_use]
    pub fn with_max_batch_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes.max(1);
        self
    }

    /// The bytes the open chunk's line would take now with `dummy` as its sealed dummy.
    fn chunk_bytes(&self, dummy: &DummyBuf) -> usize {
        let mut n = 3 + self.entry_bytes; // `[`, `]`, `\n`
        if dummy.count > 0 {
            if !self.entries.is_empty() {
                n += self.style.comma().len();
            }
            n += self.dummy_prefix.len() + dummy.bytes.len() + 2;
        }
        n
    }

    /// The counts so far (chunks and dummies count only what has been written).
    pub fn stats(&self) -> BatchStats {
        self.stats
    }

    fn chunk_items(&self) -> usize {
        self.entries.len() + usize::from(self.sealed.count > 0)
    }

    /// Renders `rel` into `scratch`; with deduplication on, returns `false` for a repeat.
    fn render_and_admit(&mut self, rel: &EntityRelationship) -> io::Result<bool> {
        self.scratch.clear();
        write_relationship(&mut self.scratch, rel, None, self.style)?;
        Ok(self.admit(xxh3_128(&self.scratch)))
    }

    /// With deduplication on, `false` (and one more duplicate dropped) for a repeat of `hash`.
    fn admit(&mut self, hash: u128) -> bool {
        let repeat = self.dedup && !self.seen.insert(hash);
        self.stats.duplicates_dropped += u64::from(repeat);
        !repeat
    }

    /// Adds an indicator to the open chunk, writing the chunk first if it is full.
    pub fn push_indicator(&mut self, indicator: IndicatorObject) -> io::Result<()> {
        self.push_indicator_with(indicator, self.dedup)
    }

    /// Like [`push_indicator`](Self::push_indicator), but the indicator's own
    /// `relationships` are written as they are: none is dropped as a repeat, and none counts
    /// as seen for later de-duplication. This is how a feed that builds a list on the
    /// indicator (XSOAR's MITRE ATT&CK feed, a technique's links to its tactics) sends it. A
    /// dummy indicator is pushed as by `push_indicator`.
    pub fn push_indicator_keeping_relationships(
        &mut self,
        indicator: IndicatorObject,
    ) -> io::Result<()> {
        if indicator.is_dummy() {
            return self.push_indicator(indicator);
        }
        self.push_indicator_with(indicator, false)
    }

    fn push_indicator_with(
        &mut self,
        mut indicator: IndicatorObject,
        dedup: bool,
    ) -> io::Result<()> {
        if indicator.is_dummy() {
            for rel in std::mem::take(&mut indicator.relationships) {
                self.push_relationship(rel)?;
            }
            return Ok(());
        }
        for rel in &indicator.relationships {
            self.check_entities(rel)?;
        }
        if dedup && !indicator.relationships.is_empty() {
            let rels = std::mem::take(&mut indicator.relationships);
            for rel in rels {
                if self.render_and_admit(&rel)? {
                    indicator.relationships.push(rel);
                }
            }
        }
        self.scratch.clear();
        write_indicator_object(&mut self.scratch, &indicator, self.style)?;
        let bytes = self.scratch.len() + self.style.comma().len();
        if self.chunk_items() >= self.size
            || (self.chunk_items() > 0
                && self.chunk_bytes(&self.sealed).saturating_add(bytes) > self.max_bytes)
        {
            self.flush_chunk()?;
        }
        self.entry_bytes += bytes;
        self.stats.relationships += indicator.relationships.len() as u64;
        if self.placement == Placement::Attach {
            let key = indicator_key(&indicator.value, &indicator.indicator_type);
            self.index.entry(key).or_insert(self.entries.len());
        }
        self.entries.push(indicator);
        Ok(())
    }

    /// Adds a relationship: dropped if a repeat, attached to its source indicator
    /// ([`Placement::Attach`], source in the open chunk), else put on the pending dummy.
    ///
    /// # Errors
    ///
    /// An I/O error writing a full chunk; [`io::ErrorKind::InvalidInput`] holding a
    /// [`CheckError`](crate::check::CheckError) for a relationship whose entity is empty or
    /// `$$DummyIndicator$$` (unless [`with_lenient_entities`](Self::with_lenient_entities)):
    ///
    /// ```
    /// use relationship_core::batch::{BatchOptions, BatchWriter};
    /// use relationship_core::check::CheckError;
    /// use relationship_core::json::JsonStyle;
    /// use relationship_core::prelude::*;
    /// use relationship_core::xsoar::types::{Account, Host};
    ///
    /// let rel = Entity::<Account>::new("u1").uses(&Entity::<Host>::new(""));
    /// let mut batches = BatchWriter::new(Vec::new(), BatchOptions::default(), JsonStyle::Compact);
    /// let err = batches.push_relationship(rel).unwrap_err();
    /// let cause = err.get_ref().and_then(|e| e.downcast_ref::<CheckError>());
    /// assert!(matches!(cause, Some(CheckError::EmptyEntityB { .. })));
    /// ```
    pub fn push_relationship(&mut self, relationship: EntityRelationship) -> io::Result<()> {
        self.check_entities(&relationship)?;
        if !self.render_and_admit(&relationship)? {
            return Ok(());
        }
        self.stats.relationships += 1;
        if self.placement == Placement::Attach && !self.entries.is_empty() {
            let key = indicator_key(relationship.entity_a(), relationship.entity_a_type());
            // An attached relationship adds its rendering and a separator (and, on the
            // indicator's first, the `relationships` key: 20 bytes cover it).
            let added = self.scratch.len() + self.style.comma().len() + 20;
            let fits = self.chunk_bytes(&self.sealed).saturating_add(added) <= self.max_bytes;
            let owner = self
                .index
                .get(&key)
                .and_then(|&i| self.entries.get_mut(i))
                .filter(|owner| {
                    owner.value == relationship.entity_a()
                        && owner.indicator_type == relationship.entity_a_type()
                });
            if let Some(owner) = owner.filter(|_| fits) {
                owner.relationships.push(relationship);
                self.entry_bytes += added;
                return Ok(());
            }
        }
        let rendered = std::mem::take(&mut self.scratch);
        let pushed = self.add_pending(&rendered);
        self.scratch = rendered;
        pushed
    }

    /// Puts a rendered relationship on the pending dummy, sealing the dummy first if the
    /// relationship would take it past the byte cap, and after, when it is full.
    fn add_pending(&mut self, rendered: &[u8]) -> io::Result<()> {
        if self.pending.count > 0 {
            let grown = self.pending.bytes.len() + self.style.comma().len() + rendered.len();
            // The dummy alone in a chunk: `[` + prefix + relationships + `]}` + `]\n`.
            if 3 + self.dummy_prefix.len() + grown + 2 > self.max_bytes {
                self.seal()?;
            }
        }
        self.pending.append(rendered, self.style.comma());
        if self.pending.count >= self.size {
            self.seal()?;
        }
        Ok(())
    }

    /// Adds a relationship rendered ahead, perhaps on another thread, with
    /// [`render_relationship`] in this writer's style: `rendered` are the bytes it wrote and
    /// `hash` the hash it returned. It is dropped if a repeat, else put on the pending dummy,
    /// exactly as [`push_relationship`](Self::push_relationship) does with
    /// [`Placement::Dummy`]. It is never attached to an indicator: with
    /// [`Placement::Attach`], push the relationship itself.
    pub fn push_rendered_relationship(&mut self, rendered: &[u8], hash: u128) -> io::Result<()> {
        if !self.admit(hash) {
            return Ok(());
        }
        self.stats.relationships += 1;
        self.add_pending(rendered)
    }

    /// Moves the pending dummy into the open chunk, writing the chunk first if it already
    /// has a dummy or is full.
    fn seal(&mut self) -> io::Result<()> {
        if self.sealed.count > 0
            || self.chunk_items() >= self.size
            || (self.chunk_items() > 0 && self.chunk_bytes(&self.pending) > self.max_bytes)
        {
            self.flush_chunk()?;
        }
        std::mem::swap(&mut self.sealed, &mut self.pending);
        self.pending.clear();
        Ok(())
    }

    /// Writes the open chunk as one line, if it has any item.
    fn flush_chunk(&mut self) -> io::Result<()> {
        if self.chunk_items() == 0 {
            return Ok(());
        }
        let buf = &mut self.out_buf;
        buf.clear();
        buf.push(b'[');
        for (i, indicator) in self.entries.iter().enumerate() {
            if i > 0 {
                buf.extend_from_slice(self.style.comma());
            }
            write_indicator_object(buf, indicator, self.style)?;
        }
        if self.sealed.count > 0 {
            if !self.entries.is_empty() {
                buf.extend_from_slice(self.style.comma());
            }
            buf.extend_from_slice(&self.dummy_prefix);
            // The dummy's rendered relationships go out as they are, without a copy.
            self.out.write_all(buf)?;
            self.out.write_all(&self.sealed.bytes)?;
            buf.clear();
            buf.extend_from_slice(b"]}");
            self.stats.dummies += 1;
        }
        buf.extend_from_slice(b"]\n");
        self.out.write_all(buf)?;
        self.stats.chunks += 1;
        self.stats.indicators += self.entries.len() as u64;
        self.entries.clear();
        self.entry_bytes = 0;
        self.index.clear();
        self.sealed.clear();
        Ok(())
    }

    fn finish_mut(&mut self) -> io::Result<()> {
        if self.pending.count > 0 {
            self.seal()?;
        }
        self.flush_chunk()?;
        self.out.flush()
    }

    /// Writes what is left (the pending dummy, the open chunk), flushes `out` and returns
    /// the counts.
    pub fn finish(mut self) -> io::Result<BatchStats> {
        self.finish_mut()?;
        Ok(self.stats)
    }

    /// Like [`finish`](Self::finish), also giving back the writer.
    pub fn finish_into_inner(mut self) -> io::Result<(W, BatchStats)> {
        self.finish_mut()?;
        Ok((self.out, self.stats))
    }
}

/// Writes all `indicators`, then all `relationships`, as batches to `out`.
///
/// Relationships are pushed after every indicator, so with [`Placement::Attach`] only those
/// whose source is in the last chunk can be attached; to attach more, drive a
/// [`BatchWriter`] directly and push each indicator followed by its relationships.
pub fn write_batches<W: Write>(
    out: W,
    indicators: impl IntoIterator<Item = IndicatorObject>,
    relationships: impl IntoIterator<Item = EntityRelationship>,
    options: BatchOptions,
    style: JsonStyle,
) -> io::Result<BatchStats> {
    let mut writer = BatchWriter::new(out, options, style);
    for indicator in indicators {
        writer.push_indicator(indicator)?;
    }
    for relationship in relationships {
        writer.push_relationship(relationship)?;
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn rel(i: usize) -> EntityRelationship {
        EntityRelationship::new(
            "uses",
            "used-by",
            format!("a{i}"),
            "Account",
            format!("h{i}"),
            "Host",
        )
    }

    fn lines(out: &[u8]) -> Vec<Vec<Value>> {
        std::str::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn opts(n: usize, placement: Placement) -> BatchOptions {
        BatchOptions {
            batch_size: n,
            placement,
            dedup: true,
        }
    }

    #[test]
    fn empty_input_writes_nothing() {
        let mut out = Vec::new();
        let stats = write_batches(
            &mut out,
            [],
            [],
            BatchOptions::default(),
            JsonStyle::Compact,
        )
        .unwrap();
        assert!(out.is_empty());
        assert_eq!(stats, BatchStats::default());
    }

    #[test]
    fn dummy_shares_the_last_chunk_like_python_batching() {
        let inds: Vec<_> = (0..5)
            .map(|i| IndicatorObject::new(format!("a{i}"), "Account"))
            .collect();
        let mut out = Vec::new();
        let stats = write_batches(
            &mut out,
            inds,
            (0..2).map(rel),
            opts(3, Placement::Dummy),
            JsonStyle::Compact,
        )
        .unwrap();
        let chunks = lines(&out);
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3]);
        assert_eq!(chunks[1][2]["value"], "$$DummyIndicator$$");
        assert_eq!(chunks[1][2]["relationships"].as_array().unwrap().len(), 2);
        assert_eq!(
            stats,
            BatchStats {
                chunks: 2,
                indicators: 5,
                relationships: 2,
                duplicates_dropped: 0,
                dummies: 1
            }
        );
    }

    #[test]
    fn full_chunk_pushes_the_dummy_to_a_new_chunk() {
        let inds: Vec<_> = (0..3)
            .map(|i| IndicatorObject::new(format!("a{i}"), "Account"))
            .collect();
        let mut out = Vec::new();
        write_batches(
            &mut out,
            inds,
            (0..1).map(rel),
            opts(3, Placement::Dummy),
            JsonStyle::Compact,
        )
        .unwrap();
        let chunks = lines(&out);
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [3, 1]);
    }

    #[test]
    fn many_relationships_spread_over_dummies_one_per_chunk() {
        let mut out = Vec::new();
        let stats = write_batches(
            &mut out,
            [],
            (0..7).map(rel),
            opts(3, Placement::Dummy),
            JsonStyle::Compact,
        )
        .unwrap();
        let chunks = lines(&out);
        let sizes: Vec<usize> = chunks
            .iter()
            .map(|c| {
                assert_eq!(c.len(), 1);
                c[0]["relationships"].as_array().unwrap().len()
            })
            .collect();
        assert_eq!(sizes, [3, 3, 1]);
        assert_eq!(stats.dummies, 3);
    }

    #[test]
    fn attach_puts_relationships_on_their_source_in_the_open_chunk() {
        let mut out = Vec::new();
        let mut w = BatchWriter::new(&mut out, opts(2, Placement::Attach), JsonStyle::Compact);
        w.push_indicator(IndicatorObject::new("a0", "Account"))
            .unwrap();
        w.push_relationship(rel(0)).unwrap(); // attached
        w.push_relationship(EntityRelationship::new(
            "uses", "used-by", "a0", "Host", "x", "Host",
        ))
        .unwrap(); // type differs: dummy
        w.push_indicator(IndicatorObject::new("a1", "Account"))
            .unwrap();
        w.push_indicator(IndicatorObject::new("a2", "Account"))
            .unwrap(); // flushes [a0, a1]
        w.push_relationship(rel(1)).unwrap(); // a1 already written: dummy
        w.push_relationship(rel(2)).unwrap(); // attached to a2
        let stats = w.finish().unwrap();
        let chunks = lines(&out);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0][0]["relationships"][0]["entityA"], "a0");
        assert!(chunks[0][1].get("relationships").is_none());
        assert_eq!(chunks[1][0]["value"], "a2");
        assert_eq!(chunks[1][0]["relationships"][0]["entityA"], "a2");
        assert_eq!(chunks[1][1]["value"], "$$DummyIndicator$$");
        let on_dummy: Vec<&Value> = chunks[1][1]["relationships"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["entityA"])
            .collect();
        assert_eq!(on_dummy, ["a0", "a1"]);
        assert_eq!((stats.relationships, stats.dummies), (4, 1));
    }

    #[test]
    fn dedup_covers_attached_and_preattached_relationships() {
        let mut out = Vec::new();
        let mut w = BatchWriter::new(&mut out, opts(10, Placement::Dummy), JsonStyle::Python);
        w.push_indicator(
            IndicatorObject::new("a0", "Account")
                .with_relationship(rel(0))
                .with_relationship(rel(0)),
        )
        .unwrap();
        w.push_relationship(rel(0)).unwrap();
        w.push_relationship(rel(1)).unwrap();
        w.push_indicator(IndicatorObject::dummy(vec![rel(1), rel(2)]))
            .unwrap();
        let stats = w.finish().unwrap();
        assert_eq!(
            (stats.relationships, stats.duplicates_dropped, stats.dummies),
            (3, 3, 1)
        );
        let chunks = lines(&out);
        assert_eq!(chunks[0].len(), 2);
        assert_eq!(chunks[0][0]["relationships"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn the_byte_cap_closes_batches_early_and_loses_nothing() {
        for placement in [Placement::Dummy, Placement::Attach] {
            for cap in [1, 200, 700, 5000] {
                let mut w = BatchWriter::new(Vec::new(), opts(1000, placement), JsonStyle::Python)
                    .with_max_batch_bytes(cap);
                for i in 0..40 {
                    if i % 3 == 0 {
                        w.push_indicator(IndicatorObject::new(format!("a{i}"), "Account"))
                            .unwrap();
                    }
                    w.push_relationship(rel(i)).unwrap();
                }
                let (out, stats) = w.finish_into_inner().unwrap();
                assert_eq!(stats.relationships, 40);
                let text = std::str::from_utf8(&out).unwrap();
                let mut rels = 0;
                let mut inds = 0;
                for line in text.split_inclusive('\n') {
                    let batch: Vec<Value> = serde_json::from_str(line).unwrap();
                    // Over the cap only when one item alone is.
                    assert!(line.len() <= cap || batch.len() == 1, "{cap}: {line}");
                    for item in &batch {
                        if item["value"] != "$$DummyIndicator$$" {
                            inds += 1;
                        }
                        rels += item["relationships"].as_array().map_or(0, Vec::len);
                    }
                }
                assert_eq!((inds, rels), (14, 40), "{placement:?} {cap}");
            }
        }
    }

    #[test]
    fn relationships_kept_as_they_are_are_not_deduplicated() {
        let mut w = BatchWriter::new(Vec::new(), opts(10, Placement::Dummy), JsonStyle::Compact);
        let ind = IndicatorObject::new("a0", "Account")
            .with_relationship(rel(0))
            .with_relationship(rel(0));
        w.push_indicator_keeping_relationships(ind).unwrap();
        // not remembered as seen: the same relationship pushed alone is written too
        w.push_relationship(rel(0)).unwrap();
        let (out, stats) = w.finish_into_inner().unwrap();
        assert_eq!((stats.relationships, stats.duplicates_dropped), (3, 0));
        let chunks = lines(&out);
        assert_eq!(chunks[0][0]["relationships"].as_array().unwrap().len(), 2);
        assert_eq!(chunks[0][1]["relationships"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn dedup_off_keeps_repeats() {
        let mut out = Vec::new();
        let o = BatchOptions {
            dedup: false,
            ..BatchOptions::default()
        };
        let stats = write_batches(&mut out, [], [rel(0), rel(0)], o, JsonStyle::Compact).unwrap();
        assert_eq!((stats.relationships, stats.duplicates_dropped), (2, 0));
    }

    #[test]
    fn batch_size_zero_acts_as_one() {
        let mut out = Vec::new();
        let inds = vec![IndicatorObject::new("x", "IP")];
        let o = BatchOptions {
            batch_size: 0,
            ..BatchOptions::default()
        };
        let stats = write_batches(&mut out, inds, [rel(0), rel(1)], o, JsonStyle::Compact).unwrap();
        assert_eq!(stats.chunks, 3);
        assert!(lines(&out).iter().all(|c| c.len() == 1));
    }

    #[test]
    fn dummy_bytes_equal_the_serde_rendering() {
        for style in [JsonStyle::Compact, JsonStyle::Python] {
            let mut out = Vec::new();
            write_batches(
                &mut out,
                [],
                (0..3).map(rel),
                BatchOptions::default(),
                style,
            )
            .unwrap();
            let dummy = IndicatorObject::dummy((0..3).map(rel).collect());
            let want = format!("[{}]\n", crate::json::to_string(&dummy, style).unwrap());
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }

    #[test]
    fn rendered_relationships_batch_like_pushed_ones() {
        for style in [JsonStyle::Compact, JsonStyle::Python] {
            for dedup in [true, false] {
                let o = BatchOptions {
                    batch_size: 3,
                    dedup,
                    ..BatchOptions::default()
                };
                let rels: Vec<_> = [0, 1, 1, 2, 3, 0, 4, 5].into_iter().map(rel).collect();
                let mut want = Vec::new();
                let mut w = BatchWriter::new(&mut want, o, style);
                w.push_indicator(IndicatorObject::new("x", "IP")).unwrap();
                rels.iter()
                    .for_each(|r| w.push_relationship(r.clone()).unwrap());
                let want_stats = w.finish().unwrap();
                let mut got = Vec::new();
                let mut w = BatchWriter::new(&mut got, o, style);
                w.push_indicator(IndicatorObject::new("x", "IP")).unwrap();
                for r in &rels {
                    let mut buf = b"junk".to_vec();
                    let hash = render_relationship(&mut buf, r, style).unwrap();
                    w.push_rendered_relationship(&buf[4..], hash).unwrap();
                }
                assert_eq!(w.finish().unwrap(), want_stats);
                assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn write_errors_propagate() {
        struct Failing;
        impl Write for Failing {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = write_batches(
            Failing,
            [],
            [rel(0)],
            BatchOptions::default(),
            JsonStyle::Compact,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }
}
