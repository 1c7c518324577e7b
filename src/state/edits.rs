//! Changes to annotations: tagging, relabelling, notes, edges, tag-all,
//! deletion, clicks that select, and the undo history they feed.

use super::*;

/// What a new annotation starts with besides its span.
pub(super) struct NewAnnotation {
    pub label: Label,
    pub id: String,
    pub note: Option<String>,
    /// A claim's verdict and source (checked); links come later.
    pub claim: ClaimRecord,
}

impl AppState {
    pub(super) fn add_span(&mut self, doc_id: &str, (a, b): (usize, usize), new: NewAnnotation, now: String) {
        let NewAnnotation {
            label,
            id,
            note,
            claim,
        } = new;
        let claim = match self.checked_record(label, claim) {
            Ok(c) => c,
            Err(why) => return self.refuse(why),
        };
        let Some(d) = self.doc(doc_id) else { return };
        let Some((start, end)) = normalize_span(&d.ad.doc, a, b) else {
            return self.refuse(Refusal::NoText);
        };
        if d.ad.has_span(start, end, label) {
            return self.refuse(Refusal::AlreadyTagged(label));
        }
        let quote = d.ad.doc.slice(start, end).to_string();
        let mut ann = Annotation::new(id.clone(), label, start, end, &now);
        ann.note = note.and_then(clean_note);
        ann.claim = claim;
        self.commit(
            vec![Change {
                doc_id: doc_id.into(),
                before: None,
                after: Some(ann),
            }],
            &now,
        );
        self.selected = Some(Selected {
            doc_id: doc_id.into(),
            ann_id: id,
        });
        self.notice = Some(Notice::info(
            format!("أضيف {}: {}", label.arabic(), ellipsis(&quote)),
            format!("Added {}: {}", label.english(), ellipsis(&quote)),
        ));
    }

    /// Replaces the selected annotation by `edit` of it, as one step.
    pub(super) fn edit_selected(&mut self, now: &str, edit: impl FnOnce(&mut Annotation)) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        let before = (**a).clone();
        let mut after = before.clone();
        edit(&mut after);
        if after == before {
            return;
        }
        let doc_id = d.id().to_string();
        self.commit_replace(&doc_id, before, after, now);
    }

    pub(super) fn move_edge(&mut self, edge: Edge, left: bool, now: &str) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        let forward = left == (d.ad.doc.dir == "rtl");
        let step = if forward { Step::Forward } else { Step::Backward };
        let Some((start, end)) = words::move_edge(d.ad.doc.text(), (a.start, a.end), edge, step) else {
            return;
        };
        self.respan_selected(start, end, now);
    }

    /// Gives the selected annotation a new span, unless the same span with
    /// the same label is already there.
    fn respan_selected(&mut self, start: usize, end: usize, now: &str) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        if d.ad.has_span(start, end, a.label) {
            return;
        }
        self.edit_selected(now, |a| {
            a.start = start;
            a.end = end;
            a.updated_at = now.to_string();
        });
    }

    pub(super) fn set_edge(&mut self, edge: Edge, at: DomPoint, now: &str) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        let doc = &d.ad.doc;
        let cp = cp_of_point(doc, at);
        let (start, end) = match edge {
            Edge::Start if cp < a.end => (cp, a.end),
            Edge::End if cp > a.start => (a.start, cp),
            _ => return,
        };
        let Some((start, end)) = normalize_span(doc, start, end) else {
            return;
        };
        self.respan_selected(start, end, now);
    }

    /// Tags every other occurrence of the selected annotation's text.
    pub(super) fn tag_all(&mut self, clitics: bool, id_base: &str, now: &str) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        let quote = d.ad.doc.slice(a.start, a.end).to_string();
        let step: Vec<Change> = other_occurrences(&d.ad, a, clitics)
            .into_iter()
            .enumerate()
            .map(|(i, (s, e))| Change {
                doc_id: d.id().to_string(),
                before: None,
                after: Some(Annotation::new(format!("{id_base}-{i}"), a.label, s, e, now)),
            })
            .collect();
        let (n, label) = (step.len(), a.label);
        self.notice = Some(Notice::info(
            format!(
                "وُسم {n} من المواضع الأخرى لـ«{}» بـ{}.",
                ellipsis(&quote),
                label.arabic()
            ),
            format!(
                "Tagged {n} other occurrences of \"{}\" as {}.",
                ellipsis(&quote),
                label.english()
            ),
        ));
        self.commit(step, now);
    }

    pub(super) fn delete_selected(&mut self, now: &str) {
        if let Some(sel) = self.selected.clone() {
            self.remove(&sel.doc_id, &sel.ann_id, now);
        }
    }

    pub(super) fn remove(&mut self, doc_id: &str, ann_id: &str, now: &str) {
        let Some(a) = self.doc(doc_id).and_then(|d| d.ad.get(ann_id)) else {
            return;
        };
        let change = Change {
            doc_id: doc_id.to_string(),
            before: Some((**a).clone()),
            after: None,
        };
        self.commit(vec![change], now);
        if self.selected.as_ref().is_some_and(|s| s.ann_id == ann_id) {
            self.selected = None;
        }
    }

    /// Sets the note of an annotation (a step of its own).
    pub(super) fn set_note(&mut self, doc_id: &str, ann_id: &str, note: Option<String>, now: &str) {
        let Some(a) = self.doc(doc_id).and_then(|d| d.ad.get(ann_id)) else {
            return;
        };
        let note = note.and_then(clean_note);
        if a.note == note {
            return;
        }
        let mut after = (**a).clone();
        after.note = note;
        after.updated_at = now.to_string();
        let change = Change {
            doc_id: doc_id.to_string(),
            before: Some((**a).clone()),
            after: Some(after),
        };
        self.commit(vec![change], now);
    }

    pub(super) fn click(&mut self, doc_id: String, mut chain: Vec<String>) {
        // marks a moment behind the model (a big change is redrawn a slice
        // at a time) may name annotations that are gone: they are not selected
        let Some(d) = self.doc(&doc_id) else { return };
        chain.retain(|id| d.ad.get(id).is_some());
        let current = self
            .selected
            .as_ref()
            .filter(|s| s.doc_id == doc_id)
            .and_then(|s| chain.iter().position(|id| *id == s.ann_id));
        let next = match current {
            Some(i) => chain.get((i + 1) % chain.len()),
            None => chain.first(),
        };
        self.selected = next.map(|ann_id| Selected {
            doc_id,
            ann_id: ann_id.clone(),
        });
    }

    pub(super) fn clear(&mut self, doc_id: &str, now: &str) {
        let Some(d) = self.doc(doc_id) else { return };
        let step =
            d.ad.annotations()
                .iter()
                .map(|a| Change {
                    doc_id: doc_id.to_string(),
                    before: Some((**a).clone()),
                    after: None,
                })
                .collect();
        self.selected = None;
        self.commit(step, now);
    }
}
