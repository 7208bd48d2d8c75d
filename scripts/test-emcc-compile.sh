#!/usr/bin/env bash
# Checks scripts/emcc-compile.sh: files it compiles with emcc's clang directly come out
# byte-identical to emcc's own objects (C and C++, with and without -fwasm-exceptions, -O3 and -Oz, a
# define holding quotes and a space, a response file), a broken file fails the same way, and
# emcc-only options go to emcc. Needs emscripten; run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs

deps=$(scripts/wasm-deps.sh | tail -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache="$work/flags"
failures=0

# same NAME COMPILER ARGS... : the object from emcc and from the launcher must be identical.
same() {
  local name=$1 compiler=$2; shift 2
  "$compiler" "$@" -o "$work/$name.emcc.o" -c "${source:?}"
  scripts/emcc-compile.sh "$cache" "$compiler" "$@" -MD -MT x -MF "$work/$name.d" -o "$work/$name.o" -c "$source"
  if cmp -s "$work/$name.emcc.o" "$work/$name.o" && [[ -s $work/$name.d ]]; then
    echo "ok: $name"
  else
    echo "FAIL: $name: the direct compile differs from emcc's (or wrote no dependency file)"
    failures=$((failures + 1))
  fi
}

printf '%s\n' -Isrc "-isystem" /usr/include/eigen3 "-isystem" "$deps/include" >"$work/includes.rsp"
source=src/io/model_file.cpp
same "C++ -O3 -fwasm-exceptions, a quoted define" em++ -Isrc -isystem /usr/include/eigen3 -isystem "$deps/include" \
  -O3 -DNDEBUG -msimd128 -fwasm-exceptions -std=c++17 '-DFCNET_TEST_NAME="a b"'
source=src/data/doodles.cpp
same "C++ -Oz, no exceptions, a response file" em++ "@$work/includes.rsp" -Oz -DNDEBUG -msimd128 -std=c++17
source=src/app/canvas.cpp
same "C++ with SDL2 and ImGui headers" em++ -Isrc -isystem /usr/include/eigen3 -isystem "$deps/include" \
  -I"$deps/include/imgui" -I"$deps/include/SDL2" -DIMGUI_IMPL_OPENGL_ES3 -O3 -fwasm-exceptions -std=c++17
cat >"$work/events.c" <<'EOF'
#include <SDL.h>
int count_quit_events(const SDL_Event* events, int n) {
  int quits = 0;
  for (int i = 0; i < n; ++i) quits += events[i].type == SDL_QUIT;
  return quits;
}
EOF
source="$work/events.c"
same "C with SDL2's headers" emcc -I"$deps/include/SDL2" -O2 -DNDEBUG

echo 'int broken( {' >"$work/broken.cpp"
if scripts/emcc-compile.sh "$cache" em++ -O3 -fwasm-exceptions -std=c++17 -o "$work/broken.o" -c "$work/broken.cpp" 2>/dev/null; then
  echo "FAIL: a file that does not compile was reported compiled"; failures=$((failures + 1))
else
  echo "ok: a broken file fails"
fi
# An emcc-only option (-s...) goes to emcc, which still compiles the file.
source=src/core/loss.cpp
scripts/emcc-compile.sh "$cache" em++ -Isrc -isystem /usr/include/eigen3 -O2 -sSTRICT=1 -o "$work/strict.o" -c "$source"
[[ -s $work/strict.o ]] && echo "ok: -s options go to emcc" || { echo "FAIL: -sSTRICT=1"; failures=$((failures + 1)); }

entries=$(find "$cache" -type f | wc -l)
[[ $entries == 4 ]] && echo "ok: 4 distinct flag sets asked of emcc once each" \
  || { echo "FAIL: $entries flag sets cached, expected 4"; failures=$((failures + 1)); }
[[ $failures == 0 ]] || { echo "$failures checks failed"; exit 1; }
echo "emcc-compile: all checks passed"
