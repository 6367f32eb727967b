package genie.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import genie.util.Engines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Guards the workarounds for libtorch's convolution backward: NaN input gradients of few-output-channel convolutions on
 * 2 threads, and oneDNN's division by zero (the JVM dies) for ResNet-50's strided 1x1 downsample channel pairs.
 */
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

    @Test
    void stridedOneByOneDownsamplesOfResNet50HaveExactInputGradients() {
        for (int[] io : new int[][] {{256, 1024}, {512, 1024}, {512, 2048}, {1024, 2048}}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Engines.seed(5);
                Conv2d conv = new Conv2d(m, io[0], io[1], 1, 2, 0, 1, 1, false);
                NDArray x = m.randomNormal(new Shape(2, io[0], 6, 6));
                x.setRequiresGradient(true);
                NDArray out;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    out = conv.forward(x);
                    gc.backward(out.sum());
                }
                // d sum(out) / dx: every output channel's weight summed where the stride samples, zero elsewhere.
                float[] perChannel = conv.weight().sum(new int[] {0}).reshape(-1).toFloatArray();
                float[] g = x.getGradient().toFloatArray();
                for (int n = 0; n < 2; n++) {
                    for (int c = 0; c < io[0]; c++) {
                        for (int h = 0; h < 6; h++) {
                            for (int w = 0; w < 6; w++) {
                                float want = h % 2 == 0 && w % 2 == 0 ? perChannel[c] : 0f;
                                assertEquals(want, g[((n * io[0] + c) * 6 + h) * 6 + w], 1e-4f * (1 + Math.abs(want)),
                                        io[0] + "->" + io[1] + " gradient at " + n + "," + c + "," + h + "," + w);
                            }
                        }
                    }
                }
                NDArray plain = ai.djl.nn.convolutional.Conv2d.conv2d(x.stopGradient(), conv.weight(), null,
                        new Shape(2, 2), new Shape(0, 0), new Shape(1, 1), 1).head();
                assertArrayEquals(plain.toFloatArray(), out.toFloatArray(), 1e-4f, io[0] + "->" + io[1] + " output");
            }
        }
    }
}
