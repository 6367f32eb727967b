package genie.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import genie.data.Normalization;
import genie.util.Engines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model ready to run: its spec, its module tree and the native memory that holds its weights.
 * Close it to free that memory.
 */
public final class Model implements AutoCloseable {
    private final ModelSpec spec;
    private final Module net;
    private final NDManager manager;

    private Model(ModelSpec spec, Module net, NDManager manager) {
        this.spec = spec;
        this.net = net;
        this.manager = manager;
    }

    /** A model with freshly initialised weights (seeded through {@link Engines#seed}). */
    public static Model create(ModelSpec spec, Device device) {
        NDManager m = Engines.manager(device);
        try {
            return new Model(spec, spec.build(m).eval(), m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Loads a built-in name or spec JSON with weights (null: the file named by the spec). */
    public static Model load(String nameOrSpec, Path weights, Device device) throws IOException {
        return load(ModelSpec.resolve(nameOrSpec), weights, device, List.of(), true);
    }

    public static Model load(ModelSpec spec, Path weights, Device device, List<StateDict.Rename> renames,
            boolean strict) throws IOException {
        Path w = weights != null ? weights : spec.weights();
        if (w == null) {
            w = spec.bundledWeights();
        }
        if (w == null) {
            throw new IllegalArgumentException("model " + spec.name() + " needs weights: pass --weights FILE.safetensors or FILE.pth");
        }
        Model model = create(spec, device);
        try {
            StateDict.load(model.net, w, renames, strict);
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** An independent copy with the same weights (the student that Genie-M quantizes). */
    public Model copy() {
        Model c = create(spec, manager.getDevice());
        for (var e : net.stateDict().entrySet()) {
            NDArray v = e.getValue().duplicate();
            v.attach(c.manager);
            c.net.replaceTensor(e.getKey(), v);
        }
        return c;
    }

    /** Logits for a batch in model input space. */
    public NDArray forward(NDArray x) {
        return net.forward(x);
    }

    public Module net() {
        return net;
    }

    public ModelSpec spec() {
        return spec;
    }

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    public int[] inputShape() {
        return spec.inputShape().clone();
    }

    public Normalization normalization() {
        return spec.norm();
    }

    public Module get(String name) {
        return net.get(name);
    }

    public void saveWeights(Path file) throws IOException {
        // A fixed order (Map.of iterates in a per-JVM random order), so saving the same weights gives the same bytes.
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("genie.model", spec.name());
        meta.put("format", "pt");
        StateDict.save(net, file, meta);
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "Model(" + spec.name() + ", " + net.namedParameters().values().stream()
                .mapToLong(a -> a.getShape().size()).sum() + " parameters, " + device() + ")";
    }
}
