// What a user of Hashiya sees and does, as helpers over the DOM contract.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './server.mjs';
import { selectText, ensureHelpers, docText, findSpan, markPoint, clickAt, showDoc } from './select.mjs';

export { docText, markPoint, clickAt, showDoc };

export const DOC1 = 'kerry-moscow-visit';
export const DOC2 = 'kerry-warns-russia';
export const BUNDLED = [DOC1, DOC2];
export const LABELS = ['person', 'place', 'claim'];
export const KEY_OF = { person: '1', place: '2', claim: '3' };
export const STORAGE_PREFIX = 'hashiya:v1:doc:';

/** A user article whose text puts astral characters (an emoji, an emoji with a
 * skin tone) and harakat before the words tests tag, so code points and UTF-16 differ. */
export const EMOJI_ARTICLE = [
  'مقال تجريبي عن الرموز',
  '',
  'قال 😀 مُحَمَّد إن الجو جميل في بيروت اليوم.',
  '',
  'وأضاف 👍🏽 أن الرحلة إلى دمشق تأجلت.',
].join('\n');

export const art = (docId) => `article[data-doc-id="${docId}"]`;
export const panelSel = (docId) => `aside[data-panel-for="${docId}"]`;

// ---------------------------------------------------------------------------
// The seed text, parsed independently of the app: blank lines separate
// paragraphs, the first paragraph is the heading (a caption repeated on the
// next line is shown once) and an article ends after its source line.

export function seedArticles() {
  const raw = fs.readFileSync(path.join(REPO_ROOT, 'assets', 'seed-articles.txt'), 'utf8');
  const paras = raw
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map((l) => l.trim()).filter(Boolean))
    .filter((lines) => lines.length);
  const articles = [];
  let cur = [];
  for (const lines of paras) {
    cur.push(lines);
    if (lines[0].startsWith('المصدر')) {
      articles.push(cur);
      cur = [];
    }
  }
  if (cur.length) articles.push(cur);
  return articles.map((ps) => {
    const first = ps[0];
    const heading = first[0];
    // The caption may be repeated on the heading's next line or as the next paragraph.
    const rest = first.slice(1).filter((l) => l !== heading);
    let body = ps.slice(1).map((lines) => lines.join(' '));
    if (rest.length) body = [rest.join(' '), ...body];
    if (body[0] === heading) body = body.slice(1);
    const source = body[body.length - 1].startsWith('المصدر') ? body.pop() : null;
    return { heading, paragraphs: body, source, blocks: [heading, ...body, ...(source ? [source] : [])] };
  });
}

// ---------------------------------------------------------------------------
// Reading the page

/** Marks of an article in document order. */
export async function marks(page, docId) {
  await showDoc(page, docId);
  return page.$$eval(`${art(docId)} mark[data-annotation-id]`, (ms) =>
    ms.map((m) => ({
      id: m.dataset.annotationId,
      label: m.dataset.label,
      text: m.textContent,
      selected: m.dataset.selected === 'true',
      block: m.closest('[data-block]') ? Number(m.closest('[data-block]').dataset.block) : null,
      parentIds: (() => {
        const ids = [];
        for (let p = m.parentElement?.closest('mark[data-annotation-id]'); p; p = p.parentElement?.closest('mark[data-annotation-id]')) {
          ids.push(p.dataset.annotationId);
        }
        return ids;
      })(),
    })),
  );
}

/**
 * The text an annotation's highlight covers: the text of its marks in
 * document order, one chunk per block joined with "\n".
 */
export async function markedText(page, docId, id) {
  await showDoc(page, docId);
  return page.$$eval(
    `${art(docId)} [data-block]`,
    (blocks, id) => {
      const parts = [];
      for (const b of blocks) {
        const ms = [...b.querySelectorAll(`mark[data-annotation-id="${CSS.escape(id)}"]`)];
        if (ms.length) parts.push(ms.map((m) => m.textContent).join(''));
      }
      return parts.join('\n');
    },
    id,
  );
}

/** Everything the side panel of an article shows. */
export async function panel(page, docId) {
  await showDoc(page, docId);
  return page.$eval(panelSel(docId), (aside) => {
    const num = (label) => {
      const el = aside.querySelector(`[data-count="${label}"]`);
      if (!el) return null;
      const m = el.textContent.match(/[0-9\u0660-\u0669\u06f0-\u06f9]+/);
      if (!m) return null;
      const digits = m[0].replace(/[\u0660-\u0669]/g, (d) => d.charCodeAt(0) - 0x660).replace(/[\u06f0-\u06f9]/g, (d) => d.charCodeAt(0) - 0x6f0);
      return Number(digits);
    };
    const visible = (el) => {
      const s = getComputedStyle(el);
      return s.display !== 'none' && s.visibility !== 'hidden' && el.getClientRects().length > 0 && !el.closest('[hidden]');
    };
    const items = [...aside.querySelectorAll('li[data-annotation-id]')].map((li) => ({
      id: li.dataset.annotationId,
      label: li.dataset.label,
      quote: li.querySelector('.quote')?.textContent ?? null,
      labelText: li.querySelector('.label')?.textContent ?? null,
      note: li.querySelector('.note')?.textContent ?? null,
      visible: visible(li),
    }));
    const editor = aside.querySelector('[data-role="editor"][data-annotation-id]');
    return {
      counts: { person: num('person'), place: num('place'), claim: num('claim') },
      items,
      editorFor: editor ? editor.dataset.annotationId : null,
      filter: aside.querySelector('select[data-action="filter"]')?.value ?? null,
    };
  });
}

/** Ids of the annotations listed in an article's panel. */
export async function listedIds(page, docId) {
  await showDoc(page, docId);
  return page.$$eval(`${panelSel(docId)} li[data-annotation-id]`, (lis) => lis.map((li) => li.dataset.annotationId));
}

/** Waits until the panel of `docId` lists exactly `n` annotations. */
export async function waitForCount(page, docId, n, timeout = 10_000) {
  await showDoc(page, docId);
  try {
    await page.waitForFunction(
      ([sel, n]) => document.querySelectorAll(`${sel} li[data-annotation-id]`).length === n,
      [panelSel(docId), n],
      { timeout },
    );
  } catch (e) {
    const have = await page.$$eval(`${panelSel(docId)} li[data-annotation-id]`, (l) => l.length).catch(() => 'no panel');
    throw new Error(`panel of ${docId} lists ${have} annotation(s), expected ${n}`);
  }
}

/** Ids of the annotations whose marks are selected. */
export function selectedIds(page) {
  return page.$$eval('mark[data-selected="true"]', (ms) => [...new Set(ms.map((m) => m.dataset.annotationId))]);
}

export async function waitForSelected(page, id) {
  try {
    await page.waitForFunction(
      (id) => {
        const sel = [...document.querySelectorAll('mark[data-selected="true"]')].map((m) => m.dataset.annotationId);
        return sel.length > 0 && sel.every((s) => s === id) &&
          document.querySelectorAll(`mark[data-annotation-id="${CSS.escape(id)}"]:not([data-selected="true"])`).length === 0;
      },
      id,
      { timeout: 5000 },
    );
  } catch {
    throw new Error(`expected exactly annotation ${id} to be selected; selected: ${JSON.stringify(await selectedIds(page))}`);
  }
}

/** The app's stored value for an article, parsed (null when there is none). */
/** Waits until the app says its last change is written (saves are debounced). */
export async function saved(page) {
  await page.waitForSelector('[data-role="save-status"]:is([data-state="saved"], [data-state="failed"])', {
    state: 'attached',
  });
}

export async function stored(page, docId) {
  await saved(page);
  const raw = await page.evaluate((k) => localStorage.getItem(k), STORAGE_PREFIX + docId);
  return raw == null ? null : JSON.parse(raw);
}

export function storageKeys(page) {
  return page.evaluate(() => Object.keys(localStorage).sort());
}

// ---------------------------------------------------------------------------
// Doing things

/**
 * Selects `needle` with the mouse and tags it with `label`, by its digit key
 * (`via: 'key'`) or its toolbar button (`via: 'toolbar'`). Waits for the new
 * annotation to be listed and returns its id.
 */
export async function annotate(page, docId, needle, label, { via = 'key', occurrence, within } = {}) {
  let sel;
  const id = await newAnnotationId(
    () => listedIds(page, docId),
    (n) => waitForCount(page, docId, n),
    async () => {
      sel = await selectText(page, docId, needle, { occurrence, within });
      if (via === 'key') await page.keyboard.press(KEY_OF[label]);
      else await page.click(`div[role="toolbar"] button[data-label="${label}"]`);
    },
  );
  return { id, ...sel };
}

/**
 * Runs `act`, which adds one annotation, waits until `waitCount(n)` sees one
 * more than `ids()` listed before, and returns the new id.
 */
export async function newAnnotationId(ids, waitCount, act) {
  const before = new Set(await ids());
  await act();
  await waitCount(before.size + 1);
  const added = (await ids()).filter((id) => !before.has(id));
  assert.equal(added.length, 1, 'exactly one new annotation is listed');
  return added[0];
}

/** Opens the paste box, pastes `text` and adds it; returns the new doc id. */
export async function pasteArticle(page, text) {
  const before = await articleIds(page);
  const area = page.locator('textarea[data-role="paste-text"]');
  if (!(await area.isVisible())) await page.click('button[data-action="paste-article"]');
  await area.waitFor({ state: 'visible' });
  await area.fill(text);
  await page.click('button[data-action="add-article"]');
  return waitForNewArticle(page, before);
}

/** The articles' ids: the workspace's list (its rows in view: a few articles are all in view), else the drawn articles. */
export async function articleIds(page) {
  return page.evaluate(() => {
    const rows = document.querySelectorAll('nav[data-role="documents"] li[data-doc-id]');
    const from = rows.length ? rows : document.querySelectorAll('article[data-doc-id]');
    return [...from].map((el) => el.dataset.docId);
  });
}

export async function waitForNewArticle(page, before) {
  await page.waitForFunction(
    (n) => {
      const rows = document.querySelectorAll('nav[data-role="documents"] li[data-doc-id]');
      return (rows.length || document.querySelectorAll('article[data-doc-id]').length) === n + 1;
    },
    before.length,
  );
  const added = (await articleIds(page)).filter((id) => !before.includes(id));
  assert.equal(added.length, 1, 'exactly one new article');
  await ensureHelpers(page);
  return added[0];
}

// ---------------------------------------------------------------------------
// Checks on texts and offsets

export const cps = (s) => [...s];
export const cpSlice = (text, start, end) => cps(text).slice(start, end).join('');

/**
 * The quote of a stored annotation: written for a bundled article, cut from
 * the record's own text for a user's article (schema 2 leaves it out there).
 */
export const storedQuote = (rec, a) => a.quote ?? cpSlice(rec.text, a.start, a.end);

/** UTF-16 doc offsets -> code point offsets. */
export function cpOffset(text, u) {
  return cps(text.slice(0, u)).length;
}

/**
 * Asserts that a list item's `.quote` shows `expected`: white space may be
 * collapsed, quotation marks may surround it, and a long quote may be
 * shortened with an ellipsis as long as what is shown is the text's start (and
 * end, for a middle ellipsis).
 */
export function assertQuote(shown, expected, message = 'list item quote') {
  const ws = (s) => s.replace(/\s+/g, ' ').trim();
  let q = ws(shown ?? '');
  q = q.replace(/^["«“”'‹›»]+|["«“”'‹›»]+$/g, '').trim();
  const want = ws(expected);
  if (q === want) return;
  const parts = q.split(/…|\.\.\./).map((p) => p.trim());
  const ok =
    parts.length === 2 &&
    parts[0].length >= 8 &&
    want.startsWith(parts[0]) &&
    want.endsWith(parts[1]) &&
    parts[0].length + parts[1].length < want.length;
  assert.ok(ok, `${message}: shows ${JSON.stringify(shown)}, expected ${JSON.stringify(expected)}`);
}

// ---------------------------------------------------------------------------
// Notices, downloads, import and storage snapshots (interchange and fault tests)

const NOTICE = '[data-role="notice"]';

/** The status line: `{ kind, text, title }` (kind null when it is empty). */
export function notice(page) {
  return page.$eval(NOTICE, (n) => ({
    kind: n.getAttribute('data-kind'),
    text: n.textContent.replace('×', '').trim(),
    title: n.getAttribute('title') ?? '',
  }));
}

/**
 * Clears the status line with its dismiss button (if it shows a message), so
 * that the next identical message can be told from this one.
 */
export async function dismissNotice(page) {
  const btn = page.locator(`${NOTICE}[data-kind] button`);
  if ((await btn.count()) === 0) return;
  await btn.first().click({ timeout: 2000 }).catch(() => {}); // it may have gone by itself
  await page.waitForSelector(`${NOTICE}[data-kind]`, { state: 'detached', timeout: 5000 });
}

/**
 * Waits for a notice of `kind` ('info' | 'error', or null for either) whose
 * English title matches `pattern` (a RegExp or a substring); returns it.
 */
export async function waitForNotice(page, kind, pattern = /./, timeout = 10_000) {
  const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
  try {
    await page.waitForFunction(
      ([sel, kind, src, flags]) => {
        const n = document.querySelector(sel);
        const k = n && n.getAttribute('data-kind');
        return !!k && (kind == null || k === kind) && new RegExp(src, flags).test(n.getAttribute('title') ?? '');
      },
      [NOTICE, kind, re.source, re.flags],
      { timeout },
    );
  } catch {
    const now = await notice(page).catch(() => null);
    throw new Error(`expected ${kind == null ? 'a' : `an ${kind}`} notice whose title matches ${re}; the notice is ${JSON.stringify(now)}`);
  }
  return notice(page);
}

/** Clicks a download button; returns `{ filename, text }` of the file. */
export async function downloadFrom(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = await download.path();
  return { filename: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

const IMPORT_PANEL = '[data-role="import-panel"]';

export async function openImportPanel(page) {
  const p = page.locator(IMPORT_PANEL);
  if (!(await p.isVisible())) await page.click('button[data-action="import"]');
  await p.waitFor({ state: 'visible' });
}

/** Picks 'merge' or 'replace' in the import panel. */
export async function chooseImportMode(page, mode) {
  await openImportPanel(page);
  await page.check(`${IMPORT_PANEL} input[name="import-mode"][value="${mode}"]`);
}

/** Pastes `text` into the import box and imports it. Does not wait for the result. */
export async function importText(page, text, { mode } = {}) {
  await dismissNotice(page);
  if (mode) await chooseImportMode(page, mode);
  await openImportPanel(page);
  await page.fill(`${IMPORT_PANEL} textarea[data-role="import-text"]`, text);
  await page.click(`${IMPORT_PANEL} button[data-action="import-text"]`);
}

/** Imports a file through the import panel's file input. `file`: `{ name, content, mimeType }`. */
export async function importFile(page, { name, content, mimeType = 'application/json' }, { mode } = {}) {
  await dismissNotice(page);
  if (mode) await chooseImportMode(page, mode);
  await openImportPanel(page);
  await page.setInputFiles(`${IMPORT_PANEL} input[type="file"][data-action="import-file"]`, {
    name,
    mimeType,
    buffer: Buffer.from(content, 'utf8'),
  });
}

/** Drops a file on the page, as dragging it from the desktop does. */
export async function dropFile(page, { name, content, mimeType = 'application/json' }) {
  await dismissNotice(page);
  const dataTransfer = await page.evaluateHandle(
    ([name, content, type]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type }));
      return dt;
    },
    [name, content, mimeType],
  );
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('main.hashiya', type, { dataTransfer });
  }
  await dataTransfer.dispose();
}

/** Every localStorage key and raw value. */
export function storageSnapshot(page) {
  return page.evaluate(() => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      out[k] = localStorage.getItem(k);
    }
    return out;
  });
}

/** Waits until the stored record of `docId` satisfies `pred` (run in the page on the parsed record). */
export async function waitForStored(page, docId, pred, arg, timeout = 10_000) {
  await page.waitForFunction(
    ([key, src, arg]) => {
      const raw = localStorage.getItem(key);
      if (raw == null) return false;
      let rec;
      try {
        rec = JSON.parse(raw);
      } catch {
        return false;
      }
      return (0, eval)(`(${src})`)(rec, arg);
    },
    [STORAGE_PREFIX + docId, pred.toString(), arg ?? null],
    { timeout },
  );
  return stored(page, docId);
}

/** Code point offsets `{ start, end }` of `needle` (optionally the one inside `within`) in `text`. */
export function cpSpan(text, needle, { occurrence = 0, within } = {}) {
  const start = cpOffset(text, findSpan(text, needle, { occurrence, within }).start);
  return { start, end: start + cps(needle).length };
}

/** Fills localStorage until not even one more character fits; returns how many keys it wrote. */
/**
 * The record the app keeps in IndexedDB for `docId` (parsed), or null. Opens
 * the database as the app does, store included, so that reading it first
 * never leaves the app a database without its store.
 */
export function keptRecord(page, docId) {
  return page.evaluate((key) => new Promise((resolve, reject) => {
    const open = indexedDB.open('hashiya', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('records');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction('records').objectStore('records').get(key);
      get.onsuccess = () => {
        db.close();
        resolve(get.result == null ? null : JSON.parse(get.result));
      };
      get.onerror = () => reject(get.error);
    };
  }), STORAGE_PREFIX + docId);
}

/** Waits until `pred(record or null)` holds for what IndexedDB keeps for `docId`; returns it. */
export async function waitForKept(page, docId, pred, timeout = 10_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const rec = await keptRecord(page, docId);
    if (pred(rec)) return rec;
    if (Date.now() > end) throw new Error(`IndexedDB's record of ${docId} never matched: ${JSON.stringify(rec)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An init script that takes IndexedDB away, as some private modes do. */
export function noIndexedDb() {
  Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true });
}

export function fillStorage(page) {
  return page.evaluate(() => {
    let n = 0;
    let size = 1 << 20;
    while (size >= 1) {
      try {
        localStorage.setItem(`filler:${n}`, 'x'.repeat(size));
        n++;
      } catch (e) {
        if (e.name !== 'QuotaExceededError') throw e;
        size = Math.floor(size / 2);
      }
    }
    return n;
  });
}
