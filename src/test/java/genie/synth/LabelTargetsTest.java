package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import genie.data.ImageSet;
import genie.nn.Module;
import genie.util.Engines;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --label-ce: a class drawn per image, W x cross-entropy to it, the classes kept as labels. */
class LabelTargetsTest {
    /** Mean cross-entropy of the teacher's (plain) logits on {@code images} to {@code labels}. */
    static double crossEntropy(Module teacher, NDManager m, ImageSet images, int[] labels) {
        try (NDManager s = m.newSubManager()) {
            float[] logits = teacher.forward(s.create(images.pixels(), new Shape(images.size(), 1, 8, 8)))
                    .toFloatArray();
            int k = logits.length / images.size();
            double ce = 0;
            for (int i = 0; i < images.size(); i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, logits[i * k + j]);
                }
                double z = 0;
                for (int j = 0; j < k; j++) {
                    z += Math.exp(logits[i * k + j] - max);
                }
                ce += Math.log(z) + max - logits[i * k + labels[i]];
            }
            return ce / images.size();
        }
    }

    @Test
    void theTermIsTheWeightedMeanCrossEntropyToTheDrawnClasses() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            float[] l = {2f, 0f, -1f, 0.5f, 0.5f, 3f};
            LabelTargets t = new LabelTargets(7, 2, 0.25);
            assertNull(t.labels(), "drawn with the first logits");
            float got = t.loss(m.create(l, new Shape(2, 3))).getFloat();
            int[] y = t.labels();
            assertArrayEquals(LabelTargets.draw(7 ^ 0xBB67AE8584CAA73BL, 2, 3), y);
            double want = 0;
            for (int i = 0; i < 2; i++) {
                double z = 0;
                for (int j = 0; j < 3; j++) {
                    z += Math.exp(l[i * 3 + j]);
                }
                want += Math.log(z) - l[i * 3 + y[i]];
            }
            assertEquals(0.25 * want / 2, got, 1e-6);
            assertArrayEquals(y, t.labels(), "drawn once per batch");
            assertThrows(IllegalStateException.class, () -> t.loss(m.create(new float[8], new Shape(2, 4))));
        }
    }

    @Test
    void theSwitchLowersTheCrossEntropyToTheTargetsAndKeepsThemAsLabels() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 2);
            // A classifier with a say: the random head's logits barely move, so make them spread like a trained one's.
            for (genie.nn.Linear fc : teacher.modulesOfType(genie.nn.Linear.class).values()) {
                fc.weight().set(fc.weight().mul(20f).toFloatArray());
            }
            SynthConfig off = SynthesizerTest.TINY.toBuilder().samples(8).batch(4).iterations(30).build();
            SynthResult plain = new Synthesizer(off).run(teacher, SynthesizerTest.CHW, m);
            SynthResult on = new Synthesizer(off.toBuilder().labelCe(5.0).build()).run(teacher, SynthesizerTest.CHW, m);
            assertFalse(plain.images().hasLabels(), "no targets, no labels");
            assertTrue(on.images().hasLabels());
            int[] labels = new int[8];
            for (int i = 0; i < 8; i++) {
                labels[i] = on.images().label(i);
                assertTrue(labels[i] >= 0 && labels[i] < 3);
            }
            assertTrue(Arrays.stream(labels).distinct().count() > 1, "classes are drawn, not fixed: " + Arrays.toString(labels));
            double withCe = crossEntropy(teacher, m, on.images(), labels);
            double without = crossEntropy(teacher, m, plain.images(), labels);
            assertTrue(withCe < 0.5 * without, "CE to the targets: " + withCe + " with the term, " + without + " without");
            SynthResult again = new Synthesizer(off.toBuilder().labelCe(5.0).build()).run(teacher, SynthesizerTest.CHW, m);
            assertArrayEquals(on.images().pixels(), again.images().pixels(), 0f, "same seed, same images");
            assertEquals(on.images().label(5), again.images().label(5));
        }
    }

    @Test
    void badWeightsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SynthConfig.builder().labelCe(-0.1).build());
        assertTrue(e.getMessage().contains("--label-ce") && e.getMessage().contains("0 (off)"), e.getMessage());
    }
}
