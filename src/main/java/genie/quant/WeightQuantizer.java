package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import genie.util.Scopes;
import genie.util.Tensors;

/**
 * Per-output-channel asymmetric weight quantizer with a learnable step size and AdaRound softbits
 * (Genie-M): {@code W_q = s * (clamp(B + h(V) + zp, 0, 2^b - 1) - zp)} with {@code B = floor(W / s0)} fixed,
 * {@code h} the rectified sigmoid, {@code s} and {@code V} learnable. Hard rounding ({@code h = [V >= 0]})
 * after reconstruction.
 */
public final class WeightQuantizer {
    static final float GAMMA = -0.1f;
    static final float ZETA = 1.1f;

    public enum Mode { SOFT, HARD }

    private final int bits;
    private final Shape channelShape;
    private NDArray scale;      // [out, 1, ...]
    private final NDArray zeroPoint;
    private final NDArray floor;
    private NDArray logits;     // V, same shape as W
    private final float[] initialScale;
    private Mode mode = Mode.HARD;
    private NDArray cachedHard; // fake-quantized weight in HARD mode, recomputed only when invalidated

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
        this.scale = owner.create(r.delta()).reshape(channelShape);
        this.zeroPoint = owner.create(r.zeroPoint()).reshape(channelShape);
        try (NDManager tmp = owner.newSubManager()) {
            NDArray w = weight.duplicate();
            w.attach(tmp);
            NDArray ratio = w.div(scale);
            NDArray fl = ratio.floor();
            NDArray frac = ratio.sub(fl);
            // h^-1(frac) = -log((zeta - gamma) / (frac - gamma) - 1): h(V0) reproduces W / s0 exactly.
            NDArray v = frac.sub(GAMMA).pow(-1f).mul(ZETA - GAMMA).sub(1f).log().neg();
            this.floor = fl;
            this.logits = v;
            floor.attach(owner);
            logits.attach(owner);
        }
    }

    /** Replaces the state by exported integer codes: hard rounding then reproduces (code - zp) * scale. */
    void loadCodes(NDArray codes, NDArray scaleValues, NDArray zeroPoints) {
        NDManager owner = floor.getManager();
        scale.set(scaleValues.toType(DataType.FLOAT32, false).toByteBuffer());
        zeroPoint.set(zeroPoints.toType(DataType.FLOAT32, false).toByteBuffer());
        // floor = code - zp and every softbit off (V < 0): clamp(floor + 0 + zp) = code.
        floor.set(codes.toType(DataType.FLOAT32, false).sub(zeroPoints.toType(DataType.FLOAT32, false)
                .reshape(channelShape)).toByteBuffer());
        logits.set(owner.full(logits.getShape(), -1f).toByteBuffer());
        setMode(Mode.HARD);
    }

    public int bits() {
        return bits;
    }

    public NDArray scale() {
        return scale;
    }

    public NDArray zeroPoint() {
        return zeroPoint;
    }

    public NDArray softbitLogits() {
        return logits;
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

    /** Makes s and V leaves that collect gradients (s only when {@code learnScale}). */
    void startTraining(boolean learnScale) {
        if (learnScale) {
            scale.setRequiresGradient(true);
        }
        logits.setRequiresGradient(true);
        setMode(Mode.SOFT);
    }

    /** Detaches s and V from autograd and switches to hard rounding. */
    void finishTraining() {
        NDManager owner = floor.getManager();
        scale = detachedCopy(scale, owner);
        logits = detachedCopy(logits, owner);
        setMode(Mode.HARD);
    }

    private static NDArray detachedCopy(NDArray a, NDManager owner) {
        NDArray c = Scopes.keep(a.stopGradient().duplicate());
        c.attach(owner);
        return c;
    }

    /** The rectified sigmoid h(V) in [0, 1]. */
    public NDArray softTarget() {
        return Activation.sigmoid(logits).mul(Tensors.scalar(logits, ZETA - GAMMA)).add(GAMMA).clip(0f, 1f);
    }

    /** The fake-quantized weight for the current mode. */
    public NDArray forward() {
        if (mode == Mode.HARD) {
            if (cachedHard == null) {
                cachedHard = Scopes.keep(dequantize(integerWeights().toType(DataType.FLOAT32, false)));
                cachedHard.attach(floor.getManager());
            }
            return cachedHard;
        }
        NDArray q = floor.add(softTarget()).add(zeroPoint).clip(0f, levels());
        return q.sub(zeroPoint).mul(scale);
    }

    /** Integer codes in [0, 2^b - 1] with hard rounding (float-valued tensor in the owner's memory). */
    public NDArray integerWeights() {
        NDArray up = logits.gte(0f).toType(DataType.FLOAT32, false);
        return floor.add(up).add(zeroPoint).clip(0f, levels());
    }

    private NDArray dequantize(NDArray codes) {
        return codes.sub(zeroPoint).mul(scale.stopGradient());
    }

    /** AdaRound's rounding regulariser: sum(1 - |2h(V) - 1|^beta). */
    public NDArray roundingLoss(float beta) {
        NDArray h = softTarget();
        return h.mul(Tensors.scalar(h, 2)).sub(1f).abs().pow(Tensors.scalar(h, beta)).neg().add(1f).sum();
    }

    public float levels() {
        return (float) (Math.pow(2, bits) - 1);
    }

    /** Fraction of weights whose rounding differs from round-to-nearest of W / s0 (softbits that flipped). */
    public double flippedFraction(NDArray weight) {
        try (NDManager tmp = floor.getManager().newSubManager()) {
            tmp.tempAttachAll(floor, logits, scale, zeroPoint);
            NDArray w = weight.duplicate();
            w.attach(tmp);
            NDArray nearestUp = w.div(tmp.create(initialScale).reshape(channelShape)).sub(floor).gte(0.5f);
            NDArray up = logits.gte(0f);
            return nearestUp.neq(up).toType(DataType.FLOAT32, false).mean().getFloat();
        }
    }
}
