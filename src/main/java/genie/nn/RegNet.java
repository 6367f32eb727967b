package genie.nn;

import ai.djl.ndarray.NDManager;

/**
 * torchvision's {@code RegNet} with X blocks (no squeeze-excitation): a 3x3 stem, four stages of
 * {@link RegNetXBlock}s, average pool and a linear classifier, with torchvision's state-dict names
 * ({@code stem.0}, {@code trunk_output.block1.block1-0.f.a.0}, {@code fc}). Stage widths and depths come from the
 * design-space parameters ({@link RegNetParams}), so {@code regnet_x_400mf}, {@code regnet_x_600mf} and
 * {@code regnet_x_3_2gf} differ only in their numbers.
 */
public class RegNet extends Composite {
    public final RegNetParams params;

    public RegNet(NDManager m, RegNetParams p, int stemWidth, int inChannels, int numClasses) {
        this.params = p;
        register("stem", convBn(m, inChannels, stemWidth, 3, 2, 1, true));
        Stage trunk = new Stage();
        int width = stemWidth;
        for (int s = 0; s < p.widths().length; s++) {
            Stage stage = new Stage();
            for (int b = 0; b < p.depths()[s]; b++) {
                stage.add("block" + (s + 1) + "-" + b, new RegNetXBlock(m, b == 0 ? width : p.widths()[s],
                        p.widths()[s], b == 0 ? 2 : 1, p.groupWidths()[s], p.bottleneckMultiplier()));
            }
            trunk.add("block" + (s + 1), stage);
            width = p.widths()[s];
        }
        register("trunk_output", trunk);
        register("avgpool", new Pooling.AdaptiveAvgPool2d());
        register("fc", new Linear(m, width, numClasses, true));
    }

    /** torchvision's {@code Conv2dNormActivation}: conv (no bias), BN, and a ReLU when {@code relu}. */
    static Sequential convBn(NDManager m, int in, int out, int kernel, int stride, int groups, boolean relu) {
        Sequential s = new Sequential(new Conv2d(m, in, out, kernel, stride, (kernel - 1) / 2, 1, groups, false),
                new BatchNorm2d(m, out));
        return relu ? s.add(new Activations.ReLU()) : s;
    }

    @Override
    public <T> T flow(Flow<T> f, T x) {
        T y = f.call(child("avgpool"), f.call(child("trunk_output"), f.call(child("stem"), x)));
        return f.call(child("fc"), f.flatten(y));
    }

    /**
     * A sequence with torchvision's names: {@code trunk_output} holds stages {@code block1}, {@code block2}, ...; a
     * stage ({@code AnyStage}) holds blocks {@code block<stage>-<i>}.
     */
    static final class Stage extends Composite {
        void add(String name, Module child) {
            register(name, child);
        }

        @Override
        public <T> T flow(Flow<T> f, T x) {
            T y = x;
            for (Module b : children().values()) {
                y = f.call(b, y);
            }
            return y;
        }
    }
}
