#!/usr/bin/env node
// Hashiya performance benchmark: drives the release build in dist/ in headless
// Debian Chromium and reports bundle size, cold start, import (load) of big
// documents against a plain-text baseline, add and undo latency, scroll frame
// times, restore after reload and memory. Not a pass/fail test: a missed
// budget is reported, never turned into a non-zero exit.
//
//   node tests/bench/run.mjs [--runs N] [--quick] [--runs-1m N] [--sizes 100k,400k,1m]
//                            [--no-cold] [--complete-cap S] [--out FILE] [--report FILE]
//
// See tests/bench/README.md for what each figure means.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startServer, distDir, REPO_ROOT } from '../e2e/lib/server.mjs';
import { dragSelect, docText } from '../e2e/lib/select.mjs';
import { generateDocument, seedAnnotationsExport } from './lib/generate.mjs';
import { initScript, installHelpers } from './lib/inpage.mjs';

// ---------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const o = { runs: null, quick: false, runs1m: null, out: path.join(REPO_ROOT, 'tests', 'bench', 'results', 'latest.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--runs') o.runs = Number(val());
    else if (a.startsWith('--runs=')) o.runs = Number(a.slice(7));
    else if (a === '--runs-1m') o.runs1m = Number(val());
    else if (a.startsWith('--runs-1m=')) o.runs1m = Number(a.slice(10));
    else if (a === '--quick') o.quick = true;
    else if (a === '--sizes') o.sizes = val().split(',');
    else if (a === '--no-cold') o.noCold = true;
    else if (a === '--complete-cap') o.completeCapS = Number(val());
    else if (a === '--report') o.report = path.resolve(val());
    else if (a === '--out') o.out = path.resolve(val());
    else if (a === '-h' || a === '--help') {
      console.log('usage: node tests/bench/run.mjs [--runs N (default 5; 2 with --quick)] [--quick (100k and 400k only)] [--runs-1m N (default min(runs, 3))] [--sizes 100k,400k,1m] [--no-cold] [--complete-cap SECONDS (default 45)] [--out FILE] [--report FILE (print the table of a saved JSON again)]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (o.runs === null) o.runs = o.quick ? 2 : 5;
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs must be a positive integer');
  if (o.runs1m === null) o.runs1m = Math.min(o.runs, 3);
  if (o.completeCapS === undefined) o.completeCapS = 45;
  return o;
}

const opts = parseArgs(process.argv.slice(2));

const CHROMIUM_PATH = process.env.HASHIYA_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
  '--enable-precise-memory-info',
];
const VIEWPORT = { width: 1280, height: 900 };
const READY = 'main.hashiya[data-ready="true"]';
const STORAGE_PREFIX = 'hashiya:v1:doc:';
const MEASURE_TIMEOUT = 180_000;
const SETTLE_CAP_MS = 15_000;
const QUIET_MS = 1000; // "DOM complete": no mutation for this long
const SCROLL_MS = 3000;
const SCROLL_SPEED = 4; // px per ms: a brisk wheel scroll, 4,000 px/s

const ALL_SIZES = [
  { key: '100k', codePoints: 100_000, annotations: 2_000, add: true, restore: true, scroll: false },
  { key: '400k', codePoints: 400_000, annotations: 20_000, add: true, restore: true, scroll: true, memory: true },
  { key: '1m', codePoints: 1_000_000, annotations: 50_000, add: false, restore: true, scroll: false, heavy: true },
];
const SIZES = ALL_SIZES.filter((s) => !(opts.quick && s.heavy) && (!opts.sizes || opts.sizes.includes(s.key)));

const BUDGET = {
  bundleGzipKB: 150,
  load: { '100k': 100, '400k': 300 },
  add: 16,
  undo: 16,
  scrollP95: 20,
  restore: { '400k': 300 },
};

// ---------------------------------------------------------------------------
// Small helpers

const log = (...a) => console.error('[bench]', ...a);
const round = (x, d = 1) => (x == null || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

function stats(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median: round(median, 2), min: round(v[0], 2), max: round(v[v.length - 1], 2), n: v.length };
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms);
    }),
  ]);
}

function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Bundle size (no browser needed)

function bundleOf(dir, recursive) {
  if (!fs.existsSync(dir)) return null;
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        // snippets/ holds wasm-bindgen's inline JS, part of the page; embed/ is counted on its own
        if (recursive || e.name === 'snippets') walk(p);
      } else if (/\.(wasm|js|mjs|css)$/.test(e.name)) files.push(p);
    }
  };
  walk(dir);
  if (!files.length) return null;
  const out = { files: [], raw: 0, gzip: 0 };
  for (const f of files.sort()) {
    const buf = fs.readFileSync(f);
    const gz = zlib.gzipSync(buf, { level: 9 }).length;
    out.files.push({ file: path.relative(dir, f), raw: buf.length, gzip: gz });
    out.raw += buf.length;
    out.gzip += gz;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Browser plumbing

async function newPage(browser, { watch = null, storageState } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, storageState });
  await context.addInitScript(initScript, { watch });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e && e.message ? e.message : e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('crash', () => errors.push('the page crashed'));
  const cdp = await context.newCDPSession(page);
  const gc = async () => {
    await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
  };
  await cdp.send('Performance.enable').catch(() => {});
  /** Chromium's own counters of style recalculation and layout, in ms. */
  const styleAndLayout = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] }));
    const get = (name) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { style: get('RecalcStyleDuration'), layout: get('LayoutDuration') };
  };
  return { context, page, errors, gc, styleAndLayout, close: () => context.close().catch(() => {}) };
}

async function waitReady(page) {
  await page.waitForSelector(READY, { timeout: 60_000 });
  await page.evaluate(() => document.fonts && document.fonts.ready.then(() => undefined));
  await page.waitForSelector('article[data-doc-id] [data-block]');
  await page.evaluate(installHelpers);
}

async function gotoApp(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await waitReady(page);
}

/** Long tasks that overlapped [t0, t0 + duration], read a few frames later (entries arrive late). */
async function longTasksAfter(page, t0, duration) {
  if (t0 == null || duration == null) return null;
  return page.evaluate(
    async ([a, b]) => {
      await window.__benchH.frames(3);
      await new Promise((r) => setTimeout(r, 50));
      return window.__benchH.longTasksIn(a, b);
    },
    [t0, t0 + duration],
  );
}

async function noticeTitle(page) {
  return page
    .evaluate(() => {
      const n = document.querySelector('[data-role="notice"][data-kind="error"]');
      return n ? n.getAttribute('title') || n.textContent : null;
    })
    .catch(() => null);
}

// ---------------------------------------------------------------------------
// Scenarios

/** Cold start: navigation to the seed articles painted with 20 stored annotations. */
async function coldStart(browser, url, runs) {
  // A first visit stores 10 annotations on each seed article, through the import UI.
  const first = await newPage(browser);
  let storageState;
  let prefill;
  try {
    await gotoApp(first.page, url);
    const ids = await first.page.$$eval('article[data-doc-id]', (as) => as.map((a) => a.dataset.docId));
    const articles = [];
    for (const docId of ids) articles.push({ docId, text: await docText(first.page, docId) });
    const json = seedAnnotationsExport(articles, 10);
    await first.page.click('button[data-action="import"]');
    await first.page.waitForSelector('textarea[data-role="import-text"]');
    await first.page.evaluate((s) => (document.querySelector('textarea[data-role="import-text"]').value = s), json);
    await first.page.click('button[data-action="import-text"]');
    await first.page.waitForFunction(
      ([ids, prefix]) =>
        document.querySelector('[data-role="notice"][data-kind="error"]') ||
        ids.every((id) => {
          const raw = localStorage.getItem(prefix + id);
          return raw && JSON.parse(raw).annotations.length >= 10;
        }),
      [ids, STORAGE_PREFIX],
      { timeout: 30_000 },
    );
    const err = await noticeTitle(first.page);
    if (err) throw new Error(`prefilling the seed annotations failed: ${err}`);
    prefill = await first.page.evaluate((prefix) => {
      let n = 0;
      for (let i = 0; i < localStorage.length; i++) {
        const k = localStorage.key(i);
        if (k.startsWith(prefix)) n += JSON.parse(localStorage.getItem(k)).annotations.length;
      }
      return n;
    }, STORAGE_PREFIX);
    storageState = await first.context.storageState();
  } finally {
    await first.close();
  }
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const p = await newPage(browser, { watch: 'article[data-doc-id] mark[data-annotation-id]', storageState });
    try {
      await p.page.goto(url, { waitUntil: 'commit' });
      const res = await withTimeout(p.page.evaluate(() => window.__bench.watch), MEASURE_TIMEOUT, 'cold start');
      await p.page.evaluate(installHelpers);
      Object.assign(
        res,
        await p.page.evaluate(async () => {
          await window.__benchH?.frames?.(2);
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          const fp = performance.getEntriesByName('first-paint')[0];
          return {
            marks: document.querySelectorAll('mark[data-annotation-id]').length,
            fcp: fcp ? fcp.startTime : null,
            firstPaint: fp ? fp.startTime : null,
          };
        }),
      );
      samples.push(res);
      log(`cold start run ${r + 1}/${runs}: ${round(res.painted)} ms (${res.marks} marks)`);
    } finally {
      await p.close();
    }
  }
  return { prefilledAnnotations: prefill, samples };
}

/**
 * How many times a run adds and undoes after its first add. The first add
 * of a page runs code the engine has not optimised yet (wasm starts in a
 * baseline tier); an annotator's hundreds of adds after it are the ones the
 * budget is about, so it is judged on these, and the first is shown apart.
 */
const ADD_REPEATS = 6;

/** Add (real mouse selection + key 1) and then undo (Ctrl+Z), timed in the page, 1 + ADD_REPEATS times. */
async function addAndUndo(page, p, gen, out) {
  if (!gen.probe) throw new Error('no probe word for the add benchmark');
  // Close the import panel first, as a user does: open, it makes the sticky
  // masthead tall enough (about 530 px once the toolbar wraps) to cover the
  // probe word, and the drag would press on the masthead.
  if (await page.$('button[data-action="import"][aria-expanded="true"]')) {
    await page.click('button[data-action="import"]');
    await page.waitForSelector('[data-role="import-panel"]', { state: 'detached' });
  }
  await p.gc();
  await page.evaluate(() => window.__benchH.armIdleKey());
  await page.keyboard.press('F8');
  out.idleKey = await withTimeout(page.evaluate(() => window.__benchKey), 60_000, 'idle key');
  await page.evaluate(() => window.__benchH.frames(3));
  out.adds = [];
  out.undos = [];
  for (let k = 0; k <= ADD_REPEATS; k++) {
    const first = k === 0;
    const probe = gen.probe;
    const selecting = dragSelect(page, { docId: gen.docId, u: probe.start }, { docId: gen.docId, u: probe.end });
    selecting.catch(() => {}); // a timed-out drag may fail later, when the page closes
    await withTimeout(selecting, 60_000, `selecting "${probe.word}" with the mouse`);
    await p.gc();
    await page.evaluate((a) => window.__benchH.armKey(a), { docId: gen.docId, kind: 'add', key: '1', ctrl: false });
    const before = first && (await p.styleAndLayout());
    await page.keyboard.press('1');
    const add = await withTimeout(page.evaluate(() => window.__benchKey), 60_000, 'add');
    if (first) {
      const after = await p.styleAndLayout();
      add.style = after.style - before.style;
      add.layout = after.layout - before.layout;
      out.add = add;
    }
    if (add.error) {
      // a later round's failure keeps the figures of the rounds before it
      if (first) out.addError = add.error;
      else out.laterError = `add ${k + 1} of ${1 + ADD_REPEATS}: ${add.error}`;
      return;
    }
    add.longTasks = await longTasksAfter(page, add.t0, add.painted);
    if (!first) out.adds.push(add);
    await page.evaluate(() => window.__benchH.frames(3));
    await p.gc();
    await page.evaluate((a) => window.__benchH.armKey(a), { docId: gen.docId, kind: 'undo', key: 'z', ctrl: true, id: add.newId });
    await page.keyboard.press('Control+z');
    const undo = await withTimeout(page.evaluate(() => window.__benchKey), 60_000, 'undo');
    if (undo.error) {
      if (first) out.undoError = undo.error;
      else out.laterError = `undo ${k + 1} of ${1 + ADD_REPEATS}: ${undo.error}`;
      return;
    }
    undo.longTasks = await longTasksAfter(page, undo.t0, undo.painted);
    if (first) out.undo = undo;
    else out.undos.push(undo);
    await page.evaluate(() => window.__benchH.frames(3));
  }
}

/**
 * In the page: when `key` points to IndexedDB, the record's annotations and
 * length in UTF-16 units, once it is there; null when the key holds the record.
 */
async function keptInIndexedDb(key) {
  const raw = localStorage.getItem(key);
  if (!raw || !JSON.parse(raw).kept_in) return null;
  const db = await new Promise((resolve, reject) => {
    const o = indexedDB.open('hashiya', 1);
    o.onsuccess = () => resolve(o.result);
    o.onerror = () => reject(o.error);
  });
  const rec = await new Promise((resolve, reject) => {
    const g = db.transaction('records').objectStore('records').get(key);
    g.onsuccess = () => resolve(g.result);
    g.onerror = () => reject(g.error);
  });
  db.close();
  return { annotations: JSON.parse(rec).annotations.length, units: rec.length };
}

/** One run of one size: baseline, import, memory, add, undo, scroll, restore. */
async function sizeRun(browser, url, size, gen, r) {
  const out = { run: r + 1, phases: {} };
  let phaseStart = Date.now();
  const phase = (name) => {
    out.phases[name] = round((Date.now() - phaseStart) / 1000, 1);
    phaseStart = Date.now();
  };
  const p = await newPage(browser);
  const { page } = p;
  try {
    await gotoApp(page, url);
    // Hand the document to the page before any clock starts.
    await page.click('button[data-action="import"]');
    await page.waitForSelector('textarea[data-role="import-text"]');
    await page.evaluate((s) => {
      document.querySelector('textarea[data-role="import-text"]').value = s;
    }, gen.json);
    phase('open');

    // Plain-text baseline, in the same page, before the import.
    await p.gc();
    out.baseline = await page.evaluate(() => {
      const v = document.querySelector('textarea[data-role="import-text"]').value;
      return window.__benchH.baseline(JSON.parse(v).documents[0].text.split('\n'));
    });

    // Load through the import UI.
    await p.gc();
    await page.evaluate(([id, cap]) => window.__benchH.armImport(id, cap), [gen.docId, SETTLE_CAP_MS]);
    await page.click('button[data-action="import-text"]');
    const load = await withTimeout(page.evaluate(() => window.__benchImport), MEASURE_TIMEOUT, `import of ${size.key}`);
    out.load = load;
    phase('baseline+load');
    if (!load.error) load.longTasks = await longTasksAfter(page, load.t0, load.settled);
    if (load.error) {
      out.error = `import failed: ${load.error}`;
      return out;
    }
    // Before anything else touches the page, let a progressive renderer
    // finish: no DOM mutation for QUIET_MS (sizes with later steps only).
    if (size.add || size.scroll || size.restore) {
      out.complete = await page.evaluate(
        ([id, q, cap]) => window.__benchH.waitQuiet(id, q, cap),
        [gen.docId, QUIET_MS, opts.completeCapS * 1000],
      );
      if (out.complete.capped) out.completeNote = `DOM still changing after ${opts.completeCapS} s (${out.complete.articleBlocks}/${gen.stats.blocks} blocks)`;
    } else {
      await page.evaluate(() => window.__benchTrack?.stop?.());
    }
    phase('complete');

    {
      await p.gc();
      out.memory = await page.evaluate(() => ({
        jsHeapUsed: performance.memory ? performance.memory.usedJSHeapSize : null,
        jsHeapTotal: performance.memory ? performance.memory.totalJSHeapSize : null,
        wasmMemory: window.__bench && window.__bench.wasm && window.__bench.wasm.memory ? window.__bench.wasm.memory.buffer.byteLength : null,
        domElements: document.getElementsByTagName('*').length,
      }));
    }

    phase('memory');
    if (size.add && out.complete?.capped) {
      out.addSkipped = `not measured: the DOM was still changing after ${opts.completeCapS} s; a drag selection does not survive blocks being redrawn under it`;
    } else if (size.add) {
      try {
        await addAndUndo(page, p, gen, out);
      } catch (e) {
        out.addError = String(e.message || e).split('\n')[0];
      }
      phase('add+undo');
    }
    if (size.scroll) {
      await p.gc();
      out.scroll = await page.evaluate(
        (a) => window.__benchH.scroll(a),
        { docId: gen.docId, durationMs: SCROLL_MS, speed: SCROLL_SPEED, through: false },
      );
      await p.gc();
      out.scrollThrough = await page.evaluate(
        (a) => window.__benchH.scroll(a),
        { docId: gen.docId, durationMs: SCROLL_MS, through: true },
      );
      // The same text as plain <p>s with the app's CSS, the app hidden.
      const lines = gen.text.split('\n');
      await p.gc();
      out.scrollBaseline = await page.evaluate(
        ([l, a]) => window.__benchH.scrollBaseline(l, a),
        [lines, { durationMs: SCROLL_MS, speed: SCROLL_SPEED, through: false }],
      );
      await p.gc();
      out.scrollThroughBaseline = await page.evaluate(
        ([l, a]) => window.__benchH.scrollBaseline(l, a),
        [lines, { durationMs: SCROLL_MS, through: true }],
      );
    }

    phase('scroll');
    // Restore: the import was saved to localStorage (when it fit); reload.
    const problem = await page.evaluate(() => window.__benchH.storageProblem());
    out.storageProblem = problem;
    if (size.restore) {
      const key = STORAGE_PREFIX + gen.docId;
      const savedAnns = await page
        .waitForFunction(
          (k) => {
            const raw = localStorage.getItem(k);
            const rec = raw && JSON.parse(raw);
            // a pointer: the record went to IndexedDB (read below)
            if (rec) return rec.kept_in ? 'indexeddb' : rec.annotations.length;
            return document.querySelector('[data-role="storage-problem"]') ? -1 : false;
          },
          key,
          { timeout: 30_000, polling: 100 },
        )
        .then((h) => h.jsonValue())
        .catch(() => null);
      if (savedAnns == null || savedAnns === -1) {
        const why = (await page.evaluate(() => window.__benchH.storageProblem())) || 'the article was not found in localStorage';
        out.restore = { skipped: `not saved: ${why}` };
      } else {
        const kept = await page.evaluate(keptInIndexedDb, key);
        out.keptIn = kept ? 'IndexedDB' : 'localStorage';
        out.savedAnnotations = kept ? kept.annotations : savedAnns;
        out.storedBytes = kept ? kept.units * 2 : await page.evaluate((k) => localStorage.getItem(k).length * 2, key);
        await page.evaluate(
          (sel) => sessionStorage.setItem('__benchWatch', sel),
          `article[data-doc-id="${gen.docId}"] mark[data-annotation-id]`,
        );
        await page.reload({ waitUntil: 'commit' });
        const res = await withTimeout(page.evaluate(() => window.__bench.watch), MEASURE_TIMEOUT, `restore of ${size.key}`);
        res.articleMarks = await page.$$eval(`article[data-doc-id="${gen.docId}"] mark[data-annotation-id]`, (m) => m.length);
        out.restore = res;
      }
      phase('restore');
    }
  } catch (e) {
    const n = await noticeTitle(page);
    out.error = String(e.message || e).split('\n')[0] + (n ? ` (app notice: ${n})` : '');
  } finally {
    out.pageErrors = p.errors.slice(0, 5);
    await p.close();
  }
  return out;
}

// ---------------------------------------------------------------------------
// Report

const fmtMs = (x) => (x == null ? 'n/a' : x >= 100 ? `${Math.round(x).toLocaleString('en-US')} ms` : `${x.toFixed(1)} ms`);
const fmtKB = (b) => (b == null ? 'n/a' : `${(b / 1024).toFixed(1)} KB`);
const fmtMB = (b) => (b == null ? 'n/a' : `${(b / 1048576).toFixed(1)} MB`);
const verdict = (value, budget) => (value == null || budget == null ? '' : value <= budget ? 'met' : 'MISSED');

function table(rows) {
  const head = ['figure', 'scenario', 'median', 'min', 'max', 'budget', 'status', 'notes'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    lines.push(
      `| ${[r.figure, r.scenario, r.median ?? 'n/a', r.min ?? '', r.max ?? '', r.budget ?? '', r.status ?? '', r.notes ?? '']
        .map((c) => String(c).replace(/\|/g, '\\|'))
        .join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** "longest task 120 ms" from the medians; long tasks are those of 50 ms or more. */
function ltNote(longest, total) {
  if (!longest) return '';
  if (longest.median === 0) return 'no long task (≥ 50 ms)';
  return `longest task ${fmtMs(longest.median)}` + (total ? `, long tasks total ${fmtMs(total.median)}` : '');
}

function msRow(figure, scenario, st, budget, notes = '') {
  if (!st) return { figure, scenario, median: 'n/a', budget: budget != null ? `≤ ${budget} ms` : '', notes };
  return {
    figure,
    scenario,
    median: fmtMs(st.median),
    min: fmtMs(st.min),
    max: fmtMs(st.max),
    budget: budget != null ? `≤ ${budget} ms` : '',
    status: verdict(st.median, budget),
    notes: [`n=${st.n}`, notes].filter(Boolean).join('; '),
  };
}

// ---------------------------------------------------------------------------
// Main

async function main() {
  const started = Date.now();
  const dist = distDir();
  const result = {
    machine: {
      date: new Date().toISOString(),
      git_commit: sh('git', ['rev-parse', '--short', 'HEAD']),
      git_dirty: (sh('git', ['status', '--porcelain', '--', 'src', 'styles', 'index.html', 'Cargo.toml']) || '') !== '',
      nproc: Number(sh('nproc', [])) || os.cpus().length,
      cpu: os.cpus()[0]?.model ?? null,
      memory_gb: round(os.totalmem() / 2 ** 30, 1),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      playwright_core: createRequire(import.meta.url)('playwright-core/package.json').version,
      chromium: null,
      loadavg_start: os.loadavg().map((x) => round(x, 2)),
      loadavg_end: null,
      chromium_args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
    },
    options: { runs: opts.runs, runs_1m: opts.runs1m, quick: opts.quick, complete_cap_s: opts.completeCapS },
    budgets: BUDGET,
    bundle: { demo: bundleOf(dist, false), embed: bundleOf(path.join(dist, 'embed'), true) },
    documents: {},
    cold_start: null,
    sizes: {},
  };

  const server = await startServer(dist);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  result.machine.chromium = browser.version();
  log(`Chromium ${browser.version()}, ${result.machine.nproc} cores, serving ${dist} at ${server.url}`);
  try {
    if (!opts.noCold) try {
      result.cold_start = await coldStart(browser, server.url, opts.runs);
    } catch (e) {
      result.cold_start = { error: String(e.message || e).split('\n')[0], samples: [] };
      log('cold start failed:', result.cold_start.error);
    }
    for (const size of SIZES) {
      const gen = generateDocument({ codePoints: size.codePoints, annotations: size.annotations, seed: size.codePoints });
      result.documents[size.key] = { doc_id: gen.docId, ...gen.stats, probe_word: gen.probe?.word ?? null };
      const runs = size.heavy ? opts.runs1m : opts.runs;
      log(`${size.key}: ${gen.stats.code_points} code points, ${gen.stats.blocks} blocks, ${gen.stats.annotations} annotations (${gen.stats.nested_in_claims} inside claims), ${(gen.stats.json_bytes / 1048576).toFixed(1)} MB JSON; ${runs} run(s)`);
      const samples = [];
      for (let r = 0; r < runs; r++) {
        const t = Date.now();
        const s = await sizeRun(browser, server.url, size, gen, r);
        samples.push(s);
        log(
          `  run ${r + 1}/${runs} (${((Date.now() - t) / 1000).toFixed(1)} s): ` +
            (s.error
              ? `ERROR ${s.error}`
              : `load ${round(s.load?.painted)} ms (settled ${round(s.load?.settled)}), baseline ${round(s.baseline?.painted)} ms` +
                (s.add ? `, first add ${round(s.add.painted)} ms, undo ${round(s.undo?.painted)} ms; later adds ${(s.adds || []).map((a) => round(a.painted)).join('/')} ms, undos ${(s.undos || []).map((u) => round(u.painted)).join('/')} ms` : '') +
                (s.restore ? `, restore ${s.restore.skipped ? 'skipped' : round(s.restore.painted) + ' ms'}` : '')) +
            ` [phases s: ${Object.entries(s.phases || {}).map(([k, v]) => `${k} ${v}`).join(', ')}]`,
        );
      }
      result.sizes[size.key] = { runs: samples };
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  }
  result.duration_s = round((Date.now() - started) / 1000, 1);
  result.machine.loadavg_end = os.loadavg().map((x) => round(x, 2));
  const text = report(result);
  console.log(text);
  result.report_markdown = text;
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, JSON.stringify(result, null, 2) + '\n');
  log(`wrote ${path.relative(process.cwd(), opts.out)}`);
}

/**
 * Summaries (stored into `result`) and the Markdown report, from the raw runs;
 * `--report FILE` prints it again from a saved JSON.
 */
function report(result) {
  const o = result.options;
  const sizes = ALL_SIZES.filter((s) => result.sizes[s.key]);
  const rows = [];
  const notes = [];
  const demo = result.bundle.demo;
  const embed = result.bundle.embed;
  rows.push({
    figure: 'bundle, gzip -9',
    scenario: 'demo page: wasm + js + css',
    median: fmtKB(demo?.gzip),
    budget: `≤ ${BUDGET.bundleGzipKB} KB`,
    status: demo ? verdict(demo.gzip / 1024, BUDGET.bundleGzipKB) : '',
    notes: demo ? demo.files.map((f) => `${f.file.replace(/-[0-9a-f]{16}/, '')} ${fmtKB(f.gzip)}`).join(', ') : 'no dist/',
  });
  rows.push({ figure: 'bundle, raw', scenario: 'demo page: wasm + js + css', median: fmtKB(demo?.raw), notes: demo ? demo.files.map((f) => `${f.file.replace(/-[0-9a-f]{16}/, '')} ${fmtKB(f.raw)}`).join(', ') : '' });
  rows.push({ figure: 'bundle, gzip -9', scenario: 'embed (dist/embed/)', median: embed ? fmtKB(embed.gzip) : 'n/a', notes: embed ? `raw ${fmtKB(embed.raw)}` : 'dist/embed/ does not exist' });

  const cs = result.cold_start;
  const csSamples = cs?.samples ?? [];
  result.summary = { cold_start: stats(csSamples.map((s) => s.painted)) };
  if (cs) {
    rows.push(
      msRow('cold start', `navigation → seed articles painted with ${cs.prefilledAnnotations ?? '?'} stored annotations`, result.summary.cold_start, null,
        cs.error ? `error: ${cs.error}` : `TrunkApplicationStarted at ${fmtMs(stats(csSamples.map((s) => s.appStarted))?.median)}, first contentful paint (as Chromium reports it) ${fmtMs(stats(csSamples.map((s) => s.fcp))?.median)}`),
    );
  } else {
    rows.push({ figure: 'cold start', scenario: 'not run (--no-cold)', median: 'n/a' });
  }

  const growth = [];
  for (const size of sizes) {
    const sr = result.sizes[size.key];
    if (!sr) continue;
    const doc = result.documents[size.key];
    const ok = sr.runs.filter((s) => !s.error || s.load?.painted != null);
    const label = `${size.key}/${(size.annotations / 1000).toString()}k`;
    const errs = [...new Set(sr.runs.filter((s) => s.error).map((s) => s.error))];
    for (const e of errs) notes.push(`${label}: ${e}`);
    const pe = [...new Set(sr.runs.flatMap((s) => s.pageErrors || []))];
    for (const e of pe) notes.push(`${label}: page error: ${e}`);
    const sm = {
      load: stats(ok.map((s) => s.load?.painted)),
      load_listed: stats(ok.map((s) => s.load?.listed)),
      load_marks_in_dom: stats(ok.map((s) => s.load?.marksAt)),
      load_settled: stats(ok.map((s) => s.load?.settled)),
      load_complete: stats(ok.filter((s) => s.complete && !s.complete.capped).map((s) => s.complete.complete)),
      marks_first_paint: stats(ok.map((s) => s.load?.marksInFirstPaint)),
      load_complete_capped: ok.filter((s) => s.complete?.capped).length,
      baseline: stats(ok.map((s) => s.baseline?.painted)),
      ratio: stats(ok.filter((s) => s.load?.painted != null && s.baseline?.painted).map((s) => s.load.painted / s.baseline.painted)),
      load_longest_task: stats(ok.map((s) => s.load?.longTasks?.longest)),
      load_long_total: stats(ok.map((s) => s.load?.longTasks?.total)),
      add_first: stats(ok.map((s) => s.add?.painted)),
      add: stats(ok.flatMap((s) => (s.adds || []).map((a) => a.painted))),
      idle_key: stats(ok.map((s) => s.idleKey?.painted)),
      add_style: stats(ok.map((s) => s.add?.style)),
      add_layout: stats(ok.map((s) => s.add?.layout)),
      add_longest_task: stats(ok.flatMap((s) => (s.adds || []).map((a) => a.longTasks?.longest))),
      undo_first: stats(ok.map((s) => s.undo?.painted)),
      undo: stats(ok.flatMap((s) => (s.undos || []).map((u) => u.painted))),
      undo_longest_task: stats(ok.flatMap((s) => (s.undos || []).map((u) => u.longTasks?.longest))),
      restore: stats(ok.map((s) => s.restore?.painted)),
      js_heap: stats(ok.map((s) => s.memory?.jsHeapUsed)),
      wasm_memory: stats(ok.map((s) => s.memory?.wasmMemory)),
      dom_elements: stats(ok.map((s) => s.memory?.domElements)),
    };
    if (size.scroll) {
      const p = (key, q) => stats(ok.filter((s) => s[key]?.deltas?.length).map((s) => percentile([...s[key].deltas].sort((a, b) => a - b), q)));
      sm.scroll_p50 = p('scroll', 50);
      sm.scroll_p95 = p('scroll', 95);
      sm.scroll_through_p50 = p('scrollThrough', 50);
      sm.scroll_through_p95 = p('scrollThrough', 95);
      sm.scroll_baseline_p50 = p('scrollBaseline', 50);
      sm.scroll_baseline_p95 = p('scrollBaseline', 95);
      sm.scroll_through_baseline_p50 = p('scrollThroughBaseline', 50);
      sm.scroll_through_baseline_p95 = p('scrollThroughBaseline', 95);
      sm.scroll_worst = stats(ok.filter((s) => s.scroll?.deltas?.length).map((s) => Math.max(...s.scroll.deltas)));
      sm.scroll_through_worst = stats(ok.filter((s) => s.scrollThrough?.deltas?.length).map((s) => Math.max(...s.scrollThrough.deltas)));
    }
    sr.summary = sm;
    const storage = [...new Set(ok.map((s) => s.load?.storageProblem || s.storageProblem).filter(Boolean))];
    const runsNote = size.heavy && o.runs_1m < o.runs ? `${o.runs_1m} runs only (slow)` : '';
    const scen = `${doc.code_points.toLocaleString('en-US')} cp, ${doc.blocks.toLocaleString('en-US')} blocks, ${doc.annotations.toLocaleString('en-US')} ann. (${doc.nested_in_claims.toLocaleString('en-US')} nested)`;
    rows.push(
      msRow(`load ${label}`, `import → listed → opened by its #doc= link → first marks painted; ${scen}`, sm.load, BUDGET.load[size.key],
        [runsNote, sm.load_listed && `listed ${fmtMs(sm.load_listed.median)}`, sm.marks_first_paint && `${Math.round(sm.marks_first_paint.median).toLocaleString('en-US')} marks in the DOM at first paint`, sm.load_marks_in_dom && `marks in DOM ${fmtMs(sm.load_marks_in_dom.median)}`, sm.load_settled && `no mutation for a frame at ${fmtMs(sm.load_settled.median)}`,
          sm.load_complete && `DOM complete (quiet ${QUIET_MS / 1000} s) at ${fmtMs(sm.load_complete.median)}`,
          sm.load_complete_capped && `${sm.load_complete_capped} run(s): DOM still changing after ${o.complete_cap_s} s`,
          ltNote(sm.load_longest_task, sm.load_long_total), storage.length && `storage warning: ${storage.join(' / ')}`, errs.length && `errors: ${errs.join(' / ')}`]
          .filter(Boolean).join('; ')),
    );
    rows.push(msRow(`baseline ${size.key}`, 'same text as plain <p>s, built + painted', sm.baseline, null));
    rows.push({ figure: `load / baseline ${size.key}`, scenario: 'ratio, per run', median: sm.ratio ? `${sm.ratio.median.toFixed(2)}×` : 'n/a', min: sm.ratio ? `${sm.ratio.min.toFixed(2)}×` : '', max: sm.ratio ? `${sm.ratio.max.toFixed(2)}×` : '' });
    if (sm.load) growth.push({ key: size.key, cp: doc.code_points, ann: doc.annotations, load: sm.load.median, settled: sm.load_settled?.median, complete: sm.load_complete?.median, baseline: sm.baseline?.median, restore: sm.restore?.median, wasm: sm.wasm_memory?.median });
    if (size.add) {
      const reasons = new Map();
      for (const s of sr.runs) {
        const w = s.addSkipped || s.addError || s.undoError || s.laterError;
        if (w) reasons.set(w, [...(reasons.get(w) || []), s]);
      }
      for (const [w, rs] of reasons) {
        const drawn = rs.map((s) => s.complete?.articleBlocks).filter((n) => n != null);
        notes.push(
          `${label} add/undo, ${rs.length} run(s): ${w}` +
            (rs[0].addSkipped && drawn.length ? ` (${Math.min(...drawn).toLocaleString('en-US')}–${Math.max(...drawn).toLocaleString('en-US')} of ${doc.blocks.toLocaleString('en-US')} blocks drawn by then)` : ''),
        );
      }
      const skippedRuns = sr.runs.filter((s) => s.addSkipped || s.addError).length;
      const skipNote = skippedRuns ? `${skippedRuns} run(s) without a figure (see notes)` : '';
      const onIdle = (st) => (st && sm.idle_key ? `${(st.median - sm.idle_key.median >= 0 ? '+' : '')}${(st.median - sm.idle_key.median).toFixed(1)} ms on the idle key` : '');
      rows.push(msRow(`idle key @${(size.annotations / 1000)}k`, 'F8, which does nothing: keydown → next rAF (the soonest a key\'s change can paint here)', sm.idle_key, null));
      rows.push(msRow(`first add @${(size.annotations / 1000)}k`, 'the page\'s first add: mouse-selected word + key 1, keydown → new mark painted (1 rAF); code not optimised yet', sm.add_first, null,
        [onIdle(sm.add_first), sm.add_style && `style ${fmtMs(sm.add_style.median)}, layout ${fmtMs(sm.add_layout?.median)} (Chromium's counters, up to the paint)`, skipNote].filter(Boolean).join('; ')));
      rows.push(msRow(`add @${(size.annotations / 1000)}k`, `the ${ADD_REPEATS} adds after it, each run: keydown → new mark painted (1 rAF)`, sm.add, BUDGET.add,
        [onIdle(sm.add), ltNote(sm.add_longest_task), skipNote].filter(Boolean).join('; ')));
      rows.push(msRow(`first undo @${(size.annotations / 1000)}k`, 'Ctrl+Z of the first add: keydown → that mark gone, painted (1 rAF)', sm.undo_first, null, onIdle(sm.undo_first)));
      rows.push(msRow(`undo @${(size.annotations / 1000)}k`, `Ctrl+Z of each of the ${ADD_REPEATS} adds after it`, sm.undo, BUDGET.undo,
        [onIdle(sm.undo), ltNote(sm.undo_longest_task)].filter(Boolean).join('; ')));
    }
    if (size.scroll) {
      rows.push(msRow(`scroll p50 ${size.key}`, `rAF deltas, ${SCROLL_SPEED * 1000} px/s for ${SCROLL_MS / 1000} s from the article top`, sm.scroll_p50, null,
        sm.load_complete_capped ? `${sm.load_complete_capped} run(s) scrolled while the DOM was still being built` : ''));
      rows.push(msRow(`scroll p95 ${size.key}`, `same`, sm.scroll_p95, BUDGET.scrollP95, sm.scroll_worst ? `worst frame ${fmtMs(sm.scroll_worst.median)}` : ''));
      rows.push(msRow(`scroll baseline p50/p95 ${size.key}`, 'same scroll over the same text as plain <p>s, app CSS, app hidden', sm.scroll_baseline_p50, null,
        sm.scroll_baseline_p95 ? `p95 median ${fmtMs(sm.scroll_baseline_p95.median)} (min ${fmtMs(sm.scroll_baseline_p95.min)}, max ${fmtMs(sm.scroll_baseline_p95.max)})` : ''));
      rows.push(msRow(`scroll-through p50 ${size.key}`, `rAF deltas, whole article top → bottom in ${SCROLL_MS / 1000} s`, sm.scroll_through_p50, null));
      rows.push(msRow(`scroll-through p95 ${size.key}`, 'same', sm.scroll_through_p95, BUDGET.scrollP95, sm.scroll_through_worst ? `worst frame ${fmtMs(sm.scroll_through_worst.median)}` : ''));
      rows.push(msRow(`scroll-through baseline p50/p95 ${size.key}`, 'same, plain <p>s, app CSS, app hidden', sm.scroll_through_baseline_p50, null,
        sm.scroll_through_baseline_p95 ? `p95 median ${fmtMs(sm.scroll_through_baseline_p95.median)} (min ${fmtMs(sm.scroll_through_baseline_p95.min)}, max ${fmtMs(sm.scroll_through_baseline_p95.max)})` : ''));
    }
    if (size.restore) {
      const skipped = [...new Set(ok.map((s) => s.restore?.skipped).filter(Boolean))];
      const stored = stats(ok.map((s) => s.storedBytes));
      const appStarted = stats(ok.map((s) => s.restore?.appStarted));
      rows.push(msRow(`restore ${label}`, 'reload → that article\'s marks painted (from navigation start)', sm.restore, BUDGET.restore[size.key],
        [skipped.length && `skipped: ${skipped.join(' / ')}`,
          stored && `stored record ${fmtMB(stored.median)} (UTF-16) in ${[...new Set(ok.map((s) => s.keptIn).filter(Boolean))].join(' / ')}`,
          appStarted && `TrunkApplicationStarted at ${fmtMs(appStarted.median)}`].filter(Boolean).join('; ')));
    } else {
      rows.push({ figure: `restore ${label}`, scenario: 'not measured for this size', median: 'n/a', notes: storage.length ? `storage warning: ${storage.join(' / ')}` : '' });
    }
    if (size.memory) {
      rows.push({ figure: `JS heap ${label}`, scenario: 'performance.memory.usedJSHeapSize after import, after GC', median: fmtMB(sm.js_heap?.median), min: fmtMB(sm.js_heap?.min), max: fmtMB(sm.js_heap?.max), notes: sm.dom_elements ? `${Math.round(sm.dom_elements.median).toLocaleString('en-US')} DOM elements` : '' });
      rows.push({ figure: `wasm memory ${label}`, scenario: 'wasm memory.buffer.byteLength after import', median: fmtMB(sm.wasm_memory?.median), min: fmtMB(sm.wasm_memory?.min), max: fmtMB(sm.wasm_memory?.max) });
    }
  }
  result.growth = growth.map((g) => ({
    ...g,
    load_ms_per_100k_cp: round((g.load / g.cp) * 100_000, 1),
    settled_ms_per_100k_cp: g.settled != null ? round((g.settled / g.cp) * 100_000, 1) : null,
    complete_ms_per_100k_cp: g.complete != null ? round((g.complete / g.cp) * 100_000, 1) : null,
    baseline_ms_per_100k_cp: g.baseline != null ? round((g.baseline / g.cp) * 100_000, 1) : null,
    restore_ms_per_100k_cp: g.restore != null ? round((g.restore / g.cp) * 100_000, 1) : null,
    wasm_bytes_per_100k_cp: g.wasm != null ? Math.round((g.wasm / g.cp) * 100_000) : null,
  }));

  // Output
  const m = result.machine;
  const outLines = [];
  outLines.push(`## Hashiya benchmark — ${m.date}`);
  outLines.push('');
  outLines.push(`commit ${m.git_commit}${m.git_dirty ? ' (+ uncommitted changes in src/)' : ''} · Chromium ${m.chromium} · ${m.nproc} cores · ${m.memory_gb} GB · node ${m.node} · ${o.runs} runs${sizes.some((s) => s.heavy) ? ` (1m: ${o.runs_1m})` : ''} · ${result.duration_s} s`);
  outLines.push('');
  outLines.push(table(rows));
  outLines.push('');
  outLines.push('Growth (medians per 100,000 code points; constant means linear; wasm memory is the high-water mark once the whole article is drawn):');
  outLines.push('');
  outLines.push('| size | annotations | load | load per 100k cp | no-mutation frame per 100k cp | DOM complete per 100k cp | baseline per 100k cp | restore per 100k cp | wasm memory | wasm memory per 100k cp |');
  outLines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const g of result.growth) {
    outLines.push(`| ${g.cp.toLocaleString('en-US')} | ${g.ann.toLocaleString('en-US')} | ${fmtMs(g.load)} | ${fmtMs(g.load_ms_per_100k_cp)} | ${fmtMs(g.settled_ms_per_100k_cp)} | ${fmtMs(g.complete_ms_per_100k_cp)} | ${fmtMs(g.baseline_ms_per_100k_cp)} | ${fmtMs(g.restore_ms_per_100k_cp)} | ${fmtMB(g.wasm)} | ${fmtMB(g.wasm_bytes_per_100k_cp)} |`);
  }
  const busy = Math.max(result.machine.loadavg_start[0], result.machine.loadavg_end[0]);
  if (busy > result.machine.nproc * 0.75) {
    notes.unshift(
      `the machine was busy: 1-minute load average ${result.machine.loadavg_start[0]} at the start and ${result.machine.loadavg_end[0]} at the end on ${result.machine.nproc} cores; other work competes with the browser and the figures are noisier and slower than on an idle machine`,
    );
  }
  if (notes.length) {
    outLines.push('');
    outLines.push('Notes:');
    for (const n of notes) outLines.push(`- ${n}`);
  }
  return outLines.join('\n');
}

const entry = opts.report
  ? async () => {
      const saved = JSON.parse(fs.readFileSync(opts.report, 'utf8'));
      saved.options.complete_cap_s ??= 30;
      console.log(report(saved));
    }
  : main;
entry().catch((e) => {
  // Infrastructure failure (no build, no browser): report it; still not a budget verdict.
  console.error('[bench] failed:', e && e.stack ? e.stack : e);
  process.exitCode = 2;
});
