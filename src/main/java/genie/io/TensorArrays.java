package genie.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts between DJL arrays and {@link TensorData}, the bridge between the engine and the file format. */
public final class TensorArrays {
    private TensorArrays() {}

    /** An array's values as safetensors bytes (F32, F64, F16, I64, I32, I8, U8, BOOL). */
    public static TensorData toTensor(NDArray a) {
        String dtype = switch (a.getDataType()) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case FLOAT16 -> "F16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOLEAN -> "BOOL";
            default -> throw new IllegalArgumentException("cannot save dtype " + a.getDataType() + " in safetensors");
        };
        ByteBuffer bb = a.toByteBuffer();
        byte[] bytes = new byte[bb.remaining()];
        bb.get(bytes);
        return new TensorData(dtype, a.getShape().getShape(), bytes);
    }

    /**
     * A torch-owned array in {@code manager} holding {@code t}. BF16 arrives as FLOAT32 and I16, U16, U32, U64 as
     * INT64: DJL's PyTorch engine aborts the JVM (libtorch terminate) converting BFLOAT16 or INT16 arrays, and
     * has no unsigned types beyond UINT8, so those are widened here in Java instead.
     */
    public static NDArray toArray(NDManager manager, TensorData t) {
        DataType type;
        byte[] data = t.data();
        switch (Dtype.of(t.dtype())) {
            case F32 -> type = DataType.FLOAT32;
            case F64 -> type = DataType.FLOAT64;
            case F16 -> type = DataType.FLOAT16;
            case BF16 -> {
                type = DataType.FLOAT32;
                data = TensorData.f32(t.floats(), t.shape()).data();
            }
            case I64 -> type = DataType.INT64;
            case I32 -> type = DataType.INT32;
            case I8 -> type = DataType.INT8;
            case U8 -> type = DataType.UINT8;
            case BOOL -> type = DataType.BOOLEAN;
            default -> {
                type = DataType.INT64;
                data = TensorData.i64(t.longs(), t.shape()).data();
            }
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(data.length).order(ByteOrder.nativeOrder());
        buf.put(data).flip();
        try (NDManager tmp = manager.newSubManager()) {
            // create() may alias the JVM buffer; the duplicate is torch's own memory and outlives it.
            NDArray copy = tmp.create(buf, new Shape(t.shape()), type).duplicate();
            copy.attach(manager);
            return copy;
        }
    }
}
