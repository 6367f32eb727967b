package genie.nn;

import ai.djl.ndarray.NDManager;

/**
 * torchvision's {@code MNASNet} (B1): a conv stem and a depthwise-separable layer, six stacks of
 * {@link MnasBlock}s, a 1x1 conv to 1280, global average and a dropout + linear classifier, with torchvision's
 * state-dict names ({@code layers.0} ... {@code layers.16}, {@code classifier.1}). {@code alpha} scales every
 * width as torchvision's {@code _get_depths} does (1.0: mnasnet1_0; 2.0: the paper's MnasNet-2.0).
 */
public class MnasNet extends Composite {
    /** torchvision's BatchNorm momentum for MNASNet (1 - 0.9997, TensorFlow's decay). */
    static final float BN_MOMENTUM = 1f - 0.9997f;
    private static final int[] DEPTHS = {32, 16, 24, 40, 80, 96, 192, 320};
    /** Stacks: kernel, stride, expansion, repeats (torchvision's {@code _stack} calls). */
    private static final int[][] STACKS = {{3, 2, 3, 3}, {5, 2, 3, 3}, {5, 2, 6, 3}, {3, 1, 6, 2}, {5, 2, 6, 4},
        {3, 1, 6, 1}};

    public final double alpha;

    public MnasNet(NDManager m, double alpha, int inChannels, int numClasses, double dropout) {
        this.alpha = alpha;
        int[] d = new int[DEPTHS.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = roundToMultipleOf(DEPTHS[i] * alpha, 8);
        }
        Sequential layers = new Sequential(new Conv2d(m, inChannels, d[0], 3, 2, 1, 1, 1, false), bn(m, d[0]),
                new Activations.ReLU(), new Conv2d(m, d[0], d[0], 3, 1, 1, 1, d[0], false), bn(m, d[0]),
                new Activations.ReLU(), new Conv2d(m, d[0], d[1], 1, 1, 0, 1, 1, false), bn(m, d[1]));
        for (int s = 0; s < STACKS.length; s++) {
            int[] st = STACKS[s];
            Sequential stack = new Sequential(new MnasBlock(m, d[s + 1], d[s + 2], st[0], st[1], st[2]));
            for (int r = 1; r < st[3]; r++) {
                stack.add(new MnasBlock(m, d[s + 2], d[s + 2], st[0], 1, st[2]));
            }
            layers.add(stack);
        }
        layers.add(new Conv2d(m, d[7], 1280, 1, 1, 0, 1, 1, false)).add(bn(m, 1280)).add(new Activations.ReLU());
        register("layers", layers);
        register("classifier", new Sequential(new Pooling.Dropout((float) dropout), new Linear(m, 1280, numClasses,
                true)));
    }

    static BatchNorm2d bn(NDManager m, int channels) {
        return new BatchNorm2d(m, channels, 1e-5f, BN_MOMENTUM, true);
    }

    /** torchvision's {@code _round_to_multiple_of} (round-up bias 0.9). */
    static int roundToMultipleOf(double v, int divisor) {
        int n = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return n >= 0.9 * v ? n : n + divisor;
    }

    @Override
    public <T> T flow(Flow<T> f, T x) {
        return f.call(child("classifier"), f.globalAverage(f.call(child("layers"), x)));
    }
}
