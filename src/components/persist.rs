//! Keeping articles in localStorage: writes debounced off the input path,
//! flushed when the page goes away, merged with what other tabs wrote. A
//! record that localStorage refuses goes to IndexedDB, and its key then
//! points there.

use super::ui::UiLang;
use super::Dispatch;
use crate::browser::storage::SaveError;
use crate::browser::{clock, overflow, storage};
use crate::formats::stored::{self, decode, read_pointer};
use crate::model::{Annotation, Tombstone};
use crate::state::{Action, DocEntry, Notice};
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use yew::NodeRef;

/// Writes wait this long after the last change: a burst of changes costs one
/// write, and a write never delays the paint of the change that caused it.
const SAVE_DELAY_MS: u32 = 50;

/// Saves the widget's articles; one per widget.
#[derive(Clone)]
pub struct Saver {
    inner: Rc<Inner>,
}

struct Inner {
    latest: RefCell<Vec<DocEntry>>,
    written: RefCell<Written>,
    had_problem: RefCell<bool>,
    pending: RefCell<Option<Timeout>>,
    /// Writes to IndexedDB not yet landed; the indicator waits for them.
    in_flight: Cell<usize>,
    /// The page is going away: big records go to localStorage if they fit.
    unloading: Cell<bool>,
    /// Per article, bumped by a write to localStorage and by a removal: a
    /// write to IndexedDB that lands after either does not point the key at
    /// itself (a later write to IndexedDB does not bump it: the store keeps
    /// the newest record, and either pointer names it).
    generations: RefCell<HashMap<String, u64>>,
    /// Articles whose record in IndexedDB could not be read: nothing is
    /// written over it (nor over its pointer) while this page lives.
    held: RefCell<HashSet<String>>,
    /// What went wrong in this round of writes, told when all have landed.
    problem: RefCell<Option<Notice>>,
    dispatch: Dispatch,
    /// Where the save state is shown. Written directly, not rendered, so
    /// that saving costs no render.
    status: NodeRef,
    lang: std::cell::Cell<UiLang>,
}

/// What the save indicator says.
#[derive(Clone, Copy)]
enum Status {
    Pending,
    Saved,
    Failed,
}

impl Status {
    fn show(self, at: &NodeRef, lang: UiLang) {
        let Some(el) = at.cast::<web_sys::Element>() else {
            return;
        };
        let (state, ar, en) = match self {
            Status::Pending => ("pending", "جارٍ الحفظ…", "Saving…"),
            Status::Saved => ("saved", "محفوظ", "Saved in this browser"),
            Status::Failed => ("failed", "غير محفوظ", "Not saved"),
        };
        let (shown, other) = match lang {
            UiLang::Ar => (ar, en),
            UiLang::En => (en, ar),
        };
        let _ = el.set_attribute("data-state", state);
        let _ = el.set_attribute("title", other);
        el.set_text_content(Some(shown));
    }
}

impl PartialEq for Saver {
    fn eq(&self, other: &Saver) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Saver {
    /// `raw` is what localStorage held for each article at the start;
    /// `held`, the articles whose record in IndexedDB could not be read.
    pub fn new(
        docs: &[DocEntry],
        raw: HashMap<String, String>,
        held: Vec<String>,
        dispatch: Dispatch,
        status: NodeRef,
        lang: UiLang,
    ) -> Saver {
        Saver {
            inner: Rc::new(Inner {
                latest: RefCell::new(docs.to_vec()),
                written: RefCell::new(Written::of(docs, raw)),
                had_problem: RefCell::new(false),
                pending: RefCell::new(None),
                in_flight: Cell::new(0),
                unloading: Cell::new(false),
                generations: RefCell::new(HashMap::new()),
                held: RefCell::new(held.into_iter().collect()),
                problem: RefCell::new(None),
                dispatch,
                status,
                lang: std::cell::Cell::new(lang),
            }),
        }
    }

    /// Remembers the state to save (called on every render: cheap, `Rc`s).
    pub fn track(&self, docs: &[DocEntry]) {
        *self.inner.latest.borrow_mut() = docs.to_vec();
    }

    /// Saves after a short delay; a newer change postpones it.
    pub fn schedule(&self) {
        Status::Pending.show(&self.inner.status, self.inner.lang.get());
        let inner = self.inner.clone();
        let timeout = Timeout::new(SAVE_DELAY_MS, move || {
            inner.pending.borrow_mut().take();
            inner.persist();
        });
        *self.inner.pending.borrow_mut() = Some(timeout);
    }

    /// The page is going away: what waits to be saved, or is still on its
    /// way to IndexedDB, is written now, to localStorage where it fits,
    /// since a write to IndexedDB would not finish.
    pub fn flush_before_unload(&self) {
        let inner = &self.inner;
        let waiting = inner.pending.borrow_mut().take();
        let on_the_way = inner.in_flight.get() > 0;
        let was_waiting = waiting.is_some();
        if let Some(t) = waiting {
            t.cancel();
        }
        if was_waiting || on_the_way {
            inner.unloading.set(true);
            inner.persist();
            inner.unloading.set(false);
        }
    }

    /// Saves now if a save is waiting.
    pub fn flush(&self) {
        let waiting = self.inner.pending.borrow_mut().take();
        if let Some(t) = waiting {
            t.cancel();
            self.inner.persist();
        }
    }

    pub fn on_storage(&self, e: &web_sys::StorageEvent) {
        self.inner.on_storage(e);
    }
}

/// What this tab last wrote, or last saw another tab write, per article:
/// the state it wrote (by pointer) and the raw value.
#[derive(Default)]
struct Written {
    state: HashMap<String, Pointers>,
    raw: HashMap<String, String>,
    /// The articles' order as loaded or last kept.
    order: Vec<String>,
}

impl Written {
    fn of(docs: &[DocEntry], mut raw: HashMap<String, String>) -> Written {
        let order = docs.iter().map(|d| d.id().to_string()).collect();
        raw.retain(|id, _| docs.iter().any(|d| d.id() == id));
        let state = docs.iter().map(|d| (d.id().to_string(), pointers(d))).collect();
        Written { state, raw, order }
    }
}

/// An article's annotations and tombstones by pointer, and its status:
/// equal pointers and status mean nothing changed since the last write.
type Pointers = (Rc<Vec<Rc<Annotation>>>, Rc<Vec<Tombstone>>, bool);

fn pointers(d: &DocEntry) -> Pointers {
    (d.ad.annotations().clone(), d.tombstones.clone(), d.done)
}

fn unchanged(was: &Pointers, now: &Pointers) -> bool {
    Rc::ptr_eq(&was.0, &now.0) && Rc::ptr_eq(&was.1, &now.1) && was.2 == now.2
}

impl Inner {
    /// Writes each article that changed since its last write, and removes the
    /// keys of removed articles. When another tab wrote the article meanwhile,
    /// its changes are merged in first and the write happens on the next pass.
    fn persist(self: &Rc<Self>) {
        let docs = self.latest.borrow().clone();
        let now = clock::now_iso();
        let mut written = self.written.borrow_mut();
        let mut problem = None;
        for d in &docs {
            let id = d.id().to_string();
            let current = pointers(d);
            if written.state.get(&id).is_some_and(|was| unchanged(was, &current)) {
                continue;
            }
            if self.held.borrow().contains(&id) {
                problem = Some(storage::held_notice(&stored::key_for(&id), "held"));
                continue;
            }
            if self.took_in_other_write(&id, &mut written) {
                continue;
            }
            if let Err(e) = self.write(d, current, &now, &mut written) {
                problem = Some(e.notice());
            }
        }
        let gone: Vec<String> = written
            .state
            .keys()
            .filter(|k| !docs.iter().any(|d| d.id() == *k))
            .cloned()
            .collect();
        for id in gone {
            self.bump(&id);
            storage::remove(&id);
            written.state.remove(&id);
            written.raw.remove(&id);
        }
        let order: Vec<&str> = docs.iter().map(|d| d.id()).collect();
        if written.order != order {
            if storage::save_order(&order) {
                written.order = order.into_iter().map(str::to_string).collect();
            } else {
                problem.get_or_insert_with(|| SaveError::Full.notice());
            }
        }
        drop(written);
        if let Some(p) = problem {
            self.problem.borrow_mut().get_or_insert(p);
        }
        self.settle();
    }

    /// Takes in what another tab wrote of `id` since this tab last wrote or
    /// read it (merged, not an undo step); this tab writes on its next pass.
    /// False when there is nothing new, or nothing usable.
    fn took_in_other_write(self: &Rc<Self>, id: &str, written: &mut Written) -> bool {
        let Some(raw) = storage::read_raw(id).filter(|raw| written.raw.get(id) != Some(raw)) else {
            return false;
        };
        written.raw.insert(id.to_string(), raw.clone());
        if read_pointer(&raw).is_some() {
            self.take_in_kept(id.to_string());
            return true;
        }
        let Ok(other) = decode(&raw) else {
            return false;
        };
        self.dispatch.dispatch(Action::Remote {
            doc_id: id.to_string(),
            stored: Some(Box::new(other)),
        });
        true
    }

    /// Writes an article's record: a big one to IndexedDB, another to
    /// localStorage, and to IndexedDB after all when localStorage refuses it.
    fn write(
        self: &Rc<Self>,
        d: &DocEntry,
        current: Pointers,
        now: &str,
        written: &mut Written,
    ) -> Result<(), SaveError> {
        let id = d.id().to_string();
        let generation = self.generation(&id);
        let json = storage::record_json(d, now)?;
        if stored::belongs_in_indexeddb(&json) && !self.unloading.get() {
            self.overflow(id, generation, current, json, now.into(), false);
            return Ok(());
        }
        match storage::put(&id, &json) {
            Ok(()) => {
                self.bump(&id);
                if written
                    .raw
                    .get(&id)
                    .is_some_and(|was| read_pointer(was).is_some())
                {
                    overflow::forget(stored::key_for(&id));
                }
                written.state.insert(id.clone(), current);
                written.raw.insert(id, json);
                Ok(())
            }
            Err(SaveError::Full) => {
                self.overflow(id, generation, current, json, now.into(), true);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// `id`'s generation (see `generations`).
    fn generation(&self, id: &str) -> u64 {
        self.generations.borrow().get(id).copied().unwrap_or_default()
    }

    fn bump(&self, id: &str) {
        *self.generations.borrow_mut().entry(id.to_string()).or_default() += 1;
    }

    /// Keeps a record in IndexedDB (a big one, or one that localStorage
    /// refused), then points its key there. Until both are done the key
    /// keeps what it had; if IndexedDB fails, localStorage is tried unless
    /// it already refused; if nothing takes the record, the key still keeps
    /// what it had, and the user is told.
    fn overflow(
        self: &Rc<Self>,
        id: String,
        generation: u64,
        current: Pointers,
        json: String,
        now: String,
        refused: bool,
    ) {
        self.in_flight.set(self.in_flight.get() + 1);
        let inner = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let kept = overflow::write(&stored::key_for(&id), &json).await;
            // the article went to localStorage, or was removed, meanwhile
            let stale = inner.generation(&id) != generation;
            let outcome = match kept {
                _ if stale => Ok(None),
                Ok(()) => {
                    let pointer = stored::pointer(&id, &now);
                    storage::put(&id, &pointer).map(|()| Some(pointer))
                }
                Err(_) if !refused => storage::put(&id, &json).map(|()| Some(json)),
                Err(f) if f.no_room() => Err(SaveError::Full),
                Err(f) => Err(SaveError::Other(format!("IndexedDB: {} ({})", f.message, f.name))),
            };
            inner.in_flight.set(inner.in_flight.get() - 1);
            match outcome {
                Ok(Some(value)) => {
                    let mut written = inner.written.borrow_mut();
                    written.state.insert(id.clone(), current);
                    written.raw.insert(id, value);
                }
                Ok(None) => {}
                Err(e) => {
                    inner.problem.borrow_mut().get_or_insert(e.notice());
                }
            }
            inner.settle();
        });
    }

    /// Shows how the writes went, once none is under way, and tells the
    /// state about a problem (or that the last one is over).
    fn settle(&self) {
        if self.in_flight.get() > 0 {
            return;
        }
        let problem = self.problem.borrow_mut().take();
        let failing = problem.is_some();
        let settled = self.pending.borrow().is_none();
        match (failing, settled) {
            (true, _) => Status::Failed.show(&self.status, self.lang.get()),
            (false, true) => Status::Saved.show(&self.status, self.lang.get()),
            (false, false) => {}
        }
        let mut had_problem = self.had_problem.borrow_mut();
        if failing || *had_problem {
            *had_problem = failing;
            self.dispatch.dispatch(Action::StorageProblem(problem));
        }
    }

    /// Another tab kept an article in IndexedDB: read it and take it in. A
    /// record that cannot be read holds the article (nothing of this tab
    /// writes over it), and the user is told.
    fn take_in_kept(self: &Rc<Self>, doc_id: String) {
        let inner = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let key = stored::key_for(&doc_id);
            let read = overflow::read(std::slice::from_ref(&key)).await;
            let why = match read.map(|mut found| found.remove(&key).map(|raw| decode(&raw))) {
                Ok(Some(Ok(other))) => {
                    inner.dispatch.dispatch(Action::Remote {
                        doc_id,
                        stored: Some(Box::new(other)),
                    });
                    return;
                }
                Ok(Some(Err(e))) => e.to_string(),
                Ok(None) => "not found".into(),
                Err(f) => f.message,
            };
            inner.held.borrow_mut().insert(doc_id);
            inner
                .problem
                .borrow_mut()
                .get_or_insert(storage::held_notice(&key, &why));
            inner.settle();
        });
    }

    /// Another tab wrote or removed an article, or ordered the list: take
    /// it in (its order is then what this tab has written, so this tab's
    /// next write keeps the other's moves).
    fn on_storage(self: &Rc<Self>, e: &web_sys::StorageEvent) {
        let dispatch = &self.dispatch;
        let Some(key) = e.key() else { return };
        if key == crate::formats::stored::ORDER_KEY {
            let order: Vec<String> = e
                .new_value()
                .and_then(|raw| serde_json::from_str(&raw).ok())
                .unwrap_or_default();
            self.written.borrow_mut().order = order.clone();
            dispatch.dispatch(Action::Arrange(order));
            return;
        }
        let Some(doc_id) = storage::doc_id_of_key(&key) else {
            return;
        };
        let value = e.new_value();
        let mut written = self.written.borrow_mut();
        match &value {
            Some(raw) => written.raw.insert(doc_id.to_string(), raw.clone()),
            None => written.raw.remove(doc_id),
        };
        if value.as_deref().and_then(read_pointer).is_some() {
            drop(written);
            self.take_in_kept(doc_id.to_string());
            return;
        }
        let stored = match value.map(|raw| decode(&raw)) {
            Some(Ok(s)) => Some(Box::new(s)),
            Some(Err(_)) => return,
            None => None,
        };
        dispatch.dispatch(Action::Remote {
            doc_id: doc_id.to_string(),
            stored,
        });
    }
}

/// Keeps the root's articles in localStorage (when `enabled`): saves after
/// each change, flushes when the page goes away, and takes in what other
/// tabs store. Returns the node where the save state is to be shown.
#[yew::hook]
pub fn use_persistence(
    state: &yew::UseReducerHandle<crate::state::AppState>,
    enabled: bool,
    lang: UiLang,
    raw: HashMap<String, String>,
    held: Vec<String>,
) -> NodeRef {
    use gloo_events::EventListener;
    use wasm_bindgen::JsCast;
    use yew::{use_effect_with, use_memo, use_node_ref};

    let status = use_node_ref();
    let saver = use_memo((), {
        let (docs, dispatch, status) = (state.docs.clone(), state.dispatcher(), status.clone());
        move |_| enabled.then(|| Saver::new(&docs, raw, held, dispatch, status, lang))
    });
    if let Some(saver) = saver.as_ref() {
        saver.track(&state.docs);
        saver.inner.lang.set(lang);
    }
    {
        let saver = saver.clone();
        use_effect_with(state.docs.clone(), move |_| {
            if let Some(saver) = saver.as_ref() {
                saver.schedule();
            }
        });
    }
    use_effect_with((), move |_| {
        let wiring = (*saver).clone().map(|saver| {
            let window = web_sys::window().expect("a window");
            let listeners = [
                EventListener::new(&window, "storage", {
                    let saver = saver.clone();
                    move |e| {
                        if let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() {
                            saver.on_storage(e);
                        }
                    }
                }),
                // a reload or a closed tab must not lose the last change
                EventListener::new(&window, "pagehide", {
                    let saver = saver.clone();
                    move |_| saver.flush_before_unload()
                }),
            ];
            (listeners, saver)
        });
        // an embedded widget removed from its page saves what is waiting
        move || {
            if let Some((listeners, saver)) = wiring {
                drop(listeners);
                saver.flush();
            }
        }
    });
    status
}
