package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import genie.util.Scopes;

/**
 * The weight fake-quantizer of Genie-M, per output channel and asymmetric:
 * {@code W_q = s * (clamp(R + zp, 0, 2^b - 1) - zp)}. It composes the step-size search (the observer, run once on the
 * weight), a {@link StepSize} s and a fixed zero point zp, and a {@link LearnableRounding} R of {@code W / s0}: soft
 * ({@code B + h(V)}) while its unit is reconstructed, hard ({@code B + [V >= 0]}) otherwise. Which of s and V learn is
 * the method's choice, made by {@link UnitTraining}.
 */
public final class WeightQuantizer {
    public enum Mode { SOFT, HARD }

    private final int bits;
    private final Shape channelShape;
    private final float[] initialScale;
    private final StepSize scale;           // [out, 1, ...]
    private final NDArray zeroPoint;
    private final LearnableRounding rounding;
    private Mode mode = Mode.HARD;
    private NDArray cachedHard; // the HARD weight, recomputed only when invalidated: inference reuses it every batch

    public WeightQuantizer(NDArray weight, int bits, NDManager owner) {
        QuantConfig.checkBits("weight", bits, false);
        this.bits = bits;
        Shape ws = weight.getShape();
        long out = ws.get(0);
        long[] cs = new long[ws.dimension()];
        java.util.Arrays.fill(cs, 1);
        cs[0] = out;
        this.channelShape = new Shape(cs);
        StepSizeSearch.Result r = StepSizeSearch.search(weight.reshape(out, -1), bits, false, true);
        this.initialScale = r.delta();
        this.scale = new StepSize(owner.create(r.delta()).reshape(channelShape), owner);
        this.zeroPoint = owner.create(r.zeroPoint()).reshape(channelShape);
        try (NDManager tmp = owner.newSubManager()) {
            NDArray w = weight.duplicate();
            w.attach(tmp);
            this.rounding = new LearnableRounding(w.div(scale.value()), owner);
        }
    }

    /** Replaces the state by exported integer codes: hard rounding then reproduces (code - zp) * scale. */
    void loadCodes(NDArray codes, NDArray scaleValues, NDArray zeroPoints) {
        scale.value().set(scaleValues.toType(DataType.FLOAT32, false).toByteBuffer());
        zeroPoint.set(zeroPoints.toType(DataType.FLOAT32, false).toByteBuffer());
        // B = code - zp with every softbit off: clamp(B + 0 + zp) = code.
        rounding.load(codes.toType(DataType.FLOAT32, false).sub(zeroPoints.toType(DataType.FLOAT32, false)
                .reshape(channelShape)));
        setMode(Mode.HARD);
    }

    public int bits() {
        return bits;
    }

    public NDArray scale() {
        return scale.value();
    }

    public NDArray zeroPoint() {
        return zeroPoint;
    }

    public NDArray softbitLogits() {
        return rounding.logits();
    }

    public float[] initialScale() {
        return initialScale.clone();
    }

    public Mode mode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
        invalidate();
    }

    /** Call after the step size or softbits changed outside the quantizer (restore, load). */
    public void invalidate() {
        if (cachedHard != null) {
            cachedHard.close();
            cachedHard = null;
        }
    }

    /** Makes V, and s when {@code learnScale}, leaves that collect gradients, and rounds softly. */
    void startTraining(boolean learnScale) {
        if (learnScale) {
            scale.learn();
        }
        rounding.learn();
        setMode(Mode.SOFT);
    }

    /** Detaches s and V from autograd and rounds hard. */
    void finishTraining() {
        scale.freeze();
        rounding.freeze();
        setMode(Mode.HARD);
    }

    /** The rectified sigmoid h(V) in [0, 1]. */
    public NDArray softTarget() {
        return rounding.softTarget();
    }

    /** The fake-quantized weight for the current mode. */
    public NDArray forward() {
        if (mode == Mode.HARD) {
            if (cachedHard == null) {
                cachedHard = Scopes.keep(integerWeights().sub(zeroPoint).mul(scale.value().stopGradient()));
                cachedHard.attach(rounding.owner());
            }
            return cachedHard;
        }
        return rounding.soft().add(zeroPoint).clip(0f, levels()).sub(zeroPoint).mul(scale.value());
    }

    /** Integer codes in [0, 2^b - 1] with hard rounding (float-valued tensor in the owner's memory). */
    public NDArray integerWeights() {
        return rounding.hard().add(zeroPoint).clip(0f, levels());
    }

    /** AdaRound's rounding regulariser: sum(1 - |2h(V) - 1|^beta). */
    public NDArray roundingLoss(float beta) {
        return rounding.roundingLoss(beta);
    }

    /**
     * The weights whose softbit flipped: their code is not round to nearest of {@code W / s} on the current grid, in
     * the weight's element order. The package's one definition, so charts and reports count the same weights.
     */
    public boolean[] flippedSoftbits(NDArray weight) {
        try (NDScope scope = new NDScope()) {
            NDArray nearest = weight.div(scale.value()).round().add(zeroPoint).clip(0f, levels());
            return nearest.sub(integerWeights()).abs().gt(0.5f).toBooleanArray();
        }
    }

    public float levels() {
        return (float) (Math.pow(2, bits) - 1);
    }
}
