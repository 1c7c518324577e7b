//! Working through a data set: which article is shown, moving to the next
//! (or the next not done), marking one done, and reordering the list.

use super::steps::Edit;
use super::*;
use crate::model::DocStatus;

impl DocEntry {
    pub fn status(&self) -> DocStatus {
        DocStatus::of(self.done, !self.ad.annotations().is_empty())
    }
}

/// What the writers export of an article: with its orphans and status.
impl<'a> From<&'a DocEntry> for crate::formats::export::Exported<'a> {
    fn from(e: &'a DocEntry) -> Self {
        crate::formats::export::Exported {
            ad: &e.ad,
            orphans: &e.orphans,
            done: e.done,
        }
    }
}

/// Sorts `docs` by their place in `order`; those it does not name keep
/// their order, after the others.
pub fn arrange(docs: &mut [DocEntry], order: &[String]) {
    let place: std::collections::HashMap<&str, usize> =
        order.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    docs.sort_by_key(|d| place.get(d.id()).copied().unwrap_or(usize::MAX));
}

impl AppState {
    /// The article shown: the one chosen, else the first.
    pub fn current_doc(&self) -> Option<&DocEntry> {
        self.current
            .as_deref()
            .and_then(|id| self.doc(id))
            .or_else(|| self.docs.first())
    }

    /// How many articles are done, of how many.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.docs.iter().filter(|d| d.done).count();
        (done, self.docs.len())
    }

    pub(super) fn show(&mut self, doc_id: &str) {
        if self.doc(doc_id).is_none() {
            return self.refuse(Refusal::NoSuchArticle(doc_id.to_string()));
        }
        if self.current.as_deref() != Some(doc_id) {
            self.current = Some(doc_id.to_string());
            self.selected = None;
            self.linking = None;
        }
    }

    /// Shows the first article, as the page does when its address names
    /// none (no article is chosen, so none is written into the address).
    pub(super) fn show_first(&mut self) {
        let first = self.docs.first().map(|d| d.id().to_string());
        if self.current_doc().map(|d| d.id().to_string()) != first {
            self.selected = None;
            self.linking = None;
        }
        self.current = None;
    }

    /// Shows the next article (or the previous one), or the next that is
    /// not done, going round the end of the list.
    pub(super) fn show_next(&mut self, forward: bool, undone_only: bool) {
        let n = self.docs.len();
        let Some(here) = self.current_doc().map(|d| d.id().to_string()) else {
            return;
        };
        let at = self.docs.iter().position(|d| d.id() == here).unwrap_or(0);
        let found = (1..=n)
            .map(|k| if forward { (at + k) % n } else { (at + n - k) % n })
            .filter(|&i| i != at || !undone_only)
            .find(|&i| !undone_only || !self.docs[i].done);
        match found {
            Some(i) if i != at => {
                let id = self.docs[i].id().to_string();
                self.show(&id);
            }
            _ if undone_only && self.docs[at].done => self.refuse(Refusal::AllDone),
            _ if undone_only => self.refuse(Refusal::OnlyThisLeft),
            _ => {}
        }
    }

    /// Marks an article done (or not), as an undoable step.
    pub(super) fn set_done(&mut self, doc_id: &str, done: bool) {
        let Some(d) = self.doc(doc_id) else {
            return self.refuse(Refusal::NoSuchArticle(doc_id.to_string()));
        };
        if d.done == done {
            return;
        }
        self.commit_article_edit(Edit::Done {
            doc_id: doc_id.to_string(),
            before: !done,
            after: done,
        });
    }

    /// Moves an article one place up or down the list, as an undoable step.
    pub(super) fn move_article(&mut self, doc_id: &str, down: bool) {
        let Some(from) = self.docs.iter().position(|d| d.id() == doc_id) else {
            return self.refuse(Refusal::NoSuchArticle(doc_id.to_string()));
        };
        let to = match down {
            true if from + 1 < self.docs.len() => from + 1,
            false if from > 0 => from - 1,
            _ => return,
        };
        self.commit_article_edit(Edit::Moved {
            doc_id: doc_id.to_string(),
            from,
            to,
        });
    }
}
