package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import genie.util.Scopes;

/**
 * The activation fake-quantizer, one step size per tensor: LSQ (no gradient scaling) with a straight-through round.
 * It composes the step-size search (the observer, run on the first batch it sees, which also decides signedness), a
 * {@link StepSize}, and {@link QDrop} while its unit is reconstructed (each element keeps its full-precision value with
 * probability {@code 1 - p}). Whether s learns and whether QDrop is on is the method's choice, made by
 * {@link UnitTraining}.
 */
public final class ActivationQuantizer {
    private final int bits;
    private final NDManager owner;
    private StepSize scale; // shape [1]; null until initialised
    private boolean signed;
    private boolean initialized;
    private QDrop qdrop; // null: plain quantization
    private String owningLayer;

    public ActivationQuantizer(int bits, NDManager owner) {
        QuantConfig.checkBits("activation", bits, true);
        this.bits = bits;
        this.owner = owner;
    }

    public int bits() {
        return bits;
    }

    public boolean isInitialized() {
        return initialized;
    }

    public boolean signed() {
        return signed;
    }

    public NDArray scale() {
        return scale == null ? null : scale.value();
    }

    public float step() {
        return scale.value().getFloat(0);
    }

    /** Name of the layer that owns this quantizer (the first one that sees its tensor). */
    public String owner() {
        return owningLayer;
    }

    void setOwner(String layer) {
        this.owningLayer = layer;
    }

    public int qn() {
        return signed ? -(1 << (bits - 1)) : 0;
    }

    public int qp() {
        return signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
    }

    /** QDrop while reconstructing (null switches it off). */
    void setQDrop(QDrop q) {
        this.qdrop = q;
    }

    void startTraining(boolean learnScale) {
        if (learnScale) {
            scale.learn();
        }
    }

    void finishTraining() {
        qdrop = null;
        if (scale == null) {
            return; // cancelled before the first batch reached it
        }
        scale.freeze();
    }

    /** Back to uncalibrated (a cancelled step that had initialised it), so the next step starts afresh. */
    void forget() {
        scale = null;
        initialized = false;
    }

    /** Sets signedness and step from data (the reference does this on the first 32-image slice). */
    public void initialize(NDArray x) {
        signed = x.min().getFloat() < 0f;
        StepSizeSearch.Result r = StepSizeSearch.search(x.reshape(1, -1), bits, true, signed);
        scale = new StepSize(Scopes.keep(owner.create(new float[] {r.delta()[0]})), owner);
        initialized = true;
    }

    /** Restores a saved state (export reload, rollback). */
    void restore(float step, boolean signedRange) {
        this.signed = signedRange;
        this.scale = new StepSize(Scopes.keep(owner.create(new float[] {step})), owner);
        this.initialized = true;
    }

    public NDArray forward(NDArray x) {
        if (!initialized) {
            initialize(x);
        }
        NDArray s = scale.value();
        NDArray v = x.div(s).clip(qn(), qp());
        NDArray rounded = v.add(v.round().sub(v).stopGradient()); // straight-through round
        NDArray xq = rounded.mul(s);
        return qdrop == null ? xq : qdrop.mix(xq, x);
    }

    @Override
    public String toString() {
        return "ActivationQuantizer(bits=" + bits + (initialized ? ", signed=" + signed + ", step=" + step() : "")
                + ")";
    }
}
