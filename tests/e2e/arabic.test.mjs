// Highlights must not change how Arabic is laid out: letters stay joined
// across a mark boundary inside a word (so widths do not change) and words
// keep their visual order (ENGINEERING.md: "Measured facts about Arabic").

import assert from 'node:assert/strict';
import { useApp, appTest } from './lib/browser.mjs';
import { ensureHelpers } from './lib/select.mjs';
import {
  DOC1, art, annotate, marks, panelSel, markPoint, clickAt, waitForSelected, docText,
} from './lib/app.mjs';

const env = useApp();
const TOLERANCE = 0.5;

/**
 * Geometry of one block's text: each line's horizontal extent and each word's
 * extent, from Ranges over the text (a block element fills its width, so its
 * own box says nothing about the text).
 */
async function layout(page, docId, block) {
  await ensureHelpers(page);
  return page.evaluate(
    async ([docId, block]) => {
      const h = window.__hashiyaE2E;
      const el = h.blocksOf(docId)[block];
      await h.settleInView(el);
      const text = el.textContent;
      const round = (x) => Math.round(x * 100) / 100;
      const box = el.getBoundingClientRect();
      const rel = (x) => round(x - box.left);
      const relY = (y) => round(y - box.top);
      // lines: group the rects of the whole text by their vertical middle
      const rects = [...h.blockRange(el, 0, text.length).getClientRects()].filter((r) => r.width > 0);
      const lines = [];
      for (const r of rects) {
        const mid = (r.top + r.bottom) / 2;
        let line = lines.find((l) => Math.abs(l.mid - mid) < r.height / 2);
        if (!line) lines.push((line = { mid, left: r.left, right: r.right, sum: 0 }));
        line.left = Math.min(line.left, r.left);
        line.right = Math.max(line.right, r.right);
      }
      lines.sort((a, b) => a.mid - b.mid);
      const words = [];
      const re = /\S+/g;
      let m;
      while ((m = re.exec(text))) {
        const rs = [...h.blockRange(el, m.index, m.index + m[0].length).getClientRects()].filter((r) => r.width > 0);
        words.push({
          word: m[0],
          left: rel(Math.min(...rs.map((r) => r.left))),
          right: rel(Math.max(...rs.map((r) => r.right))),
          top: relY(Math.min(...rs.map((r) => r.top))),
        });
      }
      return {
        height: round(box.height),
        lines: lines.map((l) => ({ left: rel(l.left), right: rel(l.right), y: relY(l.mid) })),
        total: round(lines.reduce((s, l) => s + (l.right - l.left), 0)),
        words,
      };
    },
    [docId, block],
  );
}

function assertSameLayout(before, after, what) {
  assert.equal(after.lines.length, before.lines.length, `${what}: number of lines`);
  assert.ok(Math.abs(after.total - before.total) <= TOLERANCE, `${what}: total text width ${before.total} -> ${after.total}`);
  assert.ok(Math.abs(after.height - before.height) <= TOLERANCE, `${what}: block height ${before.height} -> ${after.height}`);
  for (const [i, l] of before.lines.entries()) {
    const a = after.lines[i];
    assert.ok(
      Math.abs(a.left - l.left) <= TOLERANCE && Math.abs(a.right - l.right) <= TOLERANCE,
      `${what}: line ${i} spans ${l.left}..${l.right} before, ${a.left}..${a.right} after`,
    );
  }
  assert.equal(after.words.length, before.words.length);
  for (const [i, w] of before.words.entries()) {
    const a = after.words[i];
    assert.equal(a.word, w.word);
    assert.ok(
      Math.abs(a.left - w.left) <= TOLERANCE && Math.abs(a.right - w.right) <= TOLERANCE && Math.abs(a.top - w.top) <= TOLERANCE,
      `${what}: word ${i} "${w.word}" at ${w.left}..${w.right} (top ${w.top}) before, ${a.left}..${a.right} (top ${a.top}) after`,
    );
  }
  // visual order: in each line, words run right to left in reading order
  const byLine = new Map();
  for (const w of after.words) byLine.set(w.top, [...(byLine.get(w.top) || []), w]);
  for (const ws of byLine.values()) {
    for (let k = 1; k < ws.length; k++) {
      assert.ok(ws[k].right <= ws[k - 1].left + TOLERANCE, `${what}: "${ws[k].word}" is left of "${ws[k - 1].word}"`);
    }
  }
}

async function blockOf(page, needle) {
  const text = await docText(page, DOC1);
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return text.slice(0, at).split('\n').length - 1;
}

appTest(env, 'a highlight inside a word keeps its letters joined and the line unchanged', async ({ page }) => {
  const block = await blockOf(page, 'بتحسن العلاقات');
  const before = await layout(page, DOC1, block);
  assert.ok(before.lines.length >= 2, 'the paragraph wraps, so line breaks are checked too');

  // part of one word: ب|تحس|ن (letter precision: snapping to words off)
  await page.click('button[data-action="snap"][aria-pressed="true"]');
  await page.waitForSelector('button[data-action="snap"][aria-pressed="false"]');
  const inner = await annotate(page, DOC1, 'تحس', 'person', { within: 'بتحسن' });
  const ms = (await marks(page, DOC1)).filter((m) => m.id === inner.id);
  assert.equal(ms.map((m) => m.text).join(''), 'تحس');
  assertSameLayout(before, await layout(page, DOC1, block), 'person mark inside بتحسن (selected)');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('mark[data-selected="true"]').length === 0);
  assertSameLayout(before, await layout(page, DOC1, block), 'person mark inside بتحسن');

  // every label's styling
  for (const label of ['place', 'claim', 'person']) {
    await clickAt(page, await markPoint(page, inner.id));
    await waitForSelected(page, inner.id);
    const editor = `${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${inner.id}"]`;
    await page.click(`${editor} button[data-action="relabel"][data-label="${label}"]`);
    await page.waitForSelector(`mark[data-annotation-id="${inner.id}"][data-label="${label}"]`);
    assertSameLayout(before, await layout(page, DOC1, block), `${label} mark inside بتحسن`);
  }
  await page.keyboard.press('Escape');

  // a claim that starts inside one word and ends inside the next, crossing the
  // person span: بتح|[سن العلاق]|ات
  const crossing = await annotate(page, DOC1, 'سن العلاق', 'claim', { within: 'بتحسن العلاقات' });
  const all = await marks(page, DOC1);
  assert.equal(
    all.filter((m) => m.id === crossing.id).map((m) => m.text).join(''),
    'سن العلاق',
    'the crossing claim covers its text',
  );
  assert.equal(all.filter((m) => m.id === inner.id).map((m) => m.text).join(''), 'تحس', 'the person still covers its text');
  assertSameLayout(before, await layout(page, DOC1, block), 'crossing claim and person');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('mark[data-selected="true"]').length === 0);
  assertSameLayout(before, await layout(page, DOC1, block), 'crossing claim and person, none selected');
});

appTest(env, 'nested highlights over a whole sentence leave word positions unchanged', async ({ page }) => {
  const before = await layout(page, DOC1, 1);
  await annotate(page, DOC1, 'جون كيري', 'person');
  await annotate(page, DOC1, 'موسكو', 'place');
  await annotate(page, DOC1, 'يتوجه وزير الخارجية الأميركي جون كيري الخميس إلى موسكو في زيارة تستغرق يومين', 'claim');
  await annotate(page, DOC1, 'الخارجية الأميركي جون', 'claim'); // crosses the person span
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('mark[data-selected="true"]').length === 0);
  assertSameLayout(before, await layout(page, DOC1, 1), 'person, place and claims in paragraph 1');
  const n = await page.locator(`${art(DOC1)} [data-block="1"] mark`).count();
  assert.ok(n >= 5, `paragraph 1 has its marks (${n})`);
});
