package genie.optim;

/**
 * PyTorch's learning-rate schedulers as pure functions of the number of scheduler steps taken, so a loop
 * sets {@code lr = schedule(k)} after its k-th update exactly when PyTorch's {@code scheduler.step()} would
 * (DJL's trackers run one step ahead of PyTorch's).
 */
public final class Schedules {
    private Schedules() {}

    /** {@code CosineAnnealingLR(T_max, eta_min)} after {@code k} scheduler steps. */
    public static double cosine(double base, double etaMin, int tMax, int k) {
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * Math.min(k, tMax) / tMax)) / 2;
    }

    /** {@code ExponentialLR(gamma)} after {@code k} scheduler steps. */
    public static double exponential(double base, double gamma, int k) {
        return base * Math.pow(gamma, k);
    }
}
