#!/usr/bin/env bash
# The embeddable module's tests: builds it (scripts/build-module.sh) and its native helpers, then runs web/tests/embed-*.test.mjs.
#
#   scripts/test-embed.sh            build + every embed test (node and headless Chromium)
#   scripts/test-embed.sh --bench    the same, then web/tests/embed-bench.mjs (sizes and timings)
#
# Leaves the distributable module in dist/ (fcnet.js, fcnet.wasm, mnist.fcnet, fcnet-rehearsal.bin,
# fcnet.d.ts, embed-demo.html), as scripts/build-module.sh alone does. Needs emscripten, node,
# chromium and MNIST ($FCNET_MNIST_DIR, else ../shared/data/mnist); scripts/install-deps.sh web
# installs the packages. Build folders: $FCNET_NATIVE_BUILD (build/native, shared with
# scripts/test.sh) and $FCNET_EMBED_WASM_BUILD (build/embed-wasm).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/build-module.sh   # dist/, and the $root, $native, $mnist, $jobs and step() used below

step "native: fcnet_embed_golden and the C API's unit test in $native"
cmake --build "$native" -j"$jobs" --target fcnet_embed_golden test_embed_api
"$native"/test_embed_api

work=$(mktemp -d "${TMPDIR:-/tmp}/fcnet-embed-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

step "golden vectors: the first 200 MNIST test digits, and held-out writers' digits as strokes, native"
"$native"/fcnet_embed_golden "$mnist" dist/mnist.fcnet 200 "$work/golden" ${strokes:+"$strokes"}

step "a second, tiny digit model (784-32-10, one epoch on 5000 digits) for the two-model test"
"$native"/fcnet train --data "$mnist" --layers 784 32 10 --epochs 1 --train 5000 --no-calibrate \
  --threads 1 --out "$work/tiny.fcnet" > "$work/train.log" 2>&1 || { cat "$work/train.log" >&2; exit 1; }

step "a tiny model with a \"not a digit\" class (784-32-11), whose two test accuracies differ, for info()"
"$native"/fcnet train --data "$mnist" --layers 784 32 11 --nondigits 1000 --epochs 1 --train 5000 --no-calibrate \
  --threads 1 --out "$work/tiny-nondigit.fcnet" > "$work/train.log" 2>&1 || { cat "$work/train.log" >&2; exit 1; }

if [ ! -d web/node_modules/playwright-core ]; then
  step "npm ci in web/ (playwright-core)"
  (cd web && npm ci)
fi

step "tests: web/tests/embed-*.test.mjs"
export FCNET_EMBED_DIST=$root/dist FCNET_EMBED_GOLDEN=$work/golden FCNET_EMBED_TINY_MODEL=$work/tiny.fcnet \
  FCNET_EMBED_TINY_NONDIGIT_MODEL=$work/tiny-nondigit.fcnet FCNET_CLI=$(realpath "$native/fcnet")
node --test --test-reporter=spec web/tests/embed-*.test.mjs

if [ "${1:-}" = "--bench" ]; then
  step "benchmark"
  node web/tests/embed-bench.mjs
fi
