#!/usr/bin/env bash
# Performance benchmark of Hashiya: sets everything up (idempotent), builds the
# release bundle, then drives it in headless Chromium and prints Markdown
# tables: the demo page (tests/bench/results/latest.json), the embed API side
# by side with @recogito/text-annotator (results/embed-latest.json), and the
# same side by side in Firefox ESR and WebKitGTK, figures only
# (results/embed-firefox-latest.json, embed-webkit-latest.json).
#
#   bash scripts/bench.sh                 # 5 runs (3 for the 1,000,000-code-point document)
#   bash scripts/bench.sh --runs 3        # fewer runs
#   bash scripts/bench.sh --quick         # 2 runs, 100k and 400k only
#
# Options go to tests/bench/run.mjs (see tests/bench/README.md). This is not a
# pass/fail check: a missed budget is printed as MISSED, the exit status stays 0.
# BENCH_SKIP_BUILD=1 reuses the dist/ that is there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  printf '\n\033[1m== release build\033[0m\n'
  trunk build --release --offline
fi
# the peer the embed is measured against, a dependency of the benchmark only
if [ ! -d tests/bench/node_modules/@recogito/text-annotator ]; then
  printf '\n\033[1m== npm ci in tests/bench (the peer, @recogito/text-annotator)\033[0m\n'
  (cd tests/bench && npm ci --no-audit --no-fund --loglevel=error)
fi
printf '\n\033[1m== benchmark: the demo page\033[0m\n'
node tests/bench/run.mjs "$@"
# the embed side by side takes the same --quick and --runs
side=()
for ((i = 1; i <= $#; i++)); do
  case "${!i}" in
    --quick) side+=(--quick) ;;
    --runs) j=$((i + 1)); side+=(--runs "${!j}") ;;
  esac
done
printf '\n\033[1m== benchmark: the embed API side by side with the peer\033[0m\n'
node tests/bench/embed.mjs "${side[@]}"
# the other engines: figures only, 100k and 400k (the peer's 1M load alone
# takes minutes a run there)
for engine in firefox webkit; do
  printf '\n\033[1m== benchmark: the same side by side in %s (figures only)\033[0m\n' "$engine"
  node tests/bench/embed.mjs --engine "$engine" --sizes 100k,400k "${side[@]}"
done
