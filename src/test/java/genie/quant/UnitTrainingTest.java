package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import genie.data.ImageSet;
import genie.nn.HookHandle;
import genie.nn.Model;
import genie.testing.TinyModels;
import genie.util.Cancellation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A unit-training session switches its unit into training and back, whatever ends it. */
class UnitTrainingTest {
    // The fixture of CancelledStepTest: the same tiny model, calibration set and settings.
    private static final ImageSet CALIBRATION = CancelledStepTest.CALIBRATION;

    private static QuantConfig config() {
        return CancelledStepTest.config();
    }

    private static float[] logits(QuantizedModel q) {
        return CancelledStepTest.logits(q);
    }

    /** QDrop mixes with fresh coins on every call, so two forwards of one input differ only while it is on. */
    private static boolean dropping(ActivationQuantizer a, NDManager m) {
        NDArray x = m.randomNormal(new ai.djl.ndarray.types.Shape(4096)).mul(a.step() * 4);
        return !Arrays.equals(a.forward(x).toFloatArray(), a.forward(x).toFloatArray());
    }

    /** Out of training: hard rounding, no QDrop, no leaf collecting gradients. */
    private static void assertOutOfTraining(Unit unit, String when) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (WeightQuantizer w : unit.weightQuantizers()) {
                assertEquals(WeightQuantizer.Mode.HARD, w.mode(), when);
                assertFalse(w.scale().hasGradient(), when + ": a weight step still learns");
                assertFalse(w.softbitLogits().hasGradient(), when + ": softbits still learn");
            }
            for (ActivationQuantizer a : unit.activationQuantizers()) {
                if (a.isInitialized()) {
                    assertFalse(a.scale().hasGradient(), when + ": an activation step still learns");
                    assertFalse(dropping(a, m), when + ": QDrop still on in " + a);
                }
            }
        }
    }

    @Test
    void sessionSwitchesTheMethodOnAndRestoresOnSuccess() {
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, config())) {
            new Reconstruction(t, q, CALIBRATION).step();
            Unit unit = q.units().get(1);
            boolean grad = JniUtils.isGradMode();
            try (UnitTraining s = new UnitTraining(unit, q, new QDrop(0.5f, 1));
                    NDManager m = NDManager.newBaseManager()) {
                unit.layers().forEach(l -> assertTrue(l.actQuantEnabled(), l.layerName()));
                unit.weightQuantizers().forEach(w -> assertEquals(WeightQuantizer.Mode.SOFT, w.mode()));
                UnitCache cache = s.cache(t, CALIBRATION, Cancellation.none());
                assertEquals(48, cache.size());
                for (ActivationQuantizer a : unit.activationQuantizers()) {
                    assertTrue(dropping(a, m), "QDrop is part of Genie-M's training: " + a);
                }
                s.outputError(cache);
                unit.weightQuantizers().forEach(w -> assertEquals(WeightQuantizer.Mode.SOFT, w.mode(),
                        "measuring the output error returns to training"));
                s.learn(config());
                unit.weightQuantizers().forEach(w -> assertTrue(w.scale().hasGradient() && w.softbitLogits()
                        .hasGradient(), "Genie-M learns the weight step with the softbits"));
                s.finish();
                s.commit();
            }
            assertOutOfTraining(unit, "after success");
            assertEquals(grad, JniUtils.isGradMode(), "autograd mode after success");
            unit.activationQuantizers().forEach(a -> assertTrue(a.isInitialized(), "a commit keeps " + a));
        }
    }

    @ParameterizedTest(name = "{0} at forward {1} of the unit")
    @CsvSource({"runtime, 1", "error, 2", "runtime, 3", "error, 6", "runtime, 9"})
    void anExceptionInsideTrainingRestoresEveryModeAndValue(String kind, int call) {
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, config())) {
            Reconstruction r = new Reconstruction(t, q, CALIBRATION);
            r.step();
            float[] before = logits(q);
            Unit unit = q.units().get(1);
            List<Boolean> switches = q.layers().values().stream().map(QuantLayer::actQuantEnabled).toList();
            boolean grad = JniUtils.isGradMode();
            // Forwards 1-2 cache the calibration slices, 3 measures round to nearest, 4 on optimise.
            int[] calls = {0};
            RuntimeException runtime = new IllegalStateException("from a forward hook");
            Error error = new ThreadDeath(); // what Thread.stop delivers
            HookHandle hook = unit.module().addForwardHook((m, in, out) -> {
                if (++calls[0] == call) {
                    if (kind.equals("error")) {
                        throw error;
                    }
                    throw runtime;
                }
            });
            Throwable thrown = assertThrows(Throwable.class, r::step);
            hook.close();
            assertSame(kind.equals("error") ? error : runtime, thrown);
            assertOutOfTraining(unit, kind + " at forward " + call);
            assertEquals(grad, JniUtils.isGradMode(), "autograd mode");
            assertEquals(1, r.position(), "the failed unit stays next");
            assertEquals(switches, q.layers().values().stream().map(QuantLayer::actQuantEnabled).toList());
            for (ActivationQuantizer a : unit.activationQuantizers()) {
                assertFalse(a.isInitialized(), a + " kept a step size from the failed step");
            }
            assertArrayEquals(before, logits(q), "the model changed");
        }
    }
}
