//! `xsoar-rel schema diff OLD NEW`: what changed between two schema files, and which typed
//! code stops compiling.

use std::io::Write;
use std::path::PathBuf;

use crate::schema_diff::SchemaDiff;
use clap::Args;

use crate::context::Context;
use crate::error::Error;
use crate::exit::Exit;

/// The `after_help` text of `schema diff`.
pub(crate) const DIFF_HELP: &str = "\
Compares two schemas by name (reordering a file changes nothing) and prints, one section per
kind of change, with `+` added, `-` removed and `~` changed:
  types (XSOAR spelling and Rust marker), relationship names (reverse name, marker, method),
  renamed markers and methods, changed reverse names, reverse-only names, relationships that
  became or stopped being any-pair, added and removed triples with their typed constructor
  (`Account`.uses(&`Host`)), and the typed code that stops compiling, e.g.
    - `Account`.uses(&`Host`) — Account uses Host no longer allowed
A change is breaking when code that compiled against the old schema's generated module can
stop compiling (a removed or renamed type, name, marker or method, or a pair no longer
allowed); a changed reverse name is reported but is not breaking.

Exit codes: 0 when the schemas are the same, 1 when they differ (with --breaking: only when
the change is breaking) or a schema is invalid, 2 when a file cannot be read or written.

Examples:
  xsoar-rel schema diff schemas/xsoar.json schemas/my_xsoar.json
  xsoar-rel schema diff --json old.json new.json | jq '.breaking'
  git show HEAD~1:schemas/hr.json > /tmp/hr-old.json
  xsoar-rel schema diff --breaking /tmp/hr-old.json schemas/hr.json || echo 'breaking change'";

#[derive(Debug, Clone, Args)]
pub(crate) struct SchemaDiffArgs {
    /// The old schema file.
    #[arg(value_name = "OLD")]
    pub(crate) old: PathBuf,
    /// The new schema file.
    #[arg(value_name = "NEW")]
    pub(crate) new: PathBuf,
    /// Print the machine-readable report (one JSON object, keys in a fixed order) instead
    /// of the text report.
    #[arg(long)]
    pub(crate) json: bool,
    /// Exit 1 only for a breaking change; differences that break nothing exit 0.
    #[arg(long)]
    pub(crate) breaking: bool,
}

/// The report text (or JSON, with `--json`, ending in a newline) and the exit code for two
/// loaded schemas.
pub(crate) fn report(args: &SchemaDiffArgs, diff: &SchemaDiff) -> (String, Exit) {
    let text = if args.json {
        diff.to_json_pretty() + "\n"
    } else {
        diff.to_string()
    };
    let different = !diff.is_empty() && (diff.is_breaking() || !args.breaking);
    (text, if different { Exit::Invalid } else { Exit::Ok })
}

/// Runs `schema diff`: loads both files, writes the report to stdout and the schemas'
/// errors to stderr.
pub(crate) fn run(ctx: &Context<'_>, args: &SchemaDiffArgs) -> Result<Exit, Error> {
    let old = relationship_schema_parse::load(&args.old);
    let new = relationship_schema_parse::load(&args.new);
    let (old, new) = match (old, new) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            let mut exit = Exit::Ok;
            for errors in [o.err(), n.err()].into_iter().flatten() {
                let _ = writeln!(ctx.stderr(), "{}", errors.to_string().trim_end());
                exit = exit.max(Exit::for_schema_errors(&errors));
            }
            return Err(Error::new(exit, "cannot compare invalid schemas"));
        }
    };
    let diff = SchemaDiff::between(&old, &new);
    let (text, code) = report(args, &diff);
    ctx.answer(&text, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(json: bool, breaking: bool) -> SchemaDiffArgs {
        SchemaDiffArgs {
            old: "old.json".into(),
            new: "new.json".into(),
            json,
            breaking,
        }
    }

    fn schema(rules: &str) -> relationship_schema::Schema {
        relationship_schema_parse::parse_str(
            &format!(
                r#"{{"name": "t", "types": ["Account", "Host"],
                "relationships": [{{"name": "uses", "reverse": "uses", "rules": {rules}}}]}}"#
            ),
            "t.json",
        )
        .unwrap()
    }

    #[test]
    fn exit_codes_follow_diff_and_breaking() {
        let one = schema(r#"[{"from": "Account", "to": "Host"}]"#);
        let two = schema(r#"[{"from": "Account", "to": ["Host", "Account"]}]"#);
        let same = SchemaDiff::between(&one, &one);
        let added = SchemaDiff::between(&one, &two);
        let removed = SchemaDiff::between(&two, &one);
        assert_eq!(report(&args(false, false), &same).1, Exit::Ok);
        assert_eq!(report(&args(false, false), &added).1, Exit::Invalid);
        assert_eq!(report(&args(false, true), &added).1, Exit::Ok);
        assert_eq!(report(&args(false, true), &removed).1, Exit::Invalid);
    }

    #[test]
    fn json_report_is_one_object_with_a_newline() {
        let one = schema(r#"[{"from": "Account", "to": "Host"}]"#);
        let (text, _) = report(&args(true, false), &SchemaDiff::between(&one, &one));
        assert!(text.ends_with("}\n"));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["identical"], true);
    }

    #[test]
    fn unreadable_schemas_exit_2_naming_the_files() {
        let a = SchemaDiffArgs {
            old: "/nonexistent/old.json".into(),
            new: "/nonexistent/new.json".into(),
            json: false,
            breaking: false,
        };
        let (mut out, mut diag) = (Vec::new(), Vec::new());
        let ctx = Context::new("schema diff", &mut out, &mut diag);
        let exit = run(&ctx, &a).unwrap_or_else(|e| e.exit());
        drop(ctx);
        assert_eq!(exit, Exit::UsageOrIo);
        assert!(out.is_empty());
        let diag = String::from_utf8(diag).unwrap();
        assert!(diag.contains("/nonexistent/old.json"), "{diag}");
        assert!(diag.contains("/nonexistent/new.json"), "{diag}");
    }
}
