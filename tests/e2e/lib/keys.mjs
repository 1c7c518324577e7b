// Helpers for the keyboard, precision, accessibility and touch tests (issue 5):
// placing the caret with a real click, reading the caret and the selection as
// logical doc offsets, Alt-drags, CDP touch input and axe-core scans.
//
// Offsets are UTF-16 code units into the article's text (blocks joined by
// "\n"), as in select.mjs.

import assert from 'node:assert/strict';
import path from 'node:path';
import { REPO_ROOT } from './server.mjs';
import { ensureHelpers, clearSelection, dragSelect, selection, caretPoints, rangeRects, showDoc } from './select.mjs';
import { art, panelSel, listedIds, waitForCount, newAnnotationId } from './app.mjs';

export const AXE_PATH = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
export const SNAP_PREF = 'hashiya:v1:pref:snap';
export const LANG_PREF = 'hashiya:v1:pref:ui-lang';
export const CARET = 'article .caret[data-visible="true"]';

/** The focus (moving end) of the selection as a doc offset; throws when it is not in `docId`. */
export async function caretOffset(page, docId) {
  const s = await selection(page);
  assert.ok(s.focus && s.focus.docId === docId, `the caret is in ${docId}: ${JSON.stringify(s)}`);
  return s.focus.u;
}

/** What has focus: `{ tag, docId, action, role }`. */
export function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    return {
      tag: a ? a.tagName.toLowerCase() : null,
      docId: a?.dataset?.docId ?? null,
      action: a?.dataset?.action ?? null,
      role: a?.dataset?.role ?? null,
      inEditorOf: a?.closest?.('[data-role="editor"]')?.dataset.annotationId ?? null,
    };
  });
}

/** Waits until the focused element is the article `docId`. */
export async function waitForArticleFocus(page, docId, timeout = 5000) {
  try {
    await page.waitForFunction(
      (id) => document.activeElement?.matches?.(`article[data-doc-id="${CSS.escape(id)}"]`),
      docId,
      { timeout },
    );
  } catch {
    throw new Error(`expected article ${docId} to have focus; focus is on ${JSON.stringify(await focused(page))}`);
  }
}

/**
 * Clicks plain text so that the caret lands at doc offset `u` of `docId` (the
 * article gets focus, as a reader's click gives it). Retries other hit points
 * until the browser's collapsed selection is exactly there.
 */
export async function placeCaret(page, docId, u) {
  const tries = [];
  for (let round = 0; round < 2; round++) {
    await clearSelection(page);
    const pts = await caretPoints(page, docId, u).catch(() => []);
    for (const p of pts.slice(0, 6)) {
      await page.mouse.click(p.x, p.y);
      const s = await selection(page);
      if (s.collapsed && s.focus && s.focus.docId === docId && s.focus.u === u) {
        await waitForArticleFocus(page, docId);
        return;
      }
      tries.push({ p, got: s.focus });
    }
  }
  throw new Error(`could not click the caret to ${docId}@${u}: ${JSON.stringify(tries)}`);
}

/** Presses `key` `n` times. */
export async function pressTimes(page, key, n) {
  for (let i = 0; i < n; i++) await page.keyboard.press(key);
}

/**
 * Waits until the drawn caret is visible in `docId` and sits where the
 * collapsed selection is (within 2 px); returns its rectangle.
 */
export async function waitForCaretAtSelection(page, docId, timeout = 5000) {
  try {
    await page.waitForFunction(
      (id) => {
        const caret = document.querySelector(`article[data-doc-id="${CSS.escape(id)}"] .caret[data-visible="true"]`);
        const sel = getSelection();
        if (!caret || !sel.rangeCount || !sel.isCollapsed) return false;
        const r = sel.getRangeAt(0);
        const rect = r.getClientRects()[0] || r.getBoundingClientRect();
        const c = caret.getBoundingClientRect();
        if (c.height <= 0 || getComputedStyle(caret).visibility === 'hidden' || getComputedStyle(caret).display === 'none') return false;
        return Math.abs(c.left - rect.left) <= 2 && Math.abs(c.top - rect.top) <= 2;
      },
      docId,
      { timeout },
    );
  } catch {
    const state = await page.evaluate((id) => {
      const caret = document.querySelector(`article[data-doc-id="${CSS.escape(id)}"] .caret`);
      return caret ? { visible: caret.getAttribute('data-visible'), style: caret.getAttribute('style') } : null;
    }, docId);
    throw new Error(`the caret of ${docId} is not drawn at the selection: ${JSON.stringify(state)}; selection ${JSON.stringify(await selection(page))}`);
  }
  return page.$eval(`${art(docId)} .caret`, (c) => {
    const r = c.getBoundingClientRect();
    return { left: r.left, top: r.top, height: r.height };
  });
}

/** Waits until no caret is drawn in `docId`. */
export async function waitForNoCaret(page, docId, timeout = 5000) {
  await page.waitForFunction(
    (id) => !document.querySelector(`article[data-doc-id="${CSS.escape(id)}"] .caret[data-visible="true"]`),
    docId,
    { timeout },
  );
}

/** The block index (0 heading, 1 first paragraph, …) holding doc offset `u`. */
export function blockOfOffset(text, u) {
  return text.slice(0, u).split('\n').length - 1;
}

/** True when `u` is a word edge in `text`: at a block edge, or next to white space or punctuation. */
export function isWordEdge(text, u) {
  const sep = /[\s\n،؛؟.,:;!?"«»()]/;
  return u === 0 || u === text.length || sep.test(text[u - 1]) || sep.test(text[u]);
}

/**
 * Drags from doc offset `from` to `to` (as dragSelect does) while holding Alt,
 * so that the app keeps letter precision; Alt is released afterwards.
 */
export async function altDragSelect(page, from, to) {
  await page.keyboard.down('Alt');
  try {
    return await dragSelect(page, from, to);
  } finally {
    await page.keyboard.up('Alt');
  }
}

/**
 * Tags whatever is selected now with `key` and returns the one new
 * annotation's id (waits for the panel to list it).
 */
export function tagSelectionWith(page, docId, key) {
  return newAnnotationId(() => listedIds(page, docId), (n) => waitForCount(page, docId, n), () => page.keyboard.press(key));
}

/** The text of every mark of an article, by annotation id (marks joined in document order). */
export async function markTexts(page, docId) {
  return page.$$eval(`${art(docId)} mark[data-annotation-id]`, (ms) => {
    const out = {};
    for (const m of ms) {
      // only the innermost text of this annotation (nested marks hold their own text too)
      out[m.dataset.annotationId] = (out[m.dataset.annotationId] || '') + m.textContent;
    }
    return out;
  });
}

/** The label and the whole highlighted text of annotation `id`. */
export async function markOf(page, id) {
  return page.$$eval(`mark[data-annotation-id="${id}"]`, (ms) => ({
    count: ms.length,
    label: ms[0]?.dataset.label ?? null,
    text: ms.map((m) => m.textContent).join(''),
    title: ms[0]?.getAttribute('title') ?? null,
    selected: ms.length > 0 && ms.every((m) => m.dataset.selected === 'true'),
  }));
}

/** Waits until annotation `id`'s highlight shows exactly `text`. */
export async function waitForMarkText(page, id, text, timeout = 5000) {
  try {
    await page.waitForFunction(
      ([id, text]) => [...document.querySelectorAll(`mark[data-annotation-id="${CSS.escape(id)}"]`)].map((m) => m.textContent).join('') === text,
      [id, text],
      { timeout },
    );
  } catch {
    throw new Error(`the highlight of ${id} shows ${JSON.stringify((await markOf(page, id)).text)}, expected ${JSON.stringify(text)}`);
  }
}

/** The panel item marked current (aria-current="true") of an article, or null. */
export function currentItem(page, docId) {
  return page.$$eval(`${panelSel(docId)} li[aria-current="true"]`, (lis) => lis.map((li) => li.dataset.annotationId));
}

/** True when the element matching `selector` lies fully inside the viewport. */
export function inViewport(page, selector) {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth && r.height > 0;
  });
}

// ---------------------------------------------------------------------------
// Touch, through the DevTools protocol (Playwright has no touch-hold or touch-drag).

/** A CDP session for `page`, made once. */
export async function cdp(page) {
  if (!page.__hashiyaCdp) page.__hashiyaCdp = await page.context().newCDPSession(page);
  return page.__hashiyaCdp;
}

export async function touch(page, type, points) {
  const s = await cdp(page);
  await s.send('Input.dispatchTouchEvent', {
    type,
    touchPoints: points.map((p) => ({ x: p.x, y: p.y, id: 1, radiusX: 1, radiusY: 1, force: 1 })),
  });
}

/** Holds a finger at `p` for `ms` milliseconds, then lifts it. */
export async function longPress(page, p, ms = 700) {
  await touch(page, 'touchStart', [p]);
  await page.waitForTimeout(ms);
  await touch(page, 'touchEnd', []);
}

/** A short tap at `p`. */
export async function tap(page, p) {
  await touch(page, 'touchStart', [p]);
  await page.waitForTimeout(40);
  await touch(page, 'touchEnd', []);
}

/** Drags a finger from `p` to `q` in `steps` moves. */
export async function touchDrag(page, p, q, { steps = 10, hold = 80 } = {}) {
  await touch(page, 'touchStart', [p]);
  await page.waitForTimeout(hold);
  for (let i = 1; i <= steps; i++) {
    await touch(page, 'touchMove', [{ x: p.x + ((q.x - p.x) * i) / steps, y: p.y + ((q.y - p.y) * i) / steps }]);
  }
  await page.waitForTimeout(40);
  await touch(page, 'touchEnd', []);
}

/**
 * The centre of the rectangle of one grapheme: the one that starts at doc
 * offset `u` (side 'after') or ends there ('before'), settled in view.
 */
export async function graphemePoint(page, docId, u, side = 'after') {
  await showDoc(page, docId);
  await ensureHelpers(page);
  return page.evaluate(
    async ([docId, u, side]) => {
      const h = window.__hashiyaE2E;
      await h.settle(docId, u);
      const [r] = h.rectsOf(docId, u, side);
      if (!r) throw new Error(`no grapheme ${side} ${u}`);
      return { x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, rect: r };
    },
    [docId, u, side],
  );
}

/** The rectangle (viewport coordinates) of doc range [start, end) of one block, in view. */
export async function rangeRect(page, docId, start, end) {
  return (await rangeRects(page, docId, start, end)).bounds;
}

// ---------------------------------------------------------------------------
// axe-core

/**
 * Runs axe-core on the whole document; prints every violation (all impacts)
 * under `name` and returns them as `{ id, impact, count, targets, help }`.
 */
export async function axeScan(page, name, { log = console.log } = {}) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    const brief = (v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      summary: v.nodes[0]?.failureSummary?.split('\n').slice(0, 3).join(' / ') ?? '',
    });
    return { violations: r.violations.map(brief), incomplete: r.incomplete.map(brief), passes: r.passes.length };
  });
  const { violations, incomplete } = result;
  log(
    `axe-core [${name}]: ${violations.length} violation rule(s), ${result.passes} rule(s) passed` +
      violations.map((v) => `\n  - ${v.id} (${v.impact}) ×${v.count}: ${v.help}; e.g. ${v.targets[0]} — ${v.summary}`).join('') +
      (incomplete.length
        ? `\n  needs review (axe could not decide): ` +
          incomplete.map((v) => `${v.id} (${v.impact}) ×${v.count} e.g. ${v.targets.join(", ")}`).join('; ')
        : ''),
  );
  return violations;
}

/** Asserts that no violation is serious or critical. */
export function assertNoSerious(violations, name) {
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}) ×${v.count} e.g. ${v.targets[0]}`),
    [],
    `${name}: axe-core reports serious/critical violations`,
  );
}

/** The smallest distance in px between two rectangles (0 when they overlap). */
export function rectGap(a, b) {
  const dx = Math.max(0, a.left - b.right, b.left - a.right);
  const dy = Math.max(0, a.top - b.bottom, b.top - a.bottom);
  return Math.hypot(dx, dy);
}
