//! A claim's record: its verdict, its source, and its links to the persons
//! and places it is by and about. Each change is one undoable step.

use super::*;
use crate::model::claim::{check_link, check_source, Relation, RelationKind};
use crate::model::ClaimRecord;

impl AppState {
    pub(super) fn set_verdict(&mut self, verdict: Option<String>, now: &str) {
        if !self.selected_is_claim() {
            return self.refuse(Refusal::NotAClaim);
        }
        if let Some(v) = verdict.as_deref().filter(|v| self.verdicts.get(v).is_none()) {
            return self.refuse(Refusal::UnknownVerdict(v.to_string()));
        }
        self.edit_selected(now, |a| {
            a.claim.verdict = verdict;
            a.updated_at = now.to_string();
        });
    }

    /// Sets the selected claim's source; an empty one clears it, one that is
    /// not an http(s) link is refused and nothing is stored.
    pub(super) fn set_source(&mut self, raw: &str, now: &str) {
        if !self.selected_is_claim() {
            return self.refuse(Refusal::NotAClaim);
        }
        let source = match raw.trim() {
            "" => None,
            given => match check_source(given) {
                Ok(url) => Some(url),
                Err(why) => return self.refuse(Refusal::BadSource(why)),
            },
        };
        self.edit_selected(now, |a| {
            a.claim.source = source;
            a.updated_at = now.to_string();
        });
    }

    /// Links claim `from` to `to`; a new speaker replaces the old one.
    pub(super) fn link(
        &mut self,
        doc_id: &str,
        from: &str,
        kind: RelationKind,
        to: &str,
        id: String,
        now: &str,
    ) {
        let Some(d) = self.doc(doc_id) else { return };
        if let Err(e) = check_link(&d.ad, from, kind, to) {
            return self.refuse(Refusal::BadLink(e.to_string()));
        }
        let Some(before) = d.ad.get(from).map(|a| (**a).clone()) else {
            return;
        };
        let mut after = before.clone();
        let changed = after.claim.link(Relation {
            id,
            kind,
            to: to.to_string(),
            created_at: now.to_string(),
            updated_at: now.to_string(),
        });
        if !changed {
            return self.refuse(Refusal::AlreadyLinked);
        }
        after.updated_at = now.to_string();
        self.commit_replace(doc_id, before, after, now);
    }

    /// Removes the relation `rel_id`, wherever in the article it is.
    pub(super) fn unlink(&mut self, doc_id: &str, rel_id: &str, now: &str) {
        let Some(d) = self.doc(doc_id) else { return };
        let holder =
            d.ad.annotations()
                .iter()
                .find(|a| a.claim.relations.iter().any(|r| r.id == rel_id));
        let Some(before) = holder.map(|a| (**a).clone()) else {
            return self.refuse(Refusal::NoSuchRelation(rel_id.to_string()));
        };
        let mut after = before.clone();
        after.claim.relations.retain(|r| r.id != rel_id);
        after.updated_at = now.to_string();
        self.commit_replace(doc_id, before, after, now);
    }

    /// A new annotation's record as it may be kept: a claim's verdict from
    /// the list and an http(s) source; nothing on any other label; empty
    /// strings are none.
    pub(super) fn checked_record(&self, label: Label, claim: ClaimRecord) -> Result<ClaimRecord, Refusal> {
        let verdict = claim.verdict.filter(|v| !v.trim().is_empty());
        let source = claim.source.filter(|s| !s.trim().is_empty());
        if (verdict.is_some() || source.is_some() || !claim.relations.is_empty()) && label != Label::CLAIM {
            return Err(Refusal::NotAClaim);
        }
        if let Some(v) = verdict.as_deref().filter(|v| self.verdicts.get(v).is_none()) {
            return Err(Refusal::UnknownVerdict(v.to_string()));
        }
        let source = match source {
            Some(raw) => Some(check_source(&raw).map_err(Refusal::BadSource)?),
            None => None,
        };
        Ok(ClaimRecord {
            verdict,
            source,
            relations: claim.relations,
        })
    }

    fn selected_is_claim(&self) -> bool {
        self.selected_annotation()
            .is_some_and(|(_, a)| a.label == Label::CLAIM)
    }

    /// The claims of the documents `step` touched whose links it broke (an
    /// end deleted or relabelled), mended, as changes to add to the step.
    pub(super) fn mend_links(&self, step: &[Change], now: &str) -> Vec<Change> {
        let mut docs: Vec<&str> = step.iter().map(|c| c.doc_id.as_str()).collect();
        docs.dedup();
        let mut out = vec![];
        for doc_id in docs {
            let Some(d) = self.doc(doc_id) else { continue };
            for mut fixed in crate::model::claim::broken_links(&d.ad) {
                let before = d.ad.get(&fixed.id).map(|a| (**a).clone());
                fixed.updated_at = now.to_string();
                out.push(Change {
                    doc_id: doc_id.to_string(),
                    before,
                    after: Some(fixed),
                });
            }
        }
        out
    }
}
