#!/usr/bin/env bash
# The whole Catch2 suite built with AddressSanitizer + UndefinedBehaviorSanitizer (FCNET_SANITIZE)
# in build/asan: any leak, out-of-bounds access or undefined behaviour fails the test that hit it.
# Usage: scripts/test-sanitize.sh [ctest arguments...]   e.g. -R test_idx
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/asan
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFCNET_SANITIZE=ON >/dev/null
tests=$(for source in tests/unit/test_*.cpp; do basename "$source" .cpp; done)
cmake --build "$build" -j"$(nproc)" --target fcnet $tests
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
start=$(date +%s)
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 3000 "$@"
echo "sanitizer suite passed in $(( $(date +%s) - start )) s"
