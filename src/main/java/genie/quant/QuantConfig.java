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
 * @param lrSoftbits      Adam rate of the softbit logits (1e-3, constant)
 * @param roundWeight     weight of the rounding loss (1.0)
 * @param warmup          fraction of iterations before the rounding loss starts (0.2)
 * @param betaStart       rounding-loss exponent at the end of warm-up (20)
 * @param betaEnd         rounding-loss exponent at the end (2)
 * @param dropProb        QDrop probability of keeping the quantized value (0.5), at unit input and in quantizers
 * @param paperPreset     first layer W8 with unquantized input, second layer's input A8, classifier W8A8
 * @param overrides       per-layer bits, in the user's order: glob or exact layer name to {@code w2a4}, {@code w8},
 *                        {@code a8}; an exact name beats a glob, a later glob beats an earlier one
 * @param seed            seed of permutations, QDrop masks and everything else random
 */
public record QuantConfig(int wbits, int abits, Method method, int iterations, int batch, double lrWeightScale,
        double lrActScale, double lrSoftbits, double roundWeight, double warmup, double betaStart, double betaEnd,
        float dropProb, boolean paperPreset, Map<String, String> overrides, long seed) {

    public QuantConfig {
        checkBits("weight", wbits, false);
        checkBits("activation", abits, true);
        if (iterations < 0) {
            throw new IllegalArgumentException("reconstruction iterations must be >= 0, got " + iterations);
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("reconstruction batch must be positive, got " + batch);
        }
        if (!(warmup >= 0 && warmup < 1)) {
            throw new IllegalArgumentException("warm-up fraction must be in [0, 1), got " + warmup);
        }
        // The user's order decides between overlapping patterns, so it must survive (Map.copyOf reorders per JVM).
        overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** The reference defaults at W4A4 with Genie-M. */
    public static QuantConfig defaults() {
        return new QuantConfig(4, 4, Method.GENIE, 20000, 32, 1e-4, 4e-5, 1e-3, 1.0, 0.2, 20, 2, 0.5f, true,
                Map.of(), 0);
    }

    public QuantConfig withBits(int w, int a) {
        return new QuantConfig(w, a, method, iterations, batch, lrWeightScale, lrActScale, lrSoftbits, roundWeight,
                warmup, betaStart, betaEnd, dropProb, paperPreset, overrides, seed);
    }

    public QuantConfig withMethod(Method m) {
        return new QuantConfig(wbits, abits, m, iterations, batch, lrWeightScale, lrActScale, lrSoftbits, roundWeight,
                warmup, betaStart, betaEnd, dropProb, paperPreset, overrides, seed);
    }

    public QuantConfig withIterations(int n) {
        return new QuantConfig(wbits, abits, method, n, batch, lrWeightScale, lrActScale, lrSoftbits, roundWeight,
                warmup, betaStart, betaEnd, dropProb, paperPreset, overrides, seed);
    }

    public QuantConfig withBatch(int b) {
        return new QuantConfig(wbits, abits, method, iterations, b, lrWeightScale, lrActScale, lrSoftbits, roundWeight,
                warmup, betaStart, betaEnd, dropProb, paperPreset, overrides, seed);
    }

    public QuantConfig withSeed(long s) {
        return new QuantConfig(wbits, abits, method, iterations, batch, lrWeightScale, lrActScale, lrSoftbits,
                roundWeight, warmup, betaStart, betaEnd, dropProb, paperPreset, overrides, s);
    }

    public QuantConfig withRoundWeight(double w) {
        return new QuantConfig(wbits, abits, method, iterations, batch, lrWeightScale, lrActScale, lrSoftbits, w,
                warmup, betaStart, betaEnd, dropProb, paperPreset, overrides, seed);
    }

    public QuantConfig withPaperPreset(boolean on) {
        return new QuantConfig(wbits, abits, method, iterations, batch, lrWeightScale, lrActScale, lrSoftbits,
                roundWeight, warmup, betaStart, betaEnd, dropProb, on, overrides, seed);
    }

    public QuantConfig withOverrides(Map<String, String> o) {
        return new QuantConfig(wbits, abits, method, iterations, batch, lrWeightScale, lrActScale, lrSoftbits,
                roundWeight, warmup, betaStart, betaEnd, dropProb, paperPreset, o, seed);
    }

    /** Weights 2..8 bits; activations 2..8 or 16. */
    public static void checkBits(String what, int bits, boolean activation) {
        boolean ok = (bits >= 2 && bits <= 8) || (activation && bits == 16);
        if (!ok) {
            throw new IllegalArgumentException(what + " bit-width " + bits + " is out of range: use 2..8"
                    + (activation ? " (or 16)" : ""));
        }
    }
}
