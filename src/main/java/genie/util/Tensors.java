package genie.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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

    /** A torch-owned copy of Java data ({@code create(float[])} would wrap a JVM buffer). */
    public static NDArray owned(NDManager manager, float[] data, Shape shape) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray copy = tmp.create(data, shape).duplicate();
            copy.attach(manager);
            return copy;
        }
    }
}
