// The JSON export: downloaded file and clipboard copy, checked offset by offset
// (code points and UTF-16), including text with an emoji and harakat.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { useApp, appTest } from './lib/browser.mjs';
import {
  DOC1, DOC2, BUNDLED, LABELS, annotate, panel, stored, docText, pasteArticle, cps, cpOffset, waitForCount,
  waitForSelected, markPoint, clickAt, panelSel, storedQuote,
} from './lib/app.mjs';
import { EMOJI_ARTICLE } from './lib/app.mjs';

const env = useApp();
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;


/** Checks one exported document against the page and the format rules. */
function checkDocument(doc, { text, title, ids }) {
  assert.equal(typeof doc.doc_id, 'string');
  assert.equal(doc.title, title, `title of ${doc.doc_id}`);
  assert.equal(doc.lang, 'ar');
  assert.equal(doc.dir, 'rtl');
  assert.equal(doc.text, text, `text of ${doc.doc_id} is its blocks joined by "\\n"`);
  assert.ok(Array.isArray(doc.annotations));
  assert.deepEqual(doc.annotations.map((a) => a.id).sort(), [...ids].sort(), `annotations of ${doc.doc_id}`);
  const chars = cps(doc.text);
  for (const a of doc.annotations) {
    const where = `${doc.doc_id}/${a.id} ${JSON.stringify(a.quote)}`;
    for (const k of ['id', 'label', 'start', 'end', 'quote', 'prefix', 'suffix', 'utf16_start', 'utf16_end', 'note', 'created_at', 'updated_at']) {
      assert.ok(k in a, `${where}: field ${k} present`);
    }
    assert.ok(LABELS.includes(a.label), `${where}: label`);
    for (const k of ['start', 'end', 'utf16_start', 'utf16_end']) assert.ok(Number.isInteger(a[k]), `${where}: ${k} is an integer`);
    assert.ok(a.start >= 0 && a.start < a.end && a.end <= chars.length, `${where}: 0 <= start < end <= length`);
    assert.equal(chars.slice(a.start, a.end).join(''), a.quote, `${where}: code point offsets`);
    assert.equal(doc.text.slice(a.utf16_start, a.utf16_end), a.quote, `${where}: UTF-16 offsets`);
    assert.equal(cpOffset(doc.text, a.utf16_start), a.start, `${where}: utf16_start is start in UTF-16`);
    assert.equal(cpOffset(doc.text, a.utf16_end), a.end, `${where}: utf16_end is end in UTF-16`);
    const prefix = chars.slice(Math.max(0, a.start - 32), a.start).join('');
    const suffix = chars.slice(a.end, a.end + 32).join('');
    assert.equal(a.prefix, prefix, `${where}: prefix is the 32 code points before (fewer at the start)`);
    assert.equal(a.suffix, suffix, `${where}: suffix is the 32 code points after (fewer at the end)`);
    assert.ok(a.note === null || typeof a.note === 'string', `${where}: note is null or text`);
    assert.match(a.created_at, ISO, `${where}: created_at`);
    assert.match(a.updated_at, ISO, `${where}: updated_at`);
    assert.ok(Date.parse(a.updated_at) >= Date.parse(a.created_at), `${where}: updated_at >= created_at`);
  }
}

/** Makes a varied set of annotations; returns what the checks need. */
async function makeAnnotations(page) {
  await annotate(page, DOC1, 'جون كيري', 'person');
  await annotate(page, DOC1, 'يتوجه وزير الخارجية الأميركي جون كيري الخميس إلى موسكو في زيارة تستغرق يومين', 'claim');
  const cross = await annotate(page, DOC1, 'الأزمة السورية.\nوقال المتحدث', 'claim');
  const src = await annotate(page, DOC1, 'وكالات', 'place', { via: 'toolbar' }); // the text's very end
  await annotate(page, DOC2, 'حذر', 'claim'); // first word of the first paragraph
  await annotate(page, DOC2, 'داعش', 'place');

  // a note with characters JSON must escape
  await clickAt(page, await markPoint(page, cross.id));
  await waitForSelected(page, cross.id);
  const editor = `${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${cross.id}"]`;
  const NOTE = 'ملاحظة "مقتبسة" \\ وسطر\nثان 😀';
  await page.fill(`${editor} textarea[data-role="note"]`, NOTE);
  await page.click(`${editor} button[data-action="save-note"]`);
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent.includes('مقتبسة'),
    `${panelSel(DOC1)} li[data-annotation-id="${cross.id}"] .note`,
  );

  const user = await pasteArticle(page, EMOJI_ARTICLE);
  const muhammad = await annotate(page, user, 'مُحَمَّد', 'person');
  const emojiClaim = await annotate(page, user, '😀 مُحَمَّد', 'claim');
  const damascus = await annotate(page, user, 'دمشق', 'place');
  return { cross, NOTE, src, user, muhammad, emojiClaim, damascus };
}

async function expectedDocs(page, docIds) {
  const out = {};
  for (const id of docIds) {
    out[id] = {
      text: await docText(page, id),
      title: await page.$eval(`article[data-doc-id="${id}"] [data-block="0"]`, (h) => h.textContent),
      ids: (await panel(page, id)).items.map((i) => i.id),
    };
  }
  return out;
}

async function downloadExport(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('div[role="toolbar"] button[data-action="export-json"]'),
  ]);
  assert.equal(download.suggestedFilename(), 'hashiya-annotations.json');
  const file = await download.path();
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

appTest(env, 'the downloaded export is exact, emoji and harakat included', async ({ page }) => {
  const made = await makeAnnotations(page);
  const docIds = [DOC1, DOC2, made.user];
  const want = await expectedDocs(page, docIds);
  const t0 = Date.now();
  const data = await downloadExport(page);

  assert.equal(data.format, 'hashiya');
  assert.equal(data.version, 2);
  assert.match(data.exported_at, ISO_Z, 'exported_at is UTC with Z');
  assert.ok(Math.abs(Date.parse(data.exported_at) - t0) < 10 * 60_000, 'exported_at is now');
  assert.ok(Array.isArray(data.documents));
  const byId = Object.fromEntries(data.documents.map((d) => [d.doc_id, d]));
  assert.equal(Object.keys(byId).length, data.documents.length, 'each document once');
  for (const id of docIds) {
    assert.ok(byId[id], `the export holds ${id}`);
    checkDocument(byId[id], want[id]);
  }
  for (const d of data.documents) if (!docIds.includes(d.doc_id)) assert.equal(d.annotations.length, 0);

  // the cases that catch offset bugs
  const userDoc = byId[made.user];
  const ann = (doc, id) => doc.annotations.find((a) => a.id === id);
  const m = ann(userDoc, made.muhammad.id);
  assert.equal(m.quote, 'مُحَمَّد');
  assert.equal(m.label, 'person');
  assert.equal(m.utf16_start, m.start + 1, 'one emoji before: UTF-16 is one unit ahead');
  const e = ann(userDoc, made.emojiClaim.id);
  assert.equal(e.quote, '😀 مُحَمَّد');
  assert.equal(e.utf16_end - e.utf16_start, e.end - e.start + 1, 'the emoji counts 2 UTF-16 units, 1 code point');
  const dm = ann(userDoc, made.damascus.id);
  assert.equal(dm.quote, 'دمشق');
  assert.equal(dm.utf16_start, dm.start + 3, '😀 and 👍🏽 before: 3 units ahead');
  assert.equal(userDoc.title, 'مقال تجريبي عن الرموز');
  assert.equal(userDoc.text, EMOJI_ARTICLE.replace(/\n\n/g, '\n'));

  const doc1 = byId[DOC1];
  const cross = ann(doc1, made.cross.id);
  assert.equal(cross.quote, 'الأزمة السورية.\nوقال المتحدث');
  assert.equal(cross.note, made.NOTE, 'the note is exported verbatim');
  const src = ann(doc1, made.src.id);
  assert.equal(src.end, cps(doc1.text).length, 'a span at the very end of the text');
  assert.equal(src.suffix, '');
  const first = byId[DOC2].annotations.find((a) => a.quote === 'حذر');
  const heading = want[DOC2].title;
  assert.equal(first.start, cps(heading).length + 1, 'the first paragraph starts after heading + "\\n"');
  assert.equal(first.prefix, cps(heading + '\n').slice(-32).join(''));

  // The export agrees with what is stored.
  for (const id of docIds) {
    const rec = await stored(page, id);
    const pick = (r) => (a) => ({ id: a.id, label: a.label, start: a.start, end: a.end, quote: r ? storedQuote(r, a) : a.quote, note: a.note ?? null });
    const sort = (xs) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(sort(byId[id].annotations.map(pick(null))), sort(rec.annotations.map(pick(rec))), `export = storage for ${id}`);
  }
});

appTest(env, 'copy-json puts the same JSON on the clipboard', { permissions: ['clipboard-read', 'clipboard-write'] }, async ({ page }) => {
  const made = await makeAnnotations(page);
  const want = await expectedDocs(page, [DOC1, DOC2, made.user]);
  await page.evaluate(() => navigator.clipboard.writeText('nothing yet'));
  const downloaded = await downloadExport(page);
  await page.click('div[role="toolbar"] button[data-action="copy-json"]');
  const handle = await page.waitForFunction(async () => {
    const t = await navigator.clipboard.readText();
    return t.includes('"hashiya"') ? t : null;
  });
  const copied = JSON.parse(await handle.jsonValue());
  assert.equal(copied.format, 'hashiya');
  assert.equal(copied.version, 2);
  assert.match(copied.exported_at, ISO_Z);
  const { exported_at: _a, ...restCopied } = copied;
  const { exported_at: _b, ...restDownloaded } = downloaded;
  assert.deepEqual(restCopied, restDownloaded, 'clipboard and download hold the same documents');
  // and those are the articles with what was annotated (4, 2 and 3 annotations)
  assert.deepEqual(Object.values(want).map((w) => w.ids.length), [4, 2, 3]);
  for (const [id, w] of Object.entries(want)) {
    const doc = copied.documents.find((d) => d.doc_id === id);
    assert.ok(doc, `the copy holds ${id}`);
    checkDocument(doc, w);
  }
});

appTest(env, 'an export with no annotations is still valid', async ({ page }) => {
  const data = await downloadExport(page);
  assert.equal(data.format, 'hashiya');
  assert.equal(data.version, 2);
  assert.ok(Array.isArray(data.documents));
  // every shown article, with its text and title and no annotations
  assert.deepEqual(data.documents.map((d) => d.doc_id).sort(), [...BUNDLED].sort(), 'the export holds the shown articles');
  const want = await expectedDocs(page, BUNDLED);
  for (const d of data.documents) checkDocument(d, { ...want[d.doc_id], ids: [] });
});
