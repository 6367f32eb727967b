#!/usr/bin/python3
"""Writes notebooks/04_ablations.ipynb (unexecuted). Run from the repository root."""
import sys; sys.path.insert(0, "tools")
from notebook_make_common import Nb, BUDGET_NOTE, BUDGET, RECORDS

nb = Nb()
nb.md("""
# Ablations: which data, which quantizer

The paper's two questions on the bundled Fashion-MNIST ResNet-20 teacher (`fmnist_resnet20`): **where the calibration data comes from**
(Genie-D = generator + latents with swing convolutions, generator only, pixels optimised directly, Gaussian noise,
512 real training images) crossed with **how the model is quantized** (round-to-nearest, AdaRound, BRECQ, QDrop,
Genie-M), at **W2A4** and **W4A4**. Every cell of the grid is one run record; the grid becomes a Tablesaw table and
a chart. The paper's published ImageNet numbers are quoted at the end for context only (another dataset, other models).

At `smoke` the grid is reduced to 2 data sources x 2 methods x W4A4 x seeds 0 and 1 (8 cells); `full` and `paper`
run all 5 x 5 x 2 over seeds 0, 1 and 2 (150 cells). At `full` each reconstruction gets 500 iterations per unit
(2000, the single-run budget, would take four times as long); `paper` gives each 20000.

**A sweep.** The grid is a sweep spec (JSON, the same as `./genie sweep run SPEC.json` takes): each cell is one
`genie run` in its own process with its own run record, identified by a hash of its settings and teacher weights.
A cell already recorded is read back, never recomputed, so an interrupted run continues where it stopped; Genie-D
sets are shared between the cells that need the same one (`GENIE_SYNTH_CACHE`). `GENIE_SWEEP_WORKERS` (default 2)
cells run side by side; `GENIE_SWEEP_BACKEND=slurm` submits them as one Slurm job array instead and waits for it
(see the README, Sweeps). Every cell runs over several seeds, and the tables show mean ± std over them.

""" + BUDGET_NOTE)
nb.code("""
import genie.magics.*;
import genie.report.*;
import genie.sweep.*;
import org.knowm.xchart.*;

""" + BUDGET + """
boolean wide = budget.atLeastFull();
List<String> sources = wide ? List.of("genie-d", "generator-only", "pixels", "noise", "real") : List.of("genie-d", "real");
List<String> methods = wide ? List.of("rtn", "adaround", "brecq", "qdrop", "genie") : List.of("rtn", "genie");
List<String> bits = wide ? List.of("w2a4", "w4a4") : List.of("w4a4");
List<Integer> seeds = wide ? List.of(0, 1, 2) : List.of(0, 1);
var gson = new com.google.gson.Gson();
SweepSpec spec = Sweeps.spec(\"\"\"
    {"name": "04_ablations", "model": "fmnist_resnet20", "data": %s, "method": %s, "bits": %s, "seeds": %s,
     "budget": {"samples": %d, "synth_batch": %d, "synth_iters": %d, "recon_iters": %d, "recon_batch": 32, "eval_limit": %d}}
    \"\"\".formatted(gson.toJson(sources), gson.toJson(methods), gson.toJson(bits), gson.toJson(seeds), budget.samples(),
        budget.synthBatch(), budget.synthIters(), budget.ablationReconIters(), budget.evalImages()));
budget + "\\nsweep: " + sources + " x " + methods + " x " + bits + " x seeds " + seeds + " = " + spec.size() + " cells, "
        + budget.ablationReconIters() + " reconstruction iterations per unit"
""")
nb.md("""
## The grid
Each cell: synthesize (or load) its calibration set, quantize, score on the test images, write a run record, in a
process of its own. The table lists every cell with its state; a failed cell shows the last line of its error
(`Sweeps.status`, or `./genie sweep status` from a shell, shows the whole tail).
""")
nb.code(RECORDS + """
int workers = Integer.parseInt(System.getenv().getOrDefault("GENIE_SWEEP_WORKERS", "2"));
SweepResult result = Sweeps.run(spec, records, workers);
for (CellStatus c : result.statuses())
    if (c.state() == CellState.DONE)
        System.out.printf(Locale.ROOT, "%-15s %-9s %s seed %d  %6.2f %%%n", c.cell().data(), c.cell().method(),
                c.cell().bits().toUpperCase(), c.cell().seed(), c.top1());
System.out.printf(Locale.ROOT, "computed %d, read back %d from %s%s%n", result.computed(), result.readBack(),
        records.resolve(spec.name()), result.failed() > 0 ? ", " + result.failed() + " failed" : "");
Sweeps.status(spec, records)
""")
nb.md("## Data source x quantizer, one table per bit-width\nRows: where the calibration data came from; columns: the quantizer; top-1 % on the test images, mean ± std over the seeds (`SeedStatistics`, as `./genie report` groups records).")
nb.code("""
List<SeedStatistics.Group> groups = Sweeps.groups(spec, records);
for (String b : bits) Display.show(Sweeps.pivot(groups, b));
groups.size() + " groups of " + seeds.size() + " seed(s)"
""")
nb.code("""
CategoryChart chart = Sweeps.chart(groups, "Fashion-MNIST ResNet-20: top-1 by data source and quantizer (mean ± std)");
chart
""")
nb.md("""
## For context: the paper's ImageNet numbers

Not comparable with the grid above (ImageNet, ResNet-18 / MobileNetV2, full budgets); quoted from the project's
research note (`shared/notes/paper.md` section 4). Rows marked **verified** were read in the named public source;
rows marked **[recall]** are the note's recollection of the paper's own table and were **not** verified against the PDF.
""")
nb.code("""
var pm = tech.tablesaw.api.StringColumn.create("model");
var ps = tech.tablesaw.api.StringColumn.create("bits");
var pmeth = tech.tablesaw.api.StringColumn.create("method (data)");
var ptop = tech.tablesaw.api.DoubleColumn.create("ImageNet top-1 %");
var pstat = tech.tablesaw.api.StringColumn.create("status");
var psrc = tech.tablesaw.api.StringColumn.create("source");
Object[][] rows = {
    {"ResNet-18", "FP32", "full precision", 71.06, "verified", "QDrop README"},
    {"ResNet-18", "W4A4", "QDrop (1024 real)", 69.07, "verified", "QDrop README (master)"},
    {"ResNet-18", "W2A4", "QDrop (1024 real)", 64.49, "verified", "QDrop README (master)"},
    {"ResNet-18", "W2A4", "BRECQ (1024 real)", 65.212, "verified", "BRECQ README example"},
    {"ResNet-18", "W4A4", "IntraQ (zero-shot QAT)", 66.47, "verified", "IntraQ README"},
    {"ResNet-18", "W4A4", "Qimera (zero-shot QAT)", 63.84, "verified", "Qimera README"},
    {"MobileNetV2", "FP32", "full precision", 72.49, "verified", "QDrop README"},
    {"MobileNetV2", "W4A4", "QDrop (1024 real)", 67.91, "verified", "QDrop README (master)"},
    {"MobileNetV2", "W2A4", "QDrop (1024 real)", 53.62, "verified", "QDrop README (master)"},
    {"ResNet-18", "W4A4", "Genie (zero-shot)", 69.66, "[recall]", "paper, not verified"},
    {"MobileNetV2", "W4A4", "Genie (zero-shot)", 68.4, "[recall]", "paper, not verified"}};
for (Object[] r : rows) { pm.append((String) r[0]); ps.append((String) r[1]); pmeth.append((String) r[2]);
    ptop.append((Double) r[3]); pstat.append((String) r[4]); psrc.append((String) r[5]); }
tech.tablesaw.api.Table.create("paper context (ImageNet)", pm, ps, pmeth, ptop, pstat, psrc)
""")
nb.md("All runs of this notebook, read back from their records (what `./genie report DIR` prints):")
nb.code("RecordTable.of(List.of(records.resolve(spec.name())))")
nb.write("notebooks/04_ablations.ipynb")
