#!/usr/bin/env bash
# The first README command: installs what is missing, builds the draw-a-digit web app for the
# browser (WebAssembly) and serves it at http://127.0.0.1:${FCNET_PORT:-8080}/ until Ctrl-C.
# The first run also builds SDL2, zlib and ImGui for wasm once (about 10-17 minutes, cached).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh web
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimiser needs Debian's acorn under node 20
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j"$(nproc)" --target fcnet_app

# build/wasm/site holds index.html, .js, .wasm and .data (the shipped model, packaged).
exec python3 scripts/serve.py --dir build/wasm/site --port "${FCNET_PORT:-8080}"
