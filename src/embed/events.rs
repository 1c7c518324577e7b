//! Reporting changes to the host: `hashiya-*` events through the element's
//! `emit(type, detailJson)`.

use super::to_json;
use crate::components::annotator::{AnnotatorEvent, Report, Teller};
use crate::formats::export::export_doc_with;
use crate::model::AnnotatedDoc;
use crate::state::Notice;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// Sends `hashiya-*` events through the element's `emit(type, json)`: the
/// annotator's events (`AnnotatorEvent`) as JSON, and with `hashiya-change`
/// the whole article, as documented for hosts.
pub(super) fn emitter(emit: js_sys::Function) -> impl Fn(&AnnotatedDoc, Report) {
    let teller = Teller::default();
    move |ad, report| {
        let send = |kind: &str, detail: String| {
            let _ = emit.call2(&JsValue::NULL, &kind.into(), &detail.into());
        };
        for event in teller.events(ad, report) {
            match event {
                AnnotatorEvent::Ready { doc_id, annotations } => send(
                    "hashiya-ready",
                    to_json(&json!({ "doc_id": doc_id, "annotations": annotations })),
                ),
                AnnotatorEvent::Created(a) => send("hashiya-create", to_json(&a)),
                AnnotatorEvent::Updated(a) => send("hashiya-update", to_json(&a)),
                AnnotatorEvent::Deleted(a) => send("hashiya-delete", to_json(&a)),
                AnnotatorEvent::Relation { action, relation } => send(
                    "hashiya-relation",
                    to_json(&json!({ "action": action.key(), "relation": relation })),
                ),
                AnnotatorEvent::Changed { .. } => send("hashiya-change", to_json(&export_doc_with(ad, &[]))),
                AnnotatorEvent::Error {
                    message,
                    message_ar,
                    storage,
                } => send("hashiya-error", error_detail(&message, &message_ar, storage)),
            }
        }
    }
}

fn error_detail(message: &str, message_ar: &str, storage: bool) -> String {
    let source = if storage { "storage" } else { "widget" };
    to_json(&json!({ "message": message, "message_ar": message_ar, "source": source }))
}

/// Tells the host what it gave that was refused (bad label ids, a bad
/// verdict list or url), one `hashiya-error` each.
pub(super) fn report_errors(emit: &js_sys::Function, problems: &[Notice]) {
    for n in problems {
        let _ = emit.call2(
            &JsValue::NULL,
            &"hashiya-error".into(),
            &error_detail(&n.en, &n.ar, false).into(),
        );
    }
}
