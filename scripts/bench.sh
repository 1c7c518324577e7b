#!/usr/bin/env bash
# Performance benchmark of Hashiya: sets everything up (idempotent), builds the
# release bundle, then drives it in headless Chromium and prints a Markdown
# table (also written to tests/bench/results/latest.json).
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
printf '\n\033[1m== benchmark\033[0m\n'
node tests/bench/run.mjs "$@"
