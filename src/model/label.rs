//! What a span is tagged as: a person, a place, a claim, or a label a host
//! page named (`labels="…,organisation"` on the embedded widget).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Mutex;

/// A label id such as `person`. Ids are interned, so a label is a cheap
/// `Copy` value however many annotations carry it; only ids that pass
/// [`Label::named`] are ever interned, and there are few of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(&'static str);

static INTERNED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn intern(id: &str) -> &'static str {
    let mut known = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = known.iter().find(|s| **s == id) {
        return s;
    }
    let s: &'static str = Box::leak(id.to_string().into_boxed_str());
    known.push(s);
    s
}

/// Longest label id accepted.
pub const MAX_ID_CHARS: usize = 40;

impl Label {
    pub const PERSON: Label = Label("person");
    pub const PLACE: Label = Label("place");
    pub const CLAIM: Label = Label("claim");

    /// The labels every annotator has unless a host names others; the keys
    /// `1`, `2`, `3` follow this order.
    pub const BUILT_IN: [Label; 3] = [Label::PERSON, Label::PLACE, Label::CLAIM];

    /// The label with id `id`: letters, digits, `-`, `_` or `.`, at most
    /// [`MAX_ID_CHARS`] of them. Anything else (spaces, quotes, markup) is
    /// refused, so an id is always safe in an attribute or a file name.
    pub fn named(id: &str) -> Option<Label> {
        if let Some(l) = Label::BUILT_IN.into_iter().find(|l| l.0 == id) {
            return Some(l);
        }
        let ok = !id.is_empty()
            && id.chars().count() <= MAX_ID_CHARS
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        ok.then(|| Label(intern(id)))
    }

    /// The id used in data attributes and in exports.
    pub fn key(self) -> &'static str {
        self.0
    }

    /// The name shown in an Arabic interface; a host's own labels show their id.
    pub fn arabic(self) -> &'static str {
        match self.0 {
            "person" => "شخص",
            "place" => "مكان",
            "claim" => "ادعاء",
            other => other,
        }
    }

    pub fn english(self) -> &'static str {
        match self.0 {
            "person" => "Person",
            "place" => "Place",
            "claim" => "Claim",
            other => other,
        }
    }
}

/// The labels an annotator offers, in toolbar order (the built-ins unless a
/// host names others). The keys `1`…`9` follow this order.
///
/// ```
/// use hashiya::{Label, LabelSet};
///
/// let org = Label::named("organisation").expect("letters only");
/// let labels = LabelSet::new(vec![Label::PERSON, Label::PLACE, org]);
/// assert_eq!(labels.for_key("3"), Some(org));
/// assert!(Label::named("<b>").is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSet(std::rc::Rc<[Label]>);

impl Default for LabelSet {
    fn default() -> LabelSet {
        LabelSet(std::rc::Rc::from(Label::BUILT_IN.as_slice()))
    }
}

impl LabelSet {
    /// A set of `labels`; an empty list means the built-ins.
    pub fn new(labels: Vec<Label>) -> LabelSet {
        if labels.is_empty() {
            LabelSet::default()
        } else {
            LabelSet(labels.into())
        }
    }

    /// The label bound to a digit key (`1` is the first label).
    pub fn for_key(&self, key: &str) -> Option<Label> {
        label_for_key(&self.0, key)
    }
}

impl std::ops::Deref for LabelSet {
    type Target = [Label];
    fn deref(&self) -> &[Label] {
        &self.0
    }
}

/// Parses a host's `labels` attribute (`person, place,organisation`): ids in
/// order, without repeats. Bad ids are returned apart so they can be reported.
pub fn parse_label_list(list: &str) -> (Vec<Label>, Vec<String>) {
    let (mut good, mut bad) = (Vec::<Label>::new(), vec![]);
    for raw in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match Label::named(&raw.to_lowercase()) {
            Some(l) if !good.contains(&l) => good.push(l),
            Some(_) => {}
            None => bad.push(raw.to_string()),
        }
    }
    (good, bad)
}

/// The label bound to a digit key in a label set (`1` is the first label).
pub fn label_for_key(labels: &[Label], key: &str) -> Option<Label> {
    let n: usize = key.parse().ok().filter(|n| (1..=9).contains(n))?;
    labels.get(n - 1).copied()
}

impl Serialize for Label {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Label, D::Error> {
        let id = String::deserialize(d)?;
        Label::named(&id).ok_or_else(|| serde::de::Error::custom(format!("{id:?} is not a label id")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_and_host_labels_are_one_kind_of_value() {
        assert_eq!(Label::named("person"), Some(Label::PERSON));
        let org = Label::named("organisation").unwrap();
        assert_eq!(org, Label::named("organisation").unwrap());
        assert_eq!((org.key(), org.arabic()), ("organisation", "organisation"));
    }

    #[test]
    fn ids_that_could_carry_markup_are_refused() {
        for bad in [
            "",
            "a b",
            "<img src=x>",
            "x\"y",
            "a,b",
            "javascript:alert(1)",
            &"x".repeat(41),
        ] {
            assert_eq!(Label::named(bad), None, "{bad}");
        }
        assert!(Label::named("منظمة").is_some());
    }

    #[test]
    fn a_label_list_keeps_order_and_reports_bad_ids() {
        let (good, bad) = parse_label_list(" person ,Place,organisation,person,<b>");
        let keys: Vec<_> = good.iter().map(|l| l.key()).collect();
        assert_eq!(keys, ["person", "place", "organisation"]);
        assert_eq!(bad, ["<b>"]);
        assert_eq!(label_for_key(&good, "3").map(Label::key), Some("organisation"));
        assert_eq!(label_for_key(&good, "4"), None);
        assert_eq!(label_for_key(&good, "0"), None);
    }

    #[test]
    fn labels_round_trip_through_json() {
        let org = Label::named("organisation").unwrap();
        let json = serde_json::to_string(&[Label::PLACE, org]).unwrap();
        assert_eq!(json, r#"["place","organisation"]"#);
        assert_eq!(
            serde_json::from_str::<Vec<Label>>(&json).unwrap(),
            vec![Label::PLACE, org]
        );
        assert!(serde_json::from_str::<Label>(r#""a b""#).is_err());
    }
}
