#!/usr/bin/python3
"""Writes notebooks/04_ablations.ipynb (unexecuted). Run from the repository root."""
import sys; sys.path.insert(0, "tools")
from notebook_make_common import Nb, BUDGET_NOTE, RECORDS

nb = Nb()
nb.md("""
# Ablations: which data, which quantizer

The paper's two questions on the shared Fashion-MNIST ResNet-20 teacher: **where the calibration data comes from**
(Genie-D = generator + latents with swing convolutions, generator only, pixels optimised directly, Gaussian noise,
512 real training images) crossed with **how the model is quantized** (round-to-nearest, AdaRound, BRECQ, QDrop,
Genie-M), at **W2A4** and **W4A4**. Every cell of the grid is one run record; the grid becomes a Tablesaw table and
a chart. The paper's published ImageNet numbers are quoted at the end for context only (another dataset, other models).

At `smoke` the grid is reduced to 2 data sources x 2 methods x W4A4; `full` runs all 5 x 5 x 2.
`GENIE_SHARED` points at the shared folder (default `../../shared`).

""" + BUDGET_NOTE)
nb.code("""
import genie.magics.*;
import genie.report.Record;   // not java.lang.Record
import org.knowm.xchart.*;

String budget = System.getenv().getOrDefault("GENIE_BUDGET", "smoke");
boolean full = budget.equals("full");
String shared = Path.of(System.getenv().getOrDefault("GENIE_SHARED", "../../shared")).toAbsolutePath().normalize().toString();
int samples = full ? 1024 : 32, synthIters = full ? 4000 : 20, iters = full ? 20000 : 10, evalLimit = full ? 10000 : 500;
List<String> sources = full ? List.of("genie-d", "generator-only", "pixels", "noise", "real")
        : List.of("genie-d", "real");
List<String> methods = full ? List.of("rtn", "adaround", "brecq", "qdrop", "genie") : List.of("rtn", "genie");
List<int[]> bits = full ? List.of(new int[] {2, 4}, new int[] {4, 4}) : List.of(new int[] {4, 4});
Session.put("teacherSpec", shared + "/models/fmnist_resnet20.json");
budget + " budget: " + sources + " x " + methods + " x " + bits.size() + " bit-width(s)"
""")
nb.code("%genie_load --model ${teacherSpec} --as teacher")
nb.md("## Calibration sets\nOne set per data source, made once and shared by every quantizer (same seed).")
nb.code("""
Map<String, ImageSet> calib = new LinkedHashMap<>();
Map<String, SynthResult> synthRuns = new LinkedHashMap<>();
for (String s : sources) {
    ImageSet set = switch (s) {
        case "noise" -> Genie.data("noise:" + samples, teacher, 0);
        case "real" -> Genie.data("fashion-mnist:train:" + (full ? 512 : samples), teacher, 0);
        default -> {
            var cfg = SynthConfig.DEFAULTS.withSamples(samples).withBatch(Math.min(samples, 128))
                    .withIterations(synthIters).withSeed(0)
                    .withSource(SynthConfig.Source.parse(s.equals("genie-d") ? "genie" : s));
            SynthResult r = Genie.synth(teacher, cfg);
            synthRuns.put(s, r);
            yield r.images();
        }
    };
    calib.put(s, set);
}
calib.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().size() + " images").toList()
""")
nb.md("## The grid\nEach run: prepare, reconstruct every unit, score on the test set, write a run record.")
nb.code(RECORDS + """
ImageSet test = Genie.data("fashion-mnist:test", teacher, 0).head(evalLimit);
double fp32 = 100 * Genie.eval(teacher, test).top1();
var cSource = tech.tablesaw.api.StringColumn.create("data");
var cMethod = tech.tablesaw.api.StringColumn.create("method");
var cBits = tech.tablesaw.api.StringColumn.create("bits");
var cTop1 = tech.tablesaw.api.DoubleColumn.create("top-1 %");
var cSecs = tech.tablesaw.api.DoubleColumn.create("seconds");
for (int[] wa : bits) for (String s : sources) for (String m : methods) {
    var cfg = QuantConfig.defaults().withBits(wa[0], wa[1]).withMethod(Method.parse(m)).withIterations(iters)
            .withBatch(32).withSeed(0);
    try (Quantization qz = Genie.quantize(teacher, calib.get(s), cfg)) {
        long t0 = System.nanoTime();
        List<UnitReport> reps = qz.run();
        double acc = 100 * Genie.eval(qz, test).top1();
        double secs = (System.nanoTime() - t0) / 1e9;
        String b = "W" + wa[0] + "A" + wa[1];
        cSource.append(s); cMethod.append(m); cBits.append(b); cTop1.append(Math.round(acc * 100) / 100.0);
        cSecs.append(Math.round(secs * 10) / 10.0);
        Record.of("notebook:04_ablations").seed(0)
            .config(Map.of("model", teacher.spec().name(), "data", s, "method", m, "wbits", wa[0], "abits", wa[1],
                "samples", calib.get(s).size(), "recon_iters", iters, "budget", budget))
            .metrics(Map.of("fp32_top1", fp32, "quant_top1", acc, "eval_images", test.size(), "seconds_quant", secs))
            .units(reps).write(records.resolve("04_ablations").resolve(s + "_" + m + "_" + b));
        System.out.printf(Locale.ROOT, "%-15s %-9s %s  %6.2f %%  (%.1f s)%n", s, m, b, acc, secs);
    }
}
var grid = tech.tablesaw.api.Table.create("ablation grid (FP32 " + String.format(Locale.ROOT, "%.2f", fp32) + " %)",
        cSource, cMethod, cBits, cTop1, cSecs);
grid
""")
nb.md("## Data source x quantizer, per bit-width")
nb.code("""
CategoryChart chart = new CategoryChartBuilder().width(720).height(380)
        .title("Fashion-MNIST ResNet-20: top-1 by data source and quantizer").xAxisTitle("quantizer").yAxisTitle("top-1 %").build();
chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
for (int[] wa : bits) for (String s : sources) {
    String b = "W" + wa[0] + "A" + wa[1];
    List<Double> ys = new ArrayList<>();
    for (String m : methods) {
        for (int r = 0; r < grid.rowCount(); r++)
            if (cSource.get(r).equals(s) && cMethod.get(r).equals(m) && cBits.get(r).equals(b)) ys.add(cTop1.get(r));
    }
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
