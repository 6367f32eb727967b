package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import genie.data.ImageSet;
import genie.nn.Model;
import genie.optim.Adam;
import genie.util.Cancellation;

import java.util.ArrayList;
import java.util.List;

/**
 * One unit in training, as a session. Opening it snapshots the unit and puts it in training as the method asks:
 * activation quantization on, soft rounding when the method reconstructs, QDrop when it drops. The session owns the
 * unit's cache and optimisers. Closing it, however the session ended (success, cancellation, an error, a
 * {@code Thread.stop}), frees them and restores the autograd mode; a session not {@link #commit() committed} also
 * puts the unit back exactly as the snapshot found it.
 */
final class UnitTraining implements AutoCloseable {
    /** Adam on the step sizes (cosine-annealed per group) and a separate Adam on the softbits (no schedule). */
    record Optimisers(Adam steps, Adam softbits, Adam.Group weightSteps, Adam.Group activationSteps) {}

    /** The softbits' parameter group (what {@link ReconSchedule#COSINE_ALL} schedules). */
    static final String SOFTBITS = "softbits";

    private final Unit unit;
    private final QuantizedModel model;
    private final Method method;
    private final QDrop drop;
    private final UnitSnapshot before;
    private final boolean gradMode;
    private final NDManager memory; // the cache and the optimiser state
    private UnitCache cache; // its spill files are closed with the session
    private boolean training;
    private Optimisers optimisers;
    private boolean committed;

    UnitTraining(Unit unit, QuantizedModel model, QDrop drop) {
        this.unit = unit;
        this.model = model;
        this.method = model.config().method();
        this.drop = drop;
        this.before = new UnitSnapshot(unit, model);
        this.gradMode = JniUtils.isGradMode();
        this.memory = model.student().manager().newSubManager();
        try {
            unit.layers().forEach(l -> l.enableActQuant(true));
            train();
        } catch (RuntimeException | Error e) {
            close(); // try-with-resources only closes what it was handed
            throw e;
        }
    }

    Unit unit() {
        return unit;
    }

    /** The teacher's and the student's view of the unit on the calibration set, all in memory, freed with the session. */
    UnitCache cache(Model teacher, ImageSet calibration, Cancellation cancellation) {
        return cache(teacher, calibration, UnitCache.plan(teacher, List.of(unit), calibration, method,
                CacheBudget.unlimited()).get(0), cancellation);
    }

    /** The same, memory and spill files as {@code plan} says; both freed with the session. */
    UnitCache cache(Model teacher, ImageSet calibration, CachePlan plan, Cancellation cancellation) {
        if (cache != null) {
            cache.close();
        }
        cache = UnitCache.collect(teacher, model.student(), unit, calibration, plan, memory, cancellation);
        return cache;
    }

    /** The unit's input while optimising: QDrop at the input mixes x_q with x when the method drops. */
    NDArray input(NDArray xq, NDArray x) {
        return method.qdrop ? drop.mix(xq, x) : xq;
    }

    /** Output error in inference mode (hard rounding, no QDrop); the unit then goes back to where it was. */
    double[] outputError(UnitCache cache) {
        boolean wasTraining = training;
        infer();
        double[] e = cache.outputError(unit.module());
        if (wasTraining) {
            train();
        }
        return e;
    }

    /** Makes the method's learnable tensors leaves that collect gradients, and the optimisers over them. */
    Optimisers learn(QuantConfig config) {
        List<NDArray> weightSteps = new ArrayList<>();
        List<NDArray> softbits = new ArrayList<>();
        for (WeightQuantizer w : unit.weightQuantizers()) {
            w.startTraining(method.learnWeightScale);
            if (method.learnWeightScale) {
                weightSteps.add(w.scale());
            }
            softbits.add(w.softbitLogits());
        }
        List<NDArray> activationSteps = new ArrayList<>();
        for (ActivationQuantizer a : unit.activationQuantizers()) {
            a.startTraining(method.learnActivationScale);
            if (method.learnActivationScale) {
                activationSteps.add(a.scale());
            }
        }
        Adam steps = new Adam(memory);
        Adam bits = new Adam(memory);
        optimisers = new Optimisers(steps, bits, steps.addGroup("w-scale", weightSteps, config.lrWeightScale()),
                steps.addGroup("a-scale", activationSteps, config.lrActScale()));
        bits.addGroup(SOFTBITS, softbits, config.lrSoftbits());
        return optimisers;
    }

    /**
     * Hard rounding and plain activation quantization from now on, with what was learned detached from autograd.
     * Consumers of a shared quantizer outside the unit (layer-wise residual identities) switch on with it.
     */
    void finish() {
        leaveTraining();
        List<ActivationQuantizer> aqs = unit.activationQuantizers();
        for (QuantLayer l : model.layers().values()) {
            if (l.inputQuantizer() != null && aqs.contains(l.inputQuantizer())) {
                l.enableActQuant(true);
            }
        }
    }

    /** Keeps what the session learned: closing no longer rolls the unit back. */
    void commit() {
        committed = true;
    }

    @Override
    public void close() {
        try {
            if (!committed) {
                JniUtils.setGradMode(false); // the rollback writes into leaves that may still want gradients
                leaveTraining();
                before.restore();
            }
        } finally {
            try {
                if (optimisers != null) {
                    optimisers.steps().close();
                    optimisers.softbits().close();
                }
            } finally {
                try {
                    if (cache != null) {
                        cache.close();
                    }
                } finally {
                    memory.close();
                    JniUtils.setGradMode(gradMode);
                }
            }
        }
    }

    private void train() {
        for (WeightQuantizer w : unit.weightQuantizers()) {
            w.setMode(method.reconstructs ? WeightQuantizer.Mode.SOFT : WeightQuantizer.Mode.HARD);
        }
        for (ActivationQuantizer a : unit.activationQuantizers()) {
            a.setQDrop(method.qdrop ? drop : null);
        }
        training = true;
    }

    private void infer() {
        unit.weightQuantizers().forEach(w -> w.setMode(WeightQuantizer.Mode.HARD));
        unit.activationQuantizers().forEach(a -> a.setQDrop(null));
        training = false;
    }

    private void leaveTraining() {
        unit.weightQuantizers().forEach(WeightQuantizer::finishTraining);
        unit.activationQuantizers().forEach(ActivationQuantizer::finishTraining);
        training = false;
    }
}
