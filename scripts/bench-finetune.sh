#!/usr/bin/env bash
# "Learn my handwriting" benchmark: held-out writers correct the shipped model (bench/finetune_users.cpp).
#
#   scripts/bench-finetune.sh [UNIPEN_WRITERS [OPTION=VALUE...]]   prints the README's tables (Markdown)
#   OPTIONs: rehearsal=generated (default: the sample the app and `fcnet finetune` make without
#   data, data/generated_rehearsal.h, with its pen paths; per_class=N sets its size) or
#   rehearsal=data (drawn from MNIST and the train writers' pen strokes by `fcnet rehearsal`, as
#   for the module and the FCNET_APP_REHEARSAL build); part=validation takes the validation
#   writers instead of the test writers (to choose options on); reading=pixels reads the digits by
#   their images alone (default: image and pen path mixed, as the app reads strokes); path=fixed
#   keeps the pen-path network as shipped (by default it learns too, with the sample's pen paths:
#   the generated sample's, or those `fcnet rehearsal` puts in the file);
#   memory=COSINE measures a memory of corrections (docs/finetune.md); the others override the
#   fine-tuning defaults: layers, rows, share, steps, target, lr, path_lr, budget, copies,
#   distort (a scale on the copies' distortions; see
#   bench/finetune_users.cpp).
#
# Builds fcnet and fcnet_finetune_users in $FCNET_NATIVE_BUILD (build/native), then simulates the
# users. Needs MNIST ($FCNET_MNIST_DIR, else ../shared/data/mnist) and the pen strokes
# ($FCNET_STROKES_DIR, else ../shared/data/strokes): the writers, and MNIST test accuracy after.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
native=${FCNET_NATIVE_BUILD:-build/native}
mnist=${FCNET_MNIST_DIR:-$root/../shared/data/mnist}
strokes=${FCNET_STROKES_DIR:-$root/../shared/data/strokes}
model=models/mnist.fcnet

writers=${1:-14}
rehearsal=generated
options=()
for option in "${@:2}"; do
  case $option in
    rehearsal=generated|rehearsal=data) rehearsal=${option#rehearsal=} ;;
    rehearsal=*) echo "bench-finetune.sh: $option: expected rehearsal=generated or rehearsal=data" >&2; exit 2 ;;
    *) options+=("$option") ;;
  esac
done

cmake -S . -B "$native" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$native" -j2 --target fcnet fcnet_finetune_users >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/fcnet-bench-finetune.XXXXXX")
trap 'rm -rf "$work"' EXIT
sample=generated
if [[ $rehearsal == data ]]; then
  sample=$work/rehearsal.bin
  "$native"/fcnet rehearsal --model "$model" --data "$mnist" --strokes "$strokes" --out "$sample" >&2
fi
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$native"/fcnet_finetune_users "$model" "$mnist" "$strokes" "$sample" "$writers" ${options[@]+"${options[@]}"}
