package genie.optim;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} in mode {@code min} with a relative threshold: after
 * more than {@code patience} steps without an improvement of the metric, multiply the group's rate by
 * {@code factor}, not below {@code minLr}.
 */
public final class ReduceLrOnPlateau {
    private final Adam.Group group;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final double minLr;
    private final int cooldown;
    private static final double EPS = 1e-8;
    private double best = Double.POSITIVE_INFINITY;
    private int badEpochs;
    private int cooldownCounter;

    public ReduceLrOnPlateau(Adam.Group group, double factor, int patience, double threshold, double minLr, int cooldown) {
        if (factor >= 1.0) {
            throw new IllegalArgumentException("ReduceLROnPlateau factor must be < 1, got " + factor);
        }
        this.group = group;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.minLr = minLr;
        this.cooldown = cooldown;
    }

    /** PyTorch's defaults for everything but patience and min_lr. */
    public static ReduceLrOnPlateau of(Adam.Group group, int patience, double minLr) {
        return new ReduceLrOnPlateau(group, 0.1, patience, 1e-4, minLr, 0);
    }

    public void step(double metric) {
        if (metric < best * (1 - threshold)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double old = group.lr();
            double next = Math.max(old * factor, minLr);
            if (old - next > EPS) {
                group.setLr(next);
            }
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
    }
}
