package genie.nn;

/**
 * A block with a skip connection: {@code out = post(main(x) + skip(x))}. BasicBlock, Bottleneck and
 * InvertedResidual share this shape; Genie-M reconstructs each such block as one unit.
 *
 * <p>The skip path is the {@code downsample} child when there is one, else an {@code identity} child
 * ({@link Pooling.Identity}) so that Genie-M can quantize the residual tensor like any other layer input.
 */
public abstract class ResidualBlock extends Composite {
    /** torchvision's skip path: 1x1 conv + BN when the shape changes, else an identity (quantizable in Genie-M). */
    protected final void registerSkip(ai.djl.ndarray.NDManager m, int inplanes, int out, int stride) {
        if (stride != 1 || inplanes != out) {
            register("downsample", new Sequential(new Conv2d(m, inplanes, out, 1, stride, 0, 1, 1, false),
                    new BatchNorm2d(m, out)));
        } else {
            register("identity", new Pooling.Identity());
        }
    }

    /** The skip path: torchvision's {@code downsample} (or the family's projection) when present, else the identity. */
    protected Module skip() {
        return hasChild("downsample") ? child("downsample") : child("identity");
    }

    /** The main branch applied to the block input. */
    protected abstract <T> T main(Flow<T> f, T x);

    /** Whether this block adds its input back (InvertedResidual only when shapes allow). */
    public abstract boolean hasSkip();

    /** Activation after the addition; identity where the block has none. */
    protected <T> T post(Flow<T> f, T sum) {
        return sum;
    }

    @Override
    public final <T> T flow(Flow<T> f, T x) {
        T out = main(f, x);
        if (!hasSkip()) {
            return out;
        }
        T skip = f.call(skip(), x);
        return post(f, f.add(out, skip));
    }
}
