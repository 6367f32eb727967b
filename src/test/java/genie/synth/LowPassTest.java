package genie.synth;

import ai.djl.ndarray.NDManager;
import genie.nn.Module;
import genie.util.Engines;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --lowpass: SynQ's Gaussian mask on the 2-D spectrum, checked against a plain DFT. */
class LowPassTest {
    static double energy(float[] v) {
        double e = 0;
        for (float x : v) {
            e += (double) x * x;
        }
        return e;
    }

    @Test
    void removesTheCheckerboardAndKeepsAConstantImage() {
        int n = 8;
        float[] board = new float[n * n];
        float[] flat = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                board[i * n + j] = (i + j) % 2 == 0 ? 1f : -1f;
                flat[i * n + j] = 0.75f;
            }
        }
        for (double r : new double[] {0.25, 0.5, 1.0}) {
            LowPass lp = new LowPass(n, n, r);
            // The checkerboard sits at Nyquist on both axes: gain exp(-1/R^2), energy exp(-2/R^2).
            assertEquals(Math.exp(-2 / (r * r)), energy(lp.apply(board)) / energy(board), 1e-6, "R " + r);
            assertArrayEquals(flat, lp.apply(flat), 1e-6f, "frequency zero has gain 1, R " + r);
        }
        assertTrue(energy(new LowPass(n, n, 0.5).apply(board)) < 1e-3 * energy(board));
    }

    @Test
    void isTheGaussianMaskOnThe2dDftOfEachPlane() {
        int c = 2;
        int h = 6;
        int w = 5;
        double r = 0.4;
        Random rnd = new Random(3);
        float[] x = new float[c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] got = new LowPass(h, w, r).apply(x);
        for (int ch = 0; ch < c; ch++) {
            double[][] re = new double[h][w];
            double[][] im = new double[h][w];
            for (int u = 0; u < h; u++) { // forward DFT times H(fu, fv)
                for (int v = 0; v < w; v++) {
                    double sr = 0;
                    double si = 0;
                    for (int y = 0; y < h; y++) {
                        for (int z = 0; z < w; z++) {
                            double a = -2 * Math.PI * ((double) u * y / h + (double) v * z / w);
                            sr += x[ch * h * w + y * w + z] * Math.cos(a);
                            si += x[ch * h * w + y * w + z] * Math.sin(a);
                        }
                    }
                    double fu = (u <= h / 2 ? u : u - h) / (double) h;
                    double fv = (v <= w / 2 ? v : v - w) / (double) w;
                    double mask = Math.exp(-((fu * fu + fv * fv) / 0.25) / (2 * r * r));
                    re[u][v] = sr * mask;
                    im[u][v] = si * mask;
                }
            }
            for (int y = 0; y < h; y++) { // inverse DFT, real part
                for (int z = 0; z < w; z++) {
                    double s = 0;
                    for (int u = 0; u < h; u++) {
                        for (int v = 0; v < w; v++) {
                            double a = 2 * Math.PI * ((double) u * y / h + (double) v * z / w);
                            s += re[u][v] * Math.cos(a) - im[u][v] * Math.sin(a);
                        }
                    }
                    assertEquals(s / (h * w), got[ch * h * w + y * w + z], 1e-5, "channel " + ch + " at " + y + "," + z);
                }
            }
        }
    }

    @Test
    void theSwitchFiltersTheFinishedImagesOfTheSameRun() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            SynthConfig off = SynthesizerTest.TINY;
            SynthResult plain = new Synthesizer(off).run(teacher, SynthesizerTest.CHW, m);
            SynthResult filtered = new Synthesizer(off.toBuilder().lowpass(0.5).build())
                    .run(teacher, SynthesizerTest.CHW, m);
            float[] expected = new LowPass(8, 8, 0.5).apply(plain.images().pixels());
            assertArrayEquals(expected, filtered.images().pixels(), 0f, "synthesis unchanged, then filtered once");
            assertFalse(java.util.Arrays.equals(plain.images().pixels(), filtered.images().pixels()));
            assertTrue(energy(filtered.images().pixels()) < energy(plain.images().pixels()));
            assertArrayEquals(plain.report().finalLosses(), filtered.report().finalLosses(), 0.0,
                    "the losses are those of the optimisation, which the filter does not change");
        }
    }

    @Test
    void badRadiiAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LowPass(8, 8, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SynthConfig.builder().lowpass(-1).build());
        assertTrue(e.getMessage().contains("--lowpass") && e.getMessage().contains("0 (off)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SynthConfig.builder().lowpass(Double.POSITIVE_INFINITY).build());
    }
}
