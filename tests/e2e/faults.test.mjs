// When storage goes wrong: a full localStorage, a corrupted value, no
// localStorage at all, two tabs writing the same keys, and stored annotations
// whose article text has changed (re-anchoring, orphans).

import assert from 'node:assert/strict';
import { useApp, appTest, waitReady } from './lib/browser.mjs';
import { selectText } from './lib/select.mjs';
import {
  DOC1, DOC2, STORAGE_PREFIX, panelSel, annotate, marks, markedText, panel, stored, docText,
  pasteArticle, listedIds, waitForCount, waitForSelected, markPoint, clickAt, cps, cpSpan, dismissNotice,
  waitForNotice, downloadFrom, storageSnapshot, waitForStored, importText, fillStorage, cpSlice, storedQuote,
  keptRecord, waitForKept, noIndexedDb, articleIds, waitForNewArticle,
} from './lib/app.mjs';
import { poll } from './lib/browser.mjs';

const env = useApp();

const KEY1 = STORAGE_PREFIX + DOC1;
const KEY2 = STORAGE_PREFIX + DOC2;
const BACKUP_PREFIX = 'hashiya:v1:backup:';
const PROBLEM = '[data-role="storage-problem"]';

/** FNV-1a 64 of the UTF-8 bytes, as hex: the app's text digest. */
function fnv1a64(text) {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** An orphan entry may be flat (like an annotation) or wrap one under `annotation`. */
const orphanId = (o) => o.id ?? o.annotation?.id;
const orphanLabel = (o) => o.label ?? o.annotation?.label;
const orphanQuote = (o) => o.quote ?? o.annotation?.quote;

async function exportJson(page) {
  const { filename, text } = await downloadFrom(page, 'div[role="toolbar"] button[data-action="export-json"]');
  assert.equal(filename, 'hashiya-annotations.json');
  return JSON.parse(text);
}

async function deleteByClick(page, docId, id) {
  await clickAt(page, await markPoint(page, id));
  await waitForSelected(page, id);
  await page.keyboard.press('Delete');
  await page.waitForSelector(`mark[data-annotation-id="${id}"]`, { state: 'detached' });
}

/** Waits until the panel of `docId` lists exactly `ids` (in any order). */
async function waitForIds(page, docId, ids, timeout = 10_000) {
  const want = [...ids].sort();
  try {
    await page.waitForFunction(
      ([sel, want]) => {
        const have = [...document.querySelectorAll(`${sel} li[data-annotation-id]`)].map((li) => li.dataset.annotationId).sort();
        return have.length === want.length && have.every((x, i) => x === want[i]);
      },
      [panelSel(docId), want],
      { timeout },
    );
  } catch {
    throw new Error(`panel of ${docId} lists ${JSON.stringify(await listedIds(page, docId))}, expected ${JSON.stringify(want)}`);
  }
}

// ---------------------------------------------------------------------------
// A full localStorage

appTest(env, 'a full localStorage and no IndexedDB: a warning that stays, highlights and export keep working, the stored value is untouched', { initScripts: [[noIndexedDb]] }, async (app) => {
  const { page } = app;
  const first = await annotate(page, DOC1, 'جون كيري', 'person');
  await waitForStored(page, DOC1, (r, id) => r.annotations.some((a) => a.id === id), first.id);
  const v0 = await page.evaluate((k) => localStorage.getItem(k), KEY1);
  assert.equal(await page.locator(PROBLEM).count(), 0, 'no storage warning while writes succeed');

  const fillers = await fillStorage(page);
  assert.ok(fillers > 0);
  const second = await annotate(page, DOC1, 'موسكو', 'place');
  const problem = page.locator(PROBLEM);
  await problem.waitFor({ state: 'visible' });
  assert.ok((await problem.textContent()).trim().length > 0, 'the warning has Arabic text');
  assert.ok(((await problem.getAttribute('title')) ?? '').length > 0, 'and an English title');
  assert.equal(await markedText(page, DOC1, second.id), 'موسكو', 'the new highlight is shown');
  assert.equal(await markedText(page, DOC1, first.id), 'جون كيري');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY1), v0, 'the stored value is byte-identical');

  const data = await exportJson(page);
  const doc1 = data.documents.find((d) => d.doc_id === DOC1);
  assert.deepEqual(doc1.annotations.map((a) => a.id).sort(), [first.id, second.id].sort(), 'the export holds the unsaved annotation');

  // It stays: another change that cannot be saved, and the ordinary notice dismissed.
  const third = await annotate(page, DOC2, 'داعش', 'place');
  await dismissNotice(page);
  assert.ok(await problem.isVisible(), 'the warning is still shown');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY2), null, 'nothing half-written for article 2');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY1), v0);

  // Room again: the next change saves everything that was pending, and the warning goes.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler:')) localStorage.removeItem(k);
  });
  const fourth = await annotate(page, DOC1, 'سيرغي لافروف', 'person');
  await problem.waitFor({ state: 'hidden' });
  const rec1 = await waitForStored(page, DOC1, (r) => r.annotations.length === 3);
  assert.deepEqual(rec1.annotations.map((a) => a.id).sort(), [first.id, second.id, fourth.id].sort());
  const rec2 = await waitForStored(page, DOC2, (r) => r.annotations.length === 1);
  assert.equal(rec2.annotations[0].id, third.id, 'the change that could not be saved is saved now');
});

/** The parsed localStorage value of `key` when it points to IndexedDB. */
const pointerIn = (page, key) => poll(page, (k) => {
  const v = localStorage.getItem(k);
  const p = v && JSON.parse(v);
  return p && p.kept_in === 'indexeddb' ? p : null;
}, key);

appTest(env, 'a full localStorage: the work is kept in IndexedDB, survives a reload, and moves back when there is room', async (app) => {
  const { page } = app;
  const first = await annotate(page, DOC1, 'جون كيري', 'person');
  await waitForStored(page, DOC1, (r, id) => r.annotations.some((a) => a.id === id), first.id);
  const fillers = await fillStorage(page);
  assert.ok(fillers > 0);

  const second = await annotate(page, DOC1, 'موسكو', 'place');
  const pointer = await pointerIn(page, KEY1);
  assert.equal(pointer.doc_id, DOC1);
  await page.locator('[data-role="save-status"][data-state="saved"]').waitFor({ state: 'attached' });
  assert.equal(await page.locator(PROBLEM).count(), 0, 'no warning: nothing was lost');
  const kept = await keptRecord(page, DOC1);
  assert.deepEqual(kept.annotations.map((a) => a.id).sort(), [first.id, second.id].sort(), 'IndexedDB holds the whole record');

  await app.reload();
  assert.equal(await markedText(page, DOC1, first.id), 'جون كيري');
  assert.equal(await markedText(page, DOC1, second.id), 'موسكو', 'the change kept in IndexedDB is back after the reload');
  assert.deepEqual((await listedIds(page, DOC1)).sort(), [first.id, second.id].sort(), 'and listed in the panel');
  assert.equal(await page.locator(PROBLEM).count(), 0);

  // Room again: the next change is a plain localStorage record, and IndexedDB forgets its copy.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler:')) localStorage.removeItem(k);
  });
  const third = await annotate(page, DOC1, 'سيرغي لافروف', 'person');
  const rec = await waitForStored(page, DOC1, (r) => r.annotations?.length === 3);
  assert.deepEqual(rec.annotations.map((a) => a.id).sort(), [first.id, second.id, third.id].sort());
  await waitForKept(page, DOC1, (r) => r === null);
});

// ---------------------------------------------------------------------------
// Corrupted values

appTest(env, 'a corrupted stored value is backed up and reported; the article starts empty and nothing is deleted', async (app) => {
  const { page } = app;
  const z = await annotate(page, DOC2, 'داعش', 'place');
  await waitForStored(page, DOC2, (r) => r.annotations.length === 1);
  await page.evaluate((k) => {
    localStorage.setItem(k, '{broken');
    localStorage.setItem('host-page:unrelated', 'keep me');
  }, KEY1);
  const before = await storageSnapshot(page);

  await app.reload();
  const n = await waitForNotice(page, 'error', /./);
  assert.ok(n.text.length > 0 && n.title.length > 0, 'Arabic text and an English title');

  const after = await storageSnapshot(page);
  const backups = Object.keys(after).filter((k) => k.startsWith(BACKUP_PREFIX) && k.endsWith(KEY1));
  assert.equal(backups.length, 1, `one backup of ${KEY1}: ${JSON.stringify(Object.keys(after))}`);
  assert.equal(after[backups[0]], '{broken', 'the raw value is kept verbatim');
  for (const k of Object.keys(before)) assert.ok(k in after, `${k} was not deleted`);
  assert.equal(after['host-page:unrelated'], 'keep me', 'a key of the host page is untouched');
  assert.equal(after[KEY2], before[KEY2], 'the good record is untouched');

  assert.deepEqual((await panel(page, DOC1)).counts, { person: 0, place: 0, claim: 0 }, 'the article starts empty');
  assert.equal((await marks(page, DOC1)).length, 0);
  await waitForCount(page, DOC2, 1);
  assert.equal(await markedText(page, DOC2, z.id), 'داعش', 'the other article is restored');

  // The article works again and saves a valid record; the backup stays.
  const a = await annotate(page, DOC1, 'جون كيري', 'person');
  const rec = await waitForStored(page, DOC1, (r, id) => r.annotations.some((x) => x.id === id), a.id);
  assert.equal(rec.schema, 2);
  assert.equal((await storageSnapshot(page))[backups[0]], '{broken');
  await app.reload();
  await waitForCount(page, DOC1, 1);
  assert.equal(await markedText(page, DOC1, a.id), 'جون كيري');
});

appTest(env, 'a stored value of the wrong shape is backed up too', async (app) => {
  const { page } = app;
  const wrong = JSON.stringify({ schema: 1, doc_id: DOC2, text_digest: 'x', origin: 'bundled', saved_at: 'x', annotations: 'nope' });
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY2, wrong]);
  await app.reload();
  await waitForNotice(page, 'error', /./);
  const after = await storageSnapshot(page);
  const backups = Object.keys(after).filter((k) => k.startsWith(BACKUP_PREFIX) && k.endsWith(KEY2));
  assert.equal(backups.length, 1);
  assert.equal(after[backups[0]], wrong);
  assert.ok(KEY2 in after, 'the original key is not deleted');
  assert.deepEqual((await panel(page, DOC2)).counts, { person: 0, place: 0, claim: 0 });
});

// ---------------------------------------------------------------------------
// No localStorage at all

appTest(env, 'without localStorage the app works in memory and says nothing will be kept', async (app) => {
  const { page, context } = app;
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
  });
  await app.reload();
  assert.equal(
    await page.evaluate(() => {
      try {
        void window.localStorage;
        return 'available';
      } catch (e) {
        return e.name;
      }
    }),
    'SecurityError',
    'the page really has no localStorage',
  );
  const problem = page.locator(PROBLEM);
  await problem.waitFor({ state: 'visible' });
  const title = (await problem.getAttribute('title')) ?? '';
  assert.match(title, /\b(nothing|not)\b.{0,60}\b(kept|saved|stored|persist\w*)\b/i, `the warning says nothing will be kept: ${title}`);
  assert.ok((await problem.textContent()).trim().length > 0, 'in Arabic too');

  const a = await annotate(page, DOC1, 'جون كيري', 'person');
  const b = await annotate(page, DOC2, 'داعش', 'place', { via: 'toolbar' });
  assert.equal(await markedText(page, DOC1, a.id), 'جون كيري');
  assert.equal(await markedText(page, DOC2, b.id), 'داعش');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Control+z');
  await waitForCount(page, DOC2, 0);
  await page.keyboard.press('Control+Shift+z');
  await waitForCount(page, DOC2, 1);

  // Importing works in memory too.
  const t1 = await docText(page, DOC1);
  const lavrov = cpSpan(t1, 'سيرغي لافروف');
  await importText(page, JSON.stringify({ text: t1, label: [[lavrov.start, lavrov.end, 'PER']] }));
  await waitForNotice(page, 'info', /Imported 1 annotations?\b/);
  await waitForCount(page, DOC1, 2);

  const data = await exportJson(page);
  const doc1 = data.documents.find((d) => d.doc_id === DOC1).annotations;
  assert.equal(doc1.length, 2);
  assert.ok(doc1.some((x) => x.id === a.id) && doc1.some((x) => x.quote === 'سيرغي لافروف' && x.label === 'person'));
  assert.deepEqual(data.documents.find((d) => d.doc_id === DOC2).annotations.map((x) => x.id), [b.id]);
  assert.ok(await problem.isVisible(), 'the warning stays');
});

// ---------------------------------------------------------------------------
// Two tabs

// Installed in a second tab before the app: while `__storageGate.blocked`,
// storage events are held back from the app (as if delivered late), and
// `__releaseStorage()` delivers them afterwards, in order.
const STORAGE_GATE = () => {
  window.__storageGate = { blocked: false, queue: [] };
  window.addEventListener(
    'storage',
    (e) => {
      const g = window.__storageGate;
      if (!g.blocked) return;
      e.stopImmediatePropagation();
      g.queue.push({ key: e.key, oldValue: e.oldValue, newValue: e.newValue, url: e.url });
    },
    true,
  );
  window.__releaseStorage = () => {
    const g = window.__storageGate;
    g.blocked = false;
    for (const q of g.queue.splice(0)) window.dispatchEvent(new StorageEvent('storage', { ...q, storageArea: localStorage }));
  };
};

/** A second tab on the same URL in the same browser profile. */
async function secondTab(app, { gate = false } = {}) {
  const b = await app.context.newPage();
  b.setDefaultTimeout(10_000);
  const errors = [];
  b.on('pageerror', (e) => errors.push(String(e)));
  b.on('console', (m) => m.type() === 'error' && /panicked at|RuntimeError|unreachable/i.test(m.text()) && errors.push(m.text()));
  if (gate) await b.addInitScript(STORAGE_GATE);
  await b.goto(app.url, { waitUntil: 'load' });
  await waitReady(b);
  return { b, errors };
}

const idsIn = (rec) => rec.annotations.map((x) => x.id);

/**
 * Tags `needle` in a tab whose list may change meanwhile (other tabs' changes
 * merge in): returns the id of the new highlight on exactly that text.
 */
async function tagIn(page, docId, needle, label) {
  const before = await page.$$eval('mark[data-annotation-id]', (ms) => ms.map((m) => m.dataset.annotationId));
  await selectText(page, docId, needle);
  await page.keyboard.press({ person: '1', place: '2', claim: '3' }[label]);
  const handle = await page.waitForFunction(
    ([art, before, needle, label]) => {
      const m = [...document.querySelectorAll(`${art} mark[data-annotation-id][data-label="${label}"]`)].find(
        (m) => !before.includes(m.dataset.annotationId) && m.textContent === needle,
      );
      return m ? m.dataset.annotationId : null;
    },
    [`article[data-doc-id="${docId}"]`, before, needle, label],
  );
  return handle.jsonValue();
}

appTest(env, 'a pointer whose record IndexedDB does not have: the article starts empty, is told, and nothing writes over the pointer', async (app) => {
  const { page } = app;
  const first = await annotate(page, DOC1, 'جون كيري', 'person');
  await waitForStored(page, DOC1, (r, id) => r.annotations?.some((a) => a.id === id), first.id);
  const pointer = JSON.stringify({ schema: 2, kept_in: 'indexeddb', doc_id: DOC1, saved_at: '2026-12-01T00:00:00.000Z' });
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY1, pointer]);

  await app.reload();
  const n = await waitForNotice(page, 'error', /IndexedDB/);
  assert.ok(n.text.length > 0 && n.title.length > 0, 'Arabic text and an English title');
  assert.equal(await page.locator(`mark[data-annotation-id="${first.id}"]`).count(), 0, 'the article starts empty');

  const second = await annotate(page, DOC1, 'موسكو', 'place');
  await page.locator(PROBLEM).waitFor({ state: 'visible' });
  await page.locator('[data-role="save-status"][data-state="failed"]').waitFor({ state: 'attached' });
  assert.equal(await markedText(page, DOC1, second.id), 'موسكو', 'the work is kept in memory');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY1), pointer, 'the pointer is untouched');
  // the other article saves as ever
  const third = await annotate(page, DOC2, 'داعش', 'place');
  await waitForStored(page, DOC2, (r, id) => r.annotations?.some((a) => a.id === id), third.id);
});

appTest(env, 'two tabs and a full localStorage: a change kept in IndexedDB shows in the other tab, both ways', { timeout: 120_000 }, async (app) => {
  const { page: a } = app;
  const { b } = await secondTab(app);
  const w = await annotate(a, DOC1, 'كيري', 'person');
  await waitForStored(a, DOC1, (r, id) => r.annotations.some((n) => n.id === id), w.id);
  await fillStorage(a);

  const x = await annotate(a, DOC1, 'سيرغي لافروف', 'person');
  await pointerIn(a, KEY1);
  await b.waitForSelector(`mark[data-annotation-id="${x.id}"][data-label="person"]`);
  assert.equal(await markedText(b, DOC1, x.id), 'سيرغي لافروف');

  const y = await annotate(b, DOC1, 'موسكو', 'place');
  await a.waitForSelector(`mark[data-annotation-id="${y.id}"][data-label="place"]`);
  assert.deepEqual((await listedIds(a, DOC1)).sort(), [w.id, x.id, y.id].sort());
  assert.deepEqual((await listedIds(b, DOC1)).sort(), [w.id, x.id, y.id].sort());
  const kept = await waitForKept(a, DOC1, (r) => r?.annotations.length === 3);
  assert.deepEqual(kept.annotations.map((n) => n.id).sort(), [w.id, x.id, y.id].sort(), 'IndexedDB holds all three');
  assert.equal(await a.locator(PROBLEM).count(), 0);
  assert.equal(await b.locator(PROBLEM).count(), 0);
});

appTest(env, 'two tabs: changes show in the other tab, concurrent edits both survive, deletions stay deleted', { timeout: 180_000 }, async (app) => {
  const { page: a } = app;
  const { b, errors: bErrors } = await secondTab(app);
  await b.evaluate(() => {
    window.__sameDocument = true;
  });

  // Added in A: appears in B without a reload.
  const x = await annotate(a, DOC1, 'جون كيري', 'person');
  await b.waitForSelector(`mark[data-annotation-id="${x.id}"][data-label="person"]`);
  await waitForIds(b, DOC1, [x.id]);
  assert.equal(await markedText(b, DOC1, x.id), 'جون كيري');
  assert.equal(await b.evaluate(() => window.__sameDocument), true, 'B was not reloaded');

  // Deleted in B: disappears in A.
  await deleteByClick(b, DOC1, x.id);
  await waitForIds(a, DOC1, []);
  assert.equal(await a.locator(`mark[data-annotation-id="${x.id}"]`).count(), 0);

  // Concurrent adds: neither waits for the other.
  await selectText(a, DOC1, 'سيرغي لافروف');
  await selectText(b, DOC1, 'موسكو');
  await Promise.all([a.keyboard.press('1'), b.keyboard.press('2')]);
  await waitForCount(a, DOC1, 2);
  await waitForCount(b, DOC1, 2);
  const ids = await listedIds(a, DOC1);
  await waitForIds(b, DOC1, ids);
  const recA = await waitForStored(a, DOC1, (r, ids) => ids.every((id) => r.annotations.some((x) => x.id === id)), ids);
  const byQuote = Object.fromEntries(recA.annotations.map((r) => [r.quote, r]));
  assert.ok(byQuote['سيرغي لافروف'] && byQuote['موسكو'], `both are stored: ${JSON.stringify(recA.annotations.map((r) => r.quote))}`);
  const lavrov = byQuote['سيرغي لافروف'].id;
  const moscow = byQuote['موسكو'].id;
  for (const p of [a, b]) {
    assert.equal(await markedText(p, DOC1, lavrov), 'سيرغي لافروف');
    assert.equal(await markedText(p, DOC1, moscow), 'موسكو');
  }
  assert.equal(byQuote['سيرغي لافروف'].label, 'person');
  assert.equal(byQuote['موسكو'].label, 'place');

  // A deletes while B adds: the deleted one does not come back with B's save.
  await clickAt(a, await markPoint(a, lavrov));
  await waitForSelected(a, lavrov);
  await selectText(b, DOC1, 'دمشق');
  await Promise.all([a.keyboard.press('Delete'), b.keyboard.press('2')]);
  await waitForCount(b, DOC1, 2);
  await waitForCount(a, DOC1, 2);
  const damascus = (await waitForStored(a, DOC1, (r) => r.annotations.some((x) => x.quote === 'دمشق'))).annotations.find((r) => r.quote === 'دمشق')?.id;
  assert.ok(damascus, 'B\'s new annotation is stored');
  for (const p of [a, b]) {
    await waitForIds(p, DOC1, [moscow, damascus]);
    assert.equal(await p.locator(`mark[data-annotation-id="${lavrov}"]`).count(), 0, 'the deleted one is not shown');
  }

  // B saves again; still no resurrection anywhere.
  const more = await annotate(b, DOC1, 'فلاديمير بوتين', 'person');
  await waitForIds(a, DOC1, [moscow, damascus, more.id]);
  const rec = await waitForStored(a, DOC1, (r) => r.annotations.length === 3);
  assert.ok(!rec.annotations.some((r) => r.id === lavrov), 'the deleted annotation is not stored');
  assert.deepEqual(rec.annotations.map((r) => r.id).sort(), [moscow, damascus, more.id].sort());
  assert.ok(Array.isArray(rec.tombstones) && rec.tombstones.some((t) => t.id === lavrov), 'its tombstone is kept');

  // And after reloading both tabs.
  await app.reload();
  await b.reload({ waitUntil: 'load' });
  await waitReady(b);
  for (const p of [a, b]) await waitForIds(p, DOC1, [moscow, damascus, more.id]);
  assert.deepEqual(bErrors, [], 'tab B reported no errors');
  await b.close();
});

// ---------------------------------------------------------------------------
// Re-anchoring when the stored text differs from the article's text

const ANCHOR_ARTICLE = [
  'خبر تجريبي عن إعادة التثبيت',
  '',
  'قال محمد إن الوفد سيصل غدا.',
  '',
  'وأضاف أن الاجتماع سيعقد في بيروت الأسبوع المقبل.',
  '',
  'ثم يتوجه الوفد إلى دمشق لإجراء محادثات.',
].join('\n');

appTest(env, 'a record over 1 MiB goes to IndexedDB even with room in localStorage, and is back after a reload', { timeout: 180_000 }, async (app) => {
  const { page } = app;
  // about 620,000 code points of Arabic: the record carries the text, over 1 MiB of UTF-8
  const filler = 'وتستمر المحادثات بين الوفود في العاصمة حول القضايا الإقليمية والدولية. '.repeat(8).trim();
  const big = [ANCHOR_ARTICLE, ...Array.from({ length: 1100 }, () => filler)].join('\n\n');
  // typed in one go (fill() would take longer than the test has)
  const before = await articleIds(page);
  await page.click('button[data-action="paste-article"]');
  await page.evaluate((text) => {
    const area = document.querySelector('textarea[data-role="paste-text"]');
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, big);
  await page.click('button[data-action="add-article"]');
  const user = await waitForNewArticle(page, before);
  const beirut = await annotate(page, user, 'بيروت', 'place');
  const pointer = await pointerIn(page, STORAGE_PREFIX + user);
  assert.equal(pointer.doc_id, user);
  const kept = await waitForKept(page, user, (r) => r?.annotations.length === 1);
  assert.equal(kept.text, big.replace(/\n\n/g, '\n'), 'IndexedDB holds the whole record, text and all (one line a paragraph)');
  assert.ok(await page.evaluate(() => JSON.stringify(localStorage).length) < 100_000, 'localStorage keeps its room');

  await app.reload();
  await page.waitForSelector(`mark[data-annotation-id="${beirut.id}"]`);
  assert.equal(await markedText(page, user, beirut.id), 'بيروت');
  assert.equal(await page.locator(PROBLEM).count(), 0);

  // A reload right after a change, before any write could land: the page
  // going away writes it at once (to localStorage, where it fits).
  const damascus = await annotate(page, user, 'دمشق', 'place');
  await app.reload();
  await page.waitForSelector(`mark[data-annotation-id="${damascus.id}"]`);
  assert.equal(await markedText(page, user, beirut.id), 'بيروت');
});

function replaceOnce(text, from, to) {
  assert.equal(text.split(from).length, 2, `${JSON.stringify(from)} occurs once`);
  return text.replace(from, to);
}

/** Rewrites the stored record of `docId` with `edit(record)` (in Node). */
async function editStored(page, docId, edit) {
  const rec = await stored(page, docId);
  assert.ok(rec, `a stored record for ${docId}`);
  const copy = structuredClone(rec);
  const next = edit(copy) ?? copy;
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [STORAGE_PREFIX + docId, JSON.stringify(next)]);
  return next;
}

async function reanchorStatus(page, docId) {
  const sel = `${panelSel(docId)} [data-role="reanchor-status"]`;
  await page.waitForSelector(sel, { state: 'attached' });
  return page.$eval(sel, (el) => ({ moved: el.getAttribute('data-moved'), orphans: el.getAttribute('data-orphans'), text: el.textContent.trim() }));
}

async function orphans(page, docId) {
  return page.$$eval(`${panelSel(docId)} [data-role="orphans"] li[data-orphan-id]`, (lis) =>
    lis.map((li) => ({ id: li.dataset.orphanId, quote: li.querySelector('.quote')?.textContent ?? null })),
  );
}

/**
 * A record as schema 1 wrote it: every annotation with its quote and 16 code
 * points of context, both times, a null note.
 */
function asSchema1(rec) {
  const t = rec.text;
  rec.schema = 1;
  rec.annotations = rec.annotations.map((a) => ({
    ...a,
    quote: cpSlice(t, a.start, a.end),
    prefix: cpSlice(t, Math.max(0, a.start - 16), a.start),
    suffix: cpSlice(t, a.end, a.end + 16),
    note: a.note ?? null,
    updated_at: a.updated_at ?? a.created_at,
  }));
}

// Schema 1 kept every quote, so a record it wrote finds its annotations on a changed text;
// the article's text is changed here by hand, as nothing in the app changes a user's text.
appTest(env, 'changed text under a schema 1 record: moved by quote, moved by a fuzzy match, and an orphan', async (app) => {
  const { page } = app;
  const user = await pasteArticle(page, ANCHOR_ARTICLE);
  const beirut = await annotate(page, user, 'بيروت', 'place');
  const muhammad = await annotate(page, user, 'محمد', 'person');
  const damascus = await annotate(page, user, 'دمشق', 'place');
  await waitForStored(page, user, (r) => r.annotations.length === 3);

  let newText;
  await editStored(page, user, (rec) => {
    asSchema1(rec);
    let t = rec.text;
    assert.equal(t, ANCHOR_ARTICLE.replace(/\n\n/g, '\n'));
    t = replaceOnce(t, 'وأضاف أن', 'وأضاف المتحدث الرسمي للوفد أن'); // words before بيروت
    t = replaceOnce(t, 'قال محمد', 'قال مُحَمَّد'); // harakat inside محمد
    t = replaceOnce(t, 'إلى دمشق لإجراء', 'إلى لإجراء'); // دمشق is gone
    rec.text = newText = t;
  });
  await app.reload();
  await page.waitForSelector(`article[data-doc-id="${user}"]`);
  assert.equal(await docText(page, user), newText, 'the article shows its stored text');

  const status = await reanchorStatus(page, user);
  assert.deepEqual({ moved: status.moved, orphans: status.orphans }, { moved: '2', orphans: '1' }, `status: ${JSON.stringify(status)}`);
  await waitForIds(page, user, [beirut.id, muhammad.id]);
  assert.equal(await markedText(page, user, beirut.id), 'بيروت', 'moved by its quote');
  assert.equal(await markedText(page, user, muhammad.id), 'مُحَمَّد', 'found again without its harakat');
  assert.equal(await page.locator(`mark[data-annotation-id="${damascus.id}"]`).count(), 0, 'the orphan has no highlight');
  const o = await orphans(page, user);
  assert.deepEqual(o.map((x) => x.id), [damascus.id], 'the orphan is listed');
  assert.ok(o[0].quote?.includes('دمشق'), `the orphan shows its quote: ${o[0].quote}`);
  assert.deepEqual((await panel(page, user)).counts, { person: 1, place: 1, claim: 0 }, 'orphans are not counted');

  // The export carries the orphan.
  const data = await exportJson(page);
  const doc = data.documents.find((d) => d.doc_id === user);
  assert.equal(doc.text, newText);
  assert.ok(Array.isArray(doc.orphans), 'documents[i].orphans');
  assert.deepEqual(doc.orphans.map(orphanId), [damascus.id]);
  assert.equal(orphanQuote(doc.orphans[0]), 'دمشق');
  assert.equal(orphanLabel(doc.orphans[0]), 'place');
  const exported = Object.fromEntries(doc.annotations.map((x) => [x.id, x]));
  assert.deepEqual(Object.keys(exported).sort(), [beirut.id, muhammad.id].sort());
  assert.deepEqual({ start: exported[beirut.id].start, end: exported[beirut.id].end }, cpSpan(newText, 'بيروت'));
  assert.deepEqual({ start: exported[muhammad.id].start, end: exported[muhammad.id].end }, cpSpan(newText, 'مُحَمَّد'));
  assert.equal(exported[muhammad.id].quote, 'مُحَمَّد');

  // Storage keeps the orphan and the new places, on the new text's digest.
  const claim = await annotate(page, user, 'الوفد', 'claim');
  const rec = await waitForStored(page, user, (r, id) => r.annotations.some((a) => a.id === id), claim.id);
  assert.equal(rec.text, newText);
  assert.equal(rec.text_digest, fnv1a64(newText), 'the record is now on the new text');
  const st = Object.fromEntries(rec.annotations.map((x) => [x.id, x]));
  assert.equal(rec.schema, 2, 'written back as schema 2');
  assert.deepEqual({ start: st[beirut.id].start, end: st[beirut.id].end, quote: storedQuote(rec, st[beirut.id]) }, { ...cpSpan(newText, 'بيروت'), quote: 'بيروت' });
  assert.deepEqual({ start: st[muhammad.id].start, end: st[muhammad.id].end, quote: storedQuote(rec, st[muhammad.id]) }, { ...cpSpan(newText, 'مُحَمَّد'), quote: 'مُحَمَّد' });
  assert.ok(!st[damascus.id], 'the orphan is not among the annotations');
  assert.ok(Array.isArray(rec.orphans) && rec.orphans.some((x) => orphanId(x) === damascus.id), 'the orphan is kept in storage');

  // After another reload it is still listed.
  await app.reload();
  await waitForIds(page, user, [beirut.id, muhammad.id, claim.id]);
  assert.deepEqual((await orphans(page, user)).map((x) => x.id), [damascus.id]);
  assert.equal(await markedText(page, user, muhammad.id), 'مُحَمَّد');
});

// Schema 2 cuts a user article's quotes from the text it carries: a text edited by hand
// under its digest cannot say where the annotations were, so they are kept aside.
appTest(env, 'a user article whose stored text was edited by hand keeps its annotations aside, off other words', async (app) => {
  const { page } = app;
  const user = await pasteArticle(page, ANCHOR_ARTICLE);
  const beirut = await annotate(page, user, 'بيروت', 'place');
  await waitForStored(page, user, (r) => r.annotations.length === 1);
  await editStored(page, user, (rec) => {
    assert.ok(!('quote' in rec.annotations[0]), 'a user article stores no quotes');
    rec.text = replaceOnce(rec.text, 'وأضاف أن', 'وأضاف المتحدث الرسمي للوفد أن'); // words before بيروت
  });
  await app.reload();
  await page.waitForSelector(`article[data-doc-id="${user}"]`);
  const status = await reanchorStatus(page, user);
  assert.deepEqual({ moved: status.moved, orphans: status.orphans }, { moved: '0', orphans: '1' }, `status: ${JSON.stringify(status)}`);
  assert.equal(await page.locator(`mark[data-annotation-id="${beirut.id}"]`).count(), 0, 'no highlight over other words');
  const o = await orphans(page, user);
  assert.deepEqual(o.map((x) => x.id), [beirut.id], 'the annotation is listed, kept');
  assert.match(o[0].quote, /\d+–\d+/, `listed by its offsets: ${o[0].quote}`);
});

appTest(env, 'fuzzy re-anchoring ignores harakat, tatweel and alef, ya and ta marbuta variants', async (app) => {
  const { page } = app;
  const text = [
    'تقرير عن المطابقة التقريبية',
    '',
    'قال مصطفى إن الأمم المتحدة سترسل وفدا إلى القاهرة قريبا.',
    '',
    'وأكد مُحَمَّـــد أن الاجتماع سيعقد في مدينة الإسكندرية.',
    '',
    'وزار الوفد الاردن ثم سلطنة عمان.',
  ].join('\n');
  const user = await pasteArticle(page, text);
  const want = {
    'مصطفى': { label: 'person', variant: 'مصطفي' },
    'الأمم المتحدة': { label: 'claim', variant: 'الامم المتحده' },
    'القاهرة': { label: 'place', variant: 'القاهره' },
    'مُحَمَّـــد': { label: 'person', variant: 'محمد' },
    'الإسكندرية': { label: 'place', variant: 'الاسكندريه' },
    // and the other way round: the stored quote has the hamza and harakat, the text does not
    'الاردن': { label: 'place', variant: 'الأُردُنّ' },
  };
  for (const [needle, w] of Object.entries(want)) w.id = (await annotate(page, user, needle, w.label)).id;
  await waitForStored(page, user, (r) => r.annotations.length === 6);

  let newText;
  await editStored(page, user, (rec) => {
    rec.text = newText = replaceOnce(rec.text, 'قال مصطفى', 'عاجل: قال مصطفى');
    for (const a of rec.annotations) {
      const w = Object.values(want).find((x) => x.id === a.id);
      a.quote = w.variant;
      a.end = a.start + cps(w.variant).length;
    }
  });
  await app.reload();
  await page.waitForSelector(`article[data-doc-id="${user}"]`);
  const status = await reanchorStatus(page, user);
  assert.deepEqual({ moved: status.moved, orphans: status.orphans }, { moved: '6', orphans: '0' }, `status: ${JSON.stringify(status)}`);
  await waitForIds(page, user, Object.values(want).map((w) => w.id));
  for (const [needle, w] of Object.entries(want)) {
    assert.equal(await markedText(page, user, w.id), needle, `${w.variant} found as ${needle}`);
  }
  assert.deepEqual(await orphans(page, user), []);
});

appTest(env, 'changed digest of a bundled article: exact stays, prefix and suffix pick the occurrence, a ya variant is found, a lost quote is an orphan', async (app) => {
  const { page } = app;
  const t1 = await docText(page, DOC1);
  const chars = cps(t1);
  const kerry = await annotate(page, DOC1, 'جون كيري', 'person');
  const moscow = await annotate(page, DOC1, 'موسكو', 'place', { occurrence: 1 });
  const lavrov = await annotate(page, DOC1, 'سيرغي لافروف', 'person');
  const obama = await annotate(page, DOC1, 'باراك أوباما', 'person');
  await waitForStored(page, DOC1, (r) => r.annotations.length === 4);

  const m1 = cpSpan(t1, 'موسكو', { occurrence: 1 });
  const lv = cpSpan(t1, 'سيرغي لافروف');
  const ctx = ({ start, end }) => ({
    prefix: chars.slice(Math.max(0, start - 32), start).join(''),
    suffix: chars.slice(end, end + 32).join(''),
  });
  await editStored(page, DOC1, (rec) => {
    rec.text_digest = '0123456789abcdef';
    for (const a of rec.annotations) {
      if (a.id === moscow.id) Object.assign(a, { start: 5, end: 10 }, ctx(m1)); // nearest would be the first موسكو
      if (a.id === lavrov.id) Object.assign(a, { start: lv.start + 3, end: lv.end + 3, quote: 'سيرغى لافروف' }, ctx(lv));
      if (a.id === obama.id) Object.assign(a, { quote: 'الاتحاد السوفييتي', prefix: 'لا سياق ', suffix: ' هنا' });
    }
  });
  await app.reload();
  const status = await reanchorStatus(page, DOC1);
  assert.deepEqual({ moved: status.moved, orphans: status.orphans }, { moved: '2', orphans: '1' }, `status: ${JSON.stringify(status)}`);
  await waitForIds(page, DOC1, [kerry.id, moscow.id, lavrov.id]);
  assert.equal(await markedText(page, DOC1, kerry.id), 'جون كيري');
  assert.equal(await markedText(page, DOC1, moscow.id), 'موسكو');
  assert.deepEqual([...new Set((await marks(page, DOC1)).filter((m) => m.id === moscow.id).map((m) => m.block))], [3], 'the موسكو of paragraph 3, as its prefix and suffix say');
  assert.equal(await markedText(page, DOC1, lavrov.id), 'سيرغي لافروف');
  const o = await orphans(page, DOC1);
  assert.deepEqual(o.map((x) => x.id), [obama.id]);
  assert.ok(o[0].quote?.includes('الاتحاد السوفييتي'), `orphan quote: ${o[0].quote}`);

  const doc = (await exportJson(page)).documents.find((d) => d.doc_id === DOC1);
  const ex = Object.fromEntries(doc.annotations.map((x) => [x.id, x]));
  assert.deepEqual({ start: ex[moscow.id].start, end: ex[moscow.id].end }, m1);
  assert.deepEqual({ start: ex[lavrov.id].start, end: ex[lavrov.id].end }, lv);
  assert.deepEqual(doc.orphans.map(orphanId), [obama.id]);
  assert.equal(orphanQuote(doc.orphans[0]), 'الاتحاد السوفييتي');
});

appTest(env, 'two tabs: a tab that has not heard of the other\'s change yet merges it when it saves, and keeps deletions', { timeout: 180_000 }, async (app) => {
  const { page: a } = app;
  const { b, errors } = await secondTab(app, { gate: true });
  const deaf = () => b.evaluate(() => {
    window.__storageGate.blocked = true;
  });
  const hear = () => b.evaluate(() => window.__releaseStorage());

  // A adds X while B has not heard of it; then B adds Y.
  await deaf();
  const x = await annotate(a, DOC1, 'جون كيري', 'person');
  await waitForStored(a, DOC1, (r, id) => r.annotations.some((q) => q.id === id), x.id);
  assert.deepEqual(await listedIds(b, DOC1), [], 'B has not heard of X (the gate works)');
  const y = { id: await tagIn(b, DOC1, 'موسكو', 'place') };
  const rec = await waitForStored(a, DOC1, (r, id) => r.annotations.some((q) => q.id === id), y.id);
  assert.ok(idsIn(rec).includes(x.id), `B's save kept A's X: stored ${JSON.stringify(idsIn(rec))}`);
  await waitForIds(a, DOC1, [x.id, y.id]);
  await hear();
  await waitForIds(b, DOC1, [x.id, y.id]);

  // A deletes X while B has not heard of it; then B adds Z.
  await deaf();
  await deleteByClick(a, DOC1, x.id);
  await waitForStored(a, DOC1, (r, id) => !r.annotations.some((q) => q.id === id), x.id);
  const z = { id: await tagIn(b, DOC1, 'دمشق', 'place') };
  const rec2 = await waitForStored(a, DOC1, (r, id) => r.annotations.some((q) => q.id === id), z.id);
  assert.ok(!idsIn(rec2).includes(x.id), `B's save did not bring X back: stored ${JSON.stringify(idsIn(rec2))}`);
  assert.ok(idsIn(rec2).includes(y.id));
  await waitForIds(a, DOC1, [y.id, z.id]);
  await hear();
  await waitForIds(b, DOC1, [y.id, z.id]);
  assert.equal(await b.locator(`mark[data-annotation-id="${x.id}"]`).count(), 0);

  // Late news of X (the held-back events) did not revive it either.
  const final = await waitForStored(a, DOC1, (r) => r.annotations.length === 2);
  assert.deepEqual(idsIn(final).sort(), [y.id, z.id].sort());
  assert.ok(final.tombstones.some((t) => t.id === x.id), 'X has a tombstone');
  await app.reload();
  await waitForIds(a, DOC1, [y.id, z.id]);
  assert.deepEqual(errors, [], 'tab B reported no errors');
  await b.close();
});

appTest(env, 'two tabs: a relabel and a note in one tab show in the other', async (app) => {
  const { page: a } = app;
  const { b, errors } = await secondTab(app);
  const x = await annotate(a, DOC1, 'جون كيري', 'person');
  await b.waitForSelector(`mark[data-annotation-id="${x.id}"][data-label="person"]`);

  await clickAt(a, await markPoint(a, x.id));
  await waitForSelected(a, x.id);
  const editor = `${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${x.id}"]`;
  await a.click(`${editor} button[data-action="relabel"][data-label="claim"]`);
  await b.waitForSelector(`${panelSel(DOC1)} li[data-annotation-id="${x.id}"][data-label="claim"]`);
  await b.waitForSelector(`mark[data-annotation-id="${x.id}"][data-label="claim"]`);
  assert.deepEqual((await panel(b, DOC1)).counts, { person: 0, place: 0, claim: 1 });

  await a.waitForSelector(editor);
  await a.fill(`${editor} textarea[data-role="note"]`, 'ملاحظة من التبويب الأول');
  await a.click(`${editor} button[data-action="save-note"]`);
  await b.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent.includes('ملاحظة من التبويب الأول'),
    `${panelSel(DOC1)} li[data-annotation-id="${x.id}"] .note`,
  );

  // and back the other way
  await clickAt(b, await markPoint(b, x.id));
  await waitForSelected(b, x.id);
  await b.click(`${editor} button[data-action="relabel"][data-label="place"]`);
  await a.waitForSelector(`mark[data-annotation-id="${x.id}"][data-label="place"]`);
  const rec = await waitForStored(a, DOC1, (r, id) => r.annotations.find((q) => q.id === id)?.label === 'place', x.id);
  assert.equal(rec.annotations[0].note, 'ملاحظة من التبويب الأول', 'the note survived the relabel in the other tab');
  assert.deepEqual(errors, []);
  await b.close();
});
