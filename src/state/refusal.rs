//! Why an action changed nothing, as a type: the embed's API throws the
//! reason and the chrome shows it, both worded here and nowhere else.

use super::Notice;
use crate::model::Label;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The selection holds nothing but white space (or nothing at all).
    NoText,
    /// The same span already carries this label.
    AlreadyTagged(Label),
    /// The input could not be imported; the reader's error says where.
    ImportFailed(String),
    /// An embedded widget's import held nothing for its one article.
    NothingForThisArticle,
    /// An opened article has no text.
    EmptyArticle,
    /// The article is already on the page.
    ArticleOpen,
    NothingToUndo,
    NothingToRedo,
}

impl Refusal {
    /// What the user is told.
    pub fn notice(&self) -> Notice {
        match self {
            Refusal::NoText => Notice::error(
                "حدّد نصًا أولًا ثم اختر الوسم.",
                "Select some text first, then choose a label.",
            ),
            Refusal::AlreadyTagged(label) => Notice::info(
                format!("هذا المقطع موسوم بـ«{}» من قبل.", label.arabic()),
                format!("This span is already tagged {}.", label.english()),
            ),
            Refusal::ImportFailed(e) => Notice::error(
                format!("تعذّر الاستيراد ولم يتغيّر شيء. {e}"),
                format!("Import failed, nothing changed. {e}"),
            ),
            Refusal::NothingForThisArticle => Notice::error(
                "لا شيء في المدخل لنص هذا المقال، ولم يتغيّر شيء.",
                "Nothing in the input is for this article's text; nothing changed.",
            ),
            Refusal::EmptyArticle => Notice::error(
                "النص فارغ: لا مقال لإضافته.",
                "The text is empty: no article to add.",
            ),
            Refusal::ArticleOpen => Notice::info("هذا المقال مفتوح من قبل.", "This article is already open."),
            Refusal::NothingToUndo => Notice::info("لا شيء للتراجع عنه.", "Nothing to undo."),
            Refusal::NothingToRedo => Notice::info("لا شيء لإعادته.", "Nothing to redo."),
        }
    }

    /// The reason in English, as the embed's API throws it.
    pub fn reason(&self) -> String {
        self.notice().en
    }
}
