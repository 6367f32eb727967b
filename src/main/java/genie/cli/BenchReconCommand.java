package genie.cli;

import genie.data.ImageSet;
import genie.data.ImageSetFile;
import genie.nn.Model;
import genie.quant.Method;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Option(names = "--torch", description = "Then time the same residual-block units in Debian's PyTorch"
            + " (tools/bench_recon_torch.py: same spec, minibatch, threads and iterations; BasicBlock ResNets).")
    boolean torch;

    @Option(names = "--official", paramLabel = "DIR", description = "Then run the official Genie code (a checkout of"
            + " github.com/SamsungLabs/Genie in DIR, imported unmodified by tools/bench_official_genie.py) on the same"
            + " calibration images, units, iterations, minibatch and threads.")
    Path official;

    @Mixin
    JsonOption output = new JsonOption();

    @Override
    public Integer call() throws Exception {
        if (quant.iterations.iters == QuantConfig.DEFAULTS.iterations() && unitLimit == 0) {
            quant.iterations.iters = 500; // a benchmark, not a full run, unless asked
        }
        Map<String, Object> out = new LinkedHashMap<>();
        try (Model teacher = model.load()) {
            QuantConfig cfg = quant.config(model.seed);
            ImageSet calib = DataOptions.load(data, teacher.spec(), model.seed, System.err);
            if (official != null) {
                checkOfficial(cfg, calib.size());
            }
            System.out.println("engine: " + Engines.describe(teacher.device()) + "; " + cfg.method() + " W" + cfg.wbits()
                    + "A" + cfg.abits() + ", " + cfg.iterations() + " iterations per unit, batch " + cfg.batch());
            try (QuantizedModel q = QuantizedModel.prepare(teacher, cfg)) {
                Reconstruction rec = new Reconstruction(teacher, q, calib).withCancellation(Interrupts.cancellation())
                        .withCacheBudget(quant.cacheBudget());
                System.out.println(genie.quant.CachePlan.summary(rec.cachePlans()));
                // RSS per unit: at its iteration 100 (caches built, optimiser warm) and at its last iteration. Growth
                // inside a unit is what a leak looks like; between units the caches of the next unit come and go.
                // The half-way reading tells warm-up (allocator and Java heap settling early) from a leak (still
                // growing in the second half).
                long[] rss = new long[3];
                rec.addListener(new ReconstructionListener() {
                    @Override
                    public void onIteration(Unit unit, int it, int total, float r, float round) {
                        if (it == Math.min(100, total)) {
                            rss[0] = Memory.rssKb();
                        }
                        if (it == Math.max(1, total / 2)) {
                            rss[2] = Memory.rssKb();
                        }
                        if (it == total) {
                            rss[1] = Memory.rssKb();
                        }
                    }
                });
                double totalMs = 0;
                long totalIters = 0;
                double worstGrowth = 0;
                double worstSecondHalf = 0;
                List<Map<String, Object>> perUnit = new ArrayList<>();
                int limit = unitLimit > 0 ? unitLimit : rec.units().size();
                for (int i = 0; i < limit && rec.hasNext(); i++) {
                    UnitReport r = rec.step();
                    totalMs += r.msPerIter() * r.iterations();
                    totalIters += r.iterations();
                    double growth = 100.0 * (rss[1] - rss[0]) / Math.max(1, rss[0]);
                    double secondHalf = 100.0 * (rss[1] - rss[2]) / Math.max(1, rss[2]);
                    worstGrowth = Math.max(worstGrowth, growth);
                    worstSecondHalf = Math.max(worstSecondHalf, secondHalf);
                    System.out.printf(Locale.ROOT, "%-14s %8.2f ms/it  %8.0f samples/s  RSS MB at it. %d / %d / %d:"
                            + " %d / %d / %d (%+.2f %%, second half %+.2f %%)%n", r.name(), r.msPerIter(),
                            cfg.batch() * 1000.0 / r.msPerIter(), Math.min(100, r.iterations()),
                            Math.max(1, r.iterations() / 2), r.iterations(), rss[0] / 1024, rss[2] / 1024,
                            rss[1] / 1024, growth, secondHalf);
                    Map<String, Object> u = new LinkedHashMap<>();
                    u.put("unit", r.name());
                    u.put("ms_per_iter", r.msPerIter());
                    u.put("rss_mb_at_100", rss[0] / 1024.0);
                    u.put("rss_mb_half", rss[2] / 1024.0);
                    u.put("rss_mb_end", rss[1] / 1024.0);
                    perUnit.add(u);
                }
                double ms = totalMs / Math.max(1, totalIters);
                System.out.printf(Locale.ROOT, "overall %.2f ms/iteration, %.0f samples/s; largest RSS growth inside a"
                        + " unit %+.2f %% (second half %+.2f %%); process RSS %d MB%n", ms, cfg.batch() * 1000.0 / ms,
                        worstGrowth, worstSecondHalf, Memory.rssKb() / 1024);
                out.put("ms_per_iter", ms);
                out.put("samples_per_second", cfg.batch() * 1000.0 / ms);
                if (torch) {
                    out.put("torch", compareWithTorch(teacher, cfg, perUnit));
                }
                if (official != null) {
                    out.put("official", compareWithOfficial(teacher, cfg, calib, perUnit));
                }
                out.put("rss_growth_pct_max_unit", worstGrowth);
                out.put("rss_growth_pct_max_unit_second_half", worstSecondHalf);
                out.put("units", perUnit);
                out.put("iterations", totalIters);
                out.put(EffectiveConfig.KEY, EffectiveConfig.of(null, cfg));
            }
        }
        if (output.json) {
            JsonOut.print(System.out, out);
        }
        return 0;
    }

    /** The official code runs Genie-M with the paper's placement and draws minibatches as randperm(N).view(N/b, -1). */
    private void checkOfficial(QuantConfig cfg, int samples) {
        if (!Files.isRegularFile(official.resolve("reconstruct.py"))) {
            throw new IllegalArgumentException("--official " + official + ": no reconstruct.py there; clone"
                    + " https://github.com/SamsungLabs/Genie and pass its folder");
        }
        if (cfg.method() != Method.GENIE || !cfg.paperPreset() || !cfg.overrides().isEmpty()) {
            throw new IllegalArgumentException("--official runs the reference's Genie-M with the paper's placement:"
                    + " drop --method, --no-paper-preset and --override");
        }
        if (samples % 32 != 0 || samples % cfg.batch() != 0) {
            throw new IllegalArgumentException("--official needs a sample count divisible by 32 and by the minibatch"
                    + " (the reference slices by 32 and reshapes a permutation), got " + samples + " samples and"
                    + " minibatch " + cfg.batch() + "; use e.g. --data noise:512");
        }
    }

    /** Runs the official reconstruction on the same images and prints both sides per unit and overall. */
    private Map<String, Object> compareWithOfficial(Model teacher, QuantConfig cfg, ImageSet calib,
            List<Map<String, Object>> units) throws Exception {
        Path images = Files.createTempFile("genie-bench-official", ".safetensors");
        try {
            ImageSetFile.save(images, calib, null);
            com.google.gson.JsonObject t = TorchSide.run(List.of("bench_official_genie.py", "recon"),
                    teacher.spec().source(), "--official", official.toString(), "--data", images.toString(),
                    "--wbits", Integer.toString(cfg.wbits()), "--abits", Integer.toString(cfg.abits()), "--iters",
                    Integer.toString(cfg.iterations()), "--recon-batch", Integer.toString(calib.size() / cfg.batch()),
                    "--units", Integer.toString(units.size()), "--seed", Long.toString(cfg.seed()), "--eval-limit", "0");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("engine", t.get("engine").getAsString());
            r.putAll(sideBySide(units, t, "official", "all units", cfg.batch()));
            return r;
        } finally {
            Files.deleteIfExists(images);
        }
    }

    /** Times the residual blocks that ran here in PyTorch and prints both sides per unit and over those units. */
    private static Map<String, Object> compareWithTorch(Model teacher, QuantConfig cfg, List<Map<String, Object>> units)
            throws Exception {
        List<Map<String, Object>> blocks = units.stream().filter(u -> ((String) u.get("unit")).startsWith("layer"))
                .toList();
        if (blocks.isEmpty() || !"resnet".equals(teacher.spec().arch().get("family").getAsString())) {
            throw new IllegalArgumentException("--torch times the residual blocks of a ResNet teacher; run at least"
                    + " two units (--units 2) of one");
        }
        com.google.gson.JsonObject t = TorchSide.run("bench_recon_torch.py", teacher.spec().source(), "--batch",
                Integer.toString(cfg.batch()), "--iters", Integer.toString(cfg.iterations()), "--units",
                Integer.toString(blocks.size()), "--wbits", Integer.toString(cfg.wbits()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("units", blocks.size());
        r.putAll(sideBySide(blocks, t, "torch", "residual blocks", cfg.batch()));
        return r;
    }

    /**
     * Prints our and the other side's ms/iteration per unit and their means over {@code units} (the other side's from
     * its {@code unit_ms_per_iter}); returns the means and their ratio as JSON fields.
     */
    private static Map<String, Object> sideBySide(List<Map<String, Object>> units, com.google.gson.JsonObject other, String side,
            String scope, int batch) {
        com.google.gson.JsonObject perUnit = other.getAsJsonObject("unit_ms_per_iter");
        double java = 0;
        double theirs = 0;
        for (Map<String, Object> u : units) {
            String name = (String) u.get("unit");
            double j = (double) u.get("ms_per_iter");
            double o = perUnit.get(name).getAsDouble();
            java += j;
            theirs += o;
            System.out.printf(Locale.ROOT, "%-14s java %8.2f ms/it   %s %8.2f ms/it%n", name, j, side, o);
        }
        java /= units.size();
        theirs /= units.size();
        System.out.printf(Locale.ROOT, "%s: java %.2f ms/it (%.0f samples/s), %s %.2f ms/it (%.0f samples/s); ratio"
                + " java/%s %.2f (below 1: Java is faster)%n", scope, java, batch * 1000 / java, side, theirs,
                batch * 1000 / theirs, side, java / theirs);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("java_ms_per_iter", java);
        r.put(side + "_ms_per_iter", theirs);
        r.put("ratio", java / theirs);
        return r;
    }
}
