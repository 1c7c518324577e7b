// Real mouse selection of exact text in right-to-left articles, in the
// document or in a widget's open shadow root.
//
// We never guess pixel edges. For each end of the wanted range we take the
// rectangle of the grapheme next to it, hit-test that rectangle with
// document.caretPositionFromPoint, and press in the middle of the run of x
// values whose caret offset is the one we want (ENGINEERING.md, "End-to-end
// tests that do not flake"). Then we drag with page.mouse and check what the
// browser actually selected, retrying at other points when it disagrees.
//
// Offsets here are UTF-16 code units into the article's text, which is the
// text of its blocks (heading, paragraphs, source line) joined by "\n".
//
// Every helper that reads the page takes `{ root }` last: omitted or null,
// the document; else the CSS selector of a <hashiya-annotator> whose shadow
// root holds the article. A docId of null there means the root's article.

import { installRangeHelpers } from './page-ranges.mjs';

/** Installs the in-page helpers (idempotent; again after a reload). */
export async function ensureHelpers(page) {
  if (!(await page.evaluate(() => !!window.__hashiyaE2E))) await page.evaluate(installRangeHelpers);
}

/**
 * Shows article `docId` when the demo's workspace draws another one (it
 * draws one at a time), through its address (#doc=…) as a shared link
 * would; nothing in a widget's root or when the article is drawn.
 */
export async function showDoc(page, docId, { root = null } = {}) {
  if (root || !docId) return;
  const drawn = await page.evaluate((id) => {
    if (document.querySelector(`article[data-doc-id="${CSS.escape(id)}"]`)) return true;
    if (!document.querySelector('nav[data-role="documents"]')) return true;
    location.hash = 'doc=' + encodeURIComponent(id);
    return false;
  }, docId);
  if (!drawn) await page.waitForSelector(`article[data-doc-id="${docId}"] [data-block]`);
}

/**
 * Shows the article that holds annotation `id` when the workspace draws
 * another one: found in what it has stored (saved within 50 ms of a change).
 */
async function showDocOf(page, id) {
  const docId = await page.evaluate(async (id) => {
    if (document.querySelector(`mark[data-annotation-id="${CSS.escape(id)}"]`)) return null;
    if (!document.querySelector('nav[data-role="documents"]')) return null;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < localStorage.length; i++) {
        const k = localStorage.key(i);
        if (!k.startsWith('hashiya:v1:doc:')) continue;
        try {
          const rec = JSON.parse(localStorage.getItem(k));
          if (rec.annotations.some((a) => a.id === id)) return rec.doc_id;
        } catch {
          // not a record of ours
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return null;
  }, id);
  if (docId) await showDoc(page, docId);
}

/** The article's text: its blocks' texts joined by "\n". */
export async function docText(page, docId, { root = null } = {}) {
  await showDoc(page, docId, { root });
  await ensureHelpers(page);
  return page.evaluate(([r, id]) => window.__hashiyaE2E.at(r).docText(id), [root, docId ?? null]);
}

/** The data-doc-id of the root's (first) article. */
export async function articleId(page, { root = null } = {}) {
  await ensureHelpers(page);
  return page.evaluate((r) => window.__hashiyaE2E.at(r).articleOf(null).dataset.docId, root);
}

/**
 * UTF-16 offsets [start, end) of the `occurrence`-th (0-based) match of
 * `needle` in `text`.
 */
export function findRange(text, needle, occurrence = 0) {
  let from = 0;
  for (let i = 0; ; i++) {
    const at = text.indexOf(needle, from);
    if (at < 0) {
      throw new Error(`"${needle}" occurs only ${i} time(s) in the article; wanted occurrence ${occurrence}`);
    }
    if (i === occurrence) return { start: at, end: at + needle.length };
    from = at + 1;
  }
}

/**
 * Like findRange, with `within`: a longer string that contains the needle,
 * to pick the needle inside a particular word or phrase (its `occurrence`-th).
 */
export function findSpan(text, needle, { occurrence = 0, within } = {}) {
  if (!within) return findRange(text, needle, occurrence);
  const outer = findRange(text, within, occurrence);
  const inner = within.indexOf(needle);
  if (inner < 0) throw new Error(`"${needle}" is not inside "${within}"`);
  return { start: outer.start + inner, end: outer.start + inner + needle.length };
}

/** Clears the selection, as a user clicking elsewhere would. */
export async function clearSelection(page, { root = null } = {}) {
  await ensureHelpers(page);
  await page.evaluate((r) => window.__hashiyaE2E.at(r).clearSelection(), root);
}

/**
 * The selection as logical doc positions: `{ text, collapsed, start, end,
 * anchor, focus }` (each position `{ docId, u }` or null).
 */
export async function selection(page, { root = null } = {}) {
  await ensureHelpers(page);
  return page.evaluate((r) => window.__hashiyaE2E.at(r).selectionInfo(), root);
}

/**
 * Points on screen where the caret hit-test gives exactly doc offset `u`
 * (widest runs first), with the block settled in view.
 */
export async function caretPoints(page, docId, u, { root = null } = {}) {
  await showDoc(page, docId, { root });
  await ensureHelpers(page);
  const pts = await page.evaluate(([r, id, u]) => window.__hashiyaE2E.at(r).caretPoints(id, u), [root, docId, u]);
  if (!pts.length) throw new Error(`no point on screen puts the caret at ${docId}@${u}`);
  return pts;
}

/** Presses the mouse at `p`, moves it to `q` in steps and releases it there. */
export async function mouseDrag(page, p, q) {
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.move((p.x + q.x) / 2, (p.y + q.y) / 2, { steps: 4 });
  await page.mouse.move(q.x, q.y, { steps: 8 });
  await page.mouse.up();
}

const norm = (s) => s.replace(/\s+/g, ' ').trim();
const same = (p, q) => p && q && p.docId === q.docId && p.u === q.u;

/**
 * Selects `needle` in article `docId` by dragging the mouse.
 * Options: `occurrence`, `within` (see findSpan), `root`.
 * Returns `{ start, end, text }` of the selection in UTF-16 doc offsets.
 */
export async function selectText(page, docId, needle, { occurrence = 0, within, root = null } = {}) {
  docId ??= await articleId(page, { root });
  const text = await docText(page, docId, { root });
  const range = findSpan(text, needle, { occurrence, within });
  const got = await dragSelect(page, { docId, u: range.start }, { docId, u: range.end }, { root });
  const want = text.slice(range.start, range.end);
  const selected = got.text;
  if (!want.includes('\n') ? selected.trim() !== want.trim() : !norm(selected).includes(norm(want))) {
    throw new Error(`selection text is ${JSON.stringify(selected)}, wanted ${JSON.stringify(want)}`);
  }
  return { ...range, text: selected };
}

/** Selects the UTF-16 doc range [start, end) of one article with the mouse. */
export function selectRange(page, docId, start, end, options) {
  return dragSelect(page, { docId, u: start }, { docId, u: end }, options);
}

/**
 * Presses the mouse at caret position `from` and releases it at `to` (each
 * `{ docId, u }`, `from` before `to` in reading order; they may lie in
 * different articles). Verifies the browser's selection is exactly that
 * range, retrying at other hit points; throws with details when it cannot.
 */
export async function dragSelect(page, from, to, { root = null } = {}) {
  await showDoc(page, from.docId, { root });
  await ensureHelpers(page);
  const tries = [];
  for (let round = 0; round < 2; round++) {
    await clearSelection(page, { root });
    await page.evaluate(([r, a, b]) => window.__hashiyaE2E.at(r).reveal(a, b), [root, from, to]);
    const [starts, ends] = await page.evaluate(
      ([r, a, b]) => [window.__hashiyaE2E.at(r).pointsFor(a.docId, a.u, 'start'), window.__hashiyaE2E.at(r).pointsFor(b.docId, b.u, 'end')],
      [root, from, to],
    );
    if (!starts.length || !ends.length) {
      throw new Error(
        `${root ? root + ': ' : ''}no point on screen puts the caret at ${!starts.length ? JSON.stringify(from) : JSON.stringify(to)}`,
      );
    }
    const pairs = [];
    for (let i = 0; i < Math.max(starts.length, ends.length) && pairs.length < 6; i++) {
      pairs.push([starts[Math.min(i, starts.length - 1)], ends[Math.min(i, ends.length - 1)]]);
    }
    for (const [p, q] of pairs) {
      await clearSelection(page, { root });
      await mouseDrag(page, p, q);
      const info = await selection(page, { root });
      if (same(info.start, from) && same(info.end, to)) {
        if (tries.length && process.env.HASHIYA_E2E_DEBUG) {
          console.error(`dragSelect needed ${tries.length + 1} attempts:`, JSON.stringify(tries));
        }
        return { start: from.u, end: to.u, text: info.text, startDoc: from.docId, endDoc: to.docId };
      }
      tries.push({ press: p, release: q, got: info });
    }
  }
  throw new Error(
    `${root ? root + ': ' : ''}could not drag-select ${JSON.stringify(from)} .. ${JSON.stringify(to)}; attempts:\n` +
      tries.map((t) => '  ' + JSON.stringify(t)).join('\n'),
  );
}

/**
 * Presses the mouse at caret position `from` (`{ docId, u }`) and releases it
 * over the centre of the element `toSelector` (anything on the page). Returns
 * the browser's selection (see selection()).
 */
export async function dragToElement(page, from, toSelector) {
  await clearSelection(page);
  const target = page.locator(toSelector).first();
  await target.waitFor({ state: 'visible' });
  const [p] = await caretPoints(page, from.docId, from.u);
  const box = await target.boundingBox();
  if (!box || box.y < 0 || box.y + box.height > (page.viewportSize()?.height ?? 0)) {
    throw new Error(`${toSelector} is not on screen next to the start point`);
  }
  await mouseDrag(page, p, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
  return selection(page);
}

/**
 * Doc range [start, end) of one block, settled in view: `{ first, bounds }`,
 * its first client rectangle (with its centre x, y) and its bounding box.
 */
export async function rangeRects(page, docId, start, end, { root = null } = {}) {
  await showDoc(page, docId, { root });
  await ensureHelpers(page);
  return page.evaluate(([r, id, a, b]) => window.__hashiyaE2E.at(r).rangeRects(id, a, b), [root, docId, start, end]);
}

/** The centre of the first rectangle of doc range [start, end), settled in view. */
export async function textPoint(page, docId, start, end, options) {
  const { x, y } = (await rangeRects(page, docId, start, end, options)).first;
  return { x, y };
}

/** The centre of the first rectangle of the `index`-th mark of annotation `id`, settled in view. */
export async function markPoint(page, id, { index = 0, root = null } = {}) {
  const quoted = '"' + id.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\a ') + '"';
  if (!root) await showDocOf(page, id);
  await page.locator(`${root ?? ''} mark[data-annotation-id=${quoted}]`.trim()).first().waitFor({ state: 'attached' });
  await ensureHelpers(page);
  return page.evaluate(([r, id, i]) => window.__hashiyaE2E.at(r).markPoint(id, i), [root, id, index]);
}

/** Clicks (press + release, no move) at a point, the way a user does. */
export async function clickAt(page, { x, y }) {
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.up();
}
