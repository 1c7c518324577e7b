//! Opening one's own article: pasted text or a `.txt` file.

use super::Dispatch;
use crate::browser::{clock, files};
use crate::state::{Action, Notice};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OpenerProps {
    pub dispatch: Dispatch,
}

/// Reads a `.txt` file and opens it as a new article.
pub fn open_article_file(dispatch: &Dispatch, file: web_sys::File) {
    let d = dispatch.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match files::read_text(file, files::MAX_ARTICLE_BYTES).await {
            Ok(text) => d.dispatch(Action::AddArticle {
                text,
                now: clock::now_iso(),
            }),
            Err(why) => d.dispatch(Action::Notify(Notice::error(
                format!("تعذّرت قراءة الملف: {why}"),
                format!("Could not read the file: {why}"),
            ))),
        }
    });
}

#[function_component]
pub fn Opener(props: &OpenerProps) -> Html {
    let open = use_state(|| false);
    let text = use_node_ref();
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let add = {
        let (d, text, open) = (props.dispatch.clone(), text.clone(), open.clone());
        Callback::from(move |_| {
            let Some(area) = text.cast::<web_sys::HtmlTextAreaElement>() else {
                return;
            };
            d.dispatch(Action::AddArticle {
                text: area.value(),
                now: clock::now_iso(),
            });
            if !area.value().trim().is_empty() {
                area.set_value("");
                open.set(false);
            }
        })
    };
    let on_file = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            open_article_file(&d, file);
        })
    };
    html! {
        <div class="opener">
            <button data-action="paste-article" aria-expanded={(*open).to_string()} onclick={toggle}
                title="Paste an article">{"لصق مقال"}</button>
            <label class="button" title="Open a .txt file (first line: heading; blank lines separate paragraphs)">
                {"فتح ملف نصي"}
                <input type="file" accept=".txt,text/plain" data-action="open-file" class="visually-hidden" onchange={on_file} />
            </label>
            if *open {
                <div class="paste-form">
                    <label for="paste-text">{"السطر الأول عنوان، والأسطر الفارغة تفصل الفقرات."}</label>
                    <textarea id="paste-text" data-role="paste-text" ref={text} dir="auto" rows="8" />
                    <button data-action="add-article" onclick={add}>{"إضافة المقال"}</button>
                </div>
            }
        </div>
    }
}
