package genie.quant;

import genie.optim.Schedules;

import java.util.Locale;

/**
 * The learning-rate schedule of Genie-M's reconstruction, set after every iteration.
 *
 * <p>{@link #PAPER} is the reference's (and BRECQ's and QDrop's for the activation steps): the step sizes' rates
 * cosine-annealed to 0 over the unit's iterations ({@code CosineAnnealingLR(T_max = iters, eta_min = 0)}), the
 * softbits' Adam at its constant 1e-3, as AdaRound, BRECQ and QDrop all leave it. Beyond Genie, {@link #COSINE_ALL}
 * anneals the softbits' rate with the same cosine: late in a unit the rounding loss's beta has fallen towards 2 and
 * pushes every softbit to 0 or 1, and a rate that decays with it lets them settle instead of flipping with the
 * minibatch noise of the last iterations.
 */
public enum ReconSchedule {
    /** Step sizes: cosine to 0; softbits: constant (the reference). */
    PAPER,
    /** Step sizes and softbits: cosine to 0. */
    COSINE_ALL;

    /** Sets the rates for iteration {@code it + 1} after iteration {@code it} (1-based) of {@code iters}. */
    void afterStep(UnitTraining.Optimisers opt, QuantConfig config, int it, int iters) {
        double cos = Schedules.cosine(1.0, 0.0, iters, it);
        opt.weightSteps().setLr(config.lrWeightScale() * cos);
        opt.activationSteps().setLr(config.lrActScale() * cos);
        if (this == COSINE_ALL) {
            opt.softbits().group(UnitTraining.SOFTBITS).setLr(config.lrSoftbits() * cos);
        }
    }

    /** Parses {@code paper} or {@code cosine-all} (case and - / _ insensitive). */
    public static ReconSchedule parse(String s) {
        String n = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ReconSchedule v : values()) {
            if (v.name().equals(n)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown reconstruction schedule '" + s + "': use paper or cosine-all");
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return cliName();
    }
}
