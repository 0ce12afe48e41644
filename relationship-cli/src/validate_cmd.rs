//! `xsoar-rel validate FILE...`: check existing createIndicators batches (from any producer)
//! against the schema.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use clap::Args;
use relationship_core::limits::DEFAULT_MAX_LINE_BYTES;
use relationship_core::validate::{Stats, validate_reader_limited};
use relationship_schema::Schema;

use crate::context::{BUF_SIZE, Context, open_input};
use crate::error::{Error, write_failure};
use crate::exit::Exit;
use crate::opts::SchemaOpt;

/// The `after_help` text of `validate`.
pub(crate) const VALIDATE_HELP: &str = "\
Each FILE holds createIndicators batches, one JSON array per line, as `xsoar-rel batch` and
`convert-stix` write them and as the XSOAR pack delivers them. Each non-blank line must be a
deliverable line (the pack's definition, see docs/xsoar.md): UTF-8, exactly one non-empty JSON
array (no second value on the line, not even after a bare CR; a batch pretty-printed over
several lines is reported once), no NaN or Infinity, finite numbers, integers of at most 4,300
digits. Any other line is reported as `not a deliverable line: REASON`: the pack would skip
it. Then, on each deliverable line: every indicator has a string `value`, a `type`
of the schema and a `rawJSON` (the $$DummyIndicator$$ needs no type), `score` is 0-3, and each
relationship has the ten keys of XSOAR's to_indicator(), a name of the schema, the schema's
reverse name, type `IndicatorToIndicator`, families `Indicator`, non-empty entities other
than $$DummyIndicator$$, entity types of the schema, and an allowed (entityAType, name,
entityBType) triple. A line nested deeper than 512 arrays and objects, or holding a lone
surrogate escape such as \"\\ud800\", is not deliverable (reported with its column).

Every violation is reported on stderr as `FILE:LINE: PATH: REASON`, where PATH is a JSON path
such as `[0][3].relationships[12].reverseName` (batch 0, indicator 3 of that batch), and the
reason names the nearest valid choices. For each clean file, `FILE: ok` and its counts go to
stdout. A file with no batch at all (empty, or only blank lines) is reported as empty. The
exit code is 1 if any violation was found or a file is empty, 2 if a file could not be read
(or --lenient was given). Validation is always strict: --lenient does not apply.

Examples:
  xsoar-rel validate batches.ndjson
  xsoar-rel validate --schema schemas/my_xsoar.json feed-dump-1.json feed-dump-2.json
  xsoar-rel convert-stix bundle.json | xsoar-rel validate -";

#[derive(Debug, Clone, Args)]
pub(crate) struct ValidateArgs {
    /// Batch files to check; `-` reads stdin.
    #[arg(value_name = "FILE", required = true, num_args = 1..)]
    pub(crate) files: Vec<PathBuf>,
    /// Longest line read, in bytes; a longer one is a violation, and memory never holds more
    /// of it (a line with no end within 256 MiB past the limit ends the reading).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) max_line_bytes: u64,
    #[command(flatten)]
    pub(crate) schema: SchemaOpt,
}

fn counts(stats: &Stats) -> String {
    format!(
        "{} batches, {} indicators, {} dummy indicators, {} relationships, largest batch {}",
        stats.batches, stats.indicators, stats.dummies, stats.relationships, stats.largest_batch
    )
}

/// Runs `validate`: violations to stderr (as `file:line: path: reason`), one `ok` line per
/// clean file to stdout. Returns the exit code.
pub(crate) fn run(ctx: &Context<'_>, args: &ValidateArgs) -> Result<Exit, Error> {
    let schema = args.schema.load()?;
    let max_line_bytes = usize::try_from(args.max_line_bytes).unwrap_or(usize::MAX);
    let mut code = Exit::Ok;
    let mut total_violations = 0u64;
    for path in &args.files {
        let name = path.display().to_string();
        let reader = match open_input(path) {
            Ok((input, _)) => BufReader::with_capacity(BUF_SIZE, input),
            Err(e) => {
                ctx.say(Error::cannot_read(path, e));
                code = code.max(Exit::UsageOrIo);
                continue;
            }
        };
        let Some((exit, violations)) = validate_file(ctx, reader, &name, schema, max_line_bytes)
        else {
            code = Exit::UsageOrIo;
            break;
        };
        code = code.max(exit);
        total_violations += violations;
    }
    if total_violations > 0 && args.files.len() > 1 {
        ctx.say(format_args!("{total_violations} violations in total"));
    }
    if let Err(e) = ctx.stdout().flush() {
        if code != Exit::UsageOrIo {
            ctx.say(write_failure(&e));
        }
        code = Exit::UsageOrIo;
    }
    Ok(code)
}

/// Checks one file: its violations and verdict to stderr, `FILE: ok` to stdout. The exit code
/// and the violations counted; `None` when standard output could not be written (reported):
/// no further file is checked.
fn validate_file(
    ctx: &Context<'_>,
    reader: impl BufRead,
    name: &str,
    schema: &Schema,
    max_line_bytes: usize,
) -> Option<(Exit, u64)> {
    let mut violations = Vec::new();
    let result = validate_reader_limited(reader, name, schema, max_line_bytes, &mut violations);
    for v in &violations {
        let _ = writeln!(ctx.stderr(), "{v}");
    }
    let stats = match result {
        Ok(stats) => stats,
        Err(e) => {
            ctx.say(e);
            return Some((Exit::UsageOrIo, 0));
        }
    };
    let n = violations.len();
    if n == 0 && stats.batches == 0 {
        // Nothing to check is not "ok": a producer that wrote nothing, or a file emptied by a
        // failed run.
        let _ = writeln!(ctx.stderr(), "{name}: empty: no batches to check");
        Some((Exit::Invalid, 0))
    } else if n == 0 {
        let written = writeln!(ctx.stdout(), "{name}: ok — {}", counts(&stats));
        written.map_err(|e| ctx.say(write_failure(&e))).ok()?;
        Some((Exit::Ok, 0))
    } else {
        let (plural, counts) = (if n == 1 { "" } else { "s" }, counts(&stats));
        let _ = writeln!(ctx.stderr(), "{name}: {n} violation{plural} — {counts}");
        Some((Exit::Invalid, n as u64))
    }
}
