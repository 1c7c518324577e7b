//! localStorage: one key per article, written whole; loading checks every
//! value and keeps a backup of whatever it cannot use. A record too big for
//! localStorage is kept in IndexedDB (`overflow`) and its key holds a
//! pointer to it; those records are read before the annotator starts, and
//! handed to `load` with what localStorage held (a `Snapshot`).

use crate::formats::stored::{self, decode, read_pointer, Origin, StoredDoc};
use crate::model::{digest, AnnotatedDoc, Document};
use crate::state::{DocEntry, Notice};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Records read from IndexedDB, by localStorage key.
pub type Kept = HashMap<String, String>;

fn local_storage() -> Option<web_sys::Storage> {
    // Throws in some private modes and when storage is disabled.
    web_sys::window()?.local_storage().ok().flatten()
}

/// What the user is told when there is no localStorage at all.
pub fn unavailable_notice() -> Notice {
    Notice::error(
        "التخزين المحلي غير متاح: يعمل المحرر في الذاكرة ولن يُحفظ شيء بعد إغلاق الصفحة. صدّر عملك.",
        "localStorage is unavailable: work stays in memory and nothing is kept after closing. Export your work.",
    )
}

pub fn available() -> bool {
    local_storage().is_some()
}

/// Every `hashiya:v1:doc:` key and its raw value.
fn stored_docs(storage: &web_sys::Storage) -> Vec<(String, String)> {
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(stored::DOC_PREFIX))
        .filter_map(|k| {
            let v = storage.get_item(&k).ok().flatten()?;
            Some((k, v))
        })
        .collect()
}

/// What storage held for an annotator's articles when it started, read
/// once: each key's value as localStorage holds it, and the records that
/// pointers among them name, read from IndexedDB.
#[derive(Default)]
pub struct Snapshot {
    pub values: Vec<(String, String)>,
    pub kept: Kept,
    /// Articles whose record behind a pointer could not be read or decoded,
    /// as `load` found them: held, never written over this session.
    held: RefCell<Vec<String>>,
}

impl Snapshot {
    /// The values of all articles' keys, or of `doc_id`'s only.
    pub fn read(doc_id: Option<&str>) -> Snapshot {
        let Some(storage) = local_storage() else {
            return Snapshot::default();
        };
        let values = match doc_id {
            Some(id) => {
                let key = stored::key_for(id);
                let value = storage.get_item(&key).ok().flatten();
                value.map(|v| vec![(key, v)]).unwrap_or_default()
            }
            None => stored_docs(&storage),
        };
        Snapshot {
            values,
            ..Snapshot::default()
        }
    }

    /// The keys whose records are kept in IndexedDB: what must be read
    /// before the annotator starts.
    pub fn pointed(&self) -> Vec<String> {
        self.values
            .iter()
            .filter(|(_, v)| read_pointer(v).is_some())
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// The doc-ids of the articles whose kept record could not be used.
    pub fn held(&self) -> Vec<String> {
        self.held.borrow().clone()
    }

    /// The stored record under `key`: the value itself, or the record its
    /// pointer names. A pointer's record that is missing or cannot be
    /// decoded is reported and its article held, so that nothing writes over
    /// it (nor over the pointer): it stays in IndexedDB as it is.
    fn record(
        &self,
        storage: &web_sys::Storage,
        key: &str,
        value: &str,
        now: &str,
        notices: &mut Vec<Notice>,
    ) -> Option<StoredDoc> {
        if read_pointer(value).is_none() {
            return decode_or_back_up(storage, key, value, now, notices);
        }
        let why = match self.kept.get(key).map(|raw| decode(raw)) {
            Some(Ok(doc)) => return Some(doc),
            Some(Err(e)) => e.to_string(),
            None => "not found".into(),
        };
        self.held
            .borrow_mut()
            .extend(doc_id_of_key(key).map(str::to_string));
        notices.push(held_notice(key, &why));
        None
    }

    /// Each article's value as localStorage holds it, by doc-id.
    pub fn raw_by_id(&self) -> HashMap<String, String> {
        self.values
            .iter()
            .filter_map(|(k, v)| Some((doc_id_of_key(k)?.to_string(), v.clone())))
            .collect()
    }
}

/// What the user is told of an article whose record in IndexedDB could not
/// be used (`key`'s pointer names it): it is left as it is, and so the
/// article's changes are not saved.
pub fn held_notice(key: &str, why: &str) -> Notice {
    Notice::error(
        format!("تعذّرت قراءة التوسيمات المحفوظة في IndexedDB ({key})؛ بدأ المقال فارغًا ولن تُحفظ تغييراته كي يبقى المحفوظ كما هو. صدّر عملك."),
        format!("Could not read the annotations kept in IndexedDB ({key}: {why}); the article starts empty, and its changes are not saved, so that what is kept stays as it is. Export your work."),
    )
}

/// Keeps a raw value we could not use under a backup key, so nothing is lost.
fn back_up(storage: &web_sys::Storage, key: &str, raw: &str, now: &str) -> String {
    let backup = format!("{}{}:{}", stored::BACKUP_PREFIX, now, key);
    let _ = storage.set_item(&backup, raw);
    backup
}

/// The bundled articles with their stored annotations, then the user's
/// articles, and what the user must be told about the storage.
pub fn load(bundled: Vec<Document>, now: &str, start: &Snapshot) -> (Vec<DocEntry>, Vec<Notice>) {
    let Some(storage) = local_storage() else {
        let docs = bundled
            .into_iter()
            .map(|d| DocEntry::new(AnnotatedDoc::new(Rc::new(d), vec![]), Origin::Bundled, None))
            .collect();
        return (docs, vec![unavailable_notice()]);
    };
    let mut notices = vec![];
    let mut decoded: Vec<StoredDoc> = start
        .values
        .iter()
        .filter_map(|(key, value)| start.record(&storage, key, value, now, &mut notices))
        .collect();

    let mut docs = vec![];
    for doc in bundled {
        let found = decoded.iter().position(|s| s.doc_id == doc.id);
        let entry = match found.map(|i| decoded.remove(i)) {
            Some(s) => entry(doc, &s, Origin::Bundled, &mut notices),
            None => DocEntry::new(AnnotatedDoc::new(Rc::new(doc), vec![]), Origin::Bundled, None),
        };
        docs.push(entry);
    }
    let mut users: Vec<_> = decoded.into_iter().filter(|s| s.origin == Origin::User).collect();
    users.sort_by(|a, b| a.added_at.cmp(&b.added_at));
    for s in users {
        let Some(text) = &s.text else { continue };
        let doc = Document::from_text(s.doc_id.clone(), text);
        docs.push(entry(doc, &s, Origin::User, &mut notices));
    }
    if let Some(order) = read_order(&storage) {
        crate::state::arrange(&mut docs, &order);
    }
    (docs, notices)
}

/// One article (an embedded widget's) with its stored annotations, reading
/// only its own key.
pub fn load_article(doc: Document, now: &str, start: &Snapshot) -> (DocEntry, Vec<Notice>) {
    let mut notices = vec![];
    let stored = local_storage().and_then(|storage| {
        let key = stored::key_for(&doc.id);
        let (_, value) = start.values.iter().find(|(k, _)| *k == key)?;
        start.record(&storage, &key, value, now, &mut notices)
    });
    let entry = match stored {
        Some(s) => entry(doc, &s, Origin::Bundled, &mut notices),
        None => DocEntry::new(AnnotatedDoc::new(Rc::new(doc), vec![]), Origin::Bundled, None),
    };
    (entry, notices)
}

/// A stored value decoded, or, when it cannot be used, kept under a backup
/// key and reported.
fn decode_or_back_up(
    storage: &web_sys::Storage,
    key: &str,
    value: &str,
    now: &str,
    notices: &mut Vec<Notice>,
) -> Option<StoredDoc> {
    match decode(value) {
        Ok(doc) => Some(doc),
        Err(why) => {
            let backup = back_up(storage, key, value, now);
            notices.push(Notice::error(
                format!("تعذّرت قراءة التوسيمات المحفوظة ({key})؛ حُفظت نسخة منها في {backup} وبدأ المقال فارغًا."),
                format!("Could not read saved annotations ({key}: {why}); a copy is kept under {backup} and the article starts empty."),
            ));
            None
        }
    }
}

/// An article with its stored annotations re-anchored onto its current text.
fn entry(doc: Document, s: &StoredDoc, origin: Origin, notices: &mut Vec<Notice>) -> DocEntry {
    let changed = s.text_digest != digest(doc.text());
    let title = doc.title().to_string();
    let (mut e, moved) = DocEntry::restored(doc, s, origin);
    let orphaned = e.orphans.len();
    if changed || moved > 0 || orphaned > 0 {
        e.reanchored = Some((moved, orphaned));
        notices.push(Notice::info(
            format!(
                "تغيّر نص «{title}»: نُقل {moved} من التوسيمات، وبقي {orphaned} بلا موضع (محفوظة في اللوحة).",
            ),
            format!(
                "The text of \"{title}\" changed: {moved} annotations moved, {orphaned} orphaned (kept in the panel).",
            ),
        ));
    }
    e
}

/// The order the annotator gave the articles, if they changed it.
fn read_order(storage: &web_sys::Storage) -> Option<Vec<String>> {
    let raw = storage.get_item(stored::ORDER_KEY).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

/// Keeps the order of the articles; false if storage refused it.
pub fn save_order(ids: &[&str]) -> bool {
    let Some(storage) = local_storage() else {
        return false;
    };
    let raw = serde_json::to_string(ids).unwrap_or_default();
    storage.set_item(stored::ORDER_KEY, &raw).is_ok()
}

/// The raw stored value of an article, if any.
pub fn read_raw(doc_id: &str) -> Option<String> {
    local_storage()?.get_item(&stored::key_for(doc_id)).ok().flatten()
}

/// The doc-id a storage key belongs to.
pub fn doc_id_of_key(key: &str) -> Option<&str> {
    key.strip_prefix(stored::DOC_PREFIX)
}

/// Why a write failed.
pub enum SaveError {
    Unavailable,
    Full,
    Other(String),
}

/// An article's record as it stands, as stored JSON.
pub fn record_json(d: &DocEntry, now: &str) -> Result<String, SaveError> {
    stored::record_json(&d.record(), now).map_err(|e| SaveError::Other(e.to_string()))
}

/// Writes an article's value (a record or a pointer). A failed write
/// (setItem is all or nothing) leaves the previous value as it was.
pub fn put(doc_id: &str, value: &str) -> Result<(), SaveError> {
    let storage = local_storage().ok_or(SaveError::Unavailable)?;
    storage.set_item(&stored::key_for(doc_id), value).map_err(|e| {
        let name = wasm_bindgen::JsCast::dyn_ref::<web_sys::DomException>(&e).map(|x| x.name());
        match name.as_deref() {
            Some("QuotaExceededError") => SaveError::Full,
            _ => SaveError::Other(format!("{e:?}")),
        }
    })
}

/// Removes an article's key, and its record in IndexedDB if it had one.
pub fn remove(doc_id: &str) {
    if let Some(s) = local_storage() {
        let key = stored::key_for(doc_id);
        if s.get_item(&key)
            .ok()
            .flatten()
            .is_some_and(|v| read_pointer(&v).is_some())
        {
            super::overflow::forget(key.clone());
        }
        let _ = s.remove_item(&key);
    }
}

impl SaveError {
    pub fn notice(&self) -> Notice {
        match self {
            SaveError::Unavailable => Notice::error(
                "التخزين المحلي غير متاح: لن يُحفظ العمل. صدّره قبل إغلاق الصفحة.",
                "localStorage is unavailable: work is not being saved. Export it before closing.",
            ),
            SaveError::Full => Notice::error(
                "مساحة التخزين في المتصفح ممتلئة: آخر التغييرات لم تُحفظ (وبقي المحفوظ سابقًا كما هو). صدّر عملك أو احذف مقالًا.",
                "The browser's storage is full: the latest changes are not saved (what was saved stays as it was). Export your work or remove an article.",
            ),
            SaveError::Other(e) => Notice::error(
                format!("تعذّر الحفظ: {e}"),
                format!("Could not save: {e}"),
            ),
        }
    }
}

/// Key of a user preference (`snap`, `ui-lang`), beside the articles' keys.
fn pref_key(name: &str) -> String {
    format!("hashiya:v1:pref:{name}")
}

/// A remembered preference, if any (and if storage works at all).
pub fn pref(name: &str) -> Option<String> {
    local_storage()?.get_item(&pref_key(name)).ok().flatten()
}

/// Remembers a preference; one that cannot be kept is simply not kept.
pub fn set_pref(name: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(&pref_key(name), value);
    }
}
