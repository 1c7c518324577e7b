//! Linking the selected claim to its speaker or to what it is about: by a
//! click on a highlight, or by keys (`S`/`A`, then Tab through the
//! candidates nearest first, Enter to link, Escape to cancel); and the
//! speaker suggested when a claim is tagged, which only Enter accepts.

use super::*;
use crate::model::claim::{suggest_speaker, RelationKind};

/// The claim being linked, and the candidate the keys are on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linking {
    pub doc_id: String,
    pub claim_id: String,
    pub kind: RelationKind,
    pub candidate: Option<String>,
    /// Proposed by the suggestion rule: any key but Enter dismisses it.
    pub suggested: bool,
}

impl AppState {
    pub(super) fn start_link(&mut self, kind: RelationKind) {
        let Some((d, a)) = self.selected_annotation() else {
            return self.refuse(Refusal::NotAClaim);
        };
        if a.label != Label::CLAIM {
            return self.refuse(Refusal::NotAClaim);
        }
        self.linking = Some(Linking {
            doc_id: d.id().to_string(),
            claim_id: a.id.clone(),
            kind,
            candidate: None,
            suggested: false,
        });
        self.notice = Some(match kind {
            RelationKind::Speaker => Notice::info(
                "انقر شخصًا ليكون قائل الادعاء، أو تنقّل بين الأشخاص بـ Tab ثم Enter. ‏Escape للإلغاء.",
                "Click a person to link as the speaker, or Tab through the persons and press Enter. Escape cancels.",
            ),
            RelationKind::About => Notice::info(
                "انقر شخصًا أو مكانًا يتناوله الادعاء، أو تنقّل بـ Tab ثم Enter. ‏Escape للإلغاء.",
                "Click a person or place the claim is about, or Tab through them and press Enter. Escape cancels.",
            ),
        });
    }

    /// Proposes the likely speaker of the claim just tagged, if there is one.
    pub(super) fn suggest_for(&mut self, doc_id: &str, claim_id: &str) {
        let Some(d) = self.doc(doc_id) else { return };
        let Some(claim) = d.ad.get(claim_id) else { return };
        if claim.label != Label::CLAIM || claim.claim.speaker().is_some() {
            return;
        }
        let Some(person) = suggest_speaker(&d.ad, claim) else {
            return;
        };
        let name =
            d.ad.get(&person)
                .map(|p| d.ad.doc.slice(p.start, p.end).to_string())
                .unwrap_or_default();
        self.linking = Some(Linking {
            doc_id: doc_id.to_string(),
            claim_id: claim_id.to_string(),
            kind: RelationKind::Speaker,
            candidate: Some(person),
            suggested: true,
        });
        self.notice = Some(Notice::info(
            format!(
                "القائل المقترح: {}. اضغط Enter للربط، وأي مفتاح آخر يتجاهله.",
                ellipsis(&name)
            ),
            format!(
                "Suggested speaker: {}. Press Enter to link it; any other key ignores it.",
                ellipsis(&name)
            ),
        ));
    }

    /// Moves the candidate to the next (or previous) annotation the link may
    /// end at, nearest to the claim first.
    pub(super) fn link_step(&mut self, forward: bool) {
        let Some(l) = self.linking.clone() else { return };
        let Some(d) = self.doc(&l.doc_id) else { return };
        let Some(claim) = d.ad.get(&l.claim_id) else {
            return;
        };
        let mut candidates: Vec<&Rc<Annotation>> =
            d.ad.annotations()
                .iter()
                .filter(|a| a.id != claim.id && l.kind.allows(a.label))
                .collect();
        candidates.sort_by_key(|a| distance(a, claim));
        if candidates.is_empty() {
            return self.refuse(Refusal::BadLink(format!(
                "there is no {} to link in this article",
                l.kind.wants()
            )));
        }
        let at = l
            .candidate
            .as_ref()
            .and_then(|c| candidates.iter().position(|a| &a.id == c));
        let n = candidates.len();
        let next = match (at, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        let pick = candidates[next];
        let name = d.ad.doc.slice(pick.start, pick.end).to_string();
        let id = pick.id.clone();
        self.notice = Some(Notice::info(
            format!("{}: {}. ‏Enter للربط.", self.ui_kind_ar(l.kind), ellipsis(&name)),
            format!("{}: {}. Enter links.", self.ui_kind_en(l.kind), ellipsis(&name)),
        ));
        self.linking = Some(Linking {
            candidate: Some(id),
            suggested: false,
            ..l
        });
    }

    /// Links the candidate the keys are on.
    pub(super) fn link_confirm(&mut self, new_id: String, now: &str) {
        let Some(l) = self.linking.clone() else { return };
        let Some(to) = l.candidate.clone() else { return };
        self.finish_link(&l, &to, new_id, now);
    }

    /// A click while linking: the innermost highlight under the pointer the
    /// link may end at.
    pub(super) fn link_click(&mut self, chain: &[String], new_id: String, now: &str) {
        let Some(l) = self.linking.clone() else { return };
        let Some(d) = self.doc(&l.doc_id) else { return };
        let to = chain
            .iter()
            .find(|id| **id != l.claim_id && d.ad.get(id).is_some_and(|a| l.kind.allows(a.label)));
        match to {
            Some(to) => {
                let to = to.clone();
                self.finish_link(&l, &to, new_id, now);
            }
            None => self.refuse(Refusal::BadLink(format!(
                "a {} link ends at {}; click one, or press Escape",
                l.kind.key(),
                l.kind.wants()
            ))),
        }
    }

    fn finish_link(&mut self, l: &Linking, to: &str, new_id: String, now: &str) {
        self.linking = None;
        self.link(&l.doc_id, &l.claim_id, l.kind, to, new_id, now);
        if self.refusal.is_some() {
            return;
        }
        let name = self
            .doc(&l.doc_id)
            .and_then(|d| d.ad.get(to).map(|a| d.ad.doc.slice(a.start, a.end).to_string()))
            .unwrap_or_default();
        self.notice = Some(Notice::info(
            format!("رُبط {}: {}", self.ui_kind_ar(l.kind), ellipsis(&name)),
            format!(
                "Linked {}: {}",
                self.ui_kind_en(l.kind).to_lowercase(),
                ellipsis(&name)
            ),
        ));
    }

    /// Linking lasts while its claim is selected and still a claim.
    pub(super) fn keep_linking_valid(&mut self) {
        let valid = self.linking.as_ref().is_some_and(|l| {
            self.selected
                .as_ref()
                .is_some_and(|s| s.doc_id == l.doc_id && s.ann_id == l.claim_id)
                && self
                    .doc(&l.doc_id)
                    .and_then(|d| d.ad.get(&l.claim_id))
                    .is_some_and(|a| a.label == Label::CLAIM)
        });
        if !valid {
            self.linking = None;
        }
    }

    fn ui_kind_ar(&self, kind: RelationKind) -> &'static str {
        match kind {
            RelationKind::Speaker => "القائل",
            RelationKind::About => "الموضوع",
        }
    }

    fn ui_kind_en(&self, kind: RelationKind) -> &'static str {
        match kind {
            RelationKind::Speaker => "Speaker",
            RelationKind::About => "Subject",
        }
    }
}

/// Code points between two spans (0 when they overlap).
fn distance(a: &Annotation, b: &Annotation) -> usize {
    b.start.saturating_sub(a.end).max(a.start.saturating_sub(b.end))
}
