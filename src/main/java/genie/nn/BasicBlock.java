package genie.nn;

import ai.djl.ndarray.NDManager;

/** torchvision's {@code BasicBlock}: conv3x3-BN-ReLU-conv3x3-BN, plus the skip, then ReLU. */
public class BasicBlock extends ResidualBlock {
    public static final int EXPANSION = 1;

    public BasicBlock(NDManager m, int inplanes, int planes, int stride) {
        register("conv1", new Conv2d(m, inplanes, planes, 3, stride, 1, 1, 1, false));
        register("bn1", new BatchNorm2d(m, planes));
        register("relu", new Activations.ReLU());
        register("conv2", new Conv2d(m, planes, planes, 3, 1, 1, 1, 1, false));
        register("bn2", new BatchNorm2d(m, planes));
        registerSkip(m, inplanes, planes * EXPANSION, stride);
    }

    @Override
    protected <T> T main(Flow<T> f, T x) {
        T out = f.call(child("relu"), f.call(child("bn1"), f.call(child("conv1"), x)));
        return f.call(child("bn2"), f.call(child("conv2"), out));
    }

    @Override
    public boolean hasSkip() {
        return true;
    }

    @Override
    protected <T> T post(Flow<T> f, T sum) {
        return f.call(child("relu"), sum);
    }
}
