#!/usr/bin/env bash
# Sets everything up, builds the release bundle and serves the annotator with
# the seed articles at http://127.0.0.1:8080/ (PORT=… to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
PORT="${PORT:-8080}"
echo "Hashiya: open http://127.0.0.1:${PORT}/ once the build below finishes."
exec trunk serve --release --offline --port "$PORT" --address 127.0.0.1
