//! `xsoar-rel convert-stix BUNDLE`: a STIX 2.0/2.1 bundle (such as MITRE ATT&CK) into
//! createIndicators batches, as XSOAR's ATT&CK feed would write them, every relationship
//! checked against the schema.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use relationship_core::limits::{DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, MAX_BUNDLE_BYTES};
use relationship_stix::{ConvertError, ConvertOptions, Progress, convert};

use crate::context::{BUF_SIZE, Context, open_input};
use crate::error::Error;
use crate::exit::Exit;
use crate::opts::{ModeOpt, SchemaOpt, batch_options, json_style};
use crate::output::{AtomicFile, check_distinct};

/// The `after_help` text of `convert-stix`.
pub(crate) const CONVERT_STIX_HELP: &str = concat!(
    "\
Writes one JSON array (one createIndicators batch) per line to OUT or stdout, and a summary
table on stderr: objects read by STIX type, indicators written by XSOAR type, relationships
written by name, objects not converted by reason and by (source type, name, target type).

By default this is what XSOAR's MITRE ATT&CK feed does, as of demisto/content
Packs/FeedMitreAttackv2/Integrations/FeedMitreAttackv2/FeedMitreAttackv2.py at commit
2e2facd30b8a79670ee7d90cd2a62c29f292610f: x-mitre-tactic, attack-pattern, course-of-action,
intrusion-set, malware, tool and campaign become indicators keyed value, score, type, rawJSON,
fields, with the feed's fields and scores (null for an intrusion set switched to Threat Actor)
and rawJSON's description cleaned of citations; a tactic is `TA0005 - Defense Evasion`
(type Tactic, score 0) and every technique that is not a sub-technique carries a
`relationships` list: part-of each tactic of its mitre-attack kill chain phases (reverse
contains); revoked and deprecated objects and revoked-by relationships are skipped; a
sub-technique is named `Parent: Sub`; a malware named like an intrusion set gets
` [Malware]`; publication dates are read from citations as the feed's dateparser reads them.
--no-tactics leaves tactics and the technique lists out, for XSOAR whose content predates
the Tactic indicator type (ThreatIntel.ObjectsNames.TACTIC, late 2024; the feed before it,
e.g. commit 00f1562c7e79f17d3ab50e6e911773c9591fb5c4, has none).

Deliberate differences from the feed: a bundle file instead of TAXII; indicators in bundle
order (the feed writes them by type); XSOAR 6.2+ types only (no `STIX ...` types); strict
schema check of every relationship and type (--lenient does as the feed); objects
de-duplicated by id (the first wins) and identical relationships written once; at most
--batch-size relationships per dummy (the feed puts all on one); a kill chain phase whose
tactic is not converted and a tactic without an external_id are counted and rejected, and a
created/modified date that is not ISO is kept as written, where the feed stops the whole
fetch; a technique without kill_chain_phases gets an empty list; citation dates read for
the forms ATT&CK uses (other dateparser forms give no timestamp); rawJSON keeps the bundle's
key order. Other STIX types
map as XSOAR's TAXII feeds map them (observables, indicator patterns, vulnerability -> CVE,
identity, location, infrastructure, threat-actor, report); STIX `indicates` becomes
`indicator-of` (indicator as entity A), originates-from -> originated-from, consists-of ->
contains, belongs-to -> part-of.

Every relationship is checked against the schema (strict unless --lenient). Objects that
cannot be converted are counted in the summary; --reject-file writes each one as a JSON line
{\"reason\", \"message\", \"path\", \"id\", \"type\", \"object\"}. The exit code is 0 when the
bundle was read to the end (objects not converted do not change it), 1 when it is malformed
(the error names line, column and the `objects[N]` element; nesting deeper than 512 arrays
and objects, counting the bundle, and a lone surrogate escape such as \"\\ud800\" are
malformed), 2 when a file cannot be read or written. A UTF-8 byte order mark at the start of
the bundle is skipped.

",
    crate::output::output_rules_help!(),
    "

Examples:
  scripts/fetch-attck.sh
  xsoar-rel convert-stix data/attck/enterprise.json -o attck.ndjson --reject-file rejected.ndjson
  xsoar-rel convert-stix --intrusion-set-as-threat-actor --attach --python-json bundle.json
  curl -s https://example.org/bundle.json | xsoar-rel convert-stix - | xsoar-rel validate -"
);

#[derive(Debug, Clone, Args)]
pub(crate) struct ConvertStixArgs {
    /// The STIX bundle (a JSON object with an `objects` array), or `-` for stdin.
    #[arg(value_name = "BUNDLE")]
    pub(crate) bundle: PathBuf,
    /// Write the batches to this file instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,
    /// Most items per batch (indicators plus dummy indicators), at most 10000; no dummy
    /// carries more relationships than this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_SIZE as u32,
          value_parser = clap::value_parser!(u32).range(1..=MAX_BATCH_SIZE as i64))]
    pub(crate) batch_size: u32,
    /// Attach each relationship to its source indicator (the indicators are then held until
    /// the bundle is read, so that their relationships can follow them).
    #[arg(long, conflicts_with = "dummy")]
    pub(crate) attach: bool,
    /// Put every relationship on `$$DummyIndicator$$` pseudo-indicators (the default, as
    /// XSOAR's ATT&CK feed does).
    #[arg(long)]
    pub(crate) dummy: bool,
    /// Write JSON byte-identical to Python's `json.dumps` defaults instead of compact JSON.
    #[arg(long)]
    pub(crate) python_json: bool,
    /// Map intrusion-set to `Threat Actor` (the feed's `switch_intrusion_set_to_threat_actor`).
    #[arg(long)]
    pub(crate) intrusion_set_as_threat_actor: bool,
    /// No Tactic indicators and no technique-to-tactic links, for XSOAR whose content predates
    /// the Tactic indicator type (x-mitre-tactic is then an unsupported type).
    #[arg(long)]
    pub(crate) no_tactics: bool,
    /// Write STIX `indicates` as XSOAR's feeds do, `indicated-by` with the indicator as entity
    /// A, instead of `indicator-of`.
    #[arg(long)]
    pub(crate) indicated_by: bool,
    /// Also convert identities that are only the `created_by_ref` author of other objects.
    #[arg(long)]
    pub(crate) creator_identities: bool,
    /// Write every object that was not converted, with its reason, to this NDJSON file.
    #[arg(long, value_name = "FILE")]
    pub(crate) reject_file: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) schema: SchemaOpt,
    #[command(flatten)]
    pub(crate) check: ModeOpt,
}

/// Runs `convert-stix`: batches to `-o` or stdout, the summary to stderr.
pub(crate) fn run(ctx: &Context<'_>, args: &ConvertStixArgs) -> Result<Exit, Error> {
    let schema = args.schema.load()?;
    let inputs = [
        ("the bundle", Some(args.bundle.as_path())),
        ("--schema", args.schema.path.as_deref()),
    ];
    let outputs = [
        ("--output", args.output.as_deref()),
        ("--reject-file", args.reject_file.as_deref()),
    ];
    check_distinct(&inputs, &outputs)?;
    // Files are written to temporary files and renamed into place only when the whole
    // bundle was converted: an error or a signal leaves any previous file untouched. They
    // are prepared (and refused, by the output rules) before the bundle is read.
    let mut out_file = AtomicFile::create_if_asked(args.output.as_deref())?;
    let mut rejects = AtomicFile::create_if_asked(args.reject_file.as_deref())?;
    let (input, total) =
        open_input(&args.bundle).map_err(|e| Error::cannot_read(&args.bundle, e))?;
    if let Some(len) = total.filter(|&n| n > MAX_BUNDLE_BYTES as u64) {
        // Refused before it is read, as the library would refuse it at that byte.
        return Err(Error::invalid(format!(
            "{}: the bundle is {len} bytes, larger than the limit of {} MiB; it was not converted",
            args.bundle.display(),
            MAX_BUNDLE_BYTES >> 20
        )));
    }
    let bar = io::stderr().is_terminal().then(|| match total {
        Some(len) => ProgressBar::new(len).with_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner(),
    });
    let mut on_progress = |p: &Progress| {
        if let Some(bar) = &bar {
            bar.set_position(p.bytes_read);
            bar.set_message(format!(
                "{} objects, {} indicators, {} relationships",
                p.objects_read, p.indicators_written, p.relationships_written
            ));
        }
    };
    let result = {
        let mut stdout = ctx.stdout();
        let output: Box<dyn Write + '_> = match out_file.as_mut() {
            None => Box::new(BufWriter::with_capacity(BUF_SIZE, &mut *stdout)),
            Some(f) => Box::new(&mut f.file),
        };
        let sink = rejects.as_mut().map(|w| &mut w.file as &mut dyn Write);
        let options = ConvertOptions {
            intrusion_set_as_threat_actor: args.intrusion_set_as_threat_actor,
            no_tactics: args.no_tactics,
            indicates_as_indicated_by: args.indicated_by,
            creator_identities: args.creator_identities,
            mode: args.check.mode(),
            batch: batch_options(args.batch_size, args.attach, true),
            style: json_style(args.python_json),
        };
        convert(input, output, schema, &options, sink, &mut on_progress)
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    // The reject file first: when it cannot be put in place, the output stays as it was.
    let report = result.map_err(|e| conversion_error(args, e))?;
    for file in [rejects, out_file].into_iter().flatten() {
        file.file.commit()?;
    }
    let _ = writeln!(ctx.stderr(), "{report}");
    Ok(Exit::Ok)
}

/// The error for a conversion that failed: which file could not be read or written, or
/// where the bundle is malformed.
fn conversion_error(args: &ConvertStixArgs, e: ConvertError) -> Error {
    let cannot_write = |path: &Option<PathBuf>, e: io::Error| {
        let shown = path
            .as_ref()
            .map_or_else(|| "the reject file".to_owned(), |p| p.display().to_string());
        Error::usage_or_io(format!("cannot write {shown}: {e}"))
    };
    match e {
        ConvertError::Write(e) if args.output.is_none() => Error::output(&e),
        ConvertError::Write(e) => cannot_write(&args.output, e),
        ConvertError::Rejects(e) => cannot_write(&args.reject_file, e),
        ConvertError::Read(e) => Error::cannot_read(&args.bundle, e),
        e @ (ConvertError::Json { .. }
        | ConvertError::NotABundle(_)
        | ConvertError::TooLarge(_)) => Error::invalid(format!("{}: {e}", args.bundle.display())),
    }
}
