#!/usr/bin/python3
"""Eval throughput of a safetensors ResNet (model spec JSON) in PyTorch on Fashion-MNIST test images.

The PyTorch side of `./genie bench eval`: same weights, same images, same thread count.
Usage: /usr/bin/python3 tools/bench_eval_torch.py SPEC.json [WEIGHTS.safetensors] [--threads N] [--batch B]
"""
import argparse, gzip, json, pathlib, struct, sys, time
import numpy as np
import torch
from torch import nn
import torchvision

def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dt = {"F32": np.float32, "I64": np.int64}
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        out[k] = torch.from_numpy(np.frombuffer(data[a:b], dtype=dt[v["dtype"]]).reshape(v["shape"]).copy())
    return out

def build(arch):
    # torchvision's ResNet with the CIFAR stem (3x3 conv, no maxpool) and the spec's widths.
    block = torchvision.models.resnet.BasicBlock if arch.get("block", "basic") == "basic" else torchvision.models.resnet.Bottleneck
    m = torchvision.models.resnet.ResNet(block, arch["layers"] + [1] * (4 - len(arch["layers"])), num_classes=arch["num_classes"])
    w = arch["widths"]
    m.inplanes = w[0]
    if arch.get("stem") == "cifar":
        m.conv1 = nn.Conv2d(arch["in_channels"], w[0], 3, 1, 1, bias=False)
        m.maxpool = nn.Identity()
    m.bn1 = nn.BatchNorm2d(w[0])
    stages = []
    for i, (n, c) in enumerate(zip(arch["layers"], w)):
        stages.append(m._make_layer(block, c, n, stride=1 if i == 0 else 2))
    m.layer1, m.layer2, m.layer3 = stages[0], stages[1], stages[2]
    m.layer4 = nn.Identity()
    m.fc = nn.Linear(w[-1] * block.expansion, arch["num_classes"])
    return m

def load_teacher(spec_path, weights=None):
    """(spec, model): the spec's architecture with its weights (or the spec's own file), in eval mode, frozen."""
    spec = json.load(open(spec_path))
    model = build(spec["arch"])
    model.load_state_dict(load_safetensors(weights or str(pathlib.Path(spec_path).parent / spec["file"])), strict=True)
    model.eval()
    for q in model.parameters():
        q.requires_grad_(False)
    return spec, model

def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = struct.unpack(">" + "I" * (magic & 0xff), data[4:4 + 4 * (magic & 0xff)])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)

def test_set(spec, data_dir):
    """The Fashion-MNIST test images (N x 1 x H x W, normalised as the spec says) and their labels."""
    inp = spec["input"]
    x = idx(data_dir + "/t10k-images-idx3-ubyte.gz").astype(np.float32)
    y = idx(data_dir + "/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    x = (x * np.float32(inp["pixel_scale"]) - np.float32(inp["mean"][0])) / np.float32(inp["std"][0])
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("spec")
    p.add_argument("weights", nargs="?")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=250)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    spec, model = load_teacher(a.spec, a.weights)
    x, y = test_set(spec, a.data)
    correct = 0
    with torch.no_grad():
        model(x[:a.batch])  # warm-up, as the Java side's first batch
        t0 = time.perf_counter()
        for i in range(0, len(x), a.batch):
            correct += (model(x[i:i + a.batch]).argmax(1) == y[i:i + a.batch]).sum().item()
        secs = time.perf_counter() - t0
    print(json.dumps({"engine": "pytorch " + torch.__version__, "threads": a.threads, "top1": 100.0 * correct / len(x),
                      "images": len(x), "seconds": secs, "images_per_second": len(x) / secs}))

if __name__ == "__main__":
    main()
