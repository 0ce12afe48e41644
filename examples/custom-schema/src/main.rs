//! Prints the createIndicators batch of one login, typed by the custom `hr` schema.

use custom_schema_example::{Employee, Login, Machine, hr, write_batch};
use relationship_core::prelude::*;

fn main() -> std::io::Result<()> {
    let login = Login {
        employee: Employee {
            id: "E-1042".into(),
            department: Some("Finance".into()),
        },
        account: Some(Entity::<hr::types::Account>::new("u4872")),
        host: Machine {
            fqdn: "pc135456.domain.local".into(),
        },
        address: None,
    };
    let mut out = write_batch(std::io::stdout().lock(), &[login])?;
    std::io::Write::flush(&mut out)
}
