//! Every STIX id met, interned once, with what the conversion knows about it.

use std::collections::HashMap;
use std::rc::Rc;

use crate::report::RejectReason;

/// A converted object: what relationships need to name it.
#[derive(Debug)]
pub(super) struct Endpoint {
    pub(super) value: Box<str>,
    pub(super) xsoar_type: &'static str,
}

/// What the conversion knows about one STIX id.
#[derive(Debug)]
pub(super) struct IdEntry {
    id: Rc<str>,
    /// Converted (indicator) or kept (relationship): a repeat is a duplicate.
    pub(super) accepted: bool,
    /// Why the last object with this id was not converted (for relationship messages).
    pub(super) not_converted: Option<RejectReason>,
    /// Its value and type, once final.
    pub(super) endpoint: Option<Endpoint>,
}

/// Every STIX id met (objects' own ids and relationship endpoints), interned: a pending
/// relationship holds two numbers, and one lookup tells whether an id was seen, what it was
/// converted to, or why it was not. Each id is stored once, shared by the index and its
/// entry.
#[derive(Debug, Default)]
pub(super) struct Ids {
    index: HashMap<Rc<str>, usize>,
    entries: Vec<IdEntry>,
}

impl Ids {
    /// The number of `id`, interned on first sight.
    pub(super) fn intern(&mut self, id: &str) -> usize {
        if let Some(&n) = self.index.get(id) {
            return n;
        }
        let n = self.entries.len();
        let id: Rc<str> = id.into();
        self.index.insert(id.clone(), n);
        self.entries.push(IdEntry {
            id,
            accepted: false,
            not_converted: None,
            endpoint: None,
        });
        n
    }

    /// The entry of `id`, if it was met.
    pub(super) fn get(&self, id: &str) -> Option<&IdEntry> {
        self.index.get(id).and_then(|&n| self.entries.get(n))
    }

    pub(super) fn entry(&self, n: usize) -> Option<&IdEntry> {
        self.entries.get(n)
    }

    pub(super) fn entry_mut(&mut self, n: usize) -> Option<&mut IdEntry> {
        self.entries.get_mut(n)
    }

    pub(super) fn name(&self, n: usize) -> &str {
        self.entries.get(n).map_or("", |e| &e.id)
    }

    /// The endpoint of number `n`, when it was converted.
    pub(super) fn endpoint(&self, n: usize) -> Option<&Endpoint> {
        self.entries.get(n).and_then(|e| e.endpoint.as_ref())
    }
}
