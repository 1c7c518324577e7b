// Selection precision (issue 5): word snapping (on by default, toggled in the
// toolbar, remembered), Alt-drags keeping letter precision, punctuation left
// outside a snapped span, mouse drags across mixed-direction runs (the number
// 10.8, Latin names) and "tag all occurrences" with its clitics option.

import assert from 'node:assert/strict';
import { useApp, appTest } from './lib/browser.mjs';
import { dragSelect, selectText, findRange, clearSelection, ensureHelpers, selection } from './lib/select.mjs';
import {
  DOC1, DOC2, panelSel, annotate, listedIds, waitForCount, waitForSelected, stored, docText,
  pasteArticle, waitForNotice, markPoint, clickAt, storedQuote,
} from './lib/app.mjs';
import {
  SNAP_PREF, altDragSelect, tagSelectionWith, markOf, waitForMarkText, graphemePoint,
} from './lib/keys.mjs';

const env = useApp();
const SNAP = 'button[data-action="snap"]';

const noneSelected = (page) =>
  page.waitForFunction(() => document.querySelectorAll('mark[data-selected="true"]').length === 0);

/** Drags over `needle` (inside `within`) with the mouse and tags it with `key`; returns the highlight. */
async function dragAndTag(page, docId, needle, key, { within, occurrence } = {}) {
  await page.keyboard.press('Escape');
  await noneSelected(page);
  const sel = await selectText(page, docId, needle, { within, occurrence });
  const id = await tagSelectionWith(page, docId, key);
  return { id, sel, ...(await markOf(page, id)) };
}

/** Drags from doc offset `from` to `to` and tags with `key`. */
async function dragRangeAndTag(page, docId, from, to, key) {
  await page.keyboard.press('Escape');
  await noneSelected(page);
  await dragSelect(page, { docId, u: from }, { docId, u: to });
  const id = await tagSelectionWith(page, docId, key);
  return { id, ...(await markOf(page, id)) };
}

const MIXED = [
  'مقال تجريبي للدقة',
  '',
  'قال John Kerry في أوسلو إن «الصبر محدود»؛ فهل تنجح المحادثات؟ وبلغت المساعدة 10.8 ملايين دولار.',
  '',
  'المصدر: اختبار',
].join('\n');

appTest(env, 'word snapping is on by default, can be turned off in the toolbar, and is remembered across reloads', async (app) => {
  const { page } = app;
  assert.equal(await page.getAttribute(SNAP, 'aria-pressed'), 'true', 'snapping starts on');
  assert.ok([null, 'on'].includes(await page.evaluate((k) => localStorage.getItem(k), SNAP_PREF)));

  // On: part of a word grows to the word; parts of two words to both words.
  let m = await dragAndTag(page, DOC1, 'سك', '2', { within: 'موسكو' });
  assert.deepEqual([m.label, m.text], ['place', 'موسكو'], 'a drag inside موسكو tags the whole word');
  m = await dragAndTag(page, DOC1, 'ارجية الأمير', '3', { within: 'الخارجية الأميركي' });
  assert.equal(m.text, 'الخارجية الأميركي', 'a drag from inside one word to inside the next tags both words');
  const rec = await stored(page, DOC1);
  assert.deepEqual(rec.annotations.map((a) => a.quote).sort(), ['الخارجية الأميركي', 'موسكو'].sort());

  // Off: the raw selection.
  await page.click(SNAP);
  await page.waitForSelector(`${SNAP}[aria-pressed="false"]`);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), SNAP_PREF), 'off');
  m = await dragAndTag(page, DOC1, 'وسك', '2', { within: 'موسكو', occurrence: 1 });
  assert.equal(m.text, 'وسك', 'with snapping off the selection is tagged as dragged');

  // Remembered after a reload.
  await app.reload();
  assert.equal(await page.getAttribute(SNAP, 'aria-pressed'), 'false', 'still off after a reload');
  m = await dragAndTag(page, DOC1, 'افرو', '1', { within: 'لافروف' });
  assert.equal(m.text, 'افرو', 'still raw after a reload');

  await page.click(SNAP);
  await page.waitForSelector(`${SNAP}[aria-pressed="true"]`);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), SNAP_PREF), 'on');
  await app.reload();
  assert.equal(await page.getAttribute(SNAP, 'aria-pressed'), 'true', 'on again after a reload');
  m = await dragAndTag(page, DOC1, 'سك', '2', { within: 'موسكو', occurrence: 2 });
  assert.equal(m.text, 'موسكو');
});

appTest(env, 'holding Alt while dragging keeps letter precision, harakat included', async ({ page }) => {
  assert.equal(await page.getAttribute(SNAP, 'aria-pressed'), 'true');
  const text = await docText(page, DOC1);
  const w = findRange(text, 'موسكو', 1);
  await altDragSelect(page, { docId: DOC1, u: w.start + 1 }, { docId: DOC1, u: w.start + 3 });
  let id = await tagSelectionWith(page, DOC1, '2');
  assert.equal((await markOf(page, id)).text, 'وس', 'Alt-drag inside موسكو tags just وس');

  // A toolbar label button after an Alt-drag is precise too.
  await page.keyboard.press('Escape');
  const k = findRange(text, 'كيربي');
  await altDragSelect(page, { docId: DOC1, u: k.start }, { docId: DOC1, u: k.start + 3 });
  const before = (await listedIds(page, DOC1)).length;
  await page.click('div[role="toolbar"] button[data-label="person"]');
  await waitForCount(page, DOC1, before + 1);
  const added = (await listedIds(page, DOC1)).find((x) => x !== id);
  assert.equal((await markOf(page, added)).text, 'كير', 'the toolbar tag after an Alt-drag is كير');

  // With harakat: the span keeps each letter's marks.
  const docId = await pasteArticle(page, 'عنوان\n\nقال مُحَمَّد إن الخبر صحيح.');
  const t2 = await docText(page, docId);
  const at = t2.indexOf('مُحَمَّد');
  await page.keyboard.press('Escape');
  await altDragSelect(page, { docId, u: at + 2 }, { docId, u: at + 7 });
  id = await tagSelectionWith(page, docId, '1');
  assert.equal((await markOf(page, id)).text, 'حَمَّ');
});

appTest(env, 'snapping leaves punctuation outside: a word before ، and phrases in quotation marks', async ({ page }) => {
  let m = await dragAndTag(page, DOC1, 'يمية،', '3', { within: 'وإقليمية،' });
  assert.equal(m.text, 'وإقليمية', 'the Arabic comma stays outside');

  // "محدود جدا" in the second article: from the opening quotation mark, and up to the closing one.
  m = await dragAndTag(page, DOC2, '"محدود جد', '3');
  assert.equal(m.text, 'محدود جدا', 'the opening quotation mark stays outside');
  await page.keyboard.press('Delete');
  await waitForCount(page, DOC2, 0);
  m = await dragAndTag(page, DOC2, 'دود جدا"', '3');
  assert.equal(m.text, 'محدود جدا', 'the closing quotation mark stays outside');

  // « » ؛ ؟ in a pasted article.
  const docId = await pasteArticle(page, MIXED);
  m = await dragAndTag(page, docId, '«الصبر محدود»؛', '3');
  assert.equal(m.text, 'الصبر محدود', 'guillemets and the Arabic semicolon stay outside');
  m = await dragAndTag(page, docId, 'حادثات؟', '3');
  assert.equal(m.text, 'المحادثات', 'the Arabic question mark stays outside');
  const rec = await stored(page, docId);
  assert.deepEqual(rec.annotations.map((a) => storedQuote(rec, a)).sort(), ['الصبر محدود', 'المحادثات'].sort());
});

appTest(env, 'mixed direction: drags between Arabic words and the number 10.8 or a Latin name give whole words', async ({ page }) => {
  const t = await docText(page, DOC2);
  const num = findRange(t, '10.8');
  const taqdur = findRange(t, 'تقدر');
  const malayin = findRange(t, 'ملايين');
  let m = await dragRangeAndTag(page, DOC2, taqdur.start + 2, num.start + 3, '2'); // تق|در بـ 10.|8
  assert.equal(m.text, 'تقدر بـ 10.8', 'from inside تقدر to inside 10.8');
  await page.keyboard.press('Delete');
  await waitForCount(page, DOC2, 0);
  m = await dragRangeAndTag(page, DOC2, num.start + 1, malayin.start + 3, '2'); // 1|0.8 ملا|يين
  assert.equal(m.text, '10.8 ملايين', 'from inside 10.8 to inside ملايين');

  const docId = await pasteArticle(page, MIXED);
  const t2 = await docText(page, docId);
  const qal = findRange(t2, 'قال John'); // not the قال inside the heading's مقال
  const kerry = findRange(t2, 'Kerry');
  const john = findRange(t2, 'John');
  const oslo = findRange(t2, 'أوسلو');
  m = await dragRangeAndTag(page, docId, qal.start + 1, kerry.start + 2, '1'); // ق|ال John Ke|rry
  assert.equal(m.text, 'قال John Kerry', 'from inside قال to inside Kerry');
  await page.keyboard.press('Delete');
  m = await dragRangeAndTag(page, docId, john.start + 2, oslo.start + 2, '3'); // Jo|hn Kerry في أو|سلو
  assert.equal(m.text, 'John Kerry في أوسلو', 'from inside John to inside أوسلو');
  await page.keyboard.press('Delete');
  m = await dragRangeAndTag(page, docId, john.start + 1, kerry.start + 3, '1'); // J|ohn Ker|ry
  assert.equal(m.text, 'John Kerry', 'inside the Latin run only');
});

// The article's column as wide as before the workspace had its list (1600 px
// wide leaves it 672 px). At 1280 the line breaks elsewhere, and one press
// (on ملايين's ي, the drag to the left edge of 1) starts no selection at all
// in Chromium: the drag itself fails, before the release this test is about.
// Not investigated further (noted in the closing note of issue 15).
appTest(env, 'mixed direction: releasing the mouse over any digit of 10.8 takes the whole number, whatever caret offset the DOM gives', { viewport: { width: 1600, height: 900 } }, async ({ page }) => {
  await ensureHelpers(page);
  const t = await docText(page, DOC2);
  const num = findRange(t, '10.8');
  const taqdur = findRange(t, 'تقدر');
  const malayin = findRange(t, 'ملايين');
  const results = [];
  // Press inside تقدر (right of the number) or ملايين (left of it), release over a digit.
  // (press on ي of ملايين: the ل and ا before it are one ligature, with no rectangle of their own)
  for (const [from, want] of [[taqdur.start + 1, 'تقدر بـ 10.8'], [malayin.start + 3, '10.8 ملايين']]) {
    for (let i = 0; i < 4; i++) {
      for (const fx of [0.25, 0.5, 0.75]) {
        await page.keyboard.press('Escape');
        await noneSelected(page);
        await clearSelection(page);
        const p = await graphemePoint(page, DOC2, from);
        const g = await graphemePoint(page, DOC2, num.start + i);
        const x = g.rect.left + (g.rect.right - g.rect.left) * fx;
        await page.mouse.move(p.x, p.y);
        await page.mouse.down();
        await page.mouse.move((p.x + x) / 2, (p.y + g.y) / 2, { steps: 4 });
        await page.mouse.move(x, g.y, { steps: 8 });
        await page.mouse.up();
        const s = await selection(page);
        assert.ok(!s.collapsed, `the drag selected text (from ${Math.round(p.x)},${Math.round(p.y)} to ${Math.round(x)},${Math.round(g.y)}; digit ${i} at ${fx})`);
        const id = await tagSelectionWith(page, DOC2, '2');
        const got = (await markOf(page, id)).text;
        results.push({ over: `${t[num.start + i]}@${fx}`, from: t.slice(from - 1, from + 2), dom: s.text, got, want });
        await page.keyboard.press('Control+z');
        await waitForCount(page, DOC2, 0);
      }
    }
  }
  const wrong = results.filter((r) => r.got !== r.want);
  assert.deepEqual(wrong, [], `drags released over the number that did not take it whole:\n${wrong.map((r) => JSON.stringify(r)).join('\n')}`);
});

appTest(env, 'tag all occurrences: whole words by default, the clitics option, harakat ignored, one undo step', async ({ page }) => {
  // موسكو: three times in the first article, all whole words.
  const text1 = await docText(page, DOC1);
  assert.equal(text1.split('موسكو').length - 1, 3);
  const a = await annotate(page, DOC1, 'موسكو', 'place');
  await waitForSelected(page, a.id);
  const editor = `${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${a.id}"]`;
  const button = `${editor} button[data-action="tag-all"]`;
  const clitics = `${editor} input[type="checkbox"][data-action="tag-all-clitics"]`;
  // the count is worked out just after the editor is drawn, off the tagging frame
  await page.waitForSelector(`${button}[data-count]`);
  assert.equal(await page.getAttribute(button, 'data-count'), '2', 'two other occurrences');
  assert.match(await page.textContent(button), /2|٢/, 'the button shows the count');
  assert.equal(await page.isChecked(clitics), false, 'clitics off by default');
  await page.click(button);
  await waitForCount(page, DOC1, 3);
  const all = await page.$$eval('article[data-doc-id="kerry-moscow-visit"] mark[data-annotation-id]', (ms) =>
    ms.map((m) => [m.dataset.label, m.textContent]),
  );
  assert.deepEqual(all, [['place', 'موسكو'], ['place', 'موسكو'], ['place', 'موسكو']]);
  const n = await waitForNotice(page, 'info', /2/);
  assert.match(n.text, /2|٢/, `the notice says how many: ${n.text}`);
  await page.waitForSelector(`${button}[data-count="0"]`);
  assert.equal(await page.isDisabled(button), true, 'nothing left to tag');
  // One undo step takes all of them back; redo brings them again.
  await page.keyboard.press('Control+z');
  await waitForCount(page, DOC1, 1);
  assert.deepEqual(await listedIds(page, DOC1), [a.id]);
  await page.keyboard.press('Control+Shift+z');
  await waitForCount(page, DOC1, 3);
  // Clitics on: the old count stays shown until the recount is ready, so read one that must
  // change. Every موسكو is a place (count 0); relabelled a person, موسكو has 2 others to tag
  // as a person, and with clitics on still 2: no بموسكو-like forms in this article.
  await clickAt(page, await markPoint(page, a.id));
  await waitForSelected(page, a.id);
  await page.waitForSelector(`${button}[data-count="0"]`);
  await page.check(clitics);
  await page.click(`${editor} button[data-action="relabel"][data-label="person"]`);
  await page.waitForSelector(`${button}[data-count="2"]`);
  assert.equal(await page.isChecked(clitics), true, 'counted with clitics on');

  // روسيا in the second article: once more as a word, once behind و (وروسيا).
  const b = await annotate(page, DOC2, 'روسيا', 'place');
  await waitForSelected(page, b.id);
  const ed2 = `${panelSel(DOC2)} [data-role="editor"][data-annotation-id="${b.id}"]`;
  await page.waitForSelector(`${ed2} button[data-action="tag-all"][data-count]`);
  assert.equal(await page.getAttribute(`${ed2} button[data-action="tag-all"]`, 'data-count'), '1');
  await page.check(`${ed2} input[data-action="tag-all-clitics"]`);
  await page.waitForSelector(`${ed2} button[data-action="tag-all"][data-count="2"]`);
  await page.click(`${ed2} button[data-action="tag-all"]`);
  await waitForCount(page, DOC2, 3);
  const texts = await page.$$eval('article[data-doc-id="kerry-warns-russia"] mark[data-annotation-id]', (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(texts, ['روسيا', 'روسيا', 'روسيا'], 'the one in وروسيا is tagged without its و');
  const rec = await stored(page, DOC2);
  assert.deepEqual(rec.annotations.map((x) => x.quote), ['روسيا', 'روسيا', 'روسيا']);
  await page.keyboard.press('Control+z');
  await waitForCount(page, DOC2, 1);

  // Harakat ignored, whole words only, clitics on request, in a pasted article.
  const docId = await pasteArticle(
    page,
    'عنوان\n\nوصل الوفد إلى موسكو أمس، وفي مُوسْكُو عقدت المحادثات ثم أقام بموسكو يومين قبل أن يزور موسكوفيا.',
  );
  const c = await annotate(page, docId, 'موسكو', 'place');
  await waitForSelected(page, c.id);
  const ed3 = `${panelSel(docId)} [data-role="editor"][data-annotation-id="${c.id}"]`;
  await page.waitForSelector(`${ed3} button[data-action="tag-all"][data-count]`);
  assert.equal(await page.getAttribute(`${ed3} button[data-action="tag-all"]`, 'data-count'), '1', 'مُوسْكُو matches with its harakat ignored; موسكوفيا and بموسكو do not');
  await page.check(`${ed3} input[data-action="tag-all-clitics"]`);
  await page.waitForSelector(`${ed3} button[data-action="tag-all"][data-count="2"]`);
  await page.click(`${ed3} button[data-action="tag-all"]`);
  await waitForCount(page, docId, 3);
  const t3 = await page.$$eval(`article[data-doc-id="${docId}"] mark[data-annotation-id]`, (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(t3, ['موسكو', 'مُوسْكُو', 'موسكو']);
});
