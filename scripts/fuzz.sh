#!/usr/bin/env bash
# A long fuzz run of every reader (tests/fuzz_readers.rs: Hashiya JSON, JSONL, W3C and the
# localStorage record) in release mode, with a fresh seed.
#
#   scripts/fuzz.sh [CASES_PER_READER [SEED]]      (default: 1000000 cases, a random seed)
#
# Prints per reader the cases run, accepted and refused, the time and rate, and any new
# finding with its minimized input and seed. Exits non-zero when a reader has a new finding.
# CI runs the same tests in debug mode with the test file's default of 1,000 cases a reader.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

cases="${1:-${HASHIYA_FUZZ_CASES:-1000000}}"
seed="${2:-${HASHIYA_FUZZ_SEED:-$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')}}"
log="${FUZZ_LOG:-target/fuzz-readers.log}"

# Release mode tuned for a fuzz run rather than for a small wasm: tests unwind on panic (the
# harness catches panics) and so does the rest, so that the library is built once, not once
# with `panic = "abort"` for the binary and once with unwinding for the test; that pair
# shares one output file (cargo issue 6313), and the test may link the wrong one. Speed over
# size: opt-level 3 without fat LTO builds in half the time of `opt-level = "z"` with it and
# runs about a quarter faster. Overflow checks stay off, as in the shipped build.
export CARGO_PROFILE_RELEASE_PANIC=unwind
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${FUZZ_OPT_LEVEL:-3}"
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
mkdir -p "$(dirname "$log")"

echo "building (release) ..."
cargo test --release --test fuzz_readers --no-run
echo "fuzzing every reader: $cases cases each, seed $seed (full log: $log)"
started=$(date +%s)
set +e
HASHIYA_FUZZ_CASES="$cases" HASHIYA_FUZZ_SEED="$seed" \
  cargo test --release --test fuzz_readers -- --nocapture 2>&1 |
  tee "$log" | grep --line-buffered -E '^(fuzz |  |test result|error)'
status=${PIPESTATUS[0]}
set -e
echo
echo "per reader:"
grep -E '^fuzz ' "$log" | sed -E 's/^fuzz ([^:]+): ([0-9]+) cases \(([0-9]+) accepted, ([0-9]+) refused\) in ([0-9.]+ s), ([0-9]+) cases\/s.*new findings: ([0-9]+)$/  \1\t\2 cases\t\3 accepted\t\4 refused\t\5\t\6 cases\/s\tnew findings: \7/'
echo "wall time: $(($(date +%s) - started)) s, seed $seed"
exit "$status"
