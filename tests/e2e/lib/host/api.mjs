// The JS API of a <hashiya-annotator> (host = CSS selector of the element),
// called in the page after `await el.ready`.

import assert from 'node:assert/strict';

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
