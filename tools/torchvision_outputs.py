#!/usr/bin/python3
"""Writes torchvision's logits for the RegNetX and MNASNet models on fixed, formula-made weights and inputs.

    /usr/bin/python3 tools/torchvision_outputs.py

The weights are too large to commit, so both sides compute them from one integer formula, exact in any language:
for the t-th state_dict tensor (in state_dict order) and its i-th element,
    x = (i * 2654435761 + t * 97 + 12345) mod 2^32,   u = (((x >> 8) mod 2001) - 1000) / 1000   (in [-1, 1])
conv/linear weight: u * sqrt(6 / fan_in); 1-D weight (BatchNorm): 1 + 0.2 u; bias: 0.1 u; running_mean: 0.1 u;
running_var: 1 + 0.5 |u| (BatchNorm running statistics that are not the defaults). Input: 2 x 3 x 64 x 64 with
t = 999 and value u. All arithmetic in float64, rounded once to float32 (Java does the same: genie.testing.FormulaWeights).
Output: src/test/resources/torchvision/<name>.logits.json (2 x 1000 logits, eval mode).
"""
import json
import math
import os
import sys

import numpy as np
import torch
from torchvision import models

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "torchvision")
INPUT_TENSOR = 999
INPUT_SHAPE = (2, 3, 64, 64)

MODELS = {
    "regnet_x_400mf": models.regnet_x_400mf,
    # the paper's RegNetX-600MF (pycls's parameters; torchvision has no builder for it)
    "regnetx_600mf": lambda weights=None: models.RegNet(models.regnet.BlockParams.from_init_params(
        depth=16, w_0=48, w_a=36.97, w_m=2.24, group_width=24)),
    "regnet_x_3_2gf": models.regnet_x_3_2gf,
    "mnasnet1_0": models.mnasnet1_0,
    "mnasnet2_0": lambda weights=None: models.MNASNet(alpha=2.0),
}


def u(t, n):
    i = np.arange(n, dtype=np.uint64)
    x = (i * np.uint64(2654435761) + np.uint64(t * 97 + 12345)) & np.uint64(0xFFFFFFFF)
    return (((x >> np.uint64(8)) % np.uint64(2001)).astype(np.float64) - 1000.0) / 1000.0


def value(key, shape, t):
    v = u(t, int(np.prod(shape)) if shape else 1)
    if key.endswith("running_mean") or key.endswith("bias"):
        v = 0.1 * v
    elif key.endswith("running_var"):
        v = 1.0 + 0.5 * np.abs(v)
    elif key.endswith("weight") and len(shape) >= 2:
        v = v * math.sqrt(6.0 / int(np.prod(shape[1:])))
    elif key.endswith("weight"):
        v = 1.0 + 0.2 * v
    return torch.from_numpy(v.astype(np.float32)).reshape(shape)


def main():
    torch.set_num_threads(1)
    x = torch.from_numpy(u(INPUT_TENSOR, int(np.prod(INPUT_SHAPE))).astype(np.float32)).reshape(INPUT_SHAPE)
    for name, ctor in MODELS.items():
        model = ctor(weights=None).eval()
        with torch.no_grad():
            # in place: state_dict() shares the model's storage (MNASNet's load_state_dict wants version metadata)
            for t, (k, v) in enumerate(model.state_dict().items()):
                if not k.endswith("num_batches_tracked"):
                    v.copy_(value(k, tuple(v.shape), t))
            logits = model(x)
        path = os.path.join(OUT, name + ".logits.json")
        with open(path, "w") as f:
            json.dump({"input_shape": list(INPUT_SHAPE), "logits": [float(z) for z in logits.flatten().tolist()]}, f)
        print(name, "top-1", logits.argmax(1).tolist(), "max |logit| %.3f" % logits.abs().max().item(), file=sys.stderr)


if __name__ == "__main__":
    main()
