//! The embed adapter: what `embed/hashiya.js` (the `<hashiya-annotator>`
//! element) calls. It mounts a [`Widget`] in the element's shadow root and
//! turns the element's JS API into actions on the widget's state.
//!
//! Values cross to JavaScript as JSON strings, parsed on the other side, so
//! the interface stays a handful of plain functions.
//!
//! `config` reads what the element gives, `events` tells the host what
//! changed, `claims` holds the calls about claims (relations, verdicts,
//! sources, ClaimReview), and this module is the rest of the API: each call
//! becomes an action on the widget's state. Calls that can be refused change
//! nothing when they are: `addAnnotation` and `addRelation` are tried on a
//! copy first (`dry_run`); `importJson` reads its input once and weighs the
//! import against the state (`AppState::weigh_import`) before dispatching it;
//! `setAnnotations` reads, fits and plans its list (`AppState::plan_list`),
//! which is all that can refuse one; the others check what they need before
//! dispatching.

mod claims;
mod config;
mod events;

use crate::browser::clock;
use crate::components::annotator::{changed, Annotator as Widget, AnnotatorProps, Content, Link, Storage};
use crate::formats::export::{export_annotation, export_json};
use crate::formats::import::{parse_for, plan, ImportError, Incoming};
use crate::formats::jsonl::export_jsonl;
use crate::formats::w3c::export_w3c;
use crate::model::diff::diff;
use crate::model::AnnotatedDoc;
use crate::model::{ClaimRecord, Label};
use crate::state::{Action, AppState, ImportMode, ImportSummary, Refusal};
use config::{build_document, with_ui, Config, UiConfig};
use serde::Deserialize;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::AppHandle;

fn error(message: impl Into<String>) -> JsError {
    JsError::new(&message.into())
}

/// Runs `actions` in turn on a copy of the state: the state they would
/// leave, or why the first refused one would be refused. Nothing is
/// dispatched.
fn dry_run(state: &AppState, actions: &[Action]) -> Result<AppState, Refusal> {
    let mut trial = state.clone();
    for action in actions {
        trial.reduce_in_place(action.clone());
        if let Some(why) = trial.refusal.take() {
            return Err(why);
        }
    }
    Ok(trial)
}

/// Named counts as a JSON object (`{"ORG": 2}`).
fn counts(list: Vec<(String, usize)>) -> serde_json::Map<String, Value> {
    list.into_iter().map(|(k, n)| (k, Value::from(n))).collect()
}

fn to_json(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// One mounted `<hashiya-annotator>`.
#[wasm_bindgen]
pub struct Annotator {
    /// The mounted app and its props; behind a cell so that a host may
    /// change attributes from an event listener while an API call runs.
    mounted: RefCell<(Option<AppHandle<Widget>>, AnnotatorProps)>,
    link: Rc<Link>,
    /// The documents of the last `hashiya-change`s, read when a host asks.
    changes: Rc<events::Changes>,
    doc_id: String,
    /// Where the widget is mounted (inside the element's shadow root).
    root: web_sys::Element,
}

#[wasm_bindgen]
impl Annotator {
    /// Mounts a widget into `root` (an element in the shadow root).
    /// `config` is JSON (see `Config`); `emit(type, detailJson)` dispatches events.
    #[wasm_bindgen(constructor)]
    pub fn new(root: web_sys::Element, config: &str, emit: js_sys::Function) -> Result<Annotator, JsError> {
        let cfg: Config =
            serde_json::from_str(config).map_err(|e| error(format!("bad configuration: {e}")))?;
        let (doc, carried) = build_document(&cfg)?;
        let doc = Rc::new(doc);
        let changes = Rc::new(events::Changes::default());
        let start = AnnotatorProps {
            content: Content::Article(doc.clone()),
            storage: if cfg.storage_none {
                Storage::None
            } else {
                Storage::Local
            },
            labels: Default::default(),
            verdicts: Default::default(),
            url: None,
            readonly: false,
            ui_lang: Default::default(),
            renderer: None,
            annotations: None,
            on_event: Default::default(),
            link: Some(Link::new(events::emitter(emit.clone(), changes.clone()))),
            carried: carried.map(Rc::from),
        };
        let (props, problems) = with_ui(&cfg.ui, &start);
        let app = yew::Renderer::<Widget>::with_root_and_props(root.clone(), props.clone()).render();
        let me = Annotator {
            root,
            link: props.link.clone().expect("made above"),
            changes,
            doc_id: doc.id.clone(),
            mounted: RefCell::new((Some(app), props)),
        };
        events::report_errors(&emit, &problems);
        Ok(me)
    }

    /// Applies changed `labels`, `readonly`, `ui-lang`, `verdicts` and `url`
    /// attributes; a refused `verdicts` or `url` keeps what was in use.
    pub fn configure(&self, ui_config: &str, emit: js_sys::Function) -> Result<(), JsError> {
        let cfg: UiConfig =
            serde_json::from_str(ui_config).map_err(|e| error(format!("bad configuration: {e}")))?;
        let (props, problems) = {
            let mut mounted = self.mounted.borrow_mut();
            let (app, props) = &mut *mounted;
            let (changed, problems) = with_ui(&cfg, props);
            *props = changed.clone();
            if let Some(app) = app.as_mut() {
                app.update(changed.clone());
            }
            (changed, problems)
        };
        // The widget hands labels and verdicts to its state once it has
        // rendered, later; a host's next line (an addAnnotation with a new
        // label or verdict) must not wait for that.
        self.link.dispatch(Action::SetLabels(props.labels));
        self.link.dispatch(Action::SetVerdicts(props.verdicts));
        // told once the cell is free: a listener may change attributes again
        events::report_errors(&emit, &problems);
        Ok(())
    }

    /// The widget's state, read in place (no copy): read it before
    /// dispatching, since the handle follows the state.
    fn state(&self) -> Result<yew::UseReducerHandle<AppState>, JsError> {
        self.link
            .state()
            .ok_or_else(|| error("the widget is not mounted"))
    }

    fn ad(&self) -> Result<AnnotatedDoc, JsError> {
        Ok(self.state()?.docs[0].ad.clone())
    }

    fn doc_id(&self) -> String {
        self.doc_id.clone()
    }

    /// The annotations in reading order (JSON array, export format).
    pub fn annotations(&self) -> Result<String, JsError> {
        let ad = self.ad()?;
        let list: Vec<_> = ad
            .annotations()
            .iter()
            .map(|a| export_annotation(&ad, a))
            .collect();
        Ok(to_json(&list))
    }

    /// Adds `{start, end, label, note?, verdict?, source?}` (JSON) and
    /// returns it in export form.
    pub fn add(&self, json: &str) -> Result<String, JsError> {
        #[derive(Deserialize)]
        struct New {
            start: usize,
            end: usize,
            label: String,
            #[serde(default)]
            note: Option<String>,
            #[serde(default)]
            verdict: Option<String>,
            #[serde(default)]
            source: Option<String>,
        }
        let new: New = serde_json::from_str(json).map_err(|e| {
            error(format!(
                "addAnnotation takes {{start, end, label, note?, verdict?, source?}} with whole, non-negative code point offsets: {e}"
            ))
        })?;
        let state = self.state()?;
        let label = self.label_of(&state, &new.label).map_err(error)?;
        let len = state.docs[0].ad.doc.len();
        if new.start >= new.end || new.end > len {
            return Err(error(format!(
                "the range {}..{} is not inside the text (0..{len}) or is empty",
                new.start, new.end
            )));
        }
        let id = clock::new_id();
        let action = Action::AddSpan {
            doc_id: self.doc_id(),
            start: new.start,
            end: new.end,
            label,
            id: id.clone(),
            note: new.note,
            claim: ClaimRecord {
                verdict: new.verdict,
                source: new.source,
                relations: vec![],
            },
            now: clock::now_iso(),
        };
        let after = self.try_actions(&state, vec![action]).map_err(error)?;
        let ad = &after.docs[0].ad;
        // an AddSpan that is not refused adds exactly this annotation
        let a = ad.get(&id).ok_or_else(|| error("the annotation was not added"))?;
        Ok(to_json(&export_annotation(ad, a)))
    }

    fn label_of(&self, state: &AppState, raw: &str) -> Result<Label, String> {
        // compared as text: an unknown id from a host is never interned
        state
            .labels
            .iter()
            .copied()
            .find(|l| l.key() == raw)
            .ok_or_else(|| {
                let ours: Vec<&str> = state.labels.iter().map(|l| l.key()).collect();
                format!("unknown label {raw:?}; this widget has: {}", ours.join(", "))
            })
    }

    /// Dispatches `actions` if none of them would be refused; otherwise
    /// nothing is dispatched and the reason is the error. Gives the state
    /// they left, even if a host listener has changed it since.
    fn try_actions(&self, state: &AppState, actions: Vec<Action>) -> Result<AppState, String> {
        let trial = dry_run(state, &actions).map_err(|why| why.reason())?;
        for action in actions {
            self.link.dispatch(action);
        }
        Ok(trial)
    }

    /// Where annotation `id` is drawn: its rectangles in viewport pixels
    /// (JSON array of `{left, top, width, height}`), one or more per line, the
    /// same whichever way highlights are drawn; empty for an unknown id or
    /// text not drawn yet.
    pub fn rects(&self, id: &str) -> Result<String, JsError> {
        let ad = self.ad()?;
        let Some(ann) = ad.get(id) else {
            return Ok("[]".into());
        };
        let Some(article) = crate::browser::selection::article_of(&self.root, &ad.doc.id) else {
            return Ok("[]".into());
        };
        let mut out = vec![];
        for range in crate::browser::dom::span_ranges(&article, &ad.doc, ann.start, ann.end) {
            let Some(list) = range.get_client_rects() else {
                continue;
            };
            for r in (0..list.length()).filter_map(|i| list.get(i)) {
                if r.width() > 0.0 {
                    out.push(
                        json!({ "left": r.left(), "top": r.top(), "width": r.width(), "height": r.height() }),
                    );
                }
            }
        }
        Ok(to_json(&out))
    }

    /// How highlights are drawn here: `marks` or `highlights`.
    pub fn renderer(&self) -> Result<String, JsError> {
        Ok(self
            .mounted
            .borrow()
            .1
            .renderer
            .unwrap_or_else(crate::browser::paint::measured)
            .key()
            .to_string())
    }

    /// Removes an annotation; false if there is none with `id`.
    pub fn remove(&self, id: &str) -> Result<bool, JsError> {
        if self.ad()?.get(id).is_none() {
            return Ok(false);
        }
        Ok(self.link.dispatch(Action::Remove {
            doc_id: self.doc_id(),
            ann_id: id.to_string(),
            now: clock::now_iso(),
        }))
    }

    /// Replaces every annotation by `list` (JSON array), as one step. The
    /// list carries no links: those of the claims it keeps stay. Answers
    /// what this change did in counts, as its `hashiya-change` tells it
    /// (since 0.4: the list itself, 7 MB of JSON at 20,000, took half the
    /// call), and not what a host listener did after it.
    pub fn replace_all(&self, list: &str) -> Result<String, JsError> {
        let state = self.state()?;
        let now = clock::now_iso();
        let plan = state.plan_list(list, clock::new_id, &now).map_err(error)?;
        let before = self.ad()?;
        let action = Action::ImportPlan {
            plan: Box::new(plan),
            mode: ImportMode::Replace,
            now,
        };
        let after = self
            .link
            .dispatch_then(action, |left| left.docs[0].ad.clone())
            .ok_or_else(|| error("the widget is not mounted"))?;
        let changes = diff(before.annotations(), after.annotations());
        Ok(events::change_detail(after.id(), &changed(&after, &changes)))
    }

    /// Imports what was read if the import would succeed; otherwise nothing
    /// is dispatched and the reason is returned.
    fn import_or_refuse(
        &self,
        state: &AppState,
        read: Result<Incoming, ImportError>,
        mode: ImportMode,
    ) -> Result<ImportSummary, String> {
        let now = clock::now_iso();
        let plan = read
            .and_then(|incoming| plan(incoming, &state.shown(), &now))
            .map_err(|e| Refusal::ImportFailed(e.to_string()).reason())?;
        let summary = state
            .weigh_import(plan.clone(), mode)
            .map_err(|why| why.reason())?
            .summary;
        self.link.dispatch(Action::ImportPlan {
            plan: Box::new(plan),
            mode,
            now,
        });
        Ok(summary)
    }

    /// Imports Hashiya JSON, JSONL or W3C text, merging; returns what it did.
    pub fn import(&self, text: &str) -> Result<String, JsError> {
        let state = self.state()?;
        let summary = self
            .import_or_refuse(&state, parse_for(text, &state.labels), ImportMode::Merge)
            .map_err(error)?;
        Ok(to_json(&json!({
            "format": summary.format,
            "added": summary.added,
            "duplicates": summary.duplicates,
            "other_articles": summary.other_articles,
            "unknown_labels": counts(summary.unknown_labels),
            "skipped_relations": counts(summary.skipped_relations),
        })))
    }

    pub fn clear(&self) -> bool {
        self.link.dispatch(Action::Clear {
            doc_id: self.doc_id(),
            now: clock::now_iso(),
        })
    }

    pub fn undo(&self) -> Result<bool, JsError> {
        if !self.state()?.history.can_undo() {
            return Ok(false);
        }
        Ok(self.link.dispatch(Action::Undo {
            now: clock::now_iso(),
        }))
    }

    pub fn redo(&self) -> Result<bool, JsError> {
        if !self.state()?.history.can_redo() {
            return Ok(false);
        }
        Ok(self.link.dispatch(Action::Redo {
            now: clock::now_iso(),
        }))
    }

    // The exports take the article's entry, so they carry its orphans and
    // its status (done when the user pressed D) as the demo's do.
    pub fn export_json(&self) -> Result<String, JsError> {
        Ok(export_json([&self.state()?.docs[0]], &clock::now_iso()))
    }

    pub fn export_w3c(&self) -> Result<String, JsError> {
        Ok(export_w3c([&self.state()?.docs[0]]))
    }

    pub fn export_jsonl(&self) -> Result<String, JsError> {
        Ok(export_jsonl([&self.state()?.docs[0]]))
    }

    /// The whole document in export form (JSON) as it was at `hashiya-change`
    /// number `seq`, for the detail's document keys; an error once that
    /// change is too old to be kept.
    pub fn changed_document(&self, seq: u32) -> Result<String, JsError> {
        self.changes.document(seq).ok_or_else(|| {
            error(
                "this hashiya-change's document is no longer kept: read detail.annotations (or text, relations…) \
                 in the listener, or call getAnnotations()",
            )
        })
    }

    /// Unmounts the widget (the element left the page); waiting saves are written.
    pub fn destroy(&self) {
        let app = self.mounted.borrow_mut().0.take();
        if let Some(app) = app {
            app.destroy();
        }
    }
}

impl Drop for Annotator {
    fn drop(&mut self) {
        self.destroy();
    }
}
