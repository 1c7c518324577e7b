//! Adding an article the user opened, and removing one after confirmation.

use super::*;

impl AppState {
    pub(super) fn add_article(&mut self, text: &str, now: String) {
        let Some(draft) = parse_article(text) else {
            return self.refuse(Refusal::EmptyArticle);
        };
        let probe = Document::new("", draft);
        let id = format!("doc-{}", crate::model::digest(probe.text()));
        if self.doc(&id).is_some() {
            return self.refuse(Refusal::ArticleOpen);
        }
        let doc = Document::from_text(id, probe.text());
        self.notice = Some(Notice::info(
            format!("أضيف المقال: {}", ellipsis(doc.title())),
            format!("Article added: {}", ellipsis(doc.title())),
        ));
        self.docs.push(DocEntry::new(
            AnnotatedDoc::new(Rc::new(doc), vec![]),
            Origin::User,
            Some(now),
        ));
    }

    pub(super) fn remove_article(&mut self, doc_id: &str) {
        if !self.drop_article(doc_id) {
            return;
        }
        self.notice = Some(Notice::info(
            "حُذف المقال وتوسيماته.",
            "The article and its annotations were removed.",
        ));
    }

    /// Takes a user's article off the page with its undo steps (bundled
    /// articles stay); true if there was one.
    pub(super) fn drop_article(&mut self, doc_id: &str) -> bool {
        let before = self.docs.len();
        self.docs.retain(|d| d.id() != doc_id || d.origin != Origin::User);
        if self.docs.len() == before {
            return false;
        }
        self.history.forget_doc(doc_id);
        if self.selected.as_ref().is_some_and(|s| s.doc_id == doc_id) {
            self.selected = None;
        }
        true
    }
}
