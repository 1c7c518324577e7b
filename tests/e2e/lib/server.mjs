// The one static file server of the end-to-end tests: the release build in
// dist/ (or $HASHIYA_DIST), and, for the embed tests, the bundle with CORS and
// host pages written by the tests with their own CSP headers. It listens on
// 127.0.0.1 with an OS-chosen port, so no port is ever fixed.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..', '..');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.map': 'application/json; charset=utf-8',
};
const TEXT = 'text/plain; charset=utf-8';

/** The directory that holds the built app. */
export function distDir() {
  return path.resolve(process.env.HASHIYA_DIST || path.join(REPO_ROOT, 'dist'));
}

/**
 * Starts a server. Resolves to `{ url, origin, port, root, log, pages, close }`
 * where `url` ends with "/" and `log` holds every answer as `{ path, status }`.
 * Options:
 *   root:   the directory served at "/" (default: the built app; null: none).
 *           Throws a readable error when `spa` is on and it holds no index.html.
 *   spa:    unknown paths without an extension get root/index.html (client-side
 *           routes); default true.
 *   mounts: { '/prefix/': directory } besides the root (longest prefix wins).
 *   pages:  Map of pathname -> { body: string | (ctx) => string, type?,
 *           csp?: string | (ctx) => string | false }, looked up first; the map
 *           may change while the server runs.
 *   ctx():  what page functions receive.
 *   cors:   send Access-Control-Allow-Origin: * (a bundle loaded as module
 *           scripts and wasm from another origin needs it).
 */
export async function startServer({ root = distDir(), spa = true, mounts = {}, pages = new Map(), ctx = () => ({}), cors = false } = {}) {
  if (root != null && spa && !fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(
      `No built app at ${path.join(root, 'index.html')}. Build it first (trunk build --release) ` +
        'or point HASHIYA_DIST at a directory holding index.html.',
    );
  }
  const rootReal = root == null ? null : fs.realpathSync(root);
  const mountList = Object.entries({ ...(rootReal ? { '/': rootReal } : {}), ...mounts })
    .map(([prefix, dir]) => [prefix, fs.realpathSync(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const log = [];

  const server = http.createServer((req, res) => {
    let pathname = req.url;
    const send = (status, body, type, extra = {}) => {
      log.push({ path: pathname, status });
      const headers = { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra };
      if (cors) headers['Access-Control-Allow-Origin'] = '*';
      const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      headers['Content-Length'] = buf.length;
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : buf);
    };
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, '', TEXT);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, '', TEXT, { Allow: 'GET, HEAD' });
    const page = pages.get(pathname);
    if (page) {
      const c = ctx();
      const body = typeof page.body === 'function' ? page.body(c) : page.body;
      const type = page.type || MIME[path.extname(pathname)] || 'text/html; charset=utf-8';
      const csp = typeof page.csp === 'function' ? page.csp(c) : page.csp;
      return send(200, body, type, csp ? { 'Content-Security-Policy': csp } : {});
    }
    const mount = mountList.find(([prefix]) => pathname.startsWith(prefix));
    if (!mount) return send(404, 'not found', TEXT);
    const [prefix, dir] = mount;
    let file = path.join(dir, pathname.slice(prefix.length));
    if (!file.startsWith(dir)) return send(403, '', TEXT);
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    } catch {
      if (spa && rootReal && !path.extname(pathname)) file = path.join(rootReal, 'index.html');
    }
    fs.readFile(file, (err, body) => {
      if (err) return send(404, 'not found', TEXT);
      send(200, body, MIME[path.extname(file).toLowerCase()] || 'application/octet-stream');
    });
  });

  // Keep-alive sockets from the browser would otherwise hold close() open.
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    port,
    root: rootReal,
    log,
    pages,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
