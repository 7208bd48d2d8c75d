#!/usr/bin/env bash
# Installs what is missing and builds the draw-a-digit app for the browser into build/wasm/site
# (index.html, .js, .wasm and .data holding the shipped model), printing each step's time. The
# first run also builds SDL2, zlib and ImGui for wasm once (cached; see docs/wasm-build.md).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
# step LABEL COMMAND...: runs COMMAND, then says how long it took (on stderr: stdout is COMMAND's).
step() {
  local label=$1 at=$SECONDS; shift
  echo "fcnet: $label..." >&2
  "$@" || return   # (explicit: set -e does not reach into $(...))
  echo "fcnet: $label: done in $((SECONDS - at)) s" >&2
}

step "checking the Debian packages" scripts/install-deps.sh app
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimiser needs Debian's acorn under node 20
deps=$(step "SDL2, zlib and ImGui for WebAssembly (first run only: about a minute on idle cores)" \
       scripts/wasm-deps.sh | tail -n 1)
# A rehearsal file for the app's corrections ($FCNET_APP_REHEARSAL, made by `fcnet rehearsal`);
# without one the app generates its rehearsal sample (docs/finetune.md).
step "configuring the app" emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
     -DFCNET_WASM_DEPS="$deps" -DFCNET_APP_REHEARSAL="${FCNET_APP_REHEARSAL:-}" >/dev/null
step "compiling and linking the app (first run: about a minute on idle cores)" \
     cmake --build build/wasm -j"$(nproc)" --target fcnet_app
echo "fcnet: app built in $((SECONDS - started)) s: build/wasm/site"
