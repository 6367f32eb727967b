package genie.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import genie.data.ImageSet;
import genie.nn.BatchNorm2d;
import genie.nn.HookHandle;
import genie.nn.Model;
import genie.nn.Module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks inside a model on a few images (no gradients): the input or output of any named module, and the batch
 * statistics every BatchNorm2d sees next to its running statistics. Values are copied to Java arrays, so nothing
 * native outlives a call.
 */
public final class Probes {
    private Probes() {}

    /** Input ({@code output=false}) or output of module {@code name} on the first {@code n} images. */
    public static float[] capture(Model model, String name, ImageSet images, int n, boolean output) {
        Module target = model.get(name);
        int count = Math.max(1, Math.min(n, images.size()));
        List<float[]> parts = new ArrayList<>();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager sub = model.manager().newSubManager()) {
            for (int from = 0; from < count; from += 64) {
                int to = Math.min(count, from + 64);
                HookHandle h = target.addForwardHook((m, in, out) -> parts.add((output ? out : in).toFloatArray()));
                try {
                    model.forward(images.batch(sub, from, to));
                } finally {
                    h.close();
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return concat(parts);
    }

    /** Per-channel batch mean/std of every BatchNorm2d input, next to the layer's running mean/std. */
    public record BnStats(String layer, float[] batchMean, float[] batchStd, float[] runningMean, float[] runningStd) {
        /** L2 distance of the batch means to the running means. */
        public double meanDistance() {
            return l2(batchMean, runningMean);
        }

        /** L2 distance of the batch stds to the running stds. */
        public double stdDistance() {
            return l2(batchStd, runningStd);
        }

        private static double l2(float[] a, float[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                s += d * d;
            }
            return Math.sqrt(s);
        }
    }

    /** Statistics of every BatchNorm2d's input on the first {@code n} images, in model order. */
    public static List<BnStats> bnStatistics(Model model, ImageSet images, int n) {
        Map<String, BatchNorm2d> bns = model.net().modulesOfType(BatchNorm2d.class);
        Map<String, BnStats> out = new LinkedHashMap<>();
        List<HookHandle> handles = new ArrayList<>();
        int count = Math.max(1, Math.min(n, images.size()));
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager sub = model.manager().newSubManager()) {
            for (Map.Entry<String, BatchNorm2d> e : bns.entrySet()) {
                BatchNorm2d bn = e.getValue();
                handles.add(bn.addForwardHook((m, in, o) -> {
                    NDArray flat = in.transpose(1, 0, 2, 3).reshape(in.getShape().get(1), -1);
                    NDArray mean = flat.mean(new int[] {1});
                    NDArray std = flat.sub(mean.reshape(-1, 1)).square().mean(new int[] {1}).sqrt();
                    NDArray rm = bn.localBuffers().get("running_mean");
                    NDArray rv = bn.localBuffers().get("running_var");
                    out.put(e.getKey(), new BnStats(e.getKey(), mean.toFloatArray(), std.toFloatArray(),
                            rm.toFloatArray(), sqrt(rv.toFloatArray(), bn.eps)));
                }));
            }
            model.forward(images.batch(sub, 0, count));
        } finally {
            handles.forEach(HookHandle::close);
            JniUtils.setGradMode(grad);
        }
        return new ArrayList<>(out.values());
    }

    private static float[] sqrt(float[] v, float eps) {
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = (float) Math.sqrt(v[i] + eps);
        }
        return o;
    }

    /** Top-1 class and its softmax probability for the first {@code n} images: {@code [n][2]} (class, p). */
    public static double[][] predictions(Model model, ImageSet images, int n) {
        int count = Math.max(0, Math.min(n, images.size()));
        double[][] out = new double[count][2];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager sub = model.manager().newSubManager()) {
            for (int from = 0; from < count; from += 64) {
                int to = Math.min(count, from + 64);
                NDArray logits = model.forward(images.batch(sub, from, to));
                float[] p = logits.softmax(1).toFloatArray();
                int k = (int) logits.getShape().get(1);
                for (int i = 0; i < to - from; i++) {
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        if (p[i * k + c] > p[i * k + best]) {
                            best = c;
                        }
                    }
                    out[from + i][0] = best;
                    out[from + i][1] = p[i * k + best];
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return out;
    }

    static float[] concat(List<float[]> parts) {
        int total = 0;
        for (float[] p : parts) {
            total += p.length;
        }
        float[] out = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
