package genie.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a synthesis run did: its configuration, per-batch final losses and loss curves (total loss at every
 * iteration), time, and how the teacher classifies the synthetic images.
 *
 * @param config          the effective configuration
 * @param engine          engine, version, threads and device
 * @param finalLosses     per completed batch, the total loss of the last forward pass (the one whose images
 *                        are kept)
 * @param finalMeanParts  per batch, the mean part of that loss
 * @param finalStdParts   per batch, the std part of that loss
 * @param curves          per batch, the total loss at every iteration
 * @param seconds         wall-clock seconds of the whole run
 * @param msPerIteration  milliseconds per optimisation iteration (all batches; NaN with no iterations)
 * @param classHistograms per batch, the teacher's top-1 class counts on the final images
 * @param meanConfidences per batch, the teacher's mean top-1 softmax probability
 * @param cancelled       true if the run was cancelled; only completed batches are reported and returned
 */
public record SynthReport(SynthConfig config, String engine, double[] finalLosses, double[] finalMeanParts,
        double[] finalStdParts, List<float[]> curves, double seconds, double msPerIteration,
        List<int[]> classHistograms, double[] meanConfidences, boolean cancelled) {

    public int completedBatches() {
        return finalLosses.length;
    }

    /** Mean of the per-batch final losses. */
    public double finalLoss() {
        return Arrays.stream(finalLosses).average().orElse(Double.NaN);
    }

    /** Iterations at the end of each curve that {@link #tailLosses()} summarises. */
    public static final int TAIL = 50;

    /**
     * Per batch, the median total loss over its last {@link #TAIL} iterations. The last iteration's loss is one draw
     * of the swing offsets and jumps by 2-4x from one iteration to the next; this is the figure to compare runs by.
     */
    public double[] tailLosses() {
        double[] out = new double[curves.size()];
        for (int b = 0; b < out.length; b++) {
            float[] c = curves.get(b);
            int from = Math.max(0, c.length - TAIL);
            double[] tail = new double[c.length - from];
            for (int i = from; i < c.length; i++) {
                tail[i - from] = c[i];
            }
            Arrays.sort(tail);
            int n = tail.length;
            out[b] = n == 0 ? Double.NaN : n % 2 == 1 ? tail[n / 2] : (tail[n / 2 - 1] + tail[n / 2]) / 2;
        }
        return out;
    }

    /** Mean over batches of {@link #tailLosses()}. */
    public double tailLoss() {
        return Arrays.stream(tailLosses()).average().orElse(Double.NaN);
    }

    /** Teacher's top-1 class counts over all completed batches. */
    public int[] classHistogram() {
        int k = classHistograms.isEmpty() ? 0 : classHistograms.get(0).length;
        int[] out = new int[k];
        for (int[] h : classHistograms) {
            for (int i = 0; i < k; i++) {
                out[i] += h[i];
            }
        }
        return out;
    }

    /** Number of classes the teacher predicts at least once on the synthetic set. */
    public int classesCovered() {
        return (int) Arrays.stream(classHistogram()).filter(c -> c > 0).count();
    }

    /** Mean top-1 confidence over all completed images (batches weighted by size). */
    public double meanConfidence() {
        double sum = 0;
        long n = 0;
        for (int b = 0; b < meanConfidences.length; b++) {
            int size = Arrays.stream(classHistograms.get(b)).sum();
            sum += meanConfidences[b] * size;
            n += size;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** A JSON-friendly summary (what {@code genie synth --json} prints and stores in the file's metadata). */
    public Map<String, Object> toMap(boolean withCurves) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", Arrays.stream(classHistograms.toArray(new int[0][])).mapToInt(h -> Arrays.stream(h).sum()).sum());
        m.put("final_loss", finalLoss());
        m.put("final_losses", finalLosses);
        m.put("final_mean_parts", finalMeanParts);
        m.put("final_std_parts", finalStdParts);
        m.put("tail_loss", tailLoss());
        m.put("tail_losses", tailLosses());
        m.put("seconds", seconds);
        m.put("ms_per_iter", msPerIteration);
        m.put("class_histogram", classHistogram());
        m.put("classes_covered", classesCovered());
        m.put("mean_confidence", meanConfidence());
        m.put("batch_class_histograms", classHistograms);
        m.put("batch_mean_confidences", meanConfidences);
        m.put("cancelled", cancelled);
        m.put("engine", engine);
        m.put("config", config.toMap());
        if (withCurves) {
            List<float[]> c = new ArrayList<>(curves);
            m.put("loss_curves", c);
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT,
                "Genie-D (%s): %d batch(es), final BN-statistics loss %s (mean %.4f), median of the last %d iterations"
                        + " %s (mean %.4f), %.1f s, %.1f ms/iteration%n", config.source().cliName(), completedBatches(),
                fmt(finalLosses), finalLoss(), TAIL, fmt(tailLosses()), tailLoss(), seconds, msPerIteration));
        sb.append(String.format(java.util.Locale.ROOT, "teacher classes on the synthetic set: %s (%d of %d covered),"
                + " mean confidence %.3f%s", Arrays.toString(classHistogram()), classesCovered(),
                classHistogram().length, meanConfidence(), cancelled ? " [CANCELLED: partial]" : ""));
        return sb.toString();
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.4f", v[i]));
        }
        return sb.append(']').toString();
    }
}
