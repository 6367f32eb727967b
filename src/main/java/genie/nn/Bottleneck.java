package genie.nn;

import ai.djl.ndarray.NDManager;

/** torchvision's {@code Bottleneck} (ResNet v1.5: the stride sits on the 3x3 convolution). */
public class Bottleneck extends ResidualBlock {
    public static final int EXPANSION = 4;

    public Bottleneck(NDManager m, int inplanes, int planes, int stride, int groups, int baseWidth) {
        int width = (int) (planes * (baseWidth / 64.0)) * groups;
        register("conv1", new Conv2d(m, inplanes, width, 1, 1, 0, 1, 1, false));
        register("bn1", new BatchNorm2d(m, width));
        register("conv2", new Conv2d(m, width, width, 3, stride, 1, 1, groups, false));
        register("bn2", new BatchNorm2d(m, width));
        register("conv3", new Conv2d(m, width, planes * EXPANSION, 1, 1, 0, 1, 1, false));
        register("bn3", new BatchNorm2d(m, planes * EXPANSION));
        register("relu", new Activations.ReLU());
        registerSkip(m, inplanes, planes * EXPANSION, stride);
    }

    @Override
    protected <T> T main(Flow<T> f, T x) {
        Module relu = child("relu");
        T out = f.call(relu, f.call(child("bn1"), f.call(child("conv1"), x)));
        out = f.call(relu, f.call(child("bn2"), f.call(child("conv2"), out)));
        return f.call(child("bn3"), f.call(child("conv3"), out));
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
