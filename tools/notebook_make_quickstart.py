#!/usr/bin/python3
"""Writes notebooks/01_quickstart.ipynb (unexecuted). Run from the repository root."""
import sys; sys.path.insert(0, "tools")
from notebook_make_common import Nb, BUDGET_NOTE, BUDGET, RECORDS

nb = Nb()
nb.md("""
# Quickstart: zero-shot W4A4 with Genie

Load the bundled Fashion-MNIST teacher (`--model default`, a ResNet-8 trained in Java, 88.96 % top-1), synthesize
calibration images from its BatchNorm statistics (**Genie-D**), quantize it to **W4A4** by block reconstruction
(**Genie-M**), score both models and show the result table. No real training image is used for calibration.

""" + BUDGET_NOTE + """

The same cells run headless: `./genie script notebooks/01_quickstart.ipynb` (or `notebooks/scripts/quickstart.jsh`),
and `./genie run --model default --samples S --batch S --synth-iters I --iters R --seed 0 --eval-limit N` gives the
same numbers for the same budget and seed. `GENIE_RECORDS=DIR` says where the run record goes.
""")
nb.code("""
import genie.magics.*;
import genie.report.Record;   // not java.lang.Record

""" + BUDGET + """
budget
""")
nb.md("## 1. The teacher")
nb.code("%genie_load --model default --seed 0 --as teacher")
nb.md("## 2. Genie-D: calibration images from the BatchNorm statistics\nThe loss curve and a few images appear below.")
nb.code("""
%%genie_synth --as data --seed 0
--samples ${samples}
--batch ${synthBatch}
--iters ${synthIters}
""")
nb.md("## 3. Genie-M: W4A4 block reconstruction on those images\nThe placement table shows every layer's bits; `--run` reconstructs all units with live progress.")
nb.code("%genie_quantize --data data --wbits 4 --abits 4 --method genie --iters ${iters} --recon-batch 32 --seed 0 --run --as q")
nb.md("## 4. Accuracy on the Fashion-MNIST test set")
nb.code("%genie_eval --on teacher --data fashion-mnist:test --limit ${evalLimit} --as fp32")
nb.code("%genie_eval --on q --data fashion-mnist:test --limit ${evalLimit} --as w4a4")
nb.code("%genie_table results")
nb.md("## 5. Run record\nConfig, seed, versions, metrics, loss curves (CSV) and plots in one folder; `./genie report DIR...` puts many in one table.")
nb.code(RECORDS + """
Path rec = Record.of("notebook:01_quickstart").seed(0)
        .config(Map.of("model", teacher.spec().name(), "data", "genie-d", "method", "genie", "wbits", 4, "abits", 4,
                "samples", data.size(), "recon_iters", q.config().iterations(), "budget", budget.level()))
        .metrics(Map.of("fp32_top1", 100 * fp32.top1(), "quant_top1", 100 * w4a4.top1(), "eval_images", w4a4.images(),
                "synth_final_loss", data_result.report().finalLoss()))
        .units(q.reports()).synth(data_result.report())
        .write(records.resolve("01_quickstart"));
System.out.println(String.format(Locale.ROOT, "FP32 %.2f %%, W4A4 Genie %.2f %% on %d images; record in %s",
        100 * fp32.top1(), 100 * w4a4.top1(), w4a4.images(), rec));
""")
nb.write("notebooks/01_quickstart.ipynb")
