#!/usr/bin/env bash
# Trunk post_build hook (see Trunk.toml): lays out the embeddable bundle in
# dist/embed/ with stable names, from the wasm Trunk has just built and
# optimised for the demo page (one build serves both).
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?this script is run by trunk as a post_build hook}"
src="${TRUNK_SOURCE_DIR:-.}"
out="$staging/embed"
mkdir -p "$out"
# the demo's module (hashiya-app-<hash>.js) exports the embed API as well
glue=$(find "$staging" -maxdepth 1 -name 'hashiya-app-*.js' ! -name '*_bg.js' | head -n1)
wasm=$(find "$staging" -maxdepth 1 -name 'hashiya-app-*_bg.wasm' | head -n1)
if [ -z "$glue" ] || [ -z "$wasm" ]; then
  echo "build-embed: no hashiya-app-*.js / *_bg.wasm in $staging" >&2
  exit 1
fi
cp "$glue" "$out/hashiya_core.js"
cp "$wasm" "$out/hashiya_bg.wasm"
cp "$src/embed/hashiya.js" "$src/embed/hashiya.d.ts" "$out/"
cat "$src/styles/hashiya.css" "$src/styles/embed.css" > "$out/hashiya.css"
# wasm-bindgen's glue names the wasm after the crate's binary; the bundle
# ships it as hashiya_bg.wasm, so its fallback URL must say so too (bundlers
# resolve every `new URL('…', import.meta.url)` they see, used or not)
sed -i "s/new URL('[^']*_bg\.wasm', import\.meta\.url)/new URL('hashiya_bg.wasm', import.meta.url)/" "$out/hashiya_core.js"
# the npm package of the element: the same files, with a package.json
node "$src/scripts/npm-package.mjs" "$out" "$staging/npm"
