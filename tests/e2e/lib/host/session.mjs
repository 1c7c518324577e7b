// The embed tests' environment: two servers per test file (the bundle in
// dist/ with CORS, and the host pages on another port with a strict CSP
// header), one Chromium, and per test a fresh context whose pages carry the
// event and CSP recorder from before any page script.

import fs from 'node:fs';
import path from 'node:path';
import { before, after } from 'node:test';
import { startServer, distDir } from '../server.mjs';
import { launchBrowser, openPage, pageTest, poll } from '../browser.mjs';
import { EMBED_FILES, strictCsp } from './pages.mjs';
import { EVENTS, installRecorder, recordedCsp } from './recorder.mjs';

/**
 * Registers before/after hooks. `pages` maps host paths to page specs (see
 * startServer; a string or a function stands for `{ body }`); their `body`
 * functions receive `{ bundle, bundleBase, bundleOrigin, host, hostOrigin }`
 * where `bundle` is the URL of hashiya.js on the bundle server. Pages get the
 * strict CSP header unless they say `csp: false` (or give their own).
 * `hostMounts` and `bundleMounts` add directories to either server.
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
    shared.bundle = await startServer({ root: dist, spa: false, mounts: bundleMounts, cors: true });
    shared.host = await startServer({ root: null, mounts: hostMounts, pages: pageMap, ctx });
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

/**
 * Opens `url` in a new context (see openPage). Options: `widgets` (how many
 * widgets to wait for; default: all on the page, at least one), `wait`
 * (false: do not wait), `viewport`, `initScript` (a function run before page
 * scripts, after the recorder; `initArg` its argument). The handle adds
 * `url`, `requests` (`{ url, status, failure? }` of every answer),
 * `reload()` and `cspViolations()`.
 */
export async function openHost(browser, url, { widgets, wait = true, viewport, initScript, initArg } = {}) {
  const initScripts = [[installRecorder, EVENTS], ...(initScript ? [[initScript, initArg]] : [])];
  const h = await openPage(browser, { viewport, initScripts });
  const { page } = h;
  const ready = (p) => (wait ? waitWidgets(p, widgets) : undefined);
  const requests = [];
  page.on('response', (r) => requests.push({ url: r.url(), status: r.status() }));
  page.on('requestfailed', (r) => requests.push({ url: r.url(), status: 0, failure: r.failure()?.errorText }));
  Object.assign(h, {
    url,
    requests,
    async reload() {
      await page.reload({ waitUntil: 'load' });
      await ready(page);
    },
    /** CSP violations seen by the page's securitypolicyviolation listener, plus console reports. */
    async cspViolations() {
      return [...(await recordedCsp(page)), ...h.errors.csp.map((text) => ({ console: text }))];
    },
  });
  await h.load(url, ready, `${url}: the widgets did not become ready`);
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
 * Declares a test that opens host path `p` (or what the function `p`
 * returns) in a fresh context (see pageTest: it fails on uncaught page errors
 * or panics; screenshot on failure). CSP violations are reported as a
 * diagnostic (the CSP test asserts them).
 */
export function hostTest(env, name, p, options, fn) {
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  return pageTest(
    name,
    {
      timeout: options.timeout || 60_000,
      open: () => env.open(typeof p === 'function' ? p() : p, options),
      prefix: 'embed-',
      report: async (h, t) => {
        const csp = await h.cspViolations();
        if (csp.length) t.diagnostic('CSP violations: ' + JSON.stringify(csp));
      },
    },
    fn,
  );
}
