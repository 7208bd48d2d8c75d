#!/usr/bin/env bash
# Installs what is missing and builds the draw-a-digit app for the browser into build/wasm/site
# (index.html, .js, .wasm and .data holding the shipped model). The first run also builds SDL2,
# zlib and ImGui for wasm once (about 10-17 minutes, cached; see docs/wasm-build.md).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh web
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimiser needs Debian's acorn under node 20
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j"$(nproc)" --target fcnet_app
