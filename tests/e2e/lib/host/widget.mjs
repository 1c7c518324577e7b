// Reading and driving a widget from the page (host = CSS selector of the
// <hashiya-annotator>): its text, highlights and panel inside its open
// shadow root, the mouse and keys, focus, and what it stored.
//
// Offsets: the selection helpers take UTF-16 offsets into the widget's
// article text (its blocks joined by "\n"), like lib/select.mjs (they are
// lib/select.mjs, with the widget's shadow root as their root); the element's
// API takes code points (use cpSpan from lib/app.mjs).

import { poll } from '../browser.mjs';
import { STORAGE_PREFIX, newAnnotationId, storageSnapshot } from '../app.mjs';
import { ensureHelpers, docText, selectText, clearSelection, textPoint, markPoint, clickAt } from '../select.mjs';

/** The widget's article text as shown: its blocks joined by "\n". */
export const wText = (page, host) => docText(page, null, { root: host });

/** Runs `fn([host, arg])` in the page, once the range helpers (window.__hashiyaE2E.at(host)) are there. */
async function inWidget(page, host, fn, arg) {
  await ensureHelpers(page);
  return page.evaluate(fn, [host, arg]);
}

/** The blocks as shown: [{ tag, text, block }]. */
export const wBlocks = (page, host) =>
  inWidget(page, host, ([h]) => window.__hashiyaE2E.at(h).blocksOf().map((b) => ({ tag: b.localName, text: b.textContent, block: b.dataset.block })));

/** Highlights of a widget in document order. */
export function wMarks(page, host) {
  return inWidget(page, host, ([h]) =>
    [...window.__hashiyaE2E.at(h).articleOf().querySelectorAll('mark[data-annotation-id]')].map((m) => ({
      id: m.dataset.annotationId,
      label: m.dataset.label,
      text: m.textContent,
      block: m.closest('[data-block]') ? Number(m.closest('[data-block]').dataset.block) : null,
    })),
  );
}

/** The widget's panel: listed entries `{ id, label, quote, note }`. */
export function wPanel(page, host) {
  return inWidget(page, host, ([h]) => {
    const aside = window.__hashiyaE2E.at(h).root.querySelector('aside[data-panel-for]');
    if (!aside) throw new Error(h + ' has no panel');
    return {
      for: aside.dataset.panelFor,
      items: [...aside.querySelectorAll('li[data-annotation-id]')].map((li) => ({
        id: li.dataset.annotationId,
        label: li.dataset.label,
        quote: li.querySelector('.quote')?.textContent ?? null,
        note: li.querySelector('.note')?.textContent ?? null,
      })),
    };
  });
}

/** Ids listed in a widget's panel. */
export const wIds = (page, host) =>
  inWidget(page, host, ([h]) => [...window.__hashiyaE2E.at(h).root.querySelectorAll('aside[data-panel-for] li[data-annotation-id]')].map((li) => li.dataset.annotationId));

/** Waits until the widget lists exactly `n` annotations (panel entries and highlights agree). */
export async function waitCount(page, host, n, timeout = 5_000) {
  try {
    await poll(
      page,
      ([h, n]) => {
        const root = document.querySelector(h)?.shadowRoot;
        if (!root) return false;
        const listed = root.querySelectorAll('aside[data-panel-for] li[data-annotation-id]').length;
        const marked = new Set([...root.querySelectorAll('article mark[data-annotation-id]')].map((m) => m.dataset.annotationId)).size;
        return listed === n && marked === n;
      },
      [host, n],
      { timeout },
    );
  } catch {
    const have = await Promise.all([wIds(page, host), wMarks(page, host)])
      .then(([ids, marks]) => ({ listed: ids.length, marked: new Set(marks.map((m) => m.id)).size }))
      .catch(() => 'unknown');
    throw new Error(`${host}: expected ${n} annotation(s) listed and highlighted, have ${JSON.stringify(have)}`);
  }
}

/** Selects `needle` (optionally inside `within`, the n-th `occurrence`) in widget `host` with the mouse; returns its UTF-16 range. */
export async function wSelect(page, host, needle, { occurrence = 0, within } = {}) {
  const { start, end } = await selectText(page, null, needle, { occurrence, within, root: host });
  return { start, end };
}

/** Selects `needle` with the mouse and presses `key`; waits for one new annotation and returns its id. */
export function wAnnotate(page, host, needle, key, opts = {}) {
  return newAnnotationId(
    () => wIds(page, host),
    (n) => waitCount(page, host, n),
    async () => {
      await wSelect(page, host, needle, opts);
      await page.keyboard.press(key);
    },
  );
}

/** Clicks plain text (UTF-16 doc range [a, b)) of a widget: focuses its article, deselects. */
export async function wClickText(page, host, a, b) {
  await clearSelection(page, { root: host });
  await clickAt(page, await textPoint(page, null, a, b, { root: host }));
}

/** Clicks the first highlight of annotation `id` in widget `host`. */
export async function wClickMark(page, host, id) {
  await clearSelection(page, { root: host });
  await clickAt(page, await markPoint(page, id, { root: host }));
}

/** Waits until exactly annotation `id` is selected in widget `host` (its marks carry data-selected="true"). */
export async function wWaitSelected(page, host, id) {
  await poll(
    page,
    ([h, id]) => {
      const root = document.querySelector(h).shadowRoot;
      const sel = [...root.querySelectorAll('mark[data-selected="true"]')].map((m) => m.dataset.annotationId);
      return sel.length > 0 && sel.every((s) => s === id);
    },
    [host, id],
    { timeout: 5_000 },
  );
}

/** The element that has focus, through shadow roots: `{ host, tag, docId }`. */
export function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    const host = el && el.localName === 'hashiya-annotator' ? el.id : null;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return { host, tag: el ? el.localName : null, docId: el?.dataset?.docId ?? null };
  });
}

/** hashiya:v1:… keys and parsed values in localStorage. */
export async function hashiyaStorage(page) {
  const out = {};
  for (const [k, v] of Object.entries(await storageSnapshot(page))) {
    if (!k.startsWith('hashiya')) continue;
    try {
      out[k] = JSON.parse(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** Waits until the stored record of `docId` has `n` annotations; returns it. */
export async function waitStored(page, docId, n, timeout = 10_000) {
  try {
    await poll(
      page,
      ([k, n]) => {
        try {
          return JSON.parse(localStorage.getItem(k)).annotations.length === n;
        } catch {
          return false;
        }
      },
      [STORAGE_PREFIX + docId, n],
      { timeout },
    );
  } catch {
    throw new Error(`localStorage ${STORAGE_PREFIX + docId} does not hold ${n} annotation(s): ${JSON.stringify(await hashiyaStorage(page))}`);
  }
  return (await hashiyaStorage(page))[STORAGE_PREFIX + docId];
}
