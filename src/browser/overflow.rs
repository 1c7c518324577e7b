//! IndexedDB, for the records that do not fit localStorage (a long article
//! with tens of thousands of annotations, or a host page that filled
//! localStorage). One database, one object store; a record is kept as the
//! same JSON string under the same key it would have in localStorage, and
//! localStorage then holds a pointer to it (`formats::stored::Pointer`).
//!
//! Each call opens the database and closes it: calls are rare (a load, a
//! write that overflowed), and no open connection is left to block another
//! tab.

use js_sys::Promise;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

const DATABASE: &str = "hashiya";
const VERSION: u32 = 1;
const STORE: &str = "records";

/// Why IndexedDB did not do what was asked: the DOM exception's name
/// (`QuotaExceededError`, …) and its message.
#[derive(Debug)]
pub struct Failure {
    pub name: String,
    pub message: String,
}

impl Failure {
    /// Nowhere to keep more: IndexedDB is full, or there is none (some
    /// private modes, a host that took it away).
    pub fn no_room(&self) -> bool {
        matches!(self.name.as_str(), "QuotaExceededError" | "NotSupported")
    }

    fn unavailable() -> Failure {
        Failure {
            name: "NotSupported".into(),
            message: "IndexedDB is not available".into(),
        }
    }

    fn of(e: Option<web_sys::DomException>) -> Failure {
        match e {
            Some(e) => Failure {
                name: e.name(),
                message: e.message(),
            },
            None => Failure {
                name: "UnknownError".into(),
                message: "IndexedDB failed".into(),
            },
        }
    }
}

/// The records kept under `keys` (a key with no record is left out).
pub async fn read(keys: &[String]) -> Result<HashMap<String, String>, Failure> {
    let db = open().await?;
    let result = read_from(&db, keys).await;
    db.close();
    result
}

async fn read_from(db: &IdbDatabase, keys: &[String]) -> Result<HashMap<String, String>, Failure> {
    let tx = db
        .transaction_with_str(STORE)
        .map_err(|_| Failure::unavailable())?;
    let store = tx.object_store(STORE).map_err(|_| Failure::unavailable())?;
    // every request is made and heard before any is awaited: the
    // transaction is surely active, and no event fires unheard
    let mut asked = vec![];
    for key in keys {
        let req = store
            .get(&JsValue::from_str(key))
            .map_err(|_| Failure::unavailable())?;
        let heard = listen(&req);
        asked.push((key, req, heard));
    }
    let mut found = HashMap::new();
    for (key, req, heard) in asked {
        if let Some(raw) = finished(&req, heard).await?.as_string() {
            found.insert(key.clone(), raw);
        }
    }
    Ok(found)
}

/// Keeps `raw` under `key`; resolves once the write is durable as far as
/// the browser says (the transaction completed), so a pointer written after
/// it never names a record that is not there.
pub async fn write(key: &str, raw: &str) -> Result<(), Failure> {
    let db = open().await?;
    let result = async {
        let tx = db
            .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
            .map_err(|_| Failure::unavailable())?;
        let store = tx.object_store(STORE).map_err(|_| Failure::unavailable())?;
        store
            .put_with_key(&JsValue::from_str(raw), &JsValue::from_str(key))
            .map_err(|_| Failure::unavailable())?;
        committed(&tx).await
    }
    .await;
    db.close();
    result
}

/// Forgets the record under `key` (it moved back to localStorage, or its
/// article was removed). Nothing depends on it: a record left behind is
/// only unused space.
pub fn forget(key: String) {
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(db) = open().await else { return };
        if let Ok(tx) = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite) {
            if let Ok(store) = tx.object_store(STORE) {
                let _ = store.delete(&JsValue::from_str(&key));
                let _ = committed(&tx).await;
            }
        }
        db.close();
    });
}

/// Opens the database, creating its store the first time.
async fn open() -> Result<IdbDatabase, Failure> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(Failure::unavailable)?;
    let req = factory
        .open_with_u32(DATABASE, VERSION)
        .map_err(|_| Failure::unavailable())?;
    let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new({
        let req = req.clone();
        move |_| {
            if let Some(db) = req.result().ok().and_then(|r| r.dyn_into::<IdbDatabase>().ok()) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let heard = listen(&req);
    let opened = finished(&req, heard).await;
    req.set_onupgradeneeded(None);
    opened?
        .dyn_into::<IdbDatabase>()
        .map_err(|_| Failure::unavailable())
}

/// Listens to a request at once (before its events can fire): the request
/// calls the promise's own functions, so no closure is kept alive.
fn listen(req: &IdbRequest) -> JsFuture {
    JsFuture::from(Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    }))
}

/// The result of a request once it succeeded, or why it failed.
async fn finished(req: &IdbRequest, heard: JsFuture) -> Result<JsValue, Failure> {
    let outcome = heard.await;
    req.set_onsuccess(None);
    req.set_onerror(None);
    match outcome {
        Ok(_) => req.result().map_err(|_| Failure::unavailable()),
        Err(_) => Err(Failure::of(req.error().ok().flatten())),
    }
}

/// Waits for a transaction to commit; an abort (a full disk or quota) is a
/// failure, and the store is as it was before the transaction.
async fn committed(tx: &IdbTransaction) -> Result<(), Failure> {
    let settled = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    let outcome = JsFuture::from(settled).await;
    match outcome {
        Ok(_) => Ok(()),
        Err(_) => Err(Failure::of(tx.error())),
    }
}
