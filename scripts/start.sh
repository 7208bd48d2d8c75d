#!/usr/bin/env bash
# The first README command: builds the draw-a-digit web app with the shipped model and serves
# it at http://127.0.0.1:${FCNET_PORT:-8080}/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${FCNET_PORT:-8080}"
cache="${FCNET_WASM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fcnet-wasm}"
if [[ -f build/wasm/site/index.html ]] && compgen -G "$cache/emscripten-*/fcnet-wasm-deps.txt" >/dev/null; then
  echo "fcnet: rebuilding what changed in the web app (seconds), then serving it at http://127.0.0.1:$port/"
else
  echo "fcnet: first run: installs the Debian packages that are missing (minutes on a bare machine),"
  echo "       builds SDL2, zlib and Dear ImGui for WebAssembly once (cached in $cache), then the app:"
  echo "       about 3 CPU-minutes, so about 2 min on two idle cores (longer on a busy machine)."
  echo "       Then it serves http://127.0.0.1:$port/"
fi
started=$SECONDS
scripts/build-app.sh
echo "fcnet: ready after $((SECONDS - started)) s"
exec python3 scripts/serve.py --dir build/wasm/site --port "$port"
