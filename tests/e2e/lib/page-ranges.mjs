// The range helpers that run in the page, for select.mjs (which installs them
// as window.__hashiyaE2E) and the tests that measure text themselves.
//
// Every root-bound helper works in one root: the document, or the open shadow
// root of a <hashiya-annotator>. window.__hashiyaE2E holds the document's;
// window.__hashiyaE2E.at(host) those of the shadow root of the element that
// the CSS selector `host` matches (at(null): the document's).
//
// Positions are `{ docId, u }`: u is a UTF-16 offset into the text of the
// article `docId` (its blocks joined by "\n"). A docId of null or undefined
// means the first article of the root (a widget shows one).
//
// installRangeHelpers is run as it is written (page.evaluate or an init
// script, never eval: host pages forbid it), so it uses nothing from outside.

export function installRangeHelpers() {
  if (window.__hashiyaE2E) return;

  const frames = (n) =>
    new Promise((resolve) => {
      const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step));
      requestAnimationFrame(step);
    });

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

  // The grapheme that touches caret offset 'off' on the given side:
  // 'after' = the grapheme that starts at off, 'before' = the one that ends there.
  const graphemeAt = (text, off, side) => {
    const seg = new Intl.Segmenter('ar', { granularity: 'grapheme' });
    const bounds = [0];
    for (const g of seg.segment(text)) bounds.push(g.index + g.segment.length);
    if (side === 'after') {
      const next = bounds.find((x) => x > off);
      return next == null ? null : [off, next];
    }
    const prev = [...bounds].reverse().find((x) => x < off);
    return prev == null ? null : [prev, off];
  };

  const scrollParent = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (/(auto|scroll|overlay)/.test(s.overflowY) && p.scrollHeight > p.clientHeight + 1) return p;
    }
    return document.scrollingElement || document.documentElement;
  };

  // Scrolls an element into view and waits until its position holds still.
  // (below the demo's sticky masthead, which covers what scrolls under it)
  const settleInView = async (el) => {
    let last = null;
    const masthead = el.getRootNode().querySelector?.('main > .masthead');
    for (let i = 0; i < 10; i++) {
      const r = el.getBoundingClientRect();
      const covered = masthead ? masthead.getBoundingClientRect().bottom : 0;
      if (r.top < Math.max(40, covered + 8) || r.bottom > innerHeight - 40) el.scrollIntoView({ block: 'center' });
      const now = el.getBoundingClientRect().top;
      if (last !== null && Math.abs(now - last) < 0.5) return;
      last = now;
      await frames(2);
    }
  };

  const box = (r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
  const centre = (r) => ({ x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2 });

  const forRoot = (root) => {
    const articleOf = (docId) => {
      const sel = docId == null ? 'article[data-doc-id]' : 'article[data-doc-id="' + CSS.escape(docId) + '"]';
      const art = root.querySelector(sel);
      if (!art) throw new Error('no ' + sel + (root === document ? '' : ' in ' + root.host.localName + '#' + root.host.id));
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

    // (node, offset) -> { docId, u }, or null outside the blocks of an article of this root
    const docPos = (node, offset) => {
      if (!node || node.getRootNode() !== root) return null;
      const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
      const block = el && el.closest('[data-block]');
      const art = el && el.closest('article[data-doc-id]');
      if (!block || !art || block.closest('article') !== art) return null;
      const docId = art.dataset.docId;
      let base = 0;
      for (const b of blocksOf(docId)) {
        if (b === block) {
          const r = document.createRange();
          r.setStart(b, 0);
          r.setEnd(node, offset);
          return { docId, u: base + r.toString().length };
        }
        base += b.textContent.length + 1;
      }
      return null;
    };

    const rectsOf = (docId, u, side) => {
      const loc = locate(docId, u);
      const g = graphemeAt(loc.el.textContent, loc.off, side);
      if (!g) return [];
      return [...blockRange(loc.el, g[0], g[1]).getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5).map(box);
    };

    const caretAt = (x, y) => {
      if (document.caretPositionFromPoint) {
        const p = root === document ? document.caretPositionFromPoint(x, y) : document.caretPositionFromPoint(x, y, { shadowRoots: [root] });
        return p ? { node: p.offsetNode, offset: p.offset } : null;
      }
      const r = document.caretRangeFromPoint(x, y);
      return r ? { node: r.startContainer, offset: r.startOffset } : null;
    };

    // Centres both ends of a selection in the viewport, away from sticky bars,
    // and waits until the layout holds still (paragraphs with
    // content-visibility: auto get their real height only once near the viewport).
    const reveal = async (from, to) => {
      const a = locate(from.docId, from.u).el;
      const b = locate(to.docId, to.u).el;
      let last = null;
      for (let attempt = 0; attempt < 12; attempt++) {
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

    const settle = (docId, u) => settleInView(locate(docId, u).el);

    // Hit-tests the rectangles next to caret offset u and returns candidate
    // press points, best first: the middle of each run of x values whose caret
    // is exactly u.
    const pointsFor = (docId, u, side) => {
      const want = articleOf(docId).dataset.docId;
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
              if (p && p.docId === want && p.u === u) {
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

    // Press points for caret offset u, with its block settled in view first.
    const caretPoints = async (docId, u) => {
      await settle(docId, u);
      return pointsFor(docId, u, 'start');
    };

    // The root's selection (a shadow root's own where the engine keeps one).
    const selection = () => (typeof root.getSelection === 'function' ? root.getSelection() : document.getSelection());

    const selectionInfo = () => {
      const sel = selection();
      if (!sel || !sel.rangeCount) return { text: '', collapsed: true, start: null, end: null, anchor: null, focus: null };
      const r = sel.getRangeAt(0);
      return {
        text: sel.toString(),
        collapsed: r.collapsed,
        start: docPos(r.startContainer, r.startOffset),
        end: docPos(r.endContainer, r.endOffset),
        anchor: sel.anchorNode ? docPos(sel.anchorNode, sel.anchorOffset) : null,
        focus: sel.focusNode ? docPos(sel.focusNode, sel.focusOffset) : null,
      };
    };

    const clearSelection = () => {
      try {
        selection()?.removeAllRanges();
      } catch {}
      document.getSelection().removeAllRanges();
    };

    // Doc range [start, end) of one block, settled in view: its first client
    // rectangle (with its centre) and its bounding box.
    const rangeRects = async (docId, start, end) => {
      const loc = locate(docId, start);
      await settleInView(loc.el);
      const r = blockRange(loc.el, loc.off, loc.off + (end - start));
      const first = box(r.getClientRects()[0]);
      return { first: { ...first, ...centre(first) }, bounds: box(r.getBoundingClientRect()) };
    };

    // The centre of the first client rectangle of the index-th mark of annotation id, settled in view.
    const markPoint = async (id, index = 0) => {
      const m = root.querySelectorAll('mark[data-annotation-id="' + CSS.escape(id) + '"]')[index];
      if (!m) throw new Error('no mark ' + index + ' of ' + id);
      await settleInView(m);
      return centre(m.getClientRects()[0]);
    };

    return {
      root, articleOf, blocksOf, docText, locate, docPos, rectsOf, reveal, settle, pointsFor, caretPoints,
      selectionInfo, clearSelection, rangeRects, markPoint,
    };
  };

  const doc = forRoot(document);
  const at = (host) => {
    if (host == null) return doc;
    const el = document.querySelector(host);
    if (!el) throw new Error('no element ' + host);
    if (!el.shadowRoot) throw new Error(host + ' has no open shadow root');
    return forRoot(el.shadowRoot);
  };
  window.__hashiyaE2E = { ...doc, at, frames, blockRange, graphemeAt, settleInView };
}
