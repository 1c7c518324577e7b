// Hashiya embed: defines <hashiya-annotator>.
//
//   <script type="module" src="https://your.cdn/hashiya/hashiya.js"></script>
//   <hashiya-annotator doc-id="article-42" lang="ar"><h2>…</h2><p>…</p></hashiya-annotator>
//
// Everything this file needs (hashiya_core.js, hashiya_bg.wasm, hashiya.css)
// is found next to it, from its own URL, so it works from any path or CDN.
// The widget itself is Rust (src/embed/, src/components/annotator/); this
// file only reads the element, forwards its API and dispatches its events.
// It never parses HTML from user data: text is read with text nodes and
// written by the widget as text.

import init, { Annotator } from './hashiya_core.js';

// Written as `new URL('./file', import.meta.url)` literally: that is the form
// bundlers (Vite, webpack) recognise, rewrite and copy into their output.
const WASM_URL = new URL('./hashiya_bg.wasm', import.meta.url);
const CSS_URL = new URL('./hashiya.css', import.meta.url);
let loaded;
// a failed load is not kept: the next widget tries again
const loadWasm = () =>
  (loaded ??= init({ module_or_path: WASM_URL }).catch((e) => {
    loaded = undefined;
    throw e;
  }));

/** Attributes the widget takes in place; any other change remounts it. */
const IN_PLACE = ['labels', 'label-colors', 'readonly', 'ui-lang', 'verdicts', 'url'];
const REMOUNT = ['doc-id', 'src', 'lang', 'dir', 'storage', 'renderer'];
const BLOCKS = 'h1, h2, h3, h4, h5, h6, p';
/** The document keys of a hashiya-change detail, read on demand (see #withDocument). */
const CHANGE_DOCUMENT_KEYS = ['title', 'lang', 'dir', 'text', 'annotations', 'relations', 'status'];
/** Colours for a host's own labels when `label-colors` gives none. */
const PALETTE = ['#cde7ff', '#f9d3e6', '#e2f0b8', '#f3e1c3', '#d9d2f4', '#c9efe9'];
const LABEL_ID = /^[\p{L}\p{N}._-]{1,40}$/u;

/** The text a block shows, without the text of scripts or styles in it. */
function shownText(block) {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let text = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement?.closest('script, style, noscript, template')) text += n.data;
  }
  return text;
}

/** `[tag, text]` for each heading and paragraph; an inert <template> child wins. */
function readBlocks(host) {
  const template = host.querySelector(':scope > template');
  const from = template ? template.content : host;
  return [...from.querySelectorAll(BLOCKS)]
    .filter((el) => template || !el.closest('script, style, noscript, template'))
    .map((el) => [el.localName, shownText(el)]);
}

/** The `url` attribute made absolute against the page; the widget checks it is http(s). */
function articleUrl(el) {
  const raw = el.getAttribute('url')?.trim();
  if (!raw) return '';
  try {
    return new URL(raw, document.baseURI).href;
  } catch {
    return raw;
  }
}

function uiConfig(el) {
  return {
    labels: el.getAttribute('labels') ?? '',
    readonly: el.hasAttribute('readonly') && el.getAttribute('readonly') !== 'false',
    ui_lang: el.getAttribute('ui-lang') ?? '',
    renderer: el.getAttribute('renderer') ?? '',
    verdicts: el.getAttribute('verdicts') ?? '',
    url: articleUrl(el),
  };
}

/** CSS for label colours: ids and colours are checked, never pasted raw. */
function colourRules(el) {
  const given = new Map();
  for (const pair of (el.getAttribute('label-colors') ?? '').split(',')) {
    const at = pair.indexOf(':');
    const id = pair.slice(0, at).trim().toLowerCase();
    const colour = pair.slice(at + 1).trim();
    if (at > 0 && LABEL_ID.test(id) && CSS.supports('color', colour)) given.set(id, colour);
  }
  const builtIn = new Set(['person', 'place', 'claim']);
  const custom = (el.getAttribute('labels') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((id) => LABEL_ID.test(id) && !builtIn.has(id));
  custom.forEach((id, i) => given.has(id) || given.set(id, PALETTE[i % PALETTE.length]));
  let css = '';
  for (const [id, colour] of given) {
    const sel = `[data-label="${CSS.escape(id)}"]`;
    css += `mark${sel} { background-color: ${colour}; }\n`;
    css += `::highlight(${CSS.escape('hashiya-' + id)}) { background-color: ${colour}; }\n`;
    css += `${sel} > .swatch, li${sel} .label { background: ${colour}; box-shadow: none; border: 0; }\n`;
  }
  return css;
}

class HashiyaAnnotator extends HTMLElement {
  static observedAttributes = [...IN_PLACE, ...REMOUNT];

  #annotator = null;
  #mount = null;
  #colours = new CSSStyleSheet();
  #styled;
  #run = 0;
  /**
   * Set while an event is told (from within a call into the widget): reads
   * the document of the hashiya-change being told.
   */
  #telling = null;
  #ready;
  #resolveReady;
  #rejectReady;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = CSS_URL.href;
    this.#styled = new Promise((done) => {
      link.addEventListener('load', done, { once: true });
      link.addEventListener('error', done, { once: true });
    });
    root.append(link);
    root.adoptedStyleSheets = [this.#colours];
    this.#newReady();
  }

  #newReady() {
    this.#ready = new Promise((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // a widget that fails to load rejects `ready`; nobody has to be listening
    this.#ready.catch(() => {});
  }

  /** Resolves once the widget shows its article (after `hashiya-ready`). */
  get ready() {
    return this.#ready;
  }

  connectedCallback() {
    if (!this.#mount) this.#start();
  }

  disconnectedCallback() {
    // a move in the page (removed, then inserted again) keeps the widget
    queueMicrotask(() => {
      if (!this.isConnected) this.#stop();
    });
  }

  attributeChangedCallback(name, before, after) {
    // before the start, the start reads every attribute itself
    if (before === after || !this.#mount) return;
    if (IN_PLACE.includes(name) && this.#annotator) {
      this.#colours.replaceSync(colourRules(this));
      this.#annotator.configure(JSON.stringify(uiConfig(this)), this.#emit);
    } else {
      // still loading, failed, or a new article: start again
      this.#stop();
      if (this.isConnected) this.#start();
    }
  }

  #emit = (type, json, seq) => {
    const detail = JSON.parse(json);
    const read = type === 'hashiya-change' ? this.#withDocument(detail, seq) : null;
    // a listener may reload the widget (a new doc-id): the event's own
    // document is then read before the old widget goes (see #stop)
    const outer = this.#telling;
    this.#telling = read ?? (() => null);
    try {
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    } finally {
      this.#telling = outer;
    }
    if (type === 'hashiya-ready') this.#resolveReady();
  };

  /**
   * Gives a hashiya-change detail the keys it carried up to version 0.1 (the
   * whole document: text, annotations, relations…), built only when a host
   * first reads one of them: hosts that need the count or the changes never
   * pay for 20,000 annotations in JSON on every key press.
   */
  #withDocument(detail, seq) {
    const annotator = this.#annotator;
    let doc = null;
    const read = () => {
      if (doc) return doc;
      if (annotator !== this.#annotator) {
        throw new Error("this hashiya-change's document is no longer kept: the widget was reloaded since (doc-id, src… changed); read it in the listener, or call getAnnotations()");
      }
      doc = JSON.parse(annotator.changed_document(seq));
      return doc;
    };
    for (const key of CHANGE_DOCUMENT_KEYS) {
      Object.defineProperty(detail, key, {
        enumerable: true,
        configurable: true,
        get: () => read()[key],
        // a host may set it, as on the plain object of 0.1
        set: (value) => Object.defineProperty(detail, key, { value, writable: true, enumerable: true, configurable: true }),
      });
    }
    return read;
  }

  #fail(message, messageAr, source) {
    const box = document.createElement('p');
    box.className = 'load-error';
    box.setAttribute('role', 'alert');
    box.lang = this.getAttribute('ui-lang') === 'en' ? 'en' : 'ar';
    box.dir = box.lang === 'en' ? 'ltr' : 'rtl';
    box.textContent = box.lang === 'en' ? message : messageAr;
    this.#mount?.replaceChildren(box);
    this.#emit('hashiya-error', JSON.stringify({ message, message_ar: messageAr, source }));
    this.#rejectReady(new Error(message));
  }

  async #start() {
    const run = ++this.#run;
    this.#mount = document.createElement('div');
    this.shadowRoot.append(this.#mount);
    const src = this.getAttribute('src');
    let source = null;
    let sourceIsJson = false;
    try {
      await Promise.all([loadWasm(), this.#styled]);
      if (src) {
        const url = new URL(src, document.baseURI);
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        source = await response.text();
        sourceIsJson = /\.json$/i.test(url.pathname) || /json/.test(response.headers.get('content-type') ?? '');
      }
    } catch (e) {
      if (run !== this.#run) return;
      if (src) {
        this.#fail(`Hashiya could not load its src: ${e.message}`, `تعذّر على حاشية تحميل المصدر: ${e.message}`, 'src');
      } else {
        this.#fail(`Hashiya could not load its code: ${e.message}`, `تعذّر على حاشية تحميل شيفرتها: ${e.message}`, 'widget');
      }
      return;
    }
    if (run !== this.#run || !this.isConnected) return;
    this.#colours.replaceSync(colourRules(this));
    const config = {
      doc_id: this.getAttribute('doc-id'),
      blocks: source === null ? readBlocks(this) : [],
      source,
      source_is_json: sourceIsJson,
      lang: this.getAttribute('lang'),
      dir: this.getAttribute('dir'),
      storage_none: this.getAttribute('storage') === 'none',
      ...uiConfig(this),
    };
    try {
      this.#annotator = new Annotator(this.#mount, JSON.stringify(config), this.#emit);
    } catch (e) {
      this.#fail(e.message, `تعذّر عرض المقال: ${e.message}`, src ? 'src' : 'widget');
    }
  }

  #stop() {
    // the change being told keeps its document for the listeners after this one
    try {
      this.#telling?.();
    } catch {
      /* it was already gone */
    }
    this.#run++;
    const old = this.#annotator;
    this.#annotator = null;
    // a listener that reloads the widget runs inside one of the old one's
    // calls (events are told from within): it is freed once that returns
    if (this.#telling) queueMicrotask(() => old?.free());
    else old?.free();
    this.#mount?.remove();
    this.#mount = null;
    this.#newReady();
  }

  #widget() {
    if (!this.#annotator) throw new Error('<hashiya-annotator> is not ready yet: wait for element.ready');
    return this.#annotator;
  }

  getAnnotations() {
    return JSON.parse(this.#widget().annotations());
  }

  /** Answers what changed, in counts: `{doc_id, count, created, updated, deleted, bulk}`. */
  setAnnotations(list) {
    if (!Array.isArray(list)) throw new Error('setAnnotations takes an array of annotations');
    return JSON.parse(this.#widget().replace_all(JSON.stringify(list)));
  }

  addAnnotation(annotation) {
    if (annotation === null || typeof annotation !== 'object') {
      throw new Error('addAnnotation takes an object {start, end, label, note?, verdict?, source?}');
    }
    return JSON.parse(this.#widget().add(JSON.stringify(annotation)));
  }

  /** Every claim's links: `[{id, type, from, to, created_at, updated_at}]`. */
  getRelations() {
    return JSON.parse(this.#widget().relations());
  }

  addRelation(relation) {
    if (relation === null || typeof relation !== 'object') {
      throw new Error('addRelation takes an object {type, from, to}');
    }
    return JSON.parse(this.#widget().add_relation(JSON.stringify(relation)));
  }

  removeRelation(id) {
    return this.#widget().remove_relation(String(id));
  }

  /** Where an annotation is drawn: `[{left, top, width, height}]` in viewport pixels. */
  getHighlightRects(id) {
    return JSON.parse(this.#widget().rects(String(id)));
  }

  /** `marks` (inline <mark> pieces) or `highlights` (painted, no elements in the text). */
  get renderer() {
    return this.#widget().renderer();
  }

  removeAnnotation(id) {
    return this.#widget().remove(String(id));
  }

  exportJson() {
    return this.#widget().export_json();
  }

  exportW3c() {
    return this.#widget().export_w3c();
  }

  exportJsonl() {
    return this.#widget().export_jsonl();
  }

  /** The claims that have a verdict as schema.org ClaimReview JSON-LD (a string holding an array). */
  exportClaimReview() {
    return this.#widget().export_claimreview();
  }

  importJson(text) {
    const input = typeof text === 'string' ? text : JSON.stringify(text);
    return JSON.parse(this.#widget().import(input ?? ''));
  }

  clear() {
    this.#widget().clear();
  }

  undo() {
    return this.#widget().undo();
  }

  redo() {
    return this.#widget().redo();
  }
}

if (!customElements.get('hashiya-annotator')) {
  customElements.define('hashiya-annotator', HashiyaAnnotator);
}
