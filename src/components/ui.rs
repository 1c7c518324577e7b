//! What every component needs to know about the interface it is part of:
//! the language of its chrome, the labels on offer, and whether the user may
//! change anything. Provided once at the root as a Yew context.

use crate::browser::paint::Renderer;
use crate::model::{Label, LabelSet, VerdictSet};
use crate::state::Notice;

use yew::prelude::*;

/// The language of the widget's own buttons and messages (not the article's).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UiLang {
    #[default]
    Ar,
    En,
}

impl UiLang {
    /// `ar` or `en` (anything else falls back to Arabic).
    pub fn parse(s: &str) -> UiLang {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => UiLang::En,
            _ => UiLang::Ar,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            UiLang::Ar => "ar",
            UiLang::En => "en",
        }
    }

    /// The chrome mirrors with the language.
    pub fn dir(self) -> &'static str {
        match self {
            UiLang::Ar => "rtl",
            UiLang::En => "ltr",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ui {
    pub lang: UiLang,
    pub labels: LabelSet,
    /// The verdicts a claim can be given (a host may give its own).
    pub verdicts: VerdictSet,
    /// The article's address, for the ClaimReview export (`url` attribute).
    pub article_url: Option<AttrValue>,
    pub readonly: bool,
    /// Mouse selections grow to whole words (Alt while selecting keeps
    /// character precision).
    pub snap: bool,
    /// Turns snapping on or off (and remembers it).
    pub set_snap: Option<Callback<bool>>,
    /// Switches the chrome's language, where the page offers it.
    pub set_lang: Option<Callback<UiLang>>,
    /// How highlights are drawn in this engine (measured once).
    pub renderer: Renderer,
}

impl Default for Ui {
    fn default() -> Ui {
        Ui {
            lang: UiLang::Ar,
            labels: LabelSet::default(),
            verdicts: VerdictSet::default(),
            article_url: None,
            readonly: false,
            snap: true,
            set_snap: None,
            set_lang: None,
            renderer: Renderer::Marks,
        }
    }
}

/// The snapping preference (on unless turned off before) and a callback
/// that sets and remembers it. The callback is the same on every render, so
/// a `Ui` built from it compares equal and its many readers (every block of
/// an article) do not re-render.
#[hook]
pub fn use_snap() -> (bool, Callback<bool>) {
    let snap = use_state(|| crate::browser::storage::pref("snap").as_deref() != Some("off"));
    let set = {
        let setter = snap.setter();
        use_callback((), move |on: bool, _| {
            crate::browser::storage::set_pref("snap", if on { "on" } else { "off" });
            setter.set(on);
        })
    };
    (*snap, set)
}

impl Ui {
    /// The Arabic or the English text, whichever the chrome speaks.
    pub fn t<'a>(&self, ar: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            UiLang::Ar => ar,
            UiLang::En => en,
        }
    }

    /// The same, for texts built at run time.
    pub fn tr(&self, ar: String, en: String) -> String {
        match self.lang {
            UiLang::Ar => ar,
            UiLang::En => en,
        }
    }

    pub fn label_name(&self, l: Label) -> &'static str {
        match self.lang {
            UiLang::Ar => l.arabic(),
            UiLang::En => l.english(),
        }
    }

    /// A notice in the chrome's language.
    pub fn notice<'a>(&self, n: &'a Notice) -> &'a str {
        self.t(&n.ar, &n.en)
    }

    /// The text in the other language, for a tooltip.
    pub fn notice_other<'a>(&self, n: &'a Notice) -> &'a str {
        self.t(&n.en, &n.ar)
    }
}

/// The interface settings of the nearest root (defaults outside one).
#[hook]
pub fn use_ui() -> Ui {
    use_context::<Ui>().unwrap_or_default()
}
