#!/usr/bin/env node
// The data-set benchmark (issue 15): 1,000 articles of about 2,000 code points
// (2 M in all) with 20 annotations each, imported into the demo page, then:
// start-up to the first article painted (a reload on #doc=<an article of the
// set>), switching articles with `]` to painted, what storage holds per
// article, and the heap. Figures only: printed next to their budgets, the exit
// status stays 0 (2 when the benchmark itself cannot run).
//
//   node tests/bench/dataset.mjs [--articles N] [--runs N]

import { chromium } from 'playwright-core';
import { startServer } from '../e2e/lib/server.mjs';
import { CHROMIUM_PATH } from '../e2e/lib/browser.mjs';
import { seedParagraphs, seedAnnotationsExport } from './lib/generate.mjs';
import { initScript } from './lib/inpage.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ARTICLES = arg('--articles', 1000);
const RUNS = arg('--runs', 5);
const SWITCHES = 20;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--enable-precise-memory-info'];

/** Article n: its heading, then the seed paragraphs from a place of its own, to about 2,000 code points. */
function articles() {
  const paras = seedParagraphs();
  return Array.from({ length: ARTICLES }, (_, n) => {
    const lines = [`خبر رقم ${n + 1} من مجموعة القياس`];
    let len = lines[0].length;
    for (let k = 0; len < 2000; k++) {
      const p = paras[(n * 7 + k) % paras.length];
      lines.push(p);
      len += [...p].length + 1;
    }
    return { docId: `set-${String(n + 1).padStart(4, '0')}`, text: lines.join('\n') };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

/** Resolves with the time from the next `]` keydown to the next article's highlights painted (two frames). */
function armSwitch(page, next) {
  return page.evaluate((next) => {
    window.__switch = new Promise((resolve) => {
      let t0 = null;
      window.addEventListener('keydown', () => (t0 = performance.now()), { capture: true, once: true });
      const sel = `article[data-doc-id="${next}"] mark[data-annotation-id]`;
      const obs = new MutationObserver(() => {
        if (t0 == null || !document.querySelector(sel)) return;
        obs.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      });
      obs.observe(document.body, { childList: true, subtree: true });
    });
  }, next);
}

async function main() {
  const set = articles();
  const json = seedAnnotationsExport(set, 20, 15);
  const codePoints = set.reduce((n, a) => n + [...a.text].length, 0);
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await context.addInitScript(initScript, { watch: null });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('crash', () => errors.push('the page crashed'));
  process.on('exit', () => errors.length && console.error('page errors:', errors.slice(0, 5).join('\n')));
  const cdp = await context.newCDPSession(page);
  const gc = () => cdp.send('HeapProfiler.collectGarbage').catch(() => {});
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForSelector('main.hashiya[data-ready="true"]');
    const t0 = Date.now();
    await page.click('button[data-action="import"]');
    await page.setInputFiles('input[data-action="import-file"]', { name: 'set.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    const total = ARTICLES + 2;
    await page
      .waitForFunction((t) => document.querySelector('[data-role="progress"] span')?.textContent.includes(`/ ${t}`), total)
      .catch(async (e) => {
        const notice = await page.evaluate(() => document.querySelector('[data-role="notice"]')?.textContent ?? 'no notice');
        throw new Error(`the set was not imported: ${notice}`, { cause: e });
      });
    const importMs = Date.now() - t0;

    // switching, in the session that imported: `]` to the next article, painted
    const target = set[ARTICLES / 2].docId;
    await page.goto(`${server.url}#doc=${target}`, { waitUntil: 'commit' });
    await page.waitForSelector(`article[data-doc-id="${target}"] mark[data-annotation-id]`);
    const switches = [];
    await page.focus(`article[data-doc-id="${target}"]`);
    for (let k = 1; k <= SWITCHES; k++) {
      await gc();
      await armSwitch(page, set[ARTICLES / 2 + k].docId);
      await page.keyboard.press(']');
      switches.push(await page.evaluate(() => window.__switch));
    }
    await gc();
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);

    // storage: every article saved, or storage full (the app says so)
    await page.waitForFunction(
      (n) =>
        Object.keys(localStorage).filter((k) => k.startsWith('hashiya:v1:doc:set-')).length === n ||
        document.querySelector('[data-role="storage-problem"]'),
      ARTICLES,
      { polling: 200 },
    );
    await page.waitForTimeout(1000); // the last writes
    const stored = await page.evaluate(() => {
      const keys = Object.keys(localStorage).filter((k) => k.startsWith('hashiya:v1:doc:set-'));
      const units = keys.map((k) => localStorage.getItem(k).length);
      const all = Object.keys(localStorage).reduce((n, k) => n + k.length + localStorage.getItem(k).length, 0);
      const problem = document.querySelector('[data-role="storage-problem"]')?.textContent ?? null;
      return { saved: keys.length, perArticle: units.reduce((a, b) => a + b, 0) / Math.max(1, units.length), all, problem };
    });

    // start-up: a reload on an article of the set that was saved, to its highlights painted
    const savedIds = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hashiya:v1:doc:set-')).map((k) => k.slice('hashiya:v1:doc:'.length)).sort());
    const restoredTarget = savedIds.includes(target) ? target : savedIds[Math.floor(savedIds.length / 2)];
    const startups = [];
    for (let r = 0; r < RUNS && restoredTarget; r++) {
      await page.evaluate((sel) => sessionStorage.setItem('__benchWatch', sel), `article[data-doc-id="${restoredTarget}"] mark[data-annotation-id]`);
      await page.goto(`${server.url}#doc=${restoredTarget}`, { waitUntil: 'commit' });
      await page.reload({ waitUntil: 'commit' });
      const res = await page.evaluate(() => window.__bench.watch);
      startups.push(res.painted ?? res.t);
    }
    const restored = await page.evaluate(() => document.querySelector('[data-role="progress"] span')?.textContent ?? '');

    const rows = [
      ['articles', `${ARTICLES.toLocaleString('en-US')} (${codePoints.toLocaleString('en-US')} code points, ${(ARTICLES * 20).toLocaleString('en-US')} annotations)`, ''],
      ['import of the set, to listed', `${importMs.toLocaleString('en-US')} ms`, ''],
      [`switching articles with ] to painted (median of ${SWITCHES}, ${ARTICLES.toLocaleString('en-US')} articles in memory)`, `${ms(median(switches))} (max ${ms(Math.max(...switches))})`, `≤ 50 ms: ${median(switches) <= 50 ? 'met' : 'MISSED'}`],
      ['saved in localStorage', `${stored.saved.toLocaleString('en-US')} of ${ARTICLES.toLocaleString('en-US')} articles${stored.problem ? ` (the app: ${stored.problem.trim().slice(0, 80)})` : ''}`, 'all: ' + (stored.saved === ARTICLES ? 'met' : 'MISSED')],
      [`start-up to the first article painted, after a reload (median of ${RUNS}; the list then holds ${restored})`, startups.length ? `${ms(median(startups))} (min ${ms(Math.min(...startups))}, max ${ms(Math.max(...startups))})` : 'n/a', startups.length ? `≤ 500 ms: ${median(startups) <= 500 ? 'met' : 'MISSED'}` : ''],
      ['storage per article', `${Math.round(stored.perArticle).toLocaleString('en-US')} UTF-16 units (all keys: ${(stored.all / 1e6).toFixed(2)} M of about 5.2 M)`, ''],
      ['JS heap after the switches', heap == null ? 'n/a' : `${(heap / 1048576).toFixed(1)} MB`, ''],
    ];
    console.log('| figure | value | budget |\n| --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
