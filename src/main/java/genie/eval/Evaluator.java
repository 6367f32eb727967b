package genie.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import genie.data.ImageSet;
import genie.nn.Model;
import genie.util.Cancellation;
import genie.util.ProgressBar;

import java.io.PrintStream;
import java.util.function.Function;

/** Scores a model (FP32 or fake-quantized: anything mapping a batch to logits) on labeled images. */
public final class Evaluator {
    private final int batchSize;
    private final PrintStream progress;
    private Cancellation cancellation = Cancellation.none();

    public Evaluator(int batchSize, PrintStream progress) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("evaluation batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.progress = progress;
    }

    public Evaluator() {
        this(250, null);
    }

    /** Stops between batches once {@code token} is cancelled. */
    public Evaluator withCancellation(Cancellation token) {
        this.cancellation = token;
        return this;
    }

    public Accuracy evaluate(Model model, ImageSet data) {
        return evaluate(model::forward, model.manager(), data, model.spec().name());
    }

    /** Scores {@code logits} on {@code data}; each batch runs in its own sub-manager of {@code base}. */
    public Accuracy evaluate(Function<NDArray, NDArray> logits, NDManager base, ImageSet data, String label) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("cannot score accuracy on " + data.description()
                    + ": it has no labels (synthetic or noise data)");
        }
        long t0 = System.nanoTime();
        int n = data.size();
        long correct1 = 0;
        long correct5 = 0;
        ProgressBar bar = new ProgressBar(progress, "eval " + label, n, progress != null);
        for (int from = 0; from < n; from += batchSize) {
            cancellation.check();
            int to = Math.min(n, from + batchSize);
            try (NDManager sub = base.newSubManager()) {
                NDArray x = data.batch(sub, from, to);
                NDArray out = logits.apply(x);
                float[] z = out.toFloatArray();
                int k = (int) out.getShape().get(1);
                int[] labels = data.labels(from, to);
                for (int i = 0; i < to - from; i++) {
                    int rank = rankOf(z, i * k, k, labels[i]);
                    if (rank == 0) {
                        correct1++;
                    }
                    if (rank < 5) {
                        correct5++;
                    }
                }
            }
            bar.update(to, String.format(java.util.Locale.ROOT, "top-1 %.2f%%", 100.0 * correct1 / to));
        }
        return new Accuracy(correct1 / (double) n, correct5 / (double) n, n, (System.nanoTime() - t0) / 1e9);
    }

    /** How many logits beat the label's (ties count against it, as torch.topk would break them by index). */
    static int rankOf(float[] z, int off, int k, int label) {
        float v = z[off + label];
        if (Float.isNaN(v)) {
            return k;
        }
        int rank = 0;
        for (int j = 0; j < k; j++) {
            float u = z[off + j];
            if (u > v || (u == v && j < label)) {
                rank++;
            }
        }
        return rank;
    }

    /** Predicted class per image (argmax). */
    public static int[] predict(float[] logits, int k) {
        int n = logits.length / k;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (logits[i * k + j] > logits[i * k + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

}
