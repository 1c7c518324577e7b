//! The workspace's list of articles: each with its title, counts per label
//! and status; a text filter, a status filter and the progress of the set.
//! Only the rows in view are drawn, so a thousand articles scroll as
//! smoothly as ten; arrow keys, Home and End move through the list.

use super::ui::use_ui;
use super::Dispatch;
use crate::browser::dom;
use crate::model::{DocStatus, Document};
use crate::state::{Action, AppState};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The height of a row, in CSS pixels (styles/hashiya.css says the same).
const ROW: f64 = 64.0;
/// Rows drawn above and below those in view, so that a fast scroll shows
/// no gap before the next frame.
const OVERSCAN: usize = 6;

#[derive(Properties, PartialEq)]
pub struct DocListProps {
    pub state: UseReducerHandle<AppState>,
    pub dispatch: Dispatch,
    /// Closes the list where it is a drawer (a narrow screen).
    pub on_close: Callback<MouseEvent>,
}

/// Which statuses the list shows.
#[derive(Clone, Copy, PartialEq, Default)]
enum Only {
    #[default]
    All,
    Status(DocStatus),
}

impl Only {
    fn parse(v: &str) -> Only {
        DocStatus::parse(v).map(Only::Status).unwrap_or(Only::All)
    }

    fn admits(self, s: DocStatus) -> bool {
        match self {
            Only::All => true,
            Only::Status(want) => want == s,
        }
    }
}

#[function_component]
pub fn DocList(props: &DocListProps) -> Html {
    let ui = use_ui();
    let state = &props.state;
    let typed = use_state(String::new);
    let only = use_state(Only::default);
    let scroll_top = use_state(|| 0.0_f64);
    let viewport = use_state(|| 480.0_f64);
    // the row a key moved to, and how many moves so far: moving to the
    // same row again (after a click elsewhere) focuses it again
    let focus = use_state(|| (None::<usize>, 0_u32));
    let scroller = use_node_ref();

    // what is searched: each article's text without case, made once while a
    // filter is typed (the list renders again on every scroll), not per render
    let wanted = typed.trim().to_lowercase();
    let texts: Vec<Rc<Document>> = state.docs.iter().map(|d| d.ad.doc.clone()).collect();
    let lowered = use_memo(
        (texts, !wanted.is_empty()),
        |(texts, filtering)| match filtering {
            true => texts.iter().map(|d| d.text().to_lowercase()).collect(),
            false => Vec::<String>::new(),
        },
    );
    let shown: Vec<usize> = state
        .docs
        .iter()
        .enumerate()
        .filter(|&(i, d)| only.admits(d.status()) && (wanted.is_empty() || lowered[i].contains(&wanted)))
        .map(|(i, _)| i)
        .collect();
    let current = state.current_doc().map(|d| d.id().to_string());
    let (done, total) = state.progress();

    // after a key moved the focus, the row it moved to gets it once drawn
    {
        let scroller = scroller.clone();
        let focus = focus.clone();
        use_effect_with(*focus, move |(at, _)| {
            if let (Some(at), Some(el)) = (at, scroller.cast::<web_sys::Element>()) {
                let sel = format!("button[data-pos=\"{at}\"]");
                if let Some(b) = el.query_selector(&sel).ok().flatten() {
                    if let Ok(b) = b.dyn_into::<web_sys::HtmlElement>() {
                        let _ = b.focus();
                    }
                }
            }
            || ()
        });
    }
    let onscroll = {
        let (scroll_top, viewport) = (scroll_top.clone(), viewport.clone());
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                scroll_top.set(el.scroll_top() as f64);
                viewport.set(el.client_height() as f64);
            }
        })
    };
    let go_to = {
        let (scroller, focus, scroll_top) = (scroller.clone(), focus.clone(), scroll_top.clone());
        let count = shown.len();
        move |pos: usize| {
            let pos = pos.min(count.saturating_sub(1));
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                let (top, height) = (el.scroll_top() as f64, el.client_height() as f64);
                let row_top = pos as f64 * ROW;
                let new_top = if row_top < top {
                    row_top
                } else if row_top + ROW > top + height {
                    row_top + ROW - height
                } else {
                    top
                };
                el.set_scroll_top(new_top as i32);
                scroll_top.set(new_top);
            }
            focus.set((Some(pos), focus.1.wrapping_add(1)));
        }
    };
    let onkeydown = {
        let count = shown.len();
        Callback::from(move |e: KeyboardEvent| {
            let Some(pos) = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.get_attribute("data-pos"))
                .and_then(|p| p.parse::<usize>().ok())
            else {
                return;
            };
            let to = match e.key().as_str() {
                "ArrowDown" => pos + 1,
                "ArrowUp" => pos.saturating_sub(1),
                "Home" => 0,
                "End" => count.saturating_sub(1),
                "PageDown" => pos + 8,
                "PageUp" => pos.saturating_sub(8),
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            go_to(to);
        })
    };

    let first = ((*scroll_top / ROW) as usize).saturating_sub(OVERSCAN);
    let last = (first + (*viewport / ROW).ceil() as usize + 2 * OVERSCAN).min(shown.len());
    let rows = shown[first.min(last)..last].iter().enumerate().map(|(k, &i)| {
        let pos = first + k;
        let d = &state.docs[i];
        let id = d.id().to_string();
        let status = d.status();
        let open = {
            let (dispatch, id, close) = (props.dispatch.clone(), id.clone(), props.on_close.clone());
            Callback::from(move |e: MouseEvent| {
                dispatch.dispatch(Action::Show(id.clone()));
                close.emit(e);
            })
        };
        let mover = |down: bool| {
            let (dispatch, id) = (props.dispatch.clone(), id.clone());
            Callback::from(move |_| {
                dispatch.dispatch(Action::MoveArticle {
                    doc_id: id.clone(),
                    down,
                })
            })
        };
        let counts = state.labels.iter().map(|l| {
            let n = d.ad.annotations().iter().filter(|a| a.label == *l).count();
            html! { <span class="count" data-label={l.key()} title={ui.label_name(*l)}>{n}</span> }
        });
        let is_current = current.as_deref() == Some(id.as_str());
        let top = format!("top: {}", dom::px(pos as f64 * ROW));
        html! {
            <li key={id.clone()} data-doc-id={id.clone()} data-status={status.key()} style={top}
                aria-current={is_current.then_some("true")} aria-setsize={shown.len().to_string()} aria-posinset={(pos + 1).to_string()}>
                <button class="open" data-action="open-doc" data-pos={pos.to_string()} onclick={open}>
                    <span class="title" dir="auto">{d.ad.doc.title().to_string()}</span>
                    <span class="meta">
                        <span class="status" data-status={status.key()}>{ui.t(status.arabic(), status.english())}</span>
                        { for counts }
                    </span>
                </button>
                <span class="order">
                    <button class="quiet" data-action="move-up" disabled={i == 0} onclick={mover(false)}
                        aria-label={ui.t("انقل إلى الأعلى", "Move up")}>{"↑"}</button>
                    <button class="quiet" data-action="move-down" disabled={i + 1 == state.docs.len()} onclick={mover(true)}
                        aria-label={ui.t("انقل إلى الأسفل", "Move down")}>{"↓"}</button>
                </span>
            </li>
        }
    });

    let oninput = {
        let (typed, scroll_top, scroller) = (typed.clone(), scroll_top.clone(), scroller.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                typed.set(input.value());
                scroll_top.set(0.0);
                if let Some(el) = scroller.cast::<web_sys::Element>() {
                    el.set_scroll_top(0);
                }
            }
        })
    };
    let onchange = {
        let only = only.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                only.set(Only::parse(&select.value()));
            }
        })
    };
    let option = |value: &'static str, label: &str| {
        let selected = match *only {
            Only::All => value == "all",
            Only::Status(s) => s.key() == value,
        };
        html! { <option value={value} {selected}>{label.to_string()}</option> }
    };
    let height = format!("height: {}", dom::px(shown.len() as f64 * ROW));
    html! {
        <nav class="doc-list" data-role="documents" aria-label={ui.t("المقالات", "Articles")}>
            <button class="drawer-close quiet" data-action="close-documents" onclick={props.on_close.clone()}
                aria-label={ui.t("إغلاق القائمة", "Close the list")}>{"✕"}</button>
            <div class="progress" data-role="progress">
                <progress max={total.to_string()} value={done.to_string()}></progress>
                <span>{format!("{done} / {total} {}", ui.t("منجز", "done"))}</span>
            </div>
            <div class="filters">
                <input type="search" data-role="doc-filter" value={(*typed).clone()} {oninput}
                    placeholder={ui.t("ابحث في العناوين والنصوص", "Search titles and text")}
                    aria-label={ui.t("تصفية المقالات", "Filter articles")} />
                <select data-role="status-filter" {onchange} aria-label={ui.t("الحالة", "Status")}>
                    { option("all", ui.t("الكل", "All")) }
                    { option("new", ui.t(DocStatus::New.arabic(), DocStatus::New.english())) }
                    { option("in-progress", ui.t(DocStatus::InProgress.arabic(), DocStatus::InProgress.english())) }
                    { option("done", ui.t(DocStatus::Done.arabic(), DocStatus::Done.english())) }
                </select>
            </div>
            <div class="doc-scroll" ref={scroller} {onscroll} {onkeydown}>
                <ol style={height}>{ for rows }</ol>
            </div>
            if shown.is_empty() {
                <p class="empty">{ui.t("لا مقال يطابق التصفية.", "No article matches the filter.")}</p>
            }
        </nav>
    }
}
