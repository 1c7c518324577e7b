// The user paths of the demo page and of <hashiya-annotator>, and the shaping
// of Arabic under highlights, run with the same code in Chromium, Firefox and
// WebKit (lib/engines.mjs drives each with real pointer and key input).
//
// The rest of tests/e2e/ runs in Chromium only (it is written against
// Playwright's API, which drives only its own builds of Firefox and WebKit).
// What it covers there and what this file covers in every engine:
// - drags with word snapping, keys 1–3, click-select, relabel, note, delete,
//   undo/redo, an edge move, reload, export, import by paste (here);
// - the keyboard caret (Ctrl+Shift+←) on the demo and inside a shadow root;
// - the embed: a drag in its shadow root, the API and its events, a hostile
//   stylesheet and a strict CSP (here);
// - downloads: the driver of Firefox (BiDi) and of WebKit cannot save
//   files, so the export is read where the page hands it to the browser:
//   the `a[download]` it clicks, whose blob is fetched back in the page.
//   Chromium's real download is checked in export.test.mjs.
// - touch: only Chromium's driver emulates touch (touch.test.mjs).

import { describe, test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ENGINES, NO_ANSWER, launch } from './lib/engines.mjs';
import { READY } from './lib/browser.mjs';
import { startServer, distDir } from './lib/server.mjs';
import { DOC1, STORAGE_PREFIX, fillStorage } from './lib/app.mjs';
import { AXE_PATH } from './lib/keys.mjs';
import { strictCsp, hostPage, widget, blocksHtml } from './lib/host/pages.mjs';
import { EVENTS, installRecorder } from './lib/host/recorder.mjs';
import { waitWidgets } from './lib/host/session.mjs';
import { installRangeHelpers } from './lib/page-ranges.mjs';

/**
 * Helpers installed in the page after each load. `root` is a CSS selector of
 * a <hashiya-annotator> (its shadow root) or null (the page itself).
 */
function installHelpers() {
  const rootOf = (host) => (host ? document.querySelector(host).shadowRoot : document);
  const block = (host, doc, i) => rootOf(host).querySelector(`article[data-doc-id="${doc}"] [data-block="${i}"]`);
  // ranges over a block's text come from the lib's page helpers (installed first)
  const range = (el, start, end) => window.__hashiyaE2E.blockRange(el, start, end);
  /** The centre of the character at UTF-16 offset `i` of a block. */
  const charCentre = (el, i) => {
    const rect = range(el, i, i + 1).getClientRects()[0];
    return { x: (rect.left + rect.right) / 2, y: (rect.top + rect.bottom) / 2 };
  };
  window.__h = {
    /** Points to drag from and to, to select the `nth` occurrence of `needle`. */
    dragPoints({ host, doc, block: i, needle, nth = 0 }) {
      const el = block(host, doc, i);
      el.scrollIntoView({ block: 'center' });
      let at = -1;
      for (let k = 0; k <= nth; k++) at = el.textContent.indexOf(needle, at + 1);
      if (at < 0) throw new Error(`"${needle}" is not in block ${i}`);
      return { from: charCentre(el, at), to: charCentre(el, at + needle.length - 1) };
    },
    /** The centre of the `k`-th character of `needle` in a block (to click on it). */
    async charPoint({ host, doc, block: i, needle, k = 0, scroll = true }) {
      const el = block(host, doc, i);
      // in view and holding still: a notice that comes or goes in the sticky
      // masthead moves the article under a point measured too early
      if (scroll) await window.__hashiyaE2E.settleInView(el);
      const at = el.textContent.indexOf(needle);
      if (at < 0) throw new Error(`"${needle}" is not in block ${i}`);
      return charCentre(el, at + k);
    },
    /**
     * A point whose caret is exactly at UTF-16 offset `at` of the block: the
     * middle of the run of x values that hit-test to it on the line of the
     * character there (a press exactly on a glyph edge may start a caret drag).
     */
    boundaryPoint({ host, doc, block: i, needle, k }) {
      const el = block(host, doc, i);
      el.scrollIntoView({ block: 'center' });
      const at = el.textContent.indexOf(needle) + k;
      const rect = range(el, Math.max(0, at - 1), Math.min(el.textContent.length, at + 1)).getBoundingClientRect();
      const y = (range(el, at, at + 1).getClientRects()[0] ?? rect).top + rect.height / 4;
      const caretAt = (x) => {
        const pos = document.caretPositionFromPoint
          ? document.caretPositionFromPoint(x, y)
          : document.caretRangeFromPoint(x, y);
        if (!pos) return -1;
        const node = pos.offsetNode ?? pos.startContainer;
        const offset = pos.offset ?? pos.startOffset;
        if (!el.contains(node)) return -1;
        const before = document.createRange();
        before.setStart(el, 0);
        before.setEnd(node, offset);
        return before.toString().length;
      };
      const hits = [];
      for (let x = Math.floor(rect.left) - 2; x <= Math.ceil(rect.right) + 2; x += 0.5) {
        if (caretAt(x) === at) hits.push(x);
      }
      if (!hits.length) throw new Error(`no point has its caret at ${at}`);
      return { x: hits[Math.floor(hits.length / 2)], y };
    },
    /** The panel's entries: what the model holds, in reading order. */
    entries(host) {
      return [...rootOf(host).querySelectorAll('li[data-annotation-id]')].map((li) => ({
        id: li.dataset.annotationId,
        label: li.dataset.label,
        quote: li.querySelector('.quote')?.textContent ?? '',
        note: li.querySelector('.note')?.textContent ?? null,
        speaker: li.querySelector('[data-role="speaker"]')?.textContent ?? null,
      }));
    },
    /** What the selected claim is linked to, as the text shows it: `role:text`, sorted. */
    linked(host) {
      const root = rootOf(host);
      const article = root.querySelector('article[data-doc-id]');
      const out = [];
      if (article.dataset.renderer === 'highlights') {
        // boxes over the text: each names its annotation, whose quote the panel lists
        const quote = (id) => root.querySelector(`li[data-annotation-id="${id}"] .quote`)?.textContent;
        const seen = new Set();
        for (const b of article.querySelectorAll('.link-box[data-link="speaker"], .link-box[data-link="about"]')) {
          const key = `${b.dataset.link}:${quote(b.dataset.annotationId)}`;
          if (b.getBoundingClientRect().width > 0 && !seen.has(key)) {
            seen.add(key);
            out.push(key);
          }
        }
      } else {
        for (const m of root.querySelectorAll('mark[data-link="speaker"], mark[data-link="about"]')) {
          out.push(`${m.dataset.link}:${m.textContent}`);
        }
      }
      return out.sort();
    },
    /**
     * What is painted, whatever the renderer: `{label, text}` per highlight
     * (marks grouped by annotation id; painted ranges of one label merged
     * where they touch), sorted.
     */
    painted(host) {
      const root = rootOf(host);
      const article = root.querySelector('article[data-doc-id]');
      const out = [];
      if (article.dataset.renderer === 'highlights') {
        for (const [name, h] of CSS.highlights) {
          const label = name.replace(/^hashiya-/, '');
          if (['selected', 'flash', 'speaker', 'about', 'candidate'].includes(label)) continue;
          const rs = [...h].filter((r) => root.contains(r.startContainer))
            .sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b));
          let text = '', last = null;
          for (const r of rs) {
            if (last && !(last.endContainer === r.startContainer && last.endOffset === r.startOffset)) {
              out.push({ label, text });
              text = '';
            }
            text += r.toString();
            last = r;
          }
          if (last) out.push({ label, text });
        }
      } else {
        const byId = new Map();
        for (const m of root.querySelectorAll('mark[data-annotation-id]')) {
          const e = byId.get(m.dataset.annotationId) ?? { label: m.dataset.label, text: '' };
          e.text += m.textContent;
          byId.set(m.dataset.annotationId, e);
        }
        out.push(...byId.values());
      }
      // a nested mark's text is counted in its parent too: keep each piece once
      return out.map((e) => `${e.label}:${e.text}`).sort();
    },
    renderer: (host) => rootOf(host).querySelector('article[data-doc-id]').dataset.renderer,
    /** Each word of a block: its width and its place relative to the block. */
    words({ host, doc, block: i }) {
      const el = block(host, doc, i);
      const box = el.getBoundingClientRect();
      const text = el.textContent;
      const out = [];
      for (const m of text.matchAll(/\S+/g)) {
        const r = range(el, m.index, m.index + m[0].length).getBoundingClientRect();
        out.push({ word: m[0], width: r.width, left: r.left - box.left, top: r.top - box.top });
      }
      return out;
    },
    /** Downloads are read where the page hands them over. */
    catchDownloads() {
      window.__downloads = [];
      const click = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function () {
        if (this.download && this.href.startsWith('blob:')) {
          const name = this.download;
          fetch(this.href).then((r) => r.text()).then((text) => window.__downloads.push({ name, text }));
          return;
        }
        return click.call(this);
      };
    },
  };
}

const h = (page, name, arg) =>
  page.evaluate(({ name, arg }) => window.__h[name](arg), { name, arg });

async function openDemo(page, url) {
  await page.goto(url);
  await waitDemo(page);
}

async function waitDemo(page) {
  await page.waitFor((s) => document.querySelector(s) && document.fonts.status === 'loaded', READY, {
    timeout: 30_000,
    what: 'the demo page to be ready',
  });
  await page.evaluate(installRangeHelpers);
  await page.evaluate(installHelpers);
}

/** Drags over `needle` in a block (word snapping does the rest) and presses `key`. */
async function tag(page, spot, key) {
  const { from, to } = await h(page, 'dragPoints', spot);
  await page.evaluate(() => getSelection().removeAllRanges());
  await page.drag(from.x, from.y, to.x, to.y);
  await page.keyboard.press(key);
}

/** Waits until the panel's entries satisfy `pred` (a function of the list, run in the page). */
async function entriesWith(page, host, pred, what) {
  // a real function whose source calls `pred`, so every driver can send it
  // eslint-disable-next-line no-new-func
  const probe = new Function('host', `const l = window.__h.entries(host); return (${pred.toString()})(l) ? l : null;`);
  return page.waitFor(probe, host, { what });
}

const AXE_SOURCE = fs.readFileSync(AXE_PATH, 'utf8');

/** Runs axe-core in the page: the serious and critical violations, and how many rules passed. */
async function axeSerious(page) {
  // a function whose body is axe's source, so that every driver can send it
  // eslint-disable-next-line no-new-func
  await page.evaluate(new Function(`${AXE_SOURCE}\n;window.axe = window.axe || axe; return true;`));
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return {
      bad: r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes[0]?.target.join(' ')}`),
      passes: r.passes.length,
    };
  });
}

const KERRY = { host: null, doc: 'kerry-moscow-visit', block: 1, needle: 'جون كيري' };

/**
 * A test that runs once more, on a fresh session, when the driver stopped
 * answering (WebKitWebDriver has hung on a call, rarely, and lib/engines.mjs
 * then fails the call at once): that is the driver, not the widget. Any other
 * failure, or a second hang, fails the test.
 */
function test(name, fn) {
  return nodeTest(name, async (t) => {
    try {
      await fn(t);
    } catch (e) {
      if (!String(e?.message).includes(NO_ANSWER)) throw e;
      t.diagnostic(`run again after: ${e.message}`);
      await fn(t);
    }
  });
}

for (const engine of ENGINES) {
  describe(`every engine: ${engine}`, { timeout: 600_000 }, () => {
    let browser, demo, bundle, hostSrv;
    before(async () => {
      demo = await startServer();
      bundle = await startServer({ root: distDir(), spa: false, cors: true });
      hostSrv = await startServer({ root: null, pages: new Map() });
      browser = await launch(engine);
    });
    after(async () => {
      await browser?.close();
      await Promise.all([demo?.close(), bundle?.close(), hostSrv?.close()]);
    });

    // The demo as measured, and (where the engine would draw marks) with
    // the painted highlights forced, so that renderer is exercised by real
    // input in every engine.
    const variants = engine === 'webkit' ? [['', '']] : [['', ''], ['highlights: ', '?renderer=highlights']];
    for (const [variant, query] of variants) {
        test(`${variant}drag over a name, key 1: a person, painted and kept across a reload`, async () => {
        const page = await browser.newPage();
        try {
          await openDemo(page, demo.url + query);
          await tag(page, KERRY, '1');
          await entriesWith(page, null, (l) => l.some((e) => e.label === 'person' && e.quote === 'جون كيري'), 'a person');
          assert.deepEqual(await h(page, 'painted', null), ['person:جون كيري']);
          await page.reload();
          await waitDemo(page);
          await entriesWith(page, null, (l) => l.length === 1 && l[0].quote === 'جون كيري', 'the person after a reload');
          assert.deepEqual(await h(page, 'painted', null), ['person:جون كيري']);
          assert.deepEqual(await page.errors(), []);
        } finally {
          await page.close();
        }
      });

        test(`${variant}click a word, Ctrl+Shift+← selects the next word, key 2: a place`, async () => {
        const page = await browser.newPage();
        try {
          await openDemo(page, demo.url + query);
          // a click just before موسكو puts the caret there; in right-to-left
          // text ← moves forward, so the selection runs to the word's end
          const p = await h(page, 'boundaryPoint', { ...KERRY, needle: 'موسكو', k: 0 });
          const article = await page.evaluate(() => {
            const r = document.querySelector('article[data-doc-id="kerry-moscow-visit"]').getBoundingClientRect();
            return { x: r.left + 5, y: r.top + 5 };
          });
          await page.mouse.click(article.x, article.y);
          await page.mouse.click(p.x, p.y);
          await page.keyboard.press('Control+Shift+ArrowLeft');
          await page.waitFor(() => getSelection().toString().trim().length > 0, null, { what: 'a keyboard selection' });
          await page.keyboard.press('2');
          const list = await entriesWith(page, null, (l) => l.length === 1, 'a place');
          assert.equal(list[0].label, 'place');
          assert.equal(list[0].quote, 'موسكو');
          assert.deepEqual(await h(page, 'painted', null), [`place:${list[0].quote}`]);
        } finally {
          await page.close();
        }
      });

        test(`${variant}click-select, relabel, note, edge move, delete, undo and redo`, async () => {
        const page = await browser.newPage();
        try {
          await openDemo(page, demo.url + query);
          await tag(page, { ...KERRY, needle: 'موسكو' }, '2');
          const [first] = await entriesWith(page, null, (l) => l.length === 1, 'one place');
          assert.equal(first.quote, 'موسكو');
          await page.keyboard.press('Escape');
          // a click on the highlight selects it
          const p = await h(page, 'charPoint', { ...KERRY, needle: 'موسكو', k: 2 });
          await page.mouse.click(p.x, p.y);
          await page.waitFor(() => document.querySelector('[data-role="editor"]'), null, { what: 'the editor' });
          await page.keyboard.press('3');
          await entriesWith(page, null, (l) => l[0]?.label === 'claim', 'the relabel');
          // Enter (in the article, the annotation selected) opens the note
          await page.evaluate(() => document.querySelector('article[data-doc-id="kerry-moscow-visit"]').focus());
          await page.keyboard.press('Enter');
          await page.waitFor(() => document.activeElement?.matches('[data-role="note"]'), null, { what: 'Enter to focus the note' });
          await page.keyboard.type('ملاحظة');
          await page.keyboard.press('Control+Enter');
          await entriesWith(page, null, (l) => l[0]?.note === 'ملاحظة', 'the note');
          // the start moves one letter forward (← in right-to-left text)
          await page.evaluate(() => document.querySelector('article[data-doc-id="kerry-moscow-visit"]').focus());
          await page.keyboard.press('Alt+Shift+ArrowLeft');
          const moved = await entriesWith(page, null, (l) => l[0]?.quote.length === 4, 'the edge move');
          assert.equal(moved[0].quote, first.quote.slice(1));
          await page.keyboard.press('Delete');
          await entriesWith(page, null, (l) => l.length === 0, 'the delete');
          assert.deepEqual(await h(page, 'painted', null), []);
          await page.keyboard.press('Control+z');
          await entriesWith(page, null, (l) => l.length === 1 && l[0].note === 'ملاحظة', 'the undo');
          assert.deepEqual(await h(page, 'painted', null), [`claim:${moved[0].quote}`]);
          await page.keyboard.press('Control+Shift+z');
          await entriesWith(page, null, (l) => l.length === 0, 'the redo');
          assert.deepEqual(await page.errors(), []);
        } finally {
          await page.close();
        }
      });

        test(`${variant}a claim after its speaker: Enter links the suggestion, a click on a place links a subject`, async () => {
        const page = await browser.newPage();
        try {
          await openDemo(page, demo.url + query);
          const P2 = { host: null, doc: 'kerry-moscow-visit', block: 2 };
          await tag(page, { ...P2, needle: 'جون كيربي' }, '1');
          await entriesWith(page, null, (l) => l.length === 1, 'a person');
          await tag(page, { ...P2, needle: 'سورية' }, '2');
          await entriesWith(page, null, (l) => l.length === 2, 'a place');
          await tag(page, { ...P2, needle: 'المباحثات بشأن الصراع في سورية ستتناول التحركات الدولية' }, '3');
          await page.waitFor(() => /Suggested speaker/.test(document.querySelector('[data-role="notice"]')?.title ?? ''), null, {
            what: 'the suggested speaker',
          });
          await page.keyboard.press('Enter');
          await entriesWith(page, null, (l) => l.some((e) => e.speaker?.includes('جون كيربي')), 'the speaker linked');
          await page.keyboard.press('a');
          await page.waitFor(() => !!document.querySelector('button[data-action="link-about"][aria-pressed="true"]'), null, {
            what: 'linking a subject',
          });
          const p = await h(page, 'charPoint', { ...P2, needle: 'سورية', k: 2 });
          await page.mouse.click(p.x, p.y);
          await page.waitFor(() => document.querySelectorAll('[data-role="about-row"] .linked').length === 1, null, {
            what: 'the subject linked',
          });
          assert.deepEqual(await h(page, 'linked', null), ['about:سورية', 'speaker:جون كيربي']);
          assert.deepEqual(await page.errors(), []);
        } finally {
          await page.close();
        }
      });

        test(`${variant}export JSON carries code point offsets; a pasted import adds its spans`, async () => {
        const page = await browser.newPage();
        try {
          await openDemo(page, demo.url + query);
          await tag(page, KERRY, '1');
          await entriesWith(page, null, (l) => l.length === 1, 'a person');
          await h(page, 'catchDownloads');
          await page.evaluate(() => document.querySelector('button[data-action="export-json"]').click());
          const [file] = await page.waitFor(() => window.__downloads.length && window.__downloads, null, { what: 'the export' });
          assert.equal(file.name, 'hashiya-annotations.json');
          const json = JSON.parse(file.text);
          const doc = json.documents.find((d) => d.doc_id === 'kerry-moscow-visit');
          const [a] = doc.annotations;
          assert.equal([...doc.text].slice(a.start, a.end).join(''), 'جون كيري');
          assert.equal(a.quote, 'جون كيري');
          // import the same article with one more span (موسكو), by paste
          const at = doc.text.indexOf('موسكو');
          const cp = [...doc.text.slice(0, at)].length;
          const line = JSON.stringify({ text: doc.text, spans: [{ start: cp, end: cp + 5, label: 'place' }] });
          await page.evaluate(() => document.querySelector('button[data-action="import"]').click());
          await page.waitFor(() => document.querySelector('[data-role="import-text"]'), null, { what: 'the import panel' });
          await page.evaluate((text) => {
            const t = document.querySelector('[data-role="import-text"]');
            t.value = text;
            t.dispatchEvent(new Event('input', { bubbles: true }));
            document.querySelector('button[data-action="import-text"]').click();
          }, line);
          await entriesWith(page, null, (l) => l.length === 2, 'the imported place');
          assert.deepEqual(await h(page, 'painted', null), ['person:جون كيري', 'place:موسكو']);
          // A box that may hold a 5 MB export is not page state: Chromium
          // copied it into each history entry (90 ms per #doc= link at 400k).
          assert.equal(await page.evaluate(() => document.querySelector('[data-role="import-text"]').getAttribute('autocomplete')), 'off');
          // and once its text is in, the box is empty
          await page.waitFor(() => document.querySelector('[data-role="import-text"]').value === '', null, { what: 'the import box emptied' });
        } finally {
          await page.close();
        }
      });
      test(`${variant}Alt keeps letters; a drag across paragraphs; tag-all; the panel and the handles`, async () => {
        const page = await browser.newPage();
        try {
          await openDemo(page, demo.url + query);
          // with Alt, exactly the letters dragged over: يري out of كيري
          const from = await h(page, 'boundaryPoint', { ...KERRY, needle: 'كيري', k: 1 });
          const to = await h(page, 'boundaryPoint', { ...KERRY, needle: 'كيري', k: 4 });
          await page.drag(from.x, from.y, to.x, to.y, { alt: true });
          await page.keyboard.press('1');
          await entriesWith(page, null, (l) => l.length === 1 && l[0].quote === 'يري', 'a letter-exact person');
          // across two paragraphs, snapped to whole words at both ends
          // b brought into view (its paragraph centred), then both measured
          // without scrolling: a, at the end of the paragraph before, is just above
          const b = await h(page, 'charPoint', { ...KERRY, block: 2, needle: 'المتحدث', k: 2 });
          const a = await h(page, 'charPoint', { ...KERRY, needle: 'السورية', k: 2, scroll: false });
          assert.ok(a.y > 0 && a.y < b.y, `both ends are on screen (${Math.round(a.y)}, ${Math.round(b.y)})`);
          await page.evaluate(() => getSelection().removeAllRanges());
          await page.drag(a.x, a.y, b.x, b.y, { steps: 12 });
          await page.keyboard.press('3');
          const list = await entriesWith(page, null, (l) => l.some((e) => e.label === 'claim'), 'a claim over two paragraphs');
          const claim = list.find((e) => e.label === 'claim');
          assert.match(claim.quote, /^السورية\.?\s+وقال المتحدث$/);
          // tag-all: موسكو once by hand, the other occurrences from the editor
          await tag(page, { ...KERRY, needle: 'موسكو' }, '2');
          const TAG_ALL = '[data-role="editor"][data-label="place"] button[data-action="tag-all"]';
          await page.waitFor((b) => document.querySelector(`${b}[data-count]`), TAG_ALL, { what: 'the count of other occurrences' });
          const others = await page.evaluate((b) => Number(document.querySelector(b).dataset.count), TAG_ALL);
          assert.ok(others >= 1, 'موسكو occurs more than once in the seed');
          await page.evaluate((b) => document.querySelector(b).click(), TAG_ALL);
          const places = await entriesWith(page, null, (l) => l.filter((e) => e.label === 'place').length > 1, 'the other places');
          assert.equal(places.filter((e) => e.label === 'place').length, 1 + others);
          // the panel: an entry selects its annotation and flashes it
          const id = places.find((e) => e.quote === 'يري').id;
          await page.evaluate((id) => document.querySelector(`li[data-annotation-id="${id}"] button.entry`).click(), id);
          await page.waitFor((id) => document.querySelector(`li[data-annotation-id="${id}"][aria-current="true"]`), id, { what: 'the entry to be current' });
          await page.waitFor(() => document.querySelector('mark[data-flash="true"]') || CSS.highlights.get('hashiya-flash')?.size > 0, null, { what: 'the flash' });
          // the start handle dragged one letter back gives كيري
          await page.waitFor(() => document.querySelector('[data-role="handle"][data-edge="start"]:not([hidden])'), null, { what: 'the handles' });
          // the panel scrolls the highlight into view smoothly: let the page
          // come to rest before reading where the handle and the letters are
          await page.waitFor(async () => {
            const at = () => [scrollY, document.querySelector('[data-role="handle"][data-edge="start"]').getBoundingClientRect().top];
            const a = at();
            await new Promise((r) => setTimeout(r, 150));
            const b = at();
            return a[0] === b[0] && a[1] === b[1];
          }, null, { what: 'the page to stop scrolling' });
          const handle = await page.evaluate(() => {
            const r = document.querySelector('[data-role="handle"][data-edge="start"]').getBoundingClientRect();
            return { x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2 };
          });
          const target = await h(page, 'boundaryPoint', { ...KERRY, needle: 'كيري', k: 0 });
          await page.drag(handle.x, handle.y, target.x, target.y, { steps: 6 });
          await entriesWith(page, null, (l) => l.some((e) => e.quote === 'كيري' && e.label === 'person'), 'the handle move');
          assert.deepEqual(await page.errors(), []);
        } finally {
          await page.close();
        }
      });

      test(`${variant}a full localStorage: the work is kept in IndexedDB and is back after a reload`, async () => {
        const page = await browser.newPage();
        try {
          await openDemo(page, demo.url + query);
          await tag(page, KERRY, '1');
          const key = STORAGE_PREFIX + DOC1;
          await page.waitFor((k) => localStorage.getItem(k), key, { what: 'the first save' });
          await fillStorage(page);
          await tag(page, { ...KERRY, needle: 'موسكو' }, '2');
          await page.waitFor((k) => JSON.parse(localStorage.getItem(k)).kept_in === 'indexeddb', key, { what: 'the key pointing to IndexedDB' });
          await page.waitFor(() => document.querySelector('[data-role="save-status"]').dataset.state === 'saved', null, { what: 'saved' });
          assert.equal(await page.evaluate(() => document.querySelector('[data-role="storage-problem"]') === null), true, 'no warning');
          await page.reload();
          await waitDemo(page);
          await entriesWith(page, null, (l) => l.length === 2, 'both after a reload');
          assert.deepEqual(await h(page, 'painted', null), ['person:جون كيري', 'place:موسكو']);
          assert.deepEqual(await page.errors(), []);
        } finally {
          await page.close();
        }
      });
      test(`${variant}accessibility: axe-core finds nothing serious; the selected highlight is told`, async () => {
        const page = await browser.newPage();
        try {
          await openDemo(page, demo.url + query);
          await tag(page, KERRY, '1');
          await tag(page, { ...KERRY, needle: 'موسكو' }, '2');
          await entriesWith(page, null, (l) => l.length === 2, 'two annotations');
          // Tab from the article reaches an annotation and selects it
          await page.keyboard.press('Escape');
          await page.evaluate(() => document.querySelector('article[data-doc-id="kerry-moscow-visit"]').focus());
          await page.keyboard.press('Tab');
          await page.waitFor(() => document.querySelector('[data-role="editor"]'), null, { what: 'an annotation selected with Tab' });
          const told = await page.evaluate(() => {
            const article = document.querySelector('article[data-doc-id="kerry-moscow-visit"]');
            if (article.dataset.renderer === 'highlights') {
              return article.querySelector('[data-role="selected-description"][aria-live="polite"]')?.textContent;
            }
            return article.querySelector('mark[data-selected="true"]')?.title + ': ' + article.querySelector('mark[data-selected="true"]')?.textContent;
          });
          assert.match(told ?? '', /شخص: جون كيري/);
          const scan = await axeSerious(page);
          console.log(`# axe ${engine} ${variant || 'measured'}: ${scan.passes} rules passed, serious or critical: ${JSON.stringify(scan.bad)}`);
          assert.deepEqual(scan.bad, []);
        } finally {
          await page.close();
        }
      });
    }

    // ---- the embed -------------------------------------------------------

    const HARAKAT = 'وَقَالَ مُحَمَّدٌ';
    const EMBED_BLOCKS = [
      'بشار الأسد يلتقي الوفد',
      `يتوجه وزير الخارجية الأميركي جون كيري إلى موسكو، ${HARAKAT} إن الزيارة مهمة.`,
    ];
    const embedPage = (name, attrs = {}) => {
      hostSrv.pages.set(`/${name}.html`, {
        body: hostPage({
          script: `${bundle.url}embed/hashiya.js`,
          // the event and CSP recorder runs before the bundle, so nothing
          // from the widget's start is missed
          head: `<link rel="stylesheet" href="/${name}.css">\n<script src="/recorder.js"></script>`,
          body: widget({ 'doc-id': name, storage: 'local', ...attrs }, blocksHtml(EMBED_BLOCKS)),
        }),
        csp: strictCsp({ bundleOrigin: bundle.origin }),
      });
      hostSrv.pages.set('/recorder.js', {
        type: 'text/javascript; charset=utf-8',
        body: `(${installRecorder})(${JSON.stringify(EVENTS)});`,
      });
      // a hostile host stylesheet: none of it may reach inside
      hostSrv.pages.set(`/${name}.css`, {
        type: 'text/css; charset=utf-8',
        body: '* { direction: ltr !important; font-size: 8px !important; letter-spacing: 3px !important; } mark { display: inline-block !important; padding: 4px !important; }',
      });
      return `${hostSrv.url}${name}.html`;
    };
    async function openEmbed(page, url) {
      await page.goto(url);
      await waitEmbed(page);
    }
    async function waitEmbed(page) {
      await waitWidgets(page, 1);
      await page.evaluate(installRangeHelpers);
      await page.evaluate(installHelpers);
    }
    const W = 'hashiya-annotator';

    test('embed, painted highlights on a long article: the ranges near the screen are registered, and follow a scroll', async () => {
      const page = await browser.newPage();
      try {
        const blocks = ['مقال طويل'];
        for (let i = 1; i <= 300; i++) blocks.push(`الفقرة ${i}: يتوجه وزير الخارجية الأميركي جون كيري إلى موسكو، وقال إن الزيارة مهمة للطرفين.`);
        hostSrv.pages.set('/long-highlights.html', {
          body: hostPage({
            script: `${bundle.url}embed/hashiya.js`,
            body: widget({ 'doc-id': 'long-highlights', storage: 'none', renderer: 'highlights' }, blocksHtml(blocks)),
          }),
        });
        await openEmbed(page, `${hostSrv.url}long-highlights.html`);
        // a person in every paragraph; the text is the blocks joined by "\n" (no surrogates here)
        const text = blocks.join('\n');
        const list = [];
        for (let at = text.indexOf('جون كيري'); at >= 0; at = text.indexOf('جون كيري', at + 1)) {
          list.push({ id: `p${list.length + 1}`, start: at, end: at + 'جون كيري'.length, label: 'person' });
        }
        assert.equal(list.length, 300);
        const answer = await page.evaluate((l) => {
          const el = document.querySelector('hashiya-annotator');
          return { renderer: el.renderer, count: el.setAnnotations(l).count };
        }, list);
        assert.deepEqual(answer, { renderer: 'highlights', count: 300 });
        // the block of each person range in the page's highlight registry,
        // and the ranges of the widget that are not a whole name
        const registered = () => page.evaluate(() => {
          const root = document.querySelector('hashiya-annotator').shadowRoot;
          const ours = [...(CSS.highlights.get('hashiya-person') || [])].filter((r) => root.contains(r.startContainer));
          return {
            blocks: ours.map((r) => Number(r.startContainer.parentElement.dataset.block)).sort((a, b) => a - b),
            other: ours.filter((r) => r.toString() !== 'جون كيري').map((r) => r.toString()),
          };
        });
        let seen;
        const settled = async (pred, what) => {
          let last;
          const deadline = Date.now() + 10_000;
          for (;;) {
            seen = await registered();
            last = [...new Set(seen.blocks)];
            if (pred(last)) return last;
            if (Date.now() > deadline) throw new Error(`${what}: painted blocks ${JSON.stringify(last)}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        };
        const top = await settled((b) => b.includes(1) && !b.includes(300), 'the top painted, the end not');
        assert.ok(top.length < 150, `only the blocks near the screen are painted: ${top.length} of 300`);
        await page.evaluate(() => document.querySelector('hashiya-annotator').shadowRoot.querySelector('[data-block="300"]').scrollIntoView({ block: 'center' }));
        const end = await settled((b) => b.includes(300) && !b.includes(1), 'the end painted after a scroll, the top let go');
        assert.ok(end.length < 150, `only the blocks near the screen are painted: ${end.length} of 300`);
        // each painted paragraph holds its name once, whole: nothing left over from the top
        assert.deepEqual(seen.blocks, end);
        assert.deepEqual(seen.other, []);
        assert.deepEqual(await page.errors(), []);
      } finally {
        await page.close();
      }
    });

    test('embed: a drag in the shadow root and key 2 tag a place; events and the API agree', async () => {
      const page = await browser.newPage();
      try {
        await openEmbed(page, embedPage('embed-drag'));
        await tag(page, { host: W, doc: 'embed-drag', block: 0, needle: 'بشار الأسد' }, '2');
        await entriesWith(page, W, (l) => l.length === 1 && l[0].quote === 'بشار الأسد' && l[0].label === 'place', 'the place');
        assert.deepEqual(await h(page, 'painted', W), ['place:بشار الأسد']);
        const api = await page.evaluate(() => document.querySelector('hashiya-annotator').getAnnotations());
        assert.equal(api.length, 1);
        assert.equal(api[0].quote, 'بشار الأسد');
        // where it is drawn, as the API tells a host, is where its text is
        const drawn = await page.evaluate(() => {
          const el = document.querySelector('hashiya-annotator');
          const block = el.shadowRoot.querySelector('[data-block="0"]');
          const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          let seen = 0;
          const at = block.textContent.indexOf('بشار الأسد');
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (at >= seen && at + 10 <= seen + n.data.length) {
              range.setStart(n, at - seen);
              range.setEnd(n, at - seen + 10);
            }
            seen += n.data.length;
          }
          const text = range.getBoundingClientRect();
          const rects = el.getHighlightRects(el.getAnnotations()[0].id);
          return {
            renderer: el.renderer,
            drawnAs: el.shadowRoot.querySelector('article').dataset.renderer,
            rects,
            unknown: el.getHighlightRects('no-such-id'),
            text: { left: text.left, right: text.right, top: text.top, bottom: text.bottom },
          };
        });
        assert.equal(drawn.renderer, drawn.drawnAs);
        assert.deepEqual(drawn.unknown, []);
        assert.ok(drawn.rects.length >= 1, 'getHighlightRects gives the highlight a place');
        const left = Math.min(...drawn.rects.map((r) => r.left));
        const right = Math.max(...drawn.rects.map((r) => r.left + r.width));
        for (const [got, want] of [[left, drawn.text.left], [right, drawn.text.right]]) {
          assert.ok(Math.abs(got - want) <= 0.5, `getHighlightRects ${JSON.stringify(drawn.rects)} vs the text ${JSON.stringify(drawn.text)}`);
        }
        const created = await page.evaluate(() => window.__hashiyaEvents.filter((e) => e.type === 'hashiya-create'));
        assert.equal(created.length, 1);
        assert.equal(created[0].detail.quote, 'بشار الأسد');
        // the keyboard caret inside the shadow root: click a word, extend, key 3
        const p = await h(page, 'charPoint', { host: W, doc: 'embed-drag', block: 1, needle: 'موسكو', k: 0 });
        await page.mouse.click(p.x, p.y);
        await page.keyboard.press('Control+Shift+ArrowLeft');
        await page.keyboard.press('3');
        const list = await entriesWith(page, W, (l) => l.length === 2, 'a claim from keys');
        const claim = list.find((e) => e.label === 'claim');
        assert.match(claim.quote, /^(موسكو|وسكو)،?$/);
        // a reload keeps both
        await page.reload();
        await waitEmbed(page);
        await entriesWith(page, W, (l) => l.length === 2, 'both after a reload');
        // the strict CSP was never violated
        assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
        assert.deepEqual(await page.errors(), []);
      } finally {
        await page.close();
      }
    });

    /** Word widths and places in a block before and after three sub-word highlights. */
    async function shapingReport(page, name, attrs) {
      await openEmbed(page, embedPage(name, { storage: 'none', ...attrs }));
      const spot = { host: W, doc: name, block: 1 };
      // measured once the widget's text is laid out (a fresh page can answer 0)
      const before = await page.waitFor(
        (spot) => { const w = window.__h.words(spot); return w.every((x) => x.width > 0) && w; },
        spot,
        { what: 'the words to be laid out' },
      );
      const text = EMBED_BLOCKS.join('\n');
      const cp = (s) => [...text.slice(0, text.indexOf(s))].length;
      // cut after ال (before an alef: the lam-alef ligature), and inside
      // words with harakat (after مُحَ and after وَ)
      const cuts = [
        { start: cp('الأميركي') + 2, end: cp('الأميركي') + 8, label: 'person' },
        { start: cp('مُحَمَّدٌ') + 4, end: cp('مُحَمَّدٌ') + 8, label: 'place' },
        { start: cp('وَقَالَ') + 2, end: cp('وَقَالَ') + 5, label: 'claim' },
      ];
      await page.evaluate((cuts) => {
        const el = document.querySelector('hashiya-annotator');
        for (const c of cuts) el.addAnnotation(c);
      }, cuts);
      await page.waitFor((h) => window.__h.painted(h).length === 3, W, { what: 'three highlights' });
      const after = await h(page, 'words', spot);
      const renderer = await h(page, 'renderer', W);
      const report = before.map((b, i) => ({
        word: b.word,
        before: +b.width.toFixed(2),
        after: +after[i].width.toFixed(2),
        dx: +(after[i].left - b.left).toFixed(2),
        dy: +(after[i].top - b.top).toFixed(2),
      }));
      const cut = report.filter((r) => /أميركي|مُحَمَّدٌ|وَقَالَ/.test(r.word));
      console.log(`# shaping ${engine} ${renderer}: ` + JSON.stringify(cut));
      const moved = report.filter((r) => Math.abs(r.after - r.before) > 0.5 || Math.abs(r.dx) > 0.5 || Math.abs(r.dy) > 0.5);
      const reshaped = cut.filter((r) => Math.abs(r.after - r.before) > 0.5);
      return { renderer, moved, reshaped };
    }

    test('shaping: sub-word highlights change no word width and move no word', async () => {
      const page = await browser.newPage();
      try {
        const measured = await shapingReport(page, 'embed-shape', {});
        assert.deepEqual(measured.moved, [], `${engine} (${measured.renderer}) moved words`);
        // the measurement is not a formality: where it chose to paint, marks
        // would have re-shaped the cut words in this engine
        const marks = await shapingReport(page, 'embed-shape-marks', { renderer: 'marks' });
        assert.equal(marks.renderer, 'marks');
        if (measured.renderer === 'highlights') {
          assert.ok(marks.reshaped.length > 0, `${engine}: marks would not have re-shaped a cut word, so why paint?`);
        } else {
          assert.deepEqual(marks.moved, []);
        }
      } finally {
        await page.close();
      }
    });
  });
}
