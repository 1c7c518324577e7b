//! Components and adapters in headless Chromium (`cargo test --target
//! wasm32-unknown-unknown --test browser`).
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use hashiya::browser::{frame::AfterPaint, overflow, selection, storage};
use hashiya::components::app::App;
use hashiya::components::block::{BlockProps, BlockText};
use hashiya::components::emphasis::Emphasis;
use hashiya::formats::stored::{key_for, pointer, Origin, BACKUP_PREFIX};
use hashiya::model::{AnnotatedDoc, Annotation, Label, Relation, RelationKind};
use hashiya::seed::{bundled, SEED_IDS};
use hashiya::state::DocEntry;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn fresh_root() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

/// Waits until `selector` matches under `root` (Yew renders asynchronously).
async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..200 {
        if let Some(e) = root.query_selector(selector).unwrap() {
            return e;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("{selector} never appeared");
}

/// Waits until `ready()` holds, polling every 10 ms; panics after `ms` milliseconds.
async fn until(what: &str, ms: f64, mut ready: impl FnMut() -> bool) {
    let start = js_sys::Date::now();
    while !ready() {
        assert!(js_sys::Date::now() - start < ms, "{what}: not within {ms} ms");
        TimeoutFuture::new(10).await;
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into().unwrap())
        .collect()
}

fn annotation(id: &str, label: Label, start: usize, end: usize) -> Annotation {
    Annotation::new(id, label, start, end, "t")
}

/// Selects `needle` inside the element `block` with a DOM range.
fn select_in(block: &Element, needle: &str) {
    let text = block.text_content().unwrap();
    let at = text.find(needle).unwrap();
    let start = text[..at].encode_utf16().count() as u32;
    let end = start + needle.encode_utf16().count() as u32;
    let node = block.first_child().unwrap();
    assert_eq!(
        node.node_type(),
        web_sys::Node::TEXT_NODE,
        "select on an unmarked block"
    );
    let range = document().create_range().unwrap();
    range.set_start(&node, start).unwrap();
    range.set_end(&node, end).unwrap();
    let sel = web_sys::window().unwrap().get_selection().unwrap().unwrap();
    sel.remove_all_ranges().unwrap();
    sel.add_range(&range).unwrap();
}

fn press(key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let e = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    document().body().unwrap().dispatch_event(&e).unwrap();
}

/// The first seed article with جون كيري ("p") inside a claim ("c") that
/// starts at يتوجه; also gives the person's and the claim's starts.
fn person_in_a_claim() -> (Rc<hashiya::model::Document>, AnnotatedDoc, usize, usize) {
    let doc = Rc::new(bundled().remove(0));
    let text = doc.text();
    let at = |needle: &str| text[..text.find(needle).unwrap()].chars().count();
    let (p, claim_start) = (at("جون كيري"), at("يتوجه"));
    let mut claim = annotation("c", Label::CLAIM, claim_start, p + 20);
    claim.claim.link(Relation {
        id: "r".into(),
        kind: RelationKind::Speaker,
        to: "p".into(),
        created_at: "t".into(),
        updated_at: "t".into(),
    });
    let ad = AnnotatedDoc::new(doc.clone(), vec![annotation("p", Label::PERSON, p, p + 8), claim]);
    (doc, ad, p, claim_start)
}

/// The claim selected: its speaker (the person) is emphasised with it.
fn claim_selected(ad: &AnnotatedDoc) -> Emphasis {
    Emphasis::of(ad, ad.get("c"), None)
}

#[wasm_bindgen_test]
async fn block_nests_marks_outer_first_and_keeps_the_text() {
    let (doc, ad, _, _) = person_in_a_claim();
    let root = fresh_root();
    let props = BlockProps {
        view: ad.views()[1].clone(),
        emphasis: claim_selected(&ad),
        near: true,
    };
    let handle = yew::Renderer::<BlockText>::with_root_and_props(root.clone(), props).render();
    let block = wait_for(&root, "p[data-block='1']").await;
    assert_eq!(block.text_content().unwrap(), &*doc.blocks[1].text);
    let person = block
        .query_selector("mark[data-label='person']")
        .unwrap()
        .unwrap();
    assert_eq!(person.text_content().unwrap(), "جون كيري");
    assert_eq!(person.get_attribute("data-selected"), None);
    assert_eq!(person.get_attribute("data-link").as_deref(), Some("speaker"));
    let parent = person.parent_element().unwrap();
    assert_eq!(parent.get_attribute("data-label").as_deref(), Some("claim"));
    assert_eq!(parent.get_attribute("data-selected").as_deref(), Some("true"));
    assert_eq!(parent.get_attribute("data-annotation-id").as_deref(), Some("c"));
    // the claim is cut into pieces around the person, each carrying its id
    assert_eq!(all(&block, "mark[data-annotation-id='c']").len(), 3);

    // Nothing selected any more: the same marks say so, and a selection the
    // reader is making inside one stays where it is.
    let text = person.first_child().unwrap();
    let range = document().create_range().unwrap();
    range.set_start(&text, 1).unwrap();
    range.set_end(&text, 3).unwrap();
    let sel = web_sys::window().unwrap().get_selection().unwrap().unwrap();
    sel.remove_all_ranges().unwrap();
    sel.add_range(&range).unwrap();
    let mut handle = handle;
    handle.update(BlockProps {
        view: ad.views()[1].clone(),
        emphasis: Emphasis::default(),
        near: true,
    });
    until("the emphasis to go", 2_000.0, || {
        parent.get_attribute("data-selected").is_none()
    })
    .await;
    assert!(person.is_connected(), "the marks are the same elements");
    assert_eq!(person.get_attribute("data-link"), None);
    assert_eq!(person.get_attribute("title").as_deref(), Some("شخص"));
    assert_eq!(sel.to_string().as_string().unwrap(), "ون");

    // A new view of the block draws it again.
    let mut fewer = ad.clone();
    fewer.remove("p");
    handle.update(BlockProps {
        view: fewer.views()[1].clone(),
        emphasis: Emphasis::default(),
        near: true,
    });
    until("the person to go", 2_000.0, || !person.is_connected()).await;
    let block = wait_for(&root, "p[data-block='1']").await;
    assert!(block
        .query_selector("mark[data-label='person']")
        .unwrap()
        .is_none());
    assert_eq!(all(&block, "mark[data-annotation-id='c']").len(), 1);
    assert_eq!(block.text_content().unwrap(), &*doc.blocks[1].text);
    handle.destroy();
}

#[derive(yew::Properties, PartialEq)]
struct PaintedBlockProps {
    block: BlockProps,
}

/// A block under a `Ui` that paints highlights instead of cutting marks.
#[yew::function_component]
fn PaintedBlock(props: &PaintedBlockProps) -> yew::Html {
    use hashiya::browser::paint::Renderer;
    use hashiya::components::ui::Ui;
    let ui = Ui {
        renderer: Renderer::Highlights,
        ..Ui::default()
    };
    let (view, emphasis) = (props.block.view.clone(), props.block.emphasis.clone());
    yew::html! {
        <yew::ContextProvider<Ui> context={ui}>
            <BlockText {view} {emphasis} />
        </yew::ContextProvider<Ui>>
    }
}

/// The texts of the ranges in the page's highlight `name`.
fn highlight_texts(name: &str) -> Vec<String> {
    let css = js_sys::Reflect::get(&web_sys::window().unwrap(), &"CSS".into()).unwrap();
    let registry = js_sys::Reflect::get(&css, &"highlights".into()).unwrap();
    let get: js_sys::Function = js_sys::Reflect::get(&registry, &"get".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let h = get.call1(&registry, &name.into()).unwrap();
    if h.is_undefined() {
        return vec![];
    }
    let values: js_sys::Function = js_sys::Reflect::get(&h, &"values".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let iter = values.call0(&h).unwrap();
    js_sys::Array::from(&iter)
        .iter()
        .map(|r| r.unchecked_into::<web_sys::Range>().to_string().into())
        .collect()
}

#[wasm_bindgen_test]
async fn painted_highlights_leave_the_text_whole_and_go_with_the_block() {
    let (doc, ad, p, claim_start) = person_in_a_claim();
    let root = fresh_root();
    let block = BlockProps {
        view: ad.views()[1].clone(),
        emphasis: claim_selected(&ad),
        near: true,
    };
    let handle =
        yew::Renderer::<PaintedBlock>::with_root_and_props(root.clone(), PaintedBlockProps { block })
            .render();
    let el = wait_for(&root, "p[data-block='1']").await;
    until("the highlights are painted", 2000.0, || {
        highlight_texts("hashiya-claim").len() == 3 && !highlight_texts("hashiya-selected").is_empty()
    })
    .await;
    // one text node: no element boundary anywhere in the words
    assert_eq!(el.child_nodes().length(), 1);
    assert_eq!(el.first_child().unwrap().node_type(), web_sys::Node::TEXT_NODE);
    assert!(all(&el, "mark").is_empty());
    assert_eq!(highlight_texts("hashiya-person"), vec!["جون كيري".to_string()]);
    // the claim's speaker is outlined by a box drawn by the article, not painted again
    assert!(highlight_texts("hashiya-speaker").is_empty());
    assert_eq!(
        highlight_texts("hashiya-selected").concat(),
        doc.slice(claim_start, p + 20)
    );
    // the claim is painted in three runs (before, over and after the person)
    let claim: String = highlight_texts("hashiya-claim").concat();
    assert_eq!(claim, doc.slice(claim_start, p + 20));
    assert_eq!(highlight_texts("hashiya-claim").len(), 3);
    handle.destroy();
    until("the ranges go with the block", 2000.0, || {
        highlight_texts("hashiya-person").is_empty() && highlight_texts("hashiya-claim").is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
fn chromium_shapes_across_marks_so_marks_are_measured_as_fine() {
    use hashiya::browser::paint::{measured, Renderer};
    assert_eq!(measured(), Renderer::Marks);
    assert_eq!(Renderer::choose("highlights"), Renderer::Highlights);
    assert_eq!(Renderer::choose("nonsense"), Renderer::Marks);
}

/// The first seed article with one annotation, as the saver would see it.
fn first_seed_with(a: Annotation) -> DocEntry {
    let doc = Rc::new(bundled()[0].clone());
    DocEntry::new(AnnotatedDoc::new(doc, vec![a]), Origin::Bundled, None)
}

#[wasm_bindgen_test]
fn storage_round_trip_and_corrupt_values_are_backed_up() {
    local().clear().unwrap();
    let entry = first_seed_with(annotation("k", Label::PLACE, 0, 4));
    let record = storage::record_json(&entry, "now").ok().unwrap();
    assert!(storage::put(SEED_IDS[0], &record).is_ok());
    let key = key_for(SEED_IDS[0]);
    assert!(local().get_item(&key).unwrap().unwrap().contains("\"schema\":2"));
    local().set_item(&key_for(SEED_IDS[1]), "{not json").unwrap();
    local().set_item("host:own-key", "untouched").unwrap();

    let (loaded, notices) = storage::load(bundled(), "T1", &storage::Snapshot::read(None));
    assert_eq!(loaded[0].ad.annotations().len(), 1);
    assert_eq!(loaded[0].ad.annotations()[0].id, "k");
    assert!(loaded[1].ad.annotations().is_empty());
    assert_eq!(notices.len(), 1, "one notice for the broken key");
    let backup = format!("{BACKUP_PREFIX}T1:{}", key_for(SEED_IDS[1]));
    assert_eq!(local().get_item(&backup).unwrap().as_deref(), Some("{not json"));
    // the broken value itself is left in place until a save replaces it
    assert_eq!(
        local().get_item(&key_for(SEED_IDS[1])).unwrap().as_deref(),
        Some("{not json")
    );
    assert_eq!(
        local().get_item("host:own-key").unwrap().as_deref(),
        Some("untouched")
    );
    local().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_record_behind_a_pointer_is_read_from_indexeddb_and_restored() {
    local().clear().unwrap();
    let entry = first_seed_with(annotation("kept", Label::PERSON, 0, 4));
    let key = key_for(SEED_IDS[0]);
    let record = storage::record_json(&entry, "now").ok().unwrap();
    overflow::write(&key, &record).await.unwrap();
    storage::put(SEED_IDS[0], &pointer(SEED_IDS[0], "now"))
        .ok()
        .unwrap();

    let start = storage::Snapshot::read(None);
    assert_eq!(start.pointed(), vec![key.clone()]);
    let (loaded, notices) = storage::load(bundled(), "T1", &start);
    assert!(loaded[0].ad.annotations().is_empty(), "not without the record");
    assert_eq!(notices.len(), 1, "and the user is told: {notices:?}");
    assert_eq!(
        start.held(),
        vec![SEED_IDS[0].to_string()],
        "nothing writes over it"
    );

    let mut start = storage::Snapshot::read(None);
    start.kept = overflow::read(&start.pointed()).await.unwrap();
    let (loaded, notices) = storage::load(bundled(), "T1", &start);
    assert_eq!(loaded[0].ad.annotations()[0].id, "kept");
    assert!(notices.is_empty(), "{notices:?}");
    assert!(start.held().is_empty());
    assert_eq!(local().length().unwrap(), 1, "nothing backed up");

    storage::remove(SEED_IDS[0]);
    for _ in 0..100 {
        if overflow::read(std::slice::from_ref(&key))
            .await
            .unwrap()
            .is_empty()
        {
            return;
        }
        TimeoutFuture::new(20).await;
    }
    panic!("the record was not forgotten with its article");
}

#[wasm_bindgen_test]
async fn app_renders_the_seed_and_tags_a_selection_with_a_key() {
    local().clear().unwrap();
    let root = fresh_root();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    let main = wait_for(&root, "main.hashiya[data-ready='true']").await;
    assert_eq!(main.get_attribute("dir").as_deref(), Some("rtl"));
    // the workspace lists both seed articles and draws the first
    let listed: Vec<String> = all(&root, "nav[data-role='documents'] li[data-doc-id]")
        .iter()
        .filter_map(|li| li.get_attribute("data-doc-id"))
        .collect();
    assert_eq!(listed, SEED_IDS);
    let articles = all(&root, "article[data-doc-id]");
    assert_eq!(articles.len(), 1);
    assert_eq!(
        articles[0].get_attribute("data-doc-id").as_deref(),
        Some(SEED_IDS[0])
    );
    assert_eq!(all(&articles[0], "h2").len(), 1);
    assert_eq!(all(&articles[0], "p.source").len(), 1);

    let para = articles[0].query_selector("[data-block='1']").unwrap().unwrap();
    select_in(&para, "جون كيري");
    assert_eq!(selection::current(&para).unwrap().doc_id, SEED_IDS[0]);
    press("1");
    let mark = wait_for(&articles[0], "mark[data-label='person']").await;
    assert_eq!(mark.text_content().unwrap(), "جون كيري");
    wait_for(
        &root,
        "aside[data-panel-for='kerry-moscow-visit'] li[data-label='person']",
    )
    .await;
    let mut stored = None;
    for _ in 0..100 {
        stored = local().get_item(&key_for(SEED_IDS[0])).unwrap();
        if stored.is_some() {
            break;
        }
        TimeoutFuture::new(10).await;
    }
    let stored = stored.expect("saved within a moment");
    assert!(stored.contains("جون كيري"));
    assert!(local().get_item(&key_for(SEED_IDS[1])).unwrap().is_none());

    // a selection from the article into the list of articles is refused
    // with a message
    let other = root
        .query_selector("nav[data-role='documents'] li .title")
        .unwrap()
        .unwrap();
    // (the list comes before the article in the page: the range starts there)
    let range = document().create_range().unwrap();
    range.set_start(&other.first_child().unwrap(), 3).unwrap();
    range
        .set_end(
            &articles[0]
                .query_selector("[data-block='2']")
                .unwrap()
                .unwrap()
                .first_child()
                .unwrap(),
            2,
        )
        .unwrap();
    let sel = web_sys::window().unwrap().get_selection().unwrap().unwrap();
    sel.remove_all_ranges().unwrap();
    sel.add_range(&range).unwrap();
    assert_eq!(
        selection::current(&other),
        Err(selection::Refusal::OutsideArticle)
    );
    press("3");
    let notice = wait_for(&root, "[data-role='notice'][data-kind='error']").await;
    assert!(notice.text_content().unwrap().contains("يخرج عن نص المقال"));
    assert_eq!(all(&root, "mark[data-label='claim']").len(), 0);

    // Delete removes the selected annotation, Ctrl+Z brings it back
    sel.remove_all_ranges().unwrap();
    mark.dyn_ref::<HtmlElement>().unwrap().click();
    wait_for(&root, "mark[data-selected='true']").await;
    press("Delete");
    for _ in 0..100 {
        if all(&root, "mark").is_empty() {
            break;
        }
        TimeoutFuture::new(10).await;
    }
    assert!(all(&root, "mark").is_empty());
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("z");
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    let undo = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    document().body().unwrap().dispatch_event(&undo).unwrap();
    wait_for(&root, "mark[data-label='person']").await;
    handle.destroy();
    local().clear().unwrap();
}

/// A heading and 600 paragraphs of news prose: about 110,000 code points.
fn long_article(id: &str) -> hashiya::model::Document {
    let paragraph = "وقال المتحدث باسم وزارة الخارجية إن المباحثات ستتناول التحركات الدولية لتقليص العنف. ";
    let text: String = std::iter::once("عنوان".to_string())
        .chain((0..600).map(|i| format!("{i} {}", paragraph.repeat(2))))
        .collect::<Vec<_>>()
        .join("\n");
    hashiya::model::Document::from_text(id, &text)
}

#[wasm_bindgen_test]
async fn a_long_article_paints_its_start_first_and_ends_up_whole() {
    use hashiya::components::article::{ArticleProps, ArticleView};
    let doc = Rc::new(long_article("long"));
    let last = doc.blocks.len() - 1;
    let (s, _) = doc.block_range(last);
    let ad = AnnotatedDoc::new(doc.clone(), vec![annotation("tail", Label::CLAIM, s, s + 5)]);
    let root = fresh_root();
    let dispatch_host = yew::Renderer::<DispatchHost>::with_root(fresh_root()).render();
    let dispatch = wait_dispatch().await;
    let props = ArticleProps {
        ad,
        selected: None,
        emphasis: Default::default(),
        dispatch,
    };
    let handle = yew::Renderer::<ArticleView>::with_root_and_props(root.clone(), props).render();
    let article = wait_for(&root, "article[data-doc-id='long']").await;
    let drawn_first = all(&article, "[data-block]").len();
    assert!(
        drawn_first < doc.blocks.len() / 4,
        "first pass drew {drawn_first} blocks"
    );
    assert!(
        article.query_selector(".pending").unwrap().is_some(),
        "a spacer holds the rest"
    );
    // a reader may be selecting text in what is drawn: it must stay put
    let early = article.query_selector("[data-block='2']").unwrap().unwrap();
    let watcher = Moves::watch(&article);
    // the rest arrives in slices, between tasks, until all of it is there
    let mark = wait_for(&article, "mark[data-annotation-id='tail']").await;
    assert_eq!(mark.text_content().unwrap().chars().count(), 5);
    assert_eq!(all(&article, "[data-block]").len(), doc.blocks.len());
    assert!(article.query_selector(".pending").unwrap().is_none());
    assert!(
        early.is_connected(),
        "an early block was replaced while the rest was drawn"
    );
    assert_eq!(
        watcher.removed_blocks(),
        0,
        "drawn blocks were taken out of the DOM and put back"
    );
    handle.destroy();
    dispatch_host.destroy();
}

/// Resolves once an `IntersectionObserver` has been told that `el` is in view.
async fn told_in_view(el: &Element) {
    let seen = Rc::new(std::cell::Cell::new(false));
    let told = {
        let seen = seen.clone();
        wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if entries.iter().any(|e| {
                e.unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            }) {
                seen.set(true);
            }
        })
    };
    let observer = web_sys::IntersectionObserver::new(told.as_ref().unchecked_ref()).unwrap();
    observer.observe(el);
    until("the browser tells that it is in view", 5_000.0, || seen.get()).await;
    observer.disconnect();
}

/// A change of every block (a host's new list) redraws the screen the
/// reader is on at once and the rest a slice per task, until every mark is
/// there; a small change is drawn at once wherever it is.
#[wasm_bindgen_test]
async fn a_big_change_redraws_the_screen_first_and_the_rest_after() {
    use hashiya::components::article::{ArticleProps, ArticleView};
    let doc = Rc::new(long_article("big-change"));
    let one_per_block = |label: Label| -> Vec<Annotation> {
        (1..doc.blocks.len())
            .map(|b| {
                let s = doc.block_start(b) + 4;
                annotation(&format!("a{b}"), label, s, s + 4)
            })
            .collect()
    };
    let dispatch_host = yew::Renderer::<DispatchHost>::with_root(fresh_root()).render();
    let dispatch = wait_dispatch().await;
    let props = |anns: Vec<Annotation>| ArticleProps {
        ad: AnnotatedDoc::new(doc.clone(), anns),
        selected: None,
        emphasis: Default::default(),
        dispatch: dispatch.clone(),
    };
    let root = fresh_root();
    let mut handle = yew::Renderer::<ArticleView>::with_root_and_props(root.clone(), props(vec![])).render();
    let article = wait_for(&root, "article[data-doc-id='big-change']").await;
    until("the article is drawn whole", 5_000.0, || {
        article.query_selector(".pending").unwrap().is_none()
    })
    .await;
    // the reader is at block 300, and the browser has told so: the article
    // hears where the reader is from an IntersectionObserver, after the
    // frame that drew the scroll. One made here, later than the article's,
    // is told in the same task and after it (two frames were not always
    // enough on a busy machine).
    let at = article.query_selector("[data-block='300']").unwrap().unwrap();
    at.scroll_into_view();
    told_in_view(&at.closest(".chunk").unwrap().unwrap()).await;

    // in which batch of DOM changes (one per task) each mark arrives
    let arrived: Rc<std::cell::RefCell<Vec<(u32, String)>>> = Rc::default();
    let batch = Rc::new(std::cell::Cell::new(0u32));
    let callback = {
        let (arrived, batch) = (arrived.clone(), batch.clone());
        wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
            batch.set(batch.get() + 1);
            for r in records.iter() {
                let nodes = r.unchecked_into::<web_sys::MutationRecord>().added_nodes();
                for el in (0..nodes.length()).filter_map(|i| nodes.item(i)?.dyn_into::<Element>().ok()) {
                    // a mark, or a block that arrives with its marks
                    let marks = std::iter::once(el.clone()).chain(all(&el, "mark[data-annotation-id]"));
                    for id in marks.filter_map(|m| m.get_attribute("data-annotation-id")) {
                        arrived.borrow_mut().push((batch.get(), id));
                    }
                }
            }
        })
    };
    let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).unwrap();
    let opts = web_sys::MutationObserverInit::new();
    opts.set_child_list(true);
    opts.set_subtree(true);
    observer.observe_with_options(&article, &opts).unwrap();
    handle.update(props(one_per_block(Label::PLACE)));
    until("every block is redrawn", 5_000.0, || {
        all(&article, "mark[data-annotation-id]").len() == doc.blocks.len() - 1
    })
    .await;
    observer.disconnect();
    let batch_of = |id: &str| arrived.borrow().iter().find(|(_, x)| x == id).map(|(b, _)| *b);
    let (screen, top) = (batch_of("a300").unwrap(), batch_of("a3").unwrap());
    assert!(
        screen < top,
        "the screen (block 300, batch {screen}) is redrawn before the top (block 3, batch {top})"
    );
    let with_screen = arrived.borrow().iter().filter(|(b, _)| *b == screen).count();
    assert!(
        with_screen < 300,
        "blocks off screen wait their turn ({with_screen} marks drawn with the screen)"
    );

    // one annotation changed off screen: drawn at once
    let mut anns = one_per_block(Label::PLACE);
    anns[2].label = Label::PERSON;
    handle.update(props(anns));
    until("a small change is drawn", 500.0, || {
        article
            .query_selector("mark[data-annotation-id='a3'][data-label='person']")
            .unwrap()
            .is_some()
    })
    .await;
    handle.destroy();
    dispatch_host.destroy();
}

thread_local! {
    static DISPATCH: std::cell::RefCell<Option<hashiya::components::Dispatch>> = const { std::cell::RefCell::new(None) };
}

/// Hosts a reducer only to hand its dispatcher to components under test.
#[yew::function_component]
fn DispatchHost() -> yew::Html {
    let state = yew::use_reducer(hashiya::state::AppState::default);
    DISPATCH.with(|d| *d.borrow_mut() = Some(state.dispatcher()));
    yew::html! {}
}

async fn wait_dispatch() -> hashiya::components::Dispatch {
    for _ in 0..100 {
        if let Some(d) = DISPATCH.with(|d| d.borrow().clone()) {
            return d;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("no dispatcher")
}

/// Work put after the paint runs once, after the next frame, though two
/// triggers (the frame, and a timeout for pages without frames) may reach it;
/// dropped before then, it never runs.
#[wasm_bindgen_test]
async fn after_paint_runs_once_after_the_frame_and_not_once_dropped() {
    let runs = Rc::new(std::cell::Cell::new(0u32));
    let count = |runs: &Rc<std::cell::Cell<u32>>| {
        let runs = runs.clone();
        move || runs.set(runs.get() + 1)
    };
    let kept = AfterPaint::new(count(&runs));
    assert_eq!(runs.get(), 0, "not before the frame");
    // past the frame and past the timeout for pages without frames (250 ms)
    TimeoutFuture::new(400).await;
    assert_eq!(runs.get(), 1, "once, though both triggers came");
    drop(kept);

    let dropped = Rc::new(std::cell::Cell::new(0u32));
    drop(AfterPaint::new(count(&dropped)));
    TimeoutFuture::new(400).await;
    assert_eq!(dropped.get(), 0, "dropped before the frame, it never runs");
}

/// Counts blocks removed from anywhere under an element, alone or inside
/// a removed chunk (a move counts too).
struct Moves {
    removed: Rc<std::cell::Cell<u32>>,
    _observer: web_sys::MutationObserver,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
}

impl Moves {
    fn watch(el: &Element) -> Moves {
        let removed = Rc::new(std::cell::Cell::new(0));
        let count = removed.clone();
        let callback =
            wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
                for r in records.iter() {
                    let r: web_sys::MutationRecord = r.unchecked_into();
                    let nodes = r.removed_nodes();
                    for i in 0..nodes.length() {
                        let Some(e) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                            continue;
                        };
                        let blocks = match e.has_attribute("data-block") {
                            true => 1,
                            false => e.query_selector_all("[data-block]").map_or(0, |l| l.length()),
                        };
                        count.set(count.get() + blocks);
                    }
                }
            });
        let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).unwrap();
        let opts = web_sys::MutationObserverInit::new();
        opts.set_child_list(true);
        opts.set_subtree(true);
        observer.observe_with_options(el, &opts).unwrap();
        Moves {
            removed,
            _observer: observer,
            _callback: callback,
        }
    }

    fn removed_blocks(&self) -> u32 {
        self.removed.get()
    }
}

fn press_on(target: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_composed(true);
    let e = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&e).unwrap();
}

/// What an embedded widget tells its host: `(type, detail)` of each event.
type Events = Rc<std::cell::RefCell<Vec<(String, String)>>>;

/// A mounted widget, where it is mounted, and the `emit` it was given (kept alive).
type Embedded = (
    hashiya::embed::Annotator,
    Element,
    wasm_bindgen::closure::Closure<dyn FnMut(String, String)>,
);

/// Mounts an embedded widget in a shadow root of its own; its events go to `events`.
fn embed(config: serde_json::Value, events: &Events) -> Embedded {
    use wasm_bindgen::closure::Closure;
    let host = fresh_root();
    let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open);
    let shadow = host.attach_shadow(&init).unwrap();
    let mount = document().create_element("div").unwrap();
    shadow.append_child(&mount).unwrap();
    let emit = Closure::<dyn FnMut(String, String)>::new({
        let events = events.clone();
        move |kind: String, detail: String| events.borrow_mut().push((kind, detail))
    });
    let annotator = hashiya::embed::Annotator::new(
        mount.clone(),
        &config.to_string(),
        emit.as_ref().unchecked_ref::<js_sys::Function>().clone(),
    )
    .unwrap();
    (annotator, mount, emit)
}

#[wasm_bindgen_test]
async fn the_embedded_widget_tags_from_its_shadow_roots_selection_and_tells_its_host() {
    let (key, control_key) = (key_for("widget-test"), key_for("widget-control"));
    local().remove_item(&key).unwrap();
    local().remove_item(&control_key).unwrap();
    let blocks = serde_json::json!([["h2", "عنوان"], ["p", "\n   قال جون كيري في موسكو  \n"]]);
    let events: Events = Rc::default();
    let (annotator, mount, _emit) = embed(
        serde_json::json!({
            "doc_id": "widget-test",
            "blocks": blocks,
            "storage_none": true,
            "labels": "person,place,claim,organisation",
        }),
        &events,
    );
    let para = wait_for(&mount, "p[data-block='1']").await;
    assert_eq!(
        para.text_content().unwrap(),
        "قال جون كيري في موسكو",
        "markup white space collapsed"
    );

    select_in(&para, "موسكو");
    let article = mount.query_selector("article").unwrap().unwrap();
    press_on(&article, "4");
    let tagged_at = js_sys::Date::now();
    until("the tag is drawn", 2000.0, || {
        !all(&mount, "mark[data-annotation-id]").is_empty()
    })
    .await;
    let marks = all(&mount, "mark[data-annotation-id]");
    assert_eq!(marks.len(), 1, "key 4 tags with the fourth label");
    assert_eq!(
        marks[0].get_attribute("data-label").as_deref(),
        Some("organisation")
    );
    assert_eq!(marks[0].text_content().as_deref(), Some("موسكو"));
    assert!(
        document().query_selector("mark").unwrap().is_none(),
        "nothing is drawn outside the shadow root"
    );
    until("the host is told", 2000.0, || events.borrow().len() >= 3).await;
    let kinds: Vec<String> = events.borrow().iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(kinds, ["hashiya-ready", "hashiya-create", "hashiya-change"]);
    let created: serde_json::Value = serde_json::from_str(&events.borrow()[1].1).unwrap();
    assert_eq!(created["quote"], "موسكو");
    assert_eq!(created["label"], "organisation");
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&annotator.annotations().unwrap())
            .unwrap()
            .len(),
        1
    );

    // storage=none writes nothing. Saves are debounced (50 ms after a change), so absence
    // is only evidence once a save would certainly have happened: a second widget, with
    // storage, is tagged after the first one's tag was drawn, and once its record is
    // written the first one's debounce (scheduled earlier, same delay) has run out too;
    // besides, at least three times the debounce has passed since the first tag.
    let control_events: Events = Rc::default();
    let (control, control_mount, _control_emit) = embed(
        serde_json::json!({"doc_id": "widget-control", "blocks": blocks}),
        &control_events,
    );
    let control_para = wait_for(&control_mount, "p[data-block='1']").await;
    select_in(&control_para, "جون كيري");
    let control_article = control_mount.query_selector("article").unwrap().unwrap();
    press_on(&control_article, "1");
    until("the control widget saves its tag", 3000.0, || {
        local()
            .get_item(&control_key)
            .unwrap()
            .is_some_and(|v| v.contains("جون كيري"))
    })
    .await;
    until("three debounces since the first tag", 1000.0, || {
        js_sys::Date::now() - tagged_at >= 150.0
    })
    .await;
    assert!(
        local().get_item(&key).unwrap().is_none(),
        "storage=none writes nothing"
    );

    drop(annotator);
    drop(control);
    until("dropping the annotator unmounts it", 2000.0, || {
        mount.query_selector("article").unwrap().is_none()
    })
    .await;
    local().remove_item(&control_key).unwrap();
}

/// A Rust host's view of the component: the list it gives is taken in, a
/// bad list changes nothing and is told as an error, a new list replaces
/// the annotations, and `on_event` hears each change in export form.
#[wasm_bindgen_test]
async fn the_component_takes_a_hosts_list_and_tells_it_every_change() {
    use hashiya::{Annotator, AnnotatorEvent, AnnotatorProps, Content, Document, NewAnnotation};
    use std::cell::RefCell;
    let heard: Rc<RefCell<Vec<AnnotatorEvent>>> = Rc::default();
    let text = "قال جون كيري في موسكو إن المحادثات مثمرة";
    let content = Content::from(Document::from_text("rust-host", text));
    let span = |id: &str, needle: &str, label: &str| {
        let start = text[..text.find(needle).unwrap()].chars().count();
        NewAnnotation {
            id: Some(id.into()),
            start,
            end: start + needle.chars().count(),
            label: label.into(),
            ..Default::default()
        }
    };
    let props = |list: Vec<NewAnnotation>| {
        let heard = heard.clone();
        yew::props! { AnnotatorProps {
            content: content.clone(),
            annotations: Some(Rc::new(list)),
            on_event: yew::Callback::from(move |e| heard.borrow_mut().push(e)),
        } }
    };
    let root = fresh_root();
    let mut app = yew::Renderer::<Annotator>::with_root_and_props(
        root.clone(),
        props(vec![span("kerry", "جون كيري", "person")]),
    )
    .render();
    let mark = wait_for(&root, "mark[data-annotation-id='kerry']").await;
    assert_eq!(mark.text_content().unwrap(), "جون كيري");
    until("ready is heard", 2_000.0, || !heard.borrow().is_empty()).await;
    assert_eq!(
        heard.borrow()[0],
        AnnotatorEvent::Ready {
            doc_id: "rust-host".into(),
            annotations: 1
        }
    );

    heard.borrow_mut().clear();
    app.update(props(vec![span("odd", "موسكو", "no such label!")]));
    until("the error is heard", 2_000.0, || !heard.borrow().is_empty()).await;
    assert!(
        matches!(&heard.borrow()[0], AnnotatorEvent::Error { storage: false, .. }),
        "{:?}",
        heard.borrow()
    );
    assert_eq!(all(&root, "mark[data-annotation-id]").len(), 1, "nothing changed");

    heard.borrow_mut().clear();
    app.update(props(vec![span("moscow", "موسكو", "place")]));
    wait_for(&root, "mark[data-annotation-id='moscow']").await;
    until("the change is heard", 2_000.0, || {
        heard.borrow().last()
            == Some(&AnnotatorEvent::Changed {
                annotations: 1,
                created: 1,
                updated: 0,
                deleted: 1,
                bulk: false,
            })
    })
    .await;
    let told: Vec<String> = heard
        .borrow()
        .iter()
        .map(|e| match e {
            AnnotatorEvent::Created(a) => format!("+{}:{}", a.id, a.quote),
            AnnotatorEvent::Deleted(a) => format!("-{}:{}", a.id, a.quote),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        told,
        [
            "-kerry:جون كيري",
            "+moscow:موسكو",
            "Changed { annotations: 1, created: 1, updated: 0, deleted: 1, bulk: false }"
        ]
    );
    assert!(root
        .query_selector("mark[data-annotation-id='kerry']")
        .unwrap()
        .is_none());
    app.destroy();
}
