// The in-page recorder of a host page: every hashiya-* event that reaches
// document (bubble phase) and every CSP violation, installed by an init
// script before any page script (not eval: the pages' CSP forbids it), and
// the readers of what it recorded.

import { poll } from '../browser.mjs';

export const EVENTS = ['hashiya-ready', 'hashiya-create', 'hashiya-update', 'hashiya-delete', 'hashiya-relation', 'hashiya-change', 'hashiya-error'];

/** The init script; its argument is EVENTS. Fills window.__hashiyaEvents and window.__cspViolations. */
export function installRecorder(types) {
  if (window.__hashiyaEvents) return;
  const clone = (v) => {
    try {
      return v === undefined ? null : JSON.parse(JSON.stringify(v));
    } catch {
      return String(v);
    }
  };
  window.__hashiyaEvents = [];
  window.__cspViolations = [];
  // Bubble phase on document: an event that does not bubble or is not
  // composed is never recorded.
  for (const type of types) {
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
}

/** CSP violations seen by the page's securitypolicyviolation listener ([] when the page cannot answer). */
export const recordedCsp = (page) => page.evaluate(() => window.__cspViolations || []).catch(() => []);

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
