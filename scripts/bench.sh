#!/usr/bin/env bash
# Training and inference benchmarks: fcnet against NumPy and PyTorch in the same run, one table.
# Usage: scripts/bench.sh [--data DIR] [--epochs N] [--threads N] [--repeats N] [--no-wasm]
#   --data     MNIST IDX folder (default: $FCNET_MNIST_DIR, else data/mnist)
#   --epochs   epochs per training run (default 3)
#   --threads  threads for every framework (default 2)
#   --repeats  runs of each (framework, config), run r with seed r; the table shows medians (default 1)
#   --configs  which configs, space separated (default "784-128-10 784-256-128-10 784-512-256-10")
#   --no-wasm  skip the wasm single-image inference benchmark (built with emcc, run in node)
# Builds build/bench with -march=native (FCNET_NATIVE_ARCH=ON). Runs the product bound (the
# config's matrix products alone), fcnet, NumPy and PyTorch on the same config one after the
# other, so each ratio is measured under the same load.
set -euo pipefail
cd "$(dirname "$0")/.."

data="${FCNET_MNIST_DIR:-data/mnist}"
epochs=3 threads=2 repeats=1 wasm=1
configs=(784-128-10 784-256-128-10 784-512-256-10)
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --configs) read -r -a configs <<<"$2"; shift 2 ;;
    --no-wasm) wasm=0; shift ;;
    *) echo "scripts/bench.sh: unknown argument '$1' (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
[ -e "$data/train-images-idx3-ubyte.gz" ] || [ -e "$data/train-images-idx3-ubyte" ] ||
  { echo "scripts/bench.sh: no MNIST IDX files in '$data' (pass --data DIR or set FCNET_MNIST_DIR)" >&2; exit 1; }

scripts/install-deps.sh bench
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DFCNET_NATIVE_ARCH=ON -DFCNET_BUILD_TESTS=OFF -DFCNET_BENCH=ON >/dev/null
cmake --build build/bench -j2 --target fcnet_train_bench fcnet_kernel_bench fcnet_inference_latency

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "load before: $(uptime)"
for ((repeat = 1; repeat <= repeats; repeat++)); do
  for config in "${configs[@]}"; do
    echo "run $repeat/$repeats: $config" >&2
    # The bound: this config's matrix products alone (BM_ProductBound), just before fcnet trains it.
    FCNET_THREADS="$threads" OMP_NUM_THREADS="$threads" build/bench/bench/fcnet_kernel_bench \
      --benchmark_filter='BM_ProductBound' --benchmark_min_time=0.5 --benchmark_format=json 2>/dev/null |
      /usr/bin/python3 -c 'import json, sys
for b in json.load(sys.stdin)["benchmarks"]:
    if b["label"] == sys.argv[1]:
        print("result bound", b["label"], 0, round(b["samples/s"]))' "$config" | tee -a "$results" >&2
    OMP_NUM_THREADS="$threads" build/bench/bench/fcnet_train_bench "$data" --epochs "$epochs" --threads "$threads" \
      --seed "$repeat" --config "$config" | tee -a "$results" >&2
    /usr/bin/python3 bench/baseline.py "$data" --only numpy --epochs "$epochs" --threads "$threads" \
      --seed "$repeat" --config "$config" | tee -a "$results" >&2
    /usr/bin/python3 bench/baseline.py "$data" --only pytorch --epochs "$epochs" --threads "$threads" \
      --seed "$repeat" --config "$config" | tee -a "$results" >&2
  done
done

# Inference latency: with wasm, native and wasm run back to back (one load) from the same source.
if [ "$wasm" = 1 ]; then
  bash bench/wasm_inference.sh | tee -a "$results" >&2
else
  build/bench/bench/fcnet_inference_latency | tee -a "$results" >&2
fi
echo "load after: $(uptime)"

/usr/bin/python3 - "$results" "$epochs" "$threads" <<'EOF'
import statistics
import sys

path, epochs, threads = sys.argv[1], sys.argv[2], sys.argv[3]
runs, inference, bounds = {}, {}, {}
for line in open(path):
    f = line.split()
    if not f or f[0] != "result":
        continue
    if "-inference" in f[1]:
        inference[f[1]] = float(f[4])
        continue
    if f[1] == "bound":
        bounds.setdefault(f[2], []).append(float(f[4]))
        continue
    runs.setdefault((f[2], f[3]), {}).setdefault(f[1], []).append(
        (float(f[4]), float(f[5]), float(f[7])))

def median(values):
    return statistics.median(values) if values else float("nan")

print(f"\nMNIST, {epochs} epochs, {threads} threads, Adam lr 1e-3; samples/s = training samples / training time "
      f"(median of runs); accuracy on the 10k test set; PyTorch with OPENBLAS_NUM_THREADS=1 and "
      f"torch.set_num_threads({threads})")
print("| config | batch | fcnet samples/s | product bound | fcnet / bound | NumPy samples/s | PyTorch samples/s "
      "| fcnet / NumPy | fcnet / PyTorch | accuracy fcnet / NumPy / PyTorch | fcnet peak RSS |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
spreads = []
for (config, batch), by in runs.items():
    speed = {k: median([r[0] for r in v]) for k, v in by.items()}
    accuracy = {k: median([r[1] for r in v]) for k, v in by.items()}
    rss = max((r[2] for r in by.get("fcnet", [])), default=float("nan"))
    fc, np_, pt = (speed.get(k, float("nan")) for k in ("fcnet", "numpy", "pytorch"))
    bound = median(bounds.get(config, []))
    acc = " / ".join(f"{100 * accuracy.get(k, float('nan')):.2f}%" for k in ("fcnet", "numpy", "pytorch"))
    print(f"| {config} | {batch} | {fc:,.0f} | {bound:,.0f} | {fc / bound:.0%} | {np_:,.0f} | {pt:,.0f} "
          f"| {fc / np_:.2f}x | {fc / pt:.2f}x | {acc} | {rss:.0f} MiB |")
    spreads.append(f"{config}: " + ", ".join(
        f"{k} {min(r[0] for r in v):,.0f}-{max(r[0] for r in v):,.0f}" for k, v in by.items()))
print("product bound: the same step's matrix products alone (fcnet_kernel_bench BM_ProductBound), measured "
      "just before each fcnet run")
print("range of samples/s over the runs: " + "; ".join(spreads))
for label, suffix in (("Predictor (no allocation, SIMD kernel)", ""), ("Network::predict", "-network")):
    native, wasm = inference.get("native-inference" + suffix), inference.get("wasm-inference" + suffix)
    if native is None:
        continue
    line = f"single-image inference 784-256-128-10, {label}, median: native {native:.2f} us"
    if wasm is not None:
        line += f", wasm (node) {wasm:.2f} us, wasm / native {wasm / native:.2f}x"
    print(line)
EOF
