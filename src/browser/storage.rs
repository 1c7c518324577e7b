//! localStorage: one key per article, written whole; loading checks every
//! value and keeps a backup of whatever it cannot use.

use crate::formats::stored::{self, decode, restore, to_stored, DecodeError, Origin, StoredDoc};
use crate::model::{AnnotatedDoc, Document};
use crate::state::{DocEntry, Notice};
use std::rc::Rc;

fn local_storage() -> Option<web_sys::Storage> {
    // Throws in some private modes and when storage is disabled.
    web_sys::window()?.local_storage().ok().flatten()
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

/// Keeps a raw value we could not use under a backup key, so nothing is lost.
fn back_up(storage: &web_sys::Storage, key: &str, raw: &str, now: &str) -> String {
    let backup = format!("{}{}:{}", stored::BACKUP_PREFIX, now, key);
    let _ = storage.set_item(&backup, raw);
    backup
}

/// The bundled articles with their stored annotations, then the user's
/// articles, and what the user must be told about the storage.
pub fn load(bundled: Vec<Document>, now: &str) -> (Vec<DocEntry>, Vec<Notice>) {
    let Some(storage) = local_storage() else {
        let docs = bundled
            .into_iter()
            .map(|d| entry(d, vec![], Origin::Bundled, None))
            .collect();
        return (
            docs,
            vec![Notice::error(
                "التخزين المحلي غير متاح: يعمل المحرر في الذاكرة ولن يُحفظ شيء بعد إغلاق الصفحة. صدّر عملك.",
                "localStorage is unavailable: work stays in memory and nothing is kept after closing. Export your work.",
            )],
        );
    };
    let mut notices = vec![];
    let mut raw: Vec<(String, String)> = stored_docs(&storage);
    let mut decoded: Vec<(String, String, StoredDoc)> = vec![];
    for (key, value) in raw.drain(..) {
        match decode(&value) {
            Ok(doc) => decoded.push((key, value, doc)),
            Err(err) => {
                let backup = back_up(&storage, &key, &value, now);
                let why = match err {
                    DecodeError::Corrupt(e) => e,
                    DecodeError::UnknownSchema(v) => format!("schema {v}"),
                };
                notices.push(Notice::error(
                    format!("تعذّرت قراءة التوسيمات المحفوظة ({key})؛ حُفظت نسخة منها في {backup} وبدأ المقال فارغًا."),
                    format!("Could not read saved annotations ({key}: {why}); a copy is kept under {backup} and the article starts empty."),
                ));
            }
        }
    }

    let mut docs = vec![];
    for doc in bundled {
        let found = decoded.iter().position(|(_, _, s)| s.doc_id == doc.id);
        let anns = match found.map(|i| decoded.remove(i)) {
            Some((key, value, s)) => placed(&storage, &doc, &key, &value, &s, now, &mut notices),
            None => vec![],
        };
        docs.push(entry(doc, anns, Origin::Bundled, None));
    }
    let mut users: Vec<_> = decoded
        .into_iter()
        .filter(|(_, _, s)| s.origin == Origin::User)
        .collect();
    users.sort_by(|a, b| a.2.added_at.cmp(&b.2.added_at));
    for (key, value, s) in users {
        let Some(text) = &s.text else { continue };
        let doc = Document::from_text(s.doc_id.clone(), text);
        let anns = placed(&storage, &doc, &key, &value, &s, now, &mut notices);
        docs.push(entry(doc, anns, Origin::User, s.added_at.clone()));
    }
    (docs, notices)
}

/// The annotations of a record that fit its article; when some do not, the
/// raw record is backed up first and the user is told.
fn placed(
    storage: &web_sys::Storage,
    doc: &Document,
    key: &str,
    value: &str,
    s: &StoredDoc,
    now: &str,
    notices: &mut Vec<Notice>,
) -> Vec<crate::model::Annotation> {
    let r = restore(doc, s);
    if !r.unplaced.is_empty() {
        let backup = back_up(storage, key, value, now);
        notices.push(Notice::error(
            format!(
                "تغيّر نص المقال: تعذّر وضع {} من التوسيمات؛ حُفظت نسخة كاملة في {backup}.",
                r.unplaced.len()
            ),
            format!(
                "The article's text changed: {} annotations could not be placed; a full copy is kept under {backup}.",
                r.unplaced.len()
            ),
        ));
    } else if r.moved > 0 {
        notices.push(Notice::info(
            format!(
                "تغيّر نص المقال: نُقل {} من التوسيمات إلى مواضعها الجديدة.",
                r.moved
            ),
            format!(
                "The article's text changed: {} annotations were moved to their new places.",
                r.moved
            ),
        ));
    }
    r.annotations
}

fn entry(
    doc: Document,
    anns: Vec<crate::model::Annotation>,
    origin: Origin,
    added_at: Option<String>,
) -> DocEntry {
    DocEntry {
        ad: AnnotatedDoc::new(Rc::new(doc), anns),
        origin,
        added_at,
    }
}

/// Why a write failed.
pub enum SaveError {
    Unavailable,
    Full,
    Other(String),
}

/// Writes an article's record. A failed write leaves the previous value as it was.
pub fn save(d: &DocEntry, now: &str) -> Result<(), SaveError> {
    let storage = local_storage().ok_or(SaveError::Unavailable)?;
    let record = to_stored(&d.ad, d.origin, d.added_at.as_deref(), now);
    let json = serde_json::to_string(&record).map_err(|e| SaveError::Other(e.to_string()))?;
    storage.set_item(&stored::key_for(d.id()), &json).map_err(|e| {
        let name = wasm_bindgen::JsCast::dyn_ref::<web_sys::DomException>(&e).map(|x| x.name());
        match name.as_deref() {
            Some("QuotaExceededError") => SaveError::Full,
            _ => SaveError::Other(format!("{e:?}")),
        }
    })
}

pub fn remove(doc_id: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(&stored::key_for(doc_id));
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
                "التخزين المحلي ممتلئ: آخر التغييرات لم تُحفظ (وبقي المحفوظ سابقًا كما هو). صدّر عملك أو احذف مقالًا.",
                "localStorage is full: the latest changes are not saved (what was saved stays as it was). Export your work or remove an article.",
            ),
            SaveError::Other(e) => Notice::error(
                format!("تعذّر الحفظ: {e}"),
                format!("Could not save: {e}"),
            ),
        }
    }
}
