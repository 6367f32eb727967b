#!/usr/bin/python3
"""Writes notebooks/05_bring_your_own_model.ipynb (unexecuted). Run from the repository root."""
import sys; sys.path.insert(0, "tools")
from notebook_make_common import Nb, BUDGET_NOTE, BUDGET, RECORDS

nb = Nb()
nb.md("""
# Bring your own PyTorch model

Genie for Java loads a PyTorch model from two files: its `state_dict` in **safetensors** and a small **spec JSON**
naming a torchvision-compatible architecture and its constructor arguments. This notebook walks through the steps;
because a Java kernel cannot run Python, the PyTorch side is shown as text, and the notebook itself plays it with a
model the repository can build: it saves the bundled teacher's weights to a temporary folder, writes a spec by hand,
loads them back, quantizes to W4A4 and exports the integers.

""" + BUDGET_NOTE)
nb.md("""
## 1. In Python: save the weights (not run here)

```python
import torch, torchvision
from safetensors.torch import save_file

model = torchvision.models.resnet18(weights="IMAGENET1K_V1").eval()   # or your own nn.Module
state = {k: v.contiguous() for k, v in model.state_dict().items()}   # BatchNorm running stats included
save_file(state, "my_resnet18.safetensors", metadata={"format": "pt"})
```

Keys must follow torchvision's layout (`conv1.weight`, `layer1.0.bn1.running_mean`, ..., `fc.bias`); a checkpoint
with other names loads with `--rename 'REGEX=REPLACEMENT'` (e.g. `'^module\\.='` for DataParallel's prefix).
""")
nb.md("""
## 2. Describe the architecture: the spec JSON

`arch` gives the constructor arguments (here a CIFAR-style ResNet for 1x28x28 inputs), `input` the preprocessing
(`pixel_scale` maps 0..255 to 0..1, then mean/std per channel). Built-in names (`resnet18`, `resnet50`,
`mobilenet_v2`) need no spec. We write the weights of the bundled teacher and a spec for them into a temp folder:
""")
nb.code("""
import genie.magics.*;
import genie.report.Record;   // not java.lang.Record

""" + BUDGET + """
Path work = Files.createDirectories(Path.of("byom"));   // beside the notebook
try (var bundled = Genie.load("default", null)) {
    bundled.saveWeights(work.resolve("my_model.safetensors"));   // what save_file(...) wrote above
}
String spec = \"\"\"
    {"name": "my_model", "file": "my_model.safetensors",
     "arch": {"family": "resnet", "block": "basic", "layers": [1, 1, 1], "widths": [16, 32, 64],
              "stem": "cifar", "in_channels": 1, "num_classes": 10},
     "input": {"shape": [1, 28, 28], "pixel_scale": 0.00392156862745098, "mean": [0.286], "std": [0.353]}}
    \"\"\";
Files.writeString(work.resolve("my_model.json"), spec);
Session.put("specFile", work.resolve("my_model.json").toString());
Session.put("exportFile", work.resolve("my_model_w4a4.safetensors").toString());
try (var files = Files.list(work)) { files.map(p -> p.getFileName() + " " + p.toFile().length() + " bytes").sorted().toList(); }
""")
nb.md("## 3. Load it\nLoading is strict: missing keys, unexpected keys and shape mismatches are all reported together.")
nb.code("%genie_load --model ${specFile} --as mine")
nb.code("%genie_eval --on mine --data fashion-mnist:test --limit ${evalLimit} --as fp32")
nb.md("## 4. Quantize (zero-shot W4A4: Genie-D data, then Genie-M)")
nb.code("""
%%genie_synth --as data --teacher mine --seed 0
--samples ${samples}
--batch ${synthBatch}
--iters ${synthIters}
""")
nb.code("%genie_quantize --teacher mine --data data --wbits 4 --abits 4 --method genie --iters ${iters} --seed 0 --run --as q")
nb.code("%genie_eval --on q --data fashion-mnist:test --limit ${evalLimit} --as w4a4")
nb.md("## 5. Export the integers\nInteger weights, scales and zero points in safetensors, plus a manifest; BatchNorm stays float.")
nb.code("%genie_export --on q --out ${exportFile}")
nb.code("""
var header = genie.io.Safetensors.readHeader(Path.of((String) Session.get("exportFile")));
var names = new ArrayList<>(header.tensors().keySet());
Collections.sort(names);
names.size() + " tensors, e.g. " + names.stream().filter(n -> n.startsWith("layer1.0.conv1")).toList()
""")
nb.code(RECORDS + """
var rec = Record.of("notebook:05_bring_your_own_model").seed(0)
    .config(Map.of("model", mine.spec().name(), "data", "genie-d", "method", "genie", "wbits", 4, "abits", 4,
        "samples", data.size(), "recon_iters", q.config().iterations(), "budget", budget.level()))
    .metrics(Map.of("fp32_top1", 100 * fp32.top1(), "quant_top1", 100 * w4a4.top1(), "export_tensors", names.size()))
    .units(q.reports()).write(records.resolve("05_bring_your_own_model"));
"record: " + rec
""")
nb.write("notebooks/05_bring_your_own_model.ipynb")
