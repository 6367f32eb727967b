package genie.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import genie.util.Engines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Guards the workaround for libtorch's NaN input gradients of few-output-channel convolutions on 2 threads. */
class ConvGradientTest {
    @Test
    void fewOutputChannelsGiveFiniteExactGradientsOnTwoThreads() {
        int before = Engines.threads();
        Engines.threads(2);
        try (NDManager m = NDManager.newBaseManager()) {
            Engines.seed(3);
            Conv2d conv = new Conv2d(m, 64, 1, 3, 1, 1, 1, 1, true);
            NDArray x = m.randomNormal(new Shape(32, 64, 28, 28));
            x.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = conv.forward(x);
                gc.backward(out.square().sum());
            }
            assertFalse(x.getGradient().isNaN().any().getBoolean(), "input gradient has NaN");
            // Same output as the plain convolution on one thread.
            Engines.threads(1);
            NDArray plain = ai.djl.nn.convolutional.Conv2d.conv2d(x.stopGradient(), conv.weight(), conv.bias(),
                    new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).head();
            assertArrayEquals(plain.toFloatArray(), out.toFloatArray(), 1e-4f);
        } finally {
            Engines.threads(before);
        }
    }
}
