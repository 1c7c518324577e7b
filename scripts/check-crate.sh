#!/usr/bin/env bash
# The crate as Rust hosts get it: its documentation builds with no warnings,
# and `cargo package` would ship the source, the stylesheet and the seed
# articles, and none of the tests, fixtures, builds or packages around them.
set -euo pipefail
cd "$(dirname "$0")/.."
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
list=$(cargo package --list --allow-dirty 2>/dev/null)
for want in src/lib.rs src/components/annotator/mod.rs styles/hashiya.css assets/seed-articles.txt LICENSE README.md; do
  grep -qx "$want" <<<"$list" || { echo "check-crate: the package lacks $want" >&2; exit 1; }
done
if bad=$(grep -E '^(tests|dist|examples|embed|node_modules|scripts|target)/' <<<"$list"); then
  echo "check-crate: the package would ship files it should not:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "check-crate: docs build clean; the package lists $(wc -l <<<"$list") files"
