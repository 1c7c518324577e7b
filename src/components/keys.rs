//! The keyboard: every mouse action has a key (listed by `?`, see help.rs).
//!
//! The caret is the browser's own selection, moved with `Selection.modify`,
//! which knows the visual order of mixed right-to-left and left-to-right
//! runs and where lines wrap; the article draws it (article.rs).

use super::ui::Ui;
use super::{stamp, tag_selection, Dispatch, DispatchStamped};
use crate::browser::{clock, dom, selection};
use crate::model::words::Edge;
use crate::model::{Label, RelationKind};
use crate::state::{Action, AppState};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

/// The workspace's keys for moving through the articles: `]` and `[` the
/// next and previous, `N` the next not done, `D` done or not. Read by the
/// key's place too, so they work on an Arabic layout (د، ى، ي).
fn queue_key(e: &KeyboardEvent, state: &AppState) -> Option<Action> {
    let step = |forward, undone_only| Some(Action::ShowNext { forward, undone_only });
    match (e.code().as_str(), e.key().as_str()) {
        ("BracketRight", _) | (_, "]") => step(true, false),
        ("BracketLeft", _) | (_, "[") => step(false, false),
        ("KeyN", _) | (_, "n" | "N") => step(true, true),
        ("KeyD", _) | (_, "d" | "D") => state.current_doc().map(|d| Action::SetDone {
            doc_id: d.id().to_string(),
            done: !d.done,
        }),
        _ => None,
    }
}

/// Handles a key pressed anywhere on the page (or in the widget) except in a
/// text field; returns nothing, prevents the browser's default when used.
pub fn on_key(e: &KeyboardEvent, dispatch: &Dispatch, ui: &Ui, state: &AppState) {
    if dom::is_typing_target(e.target()) {
        // Escape in the note field closes the editor and returns to the text
        if e.key() == "Escape" {
            // found before the editor (and the field) goes away
            let article = article_near(e);
            dispatch.dispatch(Action::Escape);
            if let Some(a) = article {
                let _ = a.focus();
            }
        }
        return;
    }
    if state.linking.is_some() && linking_key(e, dispatch, state) {
        return;
    }
    let ctrl = e.ctrl_key() || e.meta_key();
    let (shift, alt) = (e.shift_key(), e.alt_key());
    let key = e.key();
    let in_article = article_of(e).is_some();
    // by the key's place too, so that S and A work on an Arabic layout (س، ش)
    let link_kind = match (e.code().as_str(), key.as_str()) {
        ("KeyS", _) | (_, "s" | "S") => Some(RelationKind::Speaker),
        ("KeyA", _) | (_, "a" | "A") => Some(RelationKind::About),
        _ => None,
    };
    let claim_selected = state
        .selected_annotation()
        .is_some_and(|(_, a)| a.label == Label::CLAIM);
    let action = match key.as_str() {
        // Escape with nothing to close is left to the page (a host's dialog)
        "Escape" if state.help_open || state.selected.is_some() => Some(Action::Escape),
        "?" => Some(Action::Help(true)),
        _ if ui.readonly => None,
        "z" | "Z" if ctrl && shift => Some(stamp(|now| Action::Redo { now })),
        "z" | "Z" if ctrl => Some(stamp(|now| Action::Undo { now })),
        "y" | "Y" if ctrl => Some(stamp(|now| Action::Redo { now })),
        "Delete" | "Backspace" if !ctrl => Some(stamp(|now| Action::DeleteSelected { now })),
        _ if claim_selected && !ctrl && !alt && link_kind.is_some() => link_kind.map(Action::StartLink),
        _ if !ctrl && !alt && !state.fixed_articles && queue_key(e, state).is_some() => queue_key(e, state),
        "ArrowLeft" | "ArrowRight" if alt && shift && state.selected.is_some() => {
            Some(stamp(|now| Action::MoveEdge {
                edge: if ctrl { Edge::End } else { Edge::Start },
                left: key == "ArrowLeft",
                now,
            }))
        }
        k if !ctrl && !alt => {
            if let Some(label) = ui.labels.for_key(k) {
                if let Some(from) = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()) {
                    e.prevent_default();
                    tag_selection(dispatch, label, &from, ui.snap);
                }
            }
            None
        }
        _ => None,
    };
    if let Some(action) = action {
        e.prevent_default();
        dispatch.dispatch(action);
        return;
    }
    if in_article && !alt {
        caret_key(e, dispatch, state);
    }
}

/// Keys while the selected claim is being linked: Tab and Shift+Tab walk
/// the candidates, Enter links the one the keys are on. A suggestion is
/// dismissed by any other key (which then does what it always does).
/// True when the key was used here.
fn linking_key(e: &KeyboardEvent, dispatch: &Dispatch, state: &AppState) -> bool {
    let Some(linking) = &state.linking else {
        return false;
    };
    let modifier = matches!(
        e.key().as_str(),
        "Shift" | "Control" | "Alt" | "Meta" | "CapsLock" | "AltGraph"
    );
    match e.key().as_str() {
        "Tab" if !linking.suggested => {
            e.prevent_default();
            dispatch.dispatch(Action::LinkStep {
                forward: !e.shift_key(),
            });
            true
        }
        "Enter" if linking.candidate.is_some() => {
            e.prevent_default();
            dispatch.dispatch_stamped(|now| Action::LinkConfirm {
                new_id: clock::new_id(),
                now,
            });
            true
        }
        // Escape is the state's: it ends the linking and keeps the claim selected
        "Escape" => false,
        _ if linking.suggested && !modifier => {
            dispatch.dispatch(Action::CancelLink);
            false
        }
        _ => false,
    }
}

/// The article the key was pressed in (focus is on it or inside it).
fn article_of(e: &KeyboardEvent) -> Option<Element> {
    let target = e.target()?.dyn_into::<Element>().ok()?;
    target.closest("article[data-doc-id]").ok()?
}

/// The article beside the field the key was pressed in.
fn article_near(e: &KeyboardEvent) -> Option<web_sys::HtmlElement> {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("section.doc").ok().flatten())
        .and_then(|s| s.query_selector("article").ok().flatten())
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Caret keys in a focused article: move or extend the selection; Tab walks
/// the annotations; Enter opens the selected one's note.
fn caret_key(e: &KeyboardEvent, dispatch: &Dispatch, state: &AppState) {
    let Some(article) = article_of(e) else { return };
    let ctrl = e.ctrl_key() || e.meta_key();
    let shift = e.shift_key();
    let key = e.key();
    let motion = match key.as_str() {
        "ArrowLeft" => Some(("left", if ctrl { "word" } else { "character" })),
        "ArrowRight" => Some(("right", if ctrl { "word" } else { "character" })),
        "ArrowUp" => Some(("backward", if ctrl { "paragraph" } else { "line" })),
        "ArrowDown" => Some(("forward", if ctrl { "paragraph" } else { "line" })),
        "Home" => Some(("backward", "lineboundary")),
        "End" => Some(("forward", "lineboundary")),
        _ => None,
    };
    if let Some((direction, granularity)) = motion {
        e.prevent_default();
        move_caret(
            &article,
            if shift { "extend" } else { "move" },
            direction,
            granularity,
        );
        return;
    }
    match key.as_str() {
        "Tab" => {
            let doc_id = article.get_attribute("data-doc-id").unwrap_or_default();
            let Some(next) = state.neighbour(&doc_id, !shift) else {
                return; // past the last one: Tab leaves the article as usual
            };
            e.prevent_default();
            dispatch.dispatch(Action::Select(Some(next.clone())));
            if let Some(entry) = state.doc(&next.doc_id) {
                if let Some(ann) = entry.ad.get(&next.ann_id) {
                    dom::reveal(&article, &entry.ad.doc, ann);
                }
            }
        }
        "Enter" if state.selected.is_some() => {
            e.prevent_default();
            let note = article
                .closest("section.doc")
                .ok()
                .flatten()
                .and_then(|s| s.query_selector("[data-role=note]").ok().flatten())
                .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(n) = note {
                let _ = n.focus();
            }
        }
        _ => {}
    }
}

/// Moves (or extends) the selection in `article` the way a caret moves; a
/// selection outside the article first becomes a caret at its start.
fn move_caret(article: &Element, alter: &str, direction: &str, granularity: &str) {
    let Some(sel) = selection::of(article) else { return };
    let inside = selection::focus(article).is_some_and(|(n, _)| article.contains(Some(&n)));
    if !inside {
        let first = article.query_selector("[data-block]").ok().flatten();
        let _ = sel.collapse_with_offset(first.as_ref().map(|f| f.unchecked_ref()), 0);
        if alter == "move" {
            selection::note_precise(true);
            return;
        }
    }
    let _ = sel.modify(alter, direction, granularity);
    // a selection made with keys is exact: it is never grown to words
    selection::note_precise(true);
    if let Some(el) = selection::focus(article).and_then(|(n, _)| match n.dyn_into::<Element>() {
        Ok(el) => Some(el),
        Err(n) => n.parent_element(),
    }) {
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
        el.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}
