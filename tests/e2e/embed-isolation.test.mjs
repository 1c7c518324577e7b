// Isolation: highlight geometry inside <hashiya-annotator> is the demo page's
// (same paragraph width, same highlight rectangles relative to their
// paragraph) on a plain host page and under a hostile host stylesheet; and the
// widget's own styles never leak out onto the host page.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApp, saveScreenshot } from './lib/browser.mjs';
import { seedArticles, cpSpan, DOC1, waitForCount, importText, docText } from './lib/app.mjs';
import { useHost, hostTest } from './lib/host/session.mjs';
import { hostPage, widget, blocksHtml, EXAMPLES_DIR } from './lib/host/pages.mjs';
import { waitCount } from './lib/host/widget.mjs';
import { call } from './lib/host/api.mjs';

const SEED = seedArticles();
const TEXT = SEED[0].blocks.join('\n');

// The annotations drawn on both pages (code points into the article text).
const ANNOTATIONS = [
  { needle: 'جون كيري', label: 'person' },
  { needle: 'موسكو', label: 'place' },
  { needle: 'يتوجه وزير الخارجية الأميركي جون كيري الخميس إلى موسكو في زيارة تستغرق يومين', label: 'claim' },
  { needle: 'جون كيربي', label: 'person' },
  { needle: 'الصراع في سورية', label: 'claim' },
  { needle: 'سورية', label: 'place', occurrence: 1 },
  { needle: 'سيرغي لافروف', label: 'person' },
  { needle: 'الاستقرار العالمي والحلول للعديد من الأزمات الدولية أمر يتوقف على العلاقات الجيدة', label: 'claim' },
  { needle: 'موسكو وواشنطن', label: 'place' },
].map(({ needle, label, occurrence = 0 }) => ({ ...cpSpan(TEXT, needle, { occurrence }), label, needle }));
const BLOCKS_MEASURED = [0, 1, 2, 4];

// More hostility than examples/hostile.css: inherited properties that would
// reach into a shadow tree through the host element unless reset there.
const EXTRA_HOSTILE = `
* {
  -webkit-text-security: disc !important;
  font-variant: small-caps !important;
  font-stretch: condensed !important;
  font-synthesis: none !important;
  font-size-adjust: 0.3 !important;
  font-optical-sizing: none !important;
  text-align-last: right !important;
  overflow-wrap: anywhere !important;
  line-break: anywhere !important;
  hyphens: auto !important;
  tab-size: 40 !important;
  -webkit-text-stroke: 2px red !important;
  text-shadow: 0 0 3px red !important;
  text-underline-position: under !important;
  text-decoration: underline wavy red 4px !important;
  cursor: wait !important;
  quotes: "<<" ">>" !important;
  box-sizing: content-box !important;
}
p::before, p::after, mark::before, mark::after, h2::before { content: "XX" !important; padding: 9px !important; }
mark, p, article, section, aside, h2 { contain: none !important; content-visibility: visible !important; }
`;

const env = useHost({
  pages: {
    '/plain.html': (c) => hostPage({ script: c.bundle, body: widget({ id: 'w', 'doc-id': DOC1, lang: 'ar' }, blocksHtml(SEED[0].blocks)) }),
    '/extra-hostile.css': { body: EXTRA_HOSTILE, type: 'text/css; charset=utf-8' },
    '/hostile.html': (c) =>
      hostPage({
        script: c.bundle,
        head: '<link rel="stylesheet" href="/examples/hostile.css">\n<link rel="stylesheet" href="/extra-hostile.css">',
        body: `<p id="hp">host paragraph <mark id="hm">host mark</mark></p>\n` + widget({ id: 'w', 'doc-id': DOC1, lang: 'ar' }, blocksHtml(SEED[0].blocks)),
      }),
    '/quirks.html': (c) =>
      hostPage({
        doctype: false,
        script: c.bundle,
        head: '<link rel="stylesheet" href="/examples/hostile.css">',
        body: widget({ id: 'w', 'doc-id': DOC1, lang: 'ar' }, blocksHtml(SEED[0].blocks)),
      }),
    '/leak.html': (c) => hostPage({ script: c.bundle, body: LEAK_BODY }),
    '/leak-control.html': () => hostPage({ script: null, body: LEAK_BODY }),
  },
  hostMounts: { '/examples/': EXAMPLES_DIR },
});

const LEAK_BODY = `
<h2 id="hh">Host heading</h2>
<p id="hp">A host paragraph with a <mark id="hm">host mark</mark> and a <span id="hspan">span</span>.</p>
<button id="hb" type="button">Host button</button>
<section id="hs"><article id="ha"><p id="hap">Host article paragraph</p></article><aside id="has">Host aside</aside></section>
<div id="hd" class="hashiya widget toolbar panel doc notices notice">A host div with the widget's class names</div>
<textarea id="hta">text</textarea>
<ul id="hul" class="entries"><li id="hli" data-label="person">host list item <span class="label">label</span></li></ul>
${widget({ id: 'w', 'doc-id': 'leak', lang: 'ar' }, blocksHtml([SEED[0].heading, SEED[0].paragraphs[0]]))}
`;

/**
 * Measures paragraphs of an article (in `host`'s shadow root, or in the
 * document when host is null): width, height, typography, and every
 * highlight's rectangles relative to its paragraph, keyed by label and text.
 */
async function measure(page, host, docId, blocks) {
  return page.evaluate(
    async ([host, docId, blocks]) => {
      const root = host ? document.querySelector(host).shadowRoot : document;
      const art = root.querySelector(`article[data-doc-id="${docId}"]`);
      const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const out = {};
      for (const n of blocks) {
        const p = art.querySelector(`[data-block="${n}"]`);
        p.scrollIntoView({ block: 'center' });
        await frames();
        const pr = p.getBoundingClientRect();
        const s = getComputedStyle(p);
        const byId = new Map();
        for (const m of p.querySelectorAll('mark[data-annotation-id]')) {
          const id = m.dataset.annotationId;
          if (!byId.has(id)) byId.set(id, { label: m.dataset.label, text: '', rects: [] });
          const e = byId.get(id);
          for (const r of m.getClientRects()) {
            if (r.width < 0.01) continue;
            e.rects.push({ x: +(r.left - pr.left).toFixed(2), y: +(r.top - pr.top).toFixed(2), w: +r.width.toFixed(2), h: +r.height.toFixed(2) });
          }
        }
        // The full text of each annotation in this paragraph (outer marks only, in order).
        for (const [id, e] of byId) {
          e.text = [...p.querySelectorAll(`mark[data-annotation-id="${CSS.escape(id)}"]`)]
            .filter((m) => !m.parentElement.closest(`mark[data-annotation-id="${CSS.escape(id)}"]`))
            .map((m) => m.textContent)
            .join('');
          e.rects.sort((a, b) => a.y - b.y || a.x - b.x);
        }
        const marks = {};
        for (const e of byId.values()) marks[`${e.label}|${e.text}`] = e.rects;
        const ms = p.querySelector('mark');
        out[n] = {
          tag: p.localName,
          text: p.textContent,
          width: +pr.width.toFixed(2),
          height: +pr.height.toFixed(2),
          font: { size: s.fontSize, lineHeight: s.lineHeight, family: s.fontFamily, direction: s.direction, letterSpacing: s.letterSpacing, wordSpacing: s.wordSpacing, whiteSpace: s.whiteSpace },
          mark: ms ? (() => { const m = getComputedStyle(ms); return { display: m.display, padding: m.padding, margin: m.margin, borderLeft: m.borderLeftWidth, borderRight: m.borderRightWidth }; })() : null,
          marks,
        };
      }
      return out;
    },
    [host, docId, blocks],
  );
}

/** Asserts two measurements agree within half a pixel. */
function assertSameGeometry(got, want, what) {
  for (const n of Object.keys(want)) {
    const g = got[n];
    const w = want[n];
    assert.ok(g, `${what}: block ${n} is shown`);
    assert.equal(g.text, w.text, `${what}: block ${n} has the same text`);
    assert.deepEqual(g.font, w.font, `${what}: block ${n} typography`);
    assert.ok(Math.abs(g.width - w.width) <= 0.5, `${what}: block ${n} width ${g.width}px, demo ${w.width}px`);
    assert.ok(Math.abs(g.height - w.height) <= 0.5, `${what}: block ${n} height ${g.height}px, demo ${w.height}px (same line breaks)`);
    if (w.mark) assert.deepEqual(g.mark, w.mark, `${what}: block ${n} highlight box style`);
    assert.deepEqual(Object.keys(g.marks).sort(), Object.keys(w.marks).sort(), `${what}: block ${n} has the same highlights`);
    for (const [key, rects] of Object.entries(w.marks)) {
      const gr = g.marks[key];
      const close = gr.length === rects.length && gr.every((r, i) => ['x', 'y', 'w', 'h'].every((k) => Math.abs(r[k] - rects[i][k]) <= 0.5));
      assert.ok(close, `${what}: block ${n}, highlight ${key}: rectangles ${JSON.stringify(gr)}, demo ${JSON.stringify(rects)}`);
    }
  }
}

// The demo page (dist/index.html) with the same annotations, imported as
// JSONL into the seed article kerry-moscow-visit. Measured once, on first use
// (not in a before() hook: Node 20 runs top-level before hooks concurrently,
// and this needs useHost's servers).
let DEMO = null;
const demo = () => (DEMO ??= measureDemo());
async function measureDemo() {
  // wide enough that the workspace's list of articles leaves the article its
  // whole column, as wide as the widget's on the host pages
  const app = await openApp(env.browser, env.bundleServer.url, { viewport: { width: 1600, height: 900 } });
  try {
    assert.equal(await docText(app.page, DOC1), TEXT, 'the demo shows the seed article as this test reads it');
    const line = JSON.stringify({ text: TEXT, spans: ANNOTATIONS.map(({ start, end, label }) => ({ start, end, label })) });
    await importText(app.page, line);
    await waitForCount(app.page, DOC1, ANNOTATIONS.length);
    const m = await measure(app.page, null, DOC1, BLOCKS_MEASURED);
    const nMarks = Object.values(m).reduce((s, b) => s + Object.keys(b.marks).length, 0);
    assert.equal(nMarks, ANNOTATIONS.length, 'every annotation is drawn on the demo page');
    assert.ok(Object.values(m[4].marks).some((r) => r.length > 1), 'a highlight of the demo wraps over lines (the test covers multi-line rectangles)');
    return m;
  } catch (e) {
    await saveScreenshot(app.page, 'isolation-demo', 'embed-');
    throw e;
  } finally {
    await app.close();
  }
}

async function annotateWidget(page) {
  const set = await call(page, '#w', 'setAnnotations', ANNOTATIONS.map(({ start, end, label }) => ({ start, end, label })));
  assert.equal(set.count, ANNOTATIONS.length);
  await waitCount(page, '#w', ANNOTATIONS.length);
}

hostTest(env, 'plain host page: the widget draws the demo article with the demo\'s paragraph widths and highlight rectangles', '/plain.html', async ({ page }) => {
  await annotateWidget(page);
  assertSameGeometry(await measure(page, '#w', DOC1, BLOCKS_MEASURED), await demo(), 'plain host');
});

hostTest(env, 'hostile host stylesheet: paragraph widths and highlight rectangles stay identical to the demo page', '/hostile.html', async ({ page }) => {
  // The hostile styles are really in force on the host page.
  const host = await page.evaluate(() => {
    const m = getComputedStyle(document.querySelector('#hm'));
    const p = getComputedStyle(document.querySelector('#hp'));
    return { display: m.display, padding: m.paddingTop, size: p.fontSize, dir: p.direction, family: p.fontFamily, security: p.webkitTextSecurity };
  });
  assert.deepEqual(host, { display: 'block', padding: '20px', size: '8px', dir: 'ltr', family: 'monospace', security: 'disc' });
  await annotateWidget(page);
  const got = await measure(page, '#w', DOC1, BLOCKS_MEASURED);
  assertSameGeometry(got, await demo(), 'hostile host');
  const inside = await page.evaluate(() => {
    const root = document.querySelector('#w').shadowRoot;
    const p = root.querySelector('[data-block="1"]');
    const s = getComputedStyle(p);
    const m = getComputedStyle(root.querySelector('mark'));
    return {
      security: s.webkitTextSecurity,
      transform: s.textTransform,
      ligatures: s.fontVariantLigatures,
      align: s.textAlign,
      indent: s.textIndent,
      before: getComputedStyle(p, '::before').content,
      markBefore: getComputedStyle(root.querySelector('mark'), '::before').content,
      markDecoration: m.textDecorationLine,
      widgetDir: getComputedStyle(root.querySelector('.hashiya.widget')).direction,
      buttonSize: getComputedStyle(root.querySelector('.toolbar button')).fontSize,
    };
  });
  assert.equal(inside.security, 'none', 'no -webkit-text-security inside');
  assert.equal(inside.transform, 'none');
  assert.equal(inside.ligatures, 'normal', 'Arabic ligatures stay on');
  assert.equal(inside.indent, '0px');
  assert.equal(inside.before, 'none', 'host ::before rules do not reach widget paragraphs');
  assert.equal(inside.markBefore, 'none');
  assert.equal(inside.markDecoration, 'none');
  assert.ok(['start', 'right'].includes(inside.align), `paragraph text-align ${inside.align}`);
  assert.notEqual(inside.buttonSize, '8px', 'the toolbar keeps its own size');
});

hostTest(env, 'a legacy host page in quirks mode (no doctype) with the hostile stylesheet: geometry identical to the demo page', '/quirks.html', async ({ page }) => {
  assert.equal(await page.evaluate(() => document.compatMode), 'BackCompat', 'the page really is in quirks mode');
  await annotateWidget(page);
  assertSameGeometry(await measure(page, '#w', DOC1, BLOCKS_MEASURED), await demo(), 'quirks-mode host');
});

test('the widget\'s styles do not leak onto the host page', { timeout: 60_000 }, async () => {
  const styleOf = (page) =>
    page.evaluate(() => {
      const props = [
        'display', 'color', 'backgroundColor', 'fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'marginTop', 'marginBottom',
        'marginLeft', 'paddingTop', 'paddingLeft', 'borderBottomWidth', 'borderBottomStyle', 'borderTopLeftRadius', 'boxShadow', 'cursor', 'direction',
        'outlineStyle', 'textAlign', 'boxSizing', 'maxWidth', 'gap', 'listStyleType', 'position', 'contentVisibility',
      ];
      const out = {};
      for (const sel of ['html', 'body', '#hh', '#hp', '#hm', '#hspan', '#hb', '#hs', '#ha', '#hap', '#has', '#hd', '#hta', '#hul', '#hli', '#hli .label']) {
        const s = getComputedStyle(document.querySelector(sel));
        out[sel] = Object.fromEntries(props.map((p) => [p, s[p]]));
      }
      out['::selection'] = getComputedStyle(document.querySelector('#hp'), '::selection').backgroundColor;
      out.vars = ['--hashiya-person', '--hashiya-font', '--hashiya-bg'].map((v) => getComputedStyle(document.documentElement).getPropertyValue(v));
      out.sheets = document.styleSheets.length;
      out.adopted = document.adoptedStyleSheets.length;
      out.fonts = document.fonts.size;
      return out;
    });
  const ctl = await env.open('/leak-control.html', { wait: false });
  const control = await styleOf(ctl.page);
  await ctl.close();
  const h = await env.open('/leak.html');
  try {
    const withWidget = await styleOf(h.page);
    assert.deepEqual(withWidget, control, 'host elements (including ones with the widget\'s class names) look the same with and without the widget');
    assert.deepEqual(control.vars, ['', '', ''], 'no --hashiya-* properties on the host document');
    const n = await h.page.evaluate(() => document.querySelector('#w').shadowRoot.querySelectorAll('article [data-block]').length);
    assert.equal(n, 2, 'the widget did render');
    h.assertNoPageErrors();
  } finally {
    await h.close();
  }
});
