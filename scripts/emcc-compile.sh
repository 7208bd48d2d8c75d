#!/usr/bin/env bash
# emcc-compile.sh: a compiler launcher that compiles one file for WebAssembly with clang itself,
# given the flags emcc would give it, so emcc's Python start-up is paid once per set of flags
# instead of once per file.
#
# Usage (CMake): -DCMAKE_C_COMPILER_LAUNCHER="scripts/emcc-compile.sh;CACHE_DIR" (and CXX), so each
# compile runs as:   emcc-compile.sh CACHE_DIR emcc|em++ ARGS... -o OBJECT -c SOURCE
#
# emcc compiles a file by running its clang with `emcc --cflags ARGS` (the target, sysroot and
# defines, then ARGS) followed by the input and output; the objects are byte-identical
# (scripts/test-emcc-compile.sh checks that on the project's sources). The flags depend on some of
# ARGS (with -fwasm-exceptions emcc leaves out its -fignore-exceptions), so they are asked for once
# per distinct set of those and kept in CACHE_DIR. Anything that is not a plain compile of one file,
# or that uses emcc's own options (-s..., --..., -pthread, -fsanitize), goes to emcc unchanged.
set -euo pipefail

cache=$1 compiler=$2
shift 2

via_emcc() { exec "$compiler" "$@"; }

# Split ARGS into the flags that shape the code and this file's own names (output, dependency
# file, source: the argument after -c, as CMake and wasm-deps.sh write it).
flags=() own=() source=''
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  arg=${args[i]}
  case $arg in
    -c) source=${args[i + 1]:-}; own+=(-c "$source"); i=$((i + 1)) ;;
    -o|-MT|-MF|-MQ) own+=("$arg" "${args[i + 1]:-}"); i=$((i + 1)) ;;
    -MD|-MMD) own+=("$arg") ;;
    -s|-s[A-Z]*|--*|-pthread|-fsanitize*|-E|-M|-MM) via_emcc "$@" ;;
    *) flags+=("$arg") ;;
  esac
done
[[ -n $source && $source != -* ]] || via_emcc "$@"

# emcc's own flags (target, sysroot, defines) depend on some of ARGS (with -fwasm-exceptions emcc
# leaves out its -fignore-exceptions) but not on defines, include paths or warnings, which --cflags
# would echo back shell-quoted. So ask with the rest, once per distinct rest, and keep the answer in
# CACHE_DIR.
shaping=()
for ((i = 0; i < ${#flags[@]}; i++)); do
  case ${flags[i]} in
    -isystem|-include|-iquote|-idirafter) i=$((i + 1)) ;;
    -D*|-U*|-I*|-W*|@*) ;;
    *) shaping+=("${flags[i]}") ;;
  esac
done
key=$(printf '%s\n' "$compiler" "${shaping[@]}" | sha256sum | cut -c1-32)
file="$cache/$key"
if [[ ! -f $file ]]; then
  mkdir -p "$cache"
  root=$(em-config LLVM_ROOT) suffix=$(em-config CLANG_ADD_VERSION)
  clang=clang; [[ $compiler == *++* ]] && clang=clang++
  [[ -n $suffix && $suffix != None ]] && clang+="-$suffix"
  answer=$("$compiler" --cflags "${shaping[@]}")
  eval "answer=($answer)"                   # emcc prints them quoted for a shell (shlex)
  # The answer is emcc's flags followed by the ones asked with: keep emcc's.
  n=$((${#answer[@]} - ${#shaping[@]}))
  [[ $n -gt 0 && "${answer[*]:n}" == "${shaping[*]}" ]] || via_emcc "$@"
  tmp=$(mktemp "$file.XXXXXX")
  printf '%s\n' "$root/$clang" "${answer[@]:0:n}" >"$tmp"   # line 1: the clang emcc runs
  mv "$tmp" "$file"
fi
mapfile -t cached <"$file"
[[ -x ${cached[0]} ]] || via_emcc "$@"
# As emcc runs it: its flags, then ARGS, then the input and output.
exec "${cached[0]}" "${cached[@]:1}" "${flags[@]}" "${own[@]}"
