package genie.nn;

import ai.djl.ndarray.NDArray;

/** Sees a module's input before its forward pass (PyTorch's forward pre-hook). */
@FunctionalInterface
public interface ForwardPreHook {
    void beforeForward(Module module, NDArray input);
}
