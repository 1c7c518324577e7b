// Interchange: the W3C Web Annotation and JSONL exports, and importing
// Hashiya JSON, JSONL (doccano / spaCy-like) and W3C annotations by file,
// by pasted text and by dropping a file; merge and replace, duplicates,
// unknown labels, undo, and validation that changes nothing on any error.

import assert from 'node:assert/strict';
import { useApp, appTest } from './lib/browser.mjs';
import {
  DOC1, DOC2, STORAGE_PREFIX, panelSel, annotate, marks, markedText, panel, stored, docText,
  pasteArticle, articleIds, waitForNewArticle, waitForCount, waitForSelected, markPoint, clickAt, cps, cpSlice,
  cpSpan, waitForNotice, downloadFrom, openImportPanel, chooseImportMode, importText,
  importFile, dropFile, storageSnapshot, waitForStored, listedIds, saved, storedQuote,
} from './lib/app.mjs';
import { EMOJI_ARTICLE } from './lib/app.mjs';

const env = useApp();

const W3C_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
const EXPORT_JSON = 'div[role="toolbar"] button[data-action="export-json"]';
const EXPORT_W3C = 'div[role="toolbar"] button[data-action="export-w3c"]';
const EXPORT_JSONL = 'div[role="toolbar"] button[data-action="export-jsonl"]';

const EMOJI_TEXT = EMOJI_ARTICLE.replace(/\n\n/g, '\n');

// A text that no shown article has: imported with it, a new article appears.
const NEW_TEXT = [
  'خبر مستورد 🌍 من ملف',
  'التقى الرئيس 🇱🇧 نجيب ميقاتي في طرابلس وفدا من الأمم المتحدة.',
  'وقال ميقاتي إن الحوار هو الطريق الوحيد.',
].join('\n');

/** The result notice's count of imported annotations (singular or plural). */
const imported = (n) => new RegExp(`Imported ${n} annotations?\\b`);

/** Lets rendering and the effects after it (the storage writes) run. */
function settle(page) {
  return page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))),
  );
}

/** Everything an import could change: storage, articles, marks, panel lists. */
function pageState(page) {
  return page.evaluate(() => {
    const ls = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      ls[k] = localStorage.getItem(k);
    }
    const articles = [...document.querySelectorAll('article[data-doc-id]')].map((a) => ({
      id: a.dataset.docId,
      text: [...a.querySelectorAll('[data-block]')].map((b) => b.textContent).join('\n'),
      marks: [...a.querySelectorAll('mark[data-annotation-id]')].map(
        (m) => `${m.dataset.annotationId}|${m.dataset.label}|${m.textContent}`,
      ),
    }));
    const panels = [...document.querySelectorAll('aside[data-panel-for]')].map((p) => ({
      for: p.dataset.panelFor,
      counts: [...p.querySelectorAll('[data-count]')].map((c) => `${c.dataset.count}:${c.textContent}`),
      items: [...p.querySelectorAll('li[data-annotation-id]')].map(
        (li) => `${li.dataset.annotationId}|${li.dataset.label}|${li.querySelector('.note')?.textContent ?? ''}`,
      ),
    }));
    // the workspace's list: every article, with its status
    const list = [...document.querySelectorAll('nav[data-role="documents"] li[data-doc-id]')].map((li) => li.dataset.docId);
    const statuses = [...document.querySelectorAll('nav[data-role="documents"] li[data-doc-id]')].map((li) => li.dataset.status);
    return { ls, articles, panels, list, statuses };
  });
}

/** Writes a note on annotation `id` with the editor. */
async function addNote(page, docId, id, note) {
  await clickAt(page, await markPoint(page, id));
  await waitForSelected(page, id);
  const editor = `${panelSel(docId)} [data-role="editor"][data-annotation-id="${id}"]`;
  await page.fill(`${editor} textarea[data-role="note"]`, note);
  await page.click(`${editor} button[data-action="save-note"]`);
  await page.waitForFunction(
    ([sel, note]) => document.querySelector(sel)?.textContent.includes(note),
    [`${panelSel(docId)} li[data-annotation-id="${id}"] .note`, note.split('\n')[0]],
  );
  await page.keyboard.press('Escape');
}

/** A full Hashiya v1 annotation for `needle` in `text` (code points and UTF-16). */
function hashiyaAnn(text, needle, label, id, { occurrence = 0, within, note = null } = {}) {
  const { start, end } = cpSpan(text, needle, { occurrence, within });
  const chars = cps(text);
  const u = (cp) => chars.slice(0, cp).join('').length;
  return {
    id, label, start, end, quote: needle,
    prefix: chars.slice(Math.max(0, start - 32), start).join(''),
    suffix: chars.slice(end, end + 32).join(''),
    utf16_start: u(start), utf16_end: u(end), note,
    created_at: '2026-01-02T03:04:05.000Z', updated_at: '2026-01-02T03:04:05.000Z',
  };
}

function hashiyaDoc(docId, text, annotations) {
  return { doc_id: docId, title: text.split('\n')[0], lang: 'ar', dir: 'rtl', text, annotations };
}

function hashiyaFile(documents) {
  return JSON.stringify({ format: 'hashiya', version: 1, exported_at: '2026-01-02T03:04:05.000Z', documents });
}

/**
 * Asserts that `docId` has an annotation labelled `label` on code points
 * `span` whose highlight shows `quote`; returns it.
 */
async function assertPlaced(page, docId, label, span, quote) {
  const rec = await waitForStored(
    page, docId,
    (r, [label, s, e]) => r.annotations.some((a) => a.label === label && a.start === s && a.end === e),
    [label, span.start, span.end],
  ).catch(async () => {
    const rec = await stored(page, docId);
    throw new Error(
      `${docId} has no stored ${label} at ${span.start}..${span.end} (${JSON.stringify(quote)}); stored: ` +
        JSON.stringify(rec?.annotations.map((a) => ({ id: a.id, label: a.label, start: a.start, end: a.end, quote: storedQuote(rec, a) }))),
    );
  });
  const a = rec.annotations.find((x) => x.label === label && x.start === span.start && x.end === span.end);
  assert.equal(storedQuote(rec, a), quote, `stored quote of the ${label} at ${span.start}..${span.end}`);
  assert.equal(await markedText(page, docId, a.id), quote, `the highlight of ${a.id} shows ${JSON.stringify(quote)}`);
  assert.ok(
    (await marks(page, docId)).filter((m) => m.id === a.id).every((m) => m.label === label),
    `the marks of ${a.id} carry data-label=${label}`,
  );
  assert.ok((await listedIds(page, docId)).includes(a.id), `${a.id} is listed in the panel of ${docId}`);
  return a;
}

async function exportHashiya(page) {
  const { filename, text } = await downloadFrom(page, EXPORT_JSON);
  assert.equal(filename, 'hashiya-annotations.json');
  return { raw: text, data: JSON.parse(text) };
}

/** Bundled annotations of several kinds: nested, across paragraphs, with notes. */
async function makeBundledAnnotations(page) {
  const person = await annotate(page, DOC1, 'جون كيري', 'person');
  const place = await annotate(page, DOC1, 'موسكو', 'place', { occurrence: 1 });
  const claim = await annotate(page, DOC1, 'الأزمة السورية.\nوقال المتحدث', 'claim');
  const end = await annotate(page, DOC1, 'وكالات', 'place'); // the very end of the text
  const zarif = await annotate(page, DOC2, 'محمد جواد ظريف', 'person');
  const daesh = await annotate(page, DOC2, 'داعش', 'place');
  await addNote(page, DOC1, place.id, 'ملاحظة "مقتبسة" \\ وسطر\nثان 😀');
  await addNote(page, DOC2, zarif.id, 'وزير الخارجية الإيراني');
  return { person, place, claim, end, zarif, daesh };
}

async function makeUserAnnotations(page) {
  const user = await pasteArticle(page, EMOJI_ARTICLE);
  assert.equal(await docText(page, user), EMOJI_TEXT);
  const muhammad = await annotate(page, user, 'مُحَمَّد', 'person');
  const emojiClaim = await annotate(page, user, '😀 مُحَمَّد', 'claim');
  const damascus = await annotate(page, user, 'دمشق', 'place');
  return { user, muhammad, emojiClaim, damascus };
}

/** id -> { docId, text, ann } from a Hashiya export. */
function annotationsOf(data) {
  const out = new Map();
  for (const d of data.documents) for (const a of d.annotations) out.set(a.id, { docId: d.doc_id, text: d.text, ann: a });
  return out;
}

const pick = (a) => ({ label: a.label, start: a.start, end: a.end, quote: a.quote, note: a.note ?? null });
const bySpan = (x, y) => x.start - y.start || y.end - x.end || (x.label < y.label ? -1 : x.label > y.label ? 1 : 0);

/** Asserts that two exports hold the same annotations on the same texts (matched by text). */
function assertSameAnnotations(got, want, { ids = true } = {}) {
  for (const w of want.documents) {
    if (!w.annotations.length) continue;
    const g = got.documents.find((d) => d.text === w.text);
    assert.ok(g, `the import shows the article ${JSON.stringify(w.title)}`);
    const norm = (d) => d.annotations.map((a) => (ids ? { id: a.id, ...pick(a) } : pick(a))).sort(bySpan);
    assert.deepEqual(norm(g), norm(w), `annotations of ${w.doc_id} came back`);
  }
}

// ---------------------------------------------------------------------------
// Exports

appTest(env, 'export-w3c downloads a W3C Web Annotation collection in code points', async ({ page }) => {
  const made = await makeBundledAnnotations(page);
  const u = await makeUserAnnotations(page);
  const { data } = await exportHashiya(page);
  const expected = annotationsOf(data);
  assert.equal(expected.size, 9);

  const { filename, text } = await downloadFrom(page, EXPORT_W3C);
  assert.equal(filename, 'hashiya-annotations.w3c.jsonld');
  const w = JSON.parse(text);
  assert.equal(w['@context'], W3C_CONTEXT);
  assert.equal(w.type, 'AnnotationCollection');
  assert.equal(w.first?.type, 'AnnotationPage');
  assert.ok(Array.isArray(w.first.items), 'first.items is an array');
  const items = w.first.items;
  assert.equal(w.total, items.length, 'total counts the items');
  assert.equal(items.length, expected.size, 'one Annotation per annotation');

  const seen = new Set();
  for (const item of items) {
    assert.equal(item.type, 'Annotation');
    const m = /^urn:x-hashiya:annotation:(.+)$/.exec(item.id);
    assert.ok(m, `id ${item.id} is urn:x-hashiya:annotation:<id>`);
    const e = expected.get(m[1]);
    assert.ok(e, `${item.id} names an exported annotation`);
    assert.ok(!seen.has(m[1]), `${item.id} once`);
    seen.add(m[1]);
    const where = `${item.id} ${JSON.stringify(e.ann.quote)}`;

    assert.ok(Array.isArray(item.body), `${where}: body is an array`);
    const tags = item.body.filter((b) => b.purpose === 'tagging');
    assert.equal(tags.length, 1, `${where}: one tagging body`);
    assert.equal(tags[0].type, 'TextualBody');
    assert.equal(tags[0].value, e.ann.label, `${where}: tagging value is the label`);
    const comments = item.body.filter((b) => b.purpose === 'commenting');
    if (e.ann.note) {
      assert.equal(comments.length, 1, `${where}: a commenting body for the note`);
      assert.equal(comments[0].type, 'TextualBody');
      assert.equal(comments[0].value, e.ann.note, `${where}: the note verbatim`);
    } else {
      assert.equal(comments.length, 0, `${where}: no commenting body without a note`);
    }

    assert.equal(item.target?.source, `urn:x-hashiya:doc:${e.docId}`, `${where}: target source`);
    const sels = Array.isArray(item.target.selector) ? item.target.selector : [item.target.selector];
    const q = sels.filter((s) => s.type === 'TextQuoteSelector');
    const p = sels.filter((s) => s.type === 'TextPositionSelector');
    assert.equal(q.length, 1, `${where}: one TextQuoteSelector`);
    assert.equal(p.length, 1, `${where}: one TextPositionSelector`);
    assert.equal(p[0].start, e.ann.start, `${where}: position start in code points`);
    assert.equal(p[0].end, e.ann.end, `${where}: position end in code points`);
    assert.equal(q[0].exact, e.ann.quote, `${where}: exact`);
    assert.equal(cpSlice(e.text, p[0].start, p[0].end), q[0].exact, `${where}: position selects exact`);
    assert.equal(typeof q[0].prefix, 'string', `${where}: prefix`);
    assert.equal(typeof q[0].suffix, 'string', `${where}: suffix`);
    const pre = cps(q[0].prefix).length;
    const suf = cps(q[0].suffix).length;
    assert.equal(cpSlice(e.text, p[0].start - pre, p[0].start), q[0].prefix, `${where}: prefix is the text just before`);
    assert.equal(cpSlice(e.text, p[0].end, p[0].end + suf), q[0].suffix, `${where}: suffix is the text just after`);
    if (p[0].start > 0) assert.ok(pre > 0, `${where}: a non-empty prefix inside the text`);
    if (p[0].end < cps(e.text).length) assert.ok(suf > 0, `${where}: a non-empty suffix inside the text`);
  }

  // the cases that catch UTF-16 offsets
  const find = (id) => items.find((i) => i.id === `urn:x-hashiya:annotation:${id}`);
  const pos = (id) => {
    const s = find(id).target.selector.find((x) => x.type === 'TextPositionSelector');
    return { start: s.start, end: s.end };
  };
  assert.deepEqual(pos(u.muhammad.id), cpSpan(EMOJI_TEXT, 'مُحَمَّد'), 'after one emoji');
  assert.deepEqual(pos(u.damascus.id), cpSpan(EMOJI_TEXT, 'دمشق'), 'after 😀 and 👍🏽');
  const t1 = await docText(page, DOC1);
  assert.deepEqual(pos(made.end.id), { start: cps(t1).length - 3 - 3, end: cps(t1).length }, 'the span at the very end');
  assert.equal(find(made.end.id).target.selector.find((s) => s.type === 'TextQuoteSelector').suffix, '');
});

appTest(env, 'export-jsonl downloads one article per line with spans in code points', async ({ page }) => {
  await makeBundledAnnotations(page);
  const u = await makeUserAnnotations(page);
  const { data } = await exportHashiya(page);

  const { filename, text } = await downloadFrom(page, EXPORT_JSONL);
  assert.equal(filename, 'hashiya-annotations.jsonl');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  assert.ok(lines.every((l) => l.trim() !== ''), 'no blank lines between records');
  const recs = lines.map((l, i) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      throw new Error(`line ${i + 1} is not one JSON value: ${e.message}`);
    }
  });
  const shown = await articleIds(page);
  const byId = new Map();
  for (const r of recs) {
    assert.ok(shown.includes(r.doc_id), `line for ${r.doc_id} is a shown article`);
    assert.ok(!byId.has(r.doc_id), `${r.doc_id} on one line only`);
    byId.set(r.doc_id, r);
    assert.equal(r.text, await docText(page, r.doc_id), `text of ${r.doc_id}`);
    assert.ok(Array.isArray(r.spans), `spans of ${r.doc_id}`);
  }
  for (const d of data.documents) {
    if (!d.annotations.length) continue;
    const r = byId.get(d.doc_id);
    assert.ok(r, `a line for ${d.doc_id}`);
    for (const s of r.spans) {
      for (const k of ['start', 'end', 'label', 'id', 'note']) assert.ok(k in s, `${d.doc_id} span has ${k}: ${JSON.stringify(s)}`);
    }
    const mine = r.spans.map((s) => ({ id: s.id, label: s.label, start: s.start, end: s.end, note: s.note ?? null })).sort(bySpan);
    const want = d.annotations.map((a) => ({ id: a.id, label: a.label, start: a.start, end: a.end, note: a.note ?? null })).sort(bySpan);
    assert.deepEqual(mine, want, `spans of ${d.doc_id} = the annotations of the JSON export`);
  }
  const user = byId.get(u.user);
  assert.deepEqual(
    (({ start, end }) => ({ start, end }))(user.spans.find((s) => s.id === u.damascus.id)),
    cpSpan(EMOJI_TEXT, 'دمشق'),
    'code points, not UTF-16, after two emoji',
  );
});

const ORDER_KEY = 'hashiya:v1:order';

// ---------------------------------------------------------------------------
// Round trips

appTest(env, 'a Hashiya JSON export imports into a fresh browser; importing it again skips every duplicate', async (app) => {
  const { page } = app;
  await makeBundledAnnotations(page);
  await makeUserAnnotations(page);
  const { raw, data } = await exportHashiya(page);
  const total = data.documents.reduce((n, d) => n + d.annotations.length, 0);
  assert.equal(total, 9);

  const other = await env.open();
  try {
    const p = other.page;
    const before = await articleIds(p);
    await importFile(p, { name: 'hashiya-annotations.json', content: raw });
    const n = await waitForNotice(p, 'info', imported(total));
    assert.ok(n.text.length > 0, 'the notice speaks Arabic too');
    const userId = await waitForNewArticle(p, before);
    assert.equal(await docText(p, userId), EMOJI_TEXT, 'the user article comes with its text');
    await waitForCount(p, DOC1, 4);
    await waitForCount(p, DOC2, 2);
    await waitForCount(p, userId, 3);
    const again = (await exportHashiya(p)).data;
    assertSameAnnotations(again, data, { ids: true });
    for (const d of data.documents) {
      const shownId = d.doc_id === DOC1 || d.doc_id === DOC2 ? d.doc_id : userId;
      if (!d.annotations.length) continue;
      const rec = await waitForStored(p, shownId, (r, n) => r.annotations.length === n, d.annotations.length);
      for (const a of d.annotations) {
        assert.equal(await markedText(p, shownId, a.id), a.quote, `highlight of ${a.id}`);
        const kept = rec.annotations.find((x) => x.id === a.id);
        assert.equal(kept && storedQuote(rec, kept), a.quote, `${a.id} is stored`);
      }
    }
    // notes came along
    const notes = (await panel(p, DOC1)).items.map((i) => i.note).filter(Boolean);
    assert.ok(notes.some((x) => x.includes('مقتبسة')), 'the note is shown');

    // The same file again: nothing new, every annotation a duplicate.
    const state = await pageState(p);
    await importFile(p, { name: 'hashiya-annotations.json', content: raw });
    const dup = await waitForNotice(p, 'info', new RegExp(`skipped ${total} duplicates`));
    assert.match(dup.title, imported(0));
    await settle(p);
    const after = await pageState(p);
    assert.deepEqual(after.articles, state.articles, 'no article or highlight changed');
    assert.deepEqual(after.panels, state.panels, 'no list changed');
    // Saves wait 50 ms after a change and write every changed article in one pass: once a
    // later change (a pasted article) is stored, anything the import changed would be too.
    const later = await pasteArticle(p, 'مقال لاحق\n\nيُحفظ بعد الاستيراد المكرر.');
    await p.waitForFunction((k) => localStorage.getItem(k) !== null, STORAGE_PREFIX + later);
    // (the order of the list changes with the pasted article: that key aside)
    const { [STORAGE_PREFIX + later]: _later, [ORDER_KEY]: _order, ...ls } = await storageSnapshot(p);
    const { [ORDER_KEY]: _orderBefore, ...lsBefore } = state.ls;
    assert.deepEqual(ls, lsBefore, 'storage unchanged');
    other.assertNoPageErrors();
  } finally {
    await other.close();
  }
});

appTest(env, 'the W3C and JSONL exports import back into fresh browsers', async (app) => {
  const { page } = app;
  await makeBundledAnnotations(page);
  const u = await makeUserAnnotations(page);
  const { data } = await exportHashiya(page);
  const w3c = JSON.parse((await downloadFrom(page, EXPORT_W3C)).text);
  const jsonl = (await downloadFrom(page, EXPORT_JSONL)).text;

  // W3C: the annotations of the bundled articles (a fresh browser does not have the user article).
  const bundledItems = w3c.first.items.filter((i) => !i.target.source.endsWith(`:${u.user}`));
  assert.equal(bundledItems.length, 6);
  const collection = { ...w3c, total: bundledItems.length, first: { ...w3c.first, items: bundledItems } };
  const b = await env.open();
  try {
    await importFile(b.page, { name: 'hashiya-annotations.w3c.jsonld', content: JSON.stringify(collection), mimeType: 'application/ld+json' });
    await waitForNotice(b.page, 'info', imported(6));
    await waitForCount(b.page, DOC1, 4);
    await waitForCount(b.page, DOC2, 2);
    const bundledOnly = { documents: data.documents.filter((d) => d.doc_id === DOC1 || d.doc_id === DOC2) };
    assertSameAnnotations((await exportHashiya(b.page)).data, bundledOnly, { ids: false });
    b.assertNoPageErrors();
  } finally {
    await b.close();
  }

  // JSONL: everything, the user article included (added as a new article).
  const c = await env.open();
  try {
    const before = await articleIds(c.page);
    await importFile(c.page, { name: 'hashiya-annotations.jsonl', content: jsonl, mimeType: 'application/x-ndjson' });
    await waitForNotice(c.page, 'info', imported(9));
    const userId = await waitForNewArticle(c.page, before);
    assert.equal(await docText(c.page, userId), EMOJI_TEXT);
    await waitForCount(c.page, userId, 3);
    assertSameAnnotations((await exportHashiya(c.page)).data, data, { ids: false });
    c.assertNoPageErrors();
  } finally {
    await c.close();
  }
});

// ---------------------------------------------------------------------------
// Formats

appTest(env, 'JSONL in doccano label lists, entities and spans; labels map case-insensitively, others are skipped and named', async ({ page }) => {
  const t1 = await docText(page, DOC1);
  const t2 = await docText(page, DOC2);
  const s = {
    kerry: cpSpan(t1, 'جون كيري'),
    lavrov: cpSpan(t1, 'سيرغي لافروف'),
    moscow: cpSpan(t1, 'موسكو', { occurrence: 2 }),
    syria: cpSpan(t1, 'سورية', { within: 'في سورية وأوكرانيا' }),
    crisis: cpSpan(t1, 'الأزمة السورية'),
    obama: cpSpan(t1, 'باراك أوباما'),
    zarif: cpSpan(t2, 'محمد جواد ظريف'),
    norway: cpSpan(t2, 'للنرويج', { within: 'زيارة للنرويج' }),
    geneva: cpSpan(t2, 'جنيف'),
    daesh: cpSpan(t2, 'داعش'),
    patience: cpSpan(t2, 'صبر واشنطن "محدود جدا"'),
    mikati: cpSpan(NEW_TEXT, 'نجيب ميقاتي'),
    tripoli: cpSpan(NEW_TEXT, 'طرابلس'),
    un: cpSpan(NEW_TEXT, 'الأمم المتحدة'),
  };
  const lines = [
    // doccano: "label": [[start, end, "LABEL"], …]
    { text: t1, label: [
      [s.kerry.start, s.kerry.end, 'PER'],
      [s.lavrov.start, s.lavrov.end, 'Person'],
      [s.moscow.start, s.moscow.end, 'LOC'],
      [s.syria.start, s.syria.end, 'gpe'],
      [s.crisis.start, s.crisis.end, 'CLAIM'],
      [s.obama.start, s.obama.end, 'ORG'],
    ] },
    // doccano entities
    { text: t2, entities: [
      { id: 1, start_offset: s.zarif.start, end_offset: s.zarif.end, label: 'PERSON' },
      { id: 2, start_offset: s.norway.start, end_offset: s.norway.end, label: 'Place' },
      { id: 3, start_offset: s.geneva.start, end_offset: s.geneva.end, label: 'MISC' },
      { id: 4, start_offset: s.daesh.start, end_offset: s.daesh.end, label: 'ORG' },
      { id: 5, start_offset: s.patience.start, end_offset: s.patience.end, label: 'claim' },
    ] },
    // spans, on a text no article has (emoji before the spans: code points count)
    { text: NEW_TEXT, spans: [
      { start: s.mikati.start, end: s.mikati.end, label: 'per' },
      { start: s.tripoli.start, end: s.tripoli.end, label: 'Location' },
      { start: s.un.start, end: s.un.end, label: 'NORP' },
    ] },
  ];
  const before = await articleIds(page);
  await importText(page, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  // 5 + 3 + 2 imported; ORG twice, MISC and NORP skipped
  const n = await waitForNotice(page, null, imported(10));
  for (const label of ['ORG', 'MISC', 'NORP']) assert.ok(n.title.includes(label), `the notice names the skipped label ${label}: ${n.title}`);

  const added = await waitForNewArticle(page, before);
  assert.equal(await docText(page, added), NEW_TEXT, 'the new article has the imported text');
  await waitForCount(page, DOC1, 5);
  await waitForCount(page, DOC2, 3);
  await waitForCount(page, added, 2);

  await assertPlaced(page, DOC1, 'person', s.kerry, 'جون كيري');
  await assertPlaced(page, DOC1, 'person', s.lavrov, 'سيرغي لافروف');
  await assertPlaced(page, DOC1, 'place', s.moscow, 'موسكو');
  await assertPlaced(page, DOC1, 'place', s.syria, 'سورية');
  await assertPlaced(page, DOC1, 'claim', s.crisis, 'الأزمة السورية');
  await assertPlaced(page, DOC2, 'person', s.zarif, 'محمد جواد ظريف');
  await assertPlaced(page, DOC2, 'place', s.norway, 'للنرويج');
  await assertPlaced(page, DOC2, 'claim', s.patience, 'صبر واشنطن "محدود جدا"');
  await assertPlaced(page, added, 'person', s.mikati, 'نجيب ميقاتي');
  await assertPlaced(page, added, 'place', s.tripoli, 'طرابلس');
  assert.deepEqual((await panel(page, DOC1)).counts, { person: 2, place: 2, claim: 1 });
  assert.deepEqual((await panel(page, DOC2)).counts, { person: 1, place: 1, claim: 1 });
  assert.deepEqual((await panel(page, added)).counts, { person: 1, place: 1, claim: 0 });
  const obamaMarked = (await stored(page, DOC1)).annotations.some((a) => a.start === s.obama.start);
  assert.ok(!obamaMarked, 'the ORG span was not imported');
  assert.equal((await stored(page, added)).origin, 'user', 'the new article is stored as a user article');
});

appTest(env, 'an import that skips unknown labels reports its result as an info notice', async ({ page }) => {
  const t1 = await docText(page, DOC1);
  const k = cpSpan(t1, 'جون كيري');
  const o = cpSpan(t1, 'باراك أوباما');
  await importText(page, JSON.stringify({ text: t1, label: [[k.start, k.end, 'PER'], [o.start, o.end, 'ORG']] }));
  const n = await waitForNotice(page, null, imported(1));
  assert.ok(n.title.includes('ORG'), n.title);
  await assertPlaced(page, DOC1, 'person', k, 'جون كيري');
  assert.equal(n.kind, 'info', `the import succeeded, so its result is info, not error: ${JSON.stringify(n)}`);
});

appTest(env, 'W3C annotations import as one object, an array or a collection, by source or by quote', async ({ page }) => {
  const t1 = await docText(page, DOC1);
  const t2 = await docText(page, DOC2);
  const lavrov = cpSpan(t1, 'سيرغي لافروف');
  const moscow3 = cpSpan(t1, 'موسكو', { occurrence: 2 });
  const chars1 = cps(t1);

  // One Annotation, a quote only, no source: found in the article that has it.
  const single = {
    '@context': W3C_CONTEXT,
    id: 'urn:x-hashiya:annotation:w3c-single',
    type: 'Annotation',
    body: [
      { type: 'TextualBody', purpose: 'tagging', value: 'person' },
      { type: 'TextualBody', purpose: 'commenting', value: 'وزير الخارجية الروسي' },
    ],
    target: { selector: [{ type: 'TextQuoteSelector', exact: 'سيرغي لافروف' }] },
  };
  await importText(page, JSON.stringify(single));
  await waitForNotice(page, 'info', imported(1));
  const a1 = await assertPlaced(page, DOC1, 'person', lavrov, 'سيرغي لافروف');
  assert.equal(a1.note, 'وزير الخارجية الروسي', 'the commenting body is the note');
  assert.ok((await panel(page, DOC1)).items.find((i) => i.id === a1.id).note.includes('وزير الخارجية الروسي'));

  // An array: a position with a source; a quote whose prefix and suffix pick its third occurrence.
  const zarif = cpSpan(t2, 'محمد جواد ظريف');
  const array = [
    {
      '@context': W3C_CONTEXT, id: 'urn:x-hashiya:annotation:w3c-pos', type: 'Annotation',
      body: [{ type: 'TextualBody', purpose: 'tagging', value: 'PERSON' }],
      target: { source: `urn:x-hashiya:doc:${DOC2}`, selector: [{ type: 'TextPositionSelector', start: zarif.start, end: zarif.end }] },
    },
    {
      '@context': W3C_CONTEXT, id: 'urn:x-hashiya:annotation:w3c-quote', type: 'Annotation',
      body: [{ type: 'TextualBody', purpose: 'tagging', value: 'place' }],
      target: { selector: [{
        type: 'TextQuoteSelector', exact: 'موسكو',
        prefix: chars1.slice(moscow3.start - 20, moscow3.start).join(''),
        suffix: chars1.slice(moscow3.end, moscow3.end + 20).join(''),
      }] },
    },
  ];
  await importText(page, JSON.stringify(array));
  await waitForNotice(page, 'info', imported(2));
  await assertPlaced(page, DOC2, 'person', zarif, 'محمد جواد ظريف');
  await assertPlaced(page, DOC1, 'place', moscow3, 'موسكو');

  // A collection with both selectors and a source, from a file.
  const assad = cpSpan(t2, 'بشار الأسد');
  const chars2 = cps(t2);
  const coll = {
    '@context': W3C_CONTEXT, type: 'AnnotationCollection', total: 1,
    first: { type: 'AnnotationPage', items: [{
      id: 'urn:x-hashiya:annotation:w3c-coll', type: 'Annotation',
      body: [{ type: 'TextualBody', purpose: 'tagging', value: 'Person' }],
      target: { source: `urn:x-hashiya:doc:${DOC2}`, selector: [
        { type: 'TextQuoteSelector', exact: 'بشار الأسد', prefix: chars2.slice(assad.start - 10, assad.start).join(''), suffix: chars2.slice(assad.end, assad.end + 10).join('') },
        { type: 'TextPositionSelector', start: assad.start, end: assad.end },
      ] },
    }] },
  };
  await importFile(page, { name: 'notes.jsonld', content: JSON.stringify(coll), mimeType: 'application/ld+json' });
  await waitForNotice(page, 'info', imported(1));
  await assertPlaced(page, DOC2, 'person', assad, 'بشار الأسد');
  await waitForCount(page, DOC1, 2);
  await waitForCount(page, DOC2, 2);

  // Positions count code points: after emoji in a user article.
  const user = await pasteArticle(page, EMOJI_ARTICLE);
  const damascus = cpSpan(EMOJI_TEXT, 'دمشق');
  await importText(page, JSON.stringify({
    '@context': W3C_CONTEXT, id: 'urn:x-hashiya:annotation:w3c-emoji', type: 'Annotation',
    body: [{ type: 'TextualBody', purpose: 'tagging', value: 'LOC' }],
    target: { source: `urn:x-hashiya:doc:${user}`, selector: { type: 'TextPositionSelector', start: damascus.start, end: damascus.end } },
  }));
  await waitForNotice(page, 'info', imported(1));
  await assertPlaced(page, user, 'place', damascus, 'دمشق');
});

// ---------------------------------------------------------------------------
// Merge, replace, drop, undo

appTest(env, 'merge skips duplicates by span and label and by id, and counts what it imported', async ({ page }) => {
  const x = await annotate(page, DOC1, 'جون كيري', 'person');
  const y = await annotate(page, DOC1, 'موسكو', 'place');
  const t1 = await docText(page, DOC1);
  const sp = (needle, opts) => cpSpan(t1, needle, opts);
  const k = sp('جون كيري');
  const m = sp('موسكو');
  const fresh = [
    [sp('جون كيري'), 'claim'], // same span, another label: not a duplicate
    [sp('سيرغي لافروف'), 'person'],
    [sp('دمشق'), 'place'],
    [sp('واشنطن'), 'place'],
    [sp('جون كيربي'), 'person'],
  ];
  const line = {
    text: t1,
    spans: [
      { start: k.start, end: k.end, label: 'person' }, // duplicate of x
      ...fresh.map(([s, label]) => ({ start: s.start, end: s.end, label })),
      { start: m.start, end: m.end, label: 'PLACE' }, // duplicate of y
    ],
  };
  await importText(page, JSON.stringify(line));
  const n = await waitForNotice(page, 'info', imported(5));
  assert.match(n.title, /skipped 2 duplicates/);
  assert.ok(n.text.length > 0, 'an Arabic message too');
  await waitForCount(page, DOC1, 7);
  for (const [s, label] of fresh) await assertPlaced(page, DOC1, label, s, cpSlice(t1, s.start, s.end));
  const rec = await stored(page, DOC1);
  assert.equal(rec.annotations.filter((a) => a.label === 'person' && a.start === k.start && a.end === k.end).length, 1, 'x is there once');
  assert.equal(rec.annotations.filter((a) => a.label === 'place' && a.start === m.start && a.end === m.end).length, 1, 'y is there once');
  assert.ok(rec.annotations.some((a) => a.id === x.id) && rec.annotations.some((a) => a.id === y.id), 'x and y keep their ids');

  // Hashiya JSON: an annotation with x's id (even on another span) is a duplicate.
  const file = hashiyaFile([hashiyaDoc(DOC1, t1, [
    hashiyaAnn(t1, 'الولايات المتحدة', 'place', x.id),
    hashiyaAnn(t1, 'فلاديمير بوتين', 'person', 'imported-putin'),
  ])]);
  await importText(page, file);
  const n2 = await waitForNotice(page, 'info', imported(1));
  assert.match(n2.title, /skipped 1 duplicate/);
  await waitForCount(page, DOC1, 8);
  await assertPlaced(page, DOC1, 'person', sp('فلاديمير بوتين'), 'فلاديمير بوتين');
  assert.equal(await markedText(page, DOC1, x.id), 'جون كيري', 'x stays where it was');
  assert.equal((await stored(page, DOC1)).annotations.find((a) => a.id === x.id).label, 'person');
});

appTest(env, 'the same span and label twice in one file (no ids) is a skipped duplicate, not an error', async ({ page }) => {
  const t1 = await docText(page, DOC1);
  const obama = cpSpan(t1, 'باراك أوباما');
  const putin = cpSpan(t1, 'فلاديمير بوتين');
  // JSONL: doccano label lists carry no ids
  await importText(page, JSON.stringify({ text: t1, label: [[obama.start, obama.end, 'PER'], [obama.start, obama.end, 'person'], [putin.start, putin.end, 'PER']] }));
  const n = await waitForNotice(page, null, imported(2));
  assert.equal(n.kind, 'info', `the result, not an error: ${n.title}`);
  assert.match(n.title, /skipped 1 duplicate/);
  await waitForCount(page, DOC1, 2);
  await assertPlaced(page, DOC1, 'person', obama, 'باراك أوباما');
  await assertPlaced(page, DOC1, 'person', putin, 'فلاديمير بوتين');

  // W3C annotations without ids, the same span and label twice
  const t2 = await docText(page, DOC2);
  const geneva = cpSpan(t2, 'جنيف');
  const w = {
    '@context': W3C_CONTEXT, type: 'Annotation',
    body: [{ type: 'TextualBody', purpose: 'tagging', value: 'place' }],
    target: { source: `urn:x-hashiya:doc:${DOC2}`, selector: [{ type: 'TextPositionSelector', start: geneva.start, end: geneva.end }] },
  };
  await importText(page, JSON.stringify([w, w]));
  const n2 = await waitForNotice(page, null, imported(1));
  assert.equal(n2.kind, 'info', `the result, not an error: ${n2.title}`);
  assert.match(n2.title, /skipped 1 duplicate/);
  await assertPlaced(page, DOC2, 'place', geneva, 'جنيف');
});

appTest(env, 'replace mode replaces the annotations of the articles the import touches, and only those', async (app) => {
  const { page } = app;
  const before = [await annotate(page, DOC1, 'جون كيري', 'person'), await annotate(page, DOC1, 'موسكو', 'place')];
  const z = await annotate(page, DOC2, 'داعش', 'place');
  const t1 = await docText(page, DOC1);

  // The import button toggles the panel.
  await page.click('button[data-action="import"]');
  await page.locator('[data-role="import-panel"]').waitFor({ state: 'visible' });
  await page.click('button[data-action="import"]');
  await page.locator('[data-role="import-panel"]').waitFor({ state: 'hidden' });
  await openImportPanel(page);
  const radios = await page.$$eval('[data-role="import-panel"] input[name="import-mode"]', (rs) =>
    Object.fromEntries(rs.map((r) => [r.value, { checked: r.checked, type: r.type }])),
  );
  assert.deepEqual(radios.merge, { checked: true, type: 'radio' }, 'merge is the default');
  assert.deepEqual(radios.replace, { checked: false, type: 'radio' });

  const lavrov = cpSpan(t1, 'سيرغي لافروف');
  await importText(page, JSON.stringify({ text: t1, label: [[lavrov.start, lavrov.end, 'PERSON']] }), { mode: 'replace' });
  await waitForNotice(page, 'info', imported(1));
  await waitForCount(page, DOC1, 1);
  const a = await assertPlaced(page, DOC1, 'person', lavrov, 'سيرغي لافروف');
  assert.deepEqual((await marks(page, DOC1)).map((mk) => mk.id), [a.id], 'only the imported highlight is left');
  assert.deepEqual((await stored(page, DOC1)).annotations.map((x) => x.id), [a.id], 'storage holds only the import');
  assert.deepEqual(await listedIds(page, DOC2), [z.id], 'the other article is untouched');

  // Ctrl+Z undoes the whole replacement; Ctrl+Shift+Z does it again.
  const replaced = before.map((b) => b.id);
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Control+z');
  await waitForCount(page, DOC1, 2);
  assert.deepEqual((await listedIds(page, DOC1)).sort(), [...replaced].sort(), 'undo brings back what was replaced');
  assert.equal(await page.locator(`mark[data-annotation-id="${a.id}"]`).count(), 0);
  await page.keyboard.press('Control+Shift+z');
  await waitForCount(page, DOC1, 1);
  assert.deepEqual(await listedIds(page, DOC1), [a.id]);
  await waitForStored(page, DOC1, (r, id) => r.annotations.length === 1 && r.annotations[0].id === id, a.id);

  await app.reload();
  await waitForCount(page, DOC1, 1);
  await waitForCount(page, DOC2, 1);
  assert.equal(await markedText(page, DOC1, a.id), 'سيرغي لافروف');
  assert.equal(await markedText(page, DOC2, z.id), 'داعش');
});

appTest(env, 'a file dropped on the page is imported with the chosen mode', async ({ page }) => {
  const t1 = await docText(page, DOC1);
  const t2 = await docText(page, DOC2);
  const old = await annotate(page, DOC2, 'حذر', 'claim');
  const kerry = cpSpan(t1, 'جون كيري');
  const geneva = cpSpan(t2, 'جنيف');
  const file = {
    name: 'doccano.jsonl',
    mimeType: 'application/x-ndjson',
    content: [
      JSON.stringify({ text: t1, label: [[kerry.start, kerry.end, 'PERSON']] }),
      JSON.stringify({ text: t2, label: [[geneva.start, geneva.end, 'LOC']] }),
      '',
    ].join('\r\n'), // saved on Windows, with a final line break
  };
  // A file dragged over the article: unless dragover is cancelled, the browser refuses the
  // drop and opens the file itself.
  const prevented = await page.evaluate(({ name, content, mimeType }) => {
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([content], name, { type: mimeType }));
    const e = new DragEvent('dragover', { bubbles: true, cancelable: true, composed: true, dataTransfer });
    document.querySelector('article[data-doc-id] [data-block]').dispatchEvent(e);
    return e.defaultPrevented;
  }, file);
  assert.equal(prevented, true, 'dragover with a file is cancelled, so that the page takes the drop');
  await dropFile(page, file); // merge, the default
  await waitForNotice(page, 'info', imported(2));
  await assertPlaced(page, DOC1, 'person', kerry, 'جون كيري');
  await assertPlaced(page, DOC2, 'place', geneva, 'جنيف');
  await waitForCount(page, DOC2, 2);
  assert.ok((await listedIds(page, DOC2)).includes(old.id), 'merge keeps what was there');

  const daesh = cpSpan(t2, 'داعش');
  await chooseImportMode(page, 'replace');
  await dropFile(page, { name: 'more.jsonl', mimeType: 'application/x-ndjson', content: JSON.stringify({ text: t2, spans: [{ start: daesh.start, end: daesh.end, label: 'place' }] }) });
  await waitForNotice(page, 'info', imported(1));
  await waitForCount(page, DOC2, 1);
  await assertPlaced(page, DOC2, 'place', daesh, 'داعش');
  assert.equal(await page.locator(`mark[data-annotation-id="${old.id}"]`).count(), 0, 'replace removed the old claim');
  await waitForCount(page, DOC1, 1); // not touched by the second file
});

appTest(env, 'Ctrl+Z undoes an import into existing articles, Ctrl+Shift+Z redoes it', async ({ page }) => {
  const x = await annotate(page, DOC1, 'جون كيري', 'person');
  const t1 = await docText(page, DOC1);
  const t2 = await docText(page, DOC2);
  const lavrov = cpSpan(t1, 'سيرغي لافروف');
  const moscow = cpSpan(t1, 'موسكو');
  const zarif = cpSpan(t2, 'محمد جواد ظريف');
  const content = [
    JSON.stringify({ text: t1, spans: [{ start: lavrov.start, end: lavrov.end, label: 'person' }, { start: moscow.start, end: moscow.end, label: 'place' }] }),
    JSON.stringify({ text: t2, spans: [{ start: zarif.start, end: zarif.end, label: 'person' }] }),
  ].join('\n');
  await importFile(page, { name: 'x.jsonl', content, mimeType: 'application/x-ndjson' });
  await waitForNotice(page, 'info', imported(3));
  await waitForCount(page, DOC1, 3);
  await waitForCount(page, DOC2, 1);
  const imported1 = (await listedIds(page, DOC1)).filter((id) => id !== x.id);
  const imported2 = await listedIds(page, DOC2);

  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Control+z');
  await waitForCount(page, DOC1, 1);
  await waitForCount(page, DOC2, 0);
  assert.deepEqual(await listedIds(page, DOC1), [x.id], 'what was there before the import stays');
  assert.equal(await markedText(page, DOC1, x.id), 'جون كيري');
  await waitForStored(page, DOC1, (r, id) => r.annotations.length === 1 && r.annotations[0].id === id, x.id);
  await page.waitForFunction((k) => {
    const raw = localStorage.getItem(k);
    return raw === null || JSON.parse(raw).annotations.length === 0;
  }, STORAGE_PREFIX + DOC2);

  await page.keyboard.press('Control+Shift+z');
  await waitForCount(page, DOC1, 3);
  await waitForCount(page, DOC2, 1);
  assert.deepEqual((await listedIds(page, DOC1)).sort(), [x.id, ...imported1].sort(), 'redo brings the same annotations back');
  assert.deepEqual(await listedIds(page, DOC2), imported2);
  await assertPlaced(page, DOC1, 'place', moscow, 'موسكو');
});

// ---------------------------------------------------------------------------
// Validation: on any error nothing changes and the notice says where.

const LONG_TEXT = (() => {
  // exactly 380 code points, with astral characters so UTF-16 counts more
  const out = cps('نص طويل 😀 للاختبار\n');
  const words = cps('كلمة تجريبية 🌍 في سطر طويل ');
  for (let i = 0; out.length < 380; i++) out.push(words[i % words.length]);
  if (/\s/.test(out[379])) out[379] = 'ا';
  return out.join('');
})();

const ERROR_CASES = [
  {
    name: 'JSONL: an end past the end of the text on line 3 (code points)',
    via: 'file',
    file: 'bad.jsonl',
    payload: (t1) => {
      const k = cpSpan(t1, 'جون كيري');
      const m = cpSpan(NEW_TEXT, 'طرابلس');
      return [
        JSON.stringify({ text: t1, label: [[k.start, k.end, 'PERSON']] }),
        JSON.stringify({ text: NEW_TEXT, spans: [{ start: m.start, end: m.end, label: 'place' }] }),
        JSON.stringify({ text: LONG_TEXT, spans: [{ start: 370, end: 412, label: 'claim' }] }),
      ].join('\n');
    },
    expect: [/\bline 3\b/, /\b412\b/, /\b380\b/, /past the end/],
  },
  {
    name: 'JSONL: start after end on line 2 (entities)',
    via: 'text',
    payload: (t1, t2) => {
      const k = cpSpan(t1, 'جون كيري');
      const z = cpSpan(t2, 'داعش');
      return [
        JSON.stringify({ text: t1, entities: [{ start_offset: k.start, end_offset: k.end, label: 'PER' }] }),
        JSON.stringify({ text: t2, entities: [{ start_offset: z.end, end_offset: z.start, label: 'LOC' }] }),
      ].join('\n');
    },
    expect: [/\bline 2\b/],
  },
  {
    name: 'Hashiya JSON: an end past the text names its JSON path',
    via: 'text',
    payload: (t1) => {
      const bad = hashiyaAnn(t1, 'موسكو', 'place', 'bad-end');
      const len = cps(t1).length;
      Object.assign(bad, { end: len + 5, utf16_end: t1.length + 5 });
      return hashiyaFile([hashiyaDoc(DOC1, t1, [hashiyaAnn(t1, 'سيرغي لافروف', 'person', 'good-one'), bad])]);
    },
    expect: (t1) => [/documents\[0\]\.annotations\[1\]/, /\bend\b/, new RegExp(`\\b${cps(t1).length + 5}\\b`), new RegExp(`\\b${cps(t1).length}\\b`)],
  },
  {
    name: 'Hashiya JSON: a quote that disagrees with the text',
    via: 'file',
    file: 'quote.json',
    payload: (t1) => {
      const a = hashiyaAnn(t1, 'سيرغي لافروف', 'person', 'wrong-quote');
      a.quote = 'شخص آخر تماما';
      return hashiyaFile([hashiyaDoc(DOC1, t1, [a, hashiyaAnn(t1, 'دمشق', 'place', 'fine')])]);
    },
    expect: [/quote\b.*\bdoes not match/i, /documents\[0\]\.annotations\[0\]/],
  },
  {
    name: 'W3C: a quote selector that disagrees with the position selector',
    via: 'text',
    payload: (t1) => {
      const m = cpSpan(t1, 'موسكو');
      const ok = cpSpan(t1, 'دمشق');
      const ann = (id, exact, s) => ({
        '@context': W3C_CONTEXT, id: `urn:x-hashiya:annotation:${id}`, type: 'Annotation',
        body: [{ type: 'TextualBody', purpose: 'tagging', value: 'place' }],
        target: { source: `urn:x-hashiya:doc:${DOC1}`, selector: [
          { type: 'TextQuoteSelector', exact }, { type: 'TextPositionSelector', start: s.start, end: s.end },
        ] },
      });
      return JSON.stringify([ann('w-ok', 'دمشق', ok), ann('w-bad', 'جون كيري', m)]);
    },
    expect: [/quote\b.*\bdoes not match/i, /\bannotation 2\b|\[1\]/],
  },
  {
    name: 'truncated JSON: the error says where it stopped',
    via: 'file',
    file: 'cut.json',
    payload: (t1) => {
      const full = hashiyaFile([hashiyaDoc(DOC1, t1, [hashiyaAnn(t1, 'سيرغي لافروف', 'person', 'cut-1'), hashiyaAnn(t1, 'دمشق', 'place', 'cut-2')])]);
      return full.slice(0, Math.floor(full.length * 0.6));
    },
    expect: [/(line|column|position|offset|byte|char\w*)\W{0,3}\d+|\d+\W{0,3}(line|column|position|offset|byte|char)/i],
  },
];

for (const c of ERROR_CASES) {
  appTest(env, `an invalid import changes nothing — ${c.name}`, async (app) => {
    const { page } = app;
    const m = await annotate(page, DOC1, 'موسكو', 'place', { occurrence: 1 });
    await annotate(page, DOC2, 'داعش', 'place');
    await page.evaluate(() => localStorage.setItem('host-page:unrelated', 'keep me'));
    const t1 = await docText(page, DOC1);
    const t2 = await docText(page, DOC2);
    await waitForStored(page, DOC1, (r) => r.annotations.length === 1);
    await waitForStored(page, DOC2, (r) => r.annotations.length === 1);
    await settle(page);
    const before = await pageState(page);

    const payload = c.payload(t1, t2);
    if (c.via === 'file') await importFile(page, { name: c.file, content: payload, mimeType: c.file.endsWith('.jsonl') ? 'application/x-ndjson' : 'application/json' });
    else await importText(page, payload);
    const n = await waitForNotice(page, 'error', /./);
    if (c.via !== 'file') {
      assert.equal(await page.inputValue('textarea[data-role="import-text"]'), payload, 'the refused text stays in the box, to be mended');
    }
    const expect = typeof c.expect === 'function' ? c.expect(t1, t2) : c.expect;
    for (const re of expect) assert.match(n.title, re, `the English message says where: ${n.title}`);
    assert.ok(n.text.length > 0, 'an Arabic message too');
    await settle(page);
    // A change would be saved 50 ms later, the indicator showing "pending" until then:
    // wait for it to say saved before reading storage.
    await saved(page);
    const after = await pageState(page);
    assert.deepEqual(after.articles.map((a) => a.id), before.articles.map((a) => a.id), 'no article was added');
    assert.deepEqual(after.articles, before.articles, 'no highlight changed');
    assert.deepEqual(after.panels, before.panels, 'no list changed');
    assert.deepEqual(after.ls, before.ls, 'localStorage is byte-identical');

    // Nothing half-done is waiting either: a valid import afterwards adds only itself.
    const lavrov = cpSpan(t1, 'سيرغي لافروف');
    await importText(page, JSON.stringify({ text: t1, label: [[lavrov.start, lavrov.end, 'PER']] }));
    await waitForNotice(page, 'info', imported(1));
    await waitForCount(page, DOC1, 2);
    await waitForCount(page, DOC2, 1);
    // the text that went in leaves the box
    await page.waitForFunction(() => document.querySelector('textarea[data-role="import-text"]').value === '');
    assert.deepEqual(await articleIds(page), before.list);
    const lv = await assertPlaced(page, DOC1, 'person', lavrov, 'سيرغي لافروف');
    const rec = await stored(page, DOC1);
    assert.deepEqual(rec.annotations.map((a) => a.id).sort(), [m.id, lv.id].sort(), 'storage holds nothing of the failed import');
    const finalLs = await storageSnapshot(page);
    assert.deepEqual(Object.keys(finalLs).sort(), Object.keys(before.ls).sort(), 'no key was added or removed');
    assert.equal(finalLs[STORAGE_PREFIX + DOC2], before.ls[STORAGE_PREFIX + DOC2], 'article 2 stays byte-identical');
  });
}
