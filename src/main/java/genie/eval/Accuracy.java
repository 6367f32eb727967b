package genie.eval;

import java.util.Locale;

/**
 * Top-1/top-5 accuracy of a model on labeled images.
 *
 * @param top1   fraction of images whose highest logit is the label
 * @param top5   fraction whose label is among the five highest logits
 * @param images how many images were scored
 * @param seconds wall time
 */
public record Accuracy(double top1, double top5, int images, double seconds) {
    public double imagesPerSecond() {
        return images / Math.max(seconds, 1e-9);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "top-1 %.2f %%, top-5 %.2f %% on %d images (%.1f s, %.0f images/s)",
                100 * top1, 100 * top5, images, seconds, imagesPerSecond());
    }
}
