package genie.export;

import genie.nn.Composite;
import genie.nn.Flow;
import genie.nn.Model;
import genie.nn.Module;
import genie.quant.QuantLayer;
import genie.quant.QuantizedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX export of a float or fake-quantized model. The exporter walks the model's own {@link Flow} with tensor
 * names instead of tensors, so the graph has exactly the forward pass's structure; leaf modules become ONNX
 * operators ({@link FloatOps}) and quantized layers QDQ operators ({@link QdqOps}).
 *
 * <p>BatchNorm is kept as {@code BatchNormalization}, not folded: Genie-M quantizes the raw convolution weights, so
 * the graph stores exactly those codes (ONNX Runtime folds BatchNorm itself where it can). Inputs are in model input
 * space (normalised, as {@code genie eval} feeds the model), named {@value #INPUT}, shape [batch, C, H, W]; outputs
 * are logits named {@value #OUTPUT}, [batch, classes]; batch is a symbolic dimension.
 */
public final class OnnxExport {
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";

    private OnnxExport() {}

    /** What was written: the file, node counts per operator, quantized weights and activation tensors. */
    public record Summary(Path file, Map<String, Integer> ops, int quantizedWeights, int quantizedActivations,
            long bytes) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s: %d QuantizeLinear, %d DequantizeLinear, %d quantized "
                    + "weights, %d quantized activations, %.1f KB", file, ops.getOrDefault("QuantizeLinear", 0),
                    ops.getOrDefault("DequantizeLinear", 0), quantizedWeights, quantizedActivations, bytes / 1024.0);
        }
    }

    /** The quantized model as a QDQ graph, quantizers as they are now (calibrated ones enabled). */
    public static Summary write(QuantizedModel q, Path out) throws IOException {
        q.enableCalibratedActivationQuantizers();
        return write(q.student(), out, "quantized (QDQ)");
    }

    /** A float model. */
    public static Summary write(Model m, Path out) throws IOException {
        return write(m, out, "float32");
    }

    private static Summary write(Model m, Path out, String kind) throws IOException {
        OnnxGraph g = new OnnxGraph();
        Walker w = new Walker(g, m.net());
        String logits = w.call(m.net(), INPUT);
        g.named("Identity", OUTPUT, List.of(logits));
        int[] s = m.inputShape();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("genie.model", m.spec().name());
        meta.put("genie.kind", kind);
        meta.put("genie.input", "model input space: (pixel * pixel_scale - mean) / std, as in the model spec");
        byte[] bytes = g.model(m.spec().name(), INPUT, new long[] {s[0], s[1], s[2]}, OUTPUT,
                new long[] {m.spec().numClasses()}, meta, "Genie for Java export of " + m.spec().name() + ", " + kind
                        + "; BatchNorm kept, input in model space");
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(out, bytes);
        return new Summary(out, g.opCounts(), w.qdq.quantizedWeights(), w.qdq.quantizedActivations(), bytes.length);
    }

    /** The model's flow over value names: composites recurse, leaves become operators. */
    private static final class Walker implements Flow<String> {
        private final OnnxGraph g;
        private final FloatOps floats;
        private final QdqOps qdq;
        private final Map<Module, String> names = new IdentityHashMap<>();

        Walker(OnnxGraph g, Module root) {
            this.g = g;
            this.floats = new FloatOps(g);
            this.qdq = new QdqOps(g, floats);
            root.namedModules().forEach((k, v) -> names.putIfAbsent(v, k));
        }

        @Override
        public String call(Module m, String x) {
            if (m instanceof Composite c) {
                return c.flow(this, x);
            }
            if (m instanceof QuantLayer l) {
                return qdq.layer(l, x);
            }
            return floats.leaf(m, names.getOrDefault(m, m.typeName()), x);
        }

        @Override
        public String add(String a, String b) {
            return g.node("Add", a, List.of(a, b));
        }

        @Override
        public String flatten(String x) {
            return g.node("Flatten", x, List.of(x), OnnxGraph.intAttr("axis", 1));
        }

        @Override
        public String globalAverage(String x) {
            return flatten(g.node("GlobalAveragePool", x, List.of(x)));
        }
    }
}
