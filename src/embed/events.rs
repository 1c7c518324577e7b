//! Reporting changes to the host: `hashiya-*` events through the element's
//! `emit(type, detailJson)`.

use super::to_json;
use crate::components::annotator::{AnnotatorEvent, Report, Teller};
use crate::formats::export::export_doc_with;
use crate::model::AnnotatedDoc;
use crate::state::Notice;
use serde_json::json;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The article as it was at each of the last few `hashiya-change`s, for
/// the detail's document keys (`annotations`, `text`, …), which the element
/// reads only when a host touches them: a host that needs the count or the
/// changes never pays for turning 20,000 annotations into JSON. Holding one
/// costs a few pointers: the annotations are shared with the state.
#[derive(Default)]
pub(super) struct Changes {
    last: Cell<u32>,
    kept: RefCell<VecDeque<(u32, AnnotatedDoc)>>,
}

/// How many changes' documents are kept: enough for listeners that read
/// them while later changes are told.
const KEPT: usize = 8;

impl Changes {
    fn keep(&self, ad: &AnnotatedDoc) -> u32 {
        let seq = self.last.get().wrapping_add(1);
        self.last.set(seq);
        let mut kept = self.kept.borrow_mut();
        if kept.len() == KEPT {
            kept.pop_front();
        }
        kept.push_back((seq, ad.clone()));
        seq
    }

    /// The document of change `seq` in export form (JSON), while it is kept.
    pub(super) fn document(&self, seq: u32) -> Option<String> {
        let kept = self.kept.borrow();
        let (_, ad) = kept.iter().find(|(s, _)| *s == seq)?;
        Some(to_json(&export_doc_with(ad, &[])))
    }
}

/// Sends `hashiya-*` events through the element's `emit(type, json, seq)`:
/// the annotator's events (`AnnotatorEvent`) as JSON; `seq` names a
/// `hashiya-change`'s document in `changes`.
pub(super) fn emitter(emit: js_sys::Function, changes: Rc<Changes>) -> impl Fn(&AnnotatedDoc, Report) {
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
                changed @ AnnotatorEvent::Changed { .. } => {
                    let seq = changes.keep(ad);
                    let _ = emit.call3(
                        &JsValue::NULL,
                        &"hashiya-change".into(),
                        &change_detail(ad.id(), &changed).into(),
                        &seq.into(),
                    );
                }
                AnnotatorEvent::Error {
                    message,
                    message_ar,
                    storage,
                } => send("hashiya-error", error_detail(&message, &message_ar, storage)),
            }
        }
    }
}

/// A `hashiya-change` detail's own keys, the change in counts (the element
/// adds the document's keys, built when read); `setAnnotations` answers the
/// same. `null` for any other event.
pub(super) fn change_detail(doc_id: &str, event: &AnnotatorEvent) -> String {
    let AnnotatorEvent::Changed {
        annotations,
        created,
        updated,
        deleted,
        bulk,
    } = event
    else {
        return "null".into();
    };
    to_json(&json!({
        "doc_id": doc_id,
        "count": annotations,
        "created": created,
        "updated": updated,
        "deleted": deleted,
        "bulk": bulk,
    }))
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
