package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizerTest {
    /** The search written out for one row in float32 scalars, as the reference computes it. */
    private static float[] scalarSearch(float[] x, int bits) {
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        float levels = (float) (Math.pow(2, bits) - 1);
        float best = 1e10f;
        float bestDelta = 0;
        float bestZp = 0;
        for (int i = 0; i < 100; i++) {
            float r = (float) (1.0 - 0.01 * i);
            float delta = (max * r - min * r) / levels;
            float zp = (float) Math.rint(-(min * r) / delta);
            double score = 0;
            for (float v : x) {
                float q = (Math.min(Math.max((float) Math.rint(v / delta) + zp, 0f), levels) - zp) * delta;
                score += Math.pow(Math.abs(v - q), 2.4);
            }
            float s = (float) (score / x.length);
            if (s < best) {
                best = s;
                bestDelta = delta;
                bestZp = zp;
            }
        }
        return new float[] {bestDelta, bestZp};
    }

    @Test
    void stepSizeSearchMatchesHandComputation() {
        float[] row0 = {-1f, -0.3f, 0.05f, 0.2f, 0.45f, 1.3f, 2f, -0.7f};
        float[] row1 = {0.1f, 0.2f, 0.3f, 5f, -0.1f, 0.15f, 0.25f, 0.05f}; // an outlier: clipping wins
        try (NDManager m = NDManager.newBaseManager()) {
            float[] both = new float[16];
            System.arraycopy(row0, 0, both, 0, 8);
            System.arraycopy(row1, 0, both, 8, 8);
            StepSizeSearch.Result r = StepSizeSearch.search(m.create(both, new Shape(2, 8)), 3, false, true);
            float[] e0 = scalarSearch(row0, 3);
            float[] e1 = scalarSearch(row1, 3);
            assertEquals(e0[0], r.delta()[0], 1e-6f);
            assertEquals(e0[1], r.zeroPoint()[0]);
            assertEquals(e1[0], r.delta()[1], 1e-6f);
            assertEquals(e1[1], r.zeroPoint()[1]);
            assertTrue(r.delta()[1] < (5.0f + 0.1f) / 7f, "the outlier row must be clipped");
        }
    }

    @Test
    void exactGridNeedsNoClipping() {
        try (NDManager m = NDManager.newBaseManager()) {
            StepSizeSearch.Result r = StepSizeSearch.search(m.create(new float[] {0f, 1f, 2f, 3f}, new Shape(1, 4)),
                    2, false, true);
            assertEquals(1f, r.delta()[0], 1e-7f);
            assertEquals(0f, r.zeroPoint()[0], 0f);
        }
    }

    @Test
    void deadChannelGetsAFiniteStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {0, 0, 0, 0, 0.5f, -0.25f, 0.1f, 0.3f}, new Shape(2, 4));
            WeightQuantizer q = new WeightQuantizer(w, 4, m);
            float[] out = q.forward().toFloatArray();
            for (float v : out) {
                assertTrue(Float.isFinite(v));
            }
            assertArrayEquals(new float[] {0, 0, 0, 0}, java.util.Arrays.copyOf(out, 4));
        }
    }

    @Test
    void softbitInitialisationReproducesRoundToNearest() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(0f, 0.2f, new Shape(6, 3, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
            WeightQuantizer q = new WeightQuantizer(w, 3, m);
            float[] s = q.initialScale();
            float[] zp = q.zeroPoint().toFloatArray();
            float[] wf = w.toFloatArray();
            float[] hard = q.forward().toFloatArray();
            int per = wf.length / 6;
            for (int i = 0; i < wf.length; i++) {
                int c = i / per;
                float code = Math.min(Math.max((float) Math.rint(wf[i] / s[c]) + zp[c], 0f), 7f);
                assertEquals((code - zp[c]) * s[c], hard[i], 1e-6f, "weight " + i);
            }
            // Soft mode at initialisation is the float weight itself (inside the clamp range).
            q.setMode(WeightQuantizer.Mode.SOFT);
            float[] soft = q.forward().toFloatArray();
            for (int i = 0; i < wf.length; i++) {
                int c = i / per;
                float lo = (0 - zp[c]) * s[c];
                float hi = (7 - zp[c]) * s[c];
                assertEquals(Math.min(Math.max(wf[i], lo), hi), soft[i], 1e-5f);
            }
        }
    }

    @Test
    void activationQuantizerDetectsSignAndRoundsHalfToEven() {
        try (NDManager m = NDManager.newBaseManager()) {
            ActivationQuantizer a = new ActivationQuantizer(4, m);
            a.initialize(m.create(new float[] {0f, 1f, 2f, 3f}));
            assertTrue(!a.signed());
            assertEquals(0, a.qn());
            assertEquals(15, a.qp());
            a.restore(1f, true);
            float[] q = a.forward(m.create(new float[] {0.5f, 1.5f, 2.5f, -8.7f, 9f})).toFloatArray();
            assertArrayEquals(new float[] {0f, 2f, 2f, -8f, 7f}, q);
        }
    }

    @Test
    void bitsOutOfRangeAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantConfig.defaults().withBits(1, 4));
        assertTrue(e.getMessage().contains("weight bit-width 1 is out of range"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantConfig.defaults().withBits(4, 9));
        QuantConfig.defaults().withBits(8, 16); // 16-bit activations are allowed
        assertThrows(IllegalArgumentException.class, () -> Method.parse("magic"));
    }
}
