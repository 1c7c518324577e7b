// Real mouse selection of exact text in right-to-left articles.
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

// ---------------------------------------------------------------------------
// Code that runs in the page. It is installed as window.__hashiyaE2E the first
// time a helper needs it (again after a reload).

const PAGE_HELPERS = String.raw`
(() => {
  const articleOf = (docId) => {
    const art = document.querySelector('article[data-doc-id="' + CSS.escape(docId) + '"]');
    if (!art) throw new Error('no article with data-doc-id=' + docId);
    return art;
  };
  const blocksOf = (docId) => {
    const art = articleOf(docId);
    return [...art.querySelectorAll('[data-block]')]
      .filter((b) => b.closest('article') === art)
      .sort((a, b) => Number(a.dataset.block) - Number(b.dataset.block));
  };
  const docText = (docId) => blocksOf(docId).map((b) => b.textContent).join('\n');

  // doc offset -> { block element, index, offset in block, start of block in doc }
  const locate = (docId, u) => {
    const blocks = blocksOf(docId);
    let pos = 0;
    for (let i = 0; i < blocks.length; i++) {
      const len = blocks[i].textContent.length;
      if (u <= pos + len) return { el: blocks[i], index: i, off: u - pos, base: pos };
      pos += len + 1;
    }
    throw new Error('offset ' + u + ' is past the end of ' + docId);
  };

  // (node, offset) -> offset in the block's text, or null when outside it
  const blockOffset = (blockEl, node, offset) => {
    if (!node || !(node === blockEl || blockEl.contains(node))) return null;
    const r = document.createRange();
    r.setStart(blockEl, 0);
    r.setEnd(node, offset);
    return r.toString().length;
  };

  // (node, offset) -> { docId, u } or null
  const docPos = (node, offset) => {
    if (!node) return null;
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const block = el && el.closest('[data-block]');
    const art = el && el.closest('article[data-doc-id]');
    if (!block || !art || block.closest('article') !== art) return null;
    const docId = art.dataset.docId;
    const blocks = blocksOf(docId);
    let base = 0;
    for (const b of blocks) {
      if (b === block) {
        const off = blockOffset(b, node, offset);
        return off == null ? null : { docId, u: base + off };
      }
      base += b.textContent.length + 1;
    }
    return null;
  };

  // A DOM range over [a, b) of a block's text (UTF-16 offsets in the block).
  const blockRange = (blockEl, a, b) => {
    const walker = document.createTreeWalker(blockEl, NodeFilter.SHOW_TEXT);
    const r = document.createRange();
    let pos = 0, started = false, node;
    while ((node = walker.nextNode())) {
      const len = node.data.length;
      if (!started && a <= pos + len) {
        r.setStart(node, a - pos);
        started = true;
      }
      if (started && b <= pos + len) {
        r.setEnd(node, b - pos);
        return r;
      }
      pos += len;
    }
    throw new Error('range ' + a + '..' + b + ' is outside the block text (length ' + pos + ')');
  };

  const graphemeBounds = (text) => {
    const seg = new Intl.Segmenter('ar', { granularity: 'grapheme' });
    const out = [0];
    for (const g of seg.segment(text)) out.push(g.index + g.segment.length);
    return [...new Set(out)];
  };

  // The grapheme that touches caret offset 'off' on the given side:
  // 'after' = the grapheme that starts at off, 'before' = the one that ends there.
  const graphemeAt = (text, off, side) => {
    const bounds = graphemeBounds(text);
    if (side === 'after') {
      const next = bounds.find((x) => x > off);
      return next == null ? null : [off, next];
    }
    const prev = [...bounds].reverse().find((x) => x < off);
    return prev == null ? null : [prev, off];
  };

  const caretAt = (x, y) => {
    if (document.caretPositionFromPoint) {
      const p = document.caretPositionFromPoint(x, y);
      return p ? { node: p.offsetNode, offset: p.offset } : null;
    }
    const r = document.caretRangeFromPoint(x, y);
    return r ? { node: r.startContainer, offset: r.startOffset } : null;
  };

  const scrollParent = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (/(auto|scroll|overlay)/.test(s.overflowY) && p.scrollHeight > p.clientHeight + 1) return p;
    }
    return document.scrollingElement || document.documentElement;
  };

  const rectsOf = (docId, u, side) => {
    const loc = locate(docId, u);
    const g = graphemeAt(loc.el.textContent, loc.off, side);
    if (!g) return [];
    return [...blockRange(loc.el, g[0], g[1]).getClientRects()]
      .filter((r) => r.width > 0.5 && r.height > 0.5)
      .map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom }));
  };

  const frames = (n) =>
    new Promise((resolve) => {
      const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step));
      requestAnimationFrame(step);
    });

  // Centres both ends of a selection in the viewport, away from sticky bars,
  // and waits until the layout holds still (paragraphs with
  // content-visibility: auto get their real height only once near the viewport).
  const reveal = async (from, to) => {
    const a = locate(from.docId, from.u).el;
    const b = locate(to.docId, to.u).el;
    let last = null;
    for (let attempt = 0; attempt < 10; attempt++) {
      const ra = rectsOf(from.docId, from.u, 'after')[0] || rectsOf(from.docId, from.u, 'before')[0] || a.getBoundingClientRect();
      const rb = rectsOf(to.docId, to.u, 'before').slice(-1)[0] || rectsOf(to.docId, to.u, 'after')[0] || b.getBoundingClientRect();
      const top = Math.min(ra.top, rb.top);
      const bottom = Math.max(ra.bottom, rb.bottom);
      if (bottom - top > innerHeight - 40) {
        throw new Error('the selection is taller than the viewport; use a taller viewport');
      }
      const delta = (top + bottom) / 2 - innerHeight / 2;
      const still = last !== null && Math.abs(last - top) < 0.5;
      last = top;
      const sp = scrollParent(a);
      if (Math.abs(delta) >= 2) {
        const before = sp.scrollTop;
        if (sp === document.scrollingElement || sp === document.documentElement) window.scrollBy(0, delta);
        else sp.scrollTop += delta;
        if (sp.scrollTop !== before) {
          last = null;
        } else if (still) {
          return true; // at the top or bottom of the page, and steady
        }
      } else if (still) {
        return true;
      }
      await frames(2);
    }
    return false;
  };

  // Scrolls an element into view and waits until its position holds still.
  const settleInView = async (el) => {
    let last = null;
    for (let i = 0; i < 10; i++) {
      const r = el.getBoundingClientRect();
      if (r.top < 40 || r.bottom > innerHeight - 40) el.scrollIntoView({ block: 'center' });
      const now = el.getBoundingClientRect().top;
      if (last !== null && Math.abs(now - last) < 0.5) return;
      last = now;
      await frames(2);
    }
  };

  // Hit-tests the rectangles next to caret offset u and returns candidate
  // press points, best first: the middle of each run of x values whose caret
  // is exactly u.
  const pointsFor = (docId, u, side) => {
    const sides = side === 'start' ? ['after', 'before'] : ['before', 'after'];
    const runs = [];
    for (const s of sides) {
      for (const r of rectsOf(docId, u, s)) {
        const h = r.bottom - r.top;
        for (const fy of [0.5, 0.35, 0.65]) {
          const y = r.top + h * fy;
          if (y < 1 || y > innerHeight - 1) continue;
          let run = null;
          for (let x = Math.max(1, r.left - 1); x <= Math.min(innerWidth - 1, r.right + 1); x += 0.5) {
            const c = caretAt(x, y);
            const p = c && docPos(c.node, c.offset);
            const hit = p && p.docId === docId && p.u === u;
            if (hit) {
              if (!run) run = { x0: x, x1: x, y, side: s };
              else run.x1 = x;
            } else if (run) {
              runs.push(run);
              run = null;
            }
          }
          if (run) runs.push(run);
        }
      }
      if (runs.length) break; // the preferred grapheme answered
    }
    runs.sort((p, q) => (q.x1 - q.x0) - (p.x1 - p.x0));
    const pts = [];
    for (const r of runs) {
      const w = r.x1 - r.x0;
      pts.push({ x: (r.x0 + r.x1) / 2, y: r.y, width: w });
      if (w >= 2) {
        pts.push({ x: r.x0 + w * 0.3, y: r.y, width: w });
        pts.push({ x: r.x0 + w * 0.7, y: r.y, width: w });
      }
    }
    return pts;
  };

  const selectionInfo = () => {
    const sel = getSelection();
    if (!sel.rangeCount) return { text: '', collapsed: true, start: null, end: null };
    const r = sel.getRangeAt(0);
    return {
      text: sel.toString(),
      collapsed: r.collapsed,
      start: docPos(r.startContainer, r.startOffset),
      end: docPos(r.endContainer, r.endOffset),
    };
  };

  window.__hashiyaE2E = {
    blocksOf, docText, locate, docPos, blockRange, graphemeAt, rectsOf, reveal, settleInView, frames, pointsFor, selectionInfo,
  };
})();
`;

/** Installs the in-page helpers (idempotent; again after a reload). */
export async function ensureHelpers(page) {
  await page.evaluate((src) => {
    if (!window.__hashiyaE2E) (0, eval)(src);
  }, PAGE_HELPERS);
}

/** The article's text: its blocks' texts joined by "\n". */
export async function docText(page, docId) {
  await ensureHelpers(page);
  return page.evaluate((id) => window.__hashiyaE2E.docText(id), docId);
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

/** Clears the document selection, as a user clicking elsewhere would. */
export async function clearSelection(page) {
  await page.evaluate(() => getSelection().removeAllRanges());
}

const norm = (s) => s.replace(/\s+/g, ' ').trim();
const same = (p, q) => p && q && p.docId === q.docId && p.u === q.u;

/**
 * Selects `needle` in article `docId` by dragging the mouse.
 * Options: `occurrence` (0-based), `within` (a longer string that contains
 * the needle, to pick the needle inside a particular word or phrase).
 * Returns `{ start, end, text }` of the selection in UTF-16 doc offsets.
 */
export async function selectText(page, docId, needle, { occurrence = 0, within } = {}) {
  const text = await docText(page, docId);
  let range;
  if (within) {
    const outer = findRange(text, within, occurrence);
    const inner = within.indexOf(needle);
    if (inner < 0) throw new Error(`"${needle}" is not inside "${within}"`);
    range = { start: outer.start + inner, end: outer.start + inner + needle.length };
  } else {
    range = findRange(text, needle, occurrence);
  }
  const got = await dragSelect(page, { docId, u: range.start }, { docId, u: range.end });
  const want = text.slice(range.start, range.end);
  const selected = got.text;
  if (!want.includes('\n') ? selected.trim() !== want.trim() : !norm(selected).includes(norm(want))) {
    throw new Error(`selection text is ${JSON.stringify(selected)}, wanted ${JSON.stringify(want)}`);
  }
  return { ...range, text: selected };
}

/** Selects the UTF-16 doc range [start, end) of one article with the mouse. */
export function selectRange(page, docId, start, end) {
  return dragSelect(page, { docId, u: start }, { docId, u: end });
}

/**
 * Presses the mouse at caret position `from` and releases it at `to` (each
 * `{ docId, u }`, `from` before `to` in reading order; they may lie in
 * different articles). Verifies the browser's selection is exactly that
 * range, retrying at other hit points; throws with details when it cannot.
 */
export async function dragSelect(page, from, to) {
  await ensureHelpers(page);
  const tries = [];
  for (let round = 0; round < 2; round++) {
    await clearSelection(page);
    await page.evaluate(([a, b]) => window.__hashiyaE2E.reveal(a, b), [from, to]);
    const [starts, ends] = await page.evaluate(
      ([a, b]) => [
        window.__hashiyaE2E.pointsFor(a.docId, a.u, 'start'),
        window.__hashiyaE2E.pointsFor(b.docId, b.u, 'end'),
      ],
      [from, to],
    );
    if (!starts.length || !ends.length) {
      throw new Error(
        `no point on screen puts the caret at ${!starts.length ? JSON.stringify(from) : JSON.stringify(to)}`,
      );
    }
    const pairs = [];
    for (let i = 0; i < Math.max(starts.length, ends.length) && pairs.length < 6; i++) {
      pairs.push([starts[Math.min(i, starts.length - 1)], ends[Math.min(i, ends.length - 1)]]);
    }
    for (const [p, q] of pairs) {
      await clearSelection(page);
      await page.mouse.move(p.x, p.y);
      await page.mouse.down();
      await page.mouse.move((p.x + q.x) / 2, (p.y + q.y) / 2, { steps: 4 });
      await page.mouse.move(q.x, q.y, { steps: 8 });
      await page.mouse.up();
      const info = await page.evaluate(() => window.__hashiyaE2E.selectionInfo());
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
    `could not drag-select ${JSON.stringify(from)} .. ${JSON.stringify(to)}; attempts:\n` +
      tries.map((t) => '  ' + JSON.stringify(t)).join('\n'),
  );
}

/**
 * Presses the mouse at caret position `from` (`{ docId, u }`) and releases it
 * over the centre of the element `toSelector` (anything on the page). Returns
 * the browser's selection: its text, and where its ends are
 * (`{ docId, u }`, or null outside an article's blocks).
 */
export async function dragToElement(page, from, toSelector) {
  await ensureHelpers(page);
  await clearSelection(page);
  const target = page.locator(toSelector).first();
  await target.waitFor({ state: 'visible' });
  await page.evaluate(async (a) => {
    const h = window.__hashiyaE2E;
    await h.settleInView(h.locate(a.docId, a.u).el);
  }, from);
  const [p] = await page.evaluate((a) => window.__hashiyaE2E.pointsFor(a.docId, a.u, 'start'), from);
  if (!p) throw new Error(`no point on screen puts the caret at ${JSON.stringify(from)}`);
  const box = await target.boundingBox();
  if (!box || box.y < 0 || box.y + box.height > (page.viewportSize()?.height ?? 0)) {
    throw new Error(`${toSelector} is not on screen next to the start point`);
  }
  const q = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.move((p.x + q.x) / 2, (p.y + q.y) / 2, { steps: 4 });
  await page.mouse.move(q.x, q.y, { steps: 8 });
  await page.mouse.up();
  return page.evaluate(() => {
    const sel = getSelection();
    const info = window.__hashiyaE2E.selectionInfo();
    return {
      ...info,
      anchor: sel.anchorNode ? window.__hashiyaE2E.docPos(sel.anchorNode, sel.anchorOffset) : null,
      focus: sel.focusNode ? window.__hashiyaE2E.docPos(sel.focusNode, sel.focusOffset) : null,
    };
  });
}

/** The centre of the first rectangle of doc range [start, end), settled in view. */
export async function textPoint(page, docId, start, end) {
  await ensureHelpers(page);
  return page.evaluate(
    async ([docId, start, end]) => {
      const h = window.__hashiyaE2E;
      const loc = h.locate(docId, start);
      await h.settleInView(loc.el);
      const r = h.blockRange(loc.el, loc.off, loc.off + (end - start)).getClientRects()[0];
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    },
    [docId, start, end],
  );
}
