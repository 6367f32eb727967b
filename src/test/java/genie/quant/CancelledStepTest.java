package genie.quant;

import ai.djl.ndarray.NDManager;
import genie.data.ImageSet;
import genie.nn.HookHandle;
import genie.nn.Model;
import genie.testing.TinyModels;
import genie.util.Cancellation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A step cancelled while caching the calibration pass or while optimising leaves the model exactly as it was. */
class CancelledStepTest {
    static final ImageSet CALIBRATION = TinyModels.images(48, 1, 8, 8, 3, 5); // two caching slices

    static QuantConfig config() {
        return QuantConfig.defaults().withBits(3, 4).withIterations(12).withBatch(8).withSeed(4);
    }

    static float[] logits(QuantizedModel q) {
        q.enableCalibratedActivationQuantizers();
        try (NDManager m = q.student().manager().newSubManager()) {
            return q.forward(CALIBRATION.batch(m, 0, 16)).toFloatArray();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"caching", "optimising"})
    void cancelledStepRollsBackAndARetryEqualsACleanStep(String when) {
        float[] clean;
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, config())) {
            Reconstruction r = new Reconstruction(t, q, CALIBRATION);
            r.step();
            r.step();
            clean = logits(q);
        }
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, config())) {
            Cancellation token = new Cancellation();
            Reconstruction r = new Reconstruction(t, q, CALIBRATION).withCancellation(token);
            r.step();
            float[] afterOne = logits(q);
            Unit unit = q.units().get(1);
            List<Boolean> switches = q.layers().values().stream().map(QuantLayer::actQuantEnabled).toList();
            boolean[] fired = {false};
            HookHandle hook = null;
            if (when.equals("caching")) {
                hook = unit.module().addForwardHook((m, in, out) -> token.request());
            } else {
                r.addListener(new ReconstructionListener() {
                    @Override
                    public void onIteration(Unit u, int iteration, int total, float rec, float round) {
                        if (iteration == 5 && !fired[0]) {
                            fired[0] = true;
                            token.request();
                        }
                    }
                });
            }
            assertThrows(Cancellation.CancelledException.class, r::step);
            if (hook != null) {
                hook.close();
            }
            token.clear();
            assertEquals(1, r.position(), "the cancelled unit stays next");
            for (ActivationQuantizer a : unit.activationQuantizers()) {
                assertFalse(a.isInitialized(), when + ": " + a + " kept a step size from the cancelled step");
            }
            for (WeightQuantizer w : unit.weightQuantizers()) {
                assertEquals(WeightQuantizer.Mode.HARD, w.mode());
            }
            assertEquals(switches, q.layers().values().stream().map(QuantLayer::actQuantEnabled).toList());
            assertArrayEquals(afterOne, logits(q), when + ": the model changed");
            r.step();
            assertArrayEquals(clean, logits(q), when + ": the retried step differs from a clean one");
        }
    }
}
