package genie.nn;

import ai.djl.ndarray.NDManager;

/**
 * torchvision's MNASNet {@code _InvertedResidual}: 1x1 expansion, depthwise kxk (stride here), 1x1 projection, all
 * in a Sequential named {@code layers}; the input is added back when stride is 1 and channels match. Genie-M
 * reconstructs it as one unit, as it does MobileNetV2's inverted residuals.
 */
public class MnasBlock extends ResidualBlock {
    public final boolean applyResidual;

    public MnasBlock(NDManager m, int in, int out, int kernel, int stride, int expansion) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("MNASNet block stride must be 1 or 2, got " + stride);
        }
        if (kernel != 3 && kernel != 5) {
            throw new IllegalArgumentException("MNASNet block kernel must be 3 or 5, got " + kernel);
        }
        int mid = in * expansion;
        applyResidual = in == out && stride == 1;
        register("layers", new Sequential(new Conv2d(m, in, mid, 1, 1, 0, 1, 1, false), MnasNet.bn(m, mid),
                new Activations.ReLU(), new Conv2d(m, mid, mid, kernel, stride, kernel / 2, 1, mid, false),
                MnasNet.bn(m, mid), new Activations.ReLU(), new Conv2d(m, mid, out, 1, 1, 0, 1, 1, false),
                MnasNet.bn(m, out)));
        if (applyResidual) {
            register("identity", new Pooling.Identity());
        }
    }

    @Override
    protected <T> T main(Flow<T> f, T x) {
        return f.call(child("layers"), x);
    }

    @Override
    public boolean hasSkip() {
        return applyResidual;
    }
}
