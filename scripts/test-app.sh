#!/usr/bin/env bash
# Builds the web app for the browser and runs its test in headless Chromium
# (web/tests/app.test.mjs: draws digits 0-9, a scribble, undo and clear; about 2-4 minutes).
# Screenshots go to test-artifacts/; assets/app-screenshot.png is refreshed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh web
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimiser needs Debian's acorn under node 20
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j"$(nproc)" --target fcnet_app

cd web
node --test tests/app.test.mjs
