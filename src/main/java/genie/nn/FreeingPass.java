package genie.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Forward passes under a module that free each submodule's intermediate tensors as soon as it returns, keeping only
 * its output: without it, an {@link NDScope} around a pass holds every activation of the pass until the pass ends,
 * which for a deep prefix on a slice of 224x224 images is gigabytes. For passes without autograd only (a backward
 * needs the intermediates). Hooks for the duration of a try-with-resources block; the numbers are the same.
 */
public final class FreeingPass implements AutoCloseable {
    private final List<HookHandle> hooks = new ArrayList<>();
    private final Deque<NDScope> open = new ArrayDeque<>(); // scopes of the modules running now, innermost first

    public FreeingPass(Module root) {
        for (Module m : root.namedModules().values()) {
            hooks.add(m.addForwardPreHook((mod, in) -> open.push(new NDScope())));
            hooks.add(m.addForwardHook((mod, in, out) -> {
                NDScope scope = open.pop();
                NDScope.unregister(out);
                scope.close();
                if (out != in) { // a module that hands its input on did not create it: it stays where it was
                    NDScope.register(out);
                }
            }));
        }
    }

    /**
     * Removes the hooks; a pass that ended early (an exception out of a module) leaves its modules' scopes open, so
     * they are closed here, all but {@code keep}, which go to the scope around the pass.
     */
    public void close(NDArray... keep) {
        hooks.forEach(HookHandle::close);
        while (!open.isEmpty()) {
            NDScope scope = open.pop();
            NDScope.unregister(keep);
            scope.close();
        }
        for (NDArray a : keep) {
            if (a != null) {
                NDScope.register(a);
            }
        }
    }

    @Override
    public void close() {
        close(new NDArray[0]);
    }
}
