#!/usr/bin/env bash
# The first README command: builds the draw-a-digit web app with the shipped model and serves
# it at http://127.0.0.1:${FCNET_PORT:-8080}/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build-app.sh
exec python3 scripts/serve.py --dir build/wasm/site --port "${FCNET_PORT:-8080}"
