//! The identifiers of a schema's markers, methods and spellings, checked once.

use proc_macro2::Ident;

use relationship_schema::Schema;

use super::GenerateError;

/// Identifiers of one schema, by type and relationship index.
pub(super) struct Names {
    pub(super) types: Vec<Ident>,
    /// Per type, how rustc prints it in the error of an invalid typed call: the XSOAR
    /// spelling when that is an identifier (`CVE`, `IPv6CIDR`, `ssdeep`), else the marker.
    pub(super) spellings: Vec<Ident>,
    pub(super) rels: Vec<Ident>,
    pub(super) methods: Vec<Ident>,
}

impl Names {
    /// The schema's markers and methods as identifiers. The schema model has already
    /// checked that they are valid and unique; this conversion only refuses to panic if one
    /// is not.
    pub(super) fn of(schema: &Schema) -> Result<Names, GenerateError> {
        let rels = schema.relationships();
        let types = parse_idents(
            "type marker",
            schema.types().iter().map(|t| (t.name(), t.marker())),
        )?;
        Ok(Names {
            spellings: spellings(schema, &types),
            types,
            rels: parse_idents(
                "relationship marker",
                rels.iter().map(|r| (r.name(), r.marker())),
            )?,
            methods: parse_idents("method", rels.iter().map(|r| (r.name(), r.method())))?,
        })
    }
}

/// Each `(schema name, identifier)` as an identifier (not raw, not `_`); `what` names them
/// in the error.
fn parse_idents<'a>(
    what: &'static str,
    names: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<Ident>, GenerateError> {
    names
        .map(|(name, ident)| {
            let plain = !ident.starts_with("r#") && ident != "_";
            let parsed = plain.then(|| syn::parse_str::<Ident>(ident).ok()).flatten();
            parsed.ok_or_else(|| GenerateError::Ident {
                what,
                name: name.to_owned(),
                ident: ident.to_owned(),
            })
        })
        .collect()
}

/// The identifier rustc prints for each type in the error of an invalid typed call: the
/// XSOAR spelling itself when it is an ASCII identifier that no marker or other spelling
/// already uses, otherwise the marker (`Registry Key` has no identifier; it stays
/// `RegistryKey`).
fn spellings(schema: &Schema, markers: &[Ident]) -> Vec<Ident> {
    let mut taken: Vec<String> = markers.iter().map(ToString::to_string).collect();
    schema
        .types()
        .iter()
        .zip(markers)
        .map(|(t, marker)| {
            let name = t.name();
            let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && name.starts_with(|c: char| c.is_ascii_alphabetic());
            match syn::parse_str::<Ident>(name) {
                Ok(id) if plain && !taken.iter().any(|n| n == name) => {
                    taken.push(name.to_owned());
                    id
                }
                _ => marker.clone(),
            }
        })
        .collect()
}
