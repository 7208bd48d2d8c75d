#!/usr/bin/env bash
# Installs what is missing and builds the draw-a-digit app for the browser into build/wasm/site
# (index.html, .js, .wasm and .data holding the shipped model), printing each step's time and
# what it did this run: SDL2, zlib and ImGui for wasm are built once and then taken from the
# cache (docs/wasm-build.md); the app is compiled in full in a new build tree, else only what
# changed (or nothing).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
stamp=$(mktemp)           # older than anything this run writes
trap 'rm -f "$stamp"' EXIT
# step LABEL COMMAND...: runs COMMAND, then says how long it took (on stderr: stdout is COMMAND's).
step() {
  local label=$1 at=$SECONDS; shift
  echo "fcnet: $label..." >&2
  "$@"
  echo "fcnet: $label: done in $((SECONDS - at)) s" >&2
}
# written_this_run FILE...: true if this run wrote any of the files.
written_this_run() {
  local file
  for file; do [[ $file -nt $stamp ]] && return 0; done
  return 1
}

step "checking the Debian packages" scripts/install-deps.sh app
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimiser needs Debian's acorn under node 20

at=$SECONDS
echo "fcnet: SDL2, zlib and ImGui for WebAssembly: from the cache, or built there (about a minute on idle cores)..." >&2
deps=$(scripts/wasm-deps.sh | tail -n 1)
if written_this_run "$deps/fcnet-wasm-deps.txt"; then
  echo "fcnet: SDL2, zlib and ImGui for WebAssembly: built in $((SECONDS - at)) s, cached in $deps for later runs" >&2
else
  echo "fcnet: SDL2, zlib and ImGui for WebAssembly: taken from the cache ($deps), nothing built, $((SECONDS - at)) s" >&2
fi

[[ -f build/wasm/CMakeCache.txt ]] && fresh='' || fresh=yes
# A rehearsal file for the app's corrections ($FCNET_APP_REHEARSAL, made by `fcnet rehearsal`);
# without one the app generates its rehearsal sample (docs/finetune.md).
step "configuring the app" emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
     -DFCNET_WASM_DEPS="$deps" -DFCNET_APP_REHEARSAL="${FCNET_APP_REHEARSAL:-}" >/dev/null

at=$SECONDS
if [[ -n $fresh ]]; then
  echo "fcnet: compiling and linking the app in a new build tree (about a minute on idle cores)..." >&2
else
  echo "fcnet: rebuilding what changed in the app..." >&2
fi
cmake --build build/wasm -j"$(nproc)" --target fcnet_app
site=(build/wasm/site/index.html build/wasm/site/index.js build/wasm/site/index.wasm build/wasm/site/index.data)
if [[ -n $fresh ]]; then
  echo "fcnet: the app: compiled and linked in $((SECONDS - at)) s" >&2
elif written_this_run "${site[@]}"; then
  echo "fcnet: the app: rebuilt what changed in $((SECONDS - at)) s" >&2
else
  echo "fcnet: the app: up to date, nothing rebuilt, $((SECONDS - at)) s" >&2
fi
echo "fcnet: the app is ready in build/wasm/site, $((SECONDS - started)) s in all"
