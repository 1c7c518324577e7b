// Tagging text with a real mouse selection, and everything a user then does
// with a tag: relabel, note, delete, undo/redo, select nested tags by clicking.

import assert from 'node:assert/strict';
import { useApp, appTest } from './lib/browser.mjs';
import { dragSelect, dragToElement, findRange, selectText, textPoint, clearSelection } from './lib/select.mjs';
import {
  DOC1, DOC2, art, panelSel, annotate, marks, markedText, panel, listedIds, waitForCount,
  waitForSelected, selectedIds, markPoint, clickAt, stored, docText, cpSlice, cpOffset, assertQuote, showDoc,
} from './lib/app.mjs';

const env = useApp();

const PERSON = 'جون كيري';
const PLACE = 'موسكو';
const SENTENCE = 'يتوجه وزير الخارجية الأميركي جون كيري الخميس إلى موسكو في زيارة تستغرق يومين';

/** Reading order of the brief: by start, the longer span first. */
const readingOrder = (anns) => [...anns].sort((a, b) => a.start - b.start || b.end - a.end);

async function marksOf(page, id) {
  return (await marks(page, DOC1)).filter((m) => m.id === id);
}

appTest(env, 'the toolbar offers the three labels in Arabic with English titles', async ({ page }) => {
  const buttons = await page.$$eval('div[role="toolbar"] button[data-label]', (bs) =>
    bs.map((b) => ({ label: b.dataset.label, text: b.textContent.trim(), title: b.title })),
  );
  const by = Object.fromEntries(buttons.map((b) => [b.label, b]));
  assert.ok(by.person?.text.includes('شخص') && /Person/.test(by.person.title), JSON.stringify(by.person));
  assert.ok(by.place?.text.includes('مكان') && /Place/.test(by.place.title), JSON.stringify(by.place));
  assert.ok(by.claim?.text.includes('ادعاء') && /Claim/.test(by.claim.title), JSON.stringify(by.claim));
  for (const action of ['export-json', 'copy-json', 'undo', 'redo']) {
    assert.equal(await page.locator(`div[role="toolbar"] button[data-action="${action}"]`).count(), 1, action);
  }
});

appTest(env, 'person by key 1, place by toolbar, a claim around both by key 3; panel counts and order', async ({ page }) => {
  const person = await annotate(page, DOC1, PERSON, 'person', { via: 'key' });
  let ms = await marksOf(page, person.id);
  assert.equal(ms.length, 1, 'one mark for a short span');
  assert.equal(ms[0].label, 'person');
  assert.equal(ms[0].text, PERSON);
  assert.equal(ms[0].block, 1, 'first occurrence: first paragraph');

  const place = await annotate(page, DOC1, PLACE, 'place', { via: 'toolbar' });
  ms = await marksOf(page, place.id);
  assert.equal(ms.length, 1);
  assert.equal(ms[0].label, 'place');
  assert.equal(ms[0].text, PLACE);

  const claim = await annotate(page, DOC1, SENTENCE, 'claim', { via: 'key' });
  assert.equal(await markedText(page, DOC1, claim.id), SENTENCE);
  const claimMarks = await marksOf(page, claim.id);
  assert.ok(claimMarks.every((m) => m.label === 'claim'));

  // Nesting: the entity marks lie inside the claim's marks.
  const all = await marks(page, DOC1);
  const personMarks = all.filter((m) => m.id === person.id);
  const placeMarks = all.filter((m) => m.id === place.id);
  assert.equal(personMarks.map((m) => m.text).join(''), PERSON, 'the person keeps its whole text inside the claim');
  assert.equal(placeMarks.map((m) => m.text).join(''), PLACE);
  for (const m of [...personMarks, ...placeMarks]) {
    assert.ok(m.parentIds.includes(claim.id), `the ${m.label} mark has the claim mark as an ancestor`);
  }
  const nested = await page.$$eval(
    `${art(DOC1)} mark[data-label="person"][data-annotation-id="${person.id}"]`,
    (ms) => ms.every((m) => m.parentElement.closest('mark[data-label="claim"]') !== null),
  );
  assert.ok(nested, 'a person mark has an ancestor claim mark');

  // Panel: counts 1/1/1 and the list in reading order.
  const p = await panel(page, DOC1);
  assert.deepEqual(p.counts, { person: 1, place: 1, claim: 1 });
  const expected = readingOrder([
    { id: person.id, start: person.start, end: person.end, quote: PERSON, label: 'person' },
    { id: place.id, start: place.start, end: place.end, quote: PLACE, label: 'place' },
    { id: claim.id, start: claim.start, end: claim.end, quote: SENTENCE, label: 'claim' },
  ]);
  assert.deepEqual(p.items.map((i) => i.id), expected.map((e) => e.id), 'list in reading order');
  assert.deepEqual(p.items.map((i) => i.label), ['claim', 'person', 'place']);
  for (const [k, item] of p.items.entries()) {
    assertQuote(item.quote, expected[k].quote);
  }

  // The other article is untouched.
  assert.deepEqual((await panel(page, DOC2)).counts, { person: 0, place: 0, claim: 0 });
  assert.equal((await marks(page, DOC2)).length, 0);

  // Filter the list by label.
  await showDoc(page, DOC1);
  const filter = page.locator(`${panelSel(DOC1)} select[data-action="filter"]`);
  assert.deepEqual(
    await filter.locator('option').evaluateAll((os) => os.map((o) => o.value)),
    // the labels, then claims by verdict (and claims without one)
    ['all', 'person', 'place', 'claim', ...['true', 'mostly-true', 'misleading', 'false', 'unproven', ''].map((v) => `verdict:${v}`)],
  );
  for (const label of ['person', 'place', 'claim']) {
    await filter.selectOption(label);
    await page.waitForFunction(
      ([sel, label]) => {
        const lis = [...document.querySelectorAll(`${sel} li[data-annotation-id]`)];
        const shown = lis.filter((li) => li.getClientRects().length > 0 && getComputedStyle(li).visibility !== 'hidden');
        return shown.length === 1 && shown[0].dataset.label === label;
      },
      [panelSel(DOC1), label],
    );
  }
  await filter.selectOption('all');
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll(`${sel} li[data-annotation-id]`)].filter((li) => li.getClientRects().length > 0).length === 3,
    panelSel(DOC1),
  );
  assert.equal((await marks(page, DOC1)).filter((m) => m.id === claim.id).length > 0, true, 'filtering the list keeps the highlights');
});

appTest(env, 'relabel, note, delete with Delete, undo and redo', async ({ page }) => {
  const { id } = await annotate(page, DOC1, PERSON, 'person');
  const editor = `${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${id}"]`;

  // Select by clicking the highlight; the editor opens for it.
  await page.keyboard.press('Escape');
  await clickAt(page, await markPoint(page, id));
  await waitForSelected(page, id);
  await page.waitForSelector(editor);

  // Relabel person -> place.
  await page.click(`${editor} button[data-action="relabel"][data-label="place"]`);
  await page.waitForSelector(`${art(DOC1)} mark[data-annotation-id="${id}"][data-label="place"]`);
  await page.waitForSelector(`${panelSel(DOC1)} li[data-annotation-id="${id}"][data-label="place"]`);
  assert.deepEqual((await panel(page, DOC1)).counts, { person: 0, place: 1, claim: 0 });
  assert.equal(await page.locator(`${art(DOC1)} mark[data-annotation-id="${id}"][data-label="person"]`).count(), 0);

  // A note shows in the list.
  const NOTE = 'وزير الخارجية الأميركي — ملاحظة';
  await page.waitForSelector(editor);
  await page.fill(`${editor} textarea[data-role="note"]`, NOTE);
  await page.click(`${editor} button[data-action="save-note"]`);
  await page.waitForFunction(
    ([sel, note]) => document.querySelector(sel)?.textContent.includes(note),
    [`${panelSel(DOC1)} li[data-annotation-id="${id}"] .note`, NOTE],
  );
  const beforeDelete = (await panel(page, DOC1)).items;

  // Delete with the Delete key.
  await clickAt(page, await markPoint(page, id));
  await waitForSelected(page, id);
  await page.keyboard.press('Delete');
  await waitForCount(page, DOC1, 0);
  assert.equal(await page.locator(`mark[data-annotation-id="${id}"]`).count(), 0, 'its marks are gone');
  assert.deepEqual((await panel(page, DOC1)).counts, { person: 0, place: 0, claim: 0 });

  const isBack = async () => {
    await waitForCount(page, DOC1, 1);
    const items = (await panel(page, DOC1)).items;
    assert.deepEqual(
      items.map(({ id, label, quote, note }) => ({ id, label, quote, note })),
      beforeDelete.map(({ id, label, quote, note }) => ({ id, label, quote, note })),
      'undo restores the same annotation with its label and note',
    );
    assert.equal(await markedText(page, DOC1, id), PERSON);
    assert.equal(await page.locator(`mark[data-annotation-id="${id}"][data-label="place"]`).count() > 0, true);
    assert.deepEqual((await panel(page, DOC1)).counts, { person: 0, place: 1, claim: 0 });
  };
  const isGone = async () => {
    await waitForCount(page, DOC1, 0);
    assert.equal(await page.locator(`mark[data-annotation-id="${id}"]`).count(), 0);
  };

  await page.keyboard.press('Control+z');
  await isBack();
  await page.keyboard.press('Control+Shift+z');
  await isGone();
  await page.keyboard.press('Control+z');
  await isBack();
  await page.keyboard.press('Control+y');
  await isGone();
  await page.click('div[role="toolbar"] button[data-action="undo"]');
  await isBack();
  await page.click('div[role="toolbar"] button[data-action="redo"]');
  await isGone();
});

appTest(env, 'undo also steps back through a note and a relabel', async ({ page }) => {
  const { id } = await annotate(page, DOC1, PERSON, 'person');
  const editor = `${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${id}"]`;
  await clickAt(page, await markPoint(page, id));
  await waitForSelected(page, id);
  await page.click(`${editor} button[data-action="relabel"][data-label="claim"]`);
  await page.waitForSelector(`${art(DOC1)} mark[data-annotation-id="${id}"][data-label="claim"]`);
  await page.waitForSelector(editor);
  await page.fill(`${editor} textarea[data-role="note"]`, 'ملاحظة');
  await page.click(`${editor} button[data-action="save-note"]`);
  const noteSel = `${panelSel(DOC1)} li[data-annotation-id="${id}"] .note`;
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('ملاحظة'), noteSel);

  await page.click('div[role="toolbar"] button[data-action="undo"]'); // the note
  await page.waitForFunction((sel) => !(document.querySelector(sel)?.textContent ?? '').includes('ملاحظة'), noteSel);
  assert.equal(await page.locator(`${art(DOC1)} mark[data-annotation-id="${id}"][data-label="claim"]`).count() > 0, true);
  await page.click('div[role="toolbar"] button[data-action="undo"]'); // the relabel
  await page.waitForSelector(`${art(DOC1)} mark[data-annotation-id="${id}"][data-label="person"]`);
  assert.deepEqual((await panel(page, DOC1)).counts, { person: 1, place: 0, claim: 0 });
  await page.click('div[role="toolbar"] button[data-action="redo"]');
  await page.waitForSelector(`${art(DOC1)} mark[data-annotation-id="${id}"][data-label="claim"]`);
  await page.click('div[role="toolbar"] button[data-action="redo"]');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('ملاحظة'), noteSel);
});

appTest(env, 'Backspace and the editor button also delete; Escape deselects', async ({ page }) => {
  const a = await annotate(page, DOC1, PERSON, 'person');
  const b = await annotate(page, DOC1, PLACE, 'place');

  await clickAt(page, await markPoint(page, a.id));
  await waitForSelected(page, a.id);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('mark[data-selected="true"]').length === 0);
  assert.equal(await page.locator(`${panelSel(DOC1)} [data-role="editor"][data-annotation-id]`).count(), 0, 'no editor without a selection');

  await clickAt(page, await markPoint(page, a.id));
  await waitForSelected(page, a.id);
  await page.keyboard.press('Backspace');
  await waitForCount(page, DOC1, 1);
  assert.deepEqual(await listedIds(page, DOC1), [b.id]);

  await page.click(`${panelSel(DOC1)} li[data-annotation-id="${b.id}"]`);
  await waitForSelected(page, b.id);
  await page.click(`${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${b.id}"] button[data-action="delete"]`);
  await waitForCount(page, DOC1, 0);
  assert.equal(await page.locator('mark[data-annotation-id]').count(), 0);
});

appTest(env, 'clicking nested highlights selects the innermost first, then the enclosing one', async ({ page }) => {
  const person = await annotate(page, DOC1, PERSON, 'person');
  const claim = await annotate(page, DOC1, SENTENCE, 'claim');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('mark[data-selected="true"]').length === 0);

  const pt = await markPoint(page, person.id);
  // the point really is inside both highlights
  const ids = await page.evaluate(({ x, y }) => {
    const out = [];
    for (let m = document.elementFromPoint(x, y)?.closest('mark'); m; m = m.parentElement.closest('mark')) {
      out.push(m.dataset.annotationId);
    }
    return out;
  }, pt);
  assert.deepEqual(ids, [person.id, claim.id], 'person mark inside claim mark at the click point');

  await clickAt(page, pt);
  await waitForSelected(page, person.id);
  await page.waitForSelector(`${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${person.id}"]`);

  await clickAt(page, pt);
  await waitForSelected(page, claim.id);
  await page.waitForSelector(`${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${claim.id}"]`);
  assert.deepEqual(await selectedIds(page), [claim.id]);
  const text = await page.evaluate(() => getSelection().toString());
  assert.equal(text, '', 'clicking a highlight does not leave a text selection');
});

appTest(env, 'white space around a selection is trimmed', async ({ page }) => {
  const sel = await selectText(page, DOC1, ` ${PLACE} `);
  assert.equal(sel.text, ` ${PLACE} `, 'the drag really selected the spaces too');
  await page.keyboard.press('2');
  await waitForCount(page, DOC1, 1);
  const [item] = (await panel(page, DOC1)).items;
  assert.equal(item.label, 'place');
  assertQuote(item.quote, PLACE);
  assert.equal(await markedText(page, DOC1, item.id), PLACE, 'the highlight covers the word only');

  const text = await docText(page, DOC1);
  const rec = (await stored(page, DOC1)).annotations.find((a) => a.id === item.id);
  assert.equal(rec.quote, PLACE);
  assert.equal(rec.start, cpOffset(text, sel.start + 1));
  assert.equal(rec.end, cpOffset(text, sel.end - 1));
  assert.equal(cpSlice(text, rec.start, rec.end), PLACE);
});

appTest(env, 'a double-clicked word and a triple-clicked paragraph are tagged exactly', async ({ page }) => {
  const text = await docText(page, DOC1);
  const word = findRange(text, PLACE);
  await clearSelection(page);
  const wp = await textPoint(page, DOC1, word.start, word.end);
  await page.mouse.dblclick(wp.x, wp.y);
  assert.equal((await page.evaluate(() => getSelection().toString())).trim(), PLACE, 'the browser selected the word');
  await page.keyboard.press('2');
  await waitForCount(page, DOC1, 1);
  let [item] = (await panel(page, DOC1)).items;
  assert.equal(item.label, 'place');
  assert.equal(await markedText(page, DOC1, item.id), PLACE);

  // The third paragraph: a triple click selects it (and, in Chromium, reaches
  // into the start of the next block); the tag covers the paragraph's text.
  const blocks = text.split('\n');
  const para = blocks[3];
  const start = text.indexOf(para);
  await clearSelection(page);
  const pt = await textPoint(page, DOC1, start + 5, start + 9);
  await page.mouse.click(pt.x, pt.y, { clickCount: 3 });
  assert.ok((await page.evaluate(() => getSelection().toString())).includes(para), 'the browser selected the paragraph');
  await page.keyboard.press('3');
  await waitForCount(page, DOC1, 2);
  item = (await panel(page, DOC1)).items.find((i) => i.label === 'claim');
  // snapping to words (on by default) leaves the closing full stop outside
  const words = para.replace(/[.،؛؟]+$/u, '');
  assert.ok(words.length < para.length, 'the paragraph ends with punctuation');
  assert.equal(await markedText(page, DOC1, item.id), words, 'the claim is exactly the paragraph\'s words');
  const rec = (await stored(page, DOC1)).annotations.find((a) => a.id === item.id);
  assert.equal(rec.quote, words);
  assert.equal(rec.start, cpOffset(text, start));
});

// The workspace draws one article at a time: a selection can no longer
// reach a second article, but it can run out into the list of articles.
appTest(env, 'a selection from the article into the list of articles is refused with an error notice', { viewport: { width: 1280, height: 1000 } }, async ({ page }) => {
  const t1 = await docText(page, DOC1);
  const from = { docId: DOC1, u: findRange(t1, 'وزير').end };
  for (const via of ['key', 'toolbar']) {
    const sel = await dragToElement(page, from, `nav[data-role="documents"] li[data-doc-id="${DOC2}"] .title`);
    assert.ok(!sel.collapsed && sel.text.length > 0, 'the drag selected text');
    if (via === 'key') await page.keyboard.press('1');
    else await page.click('div[role="toolbar"] button[data-label="place"]');
    const notice = page.locator('[data-role="notice"][data-kind="error"]');
    await notice.waitFor({ state: 'visible' });
    assert.ok((await notice.textContent()).trim().length > 0, 'the notice explains the refusal');
    assert.equal(await page.locator('[data-role="notice"]').first().getAttribute('role'), 'status');
    assert.equal(await page.locator('mark[data-annotation-id]').count(), 0, 'no highlight was made');
    assert.equal((await listedIds(page, DOC1)).length, 0);
    // Clear the notice state for the second round: a valid tag works afterwards.
    const ok = await annotate(page, DOC1, PERSON, 'person');
    assert.equal(await markedText(page, DOC1, ok.id), PERSON);
    await clickAt(page, await markPoint(page, ok.id));
    await waitForSelected(page, ok.id);
    await page.keyboard.press('Delete');
    await waitForCount(page, DOC1, 0);
  }
});

appTest(env, 'a selection that leaves the article for its side panel is refused with an error notice', async ({ page }) => {
  const text = await docText(page, DOC1);
  const from = { docId: DOC1, u: findRange(text, 'المسؤولين').start };
  const sel = await dragToElement(page, from, `${panelSel(DOC1)} [data-count="place"]`);
  assert.ok(!sel.collapsed && sel.text.length > 0, 'the drag selected text');
  assert.deepEqual(sel.anchor, from, 'the selection starts in the article');
  assert.equal(sel.focus, null, 'and ends outside it');
  await page.keyboard.press('3');
  const notice = page.locator('[data-role="notice"][data-kind="error"]');
  await notice.waitFor({ state: 'visible' });
  assert.ok((await notice.textContent()).trim().length > 0, 'the notice explains the refusal');
  assert.equal(await page.locator('mark[data-annotation-id]').count(), 0, 'no highlight was made');
  assert.equal((await listedIds(page, DOC1)).length, 0);
});

appTest(env, 'a selection across two paragraphs makes one annotation shown in both', async ({ page }) => {
  const NEEDLE = 'الأزمة السورية.\nوقال المتحدث';
  const { id, start, end } = await annotate(page, DOC1, NEEDLE, 'claim');
  const ms = await marksOf(page, id);
  const blocks = [...new Set(ms.map((m) => m.block))];
  assert.deepEqual(blocks, [1, 2], 'marks in the first and second paragraphs');
  assert.ok(ms.every((m) => m.label === 'claim'));
  assert.equal(await markedText(page, DOC1, id), NEEDLE);
  assert.equal(await page.locator(`${art(DOC1)} mark[data-annotation-id="${id}"]`).count(), ms.length);

  const [item] = (await panel(page, DOC1)).items;
  assert.equal(item.id, id);
  assertQuote(item.quote, NEEDLE);

  const text = await docText(page, DOC1);
  const rec = (await stored(page, DOC1)).annotations.find((a) => a.id === id);
  assert.equal(rec.quote, NEEDLE, 'the stored quote holds the paragraph break as "\\n"');
  assert.equal(rec.start, cpOffset(text, start));
  assert.equal(rec.end, cpOffset(text, end));
  assert.deepEqual((await panel(page, DOC1)).counts, { person: 0, place: 0, claim: 1 });
});

// 720 px high: the last paragraph of the second article, where the highlight is, lies below
// the fold (at 900 px the workspace shows the whole article).
appTest(env, 'clicking a list item scrolls to its highlight, flashes and selects it', { viewport: { width: 1280, height: 720 } }, async ({ page }) => {
  const { id } = await annotate(page, DOC2, 'الحكومة العراقية', 'place');
  await page.keyboard.press('Escape');
  await page.evaluate(() => scrollTo(0, 0));
  // The list item at the bottom of the viewport, its highlight further down, off-screen.
  const before = await page.evaluate((id) => {
    const li = document.querySelector(`aside[data-panel-for] li[data-annotation-id="${id}"]`);
    li.scrollIntoView({ block: 'end' });
    const r = li.getBoundingClientRect();
    const m = document.querySelector(`mark[data-annotation-id="${id}"]`).getBoundingClientRect();
    return { li: { x: r.left + r.width / 2, y: r.top + r.height / 2 }, mark: { top: m.top, bottom: m.bottom }, innerHeight };
  }, id);
  assert.ok(before.mark.top >= before.innerHeight || before.mark.bottom <= 0, `the highlight is off-screen before the click: ${JSON.stringify(before)}`);
  await clickAt(page, before.li);
  await page.waitForSelector(`mark[data-annotation-id="${id}"][data-flash="true"]`, { timeout: 3000 });
  await waitForSelected(page, id);
  await page.waitForFunction((id) => {
    const r = document.querySelector(`mark[data-annotation-id="${id}"]`).getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
  }, id);
  // The flash is brief.
  await page.waitForFunction(
    (id) => document.querySelectorAll(`mark[data-annotation-id="${id}"][data-flash="true"]`).length === 0,
    id,
    { timeout: 5000 },
  );
  await page.waitForSelector(`${panelSel(DOC2)} [data-role="editor"][data-annotation-id="${id}"]`);
});
