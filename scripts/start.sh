#!/usr/bin/env bash
# The first README command: installs what is missing, builds fcnet and shows it working.
# Until the web app lands this trains a small MNIST model, evaluates and calibrates it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh native
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$(nproc)" --target fcnet

data="${FCNET_MNIST_DIR:-../shared/data/mnist}"
mkdir -p build/models
build/native/fcnet train --data "$data" --layers 784,128,10 --epochs 3 --out build/models/small.fcnet
build/native/fcnet info --model build/models/small.fcnet
