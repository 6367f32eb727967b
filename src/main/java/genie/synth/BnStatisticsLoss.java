package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import genie.nn.BatchNorm2d;
import genie.util.Tensors;
import genie.nn.HookHandle;
import genie.nn.Module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Genie-D's loss: BatchNorm-statistics matching plus an input-statistics term, from one forward pass of the
 * teacher.
 *
 * <p>Forward hooks on every {@link BatchNorm2d} of the teacher keep the tensor entering it during the teacher's
 * forward pass; {@link #compute} then builds, for input {@code x} of shape [B, C, H, W]:
 * <ul>
 *   <li>input term: per-sample per-channel spatial mean m and unbiased std s of x:
 *       {@code sum(m^2)/B} (mean part) and {@code sum((s-1)^2)/B} (std part);</li>
 *   <li>for each BN layer with C_l channels: mean mu and unbiased std sigma of its input over (N, H, W):
 *       {@code ||mu - running_mean||^2 / C_l} (mean part) and
 *       {@code ||sigma - sqrt(running_var + 1e-6)||^2 / C_l} (std part);</li>
 *   <li>total = sum of all mean parts + sum of all std parts, unweighted.</li>
 * </ul>
 * The running statistics are copied when the loss is built (into a manager this object owns); close it to remove
 * the hooks and free them. The teacher must be in inference mode and its parameters need no gradients.
 *
 * <p>Built with {@code pooled} on (beyond Genie, {@link SynthConfig#bnGlobal()}), mu and sigma of each BN layer are
 * those of the finished batches {@link #pool pooled} so far together with the live batch ({@link PooledBnStatistics});
 * until a batch is pooled the loss is the per-batch one above.
 */
public final class BnStatisticsLoss implements AutoCloseable {
    /** The eps added to running_var before the square root (the reference uses 1e-6, not BN's 1e-5). */
    public static final float EPS = 1e-6f;
    /** Name of the input term in {@link Terms#layers()}. */
    public static final String INPUT = "input";

    private final NDManager manager;
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> runningMeans = new ArrayList<>();
    private final List<NDArray> runningStds = new ArrayList<>();
    private final List<HookHandle> handles = new ArrayList<>();
    private final NDArray[] captured;
    private final PooledBnStatistics pooled; // null: per-batch statistics (Genie-D)

    /**
     * Hooks every BatchNorm2d under {@code teacher}.
     *
     * @param manager where the copied running statistics live (a sub-manager is created and owned)
     * @throws IllegalArgumentException if the teacher has no BatchNorm2d
     */
    public BnStatisticsLoss(Module teacher, NDManager manager) {
        this(teacher, manager, false);
    }

    /**
     * Hooks every BatchNorm2d under {@code teacher}; with {@code pooled}, matches the statistics of all batches
     * {@link #pool pooled} so far together with the live one.
     */
    public BnStatisticsLoss(Module teacher, NDManager manager, boolean pooled) {
        Map<String, BatchNorm2d> bns = teacher.modulesOfType(BatchNorm2d.class);
        if (bns.isEmpty()) {
            throw new IllegalArgumentException("Genie-D needs BatchNorm statistics: the model (" + teacher.typeName()
                    + ") has no BatchNorm2d layer to match; use real or noise calibration data instead");
        }
        this.manager = manager.newSubManager();
        this.captured = new NDArray[bns.size()];
        this.pooled = pooled ? new PooledBnStatistics(this.manager, bns.size()) : null;
        int i = 0;
        try {
            for (Map.Entry<String, BatchNorm2d> e : bns.entrySet()) {
                BatchNorm2d bn = e.getValue();
                names.add(e.getKey());
                float[] rm = bn.runningMean().toFloatArray();
                float[] rv = bn.runningVar().toFloatArray();
                runningMeans.add(Tensors.owned(this.manager, rm, new Shape(rm.length)));
                NDArray var = Tensors.owned(this.manager, rv, new Shape(rv.length));
                runningStds.add(var.add(Tensors.scalar(var, EPS)).sqrt());
                final int slot = i++;
                handles.add(bn.addForwardHook((m, in, out) -> captured[slot] = in));
            }
        } catch (RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /** Dotted names of the hooked BatchNorm layers, in model order. */
    public List<String> layerNames() {
        return List.copyOf(names);
    }

    public int layerCount() {
        return names.size();
    }

    /**
     * The loss of the last teacher forward pass, whose input was {@code x}. The result tensors are created in
     * {@code x}'s manager (normally a per-iteration sub-manager).
     *
     * @throws IllegalStateException if a BN layer was not reached since the last call
     */
    public Terms compute(NDArray x) {
        NDArray[] in = inputStats(x);
        NDArray meanSum = in[0];
        NDArray stdSum = in[1];
        List<NDArray> layerMeans = new ArrayList<>(names.size() + 1);
        List<NDArray> layerStds = new ArrayList<>(names.size() + 1);
        List<NDArray> batchMeans = new ArrayList<>(names.size());
        List<NDArray> batchSquares = new ArrayList<>(names.size());
        long[] counts = new long[names.size()];
        layerMeans.add(in[0]);
        layerStds.add(in[1]);
        for (int l = 0; l < names.size(); l++) {
            NDArray a = captured[l];
            if (a == null) {
                throw new IllegalStateException("BatchNorm layer " + names.get(l) + " was not reached by the teacher's"
                        + " forward pass; run the teacher on x before computing the loss");
            }
            captured[l] = null;
            long c = a.getShape().get(1);
            long count = a.getShape().get(0) * a.getShape().get(2) * a.getShape().get(3);
            int[] axes = {0, 2, 3};
            NDArray mu = a.sum(axes, true).div(Tensors.scalar(a, count));
            NDArray squares = a.sub(mu).square().sum(axes);
            NDArray var = squares.div(Tensors.scalar(a, count - 1));
            NDArray mean = mu.reshape(c);
            counts[l] = count;
            batchMeans.add(mean);
            batchSquares.add(squares);
            if (pooled != null && !pooled.isEmpty()) {
                NDArray[] all = pooled.withLive(l, count, mean, squares);
                mean = all[0];
                var = all[1];
            }
            NDArray sigma = safeSqrt(var);
            NDArray mTerm = mean.sub(runningMeans.get(l)).square().sum().div(Tensors.scalar(a, c));
            NDArray sTerm = sigma.sub(runningStds.get(l)).square().sum().div(Tensors.scalar(a, c));
            layerMeans.add(mTerm);
            layerStds.add(sTerm);
            meanSum = meanSum.add(mTerm);
            stdSum = stdSum.add(sTerm);
        }
        return new Terms(meanSum.add(stdSum), meanSum, stdSum, layerMeans, layerStds,
                new BatchStatistics(counts, batchMeans, batchSquares));
    }

    /**
     * Adds the batch statistics of {@code terms} (a finished batch's last pass) to the pooled statistics that later
     * batches are matched with; nothing without {@code pooled}.
     */
    public void pool(Terms terms) {
        if (pooled == null) {
            return;
        }
        BatchStatistics b = terms.batch;
        float[][] mu = new float[b.means.size()][];
        float[][] s = new float[b.means.size()][];
        for (int l = 0; l < mu.length; l++) {
            mu[l] = b.means.get(l).toFloatArray();
            s[l] = b.squares.get(l).toFloatArray();
        }
        pooled.add(b.counts, mu, s);
    }

    /** Per BN layer: values per channel, mean [C] and sum of squared deviations [C] of the batch alone. */
    private record BatchStatistics(long[] counts, List<NDArray> means, List<NDArray> squares) {
    }

    /** Input term {mean part, std part} of images x [B, C, H, W]. */
    static NDArray[] inputStats(NDArray x) {
        long b = x.getShape().get(0);
        long hw = x.getShape().get(2) * x.getShape().get(3);
        int[] axes = {2, 3};
        NDArray m = x.sum(axes, true).div(Tensors.scalar(x, hw));
        NDArray s = safeSqrt(x.sub(m).square().sum(axes).div(Tensors.scalar(x, hw - 1)));
        NDArray meanPart = m.square().sum().div(Tensors.scalar(x, b));
        NDArray stdPart = s.sub(Tensors.scalar(x, 1)).square().sum().div(Tensors.scalar(x, b));
        return new NDArray[] {meanPart, stdPart};
    }

    /** Forgets captured inputs (after a forward pass whose loss is not wanted). */
    public void clearCaptured() {
        java.util.Arrays.fill(captured, null);
    }

    /** Removes the hooks and frees the copied statistics. */
    @Override
    public void close() {
        for (HookHandle h : handles) {
            h.close();
        }
        handles.clear();
        clearCaptured();
        manager.close(); // and the pooled statistics, in a sub-manager of it
    }

    /**
     * One evaluation of the loss. {@code layerMeans}/{@code layerStds} hold the input term first, then one entry per
     * BN layer in {@link #layerNames()} order.
     */
    public final class Terms {
        private final NDArray total;
        private final NDArray mean;
        private final NDArray std;
        private final List<NDArray> layerMeans;
        private final List<NDArray> layerStds;
        private final BatchStatistics batch;

        Terms(NDArray total, NDArray mean, NDArray std, List<NDArray> layerMeans, List<NDArray> layerStds,
                BatchStatistics batch) {
            this.batch = batch;
            this.total = total;
            this.mean = mean;
            this.std = std;
            this.layerMeans = layerMeans;
            this.layerStds = layerStds;
        }

        /** The scalar to minimise (differentiable). */
        public NDArray total() {
            return total;
        }

        /**
         * These terms with {@code extra} (a differentiable scalar, e.g. {@link LabelTargets}' cross-entropy) added to
         * the total; the mean and std parts stay the BatchNorm-statistics ones.
         */
        public Terms plus(NDArray extra) {
            return new Terms(total.add(extra), mean, std, layerMeans, layerStds, batch);
        }

        public NDArray meanPart() {
            return mean;
        }

        public NDArray stdPart() {
            return std;
        }

        /** {total, mean part, std part} as doubles, in one device transfer. */
        public double[] values() {
            float[] v = NDArrays.stack(new NDList(total, mean, std)).toFloatArray();
            return new double[] {v[0], v[1], v[2]};
        }

        /** Per-term {mean part, std part}: {@value BnStatisticsLoss#INPUT} first, then each BN layer by name. */
        public Map<String, double[]> layers() {
            float[] ms = NDArrays.stack(new NDList(layerMeans)).toFloatArray();
            float[] ss = NDArrays.stack(new NDList(layerStds)).toFloatArray();
            Map<String, double[]> out = new LinkedHashMap<>();
            out.put(INPUT, new double[] {ms[0], ss[0]});
            for (int l = 0; l < names.size(); l++) {
                out.put(names.get(l), new double[] {ms[l + 1], ss[l + 1]});
            }
            return out;
        }
    }

    /**
     * sqrt with PyTorch's std gradient at zero: {@code torch.std} masks the gradient of a zero deviation to 0,
     * while d sqrt(v)/dv is infinite there and turns a constant image or channel (a saturated generator output)
     * into NaN.
     */
    static NDArray safeSqrt(NDArray var) {
        NDArray positive = var.gt(0f);
        return NDArrays.where(positive, NDArrays.where(positive, var, var.onesLike()).sqrt(), var.zerosLike());
    }
}
