package genie.nn;

import ai.djl.ndarray.NDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A PyTorch-style module over DJL NDArrays: named children, parameters and buffers, forward hooks, and
 * replacement by dotted name.
 *
 * <p>Forward passes look children up by name at call time ({@link #child}), so {@link #replace} takes effect
 * immediately: Genie-D swaps strided convolutions for swing convolutions and Genie-M swaps Conv2d/Linear for
 * quantized layers without rebuilding the model.
 */
public abstract class Module {
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private final List<ForwardHook> hooks = new CopyOnWriteArrayList<>();
    private final List<ForwardPreHook> preHooks = new CopyOnWriteArrayList<>();
    private boolean training;

    /** Runs its forward pre-hooks, the module, then its forward hooks (input and output). */
    public final NDArray forward(NDArray x) {
        for (ForwardPreHook hook : preHooks) {
            hook.beforeForward(this, x);
        }
        NDArray y = forwardImpl(x);
        for (ForwardHook hook : hooks) {
            hook.afterForward(this, x, y);
        }
        return y;
    }

    protected abstract NDArray forwardImpl(NDArray x);

    /** The PyTorch class name this module stands for ({@code Conv2d}, {@code BasicBlock}, ...). */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** One-line description of the constructor arguments, as PyTorch's {@code extra_repr}. */
    public String extraRepr() {
        return "";
    }

    protected final <M extends Module> M register(String name, M child) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("child name must be non-empty without dots: '" + name + "'");
        }
        children.put(name, child);
        return child;
    }

    protected final NDArray registerParameter(String name, NDArray value) {
        parameters.put(name, value);
        return value;
    }

    protected final NDArray registerBuffer(String name, NDArray value) {
        buffers.put(name, value);
        return value;
    }

    /** A direct child, by its local name. */
    public final Module child(String name) {
        Module m = children.get(name);
        if (m == null) {
            throw new IllegalArgumentException(typeName() + " has no child '" + name + "'; children: "
                    + children.keySet());
        }
        return m;
    }

    public final boolean hasChild(String name) {
        return children.containsKey(name);
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    public final NDArray parameter(String name) {
        NDArray p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException(typeName() + " has no parameter '" + name + "'");
        }
        return p;
    }

    public final Map<String, NDArray> localParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public final Map<String, NDArray> localBuffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /**
     * Puts {@code value} in place of the parameter or buffer at a dotted state-dict key ({@code layer1.0.bn1.weight})
     * and closes the tensor it replaces (used when loading or copying weights).
     */
    final void replaceTensor(String key, NDArray value) {
        int dot = key.lastIndexOf('.');
        Module owner = get(dot < 0 ? "" : key.substring(0, dot));
        String name = key.substring(dot + 1);
        NDArray old;
        if (owner.parameters.containsKey(name)) {
            old = owner.parameters.put(name, value);
        } else if (owner.buffers.containsKey(name)) {
            old = owner.buffers.put(name, value);
        } else {
            throw new IllegalArgumentException(owner.typeName() + " has no tensor '" + name + "'");
        }
        old.close();
    }

    /** Every module under this one, this one first, in registration order (PyTorch's {@code named_modules}). */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collect("", this, out);
        return out;
    }

    private static void collect(String prefix, Module m, Map<String, Module> out) {
        out.put(prefix, m);
        for (Map.Entry<String, Module> e : m.children.entrySet()) {
            collect(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
        }
    }

    /** Parameters and buffers by dotted name, in PyTorch's {@code state_dict} order. */
    public final Map<String, NDArray> stateDict() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            e.getValue().parameters.forEach((k, v) -> out.put(prefix + k, v));
            e.getValue().buffers.forEach((k, v) -> out.put(prefix + k, v));
        }
        return out;
    }

    /** Learnable parameters by dotted name. */
    public final Map<String, NDArray> namedParameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            e.getValue().parameters.forEach((k, v) -> out.put(prefix + k, v));
        }
        return out;
    }

    /** The module at a dotted path ({@code layer2.0.conv1}); a clear error with close names if absent. */
    public final Module get(String path) {
        if (path.isEmpty()) {
            return this;
        }
        Module m = this;
        for (String part : path.split("\\.")) {
            Module next = m.children.get(part);
            if (next == null) {
                throw new UnknownModuleException(path, namedModules().keySet());
            }
            m = next;
        }
        return m;
    }

    /** Replaces the module at a dotted path and returns the old one. */
    public final Module replace(String path, Module replacement) {
        int dot = path.lastIndexOf('.');
        Module parent = dot < 0 ? this : get(path.substring(0, dot));
        String local = path.substring(dot + 1);
        if (!parent.children.containsKey(local)) {
            throw new UnknownModuleException(path, namedModules().keySet());
        }
        return parent.children.put(local, replacement);
    }

    /** Adds a hook called after every forward of this module; close the handle to remove it. */
    public final HookHandle addForwardHook(ForwardHook hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Registers a hook that sees the input before every forward pass; closing the handle removes it. */
    public final HookHandle addForwardPreHook(ForwardPreHook hook) {
        preHooks.add(hook);
        return () -> preHooks.remove(hook);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Sets training mode on this module and all below it (BatchNorm uses batch statistics in training). */
    public final Module train(boolean on) {
        for (Module m : namedModules().values()) {
            m.training = on;
        }
        return this;
    }

    public final Module eval() {
        return train(false);
    }

    /** Pretty tree like PyTorch's {@code print(model)}. */
    public final String describe() {
        StringBuilder sb = new StringBuilder();
        describe(sb, "", "");
        return sb.toString();
    }

    private void describe(StringBuilder sb, String indent, String name) {
        sb.append(indent).append(name.isEmpty() ? "" : "(" + name + "): ").append(typeName())
                .append('(').append(extraRepr()).append(')').append('\n');
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().describe(sb, indent + "  ", e.getKey());
        }
    }

    @Override
    public String toString() {
        return typeName() + "(" + extraRepr() + ")";
    }

    /** Modules of a given type under this one, by dotted name. */
    public final <T extends Module> Map<String, T> modulesOfType(Class<T> type) {
        Map<String, T> out = new LinkedHashMap<>();
        namedModules().forEach((k, v) -> {
            if (type.isInstance(v)) {
                out.put(k, type.cast(v));
            }
        });
        return out;
    }
}
