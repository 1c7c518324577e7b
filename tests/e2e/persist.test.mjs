// Annotations survive a reload, are stored per article in localStorage, and
// articles never share annotations.

import assert from 'node:assert/strict';
import { useApp, appTest } from './lib/browser.mjs';
import {
  DOC1, DOC2, BUNDLED, STORAGE_PREFIX, LABELS, panelSel, annotate, marks, panel, stored, storageKeys,
  waitForCount, waitForSelected, markPoint, clickAt, docText, cpSlice, storedQuote,
} from './lib/app.mjs';

const env = useApp();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** What a user sees of an article's annotations, independent of selection. */
async function visibleState(page, docId) {
  const p = await panel(page, docId);
  return {
    counts: p.counts,
    items: p.items.map(({ id, label, quote, note }) => ({ id, label, quote, note })),
    marks: (await marks(page, docId)).map(({ id, label, text, block, parentIds }) => ({ id, label, text, block, parentIds })),
  };
}

function checkStoredDoc(rec, docId, text, origin) {
  assert.ok(rec, `localStorage has ${STORAGE_PREFIX}${docId}`);
  assert.equal(rec.schema, 2);
  assert.equal(rec.doc_id, docId);
  assert.equal(rec.origin, origin);
  if (origin === 'user') assert.equal(typeof rec.text, 'string', "a user's article keeps its text");
  assert.equal(typeof rec.text_digest, 'string');
  assert.ok(rec.text_digest.length > 0);
  assert.ok(Array.isArray(rec.annotations));
  for (const a of rec.annotations) {
    for (const k of ['id', 'label', 'start', 'end', 'created_at']) {
      assert.ok(k in a, `stored annotation has ${k}: ${JSON.stringify(a)}`);
    }
    // a record carries its text (a user's article) or each quote (a lightly annotated bundled one)
    assert.equal('quote' in a, !('text' in rec), `the quote, or the text, is stored: ${JSON.stringify(a)}`);
    assert.ok(!('note' in a) || typeof a.note === 'string', 'a note, when stored, is text');
    assert.ok(LABELS.includes(a.label));
    assert.ok(Number.isInteger(a.start) && Number.isInteger(a.end) && a.start < a.end);
    assert.equal(cpSlice(text, a.start, a.end), storedQuote(rec, a), `stored quote matches code points ${a.start}..${a.end}`);
    assert.match(a.created_at, ISO);
    if ('updated_at' in a) assert.match(a.updated_at, ISO);
  }
}

appTest(env, 'annotations, labels and notes are restored after a reload', async (app) => {
  const { page } = app;
  const person = await annotate(page, DOC1, 'جون كيري', 'person');
  const place = await annotate(page, DOC1, 'موسكو', 'place', { via: 'toolbar' });
  const claim = await annotate(
    page, DOC1, 'يتوجه وزير الخارجية الأميركي جون كيري الخميس إلى موسكو في زيارة تستغرق يومين', 'claim',
  );
  const lavrov = await annotate(page, DOC1, 'سيرغي لافروف', 'place'); // relabelled below
  const cross = await annotate(page, DOC2, 'بشار الأسد.\nوقال كيري', 'claim');
  const zarif = await annotate(page, DOC2, 'محمد جواد ظريف', 'person');

  // relabel and a note
  await clickAt(page, await markPoint(page, lavrov.id));
  await waitForSelected(page, lavrov.id);
  const editor = `${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${lavrov.id}"]`;
  await page.click(`${editor} button[data-action="relabel"][data-label="person"]`);
  await page.waitForSelector(`mark[data-annotation-id="${lavrov.id}"][data-label="person"]`);
  await page.waitForSelector(editor);
  const NOTE = 'وزير الخارجية الروسي\nسطر ثان';
  await page.fill(`${editor} textarea[data-role="note"]`, NOTE);
  await page.click(`${editor} button[data-action="save-note"]`);
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent.includes('وزير الخارجية الروسي'),
    `${panelSel(DOC1)} li[data-annotation-id="${lavrov.id}"] .note`,
  );

  const before1 = await visibleState(page, DOC1);
  const before2 = await visibleState(page, DOC2);
  assert.deepEqual(before1.counts, { person: 2, place: 1, claim: 1 });
  assert.deepEqual(before2.counts, { person: 1, place: 0, claim: 1 });

  await app.reload();
  await waitForCount(page, DOC1, 4);
  await waitForCount(page, DOC2, 2);
  assert.deepEqual(await visibleState(page, DOC1), before1, 'article 1 looks the same after reload');
  assert.deepEqual(await visibleState(page, DOC2), before2, 'article 2 looks the same after reload');

  // The note keeps its text exactly.
  const rec1 = await stored(page, DOC1);
  const text1 = await docText(page, DOC1);
  checkStoredDoc(rec1, DOC1, text1, 'bundled');
  const byId = Object.fromEntries(rec1.annotations.map((a) => [a.id, a]));
  assert.deepEqual(Object.keys(byId).sort(), [person.id, place.id, claim.id, lavrov.id].sort());
  assert.equal(byId[lavrov.id].note, NOTE);
  assert.equal(byId[lavrov.id].label, 'person');
  assert.equal(byId[person.id].quote, 'جون كيري');
  assert.equal(byId[claim.id].label, 'claim');
  assert.ok(byId[person.id].note == null || byId[person.id].note === '', 'no note is null or empty');

  const rec2 = await stored(page, DOC2);
  checkStoredDoc(rec2, DOC2, await docText(page, DOC2), 'bundled');
  assert.deepEqual(rec2.annotations.map((a) => a.id).sort(), [cross.id, zarif.id].sort());
  assert.equal(rec2.annotations.find((a) => a.id === cross.id).quote, 'بشار الأسد.\nوقال كيري');

  // The editor still works on restored annotations, and a delete survives a reload too.
  await clickAt(page, await markPoint(page, place.id));
  await waitForSelected(page, place.id);
  await page.keyboard.press('Delete');
  await waitForCount(page, DOC1, 3);
  await app.reload();
  await waitForCount(page, DOC1, 3);
  assert.equal(await page.locator(`mark[data-annotation-id="${place.id}"]`).count(), 0);
  assert.deepEqual((await panel(page, DOC1)).counts, { person: 2, place: 0, claim: 1 });
  assert.ok(!(await stored(page, DOC1)).annotations.some((a) => a.id === place.id));
});

appTest(env, 'each article has its own storage key and its own annotations', async (app) => {
  const { page } = app;
  const keys0 = (await storageKeys(page)).filter((k) => k.startsWith(STORAGE_PREFIX));
  assert.deepEqual(keys0, [], 'untouched bundled articles have no key yet');

  const a = await annotate(page, DOC1, 'جون كيري', 'person');
  await page.waitForFunction((k) => localStorage.getItem(k) !== null, STORAGE_PREFIX + DOC1);
  assert.equal(await stored(page, DOC2), null, 'article 2 gets no key from a change to article 1');
  assert.equal((await panel(page, DOC2)).items.length, 0);
  assert.equal((await marks(page, DOC2)).length, 0);

  // The same words in article 2 are a different annotation.
  const b = await annotate(page, DOC2, 'جون كيري', 'person', { occurrence: 1 });
  assert.notEqual(a.id, b.id);
  await page.waitForFunction((k) => localStorage.getItem(k) !== null, STORAGE_PREFIX + DOC2);
  const keys = (await storageKeys(page)).filter((k) => k.startsWith(STORAGE_PREFIX));
  assert.deepEqual(keys, BUNDLED.map((d) => STORAGE_PREFIX + d).sort());

  const r1 = await stored(page, DOC1);
  const r2 = await stored(page, DOC2);
  assert.deepEqual(r1.annotations.map((x) => x.id), [a.id]);
  assert.deepEqual(r2.annotations.map((x) => x.id), [b.id]);
  checkStoredDoc(r1, DOC1, await docText(page, DOC1), 'bundled');
  checkStoredDoc(r2, DOC2, await docText(page, DOC2), 'bundled');
  assert.notEqual(r1.text_digest, r2.text_digest, 'different texts have different digests');

  await app.reload();
  await waitForCount(page, DOC1, 1);
  await waitForCount(page, DOC2, 1);
  assert.deepEqual((await marks(page, DOC1)).map((m) => m.id), [a.id]);
  assert.deepEqual((await marks(page, DOC2)).map((m) => m.id), [b.id]);

  // Deleting in one article leaves the other alone.
  await clickAt(page, await markPoint(page, a.id));
  await waitForSelected(page, a.id);
  await page.keyboard.press('Delete');
  await waitForCount(page, DOC1, 0);
  await app.reload();
  await waitForCount(page, DOC1, 0);
  await waitForCount(page, DOC2, 1);
  assert.deepEqual((await stored(page, DOC2)).annotations.map((x) => x.id), [b.id]);
});

appTest(env, 'a fresh browser profile starts without annotations', async ({ page }) => {
  for (const d of BUNDLED) {
    assert.deepEqual((await panel(page, d)).counts, { person: 0, place: 0, claim: 0 });
    assert.equal((await marks(page, d)).length, 0);
  }
});
