// Browser plumbing for the end-to-end tests: one Chromium and one static
// server per test file, a fresh browser context (clean localStorage) per test,
// page errors collected and turned into test failures. The embed tests
// (host/session.mjs) open their pages and declare their tests with these too.

import { before, after, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, REPO_ROOT } from './server.mjs';

export const CHROMIUM_PATH = process.env.HASHIYA_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
];
export const READY = 'main.hashiya[data-ready="true"]';
export const VIEWPORT = { width: 1280, height: 900 };
export const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'e2e', 'artifacts');

/** Launches the system Chromium (never a downloaded one). */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

// Console errors that say the program itself broke (a Rust panic, a wasm trap).
const FATAL_CONSOLE = /panicked at|RuntimeError|unreachable executed|unreachable code/i;

/**
 * A new context and page. Options: `viewport`, `initScripts` (`[fn, arg]`
 * pairs run before any page script), others go to browser.newContext (e.g.
 * `hasTouch`). The handle collects what the page reports in `errors`: `page`
 * (uncaught errors, crashes), `console` (console errors; the fatal ones, a
 * panic or a wasm trap, in `fatalConsole` too) and `csp` (CSP reports).
 */
export async function openPage(browser, { viewport, initScripts = [], ...contextOptions } = {}) {
  const context = await browser.newContext({ viewport: viewport || VIEWPORT, deviceScaleFactor: 1, acceptDownloads: true, ...contextOptions });
  for (const [fn, arg] of initScripts) await context.addInitScript(fn, arg);
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
  return {
    context,
    page,
    errors,
    /** Throws when the page reported an uncaught error or a panic. */
    assertNoPageErrors() {
      const all = [...errors.page, ...errors.fatalConsole];
      if (all.length) throw new Error(`The page reported ${all.length} error(s):\n` + all.map((e) => `  - ${e}`).join('\n'));
    },
    close: () => context.close().catch(() => {}),
    /** Loads `url` and awaits `ready(page)`; when that fails, closes the context and throws `what`, with the page's errors. */
    async load(url, ready, what) {
      try {
        await page.goto(url, { waitUntil: 'load' });
        await ready(page);
      } catch (e) {
        const seen = [...errors.page, ...errors.console];
        await context.close().catch(() => {});
        throw new Error(`${what}: ${e.message}` + (seen.length ? '\npage errors and console errors:\n' + seen.map((x) => `  - ${x}`).join('\n') : ''));
      }
    },
  };
}

/**
 * Registers before/after hooks for the current test file and returns a handle
 * whose `open()` gives a fresh context with the app loaded and ready.
 */
export function useApp() {
  const shared = { server: null, browser: null };
  before(async () => {
    shared.server = await startServer();
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close().catch(() => {});
    await shared.server?.close().catch(() => {});
  });

  return {
    get url() {
      return shared.server.url;
    },
    get browser() {
      return shared.browser;
    },
    /** A fresh browser context and page with the app ready. */
    open: (options = {}) => openApp(shared.browser, shared.server.url, options),
  };
}

/**
 * Opens the app in a new context. Options: `permissions` (e.g. clipboard),
 * `viewport`, `hasTouch`, `initScripts` (as `openPage`'s).
 */
export async function openApp(browser, url, { permissions = [], viewport, hasTouch, initScripts } = {}) {
  const app = await openPage(browser, { viewport, hasTouch, initScripts });
  if (permissions.length) await app.context.grantPermissions(permissions, { origin: new URL(url).origin });
  app.url = url;
  /** Reloads the page (same context, so localStorage stays) and waits until ready. */
  app.reload = async () => {
    await app.page.reload({ waitUntil: 'load' });
    await waitReady(app.page);
  };
  await app.load(url, waitReady, `the app did not become ready (${READY})`);
  return app;
}

/**
 * Polls `fn(arg)` in the page until it returns a truthy value (returned).
 * Host pages cannot use page.waitForFunction: Playwright runs its predicate
 * through eval(), which their strict CSP forbids (and reports).
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

/** Waits for the app's ready marker and for web fonts, so that layout is final. */
export async function waitReady(page) {
  await page.waitForSelector(READY, { timeout: 30_000 });
  await page.evaluate(() => document.fonts && document.fonts.ready.then(() => undefined));
  await page.waitForSelector('article[data-doc-id] [data-block]');
}

/**
 * Declares a test on a fresh page, `open()`'s handle (see openPage). The test
 * fails if the page reported an uncaught error or a panic; on failure a
 * screenshot goes to tests/e2e/artifacts/ (its name after `prefix`) and the
 * console errors become a diagnostic. `report(handle, t)` runs before the
 * page closes, whatever the outcome.
 */
export function pageTest(name, { timeout, open, prefix = '', report }, fn) {
  return test(name, { timeout }, async (t) => {
    const h = await open();
    let failed = true;
    try {
      await fn(h, t);
      failed = false;
    } finally {
      if (failed) {
        await saveScreenshot(h.page, name, prefix);
        if (h.errors.console.length) t.diagnostic('console errors: ' + h.errors.console.join(' | '));
      }
      if (report) await report(h, t);
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

/** Declares a test that gets a fresh app (`options` as for openApp, and `timeout`); see pageTest. */
export function appTest(env, name, options, fn) {
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  return pageTest(name, { timeout: options.timeout || 120_000, open: () => env.open(options) }, fn);
}

/** Saves a full-page screenshot to tests/e2e/artifacts/ (quietly not, for a crashed page). */
export async function saveScreenshot(page, name, prefix = '') {
  try {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, prefix + name.replace(/[^\w\u0600-\u06ff-]+/g, '_').slice(0, 120 - prefix.length) + '.png');
    await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
  } catch {
    // a crashed page cannot be photographed; the failure itself is reported
  }
}
