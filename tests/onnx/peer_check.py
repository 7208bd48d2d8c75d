#!/usr/bin/env python3
"""ONNX peer checks of `fcnet convert`: PyTorch -> fcnet, fcnet -> ONNX Runtime, ONNX's checker, the round trip.

Usage: peer_check.py FCNET_CLI MNIST_DIR WORK_DIR   (scripts/test-onnx.sh runs it)
Needs Debian's python3-torch, python3-onnx, python3-numpy, and node with tests/onnx/node_modules
(onnxruntime-node). Prints each measured difference; exits 1 when any check fails.
"""
import gzip
import os
import subprocess
import sys

import numpy as np
import onnx
import onnx.checker
import onnx.helper as helper
import onnx.numpy_helper as numpy_helper
import torch

TOLERANCE = 1e-5  # largest allowed difference between two probabilities
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
failures = []


def read_idx(mnist_dir, name):
    """An IDX file of the MNIST folder (plain or .gz) as a numpy array of its shape."""
    path = os.path.join(mnist_dir, name)
    opener = open if os.path.exists(path) else gzip.open
    with opener(path if os.path.exists(path) else path + ".gz", "rb") as file:
        data = file.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def run(*command):
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"peer_check: {' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def compare(name, expected, actual):
    """Records the largest difference and whether every predicted class agrees."""
    difference = float(np.max(np.abs(expected - actual)))
    agree = int(np.sum(expected.argmax(axis=1) == actual.argmax(axis=1)))
    ok = difference <= TOLERANCE and agree == len(expected)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {len(expected)} images, largest difference {difference:.3g} "
          f"(limit {TOLERANCE:g}), same class {agree}/{len(expected)}")
    if not ok:
        failures.append(name)


def fcnet_probabilities(cli, model, mnist_dir, work):
    out = os.path.join(work, os.path.basename(model) + ".probabilities.csv")
    run(cli, "evaluate", "--model", model, "--data", mnist_dir, "--part", "test", "--probabilities", out)
    return np.loadtxt(out, delimiter=",", dtype=np.float64)


def ort_probabilities(model, mnist_dir, count, work, sample_shape="784"):
    out = os.path.join(work, os.path.basename(model) + ".ort.csv")
    run("node", os.path.join(HERE, "ort_probabilities.mjs"), model, mnist_dir, count, out, sample_shape)
    return np.loadtxt(out, delimiter=",", dtype=np.float64).reshape(count, -1)


def train_torch_mlp(mnist_dir):
    """One epoch of Adam on the 60,000 training digits: 784-128-64-10, ReLU, softmax output."""
    torch.manual_seed(1)
    images = torch.from_numpy(read_idx(mnist_dir, "train-images-idx3-ubyte").astype(np.float32) / 255).unsqueeze(1)
    labels = torch.from_numpy(read_idx(mnist_dir, "train-labels-idx1-ubyte").astype(np.int64))
    body = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 128), torch.nn.ReLU(),
                               torch.nn.Linear(128, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
    optimizer = torch.optim.Adam(body.parameters(), lr=1e-3)
    order = torch.randperm(len(images))
    for start in range(0, len(images), 64):
        batch = order[start:start + 64]
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(body(images[batch]), labels[batch]).backward()
        optimizer.step()
    return torch.nn.Sequential(body, torch.nn.Softmax(dim=1)).eval()


def matmul_add_graph(torch_model, path):
    """The torch model's weights as newer exporters write them: MatMul + Add, weights transposed by a
    Transpose node, biases in Constant nodes, float16 weights behind a Cast, Identity and Dropout
    passed through, a Reshape at the input and LogSoftmax at the end."""
    linears = [module for module in torch_model[0] if isinstance(module, torch.nn.Linear)]
    nodes, initializers = [], [numpy_helper.from_array(np.array([-1, 784], dtype=np.int64), "shape")]
    nodes.append(helper.make_node("Reshape", ["image", "shape"], ["x0"], name="flatten"))
    current = "x0"
    for i, linear in enumerate(linears):
        weight = linear.weight.detach().numpy()  # out x in, as torch stores it
        if i == 0:  # float16 weights: the Cast makes them float for the MatMul
            initializers.append(numpy_helper.from_array(weight.astype(np.float16), f"w{i}_half"))
            nodes.append(helper.make_node("Cast", [f"w{i}_half"], [f"w{i}"], to=onnx.TensorProto.FLOAT, name=f"cast{i}"))
        else:
            initializers.append(numpy_helper.from_array(weight, f"w{i}"))
        nodes.append(helper.make_node("Transpose", [f"w{i}"], [f"w{i}_t"], perm=[1, 0], name=f"transpose{i}"))
        nodes.append(helper.make_node("Constant", [], [f"b{i}"], value=numpy_helper.from_array(
            linear.bias.detach().numpy(), f"b{i}_value"), name=f"bias{i}"))
        nodes.append(helper.make_node("MatMul", [current, f"w{i}_t"], [f"m{i}"], name=f"matmul{i}"))
        nodes.append(helper.make_node("Add", [f"m{i}", f"b{i}"], [f"z{i}"], name=f"add{i}"))
        current = f"z{i}"
        if i + 1 < len(linears):
            nodes.append(helper.make_node("Relu", [current], [f"a{i}"], name=f"relu{i}"))
            nodes.append(helper.make_node("Dropout", [f"a{i}"], [f"d{i}"], name=f"dropout{i}"))
            nodes.append(helper.make_node("Identity", [f"d{i}"], [f"i{i}"], name=f"identity{i}"))
            current = f"i{i}"
    nodes.append(helper.make_node("LogSoftmax", [current], ["log_probabilities"], axis=-1, name="log_softmax"))
    graph = helper.make_graph(
        nodes, "matmul_add", [helper.make_tensor_value_info("image", onnx.TensorProto.FLOAT, ["batch", 1, 28, 28])],
        [helper.make_tensor_value_info("log_probabilities", onnx.TensorProto.FLOAT, ["batch", 10])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="peer_check")
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)
    return model


def main():
    cli, mnist_dir, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    test_images = read_idx(mnist_dir, "t10k-images-idx3-ubyte").astype(np.float32) / 255

    # ---- PyTorch -> fcnet: torch.onnx.export (Flatten, Gemm transB=1, Relu, Softmax) ----------
    model = train_torch_mlp(mnist_dir)
    exported = os.path.join(work, "torch_gemm.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), exported, opset_version=13, input_names=["image"],
                      output_names=["probabilities"], dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}})
    with torch.no_grad():
        torch_probabilities = model(torch.from_numpy(test_images).unsqueeze(1)).double().numpy()
    print("torch.onnx.export wrote:", " ".join(node.op_type for node in onnx.load(exported).graph.node))
    run(cli, "convert", exported, os.path.join(work, "torch_gemm.fcnet"))
    compare("PyTorch -> fcnet (Gemm graph from torch.onnx.export)", torch_probabilities,
            fcnet_probabilities(cli, os.path.join(work, "torch_gemm.fcnet"), mnist_dir, work))

    # ---- PyTorch weights as a MatMul + Add graph: fcnet against PyTorch and ONNX Runtime -------------
    matmul = os.path.join(work, "torch_matmul_add.onnx")
    matmul_add_graph(model, matmul)
    run(cli, "convert", matmul, os.path.join(work, "torch_matmul_add.fcnet"))
    fcnet_matmul = fcnet_probabilities(cli, os.path.join(work, "torch_matmul_add.fcnet"), mnist_dir, work)
    compare("ONNX Runtime -> fcnet (MatMul + Add graph, float16 first layer)",
            np.exp(ort_probabilities(matmul, mnist_dir, len(test_images), work, "1,28,28")), fcnet_matmul)

    # ---- fcnet -> ONNX Runtime, ONNX's checker, the round trip -----------------------------------
    shipped = os.path.join(REPO, "models", "mnist.fcnet")
    exported = os.path.join(work, "mnist.onnx")
    run(cli, "convert", shipped, exported)
    onnx.checker.check_model(onnx.load(exported), full_check=True)
    print("ok   ONNX checker (python3-onnx " + onnx.__version__ + ", full_check) accepts", exported)
    compare("fcnet -> ONNX Runtime (models/mnist.fcnet, 11 classes)",
            fcnet_probabilities(cli, shipped, mnist_dir, work), ort_probabilities(exported, mnist_dir, len(test_images), work))
    # ONNX holds the network that reads images; the shipped model's pen-path network (for drawings
    # given as strokes) stays in the .fcnet file. So the round trip keeps every byte of that network:
    # exported again, it gives the same ONNX file, and it reads the test images exactly as before.
    again = os.path.join(work, "mnist.again.fcnet")
    run(cli, "convert", exported, again)
    exported_again = os.path.join(work, "mnist.again.onnx")
    run(cli, "convert", again, exported_again)
    with open(exported, "rb") as a, open(exported_again, "rb") as b:
        identical = a.read() == b.read()
    identical = identical and np.array_equal(fcnet_probabilities(cli, shipped, mnist_dir, work),
                                             fcnet_probabilities(cli, again, mnist_dir, work))
    print(f"{'ok  ' if identical else 'FAIL'} round trip .fcnet -> .onnx -> .fcnet -> .onnx: the same ONNX bytes, the same probabilities")
    if not identical:
        failures.append("round trip")

    if failures:
        sys.exit("peer_check: failed: " + "; ".join(failures))


if __name__ == "__main__":
    main()
