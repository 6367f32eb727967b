package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import genie.nn.Module;
import genie.util.Engines;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** --bn-global: the statistics of all batches so far, the earlier ones fixed. */
class PooledBnStatisticsTest {
    @Test
    void aPooledBatchAndALiveOneGiveTheTermsOfTheirUnion() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            NDArray a = m.randomNormal(0, 1.5f, new Shape(3, 1, 8, 8), ai.djl.ndarray.types.DataType.FLOAT32).add(0.4f);
            NDArray b = m.randomNormal(new Shape(5, 1, 8, 8));
            Map<String, double[]> pooled;
            Map<String, double[]> union;
            Map<String, double[]> alone;
            try (BnStatisticsLoss loss = new BnStatisticsLoss(teacher, m, true)) {
                teacher.forward(a);
                loss.pool(loss.compute(a));
                teacher.forward(b);
                pooled = loss.compute(b).layers();
            }
            try (BnStatisticsLoss loss = new BnStatisticsLoss(teacher, m)) {
                NDArray ab = a.concat(b, 0);
                teacher.forward(ab);
                union = loss.compute(ab).layers();
                teacher.forward(b);
                alone = loss.compute(b).layers();
            }
            for (String layer : union.keySet()) {
                if (layer.equals(BnStatisticsLoss.INPUT)) {
                    continue; // per image: not pooled
                }
                for (int p = 0; p < 2; p++) {
                    assertEquals(union.get(layer)[p], pooled.get(layer)[p], 1e-5 * (1 + union.get(layer)[p]),
                            layer + (p == 0 ? " mean" : " std") + " term");
                    assertNotEquals(alone.get(layer)[p], pooled.get(layer)[p], layer + " differs from the batch alone");
                }
            }
            assertEquals(alone.get(BnStatisticsLoss.INPUT)[0], pooled.get(BnStatisticsLoss.INPUT)[0], 0.0);
        }
    }

    @Test
    void withOneBatchTheSwitchChangesNothingAndLaterBatchesFollowTheEarlierOnes() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            SynthConfig one = SynthesizerTest.TINY.toBuilder().samples(4).batch(4).build();
            assertArrayEquals(new Synthesizer(one).run(teacher, SynthesizerTest.CHW, m).images().pixels(),
                    new Synthesizer(one.toBuilder().bnGlobal(true).build()).run(teacher, SynthesizerTest.CHW, m)
                            .images().pixels(), 0f, "a single batch: the per-batch loss, bit for bit");

            SynthConfig two = SynthesizerTest.TINY.toBuilder().samples(8).batch(4).build();
            SynthResult off = new Synthesizer(two).run(teacher, SynthesizerTest.CHW, m);
            SynthResult on = new Synthesizer(two.toBuilder().bnGlobal(true).build()).run(teacher, SynthesizerTest.CHW, m);
            int half = 4 * 64;
            assertArrayEquals(Arrays.copyOf(off.images().pixels(), half), Arrays.copyOf(on.images().pixels(), half), 0f,
                    "the first batch has nothing to pool with");
            assertFalse(Arrays.equals(Arrays.copyOfRange(off.images().pixels(), half, 2 * half),
                    Arrays.copyOfRange(on.images().pixels(), half, 2 * half)), "the second batch matches the union");
            assertArrayEquals(on.images().pixels(), new Synthesizer(two.toBuilder().bnGlobal(true).build())
                    .run(teacher, SynthesizerTest.CHW, m).images().pixels(), 0f, "same seed, same images");
        }
    }
}
