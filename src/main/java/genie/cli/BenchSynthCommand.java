package genie.cli;

import genie.nn.Model;
import genie.synth.ConsoleSynthListener;
import genie.synth.SynthConfig;
import genie.synth.SynthListener;
import genie.synth.SynthResult;
import genie.synth.Synthesizer;
import genie.util.Engines;
import genie.util.Memory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code genie bench synth}: milliseconds per Genie-D iteration (one batch, after warm-up) and resident memory at
 * iteration 100 against the end of the run, to show that memory stays flat over a long run.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Benchmark Genie-D: ms per synthesis iteration and RSS growth over a run.")
public final class BenchSynthCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SynthBatchOptions batch = new SynthBatchOptions();

    @Option(names = "--iters", defaultValue = "200",
            description = "Timed iterations after warm-up; use 4000 for the memory check (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--warmup", defaultValue = "10", description = "Untimed warm-up iterations (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rss-at", defaultValue = "100", description = "Iteration of the first RSS reading (default: ${DEFAULT-VALUE}).")
    int rssAt;

    @Option(names = "--torch", description = "Then time the same Genie-D iterations in Debian's PyTorch"
            + " (tools/bench_synth_torch.py, same spec, batch, threads and iteration counts).")
    boolean torch;

    @Option(names = "--official", paramLabel = "DIR", description = "Then time the official Genie-D (a checkout of"
            + " github.com/SamsungLabs/Genie in DIR, run by tools/bench_official_genie.py) at the same batch, threads"
            + " and iteration counts.")
    Path official;

    @Mixin
    JsonOption output = new JsonOption();

    @Override
    public Integer call() throws Exception {
        if (iters <= 0 || warmup < 0) {
            throw new IllegalArgumentException("--iters must be positive and --warmup 0 or more");
        }
        int total = warmup + iters;
        SynthConfig config = batch.applyTo(SynthConfig.builder()).samples(batch.batch).iterations(total)
                .seed(model.seed).logEvery(0).build();
        if (official != null && (config.source() != SynthConfig.Source.GENIE || !config.swing()
                || !Files.isRegularFile(official.resolve("distill.py")))) {
            throw new IllegalArgumentException("--official times the reference's Genie-D (generator and latents, with"
                    + " swing) from a checkout of https://github.com/SamsungLabs/Genie; " + official
                    + (Files.isRegularFile(official.resolve("distill.py")) ? " is one, but drop --source and --no-swing"
                            : " has no distill.py"));
        }
        if (config.source() == SynthConfig.Source.NOISE) {
            throw new IllegalArgumentException("--source noise does not iterate; benchmark genie, generator-only or pixels");
        }
        if (torch && (config.source() != SynthConfig.Source.GENIE || !config.swing())) {
            throw new IllegalArgumentException("--torch times the default Genie-D only (--source genie, swing on)");
        }
        int firstRss = Math.min(rssAt, total) - 1;
        int halfRss = Math.max(firstRss, total / 2 - 1); // second-half growth tells a leak from warm-up
        long[] marks = new long[2];
        double[] rss = {Double.NaN, Double.NaN, Double.NaN};
        SynthListener probe = new SynthListener() {
            @Override
            public void onIteration(int b, int iter, double loss, double meanPart, double stdPart) {
                if (iter == warmup - 1) {
                    marks[0] = System.nanoTime();
                }
                if (iter == firstRss) {
                    rss[0] = Memory.rssKb() / 1024.0;
                }
                if (iter == halfRss) {
                    rss[2] = Memory.rssKb() / 1024.0;
                }
                if (iter == total - 1) {
                    marks[1] = System.nanoTime();
                    rss[1] = Memory.rssKb() / 1024.0;
                }
            }
        };
        try (Model m = model.load()) {
            double startRss = Memory.rssKb() / 1024.0;
            long t0 = System.nanoTime();
            SynthListener timeStart = new SynthListener() {
                @Override
                public void onBatchStart(int b, int batches, int size) {
                    if (warmup == 0) {
                        marks[0] = System.nanoTime();
                    }
                }
            };
            SynthResult r = new Synthesizer(config).withCancellation(Interrupts.cancellation()).addListener(timeStart).addListener(probe)
                    .addListener(new ConsoleSynthListener(System.err, config, false)).run(m);
            if (r.report().cancelled()) {
                System.err.println("genie bench synth: cancelled");
                return 130;
            }
            // Timed span: from the end of the last warm-up iteration to the end of the last one.
            double ms = (marks[1] - marks[0]) / 1e6 / iters;
            double growth = 100 * (rss[1] - rss[0]) / rss[0];
            double secondHalf = 100 * (rss[1] - rss[2]) / rss[2];
            System.out.println(String.format(Locale.ROOT, "Genie-D %s on %s, batch %d: %.1f ms/iteration over %d"
                    + " iterations (after %d warm-up); optimiser-loop mean %.1f ms", config.source().cliName(),
                    m.spec().name(), batch.batch, ms, iters, warmup, r.report().msPerIteration()));
            System.out.println(String.format(Locale.ROOT, "RSS: %.1f MB before, %.1f MB at iteration %d, %.1f MB at"
                    + " iteration %d: growth %+.2f%% (second half %+.2f%%)", startRss, rss[0], firstRss + 1, rss[1], total,
                    growth, secondHalf));
            System.out.println("engine: " + Engines.describe(m.device()) + ", total " + String.format(Locale.ROOT,
                    "%.1f s", (System.nanoTime() - t0) / 1e9));
            Double torchMs = null;
            if (torch) {
                torchMs = TorchSide.run("bench_synth_torch.py", m.spec().source(), "--batch", Integer.toString(batch.batch),
                        "--iters", Integer.toString(iters), "--warmup", Integer.toString(warmup))
                        .get("ms_per_iter").getAsDouble();
                System.out.println(String.format(Locale.ROOT, "PyTorch side: %.1f ms/iteration; ratio java/torch %.2f"
                        + " (below 1: Java is faster)", torchMs, ms / torchMs));
            }
            Double officialMs = null;
            if (official != null) {
                officialMs = TorchSide.run(List.of("bench_official_genie.py", "synth"), m.spec().source(), "--official",
                        official.toString(), "--batch", Integer.toString(batch.batch), "--iters", Integer.toString(iters),
                        "--warmup", Integer.toString(warmup)).get("ms_per_iter").getAsDouble();
                System.out.println(String.format(Locale.ROOT, "official Genie-D: %.1f ms/iteration; ratio java/official"
                        + " %.2f (below 1: Java is faster)", officialMs, ms / officialMs));
            }
            if (output.json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("model", m.spec().name());
                out.put("source", config.source().cliName());
                out.put("swing", config.swing());
                out.put("batch", batch.batch);
                out.put("iters", iters);
                out.put("warmup", warmup);
                out.put("ms_per_iter", ms);
                out.put("rss_mb_start", startRss);
                out.put("rss_mb_first", rss[0]);
                out.put("rss_first_at", firstRss + 1);
                out.put("rss_mb_half", rss[2]);
                out.put("rss_mb_end", rss[1]);
                out.put("rss_growth_pct", growth);
                out.put("rss_growth_pct_second_half", secondHalf);
                out.put("final_loss", r.report().finalLoss());
                out.put("threads", Engines.threads());
                out.put("engine", Engines.describe(m.device()));
                out.put("torch_ms_per_iter", torchMs);
                out.put("official_ms_per_iter", officialMs);
                out.put(EffectiveConfig.KEY, EffectiveConfig.of(config));
                JsonOut.print(System.out, out);
            }
        }
        return 0;
    }

    /** Standalone entry point until the command is registered under {@code genie bench}. */
    public static void main(String[] args) {
        Interrupts.install(System.err);
        picocli.CommandLine cl = Main.commandLine();
        picocli.CommandLine bench = new picocli.CommandLine(new BenchSynthCommand());
        bench.setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
        System.exit(bench.execute(args));
    }
}
