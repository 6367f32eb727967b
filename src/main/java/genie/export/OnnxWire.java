package genie.export;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The protobuf messages of {@code onnx.proto} (onnx/onnx.proto, proto2), written with protobuf-java's
 * {@link CodedOutputStream} against the schema's field numbers. No Java binding of onnx.proto is published, and
 * an export writes only a few messages, so the numbers are listed here once; ONNX Runtime reading the files is the
 * test that they are right. Repeated scalars are written unpacked, which every proto2 parser accepts.
 */
final class OnnxWire {
    private OnnxWire() {}

    // ModelProto
    static final int MODEL_IR_VERSION = 1;
    static final int MODEL_PRODUCER_NAME = 2;
    static final int MODEL_PRODUCER_VERSION = 3;
    static final int MODEL_DOC_STRING = 6;
    static final int MODEL_GRAPH = 7;
    static final int MODEL_OPSET_IMPORT = 8;
    static final int MODEL_METADATA_PROPS = 14;
    // OperatorSetIdProto
    static final int OPSET_DOMAIN = 1;
    static final int OPSET_VERSION = 2;
    // StringStringEntryProto
    static final int ENTRY_KEY = 1;
    static final int ENTRY_VALUE = 2;
    // GraphProto
    static final int GRAPH_NODE = 1;
    static final int GRAPH_NAME = 2;
    static final int GRAPH_INITIALIZER = 5;
    static final int GRAPH_INPUT = 11;
    static final int GRAPH_OUTPUT = 12;
    // NodeProto
    static final int NODE_INPUT = 1;
    static final int NODE_OUTPUT = 2;
    static final int NODE_NAME = 3;
    static final int NODE_OP_TYPE = 4;
    static final int NODE_ATTRIBUTE = 5;
    // AttributeProto and its AttributeType values
    static final int ATTR_NAME = 1;
    static final int ATTR_F = 2;
    static final int ATTR_I = 3;
    static final int ATTR_INTS = 8;
    static final int ATTR_TYPE = 20;
    static final int ATTR_TYPE_FLOAT = 1;
    static final int ATTR_TYPE_INT = 2;
    static final int ATTR_TYPE_INTS = 7;
    // TensorProto and its DataType values
    static final int TENSOR_DIMS = 1;
    static final int TENSOR_DATA_TYPE = 2;
    static final int TENSOR_NAME = 8;
    static final int TENSOR_RAW_DATA = 9;
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT32 = 6;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    static final int VALUE_INFO_NAME = 1;
    static final int VALUE_INFO_TYPE = 2;
    static final int TYPE_TENSOR_TYPE = 1;
    static final int TENSOR_TYPE_ELEM_TYPE = 1;
    static final int TENSOR_TYPE_SHAPE = 2;
    static final int SHAPE_DIM = 1;
    static final int DIM_VALUE = 1;
    static final int DIM_PARAM = 2;

    /** One message being written; nested messages are written as length-delimited bytes. */
    static final class Msg {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

        Msg str(int field, String v) {
            return write(() -> out.writeString(field, v));
        }

        Msg i64(int field, long v) {
            return write(() -> out.writeInt64(field, v));
        }

        Msg f32(int field, float v) {
            return write(() -> out.writeFloat(field, v));
        }

        Msg raw(int field, byte[] v) {
            return write(() -> out.writeByteArray(field, v));
        }

        Msg msg(int field, Msg m) {
            return raw(field, m.bytes());
        }

        byte[] bytes() {
            write(out::flush);
            return buf.toByteArray();
        }

        private Msg write(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // an in-memory buffer does not fail
            }
            return this;
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
