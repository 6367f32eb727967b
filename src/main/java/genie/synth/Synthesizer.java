package genie.synth;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import genie.data.ImageSet;
import genie.nn.Conv2d;
import genie.nn.Model;
import genie.nn.Module;
import genie.optim.Adam;
import genie.optim.ReduceLrOnPlateau;
import genie.optim.Schedules;
import genie.util.Cancellation;
import genie.util.Engines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Genie-D: synthesizes calibration images from a teacher's BatchNorm statistics.
 *
 * <p>For each batch of {@link SynthConfig#batch()} images (the last one may be smaller): a fresh
 * {@link Generator} and fresh latents z ~ N(0, 1) [b, latent]; then {@link SynthConfig#iterations()} steps of
 * x = G(z), teacher(x), {@link BnStatisticsLoss}, backward, Adam on z (reduce-on-plateau on the total loss,
 * stepped every iteration) and Adam on G (decayed by {@code gDecay} after every {@code gDecayEvery}
 * iterations). The batch's images are G(z) of the <b>last forward pass</b>, computed before the last optimiser
 * step, exactly as the reference keeps them. The other {@link SynthConfig.Source sources} change only what is
 * optimised.
 *
 * <p>During the run the teacher is put in inference mode, its parameters stop requiring gradients, its strided
 * convolutions are replaced by {@link SwingConv2d} (when {@code swing} is on) and its BatchNorms are hooked; all
 * of that is undone when the run ends, however it ends, so the teacher is unchanged afterwards.
 *
 * <p>Reproducibility: batch {@code b} seeds the engine with a value derived from ({@code seed}, b) and draws
 * swing offsets from a {@link Random} seeded the same way, so the same seed, device and thread count give
 * bit-identical images. Every iteration runs in its own sub-manager, closed at its end, so memory stays flat.
 * The token of {@link #withCancellation} is checked between iterations: a cancelled run returns the completed batches with
 * {@link SynthReport#cancelled()} set. A NaN or infinite loss throws {@link SynthesisDivergedException}.
 *
 * <p>Beyond Genie, each off by default ({@link SynthConfig}): {@link SynthAugment} changes what the teacher sees in each
 * iteration, {@link LabelTargets} adds a cross-entropy term (its classes become the images' labels),
 * {@link PooledBnStatistics} matches the statistics of all batches so far, and {@link LowPass} filters each finished
 * batch's images.
 */
public final class Synthesizer {
    private final SynthConfig config;
    private final List<SynthListener> listeners = new ArrayList<>();
    private SynthDraws draws; // null: the seeded draws
    private Cancellation cancellation = Cancellation.none();

    public Synthesizer(SynthConfig config) {
        this.config = config;
    }

    public SynthConfig config() {
        return config;
    }

    /** Takes the generator, latents and swing offsets from {@code d} instead of seeded draws (a replay). */
    public Synthesizer withDraws(SynthDraws d) {
        this.draws = d;
        return this;
    }

    /** Stops between iterations once {@code token} is cancelled, keeping the completed batches. */
    public Synthesizer withCancellation(Cancellation token) {
        this.cancellation = token;
        return this;
    }

    public Synthesizer addListener(SynthListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Synthesizes for a loaded model (its input shape, device and normalisation space). */
    public SynthResult run(Model teacher) {
        return run(teacher.net(), teacher.inputShape(), teacher.manager());
    }

    /**
     * Synthesizes for any module tree with BatchNorm2d layers.
     *
     * @param teacher a classifier taking [N, C, H, W] and returning logits [N, classes]
     * @param chw     input shape [C, H, W]
     * @param manager parent of the run's memory; its device is where all tensors live
     */
    public SynthResult run(Module teacher, int[] chw, NDManager manager) {
        if (chw.length != 3) {
            throw new IllegalArgumentException("input shape must be [C, H, W], got " + java.util.Arrays.toString(chw));
        }
        if (config.source() == SynthConfig.Source.GENIE || config.source() == SynthConfig.Source.GENERATOR_ONLY) {
            if (chw[1] % 4 != 0 || chw[2] % 4 != 0) {
                throw new IllegalArgumentException("the Genie-D generator needs input height and width divisible by 4,"
                        + " the model takes " + chw[1] + "x" + chw[2] + "; use --source pixels for this model");
            }
        }
        long start = System.nanoTime();
        int c = chw[0];
        int h = chw[1];
        int w = chw[2];
        int per = c * h * w;
        List<float[]> pixels = new ArrayList<>();
        List<int[]> labels = new ArrayList<>(); // per batch; null entries without --label-ce
        List<float[]> curves = new ArrayList<>();
        List<int[]> hists = new ArrayList<>();
        List<double[]> finals = new ArrayList<>();
        List<Double> confs = new ArrayList<>();
        boolean cancelled = false;
        long iterNanos = 0;
        long iterCount = 0;

        TeacherState saved = TeacherState.prepare(teacher);
        Map<String, SwingConv2d> swings = new LinkedHashMap<>();
        Random swingRandom = new Random(0);
        try (NDManager run = manager.newSubManager()) {
            if (config.swing()) {
                for (Map.Entry<String, Conv2d> e : teacher.modulesOfType(Conv2d.class).entrySet()) {
                    if (e.getValue().stride != 1) {
                        swings.put(e.getKey(), draws != null ? new SwingConv2d(e.getValue(), draws::swingOffset)
                                : new SwingConv2d(e.getValue(), swingRandom));
                    }
                }
                swings.forEach(teacher::replace);
            }
            try (BnStatisticsLoss loss = new BnStatisticsLoss(teacher, run, config.bnGlobal())) {
                for (int b = 0; b < config.batches(); b++) {
                    int size = config.batchSize(b);
                    long bs = batchSeed(config.seed(), b);
                    Engines.seed(bs);
                    swingRandom.setSeed(bs);
                    final int bi = b;
                    listeners.forEach(l -> l.onBatchStart(bi, config.batches(), size));
                    BatchOutcome out;
                    try {
                        out = runBatch(b, size, chw, teacher, loss, run);
                    } catch (Cancellation.CancelledException ex) {
                        cancelled = true;
                        break;
                    }
                    iterNanos += out.iterNanos;
                    iterCount += out.steps;
                    ImageSet batchImages = new ImageSet(out.pixels, out.labels, size, c, h, w, "genie-d batch " + b)
                            .requireFinite();
                    TeacherVerdict p = TeacherVerdict.of(teacher, swings.values(), loss, run, out.pixels, size, chw);
                    pixels.add(out.pixels);
                    labels.add(out.labels);
                    curves.add(out.curve);
                    finals.add(out.finalValues);
                    hists.add(p.histogram());
                    confs.add(p.meanConfidence());
                    final int bb = b;
                    listeners.forEach(l -> l.onBatchDone(bb, batchImages, p.histogram().clone(), p.meanConfidence()));
                }
            }
        } finally {
            swings.forEach((name, s) -> teacher.replace(name, s.conv()));
            saved.restore(teacher);
        }

        int n = pixels.size() == 0 ? 0 : (int) pixels.stream().mapToLong(a -> a.length / per).sum();
        float[] all = new float[n * per];
        int off = 0;
        for (float[] p : pixels) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double msPerIter = iterCount == 0 ? Double.NaN : iterNanos / 1e6 / iterCount;
        SynthReport report = new SynthReport(config, Engines.describe(manager.getDevice()),
                finals.stream().mapToDouble(v -> v[0]).toArray(), finals.stream().mapToDouble(v -> v[1]).toArray(),
                finals.stream().mapToDouble(v -> v[2]).toArray(), curves, seconds, msPerIter, hists,
                confs.stream().mapToDouble(Double::doubleValue).toArray(), cancelled);
        String desc = "genie-d " + config.source().cliName() + " seed " + config.seed() + " (" + n + " images"
                + (cancelled ? ", cancelled" : "") + ")";
        return new SynthResult(new ImageSet(all, LabelTargets.concat(labels), n, c, h, w, desc), report);
    }

    private record BatchOutcome(float[] pixels, int[] labels, float[] curve, double[] finalValues, long iterNanos,
            int steps) {
    }

    private BatchOutcome runBatch(int b, int size, int[] chw, Module teacher, BnStatisticsLoss loss, NDManager run) {
        SynthConfig.Source src = config.source();
        boolean optimise = src != SynthConfig.Source.NOISE && config.iterations() > 0;
        int steps = optimise ? config.iterations() : 0;
        int passes = Math.max(steps, 1);
        float[] curve = new float[passes];
        float[] pixels = null;
        double[] last = null;
        long nanos = 0;
        long bs = batchSeed(config.seed(), b);
        SynthAugment augment = config.augment() ? new SynthAugment(bs, chw[1], chw[2]) : null;
        LabelTargets targets = config.labelCe() > 0 ? new LabelTargets(bs, size, config.labelCe()) : null;
        LowPass lowPass = config.lowpass() > 0 ? new LowPass(chw[1], chw[2], config.lowpass()) : null;
        try (NDManager bm = run.newSubManager()) {
            Generator g = null;
            NDArray z = null;
            NDArray px = null;
            List<NDArray> longLived = new ArrayList<>();
            Adam optZ = null;
            Adam optG = null;
            Adam.Group groupG = null;
            ReduceLrOnPlateau plateau = null;
            Shape imageShape = new Shape(size, chw[0], chw[1], chw[2]);
            switch (src) {
                case GENIE, GENERATOR_ONLY -> {
                    g = draws != null ? draws.generator(bm, b, config.latent(), chw)
                            : Generator.forInput(bm, config.latent(), chw);
                    z = draws != null ? draws.latents(bm, b, new Shape(size, config.latent()))
                            : bm.randomNormal(new Shape(size, config.latent()));
                    longLived.addAll(g.stateDict().values());
                    longLived.add(z);
                    if (optimise) {
                        optG = new Adam(bm);
                        groupG = optG.addGroup("generator", g.parameters(), config.lrG());
                        if (src == SynthConfig.Source.GENIE) {
                            z.setRequiresGradient(true);
                            optZ = new Adam(bm);
                            plateau = ReduceLrOnPlateau.of(optZ.addGroup("z", List.of(z), config.lrZ()),
                                    config.plateauPatience(), config.minLrZ());
                        }
                    }
                }
                case PIXELS -> {
                    px = bm.randomNormal(imageShape);
                    longLived.add(px);
                    if (optimise) {
                        px.setRequiresGradient(true);
                        optZ = new Adam(bm);
                        plateau = ReduceLrOnPlateau.of(optZ.addGroup("pixels", List.of(px), config.lrZ()),
                                config.plateauPatience(), config.minLrZ());
                    }
                }
                case NOISE -> {
                    px = bm.randomNormal(imageShape);
                    longLived.add(px);
                }
                default -> throw new IllegalStateException("unknown source " + src);
            }
            NDArray[] keep = longLived.toArray(new NDArray[0]);
            int skipped = 0;
            Engine engine = bm.getEngine();
            for (int it = 0; it < passes; it++) {
                cancellation.check();
                long t0 = System.nanoTime();
                boolean learn = it < steps;
                try (NDManager im = bm.newSubManager()) {
                    im.tempAttachAll(keep);
                    NDArray x;
                    BnStatisticsLoss.Terms terms;
                    if (learn) {
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            x = g != null ? g.forward(z) : px;
                            terms = objective(x, teacher, loss, augment, targets);
                            gc.backward(terms.total());
                        }
                    } else {
                        x = g != null ? g.forward(z) : px;
                        terms = objective(x, teacher, loss, augment, targets);
                    }
                    double[] v = terms.values();
                    if (learn && !(Double.isFinite(v[0]) && gradientsFinite(keep))) {
                        // A non-finite loss or gradient must never reach the parameters: skip this update.
                        // Isolated bad steps are tolerated (seen rarely on CPU libtorch); a run that keeps
                        // producing them has diverged and stops with a clear error.
                        for (NDArray p : keep) {
                            if (p.hasGradient()) {
                                JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p);
                            }
                        }
                        skipped++;
                        System.err.println("\ngenie synth: batch " + b + " iteration " + it
                                + ": non-finite loss or gradient, update skipped (" + skipped + " so far)");
                        if (skipped > MAX_SKIPPED || it == passes - 1) {
                            throw new SynthesisDivergedException(b, it, v[0]);
                        }
                        continue;
                    }
                    if (!Double.isFinite(v[0])) {
                        throw new SynthesisDivergedException(b, it, v[0]);
                    }
                    curve[it] = (float) v[0];
                    last = v;
                    final int ii = it;
                    listeners.forEach(l -> l.onIteration(b, ii, v[0], v[1], v[2]));
                    if (config.logEvery() > 0 && ((it + 1) % config.logEvery() == 0 || it == passes - 1)
                            && !listeners.isEmpty()) {
                        Map<String, double[]> layers = terms.layers();
                        listeners.forEach(l -> l.onLayerTerms(b, ii, layers));
                    }
                    if (it == passes - 1) {
                        pixels = x.toFloatArray(); // the last forward pass, before the last step (as the reference)
                        if (lowPass != null) {
                            pixels = lowPass.apply(pixels);
                        }
                        loss.pool(terms); // the statistics later batches match with --bn-global
                    }
                    if (learn) {
                        if (optZ != null) {
                            optZ.step();
                        }
                        if (optG != null) {
                            optG.step();
                        }
                        if (plateau != null) {
                            plateau.step(v[0]);
                        }
                        if (groupG != null && (it + 1) % config.gDecayEvery() == 0) {
                            groupG.setLr(Schedules.exponential(config.lrG(), config.gDecay(),
                                    (it + 1) / config.gDecayEvery()));
                        }
                    }
                }
                if (learn) {
                    nanos += System.nanoTime() - t0;
                }
            }
            final Generator gg = g;
            final NDArray zz = z;
            listeners.forEach(l -> l.onBatchOptimised(b, gg, zz));
            if (optZ != null) {
                optZ.close();
            }
            if (optG != null) {
                optG.close();
            }
        } finally {
            loss.clearCaptured();
        }
        return new BatchOutcome(pixels, targets == null ? null : targets.labels(), curve, last, nanos, steps);
    }

    /**
     * One pass's loss: the teacher on x (on its augmented view with {@code augment}), the BatchNorm-statistics terms,
     * plus the cross-entropy to the batch's target classes with {@code targets}.
     */
    private static BnStatisticsLoss.Terms objective(NDArray x, Module teacher, BnStatisticsLoss loss,
            SynthAugment augment, LabelTargets targets) {
        NDArray seen = augment != null ? augment.view(x) : x;
        NDArray logits = teacher.forward(seen);
        BnStatisticsLoss.Terms terms = loss.compute(seen);
        return targets != null ? terms.plus(targets.loss(logits)) : terms;
    }

    /** The engine seed of batch {@code b}: a SplitMix64 mix of (seed, b), so batches differ and runs repeat. */
    static long batchSeed(long seed, int b) {
        long z = seed * 0x9E3779B97F4A7C15L + (b + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return z & 0x7fffffffL;
    }

    private static final int MAX_SKIPPED = 20;

    private static boolean gradientsFinite(NDArray[] params) {
        for (NDArray p : params) {
            if (p.hasGradient() && !Float.isFinite(p.getGradient().sum().getFloat())) {
                return false;
            }
        }
        return true;
    }
}
