package genie.synth;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import genie.nn.Conv2d;
import genie.nn.Module;
import genie.util.Cancellation;
import genie.util.Engines;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthesizerTest {
    static final int[] CHW = {1, 8, 8};
    static final SynthConfig TINY = SynthConfig.builder().samples(6).batch(4).iterations(4).latent(16).logEvery(2)
            .build();

    @Test
    void gradientsReachGeneratorAndLatentsButNotTheTeacher() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            Generator g = Generator.forInput(m, 16, CHW);
            NDArray z = m.randomNormal(new Shape(4, 16));
            z.setRequiresGradient(true);
            try (BnStatisticsLoss loss = new BnStatisticsLoss(teacher, m);
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = g.forward(z);
                assertEquals(new Shape(4, 1, 8, 8), x.getShape());
                teacher.forward(x);
                gc.backward(loss.compute(x).total());
            }
            assertTrue(z.getGradient().abs().sum().getFloat() > 0, "z has a gradient");
            Map<String, NDArray> params = g.namedParameters();
            assertEquals(List.of("linear.weight", "linear.bias", "conv_layers.0.weight", "conv_layers.0.bias",
                    "conv_layers.2.weight", "conv_layers.2.bias", "conv_layers.3.weight", "conv_layers.3.bias",
                    "conv_layers.6.weight", "conv_layers.6.bias"), new ArrayList<>(params.keySet()));
            params.forEach((k, p) -> assertTrue(p.getGradient().abs().sum().getFloat() > 0, k + " has a gradient"));
            teacher.namedParameters().forEach((k, p) -> assertFalse(p.hasGradient(), k + " must not require grad"));
        }
    }

    @Test
    void generatorMatchesTheReferenceLayoutAndInit() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Generator g = Generator.forInput(m, 256, new int[] {1, 28, 28});
            assertEquals(new Shape(128 * 7 * 7, 256), g.namedParameters().get("linear.weight").getShape());
            NDArray cw = g.namedParameters().get("conv_layers.2.weight");
            assertEquals(new Shape(64, 128, 3, 3), cw.getShape());
            double bound = 1 / Math.sqrt(128 * 9);
            assertTrue(cw.abs().max().getFloat() <= bound + 1e-7);
            assertTrue(cw.abs().max().getFloat() > 0.9 * bound);
            assertFalse(g.namedModules().get("conv_layers.8").localParameters().containsKey("weight"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Generator.forInput(m, 16, new int[] {1, 30, 28}));
            assertTrue(e.getMessage().contains("multiples of 4"), e.getMessage());
        }
    }

    @Test
    void sameSeedIsBitIdenticalOtherSeedDiffersAndTeacherIsRestored() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            List<String> before = teacher.namedModules().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue().typeName()).toList();
            List<int[]> terms = new ArrayList<>();
            List<Integer> iterations = new ArrayList<>();
            SynthListener counter = new SynthListener() {
                @Override
                public void onIteration(int batch, int iter, double total, double meanPart, double stdPart) {
                    iterations.add(iter);
                    assertEquals(total, meanPart + stdPart, 1e-4 * Math.max(1, total));
                }

                @Override
                public void onLayerTerms(int batch, int iter, Map<String, double[]> t) {
                    terms.add(new int[] {batch, iter, t.size()});
                }
            };
            SynthResult a = new Synthesizer(TINY).addListener(counter).run(teacher, CHW, m);
            SynthResult b = new Synthesizer(TINY).run(teacher, CHW, m);
            SynthResult c = new Synthesizer(TINY.withSeed(1)).run(teacher, CHW, m);

            assertEquals(6, a.images().size(), "6 samples in batches of 4: 4 + 2");
            assertFalse(a.images().hasLabels());
            assertArrayEquals(a.images().pixels(), b.images().pixels(), "same seed: bit-identical");
            assertFalse(Arrays.equals(a.images().pixels(), c.images().pixels()), "other seed: different");
            assertEquals(2, a.report().finalLosses().length);
            assertEquals(4, a.report().curves().get(0).length);
            assertEquals(8, iterations.size());
            assertEquals(4, terms.size()); // iterations 2 and 4 of each batch
            assertEquals(3, terms.get(0)[2]); // input + 2 BN layers
            assertEquals(6, Arrays.stream(a.report().classHistogram()).sum());
            assertEquals(3, a.report().classHistogram().length);
            assertTrue(a.report().meanConfidence() > 1.0 / 3 - 1e-6 && a.report().meanConfidence() <= 1);
            assertTrue(a.report().msPerIteration() > 0);

            List<String> after = teacher.namedModules().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue().typeName()).toList();
            assertEquals(before, after, "swing convolutions removed again");
            assertTrue(teacher.get("3") instanceof Conv2d);
            teacher.namedModules().values().forEach(mod -> assertFalse(mod.isTraining()));
            teacher.namedParameters().forEach((k, p) -> assertFalse(p.hasGradient(), k));
        }
    }

    @Test
    void optimisationLowersTheLoss() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 2);
            SynthResult r = new Synthesizer(TINY.withSamples(8).withBatch(8).withIterations(60)).run(teacher, CHW, m);
            float[] curve = r.report().curves().get(0);
            assertTrue(curve[59] < 0.9 * curve[0], "loss " + curve[0] + " -> " + curve[59]);
        }
    }

    @Test
    void otherSourcesRun() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            for (SynthConfig.Source s : SynthConfig.Source.values()) {
                SynthResult r = new Synthesizer(TINY.toBuilder().source(s).swing(s != SynthConfig.Source.PIXELS).build())
                        .run(teacher, CHW, m);
                assertEquals(6, r.images().size(), s.name());
                int expectCurve = s == SynthConfig.Source.NOISE ? 1 : 4;
                assertEquals(expectCurve, r.report().curves().get(0).length, s.name());
            }
            SynthResult zeroIters = new Synthesizer(TINY.withIterations(0)).run(teacher, CHW, m);
            assertEquals(6, zeroIters.images().size());
            assertTrue(Double.isNaN(zeroIters.report().msPerIteration()));
        }
    }

    @Test
    void configValidationIsClear() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TINY.withSamples(0));
        assertTrue(e.getMessage().contains("samples must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TINY.withBatch(-1));
        assertTrue(e.getMessage().contains("batch must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TINY.withIterations(-1));
        assertTrue(e.getMessage().contains("iterations"), e.getMessage());
        assertEquals(SynthConfig.Source.GENERATOR_ONLY, SynthConfig.Source.parse("generator-only"));
        assertThrows(IllegalArgumentException.class, () -> SynthConfig.Source.parse("gan"));
        assertEquals(3, TINY.withSamples(9).withBatch(4).batches());
        assertEquals(1, TINY.withSamples(9).withBatch(4).batchSize(2));
    }

    @Test
    void modelWithoutBatchNormIsAClearErrorAndLeavesItUnchanged() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module net = TinyNets.noBatchNorm(m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Synthesizer(TINY).run(net, CHW, m));
            assertTrue(e.getMessage().contains("Genie-D needs BatchNorm statistics"), e.getMessage());
        }
    }

    @Test
    void nonFiniteLossStopsWithAClearError() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            // A corrupt running variance makes the BN-statistics loss NaN on the first forward pass.
            ((genie.nn.BatchNorm2d) teacher.get("4")).runningVar().set(new float[] {Float.NaN, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
            SynthesisDivergedException e = assertThrows(SynthesisDivergedException.class,
                    () -> new Synthesizer(TINY).run(teacher, CHW, m));
            assertTrue(e.getMessage().startsWith("synthesis diverged at iteration "), e.getMessage());
            assertTrue(e.getMessage().contains("of batch 0"), e.getMessage());
            assertTrue(teacher.get("3") instanceof Conv2d, "teacher restored after the failure");
        }
    }

    /**
     * Regression for two native-memory bugs that made runs diverge or differ after a garbage collection: DJL's
     * {@code div(Number)} scalars freed under the autograd graph, and libtorch's CPU convolution backward leaving
     * input gradients uninitialised below 16 output channels. A collection plus direct-buffer churn inside every
     * teacher forward pass must not change the images.
     */
    @Test
    void stressGarbageCollectionDuringSynthesis() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            ((genie.nn.BatchNorm2d) teacher.get("4")).addForwardHook((mod, in, out) -> {
                System.gc();
                List<java.nio.ByteBuffer> l = new ArrayList<>();
                for (int i = 0; i < 3000; i++) {
                    l.add(java.nio.ByteBuffer.allocateDirect(4 * (1 + i % 8)));
                }
            });
            SynthConfig c = TINY.toBuilder().samples(8).iterations(20).source(SynthConfig.Source.GENERATOR_ONLY)
                    .swing(false).build();
            float[] first = new Synthesizer(c).run(teacher, CHW, m).images().pixels();
            for (int rep = 0; rep < 3; rep++) {
                assertArrayEquals(first, new Synthesizer(c).run(teacher, CHW, m).images().pixels());
            }
        }
    }

    @Test
    void cancellationKeepsCompletedBatches() {
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            Module teacher = TinyNets.classifier(m, 1);
            Cancellation token = new Cancellation();
            SynthListener cancelInSecondBatch = new SynthListener() {
                @Override
                public void onIteration(int batch, int iter, double total, double meanPart, double stdPart) {
                    if (batch == 1 && iter == 1) {
                        token.request();
                    }
                }
            };
            SynthResult r = new Synthesizer(TINY).withCancellation(token).addListener(cancelInSecondBatch)
                    .run(teacher, CHW, m);
            assertTrue(r.report().cancelled());
            assertEquals(4, r.images().size());
            assertEquals(1, r.report().finalLosses().length);
            assertTrue(teacher.get("3") instanceof Conv2d);
        }
    }
}
