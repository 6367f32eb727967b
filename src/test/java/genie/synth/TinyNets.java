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

    /** conv3x3(1->4) BN ReLU conv3x3(4->8, stride 2) BN ReLU avgpool flatten fc(8->3), random seeded weights. */
    static Module classifier(NDManager m, long seed) {
        Engines.seed(seed);
        BatchNorm2d bn1 = new BatchNorm2d(m, 4);
        BatchNorm2d bn2 = new BatchNorm2d(m, 8);
        Module net = new Sequential(new Conv2d(m, 1, 4, 3, 1, 1, 1, 1, false), bn1, new Activations.ReLU(),
                new Conv2d(m, 4, 8, 3, 2, 1, 1, 1, false), bn2, new Activations.ReLU(),
                new Pooling.AdaptiveAvgPool2d(), new Pooling.Flatten(), new Linear(m, 8, 3, true));
        // Non-trivial running statistics, as a trained network has.
        bn1.runningMean().set(new float[] {0.1f, -0.2f, 0.3f, 0.0f});
        bn1.runningVar().set(new float[] {0.5f, 1.5f, 2.0f, 0.8f});
        bn2.runningMean().set(new float[] {0.2f, 0.1f, -0.1f, 0.0f, 0.3f, -0.3f, 0.05f, 0.4f});
        bn2.runningVar().set(new float[] {1.0f, 0.7f, 1.2f, 0.9f, 1.1f, 0.6f, 1.3f, 0.8f});
        return net.eval();
    }

    /** A classifier without any BatchNorm. */
    static Module noBatchNorm(NDManager m) {
        return new Sequential(new Conv2d(m, 1, 4, 3, 1, 1, 1, 1, false), new Activations.ReLU(),
                new Pooling.AdaptiveAvgPool2d(), new Pooling.Flatten(), new Linear(m, 4, 3, true)).eval();
    }
}
