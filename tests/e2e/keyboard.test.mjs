// Keyboard-only annotation (issue 5): the caret in a focused article and its
// RTL visual-direction moves, Shift-extended selections tagged exactly,
// Tab/Shift+Tab through the annotations in reading order, Enter / Ctrl+Enter /
// Escape around the note, relabel and delete by key, edge moves with undo, and
// the `?` list of keys. Every key is a real key press.

import assert from 'node:assert/strict';
import { useApp, appTest } from './lib/browser.mjs';
import { findRange, selection } from './lib/select.mjs';
import {
  DOC1, DOC2, art, panelSel, annotate, panel, listedIds, waitForCount, waitForSelected,
  selectedIds, stored, docText, pasteArticle, cpSlice,
} from './lib/app.mjs';
import {
  caretOffset, focused, waitForArticleFocus, placeCaret, pressTimes, waitForCaretAtSelection,
  waitForNoCaret, blockOfOffset, isWordEdge, tagSelectionWith, markOf, waitForMarkText, currentItem,
  inViewport,
} from './lib/keys.mjs';

const env = useApp();

const noneSelected = (page) =>
  page.waitForFunction(() => document.querySelectorAll('mark[data-selected="true"]').length === 0);

/** Waits until the doc offset of the caret (selection focus) is `u`. */
async function waitForCaretOffset(page, docId, u) {
  try {
    await page.waitForFunction(
      ([docId, u]) => {
        const sel = getSelection();
        const p = sel.focusNode && window.__hashiyaE2E.docPos(sel.focusNode, sel.focusOffset);
        return p && p.docId === docId && p.u === u;
      },
      [docId, u],
      { timeout: 3000 },
    );
  } catch {
    throw new Error(`the caret is at ${JSON.stringify((await selection(page)).focus)}, expected ${docId}@${u}`);
  }
}

appTest(env, 'a click focuses the article and draws a caret; arrows move it in visual direction (RTL)', async ({ page }) => {
  const text = await docText(page, DOC1);
  const word = findRange(text, 'موسكو');
  const u0 = word.start + 2; // مو|سكو
  await placeCaret(page, DOC1, u0);
  const c0 = await waitForCaretAtSelection(page, DOC1);

  // In the RTL article ArrowLeft moves forward in reading order, one letter per press.
  await page.keyboard.press('ArrowLeft');
  await waitForCaretOffset(page, DOC1, u0 + 1);
  const c1 = await waitForCaretAtSelection(page, DOC1);
  assert.ok(c1.left < c0.left, `ArrowLeft moves the drawn caret to the left (${c0.left} -> ${c1.left})`);
  await page.keyboard.press('ArrowLeft');
  await waitForCaretOffset(page, DOC1, u0 + 2);
  await pressTimes(page, 'ArrowRight', 3);
  await waitForCaretOffset(page, DOC1, u0 - 1);
  const c2 = await waitForCaretAtSelection(page, DOC1);
  assert.ok(c2.left > c0.left, 'ArrowRight moves the caret to the right, back in reading order');
  assert.deepEqual(await focused(page).then((f) => f.docId), DOC1, 'the article keeps focus');

  // Ctrl+Arrow: by word. From inside موسكو, Ctrl+ArrowLeft goes to a word edge further on.
  await placeCaret(page, DOC1, u0);
  await page.keyboard.press('Control+ArrowLeft');
  const w1 = await caretOffset(page, DOC1);
  assert.ok(w1 >= word.end, `Ctrl+ArrowLeft leaves the word forwards (${u0} -> ${w1}, word ends at ${word.end})`);
  assert.ok(isWordEdge(text, w1), `Ctrl+ArrowLeft stops at a word edge (${w1}: ${JSON.stringify(text.slice(w1 - 3, w1 + 3))})`);
  await page.keyboard.press('Control+ArrowLeft');
  const w2 = await caretOffset(page, DOC1);
  assert.ok(w2 > w1 + 1 && isWordEdge(text, w2), `a second Ctrl+ArrowLeft goes one word on (${w1} -> ${w2})`);
  await page.keyboard.press('Control+ArrowRight');
  const w3 = await caretOffset(page, DOC1);
  assert.ok(w3 < w2 && w3 >= w1 - 1 && isWordEdge(text, w3), `Ctrl+ArrowRight goes one word back (${w2} -> ${w3})`);
  await waitForCaretAtSelection(page, DOC1);

  // Home / End: the start and end of the visual line (in RTL, its right and left ends).
  await placeCaret(page, DOC1, u0);
  const line = await waitForCaretAtSelection(page, DOC1);
  await page.keyboard.press('Home');
  const home = await caretOffset(page, DOC1);
  const cHome = await waitForCaretAtSelection(page, DOC1);
  await page.keyboard.press('End');
  const end = await caretOffset(page, DOC1);
  const cEnd = await waitForCaretAtSelection(page, DOC1);
  assert.equal(home, text.indexOf('\n') + 1, 'موسكو is on the first line of paragraph 1, so Home goes to the paragraph start');
  assert.ok(end > u0 && blockOfOffset(text, end) === 1, `End goes forward within the paragraph (${end})`);
  assert.ok(Math.abs(cHome.top - line.top) < 2 && Math.abs(cEnd.top - line.top) < 2, 'Home and End stay on the line');
  assert.ok(cHome.left > cEnd.left + 300, `Home is at the right end of the line, End at the left (${cHome.left}, ${cEnd.left})`);

  // ArrowDown / ArrowUp: one line; Ctrl+ArrowDown / Ctrl+ArrowUp: one paragraph.
  await placeCaret(page, DOC1, u0);
  await page.keyboard.press('ArrowDown');
  const down = await caretOffset(page, DOC1);
  const cDown = await waitForCaretAtSelection(page, DOC1);
  assert.ok(down > u0 && cDown.top > line.top + line.height * 0.5, `ArrowDown goes to the next line (${u0} -> ${down})`);
  await page.keyboard.press('ArrowUp');
  const up = await caretOffset(page, DOC1);
  const cUp = await waitForCaretAtSelection(page, DOC1);
  assert.ok(up < down && Math.abs(cUp.top - line.top) < 2, `ArrowUp goes back up a line (${down} -> ${up})`);

  await page.keyboard.press('Control+ArrowDown');
  const p2 = await caretOffset(page, DOC1);
  assert.equal(blockOfOffset(text, p2), 2, `Ctrl+ArrowDown goes to the next paragraph (${p2})`);
  await page.keyboard.press('Control+ArrowDown');
  assert.equal(blockOfOffset(text, await caretOffset(page, DOC1)), 3, 'and on to the one after');
  await page.keyboard.press('Control+ArrowUp');
  assert.equal(blockOfOffset(text, await caretOffset(page, DOC1)), 2, 'Ctrl+ArrowUp goes to the previous paragraph');
  await waitForCaretAtSelection(page, DOC1);

  // No caret while text is selected, nor when the article loses focus.
  await page.keyboard.press('Shift+ArrowLeft');
  await waitForNoCaret(page, DOC1);
  await page.keyboard.press('ArrowLeft');
  await waitForCaretAtSelection(page, DOC1);
  await page.keyboard.press('Tab'); // no annotations: Tab leaves the article
  await page.waitForFunction((id) => document.activeElement?.dataset?.docId !== id, DOC1);
  await waitForNoCaret(page, DOC1);
});

appTest(env, 'an arrow moves over a whole grapheme: a letter with its harakat', async ({ page }) => {
  const docId = await pasteArticle(page, 'عنوان\n\nقال مُحَمَّد إن الخبر صحيح.');
  const text = await docText(page, docId);
  const at = text.indexOf('مُحَمَّد');
  await placeCaret(page, docId, at);
  await page.keyboard.press('ArrowLeft');
  await waitForCaretOffset(page, docId, at + 2); // مُ
  await page.keyboard.press('ArrowLeft');
  await waitForCaretOffset(page, docId, at + 4); // حَ
  await page.keyboard.press('ArrowLeft');
  await waitForCaretOffset(page, docId, at + 7); // مَّ (shadda and fatha)
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  const s = await selection(page);
  assert.equal(s.text, 'حَمَّ', 'Shift+ArrowRight extends back over whole graphemes');
  const id = await tagSelectionWith(page, docId, '1');
  await waitForMarkText(page, id, 'حَمَّ');
});

appTest(env, 'Shift extends by letter and word; 1/2/3 tag exactly what the keys selected, never snapped to words', async ({ page }) => {
  const text = await docText(page, DOC1);
  const moscow = findRange(text, 'موسكو');
  await placeCaret(page, DOC1, moscow.start + 1); // م|وسكو
  await pressTimes(page, 'Shift+ArrowLeft', 4);
  await page.keyboard.press('Shift+ArrowRight'); // back one: extend, not move
  let s = await selection(page);
  assert.equal(s.text, 'وسك');
  assert.deepEqual([s.anchor.u, s.focus.u], [moscow.start + 1, moscow.start + 4], 'anchor stays, focus moved forward in reading order');
  await waitForNoCaret(page, DOC1);
  const place = await tagSelectionWith(page, DOC1, '2');
  let m = await markOf(page, place);
  assert.deepEqual([m.label, m.text], ['place', 'وسك'], 'the tag is the keyboard selection, not the whole word');
  await page.waitForFunction(() => /أضيف مكان: وسك/.test(document.querySelector('.notice[role="status"]')?.textContent ?? ''));

  // Shift+Ctrl+ArrowLeft from inside الخارجية selects to the word's end: tagged as is.
  await page.keyboard.press('Escape');
  await noneSelected(page);
  const kharij = findRange(text, 'الخارجية');
  await placeCaret(page, DOC1, kharij.start + 2); // ال|خارجية
  await page.keyboard.press('Shift+Control+ArrowLeft');
  s = await selection(page);
  assert.equal(s.text.trim(), 'خارجية');
  const claim = await tagSelectionWith(page, DOC1, '3');
  m = await markOf(page, claim);
  assert.deepEqual([m.label, m.text], ['claim', 'خارجية']);

  // Two words with Shift+Ctrl+ArrowLeft twice from a word's start, tagged as person.
  await page.keyboard.press('Escape');
  const john = findRange(text, 'جون كيري');
  await placeCaret(page, DOC1, john.start);
  await pressTimes(page, 'Shift+Control+ArrowLeft', 2);
  assert.equal((await selection(page)).text.trim(), 'جون كيري');
  const person = await tagSelectionWith(page, DOC1, '1');
  m = await markOf(page, person);
  assert.deepEqual([m.label, m.text], ['person', 'جون كيري']);

  const rec = await stored(page, DOC1);
  const quotes = Object.fromEntries(rec.annotations.map((a) => [a.id, a.quote]));
  assert.deepEqual([quotes[place], quotes[claim], quotes[person]], ['وسك', 'خارجية', 'جون كيري']);
});

appTest(env, 'Tab and Shift+Tab select the annotations in reading order, scrolled into view; past the last Tab leaves', { viewport: { width: 1280, height: 560 } }, async ({ page }) => {
  // Made out of reading order: a late place, a person, a claim around that person.
  const late = await annotate(page, DOC1, 'موسكو', 'place', { occurrence: 2 });
  const person = await annotate(page, DOC1, 'جون كيري', 'person');
  const claim = await annotate(page, DOC1, 'وزير الخارجية الأميركي جون كيري', 'claim');
  const other = await annotate(page, DOC1, 'سيرغي لافروف', 'person');
  await page.keyboard.press('Escape');
  await noneSelected(page);
  const order = [claim.id, person.id, other.id, late.id]; // by start, the longer first
  assert.deepEqual(await listedIds(page, DOC1), order, 'the panel lists them in reading order');

  const text = await docText(page, DOC1);
  await placeCaret(page, DOC1, text.indexOf('لقاء')); // the heading, before all of them
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const id of order) {
    await page.keyboard.press('Tab');
    await waitForSelected(page, id);
    assert.deepEqual(await currentItem(page, DOC1), [id], 'the panel marks the same item current');
    await page.waitForSelector(`${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${id}"]`);
    await page.waitForFunction(
      (id) => {
        const r = document.querySelector(`mark[data-annotation-id="${id}"]`).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight;
      },
      id,
    );
    assert.equal((await focused(page)).docId, DOC1, 'focus stays in the article');
  }
  assert.ok(await inViewport(page, `mark[data-annotation-id="${late.id}"]`), 'the last one was scrolled into view');

  // Back with Shift+Tab.
  for (const id of [...order].reverse().slice(1)) {
    await page.keyboard.press('Shift+Tab');
    await waitForSelected(page, id);
    assert.deepEqual(await currentItem(page, DOC1), [id]);
  }
  // Forward to the last again, then Tab leaves the article as usual.
  await pressTimes(page, 'Tab', order.length - 1);
  await waitForSelected(page, late.id);
  await page.keyboard.press('Tab');
  await page.waitForFunction((id) => document.activeElement?.dataset?.docId !== id, DOC1);
  const f = await focused(page);
  assert.notEqual(f.tag, 'body', 'focus went on to the next control');
  assert.deepEqual(await selectedIds(page), [late.id], 'leaving does not change the selection');
});

appTest(env, 'Enter focuses the note, Ctrl+Enter saves it, Escape closes the editor and returns focus to the article', async ({ page }) => {
  const a = await annotate(page, DOC1, 'جون كيري', 'person');
  await page.keyboard.press('Escape');
  await noneSelected(page);
  const text = await docText(page, DOC1);
  await placeCaret(page, DOC1, text.indexOf('لقاء'));
  await page.keyboard.press('Tab');
  await waitForSelected(page, a.id);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (id) => document.activeElement?.matches?.(`[data-role="editor"][data-annotation-id="${CSS.escape(id)}"] [data-role="note"]`),
    a.id,
  );
  const NOTE = 'المبعوث الأميركي';
  await page.keyboard.type(NOTE);
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(
    ([sel, note]) => document.querySelector(sel)?.textContent.includes(note),
    [`${panelSel(DOC1)} li[data-annotation-id="${a.id}"] .note`, NOTE],
  );
  await page.waitForFunction(
    ([id, note]) => (document.querySelector(`mark[data-annotation-id="${id}"]`)?.title ?? '').includes(note),
    [a.id, NOTE],
  );
  assert.equal((await stored(page, DOC1)).annotations.find((x) => x.id === a.id).note, NOTE);
  // Typing in the note did not tag or relabel anything.
  assert.equal((await markOf(page, a.id)).label, 'person');

  await page.keyboard.press('Escape');
  await noneSelected(page);
  assert.equal(await page.locator(`${panelSel(DOC1)} [data-role="editor"][data-annotation-id]`).count(), 0, 'the editor is closed');
  await waitForArticleFocus(page, DOC1);

  // Escape elsewhere deselects.
  await page.keyboard.press('Tab');
  await waitForSelected(page, a.id);
  await page.keyboard.press('Escape');
  await noneSelected(page);
  await waitForArticleFocus(page, DOC1);
});

appTest(env, 'with no text selected 1/2/3 relabel the selected annotation; Delete and Backspace delete; undo restores', async ({ page }) => {
  const a = await annotate(page, DOC1, 'جون كيري', 'person');
  await waitForSelected(page, a.id);
  const editor = `${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${a.id}"]`;
  for (const [key, label] of [['2', 'place'], ['3', 'claim'], ['1', 'person'], ['2', 'place']]) {
    await page.keyboard.press(key);
    await page.waitForSelector(`${art(DOC1)} mark[data-annotation-id="${a.id}"][data-label="${label}"]`);
    await page.waitForSelector(`${editor} button[data-action="relabel"][data-label="${label}"][aria-pressed="true"]`);
    assert.equal(await page.locator(`${editor} button[data-action="relabel"][aria-pressed="true"]`).count(), 1);
  }
  assert.equal((await listedIds(page, DOC1)).length, 1, 'relabelling added nothing');
  assert.deepEqual((await panel(page, DOC1)).counts, { person: 0, place: 1, claim: 0 });
  await page.keyboard.press('Control+z');
  await page.waitForSelector(`${art(DOC1)} mark[data-annotation-id="${a.id}"][data-label="person"]`);

  await page.keyboard.press('Delete');
  await waitForCount(page, DOC1, 0);
  await page.keyboard.press('Control+z');
  await waitForCount(page, DOC1, 1);
  assert.equal((await markOf(page, a.id)).label, 'person');

  const text = await docText(page, DOC1);
  await placeCaret(page, DOC1, text.indexOf('لقاء'));
  await page.keyboard.press('Tab');
  await waitForSelected(page, a.id);
  await page.keyboard.press('Backspace');
  await waitForCount(page, DOC1, 0);
  assert.equal(await page.locator('mark[data-annotation-id]').count(), 0);
});

appTest(env, 'Alt+Shift+Arrow moves the start edge, Ctrl+Alt+Shift+Arrow the end edge, in visual direction, one undo step each', async ({ page }) => {
  // The snapped word للنرويج; cut the article's ل off the front, then more.
  const a = await annotate(page, DOC2, 'للنرويج', 'place');
  await waitForSelected(page, a.id);
  await waitForMarkText(page, a.id, 'للنرويج');
  const steps = [
    ['Alt+Shift+ArrowLeft', 'لنرويج'], // start forward in reading order (RTL: left)
    ['Alt+Shift+ArrowLeft', 'نرويج'],
    ['Alt+Shift+ArrowRight', 'لنرويج'], // start back
    ['Control+Alt+Shift+ArrowRight', 'لنروي'], // end back in reading order (RTL: right)
    ['Control+Alt+Shift+ArrowLeft', 'لنرويج'], // end forward
    ['Control+Alt+Shift+ArrowRight', 'لنروي'],
  ];
  const shown = ['للنرويج'];
  for (const [key, want] of steps) {
    await page.keyboard.press(key);
    await waitForMarkText(page, a.id, want);
    shown.push(want);
    const m = await markOf(page, a.id);
    assert.ok(m.selected && m.label === 'place', `${key}: still the selected place`);
  }
  assert.equal((await listedIds(page, DOC2)).length, 1, 'the same annotation, moved');
  const text = await docText(page, DOC2);
  let rec = (await stored(page, DOC2)).annotations[0];
  assert.equal(rec.quote, 'لنروي');
  assert.equal(cpSlice(text, rec.start, rec.end), 'لنروي');

  // Each move is one undo step; then the tag itself.
  for (const want of shown.slice(0, -1).reverse()) {
    await page.keyboard.press('Control+z');
    await waitForMarkText(page, a.id, want);
  }
  rec = (await stored(page, DOC2)).annotations[0];
  assert.equal(rec.quote, 'للنرويج');
  await page.keyboard.press('Control+z');
  await waitForCount(page, DOC2, 0);
  await page.keyboard.press('Control+Shift+z');
  await waitForCount(page, DOC2, 1);
});

appTest(env, 'an edge move that would leave an empty span changes nothing', async ({ page }) => {
  const text = await docText(page, DOC1);
  const at = findRange(text, 'موسكو').start;
  await placeCaret(page, DOC1, at);
  await page.keyboard.press('Shift+ArrowLeft'); // م
  const id = await tagSelectionWith(page, DOC1, '2');
  await waitForMarkText(page, id, 'م');
  await waitForSelected(page, id);
  await page.keyboard.press('Alt+Shift+ArrowLeft'); // start past the end
  await page.keyboard.press('Control+Alt+Shift+ArrowRight'); // end before the start
  // A later, valid move shows the key handler is alive; it is the only extra undo step.
  await page.keyboard.press('Control+Alt+Shift+ArrowLeft');
  await waitForMarkText(page, id, 'مو');
  await page.keyboard.press('Control+z');
  await waitForMarkText(page, id, 'م');
  await page.keyboard.press('Control+z');
  await waitForCount(page, DOC1, 0); // the refused moves left no undo steps
});

appTest(env, '? opens the list of keys as a modal dialog; Escape or its button close it and focus returns', async ({ page }) => {
  const a = await annotate(page, DOC1, 'جون كيري', 'person');
  const text = await docText(page, DOC1);
  await page.keyboard.press('Escape');
  await placeCaret(page, DOC1, text.indexOf('لقاء'));
  await page.keyboard.press('Tab');
  await waitForSelected(page, a.id);

  await page.keyboard.press('?');
  const dialog = page.locator('[data-role="help"][role="dialog"][aria-modal="true"]');
  await dialog.waitFor({ state: 'visible' });
  const rows = await dialog.locator('table tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  const all = rows.join('\n');
  for (const k of ['Tab', 'Enter', 'Escape', 'Delete', 'Ctrl + Z', 'Alt + Shift', 'Ctrl + Alt + Shift', 'Home', '?']) {
    assert.ok(all.includes(k), `the list names ${k}`);
  }
  assert.ok(rows.length >= 12, `a row per key (${rows.length})`);
  const labelled = await dialog.evaluate((d) => {
    const id = d.getAttribute('aria-labelledby');
    return (id && document.getElementById(id)?.textContent.trim()) || d.getAttribute('aria-label') || '';
  });
  assert.ok(labelled.length > 0, 'the dialog has a name');
  await page.waitForFunction(() => document.activeElement?.matches('button[data-action="close-help"]'));

  // Escape closes the list only: the annotation stays selected.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await waitForArticleFocus(page, DOC1);
  assert.deepEqual(await selectedIds(page), [a.id], 'Escape closed the list, not the selection');
  await page.keyboard.press('Escape');
  await noneSelected(page);

  // The toolbar button opens it; its close button closes it and focus returns to the button.
  await page.click('button[data-action="help"]');
  await dialog.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.activeElement?.matches('button[data-action="close-help"]'));
  await page.keyboard.press('Enter'); // activates the focused close button
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.matches('button[data-action="help"]'));
});
