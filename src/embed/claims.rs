//! The API about claims: their links to persons and places
//! (`getRelations`, `addRelation`, `removeRelation`), the verdict and source
//! that `addAnnotation` and `setAnnotations` take, and the ClaimReview
//! export.

use super::{error, to_json, Annotator};
use crate::browser::clock;
use crate::formats::claimreview::export_claimreview;
use crate::formats::export::export_relations;
use crate::model::RelationKind;
use crate::state::Action;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Annotator {
    /// Every claim's links (JSON array of `{id, type, from, to, created_at,
    /// updated_at}`), in reading order of the claims.
    pub fn relations(&self) -> Result<String, JsError> {
        Ok(to_json(&export_relations(&self.ad()?)))
    }

    /// Links a claim to its speaker or to a person or place it is about
    /// (`{type, from, to}`, JSON) and returns the relation. A new speaker
    /// replaces the claim's old one.
    pub fn add_relation(&self, json: &str) -> Result<String, JsError> {
        #[derive(Deserialize)]
        struct New {
            #[serde(rename = "type")]
            kind: String,
            from: String,
            to: String,
        }
        let new: New = serde_json::from_str(json).map_err(|e| {
            error(format!(
                "addRelation takes {{type, from, to}}: \"speaker\" or \"about\", the claim's id and the id of a person or place: {e}"
            ))
        })?;
        let kind = RelationKind::named(&new.kind)
            .ok_or_else(|| error(format!("unknown relation type {:?} (speaker or about)", new.kind)))?;
        let state = self.state()?;
        let id = clock::new_id();
        let action = Action::Link {
            doc_id: self.doc_id(),
            from: new.from,
            kind,
            to: new.to,
            id: id.clone(),
            now: clock::now_iso(),
        };
        let after = self.try_actions(&state, vec![action]).map_err(error)?;
        // a Link that is not refused adds exactly this relation
        let made = export_relations(&after.docs[0].ad)
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| error("the relation was not added"))?;
        Ok(to_json(&made))
    }

    /// The claims that have a verdict as schema.org ClaimReviews (a JSON
    /// array), with the article's address from the `url` attribute. Verdicts
    /// are named in the article's language: Arabic for an Arabic article,
    /// English for any other (the verdicts have no other names).
    pub fn export_claimreview(&self) -> Result<String, JsError> {
        let state = self.state()?;
        let ad = &state.docs[0].ad;
        let url = self.mounted.borrow().1.url.clone();
        let english = !is_arabic(&ad.doc.lang);
        Ok(export_claimreview(
            [(ad, url.as_deref())],
            &state.verdicts,
            english,
            &clock::now_iso(),
        ))
    }

    /// Removes a relation; false if there is none with `id`.
    pub fn remove_relation(&self, id: &str) -> Result<bool, JsError> {
        let ad = self.ad()?;
        let there = ad
            .annotations()
            .iter()
            .any(|a| a.claim.relations.iter().any(|r| r.id == id));
        if !there {
            return Ok(false);
        }
        Ok(self.link.dispatch(Action::Unlink {
            doc_id: self.doc_id(),
            rel_id: id.to_string(),
            now: clock::now_iso(),
        }))
    }
}

/// Whether a language tag (`ar`, `ar-EG`) is Arabic.
fn is_arabic(lang: &str) -> bool {
    let primary = lang.trim().split(['-', '_']).next().unwrap_or_default();
    primary.eq_ignore_ascii_case("ar")
}
