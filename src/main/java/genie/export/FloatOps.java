package genie.export;

import ai.djl.ndarray.NDArray;
import genie.nn.Activations;
import genie.nn.BatchNorm2d;
import genie.nn.Conv2d;
import genie.nn.Linear;
import genie.nn.Module;
import genie.nn.Pooling;

import java.util.ArrayList;
import java.util.List;

/** The float leaf modules as ONNX operators, one case per module type. */
final class FloatOps {
    private final OnnxGraph g;

    FloatOps(OnnxGraph g) {
        this.g = g;
    }

    /** A leaf module on value {@code x}; {@code name} is its module path. */
    String leaf(Module m, String name, String x) {
        if (m instanceof Conv2d c) {
            return conv(c, name, x, g.floats(name + ".weight", floats(c.weight()), dims(c.weight())));
        }
        if (m instanceof Linear l) {
            return gemm(l, name, x, g.floats(name + ".weight", floats(l.weight()), dims(l.weight())));
        }
        if (m instanceof BatchNorm2d bn) {
            return batchNorm(bn, name, x);
        }
        if (m instanceof Activations.ReLU) {
            return g.node("Relu", name, List.of(x));
        }
        if (m instanceof Activations.ReLU6) {
            return g.node("Clip", name, List.of(x, g.floats(name + ".min", new float[] {0f}),
                    g.floats(name + ".max", new float[] {6f})));
        }
        if (m instanceof Activations.LeakyReLU r) {
            return g.node("LeakyRelu", name, List.of(x), OnnxGraph.floatAttr("alpha", r.slope));
        }
        if (m instanceof Activations.Tanh) {
            return g.node("Tanh", name, List.of(x));
        }
        if (m instanceof Pooling.MaxPool2d p) {
            return g.node("MaxPool", name, List.of(x), OnnxGraph.intsAttr("kernel_shape", p.kernel, p.kernel),
                    OnnxGraph.intsAttr("strides", p.stride, p.stride), pads(p.padding));
        }
        if (m instanceof Pooling.AvgPool2d p) {
            return g.node("AveragePool", name, List.of(x), OnnxGraph.intsAttr("kernel_shape", p.kernel, p.kernel),
                    OnnxGraph.intsAttr("strides", p.stride, p.stride), pads(p.padding),
                    OnnxGraph.intAttr("count_include_pad", 1));
        }
        if (m instanceof Pooling.AdaptiveAvgPool2d) {
            return g.node("GlobalAveragePool", name, List.of(x));
        }
        if (m instanceof Pooling.Flatten) {
            return g.node("Flatten", name, List.of(x), OnnxGraph.intAttr("axis", 1));
        }
        if (m instanceof Pooling.Dropout || m instanceof Pooling.Identity) {
            return x; // inference: both pass the tensor through
        }
        throw new IllegalArgumentException("cannot export module " + name + " (" + m.typeName() + ") to ONNX: no "
                + "ONNX form is defined for it in genie.export.FloatOps");
    }

    /** A convolution with this module's geometry and a given weight value (float or dequantized). */
    String conv(Conv2d c, String name, String x, String weight) {
        List<String> in = new ArrayList<>(List.of(x, weight));
        if (c.hasBias) {
            in.add(g.floats(name + ".bias", floats(c.bias()), c.outChannels));
        }
        return g.node("Conv", name, in, OnnxGraph.intsAttr("kernel_shape", c.kernel, c.kernel),
                OnnxGraph.intsAttr("strides", c.stride, c.stride), pads(c.padding),
                OnnxGraph.intsAttr("dilations", c.dilation, c.dilation), OnnxGraph.intAttr("group", c.groups));
    }

    /** {@code x W^T + b} with a given weight value [out, in]. */
    String gemm(Linear l, String name, String x, String weight) {
        List<String> in = new ArrayList<>(List.of(x, weight));
        if (l.hasBias) {
            in.add(g.floats(name + ".bias", floats(l.bias()), l.outFeatures));
        }
        return g.node("Gemm", name, in, OnnxGraph.intAttr("transB", 1));
    }

    private String batchNorm(BatchNorm2d bn, String name, String x) {
        float[] gamma = bn.affine ? floats(bn.gamma()) : filled(bn.channels, 1f);
        float[] beta = bn.affine ? floats(bn.beta()) : filled(bn.channels, 0f);
        return g.node("BatchNormalization", name, List.of(x, g.floats(name + ".weight", gamma, bn.channels),
                g.floats(name + ".bias", beta, bn.channels),
                g.floats(name + ".running_mean", floats(bn.runningMean()), bn.channels),
                g.floats(name + ".running_var", floats(bn.runningVar()), bn.channels)),
                OnnxGraph.floatAttr("epsilon", bn.eps));
    }

    private static OnnxWire.Msg pads(int p) {
        return OnnxGraph.intsAttr("pads", p, p, p, p);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static float[] floats(NDArray a) {
        return a.stopGradient().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }

    static long[] dims(NDArray a) {
        return a.getShape().getShape();
    }
}
