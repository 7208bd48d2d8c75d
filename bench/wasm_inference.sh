#!/usr/bin/env bash
# Builds bench/inference_latency.cpp with emcc (-O3 -msimd128) and natively, runs both and prints
# their single-image latencies (result lines on stdout) and the wasm / native ratios (stderr).
# Usage: bash bench/wasm_inference.sh      (needs emscripten and node: scripts/install-deps.sh bench)
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs  # emcc's JS optimiser needs Debian's acorn
out=build/wasm-bench
mkdir -p "$out"
sources=(bench/inference_latency.cpp src/core/predictor.cpp src/core/network.cpp src/core/activation.cpp
         src/core/loss.cpp src/core/gemm.cpp src/core/gemm_single.cpp src/core/gemm_eigen.cpp
         src/core/update_kernel.cpp)
# The one matrix-product kernel and the optimizer update beside it, as cmake/gemm.cmake builds them
# for WebAssembly and FCNET_NATIVE_ARCH.
kernel=(-DFCNET_GEMM_KERNEL=gemm_kernel_single -DFCNET_GEMM_EIGEN=Eigen_single
        -DFCNET_UPDATE_FUNCTION=update_parameters_single -fno-math-errno)
command -v emcc >/dev/null || { echo "bench/wasm_inference.sh: emcc not found (scripts/install-deps.sh bench)" >&2; exit 1; }
emcc -std=c++17 -O3 -msimd128 -DNDEBUG -Isrc -Ibench -isystem /usr/include/eigen3 "${kernel[@]}" \
  -DFCNET_GEMM_NAME='"WebAssembly"' "${sources[@]}" \
  -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 -o "$out/inference_latency.js"
g++ -std=c++17 -O3 -march=native -DNDEBUG -Isrc -Ibench -isystem /usr/include/eigen3 "${kernel[@]}" \
  -DFCNET_GEMM_NAME='"-march=native"' "${sources[@]}" \
  -o "$out/inference_latency_native"
native="$("$out/inference_latency_native")"
# --no-liftoff: V8's optimising tier from the first call, as a page reaches after warm-up; without
# it, on a busy machine the background tier-up can land inside the timed rounds.
wasm="$(node --no-experimental-fetch --no-liftoff "$out/inference_latency.js")"
printf '%s\n%s\n' "$native" "$wasm"
printf '%s\n%s\n' "$native" "$wasm" | awk '
  $2 == "native-inference-network" { nn = $5 } $2 == "wasm-inference-network" { wn = $5 }
  $2 == "native-inference" { n = $5 } $2 == "wasm-inference" { w = $5 }
  END { printf "Network::predict: native %.2f us, wasm %.2f us (%.1fx); Predictor: native %.2f us, wasm %.2f us (%.2fx)\n",
               nn, wn, wn / nn, n, w, w / n > "/dev/stderr" }'
