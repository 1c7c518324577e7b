//! Editing the selected annotation: relabel, note, delete.

use super::Dispatch;
use crate::browser::clock;
use crate::model::{Annotation, Label};
use crate::state::{Action, Selected};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub ann: Rc<Annotation>,
    pub quote: AttrValue,
    pub dispatch: Dispatch,
}

#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let note = use_node_ref();
    let a = &props.ann;
    let d = &props.dispatch;
    let relabel = |label: Label| {
        let d = d.clone();
        let pressed = a.label == label;
        html! {
            <button data-action="relabel" data-label={label.key()} aria-pressed={pressed.to_string()}
                title={label.english()}
                onclick={Callback::from(move |_| d.dispatch(Action::Relabel { label, now: clock::now_iso() }))}>
                <span class="swatch" aria-hidden="true"></span>{label.arabic()}
            </button>
        }
    };
    let save_note = {
        let (d, note) = (d.clone(), note.clone());
        Callback::from(move |_| {
            if let Some(area) = note.cast::<web_sys::HtmlTextAreaElement>() {
                d.dispatch(Action::SetNote {
                    note: area.value(),
                    now: clock::now_iso(),
                });
            }
        })
    };
    let on_key = {
        let save = save_note.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                save.emit(());
            }
        })
    };
    let delete = {
        let d = d.clone();
        Callback::from(move |_| {
            d.dispatch(Action::DeleteSelected {
                now: clock::now_iso(),
            })
        })
    };
    let close = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::Select(None::<Selected>)))
    };
    html! {
        <div class="editor" data-role="editor" data-annotation-id={a.id.clone()} data-label={a.label.key()}>
            <p class="editor-quote">{"«"}{&props.quote}{"»"}</p>
            <div class="relabel" role="group" aria-label="تغيير الوسم">
                { relabel(Label::Person) }{ relabel(Label::Place) }{ relabel(Label::Claim) }
            </div>
            <label for={format!("note-{}", a.id)}>{"ملاحظة"}</label>
            // keyed by the note so that undo shows the restored text
            <textarea key={a.note.clone().unwrap_or_default()} id={format!("note-{}", a.id)} data-role="note"
                ref={note} rows="3" dir="auto" defaultvalue={a.note.clone().unwrap_or_default()}
                onkeydown={on_key} />
            <div class="editor-actions">
                <button data-action="save-note" onclick={save_note.reform(|_: MouseEvent| ())} title="Save note — Ctrl+Enter">{"حفظ الملاحظة"}</button>
                <button data-action="delete" class="danger" onclick={delete} title="Delete — Delete/Backspace">{"حذف"}</button>
                <button data-action="close-editor" class="quiet" onclick={close} title="Close — Escape">{"إغلاق"}</button>
            </div>
        </div>
    }
}
