package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import genie.nn.Conv2d;
import genie.util.Engines;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SwingConv2dTest {
    @Test
    void keepsShapeEqualsPlainConvAtCentreAndDiffersElsewhere() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Engines.seed(3);
            Conv2d conv = new Conv2d(m, 3, 4, 3, 2, 1, 1, 1, false);
            SwingConv2d swing = new SwingConv2d(conv, new Random(0));
            NDArray x = m.randomNormal(new Shape(2, 3, 9, 8));
            NDArray plain = conv.forward(x);
            NDArray centre = swing.forwardAt(x, 1, 1);
            assertEquals(plain.getShape(), centre.getShape());
            assertArrayEquals(plain.toFloatArray(), centre.toFloatArray());
            for (int dx = 0; dx < 3; dx++) {
                for (int dy = 0; dy < 3; dy++) {
                    NDArray y = swing.forwardAt(x, dx, dy);
                    assertEquals(plain.getShape(), y.getShape());
                    if (dx != 1 || dy != 1) {
                        assertFalse(java.util.Arrays.equals(plain.toFloatArray(), y.toFloatArray()),
                                "offset " + dx + "," + dy);
                    }
                }
            }
            NDArray random = swing.forward(x);
            assertEquals(plain.getShape(), random.getShape());
        }
    }

    @Test
    void shiftIsAReflectPaddedCrop() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            int h = 3;
            int w = 4;
            float[] v = new float[h * w];
            for (int i = 0; i < v.length; i++) {
                v[i] = i;
            }
            NDArray x = m.create(v, new Shape(1, 1, h, w));
            for (int dx = 0; dx < 3; dx++) {
                for (int dy = 0; dy < 3; dy++) {
                    float[] got = SwingConv2d.shift(x, dx, dy).toFloatArray();
                    float[] want = new float[h * w];
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            want[i * w + j] = v[reflect(i + dy - 1, h) * w + reflect(j + dx - 1, w)];
                        }
                    }
                    assertArrayEquals(want, got, "offset " + dx + "," + dy);
                }
            }
        }
    }

    private static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }
}
