// The JS API of <hashiya-annotator> and its events: every method, every
// event (ready, create, update, delete, change, error), bad input throwing an
// Error and leaving everything as it was.

import assert from 'node:assert/strict';
import { seedArticles, cpSpan, cpSlice, cps, STORAGE_PREFIX } from './lib/app.mjs';
import { useHost, hostTest } from './lib/host/session.mjs';
import { hostPage, widget, blocksHtml } from './lib/host/pages.mjs';
import {
  wMarks, wPanel, waitCount, wAnnotate, wClickMark, wClickText, wWaitSelected, hashiyaStorage, waitStored,
} from './lib/host/widget.mjs';
import { events, waitEvents, clearEvents } from './lib/host/recorder.mjs';
import { api, call, callThrows } from './lib/host/api.mjs';
import { poll } from './lib/browser.mjs';
import { findRange } from './lib/select.mjs';

const SEED = seedArticles();
// A paragraph with astral characters (two UTF-16 units each) before the
// entities: code point and UTF-16 offsets differ after it.
const ASTRAL = 'تجربة 😀 و𝕏 قبل الأسماء: محمد جواد ظريف.';
const W_BLOCKS = [SEED[1].heading, ASTRAL, SEED[1].paragraphs[0], SEED[1].paragraphs[1]];
const W_TEXT = W_BLOCKS.join('\n');
const O_BLOCKS = [SEED[0].heading, SEED[0].paragraphs[0]];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const KEYS = ['id', 'label', 'start', 'end', 'quote', 'prefix', 'suffix', 'utf16_start', 'utf16_end', 'note', 'created_at', 'updated_at', 'verdict', 'source'];

const page2 = (c) =>
  hostPage({
    script: c.bundle,
    body: widget({ id: 'w', 'doc-id': 'api-doc', lang: 'ar' }, blocksHtml(W_BLOCKS)) + '\n' + widget({ id: 'other', 'doc-id': 'api-other' }, blocksHtml(O_BLOCKS)),
  });

const env = useHost({
  pages: {
    '/api.html': page2,
    '/src-missing.html': (c) => hostPage({ script: c.bundle, body: widget({ id: 'w', 'doc-id': 'missing', src: '/no-such-article.txt' }) }),
    '/storage-fails.html': (c) => hostPage({ script: c.bundle, body: widget({ id: 'w', 'doc-id': 'full' }, blocksHtml(O_BLOCKS)) }),
  },
});

/**
 * An init script: localStorage refuses article values longer than
 * `longerThan` UTF-16 units (-1: all of them), as a full storage does.
 */
function refuseArticleValues(longerThan) {
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (String(k).startsWith('hashiya:v1:doc:') && String(v).length > longerThan) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return setItem.call(this, k, v);
  };
}

/** The code point span of the `occurrence`-th `needle` in the widget's text. */
const span = (needle, occurrence = 0) => cpSpan(W_TEXT, needle, { occurrence });
const utf16 = (needle, occurrence = 0) => {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = W_TEXT.indexOf(needle, at + 1);
  return { utf16_start: at, utf16_end: at + needle.length };
};

/** Asserts an annotation has the export shape and agrees with the text. */
function checkShape(a, text = W_TEXT) {
  assert.deepEqual(Object.keys(a).sort(), [...KEYS].sort(), `export shape: ${JSON.stringify(a)}`);
  assert.equal(typeof a.id, 'string');
  assert.ok(a.id.length > 0);
  assert.equal(cpSlice(text, a.start, a.end), a.quote, 'code points start..end are the quote');
  assert.equal(text.slice(a.utf16_start, a.utf16_end), a.quote, 'UTF-16 units utf16_start..utf16_end are the quote');
  assert.equal(a.prefix, cpSlice(text, Math.max(0, a.start - 32), a.start));
  assert.equal(a.suffix, cpSlice(text, a.end, a.end + 32));
  assert.match(a.created_at, ISO);
  assert.match(a.updated_at, ISO);
}

/** Everything that must stay the same when a call fails. */
async function snapshot(page) {
  return {
    annotations: await call(page, '#w', 'getAnnotations'),
    marks: await wMarks(page, '#w'),
    panel: await wPanel(page, '#w'),
    stored: (await hashiyaStorage(page))[STORAGE_PREFIX + 'api-doc'] ?? null,
  };
}

hostTest(env, 'hashiya-ready fires once per widget (bubbling, composed) and el.ready resolves after it', '/api.html', async ({ page }) => {
  const ready = await events(page, { type: 'hashiya-ready' });
  assert.deepEqual(
    ready.map((e) => [e.host, e.detail]).sort(),
    [['other', { doc_id: 'api-other', annotations: 0 }], ['w', { doc_id: 'api-doc', annotations: 0 }]],
  );
  for (const e of ready) {
    assert.ok(e.bubbles && e.composed && e.isCustom, `hashiya-ready is a bubbling, composed CustomEvent: ${JSON.stringify(e)}`);
    assert.equal(e.target, `hashiya-annotator#${e.host}`, 'seen from the document, the target is the element');
  }
  // A listener added after ready still gets a settled promise; no further ready events.
  const order = await page.evaluate(async () => {
    const el = document.querySelector('#w');
    const t0 = window.__hashiyaEvents.length;
    await el.ready;
    return window.__hashiyaEvents.length - t0;
  });
  assert.equal(order, 0);
  assert.deepEqual(await call(page, '#w', 'getAnnotations'), []);
});

hostTest(env, 'addAnnotation takes code points, trims spaces like a selection, returns the export shape; create and change events', '/api.html', async ({ page }) => {
  // The second "جون كيري" lies after the astral paragraph: code points and UTF-16 differ there.
  const s = span('جون كيري', 1);
  assert.notEqual(s.start, utf16('جون كيري', 1).utf16_start, 'the test text really has astral characters before the span');
  const a = await call(page, '#w', 'addAnnotation', { ...s, label: 'person', note: 'ملاحظة' });
  checkShape(a);
  assert.deepEqual({ label: a.label, start: a.start, end: a.end, quote: a.quote, note: a.note }, { label: 'person', ...s, quote: 'جون كيري', note: 'ملاحظة' });
  assert.deepEqual({ utf16_start: a.utf16_start, utf16_end: a.utf16_end }, utf16('جون كيري', 1));

  // Surrounding spaces are trimmed, as for a mouse selection.
  const r = span('روسيا');
  const b = await call(page, '#w', 'addAnnotation', { start: r.start - 1, end: r.end + 1, label: 'place' });
  assert.deepEqual({ start: b.start, end: b.end, quote: b.quote, note: b.note }, { ...r, quote: 'روسيا', note: null });
  checkShape(b);

  // Same tick: the new annotation is already listed by getAnnotations.
  const sameTick = await page.evaluate((sp) => {
    const el = document.querySelector('#w');
    const x = el.addAnnotation({ ...sp, label: 'claim' });
    return el.getAnnotations().some((y) => y.id === x.id);
  }, span('محمد جواد ظريف'));
  assert.ok(sameTick, 'getAnnotations() right after addAnnotation() includes it');

  await waitCount(page, '#w', 3);
  const marks = await wMarks(page, '#w');
  assert.equal(marks.find((m) => m.id === a.id)?.text, 'جون كيري');
  assert.equal(marks.find((m) => m.id === a.id)?.label, 'person');
  assert.equal(marks.find((m) => m.id === b.id)?.text, 'روسيا');
  assert.equal((await wPanel(page, '#w')).items.find((i) => i.id === a.id)?.note, 'ملاحظة');

  const creates = await waitEvents(page, 'hashiya-create', 'w', 3);
  assert.equal(creates.length, 3);
  assert.deepEqual(creates[0].detail, a, 'hashiya-create detail is the annotation as returned');
  assert.deepEqual(creates[1].detail, b);
  assert.ok(creates.every((e) => e.bubbles && e.composed));
  const changes = await waitEvents(page, 'hashiya-change', 'w', 3);
  const last = changes[changes.length - 1].detail;
  assert.equal(last.doc_id, 'api-doc');
  assert.equal(last.text, W_TEXT);
  assert.equal(last.lang, 'ar');
  assert.equal(last.dir, 'rtl');
  assert.equal(last.title, W_BLOCKS[0]);
  assert.deepEqual(last.annotations, await call(page, '#w', 'getAnnotations'), 'hashiya-change detail is the whole document');
  const all = await call(page, '#w', 'getAnnotations');
  assert.deepEqual(all.map((x) => x.start), [...all.map((x) => x.start)].sort((p, q) => p - q), 'reading order');
  assert.equal((await events(page, { host: 'other' })).filter((e) => e.type !== 'hashiya-ready').length, 0, 'the other widget fired nothing');
  const rec = await waitStored(page, 'api-doc', 3);
  assert.deepEqual(rec.annotations.map((x) => x.id).sort(), all.map((x) => x.id).sort(), 'API changes are stored');
});

hostTest(env, 'bad input throws a clear Error and changes nothing (addAnnotation, setAnnotations, importJson)', '/api.html', async ({ page }) => {
  await call(page, '#w', 'addAnnotation', { ...span('بشار الأسد'), label: 'person' });
  await waitStored(page, 'api-doc', 1);
  const before = await snapshot(page);
  await clearEvents(page);
  const len = cps(W_TEXT).length;
  const space = W_TEXT.indexOf(' ', 5);
  const bad = [
    ['addAnnotation', { start: 10, end: 5, label: 'person' }],
    ['addAnnotation', { start: 7, end: 7, label: 'person' }],
    ['addAnnotation', { start: -1, end: 4, label: 'person' }],
    ['addAnnotation', { start: len - 2, end: len + 3, label: 'person' }],
    ['addAnnotation', { start: len + 10, end: len + 20, label: 'person' }],
    ['addAnnotation', { start: 1.5, end: 4, label: 'person' }],
    ['addAnnotation', { start: 0, end: 4, label: 'organisation' }],
    ['addAnnotation', { start: 0, end: 4, label: '' }],
    ['addAnnotation', { start: 0, end: 4 }],
    ['addAnnotation', { start: space, end: space + 1, label: 'place' }],
    ['addAnnotation', null],
    ['addAnnotation'],
    ['setAnnotations', [{ ...span('روسيا'), label: 'place' }, { start: 9, end: 3, label: 'person' }]],
    ['setAnnotations', [{ ...span('روسيا'), label: 'nope' }]],
    ['setAnnotations', 'not a list'],
    ['importJson', 'not json at all'],
    ['importJson', '{"format":"hashiya","version":99,"documents":[]}'],
    ['importJson', JSON.stringify({ text: W_TEXT, spans: [{ start: 0, end: len + 40, label: 'person' }] })],
    ['importJson', JSON.stringify({ text: W_TEXT, spans: [{ start: 0, end: 3, label: 'person' }, { start: 5, end: 2, label: 'place' }] })],
  ];
  const messages = [];
  for (const [method, ...args] of bad) {
    messages.push([method, JSON.stringify(args).slice(0, 60), await callThrows(page, '#w', method, ...args)]);
    assert.deepEqual(await snapshot(page), before, `${method}(${JSON.stringify(args).slice(0, 80)}) changed nothing`);
  }
  const setMsg = messages[12][2];
  assert.match(setMsg, /\[1\]|\b1\b|\b2\b|second/i, `setAnnotations names the bad entry: ${setMsg}`);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  const fired = (await events(page)).filter((e) => ['hashiya-create', 'hashiya-update', 'hashiya-delete', 'hashiya-change'].includes(e.type));
  assert.deepEqual(fired, [], 'no change events for refused input');
  assert.equal(await call(page, '#w', 'removeAnnotation', 'no-such-id'), false, 'removeAnnotation of an unknown id returns false');
  assert.deepEqual(await snapshot(page), before);
});

hostTest(env, 'removeAnnotation, undo, redo, clear and setAnnotations change the widget and fire delete/create/change', '/api.html', async ({ page }) => {
  assert.equal(await call(page, '#w', 'undo'), false, 'nothing to undo yet');
  assert.equal(await call(page, '#w', 'redo'), false, 'nothing to redo yet');
  const a = await call(page, '#w', 'addAnnotation', { ...span('جون كيري'), label: 'person' });
  const b = await call(page, '#w', 'addAnnotation', { ...span('روسيا'), label: 'place' });
  await waitCount(page, '#w', 2);
  await clearEvents(page);

  assert.equal(await call(page, '#w', 'removeAnnotation', a.id), true);
  await waitCount(page, '#w', 1);
  const [del] = await waitEvents(page, 'hashiya-delete', 'w');
  assert.equal(del.detail.id, a.id);
  assert.equal(del.detail.quote, 'جون كيري');
  checkShape(del.detail);
  assert.deepEqual((await waitEvents(page, 'hashiya-change', 'w')).at(-1).detail.annotations.map((x) => x.id), [b.id]);

  await clearEvents(page);
  assert.equal(await call(page, '#w', 'undo'), true);
  await waitCount(page, '#w', 2);
  assert.equal((await waitEvents(page, 'hashiya-create', 'w'))[0].detail.id, a.id, 'undo of a delete fires hashiya-create');
  assert.equal(await call(page, '#w', 'redo'), true);
  await waitCount(page, '#w', 1);
  assert.equal((await waitEvents(page, 'hashiya-delete', 'w'))[0].detail.id, a.id, 'redo of the delete fires hashiya-delete');
  assert.equal(await call(page, '#w', 'undo'), true);
  await waitCount(page, '#w', 2);

  // clear(): every annotation goes, in one undo step.
  await clearEvents(page);
  assert.equal(await call(page, '#w', 'clear'), null);
  await waitCount(page, '#w', 0);
  assert.deepEqual(await call(page, '#w', 'getAnnotations'), []);
  const dels = await waitEvents(page, 'hashiya-delete', 'w', 2);
  assert.deepEqual(dels.map((e) => e.detail.id).sort(), [a.id, b.id].sort(), 'one hashiya-delete per cleared annotation');
  assert.deepEqual((await waitEvents(page, 'hashiya-change', 'w')).at(-1).detail.annotations, []);
  await waitStored(page, 'api-doc', 0);
  assert.equal(await call(page, '#w', 'undo'), true);
  await waitCount(page, '#w', 2);
  assert.deepEqual((await call(page, '#w', 'getAnnotations')).map((x) => x.id).sort(), [a.id, b.id].sort(), 'one undo brings all back');

  // setAnnotations(): replaces everything; exported entries keep their id.
  await clearEvents(page);
  const claim = span('محمد جواد ظريف');
  const answer = await call(page, '#w', 'setAnnotations', [{ ...claim, label: 'claim', note: 'جديد' }, a]);
  assert.deepEqual([answer.count, answer.created, answer.deleted, answer.bulk], [2, 1, 1, false], `setAnnotations answers what it changed, in counts: ${JSON.stringify(answer)}`);
  const told = (await waitEvents(page, 'hashiya-change', 'w')).at(-1).detail;
  const counts = ({ doc_id, count, created, updated, deleted, bulk }) => ({ doc_id, count, created, updated, deleted, bulk });
  assert.deepEqual(answer, counts(told), 'the counts its hashiya-change told');
  const set = await call(page, '#w', 'getAnnotations');
  assert.equal(set.length, 2);
  for (const x of set) checkShape(x);
  assert.ok(set.some((x) => x.id === a.id && x.quote === 'جون كيري'), 'the exported entry kept its id');
  const fresh = set.find((x) => x.id !== a.id);
  assert.deepEqual({ start: fresh.start, end: fresh.end, label: fresh.label, note: fresh.note }, { ...claim, label: 'claim', note: 'جديد' });
  await waitCount(page, '#w', 2);
  assert.ok((await waitEvents(page, 'hashiya-delete', 'w')).some((e) => e.detail.id === b.id), 'the dropped annotation fires hashiya-delete');
  assert.ok((await waitEvents(page, 'hashiya-create', 'w')).some((e) => e.detail.id === fresh.id), 'the new one fires hashiya-create');
  assert.equal(await call(page, '#w', 'undo'), true);
  await waitCount(page, '#w', 2);
  assert.deepEqual((await call(page, '#w', 'getAnnotations')).map((x) => x.id).sort(), [a.id, b.id].sort(), 'setAnnotations is one undo step');
});

hostTest(env, 'a bulk change is one hashiya-change that counts; its document is read only when a host asks for it', '/api.html', async ({ page }) => {
  // every word of the text, as a person and as a place: more than BULK_CHANGE (100) annotations
  const words = [...W_TEXT.matchAll(/[\p{L}\p{M}]+/gu)].map((m) => ({ start: [...W_TEXT.slice(0, m.index)].length, word: m[0] }));
  const list = words.flatMap(({ start, word }) => ['person', 'place'].map((label) => ({ start, end: start + [...word].length, label })));
  assert.ok(list.length > 101, `enough spans for a bulk change: ${list.length}`);
  const kerry = await call(page, '#w', 'addAnnotation', { ...span('جون كيري'), label: 'person' });

  const seen = await page.evaluate(async (list) => {
    const el = document.querySelector('#w');
    await el.ready;
    const heard = [];
    const types = ['create', 'update', 'delete', 'relation', 'change'].map((t) => `hashiya-${t}`);
    // what a host that only wants the news reads: the keys held as values
    const valueKeys = (d) => Object.fromEntries(Object.entries(Object.getOwnPropertyDescriptors(d)).filter(([, p]) => 'value' in p).map(([k, p]) => [k, p.value]));
    const on = (e) => heard.push({ type: e.type, detail: e.detail, values: e.type === 'hashiya-change' ? valueKeys(e.detail) : null });
    for (const t of types) el.addEventListener(t, on);
    const set = el.setAnnotations(list);
    const setList = el.getAnnotations();
    const bulk = heard.slice();
    heard.length = 0;
    const added = el.addAnnotation({ start: list[0].start, end: list[0].end, label: 'claim' });
    const small = heard.map((e) => [e.type, e.values ?? e.detail.id]);
    heard.length = 0;
    el.undo();
    el.undo();
    const undone = heard.map((e) => [e.type, e.values]);
    for (const t of types) el.removeEventListener(t, on);
    const change = bulk.at(-1)?.detail;
    return {
      bulk: bulk.map((e) => [e.type, e.values]),
      keys: change ? Object.keys(change) : [],
      // read after two later changes: still the document of its own change
      document: change ? { annotations: change.annotations, text: change.text, relations: change.relations, title: change.title } : null,
      set,
      setList,
      small,
      added: added.id,
      undone,
      now: el.getAnnotations(),
    };
  }, list);

  assert.deepEqual(seen.bulk, [
    ['hashiya-change', { doc_id: 'api-doc', count: list.length, created: list.length, updated: 0, deleted: 1, bulk: true }],
  ], 'setAnnotations of many is one event, with counts instead of an event per annotation');
  assert.deepEqual(seen.set, seen.bulk[0][1], 'setAnnotations answers the counts its hashiya-change told');
  for (const k of ['doc_id', 'count', 'created', 'updated', 'deleted', 'bulk', 'title', 'lang', 'dir', 'text', 'annotations', 'relations']) {
    assert.ok(seen.keys.includes(k), `the change detail lists ${k} (so {...detail} and JSON.stringify still give the document): ${seen.keys}`);
  }
  assert.deepEqual(seen.document.annotations, seen.setList, 'the document keys, read after later changes, are those of their own change');
  assert.equal(seen.document.text, W_TEXT);
  assert.equal(seen.document.title, W_BLOCKS[0]);
  assert.deepEqual(seen.document.relations, []);
  assert.deepEqual(seen.small, [
    ['hashiya-create', seen.added],
    ['hashiya-change', { doc_id: 'api-doc', count: list.length + 1, created: 1, updated: 0, deleted: 0, bulk: false }],
  ], 'a small change is told annotation by annotation, then counted');
  assert.deepEqual(seen.undone, [
    ['hashiya-delete', null],
    ['hashiya-change', { doc_id: 'api-doc', count: list.length, created: 0, updated: 0, deleted: 1, bulk: false }],
    ['hashiya-change', { doc_id: 'api-doc', count: 1, created: 1, updated: 0, deleted: list.length, bulk: true }],
  ], 'undoing the bulk change is one bulk event too');
  assert.deepEqual(seen.now.map((a) => a.id), [kerry.id]);
  await waitCount(page, '#w', 1);
});

hostTest(env, 'setAnnotations answers the counts of its own change, not of what a listener did after it', '/api.html', async ({ page }) => {
  const [kerry, zarif] = [span('جون كيري'), span('محمد جواد ظريف')];
  const seen = await page.evaluate(async ([kerry, zarif]) => {
    const el = document.querySelector('#w');
    await el.ready;
    const told = [];
    // a host that answers every new list with a claim of its own
    let replied = false;
    const reply = (e) => {
      told.push({ count: e.detail.count, created: e.detail.created, updated: e.detail.updated, deleted: e.detail.deleted });
      if (!replied) {
        replied = true;
        el.addAnnotation({ ...zarif, label: 'claim' });
      }
    };
    el.addEventListener('hashiya-change', reply);
    const answer = el.setAnnotations([{ ...kerry, label: 'person' }]);
    el.removeEventListener('hashiya-change', reply);
    return { answer, told, now: el.getAnnotations().map((a) => a.label) };
  }, [kerry, zarif]);
  assert.equal(seen.told.length, 2, `two changes were told, the list and then the listener's claim: ${JSON.stringify(seen.told)}`);
  assert.deepEqual([seen.told[1].created, seen.told[1].count], [1, 2]);
  assert.deepEqual(seen.now.sort(), ['claim', 'person']);
  const { doc_id, bulk, ...counts } = seen.answer;
  assert.deepEqual([doc_id, bulk], ['api-doc', false]);
  assert.deepEqual(counts, seen.told[0], 'the answer is what the first hashiya-change told, not the state after the listener');
});

hostTest(env, 'a hashiya-change keeps its document for every listener, even one after a listener that reloads the widget', '/api.html', async ({ page }) => {
  const r = await page.evaluate(async (start) => {
    const el = document.querySelector('#w');
    await el.ready;
    const out = {};
    // the first listener moves the widget to another article; the next one still reads this change
    el.addEventListener('hashiya-change', () => el.setAttribute('doc-id', 'api-doc-2'), { once: true });
    document.addEventListener('hashiya-change', (e) => {
      out.annotations = e.detail.annotations.map((a) => a.quote);
      out.status = e.detail.status;
      e.detail.annotations = 'set by the host';
      out.set = e.detail.annotations;
    }, { once: true });
    el.addAnnotation({ ...start, label: 'person' });
    await el.ready;
    out.after = el.getAttribute('doc-id');
    return out;
  }, span('جون كيري'));
  assert.deepEqual(r.annotations, ['جون كيري'], `the later listener read the change's document: ${JSON.stringify(r)}`);
  assert.equal(r.status, 'in-progress');
  assert.equal(r.set, 'set by the host', 'a host may overwrite a key, as in 0.1');
  assert.equal(r.after, 'api-doc-2');
});

hostTest(env, 'changes in the UI fire hashiya-update (relabel, note) and hashiya-delete (Delete key)', '/api.html', async ({ page }) => {
  const id = await wAnnotate(page, '#w', 'محمد جواد ظريف', '1', { occurrence: 1 });
  const [created] = await waitEvents(page, 'hashiya-create', 'w');
  assert.equal(created.detail.id, id);
  assert.equal(created.detail.label, 'person');
  assert.deepEqual({ start: created.detail.start, end: created.detail.end }, span('محمد جواد ظريف', 1));
  await clearEvents(page);

  await wClickMark(page, '#w', id);
  await wWaitSelected(page, '#w', id);
  const editor = `hashiya-annotator#w aside [data-role="editor"][data-annotation-id="${id}"]`;
  await page.locator(`${editor} button[data-action="relabel"][data-label="claim"]`).click();
  const [u1] = await waitEvents(page, 'hashiya-update', 'w');
  assert.deepEqual({ id: u1.detail.id, label: u1.detail.label, quote: u1.detail.quote }, { id, label: 'claim', quote: 'محمد جواد ظريف' });
  checkShape(u1.detail);

  await page.locator(`${editor} textarea[data-role="note"]`).fill('وزير الخارجية الإيراني');
  await page.locator(`${editor} button[data-action="save-note"]`).click();
  const ups = await waitEvents(page, 'hashiya-update', 'w', 2);
  assert.equal(ups[1].detail.note, 'وزير الخارجية الإيراني');
  assert.equal(ups[1].detail.label, 'claim');
  assert.ok(ups[1].detail.updated_at >= ups[1].detail.created_at);

  // A key relabels the selected annotation when no text is selected.
  const plain = findRange(W_TEXT, 'الأربعاء');
  await wClickText(page, '#w', plain.start, plain.end);
  await wClickMark(page, '#w', id);
  await wWaitSelected(page, '#w', id);
  await page.keyboard.press('2');
  const ups3 = await waitEvents(page, 'hashiya-update', 'w', 3);
  assert.equal(ups3[2].detail.label, 'place');

  // Escape deselects: Delete then removes nothing.
  await page.keyboard.press('Escape');
  await poll(page, () => document.querySelector('#w').shadowRoot.querySelectorAll('mark[data-selected="true"]').length === 0, null, { timeout: 5_000 });
  await page.keyboard.press('Delete');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  await waitCount(page, '#w', 1);
  await wClickMark(page, '#w', id);
  await wWaitSelected(page, '#w', id);
  await page.keyboard.press('Delete');
  await waitCount(page, '#w', 0);
  const [del] = await waitEvents(page, 'hashiya-delete', 'w');
  assert.deepEqual({ id: del.detail.id, note: del.detail.note, label: del.detail.label }, { id, note: 'وزير الخارجية الإيراني', label: 'place' });
  const changes = await events(page, { type: 'hashiya-change', host: 'w' });
  assert.ok(changes.length >= 4, `a hashiya-change after each of the 4 changes (got ${changes.length})`);
  assert.deepEqual(changes.at(-1).detail.annotations, []);

  // Undo from the keyboard fires events too.
  await page.keyboard.press('Control+z');
  await waitCount(page, '#w', 1);
  assert.equal((await waitEvents(page, 'hashiya-create', 'w'))[0].detail.id, id);
});

hostTest(env, 'exportJson, exportW3c and exportJsonl agree with getAnnotations; importJson merges all three and counts duplicates and unknown labels', '/api.html', async ({ page }) => {
  const a = await call(page, '#w', 'addAnnotation', { ...span('جون كيري', 1), label: 'person', note: 'سطر\nثان' });
  const b = await call(page, '#w', 'addAnnotation', { ...span('واشنطن'), label: 'place' });
  const list = await call(page, '#w', 'getAnnotations');
  assert.deepEqual(list.map((x) => x.id), [a.id, b.id]);

  const json = await call(page, '#w', 'exportJson');
  assert.equal(typeof json, 'string');
  const doc = JSON.parse(json);
  assert.equal(doc.format, 'hashiya');
  assert.equal(doc.version, 2);
  assert.equal(doc.documents.length, 1, 'the export holds this widget\'s article only');
  assert.equal(doc.documents[0].doc_id, 'api-doc');
  assert.equal(doc.documents[0].text, W_TEXT);
  assert.deepEqual(doc.documents[0].annotations, list);

  const w3c = JSON.parse(await call(page, '#w', 'exportW3c'));
  const items = Array.isArray(w3c) ? w3c : w3c.type === 'AnnotationCollection' ? w3c.first.items ?? w3c.first : [w3c];
  assert.equal(items.length, 2);
  for (const [k, item] of items.entries()) {
    const sel = item.target.selector;
    const pos = sel.find((s) => s.type === 'TextPositionSelector');
    const quote = sel.find((s) => s.type === 'TextQuoteSelector');
    assert.deepEqual({ start: pos.start, end: pos.end, exact: quote.exact }, { start: list[k].start, end: list[k].end, exact: list[k].quote });
    assert.ok(item.body.some((x) => x.purpose === 'tagging' && x.value === list[k].label));
  }

  const jsonl = await call(page, '#w', 'exportJsonl');
  const lines = jsonl.split('\n').filter((l) => l.trim());
  assert.equal(lines.length, 1, 'one JSONL line for the article');
  const line = JSON.parse(lines[0]);
  assert.equal(line.text, W_TEXT);
  assert.deepEqual(line.spans.map((s) => [s.start, s.end, s.label]), list.map((x) => [x.start, x.end, x.label]));

  // Import back after clear: the same annotations, ids kept. The counts are
  // checked at each step, the format names (as hashiya.d.ts says) once at the end.
  const formats = [];
  const imported = async (text) => {
    const r = await call(page, '#w', 'importJson', text);
    formats.push(r.format);
    const upper = Object.fromEntries(Object.entries(r.unknown_labels ?? {}).map(([k, v]) => [k.toUpperCase(), v]));
    return { added: r.added, duplicates: r.duplicates, other_articles: r.other_articles, unknown_labels: upper };
  };
  await call(page, '#w', 'clear');
  await waitCount(page, '#w', 0);
  await clearEvents(page);
  assert.deepEqual(await imported(json), { added: 2, duplicates: 0, other_articles: 0, unknown_labels: {} });
  await waitCount(page, '#w', 2);
  assert.deepEqual((await call(page, '#w', 'getAnnotations')).map(({ id, start, end, label, note }) => ({ id, start, end, label, note })), list.map(({ id, start, end, label, note }) => ({ id, start, end, label, note })));
  assert.equal((await waitEvents(page, 'hashiya-create', 'w', 2)).length, 2, 'imported annotations fire hashiya-create');
  assert.deepEqual(await imported(json), { added: 0, duplicates: 2, other_articles: 0, unknown_labels: {} });
  assert.deepEqual(await imported(jsonl), { added: 0, duplicates: 2, other_articles: 0, unknown_labels: {} });
  assert.deepEqual(await imported(await call(page, '#w', 'exportW3c')), { added: 0, duplicates: 2, other_articles: 0, unknown_labels: {} });

  // doccano-style JSONL with an unknown label: PER maps to person, ORG is counted and skipped.
  const z = span('محمد جواد ظريف', 1);
  const r = span('روسيا', 1);
  const doccano = JSON.stringify({ text: W_TEXT, label: [[z.start, z.end, 'PER'], [r.start, r.end, 'ORG']] });
  assert.deepEqual(await imported(doccano), { added: 1, duplicates: 0, other_articles: 0, unknown_labels: { ORG: 1 } });
  await waitCount(page, '#w', 3);
  assert.ok((await call(page, '#w', 'getAnnotations')).some((x) => x.quote === 'محمد جواد ظريف' && x.label === 'person'));
  assert.equal(await call(page, '#w', 'undo'), true, 'an import is one undo step');
  await waitCount(page, '#w', 2);
  // An article with another text is never attached to this one: alone, it is refused;
  // beside this article's own lines, it is counted.
  const foreign = JSON.stringify({ text: 'نص آخر تماما عن موضوع مختلف', spans: [{ start: 0, end: 2, label: 'person' }] });
  const refusal = await callThrows(page, '#w', 'importJson', foreign);
  assert.match(refusal, /this article/i, `the refusal says why: ${refusal}`);
  await waitCount(page, '#w', 2);
  const mixed = `${foreign}\n${JSON.stringify({ text: W_TEXT, label: [[z.start, z.end, 'PER']] })}`;
  assert.deepEqual(await imported(mixed), { added: 1, duplicates: 0, other_articles: 1, unknown_labels: {} });
  await waitCount(page, '#w', 3);
  assert.deepEqual(formats, ['Hashiya JSON', 'Hashiya JSON', 'JSONL', 'W3C Web Annotation', 'JSONL', 'JSONL'], 'importJson names the format as hashiya.d.ts documents it');
});

hostTest(env, 'hashiya-error: an article src that cannot be loaded', '/src-missing.html', { wait: false }, async ({ page }) => {
  const [err] = await waitEvents(page, 'hashiya-error', 'w', 1, 10_000);
  assert.ok(err.bubbles && err.composed, 'hashiya-error bubbles and is composed');
  assert.equal(err.detail.source, 'src');
  assert.equal(typeof err.detail.message, 'string');
  assert.ok(err.detail.message.length > 5, `message: ${err.detail.message}`);
  assert.match(err.detail.message_ar, /[\u0600-\u06ff]/, 'message_ar is Arabic');
  assert.match(err.detail.message, /no-such-article\.txt|404|load|fetch/i, `the English message says what failed: ${err.detail.message}`);
});

hostTest(
  env,
  'hashiya-error: a localStorage write that fails is reported (source storage) and the work is kept in memory',
  '/storage-fails.html',
  { initScript: refuseArticleValues, initArg: -1 },
  async ({ page }) => {
    const s = cpSpan(O_BLOCKS.join('\n'), 'جون كيري');
    await call(page, '#w', 'addAnnotation', { ...s, label: 'person' });
    const errs = await waitEvents(page, 'hashiya-error', 'w', 1, 10_000);
    const st = errs.find((e) => e.detail.source === 'storage');
    assert.ok(st, `a hashiya-error with source "storage": ${JSON.stringify(errs.map((e) => e.detail))}`);
    assert.ok(st.detail.message.length > 5);
    assert.match(st.detail.message_ar, /[\u0600-\u06ff]/);
    await waitCount(page, '#w', 1);
    assert.equal((await call(page, '#w', 'getAnnotations')).length, 1, 'the annotation is kept in memory');
    const docKeys = Object.keys(await hashiyaStorage(page)).filter((k) => k.startsWith(STORAGE_PREFIX));
    assert.deepEqual(docKeys, [], 'nothing was written');
  },
);

hostTest(
  env,
  'a record too big for localStorage is kept in IndexedDB; after a reload the element is ready with it',
  '/storage-fails.html',
  // localStorage takes a pointer (about 100 units), never a whole record
  { initScript: refuseArticleValues, initArg: 300 },
  async (h) => {
    const { page } = h;
    const text = O_BLOCKS.join('\n');
    const quotes = ['جون كيري', 'موسكو', 'الأزمة السورية', 'المسؤولين الروس'];
    const list = quotes.map((needle, i) => ({
      id: `n${i}`, ...cpSpan(text, needle), label: i % 2 ? 'place' : 'person', note: 'ملاحظة '.repeat(8),
    }));
    await call(page, '#w', 'setAnnotations', list);
    const pointer = await poll(page, (k) => {
      const p = JSON.parse(localStorage.getItem(k) || 'null');
      return p && p.kept_in === 'indexeddb' ? p : null;
    }, STORAGE_PREFIX + 'full');
    assert.equal(pointer.doc_id, 'full');
    assert.equal((await events(page, { type: 'hashiya-error', host: 'w' })).length, 0, 'no error: the work is kept');

    await h.reload();
    const ready = await events(page, { type: 'hashiya-ready', host: 'w' });
    assert.equal(ready.at(-1).detail.annotations, 4, 'ready, with the kept annotations');
    const back = await call(page, '#w', 'getAnnotations');
    const byId = (a, b) => a[0].localeCompare(b[0]);
    assert.deepEqual(
      back.map((a) => [a.id, a.quote, a.note]).sort(byId),
      list.map((a, i) => [a.id, quotes[i], a.note]),
    );
    await waitCount(page, '#w', 4);
  },
);

hostTest(env, 'a host that changes the widget from an event listener hears the final document last', '/api.html', async ({ page }) => {
  const seen = await page.evaluate(async () => {
    const el = document.querySelector('#w');
    await el.ready;
    el.clear();
    const log = [];
    // a host rule: no claims; it removes one as soon as it is created, and flips readonly meanwhile
    const onCreate = (e) => {
      log.push(['create', e.detail.label]);
      if (e.detail.label === 'claim') {
        el.setAttribute('readonly', '');
        el.removeAnnotation(e.detail.id);
        el.removeAttribute('readonly');
      }
    };
    const onChange = (e) => log.push(['change', e.detail.annotations.map((a) => a.label).join(',')]);
    const onDelete = (e) => log.push(['delete', e.detail.label]);
    el.addEventListener('hashiya-create', onCreate);
    el.addEventListener('hashiya-change', onChange);
    el.addEventListener('hashiya-delete', onDelete);
    el.addAnnotation({ start: 0, end: 3, label: 'claim' });
    el.removeEventListener('hashiya-create', onCreate);
    el.removeEventListener('hashiya-change', onChange);
    el.removeEventListener('hashiya-delete', onDelete);
    return { log, now: el.getAnnotations().length };
  });
  assert.equal(seen.now, 0, 'the listener removed the claim');
  assert.deepEqual(seen.log.at(-1), ['change', ''], `the last change event is the current document: ${JSON.stringify(seen.log)}`);
  assert.ok(seen.log.some(([k]) => k === 'delete'), 'the removal was told too');
});

hostTest(env, 'a status an import gives the article is kept by every export of the element', '/api.html', async ({ page }) => {
  await call(page, '#w', 'addAnnotation', { ...span('روسيا'), label: 'place' });
  const json = JSON.parse(await call(page, '#w', 'exportJson'));
  assert.equal(json.documents[0].status, 'in-progress');
  json.documents[0].status = 'done';
  await call(page, '#w', 'importJson', JSON.stringify(json));
  assert.equal(JSON.parse(await call(page, '#w', 'exportJson')).documents[0].status, 'done', 'exportJson says done');
  assert.equal(JSON.parse((await call(page, '#w', 'exportJsonl')).trim()).status, 'done', 'exportJsonl says done');
  const w3c = JSON.parse(await call(page, '#w', 'exportW3c'));
  assert.equal(w3c['hashiya:documents'][0].status, 'done', `exportW3c says done: ${JSON.stringify(w3c['hashiya:documents'])}`);
});
