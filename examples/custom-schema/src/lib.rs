//! A crate with its own relationship schema, `schemas/hr.json`: some XSOAR types plus a
//! custom `Employee` type and the rules `Employee uses Host` and `Employee owns Account`.
//!
//! `build.rs` generates the module [`hr`] with `relationship_codegen::Builder`; the derives
//! name it with `schema = crate::hr`. Editing the schema and running `cargo build` is all it
//! takes to regenerate.

#![forbid(unsafe_code)]

use relationship_core::prelude::*;

include!(concat!(env!("OUT_DIR"), "/hr.rs"));

mod hr_tables {
    include!(concat!(env!("OUT_DIR"), "/hr_tables.rs"));
}

/// The `hr` schema as a model, for checking dynamic data at run time
/// ([`relationship_core::Checker`]), built from the static tables `build.rs` generated: no
/// JSON is parsed at run time.
///
/// # Errors
///
/// Only if the generated tables are inconsistent, which the build script's own checks rule
/// out.
pub fn hr_schema()
-> Result<relationship_core::schema::Schema, relationship_core::schema::ModelError> {
    hr_tables::TABLES.to_schema()
}

// The organisation's policy, checked by every `cargo check` (nothing of it runs): if
// `schemas/hr.json` ever stops allowing or starts allowing one of these, this crate stops
// compiling, the error quoting the assertion. `tests/policy_ui.rs` shows the other way,
// compile-fail snapshots with trybuild.
relationship_core::assert_relationship!(schema = crate::hr, Employee: uses -> Host);
relationship_core::assert_relationship!(schema = crate::hr, Employee: owns -> Account);
relationship_core::assert_no_relationship!(schema = crate::hr, Employee: owns -> IP);
relationship_core::assert_no_relationship!(schema = crate::hr, Host: uses -> Employee);
// The default XSOAR schema has policies too: a host may never use a CVE.
relationship_core::assert_no_relationship!(Host: uses -> CVE);

/// A member of staff: the custom XSOAR indicator type `Employee`.
#[derive(Indicator)]
#[indicator(type = "Employee", schema = crate::hr)]
pub struct Employee {
    /// The employee id, the indicator value.
    #[indicator(value)]
    pub id: String,
    /// Copied into the indicator's `fields` as `department`.
    #[indicator(field = "department")]
    pub department: Option<String>,
}

/// A machine, typed by the `hr` schema's `Host`.
#[derive(Indicator)]
#[indicator(type = "Host", schema = crate::hr)]
pub struct Machine {
    /// The host name.
    #[indicator(value)]
    pub fqdn: String,
}

/// That `employee` uses `machine`: a typed call of the `hr` schema's constructors, which
/// `use crate::hr::prelude::*;` brings into scope. `Employee uses Host` is a rule of
/// `schemas/hr.json`; a pair the schema does not allow (`employee.owns(&ip)`) does not
/// compile.
pub fn assigned_machine(employee: &Employee, machine: &Machine) -> EntityRelationship {
    use crate::hr::prelude::*;
    employee.uses(machine)
}

/// A login record from an HR/asset system.
#[derive(Relationships)]
#[relationship(schema = crate::hr)]
pub struct Login {
    /// Who logged in.
    #[relationship(uses = host, owns = account)]
    pub employee: Employee,
    /// The account used.
    pub account: Option<Entity<hr::types::Account>>,
    /// Where.
    #[relationship(communicates_with = address)]
    pub host: Machine,
    /// The host's address.
    pub address: Option<Entity<hr::types::Ip>>,
}

/// Writes the createIndicators batch of `logins` as JSON lines.
///
/// # Errors
///
/// The writer's I/O errors, and a field that does not serialize (as an
/// [`std::io::ErrorKind::Other`] error wrapping the
/// [`FieldError`](relationship_core::typed::FieldError)).
pub fn write_batch<W: std::io::Write>(out: W, logins: &[Login]) -> std::io::Result<W> {
    let mut writer = relationship_core::BatchWriter::new(
        out,
        relationship_core::BatchOptions::default(),
        relationship_core::JsonStyle::Compact,
    );
    for login in logins {
        for indicator in login.indicators().map_err(std::io::Error::other)? {
            writer.push_indicator(indicator)?;
        }
        for relationship in login.relationships() {
            writer.push_relationship(relationship)?;
        }
    }
    Ok(writer.finish_into_inner()?.0)
}
