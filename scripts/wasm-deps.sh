#!/usr/bin/env bash
# wasm-deps.sh: builds zlib, SDL2 and Dear ImGui for WebAssembly from Debian source packages, cached.
#
# Usage: scripts/wasm-deps.sh            (prints the install prefix as the last line of stdout)
#   FCNET_WASM_DEPS=/some/dir            install there instead of the cache directory below
#   FCNET_WASM_CACHE=/some/dir           cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/fcnet-wasm)
#   FCNET_WASM_JOBS=N                    parallel build jobs (default: nproc)
#   FCNET_WASM_RECORD_CHECKS=1           run zlib's and SDL2's configure checks in full and write
#                                        their answers to cmake/wasm-deps/ (see section 3)
#   FCNET_EMCC_DIRECT=0                  compile every file through emcc, not scripts/emcc-compile.sh
#
# Why from source: emscripten's ports (-sUSE_SDL=2, -sUSE_ZLIB=1) download at build time,
# and this project's machines reach only Debian and npm packages. See docs/wasm-build.md.
#
# Sections:
#   1. settings and helpers
#   2. Debian packages and the deb-src entry
#   3. source tarballs, recorded configure answers and the cache key
#   4. zlib   (static, target zlibstatic only)
#   5. SDL2   (its own CMake through emcmake, static, video + events + timers only)
#   6. ImGui  (core + SDL2 and OpenGL ES3 backends, one static library)
#   7. publish the prefix
set -Eeuo pipefail                          # -E: the ERR trap below also fires inside functions

# ==== 1. settings and helpers ============================================================
RECIPE_VERSION=2                            # bump when the build recipe below changes
APT_PACKAGES=(emscripten nodejs cmake make dpkg-dev xz-utils bzip2 libeigen3-dev)
SOURCE_PACKAGES=(libsdl2 imgui zlib)

export NODE_PATH=/usr/share/nodejs          # node 20 does not see Debian's node-acorn otherwise
CACHE_ROOT="${FCNET_WASM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fcnet-wasm}"
JOBS="${FCNET_WASM_JOBS:-$(nproc 2>/dev/null || echo 2)}"
START_SECONDS=$SECONDS
ANSWERS_DIR="$(cd "$(dirname "$0")/.." && pwd)/cmake/wasm-deps"
# Each file compiled with emcc's clang directly: the same objects without emcc's Python start-up
# per file (scripts/emcc-compile.sh), which was most of SDL2's build time.
DIRECT="$(cd "$(dirname "$0")" && pwd)/emcc-compile.sh"
[[ ${FCNET_EMCC_DIRECT:-1} == 0 ]] && DIRECT=''

log() { echo "wasm-deps: $*" >&2; }         # messages go to stderr: stdout is the prefix only
die() { echo "wasm-deps: error: $*" >&2; exit 1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"
  fi
}

# Runs a build step with its output in a log file; on failure shows the log's tail.
run_logged() {
  local name=$1; shift
  local logfile="$WORK_DIR/$name.log"
  if ! "$@" >"$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2
    die "step '$name' failed; full log: $logfile"
  fi
}

# ==== 2. Debian packages and the deb-src entry ===========================================
missing_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == 'install ok installed' ]] || echo "$pkg"
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
}

has_source_index() {                        # (no 'grep -q' on a pipe: SIGPIPE + pipefail)
  [[ $(apt-cache showsrc zlib 2>/dev/null) == *'Package: zlib'* ]]
}

# Adds deb-src entries (copies of the deb entries) when apt knows no source package.
ensure_deb_src() {
  has_source_index && return 0
  local deb822=/etc/apt/sources.list.d/debian.sources
  local added=/etc/apt/sources.list.d/fcnet-deb-src.sources
  if ! grep -rqsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    if [[ -f $deb822 ]]; then
      log "adding deb-src entries to $added (copied from $deb822)"
      sed -E 's/^Types:.*$/Types: deb-src/' "$deb822" | as_root tee "$added" >/dev/null
    elif [[ -f /etc/apt/sources.list ]]; then
      added=/etc/apt/sources.list.d/fcnet-deb-src.list
      log "adding deb-src lines to $added (copied from /etc/apt/sources.list)"
      sed -nE 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list | as_root tee "$added" >/dev/null
    else
      die "no apt sources found to copy a deb-src entry from"
    fi
  fi
  log "apt-get update (for the source package index)"
  as_root apt-get update -q >&2
  has_source_index || die "apt still knows no source packages after adding deb-src entries"
}

# ==== 3. source tarballs, recorded configure answers and the cache key =====================
SOURCES_DIR="$CACHE_ROOT/sources"

find_tarball() {                            # find_tarball PATTERN -> newest matching path
  # shellcheck disable=SC2206                # $1 is a glob pattern on purpose
  local matches=("$SOURCES_DIR"/$1)
  [[ -e ${matches[0]} ]] || return 1
  printf '%s\n' "${matches[@]}" | sort -V | tail -n 1
}

fetch_sources() {
  mkdir -p "$SOURCES_DIR"
  if find_tarball 'libsdl2_*.orig.tar.*' >/dev/null && find_tarball 'imgui_*.orig.tar.*' >/dev/null \
     && find_tarball 'zlib_*.orig.tar.*' >/dev/null; then
    return 0
  fi
  install_packages
  ensure_deb_src
  log "downloading Debian source packages: ${SOURCE_PACKAGES[*]} -> $SOURCES_DIR"
  local package
  for package in "${SOURCE_PACKAGES[@]}"; do fetch_source "$package"; done
}

# The candidate version of a source package, else any other version apt lists: an archive may
# list a security update's source that it does not serve (zlib's did), and the older one is
# built from the same upstream tarball. apt's messages go to a log, shown when every version failed.
fetch_source() {
  local package=$1 version logfile="$SOURCES_DIR/apt-get-source.log"
  (cd "$SOURCES_DIR" && apt-get source --download-only -q "$package") >>"$logfile" 2>&1 && return 0
  while read -r version; do
    log "$package: retrying with version $version"
    (cd "$SOURCES_DIR" && apt-get source --download-only -q "$package=$version") >>"$logfile" 2>&1 && return 0
  done < <(apt-cache showsrc "$package" | sed -n 's/^Version: //p' | sort -rV | uniq)
  tail -n 20 "$logfile" >&2
  die "could not download the source package $package (tried every version apt lists); log: $logfile"
}

# Each configure check of zlib's and SDL2's CMake (8 and 159: headers, libc functions, compiler
# flags) is an emcc compile and link of a test program, a second or two each: most of a
# cold build. Their answers depend only on emscripten and the source tarball, so they are kept
# in cmake/wasm-deps/<name>-checks.cmake and given to CMake as an initial cache (cmake -C), which
# skips every check answered there. A file is used only when its 'for:' line names this
# emscripten and this tarball; otherwise the checks run in full (and FCNET_WASM_RECORD_CHECKS=1
# writes a new file).
answers_for() {                             # answers_for NAME TARBALL -> the line a file must hold
  echo "# for: emscripten $EMSCRIPTEN_VERSION, $(basename "$2")"
}

answers_file() {                            # answers_file NAME TARBALL -> path, if it applies
  local file="$ANSWERS_DIR/$1-checks.cmake"
  [[ -z ${FCNET_WASM_RECORD_CHECKS:-} && -f $file ]] || return 1
  [[ $(sed -n 2p "$file") == "$(answers_for "$1" "$2")" ]] || return 1
  echo "$file"
}

# configure NAME TARBALL SRC BUILD ARGS...: emcmake cmake with the recorded answers when they apply.
configure() {
  local name=$1 tarball=$2 src=$3 build=$4; shift 4
  local answers=() file
  if file=$(answers_file "$name" "$tarball"); then
    answers=(-C "$file")
  elif [[ -n ${FCNET_WASM_RECORD_CHECKS:-} ]]; then
    log "$name: running every configure check, to record the answers"
  else
    log "$name: no recorded configure answers for $(answers_for "$name" "$tarball" | cut -c8-): running every check (slow)"
  fi
  local launch=()
  [[ -n $DIRECT ]] && launch=(-DCMAKE_C_COMPILER_LAUNCHER="$DIRECT;$WORK_DIR/emcc-flags"
                                -DCMAKE_CXX_COMPILER_LAUNCHER="$DIRECT;$WORK_DIR/emcc-flags")
  run_logged "$name-configure" emcmake cmake "${answers[@]}" "${launch[@]}" -S "$src" -B "$build" "$@"
  [[ -n ${FCNET_WASM_RECORD_CHECKS:-} ]] && record_answers "$name" "$tarball" "$build"
  return 0
}

# The check results are the INTERNAL cache entries a project sets itself (CMake's own start
# with CMAKE_, and find_package's message memos are no check); an empty value is a check that
# failed, and is kept as such.
record_answers() {
  local name=$1 tarball=$2 build=$3 file="$ANSWERS_DIR/$1-checks.cmake"
  mkdir -p "$ANSWERS_DIR"
  { echo "# $name's configure check results for WebAssembly, written by FCNET_WASM_RECORD_CHECKS=1 scripts/wasm-deps.sh."
    answers_for "$name" "$tarball"
    sed -nE '/^(CMAKE_|_|FIND_PACKAGE_MESSAGE_DETAILS_)/d; s/^([A-Za-z][A-Za-z0-9_]*):INTERNAL=(.*)$/set(\1 "\2" CACHE INTERNAL "")/p' \
      "$build/CMakeCache.txt"
  } >"$file"
  log "$name: recorded $(($(wc -l <"$file") - 2)) configure answers in $file"
}

# ==== 4. zlib ===========================================================================
build_zlib() {
  log "zlib: building from $(basename "$ZLIB_TARBALL")"
  local src="$WORK_DIR/zlib-src" build="$WORK_DIR/zlib-build" started=$SECONDS
  mkdir -p "$src" && tar -xf "$ZLIB_TARBALL" -C "$src" --strip-components=1
  mkdir -p "$src/win32" && touch "$src/win32/zlib1.rc"   # Debian's tarball drops win32/; CMake needs the file
  configure zlib "$ZLIB_TARBALL" "$src" "$build" -DCMAKE_BUILD_TYPE=Release
  run_logged zlib-build cmake --build "$build" --target zlibstatic -j "$JOBS"   # 'zlib' would also write libz.a
  install -D -m 644 "$build/libz.a" "$STAGE/lib/libz.a"
  install -D -m 644 "$src/zlib.h" "$STAGE/include/zlib.h"
  install -D -m 644 "$build/zconf.h" "$STAGE/include/zconf.h"
  log "zlib: built in $((SECONDS - started)) s"
}

# ==== 5. SDL2 ===========================================================================
build_sdl2() {
  log "SDL2: building from $(basename "$SDL2_TARBALL")"
  local src="$WORK_DIR/sdl2-src" build="$WORK_DIR/sdl2-build" started=$SECONDS
  mkdir -p "$src" && tar -xf "$SDL2_TARBALL" -C "$src" --strip-components=1
  # Only the subsystems the app uses: video (WebGL2 through EGL + GLES), events and timers. The
  # API of the others stays (ImGui's SDL backend calls the game controller functions), with
  # no driver behind it. SDL_config.h records which are off (SDL_AUDIO_DISABLED, ...).
  local off=() subsystem
  for subsystem in AUDIO JOYSTICK HAPTIC HIDAPI SENSOR POWER FILESYSTEM LOCALE MISC RENDER \
                   DUMMYVIDEO DUMMYAUDIO DISKAUDIO; do
    off+=("-DSDL_$subsystem=OFF")
  done
  configure sdl2 "$SDL2_TARBALL" "$src" "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$STAGE" -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF "${off[@]}"
  log "SDL2: configured in $((SECONDS - started)) s, compiling"
  run_logged sdl2-build cmake --build "$build" -j "$JOBS"
  run_logged sdl2-install cmake --install "$build"
  # The installed SDL_config.h must be the generated one (what include-config-release holds in
  # the build tree), not SDL's generic fallback header.
  grep -q 'SDL_VIDEO_DRIVER_EMSCRIPTEN' "$STAGE/include/SDL2/SDL_config.h" \
    || die "SDL2: installed SDL_config.h is not the Emscripten configuration"
  log "SDL2: built in $((SECONDS - started)) s"
}

# ==== 6. Dear ImGui =====================================================================
build_imgui() {
  log "ImGui: building from $(basename "$IMGUI_TARBALL")"
  local src="$WORK_DIR/imgui-src" objs="$WORK_DIR/imgui-obj" started=$SECONDS
  mkdir -p "$src" "$objs" && tar -xf "$IMGUI_TARBALL" -C "$src" --strip-components=1
  local sources=(imgui.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp imgui_demo.cpp
                 backends/imgui_impl_sdl.cpp backends/imgui_impl_opengl3.cpp)
  local file
  for file in "${sources[@]}"; do
    [[ -f $src/$file ]] || die "ImGui: $file is missing from $(basename "$IMGUI_TARBALL")"
  done
  # -DIMGUI_IMPL_OPENGL_ES3: WebGL2 is OpenGL ES 3.0; users of the library must define it too.
  local flags=(-std=c++17 -O2 -DNDEBUG -DIMGUI_IMPL_OPENGL_ES3
               -I"$src" -I"$STAGE/include/SDL2")
  local compile=(em++)
  [[ -n $DIRECT ]] && compile=("$DIRECT" "$WORK_DIR/emcc-flags" em++)
  # shellcheck disable=SC2016                # the inner sh expands $0, $1 and $@
  printf '%s\n' "${sources[@]}" | xargs -P "$JOBS" -I{} sh -c \
    'src=$0 objs=$1; shift; "$@" -o "$objs/$(basename {} .cpp).o" -c "$src/{}"' \
    "$src" "$objs" "${compile[@]}" "${flags[@]}" \
    >"$WORK_DIR/imgui-build.log" 2>&1 || { tail -n 40 "$WORK_DIR/imgui-build.log" >&2; die "ImGui: compile failed"; }
  emar rcs "$STAGE/lib/libimgui.a" "$objs"/*.o
  mkdir -p "$STAGE/include/imgui"
  cp "$src"/imgui.h "$src"/imconfig.h "$src"/imgui_internal.h "$src"/imstb_*.h \
     "$src"/backends/imgui_impl_sdl.h "$src"/backends/imgui_impl_opengl3.h \
     "$src"/backends/imgui_impl_opengl3_loader.h "$STAGE/include/imgui/"
  if [[ -f $src/LICENSE.txt ]]; then cp "$src/LICENSE.txt" "$STAGE/include/imgui/"; fi
  log "ImGui: built in $((SECONDS - started)) s"
}

# ==== 7. publish the prefix =============================================================
main() {
  if [[ -n ${FCNET_WASM_DEPS:-} && -f $FCNET_WASM_DEPS/fcnet-wasm-deps.txt ]]; then
    log "up to date: $FCNET_WASM_DEPS"       # a finished prefix named by the caller: no checks needed
    echo "$FCNET_WASM_DEPS"
    return 0
  fi
  install_packages
  fetch_sources
  SDL2_TARBALL=$(find_tarball 'libsdl2_*.orig.tar.*')
  IMGUI_TARBALL=$(find_tarball 'imgui_*.orig.tar.*')
  ZLIB_TARBALL=$(find_tarball 'zlib_*.orig.tar.*')

  local key version_text                    # (no 'emcc | head' either: SIGPIPE + pipefail)
  version_text=$(emcc --version)
  [[ $version_text =~ [0-9]+\.[0-9]+\.[0-9]+ ]] || die "cannot read emscripten's version from 'emcc --version'"
  EMSCRIPTEN_VERSION=${BASH_REMATCH[0]}
  key=$( { sha256sum "$SDL2_TARBALL" "$IMGUI_TARBALL" "$ZLIB_TARBALL" | cut -d' ' -f1
           cat "$ANSWERS_DIR"/*-checks.cmake 2>/dev/null || true      # the answers are part of the recipe
           echo "emscripten $EMSCRIPTEN_VERSION recipe $RECIPE_VERSION"; } | sha256sum | cut -c1-16)
  local prefix="${FCNET_WASM_DEPS:-$CACHE_ROOT/emscripten-$EMSCRIPTEN_VERSION-$key}"

  mkdir -p "$(dirname "$prefix")"
  exec 9>"$prefix.lock"                     # two configures at once: the second waits, then reuses
  flock 9

  if [[ -f $prefix/fcnet-wasm-deps.txt ]]; then
    log "up to date: $prefix"
    echo "$prefix"
    return 0
  fi
  if [[ -e $prefix ]] && [[ -n $(ls -A "$prefix") ]]; then
    die "$prefix exists but holds no finished build (no fcnet-wasm-deps.txt); remove it and rerun"
  fi

  rm -rf "$prefix".work.*                   # left by an earlier failed run (we hold the lock)
  log "building into $prefix (emscripten $EMSCRIPTEN_VERSION, $JOBS jobs)"
  WORK_DIR=$(mktemp -d "$prefix.work.XXXXXX")
  STAGE="$WORK_DIR/stage"
  mkdir -p "$STAGE/lib" "$STAGE/include"
  trap 'log "build failed; logs kept in $WORK_DIR"' ERR

  build_zlib
  build_sdl2
  build_imgui

  cat >"$STAGE/fcnet-wasm-deps.txt" <<EOF
# Written by scripts/wasm-deps.sh: WebAssembly builds of fcnet's browser dependencies.
emscripten $EMSCRIPTEN_VERSION
recipe $RECIPE_VERSION
$(cd "$SOURCES_DIR" && sha256sum "$(basename "$SDL2_TARBALL")" "$(basename "$IMGUI_TARBALL")" "$(basename "$ZLIB_TARBALL")")
EOF
  [[ -d $prefix ]] && rmdir "$prefix"
  mv "$STAGE" "$prefix"
  rm -rf "$WORK_DIR"
  trap - ERR
  log "done in $((SECONDS - START_SECONDS)) s: $prefix"
  echo "$prefix"
}

main "$@"
