// Code that runs inside the page. Every clock here is the page's own
// performance.now(), whose zero is the navigation start of the document, so
// Node-side latency (CDP round trips, Playwright's actionability checks) never
// enters a figure.

/**
 * Init script, installed with context.addInitScript before any page script:
 * keeps the wasm instance (Trunk's `TrunkApplicationStarted` event), records
 * long tasks, and, when asked (`cfg.watch` or sessionStorage `__benchWatch`, a
 * CSS selector), resolves `window.__bench.watch` once the selector matches
 * and two animation frames have passed (the content is painted).
 */
export function initScript(cfg) {
  const B = (window.__bench = { longTasks: [], longTaskSupported: false, wasm: null, appStartedAt: null });
  addEventListener('TrunkApplicationStarted', (e) => {
    B.wasm = e.detail && e.detail.wasm;
    B.appStartedAt = performance.now();
  });
  try {
    const take = (entries) => {
      for (const e of entries) B.longTasks.push({ start: e.startTime, duration: e.duration });
    };
    B.ltObserver = new PerformanceObserver((list) => take(list.getEntries()));
    B.ltObserver.observe({ type: 'longtask', buffered: true });
    B.flushLongTasks = () => take(B.ltObserver.takeRecords());
    B.longTaskSupported = true;
  } catch {
    B.longTaskSupported = false;
  }
  let watch = null;
  try {
    watch = sessionStorage.getItem('__benchWatch');
  } catch {
    // no sessionStorage: fall back to the configured selector
  }
  watch = watch || (cfg && cfg.watch);
  if (!watch) return;
  B.watchSelector = watch;
  B.watch = new Promise((resolve) => {
    let found = null;
    const check = () => {
      if (found !== null) return;
      const err = document.querySelector('[data-role="notice"][data-kind="error"]');
      if (document.querySelector(watch)) {
        found = performance.now();
        mo.disconnect();
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const painted = performance.now();
            const nav = performance.getEntriesByType('navigation')[0];
            const fcp = performance.getEntriesByName('first-contentful-paint')[0];
            resolve({
              found,
              painted,
              appStarted: B.appStartedAt,
              domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
              fcp: fcp ? fcp.startTime : null,
              marks: document.querySelectorAll('mark[data-annotation-id]').length,
              watchedMarks: document.querySelectorAll(watch).length,
              error: err ? err.getAttribute('title') : null,
              storageProblem: document.querySelector('[data-role="storage-problem"]')?.getAttribute('title') ?? null,
            });
          }),
        );
      }
    };
    const mo = new MutationObserver(check);
    mo.observe(document, { childList: true, subtree: true });
  });
}

/** Helpers installed once per document with page.evaluate(installHelpers). */
export function installHelpers() {
  if (window.__benchH) return;
  const frames = (n) =>
    new Promise((resolve) => {
      const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step));
      requestAnimationFrame(step);
    });
  const artSel = (docId) => `article[data-doc-id="${CSS.escape(docId)}"]`;
  const errorNotice = () => document.querySelector('[data-role="notice"][data-kind="error"]');
  const storageProblem = () => document.querySelector('[data-role="storage-problem"]')?.getAttribute('title') ?? null;
  const longTasksIn = (t0, t1) => {
    const B = window.__bench;
    if (!B || !B.longTaskSupported) return null;
    B.flushLongTasks();
    const hits = B.longTasks.filter((e) => e.start < t1 && e.start + e.duration > t0);
    return {
      count: hits.length,
      total: hits.reduce((n, e) => n + e.duration, 0),
      longest: hits.reduce((n, e) => Math.max(n, e.duration), 0),
    };
  };

  /** Plain `<p>`s of the given lines, appended to body: time to painted. */
  const baseline = async (lines) => {
    await frames(2);
    const t0 = performance.now();
    const div = document.createElement('div');
    div.dir = 'rtl';
    div.lang = 'ar';
    div.dataset.benchBaseline = '';
    for (const l of lines) {
      const p = document.createElement('p');
      p.textContent = l;
      div.appendChild(p);
    }
    document.body.appendChild(div);
    const built = performance.now();
    await frames(2);
    const painted = performance.now();
    div.remove();
    await frames(2);
    return { built: built - t0, painted: painted - t0 };
  };

  /**
   * Arms the import measurement: the clock starts in a capture-phase click
   * listener on the import button; it stops when the article exists with a
   * mark and two frames passed ("painted"), and again when a whole frame
   * passed without mutations ("settled", capped at settleCapMs).
   */
  const armImport = (docId, settleCapMs) => {
    const sel = artSel(docId);
    let t0 = null;
    let mutations = 0;
    let marksAt = null;
    let listedAt = null;
    let resolve;
    const done = new Promise((r) => (resolve = r));
    const onClick = (e) => {
      if (t0 === null && e.target.closest && e.target.closest('button[data-action="import-text"]')) {
        t0 = performance.now();
        removeEventListener('click', onClick, true);
      }
    };
    addEventListener('click', onClick, true);
    const finish = (extra) => {
      mo.disconnect();
      const art = document.querySelector(sel);
      resolve({
        t0,
        ...extra,
        articleMarks: art ? art.querySelectorAll('mark[data-annotation-id]').length : 0,
        articleBlocks: art ? art.querySelectorAll('[data-block]').length : 0,
        domElements: document.getElementsByTagName('*').length,
        storageProblem: storageProblem(),
        longTasks: longTasksIn(t0, performance.now()),
      });
    };
    const settle = (painted, marksInFirstPaint) => {
      let last = mutations;
      const cap = performance.now() + settleCapMs;
      const step = () => {
        const now = performance.now();
        if (mutations === last || now > cap) {
          finish({ listed: listedAt - t0, marksAt: marksAt - t0, painted: painted - t0, settled: now - t0, settleCapped: now > cap, marksInFirstPaint });
        } else {
          last = mutations;
          requestAnimationFrame(step);
        }
      };
      requestAnimationFrame(step);
    };
    // A second, light observer keeps the time of the last mutation after the
    // measurement ends, for waitQuiet (apps that materialise in idle slices).
    const track = (window.__benchTrack = { t0: null, last: null });
    const tracker = new MutationObserver(() => {
      track.last = performance.now();
    });
    tracker.observe(document.body, { childList: true, subtree: true, characterData: true });
    track.stop = () => tracker.disconnect();
    const mo = new MutationObserver((recs) => {
      mutations += recs.length;
      if (t0 !== null && track.t0 === null) track.t0 = t0;
      if (t0 === null || marksAt !== null) return;
      const err = errorNotice();
      if (err) {
        finish({ error: err.getAttribute('title') || err.textContent });
        return;
      }
      // The workspace shows one article: the imported one is listed, then
      // opened as a reader would (here by its #doc= link, at once).
      if (listedAt === null && document.querySelector(`nav[data-role="documents"] [data-doc-id="${CSS.escape(docId)}"]`)) {
        listedAt = performance.now();
        location.hash = `#doc=${encodeURIComponent(docId)}`;
      }
      const art = document.querySelector(sel);
      if (art && art.querySelector('mark[data-annotation-id]')) {
        marksAt = performance.now();
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const painted = performance.now();
            settle(painted, art.querySelectorAll('mark[data-annotation-id]').length);
          }),
        );
      }
    });
    mo.observe(document.body, { childList: true, subtree: true });
    window.__benchImport = done;
  };

  /**
   * After an import: waits until no mutation happened for `quietMs` (or
   * `capMs` passed) and returns when the last one was, from the click.
   */
  const waitQuiet = (docId, quietMs, capMs) =>
    new Promise((resolve) => {
      const track = window.__benchTrack;
      const begin = performance.now();
      const poll = () => {
        const now = performance.now();
        const last = track.last ?? begin;
        const capped = now - begin > capMs;
        if (now - last >= quietMs || capped) {
          track.stop();
          const art = document.querySelector(artSel(docId));
          resolve({
            complete: last - track.t0,
            capped,
            articleBlocks: art ? art.querySelectorAll('[data-block]').length : 0,
            articleMarks: art ? art.querySelectorAll('mark[data-annotation-id]').length : 0,
          });
        } else setTimeout(poll, 50);
      };
      poll();
    });

  /**
   * Arms an add or undo measurement. The clock starts in a capture-phase
   * keydown listener (key `key`, Ctrl as given); it stops one animation frame
   * after the MutationObserver saw the change: for 'add' a mark with an id the
   * article did not have; for 'undo' the last mark of `id` gone.
   */
  const armKey = ({ docId, kind, key, ctrl, id }) => {
    const art = document.querySelector(artSel(docId));
    if (!art) throw new Error('no article ' + docId);
    const before = kind === 'add' ? new Set([...art.querySelectorAll('mark[data-annotation-id]')].map((m) => m.dataset.annotationId)) : null;
    let t0 = null;
    let found = null;
    let newId = null;
    let resolve;
    const done = new Promise((r) => (resolve = r));
    const onKey = (e) => {
      if (t0 === null && e.key === key && !!(e.ctrlKey || e.metaKey) === !!ctrl) {
        t0 = performance.now();
        removeEventListener('keydown', onKey, true);
      }
    };
    addEventListener('keydown', onKey, true);
    const newMarkIn = (recs) => {
      for (const r of recs) {
        if (r.type === 'attributes') {
          const id = r.target.dataset && r.target.dataset.annotationId;
          if (r.target.localName === 'mark' && id && !before.has(id)) return id;
          continue;
        }
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          const ms = n.matches('mark[data-annotation-id]') ? [n] : [];
          ms.push(...n.querySelectorAll('mark[data-annotation-id]'));
          for (const m of ms) if (!before.has(m.dataset.annotationId)) return m.dataset.annotationId;
        }
      }
      return null;
    };
    const mo = new MutationObserver((recs) => {
      if (t0 === null || found !== null) return;
      if (kind === 'add') newId = newMarkIn(recs);
      const hit = kind === 'add' ? newId !== null : !art.querySelector(`mark[data-annotation-id="${CSS.escape(id)}"]`);
      if (!hit) {
        const err = errorNotice();
        if (err) {
          mo.disconnect();
          resolve({ error: err.getAttribute('title') || err.textContent });
        }
        return;
      }
      found = performance.now();
      mo.disconnect();
      requestAnimationFrame(() => {
        const painted = performance.now();
        resolve({ t0, found: found - t0, painted: painted - t0, newId, longTasks: longTasksIn(t0, painted) });
      });
    });
    mo.observe(art, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-annotation-id'] });
    window.__benchKey = done;
  };

  /**
   * Scrolls the window through the article in a rAF loop for `durationMs`,
   * at `speed` px/ms, or ('through') from its top to its bottom; returns the
   * deltas between frame times.
   */
  const scroll = async ({ docId, durationMs, speed, through }) => {
    const art = document.querySelector(artSel(docId));
    window.scrollTo(0, art.getBoundingClientRect().top + scrollY);
    await frames(5);
    const y0 = scrollY;
    const yMax = art.getBoundingClientRect().bottom + scrollY - innerHeight;
    const v = through ? (yMax - y0) / durationMs : speed;
    const start = performance.now();
    return new Promise((resolve) => {
      const deltas = [];
      let last = null;
      let t0 = null;
      const step = (t) => {
        if (t0 === null) t0 = t;
        else deltas.push(t - last);
        last = t;
        window.scrollTo(0, Math.min(yMax, y0 + (t - t0) * v));
        if (t - t0 < durationMs) requestAnimationFrame(step);
        else resolve({ deltas, distance: scrollY - y0, height: yMax - y0 + innerHeight, longTasks: longTasksIn(start, performance.now()) });
      };
      requestAnimationFrame(step);
    });
  };

  /**
   * The same text as plain <p>s in an <article> laid out like the app's (same
   * CSS: font, size, content-visibility), with the app hidden: the scroll
   * baseline. Returns what `scroll` returns.
   */
  const scrollBaseline = async (lines, args) => {
    const main = document.querySelector('main.hashiya');
    const wrap = document.createElement('div');
    wrap.className = 'hashiya';
    wrap.dir = 'rtl';
    wrap.lang = 'ar';
    const section = document.createElement('section');
    section.className = 'doc';
    const art = document.createElement('article');
    art.dataset.docId = '__bench-baseline';
    const h = document.createElement('h2');
    h.textContent = lines[0];
    art.appendChild(h);
    for (const l of lines.slice(1)) {
      const p = document.createElement('p');
      p.textContent = l;
      art.appendChild(p);
    }
    section.appendChild(art);
    wrap.appendChild(section);
    const display = main.style.display;
    main.style.display = 'none';
    document.body.appendChild(wrap);
    await frames(5);
    try {
      return await scroll({ ...args, docId: '__bench-baseline' });
    } finally {
      wrap.remove();
      main.style.display = display;
      await frames(3);
    }
  };

  /**
   * The idle figure beside add and undo: a key that does nothing here (F8),
   * from its keydown to the next rAF. Headless Chromium paints a key's
   * change no sooner than this, whoever handles the key.
   */
  const armIdleKey = () => {
    let resolve;
    window.__benchKey = new Promise((r) => (resolve = r));
    const onKey = (e) => {
      if (e.key !== 'F8') return;
      removeEventListener('keydown', onKey, true);
      const t0 = performance.now();
      requestAnimationFrame(() => resolve({ t0, painted: performance.now() - t0 }));
    };
    addEventListener('keydown', onKey, true);
  };

  window.__benchH = { frames, baseline, armImport, waitQuiet, armKey, armIdleKey, scroll, scrollBaseline, storageProblem, errorNotice, longTasksIn };
}
