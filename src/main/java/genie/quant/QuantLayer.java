package genie.quant;

import ai.djl.ndarray.NDArray;
import genie.nn.Conv2d;
import genie.nn.Linear;
import genie.nn.Module;
import genie.nn.Pooling;

/**
 * A Conv2d, Linear or residual Identity with fake quantization: its input activation through an
 * {@link ActivationQuantizer} (possibly shared with other consumers of the same tensor) and its weight
 * through a {@link WeightQuantizer}. The wrapped module keeps its float weights; biases stay float.
 */
public final class QuantLayer extends Module {
    private final String layerName;
    private final Module original;
    private final WeightQuantizer weightQuantizer; // null for Identity
    private ActivationQuantizer inputQuantizer;    // null when the input stays float (first layer)
    private boolean actQuantEnabled;

    QuantLayer(String layerName, Module original, WeightQuantizer wq, ActivationQuantizer aq) {
        this.layerName = layerName;
        this.original = original;
        this.weightQuantizer = wq;
        this.inputQuantizer = aq;
        // Registered so the float tensors (bias) stay in the state dict, under "<layer>.original.*".
        register("original", original);
    }

    public String layerName() {
        return layerName;
    }

    public Module original() {
        return original;
    }

    public WeightQuantizer weightQuantizer() {
        return weightQuantizer;
    }

    public ActivationQuantizer inputQuantizer() {
        return inputQuantizer;
    }

    void shareInputQuantizer(ActivationQuantizer q) {
        this.inputQuantizer = q;
    }

    public boolean actQuantEnabled() {
        return actQuantEnabled;
    }

    void enableActQuant(boolean on) {
        this.actQuantEnabled = on;
    }

    /** The original layer's float weight (Conv2d/Linear), or null for Identity. */
    public NDArray floatWeight() {
        return original instanceof Conv2d || original instanceof Linear ? original.parameter("weight") : null;
    }

    @Override
    public String typeName() {
        return "Quant" + original.typeName();
    }

    @Override
    public String extraRepr() {
        return original.extraRepr() + (weightQuantizer != null ? ", w" + weightQuantizer.bits() : "")
                + (inputQuantizer != null ? ", a" + inputQuantizer.bits() : ", a-");
    }

    @Override
    protected NDArray forwardImpl(NDArray x) {
        NDArray in = inputQuantizer != null && actQuantEnabled ? inputQuantizer.forward(x) : x;
        if (original instanceof Conv2d c) {
            return c.convolve(in, weightQuantizer.forward());
        }
        if (original instanceof Linear l) {
            return l.apply(in.getShape().dimension() == 2 ? in : in.reshape(in.getShape().get(0), -1),
                    weightQuantizer.forward());
        }
        if (original instanceof Pooling.Identity) {
            return in;
        }
        throw new IllegalStateException("cannot quantize " + original.typeName());
    }
}
