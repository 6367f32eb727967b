package genie.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static genie.export.OnnxWire.Msg;

/** A graph being built: nodes in execution order, constant initializers, and unique value names. */
final class OnnxGraph {
    /** ONNX opset 13: per-axis DequantizeLinear, integer Clip; read by every current ONNX Runtime. */
    static final int OPSET = 13;
    static final int IR_VERSION = 7;

    private final List<Msg> nodes = new ArrayList<>();
    private final List<Msg> initializers = new ArrayList<>();
    private final Map<String, Integer> used = new HashMap<>();
    private final Map<String, Integer> opCounts = new HashMap<>();

    /** A name not used before, readable from its hint (a module path). */
    String fresh(String hint) {
        String base = hint.isEmpty() ? "v" : hint;
        int n = used.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + (n - 1);
    }

    /** Adds a node and returns the name of its one output. */
    String node(String op, String nameHint, List<String> inputs, Msg... attributes) {
        return named(op, fresh(nameHint + "/" + op), inputs, attributes);
    }

    /** Adds a node whose output has a name given by the caller (the graph's output). */
    String named(String op, String out, List<String> inputs, Msg... attributes) {
        used.merge(out, 1, Integer::sum);
        Msg n = new Msg();
        inputs.forEach(i -> n.str(OnnxWire.NODE_INPUT, i));
        n.str(OnnxWire.NODE_OUTPUT, out).str(OnnxWire.NODE_NAME, out).str(OnnxWire.NODE_OP_TYPE, op);
        for (Msg a : attributes) {
            n.msg(OnnxWire.NODE_ATTRIBUTE, a);
        }
        nodes.add(n);
        opCounts.merge(op, 1, Integer::sum);
        return out;
    }

    /** How many nodes of each operator type the graph has. */
    Map<String, Integer> opCounts() {
        return Map.copyOf(opCounts);
    }

    String floats(String hint, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return constant(hint, OnnxWire.FLOAT, b.array(), dims);
    }

    String ints32(String hint, int[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return constant(hint, OnnxWire.INT32, b.array(), dims);
    }

    /** A constant of one-byte elements: {@link OnnxWire#INT8} or {@link OnnxWire#UINT8}. */
    String bytes(String hint, int type, byte[] v, long... dims) {
        return constant(hint, type, v.clone(), dims);
    }

    private String constant(String hint, int type, byte[] raw, long... dims) {
        String name = fresh(hint);
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(OnnxWire.TENSOR_DIMS, d);
        }
        t.i64(OnnxWire.TENSOR_DATA_TYPE, type).str(OnnxWire.TENSOR_NAME, name).raw(OnnxWire.TENSOR_RAW_DATA, raw);
        initializers.add(t);
        return name;
    }

    static Msg intAttr(String name, long v) {
        return new Msg().str(OnnxWire.ATTR_NAME, name).i64(OnnxWire.ATTR_I, v)
                .i64(OnnxWire.ATTR_TYPE, OnnxWire.ATTR_TYPE_INT);
    }

    static Msg intsAttr(String name, long... v) {
        Msg a = new Msg().str(OnnxWire.ATTR_NAME, name);
        for (long x : v) {
            a.i64(OnnxWire.ATTR_INTS, x);
        }
        return a.i64(OnnxWire.ATTR_TYPE, OnnxWire.ATTR_TYPE_INTS);
    }

    static Msg floatAttr(String name, float v) {
        return new Msg().str(OnnxWire.ATTR_NAME, name).f32(OnnxWire.ATTR_F, v)
                .i64(OnnxWire.ATTR_TYPE, OnnxWire.ATTR_TYPE_FLOAT);
    }

    /**
     * The whole model. The first dimension of input and output is the symbolic {@code batch}, so one file serves
     * any batch size.
     */
    byte[] model(String graphName, String input, long[] inputDims, String output, long[] outputDims,
            Map<String, String> metadata, String doc) {
        Msg g = new Msg();
        nodes.forEach(n -> g.msg(OnnxWire.GRAPH_NODE, n));
        g.str(OnnxWire.GRAPH_NAME, graphName);
        initializers.forEach(t -> g.msg(OnnxWire.GRAPH_INITIALIZER, t));
        g.msg(OnnxWire.GRAPH_INPUT, valueInfo(input, inputDims));
        g.msg(OnnxWire.GRAPH_OUTPUT, valueInfo(output, outputDims));
        Msg m = new Msg().i64(OnnxWire.MODEL_IR_VERSION, IR_VERSION).str(OnnxWire.MODEL_PRODUCER_NAME, "genie-java")
                .str(OnnxWire.MODEL_PRODUCER_VERSION, "0.1").str(OnnxWire.MODEL_DOC_STRING, doc)
                .msg(OnnxWire.MODEL_GRAPH, g)
                .msg(OnnxWire.MODEL_OPSET_IMPORT, new Msg().str(OnnxWire.OPSET_DOMAIN, "")
                        .i64(OnnxWire.OPSET_VERSION, OPSET));
        metadata.forEach((k, v) -> m.msg(OnnxWire.MODEL_METADATA_PROPS,
                new Msg().str(OnnxWire.ENTRY_KEY, k).str(OnnxWire.ENTRY_VALUE, v)));
        return m.bytes();
    }

    private static Msg valueInfo(String name, long[] dims) {
        Msg shape = new Msg();
        shape.msg(OnnxWire.SHAPE_DIM, new Msg().str(OnnxWire.DIM_PARAM, "batch"));
        for (long d : dims) {
            shape.msg(OnnxWire.SHAPE_DIM, new Msg().i64(OnnxWire.DIM_VALUE, d));
        }
        Msg tensor = new Msg().i64(OnnxWire.TENSOR_TYPE_ELEM_TYPE, OnnxWire.FLOAT).msg(OnnxWire.TENSOR_TYPE_SHAPE, shape);
        return new Msg().str(OnnxWire.VALUE_INFO_NAME, name)
                .msg(OnnxWire.VALUE_INFO_TYPE, new Msg().msg(OnnxWire.TYPE_TENSOR_TYPE, tensor));
    }
}
