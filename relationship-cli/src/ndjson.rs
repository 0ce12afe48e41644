//! Reading NDJSON records, shared by `render` and `batch`: the input file or stdin, the
//! two-thread read loop, error reporting per line and the run's [`Summary`].
//!
//! The loop is a three-stage pipeline: a reader thread reads blocks of whole lines, worker
//! threads (one per core, at most four) parse, check and render the records of a block each,
//! and the calling thread takes the blocks back in input order and writes them. Bad records
//! and warnings travel in the same ordered stream, so stderr reports them in input order,
//! and the output never depends on thread timing.

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::context::{BUF_SIZE, Context, open_input};
use crate::error::{Error, write_failure};
use crate::exit::Exit;
use crate::opts::IoOpts;
use relationship_core::EntityRelationship;
use relationship_core::check::{Checker, RelationshipInput};
use relationship_core::record::{Record, parse_line};
use relationship_core::{limits, lines};

/// The record shapes, for the `--help` of `render` and `batch`.
pub(crate) const RECORD_SHAPES: &str = "\
Input records (one JSON object per line; blank lines are skipped, line numbers still count them):
  relationship  {\"name\": \"uses\", \"entity_a\": \"u4872\", \"entity_a_type\": \"Account\",
                 \"entity_b\": \"pc135456.domain.local\", \"entity_b_type\": \"Host\"}
                optional: \"reverse_name\" (string), \"fields\" (object, order kept),
                \"source_reliability\" (one of XSOAR's 7 strings, e.g. \"B - Usually reliable\"),
                \"brand\" (string), \"relationship_type\" (only \"IndicatorToIndicator\"),
                \"entity_a_family\" and \"entity_b_family\" (only \"Indicator\"); null counts
                as absent. Any other relationship_type or family is an error in both modes, as
                in XSOAR (\"Invalid relationship type: X\").";

/// How bad records are reported, for the `--help` of `render` and `batch`.
pub(crate) const BAD_RECORDS: &str = "\
Bad records (malformed JSON, a missing key, a wrong value type, an invalid reliability,
relationship type or family, and in strict mode an unknown name or type, a disallowed pair or
an entity `$$DummyIndicator$$`) are reported on stderr as `line N: <reason>`, and the exit
code is 1. Malformed JSON includes nesting deeper than 512 arrays and objects (the one limit
of every command) and a lone surrogate escape such as \"\\ud800\" (no Unicode character;
refused, never altered).
Processing stops at the first bad record (what came before it is written) unless --keep-going
is given: then every valid record is written, every bad one reported, and the exit code is
still 1. Exit code 2 means a usage error or an input that cannot be read or output that
cannot be written.";

/// A failure of the NDJSON loop: input that cannot be read, output that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The input could not be read.
    #[error("cannot read the input: {0}")]
    Input(io::Error),
    /// The output could not be written, or was closed by its reader (a broken pipe): either
    /// way what was written is incomplete.
    #[error("{}", write_failure(.0))]
    Output(io::Error),
    /// The reader thread could not be started.
    #[error("cannot start the input reader: {0}")]
    Thread(io::Error),
}

impl From<RunError> for Error {
    fn from(e: RunError) -> Self {
        Error::usage_or_io(e.to_string())
    }
}

/// Counts of one run over an NDJSON input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Non-blank lines read.
    pub records: u64,
    /// Records that were bad.
    pub bad: u64,
    /// The line at which processing stopped because of a bad record (without --keep-going).
    pub stopped_at: Option<u64>,
    /// Whether the reader of stdout went away (a closed pipe): the run ended early and its
    /// output is incomplete ([`Summary::exit`] is then [`Exit::UsageOrIo`]).
    pub output_closed: bool,
}

impl Summary {
    /// The exit code for this run: [`Exit::UsageOrIo`] when the output was closed early,
    /// else [`Exit::Ok`] when every record was good, [`Exit::Invalid`] otherwise.
    pub(crate) fn exit(&self) -> Exit {
        match (self.output_closed, self.bad) {
            (true, _) => Exit::UsageOrIo,
            (false, 0) => Exit::Ok,
            _ => Exit::Invalid,
        }
    }
}

/// What the reader thread made of one good record.
#[derive(Debug)]
pub(crate) struct Prepared<T> {
    /// The item to write, if any.
    pub(crate) item: Option<T>,
    /// A warning to report for the record's line (it does not make the record bad).
    pub(crate) warning: Option<String>,
}

impl<T> Prepared<T> {
    /// An item without a warning.
    pub(crate) fn item(item: T) -> Self {
        Prepared {
            item: Some(item),
            warning: None,
        }
    }
}

/// One event of a worker, in input order; lines are counted from the block's start.
enum Event<T> {
    /// An item to write.
    Item(T),
    /// A warning for a line, and its text.
    Warning(u64, String),
    /// A bad record's line, and the reason.
    Bad(u64, String),
    /// The line over the limit just reported has no end in sight: the run stops there.
    Endless(String),
}

/// Opens the input and a buffered stdout, runs `body`, reports the summary and returns the
/// exit code.
pub(crate) fn with_io(
    ctx: &Context<'_>,
    io_opts: &IoOpts,
    body: impl FnOnce(Box<dyn Read + Send>, &mut dyn Write, &mut dyn Write) -> Result<Summary, RunError>,
) -> Result<Exit, Error> {
    let path = io_opts.input.as_path();
    let cannot_read = |e: io::Error| Error::cannot_read(path, e);
    let (input, _) = open_input(path).map_err(cannot_read)?;
    let summary = {
        let mut stdout = ctx.stdout();
        let mut out = io::BufWriter::with_capacity(BUF_SIZE, &mut *stdout);
        body(input, &mut out, &mut *ctx.stderr()).map_err(|e| match e {
            RunError::Input(e) => cannot_read(e),
            other => other.into(),
        })?
    };
    if summary.output_closed {
        // The summary of a run whose output was cut short would claim too much.
        return Err(Error::output(&io::Error::from(io::ErrorKind::BrokenPipe)));
    }
    report(ctx, &summary, io_opts.keep_going);
    Ok(summary.exit())
}

/// The closing line on stderr when records were bad.
fn report(ctx: &Context<'_>, summary: &Summary, keep_going: bool) {
    let plural = if summary.bad == 1 { "" } else { "s" };
    match summary.stopped_at {
        _ if summary.bad == 0 => {}
        Some(line) => ctx.say(format_args!(
            "stopped at line {line}, the first bad record; records before it were \
             written (use --keep-going to write every valid record)"
        )),
        None if keep_going => ctx.say(format_args!(
            "{} bad record{plural} of {}; the {} valid records were written",
            summary.bad,
            summary.records,
            summary.records - summary.bad
        )),
        None => {}
    }
}

/// The NDJSON loop shared by the subcommands (the pipeline of the module documentation).
///
/// A line longer than `--max-line-bytes` is bad and never held whole; blank lines are skipped
/// (still counted). `prepare` gets every other line without its line end and the block's
/// byte buffer to render into; `consume` gets each item with that buffer. A bad record is
/// reported on `diag` as `line N: <reason>` (the run then stops unless `--keep-going`); a
/// warning as `line N: warning: <text>`. An error from `consume` ends the run: a closed pipe
/// sets [`Summary::output_closed`], anything else is [`RunError::Output`].
pub(crate) fn drive<R, T, E>(
    input: R,
    diag: &mut E,
    io_opts: &IoOpts,
    prepare: impl Fn(&[u8], &mut Vec<u8>) -> Result<Prepared<T>, String> + Sync,
    mut consume: impl FnMut(T, &[u8]) -> io::Result<()>,
) -> Result<Summary, RunError>
where
    R: Read + Send,
    T: Send,
    E: Write + ?Sized,
{
    let keep_going = io_opts.keep_going;
    let max_line_bytes = usize::try_from(io_opts.max_line_bytes).unwrap_or(usize::MAX);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, MAX_WORKERS);
    let prepare = &prepare;
    let stop = &AtomicBool::new(false);
    let ((summary, mut error), healthy) = std::thread::scope(|scope| -> Result<_, RunError> {
        let mut to_workers = Vec::with_capacity(workers);
        let mut from_workers = Vec::with_capacity(workers);
        let mut handles = Vec::with_capacity(workers + 1);
        for _ in 0..workers {
            let (block_tx, block_rx) = sync_channel::<Block>(BLOCKS_IN_FLIGHT);
            let (done_tx, done_rx) = sync_channel::<Done<T>>(BLOCKS_IN_FLIGHT);
            let handle = std::thread::Builder::new()
                .name("xsoar-rel-work".to_owned())
                .spawn_scoped(scope, move || {
                    work(block_rx, done_tx, keep_going, max_line_bytes, prepare);
                })
                .map_err(RunError::Thread)?;
            to_workers.push(block_tx);
            from_workers.push(done_rx);
            handles.push(handle);
        }
        handles.push(
            std::thread::Builder::new()
                .name("xsoar-rel-read".to_owned())
                .spawn_scoped(scope, move || {
                    read_blocks(input, max_line_bytes, to_workers, stop);
                })
                .map_err(RunError::Thread)?,
        );
        let collected = collect_in_order(&from_workers, diag, keep_going, &mut consume);
        stop.store(true, Ordering::Relaxed);
        // Dropping the receivers makes the workers' next sends fail, so they stop early, and
        // then the reader's.
        drop(from_workers);
        let mut healthy = true;
        for handle in handles {
            healthy &= handle.join().is_ok();
        }
        Ok((collected, healthy))
    })?;
    if !healthy && !matches!(error, Some(RunError::Output(_))) {
        let stopped = io::Error::other("the input reader stopped unexpectedly");
        error = Some(RunError::Input(stopped));
    }
    error.map_or(Ok(summary), Err)
}

/// Takes the workers' blocks back in input order: each item to `consume`, each bad record and
/// warning to `diag`, until the input ends, a bad record stops the run, or writing fails
/// (the error that ended writing, not a closed pipe, or reading).
fn collect_in_order<T, E: Write + ?Sized>(
    from_workers: &[Receiver<Done<T>>],
    diag: &mut E,
    keep_going: bool,
    consume: &mut impl FnMut(T, &[u8]) -> io::Result<()>,
) -> (Summary, Option<RunError>) {
    let mut summary = Summary::default();
    let mut base: u64 = 0;
    for k in 0.. {
        let Ok(done) = from_workers[k % from_workers.len()].recv() else {
            break;
        };
        for event in done.events {
            match event {
                Event::Item(item) => {
                    let written = consume(item, &done.arena);
                    if let Err(e) = end_output(&mut summary, || written) {
                        return (summary, Some(e));
                    }
                    if summary.output_closed {
                        return (summary, None);
                    }
                }
                Event::Warning(line, message) => {
                    let _ = writeln!(diag, "line {}: warning: {message}", base + line);
                }
                Event::Endless(reason) => {
                    let _ = writeln!(diag, "line {base}: {reason}");
                    summary.stopped_at = Some(base);
                }
                Event::Bad(line, reason) => {
                    let line = base + line;
                    summary.bad += 1;
                    let _ = writeln!(diag, "line {line}: {reason}");
                    if !keep_going {
                        summary.stopped_at = Some(line);
                    }
                }
            }
        }
        summary.records += done.records;
        base += done.lines;
        if done.stopped {
            break;
        }
        if let Some(e) = done.error {
            return (summary, Some(RunError::Input(e)));
        }
    }
    (summary, None)
}

/// Most worker threads a run uses.
const MAX_WORKERS: usize = 4;

/// Blocks that may wait in each channel between threads (bounds memory).
const BLOCKS_IN_FLIGHT: usize = 2;

/// A block is handed on when it holds at least this many bytes (whole lines only).
const BLOCK_BYTES: usize = 256 * 1024;

/// Bytes asked of the input per read.
const READ_BYTES: usize = 128 * 1024;

/// Consecutive whole lines of the input, from the reader thread to a worker.
struct Block {
    /// The lines, each ended by `\n` but the last line of the input, which may have none.
    text: Vec<u8>,
    /// Whether the block starts the input (its first line is line 1).
    first: bool,
    /// What follows the lines of `text`.
    then: Then,
}

/// What follows the lines of a [`Block`].
enum Then {
    /// More lines, or the end of the input.
    More,
    /// A line over the length limit, not read.
    TooLong,
    /// The error that ended the input.
    Failed(io::Error),
    /// Nothing: the line over the limit before this (empty) block had no end within
    /// [`limits::MAX_SKIPPED_BYTES`], and the rest of the input is not read.
    Endless,
}

impl Block {
    fn new(text: Vec<u8>, first: bool, then: Then) -> Block {
        Block { text, first, then }
    }
}

/// What a worker made of a [`Block`]. Line numbers are counted from the block's start.
struct Done<T> {
    events: Vec<Event<T>>,
    /// The bytes `prepare` wrote for the block's items.
    arena: Vec<u8>,
    /// Lines in the block (blank ones and one over the limit included).
    lines: u64,
    /// Records (non-blank lines) read, up to the stop if there was one.
    records: u64,
    /// Whether a bad record ended the run (without --keep-going).
    stopped: bool,
    /// The read error after the block, when the run did not stop before it.
    error: Option<io::Error>,
}

/// The reader thread: the input in blocks of whole lines, handed to the workers in turn. A
/// line longer than `max_line_bytes` is not kept: once that many bytes of it are read without
/// its end, it is skipped to its end and the block before it is marked
/// [`Then::TooLong`]; a shorter one that is still too long is left to the worker.
fn read_blocks<R: Read>(
    mut input: R,
    max_line_bytes: usize,
    workers: Vec<SyncSender<Block>>,
    stopped: &AtomicBool,
) {
    let mut sent = 0usize;
    let mut send = |block: Block| {
        let ok = workers[sent % workers.len()].send(block).is_ok();
        sent += 1;
        ok
    };
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK_BYTES + READ_BYTES);
    let mut first = true;
    loop {
        let len = buf.len();
        buf.resize(len + READ_BYTES, 0);
        let read = input.read(&mut buf[len..]);
        let n = match read {
            Ok(n) => n,
            Err(e) => {
                buf.truncate(len);
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                // The unfinished last line is lost, as when reading line by line.
                buf.truncate(memchr::memrchr(b'\n', &buf).map_or(0, |p| p + 1));
                send(Block::new(buf, first, Then::Failed(e)));
                return;
            }
        };
        buf.truncate(len + n);
        if n == 0 {
            if !buf.is_empty() {
                send(Block::new(buf, first, Then::More));
            }
            return;
        }
        if buf.len() < BLOCK_BYTES {
            continue;
        }
        let cut = memchr::memrchr(b'\n', &buf).map_or(0, |p| p + 1);
        let too_long = buf.len() - cut > max_line_bytes;
        if cut == 0 && !too_long {
            continue;
        }
        let mut next = Vec::with_capacity(BLOCK_BYTES + READ_BYTES);
        if !too_long {
            next.extend_from_slice(&buf[cut..]);
        }
        buf.truncate(cut);
        let then = if too_long { Then::TooLong } else { Then::More };
        let block = Block::new(std::mem::replace(&mut buf, next), first, then);
        first = false;
        if !send(block) {
            // The run stopped; nothing more is wanted.
            return;
        }
        if too_long {
            match skip_to_line_end(&mut input, &mut buf, stopped) {
                Ok(Some(true)) => {}
                Ok(Some(false)) => return,
                Ok(None) => {
                    send(Block::new(Vec::new(), false, Then::Endless));
                    return;
                }
                Err(e) => {
                    send(Block::new(Vec::new(), first, Then::Failed(e)));
                    return;
                }
            }
        }
    }
}

/// Reads and drops the input up to and including the next `\n`; what was read after it is
/// left in `buf` (empty before). `Some(false)` at the end of the input, or when the run
/// stopped; `None` when no `\n` came within [`limits::MAX_SKIPPED_BYTES`] (an endless line,
/// such as `/dev/zero`, is never read to its end).
fn skip_to_line_end<R: Read>(
    input: &mut R,
    buf: &mut Vec<u8>,
    stopped: &AtomicBool,
) -> io::Result<Option<bool>> {
    let mut skipped = 0u64;
    loop {
        if stopped.load(Ordering::Relaxed) {
            return Ok(Some(false));
        }
        if skipped >= limits::MAX_SKIPPED_BYTES {
            buf.clear();
            return Ok(None);
        }
        buf.resize(READ_BYTES, 0);
        let n = match input.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                buf.clear();
                return Err(e);
            }
        };
        buf.truncate(n);
        if n == 0 {
            return Ok(Some(false));
        }
        if let Some(p) = memchr::memchr(b'\n', buf) {
            buf.drain(..=p);
            return Ok(Some(true));
        }
        skipped += n as u64;
    }
}

/// A worker thread: blocks of lines into events, in the order of the lines.
fn work<T>(
    blocks: Receiver<Block>,
    done_tx: SyncSender<Done<T>>,
    keep_going: bool,
    max_line_bytes: usize,
    prepare: &impl Fn(&[u8], &mut Vec<u8>) -> Result<Prepared<T>, String>,
) {
    for block in blocks {
        let mut done = Done {
            events: Vec::with_capacity(BLOCK_BYTES / 128),
            arena: Vec::with_capacity(block.text.len().min(BLOCK_BYTES) * 2),
            lines: 0,
            records: 0,
            stopped: false,
            error: None,
        };
        let mut rest = &block.text[..];
        while !rest.is_empty() {
            let raw = match memchr::memchr(b'\n', rest) {
                Some(i) => {
                    let raw = &rest[..i];
                    rest = &rest[i + 1..];
                    raw
                }
                None => std::mem::take(&mut rest),
            };
            done.lines += 1;
            let line_no = done.lines;
            let reason = if raw.len() > max_line_bytes {
                done.records += 1;
                lines::too_long_message(max_line_bytes)
            } else {
                // The `\r` of a `\r\n` line end (the `\n` is already gone).
                let mut line = raw.strip_suffix(b"\r").unwrap_or(raw);
                if block.first && line_no == 1 {
                    // A UTF-8 byte order mark, as some Windows tools write, is not part of
                    // the JSON.
                    line = line.strip_prefix(lines::BOM).unwrap_or(line);
                }
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                done.records += 1;
                match prepare(line, &mut done.arena) {
                    Ok(prepared) => {
                        if let Some(message) = prepared.warning {
                            done.events.push(Event::Warning(line_no, message));
                        }
                        if let Some(item) = prepared.item {
                            done.events.push(Event::Item(item));
                        }
                        continue;
                    }
                    Err(reason) => reason,
                }
            };
            done.events.push(Event::Bad(line_no, reason));
            if !keep_going {
                done.stopped = true;
                break;
            }
        }
        match block.then {
            _ if done.stopped => {}
            Then::More => {}
            Then::Endless => {
                // The bad record was counted with the block before: this one only ends the run.
                let reason = lines::gave_up_message(max_line_bytes);
                done.events.push(Event::Endless(reason));
                done.stopped = true;
            }
            Then::TooLong => {
                done.lines += 1;
                done.records += 1;
                let reason = lines::too_long_message(max_line_bytes);
                done.events.push(Event::Bad(done.lines, reason));
                done.stopped = !keep_going;
            }
            Then::Failed(e) => done.error = Some(e),
        }
        if done_tx.send(done).is_err() {
            // The run stopped; nothing more is wanted.
            return;
        }
    }
}

/// Parses a line into a record; the error is the message for its line.
pub(crate) fn parse(line: &[u8]) -> Result<Record, String> {
    parse_line(line).map_err(|e| e.message)
}

/// The lenient-mode warning for an empty `entity_b`, as XSOAR logs one.
pub(crate) const EMPTY_ENTITY_B: &str =
    "entity_b is empty: XSOAR renders this relationship as {} and creates nothing from it";

/// Checks a relationship record; the error is the message for its line.
pub(crate) fn check(
    checker: &Checker<'_>,
    r: RelationshipInput,
) -> Result<EntityRelationship, String> {
    checker.check(r).map_err(|e| e.to_string())
}

/// Ends writing (unless the output was closed already) with `write`, such as a flush: a
/// closed pipe sets [`Summary::output_closed`], another error is [`RunError::Output`].
pub(crate) fn end_output(
    summary: &mut Summary,
    write: impl FnOnce() -> io::Result<()>,
) -> Result<(), RunError> {
    if summary.output_closed {
        return Ok(());
    }
    match write() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            summary.output_closed = true;
            Ok(())
        }
        other => other.map_err(RunError::Output),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io_opts(keep_going: bool, max_line_bytes: u64) -> IoOpts {
        IoOpts {
            input: "-".into(),
            python_json: false,
            keep_going,
            max_line_bytes,
        }
    }

    fn run_drive(input: &str, keep_going: bool) -> (Summary, Vec<String>, String) {
        let mut diag = Vec::new();
        let mut items = Vec::new();
        let summary = drive(
            input.as_bytes(),
            &mut diag,
            &io_opts(keep_going, 1024),
            |line, _| match parse(line)? {
                Record::Relationship(r) => Ok(Prepared {
                    warning: (r.entity_b.is_empty()).then(|| "empty".to_owned()),
                    item: Some(r.name),
                }),
                Record::IndicatorRecord(_) => Err("indicator".to_owned()),
            },
            |name, _| {
                items.push(name);
                Ok(())
            },
        )
        .unwrap();
        (summary, items, String::from_utf8(diag).unwrap())
    }

    fn rel(name: &str, b: &str) -> String {
        format!(
            r#"{{"name":"{name}","entity_a":"a","entity_a_type":"A","entity_b":"{b}","entity_b_type":"B"}}"#
        )
    }

    #[test]
    fn keeps_order_across_message_boundaries() {
        let input: String = (0..2000)
            .map(|i| rel(&format!("n{i}"), "b") + "\n")
            .collect();
        let (summary, items, diag) = run_drive(&input, false);
        assert_eq!(summary.records, 2000);
        assert_eq!(items.len(), 2000);
        assert!(items.iter().enumerate().all(|(i, n)| *n == format!("n{i}")));
        assert!(diag.is_empty());
    }

    #[test]
    fn reports_bad_records_and_warnings_with_line_numbers() {
        let input = format!(
            "{}\n\n{}\n{{\"value\":\"v\",\"type\":\"t\"}}\n{}\n",
            rel("a", "b"),
            rel("w", ""),
            rel("c", "b")
        );
        let (summary, items, diag) = run_drive(&input, true);
        assert_eq!(items, ["a", "w", "c"]);
        assert_eq!(diag, "line 3: warning: empty\nline 4: indicator\n");
        assert_eq!(
            (summary.records, summary.bad, summary.stopped_at),
            (4, 1, None)
        );

        let (summary, items, _) = run_drive(&input, false);
        assert_eq!(items, ["a", "w"]);
        assert_eq!(summary.stopped_at, Some(4));
        assert_eq!(summary.exit(), Exit::Invalid);
    }

    #[test]
    fn a_closed_output_stops_the_reader() {
        let input: String = (0..5000)
            .map(|i| rel(&format!("n{i}"), "b") + "\n")
            .collect();
        let mut seen = 0;
        let summary = drive(
            input.as_bytes(),
            &mut Vec::new(),
            &io_opts(false, 1024),
            |line, _| match parse(line)? {
                Record::Relationship(r) => Ok(Prepared::item(r.name)),
                Record::IndicatorRecord(_) => Err(String::new()),
            },
            |_, _| {
                seen += 1;
                if seen == 10 {
                    Err(io::Error::from(io::ErrorKind::BrokenPipe))
                } else {
                    Ok(())
                }
            },
        )
        .unwrap();
        assert!(summary.output_closed);
        assert_eq!(seen, 10);
        assert_eq!(summary.exit(), Exit::UsageOrIo);
    }

    #[test]
    fn other_output_errors_end_the_run() {
        let input = rel("a", "b");
        let err = drive(
            input.as_bytes(),
            &mut Vec::new(),
            &io_opts(false, 1024),
            |_, _| Ok(Prepared::item(())),
            |(), _| Err(io::Error::other("disk full")),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "cannot write output: disk full");
    }

    #[test]
    fn a_read_error_is_reported_after_what_was_read() {
        struct Failing(Option<Vec<u8>>);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                match self.0.take() {
                    Some(data) => {
                        buf[..data.len()].copy_from_slice(&data);
                        Ok(data.len())
                    }
                    None => Err(io::Error::other("device gone")),
                }
            }
        }
        let mut items = 0;
        let err = drive(
            Failing(Some((rel("a", "b") + "\n").into_bytes())),
            &mut Vec::new(),
            &io_opts(false, 1024),
            |_, _| Ok(Prepared::item(())),
            |(), _| {
                items += 1;
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(items, 1);
        assert!(matches!(err, RunError::Input(_)), "{err}");
    }

    #[test]
    fn long_lines_blank_lines_and_line_ends_across_blocks() {
        // Long lines inside a block, at the end of a read and at the end of the input.
        let long = "x".repeat(5000);
        let mut input = String::from("\u{feff}");
        let mut want_items = Vec::new();
        let mut want_diag = String::new();
        for i in 1..=4000u64 {
            if i % 997 == 0 {
                input.push_str(&long);
                want_diag.push_str(&format!(
                    "line {i}: the line is longer than the limit of 4096 bytes (--max-line-bytes); it was not read\n"
                ));
            } else if i % 13 == 0 {
                input.push_str("  ");
            } else {
                input.push_str(&rel(&format!("n{i}"), "b"));
                want_items.push(format!("n{i}"));
            }
            input.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
        }
        input.push_str(&long);
        want_diag.push_str("line 4001: the line is longer than the limit of 4096 bytes (--max-line-bytes); it was not read\n");
        let mut diag = Vec::new();
        let mut items = Vec::new();
        let summary = drive(
            input.as_bytes(),
            &mut diag,
            &io_opts(true, 4096),
            |line, _| match parse(line)? {
                Record::Relationship(r) => Ok(Prepared::item(r.name)),
                Record::IndicatorRecord(_) => Err(String::new()),
            },
            |name, _| {
                items.push(name);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(items, want_items);
        assert_eq!(String::from_utf8(diag).unwrap(), want_diag);
        assert_eq!(summary.bad, 5);
        // 4,001 lines, less the blank ones (every 13th; none of them is also a 997th).
        assert_eq!(summary.records, 4001 - 4000 / 13);
    }

    #[test]
    fn an_endless_line_stops_the_run_without_being_read_to_its_end() {
        struct Zeros;
        impl Read for Zeros {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                buf.fill(0);
                Ok(buf.len())
            }
        }
        let mut diag = Vec::new();
        let summary = drive(
            Zeros,
            &mut diag,
            &io_opts(false, 1 << 20),
            |_, _| Ok(Prepared::item(())),
            |(), _| Ok(()),
        )
        .unwrap();
        assert_eq!(summary.stopped_at, Some(1));
        assert_eq!(summary.records, 1);
        // With --keep-going the rest of the line is read past only so far.
        let mut diag = Vec::new();
        let summary = drive(
            Zeros,
            &mut diag,
            &io_opts(true, 1 << 20),
            |_, _| Ok(Prepared::item(())),
            |(), _| Ok(()),
        )
        .unwrap();
        assert_eq!(summary.stopped_at, Some(1));
        assert_eq!((summary.records, summary.bad), (1, 1));
        let diag = String::from_utf8(diag).unwrap();
        assert!(
            diag.contains("it and the rest of the input were not read"),
            "{diag}"
        );
    }

    #[test]
    fn items_read_their_rendering_from_the_block_buffer() {
        let input: String = (0..3000)
            .map(|i| rel(&format!("n{i}"), "b") + "\n")
            .collect();
        let mut out = Vec::new();
        drive(
            input.as_bytes(),
            &mut Vec::new(),
            &io_opts(false, 1024),
            |line, arena: &mut Vec<u8>| match parse(line)? {
                Record::Relationship(r) => {
                    let start = arena.len();
                    arena.extend_from_slice(r.name.as_bytes());
                    arena.push(b',');
                    Ok(Prepared::item(start..arena.len()))
                }
                Record::IndicatorRecord(_) => Err(String::new()),
            },
            |range, arena| {
                out.extend_from_slice(&arena[range]);
                Ok(())
            },
        )
        .unwrap();
        let want: String = (0..3000).map(|i| format!("n{i},")).collect();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}
