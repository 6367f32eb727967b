package genie.nn;

/** {@code torch.nn.Sequential}: children named 0, 1, 2, ... run in order. */
public class Sequential extends Composite {
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
    public <T> T flow(Flow<T> f, T x) {
        T y = x;
        for (Module m : children().values()) {
            y = f.call(m, y);
        }
        return y;
    }
}
