package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/**
 * DGH's augmentation inside synthesis (Dataset Generation for Hardware-friendly quantization, WACV 2025; Sony's
 * model_optimization data generation, its smoothing-and-augmentation image pipeline): in every iteration the teacher
 * sees a randomly flipped and shifted view of the images instead of the images themselves, so the images must match
 * the BatchNorm statistics under the small translations and mirror images the teacher was trained to ignore.
 *
 * <p>DGH optimises images {@code extra_pixels} = 32 larger than the 224x224 input and crops a random 224x224 window
 * (a shift of up to +-16 pixels, 1/14 of the size), after a horizontal flip with probability 1/2, one draw for the
 * whole batch. Genie's generator makes images of the input size, so the same shift comes from zero-padding (0 in model
 * input space: the dataset's mean colour) by {@code p = max(1, round(size / 14))} pixels per side (2 at 28x28, 16 at
 * 224x224) and cropping the input size back at offsets dy, dx drawn uniformly from 0..2p. The images kept are the
 * generator's, unaugmented.
 *
 * <p>The draws come from a {@link Random} per batch seeded from the batch's seed, apart from the swing offsets' stream,
 * so the same seed gives the same images and switching augmentation on leaves every other draw as it was.
 */
final class SynthAugment {
    /** Separates this stream from the batch's other seeded streams. */
    private static final long SALT = 0x6A09E667F3BCC909L;
    private final Random random;
    private final int padH;
    private final int padW;

    SynthAugment(long batchSeed, int h, int w) {
        this.random = new Random(batchSeed ^ SALT);
        this.padH = pad(h);
        this.padW = pad(w);
    }

    /** Shift of at most {@code size / 14} pixels each way, DGH's 16 of 224. */
    static int pad(int size) {
        return Math.max(1, Math.round(size / 14f));
    }

    /** This iteration's view of {@code x} [B, C, H, W]: one flip and offset drawn for the batch; differentiable. */
    NDArray view(NDArray x) {
        boolean flip = random.nextBoolean();
        int dy = random.nextInt(2 * padH + 1);
        int dx = random.nextInt(2 * padW + 1);
        return cropAndFlip(x, flip, dy, dx, padH, padW);
    }

    /**
     * {@code x} flipped left-right (when asked), zero-padded by (ph, pw) and cropped back to its size at offset
     * (dy, dx) of the padded image: pixel (i, j) of the result is pixel (i + dy - ph, j + dx - pw) of the flipped image,
     * 0 outside it.
     */
    static NDArray cropAndFlip(NDArray x, boolean flip, int dy, int dx, int ph, int pw) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray f = flip ? x.flip(3) : x;
        NDArray padded = f.pad(new Shape(pw, pw, ph, ph), 0);
        return padded.get(new NDIndex(":, :, {}:{}, {}:{}", dy, dy + h, dx, dx + w));
    }
}
