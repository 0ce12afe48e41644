//! `xsoar-rel batch`: relationship and indicator records into createIndicators batches, one
//! JSON array per line.

use std::io::{self, Read, Write};
use std::ops::Range;

use clap::Args;

use relationship_core::batch::{
    BatchWriter, Placement, render_relationship, render_relationship_with,
};
use relationship_core::check::{Checker, Mode};
use relationship_core::json::JsonStyle;
use relationship_core::limits::{
    DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_BYTES, MAX_BATCH_SIZE, MAX_MAX_BATCH_BYTES, quoted,
};
use relationship_core::record::{IndicatorRecord, Record, parse_relationship_raw};
use relationship_core::{DUMMY_INDICATOR_VALUE, EntityRelationship, IndicatorObject};
use relationship_schema::Schema;
use relationship_schema::suggest;

use crate::context::Context;
use crate::error::Error;
use crate::exit::Exit;
use crate::ndjson::{
    BAD_RECORDS, EMPTY_ENTITY_B, Prepared, RECORD_SHAPES, RunError, Summary, check, drive,
    end_output, parse, with_io,
};
use crate::opts::{IoOpts, ModeOpt, SchemaOpt, batch_options, json_style};

const INDICATOR_SHAPE: &str = concat!(
    "  indicator     {\"value\": \"APT29\", \"type\": \"Intrusion Set\"}  (batch only)\n",
    "                optional: \"score\" (0-3), \"rawJSON\" (any JSON; default {\"value\", \"type\"}),\n",
    "                \"fields\" (object). The value `$$DummyIndicator$$` is refused in both modes:\n",
    "                that pseudo-indicator only carries relationships, and would be dropped."
);

/// `batch` options.
#[derive(Debug, Clone, Args)]
pub struct BatchArgs {
    /// Most items per batch (indicators plus dummy indicators), at most 10000; no dummy
    /// carries more relationships than this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_SIZE as u32,
          value_parser = clap::value_parser!(u32).range(1..=MAX_BATCH_SIZE as i64))]
    pub batch_size: u32,
    /// Longest batch line, in bytes (`\n` included), at most 268435456: a batch is closed
    /// early before an item would pass it, so memory holds about this much per pending batch
    /// whatever the batch size. Only an item longer than this alone makes a longer line.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BATCH_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_MAX_BATCH_BYTES as u64))]
    pub max_batch_bytes: u64,
    /// Attach each relationship to its source indicator when that indicator is in the batch
    /// (relationships without one still go on a dummy indicator).
    #[arg(long, conflicts_with = "dummy")]
    pub attach: bool,
    /// Put every relationship on `$$DummyIndicator$$` pseudo-indicators (the default).
    #[arg(long)]
    pub dummy: bool,
    /// Keep identical relationships instead of writing each once.
    #[arg(long)]
    pub keep_duplicates: bool,
    /// The schema to check against.
    #[command(flatten)]
    pub schema: SchemaOpt,
    /// Strict or lenient checks.
    #[command(flatten)]
    pub check: ModeOpt,
    /// Input, output style and error handling.
    #[command(flatten)]
    pub io: IoOpts,
}

pub(crate) fn batch_help() -> String {
    format!(
        "Each output line is one JSON array to pass to demisto.createIndicators. With --dummy \
(the default) relationships ride on {{\"value\": \"$$DummyIndicator$$\", \"relationships\": [...]}} \
pseudo-indicators; with --attach they go into the `relationships` of their source indicator \
(same value and type as entity A) when it is in the same batch.\n\n\
{RECORD_SHAPES}\n{INDICATOR_SHAPE}\n\n{BAD_RECORDS}\n\n\
Examples:
  xsoar-rel batch examples/data/relationships.ndjson
  xsoar-rel batch --attach --batch-size 500 examples/data/feed.ndjson
  cat feed.ndjson | xsoar-rel batch --lenient --python-json --keep-going - > batches.ndjson"
    )
}

/// Converts a parsed indicator record into an indicator object, checking its type in strict
/// mode. `rawJSON` defaults to `{"value": …, "type": …}`.
fn indicator(checker: &Checker<'_>, r: IndicatorRecord) -> Result<IndicatorObject, String> {
    let (schema, mode) = (checker.schema(), checker.mode());
    let ty = || quoted(&r.indicator_type);
    if r.value == DUMMY_INDICATOR_VALUE {
        // A batch writer takes such an object for the dummy and keeps only its
        // relationships: its type, score and fields would be lost. Refused in both modes.
        return Err(format!(
            "the indicator value is `{DUMMY_INDICATOR_VALUE}` (type `{}`): that is the pseudo-indicator that carries relationships in a batch; an indicator of that value would be dropped, so it is refused",
            ty()
        ));
    }
    if mode == Mode::Strict && r.value.is_empty() {
        // `validate` refuses an empty value too: XSOAR creates nothing from it.
        return Err(format!("the indicator value is empty (type `{}`)", ty()));
    }
    if mode == Mode::Strict && schema.type_id(&r.indicator_type).is_none() {
        let hint = suggest::did_you_mean_of(&schema.suggest_types(&r.indicator_type));
        let hint = hint.map(|h| format!("; {h}")).unwrap_or_default();
        let value = quoted(&r.value);
        return Err(format!(
            "unknown indicator type `{}` for indicator `{value}`{hint}",
            ty()
        ));
    }
    Ok(r.into_object())
}

/// An item of a batch run.
enum BatchItem {
    Relationship(EntityRelationship),
    /// A relationship rendered by a worker: its bytes in the block's buffer and its hash.
    Rendered(Range<usize>, u128),
    Indicator(IndicatorObject),
}

/// Runs `batch`: the batches to stdout, bad records and warnings to stderr.
pub(crate) fn run(ctx: &Context<'_>, args: &BatchArgs) -> Result<Exit, Error> {
    let schema = args.schema.load()?;
    let mode = args.check.mode();
    with_io(ctx, &args.io, |input, out, diag| {
        batch(schema, mode, args, input, out, diag)
    })
}

/// How `batch` reads its records: checked against the schema, and rendered by the workers
/// when they go on dummy indicators.
struct BatchRecords<'s> {
    checker: Checker<'s>,
    style: JsonStyle,
    render_ahead: bool,
}

impl BatchRecords<'_> {
    /// One line into an item to write, or the message for its line.
    fn prepare(&self, line: &[u8], arena: &mut Vec<u8>) -> Result<Prepared<BatchItem>, String> {
        if self.render_ahead {
            if let Some(item) = self.render_fast(line, arena) {
                return Ok(Prepared::item(item));
            }
        }
        let rel = match parse(line)? {
            Record::Relationship(r) => check(&self.checker, *r)?,
            Record::IndicatorRecord(r) => {
                let indicator = indicator(&self.checker, *r)?;
                return Ok(Prepared::item(BatchItem::Indicator(indicator)));
            }
        };
        if rel.renders_empty() {
            // XSOAR renders it as `{}` and creates nothing from it.
            return Ok(Prepared {
                item: None,
                warning: Some(format!("{EMPTY_ENTITY_B}; skipped")),
            });
        }
        if !self.render_ahead {
            return Ok(Prepared::item(BatchItem::Relationship(rel)));
        }
        let start = arena.len();
        let hash = render_relationship(arena, &rel, self.style).map_err(|e| e.to_string())?;
        Ok(Prepared::item(BatchItem::Rendered(
            start..arena.len(),
            hash,
        )))
    }

    /// Most lines: a relationship whose fields go from the line's text straight into the
    /// rendering. Anything else (a bad record, a warning, fields it does not write) is `None`
    /// and read again in full, so that the messages are those of a full read of the line.
    fn render_fast(&self, line: &[u8], arena: &mut Vec<u8>) -> Option<BatchItem> {
        let raw = parse_relationship_raw(line)?;
        let rel = check(&self.checker, raw.input).ok()?;
        if rel.renders_empty() {
            return None;
        }
        let start = arena.len();
        let hash = render_relationship_with(arena, &rel, raw.fields.as_ref(), self.style).ok()?;
        Some(BatchItem::Rendered(start..arena.len(), hash))
    }
}

/// `batch`: createIndicators batches, one JSON array per line.
pub fn batch<R: Read + Send, W: Write + ?Sized, E: Write + ?Sized>(
    schema: &Schema,
    mode: Mode,
    args: &BatchArgs,
    input: R,
    out: &mut W,
    diag: &mut E,
) -> Result<Summary, RunError> {
    let options = batch_options(args.batch_size, args.attach, !args.keep_duplicates);
    let json_style = json_style(args.io.python_json);
    let records = BatchRecords {
        checker: Checker::new(schema, mode),
        style: json_style,
        // Relationships on dummies are rendered by the workers; attaching needs the objects.
        render_ahead: options.placement == Placement::Dummy,
    };
    let max_batch_bytes = usize::try_from(args.max_batch_bytes).unwrap_or(usize::MAX);
    let mut writer =
        BatchWriter::new(&mut *out, options, json_style).with_max_batch_bytes(max_batch_bytes);
    if mode == Mode::Lenient {
        writer = writer.with_lenient_entities();
    }
    let prepare = |line: &[u8], arena: &mut Vec<u8>| records.prepare(line, arena);
    let consume = |item, arena: &[u8]| match item {
        BatchItem::Relationship(rel) => writer.push_relationship(rel),
        BatchItem::Rendered(range, hash) => match arena.get(range) {
            Some(rendered) => writer.push_rendered_relationship(rendered, hash),
            None => Err(io::Error::other("a rendered relationship went missing")),
        },
        BatchItem::Indicator(ind) => writer.push_indicator(ind),
    };
    let mut summary = drive(input, diag, &args.io, prepare, consume)?;
    end_output(&mut summary, || writer.finish().map(drop))?;
    end_output(&mut summary, || out.flush())?;
    Ok(summary)
}
