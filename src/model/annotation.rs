//! One tagged span of a document.

use super::{ClaimRecord, Label};
use serde::{Deserialize, Serialize};

/// A labelled span `start..end` in code points of its document's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: String,
    pub label: Label,
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Speaker, subjects, verdict and source: a claim's only.
    #[serde(default, skip_serializing_if = "ClaimRecord::is_empty")]
    pub claim: ClaimRecord,
}

impl Annotation {
    /// A new annotation without a note, created and updated at `now`.
    pub fn new(id: impl Into<String>, label: Label, start: usize, end: usize, now: &str) -> Annotation {
        Annotation {
            id: id.into(),
            label,
            start,
            end,
            note: None,
            created_at: now.into(),
            updated_at: now.into(),
            claim: ClaimRecord::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Reading order: by start, then the longer (outer) span first, then id,
    /// so that lists are stable and a container precedes what it contains.
    pub fn reading_key(&self) -> (usize, std::cmp::Reverse<usize>, &str) {
        (self.start, std::cmp::Reverse(self.end), self.id.as_str())
    }

    /// Sorts `list` by `reading_key`. Every list is sorted here, so the sort
    /// is compiled once per element type rather than once per call site
    /// (each is a few KB of the bundle).
    pub fn sort_in_reading_order<A: std::borrow::Borrow<Annotation>>(list: &mut [A]) {
        list.sort_by(|a, b| a.borrow().reading_key().cmp(&b.borrow().reading_key()));
    }

    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

/// An annotation that could not be placed on its article's current text.
/// It is kept with the text it was made on, listed and exported, never dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orphan {
    /// With the offsets it had on the old text.
    pub annotation: Annotation,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
}
