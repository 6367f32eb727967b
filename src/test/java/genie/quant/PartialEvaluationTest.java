package genie.quant;

import ai.djl.ndarray.NDManager;
import genie.data.ImageSet;
import genie.nn.Model;
import genie.testing.TinyModels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evaluating between steps must not calibrate anything: evaluation data never reaches a step size. */
class PartialEvaluationTest {
    private static final ImageSet CALIBRATION = TinyModels.images(40, 1, 8, 8, 3, 5);
    // Another distribution than the calibration set, so a step size taken from it would show.
    private static final ImageSet EVALUATION = scaled(TinyModels.images(24, 1, 8, 8, 3, 11), 3f);

    private static ImageSet scaled(ImageSet s, float k) {
        float[] px = s.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] *= k;
        }
        return s;
    }

    private static QuantConfig config() {
        return QuantConfig.defaults().withBits(3, 4).withIterations(15).withBatch(8).withSeed(2);
    }

    private static float[] logits(QuantizedModel q) {
        q.enableCalibratedActivationQuantizers();
        try (NDManager m = q.student().manager().newSubManager()) {
            return q.forward(EVALUATION.batch(m, 0, EVALUATION.size())).toFloatArray();
        }
    }

    @Test
    void evaluateThenStepEqualsStepThenEvaluate() {
        float[] evalBetween;
        float[] evalAtEnd;
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, config())) {
            Reconstruction r = new Reconstruction(t, q, CALIBRATION);
            r.step();
            r.step();
            logits(q);
            Unit next = q.units().get(2);
            for (ActivationQuantizer a : next.activationQuantizers()) {
                assertFalse(a.isInitialized(), "evaluation initialised " + a + " of the next unit " + next.name());
            }
            r.run();
            evalBetween = logits(q);
        }
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, config())) {
            new Reconstruction(t, q, CALIBRATION).run();
            evalAtEnd = logits(q);
        }
        assertArrayEquals(evalAtEnd, evalBetween);
    }

    @Test
    void unitsNotYetReconstructedRunWithFloatInputs() {
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, config())) {
            Reconstruction r = new Reconstruction(t, q, CALIBRATION);
            r.step(); // conv1 (float input) only
            r.step(); // layer1.0
            logits(q);
            for (QuantLayer l : q.layers().values()) {
                boolean done = l.inputQuantizer() != null && l.inputQuantizer().isInitialized();
                assertEquals(done, l.actQuantEnabled(), l.layerName());
            }
            assertTrue(q.layer("layer1.0.conv1").actQuantEnabled());
            assertFalse(q.layer("layer2.0.conv1").actQuantEnabled());
        }
    }
}
