package genie.magics;

import genie.setup.DatasetInstaller;
import genie.data.DataSource;
import genie.data.FashionMnist;
import genie.data.ImageSet;
import genie.data.ImageSetFile;
import genie.eval.Accuracy;
import genie.eval.Evaluator;
import genie.nn.Model;
import genie.nn.ModelSpec;
import genie.nn.StateDict;
import genie.quant.IntegerExport;
import genie.quant.QuantConfig;
import genie.quant.UnitReport;
import genie.report.Charts;
import genie.report.Images;
import genie.report.ResultRow;
import genie.report.Tables;
import genie.synth.SynthCache;
import genie.synth.SynthConfig;
import genie.synth.SynthResult;
import genie.synth.Synthesizer;
import genie.util.Cancellation;
import genie.util.Engines;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plain Java helpers behind every Genie magic: what {@code %genie_load}, {@code %%genie_synth},
 * {@code %genie_quantize}, {@code %genie_step}, {@code %genie_eval}, {@code %genie_plot}, {@code %genie_table} and
 * {@code %genie_export} do, callable from any cell or script. Long operations show live progress when running in a
 * notebook ({@link LiveProgress}); the interrupt button stops them between iterations.
 */
public final class Genie {
    private Genie() {}

    // ------------------------------------------------------------------ models and data

    /** Loads a model by built-in name or spec JSON; weights null: the spec's file or the bundled weights. */
    public static Model load(String model, Path weights) throws IOException {
        return load(model, weights, "cpu", List.of());
    }

    public static Model load(String model, Path weights, String device, List<String> renames) throws IOException {
        return Model.load(ModelSpec.resolve(model), weights, Engines.device(device),
                renames.stream().map(StateDict.Rename::parse).toList(), true);
    }

    /** Images for a model: a bound ImageSet by name, or a data spec (Fashion-MNIST is installed when possible). */
    public static ImageSet data(String spec, Model model, long seed) {
        Bindings bound = GenieSession.current().bindings();
        if (bound.has(spec) && bound.get(spec) instanceof ImageSet set) {
            return set;
        }
        if (spec.startsWith("fashion-mnist") && !new FashionMnist().isInstalled()) {
            DatasetInstaller.fashionMnist(System.err);
        }
        return DataSource.load(spec, model.inputShape(), model.normalization(), seed);
    }

    // ------------------------------------------------------------------ Genie-D

    /**
     * Synthesizes calibration images from the teacher's BN statistics, with live progress in a notebook (a progress
     * bar and the loss chart, updated in place; the stored chart when the run is reused). With
     * {@code GENIE_SYNTH_CACHE} set, an identical earlier run (same teacher weights, settings, seed) is reused.
     */
    public static SynthResult synth(Model teacher, SynthConfig config) {
        return synth(teacher, config, SynthCache.fromEnv());
    }

    /** As {@link #synth(Model, SynthConfig)} with an explicit cache (null: none). */
    public static SynthResult synth(Model teacher, SynthConfig config, SynthCache cache) {
        LiveProgress live = new LiveProgress("Genie-D synthesis", (long) config.batches() * config.iterations(), 700);
        Synthesizer synthesizer = new Synthesizer(config).withCancellation(GenieSession.current().cancellation());
        SynthResult r = SynthCache.run(cache, teacher, synthesizer.addListener(live), System.out);
        if (live.updates() == 0) {
            // Reused from the cache (or no iterations): no live chart was drawn, so show the stored curves once.
            Display.show(plotSynthLoss(r));
            return r;
        }
        live.finish(r.report().cancelled()
                ? "interrupted: kept the " + r.images().size() + " images of the " + r.report().completedBatches()
                        + " completed batch(es)"
                : String.format(Locale.ROOT, "done: %d images, final loss %.4g", r.images().size(),
                        r.report().finalLoss()));
        return r;
    }

    public static void saveImages(SynthResult r, Path out) {
        com.google.gson.JsonObject meta = new com.google.gson.JsonObject();
        meta.addProperty("kind", "genie-d");
        meta.addProperty("seed", r.report().config().seed());
        meta.addProperty("final_loss", r.report().finalLoss());
        ImageSetFile.save(out, r.images(), meta);
    }

    // ------------------------------------------------------------------ Genie-M

    /** Prepares a quantization (placement + reconstruction), not run yet. */
    public static Quantization quantize(Model teacher, ImageSet calibration, QuantConfig config) {
        return new Quantization(teacher, calibration, calibration.description(), config,
                GenieSession.current().cancellation());
    }

    public static Quantization quantize(Model teacher, String dataSpec, QuantConfig config) {
        ImageSet calib = data(dataSpec, teacher, config.seed());
        return new Quantization(teacher, calib, dataSpec, config, GenieSession.current().cancellation());
    }

    /** Reconstructs the next {@code count} units with live progress; see {@link #step(Quantization, int, String, boolean)}. */
    public static List<UnitReport> step(Quantization q, int count) {
        return step(q, count, null, true);
    }

    public static List<UnitReport> stepTo(Quantization q, String unit) {
        return step(q, Integer.MAX_VALUE, unit, true);
    }

    public static List<UnitReport> stepAll(Quantization q) {
        return step(q, Integer.MAX_VALUE, null, true);
    }

    /**
     * Reconstructs units: {@code count} of them, or up to and including {@code toUnit}. In a notebook a progress bar
     * and a loss chart update in place; on an interrupt the units finished so far stay reconstructed, the running
     * one is rolled back by the engine and the {@link Cancellation.CancelledException} is rethrown.
     */
    public static List<UnitReport> step(Quantization q, int count, String toUnit, boolean live) {
        List<UnitReport> done = new ArrayList<>();
        LiveProgress progress = live && Display.active() ? LiveProgress.forReconstruction(q) : null;
        if (progress != null) {
            q.setListener(progress);
        }
        try {
            if (toUnit != null) {
                if (q.units().stream().noneMatch(u -> u.name().equals(toUnit))) {
                    q.reconstruction().stepTo(toUnit); // throws the engine's message listing the unit names
                }
                while (q.hasNext() && q.reports().stream().noneMatch(r -> r.name().equals(toUnit))) {
                    done.add(q.step());
                }
            } else {
                for (int i = 0; i < count && q.hasNext(); i++) {
                    done.add(q.step());
                }
            }
            if (progress != null) {
                progress.finish(String.format(Locale.ROOT, "done: %d unit(s) now, %d/%d reconstructed", done.size(),
                        q.reports().size(), q.units().size()));
            }
            return done;
        } catch (Cancellation.CancelledException e) {
            String unit = q.nextUnit() == null ? "?" : q.nextUnit().name();
            String msg = "interrupted: " + unit + " was rolled back to round-to-nearest; " + q.reports().size() + "/"
                    + q.units().size() + " units stay reconstructed (" + done.size() + " in this call)";
            if (progress != null) {
                progress.finish(msg);
            }
            System.err.println(msg);
            throw e;
        } finally {
            if (progress != null) {
                q.setListener(null);
            }
        }
    }

    /** Integer export of the reconstructed model (safetensors + manifest). */
    public static Path export(Quantization q, Path out) throws IOException {
        IntegerExport.write(q.model(), out);
        return out;
    }

    /** The reconstructed model as an ONNX QDQ graph (see {@link genie.export.OnnxExport}). */
    public static genie.export.OnnxExport.Summary exportOnnx(Quantization q, Path out) throws IOException {
        return genie.export.OnnxExport.write(q.model(), out);
    }

    // ------------------------------------------------------------------ evaluation

    public static Accuracy eval(Model model, ImageSet data) {
        return evaluator().evaluate(model, data);
    }

    /** Scores the quantized model and records a results row (see {@link #tableResults()}). */
    public static Accuracy eval(Quantization q, ImageSet data) {
        q.model().enableCalibratedActivationQuantizers();
        Accuracy a = evaluator().evaluate(q.student(), data);
        double secs = q.reports().stream().mapToDouble(UnitReport::seconds).sum();
        record(new ResultRow(q.config().method().toString(), q.config().wbits(), q.config().abits(), q.dataSpec(),
                q.calibration().size(), q.config().iterations(), 100 * a.top1(), a.images(), secs));
        return a;
    }

    private static Evaluator evaluator() {
        return new Evaluator(250, null).withCancellation(GenieSession.current().cancellation());
    }

    /** Adds a row to the current session's results table. */
    public static void record(ResultRow row) {
        GenieSession.current().record(row);
    }

    public static List<ResultRow> results() {
        return GenieSession.current().results();
    }

    // ------------------------------------------------------------------ pictures

    public static XYChart plotActivations(Quantization q, String layer, int images) {
        return Charts.activationDistribution(q.teacher(), q.model(), layer, q.calibration(), images);
    }

    public static XYChart plotWeights(Quantization q, String layer) {
        return Charts.weightDistribution(q.model(), layer);
    }

    public static XYChart plotLosses(Quantization q) {
        return q.lossChart();
    }

    public static XYChart plotUnit(Quantization q, String unit) {
        return q.lossChart(unit);
    }

    public static XYChart plotOutput(Quantization q, String unit) {
        return q.outputChart(unit);
    }

    public static XYChart plotSynthLoss(SynthResult r) {
        return Charts.synthLoss(r.report().curves());
    }

    public static XYChart plotBnStats(Model teacher, Map<String, ImageSet> sets, int images) {
        return Charts.bnStatistics(teacher, new LinkedHashMap<>(sets), images);
    }

    public static BufferedImage plotImages(Model teacher, ImageSet set, int count, int columns) {
        return Images.grid(teacher, set, count, columns);
    }

    // ------------------------------------------------------------------ tables

    public static Table tablePlacement(Quantization q) {
        return q.placementTable();
    }

    public static Table tableUnits(Quantization q) {
        return q.unitTable();
    }

    public static Table tableResults() {
        return Tables.results(results());
    }

    /** After a step: the unit's loss curve, its output before/after, and the updated unit table. */
    public static void showStep(Quantization q, List<UnitReport> stepped, boolean everyUnit) {
        List<UnitReport> show = everyUnit ? stepped : stepped.isEmpty() ? List.of() : List.of(stepped.get(stepped.size() - 1));
        for (UnitReport r : show) {
            Display.show(Display.html("<h4>Unit " + (r.index() + 1) + "/" + q.units().size() + ": " + r.name() + "</h4>",
                    "Unit " + (r.index() + 1) + ": " + r));
            Display.show(q.lossChart(r.name()));
            Display.show(q.outputChart(r.name()));
        }
        Display.show(q.unitTable());
    }
}
