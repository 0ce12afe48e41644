//! `xsoar-rel render`: one XSOAR rendering per relationship record.

use std::io::{self, Read, Write};
use std::ops::Range;

use relationship_core::EntityRelationship;
use relationship_core::check::{Checker, Mode, RelationshipInput};
use relationship_core::json::{write_json, write_relationship_indicator};
use relationship_core::record::Record;
use relationship_schema::Schema;

use crate::cli::{Format, RenderArgs};
use crate::context::Context;
use crate::error::Error;
use crate::exit::Exit;
use crate::input::{Prepared, RunError, Summary, drive, finish_output, parse, style, with_io};

/// Runs `render`: the renderings to stdout, bad records and warnings to stderr.
pub(crate) fn run(ctx: &Context<'_>, args: &RenderArgs) -> Result<Exit, Error> {
    let schema = args.schema.load()?;
    let mode = args.check.mode();
    with_io(ctx, &args.io, |input, out, diag| {
        render(schema, mode, args, input, out, diag)
    })
}

/// The lenient-mode warning for an empty `entity_b`, as XSOAR logs one.
pub fn empty_entity_b_warning() -> String {
    "entity_b is empty: XSOAR renders this relationship as {} and creates nothing from it"
        .to_owned()
}

/// Checks a relationship record; the error is the message for its line.
pub fn check(checker: &Checker<'_>, r: RelationshipInput) -> Result<EntityRelationship, String> {
    checker.check(r).map_err(|e| e.to_string())
}

/// `render`: one rendering per relationship record.
pub fn render<R: Read + Send, W: Write + ?Sized, E: Write + ?Sized>(
    schema: &Schema,
    mode: Mode,
    args: &RenderArgs,
    input: R,
    out: &mut W,
    diag: &mut E,
) -> Result<Summary, RunError> {
    let checker = Checker::new(schema, mode);
    let style = style(args.io.python_json);
    let format = args.format;
    let prepare = |line: &[u8], arena: &mut Vec<u8>| {
        let r = match parse(line)? {
            Record::Relationship(r) => *r,
            Record::IndicatorRecord(_) => {
                return Err(
                    "an indicator record (keys `value`, `type`); `render` takes \
                            relationship records only, `batch` takes both"
                        .to_owned(),
                );
            }
        };
        let rel = check(&checker, r)?;
        let warning = rel.renders_empty().then(empty_entity_b_warning);
        // Rendered here, on a worker; an error (none is expected) is reported by the writer,
        // as an output error.
        let start = arena.len();
        let rendered = match format {
            Format::Indicator => write_relationship_indicator(arena, &rel, style),
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
    let mut summary = drive(
        input,
        diag,
        args.io.keep_going,
        args.io.max_line_bytes(),
        prepare,
        consume,
    )?;
    finish_output(out, &mut summary)?;
    Ok(summary)
}
