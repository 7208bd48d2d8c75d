#!/usr/bin/env bash
# Installs the Debian packages fcnet needs on a fresh Debian 12 machine (skips what is there).
# Usage: scripts/install-deps.sh native|app|web|test|bench
#   native: the library, the fcnet command and the native app
#   app:    only what building and serving the web app needs (scripts/start.sh): emscripten,
#           CMake, the header-only libraries and what scripts/wasm-deps.sh unpacks sources with
#   web:    native + app + Chromium, TypeScript and playwright-core (the browser tests)
#   test:   web + the datasets the tests read, clang with libFuzzer (scripts/fuzz.sh), and PyTorch, ONNX
#           and onnxruntime-node (tests/onnx) for scripts/test-onnx.sh
#   bench:  native + NumPy and PyTorch (with pthread OpenBLAS), emscripten and node, GNU time for scripts/bench.sh
set -euo pipefail

native=(cmake make g++ pkg-config libeigen3-dev zlib1g-dev catch2 libcli11-dev nlohmann-json3-dev libstb-dev
        libsdl2-dev libimgui-dev fonts-dejavu-core libbenchmark-dev libonnx-dev libprotobuf-dev)
bench=(python3-numpy python3-torch libopenblas0-pthread emscripten nodejs time)
app=(cmake make emscripten nodejs python3 libeigen3-dev libstb-dev dpkg-dev xz-utils bzip2)
web=(chromium node-typescript)
mode="${1:-native}"
case "$mode" in
  native) wanted=("${native[@]}") ;;
  app)    wanted=("${app[@]}") ;;
  web)    wanted=("${native[@]}" "${app[@]}" "${web[@]}") ;;
  test)   wanted=("${native[@]}" "${app[@]}" "${web[@]}" dataset-fashion-mnist clang libclang-rt-14-dev
                  python3-numpy python3-torch python3-onnx) ;;
  bench)  wanted=("${native[@]}" "${bench[@]}") ;;
  *) echo "usage: $0 native|app|web|test|bench" >&2; exit 2 ;;
esac

# playwright-core (drives Debian's chromium in the browser tests), pinned by web/package-lock.json;
# for test, onnxruntime-node pinned by tests/onnx/package-lock.json. Its install script only fetches
# optional GPU files (the CPU runtime ships in the package), so it is skipped: --ignore-scripts.
install_node_packages() {
  [ "$mode" = web ] || [ "$mode" = test ] || return 0
  # Debian's nodejs comes without npm (its own package); Node.js builds that bundle npm need none.
  if ! command -v npm >/dev/null; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm
  fi
  [ -d web/node_modules/playwright-core ] || (cd web && npm ci --no-audit --no-fund --loglevel=error)
  [ "$mode" = test ] || return 0
  [ -d tests/onnx/node_modules/onnxruntime-node ] ||
    (cd tests/onnx && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
}
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  install_node_packages
  exit 0
fi

echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_node_packages
