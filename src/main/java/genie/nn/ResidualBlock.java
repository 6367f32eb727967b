package genie.nn;

import ai.djl.ndarray.NDArray;

/**
 * A block with a skip connection: {@code out = post(main(x) + skip(x))}. BasicBlock, Bottleneck and
 * InvertedResidual share this shape; Genie-M reconstructs each such block as one unit.
 *
 * <p>The skip path is the {@code downsample} child when there is one, else an {@code identity} child
 * ({@link Pooling.Identity}) so that Genie-M can quantize the residual tensor like any other layer input.
 */
public abstract class ResidualBlock extends Module {
    /** torchvision's skip path: 1x1 conv + BN when the shape changes, else an identity (quantizable in Genie-M). */
    protected final void registerSkip(ai.djl.ndarray.NDManager m, int inplanes, int out, int stride) {
        if (stride != 1 || inplanes != out) {
            register("downsample", new Sequential(new Conv2d(m, inplanes, out, 1, stride, 0, 1, 1, false),
                    new BatchNorm2d(m, out)));
        } else {
            register("identity", new Pooling.Identity());
        }
    }

    /** The main branch applied to the block input. */
    protected abstract NDArray main(NDArray x);

    /** Whether this block adds its input back (InvertedResidual only when shapes allow). */
    public abstract boolean hasSkip();

    /** Activation after the addition; identity where the block has none. */
    protected NDArray post(NDArray sum) {
        return sum;
    }

    @Override
    protected final NDArray forwardImpl(NDArray x) {
        NDArray out = main(x);
        if (!hasSkip()) {
            return out;
        }
        NDArray skip = hasChild("downsample") ? child("downsample").forward(x) : child("identity").forward(x);
        return post(out.add(skip));
    }
}
