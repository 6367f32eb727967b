package genie.nn;

import ai.djl.ndarray.NDArray;

/** {@code torch.nn.Sequential}: children named 0, 1, 2, ... run in order. */
public class Sequential extends Module {
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public final Sequential add(Module m) {
        register(Integer.toString(children().size()), m);
        return this;
    }

    @Override
    protected NDArray forwardImpl(NDArray x) {
        NDArray y = x;
        for (Module m : children().values()) {
            y = m.forward(y);
        }
        return y;
    }
}
