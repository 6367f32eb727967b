package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import genie.util.Scopes;

/**
 * A quantizer's step size s: a constant, or while its unit is reconstructed a leaf that collects gradients (LSQ for
 * activations, Genie-M's joint step for weights). The optimiser updates the leaf in place, so every reader holds
 * this object, never the tensor, across a {@link #freeze()}.
 */
final class StepSize {
    private final NDManager owner;
    private NDArray value;

    StepSize(NDArray value, NDManager owner) {
        this.value = value;
        this.owner = owner;
    }

    NDArray value() {
        return value;
    }

    void learn() {
        value.setRequiresGradient(true);
    }

    /** A detached copy replaces the leaf: inference then carries no autograd history, and writes need none. */
    void freeze() {
        NDArray c = Scopes.keep(value.stopGradient().duplicate());
        c.attach(owner);
        value = c;
    }
}
