package genie.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TensorsTest {
    @Test
    void ownedCopiesSurviveLaterCallsThatReuseTheScratchBuffer() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] a = {1f, 2f, 3f, 4f, 5f, 6f};
            NDArray first = Tensors.owned(m, a, new Shape(2, 3));
            a[0] = 99f; // the caller reuses its array, as QDrop does
            float[] big = new float[1000];
            java.util.Arrays.fill(big, -7f);
            NDArray second = Tensors.owned(m, big, new Shape(10, 100)); // grows and overwrites the scratch buffer
            NDArray third = Tensors.owned(m, a, new Shape(6));
            assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, first.toFloatArray());
            assertArrayEquals(big, second.toFloatArray());
            assertArrayEquals(a, third.toFloatArray());
            assertArrayEquals(new long[] {2, 3}, first.getShape().getShape());
            assertThrows(IllegalArgumentException.class, () -> Tensors.owned(m, a, new Shape(2, 2)));
        }
    }
}
