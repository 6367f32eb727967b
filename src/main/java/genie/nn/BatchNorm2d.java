package genie.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * {@code torch.nn.BatchNorm2d}: running statistics in inference mode, batch statistics (biased variance) and a
 * running-stat update with PyTorch's momentum in training mode.
 */
public class BatchNorm2d extends Module {
    public final int channels;
    public final float eps;
    public final float momentum;
    public final boolean affine;

    public BatchNorm2d(NDManager manager, int channels) {
        this(manager, channels, 1e-5f, 0.1f, true);
    }

    public BatchNorm2d(NDManager manager, int channels, float eps, float momentum, boolean affine) {
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        if (affine) {
            registerParameter("weight", manager.ones(new Shape(channels)));
            registerParameter("bias", manager.zeros(new Shape(channels)));
        }
        registerBuffer("running_mean", manager.zeros(new Shape(channels)));
        registerBuffer("running_var", manager.ones(new Shape(channels)));
        if (affine) {
            // Kept only so a saved state_dict has exactly PyTorch's keys; never read.
            registerBuffer("num_batches_tracked", manager.create(0L));
        }
    }

    public NDArray runningMean() {
        return localBuffers().get("running_mean");
    }

    public NDArray runningVar() {
        return localBuffers().get("running_var");
    }

    public NDArray gamma() {
        return affine ? parameter("weight") : null;
    }

    public NDArray beta() {
        return affine ? parameter("bias") : null;
    }

    @Override
    protected NDArray forwardImpl(NDArray x) {
        if (x.getShape().dimension() != 4 || x.getShape().get(1) != channels) {
            throw new IllegalArgumentException("BatchNorm2d(" + channels + ") expects input [N, " + channels
                    + ", H, W], got " + x.getShape());
        }
        // axis -1 goes straight to torch.batch_norm (channel dim 1); DJL's momentum is 1 - PyTorch's.
        return ai.djl.nn.norm.BatchNorm.batchNorm(x, runningMean(), runningVar(), gamma(), beta(), -1,
                1f - momentum, eps, isTraining()).head();
    }

    @Override
    public String extraRepr() {
        return channels + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (affine ? "True" : "False");
    }

    static boolean isCountBuffer(String key) {
        return key.endsWith("num_batches_tracked");
    }
}
