#!/usr/bin/python3
"""Writes notebooks/03_step_through.ipynb (unexecuted). Run from the repository root."""
import sys; sys.path.insert(0, "tools")
from notebook_make_common import Nb, BUDGET

nb = Nb()
md, code = nb.md, nb.code

md("""
# Genie-M, one unit at a time

Quantize the bundled Fashion-MNIST ResNet-20 teacher (`fmnist_resnet20`, trained in PyTorch) to **W2A4** with Genie-M on Genie-D synthetic images, stepping
through the reconstruction units: after each step the notebook shows that unit's loss curve, its output before and
after reconstruction, and the updated per-unit table.

`GENIE_BUDGET` is
`smoke` (the default, what CI runs: 32 images, 20 iterations per unit), `full` (the reference budget: 512 Genie-D
images from 500 iterations in batches of 128, 2000 iterations per unit) or `paper` (1024 images, 4000 and 20000
iterations); `GENIE_SYNTH_CACHE=DIR` reuses an identical earlier Genie-D run.
""")
code("""
import genie.magics.*;
""" + BUDGET + """

System.out.println(budget);
""")
md("## The teacher and Genie-D calibration images")
code("%genie_load --model fmnist_resnet20 --as teacher")
code("""
%%genie_synth --as data
--samples ${samples}
--batch ${synthBatch}
--iters ${synthIters}
""")
md("`data` is now a Java variable (an `ImageSet`), like `teacher`:")
code("data.size() + \" synthetic images for \" + teacher.spec().name()")
md("## Prepare the quantization (nothing runs yet): every layer's bits and shared input quantizers")
code("%genie_quantize --data data --wbits 2 --abits 4 --method genie --iters ${iters} --recon-batch 32 --as q")
code("q.units().stream().map(u -> u.name()).toList()")
md("## Step through the units\nOne unit, then two, then up to `layer2.0`, then the rest.")
code("%genie_step")
code("%genie_step 2")
code("%genie_step --to layer2.0")
code("%genie_step --all")
md("## Inside a layer: activations against the quantization grid, weights and flipped softbits")
code("%genie_plot activations --layer layer3.0.conv1 --images 64")
code("%genie_plot weights --layer layer3.0.conv1")
code("%genie_plot losses")
md("## BatchNorm statistics: synthetic vs real vs noise")
code("%genie_plot bn-stats --compare real=fashion-mnist:test:64 noise=noise:64")
md("## Accuracy and results")
code("%genie_eval --on teacher --data fashion-mnist:test --limit ${evalLimit}")
code("%genie_eval --on q --data fashion-mnist:test --limit ${evalLimit}")
code("%genie_table results")
md("Everything the magics do is plain Java too:")
code("Genie.tableUnits(q)")

nb.write("notebooks/03_step_through.ipynb")
