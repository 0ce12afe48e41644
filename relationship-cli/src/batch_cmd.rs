//! `xsoar-rel batch`: relationship and indicator records into createIndicators batches, one
//! JSON array per line.

use std::io::{self, Read, Write};

use relationship_core::batch::{BatchOptions, BatchWriter, Placement};
use relationship_core::check::{Checker, Mode};
use relationship_core::{EntityRelationship, Fields, IndicatorObject};
use relationship_schema::Schema;

use crate::cli::BatchArgs;
use crate::input::{Prepared, RunError, Summary, drive, finish_output, style};
use crate::record::{IndicatorRecord, Record};
use crate::render_cmd::{check, empty_entity_b_warning};

/// Converts a parsed indicator record into an indicator object, checking its type in strict
/// mode. `rawJSON` defaults to `{"value": …, "type": …}`.
fn indicator(schema: &Schema, mode: Mode, r: IndicatorRecord) -> Result<IndicatorObject, String> {
    if mode == Mode::Strict && schema.type_id(&r.indicator_type).is_none() {
        let near = schema.suggest_types(&r.indicator_type);
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(
                "; did you mean {}?",
                relationship_schema::suggest::or_list(&near)
            )
        };
        return Err(format!(
            "unknown indicator type `{}` for indicator `{}`{hint}",
            r.indicator_type, r.value
        ));
    }
    let raw_json = r.raw_json.unwrap_or_else(|| {
        let mut m = Fields::new();
        m.insert("value".into(), r.value.clone().into());
        m.insert("type".into(), r.indicator_type.clone().into());
        serde_json::Value::Object(m)
    });
    let mut obj = IndicatorObject::new(r.value, r.indicator_type);
    obj.score = r.score;
    obj.raw_json = raw_json;
    obj.fields = r.fields.unwrap_or_default();
    Ok(obj)
}

/// An item of a batch run.
enum BatchItem {
    Relationship(EntityRelationship),
    Indicator(IndicatorObject),
}

/// `batch`: createIndicators batches, one JSON array per line.
pub fn batch<R: Read + Send, W: Write, E: Write>(
    schema: &Schema,
    mode: Mode,
    args: &BatchArgs,
    input: R,
    out: &mut W,
    diag: &mut E,
) -> Result<Summary, RunError> {
    let checker = Checker::new(schema, mode);
    let options = BatchOptions {
        batch_size: args.batch_size as usize,
        placement: if args.attach {
            Placement::Attach
        } else {
            Placement::Dummy
        },
        dedup: !args.keep_duplicates,
    };
    let mut writer = BatchWriter::new(&mut *out, options, style(args.io.python_json));
    let prepare = |record| match record {
        Record::Relationship(r) => {
            let rel = check(&checker, *r)?;
            if rel.renders_empty() {
                // XSOAR renders it as `{}` and creates nothing from it.
                return Ok(Prepared {
                    item: None,
                    warning: Some(format!("{}; skipped", empty_entity_b_warning())),
                });
            }
            Ok(Prepared::item(BatchItem::Relationship(rel)))
        }
        Record::Indicator(r) => Ok(Prepared::item(BatchItem::Indicator(indicator(
            schema, mode, *r,
        )?))),
    };
    let consume = |item| match item {
        BatchItem::Relationship(rel) => writer.push_relationship(rel),
        BatchItem::Indicator(ind) => writer.push_indicator(ind),
    };
    let mut summary = drive(input, diag, args.io.keep_going, prepare, consume)?;
    if !summary.output_closed {
        match writer.finish() {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => summary.output_closed = true,
            Err(e) => return Err(RunError::Output(e)),
        }
    }
    finish_output(out, &mut summary)?;
    Ok(summary)
}
