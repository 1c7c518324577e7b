//! What an annotator's storage holds, read once before it starts: the
//! values of its articles' keys, and the records too big for localStorage
//! that IndexedDB keeps for them. Its first state is then whole, as with
//! localStorage alone, and nothing is written over a record before it has
//! been read.

use super::{AnnotatorProps, Content, Storage};
use crate::browser::overflow;
use crate::browser::storage::{Kept, Snapshot};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// How long the records in IndexedDB may take to be read at the start.
const READ_LIMIT_MS: u32 = 5_000;

/// The snapshot, taken (once) by the first render.
#[derive(Clone)]
pub(super) struct Taken(Rc<RefCell<Snapshot>>);

impl Taken {
    fn of(snapshot: Snapshot) -> Taken {
        Taken(Rc::new(RefCell::new(snapshot)))
    }

    pub(super) fn take(&self) -> Snapshot {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

impl PartialEq for Taken {
    fn eq(&self, other: &Taken) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Where the start is: whole, or waiting for these keys' records.
enum Start {
    Whole(Taken),
    Waiting(Taken, Vec<String>),
}

/// The snapshot once whole: at once when no record is in IndexedDB. A read
/// of IndexedDB that fails gives no records, and the start tells which
/// article could not be restored.
#[hook]
pub(super) fn use_kept(props: &AnnotatorProps) -> Option<Taken> {
    let start = use_state(|| {
        let snapshot = read(props);
        let pointed = snapshot.pointed();
        match pointed.is_empty() {
            true => Start::Whole(Taken::of(snapshot)),
            false => Start::Waiting(Taken::of(snapshot), pointed),
        }
    });
    {
        let start = start.clone();
        use_effect_with((), move |_| {
            let late = match &*start {
                Start::Waiting(taken, keys) => Some(read_kept(&start, taken.take(), keys.clone())),
                Start::Whole(_) => None,
            };
            move || drop(late)
        });
    }
    match &*start {
        Start::Whole(taken) => Some(taken.clone()),
        Start::Waiting(..) => None,
    }
}

/// Reads the records behind `keys`, then starts the annotator with them;
/// or starts it without them at the time limit (an IndexedDB that never
/// answers must not keep the article from showing; its records are then
/// held). Returns the time limit's timer.
fn read_kept(start: &UseStateHandle<Start>, snapshot: Snapshot, keys: Vec<String>) -> Timeout {
    let snapshot = Rc::new(RefCell::new(Some(snapshot)));
    let begin = {
        let start = start.clone();
        move |kept: Kept| {
            if let Some(mut whole) = snapshot.borrow_mut().take() {
                whole.kept = kept;
                start.set(Start::Whole(Taken::of(whole)));
            }
        }
    };
    let late = Timeout::new(READ_LIMIT_MS, {
        let begin = begin.clone();
        move || begin(Kept::new())
    });
    wasm_bindgen_futures::spawn_local(async move {
        begin(overflow::read(&keys).await.unwrap_or_default());
    });
    late
}

/// What localStorage holds for this annotator's articles.
fn read(props: &AnnotatorProps) -> Snapshot {
    match &props.content {
        Content::Workspace(_) => Snapshot::read(None),
        Content::Article(doc) if props.storage == Storage::Local => Snapshot::read(Some(&doc.id)),
        Content::Article(_) => Snapshot::default(),
    }
}
