// Host pages for the embeddable <hashiya-annotator>, as the embed tests write
// them: the markup of a widget and its article, a whole page around them, and
// the strict CSP header the pages are served with.

import path from 'node:path';
import { REPO_ROOT } from '../server.mjs';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export const EMBED_FILES = ['hashiya.js', 'hashiya_core.js', 'hashiya_bg.wasm', 'hashiya.css', 'hashiya.d.ts'];

/** The strict CSP of the brief: nothing inline, no eval, scripts and styles from the bundle's origin. */
export function strictCsp({ bundleOrigin, connect = [] }) {
  return [
    "default-src 'none'",
    `script-src 'self' ${bundleOrigin} 'wasm-unsafe-eval'`,
    `style-src 'self' ${bundleOrigin}`,
    `connect-src 'self' ${bundleOrigin} ${connect.join(' ')}`.trim(),
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export const esc = (s) =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** `<hashiya-annotator …>children</hashiya-annotator>`; attrs: { name: value | true } (false/null: left out). */
export function widget(attrs = {}, children = '') {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== false && v != null)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${esc(v)}"`))
    .join('');
  return `<hashiya-annotator${a}>${children}</hashiya-annotator>`;
}

/** Children for an article: `<h2>` for the first block, `<p>` for the others (all escaped). */
export function blocksHtml(blocks) {
  return blocks.map((b, i) => (i === 0 ? `\n  <h2>${esc(b)}</h2>` : `\n  <p>${esc(b)}</p>`)).join('') + '\n';
}

/**
 * A whole host page. `script`: the bundle's URL (null: no bundle). `head`:
 * extra markup for <head> (stylesheet links; no inline styles or scripts).
 */
export function hostPage({ script, body, head = '', title = 'host page', lang = 'en', dir = 'ltr', doctype = true }) {
  return `${doctype ? '<!doctype html>\n' : ''}<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
${head}
${script ? `<script type="module" src="${esc(script)}"></script>` : ''}
</head>
<body>
${body}
</body>
</html>
`;
}
