//! What the element's attributes and children configure: the article (from
//! its headings and paragraphs or a `src` file) and the interface settings.

use super::error;
use crate::components::annotator::AnnotatorProps;
use crate::components::ui::UiLang;
use crate::model::claim::check_source;
use crate::model::label::parse_label_list;
use crate::model::{
    block_text, digest, guess_dir, parse_article, Block, BlockKind, Document, LabelSet, VerdictSet,
};
use crate::state::Notice;
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use yew::AttrValue;

/// What the element read from its attributes and children.
#[derive(Deserialize)]
pub(super) struct Config {
    doc_id: Option<String>,
    /// Headings and paragraphs read from the element's children: `[tag, text]`.
    #[serde(default)]
    blocks: Vec<(String, String)>,
    /// The content of a `src` file, and whether it is JSON.
    source: Option<String>,
    #[serde(default)]
    source_is_json: bool,
    lang: Option<String>,
    dir: Option<String>,
    #[serde(default)]
    pub(super) storage_none: bool,
    #[serde(flatten)]
    pub(super) ui: UiConfig,
}

#[derive(Deserialize)]
pub(super) struct UiConfig {
    #[serde(default)]
    labels: String,
    #[serde(default)]
    readonly: bool,
    #[serde(default)]
    ui_lang: String,
    /// `marks` or `highlights`; empty: measured (see `browser::paint`).
    #[serde(default)]
    renderer: String,
    /// A host's verdicts (`VerdictSet::parse`); empty: the built-in ones.
    #[serde(default)]
    verdicts: String,
    /// The article's address (made absolute by the element); empty: none.
    #[serde(default)]
    url: String,
}

/// The article of a `src` file: a Hashiya JSON export (its first document,
/// whose annotations come along) or a `.txt` article.
fn article_of_source(text: &str, is_json: bool) -> Result<(String, Option<String>), JsError> {
    if !is_json {
        return Ok((text.to_string(), None));
    }
    let v: Value =
        serde_json::from_str(text).map_err(|e| error(format!("the src file is not valid JSON: {e}")))?;
    let doc_text = v["documents"][0]["text"]
        .as_str()
        .ok_or_else(|| error("the src file is not a Hashiya JSON export (no documents[0].text)"))?;
    Ok((doc_text.to_string(), Some(text.to_string())))
}

pub(super) fn build_document(cfg: &Config) -> Result<(Document, Option<String>), JsError> {
    let (mut doc, annotations) = match &cfg.source {
        Some(src) => {
            let (text, anns) = article_of_source(src, cfg.source_is_json)?;
            let doc = if anns.is_some() {
                Document::from_text("", &text)
            } else {
                match parse_article(&text) {
                    Some(draft) => Document::new("", draft),
                    None => return Err(error("the src file holds no text")),
                }
            };
            (doc, anns)
        }
        None => {
            let blocks: Vec<Block> = cfg
                .blocks
                .iter()
                .map(|(tag, raw)| (tag, block_text(raw)))
                .filter(|(_, text)| !text.is_empty())
                .map(|(tag, text)| Block {
                    kind: if tag.starts_with('h') {
                        BlockKind::Heading
                    } else {
                        BlockKind::Paragraph
                    },
                    text: text.into(),
                })
                .collect();
            if blocks.is_empty() {
                return Err(error(
                    "<hashiya-annotator> has no text: give it headings and paragraphs, or a src",
                ));
            }
            (Document::from_blocks("", blocks), None)
        }
    };
    doc.id = match cfg.doc_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => format!("doc-{}", digest(doc.text())),
    };
    doc.dir = match cfg.dir.as_deref() {
        Some(d @ ("rtl" | "ltr")) => d.to_string(),
        _ => guess_dir(doc.text()).to_string(),
    };
    doc.lang = cfg
        .lang
        .clone()
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| "ar".into());
    Ok((doc, annotations))
}

/// `props` with the interface settings of `cfg`, and what was refused in
/// them, as errors to tell the host. A refused `verdicts` or `url` keeps
/// what `props` had: a typo in an attribute must not throw away a list that
/// worked.
pub(super) fn with_ui(cfg: &UiConfig, props: &AnnotatorProps) -> (AnnotatorProps, Vec<Notice>) {
    let mut problems = vec![];
    let (labels, bad) = parse_label_list(&cfg.labels);
    if !bad.is_empty() {
        problems.push(bad_labels(&bad));
    }
    let verdicts = verdicts_of(&cfg.verdicts).unwrap_or_else(|n| {
        problems.push(n);
        props.verdicts.clone()
    });
    let url = url_of(&cfg.url).unwrap_or_else(|n| {
        problems.push(n);
        props.url.clone()
    });
    let props = AnnotatorProps {
        ui_lang: UiLang::parse(&cfg.ui_lang),
        labels: LabelSet::new(labels),
        verdicts,
        url,
        readonly: cfg.readonly,
        renderer: Some(crate::browser::paint::Renderer::choose(&cfg.renderer)),
        ..props.clone()
    };
    (props, problems)
}

fn bad_labels(bad: &[String]) -> Notice {
    Notice::error(
        format!("وسوم غير صالحة تُركت: {}", bad.join("، ")),
        format!(
            "Label ids must be letters, digits, '-', '_' or '.'; left out: {}",
            bad.join(", ")
        ),
    )
}

/// The `verdicts` attribute: the built-in list when empty.
fn verdicts_of(raw: &str) -> Result<VerdictSet, Notice> {
    if raw.trim().is_empty() {
        return Ok(VerdictSet::default());
    }
    VerdictSet::parse(raw).map_err(|why| {
        Notice::error(
            format!("لم تُستعمل قائمة الأحكام ({why})، وبقيت القائمة السابقة."),
            format!("The verdicts attribute was not used ({why}); the verdicts in use stay."),
        )
    })
}

/// The `url` attribute: an http(s) address, none when empty.
fn url_of(raw: &str) -> Result<Option<AttrValue>, Notice> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    match check_source(raw) {
        Ok(url) => Ok(Some(AttrValue::from(url))),
        Err(why) => Err(Notice::error(
            format!("لم يُستعمل عنوان المقال (url): يُقبل رابط http:// أو https:// فقط ({why})."),
            format!("The url attribute was not used: {why}."),
        )),
    }
}
