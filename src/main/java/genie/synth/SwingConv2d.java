package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import genie.nn.Conv2d;
import genie.nn.Module;

import java.util.Random;
import java.util.function.IntSupplier;

/**
 * Genie-D's swing convolution: reflect-pads the input by one pixel on each side, crops it back to the original
 * H x W at an offset (dx, dy) in {0,1,2}^2 drawn on every forward call, then runs the wrapped strided
 * convolution. The net effect is a random translation by up to one pixel with reflected borders; the centre
 * offset (1, 1) is the plain convolution.
 *
 * <p>Used only while synthesizing: {@link Synthesizer} installs it on every convolution with stride != 1 and
 * restores the original modules afterwards. The offsets come from a {@link Random} owned by the synthesizer,
 * so a seeded run draws the same offsets.
 */
public final class SwingConv2d extends Module {
    private final Conv2d conv;
    private final IntSupplier offsets; // each call: the next offset in {0, 1, 2}
    private int lastDx = 1;
    private int lastDy = 1;

    public SwingConv2d(Conv2d conv, Random random) {
        this(conv, () -> random.nextInt(3));
    }

    /** Offsets from any source (a replay of recorded draws): x then y, one pair per forward call. */
    public SwingConv2d(Conv2d conv, IntSupplier offsets) {
        this.conv = conv;
        this.offsets = offsets;
        register("conv", conv);
    }

    /** The wrapped convolution. */
    public Conv2d conv() {
        return conv;
    }

    @Override
    protected NDArray forwardImpl(NDArray x) {
        // Same draw order as the reference: x offset first, then y.
        int dx = offsets.getAsInt();
        int dy = offsets.getAsInt();
        return forwardAt(x, dx, dy);
    }

    /** The convolution of the input shifted by the offset (dx, dy) in {0,1,2}^2; (1, 1) leaves it unchanged. */
    public NDArray forwardAt(NDArray x, int dx, int dy) {
        if (dx < 0 || dx > 2 || dy < 0 || dy > 2) {
            throw new IllegalArgumentException("swing offset must be in {0,1,2}, got (" + dx + ", " + dy + ")");
        }
        lastDx = dx;
        lastDy = dy;
        return conv.forward(shift(x, dx, dy));
    }

    /** The last offset used, {dx, dy}. */
    public int[] lastOffset() {
        return new int[] {lastDx, lastDy};
    }

    /** Reflect-pad by 1 and crop back at (dx, dy): one axis at a time, only the side that is needed. */
    static NDArray shift(NDArray x, int dx, int dy) {
        NDArray y = shiftAxis(x, 3, dx);
        return shiftAxis(y, 2, dy);
    }

    private static NDArray shiftAxis(NDArray x, int axis, int offset) {
        long n = x.getShape().get(axis);
        if (offset == 1) {
            return x;
        }
        if (n < 2) {
            throw new IllegalArgumentException("swing convolution needs spatial size >= 2 to reflect-pad, got "
                    + x.getShape());
        }
        String all = axis == 3 ? ":, :, :, " : ":, :, ";
        if (offset == 0) {
            // padded[0 : n] = [x[1], x[0], ..., x[n-2]]
            NDArray first = x.get(new NDIndex(all + "1:2"));
            NDArray body = x.get(new NDIndex(all + "0:{}", n - 1));
            return NDArrays.concat(new NDList(first, body), axis);
        }
        // offset 2: padded[2 : n + 2] = [x[1], ..., x[n-1], x[n-2]]
        NDArray body = x.get(new NDIndex(all + "1:{}", n));
        NDArray last = x.get(new NDIndex(all + "{}:{}", n - 2, n - 1));
        return NDArrays.concat(new NDList(body, last), axis);
    }

    @Override
    public String extraRepr() {
        return "jitter=1, " + conv.extraRepr();
    }
}
