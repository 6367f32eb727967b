package genie.quant;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.io.Safetensors;
import genie.io.TensorArrays;
import genie.io.TensorData;
import genie.nn.Model;
import genie.nn.ModelSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Integer export of a quantized model: per layer the integer weight codes (uint8, in [0, 2^b - 1]), per-channel
 * step sizes and zero points, the input activation step and signedness; every other tensor (biases, BatchNorm)
 * stays float. BatchNorm is kept, not folded, because Genie-M quantizes the raw convolution weights (folding
 * would change which weights the codes describe); a deployment can fold it per channel into the step sizes.
 *
 * <p>Dequantized weight = (code - zero_point) * scale, exactly what the fake-quantized model computes.
 * Files: {@code out.safetensors} (tensors) and {@code out.json} (manifest: model spec, placement, bits).
 */
public final class IntegerExport {
    public static final String FORMAT = "genie-int-export-1";
    private static final String FIX = "export the model again (genie quantize --out FILE.safetensors)";

    private IntegerExport() {}

    public static Path manifestPath(Path out) {
        String n = out.getFileName().toString();
        return out.resolveSibling((n.endsWith(".safetensors") ? n.substring(0, n.length() - 12) : n) + ".json");
    }

    public static void write(QuantizedModel q, Path out) throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        JsonObject manifest = new JsonObject();
        manifest.addProperty("format", FORMAT);
        manifest.addProperty("model", q.student().spec().name());
        manifest.addProperty("model_spec", q.student().spec().source());
        manifest.addProperty("bn", "kept (not folded): codes describe the raw convolution weights");
        manifest.addProperty("dequantize", "weight = (weight_int - weight_zero_point) * weight_scale; "
                + "input = clamp(round(x / input_scale), qmin, qmax) * input_scale");
        JsonArray layers = new JsonArray();
        Map<String, QuantLayer> ql = q.layers();
        Map<String, String> floatPrefix = new LinkedHashMap<>();
        for (LayerPlan p : q.placement()) {
            QuantLayer l = ql.get(p.name());
            JsonObject o = new JsonObject();
            o.addProperty("name", p.name());
            o.addProperty("type", p.type());
            o.addProperty("weight_bits", p.weightBits());
            o.addProperty("input_bits", p.inputBits());
            o.addProperty("input_owner", p.owner());
            o.addProperty("unit", p.unit());
            WeightQuantizer w = l.weightQuantizer();
            if (w != null) {
                try (NDManager tmp = w.scale().getManager().newSubManager()) {
                    NDArray codes = w.integerWeights();
                    codes.attach(tmp);
                    tensors.put(p.name() + ".weight_int", TensorArrays.toTensor(codes.toType(DataType.UINT8, false)));
                    tensors.put(p.name() + ".weight_scale", TensorArrays.toTensor(w.scale().stopGradient().flatten()));
                    tensors.put(p.name() + ".weight_zero_point", TensorArrays.toTensor(
                            w.zeroPoint().flatten().toType(DataType.INT32, false)));
                }
            }
            ActivationQuantizer a = l.inputQuantizer();
            if (a != null && a.isInitialized()) {
                o.addProperty("input_signed", a.signed());
                o.addProperty("input_scale", a.step());
                o.addProperty("input_qmin", a.qn());
                o.addProperty("input_qmax", a.qp());
            }
            layers.add(o);
            floatPrefix.put(p.name() + ".", p.name());
        }
        // Float tensors: everything in the student's state dict except the quantized weights themselves.
        Map<String, NDArray> sd = q.student().net().stateDict();
        for (Map.Entry<String, NDArray> e : sd.entrySet()) {
            String k = e.getKey().replace(".original.", ".");
            if (k.endsWith(".weight") && ql.containsKey(k.substring(0, k.length() - 7))) {
                continue;
            }
            tensors.put(k, TensorArrays.toTensor(e.getValue().stopGradient()));
        }
        manifest.add("layers", layers);
        Safetensors.write(out, tensors, Map.of("format", FORMAT));
        Files.writeString(manifestPath(out), new GsonBuilder().setPrettyPrinting().create().toJson(manifest));
    }

    /** Rebuilds a quantized model from an export and the model spec it was made from. */
    public static QuantizedModel load(Path file, ModelSpec spec, Device device) throws IOException {
        JsonObject manifest;
        try {
            manifest = JsonParser.parseString(Files.readString(manifestPath(file))).getAsJsonObject();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new java.nio.file.NoSuchFileException(manifestPath(file).toString(), null,
                    "the export's manifest must sit beside its .safetensors");
        }
        if (!manifest.has("format") || !FORMAT.equals(manifest.get("format").getAsString())) {
            throw new IOException(manifestPath(file) + " is not the manifest of a Genie integer export (format "
                    + FORMAT + "); export the model again (genie quantize --out FILE.safetensors)");
        }
        Map<String, TensorData> stored = Safetensors.readAll(file, FIX);
        Map<String, String> overrides = new LinkedHashMap<>();
        for (var el : manifest.getAsJsonArray("layers")) {
            JsonObject o = el.getAsJsonObject();
            int wb = o.get("weight_bits").getAsInt();
            int ab = o.get("input_bits").getAsInt();
            overrides.put(o.get("name").getAsString(), (wb > 0 ? "w" + wb : "") + (ab > 0 ? "a" + ab : "a-"));
        }
        try (Model base = Model.create(spec, device); NDManager tmp = base.manager().newSubManager()) {
            Map<String, NDArray> byName = new LinkedHashMap<>();
            stored.forEach((name, t) -> byName.put(name, TensorArrays.toArray(tmp, t)));
            // Float tensors go into the teacher-shaped model first; quantized weights get their dequantized value.
            for (Map.Entry<String, NDArray> e : base.net().stateDict().entrySet()) {
                String k = e.getKey();
                NDArray src = byName.get(k);
                if (src == null && k.endsWith(".weight")) {
                    String layer = k.substring(0, k.length() - 7);
                    NDArray codes = byName.get(layer + ".weight_int");
                    if (codes != null) {
                        src = dequantize(codes, byName.get(layer + ".weight_scale"), byName.get(layer + ".weight_zero_point"));
                    }
                }
                if (src == null) {
                    if (k.endsWith("num_batches_tracked")) {
                        continue;
                    }
                    throw new IOException(file + " lacks tensor " + k);
                }
                e.getValue().set(src.toType(e.getValue().getDataType(), false).toByteBuffer());
            }
            QuantConfig cfg = QuantConfig.builder().paperPreset(false).overrides(overrides).method(Method.RTN)
                    .build();
            QuantizedModel q = QuantizedModel.prepare(base, cfg);
            for (var el : manifest.getAsJsonArray("layers")) {
                JsonObject o = el.getAsJsonObject();
                QuantLayer l = q.layer(o.get("name").getAsString());
                if (l.weightQuantizer() != null) {
                    String n = o.get("name").getAsString();
                    l.weightQuantizer().loadCodes(byName.get(n + ".weight_int"), byName.get(n + ".weight_scale"),
                            byName.get(n + ".weight_zero_point"));
                }
                if (l.inputQuantizer() != null && o.has("input_scale")
                        && l.inputQuantizer().owner().equals(l.layerName())) {
                    l.inputQuantizer().restore(o.get("input_scale").getAsFloat(), o.get("input_signed").getAsBoolean());
                }
            }
            q.enableCalibratedActivationQuantizers();
            return q;
        }
    }

    private static NDArray dequantize(NDArray codes, NDArray scale, NDArray zp) {
        long out = codes.getShape().get(0);
        long[] cs = new long[codes.getShape().dimension()];
        java.util.Arrays.fill(cs, 1);
        cs[0] = out;
        ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(cs);
        return codes.toType(DataType.FLOAT32, false).sub(zp.toType(DataType.FLOAT32, false).reshape(s))
                .mul(scale.reshape(s));
    }
}
