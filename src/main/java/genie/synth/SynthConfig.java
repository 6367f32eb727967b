package genie.synth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of one Genie-D synthesis run, with the reference implementation's defaults ({@link #DEFAULTS}).
 *
 * <p>Images are made in independent batches of {@code batch}; when {@code samples} is not a multiple of
 * {@code batch} the last batch is smaller ({@code samples % batch} images), so exactly {@code samples} images
 * come out. (The reference code silently drops the remainder instead.)
 *
 * @param samples     number of images to make (&gt; 0)
 * @param batch       images per independent synthesis batch (&gt; 0); each batch gets a fresh generator and latents
 * @param iterations  optimisation steps per batch (&ge; 0; 0 = the images of the initial forward pass)
 * @param latent      latent dimension of z (&gt; 0)
 * @param lrZ         Adam learning rate on the latents z (and on the pixels for {@link Source#PIXELS}); reduced
 *                    on plateau of the total loss (factor 0.1, patience {@code plateauPatience}, min {@code minLrZ}),
 *                    stepped every iteration
 * @param lrG         Adam learning rate on the generator; multiplied by {@code gDecay} after every
 *                    {@code gDecayEvery} iterations (PyTorch {@code ExponentialLR} stepped when
 *                    {@code (it + 1) % 100 == 0}, as the reference does)
 * @param gDecay      generator decay factor (0.95)
 * @param gDecayEvery generator decay period in iterations (100)
 * @param plateauPatience reduce-on-plateau patience for z (100)
 * @param minLrZ      reduce-on-plateau minimum rate for z (1e-4)
 * @param swing       replace the teacher's strided convolutions with swing convolutions during synthesis
 * @param seed        seed of every random choice (generator init, z, swing offsets, noise)
 * @param source      what is optimised ({@link Source})
 * @param logEvery    report per-BN-layer loss terms to listeners every N iterations (0 = never)
 * @param lowpass     beyond Genie, off at 0: SynQ's Gaussian low-pass filter of the finished images, its width as a
 *                    fraction of the Nyquist frequency ({@link LowPass})
 * @param augment     beyond Genie, off by default: DGH's random crop and horizontal flip of the images the teacher
 *                    sees in every iteration ({@link SynthAugment})
 * @param bnGlobal    beyond Genie, off by default: DGH's BatchNorm statistics of the whole set instead of the batch's
 *                    ({@link PooledBnStatistics})
 * @param labelCe     beyond Genie, off at 0: weight of the cross-entropy of the teacher's logits to a target class drawn
 *                    per image ({@link LabelTargets})
 */
public record SynthConfig(int samples, int batch, int iterations, int latent, double lrZ, double lrG, double gDecay,
        int gDecayEvery, int plateauPatience, double minLrZ, boolean swing, long seed, Source source, int logEvery,
        double lowpass, boolean augment, boolean bnGlobal, double labelCe) {

    /** Where the images come from. */
    public enum Source {
        /** Genie-D: generator and latents z optimised jointly. */
        GENIE,
        /** Generator optimised, latents z fixed at their N(0,1) draw (GDFQ-style, the paper's ablation). */
        GENERATOR_ONLY,
        /**
         * No generator: the pixels themselves start at N(0,1) and are optimised with the same loss (ZeroQ-style
         * "distill only"), Adam with {@code lrZ} and the same reduce-on-plateau schedule as z.
         */
        PIXELS,
        /** Gaussian N(0,1) images in model input space, no optimisation (the loss is measured once). */
        NOISE;

        /** Parses {@code genie}, {@code generator-only}, {@code pixels}, {@code noise} (case and - / _ insensitive). */
        public static Source parse(String s) {
            String n = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Source v : values()) {
                if (v.name().equals(n)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown synthesis source '" + s
                    + "': use genie, generator-only, pixels or noise");
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The reference defaults (the builder's starting values). */
    public static final SynthConfig DEFAULTS = new Builder().build();

    public SynthConfig {
        if (samples <= 0) {
            throw new IllegalArgumentException("samples must be positive, got " + samples);
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be 0 or more, got " + iterations);
        }
        if (latent <= 0) {
            throw new IllegalArgumentException("latent dimension must be positive, got " + latent);
        }
        if (!(lrZ > 0) || !Double.isFinite(lrZ)) {
            throw new IllegalArgumentException("lrZ (latent/pixel learning rate) must be a positive number, got " + lrZ);
        }
        if (!(lrG > 0) || !Double.isFinite(lrG)) {
            throw new IllegalArgumentException("lrG (generator learning rate) must be a positive number, got " + lrG);
        }
        if (!(gDecay > 0 && gDecay <= 1)) {
            throw new IllegalArgumentException("gDecay must be in (0, 1], got " + gDecay);
        }
        if (gDecayEvery <= 0) {
            throw new IllegalArgumentException("gDecayEvery must be positive, got " + gDecayEvery);
        }
        if (plateauPatience < 0) {
            throw new IllegalArgumentException("plateauPatience must be 0 or more, got " + plateauPatience);
        }
        if (!(minLrZ >= 0)) {
            throw new IllegalArgumentException("minLrZ must be 0 or more, got " + minLrZ);
        }
        if (source == null) {
            throw new IllegalArgumentException("source must be one of genie, generator-only, pixels, noise");
        }
        if (logEvery < 0) {
            throw new IllegalArgumentException("logEvery must be 0 (never) or more, got " + logEvery);
        }
        if (!(lowpass >= 0) || !Double.isFinite(lowpass)) {
            throw new IllegalArgumentException("lowpass (--lowpass, the low-pass filter's width as a fraction of the "
                    + "Nyquist frequency) must be 0 (off) or a positive number such as 0.5, got " + lowpass);
        }
        if (!(labelCe >= 0) || !Double.isFinite(labelCe)) {
            throw new IllegalArgumentException("labelCe (--label-ce, the weight of the cross-entropy to the drawn "
                    + "target classes) must be 0 (off) or a positive number such as 0.1, got " + labelCe);
        }
    }

    /** Number of batches ({@code ceil(samples / batch)}). */
    public int batches() {
        return (samples + batch - 1) / batch;
    }

    /** Size of batch {@code b} (the last one may be smaller). */
    public int batchSize(int b) {
        return Math.min(batch, samples - b * batch);
    }

    /** The reference defaults, to change a few fields and {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** These settings, to change a few fields and {@link Builder#build()}. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    // The single-field copies the notebooks and their generators (tools/notebook_make_*.py) call.

    public SynthConfig withSamples(int v) {
        return toBuilder().samples(v).build();
    }

    public SynthConfig withBatch(int v) {
        return toBuilder().batch(v).build();
    }

    public SynthConfig withIterations(int v) {
        return toBuilder().iterations(v).build();
    }

    public SynthConfig withSeed(long v) {
        return toBuilder().seed(v).build();
    }

    public SynthConfig withSource(Source v) {
        return toBuilder().source(v).build();
    }

    /** The settings as an ordered map (for JSON metadata and printed reports). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("batch", batch);
        m.put("iterations", iterations);
        m.put("latent", latent);
        m.put("lr_z", lrZ);
        m.put("lr_g", lrG);
        m.put("g_decay", gDecay);
        m.put("g_decay_every", gDecayEvery);
        m.put("plateau_patience", plateauPatience);
        m.put("min_lr_z", minLrZ);
        m.put("swing", swing);
        m.put("seed", seed);
        m.put("source", source.cliName());
        m.put("log_every", logEvery);
        m.put("lowpass", lowpass);
        m.put("synth_augment", augment);
        m.put("bn_global", bnGlobal);
        m.put("label_ce", labelCe);
        return m;
    }

    /**
     * Settings field by field, starting from the reference defaults or a copy; {@link #build()} validates them
     * (in the record's constructor, the one place that checks).
     */
    public static final class Builder {
        private int samples = 1024;
        private int batch = 128;
        private int iterations = 4000;
        private int latent = 256;
        private double lrZ = 0.1;
        private double lrG = 0.01;
        private double gDecay = 0.95;
        private int gDecayEvery = 100;
        private int plateauPatience = 100;
        private double minLrZ = 1e-4;
        private boolean swing = true;
        private long seed;
        private Source source = Source.GENIE;
        private int logEvery = 100;
        private double lowpass;
        private boolean augment;
        private boolean bnGlobal;
        private double labelCe;

        private Builder() {
        }

        private Builder(SynthConfig c) {
            samples = c.samples;
            batch = c.batch;
            iterations = c.iterations;
            latent = c.latent;
            lrZ = c.lrZ;
            lrG = c.lrG;
            gDecay = c.gDecay;
            gDecayEvery = c.gDecayEvery;
            plateauPatience = c.plateauPatience;
            minLrZ = c.minLrZ;
            swing = c.swing;
            seed = c.seed;
            source = c.source;
            logEvery = c.logEvery;
            lowpass = c.lowpass;
            augment = c.augment;
            bnGlobal = c.bnGlobal;
            labelCe = c.labelCe;
        }

        public Builder samples(int v) {
            samples = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder iterations(int v) {
            iterations = v;
            return this;
        }

        public Builder latent(int v) {
            latent = v;
            return this;
        }

        public Builder lrZ(double v) {
            lrZ = v;
            return this;
        }

        public Builder lrG(double v) {
            lrG = v;
            return this;
        }

        public Builder gDecay(double v) {
            gDecay = v;
            return this;
        }

        public Builder gDecayEvery(int v) {
            gDecayEvery = v;
            return this;
        }

        public Builder plateauPatience(int v) {
            plateauPatience = v;
            return this;
        }

        public Builder minLrZ(double v) {
            minLrZ = v;
            return this;
        }

        public Builder swing(boolean v) {
            swing = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder source(Source v) {
            source = v;
            return this;
        }

        public Builder logEvery(int v) {
            logEvery = v;
            return this;
        }

        /** SynQ's low-pass filter of the finished images (0: off); see {@link LowPass}. */
        public Builder lowpass(double v) {
            lowpass = v;
            return this;
        }

        /** DGH's crop and flip in every synthesis iteration; see {@link SynthAugment}. */
        public Builder augment(boolean v) {
            augment = v;
            return this;
        }

        /** DGH's BatchNorm statistics over the whole set; see {@link PooledBnStatistics}. */
        public Builder bnGlobal(boolean v) {
            bnGlobal = v;
            return this;
        }

        /** Weight of the cross-entropy to drawn target classes (0: off); see {@link LabelTargets}. */
        public Builder labelCe(double v) {
            labelCe = v;
            return this;
        }

        public SynthConfig build() {
            return new SynthConfig(samples, batch, iterations, latent, lrZ, lrG, gDecay, gDecayEvery, plateauPatience,
                    minLrZ, swing, seed, source, logEvery, lowpass, augment, bnGlobal, labelCe);
        }
    }
}
