// Opening one's own article: pasted text (hostile HTML stays text), a .txt
// file, annotating it, keeping it across reloads, removing it with confirmation.

import assert from 'node:assert/strict';
import { useApp, appTest } from './lib/browser.mjs';
import {
  BUNDLED, STORAGE_PREFIX, art, annotate, marks, panel, stored, storageKeys, pasteArticle,
  articleIds, waitForNewArticle, waitForCount, docText, storedQuote, waitForNotice,
} from './lib/app.mjs';

const env = useApp();

const HOSTILE_HEADING = 'عنوان <img src=x onerror="window.__pwned=1"> خبيث';
const HOSTILE_P1 = 'فقرة أولى <script>window.__pwned=1</script> عن بيروت.';
const HOSTILE_P2 = '<b>فقرة</b> ثانية &amp; نص &lt;i&gt; عن دمشق.';
const HOSTILE = [HOSTILE_HEADING, '', HOSTILE_P1, '', HOSTILE_P2].join('\n');

/** Texts of an article's blocks in order. */
function blockTexts(page, docId) {
  return page.$$eval(`${art(docId)} [data-block]`, (bs) =>
    bs.sort((a, b) => a.dataset.block - b.dataset.block).map((b) => b.textContent),
  );
}

/** The remove button in the section of `docId` (the closest container of that article alone). */
async function sectionButton(page, docId, action) {
  const handle = await page.evaluateHandle(
    ([docId, action]) => {
      const a = document.querySelector(`article[data-doc-id="${CSS.escape(docId)}"]`);
      for (let el = a; el && el !== document.body; el = el.parentElement) {
        if (el.querySelectorAll('article[data-doc-id]').length > 1) break;
        const b = el.querySelector(`button[data-action="${action}"]`);
        if (b) return b;
      }
      return null;
    },
    [docId, action],
  );
  return handle.asElement();
}

/** Resolves once a probe image for the same bad URL has errored. */
async function settleBrokenImages(page) {
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const img = new Image();
        img.onerror = img.onload = () => resolve();
        img.src = 'x?probe=' + Math.random();
      }),
  );
}

appTest(env, 'pasted HTML is shown as text and never runs', async (app) => {
  const { page } = app;
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const id = await pasteArticle(page, HOSTILE);
  assert.ok(!BUNDLED.includes(id));
  await settleBrokenImages(page);

  assert.deepEqual(await blockTexts(page, id), [HOSTILE_HEADING, HOSTILE_P1, HOSTILE_P2], 'the text is shown literally');
  const inside = await page.$eval(art(id), (a) => ({
    lang: a.getAttribute('lang'),
    dir: a.getAttribute('dir'),
    elements: [...a.querySelectorAll('img, script, b, i')].map((e) => e.tagName),
    heading: a.querySelector('h2[data-block="0"]')?.textContent,
  }));
  assert.equal(inside.lang, 'ar');
  assert.equal(inside.dir, 'rtl');
  assert.deepEqual(inside.elements, [], 'no element was made from the pasted markup');
  assert.equal(inside.heading, HOSTILE_HEADING);
  assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined', 'no script ran');
  assert.equal(await page.locator('img[src="x"], script:not([src])').evaluateAll((es) => es.filter((e) => /__pwned/.test(e.outerHTML)).length), 0);
  assert.ok(!requests.some((u) => /\/x$/.test(u)), 'no image was requested');

  // The paste box closes or empties once the article is added; the panel is there.
  assert.deepEqual((await panel(page, id)).counts, { person: 0, place: 0, claim: 0 });
});

appTest(env, 'a pasted article can be annotated, survives reload and is removed with confirmation', async (app) => {
  const { page } = app;
  const id = await pasteArticle(page, HOSTILE);
  assert.ok((await articleIds(page)).includes(id));
  for (const b of BUNDLED) assert.ok((await articleIds(page)).includes(b), 'bundled articles stay');

  const beirut = await annotate(page, id, 'بيروت', 'place');
  const script = await annotate(page, id, 'فقرة أولى', 'claim');
  assert.deepEqual((await panel(page, id)).counts, { person: 0, place: 1, claim: 1 });
  const rec = await stored(page, id);
  assert.ok(rec, 'the user article is stored under its own key');
  assert.equal(rec.origin, 'user');
  assert.equal(rec.doc_id, id);
  assert.deepEqual(rec.annotations.map((a) => a.id).sort(), [beirut.id, script.id].sort());
  assert.equal(storedQuote(rec, rec.annotations.find((a) => a.id === beirut.id)), 'بيروت');
  assert.ok(!('quote' in rec.annotations[0]), 'the quote is cut from the stored text, not stored beside it');
  const marksBefore = (await marks(page, id)).map(({ id, label, text }) => ({ id, label, text }));

  // Reload: the article, its text and its annotations are back; nothing ran.
  await app.reload();
  await page.waitForSelector(art(id));
  await waitForCount(page, id, 2);
  assert.deepEqual(await blockTexts(page, id), [HOSTILE_HEADING, HOSTILE_P1, HOSTILE_P2]);
  assert.deepEqual((await marks(page, id)).map(({ id, label, text }) => ({ id, label, text })), marksBefore);
  await settleBrokenImages(page);
  assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
  assert.deepEqual((await articleIds(page)).slice(0, 2), BUNDLED, 'bundled articles first, in order');

  // Bundled articles cannot be removed.
  for (const b of BUNDLED) assert.equal(await sectionButton(page, b, 'remove-article'), null, `${b} has no remove button`);

  // Remove asks first; cancel keeps everything.
  await (await sectionButton(page, id, 'remove-article')).click();
  await page.waitForSelector('button[data-action="confirm-remove"]');
  await (await sectionButton(page, id, 'cancel-remove')).click();
  await page.waitForSelector('button[data-action="confirm-remove"]', { state: 'detached' });
  assert.ok((await articleIds(page)).includes(id));
  assert.ok(await stored(page, id), 'cancel keeps the stored article');

  await (await sectionButton(page, id, 'remove-article')).click();
  const confirm = await page.waitForSelector('button[data-action="confirm-remove"]');
  await confirm.click();
  await page.waitForSelector(art(id), { state: 'detached' });
  await page.waitForFunction((k) => localStorage.getItem(k) === null, STORAGE_PREFIX + id);
  assert.ok(!(await storageKeys(page)).some((k) => k.includes(id)), 'no key mentions the removed article');
  assert.equal(await page.locator(`aside[data-panel-for="${id}"]`).count(), 0, 'its panel is gone');
  assert.equal(await page.locator(`mark[data-annotation-id="${beirut.id}"]`).count(), 0);

  await app.reload();
  assert.deepEqual(await articleIds(page), BUNDLED, 'it stays removed after a reload');
});

appTest(env, 'the paste form closes once its article is in, and keeps a text that was refused', async ({ page }) => {
  const id = await pasteArticle(page, HOSTILE);
  await page.waitForSelector('textarea[data-role="paste-text"]', { state: 'detached' });
  // the same article again: refused (it is open already), and the text stays to be mended
  await page.click('button[data-action="paste-article"]');
  await page.fill('textarea[data-role="paste-text"]', HOSTILE);
  await page.click('button[data-action="add-article"]');
  await waitForNotice(page, 'info', /already open/);
  assert.equal(await page.inputValue('textarea[data-role="paste-text"]'), HOSTILE);
  assert.equal((await articleIds(page)).filter((a) => a === id).length, 1, 'no second copy');
});

appTest(env, 'a .txt file opens as a new article', async (app) => {
  const { page } = app;
  // Windows line endings, as a .txt saved on Windows has.
  const heading = 'وزير الخارجية يزور بيروت';
  const paras = ['قال الوزير إن الزيارة ناجحة.', 'وأضاف أن المحادثات ستستمر في دمشق.'];
  const content = [heading, '', paras[0], '', paras[1], ''].join('\r\n');
  const before = await articleIds(page);
  await page.setInputFiles('input[type="file"][data-action="open-file"]', {
    name: 'maqal.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(content, 'utf8'),
  });
  const id = await waitForNewArticle(page, before);
  assert.deepEqual(await blockTexts(page, id), [heading, ...paras]);
  assert.equal(await page.$eval(`${art(id)} [data-block="0"]`, (h) => h.tagName.toLowerCase()), 'h2');
  assert.equal(await docText(page, id), [heading, ...paras].join('\n'));

  const { id: a } = await annotate(page, id, 'دمشق', 'place');
  const kept = await stored(page, id);
  assert.equal(storedQuote(kept, kept.annotations.find((x) => x.id === a)), 'دمشق');
  await app.reload();
  await waitForCount(page, id, 1);
  assert.deepEqual(await blockTexts(page, id), [heading, ...paras]);
});
