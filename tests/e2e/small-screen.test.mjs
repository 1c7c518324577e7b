// A phone: 390 × 844 CSS pixels with touch input. The labels, undo and redo
// and a menu for the rest fit in one row; the first paragraph starts in the
// first third of the screen; the list of articles is a drawer; the panel
// and the editor are a sheet over the lower part of the screen; whatever a
// finger presses is at least 44 px. A word is tagged with a long press and
// its highlight opened with a tap, as on a phone.

import assert from 'node:assert/strict';
import path from 'node:path';
import { useApp, appTest, poll, ARTIFACTS } from './lib/browser.mjs';
import { ensureHelpers, findRange } from './lib/select.mjs';
import { DOC1, DOC2, listedIds, waitForCount, docText, markPoint } from './lib/app.mjs';
import { longPress, tap, rangeRect } from './lib/keys.mjs';

const env = useApp();
const PHONE = { width: 390, height: 844 };

/** Rectangles of the elements matching `sel` that are shown. */
function shownRects(page, sel) {
  return page.$$eval(sel, (els) =>
    els
      .filter((el) => {
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
      })
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { what: el.dataset.action || el.dataset.label || el.dataset.role || el.localName, top: r.top, left: r.left, width: r.width, height: r.height, bottom: r.bottom };
      }),
  );
}

const centre = (r) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
async function tapOn(page, sel) {
  const [r] = await shownRects(page, sel);
  assert.ok(r, `${sel} is on screen`);
  await tap(page, centre(r));
}

function phoneTest(name, fn) {
  return appTest(env, name, { viewport: PHONE, hasTouch: true }, async (app, t) => {
    await ensureHelpers(app.page);
    await fn(app, t);
  });
}

phoneTest('one row of tools, the article in the first third, 44 px targets, the rest behind the menu', async ({ page }) => {
  const tools = await shownRects(page, 'div[role="toolbar"] button');
  assert.deepEqual(
    tools.map((b) => b.what),
    ['person', 'place', 'claim', 'undo', 'redo', 'menu'],
    'the labels, undo, redo and the menu',
  );
  const tops = tools.map((b) => Math.round(b.top));
  assert.ok(Math.max(...tops) - Math.min(...tops) <= 2, `in one row (tops ${tops})`);
  assert.ok(tools.every((b) => b.left >= 0 && b.left + b.width <= PHONE.width), 'all on screen');

  const [para] = await shownRects(page, `article[data-doc-id="${DOC1}"] [data-block="1"]`);
  assert.ok(para.top < PHONE.height / 3, `the first paragraph starts at ${Math.round(para.top)} px, within the first third`);

  const small = (await shownRects(page, 'button, select, input:not([type="file"]), label.button')).filter((r) => r.bottom > 0 && r.top < PHONE.height && (r.width < 44 || r.height < 44));
  assert.deepEqual(small, [], 'every target on screen is at least 44 × 44');

  assert.equal((await shownRects(page, 'button[data-action="export-json"]')).length, 0, 'exports wait behind the menu');
  await tapOn(page, 'button[data-action="menu"]');
  for (const action of ['export-json', 'export-jsonl', 'help', 'paste-article']) {
    assert.equal((await shownRects(page, `button[data-action="${action}"]`)).length, 1, `${action} is in the menu`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'small-screen-menu.png') });
  await tapOn(page, 'button[data-action="menu"]');
  assert.equal((await shownRects(page, 'button[data-action="export-json"]')).length, 0, 'and the menu closes');
});

phoneTest('the list of articles is a drawer: it opens, an article is chosen, it closes', async ({ page }) => {
  assert.equal((await shownRects(page, 'nav[data-role="documents"]')).length, 0, 'no list over the article');
  await tapOn(page, 'button[data-action="documents"]');
  const [nav] = await shownRects(page, 'nav[data-role="documents"]');
  assert.ok(nav && nav.width > PHONE.width / 2, 'the drawer covers most of the screen');
  await page.screenshot({ path: path.join(ARTIFACTS, 'small-screen-drawer.png') });
  await tapOn(page, `nav[data-role="documents"] li[data-doc-id="${DOC2}"] button[data-action="open-doc"]`);
  await page.waitForSelector(`article[data-doc-id="${DOC2}"] [data-block]`);
  await poll(page, () => !document.querySelector('.workspace[data-drawer="open"]'));
  assert.equal((await shownRects(page, 'nav[data-role="documents"]')).length, 0, 'the drawer closed');
});

phoneTest('a long press tags a word; a tap on its highlight opens the editor as a sheet on the lower part', async ({ page }) => {
  const [closed] = await shownRects(page, `aside[data-panel-for="${DOC1}"]`);
  assert.ok(closed.top > PHONE.height * 0.85, `the closed sheet is a bar at the bottom (top ${Math.round(closed.top)})`);

  const text = await docText(page, DOC1);
  const word = findRange(text, 'موسكو');
  const rect = await rangeRect(page, DOC1, word.start, word.end);
  await longPress(page, { x: (rect.left + rect.right) / 2, y: (rect.top + rect.bottom) / 2 }, 700);
  await page.waitForSelector('[data-role="touch-bar"] button[data-label="place"]', { state: 'visible' });
  await page.screenshot({ path: path.join(ARTIFACTS, 'small-screen-longpress.png') });
  await tapOn(page, '[data-role="touch-bar"] button[data-label="place"]');
  await waitForCount(page, DOC1, 1);
  const [id] = await listedIds(page, DOC1);

  await tap(page, await markPoint(page, id));
  await poll(page, (d) => document.querySelector(`aside[data-panel-for="${d}"]`)?.dataset.sheet === 'open', DOC1);
  const [sheet] = await shownRects(page, `aside[data-panel-for="${DOC1}"]`);
  assert.ok(sheet.top >= PHONE.height * 0.4 && Math.round(sheet.bottom) <= PHONE.height, `the sheet is on the lower part (${Math.round(sheet.top)}–${Math.round(sheet.bottom)})`);
  const [editor] = await shownRects(page, `aside[data-panel-for="${DOC1}"] [data-role="editor"]`);
  assert.ok(editor, 'the editor is in the sheet');
  await page.screenshot({ path: path.join(ARTIFACTS, 'small-screen-sheet.png') });
});
