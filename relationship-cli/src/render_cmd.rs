//! `xsoar-rel render`: one XSOAR rendering per relationship record.

use std::io::{self, Read, Write};
use std::ops::Range;

use clap::{Args, ValueEnum};
use relationship_core::check::{Checker, Mode};
use relationship_core::json::write_json;
use relationship_core::record::Record;
use relationship_schema::Schema;

use crate::context::Context;
use crate::error::Error;
use crate::exit::Exit;
use crate::ndjson::{
    BAD_RECORDS, EMPTY_ENTITY_B, Prepared, RECORD_SHAPES, RunError, Summary, check, drive,
    end_output, parse, with_io,
};
use crate::opts::{IoOpts, ModeOpt, SchemaOpt, json_style};

/// Runs `render`: the renderings to stdout, bad records and warnings to stderr.
pub(crate) fn run(ctx: &Context<'_>, args: &RenderArgs) -> Result<Exit, Error> {
    let schema = args.schema.load()?;
    let mode = args.check.mode();
    with_io(ctx, &args.io, |input, out, diag| {
        render(schema, mode, args, input, out, diag)
    })
}

#[derive(Debug, Clone, Args)]
pub(crate) struct RenderArgs {
    /// Which of XSOAR's three renderings to write.
    #[arg(long, value_enum, default_value_t = Format::Indicator)]
    pub(crate) format: Format,
    #[command(flatten)]
    pub(crate) schema: SchemaOpt,
    #[command(flatten)]
    pub(crate) check: ModeOpt,
    #[command(flatten)]
    pub(crate) io: IoOpts,
}

/// XSOAR's renderings of a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// `to_indicator()`: the 10 keys createIndicators takes.
    Indicator,
    /// `to_entry()`: the 10 keys plus `reliability` and `brand` when set.
    Entry,
    /// `to_context()`: the 5 keys of indicator context.
    Context,
}

pub(crate) fn render_help() -> String {
    format!(
        "{RECORD_SHAPES}\n\n{BAD_RECORDS}\n\n\
Example:
  $ echo '{{\"name\": \"uses\", \"entity_a\": \"u4872\", \"entity_a_type\": \"Account\", \
\"entity_b\": \"pc135456.domain.local\", \"entity_b_type\": \"Host\"}}' \\
      | xsoar-rel render --format context --python-json
  {{\"Relationship\": \"uses\", \"EntityA\": \"u4872\", \"EntityAType\": \"Account\", \
\"EntityB\": \"pc135456.domain.local\", \"EntityBType\": \"Host\"}}"
    )
}

/// The reason an indicator record is bad for `render`.
const NOT_A_RELATIONSHIP: &str = "an indicator record (keys `value`, `type`); `render` takes \
                                  relationship records only, `batch` takes both";

/// `render`: one rendering per relationship record.
pub(crate) fn render<R: Read + Send, W: Write + ?Sized, E: Write + ?Sized>(
    schema: &Schema,
    mode: Mode,
    args: &RenderArgs,
    input: R,
    out: &mut W,
    diag: &mut E,
) -> Result<Summary, RunError> {
    let checker = Checker::new(schema, mode);
    let style = json_style(args.io.python_json);
    let format = args.format;
    let prepare = |line: &[u8], arena: &mut Vec<u8>| {
        let Record::Relationship(r) = parse(line)? else {
            return Err(NOT_A_RELATIONSHIP.to_owned());
        };
        let rel = check(&checker, *r)?;
        let warning = rel.renders_empty().then(|| EMPTY_ENTITY_B.to_owned());
        // Rendered here, on a worker; an error (none is expected) is reported by the writer,
        // as an output error.
        let start = arena.len();
        let rendered = match format {
            Format::Indicator => rel.to_indicator().write_json(arena, style),
            Format::Entry => write_json(&mut *arena, &rel.to_entry(), style),
            Format::Context => write_json(&mut *arena, &rel.to_context(), style),
        };
        arena.push(b'\n');
        Ok(Prepared {
            item: Some(rendered.map(|()| start..arena.len())),
            warning,
        })
    };
    let consume = |rendered: io::Result<Range<usize>>, arena: &[u8]| match arena.get(rendered?) {
        Some(bytes) => out.write_all(bytes),
        None => Err(io::Error::other("a rendering went missing")),
    };
    let mut summary = drive(input, diag, &args.io, prepare, consume)?;
    end_output(&mut summary, || out.flush())?;
    Ok(summary)
}
