#!/usr/bin/env bash
# The first README command: builds the draw-a-digit web app with the shipped model and serves
# it at http://127.0.0.1:${FCNET_PORT:-8080}/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${FCNET_PORT:-8080}"
cache="${FCNET_WASM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fcnet-wasm}"
cached_deps=0
compgen -G "$cache/emscripten-*/fcnet-wasm-deps.txt" >/dev/null && cached_deps=1
if [[ -f build/wasm/site/index.html && $cached_deps == 1 ]]; then
  echo "fcnet: rebuilding what changed in the web app (seconds), then serving it at http://127.0.0.1:$port/"
elif [[ $cached_deps == 1 ]]; then
  echo "fcnet: first build of the app in this checkout: SDL2, zlib and Dear ImGui come from the cache"
  echo "       ($cache); compiling the app takes about 1 min on two idle cores. Then it serves"
  echo "       http://127.0.0.1:$port/"
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
