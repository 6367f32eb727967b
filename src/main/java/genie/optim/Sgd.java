package genie.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import genie.util.Scopes;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** {@code torch.optim.SGD} with momentum and weight decay (PyTorch's update: buf = m*buf + g + wd*p; p -= lr*buf). */
public final class Sgd implements AutoCloseable {
    private final List<NDArray> params;
    private final double momentum;
    private final double weightDecay;
    private final Map<NDArray, NDArray> buffers = new IdentityHashMap<>();
    private final NDManager stateManager;
    private double lr;

    public Sgd(NDManager owner, List<NDArray> params, double lr, double momentum, double weightDecay) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.stateManager = owner.newSubManager();
    }

    public void setLr(double lr) {
        this.lr = lr;
    }

    public void step() {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (NDArray p : params) {
                try (NDManager tmp = stateManager.newSubManager()) {
                    NDArray buf = buffers.get(p);
                    tmp.tempAttachAll(p);
                    NDArray g = p.getGradient();
                    NDArray d = weightDecay != 0 ? g.add(p.stopGradient().mul((float) weightDecay)) : g;
                    if (buf == null) {
                        buf = Scopes.keep(d.duplicate());
                        buf.attach(stateManager);
                        buffers.put(p, buf);
                    } else {
                        tmp.tempAttachAll(buf);
                        buf.muli((float) momentum).addi(d);
                    }
                    p.stopGradient().subi(buf.mul((float) lr));
                    JniUtils.zeroGrad((PtNDArray) p);
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
