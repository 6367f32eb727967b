package genie.nn;

import ai.djl.ndarray.NDArray;

/**
 * A module made of children, whose forward is its {@link Flow} over tensors. Leaf modules (convolutions, norms,
 * activations, pools) compute directly; an exporter handles each leaf type once and follows composites through
 * {@link #flow}.
 */
public abstract class Composite extends Module {
    /** How values move through the children; the same code serves the forward pass and graph export. */
    public abstract <T> T flow(Flow<T> f, T x);

    @Override
    protected final NDArray forwardImpl(NDArray x) {
        return flow(Flow.TENSORS, x);
    }
}
