package genie.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AdamTest {
    /** torch.optim.Adam written out in doubles for one scalar parameter. */
    private static double[] reference(double p0, double lr, int steps, java.util.function.DoubleUnaryOperator grad) {
        double p = p0;
        double m = 0;
        double v = 0;
        double[] trace = new double[steps];
        for (int t = 1; t <= steps; t++) {
            double g = grad.applyAsDouble(p);
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double denom = Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
            p -= lr / (1 - Math.pow(0.9, t)) * m / denom;
            trace[t - 1] = p;
        }
        return trace;
    }

    @Test
    void matchesPyTorchUpdateOnQuadratic() {
        try (NDManager m = NDManager.newBaseManager(); Adam adam = new Adam(m)) {
            NDArray p = m.create(new float[] {1f, -2f});
            p.setRequiresGradient(true);
            adam.addGroup("p", List.of(p), 0.1);
            double[] r0 = reference(1, 0.1, 50, x -> 2 * x);
            double[] r1 = reference(-2, 0.1, 50, x -> 2 * x);
            for (int t = 0; t < 50; t++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(p.square().sum());
                }
                adam.step();
                float[] got = p.toFloatArray();
                assertEquals(r0[t], got[0], 1e-5, "step " + (t + 1));
                assertEquals(r1[t], got[1], 1e-5, "step " + (t + 1));
            }
            // First step of Adam moves every coordinate by exactly lr against the gradient sign.
            assertEquals(50, adam.stepCount(p));
        }
    }

    @Test
    void firstStepIsLearningRateTimesSign() {
        try (NDManager m = NDManager.newBaseManager(); Adam adam = new Adam(m)) {
            NDArray a = m.create(new float[] {3f, -1f});
            NDArray b = m.create(new float[] {0.5f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            adam.addGroup("a", List.of(a), 0.01);
            adam.addGroup("b", List.of(b), 0.5);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(a.square().sum().add(b.mul(-3f).sum()));
            }
            adam.step();
            assertArrayEquals(new float[] {2.99f, -0.99f}, a.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1.0f}, b.toFloatArray(), 1e-6f);
            // gradients are zeroed after the step
            assertArrayEquals(new float[] {0f, 0f}, a.getGradient().toFloatArray());
        }
    }

    @Test
    void plateauReducesAfterPatienceAndStopsAtMin() {
        try (NDManager m = NDManager.newBaseManager(); Adam adam = new Adam(m)) {
            NDArray z = m.zeros(new ai.djl.ndarray.types.Shape(1));
            z.setRequiresGradient(true);
            Adam.Group g = adam.addGroup("z", List.of(z), 0.1);
            ReduceLrOnPlateau s = ReduceLrOnPlateau.of(g, 2, 1e-3);
            s.step(1.0); // best
            s.step(1.0);
            s.step(1.0);
            assertEquals(0.1, g.lr(), 1e-12, "two bad steps are within patience 2");
            s.step(1.0);
            assertEquals(0.01, g.lr(), 1e-12, "third bad step reduces");
            s.step(0.5); // improvement resets
            s.step(0.49996); // less than the 1e-4 relative threshold: not an improvement
            s.step(0.5);
            s.step(0.5);
            assertEquals(0.001, g.lr(), 1e-12);
            for (int i = 0; i < 10; i++) {
                s.step(0.5);
            }
            assertEquals(0.001, g.lr(), 1e-12, "min_lr holds");
        }
    }

    @Test
    void schedulesFollowPyTorchStepping() {
        assertEquals(0.01, Schedules.cosine(0.01, 0, 100, 0), 1e-15);
        assertEquals(0.005, Schedules.cosine(0.01, 0, 100, 50), 1e-12);
        assertEquals(0.0, Schedules.cosine(0.01, 0, 100, 100), 1e-15);
        assertEquals(0.01 * Math.pow(0.95, 40), Schedules.exponential(0.01, 0.95, 40), 1e-15);
    }
}
