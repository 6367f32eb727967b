package genie.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Loops run each iteration inside an {@link NDScope} that frees every array created in it, whatever manager
 * the array landed in (DJL puts an op's result in its first operand's manager, often a long-lived one).
 * Arrays meant to outlive the iteration (lazily created state) must be kept explicitly.
 */
public final class Scopes {
    private Scopes() {}

    /** Exempts an array created inside the current scope from being freed when the scope closes. */
    public static NDArray keep(NDArray a) {
        NDScope.unregister(a);
        return a;
    }
}
