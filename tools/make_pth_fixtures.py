#!/usr/bin/python3
"""Writes the torch.save fixtures of the .pth reader (genie.io.TorchCheckpoint), with Debian's python3-torch.

    /usr/bin/python3 tools/make_pth_fixtures.py                 # src/test/resources/pth/ (a few KB, seeded)
    /usr/bin/python3 tools/make_pth_fixtures.py --teacher T.pth  # the bundled teacher as a torch.save state_dict

Fixtures: the state_dict of the tests' tiny ResNet (TinyModels.resnet: CIFAR stem, layers [1, 1], widths [4, 8],
1 input channel, 3 classes) with seeded random values, saved plainly, inside {"state_dict": ...} and {"model": ...}
wrappers, in float16 and bfloat16; fc.weight is a transposed (non-contiguous) view and two BatchNorm buffers share
one storage, as real checkpoints can. expected.json holds every tensor's values as float32 (after the dtype's
rounding). Then the files the reader must refuse with a clear message: a whole pickled model, a TorchScript archive,
and the legacy (pre-1.6, non-zip) format.
"""
import argparse
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "pth")


def bn(prefix, c, g, sd):
    sd[prefix + ".weight"] = torch.rand(c, generator=g) + 0.5
    sd[prefix + ".bias"] = torch.randn(c, generator=g) * 0.1
    sd[prefix + ".running_mean"] = torch.randn(c, generator=g) * 0.1
    sd[prefix + ".running_var"] = torch.rand(c, generator=g) + 0.5
    sd[prefix + ".num_batches_tracked"] = torch.tensor(7 + c, dtype=torch.int64)


def tiny_resnet_state_dict():
    g = torch.Generator().manual_seed(17)
    sd = {}
    sd["conv1.weight"] = torch.randn(4, 1, 3, 3, generator=g) * 0.3
    bn("bn1", 4, g, sd)
    for blk, cin, cout in (("layer1.0", 4, 4), ("layer2.0", 4, 8)):
        sd[blk + ".conv1.weight"] = torch.randn(cout, cin, 3, 3, generator=g) * 0.2
        bn(blk + ".bn1", cout, g, sd)
        sd[blk + ".conv2.weight"] = torch.randn(cout, cout, 3, 3, generator=g) * 0.2
        bn(blk + ".bn2", cout, g, sd)
        if cin != cout:
            sd[blk + ".downsample.0.weight"] = torch.randn(cout, cin, 1, 1, generator=g) * 0.3
            bn(blk + ".downsample.1", cout, g, sd)
    # Real checkpoints hold views: a transposed weight (strides (1, 3)) and buffers sharing one storage.
    sd["fc.weight"] = (torch.randn(8, 3, generator=g) * 0.3).t()
    sd["fc.bias"] = torch.randn(3, generator=g) * 0.1
    shared = torch.rand(8, generator=g) + 0.5
    sd["layer1.0.bn1.running_mean"] = shared[0:4]
    sd["layer1.0.bn1.running_var"] = shared[4:8]
    return sd


def as_dtype(sd, dtype):
    return {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in sd.items()}


def write_fixtures():
    os.makedirs(OUT, exist_ok=True)
    sd = tiny_resnet_state_dict()
    assert not sd["fc.weight"].is_contiguous()
    torch.save(sd, os.path.join(OUT, "tiny_resnet.pth"))
    torch.save({"state_dict": sd, "epoch": 3}, os.path.join(OUT, "tiny_resnet_wrapped.pt"))
    torch.save({"model": sd, "optimizer": {"lr": 0.1}}, os.path.join(OUT, "tiny_resnet_model.tar"))
    expected = {}
    for name, dtype in (("f16", torch.float16), ("bf16", torch.bfloat16)):
        low = as_dtype(sd, dtype)
        torch.save(low, os.path.join(OUT, "tiny_resnet_" + name + ".pth"))
        expected[name] = {k: v.float().flatten().tolist() for k, v in low.items()}
    expected["f32"] = {k: v.float().flatten().tolist() for k, v in sd.items()}
    expected["shapes"] = {k: list(v.shape) for k, v in sd.items()}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, sort_keys=True)
    lin = torch.nn.Sequential(torch.nn.Linear(2, 2))
    torch.save(lin, os.path.join(OUT, "whole_model.pth"))
    torch.jit.script(lin).save(os.path.join(OUT, "torchscript.pt"))
    torch.save(lin.state_dict(), os.path.join(OUT, "legacy.pth"), _use_new_zipfile_serialization=False)


def read_safetensors(path):
    """The bundled teacher's weights (no safetensors module needed: 8-byte length, JSON header, raw data)."""
    dtypes = {"F32": torch.float32, "I64": torch.int64}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    sd = {}
    for k, e in header.items():
        if k == "__metadata__":
            continue
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:end]), dtype=dtypes[e["dtype"]]) if end > b else \
            torch.zeros(0, dtype=dtypes[e["dtype"]])
        sd[k] = t.reshape(e["shape"]).clone()
    return sd


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--teacher", help="write the bundled fmnist_resnet20 as a torch.save state_dict here")
    a = p.parse_args()
    if a.teacher:
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "genie",
                           "models", "fmnist_resnet20.safetensors")
        torch.save(read_safetensors(src), a.teacher)
        print("wrote", a.teacher)
    else:
        write_fixtures()
        print("wrote", OUT, sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
