#!/usr/bin/env bash
# "Learn my handwriting" benchmark: held-out writers correct the shipped model (bench/finetune_users.cpp).
#
#   scripts/bench-finetune.sh [UNIPEN_WRITERS [OPTION=VALUE...]]   prints the README's tables (Markdown)
#   (OPTIONs override the fine-tuning defaults: layers, rows, steps, target, lr; see bench/finetune_users.cpp)
#
# Builds fcnet and fcnet_finetune_users in $FCNET_NATIVE_BUILD (build/native), draws the rehearsal
# sample with `fcnet rehearsal` (as scripts/test-embed.sh does for the module), then simulates the
# users. Needs MNIST ($FCNET_MNIST_DIR, else ../shared/data/mnist) and the pen strokes
# ($FCNET_STROKES_DIR, else ../shared/data/strokes).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
native=${FCNET_NATIVE_BUILD:-build/native}
mnist=${FCNET_MNIST_DIR:-$root/../shared/data/mnist}
strokes=${FCNET_STROKES_DIR:-$root/../shared/data/strokes}
model=models/mnist.fcnet

cmake -S . -B "$native" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$native" -j2 --target fcnet fcnet_finetune_users >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/fcnet-bench-finetune.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$native"/fcnet rehearsal --model "$model" --data "$mnist" --strokes "$strokes" --out "$work/rehearsal.bin" >&2
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$native"/fcnet_finetune_users "$model" "$mnist" "$strokes" "$work/rehearsal.bin" "${1:-14}" "${@:2}"
