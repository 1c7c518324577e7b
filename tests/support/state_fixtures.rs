//! Fixtures of the reducer's tests, shared by `src/state/tests.rs` and
//! `tests/interchange.rs` (each includes this file with `#[path]` and brings
//! the names it uses into scope; a unit test cannot see an integration
//! test's helpers, nor the other way round).

use super::*;

/// The two bundled articles, with no annotations.
pub fn fresh() -> AppState {
    let docs = bundled()
        .into_iter()
        .map(|d| DocEntry::new(AnnotatedDoc::new(Rc::new(d), vec![]), Origin::Bundled, None))
        .collect();
    AppState::new(docs, None)
}

/// The code point span of the first `needle` in article `doc`.
pub fn at(s: &AppState, doc: usize, needle: &str) -> (usize, usize) {
    let text = s.docs[doc].ad.doc.text();
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in doc {doc}"));
    let start = text[..b].chars().count();
    (start, start + needle.chars().count())
}

/// Tags the first `needle` in article `doc`, as the API's AddSpan does.
pub fn tag(s: &mut AppState, doc: usize, needle: &str, label: Label, id: &str) {
    let (start, end) = at(s, doc, needle);
    let doc_id = s.docs[doc].id().to_string();
    s.reduce_in_place(Action::AddSpan {
        doc_id,
        start,
        end,
        label,
        id: id.into(),
        note: None,
        claim: Default::default(),
        now: "2026-11-29T00:00:00.000Z".into(),
    });
}
