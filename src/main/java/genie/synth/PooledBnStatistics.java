package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import genie.util.Tensors;

/**
 * DGH's BatchNorm statistics of the whole synthetic set (Dataset Generation for Hardware-friendly quantization, WACV
 * 2025; Sony model_optimization's "all images" granularity), for Genie-D's batches made one after another.
 *
 * <p>DGH optimises all batches together and matches the running statistics with the mean and variance of all of
 * them, the batch being stepped live and the others from their last pass, detached. Genie-D makes its batches one
 * after another, each with its own generator and latents, so here batch k is matched against the set as it will be:
 * the pooled statistics of the finished batches 0..k-1 (from each one's last pass, the pass whose images are kept;
 * constants, no gradient) together with batch k's live statistics. Per BN layer and channel, with the finished
 * batches' count N, mean M and sum of squared deviations S, and the live batch's n, mu and s (Chan et al.'s parallel
 * combination, stable in float):
 * <pre>  d = mu - M,  mean = M + d n / (N + n),  var = (S + s + d^2 N n / (N + n)) / (N + n - 1)</pre>
 * which is the unbiased variance of all N + n values, as the per-batch loss takes the batch's. The loss compares this
 * mean and {@code sqrt(var)} with the running statistics; with no finished batch it is the per-batch loss exactly, so
 * one batch gives the same images as without the switch. Later batches thus correct what earlier batches left off
 * (the gradient on mu is scaled by n / (N + n), which Adam's normalisation absorbs). The input term is per image and
 * does not change.
 *
 * <p>The pooled values are kept in double on the Java side and uploaded as constants after each finished batch.
 */
final class PooledBnStatistics implements AutoCloseable {
    private final NDManager manager;
    private final double[] count;
    private final double[][] mean;
    private final double[][] squares;
    private final NDArray[] meanConst;
    private final NDArray[] squaresConst;

    PooledBnStatistics(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.count = new double[layers];
        this.mean = new double[layers][];
        this.squares = new double[layers][];
        this.meanConst = new NDArray[layers];
        this.squaresConst = new NDArray[layers];
    }

    /** Whether a batch has been pooled yet (none: the loss is the per-batch one). */
    boolean isEmpty() {
        return count[0] == 0;
    }

    /**
     * The pooled {mean [C], unbiased variance [C]} of the finished batches together with the live batch of {@code n}
     * values per channel with mean {@code mu} [C] and sum of squared deviations {@code s} [C].
     */
    NDArray[] withLive(int layer, long n, NDArray mu, NDArray s) {
        double big = count[layer];
        double total = big + n;
        // Live tensors first: a result lives in its first operand's manager (the iteration's), not in this one.
        NDArray d = mu.sub(meanConst[layer]);
        NDArray m = d.mul(Tensors.scalar(d, n / total)).add(meanConst[layer]);
        NDArray ss = s.add(squaresConst[layer]).add(d.square().mul(Tensors.scalar(d, big * n / total)));
        return new NDArray[] {m, ss.div(Tensors.scalar(ss, total - 1))};
    }

    /** Adds a finished batch's statistics (its last pass): per layer n, mean mu [C] and sum of squared deviations. */
    void add(long[] n, float[][] mu, float[][] s) {
        for (int l = 0; l < count.length; l++) {
            int c = mu[l].length;
            if (mean[l] == null) {
                mean[l] = new double[c];
                squares[l] = new double[c];
            }
            double big = count[l];
            double total = big + n[l];
            for (int i = 0; i < c; i++) {
                double d = mu[l][i] - mean[l][i];
                mean[l][i] += d * n[l] / total;
                squares[l][i] += s[l][i] + d * d * big * n[l] / total;
            }
            count[l] = total;
            if (meanConst[l] != null) {
                meanConst[l].close();
                squaresConst[l].close();
            }
            meanConst[l] = Tensors.owned(manager, toFloat(mean[l]), new Shape(c));
            squaresConst[l] = Tensors.owned(manager, toFloat(squares[l]), new Shape(c));
        }
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    @Override
    public void close() {
        manager.close();
    }
}
