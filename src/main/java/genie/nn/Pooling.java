package genie.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Pooling, flattening and pass-through modules. */
public final class Pooling {
    private Pooling() {}

    /** {@code torch.nn.MaxPool2d}. */
    public static final class MaxPool2d extends Module {
        public final int kernel;
        public final int stride;
        public final int padding;

        public MaxPool2d(int kernel, int stride, int padding) {
            this.kernel = kernel;
            this.stride = stride;
            this.padding = padding;
        }

        @Override
        protected NDArray forwardImpl(NDArray x) {
            return ai.djl.nn.pooling.Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride),
                    new Shape(padding, padding), false);
        }

        @Override
        public String extraRepr() {
            return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding;
        }
    }

    /** {@code torch.nn.AvgPool2d} (count_include_pad=True as in PyTorch's default). */
    public static final class AvgPool2d extends Module {
        public final int kernel;
        public final int stride;
        public final int padding;

        public AvgPool2d(int kernel, int stride, int padding) {
            this.kernel = kernel;
            this.stride = stride;
            this.padding = padding;
        }

        @Override
        protected NDArray forwardImpl(NDArray x) {
            return ai.djl.nn.pooling.Pool.avgPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride),
                    new Shape(padding, padding), false, true);
        }

        @Override
        public String extraRepr() {
            return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding;
        }
    }

    /** {@code torch.nn.AdaptiveAvgPool2d((1, 1))}: global average, keeps [N, C, 1, 1]. */
    public static final class AdaptiveAvgPool2d extends Module {
        @Override
        protected NDArray forwardImpl(NDArray x) {
            long hw = x.getShape().get(2) * x.getShape().get(3);
            return x.sum(new int[] {2, 3}, true).div(genie.util.Tensors.scalar(x, hw));
        }

        @Override
        public String extraRepr() {
            return "output_size=(1, 1)";
        }
    }

    /** {@code torch.nn.Flatten}: [N, ...] to [N, -1]. */
    public static final class Flatten extends Module {
        @Override
        protected NDArray forwardImpl(NDArray x) {
            return x.reshape(x.getShape().get(0), -1);
        }
    }

    /** {@code torch.nn.Dropout}: identity at inference; this engine never trains with dropout on. */
    public static final class Dropout extends Module {
        public final float p;

        public Dropout(float p) {
            this.p = p;
        }

        @Override
        protected NDArray forwardImpl(NDArray x) {
            if (!isTraining() || p == 0f) {
                return x;
            }
            NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape()).gte(p);
            return x.mul(keep.toType(x.getDataType(), false)).div(genie.util.Tensors.scalar(x, 1f - p));
        }

        @Override
        public String extraRepr() {
            return "p=" + p;
        }
    }

    /** {@code torch.nn.Identity}; residual blocks put one on their skip path so it can be quantized. */
    public static final class Identity extends Module {
        @Override
        protected NDArray forwardImpl(NDArray x) {
            return x;
        }
    }
}
