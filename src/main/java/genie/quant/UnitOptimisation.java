package genie.quant;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import genie.util.Cancellation;
import genie.util.Engines;
import genie.util.Tensors;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Genie-M's optimisation of one unit: minibatches drawn by epoch permutations of the cache; loss = reconstruction
 * error of the unit's output against the teacher's (summed over channels) plus, after the warm-up, AdaRound's
 * rounding loss with beta annealed from 20 to 2; the learning rates as {@link QuantConfig#reconSchedule()} sets them
 * (the reference's: the step sizes' cosine-annealed to 0).
 */
final class UnitOptimisation {
    private final QuantConfig config;
    private final ReconstructionDraws draws; // null: permutations drawn from a seeded generator
    private final List<ReconstructionListener> listeners;
    private final Cancellation cancellation;

    UnitOptimisation(QuantConfig config, ReconstructionDraws draws, List<ReconstructionListener> listeners,
            Cancellation cancellation) {
        this.config = config;
        this.draws = draws;
        this.listeners = listeners;
        this.cancellation = cancellation;
    }

    /** Runs {@code iters} steps inside the session; returns the reconstruction and rounding loss per step. */
    float[][] run(UnitTraining session, UnitCache cache, int iters) {
        Unit unit = session.unit();
        UnitTraining.Optimisers opt = session.learn(config);
        float[] rec = new float[iters];
        float[] rnd = new float[iters];
        int n = cache.size();
        int batch = Math.min(config.batch(), n);
        Random perm = new Random(config.seed() * 1_000_003L + unit.index());
        Engines.seed(config.seed() * 7919L + unit.index());
        int[] order = permutation(unit, n, perm);
        int cursor = 0;
        int warm = (int) Math.ceil(config.warmup() * iters);
        boolean rounds = !unit.weightQuantizers().isEmpty();
        Engine engine = Engines.engine();
        for (int it = 1; it <= iters; it++) {
            cancellation.check();
            if (cursor + batch > n) { // a new epoch: a fresh permutation, every step a true minibatch
                order = permutation(unit, n, perm);
                cursor = 0;
            }
            int[] idx = Arrays.copyOfRange(order, cursor, cursor + batch);
            cursor += batch;
            try (NDScope scope = new NDScope()) {
                UnitCache.Rows rows = cache.rows(idx);
                NDArray y = rows.y();
                NDArray input = session.input(rows.xq(), rows.x());
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray out = unit.module().forward(input);
                    NDArray recLoss = out.sub(y).square().sum(new int[] {1}).mean();
                    NDArray total = recLoss;
                    float roundValue = 0f;
                    if (it >= warm && rounds) {
                        NDArray reg = roundingLoss(unit, (float) beta(it, iters));
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
                opt.steps().step();
                opt.softbits().step();
            }
            config.reconSchedule().afterStep(opt, config, it, iters);
            for (ReconstructionListener l : listeners) {
                l.onIteration(unit, it, iters, rec[it - 1], rnd[it - 1]);
            }
        }
        return new float[][] {rec, rnd};
    }

    private static NDArray roundingLoss(Unit unit, float beta) {
        NDArray reg = null;
        for (WeightQuantizer w : unit.weightQuantizers()) {
            NDArray r = w.roundingLoss(beta);
            reg = reg == null ? r : reg.add(r);
        }
        return reg;
    }

    /** The reference's LinearTempDecay: 20 until warm-up ends, then linearly to 2 at the last iteration. */
    private double beta(int it, int iters) {
        double start = config.warmup() * iters;
        if (it < start) {
            return config.betaStart();
        }
        double rel = (it - start) / (iters - start);
        return config.betaEnd() + (config.betaStart() - config.betaEnd()) * Math.max(0.0, 1 - rel);
    }

    private int[] permutation(Unit unit, int n, Random r) {
        if (draws != null) {
            return draws.permutation(unit, n);
        }
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
