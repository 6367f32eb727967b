package genie.nn;

import ai.djl.ndarray.NDManager;

/** torchvision's {@code MobileNetV2} with its constructor arguments and state-dict names. */
public class MobileNetV2 extends Composite {
    /** torchvision's default inverted_residual_setting: t, c, n, s. */
    public static final int[][] DEFAULT_SETTING = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    /** Builder arguments with torchvision's meanings ({@code stem_*} extend it for small inputs). */
    public record Config(int[][] invertedResidualSetting, double widthMult, int stemChannels, int stemStride,
            int lastChannel, int inChannels, int numClasses, double dropout, int roundNearest) {
        public Config {
            for (int[] row : invertedResidualSetting) {
                if (row.length != 4) {
                    throw new IllegalArgumentException("inverted_residual_setting rows must be [t, c, n, s]");
                }
            }
        }
    }

    public final Config config;

    public MobileNetV2(NDManager m, Config c) {
        this.config = c;
        int input = makeDivisible(c.stemChannels() * c.widthMult(), c.roundNearest());
        int last = makeDivisible(c.lastChannel() * Math.max(1.0, c.widthMult()), c.roundNearest());
        Sequential features = new Sequential();
        features.add(convBnAct(m, c.inChannels(), input, 3, c.stemStride(), 1));
        for (int[] row : c.invertedResidualSetting()) {
            int out = makeDivisible(row[1] * c.widthMult(), c.roundNearest());
            for (int i = 0; i < row[2]; i++) {
                features.add(new InvertedResidual(m, input, out, i == 0 ? row[3] : 1, row[0]));
                input = out;
            }
        }
        features.add(convBnAct(m, input, last, 1, 1, 1));
        register("features", features);
        register("classifier", new Sequential(new Pooling.Dropout((float) c.dropout()),
                new Linear(m, last, c.numClasses(), true)));
    }

    /** torchvision's Conv2dNormActivation with ReLU6: children 0 (conv), 1 (BN), 2 (ReLU6). */
    static Sequential convBnAct(NDManager m, int in, int out, int kernel, int stride, int groups) {
        return new Sequential(new Conv2d(m, in, out, kernel, stride, (kernel - 1) / 2, 1, groups, false),
                new BatchNorm2d(m, out), new Activations.ReLU6());
    }

    /** torchvision's {@code _make_divisible}. */
    static int makeDivisible(double v, int divisor) {
        int newV = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (newV < 0.9 * v) {
            newV += divisor;
        }
        return newV;
    }

    @Override
    public <T> T flow(Flow<T> f, T x) {
        return f.call(child("classifier"), f.globalAverage(f.call(child("features"), x)));
    }
}
