// The npm package of the element, as hosts install it: packed from the
// release build (dist/npm), installed from the tarball into throw-away host
// projects, bundled with Vite and with esbuild (pinned in
// tests/packages/package.json), type-checked with tsc, served, and used with a
// real mouse in Chromium: the element loads, tags, persists over a reload, and
// every method the declarations promise runs.

import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distDir, REPO_ROOT, startServer } from './lib/server.mjs';
import { launchBrowser, openPage, poll } from './lib/browser.mjs';
import { seedArticles } from './lib/app.mjs';
import { wAnnotate, wMarks, waitCount, waitStored } from './lib/host/widget.mjs';

const TOOLS = path.join(REPO_ROOT, 'tests', 'packages');
const TEMPLATE = path.join(TOOLS, 'host');
const PACKAGE = path.join(distDir(), 'npm');
const HOST = 'hashiya-annotator';
const SEED = seedArticles()[0];
const BLOCKS = [SEED.heading, SEED.paragraphs[0], SEED.paragraphs[1]];

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const npm = (args, cwd) => run('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], cwd);
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

let work;
let tarball;
let browser;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'hashiya-npm-'));
  const [packed] = JSON.parse(npm(['pack', PACKAGE, '--json', '--pack-destination', work], work));
  tarball = { ...packed, path: path.join(work, packed.filename) };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** A host project from the template, with the packed package installed in it. */
function makeHost(name, script) {
  const dir = path.join(work, name);
  fs.cpSync(TEMPLATE, dir, { recursive: true });
  const article = BLOCKS.map((b, i) => (i === 0 ? `<h2>${escape(b)}</h2>` : `<p>${escape(b)}</p>`)).join('\n      ');
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8').replace('<!--ARTICLE-->', article).replace('./SCRIPT', script);
  fs.writeFileSync(path.join(dir, 'index.html'), html);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `host-${name}`, private: true, type: 'module' }));
  npm(['install', '--prefer-offline', tarball.path], dir);
  return dir;
}

/** Serves `dir` and uses the element there as a reader would. */
async function annotateIn(dir, t) {
  const server = await startServer({ root: dir, spa: false });
  const session = await openPage(browser);
  const { page } = session;
  try {
    const ready = () => poll(page, () => (window.heard ?? []).some((e) => e.type === 'hashiya-ready'), null, { timeout: 20_000 });
    await session.load(`${server.url}index.html`, ready, 'the bundled host page did not get hashiya-ready');
    const word = 'كيري';
    const id = await wAnnotate(page, HOST, word, '1');
    const marks = await wMarks(page, HOST);
    assert.deepEqual(
      marks.map((m) => [m.id, m.label, m.text]),
      [[id, 'person', word]],
      'the selected word is highlighted as a person',
    );
    const created = await page.evaluate(() => window.heard.filter((e) => e.type === 'hashiya-create').map((e) => e.detail.quote));
    assert.deepEqual(created, [word], 'the host heard hashiya-create with the quote');
    assert.equal(await page.title(), '1 annotations', 'the host heard hashiya-change with the whole article');
    await waitStored(page, 'npm-host', 1);

    await page.reload();
    await ready();
    await waitCount(page, HOST, 1);
    assert.deepEqual((await wMarks(page, HOST)).map((m) => [m.id, m.text]), [[id, word]], 'the annotation is there after a reload');

    const used = await page.evaluate(() => window.useEveryMethod());
    t.diagnostic(`every method: ${JSON.stringify(used)}`);
    assert.equal(used.relations, 1);
    assert.ok(used.rects >= 1, 'getHighlightRects gives the person’s box');
    assert.deepEqual(used.exports, [true, true, true, true]);
    assert.deepEqual([used.unlinked, used.removed, used.undone, used.redone], [true, true, true, true]);
    assert.equal(used.imported, 2, 'importJson brings back the two annotations cleared');
    assert.deepEqual([used.set, used.after], [1, 1], 'setAnnotations(getAnnotations() from before) leaves the one from before');
    session.assertNoPageErrors();
  } finally {
    await session.close();
    await server.close();
  }
}

test('the package packs the element, its declarations, wasm and stylesheet, and nothing else', (t) => {
  const files = tarball.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'hashiya.css', 'hashiya.d.ts', 'hashiya.js', 'hashiya_bg.wasm', 'hashiya_core.js', 'package.json']);
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
  const crate = fs.readFileSync(path.join(REPO_ROOT, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.equal(pkg.version, crate, 'the package version is the crate version');
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.exports['.'], { types: './hashiya.d.ts', default: './hashiya.js' });
  assert.deepEqual(pkg.sideEffects, ['./hashiya.js'], 'bundlers keep the import that registers the element');
  t.diagnostic(`${tarball.filename}: ${tarball.size} bytes packed, ${tarball.unpackedSize} unpacked, ${tarball.entryCount} files`);
  // what `npm publish` would do, without publishing
  npm(['publish', '--dry-run', '--tag', 'dry-run'], PACKAGE);
});

test('the declarations type-check a TypeScript host that uses every method and event', () => {
  const dir = makeHost('types', 'main.ts');
  try {
    run(path.join(TOOLS, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], dir);
  } catch (e) {
    assert.fail(`tsc --noEmit failed:\n${e.stdout}${e.stderr}`);
  }
});

test('a Vite build of a host finds the wasm and the stylesheet, and the element annotates', async (t) => {
  const dir = makeHost('vite', 'main.ts');
  const { build } = await import(path.join(TOOLS, 'node_modules', 'vite', 'dist', 'node', 'index.js'));
  await build({ root: dir, logLevel: 'warn', configFile: false, build: { outDir: 'dist', emptyOutDir: true } });
  const assets = fs.readdirSync(path.join(dir, 'dist', 'assets'));
  t.diagnostic(`vite output: ${assets.join(', ')}`);
  assert.ok(assets.some((f) => f.endsWith('.wasm')), 'Vite copied the wasm');
  assert.ok(assets.some((f) => f.startsWith('hashiya') && f.endsWith('.css')), 'Vite copied the stylesheet');
  await annotateIn(path.join(dir, 'dist'), t);
});

test('an esbuild bundle of a host, with the documented copy step, annotates', async (t) => {
  const dir = makeHost('esbuild', 'main.js');
  const esbuild = await import(path.join(TOOLS, 'node_modules', 'esbuild', 'lib', 'main.js'));
  const out = path.join(dir, 'dist');
  await esbuild.default.build({ entryPoints: [path.join(dir, 'main.ts')], bundle: true, format: 'esm', outdir: out, logLevel: 'warning' });
  // the one step esbuild needs (README): the two files next to the bundle
  for (const f of ['hashiya_bg.wasm', 'hashiya.css']) fs.copyFileSync(path.join(dir, 'node_modules', 'hashiya', f), path.join(out, f));
  fs.copyFileSync(path.join(dir, 'index.html'), path.join(out, 'index.html'));
  await annotateIn(out, t);
});
