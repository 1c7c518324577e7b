// Browser plumbing for the end-to-end tests: one Chromium and one static
// server per test file, a fresh browser context (clean localStorage) per test,
// page errors collected and turned into test failures.

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
export const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'e2e', 'artifacts');

/** Launches the system Chromium (never a downloaded one). */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

// Console errors that say the program itself broke (a Rust panic, a wasm trap).
const FATAL_CONSOLE = /panicked at|RuntimeError|unreachable executed|unreachable code/i;

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
 * `viewport`.
 */
export async function openApp(browser, url, { permissions = [], viewport } = {}) {
  const context = await browser.newContext({
    viewport: viewport || { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
  });
  if (permissions.length) await context.grantPermissions(permissions, { origin: new URL(url).origin });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors = { page: [], console: [], fatalConsole: [] };
  page.on('pageerror', (e) => errors.page.push(String(e && e.stack ? e.stack : e)));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    errors.console.push(text);
    if (FATAL_CONSOLE.test(text)) errors.fatalConsole.push(text);
  });
  page.on('crash', () => errors.page.push('the page crashed'));

  const app = {
    context,
    page,
    errors,
    url,
    /** Reloads the page (same context, so localStorage stays) and waits until ready. */
    async reload() {
      await page.reload({ waitUntil: 'load' });
      await waitReady(page);
    },
    /** Throws when the page reported an uncaught error or a panic. */
    assertNoPageErrors() {
      const all = [...errors.page, ...errors.fatalConsole];
      if (all.length) {
        throw new Error(
          `The page reported ${all.length} error(s):\n` + all.map((e) => `  - ${e}`).join('\n'),
        );
      }
    },
    close: () => context.close().catch(() => {}),
  };
  try {
    await page.goto(url, { waitUntil: 'load' });
    await waitReady(page);
  } catch (e) {
    const seen = [...errors.page, ...errors.console];
    await context.close().catch(() => {});
    throw new Error(
      `the app did not become ready (${READY}): ${e.message}` +
        (seen.length ? '\npage errors and console errors:\n' + seen.map((x) => `  - ${x}`).join('\n') : ''),
    );
  }
  return app;
}

/** Waits for the app's ready marker and for web fonts, so that layout is final. */
export async function waitReady(page) {
  await page.waitForSelector(READY, { timeout: 30_000 });
  await page.evaluate(() => document.fonts && document.fonts.ready.then(() => undefined));
  await page.waitForSelector('article[data-doc-id] [data-block]');
}

/**
 * Declares a test that gets a fresh app. The test fails if the page reported an
 * uncaught error; on failure a screenshot goes to tests/e2e/artifacts/.
 */
export function appTest(env, name, options, fn) {
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  return test(name, { timeout: options.timeout || 120_000 }, async (t) => {
    const app = await env.open(options);
    let failed = true;
    try {
      await fn(app, t);
      failed = false;
    } finally {
      if (failed) {
        await saveScreenshot(app.page, name);
        if (app.errors.console.length) {
          t.diagnostic('console errors: ' + app.errors.console.join(' | '));
        }
      }
      const pageErrors = (() => {
        try {
          app.assertNoPageErrors();
          return null;
        } catch (e) {
          return e;
        }
      })();
      await app.close();
      if (pageErrors && !failed) throw pageErrors;
      if (pageErrors) t.diagnostic(pageErrors.message);
    }
  });
}

async function saveScreenshot(page, name) {
  try {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, name.replace(/[^\w\u0600-\u06ff-]+/g, '_').slice(0, 120) + '.png');
    await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
  } catch {
    // a crashed page cannot be photographed; the failure itself is reported
  }
}
