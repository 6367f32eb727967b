package genie.cli;

import genie.data.ImageSet;
import genie.eval.Accuracy;
import genie.eval.Evaluator;
import genie.nn.Model;
import genie.quant.CacheBudget;
import genie.quant.CachePlan;
import genie.quant.QuantConfig;
import genie.quant.QuantizedModel;
import genie.quant.Reconstruction;
import genie.quant.UnitReport;
import genie.util.Cancellation;
import genie.util.Engines;
import genie.util.Memory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genie quantize}: Genie-M (or a baseline) on a calibration set, then evaluation. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize a model by block reconstruction on calibration data and evaluate it.",
        footer = {"", QuantizeCommand.FOOTER})
public final class QuantizeCommand implements Callable<Integer> {
    /** Ctrl-C behaviour, shared with {@code run}. */
    static final String FOOTER = "On the command line, Ctrl-C stops after the current iteration, then reports the "
            + "units reconstructed so far and exits with status 130: --record keeps a run record with status "
            + "\"interrupted\" and those units; --out is written only when every unit was reconstructed (an interrupt "
            + "during evaluation), never for a partly reconstructed model. Ctrl-C again stops at once.";

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    QuantOptions quant = new QuantOptions();

    @Option(names = "--data", required = true, paramLabel = "SPEC",
            description = "Calibration data: synth.safetensors, fashion-mnist:train:512, noise:512, or an image folder.")
    String data;

    @Mixin
    EvalTargetOptions evalTarget = new EvalTargetOptions();

    @Mixin
    ExportOption export = new ExportOption();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        CommandRecord record = new CommandRecord("quantize");
        try (Model teacher = model.load()) {
            QuantConfig cfg = quant.config(model.seed);
            CacheBudget cacheBudget = quant.cacheBudget();
            ImageSet calib = DataOptions.load(data, teacher.spec(), model.seed, System.err);
            result.putAll(quantize("genie quantize", teacher, cfg, cacheBudget, calib, evalTarget.data,
                    evalTarget.limit, export, output.quiet, record));
            result.put(EffectiveConfig.KEY, EffectiveConfig.of(null, cfg));
            result.put("data", data);
            result.put("model", teacher.spec().name());
        }
        record.write(output.record, result);
        if (output.json) {
            JsonOut.print(System.out, result);
        }
        return interrupted(result) ? Interrupts.EXIT_CODE : 0;
    }

    /**
     * Shared by {@code quantize} and {@code run}: prepare, reconstruct, evaluate, export; returns the figures. An
     * interrupt ends it early with {@code status: interrupted} and the units done in the result (see {@link #FOOTER}).
     */
    static Map<String, Object> quantize(String command, Model teacher, QuantConfig cfg, CacheBudget cacheBudget,
            ImageSet calib, String evalData, int evalLimit, ExportOption export, boolean quiet, CommandRecord record)
            throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        System.out.println("engine: " + Engines.describe(teacher.device()));
        EffectiveConfig.print(System.out, cfg);
        System.out.println("calibration: " + calib);
        long t0 = System.nanoTime();
        try (QuantizedModel q = QuantizedModel.prepare(teacher, cfg)) {
            System.out.print(q.placementTable());
            Reconstruction rec = new Reconstruction(teacher, q, calib).withCancellation(Interrupts.cancellation())
                    .withCacheBudget(cacheBudget);
            System.out.println(CachePlan.summary(rec.cachePlans()));
            result.put("rss_mb_before_reconstruction", Memory.rssKb() / 1024.0);
            if (!quiet) {
                rec.addListener(new ReconProgress(System.err, rec.units().size()));
            }
            List<UnitReport> reports;
            String interruptedDuring = null;
            try {
                reports = rec.run();
            } catch (Cancellation.CancelledException e) {
                reports = rec.reports();
                interruptedDuring = "reconstruction";
            }
            if (interruptedDuring != null && !quiet) {
                System.err.println(); // ends the progress bar's line
            }
            record.units(reports);
            double secondsQuant = (System.nanoTime() - t0) / 1e9;
            reports.forEach(r -> System.out.println("  " + r));
            System.out.println("reconstruction: " + reports.size() + (interruptedDuring == null ? "" : " of "
                    + rec.units().size()) + " units in " + String.format(java.util.Locale.ROOT, "%.1f s", secondsQuant));
            result.put("method", cfg.method().toString());
            result.put("wbits", cfg.wbits());
            result.put("abits", cfg.abits());
            result.put("recon_iters", cfg.iterations());
            result.put("samples", calib.size());
            result.put("seed", cfg.seed());
            if (interruptedDuring == null && !"none".equals(evalData)) {
                try {
                    evaluate(teacher, q, cfg, evalData, evalLimit, quiet, result);
                } catch (Cancellation.CancelledException e) {
                    interruptedDuring = "evaluation";
                    if (!quiet) {
                        System.err.println();
                    }
                }
            }
            List<Map<String, Object>> units = new ArrayList<>();
            double iterMs = 0;
            int iterCount = 0;
            for (UnitReport r : reports) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("unit", r.name());
                u.put("rec_loss", r.finalRec());
                u.put("round_loss", r.finalRound());
                u.put("mse_before", r.mseBefore());
                u.put("mse_after", r.mseAfter());
                u.put("sqnr_before", r.sqnrBefore());
                u.put("sqnr_after", r.sqnrAfter());
                u.put("seconds", r.seconds());
                CachePlan plan = rec.cachePlans().get(units.size());
                u.put("cache_bytes", plan.totalBytes());
                u.put("cache_spilled_bytes", plan.spilledBytes());
                units.add(u);
                iterMs += r.msPerIter() * r.iterations();
                iterCount += r.iterations();
            }
            result.put("units", units);
            result.put("seconds_quant", secondsQuant);
            result.put("ms_per_recon_iter", iterCount == 0 ? 0 : iterMs / iterCount);
            result.put("cache", cacheFigures(rec));
            result.put("peak_rss_mb", Memory.peakRssKb() / 1024.0);
            if (interruptedDuring != null) {
                result.put("status", "interrupted");
                result.put("interrupted_during", interruptedDuring);
                result.put("units_done", reports.stream().map(UnitReport::name).toList());
                result.put("units_total", rec.units().size());
                System.err.println(command + ": " + interruptedLine(interruptedDuring, reports, rec.units().size()));
            }
            if (export.out != null || export.onnx != null) {
                // A partly reconstructed model mixes learned and untouched rounding: exporting it under the name
                // the user gave would pass for the finished model (and replace an earlier good export).
                if (reports.size() < rec.units().size()) {
                    String files = java.util.stream.Stream.of(export.out, export.onnx).filter(java.util.Objects::nonNull)
                            .map(Path::toString).collect(java.util.stream.Collectors.joining(" and "));
                    System.err.println(command + ": " + files + " not written: only " + reports.size() + " of "
                            + rec.units().size() + " units are reconstructed");
                } else {
                    write(q, export, result);
                }
            }
        }
        return result;
    }

    /** The budget, the largest unit's cache and what spilled, for --json and run records. */
    private static Map<String, Object> cacheFigures(Reconstruction rec) {
        Map<String, Object> m = new LinkedHashMap<>();
        CacheBudget b = rec.cacheBudget();
        m.put("budget_bytes", b.isUnlimited() ? null : b.bytes());
        m.put("budget", b.source());
        m.put("spill_dir", b.spillDir().toString());
        CachePlan largest = rec.cachePlans().stream().max(java.util.Comparator.comparingLong(CachePlan::totalBytes))
                .orElse(null);
        if (largest != null) {
            m.put("largest_unit", largest.unit());
            m.put("largest_bytes", largest.totalBytes());
            m.put("largest_memory_bytes", largest.memoryBytes());
        }
        m.put("units_spilling", rec.cachePlans().stream().filter(CachePlan::spills).map(CachePlan::unit).toList());
        return m;
    }

    private static void write(QuantizedModel q, ExportOption export, Map<String, Object> result) throws Exception {
        if (export.out != null) {
            genie.quant.IntegerExport.write(q, export.out);
            System.out.println("integer export: " + export.out);
            result.put("export", export.out.toString());
        }
        if (export.onnx != null) {
            System.out.println("ONNX export: " + genie.export.OnnxExport.write(q, export.onnx));
            result.put("onnx", export.onnx.toString());
        }
    }

    private static void evaluate(Model teacher, QuantizedModel q, QuantConfig cfg, String evalData, int evalLimit,
            boolean quiet, Map<String, Object> result) throws Exception {
        ImageSet test = DataOptions.load(evalData, teacher.spec(), cfg.seed(), System.err);
        if (evalLimit > 0) {
            test = test.head(evalLimit);
        }
        Evaluator ev = new Evaluator(250, quiet ? null : System.err).withCancellation(Interrupts.cancellation());
        Accuracy fp = ev.evaluate(teacher, test);
        Accuracy qa = ev.evaluate(q.student(), test);
        System.out.println("FP32      " + fp);
        System.out.println(String.format("W%dA%d %-6s", cfg.wbits(), cfg.abits(), cfg.method()) + qa);
        result.put("fp32_top1", 100 * fp.top1());
        result.put("quant_top1", 100 * qa.top1());
        result.put("eval_images", qa.images());
    }

    /** E.g. "interrupted after 3 of 11 units (layer1.0, layer1.1, layer1.2)". */
    static String interruptedLine(String during, List<UnitReport> done, int total) {
        String units = done.isEmpty() ? "" : " (" + String.join(", ", done.stream().map(UnitReport::name).toList())
                + ")";
        return "evaluation".equals(during)
                ? "interrupted during evaluation, after all " + total + " units were reconstructed; no accuracy"
                : "interrupted after " + done.size() + " of " + total + " units" + units;
    }

    /** Whether {@link #quantize} stopped at an interrupt (the result then says how far it got). */
    static boolean interrupted(Map<String, Object> result) {
        return "interrupted".equals(result.get("status"));
    }
}
