package genie.synth;

import ai.djl.ndarray.NDManager;
import genie.nn.Activations;
import genie.nn.BatchNorm2d;
import genie.nn.Conv2d;
import genie.nn.Linear;
import genie.nn.Module;
import genie.nn.Pooling;
import genie.nn.Sequential;
import genie.util.Engines;

/** Small teachers for fast tests. */
final class TinyNets {
    private TinyNets() {
    }

    /**
     * conv3x3(1->16) BN ReLU conv3x3(16->16, stride 2) BN ReLU avgpool flatten fc(16->3), random seeded weights.
     * At least 16 output channels per convolution: libtorch's CPU backward is wrong below that (see Generator).
     */
    static Module classifier(NDManager m, long seed) {
        Engines.seed(seed);
        BatchNorm2d bn1 = new BatchNorm2d(m, 16);
        BatchNorm2d bn2 = new BatchNorm2d(m, 16);
        Module net = new Sequential(new Conv2d(m, 1, 16, 3, 1, 1, 1, 1, false), bn1, new Activations.ReLU(),
                new Conv2d(m, 16, 16, 3, 2, 1, 1, 1, false), bn2, new Activations.ReLU(),
                new Pooling.AdaptiveAvgPool2d(), new Pooling.Flatten(), new Linear(m, 16, 3, true));
        // Non-trivial running statistics, as a trained network has.
        float[] rm1 = new float[16];
        float[] rv1 = new float[16];
        float[] rm2 = new float[16];
        float[] rv2 = new float[16];
        for (int i = 0; i < 16; i++) {
            rm1[i] = 0.1f * ((i % 5) - 2);
            rv1[i] = 0.5f + 0.1f * i;
            rm2[i] = 0.05f * ((i % 7) - 3);
            rv2[i] = 0.6f + 0.05f * i;
        }
        bn1.runningMean().set(rm1);
        bn1.runningVar().set(rv1);
        bn2.runningMean().set(rm2);
        bn2.runningVar().set(rv2);
        return net.eval();
    }

    /** A classifier without any BatchNorm. */
    static Module noBatchNorm(NDManager m) {
        return new Sequential(new Conv2d(m, 1, 4, 3, 1, 1, 1, 1, false), new Activations.ReLU(),
                new Pooling.AdaptiveAvgPool2d(), new Pooling.Flatten(), new Linear(m, 4, 3, true)).eval();
    }
}
