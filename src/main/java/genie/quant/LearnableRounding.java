package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import genie.util.Scopes;
import genie.util.Tensors;

/**
 * AdaRound's learnable rounding of {@code W / s0}: a fixed integer part {@code B = floor(W / s0)} plus a softbit
 * {@code h(V)} in [0, 1], the rectified sigmoid of a learnable logit V; hard rounding adds {@code [V >= 0]}. V starts
 * where {@code h(V)} is the fractional part, so training starts from the float weight. What scales the result onto
 * the weight's grid (step size, zero point, clamp) belongs to the fake-quantizer, not here.
 */
final class LearnableRounding {
    static final float GAMMA = -0.1f;
    static final float ZETA = 1.1f;

    private final NDArray floor;
    private NDArray logits;

    /** Rounding of {@code ratio} (W / s0); B and V move to {@code owner}, the temporaries stay with the ratio. */
    LearnableRounding(NDArray ratio, NDManager owner) {
        NDArray fl = ratio.floor();
        NDArray frac = ratio.sub(fl);
        // h^-1(frac) = -log((zeta - gamma) / (frac - gamma) - 1): h(V0) reproduces W / s0 exactly.
        NDArray v = frac.sub(GAMMA).pow(-1f).mul(ZETA - GAMMA).sub(1f).log().neg();
        this.floor = fl;
        this.logits = v;
        floor.attach(owner);
        logits.attach(owner);
    }

    NDArray logits() {
        return logits;
    }

    NDManager owner() {
        return floor.getManager();
    }

    /** The rectified sigmoid h(V). */
    NDArray softTarget() {
        return Activation.sigmoid(logits).mul(Tensors.scalar(logits, ZETA - GAMMA)).add(GAMMA).clip(0f, 1f);
    }

    /** B + h(V): the rounded value while training, differentiable in V. */
    NDArray soft() {
        return floor.add(softTarget());
    }

    /** B + [V >= 0]: the rounded value after training. */
    NDArray hard() {
        return floor.add(logits.gte(0f).toType(DataType.FLOAT32, false));
    }

    /** AdaRound's regulariser sum(1 - |2h(V) - 1|^beta), pushing every softbit to 0 or 1. */
    NDArray roundingLoss(float beta) {
        NDArray h = softTarget();
        return h.mul(Tensors.scalar(h, 2)).sub(1f).abs().pow(Tensors.scalar(h, beta)).neg().add(1f).sum();
    }

    void learn() {
        logits.setRequiresGradient(true);
    }

    /** A detached copy replaces the leaf, as {@link StepSize#freeze()}. */
    void freeze() {
        NDArray c = Scopes.keep(logits.stopGradient().duplicate());
        c.attach(owner());
        logits = c;
    }

    /** Hard rounding to exactly {@code integers}: B takes them and every softbit is off (V < 0). */
    void load(NDArray integers) {
        floor.set(integers.toByteBuffer());
        try (NDManager tmp = owner().newSubManager()) {
            logits.set(tmp.full(logits.getShape(), -1f).toByteBuffer());
        }
    }
}
