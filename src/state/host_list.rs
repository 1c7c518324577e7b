//! A host's list of annotations for its one article (the element's
//! `setAnnotations`, the Yew component's `annotations` prop): read, fitted to
//! the widget and planned as a replacing import before anything changes.

use super::{AppState, Refusal};
use crate::formats::export::read_list;
use crate::formats::import::{plan, Incoming, Plan};
use crate::model::Label;
use rustc_hash::FxHashMap;

impl AppState {
    /// The plan that replaces the first article's annotations by `list` (a
    /// JSON array in the export form), or why it is refused, naming the
    /// entry. Nothing changes: dispatch `Action::ImportPlan` with
    /// `ImportMode::Replace` to apply it. It is not weighed here as well:
    /// the reducer weighs it, and a list for this article leaves it nothing
    /// to refuse (weighing 20,000 annotations twice cost 15 ms).
    pub fn plan_list(&self, list: &str, new_id: impl FnMut() -> String, now: &str) -> Result<Plan, String> {
        let doc = &self.docs.first().ok_or("there is no article")?.ad.doc;
        let mut incoming = read_list(list, doc, &self.labels, new_id).map_err(|e| e.to_string())?;
        fit_list(&mut incoming, self)?;
        plan(incoming, &self.shown(), now).map_err(|e| Refusal::ImportFailed(e.to_string()).reason())
    }
}

/// Fits a host's list (`setAnnotations`) to this widget: a verdict must be
/// one of its verdicts and only claims carry one or a source (an error
/// names the entry); and since the list has no place for links, a claim it
/// keeps (same id) keeps its links to the annotations it keeps, so that
/// `setAnnotations(getAnnotations())` changes nothing.
fn fit_list(incoming: &mut Incoming, state: &AppState) -> Result<(), String> {
    let Some(list) = incoming.docs.first_mut() else {
        return Ok(());
    };
    let labels: FxHashMap<String, Label> = list
        .anns
        .iter()
        .filter_map(|a| Some((a.id.clone()?, a.label?)))
        .collect();
    let ad = &state.docs[0].ad;
    let claims: FxHashMap<&str, &crate::model::Annotation> = ad
        .annotations()
        .iter()
        .filter(|a| a.label == Label::CLAIM)
        .map(|a| (a.id.as_str(), &**a))
        .collect();
    for a in &mut list.anns {
        let is_claim = a.label == Some(Label::CLAIM);
        if let Some(v) = &a.claim.verdict {
            if !is_claim {
                return Err(format!("{}.verdict: only a claim has a verdict", a.at));
            }
            if state.verdicts.get(v).is_none() {
                let ours: Vec<&str> = state.verdicts.iter().map(|v| v.id.as_str()).collect();
                return Err(format!(
                    "{}.verdict: unknown verdict {v:?}; this widget has: {}",
                    a.at,
                    ours.join(", ")
                ));
            }
        }
        if a.claim.source.is_some() && !is_claim {
            return Err(format!("{}.source: only a claim has a source", a.at));
        }
        let kept = a.id.as_deref().and_then(|id| claims.get(id)).filter(|_| is_claim);
        if let Some(old) = kept {
            a.claim.relations = old
                .claim
                .relations
                .iter()
                .filter(|r| labels.get(&r.to).is_some_and(|l| r.kind.allows(*l)))
                .cloned()
                .collect();
        }
    }
    Ok(())
}
