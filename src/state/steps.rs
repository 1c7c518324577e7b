//! What an undo step is made of: annotations changed, and the articles of a
//! data set marked done, moved or removed. Every kind is a before/after
//! picture, so undo and redo treat them alike.

use super::*;
use crate::model::Invertible;

// Nearly every edit is an annotation's (an import is thousands of them), so
// that variant is kept unboxed and the rare article edits carry the slack.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Annotation(Change),
    /// An article marked done, or no longer.
    Done {
        doc_id: String,
        before: bool,
        after: bool,
    },
    /// An article moved in the list, from one index to another.
    Moved {
        doc_id: String,
        from: usize,
        to: usize,
    },
    /// An article taken off the list (`after` none) or put back at `at`,
    /// with everything it had.
    Article {
        at: usize,
        before: Option<Rc<DocEntry>>,
        after: Option<Rc<DocEntry>>,
    },
}

impl Invertible for Edit {
    fn inverted(&self) -> Edit {
        match self {
            Edit::Annotation(c) => Edit::Annotation(c.inverted()),
            Edit::Done {
                doc_id,
                before,
                after,
            } => Edit::Done {
                doc_id: doc_id.clone(),
                before: *after,
                after: *before,
            },
            Edit::Moved { doc_id, from, to } => Edit::Moved {
                doc_id: doc_id.clone(),
                from: *to,
                to: *from,
            },
            Edit::Article { at, before, after } => Edit::Article {
                at: *at,
                before: after.clone(),
                after: before.clone(),
            },
        }
    }
}

impl Edit {
    /// The article the edit is about.
    fn doc_id(&self) -> &str {
        match self {
            Edit::Annotation(c) => &c.doc_id,
            Edit::Done { doc_id, .. } | Edit::Moved { doc_id, .. } => doc_id,
            Edit::Article { before, after, .. } => after
                .as_ref()
                .or(before.as_ref())
                .map(|e| e.id())
                .unwrap_or_default(),
        }
    }
}

impl AppState {
    /// Plays back an undo or redo: the annotations as one batch, the rest
    /// in turn. The article it touched is shown, and an annotation it
    /// brought back is selected, so the reader sees what changed.
    pub(super) fn replay(&mut self, edits: Vec<Edit>, now: &str) {
        let shown = edits
            .last()
            .filter(|e| !matches!(e, Edit::Article { after: None, .. }))
            .map(|e| e.doc_id().to_string());
        let mut changes = vec![];
        for edit in edits {
            match edit {
                Edit::Annotation(c) => changes.push(c),
                other => self.apply_article_edit(other),
            }
        }
        if let Some(id) = shown.filter(|id| self.doc(id).is_some()) {
            // another article shown: nothing of the one left stays selected
            if self.current_doc().map(|d| d.id()) != Some(id.as_str()) {
                self.selected = None;
                self.linking = None;
            }
            self.current = Some(id);
        }
        if !changes.is_empty() {
            self.apply(&changes, now, true);
            self.selected = changes.last().and_then(|c| {
                c.after.as_ref().map(|a| Selected {
                    doc_id: c.doc_id.clone(),
                    ann_id: a.id.clone(),
                })
            });
        }
    }

    /// Forgets the undo steps about `doc_id`: its article was dropped by
    /// another tab, or a new article now has its id (a removed article
    /// opened again), and those steps would act on what they never saw.
    pub(super) fn forget_steps_of(&mut self, doc_id: &str) {
        self.history.forget(|e| e.doc_id() == doc_id);
    }

    /// The same for many articles, in one pass over the history.
    pub(super) fn forget_steps_of_all(&mut self, doc_ids: &FxHashSet<String>) {
        self.history.forget(|e| doc_ids.contains(e.doc_id()));
    }

    /// Applies an edit of an article as a whole (not of its annotations).
    pub(super) fn apply_article_edit(&mut self, edit: Edit) {
        match edit {
            Edit::Annotation(c) => self.apply(&[c], "", false),
            Edit::Done { doc_id, after, .. } => {
                if let Some(d) = self.doc_mut(&doc_id) {
                    d.done = after;
                }
            }
            Edit::Moved { doc_id, to, .. } => {
                if let Some(from) = self.docs.iter().position(|d| d.id() == doc_id) {
                    let entry = self.docs.remove(from);
                    self.docs.insert(to.min(self.docs.len()), entry);
                }
            }
            Edit::Article { at, before, after } => {
                if let Some(gone) = before {
                    self.docs.retain(|d| d.id() != gone.id());
                    if self.selected.as_ref().is_some_and(|s| s.doc_id == gone.id()) {
                        self.selected = None;
                    }
                    if self.current.as_deref() == Some(gone.id()) {
                        let next = self.docs.get(at.min(self.docs.len().saturating_sub(1)));
                        self.current = next.map(|d| d.id().to_string());
                    }
                }
                if let Some(back) = after {
                    if self.doc(back.id()).is_none() {
                        self.docs.insert(at.min(self.docs.len()), (*back).clone());
                    }
                }
            }
        }
    }

    /// Applies and records an edit of an article as one step.
    pub(super) fn commit_article_edit(&mut self, edit: Edit) {
        self.apply_article_edit(edit.clone());
        self.history.record(vec![edit]);
    }
}
