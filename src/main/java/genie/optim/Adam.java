package genie.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import genie.util.Scopes;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adam} with exact PyTorch semantics: per-parameter step counts, bias correction as
 * PyTorch applies it ({@code lr / (1 - b1^t)} on {@code m / (sqrt(v) / sqrt(1 - b2^t) + eps)}), parameter
 * groups with their own learning rates, and moment buffers owned by this optimizer (close it to free them).
 *
 * <p>DJL's own Adam shares one step count across all parameters of an instance and keeps its moments in a
 * manager that is never closed ({@code shared/notes/djl.md}); Genie needs neither.
 */
public final class Adam implements AutoCloseable {
    /** A named group of parameters sharing a learning rate (PyTorch's param_groups). */
    public static final class Group {
        final String name;
        final List<NDArray> params;
        double lr;

        Group(String name, List<NDArray> params, double lr) {
            this.name = name;
            this.params = params;
            this.lr = lr;
        }

        public String name() {
            return name;
        }

        public double lr() {
            return lr;
        }

        public void setLr(double lr) {
            this.lr = lr;
        }

        public List<NDArray> params() {
            return params;
        }
    }

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final List<Group> groups = new ArrayList<>();
    private final Map<NDArray, State> state = new IdentityHashMap<>();
    private final NDManager stateManager;

    private static final class State {
        NDArray m;
        NDArray v;
        int step;
    }

    public Adam(NDManager owner) {
        this(owner, 0.9, 0.999, 1e-8);
    }

    public Adam(NDManager owner, double beta1, double beta2, double eps) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.stateManager = owner.newSubManager();
    }

    /** Adds a group; parameters must already require gradients. */
    public Group addGroup(String name, List<NDArray> params, double lr) {
        Group g = new Group(name, List.copyOf(params), lr);
        groups.add(g);
        return g;
    }

    public List<Group> groups() {
        return groups;
    }

    public Group group(String name) {
        return groups.stream().filter(g -> g.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter group '" + name + "'"));
    }

    /** One update of every parameter from its accumulated gradient, then zeroes the gradients. */
    public void step() {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (Group g : groups) {
                for (NDArray p : g.params) {
                    update(p, g.lr);
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private void update(NDArray p, double lr) {
        State s = state.computeIfAbsent(p, k -> {
            State st = new State();
            st.m = Scopes.keep(stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
            st.v = Scopes.keep(stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
            return st;
        });
        s.step++;
        try (NDManager tmp = stateManager.newSubManager()) {
            tmp.tempAttachAll(p, s.m, s.v);
            NDArray grad = p.getGradient();
            s.m.muli((float) beta1).addi(grad.mul((float) (1 - beta1)));
            s.v.muli((float) beta2).addi(grad.square().muli((float) (1 - beta2)));
            double bc1 = 1 - Math.pow(beta1, s.step);
            double bc2 = 1 - Math.pow(beta2, s.step);
            NDArray denom = s.v.sqrt().divi((float) Math.sqrt(bc2)).addi((float) eps);
            NDArray upd = s.m.div(denom).muli((float) (lr / bc1));
            p.stopGradient().subi(upd);
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    /** Zeroes the gradients without updating (PyTorch's zero_grad). */
    public void zeroGrad() {
        for (Group g : groups) {
            for (NDArray p : g.params) {
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
    }

    /** The step count of one parameter (0 before its first update). */
    public int stepCount(NDArray p) {
        State s = state.get(p);
        return s == null ? 0 : s.step;
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
