package genie.quant;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QDropTest {
    @Test
    void eachElementIsExactlyOneOfTheTwoAtTheGivenRate() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 20001; // odd: the last element uses half a draw
            NDArray x = m.randomNormal(new Shape(n));
            NDArray xq = x.mul(3).round().div(3);
            float[] xs = x.toFloatArray();
            float[] qs = xq.toFloatArray();
            for (float p : new float[] {0.5f, 0.2f}) {
                float[] out = new QDrop(p, 7).mix(xq, x).toFloatArray();
                int quantized = 0;
                for (int i = 0; i < n; i++) {
                    assertTrue(out[i] == qs[i] || out[i] == xs[i], "element " + i + " is neither value");
                    if (out[i] == qs[i] && qs[i] != xs[i]) {
                        quantized++;
                    }
                }
                int differing = 0;
                for (int i = 0; i < n; i++) {
                    differing += qs[i] != xs[i] ? 1 : 0;
                }
                double rate = (double) quantized / differing;
                assertEquals(p, rate, 0.02, "share of elements taking the quantized value at p=" + p);
            }
            assertArrayEquals(xs, new QDrop(0f, 1).mix(xq, x).toFloatArray());
            assertArrayEquals(qs, new QDrop(1f, 1).mix(xq, x).toFloatArray());
        }
    }

    @Test
    void sameSeedSameCoinsAndGradientsFollowTheChoice() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(4, 3, 5, 5));
            NDArray xq = m.randomNormal(new Shape(4, 3, 5, 5));
            assertArrayEquals(new QDrop(0.5f, 3).mix(xq, x).toFloatArray(), new QDrop(0.5f, 3).mix(xq, x).toFloatArray());
            assertFalse(java.util.Arrays.equals(new QDrop(0.5f, 3).mix(xq, x).toFloatArray(),
                    new QDrop(0.5f, 4).mix(xq, x).toFloatArray()));
            x.setRequiresGradient(true);
            xq.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = new QDrop(0.5f, 3).mix(xq, x);
                gc.backward(out.sum());
            }
            float[] gx = x.getGradient().toFloatArray();
            float[] gq = xq.getGradient().toFloatArray();
            float[] o = out.toFloatArray();
            float[] qs = xq.toFloatArray();
            for (int i = 0; i < o.length; i++) {
                assertEquals(1f, gx[i] + gq[i], "the gradient goes to exactly one source at " + i);
                assertEquals(o[i] == qs[i] ? 1f : 0f, gq[i], "gradient to the chosen value at " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new QDrop(1.5f, 0));
    }
}
