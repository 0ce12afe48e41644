//! The texts of the generated module that depend on the schema: the docs of the markers and
//! the diagnostics of the check traits.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use relationship_schema::{RelationshipDef, TypeId};

use super::emit::Gen;
use super::text::{article, code_list, fmt_escape};

impl Gen<'_> {
    /// The doc of the marker of type `ti`: its XSOAR name and doc, then the relationships
    /// from and to it.
    pub(super) fn type_doc(&self, ti: usize) -> String {
        let (t, id) = (&self.schema.types()[ti], self.type_ids[ti]);
        let mut doc = format!("The XSOAR indicator type `{}`.", t.name());
        if !t.doc().is_empty() {
            let _ = write!(doc, "\n\n{}", t.doc());
        }
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
            (!sources.is_empty()).then(|| {
                format!(
                    "- {} → `{}` → this type",
                    self.type_list(&sources),
                    r.name()
                )
            })
        });
        write_relationship_list(&mut doc, "from", &outgoing);
        write_relationship_list(&mut doc, "to", &incoming);
        if !self.any_names.is_empty() {
            let _ = write!(
                doc,
                "\n\nAny-to-any, with every type: {}.",
                code_list(self.any_names.iter().copied())
            );
        }
        doc
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
        let mut doc = format!(
            "The XSOAR relationship `{}`; its reverse name is `{}`.\n\nTyped constructor: [`{method}`](super::Relate::{method}).",
            r.name(),
            r.reverse(),
            method = self.n.methods[ri]
        );
        if !r.doc().is_empty() {
            let _ = write!(doc, "\n\n{}", r.doc());
        }
        let Some(pairs) = r.explicit_pairs() else {
            doc.push_str("\n\nAllowed between any two indicator types.");
            return doc;
        };
        let mut by_source: BTreeMap<TypeId, Vec<TypeId>> = BTreeMap::new();
        for p in pairs {
            by_source.entry(p.source).or_default().push(p.target);
        }
        let _ = write!(
            doc,
            "\n\nAllowed pairs (source → targets), {} in all:\n",
            pairs.len()
        );
        for (s, targets) in by_source {
            let source = self.schema.ty(s).name();
            let _ = write!(doc, "\n- `{source}` → {}", self.type_list(&targets));
        }
        doc
    }

    /// The texts of the `#[diagnostic::on_unimplemented]` of the check trait of relationship
    /// `ri`, which has `pair_count` pairs: the message and the label, which name the source,
    /// the relationship and the target, then the notes that say where the allowed pairs are
    /// listed and which `xsoar-rel schema explain` command lists what the source may have
    /// instead.
    pub(super) fn check_diagnostic(
        &self,
        ri: usize,
        r: &RelationshipDef,
        pair_count: usize,
    ) -> [String; 4] {
        let schema_name = fmt_escape(self.schema_name);
        let (name, reverse) = (fmt_escape(r.name()), fmt_escape(r.reverse()));
        let count = match pair_count {
            1 => "1 (source, target) pair".to_owned(),
            n => format!("{n} (source, target) pairs"),
        };
        let schema_flag = if self.schema_name == "xsoar" {
            String::new()
        } else {
            format!("--schema <{schema_name} schema file> ")
        };
        let plain = r
            .name()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let arg = if plain {
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

/// Appends the list of the relationships `direction` (`from` or `to`) a type, or says there
/// is none.
fn write_relationship_list(doc: &mut String, direction: &str, lines: &[String]) {
    if lines.is_empty() {
        let _ = write!(
            doc,
            "\n\nThe schema allows no explicit relationship {direction} this type."
        );
    } else {
        let _ = write!(
            doc,
            "\n\nRelationships {direction} this type (besides the any-to-any ones):\n\n{}",
            lines.join("\n")
        );
    }
}
