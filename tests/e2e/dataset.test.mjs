// A data set, not a page: a 200-article JSONL imported, the list filtered,
// an article opened from the list and from its address, annotated, marked
// done and undone with Ctrl+Z, the next one not done reached with N, the
// place and statuses kept over a reload, only the done ones exported, an
// article removed (and brought back), and the list walked with the keys. A
// reload of an article's address draws that article from the start.

import assert from 'node:assert/strict';
import { useApp, appTest, poll } from './lib/browser.mjs';
import { annotate, marks, downloadFrom, importText, waitForNotice, waitForCount, dismissNotice } from './lib/app.mjs';

const env = useApp();
const N = 200;
const NAV = 'nav[data-role="documents"]';

/** doccano JSONL: one article a line, each with its own id and text. */
function dataset() {
  const lines = [];
  for (let i = 1; i <= N; i++) {
    const text = `خبر رقم ${i}: وفد يصل إلى الدوحة\nقال المتحدث إن الوفد رقم ${i} وصل إلى الدوحة صباح اليوم لبحث الهدنة.`;
    lines.push(JSON.stringify({ doc_id: `set-${i}`, text, label: [] }));
  }
  return lines.join('\n');
}

const progress = (page) => page.$eval(`${NAV} [data-role="progress"] span`, (s) => s.textContent.trim());
const listed = (page) => page.$$eval(`${NAV} li[data-doc-id]`, (lis) => lis.map((li) => [li.dataset.docId, li.dataset.status]));
const shownDoc = (page) => page.$eval('article[data-doc-id]', (a) => a.dataset.docId);
const waitShown = (page, id) => page.waitForSelector(`article[data-doc-id="${id}"] [data-block]`);
const statusOf = (page, id) => page.$eval(`${NAV} li[data-doc-id="${id}"]`, (li) => li.dataset.status);

async function filter(page, text) {
  await page.fill(`${NAV} input[data-role="doc-filter"]`, text);
}

async function importSet(page) {
  await importText(page, dataset());
  await waitForNotice(page, 'info', /200/);
  await dismissNotice(page);
  await poll(page, (nav) => document.querySelector(`${nav} [data-role="progress"] span`)?.textContent.includes('202'), NAV);
}

appTest(env, 'a 200-article set: list, filter, open, annotate, done, undo, next not done, address, reload, export done only', { timeout: 180_000 }, async ({ page }) => {
  await importSet(page);
  assert.equal(await progress(page), '0 / 202 منجز');
  const rows = await listed(page);
  assert.ok(rows.length < 40, `only the rows in view are drawn (${rows.length} of 202)`);
  assert.deepEqual(rows[0], ['kerry-moscow-visit', 'new'], 'the seed articles are the first items');
  assert.equal(await page.$$eval('article[data-doc-id]', (a) => a.length), 1, 'one article is drawn at a time');

  // filter by text, open from the list
  await filter(page, 'خبر رقم 137:');
  await poll(page, (nav) => document.querySelectorAll(`${nav} li[data-doc-id]`).length === 1, NAV);
  assert.deepEqual(await listed(page), [['set-137', 'new']]);
  await page.click(`${NAV} li[data-doc-id="set-137"] button[data-action="open-doc"]`);
  await waitShown(page, 'set-137');
  assert.equal(await page.evaluate(() => location.hash), '#doc=set-137', 'the address names the article');

  // annotate it: in progress
  await annotate(page, 'set-137', 'الدوحة', 'place');
  await poll(page, () => document.querySelector('li[data-doc-id="set-137"]')?.dataset.status === 'in-progress');
  // back to the article (keys typed in the filter are the filter's)
  await page.focus('article[data-doc-id="set-137"]');

  // D marks it done, Ctrl+Z undoes that (and only that), Ctrl+Shift+Z redoes it
  await page.keyboard.press('d');
  await poll(page, () => document.querySelector('li[data-doc-id="set-137"]')?.dataset.status === 'done');
  assert.equal(await progress(page), '1 / 202 منجز');
  await page.keyboard.press('Control+z');
  await poll(page, () => document.querySelector('li[data-doc-id="set-137"]')?.dataset.status === 'in-progress');
  assert.equal((await marks(page, 'set-137')).length, 1, 'the annotation stays');
  await page.keyboard.press('Control+Shift+z');
  await poll(page, () => document.querySelector('li[data-doc-id="set-137"]')?.dataset.status === 'done');
  assert.equal(await page.getAttribute('button[data-action="mark-done"]', 'aria-pressed'), 'true');
  await filter(page, '');
  await page.focus('article[data-doc-id="set-137"]');

  // N: the next article that is not done
  await page.keyboard.press('n');
  await waitShown(page, 'set-138');
  assert.equal(await page.evaluate(() => location.hash), '#doc=set-138');

  // the status filter
  await page.selectOption(`${NAV} select[data-role="status-filter"]`, 'done');
  await poll(page, (nav) => document.querySelectorAll(`${nav} li[data-doc-id]`).length === 1, NAV);
  assert.deepEqual(await listed(page), [['set-137', 'done']]);
  await page.selectOption(`${NAV} select[data-role="status-filter"]`, 'all');

  // back goes to the article before; a shared link opens its article
  await page.goBack();
  await waitShown(page, 'set-137');
  await page.goto(`${env.url}#doc=kerry-warns-russia`);
  await waitShown(page, 'kerry-warns-russia');

  // a reload keeps the place, the statuses and the annotations
  await page.reload();
  await waitShown(page, 'kerry-warns-russia');
  await poll(page, (nav) => document.querySelector(`${nav} [data-role="progress"] span`)?.textContent === '1 / 202 منجز', NAV);
  await page.click('button[data-action="next-undone"]');
  await poll(page, () => location.hash !== '#doc=kerry-warns-russia');
  assert.equal(await shownDoc(page), 'set-1', 'next not done after the seeds is the first of the set');
  await filter(page, 'خبر رقم 137:');
  await page.click(`${NAV} li[data-doc-id="set-137"] button[data-action="open-doc"]`);
  await waitShown(page, 'set-137');
  assert.deepEqual((await marks(page, 'set-137')).map((m) => [m.label, m.text]), [['place', 'الدوحة']]);
  assert.equal(await statusOf(page, 'set-137'), 'done');

  // export only the done ones
  await page.check('input[data-role="export-done-only"]');
  const { text } = await downloadFrom(page, 'button[data-action="export-json"]');
  const exported = JSON.parse(text);
  assert.deepEqual(
    exported.documents.map((d) => [d.doc_id, d.status, d.annotations.length]),
    [['set-137', 'done', 1]],
    'only the done article, with its status',
  );
  await page.uncheck('input[data-role="export-done-only"]');
  const all = JSON.parse((await downloadFrom(page, 'button[data-action="export-json"]')).text);
  assert.equal(all.documents.length, 202);
  assert.deepEqual([...new Set(all.documents.map((d) => d.status))].sort(), ['done', 'new']);
});

appTest(env, 'removing an article from the set asks first, and Ctrl+Z brings it back', { timeout: 120_000 }, async ({ page }) => {
  await importSet(page);
  await filter(page, 'خبر رقم 42:');
  await page.click(`${NAV} li[data-doc-id="set-42"] button[data-action="open-doc"]`);
  await waitShown(page, 'set-42');
  await annotate(page, 'set-42', 'الوفد', 'claim');
  await page.click('button[data-action="remove-article"]');
  await page.click('button[data-action="confirm-remove"]');
  await poll(page, (nav) => !document.querySelector(`${nav} li[data-doc-id="set-42"]`), NAV);
  assert.equal(await progress(page), '0 / 201 منجز');
  assert.notEqual(await shownDoc(page), 'set-42', 'another article is shown');
  await page.keyboard.press('Control+z');
  await waitShown(page, 'set-42');
  await waitForCount(page, 'set-42', 1);
  assert.equal(await progress(page), '0 / 202 منجز', 'the article is back with its annotation');
});

appTest(env, 'the list is walked with the arrow keys, Home and End, and moves an article up and down', { timeout: 120_000 }, async ({ page }) => {
  await importSet(page);
  await page.focus(`${NAV} button[data-pos="0"]`);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.pos), '1');
  await page.keyboard.press('End');
  await poll(page, () => document.activeElement?.dataset.pos === '201');
  assert.equal(await page.evaluate(() => document.activeElement.closest('li').dataset.docId), 'set-200', 'End reaches the last row, drawn on the way');
  await page.keyboard.press('Enter');
  await waitShown(page, 'set-200');
  await page.keyboard.press('Home');
  await poll(page, () => document.activeElement?.dataset.pos === '0');

  // move the second seed article down one place, undo it, move it again: a reload keeps the order
  const at = (pos) => page.$eval(`${NAV} button[data-pos="${pos}"]`, (b) => b.closest('li').dataset.docId);
  await page.click(`${NAV} li[data-doc-id="kerry-warns-russia"] button[data-action="move-down"]`);
  await poll(page, (nav) => document.querySelector(`${nav} button[data-pos="2"]`)?.closest('li').dataset.docId === 'kerry-warns-russia', NAV);
  assert.equal(await at(1), 'set-1');
  await page.keyboard.press('Control+z');
  await poll(page, (nav) => document.querySelector(`${nav} button[data-pos="1"]`)?.closest('li').dataset.docId === 'kerry-warns-russia', NAV);
  await page.click(`${NAV} li[data-doc-id="kerry-warns-russia"] button[data-action="move-down"]`);
  await poll(page, (nav) => document.querySelector(`${nav} button[data-pos="2"]`)?.closest('li').dataset.docId === 'kerry-warns-russia', NAV);
  await poll(page, () => JSON.parse(localStorage.getItem('hashiya:v1:order') ?? '[]')[2] === 'kerry-warns-russia');
  await page.reload();
  await poll(page, (nav) => document.querySelector(`${nav} button[data-pos="2"]`)?.closest('li')?.dataset.docId === 'kerry-warns-russia', NAV);
});

/**
 * Records, from the page's first script on, every id an `<article>` is given,
 * in order (the same id again in a row counts once). Read where the
 * attribute is set, not later: a MutationObserver would hear of an article
 * only at its next microtask, after a render that changed its id again.
 */
function recordArticlesDrawn() {
  const drawn = (window.__articlesDrawn = []);
  const set = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this.localName === 'article' && name === 'data-doc-id' && drawn.at(-1) !== String(value)) drawn.push(String(value));
    return set.call(this, name, value);
  };
}

appTest(env, "an article's address, reloaded, draws that article and never the first one for a moment", { initScripts: [[recordArticlesDrawn]] }, async ({ page }) => {
  await page.goto(`${env.url}#doc=kerry-warns-russia`);
  await waitShown(page, 'kerry-warns-russia');
  await annotate(page, 'kerry-warns-russia', 'روسيا', 'place');
  await page.reload();
  await waitShown(page, 'kerry-warns-russia');
  await poll(page, () => document.querySelector('article[data-doc-id="kerry-warns-russia"] mark[data-annotation-id]'));
  assert.deepEqual(await page.evaluate(() => window.__articlesDrawn), ['kerry-warns-russia'], 'the only article drawn since the reload');
  assert.equal(await page.evaluate(() => location.hash), '#doc=kerry-warns-russia');

  // an address that names no article still says so, over the first article
  await page.goto(`${env.url}#doc=no-such-article`);
  await page.reload();
  await waitShown(page, 'kerry-moscow-visit');
  await waitForNotice(page, 'error', /no-such-article/);
});
