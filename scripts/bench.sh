#!/usr/bin/env bash
# Training and inference benchmarks: fcnet against NumPy and PyTorch in the same run, one table.
# Usage: scripts/bench.sh [--data DIR] [--epochs N] [--threads N] [--repeats N] [--no-wasm]
#   --data     MNIST IDX folder (default: $FCNET_MNIST_DIR, else ../shared/data/mnist)
#   --epochs   epochs per training run (default 3)
#   --threads  threads for every framework (default 2)
#   --repeats  runs of each (framework, config), run r with seed r; the table shows medians (default 1)
#   --configs  which configs, space separated (default "784-128-10 784-256-128-10 784-512-256-10")
#   --no-wasm  skip the wasm single-image inference benchmark (built with emcc, run in node)
# Builds the default Release build (build/bench-default: what `fcnet train` users get, matrix
# products dispatched by CPU at run time) and the -march=native one (build/bench). Measures the
# CPU's FMA peak (bench/fma_peak.cpp) and how long a cache line takes from one core to another
# (bench/core_latency.cpp), then per config runs the product bound (the config's matrix
# products alone), fcnet in both builds, NumPy and PyTorch one after the other, so each ratio is
# measured under the same load; and the whole `fcnet train` process against the whole NumPy script.
set -euo pipefail
cd "$(dirname "$0")/.."

data="${FCNET_MNIST_DIR:-../shared/data/mnist}"
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
for native in OFF ON; do
  dir=build/bench-default
  [ "$native" = ON ] && dir=build/bench
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DFCNET_NATIVE_ARCH="$native" -DFCNET_BUILD_TESTS=OFF \
    -DFCNET_BENCH=ON >/dev/null
  cmake --build "$dir" -j2 --target fcnet fcnet_train_bench fcnet_kernel_bench fcnet_inference_latency fcnet_fma_peak \
    fcnet_core_latency
done

results="$(mktemp)" model="$(mktemp --suffix .fcnet)"
trap 'rm -f "$results" "$model"' EXIT
echo "load before: $(uptime)"
echo "result cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" | tee -a "$results" >&2
build/bench-default/bench/fcnet_fma_peak "$threads" | tee -a "$results" >&2
[ "$threads" -gt 1 ] && build/bench-default/bench/fcnet_core_latency | tee -a "$results" >&2

# Wall seconds and peak RSS (MiB) of a whole process: result process-<name> <config> <batch> <seconds> <rss>.
whole_process() {
  local name="$1" config="$2" batch="$3"
  shift 3
  /usr/bin/time -f "result process-$name $config $batch %e %M" -o "$results.time" "$@" >/dev/null
  awk '{ $6 = sprintf("%.1f", $6 / 1024); print }' "$results.time" | tee -a "$results" >&2
  rm -f "$results.time"
}
for ((repeat = 1; repeat <= repeats; repeat++)); do
  for config in "${configs[@]}"; do
    echo "run $repeat/$repeats: $config" >&2
    # The bound: this config's matrix products alone (BM_ProductBound, default build), just before fcnet trains it.
    FCNET_THREADS="$threads" OMP_NUM_THREADS="$threads" build/bench-default/bench/fcnet_kernel_bench \
      --benchmark_filter='BM_ProductBound' --benchmark_min_time=0.5 --benchmark_format=json 2>/dev/null |
      /usr/bin/python3 -c 'import json, sys
for b in json.load(sys.stdin)["benchmarks"]:
    if b["label"] == sys.argv[1]:
        print("result bound", b["label"], 0, round(b["samples/s"]))' "$config" | tee -a "$results" >&2
    OMP_NUM_THREADS="$threads" build/bench-default/bench/fcnet_train_bench "$data" --epochs "$epochs" \
      --threads "$threads" --seed "$repeat" --config "$config" | tee -a "$results" >&2
    OMP_NUM_THREADS="$threads" build/bench/bench/fcnet_train_bench "$data" --epochs "$epochs" --threads "$threads" \
      --seed "$repeat" --config "$config" | sed 's/^result fcnet /result fcnet-native /; s/^gemm /gemm-native /' |
      tee -a "$results" >&2
    /usr/bin/python3 bench/baseline.py "$data" --only numpy --epochs "$epochs" --threads "$threads" \
      --seed "$repeat" --config "$config" | tee -a "$results" >&2
    /usr/bin/python3 bench/baseline.py "$data" --only pytorch --epochs "$epochs" --threads "$threads" \
      --seed "$repeat" --config "$config" | tee -a "$results" >&2
    # Whole processes, data loading and the test evaluation included: fcnet train (default build,
    # the benchmark's recipe: Adam lr 1e-3, no validation split, no calibration) and the NumPy script.
    batch=$(awk -v c="$config" '$1 == "result" && $2 == "fcnet" && $3 == c { print $4; exit }' "$results")
    whole_process fcnet "$config" "$batch" env OMP_NUM_THREADS="$threads" build/bench-default/fcnet train \
      --data "$data" --layers "${config//-/,}" --epochs "$epochs" --batch "$batch" --optimizer adam --lr 0.001 \
      --val 0 --no-calibrate --threads "$threads" --seed "$repeat" --out "$model"
    whole_process numpy "$config" "$batch" /usr/bin/python3 bench/baseline.py "$data" --only numpy \
      --epochs "$epochs" --threads "$threads" --seed "$repeat" --config "$config"
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
runs, inference, bounds, processes = {}, {}, {}, {}
cpu, peak, gemm, latency = "?", None, {}, None
for line in open(path):
    f = line.split()
    if f and f[0] in ("gemm", "gemm-native"):
        gemm[f[0]] = " ".join(f[1:])
    if not f or f[0] != "result":
        continue
    if f[1] == "cpu":
        cpu = " ".join(f[2:])
    elif f[1] == "fma-peak":  # result fma-peak <name words> 1 <GFLOP/s> <threads> <GFLOP/s>
        peak = (" ".join(f[2:-4]), float(f[-3]), int(f[-2]), float(f[-1]))
    elif f[1] == "core-latency":
        latency = float(f[2])
    elif "-inference" in f[1]:
        inference[f[1]] = float(f[4])
    elif f[1] == "bound":
        bounds.setdefault(f[2], []).append(float(f[4]))
    elif f[1].startswith("process-"):
        processes.setdefault((f[2], f[1][len("process-"):]), []).append((float(f[4]), float(f[5])))
    else:
        runs.setdefault((f[2], f[3]), {}).setdefault(f[1], []).append((float(f[4]), float(f[5]), float(f[7])))

def median(values):
    return statistics.median(values) if values else float("nan")

def flops_per_sample(config):
    """GEMM FLOPs of one training sample: forward 2W, dW 2W, dA 2W less the first layer's (no input gradient)."""
    sizes = [int(s) for s in config.split("-")]
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    return 6 * weights - 2 * sizes[0] * sizes[1]

peak_all = peak[3] if peak else float("nan")
print(f"\nCPU: {cpu}; matrix products: default build {gemm.get('gemm', '?')}, "
      f"native build {gemm.get('gemm-native', '?')}")
if peak:
    print(f"measured FMA peak ({peak[0]}, bench/fma_peak.cpp): {peak[1]:.1f} GFLOP/s on 1 thread, "
          f"{peak[3]:.1f} on {peak[2]}")
if latency is not None:
    print(f"a cache line from one core to the other (bench/core_latency.cpp): {latency:.0f} ns")
print(f"MNIST, {epochs} epochs, {threads} threads, Adam lr 1e-3; samples/s = training samples / training time "
      f"(median of runs); % of peak = samples/s x GEMM FLOPs per sample (6W - 2 x inputs x first hidden) / FMA "
      f"peak on {threads} threads; accuracy on the 10k test set; PyTorch with OPENBLAS_NUM_THREADS=1 and "
      f"torch.set_num_threads({threads})")
print("| config | batch | fcnet samples/s | % of peak | native build samples/s | native % of peak | product bound "
      "| NumPy samples/s | PyTorch samples/s | fcnet / NumPy | fcnet / PyTorch | whole process NumPy / fcnet "
      "| accuracy fcnet / NumPy / PyTorch | peak RSS fcnet / NumPy |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
spreads = []
for (config, batch), by in runs.items():
    speed = {k: median([r[0] for r in v]) for k, v in by.items()}
    accuracy = {k: median([r[1] for r in v]) for k, v in by.items()}
    rss = {k: max(r[2] for r in v) for k, v in by.items()}
    fc, native, np_, pt = (speed.get(k, float("nan")) for k in ("fcnet", "fcnet-native", "numpy", "pytorch"))
    bound = median(bounds.get(config, []))
    share = lambda samples: samples * flops_per_sample(config) / (peak_all * 1e9)
    whole = {k: median([p[0] for p in processes.get((config, k), [])]) for k in ("fcnet", "numpy")}
    acc = " / ".join(f"{100 * accuracy.get(k, float('nan')):.2f}%" for k in ("fcnet", "numpy", "pytorch"))
    print(f"| {config} | {batch} | {fc:,.0f} | {share(fc):.0%} | {native:,.0f} | {share(native):.0%} | {bound:,.0f} "
          f"| {np_:,.0f} | {pt:,.0f} | {fc / np_:.2f}x | {fc / pt:.2f}x "
          f"| {whole['numpy']:.1f} s / {whole['fcnet']:.1f} s = {whole['numpy'] / whole['fcnet']:.2f}x "
          f"| {acc} | {rss.get('fcnet', float('nan')):.0f} / {rss.get('numpy', float('nan')):.0f} MiB |")
    spreads.append(f"{config}: " + ", ".join(
        f"{k} {min(r[0] for r in v):,.0f}-{max(r[0] for r in v):,.0f}" for k, v in by.items()))
print("product bound: the same step's matrix products alone (fcnet_kernel_bench BM_ProductBound, default build), "
      "measured just before each fcnet run")
print("whole process: wall time of `fcnet train` (default build; data loading and test evaluation included) "
      "against the whole `baseline.py --only numpy` run")
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
