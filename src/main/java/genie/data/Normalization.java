package genie.data;

import java.util.Arrays;

/**
 * Maps raw 8-bit pixels to model input space: {@code x = (pixel * pixelScale - mean[c]) / std[c]}.
 *
 * <p>{@code mean} and {@code std} hold either one value per channel or a single value shared by all channels.
 */
public record Normalization(float pixelScale, float[] mean, float[] std) {

    public Normalization {
        if (mean == null || std == null || mean.length == 0 || std.length == 0) {
            throw new IllegalArgumentException("normalization needs at least one mean and one std value");
        }
        if (!(pixelScale > 0) || !Float.isFinite(pixelScale)) {
            throw new IllegalArgumentException("normalization pixel scale must be a positive finite number, got "
                    + pixelScale);
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("normalization std values must be positive and finite, got "
                        + Arrays.toString(std));
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("normalization mean values must be finite, got "
                        + Arrays.toString(mean));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Scale 1/255, mean 0, std 1: pixels mapped to [0, 1] (torchvision ToTensor). */
    public static Normalization unit() {
        return new Normalization(1f / 255f, new float[] {0f}, new float[] {1f});
    }

    /** Scale 1/255 with the ImageNet mean and std (torchvision reference models). */
    public static Normalization imagenet() {
        return new Normalization(1f / 255f, new float[] {0.485f, 0.456f, 0.406f},
                new float[] {0.229f, 0.224f, 0.225f});
    }

    /** Scale 1/255, mean 0.286, std 0.353 (the usual Fashion-MNIST statistics). */
    public static Normalization fashionMnist() {
        return new Normalization(1f / 255f, new float[] {0.286f}, new float[] {0.353f});
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Throws a clear error unless mean and std have 1 or {@code channels} entries. */
    public Normalization checkChannels(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channel count must be positive, got " + channels);
        }
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException("normalization has " + mean.length + " mean values "
                    + Arrays.toString(mean) + " but the images have " + channels + " channel(s); give 1 or "
                    + channels + " values");
        }
        if (std.length != 1 && std.length != channels) {
            throw new IllegalArgumentException("normalization has " + std.length + " std values "
                    + Arrays.toString(std) + " but the images have " + channels + " channel(s); give 1 or "
                    + channels + " values");
        }
        return this;
    }

    public float meanOf(int channel) {
        return mean.length == 1 ? mean[0] : mean[channel];
    }

    public float stdOf(int channel) {
        return std.length == 1 ? std[0] : std[channel];
    }

    /**
     * One normalised value, in float32 like torchvision. With the scale {@code 1/255f} the pixel is divided by
     * 255 (as {@code ToTensor} does) rather than multiplied by the rounded reciprocal, so results are
     * bit-identical to torchvision's.
     */
    public float apply(int pixel, int channel) {
        float x = pixelScale == UNIT_SCALE ? pixel / 255f : pixel * pixelScale;
        return (x - meanOf(channel)) / stdOf(channel);
    }

    private static final float UNIT_SCALE = 1f / 255f;

    /**
     * Normalises 8-bit pixels laid out NCHW ({@code 0..255}, stored as unsigned bytes or ints) in place into a
     * new float array.
     */
    public float[] normalize(int[] pixels, int channels, int height, int width) {
        checkChannels(channels);
        int plane = height * width;
        if (pixels.length % (channels * plane) != 0) {
            throw new IllegalArgumentException(pixels.length + " pixels do not make whole images of "
                    + channels + "x" + height + "x" + width);
        }
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int ch = (i / plane) % channels;
            out[i] = apply(pixels[i], ch);
        }
        return out;
    }

    /**
     * Inverse mapping for pictures: model-space values NCHW back to 0..255 pixels, rounded and clamped.
     */
    public int[] denormalize(float[] values, int channels, int height, int width) {
        checkChannels(channels);
        int plane = height * width;
        if (values.length % (channels * plane) != 0) {
            throw new IllegalArgumentException(values.length + " values do not make whole images of "
                    + channels + "x" + height + "x" + width);
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int ch = (i / plane) % channels;
            double p = ((double) values[i] * stdOf(ch) + meanOf(ch)) / pixelScale;
            out[i] = (int) Math.max(0, Math.min(255, Math.round(p)));
        }
        return out;
    }

    /** Denormalises image {@code index} of {@code set} to 0..255 pixels [C*H*W]. */
    public int[] denormalize(ImageSet set, int index) {
        int per = set.channels() * set.height() * set.width();
        if (index < 0 || index >= set.size()) {
            throw new IndexOutOfBoundsException("image " + index + " of " + set.size());
        }
        float[] one = Arrays.copyOfRange(set.pixels(), index * per, (index + 1) * per);
        return denormalize(one, set.channels(), set.height(), set.width());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Float.compare(n.pixelScale, pixelScale) == 0
                && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Float.hashCode(pixelScale) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization(pixelScale=" + pixelScale + ", mean=" + Arrays.toString(mean) + ", std="
                + Arrays.toString(std) + ")";
    }
}
