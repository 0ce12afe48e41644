//! Objects that are not converted: counted, noted against their id, and written to the
//! reject sink with their reason.

use std::io::Write;

use relationship_core::check::CheckError;
use relationship_core::{Fields, RawJson};

use super::Converter;
use crate::ConvertError;
use crate::error::element_path;
use crate::report::{RejectReason, Triple};

/// An element of `objects` as far as it was read: where it is and what it is.
#[derive(Clone, Copy)]
pub(super) struct Seen<'o> {
    pub(super) pos: usize,
    /// Its STIX type (or the malformed-object key).
    pub(super) stix_type: &'o str,
    pub(super) id: Option<&'o str>,
    /// Its JSON text as read (written to the reject sink in its own key order).
    pub(super) text: &'o str,
}

impl<'o> Seen<'o> {
    pub(super) fn new(pos: usize, stix_type: &'o str, id: Option<&'o str>, text: &'o str) -> Self {
        Seen {
            pos,
            stix_type,
            id,
            text,
        }
    }

    /// Its rejection for `reason`, `message` saying what is wrong for a person.
    pub(super) fn rejection(self, reason: RejectReason, message: &'o str) -> Rejection<'o> {
        Rejection {
            reason,
            at: self,
            message,
            triple: None,
        }
    }
}

/// An object that is not converted: why, which, and what to write to the reject sink.
pub(super) struct Rejection<'o> {
    reason: RejectReason,
    at: Seen<'o>,
    message: &'o str,
    /// For a relationship, its (source type, name, target type).
    triple: Option<Triple>,
}

impl Rejection<'_> {
    pub(super) fn with_triple(self, triple: Option<Triple>) -> Self {
        Rejection { triple, ..self }
    }
}

impl<W: Write> Converter<'_, '_, W> {
    /// Counts a rejection, notes why its id was not converted, and sends it to the sink.
    pub(super) fn reject(&mut self, rejection: Rejection<'_>) -> Result<(), ConvertError> {
        if let Some(id) = rejection
            .at
            .id
            .filter(|_| rejection.reason != RejectReason::DuplicateId)
        {
            let n = self.ids.intern(id);
            if let Some(e) = self.ids.entry_mut(n) {
                e.not_converted = Some(rejection.reason);
            }
        }
        self.record(rejection)
    }

    /// Counts a rejection and sends it to the sink (for a derived relationship, whose object
    /// was converted: its id is left alone).
    pub(super) fn record(&mut self, rejection: Rejection<'_>) -> Result<(), ConvertError> {
        let Rejection { reason, at, .. } = rejection;
        self.report.reject(reason, at.stix_type);
        if let Some(t) = rejection.triple {
            *self.report.rejected_by_triple.entry(t).or_default() += 1;
        }
        if let Some(sink) = self.rejects.as_deref_mut() {
            let mut record = Fields::with_capacity(6);
            record.insert("reason", reason.code());
            record.insert("message", rejection.message);
            record.insert("path", element_path(Some(at.pos)));
            record.insert("id", at.id.map_or_else(RawJson::null, RawJson::from));
            record.insert("type", at.stix_type);
            let object = RawJson::parse(at.text).map_err(|e| ConvertError::Rejects(e.into()))?;
            record.insert("object", object);
            self.reject_buf.clear();
            serde_json::to_writer(&mut self.reject_buf, &record)
                .map_err(|e| ConvertError::Rejects(e.into()))?;
            self.reject_buf.push(b'\n');
            sink.write_all(&self.reject_buf)
                .map_err(ConvertError::Rejects)?;
        }
        Ok(())
    }
}

/// The reject reason of a relationship the checker refuses.
pub(super) fn check_reason(e: &CheckError) -> RejectReason {
    match e {
        CheckError::UnknownName { .. } => RejectReason::UnknownName,
        CheckError::PairNotAllowed { .. } => RejectReason::DisallowedTriple,
        CheckError::UnknownType { .. } => RejectReason::UnknownIndicatorType,
        CheckError::EmptyEntityA { .. }
        | CheckError::EmptyEntityB { .. }
        | CheckError::DummyEntity { .. } => RejectReason::MissingValue,
        _ => RejectReason::Malformed,
    }
}
