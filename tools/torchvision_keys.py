#!/usr/bin/python3
"""Writes the state_dict key/shape lists of torchvision reference models (no weights downloaded).

Run from anywhere with Debian's python (python3-torchvision):

    /usr/bin/python3 tools/torchvision_keys.py

Output: src/test/resources/torchvision/<name>.txt, one line per state_dict entry in state_dict order,
"key<TAB>dim0,dim1,..." (a scalar, e.g. num_batches_tracked, has an empty shape field).
"""
import os
import sys

import torch
import torchvision
from torchvision import models

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "torchvision")

MODELS = {
    "resnet18": models.resnet18,
    "resnet50": models.resnet50,
    "mobilenet_v2": models.mobilenet_v2,
    "regnet_x_400mf": models.regnet_x_400mf,
    # the paper's RegNetX-600MF (pycls's parameters; torchvision has no builder for it)
    "regnetx_600mf": lambda weights=None: models.RegNet(models.regnet.BlockParams.from_init_params(
        depth=16, w_0=48, w_a=36.97, w_m=2.24, group_width=24)),
    "regnet_x_3_2gf": models.regnet_x_3_2gf,
    "mnasnet1_0": models.mnasnet1_0,
    "mnasnet2_0": lambda weights=None: models.MNASNet(alpha=2.0),  # the paper's MnasNet-2.0 (no torchvision builder)
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, ctor in MODELS.items():
        model = ctor(weights=None)
        lines = []
        for key, tensor in model.state_dict().items():
            lines.append(key + "\t" + ",".join(str(d) for d in tensor.shape))
        path = os.path.join(OUT, name + ".txt")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        print("%s: %d entries -> %s (torch %s, torchvision %s)" % (name, len(lines), os.path.normpath(path),
                                                                  torch.__version__, torchvision.__version__),
              file=sys.stderr)


if __name__ == "__main__":
    main()
