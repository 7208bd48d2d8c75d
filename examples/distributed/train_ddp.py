#!/usr/bin/env python3
"""Trains an MLP on MNIST-format IDX data across N processes with PyTorch DistributedDataParallel,
then (rank 0) exports it to ONNX for `fcnet convert`.

One machine, 2 processes (gloo):
    torchrun --nproc_per_node=2 --master_addr=127.0.0.1 --master_port=29500 \\
        examples/distributed/train_ddp.py --data ../shared/data/mnist --out model.onnx
A cluster with GPUs: the same script on every node with torchrun's --nnodes/--node_rank/
--master_addr and --backend nccl. Each process reads the IDX files and trains on its shard
(DistributedSampler); gradients are averaged across processes after every batch.
"""
import argparse
import gzip
import os

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset


def read_idx(folder, name):
    """An IDX file (plain or .gz) as a numpy array of its shape."""
    path = os.path.join(folder, name)
    plain = os.path.exists(path)
    with (open if plain else gzip.open)(path if plain else path + ".gz", "rb") as file:
        data = file.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="folder with train-images-idx3-ubyte(.gz) and train-labels-idx1-ubyte(.gz)")
    parser.add_argument("--out", required=True, help="the ONNX file rank 0 writes")
    parser.add_argument("--backend", default="gloo", help="gloo (CPU, any machine) or nccl (GPU clusters)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--train-count", type=int, default=0, help="use only the first N training images (0: all)")
    parser.add_argument("--hidden", type=int, nargs="+", default=[256, 128])
    parser.add_argument("--batch", type=int, default=64, help="per process")
    parser.add_argument("--lr", type=float, default=1e-3)
    args = parser.parse_args()

    dist.init_process_group(backend=args.backend)  # rank, world size and rendezvous from torchrun's environment
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device(f"cuda:{int(os.environ['LOCAL_RANK'])}" if args.backend == "nccl" else "cpu")
    torch.manual_seed(1)  # the same initial weights on every rank (DDP also broadcasts rank 0's)
    torch.set_num_threads(1)

    images = read_idx(args.data, "train-images-idx3-ubyte")
    labels = read_idx(args.data, "train-labels-idx1-ubyte")
    if args.train_count:
        images, labels = images[:args.train_count], labels[:args.train_count]
    features = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255)  # as fcnet reads IDX: [0, 1]
    dataset = TensorDataset(features, torch.from_numpy(labels.astype(np.int64)))
    sampler = DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True, seed=1)
    loader = DataLoader(dataset, batch_size=args.batch, sampler=sampler)

    sizes = [features.shape[1], *args.hidden]
    layers = []
    for inputs, outputs in zip(sizes, sizes[1:]):
        layers += [torch.nn.Linear(inputs, outputs), torch.nn.ReLU()]
    network = torch.nn.Sequential(*layers, torch.nn.Linear(sizes[-1], 10)).to(device)
    model = DistributedDataParallel(network)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)

    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        total, count = torch.zeros(2, device=device), 0
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()  # DDP averages the gradients of all ranks here
            optimizer.step()
            total += torch.stack([loss.detach() * len(y), torch.tensor(float(len(y)), device=device)])
            count += len(y)
        dist.all_reduce(total)
        if rank == 0:
            print(f"epoch {epoch + 1}: mean training loss {(total[0] / total[1]).item():.4f} "
                  f"over {int(total[1].item())} images on {world} processes", flush=True)

    if rank == 0:
        exported = torch.nn.Sequential(network.cpu(), torch.nn.Softmax(dim=1)).eval()
        torch.onnx.export(exported, torch.zeros(1, features.shape[1]), args.out, opset_version=13,
                          input_names=["input"], output_names=["probabilities"],
                          dynamic_axes={"input": {0: "batch"}, "probabilities": {0: "batch"}})
        print(f"wrote {args.out}; next: fcnet convert {args.out} model.fcnet", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
