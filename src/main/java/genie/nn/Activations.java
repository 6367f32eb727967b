package genie.nn;

import ai.djl.ndarray.NDArray;

/** The element-wise activations PyTorch models use. */
public final class Activations {
    private Activations() {}

    /** {@code torch.nn.ReLU}. */
    public static final class ReLU extends Module {
        @Override
        protected NDArray forwardImpl(NDArray x) {
            return ai.djl.nn.Activation.relu(x);
        }
    }

    /** {@code torch.nn.ReLU6}. */
    public static final class ReLU6 extends Module {
        @Override
        protected NDArray forwardImpl(NDArray x) {
            return x.clip(0f, 6f);
        }
    }

    /** {@code torch.nn.LeakyReLU}. */
    public static final class LeakyReLU extends Module {
        public final float slope;

        public LeakyReLU(float slope) {
            this.slope = slope;
        }

        @Override
        protected NDArray forwardImpl(NDArray x) {
            return ai.djl.nn.Activation.leakyRelu(x, slope);
        }

        @Override
        public String extraRepr() {
            return "negative_slope=" + slope;
        }
    }

    /** {@code torch.nn.Tanh}. */
    public static final class Tanh extends Module {
        @Override
        protected NDArray forwardImpl(NDArray x) {
            return x.tanh();
        }
    }
}
