//! The records an annotator's storage keeps in IndexedDB (those too big for
//! localStorage), read before it starts: its first state is then whole, as
//! with localStorage alone, and nothing is written over a record before it
//! has been read.

use super::{AnnotatorProps, Content, Storage};
use crate::browser::overflow;
use crate::browser::storage::{self, Kept};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Read records, taken (once) by the first state.
#[derive(Clone, Default)]
pub(super) struct Taken(Rc<RefCell<Kept>>);

impl Taken {
    pub(super) fn take(&self) -> Kept {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

impl PartialEq for Taken {
    fn eq(&self, other: &Taken) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The records, once read; at once when there is nothing to read. A read
/// that fails gives none, and the start says which article it concerns.
#[hook]
pub(super) fn use_kept(props: &AnnotatorProps) -> Option<Taken> {
    let keys = use_memo((), {
        let props = props.clone();
        move |_| wanted(&props)
    });
    let kept = use_state(|| keys.is_empty().then(Taken::default));
    {
        let (kept, keys) = (kept.clone(), keys.clone());
        use_effect_with((), move |_| {
            if kept.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    let found = overflow::read(&keys).await.unwrap_or_default();
                    kept.set(Some(Taken(Rc::new(RefCell::new(found)))));
                });
            }
        });
    }
    (*kept).clone()
}

/// The keys of this annotator's articles whose records are in IndexedDB.
fn wanted(props: &AnnotatorProps) -> Vec<String> {
    match &props.content {
        Content::Workspace(_) => storage::kept_elsewhere(None),
        Content::Article(doc) if props.storage == Storage::Local => storage::kept_elsewhere(Some(&doc.id)),
        Content::Article(_) => vec![],
    }
}
