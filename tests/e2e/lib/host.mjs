// Host pages for the embeddable <hashiya-annotator>: two static servers (the
// bundle in dist/ with CORS, and host pages on another port, with a strict
// CSP header), a fresh browser context per test with event, CSP and error
// recorders installed before any page script, and real mouse selection of
// exact text inside a widget's (open) shadow root.
//
// Offsets: the selection helpers take UTF-16 offsets into the widget's article
// text (its blocks joined by "\n"), like lib/select.mjs; the element's API
// takes code points (use cpSpan from lib/app.mjs).

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, distDir } from './server.mjs';
import { launchBrowser, ARTIFACTS } from './browser.mjs';
import { findRange } from './select.mjs';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export const EMBED_FILES = ['hashiya.js', 'hashiya_core.js', 'hashiya_bg.wasm', 'hashiya.css', 'hashiya.d.ts'];
export const EVENTS = ['hashiya-ready', 'hashiya-create', 'hashiya-update', 'hashiya-delete', 'hashiya-change', 'hashiya-error'];
export const STORAGE_PREFIX = 'hashiya:v1:doc:';
export const VIEWPORT = { width: 1280, height: 900 };

/**
 * Polls `fn(arg)` in the page until it returns a truthy value (returned).
 * page.waitForFunction cannot be used here: Playwright runs its predicate
 * through eval(), which the strict CSP of these pages forbids (and reports).
 */
export async function poll(page, fn, arg, { timeout = 10_000, interval = 40 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${String(fn).slice(0, 160)}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.md': 'text/plain; charset=utf-8',
};

// ---------------------------------------------------------------------------
// Servers

/**
 * A static server on 127.0.0.1 with an OS-chosen port.
 *   mounts: { '/prefix/': directory }  (longest prefix wins)
 *   pages:  Map of pathname -> { body: string | (ctx) => string, type?, csp?: string | (ctx) => string | false }
 *   cors:   send Access-Control-Allow-Origin: * (the bundle server must, for
 *           module scripts and the wasm fetched from another origin)
 *   ctx():  what page functions receive (set later, when every server runs)
 * Records every request as { path, status } in `log`.
 */
export async function startStatic({ mounts = {}, pages = new Map(), cors = false, ctx = () => ({}) } = {}) {
  const log = [];
  const mountList = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, fs.realpathSync(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const send = (status, body, type, extra = {}) => {
      log.push({ path: pathname, status });
      const headers = { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra };
      if (cors) headers['Access-Control-Allow-Origin'] = '*';
      const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      headers['Content-Length'] = buf.length;
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : buf);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, '', 'text/plain');
    const page = pages.get(pathname);
    if (page) {
      const c = ctx();
      const body = typeof page.body === 'function' ? page.body(c) : page.body;
      const type = page.type || MIME[path.extname(pathname)] || 'text/html; charset=utf-8';
      const csp = typeof page.csp === 'function' ? page.csp(c) : page.csp;
      return send(200, body, type, csp ? { 'Content-Security-Policy': csp } : {});
    }
    const mount = mountList.find(([prefix]) => pathname.startsWith(prefix));
    if (!mount) return send(404, 'not found', 'text/plain; charset=utf-8');
    const [prefix, dir] = mount;
    const rel = pathname.slice(prefix.length);
    const file = path.join(dir, rel === '' || rel.endsWith('/') ? rel + 'index.html' : rel);
    if (!file.startsWith(dir)) return send(403, '', 'text/plain');
    fs.readFile(file, (err, body) => {
      if (err) return send(404, 'not found', 'text/plain; charset=utf-8');
      send(200, body, MIME[path.extname(file).toLowerCase()] || 'application/octet-stream');
    });
  });
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    port,
    log,
    pages,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The strict CSP of the brief: nothing inline, no eval, scripts and styles from the bundle's origin. */
export function strictCsp({ bundleOrigin, connect = [] }) {
  return [
    "default-src 'none'",
    `script-src 'self' ${bundleOrigin} 'wasm-unsafe-eval'`,
    `style-src 'self' ${bundleOrigin}`,
    `connect-src 'self' ${bundleOrigin} ${connect.join(' ')}`.trim(),
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

// ---------------------------------------------------------------------------
// Writing host pages

export const esc = (s) =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** `<hashiya-annotator …>children</hashiya-annotator>`; attrs: { name: value | true } (false/null: left out). */
export function widget(attrs = {}, children = '') {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== false && v != null)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${esc(v)}"`))
    .join('');
  return `<hashiya-annotator${a}>${children}</hashiya-annotator>`;
}

/** Children for an article: `<h2>` for the first block, `<p>` for the others (all escaped). */
export function blocksHtml(blocks) {
  return blocks.map((b, i) => (i === 0 ? `\n  <h2>${esc(b)}</h2>` : `\n  <p>${esc(b)}</p>`)).join('') + '\n';
}

/**
 * A whole host page. `script`: the bundle's URL (null: no bundle). `head`:
 * extra markup for <head> (stylesheet links; no inline styles or scripts).
 */
export function hostPage({ script, body, head = '', title = 'host page', lang = 'en', dir = 'ltr', doctype = true }) {
  return `${doctype ? '<!doctype html>\n' : ''}<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
${head}
${script ? `<script type="module" src="${esc(script)}"></script>` : ''}
</head>
<body>
${body}
</body>
</html>
`;
}

// ---------------------------------------------------------------------------
// Test environment: both servers, one Chromium per file, a context per test

/**
 * Registers before/after hooks. `pages` maps host paths to page specs (see
 * startStatic); their `body` functions receive
 * `{ bundle, bundleOrigin, host, hostOrigin }` where `bundle` is the URL of
 * hashiya.js on the bundle server. Pages get the strict CSP header unless
 * they say `csp: false` (or give their own).
 */
export function useHost({ pages = {}, hostMounts = {}, bundleMounts = {} } = {}) {
  const shared = { bundle: null, host: null, browser: null };
  const ctx = () => ({
    bundle: `${shared.bundle.url}embed/hashiya.js`,
    bundleBase: shared.bundle.url,
    bundleOrigin: shared.bundle.origin,
    host: shared.host.url,
    hostOrigin: shared.host.origin,
  });
  const pageMap = new Map();
  const add = (p, spec) => {
    const s = typeof spec === 'string' || typeof spec === 'function' ? { body: spec } : { ...spec };
    if (s.csp === undefined && !/\.(css|txt|json|js)$/.test(p)) s.csp = (c) => strictCsp({ bundleOrigin: c.bundleOrigin });
    pageMap.set(p, s);
  };
  for (const [p, spec] of Object.entries(pages)) add(p, spec);

  before(async () => {
    const dist = distDir();
    const missing = EMBED_FILES.filter((f) => !fs.existsSync(path.join(dist, 'embed', f)));
    if (missing.length) {
      throw new Error(`the embed bundle is not built: missing ${missing.map((f) => 'dist/embed/' + f).join(', ')} (trunk build --release)`);
    }
    shared.bundle = await startStatic({ mounts: { '/': dist, ...bundleMounts }, cors: true });
    shared.host = await startStatic({ mounts: hostMounts, pages: pageMap, ctx });
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close().catch(() => {});
    await shared.bundle?.close().catch(() => {});
    await shared.host?.close().catch(() => {});
  });

  return {
    get browser() {
      return shared.browser;
    },
    get bundleServer() {
      return shared.bundle;
    },
    get hostServer() {
      return shared.host;
    },
    ctx,
    /** Adds or replaces a host page (also after start). */
    page: add,
    /** A fresh context and page at host path `p` (or a full URL); widgets ready. */
    open: (p, options = {}) =>
      openHost(shared.browser, /^https?:/.test(p) ? p : new URL(p.replace(/^\//, ''), shared.host.url).href, options),
  };
}

// Console errors that say the program itself broke.
const FATAL_CONSOLE = /panicked at|RuntimeError|unreachable executed|unreachable code/i;

/**
 * Opens `url` in a new context. Options: `widgets` (how many widgets to wait
 * for; default: all on the page, at least one), `wait` (false: do not wait),
 * `viewport`, `initScript` (a function run before page scripts, after ours).
 */
export async function openHost(browser, url, { widgets, wait = true, viewport, initScript, initArg } = {}) {
  const context = await browser.newContext({ viewport: viewport || VIEWPORT, deviceScaleFactor: 1, acceptDownloads: true });
  await context.addInitScript(installRecorders);
  if (initScript) await context.addInitScript(initScript, initArg);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors = { page: [], console: [], fatalConsole: [], csp: [] };
  page.on('pageerror', (e) => errors.page.push(String(e && e.stack ? e.stack : e)));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) errors.csp.push(text);
    if (msg.type() !== 'error') return;
    errors.console.push(text);
    if (FATAL_CONSOLE.test(text)) errors.fatalConsole.push(text);
  });
  page.on('crash', () => errors.page.push('the page crashed'));
  const requests = [];
  page.on('response', (r) => requests.push({ url: r.url(), status: r.status() }));
  page.on('requestfailed', (r) => requests.push({ url: r.url(), status: 0, failure: r.failure()?.errorText }));

  const h = {
    context,
    page,
    errors,
    requests,
    url,
    async reload() {
      await page.reload({ waitUntil: 'load' });
      if (wait) await waitWidgets(page, widgets);
    },
    /** CSP violations seen by the page's securitypolicyviolation listener, plus console reports. */
    async cspViolations() {
      const seen = await page.evaluate(() => window.__cspViolations || []).catch(() => []);
      return [...seen, ...errors.csp.map((text) => ({ console: text }))];
    },
    assertNoPageErrors() {
      const all = [...errors.page, ...errors.fatalConsole];
      if (all.length) throw new Error(`The page reported ${all.length} error(s):\n` + all.map((e) => `  - ${e}`).join('\n'));
    },
    close: () => context.close().catch(() => {}),
  };
  try {
    await page.goto(url, { waitUntil: 'load' });
    if (wait) await waitWidgets(page, widgets);
  } catch (e) {
    const seen = [...errors.page, ...errors.console];
    await context.close().catch(() => {});
    throw new Error(
      `${url}: the widgets did not become ready: ${e.message}` +
        (seen.length ? '\npage and console errors:\n' + seen.map((x) => `  - ${x}`).join('\n') : ''),
    );
  }
  return h;
}

/** Waits until `n` (default: every) <hashiya-annotator> has its shadow root ready and its `ready` promise settled. */
export async function waitWidgets(page, n, timeout = 30_000) {
  try {
    await poll(
      page,
      (n) => {
        const els = [...document.querySelectorAll('hashiya-annotator')];
        if (!els.length || (n != null && els.length < n)) return false;
        return els.every((el) => el.shadowRoot && el.shadowRoot.querySelector('.hashiya.widget[data-ready="true"] article[data-doc-id] [data-block]'));
      },
      n ?? null,
      { timeout },
    );
  } catch (e) {
    const state = await page
      .evaluate(() =>
        [...document.querySelectorAll('hashiya-annotator')].map((el) => ({
          id: el.id,
          defined: !!customElements.get('hashiya-annotator'),
          shadow: !!el.shadowRoot,
          html: el.shadowRoot ? el.shadowRoot.innerHTML.slice(0, 300) : null,
        })),
      )
      .catch(() => 'unknown');
    throw new Error(`widgets not ready: ${JSON.stringify(state)}`);
  }
  await page.evaluate(async () => {
    await Promise.all([...document.querySelectorAll('hashiya-annotator')].map((el) => el.ready));
    await document.fonts.ready;
  });
}

/**
 * Declares a test that opens host path `p` in a fresh context. The test fails
 * on uncaught page errors or panics; CSP violations are reported as a
 * diagnostic (the CSP test asserts them). Screenshot on failure.
 */
export function hostTest(env, name, p, options, fn) {
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  return test(name, { timeout: options.timeout || 60_000 }, async (t) => {
    const h = await env.open(typeof p === 'function' ? p() : p, options);
    let failed = true;
    try {
      await fn(h, t);
      failed = false;
    } finally {
      if (failed) {
        await saveScreenshot(h.page, name);
        if (h.errors.console.length) t.diagnostic('console errors: ' + h.errors.console.join(' | '));
      }
      const csp = await h.cspViolations();
      if (csp.length) t.diagnostic('CSP violations: ' + JSON.stringify(csp));
      let pageErrors = null;
      try {
        h.assertNoPageErrors();
      } catch (e) {
        pageErrors = e;
      }
      await h.close();
      if (pageErrors && !failed) throw pageErrors;
      if (pageErrors) t.diagnostic(pageErrors.message);
    }
  });
}

export async function saveScreenshot(page, name) {
  try {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'embed-' + name.replace(/[^\w\u0600-\u06ff-]+/g, '_').slice(0, 110) + '.png');
    await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
  } catch {
    // a crashed page cannot be photographed
  }
}

// ---------------------------------------------------------------------------
// In-page recorders and helpers, installed by an init script (not eval: the
// pages run under a CSP without 'unsafe-eval').

function installRecorders() {
  if (window.__hostE2E) return;
  const clone = (v) => {
    try {
      return v === undefined ? null : JSON.parse(JSON.stringify(v));
    } catch {
      return String(v);
    }
  };
  window.__hashiyaEvents = [];
  window.__cspViolations = [];
  const TYPES = ['hashiya-ready', 'hashiya-create', 'hashiya-update', 'hashiya-delete', 'hashiya-change', 'hashiya-error'];
  // Bubble phase on document: an event that does not bubble or is not
  // composed is never recorded.
  for (const type of TYPES) {
    document.addEventListener(type, (e) => {
      const path = e.composedPath();
      const host = path.find((n) => n && n.localName === 'hashiya-annotator');
      window.__hashiyaEvents.push({
        type,
        host: host ? host.id || null : null,
        target: e.target && e.target.localName ? e.target.localName + (e.target.id ? '#' + e.target.id : '') : String(e.target),
        bubbles: e.bubbles,
        composed: e.composed,
        isCustom: e instanceof CustomEvent,
        detail: clone(e.detail),
      });
    });
  }
  document.addEventListener(
    'securitypolicyviolation',
    (e) => {
      window.__cspViolations.push({
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        source: e.sourceFile,
        line: e.lineNumber,
      });
    },
    true,
  );

  const hostEl = (sel) => {
    const h = document.querySelector(sel);
    if (!h) throw new Error('no element ' + sel);
    if (!h.shadowRoot) throw new Error(sel + ' has no open shadow root');
    return h;
  };
  const rootOf = (sel) => hostEl(sel).shadowRoot;
  const articleOf = (sel) => {
    const a = rootOf(sel).querySelector('article[data-doc-id]');
    if (!a) throw new Error(sel + ' shows no article');
    return a;
  };
  const blocksOf = (sel) => {
    const art = articleOf(sel);
    return [...art.querySelectorAll('[data-block]')]
      .filter((b) => b.closest('article') === art)
      .sort((a, b) => Number(a.dataset.block) - Number(b.dataset.block));
  };
  const docText = (sel) => blocksOf(sel).map((b) => b.textContent).join('\n');
  const locate = (sel, u) => {
    const blocks = blocksOf(sel);
    let pos = 0;
    for (let i = 0; i < blocks.length; i++) {
      const len = blocks[i].textContent.length;
      if (u <= pos + len) return { el: blocks[i], index: i, off: u - pos, base: pos };
      pos += len + 1;
    }
    throw new Error('offset ' + u + ' is past the end of ' + sel);
  };
  const docPos = (sel, node, offset) => {
    if (!node) return null;
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const block = el && el.closest('[data-block]');
    const art = articleOf(sel);
    if (!block || block.closest('article') !== art) return null;
    let base = 0;
    for (const b of blocksOf(sel)) {
      if (b === block) {
        const r = document.createRange();
        r.setStart(b, 0);
        r.setEnd(node, offset);
        return base + r.toString().length;
      }
      base += b.textContent.length + 1;
    }
    return null;
  };
  const blockRange = (blockEl, a, b) => {
    const walker = document.createTreeWalker(blockEl, NodeFilter.SHOW_TEXT);
    const r = document.createRange();
    let pos = 0;
    let started = false;
    let node;
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
  const rectsOf = (sel, u, side) => {
    const loc = locate(sel, u);
    const g = graphemeAt(loc.el.textContent, loc.off, side);
    if (!g) return [];
    return [...blockRange(loc.el, g[0], g[1]).getClientRects()]
      .filter((r) => r.width > 0.5 && r.height > 0.5)
      .map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom }));
  };
  const caretAt = (root, x, y) => {
    const p = document.caretPositionFromPoint(x, y, { shadowRoots: [root] });
    return p ? { node: p.offsetNode, offset: p.offset } : null;
  };
  const frames = (n) =>
    new Promise((resolve) => {
      const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step));
      requestAnimationFrame(step);
    });
  // Scrolls the page so that both ends are in the middle of the viewport, and
  // waits until the layout holds still.
  const reveal = async (sel, from, to) => {
    let last = null;
    for (let attempt = 0; attempt < 12; attempt++) {
      const ra = rectsOf(sel, from, 'after')[0] || rectsOf(sel, from, 'before')[0] || locate(sel, from).el.getBoundingClientRect();
      const rb = rectsOf(sel, to, 'before').slice(-1)[0] || rectsOf(sel, to, 'after')[0] || locate(sel, to).el.getBoundingClientRect();
      const top = Math.min(ra.top, rb.top);
      const bottom = Math.max(ra.bottom, rb.bottom);
      const delta = (top + bottom) / 2 - innerHeight / 2;
      const still = last !== null && Math.abs(last - top) < 0.5;
      last = top;
      if (Math.abs(delta) >= 2) {
        const before = scrollY;
        window.scrollBy(0, delta);
        if (scrollY !== before) last = null;
        else if (still) return true;
      } else if (still) {
        return true;
      }
      await frames(2);
    }
    return false;
  };
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
  // Press points whose caret is exactly at u (middle of each run of x values).
  const pointsFor = (sel, u, side) => {
    const root = rootOf(sel);
    const sides = side === 'start' ? ['after', 'before'] : ['before', 'after'];
    const runs = [];
    for (const s of sides) {
      for (const r of rectsOf(sel, u, s)) {
        const h = r.bottom - r.top;
        for (const fy of [0.5, 0.35, 0.65]) {
          const y = r.top + h * fy;
          if (y < 1 || y > innerHeight - 1) continue;
          let run = null;
          for (let x = Math.max(1, r.left - 1); x <= Math.min(innerWidth - 1, r.right + 1); x += 0.5) {
            const c = caretAt(root, x, y);
            const hit = c && docPos(sel, c.node, c.offset) === u;
            if (hit) {
              if (!run) run = { x0: x, x1: x, y };
              else run.x1 = x;
            } else if (run) {
              runs.push(run);
              run = null;
            }
          }
          if (run) runs.push(run);
        }
      }
      if (runs.length) break;
    }
    runs.sort((p, q) => q.x1 - q.x0 - (p.x1 - p.x0));
    const pts = [];
    for (const r of runs) {
      const w = r.x1 - r.x0;
      pts.push({ x: (r.x0 + r.x1) / 2, y: r.y });
      if (w >= 2) {
        pts.push({ x: r.x0 + w * 0.3, y: r.y });
        pts.push({ x: r.x0 + w * 0.7, y: r.y });
      }
    }
    return pts;
  };
  const selectionOf = (sel) => {
    const root = rootOf(sel);
    return typeof root.getSelection === 'function' ? root.getSelection() : document.getSelection();
  };
  const selectionInfo = (sel) => {
    const s = selectionOf(sel);
    if (!s || !s.rangeCount) return { text: '', collapsed: true, start: null, end: null };
    const r = s.getRangeAt(0);
    return { text: s.toString(), collapsed: r.collapsed, start: docPos(sel, r.startContainer, r.startOffset), end: docPos(sel, r.endContainer, r.endOffset) };
  };
  const clearSelection = (sel) => {
    try {
      selectionOf(sel)?.removeAllRanges();
    } catch {}
    document.getSelection().removeAllRanges();
  };
  // Centre of the first client rectangle of doc range [a, b).
  const textPoint = async (sel, a, b) => {
    const loc = locate(sel, a);
    await settleInView(loc.el);
    const r = blockRange(loc.el, loc.off, loc.off + (b - a)).getClientRects()[0];
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  };
  const markPoint = async (sel, id) => {
    const m = rootOf(sel).querySelector(`mark[data-annotation-id="${CSS.escape(id)}"]`);
    if (!m) throw new Error('no mark for ' + id + ' in ' + sel);
    await settleInView(m);
    const r = m.getClientRects()[0];
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  };
  window.__hostE2E = { rootOf, articleOf, blocksOf, docText, locate, docPos, rectsOf, reveal, settleInView, pointsFor, selectionInfo, clearSelection, textPoint, markPoint, frames };
}

// ---------------------------------------------------------------------------
// Reading a widget (host = CSS selector of the <hashiya-annotator>)

/** The widget's article text as shown: its blocks joined by "\n". */
export const wText = (page, host) => page.evaluate((h) => window.__hostE2E.docText(h), host);

/** The blocks as shown: [{ tag, text }]. */
export const wBlocks = (page, host) =>
  page.evaluate((h) => window.__hostE2E.blocksOf(h).map((b) => ({ tag: b.localName, text: b.textContent, block: b.dataset.block })), host);

/** Highlights of a widget in document order. */
export function wMarks(page, host) {
  return page.evaluate((h) => {
    const art = window.__hostE2E.articleOf(h);
    return [...art.querySelectorAll('mark[data-annotation-id]')].map((m) => ({
      id: m.dataset.annotationId,
      label: m.dataset.label,
      text: m.textContent,
      block: m.closest('[data-block]') ? Number(m.closest('[data-block]').dataset.block) : null,
    }));
  }, host);
}

/** The widget's panel: listed entries `{ id, label, quote, note }`. */
export function wPanel(page, host) {
  return page.evaluate((h) => {
    const root = window.__hostE2E.rootOf(h);
    const aside = root.querySelector('aside[data-panel-for]');
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
  }, host);
}

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
    const have = await page
      .evaluate((h) => {
        const root = document.querySelector(h)?.shadowRoot;
        return {
          listed: root?.querySelectorAll('aside[data-panel-for] li[data-annotation-id]').length,
          marked: new Set([...(root?.querySelectorAll('article mark[data-annotation-id]') ?? [])].map((m) => m.dataset.annotationId)).size,
        };
      }, host)
      .catch(() => 'unknown');
    throw new Error(`${host}: expected ${n} annotation(s) listed and highlighted, have ${JSON.stringify(have)}`);
  }
}

/** Events recorded on document (bubble phase), optionally of one type and/or one widget (by id). */
export function events(page, { type, host } = {}) {
  return page.evaluate(
    ([type, host]) => window.__hashiyaEvents.filter((e) => (!type || e.type === type) && (!host || e.host === host)),
    [type ?? null, host ?? null],
  );
}

export const clearEvents = (page) => page.evaluate(() => (window.__hashiyaEvents.length = 0));

/** Waits until at least `n` events of `type` from widget `host` (an id) were recorded; returns them. */
export async function waitEvents(page, type, host, n = 1, timeout = 5_000) {
  try {
    await poll(
      page,
      ([type, host, n]) => window.__hashiyaEvents.filter((e) => e.type === type && (!host || e.host === host)).length >= n,
      [type, host ?? null, n],
      { timeout },
    );
  } catch {
    const seen = await events(page);
    throw new Error(`expected ${n} ${type} event(s) from ${host ?? 'any widget'}; recorded: ${JSON.stringify(seen.map((e) => [e.type, e.host]))}`);
  }
  return events(page, { type, host });
}

/** hashiya:v1:… keys and parsed values in localStorage. */
export function hashiyaStorage(page) {
  return page.evaluate(() => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith('hashiya')) {
        try {
          out[k] = JSON.parse(localStorage.getItem(k));
        } catch {
          out[k] = localStorage.getItem(k);
        }
      }
    }
    return out;
  });
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

// ---------------------------------------------------------------------------
// The element's JS API

/**
 * Calls `el[method](...args)` on widget `host` after `await el.ready`.
 * Returns `{ ok: true, value }` (value JSON-cloned; `undefined` → null,
 * `returnedUndefined` set) or `{ ok: false, isError, name, message }`.
 */
export function api(page, host, method, ...args) {
  return page.evaluate(
    async ([h, method, args]) => {
      const el = document.querySelector(h);
      await el.ready;
      if (typeof el[method] !== 'function') return { ok: false, missing: true, message: `${h}.${method} is not a function` };
      try {
        const v = el[method](...args);
        return { ok: true, value: v === undefined ? null : JSON.parse(JSON.stringify(v)), returnedUndefined: v === undefined };
      } catch (e) {
        return { ok: false, isError: e instanceof Error, name: e && e.name, message: String(e && e.message !== undefined ? e.message : e) };
      }
    },
    [host, method, args],
  );
}

/** Like api(), but asserts success and returns the value. */
export async function call(page, host, method, ...args) {
  const r = await api(page, host, method, ...args);
  assert.ok(r.ok, `${host}.${method}(${JSON.stringify(args).slice(1, -1).slice(0, 200)}) failed: ${r.message}`);
  return r.value;
}

/** Asserts that the call throws an Error with a non-empty message; returns the message. */
export async function callThrows(page, host, method, ...args) {
  const r = await api(page, host, method, ...args);
  const what = `${host}.${method}(${JSON.stringify(args).slice(1, -1).slice(0, 160)})`;
  assert.ok(!r.missing, r.message);
  assert.equal(r.ok, false, `${what} should throw, returned ${JSON.stringify(r.value)?.slice(0, 200)}`);
  assert.equal(r.isError, true, `${what} should throw an Error, threw ${r.name}: ${r.message}`);
  assert.ok(r.message && r.message.length > 3 && r.message !== 'undefined', `${what}: the Error has a clear message, got ${JSON.stringify(r.message)}`);
  return r.message;
}

// ---------------------------------------------------------------------------
// Doing things with the mouse and keys

/**
 * Drags the mouse from UTF-16 doc offset `from` to `to` in widget `host` and
 * checks the browser's selection inside the shadow root is exactly that range.
 */
export async function wDrag(page, host, from, to) {
  const tries = [];
  for (let round = 0; round < 2; round++) {
    await page.evaluate((h) => window.__hostE2E.clearSelection(h), host);
    await page.evaluate(([h, a, b]) => window.__hostE2E.reveal(h, a, b), [host, from, to]);
    const [starts, ends] = await page.evaluate(
      ([h, a, b]) => [window.__hostE2E.pointsFor(h, a, 'start'), window.__hostE2E.pointsFor(h, b, 'end')],
      [host, from, to],
    );
    if (!starts.length || !ends.length) throw new Error(`${host}: no point on screen puts the caret at ${!starts.length ? from : to}`);
    const pairs = [];
    for (let i = 0; i < Math.max(starts.length, ends.length) && pairs.length < 6; i++) {
      pairs.push([starts[Math.min(i, starts.length - 1)], ends[Math.min(i, ends.length - 1)]]);
    }
    for (const [p, q] of pairs) {
      await page.evaluate((h) => window.__hostE2E.clearSelection(h), host);
      await page.mouse.move(p.x, p.y);
      await page.mouse.down();
      await page.mouse.move((p.x + q.x) / 2, (p.y + q.y) / 2, { steps: 4 });
      await page.mouse.move(q.x, q.y, { steps: 8 });
      await page.mouse.up();
      const info = await page.evaluate((h) => window.__hostE2E.selectionInfo(h), host);
      if (info.start === from && info.end === to) return info;
      tries.push({ press: p, release: q, got: info });
    }
  }
  throw new Error(`${host}: could not drag-select ${from}..${to}; attempts:\n` + tries.map((t) => '  ' + JSON.stringify(t)).join('\n'));
}

/** Selects `needle` (optionally inside `within`, the n-th `occurrence`) in widget `host` with the mouse. */
export async function wSelect(page, host, needle, { occurrence = 0, within } = {}) {
  const text = await wText(page, host);
  let range;
  if (within) {
    const outer = findRange(text, within, occurrence);
    const inner = within.indexOf(needle);
    if (inner < 0) throw new Error(`"${needle}" is not inside "${within}"`);
    range = { start: outer.start + inner, end: outer.start + inner + needle.length };
  } else {
    range = findRange(text, needle, occurrence);
  }
  const info = await wDrag(page, host, range.start, range.end);
  assert.equal(info.text.trim(), needle.trim(), `${host}: the selection is the wanted text`);
  return range;
}

/** Ids listed in a widget's panel. */
export const wIds = (page, host) =>
  page.evaluate((h) => [...window.__hostE2E.rootOf(h).querySelectorAll('aside[data-panel-for] li[data-annotation-id]')].map((li) => li.dataset.annotationId), host);

/** Selects `needle` with the mouse and presses `key`; waits for one new annotation and returns its id. */
export async function wAnnotate(page, host, needle, key, opts = {}) {
  const before = new Set(await wIds(page, host));
  await wSelect(page, host, needle, opts);
  await page.keyboard.press(key);
  await waitCount(page, host, before.size + 1);
  const added = (await wIds(page, host)).filter((id) => !before.has(id));
  assert.equal(added.length, 1, `${host}: exactly one new annotation`);
  return added[0];
}

/** Clicks (press + release, no move) at a point. */
export async function clickAt(page, { x, y }) {
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.up();
}

/** Clicks plain text (UTF-16 doc range [a, b)) of a widget: focuses its article, deselects. */
export async function wClickText(page, host, a, b) {
  await page.evaluate((h) => window.__hostE2E.clearSelection(h), host);
  await clickAt(page, await page.evaluate(([h, a, b]) => window.__hostE2E.textPoint(h, a, b), [host, a, b]));
}

/** Clicks the first highlight of annotation `id` in widget `host`. */
export async function wClickMark(page, host, id) {
  await page.evaluate((h) => window.__hostE2E.clearSelection(h), host);
  await clickAt(page, await page.evaluate(([h, id]) => window.__hostE2E.markPoint(h, id), [host, id]));
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
