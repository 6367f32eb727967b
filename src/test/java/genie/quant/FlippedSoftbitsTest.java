package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A softbit counts as flipped exactly where the hard code left round to nearest. */
class FlippedSoftbitsTest {
    @Test
    void noneAtInitialisationThenExactlyTheCodesThatMoved() {
        try (NDManager m = NDManager.newBaseManager()) {
            genie.util.Engines.seed(11);
            NDArray w = m.randomNormal(0f, 0.2f, new Shape(6, 3, 3, 3), DataType.FLOAT32);
            WeightQuantizer q = new WeightQuantizer(w, 3, m);
            for (boolean f : q.flippedSoftbits(w)) {
                assertTrue(!f, "softbits start at round to nearest");
            }
            float[] before = q.integerWeights().toFloatArray();
            q.softbitLogits().set(q.softbitLogits().neg().toFloatArray()); // every softbit rounds the other way
            q.invalidate();
            float[] after = q.integerWeights().toFloatArray();
            boolean[] flipped = q.flippedSoftbits(w);
            int moved = 0;
            for (int i = 0; i < after.length; i++) {
                boolean changed = before[i] != after[i];
                moved += changed ? 1 : 0;
                assertEquals(changed, flipped[i], "weight " + i);
            }
            assertTrue(moved > after.length / 2, "most codes move when every softbit flips, " + moved + " did");
        }
    }
}
