#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang and runs each for a while, one at a time.
# Usage: scripts/fuzz.sh [seconds-per-target] [target...]   (default 60 s, every fuzz_* target)
#        scripts/fuzz.sh --seeds                             (rewrites tests/fuzz/corpus from code)
# Fails on any crash, leak, timeout (an input slower than 20 s) or memory blow-up (2 GiB);
# the input that did it is left in build/fuzz/artifacts/. Prints executions and coverage per target.
# Each run starts from the seeds plus what earlier runs found (kept in build/fuzz/corpus/).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/fuzz
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DFCNET_FUZZ=ON -DFCNET_BUILD_TESTS=OFF >/dev/null
if [ "${1:-}" = "--seeds" ]; then
  cmake --build "$build" -j2 --target make_seed_corpus
  rm -rf tests/fuzz/corpus
  "$build/fuzz/make_seed_corpus" tests/fuzz/corpus
  exit 0
fi

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi
cmake --build "$build" -j2 --target "${targets[@]}"

mkdir -p "$build/artifacts"
failed=()
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  log="$build/$target.log"
  mkdir -p "$corpus"
  echo "== $target: ${seconds} s"
  status=0
  "$build/fuzz/$target" "$corpus" "tests/fuzz/corpus/$target" -max_total_time="$seconds" -timeout=20 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  coverage=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[^ ]+' || true)
  echo "   executions: ${runs:-?}  ${coverage:-no coverage line}  exit: $status  (log: $log)"
  if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20 | sed 's/^/   /'
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzzing failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing passed: ${targets[*]}"
