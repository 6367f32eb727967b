package genie.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** {@code torch.nn.Linear}: weight [out, in], optional bias. */
public class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    public final boolean hasBias;

    public Linear(NDManager manager, int in, int out, boolean bias) {
        this.inFeatures = in;
        this.outFeatures = out;
        this.hasBias = bias;
        float bound = (float) (1.0 / Math.sqrt(in));
        registerParameter("weight", manager.randomUniform(-bound, bound, new Shape(out, in)));
        if (bias) {
            registerParameter("bias", manager.randomUniform(-bound, bound, new Shape(out)));
        }
    }

    public NDArray weight() {
        return parameter("weight");
    }

    public NDArray bias() {
        return hasBias ? parameter("bias") : null;
    }

    @Override
    protected NDArray forwardImpl(NDArray x) {
        return apply(x, weight());
    }

    /** This layer applied with a given weight (fake-quantized weights reuse it). */
    public NDArray apply(NDArray x, NDArray weight) {
        if (x.getShape().dimension() != 2 || x.getShape().get(1) != inFeatures) {
            throw new IllegalArgumentException("Linear(" + extraRepr() + ") expects input [N, " + inFeatures
                    + "], got " + x.getShape());
        }
        return ai.djl.nn.core.Linear.linear(x, weight, bias()).head();
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (hasBias ? "True" : "False");
    }
}
