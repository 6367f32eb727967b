package genie.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tensors whose memory torch owns. DJL's {@code mul(Number)}, {@code div(Number)} and {@code pow(Number)} build
 * their scalar with {@code from_blob} over a direct ByteBuffer and close it at once; autograd keeps that tensor
 * for the backward pass, and once the JVM collects the buffer the backward pass reads freed memory (NaN losses,
 * run-to-run differences). Inside anything that is differentiated, use these instead.
 */
public final class Tensors {
    private Tensors() {}

    /** A 0-d tensor holding {@code value}, in {@code like}'s manager, dtype and device, allocated by torch. */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType(), like.getDevice());
    }

    // One direct buffer per thread, reused: DJL's create(float[]) allocates a fresh direct buffer per call, whose
    // native memory only comes back when the garbage collector runs its cleaner, so resident memory climbed by
    // hundreds of MB over the first thousands of iterations of a loop that creates a tensor each time.
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

    /** A torch-owned copy of Java data ({@code create(float[])} would wrap a JVM buffer). */
    public static NDArray owned(NDManager manager, float[] data, Shape shape) {
        int bytes = Math.multiplyExact(data.length, Float.BYTES);
        if (shape.size() != data.length) {
            throw new IllegalArgumentException("shape " + shape + " does not hold " + data.length + " values");
        }
        ByteBuffer buf = SCRATCH.get();
        if (buf.capacity() < bytes) {
            buf = ByteBuffer.allocateDirect(Math.max(bytes, 2 * buf.capacity())).order(ByteOrder.nativeOrder());
            SCRATCH.set(buf);
        }
        buf.clear();
        buf.asFloatBuffer().put(data);
        buf.limit(bytes);
        try (NDManager tmp = manager.newSubManager()) {
            // The view aliases the scratch buffer; the copy is torch's own memory, made before the buffer is reused.
            NDArray copy = tmp.create(buf.slice().order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32).duplicate();
            copy.attach(manager);
            return copy;
        }
    }
}
