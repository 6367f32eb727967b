#!/usr/bin/python3
"""Trains the bundled Fashion-MNIST MobileNetV2 teacher with Debian's PyTorch and writes it as safetensors + sidecar.

A second teacher family for the paper's tables: depthwise convolutions, inverted residuals and ReLU6, built from
torchvision's MobileNetV2 (so the state_dict names are torchvision's) with a 1-channel stem and a narrower last
layer for 28x28 inputs. The last 5000 training images are held out as the validation split that
quantization settings are chosen on; the teacher never trains on them and no calibration set draws from them.

usage: /usr/bin/python3 tools/train_fmnist_mobilenetv2.py --out src/main/resources/genie/models [--epochs 6]
       [--threads 1] [--probe]     (--probe: time 30 iterations and print the estimated epoch time, train nothing)

Deterministic for a given thread count: seeded shuffles, augmentation and initialisation, a step-based schedule.
"""
import argparse
import gzip
import hashlib
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.mobilenetv2 import MobileNetV2
from torchvision.ops.misc import Conv2dNormActivation

DATA = os.environ.get("GENIE_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
MEAN, STD = 0.286, 0.353
VALIDATION = 5000  # the last images of the training file
# t, c, n, s after a stride-2 stem: 28 -> 14 -> 14 -> 7 -> 7 -> 7, eight inverted residual blocks. Starting at 14x14
# keeps every Genie-D and reconstruction iteration on this teacher near the ResNet-20's cost on 2 CPU cores (a
# stride-1 stem ran the expanded 28x28 stages at 3x the cost); the strided stem and the stride-2 stage are what
# Genie-D's swing convolutions act on.
SETTING = [[1, 16, 1, 1], [6, 24, 2, 1], [6, 32, 2, 2], [6, 64, 2, 1], [6, 96, 1, 1]]
STEM, STEM_STRIDE, LAST = 32, 2, 320
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def idx(name):
    with gzip.open(os.path.join(DATA, name + ".gz"), "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def normalised(images):
    return (torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1) - MEAN) / STD


def build():
    m = MobileNetV2(num_classes=10, inverted_residual_setting=SETTING, dropout=0.2)
    m.features[0] = Conv2dNormActivation(1, STEM, stride=STEM_STRIDE, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6)
    m.features[-1] = Conv2dNormActivation(SETTING[-1][1], LAST, kernel_size=1, norm_layer=nn.BatchNorm2d,
                                          activation_layer=nn.ReLU6)
    m.classifier[1] = nn.Linear(LAST, 10)
    # torchvision's own initialisation for the replaced layers
    for mod in list(m.features[0].modules()) + list(m.features[-1].modules()) + [m.classifier[1]]:
        if isinstance(mod, nn.Conv2d):
            nn.init.kaiming_normal_(mod.weight, mode="fan_out")
        elif isinstance(mod, nn.BatchNorm2d):
            nn.init.ones_(mod.weight)
            nn.init.zeros_(mod.bias)
        elif isinstance(mod, nn.Linear):
            nn.init.normal_(mod.weight, 0, 0.01)
            nn.init.zeros_(mod.bias)
    return m


def augment(x, gen):
    """Random crop 28 from the 2-pixel zero-padded image (zero in pixel space) and horizontal flip p=0.5."""
    n = x.shape[0]
    pad = torch.nn.functional.pad(x, (2, 2, 2, 2), value=-MEAN / STD)
    dx = torch.randint(0, 5, (n,), generator=gen)
    dy = torch.randint(0, 5, (n,), generator=gen)
    flip = torch.rand(n, generator=gen) < 0.5
    out = torch.empty_like(x)
    for i in range(n):
        crop = pad[i, :, dy[i]:dy[i] + 28, dx[i]:dx[i] + 28]
        out[i] = crop.flip(-1) if flip[i] else crop
    return out


def accuracy(model, x, y, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def safetensors(path, state):
    header, blobs, offset = {}, [], 0
    for k, v in state.items():
        a = v.detach().contiguous().numpy()
        dtype = {np.float32: "F32", np.int64: "I64"}[a.dtype.type]
        raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[k] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--probe", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)

    train_x, train_y = normalised(idx("train-images-idx3-ubyte")), torch.from_numpy(idx("train-labels-idx1-ubyte").astype(np.int64))
    test_x, test_y = normalised(idx("t10k-images-idx3-ubyte")), torch.from_numpy(idx("t10k-labels-idx1-ubyte").astype(np.int64))
    fit_x, fit_y = train_x[:-VALIDATION], train_y[:-VALIDATION]
    val_x, val_y = train_x[-VALIDATION:], train_y[-VALIDATION:]

    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, weight_decay=4e-5, nesterov=True)
    steps_per_epoch = len(fit_x) // a.batch
    total = steps_per_epoch * a.epochs
    step, t0, epoch_seconds = 0, time.time(), []
    for epoch in range(a.epochs):
        model.train()
        te = time.time()
        order = torch.randperm(len(fit_x), generator=gen)
        for b in range(steps_per_epoch):
            for g in opt.param_groups:
                g["lr"] = 0.5 * a.lr * (1 + math.cos(math.pi * step / total))
            sel = order[b * a.batch:(b + 1) * a.batch]
            loss = nn.functional.cross_entropy(model(augment(fit_x[sel], gen)), fit_y[sel])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if a.probe and b == 29:
                per = (time.time() - te) / 30
                print(f"probe: {per * 1000:.0f} ms/iteration, about {per * steps_per_epoch / 60:.1f} min/epoch")
                return
            if b % 100 == 0:
                print(f"epoch {epoch} step {b}/{steps_per_epoch} loss {loss.item():.4f} "
                      f"elapsed {(time.time() - t0) / 60:.1f} min", flush=True)
        epoch_seconds.append(round(time.time() - te, 1))
        print(f"epoch {epoch}: validation top-1 {accuracy(model, val_x, val_y):.4f}", flush=True)

    model.eval()
    test_top1, val_top1 = accuracy(model, test_x, test_y), accuracy(model, val_x, val_y)
    os.makedirs(a.out, exist_ok=True)
    weights = os.path.join(a.out, "fmnist_mobilenetv2.safetensors")
    safetensors(weights, model.state_dict())
    sha = hashlib.sha256(open(weights, "rb").read()).hexdigest()
    spec = {
        "name": "fmnist_mobilenetv2",
        "file": "fmnist_mobilenetv2.safetensors",
        "sha256": sha,
        "provenance": {
            "trained_with": f"tools/train_fmnist_mobilenetv2.py, PyTorch {torch.__version__}, torchvision "
                            f"{torchvision.__version__} (Debian), on the first {len(fit_x)} Fashion-MNIST training images",
            "validation_split": f"training images {len(fit_x)}..{len(train_x) - 1} (the last {VALIDATION} of "
                                "train-images-idx3-ubyte), never trained on: for choosing quantization settings",
            "license_of_data": "Fashion-MNIST: MIT (Zalando Research)",
        },
        "arch": {"family": "mobilenet_v2", "inverted_residual_setting": SETTING, "width_mult": 1.0,
                 "stem_channels": STEM, "stem_stride": STEM_STRIDE, "last_channel": LAST, "in_channels": 1,
                 "num_classes": 10, "dropout": 0.2},
        "input": {"shape": [1, 28, 28], "pixel_scale": 1 / 255.0, "mean": [MEAN], "std": [STD]},
        "classes": CLASSES,
        "num_params": sum(p.numel() for p in model.parameters()),
        "test_top1": test_top1,
        "validation_top1": val_top1,
        "test_set": "Fashion-MNIST t10k (10000 images), Debian package dataset-fashion-mnist",
        "training": {"optimizer": "SGD momentum 0.9 nesterov", "lr": a.lr, "schedule": "cosine to 0 per step",
                     "weight_decay": 4e-5, "batch": a.batch, "epochs": a.epochs, "seed": 0, "threads": a.threads,
                     "augmentation": "random crop 28 from zero-padded (2px) image + horizontal flip p=0.5",
                     "epoch_seconds": epoch_seconds},
    }
    with open(os.path.join(a.out, "fmnist_mobilenetv2.json"), "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
    print(f"test top-1 {test_top1:.4f}, validation top-1 {val_top1:.4f}; wrote {weights}")


if __name__ == "__main__":
    main()
