// XSS: markup, scripts, handlers and javascript: URLs in the children, in a
// src file (.txt and .json), in notes (API and editor), in attributes
// (labels, label-colors, doc-id, ui-lang) and in imported JSON never run and
// never throw; they show as text.
//
// These pages have NO CSP on purpose: under the strict policy an injected
// handler would be blocked anyway, and the window.__pwned trap would prove
// nothing. (The CSP test is in embed-host.test.mjs.)

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedArticles, cpOffset, cps } from './lib/app.mjs';
import { useHost, hostTest } from './lib/host/session.mjs';
import { hostPage, widget, blocksHtml } from './lib/host/pages.mjs';
import { wBlocks, wText, wPanel, waitCount, wSelect, wClickMark, wWaitSelected } from './lib/host/widget.mjs';
import { events, waitEvents } from './lib/host/recorder.mjs';
import { call, api } from './lib/host/api.mjs';
import { poll } from './lib/browser.mjs';

/** Every payload tried (listed by the first test, for the closing note of issue 4). */
export const XSS_PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '<IMG SRC=x OnErRoR=window.__pwned=1>',
  '<img src=x onerror=&#119;indow.__pwned=1>',
  '<script>window.__pwned=1</script>',
  '<svg onload="window.__pwned=1"></svg>',
  '<svg><script>window.__pwned=1</script></svg>',
  '<iframe src="javascript:parent.__pwned=1"></iframe>',
  '"><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  "'><img src=x onerror='window.__pwned=1'>",
  '" onmouseover="window.__pwned=1" data-x="',
  "' onfocus='window.__pwned=1' autofocus='",
  'javascript:window.__pwned=1',
  '<a href="javascript:window.__pwned=1">انقر هنا</a>',
  '<details open ontoggle="window.__pwned=1"><summary>x</summary></details>',
  '<input autofocus onfocus="window.__pwned=1">',
  '<object data="javascript:window.__pwned=1"></object>',
  '<embed src="javascript:window.__pwned=1">',
  '<video><source onerror="window.__pwned=1"></video>',
  '<body onload="window.__pwned=1">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1">',
  '<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>">',
  '<template><img src=x onerror="window.__pwned=1"></template>',
  '<style>@import "javascript:window.__pwned=1"; * { display: none }</style>',
  '<base href="javascript:window.__pwned=1//">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  '</mark></p></article><img src=x onerror="window.__pwned=1">',
  '<xss onpointerover="window.__pwned=1" style="display:block;position:fixed;inset:0">x</xss>',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '${window.__pwned=1}',
  '&lt;img src=x onerror=window.__pwned=1&gt;',
  'قال <img src=x onerror="window.__pwned=1"> كيري',
  '\u202e<img src=x onerror="window.__pwned=1">',
];

const SEED = seedArticles();
const PAYLOAD_BLOCKS = ['عنوان ' + XSS_PAYLOADS[0], ...XSS_PAYLOADS.map((p) => `نص ${p} نهاية`)];
// Real (inert) markup in a child: shown as its text, never re-rendered as markup.
const MARKUP_CHILD = '<p>قال <b onclick="window.__pwned=1">كيري</b> <a href="javascript:window.__pwned=1">رابط</a> <span onmouseover="window.__pwned=1">هنا</span> <img-x onclick="window.__pwned=1">نص</img-x></p>';
const MARKUP_TEXT = 'قال كيري رابط هنا نص';

const NOTES_BLOCKS = [SEED[0].heading, ...SEED[0].paragraphs.slice(0, 3)];
const NOTES_TEXT = NOTES_BLOCKS.join('\n');
/** Code point spans of the first n Arabic words of the notes article. */
const wordSpans = (n, from = 0) =>
  [...NOTES_TEXT.matchAll(/[\u0621-\u064a]{3,}/g)].slice(from, from + n).map((m) => ({ start: cpOffset(NOTES_TEXT, m.index), end: cpOffset(NOTES_TEXT, m.index + m[0].length), quote: m[0] }));

const BAD_ID = '"><img src=x onerror="window.__pwned=1">';
const BAD_LABEL = '<img src=x onerror="window.__pwned=1">';
const SRC_TEXT_BLOCKS = PAYLOAD_BLOCKS;
const SRC_JSON_TEXT = PAYLOAD_BLOCKS.join('\n');
const jsonSpan = (i) => {
  // The payload inside block i+1 ("نص <payload> نهاية").
  const base = PAYLOAD_BLOCKS.slice(0, i + 1).reduce((s, b) => s + cps(b).length + 1, 0);
  return { start: base + 3, end: base + 3 + cps(XSS_PAYLOADS[i]).length };
};
const SRC_JSON = JSON.stringify({
  format: 'hashiya',
  version: 1,
  exported_at: '2026-01-01T00:00:00Z',
  documents: [
    {
      doc_id: 'xss-src-json',
      title: PAYLOAD_BLOCKS[0],
      lang: 'ar',
      dir: 'rtl',
      text: SRC_JSON_TEXT,
      annotations: [
        ...XSS_PAYLOADS.map((p, i) => ({ id: i === 0 ? BAD_ID : `x-${i}`, label: 'claim', ...jsonSpan(i), note: p })),
        { id: 'x-bad-label', label: BAD_LABEL, ...jsonSpan(1), note: null },
      ],
    },
  ],
});

const noCsp = (body) => ({ body: (c) => hostPage({ script: c.bundle, body }), csp: false });
const env = useHost({
  pages: {
    '/children.html': noCsp(widget({ id: 'c', 'doc-id': 'xss-children' }, blocksHtml(PAYLOAD_BLOCKS) + MARKUP_CHILD)),
    '/payloads.txt': { body: SRC_TEXT_BLOCKS.join('\n\n') + '\n', type: 'text/plain; charset=utf-8' },
    '/payloads.json': { body: SRC_JSON, type: 'application/json; charset=utf-8' },
    '/src.html': noCsp(widget({ id: 't', src: '/payloads.txt', 'doc-id': 'xss-src-txt' }) + widget({ id: 'j', src: '/payloads.json' })),
    '/notes.html': noCsp(widget({ id: 'n', 'doc-id': 'xss-notes' }, blocksHtml(NOTES_BLOCKS))),
    '/attrs.html': noCsp(
      widget(
        {
          id: 'l',
          'doc-id': BAD_ID,
          labels: `person,${BAD_LABEL},"><svg onload=window.__pwned=1>,place,javascript:window.__pwned=1`,
          'label-colors': 'person:red;}</style><img src=x onerror=window.__pwned=1>{,place:url(javascript:window.__pwned=1),claim:expression(window.__pwned=1)',
          'ui-lang': BAD_LABEL,
          lang: '"><img src=x onerror=window.__pwned=1>',
        },
        blocksHtml(NOTES_BLOCKS),
      ),
    ),
  },
});

const DANGEROUS = ['script', 'img', 'svg', 'iframe', 'object', 'embed', 'details', 'video', 'audio', 'source', 'math', 'template', 'style', 'base', 'meta', 'a', 'xss', 'noscript', 'body', 'frame', 'frameset', 'form'];

/**
 * Waits for handlers that would fire by themselves (onerror, onload,
 * ontoggle, autofocus), moves the mouse over and clicks every block of every
 * widget, then asserts: no window.__pwned, no dangerous element or on*
 * attribute or javascript: URL in any shadow root, none added to the document.
 */
async function assertInert(page) {
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  const hosts = await page.evaluate(() => [...document.querySelectorAll('hashiya-annotator')].map((e) => '#' + e.id));
  for (const h of hosts) {
    const n = await page.evaluate((h) => document.querySelector(h).shadowRoot.querySelectorAll('article [data-block]').length, h);
    // A handful of blocks spread over the article is enough: the DOM scan below finds any handler anyway.
    const picks = [...new Set([0, 1, 2, Math.floor(n / 2), n - 2, n - 1].filter((i) => i >= 0 && i < n))];
    for (const i of picks) {
      const pt = await page.evaluate(
        ([h, i]) => {
          const b = document.querySelector(h).shadowRoot.querySelectorAll('article [data-block]')[i];
          b.scrollIntoView({ block: 'center' });
          const r = b.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + Math.min(r.height / 2, 12) };
        },
        [h, i],
      );
      await page.mouse.move(pt.x, pt.y, { steps: 2 });
      await page.mouse.click(pt.x, pt.y);
    }
  }
  await page.keyboard.press('Escape');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  const found = await page.evaluate((DANGEROUS) => {
    const bad = [];
    const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc', 'background', 'poster'];
    const walk = (root, where) => {
      for (const el of root.querySelectorAll('*')) {
        if (DANGEROUS.includes(el.localName) || el.localName.includes('-')) bad.push(`${where}: <${el.localName}>`);
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) bad.push(`${where}: <${el.localName} ${a.name}>`);
          if (urlAttrs.includes(a.name) && /^\s*(javascript|data):/i.test(a.value)) bad.push(`${where}: <${el.localName} ${a.name}=${a.value}>`);
        }
        if (el.shadowRoot) walk(el.shadowRoot, where + ' > ' + el.localName);
      }
    };
    for (const host of document.querySelectorAll('hashiya-annotator')) walk(host.shadowRoot, '#' + host.id);
    const added = document.querySelectorAll('img, svg, iframe, object, embed, video, math, details, style, base, meta[http-equiv], xss, script:not([src])').length;
    return { pwned: window.__pwned ?? null, bad, added, title: document.title };
  }, DANGEROUS);
  assert.equal(found.pwned, null, 'window.__pwned stays unset');
  assert.deepEqual(found.bad, [], 'no markup from user data inside the widgets');
  assert.equal(found.added, 0, 'nothing was added to the host document');
  assert.equal(found.title, 'host page');
}

test('the XSS payloads tried', (t) => {
  assert.ok(XSS_PAYLOADS.length >= 30);
  assert.equal(new Set(XSS_PAYLOADS).size, XSS_PAYLOADS.length);
  t.diagnostic('XSS payloads: ' + JSON.stringify(XSS_PAYLOADS));
});

hostTest(env, 'payloads in the children show as text; real markup in a child shows as its text only', '/children.html', async ({ page }) => {
  const blocks = await wBlocks(page, '#c');
  assert.deepEqual(blocks.map((b) => b.text), [...PAYLOAD_BLOCKS, MARKUP_TEXT]);
  const exported = JSON.parse(await call(page, '#c', 'exportJson')).documents[0];
  assert.equal(exported.text, [...PAYLOAD_BLOCKS, MARKUP_TEXT].join('\n'));
  assert.equal(exported.title, PAYLOAD_BLOCKS[0]);
  await assertInert(page);

  // Tag a whole payload paragraph with the mouse (it starts and ends in Arabic words): the panel quotes it as text.
  await wSelect(page, '#c', PAYLOAD_BLOCKS[2]);
  await page.keyboard.press('3');
  await waitCount(page, '#c', 1);
  const [item] = (await wPanel(page, '#c')).items;
  assert.equal(item.quote.replace(/^[«"]|[»"]$/g, ''), PAYLOAD_BLOCKS[2]);
  // and through the API, one highlight per payload
  const text = await wText(page, '#c');
  for (const [i, p] of XSS_PAYLOADS.entries()) {
    const at = text.indexOf(`نص ${p} نهاية`) + 3;
    await call(page, '#c', 'addAnnotation', { start: cpOffset(text, at), end: cpOffset(text, at + p.length), label: 'person', note: p });
    if (i === 0) await waitCount(page, '#c', 2);
  }
  await waitCount(page, '#c', XSS_PAYLOADS.length + 1);
  const notes = (await wPanel(page, '#c')).items.map((x) => x.note).filter(Boolean);
  assert.deepEqual([...notes].sort(), [...XSS_PAYLOADS].sort(), 'every note shows as the text it is');
  await assertInert(page);
});

hostTest(env, 'payloads in a src .txt file and a src Hashiya JSON file (text, title, notes, ids, labels) show as text', '/src.html', async ({ page }) => {
  const txt = await wText(page, '#t');
  for (const b of SRC_TEXT_BLOCKS) assert.ok(txt.includes(b), `the .txt article shows ${JSON.stringify(b)}`);
  const json = await wText(page, '#j');
  assert.equal(json, SRC_JSON_TEXT, 'the JSON article shows its text');
  await assertInert(page);
  await waitCount(page, '#j', XSS_PAYLOADS.length);
  const p = await wPanel(page, '#j');
  assert.deepEqual(p.items.map((x) => x.note).sort(), [...XSS_PAYLOADS].sort(), 'notes from the file show as text');
  const ids = (await call(page, '#j', 'getAnnotations')).map((a) => a.id);
  assert.ok(ids.includes(BAD_ID), 'an id with markup is kept as data');
  assert.ok(!ids.includes('x-bad-label'), 'the annotation with an unknown (markup) label is skipped');
  const mark = await page.evaluate((id) => {
    const m = [...document.querySelector('#j').shadowRoot.querySelectorAll('mark[data-annotation-id]')].find((x) => x.dataset.annotationId === id);
    return m ? m.textContent : null;
  }, BAD_ID);
  assert.equal(mark, XSS_PAYLOADS[0]);
  // Selecting the highlight with the id full of quotes works (no broken selector).
  await wClickMark(page, '#j', BAD_ID);
  await wWaitSelected(page, '#j', BAD_ID);
  const editorQuote = await page.evaluate(() => document.querySelector('#j').shadowRoot.querySelector('[data-role="editor"] textarea[data-role="note"]')?.value ?? null);
  assert.equal(editorQuote, XSS_PAYLOADS[0], 'the editor shows the note as text');
  await assertInert(page);
});

hostTest(env, 'payloads as notes through the API and typed into the editor show as text and export unchanged', '/notes.html', async ({ page }) => {
  const spans = wordSpans(XSS_PAYLOADS.length);
  for (const [i, p] of XSS_PAYLOADS.entries()) {
    const a = await call(page, '#n', 'addAnnotation', { start: spans[i].start, end: spans[i].end, label: 'place', note: p });
    assert.equal(a.note, p);
  }
  await waitCount(page, '#n', XSS_PAYLOADS.length);
  assert.deepEqual((await wPanel(page, '#n')).items.map((x) => x.note).sort(), [...XSS_PAYLOADS].sort());

  const first = (await call(page, '#n', 'getAnnotations'))[0];
  await wClickMark(page, '#n', first.id);
  await wWaitSelected(page, '#n', first.id);
  const editor = `hashiya-annotator#n aside [data-role="editor"][data-annotation-id="${first.id}"]`;
  assert.equal(await page.locator(`${editor} textarea[data-role="note"]`).inputValue(), first.note);
  const typed = XSS_PAYLOADS.slice(3, 8).join(' ');
  await page.locator(`${editor} textarea[data-role="note"]`).fill(typed);
  await page.locator(`${editor} button[data-action="save-note"]`).click();
  await poll(page, ([id, t]) => document.querySelector('#n').shadowRoot.querySelector(`li[data-annotation-id="${CSS.escape(id)}"] .note`)?.textContent === t, [first.id, typed]);
  const [upd] = await waitEvents(page, 'hashiya-update', 'n');
  assert.equal(upd.detail.note, typed);

  const exported = JSON.parse(await call(page, '#n', 'exportJson')).documents[0].annotations;
  assert.deepEqual(exported.map((a) => a.note).sort(), [typed, ...XSS_PAYLOADS.filter((p) => p !== first.note)].sort());
  await assertInert(page);
});

hostTest(env, 'payloads in imported JSON, JSONL and W3C (notes, ids, labels, error messages) never run', '/notes.html', async ({ page }) => {
  // One word per payload: 6 + the markup label in Hashiya JSON, 4 in JSONL, the other 22 in W3C.
  const spans = wordSpans(XSS_PAYLOADS.length + 1, 40);
  const hashiya = JSON.stringify({
    format: 'hashiya',
    version: 1,
    documents: [
      {
        doc_id: 'xss-notes',
        title: BAD_LABEL,
        text: NOTES_TEXT,
        annotations: [
          ...XSS_PAYLOADS.slice(0, 6).map((p, i) => ({ id: i === 0 ? BAD_ID : `imp-${i}`, label: 'person', start: spans[i].start, end: spans[i].end, note: p })),
          { id: 'imp-bad', label: BAD_LABEL, start: spans[6].start, end: spans[6].end, note: null },
        ],
      },
    ],
  });
  const r1 = await call(page, '#n', 'importJson', hashiya);
  assert.equal(r1.added, 6);
  assert.deepEqual(r1.unknown_labels, { [BAD_LABEL]: 1 }, 'the markup label is reported as data');
  await waitCount(page, '#n', 6);

  const jsonl = JSON.stringify({ text: NOTES_TEXT, spans: XSS_PAYLOADS.slice(6, 10).map((p, i) => ({ start: spans[7 + i].start, end: spans[7 + i].end, label: 'claim', note: p, id: `jl-${i}` })) });
  assert.equal((await call(page, '#n', 'importJson', jsonl)).added, 4);
  // W3C: every other payload, on words not tagged yet; the first id carries markup too
  // (not BAD_ID, which the Hashiya JSON import above already used: merging would skip it).
  const w3c = JSON.stringify({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    type: 'AnnotationPage',
    items: XSS_PAYLOADS.slice(10).map((p, i) => {
      const s = spans[11 + i];
      return {
        '@context': 'http://www.w3.org/ns/anno.jsonld',
        type: 'Annotation',
        id: 'urn:x-hashiya:annotation:' + (i === 0 ? BAD_LABEL : `w3c-${i}`),
        body: [
          { type: 'TextualBody', purpose: 'tagging', value: 'place' },
          { type: 'TextualBody', purpose: 'commenting', value: p },
        ],
        target: { source: 'urn:x-hashiya:doc:xss-notes', selector: [{ type: 'TextQuoteSelector', exact: s.quote }, { type: 'TextPositionSelector', start: s.start, end: s.end }] },
      };
    }),
  });
  const r3 = await call(page, '#n', 'importJson', w3c);
  assert.deepEqual(r3, { format: 'W3C Web Annotation', added: XSS_PAYLOADS.length - 10, duplicates: 0, other_articles: 0, unknown_labels: {}, skipped_relations: {} }, 'the W3C import adds every annotation');
  await waitCount(page, '#n', XSS_PAYLOADS.length);
  const imported = await call(page, '#n', 'getAnnotations');
  assert.ok(imported.some((a) => a.id === BAD_LABEL), 'a W3C id with markup is kept as data');
  const notes = (await wPanel(page, '#n')).items.map((x) => x.note).filter(Boolean);
  assert.deepEqual([...notes].sort(), [...XSS_PAYLOADS].sort(), 'every imported note shows as text');

  // Refused imports whose messages carry markup.
  const refused = [
    JSON.stringify({ format: 'hashiya', version: 1, documents: [{ doc_id: BAD_ID, text: NOTES_TEXT, annotations: [{ id: BAD_ID, label: 'person', start: 0, end: 999999 }] }] }),
    JSON.stringify({ text: NOTES_TEXT, spans: [{ start: BAD_LABEL, end: 4, label: 'person' }] }),
    BAD_LABEL,
    `{"format":"${BAD_LABEL.replace(/"/g, '\\"')}"}`,
  ];
  const before = await call(page, '#n', 'getAnnotations');
  for (const text of refused) {
    const r = await api(page, '#n', 'importJson', text);
    assert.equal(r.ok, false, `refused: ${text.slice(0, 80)}`);
    assert.equal(r.isError, true);
  }
  assert.deepEqual(await call(page, '#n', 'getAnnotations'), before, 'refused imports changed nothing');
  await assertInert(page);
});

hostTest(env, 'payloads in labels, label-colors, doc-id, ui-lang and lang attributes never run; valid labels still work', '/attrs.html', async ({ page }) => {
  const labels = await page.evaluate(() => [...document.querySelector('#l').shadowRoot.querySelectorAll('.toolbar button[data-label]')].map((b) => [b.dataset.label, b.textContent]));
  assert.ok(labels.some(([id]) => id === 'person'), `the person button is there: ${JSON.stringify(labels)}`);
  assert.ok(labels.some(([id]) => id === 'place'), 'the place button is there');
  const docId = await page.evaluate(() => document.querySelector('#l').shadowRoot.querySelector('article[data-doc-id]').dataset.docId);
  assert.equal(docId, BAD_ID, 'doc-id is kept as data');
  const errs = await events(page, { type: 'hashiya-error' });
  for (const e of errs) assert.equal(typeof e.detail.message, 'string');
  await wSelect(page, '#l', 'جون كيري');
  await page.keyboard.press('1');
  await waitCount(page, '#l', 1);
  await poll(page, (k) => JSON.parse(localStorage.getItem(k) ?? '{"annotations":[]}').annotations.length === 1, 'hashiya:v1:doc:' + BAD_ID).catch(() => {
    throw new Error('the annotation is stored under the namespaced key hashiya:v1:doc:<doc-id>, as data');
  });
  await assertInert(page);
});
