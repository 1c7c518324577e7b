// The two bundled articles render as right-to-left Arabic text, structured as
// the seed file says, in a typeface and line spacing fit for Arabic.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp, appTest } from './lib/browser.mjs';
import { BUNDLED, DOC1, art, panelSel, seedArticles, showDoc, pasteArticle, docText, importText, waitForCount, cps } from './lib/app.mjs';

const env = useApp();
const SEED = seedArticles();

// Typefaces that carry Arabic glyphs (installed here or common elsewhere).
const ARABIC_FONTS = [
  'noto naskh arabic', 'noto sans arabic', 'noto kufi arabic', 'noto nastaliq urdu', 'amiri',
  'scheherazade', 'scheherazade new', 'lateef', 'markazi text', 'cairo', 'tajawal', 'almarai',
  'ibm plex sans arabic', 'vazirmatn', 'dejavu sans', 'arial', 'tahoma', 'segoe ui', 'geeza pro',
  'traditional arabic', 'simplified arabic', 'arabic typesetting', 'sakkal majalla', 'kacst book',
];
const families = (css) => css.split(',').map((f) => f.trim().replace(/^["']|["']$/g, '').toLowerCase());

test('the seed file holds the two articles these tests expect', () => {
  // Guards the expectations below against a changed seed file. Counted by
  // hand: article 1 has 5 body paragraphs, article 2 has 6.
  assert.equal(SEED.length, 2);
  assert.equal(SEED[0].heading, 'كيري ولافروف خلال لقاء سابق');
  assert.equal(SEED[0].paragraphs.length, 5);
  assert.equal(SEED[1].heading, 'وزير الخارجية الأميركي جون كيري');
  assert.equal(SEED[1].paragraphs.length, 6);
  for (const a of SEED) assert.equal(a.source, 'المصدر: وكالات');
});

appTest(env, 'the page is Arabic and right-to-left', async ({ page }) => {
  const root = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    dir: document.documentElement.getAttribute('dir'),
    direction: getComputedStyle(document.documentElement).direction,
  }));
  assert.deepEqual(root, { lang: 'ar', dir: 'rtl', direction: 'rtl' });
  // the workspace lists both seed articles, in the seed's order, and draws the first
  const ids = await page.$$eval('nav[data-role="documents"] li[data-doc-id]', (lis) => lis.map((li) => li.dataset.docId));
  assert.deepEqual(ids, BUNDLED, 'the list holds the seed articles in order');
  const drawn = await page.$$eval('article[data-doc-id]', (as) => as.map((a) => a.dataset.docId));
  assert.deepEqual(drawn, [BUNDLED[0]], 'one article is drawn: the first');
});

for (const [i, docId] of BUNDLED.entries()) {
  appTest(env, `article ${docId} renders heading once, its paragraphs and the source line`, async ({ page }) => {
    const seed = SEED[i];
    await showDoc(page, docId);
    const info = await page.$eval(art(docId), (a) => {
      const blocks = [...a.querySelectorAll('[data-block]')].filter((b) => b.closest('article') === a);
      return {
        lang: a.getAttribute('lang'),
        dir: a.getAttribute('dir'),
        direction: getComputedStyle(a).direction,
        blocks: blocks.map((b) => ({
          tag: b.tagName.toLowerCase(),
          n: b.dataset.block,
          text: b.textContent,
          cls: b.className,
          direction: getComputedStyle(b).direction,
        })),
        headings: a.querySelectorAll('h2').length,
      };
    });
    assert.equal(info.lang, 'ar');
    assert.equal(info.dir, 'rtl');
    assert.equal(info.direction, 'rtl');

    // heading + body paragraphs + source line, numbered 0..N in order
    const expected = seed.blocks;
    assert.equal(
      info.blocks.length,
      expected.length,
      `blocks: heading + ${seed.paragraphs.length} paragraphs + source; got ${info.blocks.map((b) => b.tag).join(',')}`,
    );
    assert.deepEqual(info.blocks.map((b) => b.n), expected.map((_, k) => String(k)), 'data-block numbering');
    assert.equal(info.blocks[0].tag, 'h2', 'block 0 is the heading');
    assert.equal(info.headings, 1, 'one h2 per article');
    for (const b of info.blocks.slice(1)) assert.equal(b.tag, 'p', `block ${b.n} is a paragraph`);
    const last = info.blocks[info.blocks.length - 1];
    assert.ok(last.cls.split(/\s+/).includes('source'), 'last block has class "source"');
    assert.equal(last.text, 'المصدر: وكالات');
    for (const b of info.blocks) assert.equal(b.direction, 'rtl', `block ${b.n} is laid out right-to-left`);

    // exact text of every block: no extra white space, caption shown once
    assert.deepEqual(info.blocks.map((b) => b.text), expected);
    const captionBlocks = info.blocks.filter((b) => b.text === seed.heading);
    assert.equal(captionBlocks.length, 1, 'the photo caption is shown exactly once');
    const visibleText = await page.$eval(art(docId), (a) => a.innerText);
    const lines = visibleText.split('\n').map((l) => l.trim());
    assert.equal(lines.filter((l) => l === seed.heading).length, 1, 'the caption line appears once on screen');
  });
}

appTest(env, 'paragraph typography suits Arabic: line height >= 1.8 em and an Arabic font', async ({ page }) => {
  for (const docId of BUNDLED) {
    await showDoc(page, docId);
    const styles = await page.$$eval(`${art(docId)} p[data-block]`, (ps) =>
      ps.map((p) => {
        const s = getComputedStyle(p);
        return { n: p.dataset.block, lineHeight: s.lineHeight, fontSize: s.fontSize, fontFamily: s.fontFamily };
      }),
    );
    assert.ok(styles.length > 0);
    for (const s of styles) {
      assert.notEqual(s.lineHeight, 'normal', `block ${s.n} of ${docId}: line-height must be set (got normal)`);
      const lh = parseFloat(s.lineHeight);
      const fs = parseFloat(s.fontSize);
      assert.ok(lh >= 1.8 * fs - 0.01, `block ${s.n} of ${docId}: line-height ${s.lineHeight} < 1.8 x ${s.fontSize}`);
      const fam = families(s.fontFamily);
      assert.ok(
        fam.some((f) => ARABIC_FONTS.includes(f)),
        `block ${s.n} of ${docId}: font-family ${s.fontFamily} names no Arabic-capable font`,
      );
    }
  }

  // The font that actually draws the glyphs (not a silent fallback) is one
  // the stylesheet asked for and one that has Arabic.
  await showDoc(page, BUNDLED[0]);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeId } = await cdp.send('DOM.querySelector', {
    nodeId: root.nodeId,
    selector: `${art(BUNDLED[0])} p[data-block="1"]`,
  });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  const main = [...fonts].sort((a, b) => b.glyphCount - a.glyphCount)[0];
  assert.ok(main, 'some platform font draws the paragraph');
  const declared = families(
    await page.$eval(`${art(BUNDLED[0])} p[data-block="1"]`, (p) => getComputedStyle(p).fontFamily),
  );
  assert.ok(
    declared.includes(main.familyName.toLowerCase()),
    `the paragraph is drawn in "${main.familyName}", which font-family (${declared.join(', ')}) does not name`,
  );
  assert.ok(ARABIC_FONTS.includes(main.familyName.toLowerCase()), `"${main.familyName}" is an Arabic-capable font`);
});

// A long article is drawn in chunk boxes that the browser skips while they
// are off screen, sized by an estimate until then. Between the phone layout
// (640 px) and the two-column one (960 px) the article's column is as wide
// as its narrowest content: an estimate given as a width too (as a single
// contain-intrinsic-size is) pushed the article past the screen's edge.
appTest(env, 'a long article fits a 700 px wide page: nothing scrolls sideways', { viewport: { width: 700, height: 900 } }, async ({ page }) => {
  const sentence = 'وقال وزير الخارجية الأميركي جون كيري إن المحادثات في موسكو كانت صريحة ومفيدة، وإن البلدين سيواصلان العمل معًا. ';
  const text = ['مقال طويل للاختبار', ...Array.from({ length: 200 }, (_, i) => `${i + 1}. ${sentence.repeat(4)}`)].join('\n\n');
  const id = await pasteArticle(page, text);
  await showDoc(page, id);
  await page.waitForFunction(
    (sel) => {
      const a = document.querySelector(sel);
      return a && a.querySelectorAll('[data-block]').length > 200 && !a.querySelector('.pending');
    },
    art(id),
    { timeout: 20_000 },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const m = await page.evaluate((sel) => {
    const a = document.querySelector(sel);
    const r = a.getBoundingClientRect();
    const chunks = [...a.querySelectorAll('.chunk')];
    // the chunks the browser skips are the ones whose estimate is in use
    const below = chunks.filter((c) => c.getBoundingClientRect().top > innerHeight * 2).length;
    return { left: r.left, right: r.right, page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth, chunks: chunks.length, below };
  }, art(id));
  assert.ok(m.chunks > 20 && m.below > 10, `the article is long, in chunks far below the screen (${m.chunks} chunks, ${m.below} far below)`);
  assert.ok(m.page <= m.view, `the page is ${m.page} px wide in a ${m.view} px window`);
  assert.ok(m.left >= 0 && m.right <= m.view, `the article spans ${Math.round(m.left)}–${Math.round(m.right)} px of ${m.view}`);
});

appTest(env, 'a long list of annotations fits the panel: nothing in it scrolls sideways', async ({ page }) => {
  // every longer word of the first article, imported at once
  const text = await docText(page, DOC1);
  const cp = (u) => cps(text.slice(0, u)).length;
  const words = [...text.matchAll(/[\u0621-\u064a]{4,}/g)].slice(0, 120);
  await importText(page, JSON.stringify({ text, label: words.map((m) => [cp(m.index), cp(m.index + m[0].length), 'PER']) }));
  await waitForCount(page, DOC1, words.length);
  const m = await page.evaluate((sel) => {
    const p = document.querySelector(sel);
    return { scroll: p.scrollWidth, client: p.clientWidth, entries: p.querySelectorAll('ol.entries > li').length };
  }, panelSel(DOC1));
  assert.ok(m.entries >= 100, `the panel lists ${m.entries} entries`);
  assert.ok(m.scroll <= m.client, `the panel's content is ${m.scroll} px wide in ${m.client} px: it scrolls sideways`);
});
