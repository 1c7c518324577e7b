//! Another tab's write of an article: merged in (tombstones keep deleted
//! annotations deleted), or the article dropped when it was removed there.

use super::*;

impl AppState {
    /// Takes in what another tab stored: per annotation the latest change
    /// wins and tombstones keep deletions. Not an undoable step of this tab.
    pub(super) fn remote(&mut self, doc_id: &str, stored: Option<StoredDoc>) {
        let Some(stored) = stored else {
            if self.drop_article(doc_id) {
                self.notice = Some(Notice::info(
                    "أُزيل مقال في نافذة أخرى.",
                    "An article was removed in another tab.",
                ));
            }
            return;
        };
        if self.doc(doc_id).is_none() {
            if let (Origin::User, Some(text)) = (stored.origin, &stored.text) {
                let doc = Document::from_text(doc_id, text);
                self.docs.push(DocEntry::restored(doc, &stored, Origin::User).0);
            }
            return;
        }
        let d = self.doc_mut(doc_id).expect("checked");
        // the status is the other tab's latest word, like its annotations
        d.done = stored.done;
        let r = restore(&d.ad.doc, &stored);
        let local: Vec<Annotation> = d.ad.annotations().iter().map(|a| (**a).clone()).collect();
        let (live, dead) = merge(
            Version {
                annotations: &local,
                tombstones: &d.tombstones,
            },
            Version {
                annotations: &r.annotations,
                tombstones: &stored.tombstones,
            },
        );
        d.ad.replace_all(&live);
        if *d.tombstones != dead {
            d.tombstones = Rc::new(dead);
        }
        let new_orphans: Vec<Orphan> = r
            .orphans
            .into_iter()
            .filter(|o| !d.orphans.iter().any(|x| x.annotation.id == o.annotation.id))
            .collect();
        if !new_orphans.is_empty() {
            Rc::make_mut(&mut d.orphans).extend(new_orphans);
        }
        if let Some(sel) = &self.selected {
            if sel.doc_id == doc_id && self.doc(doc_id).and_then(|d| d.ad.get(&sel.ann_id)).is_none() {
                self.selected = None;
            }
        }
    }
}
