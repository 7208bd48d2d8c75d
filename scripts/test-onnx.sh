#!/usr/bin/env bash
# ONNX interchange checks (issue 18): PyTorch -> fcnet and fcnet -> ONNX Runtime on the 10,000 MNIST test
# digits, ONNX's checker, the .fcnet -> .onnx -> .fcnet round trip (tests/onnx/peer_check.py), then the
# distributed example: 2 DDP processes (gloo, 127.0.0.1) train one epoch on 10,000 digits, export ONNX,
# `fcnet convert` makes it a .fcnet, and the embeddable module (dist/, from scripts/build-module.sh)
# classifies MNIST test digits with it.
# Needs: scripts/install-deps.sh test (python3-torch, python3-onnx, onnxruntime-node in tests/onnx),
# MNIST ($FCNET_MNIST_DIR, else ../shared/data/mnist). Build folder: $FCNET_NATIVE_BUILD (build/native).
set -euo pipefail
cd "$(dirname "$0")/.."
native=${FCNET_NATIVE_BUILD:-build/native}
mnist=${FCNET_MNIST_DIR:-$PWD/../shared/data/mnist}
python=${FCNET_PYTHON:-/usr/bin/python3}   # Debian's python3, where python3-torch and python3-onnx live

step() { printf '\n== %s\n' "$*" >&2; }

cmake -S . -B "$native" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$native" -j"$(nproc)" --target fcnet
[ -d tests/onnx/node_modules/onnxruntime-node ] || scripts/install-deps.sh test
work=$(mktemp -d "${TMPDIR:-/tmp}/fcnet-onnx-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

step "peers: PyTorch -> fcnet, fcnet <-> ONNX Runtime, ONNX checker, round trip"
"$python" tests/onnx/peer_check.py "$native/fcnet" "$mnist" "$work/peers"

step "distributed: 2 DDP processes on 127.0.0.1, one epoch on 10,000 digits -> ONNX -> .fcnet -> embeddable module"
examples/distributed/launch_local.sh 2 --data "$mnist" --out "$work/ddp.onnx" --train-count 10000
"$native/fcnet" convert "$work/ddp.onnx" "$work/ddp.fcnet"
node tests/onnx/embed_classify.mjs "$work/ddp.fcnet" "$mnist" 1000 0.8
