// Attributes of <hashiya-annotator> and what changing them does: ui-lang,
// labels (+ key 4 for a 4th label) and label-colors, readonly, doc-id,
// lang/dir, storage="none", the default doc-id, and theming through custom
// properties and ::part.

import assert from 'node:assert/strict';
import { seedArticles, cpSpan, STORAGE_PREFIX } from './lib/app.mjs';
import { useHost, hostTest } from './lib/host/session.mjs';
import { hostPage, widget, blocksHtml } from './lib/host/pages.mjs';
import {
  wText, wBlocks, wMarks, waitCount, wAnnotate, wSelect, wClickMark, wClickText, wWaitSelected, hashiyaStorage, waitStored,
} from './lib/host/widget.mjs';
import { events, waitEvents, clearEvents } from './lib/host/recorder.mjs';
import { call } from './lib/host/api.mjs';
import { poll } from './lib/browser.mjs';
import { findRange } from './lib/select.mjs';

const SEED = seedArticles();
const A_BLOCKS = [SEED[0].heading, ...SEED[0].paragraphs.slice(0, 2)];
const A_TEXT = A_BLOCKS.join('\n');
const B_BLOCKS = [SEED[1].heading, ...SEED[1].paragraphs.slice(0, 2)];
const B_TEXT = B_BLOCKS.join('\n');
const EN_BLOCKS = ['Kerry in Moscow', 'US Secretary of State John Kerry travels to Moscow on Thursday for a two-day visit.'];

const THEME_CSS = `
#t {
  --hashiya-person: rgb(1, 2, 3);
  --hashiya-font: "DejaVu Sans Mono";
  --hashiya-fg: rgb(10, 20, 30);
  --hashiya-bg: rgb(250, 240, 230);
  --hashiya-accent: rgb(200, 0, 100);
}
#t::part(root) { outline: 3px solid rgb(11, 11, 11); }
#t::part(article) { outline: 3px solid rgb(22, 22, 22); }
#t::part(toolbar) { outline: 3px solid rgb(33, 33, 33); }
#t::part(panel) { outline: 3px solid rgb(44, 44, 44); }
`;

const SRC_JSON = {
  format: 'hashiya',
  version: 1,
  documents: [
    {
      doc_id: 'from-file',
      title: B_BLOCKS[0],
      lang: 'ar',
      dir: 'rtl',
      text: B_TEXT,
      annotations: [
        { id: 'f-1', label: 'person', ...cpSpan(B_TEXT, 'بشار الأسد'), quote: 'بشار الأسد', note: 'من الملف' },
        { id: 'f-2', label: 'place', ...cpSpan(B_TEXT, 'روسيا'), quote: 'روسيا', note: null },
      ],
    },
  ],
};

const env = useHost({
  pages: {
    '/article.txt': { body: A_BLOCKS.join('\n\n') + '\n', type: 'text/plain; charset=utf-8' },
    '/article.json': { body: JSON.stringify(SRC_JSON), type: 'application/json; charset=utf-8' },
    '/src.html': (c) => hostPage({ script: c.bundle, body: widget({ id: 't', src: '/article.txt', 'doc-id': 'src-txt' }) + widget({ id: 'j', src: '/article.json', 'doc-id': 'src-json' }) }),
    '/attrs.html': (c) => hostPage({ script: c.bundle, body: widget({ id: 'w', 'doc-id': 'attr-1', lang: 'ar' }, blocksHtml(A_BLOCKS)) }),
    '/labels.html': (c) =>
      hostPage({
        script: c.bundle,
        body: widget({ id: 'w', 'doc-id': 'lab', labels: 'person,place,claim,organisation', 'label-colors': 'organisation:#cde7ff,person:#ffd8a8' }, blocksHtml(B_BLOCKS)),
      }),
    '/readonly.html': (c) => hostPage({ script: c.bundle, body: widget({ id: 'w', 'doc-id': 'ro', readonly: true }, blocksHtml(A_BLOCKS)) }),
    '/storage.html': (c) =>
      hostPage({
        script: c.bundle,
        body: widget({ id: 'n', 'doc-id': 'none-doc', storage: 'none' }, blocksHtml(A_BLOCKS)) + widget({ id: 'l', 'doc-id': 'local-doc' }, blocksHtml(B_BLOCKS)),
      }),
    '/defaults.html': (c) => hostPage({ script: c.bundle, body: widget({ id: 'ar' }, blocksHtml(A_BLOCKS)) + widget({ id: 'en' }, blocksHtml(EN_BLOCKS)) }),
    '/theme.css': { body: THEME_CSS, type: 'text/css; charset=utf-8' },
    '/theme.html': (c) =>
      hostPage({
        script: c.bundle,
        head: '<link rel="stylesheet" href="/theme.css">',
        body: widget({ id: 't', 'doc-id': 'theme' }, blocksHtml(A_BLOCKS)) + widget({ id: 'plain', 'doc-id': 'plain' }, blocksHtml(A_BLOCKS)),
      }),
  },
});

const setAttr = (page, host, name, value) =>
  page.evaluate(([h, n, v]) => (v === null ? document.querySelector(h).removeAttribute(n) : document.querySelector(h).setAttribute(n, v)), [host, name, value]);

/** Toolbar and root of a widget: label buttons (id + text), undo text, root dir/lang. */
const chrome = (page, host) =>
  page.evaluate((h) => {
    const root = document.querySelector(h).shadowRoot;
    const w = root.querySelector('.hashiya.widget');
    const art = root.querySelector('article[data-doc-id]');
    return {
      labels: [...root.querySelectorAll('.toolbar button[data-label]')].map((b) => [b.dataset.label, b.textContent.trim()]),
      undo: root.querySelector('.toolbar button[data-action="undo"]')?.textContent.trim() ?? null,
      root: { dir: w.getAttribute('dir'), lang: w.getAttribute('lang'), direction: getComputedStyle(w).direction },
      article: { dir: art.getAttribute('dir'), lang: art.getAttribute('lang'), docId: art.dataset.docId, direction: getComputedStyle(art).direction },
      panelFor: root.querySelector('aside[data-panel-for]')?.dataset.panelFor ?? null,
    };
  }, host);

const until = (page, host, pred, arg) => poll(page, pred, [host, arg]);

hostTest(env, 'ui-lang switches the widget chrome between Arabic (rtl) and English (ltr); the article keeps its own direction', '/attrs.html', async ({ page }) => {
  let c = await chrome(page, '#w');
  assert.ok(c.labels[0][1].includes('شخص'), `person button in Arabic: ${c.labels[0][1]}`);
  assert.equal(c.undo, 'تراجع');
  assert.deepEqual(c.root, { dir: 'rtl', lang: 'ar', direction: 'rtl' });

  await setAttr(page, '#w', 'ui-lang', 'en');
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelector('.hashiya.widget')?.getAttribute('dir') === 'ltr');
  c = await chrome(page, '#w');
  assert.deepEqual(c.labels.map((l) => l[0]), ['person', 'place', 'claim']);
  assert.match(c.labels[0][1], /Person/);
  assert.match(c.labels[1][1], /Place/);
  assert.match(c.labels[2][1], /Claim/);
  assert.match(c.undo, /^Undo/);
  assert.deepEqual(c.root, { dir: 'ltr', lang: 'en', direction: 'ltr' });
  assert.deepEqual({ dir: c.article.dir, lang: c.article.lang, direction: c.article.direction }, { dir: 'rtl', lang: 'ar', direction: 'rtl' }, 'the Arabic article stays rtl');

  // It still works, and its messages follow: the panel entry names the label in English.
  await wAnnotate(page, '#w', 'جون كيري', '1');
  const entry = await page.evaluate(() => document.querySelector('#w').shadowRoot.querySelector('li[data-annotation-id] .label')?.textContent ?? '');
  assert.match(entry, /Person/);

  await setAttr(page, '#w', 'ui-lang', 'ar');
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelector('.hashiya.widget')?.getAttribute('dir') === 'rtl');
  c = await chrome(page, '#w');
  assert.equal(c.undo, 'تراجع');
  assert.equal(c.root.lang, 'ar');
  await waitCount(page, '#w', 1);
});

hostTest(env, 'custom labels: buttons in attribute order, key 4 tags the 4th label, label-colors colour it', '/labels.html', async ({ page }) => {
  const c = await chrome(page, '#w');
  assert.deepEqual(c.labels.map((l) => l[0]), ['person', 'place', 'claim', 'organisation']);
  assert.ok(c.labels[3][1].length > 0, 'the organisation button has a text');

  const org = await wAnnotate(page, '#w', 'واشنطن', '4');
  const person = await wAnnotate(page, '#w', 'بشار الأسد', '1');
  const marks = await wMarks(page, '#w');
  assert.equal(marks.find((m) => m.id === org).label, 'organisation');
  assert.equal(marks.find((m) => m.id === person).label, 'person');
  const colours = await page.evaluate(([o, p]) => {
    const root = document.querySelector('#w').shadowRoot;
    const bg = (id) => getComputedStyle(root.querySelector(`mark[data-annotation-id="${id}"]`)).backgroundColor;
    return { org: bg(o), person: bg(p) };
  }, [org, person]);
  assert.equal(colours.org, 'rgb(205, 231, 255)', 'organisation:#cde7ff');
  assert.equal(colours.person, 'rgb(255, 216, 168)');
  const ann = (await call(page, '#w', 'getAnnotations')).find((a) => a.id === org);
  assert.equal(ann.label, 'organisation');
  assert.equal(ann.quote, 'واشنطن');
  const viaApi = await call(page, '#w', 'addAnnotation', { ...cpSpan(B_TEXT, 'روسيا'), label: 'organisation' });
  assert.equal(viaApi.label, 'organisation');
  const rec = await waitStored(page, 'lab', 3);
  assert.ok(rec.annotations.some((a) => a.label === 'organisation'), 'a custom label is stored');
});

hostTest(env, 'changing labels and label-colors at run time re-renders the toolbar and what keys mean', '/attrs.html', async ({ page }) => {
  await setAttr(page, '#w', 'labels', 'claim,place,person,organisation');
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelectorAll('.toolbar button[data-label]').length === 4);
  assert.deepEqual((await chrome(page, '#w')).labels.map((l) => l[0]), ['claim', 'place', 'person', 'organisation']);
  const claim = await wAnnotate(page, '#w', 'جون كيري', '1');
  assert.equal((await wMarks(page, '#w')).find((m) => m.id === claim).label, 'claim', 'key 1 is now the first label, claim');
  await setAttr(page, '#w', 'label-colors', 'organisation:#123456');
  const org = await wAnnotate(page, '#w', 'موسكو', '4');
  assert.equal((await wMarks(page, '#w')).find((m) => m.id === org).label, 'organisation');
  const bg = await page.evaluate((id) => getComputedStyle(document.querySelector('#w').shadowRoot.querySelector(`mark[data-annotation-id="${id}"]`)).backgroundColor, org);
  assert.equal(bg, 'rgb(18, 52, 86)');
});

hostTest(env, 'readonly: no label buttons, keys change nothing, the API still works; removing it enables editing', '/readonly.html', async ({ page }) => {
  assert.deepEqual((await chrome(page, '#w')).labels, [], 'no label buttons');
  const a = await call(page, '#w', 'addAnnotation', { ...cpSpan(A_TEXT, 'موسكو'), label: 'place' });
  await waitCount(page, '#w', 1);
  await clearEvents(page);

  await wSelect(page, '#w', 'جون كيري');
  await page.keyboard.press('1');
  await page.keyboard.press('3');
  await wClickMark(page, '#w', a.id);
  await page.keyboard.press('Delete');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Control+z');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 400)));
  const changes = (await events(page)).filter((e) => e.type !== 'hashiya-ready');
  assert.deepEqual(changes, [], 'no key changed anything');
  await waitCount(page, '#w', 1);
  assert.deepEqual((await call(page, '#w', 'getAnnotations')).map((x) => x.id), [a.id]);
  const editing = await page.evaluate(
    () =>
      [...document.querySelector('#w').shadowRoot.querySelectorAll('[data-action="relabel"], [data-action="delete"], [data-action="save-note"], textarea[data-role="note"]')].filter(
        (el) => !el.disabled && !el.readOnly && el.getClientRects().length > 0,
      ).length,
  );
  assert.equal(editing, 0, 'no enabled editing controls in readonly mode');
  assert.equal(await call(page, '#w', 'removeAnnotation', a.id), true, 'the API still changes a readonly widget');
  await waitCount(page, '#w', 0);

  await setAttr(page, '#w', 'readonly', null);
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelectorAll('.toolbar button[data-label]').length === 3);
  const id = await wAnnotate(page, '#w', 'جون كيري', '1');
  assert.equal((await wMarks(page, '#w')).find((m) => m.id === id).label, 'person');
  await setAttr(page, '#w', 'readonly', '');
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelectorAll('.toolbar button[data-label]').length === 0);
  await wSelect(page, '#w', 'موسكو');
  await page.keyboard.press('2');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  await waitCount(page, '#w', 1);
});

hostTest(env, 'doc-id names the storage key; changing it shows that key\'s annotations, and changing back restores the first', '/attrs.html', async ({ page }) => {
  const a = await call(page, '#w', 'addAnnotation', { ...cpSpan(A_TEXT, 'جون كيري'), label: 'person' });
  await waitStored(page, 'attr-1', 1);

  await setAttr(page, '#w', 'doc-id', 'attr-2');
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelector('article[data-doc-id]')?.dataset.docId === 'attr-2');
  let c = await chrome(page, '#w');
  assert.equal(c.panelFor, 'attr-2');
  await waitCount(page, '#w', 0);
  assert.deepEqual(await call(page, '#w', 'getAnnotations'), [], 'a new key starts empty');
  const b = await call(page, '#w', 'addAnnotation', { ...cpSpan(A_TEXT, 'موسكو'), label: 'place' });
  const rec2 = await waitStored(page, 'attr-2', 1);
  assert.equal(rec2.annotations[0].id, b.id);
  const rec1 = (await hashiyaStorage(page))[STORAGE_PREFIX + 'attr-1'];
  assert.deepEqual(rec1.annotations.map((x) => x.id), [a.id], 'the first key is untouched');
  assert.equal(JSON.parse(await call(page, '#w', 'exportJson')).documents[0].doc_id, 'attr-2');

  await setAttr(page, '#w', 'doc-id', 'attr-1');
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelector('article[data-doc-id]')?.dataset.docId === 'attr-1');
  await waitCount(page, '#w', 1);
  assert.deepEqual((await call(page, '#w', 'getAnnotations')).map((x) => x.id), [a.id]);

  // lang and dir of the article follow their attributes.
  await setAttr(page, '#w', 'dir', 'ltr');
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelector('article[data-doc-id]')?.getAttribute('dir') === 'ltr');
  await setAttr(page, '#w', 'lang', 'fa');
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelector('article[data-doc-id]')?.getAttribute('lang') === 'fa');
  c = await chrome(page, '#w');
  assert.deepEqual({ dir: c.article.dir, direction: c.article.direction, lang: c.article.lang }, { dir: 'ltr', direction: 'ltr', lang: 'fa' });
  await setAttr(page, '#w', 'dir', null);
  await until(page, '#w', ([h]) => document.querySelector(h).shadowRoot.querySelector('article[data-doc-id]')?.getAttribute('dir') === 'rtl');
});

hostTest(env, 'storage="none" writes nothing to localStorage; a local widget on the same page does', '/storage.html', async (h) => {
  const { page } = h;
  await wAnnotate(page, '#n', 'جون كيري', '1');
  await call(page, '#n', 'addAnnotation', { ...cpSpan(A_TEXT, 'موسكو'), label: 'place' });
  await waitCount(page, '#n', 2);
  const plain = findRange(await wText(page, '#n'), 'الخميس');
  await wClickText(page, '#n', plain.start, plain.end);
  await page.keyboard.press('Control+z');
  await waitCount(page, '#n', 1);
  await waitEvents(page, 'hashiya-change', 'n', 3);

  await call(page, '#l', 'addAnnotation', { ...cpSpan(B_TEXT, 'روسيا'), label: 'place' });
  await waitStored(page, 'local-doc', 1);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  const all = await page.evaluate(() => Object.keys(localStorage));
  assert.ok(!all.some((k) => k.includes('none-doc')), `no key for the storage="none" widget: ${JSON.stringify(all)}`);
  assert.deepEqual(all.filter((k) => k.startsWith(STORAGE_PREFIX)), [STORAGE_PREFIX + 'local-doc']);

  await h.reload();
  await waitCount(page, '#l', 1);
  await waitCount(page, '#n', 0);
  assert.deepEqual(await call(page, '#n', 'getAnnotations'), []);
});

hostTest(env, 'defaults: doc-id is doc-<digest of the text> (stable over reloads), lang ar, dir from the text', '/defaults.html', async (h) => {
  const { page } = h;
  const ready = await events(page, { type: 'hashiya-ready' });
  const ids = Object.fromEntries(ready.map((e) => [e.host, e.detail.doc_id]));
  assert.match(ids.ar, /^doc-[0-9a-z]+$/i);
  assert.match(ids.en, /^doc-[0-9a-z]+$/i);
  assert.notEqual(ids.ar, ids.en, 'different texts, different ids');
  const ar = await chrome(page, '#ar');
  assert.deepEqual(ar.article, { dir: 'rtl', lang: 'ar', docId: ids.ar, direction: 'rtl' });
  const en = await chrome(page, '#en');
  assert.equal(en.article.dir, 'ltr', 'English text without dir is laid out left to right');
  assert.equal(en.article.direction, 'ltr');

  await wAnnotate(page, '#ar', 'جون كيري', '1');
  await waitStored(page, ids.ar, 1);
  await h.reload();
  const again = await events(page, { type: 'hashiya-ready' });
  assert.equal(again.find((e) => e.host === 'ar').detail.doc_id, ids.ar, 'the same text gives the same id');
  await waitCount(page, '#ar', 1);
});

hostTest(env, 'theming: custom properties on the host and ::part reach the widget; nothing else does', '/theme.html', async ({ page }) => {
  const s = cpSpan(A_TEXT, 'جون كيري');
  const t = await call(page, '#t', 'addAnnotation', { ...s, label: 'person' });
  const p = await call(page, '#plain', 'addAnnotation', { ...s, label: 'person' });
  await waitCount(page, '#t', 1);
  await waitCount(page, '#plain', 1);
  const look = (host, id) =>
    page.evaluate(
      ([host, id]) => {
        const root = document.querySelector(host).shadowRoot;
        const cs = (el) => (el ? getComputedStyle(el) : null);
        const w = root.querySelector('.hashiya.widget');
        const mark = root.querySelector(`mark[data-annotation-id="${id}"]`);
        const part = (name) => cs(root.querySelector(`[part~="${name}"]`))?.outlineColor ?? 'missing';
        return {
          mark: cs(mark).backgroundColor,
          selectedOutline: mark.dataset.selected === 'true' ? cs(mark).outlineColor : 'not selected',
          font: cs(root.querySelector('article p[data-block]')).fontFamily,
          fg: cs(root.querySelector('article')).color,
          bg: [cs(w).backgroundColor, cs(root.querySelector('section.doc')).backgroundColor, cs(root.querySelector('article')).backgroundColor],
          parts: { root: part('root'), article: part('article'), toolbar: part('toolbar'), panel: part('panel') },
        };
      },
      [host, id],
    );
  await wClickMark(page, '#t', t.id);
  await wWaitSelected(page, '#t', t.id);
  const themed = await look('#t', t.id);
  await wClickMark(page, '#plain', p.id);
  await wWaitSelected(page, '#plain', p.id);
  const plain = await look('#plain', p.id);
  assert.equal(plain.mark, 'rgb(255, 216, 168)', 'default person colour as on the demo page');
  assert.equal(themed.mark, 'rgb(1, 2, 3)', '--hashiya-person');
  assert.match(themed.font, /DejaVu Sans Mono/, '--hashiya-font');
  assert.doesNotMatch(plain.font, /Mono/);
  assert.equal(themed.fg, 'rgb(10, 20, 30)', '--hashiya-fg');
  assert.ok(themed.bg.includes('rgb(250, 240, 230)'), `--hashiya-bg on the widget: ${JSON.stringify(themed.bg)}`);
  assert.equal(themed.selectedOutline, 'rgb(200, 0, 100)', '--hashiya-accent outlines the selected highlight');
  assert.notEqual(plain.selectedOutline, 'not selected');
  assert.notEqual(plain.selectedOutline, 'rgb(200, 0, 100)');
  assert.deepEqual(themed.parts, { root: 'rgb(11, 11, 11)', article: 'rgb(22, 22, 22)', toolbar: 'rgb(33, 33, 33)', panel: 'rgb(44, 44, 44)' });
  assert.ok(!Object.values(plain.parts).includes('missing'), 'every documented part exists');
  assert.ok(!Object.values(plain.parts).some((c) => ['rgb(11, 11, 11)', 'rgb(22, 22, 22)'].includes(c)), 'the theme is scoped to #t');
});

hostTest(env, 'src: a .txt article (heading, blank-line paragraphs) and a Hashiya JSON export (text and annotations) load instead of children', '/src.html', async ({ page }) => {
  const blocks = await wBlocks(page, '#t');
  assert.deepEqual(blocks.map((b) => [b.tag, b.text]), A_BLOCKS.map((b, i) => [i === 0 ? 'h2' : 'p', b]), 'the .txt article: first line the heading, then paragraphs');
  await wAnnotate(page, '#t', 'جون كيري', '1');
  await waitStored(page, 'src-txt', 1);

  assert.equal(await wText(page, '#j'), B_TEXT, 'the JSON article shows its text');
  await waitCount(page, '#j', 2);
  const got = await call(page, '#j', 'getAnnotations');
  assert.deepEqual(
    got.map(({ id, label, quote, note }) => ({ id, label, quote, note })),
    [...SRC_JSON.documents[0].annotations]
      .sort((x, y) => x.start - y.start)
      .map(({ id, label, quote, note }) => ({ id, label, quote, note })),
    'the annotations of the file are shown, in reading order',
  );
  const ready = (await events(page, { type: 'hashiya-ready', host: 'j' }))[0];
  assert.deepEqual(ready?.detail, { doc_id: 'src-json', annotations: 2 });
  assert.equal((await events(page, { type: 'hashiya-error' })).length, 0, 'no hashiya-error');
});
