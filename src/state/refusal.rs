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
    /// Verdicts, sources and links are a claim's.
    NotAClaim,
    UnknownVerdict(String),
    /// A source that is not an http(s) link, and why.
    BadSource(String),
    /// A link that cannot be made, and why.
    BadLink(String),
    AlreadyLinked,
    NoSuchRelation(String),
    /// No article has this id (a stale link or `#doc=` address).
    NoSuchArticle(String),
    /// Every article is done: there is no next one to do.
    AllDone,
    /// The article shown is the only one not done.
    OnlyThisLeft,
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
            Refusal::NotAClaim => Notice::error(
                "الحكم والمصدر والروابط للادعاءات وحدها.",
                "Verdicts, sources and links belong to claims only.",
            ),
            Refusal::UnknownVerdict(v) => Notice::error(
                format!("لا حكم بالمعرّف «{v}» في هذه القائمة."),
                format!("There is no verdict {v:?} in this list."),
            ),
            Refusal::BadSource(why) => Notice::error(
                "لم يُحفظ المصدر: يُقبل رابط يبدأ بـ http:// أو https:// فقط.",
                format!("The source was not saved: {why}."),
            ),
            Refusal::BadLink(why) => Notice::error(
                "تعذّر الربط ولم يتغيّر شيء: القائل شخص، وموضوع الادعاء شخص أو مكان.",
                format!("Not linked, nothing changed: {why}."),
            ),
            Refusal::AlreadyLinked => Notice::info("هذا الربط موجود من قبل.", "This link is already there."),
            Refusal::NoSuchRelation(id) => Notice::error(
                format!("لا ربط بالمعرّف «{id}»."),
                format!("There is no relation {id:?}."),
            ),
            Refusal::NoSuchArticle(id) => Notice::error(
                format!("لا مقال بالمعرّف «{id}» في القائمة."),
                format!("There is no article {id:?} in the list."),
            ),
            Refusal::AllDone => Notice::info("كل المقالات منجزة.", "Every article is done."),
            Refusal::OnlyThisLeft => {
                Notice::info("هذا آخر مقال غير منجز.", "This is the last article not done.")
            }
        }
    }

    /// The reason in English, as the embed's API throws it.
    pub fn reason(&self) -> String {
        self.notice().en
    }
}
