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

At `smoke` the grid is reduced to 2 data sources x 2 methods x W4A4; `full` and `paper` run all 5 x 5 x 2. At `full`
each reconstruction gets 500 iterations per unit (the 40 reconstructions at 2000 would take about 5 CPU-hours);
`paper` gives each 20000.

**Resuming and sharing the work.** A cell whose run record already exists with the same settings is read back, not
recomputed, so an interrupted run continues where it stopped. `GENIE_GRID_SHARD=i/n` makes this process compute only
every n-th cell (i = 0..n-1): start n processes, e.g. `GENIE_GRID_SHARD=0/2 ./genie script notebooks/04_ablations.ipynb`
and `GENIE_GRID_SHARD=1/2 ...`, with the same `GENIE_RECORDS` and `GENIE_SYNTH_CACHE`, then execute the notebook once
more without it to collect the full table.

""" + BUDGET_NOTE)
nb.code("""
import genie.magics.*;
import genie.report.Record;   // not java.lang.Record
import org.knowm.xchart.*;

""" + BUDGET + """
boolean wide = budget.atLeastFull();
List<String> sources = wide ? List.of("genie-d", "generator-only", "pixels", "noise", "real") : List.of("genie-d", "real");
List<String> methods = wide ? List.of("rtn", "adaround", "brecq", "qdrop", "genie") : List.of("rtn", "genie");
List<int[]> bits = wide ? List.of(new int[] {2, 4}, new int[] {4, 4}) : List.of(new int[] {4, 4});
int iters = budget.ablationReconIters();
String[] shardOf = System.getenv().getOrDefault("GENIE_GRID_SHARD", "0/1").split("/");
int shard = Integer.parseInt(shardOf[0].trim()), shards = Integer.parseInt(shardOf[1].trim());
if (shards < 1 || shard < 0 || shard >= shards)
    throw new IllegalArgumentException("GENIE_GRID_SHARD=i/n needs 0 <= i < n, got " + String.join("/", shardOf));
Session.put("teacherSpec", "fmnist_resnet20");
budget + "\\ngrid: " + sources + " x " + methods + " x " + bits.size() + " bit-width(s), " + iters
        + " reconstruction iterations per unit" + (shards > 1 ? "; this process: cells i with i % " + shards + " == " + shard : "")
""")
nb.code("%genie_load --model ${teacherSpec} --as teacher")
nb.md("""
## Calibration sets
One set per data source, made once and shared by every quantizer (seed 0). Genie-D and its two ablations (generator
only, pixels only) are synthesized with the same budget; the table shows how close each gets to the teacher's BN
statistics (median loss of the last 50 iterations, per batch, averaged) and how many classes the teacher sees in it.
""")
nb.code("""
Map<String, ImageSet> calib = new LinkedHashMap<>();
var dName = tech.tablesaw.api.StringColumn.create("data");
var dImages = tech.tablesaw.api.IntColumn.create("images");
var dLoss = tech.tablesaw.api.DoubleColumn.create("BN loss (tail)");
var dClasses = tech.tablesaw.api.IntColumn.create("classes seen");
var dConf = tech.tablesaw.api.DoubleColumn.create("mean confidence");
var dSecs = tech.tablesaw.api.DoubleColumn.create("synthesis s");
for (String s : sources) {
    ImageSet set;
    if (s.equals("noise") || s.equals("real")) {
        set = Genie.data((s.equals("noise") ? "noise:" : "fashion-mnist:train:") + budget.samples(), teacher, 0);
        dLoss.appendMissing(); dClasses.appendMissing(); dConf.appendMissing(); dSecs.appendMissing();
    } else {
        var cfg = SynthConfig.DEFAULTS.withSamples(budget.samples()).withBatch(budget.synthBatch())
                .withIterations(budget.synthIters()).withSeed(0)
                .withSource(SynthConfig.Source.parse(s.equals("genie-d") ? "genie" : s));
        SynthResult r = Genie.synth(teacher, cfg);
        set = r.images();
        dLoss.append(Math.round(r.report().tailLoss() * 1e4) / 1e4); dClasses.append(r.report().classesCovered());
        dConf.append(Math.round(r.report().meanConfidence() * 1e3) / 1e3); dSecs.append(Math.round(r.report().seconds()));
    }
    calib.put(s, set);
    dName.append(s); dImages.append(set.size());
}
tech.tablesaw.api.Table.create("calibration sets", dName, dImages, dLoss, dClasses, dConf, dSecs)
""")
nb.md("""
## The grid
Each run: prepare, reconstruct every unit, score on the test set, write a run record. A cell already recorded with
the same settings is read back (see *Resuming* above).
""")
nb.code(RECORDS + """
ImageSet test = Genie.data("fashion-mnist:test", teacher, 0).head(budget.evalImages());
double fp32 = 100 * Genie.eval(teacher, test).top1();
var cSource = tech.tablesaw.api.StringColumn.create("data");
var cMethod = tech.tablesaw.api.StringColumn.create("method");
var cBits = tech.tablesaw.api.StringColumn.create("bits");
var cTop1 = tech.tablesaw.api.DoubleColumn.create("top-1 %");
var cSecs = tech.tablesaw.api.DoubleColumn.create("seconds");
Map<String, Double> top1Of = new HashMap<>();   // "data method bits" -> top-1 %, for the tables and chart below
int cellIndex = 0, computed = 0, readBack = 0, leftToOthers = 0;
for (int[] wa : bits) for (String s : sources) for (String m : methods) {
    int index = cellIndex++;
    String b = "W" + wa[0] + "A" + wa[1];
    Path dir = records.resolve("04_ablations").resolve(s + "_" + m + "_" + b);
    Map<String, Object> settings = Map.of("model", teacher.spec().name(), "data", s, "method", m, "wbits", wa[0],
            "abits", wa[1], "samples", budget.samples(), "recon_iters", iters, "budget", budget.level(), "seed", 0,
            "eval_images", test.size());
    var earlier = Record.metricsIfSame(dir, settings);
    double acc, secs;
    if (earlier.isPresent()) {
        acc = earlier.get().get("quant_top1").getAsDouble();
        secs = earlier.get().get("seconds_quant").getAsDouble();
        readBack++;
    } else if (index % shards != shard) {
        leftToOthers++;
        continue;
    } else {
        var cfg = QuantConfig.defaults().withBits(wa[0], wa[1]).withMethod(Method.parse(m)).withIterations(iters)
                .withBatch(32).withSeed(0);
        try (Quantization qz = Genie.quantize(teacher, calib.get(s), cfg)) {
            long t0 = System.nanoTime();
            List<UnitReport> reps = qz.run();
            acc = 100 * Genie.eval(qz, test).top1();
            secs = (System.nanoTime() - t0) / 1e9;
            Record.of("notebook:04_ablations").seed(0).config(settings)
                .metrics(Map.of("fp32_top1", fp32, "quant_top1", acc, "seconds_quant", secs))
                .units(reps).write(dir);
        }
        computed++;
    }
    cSource.append(s); cMethod.append(m); cBits.append(b); cTop1.append(Math.round(acc * 100) / 100.0);
    top1Of.put(s + " " + m + " " + b, Math.round(acc * 100) / 100.0);
    cSecs.append(Math.round(secs * 10) / 10.0);
    System.out.printf(Locale.ROOT, "%-15s %-9s %s  %6.2f %%  (%.1f s%s)%n", s, m, b, acc, secs,
            earlier.isPresent() ? ", read back" : "");
}
System.out.printf(Locale.ROOT, "computed %d, read back %d from %s%s%n", computed, readBack,
        records.resolve("04_ablations"), leftToOthers > 0 ? ", " + leftToOthers + " left to the other processes" : "");
var grid = tech.tablesaw.api.Table.create("ablation grid (FP32 " + String.format(Locale.ROOT, "%.2f", fp32) + " %)",
        cSource, cMethod, cBits, cTop1, cSecs);
grid
""")
nb.md("## Data source x quantizer, one table per bit-width\nRows: where the calibration data came from; columns: the quantizer; top-1 % on the test images.")
nb.code("""
List<tech.tablesaw.api.Table> pivots = new ArrayList<>();
for (int[] wa : bits) {
    String b = "W" + wa[0] + "A" + wa[1];
    var rows = tech.tablesaw.api.StringColumn.create("data (" + b + ")");
    List<tech.tablesaw.api.DoubleColumn> cols = new ArrayList<>();
    for (String m : methods) cols.add(tech.tablesaw.api.DoubleColumn.create(m));
    for (String s : sources) {
        rows.append(s);
        for (int j = 0; j < methods.size(); j++)
            cols.get(j).append(top1Of.getOrDefault(s + " " + methods.get(j) + " " + b, Double.NaN));
    }
    var t = tech.tablesaw.api.Table.create(b + ": top-1 % by data source and quantizer", rows);
    cols.forEach(t::addColumns);
    pivots.add(t);
    Display.show(t);
}
pivots.size() + " table(s)"
""")
nb.code("""
CategoryChart chart = new CategoryChartBuilder().width(760).height(260 * bits.size() + 120)
        .title("Fashion-MNIST ResNet-20: top-1 by data source and quantizer").xAxisTitle("quantizer").yAxisTitle("top-1 %").build();
chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
for (int[] wa : bits) for (String s : sources) {
    String b = "W" + wa[0] + "A" + wa[1];
    List<Double> ys = new ArrayList<>();
    for (String m : methods) ys.add(top1Of.getOrDefault(s + " " + m + " " + b, 0.0));
    chart.addSeries(s + " " + b, methods, ys);
}
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
nb.code("RecordTable.of(List.of(records.resolve(\"04_ablations\")))")
nb.write("notebooks/04_ablations.ipynb")
