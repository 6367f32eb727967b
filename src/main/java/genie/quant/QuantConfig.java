package genie.quant;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Genie-M settings with the reference defaults.
 *
 * @param wbits           weight bits of ordinary layers
 * @param abits           activation bits of ordinary layers
 * @param method          which PTQ method
 * @param iterations      reconstruction iterations per unit (20000)
 * @param batch           reconstruction minibatch (32, a true minibatch whatever the sample count)
 * @param lrWeightScale   Adam rate of the weight step sizes (1e-4, cosine to 0)
 * @param lrActScale      Adam rate of the activation step sizes (4e-5, cosine to 0)
 * @param lrSoftbits      Adam rate of the softbit logits (1e-3, constant unless {@code reconSchedule} anneals it)
 * @param roundWeight     weight of the rounding loss (1.0)
 * @param warmup          fraction of iterations before the rounding loss starts (0.2)
 * @param betaStart       rounding-loss exponent at the end of warm-up (20)
 * @param betaEnd         rounding-loss exponent at the end (2)
 * @param dropProb        QDrop probability of keeping the quantized value (0.5), at unit input and in quantizers
 * @param paperPreset     first layer W8 with unquantized input, second layer's input A8, classifier W8A8
 * @param overrides       per-layer bits, in the user's order: glob or exact layer name to {@code w2a4}, {@code w8},
 *                        {@code a8}; an exact name beats a glob, a later glob beats an earlier one
 * @param seed            seed of permutations, QDrop masks and everything else random
 * @param reconSchedule   learning-rate schedule of the reconstruction ({@link ReconSchedule#PAPER}, the reference's;
 *                        {@link ReconSchedule#COSINE_ALL} is beyond Genie)
 */
public record QuantConfig(int wbits, int abits, Method method, int iterations, int batch, double lrWeightScale,
        double lrActScale, double lrSoftbits, double roundWeight, double warmup, double betaStart, double betaEnd,
        float dropProb, boolean paperPreset, Map<String, String> overrides, long seed, ReconSchedule reconSchedule) {

    /** The reference defaults at W4A4 with Genie-M (the builder's starting values). */
    public static final QuantConfig DEFAULTS = new Builder().build();

    public QuantConfig {
        checkBits("weight", wbits, false);
        checkBits("activation", abits, true);
        if (method == null) {
            throw new IllegalArgumentException("method must be one of " + java.util.Arrays.toString(Method.values()));
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("reconstruction iterations must be >= 0, got " + iterations);
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("reconstruction batch must be positive, got " + batch);
        }
        checkRate("lrWeightScale", lrWeightScale);
        checkRate("lrActScale", lrActScale);
        checkRate("lrSoftbits", lrSoftbits);
        if (!(roundWeight >= 0) || !Double.isFinite(roundWeight)) {
            throw new IllegalArgumentException("roundWeight (rounding-loss weight) must be 0 or more, got "
                    + roundWeight);
        }
        if (!(warmup >= 0 && warmup < 1)) {
            throw new IllegalArgumentException("warmup (warm-up fraction) must be in [0, 1), got " + warmup);
        }
        if (!(dropProb >= 0 && dropProb <= 1)) {
            throw new IllegalArgumentException("dropProb (QDrop keep probability) must be in [0, 1], got " + dropProb);
        }
        if (overrides == null) {
            throw new IllegalArgumentException("overrides must be a map (empty for none)");
        }
        if (reconSchedule == null) {
            throw new IllegalArgumentException("reconSchedule (--recon-schedule) must be paper or cosine-all");
        }
        // The user's order decides between overlapping patterns, so it must survive (Map.copyOf reorders per JVM).
        overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** The reference defaults at W4A4 with Genie-M ({@link #DEFAULTS}, the name the notebooks call). */
    public static QuantConfig defaults() {
        return DEFAULTS;
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

    public QuantConfig withBits(int w, int a) {
        return toBuilder().wbits(w).abits(a).build();
    }

    public QuantConfig withMethod(Method m) {
        return toBuilder().method(m).build();
    }

    public QuantConfig withIterations(int n) {
        return toBuilder().iterations(n).build();
    }

    public QuantConfig withBatch(int b) {
        return toBuilder().batch(b).build();
    }

    public QuantConfig withSeed(long s) {
        return toBuilder().seed(s).build();
    }

    /** The settings as an ordered map (printed with every CLI result, kept in JSON lines and run records). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wbits", wbits);
        m.put("abits", abits);
        m.put("method", method.toString());
        m.put("iterations", iterations);
        m.put("batch", batch);
        m.put("lr_weight_scale", lrWeightScale);
        m.put("lr_act_scale", lrActScale);
        m.put("lr_softbits", lrSoftbits);
        m.put("round_weight", roundWeight);
        m.put("warmup", warmup);
        m.put("beta_start", betaStart);
        m.put("beta_end", betaEnd);
        m.put("drop_prob", dropProb);
        m.put("paper_preset", paperPreset);
        m.put("overrides", overrides);
        m.put("seed", seed);
        m.put("recon_schedule", reconSchedule.cliName());
        return m;
    }

    /** Weights 2..8 bits; activations 2..8 or 16. */
    public static void checkBits(String what, int bits, boolean activation) {
        boolean ok = (bits >= 2 && bits <= 8) || (activation && bits == 16);
        if (!ok) {
            throw new IllegalArgumentException(what + " bit-width " + bits + " is out of range: use 2..8"
                    + (activation ? " (or 16)" : ""));
        }
    }

    private static void checkRate(String field, double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException(field + " (Adam learning rate) must be a positive number, got " + rate);
        }
    }

    /**
     * Settings field by field, starting from the reference defaults or a copy; {@link #build()} validates them
     * (in the record's constructor, the one place that checks).
     */
    public static final class Builder {
        private int wbits = 4;
        private int abits = 4;
        private Method method = Method.GENIE;
        private int iterations = 20000;
        private int batch = 32;
        private double lrWeightScale = 1e-4;
        private double lrActScale = 4e-5;
        private double lrSoftbits = 1e-3;
        private double roundWeight = 1.0;
        private double warmup = 0.2;
        private double betaStart = 20;
        private double betaEnd = 2;
        private float dropProb = 0.5f;
        private boolean paperPreset = true;
        private Map<String, String> overrides = Map.of();
        private long seed;
        private ReconSchedule reconSchedule = ReconSchedule.PAPER;

        private Builder() {
        }

        private Builder(QuantConfig c) {
            wbits = c.wbits;
            abits = c.abits;
            method = c.method;
            iterations = c.iterations;
            batch = c.batch;
            lrWeightScale = c.lrWeightScale;
            lrActScale = c.lrActScale;
            lrSoftbits = c.lrSoftbits;
            roundWeight = c.roundWeight;
            warmup = c.warmup;
            betaStart = c.betaStart;
            betaEnd = c.betaEnd;
            dropProb = c.dropProb;
            paperPreset = c.paperPreset;
            overrides = c.overrides;
            seed = c.seed;
            reconSchedule = c.reconSchedule;
        }

        public Builder wbits(int v) {
            wbits = v;
            return this;
        }

        public Builder abits(int v) {
            abits = v;
            return this;
        }

        public Builder method(Method v) {
            method = v;
            return this;
        }

        public Builder iterations(int v) {
            iterations = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder lrWeightScale(double v) {
            lrWeightScale = v;
            return this;
        }

        public Builder lrActScale(double v) {
            lrActScale = v;
            return this;
        }

        public Builder lrSoftbits(double v) {
            lrSoftbits = v;
            return this;
        }

        public Builder roundWeight(double v) {
            roundWeight = v;
            return this;
        }

        public Builder warmup(double v) {
            warmup = v;
            return this;
        }

        public Builder betaStart(double v) {
            betaStart = v;
            return this;
        }

        public Builder betaEnd(double v) {
            betaEnd = v;
            return this;
        }

        public Builder dropProb(float v) {
            dropProb = v;
            return this;
        }

        public Builder paperPreset(boolean v) {
            paperPreset = v;
            return this;
        }

        /** Per-layer bits in the user's order (see {@link QuantConfig}). */
        public Builder overrides(Map<String, String> v) {
            overrides = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** The reconstruction's learning-rate schedule (see {@link ReconSchedule}). */
        public Builder reconSchedule(ReconSchedule v) {
            reconSchedule = v;
            return this;
        }

        public QuantConfig build() {
            return new QuantConfig(wbits, abits, method, iterations, batch, lrWeightScale, lrActScale, lrSoftbits,
                    roundWeight, warmup, betaStart, betaEnd, dropProb, paperPreset, overrides, seed, reconSchedule);
        }
    }
}
