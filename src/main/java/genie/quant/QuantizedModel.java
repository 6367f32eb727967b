package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import genie.nn.Conv2d;
import genie.nn.Linear;
import genie.nn.Model;
import genie.nn.Module;
import genie.nn.Pooling;
import genie.nn.ResidualBlock;
import genie.nn.UnknownModuleException;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake-quantized copy of a model: every Conv2d and Linear, and the Identity on each residual path, replaced
 * by a {@link QuantLayer}. Placement is explicit ({@link #placement()}): bits per layer and which layer owns
 * each shared input quantizer. The teacher is left untouched.
 */
public final class QuantizedModel implements AutoCloseable {
    private final Model student;
    private final QuantConfig config;
    private final Map<String, QuantLayer> layers = new LinkedHashMap<>();
    private final List<LayerPlan> placement = new ArrayList<>();
    private final List<Unit> units = new ArrayList<>();

    private QuantizedModel(Model student, QuantConfig config) {
        this.student = student;
        this.config = config;
    }

    /** Copies {@code teacher} and swaps in quantized layers as {@code config} places them. */
    public static QuantizedModel prepare(Model teacher, QuantConfig config) {
        Model student = teacher.copy();
        try {
            QuantizedModel q = new QuantizedModel(student, config);
            q.build();
            return q;
        } catch (RuntimeException e) {
            student.close();
            throw e;
        }
    }

    private void build() {
        Module net = student.net();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Module> e : net.namedModules().entrySet()) {
            Module m = e.getValue();
            if (m instanceof Conv2d || m instanceof Linear || m instanceof Pooling.Identity) {
                names.add(e.getKey());
            }
        }
        if (names.size() < 2) {
            throw new IllegalArgumentException("model " + student.spec().name() + " has fewer than two Conv2d/Linear"
                    + " layers; nothing sensible to quantize");
        }
        // Bits per layer: defaults, the paper's preset, then user overrides.
        Map<String, int[]> bits = new LinkedHashMap<>();
        for (String n : names) {
            boolean identity = net.get(n) instanceof Pooling.Identity;
            bits.put(n, new int[] {identity ? 0 : config.wbits(), config.abits()});
        }
        if (config.paperPreset()) {
            bits.get(names.get(0))[0] = 8; // the image is already 8-bit: keep the first layer's input float
            bits.get(names.get(0))[1] = 0;
            bits.get(names.get(1))[1] = 8; // BRECQ keeps the second layer's input at 8 bits
            String last = names.get(names.size() - 1);
            bits.get(last)[0] = 8;
            bits.get(last)[1] = 8;
        }
        BitOverrides overridden = BitOverrides.apply(config.overrides(), bits, names);
        Map<String, String> owners = traceSharedInputs(names);
        checkSharedInputBits(bits, owners, overridden);
        Map<String, String> unitOf = assignUnits(net);
        NDManager owner = student.manager();
        Map<String, ActivationQuantizer> byOwner = new LinkedHashMap<>();
        for (String n : names) {
            Module original = net.get(n);
            int[] b = bits.get(n);
            WeightQuantizer wq = original instanceof Pooling.Identity ? null
                    : new WeightQuantizer(original.parameter("weight"), b[0], owner);
            ActivationQuantizer aq = null;
            String own = "";
            if (b[1] > 0) {
                own = owners.getOrDefault(n, n);
                aq = byOwner.get(own);
                if (aq == null) {
                    int ownerBits = bits.get(own)[1] > 0 ? bits.get(own)[1] : b[1];
                    aq = new ActivationQuantizer(ownerBits, owner);
                    aq.setOwner(own);
                    byOwner.put(own, aq);
                }
            }
            QuantLayer ql = new QuantLayer(n, original, wq, aq);
            net.replace(n, ql);
            layers.put(n, ql);
            placement.add(new LayerPlan(n, original.typeName(), wq == null ? 0 : b[0], aq == null ? 0 : aq.bits(),
                    own, unitOf.getOrDefault(n, n)));
        }
        buildUnits(net, unitOf);
    }

    /**
     * Consumers of one tensor share its quantizer, so they cannot have different input bits. The owner's bits win
     * over defaults and the preset; an override that asks otherwise would be silently ignored, so it is an error.
     */
    private static void checkSharedInputBits(Map<String, int[]> bits, Map<String, String> owners, BitOverrides o) {
        for (Map.Entry<String, String> e : owners.entrySet()) {
            String n = e.getKey();
            String own = e.getValue();
            int mine = bits.get(n)[1];
            int theirs = bits.get(own)[1];
            String by = o.inputSetBy(n) != null ? o.inputSetBy(n) : o.inputSetBy(own);
            if (!n.equals(own) && mine != theirs && by != null) {
                throw new IllegalArgumentException("bit override '" + by + "' gives " + n + " input " + bitsName(mine)
                        + " but " + own + " input " + bitsName(theirs) + ": both read the same tensor through one"
                        + " input quantizer (owned by " + own + "); give them the same input bits, e.g. --override '"
                        + own + "=a" + (mine == 0 ? "-" : mine) + "' --override '" + n + "=a" + (mine == 0 ? "-" : mine)
                        + "'");
            }
        }
    }

    private static String bitsName(int a) {
        return a == 0 ? "float" : "A" + a;
    }

    /** Layers fed the very same tensor share one input quantizer, owned by the first to run. */
    private Map<String, String> traceSharedInputs(List<String> names) {
        Module net = student.net();
        Map<NDArray, String> firstSeen = new IdentityHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        List<genie.nn.HookHandle> handles = new ArrayList<>();
        for (String n : names) {
            handles.add(net.get(n).addForwardHook((mod, in, out) -> {
                String first = firstSeen.putIfAbsent(in, n);
                owners.put(n, first == null ? n : first);
            }));
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager tmp = student.manager().newSubManager()) {
            int[] s = student.inputShape();
            student.forward(tmp.zeros(new ai.djl.ndarray.types.Shape(1, s[0], s[1], s[2])));
        } finally {
            JniUtils.setGradMode(grad);
            handles.forEach(genie.nn.HookHandle::close);
        }
        return owners;
    }

    private Map<String, String> assignUnits(Module net) {
        Map<String, String> unitOf = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : net.namedModules().entrySet()) {
            if (e.getValue() instanceof ResidualBlock && config.method().blockWise
                    && unitOf.keySet().stream().noneMatch(k -> e.getKey().startsWith(k + "."))) {
                for (String inner : e.getValue().namedModules().keySet()) {
                    unitOf.putIfAbsent(inner.isEmpty() ? e.getKey() : e.getKey() + "." + inner, e.getKey());
                }
            }
        }
        return unitOf;
    }

    private void buildUnits(Module net, Map<String, String> unitOf) {
        Map<String, List<QuantLayer>> grouped = new LinkedHashMap<>();
        for (QuantLayer l : layers.values()) {
            String u = unitOf.getOrDefault(l.layerName(), l.layerName());
            if (!config.method().blockWise && l.weightQuantizer() == null) {
                // Layer-wise: the residual identity has no weights; its shared quantizer lives in its owner's unit.
                continue;
            }
            grouped.computeIfAbsent(u, k -> new ArrayList<>()).add(l);
        }
        int i = 0;
        for (Map.Entry<String, List<QuantLayer>> e : grouped.entrySet()) {
            units.add(new Unit(i++, e.getKey(), net.get(e.getKey()), List.copyOf(e.getValue())));
        }
    }

    public Model student() {
        return student;
    }

    public QuantConfig config() {
        return config;
    }

    public List<LayerPlan> placement() {
        return List.copyOf(placement);
    }

    public List<Unit> units() {
        return List.copyOf(units);
    }

    public Map<String, QuantLayer> layers() {
        return java.util.Collections.unmodifiableMap(layers);
    }

    public QuantLayer layer(String name) {
        QuantLayer l = layers.get(name);
        if (l == null) {
            throw new UnknownModuleException(name, layers.keySet());
        }
        return l;
    }

    /** Logits of the quantized model (activation quantization as currently enabled). */
    public NDArray forward(NDArray x) {
        return student.forward(x);
    }

    /**
     * Turns activation quantization on wherever it has been calibrated: everywhere once reconstruction is done, and
     * at any point before that for evaluation. A quantizer initialises itself from the first data it sees, so one
     * not yet calibrated stays off: the units not yet reconstructed run with round-to-nearest weights and float
     * inputs, and evaluation data never sets a step size that reconstruction would then keep.
     */
    public void enableCalibratedActivationQuantizers() {
        layers.values().forEach(l -> l.enableActQuant(l.inputQuantizer() != null && l.inputQuantizer().isInitialized()));
    }

    /** Placement as a fixed-width text table. */
    public String placementTable() {
        StringBuilder sb = new StringBuilder(String.format("%-28s %-9s %6s %6s  %-24s %s%n", "layer", "type", "w_bits",
                "a_bits", "input quantizer owner", "unit"));
        for (LayerPlan p : placement) {
            sb.append(String.format("%-28s %-9s %6s %6s  %-24s %s%n", p.name(), p.type(),
                    p.weightBits() == 0 ? "-" : Integer.toString(p.weightBits()),
                    p.inputBits() == 0 ? "float" : Integer.toString(p.inputBits()),
                    p.owner().isEmpty() ? "-" : (p.sharesInput() ? "shared: " + p.owner() : "own"), p.unit()));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        student.close();
    }
}
