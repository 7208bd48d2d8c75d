#!/usr/bin/env bash
# Builds the embeddable module into dist/: fcnet_embed for wasm, and the native fcnet that makes its rehearsal sample.
#
#   scripts/build-module.sh    dist/: fcnet.js, fcnet.wasm, mnist.fcnet, fcnet-rehearsal.bin, fcnet.d.ts,
#                              embed-demo.html (and package.json, which lets Node.js 18 load fcnet.js)
#
# Needs emscripten and MNIST ($FCNET_MNIST_DIR, else ../shared/data/mnist); the pen strokes
# ($FCNET_STROKES_DIR, else ../shared/data/strokes) join the rehearsal sample when they are there.
# scripts/install-deps.sh web installs the packages. Build folders: $FCNET_NATIVE_BUILD
# (build/native, shared with scripts/test.sh) and $FCNET_EMBED_WASM_BUILD (build/embed-wasm).
# scripts/test-embed.sh sources this file and goes on with the variables and step() it sets.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
native=${FCNET_NATIVE_BUILD:-build/native}
wasm=${FCNET_EMBED_WASM_BUILD:-build/embed-wasm}
mnist=${FCNET_MNIST_DIR:-$root/../shared/data/mnist}
strokes=${FCNET_STROKES_DIR:-$root/../shared/data/strokes}   # optional: renders join the rehearsal sample
[ -d "$strokes" ] || strokes=
jobs=$(nproc)
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimiser needs Debian's acorn under node 20

step() { printf '\n== %s\n' "$*" >&2; }

if ! ls "$mnist"/train-images-idx3-ubyte* "$mnist"/t10k-images-idx3-ubyte* > /dev/null 2>&1; then
  echo "${0##*/}: no MNIST training or test images in $mnist; set FCNET_MNIST_DIR" >&2
  exit 1
fi

step "native: fcnet (the CLI, which makes the rehearsal sample) in $native"
cmake -S . -B "$native" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$native" -j"$jobs" --target fcnet

step "wasm: fcnet_embed in $wasm"
emcmake cmake -S . -B "$wasm" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$wasm" -j"$jobs" --target fcnet_embed
rm -rf dist
mkdir -p dist
cp "$wasm"/embed/* dist/

step "the rehearsal sample learn() fine-tunes with: dist/fcnet-rehearsal.bin"
"$native"/fcnet rehearsal --model dist/mnist.fcnet --data "$mnist" \
  ${strokes:+--strokes "$strokes"} --out dist/fcnet-rehearsal.bin
ls -l dist >&2
