package genie.nn;

import ai.djl.ndarray.NDArray;

/**
 * The data flow of a composite module, written once and read two ways: with tensors it is the forward pass, with
 * symbolic values (tensor names) an exporter walks the same code to write a graph (ONNX). A composite's forward is
 * therefore never described twice, and an architecture added later exports without exporter changes.
 *
 * @param <T> a value flowing between modules: an NDArray, or a name in a graph being built
 */
public interface Flow<T> {
    /** Runs a child module on a value. */
    T call(Module m, T x);

    /** Element-wise sum (a residual connection). */
    T add(T a, T b);

    /** {@code [N, ...]} to {@code [N, -1]}. */
    T flatten(T x);

    /** Mean over H and W: {@code [N, C, H, W]} to {@code [N, C]}. */
    T globalAverage(T x);

    /** The forward pass itself. */
    Flow<NDArray> TENSORS = new Flow<>() {
        @Override
        public NDArray call(Module m, NDArray x) {
            return m.forward(x);
        }

        @Override
        public NDArray add(NDArray a, NDArray b) {
            return a.add(b);
        }

        @Override
        public NDArray flatten(NDArray x) {
            return x.reshape(x.getShape().get(0), -1);
        }

        @Override
        public NDArray globalAverage(NDArray x) {
            long hw = x.getShape().get(2) * x.getShape().get(3);
            return x.sum(new int[] {2, 3}).div(genie.util.Tensors.scalar(x, hw));
        }
    };
}
