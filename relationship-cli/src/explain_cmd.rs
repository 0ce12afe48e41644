//! `xsoar-rel schema explain TYPE [NAME [TYPE]]`: what the schema (the `--schema` file,
//! default the built-in XSOAR schema) allows, in XSOAR's spelling.
//!
//! * `explain Host`: every relationship `Host` may have, both directions, with the types at
//!   the other end;
//! * `explain Malware uses`: the types `Malware` may `uses`, and the types that may `uses`
//!   a `Malware`;
//! * `explain Malware uses CVE`: yes or no; when no, what `Malware` may `uses` instead and
//!   which relationships the schema allows between `Malware` and `CVE`.
//!
//! A misspelled type or relationship name is a usage error with "did you mean".

use std::fmt::Write as _;

use clap::Args;
use relationship_schema::naming::article;
use relationship_schema::suggest::did_you_mean;
use relationship_schema::{Pairs, RelId, Schema, TypeId};

use crate::context::Context;
use crate::error::Error;
use crate::exit::Exit;
use crate::opts::SchemaOpt;

/// The `--help` text after the options.
pub(crate) const EXPLAIN_HELP: &str = "\
Answers in XSOAR's spelling, from the --schema file (default: the built-in XSOAR schema).
Exits 0, or 1 when the asked triple is not allowed (the answer is \"no\"), or 2 when a type
or relationship name is not in the schema (with \"did you mean\").

Examples:
  xsoar-rel schema explain Host
  xsoar-rel schema explain Malware uses
  xsoar-rel schema explain Malware uses CVE
  xsoar-rel schema explain --schema schemas/hr.json Employee owns Host";

#[derive(Debug, Clone, Args)]
pub(crate) struct SchemaExplainArgs {
    /// The source indicator type, as XSOAR spells it (`CVE`, `X509 Certificate`).
    #[arg(value_name = "TYPE")]
    pub(crate) source: String,
    /// A relationship name (`uses`, `sub-domain-of`).
    #[arg(value_name = "NAME")]
    pub(crate) relationship: Option<String>,
    /// The target indicator type.
    #[arg(value_name = "TARGET", requires = "relationship")]
    pub(crate) target: Option<String>,
    #[command(flatten)]
    pub(crate) schema: SchemaOpt,
}

/// A name the schema does not have, with its "did you mean".
fn unknown<'a>(
    what: &str,
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
    in_schema: &str,
) -> String {
    let hint = did_you_mean(name, candidates).map_or_else(String::new, |h| format!("; {h}"));
    format!("unknown {what} `{name}` in the schema `{in_schema}`{hint}\n")
}

/// A type by its XSOAR name, or as compiler errors of typed calls print it: by its Rust
/// marker (`RegistryKey`, `Cve`) or spelling type, possibly path-qualified
/// (`my_crate::hr::check::spell::IP`).
fn find_type(schema: &Schema, name: &str) -> Result<TypeId, String> {
    let by_rust_name = || {
        let last = name.rsplit("::").next().unwrap_or(name);
        schema
            .type_id(last)
            .or_else(|| schema.type_ids().find(|&t| schema.ty(t).marker() == last))
    };
    schema.type_id(name).or_else(by_rust_name).ok_or_else(|| {
        let names = schema.types().iter().map(|t| t.name());
        unknown("indicator type", name, names, schema.name())
    })
}

/// A relationship by its XSOAR name, or by its typed constructor (`sub_domain_of`) or
/// marker (`SubDomainOf`).
fn find_rel(schema: &Schema, name: &str) -> Result<RelId, String> {
    let rust_name = |&r: &RelId| [schema.rel(r).method(), schema.rel(r).marker()].contains(&name);
    let by_rust_name = || schema.rel_ids().find(rust_name);
    schema.rel_id(name).or_else(by_rust_name).ok_or_else(|| {
        let names = schema.relationships().iter().map(|r| r.name());
        unknown("relationship name", name, names, schema.name())
    })
}

/// Names as `` `a`, `b` `` (empty for none).
fn ticked<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let ticked = names.into_iter().map(|n| format!("`{n}`"));
    ticked.collect::<Vec<_>>().join(", ")
}

/// One line of what `name` relates to: `` `name` --rel--> `A`, `B` `` (outgoing) or
/// `` `A`, `B` --rel--> `name` ``, or, with no other types, that `name` is never the source
/// (the target) of `rel`. `only` goes before the list of targets.
fn write_links(
    out: &mut String,
    schema: &Schema,
    name: &str,
    rel: &str,
    others: &[TypeId],
    outgoing: bool,
    only: &str,
) {
    let list = ticked(others.iter().map(|&t| schema.ty(t).name()));
    let end = if outgoing { "source" } else { "target" };
    let _ = match (others.is_empty(), outgoing) {
        (true, _) => writeln!(out, "  `{name}` is never the {end} of `{rel}`"),
        (false, true) => writeln!(out, "  `{name}` --{rel}--> {only}{list}"),
        (false, false) => writeln!(out, "  {list} --{rel}--> `{name}`"),
    };
}

fn explain_type(schema: &Schema, ty: TypeId) -> String {
    let name = schema.ty(ty).name();
    let mut out = format!("`{name}` in the schema `{}`:\n", schema.name());
    for (direction, outgoing) in [("from", true), ("to", false)] {
        let links: Vec<(RelId, Vec<TypeId>)> = schema
            .rel_ids()
            .filter(|&r| !schema.rel(r).is_any())
            .map(|r| match outgoing {
                true => (r, schema.targets_for(r, ty)),
                false => (r, schema.sources_for(r, ty)),
            })
            .filter(|(_, others)| !others.is_empty())
            .collect();
        if links.is_empty() {
            let _ = writeln!(out, "{direction} `{name}`: no explicit relationship");
            continue;
        }
        let _ = writeln!(out, "{direction} `{name}`:");
        for (r, others) in &links {
            let rel = schema.rel(*r).name();
            write_links(&mut out, schema, name, rel, others, outgoing, "");
        }
    }
    let rels = schema.relationships().iter();
    let any = ticked(rels.filter(|r| r.is_any()).map(|r| r.name()));
    if !any.is_empty() {
        let _ = writeln!(out, "  (and {any} between any two types)");
    }
    out
}

fn explain_rel(schema: &Schema, ty: TypeId, rel: RelId) -> String {
    let (name, r) = (schema.ty(ty).name(), schema.rel(rel));
    let (rel_name, reverse, within) = (r.name(), r.reverse(), schema.name());
    let mut out = format!("`{rel_name}` (reverse `{reverse}`) in the schema `{within}`:\n");
    if let Pairs::Any = r.pairs() {
        let _ = writeln!(
            out,
            "  allowed between any two types: `{name}` --{rel_name}--> any type"
        );
        return out;
    }
    let targets = schema.targets_for(rel, ty);
    write_links(&mut out, schema, name, rel_name, &targets, true, "");
    let sources = schema.sources_for(rel, ty);
    write_links(&mut out, schema, name, rel_name, &sources, false, "");
    out
}

fn explain_triple(schema: &Schema, source: TypeId, rel: RelId, target: TypeId) -> (String, Exit) {
    let (s, t) = (schema.ty(source).name(), schema.ty(target).name());
    let r = schema.rel(rel);
    let (name, reverse, within) = (r.name(), r.reverse(), schema.name());
    if schema.allows(rel, source, target) {
        let yes = format!(
            "yes: `{s}` --{name}--> `{t}` is allowed by the schema `{within}` (reverse: `{t}` --{reverse}--> `{s}`)\n"
        );
        return (yes, Exit::Ok);
    }
    let a = article(name);
    let mut out = format!(
        "no: `{s}` cannot have {a} `{name}` relationship to `{t}` in the schema `{within}`\n"
    );
    let targets = schema.targets_for(rel, source);
    write_links(&mut out, schema, s, name, &targets, true, "only ");
    for (a, b, from, to) in [(s, t, source, target), (t, s, target, source)] {
        let ids = schema.relationships_between(from, to);
        let allowed = ticked(ids.into_iter().map(|r| schema.rel(r).name()));
        let allowed = if allowed.is_empty() { "none" } else { &allowed };
        let _ = writeln!(out, "  from `{a}` to `{b}` the schema allows: {allowed}");
    }
    (out, Exit::Invalid)
}

/// The answer to `args` against `schema`: the text and the exit code ([`Exit::Ok`] or
/// [`Exit::Invalid`]), or the message for a misspelled name.
pub(crate) fn explain(schema: &Schema, args: &SchemaExplainArgs) -> Result<(String, Exit), String> {
    let source = find_type(schema, &args.source)?;
    let Some(rel_name) = &args.relationship else {
        return Ok((explain_type(schema, source), Exit::Ok));
    };
    let rel = find_rel(schema, rel_name)?;
    let Some(target_name) = &args.target else {
        return Ok((explain_rel(schema, source, rel), Exit::Ok));
    };
    let target = find_type(schema, target_name)?;
    Ok(explain_triple(schema, source, rel, target))
}

/// Runs `schema explain`: the answer to stdout; a misspelled name is an error.
pub(crate) fn run(ctx: &Context<'_>, args: &SchemaExplainArgs) -> Result<Exit, Error> {
    let (text, exit) = explain(args.schema.load()?, args).map_err(Error::usage_or_io)?;
    ctx.answer(&text, exit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(parts: &[&str]) -> SchemaExplainArgs {
        SchemaExplainArgs {
            source: parts[0].to_owned(),
            relationship: parts.get(1).map(|s| (*s).to_owned()),
            target: parts.get(2).map(|s| (*s).to_owned()),
            schema: SchemaOpt::default(),
        }
    }

    fn xsoar() -> &'static Schema {
        relationship_core::xsoar::schema()
    }

    fn explain(schema: &Schema, args: &SchemaExplainArgs) -> (String, Exit) {
        super::explain(schema, args).unwrap_or_else(|e| (e, Exit::UsageOrIo))
    }

    #[test]
    fn a_type_lists_both_directions_in_xsoar_spelling() {
        let (text, exit) = explain(xsoar(), &args(&["Host"]));
        assert_eq!(exit, Exit::Ok);
        assert!(
            text.starts_with("`Host` in the schema `xsoar`:\n"),
            "{text}"
        );
        assert!(text.contains("from `Host`:\n"), "{text}");
        assert!(text.contains("`Host` --has--> "), "{text}");
        assert!(text.contains("`CVE`"), "{text}");
        assert!(text.contains("to `Host`:\n"), "{text}");
        assert!(text.contains("`is-also`"), "{text}");
    }

    #[test]
    fn a_relationship_lists_targets_and_sources() {
        let (text, exit) = explain(xsoar(), &args(&["Account", "uses"]));
        assert_eq!(exit, Exit::Ok);
        assert!(text.contains("`uses` (reverse `used-by`)"), "{text}");
        assert!(
            text.contains("`Account` --uses--> `Host`, `Software`"),
            "{text}"
        );
        let (text, _) = explain(xsoar(), &args(&["CVE", "uses"]));
        assert!(
            text.contains("`CVE` is never the source of `uses`"),
            "{text}"
        );
    }

    #[test]
    fn a_triple_is_yes_or_no_with_alternatives() {
        let (text, exit) = explain(xsoar(), &args(&["Account", "uses", "Host"]));
        assert_eq!(exit, Exit::Ok);
        assert!(
            text.starts_with("yes: `Account` --uses--> `Host`"),
            "{text}"
        );
        assert!(text.contains("`Host` --used-by--> `Account`"), "{text}");
        let (text, exit) = explain(xsoar(), &args(&["Host", "uses", "CVE"]));
        assert_eq!(exit, Exit::Invalid);
        assert!(
            text.starts_with("no: `Host` cannot have a `uses` relationship to `CVE`"),
            "{text}"
        );
        assert!(
            text.contains("`Host` is never the source of `uses`"),
            "{text}"
        );
        assert!(
            text.contains("from `Host` to `CVE` the schema allows: `has`"),
            "{text}"
        );
    }

    #[test]
    fn rust_names_are_accepted_as_compiler_errors_print_them() {
        let (by_xsoar, exit) = explain(xsoar(), &args(&["Host", "uses", "Registry Key"]));
        let (by_rust, exit_rust) = explain(xsoar(), &args(&["Host", "uses", "RegistryKey"]));
        assert_eq!((by_rust.as_str(), exit_rust), (by_xsoar.as_str(), exit));
        assert!(by_rust.contains("`Registry Key`"), "{by_rust}");
        let (by_path, _) = explain(
            xsoar(),
            &args(&[
                "Host",
                "uses",
                "relationship_core::xsoar::check::spell::CVE",
            ]),
        );
        let (by_name, _) = explain(xsoar(), &args(&["Host", "uses", "CVE"]));
        assert_eq!(by_path, by_name);
        let (text, exit) = explain(xsoar(), &args(&["Domain", "sub_domain_of", "Cve"]));
        assert_eq!(exit, Exit::Invalid);
        assert!(
            text.contains("no: `Domain` cannot have a `sub-domain-of` relationship to `CVE`"),
            "{text}"
        );
    }

    #[test]
    fn misspellings_get_did_you_mean() {
        let (text, exit) = explain(xsoar(), &args(&["Hots"]));
        assert_eq!(exit, Exit::UsageOrIo);
        assert!(text.contains("unknown indicator type `Hots`"), "{text}");
        assert!(text.contains("did you mean `Host`"), "{text}");
        let (text, exit) = explain(xsoar(), &args(&["Malware", "usse", "CVE"]));
        assert_eq!(exit, Exit::UsageOrIo);
        assert!(text.contains("did you mean `uses`"), "{text}");
        let (text, _) = explain(xsoar(), &args(&["Malware", "uses", "cve"]));
        assert!(text.contains("did you mean `CVE`"), "{text}");
    }
}
