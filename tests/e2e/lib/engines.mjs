// One browser driver for three engines, so that an end-to-end test written once runs in
// Chromium (playwright-core, CDP), Firefox ESR (puppeteer-core, WebDriver BiDi) and
// WebKitGTK (WebKitWebDriver under Xvfb, W3C WebDriver through selenium-webdriver).
// Only the browsers Debian installs are used; nothing is ever downloaded.
//
// Every page gets fresh storage (a new context / user context / WebDriver session), so a
// test never sees another test's localStorage. Coordinates are CSS pixels relative to the
// viewport and are rounded to whole pixels in every engine: WebDriver (classic and BiDi)
// takes integer pointer coordinates, and the same test must press the same pixel everywhere.
// `url()` and `errors()` return promises, because in WebKit they need a round trip.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';

export const ENGINES = (process.env.HASHIYA_ENGINES || 'chromium,firefox,webkit')
  .split(',').map((s) => s.trim()).filter(Boolean);

const CHROMIUM_PATH = process.env.HASHIYA_CHROMIUM || '/usr/bin/chromium';
const FIREFOX_PATH = process.env.HASHIYA_FIREFOX || '/usr/bin/firefox-esr';
const MINIBROWSER = process.env.HASHIYA_MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const DEFAULT_VIEWPORT = { width: 1280, height: 900 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What a call that never answers is rejected with: the test fails (and may retry) at once. */
export const NO_ANSWER = 'the driver did not answer';

/**
 * `promise`, or an error naming `what` after `ms`. WebKitWebDriver has hung
 * (rarely, unreproduced) on a call, which left the test waiting until the
 * whole file timed out; an error here names the call instead.
 */
function answered(what, promise, ms = 30_000) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`WebKit: ${NO_ANSWER} ${what} in ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Launches one engine: `{ name, newPage({ viewport }), close() }`. `scriptMs` is
 * how long one `evaluate` may run in WebKit, whose driver needs a limit (25 s
 * for tests; the benchmark's peer takes longer).
 */
export async function launch(engine, { scriptMs = 25_000 } = {}) {
  const open = { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit }[engine];
  if (!open) throw new Error(`unknown engine "${engine}" (known: chromium, firefox, webkit)`);
  return open({ scriptMs });
}

// ---------------------------------------------------------------- shared layer

// The user's function travels as source text: each driver serialises functions its own
// way, and a wrapper built here makes exceptions and results behave the same everywhere
// (JSON in, JSON out, a page exception comes back as data and is rethrown in Node).
function wrapSource(fn) {
  if (typeof fn !== 'function') throw new TypeError('evaluate() takes a function');
  return `async (argJson) => {
    try {
      const value = await (${fn.toString()})(argJson == null ? undefined : JSON.parse(argJson));
      return { ok: true, json: value === undefined ? undefined : JSON.stringify(value) };
    } catch (e) {
      return { ok: false, message: e && e.message !== undefined ? String(e.message) : String(e) };
    }
  }`;
}
function unwrap(res) {
  if (!res || !res.ok) throw new Error(res ? res.message : 'evaluate returned nothing');
  return res.json === undefined || res.json === null ? undefined : JSON.parse(res.json);
}
const argJson = (arg) => (arg === undefined ? undefined : JSON.stringify(arg));

// 'Control+Shift+ArrowLeft' → ['Control', 'Shift', 'ArrowLeft']; 'Control++' → [..., '+'].
function splitCombo(combo) {
  const parts = combo.split('+');
  if (combo.endsWith('+')) return [...parts.slice(0, -2).filter(Boolean), '+'];
  return parts;
}

// Adds the engine-neutral behaviour on top of an engine's primitives: `raw` has
// goto, reload, url, evalWrapped(source, argJson), mouse{move,down,up,click},
// keyboard{down,up,press(single key),type}, screenshot, errors, close.
function makePage(name, raw) {
  const evaluate = async (fn, arg) => unwrap(await raw.evalWrapped(wrapSource(fn), argJson(arg)));
  const keyboard = {
    down: (key) => raw.keyboard.down(key),
    up: (key) => raw.keyboard.up(key),
    // Modifiers go down in order and up in reverse, in every engine alike.
    async press(combo) {
      const keys = splitCombo(combo);
      const mods = keys.slice(0, -1);
      for (const m of mods) await raw.keyboard.down(m);
      try {
        await raw.keyboard.press(keys[keys.length - 1]);
      } finally {
        for (const m of mods.reverse()) await raw.keyboard.up(m);
      }
    },
    type: (text) => raw.keyboard.type(text),
  };
  const mouse = {
    move: (x, y, { steps = 1 } = {}) => raw.mouse.move(Math.round(x), Math.round(y), Math.max(1, steps)),
    down: () => raw.mouse.down(),
    up: () => raw.mouse.up(),
    click: (x, y, { clickCount = 1 } = {}) => raw.mouse.click(Math.round(x), Math.round(y), clickCount),
  };
  return {
    name,
    goto: (url) => raw.goto(url),
    reload: () => raw.reload(),
    url: () => raw.url(),
    evaluate,
    async waitFor(fn, arg, { timeout = 10_000, what = '' } = {}) {
      const deadline = Date.now() + timeout;
      let last;
      for (;;) {
        last = await evaluate(fn, arg);
        if (last) return last;
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what || fn.toString()} after ${timeout} ms; ` +
            `last value: ${JSON.stringify(last)}`);
        }
        await sleep(50);
      }
    },
    mouse,
    keyboard,
    async drag(x1, y1, x2, y2, { steps = 8, alt = false } = {}) {
      if (alt) await keyboard.down('Alt');
      try {
        await mouse.move(x1, y1);
        await mouse.down();
        await mouse.move(x2, y2, { steps });
        await mouse.up();
      } finally {
        if (alt) await keyboard.up('Alt');
      }
    },
    screenshot: (file) => raw.screenshot(file),
    errors: async () => raw.errors(),
    close: () => raw.close(),
  };
}

// ------------------------------------ Chromium (CDP) and Firefox (WebDriver BiDi)

// Playwright's and Puppeteer's pages have the same shape; only the click-count option's
// name and the close differ. Puppeteer over BiDi keeps the keyboard's state between
// performActions calls, as Playwright does, so keys held with keyboard.down show up as
// modifiers on later pointer events in both.
function fromPuppetPage(name, page, { countOption, errorText, close }) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(errorText(e)));
  const { mouse: m, keyboard: k } = page;
  return makePage(name, {
    goto: (url) => page.goto(url, { waitUntil: 'load' }),
    reload: () => page.reload({ waitUntil: 'load' }),
    url: async () => page.url(),
    evalWrapped: (src, a) => page.evaluate(new Function(`return ${src}`)(), a),
    mouse: {
      move: (x, y, steps) => m.move(x, y, { steps }),
      down: () => m.down(),
      up: () => m.up(),
      click: (x, y, count) => m.click(x, y, { [countOption]: count }),
    },
    // Both type characters that have no key on a US layout (Arabic) as text input, which
    // is what a user's input method produces too.
    keyboard: { down: (key) => k.down(key), up: (key) => k.up(key), press: (key) => k.press(key), type: (t) => k.type(t) },
    screenshot: (file) => page.screenshot({ path: file }),
    errors: () => [...errors],
    close: () => close().catch(() => {}),
  });
}

async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    headless: true,
  });
  return {
    name: 'chromium',
    async newPage({ viewport = DEFAULT_VIEWPORT } = {}) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      return fromPuppetPage('chromium', await context.newPage(), {
        countOption: 'clickCount', errorText: (e) => e.message, close: () => context.close(),
      });
    },
    close: () => browser.close().catch(() => {}),
  };
}

async function launchFirefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  // Firefox has twice not told its endpoint within puppeteer's 30 s on a busy machine
  // (once cancelling a whole file of a landing check), and started at the next try.
  const start = () => puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, protocol: 'webDriverBiDi', timeout: 60_000,
  });
  const browser = await start().catch((e) => {
    console.error(`# Firefox did not start (${String(e.message || e).split('\n')[0]}); trying again`);
    return start();
  });
  return {
    name: 'firefox',
    async newPage({ viewport = DEFAULT_VIEWPORT } = {}) {
      // A BiDi user context has its own storage (checked by engines.test.mjs).
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport({ ...viewport, deviceScaleFactor: 1 });
      return fromPuppetPage('firefox', page, {
        countOption: 'count',
        // Over BiDi the message carries the error's class ("Error: boom"); Chromium's does not.
        errorText: (e) => String(e.message).replace(/^[A-Za-z]*Error: /, ''),
        close: () => context.close(),
      });
    },
    close: () => browser.close().catch(() => {}),
  };
}

// -------------------------------------------- WebKitGTK (W3C WebDriver, Xvfb)

// W3C WebDriver key codes for the key names Playwright uses; one-character keys are sent as is.
const W3C_KEYS = {
  Backspace: '\uE003', Tab: '\uE004', Enter: '\uE007', Shift: '\uE008', Control: '\uE009',
  Alt: '\uE00A', Escape: '\uE00C', Space: ' ', PageUp: '\uE00E', PageDown: '\uE00F', End: '\uE010',
  Home: '\uE011', ArrowLeft: '\uE012', ArrowUp: '\uE013', ArrowRight: '\uE014', ArrowDown: '\uE015',
  Insert: '\uE016', Delete: '\uE017', Meta: '\uE03D',
  ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`F${i + 1}`, String.fromCharCode(0xe031 + i)])),
};
function w3cKey(key) {
  if ([...key].length === 1) return key;
  if (W3C_KEYS[key]) return W3C_KEYS[key];
  throw new Error(`no WebDriver key code for "${key}"`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Members of a process group, from /proc (Linux only, like the rest of this machine setup).
function groupMembers(pgid) {
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) pids.push(Number(d));
    } catch { /* the process ended meanwhile */ }
  }
  return pids;
}

// The driver groups are detached, so nothing else ends them if the test process exits or
// is killed (Ctrl-C, a test-runner timeout) before close(): a reaper does. SIGTERM, not
// SIGKILL, so that Xvfb removes its /tmp/.X<n>-lock and the display number stays free.
const liveDrivers = new Map(); // process group id → its temp dir
let reaperInstalled = false;
function installReaper() {
  if (reaperInstalled) return;
  reaperInstalled = true;
  const reap = () => {
    for (const [g, dir] of liveDrivers) {
      try { process.kill(-g, 'SIGTERM'); } catch { /* gone */ }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  process.on('exit', reap);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      reap();
      // Die of the signal as we would have, unless someone else handles it.
      if (!process.listenerCount(sig)) process.kill(process.pid, sig);
    });
  }
}

// Starts `xvfb-run -a WebKitWebDriver` on a free port and waits until it answers.
async function startWebKitDriver() {
  const port = await freePort();
  // Our own dir for the X auth file and the logs, so that nothing is left in /tmp.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-webkit-'));
  const logFile = path.join(dir, 'driver.log');
  const log = fs.openSync(logFile, 'w');
  // A screen larger than any viewport we ask for, so the window is never clamped.
  // Detached: the driver, Xvfb and the browser form one process group we can end together.
  const child = spawn('xvfb-run', ['-a', '-f', path.join(dir, 'Xauthority'), '-e', logFile,
    '-s', '-screen 0 2560x1600x24', 'WebKitWebDriver', `--port=${port}`],
  { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  child.unref();
  liveDrivers.set(child.pid, dir);
  installReaper();
  let gone = false;
  const exited = new Promise((r) => child.once('exit', () => r((gone = true))));

  async function stop() {
    // Signal everyone but xvfb-run itself, so that it ends its Xvfb as usual.
    for (const pid of groupMembers(child.pid)) if (pid !== child.pid) try { process.kill(pid, 'SIGTERM'); } catch {}
    await Promise.race([exited, sleep(5000)]);
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* all gone */ }
    liveDrivers.delete(child.pid);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const server = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; ; await sleep(100)) {
    try { if ((await fetch(`${server}/status`)).ok) break; } catch { /* not listening yet */ }
    if (gone || Date.now() > deadline) {
      const out = fs.readFileSync(logFile, 'utf8').slice(-2000);
      await stop();
      throw new Error(`WebKitWebDriver did not start: ${out}`);
    }
  }
  return { server, stop, busy: false };
}

async function launchWebKit({ scriptMs }) {
  const { Builder } = await import('selenium-webdriver');
  const { Command } = await import('selenium-webdriver/lib/command.js');
  if (!fs.existsSync(MINIBROWSER)) {
    throw new Error(`no MiniBrowser at ${MINIBROWSER} (dpkg -L libwebkit2gtk-4.1-0 | grep MiniBrowser; set HASHIYA_MINIBROWSER)`);
  }
  // WebKitWebDriver serves one session at a time ("Maximum number of active sessions"), and
  // we want one session per page, so drivers are pooled: a page takes an idle one or starts
  // another (~0.5 s). The first starts here, so that a broken set-up fails at launch.
  const drivers = [await startWebKitDriver()];
  const caps = {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
  };
  const pages = new Set();
  /** Ends a driver that is stuck and takes it out of the pool. */
  const retire = async (slot) => {
    const i = drivers.indexOf(slot);
    if (i >= 0) drivers.splice(i, 1);
    await slot.stop();
  };

  return {
    name: 'webkit',
    // One session (one MiniBrowser) per page: a new session starts with empty
    // localStorage (checked by engines.test.mjs), so nothing needs clearing.
    async newPage({ viewport = DEFAULT_VIEWPORT } = {}) {
      let slot = drivers.find((d) => !d.busy);
      if (!slot) drivers.push((slot = await startWebKitDriver()));
      slot.busy = true;
      let driver;
      try {
        driver = await answered('a new session', new Builder().usingServer(slot.server).withCapabilities(caps).build());
      } catch (e) {
        await retire(slot);
        throw e;
      }
      await driver.manage().setTimeouts({ script: scriptMs });
      // The window includes MiniBrowser's toolbar: size it, measure the chrome, size again.
      const win = driver.manage().window();
      await win.setRect({ x: 0, y: 0, width: viewport.width, height: viewport.height });
      const size = () => answered('a script', driver.executeScript('return [innerWidth, innerHeight]'));
      for (let i = 0; ; i++) {
        // a resize reaches the page a moment after setRect returns (and under
        // load, later still): wait for the wanted size before correcting
        let [w, h] = await size();
        for (const until = Date.now() + 1500; (w !== viewport.width || h !== viewport.height) && Date.now() < until;) {
          await sleep(50);
          [w, h] = await size();
        }
        if (w === viewport.width && h === viewport.height) break;
        if (i === 5) {
          await driver.quit().catch(() => {});
          slot.busy = false;
          throw new Error(`WebKit viewport is ${w}x${h}, wanted ${viewport.width}x${viewport.height}`);
        }
        const r = await win.getRect();
        await win.setRect({ width: r.width + viewport.width - w, height: r.height + viewport.height - h });
      }
      const execute = (name, params) => {
        const cmd = new Command(name);
        for (const [k, v] of Object.entries(params || {})) cmd.setParameter(k, v);
        return answered(name, driver.execute(cmd));
      };
      // WebDriver classic keeps pressed keys in the session's input state across Perform
      // Actions calls, so keyboard.down('Alt') then a pointer drag carries altKey.
      const pointer = (actions) => execute('actions', { actions: [
        { type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions },
      ] });
      const keys = (actions) => execute('actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
      let pos = { x: 0, y: 0 };
      const evalWrapped = (src, a) => answered('a script', driver.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
         (${src})(arguments[0]).then(done, (e) => done({ ok: false, message: String(e) }));`, a), scriptMs + 5_000);

      // WebKitWebDriver reports no page errors, so a recorder goes into every loaded
      // document. Limitation: errors thrown before it is installed (while the page loads)
      // and errors of documents the page navigated to by itself are not seen.
      const seen = [];
      const installRecorder = () => answered('a script', driver.executeScript(`if (!window.__enginesErrors) {
        window.__enginesErrors = [];
        addEventListener('error', (e) => __enginesErrors.push(e.error && e.error.message !== undefined ? String(e.error.message) : e.message));
        addEventListener('unhandledrejection', (e) => __enginesErrors.push(e.reason && e.reason.message !== undefined ? String(e.reason.message) : String(e.reason)));
      }`));
      const readRecorder = async () => (await answered('a script', driver.executeScript('return window.__enginesErrors || []'))) || [];
      const keepErrors = async () => { try { seen.push(...(await readRecorder())); } catch { /* no document yet */ } };

      const page = makePage('webkit', {
        async goto(url) { await keepErrors(); await answered('a navigation', driver.get(url)); await installRecorder(); },
        async reload() { await keepErrors(); await answered('a reload', driver.navigate().refresh()); await installRecorder(); },
        url: () => answered('the url', driver.getCurrentUrl()),
        evalWrapped,
        mouse: {
          async move(x, y, steps) {
            const from = pos;
            const actions = [];
            for (let i = 1; i <= steps; i++) {
              actions.push({ type: 'pointerMove', origin: 'viewport', duration: 0,
                x: Math.round(from.x + ((x - from.x) * i) / steps), y: Math.round(from.y + ((y - from.y) * i) / steps) });
            }
            await pointer(actions);
            pos = { x, y };
          },
          down: () => pointer([{ type: 'pointerDown', button: 0 }]),
          up: () => pointer([{ type: 'pointerUp', button: 0 }]),
          async click(x, y, count) {
            const actions = [{ type: 'pointerMove', origin: 'viewport', duration: 0, x, y }];
            for (let i = 0; i < count; i++) actions.push({ type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 });
            await pointer(actions);
            pos = { x, y };
          },
        },
        keyboard: {
          down: (key) => keys([{ type: 'keyDown', value: w3cKey(key) }]),
          up: (key) => keys([{ type: 'keyUp', value: w3cKey(key) }]),
          press: (key) => keys([{ type: 'keyDown', value: w3cKey(key) }, { type: 'keyUp', value: w3cKey(key) }]),
          // Key actions with the character itself type any text, Arabic included (WebKitGTK
          // turns a key it has no keycode for into text input).
          type: (text) => keys([...text].flatMap((c) => {
            const value = c === '\n' || c === '\r' ? W3C_KEYS.Enter : c;
            return [{ type: 'keyDown', value }, { type: 'keyUp', value }];
          })),
        },
        async screenshot(file) { fs.writeFileSync(file, Buffer.from(await answered('a screenshot', driver.takeScreenshot()), 'base64')); },
        errors: async () => [...seen, ...(await readRecorder())],
        async close() {
          if (!pages.delete(page)) return;
          // a session that does not end is a driver that is stuck: end it, and start afresh next time
          const quit = await answered('the end of the session', driver.quit(), 10_000).then(() => true, () => false);
          if (quit) slot.busy = false;
          else await retire(slot);
        },
      });
      pages.add(page);
      return page;
    },
    async close() {
      await Promise.all([...pages].map((p) => p.close()));
      await Promise.all(drivers.map((d) => d.stop()));
    },
  };
}
