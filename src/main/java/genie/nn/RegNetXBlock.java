package genie.nn;

import ai.djl.ndarray.NDManager;

/**
 * torchvision's RegNet {@code ResBottleneckBlock} without squeeze-excitation (the X block): {@code f} = 1x1 conv,
 * grouped 3x3 conv (stride here), 1x1 conv, each with BN ({@code f.a}, {@code f.b}, {@code f.c}); the skip is a 1x1
 * projection {@code proj} when width or stride changes, else the identity; ReLU after the sum. Genie-M
 * reconstructs it as one unit like every residual block.
 */
public class RegNetXBlock extends ResidualBlock {
    public RegNetXBlock(NDManager m, int widthIn, int widthOut, int stride, int groupWidth, double bottleneckMultiplier) {
        int wb = (int) Math.round(widthOut * bottleneckMultiplier);
        int groups = wb / groupWidth;
        if (widthIn != widthOut || stride != 1) {
            register("proj", RegNet.convBn(m, widthIn, widthOut, 1, stride, 1, false));
        } else {
            register("identity", new Pooling.Identity());
        }
        RegNet.Stage f = new RegNet.Stage();
        f.add("a", RegNet.convBn(m, widthIn, wb, 1, 1, 1, true));
        f.add("b", RegNet.convBn(m, wb, wb, 3, stride, groups, true));
        f.add("c", RegNet.convBn(m, wb, widthOut, 1, 1, 1, false));
        register("f", f);
        register("activation", new Activations.ReLU());
    }

    @Override
    protected Module skip() {
        return hasChild("proj") ? child("proj") : child("identity");
    }

    @Override
    protected <T> T main(Flow<T> f, T x) {
        return f.call(child("f"), x);
    }

    @Override
    public boolean hasSkip() {
        return true;
    }

    @Override
    protected <T> T post(Flow<T> f, T sum) {
        return f.call(child("activation"), sum);
    }
}
