package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import genie.util.Tensors;

import java.util.Random;

/**
 * Target classes for the images of one batch, and the cross-entropy that pulls the teacher towards them: ZeroQ's
 * label-aware variant and IntraQ/HAST/SynQ's distillation add {@code W * CE(teacher(x), y)} with y drawn uniformly per
 * image to the BatchNorm-statistics loss, so the set covers the classes instead of drifting to a few.
 *
 * <p>The loss term is {@code W * mean_i(-log softmax(logits_i)[y_i])} over the batch. The classes are drawn once per
 * batch, when the teacher's first logits show how many classes there are, uniformly from a {@link Random} seeded from
 * the batch's seed (a stream of its own: the other draws stay as they were). They are kept as the images' labels.
 */
final class LabelTargets {
    /** Separates this stream from the batch's other seeded streams. */
    private static final long SALT = 0xBB67AE8584CAA73BL;
    private final long seed;
    private final int size;
    private final double weight;
    private int[] labels; // drawn with the first logits
    private int classes;

    LabelTargets(long batchSeed, int size, double weight) {
        this.seed = batchSeed ^ SALT;
        this.size = size;
        this.weight = weight;
    }

    /** {@code W * CE(logits, targets)}, a scalar in the logits' manager; differentiable in the logits. */
    NDArray loss(NDArray logits) {
        NDArray l = logits.getShape().dimension() == 2 ? logits : logits.reshape(size, -1);
        int k = (int) l.getShape().get(1);
        if (labels == null) {
            labels = draw(seed, size, k);
            classes = k;
        } else if (k != classes) {
            throw new IllegalStateException("the teacher's logits changed from " + classes + " to " + k + " classes");
        }
        float[] oneHot = new float[size * k];
        for (int i = 0; i < size; i++) {
            oneHot[i * k + labels[i]] = 1f;
        }
        NDArray y = Tensors.owned(l.getManager(), oneHot, new Shape(size, k));
        NDArray ce = l.logSoftmax(1).mul(y).sum().neg().div(Tensors.scalar(l, size));
        return ce.mul(Tensors.scalar(ce, weight));
    }

    /** The drawn classes (null before the first {@link #loss}). */
    int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** The batches' labels one after another, or null when the batches have none. */
    static int[] concat(java.util.List<int[]> batches) {
        if (batches.isEmpty() || batches.stream().anyMatch(java.util.Objects::isNull)) {
            return null;
        }
        return batches.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    static int[] draw(long seed, int size, int classes) {
        Random r = new Random(seed);
        int[] y = new int[size];
        for (int i = 0; i < size; i++) {
            y[i] = r.nextInt(classes);
        }
        return y;
    }
}
