//! Reporting changes to the host: `hashiya-*` events through the element's
//! `emit(type, detailJson)`.

use super::to_json;
use crate::components::widget::WidgetEvent;
use crate::formats::export::{export_annotation, export_doc_with, export_relations, ExportRelation};
use crate::model::diff::AnnChange;
use crate::model::AnnotatedDoc;
use crate::state::Notice;
use serde_json::json;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

/// Sends `hashiya-*` events through the element's `emit(type, json)`.
///
/// Relations live on their claims, so a change to one is also a
/// `hashiya-update` of its claim; `hashiya-relation` tells it as a relation
/// (what a host that draws links needs), found by comparing the relations
/// with those last told.
pub(super) fn emitter(emit: js_sys::Function) -> impl Fn(&AnnotatedDoc, WidgetEvent) {
    let told_relations: RefCell<Vec<ExportRelation>> = RefCell::default();
    move |ad, event| {
        let send = |kind: &str, detail: String| {
            let _ = emit.call2(&JsValue::NULL, &kind.into(), &detail.into());
        };
        match event {
            WidgetEvent::Ready(n) => {
                told_relations.replace(export_relations(ad));
                send(
                    "hashiya-ready",
                    to_json(&json!({ "doc_id": ad.id(), "annotations": n })),
                )
            }
            WidgetEvent::Changed(changes) => {
                for c in &changes {
                    let (kind, a) = match c {
                        AnnChange::Created(a) => ("hashiya-create", a),
                        AnnChange::Updated(a) => ("hashiya-update", a),
                        AnnChange::Deleted(a) => ("hashiya-delete", a),
                    };
                    send(kind, to_json(&export_annotation(ad, a)));
                }
                // replaced before sending: a listener's own change is told
                // after this one, against what this one left
                let now = export_relations(ad);
                let before = told_relations.replace(now.clone());
                for (action, r) in relation_changes(&before, &now) {
                    send(
                        "hashiya-relation",
                        to_json(&json!({ "action": action, "relation": r })),
                    );
                }
                send("hashiya-change", to_json(&export_doc_with(ad, &[])));
            }
            WidgetEvent::Error { notice, storage } => send("hashiya-error", error_detail(&notice, storage)),
        }
    }
}

/// What became of the relations between `before` and `now`: deletions
/// first (in `before`'s order), then creations. A relation that changed
/// under its id is told as deleted and created again.
fn relation_changes<'a>(
    before: &'a [ExportRelation],
    now: &'a [ExportRelation],
) -> Vec<(&'static str, &'a ExportRelation)> {
    let index = |rels: &'a [ExportRelation]| -> HashMap<&'a str, &'a ExportRelation> {
        rels.iter().map(|r| (r.id.as_str(), r)).collect()
    };
    let (was, is) = (index(before), index(now));
    let gone = before
        .iter()
        .filter(|r| is.get(r.id.as_str()) != Some(r))
        .map(|r| ("delete", r));
    let came = now
        .iter()
        .filter(|r| was.get(r.id.as_str()) != Some(r))
        .map(|r| ("create", r));
    gone.chain(came).collect()
}

fn error_detail(n: &Notice, storage: bool) -> String {
    let source = if storage { "storage" } else { "widget" };
    to_json(&json!({ "message": n.en, "message_ar": n.ar, "source": source }))
}

/// Tells the host what it gave that was refused (bad label ids, a bad
/// verdict list or url), one `hashiya-error` each.
pub(super) fn report_errors(emit: &js_sys::Function, problems: &[Notice]) {
    for n in problems {
        let _ = emit.call2(
            &JsValue::NULL,
            &"hashiya-error".into(),
            &error_detail(n, false).into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RelationKind;

    fn rel(id: &str, to: &str) -> ExportRelation {
        ExportRelation {
            id: id.into(),
            kind: RelationKind::About,
            from: "c".into(),
            to: to.into(),
            created_at: "t".into(),
            updated_at: "t".into(),
        }
    }

    #[test]
    fn relations_gone_and_new_are_told_and_a_changed_one_is_both() {
        let before = [rel("r1", "p"), rel("r2", "q"), rel("r3", "m")];
        let now = [rel("r1", "p"), rel("r3", "x"), rel("r4", "q")];
        let told: Vec<(&str, &str)> = relation_changes(&before, &now)
            .into_iter()
            .map(|(action, r)| (action, r.id.as_str()))
            .collect();
        assert_eq!(
            told,
            [
                ("delete", "r2"),
                ("delete", "r3"),
                ("create", "r3"),
                ("create", "r4")
            ]
        );
        assert!(relation_changes(&now, &now).is_empty());
    }
}
