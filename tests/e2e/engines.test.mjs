// Smoke test of lib/engines.mjs: the same test code, in every engine of HASHIYA_ENGINES,
// proves that real pointer drags select RTL Arabic text, that held modifiers and key combos
// arrive as a user's would, that storage is kept on reload and fresh for a new page, and
// that Arabic can be typed. Serves its own fixture, so it needs no build of the app.

import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, launch } from './lib/engines.mjs';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'engines-smoke.html');
const PARA = 'يتوجه وزير الخارجية الأميركي جون كيري إلى موسكو';

async function serveFixture() {
  const body = fs.readFileSync(FIXTURE);
  const server = http.createServer((req, res) => {
    if (new URL(req.url, 'http://x').pathname !== '/') return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** The bounding box of the paragraph's text (not of its block, which is wider). */
const textBox = (page) => page.evaluate(() => {
  const range = document.createRange();
  range.selectNodeContents(document.getElementById('para'));
  const r = range.getBoundingClientRect();
  return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, y: (r.top + r.bottom) / 2 };
});
const log = (page, type) => page.evaluate((t) => window.__log.filter((e) => !t || e.type === t), type);
const clearLog = (page) => page.evaluate(() => { window.__log.length = 0; getSelection().removeAllRanges(); });

for (const engine of ENGINES) {
  describe(engine, { timeout: 180_000 }, () => {
    let server, browser, launchSeconds, started;
    const pages = [];
    const open = async () => {
      const page = await browser.newPage();
      pages.push(page);
      await page.goto(server.url);
      await page.evaluate(() => document.fonts.ready.then(() => true));
      return page;
    };
    before(async () => {
      started = Date.now();
      server = await serveFixture();
      const t0 = Date.now();
      browser = await launch(engine);
      launchSeconds = (Date.now() - t0) / 1000;
    });
    afterEach(async () => {
      for (const p of pages.splice(0)) await p.close();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
      // Seen with --test-reporter=spec; a number to compare engines by, not an assertion.
      console.log(`engines.test: ${engine} launch ${launchSeconds?.toFixed(1)} s, whole describe ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    test('a mouse drag across the RTL paragraph selects all of its text', async () => {
      const page = await open();
      assert.deepEqual(await page.evaluate(() => [innerWidth, innerHeight, devicePixelRatio]), [1280, 900, 1]);
      const box = await textBox(page);
      // From inside the first letter's outer half (right) to inside the last letter's (left).
      await page.drag(box.right - 2, box.y, box.left + 2, box.y);
      assert.equal(await page.evaluate(() => getSelection().toString()), PARA);
      const [down] = await log(page, 'mousedown');
      assert.deepEqual([down.x, down.y, down.altKey], [Math.round(box.right - 2), Math.round(box.y), false]);
      assert.deepEqual(await page.errors(), []);
    });

    test('Alt held during a drag arrives as altKey, and is released afterwards', async () => {
      const page = await open();
      const box = await textBox(page);
      await clearLog(page);
      await page.drag(box.right - 40, box.y, box.left + 40, box.y, { alt: true });
      const downs = await log(page, 'mousedown');
      const ups = await log(page, 'mouseup');
      assert.equal(downs.length, 1);
      assert.equal(downs[0].altKey, true, JSON.stringify(downs));
      assert.equal(ups.at(-1).altKey, true, JSON.stringify(ups));
      await clearLog(page);
      await page.drag(box.right - 40, box.y, box.left + 40, box.y);
      assert.equal((await log(page, 'mousedown'))[0].altKey, false);
    });

    test('Control+Shift+ArrowLeft arrives with both modifiers, which are then released', async () => {
      const page = await open();
      await clearLog(page);
      await page.keyboard.press('Control+Shift+ArrowLeft');
      await page.keyboard.press('a');
      const keys = (await log(page, 'keydown')).map(({ key, ctrlKey, shiftKey, altKey, metaKey }) =>
        ({ key, ctrlKey, shiftKey, altKey, metaKey }));
      assert.deepEqual(keys, [
        { key: 'Control', ctrlKey: true, shiftKey: false, altKey: false, metaKey: false },
        { key: 'Shift', ctrlKey: true, shiftKey: true, altKey: false, metaKey: false },
        { key: 'ArrowLeft', ctrlKey: true, shiftKey: true, altKey: false, metaKey: false },
        { key: 'a', ctrlKey: false, shiftKey: false, altKey: false, metaKey: false },
      ]);
    });

    test('reload keeps localStorage; a new page starts with none', async () => {
      const first = await open();
      assert.equal(await first.evaluate(() => localStorage.length), 0);
      await first.evaluate((v) => localStorage.setItem('engines-smoke', v), 'kept جون');
      await first.reload();
      assert.equal(await first.evaluate(() => localStorage.getItem('engines-smoke')), 'kept جون');
      assert.equal(await first.url(), server.url);
      const second = await open(); // while the first is still open, same origin
      assert.deepEqual(await second.evaluate(() => [localStorage.length, localStorage.getItem('engines-smoke')]), [0, null]);
      // And after both closed (WebKit reuses the driver, Firefox and Chromium the browser).
      for (const p of pages.splice(0)) await p.close();
      const third = await open();
      assert.deepEqual(await third.evaluate(() => [localStorage.length, localStorage.getItem('engines-smoke')]), [0, null]);
    });

    test('typing Arabic into an input gives exactly that value', async () => {
      const page = await open();
      const at = await page.evaluate(() => {
        const r = document.getElementById('field').getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      });
      await page.mouse.click(at.x, at.y);
      await page.waitFor(() => document.activeElement && document.activeElement.id === 'field', undefined, { what: 'the input to have focus' });
      await page.keyboard.type('جون');
      assert.equal(await page.evaluate(() => document.getElementById('field').value), 'جون');
    });

    test('a double click reaches the page as one (detail 2)', async () => {
      const page = await open();
      const box = await textBox(page);
      await clearLog(page);
      await page.mouse.click((box.left + box.right) / 2, box.y, { clickCount: 2 });
      const dbl = await page.waitFor(() => window.__log.find((e) => e.type === 'dblclick'), undefined, { what: 'a dblclick' });
      assert.equal(dbl.detail, 2);
      assert.ok((await page.evaluate(() => getSelection().toString())).trim().length > 0);
    });

    test('evaluate surfaces page exceptions and waitFor times out readably; errors() sees uncaught ones', async () => {
      const page = await open();
      await assert.rejects(page.evaluate(async (m) => { await null; throw new Error(m); }, 'boom في الصفحة'),
        (e) => e instanceof Error && e.message === 'boom في الصفحة');
      await assert.rejects(page.waitFor(() => 0, undefined, { timeout: 200, what: 'nothing' }),
        /timed out waiting for nothing after 200 ms; last value: 0/);
      assert.deepEqual(await page.evaluate((a) => ({ a, n: [1, 'ب'] }), { x: 1 }), { a: { x: 1 }, n: [1, 'ب'] });
      await page.evaluate(() => { setTimeout(() => { throw new Error('uncaught boom'); }); });
      for (let i = 0; i < 40 && !(await page.errors()).length; i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(await page.errors(), ['uncaught boom']);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-shot-'));
      try {
        await page.screenshot(path.join(dir, 'shot.png'));
        assert.deepEqual([...fs.readFileSync(path.join(dir, 'shot.png')).subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
