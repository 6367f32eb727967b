package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import genie.nn.Activations;
import genie.nn.BatchNorm2d;
import genie.nn.Conv2d;
import genie.nn.Linear;
import genie.nn.Module;
import genie.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * Genie-D's generator, scaled to the teacher's input [C, H, W] (H and W divisible by 4):
 * {@code Linear(latent -> 128*(H/4)*(W/4)) -> reshape -> BN(128) -> nearest x2 -> Conv3x3(128->64) -> BN(64)
 * -> LeakyReLU(0.2) -> nearest x2 -> Conv3x3(64->C) -> Tanh -> BN(C, affine=False)}.
 *
 * <p>Module names follow the reference ({@code linear}, {@code conv_layers.0} ... {@code conv_layers.8}). Its
 * BatchNorms always normalise with the current batch's statistics (biased variance), whatever
 * {@link #train}/{@link #eval} says: the reference never switches the generator to inference mode. Linear and
 * convolution weights and biases use PyTorch's default initialisation ({@code kaiming_uniform_(a=sqrt(5))},
 * i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)), bias with the same bound), drawn from the engine's seeded
 * generator. Its parameters require gradients.
 */
public final class Generator extends Module {
    public static final int C1 = 128;
    public static final int C2 = 64;
    private final int latent;
    private final int channels;
    private final int c1;
    private final int initH;
    private final int initW;

    public Generator(NDManager manager, int latent, int channels, int height, int width) {
        this(manager, latent, channels, height, width, C1, C2);
    }

    /**
     * A generator with other widths than the reference's 128 and 64 (its {@code c1}, {@code c2} arguments): tiny
     * replays against the official code use it to keep their recorded parameters small.
     */
    public Generator(NDManager manager, int latent, int channels, int height, int width, int c1, int c2) {
        if (height % 4 != 0 || width % 4 != 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("the Genie-D generator upsamples 4x from (H/4, W/4): input height and"
                    + " width must be positive multiples of 4, got " + height + "x" + width);
        }
        if (latent <= 0 || channels <= 0 || c1 <= 0 || c2 <= 0) {
            throw new IllegalArgumentException("latent (" + latent + "), channels (" + channels + ") and widths ("
                    + c1 + ", " + c2 + ") must be positive");
        }
        this.latent = latent;
        this.channels = channels;
        this.c1 = c1;
        this.initH = height / 4;
        this.initW = width / 4;
        register("linear", new Linear(manager, latent, c1 * initH * initW, true));
        register("conv_layers", new Sequential(
                new TrainingBatchNorm(manager, c1, true),
                new Upsample2x(),
                new DefaultInitConv(manager, c1, c2),
                new TrainingBatchNorm(manager, c2, true),
                new Activations.LeakyReLU(0.2f),
                new Upsample2x(),
                new DefaultInitConv(manager, c2, channels),
                new Activations.Tanh(),
                new TrainingBatchNorm(manager, channels, false)));
        train(true);
        for (NDArray p : namedParameters().values()) {
            p.setRequiresGradient(true);
        }
    }

    /** A generator for a teacher input shape [C, H, W]. */
    public static Generator forInput(NDManager manager, int latent, int[] chw) {
        return new Generator(manager, latent, chw[0], chw[1], chw[2]);
    }

    public int latent() {
        return latent;
    }

    public int channels() {
        return channels;
    }

    /** Learnable parameters (Linear, convolutions, affine BatchNorms), in state_dict order. */
    public List<NDArray> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    @Override
    protected NDArray forwardImpl(NDArray z) {
        if (z.getShape().dimension() != 2 || z.getShape().get(1) != latent) {
            throw new IllegalArgumentException("Generator expects latents [N, " + latent + "], got " + z.getShape());
        }
        NDArray h = child("linear").forward(z).reshape(z.getShape().get(0), c1, initH, initW);
        return child("conv_layers").forward(h);
    }

    @Override
    public String extraRepr() {
        return "latent=" + latent + ", out=" + channels + "x" + (4 * initH) + "x" + (4 * initW);
    }

    /** {@code nn.Upsample(scale_factor=2)} (nearest). */
    public static final class Upsample2x extends Module {
        @Override
        protected NDArray forwardImpl(NDArray x) {
            return x.repeat(2, 2).repeat(3, 2);
        }

        @Override
        public String typeName() {
            return "Upsample";
        }

        @Override
        public String extraRepr() {
            return "scale_factor=2.0, mode='nearest'";
        }
    }

    /** A 3x3, stride 1, padding 1 convolution with bias and PyTorch's default initialisation. */
    static final class DefaultInitConv extends Conv2d {
        DefaultInitConv(NDManager manager, int in, int out) {
            super(manager, in, out, 3, 1, 1, 1, 1, true);
            float bound = (float) (1.0 / Math.sqrt(in * 9.0));
            NDArray oldW = weight();
            NDArray oldB = bias();
            registerParameter("weight", manager.randomUniform(-bound, bound, new Shape(out, in, 3, 3)));
            registerParameter("bias", manager.randomUniform(-bound, bound, new Shape(out)));
            oldW.close();
            oldB.close();
        }

        @Override
        public String typeName() {
            return "Conv2d";
        }
    }

    /** A BatchNorm2d that always uses batch statistics (the generator is never put in inference mode). */
    static final class TrainingBatchNorm extends BatchNorm2d {
        // DJL's batchNorm rejects a null gamma/beta; a non-affine BN normalises with constant 1 and 0.
        private final NDArray one;
        private final NDArray zero;

        TrainingBatchNorm(NDManager manager, int channels, boolean affine) {
            super(manager, channels, 1e-5f, 0.1f, affine);
            this.one = affine ? null : manager.ones(new Shape(channels));
            this.zero = affine ? null : manager.zeros(new Shape(channels));
        }

        @Override
        protected NDArray forwardImpl(NDArray x) {
            if (x.getShape().dimension() != 4 || x.getShape().get(1) != channels) {
                throw new IllegalArgumentException("BatchNorm2d(" + channels + ") expects input [N, " + channels
                        + ", H, W], got " + x.getShape());
            }
            return ai.djl.nn.norm.BatchNorm.batchNorm(x, runningMean(), runningVar(), affine ? gamma() : one,
                    affine ? beta() : zero, -1, 1f - momentum, eps, true).head();
        }

        @Override
        public String typeName() {
            return "BatchNorm2d";
        }
    }
}
