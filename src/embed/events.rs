//! Reporting changes to the host: `hashiya-*` events through the element's
//! `emit(type, detailJson)`.

use super::to_json;
use crate::components::widget::WidgetEvent;
use crate::formats::export::{export_annotation, export_doc_with};
use crate::model::diff::AnnChange;
use crate::model::AnnotatedDoc;
use crate::state::Notice;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// Sends `hashiya-*` events through the element's `emit(type, json)`.
pub(super) fn emitter(emit: js_sys::Function) -> impl Fn(&AnnotatedDoc, WidgetEvent) {
    move |ad, event| {
        let send = |kind: &str, detail: String| {
            let _ = emit.call2(&JsValue::NULL, &kind.into(), &detail.into());
        };
        match event {
            WidgetEvent::Ready(n) => send(
                "hashiya-ready",
                to_json(&json!({ "doc_id": ad.id(), "annotations": n })),
            ),
            WidgetEvent::Changed(changes) => {
                for c in &changes {
                    let (kind, a) = match c {
                        AnnChange::Created(a) => ("hashiya-create", a),
                        AnnChange::Updated(a) => ("hashiya-update", a),
                        AnnChange::Deleted(a) => ("hashiya-delete", a),
                    };
                    send(kind, to_json(&export_annotation(ad, a)));
                }
                send("hashiya-change", to_json(&export_doc_with(ad, &[])));
            }
            WidgetEvent::Error { notice, storage } => send("hashiya-error", error_detail(&notice, storage)),
        }
    }
}

fn error_detail(n: &Notice, storage: bool) -> String {
    let source = if storage { "storage" } else { "widget" };
    to_json(&json!({ "message": n.en, "message_ar": n.ar, "source": source }))
}

/// Tells the host which label ids it gave were left out.
pub(super) fn report_bad_labels(emit: &js_sys::Function, bad: &[String]) {
    let n = Notice::error(
        format!("وسوم غير صالحة تُركت: {}", bad.join("، ")),
        format!(
            "Label ids must be letters, digits, '-', '_' or '.'; left out: {}",
            bad.join(", ")
        ),
    );
    let _ = emit.call2(
        &JsValue::NULL,
        &"hashiya-error".into(),
        &error_detail(&n, false).into(),
    );
}
