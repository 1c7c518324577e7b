// Touch (issue 5), in a context with touch input: a long-press on a word
// selects it and shows the label bar next to it; tapping a label tags the
// word. The selected annotation's edge handles move its edges when dragged
// with a finger or the mouse, one undo step each. Touch input goes through the
// DevTools protocol (Input.dispatchTouchEvent), as Playwright has no
// touch-hold or touch-drag of its own.

import assert from 'node:assert/strict';
import { useApp, appTest } from './lib/browser.mjs';
import { ensureHelpers, findRange, selection, caretPoints } from './lib/select.mjs';
import {
  DOC1, DOC2, art, annotate, listedIds, waitForCount, waitForSelected, stored, docText,
} from './lib/app.mjs';
import {
  longPress, tap, touch, touchDrag, rangeRect, markOf, waitForMarkText, rectGap, graphemePoint,
} from './lib/keys.mjs';

const env = useApp();
const BAR = '[data-role="touch-bar"][role="toolbar"]';
const handle = (edge) => `[data-role="handle"][data-edge="${edge}"]`;

/** Like appTest, with a touch-capable context. */
function touchTest(name, fn) {
  return appTest(env, name, { hasTouch: true }, async (app, t) => {
    await ensureHelpers(app.page);
    await fn(app, t);
  });
}

/** The visible bar's rectangle, or null. */
function barRect(page) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (s.display === 'none' || s.visibility === 'hidden' || r.width === 0 || el.closest('[hidden]')) return null;
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  }, BAR);
}

async function waitForBarGone(page) {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return !el || el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden' || !!el.closest('[hidden]');
  }, BAR, { timeout: 5000 });
}

/** Centre of an element matching `sel` (its first). */
async function centreOf(page, sel) {
  const box = await page.locator(sel).first().boundingBox();
  assert.ok(box, `${sel} has a box`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

touchTest('a long-press on a word selects exactly the word and shows the label bar next to it; a tapped label tags it', async ({ page }) => {
  const text = await docText(page, DOC1);
  const word = findRange(text, 'موسكو');
  const rect = await rangeRect(page, DOC1, word.start, word.end);
  const p = { x: (rect.left + rect.right) / 2, y: (rect.top + rect.bottom) / 2 };

  await longPress(page, p, 700);
  await page.waitForSelector(BAR, { state: 'visible', timeout: 5000 });
  const s = await selection(page);
  assert.equal(s.text, 'موسكو', 'the DOM selection is the word');
  assert.deepEqual([s.start?.u, s.end?.u], [word.start, word.end], 'and covers exactly the word');

  const bar = await barRect(page);
  assert.ok(bar, 'the bar is visible');
  const gap = rectGap(bar, rect);
  assert.ok(gap <= 80, `the bar is next to the word (${Math.round(gap)} px away)`);
  assert.ok(bar.bottom > 0 && bar.top < (page.viewportSize()?.height ?? 900) && bar.left >= 0, 'the bar is on screen');
  const labels = await page.$$eval(`${BAR} button[data-label]`, (bs) => bs.map((b) => b.dataset.label));
  assert.deepEqual(labels, ['person', 'place', 'claim'], 'one button per label');

  await tap(page, await centreOf(page, `${BAR} button[data-label="place"]`));
  await waitForCount(page, DOC1, 1);
  const [id] = await listedIds(page, DOC1);
  const m = await markOf(page, id);
  assert.deepEqual([m.label, m.text], ['place', 'موسكو']);
  await waitForBarGone(page);
  assert.equal((await stored(page, DOC1)).annotations[0].quote, 'موسكو');
});

touchTest('a short tap or a moving press shows no label bar and tags nothing', async ({ page }) => {
  const text = await docText(page, DOC1);
  const word = findRange(text, 'الخارجية');
  const rect = await rangeRect(page, DOC1, word.start, word.end);
  const p = { x: (rect.left + rect.right) / 2, y: (rect.top + rect.bottom) / 2 };
  await tap(page, p);
  await page.waitForTimeout(700);
  assert.equal(await barRect(page), null, 'a tap is not a long-press');

  // The finger moves 30 px while held: not a long-press either.
  await touch(page, 'touchStart', [p]);
  await page.waitForTimeout(100);
  for (let i = 1; i <= 5; i++) await touch(page, 'touchMove', [{ x: p.x - 6 * i, y: p.y }]);
  await page.waitForTimeout(650);
  await touch(page, 'touchEnd', []);
  await page.waitForTimeout(300);
  assert.equal(await barRect(page), null, 'a press that moves more than 10 px shows no bar');
  assert.equal((await listedIds(page, DOC1)).length, 0);
});

touchTest('the selected annotation has two edge handles at its ends; none without a selection', async ({ page }) => {
  const a = await annotate(page, DOC2, 'للنرويج', 'place');
  await waitForSelected(page, a.id);
  for (const edge of ['start', 'end']) await page.waitForSelector(handle(edge), { state: 'visible' });
  const text = await docText(page, DOC2);
  const w = findRange(text, 'للنرويج');
  const first = (await graphemePoint(page, DOC2, w.start, 'after')).rect;
  const last = (await graphemePoint(page, DOC2, w.end, 'before')).rect;
  const info = (edge) =>
    page.$eval(handle(edge), (h) => {
      const r = h.getBoundingClientRect();
      return {
        inArticle: h.closest('article[data-doc-id]')?.dataset.docId ?? null,
        position: getComputedStyle(h).position,
        rect: { left: r.left, right: r.right, top: r.top, bottom: r.bottom },
      };
    });
  const start = await info('start');
  const end = await info('end');
  for (const [edge, h, own, other] of [['start', start, first, last], ['end', end, last, first]]) {
    assert.equal(h.inArticle, DOC2, `the ${edge} handle is inside the article`);
    assert.equal(h.position, 'absolute', `the ${edge} handle is absolutely positioned`);
    const near = rectGap(h.rect, own);
    assert.ok(near <= 24, `the ${edge} handle is at its letter (${Math.round(near)} px)`);
    assert.ok(near < rectGap(h.rect, other), `the ${edge} handle is nearer its own end than the other`);
  }
  // RTL: the start is on the right.
  assert.ok((start.rect.left + start.rect.right) / 2 > (end.rect.left + end.rect.right) / 2, 'in RTL the start handle is right of the end handle');

  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('mark[data-selected="true"]').length === 0);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-role="handle"]')].every((h) => h.getClientRects().length === 0 || getComputedStyle(h).visibility === 'hidden'),
  );
});

/** The span a handle was last placed for (`start-end`), '' before any. */
const placedFor = (page, edge) => page.$eval(handle(edge), (h) => h.dataset.span ?? '');

/**
 * Waits until the handle of `edge` stands for another span than `before`: a
 * handle is placed a moment after the render that moved its edge, and a touch
 * where it stood before would land on the text.
 */
const replaced = (page, edge, before) =>
  page.waitForFunction(([sel, v]) => (document.querySelector(sel)?.dataset.span ?? '') !== v, [handle(edge), before]);

touchTest('dragging a handle with the mouse or a finger moves that edge to the letter boundary under it, one undo step each', async ({ page }) => {
  const a = await annotate(page, DOC2, 'للنرويج', 'place');
  await waitForSelected(page, a.id);
  await replaced(page, 'start', '');
  let endWas = await placedFor(page, 'end');
  const text = await docText(page, DOC2);
  const w = findRange(text, 'للنرويج');
  const ithr = findRange(text, 'إثر');

  // Start handle, mouse: to the boundary before ن (cuts off لل).
  let from = await centreOf(page, handle('start'));
  let [to] = await caretPoints(page, DOC2, w.start + 2);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
  await waitForMarkText(page, a.id, 'نرويج');
  assert.equal((await listedIds(page, DOC2)).length, 1, 'the same annotation, moved');
  await waitForSelected(page, a.id);

  // End handle, finger: out to the end of the next word.
  await page.waitForSelector(handle('end'), { state: 'visible' });
  await replaced(page, 'end', endWas);
  endWas = await placedFor(page, 'end');
  from = await centreOf(page, handle('end'));
  [to] = await caretPoints(page, DOC2, ithr.end);
  await touchDrag(page, from, to, { steps: 12 });
  await waitForMarkText(page, a.id, 'نرويج إثر');

  // End handle, finger: back inside the word (before ج).
  await page.waitForSelector(handle('end'), { state: 'visible' });
  await replaced(page, 'end', endWas);
  from = await centreOf(page, handle('end'));
  [to] = await caretPoints(page, DOC2, w.end - 1);
  await touchDrag(page, from, to, { steps: 12 });
  await waitForMarkText(page, a.id, 'نروي');
  const rec = (await stored(page, DOC2)).annotations[0];
  assert.equal(rec.quote, 'نروي');

  // One undo step per drag.
  await page.keyboard.press('Control+z');
  await waitForMarkText(page, a.id, 'نرويج إثر');
  await page.keyboard.press('Control+z');
  await waitForMarkText(page, a.id, 'نرويج');
  await page.keyboard.press('Control+z');
  await waitForMarkText(page, a.id, 'للنرويج');
});

touchTest('a handle drag that would leave an empty span changes nothing', async ({ page }) => {
  const a = await annotate(page, DOC2, 'للنرويج', 'place');
  await waitForSelected(page, a.id);
  await replaced(page, 'start', '');
  const before = (await stored(page, DOC2)).annotations[0];
  const text = await docText(page, DOC2);
  const w = findRange(text, 'للنرويج');
  // The start handle dropped at the end (and past it, on the next word).
  for (const u of [w.end, findRange(text, 'إثر').start + 1]) {
    await waitForSelected(page, a.id);
    const from = await centreOf(page, handle('start'));
    const [to] = await caretPoints(page, DOC2, u);
    await touchDrag(page, from, to, { steps: 12 });
    await page.waitForTimeout(300);
    assert.equal((await markOf(page, a.id)).text, 'للنرويج', `dropping the start at ${u} changes nothing`);
  }
  const after = (await stored(page, DOC2)).annotations[0];
  assert.deepEqual([after.start, after.end, after.updated_at], [before.start, before.end, before.updated_at]);
  await page.keyboard.press('Control+z'); // the only step is the tag itself
  await waitForCount(page, DOC2, 0);
  assert.equal(await page.locator(`${art(DOC2)} mark`).count(), 0);
});
