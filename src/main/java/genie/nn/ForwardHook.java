package genie.nn;

import ai.djl.ndarray.NDArray;

/** Observes a module's input and output after its forward pass (PyTorch's forward hook). */
@FunctionalInterface
public interface ForwardHook {
    void afterForward(Module module, NDArray input, NDArray output);
}
