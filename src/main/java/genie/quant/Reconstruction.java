package genie.quant;

import genie.data.ImageSet;
import genie.nn.Model;
import genie.util.Cancellation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Genie-M's block-wise reconstruction, one unit at a time in model order, with a step API:
 * {@link #step()} reconstructs the next unit and returns its report, {@link #run()} does all.
 *
 * <p>Per unit: cache the teacher's input and output and the student's input on the calibration set (slices of
 * 32 through both models, earlier units already quantized; within a {@link CacheBudget}, beyond which the cache
 * spills to disk); optimise softbits, weight step sizes and activation
 * step sizes against the teacher's output; then switch the unit to hard rounding.
 */
public final class Reconstruction {
    private final Model teacher;
    private final QuantizedModel quantized;
    private final ImageSet calibration;
    private final QuantConfig config;
    private final List<Unit> units;
    private final List<UnitReport> reports = new ArrayList<>();
    private final List<ReconstructionListener> listeners = new CopyOnWriteArrayList<>();
    private ReconstructionDraws draws; // null: permutations and coins drawn from seeded generators
    private Cancellation cancellation = Cancellation.none();
    private CacheBudget cacheBudget = CacheBudget.auto();
    private List<CachePlan> cachePlans; // probed on first use, for the budget then set
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

    /**
     * Holds each unit's cache within {@code budget} (default {@link CacheBudget#auto()}): images beyond it are
     * spilled to disk and read back per minibatch, with the same numbers.
     */
    public Reconstruction withCacheBudget(CacheBudget budget) {
        if (budget == null) {
            throw new IllegalArgumentException("cache budget must be given (CacheBudget.auto() for the default)");
        }
        this.cacheBudget = budget;
        this.cachePlans = null;
        return this;
    }

    public CacheBudget cacheBudget() {
        return cacheBudget;
    }

    /**
     * Every unit's cache as it will be built under the budget: bytes per image, total, what stays in memory. Computed
     * before any unit is, from one calibration image through the teacher.
     */
    public List<CachePlan> cachePlans() {
        if (cachePlans == null) {
            cachePlans = List.copyOf(UnitCache.plan(teacher, units, calibration, config.method(), cacheBudget));
        }
        return cachePlans;
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
     * Reconstructs the next unit in a {@link UnitTraining} session: on cancellation or failure, wherever it lands, the
     * session rolls the unit back to round to nearest exactly as it was, and the unit stays next.
     */
    public UnitReport step() {
        if (!hasNext()) {
            throw new IllegalStateException("all " + units.size() + " units are reconstructed");
        }
        Unit unit = units.get(next);
        long t0 = System.nanoTime();
        int iters = config.method().reconstructs ? config.iterations() : 0;
        QDrop drop = draws != null ? new QDrop(n -> draws.qdropCoins(unit, n))
                : new QDrop(config.dropProb(), config.seed() * 1_000_033L + unit.index());
        try (UnitTraining training = new UnitTraining(unit, quantized, drop)) {
            UnitCache cache = training.cache(teacher, calibration, cachePlans().get(next), cancellation);
            double[] rtn = training.outputError(cache);
            float[] rec = new float[0];
            float[] rnd = new float[0];
            double msPerIter = 0;
            if (iters > 0) {
                long o0 = System.nanoTime();
                float[][] curves = new UnitOptimisation(config, draws, listeners, cancellation)
                        .run(training, cache, iters);
                rec = curves[0];
                rnd = curves[1];
                msPerIter = (System.nanoTime() - o0) / 1e6 / iters;
            }
            training.finish();
            double[] after = training.outputError(cache);
            UnitReport r = new UnitReport(unit.index(), unit.name(), unit.layers().stream().map(QuantLayer::layerName)
                    .toList(), iters, rec, rnd, rec.length > 0 ? rec[rec.length - 1] : after[0],
                    rnd.length > 0 ? rnd[rnd.length - 1] : 0, rtn[0], after[0], rtn[1], after[1],
                    (System.nanoTime() - t0) / 1e9, msPerIter);
            training.commit();
            reports.add(r);
            next++;
            listeners.forEach(l -> l.onUnitDone(r));
            return r;
        }
    }
}
