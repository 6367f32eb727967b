package genie.nn;

import ai.djl.ndarray.NDManager;

/**
 * torchvision's MobileNetV2 {@code InvertedResidual}: optional 1x1 expansion, depthwise 3x3, 1x1 projection,
 * all in a Sequential named {@code conv}; the input is added back when stride is 1 and channels match.
 */
public class InvertedResidual extends ResidualBlock {
    public final boolean useResConnect;

    public InvertedResidual(NDManager m, int inp, int oup, int stride, int expandRatio) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("InvertedResidual stride must be 1 or 2, got " + stride);
        }
        int hidden = (int) Math.round(inp * (double) expandRatio);
        useResConnect = stride == 1 && inp == oup;
        Sequential conv = new Sequential();
        if (expandRatio != 1) {
            conv.add(MobileNetV2.convBnAct(m, inp, hidden, 1, 1, 1));
        }
        conv.add(MobileNetV2.convBnAct(m, hidden, hidden, 3, stride, hidden));
        conv.add(new Conv2d(m, hidden, oup, 1, 1, 0, 1, 1, false));
        conv.add(new BatchNorm2d(m, oup));
        register("conv", conv);
        if (useResConnect) {
            register("identity", new Pooling.Identity());
        }
    }

    @Override
    protected <T> T main(Flow<T> f, T x) {
        return f.call(child("conv"), x);
    }

    @Override
    public boolean hasSkip() {
        return useResConnect;
    }
}
