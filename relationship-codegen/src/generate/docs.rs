//! The texts of the generated module: the docs of the markers, the diagnostics of the check
//! traits, and how schema text becomes doc attributes and format strings.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use relationship_schema::naming::article;
use relationship_schema::text::escape_unsafe;
use relationship_schema::{RelationshipDef, TypeId};

use super::Gen;

impl Gen<'_> {
    /// The doc of the marker of type `ti`: its XSOAR name and doc, then the relationships
    /// from and to it.
    pub(super) fn type_doc(&self, ti: usize) -> String {
        let (t, id) = (&self.schema.types()[ti], self.type_ids[ti]);
        let outgoing = self.explicit_relationship_lines(|ri, r| {
            let targets = self.schema.targets_for(self.rel_ids[ri], id);
            (!targets.is_empty()).then(|| {
                format!(
                    "- `{}` ([`{method}`](super::Relate::{method})) → {}",
                    r.name(),
                    self.type_list(&targets),
                    method = self.n.methods[ri]
                )
            })
        });
        let incoming = self.explicit_relationship_lines(|ri, r| {
            let sources = self.schema.sources_for(self.rel_ids[ri], id);
            let sources = self.type_list(&sources);
            (!sources.is_empty()).then(|| format!("- {sources} → `{}` → this type", r.name()))
        });
        let mut paragraphs = vec![format!("The XSOAR indicator type `{}`.", t.name())];
        paragraphs.extend(non_empty(t.doc()));
        paragraphs.push(relationship_list("from", &outgoing));
        paragraphs.push(relationship_list("to", &incoming));
        if !self.any_names.is_empty() {
            let any = code_list(self.any_names.iter().copied());
            paragraphs.push(format!("Any-to-any, with every type: {any}."));
        }
        paragraphs.join("\n\n")
    }

    /// The lines `line` makes of the relationships with explicit pairs (given their index).
    fn explicit_relationship_lines(
        &self,
        line: impl Fn(usize, &RelationshipDef) -> Option<String>,
    ) -> Vec<String> {
        let rels = self.schema.relationships().iter().enumerate();
        rels.filter(|(_, r)| !r.is_any())
            .filter_map(|(ri, r)| line(ri, r))
            .collect()
    }

    /// The XSOAR names of `types` in backticks.
    fn type_list(&self, types: &[TypeId]) -> String {
        code_list(types.iter().map(|&t| self.schema.ty(t).name()))
    }

    /// The doc of the marker of relationship `ri`: its names, constructor, doc and allowed
    /// pairs grouped by source.
    pub(super) fn relationship_doc(&self, ri: usize, r: &RelationshipDef) -> String {
        let mut paragraphs = vec![format!(
            "The XSOAR relationship `{}`; its reverse name is `{}`.\n\nTyped constructor: [`{method}`](super::Relate::{method}).",
            r.name(),
            r.reverse(),
            method = self.n.methods[ri]
        )];
        paragraphs.extend(non_empty(r.doc()));
        paragraphs.push(match r.explicit_pairs() {
            None => "Allowed between any two indicator types.".to_owned(),
            Some(pairs) => {
                let mut by_source: BTreeMap<TypeId, Vec<TypeId>> = BTreeMap::new();
                for p in pairs {
                    by_source.entry(p.source).or_default().push(p.target);
                }
                let lines: String = by_source
                    .iter()
                    .map(|(&s, targets)| {
                        let source = self.schema.ty(s).name();
                        format!("\n- `{source}` → {}", self.type_list(targets))
                    })
                    .collect();
                let count = pairs.len();
                format!("Allowed pairs (source → targets), {count} in all:\n{lines}")
            }
        });
        paragraphs.join("\n\n")
    }

    /// The `#[diagnostic::on_unimplemented]` texts of the check trait of relationship `ri`
    /// (`pair_count` pairs): message, label, where the pairs are listed, and the
    /// `xsoar-rel schema explain` command.
    pub(super) fn check_diagnostic(
        &self,
        ri: usize,
        r: &RelationshipDef,
        pair_count: usize,
    ) -> [String; 4] {
        let schema_name = fmt_escape(self.schema.name());
        let (name, reverse) = (fmt_escape(r.name()), fmt_escape(r.reverse()));
        let plural = if pair_count == 1 { "" } else { "s" };
        let count = format!("{pair_count} (source, target) pair{plural}");
        let schema_flag = if self.schema.name() == "xsoar" {
            String::new()
        } else {
            format!("--schema <{schema_name} schema file> ")
        };
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        let arg = if r.name().chars().all(plain) {
            name.clone()
        } else {
            format!("\\\"{name}\\\"")
        };
        [
            format!(
                "`{{Source}}` cannot have {} `{name}` relationship to `{{Self}}`",
                article(r.name())
            ),
            format!(
                "`{{Source}}` --{name}--> `{{Self}}` is not allowed by the schema `{schema_name}`"
            ),
            format!(
                "`{name}` (reverse `{reverse}`) is allowed for {count}, listed in the docs of `{}::rels::{}`{}",
                fmt_escape(self.module_label),
                self.n.rels[ri],
                fmt_escape(&self.any_to_any_note())
            ),
            format!(
                "what `{{Source}}` may `{name}` instead, and every relationship between `{{Source}}` and `{{Self}}`: `xsoar-rel schema explain {schema_flag}{{Source}} {arg} {{Self}}`"
            ),
        ]
    }

    /// The end of the note that lists a relationship's pairs: which names link any two
    /// types, if any.
    fn any_to_any_note(&self) -> String {
        match self.any_names.as_slice() {
            [] => String::new(),
            [one] => format!("; `{one}` links any two types"),
            [init @ .., last] => format!(
                "; {} and `{last}` link any two types",
                code_list(init.iter().copied())
            ),
        }
    }
}

/// The list of the relationships `direction` (`from` or `to`) a type, or that there is none.
fn relationship_list(direction: &str, lines: &[String]) -> String {
    if lines.is_empty() {
        format!("The schema allows no explicit relationship {direction} this type.")
    } else {
        let lines = lines.join("\n");
        format!("Relationships {direction} this type (besides the any-to-any ones):\n\n{lines}")
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// One `#[doc = "..."]` attribute per line, so the output reads as `///` comments.
///
/// Schema text is data: a line holds no control, line-separator or bidirectional character
/// (each is written as a visible `\u{..}` escape; a tab becomes four spaces), so a doc comment can
/// never end early, hide code or read differently from how it compiles.
pub(super) fn doc_lines(text: &str) -> TokenStream {
    text.lines()
        .map(|line| {
            // Tabs as four spaces, as rustdoc and clippy want.
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {}", escape_unsafe(&line.replace('\t', "    ")))
            };
            quote!(#[doc = #line])
        })
        .collect()
}

/// The names in backticks, separated by commas.
pub(super) fn code_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as literal text of a `#[diagnostic::on_unimplemented]` format string: `{` and
/// `}` doubled, so that a schema name can never be read as a format parameter.
pub(super) fn fmt_escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}
