package genie.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pass under {@link FreeingPass} frees each module's intermediates when it returns, with the same output. */
class FreeingPassTest {
    /** x -> 2x + 1, remembering its intermediate 2x. */
    static final class Affine extends Module {
        final List<NDArray> intermediates = new ArrayList<>();

        @Override
        protected NDArray forwardImpl(NDArray x) {
            NDArray doubled = x.mul(2f);
            intermediates.add(doubled);
            return doubled.add(1f);
        }
    }

    /** Hands its input on, as Identity does. */
    static final class PassOn extends Module {
        @Override
        protected NDArray forwardImpl(NDArray x) {
            return x;
        }
    }

    @Test
    void intermediatesAreFreedAsEachModuleReturnsAndTheOutputIsTheSame() {
        Affine a = new Affine();
        Affine b = new Affine();
        Sequential net = new Sequential(a, new PassOn(), b);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, 2f, 3f});
            float[] plain;
            try (NDScope s = new NDScope()) {
                plain = net.forward(x).toFloatArray();
                assertFalse(a.intermediates.get(0).isReleased(), "an NDScope alone holds intermediates to its end");
            }
            boolean[] firstFreedWhileSecondRan = {false};
            b.addForwardPreHook((mod, in) -> firstFreedWhileSecondRan[0] = a.intermediates.get(1).isReleased());
            try (NDScope s = new NDScope(); FreeingPass pass = new FreeingPass(net)) {
                NDArray out = net.forward(x);
                assertArrayEquals(plain, out.toFloatArray());
                assertTrue(firstFreedWhileSecondRan[0], "the first module's intermediate outlived it");
                assertTrue(b.intermediates.get(1).isReleased());
                assertFalse(x.isReleased(), "the pass's input belongs to its caller");
            }
        }
    }

    @Test
    void aPassEndedByAnExceptionKeepsWhatTheCallerAsksFor() {
        Affine a = new Affine();
        Affine b = new Affine();
        Sequential net = new Sequential(a, b);
        NDArray[] caught = new NDArray[1];
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f});
            try (NDScope s = new NDScope()) {
                FreeingPass pass = new FreeingPass(net);
                a.addForwardHook((mod, in, out) -> {
                    caught[0] = out;
                    throw new IllegalStateException("stop");
                });
                assertThrows(IllegalStateException.class, () -> net.forward(x));
                pass.close(caught[0]);
                assertFalse(caught[0].isReleased());
                assertArrayEquals(new float[] {3f}, caught[0].toFloatArray());
                assertTrue(a.intermediates.get(0).isReleased());
            }
            assertTrue(caught[0].isReleased(), "what was kept goes with the scope around the pass");
        }
    }
}
