//! The three tags an annotator can give a span.

use serde::{Deserialize, Serialize};

/// What a span is: a person, a place or a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Person,
    Place,
    Claim,
}

impl Label {
    /// All labels in toolbar order; the keys `1`, `2`, `3` follow it.
    pub const ALL: [Label; 3] = [Label::Person, Label::Place, Label::Claim];

    /// The name used in data attributes and in exports.
    pub fn key(self) -> &'static str {
        match self {
            Label::Person => "person",
            Label::Place => "place",
            Label::Claim => "claim",
        }
    }

    pub fn arabic(self) -> &'static str {
        match self {
            Label::Person => "شخص",
            Label::Place => "مكان",
            Label::Claim => "ادعاء",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            Label::Person => "Person",
            Label::Place => "Place",
            Label::Claim => "Claim",
        }
    }

    /// The label bound to a digit key (`1` is the first label).
    pub fn from_shortcut(key: &str) -> Option<Label> {
        match key {
            "1" => Some(Label::Person),
            "2" => Some(Label::Place),
            "3" => Some(Label::Claim),
            _ => None,
        }
    }

    pub fn from_key(key: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.key() == key)
    }

    /// Entities are painted as backgrounds, claims as an underline band, so
    /// a claim that contains entities shows all of them.
    pub fn is_entity(self) -> bool {
        !matches!(self, Label::Claim)
    }
}
