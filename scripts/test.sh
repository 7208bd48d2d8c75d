#!/usr/bin/env bash
# The whole test suite: installs what is missing, then runs the native Catch2 suite (CTest),
# the same suite under ASan + UBSan, each fuzz target for 60 s, the direct wasm compile, the
# embeddable module's tests (node and Chromium), the ONNX peer and distributed checks, and the
# web app's browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release
cmake --build build/native -j"$(nproc)"
ctest --test-dir build/native --output-on-failure -j"$(nproc)"
scripts/test-sanitize.sh   # the same suite under ASan + UBSan (build/asan)
scripts/fuzz.sh 60         # every libFuzzer target for 60 s (build/fuzz)

scripts/test-emcc-compile.sh   # the direct wasm compiles give emcc's own objects
scripts/test-embed.sh
scripts/test-onnx.sh       # ONNX against PyTorch and ONNX Runtime, the distributed example (needs dist/ from test-embed)
scripts/test-app.sh
