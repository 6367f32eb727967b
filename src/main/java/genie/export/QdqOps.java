package genie.export;

import ai.djl.ndarray.NDArray;
import genie.nn.Conv2d;
import genie.nn.Linear;
import genie.nn.Pooling;
import genie.quant.ActivationQuantizer;
import genie.quant.QuantLayer;
import genie.quant.WeightQuantizer;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake-quantized layer as QDQ operators, computing exactly what the fake-quantizers compute.
 *
 * <p>Input activation: {@code QuantizeLinear} (scale = the step, zero point 0, int8 when signed else uint8), a
 * {@code Clip} in the integer domain to [qmin, qmax] when the bits are below 8, then {@code DequantizeLinear}:
 * {@code clip(round(x / s), qmin, qmax) * s}, the fake-quantizer's formula with the same half-to-even rounding.
 * Consumers of one tensor share one quantizer, so they share one Q/DQ pair.
 *
 * <p>Weight: its integer codes in [0, 2^b - 1] stored as uint8 with per-output-channel scale and zero point, and a
 * {@code DequantizeLinear} on axis 0: {@code (code - zp) * scale}, the fake-quantized weight. The Q of a constant
 * is done here once, as ONNX Runtime's own quantizer stores weights. A zero point outside [0, 255] (a channel whose
 * weights all share one sign) stores {@code code - zp} as int32 with zero point 0 instead.
 */
final class QdqOps {
    private final OnnxGraph g;
    private final FloatOps floats;
    private final Map<ActivationQuantizer, Map<String, String>> quantized = new IdentityHashMap<>();
    private int weights;
    private int activations;

    QdqOps(OnnxGraph g, FloatOps floats) {
        this.g = g;
        this.floats = floats;
    }

    String layer(QuantLayer l, String x) {
        String name = l.layerName();
        String in = l.actQuantEnabled() && l.inputQuantizer() != null && l.inputQuantizer().isInitialized()
                ? activation(l.inputQuantizer(), x) : x;
        if (l.original() instanceof Pooling.Identity) {
            return in;
        }
        String w = weight(l.weightQuantizer(), name, FloatOps.dims(l.floatWeight()));
        if (l.original() instanceof Conv2d c) {
            return floats.conv(c, name, in, w);
        }
        if (l.original() instanceof Linear lin) {
            return floats.gemm(lin, name, in, w);
        }
        throw new IllegalArgumentException("cannot export quantized " + l.original().typeName() + " " + name);
    }

    int quantizedWeights() {
        return weights;
    }

    int quantizedActivations() {
        return activations;
    }

    private String activation(ActivationQuantizer a, String x) {
        Map<String, String> done = quantized.computeIfAbsent(a, k -> new java.util.HashMap<>());
        String cached = done.get(x);
        if (cached != null) {
            return cached;
        }
        String hint = a.owner() + ".input";
        int type = a.signed() ? OnnxWire.INT8 : OnnxWire.UINT8;
        String scale = g.floats(hint + ".scale", new float[] {a.step()});
        String zp = g.bytes(hint + ".zero_point", type, new byte[] {0});
        String q = g.node("QuantizeLinear", hint, List.of(x, scale, zp));
        if (a.bits() < 8) {
            q = g.node("Clip", hint, List.of(q, g.bytes(hint + ".qmin", type, new byte[] {(byte) a.qn()}),
                    g.bytes(hint + ".qmax", type, new byte[] {(byte) a.qp()})));
        }
        String dq = g.node("DequantizeLinear", hint, List.of(q, scale, zp));
        done.put(x, dq);
        activations++;
        return dq;
    }

    private String weight(WeightQuantizer w, String name, long[] dims) {
        float[] codes;
        try (var tmp = w.scale().getManager().newSubManager()) {
            NDArray c = w.integerWeights();
            c.attach(tmp);
            codes = FloatOps.floats(c);
        }
        float[] scale = FloatOps.floats(w.scale());
        float[] zp = FloatOps.floats(w.zeroPoint());
        String s = g.floats(name + ".weight_scale", scale, scale.length);
        weights++;
        if (allIn(zp, 0, 255)) {
            String z = g.bytes(name + ".weight_zero_point", OnnxWire.UINT8, toBytes(zp), zp.length);
            String q = g.bytes(name + ".weight_int", OnnxWire.UINT8, toBytes(codes), dims);
            return g.node("DequantizeLinear", name + ".weight", List.of(q, s, z), OnnxGraph.intAttr("axis", 0));
        }
        int perChannel = codes.length / zp.length;
        int[] centred = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            centred[i] = Math.round(codes[i] - zp[i / perChannel]);
        }
        String q = g.ints32(name + ".weight_int", centred, dims);
        String z = g.ints32(name + ".weight_zero_point", new int[zp.length], zp.length);
        return g.node("DequantizeLinear", name + ".weight", List.of(q, s, z), OnnxGraph.intAttr("axis", 0));
    }

    private static boolean allIn(float[] v, float lo, float hi) {
        for (float x : v) {
            if (x < lo || x > hi) {
                return false;
            }
        }
        return true;
    }

    private static byte[] toBytes(float[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) Math.round(v[i]);
        }
        return b;
    }
}
