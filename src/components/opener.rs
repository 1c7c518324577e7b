//! Opening one's own article: pasted text or a `.txt` file.

use super::ui::use_ui;
use super::{read_file_then, take_chosen_file, Dispatch};
use crate::browser::{clock, files};
use crate::state::Action;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OpenerProps {
    pub dispatch: Dispatch,
}

/// Reads a `.txt` file and opens it as a new article.
pub fn open_article_file(dispatch: &Dispatch, file: web_sys::File) {
    read_file_then(dispatch, file, files::MAX_ARTICLE_BYTES, |text| {
        Action::AddArticle {
            text,
            now: clock::now_iso(),
        }
    });
}

#[function_component]
pub fn Opener(props: &OpenerProps) -> Html {
    let ui = use_ui();
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
            if let Some(file) = take_chosen_file(&e) {
                open_article_file(&d, file);
            }
        })
    };
    html! {
        <div class="opener">
            <button data-action="paste-article" aria-expanded={(*open).to_string()} onclick={toggle}
                >{ui.t("لصق مقال", "Paste an article")}</button>
            <label class="button" title={ui.t("ملف ‎.txt‎: السطر الأول عنوان، والأسطر الفارغة تفصل الفقرات",
                "A .txt file: the first line is the heading, blank lines separate paragraphs")}>
                {ui.t("فتح ملف نصي", "Open a text file")}
                <input type="file" accept=".txt,text/plain" data-action="open-file" class="visually-hidden" onchange={on_file} />
            </label>
            if *open {
                <div class="paste-form">
                    <label for="paste-text">{ui.t("السطر الأول عنوان، والأسطر الفارغة تفصل الفقرات.",
                        "The first line is the heading; blank lines separate paragraphs.")}</label>
                    <textarea id="paste-text" data-role="paste-text" ref={text} dir="auto" rows="8" />
                    <button data-action="add-article" onclick={add}>{ui.t("إضافة المقال", "Add the article")}</button>
                </div>
            }
        </div>
    }
}
