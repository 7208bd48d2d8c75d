#!/usr/bin/env bash
# Fails when an object compiled for one instruction set (cmake/gemm.cmake) defines code the linker
# may share with the rest of the program: a weak symbol (a template or an inline function from a
# header) could be kept from the AVX-512 build for every caller and crash a CPU without AVX-512.
# Usage: tests/build/kernel_symbols.sh OBJECT...  (an argument may be a ;-separated list, as CTest
# passes $<TARGET_OBJECTS:...>)
set -euo pipefail
objects=()
for argument in "$@"; do
  IFS=';' read -r -a listed <<<"$argument"
  objects+=("${listed[@]}")
done
[ ${#objects[@]} -gt 0 ] || { echo "kernel_symbols.sh: no object files given" >&2; exit 2; }
status=0
for object in "${objects[@]}"; do
  [ -f "$object" ] || { echo "kernel_symbols.sh: $object: no such object file" >&2; exit 2; }
  # weak code (W) and weak objects (V); the personality routine's reference is the same everywhere
  shared=$(nm -C "$object" | awk '$2 == "W" || $2 == "V"' | grep -v 'DW.ref.__gxx_personality_v0' || true)
  if [ -n "$shared" ]; then
    echo "kernel_symbols.sh: $object defines symbols the linker may take for other callers:" >&2
    echo "$shared" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "kernel_symbols.sh: ${#objects[@]} objects define no shared symbols"
exit $status
