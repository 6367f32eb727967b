#!/usr/bin/python3
"""Writes notebooks/02_genie_d.ipynb (unexecuted). Run from the repository root."""
import sys; sys.path.insert(0, "tools")
from notebook_make_common import Nb, BUDGET_NOTE, BUDGET, RECORDS

nb = Nb()
nb.md("""
# Genie-D: showing the teacher its own data

Genie-D learns a generator and its latent codes so that the images they produce reproduce the mean and variance
every BatchNorm layer of the teacher saw during training. This notebook shows the synthetic images, their BatchNorm
statistics beside real Fashion-MNIST images and Gaussian noise, and the **swing-convolution ablation** (Genie-D with
and without swing convolutions, then the same W4A4 quantization on each set).

Teacher: the bundled ResNet-8 (`--model default`); `GENIE_MODEL=path/to/spec.json` picks another.

""" + BUDGET_NOTE)
nb.code("""
import genie.magics.*;
import genie.report.Record;   // not java.lang.Record

""" + BUDGET + """
Session.put("model", System.getenv().getOrDefault("GENIE_MODEL", "default"));
budget
""")
nb.code("%genie_load --model ${model} --as teacher")
nb.md("## Synthetic images (Genie-D with swing convolutions)\nThe BN-statistics loss per iteration and the first images:")
nb.code("""
%%genie_synth --as swing --seed 0
--samples ${samples}
--batch ${synthBatch}
--iters ${synthIters}
""")
nb.md("## Side by side: synthetic, real, noise\nThe same teacher's view of each: images as the teacher sees them (normalisation undone).")
nb.code("%genie_plot images --data fashion-mnist:test:16 --images 16")
nb.code("%genie_plot images --data noise:16 --images 16")
nb.md("## BatchNorm statistics\nPer BN layer, the distance of the batch mean/std of each image set to the running statistics stored in the teacher: Genie-D data should sit close to real data, noise far away.")
nb.code("%genie_plot bn-stats --data swing --compare real=fashion-mnist:test:64 noise=noise:64 --images 32")
nb.md("## Swing-convolution ablation\nThe same synthesis with the teacher's strided convolutions kept (`--no-swing`):")
nb.code("""
%%genie_synth --as noswing --seed 0 --no-swing
--samples ${samples}
--batch ${synthBatch}
--iters ${synthIters}
""")
nb.md("""Quantize W4A4 with Genie-M on each set (same seed; the ablation budget of reconstruction iterations), and score on real test images.
The BN loss is the median of each batch's last 50 iterations. Without swing it is lower, as it should be: with swing it is measured on
randomly shifted inputs, a harder target. What decides is the quantized model's accuracy.""")
nb.code("""
ImageSet test = Genie.data("fashion-mnist:test", teacher, 0).head(budget.evalImages());
var qcfg = QuantConfig.defaults().withBits(4, 4).withMethod(Method.GENIE)
        .withIterations(budget.ablationReconIters()).withBatch(32).withSeed(0);
Map<String, SynthResult> sets = new LinkedHashMap<>();
sets.put("swing", swing_result);
sets.put("no swing", noswing_result);
tech.tablesaw.api.StringColumn variant = tech.tablesaw.api.StringColumn.create("Genie-D");
tech.tablesaw.api.DoubleColumn bnLoss = tech.tablesaw.api.DoubleColumn.create("BN loss (tail)");
tech.tablesaw.api.IntColumn covered = tech.tablesaw.api.IntColumn.create("classes covered");
tech.tablesaw.api.DoubleColumn conf = tech.tablesaw.api.DoubleColumn.create("mean confidence");
tech.tablesaw.api.DoubleColumn top1 = tech.tablesaw.api.DoubleColumn.create("W4A4 top-1 %");
for (var e : sets.entrySet()) {
    var rep = e.getValue().report();
    try (Quantization qz = Genie.quantize(teacher, e.getValue().images(), qcfg)) {
        qz.run();
        double acc = 100 * Genie.eval(qz, test).top1();
        variant.append(e.getKey()); bnLoss.append(Math.round(rep.tailLoss() * 1e4) / 1e4); covered.append(rep.classesCovered());
        conf.append(Math.round(rep.meanConfidence() * 1e3) / 1e3); top1.append(acc);
    }
}
var ablation = tech.tablesaw.api.Table.create("swing-convolution ablation", variant, bnLoss, covered, conf, top1);
ablation
""")
nb.code("%genie_table results")
nb.code(RECORDS + """
var rec = Record.of("notebook:02_genie_d").seed(0).config(Map.of("model", teacher.spec().name(), "budget", budget.level(),
        "samples", swing.size(), "recon_iters", qcfg.iterations()))
    .metrics(Map.of("bn_loss_swing", bnLoss.get(0), "bn_loss_no_swing", bnLoss.get(1),
        "top1_swing", top1.get(0), "top1_no_swing", top1.get(1)))
    .synth(swing_result.report()).table("ablation", ablation).write(records.resolve("02_genie_d"));
"record: " + rec
""")
nb.write("notebooks/02_genie_d.ipynb")
