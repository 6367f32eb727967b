package genie.quant;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import genie.data.ImageSet;
import genie.nn.HookHandle;
import genie.nn.Model;
import genie.optim.Adam;
import genie.optim.Schedules;
import genie.util.Cancellation;
import genie.util.Engines;
import genie.util.Scopes;
import genie.util.Tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Genie-M's block-wise reconstruction, one unit at a time in model order, with a step API:
 * {@link #step()} reconstructs the next unit and returns its report, {@link #run()} does all.
 *
 * <p>Per unit: cache the teacher's input and output and the student's input on the calibration set (slices of
 * 32 through both models, earlier units already quantized); optimise softbits, weight step sizes and activation
 * step sizes against the teacher's output; then switch the unit to hard rounding.
 */
public final class Reconstruction {
    private static final int SLICE = 32;

    private final Model teacher;
    private final QuantizedModel quantized;
    private final ImageSet calibration;
    private final QuantConfig config;
    private final List<Unit> units;
    private final List<UnitReport> reports = new ArrayList<>();
    private final List<ReconstructionListener> listeners = new CopyOnWriteArrayList<>();
    private QDrop drop; // the current unit's QDrop coins, seeded by (seed, unit)
    private ReconstructionDraws draws; // null: permutations and coins drawn from seeded generators
    private Cancellation cancellation = Cancellation.none();
    private int next;

    public Reconstruction(Model teacher, QuantizedModel quantized, ImageSet calibration) {
        int[] s = teacher.inputShape();
        if (calibration.channels() != s[0] || calibration.height() != s[1] || calibration.width() != s[2]) {
            throw new IllegalArgumentException("calibration data " + calibration.description() + " has images of "
                    + calibration.channels() + "x" + calibration.height() + "x" + calibration.width()
                    + " but the model takes " + s[0] + "x" + s[1] + "x" + s[2]);
        }
        if (calibration.size() == 0) {
            throw new IllegalArgumentException("calibration set is empty");
        }
        calibration.requireFinite();
        this.teacher = teacher;
        this.quantized = quantized;
        this.calibration = calibration;
        this.config = quantized.config();
        this.units = quantized.units();
    }

    public Reconstruction addListener(ReconstructionListener l) {
        listeners.add(l);
        return this;
    }

    /** Takes minibatch permutations and QDrop coins from {@code d} instead of the seeded generators (a replay). */
    public Reconstruction withDraws(ReconstructionDraws d) {
        this.draws = d;
        return this;
    }

    /** Stops between iterations once {@code token} is cancelled (the running unit is rolled back). */
    public Reconstruction withCancellation(Cancellation token) {
        this.cancellation = token;
        return this;
    }

    public boolean hasNext() {
        return next < units.size();
    }

    public List<Unit> units() {
        return units;
    }

    /** Reports of the units done so far. */
    public List<UnitReport> reports() {
        return List.copyOf(reports);
    }

    /** Index of the next unit to reconstruct. */
    public int position() {
        return next;
    }

    /** Reconstructs every remaining unit. */
    public List<UnitReport> run() {
        while (hasNext()) {
            step();
        }
        return reports();
    }

    /** Reconstructs units up to and including the named one. */
    public List<UnitReport> stepTo(String unitName) {
        int target = -1;
        for (Unit u : units) {
            if (u.name().equals(unitName)) {
                target = u.index();
            }
        }
        if (target < 0) {
            throw new genie.nn.UnknownModuleException(unitName + "' (not a reconstruction unit",
                    units.stream().map(Unit::name).toList());
        }
        List<UnitReport> out = new ArrayList<>();
        while (next <= target) {
            out.add(step());
        }
        return out;
    }

    /**
     * Reconstructs the next unit. On cancellation or failure, wherever it lands, the unit is rolled back to round to
     * nearest exactly as it was ({@link UnitSnapshot}) and stays next.
     */
    public UnitReport step() {
        if (!hasNext()) {
            throw new IllegalStateException("all " + units.size() + " units are reconstructed");
        }
        Unit unit = units.get(next);
        long t0 = System.nanoTime();
        Method method = config.method();
        UnitSnapshot before = new UnitSnapshot(unit, quantized);
        unit.layers().forEach(l -> l.enableActQuant(true));
        drop = draws != null ? new QDrop(n -> draws.qdropCoins(unit, n))
                : new QDrop(config.dropProb(), config.seed() * 1_000_033L + unit.index());
        NDManager cacheManager = quantized.student().manager().newSubManager();
        boolean grad = JniUtils.isGradMode();
        try {
            NDArray[] cache;
            double[] rtn;
            float[] rec = new float[0];
            float[] rnd = new float[0];
            double msPerIter = 0;
            int iters = method.reconstructs ? config.iterations() : 0;
            try {
                setTraining(unit, method);
                cache = collect(unit, cacheManager); // x, y, x_q
                rtn = outputError(unit, cache, method);
                if (iters > 0) {
                    long o0 = System.nanoTime();
                    float[][] curves = optimise(unit, cache, iters, method);
                    rec = curves[0];
                    rnd = curves[1];
                    msPerIter = (System.nanoTime() - o0) / 1e6 / iters;
                }
            } catch (RuntimeException | Error e) {
                JniUtils.setGradMode(false);
                before.restore();
                throw e;
            }
            finish(unit);
            double[] after = outputError(unit, cache, null);
            UnitReport r = new UnitReport(unit.index(), unit.name(), unit.layers().stream().map(QuantLayer::layerName)
                    .toList(), iters, rec, rnd, rec.length > 0 ? rec[rec.length - 1] : after[0],
                    rnd.length > 0 ? rnd[rnd.length - 1] : 0, rtn[0], after[0], rtn[1], after[1],
                    (System.nanoTime() - t0) / 1e9, msPerIter);
            reports.add(r);
            next++;
            listeners.forEach(l -> l.onUnitDone(r));
            return r;
        } finally {
            JniUtils.setGradMode(grad);
            cacheManager.close();
        }
    }

    private void setTraining(Unit unit, Method method) {
        for (WeightQuantizer w : unit.weightQuantizers()) {
            w.setMode(method.reconstructs ? WeightQuantizer.Mode.SOFT : WeightQuantizer.Mode.HARD);
        }
        for (ActivationQuantizer a : unit.activationQuantizers()) {
            a.setQDrop(method.qdrop ? drop : null);
        }
    }

    private void finish(Unit unit) {
        unit.weightQuantizers().forEach(WeightQuantizer::finishTraining);
        List<ActivationQuantizer> aqs = unit.activationQuantizers();
        aqs.forEach(ActivationQuantizer::finishTraining);
        // Consumers of a shared quantizer outside the unit (layer-wise residual identities) switch on with it.
        for (QuantLayer l : quantized.layers().values()) {
            if (l.inputQuantizer() != null && aqs.contains(l.inputQuantizer())) {
                l.enableActQuant(true);
            }
        }
    }

    /** Caches teacher input/output and student input of the unit over the calibration set. */
    private NDArray[] collect(Unit unit, NDManager into) {
        JniUtils.setGradMode(false);
        NDList xs = new NDList();
        NDList ys = new NDList();
        NDList xqs = new NDList();
        int n = calibration.size();
        for (int from = 0; from < n; from += SLICE) {
            cancellation.check();
            int to = Math.min(n, from + SLICE);
            // The scope frees what lands in long-lived managers (soft weights of this unit); captures are kept.
            try (NDScope scope = new NDScope(); NDManager sub = into.newSubManager()) {
                NDArray batch = calibration.batch(sub, from, to);
                NDArray[] t = capture(teacher, unit.name(), batch, true);
                NDArray[] s = capture(quantized.student(), unit.name(), batch, false);
                for (NDArray a : new NDArray[] {t[0], t[1], s[0]}) {
                    Scopes.keep(a);
                    a.attach(into);
                }
                xs.add(t[0]);
                ys.add(t[1]);
                xqs.add(s[0]);
            }
        }
        NDArray x = NDArrays.concat(xs);
        NDArray y = NDArrays.concat(ys);
        NDArray xq = NDArrays.concat(xqs);
        xs.close();
        ys.close();
        xqs.close();
        return new NDArray[] {x, y, xq};
    }

    private static final class StopForward extends RuntimeException {
        StopForward() {
            super(null, null, false, false);
        }
    }

    /** Runs the model until the named module has run; returns its input (and output). */
    private static NDArray[] capture(Model model, String name, NDArray batch, boolean withOutput) {
        NDArray[] got = new NDArray[2];
        HookHandle h = model.get(name).addForwardHook((m, in, out) -> {
            got[0] = in;
            got[1] = out;
            throw new StopForward();
        });
        try {
            model.forward(batch);
        } catch (StopForward expected) {
            // the rest of the network is not needed
        } finally {
            h.close();
        }
        if (got[0] == null) {
            throw new IllegalStateException("unit " + name + " was not reached by the forward pass");
        }
        return withOutput ? got : new NDArray[] {got[0]};
    }

    /** Output MSE (per element) and SQNR of the unit in inference mode over the cache. */
    private double[] outputError(Unit unit, NDArray[] cache, Method restoreTo) {
        List<WeightQuantizer.Mode> modes = unit.weightQuantizers().stream().map(WeightQuantizer::mode).toList();
        unit.weightQuantizers().forEach(w -> w.setMode(WeightQuantizer.Mode.HARD));
        unit.activationQuantizers().forEach(a -> a.setQDrop(null));
        double err = 0;
        double sig = 0;
        long count = 0;
        int n = (int) cache[0].getShape().get(0);
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < n; from += 128) {
                int to = Math.min(n, from + 128);
                try (NDScope scope = new NDScope()) {
                    NDArray xq = cache[2].get(from + ":" + to);
                    NDArray y = cache[1].get(from + ":" + to);
                    NDArray out = unit.module().forward(xq);
                    err += out.sub(y).square().sum().getFloat();
                    sig += y.square().sum().getFloat();
                    count += y.size();
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        if (restoreTo != null) {
            for (int i = 0; i < modes.size(); i++) {
                unit.weightQuantizers().get(i).setMode(modes.get(i));
            }
            setTraining(unit, restoreTo);
        }
        return new double[] {err / count, 10 * Math.log10(sig / Math.max(err, 1e-30))};
    }

    private float[][] optimise(Unit unit, NDArray[] cache, int iters, Method method) {
        NDManager owner = quantized.student().manager();
        List<NDArray> wScales = new ArrayList<>();
        List<NDArray> bits = new ArrayList<>();
        for (WeightQuantizer w : unit.weightQuantizers()) {
            w.startTraining(method.learnWeightScale);
            if (method.learnWeightScale) {
                wScales.add(w.scale());
            }
            bits.add(w.softbitLogits());
        }
        List<NDArray> aScales = new ArrayList<>();
        for (ActivationQuantizer a : unit.activationQuantizers()) {
            a.startTraining(method.learnActivationScale);
            if (method.learnActivationScale) {
                aScales.add(a.scale());
            }
        }
        float[] rec = new float[iters];
        float[] rnd = new float[iters];
        int n = (int) cache[0].getShape().get(0);
        int batch = Math.min(config.batch(), n);
        Random perm = new Random(config.seed() * 1_000_003L + unit.index());
        Engines.seed(config.seed() * 7919L + unit.index());
        int[] order = draws != null ? draws.permutation(unit, n) : shuffled(n, perm);
        int cursor = 0;
        int warm = (int) Math.ceil(config.warmup() * iters);
        try (Adam optScale = new Adam(owner); Adam optBit = new Adam(owner)) {
            Adam.Group gw = optScale.addGroup("w-scale", wScales, config.lrWeightScale());
            Adam.Group ga = optScale.addGroup("a-scale", aScales, config.lrActScale());
            optBit.addGroup("softbits", bits, config.lrSoftbits());
            Engine engine = Engines.engine();
            for (int it = 1; it <= iters; it++) {
                cancellation.check();
                if (cursor + batch > n) { // a new epoch: a fresh permutation, every step a true minibatch
                    order = draws != null ? draws.permutation(unit, n) : shuffled(n, perm);
                    cursor = 0;
                }
                int[] idx = java.util.Arrays.copyOfRange(order, cursor, cursor + batch);
                cursor += batch;
                try (NDScope scope = new NDScope()) {
                    NDArray index = owner.create(idx).toType(DataType.INT64, false);
                    NDArray x = cache[0].get(new NDIndex("{}", index));
                    NDArray y = cache[1].get(new NDIndex("{}", index));
                    NDArray xq = cache[2].get(new NDIndex("{}", index));
                    NDArray input = method.qdrop
                            ? drop.mix(xq, x)
                            : xq;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray out = unit.module().forward(input);
                        NDArray recLoss = out.sub(y).square().sum(new int[] {1}).mean();
                        NDArray total = recLoss;
                        float roundValue = 0f;
                        if (it >= warm && !bits.isEmpty()) {
                            float beta = (float) beta(it, iters, warm);
                            NDArray reg = null;
                            for (WeightQuantizer w : unit.weightQuantizers()) {
                                NDArray r = w.roundingLoss(beta);
                                reg = reg == null ? r : reg.add(r);
                            }
                            total = total.add(reg.mul(Tensors.scalar(reg, config.roundWeight())));
                            roundValue = reg.getFloat();
                        }
                        gc.backward(total);
                        rec[it - 1] = recLoss.getFloat();
                        rnd[it - 1] = roundValue;
                    }
                    if (!Float.isFinite(rec[it - 1])) {
                        throw new IllegalStateException("reconstruction of " + unit.name() + " diverged at iteration "
                                + it + " (loss " + rec[it - 1] + "); check the calibration data");
                    }
                    optScale.step();
                    optBit.step();
                }
                double cos = Schedules.cosine(1.0, 0.0, iters, it);
                gw.setLr(config.lrWeightScale() * cos);
                ga.setLr(config.lrActScale() * cos);
                for (ReconstructionListener l : listeners) {
                    l.onIteration(unit, it, iters, rec[it - 1], rnd[it - 1]);
                }
            }
        }
        return new float[][] {rec, rnd};
    }

    /** The reference's LinearTempDecay: 20 until warm-up ends, then linearly to 2 at the last iteration. */
    double beta(int it, int iters, int warm) {
        double start = config.warmup() * iters;
        if (it < start) {
            return config.betaStart();
        }
        double rel = (it - start) / (iters - start);
        return config.betaEnd() + (config.betaStart() - config.betaEnd()) * Math.max(0.0, 1 - rel);
    }

    private static int[] shuffled(int n, Random r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
