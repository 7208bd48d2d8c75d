#!/usr/bin/env bash
# Builds the web app for the browser and runs its test in headless Chromium
# (web/tests/app.test.mjs: draws digits 0-9, a non-digit, undo and clear; about 2-4 minutes;
# web/tests/app-learn.test.mjs: corrections, the stored personal model, Forget).
# Screenshots go to test-artifacts/ (app-screenshot.png is the README's picture, copied by hand).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh web   # Chromium and playwright-core, on top of what the build needs
# The rehearsal sample the app's corrections train with: `fcnet rehearsal` (native) on MNIST and
# the pen strokes ($FCNET_MNIST_DIR, $FCNET_STROKES_DIR; defaults ../shared/data/...).
native=${FCNET_NATIVE_BUILD:-build/native}
cmake -S . -B "$native" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$native" -j"$(nproc)" --target fcnet
strokes=${FCNET_STROKES_DIR:-../shared/data/strokes}
[ -d "$strokes" ] || strokes=   # optional: renders join the rehearsal sample
mkdir -p build
"$native"/fcnet rehearsal --model models/mnist.fcnet --data "${FCNET_MNIST_DIR:-../shared/data/mnist}" \
  ${strokes:+--strokes "$strokes"} --out build/fcnet-rehearsal.bin
FCNET_APP_REHEARSAL=$PWD/build/fcnet-rehearsal.bin scripts/build-app.sh
cd web
node --test tests/app.test.mjs
node --test tests/app-learn.test.mjs  # corrections, IndexedDB, Forget
node --test tests/robustness.test.mjs  # bad input in the app and the module (dist/ from scripts/test-embed.sh)
