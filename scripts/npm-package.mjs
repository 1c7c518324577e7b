// Lays out the npm package of the element in <out>/ from the embed bundle in
// <embed>/: the same five files a CDN serves, a package.json whose version is
// the crate's, the package README and the licence.
//
//   node scripts/npm-package.mjs <embed dir> <out dir>
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [embed, out] = process.argv.slice(2);
if (!embed || !out) {
  console.error('usage: node scripts/npm-package.mjs <embed dir> <out dir>');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];

const files = ['hashiya.js', 'hashiya.d.ts', 'hashiya_core.js', 'hashiya_bg.wasm', 'hashiya.css'];
mkdirSync(out, { recursive: true });
for (const f of files) copyFileSync(join(embed, f), join(out, f));
copyFileSync(join(root, 'embed/npm/README.md'), join(out, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(out, 'LICENSE'));

const pkg = {
  name: 'hashiya',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  keywords: ['annotation', 'arabic', 'rtl', 'named-entities', 'fact-checking', 'web-component', 'wasm'],
  type: 'module',
  main: './hashiya.js',
  types: './hashiya.d.ts',
  exports: {
    '.': { types: './hashiya.d.ts', default: './hashiya.js' },
    './hashiya.css': './hashiya.css',
    './hashiya_bg.wasm': './hashiya_bg.wasm',
    './package.json': './package.json',
  },
  files,
  // importing the package registers <hashiya-annotator>: a bundler must keep it
  sideEffects: ['./hashiya.js'],
};
writeFileSync(join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
