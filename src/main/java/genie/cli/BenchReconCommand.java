package genie.cli;

import genie.data.ImageSet;
import genie.nn.Model;
import genie.quant.QuantConfig;
import genie.quant.QuantizedModel;
import genie.quant.Reconstruction;
import genie.quant.ReconstructionListener;
import genie.quant.Unit;
import genie.quant.UnitReport;
import genie.util.Engines;
import genie.util.Memory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genie bench recon}: reconstruction ms/iteration and samples/s per unit, and resident memory over a run. */
@Command(name = "recon", mixinStandardHelpOptions = true,
        description = "Reconstruction throughput (ms/iteration, samples/s) per unit and RSS growth.")
public final class BenchReconCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    QuantOptions quant = new QuantOptions();

    @Option(names = "--data", defaultValue = "noise:512", description = "Calibration data (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--units", defaultValue = "0", description = "Benchmark only the first N units (0: all).")
    int unitLimit;

    @Option(names = "--json", description = "End stdout with one JSON line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (quant.iters == 20000 && unitLimit == 0) {
            quant.iters = 500; // a benchmark, not a full run, unless asked
        }
        Map<String, Object> out = new LinkedHashMap<>();
        try (Model teacher = model.load()) {
            QuantConfig cfg = quant.config(model.seed);
            ImageSet calib = DataOptions.load(data, teacher.spec(), model.seed, System.err);
            System.out.println("engine: " + Engines.describe(teacher.device()) + "; " + cfg.method() + " W" + cfg.wbits()
                    + "A" + cfg.abits() + ", " + cfg.iterations() + " iterations per unit, batch " + cfg.batch());
            try (QuantizedModel q = QuantizedModel.prepare(teacher, cfg)) {
                Reconstruction rec = new Reconstruction(teacher, q, calib);
                long[] rss = new long[2];
                rec.addListener(new ReconstructionListener() {
                    @Override
                    public void onIteration(Unit unit, int it, int total, float r, float round) {
                        if (unit.index() == 0 && it == Math.min(100, total)) {
                            rss[0] = Memory.rssKb();
                        }
                    }
                });
                double totalMs = 0;
                long totalIters = 0;
                int limit = unitLimit > 0 ? unitLimit : rec.units().size();
                for (int i = 0; i < limit && rec.hasNext(); i++) {
                    UnitReport r = rec.step();
                    totalMs += r.msPerIter() * r.iterations();
                    totalIters += r.iterations();
                    System.out.printf(Locale.ROOT, "%-14s %8.2f ms/it  %8.0f samples/s%n", r.name(), r.msPerIter(),
                            cfg.batch() * 1000.0 / r.msPerIter());
                }
                rss[1] = Memory.rssKb();
                double ms = totalMs / Math.max(1, totalIters);
                System.out.printf(Locale.ROOT, "overall %.2f ms/iteration, %.0f samples/s; RSS %d MB at iteration 100,"
                        + " %d MB at the end (%+.1f %%)%n", ms, cfg.batch() * 1000.0 / ms, rss[0] / 1024, rss[1] / 1024,
                        100.0 * (rss[1] - rss[0]) / Math.max(1, rss[0]));
                out.put("ms_per_iter", ms);
                out.put("samples_per_second", cfg.batch() * 1000.0 / ms);
                out.put("rss_mb_at_100", rss[0] / 1024.0);
                out.put("rss_mb_end", rss[1] / 1024.0);
                out.put("iterations", totalIters);
            }
        }
        if (json) {
            JsonOut.print(System.out, out);
        }
        return 0;
    }
}
