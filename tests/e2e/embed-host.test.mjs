// The embeddable <hashiya-annotator> on host pages: the bundle and its files,
// loading by script tag from another origin (port) and from a sub-path, the
// shadow DOM contract, two independent widgets with their own storage and
// undo, a whole session under a strict CSP, and the two example pages.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { distDir, REPO_ROOT } from './lib/server.mjs';
import { seedArticles, cpSpan, STORAGE_PREFIX } from './lib/app.mjs';
import { useHost, hostTest } from './lib/host/session.mjs';
import { hostPage, widget, blocksHtml, EMBED_FILES, EXAMPLES_DIR } from './lib/host/pages.mjs';
import {
  wText, wBlocks, wMarks, wPanel, waitCount, wAnnotate, wClickText, wClickMark, wWaitSelected, hashiyaStorage, waitStored, focused,
} from './lib/host/widget.mjs';
import { events, waitEvents, clearEvents } from './lib/host/recorder.mjs';
import { api, call } from './lib/host/api.mjs';
import { poll } from './lib/browser.mjs';
import { findRange } from './lib/select.mjs';

const SEED = seedArticles();
const A_BLOCKS = [SEED[0].heading, ...SEED[0].paragraphs.slice(0, 2)];
const B_BLOCKS = [SEED[1].heading, ...SEED[1].paragraphs.slice(0, 2)];
const A_TEXT = A_BLOCKS.join('\n');
const B_TEXT = B_BLOCKS.join('\n');

const env = useHost({
  pages: {
    '/one.html': (c) => hostPage({ script: c.bundle, body: widget({ id: 'w', 'doc-id': 'article-42', lang: 'ar' }, blocksHtml(A_BLOCKS)) }),
    '/two.html': (c) =>
      hostPage({
        script: c.bundle,
        body: [
          '<p id="host-p">Host text before the widgets.</p>',
          widget({ id: 'a', 'doc-id': 'embed-a', lang: 'ar' }, blocksHtml(A_BLOCKS)),
          widget({ id: 'b', 'doc-id': 'embed-b', lang: 'ar' }, blocksHtml(B_BLOCKS)),
        ].join('\n'),
      }),
    '/subpath.html': (c) => hostPage({ script: `${c.bundleBase}cdn/v1/hashiya/hashiya.js`, body: widget({ id: 'w', 'doc-id': 'sub' }, blocksHtml(A_BLOCKS)) }),
    '/csp.html': (c) =>
      hostPage({
        script: c.bundle,
        body: [
          widget({ id: 'a', 'doc-id': 'csp-a' }, blocksHtml(A_BLOCKS)),
          widget(
            { id: 'b', 'doc-id': 'csp-b', labels: 'person,place,claim,organisation', 'label-colors': 'organisation:#cde7ff', 'ui-lang': 'en' },
            blocksHtml(B_BLOCKS),
          ),
        ].join('\n'),
      }),
  },
  hostMounts: { '/examples/': EXAMPLES_DIR, '/dist/': distDir() },
  bundleMounts: { '/cdn/v1/hashiya/': path.join(distDir(), 'embed') },
});

const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

test('the build puts the embed bundle in dist/embed with stable names', (t) => {
  const dir = path.join(distDir(), 'embed');
  const sizes = {};
  for (const f of EMBED_FILES) {
    const file = path.join(dir, f);
    assert.ok(fs.existsSync(file), `dist/embed/${f} exists`);
    const buf = fs.readFileSync(file);
    assert.ok(buf.length > 0, `dist/embed/${f} is not empty`);
    sizes[f] = { raw: buf.length, gzip: gz(buf) };
  }
  assert.equal(
    fs.readFileSync(path.join(dir, 'hashiya.d.ts'), 'utf8'),
    fs.readFileSync(path.join(REPO_ROOT, 'embed', 'hashiya.d.ts'), 'utf8'),
    'dist/embed/hashiya.d.ts is the declaration file of embed/',
  );
  const wasm = fs.readFileSync(path.join(dir, 'hashiya_bg.wasm'));
  assert.deepEqual([...wasm.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], 'hashiya_bg.wasm is WebAssembly');
  // The hand-written loader and the generated glue never evaluate strings or parse HTML.
  const loader = fs.readFileSync(path.join(dir, 'hashiya.js'), 'utf8');
  for (const bad of [/\beval\s*\(/, /new\s+Function\s*\(/, /innerHTML/, /outerHTML/, /insertAdjacentHTML/, /document\.write/, /setTimeout\s*\(\s*['"`]/]) {
    assert.doesNotMatch(loader, bad, `hashiya.js uses ${bad}`);
  }
  assert.match(loader, /customElements\.define\(\s*['"]hashiya-annotator['"]/, 'hashiya.js defines <hashiya-annotator>');
  assert.match(loader, /import\.meta\.url/, 'hashiya.js finds its files relative to its own URL');
  const glue = fs.readFileSync(path.join(dir, 'hashiya_core.js'), 'utf8');
  for (const bad of [/\beval\s*\(/, /new\s+Function\s*\(/]) assert.doesNotMatch(glue, bad, `hashiya_core.js uses ${bad}`);
  const total = Object.values(sizes).reduce((s, x) => ({ raw: s.raw + x.raw, gzip: s.gzip + x.gzip }), { raw: 0, gzip: 0 });
  t.diagnostic(`embed bundle sizes (bytes, raw / gzip -9): ${JSON.stringify(sizes)}; total ${total.raw} / ${total.gzip}`);
});

hostTest(env, 'a host page on another port loads the bundle by script tag; the shadow DOM follows the contract', '/one.html', async (h) => {
  const { page } = h;
  const bundleOrigin = env.bundleServer.origin;
  const pageOrigin = await page.evaluate(() => location.origin);
  assert.notEqual(pageOrigin, bundleOrigin, 'host page and bundle are on different origins');
  assert.notEqual(new URL(pageOrigin).port, new URL(bundleOrigin).port);

  // Every bundle file came from the bundle's origin, none from the host.
  const fromBundle = h.requests.filter((r) => r.url.startsWith(bundleOrigin + '/embed/'));
  for (const f of ['hashiya.js', 'hashiya_core.js', 'hashiya_bg.wasm', 'hashiya.css']) {
    const r = fromBundle.find((x) => new URL(x.url).pathname === `/embed/${f}`);
    assert.ok(r, `${f} was loaded from ${bundleOrigin}/embed/ (requests: ${JSON.stringify(h.requests.map((x) => x.url))})`);
    assert.equal(r.status, 200, `${f} status`);
  }
  const strays = env.hostServer.log.filter((r) => /hashiya/.test(r.path));
  assert.deepEqual(strays, [], 'nothing of the bundle was asked from the host origin');

  const shape = await page.evaluate(() => {
    const el = document.querySelector('#w');
    const root = el.shadowRoot;
    const w = root.querySelector('div.hashiya.widget[part~="root"]');
    const art = root.querySelector('section.doc > article[data-doc-id]');
    const link = root.querySelector('link[rel="stylesheet"]');
    const childRects = [...el.children].map((c) => c.getClientRects().length);
    return {
      defined: customElements.get('hashiya-annotator') === el.constructor,
      mode: root.mode,
      readyIsPromise: el.ready instanceof Promise,
      link: link && { href: link.href, loaded: !!link.sheet },
      root: w && { ready: w.dataset.ready, dir: w.getAttribute('dir'), lang: w.getAttribute('lang'), direction: getComputedStyle(w).direction },
      toolbar: root.querySelector('.toolbar[role="toolbar"]') ? true : false,
      labels: [...root.querySelectorAll('.toolbar[role="toolbar"] button[data-label]')].map((b) => b.dataset.label),
      actions: [...root.querySelectorAll('.toolbar[role="toolbar"] button[data-action]')].map((b) => b.dataset.action),
      notices: !!root.querySelector('.notices'),
      article: art && {
        docId: art.dataset.docId,
        tabindex: art.getAttribute('tabindex'),
        dir: art.getAttribute('dir'),
        lang: art.getAttribute('lang'),
        direction: getComputedStyle(art).direction,
      },
      panel: !!root.querySelector('aside[data-panel-for="article-42"]'),
      opener: root.querySelectorAll('[data-action="paste-article"], [data-action="open-file"], [data-action="import"], [data-role="import-panel"]').length,
      childRects,
    };
  });
  assert.ok(shape.defined, 'the element is defined by the bundle');
  assert.equal(shape.mode, 'open');
  assert.ok(shape.readyIsPromise, 'el.ready is a Promise');
  assert.ok(shape.link, 'the shadow root links its stylesheet');
  assert.ok(shape.link.href.startsWith(bundleOrigin + '/embed/hashiya.css'), `stylesheet from the bundle: ${shape.link.href}`);
  assert.ok(shape.link.loaded, 'the stylesheet loaded');
  assert.deepEqual(shape.root, { ready: 'true', dir: 'rtl', lang: 'ar', direction: 'rtl' });
  assert.ok(shape.toolbar);
  assert.deepEqual(shape.labels, ['person', 'place', 'claim']);
  for (const a of ['undo', 'redo', 'export-json', 'export-w3c', 'export-jsonl', 'copy-json']) assert.ok(shape.actions.includes(a), `toolbar action ${a}`);
  assert.ok(shape.notices, '.notices');
  assert.deepEqual(shape.article, { docId: 'article-42', tabindex: '0', dir: 'rtl', lang: 'ar', direction: 'rtl' });
  assert.ok(shape.panel, 'aside[data-panel-for="article-42"]');
  assert.equal(shape.opener, 0, 'no article opener or importer in the widget');
  assert.ok(shape.childRects.every((n) => n === 0), 'the light-DOM children are not rendered themselves (the widget shows their text)');

  const blocks = await wBlocks(page, '#w');
  assert.deepEqual(blocks.map((b) => b.tag), ['h2', 'p', 'p']);
  assert.deepEqual(blocks.map((b) => b.text), A_BLOCKS);

  const ready = await events(page, { type: 'hashiya-ready' });
  assert.equal(ready.length, 1, 'one hashiya-ready');
  assert.deepEqual(
    { host: ready[0].host, bubbles: ready[0].bubbles, composed: ready[0].composed, detail: ready[0].detail },
    { host: 'w', bubbles: true, composed: true, detail: { doc_id: 'article-42', annotations: 0 } },
  );

  const doc = JSON.parse(await call(page, '#w', 'exportJson')).documents[0];
  assert.equal(doc.doc_id, 'article-42');
  assert.equal(doc.text, A_TEXT, 'the article text is the children\'s blocks joined by "\\n"');
  assert.equal(doc.lang, 'ar');
  assert.equal(doc.dir, 'rtl');

  // It works: a real selection and key 1.
  const id = await wAnnotate(page, '#w', 'جون كيري', '1');
  const [create] = await waitEvents(page, 'hashiya-create', 'w');
  assert.equal(create.detail.id, id);
  assert.equal(create.detail.label, 'person');
  assert.equal(create.detail.quote, 'جون كيري');
  assert.deepEqual({ start: create.detail.start, end: create.detail.end }, cpSpan(A_TEXT, 'جون كيري'));
});

hostTest(env, 'the bundle finds its wasm and stylesheet relative to its own URL (served under /cdn/v1/hashiya/)', '/subpath.html', async (h) => {
  const { page } = h;
  const base = env.bundleServer.origin + '/cdn/v1/hashiya/';
  for (const f of ['hashiya.js', 'hashiya_core.js', 'hashiya_bg.wasm', 'hashiya.css']) {
    const r = h.requests.find((x) => x.url === base + f);
    assert.ok(r && r.status === 200, `${base}${f} loaded (requests: ${JSON.stringify(h.requests.map((x) => `${x.status} ${x.url}`))})`);
  }
  const elsewhere = h.requests.filter((r) => /hashiya/.test(r.url) && !r.url.startsWith(base));
  assert.deepEqual(elsewhere, [], 'no bundle file was asked anywhere else (e.g. /embed/ or the host)');
  const href = await page.evaluate(() => document.querySelector('#w').shadowRoot.querySelector('link[rel="stylesheet"]').href);
  assert.equal(href.split('?')[0], base + 'hashiya.css');
  const a = await call(page, '#w', 'addAnnotation', { ...cpSpan(A_TEXT, 'موسكو'), label: 'place' });
  assert.equal(a.quote, 'موسكو');
  await waitCount(page, '#w', 1);
});

hostTest(env, 'two widgets annotate independently with mouse and keys, keep their own storage and undo, and come back after a reload', '/two.html', async (h) => {
  const { page } = h;
  await page.evaluate(() => {
    localStorage.setItem('article-42', 'host value');
    localStorage.setItem('embed-a', 'host value too');
  });

  const a1 = await wAnnotate(page, '#a', 'جون كيري', '1');
  assert.deepEqual(await focused(page), { host: 'a', tag: 'article', docId: 'embed-a' }, 'a drag focuses the article of that widget');
  const a2 = await wAnnotate(page, '#a', 'موسكو', '2');
  const b1 = await wAnnotate(page, '#b', 'روسيا', '2');
  assert.equal((await focused(page)).host, 'b');
  const b2 = await wAnnotate(page, '#b', 'بشار الأسد', '1');

  const view = async (host) => (await wMarks(page, host)).map((m) => `${m.label}:${m.text}`).sort();
  assert.deepEqual(await view('#a'), ['person:جون كيري', 'place:موسكو']);
  assert.deepEqual(await view('#b'), ['person:بشار الأسد', 'place:روسيا']);
  assert.deepEqual((await wPanel(page, '#a')).items.map((i) => i.id).sort(), [a1, a2].sort());
  assert.deepEqual((await wPanel(page, '#b')).items.map((i) => i.id).sort(), [b1, b2].sort());

  const creates = await events(page, { type: 'hashiya-create' });
  assert.deepEqual(creates.map((e) => [e.host, e.detail.id]), [['a', a1], ['a', a2], ['b', b1], ['b', b2]], 'one create event per tag, from its own widget');

  let recA = await waitStored(page, 'embed-a', 2);
  let recB = await waitStored(page, 'embed-b', 2);
  assert.deepEqual(recA.annotations.map((x) => x.quote).sort(), ['جون كيري', 'موسكو'].sort());
  assert.deepEqual(recB.annotations.map((x) => x.quote).sort(), ['بشار الأسد', 'روسيا'].sort());
  assert.equal(recA.doc_id, 'embed-a');

  // Undo in A (focused by a click on its plain text) leaves B alone, and the other way round.
  const plainA = findRange(await wText(page, '#a'), 'الخميس');
  await wClickText(page, '#a', plainA.start, plainA.end);
  assert.equal((await focused(page)).host, 'a');
  await clearEvents(page);
  await page.keyboard.press('Control+z');
  await waitCount(page, '#a', 1);
  await waitCount(page, '#b', 2);
  const [del] = await waitEvents(page, 'hashiya-delete', 'a');
  assert.equal(del.detail.id, a2, 'undo of the last create in A deletes it');
  assert.equal((await events(page, { host: 'b' })).length, 0, 'no event from B');

  const plainB = findRange(await wText(page, '#b'), 'الأربعاء');
  await wClickText(page, '#b', plainB.start, plainB.end);
  await page.keyboard.press('Control+z');
  await waitCount(page, '#b', 1);
  await waitCount(page, '#a', 1);
  await page.keyboard.press('Control+Shift+z');
  await waitCount(page, '#b', 2);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+y');
  await waitCount(page, '#b', 2);
  assert.deepEqual(await view('#a'), ['person:جون كيري'], 'A is as its own undo left it');

  recA = await waitStored(page, 'embed-a', 1);
  recB = await waitStored(page, 'embed-b', 2);
  const stored = await hashiyaStorage(page);
  assert.deepEqual(Object.keys(stored).filter((k) => k.startsWith(STORAGE_PREFIX)).sort(), [STORAGE_PREFIX + 'embed-a', STORAGE_PREFIX + 'embed-b']);
  assert.deepEqual(
    await page.evaluate(() => [localStorage.getItem('article-42'), localStorage.getItem('embed-a')]),
    ['host value', 'host value too'],
    "the host's own keys are neither read nor clobbered",
  );

  const beforeA = await call(page, '#a', 'getAnnotations');
  const beforeB = await call(page, '#b', 'getAnnotations');
  await h.reload();
  await waitCount(page, '#a', 1);
  await waitCount(page, '#b', 2);
  assert.deepEqual(await call(page, '#a', 'getAnnotations'), beforeA, 'A restored');
  assert.deepEqual(await call(page, '#b', 'getAnnotations'), beforeB, 'B restored');
  assert.deepEqual(await view('#b'), ['person:بشار الأسد', 'place:روسيا']);
  const ready = await events(page, { type: 'hashiya-ready' });
  assert.deepEqual(ready.map((e) => [e.host, e.detail.doc_id, e.detail.annotations]).sort(), [['a', 'embed-a', 1], ['b', 'embed-b', 2]]);
});

hostTest(env, 'a whole session under the strict CSP header reports no violation', '/csp.html', async (h) => {
  const { page } = h;
  const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
  assert.match(csp, /default-src 'none'/, 'the page really is served with the strict CSP');
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);

  const a1 = await wAnnotate(page, '#a', 'جون كيري', '1');
  await wAnnotate(page, '#a', 'موسكو', '2');
  const org = await wAnnotate(page, '#b', 'واشنطن', '4');
  assert.equal((await wMarks(page, '#b')).find((m) => m.id === org).label, 'organisation');
  await wAnnotate(page, '#b', 'روسيا', '2');

  // Select a highlight, edit its note in the panel's editor, relabel, undo and redo by buttons and keys.
  await wClickMark(page, '#a', a1);
  await wWaitSelected(page, '#a', a1);
  const editor = `hashiya-annotator#a aside [data-role="editor"][data-annotation-id="${a1}"]`;
  await page.locator(`${editor} textarea[data-role="note"]`).fill('ملاحظة تحت سياسة أمان صارمة');
  await page.locator(`${editor} button[data-action="save-note"]`).click();
  await poll(page, (id) => document.querySelector('#a').shadowRoot.querySelector(`li[data-annotation-id="${id}"] .note`)?.textContent.includes('ملاحظة'), a1);
  await page.locator(`${editor} button[data-action="relabel"][data-label="claim"]`).click();
  await poll(page, (id) => document.querySelector('#a').shadowRoot.querySelector(`mark[data-annotation-id="${id}"][data-label="claim"]`), a1);
  await page.locator('hashiya-annotator#a button[data-action="undo"]').click();
  await poll(page, (id) => document.querySelector('#a').shadowRoot.querySelector(`mark[data-annotation-id="${id}"][data-label="person"]`), a1);
  await page.locator('hashiya-annotator#a button[data-action="redo"]').click();
  await poll(page, (id) => document.querySelector('#a').shadowRoot.querySelector(`mark[data-annotation-id="${id}"][data-label="claim"]`), a1);
  await wClickMark(page, '#b', org);
  await wWaitSelected(page, '#b', org);
  await page.keyboard.press('Delete');
  await waitCount(page, '#b', 1);
  await page.keyboard.press('Control+z');
  await waitCount(page, '#b', 2);

  // The API, every method.
  const json = await call(page, '#a', 'exportJson');
  await call(page, '#a', 'exportW3c');
  await call(page, '#a', 'exportJsonl');
  await call(page, '#a', 'clear');
  await waitCount(page, '#a', 0);
  const res = await call(page, '#a', 'importJson', json);
  assert.equal(res.added, 2);
  await waitCount(page, '#a', 2);
  const added = await call(page, '#b', 'addAnnotation', { ...cpSpan(B_TEXT, 'محمد جواد ظريف'), label: 'person', note: 'API' });
  assert.equal(await call(page, '#b', 'removeAnnotation', added.id), true);
  await call(page, '#b', 'undo');
  await call(page, '#b', 'redo');
  await call(page, '#b', 'setAnnotations', (await call(page, '#b', 'getAnnotations')).slice(0, 1));
  await waitCount(page, '#b', 1);
  assert.equal((await api(page, '#b', 'addAnnotation', { start: 5, end: 2, label: 'person' })).ok, false);

  // Switching attributes re-renders under the same policy.
  await page.evaluate(() => document.querySelector('#b').setAttribute('ui-lang', 'ar'));
  await page.evaluate(() => document.querySelector('#a').setAttribute('readonly', ''));
  await poll(page, () => document.querySelector('#a').shadowRoot.querySelectorAll('button[data-label]').length === 0);

  // Give late reports (stylesheets, wasm) a moment to arrive.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  assert.deepEqual(await h.cspViolations(), [], 'no securitypolicyviolation event and no CSP console message');
  const inline = await page.evaluate(() => document.querySelectorAll('style, script:not([src])').length);
  assert.equal(inline, 0, 'the widget added no inline <style> or <script> to the host document');
});

// ---------------------------------------------------------------------------
// The example pages, served as the repository root would be (their own <meta> CSP).

hostTest(env, 'examples/hostile-csp.html: both articles work under its hostile CSS and meta CSP', '/examples/hostile-csp.html', async (h) => {
  const { page } = h;
  const hostile = await page.evaluate(() => {
    const m = getComputedStyle(document.querySelector('#host-mark'));
    const p = getComputedStyle(document.querySelector('#host-between'));
    return { markDisplay: m.display, markPadding: m.paddingTop, pSize: p.fontSize, pDir: p.direction };
  });
  assert.deepEqual(hostile, { markDisplay: 'block', markPadding: '20px', pSize: '8px', pDir: 'ltr' }, 'the hostile stylesheet is active on the host page');

  for (const host of ['#kerry-moscow', '#kerry-warns']) {
    const inside = await page.evaluate((host) => {
      const root = document.querySelector(host).shadowRoot;
      const p = root.querySelector('article p[data-block]');
      const s = getComputedStyle(p);
      return { dir: s.direction, size: parseFloat(s.fontSize), family: s.fontFamily, blocks: root.querySelectorAll('article [data-block]').length };
    }, host);
    assert.equal(inside.dir, 'rtl', `${host}: paragraphs stay right-to-left`);
    assert.ok(inside.size >= 16, `${host}: paragraph font size ${inside.size}px, not the host's 8px`);
    assert.doesNotMatch(inside.family, /^monospace$/, `${host}: font family is the widget's`);
    assert.equal(inside.blocks, 3, `${host}: heading and two paragraphs`);
  }
  const id = await wAnnotate(page, '#kerry-warns', 'محمد جواد ظريف', '1');
  const m = await page.evaluate((id) => {
    const mark = document.querySelector('#kerry-warns').shadowRoot.querySelector(`mark[data-annotation-id="${id}"]`);
    const s = getComputedStyle(mark);
    return { display: s.display, padding: s.paddingTop, label: mark.dataset.label };
  }, id);
  assert.deepEqual(m, { display: 'inline', padding: '0px', label: 'person' }, 'the highlight is an inline mark without padding');
  await wAnnotate(page, '#kerry-moscow', 'موسكو', '2');
  await waitStored(page, 'example-kerry-warns-russia', 1);
  await waitStored(page, 'example-kerry-moscow-visit', 1);
  await h.reload();
  await waitCount(page, '#kerry-warns', 1);
  await waitCount(page, '#kerry-moscow', 1);
  assert.deepEqual(await h.cspViolations(), [], 'no CSP violation under the example page\'s policy');
});

hostTest(env, 'examples/events.html logs every event and its buttons call the API', '/examples/events.html', async (h) => {
  const { page } = h;
  const logged = (type) => page.locator(`#log li[data-event="${type}"]`);
  await logged('hashiya-ready').first().waitFor();
  assert.match(await logged('hashiya-ready').first().textContent(), /example-events/);

  await page.click('button[data-api="add-person"]');
  await logged('hashiya-create').first().waitFor();
  assert.match(await logged('hashiya-create').first().textContent(), /جون كيري/);
  await logged('hashiya-change').first().waitFor();
  assert.match(await page.textContent('#output'), /"label": "person"/);
  await waitCount(page, '#annotator', 1);

  const id = await wAnnotate(page, '#annotator', 'روسيا', '2');
  await poll(page, () => document.querySelectorAll('#log li[data-event="hashiya-create"]').length === 2);
  assert.match(await logged('hashiya-create').nth(1).textContent(), new RegExp(id));

  await page.click('button[data-api="undo"]');
  await logged('hashiya-delete').first().waitFor();
  assert.match(await logged('hashiya-delete').first().textContent(), /روسيا/);
  await page.click('button[data-api="add-bad"]');
  await poll(page, () => /^Error: ./.test(document.querySelector('#output').textContent));
  await page.click('button[data-api="export-json"]');
  assert.equal(JSON.parse(await page.textContent('#output')).format, 'hashiya');
  await page.click('button[data-api="clear"]');
  await waitCount(page, '#annotator', 0);
  // The log holds text only: the JSON details are not turned into markup.
  assert.equal(await page.locator('#log li *:not(span):not(code)').count(), 0);
  assert.deepEqual(await h.cspViolations(), []);
});
