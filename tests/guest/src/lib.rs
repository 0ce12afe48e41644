//! A user's program: its own serde types beside relationship-core's typed indicators.

use relationship_core::prelude::*;
use serde::Deserialize;

/// A user's internally tagged enum with a float: the case serde_json's
/// `arbitrary_precision` breaks for the whole program.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    /// An alert with a score.
    Alert {
        /// The score.
        score: f64,
    },
}

/// A user's struct with a flattened part holding a float (also buffered by serde).
#[derive(Debug, PartialEq, Deserialize)]
pub struct Sighting {
    /// Where.
    pub host: String,
    /// The flattened part.
    #[serde(flatten)]
    pub detail: Detail,
}

/// The flattened part.
#[derive(Debug, PartialEq, Deserialize)]
pub struct Detail {
    /// A float.
    pub confidence: f64,
}

/// An account.
#[derive(Indicator)]
#[indicator(type = "Account")]
pub struct User {
    /// The account name.
    #[indicator(value)]
    pub name: String,
}

/// A host.
#[derive(Indicator)]
#[indicator(type = "Host")]
pub struct Machine {
    /// The host name.
    #[indicator(value)]
    pub fqdn: String,
}

/// The typed call of the README.
pub fn uses(user: &User, machine: &Machine) -> EntityRelationship {
    user.uses(machine)
}
