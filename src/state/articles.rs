//! Adding an article the user opened, and removing one after confirmation.

use super::steps::Edit;
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
        // the article the reader just opened is the one they want to see
        self.current = Some(doc.id.clone());
        self.forget_steps_of(&doc.id);
        self.docs.push(DocEntry::new(
            AnnotatedDoc::new(Rc::new(doc), vec![]),
            Origin::User,
            Some(now),
        ));
    }

    /// Takes a user's article off the list as an undoable step (the
    /// bundled articles stay: a reload would bring them back).
    pub(super) fn remove_article(&mut self, doc_id: &str) {
        let Some(removal) = self.removal(doc_id) else {
            return;
        };
        self.commit_article_edit(removal);
        self.notice = Some(Notice::info(
            "حُذف المقال وتوسيماته (Ctrl+Z للتراجع).",
            "The article and its annotations were removed (Ctrl+Z brings them back).",
        ));
    }

    /// Takes an article another tab removed off the list, with no step to
    /// undo (the other tab has its own); true if there was one.
    pub(super) fn drop_article(&mut self, doc_id: &str) -> bool {
        let Some(removal) = self.removal(doc_id) else {
            return false;
        };
        self.apply_article_edit(removal);
        self.forget_steps_of(doc_id);
        true
    }

    /// The edit that takes a user's article off the list, if it is there.
    fn removal(&self, doc_id: &str) -> Option<Edit> {
        let at = self
            .docs
            .iter()
            .position(|d| d.id() == doc_id && d.origin == Origin::User)?;
        Some(Edit::Article {
            at,
            before: Some(Rc::new(self.docs[at].clone())),
            after: None,
        })
    }
}
