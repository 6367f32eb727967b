package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import genie.nn.Module;
import genie.util.Engines;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --synth-augment: DGH's shift and flip of what the teacher sees, seeded per batch. */
class SynthAugmentTest {
    @Test
    void cropAndFlipMovesPixelsAsDefined() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            int h = 5;
            int w = 6;
            float[] v = new float[2 * h * w];
            for (int i = 0; i < v.length; i++) {
                v[i] = i + 1;
            }
            NDArray x = m.create(v, new Shape(1, 2, h, w));
            for (boolean flip : new boolean[] {false, true}) {
                for (int dy = 0; dy <= 4; dy += 2) {
                    for (int dx = 0; dx <= 4; dx++) {
                        float[] got = SynthAugment.cropAndFlip(x, flip, dy, dx, 2, 2).toFloatArray();
                        for (int c = 0; c < 2; c++) {
                            for (int i = 0; i < h; i++) {
                                for (int j = 0; j < w; j++) {
                                    int si = i + dy - 2;
                                    int sj = j + dx - 2;
                                    float want = si < 0 || si >= h || sj < 0 || sj >= w ? 0f
                                            : v[c * h * w + si * w + (flip ? w - 1 - sj : sj)];
                                    assertEquals(want, got[c * h * w + i * w + j], 0f,
                                            "flip " + flip + " dy " + dy + " dx " + dx + " at " + c + "," + i + "," + j);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theShiftIsDghsShareOfTheSize() {
        assertEquals(2, SynthAugment.pad(28));
        assertEquals(16, SynthAugment.pad(224));
        assertEquals(1, SynthAugment.pad(8));
    }

    @Test
    void viewsFollowTheSeedAndCoverEveryShiftAndBothFlips() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            NDArray x = m.randomNormal(new Shape(2, 1, 8, 8));
            SynthAugment a = new SynthAugment(42, 8, 8);
            SynthAugment b = new SynthAugment(42, 8, 8);
            SynthAugment other = new SynthAugment(43, 8, 8);
            Set<String> seen = new HashSet<>();
            boolean differs = false;
            for (int i = 0; i < 200; i++) {
                float[] va = a.view(x).toFloatArray();
                assertArrayEquals(va, b.view(x).toFloatArray(), 0f, "same seed, same views");
                differs |= !Arrays.equals(va, other.view(x).toFloatArray());
                seen.add(Arrays.toString(va));
            }
            assertTrue(differs, "another batch seed draws other views");
            assertEquals(2 * 3 * 3, seen.size(), "2 flips x 3 vertical x 3 horizontal offsets (pad 1)");
        }
    }

    @Test
    void theSwitchIsDeterministicAndChangesTheImages() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            SynthConfig on = SynthesizerTest.TINY.toBuilder().augment(true).build();
            float[] a = new Synthesizer(on).run(teacher, SynthesizerTest.CHW, m).images().pixels();
            float[] b = new Synthesizer(on).run(teacher, SynthesizerTest.CHW, m).images().pixels();
            float[] off = new Synthesizer(SynthesizerTest.TINY).run(teacher, SynthesizerTest.CHW, m).images().pixels();
            float[] otherSeed = new Synthesizer(on.withSeed(1)).run(teacher, SynthesizerTest.CHW, m).images().pixels();
            assertArrayEquals(a, b, 0f, "same seed, same images");
            assertFalse(Arrays.equals(a, off), "augmentation changes the optimisation");
            assertFalse(Arrays.equals(a, otherSeed));
        }
    }
}
