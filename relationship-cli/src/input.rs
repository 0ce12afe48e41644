//! Reading NDJSON records, shared by `render` and `batch`: the input file or stdin, the
//! two-thread read loop, error reporting per line and the run's [`Summary`].
//!
//! The loop is a two-stage pipeline: a reader thread reads lines, parses and checks records,
//! and hands them in order, in groups, to the calling thread, which renders and writes them.
//! Bad records and warnings travel in the same ordered stream, so stderr reports them in
//! input order, and the output never depends on thread timing.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;
use std::sync::mpsc::{SyncSender, sync_channel};

use relationship_core::json::JsonStyle;
use relationship_core::lines::{self, Line};
use relationship_core::record::{Record, parse_line};
use relationship_schema::SchemaErrors;

use crate::cli::IoOpts;
use crate::exit::Exit;

/// Size of the input and output buffers.
pub const BUF_SIZE: usize = 256 * 1024;

/// Records handed from the reader thread to the writer in one message.
const EVENTS_PER_MESSAGE: usize = 512;

/// Messages that may wait between the two threads (bounds memory).
const MESSAGES_IN_FLIGHT: usize = 8;

/// A failure that ends a run before or outside the per-record loop.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The input file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Input {
        /// The path as given (`-` for stdin).
        path: String,
        /// The underlying error.
        source: io::Error,
    },
    /// The output could not be written, or was closed by its reader (a broken pipe): either
    /// way what was written is incomplete.
    #[error("{}", crate::output::write_failure(.0))]
    Output(io::Error),
    /// The `--schema` file is not a valid schema, or cannot be read.
    #[error("{0}")]
    Schema(SchemaErrors),
    /// The reader thread could not be started.
    #[error("cannot start the input reader: {0}")]
    Thread(io::Error),
}

impl RunError {
    /// The exit code: [`Exit::Invalid`] for an invalid schema, [`Exit::UsageOrIo`] for the
    /// rest (files that cannot be read or written).
    pub fn exit(&self) -> Exit {
        match self {
            RunError::Schema(errors) => Exit::for_schema_errors(errors),
            RunError::Input { .. } | RunError::Output(_) | RunError::Thread(_) => Exit::UsageOrIo,
        }
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
    pub fn exit(&self) -> Exit {
        if self.output_closed {
            Exit::UsageOrIo
        } else if self.bad > 0 {
            Exit::Invalid
        } else {
            Exit::Ok
        }
    }
}

/// What the reader thread made of one good record.
#[derive(Debug)]
pub struct Prepared<T> {
    /// The item to write, if any.
    pub item: Option<T>,
    /// A warning to report for the record's line (it does not make the record bad).
    pub warning: Option<String>,
}

impl<T> Prepared<T> {
    /// An item without a warning.
    pub fn item(item: T) -> Self {
        Prepared {
            item: Some(item),
            warning: None,
        }
    }
}

/// One event of the reader thread, in input order.
enum Event<T> {
    Item(T),
    Warning { line: u64, message: String },
    Bad { line: u64, reason: String },
}

/// The input of a run: stdin or an opened file.
pub enum Input {
    /// Standard input (`-`).
    Stdin(io::Stdin),
    /// A file.
    File(File),
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Stdin(s) => s.read(buf),
            Input::File(f) => f.read(buf),
        }
    }
}

/// The output style `--python-json` selects.
pub fn style(python_json: bool) -> JsonStyle {
    if python_json {
        JsonStyle::Python
    } else {
        JsonStyle::Compact
    }
}

/// Opens the input and a buffered stdout, runs `body`, reports the summary and returns the
/// exit code.
pub fn with_io<E: Write>(
    io_opts: &IoOpts,
    diag: &mut E,
    body: impl FnOnce(
        Input,
        &mut io::BufWriter<io::StdoutLock<'static>>,
        &mut E,
    ) -> Result<Summary, RunError>,
) -> Result<Exit, RunError> {
    let path = io_opts.input.as_path();
    let name = path.display().to_string();
    let input = if path == Path::new("-") {
        Input::Stdin(io::stdin())
    } else {
        Input::File(File::open(path).map_err(|source| RunError::Input {
            path: name.clone(),
            source,
        })?)
    };
    let mut out = io::BufWriter::with_capacity(BUF_SIZE, io::stdout().lock());
    let summary = body(input, &mut out, diag).map_err(|e| match e {
        RunError::Input { source, .. } => RunError::Input { path: name, source },
        other => other,
    })?;
    if summary.output_closed {
        // The summary of a run whose output was cut short would claim too much.
        return Err(RunError::Output(io::Error::from(io::ErrorKind::BrokenPipe)));
    }
    report(&summary, io_opts.keep_going, diag);
    Ok(summary.exit())
}

/// The closing line on stderr when records were bad.
fn report<E: Write>(summary: &Summary, keep_going: bool, diag: &mut E) {
    if summary.bad == 0 {
        return;
    }
    let plural = if summary.bad == 1 { "" } else { "s" };
    let _ = match summary.stopped_at {
        Some(line) => writeln!(
            diag,
            "xsoar-rel: stopped at line {line}, the first bad record; records before it were \
             written (use --keep-going to write every valid record)"
        ),
        None if keep_going => writeln!(
            diag,
            "xsoar-rel: {} bad record{plural} of {}; the {} valid records were written",
            summary.bad,
            summary.records,
            summary.records - summary.bad
        ),
        None => Ok(()),
    };
}

/// The NDJSON loop shared by the subcommands.
///
/// A reader thread reads `input` line by line into one reused buffer, skips blank lines
/// (still counting them), parses each record and calls `prepare` on it (parsing and checks).
/// The calling thread receives the results in input order and calls `consume` on each item
/// (rendering and writing). A bad record is reported on `diag` as `line N: <reason>`;
/// without `keep_going` the run then stops. A warning from `prepare` is reported as
/// `line N: warning: <text>` and does not count as bad. An error from `consume` ends the run:
/// by setting [`Summary::output_closed`] for a closed pipe, as [`RunError::Output`] otherwise.
pub fn drive<R, T, E>(
    input: R,
    diag: &mut E,
    keep_going: bool,
    max_line_bytes: usize,
    prepare: impl FnMut(Record) -> Result<Prepared<T>, String> + Send,
    mut consume: impl FnMut(T) -> io::Result<()>,
) -> Result<Summary, RunError>
where
    R: Read + Send,
    T: Send,
    E: Write,
{
    let mut summary = Summary::default();
    let mut output_error = None;
    let read_result = std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Vec<Event<T>>>(MESSAGES_IN_FLIGHT);
        let reader = std::thread::Builder::new()
            .name("xsoar-rel-read".to_owned())
            .spawn_scoped(scope, move || {
                read_records(input, keep_going, max_line_bytes, prepare, tx)
            })
            .map_err(RunError::Thread)?;
        'messages: for events in rx.iter() {
            for event in events {
                match event {
                    Event::Item(item) => {
                        if let Err(e) = consume(item) {
                            if e.kind() == io::ErrorKind::BrokenPipe {
                                summary.output_closed = true;
                            } else {
                                output_error = Some(e);
                            }
                            break 'messages;
                        }
                    }
                    Event::Warning { line, message } => {
                        let _ = writeln!(diag, "line {line}: warning: {message}");
                    }
                    Event::Bad { line, reason } => {
                        summary.bad += 1;
                        let _ = writeln!(diag, "line {line}: {reason}");
                        if !keep_going {
                            summary.stopped_at = Some(line);
                        }
                    }
                }
            }
        }
        // Dropping the receiver makes the reader's next send fail, so it stops early.
        drop(rx);
        Ok(reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the input reader stopped unexpectedly"))))
    })?;
    if let Some(e) = output_error {
        return Err(RunError::Output(e));
    }
    match read_result {
        Ok(records) => summary.records = records,
        Err(_) if summary.output_closed => {}
        Err(source) => {
            return Err(RunError::Input {
                path: String::new(),
                source,
            });
        }
    }
    Ok(summary)
}

/// The reader thread: lines to events, sent in groups. Returns the number of records read.
fn read_records<R: Read, T>(
    input: R,
    keep_going: bool,
    max_line_bytes: usize,
    mut prepare: impl FnMut(Record) -> Result<Prepared<T>, String>,
    tx: SyncSender<Vec<Event<T>>>,
) -> io::Result<u64> {
    let mut reader = BufReader::with_capacity(BUF_SIZE, input);
    let mut buf = Vec::with_capacity(4096);
    let mut events = Vec::with_capacity(EVENTS_PER_MESSAGE);
    let mut line_no: u64 = 0;
    let mut records: u64 = 0;
    let result = loop {
        let read = match lines::read_line(&mut reader, &mut buf, max_line_bytes) {
            Ok(Line::Eof) => break Ok(records),
            Ok(read) => read,
            Err(e) => break Err(e),
        };
        line_no += 1;
        if let Line::TooLong { ended } = read {
            records += 1;
            events.push(Event::Bad {
                line: line_no,
                reason: lines::too_long_message(max_line_bytes),
            });
            if !keep_going {
                break Ok(records);
            }
            if !ended {
                if let Err(e) = lines::skip_line(&mut reader) {
                    break Err(e);
                }
            }
            continue;
        }
        let mut line = trim_line_end(&buf);
        if line_no == 1 {
            // A UTF-8 byte order mark, as some Windows tools write, is not part of the JSON.
            line = line.strip_prefix(lines::BOM).unwrap_or(line);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        records += 1;
        match parse_line(line)
            .map_err(|e| e.message)
            .and_then(&mut prepare)
        {
            Ok(prepared) => {
                if let Some(message) = prepared.warning {
                    events.push(Event::Warning {
                        line: line_no,
                        message,
                    });
                }
                if let Some(item) = prepared.item {
                    events.push(Event::Item(item));
                }
            }
            Err(reason) => {
                events.push(Event::Bad {
                    line: line_no,
                    reason,
                });
                if !keep_going {
                    break Ok(records);
                }
            }
        }
        if events.len() >= EVENTS_PER_MESSAGE {
            let full = std::mem::replace(&mut events, Vec::with_capacity(EVENTS_PER_MESSAGE));
            if tx.send(full).is_err() {
                // The writer stopped (closed output); nothing more is wanted.
                return Ok(records);
            }
        }
    };
    if !events.is_empty() {
        let _ = tx.send(events);
    }
    result
}

/// Strips one trailing `\r` (of a `\r\n` line end; the `\n` is already gone).
fn trim_line_end(buf: &[u8]) -> &[u8] {
    buf.strip_suffix(b"\r").unwrap_or(buf)
}

/// Flushes the output of a run; a closed pipe sets [`Summary::output_closed`].
pub fn finish_output<W: Write>(out: &mut W, summary: &mut Summary) -> Result<(), RunError> {
    if summary.output_closed {
        return Ok(());
    }
    match out.flush() {
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

    fn run_drive(input: &str, keep_going: bool) -> (Summary, Vec<String>, String) {
        let mut diag = Vec::new();
        let mut items = Vec::new();
        let summary = drive(
            input.as_bytes(),
            &mut diag,
            keep_going,
            1024,
            |r| match r {
                Record::Relationship(r) => Ok(Prepared {
                    warning: (r.entity_b.is_empty()).then(|| "empty".to_owned()),
                    item: Some(r.name),
                }),
                Record::IndicatorRecord(_) => Err("indicator".to_owned()),
            },
            |name| {
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
            false,
            1024,
            |r| match r {
                Record::Relationship(r) => Ok(Prepared::item(r.name)),
                Record::IndicatorRecord(_) => Err(String::new()),
            },
            |_| {
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
            false,
            1024,
            |_| Ok(Prepared::item(())),
            |()| Err(io::Error::other("disk full")),
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
            false,
            1024,
            |_| Ok(Prepared::item(())),
            |()| {
                items += 1;
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(items, 1);
        assert!(matches!(err, RunError::Input { .. }), "{err}");
    }
}
