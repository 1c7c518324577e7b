//! Opening one's own article: pasted text or a `.txt` file.

use super::paste::{use_toggle, PasteBox};
use super::ui::use_ui;
use super::{on_file_chosen, read_file_then, Dispatch, DispatchStamped};
use crate::browser::files;
use crate::state::{Action, Taken};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OpenerProps {
    pub dispatch: Dispatch,
    pub taken: Taken,
}

/// Reads a `.txt` file and opens it as a new article.
pub fn open_article_file(dispatch: &Dispatch, file: web_sys::File) {
    read_file_then(dispatch, file, files::MAX_ARTICLE_BYTES, |text, now| {
        Action::AddArticle { text, now }
    });
}

#[function_component]
pub fn Opener(props: &OpenerProps) -> Html {
    let ui = use_ui();
    let (open, toggle) = use_toggle();
    let add = {
        let d = props.dispatch.clone();
        Callback::from(move |text: String| d.dispatch_stamped(|now| Action::AddArticle { text, now }))
    };
    // an article that was added closes the form; a refused one stays in it
    let added = {
        let open = open.clone();
        Callback::from(move |()| open.set(false))
    };
    let on_file = {
        let d = props.dispatch.clone();
        on_file_chosen(move |file| open_article_file(&d, file))
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
                    <PasteBox id="paste-text" rows="8" dir="auto" action="add-article" onsubmit={add} taken={props.taken} ontaken={added}
                        hint={ui.t("السطر الأول عنوان، والأسطر الفارغة تفصل الفقرات.", "The first line is the heading; blank lines separate paragraphs.")}
                        button={ui.t("إضافة المقال", "Add the article")} />
                </div>
            }
        </div>
    }
}
