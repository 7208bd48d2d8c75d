#!/usr/bin/env python3
"""NumPy and PyTorch MLP baselines for the fcnet training benchmark, on the same MNIST data.

Trains the three benchmark configs (784-128-10 batch 64, 784-256-128-10 batch 128,
784-512-256-10 batch 256) exactly as fcnet's benchmark does: ReLU hidden layers, He-normal
weights, zero biases, softmax cross-entropy, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), a
fresh shuffle each epoch, inputs scaled to [0, 1] then (x - mean) / stddev over all
training pixels, float32 throughout. Prints one line per run, read by scripts/bench.sh:

    result <numpy|pytorch> <layers> <batch> <samples_per_second> <test_accuracy> <train_seconds> <peak_rss_mib>

Usage: baseline.py <mnist-folder> [--epochs 3] [--threads 2] [--repeats 1] [--seed 1] [--only numpy|pytorch] [--config NAME]

Threads: NumPy's BLAS gets --threads through OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (set
before numpy loads). PyTorch runs at its best setting on this kind of machine:
torch.set_num_threads(--threads) for its own kernels and OPENBLAS_NUM_THREADS=1, so the
OpenBLAS it links does not start a second thread pool. Run each framework in its own process
(scripts/bench.sh does) so one's environment does not leak into the other.
"""
import argparse
import gzip
import os
import resource
import struct
import sys
import time

CONFIGS = [((784, 128, 10), 64), ((784, 256, 128, 10), 128), ((784, 512, 256, 10), 256)]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder with the MNIST IDX files (raw or .gz)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1, help="weights and shuffling; repeat r uses seed + r")
    parser.add_argument("--only", choices=["numpy", "pytorch"], required=True)
    parser.add_argument("--config", default="", help="a config name such as 784-256-128-10; all when empty")
    return parser.parse_args()


def read_idx(folder, stem):
    """Reads one IDX file (raw or gzip) into a numpy array."""
    import numpy as np
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            magic, = struct.unpack(">I", data[:4])
            dims = magic & 0xFF
            shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    sys.exit(f"baseline.py: {os.path.join(folder, stem)}[.gz] not found")


def load_mnist(folder):
    import numpy as np
    x_train = read_idx(folder, "train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255.0
    y_train = read_idx(folder, "train-labels-idx1-ubyte").astype(np.int64)
    x_test = read_idx(folder, "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255.0
    y_test = read_idx(folder, "t10k-labels-idx1-ubyte").astype(np.int64)
    mean = float(x_train.astype(np.float64).mean())
    std = float(x_train.astype(np.float64).std())
    return ((x_train - mean) / std).astype(np.float32), y_train, ((x_test - mean) / std).astype(np.float32), y_test


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ---- NumPy ----------------------------------------------------------------------------------
def train_numpy(sizes, batch, epochs, data, seed):
    """Returns (train seconds, test accuracy). Weights are in x out; Z = X W + b."""
    import numpy as np
    x_train, y_train, x_test, y_test = data
    rng = np.random.default_rng(seed)
    weights = [(rng.standard_normal((i, o)) * np.sqrt(2.0 / i)).astype(np.float32) for i, o in zip(sizes, sizes[1:])]
    biases = [np.zeros(o, np.float32) for o in sizes[1:]]
    params = weights + biases
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-8
    step = 0
    n = x_train.shape[0]
    count = len(weights)
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(n)
        for first in range(0, n, batch):
            idx = order[first:first + batch]
            x, y = x_train[idx], y_train[idx]
            rows = x.shape[0]
            acts = [x]
            for l in range(count):  # A_{l+1} = relu(A_l W_l + b_l), last layer linear
                z = acts[-1] @ weights[l] + biases[l]
                acts.append(np.maximum(z, 0, out=z) if l + 1 < count else z)
            logits = acts[-1]
            logits -= logits.max(axis=1, keepdims=True)
            probs = np.exp(logits)
            probs /= probs.sum(axis=1, keepdims=True)
            probs[np.arange(rows), y] -= 1.0
            delta = probs / np.float32(rows)  # dL/dZ_last = (softmax - one_hot) / rows
            grads_w, grads_b = [None] * count, [None] * count
            for l in range(count - 1, -1, -1):
                grads_w[l] = acts[l].T @ delta  # dL/dW = A_in^T dL/dZ
                grads_b[l] = delta.sum(axis=0)
                if l > 0:
                    delta = (delta @ weights[l].T) * (acts[l] > 0)  # dL/dZ_in = dL/dZ W^T * relu'
            step += 1
            c1, c2 = 1 - b1 ** step, 1 - b2 ** step
            for p, g, mp, vp in zip(params, grads_w + grads_b, m, v):
                mp *= b1
                mp += (1 - b1) * g
                vp *= b2
                vp += (1 - b2) * (g * g)
                p -= (lr / c1) * mp / (np.sqrt(vp / c2) + eps)
    seconds = time.perf_counter() - start
    a = x_test
    for l in range(count):
        a = a @ weights[l] + biases[l]
        if l + 1 < count:
            a = np.maximum(a, 0)
    return seconds, float((a.argmax(axis=1) == y_test).mean())


# ---- PyTorch --------------------------------------------------------------------------------
def train_pytorch(sizes, batch, epochs, data, seed):
    import torch
    x_train, y_train, x_test, y_test = (torch.from_numpy(a) for a in data)
    torch.manual_seed(seed)
    layers = []
    for l, (i, o) in enumerate(zip(sizes, sizes[1:])):
        linear = torch.nn.Linear(i, o)
        torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
        if l + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x_train.shape[0]
    generator = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for first in range(0, n, batch):
            idx = order[first:first + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
    return seconds, accuracy


def main():
    args = parse_args()
    # OpenBLAS reads these when it loads, so they are set before numpy or torch is imported.
    threads = str(args.threads)
    if args.only == "numpy":
        os.environ["OPENBLAS_NUM_THREADS"] = threads
        os.environ["OMP_NUM_THREADS"] = threads
    else:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    data = load_mnist(args.data)
    if args.only == "pytorch":
        import torch
        torch.set_num_threads(args.threads)
    train = train_numpy if args.only == "numpy" else train_pytorch
    samples = data[0].shape[0] * args.epochs
    for sizes, batch in CONFIGS:
        name = "-".join(map(str, sizes))
        if args.config and args.config != name:
            continue
        for repeat in range(args.repeats):
            seconds, accuracy = train(sizes, batch, args.epochs, data, seed=args.seed + repeat)
            print(f"result {args.only} {name} {batch} {samples / seconds:.0f} {accuracy:.4f} {seconds:.3f} "
                  f"{peak_rss_mib():.1f}", flush=True)


if __name__ == "__main__":
    main()
