package genie.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One tensor as safetensors stores it: a dtype name, a shape and the little-endian bytes. The constructor checks
 * that the three agree, so a writer can never produce a file whose header lies about its data.
 */
public record TensorData(String dtype, long[] shape, byte[] data) {
    public TensorData {
        Dtype t = Dtype.of(dtype);
        long count = elements(shape);
        if (count < 0 || data.length != count * t.bytes()) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape) + " needs "
                    + (count < 0 ? "a shape without negative sizes" : count * t.bytes() + " bytes") + ", got "
                    + data.length);
        }
    }

    /** Elements in {@code shape} (1 for a scalar), or -1 if a size is negative. */
    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public static TensorData f32(float[] v, long... shape) {
        return pack("F32", v.length, b -> b.asFloatBuffer().put(v), shape);
    }

    public static TensorData f64(double[] v, long... shape) {
        return pack("F64", v.length, b -> b.asDoubleBuffer().put(v), shape);
    }

    public static TensorData i64(long[] v, long... shape) {
        return pack("I64", v.length, b -> b.asLongBuffer().put(v), shape);
    }

    public static TensorData i32(int[] v, long... shape) {
        return pack("I32", v.length, b -> b.asIntBuffer().put(v), shape);
    }

    /** Signed bytes as I8, or the same bits as U8 (codes 0..255 stored in Java's signed byte). */
    public static TensorData bytes(byte[] v, boolean unsigned, long... shape) {
        return new TensorData(unsigned ? "U8" : "I8", shape, v.clone());
    }

    /** The values as floats: F32 exactly; F16, BF16 and F64 converted (F64 rounds). */
    public float[] floats() {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[data.length / Dtype.of(dtype).bytes()];
        switch (Dtype.of(dtype)) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble();
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(b.getShort() & 0xffff);
                }
            }
            default -> throw new IllegalStateException("a " + dtype + " tensor holds integers; read it with longs()");
        }
        return out;
    }

    /** The values as longs, from any integer dtype (U8 and U16/U32 as unsigned; U64 must fit a signed long). */
    public long[] longs() {
        Dtype t = Dtype.of(dtype);
        if (t.isFloating()) {
            throw new IllegalStateException("a " + dtype + " tensor holds floats; read it with floats()");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[data.length / t.bytes()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (t) {
                case BOOL, U8 -> b.get() & 0xffL;
                case I8 -> b.get();
                case I16 -> b.getShort();
                case U16 -> b.getShort() & 0xffffL;
                case I32 -> b.getInt();
                case U32 -> b.getInt() & 0xffff_ffffL;
                default -> b.getLong();
            };
            if (t == Dtype.U64 && out[i] < 0) {
                throw new IllegalStateException("U64 value at index " + i + " does not fit a signed long");
            }
        }
        return out;
    }

    // IEEE 754 binary16 (Float.float16ToFloat arrives only in Java 20).
    private static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero): mantissa times 2^-24, exact in float
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static TensorData pack(String dtype, long count, Consumer<ByteBuffer> fill, long[] shape) {
        long bytes = count * Dtype.of(dtype).bytes();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of " + bytes + " bytes is over the 2 GiB a tensor may hold here");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return new TensorData(dtype, shape, b.array());
    }
}
